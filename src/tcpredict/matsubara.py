r"""Matsubara grids, the phonon kernel on them, and fast Toeplitz + Hankel products.

Conventions (eliashberg.md §2): fermionic frequencies ω_n = πk_BT(2n+1); only n ≥ 0 is stored
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

import numpy as np
import scipy.fft as sfft

from tcpredict.units import K_B_MEV_PER_K

__all__ = [
    "n_matsubara",
    "fermion_frequencies_meV",
    "kernel_sequence",
    "normal_state_zomega_meV",
    "rescale_mustar",
    "ToeplitzHankel",
]


def n_matsubara(temperature_K: float, cutoff_meV: float) -> int:
    """Number N of fermionic Matsubara frequencies ω_n = πk_BT(2n+1), n ≥ 0, with ω_n < ω_c."""
    t = K_B_MEV_PER_K * float(temperature_K)
    if t <= 0:
        raise ValueError("temperature must be > 0 K")
    n = int(np.ceil((cutoff_meV / (np.pi * t) - 1.0) / 2.0))
    # ω_n < ω_c strictly: guard against round-off at the boundary
    while n > 0 and np.pi * t * (2 * (n - 1) + 1) >= cutoff_meV:
        n -= 1
    while np.pi * t * (2 * n + 1) < cutoff_meV:
        n += 1
    return max(n, 1)


def fermion_frequencies_meV(temperature_K: float, n: int) -> np.ndarray:
    """ω_n = πk_BT(2n+1) [meV] for n = 0 … n−1."""
    t = K_B_MEV_PER_K * float(temperature_K)
    return np.pi * t * (2.0 * np.arange(n) + 1.0)


def kernel_sequence(spectrum, temperature_K: float, kmax: int) -> np.ndarray:
    """λ(ν_k) for bosonic ν_k = 2πk k_BT, k = 0 … kmax−1 (eliashberg.md §1)."""
    t = K_B_MEV_PER_K * float(temperature_K)
    return spectrum.kernel(2.0 * np.pi * t * np.arange(kmax))


def normal_state_zomega_meV(lam_seq: np.ndarray, temperature_K: float, n: int) -> np.ndarray:
    r"""Normal-state ω_n Z_n [meV] for n = 0 … n−1 without truncation error.

    The sum over all m telescopes exactly (eliashberg.md §2):
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
    (P. Morel & P. W. Anderson, Phys. Rev. 125, 1263 (1962); eliashberg.md §2).

    Raises
    ------
    ValueError
        If μ* < 0, a cutoff is not positive, or the rescaled μ* would diverge (the target cutoff is
        so much larger than the reference that 1 + μ* ln(ω₁/ω₂) ≤ 0).
    """
    if mustar < 0:
        raise ValueError(f"μ* must be ≥ 0, got {mustar}")
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
        self.nfft = sfft.next_fast_len(4 * n, real=True)
        # Toeplitz generator on indices −(N−1)…(N−1): place c_{|k|} so that conv(x, g)[n+N−1] = Σ c_{|n−m|} x_m
        g = np.zeros((self.layers, 2 * n - 1))
        g[:, n - 1:] = c[:, :n]
        g[:, :n - 1] = c[:, n - 1:0:-1]
        # Hankel: y_n = Σ_m c_{n+m+1} x_m = Σ_j c_{n+N−j} xr_j, xr_j = x_{N−1−j}
        h = c[:, :2 * n]
        self._gf = sfft.rfft(g, self.nfft, axis=-1)
        self._hf = sfft.rfft(h, self.nfft, axis=-1)

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
        xf = sfft.rfft(x2, self.nfft, axis=-1)
        xrf = sfft.rfft(x2[:, ::-1], self.nfft, axis=-1)
        yt = sfft.irfft(xf * self._gf, self.nfft, axis=-1)[:, n - 1:2 * n - 1]
        yh = sfft.irfft(xrf * self._hf, self.nfft, axis=-1)[:, n:2 * n]
        y = yt + sign * yh
        return y[0] if squeeze else y
