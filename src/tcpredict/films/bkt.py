r"""Berezinskii–Kosterlitz–Thouless temperature of a film or stack from the Eliashberg gap
(docs/stiffness.md §§5–8).

A film thin against the Pearl length loses phase coherence where the Nelson–Kosterlitz universal
jump condition is met (Nelson & Kosterlitz, Phys. Rev. Lett. 39, 1201 (1977)):

.. math::  k_BT_{BKT} = \frac{π}{2}\,\frac{J_s(T_{BKT})}{ε_v},

with the phase stiffness J_s(T) = (ħ/2e)²/L_k(T) of :mod:`tcpredict.eliashberg.stiffness` computed
from the self-consistent Δ(iω_n; T) at each temperature. ε_v ≥ 1 is an optional vortex
dielectric constant (the ε_c of Beasley, Mooij & Orlando, Phys. Rev. Lett. 42, 1165 (1979)):
bound vortex pairs screen the stiffness seen at long distances, J_s^R = J_s/ε_v. The default
ε_v = 1 is the unrenormalised condition (no vortex-core correction).

The root of F(T) = (π/2)J_s(T)/ε_v − k_BT is bracketed without guessing: F(Tc) = −k_BTc and
dF/dT ≤ −k_B (J_s falls with T), so from any T₀ the step T₁ = T₀ + F(T₀)/k_B lands on the other
side of the root; Brent's method then refines it to ``rtol``. Every gap is warm-started from the
solved temperature closest to it. The search may go up to 1.001 Tc: whether Δ = 0 is decided by
the gap solver itself (largest pairing eigenvalue ρ(T) ≤ 1), not by the Tc passed in, so
T_BKT ≤ Tc holds to the solver's accuracy even when Tc is known only to a tolerance.

Closed-form cross-check (docs/stiffness.md §6): with the BCS dirty-limit stiffness near Tc,
Δ² = (8π²/7ζ(3))(k_BTc)²(1 − T/Tc) and Δ tanh(Δ/2k_BT) ≈ Δ²/2k_BTc,

.. math::  T_{BKT}/T_c = [1 + 0.1728\,ε_v R_□/R_Q]^{-1}, \qquad R_Q = ħ/e²,

the relation of Beasley, Mooij & Orlando (1979), 0.1728 = 14ζ(3)/π⁴.

Sheet resistance versus thickness (docs/stiffness.md §7): a constant, a table file, or
R_□(L) = ρ(L)/L with the Fuchs–Sondheimer size effect (Sondheimer, Adv. Phys. 1, 1 (1952)) and
the free-electron (Drude) mean free path ℓ = ħk_F/(n e² ρ_bulk).

Units: temperatures K, resistances Ω, resistivities µΩ·cm, thicknesses and ℓ nm.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tcpredict.textfile import read_text
import scipy.integrate as sint
import scipy.optimize as sopt

from tcpredict.eliashberg.stiffness import R_Q_OHM, StiffnessResult, superfluid_stiffness
from tcpredict.units import E_CHARGE_C, HBAR_J_S

log = logging.getLogger(__name__)

__all__ = [
    "BMO_COEFFICIENT",
    "BKTResult",
    "bmo_tc_ratio",
    "bkt_from_gaps",
    "bkt_temperature",
    "film_bkt",
    "stack_bkt",
    "fuchs_sondheimer_ratio",
    "drude_mean_free_path_nm",
    "SheetResistanceModel",
    "ConstantSheetResistance",
    "TableSheetResistance",
    "FuchsSondheimerSheetResistance",
    "CallableSheetResistance",
    "read_sheet_resistance_table",
    "sheet_resistance_model",
    "film_bkt_rows",
    "MAX_MATSUBARA",
]

#: 14ζ(3)/π⁴ = 0.17277…: T_BKT/Tc = 1/(1 + c ε_v R_□/R_Q) (docs/stiffness.md §6).
BMO_COEFFICIENT = 14.0 * 1.2020569031595942 / math.pi ** 4
#: Largest Matsubara grid (frequencies below the cutoff at the lowest temperature searched).
MAX_MATSUBARA = 200_000
#: The zero-temperature stiffness is reported at this fraction of Tc (J_s(0.1 Tc) equals J_s(0)
#: to within exp(−1.76/0.1) in BCS).
LOW_T_FRACTION = 0.1


def bmo_tc_ratio(sheet_resistance_ohm, vortex_dielectric: float = 1.0):
    r"""Beasley–Mooij–Orlando estimate T_BKT/Tc = 1/(1 + 0.1728 ε_v R_□/R_Q) (docs/stiffness.md §6;
    Phys. Rev. Lett. 42, 1165 (1979)). A cross-check only: it linearises the BCS stiffness
    about Tc and is accurate to O((R_□/R_Q)²)."""
    R = np.asarray(sheet_resistance_ohm, dtype=float)
    if np.any(~np.isfinite(R)) or np.any(R < 0):
        raise ValueError("sheet_resistance_ohm must be finite and ≥ 0")
    _check_eps(vortex_dielectric)
    out = 1.0 / (1.0 + BMO_COEFFICIENT * vortex_dielectric * R / R_Q_OHM)
    return float(out) if out.ndim == 0 else out


def _check_eps(eps: float) -> float:
    eps = float(eps)
    if not (math.isfinite(eps) and eps >= 1.0):
        raise ValueError(f"vortex_dielectric ε_v must be ≥ 1 (1 = no vortex renormalisation), "
                         f"got {eps}")
    return eps


# ================================================================================ result
@dataclass(frozen=True)
class BKTResult:
    """BKT temperature of a film or stack and its low-temperature stiffness.

    Attributes
    ----------
    tc_bkt_K : float or None
        Root of k_BT = (π/2)J_s(T)/ε_v [K]; None when below ``t_min_K`` (or Tc is None).
    tc_K : float or None
        Mean-field (Eliashberg) Tc [K] used as the upper end of the search.
    sheet_resistance_ohm : float
        Normal-state R_□ [Ω] (whole film/stack).
    layer_sheet_resistances_ohm : tuple
        R_j [Ω] per layer (parallel conduction).
    vortex_dielectric : float
        ε_v (1 = unrenormalised universal jump).
    stiffness_K, kinetic_inductance_pH, penetration_depth_nm :
        J_s/k_B [K], L_k [pH per square] and λ_L [nm] (None without a thickness) at
        ``stiffness_temperature_K``.
    stiffness_temperature_K : float or None
        Temperature of the low-temperature stiffness: 0.1 Tc (but ≥ ``t_min_K``).
    tc_bkt_bmo_K : float or None
        Beasley–Mooij–Orlando closed form Tc/(1 + 0.1728 ε_v R_□/R_Q) [K] (cross-check).
    tail_fraction : float
        Largest share of the Matsubara tail in any pair sum used.
    evaluations : int
        Gap solutions used by the root search.
    rtol, t_min_K : float
    notes : tuple of str
    """

    tc_bkt_K: float | None
    tc_K: float | None
    sheet_resistance_ohm: float
    layer_sheet_resistances_ohm: tuple
    vortex_dielectric: float
    stiffness_K: float | None
    kinetic_inductance_pH: float | None
    penetration_depth_nm: float | None
    stiffness_temperature_K: float | None
    tc_bkt_bmo_K: float | None
    tail_fraction: float
    evaluations: int
    rtol: float
    t_min_K: float
    criterion: str = "k_B T = (π/2) J_s(T)/ε_v (Nelson–Kosterlitz), J_s from the dirty-limit " \
                     "Matsubara superfluid weight"
    notes: tuple = field(default_factory=tuple)

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["layer_sheet_resistances_ohm"] = list(self.layer_sheet_resistances_ohm)
        d["notes"] = list(self.notes)
        return d


# ============================================================================ root search
class _GapCache:
    """Solved gaps by temperature; ``nearest(T)`` is the warm start for a new T."""

    def __init__(self):
        self.T: list[float] = []
        self.g: list = []

    def add(self, T, g):
        i = bisect.bisect(self.T, T)
        self.T.insert(i, T)
        self.g.insert(i, g)

    def nearest(self, T):
        good = [(abs(t - T), g) for t, g in zip(self.T, self.g) if g.superconducting]
        return min(good, key=lambda x: x[0])[1] if good else None


def bkt_from_gaps(gap_at, tc_K: float | None, stiffness_kw: dict, *,
                  vortex_dielectric: float = 1.0, rtol: float = 1e-4, t_min_K: float = 0.01,
                  low_t_stiffness: bool = True) -> BKTResult:
    r"""Solve k_BT = (π/2) J_s(T)/ε_v with J_s from gaps returned by ``gap_at(T, start)``.

    Parameters
    ----------
    gap_at : callable
        ``gap_at(temperature_K, start) -> gap`` (a GapResult or StackGapResult); ``start`` is a
        previously returned gap to warm-start from, or None.
    tc_K : float or None
        Mean-field Tc [K] (upper end of the search); None gives ``tc_bkt_K = None``.
    stiffness_kw : dict
        Resistance/thickness arguments of
        :func:`tcpredict.eliashberg.stiffness.superfluid_stiffness`.
    vortex_dielectric : float
        ε_v ≥ 1 (default 1: the unrenormalised universal jump).
    rtol : float
        Relative accuracy of T_BKT.
    t_min_K : float
        Floor [K]: T_BKT below it is reported as None.
    low_t_stiffness : bool
        Also report the stiffness at 0.1 Tc.

    Returns
    -------
    BKTResult
    """
    eps = _check_eps(vortex_dielectric)
    if not (0 < rtol < 0.1):
        raise ValueError(f"rtol must be in (0, 0.1), got {rtol}")
    if not (math.isfinite(t_min_K) and t_min_K > 0):
        raise ValueError(f"t_min_K must be > 0 K, got {t_min_K}")
    cache = _GapCache()
    state = {"evals": 0, "tail": 0.0, "last": None}
    notes: list[str] = []

    def stiffness(T: float) -> StiffnessResult:
        g = gap_at(T, cache.nearest(T))
        state["evals"] += 1
        cache.add(T, g)
        s = superfluid_stiffness(g, **stiffness_kw)
        state["tail"] = max(state["tail"], s.tail_fraction)
        state["last"] = s
        return s

    def F(T: float) -> float:  # (π/2)J_s/ε_v − T  [K]; the solver decides Δ = 0 (ρ ≤ 1)
        s = stiffness(T)
        return 0.5 * math.pi * (s.stiffness_K or 0.0) / eps - T

    R = _probe_resistance(stiffness_kw)  # total R_□, validated once (start value, BMO)
    layer_R = ()
    tc_bkt = None
    if tc_K is None:
        notes.append("no superconductivity above the floor: no BKT transition")
    else:
        tc_K = float(tc_K)
        bmo = tc_K * bmo_tc_ratio(R, eps)
        # upper end slightly above the given Tc: F is evaluated honestly there (the gap solver
        # returns Δ = 0 above its own Tc), so a Tc known only to a tolerance does no harm
        top = tc_K * (1.0 + 1e-3)
        T0 = _bcs_start(tc_K, R, eps)
        T0 = min(max(T0, t_min_K), tc_K * (1.0 - 1e-6))
        f0 = F(T0)
        layer_R = state["last"].layer_sheet_resistances_ohm
        if f0 == 0.0:
            tc_bkt = T0
        else:
            T1 = min(max(T0 + f0, t_min_K), top)  # dF/dT ≤ −1: the step crosses the root
            f1 = F(T1)
            a, fa, b, fb = (T0, f0, T1, f1) if T0 < T1 else (T1, f1, T0, f0)
            # expand if J_s was not monotonic (never seen; kept as a guard)
            while fa < 0 and a > t_min_K:
                a = max(a / 2.0, t_min_K)
                fa = F(a)
            while fb > 0 and b < top:
                b = min(b + 0.5 * (top - b) + 1e-9 * tc_K, top)
                fb = F(b)
            if fa < 0:
                notes.append(f"T_BKT is below the floor t_min = {t_min_K:g} K")
            elif fa == 0:
                tc_bkt = a
            elif fb == 0:
                tc_bkt = b
            else:
                tc_bkt = sopt.brentq(F, a, b, xtol=rtol * a * 0.25, rtol=4 * np.finfo(float).eps)
        low = None
        if low_t_stiffness:
            T_low = max(LOW_T_FRACTION * tc_K, t_min_K)
            low = stiffness(T_low) if T_low < tc_K else None
        if eps != 1.0:
            notes.append(f"vortex dielectric constant ε_v = {eps:g} applied (J_s/ε_v)")
        return BKTResult(
            tc_bkt_K=None if tc_bkt is None else float(tc_bkt), tc_K=tc_K,
            sheet_resistance_ohm=R, layer_sheet_resistances_ohm=tuple(layer_R),
            vortex_dielectric=eps,
            stiffness_K=None if low is None else low.stiffness_K,
            kinetic_inductance_pH=None if low is None else low.kinetic_inductance_pH,
            penetration_depth_nm=None if low is None else low.penetration_depth_nm,
            stiffness_temperature_K=None if low is None else low.temperature_K,
            tc_bkt_bmo_K=bmo, tail_fraction=state["tail"], evaluations=state["evals"],
            rtol=rtol, t_min_K=t_min_K, notes=tuple(notes))
    return BKTResult(tc_bkt_K=None, tc_K=None, sheet_resistance_ohm=R,
                     layer_sheet_resistances_ohm=(), vortex_dielectric=eps, stiffness_K=None,
                     kinetic_inductance_pH=None, penetration_depth_nm=None,
                     stiffness_temperature_K=None, tc_bkt_bmo_K=None, tail_fraction=0.0,
                     evaluations=0, rtol=rtol, t_min_K=t_min_K, notes=tuple(notes))


def _probe_resistance(stiffness_kw: dict) -> float:
    """Total R_□ [Ω] implied by the resistance arguments (validated as the stiffness does)."""
    from tcpredict.eliashberg.stiffness import _resolve_resistances

    lsr = stiffness_kw.get("layer_sheet_resistances_ohm")
    n = 1 if lsr is None else len(np.atleast_1d(lsr))
    shares = stiffness_kw.get("conductance_shares")
    if shares is not None:
        n = len(np.atleast_1d(shares))
    _, R, _, _ = _resolve_resistances(n, stiffness_kw.get("sheet_resistance_ohm"),
                                      stiffness_kw.get("thickness_nm"),
                                      stiffness_kw.get("resistivity_uohm_cm"), lsr, shares)
    if R is None:
        raise ValueError("the BKT temperature needs the normal-state sheet resistance: give "
                         "sheet_resistance_ohm, or resistivity_uohm_cm with thickness_nm")
    return R


def _bcs_start(tc_K: float, R: float, eps: float) -> float:
    """Start value: root of k_BT = (π²/8ε_v)(R_Q/R_□) Δ tanh(Δ/2k_BT) with the BCS-like
    interpolation of Δ(T) (docs/stiffness.md §6)."""
    from tcpredict.eliashberg.gap import bcs_gap_guess_meV
    from tcpredict.units import K_B_MEV_PER_K

    pref = math.pi ** 2 / (8.0 * eps) * R_Q_OHM / R

    def f(T):
        d = bcs_gap_guess_meV(tc_K, T) / K_B_MEV_PER_K  # K
        return pref * d * math.tanh(d / (2.0 * T)) - T if d > 0 else -T

    lo, hi = 1e-6 * tc_K, tc_K * (1 - 1e-12)
    if f(lo) <= 0:
        return lo
    if f(hi) >= 0:  # R_□ → 0: the stiffness jump lies at Tc itself (T_BKT → Tc)
        return hi
    return sopt.brentq(f, lo, hi, xtol=1e-6 * tc_K)


def _check_grid(temperature_K: float, cutoff_meV: float) -> None:
    from tcpredict.eliashberg.matsubara import n_matsubara

    n = n_matsubara(temperature_K, cutoff_meV)
    if n > MAX_MATSUBARA:
        raise ValueError(f"t_min_K = {temperature_K:g} K with the cutoff {cutoff_meV:g} meV needs "
                         f"{n} Matsubara frequencies (limit {MAX_MATSUBARA}); raise t_min_K")


# ============================================================================ front ends
def bkt_temperature(spectrum, mustar: float, sheet_resistance_ohm: float | None = None, *,
                    mustar_at_meV: float | None = None, cutoff_meV: float | None = None,
                    tc_K: float | None = None, thickness_nm: float | None = None,
                    resistivity_uohm_cm: float | None = None, vortex_dielectric: float = 1.0,
                    rtol: float = 1e-4, t_min_K: float = 0.01) -> BKTResult:
    r"""BKT temperature [K] of a film of one superconductor (bulk α²F and μ*).

    docs/stiffness.md §5: root of k_BT = (π/2)J_s(T)/ε_v with J_s from
    :func:`~tcpredict.eliashberg.gap.solve_gap` at each T (warm-started).

    Parameters
    ----------
    spectrum : Alpha2F
    mustar : float
        μ* at ``mustar_at_meV`` (default Ω_max), rescaled to the cutoff (Morel–Anderson).
    sheet_resistance_ohm : float, optional
        Normal-state R_□ [Ω]. Or give ``resistivity_uohm_cm`` with ``thickness_nm``.
    cutoff_meV : float, optional
        Matsubara cutoff [meV] (default 10 Ω_max).
    tc_K : float, optional
        Eliashberg Tc [K] (computed with rtol 1e-6 if not given).
    thickness_nm : float, optional
        Film thickness d [nm] (R_□ = ρ/d with the resistivity; penetration depth).
    resistivity_uohm_cm : float, optional
        Normal-state resistivity ρ [µΩ·cm].
    vortex_dielectric : float
        ε_v ≥ 1 (default 1).
    rtol : float
        Relative accuracy of T_BKT.
    t_min_K : float
        Floor [K].

    Returns
    -------
    BKTResult
    """
    from tcpredict.eliashberg.gap import solve_gap
    from tcpredict.eliashberg.tc import resolve_coupling, solve_tc

    cs = resolve_coupling(spectrum, mustar, mustar_at_meV, cutoff_meV)
    _check_grid(t_min_K, cs.cutoff_meV)
    kw = {"sheet_resistance_ohm": sheet_resistance_ohm, "thickness_nm": thickness_nm,
          "resistivity_uohm_cm": resistivity_uohm_cm}
    _probe_resistance(kw)
    if tc_K is None:
        tc_K = solve_tc(spectrum, mustar, mustar_at_meV=mustar_at_meV, cutoff_meV=cutoff_meV,
                        t_min_K=t_min_K, rtol=1e-6, grid="full", sensitivity=False).tc_K

    def gap_at(T, start):
        return solve_gap(spectrum, mustar, T, mustar_at_meV=mustar_at_meV,
                         cutoff_meV=cs.cutoff_meV, tc_K=tc_K, start=start)

    return bkt_from_gaps(gap_at, tc_K, kw, vortex_dielectric=vortex_dielectric, rtol=rtol,
                         t_min_K=t_min_K)


def film_bkt(model, thickness_nm: float, sheet_resistance_ohm: float, *,
             tc_K: float | None = None, vortex_dielectric: float = 1.0, rtol: float = 1e-4,
             t_min_K: float | None = None) -> BKTResult:
    r"""BKT temperature [K] of a film at thickness L [nm] with sheet resistance R_□ [Ω].

    Uses the couplings of :meth:`tcpredict.films.film.FilmModel.couplings` (λ-factor f(L), μ*(L)
    at the material's reference energy) and :func:`~tcpredict.eliashberg.gap.solve_gap` on
    f(L)·α²F_bulk with the model's cutoff (docs/stiffness.md §7). The energy-dependent DOS
    option of the film model is not used here (constant DOS).
    """
    from tcpredict.eliashberg.gap import solve_gap

    L = float(thickness_nm)
    f, mu = model.couplings(L)
    f, mu = float(f[0]), float(mu[0])
    t_min = model.t_min_K if t_min_K is None else float(t_min_K)
    _check_grid(t_min, model.cutoff_meV)
    kw = {"sheet_resistance_ohm": sheet_resistance_ohm, "thickness_nm": L}
    if f <= 0:
        return bkt_from_gaps(lambda T, s: None, None, kw, vortex_dielectric=vortex_dielectric,
                             rtol=rtol, t_min_K=t_min)
    if tc_K is None:
        tc_K = model.tc_at(f, mu, L, rtol=min(model.rtol, 1e-6))
    sp = model.material.spectrum.scaled(f)
    at = model.material.mustar_at_meV

    def gap_at(T, start):
        return solve_gap(sp, mu, T, mustar_at_meV=at, cutoff_meV=model.cutoff_meV, tc_K=tc_K,
                         start=start)

    return bkt_from_gaps(gap_at, tc_K, kw, vortex_dielectric=vortex_dielectric, rtol=rtol,
                         t_min_K=t_min)


def stack_bkt(stack, sheet_resistance_ohm: float | None = None, *,
              resistivities_uohm_cm=None, layer_sheet_resistances_ohm=None,
              tc_K: float | None = None, vortex_dielectric: float = 1.0, rtol: float = 1e-4,
              t_min_K: float = 0.01) -> BKTResult:
    r"""BKT temperature [K] of a proximity stack (docs/stiffness.md §8).

    The layers conduct in parallel: 1/R_□ = Σ_j 1/R_j and 1/L_k = Σ_j 2S_j/(ħR_j), each layer
    with its own Δ_j(iω_n) from :meth:`tcpredict.stacks.proximity.Stack.gaps`. Give one of

    - ``layer_sheet_resistances_ohm``: R_j [Ω] per layer;
    - ``resistivities_uohm_cm``: ρ_j [µΩ·cm] per layer (one value: the same for all), R_j = ρ_j/d_j;
    - ``sheet_resistance_ohm``: the measured R_□ of the whole stack [Ω], split among the layers
      in proportion to their thickness (equal resistivities: g_j = d_j/Σd).

    ``tc_K`` defaults to the stack Tc on the exact Matsubara grid (the grid of the gaps).
    """
    layers = stack.layers
    d = np.array([la.thickness_nm for la in layers])
    given = [x is not None for x in (sheet_resistance_ohm, resistivities_uohm_cm,
                                     layer_sheet_resistances_ohm)]
    if sum(given) != 1:
        raise ValueError("give exactly one of sheet_resistance_ohm, resistivities_uohm_cm or "
                         "layer_sheet_resistances_ohm")
    if resistivities_uohm_cm is not None:
        rho = np.atleast_1d(np.asarray(resistivities_uohm_cm, dtype=float))
        if rho.size == 1:
            rho = np.full(d.size, float(rho[0]))
        if rho.size != d.size:
            raise ValueError(f"{d.size} layers need {d.size} resistivities (µΩ·cm), got "
                             f"{rho.size}")
        if np.any(~np.isfinite(rho)) or np.any(rho <= 0):
            raise ValueError("resistivities must be finite and > 0 µΩ·cm")
        kw = {"layer_sheet_resistances_ohm": [float(x) for x in rho * 1e-8 / (d * 1e-9)]}
    elif layer_sheet_resistances_ohm is not None:
        kw = {"layer_sheet_resistances_ohm": [float(x) for x in
                                              np.atleast_1d(layer_sheet_resistances_ohm)]}
    else:
        kw = {"sheet_resistance_ohm": sheet_resistance_ohm,
              "conductance_shares": [float(x) for x in d]}
        if d.size == 1:
            kw = {"sheet_resistance_ohm": sheet_resistance_ohm}
    kw["thickness_nm"] = float(d.sum())
    _check_grid(t_min_K, stack.cutoff_meV)
    _probe_resistance(kw)
    if tc_K is None:
        tc_K = stack.tc(layer_tc=False, method="exact", rtol=1e-6, t_min_K=t_min_K,
                        sensitivity=False).tc_K

    def gap_at(T, start):
        return stack.gaps(T, tc_K=tc_K)

    return bkt_from_gaps(gap_at, tc_K, kw, vortex_dielectric=vortex_dielectric, rtol=rtol,
                         t_min_K=t_min_K)


# ======================================================================= R_□ versus L
#: Smallest κ = L/ℓ of :func:`fuchs_sondheimer_ratio`: there it agrees with the thin-film
#: asymptote to 1e-6; at κ = 1e-8 the cancellation in 1 − (3/2κ)∫… already costs 76 %
#: (measured), so smaller κ are refused rather than computed wrongly.
FS_KAPPA_MIN = 1e-6


def fuchs_sondheimer_ratio(kappa, specularity: float = 0.0):
    r"""ρ(L)/ρ_bulk of a film of thickness L = κℓ (Fuchs–Sondheimer; docs/stiffness.md §7).

    .. math::

        \frac{ρ_{bulk}}{ρ} = 1 − \frac{3(1−p)}{2κ}\int_1^∞ \Big(\frac{1}{t^3} − \frac{1}{t^5}\Big)
        \frac{1 − e^{−κt}}{1 − p\,e^{−κt}}\,dt

    (E. H. Sondheimer, Adv. Phys. 1, 1 (1952), eq. for the conductivity of a film with a
    fraction p of specular surface reflection). Limits: ρ/ρ_bulk → 1 + 3(1−p)/(8κ) for κ ≫ 1
    and, for p = 0, ρ_bulk/ρ → (3κ/4)[ln(1/κ) + 0.4228] for κ ≪ 1.

    Parameters
    ----------
    kappa : float or array_like
        L/ℓ ≥ FS_KAPPA_MIN = 1e-6 (below it ValueError: the integral cancels to nothing).
    specularity : float
        p in [0, 1) (0 = diffuse surfaces).
    """
    k = np.atleast_1d(np.asarray(kappa, dtype=float))
    p = float(specularity)
    if not (0.0 <= p < 1.0):
        raise ValueError(f"specularity p must be in [0, 1), got {specularity}")
    if np.any(~np.isfinite(k)) or np.any(k <= 0):
        raise ValueError("κ = L/ℓ must be finite and > 0")
    if np.any(k < FS_KAPPA_MIN):
        raise ValueError(f"κ = L/ℓ = {float(k.min()):.3g} is below {FS_KAPPA_MIN:g}, where the "
                         "Fuchs–Sondheimer integral loses its precision (1 − O(κ ln κ) "
                         "cancels): the mean free path must be at most 1e6 × the thickness")
    out = np.empty_like(k)
    for i, kk in enumerate(k):
        def g(u, kk=kk):  # t = 1/u maps [1, ∞) onto (0, 1]; dt = −du/u²
            t = 1.0 / u
            e = math.exp(-kk * t) if kk * t < 700 else 0.0
            return (u ** 3 - u ** 5) * (1.0 - e) / (1.0 - p * e) / u ** 2
        val, _ = sint.quad(g, 0.0, 1.0, limit=200, epsabs=0.0, epsrel=1e-11)
        out[i] = 1.0 / (1.0 - 1.5 * (1.0 - p) / kk * val)
    return float(out[0]) if np.ndim(kappa) == 0 else out


def drude_mean_free_path_nm(n_per_nm3: float, resistivity_uohm_cm: float,
                            mass_ratio: float = 1.0) -> float:
    r"""Free-electron mean free path ℓ = ħk_F/(n e² ρ) [nm], k_F = (3π²n)^{1/3}
    (Drude–Sommerfeld: ρ = m v_F/(n e² ℓ); Ashcroft & Mermin, *Solid State Physics*, eqs. 1.6
    and 2.2). The effective mass cancels (ħk_F = m v_F) and ``mass_ratio`` is accepted only for
    symmetry with the film model."""
    n, rho = float(n_per_nm3), float(resistivity_uohm_cm)
    if not (math.isfinite(n) and n > 0):
        raise ValueError(f"n_per_nm3 must be > 0, got {n_per_nm3}")
    if not (math.isfinite(rho) and rho > 0):
        raise ValueError(f"resistivity must be > 0 µΩ·cm, got {resistivity_uohm_cm}")
    kf = (3.0 * math.pi ** 2 * n * 1e27) ** (1.0 / 3.0)  # 1/m
    ell = HBAR_J_S * kf / (n * 1e27 * E_CHARGE_C ** 2 * rho * 1e-8)  # m
    return ell * 1e9


class SheetResistanceModel:
    """R_□(L) [Ω] of a film versus thickness L [nm]; subclasses implement ``__call__``."""

    name = "sheet-resistance"

    def __call__(self, thickness_nm):  # pragma: no cover - interface
        raise NotImplementedError

    def describe(self) -> dict:
        return {"model": self.name}


@dataclass(frozen=True)
class ConstantSheetResistance(SheetResistanceModel):
    """The same R_□ [Ω] at every thickness."""

    sheet_resistance_ohm: float
    name: str = "constant"

    def __post_init__(self):
        R = float(self.sheet_resistance_ohm)
        if not (math.isfinite(R) and R > 0):
            raise ValueError(f"sheet resistance must be > 0 Ω, got {self.sheet_resistance_ohm}")

    def __call__(self, thickness_nm):
        L = np.atleast_1d(np.asarray(thickness_nm, dtype=float))
        return np.full(L.shape, float(self.sheet_resistance_ohm))

    def describe(self) -> dict:
        return {"model": self.name, "sheet_resistance_ohm": float(self.sheet_resistance_ohm)}


_NUM = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_R_TABLE_COLUMNS = ("thickness_nm", "sheet_resistance_ohm")


def read_sheet_resistance_table(path):
    """Parse ``thickness_nm sheet_resistance_ohm`` (whitespace or commas, ``#`` comments, optional
    header naming exactly these columns; thickness > 0 strictly increasing, R_□ > 0; ≥ 2 rows).

    Returns (thickness_nm, sheet_resistance_ohm) arrays. ``ValueError`` names the file and line."""
    where = str(path)
    text = read_text(path, "sheet-resistance table")
    Ls, Rs = [], []
    seen = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        toks = [t.strip() for t in line.split(",")] if "," in line else line.split()
        if not seen and [t.lower() for t in toks] == list(_R_TABLE_COLUMNS):
            seen = True
            continue
        seen = True
        if len(toks) != 2:
            raise ValueError(f"{where}:{lineno}: expected 2 columns (thickness_nm "
                             f"sheet_resistance_ohm), got {len(toks)}")
        for col, tok in zip(_R_TABLE_COLUMNS, toks):
            if not _NUM.fullmatch(tok):
                raise ValueError(f"{where}:{lineno}: column {col}: {tok!r} is not a finite number")
        L, R = float(toks[0]), float(toks[1])
        if L <= 0:
            raise ValueError(f"{where}:{lineno}: thickness_nm must be > 0")
        if R <= 0:
            raise ValueError(f"{where}:{lineno}: sheet_resistance_ohm must be > 0")
        if Ls and L <= Ls[-1]:
            raise ValueError(f"{where}:{lineno}: thickness_nm must increase strictly")
        Ls.append(L)
        Rs.append(R)
    if len(Ls) < 2:
        raise ValueError(f"sheet-resistance table {where} needs at least two rows")
    return np.array(Ls), np.array(Rs)


class TableSheetResistance(SheetResistanceModel):
    """R_□(L) interpolated linearly in (ln L, ln R_□) from a table file; a thickness outside the
    table range raises ``ValueError`` (no extrapolation)."""

    name = "table"

    def __init__(self, path):
        self.path = str(path)
        self.L, self.R = read_sheet_resistance_table(path)

    def __call__(self, thickness_nm):
        L = np.atleast_1d(np.asarray(thickness_nm, dtype=float))
        lo, hi = self.L[0], self.L[-1]
        bad = (L < lo * (1 - 1e-12)) | (L > hi * (1 + 1e-12))
        if np.any(bad):
            raise ValueError(f"thickness {L[bad][0]:g} nm is outside the sheet-resistance table "
                             f"{self.path} ({lo:g} … {hi:g} nm)")
        return np.exp(np.interp(np.log(L), np.log(self.L), np.log(self.R)))

    def describe(self) -> dict:
        return {"model": self.name, "file": self.path}


@dataclass(frozen=True)
class FuchsSondheimerSheetResistance(SheetResistanceModel):
    r"""R_□(L) = ρ_bulk · [ρ/ρ_bulk](L/ℓ, p) / L (docs/stiffness.md §7).

    Parameters
    ----------
    resistivity_uohm_cm : float
        Bulk (residual) resistivity ρ_bulk [µΩ·cm] of the film material.
    mean_free_path_nm : float
        Bulk mean free path ℓ [nm] (e.g. :func:`drude_mean_free_path_nm`).
    specularity : float
        Fraction p of specular surface reflection (default 0: diffuse).
    """

    resistivity_uohm_cm: float
    mean_free_path_nm: float
    specularity: float = 0.0
    name: str = "fuchs-sondheimer"

    def __post_init__(self):
        for k in ("resistivity_uohm_cm", "mean_free_path_nm"):
            v = float(getattr(self, k))
            if not (math.isfinite(v) and v > 0):
                raise ValueError(f"{k} must be > 0, got {getattr(self, k)}")
        if not (0.0 <= float(self.specularity) < 1.0):
            raise ValueError(f"specularity must be in [0, 1), got {self.specularity}")

    def __call__(self, thickness_nm):
        L = np.atleast_1d(np.asarray(thickness_nm, dtype=float))
        ratio = np.atleast_1d(fuchs_sondheimer_ratio(L / self.mean_free_path_nm,
                                                     self.specularity))
        return self.resistivity_uohm_cm * 1e-8 * ratio / (L * 1e-9)

    def describe(self) -> dict:
        return {"model": self.name, "resistivity_bulk_uohm_cm": float(self.resistivity_uohm_cm),
                "mean_free_path_nm": float(self.mean_free_path_nm),
                "specularity": float(self.specularity)}


class CallableSheetResistance(SheetResistanceModel):
    """A user function L [nm] (1-D array) → R_□ [Ω] (array of the same length)."""

    name = "callable"

    def __init__(self, fn):
        self.fn = fn
        self.name = getattr(fn, "__name__", "callable")

    def __call__(self, thickness_nm):
        L = np.atleast_1d(np.asarray(thickness_nm, dtype=float))
        R = np.broadcast_to(np.asarray(self.fn(L), dtype=float), L.shape).copy()
        if np.any(~np.isfinite(R)) or np.any(R <= 0):
            raise ValueError(f"sheet-resistance function {self.name} returned values that are "
                             "not finite and > 0 Ω")
        return R

    def describe(self) -> dict:
        return {"model": "callable", "name": self.name}


def sheet_resistance_model(spec) -> SheetResistanceModel:
    """A number [Ω], a table path, a callable or a model as a :class:`SheetResistanceModel`."""
    if isinstance(spec, SheetResistanceModel):
        return spec
    if isinstance(spec, (int, float, np.floating, np.integer)) and not isinstance(spec, bool):
        return ConstantSheetResistance(float(spec))
    if isinstance(spec, (str, Path)):
        return TableSheetResistance(spec)
    if callable(spec):
        return CallableSheetResistance(spec)
    raise ValueError("sheet_resistance must be a number (Ω), a table file, a callable or a "
                     f"SheetResistanceModel, got {type(spec).__name__}")


def film_bkt_rows(model, rows, r_model: SheetResistanceModel, *,
                  vortex_dielectric: float = 1.0, rtol: float = 1e-4) -> list:
    """Rows of a Tc(L) curve with the BKT keys added (``sheet_resistance_ohm``, ``tc_bkt_K``,
    ``tc_bkt_bmo_K``, ``stiffness_K``, ``kinetic_inductance_pH``, ``penetration_depth_nm``).

    Each thickness is solved by :func:`film_bkt` with the row's Tc as the upper end."""
    _check_eps(vortex_dielectric)
    L = np.array([r["thickness_nm"] for r in rows], dtype=float)
    R = r_model(L)
    out = []
    for r, Rl in zip(rows, R):
        row = dict(r)
        row["sheet_resistance_ohm"] = float(Rl)
        if r["tc_K"] is None:
            row.update(tc_bkt_K=None, tc_bkt_bmo_K=None, stiffness_K=None,
                       kinetic_inductance_pH=None, penetration_depth_nm=None)
        else:
            b = film_bkt(model, r["thickness_nm"], float(Rl), tc_K=r["tc_K"],
                         vortex_dielectric=vortex_dielectric, rtol=rtol)
            row.update(tc_bkt_K=b.tc_bkt_K, tc_bkt_bmo_K=b.tc_bkt_bmo_K,
                       stiffness_K=b.stiffness_K, kinetic_inductance_pH=b.kinetic_inductance_pH,
                       penetration_depth_nm=b.penetration_depth_nm)
        out.append(row)
    return out
