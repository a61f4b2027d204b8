r"""Tc(d_A, d_B) maps of one bilayer and the result row of a screened pair (docs/proximity.md §6).

Map
---
:func:`tc_map` evaluates Tc of one bilayer A/B on a grid of thicknesses d_A × d_B (both layers
confined by default, interface parametrisation as chosen), then maximises Tc locally around the
best grid point with a bounded Nelder–Mead search in (ln d_A, ln d_B) restricted to the
neighbouring grid cells. The grid is walked in serpentine order so that consecutive points are
neighbours and each root search starts from the previous Tc (warm start).

Columns of a result row
-----------------------
``a``, ``b``; ``tc_measured_a_K``, ``tc_measured_b_K`` (measured bulk Tc from the element data);
``tc_bulk_model_a_K``, ``tc_bulk_model_b_K`` (Eliashberg Tc of each bulk element with the same
cutoff and solver; 0 when none above ``t_min_K``); ``tc_best_K`` (best bilayer Tc after
optimisation; 0 when none above ``t_min_K``), ``thickness_a_nm``, ``thickness_b_nm`` (where);
``tc_grid_best_K``; ``tc_film_a_K``, ``tc_film_b_K`` (each layer alone at its optimal
thickness); ``enhancement_K`` = tc_best_K − max(tc_bulk_model_a_K, tc_bulk_model_b_K) and
``enhancement`` = tc_best_K / max(tc_bulk_model_a_K, tc_bulk_model_b_K) (the gain over the
better constituent within the same model, so model biases cancel; +inf when neither bulk
constituent superconducts in the model and the bilayer does, NaN when neither does);
``neither_bulk_sc`` (both measured bulk Tc = 0) and ``weak_bulk_sc`` (both measured bulk Tc
< 1.5 K, docs/proximity.md §6) — the new predictions; ``parametrisation``, ``gamma_meV`` (NaN in
the Cooper limit), ``lambda_rule``, ``mustar_rule``, ``confined``, ``cutoff_meV``, ``t_min_K``,
``converged`` (every root search converged and the optimiser reported success),
``n_solves``, ``error`` (empty, or why the pair could not be solved — e.g. a μ* that cannot be
rescaled to the pair's cutoff; such a row has NaN numbers and is ranked last); then (issue 11,
docs/uncertainty.md §6) ``dlntc_dlambda``, ``dlntc_dmustar`` (sensitivities at the optimum) and,
with ``ScreenConfig.uncertainty``, the bands of ``tc_best_K`` at the optimal thicknesses:
``tc_p16_K``, ``tc_p84_K``, ``p_superconducting``, ``tc_model_min_K``, ``tc_model_max_K``,
``uncertainty_samples`` (NaN and 0 without).

Default interface: the Cooper limit. McMillan's tunnelling rate Γ_j = ħv_F σ/(2d_j)
(Phys. Rev. 175, 537 (1968)) with ħv_F ≈ 0.66 eV·nm (v_F ≈ 1e6 m/s) is ≈ 660σ meV for
d = 0.5 nm, far above the phonon energies (≲ 40 meV) for any transmission σ ≳ 0.1: ultrathin
films in good contact are in the Cooper limit. ``gamma_meV`` switches to a finite Γ_A.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import scipy.optimize as sopt

from tcpredict.eliashberg.kernels import TableKernel
from tcpredict.eliashberg.tc import ConvergenceError
from tcpredict.films.thickness_rules import DEFAULT_LAMBDA_RULE, DEFAULT_MUSTAR_RULE
from tcpredict.limits import (MAX_SCREEN_THICKNESSES, as_float, as_float_array, check_energy,
                              check_temperature, check_thickness)
from tcpredict.stacks.proximity import Layer, Stack, bilayer

log = logging.getLogger(__name__)

__all__ = ["ScreenConfig", "TcMap", "tc_map", "screen_pair", "DEMO_ELEMENTS", "WEAK_TC_K",
           "RESULT_COLUMNS"]

#: "Only weakly" superconducting bulk constituent (docs/proximity.md §6) [K].
WEAK_TC_K = 1.5
#: Built-in element set of the demo screen (both superconductors and non-superconductors).
DEMO_ELEMENTS = ("Al", "Pb", "Sn", "In", "Nb", "Zn", "Cd", "Au", "Ag", "Cu", "Mg", "Ga")

RESULT_COLUMNS = [
    "a", "b", "tc_measured_a_K", "tc_measured_b_K", "tc_bulk_model_a_K", "tc_bulk_model_b_K",
    "tc_best_K", "thickness_a_nm", "thickness_b_nm", "tc_grid_best_K", "tc_film_a_K",
    "tc_film_b_K", "enhancement_K", "enhancement", "neither_bulk_sc", "weak_bulk_sc",
    "parametrisation", "gamma_meV", "lambda_rule", "mustar_rule", "confined", "cutoff_meV",
    "t_min_K", "converged", "n_solves", "error",
    # issue 11 (appended; docs/uncertainty.md §6): sensitivities at the optimum, bands of
    # tc_best_K over the element data draws and over the shipped thickness rules
    "dlntc_dlambda", "dlntc_dmustar", "tc_p16_K", "tc_p84_K", "p_superconducting",
    "tc_model_min_K", "tc_model_max_K", "uncertainty_samples",
]


@dataclass(frozen=True)
class ScreenConfig:
    """Settings of a map or a screen (immutable; recorded in ``DIR/screen.json``).

    Parameters
    ----------
    thickness_nm : tuple of float
        Thickness grid [nm] used for both layers.
    gamma_meV : float, optional
        Γ_A [meV] felt by layer A (Γ_B by detailed balance); None = Cooper limit (default).
    confined : bool
        Apply the confinement model to both layers (default True).
    lambda_rule, mustar_rule : str
        Thickness rules (docs/confinement.md §5).
    cutoff_meV : float, optional
        Common cutoff [meV]; default 10 × the larger Ω_max of the pair.
    t_min_K : float
        Screening floor [K]: Tc below it is reported as 0 ("none above t_min").
    rtol : float
        Relative accuracy of each Tc.
    panel_factor, order, n_head : float, int, int
        Compressed-grid settings (accuracy ≲ 1e-3 vs the full grid,
        tests/stacks/test_proximity.py; docs/eliashberg.md §2.5).
    optimise : bool
        Refine the best grid point by bounded Nelder–Mead in ln d.
    uncertainty : tcpredict.uncertainty.Uncertainty, optional
        Propagate the element data ranges and the spread over the shipped rules to the best
        Tc (at the optimal thicknesses; docs/uncertainty.md §6). None: no bands (NaN columns).
    """

    thickness_nm: tuple = tuple(np.geomspace(0.3, 5.0, 12).tolist())
    gamma_meV: float | None = None
    confined: bool = True
    lambda_rule: str = DEFAULT_LAMBDA_RULE
    mustar_rule: str = DEFAULT_MUSTAR_RULE
    cutoff_meV: float | None = None
    t_min_K: float = 0.05
    rtol: float = 1e-4
    panel_factor: float = 2.0
    order: int = 3
    n_head: int = 32
    optimise: bool = True
    uncertainty: object = None

    def __post_init__(self):
        d = tuple(float(x) for x in as_float_array(self.thickness_nm, "thickness_nm").reshape(-1))
        if not d or any(not math.isfinite(x) or x <= 0 for x in d):
            raise ValueError("thickness grid must be non-empty with values > 0 nm")
        if len(d) > MAX_SCREEN_THICKNESSES:
            raise ValueError(f"thickness grid: {len(d)} values exceed the limit of "
                             f"{MAX_SCREEN_THICKNESSES} per axis (README \"Limits\": a grid "
                             "of n × n bilayer solves)")
        for x in d:
            check_thickness(x, "thickness_nm")
        if len(set(d)) != len(d) or any(b <= a for a, b in zip(d, d[1:])):
            raise ValueError("thickness grid must be strictly increasing")
        object.__setattr__(self, "thickness_nm", d)
        if self.gamma_meV is not None and (
                not math.isfinite(as_float(self.gamma_meV, "gamma_meV")) or self.gamma_meV < 0):
            raise ValueError(f"gamma_meV must be ≥ 0, got {self.gamma_meV}")
        check_temperature(self.t_min_K, "t_min_K")
        # the compressed-grid settings are checked here, not first inside a worker's task
        from tcpredict.eliashberg.operator import CompressedGrid

        CompressedGrid(panel_factor=self.panel_factor, order=self.order, n_head=self.n_head)
        if self.cutoff_meV is not None:
            check_energy(self.cutoff_meV, "cutoff_meV")
        from tcpredict.uncertainty import as_uncertainty

        object.__setattr__(self, "uncertainty", as_uncertainty(self.uncertainty))

    @property
    def parametrisation(self) -> str:
        if self.gamma_meV is None:
            return "cooper-limit"
        return "decoupled" if self.gamma_meV == 0 else "gamma"

    def digest(self) -> str:
        """Short hash of the settings (parts of a different configuration are never reused)."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]


