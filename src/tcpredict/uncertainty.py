r"""Uncertainty of every Tc prediction: parametric (element data) and model (thickness rules).

docs/uncertainty.md is the reference; in short:

**Parametric.** Every element carries ranges (lo, hi) for λ, ω_log, ω̄₂ and μ*
(:attr:`tcpredict.materials.elements.Element.ranges`, docs/materials.md §4). Each range is read as
a *uniform* distribution on [lo, hi] — every value in the range equally plausible, none outside —
independently per parameter and per element, with ω̄₂ drawn as the ratio ω̄₂/ω_log (so that
ω̄₂ ≥ ω_log holds in every draw). The parameters are sampled by a scrambled Latin hypercube
(scipy.stats.qmc.LatinHypercube; M. D. McKay, R. J. Beckman & W. J. Conover, Technometrics 21,
239 (1979)) of ``samples`` points per element, seeded from (``seed``, element symbol): draw k of
an element is the same in every result of a run (one "world" per k), so a screen is a consistent
ensemble and the numbers do not depend on the order in which pairs are computed. For each draw
the α²F is rebuilt:

- a tabulated α²F is scaled and stretched, α²F_k(Ω) = (λ_k/λ)·α²F(Ω ω_log/ω_log,k) (shape
  fixed, so ω̄₂/ω_log is the table's), with the exact kernel λ_k(ν) = (λ_k/λ)·λ(ν ω_log/ω_log,k)
  (:class:`~tcpredict.eliashberg.kernels.StretchedKernel`);
- a model α²F is rebuilt from the drawn moments (:func:`~tcpredict.eliashberg.spectra.from_moments`),
  its kernel tabulated with step :data:`SAMPLE_TABLE_STEP` in ln ν (≈ 1e-5 relative);
- μ* is defined at the top of the drawn spectrum (the data convention, docs/materials.md §3), i.e.
  ``mustar_at_meV`` moves with Ω_max; the Matsubara cutoff stays the central one.

Every draw is solved with the full machinery (film rules, proximity coupling); the result reports
the 16th, 50th and 84th percentiles of Tc over the draws (``tc_p16_K``, ``tc_p50_K``,
``tc_p84_K``; each is one of the drawn Tc's — ``numpy.percentile`` method ``inverted_cdf`` — or
null when that draw has no Tc above the floor) and, with a threshold, ``p_superconducting`` =
the fraction of draws with Tc ≥ threshold. ``tc_K`` stays the central value. Inputs without
uncertainty (every range a point) give ``tc_p16_K == tc_p84_K == tc_K`` exactly (no solve).

**Model.** For films and confined layers, the central parameters are solved with every
combination of the shipped λ(L) and μ*(L) rules
(:data:`~tcpredict.films.thickness_rules.LAMBDA_RULE_NAMES` ×
:data:`~tcpredict.films.thickness_rules.MUSTAR_RULE_NAMES`); the rules are alternatives, not draws
of a random variable, so the spread is reported as the range ``tc_model_min_K`` …
``tc_model_max_K`` with the Tc of each combination, not as percentiles.

Energies in meV, temperatures in K.
"""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Uncertainty", "ParameterRanges", "MaterialSample", "Band", "as_uncertainty",
           "material_samples", "unit_samples", "band_from_samples", "degenerate_band",
           "band_summary",
           "tc_band", "film_bands", "stack_band", "map_grid_bands", "rule_combinations", "DEFAULT_SAMPLES", "MAX_SAMPLES",
           "SAMPLE_TABLE_STEP", "BAND_KEYS"]

#: Default number of draws per element (a Latin hypercube of 32 points resolves the 16/84 %
#: percentiles to about one draw, ≈ ±3 % in probability).
DEFAULT_SAMPLES = 32
#: Most draws allowed (bounded before anything is computed).
MAX_SAMPLES = 1024
#: Step in ln ν of the kernel tables of rebuilt model spectra (interpolation error ≈ h²/8·λ'' ≲
#: 1e-5 λ, docs/eliashberg.md §2.5; the default tables use 1e-3).
SAMPLE_TABLE_STEP = 1e-2
#: Keys a result gains at its top level (docs/glossary.md §8).
BAND_KEYS = ("tc_p16_K", "tc_p84_K", "p_superconducting", "tc_model_min_K", "tc_model_max_K")
_PERCENTILES = (16.0, 50.0, 84.0)


