"""Smaller public helpers of the lattice and local BFM modules, against analytic results."""

import numpy as np
import pytest

from tcpredict.bfm.ed import find_displacement_peaks
from tcpredict.bfm.fluctuations import hilbert_transform
from tcpredict.bfm.lattice import LatticeBFM, band_grid, gap_curve, normal_density


def test_normal_density_half_filling():
    # particle-hole symmetric square band at μ = 0: n_F = 1 exactly, at any T
    grid = band_grid("square_nn", 64)
    for T in (0.01, 0.1, 1.0):
        assert normal_density(grid, 0.0, T) == pytest.approx(1.0, abs=1e-12)
    assert normal_density(grid, -10.0, 0.01) == pytest.approx(0.0, abs=1e-12)
    assert normal_density(grid, 10.0, 0.01) == pytest.approx(2.0, abs=1e-12)


def test_gap_curve_starts_at_g_over_two_and_closes_at_t_star():
    # resonant_pairing.md identity 8 (Δ_F = g/2 at n_tot = 2, T = 0) and §4.4 (T* = 0.02161 for
    # g = 0.1 at n_tot = 2 on 512²)
    m = LatticeBFM(g_D=0.1, delta_b_D=0.0, n_tot=2.0)
    states = gap_curve(m, [0.0, 0.01, 0.02, 0.025])
    gaps = [s.gap_D for s in states]
    assert gaps[0] == pytest.approx(0.05, abs=1e-10)
    assert gaps[0] > gaps[1] > gaps[2] > 0.0
    assert gaps[3] == pytest.approx(0.0, abs=1e-12)


def test_hilbert_transform_of_a_lorentzian():
    # H[η/(x² + η²)](x) = x/(x² + η²) (convention H[y](x) = (1/π) P∫ y(x')/(x − x') dx')
    x = np.linspace(-200.0, 200.0, 40001)
    eta = 1.0
    h = hilbert_transform(eta / (x ** 2 + eta ** 2))
    core = np.abs(x) < 20
    assert np.allclose(h[core], (x / (x ** 2 + eta ** 2))[core], atol=2e-3)


def test_displacement_peaks_of_two_gaussians():
    u = np.linspace(-6, 12, 1801)
    p = np.exp(-0.5 * (u - 0.5) ** 2) + 0.8 * np.exp(-0.5 * (u - 5.0) ** 2)
    pos, heights, prom, bimodal = find_displacement_peaks(u, p)
    assert bimodal
    assert pos[0] == pytest.approx(0.5, abs=0.02) and pos[1] == pytest.approx(5.0, abs=0.02)
    _, _, _, bimodal1 = find_displacement_peaks(u, np.exp(-0.5 * u ** 2))
    assert not bimodal1
