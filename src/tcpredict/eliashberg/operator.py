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

Coupled bands (docs/multiband.md §1; Allen & Mitrović, Solid State Phys. 37, 1 (1982)) add
off-diagonal phonon kernels λ_ij(ν) (``coupling``) and a μ* matrix:

.. math::

    S^{(ij)}_{nm} = \sqrt{s_i/s_j}\,\sqrt{w^{(i)}_n}\,\big[λ_{ij}(n−m) + λ_{ij}(n+m+1)
                    − 2μ^*_{ij}(ω_c)\big]\sqrt{w^{(j)}_m},

with ω_nZ^{(i)}_n built from the row sum Σ_j λ_ij (the normal-state self-energy of band i
collects scattering into every band j) and s_i = N_i the band densities of states. With detailed
balance N_iλ_ij(ν) = N_jλ_ji(ν), N_iμ*_ij = N_jμ*_ji, S is symmetric; otherwise S = P K P⁻¹
(P = diag √(s_iw_i)) is still similar to K and the largest real eigenvalue is taken with a
non-symmetric solver (LAPACK ``geev`` or ARPACK ``eigs``, 'LR'). A stack is the special case of
diagonal λ and μ* plus the elastic Γ blocks; without ``coupling`` the code path is the stack one.

Two strategies, chosen with ``grid``:

``"full"`` (:class:`FullGrid`)
    Every Matsubara frequency below ω_c. Dense LAPACK for L·N ≤ :data:`DENSE_MAX`, otherwise
    matrix-free Lanczos (ARPACK ``eigsh``, 'LA') on FFT Toeplitz + Hankel products: memory O(N),
    work O(N log N) per product. This grid is the reference of every accuracy test, the one an
    energy-dependent DOS and the smooth cutoff use, and the grid on which the nonlinear gap
    solver (:mod:`tcpredict.eliashberg.gap`) checks and finishes its node solution.
``"compressed"`` (:class:`CompressedGrid`)
    The same symmetric kernel discretised by a Nyström rule (docs/eliashberg.md §2.5): the first
    ``n_head`` Matsubara indices exactly, beyond them Gauss–Legendre panels in the continuous
    index, growing geometrically and capped at ``panel_meV`` (default ``panel_factor`` × the
    smallest ω_log of the layers and of the parts of summed kernels) in energy up to
    ``tail_factor`` × the largest Ω_max, and beyond it (the free tail, where λ(ν) is in its
    asymptote and the gap is smooth) growing again, each panel ``tail_growth`` × its distance
    from ω = 0. The peak of λ(ω_n − ω_m) at m = n is integrated exactly in every panel row
    (:func:`peak_correction`), so panels wider than ω_log cost no accuracy. Node count
    ∝ ln(ω_c/T) + Ω_max/ω_log instead of ω_c/T, so a 0.01 K root costs about as much as a
    10 K one (``benchmarks/bench_tc_temperature.py``). With N ≤ ``n_exact`` the full grid is
    used (identical results). Z ω at the nodes: :func:`normal_z_omega` (the head summed, the
    tail from the kernel's antiderivative, O(nodes) work). The largest eigenvalue: dense LAPACK
    for the first evaluation and small matrices, otherwise :func:`lanczos_top` warm-started
    from the previous eigenvector (checked by its residual; not with interface rates Γ).
    Agreement with the full grid: ≲ 1e-5 relative in Tc with the defaults, ≲ 2e-4 with the
    screen's coarser settings (tests/eliashberg/test_operator.py,
    tests/stacks/test_proximity.py).

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

import functools
import math
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
import scipy.sparse.linalg as spla

