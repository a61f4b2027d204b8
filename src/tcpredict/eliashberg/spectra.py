r"""Eliashberg spectral functions α²F(Ω) and their moments.

An :class:`Alpha2F` holds a tabulated part (Ω_i, α²F_i on a strictly increasing grid of Ω > 0,
integrated with the trapezoid rule) plus any number of exact delta functions
``w δ(Ω − Ω_j)`` (Einstein modes). Sums and rescalings stay in this form, so an Einstein
spectrum keeps its analytic kernel λΩ_E²/(Ω_E² + ν²) exactly.

Moments (docs/eliashberg.md §1; Allen & Dynes, Phys. Rev. B 12, 905 (1975), Eqs. 2–4):

.. math::

    λ = 2∫ α²F(Ω)/Ω dΩ, \quad
    ω_\log = \exp\Big[\frac{2}{λ}∫ \ln Ω\, α²F(Ω)/Ω\, dΩ\Big], \quad
    ω̄_2 = \Big[\frac{2}{λ}∫ Ω\, α²F(Ω) dΩ\Big]^{1/2},

and the bosonic Matsubara kernel λ(ν) = ∫ 2Ω α²F(Ω)/(Ω² + ν²) dΩ, λ(0) = λ.
All energies are in meV.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from tcpredict.limits import MAX_LAMBDA, MAX_PHONON_MEV, as_float_array

__all__ = [
    "Alpha2F",
    "einstein",
    "gaussian_peak",
    "lorentzian_peak",
    "debye",
    "from_moments",
]


def _as_1d(x, name: str) -> np.ndarray:
    a = as_float_array(x, name).reshape(-1)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return a


@dataclass(frozen=True, eq=False)
class Alpha2F:
    r"""Eliashberg function α²F(Ω) (dimensionless) on Ω > 0 [meV].

    Parameters
    ----------
    omega_meV : array_like, shape (n,)
        Strictly increasing phonon energies Ω_i > 0 [meV] of the tabulated part (may be empty).
    values : array_like, shape (n,)
        α²F(Ω_i) ≥ 0, dimensionless. Integrated with the trapezoid rule between the points.
    delta_omega_meV : array_like, shape (k,)
        Positions Ω_j > 0 [meV] of exact delta functions.
    delta_weight_meV : array_like, shape (k,)
        Weights w_j ≥ 0 [meV] of ``w_j δ(Ω − Ω_j)``; an Einstein mode of coupling λ_E has
        w = λ_E Ω_E / 2.
    source : str
        Free-text provenance (file, column, model parameters) carried into results.

    Notes
    -----
    Instances are immutable; arithmetic (``+``, ``scaled``) returns new objects.
    """

    omega_meV: np.ndarray = field(default_factory=lambda: np.zeros(0))
    values: np.ndarray = field(default_factory=lambda: np.zeros(0))
    delta_omega_meV: np.ndarray = field(default_factory=lambda: np.zeros(0))
    delta_weight_meV: np.ndarray = field(default_factory=lambda: np.zeros(0))
    source: str = ""

    def __post_init__(self) -> None:
        om = _as_1d(self.omega_meV, "omega_meV")
        va = _as_1d(self.values, "values")
        dom = _as_1d(self.delta_omega_meV, "delta_omega_meV")
        dw = _as_1d(self.delta_weight_meV, "delta_weight_meV")
        if om.shape != va.shape:
            raise ValueError(f"omega_meV has {om.size} points but values has {va.size}")
        if dom.shape != dw.shape:
            raise ValueError("delta_omega_meV and delta_weight_meV differ in length")
        if om.size == 1:
            raise ValueError("a tabulated α²F needs at least two points")
        if om.size and np.any(om <= 0):
            raise ValueError("α²F energies must be > 0 meV")
        if om.size and np.any(np.diff(om) <= 0):
            i = int(np.argmax(np.diff(om) <= 0))
            raise ValueError(f"α²F energies must be strictly increasing (point {i + 2})")
        if np.any(va < 0):
            raise ValueError(f"α²F must be ≥ 0 (point {int(np.argmax(va < 0)) + 1} is negative)")
        if np.any(dom <= 0):
            raise ValueError("delta-function (Einstein) energies must be > 0 meV")
        if np.any(dw < 0):
            raise ValueError("delta-function weights must be ≥ 0")
        top = max(float(om.max(initial=0.0)), float(dom.max(initial=0.0)))
        if top > MAX_PHONON_MEV:
            raise ValueError(f"α²F energies must be ≤ {MAX_PHONON_MEV:g} meV (README "
                             f"\"Limits\"), got Ω = {top:g} meV: is the energy unit right?")
        for name, arr in (("omega_meV", om), ("values", va), ("delta_omega_meV", dom),
                          ("delta_weight_meV", dw)):
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        if self.lam <= 0:
            raise ValueError("α²F is empty: λ = 0")
        if not self.lam <= MAX_LAMBDA:
            raise ValueError(f"λ = {self.lam:g} of the α²F is above the limit {MAX_LAMBDA:g} "
                             "(README \"Limits\")")
        if not all(math.isfinite(v) and v > 0 for v in (self.lam, self.omega_log_meV,
                                                           self.omega2_meV)):
            raise ValueError("α²F moments λ, ω_log, ω̄₂ must be finite (energies or values too "
                             "large or too small for double precision)")

    # ------------------------------------------------------------------ moments
    def _integrate(self, g) -> float:
        """∫ g(Ω) α²F(Ω) dΩ with the quadrature of :meth:`quadrature_nodes`."""
        nodes, weights = self.quadrature_nodes()
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # checked by callers
            return float(np.sum(g(nodes) * weights))

    @functools.cached_property
    def lam(self) -> float:
        """Electron–phonon coupling λ = 2∫α²F(Ω)/Ω dΩ (dimensionless)."""
        return 2.0 * self._integrate(lambda om: 1.0 / om)

    @functools.cached_property
    def omega_log_meV(self) -> float:
        """Logarithmic average ω_log = exp[(2/λ)∫ ln Ω α²F/Ω dΩ] [meV] (Allen–Dynes 1975)."""
        s = self._integrate(lambda om: np.log(om) / om)
        return float(np.exp(2.0 * s / self.lam))

    @functools.cached_property
    def omega2_meV(self) -> float:
        """ω̄₂ = [(2/λ)∫ Ω α²F dΩ]^{1/2} [meV] (Allen–Dynes 1975)."""
        s = self._integrate(lambda om: om)
        return float(np.sqrt(2.0 * s / self.lam))

    @functools.cached_property
    def omega_max_meV(self) -> float:
        """Top of the spectrum [meV]: largest Ω with α²F above 1 % of its peak.

        Delta functions count at their position. Used for the default cutoff (10 Ω_max) and the
        default energy at which μ* is defined (docs/eliashberg.md §2).
        """
        top = 0.0
        if self.omega_meV.size and self.values.max() > 0:
            above = self.values > 0.01 * self.values.max()
            top = float(self.omega_meV[above][-1])
        if self.delta_omega_meV.size:
            top = max(top, float(self.delta_omega_meV[self.delta_weight_meV > 0].max(initial=0.0)))
        return top

    @property
    def is_einstein(self) -> bool:
        """True when the spectrum is a single exact delta function."""
        return self.omega_meV.size == 0 and self.delta_omega_meV.size == 1

    # ------------------------------------------------------------------ kernel
    def kernel(self, nu_meV, *, block: int = 4096) -> np.ndarray:
        r"""Bosonic Matsubara kernel λ(ν) = ∫ 2Ω α²F(Ω)/(Ω² + ν²) dΩ (dimensionless).

        Parameters
        ----------
        nu_meV : array_like
            Bosonic frequencies ν [meV] (any shape; usually ν_k = 2πk k_BT).
        block : int
            Number of ν values handled per vectorised block (bounds memory).

        Returns
        -------
        ndarray
            λ(ν), same shape as ``nu_meV``. Tabulated parts use the trapezoid rule on the table
            (so that ``kernel(0) == lam`` exactly); deltas are analytic,
            λ_E Ω_E²/(Ω_E² + ν²) (docs/eliashberg.md §1).
        """
        nu = np.asarray(nu_meV, dtype=float)
        flat = nu.reshape(-1)
        out = np.zeros_like(flat)
        nodes, weights = self.quadrature_nodes()
        f, om2 = 2.0 * nodes * weights, nodes ** 2
        for s0 in range(0, flat.size, block):
            out[s0:s0 + block] = (f / (om2 + flat[s0:s0 + block, None] ** 2)).sum(axis=1)
        return out.reshape(nu.shape)

    def kernel_integral(self, nu_meV) -> np.ndarray:
        r"""Λ(ν) = ∫_0^ν λ(ν′) dν′ = ∫ 2 α²F(Ω) arctan(ν/Ω) dΩ [meV] (docs/eliashberg.md §2.5).

        The antiderivative of :meth:`kernel` in ν, same quadrature (trapezoid on the table,
        deltas exact: λ_E Ω_E arctan(ν/Ω_E)); Λ(∞) = π∫α²F dΩ. The compressed Matsubara grid
        uses it to sum λ(ν_k) over the bosonic frequencies it does not keep.
        """
        nu = np.asarray(nu_meV, dtype=float)
        flat = np.abs(nu.reshape(-1))
        out = np.zeros_like(flat)
        nodes, weights = self.quadrature_nodes()
        keep = nodes > 0
        nodes, weights = nodes[keep], 2.0 * weights[keep]
        for s0 in range(0, flat.size, 4096):
            out[s0:s0 + 4096] = (weights * np.arctan(flat[s0:s0 + 4096, None] / nodes)).sum(axis=1)
        return (np.sign(nu.reshape(-1)) * out).reshape(nu.shape)

    def kernel_complex(self, z) -> np.ndarray:
        r"""λ(z) = ∫ 2Ω α²F(Ω)/(Ω² − z²) dΩ for complex z (λ(iν) = :meth:`kernel` (ν)).

        Used by the real-axis (Marsiglio–Schossmann–Carbotte) equations, where z = ω − iω_m.
        Same quadrature as :meth:`kernel` (trapezoid on the table, deltas exact).
        """
        zz = np.asarray(z, dtype=complex)
        flat = zz.reshape(-1)
        nodes, weights = self.quadrature_nodes()
        out = np.zeros(flat.shape, dtype=complex)
        for s in range(0, flat.size, 2048):
            z2 = flat[s:s + 2048, None] ** 2
            out[s:s + 2048] = (2.0 * nodes * weights / (nodes ** 2 - z2)).sum(axis=1)
        return out.reshape(zz.shape)

    def quadrature_nodes(self) -> tuple[np.ndarray, np.ndarray]:
        """Nodes Ω_i [meV] and weights a_i with ∫ g(Ω) α²F(Ω) dΩ ≈ Σ_i a_i g(Ω_i).

        Trapezoid rule on the table (a_i = α²F_i × trapezoid weight) plus the exact deltas.
        """
        nodes, weights = [], []
        if self.omega_meV.size:
            dx = np.diff(self.omega_meV)
            tw = np.zeros_like(self.omega_meV)
            tw[:-1] += dx / 2
            tw[1:] += dx / 2
            nodes.append(self.omega_meV)
            weights.append(self.values * tw)
        if self.delta_omega_meV.size:
            nodes.append(self.delta_omega_meV)
            weights.append(self.delta_weight_meV)
        return np.concatenate(nodes), np.concatenate(weights)

    # ------------------------------------------------------------------ algebra
    def scaled(self, factor: float, source: str | None = None) -> "Alpha2F":
        """Return factor × α²F (e.g. the DOS-scaling rule of docs/confinement.md §5)."""
        if not np.isfinite(factor) or factor <= 0:
            raise ValueError(f"scale factor must be > 0, got {factor}")
        return Alpha2F(self.omega_meV, self.values * factor, self.delta_omega_meV,
                       self.delta_weight_meV * factor,
                       source if source is not None else f"{factor:.6g} × ({self.source})")

    def __mul__(self, factor: float) -> "Alpha2F":
        return self.scaled(float(factor))

    __rmul__ = __mul__

    def __add__(self, other: "Alpha2F") -> "Alpha2F":
        """Sum of two spectra: tables merged on the union grid (linear interpolation, zero
        outside each table's range), deltas concatenated."""
        if not isinstance(other, Alpha2F):
            return NotImplemented
        if self.omega_meV.size and other.omega_meV.size:
            grid = np.union1d(self.omega_meV, other.omega_meV)
            vals = (np.interp(grid, self.omega_meV, self.values, left=0.0, right=0.0)
                    + np.interp(grid, other.omega_meV, other.values, left=0.0, right=0.0))
        elif self.omega_meV.size:
            grid, vals = self.omega_meV, self.values
        else:
            grid, vals = other.omega_meV, other.values
        return Alpha2F(grid, vals,
                       np.concatenate([self.delta_omega_meV, other.delta_omega_meV]),
                       np.concatenate([self.delta_weight_meV, other.delta_weight_meV]),
                       f"({self.source}) + ({other.source})")

    def sampled(self, omega_meV) -> np.ndarray:
        """α²F of the tabulated part at the given energies [meV] (deltas not included)."""
        if not self.omega_meV.size:
            return np.zeros_like(np.asarray(omega_meV, dtype=float))
        return np.interp(omega_meV, self.omega_meV, self.values, left=0.0, right=0.0)

    def moments(self) -> dict:
        """λ, ω_log [meV], ω̄₂ [meV] and Ω_max [meV] as a dict with unit-bearing keys."""
        return {"lambda": self.lam, "omega_log_meV": self.omega_log_meV,
                "omega2_meV": self.omega2_meV, "omega_max_meV": self.omega_max_meV}

    def __repr__(self) -> str:
        return (f"Alpha2F(λ={self.lam:.4g}, ω_log={self.omega_log_meV:.4g} meV, "
                f"ω̄₂={self.omega2_meV:.4g} meV, source={self.source!r})")


# ---------------------------------------------------------------------- model spectra
def _check_pos(name: str, v: float) -> float:
    try:
        v = float(v)
    except (TypeError, OverflowError):
        txt = repr(v)
        raise ValueError(f"{name} must be a finite number > 0, got "
                         f"{txt if len(txt) < 40 else txt[:20] + '…'}") from None
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {v}")
    return v


def _check_points(name: str, n, lo: int = 8, hi: int = 200_000) -> int:
    """Grid size n as an int in [lo, hi] (ValueError otherwise)."""
    try:
        ok = int(n) == n and lo <= int(n) <= hi
    except (TypeError, ValueError, OverflowError):
        ok = False
    if not ok:
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {n!r}")
    return int(n)


#: Lowest Einstein energy [meV] accepted (1 neV; below it the moments leave double precision).
MIN_EINSTEIN_MEV = 1e-6


def einstein(omega_meV: float, lam: float) -> Alpha2F:
    """Einstein spectrum α²F = (λΩ_E/2) δ(Ω − Ω_E) as an exact delta.

    Its kernel is λ(ν) = λΩ_E²/(Ω_E² + ν²) exactly (docs/eliashberg.md §1).
    """
    om = _check_pos("Einstein energy omega_meV", omega_meV)
    lam = _check_pos("lambda", lam)
    if not (MIN_EINSTEIN_MEV <= om <= MAX_PHONON_MEV and lam <= MAX_LAMBDA):
        raise ValueError(f"Einstein mode: omega_meV must be in [{MIN_EINSTEIN_MEV:g}, "
                         f"{MAX_PHONON_MEV:g}] meV and lambda in (0, {MAX_LAMBDA:g}], got "
                         f"{om:g} meV, {lam:g}")
    return Alpha2F(delta_omega_meV=[om], delta_weight_meV=[lam * om / 2],
                   source=f"Einstein Ω_E={om:g} meV, λ={lam:g}")


def _peak(shape: str, center_meV: float, width_meV: float, lam: float, n: int) -> Alpha2F:
    n = _check_points("n", n)
    c = _check_pos("peak centre", center_meV)
    w = _check_pos("peak width", width_meV)
    lam = _check_pos("lambda", lam)
    from tcpredict.limits import MAX_PHONON_MEV

    for name, v in (("peak centre", c), ("peak width", w)):
        if v > MAX_PHONON_MEV:
            raise ValueError(f"{name} must be ≤ {MAX_PHONON_MEV:g} meV, got {v:g}")
    span = 6.0 * w if shape == "gaussian" else 40.0 * w
    lo = max(c - span, c * 1e-3)
    om = np.linspace(lo, c + span, n)
    if shape == "gaussian":
        f = np.exp(-0.5 * ((om - c) / w) ** 2)
    else:
        f = w ** 2 / ((om - c) ** 2 + w ** 2)
    a = Alpha2F(om, f, source="")
    return a.scaled(lam / a.lam, source=f"{shape} peak Ω₀={c:g} meV, width={w:g} meV, λ={lam:g}")


def gaussian_peak(center_meV: float, width_meV: float, lam: float, n: int = 401) -> Alpha2F:
    """Gaussian peak α²F ∝ exp[−(Ω−Ω₀)²/2σ²] (σ = ``width_meV``) normalised to coupling λ."""
    return _peak("gaussian", center_meV, width_meV, lam, n)


def lorentzian_peak(center_meV: float, width_meV: float, lam: float, n: int = 2001) -> Alpha2F:
    """Lorentzian peak α²F ∝ γ²/[(Ω−Ω₀)² + γ²] (γ = ``width_meV``, truncated at ±40γ and Ω > 0),
    normalised to coupling λ."""
    return _peak("lorentzian", center_meV, width_meV, lam, n)


def debye(omega_d_meV: float, lam: float, n: int = 400) -> Alpha2F:
    """Debye-like spectrum α²F ∝ Ω² for Ω < Ω_D, normalised to coupling λ.

    λ = 2∫₀^{Ω_D} cΩ dΩ = cΩ_D² fixes c (continuum value; the table is normalised numerically).
    """
    n = _check_points("n", n)
    od = _check_pos("Debye energy", omega_d_meV)
    lam = _check_pos("lambda", lam)
    om = np.linspace(od / n, od, n)
    a = Alpha2F(om, om ** 2)
    return a.scaled(lam / a.lam, source=f"Debye Ω_D={od:g} meV, λ={lam:g}")


def from_moments(lam: float, omega_log_meV: float, omega2_meV: float, n: int = 600) -> Alpha2F:
    r"""Smooth spectrum with prescribed λ, ω_log and ω̄₂ (used when only moments are known).

    The normalised weight w(Ω) = 2α²F(Ω)/(λΩ) is taken log-normal in Ω with median ω_log and
    variance σ² = ln(ω̄₂/ω_log), which reproduces the three moments exactly in the continuum:
    ⟨ln Ω⟩_w = ln ω_log and ⟨Ω²⟩_w = ω_log² e^{2σ²} = ω̄₂². The tabulated version is then rescaled
    so λ is exact; ω_log and ω̄₂ agree to the quadrature accuracy (< 1e-4 relative for n = 600).
    Requires ω̄₂ ≥ ω_log (Jensen's inequality). For ω̄₂ = ω_log an Einstein delta is returned.
    """
    n = _check_points("n", n)
    lam = _check_pos("lambda", lam)
    wl = _check_pos("omega_log_meV", omega_log_meV)
    w2 = _check_pos("omega2_meV", omega2_meV)
    if w2 < wl * (1 - 1e-12):
        raise ValueError(f"ω̄₂ = {w2} meV < ω_log = {wl} meV is impossible for any α²F ≥ 0")
    s2 = np.log(w2 / wl)
    src = f"log-normal model from moments λ={lam:g}, ω_log={wl:g} meV, ω̄₂={w2:g} meV"
    if s2 < 1e-8:
        e = einstein(wl, lam)
        return Alpha2F(delta_omega_meV=e.delta_omega_meV, delta_weight_meV=e.delta_weight_meV,
                       source=src)
    s = np.sqrt(s2)
    x = np.linspace(-7 * s, 7 * s, n)
    om = wl * np.exp(x)
    # density in Ω of a log-normal: φ(x)/(Ω σ)
    w = np.exp(-0.5 * (x / s) ** 2) / (om * s * np.sqrt(2 * np.pi))
    a = Alpha2F(om, lam * om * w / 2)
    return a.scaled(lam / a.lam, source=src)
