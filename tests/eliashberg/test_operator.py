"""The one linearized operator: grid strategies and kernel sources (docs/eliashberg.md §2.1, §2.5)."""

import numpy as np
import pytest

from tcpredict.eliashberg.kernels import ScaledKernel, SpectrumKernel, SumKernel, TableKernel
from tcpredict.eliashberg.matsubara import n_matsubara
from tcpredict.eliashberg.operator import (
    MAX_MATSUBARA,
    CompressedGrid,
    LinearizedOperator,
)
from tcpredict.eliashberg.spectra import einstein, gaussian_peak
from tcpredict.eliashberg.tc import solve_tc


@pytest.mark.parametrize("lam,mu", [(0.35, 0.1), (0.6, 0.12)])
def test_single_layer_compressed_tc_matches_full_grid(lam, mu):
    # second method: the full Matsubara grid (every ω_n < ω_c) is the reference
    sp = einstein(10.0, lam)
    full = solve_tc(sp, mu, cutoff_meV=400.0, rtol=1e-7, t_min_K=1e-3, grid="full")
    comp = solve_tc(sp, mu, cutoff_meV=400.0, rtol=1e-7, t_min_K=1e-3, grid="compressed")
    assert comp.grid == "compressed" and comp.n_nodes < comp.n_matsubara
    assert comp.tc_K == pytest.approx(full.tc_K, rel=2e-4)


def test_compressed_tabulated_spectrum(al_spectrum):
    full = solve_tc(al_spectrum, 0.12, rtol=1e-7, grid="full")
    comp = solve_tc(al_spectrum, 0.12, rtol=1e-7, grid="compressed")
    assert comp.tc_K == pytest.approx(full.tc_K, rel=2e-4)


def test_small_grid_compressed_is_identical_to_full():
    # N ≤ n_exact: the compressed strategy falls back to the full grid, bit for bit in ρ
    ks = [einstein(10, 1.0), einstein(25, 0.45)]
    a = LinearizedOperator(ks, [0.12, 0.1], 250.0, [2.0], [1.0, 2.0])
    b = LinearizedOperator(ks, [0.12, 0.1], 250.0, [2.0], [1.0, 2.0], grid="compressed")
    ra, _, ia = a.eigen(5.0)
    rb, _, ib = b.eigen(5.0)
    assert ib["n_nodes"] == ia["n_matsubara"]
    assert rb == pytest.approx(ra, rel=1e-12)


def test_stack_compressed_matches_full_at_low_temperature():
    ks = [einstein(10, 0.4), gaussian_peak(20, 4, 0.3)]
    args = ([0.1, 0.1], 300.0, [0.7], [1.0, 1.6])
    full = LinearizedOperator(ks, *args).eigen(0.2)[0]
    comp, _, info = LinearizedOperator(ks, *args, grid=CompressedGrid()).eigen(0.2)
    assert info["n_nodes"] < info["n_matsubara"] / 5
    assert comp == pytest.approx(full, rel=2e-4)


def test_scaled_kernel_reuses_the_bulk_cache():
    base = SpectrumKernel(gaussian_peak(20, 4, 0.8))
    a = base.scaled(0.5).on_matsubara(3.0, 64)
    b = base.scaled(2.0).on_matsubara(3.0, 64)
    assert base.misses == 1 and base.hits == 1
    np.testing.assert_allclose(b, 4.0 * a, rtol=1e-15)
    assert isinstance(base.scaled(2).scaled(3), ScaledKernel)
    assert base.scaled(2).scaled(3).factor == 6.0
    with pytest.raises(ValueError):
        base.scaled(float("nan"))


