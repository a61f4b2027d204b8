r"""Beyond mean field: pair fluctuations in the lattice boson–fermion model (docs/bfm_lattice.md §4, §5).

Contents

- :func:`fermion_spectrum` — local fermion self-energy Σ_F(ω) on the real axis, lowest order or
  self-consistent (optionally with dressed bosons), the dressed local DOS ρ_F(ω) with
  ∫ρ_F = 1 checked, μ re-solved from n_tot, and the pseudogap depth (docs/bfm_lattice.md §4;
  Ranninger, Robin & Eschrig 1995; Ranninger & Robin 1996, cond-mat/9603084).
- :func:`pair_susceptibility` and :func:`thouless_temperature` — χ_pair(0,0) with bare or
  dressed local Green functions and the Thouless criterion 1 = g²χ_pair tanh(βE_B/2)/E_B.
- :func:`pair_propagator_real_space` — the zero-frequency pair propagator
  P(R) = TΣ_n G_0(R,iω_n)G_0(R,−iω_n) by one FFT per Matsubara frequency, batched (docs/bfm_lattice.md §5).

**Hard-core bosons.** The boson enters through its normalized anticommutator spectral function
B(ε) = −Im⟨⟨ρ⁻;ρ⁺⟩⟩⁺/π (∫B = 1 because {ρ⁻, ρ⁺} = 1 for a pseudo-spin ½). The commutator
(bosonic) spectral function of docs/bfm_lattice.md §4 is exactly A_B(ε) = tanh(βε/2)B(ε) (fluctuation–
dissipation), so ∫A_B = 1 − 2n_B with n_B = ∫B f, and A_B(ε)n(ε) = B(ε)f(ε). For the bare
level B = δ(ε − E_B), E_B = Δ̃_B − 2μ, which reproduces the spec's numerator
n_B + (1 − 2n_B)f(ξ). The local electron self-energy is then

.. math::

    \mathrm{Im}\,Σ_F(ω) = -πg^2\int dε\, B(ε)\,ρ_F(ε-ω)\,
        \big[f(ε)(1-f(ε-ω)) + (1-f(ε))f(ε-ω)\big]

(docs/bfm_lattice.md §4 local approximation; the bracket equals f(ε) + tanh(βε/2)f(ε−ω)). Dressed bosons
(option, [H]): B(ε) = −Im[ε − E_B − Σ_b(ε)]⁻¹/π with the local pair-decay self-energy

.. math::

    \mathrm{Im}\,Σ_b(ω) = -πg^2\int dε\,ρ_F(ε)ρ_F(ω-ε)\,
        \big[(1-f(ε))(1-f(ω-ε)) + f(ε)f(ω-ε)\big],

i.e. the golden-rule width (Γ↑ + Γ↓)/2 of the pseudo-spin (both decay channels), which keeps
B ≥ 0 and ∫B = 1. Real parts by Kramers–Kronig, Re F = −H[Im F] (docs/bfm_lattice.md §4), computed as an
exact transform of the piecewise-linear Im F by zero-padded FFT convolution.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy.signal import fftconvolve
from scipy.special import polygamma

from tcpredict.bfm.lattice import (
    HALF_BANDWIDTH_D,
    TEMPERATURE_MAX_D,
    LatticeBFM,
    _check_int,
    _check_range,
    _check_real,
    _check_temperature,
    _clean,
    _fermi,
    _grid,
    _solve_mu_normal,
    _tanh_over_x_scalar,
    band_grid,
    bare_dos,
    brentq,
    pair_bubble,
)

__all__ = [
    "binned_dos",
    "hilbert_transform",
    "kramers_kronig_real_part",
    "local_self_energy",
    "local_green_function",
    "local_dos",
    "FermionSpectrum",
    "fermion_spectrum",
    "pseudogap_depth",
    "pair_susceptibility",
    "thouless_temperature",
    "PairPropagator",
    "pair_propagator_real_space",
]

log = logging.getLogger(__name__)

SELF_ENERGY_ORDERS = ("lowest", "self_consistent")
BOSON_DRESSINGS = ("bare", "rpa")

# ---- limits (docs/bfm_lattice.md §6), checked before anything is allocated
#: Largest number of real frequencies 2⌈Ω/Δω⌉ + 1 of :func:`fermion_spectrum` (≈ 4 MB per array).
MAX_OMEGA_POINTS = 2**19
#: Largest (Matsubara frequencies × real frequencies) of one dressed χ_pair evaluation (≈ 10 s).
MAX_CHI_WORK = 2_000_000_000
#: Largest number of positive Matsubara frequencies of a χ_pair or P(R) sum.
MAX_MATSUBARA = 1_000_000
#: Largest linear FFT grid L of :func:`pair_propagator_real_space` and its work bound
#: (Matsubara frequencies × L², ≈ 40 s at 2.5e7 per second).
MAX_FFT_GRID = 2048
MAX_FFT_WORK = 1_000_000_000
_CHI_CHUNK_VALUES = 2**22
#: Largest number of bins of the bare DOS.
MAX_BINS = 20_000
#: Largest |μ| [D] accepted by the free-electron helpers.
MU_MAX_D = 100.0


def _n_matsubara(T: float, omega_cut: float) -> int:
    """Positive Matsubara frequencies πT(2n + 1) ≤ ω_cut, computed without looping."""
    return max(1, int(math.ceil((omega_cut / (math.pi * T) - 1) / 2)))


# ===================================================================== binned bare DOS
def binned_dos(band: str, n_bins: int = 400) -> tuple[np.ndarray, np.ndarray]:
    r"""Bare DOS per spin as exact bin weights on a uniform partition of [−D/2, D/2].

    Returns ``(edges_D, weights)`` with Σ weights = 1. Square lattice: Gauss–Legendre (24
    nodes per bin) of ρ_0 = K(1 − 16ε²)/(2π²t) with ε = 0 on a bin edge (log van Hove
    singularity at an end point); flat and semi-elliptic: exact cumulative DOS; cubic: histogram
    of the 192³ k grid (statistical, documented). The piecewise-constant DOS is the object whose
    Hilbert transform :func:`local_green_function` computes exactly.
    """
    n_bins = _check_int(n_bins, "n_bins", 8, MAX_BINS)
    if n_bins % 2:
        raise ValueError(f"n_bins must be an even integer in [8, {MAX_BINS}], got {n_bins}")
    if not isinstance(band, str) or band not in ("square_nn", "cubic_nn", "flat", "semielliptic"):
        raise ValueError(f"unknown band {band!r}")
    return _binned_dos(band, n_bins)


@lru_cache(maxsize=16)
def _binned_dos(band: str, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    W = HALF_BANDWIDTH_D
    edges = np.linspace(-W, W, n_bins + 1)
    if band in ("flat", "semielliptic"):
        if band == "flat":
            cdf = (edges + W) / (2 * W)
        else:
            e = np.clip(edges / W, -1, 1)
            cdf = 0.5 + (e * np.sqrt(1 - e * e) + np.arcsin(e)) / np.pi
        w = np.diff(cdf)
    elif band == "square_nn":
        x, wq = np.polynomial.legendre.leggauss(24)
        a, b = edges[:-1], edges[1:]
        pts = 0.5 * (b - a)[:, None] * x[None, :] + 0.5 * (a + b)[:, None]
        w = (bare_dos(band, pts) * wq[None, :]).sum(axis=1) * 0.5 * (b - a)
    elif band == "cubic_nn":
        g = band_grid("cubic_nn", 192, 0.5)
        w, _ = np.histogram(g.eps_D, bins=edges, weights=g.weight)
    else:
        raise ValueError(f"unknown band {band!r}")
    w = w / w.sum()
    edges.setflags(write=False)
    w.setflags(write=False)
    return edges, w


def local_green_function(z: np.ndarray, edges: np.ndarray, weights: np.ndarray) -> np.ndarray:
    r"""G(z) = ∫dε ρ(ε)/(z − ε) for a piecewise-constant ρ, exactly, Im z > 0.

    Each bin [e_k, e_{k+1}] of weight p_k contributes (p_k/Δe_k)[log(z − e_k) − log(z − e_{k+1})].
    """
    z = np.asarray(z, dtype=complex)
    coef = _edge_coefficients(edges, weights)
    out = np.empty(z.shape, dtype=complex)
    flat = z.reshape(-1)
    o = out.reshape(-1)
    chunk = max(1, 2_000_000 // edges.size)
    for s in range(0, flat.size, chunk):
        zz = flat[s:s + chunk, None] - edges[None, :]
        o[s:s + chunk] = np.log(zz) @ coef
    return out


def _edge_coefficients(edges, weights):
    c = weights / np.diff(edges)
    return np.concatenate([c, [0.0]]) - np.concatenate([[0.0], c])  # Σ_k log(z − e_k)(c_k − c_{k−1})


def local_dos(z: np.ndarray, edges: np.ndarray, weights: np.ndarray) -> np.ndarray:
    r"""−Im G(z)/π for a piecewise-constant ρ (same as :func:`local_green_function`, Im part only).

    Uses arg(z − e_k) = π/2 − arctan((Re z − e_k)/Im z) for Im z > 0 (real arithmetic).
    """
    z = np.asarray(z, dtype=complex).reshape(-1)
    if np.any(z.imag <= 0):
        raise ValueError("local_dos needs Im z > 0")
    coef = _edge_coefficients(edges, weights)
    out = np.empty(z.size)
    chunk = max(1, 4_000_000 // edges.size)
    for s in range(0, z.size, chunk):
        x = (z.real[s:s + chunk, None] - edges[None, :]) / z.imag[s:s + chunk, None]
        out[s:s + chunk] = (np.arctan(x) @ coef) / np.pi  # Im G = −Σ coef·arctan(x); Σ coef = 0
    return out


# ===================================================================== transforms
@lru_cache(maxsize=32)
def _hilbert_kernel(n: int) -> np.ndarray:
    m = np.arange(-n, n + 1, dtype=float)

    def xlogx(x):
        ax = np.abs(x)
        return np.where(ax > 0, x * np.log(np.where(ax > 0, ax, 1.0)), 0.0)

    k = (xlogx(m + 1) - 2 * xlogx(m) + xlogx(m - 1)) / np.pi
    k.setflags(write=False)
    return k


def hilbert_transform(y: np.ndarray) -> np.ndarray:
    r"""H[y](x_i) = (1/π) P∫ y(x')/(x_i − x') dx' for piecewise-linear y on a uniform grid.

    Exact for the linear interpolant (y = 0 outside the grid): the hat function Λ(u) has
    H[Λ](m) = [(m+1)ln|m+1| − 2m ln|m| + (m−1)ln|m−1|]/π at integer offsets m; the discrete
    convolution is done by zero-padded FFT (scipy.signal.fftconvolve), O(N log N). The result is
    independent of the grid step.
    """
    y = np.asarray(y, dtype=float)
    n = y.size
    k = _hilbert_kernel(n - 1)
    return fftconvolve(y, k)[n - 1: 2 * n - 1]


def kramers_kronig_real_part(im_f: np.ndarray) -> np.ndarray:
    r"""Re F = −(1/π)P∫ Im F(ω')/(ω − ω') dω' = −H[Im F] (docs/bfm_lattice.md §4) for a retarded F → 0 at ∞."""
    return -hilbert_transform(im_f)


