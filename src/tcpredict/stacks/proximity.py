r"""Proximity-coupled layers: bilayers and stacks with confinement (proximity.md).

Each layer j has its own Eliashberg function α²F_j, Coulomb pseudopotential μ*_j, thickness d_j
and Fermi-level density of states per spin N_j. Neighbouring layers are coupled by the elastic
proximity rates Γ (proximity.md §1):

.. math::

    ω_n Z_j(n) &= ω_n + πT\sum_m λ_j(ω_n−ω_m)\,N^Z_j(m) + Γ_{j←k} N^Z_k(n),\\
    Z_j(n)Δ_j(n) &= πT\sum_{|ω_m|<ω_c}[λ_j(ω_n−ω_m) − μ^*_j]\,N^Δ_j(m) + Γ_{j←k} N^Δ_k(n),

with detailed balance Γ_{j←k} d_j N_j = Γ_{k←j} d_k N_k at every interface (proximity.md §2).
A confined layer (confinement.md) uses α²F_L = f(L) α²F_bulk (λ rule), μ*(L) (μ* rule) and
N_j = g(E_F(L), L)/2, all at its own thickness.

Parametrisations of an interface (the user always sees which one was used):

``"gamma"``
    Γ_{i←i+1} given in meV (felt by the first layer of the pair), the reverse rate from
    detailed balance.
``"cooper-limit"``
    Γ → ∞ (transparent, thin layers): the layers of the interface become one superconductor
    with (proximity.md §3) α²F_eff = Σ w_j α²F_j, μ*_eff = Σ w_j μ*_j (μ* at the same cutoff),
    w_j = d_jN_j / Σ_k d_kN_k. This is exact: in the limit the equations force Δ_j = Δ_k and
    the weighted sum of the layer equations (weights d_jN_j) cancels the Γ terms.
``"decoupled"``
    Γ = 0; Tc = max_j Tc_j.

All layers share one Matsubara cutoff ω_c (default 10 × the largest Ω_max); every μ* is rescaled
to it with Morel–Anderson (:func:`tcpredict.eliashberg.matsubara.rescale_mustar`).

Numerical method
----------------
``method="exact"`` uses :class:`tcpredict.eliashberg.tc.LinearizedStack` on the full Matsubara grid
(all N frequencies below ω_c). ``method="compressed"`` (the default) uses
:class:`CompressedStack`: the same symmetric kernel discretised by a Nyström rule whose nodes
are the first ``n_head`` Matsubara indices exactly and, beyond, Gauss–Legendre panels in the
continuous Matsubara index, geometrically growing and capped at a width of
``panel_omega_factor × ω_log`` in energy (the kernel λ(ν) is analytic within |Im ν| < Ω, so the
panels resolve it). When N ≤ ``n_exact`` the full grid is used and the two methods are
identical. The node count grows like ln(ω_c/T) + ω_c/ω_log instead of ω_c/T, so a 0.05 K Tc
costs about as much as a 5 K one. It is validated against ``method="exact"`` in the tests
(agreement ≲ 2e-4 relative, below the default root tolerance).

Units: energies meV, temperatures K, thicknesses nm.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.linalg as sla

from tcpredict.eliashberg.closed_forms import allen_dynes_tc_K
from tcpredict.films.confinement import FreeElectronFilm
from tcpredict.eliashberg.tc import ConvergenceError, LinearizedStack, find_tc
from tcpredict.eliashberg.matsubara import compressed_nodes, n_matsubara, rescale_mustar
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

__all__ = [
    "Layer",
    "Interface",
    "Stack",
    "bilayer",
    "KernelTable",
    "CompressedStack",
    "find_tc_warm",
    "LayerReport",
    "StackTcResult",
    "StackGapResult",
    "PARAMETRISATIONS",
    "METHODS",
    "DEFAULT_T_MIN_K",
]

#: Interface parametrisations (proximity.md §2).
PARAMETRISATIONS = ("gamma", "cooper-limit", "decoupled")
#: Linearized solvers.
METHODS = ("compressed", "exact")
#: Default lowest temperature searched [K].
DEFAULT_T_MIN_K = 0.01


# =============================================================================== kernels
_TABLE_CACHE: dict = {}


class KernelTable:
    r"""Fast, accurate evaluation of the bosonic kernel λ(ν) = ∫2Ωα²F(Ω)/(Ω²+ν²)dΩ.

    λ(ν) is analytic in ν except for poles at ν = ±iΩ (Ω in the support of α²F); in s = ln ν the
    poles sit at distance π/2 from the real axis, so it is smooth on a uniform s grid; linear
    interpolation with step ``h`` = 1e-3 is accurate to ~1e-7 relative (checked against :meth:`Alpha2F.kernel` in the tests).
    Spectra made only of a few delta functions (Einstein modes) are evaluated exactly.

    Parameters
    ----------
    spectrum : Alpha2F
    scale : float
        Multiplies the kernel (a λ-rule factor, or a Cooper-limit weight).
    h : float
        Grid step in ln ν.

    Notes
    -----
    Below ν_lo = 1e-5 Ω_max the value λ(0) is returned (relative error < (ν_lo/Ω)²); above
    ν_hi = 1e4 Ω_max the asymptote λω̄₂²/ν² (relative error ~ (Ω_max/ν)²).
    """

    def __init__(self, spectrum: Alpha2F, scale: float = 1.0, h: float = 1e-3):
        if not isinstance(spectrum, Alpha2F):
            raise TypeError("spectrum must be an Alpha2F")
        self.spectrum = spectrum
        self.scale = float(scale)
        self.lam0 = spectrum.lam
        self.exact = spectrum.omega_meV.size == 0 and spectrum.delta_omega_meV.size <= 4
        if not self.exact:
            key = id(spectrum)
            cached = _TABLE_CACHE.get(key)
            if cached is None or cached[0] is not spectrum or cached[1] != h:
                om = spectrum.omega_max_meV
                s = np.arange(math.log(1e-5 * om), math.log(1e4 * om) + h, h)
                cached = (spectrum, h, s, spectrum.kernel(np.exp(s)))
                _TABLE_CACHE[key] = cached
            _, self._h, self._grid, self._vals = cached
            self._s1 = float(self._grid[-1])
            self._tail = spectrum.lam * spectrum.omega2_meV ** 2

    def base(self, nu_meV) -> np.ndarray:
        """Unscaled λ(ν) for ν [meV] (any shape)."""
        nu = np.abs(np.asarray(nu_meV, dtype=float))
        if self.exact:
            return self.spectrum.kernel(nu)
        with np.errstate(divide="ignore"):
            s = np.log(nu)
        # linear interpolation in ln ν on a uniform fine grid (h = 1e-3: error ≈ h²|λ''|/8
        # ≲ 1e-7 λ); the index is computed directly (no binary search)
        u = (s - self._grid[0]) * (1.0 / self._h)
        last = self._vals.size - 1
        np.clip(u, 0.0, last - 1e-9, out=u)
        i = u.astype(np.intp)
        frac = u - i
        v = self._vals
        out = v[i] + frac * (v[i + 1] - v[i])
        hi = s > self._s1
        if np.any(hi):
            out[hi] = self._tail / nu[hi] ** 2
        return out

    def __call__(self, nu_meV) -> np.ndarray:
        """scale × λ(ν) for ν [meV]."""
        return self.scale * self.base(nu_meV)

    def scaled(self, factor: float) -> "KernelTable":
        """Same table with the kernel multiplied by ``factor`` (no recomputation)."""
        out = object.__new__(KernelTable)
        out.__dict__.update(self.__dict__)
        out.scale = self.scale * float(factor)
        return out


class _SumKernel:
    """Σ_j c_j λ_j(ν) (exact Cooper-limit kernel of proximity.md §3)."""

    def __init__(self, parts):
        self.parts = list(parts)  # (weight, callable)

    def __call__(self, nu_meV):
        return sum(w * k(nu_meV) for w, k in self.parts)


# ======================================================================= compressed solver
class CompressedStack:
    r"""Linearized Eliashberg problem of a proximity-coupled stack on a compressed grid.

    The symmetric matrix is that of :class:`tcpredict.eliashberg.tc.LinearizedStack`
    (eliashberg.md §2.1, proximity.md §5) with the Matsubara sums replaced by the Nyström rule
    of :func:`compressed_nodes`:

    .. math::

        S^{(jj)}_{il} = \sqrt{c_i w^{(j)}_i}\,[λ_j(x_i−x_l) + λ_j(x_i+x_l+1) − 2μ^*_j]
                        \sqrt{c_l w^{(j)}_l},\qquad
        S^{(jk)}_{ii} = \frac{Γ_{j←k}}{πk_BT}\sqrt{s_j/s_k}\,\sqrt{w^{(j)}_i w^{(k)}_i},

    w = πk_BT/(Z ω), λ_j(x) ≡ λ_j(2πk_BT x). Z ω is the exact telescoped normal-state value
    (eliashberg.md §2) at the integers, interpolated linearly in between, plus the Γ felt by
    the layer. For N ≤ ``n_exact`` the grid is the full one and S equals LinearizedStack's.

    Parameters
    ----------
    kernels : sequence of callable
        λ_j(ν) for ν [meV] (e.g. :class:`KernelTable`), one per layer.
    mustar_at_cutoff : sequence of float
        μ*_j(ω_c).
    cutoff_meV : float
        Common cutoff ω_c [meV].
    gammas_meV : sequence of float
        Γ_{i←i+1} for each interface [meV].
    weights : sequence of float
        s_j = d_j N_j (detailed balance Γ_{i+1←i} = Γ_{i←i+1} s_i/s_{i+1}).
    panel_meV : float
        Largest panel width in energy [meV] (≈ 2 ω_log of the softest layer by default).
    n_exact, n_head, order : int
        See :func:`compressed_nodes`.
    """

    def __init__(self, kernels, mustar_at_cutoff, cutoff_meV: float, gammas_meV=(),
                 weights=None, *, panel_meV: float, n_exact: int = 96, n_head: int = 32,
                 order: int = 4):
        self.kernels = list(kernels)
        self.layers = len(self.kernels)
        if self.layers < 1:
            raise ValueError("need at least one layer")
        self.mustar = np.asarray(mustar_at_cutoff, dtype=float).reshape(-1)
        if self.mustar.size != self.layers or np.any(self.mustar < 0):
            raise ValueError("one μ* ≥ 0 per layer is required")
        self.cutoff_meV = float(cutoff_meV)
        if not math.isfinite(self.cutoff_meV) or self.cutoff_meV <= 0:
            raise ValueError(f"cutoff must be > 0 meV, got {cutoff_meV}")
        g = np.asarray(gammas_meV, dtype=float).reshape(-1)
        if g.size != self.layers - 1:
            raise ValueError(f"{self.layers} layers need {self.layers - 1} interface Γ values")
        if np.any(g < 0) or not np.all(np.isfinite(g)):
            raise ValueError("Γ must be finite and ≥ 0 meV")
        s = np.ones(self.layers) if weights is None else np.asarray(weights, float).reshape(-1)
        if s.size != self.layers or np.any(s <= 0):
            raise ValueError("weights s_j = d_j N_j must be > 0, one per layer")
        if panel_meV <= 0:
            raise ValueError("panel_meV must be > 0")
        self.weights = s
        self.gamma_fwd = g
        self.gamma_bwd = g * s[:-1] / s[1:]
        self.panel_meV = float(panel_meV)
        self.n_exact, self.n_head, self.order = int(n_exact), int(n_head), int(order)

    def gamma_total_meV(self) -> np.ndarray:
        """Σ of the Γ felt by each layer [meV]."""
        tot = np.zeros(self.layers)
        tot[:-1] += self.gamma_fwd
        tot[1:] += self.gamma_bwd
        return tot

    def matrix(self, temperature_K: float):
        """The symmetric matrix S(T) and grid data (``x``, ``c``, ``n_full``, ``zw``)."""
        x, c, n_full = compressed_nodes(temperature_K, self.cutoff_meV, self.panel_meV,
                                        n_exact=self.n_exact, n_head=self.n_head,
                                        order=self.order)
        t = K_B_MEV_PER_K * temperature_K
        n, L = x.size, self.layers
        ks = np.arange(n_full)
        nu_k = 2.0 * np.pi * t * ks
        iu, ju = np.triu_indices(n)  # T and H are symmetric: evaluate one triangle
        dif = 2.0 * np.pi * t * np.abs(x[iu] - x[ju])
        som = 2.0 * np.pi * t * (x[iu] + x[ju] + 1.0)
        gt = self.gamma_total_meV()
        S = np.zeros((L * n, L * n))
        zws = np.empty((L, n))
        for j, kern in enumerate(self.kernels):
            lk = kern(nu_k)
            tail = np.zeros(n_full)
            tail[1:] = 2.0 * np.cumsum(lk[1:])
            zw_int = np.pi * t * (2.0 * ks + 1.0) + np.pi * t * (lk[0] + tail)  # eliashberg.md §2
            zw = np.interp(x, ks, zw_int) + gt[j]
            zws[j] = zw
            sq = np.sqrt(c * np.pi * t / zw)
            K = np.empty((n, n))
            kv = kern(dif) + kern(som) - 2.0 * self.mustar[j]
            K[iu, ju] = kv
            K[ju, iu] = kv
            S[j * n:(j + 1) * n, j * n:(j + 1) * n] = sq[:, None] * K * sq[None, :]
        idx = np.arange(n)
        for i in range(L - 1):
            # proximity.md §1: the Γ term is local in n; symmetrised with √(s_i/s_{i+1})
            cc = (self.gamma_fwd[i] * math.sqrt(self.weights[i] / self.weights[i + 1])
                  / (np.pi * t) * np.sqrt((np.pi * t / zws[i]) * (np.pi * t / zws[i + 1])))
            S[i * n + idx, (i + 1) * n + idx] = cc
            S[(i + 1) * n + idx, i * n + idx] = cc
        return S, {"x": x, "c": c, "n_full": n_full, "zw": zws}

    def eigen(self, temperature_K: float, v0=None, tol: float = 0.0):
        """Largest algebraic eigenvalue ρ(T) of S, its eigenvector, and grid info.

        Same contract as :meth:`LinearizedStack.eigen` (usable with
        :func:`tcpredict.eliashberg.tc.find_tc`); dense LAPACK (the compressed size is small).
        """
        S, g = self.matrix(temperature_K)
        m = S.shape[0]
        vals, vecs = sla.eigh(S, subset_by_index=[m - 1, m - 1], driver="evr")
        rho, v = float(vals[0]), vecs[:, 0]
        if v.sum() < 0:
            v = -v
        res = float(np.linalg.norm(S @ v - rho * v))
        return rho, v.reshape(self.layers, -1), {
            "n_matsubara": int(g["n_full"]), "n_nodes": int(g["x"].size),
            "method": "compressed" if g["x"].size < g["n_full"] else "dense",
            "residual": res}


# ============================================================================ root finding
def find_tc_warm(problem, t_guess_K: float, t_min_K: float, rtol: float = 1e-4,
                 t_max_K: float = 1e3, slope: float = -0.25, maxiter: int = 60):
    r"""Tc as the root of ρ(T) = 1 by a safeguarded secant method in (ln T, ln ρ).

    ln ρ is smooth and nearly linear in ln T, so from a good start (the Tc of a neighbouring
    grid point) the secant converges in 3–4 evaluations. A bracket is kept as soon as one is
    known and a step leaving it is replaced by bisection. Convergence: a secant step (with a
    measured slope) below ``rtol`` in ln T; the returned Tc is one further secant step, whose
    error is O(step²) ≪ rtol because the secant converges superlinearly.

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

    def done(x, fx, lo, hi):
        out = {"evaluations": state["evals"], "rho_at_tc": math.exp(fx), **state["info"]}
        if lo is not None and hi is not None:
            out["bracket_K"] = (math.exp(min(lo, hi)), math.exp(max(lo, hi)))
        out["dlnrho_dlnT"] = sl
        return math.exp(x), out

    xmin, xmax = math.log(t_min_K), math.log(t_max_K)
    x = min(max(math.log(t_guess_K), xmin), xmax)
    fx = f(x)
    lo = x if fx >= 0 else None   # ln T with ρ ≥ 1
    hi = x if fx < 0 else None    # ln T with ρ < 1
    sl = float(slope)
    measured = False  # convergence is judged only with a measured secant slope
    for _ in range(maxiter):
        xn = x - fx / sl
        if not measured:  # first step: a probe long enough to measure the slope
            xn = x + math.copysign(max(abs(xn - x), 0.01), xn - x if xn != x else -fx)
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
            sl = sec
            measured = True
        if (measured and abs(xn - x) < rtol) or (lo is not None and hi is not None
                                      and abs(hi - lo) < rtol / 4):
            xr = xn - fn / sl
            if lo is not None and hi is not None:
                xr = min(max(xr, min(lo, hi)), max(lo, hi))
            return done(xr, fn, lo, hi)
        x, fx = xn, fn
    raise ConvergenceError(f"Tc root finding did not converge in {maxiter} evaluations")


