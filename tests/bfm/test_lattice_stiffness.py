"""Phase stiffness and Tc of the lattice BFM (resonant_pairing.md §3.4, §4.5, identity 9)."""

import math

import numpy as np
import pytest

from tcpredict.bfm.lattice import LatticeBFM, band_grid, solve_meanfield, solve_t_star
from tcpredict.bfm.stiffness import (
    boson_hopping_estimate,
    phase_diagram,
    solve_tc,
    stiffness_at,
    superfluid_stiffness,
)


def test_free_fermion_diamagnetic_term():
    # identity 9 / §4.5: free fermions at half filling, L = 512, T → 0: ⟨−k_x⟩ = 8t/π² = 0.10132
    terms = superfluid_stiffness(band_grid("square_nn", 512, 0.5), 0.0, 0.0, 1e-6)
    assert terms.diamagnetic_D == pytest.approx(8 * (1 / 8) / math.pi**2, abs=1e-6)
    assert terms.diamagnetic_D == pytest.approx(0.10132, abs=1e-5)


@pytest.mark.parametrize("L", [256, 512])
@pytest.mark.parametrize("T", [0.01, 0.03, 0.1])
@pytest.mark.parametrize("mu", [0.0, -0.13, 0.21])
def test_gauge_invariance_normal_state(L, T, mu):
    # identity 9 (§3.4): at Δ_F = 0 dia and para cancel on the grid, residual < 1e-10 (L ≥ 256, T ≥ 0.01)
    for s in (0.0, 0.5):
        t = superfluid_stiffness(band_grid("square_nn", L, s), mu, 0.0, T)
        assert abs(t.stiffness_D) < 1e-10
        assert t.diamagnetic_D > 0.01  # the cancellation is non-trivial


def test_stiffness_vanishes_above_t_star():
    # identity 9: D_s = 0 in the self-consistent normal state above T*
    m = LatticeBFM(0.2, 0.0, 1.0, grid_size=256)
    ts = solve_t_star(m).t_star_D
    st = solve_meanfield(m, 1.1 * ts)
    assert not st.superconducting
    assert abs(stiffness_at(m, st).stiffness_D) < 1e-10
    assert stiffness_at(m, solve_meanfield(m, 0.5 * ts)).stiffness_D > 1e-3


@pytest.mark.parametrize("band", ["flat", "semielliptic"])
def test_gauge_invariance_dos_only_bands(band):
    # the model transport functions obey the f-sum rule; midpoint quadrature error only
    t = superfluid_stiffness(band_grid(band, 20000), -0.05, 0.0, 0.02)
    assert abs(t.stiffness_D) < 1e-6 * t.diamagnetic_D


def test_cubic_gauge_invariance():
    t = superfluid_stiffness(band_grid("cubic_nn", 64, 0.5), 0.05, 0.0, 0.05)
    assert abs(t.stiffness_D) < 1e-10


@pytest.fixture(scope="module")
def g_scan():
    # §4.5 setup: square lattice, n_tot = 2, Δ_B = 0, fermionic D_s, J = D_s/4, BKT
    return phase_diagram(LatticeBFM(0.1, 0.0, 2.0, grid_size=256),
                         g_values_D=[0.05, 0.1, 0.2, 0.3, 0.4, 0.5])


def test_section_4_5_qualitative(g_scan):
    ts = np.array([r.t_star_D for r in g_scan.results])
    tc = np.array([r.tc_D for r in g_scan.results])
    assert np.all(np.diff(ts) > 0)  # T* rises monotonically
    assert np.all(tc < ts)  # T_KT < T*
    i = int(np.argmax(tc))
    assert 0 < i < len(tc) - 1  # T_KT non-monotonic: rises, peaks, falls
    assert np.all(np.diff(tc / ts) < 0)  # T_KT/T* falls with g
    assert g_scan.results[0].controlled_by == "amplitude"
    assert g_scan.results[-1].controlled_by == "phase"
    for r in g_scan.results:
        assert r.gauge_residual_D < 1e-10
        assert r.bkt_residual_D < 1e-10
        # BKT root: T_KT = (π/2) J(T_KT) and Tc ≤ (π/2)J(0)
        assert r.tc_D <= r.phase_scale_D + 1e-12


def test_bkt_root_consistency():
    m = LatticeBFM(0.3, 0.0, 2.0, grid_size=256)
    r = solve_tc(m)
    st = solve_meanfield(m, r.tc_D)
    J = stiffness_at(m, st).stiffness_D / 4
    assert J * math.pi / 2 == pytest.approx(r.tc_D, rel=1e-9)


def test_emery_kivelson_and_criteria():
    m = LatticeBFM(0.3, 0.0, 2.0, grid_size=128)
    r = solve_tc(m, "ek2d")
    assert r.tc_D == pytest.approx(min(r.t_star_D, 0.9 * r.stiffness_zero_T_D / 4))
    with pytest.raises(ValueError, match="criterion"):
        solve_tc(m, "xy")
    with pytest.raises(ValueError, match="ek3d"):
        solve_tc(LatticeBFM(0.3, 0.0, 2.0, band="cubic_nn", grid_size=24), "bkt")
    r3 = solve_tc(LatticeBFM(0.3, 0.0, 2.0, band="cubic_nn", grid_size=24))
    assert r3.criterion == "ek3d" and r3.tc_D <= r3.t_star_D


def test_boson_hopping_estimate():
    # §4.6: for g = 0.1, t_B = g²P ≈ 1.5e−3 and T_KT ≈ 0.685 t_B ≈ 1e−3 ≪ T*_MF
    est = boson_hopping_estimate(LatticeBFM(0.1, 0.0, 2.0, grid_size=128), grid_size=64)
    assert 1.2e-3 < est.t_b_nn_D < 1.7e-3
    assert est.tc_xy_D == pytest.approx(0.686 * est.t_b_nn_D, rel=1e-3)
    assert est.tc_xy_D < 0.1 * solve_t_star(LatticeBFM(0.1, 0.0, 2.0, grid_size=128)).t_star_D
    assert est.j_boson_D > 0