# ================================================================================ settings
@dataclass(frozen=True)
class Uncertainty:
    """What to propagate and how (docs/uncertainty.md §4–§6).

    Parameters
    ----------
    samples : int
        Draws per element (2 … :data:`MAX_SAMPLES`; default 32).
    seed : int
        Seed of the Latin hypercube (≥ 0); the same seed gives the same numbers.
    threshold_K : float, optional
        Also report ``p_superconducting`` = P(Tc ≥ threshold) [K].
    parametric : bool
        Propagate the element data ranges (default True).
    model : bool
        Report the spread over the shipped thickness rules, where rules apply (default True).
    """

    samples: int = DEFAULT_SAMPLES
    seed: int = 0
    threshold_K: float | None = None
    parametric: bool = True
    model: bool = True

    def __post_init__(self):
        n = self.samples
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not (
                2 <= n <= MAX_SAMPLES):
            raise ValueError(f"samples must be an integer from 2 to {MAX_SAMPLES}, got {n!r}")
        object.__setattr__(self, "samples", int(n))
        s = self.seed
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 0:
            raise ValueError(f"seed must be an integer ≥ 0, got {s!r}")
        object.__setattr__(self, "seed", int(s))
        if self.threshold_K is not None:
            t = float(self.threshold_K)
            if not (math.isfinite(t) and t > 0):
                raise ValueError(f"threshold_K must be > 0 K, got {self.threshold_K!r}")
            object.__setattr__(self, "threshold_K", t)

    def to_dict(self) -> dict:
        return {"samples": self.samples, "seed": self.seed, "threshold_K": self.threshold_K,
                "parametric": self.parametric, "model": self.model}


def as_uncertainty(spec) -> Uncertainty | None:
    """``None``/``False`` → None; ``True`` → the defaults; an :class:`Uncertainty` unchanged."""
    if spec is None or spec is False:
        return None
    if spec is True:
        return Uncertainty()
    if isinstance(spec, Uncertainty):
        return spec
    raise ValueError(f"uncertainty must be True, False, None or an Uncertainty, got {spec!r}")


@dataclass(frozen=True)
class ParameterRanges:
    """Uniform ranges of one material's coupling numbers (docs/uncertainty.md §4).

    Attributes
    ----------
    key : str
        Draws are shared by every use of the same key in a run (the element symbol).
    central : tuple
        (λ, ω_log [meV], ω̄₂/ω_log, μ*) of the data row.
    lam, omega_log_meV, omega2_ratio, mustar : tuple of float
        (lo, hi) of λ, ω_log [meV], ω̄₂/ω_log and μ* (μ* at the data's reference energy).
    model_spectrum : bool
        The α²F is rebuilt from the drawn moments (True) or the table is scaled and stretched
        (False; then ω̄₂/ω_log is the table's and its range is not used).
    mustar_at_moves : bool
        μ* of a draw is defined at the top of the drawn α²F (the data convention; True), or at
        the fixed energy a user gave with μ* (False).
    """

    key: str
    central: tuple
    lam: tuple
    omega_log_meV: tuple
    omega2_ratio: tuple
    mustar: tuple
    model_spectrum: bool
    mustar_at_moves: bool = True

    @classmethod
    def from_element(cls, element, mustar: float | None = None) -> "ParameterRanges":
        """The ranges of an :class:`~tcpredict.materials.elements.Element` (its
        :attr:`~tcpredict.materials.elements.Element.ranges`). ω̄₂ becomes the ratio range
        [max(1, ω̄₂_lo/ω_log_lo), ω̄₂_hi/ω_log_hi] (docs/materials.md §4). ``mustar``: a μ* given
        by the user instead of the element's; it has no range and stays at the energy given
        with it."""
        r = element.ranges
        r0 = element.omega2_meV / element.omega_log_meV
        w2, wl = r["omega2_meV"], r["omega_log_meV"]
        rlo = min(max(1.0, w2[0] / wl[0]), r0)
        rhi = max(w2[1] / wl[1], r0)
        model = bool(element.alpha2f_is_model)
        fixed = mustar is not None
        mu0 = float(mustar) if fixed else element.mustar
        mu = (mu0, mu0) if fixed else tuple(r["mustar"])
        return cls(element.symbol, (element.lam, element.omega_log_meV, r0, mu0),
                   tuple(r["lambda"]), tuple(wl), (rlo, rhi) if model else (r0, r0), mu, model,
                   not fixed)

    @property
    def degenerate(self) -> bool:
        """True when every range is a point (nothing to propagate)."""
        return all(lo == hi for lo, hi in (self.lam, self.omega_log_meV, self.omega2_ratio,
                                           self.mustar))

    def values(self, u) -> tuple:
        """(λ, ω_log, ω̄₂/ω_log, μ*) at the unit-cube point ``u`` (4 numbers in [0, 1))."""
        out = []
        for (lo, hi), x in zip((self.lam, self.omega_log_meV, self.omega2_ratio, self.mustar),
                               u):
            out.append(lo + float(x) * (hi - lo))
        return tuple(out)

    def to_dict(self) -> dict:
        """The ranges with output keys (ω̄₂ as its ratio to ω_log)."""
        return {"material": self.key, "lambda": list(self.lam), "omega_log_meV": list(self.omega_log_meV),
                "omega2_over_omega_log": list(self.omega2_ratio), "mustar": list(self.mustar),
                "alpha2f_is_model": self.model_spectrum}


