r"""Tc of the isotropic Migdal–Eliashberg equations: the root of ρ(T) = 1.

ρ(T) is the largest algebraic eigenvalue of the symmetric linearized operator of
:mod:`tcpredict.eliashberg.operator` (docs/eliashberg.md §2.1; with μ* the largest-magnitude
eigenvalue may be negative, so "largest algebraic" matters). Two root finders:

- :func:`find_tc` — automatic bracketing from a guess, then Brent's method on ln ρ(ln T);
- :func:`find_tc_warm` — a safeguarded secant in (ln T, ln ρ) for warm starts (maps, screens).

:func:`solve_tc` is the single-superconductor entry point; μ* given at an energy ω_ref is
rescaled to the cutoff ω_c by Morel–Anderson (:func:`resolve_coupling`) and both are reported.

Cutoff convention: gap sums over |ω_m| < ω_c; Z uses the exact untruncated normal-state sum.
All energies in meV, temperatures in K.
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from tcpredict.eliashberg.closed_forms import allen_dynes_tc_K
from tcpredict.eliashberg.matsubara import n_matsubara, rescale_mustar
from tcpredict.eliashberg.kernels import SpectrumKernel, TableKernel
from tcpredict.eliashberg.operator import GRIDS, LinearizedOperator
from tcpredict.eliashberg.spectra import Alpha2F
from tcpredict.errors import ConvergenceError
from tcpredict.limits import (MAX_MATSUBARA_COMPRESSED, T_MAX_K, check_energy, check_mustar,
                              check_temperature)
from tcpredict.units import K_B_MEV_PER_K

log = logging.getLogger(__name__)

#: Fewest Matsubara frequencies below ω_c at Tc for a converged sharp-cutoff sum
#: (docs/eliashberg.md §2.2). Measured on an Einstein mode with μ* = 0, where Tc has a limit as
#: ω_c → ∞: λ = 20 gives −1.8 % with N = 2 and agrees with the limit to 1e-4 for N ≥ 8;
#: λ = 100 gives −13 % with N = 1. The default cutoff is raised until N(Tc) ≥ this number.
N_MIN_AT_TC = 12
#: An explicit cutoff below this multiple of Ω_max truncates the phonon kernel itself.
CUTOFF_MIN_OVER_OMEGA_MAX = 2.0

__all__ = [
    "ConvergenceError",
    "CouplingSetup",
    "resolve_coupling",
    "pairing_eigenvalue",
    "TcResult",
    "solve_tc",
    "find_tc",
    "find_tc_warm",
    "root_tc",
    "cutoff_problems",
    "N_MIN_AT_TC",
    "check_search",
]

# ---------------------------------------------------------------------------- μ* and cutoff
@dataclass(frozen=True)
class CouplingSetup:
    """Cutoff and Coulomb pseudopotential actually used.

    Attributes
    ----------
    cutoff_meV : float
        Matsubara cutoff ω_c [meV]; the gap sum runs over |ω_m| < ω_c.
    mustar : float
        μ* as given by the user, defined at ``mustar_at_meV``.
    mustar_at_meV : float
        Energy [meV] at which the given μ* is defined.
    mustar_at_cutoff : float
        μ*(ω_c) after Morel–Anderson rescaling (docs/eliashberg.md §2).
    """

    cutoff_meV: float
    mustar: float
    mustar_at_meV: float
    mustar_at_cutoff: float


def resolve_coupling(spectrum: Alpha2F, mustar: float, mustar_at_meV: float | None = None,
                     cutoff_meV: float | None = None) -> CouplingSetup:
    """Apply the defaults of docs/eliashberg.md §2 and rescale μ* to the cutoff.

    Defaults: ω_c = 10 Ω_max, μ* defined at Ω_max, where Ω_max is the largest Ω with α²F above
    1 % of its peak (:attr:`Alpha2F.omega_max_meV`).
    """
    mustar = check_mustar(mustar, "mustar")
    om = spectrum.omega_max_meV
    cutoff = 10.0 * om if cutoff_meV is None else check_energy(cutoff_meV, "cutoff_meV")
    at = om if mustar_at_meV is None else check_energy(
        mustar_at_meV, "mustar_at_meV (the energy at which μ* is defined)")
    return CouplingSetup(cutoff, float(mustar), at, rescale_mustar(mustar, at, cutoff))


def check_search(t_min_K: float, cutoff_meV: float, name: str = "t_min_K") -> float:
    """Validate the floor of a Tc search before solving (README "Limits").

    ``t_min_K`` must lie in (0, :data:`tcpredict.limits.T_MAX_K`] and the Matsubara count at
    T_min below ``cutoff_meV`` must stay within
    :data:`tcpredict.limits.MAX_MATSUBARA_COMPRESSED`. Returns ``t_min_K`` as a float.
    """
    t = check_temperature(t_min_K, name)
    n = cutoff_meV / (2.0 * math.pi * K_B_MEV_PER_K * t)  # ≈ N (no overflow for tiny T)
    if n > MAX_MATSUBARA_COMPRESSED:
        raise ValueError(f"{name} = {t:g} K with the cutoff {cutoff_meV:g} meV needs N ≈ {n:.3g} "
                         f"Matsubara frequencies, above the limit {MAX_MATSUBARA_COMPRESSED} "
                         f"(README \"Limits\"): raise {name} to ≥ "
                         f"{t * n / MAX_MATSUBARA_COMPRESSED:.3g} K or lower the cutoff")
    return t


def cutoff_problems(tc_K: float | None, cutoff_meV: float, omega_max_meV: float) -> list[str]:
    """Why the Matsubara cutoff does not converge Tc (empty list when it does).

    Two conditions (docs/eliashberg.md §2.2): ω_c ≥ 2 Ω_max (otherwise the phonon kernel
    itself is truncated) and at least :data:`N_MIN_AT_TC` Matsubara frequencies below ω_c at Tc.
    """
    out = []
    if cutoff_meV < CUTOFF_MIN_OVER_OMEGA_MAX * omega_max_meV:
        out.append(f"cutoff {cutoff_meV:.4g} meV is below {CUTOFF_MIN_OVER_OMEGA_MAX:g} Ω_max = "
                   f"{CUTOFF_MIN_OVER_OMEGA_MAX * omega_max_meV:.4g} meV")
    if tc_K is not None and tc_K > 0:
        n = n_matsubara(tc_K, cutoff_meV)
        if n < N_MIN_AT_TC:
            out.append(f"only {n} Matsubara frequencies below the cutoff at Tc (need "
                       f"≥ {N_MIN_AT_TC}: raise the cutoff to ≥ "
                       f"{_cutoff_for_n(tc_K, N_MIN_AT_TC):.4g} meV)")
    return out


def _cutoff_for_n(tc_K: float, n: int) -> float:
    """Smallest cutoff [meV] with n Matsubara frequencies below it at T = tc_K (+5 % margin)."""
    return 1.05 * (2 * n + 1) * math.pi * K_B_MEV_PER_K * tc_K


def pairing_eigenvalue(spectrum: Alpha2F, temperature_K: float, mustar_at_cutoff: float,
                       cutoff_meV: float) -> float:
    """Largest algebraic eigenvalue ρ(T) of the linearized gap equation (docs/eliashberg.md §2.1).

    μ* must already be defined at ``cutoff_meV``. ρ > 1 means T < Tc.
    """
    rho, _, _ = LinearizedOperator([spectrum], [mustar_at_cutoff], cutoff_meV).eigen(temperature_K)
    return rho


# ---------------------------------------------------------------------------- root finding
def find_tc(problem: LinearizedOperator, t_guess_K: float, t_min_K: float, rtol: float = 1e-4,
            t_max_K: float = T_MAX_K):
    """Tc as the root of ρ(T) = 1, bracketing automatically from ``t_guess_K``.

    Returns
    -------
    tc_K : float or None
        None when ρ(T_min) < 1 ("no superconductivity above T_min").
    info : dict
        Evaluations, bracket, final N, solver, residuals.
    """
    if t_min_K <= 0:
        raise ValueError("t_min_K must be > 0 K")
    cache: dict[float, float] = {}
    state = {"v": None, "info": None, "evals": 0}

    def rho(T: float) -> float:
        if T in cache:
            return cache[T]
        r, v, info = problem.eigen(T, v0=state["v"])
        state.update(v=v, info=info, evals=state["evals"] + 1)
        cache[T] = r
        return r

    T = min(max(t_guess_K, t_min_K), t_max_K)
    r = rho(T)
    factor = 1.6
    if r >= 1.0:
        lo, hi = T, None
        while hi is None:
            T2 = T * factor
            if T2 > t_max_K:
                raise ConvergenceError(f"ρ(T) ≥ 1 up to {t_max_K} K: no upper bracket for Tc")
            if rho(T2) < 1.0:
                hi = T2
            else:
                lo, T = T2, T2
    else:
        hi, lo = T, None
        while lo is None:
            if T <= t_min_K:
                return None, {"evaluations": state["evals"], "rho_at_t_min": cache[T],
                              "n_matsubara": state["info"]["n_matsubara"],
                              "method": state["info"]["method"]}
            T2 = max(T / factor, t_min_K)
            if rho(T2) >= 1.0:
                lo = T2
            else:
                hi, T = T2, T2
            factor = min(factor * 1.5, 4.0)
    f = lambda x: math.log(rho(math.exp(x)))  # noqa: E731  smooth, nearly linear in ln T
    xl, xh = math.log(lo), math.log(hi)
    x, iterations = _illinois(f, xl, xh, f(xl), f(xh), xtol=rtol / 4)
    tc = math.exp(x)
    info = dict(state["info"])
    info.update(evaluations=state["evals"], bracket_K=(lo, hi), root_iterations=iterations,
                rho_at_tc=cache.get(tc, math.nan))
    return tc, info


def _illinois(f, a: float, b: float, fa: float, fb: float, xtol: float, maxiter: int = 100):
    """Root of f in [a, b], f(a)·f(b) ≤ 0, by the Illinois variant of regula falsi.

    M. Dowell & P. Jarratt, BIT 11, 168 (1971): the iterate never leaves the bracket and, for a
    smooth f, converges superlinearly (order ≈ 1.44); ln ρ(ln T) is nearly linear, so 3–5
    evaluations suffice. Stops when the bracket is shorter than ``xtol`` or f vanishes.

    Returns
    -------
    x : float
        The root (within ``xtol``).
    iterations : int

    Raises
    ------
    ConvergenceError
        If the bracket does not shrink below ``xtol`` in ``maxiter`` evaluations.
    """
    if fa == 0:
        return a, 0
    if fb == 0:
        return b, 0
    if fa * fb > 0:
        raise ValueError("the root is not bracketed")
    for it in range(1, maxiter + 1):
        c = b - fb * (b - a) / (fb - fa)
        if not (min(a, b) < c < max(a, b)):  # round-off at a tiny bracket: bisect
            c = 0.5 * (a + b)
        fc = f(c)
        if fc == 0:
            return c, it
        if fc * fb < 0:
            a, fa = b, fb
        else:
            fa *= 0.5  # Illinois step: halve the retained end's value
        b, fb = c, fc
        if abs(b - a) < xtol:
            # final secant estimate inside the (tiny) bracket
            c = b - fb * (b - a) / (fb - fa) if fb != fa else 0.5 * (a + b)
            return min(max(c, min(a, b)), max(a, b)), it
    raise ConvergenceError(f"Tc root finding did not converge in {maxiter} evaluations")


#: Smallest first step of :func:`find_tc_warm` in ln T (it measures the slope d ln ρ/d ln T).
PROBE_MIN = 0.01
#: Relative error assumed for a secant slope of :func:`find_tc_warm` (at least; more when two
#: successive slopes differ more). ln ρ is nearly linear in ln T: over the ≥ 0.01 spans of the
#: search the slope changes by ~1–2 %, and a step of the cutoff staircase (~1e-4 in ln ρ)
#: inside a span of 0.01 shifts it by ~4 % (docs/eliashberg.md §2.2).
SLOPE_TRUST = 0.1


def find_tc_warm(problem, t_guess_K: float, t_min_K: float, rtol: float = 1e-4,
                 t_max_K: float = 1e3, slope: float = -0.25, maxiter: int = 60):
    r"""Tc as the root of ρ(T) = 1 by a safeguarded secant method in (ln T, ln ρ).

    ln ρ is smooth and nearly linear in ln T, so from a good start (the Tc of a neighbouring
    grid point) the secant converges in 3–4 evaluations. A bracket is kept as soon as one is
    known and a step leaving it is replaced by bisection. Convergence: with a measured slope,
    the last secant step below ``rtol`` in ln T, or the next one so short that its error — its
    length times the slope's relative error, taken as the change between the last two secant
    slopes and at least :data:`SLOPE_TRUST` — is below ``rtol``/4 and it does not cross a step
    of the cutoff staircase; the returned Tc is that next step. When the bracket holds one step
    of the staircase across which ρ jumps over 1, the root is that step's T*
    (``root_in_cutoff_step`` in the info; docs/eliashberg.md §2.2). Problems that expose
    ``n_matsubara(T)`` and ``cutoff_meV`` (every :class:`LinearizedOperator`) get the staircase
    rules; others only the secant.

    Parameters
    ----------
    problem
        Anything with ``eigen(T) -> (rho, vec, info)``.
    t_guess_K, t_min_K, t_max_K : float
        Start, lowest and highest temperature [K].
    slope : float
        Initial guess of d ln ρ / d ln T (< 0).

    Returns
    -------
    tc_K : float or None
        None when ρ(T_min) < 1 (no superconductivity above T_min).
    info : dict
        ``evaluations``, ``rho_at_tc`` (or ``rho_at_t_min``), ``bracket_K``, grid info.
    """
    if t_min_K <= 0:
        raise ValueError("t_min_K must be > 0 K")
    state = {"info": {}, "evals": 0}
    cache: dict[float, float] = {}

    def f(x: float) -> float:
        if x not in cache:
            r, _, info = problem.eigen(math.exp(x))
            state["info"] = info
            state["evals"] += 1
            cache[x] = math.log(max(r, 1e-300))
        return cache[x]

    def done(x, fx, lo, hi, **extra):
        out = {"evaluations": state["evals"], "rho_at_tc": math.exp(fx), **state["info"],
               **extra}
        if lo is not None and hi is not None:
            out["bracket_K"] = (math.exp(min(lo, hi)), math.exp(max(lo, hi)))
        out["dlnrho_dlnT"] = sl
        return math.exp(x), out

    nmat = getattr(problem, "n_matsubara", None)
    wc = getattr(problem, "cutoff_meV", None)

    def one_step(lo, hi):
        """ln T* of the single staircase step inside the bracket [lo, hi], else None."""
        if nmat is None or wc is None or not lo < hi:
            return None
        n_hi = nmat(math.exp(hi))
        if nmat(math.exp(lo)) != n_hi + 1:
            return None
        xs = math.log(wc / (math.pi * K_B_MEV_PER_K * (2 * n_hi + 1)))
        return xs if lo <= xs <= hi else None

    def in_step(lo, hi):
        """ln T* when the bracket [lo, hi] holds exactly one step of the cutoff staircase, at
        T* = ω_c/(πk_B(2N+1)) (where ω_N reaches ω_c), and ρ jumps across 1 there: the linear
        model of each side, with the measured slope, stays on its side of ln ρ = 0 up to T*.
        The root of the discontinuous ρ(T) is then T* itself (docs/eliashberg.md §2.2);
        otherwise None."""
        xs = one_step(lo, hi)
        if xs is None:
            return None
        if cache[lo] + sl * (xs - lo) >= 0 > cache[hi] + sl * (xs - hi):
            return xs
        return None

    def same_step(a, b):
        # the final Newton step does not cross a step of the cutoff staircase (N(T) changes;
        # ρ jumps by ~1e-4 there, docs/eliashberg.md §2.2): the linear model holds across it
        return nmat is None or abs(a - b) < rtol / 4 or nmat(math.exp(a)) == nmat(math.exp(b))

    xmin, xmax = math.log(t_min_K), math.log(t_max_K)
    x = min(max(math.log(t_guess_K), xmin), xmax)
    fx = f(x)
    lo = x if fx >= 0 else None   # ln T with ρ ≥ 1
    hi = x if fx < 0 else None    # ln T with ρ < 1
    sl = float(slope)
    measured = False  # convergence is judged only with a measured secant slope
    sl_err = SLOPE_TRUST  # relative error of the measured slope (assumed, or seen)
    for _ in range(maxiter):
        xn = x - fx / sl
        if not measured:  # first step: a probe long enough to measure the slope
            xn = x + math.copysign(max(abs(xn - x), PROBE_MIN), xn - x if xn != x else -fx)
        if lo is None or hi is None:
            xn = min(max(xn, x - 1.5), x + 1.5)
        else:
            a_, b_ = min(lo, hi), max(lo, hi)
            if not (a_ < xn < b_):
                xn = 0.5 * (a_ + b_)
        xn = min(max(xn, xmin), xmax)
        if xn == x:  # pinned at a boundary
            if x <= xmin and fx < 0:
                return None, {"evaluations": state["evals"], "rho_at_t_min": math.exp(fx),
                              **state["info"]}
            if x >= xmax and fx >= 0:
                raise ConvergenceError(f"ρ(T) ≥ 1 up to {t_max_K} K: no upper bracket for Tc")
        fn = f(xn)
        if fn >= 0:
            lo = xn if lo is None else max(lo, xn)
        else:
            hi = xn if hi is None else min(hi, xn)
        if xn <= xmin and fn < 0:
            return None, {"evaluations": state["evals"], "rho_at_t_min": math.exp(fn),
                          **state["info"]}
        if xn >= xmax and fn >= 0:
            raise ConvergenceError(f"ρ(T) ≥ 1 up to {t_max_K} K: no upper bracket for Tc")
        sec = (fn - fx) / (xn - x) if xn != x else sl
        if math.isfinite(sec) and sec < 0:
            sl_err = max(SLOPE_TRUST, abs(sec - sl) / abs(sec)) if measured else SLOPE_TRUST
            sl = sec
            measured = True
        if measured and lo is not None and hi is not None:
            xs = in_step(lo, hi)
            if xs is not None:
                # ρ at T* is either side's value; report the one below T*
                return done(xs, cache[lo], lo, hi, root_in_cutoff_step=True)
        # converged: the last step is below rtol, or the error of the final Newton step (its
        # length |ln ρ / slope| times the slope's relative error) is below rtol/4
        if (measured and ((abs(xn - x) < rtol and same_step(x, xn))
                          or abs(fn / sl) * sl_err < rtol / 4)
                and same_step(xn, xn - fn / sl)) or (
                lo is not None and hi is not None and abs(hi - lo) < rtol / 4):
            xr = xn - fn / sl
            if lo is not None and hi is not None:
                xr = min(max(xr, min(lo, hi)), max(lo, hi))
            return done(xr, fn, lo, hi)
        x, fx = xn, fn
    raise ConvergenceError(f"Tc root finding did not converge in {maxiter} evaluations")


# ---------------------------------------------------------------------------- result
@dataclass(frozen=True)
class TcResult:
    """Critical temperature of one superconductor, with its inputs and convergence data.

    ``tc_K`` is None when there is no superconductivity above ``t_min_K``. ``sensitivity`` holds
    ∂ln Tc/∂λ and ∂ln Tc/∂μ* at Tc (:func:`tcpredict.eliashberg.sensitivity.tc_sensitivity`,
    docs/uncertainty.md §2); None when Tc is None or it was not asked for. ``uncertainty`` is
    the band of :func:`tcpredict.uncertainty.tc_band` (``Band.to_dict``) when asked for.
    """

    tc_K: float | None
    t_min_K: float
    lam: float
    omega_log_meV: float
    omega2_meV: float
    allen_dynes_K: float
    mustar: float
    mustar_at_meV: float
    mustar_at_cutoff: float
    cutoff_meV: float
    rtol: float
    n_matsubara: int
    eigen_method: str
    evaluations: int
    eigen_residual: float
    spectrum_source: str
    cutoff_convention: str = "gap sum over |ω_m| < ω_c; Z from the exact normal-state sum"
    notes: tuple = field(default_factory=tuple)
    grid: str = "full"
    n_nodes: int = 0
    converged: bool = True
    sensitivity: dict | None = None
    uncertainty: dict | None = None

    @property
    def tc_p16_K(self) -> float | None:
        """16th percentile of Tc over the parameter draws [K] (None: below the floor or no
        uncertainty computed; docs/uncertainty.md §1)."""
        return (self.uncertainty or {}).get("tc_p16_K")

    @property
    def tc_p84_K(self) -> float | None:
        """84th percentile of Tc over the parameter draws [K]."""
        return (self.uncertainty or {}).get("tc_p84_K")

    def to_dict(self) -> dict:
        """JSON-ready dict with unit-bearing keys (``lambda`` for λ); with an uncertainty, the
        band keys ``tc_p16_K``, ``tc_p84_K`` (``p_superconducting``) also at the top level."""
        from tcpredict.uncertainty import band_summary

        d = asdict(self)
        d["lambda"] = d.pop("lam")
        d["notes"] = list(self.notes)
        if self.uncertainty is None:
            d.pop("uncertainty")
        d.update(band_summary(self.uncertainty))
        return d

    def to_dataframe(self):
        """One-row pandas DataFrame of the scalar entries of :meth:`to_dict` (``tc_K``,
        ``lambda``, ``omega_log_meV``, …; sensitivities flattened to ``dlntc_dlambda`` style
        columns, notes joined by "; "); ``attrs`` holds ``tcpredict_version``."""
        return _one_row_frame(self.to_dict())


def _one_row_frame(d: dict):
    """One-row DataFrame of the scalar entries of a result dict (nested dicts of scalars
    flattened with their own keys; lists of strings joined by "; "; other lists dropped)."""
    import pandas as pd

    from tcpredict.provenance import version

    row = {}
    for k, v in d.items():
        if isinstance(v, dict):
            row.update({kk: vv for kk, vv in v.items()
                        if vv is None or isinstance(vv, (str, int, float, bool))})
        elif isinstance(v, (list, tuple)):
            if all(isinstance(x, str) for x in v):
                row[k] = "; ".join(v)
        else:
            row[k] = v
    df = pd.DataFrame([row])
    df.attrs.update(tcpredict_version=version())
    return df


def solve_tc(spectrum: Alpha2F, mustar: float, *, mustar_at_meV: float | None = None,
             cutoff_meV: float | None = None, t_min_K: float = 0.01, rtol: float = 1e-4,
             t_guess_K: float | None = None, grid: str = "compressed",
             sensitivity: bool = True, uncertainty=None, ranges=None) -> TcResult:
    """Critical temperature [K] from the linearized isotropic Eliashberg equations.

    Parameters
    ----------
    spectrum : Alpha2F
        Eliashberg function α²F(Ω).
    mustar : float
        Coulomb pseudopotential μ* in [0, 1) defined at ``mustar_at_meV``.
    mustar_at_meV : float, optional
        Energy [meV] at which μ* is defined (default Ω_max, the top of the spectrum; at most
        1e6 meV, README "Limits").
    cutoff_meV : float, optional
        Matsubara cutoff ω_c [meV] (default 10 Ω_max; at most 1e6 meV). μ* is rescaled to it
        (Morel–Anderson).
    t_min_K : float
        Lowest temperature [K] searched, in (0, 1e4]; below it the result is "no
        superconductivity above T_min" (``tc_K = None``), not an error. T_min and the cutoff
        must need at most 1e7 Matsubara frequencies (:func:`check_search`).
    rtol : float
        Relative accuracy of Tc (default 1e-4).
    t_guess_K : float, optional
        Starting point of the bracket search (default: Allen–Dynes, or Ω_log/50).
    grid : {"compressed", "full"}
        Matsubara grid of the operator (:mod:`tcpredict.eliashberg.operator`): compressed
        Nyström nodes (default; ≤ 2.5e-5 from the full grid, cost nearly independent of T; it
        IS the full grid when N ≤ 192) or every frequency below ω_c (the reference).
    sensitivity : bool
        Also compute ∂ln Tc/∂λ and ∂ln Tc/∂μ* from the eigen-problem at Tc (five more
        eigen-solves; docs/uncertainty.md §2–§3).
    uncertainty : bool or tcpredict.uncertainty.Uncertainty, optional
        Propagate ``ranges`` to Tc (percentiles, P(Tc ≥ threshold); docs/uncertainty.md).
    ranges : tcpredict.uncertainty.ParameterRanges, optional
        Uniform ranges of λ, ω_log, ω̄₂/ω_log and μ* (e.g.
        ``ParameterRanges.from_element(get_element("Sn"))``); None: the inputs are exact and
        the band collapses onto ``tc_K``.

    Returns
    -------
    TcResult

    Notes
    -----
    Tc is the root of ρ(T) = 1, ρ the largest algebraic eigenvalue of the symmetric kernel of
    docs/eliashberg.md §2.1, found by automatic bracketing and Brent's method on ln ρ(ln T).
    """
    if not isinstance(spectrum, Alpha2F):
        raise TypeError("spectrum must be an Alpha2F")
    if not (0 < rtol < 0.1):
        raise ValueError("rtol must be in (0, 0.1)")
    check_temperature(t_min_K, "t_min_K")
    cs = resolve_coupling(spectrum, mustar, mustar_at_meV, cutoff_meV)
    t_min_K = check_search(t_min_K, cs.cutoff_meV)
    lam, wlog, w2 = spectrum.lam, spectrum.omega_log_meV, spectrum.omega2_meV
    ad = float(allen_dynes_tc_K(lam, wlog, w2, mustar))
    if t_guess_K is None:
        t_guess_K = ad if ad > 0 else wlog / K_B_MEV_PER_K / 50.0
    if grid not in GRIDS:
        raise ValueError(f"unknown grid {grid!r}; valid: {', '.join(GRIDS)}")
    kern = TableKernel(spectrum) if grid == "compressed" else SpectrumKernel(spectrum)
    prob = LinearizedOperator([kern], [cs.mustar_at_cutoff], cs.cutoff_meV, grid=grid)
    tc, info = root_tc(prob, t_guess_K, t_min_K, rtol)
    notes = []
    if cutoff_meV is None:  # the default cutoff is checked, not assumed (docs/eliashberg.md §2.2)
        cut0 = cs.cutoff_meV
        for _ in range(8):
            if tc is None or n_matsubara(tc, cs.cutoff_meV) >= N_MIN_AT_TC:
                break
            try:
                cs = resolve_coupling(spectrum, mustar, mustar_at_meV,
                                      max(_cutoff_for_n(tc, N_MIN_AT_TC), 2 * cs.cutoff_meV))
            except ValueError as exc:  # μ* cannot be rescaled that far: reported below
                notes.append(f"default cutoff could not be extended: {exc}")
                break
            prob = LinearizedOperator([kern], [cs.mustar_at_cutoff], cs.cutoff_meV,
                                      grid=grid)
            tc, info = root_tc(prob, tc, t_min_K, rtol)
        if cs.cutoff_meV != cut0:
            notes.append(f"default cutoff 10 Ω_max = {cut0:.4g} meV extended to "
                         f"{cs.cutoff_meV:.4g} meV so that ≥ {N_MIN_AT_TC} Matsubara "
                         "frequencies lie below it at Tc")
    problems = cutoff_problems(tc, cs.cutoff_meV, spectrum.omega_max_meV)
    for p in problems:
        log.warning("Tc not converged in the cutoff: %s", p)
    notes.extend(f"not converged: {p}" for p in problems)
    sens = None
    if sensitivity and tc is not None:
        from tcpredict.eliashberg.sensitivity import tc_sensitivity

        sens = tc_sensitivity(prob, tc, lam, cs.mustar, cs.mustar_at_cutoff)
    res = TcResult(
        tc_K=tc, t_min_K=t_min_K, lam=lam, omega_log_meV=wlog, omega2_meV=w2,
        allen_dynes_K=ad, mustar=cs.mustar, mustar_at_meV=cs.mustar_at_meV,
        mustar_at_cutoff=cs.mustar_at_cutoff, cutoff_meV=cs.cutoff_meV, rtol=rtol,
        n_matsubara=info["n_matsubara"], eigen_method=info["method"],
        evaluations=info["evaluations"], eigen_residual=float(info.get("residual", math.nan))
        if "residual" in info else math.nan,
        spectrum_source=spectrum.source, grid=str(info.get("grid", grid)),
        n_nodes=int(info.get("n_nodes", info["n_matsubara"])), notes=tuple(notes),
        converged=not problems, sensitivity=sens)
    from tcpredict.uncertainty import as_uncertainty, tc_band

    spec = as_uncertainty(uncertainty)
    if spec is None:
        return res
    band = tc_band(spectrum, cs.mustar, res, ranges, spec)
    return replace(res, uncertainty=band.to_dict(),
                   notes=res.notes + band.notes,
                   converged=res.converged and band.converged)


def root_tc(problem: LinearizedOperator, t_guess_K: float, t_min_K: float, rtol: float):
    """Tc of one operator: the safeguarded secant (:func:`find_tc_warm`) on compressed
    grids, whose eigen-solves are independent of each other; bracketing + Illinois
    (:func:`find_tc`, Lanczos warm-started along the search) on the full grid."""
    if problem.grid.name == "compressed":
        return find_tc_warm(problem, t_guess_K, t_min_K, rtol, t_max_K=T_MAX_K)
    return find_tc(problem, t_guess_K, t_min_K, rtol)
