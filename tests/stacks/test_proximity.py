"""Tests for tcpredict.stacks.proximity: exact limits, the spec reference table, detailed balance,
trilayers, the compressed grid against the full grid, nonlinear gaps."""

import math

import numpy as np
import pytest

from tcpredict.films.confinement import FreeElectronFilm
from tcpredict.eliashberg.tc import solve_tc
from tcpredict.eliashberg.gap import solve_gap
from tcpredict.materials.elements import get_element
from tcpredict.eliashberg.kernels import TableKernel
from tcpredict.stacks.proximity import Interface, Layer, Stack, bilayer
from tcpredict.eliashberg.spectra import einstein

CUT = 250.0  # proximity.md §3: one cutoff ω_c = 250 meV, μ* given at it
A_SP = einstein(10.0, 1.0)
B_SP = einstein(25.0, 0.45)


def layer_a(d=1.0, dos=1.0):
    return Layer(A_SP, 0.12, CUT, d, dos_per_spin=dos, material="A")


def layer_b(d=1.0, dos=1.0):
    return Layer(B_SP, 0.10, CUT, d, dos_per_spin=dos, material="B")


@pytest.fixture(scope="module")
def cooper_tc():
    return bilayer(layer_a(), layer_b(), cooper_limit=True, cutoff_meV=CUT).tc(
        layer_tc=False).tc_K


# ----------------------------------------------------------------------- reference table
@pytest.mark.parametrize("gamma, ref", [(0.1, 8.665), (1.0, 7.302), (10.0, 6.549),
                                        (100.0, 6.415)])
def test_reference_table(gamma, ref):
    # proximity.md §3 reference computation (Γ_A = Γ_B = Γ, d_A N_A = d_B N_B)
    r = bilayer(layer_a(), layer_b(), gamma_meV=gamma, cutoff_meV=CUT).tc(layer_tc=False)
    assert r.tc_K == pytest.approx(ref, rel=3e-3)
    assert r.parametrisation == "gamma"
    assert r.gammas_meV[0] == pytest.approx((gamma, gamma))


def test_reference_cooper_limit(cooper_tc):
    # proximity.md §3: Cooper limit 6.386 K
    assert cooper_tc == pytest.approx(6.386, rel=3e-3)


def test_layers_alone_match_spec():
    # proximity.md §3: Tc_A = 8.996 K, Tc_B = 3.064 K
    r = bilayer(layer_a(), layer_b(), gamma_meV=1.0, cutoff_meV=CUT).tc()
    assert r.layers[0].tc_alone_K == pytest.approx(8.996, rel=3e-3)
    assert r.layers[1].tc_alone_K == pytest.approx(3.064, rel=3e-3)


# ----------------------------------------------------------------------------- limits
def test_decoupled_is_max_of_layers():
    # proximity.md §3: Γ = 0 → max(Tc_A, Tc_B); layers solved independently by eliashberg
    r = bilayer(layer_a(), layer_b(), decoupled=True, cutoff_meV=CUT).tc(layer_tc=False)
    ta = solve_tc(A_SP, 0.12, mustar_at_meV=CUT, cutoff_meV=CUT).tc_K
    tb = solve_tc(B_SP, 0.10, mustar_at_meV=CUT, cutoff_meV=CUT).tc_K
    assert r.parametrisation == "decoupled"
    assert r.tc_K == pytest.approx(max(ta, tb), rel=2e-4)


def test_cooper_limit_is_effective_superconductor(cooper_tc):
    # proximity.md §3: α²F_eff = ½α²F_A + ½α²F_B, μ*_eff = ½(0.12 + 0.10), solved as ONE
    # superconductor by eliashberg.solve_tc (independent code path)
    eff = A_SP.scaled(0.5) + B_SP.scaled(0.5)
    ref = solve_tc(eff, 0.11, mustar_at_meV=CUT, cutoff_meV=CUT).tc_K
    assert cooper_tc == pytest.approx(ref, rel=2e-4)


def test_large_gamma_tends_to_cooper_limit(cooper_tc):
    # proximity.md §3: Γ → ∞ with fixed ratio → the effective superconductor (1e-3)
    r = bilayer(layer_a(), layer_b(), gamma_meV=1e5, cutoff_meV=CUT).tc(layer_tc=False)
    assert r.tc_K == pytest.approx(cooper_tc, rel=1e-3)


