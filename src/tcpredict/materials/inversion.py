r"""Allen–Dynes inversions used to build and to check the element data (docs/materials.md §3).

Two element parameters are, where the literature has nothing better, obtained by inverting the
Allen–Dynes formula (Allen & Dynes, Phys. Rev. B 12, 905 (1975), Eqs. (34)–(36); docs/eliashberg.md §1
as written in ``tcpredict.eliashberg.closed_forms.allen_dynes_tc_K``) for the measured bulk Tc:

- :func:`mustar_for_tc` — the μ* (defined at the top of the spectrum, Allen–Dynes usage) for which
  Allen–Dynes with given λ, ω_log, ω̄₂ returns a target Tc (rows with a literature λ);
- :func:`lambda_for_tc` — the λ for which Allen–Dynes with given ω_log, ω̄₂, μ* returns the target
  (rows without a literature λ; McMillan, Phys. Rev. 167, 331 (1968), Table IV, obtained his λ
  values the same way from his own formula).

Both are exact root finds (``scipy.optimize.brentq``, relative tolerance 1e-12) of the monotonic
Allen–Dynes Tc: it decreases with μ* and increases with λ. An uncertainty propagation that wants
to keep the measured bulk Tc fixed can re-fit one parameter per sample with these functions.
"""

from __future__ import annotations

import math

from scipy.optimize import brentq

from tcpredict.eliashberg.closed_forms import allen_dynes_tc_K

__all__ = ["mustar_for_tc", "lambda_for_tc"]


def _check(name: str, value: float, *, strict: bool = True) -> float:
    v = float(value)
    if not math.isfinite(v) or v < 0 or (strict and v == 0):
        raise ValueError(f"{name} must be {'> 0' if strict else '≥ 0'} and finite, got {value!r}")
    return v


def mustar_for_tc(lam: float, omega_log_meV: float, omega2_meV: float, tc_K: float) -> float:
    r"""μ* such that Allen–Dynes(λ, ω_log, ω̄₂, μ*) = ``tc_K``.

    Parameters
    ----------
    lam : float
        λ > 0.
    omega_log_meV, omega2_meV : float
        ω_log and ω̄₂ ≥ ω_log [meV].
    tc_K : float
        Target Tc [K], > 0.

    Returns
    -------
    float
        μ* ≥ 0, in the Allen–Dynes convention (cutoff at the top of the spectrum).

    Raises
    ------
    ValueError
        Bad input, or a target above the μ* = 0 Tc (no μ* ≥ 0 reaches it).
    """
    lam = _check("lambda", lam)
    wl = _check("omega_log_meV", omega_log_meV)
    w2 = _check("omega2_meV", omega2_meV)
    tc = _check("tc_K", tc_K)
    top = float(allen_dynes_tc_K(lam, wl, w2, 0.0))
    if tc > top:
        raise ValueError(f"tc_K = {tc:g} K exceeds the Allen–Dynes Tc at μ* = 0 ({top:g} K) for "
                         f"λ = {lam:g}: no μ* ≥ 0 reproduces it")
    mu_max = lam / (1.0 + 0.62 * lam)  # Tc = 0 at and above this μ* (docs/eliashberg.md §1)

    def f(mu):
        t = float(allen_dynes_tc_K(lam, wl, w2, mu))
        return (math.log(t) if t > 0 else -1e300) - math.log(tc)

    return float(brentq(f, 0.0, mu_max * (1 - 1e-12), xtol=1e-14, rtol=1e-12))


def lambda_for_tc(omega_log_meV: float, omega2_meV: float, mustar: float, tc_K: float) -> float:
    r"""λ such that Allen–Dynes(λ, ω_log, ω̄₂, μ*) = ``tc_K``.

    Parameters
    ----------
    omega_log_meV, omega2_meV : float
        ω_log and ω̄₂ ≥ ω_log [meV].
    mustar : float
        μ* ≥ 0 at the top of the spectrum.
    tc_K : float
        Target Tc [K], > 0.

    Returns
    -------
    float
        λ, searched in (μ*/(1 − 0.62μ*), 10].

    Raises
    ------
    ValueError
        Bad input, or no λ ≤ 10 reaches the target.
    """
    wl = _check("omega_log_meV", omega_log_meV)
    w2 = _check("omega2_meV", omega2_meV)
    mu = _check("mustar", mustar, strict=False)
    tc = _check("tc_K", tc_K)
    if mu >= 1 / 0.62:
        raise ValueError(f"mustar = {mu:g} too large: no λ gives Tc > 0")
    lo = mu / (1.0 - 0.62 * mu) * (1 + 1e-12) + 1e-15  # Tc = 0 at and below this λ
    hi = 10.0
    if float(allen_dynes_tc_K(hi, wl, w2, mu)) < tc:
        raise ValueError(f"tc_K = {tc:g} K is not reached by Allen–Dynes for any λ ≤ {hi:g}")

    def f(lam):
        t = float(allen_dynes_tc_K(lam, wl, w2, mu))
        return (math.log(t) if t > 0 else -1e300) - math.log(tc)

    return float(brentq(f, lo, hi, xtol=1e-14, rtol=1e-12))
