"""Bounds on inputs and resources, checked at the door (README "Limits").

Every public constructor and loader refuses a value outside these bounds with a ``ValueError``
that names the parameter and the valid range, before anything is allocated or solved. The
physical bounds are far outside every real material (so no real input is refused) but keep
the numbers inside the range where the solvers are exact and tested; the resource bounds keep
memory and work finite. Bounds kept next to the code that uses them (and listed in README
"Limits" too): ``MAX_MATSUBARA`` (full grid, :mod:`tcpredict.eliashberg.operator`),
``MAX_RANGE_POINTS`` (:mod:`tcpredict.cli.common`), ``MAX_DATASET_VALUES``
(:mod:`tcpredict.eliashberg.gapdata`), ``MAX_BANDS`` (:mod:`tcpredict.eliashberg.multiband`).
"""

from __future__ import annotations

import math

__all__ = [
    "MUSTAR_MAX", "MAX_LAMBDA", "MAX_PHONON_MEV", "MAX_ENERGY_MEV", "T_MAX_K",
    "MIN_THICKNESS_NM", "MAX_THICKNESS_NM", "DENSITY_RANGE_PER_NM3", "MAX_N0_PER_MEV_NM3",
    "SHEET_RESISTANCE_RANGE_OHM",
    "MAX_A2F_POINTS", "MAX_MATSUBARA_COMPRESSED", "MAX_COMPRESSED_SIZE", "MAX_LAYERS",
    "MAX_MAP_POINTS", "MAX_SCREEN_THICKNESSES", "MAX_TOP_ROWS",
    "as_float", "as_float_array", "check_mustar", "check_temperature", "check_energy",
    "check_thickness",
]

#: μ* is refused at or above 1. Morel & Anderson (Phys. Rev. 125, 1263 (1962)):
#: μ* = μ/[1 + μ ln(E_F/ω_c)] < 1/ln(E_F/ω_c), below 1 whenever E_F > e·ω_c, i.e. for every
#: metal at the phonon scale (docs/eliashberg.md §2); μ* ≥ 1 can only be a mistake.
MUSTAR_MAX = 1.0
#: Largest electron–phonon coupling λ of an α²F (real metals: λ < 5; the solver is tested to
#: λ = 100 and converges to λ ≈ 1e4).
MAX_LAMBDA = 1.0e3
#: Largest phonon energy Ω [meV] of an α²F (the highest phonons, H₂ vibrons, are ~0.5 eV);
#: above it an α²F file was almost certainly read in the wrong unit.
MAX_PHONON_MEV = 1.0e4
#: Largest cutoff or reference energy [meV] (μ* defined at, Matsubara cutoff, Γ is exempt:
#: Γ → ∞ is the Cooper limit): 1 keV, above every electronic energy of a metal.
MAX_ENERGY_MEV = 1.0e6
#: Highest temperature [K] any solver searches or accepts (the Tc root finders' ceiling).
T_MAX_K = 1.0e4
#: Film and layer thicknesses [nm]: from 1/30 of an atomic monolayer to 1 mm.
MIN_THICKNESS_NM = 0.01
MAX_THICKNESS_NM = 1.0e6
#: Free-electron density n [nm⁻³] of the confinement model (metals: 1–250 nm⁻³; semimetals
#: down to ~1e-5 nm⁻³).
DENSITY_RANGE_PER_NM3 = (1.0e-9, 1.0e4)
#: Largest single-spin DOS N(0) [states/(meV·nm³)] for the critical field (metals ~0.01).
MAX_N0_PER_MEV_NM3 = 1.0e3
#: Normal-state sheet resistance R_□ [Ω] of the BKT and stiffness calculations (a 1 mm film
#: of the purest metal: ~1e-8 Ω; an insulator: > 1e9 Ω).
SHEET_RESISTANCE_RANGE_OHM = (1.0e-12, 1.0e12)
#: Most data rows of an α²F file (real files have 500–5000; the kernel cost grows linearly:
#: 20 000 rows already take ~2 s of CPU per Tc).
MAX_A2F_POINTS = 50_000
#: Most Matsubara frequencies below the cutoff on the compressed grid (its O(N) arrays of the
#: normal-state self-energy: 8 bytes × N each).
MAX_MATSUBARA_COMPRESSED = 10_000_000
#: Largest compressed-grid matrix: layers (or bands) × Nyström nodes (a dense (L·n)² matrix).
MAX_COMPRESSED_SIZE = 2048
#: Most layers of a stack.
MAX_LAYERS = 32
#: Most grid points (d_A × d_B) of a map, and most thicknesses of a screen (grid n² per pair).
MAX_MAP_POINTS = 40_000
MAX_SCREEN_THICKNESSES = 200
#: Most rows of a printed ranking (``screen --top``).
MAX_TOP_ROWS = 100_000