# ================================================================================ one pair
class _PairSolver:
    """Tc of A(d_A)/B(d_B) with warm starts; counts solves and non-convergence."""

    def __init__(self, a: str, b: str, cfg: ScreenConfig):
        self.a, self.b, self.cfg = a, b, cfg
        self.la = Layer.from_element(a, 1.0, confined=cfg.confined, lambda_rule=cfg.lambda_rule,
                                     mustar_rule=cfg.mustar_rule)
        self.lb = Layer.from_element(b, 1.0, confined=cfg.confined, lambda_rule=cfg.lambda_rule,
                                     mustar_rule=cfg.mustar_rule)
        # one kernel object per element, shared by the layers of every grid point
        self.la, self.lb = (replace(x, kernel=TableKernel(x.spectrum)) for x in (self.la, self.lb))
        self.n_solves = 0
        self._layers: dict = {}  # (side, thickness) → Layer: couplings computed once
        self.warm = None  # last pairing eigenvector: Lanczos start of the next point
        self._history: list = []  # last two (ln d_A, ln d_B), Tc: the next guess
        self.last: float | None = None
        self.slope: float | None = None
        self.problems: dict = {}  # reasons of non-converged solves (docs/eliashberg.md §2.2)

    def stack(self, da: float, db: float):
        kw = ({"cooper_limit": True} if self.cfg.gamma_meV is None
              else {"gamma_meV": self.cfg.gamma_meV})
        return bilayer(self._layer(0, da), self._layer(1, db), cutoff_meV=self.cfg.cutoff_meV,
                       **kw)

    def _layer(self, side: int, d: float):
        key = (side, float(d))
        la = self._layers.get(key)
        if la is None:
            if len(self._layers) > 4096:  # a long optimisation: keep memory bounded
                self._layers.clear()
            la = (self.la, self.lb)[side].with_thickness(d)
            self._layers[key] = la
        return la

    def tc(self, da: float, db: float, guess: float | None = None, layer_tc=False,
           sensitivity=False):
        """Tc of the bilayer at (d_A, d_B) [nm]; warm start from ``guess`` or the last Tc
        (extrapolated linearly in ln Tc when the last two points lie on the same line with
        the same step in ln d; from T_min when the last point had none; Allen–Dynes for the
        very first); with ``sensitivity`` also ∂ln Tc/∂λ_j, ∂ln Tc/∂μ*_j
        (docs/uncertainty.md §2)."""
        here = (math.log(da), math.log(db))
        if guess is None:
            if self.last is not None:
                guess = self.last
                h = self._history
                if len(h) == 2 and h[0][1] is not None and h[1][1] is not None:
                    step = (here[0] - h[1][0][0], here[1] - h[1][0][1])
                    prev = (h[1][0][0] - h[0][0][0], h[1][0][1] - h[0][0][1])
                    if max(abs(step[0] - prev[0]), abs(step[1] - prev[1])) < 1e-9:
                        # the next point continues the line: ln Tc extrapolated, at most ×/÷ 1.5
                        ratio = min(max(h[1][1] / h[0][1], 1 / 1.5), 1.5)
                        guess = self.last * ratio
            elif self.n_solves > 0:
                guess = self.cfg.t_min_K
        r = self.stack(da, db).tc(t_min_K=self.cfg.t_min_K, rtol=self.cfg.rtol,
                                  t_guess_K=guess, layer_tc=layer_tc,
                                  panel_factor=self.cfg.panel_factor, order=self.cfg.order,
                                  n_head=self.cfg.n_head,
                                  slope_guess=self.slope, sensitivity=sensitivity,
                                  eigen_start=self.warm)
        self.warm = r.eigen_start
        self.n_solves += 1 + (2 if layer_tc else 0)
        if not r.converged:
            self.problems.update(dict.fromkeys(n for n in r.notes if n.startswith("not converged")))
        self.last = r.tc_K
        self._history = (self._history + [(here, r.tc_K)])[-2:]
        if r.tc_K is not None and r.dlnrho_dlnT < 0:
            self.slope = r.dlnrho_dlnT
        return r


