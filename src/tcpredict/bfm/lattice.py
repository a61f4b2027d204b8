r"""Lattice boson–fermion model (BFM): parameters, band grids and mean field.

Model (docs/bfm_lattice.md §2, Ranninger & Robaszkiewicz 1985; Micnas, Ranninger &
Robaszkiewicz 1990):

.. math::

    H = \sum_{ij\sigma}(t_{ij} - \mu\delta_{ij}) c^\dagger_{i\sigma}c_{j\sigma}
        + (\Delta_B - 2\mu)\sum_i n_{Bi}
        + g\sum_i(\rho^+_i c_{i\downarrow}c_{i\uparrow} + c^\dagger_{i\uparrow}c^\dagger_{i\downarrow}\rho^-_i).

**Energy unit.** All energies and temperatures are in units of the bare bandwidth
D = 1 (``_D`` suffix; k_B = ħ = 1, lattice constant a = 1). Square lattice: D = 8t, so
t = 1/8; simple cubic: D = 12t, t = 1/12; ``flat`` and ``semielliptic`` are DOS-only bands
on [−D/2, D/2].

**Mean field** (docs/bfm_lattice.md §3, hard-core bosons as pseudo-spin ½; soft bosons optional):

.. math::

    Π = \frac1N\sum_k \frac{\tanh(βE_k/2)}{2E_k},\quad
    n_F = \frac1N\sum_k\Big[1 - \frac{ξ_k}{E_k}\tanh\frac{βE_k}{2}\Big],\quad
    h = [(Δ_B-2μ)^2 + 4g^2χ^2]^{1/2},\quad χ = -Δ_FΠ,

    x = -gχ\tanh(βh/2)/h,\quad n_B = \tfrac12 - \frac{Δ_B - 2μ}{2h}\tanh\frac{βh}{2},\quad
    1 = g^2Π\tanh(βh/2)/h,\quad n_{tot} = n_F + 2n_B,

with Δ_F = g x real. μ is the outer Brent root (number equation) and Δ_F the inner Brent root
(gap equation). The optional polaron renormalization (docs/bfm_lattice.md §2) replaces
Δ_B → Δ_B − α²ħω0 and g → g exp[−(α²/2) coth(ħω0/2T)].

**k sums.** L×L (L³) grids k = 2π(n+s)/L, s ∈ {0, ½} (docs/bfm_lattice.md §3), reduced exactly to the
irreducible wedge of the point group (C4v: L²/8 points, O_h: L³/48) with multiplicities; the
sums are identical to the brute-force sums over all L² points (tested).
"""

from __future__ import annotations

import logging
import math
import numbers
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
from scipy.optimize import brentq as _scipy_brentq

from tcpredict.errors import ConvergenceError

__all__ = [
    "BANDS",
    "BOSONS",
    "LatticeBFM",
    "BandGrid",
    "band_grid",
    "bare_dos",
    "MeanFieldState",
    "TStarResult",
    "pair_bubble",
    "normal_density",
    "solve_meanfield",
    "solve_t_star",
    "gap_curve",
]

log = logging.getLogger(__name__)

BANDS = ("square_nn", "cubic_nn", "flat", "semielliptic")
BOSONS = ("hardcore", "soft")
#: Half bandwidth W = D/2 in units of D.
HALF_BANDWIDTH_D = 0.5
_DEFAULT_GRID = {"square_nn": 512, "cubic_nn": 96, "flat": 20000, "semielliptic": 20000}
_SPATIAL_DIM = {"square_nn": 2, "cubic_nn": 3, "flat": 2, "semielliptic": 2}

# ---- limits (docs/bfm_lattice.md §6): inputs outside are refused with ValueError before any work
#: Largest grid_size per band. Square L: the C4v wedge has ≈ L²/8 points (L = 4096: 2.1e6 points,
#: ≈ 0.1 GB with temporaries, ≈ 10 ms per k sum); cubic L: the O_h wedge ≈ L³/48 points after an
#: (L/2)³ index mesh (L = 256: 2.1e6 mesh points, ≈ 0.2 GB); DOS-only bands: energy points.
MAX_GRID = {"square_nn": 4096, "cubic_nn": 256, "flat": 2_000_000, "semielliptic": 2_000_000}
#: Largest boson–fermion coupling g [D].
G_MAX_D = 10.0
#: Largest |Δ_B| [D].
DELTA_B_MAX_D = 100.0
#: Largest polaron coupling α (dimensionless) and range of ħω0 [D]; α²ħω0 ≤ POLARON_SHIFT_MAX_D.
ALPHA_MAX = 20.0
OMEGA0_MIN_D, OMEGA0_MAX_D = 1e-4, 100.0
POLARON_SHIFT_MAX_D = 100.0
#: Largest temperature accepted by the lattice solvers [D].
TEMPERATURE_MAX_D = 10.0
#: Largest number of temperatures of :func:`gap_curve` and of T* bracketing scan points.
MAX_TEMPERATURES = 10_000
MAX_SCAN = 1000
#: Tolerance of the mean-field number equation |n_F + 2n_B − n_tot| (``MeanFieldState.converged``).
NUMBER_TOL = 1e-8


