r"""Inverse problems of the linearized Eliashberg equations: the parameter that gives a target Tc
(as ebmb's ``critical`` offers; docs/eliashberg.md, "Inverse problems").

Three parameters, each a root search on the Tc solver :func:`tcpredict.eliashberg.tc.solve_tc`:

``mustar``
    the Coulomb pseudopotential μ* (defined at ``mustar_at_meV``, default Ω_max, and rescaled to
    the cutoff by Morel–Anderson as in every Tc solve); Tc decreases monotonically with μ*.
``lambda-scale``
    s in α²F → s·α²F (λ → sλ, the spectral shape kept); Tc increases with s.
``omega-scale``
    f in α²F(Ω) → α²F(Ω/f) (every phonon energy times f, λ unchanged; an Einstein energy
    Ω_E → fΩ_E). With the default reference energy and cutoff (both proportional to Ω_max) the
    equations are scale invariant and Tc ∝ f exactly (a test of the search).

Method: Brent's method (``scipy.optimize.brentq``) on ln Tc(p) − ln T_target in ln p (in p for
μ*), after automatic bracketing; each Tc is solved with relative accuracy ``rtol``/10 and the
search stops when the bracket is below ``rtol``/100 in ln p (relative ``rtol``/10 in μ*). The
result meets
|Tc(p)/T_target − 1| ≤ ``rtol`` (default 1e-4, the Tc solver's default) or says it does not
(``converged`` false, with the reason in ``notes``). A target that no value reaches (e.g. above
Tc(μ* = 0)) raises ValueError naming the reachable range.

Energies in meV, temperatures in K.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from scipy.optimize import brentq

from tcpredict.limits import MUSTAR_MAX, check_mustar, check_temperature
from tcpredict.eliashberg.spectra import Alpha2F
from tcpredict.eliashberg.tc import TcResult, solve_tc

__all__ = ["PARAMETERS", "InversionResult", "invert_tc", "solve_tc_for_mustar",
           "solve_tc_for_lambda_scale", "solve_tc_for_omega_scale", "scale_frequencies"]

#: Parameters that can be solved for.
PARAMETERS = ("mustar", "lambda-scale", "omega-scale")


@dataclass(frozen=True)
class InversionResult:
    """The parameter value that reproduces a target Tc.

    Attributes
    ----------
    parameter : str
        "mustar", "lambda-scale" or "omega-scale".
    value : float
        The solution (μ*, s or f; dimensionless).
    target_tc_K : float
    tc_K : float
        Tc at the solution [K].
    rtol : float
        Required |Tc/T_target − 1|.
    converged : bool
    evaluations : int
        Tc solves used.
    bracket : tuple of float
        Final bracket of the parameter.
    tc_result : TcResult
        The Tc solve at the solution (spectrum, μ*, cutoff, convergence data).
    notes : tuple of str
    """

    parameter: str
    value: float
    target_tc_K: float
    tc_K: float
    rtol: float
    converged: bool
    evaluations: int
    bracket: tuple
    tc_result: TcResult = field(repr=False)
    notes: tuple = ()

    def to_dict(self) -> dict:
        return {"parameter": self.parameter, "value": self.value,
                "target_tc_K": self.target_tc_K, "tc_K": self.tc_K, "rtol": self.rtol,
                "relative_error": self.tc_K / self.target_tc_K - 1.0,
                "converged": self.converged, "evaluations": self.evaluations,
                "bracket": list(self.bracket), "notes": list(self.notes)}


def scale_frequencies(spectrum: Alpha2F, factor: float) -> Alpha2F:
    """α²F_f(Ω) = α²F(Ω/f): every phonon energy times f, λ unchanged (a delta of weight w at
    Ω_E becomes weight f·w at fΩ_E)."""
    f = float(factor)
    if not (math.isfinite(f) and f > 0):
        raise ValueError(f"frequency scale must be finite and > 0, got {factor!r}")
    return Alpha2F(spectrum.omega_meV * f, spectrum.values, spectrum.delta_omega_meV * f,
                   spectrum.delta_weight_meV * f,
                   source=f"{spectrum.source}; phonon energies × {f:.8g}")


def invert_tc(spectrum: Alpha2F, target_tc_K: float, parameter: str, *,
              mustar: float | None = None, mustar_at_meV: float | None = None,
              cutoff_meV: float | None = None, rtol: float = 1e-4, t_min_K: float | None = None,
              grid: str = "full") -> InversionResult:
    """Solve for ``parameter`` so that the Eliashberg Tc equals ``target_tc_K`` (module doc).

    Parameters
    ----------
    spectrum : Alpha2F
    target_tc_K : float
        Target Tc [K] > 0.
    parameter : {"mustar", "lambda-scale", "omega-scale"}
    mustar : float, optional
        μ* for the scale searches (required there; ignored for ``mustar``).
    mustar_at_meV, cutoff_meV, grid :
        As in :func:`~tcpredict.eliashberg.tc.solve_tc` (defaults Ω_max, 10 Ω_max of the
        spectrum being solved, i.e. of the scaled one for ``omega-scale``).
    rtol : float
        Required |Tc/T_target − 1| (default 1e-4).
    t_min_K : float, optional
        Floor of the Tc searches (default T_target/100).

    Raises
    ------
    ValueError
        Bad input, or a target no value of the parameter reaches (the message gives the
        reachable range).
    """
    if not isinstance(spectrum, Alpha2F):
        raise TypeError("spectrum must be an Alpha2F")
    if parameter not in PARAMETERS:
        raise ValueError(f"unknown parameter {parameter!r}; valid: {', '.join(PARAMETERS)}")
    tt = check_temperature(target_tc_K, "target_tc_K")
    if not (0 < rtol < 0.1):
        raise ValueError("rtol must be in (0, 0.1)")
    if parameter != "mustar":
        if mustar is None:
            raise ValueError(f"solving for {parameter} needs μ*")
        check_mustar(mustar, "mustar")
    tmin = tt / 100.0 if t_min_K is None else float(t_min_K)
    if not (math.isfinite(tmin) and 0 < tmin < tt):
        raise ValueError(f"t_min_K must be in (0, target) K, got {t_min_K!r}")
    inner = rtol / 10.0
    count = {"n": 0}
    cache: dict[float, TcResult] = {}

    def solve(p: float) -> TcResult:
        if p in cache:
            return cache[p]
        count["n"] += 1
        if parameter == "mustar":
            r = solve_tc(spectrum, p, mustar_at_meV=mustar_at_meV, cutoff_meV=cutoff_meV,
                         t_min_K=tmin, rtol=inner, t_guess_K=tt, grid=grid)
        elif parameter == "lambda-scale":
            r = solve_tc(spectrum.scaled(p), mustar, mustar_at_meV=mustar_at_meV,
                         cutoff_meV=cutoff_meV, t_min_K=tmin, rtol=inner, t_guess_K=tt,
                         grid=grid)
        else:
            r = solve_tc(scale_frequencies(spectrum, p), mustar, mustar_at_meV=mustar_at_meV,
                         cutoff_meV=cutoff_meV, t_min_K=tmin, rtol=inner, t_guess_K=tt,
                         grid=grid)
        cache[p] = r
        return r

    def g(p: float) -> float:  # ln Tc(p) − ln target; Tc below the floor counts as the floor
        tc = solve(p).tc_K
        return math.log((tc if tc is not None else tmin / 2) / tt)

    notes: list[str] = []
    if parameter == "mustar":
        # Tc falls with μ*; μ* must stay rescalable to the cutoff: μ* < 1/ln(ω_c/ω_ref)
        from tcpredict.eliashberg.tc import resolve_coupling

        cs = resolve_coupling(spectrum, 0.0, mustar_at_meV, cutoff_meV)
        lg = math.log(cs.cutoff_meV / cs.mustar_at_meV)
        mu_hi = min((1.0 / lg) if lg > 0 else MUSTAR_MAX, MUSTAR_MAX) * (1 - 1e-9)
        lo, hi = 0.0, min(0.2, 0.5 * mu_hi)
        g_lo = g(lo)
        if g_lo < 0:
            raise ValueError(f"no μ* ≥ 0 gives Tc = {tt:g} K: Tc(μ* = 0) = "
                             f"{_fmt(solve(0.0).tc_K)} K")
        g_hi = g(hi)
        while g_hi > 0:
            if hi >= mu_hi * (1 - 1e-6):
                raise ValueError(f"no μ* below {mu_hi:.4g} (the largest μ* rescalable to the "
                                 f"cutoff) gives a Tc as low as {tt:g} K")
            lo, g_lo = hi, g_hi
            hi = min(2.0 * hi, mu_hi)
            g_hi = g(hi)
        x = brentq(g, lo, hi, xtol=1e-12, rtol=inner)
        value, bracket = float(x), (lo, hi)
    else:
        # Tc rises with s (λ) and with f (energies): bracket in ln p from p = 1
        h = lambda u: g(math.exp(u))  # noqa: E731
        a, b = 0.0, 0.0
        ga = gb = h(a)
        step = 0.5 if ga < 0 else -0.5
        for _ in range(60):
            if ga == 0.0 or gb == 0.0:
                break
            b = a + step
            gb = h(b)
            if (gb > 0) != (ga > 0):
                break
            a, ga = b, gb
            step *= 1.6
        else:
            raise ValueError(f"no {parameter} in [{math.exp(-abs(b)):.3g}, "
                             f"{math.exp(abs(b)):.3g}] gives Tc = {tt:g} K")
        lo_u, hi_u = min(a, b), max(a, b)
        if ga == 0.0 or gb == 0.0:
            x = a if ga == 0.0 else b
        else:
            x = brentq(h, lo_u, hi_u, xtol=rtol / 100.0, rtol=1e-12)
        value, bracket = float(math.exp(x)), (math.exp(lo_u), math.exp(hi_u))
    res = solve(value)
    tc = res.tc_K
    ok = tc is not None and abs(tc / tt - 1.0) <= rtol
    if not ok:
        notes.append(f"not converged: Tc at the solution is {_fmt(tc)} K, target {tt:g} K "
                     f"(rtol {rtol:g})")
    if not res.converged:
        ok = False
        notes.extend(n for n in res.notes if n.startswith("not converged"))
    return InversionResult(parameter, value, tt, float(tc) if tc is not None else math.nan,
                           rtol, bool(ok), count["n"], tuple(float(v) for v in bracket), res,
                           tuple(notes))


def _fmt(v) -> str:
    return "none" if v is None else f"{v:.6g}"


def solve_tc_for_mustar(spectrum: Alpha2F, target_tc_K: float, **kw) -> InversionResult:
    """μ* (at ``mustar_at_meV``, default Ω_max) giving ``target_tc_K`` (see :func:`invert_tc`)."""
    return invert_tc(spectrum, target_tc_K, "mustar", **kw)


def solve_tc_for_lambda_scale(spectrum: Alpha2F, target_tc_K: float, mustar: float,
                              **kw) -> InversionResult:
    """s with α²F → sα²F giving ``target_tc_K`` (see :func:`invert_tc`)."""
    return invert_tc(spectrum, target_tc_K, "lambda-scale", mustar=mustar, **kw)


def solve_tc_for_omega_scale(spectrum: Alpha2F, target_tc_K: float, mustar: float,
                             **kw) -> InversionResult:
    """f with α²F(Ω) → α²F(Ω/f) giving ``target_tc_K`` (see :func:`invert_tc`)."""
    return invert_tc(spectrum, target_tc_K, "omega-scale", mustar=mustar, **kw)