_BULK_TC: dict = {}


def _bulk_model_tc(symbol: str, cutoff_meV: float, cfg: ScreenConfig) -> float:
    """Eliashberg Tc [K] of the bulk element (unconfined layer) at the pair's cutoff with the
    screen's solver settings; 0 when none above t_min. Computed once per process for each
    (element, cutoff, settings): an element is the stiffer partner, whose Ω_max sets the
    cutoff, in many pairs of a screen. A cold solve, so the value does not depend on the
    order in which a worker meets the pairs."""
    from tcpredict.materials.elements import get_element

    # keyed on the element's whole record (the data file may change while a worker lives)
    key = (get_element(symbol), float(cutoff_meV), cfg.t_min_K, cfg.rtol, cfg.panel_factor,
           cfg.order, cfg.n_head)
    tc = _BULK_TC.get(key)
    if tc is None:
        lay = Layer.from_element(symbol, 1.0, confined=False)
        r = Stack([lay], (), cutoff_meV).tc(
            t_min_K=cfg.t_min_K, rtol=cfg.rtol, layer_tc=False, panel_factor=cfg.panel_factor,
            order=cfg.order, n_head=cfg.n_head, sensitivity=False)
        tc = r.tc_K or 0.0
        if len(_BULK_TC) >= 4096:
            _BULK_TC.clear()
        _BULK_TC[key] = tc
    return tc


