"""Tests of tcpredict.eliashberg.spectra (the lead's Alpha2F and model spectra) against analytic results."""

import numpy as np
import pytest
from scipy import integrate

from tcpredict.eliashberg import spectra
from tcpredict.eliashberg.spectra import Alpha2F


# ----------------------------------------------------------------------------- Einstein
def test_einstein_moments_and_analytic_kernel():
    om, lam = 12.5, 1.7
    e = spectra.einstein(om, lam)
    # delta of weight λΩ_E/2: λ = 2·(λΩ_E/2)/Ω_E; ω_log = ω̄₂ = Ω_E (eliashberg.md §1)
    assert e.lam == pytest.approx(lam, rel=1e-15)
    assert e.omega_log_meV == pytest.approx(om, rel=1e-15)
    assert e.omega2_meV == pytest.approx(om, rel=1e-15)
    assert e.omega_max_meV == om and e.is_einstein
    nu = np.array([0.0, 1.0, 12.5, 100.0, 1e4])
    # analytic kernel λΩ_E²/(Ω_E² + ν²) (eliashberg.md §1)
    np.testing.assert_allclose(e.kernel(nu), lam * om**2 / (om**2 + nu**2), rtol=1e-15)
    assert e.kernel(np.zeros((2, 3))).shape == (2, 3)


# ----------------------------------------------------------------------------- normalisation
@pytest.mark.parametrize("maker", [
    lambda: spectra.gaussian_peak(15.0, 2.0, 0.8),
    lambda: spectra.lorentzian_peak(15.0, 1.0, 0.8),
    lambda: spectra.debye(30.0, 0.8),
])
def test_model_spectra_normalised_to_lambda(maker):
    a = maker()
    assert a.lam == pytest.approx(0.8, rel=1e-13)
    assert np.all(a.values >= 0) and np.all(a.omega_meV > 0)


def test_gaussian_moments_match_quad():
    c, s, lam = 15.0, 2.0, 0.8
    a = spectra.gaussian_peak(c, s, lam)

    def g(w):
        return np.exp(-0.5 * ((w - c) / s) ** 2)
    lo, hi = c - 6 * s, c + 6 * s
    norm = lam / (2 * integrate.quad(lambda w: g(w) / w, lo, hi, epsabs=0, epsrel=1e-12)[0])
    wlog = np.exp(2 / lam * norm * integrate.quad(lambda w: np.log(w) * g(w) / w, lo, hi)[0])
    w2 = np.sqrt(2 / lam * norm * integrate.quad(lambda w: w * g(w), lo, hi)[0])
    assert a.omega_log_meV == pytest.approx(wlog, rel=1e-5)
    assert a.omega2_meV == pytest.approx(w2, rel=1e-5)
    assert a.sampled(c) / norm == pytest.approx(1.0, rel=1e-4)  # peak height


def test_lorentzian_peak_position_and_width():
    a = spectra.lorentzian_peak(20.0, 1.5, 0.5)
    k = int(np.argmax(a.values))
    assert a.omega_meV[k] == pytest.approx(20.0, abs=0.05)
    half = a.values[k] / 2  # half maximum at Ω₀ ± γ
    assert a.sampled(21.5) == pytest.approx(half, rel=2e-3)
    assert a.sampled(18.5) == pytest.approx(half, rel=2e-3)


def test_debye_continuum_moments():
    # α²F ∝ Ω² on (0, Ω_D]: weight 2α²F/(λΩ) = 2Ω/Ω_D² → ω_log = Ω_D e^{−1/2},
    # ω̄₂ = Ω_D/√2 (analytic; the table starts at Ω_D/n so agreement is O(1/n²)-ish)
    od = 30.0
    a = spectra.debye(od, 0.5, n=2000)
    assert a.omega_log_meV == pytest.approx(od * np.exp(-0.5), rel=1e-5)
    assert a.omega2_meV == pytest.approx(od / np.sqrt(2), rel=1e-5)
    assert a.omega_max_meV == pytest.approx(od)


# ----------------------------------------------------------------------------- from_moments
@pytest.mark.parametrize("lam,wlog,w2", [(0.418, 26.47, 29.19), (1.55, 4.83, 5.2),
                                         (0.3, 10.0, 15.0)])
def test_from_moments_reproduces_moments(lam, wlog, w2):
    # Al moments from eliashberg.md §4; Pb λ, ω_log from eliashberg.md §4 (ω̄₂ illustrative)
    a = spectra.from_moments(lam, wlog, w2)
    assert a.lam == pytest.approx(lam, rel=1e-12)
    assert a.omega_log_meV == pytest.approx(wlog, rel=1e-4)
    assert a.omega2_meV == pytest.approx(w2, rel=1e-4)
    assert "moments" in a.source


