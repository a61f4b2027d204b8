"""Tests of tcpredict.eliashberg.closed_forms (McMillan 1968, Allen–Dynes 1975)."""

from pathlib import Path

import numpy as np
import pytest

from tcpredict.eliashberg import spectra
from tcpredict.eliashberg.closed_forms import allen_dynes_from_spectrum, allen_dynes_tc_K, mcmillan_tc_K
from tcpredict.materials.loaders import load_alpha2f

SHARED = Path("/work/shared/data")
PKG_DATA = Path(__file__).parents[2] / "src" / "tcpredict" / "materials" / "data"
AL_FILE = PKG_DATA / "Al_a2F_IsoME_EPW.dat" if (PKG_DATA / "Al_a2F_IsoME_EPW.dat").exists() \
    else SHARED / "Al_a2F_IsoME_EPW.dat"


def test_mcmillan_hand_computed():
    # Θ_D = 100 K, λ = 1, μ* = 0.1 (hand calculation, McMillan formula of eliashberg.md §1):
    # denominator 1 − 0.1·1.62 = 0.838; exponent −2.08/0.838 = −2.482100;
    # e^−2.482100 = 0.0835675; 100/1.45 = 68.96552 → Tc = 5.76328 K
    assert mcmillan_tc_K(100.0, 1.0, 0.1) == pytest.approx(5.76328, rel=2e-6)


def test_allen_dynes_hand_computed():
    # λ = 1, ω_log = 10 meV, ω̄₂ = 12 meV, μ* = 0.1 (hand calculation, eliashberg.md §1):
    # Λ₁ = 2.46·1.38 = 3.3948, f₁ = [1 + (1/3.3948)^1.5]^{1/3} = 1.050680;
    # Λ₂ = 1.82·1.63·1.2 = 3.55992, f₂ = 1 + 0.2/(1 + 3.55992²) = 1.014627;
    # ω_log/(1.2 k_B) = 10/(1.2·0.08617333262) K = 96.70432 K; exp factor 0.0835675
    # → Tc = 1.050680 · 1.014627 · 96.70432 · 0.0835675 = 8.61510 K
    assert allen_dynes_tc_K(1.0, 10.0, 12.0, 0.1) == pytest.approx(8.61510, rel=2e-6)


def test_allen_dynes_al_reference():
    # eliashberg.md §4: Al (5th α²F column), μ* = 0.12 → Allen–Dynes Tc = 1.04 K
    a = load_alpha2f(AL_FILE, unit="THz", column=5)
    assert allen_dynes_from_spectrum(a, 0.12) == pytest.approx(1.04, abs=5e-3)


def test_allen_dynes_reduces_to_mcmillan_prefactor_when_f_corrections_vanish():
    # ω̄₂ = ω_log → f₂ = 1; λ → small → f₁ → 1; then AD/McMillan = (ω_log/1.2)/(Θ_D/1.45)
    lam, mu = 0.3, 0.0
    wlog = 10.0
    theta = 1.45 * wlog / 0.08617333262 / 1.2  # Θ_D chosen to make the prefactors equal
    f1 = (1 + (lam / 2.46) ** 1.5) ** (1 / 3)
    ad = allen_dynes_tc_K(lam, wlog, wlog, mu)
    assert ad == pytest.approx(f1 * mcmillan_tc_K(theta, lam, mu), rel=1e-13)


@pytest.mark.parametrize("lam,mu", [(0.1, 0.1), (0.0, 0.1), (0.1062, 0.1), (0.2, 0.2)])
def test_zero_when_no_superconductivity(lam, mu):
    # λ ≤ μ*(1+0.62λ) → exactly 0 (eliashberg.md §1): 0.1062 ≤ 0.1·(1+0.62·0.1062) = 0.106584
    assert mcmillan_tc_K(300.0, lam, mu) == 0.0
    assert allen_dynes_tc_K(lam, 20.0, 25.0, mu) == 0.0


def test_vectorised_and_broadcast():
    lam = np.linspace(0.05, 2.0, 40)
    tc = allen_dynes_tc_K(lam, 10.0, 12.0, 0.1)
    assert tc.shape == (40,)
    assert np.all(tc >= 0) and np.all(np.isfinite(tc))
    pos = tc > 0
    assert np.all(np.diff(tc[pos]) > 0)  # Tc grows with λ at fixed μ*
    grid = mcmillan_tc_K(np.array([[100.0], [200.0]]), lam[None, :], 0.1)
    assert grid.shape == (2, 40)
    np.testing.assert_allclose(grid[1], 2 * grid[0], rtol=1e-14)  # Tc ∝ Θ_D
    for k in (0, 17, 39):
        assert tc[k] == allen_dynes_tc_K(lam[k], 10.0, 12.0, 0.1)
    mus = np.array([0.0, 0.1, 0.2])
    assert np.all(np.diff(allen_dynes_tc_K(1.0, 10.0, 12.0, mus)) < 0)  # Tc falls with μ*


def test_einstein_spectrum_helper_matches_moments():
    e = spectra.einstein(15.0, 1.2)
    # Einstein: ω_log = ω̄₂ = Ω_E (eliashberg.md §1 moments of a delta)
    assert allen_dynes_from_spectrum(e, 0.1) == pytest.approx(
        allen_dynes_tc_K(1.2, 15.0, 15.0, 0.1), rel=1e-12)


def test_input_validation():
    with pytest.raises(ValueError, match="theta_d_K must be > 0"):
        mcmillan_tc_K(-1.0, 1.0, 0.1)
    with pytest.raises(ValueError, match="lambda must be ≥ 0"):
        allen_dynes_tc_K(-0.5, 10.0, 12.0, 0.1)
    with pytest.raises(ValueError, match="mustar must be ≥ 0"):
        allen_dynes_tc_K(1.0, 10.0, 12.0, -0.1)
    with pytest.raises(ValueError, match="omega2_meV must be ≥ omega_log_meV"):
        allen_dynes_tc_K(1.0, 10.0, 9.0, 0.1)
    with pytest.raises(ValueError, match="must be finite"):
        mcmillan_tc_K(100.0, np.nan, 0.1)
    with pytest.raises(TypeError):
        allen_dynes_from_spectrum("Al", 0.1)
