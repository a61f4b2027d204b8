"""Physical constants and energy-unit conversions used at the tcpredict API surface.

Energies are in meV, temperatures in K and lengths in nm at every public interface.
Constants are CODATA 2018 exact or recommended values.
"""

from __future__ import annotations

#: Boltzmann constant [meV/K] (CODATA 2018, exact).
K_B_MEV_PER_K = 0.08617333262
#: ħ [meV·s].
HBAR_MEV_S = 6.582119569e-13
#: ħ²/(2 m_e) [meV·nm²] = 0.0380998212 eV·nm².
HBAR2_OVER_2ME_MEV_NM2 = 38.0998212
#: electron-volt [J].
EV_J = 1.602176634e-19
#: vacuum permittivity [F/m].
EPS0_F_PER_M = 8.8541878128e-12
#: elementary charge [C].
E_CHARGE_C = 1.602176634e-19
#: ħ [J·s].
HBAR_J_S = 1.054571817e-34
#: electron mass [kg].
M_E_KG = 9.1093837015e-31

#: Multiply an energy given in the key's unit by this factor to get meV.
#: 1 THz means h·(1 THz) = 4.135667696 meV; 1 cm⁻¹ = h c · 1 cm⁻¹; 1 K means k_B·(1 K).
ENERGY_TO_MEV: dict[str, float] = {
    "meV": 1.0,
    "eV": 1000.0,
    "THz": 4.135667696,
    "Ry": 13605.693122994,
    "Ha": 27211.386245988,
    "cm-1": 0.12398419843320026,
    "K": K_B_MEV_PER_K,
}
_ALIASES = {
    "mev": "meV", "ev": "eV", "thz": "THz", "ry": "Ry", "ha": "Ha", "hartree": "Ha",
    "rydberg": "Ry", "cm-1": "cm-1", "cm^-1": "cm-1", "1/cm": "cm-1", "cm⁻¹": "cm-1",
    "invcm": "cm-1", "k": "K", "kelvin": "K",
}


def energy_factor_to_meV(unit: str) -> float:
    """Conversion factor from ``unit`` to meV.

    Parameters
    ----------
    unit : str
        One of ``meV, eV, THz, Ry, Ha, cm-1, K`` (case-insensitive; ``cm^-1``, ``1/cm`` accepted).

    Raises
    ------
    ValueError
        For an unknown unit, listing the valid ones.
    """
    key = _ALIASES.get(str(unit).strip().lower())
    if key is None:
        raise ValueError(
            f"unknown energy unit {unit!r}; valid units: {', '.join(ENERGY_TO_MEV)}"
        )
    return ENERGY_TO_MEV[key]