def unit_samples(key: str, seed: int, n: int) -> np.ndarray:
    """n points of a scrambled Latin hypercube in [0, 1)⁴, seeded from (seed, key) by SHA-256
    (reproducible across processes and machines)."""
    from scipy.stats import qmc

    h = hashlib.sha256(f"tcpredict-uncertainty:{int(seed)}:{key}".encode()).digest()
    rng = np.random.default_rng(int.from_bytes(h[:8], "little"))
    return qmc.LatinHypercube(d=4, rng=rng).random(int(n))


# ================================================================================ draws
@dataclass(frozen=True, eq=False)
class MaterialSample:
    """One draw of a material: its α²F, kernel, μ* and the energy μ* is defined at."""

    spectrum: object
    kernel: object
    mustar: float
    mustar_at_meV: float
    lam: float
    omega_log_meV: float
    omega2_meV: float


_SAMPLE_CACHE: OrderedDict = OrderedDict()
_SAMPLE_CACHE_SIZE = 24


def material_samples(ranges: ParameterRanges, spectrum, mustar: float, mustar_at_meV: float,
                     n: int, seed: int) -> list[MaterialSample]:
    """The n draws of one material (cached per process: a screen reuses an element's draws).

    Parameters
    ----------
    ranges : ParameterRanges
    spectrum : Alpha2F
        The central α²F (the table that is scaled and stretched, or the central model).
    mustar, mustar_at_meV : float
        Central μ* and the energy [meV] at which it is defined; each draw's μ* is defined at
        ``mustar_at_meV`` × Ω_max,k/Ω_max.
    n, seed : int
    """
    from tcpredict.eliashberg.kernels import StretchedKernel, TableKernel
    from tcpredict.eliashberg.spectra import Alpha2F, from_moments

    key = (ranges, id(spectrum), float(mustar), float(mustar_at_meV), int(n), int(seed))
    hit = _SAMPLE_CACHE.get(key)
    if hit is not None and hit[0] is spectrum:
        _SAMPLE_CACHE.move_to_end(key)
        return hit[1]
    u = unit_samples(ranges.key, seed, n)
    r0 = ranges.central[2]
    lam0, wl0 = spectrum.lam, spectrum.omega_log_meV  # the draw's moments are exactly λ_k, ω_log,k
    base = TableKernel(spectrum)
    om_max = spectrum.omega_max_meV
    out = []
    for uk in u:
        lam, wl, ratio, mu = ranges.values(uk)
        if ranges.model_spectrum and ratio != r0:
            sp = from_moments(lam, wl, ratio * wl)
            sp = Alpha2F(sp.omega_meV, sp.values, sp.delta_omega_meV, sp.delta_weight_meV,
                         source=f"uncertainty draw: {sp.source}")
            kern = TableKernel(sp, h=SAMPLE_TABLE_STEP, cache=False)
        else:  # docs/uncertainty.md §4: a·α²F(Ω/s) and its exact kernel a·λ(ν/s)
            a, s = lam / lam0, wl / wl0
            sp = Alpha2F(spectrum.omega_meV * s, spectrum.values * a,
                         spectrum.delta_omega_meV * s, spectrum.delta_weight_meV * a * s,
                         source=f"uncertainty draw: {a:.6g} × ({spectrum.source})(Ω/{s:.6g})")
            kern = base if (a == 1.0 and s == 1.0) else StretchedKernel(base, a, s)
        at = (mustar_at_meV * sp.omega_max_meV / om_max if ranges.mustar_at_moves
              else mustar_at_meV)
        out.append(MaterialSample(sp, kern, mu, at, sp.lam, sp.omega_log_meV, sp.omega2_meV))
    _SAMPLE_CACHE[key] = (spectrum, out)
    while len(_SAMPLE_CACHE) > _SAMPLE_CACHE_SIZE:
        _SAMPLE_CACHE.popitem(last=False)
    return out


