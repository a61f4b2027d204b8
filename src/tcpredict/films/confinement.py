r"""Free-electron kinematics of a thin film with atomically rough interfaces.

Model of R. Travaglino & A. Zaccone, J. Appl. Phys. 133, 033901 (2023), arXiv:2301.07604; the
formulas are written out in docs/confinement.md §1–§4 (cited below by section).

A free-electron metal of conduction-electron density ``n`` (both spins) and mass ``m = m_r m_e``
fills a film of thickness ``L`` along z, infinite in plane. Rough interfaces forbid wavelengths
longer than ``L/|cos θ|`` (θ = polar angle to the film normal), i.e. (docs/confinement.md §1)

.. math::

    |k| \ge 2π |\cos θ| / L ,

so two spheres of radius π/L centred at k_z = ±π/L are removed from k-space. Counting the
remaining states (docs/confinement.md §2, both spins, per volume) with ε = ħ²k²/2m and
ε*(L) = (ħ²/2m)(2π/L)²:

.. math::

    N(<ε) = \frac{L m^2 ε^2}{2π^3 ħ^4}, \qquad g(ε) = \frac{m^2 L ε}{π^3 ħ^4}
        \qquad (ε \le ε^*),

    N(<ε) = \frac{1}{3π^2}\Big(\frac{2mε}{ħ^2}\Big)^{3/2} - \frac{2π}{3L^3}, \qquad
        g(ε) = \frac{1}{2π^2}\Big(\frac{2m}{ħ^2}\Big)^{3/2} \sqrt{ε} \qquad (ε \ge ε^*).

Fixing N(<E_F) = n gives the Fermi energy (docs/confinement.md §3), with the critical thickness
L_c = (2π/n)^{1/3} at which the Fermi sphere touches the forbidden spheres and x = L/L_c:

.. math::

    E_F/E_{F0} = (1 + x^{-3}/3)^{2/3} \;(x \ge 1), \qquad
    E_F/E_{F0} = (4/3)^{2/3} x^{-1/2} \;(x \le 1),

    g(E_F)/g_0 = (1 + x^{-3}/3)^{1/3} \;(x \ge 1), \qquad
    g(E_F)/g_0 = (4/3)^{1/3} x^{1/2} \;(x \le 1),

with the universal cusp values E_F(L_c) = (4/3)^{2/3} E_F0 = 1.2114 E_F0 and
g(E_F(L_c)) = (4/3)^{1/3} g₀ = 1.1006 g₀.

Regimes (names returned by :meth:`FreeElectronFilm.regime`):

* ``"confined"`` — x < 1: E_F ≤ ε*, every state at the Fermi level borders the forbidden
  spheres and the DOS there is the linear-in-ε form.
* ``"bulk-like"`` — x ≥ 1: the Fermi sphere encloses the forbidden spheres, the DOS at E_F has
  the bulk √ε form (but E_F is raised above E_F0 by the removed states).

Units: lengths in nm, energies in meV, densities of states in meV⁻¹ nm⁻³, wavevectors in nm⁻¹.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from tcpredict.limits import DENSITY_RANGE_PER_NM3
from tcpredict.units import HBAR2_OVER_2ME_MEV_NM2

__all__ = [
    "FreeElectronFilm",
    "validate_thickness_nm",
    "REGIME_CONFINED",
    "REGIME_BULK_LIKE",
    "BOHR_RADIUS_NM",
    "FERMI_ENERGY_RATIO_AT_LC",
    "DOS_RATIO_AT_LC",
]

logger = logging.getLogger(__name__)

#: Bohr radius a₀ [nm] (CODATA 2018 recommended value, 0.529177210903 Å).
BOHR_RADIUS_NM = 0.0529177210903
#: Regime name for x = L/L_c < 1 (docs/confinement.md §3).
REGIME_CONFINED = "confined"
#: Regime name for x = L/L_c ≥ 1 (docs/confinement.md §3).
REGIME_BULK_LIKE = "bulk-like"
#: E_F(L_c)/E_F0 = (4/3)^{2/3} = 1.2114 (docs/confinement.md §3).
FERMI_ENERGY_RATIO_AT_LC = (4.0 / 3.0) ** (2.0 / 3.0)
#: g(E_F(L_c); L_c)/g₀ = (4/3)^{1/3} = 1.1006, the maximum of g(E_F)/g₀ over L (docs/confinement.md §3).
DOS_RATIO_AT_LC = (4.0 / 3.0) ** (1.0 / 3.0)


#: Thicknesses [nm] the model formulas accept (numerical safety; see validate_thickness_nm).
MODEL_THICKNESS_RANGE_NM = (1e-12, 1e12)
#: Effective-mass ratios m/m_e accepted (heavy fermions reach ~1e3).
MASS_RATIO_RANGE = (1e-3, 1e4)


def _positive_scalar(value, name: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    try:
        v = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a positive number, got {value!r}") from None
    if not math.isfinite(v) or v <= 0.0:
        raise ValueError(f"{name} must be positive and finite, got {value!r}")
    return v


def validate_thickness_nm(thickness_nm) -> np.ndarray:
    """Validate film thicknesses L [nm] and return them as a float array (shape kept).

    Parameters
    ----------
    thickness_nm : float or array_like
        Thicknesses L [nm].

    Returns
    -------
    ndarray
        ``np.asarray(thickness_nm, dtype=float)``.

    Raises
    ------
    ValueError
        If a value is non-numeric, non-finite or outside [1e-12, 1e12] nm (the range where the
        formulas neither under- nor overflow; user-facing entry points use the narrower
        physical range of :data:`tcpredict.limits.MIN_THICKNESS_NM` …
        :data:`tcpredict.limits.MAX_THICKNESS_NM`).
    """
    try:
        a = np.asarray(thickness_nm, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(
            f"thickness_nm must be numeric (nm), got {str(thickness_nm)[:40]}"
        ) from None
    if not np.all(np.isfinite(a)):
        raise ValueError("thickness_nm must be finite (got NaN or infinity)")
    if np.any(a <= 0.0):
        bad = a[a <= 0.0].reshape(-1)[0]
        raise ValueError(f"thickness_nm must be > 0 nm, got {bad!r}")
    out = (a < MODEL_THICKNESS_RANGE_NM[0]) | (a > MODEL_THICKNESS_RANGE_NM[1])
    if np.any(out):  # L³ and 1/L³ of the formulas stay far from under/overflow
        raise ValueError(f"thickness_nm must be in [{MODEL_THICKNESS_RANGE_NM[0]:g}, "
                         f"{MODEL_THICKNESS_RANGE_NM[1]:g}] nm, got {a[out].reshape(-1)[0]:g}")
    return a


def _energy_array(eps_meV, name: str) -> np.ndarray:
    try:
        a = np.asarray(eps_meV, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric (meV), got {eps_meV!r}") from None
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite (got NaN or infinity)")
    return a


def _out(a: np.ndarray):
    """Return a numpy scalar for 0-d results, the array otherwise (shape preserved)."""
    return a[()]


@dataclass(frozen=True)
class FreeElectronFilm:
    r"""Free-electron metal in a film with rough interfaces (Travaglino & Zaccone 2023).

    Parameters
    ----------
    n_per_nm3 : float
        Conduction-electron density n [nm⁻³], both spins (e.g. Ashcroft & Mermin Table 1.1,
        where 10²² cm⁻³ = 10 nm⁻³). Must be > 0.
    mass_ratio : float, optional
        Effective mass m/m_e (default 1, free electrons). Must be > 0.

    Notes
    -----
    All thickness-dependent methods accept a scalar or an array of thicknesses L [nm] (finite,
    > 0, else ``ValueError``) and return the same shape; energy arguments broadcast against L.
    The two regimes x = L/L_c < 1 and x ≥ 1 are selected elementwise with ``np.where``.
    Formulas: docs/confinement.md §1–§4; R. Travaglino & A. Zaccone, J. Appl. Phys. 133, 033901
    (2023).
    """

    n_per_nm3: float
    mass_ratio: float = 1.0

    def __post_init__(self) -> None:
        n = _positive_scalar(self.n_per_nm3, "n_per_nm3")
        lo, hi = DENSITY_RANGE_PER_NM3
        if not lo <= n <= hi:
            raise ValueError(f"n_per_nm3 (electron density) must be in [{lo:g}, {hi:g}] nm⁻³ "
                             f"(README \"Limits\"), got {n:g}")
        m = _positive_scalar(self.mass_ratio, "mass_ratio")
        if not MASS_RATIO_RANGE[0] <= m <= MASS_RATIO_RANGE[1]:
            raise ValueError(f"mass_ratio must be in [{MASS_RATIO_RANGE[0]:g}, "
                             f"{MASS_RATIO_RANGE[1]:g}], got {m:g}")
        object.__setattr__(self, "n_per_nm3", n)
        object.__setattr__(self, "mass_ratio", m)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_rs(cls, rs_bohr: float, mass_ratio: float = 1.0) -> "FreeElectronFilm":
        r"""Film from the Wigner–Seitz radius r_s [Bohr radii].

        Parameters
        ----------
        rs_bohr : float
            r_s/a₀ > 0, defined by n = 3/(4π r_s³) (Ashcroft & Mermin Eq. 1.2).
        mass_ratio : float, optional
            m/m_e > 0.

        Returns
        -------
        FreeElectronFilm
        """
        rs = _positive_scalar(rs_bohr, "rs_bohr") * BOHR_RADIUS_NM
        lo, hi = (((3.0 / (4.0 * math.pi * n)) ** (1.0 / 3.0)) / BOHR_RADIUS_NM
                  for n in DENSITY_RANGE_PER_NM3[::-1])  # the density range, as r_s
        if not lo * (1 - 1e-12) <= rs / BOHR_RADIUS_NM <= hi * (1 + 1e-12):
            raise ValueError(f"rs_bohr must be in [{lo:.4g}, {hi:.4g}] Bohr radii (electron "
                             f"density range of README \"Limits\"), got {float(rs_bohr):g}")
        return cls(n_per_nm3=3.0 / (4.0 * math.pi * rs**3), mass_ratio=mass_ratio)

    # ------------------------------------------------------------------ bulk quantities
    @property
    def hbar2_over_2m_meV_nm2(self) -> float:
        """ħ²/2m [meV·nm²] = (ħ²/2m_e)/mass_ratio (units.HBAR2_OVER_2ME_MEV_NM2, CODATA 2018)."""
        return HBAR2_OVER_2ME_MEV_NM2 / self.mass_ratio

    @property
    def critical_thickness_nm(self) -> float:
        r"""Critical thickness L_c = (2π/n)^{1/3} [nm] (docs/confinement.md §3).

        The thickness at which the Fermi sphere touches the two forbidden spheres of radius
        π/L; it is also the thickness of the cusp maximum of g(E_F)/g₀.
        """
        return (2.0 * math.pi / self.n_per_nm3) ** (1.0 / 3.0)

    @property
    def bulk_fermi_wavevector_per_nm(self) -> float:
        """Bulk Fermi wavevector k_F0 = (3π²n)^{1/3} [nm⁻¹] (docs/confinement.md §3)."""
        return (3.0 * math.pi**2 * self.n_per_nm3) ** (1.0 / 3.0)

    @property
    def bulk_fermi_energy_meV(self) -> float:
        """Bulk Fermi energy E_F0 = ħ²k_F0²/2m [meV] (docs/confinement.md §3)."""
        return self.hbar2_over_2m_meV_nm2 * self.bulk_fermi_wavevector_per_nm**2

    @property
    def bulk_dos_per_meV_nm3(self) -> float:
        """Bulk DOS at the Fermi level g₀ = 3n/(2E_F0) [meV⁻¹ nm⁻³], both spins (docs/confinement.md §3)."""
        return 1.5 * self.n_per_nm3 / self.bulk_fermi_energy_meV

    # ------------------------------------------------------------------ thickness dependence
    def x(self, thickness_nm):
        """Reduced thickness x = L/L_c (dimensionless) (docs/confinement.md §3).

        Parameters
        ----------
        thickness_nm : float or array_like
            Film thickness L [nm], finite and > 0.

        Returns
        -------
        float or ndarray
            x, same shape as ``thickness_nm``.
        """
        return _out(validate_thickness_nm(thickness_nm) / self.critical_thickness_nm)

    def eps_star_meV(self, thickness_nm):
        r"""Energy of the DOS kink ε*(L) = (ħ²/2m)(2π/L)² = 2π²ħ²/(mL²) [meV] (docs/confinement.md §2).

        Below ε* the DOS is linear in ε, above it has the bulk √ε form.

        Parameters
        ----------
        thickness_nm : float or array_like
            Film thickness L [nm], finite and > 0.

        Returns
        -------
        float or ndarray
            ε* [meV], same shape as ``thickness_nm``.
        """
        L = validate_thickness_nm(thickness_nm)
        return _out(self.hbar2_over_2m_meV_nm2 * (2.0 * math.pi / L) ** 2)

    def fermi_energy_meV(self, thickness_nm):
        r"""Fermi energy E_F(L) [meV] at fixed density n (docs/confinement.md §3).

        .. math::

            E_F = E_{F0}\,[1 + 2π/(3nL^3)]^{2/3} \quad (L \ge L_c), \qquad
            E_F = (ħ^2/2m)\,(8π^3 n/L)^{1/2} \quad (L \le L_c).

        Parameters
        ----------
        thickness_nm : float or array_like
            Film thickness L [nm], finite and > 0.

        Returns
        -------
        float or ndarray
            E_F(L) [meV], same shape as ``thickness_nm``; continuous at L_c, where it equals
            (4/3)^{2/3} E_F0.

        Notes
        -----
        Travaglino & Zaccone, J. Appl. Phys. 133, 033901 (2023); docs/confinement.md §3.
        """
        L = validate_thickness_nm(thickness_nm)
        n = self.n_per_nm3
        bulk_like = self.bulk_fermi_energy_meV * (1.0 + 2.0 * math.pi / (3.0 * n * L**3)) ** (
            2.0 / 3.0
        )
        confined = self.hbar2_over_2m_meV_nm2 * np.sqrt(8.0 * math.pi**3 * n / L)
        return _out(np.where(L >= self.critical_thickness_nm, bulk_like, confined))

    def fermi_wavevector_per_nm(self, thickness_nm):
        """Fermi wavevector k_F(L) = (2m E_F(L)/ħ²)^{1/2} [nm⁻¹] (docs/confinement.md §3).

        Parameters
        ----------
        thickness_nm : float or array_like
            Film thickness L [nm], finite and > 0.

        Returns
        -------
        float or ndarray
            k_F(L) [nm⁻¹], same shape as ``thickness_nm``.
        """
        ef = np.asarray(self.fermi_energy_meV(thickness_nm))
        return _out(np.sqrt(ef / self.hbar2_over_2m_meV_nm2))

    def dos_per_meV_nm3(self, eps_meV, thickness_nm):
        r"""Density of states g(ε; L) [meV⁻¹ nm⁻³], both spins, per volume (docs/confinement.md §2).

        .. math::

            g(ε) = \frac{m^2 L ε}{π^3 ħ^4} = \frac{L ε}{4π^3 (ħ^2/2m)^2} \quad (0 \le ε \le ε^*),
            \qquad
            g(ε) = \frac{1}{2π^2}\Big(\frac{2m}{ħ^2}\Big)^{3/2}\sqrt{ε} \quad (ε \ge ε^*),

        and g = 0 for ε < 0 (band bottom at ε = 0).

        Parameters
        ----------
        eps_meV : float or array_like
            Energy ε [meV] measured from the band bottom; finite.
        thickness_nm : float or array_like
            Film thickness L [nm], finite and > 0; broadcast against ``eps_meV``.

        Returns
        -------
        float or ndarray
            g(ε; L), broadcast shape of the inputs. Continuous at ε* (with a kink).

        Notes
        -----
        Travaglino & Zaccone, J. Appl. Phys. 133, 033901 (2023); docs/confinement.md §2.
        """
        eps = _energy_array(eps_meV, "eps_meV")
        L = validate_thickness_nm(thickness_nm)
        eps, L = np.broadcast_arrays(eps, L)
        a = self.hbar2_over_2m_meV_nm2
        e_star = a * (2.0 * math.pi / L) ** 2
        e_pos = np.maximum(eps, 0.0)
        linear = L * e_pos / (4.0 * math.pi**3 * a**2)
        bulk = np.sqrt(e_pos / a**3) / (2.0 * math.pi**2)
        return _out(np.where(eps <= e_star, linear, bulk))

    def dos_per_spin_per_meV_nm3(self, eps_meV, thickness_nm):
        """Density of states per spin N(ε; L) = g(ε; L)/2 [meV⁻¹ nm⁻³] (docs/confinement.md §2).

        Parameters
        ----------
        eps_meV : float or array_like
            Energy ε [meV] from the band bottom.
        thickness_nm : float or array_like
            Film thickness L [nm], > 0.

        Returns
        -------
        float or ndarray
            g(ε; L)/2, broadcast shape of the inputs.
        """
        return _out(0.5 * np.asarray(self.dos_per_meV_nm3(eps_meV, thickness_nm)))

    def states_below_per_nm3(self, eps_meV, thickness_nm):
        r"""Number of states below ε per volume, both spins, N(<ε; L) [nm⁻³] (docs/confinement.md §2).

        .. math::

            N(<ε) = \frac{L k^4}{8π^3} \quad (k \le 2π/L), \qquad
            N(<ε) = \frac{k^3}{3π^2} - \frac{2π}{3L^3} \quad (k \ge 2π/L),

        with k = (2mε/ħ²)^{1/2}; N = 0 for ε ≤ 0. N(<E_F(L); L) = n (number conservation).

        Parameters
        ----------
        eps_meV : float or array_like
            Energy ε [meV] from the band bottom; finite.
        thickness_nm : float or array_like
            Film thickness L [nm], > 0; broadcast against ``eps_meV``.

        Returns
        -------
        float or ndarray
            N(<ε; L) [nm⁻³], broadcast shape of the inputs.
        """
        eps = _energy_array(eps_meV, "eps_meV")
        L = validate_thickness_nm(thickness_nm)
        eps, L = np.broadcast_arrays(eps, L)
        a = self.hbar2_over_2m_meV_nm2
        k2 = np.maximum(eps, 0.0) / a
        k_star = 2.0 * math.pi / L
        inside = L * k2**2 / (8.0 * math.pi**3)
        outside = k2**1.5 / (3.0 * math.pi**2) - 2.0 * math.pi / (3.0 * L**3)
        return _out(np.where(k2 <= k_star**2, inside, outside))

    def dos_ratio(self, thickness_nm):
        r"""g(E_F(L); L)/g₀, the Fermi-level DOS relative to bulk (docs/confinement.md §3).

        Equals (1 + x⁻³/3)^{1/3} for x ≥ 1 and (4/3)^{1/3} x^{1/2} for x ≤ 1; maximum
        (4/3)^{1/3} = 1.1006 at L = L_c, → 1 for L ≫ L_c, → 0 as L → 0.

        Parameters
        ----------
        thickness_nm : float or array_like
            Film thickness L [nm], > 0.

        Returns
        -------
        float or ndarray
            Dimensionless ratio, same shape as ``thickness_nm``.
        """
        L = validate_thickness_nm(thickness_nm)
        ef = np.asarray(self.fermi_energy_meV(L))
        return _out(np.asarray(self.dos_per_meV_nm3(ef, L)) / self.bulk_dos_per_meV_nm3)

    def regime(self, thickness_nm):
        """Regime name per thickness: ``"confined"`` (x < 1) or ``"bulk-like"`` (x ≥ 1).

        Parameters
        ----------
        thickness_nm : float or array_like
            Film thickness L [nm], > 0.

        Returns
        -------
        str or ndarray of str
            :data:`REGIME_CONFINED` or :data:`REGIME_BULK_LIKE`, same shape as the input.
        """
        L = validate_thickness_nm(thickness_nm)
        r = np.where(L < self.critical_thickness_nm, REGIME_CONFINED, REGIME_BULK_LIKE)
        return str(r) if r.ndim == 0 else r

    def ntilde(self, xi_meV, thickness_nm):
        r"""Normalised energy-dependent DOS ñ(ξ; L) = g(E_F + ξ; L)/g(E_F; L) (docs/confinement.md §4).

        ξ is measured from the Fermi level E_F(L); ñ(0) = 1, ñ = 0 below the band bottom
        (ξ < −E_F). This is the ñ(ξ) of the energy-dependent-DOS Eliashberg equations
        (docs/eliashberg.md §3).

        Parameters
        ----------
        xi_meV : float or array_like
            Energy from the Fermi level ξ [meV]; finite.
        thickness_nm : float or array_like
            Film thickness L [nm], > 0; broadcast against ``xi_meV``.

        Returns
        -------
        float or ndarray
            ñ(ξ; L), broadcast shape of the inputs.
        """
        xi = _energy_array(xi_meV, "xi_meV")
        L = validate_thickness_nm(thickness_nm)
        ef = np.asarray(self.fermi_energy_meV(L))
        g_f = np.asarray(self.dos_per_meV_nm3(ef, L))
        return _out(np.asarray(self.dos_per_meV_nm3(ef + xi, L)) / g_f)