def test_sum_kernel_moments_match_the_summed_spectrum():
    # α²F moments are linear in α²F: compare with the explicitly summed Alpha2F
    s1, s2 = gaussian_peak(15, 3, 0.7), einstein(30, 0.4)
    k = SumKernel([(0.3, TableKernel(s1)), (0.7, SpectrumKernel(s2))])
    ref = s1.scaled(0.3) + s2.scaled(0.7)
    assert k.lam == pytest.approx(ref.lam, rel=1e-12)
    assert k.omega_log_meV == pytest.approx(ref.omega_log_meV, rel=1e-10)
    nu = np.geomspace(0.1, 500, 50)
    np.testing.assert_allclose(k(nu), ref.kernel(nu), rtol=1e-6)


def test_resources_bounded_before_allocating():
    op = LinearizedOperator([einstein(10, 1.0)], [0.1], 1e6)
    with pytest.raises(ValueError, match="full-grid limit"):
        op.setup(1e-3)  # N ≈ 1.8e9 > MAX_MATSUBARA: refused, nothing allocated
    assert n_matsubara(1e-3, 100.0) < MAX_MATSUBARA
    with pytest.raises(ValueError):
        n_matsubara(1e-6, 1e300)  # no endless loop (issue 8)
    with pytest.raises(ValueError):
        n_matsubara(float("nan"), 100.0)


def test_operator_rejects_bad_input():
    with pytest.raises(ValueError):
        LinearizedOperator([einstein(10, 1.0)], [0.1], 100.0, grid="bogus")
    with pytest.raises(ValueError):
        LinearizedOperator([einstein(10, 1.0)], [float("inf")], 100.0)
    with pytest.raises(ValueError):
        LinearizedOperator([einstein(10, 1.0)], [0.1], float("nan"))
    with pytest.raises(TypeError):
        LinearizedOperator(["Al"], [0.1], 100.0)
    with pytest.raises(ValueError, match="grid='full'"):
        LinearizedOperator([einstein(10, 1.0)], [0.1], 100.0, grid="compressed",
                           smooth_cutoff=True)


# ---------------------------------------------------------------- Λ(ν) and ωZ on the nodes
def _numeric_integral(kern, nu):
    # second method: adaptive quadrature of λ(ν′) from 0 to ν
    import warnings

    from scipy.integrate import IntegrationWarning, quad

    with warnings.catch_warnings():  # the table is piecewise linear in ln ν: quad notices
        warnings.simplefilter("ignore", IntegrationWarning)
        return quad(lambda v: float(kern(np.array([v]))[0]), 0.0, nu, limit=500,
                    epsabs=0.0, epsrel=1e-10)[0]


@pytest.mark.parametrize("nu", [1e-4, 0.3, 4.0, 17.0, 60.0, 900.0])
def test_kernel_integral_is_the_antiderivative(al_spectrum, nu):
    from tcpredict.eliashberg.kernels import StretchedKernel, ZeroKernel

    table = TableKernel(al_spectrum)
    kernels = [SpectrumKernel(al_spectrum), table, TableKernel(einstein(12.0, 0.7)),
               ScaledKernel(table, 0.4), StretchedKernel(table, 1.3, 0.8),
               SumKernel([(0.3, table), (0.7, einstein(20.0, 0.5))])]
    for k in kernels:
        assert float(k.integral(np.array([nu]))[0]) == pytest.approx(
            _numeric_integral(k, nu), rel=2e-7, abs=1e-12)
        assert float(k.integral(np.array([-nu]))[0]) == -float(k.integral(np.array([nu]))[0])
    assert ZeroKernel().integral(np.array([nu]))[0] == 0.0


def test_kernel_integral_limits(al_spectrum):
    # exact limits: Λ(ν) → λν for ν → 0; Λ(∞) = π∫α²F dΩ = πλω̄₁/2 (ω̄₁ = (2/λ)∫α²F dΩ)
    k = TableKernel(al_spectrum)
    om, a2f = al_spectrum.omega_meV, al_spectrum.values
    area = float(np.sum(0.5 * (a2f[1:] + a2f[:-1]) * np.diff(om)))
    assert float(k.integral(np.array([1e-9]))[0]) == pytest.approx(al_spectrum.lam * 1e-9,
                                                                    rel=1e-9)
    assert float(k.integral(np.array([1e12]))[0]) == pytest.approx(np.pi * area, rel=1e-8)
    e = einstein(10.0, 0.8)  # Λ = λΩ arctan(ν/Ω) exactly
    assert float(TableKernel(e).integral(np.array([7.0]))[0]) == pytest.approx(
        0.8 * 10.0 * np.arctan(0.7), rel=1e-14)