# ================================================================================ statistics
@dataclass(frozen=True)
class Band:
    """Parametric percentiles and model spread of one Tc (docs/uncertainty.md §1).

    ``samples_K`` holds the Tc of every draw in draw order (None: none above the floor; NaN: the
    draw could not be solved, left out of the statistics and counted in ``n_failed``).
    """

    tc_K: float | None
    threshold_K: float | None = None
    samples_K: tuple = ()
    tc_p16_K: float | None = None
    tc_p50_K: float | None = None
    tc_p84_K: float | None = None
    p_superconducting: float | None = None
    n_failed: int = 0
    model: tuple = ()
    tc_model_min_K: float | None = None
    tc_model_max_K: float | None = None
    inputs: tuple = ()
    settings: dict = field(default_factory=dict)
    notes: tuple = ()

    @property
    def converged(self) -> bool:
        """Every draw and every rule was solved to its tolerance."""
        return not any(n.startswith("not converged") for n in self.notes)

    def summary(self) -> dict:
        """The keys a result gains at its top level (:data:`BAND_KEYS`; ``p_superconducting``
        only with a threshold, the model range only where rules apply)."""
        d = {"tc_p16_K": self.tc_p16_K, "tc_p84_K": self.tc_p84_K}
        if self.threshold_K is not None:
            d["p_superconducting"] = self.p_superconducting
        if self.model:
            d["tc_model_min_K"] = self.tc_model_min_K
            d["tc_model_max_K"] = self.tc_model_max_K
        return d

    def to_dict(self) -> dict:
        """The ``uncertainty`` object of a result (docs/glossary.md §8)."""
        return {**self.summary(), "tc_p50_K": self.tc_p50_K,
                "threshold_K": self.threshold_K, **self.settings,
                "n_failed": self.n_failed, "tc_samples_K": list(self.samples_K),
                "inputs": [dict(x) for x in self.inputs],
                "model_rules": [dict(m) for m in self.model],
                "notes": list(self.notes)}


def _percentiles(values) -> tuple:
    """p16, p50, p84 of Tc values (None = below the floor, ranked lowest), each an actual draw."""
    v = np.array([0.0 if x is None else float(x) for x in values])
    if v.size == 0:
        return (None, None, None)
    p = np.percentile(v, _PERCENTILES, method="inverted_cdf")
    return tuple(None if x <= 0 else float(x) for x in p)


def band_from_samples(tc_K, samples, *, threshold_K=None, model=(), inputs=None,
                      settings=None, notes=()) -> Band:
    """Percentiles, P(Tc ≥ threshold) and the model range from the draws and rule results.

    ``samples``: Tc per draw (None below the floor, NaN for a failed draw); ``model``: dicts
    with ``lambda_rule``, ``mustar_rule``, ``tc_K`` (and ``error`` when the rule failed).
    """
    ok = [s for s in samples if s is None or math.isfinite(s)]
    failed = len(samples) - len(ok)
    p16, p50, p84 = _percentiles(ok)
    p_sc = None
    if threshold_K is not None and ok:
        p_sc = float(sum(1 for s in ok if s is not None and s >= threshold_K) / len(ok))
    mins = maxs = None
    good = [m for m in model if not m.get("error")]
    if good:
        vals = [0.0 if m["tc_K"] is None else m["tc_K"] for m in good]
        mins = None if min(vals) <= 0 else float(min(vals))
        maxs = None if max(vals) <= 0 else float(max(vals))
    notes = list(notes)
    if failed:
        notes.append(f"{failed} of {len(samples)} draws could not be solved and are left out")
    return Band(tc_K, threshold_K, tuple(samples), p16, p50, p84, p_sc, failed, tuple(model),
                mins, maxs, tuple(inputs or ()), dict(settings or {}), tuple(notes))


