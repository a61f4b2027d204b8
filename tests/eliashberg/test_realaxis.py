"""Padé continuation to the real axis."""

import numpy as np
import pytest

from tcpredict.eliashberg.tc import solve_tc
from tcpredict.eliashberg.gap import solve_gap
from tcpredict.eliashberg.realaxis import PadeContinuation, continue_gap
from tcpredict.eliashberg.spectra import einstein
from tcpredict.units import K_B_MEV_PER_K


def test_pade_reproduces_a_rational_function_exactly():
    # second method: a rational function of low degree is its own Padé approximant.
    f = lambda z: (z + 1.0) / (z ** 2 + 2.0 * z + 3.0)  # noqa: E731
    zn = 1j * np.pi * 0.1 * (2 * np.arange(20) + 1)
    p = PadeContinuation(zn, f(zn))
    x = np.linspace(-3, 3, 7) + 0.01j
    assert np.allclose(p(x), f(x), rtol=1e-10)


def test_weak_coupling_ratio_is_bcs():
    # eliashberg.md §4: weak coupling, μ* = 0: 2Δ₀/k_BTc → 3.53 (BCS 3.528).
    sp = einstein(100.0, 0.3)
    tc = solve_tc(sp, 0.0, cutoff_meV=600.0, rtol=1e-7).tc_K
    ra = continue_gap(solve_gap(sp, 0.0, 0.1 * tc, tc_K=tc, cutoff_meV=600.0))
    assert ra.two_delta_over_kT(tc) == pytest.approx(3.53, rel=0.01)
    assert ra.n_pade == 128
    # quasiparticle DOS: no states inside the gap, BCS-like peak above it, → 1 far above
    inside = ra.omega_meV < 0.95 * ra.delta0_meV
    assert np.all(ra.dos[inside] < 1e-6)
    assert ra.dos[(ra.omega_meV > ra.delta0_meV)].max() > 3
    assert ra.dos[-1] == pytest.approx(1.0, abs=0.02)


def test_pb_like_strong_coupling_ratio():
    # eliashberg.md §4: Pb (λ ≈ 1.55, ω_log ≈ 4.83 meV, μ* ≈ 0.12): 2Δ₀/k_BTc ≈ 4.4–4.5.
    sp = einstein(4.83, 1.55)
    tc = solve_tc(sp, 0.12).tc_K
    ra = continue_gap(solve_gap(sp, 0.12, 0.1 * tc, tc_K=tc))
    assert 4.4 <= ra.two_delta_over_kT(tc) <= 4.5
    # the edge does not depend on the number of Padé points (64 vs 128)
    ra64 = continue_gap(solve_gap(sp, 0.12, 0.1 * tc, tc_K=tc), n_pade=64)
    assert ra64.delta0_meV == pytest.approx(ra.delta0_meV, rel=1e-4)


def test_continuation_errors():
    sp = einstein(10.0, 1.0)
    g = solve_gap(sp, 0.1, 100.0, tc_K=8.0)
    with pytest.raises(ValueError, match="normal"):
        continue_gap(g)
    with pytest.raises(ValueError):
        PadeContinuation([1j], [1.0])
    g2 = solve_gap(sp, 0.1, 2.0)
    with pytest.raises(ValueError):
        continue_gap(g2, n_pade=10**6)
    assert K_B_MEV_PER_K > 0


@pytest.mark.parametrize("lam,omega,mu,cut,shape", [(0.3, 100.0, 0.0, 600.0, "einstein"),
                                                    (1.55, 4.83, 0.12, None, "einstein"),
                                                    (1.0, 15.0, 0.1, None, "gaussian")])
def test_msc_exact_continuation_agrees_with_pade(lam, omega, mu, cut, shape):
    # second method: the Marsiglio–Schossmann–Carbotte real-axis equations (exact, PRB 37,
    # 4965 (1988)) and Padé must give the same gap edge and Δ(ω) near it.
    from tcpredict.eliashberg.realaxis import continue_gap_msc
    from tcpredict.eliashberg.spectra import gaussian_peak

    sp = einstein(omega, lam) if shape == "einstein" else gaussian_peak(omega, 2.0, lam, n=101)
    tc = solve_tc(sp, mu, cutoff_meV=cut).tc_K
    g = solve_gap(sp, mu, 0.1 * tc, tc_K=tc, cutoff_meV=cut)
    pade = continue_gap(g)
    msc = continue_gap_msc(g, sp, start=pade)
    assert msc.delta0_meV == pytest.approx(pade.delta0_meV, rel=1e-4)
    k = np.searchsorted(msc.omega_meV, 1.5 * pade.delta0_meV)
    dp = pade.delta_meV[np.searchsorted(pade.omega_meV, msc.omega_meV[k])]
    assert abs(msc.delta_meV[k] - dp) < 2e-3 * abs(dp)
    assert "Marsiglio" in msc.method
    # cold start (constant Δ) converges to the same solution
    cold = continue_gap_msc(g, sp)
    assert cold.delta0_meV == pytest.approx(msc.delta0_meV, rel=1e-6)