def brentq(f, a: float, b: float, **kw) -> float:
    """:func:`scipy.optimize.brentq` whose failures (no sign change, no convergence within
    ``maxiter``) raise :class:`tcpredict.errors.ConvergenceError` — a numerical failure, never
    taken for bad input."""
    try:
        return _scipy_brentq(f, a, b, **kw)
    except ValueError as exc:
        if "different signs" in str(exc):
            raise ConvergenceError(f"root not bracketed on [{a:.6g}, {b:.6g}]: {exc}") from None
        raise
    except RuntimeError as exc:
        raise ConvergenceError(f"Brent root search did not converge: {exc}") from None


def _check_real(value, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or isinstance(value, str):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    try:
        v = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a real number, got {value!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return v


def _check_range(value, name: str, lo: float, hi: float, unit: str = "") -> float:
    v = _check_real(value, name)
    if not lo <= v <= hi:
        raise ValueError(f"{name} must lie in [{lo:g}, {hi:g}]{unit}, got {v:g}")
    return v


def _check_temperature(value, name: str = "temperature_D", positive: bool = False) -> float:
    T = _check_range(value, name, 0.0, TEMPERATURE_MAX_D, " D")
    if positive and not T > 0:
        raise ValueError(f"{name} must be > 0 (and ≤ {TEMPERATURE_MAX_D:g} D), got {T:g}")
    return T


def _check_int(value, name: str, lo: int, hi: int) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, numbers.Integral):
        v = int(value)
    elif isinstance(value, numbers.Real) and math.isfinite(float(value)) and float(value).is_integer():
        v = int(value)
    else:
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if not lo <= v <= hi:
        raise ValueError(f"{name} must lie in [{lo}, {hi}], got {v}")
    return v


@dataclass(frozen=True)
class LatticeBFM:
    r"""Immutable parameters of the lattice boson–fermion model (docs/bfm_lattice.md §2).

    Parameters
    ----------
    g_D : float
        Boson–fermion exchange g ≥ 0 [D].
    delta_b_D : float
        Bare pair level Δ_B on the axis of ε_k (band centre 0) [D].
    n_tot : float
        Total charge per site n_F + 2 n_B, in [0, 4] (dimensionless).
    band : {'square_nn', 'cubic_nn', 'flat', 'semielliptic'}
        Band of the itinerant electrons; bandwidth D = 1 in every case (t = 1/8 square,
        t = 1/12 cubic). DOS-only bands carry a model transport function (see :func:`band_grid`).
    bosons : {'hardcore', 'soft'}
        Hard-core (pseudo-spin ½, default) or soft (ideal Bose) pairs.
    grid_size : int or None
        Linear k-grid size L (square/cubic) or number of energy points (DOS-only bands);
        ``None`` takes the band default (512, 96, 20000, 20000).
    k_shift : float
        Grid offset s ∈ {0, 0.5} in k = 2π(n+s)/L (docs/bfm_lattice.md §3). Ignored for DOS-only bands.
    alpha : float
        Dimensionless polaron coupling α ≥ 0 of the optional renormalization (docs/bfm_lattice.md §2);
        0 switches it off.
    omega0_D : float or None
        Local phonon quantum ħω0 > 0 [D]; required when ``alpha > 0``.

    Notes
    -----
    Polaron-renormalized mean field (docs/bfm_lattice.md §2, [H], best for ħω0 ≫ g):
    Δ̃_B = Δ_B − α²ħω0 and g̃(T) = g exp[−(α²/2) coth(ħω0/2T)]; incoherent multiphonon
    processes are neglected.
    """

    g_D: float
    delta_b_D: float = 0.0
    n_tot: float = 1.0
    band: str = "square_nn"
    bosons: str = "hardcore"
    grid_size: int | None = None
    k_shift: float = 0.5
    alpha: float = 0.0
    omega0_D: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.band, str) or self.band not in BANDS:
            raise ValueError(f"unknown band {self.band!r}; valid: {', '.join(BANDS)}")
        if not isinstance(self.bosons, str) or self.bosons not in BOSONS:
            raise ValueError(f"unknown bosons {self.bosons!r}; valid: {', '.join(BOSONS)}")
        object.__setattr__(self, "g_D", _check_range(self.g_D, "g_D", 0.0, G_MAX_D, " D"))
        object.__setattr__(self, "delta_b_D", _check_range(self.delta_b_D, "delta_b_D",
                                                           -DELTA_B_MAX_D, DELTA_B_MAX_D, " D"))
        object.__setattr__(self, "n_tot", _check_range(self.n_tot, "n_tot", 0.0, 4.0,
                                                       " (per-site charge n_F + 2 n_B)"))
        if self.grid_size is not None:
            size = _check_int(self.grid_size, "grid_size", 4, MAX_GRID[self.band])
        else:
            size = _DEFAULT_GRID[self.band]
        object.__setattr__(self, "grid_size", size)
        k = _check_real(self.k_shift, "k_shift")
        if k not in (0.0, 0.5):
            raise ValueError(f"k_shift must be 0 or 0.5, got {self.k_shift!r}")
        object.__setattr__(self, "k_shift", k)
        a = _check_range(self.alpha, "alpha", 0.0, ALPHA_MAX, " (dimensionless)")
        object.__setattr__(self, "alpha", a)
        if self.omega0_D is not None:
            w = _check_range(self.omega0_D, "omega0_D", OMEGA0_MIN_D, OMEGA0_MAX_D, " D")
            object.__setattr__(self, "omega0_D", w)
            if a * a * w > POLARON_SHIFT_MAX_D:
                raise ValueError(f"polaron shift alpha² omega0_D = {a * a * w:g} D exceeds the "
                                 f"limit {POLARON_SHIFT_MAX_D:g} D")
        elif a > 0:
            raise ValueError("alpha > 0 requires omega0_D (phonon energy ħω0 in units of D)")

    # ----------------------------------------------------------------- derived quantities
    @property
    def hopping_t_D(self) -> float | None:
        """Nearest-neighbour hopping t [D] (1/8 square, 1/12 cubic; None for DOS-only bands)."""
        return {"square_nn": 1 / 8, "cubic_nn": 1 / 12}.get(self.band)

    @property
    def polaronic(self) -> bool:
        """True when the polaron renormalization of docs/bfm_lattice.md §2 is switched on."""
        return self.alpha > 0

    @property
    def delta_b_eff_D(self) -> float:
        """Boson level Δ̃_B = Δ_B − α²ħω0 [D] (docs/bfm_lattice.md §2; = Δ_B without polaron)."""
        if not self.polaronic:
            return float(self.delta_b_D)
        return float(self.delta_b_D - self.alpha**2 * self.omega0_D)

    def g_eff_D(self, temperature_D: float) -> float:
        """Exchange g̃(T) = g exp[−(α²/2) coth(ħω0/2T)] [D] (docs/bfm_lattice.md §2; = g without polaron)."""
        if not self.polaronic:
            return float(self.g_D)
        if temperature_D <= 0:
            coth = 1.0
        else:
            x = self.omega0_D / (2.0 * temperature_D)
            coth = 1.0 / math.tanh(x) if x < 350 else 1.0
        return float(self.g_D * math.exp(-0.5 * self.alpha**2 * coth))

    def replace(self, **changes) -> "LatticeBFM":
        """Return a copy with some fields changed (validated again)."""
        d = asdict(self)
        d.update(changes)
        return LatticeBFM(**d)

    def to_dict(self) -> dict:
        """Parameters and switches with unit-bearing keys."""
        return {
            "g_D": float(self.g_D),
            "delta_b_D": float(self.delta_b_D),
            "n_tot": float(self.n_tot),
            "band": self.band,
            "bosons": self.bosons,
            "grid_size": int(self.grid_size),
            "k_shift": float(self.k_shift),
            "alpha": float(self.alpha),
            "omega0_D": None if self.omega0_D is None else float(self.omega0_D),
            "polaron_renormalized": self.polaronic,
            "energy_unit": "D (bare bandwidth; D = 8t square, 12t cubic)",
        }