def degenerate_band(tc_K, spec: Uncertainty, *, model=(), inputs=None, notes=()) -> Band:
    """The band of inputs without uncertainty: every draw is the central Tc (no solve)."""
    return band_from_samples(tc_K, [tc_K] * spec.samples, threshold_K=spec.threshold_K,
                             model=model, inputs=inputs, settings=_settings(spec),
                             notes=notes)


def _settings(spec: Uncertainty) -> dict:
    return {"samples": spec.samples, "seed": spec.seed, "distribution": "uniform on [lo, hi]",
            "design": "scrambled Latin hypercube per element"}


def band_summary(band_dict: dict | None) -> dict:
    """The top-level keys of a result from its ``uncertainty`` object (empty without one)."""
    if not band_dict:
        return {}
    return {k: band_dict[k] for k in BAND_KEYS if k in band_dict}


def rule_combinations() -> list[tuple[str, str]]:
    """Every (λ rule, μ* rule) pair of the shipped rules (docs/confinement.md §5)."""
    from tcpredict.films.thickness_rules import LAMBDA_RULE_NAMES, MUSTAR_RULE_NAMES

    return [(lr, mr) for lr in LAMBDA_RULE_NAMES for mr in MUSTAR_RULE_NAMES]


# ================================================================================ bulk
def _clip_guess(g: float, tc0: float | None, t_min: float) -> float:
    if tc0 is None or not math.isfinite(g) or g <= 0:
        return t_min
    return min(max(g, tc0 / 20.0, t_min), 20.0 * tc0)


def tc_band(spectrum, mustar: float, central, ranges: ParameterRanges | None,
            spec: Uncertainty) -> Band:
    """Parametric band of one superconductor's Tc (:func:`tcpredict.eliashberg.tc.solve_tc`).

    Each draw is solved on the compressed grid with the central cutoff, μ* rescaled from its
    (moved) reference energy, warm-started from Allen–Dynes of the draw times the central
    Tc/Allen–Dynes ratio. No thickness rules apply, so there is no model part.

    Parameters
    ----------
    spectrum : Alpha2F
        Central α²F.
    mustar : float
        Central μ* (at ``central.mustar_at_meV``).
    central : TcResult
        The central result (cutoff, floor, tolerance, Tc).
    ranges : ParameterRanges or None
        None: no parametric uncertainty (the band is the central Tc).
    spec : Uncertainty
    """
    from tcpredict.eliashberg.closed_forms import allen_dynes_tc_K
    from tcpredict.eliashberg.matsubara import rescale_mustar
    from tcpredict.eliashberg.operator import LinearizedOperator
    from tcpredict.eliashberg.tc import cutoff_problems, find_tc_warm
    from tcpredict.errors import ConvergenceError

    inputs = [] if ranges is None else [ranges.to_dict()]
    if ranges is None or ranges.degenerate or not spec.parametric:
        return degenerate_band(central.tc_K, spec, inputs=inputs)
    draws = material_samples(ranges, spectrum, mustar, central.mustar_at_meV, spec.samples,
                             spec.seed)
    ad0 = float(allen_dynes_tc_K(spectrum.lam, spectrum.omega_log_meV, spectrum.omega2_meV,
                                 mustar))
    ratio = central.tc_K / ad0 if (central.tc_K and ad0 > 0) else 1.0
    sens = central.sensitivity or {}
    slope = sens.get("dlnrho_dlnT", -0.25)
    out, notes, bad = [], [], 0
    for d in draws:
        try:
            mu_c = rescale_mustar(d.mustar, d.mustar_at_meV, central.cutoff_meV)
            op = LinearizedOperator([d.kernel], [mu_c], central.cutoff_meV, grid="compressed")
            ad = float(allen_dynes_tc_K(d.lam, d.omega_log_meV, d.omega2_meV, d.mustar))
            guess = _clip_guess(ad * ratio, central.tc_K, central.t_min_K)
            tc, _ = find_tc_warm(op, guess, central.t_min_K, central.rtol, t_max_K=1e4,
                                 slope=slope if slope < 0 else -0.25)
        except (ValueError, ConvergenceError) as exc:
            out.append(math.nan)
            notes.append(f"draw {len(out) - 1}: {exc}")
            continue
        if cutoff_problems(tc, central.cutoff_meV, d.spectrum.omega_max_meV):
            bad += 1
        out.append(tc)
    if bad:
        notes.append(f"not converged: {bad} of {len(draws)} draws have fewer than the required "
                     "Matsubara frequencies below the central cutoff at their Tc")
    return band_from_samples(central.tc_K, out, threshold_K=spec.threshold_K, inputs=inputs,
                             settings=_settings(spec), notes=notes)


