"""Pair fluctuations of the lattice BFM: P(R), χ_pair, Σ_F and the pseudogap (spec §3.3, §3.4, §4.6)."""

import math

import numpy as np
import pytest
from scipy.special import polygamma

from tcpredict.bfm.fluctuations import (
    binned_dos,
    fermion_spectrum,
    kramers_kronig_real_part,
    local_dos,
    local_green_function,
    local_self_energy,
    pair_propagator_real_space,
    pair_susceptibility,
    thouless_temperature,
)
from tcpredict.bfm.lattice import LatticeBFM, band_grid, pair_bubble, solve_t_star

# resonant_pairing.md §4.6: t = 0.125, μ = 0, unshifted 256², |ω_n| ≤ 40
# T, P(0), P(1,0), P(1,1), P(2,0), Σ_R P(R), Π(T)
TABLE_P = [
    (0.04, 1.8446, 0.1262, 0.1066, 0.0019, 3.2270, 3.2350),
    (0.02, 2.0064, 0.1426, 0.1738, 0.0027, 4.4604, 4.4684),
    (0.01, 2.1024, 0.1481, 0.2239, 0.0102, 5.8873, 5.8953),
]


@pytest.mark.parametrize("row", TABLE_P)
def test_pair_propagator_table(row):
    T, p0, p10, p11, p20, sp, pi = row
    pr = pair_propagator_real_space(T, 0.0, grid_size=256, omega_max_D=40.0)
    for val, ref in [(pr.at(0, 0), p0), (pr.at(1, 0), p10), (pr.at(1, 1), p11), (pr.at(2, 0), p20),
                     (pr.sum_R, sp), (pr.pi_analytic, pi)]:
        assert val == pytest.approx(ref, abs=1e-4)  # ±1 in the last digit (§4)
    # §4.6: Π − Σ_R P ≈ 1/(πω_max) ≈ 0.008, the truncated Matsubara tail
    assert pr.pi_analytic - pr.sum_R == pytest.approx(pr.matsubara_tail, abs=2e-4)
    assert pr.at(1, 0) == pytest.approx(pr.at(0, 1), rel=1e-12)  # C4v


def test_identity10_exact_tail():
    # identity 10: Σ_R P(R) + TΣ_{|ω_n|>ω_max}(1/N)Σ_k 1/(ω_n²+ξ_k²) = Π(T); remainder summed
    # explicitly to n = 200000 and beyond with the trigamma asymptote
    T, L, wmax, mu = 0.05, 32, 3.0, -0.07
    pr = pair_propagator_real_space(T, mu, grid_size=L, omega_max_D=wmax)
    k = 2 * np.pi * np.arange(L) / L
    xi2 = ((-0.25 * (np.cos(k)[:, None] + np.cos(k)[None, :]) - mu) ** 2).ravel()
    n = np.arange(pr.n_matsubara, 200000)
    wn2 = (math.pi * T * (2 * n + 1)) ** 2
    tail = 0.0
    for s in range(0, n.size, 20000):
        tail += float(np.sum(np.mean(1.0 / (wn2[s:s + 20000, None] + xi2[None, :]), axis=1)))
    tail = 2 * T * tail + float(polygamma(1, 200000 + 0.5)) / (2 * math.pi**2 * T)
    assert pr.sum_R + tail == pytest.approx(pr.pi_analytic, rel=1e-9)


def test_kramers_kronig_semicircle():
    # Re G of the semicircular DOS (W = ½): 2(ω − sgn ω √(ω² − W²))/W² outside, 2ω/W² inside
    d = 1e-4
    om = np.arange(-15000, 15001) * d
    W = 0.5
    im = -np.pi * (2 / (np.pi * W**2)) * np.sqrt(np.clip(W**2 - om**2, 0, None))
    re = kramers_kronig_real_part(im)
    ref = np.where(np.abs(om) < W, 2 * om / W**2,
                   2 * (om - np.sign(om) * np.sqrt(np.clip(om**2 - W**2, 0, None))) / W**2)
    assert np.max(np.abs(re - ref)) < 5e-2  # √ band edges limit the piecewise-linear accuracy locally
    assert np.max(np.abs(re - ref)[np.abs(np.abs(om) - W) > 0.02]) < 5e-5


