r"""Critical temperature of a thin film versus thickness, Tc(L) (docs/confinement.md §3–§6).

For one metal, at each thickness L [nm]:

1. kinematics of the free-electron film with rough interfaces (:mod:`tcpredict.films.confinement`):
   x = L/L_c, E_F(L), g(E_F; L)/g₀;
2. couplings from pluggable thickness rules (:mod:`tcpredict.films.thickness_rules`, docs/confinement.md §5):
   α²F_L = f(L) α²F_bulk (λ rules return the factor f, so λ(L) = f λ_bulk and ω_log is
   unchanged) and μ*(L), defined at the material's reference energy ``mustar_at_meV`` and rescaled
   to the Matsubara cutoff by Morel–Anderson (docs/eliashberg.md §2);
3. Tc from the linearized isotropic Eliashberg equations (:mod:`tcpredict.eliashberg.tc`), optionally
   with the confined energy-dependent DOS ñ(ξ; L) (docs/confinement.md §4, docs/eliashberg.md §3,
   :mod:`tcpredict.eliashberg.energy_dos`).

Speed: the bulk kernel λ_bulk(ν_k) is computed once per (T, k_max) and cached
(:class:`~tcpredict.eliashberg.kernels.SpectrumKernel`); every thickness uses f(L)·λ_bulk(ν_k)
(:meth:`~tcpredict.eliashberg.kernels.Kernel.scaled`) in the one linearized operator
(:class:`~tcpredict.eliashberg.operator.LinearizedOperator`).
Thicknesses are solved in order of L, each root search warm-started from its neighbour's Tc.

The energy-dependent DOS is OFF by default: its effect is of order ω_c/E_F (docs/confinement.md §4;
for Al a few 10⁻⁴ relative, see docs/film.md) while it costs a self-consistent normal-state
solve over a 4× longer Matsubara grid at every temperature evaluation (~10–30× slower).

Peak and window: the peak of Tc(L) is found by bounded scalar minimisation of −Tc in ln L on each
side of L_c (where the default rules put a cusp), with L_c itself checked; the thickness window
where Tc ≥ threshold is bracketed on the computed grid (plus the peak) and refined with Brent's
method in ln L. Both are results of optimisation/root finding, not read off the grid.

Units: thickness [nm], energies [meV] (``fermi_energy_eV`` [eV] in rows), temperatures [K].
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass, field

import numpy as np
import scipy.optimize as sopt

from tcpredict.eliashberg.closed_forms import allen_dynes_tc_K
from tcpredict.films.confinement import FreeElectronFilm, validate_thickness_nm
from tcpredict.eliashberg.kernels import SpectrumKernel, TableKernel
from tcpredict.eliashberg.operator import GRIDS, LinearizedOperator
from tcpredict.eliashberg.tc import check_search, cutoff_problems, resolve_coupling, root_tc
from tcpredict.limits import (MAX_THICKNESS_NM, MIN_THICKNESS_NM, T_MAX_K, as_float,
                              check_energy, check_mustar, check_temperature, check_thickness)
from tcpredict.eliashberg.energy_dos import DOSNormalState, EnergyDOS
from tcpredict.eliashberg.matsubara import rescale_mustar
from tcpredict.eliashberg.spectra import Alpha2F
from tcpredict.films.thickness_rules import (
    DEFAULT_LAMBDA_RULE,
    DEFAULT_MUSTAR_RULE,
    FilmContext,
    get_lambda_rule,
    get_mustar_rule,
)
from tcpredict.units import K_B_MEV_PER_K

log = logging.getLogger(__name__)

__all__ = ["FilmMaterial", "FilmModel", "FilmResult", "film_tc", "ROW_KEYS", "BKT_ROW_KEYS",
           "FRAME_KEYS", "SENSITIVITY_ROW_KEYS", "BAND_ROW_KEYS"]

#: Row keys of the sensitivities at each thickness (docs/uncertainty.md §2; λ = λ(L), μ* = μ*(L);
#: None where Tc is None or ``film_tc(..., sensitivity=False)``).
SENSITIVITY_ROW_KEYS = ("dlntc_dlambda", "dlntc_dmustar")
#: Keys of each row of :attr:`FilmResult.rows` (and of the CLI JSON rows; docs/glossary.md).
ROW_KEYS = ("thickness_nm", "x", "fermi_energy_eV", "dos_ratio", "lambda", "mustar",
            "tc_K") + SENSITIVITY_ROW_KEYS
#: Extra row keys when a sheet resistance is given (docs/stiffness.md §7).
BKT_ROW_KEYS = ("sheet_resistance_ohm", "tc_bkt_K", "tc_bkt_bmo_K", "stiffness_K",
                "kinetic_inductance_pH", "penetration_depth_nm")
#: Row keys of the uncertainty bands at each thickness (docs/uncertainty.md §1;
#: ``p_superconducting`` only with a threshold).
BAND_ROW_KEYS = ("tc_p16_K", "tc_p84_K", "p_superconducting", "tc_model_min_K",
                 "tc_model_max_K")
#: Columns of :meth:`FilmResult.to_dataframe` and of ``tcpredict film --out FILE.csv`` (then the
#: sensitivity, band and BKT keys the rows carry).
FRAME_KEYS = ("material", "lambda_rule", "mustar_rule") + ROW_KEYS
_ROW_UNITS = {"thickness_nm": "nm", "x": "1", "fermi_energy_eV": "eV", "dos_ratio": "1",
              "lambda": "1", "mustar": "1", "tc_K": "K", "sheet_resistance_ohm": "ohm",
              "tc_bkt_K": "K", "tc_bkt_bmo_K": "K", "stiffness_K": "K",
              "kinetic_inductance_pH": "pH", "penetration_depth_nm": "nm", "dlntc_dlambda": "1",
              "dlntc_dmustar": "1", "tc_p16_K": "K", "tc_p84_K": "K", "p_superconducting": "1",
              "tc_model_min_K": "K", "tc_model_max_K": "K"}


# ============================================================================ material
@dataclass(frozen=True, eq=False)
class FilmMaterial:
    r"""Bulk metal whose films are computed.

    Parameters
    ----------
    name : str
        Label carried into results (element symbol for :meth:`from_element`).
    spectrum : Alpha2F
        Bulk α²F(Ω).
    n_per_nm3 : float
        Conduction-electron density n [nm⁻³] (both spins) of the free-electron film model.
    mustar : float
        Bulk μ*, defined at ``mustar_at_meV``.
    mustar_at_meV : float, optional
        Energy [meV] at which μ* is defined (default: Ω_max of the spectrum).
    debye_K : float, optional
        Θ_D [K]; needed only by the ``thomas-fermi`` μ* rule.
    mass_ratio : float
        m/m_e of the free-electron model (default 1).
    tc_measured_K : float, optional
        Measured bulk Tc [K] (reported next to the computed one, not used).
    alpha2f_is_model : bool
        True when the spectrum is a model reconstructed from moments.
    ranges : tcpredict.uncertainty.ParameterRanges, optional
        Uncertainty ranges of λ, ω_log, ω̄₂ and μ* (set by :meth:`from_element`; None: no
        parametric uncertainty; docs/uncertainty.md §4).
    """

    name: str
    spectrum: Alpha2F
    n_per_nm3: float
    mustar: float
    mustar_at_meV: float | None = None
    debye_K: float | None = None
    mass_ratio: float = 1.0
    tc_measured_K: float | None = None
    alpha2f_is_model: bool = False
    ranges: object = None

    def __post_init__(self):
        if not isinstance(self.spectrum, Alpha2F):
            raise ValueError("spectrum must be an Alpha2F")
        object.__setattr__(self, "mustar", check_mustar(self.mustar, "mustar"))
        if self.mustar_at_meV is None:
            object.__setattr__(self, "mustar_at_meV", self.spectrum.omega_max_meV)
        object.__setattr__(self, "mustar_at_meV", check_energy(self.mustar_at_meV,
                                                               "mustar_at_meV"))
        for name, zero_ok in (("debye_K", False), ("tc_measured_K", True)):  # measured Tc 0
            v = getattr(self, name)
            if v is not None and not (math.isfinite(as_float(v, name))
                                      and (v >= 0 if zero_ok else v > 0)):
                raise ValueError(f"{name} must be finite and {'≥' if zero_ok else '>'} 0 K, "
                                 f"got {v}")
        FreeElectronFilm(self.n_per_nm3, self.mass_ratio)  # density and mass ranges

    @classmethod
    def from_element(cls, element) -> "FilmMaterial":
        """Material from the element database (:func:`tcpredict.materials.elements.get_element`).

        Parameters
        ----------
        element : str or tcpredict.materials.elements.Element
            Symbol (case-insensitive) or Element.

        Raises
        ------
        ValueError
            For an unknown element (the message lists the known ones).
        """
        from tcpredict.materials.elements import Element, get_element
        from tcpredict.uncertainty import ParameterRanges

        el = element if isinstance(element, Element) else get_element(element)
        return cls(name=el.symbol, spectrum=el.alpha2f(), n_per_nm3=el.n_per_nm3,
                   mustar=el.mustar, mustar_at_meV=el.mustar_at_meV, debye_K=el.debye_K,
                   tc_measured_K=el.tc_bulk_K, alpha2f_is_model=el.alpha2f_is_model,
                   ranges=ParameterRanges.from_element(el))

    @property
    def film(self) -> FreeElectronFilm:
        return FreeElectronFilm(self.n_per_nm3, self.mass_ratio)

    def context(self) -> FilmContext:
        """The :class:`~tcpredict.films.thickness_rules.FilmContext` of the thickness rules."""
        return FilmContext(film=self.film, lambda_bulk=self.spectrum.lam,
                           mustar_bulk=self.mustar, mustar_at_meV=self.mustar_at_meV,
                           debye_meV=None if self.debye_K is None
                           else self.debye_K * K_B_MEV_PER_K)


# ============================================================================ model
class FilmModel:
    r"""Tc(L) machinery for one material and one pair of thickness rules.

    Parameters
    ----------
    material : FilmMaterial
    lambda_rule, mustar_rule :
        Anything :func:`~tcpredict.films.thickness_rules.get_lambda_rule` /
        :func:`~tcpredict.films.thickness_rules.get_mustar_rule` accept (name, table path, callable,
        rule object). Defaults ``dos-scaling`` and ``constant`` (docs/confinement.md §5).
    energy_dos : bool
        Include the confined ñ(ξ; L) (docs/eliashberg.md §3) with δμ = 0 (default False, see module
        docstring).
    cutoff_meV : float, optional
        Matsubara cutoff ω_c [meV] (default 10 Ω_max, docs/eliashberg.md §2).
    t_min_K : float
        Floor [K]: Tc below it is reported as None.
    rtol : float
        Relative accuracy of each Tc (default 1e-4).
    grid : {"compressed", "full"}
        Matsubara grid of the linearized operator (docs/eliashberg.md §2.5); the
        energy-dependent DOS always uses the full grid.
    kernel : Kernel, optional
        λ(ν) of the bulk spectrum for the compressed grid (default: its interpolated table);
        the uncertainty samples pass the exact kernel of their stretched table here.
    """

    def __init__(self, material: FilmMaterial, lambda_rule=DEFAULT_LAMBDA_RULE,
                 mustar_rule=DEFAULT_MUSTAR_RULE, *, energy_dos: bool = False,
                 cutoff_meV: float | None = None, t_min_K: float = 0.05, rtol: float = 1e-4,
                 grid: str = "compressed", kernel=None):
        if not isinstance(material, FilmMaterial):
            raise ValueError("material must be a FilmMaterial (see FilmMaterial.from_element)")
        check_temperature(t_min_K, "t_min_K")
        if not (0 < rtol < 0.1):
            raise ValueError(f"rtol must be in (0, 0.1), got {rtol}")
        self.material = material
        self.lambda_rule = get_lambda_rule(lambda_rule)
        self.mustar_rule = get_mustar_rule(mustar_rule)
        self.ctx = material.context()
        self.film = self.ctx.film
        self.energy_dos = bool(energy_dos)
        self.coupling = resolve_coupling(material.spectrum, material.mustar,
                                         material.mustar_at_meV, cutoff_meV)
        self.cutoff_meV = self.coupling.cutoff_meV
        self.t_min_K = check_search(t_min_K, self.cutoff_meV)
        self.rtol = float(rtol)
        if grid not in GRIDS:
            raise ValueError(f"unknown grid {grid!r}; valid: {', '.join(GRIDS)}")
        # the energy-dependent DOS needs the full grid (docs/eliashberg.md §3)
        self.grid = "full" if self.energy_dos else grid
        # bulk kernel built once: an interpolated table for compressed nodes, or the quadrature
        # with λ_bulk(ν_k) cached per (T, k_max) on the full grid; every L uses f(L)·λ_bulk
        if self.grid == "compressed":
            self.kernel = kernel if kernel is not None else TableKernel(material.spectrum)
        else:
            self.kernel = SpectrumKernel(material.spectrum)
        self.evaluations = 0
        self._bulk_tc = None
        self._warm = None  # last pairing eigenvector (compressed grid): the next solve's start

    # ---------------------------------------------------------------- couplings
    def couplings(self, thickness_nm):
        """(λ-factor f, μ*(L) at ``mustar_at_meV``) at thicknesses [nm] (1-D arrays); every
        thickness in [0.01, 1e6] nm (README "Limits")."""
        L = validate_thickness_nm(thickness_nm).reshape(-1)
        for x in L[(L < MIN_THICKNESS_NM) | (L > MAX_THICKNESS_NM)][:1]:
            check_thickness(x, "thickness_nm")
        f = np.asarray(self.lambda_rule(L, self.ctx), dtype=float).reshape(-1)
        mu = np.asarray(self.mustar_rule(L, self.ctx), dtype=float).reshape(-1)
        return f, mu

    # ---------------------------------------------------------------- one Tc
    def _problem(self, factor: float, mustar_ref: float, thickness_nm: float | None):
        if factor <= 0:
            return None
        mu_c = rescale_mustar(mustar_ref, self.material.mustar_at_meV, self.cutoff_meV)
        kern = self.kernel.scaled(factor)  # α²F_L = f α²F_bulk: the cached bulk kernel × f
        ns = None
        if self.energy_dos and thickness_nm is not None:
            ns = DOSNormalState([EnergyDOS.from_film(self.film, thickness_nm)],
                                lambda j, T, kmax: kern.on_matsubara(T, kmax))
        return LinearizedOperator([kern], [mu_c], self.cutoff_meV, normal_state_fn=ns,
                                  grid=self.grid)

    def _guess(self, factor: float, mustar_ref: float) -> float:
        sp = self.material.spectrum
        ad = float(allen_dynes_tc_K(factor * sp.lam, sp.omega_log_meV, sp.omega2_meV, mustar_ref))
        return ad if ad > self.t_min_K else self.t_min_K

    def tc_at(self, factor: float, mustar_ref: float, thickness_nm: float | None = None,
              t_guess_K: float | None = None, rtol: float | None = None) -> float | None:
        """Tc [K] for λ-factor f and μ* (at ``mustar_at_meV``); None below ``t_min_K``.

        ``thickness_nm`` is needed only with the energy-dependent DOS.
        """
        prob = self._problem(factor, mustar_ref, thickness_nm)
        if prob is None:
            return None
        g = self._guess(factor, mustar_ref) if t_guess_K is None else max(t_guess_K, self.t_min_K)
        if prob.normal_state_fn is None:  # Lanczos starts from the last thickness's eigenvector
            prob._warm = self._warm
        tc, info = root_tc(prob, g, self.t_min_K, self.rtol if rtol is None else rtol)
        self._warm = prob._warm
        self.evaluations += int(info["evaluations"])
        return tc

    def sensitivity_at(self, factor: float, mustar_ref: float, tc_K: float | None,
                       thickness_nm: float | None = None) -> dict | None:
        """∂ln Tc/∂λ(L) and ∂ln Tc/∂μ*(L) at a computed Tc (docs/uncertainty.md §2; None when
        Tc is None)."""
        from tcpredict.eliashberg.sensitivity import tc_sensitivity

        prob = self._problem(factor, mustar_ref, thickness_nm)
        if prob is None or tc_K is None:
            return None
        return tc_sensitivity(prob, tc_K, factor * self.material.spectrum.lam, mustar_ref,
                              float(prob.mustar[0]))

    def tc_K(self, thickness_nm: float, t_guess_K: float | None = None,
             rtol: float | None = None) -> float | None:
        """Tc [K] at one thickness L [nm] (None below ``t_min_K``)."""
        f, mu = self.couplings(thickness_nm)
        return self.tc_at(float(f[0]), float(mu[0]), float(thickness_nm), t_guess_K, rtol)

    def tc_bulk_model_K(self) -> float | None:
        """Tc [K] of the bulk material with the same solver settings (L → ∞ reference)."""
        if self._bulk_tc is None:
            self._bulk_tc = (self.tc_at(1.0, self.material.mustar, None),)
        return self._bulk_tc[0]

    # ---------------------------------------------------------------- curve
    def curve(self, thickness_nm, progress=None):
        """Tc [K] at many thicknesses (None below the floor), warm-started along sorted L;
        ``progress(done, total)`` (optional) is called after each thickness.

        Returns
        -------
        L, f, mustar, tc : ndarrays in the input order (tc is an object array with None).
        """
        L = validate_thickness_nm(thickness_nm).reshape(-1)
        if L.size == 0:
            raise ValueError("no thicknesses given")
        f, mu = self.couplings(L)
        tc = np.empty(L.size, dtype=object)
        prev = None
        cache: dict = {}
        for done, i in enumerate(np.argsort(L, kind="stable"), start=1):
            key = (float(f[i]), float(mu[i])) if not self.energy_dos else None
            if key is not None and key in cache:
                tc[i] = cache[key]
            else:
                tc[i] = self.tc_at(float(f[i]), float(mu[i]), float(L[i]), t_guess_K=prev)
                if key is not None:
                    cache[key] = tc[i]
                prev = tc[i] if tc[i] is not None else None
            if progress is not None:
                progress(done, L.size)
        return L, f, mu, tc

    # ---------------------------------------------------------------- peak
    def peak(self, lower_nm: float, upper_nm: float, grid_nm=None, grid_tc=None,
             xatol: float = 1e-3):
        """Maximum of Tc(L) on [lower_nm, upper_nm] by bounded minimisation in ln L.

        The interval is split at L_c (cusp of the default rules), L_c itself is evaluated, and
        on each side ``scipy.optimize.minimize_scalar(method="bounded")`` runs between the grid
        neighbours of that side's best grid point (``xatol`` in ln L).

        Returns
        -------
        dict or None
            ``thickness_nm``, ``tc_K``, ``at_critical_thickness`` (True when the maximum is the
            cusp at L_c), ``evaluations``; None when Tc is below the floor everywhere tried.
        """
        lo, hi = float(lower_nm), float(upper_nm)
        if not (0 < lo <= hi):
            raise ValueError("peak search needs 0 < lower_nm ≤ upper_nm")
        Lc = self.film.critical_thickness_nm
        if grid_nm is None:
            grid_nm = np.geomspace(lo, hi, 9) if hi > lo else np.array([lo])
            _, _, _, grid_tc = self.curve(grid_nm)
        gL = np.asarray(grid_nm, dtype=float)
        gT = np.array([0.0 if v is None else float(v) for v in grid_tc])
        order = np.argsort(gL)
        gL, gT = gL[order], gT[order]
        cands: list[tuple[float, float]] = [(float(L), float(T)) for L, T in zip(gL, gT)]
        ev0 = self.evaluations
        if lo <= Lc <= hi:
            t = self.tc_K(Lc, rtol=min(self.rtol, 1e-6))
            cands.append((Lc, 0.0 if t is None else t))
        for a, b in ((lo, min(Lc, hi)), (max(Lc, lo), hi)):
            if b <= a:
                continue
            sel = (gL >= a) & (gL <= b)
            if not np.any(sel):
                continue
            idx = np.flatnonzero(sel)
            k = idx[np.argmax(gT[idx])]
            if gT[k] <= 0:
                continue
            a2 = gL[k - 1] if k - 1 >= 0 and gL[k - 1] >= a else a
            b2 = gL[k + 1] if k + 1 < gL.size and gL[k + 1] <= b else b
            if b2 <= a2:
                continue
            guess = {"t": gT[k]}

            def neg(u):
                t = self.tc_K(math.exp(u), t_guess_K=guess["t"], rtol=min(self.rtol, 1e-6))
                if t is not None:
                    guess["t"] = t
                return -(t or 0.0)

            r = sopt.minimize_scalar(neg, bounds=(math.log(a2), math.log(b2)), method="bounded",
                                     options={"xatol": xatol})
            cands.append((math.exp(float(r.x)), -float(r.fun)))
        best = max(cands, key=lambda c: c[1])
        if best[1] <= 0:
            return None
        return {"thickness_nm": best[0], "tc_K": best[1],
                "at_critical_thickness": bool(abs(best[0] - Lc) <= 1e-12 * Lc),
                "evaluations": self.evaluations - ev0}

    # ---------------------------------------------------------------- window
    def window(self, threshold_K: float, grid_nm, grid_tc, xtol: float = 1e-7):
        """Thickness intervals where Tc ≥ threshold, edges by Brent's method in ln L.

        Parameters
        ----------
        threshold_K : float
            Threshold [K] ≥ ``t_min_K``.
        grid_nm, grid_tc :
            Computed thicknesses [nm] and Tc [K] (None = below the floor) used for bracketing
            (include the peak to catch a window narrower than the grid spacing).
        xtol : float
            Tolerance on ln L of each edge.

        Returns
        -------
        list of dict
            ``lower_nm``, ``upper_nm`` (None when the window is open beyond the computed range)
            and ``tc_at_lower_K``, ``tc_at_upper_K`` (Tc at the edges, = threshold to rtol).
        """
        thr = float(threshold_K)
        if not np.isfinite(thr) or thr < self.t_min_K or thr > T_MAX_K:
            raise ValueError(f"threshold must be in [t_min_K = {self.t_min_K:g}, {T_MAX_K:g}] K, "
                             f"got {threshold_K}")
        gL = np.asarray(grid_nm, dtype=float)
        gT = np.array([0.0 if v is None else float(v) for v in grid_tc])
        order = np.argsort(gL)
        gL, gT = gL[order], gT[order]
        above = gT >= thr
        edge_rtol = min(self.rtol, 1e-7)

        def h(u):
            t = self.tc_K(math.exp(u), rtol=edge_rtol)
            return (t or 0.0) - thr

        def edge(i):  # root between grid points i and i+1
            u = sopt.brentq(h, math.log(gL[i]), math.log(gL[i + 1]), xtol=xtol)
            return math.exp(u)

        out = []
        i = 0
        n = gL.size
        while i < n:
            if not above[i]:
                i += 1
                continue
            lower = None if i == 0 else edge(i - 1)
            j = i
            while j + 1 < n and above[j + 1]:
                j += 1
            upper = None if j == n - 1 else edge(j)
            out.append({"lower_nm": lower, "upper_nm": upper,
                        "tc_at_lower_K": None if lower is None else self.tc_K(lower, rtol=edge_rtol),
                        "tc_at_upper_K": None if upper is None else self.tc_K(upper, rtol=edge_rtol)})
            i = j + 1
        return out


# ============================================================================ result
@dataclass(frozen=True)
class FilmResult:
    """Tc(L) of one material, with its inputs, rules and derived peak/window.

    Attributes
    ----------
    material : str
    critical_thickness_nm : float
        L_c = (2π/n)^{1/3} [nm].
    tc_bulk_model_K : float or None
        Eliashberg Tc of the bulk material with the same solver settings [K] (the model's bulk
        value; the measured one is ``tc_measured_K``).
    lambda_rule, mustar_rule : str
        Names of the thickness rules used.
    rows : list of dict
        Per thickness, keys :data:`ROW_KEYS`: ``thickness_nm``, ``x`` (L/L_c),
        ``fermi_energy_eV``, ``dos_ratio`` (g(E_F)/g₀), ``lambda``, ``mustar`` (at
        ``mustar_at_meV``), ``tc_K`` (None below ``t_min_K``), ``dlntc_dlambda``,
        ``dlntc_dmustar`` (∂ln Tc/∂λ(L), ∂ln Tc/∂μ*(L); docs/uncertainty.md §2); with an
        uncertainty also :data:`BAND_ROW_KEYS`.
    tc_measured_K : float or None
        Measured bulk Tc [K] (element data), for reference.
    lambda_bulk, mustar_bulk, mustar_at_meV, cutoff_meV, mustar_at_cutoff_bulk :
        Bulk couplings; μ* reference energy and Matsubara cutoff [meV].
    fermi_energy_bulk_eV : float
        Free-electron E_F0 [eV].
    energy_dos : bool
        Whether the confined ñ(ξ; L) was included.
    t_min_K, rtol : float
        Floor and relative accuracy of Tc.
    peak : dict or None
        ``thickness_nm``, ``tc_K``, ``at_critical_thickness`` (see :meth:`FilmModel.peak`).
    threshold_K : float or None
    windows : list of dict
        Intervals with Tc ≥ threshold (see :meth:`FilmModel.window`).
    spectrum_source : str
    alpha2f_is_model : bool
    evaluations : int
        Eigenvalue evaluations used.
    find_peak : bool
        Whether the maximum of Tc(L) was searched.

    sheet_resistance_model : dict or None
        R_□(L) model when the BKT temperature was computed (rows then also carry
        :data:`BKT_ROW_KEYS`; docs/stiffness.md §7).
    vortex_dielectric : float or None
        ε_v of the BKT criterion (1 = unrenormalised).
    converged : bool
        False when the Matsubara cutoff does not converge the largest Tc of the curve
        (docs/eliashberg.md §2.2); ``notes`` says why.
    notes : list of str
    uncertainty : dict or None
        Settings, inputs and draws of the uncertainty propagation (rows then carry
        :data:`BAND_ROW_KEYS`; docs/uncertainty.md).

    Keys and units of every field: docs/glossary.md.
    """

    material: str
    critical_thickness_nm: float
    tc_bulk_model_K: float | None
    lambda_rule: str
    mustar_rule: str
    rows: list
    tc_measured_K: float | None = None
    lambda_bulk: float = math.nan
    mustar_bulk: float = math.nan
    mustar_at_meV: float = math.nan
    mustar_at_cutoff_bulk: float = math.nan
    cutoff_meV: float = math.nan
    fermi_energy_bulk_eV: float = math.nan
    energy_dos: bool = False
    t_min_K: float = 0.05
    rtol: float = 1e-4
    peak: dict | None = None
    threshold_K: float | None = None
    windows: list = field(default_factory=list)
    spectrum_source: str = ""
    alpha2f_is_model: bool = False
    evaluations: int = 0
    find_peak: bool = True
    sheet_resistance_model: dict | None = None
    vortex_dielectric: float | None = None
    converged: bool = True
    notes: list = field(default_factory=list)
    uncertainty: dict | None = None

    @property
    def has_bkt(self) -> bool:
        """True when the rows carry the BKT keys."""
        return self.sheet_resistance_model is not None

    @property
    def tc_bkt_K(self) -> np.ndarray:
        """T_BKT [K] per row, NaN where below the floor or not computed."""
        return np.array([math.nan if r.get("tc_bkt_K") is None else r["tc_bkt_K"]
                         for r in self.rows])

    @property
    def thickness_nm(self) -> np.ndarray:
        return np.array([r["thickness_nm"] for r in self.rows])

    @property
    def tc_K(self) -> np.ndarray:
        """Tc [K] per row, NaN where below the floor."""
        return np.array([math.nan if r["tc_K"] is None else r["tc_K"] for r in self.rows])

    @property
    def peak_thickness_nm(self) -> float | None:
        return None if self.peak is None else self.peak["thickness_nm"]

    @property
    def peak_tc_K(self) -> float | None:
        return None if self.peak is None else self.peak["tc_K"]

    def row_columns(self) -> list[str]:
        """Row keys present in this result, in table order: :data:`ROW_KEYS`, then the
        sensitivity, band and BKT keys the rows carry."""
        first = self.rows[0] if self.rows else {}
        extra = [k for k in BAND_ROW_KEYS + BKT_ROW_KEYS if k in first]
        return list(ROW_KEYS) + extra

    def band(self, key: str) -> np.ndarray:
        """A row key as a float array (NaN where None or absent), e.g. ``band("tc_p16_K")``."""
        return np.array([math.nan if r.get(key) is None else float(r[key]) for r in self.rows])

    def to_dict(self) -> dict:
        """JSON-ready dict (rows as dicts; None for Tc below the floor)."""
        d = asdict(self)
        d["rows"] = [dict(r) for r in self.rows]
        if self.uncertainty is None:
            d.pop("uncertainty")
        return d

    def parameters(self) -> dict:
        """The resolved inputs (defaults filled in; docs/glossary.md): material, thicknesses,
        rules, energy-DOS switch, cutoff, floor, accuracy, threshold and peak search, and the
        R_□(L) model (its description) and ε_v of the BKT temperature (``None`` without one).
        Rerunning :func:`film_tc` with them reproduces the result."""
        return {"material": self.material, "thickness_nm": [r["thickness_nm"] for r in self.rows],
                "lambda_rule": self.lambda_rule, "mustar_rule": self.mustar_rule,
                "energy_dos": self.energy_dos, "cutoff_meV": self.cutoff_meV,
                "t_min_K": self.t_min_K, "rtol": self.rtol, "threshold_K": self.threshold_K,
                "find_peak": self.find_peak, "sheet_resistance_model": self.sheet_resistance_model,
                "vortex_dielectric": self.vortex_dielectric,
                "uncertainty": None if self.uncertainty is None else {
                    k: self.uncertainty[k] for k in ("samples", "seed", "threshold_K",
                                                     "parametric", "model")}}

    def to_dataframe(self):
        """The rows as a pandas DataFrame: columns :data:`FRAME_KEYS` (``material``,
        ``lambda_rule``, ``mustar_rule``, then :data:`ROW_KEYS`, plus the band keys and
        :data:`BKT_ROW_KEYS` that the rows carry); Tc below the floor is NaN. ``attrs`` holds
        ``tcpredict_version`` and ``parameters`` (:meth:`parameters`)."""
        import pandas as pd

        from tcpredict.provenance import jsonable, version

        cols = self.row_columns()
        df = pd.DataFrame(self.rows, columns=cols)
        for c in ["tc_K", *SENSITIVITY_ROW_KEYS] + cols[len(ROW_KEYS):]:
            df[c] = df[c].astype(float)
        df.insert(0, "material", self.material)
        df.insert(1, "lambda_rule", self.lambda_rule)
        df.insert(2, "mustar_rule", self.mustar_rule)
        df.attrs.update(tcpredict_version=version(), parameters=jsonable(self.parameters()))
        return df

    def to_xarray(self):
        """The rows as an :class:`xarray.Dataset` on the dimension ``thickness_nm`` (variables
        ``x``, ``fermi_energy_eV``, ``dos_ratio``, ``lambda``, ``mustar``, ``tc_K``, and the
        sensitivity and band keys the rows carry; NaN below the floor), with the material,
        rules, bulk references and provenance in ``attrs``."""
        import xarray as xr

        from tcpredict.provenance import jsonable, version

        df = self.to_dataframe()
        keys = [k for k in self.row_columns() if k in _ROW_UNITS]
        ds = xr.Dataset({k: ("thickness_nm", df[k].to_numpy(dtype=float))
                         for k in keys if k != "thickness_nm"},
                        coords={"thickness_nm": df["thickness_nm"].to_numpy(dtype=float)})
        for k in keys:
            ds[k].attrs["units"] = _ROW_UNITS[k]
        ds.attrs.update({k: v for k, v in (
            ("material", self.material), ("lambda_rule", self.lambda_rule),
            ("mustar_rule", self.mustar_rule), ("critical_thickness_nm",
                                                self.critical_thickness_nm),
            ("tc_bulk_model_K", self.tc_bulk_model_K), ("tc_measured_K", self.tc_measured_K),
            ("tcpredict_version", version())) if v is not None})
        ds.attrs["parameters"] = json.dumps(jsonable(self.parameters()))
        return ds


def film_tc(material, thickness_nm, *, lambda_rule=DEFAULT_LAMBDA_RULE,
            mustar_rule=DEFAULT_MUSTAR_RULE, energy_dos: bool = False,
            cutoff_meV: float | None = None, t_min_K: float = 0.05, rtol: float = 1e-4,
            threshold_K: float | None = None, find_peak: bool = True,
            sheet_resistance=None, vortex_dielectric: float = 1.0, sensitivity: bool = True,
            uncertainty=None, progress=None) -> FilmResult:
    r"""Tc(L) of a film of one material over a list of thicknesses (docs/confinement.md §6).

    Parameters
    ----------
    material : str, tcpredict.materials.elements.Element or FilmMaterial
        Element symbol/record, or an explicit material (spectrum, n, μ* …).
    thickness_nm : float or array_like
        Thicknesses L [nm] > 0.
    lambda_rule, mustar_rule :
        Thickness rules (docs/confinement.md §5); defaults ``dos-scaling`` and ``constant``.
    energy_dos : bool
        Include the confined ñ(ξ; L) in the Eliashberg equations (default False; module
        docstring).
    cutoff_meV : float, optional
        Matsubara cutoff ω_c [meV] (default 10 Ω_max).
    t_min_K : float
        Floor [K] (default 0.05 K): lower Tc is reported as None.
    rtol : float
        Relative accuracy of each Tc.
    threshold_K : float, optional
        Also find the thickness window(s) where Tc ≥ threshold.
    find_peak : bool
        Locate the maximum of Tc(L) within the thickness range by optimisation.
    sheet_resistance : optional
        Normal-state R_□(L): a number [Ω] (the same at every L), a table file
        ``thickness_nm sheet_resistance_ohm``, a :class:`tcpredict.films.bkt.SheetResistanceModel`
        (e.g. Fuchs–Sondheimer ρ(L)/L) or a callable L [nm] → R_□ [Ω]. When given, each row also
        gets T_BKT and the low-temperature stiffness (:data:`BKT_ROW_KEYS`, docs/stiffness.md §7).
    vortex_dielectric : float
        ε_v ≥ 1 of the BKT criterion (default 1).
    sensitivity : bool
        Add ∂ln Tc/∂λ(L) and ∂ln Tc/∂μ*(L) to every row (:data:`SENSITIVITY_ROW_KEYS`,
        docs/uncertainty.md §2).
    uncertainty : bool or tcpredict.uncertainty.Uncertainty, optional
        Add the bands of every row (:data:`BAND_ROW_KEYS`): percentiles over draws of the
        material's data ranges and the range over the shipped thickness rules
        (docs/uncertainty.md). ``threshold_K`` (if given) is also the threshold of
        ``p_superconducting`` unless the Uncertainty names its own.
    progress : callable, optional
        ``progress(done, total)`` after the Tc of each thickness (the CLI's progress bar).

    Returns
    -------
    FilmResult
    """
    if threshold_K is not None:  # checked before any Tc is computed
        thr = check_temperature(threshold_K, "threshold_K")
        if thr < t_min_K:
            raise ValueError(f"threshold_K = {thr:g} K is below the floor t_min_K = {t_min_K:g} K")
    if not isinstance(material, FilmMaterial):
        material = FilmMaterial.from_element(material)
    model = FilmModel(material, lambda_rule, mustar_rule, energy_dos=energy_dos,
                      cutoff_meV=cutoff_meV, t_min_K=t_min_K, rtol=rtol)
    L, f, mu, tc = model.curve(thickness_nm, progress=progress)
    film = model.film
    ef = np.asarray(film.fermi_energy_meV(L)).reshape(-1)
    x = np.asarray(film.x(L)).reshape(-1)
    ratio = np.asarray(film.dos_ratio(L)).reshape(-1)
    lam_b = material.spectrum.lam
    rows = [{"thickness_nm": float(L[i]), "x": float(x[i]), "fermi_energy_eV": float(ef[i]) / 1e3,
             "dos_ratio": float(ratio[i]), "lambda": float(f[i] * lam_b), "mustar": float(mu[i]),
             "tc_K": None if tc[i] is None else float(tc[i])} for i in range(L.size)]
    done: dict = {}
    for i, r in enumerate(rows):
        key = (float(f[i]), float(mu[i]), float(L[i]) if model.energy_dos else None)
        if sensitivity and key not in done:
            done[key] = model.sensitivity_at(float(f[i]), float(mu[i]), r["tc_K"], float(L[i]))
        s = done.get(key) or {}
        r.update(dlntc_dlambda=s.get("dlntc_dlambda"), dlntc_dmustar=s.get("dlntc_dmustar"))
    peak = None
    gL, gT = list(L), list(tc)
    if find_peak and L.size >= 1:
        peak = model.peak(float(L.min()), float(L.max()), L, tc)
        if peak is not None:
            gL.append(peak["thickness_nm"])
            gT.append(peak["tc_K"])
    windows: list = []
    if threshold_K is not None:
        windows = model.window(threshold_K, gL, gT)
    unc = None
    from tcpredict.uncertainty import as_uncertainty

    spec = as_uncertainty(uncertainty)
    if spec is not None:
        from dataclasses import replace as _replace

        from tcpredict.uncertainty import film_bands

        if spec.threshold_K is None and threshold_K is not None:
            spec = _replace(spec, threshold_K=float(threshold_K))
        extra = [] if peak is None else [peak["thickness_nm"]]
        bands, unc = film_bands(model, np.concatenate([L, extra]),
                                [r["tc_K"] for r in rows] + ([peak["tc_K"]] if extra else []),
                                spec)
        for r, b in zip(rows, bands):
            r.update(b.summary())
        if peak is not None:
            peak = {**peak, **bands[-1].summary()}
    r_model = None
    if sheet_resistance is not None:
        from tcpredict.films.bkt import film_bkt_rows, sheet_resistance_model

        rmod = sheet_resistance_model(sheet_resistance)
        rows = film_bkt_rows(model, rows, rmod, vortex_dielectric=vortex_dielectric)
        r_model = rmod.describe()
    tcs = [r["tc_K"] for r in rows if r["tc_K"] is not None]
    if peak is not None and peak.get("tc_K"):
        tcs.append(peak["tc_K"])
    problems = cutoff_problems(max(tcs) if tcs else None, model.cutoff_meV,
                               material.spectrum.omega_max_meV)
    return FilmResult(
        material=material.name, critical_thickness_nm=film.critical_thickness_nm,
        tc_bulk_model_K=model.tc_bulk_model_K(), lambda_rule=model.lambda_rule.name,
        mustar_rule=model.mustar_rule.name, rows=rows,
        tc_measured_K=material.tc_measured_K, lambda_bulk=lam_b,
        mustar_bulk=material.mustar, mustar_at_meV=float(material.mustar_at_meV),
        mustar_at_cutoff_bulk=model.coupling.mustar_at_cutoff, cutoff_meV=model.cutoff_meV,
        fermi_energy_bulk_eV=film.bulk_fermi_energy_meV / 1e3, energy_dos=model.energy_dos,
        t_min_K=model.t_min_K, rtol=model.rtol, peak=peak,
        threshold_K=None if threshold_K is None else float(threshold_K), windows=windows,
        spectrum_source=material.spectrum.source, alpha2f_is_model=material.alpha2f_is_model,
        evaluations=model.evaluations, find_peak=bool(find_peak), sheet_resistance_model=r_model,
        vortex_dielectric=None if r_model is None else float(vortex_dielectric),
        converged=not problems, notes=[f"not converged: {p}" for p in problems],
        uncertainty=unc)