# ================================================================================ layers
@dataclass(frozen=True, eq=False)
class Layer:
    r"""One layer of a stack (immutable).

    Parameters
    ----------
    spectrum : Alpha2F
        Bulk α²F(Ω) of the layer's material.
    mustar : float
        Bulk μ* ≥ 0, defined at ``mustar_at_meV``.
    mustar_at_meV : float, optional
        Energy [meV] at which μ* is defined (default Ω_max of the spectrum).
    thickness_nm : float
        d_j [nm] > 0.
    dos_per_spin : float, optional
        N_j(E_F) per spin (any unit consistent across the stack; only ratios d_jN_j matter).
        Required for an unconfined layer without ``film``; for a layer with ``film`` the bulk
        free-electron value g₀/2 [meV⁻¹ nm⁻³] is the default. Ignored (and forbidden) when the
        layer is confined: then N_j = g(E_F(d_j), d_j)/2 [meV⁻¹ nm⁻³] (confinement.md §2–3),
        and every other layer's ``dos_per_spin`` must be in meV⁻¹ nm⁻³ too.
    confined : bool
        Apply the confinement model at ``thickness_nm`` (needs ``film``).
    film : FreeElectronFilm, optional
        Free-electron kinematics of the material.
    lambda_rule, mustar_rule : str or rule object
        Thickness rules (confinement.md §5); used only when ``confined``.
    material : str
        Label carried into results.
    debye_meV : float, optional
        ħω_D [meV] (``thomas-fermi`` μ* rule only).
    tc_bulk_K : float, optional
        Measured bulk Tc [K] (reported only).
    """

    spectrum: Alpha2F
    mustar: float
    mustar_at_meV: float | None = None
    thickness_nm: float = 1.0
    dos_per_spin: float | None = None
    confined: bool = False
    film: FreeElectronFilm | None = None
    lambda_rule: object = DEFAULT_LAMBDA_RULE
    mustar_rule: object = DEFAULT_MUSTAR_RULE
    material: str = "model"
    debye_meV: float | None = None
    tc_bulk_K: float | None = None

    def __post_init__(self):
        if not isinstance(self.spectrum, Alpha2F):
            raise ValueError("layer spectrum must be an Alpha2F")
        mu = float(self.mustar)
        if not math.isfinite(mu) or mu < 0:
            raise ValueError(f"layer {self.material!r}: μ* must be ≥ 0, got {self.mustar}")
        object.__setattr__(self, "mustar", mu)
        at = self.spectrum.omega_max_meV if self.mustar_at_meV is None else self.mustar_at_meV
        at = float(at)
        if not math.isfinite(at) or at <= 0:
            raise ValueError(f"layer {self.material!r}: mustar_at_meV must be > 0 meV")
        object.__setattr__(self, "mustar_at_meV", at)
        d = float(self.thickness_nm)
        if not math.isfinite(d) or d <= 0:
            raise ValueError(f"layer {self.material!r}: thickness_nm must be > 0, got "
                             f"{self.thickness_nm}")
        object.__setattr__(self, "thickness_nm", d)
        if self.confined:
            if self.film is None:
                raise ValueError(f"layer {self.material!r}: a confined layer needs the "
                                 "free-electron density (film)")
            if self.dos_per_spin is not None:
                raise ValueError(f"layer {self.material!r}: dos_per_spin contradicts "
                                 "confined = true (N is g(E_F(L), L)/2 from the model)")
        if self.dos_per_spin is not None:
            v = float(self.dos_per_spin)
            if not math.isfinite(v) or v <= 0:
                raise ValueError(f"layer {self.material!r}: dos_per_spin must be > 0")
            object.__setattr__(self, "dos_per_spin", v)

    @classmethod
    def from_element(cls, symbol: str, thickness_nm: float, *, confined: bool = True,
                     lambda_rule=DEFAULT_LAMBDA_RULE, mustar_rule=DEFAULT_MUSTAR_RULE,
                     mustar: float | None = None, mustar_at_meV: float | None = None
                     ) -> "Layer":
        """Layer of an element of the shipped data (:func:`tcpredict.materials.elements.get_element`).

        N(E_F) is the free-electron value, bulk g₀/2 or confined g(E_F(L), L)/2
        [meV⁻¹ nm⁻³]. μ* defaults to the element's (at its ``mustar_at_meV``).
        """
        from tcpredict.materials.elements import get_element

        el = get_element(symbol)
        film = FreeElectronFilm(el.n_per_nm3)
        return cls(spectrum=el.alpha2f(),
                   mustar=el.mustar if mustar is None else mustar,
                   mustar_at_meV=el.mustar_at_meV if mustar_at_meV is None else mustar_at_meV,
                   thickness_nm=thickness_nm, confined=confined, film=film,
                   lambda_rule=lambda_rule, mustar_rule=mustar_rule, material=el.symbol,
                   debye_meV=K_B_MEV_PER_K * el.debye_K, tc_bulk_K=el.tc_bulk_K)

    def with_thickness(self, thickness_nm: float) -> "Layer":
        """Copy at another thickness."""
        return replace(self, thickness_nm=thickness_nm)

    def couplings(self) -> dict:
        """λ-rule factor, μ*(d) at ``mustar_at_meV``, N(E_F) per spin and rule names.

        Unconfined layers keep the bulk α²F and μ* (rules ``"none"``).
        """
        d = self.thickness_nm
        if self.confined:
            ctx = FilmContext(self.film, self.spectrum.lam, self.mustar, self.mustar_at_meV,
                              self.debye_meV)
            lrule = get_lambda_rule(self.lambda_rule)
            mrule = get_mustar_rule(self.mustar_rule)
            factor = float(np.asarray(lrule(np.array([d]), ctx)).reshape(-1)[0])
            mu = float(np.asarray(mrule(np.array([d]), ctx)).reshape(-1)[0])
            ef = float(self.film.fermi_energy_meV(d))
            dos = float(self.film.dos_per_spin_per_meV_nm3(ef, d))
            return {"lambda_factor": factor, "mustar_at_ref": mu, "dos_per_spin": dos,
                    "lambda_rule": lrule.name, "mustar_rule": mrule.name,
                    "dos_source": "confined g(E_F(L),L)/2 [1/(meV nm^3)]"}
        if self.dos_per_spin is not None:
            dos, src = self.dos_per_spin, "given"
        elif self.film is not None:
            dos, src = 0.5 * self.film.bulk_dos_per_meV_nm3, "bulk g0/2 [1/(meV nm^3)]"
        else:
            dos, src = None, "missing"
        return {"lambda_factor": 1.0, "mustar_at_ref": self.mustar, "dos_per_spin": dos,
                "lambda_rule": "none", "mustar_rule": "none", "dos_source": src}


