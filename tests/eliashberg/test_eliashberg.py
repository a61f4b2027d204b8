"""Linearized Eliashberg problem: Tc against independent reference values."""

import numpy as np
import pytest

import tcpredict.eliashberg.operator as op
import tcpredict.eliashberg.tc as el
from tcpredict.eliashberg.closed_forms import allen_dynes_tc_K
from tcpredict.eliashberg.operator import LinearizedOperator
from tcpredict.eliashberg.tc import find_tc, resolve_coupling, solve_tc
from tcpredict.eliashberg.spectra import einstein, gaussian_peak
from tcpredict.units import K_B_MEV_PER_K


def test_reference_einstein_tcs_of_the_proximity_spec():
    # proximity.md §3: Einstein λ=1, Ω=10 meV, μ*=0.12 → 8.996 K; λ=0.45, Ω=25 meV, μ*=0.10 →
    # 3.064 K; cutoff 250 meV, μ* given at the cutoff, same cutoff convention as ours.
    a = solve_tc(einstein(10, 1.0), 0.12, mustar_at_meV=250, cutoff_meV=250)
    b = solve_tc(einstein(25, 0.45), 0.10, mustar_at_meV=250, cutoff_meV=250)
    assert a.tc_K == pytest.approx(8.996, rel=2e-4)
    assert b.tc_K == pytest.approx(3.064, rel=2e-4)
    assert a.mustar_at_cutoff == pytest.approx(0.12)


def test_stack_reference_table():
    # proximity.md §3 reference table, d_A N_A = d_B N_B so Γ_A = Γ_B = Γ.
    ref = {0.1: 8.665, 1.0: 7.302, 10.0: 6.549, 100.0: 6.415}
    tcs = []
    for g, tc_ref in ref.items():
        st = LinearizedOperator([einstein(10, 1.0), einstein(25, 0.45)], [0.12, 0.10], 250.0,
                             [g], [1.0, 1.0])
        tc, _ = find_tc(st, 5.0, 0.1)
        assert tc == pytest.approx(tc_ref, rel=3e-4)
        tcs.append(tc)
    assert np.all(np.diff(tcs) < 0)  # monotonic in Γ


def test_strong_coupling_limit_is_approached_monotonically():
    # Allen & Dynes (1975): Tc → 0.1827 √λ Ω_E for λ → ∞ (μ* = 0, Einstein delta).
    ratios = []
    for lam in (2.0, 5.0, 10.0):
        r = solve_tc(einstein(10.0, lam), 0.0)
        ratios.append(K_B_MEV_PER_K * r.tc_K / (10.0 * np.sqrt(lam)))
    assert np.all(np.diff(ratios) > 0)
    assert ratios[-1] < 0.1827262
    assert ratios[-1] == pytest.approx(0.1827262, rel=0.04)


@pytest.mark.parametrize("lam", [0.4, 0.7, 1.0, 1.5, 2.0])
def test_allen_dynes_agrees_within_ten_percent(lam):
    # eliashberg.md §4: Allen–Dynes was fitted to Eliashberg solutions for 0.3 < λ < 2, μ* ≈ 0.1.
    sp = gaussian_peak(15.0, 2.0, lam)
    r = solve_tc(sp, 0.1)
    ad = allen_dynes_tc_K(lam, sp.omega_log_meV, sp.omega2_meV, 0.1)
    assert r.allen_dynes_K == pytest.approx(ad)
    assert r.tc_K == pytest.approx(ad, rel=0.10)


def test_al_tc_and_moments(al_spectrum):
    # eliashberg.md §4: Al moments λ=0.418, ω_log=26.47 meV, ω̄₂=29.19 meV; Allen–Dynes 1.04 K at
    # μ*=0.12 (experimental Tc 1.18 K). The Eliashberg Tc must lie within 10 % of Allen–Dynes.
    r = solve_tc(al_spectrum, 0.12)
    assert r.lam == pytest.approx(0.418, abs=6e-4)
    assert r.omega_log_meV == pytest.approx(26.47, abs=6e-3)
    assert r.omega2_meV == pytest.approx(29.19, abs=6e-3)
    assert r.allen_dynes_K == pytest.approx(1.04, abs=6e-3)
    assert r.tc_K == pytest.approx(r.allen_dynes_K, rel=0.10)
    assert r.cutoff_meV == pytest.approx(10 * al_spectrum.omega_max_meV)


@pytest.mark.parametrize("case", ["al", "einstein"])
def test_tc_is_converged_in_the_cutoff(case, al_spectrum):
    # eliashberg.md §2: doubling ω_c with μ* rescaled must change Tc by < 0.3 %.
    sp = al_spectrum if case == "al" else gaussian_peak(15.0, 2.0, 0.8)
    a = solve_tc(sp, 0.12, rtol=1e-6)
    b = solve_tc(sp, 0.12, cutoff_meV=2 * a.cutoff_meV, rtol=1e-6)
    assert b.mustar_at_cutoff > a.mustar_at_cutoff
    assert abs(b.tc_K / a.tc_K - 1) < 3e-3


