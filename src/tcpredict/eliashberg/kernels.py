r"""Sources of the phonon kernel λ(ν) of the Eliashberg equations (docs/eliashberg.md §1).

.. math::  λ(ν) = \int_0^∞ \frac{2Ω\,α^2F(Ω)}{Ω^2 + ν^2}\,dΩ ,\qquad λ(0) = λ .

The linearized operator (:mod:`tcpredict.eliashberg.operator`) needs λ at the bosonic Matsubara
frequencies ν_k = 2πk k_BT (full grid) or at arbitrary ν (compressed grid). Every source below
offers both through one small interface:

``kernel(nu_meV)``
    λ(ν) for ν [meV] of any shape.
``kernel.on_matsubara(temperature_K, kmax)``
    λ(ν_k), k = 0 … kmax−1 (cached per (T, kmax) where the source is costly).
``kernel.integral(nu_meV)``
    Λ(ν) = ∫_0^ν λ(ν′)dν′ [meV]: the compressed grid sums λ over the Matsubara indices it does
    not keep with it (docs/eliashberg.md §2.5).
``kernel.lam``, ``kernel.omega_log_meV``
    λ and ω_log of the underlying α²F.
``kernel.panel_scale_meV``
    The energy scale on which λ(ν) varies (ω_log; for a sum, the smallest ω_log of its parts):
    the compressed grid sizes its panels with it.
``kernel.scaled(f)``
    f·λ(ν) without recomputation (a thickness rule α²F_L = f α²F_bulk, or a Cooper-limit weight).

Sources
-------
:class:`SpectrumKernel`
    Quadrature of a tabulated α²F, exact for Einstein (delta) modes; values on the Matsubara
    grid are cached, so a film curve or a root search reuses them.
:class:`TableKernel`
    Linear interpolation in s = ln ν on a uniform fine grid (h = 1e-3). λ is analytic in ν except
    for poles at ν = ±iΩ; in s they sit at distance π/2 from the real axis, so λ(e^s) is smooth and
    the interpolation error is ≈ h²|∂²λ/∂s²|/8 ≲ 1e-7 λ (checked in the tests). Below
    ν_lo = 1e-5 Ω_max the value λ(0) is used (relative error < (ν_lo/Ω)²); above ν_hi = 1e4 Ω_max
    the asymptote λω̄₂²/ν². Einstein spectra are evaluated exactly.
:class:`ScaledKernel`, :class:`SumKernel`
    f·λ and Σ_j c_j λ_j (the exact Cooper-limit kernel of docs/proximity.md §3).
:class:`StretchedKernel`
    a·λ(ν/s), the exact kernel of the stretched spectrum a·α²F(Ω/s) (the samples of an
    uncertainty propagation, docs/uncertainty.md §4).

:func:`as_kernel` turns an :class:`~tcpredict.eliashberg.spectra.Alpha2F` into a
:class:`SpectrumKernel` and passes kernels through.

Energies in meV, temperatures in K.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np

from tcpredict.eliashberg.spectra import Alpha2F
from tcpredict.units import K_B_MEV_PER_K

__all__ = ["Kernel", "SpectrumKernel", "TableKernel", "ScaledKernel", "StretchedKernel",
           "SumKernel", "ZeroKernel", "as_kernel"]


class Kernel:
    """Base class of the kernel sources (see the module docstring for the interface)."""

    lam: float
    omega_log_meV: float

    @property
    def panel_scale_meV(self) -> float:
        """Energy scale of the variation of λ(ν) [meV] (ω_log)."""
        return self.omega_log_meV

    @property
    def omega_max_meV(self) -> float:
        """Largest phonon energy of the underlying α²F [meV]: above a few times it λ(ν) is in
        its asymptote λω̄₂²/ν² (the compressed grid's free tail, docs/eliashberg.md §2.5)."""
        return self.spectrum.omega_max_meV

    def __call__(self, nu_meV) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def integral(self, nu_meV) -> np.ndarray:  # pragma: no cover - abstract
        """Λ(ν) = ∫_0^ν λ(ν′) dν′ [meV] (odd in ν)."""
        raise NotImplementedError

    def on_matsubara(self, temperature_K: float, kmax: int) -> np.ndarray:
        """λ(ν_k) for bosonic ν_k = 2πk k_BT, k = 0 … kmax−1."""
        t = K_B_MEV_PER_K * float(temperature_K)
        return self(2.0 * np.pi * t * np.arange(int(kmax)))

    def scaled(self, factor: float) -> "Kernel":
        """f·λ(ν) (f > 0)."""
        f = float(factor)
        if f == 1.0:
            return self
        return ScaledKernel(self, f)


class SpectrumKernel(Kernel):
    """λ(ν) by quadrature of an α²F (exact for delta modes), Matsubara values cached.

    Parameters
    ----------
    spectrum : Alpha2F
    cache_size : int
        Number of (T, kmax) entries kept (least recently used dropped).
    """

    def __init__(self, spectrum: Alpha2F, cache_size: int = 256):
        if not isinstance(spectrum, Alpha2F):
            raise TypeError("spectrum must be an Alpha2F")
        self.spectrum = spectrum
        self.lam = spectrum.lam
        self.omega_log_meV = spectrum.omega_log_meV
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = int(cache_size)
        self.hits = self.misses = 0

    def __call__(self, nu_meV) -> np.ndarray:
        return self.spectrum.kernel(nu_meV)

    def integral(self, nu_meV) -> np.ndarray:
        return self.spectrum.kernel_integral(nu_meV)

    def on_matsubara(self, temperature_K: float, kmax: int) -> np.ndarray:
        key = (float(temperature_K), int(kmax))
        v = self._cache.get(key)
        if v is not None:
            self.hits += 1
            self._cache.move_to_end(key)
            return v
        self.misses += 1
        v = super().on_matsubara(temperature_K, kmax)
        v.setflags(write=False)
        self._cache[key] = v
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return v

    def __repr__(self) -> str:
        return f"SpectrumKernel({self.spectrum.source!r}, λ={self.lam:.4g})"


_TABLES: dict = {}


#: The fine table is filled by cubic Hermite interpolation from exact values and slopes every
#: _COARSE fine steps: λ(e^s) is analytic within |Im s| < π/2 (poles at ν = ±iΩ), so the
#: interpolation error h_c⁴ max|∂⁴λ/∂s⁴|/384 ≈ 1e-9 λ for h_c = 0.016 — far below the 1e-7 of
#: the fine linear table itself — at 1/16 of the cost of evaluating λ at every fine node.
_COARSE = 16


def _hermite_fill(spectrum: Alpha2F, i0: int, i1: int, h: float) -> np.ndarray:
    """λ(ν) at s = ln ν = k·h, k = i0 … i1, from λ and ∂λ/∂s at every ``_COARSE``-th node."""
    hc = _COARSE * h
    nc = (i1 - i0) // _COARSE + 2
    sc = i0 * h + hc * np.arange(nc)
    nu2 = np.exp(2.0 * sc)[:, None]
    nodes, weights = spectrum.quadrature_nodes()
    om2, f = nodes ** 2, 2.0 * nodes * weights
    q = f / (om2 + nu2)
    lam_c = q.sum(axis=1)  # λ(ν) = Σ 2Ω_i a_i/(Ω_i² + ν²)  (Alpha2F.kernel)
    dlam_c = -2.0 * (q * (nu2 / (om2 + nu2))).sum(axis=1)  # ∂λ/∂ln ν
    k = np.arange(i1 - i0 + 1)
    j = k // _COARSE
    t = (k % _COARSE) / _COARSE
    t2, t3 = t * t, t * t * t
    return ((2 * t3 - 3 * t2 + 1) * lam_c[j] + (t3 - 2 * t2 + t) * hc * dlam_c[j]
            + (-2 * t3 + 3 * t2) * lam_c[j + 1] + (t3 - t2) * hc * dlam_c[j + 1])


def _build_table(spectrum: Alpha2F, h: float):
    """Tables of λ(ν) and Λ(ν) on s = ln ν = (i0 + k)·h covering [1e-5, 1e4]·Ω_max
    (λ by :func:`_hermite_fill`).

    The grid is anchored at integer multiples of h, so tables of different spectra share their
    nodes and a sum of kernels can be merged into one table (:class:`SumKernel`). Λ is the
    cumulative trapezoid rule of g(s) = λ(e^s)e^s in s with the Euler–Maclaurin end correction
    −h²/12·[g′] (error O(h⁴) ≈ 1e-13 relative), started from Λ(ν₀) = λν₀ (error (ν₀/Ω)²/3);
    Λ(∞) = π∫α²F dΩ exactly (:meth:`Alpha2F.kernel_integral`).
    """
    om = spectrum.omega_max_meV
    i0 = math.floor(math.log(1e-5 * om) / h)
    i1 = math.ceil(math.log(1e4 * om) / h)
    s = np.arange(i0, i1 + 1) * h
    nu = np.exp(s)
    vals = _hermite_fill(spectrum, i0, i1, h)
    g = vals * nu
    dg = np.gradient(g, h)
    steps = 0.5 * h * (g[1:] + g[:-1]) - h * h / 12.0 * (dg[1:] - dg[:-1])
    ivals = spectrum.lam * nu[0] + np.concatenate([[0.0], np.cumsum(steps)])
    iinf = float(spectrum.kernel_integral(np.array([np.inf]))[0])
    return i0, vals, ivals, iinf


class TableKernel(Kernel):
    """λ(ν) and Λ(ν) interpolated in ln ν on a fine uniform grid (see the module docstring).

    Parameters
    ----------
    spectrum : Alpha2F
    h : float
        Grid step in ln ν (default 1e-3).
    cache : bool
        Keep the table for later kernels of the same spectrum object (default). Throw-away
        spectra (the samples of :mod:`tcpredict.uncertainty`) pass False, so that the process
        does not accumulate their tables.

    The table of a spectrum object is built once per process and shared.
    """

    def __init__(self, spectrum: Alpha2F, h: float = 1e-3, cache: bool = True):
        if not isinstance(spectrum, Alpha2F):
            raise TypeError("spectrum must be an Alpha2F")
        self.spectrum = spectrum
        self.lam = spectrum.lam
        self.omega_log_meV = spectrum.omega_log_meV
        self.exact = spectrum.omega_meV.size == 0 and spectrum.delta_omega_meV.size <= 4
        if not self.exact:
            key = id(spectrum)
            cached = _TABLES.get(key)
            if cached is None or cached[0] is not spectrum or cached[1] != h:
                cached = (spectrum, h, *_build_table(spectrum, h))
                if cache:
                    _TABLES[key] = cached
            _, h, i0, vals, ivals, iinf = cached
            self._set_table(h, i0, vals, ivals, iinf, spectrum.lam * spectrum.omega2_meV ** 2)

    def _set_table(self, h, i0, vals, ivals, iinf, tail):
        self._h, self._i0 = float(h), int(i0)
        self._vals, self._ivals, self._iinf, self._tail = vals, ivals, float(iinf), float(tail)
        self._s0 = self._i0 * self._h
        self._s1 = (self._i0 + vals.size - 1) * self._h

    def _locate(self, nu):
        # (ν = 0 gives s = ln 1e-300, below every table: λ(0), Λ = 0; no errstate context,
        # which costs more than the log on the few hundred points of a compressed grid)
        s = np.log(np.maximum(nu, 1e-300))
        u = (s - self._s0) * (1.0 / self._h)
        np.maximum(u, 0.0, out=u)
        np.minimum(u, self._vals.size - 1 - 1e-9, out=u)
        i = u.astype(np.intp)
        u -= i
        return s, i, u

    def __call__(self, nu_meV) -> np.ndarray:
        nu = np.abs(np.asarray(nu_meV, dtype=float))
        if self.exact:
            return self.spectrum.kernel(nu)
        s, i, frac = self._locate(nu)
        v = self._vals
        lo = v[i]
        out = lo + frac * (v[i + 1] - lo)
        hi = s > self._s1
        if hi.any():
            out[hi] = self._tail / nu[hi] ** 2
        return out

    def integral(self, nu_meV) -> np.ndarray:
        """Λ(ν) from the table node below ν; λν below the table, Λ(∞) − λω̄₂²/ν above it."""
        nu_in = np.asarray(nu_meV, dtype=float)
        if self.exact:
            return self.spectrum.kernel_integral(nu_in)
        nu = np.abs(nu_in)
        s, i, frac = self._locate(nu)
        v = self._vals
        # Λ(ν) = Λ(ν_i) + ∫_{ν_i}^{ν} λ: trapezoid on the sub-interval with the interpolated λ
        # (relative error ~h³; interpolating Λ itself in ln ν would cost h²/8 ≈ 1e-7)
        nu_i = np.exp(self._s0 + i * self._h)
        vi = v[i]
        out = self._ivals[i] + 0.5 * (nu - nu_i) * (2.0 * vi + frac * (v[i + 1] - vi))
        lo = s < self._s0
        if lo.any():
            out[lo] = self.lam * nu[lo]
        hi = s > self._s1
        if hi.any():
            out[hi] = self._iinf - self._tail / nu[hi]
        return np.copysign(out, nu_in)

    def __repr__(self) -> str:
        return f"TableKernel({self.spectrum.source!r}, λ={self.lam:.4g})"


def _table_part(kernel):
    """(factor, TableKernel) when ``kernel`` is a tabulated kernel times a factor, else None."""
    f = 1.0
    if isinstance(kernel, ScaledKernel):
        f, kernel = kernel.factor, kernel.base
    if isinstance(kernel, TableKernel) and not kernel.exact:
        return f, kernel
    return None


_ALIGNED: dict = {}


def _aligned(tables):
    """The tables of λ and Λ of each part extended onto the union of their ln ν grids (each
    part keeps its own limits outside its table: λ(0) and λν below, λω̄₂²/ν² and
    Λ(∞) − λω̄₂²/ν above), stacked as two (parts × grid) arrays, so that a weighted sum is
    two matrix–vector products (cached per set of tables): (i0, λ tables, Λ tables)."""
    h = tables[0]._h
    i0 = min(t._i0 for t in tables)
    i1 = max(t._i0 + t._vals.size - 1 for t in tables)
    nu = np.exp(np.arange(i0, i1 + 1) * h)
    ext = []
    for t in tables:
        a = t._i0 - i0
        b = a + t._vals.size
        v, iv = np.empty(nu.size), np.empty(nu.size)
        v[a:b], iv[a:b] = t._vals, t._ivals
        v[:a], iv[:a] = t._vals[0], t.lam * nu[:a]
        v[b:], iv[b:] = t._tail / nu[b:] ** 2, t._iinf - t._tail / nu[b:]
        ext.append((v, iv))
    return i0, np.array([v for v, _ in ext]), np.array([iv for _, iv in ext])


class _MergedTable(TableKernel):
    """Σ_j c_j λ_j(ν) of tabulated kernels with a common step as ONE table (same values up to
    round-off as summing the parts; one interpolation per call instead of one per part)."""

    def __init__(self, parts):
        tabs = tuple(t for _, t in parts)
        arrays = tuple(t._vals for t in tabs)  # the shared per-spectrum tables
        key = tuple(id(a) for a in arrays)
        hit = _ALIGNED.get(key)
        if hit is None or any(a is not b for a, b in zip(hit[0], arrays)):
            hit = (arrays, *_aligned(tabs))
            if len(_ALIGNED) >= 16:  # a screen task uses one pair of elements
                _ALIGNED.clear()
            _ALIGNED[key] = hit
        _, i0, V, IV = hit
        cs = np.array([c for c, _ in parts])
        vals, ivals = cs @ V, cs @ IV  # one BLAS pass over the stacked tables
        iinf = sum(c * t._iinf for c, t in parts)
        tail = sum(c * t._tail for c, t in parts)
        lam = sum(c * t.lam for c, t in parts)
        h = tabs[0]._h
        self.exact = False
        self.lam = lam
        self._parts = parts
        self._set_table(h, i0, vals, ivals, iinf, tail)

    @property
    def omega_max_meV(self) -> float:
        return max(t.omega_max_meV for _, t in self._parts)

    def __repr__(self) -> str:
        return " + ".join(f"{c:.4g}·{t!r}" for c, t in self._parts)


class ScaledKernel(Kernel):
    """f·λ(ν) of another kernel (its Matsubara cache is reused)."""

    def __init__(self, base: Kernel, factor: float):
        f = float(factor)
        if not math.isfinite(f) or f < 0:
            raise ValueError(f"kernel scale factor must be finite and ≥ 0, got {factor}")
        if isinstance(base, ScaledKernel):
            base, f = base.base, f * base.factor
        self.base, self.factor = base, f
        self.lam = f * base.lam
        self.omega_log_meV = base.omega_log_meV

    @property
    def panel_scale_meV(self) -> float:
        return self.base.panel_scale_meV

    @property
    def omega_max_meV(self) -> float:
        return self.base.omega_max_meV

    def __call__(self, nu_meV) -> np.ndarray:
        return self.factor * self.base(nu_meV)

    def integral(self, nu_meV) -> np.ndarray:
        return self.factor * self.base.integral(nu_meV)

    def on_matsubara(self, temperature_K: float, kmax: int) -> np.ndarray:
        return self.factor * self.base.on_matsubara(temperature_K, kmax)

    def __repr__(self) -> str:
        return f"{self.factor:.6g} × {self.base!r}"


class StretchedKernel(Kernel):
    r"""The kernel of a stretched and scaled spectrum, from the kernel of the original.

    For α²F_s(Ω) = a·α²F(Ω/s) (λ → aλ; ω_log, ω̄₂, Ω_max → s·ω_log, s·ω̄₂, s·Ω_max; the shape
    kept) the definition of docs/eliashberg.md §1 gives exactly λ_s(ν) = a·λ(ν/s). Matsubara
    values reuse the base kernel's cache: λ(2πk k_BT/s) = base.on_matsubara(T/s).

    Parameters
    ----------
    base : Kernel
    scale : float
        a > 0 (the factor on λ).
    stretch : float
        s > 0 (the factor on every phonon energy).
    """

    def __init__(self, base: Kernel, scale: float, stretch: float):
        a, s = float(scale), float(stretch)
        if not (math.isfinite(a) and a > 0 and math.isfinite(s) and s > 0):
            raise ValueError(f"scale and stretch must be finite and > 0, got {scale}, {stretch}")
        self.base, self.scale, self.stretch = base, a, s
        self.lam = a * base.lam
        self.omega_log_meV = s * base.omega_log_meV

    @property
    def panel_scale_meV(self) -> float:
        return self.stretch * self.base.panel_scale_meV

    @property
    def omega_max_meV(self) -> float:
        return self.stretch * self.base.omega_max_meV

    def __call__(self, nu_meV) -> np.ndarray:
        return self.scale * self.base(np.asarray(nu_meV, dtype=float) / self.stretch)

    def integral(self, nu_meV) -> np.ndarray:
        """∫_0^ν aλ(ν′/s)dν′ = a·s·Λ(ν/s)."""
        return (self.scale * self.stretch
                * self.base.integral(np.asarray(nu_meV, dtype=float) / self.stretch))

    def on_matsubara(self, temperature_K: float, kmax: int) -> np.ndarray:
        return self.scale * self.base.on_matsubara(float(temperature_K) / self.stretch, kmax)

    def __repr__(self) -> str:
        return f"{self.scale:.6g} × {self.base!r}(ν/{self.stretch:.6g})"


class SumKernel(Kernel):
    """Σ_j c_j λ_j(ν) (docs/proximity.md §3: the Cooper-limit kernel with c_j = d_jN_j/Σd_kN_k).

    ω_log of the sum follows from ln ω_log = Σ c_jλ_j ln ω_log,j / Σ c_jλ_j (the α²F moments are
    linear in α²F).
    """

    def __init__(self, parts):
        self.parts = [(float(c), as_kernel(k)) for c, k in parts]
        if not self.parts:
            raise ValueError("SumKernel needs at least one part")
        lj = np.array([c * k.lam for c, k in self.parts])
        self.lam = float(lj.sum())
        lnw = np.array([math.log(k.omega_log_meV) for _, k in self.parts])
        self.omega_log_meV = (float(math.exp((lj * lnw).sum() / self.lam)) if self.lam > 0
                              else float(min(k.omega_log_meV for _, k in self.parts)))
        tables = [_table_part(k) for _, k in self.parts]
        self._merged = None
        if len(self.parts) > 1 and all(t is not None for t in tables) and len(
                {t[1]._h for t in tables}) == 1:
            self._merged = _MergedTable([(c * f, t) for (c, _), (f, t) in zip(self.parts,
                                                                              tables)])

    @property
    def panel_scale_meV(self) -> float:
        """The smallest scale of the parts (each part's structure must be resolved)."""
        return min(k.panel_scale_meV for c, k in self.parts if c > 0) if any(
            c > 0 for c, _ in self.parts) else self.omega_log_meV

    @property
    def omega_max_meV(self) -> float:
        """The largest Ω_max of the parts."""
        return max(k.omega_max_meV for _, k in self.parts)

    def __call__(self, nu_meV) -> np.ndarray:
        if self._merged is not None:
            return self._merged(nu_meV)
        return sum(c * k(nu_meV) for c, k in self.parts)

    def integral(self, nu_meV) -> np.ndarray:
        if self._merged is not None:
            return self._merged.integral(nu_meV)
        return sum(c * k.integral(nu_meV) for c, k in self.parts)

    def on_matsubara(self, temperature_K: float, kmax: int) -> np.ndarray:
        if self._merged is not None:
            return self._merged.on_matsubara(temperature_K, kmax)
        return sum(c * k.on_matsubara(temperature_K, kmax) for c, k in self.parts)

    def __repr__(self) -> str:
        return " + ".join(f"{c:.4g}·{k!r}" for c, k in self.parts)


class ZeroKernel(Kernel):
    """λ(ν) ≡ 0: a band without intraband phonon coupling (docs/multiband.md §1).

    ``omega_log_meV`` is +∞ so that it never sets the compressed grid's panel width."""

    lam = 0.0
    omega_log_meV = math.inf
    omega_max_meV = 0.0

    def __call__(self, nu_meV) -> np.ndarray:
        return np.zeros(np.shape(nu_meV))

    def integral(self, nu_meV) -> np.ndarray:
        return np.zeros(np.shape(nu_meV))

    def __repr__(self) -> str:
        return "ZeroKernel()"


def as_kernel(obj) -> Kernel:
    """A :class:`Kernel` from an Alpha2F (→ :class:`SpectrumKernel`) or a Kernel (unchanged)."""
    if isinstance(obj, Kernel):
        return obj
    if isinstance(obj, Alpha2F):
        return SpectrumKernel(obj)
    raise TypeError(f"expected an Alpha2F or a Kernel, got {type(obj).__name__}")