@dataclass(frozen=True)
class Interface:
    """Coupling between layer i and i+1 (proximity.md §2).

    Parameters
    ----------
    gamma_meV : float, optional
        Γ_{i←i+1} [meV] felt by the first layer of the pair (≥ 0; 0 = decoupled). The reverse
        rate follows from detailed balance.
    cooper_limit : bool
        Γ → ∞ (exact effective single superconductor, proximity.md §3).
    """

    gamma_meV: float | None = None
    cooper_limit: bool = False

    def __post_init__(self):
        if self.cooper_limit and self.gamma_meV is not None:
            raise ValueError("an interface takes either gamma_meV or cooper_limit, not both")
        if not self.cooper_limit:
            if self.gamma_meV is None:
                raise ValueError("an interface needs gamma_meV or cooper_limit = true")
            g = float(self.gamma_meV)
            if not math.isfinite(g) or g < 0:
                raise ValueError(f"gamma_meV must be finite and ≥ 0, got {self.gamma_meV}")
            object.__setattr__(self, "gamma_meV", g)

    @classmethod
    def decoupled(cls) -> "Interface":
        """Γ = 0."""
        return cls(gamma_meV=0.0)

    @property
    def parametrisation(self) -> str:
        """``"cooper-limit"``, ``"decoupled"`` (Γ = 0) or ``"gamma"``."""
        if self.cooper_limit:
            return "cooper-limit"
        return "decoupled" if self.gamma_meV == 0 else "gamma"