# ======================================================================== band grids
@dataclass(frozen=True, eq=False)
class BandGrid:
    r"""Weighted band points: (1/N)Σ_k F(k) = Σ_i w_i F_i (docs/bfm_lattice.md §3, §5).

    Attributes
    ----------
    eps_D : ndarray
        Band energies ε_i [D].
    weight : ndarray
        Weights w_i (multiplicity / N), Σ w_i = 1.
    exx_D : ndarray
        Direction-averaged ε_xx = ∂²ε/∂k_x² [D] (square: −ε/2, cubic: −ε/3).
    vx2_D2 : ndarray
        Direction-averaged v_x² = (∂ε/∂k_x)² [D²].
    band, size, k_shift, description
        Provenance.
    """

    eps_D: np.ndarray
    weight: np.ndarray
    exx_D: np.ndarray
    vx2_D2: np.ndarray
    band: str
    size: int
    k_shift: float
    description: str = ""

    @property
    def n_points(self) -> int:
        """Number of (reduced) points actually summed."""
        return int(self.eps_D.size)


def _unique_1d(L: int, s: float):
    k = 2.0 * np.pi * (np.arange(L) + s) / L
    c = np.round(np.cos(k), 14)
    cu, counts = np.unique(c, return_counts=True)
    return cu, counts.astype(float)


