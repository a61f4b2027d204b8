r"""Local resonant-pairing models: the polaronic boson–fermion site and the ligand cluster.

Both are immutable parameter objects; :mod:`tcpredict.bfm.ed` diagonalizes them exactly.

**Units.** Every energy of a local model (Δ_B, g, μ, ε_0, ε_L, ε_M, t_LM, t_MM, U_L, T) is given in
one common energy unit, the unit in which ``omega0`` = ħω0 is given. With the default
``omega0 = 1`` that unit is ħω0 itself (docs/bfm_local.md §2);
k_B = ħ = 1. The coupling α and the displacement u = a + a† are dimensionless
(physical X = X_zp·u, X_zp = (ħ/2Mω0)^{1/2}).

Polaronic single site (docs/bfm_local.md §3.1)::

    H_site = (ε_0 − μ) n_F + (Δ_B − 2μ) n_B + g (ρ⁺ c↓ c↑ + h.c.) + ħω0 a†a − α ħω0 n̂ (a + a†)

with hard-core bosons (pseudo-spin ½), n̂ = n_B (``phonon_coupling='pair'``, default) or
n̂ = 2 n_B (``'ligand_density'``: the local pair puts charge 2 on the ligand) [H].

Ligand cluster, one polaronic ligand L plus N_M metal sites (docs/bfm_local.md §3.2)::

    H_cl = ε_L n_L + ε_M Σ_j n_j − t_LM Σ_jσ (c†_jσ c_Lσ + h.c.) − t_MM Σ_⟨jj'⟩σ (c†_jσ c_j'σ + h.c.)
           + U_L n_L↑ n_L↓ + ħω0 a†a − α ħω0 n̂ (a + a†)

with n̂ = n_L (``'ligand_density'``, default) or n̂ = n_L↑ n_L↓ (``'pair'``) [H]. N_M = 2 is an
M–L–M bond (one M–M bond), N_M = 4 a star whose metal sites form a 4-ring when t_MM ≠ 0.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

__all__ = ["PolaronicSite", "LigandCluster", "PHONON_COUPLINGS", "OMEGA0_MIN", "OMEGA0_MAX",
           "ENERGY_MAX_HW0", "ALPHA_MAX"]

#: Valid values of the ``phonon_coupling`` switch (docs/bfm_local.md §3).
PHONON_COUPLINGS = ("pair", "ligand_density")

#: Accepted range of ``omega0`` (the energy unit of the caller): [OMEGA0_MIN, OMEGA0_MAX].
#: The convergence tolerances of :mod:`tcpredict.bfm.ed` are absolute (1e−8 in the model's unit),
#: so the unit may not be absurdly large or small (docs/bfm_local.md §6 "Limits").
OMEGA0_MIN, OMEGA0_MAX = 1e-3, 1e3
#: Largest |energy| of a local model in units of ħω0 (Δ_B, g, μ, ε, t, U_L) (docs/bfm_local.md §6).
ENERGY_MAX_HW0 = 1e3
#: Largest dimensionless phonon coupling α accepted by the constructors (docs/bfm_local.md §6);
#: the solvers refuse smaller α when the phonon cutoff it needs exceeds ``max_cutoff``.
ALPHA_MAX = 20.0


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _check_finite(name: str, value) -> float:
    if not _is_real(value):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    try:
        v = float(value)
    except OverflowError:
        raise ValueError(f"{name} must be a finite real number, got {value!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    return v


def _check_energy(name: str, value, omega0: float) -> float:
    """Finite energy with |value| ≤ ENERGY_MAX_HW0·ħω0 (value in the unit of ``omega0``)."""
    v = _check_finite(name, value)
    limit = ENERGY_MAX_HW0 * omega0
    if abs(v) > limit:
        raise ValueError(f"{name} = {v:g} is out of range: |{name}| must be ≤ {ENERGY_MAX_HW0:g} ħω0 "
                         f"(= {limit:g} in the unit of omega0)")
    return v


def _check_omega0(value) -> float:
    w = _check_finite("omega0", value)
    if not OMEGA0_MIN <= w <= OMEGA0_MAX:
        raise ValueError(f"omega0 (phonon quantum ħω0, the energy unit) must lie in "
                         f"[{OMEGA0_MIN:g}, {OMEGA0_MAX:g}], got {w:g}")
    return w


def _check_alpha(value) -> float:
    a = _check_finite("alpha", value)
    if not 0.0 <= a <= ALPHA_MAX:
        raise ValueError(f"alpha (dimensionless phonon coupling) must lie in [0, {ALPHA_MAX:g}], "
                         f"got {a:g}")
    return a


def _check_int(name: str, value) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    return int(value)


def _check_switch(name: str, value, valid: tuple[str, ...]) -> None:
    if not isinstance(value, str) or value not in valid:
        raise ValueError(f"{name} must be one of {', '.join(repr(v) for v in valid)}; got {value!r}")


def _energy_unit(omega0: float) -> str:
    return "hw0" if omega0 == 1.0 else "unit of omega0"


@dataclass(frozen=True)
class PolaronicSite:
    r"""Polaronic boson–fermion site (docs/bfm_local.md §3.1).

    Parameters
    ----------
    delta_b : float
        Bare pair level Δ_B [energy unit of ``omega0``; ħω0 by default].
    g : float
        Boson–fermion exchange g (one boson ↔ two electrons) [energy unit].
    alpha : float
        Dimensionless phonon coupling α ≥ 0; one coupled unit of charge shifts ⟨u⟩ by 2α.
    omega0 : float
        Phonon quantum ħω0 > 0 [energy unit]; 1 makes ħω0 the unit (default).
    mu : float
        Chemical potential μ, included in H_site [energy unit].
    eps0 : float
        Local fermion level ε_0 [energy unit].
    phonon_coupling : {'pair', 'ligand_density'}
        Operator coupled to u: n_B (``'pair'``) or 2n_B (``'ligand_density'``) [H switch].
    bosons : {'hardcore'}
        Boson statistics; only hard-core (pseudo-spin ½) bosons are implemented for the site.

    Notes
    -----
    Fock space: (n_↑, n_↓, n_B) ⊗ |m⟩ = 4 × 2 × M states in blocks of charge
    Q = n_↑ + n_↓ + 2n_B = 0…4 (docs/bfm_local.md §3.1). Energies of the exact eigenstates
    include −μQ, so spectral frequencies are measured from μ.
    """

    delta_b: float
    g: float
    alpha: float = 0.0
    omega0: float = 1.0
    mu: float = 0.0
    eps0: float = 0.0
    phonon_coupling: str = "pair"
    bosons: str = "hardcore"

    def __post_init__(self) -> None:
        w = _check_omega0(self.omega0)
        object.__setattr__(self, "omega0", w)
        object.__setattr__(self, "alpha", _check_alpha(self.alpha))
        for name in ("delta_b", "g", "mu", "eps0"):
            object.__setattr__(self, name, _check_energy(name, getattr(self, name), w))
        _check_switch("phonon_coupling", self.phonon_coupling, PHONON_COUPLINGS)
        _check_switch("bosons", self.bosons, ("hardcore",))

    @property
    def coupled_charge_max(self) -> int:
        """Largest eigenvalue n_max of the operator coupled to u (1 for pair, 2 for ligand)."""
        return 1 if self.phonon_coupling == "pair" else 2

    @property
    def energy_unit(self) -> str:
        """``'hw0'`` when omega0 = 1, else ``'unit of omega0'``."""
        return _energy_unit(self.omega0)

    @property
    def renormalized_pair_level(self) -> float:
        r"""Lang–Firsov shifted pair level Δ̃_B = Δ_B − α²ħω0 n_c² [energy unit].

        n_c = 1 (``pair``) or 2 (``ligand_density``); docs/bfm_local.md §5, identity 1.
        """
        return self.delta_b - self.alpha**2 * self.omega0 * self.coupled_charge_max**2

    def to_dict(self) -> dict:
        """Parameters and switches with unit-bearing keys: energies in units of ħω0 (``_hw0``).

        ``hw0_in_input_unit`` is ``omega0`` as given (1: the inputs were in units of ħω0).
        """
        w = self.omega0
        return {"delta_b_hw0": self.delta_b / w, "g_hw0": self.g / w, "alpha": self.alpha,
                "mu_hw0": self.mu / w, "eps0_hw0": self.eps0 / w, "hw0_in_input_unit": w,
                "phonon_coupling": self.phonon_coupling, "bosons": self.bosons}


@dataclass(frozen=True)
class LigandCluster:
    r"""Ligand cluster: one polaronic ligand L plus N_M metal sites (docs/bfm_local.md §3.2).

    Parameters
    ----------
    n_metal : {2, 4}
        Number N_M of metal sites (2: M–L–M bond; 4: star / 4-ring).
    t_lm : float
        Ligand–metal hopping t_LM [energy unit of ``omega0``].
    t_mm : float
        Metal–metal hopping t_MM along the ring (N_M = 4) or the bond (N_M = 2) [energy unit].
    eps_l, eps_m : float
        Ligand and metal site energies ε_L, ε_M [energy unit].
    u_l : float
        Ligand on-site repulsion U_L ≥ 0 [energy unit].
    alpha : float
        Dimensionless phonon coupling α ≥ 0.
    omega0 : float
        Phonon quantum ħω0 > 0 [energy unit]; 1 makes ħω0 the unit (default).
    phonon_coupling : {'ligand_density', 'pair'}
        Operator coupled to u: n_L (default) or n_L↑n_L↓ [H switch].
    n_electrons : int
        Electron number N_e of the canonical sector, 0 ≤ N_e ≤ 2(N_M + 1).
    sz : float or 'all'
        ``'all'`` (default): the canonical ensemble at N_e with every S_z sector (the physical
        thermal ensemble: at T > 0 the triplet partners of S_z = 0 states carry weight); or one
        S_z value to restrict to that block (docs/bfm_local.md §4).

    Notes
    -----
    Jordan–Wigner order: all ↑ modes (site 0 = L, then the metals), then all ↓ modes
    (docs/bfm_local.md §4). For N_e = 2, S_z = 0, N_M = 4 the sector has 25 configurations.
    """

    n_metal: int = 4
    t_lm: float = 0.25
    t_mm: float = 0.0
    eps_l: float = 4.0
    eps_m: float = 0.0
    u_l: float = 0.0
    alpha: float = 0.0
    omega0: float = 1.0
    phonon_coupling: str = "ligand_density"
    n_electrons: int = 2
    sz: float | str = "all"

    def __post_init__(self) -> None:
        n_metal = _check_int("n_metal", self.n_metal)
        if n_metal not in (2, 4):
            raise ValueError(f"n_metal must be 2 or 4, got {self.n_metal!r}")
        object.__setattr__(self, "n_metal", n_metal)
        w = _check_omega0(self.omega0)
        object.__setattr__(self, "omega0", w)
        object.__setattr__(self, "alpha", _check_alpha(self.alpha))
        for name in ("t_lm", "t_mm", "eps_l", "eps_m", "u_l"):
            object.__setattr__(self, name, _check_energy(name, getattr(self, name), w))
        if self.u_l < 0:
            raise ValueError(f"u_l (ligand repulsion U_L) must be >= 0, got {self.u_l:g}")
        _check_switch("phonon_coupling", self.phonon_coupling, PHONON_COUPLINGS)
        n_sites = n_metal + 1
        n_e = _check_int("n_electrons", self.n_electrons)
        if not 0 <= n_e <= 2 * n_sites:
            raise ValueError(
                f"n_electrons must lie in [0, {2 * n_sites}] for N_M = {n_metal}, got {n_e}")
        object.__setattr__(self, "n_electrons", n_e)
        if isinstance(self.sz, str):
            if self.sz != "all":
                raise ValueError(f"sz must be a number or 'all', got {self.sz!r}")
            return
        sz = _check_finite("sz", self.sz)
        smax = min(n_e, 2 * n_sites - n_e) / 2
        if abs(sz) > smax:
            raise ValueError(f"sz = {sz:g} impossible with {n_e} electrons on {n_sites} sites: "
                             f"|sz| must be ≤ {smax:g}")
        two_sz = 2 * sz
        if two_sz != round(two_sz) or (round(two_sz) - n_e) % 2:
            raise ValueError(
                f"sz = {sz:g} is incompatible with n_electrons = {n_e} "
                "(2 S_z must be an integer with the parity of N_e)"
            )
        object.__setattr__(self, "sz", float(sz))

    @property
    def n_sites(self) -> int:
        """Number of orbitals N_s = N_M + 1 (ligand first)."""
        return self.n_metal + 1

    @property
    def coupled_charge_max(self) -> int:
        """Largest eigenvalue n_max of the operator coupled to u (2 for ligand_density, 1 for pair)."""
        return 2 if self.phonon_coupling == "ligand_density" else 1

    @property
    def energy_unit(self) -> str:
        """``'hw0'`` when omega0 = 1, else ``'unit of omega0'``."""
        return _energy_unit(self.omega0)

    def to_dict(self) -> dict:
        """Parameters and switches with unit-bearing keys: energies in units of ħω0 (``_hw0``).

        ``hw0_in_input_unit`` is ``omega0`` as given (1: the inputs were in units of ħω0).
        """
        w = self.omega0
        return {"n_metal": self.n_metal, "t_lm_hw0": self.t_lm / w, "t_mm_hw0": self.t_mm / w,
                "eps_l_hw0": self.eps_l / w, "eps_m_hw0": self.eps_m / w,
                "u_l_hw0": self.u_l / w, "alpha": self.alpha, "hw0_in_input_unit": w,
                "phonon_coupling": self.phonon_coupling, "n_electrons": self.n_electrons,
                "sz": self.sz}
