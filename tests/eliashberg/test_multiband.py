"""Multiband isotropic Eliashberg equations on THE linearized operator (docs/multiband.md)."""

import math

import numpy as np
import pytest

from tcpredict.eliashberg.kernels import SpectrumKernel
from tcpredict.eliashberg.matsubara import (
    n_matsubara,
    rescale_mustar,
    rescale_mustar_matrix,
)
from tcpredict.eliashberg.multiband import (
    MultibandProblem,
    multiband_gap_sweep,
    parse_multiband_text,
    solve_multiband_gap,
    solve_multiband_tc,
)
from tcpredict.eliashberg.operator import (
    CompressedGrid,
    LinearizedOperator,
    detailed_balance_weights,
)
from tcpredict.eliashberg.gap import solve_gap
from tcpredict.eliashberg.spectra import einstein, gaussian_peak
from tcpredict.eliashberg.tc import find_tc, solve_tc
from tcpredict.units import K_B_MEV_PER_K


def balanced(lam_sym, dos):
    """λ_ij = B_ij/N_i with B symmetric: exact detailed balance N_iλ_ij = N_jλ_ji."""
    b = np.asarray(lam_sym, float)
    return b / np.asarray(dos, float)[:, None]


# ------------------------------------------------------------------ μ* as a matrix
def test_matrix_rescaling_identities():
    # 1×1: the scalar Morel–Anderson rule; diagonal: element by element
    assert rescale_mustar_matrix([[0.13]], 40.0, 400.0)[0, 0] == pytest.approx(
        rescale_mustar(0.13, 40.0, 400.0), rel=1e-14)
    d = rescale_mustar_matrix(np.diag([0.1, 0.2]), 50.0, 700.0)
    assert d[0, 0] == pytest.approx(rescale_mustar(0.1, 50.0, 700.0), rel=1e-14)
    assert d[1, 1] == pytest.approx(rescale_mustar(0.2, 50.0, 700.0), rel=1e-14)
    assert d[0, 1] == 0.0
    # group property: rescaling ω₁ → ω₂ → ω₃ equals ω₁ → ω₃ (the flow is exact, not a fit)
    mu = np.array([[0.12, 0.05], [0.0365, 0.10]])
    two = rescale_mustar_matrix(rescale_mustar_matrix(mu, 60.0, 200.0), 200.0, 900.0)
    np.testing.assert_allclose(two, rescale_mustar_matrix(mu, 60.0, 900.0), rtol=1e-13)
    # detailed balance N_iμ_ij = N_jμ_ji survives the matrix rule ...
    N = np.array([1.0, 1.7])
    mub = balanced([[0.1, 0.04], [0.04, 0.15]], N)
    out = rescale_mustar_matrix(mub, 60.0, 600.0)
    np.testing.assert_allclose(N[:, None] * out, (N[:, None] * out).T, rtol=1e-13)
    # ... but not element-wise rescaling (ebmb `critical`)
    ew = np.vectorize(lambda m: rescale_mustar(m, 60.0, 600.0))(mub)
    assert abs((N[:, None] * ew)[0, 1] - (N[:, None] * ew)[1, 0]) > 1e-4
    with pytest.raises(ValueError):
        rescale_mustar_matrix([[0.5, 0.5], [0.5, 0.5]], 1.0, 1e6)  # diverges
    with pytest.raises(ValueError):
        rescale_mustar_matrix([[-0.1]], 1.0, 10.0)


def test_detailed_balance_weights():
    N = np.array([0.3, 0.41, 1.2])
    lam = balanced([[1.0, 0.2, 0.05], [0.2, 0.4, 0.1], [0.05, 0.1, 0.3]], N)
    s = detailed_balance_weights(lam)
    np.testing.assert_allclose(s / s[0], N / N[0], rtol=1e-12)
    bad = lam.copy()
    bad[0, 1] *= 1.01
    assert detailed_balance_weights(bad) is None
    one_way = lam.copy()
    one_way[2, 0] = 0.0
    assert detailed_balance_weights(one_way) is None


# ------------------------------------------------------------------ the operator
def _two_band(mu=((0.1, 0.03), (0.03 * 0.7, 0.08)), dos=(1.0, 1 / 0.7), **kw):
    N = np.array(dos)
    lam = balanced([[0.9, 0.15], [0.15, 0.5 * N[1]]], N)
    ks = [[einstein(20.0, lam[0, 0]), gaussian_peak(25.0, 5.0, lam[0, 1])],
          [gaussian_peak(25.0, 5.0, lam[1, 0]), einstein(12.0, lam[1, 1])]]
    return ks, lam, np.array(mu), N