def band_grid(band: str, size: int, k_shift: float = 0.5) -> BandGrid:
    r"""Weighted points for the k sums of a band.

    Parameters
    ----------
    band : str
        ``square_nn`` (ε = −2t(cos k_x + cos k_y), t = 1/8), ``cubic_nn`` (three cosines,
        t = 1/12), ``flat`` (ρ = 1/D on [−½, ½]) or ``semielliptic``
        (ρ = (8/π)(¼ − ε²)^{1/2}).
    size : int
        L of the L^d grid, or the number of energy points of a DOS-only band.
    k_shift : float
        s in k = 2π(n+s)/L.

    Returns
    -------
    BandGrid

    Notes
    -----
    Lattices: the L cosines are reduced to their distinct values (k ↔ −k), then to index tuples
    i ≤ j (≤ k) with the number of distinct permutations as multiplicity; the result equals the
    full L^d sum exactly. ε_xx and v_x² are averaged over the equivalent directions, which leaves
    every direction-symmetric sum unchanged (docs/bfm_lattice.md §5).

    DOS-only bands need a transport function Φ(ε) = (1/N)Σ_k v_x² δ(ε − ε_k) for the stiffness
    (docs/bfm_lattice.md §2). The model choice here (an assumption, [H]) is Φ ∝ ¼ − ε² (flat) and
    Φ ∝ (¼ − ε²)^{3/2} (semi-elliptic, the Bethe-lattice form), normalized to
    ∫Φ = ⟨ε²⟩/2 as on the square lattice; then the ε_xx weight is Φ'(ε)/ρ(ε) = −ε/2 and the
    f-sum rule Σ ε_xx F = −Σ v_x² F' (gauge invariance) holds. Flat: midpoint rule in ε;
    semi-elliptic: ε = ½cos θ with a midpoint rule in θ.
    """
    if not isinstance(band, str) or band not in BANDS:
        raise ValueError(f"unknown band {band!r}; valid: {', '.join(BANDS)}")
    size = _check_int(size, "size", 4, MAX_GRID[band])  # memory bound, docs/bfm_lattice.md §6
    if isinstance(k_shift, (bool, np.bool_)) or not isinstance(k_shift, numbers.Real) \
            or float(k_shift) not in (0.0, 0.5):
        raise ValueError(f"k_shift must be 0 or 0.5, got {k_shift!r}")
    return _band_grid(band, size, float(k_shift))


@lru_cache(maxsize=4)  # a 4096² wedge is ≈ 70 MB
def _band_grid(band: str, size: int, k_shift: float) -> BandGrid:
    W = HALF_BANDWIDTH_D
    if band == "square_nn":
        t = 1.0 / 8.0
        cu, m = _unique_1d(size, k_shift)
        i, j = np.triu_indices(cu.size)
        w = m[i] * m[j] * np.where(i == j, 1.0, 2.0)
        eps = -2.0 * t * (cu[i] + cu[j])
        s2 = 1.0 - cu**2
        exx = -eps / 2.0
        vx2 = 4.0 * t**2 * (s2[i] + s2[j]) / 2.0
        desc = f"square {size}x{size}, s={k_shift}, C4v wedge {eps.size} points"
    elif band == "cubic_nn":
        t = 1.0 / 12.0
        cu, m = _unique_1d(size, k_shift)
        u = cu.size
        I, J, K = np.meshgrid(np.arange(u), np.arange(u), np.arange(u), indexing="ij")
        mask = (I <= J) & (J <= K)
        i, j, k = I[mask], J[mask], K[mask]
        nperm = np.where((i == j) & (j == k), 1.0, np.where((i == j) | (j == k), 3.0, 6.0))
        w = m[i] * m[j] * m[k] * nperm
        eps = -2.0 * t * (cu[i] + cu[j] + cu[k])
        s2 = 1.0 - cu**2
        exx = -eps / 3.0
        vx2 = 4.0 * t**2 * (s2[i] + s2[j] + s2[k]) / 3.0
        desc = f"cubic {size}^3, s={k_shift}, Oh wedge {eps.size} points"
    elif band == "flat":
        eps = -W + (np.arange(size) + 0.5) * (2 * W / size)
        w = np.ones(size)
        exx = -eps / 2.0
        vx2 = (W**2 - eps**2) / 4.0
        desc = f"flat DOS, {size} midpoints"
    else:  # semielliptic
        theta = np.pi * (np.arange(size) + 0.5) / size
        eps = W * np.cos(theta)
        w = np.sin(theta) ** 2
        exx = -eps / 2.0
        vx2 = (W**2 - eps**2) / 6.0
        desc = f"semi-elliptic DOS, {size} midpoints in theta"
    w = w / w.sum()
    for a in (eps, w, exx, vx2):
        a.setflags(write=False)
    return BandGrid(eps, w, exx, vx2, band, int(size), float(k_shift), desc)


def _grid(model: LatticeBFM) -> BandGrid:
    return band_grid(model.band, model.grid_size, model.k_shift)


