"""Nonlinear Eliashberg equations below Tc."""

import numpy as np
import pytest

from tcpredict.eliashberg.operator import LinearizedOperator
from tcpredict.eliashberg.tc import ConvergenceError, find_tc, solve_tc
from tcpredict.eliashberg.gap import bcs_gap_guess_meV, gap_sweep, solve_gap, solve_gap_stack
from tcpredict.eliashberg.spectra import einstein
from tcpredict.units import K_B_MEV_PER_K

SP = einstein(10.0, 1.0)
KW = dict(mustar_at_meV=250.0, cutoff_meV=250.0)


@pytest.fixture(scope="module")
def tc():
    return solve_tc(SP, 0.12, **KW).tc_K


def test_cold_and_warm_starts_give_the_same_solution(tc):
    temps = np.linspace(0.95, 0.1, 8) * tc
    sweep = gap_sweep(SP, 0.12, temps, tc_K=tc, **KW)
    for T, warm in zip(temps, sweep):
        cold = solve_gap(SP, 0.12, T, tc_K=tc, **KW)
        assert cold.superconducting and warm.superconducting
        assert np.allclose(cold.delta_meV, warm.delta_meV, atol=1e-8, rtol=0)
        assert cold.delta_meV[0, 0] > 0  # gauge Δ(iω_0) > 0
    assert [s.start for s in sweep][1:] == ["warm"] * 7
    d0 = [s.delta_meV[0, 0] for s in sweep]
    assert np.all(np.diff(d0) > 0)  # gap grows as T falls


def test_above_tc_the_solution_is_normal(tc):
    g = solve_gap(SP, 0.12, 1.05 * tc, tc_K=tc, **KW)
    assert not g.superconducting
    assert np.all(g.delta_meV == 0)
    assert np.allclose(g.z, g.z_normal)


def test_gap_vanishes_as_square_root_at_tc():
    # mean-field (Ginzburg–Landau) behaviour Δ² ∝ (Tc − T) near a second-order transition.
    # Use the smooth cutoff so Δ(T) is continuous in T (see LinearizedOperator.smooth_cutoff).
    prob = LinearizedOperator([SP], [0.12], 250.0, smooth_cutoff=True)
    tcf, _ = find_tc(prob, 8.9, 1.0, rtol=1e-10)
    d = []
    for dl in (0.002, 0.004):
        g = solve_gap_stack(prob, tcf * (1 - dl), bcs_gap_guess_meV(tcf, tcf * (1 - dl)))
        d.append(g.delta_meV[0, 0] ** 2)
    assert d[1] / d[0] == pytest.approx(2.0, rel=0.01)


def test_weak_coupling_gap_is_bcs():
    # BCS: Δ(0) = 1.764 k_B Tc (weak coupling, λ → 0); at T = 0.1 Tc the BCS gap is Δ(0) to
    # better than 1e-6. Einstein Ω = 100 meV, λ = 0.3, μ* = 0: strong-coupling corrections
    # 12.5 (Tc/ω_log)² ln(ω_log/2Tc) ≈ 0.3 % (Carbotte, Rev. Mod. Phys. 62, 1027 (1990)).
    sp = einstein(100.0, 0.3)
    tc = solve_tc(sp, 0.0, cutoff_meV=600.0).tc_K
    g = solve_gap(sp, 0.0, 0.1 * tc, tc_K=tc, cutoff_meV=600.0)
    assert g.delta_meV[0, 0] / (K_B_MEV_PER_K * tc) == pytest.approx(1.764, rel=5e-3)
    assert g.z[0, 0] == pytest.approx(1.3, rel=1e-3)  # Z → 1 + λ at low frequency


def test_non_convergence_is_reported(tc):
    with pytest.raises(ConvergenceError, match="did not converge"):
        solve_gap(SP, 0.12, 0.5 * tc, tc_K=tc, maxiter=3, **KW)


def test_bad_temperature_is_rejected():
    with pytest.raises(ValueError):
        solve_gap(SP, 0.12, -1.0, **KW)
    with pytest.raises(ValueError):
        gap_sweep(SP, 0.12, [1.0, 0.0], tc_K=9.0, **KW)


def test_bcs_guess():
    assert bcs_gap_guess_meV(10.0, 11.0) == 0.0
    assert bcs_gap_guess_meV(10.0, 0.1) == pytest.approx(1.764 * K_B_MEV_PER_K * 10.0, rel=1e-6)


def test_sweep_downward_order_and_warm_starts():
    # the shared sweep of the gap, multiband and stack sweeps: solved from the highest T down,
    # each warm-started from the result above when that one is superconducting, returned in
    # the caller's order
    from types import SimpleNamespace

    from tcpredict.eliashberg.gap import sweep_downward
    from tcpredict.limits import check_temperatures

    calls = []

    def at(T, warm):
        calls.append((T, None if warm is None else warm.T))
        return SimpleNamespace(T=T, superconducting=T < 5.0)

    seen = []
    res = sweep_downward([2.0, 6.0, 1.0, 4.0], at, progress=lambda d, n: seen.append((d, n)))
    assert [r.T for r in res] == [2.0, 6.0, 1.0, 4.0]
    assert calls == [(6.0, None), (4.0, None), (2.0, 4.0), (1.0, 2.0)]
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    for bad in ([], [1.0, 0.0], [float("nan")], [1e9]):
        with pytest.raises(ValueError, match="temperatures must be finite"):
            check_temperatures(bad)
