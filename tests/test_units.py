"""Energy-unit conversions (CODATA 2018)."""

import pytest

from tcpredict.units import K_B_MEV_PER_K, energy_factor_to_meV


@pytest.mark.parametrize("unit,factor", [
    ("meV", 1.0), ("eV", 1000.0), ("THz", 4.135667696),  # h·1 THz = 4.135667696 meV
    ("Ry", 13605.693122994), ("Ha", 27211.386245988),  # CODATA 2018 Rydberg/Hartree energies
    ("cm-1", 0.12398419843320026), ("cm^-1", 0.12398419843320026),  # hc·1 cm⁻¹
    ("K", K_B_MEV_PER_K), ("kelvin", 0.08617333262),
])
def test_factors(unit, factor):
    assert energy_factor_to_meV(unit) == pytest.approx(factor, rel=1e-12)


def test_unknown_unit_lists_the_valid_ones():
    with pytest.raises(ValueError, match="valid units: meV, eV, THz"):
        energy_factor_to_meV("furlong")