def bare_dos(band: str, eps_D) -> np.ndarray:
    r"""Bare density of states per spin ρ_0(ε) [1/D], normalized ∫ρ_0 = 1.

    Square lattice: ρ_0(ε) = K(1 − ε²/(16t²))/(2π²t) (complete elliptic integral K(m), t = 1/8;
    Economou, *Green's Functions in Quantum Physics*, §5.3); flat: 1/D; semi-elliptic:
    (8/π)(¼ − ε²)^{1/2}. The cubic lattice has no closed form; use :func:`band_grid`.
    """
    from scipy.special import ellipk

    e = np.asarray(eps_D, dtype=float)
    W = HALF_BANDWIDTH_D
    inside = np.abs(e) < W
    out = np.zeros_like(e)
    if band == "square_nn":
        t = 1.0 / 8.0
        m = 1.0 - (e[inside] / (4 * t)) ** 2
        with np.errstate(divide="ignore"):
            out[inside] = ellipk(m) / (2 * np.pi**2 * t)
    elif band == "flat":
        out[inside] = 1.0 / (2 * W)
    elif band == "semielliptic":
        out[inside] = (2.0 / (np.pi * W**2)) * np.sqrt(W**2 - e[inside] ** 2)
    else:
        raise ValueError(f"bare_dos has no closed form for band {band!r}; valid: square_nn, flat, semielliptic")
    return out


# ======================================================================== kernels
def _wsum(w: np.ndarray, x: np.ndarray) -> float:
    """Σ w_i x_i without BLAS (np.dot on 1-D arrays can oversubscribe threads on a loaded host)."""
    return float(np.add.reduce(w * x))


def _tanh_over_2x(x: np.ndarray, T: float) -> np.ndarray:
    """tanh(x/2T)/(2x) with the x → 0 limit 1/(4T); T = 0: 1/(2|x|)."""
    ax = np.abs(x)
    if T <= 0:
        with np.errstate(divide="ignore"):
            return 0.5 / ax
    small = ax < 1e-12 * max(T, 1e-300)
    safe = np.where(small, 1.0, ax)
    with np.errstate(over="ignore"):  # x/2T → inf for T → 0⁺ is the exact tanh → 1 limit
        return np.where(small, 0.25 / T, np.tanh(safe / (2.0 * T)) / (2.0 * safe))


def _tanh_over_x_scalar(h: float, T: float) -> float:
    """tanh(βh/2)/h with limit β/2 at h → 0 (docs/bfm_lattice.md §3)."""
    h = abs(h)
    if T <= 0:
        return math.inf if h == 0 else 1.0 / h
    if h < 1e-12 * T:
        return 0.5 / T
    return math.tanh(h / (2.0 * T)) / h


def _fermi(x, T: float):
    x = np.asarray(x, dtype=float)
    if T <= 0:
        return np.where(x < 0, 1.0, np.where(x > 0, 0.0, 0.5))
    with np.errstate(over="ignore"):  # x/2T → ±inf: the exact step limit
        return 0.5 * (1.0 - np.tanh(x / (2.0 * T)))


def _bose(x: float, T: float) -> float:
    if x <= 0:
        return math.inf
    if T <= 0:
        return 0.0
    y = x / T
    return 0.0 if y > 700 else 1.0 / math.expm1(y)


def pair_bubble(grid: BandGrid, mu_D: float, gap_D: float, temperature_D: float) -> float:
    r"""Π = (1/N)Σ_k tanh(βE_k/2)/(2E_k) [1/D] with E_k = (ξ_k² + Δ_F²)^{1/2} (docs/bfm_lattice.md §3).

    At Δ_F = 0 this is the normal-state pair susceptibility Π(T) of docs/bfm_lattice.md §9 identity 10.
    """
    xi = grid.eps_D - mu_D
    E = np.sqrt(xi * xi + gap_D * gap_D)
    return float(_wsum(grid.weight, _tanh_over_2x(E, temperature_D)))


def _pi_and_nf(grid: BandGrid, mu: float, gap: float, T: float) -> tuple[float, float]:
    xi = grid.eps_D - mu
    E = np.sqrt(xi * xi + gap * gap)
    k = _tanh_over_2x(E, T)  # tanh(βE/2)/(2E)
    pi = float(_wsum(grid.weight, k))
    nf = float(_wsum(grid.weight, 1.0 - 2.0 * xi * k))
    return pi, nf


def normal_density(grid: BandGrid, mu_D: float, temperature_D: float) -> float:
    """Normal-state fermion density n_F = (2/N)Σ_k f(ξ_k) (both spins)."""
    return float(2.0 * _wsum(grid.weight, _fermi(grid.eps_D - mu_D, temperature_D)))


# ======================================================================== results
def _clean(v):
    if isinstance(v, (np.floating, float)):
        v = float(v)
        return v if math.isfinite(v) else None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    return v


