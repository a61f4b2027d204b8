r"""Nonlinear isotropic Eliashberg equations below Tc: Δ(iω_n), Z(iω_n).

Equations (eliashberg.md §2; proximity terms of proximity.md §1 for stacks), n ≥ 0:

.. math::

    ω_n Z_j(n) &= ω_n + πk_BT \sum_{m∈ℤ} λ_j(ω_n−ω_m)\, \frac{ω_m}{R_j(m)}
                 + \sum_{k} Γ_{j←k} \frac{ω_n}{R_k(n)},\\
    Z_j(n)Δ_j(n) &= πk_BT \sum_{|ω_m|<ω_c} [λ_j(ω_n−ω_m) − μ^*_j]\, \frac{Δ_j(m)}{R_j(m)}
                 + \sum_k Γ_{j←k} \frac{Δ_k(n)}{R_k(n)}, \qquad R = \sqrt{ω_m^2+Δ_m^2}.

The Z sum is split into the exact normal-state value (telescoped, no truncation error) plus a
rapidly decaying correction Σ_m λ(n−m)[ω_m/R_m − sgn ω_m] = O(Δ²/ω²), summed on the grid.
Solved by Anderson-accelerated fixed-point iteration on Δ (history 6, mixing 0.5) to
max|Δ_new − Δ|/max|Δ| < tol; the gauge is fixed by Δ(iω_0) > 0 in the first layer.
Non-convergence raises :class:`~tcpredict.eliashberg.ConvergenceError` with the residual.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from tcpredict.eliashberg import ConvergenceError, LinearizedStack, resolve_coupling, solve_tc
from tcpredict.matsubara import fermion_frequencies_meV
from tcpredict.spectra import Alpha2F
from tcpredict.units import K_B_MEV_PER_K

log = logging.getLogger(__name__)

__all__ = ["GapResult", "solve_gap", "solve_gap_stack", "gap_sweep", "bcs_gap_guess_meV"]


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

    @property
    def n_matsubara(self) -> int:
        return int(self.omega_n_meV.size)

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
        }


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


def solve_gap_stack(problem: LinearizedStack, temperature_K: float, delta_start_meV,
                    *, omega_start_meV=None, tol: float = 1e-10, maxiter: int = 2000,
                    start: str = "cold") -> GapResult:
    """Nonlinear Eliashberg equations of a stack (or one layer) at T [K].

    Parameters
    ----------
    problem : LinearizedStack
        Layers, μ*(ω_c), cutoff and couplings (the same object the Tc solver uses).
    delta_start_meV : float or ndarray
        Start value: a constant per layer (float or shape (L,)), or a previous solution of shape
        (L, N_old) on the frequencies ``omega_start_meV`` (warm start; regridded in ω).
    tol : float
        Stop when max|ΔΔ| / max|Δ| < tol.
    """
    st = problem.setup(temperature_K)
    n, L, t = st["n"], problem.layers, st["t"]
    wn = fermion_frequencies_meV(temperature_K, n)
    zw_normal = st["zw"]  # includes Γ totals
    rho, _, _ = problem.eigen(temperature_K)
    if rho <= 1.0:  # T ≥ Tc: Δ = 0 is the only solution branching from the normal state
        zn = zw_normal / wn
        return GapResult(temperature_K, wn, np.zeros((L, n)), zn, zn, 0, 0.0, tol,
                         problem.cutoff_meV, tuple(float(m) for m in st["mustar"]), False, start,
                         (f"linearized pairing eigenvalue ρ = {rho:.6g} ≤ 1: normal state",))
    gam_f, gam_b = problem.gamma_fwd, problem.gamma_bwd
    mu = st["mustar"][:, None]

    ds = np.asarray(delta_start_meV, dtype=float)
    if omega_start_meV is not None:
        x = _regrid_delta(ds.reshape(L, -1), np.asarray(omega_start_meV), wn)
    else:
        base = np.broadcast_to(ds.reshape(-1, 1), (L, 1)).astype(float)
        # a smooth start: constant at low ω, decaying like the phonon kernel beyond
        om = np.array([sp.omega_log_meV for sp in problem.spectra])[:, None]
        x = base * om ** 2 / (om ** 2 + wn[None, :] ** 2)
    x = np.array(x, dtype=float)

    def G(delta: np.ndarray):
        R = np.sqrt(wn ** 2 + delta ** 2)
        # Z: exact normal-state part + decaying correction (odd folding → Hankel with minus sign)
        g = wn / R - 1.0
        zw = zw_normal + np.pi * t * st["th"].matvec(g, -1.0)
        nd = delta / R
        rhs = np.pi * t * (st["th"].matvec(nd, 1.0) - 2.0 * mu * nd.sum(axis=1, keepdims=True))
        nz = wn / R
        if L > 1:
            # proximity: Γ_{j←k}(ω_n/R_k − 1) in ω Z (the "1" is in zw_normal), Γ_{j←k} Δ_k/R_k in φ
            zw = zw.copy()
            zw[:-1] += gam_f[:, None] * (nz[1:] - 1.0)
            zw[1:] += gam_b[:, None] * (nz[:-1] - 1.0)
            rhs[:-1] += gam_f[:, None] * nd[1:]
            rhs[1:] += gam_b[:, None] * nd[:-1]
        z = zw / wn
        return rhs / z, z

    mixer = _Anderson()
    res = np.inf
    best = np.inf
    a0 = max(float(np.abs(x).max()), 1e-12)
    for it in range(1, maxiter + 1):
        new, z = G(x)
        f = new - x
        scale = max(np.abs(new).max(), 1e-300)
        res = float(np.abs(f).max() / scale)
        if res < tol:
            x = new
            break
        # Δ = 0 is also a fixed point, and Anderson (a secant method) can be drawn to it. Deflate
        # it: mix the residual f·a0/max|Δ|, which does not vanish as Δ → 0 (Farrell, Birkisson &
        # Funke, SIAM J. Sci. Comput. 37, A2026 (2015)). Safeguard: on a residual far above the
        # best seen, or a collapsing amplitude, restart the history with a plain step.
        amp = max(float(np.abs(x).max()), 1e-300)
        prop = mixer.step(x.reshape(-1), (f * (a0 / amp)).reshape(-1)).reshape(L, n)
        if res > 100.0 * best or np.abs(prop).max() < 0.3 * scale:
            mixer = _Anderson()
            prop = new
        best = min(best, res)
        log.debug("gap iteration %d: relative residual %.3e, max|Δ| %.3e meV", it, res, scale)
        x = prop
    else:
        raise ConvergenceError(
            f"gap equations did not converge at T = {temperature_K:g} K: relative residual "
            f"{res:.2e} after {maxiter} iterations (tol {tol:g})")
    _, z = G(x)
    sc = bool(np.abs(x).max() > 1e-8 * max(1e-300, float(np.abs(wn[0]))))
    if sc and x[0, 0] < 0:  # gauge: Δ(iω_0) > 0
        x = -x
    if not sc:
        x = np.zeros_like(x)
    return GapResult(temperature_K, wn, x, z, zw_normal / wn, it, res, tol,
                     problem.cutoff_meV, tuple(float(m) for m in st["mustar"]), sc, start)


def solve_gap(spectrum: Alpha2F, mustar: float, temperature_K: float, *,
              mustar_at_meV: float | None = None, cutoff_meV: float | None = None,
              tc_K: float | None = None, start: GapResult | None = None,
              tol: float = 1e-10, maxiter: int = 2000) -> GapResult:
    """Δ(iω_n) [meV] and Z(iω_n) of one superconductor at ``temperature_K`` [K].

    μ* (defined at ``mustar_at_meV``, default Ω_max) is rescaled to the cutoff (default
    10 Ω_max) as in :func:`tcpredict.eliashberg.solve_tc`. A cold start uses a BCS-like
    amplitude from ``tc_K`` (computed if not given); ``start`` warm-starts from a previous
    solution. Both converge to the same solution within ``tol``.
    """
    if not np.isfinite(temperature_K) or temperature_K <= 0:
        raise ValueError(f"temperature must be > 0 K, got {temperature_K}")
    cs = resolve_coupling(spectrum, mustar, mustar_at_meV, cutoff_meV)
    prob = LinearizedStack([spectrum], [cs.mustar_at_cutoff], cs.cutoff_meV)
    if start is not None:
        return solve_gap_stack(prob, temperature_K, start.delta_meV,
                               omega_start_meV=start.omega_n_meV, tol=tol, maxiter=maxiter,
                               start="warm")
    if tc_K is None:
        tc_K = solve_tc(spectrum, mustar, mustar_at_meV=mustar_at_meV,
                        cutoff_meV=cutoff_meV).tc_K or 0.0
    d0 = max(bcs_gap_guess_meV(tc_K, temperature_K), 1.764 * K_B_MEV_PER_K * tc_K * 0.3, 1e-6)
    return solve_gap_stack(prob, temperature_K, d0, tol=tol, maxiter=maxiter, start="cold")


def gap_sweep(spectrum: Alpha2F, mustar: float, temperatures_K, *,
              mustar_at_meV: float | None = None, cutoff_meV: float | None = None,
              tc_K: float | None = None, tol: float = 1e-10) -> list[GapResult]:
    """Solve the gap at each temperature, sweeping downward and warm-starting each point from
    the previous solution. Results are returned in the order of ``temperatures_K``."""
    temps = np.asarray(temperatures_K, dtype=float).reshape(-1)
    if np.any(temps <= 0):
        raise ValueError("temperatures must be > 0 K")
    if tc_K is None:
        tc_K = solve_tc(spectrum, mustar, mustar_at_meV=mustar_at_meV,
                        cutoff_meV=cutoff_meV).tc_K or 0.0
    order = np.argsort(-temps)
    out: dict[int, GapResult] = {}
    prev = None
    for i in order:
        T = float(temps[i])
        if prev is None or not prev.superconducting:
            r = solve_gap(spectrum, mustar, T, mustar_at_meV=mustar_at_meV,
                          cutoff_meV=cutoff_meV, tc_K=tc_K, tol=tol)
        else:
            r = solve_gap(spectrum, mustar, T, mustar_at_meV=mustar_at_meV,
                          cutoff_meV=cutoff_meV, start=prev, tol=tol)
        out[int(i)] = r
        prev = r
    return [out[i] for i in range(temps.size)]
