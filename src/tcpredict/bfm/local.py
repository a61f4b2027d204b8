r"""Local resonant-pairing models: the polaronic boson–fermion site and the ligand cluster.

Both are immutable parameter objects; :mod:`tcpredict.bfm.ed` diagonalizes them exactly.

**Units.** Every energy of a local model (Δ_B, g, μ, ε_0, ε_L, ε_M, t_LM, t_MM, U_L, T) is given in
one common energy unit, the unit in which ``omega0`` = ħω0 is given. With the default
``omega0 = 1`` that unit is ħω0 itself (spec ``energy_unit = 'hw0'``, resonant_pairing.md §0);
k_B = ħ = 1. The coupling α and the displacement u = a + a† are dimensionless
(physical X = X_zp·u, X_zp = (ħ/2Mω0)^{1/2}).

Polaronic single site (resonant_pairing.md §1.2)::

    H_site = (ε_0 − μ) n_F + (Δ_B − 2μ) n_B + g (ρ⁺ c↓ c↑ + h.c.) + ħω0 a†a − α ħω0 n̂ (a + a†)

with hard-core bosons (pseudo-spin ½), n̂ = n_B (``phonon_coupling='pair'``, default) or
n̂ = 2 n_B (``'ligand_density'``: the local pair puts charge 2 on the ligand) [H].

Ligand cluster, one polaronic ligand L plus N_M metal sites (resonant_pairing.md §1.3)::

    H_cl = ε_L n_L + ε_M Σ_j n_j − t_LM Σ_jσ (c†_jσ c_Lσ + h.c.) − t_MM Σ_⟨jj'⟩σ (c†_jσ c_j'σ + h.c.)
           + U_L n_L↑ n_L↓ + ħω0 a†a − α ħω0 n̂ (a + a†)

with n̂ = n_L (``'ligand_density'``, default) or n̂ = n_L↑ n_L↓ (``'pair'``) [H]. N_M = 2 is an
M–L–M bond (one M–M bond), N_M = 4 a star whose metal sites form a 4-ring when t_MM ≠ 0.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

__all__ = ["PolaronicSite", "LigandCluster", "PHONON_COUPLINGS"]

#: Valid values of the ``phonon_coupling`` switch (resonant_pairing.md §0).
PHONON_COUPLINGS = ("pair", "ligand_density")


def _check_finite(name: str, value: float) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")


def _check_switch(name: str, value: str, valid: tuple[str, ...]) -> None:
    if value not in valid:
        raise ValueError(f"{name} must be one of {', '.join(repr(v) for v in valid)}; got {value!r}")


def _energy_unit(omega0: float) -> str:
    return "hw0" if omega0 == 1.0 else "unit of omega0"


@dataclass(frozen=True)
class PolaronicSite:
    r"""Polaronic boson–fermion site (resonant_pairing.md §1.2).

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
    Q = n_↑ + n_↓ + 2n_B = 0…4 (resonant_pairing.md §1.2). Energies of the exact eigenstates
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
        for name in ("delta_b", "g", "alpha", "omega0", "mu", "eps0"):
            _check_finite(name, getattr(self, name))
        if self.alpha < 0:
            raise ValueError(f"alpha must be >= 0 (dimensionless coupling), got {self.alpha}")
        if self.omega0 <= 0:
            raise ValueError(f"omega0 (phonon energy ħω0) must be > 0, got {self.omega0}")
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

        n_c = 1 (``pair``) or 2 (``ligand_density``); resonant_pairing.md §2 identity 1.
        """
        return self.delta_b - self.alpha**2 * self.omega0 * self.coupled_charge_max**2

    def to_dict(self) -> dict:
        """Parameters and switches as a JSON-ready dict (energies in ``energy_unit``)."""
        d = asdict(self)
        d["energy_unit"] = self.energy_unit
        return d


@dataclass(frozen=True)
class LigandCluster:
    r"""Ligand cluster: one polaronic ligand L plus N_M metal sites (resonant_pairing.md §1.3).

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
        S_z of the canonical sector (default 0), or ``'all'`` to sum over every S_z at N_e.

    Notes
    -----
    Jordan–Wigner order: all ↑ modes (site 0 = L, then the metals), then all ↓ modes
    (resonant_pairing.md §3.1). For N_e = 2, S_z = 0, N_M = 4 the sector has 25 configurations.
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
    sz: float | str = 0.0

    def __post_init__(self) -> None:
        if self.n_metal not in (2, 4) or isinstance(self.n_metal, bool):
            raise ValueError(f"n_metal must be 2 or 4, got {self.n_metal!r}")
        for name in ("t_lm", "t_mm", "eps_l", "eps_m", "u_l", "alpha", "omega0"):
            _check_finite(name, getattr(self, name))
        if self.alpha < 0:
            raise ValueError(f"alpha must be >= 0 (dimensionless coupling), got {self.alpha}")
        if self.omega0 <= 0:
            raise ValueError(f"omega0 (phonon energy ħω0) must be > 0, got {self.omega0}")
        if self.u_l < 0:
            raise ValueError(f"u_l (ligand repulsion U_L) must be >= 0, got {self.u_l}")
        _check_switch("phonon_coupling", self.phonon_coupling, PHONON_COUPLINGS)
        n_sites = self.n_metal + 1
        if not isinstance(self.n_electrons, int) or isinstance(self.n_electrons, bool):
            raise ValueError(f"n_electrons must be an integer, got {self.n_electrons!r}")
        if not 0 <= self.n_electrons <= 2 * n_sites:
            raise ValueError(
                f"n_electrons must lie in [0, {2 * n_sites}] for N_M = {self.n_metal}, "
                f"got {self.n_electrons}"
            )
        if isinstance(self.sz, str):
            if self.sz != "all":
                raise ValueError(f"sz must be a number or 'all', got {self.sz!r}")
        else:
            _check_finite("sz", self.sz)
            two_sz = 2 * self.sz
            if two_sz != round(two_sz) or (round(two_sz) - self.n_electrons) % 2:
                raise ValueError(
                    f"sz = {self.sz} is incompatible with n_electrons = {self.n_electrons} "
                    "(2 S_z must have the parity of N_e)"
                )
            n_up = (self.n_electrons + round(two_sz)) // 2
            n_dn = self.n_electrons - n_up
            if not (0 <= n_up <= n_sites and 0 <= n_dn <= n_sites):
                raise ValueError(
                    f"sz = {self.sz} impossible with {self.n_electrons} electrons on {n_sites} sites"
                )

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
        """Parameters and switches as a JSON-ready dict (energies in ``energy_unit``)."""
        d = asdict(self)
        d["energy_unit"] = self.energy_unit
        return d