def _serpentine(na: int, nb: int):
    for i in range(na):
        cols = range(nb) if i % 2 == 0 else range(nb - 1, -1, -1)
        for j in cols:
            yield i, j


def _grid_guess(tc: np.ndarray, i: int, j: int) -> float | None:
    """Start of the root search at grid point (i, j) from the points already solved (rows
    < i, and the previous column of row i in serpentine order): ln Tc bilinear,
    Tc(i−1, j)·Tc(i, j′)/Tc(i−1, j′), or extrapolated along column j, at most ×/÷ 1.5 from
    Tc(i−1, j); None (the solver's own guess) when the neighbours are not superconducting."""
    if i == 0 or tc[i - 1, j] <= 0:
        return None
    up = tc[i - 1, j]
    jp = j - 1 if i % 2 == 0 else j + 1
    if 0 <= jp < tc.shape[1] and tc[i, jp] > 0 and tc[i - 1, jp] > 0:
        ratio = tc[i, jp] / tc[i - 1, jp]
    elif i >= 2 and tc[i - 2, j] > 0:
        ratio = up / tc[i - 2, j]
    else:
        return float(up)
    return float(up * min(max(ratio, 1 / 1.5), 1.5))


def _grid(ps: _PairSolver, da, db, progress=None) -> np.ndarray:
    tc = np.zeros((len(da), len(db)))
    for done, (i, j) in enumerate(_serpentine(len(da), len(db)), start=1):
        t = ps.tc(da[i], db[j], guess=_grid_guess(tc, i, j)).tc_K
        tc[i, j] = 0.0 if t is None else t
        if progress is not None:
            progress(done, tc.size)
    return tc


def _optimise(ps: _PairSolver, da, db, grid):
    """Bounded Nelder–Mead on −Tc(ln d_A, ln d_B) in the cells around the best grid point, then
    the thickness kinks L_c of confined layers inside those cells (docs/proximity.md §6)."""
    i, j = np.unravel_index(int(np.argmax(grid)), grid.shape)
    best = (float(grid[i, j]), float(da[i]), float(db[j]))
    if best[0] <= 0 or not ps.cfg.optimise:
        return best, True
    lda, ldb = np.log(da), np.log(db)
    bounds = [(lda[max(i - 1, 0)], lda[min(i + 1, len(da) - 1)]),
              (ldb[max(j - 1, 0)], ldb[min(j + 1, len(db) - 1)])]
    ps.last = best[0]

    def f(u):
        t = ps.tc(math.exp(u[0]), math.exp(u[1]), guess=ps.last or best[0]).tc_K
        return -(t or 0.0)

    res = sopt.minimize(f, x0=[lda[i], ldb[j]], method="Nelder-Mead", bounds=bounds,
                        options={"xatol": 2e-3, "fatol": ps.cfg.rtol * best[0],
                                 "maxfev": 80, "initial_simplex": _simplex(lda[i], ldb[j],
                                                                           bounds)})
    if -res.fun > best[0]:
        best = (float(-res.fun), float(math.exp(res.x[0])), float(math.exp(res.x[1])))
    # confined layers: Tc has a kink maximum where a layer's thickness crosses its L_c (the cusp
    # of g(E_F)/g₀, docs/confinement.md §3), sharper than the simplex's xatol (at Zn's L_c a
    # step of 2e-4 nm changes Tc by 1e-3): the kinks inside the bounds are tried as well
    if ps.cfg.confined:
        kinks = [math.log(ps.la.film.critical_thickness_nm),
                 math.log(ps.lb.film.critical_thickness_nm)]
        ua, ub = math.log(best[1]), math.log(best[2])
        for u in ((kinks[0], ub), (ua, kinks[1]), (kinks[0], kinks[1])):
            if not all(lo <= x <= hi for x, (lo, hi) in zip(u, bounds)) or u == (ua, ub):
                continue
            t = -f(u)
            if t > best[0]:
                best = (t, float(math.exp(u[0])), float(math.exp(u[1])))
    return best, bool(res.success)