# ================================================================================ films
def film_bands(model, thickness_nm, tc_central, spec: Uncertainty) -> tuple[list, dict]:
    """Bands of a Tc(L) curve (docs/uncertainty.md §5): one :class:`Band` per thickness and the
    ``uncertainty`` object of the :class:`~tcpredict.films.film.FilmResult`.

    Parametric: each draw of the material is a :class:`~tcpredict.films.film.FilmModel` with the
    same rules, cutoff, floor and tolerance, solved over all thicknesses (warm-started along L).
    Model: the central material with every shipped (λ rule, μ* rule) pair.

    Parameters
    ----------
    model : FilmModel
        The central model (material, rules, solver settings).
    thickness_nm : array_like
        Thicknesses [nm].
    tc_central : sequence
        Central Tc [K] (None below the floor) at each thickness.
    spec : Uncertainty
    """
    from tcpredict.errors import ConvergenceError
    from tcpredict.films.film import FilmMaterial, FilmModel

    mat = model.material
    L = np.asarray(thickness_nm, dtype=float).reshape(-1)
    n = L.size
    ranges = mat.ranges
    inputs = [] if ranges is None else [ranges.to_dict()]
    notes: list[str] = []
    kw = dict(energy_dos=model.energy_dos, cutoff_meV=model.cutoff_meV, t_min_K=model.t_min_K,
              rtol=model.rtol, grid=model.grid)
    if ranges is None or ranges.degenerate or not spec.parametric:
        cols = [list(tc_central)] * spec.samples
    else:
        cols = []
        for k, d in enumerate(material_samples(ranges, mat.spectrum, mat.mustar,
                                               mat.mustar_at_meV, spec.samples, spec.seed)):
            try:
                mk = FilmMaterial(name=mat.name, spectrum=d.spectrum, n_per_nm3=mat.n_per_nm3,
                                  mustar=d.mustar, mustar_at_meV=d.mustar_at_meV,
                                  debye_K=mat.debye_K, mass_ratio=mat.mass_ratio,
                                  tc_measured_K=mat.tc_measured_K,
                                  alpha2f_is_model=mat.alpha2f_is_model)
                fm = FilmModel(mk, model.lambda_rule, model.mustar_rule, kernel=d.kernel, **kw)
                cols.append([None if t is None else float(t) for t in fm.curve(L)[3]])
            except (ValueError, ConvergenceError) as exc:
                cols.append([math.nan] * n)
                notes.append(f"draw {k}: {exc}")
    per_row_rules: list[list] = [[] for _ in range(n)]
    rules = []
    if spec.model:
        for lr, mr in rule_combinations():
            try:
                fm = FilmModel(mat, lr, mr, kernel=model.kernel if model.grid == "compressed"
                               else None, **kw)
                vals = [None if t is None else float(t) for t in fm.curve(L)[3]]
                rules.append({"lambda_rule": lr, "mustar_rule": mr, "tc_K": vals})
                for i in range(n):
                    per_row_rules[i].append({"lambda_rule": lr, "mustar_rule": mr,
                                             "tc_K": vals[i]})
            except (ValueError, ConvergenceError) as exc:
                rules.append({"lambda_rule": lr, "mustar_rule": mr, "tc_K": None,
                              "error": str(exc)})
                for i in range(n):
                    per_row_rules[i].append({"lambda_rule": lr, "mustar_rule": mr,
                                             "tc_K": None, "error": str(exc)})
    samples = [[c[i] for c in cols] for i in range(n)]
    bands = [band_from_samples(tc_central[i], samples[i], threshold_K=spec.threshold_K,
                               model=per_row_rules[i], inputs=inputs, settings=_settings(spec))
             for i in range(n)]
    unc = {**_settings(spec), "threshold_K": spec.threshold_K, "parametric": spec.parametric,
           "model": spec.model, "inputs": inputs,
           "n_failed": sum(b.n_failed for b in bands[:1]),
           "thickness_nm": [float(x) for x in L], "tc_samples_K": samples,
           "model_rules": rules, "notes": notes}
    return bands, unc


