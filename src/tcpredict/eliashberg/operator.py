r"""The linearized Eliashberg operator: one implementation for a single superconductor, a stack of
proximity-coupled layers (docs/proximity.md §5) and the coupled bands of the multiband problem.

At Tc the gap equation becomes ρ(T) φ = K(T) φ (docs/eliashberg.md §2.1). With the fermionic
Matsubara frequencies ω_n = πk_BT(2n+1), n = 0 … N−1 (ω_n < ω_c), the symmetric form is

.. math::

    S^{(jj)}_{nm} = \sqrt{w^{(j)}_n}\,\big[λ_j(n−m) + λ_j(n+m+1) − 2μ^*_j(ω_c)\big]\sqrt{w^{(j)}_m},
    \qquad w^{(j)}_m = \frac{πk_BT}{Z^{(j)}_m ω_m},

λ_j(k) ≡ λ_j(ν_k), ν_k = 2πk k_BT, and Z^{(j)}_m ω_m the exact (untruncated, telescoped)
normal-state value plus the Γ felt by layer j. Neighbouring layers are coupled by diagonal blocks

.. math:: S^{(jk)}_{nn} = \frac{Γ_{j←k}}{πk_BT}\sqrt{s_j/s_k}\,\sqrt{w^{(j)}_n w^{(k)}_n},

with s_j = d_jN_j and detailed balance Γ_{j←k} s_j = Γ_{k←j} s_k (docs/proximity.md §2). S is
similar to K, so ρ(T), its largest ALGEBRAIC eigenvalue, is real; Tc is the root of ρ(T) = 1
(:mod:`tcpredict.eliashberg.tc`).

Two strategies, chosen with ``grid``:

``"full"`` (:class:`FullGrid`)
    Every Matsubara frequency below ω_c. Dense LAPACK for L·N ≤ :data:`DENSE_MAX`, otherwise
    matrix-free Lanczos (ARPACK ``eigsh``, 'LA') on FFT Toeplitz + Hankel products: memory O(N),
    work O(N log N) per product. This grid is the reference of every accuracy test, and the one the
    nonlinear gap solver (:mod:`tcpredict.eliashberg.gap`) and an energy-dependent DOS use.
``"compressed"`` (:class:`CompressedGrid`)
    The same symmetric kernel discretised by a Nyström rule (docs/eliashberg.md §2.5): the first
    ``n_head`` Matsubara indices exactly, beyond them Gauss–Legendre panels in the continuous
    index, growing geometrically and capped at ``panel_meV`` (default ``panel_factor`` × the
    smallest ω_log of the layers and of the parts of summed kernels) in energy (λ(ν) is analytic within |Im ν| < Ω, so the panels
    resolve it). Node count ∝ ln(ω_c/T) + ω_c/ω_log instead of ω_c/T, so a 0.01 K root costs
    about as much as a 10 K one. With N ≤ ``n_exact`` the full grid is used (identical results).
    Z ω is evaluated exactly at the integers (an O(N) cumulative sum) and interpolated linearly
    between them. Agreement with the full grid: ≲ 2e-4 relative in Tc with the defaults
    (tests/eliashberg/test_operator.py, tests/stacks/test_proximity.py).

The kernel of each layer is any source of :mod:`tcpredict.eliashberg.kernels` (quadrature of
α²F, exact Einstein modes, an interpolated table, a cached bulk kernel scaled by a thickness
factor, a Cooper-limit sum); an :class:`~tcpredict.eliashberg.spectra.Alpha2F` is accepted and
wrapped.

Cutoff convention: gap sums over |ω_m| < ω_c (optionally a smooth cutoff that weights each cell
by the fraction of it below ω_c, continuous in T, used for thermodynamics); Z uses the exact
untruncated normal-state sum; μ* must already be defined at ω_c.

All energies in meV, temperatures in K.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
import scipy.sparse.linalg as spla

from tcpredict.eliashberg.kernels import Kernel, as_kernel
from tcpredict.eliashberg.matsubara import (
    ToeplitzHankel,
    compressed_nodes,
    fermion_frequencies_meV,
    n_matsubara,
    normal_state_zomega_meV,
)
from tcpredict.errors import ConvergenceError
from tcpredict.units import K_B_MEV_PER_K

__all__ = ["LinearizedOperator", "FullGrid", "CompressedGrid", "GRIDS", "DENSE_MAX",
           "MAX_MATSUBARA"]

#: Largest total matrix size handled with dense LAPACK on the full grid; above it, Lanczos.
DENSE_MAX = 160
#: Largest number of Matsubara frequencies of a full-grid operator (≈ 80 MB of work arrays per
#: layer); ω_c/(2πk_BT) beyond it is refused before allocating (use the compressed grid).
MAX_MATSUBARA = 2_000_000


@dataclass(frozen=True)
class FullGrid:
    """Every fermionic Matsubara frequency below the cutoff (the reference strategy)."""

    name = "full"


@dataclass(frozen=True)
class CompressedGrid:
    """Nyström nodes of :func:`tcpredict.eliashberg.matsubara.compressed_nodes`.

    Parameters
    ----------
    panel_meV : float, optional
        Largest panel width in energy [meV]; default ``panel_factor`` × min_j ω_log,j.
    panel_factor : float
        See ``panel_meV``.
    n_exact : int
        Use the full grid when N ≤ n_exact.
    n_head : int
        Matsubara indices kept exactly before the panels. The switch from the sum to the
        integral costs a midpoint Euler–Maclaurin term of relative order 1/(48 n_head²).
    order : int
        Gauss–Legendre nodes per panel.

    The defaults (panel_factor 2, n_head 64, order 4) agree with the full grid to ≤ 2.5e-5
    relative in Tc on Einstein, Al and Zn spectra from 0.05 to 1.2 K and to ≤ 5e-5 on Al/Au
    bilayers (finite Γ and Cooper limit), measured; 100–170 nodes where the full grid has up to
    10⁵ frequencies.
    """

    panel_meV: float | None = None
    panel_factor: float = 2.0
    n_exact: int = 128
    n_head: int = 64
    order: int = 4
    name = "compressed"

    def __post_init__(self):
        if self.panel_meV is not None and not (math.isfinite(self.panel_meV)
                                               and self.panel_meV > 0):
            raise ValueError(f"panel_meV must be > 0, got {self.panel_meV}")
        if not (math.isfinite(self.panel_factor) and self.panel_factor > 0):
            raise ValueError(f"panel_factor must be > 0, got {self.panel_factor}")
        if not (1 <= self.order <= 16):
            raise ValueError(f"order must be in 1 … 16, got {self.order}")
        if self.n_head < 1 or self.n_exact < self.n_head:
            raise ValueError("need 1 ≤ n_head ≤ n_exact")


#: Names accepted for ``grid``.
GRIDS = ("full", "compressed")


def _grid_strategy(grid):
    if isinstance(grid, (FullGrid, CompressedGrid)):
        return grid
    if grid == "full":
        return FullGrid()
    if grid == "compressed":
        return CompressedGrid()
    raise ValueError(f"unknown grid {grid!r}; valid: {', '.join(GRIDS)} or a grid object")


class LinearizedOperator:
    r"""Linearized (Tc) Eliashberg problem of one superconductor, a stack or coupled layers.

    Parameters
    ----------
    kernels : sequence of Kernel or Alpha2F
        Phonon kernel λ_j(ν) of each layer (:mod:`tcpredict.eliashberg.kernels`); an Alpha2F
        is wrapped in a :class:`~tcpredict.eliashberg.kernels.SpectrumKernel`.
    mustar_at_cutoff : sequence of float
        μ*_j(ω_c) of each layer, already defined at ``cutoff_meV`` (≥ 0).
    cutoff_meV : float
        Common Matsubara cutoff ω_c [meV].
    gammas_meV : sequence of float, optional
        Γ_{i←i+1} [meV] felt by layer i from layer i+1, one per interface (docs/proximity.md §1).
    weights : sequence of float, optional
        s_j = d_jN_j (any consistent unit): the reverse rates follow by detailed balance,
        Γ_{i+1←i} = Γ_{i←i+1} s_i/s_{i+1}. Required when there is more than one layer.
    grid : {"full", "compressed"} or FullGrid or CompressedGrid
        Matsubara-grid strategy (module docstring). Default "full".
    normal_state_fn : callable, optional
        ``normal_state_fn(j, temperature_K, n, lam_seq_j) -> (zw_meV, w)`` or None per layer:
        replaces the constant-DOS ω_nZ_n and weights w_n of layer j (energy-dependent DOS,
        docs/eliashberg.md §3). Full grid only.
    smooth_cutoff : bool
        Weight each Matsubara cell by its fraction below ω_c (continuous in T). Full grid only.
    """

    def __init__(self, kernels, mustar_at_cutoff, cutoff_meV: float, gammas_meV=(),
                 weights=None, *, grid="full", normal_state_fn=None,
                 smooth_cutoff: bool = False):
        self.kernels: list[Kernel] = [as_kernel(k) for k in kernels]
        self.layers = len(self.kernels)
        if self.layers < 1:
            raise ValueError("need at least one layer")
        self.mustar = np.asarray(mustar_at_cutoff, dtype=float).reshape(-1)
        if self.mustar.size != self.layers:
            raise ValueError("one μ* per layer is required")
        if not np.all(np.isfinite(self.mustar)) or np.any(self.mustar < 0):
            raise ValueError("μ* must be finite and ≥ 0")
        self.cutoff_meV = float(cutoff_meV)
        if not math.isfinite(self.cutoff_meV) or self.cutoff_meV <= 0:
            raise ValueError(f"cutoff must be > 0 meV, got {cutoff_meV}")
        g = np.asarray(gammas_meV, dtype=float).reshape(-1)
        if g.size != self.layers - 1:
            raise ValueError(f"{self.layers} layers need {self.layers - 1} interface Γ values")
        if np.any(g < 0) or not np.all(np.isfinite(g)):
            raise ValueError("Γ must be finite and ≥ 0 meV")
        if self.layers > 1:
            if weights is None:
                raise ValueError("a stack needs the weights s_j = d_j N_j for detailed balance")
            s = np.asarray(weights, dtype=float).reshape(-1)
            if s.size != self.layers or np.any(s <= 0) or not np.all(np.isfinite(s)):
                raise ValueError("weights s_j = d_j N_j must be finite and > 0, one per layer")
        else:
            s = np.ones(1)
        self.weights = s
        self.gamma_fwd = g
        self.gamma_bwd = g * s[:-1] / s[1:] if self.layers > 1 else g
        self.grid = _grid_strategy(grid)
        self.smooth_cutoff = bool(smooth_cutoff)
        self.normal_state_fn = normal_state_fn
        if isinstance(self.grid, CompressedGrid) and (normal_state_fn is not None
                                                      or self.smooth_cutoff):
            raise ValueError("an energy-dependent DOS and the smooth cutoff need grid='full'")

    def __repr__(self) -> str:
        return (f"LinearizedOperator(layers={self.layers}, cutoff_meV={self.cutoff_meV:g}, "
                f"grid={self.grid.name!r}, mustar={self.mustar.tolist()}, "
                f"gammas_meV={self.gamma_fwd.tolist()})")

    def gamma_total_meV(self) -> np.ndarray:
        """Σ of the Γ felt by each layer from its neighbours [meV] (enters ω_nZ_n)."""
        tot = np.zeros(self.layers)
        tot[:-1] += self.gamma_fwd
        tot[1:] += self.gamma_bwd
        return tot

    def n_matsubara(self, temperature_K: float) -> int:
        """N, the number of Matsubara frequencies below ω_c at T (bounded: see
        :data:`MAX_MATSUBARA` for the full grid)."""
        return n_matsubara(temperature_K, self.cutoff_meV)

    # ================================================================ full grid
    def setup(self, temperature_K: float) -> dict:
        """Full-grid data at temperature T (used by the eigen-solver and the gap solver).

        Returns a dict with ``n`` (N), ``t`` (k_BT, meV), ``lam`` (λ_j(ν_k), k < 2N),
        ``th`` (:class:`~tcpredict.eliashberg.matsubara.ToeplitzHankel`), ``cell`` (cutoff
        weight of each cell), ``w`` (weights w^{(j)}_n, shape (L, N)), ``zw`` (ω_nZ_n, shape
        (L, N)), ``mustar``.

        Raises
        ------
        ValueError
            If N exceeds :data:`MAX_MATSUBARA` (temperature too low for the full grid).
        """
        n = self.n_matsubara(temperature_K)
        if n > MAX_MATSUBARA:
            raise ValueError(
                f"T = {temperature_K:g} K with cutoff {self.cutoff_meV:g} meV needs N = {n} "
                f"Matsubara frequencies, above the full-grid limit {MAX_MATSUBARA}; "
                "use the compressed grid or a higher temperature")
        t = K_B_MEV_PER_K * temperature_K
        cell = np.ones(n)
        if self.smooth_cutoff:  # fraction of each Matsubara cell below ω_c; one extra frequency
            n += 1
            wm = fermion_frequencies_meV(temperature_K, n)
            cell = np.clip((self.cutoff_meV - wm + np.pi * t) / (2.0 * np.pi * t), 0.0, 1.0)
        lam = np.vstack([k.on_matsubara(temperature_K, 2 * n) for k in self.kernels])
        zw = normal_state_zomega_meV(lam, temperature_K, n) + self.gamma_total_meV()[:, None]
        w = np.pi * t / zw * cell
        if self.normal_state_fn is not None:
            zw, w = zw.copy(), w.copy()
            for j in range(self.layers):
                out = self.normal_state_fn(j, temperature_K, n, lam[j])
                if out is not None:
                    zw[j], w[j] = out[0], out[1] * cell
        return {"n": n, "t": t, "lam": lam, "th": ToeplitzHankel(lam, n), "cell": cell,
                "w": w, "zw": zw, "temperature_K": temperature_K, "mustar": self.mustar}

    def _couplings(self, st) -> np.ndarray:
        """Diagonal inter-layer blocks c_i(n) between layers i and i+1, shape (L−1, N)."""
        if self.layers == 1:
            return np.zeros((0, st["n"]))
        w = st["w"]
        s = self.weights
        pref = self.gamma_fwd * np.sqrt(s[:-1] / s[1:]) / (np.pi * st["t"])
        return pref[:, None] * np.sqrt(w[:-1] * w[1:])

    def dense_matrix(self, st) -> np.ndarray:
        """The full-grid symmetric matrix S (size L·N) — for small problems and tests."""
        n, L = st["n"], self.layers
        sq = np.sqrt(st["w"])
        blocks = st["th"].dense(1.0) - 2.0 * st["mustar"][:, None, None]
        S = np.zeros((L * n, L * n))
        for j in range(L):
            S[j * n:(j + 1) * n, j * n:(j + 1) * n] = sq[j][:, None] * blocks[j] * sq[j][None, :]
        c = self._couplings(st)
        idx = np.arange(n)
        for i in range(L - 1):
            S[i * n + idx, (i + 1) * n + idx] = c[i]
            S[(i + 1) * n + idx, i * n + idx] = c[i]
        return S

    def matvec(self, st, x: np.ndarray) -> np.ndarray:
        """S x on the full grid without forming S (O(L N log N))."""
        n, L = st["n"], self.layers
        X = x.reshape(L, n)
        sq = np.sqrt(st["w"])
        y = sq * X
        Y = st["th"].matvec(y) - 2.0 * st["mustar"][:, None] * y.sum(axis=1, keepdims=True)
        Y *= sq
        c = self._couplings(st)
        if L > 1:
            Y[:-1] += c * X[1:]
            Y[1:] += c * X[:-1]
        return Y.reshape(-1)

    def _eigen_full(self, temperature_K, v0, tol, setup):
        st = self.setup(temperature_K) if setup is None else setup
        n, L = st["n"], self.layers
        size = n * L
        if size <= DENSE_MAX:
            S = self.dense_matrix(st)
            vals, vecs = sla.eigh(S, subset_by_index=[size - 1, size - 1])
            rho, v = float(vals[0]), vecs[:, 0]
            method = "dense"
        else:
            op = spla.LinearOperator((size, size), matvec=lambda x: self.matvec(st, x),
                                     dtype=float)
            start = None
            if v0 is not None and v0.size == size:
                start = v0.reshape(-1)
            elif v0 is not None:
                start = _regrid(v0, size // L, L)
            if start is None:
                start = np.tile(np.sqrt(st["w"][0]), L)
            try:
                vals, vecs = spla.eigsh(op, k=1, which="LA", v0=start, tol=tol,
                                        ncv=min(size, 24), maxiter=20000)
            except spla.ArpackNoConvergence as exc:  # pragma: no cover - reported to the user
                raise ConvergenceError(
                    f"Lanczos did not converge at T = {temperature_K:g} K (N = {n})") from exc
            rho, v = float(vals[0]), vecs[:, 0]
            method = "lanczos"
        if v.sum() < 0:
            v = -v
        res = float(np.linalg.norm(self.matvec(st, v) - rho * v))
        return rho, v.reshape(L, n), {"n_matsubara": n, "n_nodes": n, "method": method,
                                      "grid": "full", "residual": res}

    # ================================================================ compressed grid
    def panel_meV(self) -> float:
        """Panel cap of the compressed grid [meV]."""
        g = self.grid
        if getattr(g, "panel_meV", None) is not None:
            return float(g.panel_meV)
        wl = min(k.panel_scale_meV for k in self.kernels)
        return float(getattr(g, "panel_factor", 1.0) * wl)

    def compressed_matrix(self, temperature_K: float):
        """The symmetric matrix S(T) on the compressed grid and its data (``x`` nodes,
        ``c`` weights, ``n_full``, ``zw``)."""
        g = self.grid if isinstance(self.grid, CompressedGrid) else CompressedGrid()
        x, c, n_full = compressed_nodes(temperature_K, self.cutoff_meV, self.panel_meV(),
                                        n_exact=g.n_exact, n_head=g.n_head, order=g.order)
        t = K_B_MEV_PER_K * temperature_K
        n, L = x.size, self.layers
        ks = np.arange(n_full)
        # T and H are symmetric: the kernel is evaluated on one triangle (half the work for
        # tabulated kernels, the dominant cost of a compressed eigen-solve)
        iu, ju = np.triu_indices(n)
        pair = np.concatenate([np.abs(x[iu] - x[ju]), x[iu] + x[ju] + 1.0]) * (2.0 * np.pi * t)
        m = iu.size
        gt = self.gamma_total_meV()
        S = np.zeros((L * n, L * n))
        zws = np.empty((L, n))
        for j, kern in enumerate(self.kernels):
            lk = kern.on_matsubara(temperature_K, n_full)
            tail = np.zeros(n_full)
            tail[1:] = 2.0 * np.cumsum(lk[1:])
            # docs/eliashberg.md §2: ω_nZ_n = ω_n + πk_BT[λ(0) + 2Σ_{k=1}^{n} λ(ν_k)]
            zw_int = np.pi * t * (2.0 * ks + 1.0) + np.pi * t * (lk[0] + tail)
            zw = np.interp(x, ks, zw_int) + gt[j]
            zws[j] = zw
            sq = np.sqrt(c * np.pi * t / zw)
            lv = kern(pair)
            K = np.empty((n, n))
            kv = lv[:m] + lv[m:] - 2.0 * self.mustar[j]
            K[iu, ju] = kv
            K[ju, iu] = kv
            S[j * n:(j + 1) * n, j * n:(j + 1) * n] = sq[:, None] * K * sq[None, :]
        idx = np.arange(n)
        for i in range(L - 1):
            # docs/proximity.md §1: the Γ term is local in n; symmetrised with √(s_i/s_{i+1})
            cc = (self.gamma_fwd[i] * math.sqrt(self.weights[i] / self.weights[i + 1])
                  / (np.pi * t) * np.sqrt((np.pi * t / zws[i]) * (np.pi * t / zws[i + 1])))
            S[i * n + idx, (i + 1) * n + idx] = cc
            S[(i + 1) * n + idx, i * n + idx] = cc
        return S, {"x": x, "c": c, "n_full": n_full, "zw": zws}

    def _eigen_compressed(self, temperature_K):
        S, g = self.compressed_matrix(temperature_K)
        m = S.shape[0]
        vals, vecs = sla.eigh(S, subset_by_index=[m - 1, m - 1], driver="evx")
        rho, v = float(vals[0]), vecs[:, 0]
        if v.sum() < 0:
            v = -v
        res = float(np.linalg.norm(S @ v - rho * v))
        compressed = g["x"].size < g["n_full"]
        return rho, v.reshape(self.layers, -1), {
            "n_matsubara": int(g["n_full"]), "n_nodes": int(g["x"].size),
            "method": "compressed" if compressed else "dense",
            "grid": "compressed" if compressed else "full", "residual": res}

    # ================================================================ eigen-solve
    def eigen(self, temperature_K: float, v0: np.ndarray | None = None, tol: float = 1e-10,
              setup: dict | None = None):
        """Largest algebraic eigenvalue ρ(T) of S and its normalised eigenvector.

        Parameters
        ----------
        temperature_K : float
        v0 : ndarray, optional
            Start vector for Lanczos (full grid; regridded if its size differs).
        tol : float
            Lanczos tolerance (full grid).
        setup : dict, optional
            The result of :meth:`setup` at the same T (full grid; avoids rebuilding kernels).

        Returns
        -------
        rho : float
        vec : ndarray, shape (L, N or nodes)
            Eigenvector in the symmetric representation (sign fixed so its sum is > 0).
        info : dict
            ``n_matsubara`` (N), ``n_nodes``, ``method`` ('dense', 'lanczos' or 'compressed'),
            ``grid``, ``residual`` ‖Sv − ρv‖.
        """
        if not (math.isfinite(temperature_K) and temperature_K > 0):
            raise ValueError(f"temperature must be > 0 K, got {temperature_K}")
        if isinstance(self.grid, CompressedGrid):
            return self._eigen_compressed(temperature_K)
        return self._eigen_full(temperature_K, v0, tol, setup)


def _regrid(v: np.ndarray, n_new: int, layers: int) -> np.ndarray:
    """Interpolate an eigenvector from its old Matsubara grid to n_new points per layer.

    The symmetric eigenvector varies smoothly in the index fraction n/N near the root; linear
    interpolation in the fraction is a good Lanczos start vector.
    """
    v = np.asarray(v).reshape(layers, -1)
    n_old = v.shape[1]
    xo = (np.arange(n_old) + 0.5) / n_old
    xn = (np.arange(n_new) + 0.5) / n_new
    out = np.vstack([np.interp(xn, xo, row) for row in v])
    return out.reshape(-1)
