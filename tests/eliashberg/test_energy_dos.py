"""Energy-dependent DOS in the Eliashberg equations (eliashberg.md §3)."""

import math

import numpy as np
import pytest
from scipy import integrate

from tcpredict.films.confinement import FreeElectronFilm
from tcpredict.eliashberg.tc import solve_tc
from tcpredict.eliashberg.energy_dos import (
    EnergyDOS,
    _Grid,
    solve_gap_dos,
    solve_normal_state_dos,
    solve_tc_dos,
)
from tcpredict.eliashberg.gap import solve_gap
from tcpredict.eliashberg.matsubara import kernel_sequence, n_matsubara, normal_state_zomega_meV
from tcpredict.eliashberg.spectra import einstein
from tcpredict.units import K_B_MEV_PER_K

# Einstein model: Ω_E = 20 meV, λ = 1, μ* = 0.1 at the cutoff ω_c = 200 meV (= 10 Ω_E).
OMEGA_E, LAM, MU, WC = 20.0, 1.0, 0.1, 200.0


@pytest.fixture(scope="module")
def sp():
    return einstein(OMEGA_E, LAM)


@pytest.fixture(scope="module")
def tc_const(sp):
    return solve_tc(sp, MU, mustar_at_meV=WC, cutoff_meV=WC, rtol=1e-8).tc_K


def test_integrals_flat_infinite_band_analytic():
    # ñ ≡ 1 on [−W, W]: I0 = 2 arctan(W/E)/E·… exactly (E² = a² + φ²) and I1 = ½ ln of the edges
    d = EnergyDOS.flat(1e4)
    a = np.array([0.3, 3.0, 30.0, 3e3])
    c = np.array([0.0, 1.0, -2.0, 5.0])
    phi2 = np.array([0.0, 4.0, 0.0, 1.0])
    I0, I1 = d.integrals(a, c, phi2)
    E = np.sqrt(a * a + phi2)
    ref0 = (np.arctan((1e4 + c) / E) + np.arctan((1e4 - c) / E)) / E
    ref1 = 0.5 * np.log(((1e4 + c) ** 2 + E ** 2) / ((1e4 - c) ** 2 + E ** 2))
    np.testing.assert_allclose(I0, ref0, rtol=1e-9)
    np.testing.assert_allclose(I1, ref1, rtol=1e-8, atol=1e-12)


def test_integrals_film_dos_vs_quad():
    # film ñ(ξ; L) with its kink (confinement.md §2), against adaptive quadrature of the definition
    film = FreeElectronFilm(181.0)  # Al, n = 18.1e22 cm⁻³ (Ashcroft & Mermin Table 1.1)
    for L in (0.2, 2.0):
        d = EnergyDOS.from_film(film, L)
        xi = np.linspace(-d.band_bottom_meV, d.band_top_meV, 101)
        np.testing.assert_allclose(d.ntilde(xi), film.ntilde(xi, L), rtol=1e-13, atol=1e-15)
        a, c = 0.5, 3.0
        f0 = lambda x: float(film.ntilde(x, L)) / (a * a + (x + c) ** 2)  # noqa: E731
        f1 = lambda x: float(film.ntilde(x, L)) * (x + c) / (a * a + (x + c) ** 2)  # noqa: E731
        pts = [-c, *d.breakpoints_meV]
        r0 = integrate.quad(f0, -d.band_bottom_meV, d.band_top_meV, points=pts, limit=400,
                            epsabs=0, epsrel=1e-11)[0]
        r1 = integrate.quad(f1, -d.band_bottom_meV, d.band_top_meV, points=pts, limit=400,
                            epsabs=1e-12, epsrel=1e-11)[0]
        I0, I1 = d.integrals(np.array([a]), np.array([c]))
        assert I0[0] == pytest.approx(r0, rel=1e-8)
        # I_1 converges more slowly when the √ε branch point of ñ sits just above the kink near
        # the band bottom (L ≫ L_c); χ enters Tc only at O(χ/E_F), so 1e-4 is ample
        assert I1[0] == pytest.approx(r1, rel=1e-4)