from tcpredict.eliashberg.kernels import Kernel, as_kernel
from tcpredict.limits import MAX_COMPRESSED_SIZE, as_float, as_float_array
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
           "MAX_MATSUBARA", "detailed_balance_weights", "normal_z_omega", "peak_correction"]

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
        Use the full grid when N ≤ n_exact (96; with the free tail a compressed grid of
        N = 100–200 has 50–70 nodes, cheaper than the integer grid although the integer grid's
        kernel is a gather from 2N bosonic values: the 10-element screen runs 335 instead of
        265 bilayer solves/s with 96 instead of 192, measured).
    n_head : int
        Matsubara indices kept exactly before the panels. The switch from the sum to the
        integral costs a midpoint Euler–Maclaurin term of relative order 1/(48 n_head²).
    order : int
        Gauss–Legendre nodes per panel.
    tail_factor : float or None
        The panels are capped at ``panel_meV`` only up to ``tail_factor`` × the largest Ω_max
        of the kernels (default 1); beyond it they grow (None: capped up to the cutoff).
    tail_growth : float
        In the free tail each panel is at most ``tail_growth`` × its distance from ω = 0
        in length (default 0.25).

    Accuracy, measured against the full grid (rtol 1e-8; docs/eliashberg.md §2.5). With the
    peak of λ(ω_n − ω_m) integrated exactly (:func:`peak_correction`) the defaults
    (panel_factor 2, n_head 64, order 4, tail_factor 1, tail_growth 0.25) agree to ≤ 6.1e-6
    relative in Tc on 18 element spectra with μ* up to 0.3 and Tc from 0.026 to 9 K, and to
    ≤ 2.6e-5 on 29 Cooper-limit bilayers of soft and stiff metals (Be/Pb, Cs/Os, Rb/Ru, …);
    the screen's settings (n_head 32, order 3) to ≤ 1.9e-4 and ≤ 6.8e-5, with 98 nodes on
    the bilayers on average. Before (capped panels up to the cutoff, no peak correction) the
    same sets gave 4.6e-4 (defaults) and 1.2e-3 / 2.1e-4 (screen) with 435 nodes on the
    bilayers.
    """

    panel_meV: float | None = None
    panel_factor: float = 2.0
    n_exact: int = 96
    n_head: int = 64
    order: int = 4
    tail_factor: float | None = 1.0
    tail_growth: float = 0.25
    name = "compressed"

    def __post_init__(self):
        if self.panel_meV is not None and not (math.isfinite(as_float(self.panel_meV,
                                                                      "panel_meV"))
                                               and self.panel_meV > 0):
            raise ValueError(f"panel_meV must be > 0, got {self.panel_meV}")
        if not (math.isfinite(as_float(self.panel_factor, "panel_factor"))
                and self.panel_factor > 0):
            raise ValueError(f"panel_factor must be > 0, got {self.panel_factor}")
        for name in ("order", "n_head", "n_exact"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
                raise ValueError(f"{name} must be an integer, got {v!r}")
        if not (1 <= self.order <= 16):
            raise ValueError(f"order must be in 1 … 16, got {self.order}")
        if self.tail_factor is not None and not (
                math.isfinite(as_float(self.tail_factor, "tail_factor"))
                and self.tail_factor > 0):
            raise ValueError(f"tail_factor must be > 0 or None, got {self.tail_factor}")
        if not (math.isfinite(as_float(self.tail_growth, "tail_growth"))
                and 0 < self.tail_growth <= 1):
            raise ValueError(f"tail_growth must be in (0, 1], got {self.tail_growth}")
        if not 1 <= self.n_head <= self.n_exact <= MAX_COMPRESSED_SIZE:
            raise ValueError(f"need 1 ≤ n_head ≤ n_exact ≤ {MAX_COMPRESSED_SIZE}, got "
                             f"n_head = {self.n_head}, n_exact = {self.n_exact}")


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


@dataclass(frozen=True)
class _Triangle:
    """Index sets of the upper triangle (i ≤ j) of an n × n node matrix: flat positions of the
    upper and mirrored lower entries (``fu``, ``fl``); the pairs of integer nodes (both < h:
    ``head`` positions, Matsubara index differences ``d_head`` and sums + 1 ``s_head``); the
    other pairs (``other`` positions, rows ``iu_o`` and columns ``ju_o``); among those, the
    pairs of two panel nodes (``pp``, positions in ``iu_o``; their rows and columns, rows − h)
    and the off-diagonal ones among them (``pd``, positions in ``pp``; columns − h, rows)."""

    size: int
    fu: np.ndarray
    fl: np.ndarray
    head: np.ndarray
    d_head: np.ndarray
    s_head: np.ndarray
    other: np.ndarray
    iu_o: np.ndarray
    ju_o: np.ndarray
    pp: np.ndarray
    pd: np.ndarray
    pp_rows: np.ndarray
    pp_cols: np.ndarray
    pp_rows_h: np.ndarray
    pd_cols_h: np.ndarray
    pd_rows: np.ndarray


@functools.lru_cache(maxsize=32)
def _triangle(n: int, h: int = 0) -> _Triangle:
    """The :class:`_Triangle` of n nodes whose first h are the integers 0 … h−1 (cached: the
    compressed grid reuses a few sizes)."""
    iu, ju = np.triu_indices(n)
    hh = ju < h  # iu ≤ ju
    oth = ~hh
    iu_o, ju_o = iu[oth], ju[oth]
    pp = np.flatnonzero(iu_o >= h)  # both nodes in the panels
    pd = np.flatnonzero(iu_o[pp] != ju_o[pp])  # … and off the diagonal
    rows, cols = iu_o[pp], ju_o[pp]
    out = _Triangle(iu.size, iu * n + ju, ju * n + iu, np.flatnonzero(hh), (ju - iu)[hh],
                    (iu + ju + 1)[hh], np.flatnonzero(oth), iu_o, ju_o, pp, pd,
                    rows, cols, rows - h, cols[pd] - h, rows[pd])
    for v in vars(out).values():
        if isinstance(v, np.ndarray):
            v.setflags(write=False)
    return out


def normal_z_omega(kernels, temperature_K: float, x: np.ndarray, n_full: int,
                   n_head: int, head_values: np.ndarray | None = None,
                   tail_integrals: np.ndarray | None = None) -> np.ndarray:
    r"""Normal-state ω Z(ω) [meV] at the Matsubara nodes x (continuous index).

    docs/eliashberg.md §2 (telescoped normal-state sum) and §2.5:

    .. math:: ω_nZ_n = ω_n + πk_BT\Big[λ(0) + 2\sum_{k=1}^{n} λ(ν_k)\Big], \qquad
              ν_k = 2πk\,k_BT .

    With all N indices kept (``x.size == n_full``) the sum is done exactly. Otherwise the first
    ``n_head`` − 1 terms are summed and the rest is the midpoint integral
    Σ_{k=n_head}^{x} λ(ν_k) ≈ [Λ(ν(x+½)) − Λ(ν(n_head−½))]/(2πk_BT) with the antiderivative
    Λ = ∫λ dν of the kernel: O(nodes) work at any temperature, error of the order of the
    Euler–Maclaurin term λ′ /24 at n_head (relative ≲ 1e-6 of ωZ).

    Parameters
    ----------
    kernels : sequence of Kernel
        Their λ(ν) are added (a band's intraband and interband kernels).
    temperature_K : float
    x : ndarray
        Nodes (index units); the first ``n_head`` are 0 … n_head − 1 when compressed.
    n_full : int
        N, the number of Matsubara frequencies below the cutoff.
    n_head : int
    head_values : ndarray, optional
        Σ_kernels λ(ν_k) for k = 0 … at least n_head − 1 (all N without compression), when
        the caller has them.
    tail_integrals : ndarray, optional
        Σ_kernels Λ at the energies 2πk_BT·(n_head − ½, x[n_head:] + ½) (compressed only), when
        the caller has them (:meth:`LinearizedOperator.compressed_matrix` evaluates them in
        one call with those of :func:`peak_correction`).
    """
    t = K_B_MEV_PER_K * temperature_K
    pit = np.pi * t
    if x.size == n_full:  # every index kept: the exact cumulative sum
        lk = (head_values[:n_full] if head_values is not None
              else sum(k.on_matsubara(temperature_K, n_full) for k in kernels))
        tail = np.zeros(n_full)
        tail[1:] = 2.0 * np.cumsum(lk[1:])
        return pit * (2.0 * x + 1.0) + pit * (lk[0] + tail)
    lk = (head_values[:n_head] if head_values is not None
          else sum(k.on_matsubara(temperature_K, n_head) for k in kernels))
    # compressed: x[:n_head] are the integers 0 … n_head − 1, the panel nodes follow
    s = np.empty(x.size)
    s[0] = 0.0
    np.cumsum(lk[1:], out=s[1:n_head])
    nu2 = 2.0 * pit
    if tail_integrals is not None:
        big = tail_integrals
    else:
        ends = _z_ends(x, n_head, nu2)
        big = kernels[0].integral(ends)
        for k in kernels[1:]:
            big = big + k.integral(ends)
    s[n_head:] = s[n_head - 1] + (big[1:] - big[0]) / nu2
    return pit * (2.0 * x + 1.0) + pit * (lk[0] + 2.0 * s)


def _z_ends(x: np.ndarray, n_head: int, nu2: float) -> np.ndarray:
    """Energies 2πk_BT·(n_head − ½, x[n_head:] + ½) at which :func:`normal_z_omega` needs Λ."""
    ends = np.empty(x.size - n_head + 1)
    ends[0] = n_head - 0.5
    ends[1:] = x[n_head:] + 0.5
    ends *= nu2
    return ends


def _peak_ends(x: np.ndarray, n_head: int, n_full: int, nu2: float) -> np.ndarray:
    """Energies at which :func:`peak_correction` needs Λ: 2πk_BT(x_n − h + ½) and
    2πk_BT(x_n − N + ½) for the panel rows n ≥ h."""
    xp = x[n_head:]
    return np.concatenate([xp - (n_head - 0.5), xp - (n_full - 0.5)]) * nu2


def peak_correction(kernel, x: np.ndarray, c: np.ndarray, t_meV: float, n_head: int,
                    n_full: int, quad: np.ndarray, integrals: np.ndarray | None = None
                    ) -> np.ndarray:
    r"""Diagonal correction of the compressed kernel matrix on the panel rows (peak
    subtraction; docs/eliashberg.md §2.5).

    In row n the sum over the Matsubara frequencies beyond the head, Σ_{m ≥ h} λ(ω_n − ω_m) g_m,
    is written as g_n Σ_{m ≥ h} λ(ω_n − ω_m) + Σ_{m ≥ h} λ(ω_n − ω_m)(g_m − g_n). The first sum
    holds the peak of λ at m = n, of width ~ω_log, which panels wider than ω_log cannot
    resolve; it is done exactly with the antiderivative Λ (the same midpoint integral as
    :func:`normal_z_omega`),

    .. math:: \sum_{m\ge h}λ(ω_n-ω_m) ≈ \frac{Λ(2πk_BT(x_n-h+\tfrac12))
              - Λ(2πk_BT(x_n-N+\tfrac12))}{2πk_BT},

    and only the second, whose integrand vanishes at m = n, is left to the Gauss panels
    (singularity subtraction in the Nyström method: R. Kress, *Linear Integral Equations*,
    3rd ed., Springer 2014, ch. 12; K. E. Atkinson, SIAM J. Numer. Anal. 4, 337 (1967)).
    In the symmetric matrix this adds (exact − Σ_{m≥h} c_m λ_nm)/c_n to the diagonal entry
    of each panel row; the head rows and the λ(ω_n + ω_m) part are unchanged.

    Parameters
    ----------
    kernel : Kernel
    x, c : ndarray
        Nodes (index units) and weights of the compressed grid.
    t_meV : float
        k_BT [meV].
    n_head : int
        h: the nodes 0 … h − 1 are the integers (the correction applies to the rows h …).
    n_full : int
        N, the number of Matsubara frequencies below the cutoff.
    quad : ndarray
        Σ_{m ≥ h} c_m λ(ω_n − ω_m) for the panel rows n = h … (what the matrix holds).
    integrals : ndarray, optional
        Λ at :func:`_peak_ends`, when the caller has them.

    Returns
    -------
    ndarray
        The additions to the diagonal entries of the rows h … of the kernel matrix.
    """
    m = x.size - n_head
    nu2 = 2.0 * np.pi * t_meV
    big = (kernel.integral(_peak_ends(x, n_head, n_full, nu2)) if integrals is None
           else integrals)
    exact = (big[:m] - big[m:]) / nu2
    return (exact - quad) / c[n_head:]


class LinearizedOperator:
    r"""Linearized (Tc) Eliashberg problem of one superconductor, a stack or coupled layers.

    Parameters
    ----------
    kernels : sequence of Kernel or Alpha2F
        Phonon kernel λ_j(ν) of each layer (:mod:`tcpredict.eliashberg.kernels`); an Alpha2F
        is wrapped in a :class:`~tcpredict.eliashberg.kernels.SpectrumKernel`.
    mustar_at_cutoff : sequence of float, or array of shape (L, L)
        μ*_j(ω_c) of each layer, already defined at ``cutoff_meV`` (≥ 0); for coupled bands the
        matrix μ*_ij(ω_c) (rescale with :func:`~tcpredict.eliashberg.matsubara.rescale_mustar_matrix`).
    cutoff_meV : float
        Common Matsubara cutoff ω_c [meV].
    gammas_meV : sequence of float, optional
        Γ_{i←i+1} [meV] felt by layer i from layer i+1, one per interface (docs/proximity.md §1).
    weights : sequence of float, optional
        s_j = d_jN_j (any consistent unit): the reverse rates follow by detailed balance,
        Γ_{i+1←i} = Γ_{i←i+1} s_i/s_{i+1}. Required when there is more than one layer, except
        with off-diagonal couplings, where the band DOS N_i play this role (default: inferred
        by :func:`detailed_balance_weights`, else 1).
    grid : {"full", "compressed"} or FullGrid or CompressedGrid
        Matsubara-grid strategy (module docstring). Default "full".
    normal_state_fn : callable, optional
        ``normal_state_fn(j, temperature_K, n, lam_seq_j) -> (zw_meV, w)`` or None per layer:
        replaces the constant-DOS ω_nZ_n and weights w_n of layer j (energy-dependent DOS,
        docs/eliashberg.md §3). Full grid only.
    smooth_cutoff : bool
        Weight each Matsubara cell by its fraction below ω_c (continuous in T). Full grid only.
    coupling : L×L nested sequence of Kernel, Alpha2F or None, optional
        Off-diagonal phonon kernels λ_ij(ν), i ≠ j, of coupled bands (docs/multiband.md); the
        diagonal entries must be None (or the ``kernels`` themselves). Z_i then uses Σ_j λ_ij.

    Attributes
    ----------
    symmetric : bool
        True when S is exactly symmetric (no off-diagonal coupling, or detailed balance with
        ``weights``); otherwise the largest real eigenvalue is found by a non-symmetric solver.
    pairs : list of (i, j, Kernel)
        The off-diagonal kernels.
    """

    def __init__(self, kernels, mustar_at_cutoff, cutoff_meV: float, gammas_meV=(),
                 weights=None, *, grid="full", normal_state_fn=None,
                 smooth_cutoff: bool = False, coupling=None):
        self.kernels: list[Kernel] = [as_kernel(k) for k in kernels]
        self.layers = len(self.kernels)
        self._warm = None  # last compressed eigenvector (nodes, gap-like shape): Lanczos start
        L = self.layers
        if L < 1:
            raise ValueError("need at least one layer")
        mu = as_float_array(mustar_at_cutoff, "mustar_at_cutoff")
        if mu.ndim == 2:
            if mu.shape != (L, L):
                raise ValueError(f"a μ* matrix must have shape ({L}, {L}), got {mu.shape}")
            mu_mat = mu.copy()
        else:
            mu = mu.reshape(-1)
            if mu.size != L:
                raise ValueError("one μ* per layer is required")
            mu_mat = np.diag(mu)
        if not np.all(np.isfinite(mu_mat)) or np.any(mu_mat < 0):
            raise ValueError("μ* must be finite and ≥ 0")
        self.mustar = np.diag(mu_mat).copy()
        self.mustar_matrix = mu_mat
        self.cutoff_meV = as_float(cutoff_meV, "cutoff_meV")
        if not math.isfinite(self.cutoff_meV) or self.cutoff_meV <= 0:
            raise ValueError(f"cutoff must be > 0 meV, got {cutoff_meV}")
        g = as_float_array(gammas_meV, "gammas_meV").reshape(-1)
        if g.size != L - 1:
            raise ValueError(f"{L} layers need {L - 1} interface Γ values")
        if np.any(g < 0) or not np.all(np.isfinite(g)):
            raise ValueError("Γ must be finite and ≥ 0 meV")
        # off-diagonal phonon kernels λ_ij(ν), i ≠ j (docs/multiband.md §1)
        self.pairs: list[tuple[int, int, Kernel]] = []
        if coupling is not None:
            rows = list(coupling)
            if len(rows) != L or any(len(list(r)) != L for r in rows):
                raise ValueError(f"coupling must be a {L}×{L} nested list of kernels or None")
            for i, row in enumerate(rows):
                for j, k in enumerate(row):
                    if k is None:
                        continue
                    if i == j:
                        if k is not kernels[i] and k is not self.kernels[i]:
                            raise ValueError("the diagonal of coupling is given by kernels: "
                                             f"coupling[{i}][{i}] must be None or kernels[{i}]")
                        continue
                    self.pairs.append((i, j, as_kernel(k)))
        self.off_diagonal = bool(self.pairs) or bool(np.any(mu_mat != np.diag(self.mustar)))
        if L > 1:
            if weights is None:
                if not self.off_diagonal:
                    raise ValueError("a stack needs the weights s_j = d_j N_j for detailed "
                                     "balance")
                s = detailed_balance_weights(self.lambda_matrix(), mu_mat)
                if s is None:
                    s = np.ones(L)
            else:
                s = as_float_array(weights, "weights").reshape(-1)
            if s.size != L or np.any(s <= 0) or not np.all(np.isfinite(s)):
                raise ValueError("weights s_j = d_j N_j must be finite and > 0, one per layer")
        else:
            s = np.ones(1)
        self.weights = s
        self.gamma_fwd = g
        self.gamma_bwd = g * s[:-1] / s[1:] if L > 1 else g
        # √(s_i/s_j) of every off-diagonal block (symmetrisation, docs/multiband.md §2)
        self._pair_scale = np.array([math.sqrt(s[i] / s[j]) for i, j, _ in self.pairs])
        self.symmetric = (not self.off_diagonal) or self._detailed_balance_holds()
        self.grid = _grid_strategy(grid)
        self.smooth_cutoff = bool(smooth_cutoff)
        self.normal_state_fn = normal_state_fn
        if isinstance(self.grid, CompressedGrid) and (normal_state_fn is not None
                                                      or self.smooth_cutoff):
            raise ValueError("an energy-dependent DOS and the smooth cutoff need grid='full'")

    # ---------------------------------------------------------------- coupled bands
    def lambda_matrix(self) -> np.ndarray:
        """λ_ij = λ_ij(ν = 0), shape (L, L) (diagonal: the layer kernels)."""
        lam = np.diag([k.lam for k in self.kernels]).astype(float)
        for i, j, k in self.pairs:
            lam[i, j] = k.lam
        return lam

    def _detailed_balance_holds(self, rtol: float = 1e-9) -> bool:
        """s_iλ_ij(ν) = s_jλ_ji(ν) (sampled at ν = 0 and 40 log-spaced ν) and s_iμ*_ij = s_jμ*_ji.

        When true the symmetrised matrix S is exactly symmetric (module docstring)."""
        s = self.weights
        mu = self.mustar_matrix
        if not np.allclose(s[:, None] * mu, (s[:, None] * mu).T, rtol=rtol, atol=1e-300):
            return False
        table = {(i, j): k for i, j, k in self.pairs}
        wl = [k.omega_log_meV for k in self.kernels] + [k.omega_log_meV for *_, k in self.pairs]
        wl = [w for w in wl if math.isfinite(w) and w > 0] or [1.0]
        nu = np.concatenate([[0.0], np.geomspace(1e-3 * min(wl), 1e3 * max(wl), 40)])
        for (i, j), k in table.items():
            a = s[i] * np.asarray(k(nu), dtype=float)
            kt = table.get((j, i))
            b = s[j] * (np.asarray(kt(nu), dtype=float) if kt is not None else np.zeros_like(nu))
            if not np.allclose(a, b, rtol=rtol, atol=1e-300):
                return False
        return True

    def _row_sums(self, lam_diag: np.ndarray, lam_off: np.ndarray | None) -> np.ndarray:
        """Σ_j λ_ij(ν_k) per row i (the kernel of the normal-state ω_nZ_n of band i)."""
        if lam_off is None:
            return lam_diag
        out = lam_diag.copy()
        for p, (i, _, _) in enumerate(self.pairs):
            out[i] += lam_off[p]
        return out

    def kernel_matvec(self, st, y: np.ndarray, sign: float = 1.0,
                      symmetrised: bool = False) -> np.ndarray:
        """Σ_j (T ± H)_{ij} y_j on the full grid: the phonon-kernel product of the equations,
        shape (L, N) → (L, N). With ``symmetrised`` the off-diagonal blocks carry √(s_i/s_j)."""
        Y = st["th"].matvec(y, sign)
        if st.get("th_off") is not None:
            src = np.array([j for _, j, _ in self.pairs])
            dst = np.array([i for i, _, _ in self.pairs])
            Yo = st["th_off"].matvec(y[src], sign)
            if symmetrised:
                Yo = Yo * self._pair_scale[:, None]
            np.add.at(Y, dst, Yo)
        return Y

    def coulomb(self, st, y: np.ndarray, symmetrised: bool = False) -> np.ndarray:
        """Σ_j μ*_ij Σ_m y_j(m), shape (L, 1) (with √(s_i/s_j) when ``symmetrised``)."""
        sums = y.sum(axis=1)
        if not self.off_diagonal:
            return st["mustar"][:, None] * sums[:, None]
        mu = self.mustar_matrix
        if symmetrised:
            s = self.weights
            mu = mu * np.sqrt(s[:, None] / s[None, :])
        return (mu @ sums)[:, None]

    def __repr__(self) -> str:
        extra = (f", coupled_pairs={len(self.pairs)}, mustar_matrix="
                 f"{self.mustar_matrix.tolist()}, symmetric={self.symmetric}"
                 if self.off_diagonal else "")
        return (f"LinearizedOperator(layers={self.layers}, cutoff_meV={self.cutoff_meV:g}, "
                f"grid={self.grid.name!r}, mustar={self.mustar.tolist()}, "
                f"gammas_meV={self.gamma_fwd.tolist()}{extra})")

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
        (L, N)), ``mustar``; with coupled bands also ``lam_off`` and ``th_off`` (the
        off-diagonal kernels, in the order of :attr:`pairs`), else None.

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
        lam_off = (np.vstack([k.on_matsubara(temperature_K, 2 * n) for *_, k in self.pairs])
                   if self.pairs else None)
        lam_z = self._row_sums(lam, lam_off)  # Z_i collects Σ_j λ_ij (docs/multiband.md §1)
        zw = normal_state_zomega_meV(lam_z, temperature_K, n) + self.gamma_total_meV()[:, None]
        w = np.pi * t / zw * cell
        if self.normal_state_fn is not None:
            zw, w = zw.copy(), w.copy()
            for j in range(self.layers):
                out = self.normal_state_fn(j, temperature_K, n, lam_z[j])
                if out is not None:
                    zw[j], w[j] = out[0], out[1] * cell
        return {"n": n, "t": t, "lam": lam, "th": ToeplitzHankel(lam, n), "cell": cell,
                "w": w, "zw": zw, "temperature_K": temperature_K, "mustar": self.mustar,
                "lam_off": lam_off,
                "th_off": ToeplitzHankel(lam_off, n) if lam_off is not None else None}

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
        if self.off_diagonal:  # coupled bands: off-diagonal phonon and Coulomb blocks
            s = self.weights
            mu = self.mustar_matrix
            dense_off = st["th_off"].dense(1.0) if st.get("th_off") is not None else None
            table = {(i, j): p for p, (i, j, _) in enumerate(self.pairs)}
            for i in range(L):
                for j in range(L):
                    if i == j:
                        continue
                    p = table.get((i, j))
                    if p is None and mu[i, j] == 0.0:
                        continue
                    blk = (dense_off[p] if p is not None else np.zeros((n, n))) - 2.0 * mu[i, j]
                    S[i * n:(i + 1) * n, j * n:(j + 1) * n] += (
                        math.sqrt(s[i] / s[j]) * sq[i][:, None] * blk * sq[j][None, :])
        return S

    def matvec(self, st, x: np.ndarray) -> np.ndarray:
        """S x on the full grid without forming S (O(L N log N))."""
        n, L = st["n"], self.layers
        X = x.reshape(L, n)
        sq = np.sqrt(st["w"])
        y = sq * X
        if self.off_diagonal:
            Y = (self.kernel_matvec(st, y, 1.0, symmetrised=True)
                 - 2.0 * self.coulomb(st, y, symmetrised=True))
        else:
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
        if not self.symmetric:
            rho, v, method = self._eigen_nonsymmetric_full(st, v0, tol, temperature_K)
        elif size <= DENSE_MAX:
            S = self.dense_matrix(st)
            vals, vecs = sla.eigh(S, subset_by_index=[size - 1, size - 1])
            rho, v = float(vals[0]), vecs[:, 0]
            method = "dense"
        else:
            op = spla.LinearOperator((size, size), matvec=lambda x: self.matvec(st, x),
                                     dtype=float)
            start = _start_vector(st, v0, size, L)
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

    def _eigen_nonsymmetric_full(self, st, v0, tol, temperature_K):
        """Largest real eigenvalue of the (similar, non-symmetric) S when detailed balance does
        not hold: LAPACK ``geev`` up to :data:`DENSE_MAX`, else ARPACK ``eigs`` ('LR')."""
        n, L = st["n"], self.layers
        size = n * L
        if size <= DENSE_MAX:
            vals, vecs = sla.eig(self.dense_matrix(st))
            k = _largest_real(vals)
            return float(vals[k].real), np.real(vecs[:, k]), "dense-nonsymmetric"
        op = spla.LinearOperator((size, size), matvec=lambda x: self.matvec(st, x), dtype=float)
        start = _start_vector(st, v0, size, L)
        try:
            vals, vecs = spla.eigs(op, k=1, which="LR", v0=start, tol=tol,
                                   ncv=min(size - 1, 32), maxiter=20000)
        except spla.ArpackNoConvergence as exc:  # pragma: no cover - reported to the user
            raise ConvergenceError(
                f"Arnoldi did not converge at T = {temperature_K:g} K (N = {n})") from exc
        v = np.real(vecs[:, 0])
        v = v / np.linalg.norm(v)
        return float(vals[0].real), v, "arnoldi"

    # ================================================================ compressed grid
    def panel_meV(self) -> float:
        """Panel cap of the compressed grid [meV]."""
        g = self.grid
        if getattr(g, "panel_meV", None) is not None:
            return float(g.panel_meV)
        wl = min([k.panel_scale_meV for k in self.kernels]
                 + [k.panel_scale_meV for *_, k in self.pairs])
        return float(getattr(g, "panel_factor", 1.0) * wl)

    def free_meV(self, grid=None) -> float | None:
        """Energy [meV] above which the compressed grid's panels grow (``tail_factor`` × the
        largest Ω_max of the kernels), or None (capped panels up to the cutoff). ``grid``: a
        :class:`CompressedGrid` other than the operator's own (the gap solver's nodes)."""
        g = self.grid if grid is None else grid
        f = getattr(g, "tail_factor", None)
        if f is None:
            return None
        om = [getattr(k, "omega_max_meV", None) for k in self.kernels]
        om += [getattr(k, "omega_max_meV", None) for *_, k in self.pairs]
        if any(o is None for o in om):
            return None
        return float(f * max(om))

    def compressed_matrix(self, temperature_K: float):
        """The symmetric matrix S(T) on the compressed grid and its data (``x`` nodes,
        ``c`` weights, ``n_full``, ``zw``, ``sq`` = √(c πk_BT/ωZ))."""
        g = self.grid if isinstance(self.grid, CompressedGrid) else CompressedGrid()
        x, c, n_full = compressed_nodes(temperature_K, self.cutoff_meV, self.panel_meV(),
                                        n_exact=g.n_exact, n_head=g.n_head, order=g.order,
                                        max_nodes=max(MAX_COMPRESSED_SIZE // self.layers, 1),
                                        free_meV=self.free_meV(), growth=g.tail_growth)
        t = K_B_MEV_PER_K * temperature_K
        n, L = x.size, self.layers
        # the first h nodes are the integers 0 … h−1 (all of them without compression): between
        # two of them λ is needed only at the bosonic ν_k, k < 2h
        h = n if n == n_full else g.n_head
        tri = _triangle(n, h)
        nu_k = 2.0 * np.pi * t * np.arange(2 * h)
        xi, xj = x[tri.iu_o], x[tri.ju_o]
        # T and H are symmetric: the kernel is evaluated on one triangle (half the work for
        # tabulated kernels, the dominant cost of a compressed eigen-solve)
        pair = np.concatenate([np.abs(xi - xj), xi + xj + 1.0]) * (2.0 * np.pi * t)
        mo = xi.size
        gt = self.gamma_total_meV()
        S = np.zeros((L * n, L * n)) if L > 1 else None
        zws = np.empty((L, n))
        sqs = np.empty((L, n))
        compressed = n < n_full
        nb = nu_k.size
        nu2 = 2.0 * np.pi * t
        if compressed:  # every Λ a kernel needs, for one call per kernel
            z_ends = _z_ends(x, h, nu2)
            ends = np.concatenate([z_ends, _peak_ends(x, h, n_full, nu2)])
        diag = slice(h * (n + 1), None, n + 1)  # the panel rows' diagonal in K.reshape(-1)

        def triangle_values(kern, values, peak_integrals):
            """(kernel entries on the triangle, peak correction) from λ at nu_k ++ pair."""
            lk2, lv = values[:nb], values[nb:]
            kv = np.empty(tri.size)
            kv[tri.head] = lk2[tri.d_head] + lk2[tri.s_head]
            kv[tri.other] = lv[:mo] + lv[mo:]
            if not compressed:
                return kv, None
            # Σ_{m ≥ h} c_m λ(ω_n − ω_m) over the panel columns of each panel row n ≥ h
            w = lv[:mo][tri.pp]
            quad = (np.bincount(tri.pp_rows_h, weights=c[tri.pp_cols] * w, minlength=n - h)
                    + np.bincount(tri.pd_cols_h, weights=c[tri.pd_rows] * w[tri.pd],
                                  minlength=n - h))
            return kv, peak_correction(kern, x, c, t, h, n_full, quad, peak_integrals)

        both = np.concatenate([nu_k, pair])
        for j, kern in enumerate(self.kernels):
            values = kern(both)
            lk2 = values[:nb]
            big = kern.integral(ends) if compressed else None
            # Z_j collects Σ_k λ_jk (docs/multiband.md §1)
            extra = [k for i, _, k in self.pairs if i == j]
            head = lk2[:h] + sum(k(nu_k[:h]) for k in extra) if extra else lk2[:h]
            zt = None
            if compressed:
                zt = big[:z_ends.size]
                for k in extra:
                    zt = zt + k.integral(z_ends)
            zw = normal_z_omega([kern] + extra, temperature_K, x, n_full, g.n_head,
                                head_values=head, tail_integrals=zt) + gt[j]
            zws[j] = zw
            sq = np.sqrt(c * np.pi * t / zw)
            sqs[j] = sq
            kv, corr = triangle_values(kern, values,
                                       big[z_ends.size:] if compressed else None)
            kv -= 2.0 * self.mustar[j]
            K = np.empty((n, n))
            flat = K.reshape(-1)  # a view (ndarray indexing is ~6× faster than K.flat)
            flat[tri.fu] = kv
            flat[tri.fl] = kv
            if corr is not None:
                flat[diag] += corr
            K *= sq[:, None]
            K *= sq[None, :]
            if S is None:
                S = K
            else:
                S[j * n:(j + 1) * n, j * n:(j + 1) * n] = K
        idx = np.arange(n)
        for i in range(L - 1):
            # docs/proximity.md §1: the Γ term is local in n; symmetrised with √(s_i/s_{i+1})
            cc = (self.gamma_fwd[i] * math.sqrt(self.weights[i] / self.weights[i + 1])
                  / (np.pi * t) * np.sqrt((np.pi * t / zws[i]) * (np.pi * t / zws[i + 1])))
            S[i * n + idx, (i + 1) * n + idx] = cc
            S[(i + 1) * n + idx, i * n + idx] = cc
        if self.off_diagonal:  # coupled bands: dense off-diagonal blocks (docs/multiband.md §2)
            s = self.weights
            mu = self.mustar_matrix
            table = {(i, j): k for i, j, k in self.pairs}
            for i in range(L):
                for j in range(L):
                    if i == j or ((i, j) not in table and mu[i, j] == 0.0):
                        continue
                    K = np.full((n, n), -2.0 * mu[i, j])
                    kern = table.get((i, j))
                    if kern is not None:
                        kv, corr = triangle_values(
                            kern, kern(both),
                            kern.integral(ends)[z_ends.size:] if compressed else None)
                        flat = K.reshape(-1)
                        flat[tri.fu] += kv
                        flat[tri.fl] = flat[tri.fu]
                        if corr is not None:
                            flat[diag] += corr
                    S[i * n:(i + 1) * n, j * n:(j + 1) * n] = (
                        math.sqrt(s[i] / s[j]) * sqs[i][:, None] * K * sqs[j][None, :])
        return S, {"x": x, "c": c, "n_full": n_full, "zw": zws, "sq": sqs}

    def _eigen_compressed(self, temperature_K):
        S, g = self.compressed_matrix(temperature_K)
        m = S.shape[0]
        if self.symmetric:
            top = None
            # Lanczos from the last solution's shape — not with interface rates Γ, which put a
            # cluster of eigenvalues Γ/(Γ + ω_n) just below the pairing one
            if self._warm is not None and m > LANCZOS_MIN and not np.any(self.gamma_fwd):
                x_old, phi = self._warm
                v0 = np.concatenate([g["sq"][j] * np.interp(g["x"], x_old, phi[j])
                                     for j in range(self.layers)])
                top = lanczos_top(S, v0)
            if top is None:  # cold start, or Lanczos not converged: dense
                top = top_dense(S)
            rho, v = top
        else:
            vals, vecs = sla.eig(S)
            k = _largest_real(vals)
            rho, v = float(vals[k].real), np.real(vecs[:, k])
            v = v / np.linalg.norm(v)
        if v.sum() < 0:
            v = -v
        r = S @ v - rho * v
        res = math.sqrt(float(r @ r))
        if self.symmetric:
            self._warm = (g["x"], v.reshape(self.layers, -1) / g["sq"])
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


#: Below this matrix size a dense eigen-solve (:func:`top_dense`) is cheaper than a
#: warm-started Lanczos run (dense 0.10 ms at 56 nodes, 0.13 at 68, 0.36 at 119; Lanczos
#: 0.11–0.14 ms at each; bilayer operators of the screen on one core, measured).
LANCZOS_MIN = 64


def lanczos_top(S: np.ndarray, v0: np.ndarray, rtol: float = 1e-8, kmax: int = 40,
                min_gap: float = 0.1):
    """Largest eigenpair of a symmetric matrix by Lanczos from a good start vector.

    Full reorthogonalisation (classical Gram–Schmidt, twice); after each step the Ritz pair of
    the tridiagonal matrix is checked: converged when the residual ‖Sv − θv‖ = β_k|s_k| is below
    ``rtol``·|θ| (the eigenvalue error is then ≲ residual²/gap). The largest Ritz value never
    exceeds the largest eigenvalue and converges to it first when ``v0`` has a large component
    along its eigenvector — the case of a warm start from a nearby temperature, the only use.
    As a further guard the second Ritz value must lie below (1 − ``min_gap``)·θ (the pairing
    operators of single layers have ρ₂/ρ₁ ≲ 0.45, measured); otherwise None.

    Returns
    -------
    (theta, v) or None
        None when not converged in ``kmax`` steps (the caller falls back to a dense solver).
    """
    n = S.shape[0]
    kmax = min(kmax, n)
    nrm = float(np.linalg.norm(v0))
    if not (np.isfinite(nrm) and nrm > 0):
        return None
    Q = np.empty((kmax, n))
    al, be = np.empty(kmax), np.empty(kmax)
    q = v0 / nrm
    for j in range(kmax):
        Q[j] = q
        w = S @ q
        al[j] = q @ w
        B = Q[:j + 1]
        w -= B.T @ (B @ w)
        w -= B.T @ (B @ w)
        be[j] = math.sqrt(float(w @ w))
        if j >= 3 or j == kmax - 1 or be[j] == 0.0:
            # the tridiagonal Ritz problem by LAPACK's dstev (no Python wrapper overhead)
            vals, vecs, info = sla.lapack.dstev(al[:j + 1], be[:j])
            if info != 0:
                return None
            theta, sv = float(vals[-1]), vecs[:, -1]
            if be[j] * abs(sv[-1]) <= rtol * max(abs(theta), 1e-300):
                if vals.size > 1 and vals[-2] > (1.0 - min_gap) * theta:
                    return None  # no clear separation from the next Ritz value: dense
                return theta, B.T @ sv
        if be[j] == 0.0:
            return None
        q = w / be[j]
    return None


def top_dense(S: np.ndarray):
    """Largest eigenpair (θ, v) of a symmetric matrix: LAPACK dsyevx for the top eigenvalue
    only, called directly (scipy.linalg.eigh's checks cost ~50 µs at 70 nodes, a third of
    the solve); scipy.linalg.eigh when dsyevx reports a failure."""
    m = S.shape[0]
    vals, vecs, _, _, info = sla.lapack.dsyevx(S, compute_v=1, range="I", il=m, iu=m)
    if info != 0 or not np.isfinite(vals[0]):
        vals, vecs = sla.eigh(S, subset_by_index=[m - 1, m - 1], driver="evx")
    return float(vals[0]), vecs[:, 0]


def _largest_real(vals: np.ndarray) -> int:
    """Index of the eigenvalue with the largest real part among the (numerically) real ones
    (all of them if none is real)."""
    re_, im = vals.real, np.abs(vals.imag)
    real = im <= 1e-9 * np.maximum(1.0, np.abs(re_))
    cand = np.nonzero(real)[0] if np.any(real) else np.arange(vals.size)
    return int(cand[np.argmax(re_[cand])])


def detailed_balance_weights(lam: np.ndarray, mustar: np.ndarray | None = None,
                             rtol: float = 1e-9, *, check: bool = True) -> np.ndarray | None:
    r"""Band weights s_i (∝ N_i) with s_iλ_ij = s_jλ_ji, or None if no such weights exist.

    Detailed balance (docs/multiband.md §1; Allen & Mitrović (1982)): N_iλ_ij = N_jλ_ji, and the
    same for μ*. The ratios s_j/s_i = λ_ij/λ_ji are propagated along the non-zero couplings (a
    spanning tree) and every other pair (and every μ*_ij, if given) is checked. Bands that are not
    coupled to each other get independent weights (1 for the first band of each group). Returns
    None when a pair has λ_ij = 0 ≠ λ_ji or the ratios are inconsistent (then the operator uses
    the non-symmetric eigensolver). With ``check=False`` the spanning-tree weights are returned
    unchecked (approximate weights for rounded inputs: they keep the non-symmetric matrix
    nearly symmetric and well conditioned).
    """
    lam = np.asarray(lam, dtype=float)
    L = lam.shape[0]
    mats = [lam] + ([np.asarray(mustar, dtype=float)] if mustar is not None else [])
    s = np.full(L, np.nan)
    for root in range(L):
        if not np.isnan(s[root]):
            continue
        s[root] = 1.0
        stack = [root]
        while stack:
            i = stack.pop()
            for j in range(L):
                if j == i:
                    continue
                for m in mats:
                    if m[i, j] > 0 and m[j, i] > 0:
                        if np.isnan(s[j]):
                            s[j] = s[i] * m[i, j] / m[j, i]
                            stack.append(j)
                        break
    if not check:
        return s
    for m in mats:
        sm = s[:, None] * m
        if not np.allclose(sm, sm.T, rtol=rtol, atol=0.0):
            return None
    return s


def _start_vector(st: dict, v0, size: int, layers: int) -> np.ndarray:
    """ARPACK start vector: the previous eigenvector (regridded if N changed), else √w."""
    if v0 is not None and v0.size == size:
        return v0.reshape(-1)
    if v0 is not None:
        return _regrid(v0, size // layers, layers)
    return np.tile(np.sqrt(st["w"][0]), layers)


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