# =============================================================================== results
@dataclass(frozen=True)
class LayerReport:
    """Per-layer data of a stack result (thickness-dependent couplings, Tc alone)."""

    material: str
    thickness_nm: float
    confined: bool
    tc_alone_K: float | None
    lambda_bulk: float
    lam: float
    lambda_factor: float
    omega_log_meV: float
    mustar: float
    mustar_at_meV: float
    mustar_at_cutoff: float
    dos_per_spin: float
    weight: float
    lambda_rule: str
    mustar_rule: str
    dos_source: str
    tc_bulk_K: float | None

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["lambda"] = d.pop("lam")
        d["weight_d_times_N"] = d.pop("weight")
        return d


@dataclass(frozen=True)
class StackTcResult:
    """Critical temperature of a stack with its inputs, couplings and convergence data.

    ``tc_K`` is None when there is no superconductivity above ``t_min_K``.
    ``gammas_meV[i] = [Γ_{i←i+1}, Γ_{i+1←i}]``; None (JSON null) entries mean Γ → ∞ (Cooper
    limit). ``parametrisations[i]`` says which parametrisation interface i used.
    """

    tc_K: float | None
    t_min_K: float
    cutoff_meV: float
    layers: tuple
    gammas_meV: tuple
    parametrisations: tuple
    method: str
    rtol: float
    evaluations: int
    n_matsubara: int
    n_nodes: int
    eigen_residual: float
    converged: bool
    dlnrho_dlnT: float = math.nan
    cutoff_convention: str = ("gap sum over |ω_m| < ω_c; Z from the exact normal-state sum; "
                              "μ* rescaled to ω_c (Morel–Anderson)")
    notes: tuple = field(default_factory=tuple)

    @property
    def parametrisation(self) -> str:
        """One word for the whole stack (``"mixed"`` if the interfaces differ)."""
        p = set(self.parametrisations)
        return p.pop() if len(p) == 1 else "mixed"

    def to_dict(self) -> dict:
        return {
            "tc_K": self.tc_K, "t_min_K": self.t_min_K, "cutoff_meV": self.cutoff_meV,
            "parametrisation": self.parametrisation,
            "parametrisations": list(self.parametrisations),
            "gammas_meV": [[None if not math.isfinite(g) else g for g in pair]
                           for pair in self.gammas_meV],
            "layers": [lr.to_dict() for lr in self.layers],
            "method": self.method, "rtol": self.rtol, "evaluations": self.evaluations,
            "n_matsubara": self.n_matsubara, "n_nodes": self.n_nodes,
            "eigen_residual": self.eigen_residual, "converged": self.converged,
            "dlnrho_dlnT": self.dlnrho_dlnT,
            "cutoff_convention": self.cutoff_convention, "notes": list(self.notes),
        }