# ================================================================================ stacks
def _layer_draws(layers, spec: Uncertainty) -> list | None:
    """Per draw k, the layers with their material drawn (None: nothing to propagate)."""
    from dataclasses import replace

    varied = [la.ranges is not None and not la.ranges.degenerate for la in layers]
    if not spec.parametric or not any(varied):
        return None
    per_layer = [material_samples(la.ranges, la.spectrum, la.mustar, la.mustar_at_meV,
                                  spec.samples, spec.seed) if v else None
                 for la, v in zip(layers, varied)]
    out = []
    for k in range(spec.samples):
        out.append([la if d is None else replace(
            la, spectrum=d[k].spectrum, kernel=d[k].kernel, mustar=d[k].mustar,
            mustar_at_meV=d[k].mustar_at_meV) for la, d in zip(layers, per_layer)])
    return out


def _stack_inputs(layers) -> list:
    out = {}
    for la in layers:
        if la.ranges is not None and la.ranges.key not in out:
            out[la.ranges.key] = la.ranges.to_dict()
    return list(out.values())


def _linear_guess(central, layers_k, layers0) -> float | None:
    """Warm start of a draw: ln Tc₀ + Σ_j ∂ln Tc/∂λ_j Δλ_j + ∂ln Tc/∂μ*_j Δμ*_j (the
    sensitivities of the central result; clipped by the caller)."""
    if central.tc_K is None:
        return None
    s = central.sensitivity
    if not s:
        return central.tc_K
    x = 0.0
    for sj, lk, l0, lr in zip(s["layers"], layers_k, layers0, central.layers):
        x += sj["dlntc_dlambda"] * lr.lam * (lk.spectrum.lam / l0.spectrum.lam - 1.0)
        x += sj["dlntc_dmustar"] * (lk.mustar - l0.mustar)
    return central.tc_K * math.exp(max(min(x, 5.0), -5.0))


def stack_band(stack, central, spec: Uncertainty, **tc_kw) -> Band:
    """Band of a stack's Tc (docs/uncertainty.md §5).

    Parametric: every layer made of an element with ranges is drawn (layers of the same element
    share the draw); each draw is the same stack (interfaces, thicknesses, rules, the central
    cutoff) solved by :meth:`~tcpredict.stacks.proximity.Stack.tc`, warm-started from the
    central Tc moved by the sensitivities. Model: every confined layer with each pair of shipped
    rules (none when no layer is confined).

    Parameters
    ----------
    stack : Stack
    central : StackTcResult
        The central result (its sensitivities give the warm starts).
    spec : Uncertainty
    **tc_kw
        Solver settings passed to every :meth:`Stack.tc` (``t_min_K``, ``rtol``, ``method``,
        ``panel_factor``, ``order``).
    """
    from dataclasses import replace

    from tcpredict.errors import ConvergenceError
    from tcpredict.stacks.proximity import Stack

    layers = list(stack.layers)
    kw = dict(tc_kw, layer_tc=False, sensitivity=False)
    t_min = kw.get("t_min_K", central.t_min_K)
    slope = central.dlnrho_dlnT if central.dlnrho_dlnT < 0 else None
    draws = _layer_draws(layers, spec)
    notes: list[str] = []
    if draws is None:
        samples = [central.tc_K] * spec.samples
    else:
        samples, bad = [], 0
        for k, lk in enumerate(draws):
            g = _clip_guess(_linear_guess(central, lk, layers) or t_min, central.tc_K, t_min)
            try:
                r = Stack(lk, stack.interfaces, stack.cutoff_meV).tc(
                    t_guess_K=g, slope_guess=slope, **kw)
            except (ValueError, ConvergenceError) as exc:
                samples.append(math.nan)
                notes.append(f"draw {k}: {exc}")
                continue
            bad += not r.converged
            samples.append(r.tc_K)
        if bad:
            notes.append(f"not converged: {bad} of {len(draws)} draws (cutoff; see the notes "
                         "of a single solve)")
    model = []
    if spec.model and any(la.confined for la in layers):
        for lr, mr in rule_combinations():
            lk = [replace(la, lambda_rule=lr, mustar_rule=mr) if la.confined else la
                  for la in layers]
            try:
                r = Stack(lk, stack.interfaces, stack.cutoff_meV).tc(
                    t_guess_K=central.tc_K or t_min, slope_guess=slope, **kw)
                model.append({"lambda_rule": lr, "mustar_rule": mr, "tc_K": r.tc_K})
            except (ValueError, ConvergenceError) as exc:
                model.append({"lambda_rule": lr, "mustar_rule": mr, "tc_K": None,
                              "error": str(exc)})
    return band_from_samples(central.tc_K, samples, threshold_K=spec.threshold_K, model=model,
                             inputs=_stack_inputs(layers), settings=_settings(spec),
                             notes=notes)