def _simplex(u0, v0, bounds):
    du = 0.3 * max(bounds[0][1] - bounds[0][0], 1e-3)
    dv = 0.3 * max(bounds[1][1] - bounds[1][0], 1e-3)
    su = du if u0 + du <= bounds[0][1] else -du
    sv = dv if v0 + dv <= bounds[1][1] else -dv
    return np.array([[u0, v0], [u0 + su, v0], [u0, v0 + sv]])


@dataclass(frozen=True, eq=False)
class TcMap:
    """Tc(d_A, d_B) of one bilayer, the optimum, and the constituents' reference Tc.

    ``tc_K[i, j]`` is Tc at (thickness_a_nm[i], thickness_b_nm[j]) [K], 0 when none above
    ``config.t_min_K``. ``sensitivity`` and ``uncertainty`` belong to ``tc_best_K`` (at the
    optimum); ``bands`` holds per-grid-point arrays ``tc_p16_K``, ``tc_p84_K`` (and
    ``p_superconducting``, ``tc_model_min_K``, ``tc_model_max_K``) when computed
    (docs/uncertainty.md §6).
    """

    a: str
    b: str
    thickness_a_nm: np.ndarray
    thickness_b_nm: np.ndarray
    tc_K: np.ndarray
    tc_best_K: float
    best_thickness_a_nm: float
    best_thickness_b_nm: float
    optimiser_converged: bool
    tc_measured_a_K: float
    tc_measured_b_K: float
    tc_bulk_model_a_K: float
    tc_bulk_model_b_K: float
    tc_film_a_K: float
    tc_film_b_K: float
    critical_thickness_a_nm: float
    critical_thickness_b_nm: float
    cutoff_meV: float
    n_solves: int
    config: ScreenConfig
    rule_names: dict = field(default_factory=dict)
    sensitivity: dict | None = None
    uncertainty: dict | None = None
    bands: dict | None = None
    notes: tuple = ()

    @property
    def converged(self) -> bool:
        """Every root search met its tolerance, the cutoff converges Tc, the optimiser succeeded."""
        return self.optimiser_converged and not self.notes

    def parameters(self) -> dict:
        """The resolved inputs (defaults filled in; docs/glossary.md): the pair, both thickness
        grids, the interface, rules, cutoff actually used and solver settings."""
        c = self.config
        return {"a": self.a, "b": self.b, "thickness_a_nm": [float(x) for x in self.thickness_a_nm],
                "thickness_b_nm": [float(x) for x in self.thickness_b_nm],
                "parametrisation": c.parametrisation, "gamma_meV": c.gamma_meV,
                "confined": c.confined, "lambda_rule": str(c.lambda_rule),
                "mustar_rule": str(c.mustar_rule), "cutoff_meV": self.cutoff_meV,
                "t_min_K": c.t_min_K, "rtol": c.rtol, "panel_factor": c.panel_factor,
                "order": c.order, "n_head": c.n_head, "optimise": c.optimise,
                "uncertainty": None if c.uncertainty is None else c.uncertainty.to_dict()}

    def to_frame(self) -> "pd.DataFrame":
        """Long table: one row per grid point (``thickness_a_nm``, ``thickness_b_nm``,
        ``tc_K``) plus the pair labels; ``attrs`` holds ``tcpredict_version`` and
        ``parameters`` (:meth:`parameters`)."""
        import pandas as pd

        from tcpredict.provenance import jsonable, version

        A, B = np.meshgrid(self.thickness_a_nm, self.thickness_b_nm, indexing="ij")
        df = pd.DataFrame({"a": self.a, "b": self.b, "thickness_a_nm": A.ravel(),
                           "thickness_b_nm": B.ravel(), "tc_K": self.tc_K.ravel()})
        for k, v in self.band_arrays().items():
            df[k] = v.ravel()
        df.attrs.update(tcpredict_version=version(), parameters=jsonable(self.parameters()))
        return df

    def to_dataframe(self) -> "pd.DataFrame":
        """The grid as a long table (the same as :meth:`to_frame`; the name pandas users expect)."""
        return self.to_frame()

    def to_dict(self) -> dict:
        """JSON-ready dict: the summary (:meth:`summary`) plus the grid (``thickness_a_nm`` and
        ``thickness_b_nm`` axes in ``grid``, ``tc_K[i][j]`` [K]) and the band arrays."""
        from tcpredict.provenance import jsonable

        grid = {"thickness_a_nm": self.thickness_a_nm, "thickness_b_nm": self.thickness_b_nm,
                "tc_K": self.tc_K, **self.band_arrays()}
        return {**self.summary(), "grid": jsonable(grid)}

    def to_xarray(self):
        """Tc(d_A, d_B) as an :class:`xarray.Dataset` (variable ``tc_K`` [K] on the dimensions
        ``thickness_a_nm``, ``thickness_b_nm``), with the summary (:meth:`summary`) and
        provenance in ``attrs`` (``parameters`` as a JSON string)."""
        import xarray as xr

        from tcpredict.provenance import jsonable, version

        dims = ("thickness_a_nm", "thickness_b_nm")
        ds = xr.Dataset({"tc_K": (dims, self.tc_K),
                         **{k: (dims, v) for k, v in self.band_arrays().items()}},
                        coords={"thickness_a_nm": self.thickness_a_nm,
                                "thickness_b_nm": self.thickness_b_nm})
        for k in ds.data_vars:
            ds[k].attrs["units"] = "1" if k == "p_superconducting" else "K"
        ds["thickness_a_nm"].attrs["units"] = ds["thickness_b_nm"].attrs["units"] = "nm"
        summ = jsonable(self.summary())
        ds.attrs.update({f"best_{k}" if k.startswith("thickness_") else k: v
                         for k, v in summ.items() if isinstance(v, (str, int, float))
                         and not isinstance(v, bool)})
        ds.attrs.update(tcpredict_version=version(),
                        parameters=json.dumps(jsonable(self.parameters())))
        return ds

    def band_arrays(self) -> dict:
        """The per-grid-point band arrays (empty without grid bands)."""
        if not self.bands:
            return {}
        return {k: np.asarray(v, dtype=float) for k, v in self.bands.items()
                if k in ("tc_p16_K", "tc_p84_K", "p_superconducting", "tc_model_min_K",
                         "tc_model_max_K")}

    def summary(self) -> dict:
        """JSON-ready summary (no grid); with an uncertainty, the band keys of ``tc_best_K``
        at the top level and the ``uncertainty`` object."""
        return {"a": self.a, "b": self.b, "tc_best_K": self.tc_best_K,
                "thickness_a_nm": self.best_thickness_a_nm,
                "thickness_b_nm": self.best_thickness_b_nm,
                "optimiser_converged": self.optimiser_converged, "converged": self.converged,
                "notes": list(self.notes),
                "tc_measured_a_K": self.tc_measured_a_K,
                "tc_measured_b_K": self.tc_measured_b_K,
                "tc_bulk_model_a_K": self.tc_bulk_model_a_K,
                "tc_bulk_model_b_K": self.tc_bulk_model_b_K,
                "tc_film_a_K": self.tc_film_a_K, "tc_film_b_K": self.tc_film_b_K,
                "critical_thickness_a_nm": self.critical_thickness_a_nm,
                "critical_thickness_b_nm": self.critical_thickness_b_nm,
                "parametrisation": self.config.parametrisation,
                "gamma_meV": self.config.gamma_meV, "cutoff_meV": self.cutoff_meV,
                "t_min_K": self.config.t_min_K, **self.rule_names,
                "n_solves": self.n_solves, "sensitivity": self.sensitivity,
                **({} if self.uncertainty is None else {
                    **_band_summary(self.uncertainty), "uncertainty": self.uncertainty})}