@dataclass(frozen=True, eq=False)
class StackGapResult:
    """Nonlinear gaps per layer at one temperature (from :func:`gap.solve_gap_stack`).

    ``delta_meV`` and ``z`` have shape (layers, N) in the order of the stack's layers (layers
    joined by a Cooper-limit interface share one gap).
    """

    temperature_K: float
    omega_n_meV: np.ndarray
    delta_meV: np.ndarray
    z: np.ndarray
    iterations: int
    residual: float
    superconducting: bool
    materials: tuple

    def to_dict(self) -> dict:
        return {"temperature_K": self.temperature_K, "materials": list(self.materials),
                "delta_iw0_meV": [float(v) for v in self.delta_meV[:, 0]],
                "z_iw0": [float(v) for v in self.z[:, 0]], "iterations": self.iterations,
                "residual": self.residual, "superconducting": self.superconducting,
                "n_matsubara": int(self.omega_n_meV.size)}


# ================================================================================ stacks
@dataclass
class _Channel:
    """An effective layer: one layer, or several joined by Cooper-limit interfaces."""

    members: list
    kernel: object        # fast λ(ν)
    kernel_exact: object  # exact λ(ν)
    make_spectrum: object  # () -> effective α²F (built only when needed: exact method, gaps)
    mustar: float         # at the cutoff
    weight: float
    lam: float
    omega_log_meV: float

    @property
    def spectrum(self) -> Alpha2F:
        return self.make_spectrum()