def test_symmetrisation_is_exact():
    # detailed balance holds: S is symmetric and has the spectrum of the non-symmetric kernel
    # K_{(i,n),(j,m)} = πT[λ_ij(n−m) + λ_ij(n+m+1) − 2μ*_ij] / (ω_mZ_j(m)) built here directly
    ks, lam, mu, N = _two_band()
    op = LinearizedOperator([ks[0][0], ks[1][1]], mu, 200.0, [0.0], N, coupling=ks)
    assert op.symmetric
    T = 6.0
    st = op.setup(T)
    S = op.dense_matrix(st)
    np.testing.assert_allclose(S, S.T, rtol=0, atol=1e-15 * np.abs(S).max())
    n = st["n"]
    t = K_B_MEV_PER_K * T
    wn = np.pi * t * (2 * np.arange(n) + 1)
    nu = lambda k: 2 * np.pi * t * k  # noqa: E731
    idx = np.arange(n)
    K = np.zeros((2 * n, 2 * n))
    zw = np.zeros((2, n))
    for i in range(2):
        # ω_nZ_i(n) from the untruncated sum over all m of Σ_j λ_ij(n−m) sgn ω_m (telescoped)
        for nn in range(n):
            zw[i, nn] = wn[nn] + np.pi * t * sum(
                ks[i][j].kernel(0.0) + 2 * sum(ks[i][j].kernel(nu(k)) for k in range(1, nn + 1))
                for j in range(2))
    for i in range(2):
        for j in range(2):
            lt = ks[i][j].kernel(nu(np.abs(idx[:, None] - idx[None, :])))
            lh = ks[i][j].kernel(nu(idx[:, None] + idx[None, :] + 1))
            K[i * n:(i + 1) * n, j * n:(j + 1) * n] = (np.pi * t * (lt + lh - 2 * mu[i, j])
                                                        / zw[j][None, :])
    ev_k = np.sort(np.linalg.eigvals(K).real)
    ev_s = np.linalg.eigvalsh(S)
    np.testing.assert_allclose(ev_s, ev_k, rtol=1e-9, atol=1e-12)
    # the same operator forced onto the non-symmetric path (weights 1, 1) has the same ρ
    op1 = LinearizedOperator([ks[0][0], ks[1][1]], mu, 200.0, [0.0], [1.0, 1.0], coupling=ks)
    assert not op1.symmetric
    assert op1.eigen(T)[0] == pytest.approx(op.eigen(T)[0], rel=1e-12)


def test_two_bands_mustar_zero_against_an_independent_dense_solver():
    # independent implementation in ebmb's form (ebmb manual, "linearized gap equation"):
    # Δ_i(n) = Σ_jm K_ij(n,m) Δ_j(m), K = [Λ⁺_ij(n,m) − δ_ijδ_nm D_i(n)]/(2m+1) with the exact
    # D_i(n) = Σ_j[λ_ij(0) + 2Σ_{k≤n} λ_ij(k)], all eigenvalues by numpy, bisection in T.
    # It is a different eigenproblem with the same root (eigenvalue 1 at Tc).
    lam = np.array([[0.8, 0.25], [0.1, 0.35]])  # no detailed balance needed
    om = np.array([[15.0, 30.0], [22.0, 40.0]])  # λ_12(ν), λ_21(ν) differ in shape
    cut = 250.0

    def lam_k(i, j, k, t):
        return lam[i, j] / (1 + (2 * np.pi * t * k / om[i, j]) ** 2)

    def biggest(T):
        t = K_B_MEV_PER_K * T
        n = n_matsubara(T, cut)
        m = np.arange(n)
        K = np.zeros((2 * n, 2 * n))
        for i in range(2):
            D = np.array([sum(lam_k(i, j, 0, t) + 2 * sum(lam_k(i, j, k, t)
                                                          for k in range(1, nn + 1))
                              for j in range(2)) for nn in range(n)])
            for j in range(2):
                blk = lam_k(i, j, np.abs(m[:, None] - m[None, :]), t) \
                    + lam_k(i, j, m[:, None] + m[None, :] + 1, t)
                if i == j:
                    blk = blk - np.diag(D)
                K[i * n:(i + 1) * n, j * n:(j + 1) * n] = blk / (2 * m[None, :] + 1)
        return np.max(np.linalg.eigvals(K).real)

    lo, hi = 1.0, 40.0
    for _ in range(60):
        mid = math.sqrt(lo * hi)
        lo, hi = (mid, hi) if biggest(mid) > 1 else (lo, mid)
    ref = math.sqrt(lo * hi)
    prob = MultibandProblem([[einstein(om[i, j], lam[i, j]) for j in range(2)]
                             for i in range(2)], np.zeros((2, 2)), cutoff_meV=cut)
    r = solve_multiband_tc(prob, rtol=1e-8, band_tc=False)
    assert not r.symmetric
    assert r.tc_K == pytest.approx(ref, rel=1e-6)


