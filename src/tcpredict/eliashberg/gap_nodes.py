r"""The nonlinear Eliashberg equations on the compressed Matsubara nodes (docs/eliashberg.md §2.3,
§2.5).

The nodes x_i (continuous Matsubara index, ω(x) = πk_BT(2x+1)) and weights c_i are those of
:func:`tcpredict.eliashberg.matsubara.compressed_nodes` with the parameters of a
:class:`~tcpredict.eliashberg.operator.CompressedGrid`, the same Nyström rule
:meth:`LinearizedOperator.compressed_matrix` uses for Tc: the first ``n_head`` indices exactly
(c = 1), then Gauss–Legendre panels in the index, with the peak of λ(x_i − x_m) integrated
exactly in the panel rows (:func:`tcpredict.eliashberg.operator.peak_correction`). Every sum Σ_{m=0}^{N−1} f(m) of the gap
equations (docs/eliashberg.md §2) becomes Σ_m c_m f(x_m), the kernel is evaluated at the node
pairs |x_i − x_m| and x_i + x_m + 1 (bosonic ν = 2πk_BT·that), and the normal-state ωZ is
:func:`tcpredict.eliashberg.operator.normal_z_omega` at the nodes:

.. math::

    ω_iZ_j(i) &= [ωZ]^{\rm n}_j(x_i) + πk_BT \sum_m c_m [λ_j(x_i−x_m) − λ_j(x_i+x_m+1)]
                 \Big(\frac{ω_m}{R_j(m)} − 1\Big)
                 + \sum_k Γ_{j←k}\Big(\frac{ω_i}{R_k(i)} − 1\Big),\\
    Z_j(i)Δ_j(i) &= πk_BT \sum_m c_m [λ_j(x_i−x_m) + λ_j(x_i+x_m+1) − 2μ^*_j]\frac{Δ_j(m)}{R_j(m)}
                 + \sum_k Γ_{j←k}\frac{Δ_k(i)}{R_k(i)},

R = √(ω² + Δ²); [ωZ]^n contains the total Γ of the layer. For coupled bands the λ and μ* sums
also run over the bands k (docs/multiband.md §1). :mod:`tcpredict.eliashberg.gap` solves these
with its Anderson machinery, interpolates Δ to every Matsubara frequency
(:meth:`NodeSystem.to_full`) and checks (and if need be finishes) the result on the full grid.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg as sla
from scipy.interpolate import CubicSpline

from tcpredict.eliashberg.matsubara import compressed_nodes
from tcpredict.eliashberg.operator import (
    CompressedGrid,
    LinearizedOperator,
    _largest_real,
    _triangle,
    normal_z_omega,
    peak_correction,
)
from tcpredict.limits import MAX_COMPRESSED_SIZE
from tcpredict.units import K_B_MEV_PER_K

__all__ = ["NodeSystem", "close_equations", "node_rule"]


def close_equations(zw: np.ndarray, rhs: np.ndarray, w: np.ndarray, R: np.ndarray,
                    gam_f: np.ndarray, gam_b: np.ndarray):
    r"""New Δ and Z from ωZ (without the inter-layer Γ terms) and φ = ZΔ (without them), on any
    set of frequencies w (full grid or nodes), shape (L, n).

    Proximity (docs/proximity.md §1): Γ_{j←k}(ω/R_k − 1) in ωZ_j (the "1" is already in the
    normal-state part) and Γ_{j←k}Δ_k/R_k in φ_j. The Γ terms couple the layers at the same
    frequency; they are treated implicitly (the tridiagonal L×L system per frequency with R from
    the current iterate) so that a large Γ does not make the iteration stiff. The fixed point is
    the same as with the explicit terms.
    """
    L, n = zw.shape
    if L == 1 or not np.any(gam_f):
        z = zw / w
        return rhs / z, z
    nz = w / R
    zw = zw.copy()
    zw[:-1] += gam_f[:, None] * (nz[1:] - 1.0)
    zw[1:] += gam_b[:, None] * (nz[:-1] - 1.0)
    z = zw / w
    M = np.zeros((n, L, L))
    idx = np.arange(L)
    M[:, idx, idx] = z.T
    M[:, idx[:-1], idx[1:]] = -(gam_f[:, None] / R[1:]).T
    M[:, idx[1:], idx[:-1]] = -(gam_b[:, None] / R[:-1]).T
    new = np.linalg.solve(M, rhs.T[:, :, None])[:, :, 0].T
    return new, z


def node_rule(problem: LinearizedOperator, temperature_K: float, grid: CompressedGrid):
    """(x, c, N): the Nyström nodes and weights of ``grid`` at T, exactly as
    :meth:`LinearizedOperator.compressed_matrix` chooses them."""
    return compressed_nodes(temperature_K, problem.cutoff_meV, problem.panel_meV(),
                            n_exact=grid.n_exact, n_head=grid.n_head, order=grid.order,
                            max_nodes=max(MAX_COMPRESSED_SIZE // problem.layers, 1),
                            free_meV=problem.free_meV(grid), growth=grid.tail_growth)


class NodeSystem:
    """Gap equations of ``problem`` at ``temperature_K`` on the compressed nodes of ``grid``.

    Attributes
    ----------
    x, c : ndarray
        Nodes (index units) and weights; ``w`` = ω(x) [meV].
    n_full : int
        N, the Matsubara frequencies below the cutoff.
    zw_normal : ndarray, shape (L, n)
        Normal-state ωZ at the nodes [meV], including the total Γ of each layer.
    compressed : bool
        False when the rule keeps every index (N ≤ n_exact, or no gain): then the caller uses
        the full grid.

    ``rule`` is the result of :func:`node_rule` if already computed.
    """

    def __init__(self, problem: LinearizedOperator, temperature_K: float,
                 grid: CompressedGrid, rule=None):
        self.problem = problem
        self.temperature_K = float(temperature_K)
        L = problem.layers
        self.x, self.c, self.n_full = (node_rule(problem, temperature_K, grid) if rule is None
                                       else rule)
        self.compressed = self.x.size < self.n_full
        if not self.compressed:
            return
        t = K_B_MEV_PER_K * self.temperature_K
        self.t = t
        x, c = self.x, self.c
        n = x.size
        self.w = np.pi * t * (2.0 * x + 1.0)
        # kernels on one triangle of the node pairs (T and H are symmetric)
        tri = _triangle(n)  # no integer-pair shortcut here (h = 0): every pair evaluated
        fu, fl, m = tri.fu, tri.fl, tri.size
        xi, xj = x[tri.iu_o], x[tri.ju_o]
        pair = np.concatenate([np.abs(xi - xj), xi + xj + 1.0]) * (2.0 * np.pi * t)

        h, nf = grid.n_head, self.n_full
        panel = np.arange(h, n)

        def matrices(kern):
            lv = kern(pair)
            plus = np.empty((n, n))
            minus = np.empty((n, n))
            pf, mf = plus.reshape(-1), minus.reshape(-1)  # views (faster than .flat)
            pf[fu] = pf[fl] = lv[:m] + lv[m:]
            mf[fu] = mf[fl] = lv[:m] - lv[m:]
            # the peak of λ(x_i − x_m) integrated exactly in the panel rows, as in the
            # linearized operator (it enters the gap and the Z sums alike)
            quad = 0.5 * (plus[h:, h:] + minus[h:, h:]) @ c[h:]
            corr = peak_correction(kern, x, c, t, h, nf, quad)
            plus[panel, panel] += corr
            minus[panel, panel] += corr
            return plus, minus

        self.kplus = np.empty((L, n, n))
        self.kminus = np.empty((L, n, n))
        for j, kern in enumerate(problem.kernels):
            self.kplus[j], self.kminus[j] = matrices(kern)
        self.pairs = [(i, j) for i, j, _ in problem.pairs]
        off = [matrices(k) for *_, k in problem.pairs]
        self.kplus_off = [p for p, _ in off]
        self.kminus_off = [mm for _, mm in off]
        gt = problem.gamma_total_meV()
        self.zw_normal = np.empty((L, n))
        for j, kern in enumerate(problem.kernels):
            # Z_j collects Σ_k λ_jk (docs/multiband.md §1)
            ks = [kern] + [k for i, _, k in problem.pairs if i == j]
            self.zw_normal[j] = normal_z_omega(ks, temperature_K, x, self.n_full,
                                               grid.n_head) + gt[j]
        self.mu = problem.mustar_matrix
        self.coupled = bool(problem.off_diagonal)

    @property
    def n_nodes(self) -> int:
        return int(self.x.size)

    # ------------------------------------------------------------------ linearized problem
    def linearized(self):
        r"""Largest eigenvalue ρ of the linearized gap equation on the nodes and the shape of
        Δ of its eigenvector (the cold start), shape (L, n).

        φ_j(i) = Σ_{k,m} πk_BT c_m[λ_jk(x_i−x_m) + λ_jk(x_i+x_m+1) − 2μ*_jk] φ_k(m)/[ωZ]_k(m)
        + Σ_k Γ_{j←k} φ_k(i)/[ωZ]_k(i), symmetrised with P = diag √(s_j c_m πk_BT/[ωZ]_j(m))
        as in :meth:`LinearizedOperator.compressed_matrix` (docs/eliashberg.md §2.1)."""
        p = self.problem
        L, n, t = p.layers, self.n_nodes, self.t
        s = p.weights
        sq = np.sqrt(self.c[None, :] * np.pi * t / self.zw_normal)  # (L, n)
        S = np.zeros((L * n, L * n))
        for j in range(L):
            S[j * n:(j + 1) * n, j * n:(j + 1) * n] = (
                sq[j][:, None] * (self.kplus[j] - 2.0 * self.mu[j, j]) * sq[j][None, :])
        table = {pq: q for q, pq in enumerate(self.pairs)}
        for i in range(L):
            for j in range(L):
                if i == j or ((i, j) not in table and self.mu[i, j] == 0.0):
                    continue
                q = table.get((i, j))
                K = (self.kplus_off[q] if q is not None else 0.0) - 2.0 * self.mu[i, j]
                S[i * n:(i + 1) * n, j * n:(j + 1) * n] = (
                    math.sqrt(s[i] / s[j]) * sq[i][:, None] * K * sq[j][None, :])
        idx = np.arange(n)
        for i in range(L - 1):  # Γ: local in the frequency (docs/proximity.md §1)
            cc = (p.gamma_fwd[i] * math.sqrt(s[i] / s[i + 1])
                  / np.sqrt(self.zw_normal[i] * self.zw_normal[i + 1]))
            S[i * n + idx, (i + 1) * n + idx] += cc
            S[(i + 1) * n + idx, i * n + idx] += cc
        if p.symmetric:
            vals, vecs = sla.eigh(S, subset_by_index=[L * n - 1, L * n - 1], driver="evx")
            rho, v = float(vals[0]), vecs[:, 0]
        else:
            vals, vecs = sla.eig(S)
            k = _largest_real(vals)
            rho, v = float(vals[k].real), np.real(vecs[:, k])
        v = v.reshape(L, n)
        if v.sum() < 0:
            v = -v
        phi = v / (sq * np.sqrt(s)[:, None])
        return rho, phi * self.w / self.zw_normal

    # ------------------------------------------------------------------ nonlinear map
    def gap_map(self, delta: np.ndarray):
        """One evaluation of the right-hand sides: (new Δ, Z) on the nodes, shape (L, n)."""
        p, t, c, w = self.problem, self.t, self.c, self.w
        R = np.sqrt(w ** 2 + delta ** 2)
        g = (w / R - 1.0) * c  # Z: decaying correction to the normal state, O(Δ²/ω²)
        nd = delta / R * c
        zw = self.zw_normal + np.pi * t * np.einsum("jim,jm->ji", self.kminus, g)
        rhs = np.einsum("jim,jm->ji", self.kplus, nd)
        for q, (i, j) in enumerate(self.pairs):
            zw[i] += np.pi * t * (self.kminus_off[q] @ g[j])
            rhs[i] += self.kplus_off[q] @ nd[j]
        rhs = np.pi * t * (rhs - 2.0 * (self.mu @ nd.sum(axis=1))[:, None])
        return close_equations(zw, rhs, w, R, p.gamma_fwd, p.gamma_bwd)

    # ------------------------------------------------------------------ grid transfer
    def to_full(self, delta: np.ndarray) -> np.ndarray:
        r"""Δ at every Matsubara index n = 0 … N−1 from its node values, shape (L, N).

        Cubic spline (not-a-knot) in s = ln(2x + 1) = ln(ω/πk_BT): Δ(iω) is smooth in ω and
        varies on the phonon scale, i.e. on a fixed scale of ln ω at high frequency where the
        panels are widest. The head nodes are integers, so Δ is reproduced there exactly;
        beyond the last node (less than half a panel below the cutoff) the last cubic is
        continued."""
        s_nodes = np.log(2.0 * self.x + 1.0)
        k = np.arange(self.n_full, dtype=float)
        return CubicSpline(s_nodes, np.atleast_2d(delta), axis=1)(np.log(2.0 * k + 1.0))

    def restrict(self, delta: np.ndarray) -> np.ndarray:
        """Δ given at every Matsubara index 0 … N−1 at the nodes (linear in the index: the
        nodes beyond the head lie between integers)."""
        k = np.arange(self.n_full, dtype=float)
        return np.vstack([np.interp(self.x, k, row) for row in np.atleast_2d(delta)])

    def from_grid(self, delta: np.ndarray, omega_meV: np.ndarray) -> np.ndarray:
        """Δ given on the frequencies ``omega_meV`` (a previous solution, any grid) at the
        nodes, linear in ω, constant beyond its ends (a warm start)."""
        d = np.atleast_2d(np.asarray(delta, dtype=float))
        return np.vstack([np.interp(self.w, np.asarray(omega_meV, dtype=float), row)
                          for row in d])