class Stack:
    r"""A stack of layers coupled at each interface (proximity.md §4).

    Parameters
    ----------
    layers : sequence of Layer
        In stacking order.
    interfaces : sequence of Interface
        ``len(layers) − 1`` couplings, interface i between layer i and i+1.
    cutoff_meV : float, optional
        Common Matsubara cutoff ω_c [meV] (default 10 × the largest Ω_max).
    """

    def __init__(self, layers, interfaces=(), cutoff_meV: float | None = None):
        self.layers = tuple(layers)
        self.interfaces = tuple(interfaces)
        if not self.layers:
            raise ValueError("a stack needs at least one layer")
        if not all(isinstance(x, Layer) for x in self.layers):
            raise ValueError("layers must be Layer objects")
        if len(self.interfaces) != len(self.layers) - 1:
            raise ValueError(f"{len(self.layers)} layers need {len(self.layers) - 1} "
                             f"interfaces, got {len(self.interfaces)}")
        if not all(isinstance(x, Interface) for x in self.interfaces):
            raise ValueError("interfaces must be Interface objects")
        om = max(la.spectrum.omega_max_meV for la in self.layers)
        self.cutoff_meV = 10.0 * om if cutoff_meV is None else float(cutoff_meV)
        if not math.isfinite(self.cutoff_meV) or self.cutoff_meV <= 0:
            raise ValueError(f"cutoff_meV must be > 0, got {cutoff_meV}")
        self._coup = [la.couplings() for la in self.layers]
        confined_any = any(la.confined for la in self.layers)
        for la, cp in zip(self.layers, self._coup):
            if cp["dos_per_spin"] is None:
                if len(self.layers) > 1:
                    raise ValueError(f"layer {la.material!r}: dos_per_spin is required (N(E_F) "
                                     "fixes the detailed-balance ratio of the Γ's)")
                cp["dos_per_spin"] = 1.0
            if confined_any and cp["dos_source"] == "given":
                log.info("layer %s: dos_per_spin taken to be in 1/(meV nm^3), as the "
                         "confined layers' N", la.material)
        self.mustar_at_cutoff = [rescale_mustar(cp["mustar_at_ref"], la.mustar_at_meV,
                                                self.cutoff_meV)
                                 for la, cp in zip(self.layers, self._coup)]
        self.weights = [la.thickness_nm * cp["dos_per_spin"]
                        for la, cp in zip(self.layers, self._coup)]
        self._tables: dict[int, KernelTable] = {}

    # ------------------------------------------------------------ construction helpers
    def _table(self, j: int) -> KernelTable:
        if j not in self._tables:
            self._tables[j] = KernelTable(self.layers[j].spectrum)
        return self._tables[j].scaled(self._coup[j]["lambda_factor"])

    def _layer_spectrum(self, j: int) -> Alpha2F:
        f = self._coup[j]["lambda_factor"]
        sp = self.layers[j].spectrum
        return sp if f == 1.0 else sp.scaled(f)

    def _channels(self, interfaces=None):
        """Group layers joined by Cooper-limit interfaces; return channels and Γ_fwd."""
        ifs = self.interfaces if interfaces is None else interfaces
        groups = [[0]]
        gam = []
        for i, itf in enumerate(ifs):
            if itf.cooper_limit:
                groups[-1].append(i + 1)
            else:
                groups.append([i + 1])
                gam.append((i, itf.gamma_meV))
        chans = []
        for g in groups:
            s = np.array([self.weights[j] for j in g])
            w = s / s.sum()
            if len(g) == 1:
                j = g[0]
                k = self._table(j)
                sp = (lambda j=j: self._layer_spectrum(j))
                fexact = self._coup[j]["lambda_factor"]
                kex = (lambda nu, sp0=self.layers[j].spectrum, f=fexact: f * sp0.kernel(nu))
                mu = self.mustar_at_cutoff[j]
            else:
                # proximity.md §3: α²F_eff = Σ w_j α²F_j, μ*_eff = Σ w_j μ*_j at one cutoff
                k = _SumKernel([(wj, self._table(j)) for wj, j in zip(w, g)])
                kex = _SumKernel([(wj * self._coup[j]["lambda_factor"],
                                   self.layers[j].spectrum.kernel) for wj, j in zip(w, g)])
                def sp(g=g, w=w):
                    out = self._layer_spectrum(g[0]).scaled(w[0])
                    for wj, j in zip(w[1:], g[1:]):
                        out = out + self._layer_spectrum(j).scaled(wj)
                    return out
                mu = float(sum(wj * self.mustar_at_cutoff[j] for wj, j in zip(w, g)))
            # moments of Σ w_j f_j α²F_j: λ = Σ w_j f_j λ_j, ln ω_log = Σ w_j f_j λ_j ln ω_log,j / λ
            lj = np.array([self.layers[j].spectrum.lam * self._coup[j]["lambda_factor"]
                           for j in g]) * w
            lnw = np.array([math.log(self.layers[j].spectrum.omega_log_meV) for j in g])
            lam = float(lj.sum())
            chans.append(_Channel(g, k, kex, sp, mu, float(s.sum()), lam,
                                  float(math.exp((lj * lnw).sum() / lam))))
        # Γ between channels: Γ_{G←H} = Γ_{i←k} s_i / s_G (the group equation is the
        # s-weighted mean of its members' equations), detailed balance is preserved.
        gf = []
        for ci, (i, g) in enumerate(gam):
            gf.append(g * self.weights[i] / chans[ci].weight)
        return chans, np.array(gf, dtype=float)

    def cooper_limit_spectrum(self):
        """(α²F_eff, μ*_eff(ω_c)) of the whole stack in the Cooper limit (proximity.md §3)."""
        allc = tuple(Interface(cooper_limit=True) for _ in self.interfaces)
        ch, _ = self._channels(allc)
        return ch[0].spectrum, ch[0].mustar

    @staticmethod
    def _panel_meV(chans, factor: float = 1.0) -> float:
        return factor * min(c.omega_log_meV for c in chans)

    def problem(self, method: str = "compressed", interfaces=None, **kw):
        """The linearized operator (``CompressedStack`` or ``LinearizedStack``)."""
        chans, gf = self._channels(interfaces)
        return self._problem_from(chans, gf, method, **kw)

    def _problem_from(self, chans, gf, method, panel_factor: float = 1.0, **kw):
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; valid: {', '.join(METHODS)}")
        s = [c.weight for c in chans]
        mus = [c.mustar for c in chans]
        if method == "compressed":
            kw.setdefault("panel_meV", self._panel_meV(chans, panel_factor))
            return CompressedStack([c.kernel for c in chans], mus, self.cutoff_meV, gf, s, **kw)
        kfn = (lambda j, T, kmax:
               chans[j].kernel_exact(2.0 * np.pi * K_B_MEV_PER_K * T * np.arange(kmax)))
        return LinearizedStack([c.spectrum for c in chans], mus, self.cutoff_meV, gf,
                               s if len(chans) > 1 else None, kernel_fn=kfn)

    def _guess_K(self) -> float:
        sp, mu = self.cooper_limit_spectrum()
        ad = float(allen_dynes_tc_K(sp.lam, sp.omega_log_meV, sp.omega2_meV, mu))
        return ad if ad > 0 else 1.0

    # ------------------------------------------------------------------------ solve
    def tc(self, *, t_min_K: float = DEFAULT_T_MIN_K, rtol: float = 1e-4,
           method: str = "compressed", t_guess_K: float | None = None,
           layer_tc: bool = True, panel_factor: float = 1.0, order: int = 4,
           slope_guess: float | None = None) -> StackTcResult:
        """Linearized Tc [K] of the stack (proximity.md §5), plus each layer's Tc alone.

        Parameters
        ----------
        t_min_K : float
            Lowest temperature searched [K]; below it ``tc_K`` is None.
        rtol : float
            Relative accuracy of Tc.
        method : {"compressed", "exact"}
            Grid (see module docstring).
        t_guess_K : float, optional
            Start of the root search (default Allen–Dynes of the Cooper-limit superconductor).
        layer_tc : bool
            Also solve each layer alone (``tc_alone_K``; same cutoff and thickness couplings).
        slope_guess : float, optional
            Start value of d ln ρ/d ln T for the secant search (e.g. ``dlnrho_dlnT`` of a
            neighbouring result); compressed method only.
        panel_factor, order : float, int
            Compressed grid: panel width ``panel_factor`` × min ω_log and Gauss order. The
            defaults (1, 4) agree with ``method="exact"`` to ≲ 1e-4 relative; the screen uses
            (2, 3), ≲ 1e-3 (tests/test_proximity.py).
        """
        if not (0 < rtol < 0.1):
            raise ValueError("rtol must be in (0, 0.1)")
        if not math.isfinite(t_min_K) or t_min_K <= 0:
            raise ValueError(f"t_min_K must be > 0 K, got {t_min_K}")
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; valid: {', '.join(METHODS)}")
        gkw = {"panel_factor": panel_factor, "order": order} if method == "compressed" else {}
        chans, gf = self._channels()
        prob = self._problem_from(chans, gf, method, **gkw)
        guess = self._guess_K() if t_guess_K is None else float(t_guess_K)
        tc, info = _solve(prob, guess, t_min_K, rtol, method, slope_guess)
        alone = []
        for j in range(len(self.layers)):
            if not layer_tc:
                alone.append(None)
                continue
            sub = Stack([self.layers[j]], (), self.cutoff_meV)
            ch, _ = sub._channels()
            p1 = sub._problem_from(ch, np.zeros(0), method, **gkw)
            sp = ch[0].spectrum
            ad = float(allen_dynes_tc_K(sp.lam, sp.omega_log_meV, sp.omega2_meV, ch[0].mustar))
            alone.append(_solve(p1, ad if ad > 0 else 1.0, t_min_K, rtol, method)[0])
        reports = []
        for j, (la, cp) in enumerate(zip(self.layers, self._coup)):
            reports.append(LayerReport(
                material=la.material, thickness_nm=la.thickness_nm, confined=la.confined,
                tc_alone_K=alone[j], lambda_bulk=la.spectrum.lam,
                lam=la.spectrum.lam * cp["lambda_factor"], lambda_factor=cp["lambda_factor"],
                omega_log_meV=la.spectrum.omega_log_meV, mustar=cp["mustar_at_ref"],
                mustar_at_meV=la.mustar_at_meV, mustar_at_cutoff=self.mustar_at_cutoff[j],
                dos_per_spin=cp["dos_per_spin"], weight=self.weights[j],
                lambda_rule=cp["lambda_rule"], mustar_rule=cp["mustar_rule"],
                dos_source=cp["dos_source"], tc_bulk_K=la.tc_bulk_K))
        gam = []
        for i, itf in enumerate(self.interfaces):
            if itf.cooper_limit:
                gam.append((math.inf, math.inf))
            else:
                g = itf.gamma_meV
                gam.append((g, g * self.weights[i] / self.weights[i + 1]))
        notes = []
        if tc is None:
            notes.append(f"no superconductivity above T_min = {t_min_K} K")
        return StackTcResult(
            tc_K=tc, t_min_K=t_min_K, cutoff_meV=self.cutoff_meV, layers=tuple(reports),
            gammas_meV=tuple(gam),
            parametrisations=tuple(i.parametrisation for i in self.interfaces) or ("single",),
            method=method, rtol=rtol, evaluations=int(info.get("evaluations", 0)),
            n_matsubara=int(info.get("n_matsubara", 0)),
            n_nodes=int(info.get("n_nodes", info.get("n_matsubara", 0))),
            eigen_residual=float(info.get("residual", math.nan)), converged=True,
            dlnrho_dlnT=float(info.get("dlnrho_dlnT", math.nan)),
            notes=tuple(notes))

    def gaps(self, temperature_K: float, *, tc_K: float | None = None,
             tol: float = 1e-10) -> StackGapResult:
        """Nonlinear gaps Δ_j(iω_n) per layer at T [K] (proximity.md §1, full Matsubara grid).

        Uses :func:`tcpredict.eliashberg.gap.solve_gap_stack` on the exact operator (Cooper-limit groups
        solved as one layer whose gap is reported for each member).
        """
        from tcpredict.eliashberg.gap import bcs_gap_guess_meV, solve_gap_stack

        if not math.isfinite(temperature_K) or temperature_K <= 0:
            raise ValueError("temperature_K must be > 0")
        chans, gf = self._channels()
        prob = self._problem_from(chans, gf, "exact")
        if tc_K is None:
            tc_K = self.tc(layer_tc=False).tc_K or 0.0
        d0 = bcs_gap_guess_meV(tc_K, temperature_K) if tc_K > temperature_K else 0.0
        res = solve_gap_stack(prob, temperature_K, np.full(len(chans), max(d0, 1e-3)), tol=tol)
        rows_d, rows_z = [], []
        for ci, c in enumerate(chans):
            for _ in c.members:
                rows_d.append(res.delta_meV[ci])
                rows_z.append(res.z[ci])
        return StackGapResult(temperature_K, res.omega_n_meV, np.vstack(rows_d),
                              np.vstack(rows_z), res.iterations, res.residual,
                              res.superconducting, tuple(la.material for la in self.layers))


def _solve(prob, guess, t_min_K, rtol, method, slope=None):
    if method == "compressed":
        return find_tc_warm(prob, guess, t_min_K, rtol,
                            slope=-0.25 if slope is None or not slope < 0 else slope)
    return find_tc(prob, guess, t_min_K, rtol)


def bilayer(a: Layer, b: Layer, *, gamma_meV: float | None = None, cooper_limit: bool = False,
            decoupled: bool = False, cutoff_meV: float | None = None) -> Stack:
    """Bilayer A/B with one parametrisation of its interface (proximity.md §2).

    Exactly one of ``gamma_meV`` (Γ_A in meV; Γ_B = Γ_A d_AN_A/(d_BN_B)), ``cooper_limit`` or
    ``decoupled`` must be given.
    """
    given = [gamma_meV is not None, bool(cooper_limit), bool(decoupled)]
    if sum(given) != 1:
        raise ValueError("give exactly one of gamma_meV, cooper_limit=True or decoupled=True")
    if cooper_limit:
        itf = Interface(cooper_limit=True)
    elif decoupled:
        itf = Interface.decoupled()
    else:
        itf = Interface(gamma_meV=gamma_meV)
    return Stack([a, b], [itf], cutoff_meV)