def _band_summary(d):
    from tcpredict.uncertainty import band_summary

    return band_summary(d)


def tc_map(a: str, b: str, thickness_a_nm, thickness_b_nm, config: ScreenConfig | None = None,
           *, uncertainty=None, grid_bands: bool = True, progress=None) -> TcMap:
    """Tc(d_A, d_B) grid of the bilayer A/B and its optimum (docs/proximity.md §6).

    Parameters
    ----------
    a, b : str
        Element symbols (shipped data).
    thickness_a_nm, thickness_b_nm : array_like
        Strictly increasing thickness grids [nm].
    config : ScreenConfig, optional
        Interface, rules, cutoff, floor (its ``thickness_nm`` is ignored here).
    uncertainty : bool or tcpredict.uncertainty.Uncertainty, optional
        Bands of the best Tc (default: ``config.uncertainty``; docs/uncertainty.md §6).
    grid_bands : bool
        With an uncertainty, also the bands at every grid point (each draw and each rule pair
        walks the whole grid: about (samples + 6) × the cost of the map). The screen computes
        the bands at the optimum only.
    progress : callable, optional
        ``progress(done, total)`` after each grid point (the CLI's progress bar).
    """
    cfg = config or ScreenConfig()
    da = ScreenConfig(thickness_nm=tuple(np.atleast_1d(thickness_a_nm))).thickness_nm
    db = ScreenConfig(thickness_nm=tuple(np.atleast_1d(thickness_b_nm))).thickness_nm
    da, db = np.array(da), np.array(db)
    ps = _PairSolver(a, b, cfg)
    grid = _grid(ps, da, db, progress)
    (tc_best, xa, xb), ok = _optimise(ps, da, db, grid)
    fin = ps.tc(xa, xb, guess=tc_best or None, layer_tc=True, sensitivity=True)
    from tcpredict.uncertainty import as_uncertainty, map_grid_bands, stack_band

    spec = as_uncertainty(uncertainty) if uncertainty is not None else cfg.uncertainty
    tc_kw = {"t_min_K": cfg.t_min_K, "rtol": cfg.rtol, "method": "compressed",
             "panel_factor": cfg.panel_factor, "order": cfg.order, "n_head": cfg.n_head}
    band = bands = None
    if spec is not None:
        band = stack_band(ps.stack(xa, xb), fin, spec, **tc_kw).to_dict()
        ps.n_solves += spec.samples * int(spec.parametric) + 6 * int(spec.model)
        if grid_bands:
            ikw = ({"cooper_limit": True} if cfg.gamma_meV is None
                   else {"gamma_meV": cfg.gamma_meV})
            bands = map_grid_bands(ps.la, ps.lb, ikw, da, db, grid, fin.cutoff_meV, spec, tc_kw)
            ps.n_solves += grid.size * (spec.samples * int(spec.parametric)
                                        + 6 * int(spec.model))
    # model bulk Tc of each constituent: unconfined layer, same cutoff and solver
    bulk = []
    for sym in (a, b):
        bulk.append(_bulk_model_tc(sym, fin.cutoff_meV, cfg))
        ps.n_solves += 1
    return TcMap(
        a=ps.la.material, b=ps.lb.material, thickness_a_nm=da, thickness_b_nm=db, tc_K=grid,
        tc_best_K=float(fin.tc_K or 0.0) if tc_best > 0 else 0.0,
        best_thickness_a_nm=xa, best_thickness_b_nm=xb, optimiser_converged=ok,
        notes=tuple(ps.problems),
        tc_measured_a_K=float(ps.la.tc_measured_K), tc_measured_b_K=float(ps.lb.tc_measured_K),
        tc_bulk_model_a_K=bulk[0], tc_bulk_model_b_K=bulk[1],
        tc_film_a_K=float(fin.layers[0].tc_alone_K or 0.0),
        tc_film_b_K=float(fin.layers[1].tc_alone_K or 0.0),
        critical_thickness_a_nm=float(ps.la.film.critical_thickness_nm),
        critical_thickness_b_nm=float(ps.lb.film.critical_thickness_nm),
        cutoff_meV=fin.cutoff_meV, n_solves=ps.n_solves, config=cfg,
        rule_names={"lambda_rule": fin.layers[0].lambda_rule,
                    "mustar_rule": fin.layers[0].mustar_rule},
        sensitivity=fin.sensitivity if tc_best > 0 else None, uncertainty=band, bands=bands)