def test_monotonic_in_gamma(cooper_tc):
    # proximity.md §3: monotonic interpolation between max(Tc_A, Tc_B) and the Cooper limit
    gammas = [0.0, 0.03, 0.3, 3.0, 30.0, 300.0, 3000.0]
    tcs = [bilayer(layer_a(), layer_b(), gamma_meV=g, cutoff_meV=CUT).tc(layer_tc=False).tc_K
           for g in gammas]
    assert all(np.diff(tcs) < 0)
    assert tcs[-1] > cooper_tc * (1 - 1e-4)


# ------------------------------------------------------------------------ detailed balance
def test_detailed_balance_unequal_weights():
    # proximity.md §2: Γ_A d_A N_A = Γ_B d_B N_B
    a, b = layer_a(d=2.0, dos=1.5), layer_b(d=1.0, dos=1.0)  # s_A = 3, s_B = 1
    r = bilayer(a, b, gamma_meV=2.0, cutoff_meV=CUT).tc(layer_tc=False)
    ga, gb = r.gammas_meV[0]
    assert ga * 3.0 == pytest.approx(gb * 1.0)
    # the same physical bilayer, stacked the other way round with Γ_B given: same Tc
    r2 = bilayer(b, a, gamma_meV=gb, cutoff_meV=CUT).tc(layer_tc=False)
    assert r2.tc_K == pytest.approx(r.tc_K, rel=1e-6)
    # only the ratio of the N's matters
    r3 = bilayer(layer_a(2.0, 15.0), layer_b(1.0, 10.0), gamma_meV=2.0,
                 cutoff_meV=CUT).tc(layer_tc=False)
    assert r3.tc_K == pytest.approx(r.tc_K, rel=1e-9)


def test_cooper_limit_unequal_weights():
    # proximity.md §3 with w_A = 3/4, w_B = 1/4, checked against eliashberg.solve_tc
    r = bilayer(layer_a(2.0, 1.5), layer_b(), cooper_limit=True, cutoff_meV=CUT).tc(
        layer_tc=False)
    eff = A_SP.scaled(0.75) + B_SP.scaled(0.25)
    ref = solve_tc(eff, 0.75 * 0.12 + 0.25 * 0.10, mustar_at_meV=CUT, cutoff_meV=CUT).tc_K
    assert r.tc_K == pytest.approx(ref, rel=2e-4)
    assert r.gammas_meV[0] == (math.inf, math.inf)
    assert r.to_dict()["gammas_meV"] == [[None, None]]


# -------------------------------------------------------------------------------- stacks
def test_symmetric_trilayer_maps_to_bilayer():
    # Exact mapping (proximity.md §4): in A/B/A with equal Γ_{A←B} at both interfaces the
    # leading eigenvector is symmetric, and B feels 2Γ_{B←A} = 2Γ s_A/s_B — the bilayer A/B'
    # with s_B' = s_B/2 (half the middle thickness).
    g = 3.0
    # interface 1 gives Γ felt by its first layer (B): Γ_{B←A} = g s_A/s_B = g/2
    tri = Stack([layer_a(), layer_b(d=2.0), layer_a()],
                [Interface(gamma_meV=g), Interface(gamma_meV=g * 1.0 / 2.0)], CUT)
    bi = bilayer(layer_a(), layer_b(d=1.0), gamma_meV=g, cutoff_meV=CUT)
    t3 = tri.tc(layer_tc=False)
    t2 = bi.tc(layer_tc=False)
    assert t3.gammas_meV[1][1] == pytest.approx(g)  # Γ_{A←B} at the second interface
    assert t3.tc_K == pytest.approx(t2.tc_K, rel=1e-6)