def test_one_band_equals_the_single_band_solver():
    sp = einstein(10.0, 1.0)
    ref = solve_tc(sp, 0.12, mustar_at_meV=250.0, cutoff_meV=250.0, rtol=1e-8)
    prob = MultibandProblem([[sp]], [[0.12]], mustar_at_meV=250.0, cutoff_meV=250.0)
    r = solve_multiband_tc(prob, rtol=1e-8)
    assert r.tc_K == pytest.approx(ref.tc_K, rel=1e-9)  # the same operator, to round-off
    assert r.band_tc_alone_K == (r.tc_K,)
    # default cutoff and μ* reference (Ω_max) and the cutoff extension are those of solve_tc
    big = einstein(30.0, 20.0)
    a = solve_tc(big, 0.1, rtol=1e-8)
    b = solve_multiband_tc(MultibandProblem([[big]], [[0.1]]), rtol=1e-8)
    assert b.tc_K == pytest.approx(a.tc_K, rel=1e-9)
    assert b.cutoff_meV == pytest.approx(a.cutoff_meV, rel=1e-9)
    assert b.mustar_at_cutoff[0][0] == pytest.approx(a.mustar_at_cutoff, rel=1e-14)


def test_decoupled_bands_give_the_larger_single_band_tc():
    sa, sb = einstein(10.0, 1.0), gaussian_peak(25.0, 4.0, 0.6)
    prob = MultibandProblem([[sa, None], [None, sb]], np.diag([0.12, 0.1]),
                            mustar_at_meV=100.0, cutoff_meV=300.0)
    r = solve_multiband_tc(prob, rtol=1e-8)
    ta = solve_tc(sa, 0.12, mustar_at_meV=100.0, cutoff_meV=300.0, rtol=1e-8).tc_K
    tb = solve_tc(sb, 0.1, mustar_at_meV=100.0, cutoff_meV=300.0, rtol=1e-8).tc_K
    assert r.tc_K == pytest.approx(max(ta, tb), rel=1e-7)
    assert r.band_tc_alone_K[0] == pytest.approx(ta, rel=1e-7)
    assert r.band_tc_alone_K[1] == pytest.approx(tb, rel=1e-7)


def test_compressed_grid_and_lanczos_match_the_dense_full_grid():
    ks, lam, mu, N = _two_band()
    args = ([ks[0][0], ks[1][1]], mu, 300.0, [0.0], N)
    full = LinearizedOperator(*args, coupling=ks)
    comp = LinearizedOperator(*args, coupling=ks, grid=CompressedGrid())
    T = 0.3  # N ≈ 1850 per band: Lanczos on the full grid, Nyström nodes on the compressed one
    rf, _, inf_f = full.eigen(T)
    rc, _, inf_c = comp.eigen(T)
    assert inf_f["method"] == "lanczos" and inf_c["n_nodes"] < inf_c["n_matsubara"] / 5
    assert rc == pytest.approx(rf, rel=2e-4)
    # non-symmetric path (no weights): Arnoldi equals the symmetric Lanczos result
    nons = LinearizedOperator(*args[:4], [1.0, 1.0], coupling=ks)
    rn, _, inf_n = nons.eigen(T)
    assert inf_n["method"] == "arnoldi" and rn == pytest.approx(rf, rel=1e-9)
    # and the dense non-symmetric path equals dense LAPACK on the matrix
    st = nons.setup(20.0)
    ev = np.linalg.eigvals(nons.dense_matrix(st))
    assert nons.eigen(20.0)[0] == pytest.approx(np.max(ev.real), rel=1e-12)


def test_operator_rejects_bad_coupling():
    ks, lam, mu, N = _two_band()
    with pytest.raises(ValueError, match="2×2"):
        LinearizedOperator([ks[0][0], ks[1][1]], mu, 200.0, [0.0], N, coupling=[[None]])
    with pytest.raises(ValueError, match="diagonal"):
        LinearizedOperator([ks[0][0], ks[1][1]], mu, 200.0, [0.0], N,
                           coupling=[[einstein(5, 1), None], [None, None]])
    with pytest.raises(ValueError, match="shape"):
        LinearizedOperator([ks[0][0], ks[1][1]], np.eye(3), 200.0, [0.0], N, coupling=ks)


# ------------------------------------------------------------------ MgB2-like and gaps
MGB2 = """
cutoff_meV = 600
mustar_at_meV = 60
einstein_meV = 60
lambda = [[1.017, 0.212], [0.155, 0.448]]
mustar = [[0.12, 0.05], [0.0365, 0.10]]
labels = ["sigma", "pi"]
"""


