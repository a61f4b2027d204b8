r"""Nonlinear isotropic Eliashberg equations below Tc: Δ(iω_n), Z(iω_n).

Equations (docs/eliashberg.md §2; proximity terms of docs/proximity.md §1 for stacks; for coupled bands
the λ and μ* sums also run over the bands j, docs/multiband.md §1), n ≥ 0:

.. math::

    ω_n Z_j(n) &= ω_n + πk_BT \sum_{m∈ℤ} λ_j(ω_n−ω_m)\, \frac{ω_m}{R_j(m)}
                 + \sum_{k} Γ_{j←k} \frac{ω_n}{R_k(n)},\\
    Z_j(n)Δ_j(n) &= πk_BT \sum_{|ω_m|<ω_c} [λ_j(ω_n−ω_m) − μ^*_j]\, \frac{Δ_j(m)}{R_j(m)}
                 + \sum_k Γ_{j←k} \frac{Δ_k(n)}{R_k(n)}, \qquad R = \sqrt{ω_m^2+Δ_m^2}.

The Z sum is split into the exact normal-state value (telescoped, no truncation error) plus a
rapidly decaying correction Σ_m λ(n−m)[ω_m/R_m − sgn ω_m] = O(Δ²/ω²), summed on the grid.

Grids (docs/eliashberg.md §2.3, §2.5). By default, when N is at least :data:`NODE_MIN_RATIO`
times the node count, the equations are first solved on the compressed Nyström nodes of the
Tc solver (:mod:`tcpredict.eliashberg.gap_nodes`: the same sums with weights c_m, the kernel at
the node pairs, the normal-state ωZ from the kernel's antiderivative); Δ is then interpolated
to every Matsubara frequency (cubic spline in ln ω), the residual is evaluated once on the full
grid, and if it is above ``tol`` the full-grid solution is finished by two-grid cycles with the
nodes as the coarse grid (then plain Anderson if they stall). The result is always on the full
grid and always meets ``tol`` there; ``GapResult.grid`` says which grid solved it. Near Tc
(node eigenvalue ρ ≤ 1 + :data:`NODE_RHO_MARGIN`), for small N, with an energy-dependent DOS or
the smooth cutoff, or with ``grid="full"``, the full grid is used throughout.

Solved by Anderson-accelerated fixed-point iteration on Δ (history 6, mixing 0.5) to
max|Δ_new − Δ|/max|Δ| < tol. Δ = 0 is also a fixed point, so the start matters: its shape is the
previous temperature's solution (warm start) or the linearized pairing eigenvector (cold start),
and its amplitude solves the one-dimensional projected gap equation. If a warm start fails the
cold one is tried; if that fails, a deflated Anderson iteration (trivial root removed) followed by
Newton–Krylov handles stiff cases (strong proximity coupling). The gauge is fixed by
Δ(iω_0) > 0 in the first layer. Which start converged is recorded in ``GapResult.start``;
non-convergence raises :class:`~tcpredict.eliashberg.tc.ConvergenceError` with the residual.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import scipy.optimize as sopt

from tcpredict.limits import check_temperature, check_temperatures
from tcpredict.eliashberg.gap_nodes import NodeSystem, close_equations, node_rule
from tcpredict.eliashberg.operator import (
    CompressedGrid,
    FullGrid,
    LinearizedOperator,
    _grid_strategy,
)
from tcpredict.eliashberg.tc import ConvergenceError, resolve_coupling, solve_tc
from tcpredict.eliashberg.matsubara import fermion_frequencies_meV
from tcpredict.eliashberg.spectra import Alpha2F
from tcpredict.units import K_B_MEV_PER_K

log = logging.getLogger(__name__)

__all__ = ["GapResult", "solve_gap", "solve_gap_stack", "gap_sweep", "sweep_downward",
           "bcs_gap_guess_meV",
           "MAX_GAP_MATSUBARA", "NODE_MIN_RATIO", "NODE_RHO_MARGIN"]

#: Largest number of Matsubara frequencies of a nonlinear gap solve. The compressed nodes do
#: not remove the O(N) part: the result (Δ, Z at every frequency), its full-grid residual check
#: and any polish cost a few FFTs of length 4N per layer each; beyond it the temperature is
#: refused (README "Limits").
MAX_GAP_MATSUBARA = 200_000


@dataclass(frozen=True, eq=False)
class GapResult:
    """Self-consistent solution at one temperature.

    Attributes
    ----------
    temperature_K : float
    omega_n_meV : ndarray, shape (N,)
        Fermionic Matsubara frequencies ω_n [meV], n = 0 … N−1 (ω_n < ω_c).
    delta_meV : ndarray, shape (L, N)
        Δ_j(iω_n) [meV] per layer (L = 1 for one superconductor).
    z : ndarray, shape (L, N)
        Renormalization Z_j(iω_n) (dimensionless).
    z_normal : ndarray, shape (L, N)
        Normal-state Z at the same temperature (for the Bardeen–Stephen free energy).
    iterations, residual, tol : convergence data.
    superconducting : bool
        False when the iteration collapsed to Δ = 0 (T ≥ Tc).
    labels : tuple of str
        Names of the layers or bands (may be empty).
    component : str
        "layer" (single superconductor or stack) or "band" (coupled bands).
    mustar_matrix_at_cutoff : tuple, optional
        μ*_ij(ω_c) of coupled bands.
    dos_weights : tuple, optional
        Band densities of states N_i (ratios) of coupled bands, used to weight the total
        quasiparticle DOS.
    grid : str
        Where the equations were solved: "compressed" (on ``n_nodes`` Nyström nodes, then
        interpolated to all N frequencies and checked there) or "full" (docs/eliashberg.md §2.3).
    n_nodes : int
        Nodes of the solve (= N on the full grid).
    polish_iterations : int
        Full-grid iterations after the compressed solve, not counting the one evaluation that
        checks it (0: the interpolated node solution met ``tol`` on the full grid as it was).
    interpolation_residual : float or None
        Full-grid relative residual of the interpolated node solution before any polish
        (None on the full grid): the accuracy of the compressed solve itself.
    """

    temperature_K: float
    omega_n_meV: np.ndarray
    delta_meV: np.ndarray
    z: np.ndarray
    z_normal: np.ndarray
    iterations: int
    residual: float
    tol: float
    cutoff_meV: float
    mustar_at_cutoff: tuple
    superconducting: bool
    start: str = "cold"
    notes: tuple = field(default_factory=tuple)
    labels: tuple = ()
    component: str = "layer"
    mustar_matrix_at_cutoff: tuple | None = None
    dos_weights: tuple | None = None
    grid: str = "full"
    n_nodes: int = 0
    polish_iterations: int = 0
    interpolation_residual: float | None = None

    @property
    def n_matsubara(self) -> int:
        return int(self.omega_n_meV.size)

    @property
    def components(self) -> int:
        """Number of layers or bands (rows of ``delta_meV``)."""
        return int(self.delta_meV.shape[0])

    @property
    def delta_n_meV(self) -> np.ndarray:
        """Δ(iω_n) [meV] of a single superconductor, shape (N,).

        ``delta_meV`` always has shape (L, N), also for one band (L = 1); this accessor is the
        one-band view. Raises ValueError for a stack or several bands (use ``delta_meV[j]``)."""
        if self.components != 1:
            raise ValueError(f"delta_n_meV is the single-band gap; this result has "
                             f"{self.components} {self.component}s: use delta_meV[j]")
        return self.delta_meV[0]

    @property
    def z_n(self) -> np.ndarray:
        """Z(iω_n) of a single superconductor, shape (N,) (see :attr:`delta_n_meV`)."""
        if self.components != 1:
            raise ValueError(f"z_n is the single-band Z; this result has {self.components} "
                             f"{self.component}s: use z[j]")
        return self.z[0]

    def to_xarray(self, *, tc_K: float | None = None, real_axis: str | None = None,
                  spectrum=None, omega_meV=None, n_pade: int | None = None, parameters=None):
        """This solution as an :class:`xarray.Dataset` (one temperature; layout in
        :mod:`tcpredict.eliashberg.gapdata`), with the real axis when ``real_axis`` is "pade"
        or "msc" (MSC needs ``spectrum``). A sweep: :func:`~tcpredict.eliashberg.gapdata.sweep_dataset`."""
        from tcpredict.eliashberg.gapdata import sweep_dataset

        return sweep_dataset([self], tc_K=tc_K, real_axis=real_axis, spectrum=spectrum,
                             omega_meV=omega_meV, n_pade=n_pade, parameters=parameters)

    @property
    def delta0_matsubara_meV(self) -> np.ndarray:
        """Δ_j(iω_0) [meV] per layer."""
        return self.delta_meV[:, 0]

    def to_dict(self) -> dict:
        return {
            "temperature_K": self.temperature_K,
            "n_matsubara": self.n_matsubara,
            "delta_iw0_meV": [float(x) for x in self.delta_meV[:, 0]],
            "z_iw0": [float(x) for x in self.z[:, 0]],
            "iterations": self.iterations,
            "residual": self.residual,
            "tol": self.tol,
            "superconducting": self.superconducting,
            "start": self.start,
            "grid": self.grid,
            "n_nodes": self.n_nodes or self.n_matsubara,
        }

    def to_dataframe(self):
        """Long table: one row per component (layer or band) and Matsubara frequency, columns
        ``component`` (label or index), ``n``, ``omega_n_meV``, ``delta_meV``, ``z`` with
        ``temperature_K``; ``attrs`` holds ``tcpredict_version`` and the convergence data."""
        import pandas as pd

        from tcpredict.provenance import version

        L, N = self.delta_meV.shape
        labels = list(self.labels) if len(self.labels) == L else list(range(L))
        df = pd.DataFrame({
            "temperature_K": self.temperature_K,
            self.component: np.repeat(labels, N),
            "n": np.tile(np.arange(N), L),
            "omega_n_meV": np.tile(self.omega_n_meV, L),
            "delta_meV": self.delta_meV.ravel(), "z": self.z.ravel()})
        df.attrs.update(tcpredict_version=version(), iterations=self.iterations,
                        residual=self.residual, superconducting=self.superconducting)
        return df


def bcs_gap_guess_meV(tc_K: float, temperature_K: float) -> float:
    """BCS-like interpolation Δ(T) ≈ 1.764 k_BTc tanh(1.74 √(Tc/T − 1)) [meV] (start value only;
    Mühlschlegel's BCS curve within a few per cent)."""
    if temperature_K >= tc_K:
        return 0.0
    return 1.764 * K_B_MEV_PER_K * tc_K * np.tanh(1.74 * np.sqrt(tc_K / temperature_K - 1.0))


class _Anderson:
    """Anderson (type-II / Pulay) mixing for x = G(x)."""

    def __init__(self, beta: float = 0.5, history: int = 6):
        self.beta, self.m = beta, history
        self.xs: list[np.ndarray] = []
        self.fs: list[np.ndarray] = []

    def step(self, x: np.ndarray, f: np.ndarray) -> np.ndarray:
        self.xs.append(x.copy())
        self.fs.append(f.copy())
        if len(self.xs) > self.m + 1:
            self.xs.pop(0)
            self.fs.pop(0)
        if len(self.xs) == 1:
            return x + self.beta * f
        dX = np.array([self.xs[i + 1] - self.xs[i] for i in range(len(self.xs) - 1)]).T
        dF = np.array([self.fs[i + 1] - self.fs[i] for i in range(len(self.fs) - 1)]).T
        gamma, *_ = np.linalg.lstsq(dF, f, rcond=1e-12)
        return x + self.beta * f - (dX + self.beta * dF) @ gamma


def _regrid_delta(delta: np.ndarray, w_old: np.ndarray, w_new: np.ndarray) -> np.ndarray:
    """Interpolate Δ(iω) in ω onto a new grid (constant extrapolation)."""
    return np.vstack([np.interp(w_new, w_old, row) for row in np.atleast_2d(delta)])


def _projected_amplitude_start(G, shape: np.ndarray, amp_guess: float) -> np.ndarray:
    """Start vector a·u for the gap iteration: the shape u (the linearized pairing eigenvector
    for a cold start, the previous temperature's Δ for a warm one) with the amplitude a solving
    the one-dimensional projected equation ⟨u, G(a u)⟩ = a⟨u, u⟩ (Brent). Near Tc the cold
    start is exact to O(Tc − T); in all cases it keeps the accelerated iteration away from the
    trivial fixed point Δ = 0."""
    u = np.array(shape, dtype=float)
    u = u / np.abs(u).max()
    if u.reshape(-1)[0] < 0:
        u = -u
    uu = float(np.sum(u * u))

    def g(loga):
        a = np.exp(loga)
        return float(np.sum(u * G(a * u)[0])) / (a * uu) - 1.0

    lo, hi = np.log(amp_guess * 1e-3), np.log(amp_guess * 10.0)
    for _ in range(20):  # widen until the projected equation changes sign
        glo, ghi = g(lo), g(hi)
        if glo > 0 > ghi:
            return np.exp(sopt.brentq(g, lo, hi, xtol=1e-6)) * u
        lo, hi = (lo - 3.0 if glo <= 0 else lo), (hi + 3.0 if ghi >= 0 else hi)
    return amp_guess * u


def _anderson_solve(G, x: np.ndarray, tol: float, maxiter: int, deflate: bool = False):
    """Safeguarded Anderson-accelerated fixed-point iteration x = G(x)[0] from x.

    Returns (x, relative residual max|G(x) − x|/max|G(x)|, iterations). Δ = 0 is also a fixed
    point and an unguarded Anderson (secant) step can be drawn to it. Safeguard: an accelerated
    step is accepted only if it lowers the residual and does not collapse the amplitude;
    otherwise it is replaced by the plain step G(x_prev) (stable below Tc) and the history is
    restarted. With ``deflate`` the mixed residual is f·a₀/max|x|, which does not vanish as
    Δ → 0 (deflation: Farrell, Birkisson & Funke, SIAM J. Sci. Comput. 37, A2026 (2015)).
    """
    shape = x.shape
    mixer = _Anderson()
    a0 = max(float(np.abs(x).max()), 1e-300)
    prev = None  # (residual, amplitude, G(x_prev)) of the last accepted point
    accelerated = False
    res = np.inf
    it = 0
    for it in range(1, maxiter + 1):
        new, _ = G(x)
        f = new - x
        amp = max(float(np.abs(new).max()), 1e-300)
        res = float(np.abs(f).max() / amp)
        if res < tol:
            return new, res, it
        if accelerated and prev is not None and (res > prev[0] or amp < 0.5 * prev[1]):
            mixer = _Anderson()  # reject the accelerated step: plain step from the last point
            x, accelerated = prev[2], False
            continue
        prev = (res, amp, new)
        fm = f * (a0 / max(float(np.abs(x).max()), 1e-300)) if deflate else f
        x = mixer.step(x.reshape(-1), fm.reshape(-1)).reshape(shape)
        accelerated = len(mixer.xs) > 1
        log.debug("gap iteration %d: relative residual %.3e, max|Δ| %.3e meV", it, res, amp)
    return x, res, it


def _newton_krylov_polish(G, x: np.ndarray, tol: float):
    """Newton–Krylov (``scipy.optimize.newton_krylov``, LGMRES inner solves) on G(x) − x = 0.

    Returns (x, relative residual, nonlinear iterations)."""
    shape = x.shape
    count = {"n": 0}

    def F(v):
        count["n"] += 1
        return G(v.reshape(shape))[0].reshape(-1) - v

    try:
        sol = sopt.newton_krylov(F, x.reshape(-1), f_tol=0.1 * tol * float(np.abs(x).max()),
                                 maxiter=60, method="lgmres")
    except sopt.NoConvergence as exc:
        sol = np.asarray(exc.args[0]) if exc.args else x.reshape(-1)
    xs = sol.reshape(shape)
    new, _ = G(xs)
    res = float(np.abs(new - xs).max() / max(float(np.abs(new).max()), 1e-300))
    return new, res, count["n"]


#: With the default ``grid=None`` the nodes are used only when N ≥ NODE_MIN_RATIO × nodes: below
#: that the kernel matrices on the node pairs (nodes² kernel values per layer) cost more than
#: the whole full-grid solve for a tabulated α²F (measured: Al α²F at N = 815 on 124 nodes,
#: compressed 0.024 s, full 0.021 s; at N = 4890 on 132 nodes 0.043 s against 0.088 s).
NODE_MIN_RATIO = 8

#: Smallest ρ − 1 of the node eigenvalue for which the nodes solve the gap; closer to Tc the
#: full grid decides (the nodes' ρ differs from the full grid's by ~1e-5, and Δ → 0 there).
NODE_RHO_MARGIN = 1e-3


def _gap_grid(problem: LinearizedOperator, grid):
    """The CompressedGrid the nonlinear solve uses, or None for the full grid.

    ``grid=None`` (default): compressed unless the problem needs the full grid (an
    energy-dependent DOS or the smooth cutoff); "compressed" for such a problem is refused."""
    if grid is None:
        if problem.normal_state_fn is not None or problem.smooth_cutoff:
            return None
        g = problem.grid
        return g if isinstance(g, CompressedGrid) else CompressedGrid()
    g = _grid_strategy(grid)
    if isinstance(g, FullGrid):
        return None
    if problem.normal_state_fn is not None or problem.smooth_cutoff:
        raise ValueError("grid='compressed' cannot solve a problem with an energy-dependent DOS "
                         "or the smooth cutoff: use grid='full'")
    return g


def _full_map(problem: LinearizedOperator, st: dict, wn: np.ndarray):
    """The right-hand sides of the gap equations on the full grid (FFT Toeplitz + Hankel
    products, O(L N log N)): ``G(Δ) -> (new Δ, Z)``, shape (L, N)."""
    t = st["t"]
    zw_normal = st["zw"]  # includes Γ totals
    mu = st["mustar"][:, None]
    coupled = bool(getattr(problem, "off_diagonal", False))

    def G(delta: np.ndarray):
        R = np.sqrt(wn ** 2 + delta ** 2)
        # Z: exact normal-state part + decaying correction (odd folding → Hankel with minus sign)
        g = wn / R - 1.0
        nd = delta / R
        ndc = nd * st["cell"]  # cutoff weights (all 1 for the sharp cutoff)
        if coupled:  # bands: Z_i and φ_i sum over every band j (docs/multiband.md §1)
            zw = zw_normal + np.pi * t * problem.kernel_matvec(st, g, -1.0)
            rhs = np.pi * t * (problem.kernel_matvec(st, ndc, 1.0)
                               - 2.0 * problem.coulomb(st, ndc))
        else:
            zw = zw_normal + np.pi * t * st["th"].matvec(g, -1.0)
            rhs = np.pi * t * (st["th"].matvec(ndc, 1.0)
                               - 2.0 * mu * ndc.sum(axis=1, keepdims=True))
        return close_equations(zw, rhs, wn, R, problem.gamma_fwd, problem.gamma_bwd)

    return G


def _two_grid_polish(G, nodes: NodeSystem, x: np.ndarray, tol: float, maxiter: int):
    r"""Solve x = G(x) on the full grid from x with the nodes as the coarse grid.

    Full-approximation two-grid cycle (A. Brandt, Math. Comp. 31, 333 (1977), FAS) with the
    restriction R (linear in the index, :meth:`NodeSystem.restrict`) and the prolongation P
    (:meth:`NodeSystem.to_full`): with g = G(x), solve on the nodes y = G_n(y) + τ,
    τ = R g − G_n(R x) (Anderson from y = R x; τ makes the node equations reproduce the full
    ones at R x), and set x ← g + P(y − R g). The step G smooths what the nodes cannot
    represent (the interpolation error: J = ∂G/∂Δ is an integral operator), the node solve
    corrects the smooth error, so x* is a fixed point and the error contracts by about the
    node discretisation error per cycle (1e-2 … 1e-3 measured), one full-grid evaluation each.

    Returns (g of the last x, its relative residual max|g − x|/max|g|, full-grid evaluations,
    the residual of the first x). Stops when the residual is below ``tol``, after ``maxiter``
    evaluations, or when a cycle does not halve the residual (the caller then continues with
    plain Anderson).
    """
    it = 0
    res_prev = res = np.inf
    res_first = None
    gx = x
    while it < maxiter:
        gx, _ = G(x)
        it += 1
        amp = max(float(np.abs(gx).max()), 1e-300)
        res = float(np.abs(gx - x).max() / amp)
        if res_first is None:
            res_first = res
        if res < tol or res > 0.5 * res_prev:
            break
        res_prev = res
        xr = nodes.restrict(x)
        tau = nodes.restrict(gx) - nodes.gap_map(xr)[0]
        y, _, _ = _anderson_solve(lambda v: (nodes.gap_map(v)[0] + tau, None), xr,
                                  max(min(1e-3 * res, 0.1 * tol), 1e-14), 200)
        x = gx + nodes.to_full(y - nodes.restrict(gx))
    return gx, res, it, res_first


def _run_starts(G, starts, tol: float, budget: int, amp_guess: float, temperature_K: float):
    """Anderson from each start in turn until one converges (module docstring).

    ``starts``: (label, shape or a function returning it, project) with ``project`` True when
    the amplitude is to be found by the projected equation. Returns (x, residual, iterations,
    label of the converged start or None)."""
    x, res, it_total = None, np.inf, 0
    for label, shape, project in starts:
        if callable(shape):
            shape = shape()
        x0 = _projected_amplitude_start(G, shape, amp_guess) if project else shape
        cap = budget if label == "cold-deflated" else min(budget, 400)
        x, res, its = _anderson_solve(G, x0, tol, cap, deflate=label == "cold-deflated")
        it_total += its
        budget -= its
        if res < tol:
            return x, res, it_total, label
        if label == "cold-deflated" and res < 1e-2:
            # stiff case (e.g. Γ ≫ phonon energies): Anderson stagnates on the slow pairing
            # mode; finish with Newton–Krylov (scipy), quadratically convergent from here.
            x, res, its = _newton_krylov_polish(G, x, tol)
            it_total += its
            if res < tol:
                return x, res, it_total, "newton-krylov"
        log.info("gap: %s start did not converge at T = %g K (residual %.2e); retrying",
                 label, temperature_K, res)
    return x, res, it_total, None


def solve_gap_stack(problem: LinearizedOperator, temperature_K: float, delta_start_meV,
                    *, omega_start_meV=None, tol: float = 1e-10, maxiter: int = 2000,
                    start: str = "cold", grid=None) -> GapResult:
    """Nonlinear Eliashberg equations of a stack (or one layer) at T [K].

    Parameters
    ----------
    problem : LinearizedOperator
        Layers, μ*(ω_c), cutoff and couplings (the same object the Tc solver uses). With
        coupled bands (off-diagonal λ_ij, μ* matrix) Z_i and φ_i sum over every band j
        (docs/multiband.md §1).
    delta_start_meV : float or ndarray
        Start value: a constant per layer (float or shape (L,)), or a previous solution of shape
        (L, N_old) on the frequencies ``omega_start_meV`` (warm start; regridded in ω).
    tol : float
        Stop when max|ΔΔ| / max|Δ| < tol. On the compressed grid this is also the bound on the
        full-grid residual of the result (otherwise the full grid polishes it).
    grid : None, "compressed", "full", CompressedGrid or FullGrid
        Where the equations are solved (docs/eliashberg.md §2.3). Default None: on the
        compressed nodes (the problem's own CompressedGrid if it has one, else the defaults)
        when N ≥ :data:`NODE_MIN_RATIO` × nodes and the problem allows it (no energy-dependent
        DOS, no smooth cutoff), else on the full grid; "compressed" (or a CompressedGrid) uses
        the nodes whenever they are fewer than N. Near Tc the full grid decides (module
        docstring). The result is always on the full grid and meets ``tol`` there.

    Raises
    ------
    ValueError
        When the temperature needs more than :data:`MAX_GAP_MATSUBARA` Matsubara frequencies
        (refused before allocating: the result, its residual check and any polish live on the
        full grid).
    """
    n_need = problem.n_matsubara(temperature_K)
    if n_need > MAX_GAP_MATSUBARA:
        t_low = problem.cutoff_meV / (np.pi * K_B_MEV_PER_K * (2 * MAX_GAP_MATSUBARA + 1))
        raise ValueError(
            f"temperature {temperature_K:g} K needs {n_need} Matsubara frequencies below the "
            f"cutoff {problem.cutoff_meV:g} meV; the gap solver's limit is {MAX_GAP_MATSUBARA} "
            f"(T ≥ {t_low:.3g} K at this cutoff; README \"Limits\")")
    strategy = _gap_grid(problem, grid)
    st = problem.setup(temperature_K)
    n, L = st["n"], problem.layers
    wn = fermion_frequencies_meV(temperature_K, n)
    zw_normal = st["zw"]  # includes Γ totals
    mustar = tuple(float(m) for m in st["mustar"])
    G = _full_map(problem, st, wn)
    coupled = bool(getattr(problem, "off_diagonal", False))
    ds = np.asarray(delta_start_meV, dtype=float)
    amp_guess = max(float(np.abs(ds).max()), 1e-12)
    warm = omega_start_meV is not None
    budget = maxiter
    it_total = 0
    notes: list[str] = []
    info = {"grid": "full", "n_nodes": n, "polish_iterations": 0,
            "interpolation_residual": None}
    x = used = None
    res = np.inf

    nodes = None
    if strategy is not None:
        try:
            rule = node_rule(problem, temperature_K, strategy)
        except ValueError:  # more nodes than MAX_COMPRESSED_SIZE allows
            if grid is not None:
                raise
            rule = None  # the default falls back to the full grid
        if rule is not None and rule[0].size < n and (
                grid is not None or n >= NODE_MIN_RATIO * rule[0].size):
            nodes = NodeSystem(problem, temperature_K, strategy, rule)
    if nodes is not None:
        rho_c, shape_c = nodes.linearized()
        if rho_c > 1.0 + NODE_RHO_MARGIN:
            node_starts = []
            if warm:
                node_starts.append(("warm", nodes.from_grid(ds.reshape(L, -1),
                                                            omega_start_meV), True))
            node_starts += [("cold", shape_c, True), ("cold-deflated", shape_c, True)]
            Gn = nodes.gap_map
            xn, res_n, its, label = _run_starts(Gn, node_starts, min(tol, 1e-10), budget,
                                                amp_guess, temperature_K)
            it_total += its
            budget -= its
            if label is not None and not np.abs(xn).max() > 1e-8 * nodes.w[0]:
                # ρ > 1 on the nodes, so Δ = 0 is not the solution sought: let the full grid decide
                notes.append("the compressed-node iteration collapsed to Δ = 0; solved on the "
                             "full grid")
                label = None
                res_n = np.nan
            if label is not None:
                # to every Matsubara frequency; check (and if need be polish) on the full grid
                xp, res_p, its_p, res0 = _two_grid_polish(G, nodes, nodes.to_full(xn), tol,
                                                          max(min(budget, 50), 1))
                if res_p >= tol:  # the two-grid cycles stalled: plain Anderson from there
                    xp, res_p, its_a = _anderson_solve(G, xp, tol,
                                                       max(min(budget - its_p, 400), 0))
                    its_p += its_a
                it_total += its_p
                budget -= its_p
                if res_p < tol:
                    x, res, used = xp, res_p, label
                    info.update(grid="compressed", n_nodes=nodes.n_nodes,
                                polish_iterations=its_p - 1, interpolation_residual=res0)
                else:
                    notes.append(f"the full-grid polish of the compressed solution did not "
                                 f"converge (residual {res_p:.2e}); solved on the full grid")
            elif np.isfinite(res_n):
                notes.append(f"the compressed-node iteration did not converge (residual "
                             f"{res_n:.2e}); solved on the full grid")
    if x is None:  # the full grid: near Tc, small N, by request or as a fallback
        eig = {}

        def linearized():
            if "rho" not in eig:
                rho, vec, _ = problem.eigen(temperature_K, setup=st)
                # ψ = √w φ, φ = ZΔ (w = 0 only for an empty cutoff cell)
                sw = np.sqrt(st["w"])
                if coupled:  # ψ = √(s w) φ for coupled bands (operator docstring: S = P K P⁻¹)
                    sw = sw * np.sqrt(problem.weights)[:, None]
                eig["rho"] = rho
                eig["shape"] = (np.where(sw > 0, vec / np.where(sw > 0, sw, 1.0), 0.0)
                                / (zw_normal / wn))
            return eig["shape"]

        linearized()
        if eig["rho"] <= 1.0:  # T ≥ Tc: Δ = 0 is the only solution from the normal state
            zn = zw_normal / wn
            return GapResult(temperature_K, wn, np.zeros((L, n)), zn, zn, 0, 0.0, tol,
                             problem.cutoff_meV, mustar, False, start,
                             tuple(notes) + (f"linearized pairing eigenvalue ρ = "
                                             f"{eig['rho']:.6g} ≤ 1: normal state",),
                             n_nodes=n)
        starts = []
        if warm:  # the previous solution's shape, regridded in ω
            starts.append(("warm", _regrid_delta(ds.reshape(L, -1),
                                                 np.asarray(omega_start_meV), wn), True))
        starts += [("cold", linearized, True), ("cold-deflated", linearized, True)]
        x, res, its, used = _run_starts(G, starts, tol, budget, amp_guess, temperature_K)
        it_total += its
        if used is None:
            raise ConvergenceError(
                f"gap equations did not converge at T = {temperature_K:g} K: relative residual "
                f"{res:.2e} after {it_total} iterations (tol {tol:g})")
    start = start if used == "warm" else (used if start == "cold" else f"warm→{used}")
    _, z = G(x)
    sc = bool(np.abs(x).max() > 1e-8 * max(1e-300, float(np.abs(wn[0]))))
    if sc and x[0, 0] < 0:  # gauge: Δ(iω_0) > 0
        x = -x
    if not sc:
        x = np.zeros_like(x)
    return GapResult(temperature_K, wn, x, z, zw_normal / wn, it_total, res, tol,
                     problem.cutoff_meV, mustar, sc, start, tuple(notes),
                     grid=info["grid"], n_nodes=int(info["n_nodes"]),
                     polish_iterations=int(info["polish_iterations"]),
                     interpolation_residual=info["interpolation_residual"])


def solve_gap(spectrum: Alpha2F, mustar: float, temperature_K: float, *,
              mustar_at_meV: float | None = None, cutoff_meV: float | None = None,
              tc_K: float | None = None, start: GapResult | None = None,
              tol: float = 1e-10, maxiter: int = 2000, grid=None) -> GapResult:
    """Δ(iω_n) [meV] and Z(iω_n) of one superconductor at ``temperature_K`` [K].

    μ* (defined at ``mustar_at_meV``, default Ω_max) is rescaled to the cutoff (default
    10 Ω_max) as in :func:`tcpredict.eliashberg.tc.solve_tc`. A cold start uses a BCS-like
    amplitude from ``tc_K`` (computed if not given); ``start`` warm-starts from a previous
    solution. Both converge to the same solution within ``tol``. ``grid`` as in
    :func:`solve_gap_stack` (default: the compressed nodes where N > 128, checked and if need be
    polished on the full grid; "full" for the full grid throughout).
    """
    check_temperature(temperature_K, "temperature_K")
    cs = resolve_coupling(spectrum, mustar, mustar_at_meV, cutoff_meV)
    prob = LinearizedOperator([spectrum], [cs.mustar_at_cutoff], cs.cutoff_meV)
    if start is not None:
        return solve_gap_stack(prob, temperature_K, start.delta_meV,
                               omega_start_meV=start.omega_n_meV, tol=tol, maxiter=maxiter,
                               start="warm", grid=grid)
    if tc_K is None:
        tc_K = solve_tc(spectrum, mustar, mustar_at_meV=mustar_at_meV,
                        cutoff_meV=cutoff_meV, grid="full", sensitivity=False).tc_K or 0.0
    d0 = max(bcs_gap_guess_meV(tc_K, temperature_K), 1.764 * K_B_MEV_PER_K * tc_K * 0.3, 1e-6)
    return solve_gap_stack(prob, temperature_K, d0, tol=tol, maxiter=maxiter, start="cold",
                           grid=grid)


def gap_sweep(spectrum: Alpha2F, mustar: float, temperatures_K, *,
              mustar_at_meV: float | None = None, cutoff_meV: float | None = None,
              tc_K: float | None = None, tol: float = 1e-10,
              progress=None, grid=None) -> list[GapResult]:
    """Solve the gap at each temperature, sweeping downward and warm-starting each point from
    the previous solution. Results are returned in the order of ``temperatures_K``.
    ``progress(done, total)`` (optional) is called after each temperature; ``grid`` as in
    :func:`solve_gap_stack`."""
    temps = check_temperatures(temperatures_K)
    if tc_K is None:
        tc_K = solve_tc(spectrum, mustar, mustar_at_meV=mustar_at_meV,
                        cutoff_meV=cutoff_meV, grid="full", sensitivity=False).tc_K or 0.0

    def at(T, warm):
        if warm is None:
            return solve_gap(spectrum, mustar, T, mustar_at_meV=mustar_at_meV,
                             cutoff_meV=cutoff_meV, tc_K=tc_K, tol=tol, grid=grid)
        return solve_gap(spectrum, mustar, T, mustar_at_meV=mustar_at_meV,
                         cutoff_meV=cutoff_meV, start=warm, tol=tol, grid=grid)

    return sweep_downward(temps, at, progress)


def sweep_downward(temperatures_K, solve_at, progress=None) -> list:
    """Solve at every temperature from the highest down, each from the previous solution.

    ``solve_at(T, warm)`` gets ``warm`` = the result at the next higher temperature when that
    one is superconducting, else None (a cold start). Results come back in the order of
    ``temperatures_K``; ``progress(done, total)`` is called after each temperature. The one
    sweep of :func:`gap_sweep`, the multiband and the stack gap sweeps."""
    temps = np.asarray(temperatures_K, dtype=float).reshape(-1)
    out: dict[int, object] = {}
    prev = None
    for i in np.argsort(-temps):
        r = solve_at(float(temps[i]), prev if prev is not None and prev.superconducting
                     else None)
        out[int(i)] = prev = r
        if progress is not None:
            progress(len(out), temps.size)
    return [out[i] for i in range(temps.size)]