def test_trilayer_limits():
    # decoupled trilayer → max of the three; all-Cooper trilayer → effective superconductor
    layers = [layer_b(), layer_a(d=0.5), layer_b(d=1.5)]
    dec = Stack(layers, [Interface.decoupled(), Interface.decoupled()], CUT).tc()
    assert dec.tc_K == pytest.approx(max(x.tc_alone_K for x in dec.layers), rel=2e-4)
    coop = Stack(layers, [Interface(cooper_limit=True)] * 2, CUT).tc(layer_tc=False)
    eff = B_SP.scaled(1 / 3) + A_SP.scaled(1 / 6) + B_SP.scaled(1 / 2)
    ref = solve_tc(eff, (1 / 3) * 0.1 + (1 / 6) * 0.12 + 0.5 * 0.1, mustar_at_meV=CUT,
                   cutoff_meV=CUT).tc_K
    assert coop.tc_K == pytest.approx(ref, rel=2e-4)
    # mixed: Cooper between the first two, Γ → 1e5 at the second equals all-Cooper
    mixed = Stack(layers, [Interface(cooper_limit=True), Interface(gamma_meV=1e5)], CUT).tc(
        layer_tc=False)
    assert mixed.tc_K == pytest.approx(coop.tc_K, rel=1e-3)
    assert mixed.parametrisation == "mixed"


# ------------------------------------------------------------------ compressed vs full grid
def test_kernel_table_matches_exact_kernel(al_spectrum):
    kt = TableKernel(al_spectrum)
    nu = np.concatenate([[0.0], np.geomspace(1e-3, 5e3, 400)])
    exact = al_spectrum.kernel(nu)
    assert np.max(np.abs(kt(nu) / exact - 1)) < 1e-6


@pytest.mark.parametrize("kw", [dict(gamma_meV=1.0), dict(cooper_limit=True)])
def test_compressed_grid_matches_full_grid(kw):
    # second method: LinearizedOperator on every Matsubara frequency (eliashberg.md §2.1)
    st = bilayer(Layer.from_element("Al", 0.5), Layer.from_element("Pb", 0.6), **kw)
    ex = st.tc(method="exact", layer_tc=False, rtol=1e-6).tc_K
    co = st.tc(layer_tc=False, rtol=1e-6)
    assert co.n_nodes <= co.n_matsubara
    assert co.tc_K == pytest.approx(ex, rel=2e-4)
    fast = st.tc(layer_tc=False, rtol=1e-6, panel_factor=2.0, order=3).tc_K  # screen grid
    assert fast == pytest.approx(ex, rel=1e-3)


def test_low_tc_compressed_vs_full():
    # Tc ≈ 0.28 K: N ≈ 2400 per layer on the full grid, ~100 nodes compressed
    st = bilayer(Layer.from_element("Al", 0.5), Layer.from_element("Au", 0.6), gamma_meV=1.0)
    ex = st.tc(method="exact", layer_tc=False, rtol=1e-6).tc_K
    co = st.tc(layer_tc=False, rtol=1e-6)
    assert co.n_nodes < co.n_matsubara / 10  # really compressed
    assert co.tc_K == pytest.approx(ex, rel=2e-4)


# -------------------------------------------------------------------------- confinement
def test_confined_layer_uses_film_dos_and_rule():
    # confinement.md §5 dos-scaling: λ(L) = λ_bulk g(E_F(L),L)/g₀; N = g(E_F(L),L)/2
    la = Layer.from_element("Al", 0.4, confined=True)
    film = FreeElectronFilm(la.film.n_per_nm3)
    st = bilayer(la, Layer.from_element("Pb", 1.0, confined=False), cooper_limit=True)
    r = st.tc()
    rep = r.layers[0]
    assert rep.lambda_factor == pytest.approx(float(film.dos_ratio(0.4)), rel=1e-12)
    ef = float(film.fermi_energy_meV(0.4))
    assert rep.dos_per_spin == pytest.approx(float(film.dos_per_meV_nm3(ef, 0.4)) / 2)
    assert rep.lambda_rule == "dos-scaling" and r.layers[1].lambda_rule == "none"
    pb = FreeElectronFilm(get_element("Pb").n_per_nm3)
    assert r.layers[1].dos_per_spin == pytest.approx(0.5 * pb.bulk_dos_per_meV_nm3)