def test_no_superconductivity_is_a_result():
    r = solve_tc(einstein(10.0, 0.15), 0.2, t_min_K=0.05)
    assert r.tc_K is None
    assert r.t_min_K == 0.05
    assert r.to_dict()["tc_K"] is None


def test_dense_and_lanczos_agree_and_pick_largest_algebraic(monkeypatch):
    # second method: dense LAPACK vs matrix-free Lanczos on FFT products; with a large μ* the
    # most negative eigenvalue is the largest in magnitude, yet ρ must be the largest algebraic.
    prob = LinearizedOperator([einstein(10.0, 0.5)], [2.0], 120.0)
    st = prob.setup(1.0)
    vals = np.linalg.eigvalsh(prob.dense_matrix(st))
    assert abs(vals[0]) > abs(vals[-1])
    monkeypatch.setattr(op, "DENSE_MAX", 10**9)
    rho_dense = prob.eigen(1.0)[0]
    monkeypatch.setattr(op, "DENSE_MAX", 0)
    rho_lanczos, _, info = prob.eigen(1.0)
    assert info["method"] == "lanczos"
    assert rho_dense == pytest.approx(vals[-1], rel=1e-12)
    assert rho_lanczos == pytest.approx(vals[-1], rel=1e-9)


def test_low_tc_regime_is_matrix_free_and_brackets_the_root():
    # issue 2 low-Tc case: Ω_E = 10 meV, λ = 0.3, μ* = 0.1 at 10 meV, cutoff 400 meV, on the
    # full grid (the compressed default is compared with it in test_operator.py)
    r = solve_tc(einstein(10.0, 0.3), 0.1, mustar_at_meV=10.0, cutoff_meV=400.0, grid="full")
    assert 0.01 < r.tc_K < 0.1
    assert r.eigen_method == "lanczos" and r.n_matsubara > 5000
    prob = LinearizedOperator([einstein(10.0, 0.3)], [r.mustar_at_cutoff], 400.0)
    assert prob.eigen(r.tc_K * 0.99)[0] > 1 > prob.eigen(r.tc_K * 1.01)[0]


def test_resolve_coupling_defaults_and_errors():
    sp = einstein(20.0, 1.0)
    cs = resolve_coupling(sp, 0.1)
    assert cs.cutoff_meV == 200.0 and cs.mustar_at_meV == 20.0
    assert 1 / cs.mustar_at_cutoff == pytest.approx(1 / 0.1 + np.log(20.0 / 200.0))
    with pytest.raises(ValueError):
        resolve_coupling(sp, -0.1)
    with pytest.raises(ValueError):
        resolve_coupling(sp, 0.1, cutoff_meV=-1)
    with pytest.raises(ValueError):
        solve_tc(sp, 0.1, t_min_K=0)


def test_stack_input_validation():
    with pytest.raises(ValueError):
        LinearizedOperator([einstein(10, 1)], [0.1, 0.2], 100)
    with pytest.raises(ValueError):
        LinearizedOperator([einstein(10, 1), einstein(10, 1)], [0.1, 0.1], 100, [1.0])
    with pytest.raises(ValueError):
        LinearizedOperator([einstein(10, 1), einstein(10, 1)], [0.1, 0.1], 100, [-1.0], [1, 1])


def test_pairing_eigenvalue_crosses_one_at_tc():
    # ρ(Tc) = 1 defines Tc (eliashberg.md §2.1); ρ > 1 below, < 1 above.
    sp = einstein(10.0, 1.0)
    tc = solve_tc(sp, 0.12, mustar_at_meV=250, cutoff_meV=250, rtol=1e-8).tc_K
    assert el.pairing_eigenvalue(sp, tc, 0.12, 250.0) == pytest.approx(1.0, abs=1e-6)
    assert el.pairing_eigenvalue(sp, 0.9 * tc, 0.12, 250.0) > 1.0
    assert el.pairing_eigenvalue(sp, 1.1 * tc, 0.12, 250.0) < 1.0


def test_low_tc_memory_is_linear_in_n():
    # issue 2: a 0.1 K superconductor with a 300 meV cutoff must run in well under 1 GB.
    # Matrix-free: peak Python allocations stay at O(N) (N ≈ 5500 here; a dense matrix alone
    # would be 240 MB).
    import tracemalloc

    prob = LinearizedOperator([einstein(10.0, 0.3)], [0.15], 300.0)
    tracemalloc.start()
    rho, _, info = prob.eigen(0.1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert info["n_matsubara"] > 5000 and info["method"] == "lanczos"
    assert peak < 50e6