def screen_pair(a: str, b: str, config: ScreenConfig) -> tuple[dict, "pd.DataFrame"]:
    """Map one pair on ``config.thickness_nm`` × ``config.thickness_nm``; return the result row
    (columns :data:`RESULT_COLUMNS`) and the grid as a long table."""
    try:
        m = tc_map(a, b, config.thickness_nm, config.thickness_nm, config, grid_bands=False)
    except (ValueError, ConvergenceError) as exc:
        # a pair that cannot be solved (e.g. μ* not rescalable to the pair's cutoff) is
        # reported, not fatal for the screen
        from tcpredict.materials.elements import get_element

        ea, eb = get_element(a), get_element(b)
        nan = math.nan
        row = dict.fromkeys(RESULT_COLUMNS, nan)
        row.update(a=ea.symbol, b=eb.symbol, tc_measured_a_K=ea.tc_measured_K,
                   tc_measured_b_K=eb.tc_measured_K,
                   neither_bulk_sc=bool(ea.tc_measured_K == 0 and eb.tc_measured_K == 0),
                   weak_bulk_sc=bool(max(ea.tc_measured_K, eb.tc_measured_K) < WEAK_TC_K),
                   parametrisation=config.parametrisation,
                   gamma_meV=nan if config.gamma_meV is None else float(config.gamma_meV),
                   lambda_rule=str(config.lambda_rule), mustar_rule=str(config.mustar_rule),
                   confined=config.confined, t_min_K=config.t_min_K, converged=False,
                   n_solves=0, error=f"{type(exc).__name__}: {exc}", uncertainty_samples=0)
        import pandas as pd

        grid = pd.DataFrame({"a": [], "b": [], "thickness_a_nm": [], "thickness_b_nm": [],
                             "tc_K": []})
        return row, grid
    better = max(m.tc_bulk_model_a_K, m.tc_bulk_model_b_K)
    if m.tc_best_K > 0:
        enh = m.tc_best_K / better if better > 0 else math.inf
    else:
        enh = 0.0 if better > 0 else math.nan
    row = {
        "a": m.a, "b": m.b, "tc_measured_a_K": m.tc_measured_a_K,
        "tc_measured_b_K": m.tc_measured_b_K,
        "tc_bulk_model_a_K": m.tc_bulk_model_a_K, "tc_bulk_model_b_K": m.tc_bulk_model_b_K,
        "tc_best_K": m.tc_best_K, "thickness_a_nm": m.best_thickness_a_nm,
        "thickness_b_nm": m.best_thickness_b_nm, "tc_grid_best_K": float(m.tc_K.max()),
        "tc_film_a_K": m.tc_film_a_K, "tc_film_b_K": m.tc_film_b_K,
        "enhancement_K": m.tc_best_K - better, "enhancement": enh,
        "neither_bulk_sc": bool(m.tc_measured_a_K == 0 and m.tc_measured_b_K == 0),
        "weak_bulk_sc": bool(max(m.tc_measured_a_K, m.tc_measured_b_K) < WEAK_TC_K),
        "parametrisation": config.parametrisation,
        "gamma_meV": math.nan if config.gamma_meV is None else float(config.gamma_meV),
        "lambda_rule": m.rule_names["lambda_rule"], "mustar_rule": m.rule_names["mustar_rule"],
        "confined": config.confined, "cutoff_meV": m.cutoff_meV, "t_min_K": config.t_min_K,
        "converged": m.converged, "n_solves": m.n_solves, "error": "",
    }
    row.update(_uncertainty_columns(m, config))
    return row, m.to_frame()