def map_grid_bands(la, lb, interface_kw: dict, da, db, central_grid, cutoff_meV: float,
                   spec: Uncertainty, tc_kw: dict) -> dict:
    """Per grid point of a bilayer map: p16, p84 (and P(Tc ≥ threshold)) over the draws, and the
    range over the shipped rules (docs/uncertainty.md §6). Arrays of the grid's shape; 0 where
    none above the floor (the map's convention), NaN where a draw failed everywhere.

    Each draw (and each rule pair) walks the grid in serpentine order, every root search
    warm-started from the central Tc at that point times the draw's ratio at the previous one.
    """
    from dataclasses import replace

    from tcpredict.errors import ConvergenceError
    from tcpredict.stacks.proximity import bilayer

    na, nb = len(da), len(db)
    t_min = tc_kw["t_min_K"]
    kw = dict(tc_kw, layer_tc=False, sensitivity=False)
    order = [(i, j) for i in range(na)
             for j in (range(nb) if i % 2 == 0 else range(nb - 1, -1, -1))]

    def walk(a, b):
        out = np.zeros((na, nb))
        ratio, last = 1.0, None
        for i, j in order:
            c = central_grid[i, j]
            g = c * ratio if c > 0 else (last or t_min)
            r = bilayer(a.with_thickness(da[i]), b.with_thickness(db[j]), cutoff_meV=cutoff_meV,
                        **interface_kw).tc(t_guess_K=max(g, t_min), **kw)
            t = r.tc_K or 0.0
            out[i, j] = t
            last = r.tc_K
            if t > 0 and c > 0:
                ratio = t / c
        return out

    draws = _layer_draws([la, lb], spec)
    notes: list[str] = []
    if draws is None:
        stack_k = np.repeat(np.asarray(central_grid, dtype=float)[None], spec.samples, axis=0)
    else:
        grids = []
        for k, (a, b) in enumerate(draws):
            try:
                grids.append(walk(a, b))
            except (ValueError, ConvergenceError) as exc:
                grids.append(np.full((na, nb), math.nan))
                notes.append(f"draw {k}: {exc}")
        stack_k = np.array(grids)
    ok = np.isfinite(stack_k[:, 0, 0])
    good = stack_k[ok]
    out = {}
    if good.size:
        p = np.percentile(good, [16.0, 84.0], axis=0, method="inverted_cdf")
        out["tc_p16_K"], out["tc_p84_K"] = p[0], p[1]
        if spec.threshold_K is not None:
            out["p_superconducting"] = (good >= spec.threshold_K).mean(axis=0)
    else:
        out["tc_p16_K"] = out["tc_p84_K"] = np.full((na, nb), math.nan)
    if spec.model and (la.confined or lb.confined):
        rule_grids = []
        for lr, mr in rule_combinations():
            a = replace(la, lambda_rule=lr, mustar_rule=mr) if la.confined else la
            b = replace(lb, lambda_rule=lr, mustar_rule=mr) if lb.confined else lb
            try:
                rule_grids.append(walk(a, b))
            except (ValueError, ConvergenceError) as exc:
                notes.append(f"rules {lr}/{mr}: {exc}")
        if rule_grids:
            rg = np.array(rule_grids)
            out["tc_model_min_K"], out["tc_model_max_K"] = rg.min(axis=0), rg.max(axis=0)
    out["n_failed"] = int((~ok).sum())
    out["notes"] = notes
    return out