@dataclass(frozen=True)
class MeanFieldState:
    r"""Self-consistent mean-field state at one temperature (docs/bfm_lattice.md §3).

    Attributes
    ----------
    temperature_D, mu_D, gap_D : float
        T, chemical potential μ and fermion gap Δ_F = g̃x [D].
    pair_amplitude_x : float
        x = ⟨ρ⁻⟩ ≥ 0 (gauge: Δ_F real positive).
    fermion_pair_chi : float
        χ = ⟨c↓c↑⟩ = −Δ_F Π (≤ 0).
    n_fermion, n_boson, n_tot : float
        Densities per site (n_tot = n_F + 2 n_B as solved).
    boson_level_D : float
        Δ̃_B − 2μ [D].
    g_eff_D : float
        Exchange used (g̃(T) with polaron, else g) [D].
    superconducting : bool
        Δ_F > 0.
    number_residual, gap_residual : float
        |n_F + 2n_B − n_tot| and |g²Π tanh(βh/2)/h − 1| (0 when normal).
    outer_iterations : int
        Brent iterations of the μ root.
    model : dict
        Parameters and switches.
    """

    temperature_D: float
    mu_D: float
    gap_D: float
    pair_amplitude_x: float
    fermion_pair_chi: float
    n_fermion: float
    n_boson: float
    n_tot: float
    boson_level_D: float
    g_eff_D: float
    superconducting: bool
    number_residual: float
    gap_residual: float
    outer_iterations: int
    model: dict = field(default_factory=dict)

    @property
    def converged(self) -> bool:
        """True when the number equation holds to :data:`NUMBER_TOL` (it may not where n(μ) is
        discontinuous, e.g. at a Bose condensate of soft bosons)."""
        return self.number_residual <= NUMBER_TOL

    def to_dict(self) -> dict:
        return _clean(asdict(self))


@dataclass(frozen=True)
class TStarResult:
    r"""Mean-field pairing temperature T*_MF where the pair amplitude vanishes (docs/bfm_lattice.md §3).

    Attributes
    ----------
    t_star_D : float
        T*_MF [D]; 0.0 when no pairing instability exists above ``t_min_D`` (see ``found``).
    mu_D : float
        μ(T*) [D] from the normal-state number equation.
    n_boson : float
        Normal-state boson density at T*.
    found : bool
        Whether a root was bracketed.
    t_min_D : float
        Lowest temperature searched [D].
    gap_residual, number_residual : float
        Residuals of the two T* equations at the root.
    model : dict
    """

    t_star_D: float
    mu_D: float
    n_boson: float
    found: bool
    t_min_D: float
    gap_residual: float
    number_residual: float
    model: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return _clean(asdict(self))


# ======================================================================== solvers
def _mu_bracket(model: LatticeBFM, T: float, g: float) -> tuple[float, float]:
    span = HALF_BANDWIDTH_D + abs(model.delta_b_eff_D) + 2 * g + 40 * T + 0.1
    return -span, span


def _boson_occ_normal(model: LatticeBFM, a: float, T: float) -> float:
    if model.bosons == "hardcore":
        return float(_fermi(a, T))
    return _bose(a, T)


def _normal_number(model, grid, mu, T):
    a = model.delta_b_eff_D - 2 * mu
    return normal_density(grid, mu, T) + 2 * _boson_occ_normal(model, a, T)


def _solve_mu_normal(model: LatticeBFM, grid: BandGrid, T: float, g: float) -> float:
    lo, hi = _mu_bracket(model, T, g)
    if model.bosons == "soft":
        hi = model.delta_b_eff_D / 2 - 1e-14 * max(1.0, abs(model.delta_b_eff_D))
    f = lambda mu: _normal_number(model, grid, mu, T) - model.n_tot  # noqa: E731
    flo, fhi = f(lo), f(hi)
    if flo > 0 or (model.bosons == "hardcore" and fhi < 0):
        raise ConvergenceError(f"cannot bracket mu for n_tot={model.n_tot} at T={T}")
    if model.bosons == "soft" and fhi < 0:
        # soft bosons: n diverges as mu -> delta_b/2 (Bose condensation of free bosons)
        raise ConvergenceError("soft bosons: n_tot not reached below the boson level "
                               "(Bose condensate)")
    return brentq(f, lo, hi, xtol=1e-14, rtol=1e-15, maxiter=200)