def _uncertainty_columns(m: TcMap, config: ScreenConfig) -> dict:
    """The issue-11 columns of a screen row (docs/uncertainty.md §6): sensitivities at the
    optimum (NaN when no Tc), bands of ``tc_best_K`` (0 for "none above t_min_K", the table
    convention; NaN when no uncertainty was asked for)."""
    nan = math.nan
    s = m.sensitivity or {}
    out = {"dlntc_dlambda": s.get("dlntc_dlambda", nan),
           "dlntc_dmustar": s.get("dlntc_dmustar", nan)}
    u = m.uncertainty
    if u is None:
        out.update(tc_p16_K=nan, tc_p84_K=nan, p_superconducting=nan, tc_model_min_K=nan,
                   tc_model_max_K=nan, uncertainty_samples=0)
        return out
    zero = lambda v: 0.0 if v is None else float(v)  # noqa: E731
    out.update(tc_p16_K=zero(u.get("tc_p16_K")), tc_p84_K=zero(u.get("tc_p84_K")),
               p_superconducting=(nan if u.get("p_superconducting") is None
                                  else float(u["p_superconducting"])),
               tc_model_min_K=zero(u["tc_model_min_K"]) if "tc_model_min_K" in u else nan,
               tc_model_max_K=zero(u["tc_model_max_K"]) if "tc_model_max_K" in u else nan,
               uncertainty_samples=int(u.get("samples", 0)))
    return out