def _float(value, name: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        txt = repr(value)
        raise ValueError(f"{name} must be a number, got {txt if len(txt) < 40 else txt[:20] + '…'}"
                         ) from None


def as_float(value, name: str) -> float:
    """``value`` as a float; ValueError (naming ``name``) for a non-number, a boolean or an
    integer beyond double precision (never OverflowError or TypeError)."""
    return _float(value, name)


def as_float_array(value, name: str):
    """``value`` as a float ndarray; ValueError (naming ``name``) when it holds non-numbers or
    integers beyond double precision (never OverflowError or TypeError)."""
    import numpy as np

    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        txt = repr(value)
        raise ValueError(f"{name} must be numbers (finite doubles), got "
                         f"{txt if len(txt) < 40 else txt[:30] + '…'}") from None


def check_mustar(value, name: str = "mustar") -> float:
    """μ* as a float in [0, :data:`MUSTAR_MAX`) (ValueError naming ``name`` otherwise)."""
    v = _float(value, name)
    if not (math.isfinite(v) and 0.0 <= v < MUSTAR_MAX):
        raise ValueError(f"{name} (μ*) must be in [0, {MUSTAR_MAX:g}), got {v:g}")
    return v


def check_temperature(value, name: str = "temperature_K", *, low: float = 0.0) -> float:
    """A temperature [K] in (low, :data:`T_MAX_K`] (ValueError naming ``name`` otherwise)."""
    v = _float(value, name)
    if not (math.isfinite(v) and low < v <= T_MAX_K):
        raise ValueError(f"{name} must be in ({low:g}, {T_MAX_K:g}] K, got {v:g}")
    return v


def check_temperatures(values, name: str = "temperatures_K"):
    """A non-empty 1-D array of temperatures [K], each in (0, :data:`T_MAX_K`] (ValueError
    naming ``name`` otherwise)."""
    import numpy as np

    t = as_float_array(values, name).reshape(-1)
    if t.size == 0 or not np.all(np.isfinite(t)) or np.any(t <= 0) or np.any(t > T_MAX_K):
        raise ValueError(f"{name}: temperatures must be finite, in (0, {T_MAX_K:g}] K (README "
                         "\"Limits\")")
    return t


def check_energy(value, name: str, *, high: float = MAX_ENERGY_MEV) -> float:
    """An energy [meV] in (0, high] (ValueError naming ``name`` otherwise)."""
    v = _float(value, name)
    if not (math.isfinite(v) and 0.0 < v <= high):
        raise ValueError(f"{name} must be in (0, {high:g}] meV, got {v:g}")
    return v


def check_thickness(value, name: str = "thickness_nm") -> float:
    """A thickness [nm] in [:data:`MIN_THICKNESS_NM`, :data:`MAX_THICKNESS_NM`]."""
    v = _float(value, name)
    if not (math.isfinite(v) and MIN_THICKNESS_NM <= v <= MAX_THICKNESS_NM):
        raise ValueError(f"{name} must be in [{MIN_THICKNESS_NM:g}, {MAX_THICKNESS_NM:g}] nm, "
                         f"got {v:g}")
    return v