def test_flat_wide_band_reproduces_constant_dos_tc(sp, tc_const):
    # eliashberg.md §3: ñ ≡ 1 on a band much wider than ω_c gives the constant-DOS Tc to 1e-4
    r = solve_tc_dos(sp, MU, EnergyDOS.flat(1e6), mustar_at_meV=WC, cutoff_meV=WC, rtol=1e-8)
    assert abs(r.tc_K / tc_const - 1) < 1e-4
    # the finite-band correction is O(ω/W): it scales like 1/W (factor 10 per decade of W)
    r4 = solve_tc_dos(sp, MU, EnergyDOS.flat(1e4), mustar_at_meV=WC, cutoff_meV=WC, rtol=1e-8)
    r5 = solve_tc_dos(sp, MU, EnergyDOS.flat(1e5), mustar_at_meV=WC, cutoff_meV=WC, rtol=1e-8)
    ratio = (r4.tc_K / tc_const - 1) / (r5.tc_K / tc_const - 1)
    assert ratio == pytest.approx(10.0, rel=0.02)


def test_flat_normal_state_is_the_telescoped_constant_dos(sp, tc_const):
    # ñ ≡ 1, W → ∞: ω_nZ_n is the telescoped sum (eliashberg.md §2), χ = 0, w = πk_BT/(ω_nZ_n)
    T = tc_const
    N = n_matsubara(T, WC)
    ns = solve_normal_state_dos(EnergyDOS.flat(1e10), lambda k: kernel_sequence(sp, T, k), T, N)
    zc = normal_state_zomega_meV(kernel_sequence(sp, T, 2 * N), T, N)
    np.testing.assert_allclose(ns.zomega_meV[:N], zc, rtol=1e-6)
    np.testing.assert_allclose(ns.weights, np.pi * K_B_MEV_PER_K * T / zc, rtol=1e-6)
    assert np.abs(ns.chi_meV).max() < 1e-10


def test_symmetric_dos_has_no_chi(sp, tc_const):
    # ñ(ξ) = ñ(−ξ) on a symmetric band: the χ integrand is odd ⇒ χ_n = 0 (eliashberg.md §3)
    E = 3000.0
    d = EnergyDOS(lambda x: 1.0 + 0.7 * (np.asarray(x) / E) ** 2, E, E, name="1 + 0.7 (ξ/E)²")
    T = tc_const
    ns = solve_normal_state_dos(d, lambda k: kernel_sequence(sp, T, k), T, n_matsubara(T, WC))
    assert np.abs(ns.chi_meV).max() < 1e-9


def test_tail_factor_convergence(sp, tc_const):
    d = EnergyDOS.linear(0.5, 2000.0)
    t2 = solve_tc_dos(sp, MU, d, mustar_at_meV=WC, cutoff_meV=WC, tail_factor=2, rtol=1e-8)
    t8 = solve_tc_dos(sp, MU, d, mustar_at_meV=WC, cutoff_meV=WC, tail_factor=8, rtol=1e-8)
    assert abs(t2.tc_K / t8.tc_K - 1) < 1e-6


def test_linear_dos_shift_matches_perturbative_estimate(sp, tc_const):
    """ñ = 1 + aξ/E_F on [−E_F, E_F] (eliashberg.md §3).

    Perturbative estimate (derived here). With δμ = 0, the χ integrand gives
    I_1 = ∫ñ ξ/(a²+ξ²) ≈ (a/E_F)∫ξ²/(ξ²+…) dξ ≈ 2a for every ω_m ≪ E_F, so
    χ_n ≈ −k_BT Σ_m λ(n−m)·2a = −2aκ with κ = k_BT Σ_k λ(ν_k) = ∫α²F dΩ = λΩ_E/2.
    The quasiparticles near the Fermi level then see ñ(−χ) = 1 + 2a²κ/E_F: Z, the pairing
    weights and the μ* term all scale by s = 1 + 2a²κ/E_F, i.e. the constant-DOS problem with
    λ → sλ and μ* → sμ*. The leading shift is therefore even in a, positive, and of order
    λΩ_E/E_F (~ω_c/E_F). It is compared, relative to the flat band of the same width (which
    carries the band-edge correction common to both), with the constant-DOS solver at (sλ, sμ*).
    Particle-number conservation removes it: δμ absorbs the constant part of χ.
    """
    E = 2000.0
    kappa = LAM * OMEGA_E / 2.0
    flat = solve_tc_dos(sp, MU, EnergyDOS.flat(E), mustar_at_meV=WC, cutoff_meV=WC, rtol=1e-8)
    for a in (0.5, 1.0):
        s = 1.0 + 2.0 * a * a * kappa / E
        pred = (solve_tc(sp.scaled(s), MU * s, mustar_at_meV=WC, cutoff_meV=WC, rtol=1e-8).tc_K
                / tc_const - 1.0)
        plus = solve_tc_dos(sp, MU, EnergyDOS.linear(a, E), mustar_at_meV=WC, cutoff_meV=WC,
                            rtol=1e-8)
        shift = plus.tc_K / flat.tc_K - 1.0
        assert shift > 0
        assert shift == pytest.approx(pred, rel=0.15)
        minus = solve_tc_dos(sp, MU, EnergyDOS.linear(-a, E), mustar_at_meV=WC, cutoff_meV=WC,
                             rtol=1e-8)
        # mirror symmetry ξ → −ξ of the symmetric band: Tc(a) = Tc(−a)
        assert minus.tc_K == pytest.approx(plus.tc_K, rel=1e-7)
    cons = solve_tc_dos(sp, MU, EnergyDOS.linear(1.0, E), mustar_at_meV=WC, cutoff_meV=WC,
                        rtol=1e-8, conserve_number=True)
    assert abs(cons.tc_K / flat.tc_K - 1.0) < 0.2 * shift


