"""Shared fixtures: expensive spectra and solutions are built once per session."""

from pathlib import Path

import pytest

import tcpredict

DATA = Path(tcpredict.__file__).parent / "materials" / "data"


@pytest.fixture(scope="session")
def al_spectrum():
    """Al α²F, 5th α²F column (smearing 0.025) of the IsoME EPW file (eliashberg.md §4)."""
    from tcpredict.materials.loaders import load_alpha2f

    return load_alpha2f(DATA / "Al_a2F_IsoME_EPW.dat", unit="THz", column=5)