def test_mgb2_like_example():
    # λ_ij of Golubov et al., J. Phys.: Condens. Matter 14, 1353 (2002) (σσ 1.017, σπ 0.212,
    # πσ 0.155, ππ 0.448) with one 60 meV Einstein mode (the E2g energy scale) and the μ*
    # matrix of issue 12. Sanity range: MgB2 has Tc = 39 K and gaps Δσ ≈ 7 meV, Δπ ≈ 2–3 meV
    # (Golubov et al. 2002; Iavarone et al., PRL 89, 187002 (2002)); a one-mode model is not
    # expected to match to better than tens of per cent.
    f = parse_multiband_text(MGB2)
    r = solve_multiband_tc(f.problem)
    assert 30.0 < r.tc_K < 50.0
    assert r.band_tc_alone_K[0] > r.tc_K > r.band_tc_alone_K[1]
    assert r.detailed_balance_violation < 5e-3  # the published matrices are rounded
    g = solve_multiband_gap(f.problem, 0.1 * r.tc_K, tc_K=r.tc_K)
    ds, dp = g.delta_meV[:, 0]
    assert 5.0 < ds < 9.0 and 1.5 < dp < 3.5
    assert g.labels == ("sigma", "pi") and g.component == "band"
    # the matrix rescaling, not element-wise: element-wise (ebmb `critical`) gives a higher Tc
    ew = np.vectorize(lambda m: rescale_mustar(m, 60.0, 600.0))(f.problem.mustar)
    op = f.problem.operator()
    op_ew = LinearizedOperator(op.kernels, ew, 600.0, [0.0], op.weights,
                               coupling=[[None, op.pairs[0][2]], [op.pairs[1][2], None]])
    tc_ew = find_tc(op_ew, r.tc_K, 1.0, 1e-6)[0]
    assert tc_ew / r.tc_K - 1 == pytest.approx(0.077, abs=0.01)


def test_multiband_gap_one_band_equals_solve_gap():
    sp = einstein(10.0, 1.0)
    kw = dict(mustar_at_meV=250.0, cutoff_meV=250.0)
    tc = solve_tc(sp, 0.12, **kw).tc_K
    a = solve_gap(sp, 0.12, 3.0, tc_K=tc, **kw)
    b = solve_multiband_gap(MultibandProblem([[sp]], [[0.12]], **kw), 3.0, tc_K=tc)
    np.testing.assert_allclose(b.delta_n_meV, a.delta_n_meV, rtol=0, atol=1e-9)


def test_coupled_gap_sweep_warm_equals_cold():
    ks, lam, mu, N = _two_band()
    prob = MultibandProblem(ks, mu, mustar_at_meV=200.0, cutoff_meV=200.0, dos=N)
    tc = solve_multiband_tc(prob, band_tc=False).tc_K
    temps = [0.8 * tc, 0.5 * tc, 0.3 * tc]
    sweep = multiband_gap_sweep(prob, temps, tc_K=tc)
    assert [s.start for s in sweep][1:] == ["warm", "warm"]
    for T, w in zip(temps, sweep):
        cold = solve_multiband_gap(prob, T, tc_K=tc)
        np.testing.assert_allclose(w.delta_meV, cold.delta_meV, atol=1e-8, rtol=0)
    # the fixed point: Z_i and φ_i recomputed from the solution with Σ over bands j
    g = sweep[-1]
    t = K_B_MEV_PER_K * g.temperature_K
    wn = g.omega_n_meV
    n = wn.size
    R = np.sqrt(wn ** 2 + g.delta_meV ** 2)
    m = np.arange(n)
    for i in range(2):
        phi = np.zeros(n)
        for j in range(2):
            kt = ks[i][j].kernel(2 * np.pi * t * np.abs(m[:, None] - m[None, :]))
            kh = ks[i][j].kernel(2 * np.pi * t * (m[:, None] + m[None, :] + 1))
            phi += np.pi * t * ((kt + kh - 2 * mu[i, j]) @ (g.delta_meV[j] / R[j]))
        np.testing.assert_allclose(phi / g.z[i], g.delta_meV[i], rtol=1e-7)


def test_problem_validation():
    with pytest.raises(ValueError, match="detailed balance"):
        MultibandProblem.einstein(20.0, [[1.0, 0.2], [0.1, 0.5]], np.zeros((2, 2)),
                                  dos=(1.0, 1.0))
    with pytest.raises(ValueError, match="empty"):
        MultibandProblem([[None]], [[0.1]])
    with pytest.raises(ValueError, match="2×2"):
        MultibandProblem.einstein(20.0, [[1.0, 0.2], [0.1, 0.5]], [[0.1]])
    with pytest.raises(ValueError, match="limit"):
        MultibandProblem.einstein(20.0, np.eye(17), np.zeros((17, 17)))
