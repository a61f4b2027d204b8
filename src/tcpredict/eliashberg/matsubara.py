r"""Matsubara grids, the phonon kernel on them, and fast Toeplitz + Hankel products.

Conventions (docs/eliashberg.md §2): fermionic frequencies ω_n = πk_BT(2n+1); only n ≥ 0 is stored
for even (singlet, even-frequency) functions. The gap sums run over |ω_m| < ω_c, i.e. over
m = 0 … N−1 with N the number of n ≥ 0 with ω_n < ω_c (:func:`n_matsubara`).

For an even function f the sum over all m of λ(ω_n − ω_m) f_m folds to

.. math::  \sum_{m≥0} [λ(n−m) + λ(n+m+1)] f_m ,

with λ(k) ≡ λ(ν_k), ν_k = 2πk k_BT: a Toeplitz plus a Hankel matrix in (n, m). For an odd
function the Hankel part enters with a minus sign. :class:`ToeplitzHankel` applies both with one
real FFT of length ≥ 3N, O(N log N) per product, for any number of independent layers at once.

All energies in meV.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from tcpredict.units import K_B_MEV_PER_K

__all__ = [
    "n_matsubara",
    "fermion_frequencies_meV",
    "kernel_sequence",
    "normal_state_zomega_meV",
    "rescale_mustar",
    "rescale_mustar_matrix",
    "ToeplitzHankel",
    "compressed_nodes",
]


def n_matsubara(temperature_K: float, cutoff_meV: float) -> int:
    """Number N of fermionic Matsubara frequencies ω_n = πk_BT(2n+1), n ≥ 0, with ω_n < ω_c.

    At least 1. Raises ValueError for a non-positive or non-finite T or ω_c, or when N would
    exceed 10¹² (no grid of that size can be used; callers bound N further before allocating).
    """
    t = K_B_MEV_PER_K * float(temperature_K)
    if not math.isfinite(t) or t <= 0:
        raise ValueError(f"temperature must be finite and > 0 K, got {temperature_K}")
    wc = float(cutoff_meV)
    if not math.isfinite(wc) or wc <= 0:
        raise ValueError(f"cutoff must be finite and > 0 meV, got {cutoff_meV}")
    x = (wc / (np.pi * t) - 1.0) / 2.0
    if x > 1e12:
        raise ValueError(f"cutoff {wc:g} meV at T = {temperature_K:g} K would need "
                         f"{x:.3g} Matsubara frequencies")
    n = max(int(math.ceil(x)), 0)
    # ω_n < ω_c strictly: correct the round-off of the ceiling at the boundary (≤ 2 steps)
    for _ in range(3):
        if n > 0 and np.pi * t * (2 * (n - 1) + 1) >= wc:
            n -= 1
        elif np.pi * t * (2 * n + 1) < wc:
            n += 1
        else:
            break
    return max(n, 1)


def fermion_frequencies_meV(temperature_K: float, n: int) -> np.ndarray:
    """ω_n = πk_BT(2n+1) [meV] for n = 0 … n−1."""
    t = K_B_MEV_PER_K * float(temperature_K)
    return np.pi * t * (2.0 * np.arange(n) + 1.0)


def kernel_sequence(spectrum, temperature_K: float, kmax: int) -> np.ndarray:
    """λ(ν_k) for bosonic ν_k = 2πk k_BT, k = 0 … kmax−1 (docs/eliashberg.md §1)."""
    t = K_B_MEV_PER_K * float(temperature_K)
    return spectrum.kernel(2.0 * np.pi * t * np.arange(kmax))


def normal_state_zomega_meV(lam_seq: np.ndarray, temperature_K: float, n: int) -> np.ndarray:
    r"""Normal-state ω_n Z_n [meV] for n = 0 … n−1 without truncation error.

    The sum over all m telescopes exactly (docs/eliashberg.md §2):
    ω_n Z_n = ω_n + πk_BT [λ(0) + 2 Σ_{k=1}^{n} λ(2πk k_BT)].

    ``lam_seq`` must hold λ(ν_k) for k = 0 … ≥ n−1. Works on a stack: ``lam_seq`` may have shape
    (layers, K), in which case the result has shape (layers, n).
    """
    lam_seq = np.asarray(lam_seq, dtype=float)
    t = K_B_MEV_PER_K * float(temperature_K)
    wn = fermion_frequencies_meV(temperature_K, n)
    tail = np.zeros(lam_seq.shape[:-1] + (n,))
    if n > 1:
        tail[..., 1:] = 2.0 * np.cumsum(lam_seq[..., 1:n], axis=-1)
    return wn + np.pi * t * (lam_seq[..., :1] + tail)


def rescale_mustar(mustar: float, from_meV: float, to_meV: float) -> float:
    r"""Morel–Anderson rescaling of the Coulomb pseudopotential between cutoffs.

    1/μ*(ω₂) = 1/μ*(ω₁) + ln(ω₁/ω₂), i.e. μ*(ω₂) = μ*/[1 + μ* ln(ω₁/ω₂)]
    (P. Morel & P. W. Anderson, Phys. Rev. 125, 1263 (1962); docs/eliashberg.md §2).

    Raises
    ------
    ValueError
        If μ* < 0 or not finite, a cutoff is not positive, or the rescaled μ* would diverge
        (the target cutoff is
        so much larger than the reference that 1 + μ* ln(ω₁/ω₂) ≤ 0).
    """
    if not (math.isfinite(mustar) and mustar >= 0):
        raise ValueError(f"μ* must be finite and ≥ 0, got {mustar}")
    if from_meV <= 0 or to_meV <= 0:
        raise ValueError("the energies at which μ* is defined must be > 0 meV")
    if mustar == 0:
        return 0.0
    den = 1.0 + mustar * np.log(from_meV / to_meV)
    if den <= 0:
        raise ValueError(
            f"μ* = {mustar} defined at {from_meV:g} meV cannot be rescaled to {to_meV:g} meV "
            "(Morel–Anderson denominator ≤ 0); lower the cutoff or μ*"
        )
    return float(mustar / den)


def rescale_mustar_matrix(mustar, from_meV: float, to_meV: float) -> np.ndarray:
    r"""Morel–Anderson rescaling of a multiband Coulomb pseudopotential MATRIX between cutoffs.

    .. math:: μ^*(ω_2) = \big[\mathbb 1 + μ^*(ω_1) \ln(ω_1/ω_2)\big]^{-1} μ^*(ω_1)

    (docs/multiband.md §3). The matrix form follows from summing the Coulomb ladder between the
    two cutoffs with the band-resolved propagators, exactly as the scalar rule does for one band
    (Morel & Anderson, Phys. Rev. 125, 1263 (1962)); it is the rule of ebmb's self-consistent
    solvers (J. Berges, ebmb manual, Eq. "cDOS rescaling"). For a 1×1 matrix it equals
    :func:`rescale_mustar`. Detailed balance N_iμ*_ij = N_jμ*_ji is preserved. Rescaling element
    by element, μ*_ij/(1 + μ*_ij ln(ω₁/ω₂)) (ebmb's ``critical``), is NOT equivalent when μ* has
    off-diagonal elements and breaks detailed balance.

    Raises
    ------
    ValueError
        If μ* has negative or non-finite elements, is not square, an energy is not positive, or
        1 + μ* ln(ω₁/ω₂) is singular or has an eigenvalue ≤ 0 (the rescaled μ* would diverge).
    """
    mu = np.asarray(mustar, dtype=float)
    if mu.ndim != 2 or mu.shape[0] != mu.shape[1]:
        raise ValueError(f"μ* must be a square matrix, got shape {mu.shape}")
    if not np.all(np.isfinite(mu)) or np.any(mu < 0):
        raise ValueError("μ* matrix elements must be finite and ≥ 0")
    if not (math.isfinite(from_meV) and math.isfinite(to_meV)) or from_meV <= 0 or to_meV <= 0:
        raise ValueError("the energies at which μ* is defined must be finite and > 0 meV")
    if not np.any(mu):
        return np.zeros_like(mu)
    a = np.eye(mu.shape[0]) + mu * math.log(from_meV / to_meV)
    ev = np.linalg.eigvals(a)
    if np.any(ev.real <= 0) or np.min(np.abs(ev)) < 1e-12:
        raise ValueError(
            f"μ* matrix defined at {from_meV:g} meV cannot be rescaled to {to_meV:g} meV "
            "(1 + μ* ln(ω₁/ω₂) has an eigenvalue ≤ 0); lower the cutoff or μ*")
    return np.linalg.solve(a, mu)


def _fast_len(n: int) -> int:
    """Smallest 5-smooth integer (2^a 3^b 5^c) ≥ n: an efficient FFT length (numpy's pocketfft
    is fastest on such sizes)."""
    best = 1 << max(int(n - 1).bit_length(), 0)
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            m = p35
            while m < n:
                m *= 2
            best = min(best, m)
            p35 *= 3
        p5 *= 5
    return best


class ToeplitzHankel:
    r"""Batched products y = (T ± H) x with T_nm = c_{|n−m|}, H_nm = c_{n+m+1}, 0 ≤ n, m < N.

    Parameters
    ----------
    lam_seq : ndarray, shape (L, K) or (K,)
        Kernel values c_k = λ(ν_k), K ≥ 2N, for L independent layers.
    n : int
        Matrix size N.

    Notes
    -----
    Both products are linear convolutions and are evaluated with one real FFT of length
    ≥ 3N − 1 (O(N log N)); the Hankel part uses the reversed input vector.
    """

    def __init__(self, lam_seq: np.ndarray, n: int):
        c = np.atleast_2d(np.asarray(lam_seq, dtype=float))
        if c.shape[1] < 2 * n:
            raise ValueError(f"kernel sequence needs ≥ {2 * n} values, got {c.shape[1]}")
        self.n = n
        self.layers = c.shape[0]
        self._c = c
        self.nfft = _fast_len(4 * n)
        # Toeplitz generator on indices −(N−1)…(N−1): place c_{|k|} so that conv(x, g)[n+N−1] = Σ c_{|n−m|} x_m
        g = np.zeros((self.layers, 2 * n - 1))
        g[:, n - 1:] = c[:, :n]
        g[:, :n - 1] = c[:, n - 1:0:-1]
        # Hankel: y_n = Σ_m c_{n+m+1} x_m = Σ_j c_{n+N−j} xr_j, xr_j = x_{N−1−j}
        h = c[:, :2 * n]
        self._gf = np.fft.rfft(g, self.nfft, axis=-1)
        self._hf = np.fft.rfft(h, self.nfft, axis=-1)

    def dense(self, sign: float = 1.0) -> np.ndarray:
        """The dense matrices T + sign·H, shape (L, N, N) (for small N and for tests)."""
        idx = np.arange(self.n)
        d = np.abs(idx[:, None] - idx[None, :])
        s = idx[:, None] + idx[None, :] + 1
        return self._c[:, d] + sign * self._c[:, s]

    def matvec(self, x: np.ndarray, sign: float = 1.0) -> np.ndarray:
        """(T + sign·H) x for x of shape (L, N) (or (N,) when L = 1)."""
        x = np.asarray(x, dtype=float)
        squeeze = x.ndim == 1
        x2 = np.atleast_2d(x)
        n = self.n
        xf = np.fft.rfft(x2, self.nfft, axis=-1)
        xrf = np.fft.rfft(x2[:, ::-1], self.nfft, axis=-1)
        yt = np.fft.irfft(xf * self._gf, self.nfft, axis=-1)[:, n - 1:2 * n - 1]
        yh = np.fft.irfft(xrf * self._hf, self.nfft, axis=-1)[:, n:2 * n]
        y = yt + sign * yh
        return y[0] if squeeze else y


@functools.lru_cache(maxsize=16)
def _leggauss(order: int):
    return np.polynomial.legendre.leggauss(order)


def compressed_nodes(temperature_K: float, cutoff_meV: float, panel_meV: float, *,
                     n_exact: int = 96, n_head: int = 32, order: int = 4,
                     max_nodes: int | None = None, free_meV: float | None = None,
                     growth: float = 1.0):
    r"""Nyström nodes x (continuous Matsubara index) and weights c for Σ_{m=0}^{N−1} f(m).

    The first ``n_head`` indices are kept exactly (weight 1); the range [n_head − ½, N − ½] is
    split into panels of ``order`` Gauss–Legendre nodes, each panel no longer than its distance
    from −½ (f ∝ 1/(2x+1) is analytic there) nor than ``panel_meV`` in energy. Replacing the
    sum over integers by the integral from −½ shifts the tail of the sum by the midpoint
    Euler–Maclaurin term −[f′]/24, of relative order 1/(48 n_head²) ≈ 2e-5.

    Returns
    -------
    x : ndarray
        Nodes (index units; ω(x) = πk_BT(2x+1)).
    c : ndarray
        Weights (number of Matsubara indices each node stands for).
    n_full : int
        N, the number of Matsubara frequencies below ω_c.

    Raises
    ------
    ValueError
        Before allocating, when N exceeds :data:`tcpredict.limits.MAX_MATSUBARA_COMPRESSED` or
        the nodes would exceed ``max_nodes`` (default
        :data:`tcpredict.limits.MAX_COMPRESSED_SIZE`): README "Limits".
    """
    from tcpredict.limits import MAX_COMPRESSED_SIZE, MAX_MATSUBARA_COMPRESSED

    n_full = n_matsubara(temperature_K, cutoff_meV)
    if n_full > MAX_MATSUBARA_COMPRESSED:
        raise ValueError(f"T = {temperature_K:g} K with the cutoff {cutoff_meV:g} meV needs "
                         f"N = {n_full} Matsubara frequencies, above the limit "
                         f"{MAX_MATSUBARA_COMPRESSED} (README \"Limits\"): raise the "
                         "temperature (t_min_K) or lower the cutoff")
    if n_full <= n_exact:
        return np.arange(n_full, dtype=float), np.ones(n_full), n_full
    t = K_B_MEV_PER_K * temperature_K
    cap = max(panel_meV / (2.0 * np.pi * t), 1.0)
    # panels: doubling from n_head up to the cap, then of width cap (estimated before building)
    grow = math.ceil(math.log2(max(cap, n_head) / n_head)) + 1
    span = n_full - n_head  # indices covered by capped panels (fewer with a free tail)
    if free_meV is not None:
        xf = free_meV / (2.0 * np.pi * t)
        span = min(span, max(xf - n_head, 0.0))
        grow += math.log(max(n_full / max(xf, n_head), 1.0)) / math.log1p(growth) + 1
    est = order * (grow + span / cap) + n_head
    limit = MAX_COMPRESSED_SIZE if max_nodes is None else max_nodes
    if min(est, n_full) > limit:  # (a grid no smaller than N falls back to the full grid)
        raise ValueError(f"the cutoff {cutoff_meV:g} meV needs ≈ {est:.3g} compressed Matsubara "
                         f"nodes (panels of {panel_meV:.3g} meV), above the limit {limit} "
                         "(README \"Limits\"): lower the cutoff")
    gx, gw = _leggauss(order)
    a, b = n_head - 0.5, n_full - 0.5
    edges = [a]
    while a < b - 1e-9 and a + 0.5 < cap:  # panels doubling in length (distance from −½)
        a += min(a + 0.5, b - a)
        edges.append(a)
    if a < b - 1e-9:  # then panels of the capped width, the last one shortened
        # (with a free tail: only up to the index of free_meV, beyond which they grow)
        stop = b if free_meV is None else min(b, max(a, free_meV / (2.0 * np.pi * t) - 0.5))
        if stop > a + 1e-9:
            m = math.ceil((stop - a) / cap - 1e-9)
            edges.extend(np.minimum(a + cap * np.arange(1, m + 1), stop).tolist())
            a = stop
        # the free tail: panels of length max(cap, growth × distance from −½), the last one
        # shortened: capped ones up to where growth × distance reaches the cap, then a
        # geometric sequence of edges (a + ½)(1 + growth)^k
        turn = min(b, cap / growth - 0.5)
        if turn > a + 1e-9:
            m = math.ceil((turn - a) / cap - 1e-9)
            edges.extend(np.minimum(a + cap * np.arange(1, m + 1), b).tolist())
            a = edges[-1]
        if a < b - 1e-9:
            k = math.ceil(math.log((b + 0.5) / (a + 0.5)) / math.log1p(growth) - 1e-9)
            geo = (a + 0.5) * (1.0 + growth) ** np.arange(1, k + 1) - 0.5
            edges.extend(np.minimum(geo, b).tolist())
    e = np.array(edges)
    start, length = e[:-1, None], np.diff(e)[:, None]
    size = n_head + length.size * order
    if size >= n_full:  # no gain: use the full grid
        return np.arange(n_full, dtype=float), np.ones(n_full), n_full
    x = np.empty(size)
    c = np.ones(size)
    x[:n_head] = np.arange(n_head)
    x[n_head:] = (start + 0.5 * length * (gx + 1.0)).ravel()
    c[n_head:] = (0.5 * length * gw).ravel()
    return x, c, n_full