def test_local_green_function_exact_for_binned_dos():
    # semi-elliptic: binned-DOS Hilbert transform against the closed form G = 2(z − √(z²−W²))/W²
    e, w = binned_dos("semielliptic", 2000)
    z = np.array([0.1 + 0.05j, -0.3 + 0.02j, 0.7 + 0.01j, 0.0 + 0.3j])
    W = 0.5
    ref = 2 * (z - np.sqrt(z - W) * np.sqrt(z + W)) / W**2
    assert np.allclose(local_green_function(z, e, w), ref, atol=2e-4)
    assert np.allclose(local_dos(z, e, w), -local_green_function(z, e, w).imag / np.pi, atol=1e-12)
    # square lattice: binned DOS against the brute-force 1024² k sum
    e, w = binned_dos("square_nn", 400)
    g = band_grid("square_nn", 1024, 0.5)
    z = np.array([0.05 + 0.02j, -0.2 + 0.01j])
    ref = np.array([np.sum(g.weight / (zz - g.eps_D)) for zz in z])
    assert np.allclose(local_green_function(z, e, w), ref, rtol=2e-3)


def test_local_self_energy_general_form_matches_pole():
    # spec §3.3 general FFT form with a narrow boson line at ε0 vs the closed pole form
    d = 1e-3
    om = np.arange(-1500, 1501) * d
    T, g, eps0, tau, sig = 0.05, 0.2, 0.1, 0.3, 0.004
    W = 0.5
    rho = (2 / (np.pi * W**2)) * np.sqrt(np.clip(W**2 - om**2, 0, None))
    A = tau * np.exp(-((om - eps0) ** 2) / (2 * sig**2)) / math.sqrt(2 * math.pi * sig**2)
    s = local_self_energy(om, rho, A, T, g)
    f = lambda x: 0.5 * (1 - np.tanh(x / (2 * T)))  # noqa: E731
    n0 = 1 / math.expm1(eps0 / T)
    ref = -math.pi * g * g * tau * np.interp(eps0 - om, om, rho) * (n0 + f(eps0 - om))
    mask = np.abs(om) < 0.3
    assert np.max(np.abs(s.imag - ref)[mask]) < 2e-3 * np.max(np.abs(ref))


def test_bare_pair_susceptibility_is_pi():
    # with Σ = 0, χ_pair(0,0) = Π(T) (spec §3.3: "with bare G this is the T*_MF equation")
    T, mu = 0.03, -0.04
    chi = pair_susceptibility(T, mu, "square_nn", n_bins=800)
    assert chi == pytest.approx(pair_bubble(band_grid("square_nn", 1024, 0.5), mu, 0.0, T), rel=2e-3)
    chi_f = pair_susceptibility(T, mu, "flat", n_bins=800)
    assert chi_f == pytest.approx(pair_bubble(band_grid("flat", 40000), mu, 0.0, T), rel=1e-4)


def test_bare_thouless_equals_t_star():
    m = LatticeBFM(0.2, 0.0, 1.0, band="semielliptic", grid_size=20000)
    th = thouless_temperature(m, self_energy="none", t_min_D=0.01, n_scan=8)
    assert th["found"]
    assert th["t_thouless_D"] == pytest.approx(solve_t_star(m).t_star_D, rel=2e-3)


@pytest.fixture(scope="module")
def lowest_rpa_series():
    m = LatticeBFM(0.1, 0.0, 2.0, grid_size=256)
    return [fermion_spectrum(m, T, order="lowest", boson_dressing="rpa") for T in (0.08, 0.05, 0.03)]


def test_dos_normalized(lowest_rpa_series):
    for sp in lowest_rpa_series:
        assert sp.dos_integral == pytest.approx(1.0, abs=1e-4)  # ∫ρ_F = 1 (η tails included)
        assert sp.number_residual < 1e-8
        assert abs(sp.mu_D) < 1e-4  # p-h symmetric point (identity 8 analogue)


