"""Matsubara grids, exact normal-state Z, μ* rescaling and the FFT Toeplitz+Hankel product."""

import numpy as np
import pytest

from tcpredict.eliashberg.matsubara import (
    ToeplitzHankel,
    fermion_frequencies_meV,
    kernel_sequence,
    n_matsubara,
    normal_state_zomega_meV,
    rescale_mustar,
)
from tcpredict.eliashberg.spectra import einstein
from tcpredict.units import K_B_MEV_PER_K


@pytest.mark.parametrize("T,wc", [(1.0, 100.0), (0.05, 400.0), (7.3, 33.3)])
def test_n_matsubara_is_the_count_below_the_cutoff(T, wc):
    n = n_matsubara(T, wc)
    w = fermion_frequencies_meV(T, n + 1)
    assert w[n - 1] < wc <= w[n]


def test_normal_state_z_equals_the_brute_force_sum():
    # eliashberg.md §2: ω_n Z_n = ω_n + πT Σ_{m∈ℤ} λ(ω_n − ω_m) sgn(ω_m); the telescoped form
    # must equal a direct sum over a huge symmetric window (the tail cancels pairwise).
    sp = einstein(10.0, 1.3)
    T = 2.0
    t = K_B_MEV_PER_K * T
    n = 40
    lam = kernel_sequence(sp, T, 2 * n)
    zw = normal_state_zomega_meV(lam, T, n)
    M = 200000
    m = np.arange(-M, M)
    wm = np.pi * t * (2 * m + 1)
    for k in (0, 7, 39):
        wk = np.pi * t * (2 * k + 1)
        direct = wk + np.pi * t * np.sum(sp.kernel(wk - wm) * np.sign(wm))
        assert zw[k] == pytest.approx(direct, rel=1e-8)  # window truncation ~1e-9


def test_rescale_mustar_morel_anderson():
    # 1/μ*(ω2) = 1/μ*(ω1) + ln(ω1/ω2) (Morel & Anderson 1962)
    mu2 = rescale_mustar(0.1, 10.0, 400.0)
    assert 1 / mu2 == pytest.approx(1 / 0.1 + np.log(10.0 / 400.0))
    assert rescale_mustar(mu2, 400.0, 10.0) == pytest.approx(0.1)
    assert rescale_mustar(0.0, 1.0, 1e6) == 0.0
    with pytest.raises(ValueError, match="cannot be rescaled"):
        rescale_mustar(0.5, 1.0, 1e3)
    with pytest.raises(ValueError):
        rescale_mustar(-0.1, 1.0, 2.0)


@pytest.mark.parametrize("n", [1, 2, 3, 17, 64])
def test_toeplitz_hankel_fft_equals_dense(n):
    rng = np.random.default_rng(n)
    c = rng.random((2, 2 * n + 1))
    th = ToeplitzHankel(c, n)
    x = rng.standard_normal((2, n))
    i = np.arange(n)
    for sign in (1.0, -1.0):
        dense = c[:, np.abs(i[:, None] - i[None, :])] + sign * c[:, i[:, None] + i[None, :] + 1]
        assert np.allclose(th.matvec(x, sign), np.einsum("lij,lj->li", dense, x), atol=1e-12)
        assert np.allclose(th.dense(sign), dense)


def test_toeplitz_hankel_rejects_short_kernel():
    with pytest.raises(ValueError):
        ToeplitzHankel(np.ones(5), 3)