# ------------------------------------------------------------------------- nonlinear gaps
def test_gaps_equal_in_strong_coupling_limit():
    # proximity.md §3: Γ → ∞ forces Δ_A = Δ_B, equal to the gap of the effective
    # superconductor (gap.solve_gap on α²F_eff, independent single-layer path)
    T = 4.0
    big = bilayer(layer_a(), layer_b(), gamma_meV=1e3, cutoff_meV=CUT).gaps(T, tc_K=6.386,
                                                                             tol=1e-9)
    da, db = big.delta_meV[:, 0]
    assert da == pytest.approx(db, rel=3e-3)
    huge = bilayer(layer_a(), layer_b(), gamma_meV=1e5, cutoff_meV=CUT).gaps(T, tc_K=6.386)
    assert huge.delta_meV[0, 0] == pytest.approx(huge.delta_meV[1, 0], rel=1e-4)  # stiff case
    eff = solve_gap(A_SP.scaled(0.5) + B_SP.scaled(0.5), 0.11, T, mustar_at_meV=CUT,
                    cutoff_meV=CUT, tc_K=6.386)
    assert da == pytest.approx(eff.delta_meV[0, 0], rel=1e-2)
    weak = bilayer(layer_a(), layer_b(), gamma_meV=0.3, cutoff_meV=CUT).gaps(T, tc_K=8.2)
    wa, wb = weak.delta_meV[:, 0]
    assert wa > 1.5 * wb > 0  # weak coupling: the strong layer keeps the larger gap


# ---------------------------------------------------------------------------- validation
def test_validation_errors():
    with pytest.raises(ValueError, match="not both"):
        Interface(gamma_meV=1.0, cooper_limit=True)
    with pytest.raises(ValueError, match="gamma_meV or cooper_limit"):
        Interface()
    with pytest.raises(ValueError, match="≥ 0"):
        Interface(gamma_meV=-1.0)
    with pytest.raises(ValueError, match="dos_per_spin is required"):
        bilayer(Layer(A_SP, 0.1), layer_b(), gamma_meV=1.0)
    with pytest.raises(ValueError, match="contradicts"):
        Layer(A_SP, 0.1, confined=True, film=FreeElectronFilm(100.0), dos_per_spin=1.0)
    with pytest.raises(ValueError, match="at most one"):
        bilayer(layer_a(), layer_b(), gamma_meV=1.0, cooper_limit=True)
    with pytest.raises(ValueError, match="unknown method"):
        bilayer(layer_a(), layer_b(), gamma_meV=1.0).tc(method="magic")
    with pytest.raises(ValueError, match="interfaces"):
        Stack([layer_a(), layer_b()], [])


def test_compressed_nodes_integrate_the_matsubara_sum():
    # Σ_{m<N} 1/(2m+1) — the shape of the μ* and kernel-tail sums — on the compressed nodes
    # equals the exact sum to the stated midpoint Euler–Maclaurin accuracy (~1e-4 relative);
    # the weights add up to N.
    from tcpredict.eliashberg.matsubara import compressed_nodes

    x, c, n = compressed_nodes(0.05, 300.0, 20.0)
    assert x.size < n / 5
    assert c.sum() == pytest.approx(n, rel=1e-12)
    exact = np.sum(1.0 / (2 * np.arange(n) + 1.0))
    assert np.sum(c / (2 * x + 1)) == pytest.approx(exact, rel=1e-4)
    x2, c2, n2 = compressed_nodes(5.0, 100.0, 20.0)  # few frequencies: the full grid
    assert np.array_equal(x2, np.arange(n2)) and np.all(c2 == 1)


def test_eigen_start_from_a_neighbour_changes_nothing():
    # the Lanczos warm start is a speed-up only: same Tc (to the root tolerance) as a cold solve;
    # reference: the same stack solved without a start vector
    a, b = Layer.from_element("Al", 0.5), Layer.from_element("Zn", 0.8)
    first = bilayer(a, b, cooper_limit=True).tc(layer_tc=False, rtol=1e-7, sensitivity=False)
    assert first.eigen_start is not None and "eigen_start" not in first.to_dict()
    nb = bilayer(a, b.with_thickness(0.9), cooper_limit=True)
    cold = nb.tc(layer_tc=False, rtol=1e-7, sensitivity=False)
    warm = nb.tc(layer_tc=False, rtol=1e-7, sensitivity=False, eigen_start=first.eigen_start)
    assert warm.tc_K == pytest.approx(cold.tc_K, rel=1e-6)