def test_normal_z_omega_on_nodes_matches_the_exact_sum(al_spectrum):
    # second method: ω_nZ_n = ω_n + πk_BT[λ(0) + 2Σ_{k=1}^{n} λ(ν_k)] summed term by term over
    # every index (docs/eliashberg.md §2); the nodes replace the tail by Λ differences (§2.5)
    from tcpredict.eliashberg.matsubara import compressed_nodes
    from tcpredict.eliashberg.operator import normal_z_omega
    from tcpredict.units import K_B_MEV_PER_K

    kern = TableKernel(al_spectrum)
    T, cutoff = 0.05, 400.0
    x, c, n_full = compressed_nodes(T, cutoff, 2 * al_spectrum.omega_log_meV, n_exact=128,
                                    n_head=64)
    assert x.size < n_full
    zw = normal_z_omega([kern], T, x, n_full, 64)
    t = K_B_MEV_PER_K * T
    lk = kern.on_matsubara(T, n_full)
    exact = np.pi * t * (2 * np.arange(n_full) + 1) + np.pi * t * (
        lk[0] + 2 * np.concatenate([[0.0], np.cumsum(lk[1:])]))
    ref = np.interp(x, np.arange(n_full), exact)
    head = x < 64
    assert np.array_equal(zw[head], ref[head])
    # the midpoint integral differs from the integer sum by ~λ′/24 per end: ≤ 1e-6 relative
    np.testing.assert_allclose(zw, ref, rtol=1e-6)


# ---------------------------------------------------------------- warm-started Lanczos
def test_lanczos_top_matches_dense_eigh():
    # second method: LAPACK's dense symmetric eigen-solver
    from tcpredict.eliashberg.operator import lanczos_top

    rng = np.random.default_rng(3)
    q, _ = np.linalg.qr(rng.normal(size=(150, 150)))
    ev = np.concatenate([[1.3], rng.uniform(-0.5, 0.6, 149)])
    S = (q * ev) @ q.T
    v0 = q[:, 0] + 0.05 * rng.normal(size=150)  # a perturbed top eigenvector (warm start)
    theta, v = lanczos_top(S, v0)
    assert theta == pytest.approx(1.3, rel=1e-13)
    assert np.linalg.norm(S @ v - theta * v) < 1e-8 * 1.3 * 1.01  # rtol·θ
    # a cluster just below the top: refused (the caller falls back to the dense solver)
    ev2 = np.concatenate([[1.0], 0.99 + 0.009 * rng.uniform(size=149)])
    assert lanczos_top((q * ev2) @ q.T, q[:, 0] + 0.05 * rng.normal(size=150)) is None


def test_warm_started_eigen_equals_a_cold_dense_solve():
    # the operator's Lanczos warm start (after a first solve) against a fresh operator's dense
    # solve at the same temperature: the same eigenvalue to round-off
    k = TableKernel(einstein(10.0, 0.26))
    warm = LinearizedOperator([k], [0.05], 400.0, grid="compressed")
    warm.eigen(0.0102)
    for T in (0.0101, 0.01, 0.0098):
        rho_w, _, info = warm.eigen(T)
        rho_c = LinearizedOperator([k], [0.05], 400.0, grid="compressed").eigen(T)[0]
        assert info["n_nodes"] > 96 and info["residual"] < 1.01e-8 * abs(rho_w)  # rtol·ρ
        assert rho_w == pytest.approx(rho_c, rel=1e-12)
