r"""Phase stiffness and Tc of the lattice boson–fermion model (docs/bfm_lattice.md §5).

Fermionic lattice stiffness (Scalapino, White & Zhang, Phys. Rev. B 47, 7995 (1993)),
evaluated in BCS mean field with Δ_F(T), μ(T) from :func:`tcpredict.bfm.lattice.solve_meanfield`:

.. math::

    D_s(T) = \frac2N\sum_k\Big[ε_{xx}(k)\,n_k - v_x(k)^2\Big(-\frac{∂f}{∂E}\Big)_{E_k}\Big],
    \quad n_k = \tfrac12\Big[1 - \frac{ξ_k}{E_k}\tanh\frac{βE_k}{2}\Big],
    \quad -\frac{∂f}{∂E} = \frac β4\,\mathrm{sech}^2\frac{βE}{2}.

The first (diamagnetic) term is ⟨−k_x⟩, the second the transverse paramagnetic current
response Λ^T_xx(q → 0, ω = 0); at Δ_F = 0 they cancel (gauge invariance, docs/bfm_lattice.md §9 identity 9).
Phase coupling J = D_s/4 (a pair-phase gradient is A = ∇φ/2). Tc criteria:

- ``bkt`` (2D): T_KT = (π/2) J(T_KT) (Nelson & Kosterlitz 1977), root on (0, T*);
- ``ek2d`` / ``ek3d``: T_θ = A·J(0), A = 0.9 / 2.2, Tc = min(T*, T_θ) (Emery & Kivelson,
  Nature 374, 434 (1995));
- boson hopping (static, second order in g): t_B(R) = g²P(R), J_B = |x|²Σ_R t_B(R)R_x²,
  T_KT ≈ 0.343·2t_B ≈ 0.685 t_B (spin-½ XY QMC value for hard-core bosons at n_B = ½,
  nearest neighbours) — see :func:`boson_hopping_estimate`.

**controlled_by.** Following Emery & Kivelson (1995), Tc is called *phase-controlled* when the
phase-ordering scale set by the zero-temperature stiffness, T_θ^max = A·J(0) (A = π/2 for the BKT
criterion, 0.9 or 2.2 for EK), lies below the pairing scale T*_MF, and *amplitude-controlled*
otherwise (then Tc tracks T*). The classification is reported with the ratio T_θ^max/T*.

**Caution (docs/bfm_lattice.md §5).** The mean-field T* is not a 2D transition temperature; pairing and
condensation of immobile bosons beyond mean field in 2D have been disputed (Alexandrov 1996,
cond-mat/9603111; 2004, cond-mat/0411035). 2D Tc is reported only via these stiffness criteria.
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass, field

import numpy as np

from tcpredict.bfm.lattice import (
    BandGrid,
    LatticeBFM,
    MeanFieldState,
    _check_int,
    _check_range,
    _check_temperature,
    _clean,
    _grid,
    _tanh_over_2x,
    _wsum,
    brentq,
    solve_meanfield,
    solve_t_star,
)

__all__ = [
    "TC_CRITERIA",
    "EK_PREFACTOR",
    "superfluid_stiffness",
    "StiffnessTerms",
    "stiffness_at",
    "TcResult",
    "solve_tc",
    "BosonHoppingEstimate",
    "boson_hopping_estimate",
    "PhaseDiagram",
    "phase_diagram",
    "MAX_PHASE_DIAGRAM_POINTS",
]

log = logging.getLogger(__name__)

TC_CRITERIA = ("bkt", "ek2d", "ek3d")
#: Emery–Kivelson prefactors A in T_θ = A·J(0) (docs/bfm_lattice.md §5; classical XY: 0.893 2D, 2.20 3D).
EK_PREFACTOR = {"ek2d": 0.9, "ek3d": 2.2}
#: Largest number of points of :func:`phase_diagram` (each point is one :func:`solve_tc`, ≈ 0.1–1 s
#: on the default grids; docs/bfm_lattice.md §6).
MAX_PHASE_DIAGRAM_POINTS = 1000
#: Spin-½ XY (hard-core bosons, n_B = ½) QMC: T_KT ≈ 0.343·(2 t_B) (docs/bfm_lattice.md §5).
XY_QUANTUM_TKT_OVER_2TB = 0.343


@dataclass(frozen=True)
class StiffnessTerms:
    """Diamagnetic and paramagnetic parts of D_s [D] (docs/bfm_lattice.md §5), D_s = dia − para."""

    diamagnetic_D: float
    paramagnetic_D: float

    @property
    def stiffness_D(self) -> float:
        """D_s = ⟨−k_x⟩ − Λ^T_xx [D]."""
        return self.diamagnetic_D - self.paramagnetic_D


def superfluid_stiffness(grid: BandGrid, mu_D: float, gap_D: float, temperature_D: float) -> StiffnessTerms:
    r"""Fermionic lattice stiffness D_s = ⟨−k_x⟩ − Λ^T_xx in BCS mean field (docs/bfm_lattice.md §5).

    .. math::

        D_s = \frac2N\sum_k\big[ε_{xx} n_k - v_x^2 (β/4)\,\mathrm{sech}^2(βE_k/2)\big]

    (Scalapino, White & Zhang 1993, Eq. for the superfluid weight; e = ħ = a = 1).

    Parameters
    ----------
    grid : BandGrid
        Weighted band points with direction-averaged ε_xx and v_x².
    mu_D, gap_D, temperature_D : float
        μ, Δ_F and T [D]. At T = 0 the paramagnetic term vanishes for Δ_F > 0.

    Returns
    -------
    StiffnessTerms
        Diamagnetic ⟨−k_x⟩ and paramagnetic Λ^T_xx, both [D].
    """
    xi = grid.eps_D - mu_D
    E = np.sqrt(xi * xi + gap_D * gap_D)
    T = float(temperature_D)
    nk = 0.5 - xi * _tanh_over_2x(E, T)  # ½[1 − (ξ/E) tanh(βE/2)]
    dia = 2.0 * float(_wsum(grid.weight, grid.exx_D * nk))
    if T > 0:
        y = np.minimum(E / (2.0 * T), 350.0)
        mdf = (0.25 / T) / np.cosh(y) ** 2
        para = 2.0 * float(_wsum(grid.weight, grid.vx2_D2 * mdf))
    else:
        if gap_D <= 0:
            raise ValueError("paramagnetic term at T = 0 needs gap_D > 0 (the normal state at T = 0 has a delta function)")
        para = 0.0
    return StiffnessTerms(dia, para)


def stiffness_at(model: LatticeBFM, state: MeanFieldState) -> StiffnessTerms:
    """D_s terms for a solved mean-field state (same grid as the model)."""
    return superfluid_stiffness(_grid(model), state.mu_D, state.gap_D, state.temperature_D)


@dataclass(frozen=True)
class TcResult:
    r"""Pairing and phase-ordering temperatures of the lattice BFM (docs/bfm_lattice.md §3, §5).

    Attributes
    ----------
    t_star_D : float
        Mean-field pairing temperature T*_MF [D].
    tc_D : float
        Phase-ordering Tc [D] from ``criterion``.
    criterion : str
        ``bkt``, ``ek2d`` or ``ek3d``.
    stiffness_zero_T_D : float
        D_s(T = 0) [D].
    phase_stiffness_zero_T_D : float
        J(0) = D_s(0)/4 [D].
    phase_scale_D : float
        T_θ^max = A·J(0) [D] (A = π/2 for BKT).
    controlled_by : str
        "phase" if T_θ^max < T*, else "amplitude" (Emery–Kivelson classification); "none" when
        no pairing instability was found above the search floor (T* < 1e-4 D, reported as 0).
    tc_over_t_star : float
    gap_zero_T_D, mu_zero_T_D : float
        Δ_F and μ at T = 0 [D].
    gauge_residual_D : float
        |D_s| evaluated with Δ_F = 0 at (μ(T*), T*) — must vanish (docs/bfm_lattice.md §9, identity 9).
    bkt_residual_D : float
        |(π/2)J(Tc) − Tc| at the root (BKT only; NaN otherwise).
    model : dict
    """

    t_star_D: float
    tc_D: float
    criterion: str
    stiffness_zero_T_D: float
    phase_stiffness_zero_T_D: float
    phase_scale_D: float
    controlled_by: str
    tc_over_t_star: float
    gap_zero_T_D: float
    mu_zero_T_D: float
    gauge_residual_D: float
    bkt_residual_D: float
    model: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return _clean(asdict(self))


def _default_criterion(model: LatticeBFM) -> str:
    return "ek3d" if model.band == "cubic_nn" else "bkt"


def solve_tc(model: LatticeBFM, criterion: str | None = None) -> TcResult:
    r"""T*_MF, the stiffness-limited Tc and the amplitude/phase classification (docs/bfm_lattice.md §5).

    Parameters
    ----------
    model : LatticeBFM
    criterion : {'bkt', 'ek2d', 'ek3d'} or None
        Tc criterion; None → ``bkt`` for 2D bands, ``ek3d`` for ``cubic_nn``.

    Returns
    -------
    TcResult

    Notes
    -----
    BKT: Brent root of F(T) = (π/2)J(T) − T on (0, T*), with J = D_s/4 from the mean-field
    Δ_F(T), μ(T) at fixed n_tot; F(0) = (π/2)J(0) > 0 and F(T*) = −T* < 0 (D_s = 0 at
    Δ_F = 0), so the root exists (docs/bfm_lattice.md §5). EK: Tc = min(T*, A·J(0)).
    """
    if not isinstance(model, LatticeBFM):
        raise ValueError(f"model must be a LatticeBFM, got {type(model).__name__}")
    crit = _default_criterion(model) if criterion is None else criterion
    if not isinstance(crit, str) or crit not in TC_CRITERIA:
        raise ValueError(f"unknown tc criterion {crit!r}; valid: {', '.join(TC_CRITERIA)}")
    if crit == "bkt" and model.band == "cubic_nn":
        raise ValueError("the BKT criterion is two-dimensional; use ek3d for band cubic_nn")
    ts = solve_t_star(model)
    grid = _grid(model)
    if not ts.found:
        return TcResult(0.0, 0.0, crit, 0.0, 0.0, 0.0, "none", math.nan, 0.0, math.nan,
                        0.0, math.nan, model.to_dict())
    s0 = solve_meanfield(model, 0.0)
    ds0 = stiffness_at(model, s0).stiffness_D if s0.gap_D > 0 else 0.0
    j0 = ds0 / 4.0
    gauge = abs(superfluid_stiffness(grid, ts.mu_D, 0.0, ts.t_star_D).stiffness_D)
    A = math.pi / 2 if crit == "bkt" else EK_PREFACTOR[crit]
    scale = A * j0
    bres = math.nan
    if crit == "bkt":
        def F(T):
            if T <= 0:
                return math.pi / 2 * j0
            st = solve_meanfield(model, T)
            ds = stiffness_at(model, st).stiffness_D if st.gap_D > 0 else 0.0
            return math.pi / 2 * ds / 4.0 - T

        t_hi = ts.t_star_D
        if F(t_hi) >= 0:  # numerical Δ_F(T*) tiny; step just above
            t_hi = ts.t_star_D * (1 + 1e-6)
        tc = brentq(F, 0.0, t_hi, xtol=1e-12 * max(ts.t_star_D, 1e-12), rtol=1e-12, maxiter=200)
        bres = abs(F(tc))
    else:
        tc = min(ts.t_star_D, scale)
    controlled = "phase" if scale < ts.t_star_D else "amplitude"
    return TcResult(
        t_star_D=ts.t_star_D, tc_D=tc, criterion=crit, stiffness_zero_T_D=ds0,
        phase_stiffness_zero_T_D=j0, phase_scale_D=scale, controlled_by=controlled,
        tc_over_t_star=tc / ts.t_star_D, gap_zero_T_D=s0.gap_D, mu_zero_T_D=s0.mu_D,
        gauge_residual_D=gauge, bkt_residual_D=bres, model=model.to_dict(),
    )


@dataclass(frozen=True)
class BosonHoppingEstimate:
    r"""Static boson-hopping estimate of the phase stiffness (docs/bfm_lattice.md §5; crude, no retardation).

    Attributes
    ----------
    temperature_D : float
        T at which P(R) was evaluated [D].
    t_b_nn_D, t_b_nnn_D : float
        t_B(1,0) = g²P(1,0) and t_B(1,1) = g²P(1,1) [D].
    boson_level_shift_D : float
        −g²P(0) [D].
    pair_amplitude_x : float
        |x| used for J_B (mean field at T = 0).
    j_boson_D : float
        J_B = |x|²Σ_{R≠0} t_B(R) R_x² [D].
    tc_xy_D : float
        0.343·2t_B(1,0) [D] (quantum spin-½ XY at n_B = ½, nearest neighbours only).
    matsubara_cutoff_D : float
        |ω_n| ≤ cutoff of the P(R) sum [D].
    model : dict
    """

    temperature_D: float
    t_b_nn_D: float
    t_b_nnn_D: float
    boson_level_shift_D: float
    pair_amplitude_x: float
    j_boson_D: float
    tc_xy_D: float
    matsubara_cutoff_D: float
    model: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return _clean(asdict(self))


def boson_hopping_estimate(model: LatticeBFM, temperature_D: float | None = None,
                           grid_size: int = 128, omega_max_D: float = 40.0) -> BosonHoppingEstimate:
    r"""Fermion-mediated pair hopping t_B(R) = g²P(R) and its stiffness (docs/bfm_lattice.md §5).

    Parameters
    ----------
    model : LatticeBFM
        Square lattice only.
    temperature_D : float or None
        T [D] at which the static pair propagator P(R) is evaluated; None → T*_MF (where pairs
        form). P(R) depends weakly on T (docs/bfm_lattice.md §9).
    grid_size : int
        Unshifted L×L grid of the FFT.
    omega_max_D : float
        Matsubara cutoff [D].

    Notes
    -----
    P(R) uses free electrons at μ(T) of the normal state. J_B = |x|²Σ_R t_B(R)R_x²
    (docs/bfm_lattice.md §5), with |x| from the T = 0 mean field; T_KT ≈ 0.343·2t_B(1,0).
    """
    from tcpredict.bfm.fluctuations import MAX_FFT_GRID, pair_propagator_real_space

    if not isinstance(model, LatticeBFM):
        raise ValueError(f"model must be a LatticeBFM, got {type(model).__name__}")
    if temperature_D is not None:
        temperature_D = _check_temperature(temperature_D, positive=True)
    grid_size = _check_int(grid_size, "grid_size", 4, MAX_FFT_GRID)
    omega_max_D = _check_range(omega_max_D, "omega_max_D", 1e-3, 1e3, " D")
    if model.band != "square_nn":
        raise ValueError("boson_hopping_estimate needs band square_nn (real-space FFT)")
    ts = solve_t_star(model)
    T = ts.t_star_D if temperature_D is None else float(temperature_D)
    if not T > 0:
        raise ValueError("boson hopping estimate needs T > 0 (no T* found and no temperature given)")
    mu = ts.mu_D if temperature_D is None else _normal_mu(model, T)
    pr = pair_propagator_real_space(T, mu, grid_size=grid_size, omega_max_D=omega_max_D)
    g2 = model.g_eff_D(T) ** 2
    P = pr.p_R
    L = pr.grid_size
    R = np.fft.fftfreq(L, d=1.0 / L)  # signed displacements
    Rx2 = (R**2)[:, None] * np.ones(L)[None, :]
    Pn = P.copy()
    Pn[0, 0] = 0.0
    x = solve_meanfield(model, 0.0).pair_amplitude_x
    jb = x * x * g2 * float(np.sum(Pn * Rx2))
    tnn = g2 * float(P[1, 0])
    return BosonHoppingEstimate(T, tnn, g2 * float(P[1, 1]), -g2 * float(P[0, 0]), x, jb,
                                XY_QUANTUM_TKT_OVER_2TB * 2 * tnn, omega_max_D, model.to_dict())


def _normal_mu(model: LatticeBFM, T: float) -> float:
    from tcpredict.bfm.lattice import _solve_mu_normal

    return _solve_mu_normal(model, _grid(model), T, model.g_eff_D(T))


@dataclass(frozen=True)
class PhaseDiagram:
    r"""T*_MF and Tc along a line of g or n_tot (docs/bfm_lattice.md §5, §8).

    Attributes
    ----------
    scan_variable : str
        ``g_D`` or ``n_tot``.
    values : tuple of float
        Scan values (g in D, or n_tot).
    results : tuple of TcResult
    """

    scan_variable: str
    values: tuple
    results: tuple

    def rows(self) -> list[dict]:
        """Flat rows with unit-bearing keys (for CSV/JSON)."""
        out = []
        for v, r in zip(self.values, self.results):
            m = r.model
            out.append({
                "g_D": m["g_D"], "n_tot": m["n_tot"], "delta_b_D": m["delta_b_D"],
                "t_star_D": r.t_star_D, "tc_D": r.tc_D, "tc_over_t_star": r.tc_over_t_star,
                "stiffness_zero_T_D": r.stiffness_zero_T_D, "phase_scale_D": r.phase_scale_D,
                "gap_zero_T_D": r.gap_zero_T_D, "controlled_by": r.controlled_by,
                "criterion": r.criterion, "gauge_residual_D": r.gauge_residual_D,
                "band": m["band"], "bosons": m["bosons"], "grid_size": m["grid_size"],
                "polaron_renormalized": m["polaron_renormalized"],
            })
        return _clean(out)

    def to_dict(self) -> dict:
        return {"scan_variable": self.scan_variable, "rows": self.rows()}


def phase_diagram(model: LatticeBFM, *, g_values_D=None, n_tot_values=None,
                  criterion: str | None = None, progress=None) -> PhaseDiagram:
    """T* and Tc versus g (at the model's n_tot) or versus n_tot (at the model's g) (docs/bfm_lattice.md §5).

    Parameters
    ----------
    model : LatticeBFM
        Fixed parameters; the scanned one is replaced point by point.
    g_values_D, n_tot_values : sequence of float
        Exactly one must be given: g values in [0, G_MAX_D] D, or n_tot values in [0, 4];
        at most :data:`MAX_PHASE_DIAGRAM_POINTS` values (every model is validated before the
        first point is computed).
    criterion : {'bkt', 'ek2d', 'ek3d'} or None
        As in :func:`solve_tc`.
    progress : callable, optional
        Called as ``progress(done, total)`` after each point (the CLI draws a progress bar).
    """
    if not isinstance(model, LatticeBFM):
        raise ValueError(f"model must be a LatticeBFM, got {type(model).__name__}")
    if (g_values_D is None) == (n_tot_values is None):
        raise ValueError("give exactly one of g_values_D and n_tot_values")
    name, raw = ("g_D", g_values_D) if g_values_D is not None else ("n_tot", n_tot_values)
    try:
        arr = np.asarray(raw, dtype=float).reshape(-1)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} values must be real numbers") from None
    if arr.size == 0:
        raise ValueError("empty scan")
    if arr.size > MAX_PHASE_DIAGRAM_POINTS:
        raise ValueError(f"{arr.size} {name} values exceed the limit of "
                         f"{MAX_PHASE_DIAGRAM_POINTS} phase-diagram points")
    vals = [float(v) for v in arr]
    models = [model.replace(**{name: v}) for v in vals]  # validates every point first
    if criterion is not None and (not isinstance(criterion, str) or criterion not in TC_CRITERIA):
        raise ValueError(f"unknown tc criterion {criterion!r}; valid: {', '.join(TC_CRITERIA)}")
    if progress is not None and not callable(progress):
        raise ValueError("progress must be callable as progress(done, total)")
    res = []
    for i, m in enumerate(models):
        res.append(solve_tc(m, criterion))
        if progress is not None:
            progress(i + 1, len(models))
    return PhaseDiagram(name, tuple(vals), tuple(res))