def test_pseudogap_deepens_as_t_falls(lowest_rpa_series):
    depth = [sp.pseudogap_depth for sp in lowest_rpa_series]
    rho0 = [sp.dos_at_fermi_level_per_D for sp in lowest_rpa_series]
    assert depth[0] > 0.05
    assert depth[0] < depth[1] < depth[2]
    assert rho0[0] > rho0[1] > rho0[2]
    ratios = [sp.thouless_ratio for sp in lowest_rpa_series]
    assert ratios[0] < ratios[1] < ratios[2] < 1


def test_self_consistent_spectrum():
    m = LatticeBFM(0.1, 0.0, 2.0, grid_size=256)
    a = fermion_spectrum(m, 0.05, order="self_consistent", eta_D=0.006, n_bins=300)
    b = fermion_spectrum(m, 0.03, order="self_consistent", eta_D=0.006, n_bins=300)
    for sp in (a, b):
        assert sp.converged and sp.l1_change < 1e-6
        assert sp.dos_integral == pytest.approx(1.0, abs=1e-4)
        assert sp.number_residual < 1e-8
    # DOS at the Fermi level is lost as T falls; self-consistency lowers χ_pair below bare Π
    assert b.dos_at_fermi_level_per_D < a.dos_at_fermi_level_per_D
    assert b.thouless_ratio < fermion_spectrum(m, 0.03, order="lowest", eta_D=0.006, n_bins=300).thouless_ratio


def test_below_thouless_raises_and_bare_is_t_independent():
    m = LatticeBFM(0.1, 0.0, 2.0, grid_size=256)
    with pytest.raises(ValueError, match="Thouless"):
        fermion_spectrum(m, 0.015, order="lowest", boson_dressing="rpa")
    # bare hard-core bosons at E_B = 0: numerator n_B + (1−2n_B)f = ½ for all T (spec §3.3)
    s1 = fermion_spectrum(m, 0.015, order="lowest", boson_dressing="bare")
    s2 = fermion_spectrum(m, 0.06, order="lowest", boson_dressing="bare")
    assert s1.pseudogap_depth == pytest.approx(s2.pseudogap_depth, abs=1e-3)
    assert s1.pseudogap_enhancement == pytest.approx(1.0)


def test_spectrum_validation():
    m = LatticeBFM(0.1, 0.0, 2.0, grid_size=64)
    with pytest.raises(ValueError, match="order"):
        fermion_spectrum(m, 0.05, order="nca")
    with pytest.raises(ValueError, match="temperature"):
        fermion_spectrum(m, 0.0)
    with pytest.raises(ValueError, match="hard-core"):
        fermion_spectrum(LatticeBFM(0.1, 0.2, 1.0, bosons="soft", grid_size=64), 0.05)
    with pytest.raises(ValueError, match="grid_size"):
        pair_propagator_real_space(0.05, grid_size=-8)


def test_zero_coupling_spectrum_is_bare_band():
    # g = 0: Σ_F = 0, ρ_F is the η-broadened bare DOS, μ the free-electron μ(n_tot), ∫ρ_F = 1
    from tcpredict.bfm.lattice import _solve_mu_normal

    m = LatticeBFM(0.0, 0.0, 1.5, band="semielliptic", grid_size=20000)
    sp = fermion_spectrum(m, 0.03, order="lowest", boson_dressing="bare", n_bins=2000)
    assert np.max(np.abs(sp.sigma_D)) == 0.0
    assert sp.dos_integral == pytest.approx(1.0, abs=1e-5)
    assert sp.mu_D == pytest.approx(_solve_mu_normal(m, band_grid("semielliptic", 20000), 0.03, 0.0), abs=2e-4)
    W = 0.5
    z = sp.omega_D + sp.mu_D + 1j * sp.eta_D
    ref = -(2 * (z - np.sqrt(z - W) * np.sqrt(z + W)) / W**2).imag / np.pi
    assert np.max(np.abs(sp.dos_per_D - ref)) < 2e-3