def _gap_state(model: LatticeBFM, grid: BandGrid, mu: float, T: float, g: float):
    """Inner gap solution at fixed μ: returns (Δ_F, Π, n_F, h, gap residual)."""
    a = model.delta_b_eff_D - 2 * mu
    soft = model.bosons == "soft"

    def gapfun(d):
        pi, _ = _pi_and_nf(grid, mu, d, T)
        if soft:
            return g * g * pi / a - 1.0
        h = math.sqrt(a * a + 4 * g * g * (d * pi) ** 2)
        return g * g * pi * _tanh_over_x_scalar(h, T) - 1.0

    if g == 0 or (soft and a <= 0):
        d = 0.0
    else:
        d_lo = 1e-13 * g
        if gapfun(d_lo) <= 0:
            d = 0.0
        else:
            # g²Πtanh(βh/2)/h <= g/(2Δ) (hard core); soft bosons: Δ <= g (a bounded) -> expand
            d_hi = 0.5 * g * (1 + 1e-9) if not soft else max(g, 1e-12)
            while gapfun(d_hi) > 0:
                d_hi *= 2.0
                if d_hi > 1e8:  # soft bosons with Δ_B − 2μ → 0⁺: Δ_F ≈ g²/(2a) diverges
                    break
            if d_hi > 1e8:
                d = d_hi  # n_B = x² ≫ n_tot: only used to steer the outer μ root away
            else:
                d = brentq(gapfun, d_lo, d_hi, xtol=1e-15, rtol=1e-15, maxiter=200)
    pi, nf = _pi_and_nf(grid, mu, d, T)
    chi = -d * pi
    h = math.sqrt(a * a + 4 * g * g * chi * chi)
    res = abs(gapfun(d)) if d > 0 else 0.0
    return d, pi, nf, h, a, res


def _boson_from_gap(model, g, d, pi, h, a, T):
    """x and n_B for a given gap solution (docs/bfm_lattice.md §3 hard-core / soft formulas)."""
    chi = -d * pi
    if model.bosons == "soft":
        if d == 0:
            return 0.0, _bose(a, T)
        x = -g * chi / a
        return x, x * x + _bose(a, T)
    if h == 0:
        return 0.0, 0.5
    th = _tanh_over_x_scalar(h, T)  # tanh(βh/2)/h
    x = -g * chi * th
    nb = 0.5 - 0.5 * a * th
    return x, nb


def solve_meanfield(model: LatticeBFM, temperature_D: float) -> MeanFieldState:
    r"""Solve the mean-field gap and number equations at temperature T (docs/bfm_lattice.md §3).

    Parameters
    ----------
    model : LatticeBFM
    temperature_D : float
        T ≥ 0 [D]; T = 0 uses tanh → 1.

    Returns
    -------
    MeanFieldState

    Notes
    -----
    Nested Brent roots (docs/bfm_lattice.md §3): μ outer (n_F + 2n_B = n_tot), Δ_F inner
    (1 = g²Π tanh(βh/2)/h, or 1 = g²Π/(Δ_B − 2μ) for soft bosons). The state is normal when
    the gap function is ≤ 0 as Δ_F → 0⁺. For hard-core bosons the bracket Δ_F ≤ g/2 is exact
    because g²Π tanh(βh/2)/h ≤ g/(2Δ_F). n_tot = 0 and 4 are the empty and full systems
    (μ = ∓∞ reported as None in ``to_dict``).
    """
    if not isinstance(model, LatticeBFM):
        raise ValueError(f"model must be a LatticeBFM, got {type(model).__name__}")
    T = _check_temperature(temperature_D)
    g = model.g_eff_D(T)
    grid = _grid(model)
    if model.n_tot in (0.0, 4.0):
        full = model.n_tot == 4.0
        return MeanFieldState(T, math.inf if full else -math.inf, 0.0, 0.0, 0.0,
                              2.0 if full else 0.0, 1.0 if full else 0.0, model.n_tot,
                              -math.inf if full else math.inf, g, False, 0.0, 0.0, 0,
                              model.to_dict())
    count = [0]
    cache: dict[float, tuple] = {}

    def state(mu):
        if mu not in cache:
            d, pi, nf, h, a, res = _gap_state(model, grid, mu, T, g)
            x, nb = _boson_from_gap(model, g, d, pi, h, a, T)
            cache[mu] = (d, pi, nf, h, a, res, x, nb)
        return cache[mu]

    def numfun(mu):
        count[0] += 1
        s = state(mu)
        return s[2] + 2 * s[7] - model.n_tot

    lo, hi = _mu_bracket(model, T, g)
    if model.bosons == "soft":
        hi = model.delta_b_eff_D / 2 - 1e-14 * max(1.0, abs(model.delta_b_eff_D))
    flo, fhi = numfun(lo), numfun(hi)
    if flo > 0 or fhi < 0:
        raise ConvergenceError(
            f"mean field: cannot bracket mu for n_tot={model.n_tot} at T={T} "
            f"(n({lo:.3g})-n_tot={flo:.3g}, n({hi:.3g})-n_tot={fhi:.3g})"
        )
    mu = brentq(numfun, lo, hi, xtol=1e-14, rtol=1e-15, maxiter=200)
    d, pi, nf, h, a, res, x, nb = state(mu)
    nres = abs(nf + 2 * nb - model.n_tot)
    if nres > NUMBER_TOL:
        log.warning("mean field number residual %.3g at T=%g (discontinuous n(mu))", nres, T)
    return MeanFieldState(
        temperature_D=T, mu_D=mu, gap_D=d, pair_amplitude_x=x, fermion_pair_chi=-d * pi,
        n_fermion=nf, n_boson=nb, n_tot=nf + 2 * nb, boson_level_D=a, g_eff_D=g,
        superconducting=d > 0, number_residual=nres, gap_residual=res,
        outer_iterations=count[0], model=model.to_dict(),
    )