def test_from_moments_degenerate_is_einstein_and_impossible_rejected():
    a = spectra.from_moments(0.7, 10.0, 10.0)
    assert a.is_einstein and a.lam == pytest.approx(0.7)
    with pytest.raises(ValueError, match="impossible"):
        spectra.from_moments(0.7, 10.0, 9.0)


# ----------------------------------------------------------------------------- algebra
def test_sum_is_additive_in_lambda_and_kernel():
    e = spectra.einstein(8.0, 0.4)
    g = spectra.gaussian_peak(20.0, 2.0, 0.6)
    s = e + g
    assert s.lam == pytest.approx(1.0, rel=1e-13)
    nu = np.linspace(0, 100, 11)
    np.testing.assert_allclose(s.kernel(nu), e.kernel(nu) + g.kernel(nu), rtol=1e-13)
    # two tables on different grids: linear interpolation onto the union grid changes the
    # trapezoid sums only at the discretisation level
    t = spectra.gaussian_peak(10.0, 1.5, 0.3) + g
    assert t.lam == pytest.approx(0.9, rel=1e-4)


def test_scaled_keeps_frequencies():
    g = spectra.gaussian_peak(20.0, 2.0, 0.6)
    h = g.scaled(1.5)
    assert h.lam == pytest.approx(0.9, rel=1e-14)
    assert h.omega_log_meV == pytest.approx(g.omega_log_meV, rel=1e-14)
    assert h.omega2_meV == pytest.approx(g.omega2_meV, rel=1e-14)
    assert (2 * g).lam == pytest.approx(1.2, rel=1e-14)
    with pytest.raises(ValueError):
        g.scaled(0.0)


def test_kernel_at_zero_is_lambda():
    for a in (spectra.gaussian_peak(20.0, 2.0, 0.6), spectra.debye(25.0, 0.4),
              spectra.from_moments(0.9, 13.5, 15.9) + spectra.einstein(30.0, 0.2)):
        assert a.kernel(0.0) == pytest.approx(a.lam, rel=1e-14)


def test_kernel_against_scipy_quad_for_smooth_spectrum():
    # α²F(Ω) = 0.01 Ω² e^{−Ω/4} tabulated finely on [0.01, 120] meV; the table's kernel
    # must match the continuum integral ∫ 2Ω α²F/(Ω²+ν²) dΩ computed by adaptive quadrature
    def f(w):
        return 0.01 * w**2 * np.exp(-w / 4.0)
    om = np.linspace(0.01, 120.0, 40001)
    a = Alpha2F(om, f(om))
    for nu in (0.0, 0.5, 5.0, 40.0, 500.0):
        ref = integrate.quad(lambda w: 2 * w * f(w) / (w**2 + nu**2), 0.01, 120.0,
                             epsabs=0, epsrel=1e-12, limit=200)[0]
        assert a.kernel(nu) == pytest.approx(ref, rel=1e-6)
    # kernel is even and decreasing in ν
    nus = np.linspace(0, 200, 50)
    k = a.kernel(nus)
    assert np.all(np.diff(k) < 0)
    np.testing.assert_allclose(a.kernel(-nus), k, rtol=1e-15)


def test_kernel_blocking_does_not_change_result():
    a = spectra.from_moments(0.9, 13.5, 15.9)
    nu = np.linspace(0, 300, 1001)
    np.testing.assert_allclose(a.kernel(nu, block=7), a.kernel(nu), rtol=1e-14)


def test_moments_dict_has_unit_keys():
    m = spectra.einstein(10.0, 1.0).moments()
    assert set(m) == {"lambda", "omega_log_meV", "omega2_meV", "omega_max_meV"}


# ----------------------------------------------------------------------------- validation
def test_alpha2f_validation():
    with pytest.raises(ValueError, match="strictly increasing"):
        Alpha2F([1.0, 1.0, 2.0], [0.1, 0.1, 0.1])
    with pytest.raises(ValueError, match="≥ 0"):
        Alpha2F([1.0, 2.0], [0.1, -0.1])
    with pytest.raises(ValueError, match="> 0 meV"):
        Alpha2F([0.0, 2.0], [0.1, 0.1])
    with pytest.raises(ValueError, match="empty"):
        Alpha2F([1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="NaN"):
        Alpha2F([1.0, 2.0], [0.1, np.nan])
    with pytest.raises(ValueError):
        spectra.einstein(-1.0, 1.0)
    a = spectra.einstein(10.0, 1.0)
    with pytest.raises(AttributeError):
        a.source = "x"  # frozen