def test_number_difference_is_the_fermi_function_integral():
    # No interaction (λ ≡ 0): a = ω_n, c = −δμ, so ν − ν₀ = ∫ñ(ξ)[f(ξ − δμ) − f(ξ)] dξ exactly
    d = EnergyDOS.linear(0.8, 500.0, 800.0)
    T = 20.0
    t = K_B_MEV_PER_K * T
    N = 40
    g = _Grid(d, lambda k: np.zeros(k), T, N, 4.0)
    for dmu in (-3.0, 0.5, 7.0):
        I1 = d.integrals(g.wn, np.full(g.M, -dmu))[1]
        _, I1t = g.tail(0.0, dmu)
        got = g.number_difference_meV(I1, I1t)

        def fermi(x):
            return 0.5 * (1 - np.tanh(x / (2 * t)))

        ref = integrate.quad(lambda x: float(d.ntilde(np.array([x]))[0])
                             * (fermi(x - dmu) - fermi(x)), -500.0, 800.0, points=[0.0, dmu],
                             limit=200)[0]
        assert got == pytest.approx(ref, rel=2e-3)


def test_nonlinear_flat_gap_equals_constant_dos_gap(sp, tc_const):
    # ñ ≡ 1 on a band of 10⁹ meV: Δ(iω_n), Z(iω_n) of tcpredict.eliashberg.gap.solve_gap to ~1e-6
    T = 0.5 * tc_const
    g = solve_gap(sp, MU, T, mustar_at_meV=WC, cutoff_meV=WC, tc_K=tc_const)
    gd = solve_gap_dos(sp, MU, T, EnergyDOS.flat(1e9), mustar_at_meV=WC, cutoff_meV=WC,
                       tc_K=tc_const)
    assert gd.superconducting
    scale = float(g.delta_meV.max())
    assert np.max(np.abs(gd.delta_meV - g.delta_meV[0])) / scale < 1e-6
    assert np.max(np.abs(gd.z - g.z[0])) < 1e-6
    assert np.abs(gd.chi_meV).max() < 1e-9
    # warm start from a neighbouring temperature converges to the same solution
    gw = solve_gap_dos(sp, MU, T, EnergyDOS.flat(1e9), mustar_at_meV=WC, cutoff_meV=WC,
                       start=solve_gap_dos(sp, MU, 0.6 * tc_const, EnergyDOS.flat(1e9),
                                           mustar_at_meV=WC, cutoff_meV=WC, tc_K=tc_const))
    assert np.max(np.abs(gw.delta_meV - gd.delta_meV)) / scale < 1e-8


def test_nonlinear_above_tc_collapses(sp, tc_const):
    gd = solve_gap_dos(sp, MU, 1.05 * tc_const, EnergyDOS.flat(1e6), mustar_at_meV=WC,
                       cutoff_meV=WC, tc_K=tc_const)
    assert not gd.superconducting


def test_input_validation():
    with pytest.raises(ValueError, match="ñ\\(0\\) must be 1"):
        EnergyDOS(lambda x: 2.0 + 0 * np.asarray(x), 10.0, 10.0)
    with pytest.raises(ValueError, match="> 0 meV"):
        EnergyDOS.flat(-1.0)
    with pytest.raises(ValueError, match="negative"):
        EnergyDOS.linear(1.5, 100.0)
    with pytest.raises(ValueError, match="tail_factor"):
        solve_normal_state_dos(EnergyDOS.flat(100.0), lambda k: np.zeros(k), 1.0, 5,
                               tail_factor=0.5)
    assert math.isfinite(EnergyDOS.flat(100.0).number_below_fermi(10.0))