def local_self_energy(omega_D: np.ndarray, dos_per_D: np.ndarray, boson_spectral_per_D: np.ndarray,
                      temperature_D: float, g_D: float) -> np.ndarray:
    r"""Local Σ_F^R(ω) [D] for a given boson spectral function A_B(ε) (docs/bfm_lattice.md §4, general form).

    .. math::

        \mathrm{Im}\,Σ_F(ω) = -πg^2\int dε\,A_B(ε)\,ρ_F(ε-ω)\,[n(ε) + f(ε-ω)]

    with A_B the commutator (bosonic) spectral function on the same symmetric uniform grid as
    ρ_F; the two correlations ∫(A_B n)(ε)ρ_F(ε−ω) and ∫A_B(ε)(ρ_F f)(ε−ω) are FFT correlations
    (A_B n at ε = 0 is taken as the limit, i.e. A_B must vanish linearly there, as a bosonic
    spectral function does). Re Σ_F by Kramers–Kronig.
    """
    om = np.asarray(omega_D, dtype=float)
    n = om.size
    if n % 2 == 0 or not np.allclose(om, -om[::-1]):
        raise ValueError("omega_D must be a symmetric uniform grid with an odd number of points")
    d = om[1] - om[0]
    T = float(temperature_D)
    if not T > 0:
        raise ValueError("temperature_D must be > 0")
    A = np.asarray(boson_spectral_per_D, dtype=float)
    rho = np.asarray(dos_per_D, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        bose = 1.0 / np.expm1(om / T)
    c = (n - 1) // 2
    an = A * bose
    an[c] = 0.5 * (an[c - 1] + an[c + 1])  # finite limit A_B(ε)n(ε) at ε = 0
    im = -np.pi * g_D**2 * (_correlate(an, rho, d) + _correlate(A, rho * _fermi(om, T), d))
    return kramers_kronig_real_part(im) + 1j * im


def _correlate(a: np.ndarray, b: np.ndarray, d: float) -> np.ndarray:
    """c(ω_j) = ∫ a(ε) b(ε − ω_j) dε on a symmetric uniform grid ω_j = (j − c)d (FFT)."""
    n = a.size
    c = (n - 1) // 2
    full = fftconvolve(a, b[::-1]) * d  # full[p] = Σ_i a_i b_{i − p + n − 1}
    return full[c: c + n]


# ===================================================================== spectra
def pseudogap_depth(omega_D: np.ndarray, dos: np.ndarray, window_D: float = 0.25) -> float:
    r"""Pseudogap depth 1 − ρ(0)/min(ρ_peak⁻, ρ_peak⁺) ∈ [0, 1].

    ρ_peak^∓ are the maxima of ρ on [−w, 0] and [0, w] (w = ``window_D`` [D]); the depth is 0
    when ρ(0) is not below both maxima (no dip). ρ(0) is linearly interpolated at ω = 0.
    """
    om = np.asarray(omega_D)
    r = np.asarray(dos)
    r0 = float(np.interp(0.0, om, r))
    left = r[(om >= -window_D) & (om <= 0)]
    right = r[(om >= 0) & (om <= window_D)]
    if left.size == 0 or right.size == 0:
        raise ValueError("window_D does not cover the frequency grid")
    peak = min(float(left.max()), float(right.max()))
    if peak <= 0 or r0 >= peak:
        return 0.0
    return 1.0 - r0 / peak


@dataclass(frozen=True, eq=False)
class FermionSpectrum:
    r"""Dressed local spectra of the lattice BFM at one temperature (docs/bfm_lattice.md §4).

    Attributes
    ----------
    omega_D : ndarray
        Real frequencies measured from μ [D] (uniform, symmetric).
    dos_per_D : ndarray
        Dressed local DOS per spin ρ_F(ω) [1/D].
    dos_bare_per_D : ndarray
        Bare DOS ρ_0(ω + μ_0) of the non-interacting normal state (cell averages) [1/D].
    sigma_D : ndarray (complex)
        Σ_F^R(ω) [D].
    temperature_D, mu_D, mu_bare_D : float
        T, μ (re-solved with ρ_F), μ of the bare normal state [D].
    boson_level_D : float
        E_B = Δ̃_B − 2μ [D].
    boson_pole_D : float
        Dressed static boson pole ε_0 = E_B − τg²χ_pair(0,0) (= E_B for bare bosons) [D].
    boson_weight_tau : float
        τ = 1 − 2n_B = tanh(βE_B/2).
    pair_susceptibility_per_D : float
        χ_pair(0,0) used for the dressing [1/D] (NaN for bare bosons).
    thouless_ratio : float
        g²χ_pair tanh(βE_B/2)/E_B (< 1 above the Thouless temperature; NaN for bare bosons).
    pseudogap_enhancement : float
        τ n(ε_0)/f(E_B): static-fluctuation enhancement of the scattering weight (1 for bare).
    n_boson : float
        f(E_B).
    dos_integral : float
        ∫ρ_F dω on the grid plus the analytic η tails outside it (should be 1).
    number_residual : float
        |n_F + 2n_B − n_tot|.
    pseudogap_depth : float
        See :func:`pseudogap_depth`.
    dos_at_fermi_level_per_D : float
        ρ_F(0) [1/D].
    order, boson_dressing : str
        Switches (``lowest``/``self_consistent``; ``bare``/``rpa``).
    iterations : int
    converged : bool
    l1_change : float
        Last ∫|ρ_new − ρ_old| dω.
    eta_D, step_D, omega_max_D : float
        Broadening i0⁺ → iη, grid step and grid half-width [D].
    n_bins : int
        Bins of the bare DOS.
    model : dict
    """

    omega_D: np.ndarray
    dos_per_D: np.ndarray
    dos_bare_per_D: np.ndarray
    sigma_D: np.ndarray
    temperature_D: float
    mu_D: float
    mu_bare_D: float
    boson_level_D: float
    boson_pole_D: float
    boson_weight_tau: float
    pair_susceptibility_per_D: float
    thouless_ratio: float
    pseudogap_enhancement: float
    n_boson: float
    dos_integral: float
    number_residual: float
    pseudogap_depth: float
    dos_at_fermi_level_per_D: float
    order: str
    boson_dressing: str
    iterations: int
    converged: bool
    l1_change: float
    eta_D: float
    step_D: float
    omega_max_D: float
    n_bins: int
    model: dict = field(default_factory=dict)

    _SCALARS = (
        "temperature_D", "mu_D", "mu_bare_D", "boson_level_D", "boson_pole_D", "boson_weight_tau",
        "pair_susceptibility_per_D", "thouless_ratio", "pseudogap_enhancement", "n_boson",
        "dos_integral", "number_residual", "pseudogap_depth", "dos_at_fermi_level_per_D", "order",
        "boson_dressing", "iterations", "converged", "l1_change", "eta_D", "step_D",
        "omega_max_D", "n_bins", "model")

    def to_dict(self, include_arrays: bool = True) -> dict:
        d = {k: getattr(self, k) for k in self._SCALARS}
        if include_arrays:
            d["omega_D"] = self.omega_D.tolist()
            d["dos_per_D"] = self.dos_per_D.tolist()
            d["dos_bare_per_D"] = self.dos_bare_per_D.tolist()
        return _clean(d)


def _bin_average_on_grid(edges, weights, x, d):
    """Cell averages of the piecewise-constant DOS on cells [x − d/2, x + d/2] (outside → 0)."""
    cdf_edges = np.concatenate([[0.0], np.cumsum(weights)])
    lo = np.interp(x - d / 2, edges, cdf_edges, left=0.0, right=1.0)
    hi = np.interp(x + d / 2, edges, cdf_edges, left=0.0, right=1.0)
    return (hi - lo) / d


def _e_over_tanh(E: float, T: float) -> float:
    """E/tanh(E/2T) with the E → 0 limit 2T."""
    y = E / (2 * T)
    if abs(y) < 1e-6:
        return 2 * T * (1 + y * y / 3)
    return E / math.tanh(y)


def _static_boson(EB: float, T: float, g2chi: float) -> tuple[float, float, float]:
    """Hard-core RPA static pole: (τ, ε_0, τ n(ε_0)) with τ = tanh(βE_B/2), ε_0 = E_B − τg²χ.

    Requires g²χ < E_B/tanh(βE_B/2) (above the Thouless temperature); the product τn(ε_0)
    stays finite as E_B → 0 (→ T/(2T − g²χ)).
    """
    tau = math.tanh(EB / (2 * T))
    r = _e_over_tanh(EB, T) - g2chi  # ε_0 = τ r
    if r <= 0:
        raise _BelowThouless(r)
    x = tau * r / T
    tn = T / r if abs(x) < 1e-12 else tau / math.expm1(x)
    return tau, tau * r, tn


class _BelowThouless(ArithmeticError):
    pass


def _check_spectrum_resources(omega_max: float, step: float, T: float, eta, step_given, rpa: bool):
    """Refuse a frequency grid (and a dressed χ_pair sum) beyond the limits, before allocating."""
    n_omega = 2 * math.ceil(omega_max / step) + 1
    why = (f"step_D = {step:g} D" if step_given is not None else
           f"step min(eta_D, temperature_D)/4 = {step:g} D (eta_D = {eta:g} D, "
           f"temperature_D = {T:g} D)")
    if n_omega > MAX_OMEGA_POINTS:
        raise ValueError(f"the frequency grid would need {n_omega:.3g} points ({why}, half-width "
                         f"{omega_max:.3g} D); the limit is {MAX_OMEGA_POINTS} points: raise eta_D "
                         f"(or the temperature) to ≥ {4 * 2 * omega_max / MAX_OMEGA_POINTS:.2g} D")
    if rpa:
        work = _n_matsubara(T, 40.0) * n_omega
        if work > MAX_CHI_WORK:
            raise ValueError(f"the dressed pair susceptibility would need {work:.3g} "
                             f"(Matsubara × real-frequency) terms at temperature_D = {T:g} D with "
                             f"{n_omega} frequencies; the limit is {MAX_CHI_WORK:.3g}: raise the "
                             "temperature or eta_D, or use --dressing bare")


def fermion_spectrum(model: LatticeBFM, temperature_D: float, *, order: str = "self_consistent",
                     boson_dressing: str = "rpa", eta_D: float = 0.004, step_D: float | None = None,
                     omega_max_D: float | None = None, n_bins: int = 400, mixing: float = 0.5,
                     tol: float = 1e-6, max_iter: int = 200,
                     window_D: float = 0.25) -> FermionSpectrum:
    r"""Local fermion self-energy and dressed DOS of the hard-core lattice BFM (docs/bfm_lattice.md §4).

    Parameters
    ----------
    model : LatticeBFM
        Hard-core bosons; the polaron switch enters through Δ̃_B and g̃(T).
    temperature_D : float
        T > 0 [D]; with ``boson_dressing='rpa'`` it must lie above the Thouless temperature
        of the chosen order (else ``ValueError``).
    order : {'lowest', 'self_consistent'}
        ``lowest``: Σ_F with the bare band ρ_0 (μ re-solved once with Σ_F fixed).
        ``self_consistent``: ρ_F, χ_pair and μ iterated with Anderson mixing until
        ∫|Δρ_F|dω < ``tol`` (docs/bfm_lattice.md §4 pseudogap recipe).
    boson_dressing : {'bare', 'rpa'}
        ``bare``: B = δ(ε − E_B), numerator n_B + (1 − 2n_B)f (docs/bfm_lattice.md §4, lowest order).
        ``rpa``: hard-core RPA propagator D = τ/(ε − E_B + τg²χ_pair(ε)), τ = 1 − 2n_B, taken in
        its static pole ε_0 = E_B − τg²χ_pair(0,0) (see Notes).
    eta_D : float
        Broadening i0⁺ → iη [D].
    step_D : float or None
        Frequency step [D]; default min(η, T)/4 (docs/bfm_lattice.md §4).
    omega_max_D : float or None
        Half-width of the grid [D]; default 1.2 + 2|μ_0| + |E_B|.
    n_bins : int
        Bins of the bare DOS (:func:`binned_dos`).
    mixing : float
        Anderson mixing parameter β (weight of the new residual; spec: 0.3–0.5).
    tol : float
        L1 stopping criterion on ρ_F.
    max_iter : int
    window_D : float
        Window of :func:`pseudogap_depth` [D].

    Returns
    -------
    FermionSpectrum

    Notes
    -----
    Self-energy (docs/bfm_lattice.md §4, local approximation, hard-core boson spectral weight
    A_B = τδ(ε − ε_0)):

    .. math::

        \mathrm{Im}\,Σ_F(ω) = -πg^2\,ρ_F(ε_0 - ω)\,τ\,[n(ε_0) + f(ε_0 - ω)].

    For bare bosons (ε_0 = E_B, τn(E_B) = f(E_B)) this is the spec's lowest-order formula
    with numerator n_B + (1 − 2n_B)f. The RPA pole is the static limit of the hard-core
    (Tyablikov-type) propagator whose divergence D⁻¹(0,0) = 0 is exactly the spec's hard-core
    Thouless criterion 1 = g²χ_pair tanh(βE_B/2)/E_B; its weight τn(ε_0) → T/(2T − g²χ_pair)
    at E_B = 0 grows as T approaches the Thouless temperature, which is what deepens the
    pseudogap as T falls. This dressing is an approximation of this implementation ([H]):
    q-dependence and the width of the boson are neglected. χ_pair(0,0) is evaluated with the
    dressed local Green function (:func:`pair_susceptibility`), so self-consistency lowers it.

    G_loc(ω) = ∫dε ρ_0(ε)/(ω + μ + iη − ε − Σ_F(ω)) is exact for the binned DOS
    (:func:`local_green_function`); ρ_F = −Im G_loc/π. The η Lorentzian tails outside the
    grid (bin by bin, Σ_F neglected beyond ±Ω) are added analytically to ∫ρ_F and to the number equation
    n_tot = 2∫ρ_F f + 2n_B, n_B = f(E_B). Re Σ_F by zero-padded FFT Kramers–Kronig. μ is updated
    by a Newton step per iteration and polished by Brent at the end. Non-convergence is logged
    and flagged (``converged`` False).
    """
    if not isinstance(model, LatticeBFM):
        raise ValueError(f"model must be a LatticeBFM, got {type(model).__name__}")
    if not isinstance(order, str) or order not in SELF_ENERGY_ORDERS:
        raise ValueError(f"unknown order {order!r}; valid: {', '.join(SELF_ENERGY_ORDERS)}")
    if not isinstance(boson_dressing, str) or boson_dressing not in BOSON_DRESSINGS:
        raise ValueError(f"unknown boson_dressing {boson_dressing!r}; valid: {', '.join(BOSON_DRESSINGS)}")
    if model.bosons != "hardcore":
        raise ValueError("fermion_spectrum implements hard-core bosons only (docs/bfm_lattice.md §4)")
    if model.n_tot in (0.0, 4.0):
        raise ValueError("n_tot = 0 or 4: the empty/full system has no Fermi level")
    T = _check_temperature(temperature_D, positive=True)
    eta_D = _check_range(eta_D, "eta_D", 1e-9, 1.0, " D")
    if step_D is not None:
        step_D = _check_range(step_D, "step_D", 1e-12, 0.1, " D")
    if omega_max_D is not None:
        omega_max_D = _check_range(omega_max_D, "omega_max_D", 0.01, 100.0, " D")
    n_bins = _check_int(n_bins, "n_bins", 8, MAX_BINS)
    mixing = _check_real(mixing, "mixing")
    if not 0 < mixing <= 1:
        raise ValueError(f"mixing must lie in (0, 1], got {mixing:g}")
    tol = _check_range(tol, "tol", 1e-14, 1.0)
    max_iter = _check_int(max_iter, "max_iter", 1, 10_000)
    window_D = _check_range(window_D, "window_D", 1e-6, 10.0, " D")
    g = model.g_eff_D(T)
    g2 = g * g
    grid = _grid(model)
    mu0 = _solve_mu_normal(model, grid, T, g)
    d = min(eta_D, T) / 4.0 if step_D is None else step_D
    if omega_max_D is None:
        omega_max_D = 1.2 + 2 * abs(mu0) + abs(model.delta_b_eff_D - 2 * mu0)
    _check_spectrum_resources(omega_max_D, d, T, eta_D, step_D, boson_dressing == "rpa")
    M = int(math.ceil(omega_max_D / d))
    om = np.arange(-M, M + 1) * d
    Om = M * d
    edges, wts = binned_dos(model.band, n_bins)
    rho_bare = _bin_average_on_grid(edges, wts, om + mu0, d)
    fm = _fermi(om, T)
    rpa = boson_dressing == "rpa"

    def dos_from(mu, sig):
        return np.maximum(local_dos(om + mu + 1j * eta_D - sig, edges, wts), 0.0)

    centres = 0.5 * (edges[1:] + edges[:-1])

    def tails(mu):
        """Weights of the η Lorentzians below −Ω and above Ω (Σ_F neglected there)."""
        left = float(np.sum(wts * (0.5 - np.arctan((Om - mu + centres) / eta_D) / np.pi)))
        right = float(np.sum(wts * (0.5 - np.arctan((Om + mu - centres) / eta_D) / np.pi)))
        return left, right

    def number(rho, mu):
        left_tail = tails(mu)[0]  # weight below −Ω, fully occupied
        nb = float(_fermi(model.delta_b_eff_D - 2 * mu, T))
        return 2.0 * (float(np.sum(rho * fm) * d) + left_tail) + 2.0 * nb

    def sigma_f(rho, mu, g2chi):
        EB = model.delta_b_eff_D - 2 * mu
        tau, eps0, tn = _static_boson(EB, T, g2chi)
        r = np.interp(eps0 - om, om, rho, left=0.0, right=0.0)
        im = -np.pi * g2 * r * (tn + tau * _fermi(eps0 - om, T))
        im = np.minimum(im, 0.0)
        return kramers_kronig_real_part(im) + 1j * im

    def chi_of(mu, sig):
        if not rpa:
            return 0.0, math.nan
        chi = pair_susceptibility(T, mu, model.band, sigma_D=sig, omega_D=om, n_bins=n_bins)
        return g2 * chi, chi

    def newton_mu(rho, sig, mu):
        n0 = number(rho, mu)
        h = 1e-5
        n1 = number(dos_from(mu + h, sig), mu + h)
        slope = (n1 - n0) / h
        if slope <= 0:
            return mu
        return mu - float(np.clip((n0 - model.n_tot) / slope, -0.02, 0.02))

    def brent_mu(sig, mu):
        def nf(m):
            return number(dos_from(m, sig), m) - model.n_tot
        lo, hi, step = mu - 1e-3, mu + 1e-3, 0.01
        while nf(lo) > 0:
            lo -= step
            step *= 2
        step = 0.01
        while nf(hi) < 0:
            hi += step
            step *= 2
        return brentq(nf, lo, hi, xtol=1e-12, maxiter=100)

    try:
        # lowest order: bare ρ_0 at μ_0 in Σ_F; χ_pair = bare Π on the binned DOS
        g2chi, chi = chi_of(mu0, None)
        if order == "self_consistent" and rpa:  # start below the bare Thouless point
            g2chi = min(g2chi, 0.5 * _e_over_tanh(model.delta_b_eff_D - 2 * mu0, T))
        sig = sigma_f(rho_bare, mu0, g2chi)
        mu = brent_mu(sig, mu0)
        rho = dos_from(mu, sig)
        it, l1, converged = 1, math.nan, order == "lowest"
        if order == "self_consistent":
            converged = False
            hist_x: list[np.ndarray] = []
            hist_f: list[np.ndarray] = []
            for it in range(2, max_iter + 1):
                g2chi_new, chi = chi_of(mu, sig)
                # damp the approach to the Thouless point; a clipped χ is never accepted as final
                rmax = _e_over_tanh(model.delta_b_eff_D - 2 * mu, T)
                g2chi = min(g2chi_new, 0.5 * (g2chi + rmax)) if rpa else 0.0
                sig = sigma_f(rho, mu, g2chi)
                new = dos_from(mu, sig)
                resid = new - rho
                l1 = float(np.sum(np.abs(resid)) * d)
                if l1 < tol and abs(g2chi - g2chi_new) <= 1e-9 * max(rmax, 1e-300):
                    converged = True
                    rho = new
                    break
                # Anderson mixing (Walker & Ni, SIAM J. Numer. Anal. 49, 1715 (2011)), depth 6
                hist_x.append(rho.copy())
                hist_f.append(resid)
                if len(hist_x) > 7:
                    hist_x.pop(0)
                    hist_f.pop(0)
                if len(hist_x) > 1:
                    dX = np.diff(np.array(hist_x), axis=0).T
                    dF = np.diff(np.array(hist_f), axis=0).T
                    gam = np.linalg.lstsq(dF, resid, rcond=None)[0]
                    rho = np.maximum(rho + mixing * resid - (dX + mixing * dF) @ gam, 0.0)
                else:
                    rho = rho + mixing * resid
                mu = newton_mu(rho, sig, mu)
            if not converged:
                log.warning("fermion_spectrum: not converged after %d iterations (L1 change %.3g)",
                            max_iter, l1)
            mu = brent_mu(sig, mu)
            rho = dos_from(mu, sig)
        EB = model.delta_b_eff_D - 2 * mu
        tau, eps0, tn = _static_boson(EB, T, g2chi)
    except _BelowThouless:
        raise ValueError(
            f"T = {T:g} D is at or below the Thouless temperature of the {order} RPA dressing "
            "(g²χ_pair tanh(βE_B/2)/E_B ≥ 1): the static boson pole is unstable there; use the "
            "mean field (bfm meanfield) or boson_dressing='bare'") from None
    fb = float(_fermi(EB, T))
    left_tail, right_tail = tails(mu)
    integral = float(np.sum(rho) * d) + left_tail + right_tail
    nres = abs(number(rho, mu) - model.n_tot)
    depth = pseudogap_depth(om, rho, window_D)
    thr = g2chi * math.tanh(EB / (2 * T)) / EB if (rpa and EB != 0) else (g2chi / (2 * T) if rpa else math.nan)
    return FermionSpectrum(
        omega_D=om, dos_per_D=rho, dos_bare_per_D=rho_bare, sigma_D=sig, temperature_D=T,
        mu_D=mu, mu_bare_D=mu0, boson_level_D=EB, boson_pole_D=eps0, boson_weight_tau=tau,
        pair_susceptibility_per_D=chi, thouless_ratio=thr,
        pseudogap_enhancement=tn / fb if fb > 0 else math.nan, n_boson=fb,
        dos_integral=integral, number_residual=nres, pseudogap_depth=depth,
        dos_at_fermi_level_per_D=float(np.interp(0.0, om, rho)), order=order,
        boson_dressing=boson_dressing, iterations=it, converged=converged, l1_change=l1,
        eta_D=eta_D, step_D=d, omega_max_D=Om, n_bins=n_bins, model=model.to_dict(),
    )


# ===================================================================== pair susceptibility
def pair_susceptibility(temperature_D: float, mu_D: float, band: str = "square_nn", *,
                        sigma_D: np.ndarray | None = None, omega_D: np.ndarray | None = None,
                        n_bins: int = 400, omega_cut_D: float = 40.0) -> float:
    r"""Uniform static pair susceptibility χ_pair(0,0) [1/D] with local Green functions (docs/bfm_lattice.md §4).

    .. math::

        χ_{pair}(0,0) = T\sum_n \int dε\,ρ_0(ε)\,|iω_n + μ - ε - Σ_F(iω_n)|^{-2},

    equal to the spec's real-axis double integral ∫dξ ρ_0 ∫∫ a a [1 − f − f]/(x + y) because
    [1 − f(x) − f(y)]/(x + y) = TΣ_n 1/((iω_n − x)(−iω_n − y)). Σ_F(iω_n) =
    ∫dx (−Im Σ_F(x)/π)/(iω_n − x) from the real-axis self-energy; Σ_F = 0 gives the bare
    Π(T) = (1/N)Σ_k tanh(βξ_k/2)/(2ξ_k) of the binned DOS. The ε integral is exact per bin
    (arctangents); the Matsubara sum runs to ``omega_cut_D`` and the remainder is added as
    ψ'(N + ½)/(2π²T) (large-ω_n form).
    """
    T = _check_temperature(temperature_D, positive=True)
    mu_D = _check_range(mu_D, "mu_D", -MU_MAX_D, MU_MAX_D, " D")
    omega_cut_D = _check_range(omega_cut_D, "omega_cut_D", 1e-2, 1e4, " D")
    if not isinstance(band, str) or band not in ("square_nn", "cubic_nn", "flat", "semielliptic"):
        raise ValueError(f"unknown band {band!r}")
    N = _n_matsubara(T, omega_cut_D)
    if N > MAX_MATSUBARA:
        raise ValueError(f"pair_susceptibility: {N} Matsubara frequencies (omega_cut_D = "
                         f"{omega_cut_D:g} D, temperature_D = {T:g} D) exceed the limit "
                         f"{MAX_MATSUBARA}")
    edges, wts = binned_dos(band, n_bins)
    c = wts / np.diff(edges)
    wn = math.pi * T * (2 * np.arange(N) + 1)
    if sigma_D is None:
        a = np.full(N, mu_D)
        b = wn
    else:
        if omega_D is None:
            raise ValueError("omega_D is required with sigma_D")
        try:
            om = np.asarray(omega_D, dtype=float).reshape(-1)
            spec = -np.asarray(sigma_D, dtype=complex).reshape(-1).imag / np.pi
        except (TypeError, ValueError):
            raise ValueError("omega_D and sigma_D must be numeric arrays") from None
        if om.size < 2 or spec.size != om.size:
            raise ValueError("omega_D and sigma_D must have the same length ≥ 2")
        if N * om.size > MAX_CHI_WORK:
            raise ValueError(f"pair_susceptibility: {N} Matsubara × {om.size} real frequencies "
                             f"exceed the work limit {MAX_CHI_WORK:.3g}")
        dw = om[1] - om[0]
        s_mats = np.empty(N, dtype=complex)
        rows = max(1, _CHI_CHUNK_VALUES // om.size)  # ≤ 64 MB of complex temporaries per chunk
        for s in range(0, N, rows):
            z = 1j * wn[s:s + rows, None] - om[None, :]
            s_mats[s:s + rows] = (spec[None, :] / z).sum(axis=1) * dw
        a = mu_D - s_mats.real
        b = wn - s_mats.imag
    total = 0.0
    for s in range(0, N, 512):
        aa, bb = a[s:s + 512, None], b[s:s + 512, None]
        at = np.arctan((edges[None, 1:] - aa) / bb) - np.arctan((edges[None, :-1] - aa) / bb)
        total += float(np.sum((at / bb) @ c))
    tail = float(polygamma(1, N + 0.5)) / (2 * math.pi**2 * T)
    return 2.0 * T * total + tail


def thouless_temperature(model: LatticeBFM, *, self_energy: str = "none", t_min_D: float = 1e-3,
                         n_scan: int = 16, **spectrum_kw) -> dict:
    r"""Thouless temperature: 1 = g²χ_pair(0,0) tanh(βE_B/2)/E_B (hard-core, docs/bfm_lattice.md §4).

    Parameters
    ----------
    model : LatticeBFM
    self_energy : {'none', 'lowest', 'self_consistent'}
        Bare Green functions (then the condition is the T*_MF equation on the binned DOS), or
        dressed by :func:`fermion_spectrum` of that order (μ re-solved with the dressed DOS).
    t_min_D : float
        Lowest temperature searched [D].
    n_scan : int
        Points of the logarithmic bracketing scan below g/√8.
    **spectrum_kw
        Passed to :func:`fermion_spectrum`.

    Returns
    -------
    dict
        ``t_thouless_D``, ``mu_D``, ``found``, ``residual``, ``self_energy``.
    """
    if not isinstance(model, LatticeBFM):
        raise ValueError(f"model must be a LatticeBFM, got {type(model).__name__}")
    if model.bosons != "hardcore":
        raise ValueError("thouless_temperature implements hard-core bosons only")
    if not isinstance(self_energy, str) or self_energy not in ("none",) + SELF_ENERGY_ORDERS:
        raise ValueError("self_energy must be one of none, lowest, self_consistent")
    t_min_D = _check_range(t_min_D, "t_min_D", 1e-6, TEMPERATURE_MAX_D, " D")
    n_scan = _check_int(n_scan, "n_scan", 2, 1000)
    if model.g_D == 0 or model.g_D / math.sqrt(8.0) * 1.02 <= t_min_D:
        return _clean({"t_thouless_D": 0.0, "mu_D": math.nan, "found": False,
                       "residual": math.nan, "self_energy": self_energy})
    grid = _grid(model)

    def F(T):
        g = model.g_eff_D(T)
        if self_energy == "none":
            mu = _solve_mu_normal(model, grid, T, g)
            chi = pair_susceptibility(T, mu, model.band)
        else:
            kw = {"boson_dressing": "bare", **spectrum_kw}
            sp = fermion_spectrum(model, T, order=self_energy, **kw)
            mu = sp.mu_D
            chi = pair_susceptibility(T, mu, model.band, sigma_D=sp.sigma_D, omega_D=sp.omega_D)
        EB = model.delta_b_eff_D - 2 * mu
        return g * g * chi * _tanh_over_x_scalar(EB, T) - 1.0, mu

    t_hi = model.g_D / math.sqrt(8.0) * 1.02
    ts = np.geomspace(t_hi, t_min_D, n_scan)
    prev = float(ts[0])
    for Tv in ts[1:]:
        if F(float(Tv))[0] > 0:
            root = brentq(lambda x: F(x)[0], float(Tv), prev, xtol=1e-6 * prev, rtol=1e-10)
            val, mu = F(root)
            return _clean({"t_thouless_D": root, "mu_D": mu, "found": True, "residual": abs(val),
                           "self_energy": self_energy})
        prev = float(Tv)
    return _clean({"t_thouless_D": 0.0, "mu_D": math.nan, "found": False, "residual": math.nan,
                   "self_energy": self_energy})


# ===================================================================== P(R)
@dataclass(frozen=True, eq=False)
class PairPropagator:
    r"""Zero-frequency pair propagator P(R) of free electrons on the square lattice (docs/bfm_lattice.md §5).

    Attributes
    ----------
    p_R : ndarray, shape (L, L)
        P(R) [1/D], index [R_x mod L, R_y mod L].
    temperature_D, mu_D, omega_max_D : float
    n_matsubara : int
        Number of positive Matsubara frequencies summed (|ω_n| ≤ ω_max).
    grid_size : int
    matsubara_tail : float
        1/(πω_max) [1/D], the spec's estimate of the truncated tail (all in P(0)).
    pi_analytic : float
        Π(T) = (1/N)Σ_k tanh(βξ_k/2)/(2ξ_k) on the same grid [1/D].
    """

    p_R: np.ndarray
    temperature_D: float
    mu_D: float
    omega_max_D: float
    n_matsubara: int
    grid_size: int
    matsubara_tail: float
    pi_analytic: float

    def at(self, rx: int, ry: int) -> float:
        """P(R) at R = (rx, ry) [1/D]."""
        L = self.grid_size
        return float(self.p_R[rx % L, ry % L])

    @property
    def sum_R(self) -> float:
        """Σ_R P(R) [1/D] (= Π(T) minus the truncated Matsubara tail, docs/bfm_lattice.md §9 identity 10)."""
        return float(self.p_R.sum())

    def to_dict(self) -> dict:
        return _clean({
            "temperature_D": self.temperature_D, "mu_D": self.mu_D, "omega_max_D": self.omega_max_D,
            "n_matsubara": self.n_matsubara, "grid_size": self.grid_size,
            "P_00_per_D": self.at(0, 0), "P_10_per_D": self.at(1, 0), "P_11_per_D": self.at(1, 1),
            "P_20_per_D": self.at(2, 0), "sum_R_per_D": self.sum_R,
            "pi_analytic_per_D": self.pi_analytic, "matsubara_tail_per_D": self.matsubara_tail,
        })


def pair_propagator_real_space(temperature_D: float, mu_D: float = 0.0, *, grid_size: int = 256,
                               omega_max_D: float = 40.0, batch: int = 32) -> PairPropagator:
    r"""P(R) = TΣ_n G_0(R,iω_n)G_0(R,−iω_n), G_0(R,iω_n) = (1/N)Σ_k e^{ik·R}/(iω_n − ξ_k) (docs/bfm_lattice.md §5).

    Square lattice, t = 1/8 (D = 1), unshifted L×L grid k = 2πn/L. One inverse FFT per
    Matsubara frequency, ``batch`` frequencies at a time. By inversion symmetry
    G_0(R,−iω_n) = G_0(R,iω_n)*, so P(R) = 2TΣ_{0 ≤ ω_n ≤ ω_max}|G_0(R,iω_n)|². Identity 10:
    Σ_R P(R) = Π(T) − TΣ_{|ω_n|>ω_max}(1/N)Σ_k 1/(ω_n² + ξ_k²) ≈ Π(T) − 1/(πω_max).
    """
    T = _check_temperature(temperature_D, positive=True)
    mu_D = _check_range(mu_D, "mu_D", -MU_MAX_D, MU_MAX_D, " D")
    L = _check_int(grid_size, "grid_size", 4, MAX_FFT_GRID)
    omega_max_D = _check_range(omega_max_D, "omega_max_D", 1e-3, 1e3, " D")
    batch = _check_int(batch, "batch", 1, 1024)
    nmax = max(1, int(math.floor((omega_max_D / (math.pi * T) - 1) / 2)) + 1)  # ω_n ≤ ω_max
    if nmax * L * L > MAX_FFT_WORK:  # work bound, before allocating (docs/bfm_lattice.md §6)
        raise ValueError(f"pair_propagator_real_space: {nmax} Matsubara frequencies × grid "
                         f"{L}² = {nmax * L * L:.3g} exceeds the work limit {MAX_FFT_WORK:.3g}; "
                         "raise temperature_D or lower grid_size / omega_max_D")
    batch = max(1, min(batch, 2**24 // (L * L)))  # ≤ 256 MB of complex FFT input per batch
    t = 1.0 / 8.0
    k = 2 * np.pi * np.arange(L) / L
    xi = -2 * t * (np.cos(k)[:, None] + np.cos(k)[None, :]) - mu_D
    wn = math.pi * T * (2 * np.arange(nmax) + 1)
    P = np.zeros((L, L))
    for s in range(0, nmax, batch):
        w = wn[s:s + batch]
        G = np.fft.ifft2(1.0 / (1j * w[:, None, None] - xi[None, :, :]), axes=(1, 2))
        P += (G.real**2 + G.imag**2).sum(axis=0)
    P *= 2 * T
    pi = pair_bubble(band_grid("square_nn", L, 0.0), mu_D, 0.0, T)
    return PairPropagator(P, T, float(mu_D), float(omega_max_D), nmax, L,
                          1.0 / (math.pi * omega_max_D), pi)