def gap_curve(model: LatticeBFM, temperatures_D) -> list[MeanFieldState]:
    """Mean-field states Δ_F(T), μ(T) on a list of temperatures [D] (docs/bfm_lattice.md §3)."""
    try:
        ts = np.asarray(temperatures_D, dtype=float).reshape(-1)
    except (TypeError, ValueError, OverflowError):
        raise ValueError("temperatures_D must be an array of real numbers") from None
    if not 1 <= ts.size <= MAX_TEMPERATURES:
        raise ValueError(f"temperatures_D must hold 1 to {MAX_TEMPERATURES} values, got {ts.size}")
    for T in ts:
        _check_temperature(T)
    return [solve_meanfield(model, float(T)) for T in ts]


def _tstar_function(model: LatticeBFM, grid: BandGrid, T: float):
    g = model.g_eff_D(T)
    mu = _solve_mu_normal(model, grid, T, g)
    a = model.delta_b_eff_D - 2 * mu
    pi = pair_bubble(grid, mu, 0.0, T)
    if model.bosons == "soft":
        val = g * g * pi / a - 1.0
    else:
        val = g * g * _tanh_over_x_scalar(a, T) * pi - 1.0
    return val, mu, a


def solve_t_star(model: LatticeBFM, t_min_D: float = 1e-4, n_scan: int = 24) -> TStarResult:
    r"""Mean-field pairing temperature T*_MF and μ(T*) (docs/bfm_lattice.md §3).

    Solves, for (T*, μ),

    .. math::

        1 = g^2\frac{\tanh(β(Δ_B-2μ)/2)}{Δ_B-2μ}\frac1N\sum_k\frac{\tanh(βξ_k/2)}{2ξ_k},
        \qquad n_{tot} = \frac2N\sum_k f(ξ_k) + 2f(Δ_B-2μ)

    (hard-core; soft bosons: 1 = g²Π/(Δ_B − 2μ) and 2n(Δ_B − 2μ) in the number equation).
    μ(T) is a Brent root of the number equation; the largest T root of the gap condition is
    bracketed on a logarithmic scan of ``n_scan`` points in [t_min_D, T_max] and refined by
    Brent. Hard-core: g²Π tanh(βa/2)/a ≤ g²/(8T²), so T_max = g/√8 bounds the root.

    Parameters
    ----------
    model : LatticeBFM
    t_min_D : float
        Lowest temperature searched [D]; if no instability is found above it, ``found`` is False
        and ``t_star_D`` = 0.
    n_scan : int
        Points of the bracketing scan.
    """
    if not isinstance(model, LatticeBFM):
        raise ValueError(f"model must be a LatticeBFM, got {type(model).__name__}")
    t_min_D = _check_range(t_min_D, "t_min_D", 1e-12, 1.0, " D")
    n_scan = _check_int(n_scan, "n_scan", 2, MAX_SCAN)
    grid = _grid(model)
    if model.n_tot in (0.0, 4.0) or model.g_D == 0:
        return TStarResult(0.0, math.nan, model.n_tot / 2 if model.n_tot in (0.0, 4.0) else math.nan,
                           False, t_min_D, math.nan, math.nan, model.to_dict())
    t_hi = model.g_D / math.sqrt(8.0) * 1.02 + 1e-12
    fhi = _tstar_function(model, grid, t_hi)[0]
    while fhi > 0:  # soft bosons only: no a-priori bound
        t_hi *= 2
        fhi = _tstar_function(model, grid, t_hi)[0]
        if t_hi > 1e3:
            raise ConvergenceError("T* search: no upper bracket below T = 1e3 D")
    if t_hi <= t_min_D:
        return TStarResult(0.0, math.nan, math.nan, False, t_min_D, math.nan, math.nan, model.to_dict())
    ts = np.geomspace(t_hi, t_min_D, n_scan)
    prev_t, prev_f = t_hi, fhi
    bracket = None
    for T in ts[1:]:
        f = _tstar_function(model, grid, float(T))[0]
        if f > 0:
            bracket = (float(T), prev_t)
            break
        prev_t, prev_f = float(T), f
    if bracket is None:
        return TStarResult(0.0, math.nan, math.nan, False, t_min_D, math.nan, math.nan, model.to_dict())
    ts_root = brentq(lambda T: _tstar_function(model, grid, T)[0], *bracket,
                     xtol=1e-13, rtol=1e-13, maxiter=200)
    val, mu, a = _tstar_function(model, grid, ts_root)
    nb = _boson_occ_normal(model, a, ts_root)
    nres = abs(_normal_number(model, grid, mu, ts_root) - model.n_tot)
    return TStarResult(ts_root, mu, nb, True, t_min_D, abs(val), nres, model.to_dict())
