"""The nonlinear gap equations on the compressed Matsubara nodes (docs/eliashberg.md §2.3, §2.5).

Reference everywhere: the same equations solved on the full Matsubara grid (second method,
grid="full"). Both results meet the residual tolerance tol on the full grid, so they differ by
at most about tol/(1 − ‖∂G/∂Δ‖): ≤ 1.3e-8 relative measured at 0.99 Tc, far less at low T.
"""

import numpy as np
import pytest

from tcpredict.eliashberg.gap import NODE_RHO_MARGIN, gap_sweep, solve_gap, solve_gap_stack
from tcpredict.eliashberg.gap_nodes import NodeSystem
from tcpredict.eliashberg.kernels import SumKernel
from tcpredict.eliashberg.operator import CompressedGrid, LinearizedOperator
from tcpredict.eliashberg.realaxis import continue_gap
from tcpredict.eliashberg.spectra import einstein, gaussian_peak
from tcpredict.eliashberg.tc import find_tc, solve_tc
from tcpredict.units import K_B_MEV_PER_K

# the low-Tc case of issue 14: Einstein Ω = 10 meV, λ = 0.3, μ* = 0.1 at a 400 meV cutoff
SP = einstein(10.0, 0.3)
KW = dict(mustar_at_meV=400.0, cutoff_meV=400.0)


@pytest.fixture(scope="module")
def tc():
    return solve_tc(SP, 0.1, rtol=1e-9, grid="full", sensitivity=False, **KW).tc_K


def _agree(a, b, rel):
    """Δ and Z of two results agree to ``rel`` relative to max|Δ| (every frequency)."""
    assert a.omega_n_meV.shape == b.omega_n_meV.shape
    scale = np.abs(b.delta_meV).max()
    assert np.abs(a.delta_meV - b.delta_meV).max() <= rel * scale
    assert np.abs(a.z - b.z).max() <= rel * np.abs(b.z).max()


@pytest.mark.parametrize("frac", [0.1, 0.5, 0.9])
def test_compressed_matches_full_grid(tc, frac):
    T = frac * tc
    comp = solve_gap(SP, 0.1, T, tc_K=tc, **KW)
    full = solve_gap(SP, 0.1, T, tc_K=tc, grid="full", **KW)
    assert comp.grid == "compressed" and full.grid == "full"
    assert comp.n_nodes < comp.n_matsubara / 15  # N = 4830 … 43471 on 224 … 240 nodes
    assert full.n_nodes == full.n_matsubara
    assert comp.residual < comp.tol and full.residual < full.tol
    # the interpolated node solution itself: measured 1.9e-5 … 2.5e-5 on the full grid
    assert comp.interpolation_residual < 1e-4
    assert comp.polish_iterations <= 4  # two-grid cycles: 2–3 measured
    _agree(comp, full, 1e-8)
    assert comp.delta_meV[0, 0] == pytest.approx(full.delta_meV[0, 0], rel=1e-8)
    assert comp.to_dict()["grid"] == "compressed"


def test_unpolished_compressed_accuracy(tc):
    # with a tolerance above the node accuracy the interpolated node solution is returned as
    # it is (after the one full-grid check): its error is the node discretisation error
    T = 0.1 * tc
    comp = solve_gap(SP, 0.1, T, tc_K=tc, tol=1e-3, **KW)
    full = solve_gap(SP, 0.1, T, tc_K=tc, grid="full", **KW)
    assert comp.grid == "compressed" and comp.polish_iterations == 0
    assert comp.residual == comp.interpolation_residual < 1e-3
    _agree(comp, full, 1e-4)  # measured 7e-6 in Δ(iω₀), 2e-5 at worst


def test_two_delta_over_ktc_compressed_and_full(tc):
    # 2Δ₀/k_BTc from the Padé continuation of each solution (128 lowest frequencies)
    T = 0.1 * tc
    rc = continue_gap(solve_gap(SP, 0.1, T, tc_K=tc, **KW))
    rf = continue_gap(solve_gap(SP, 0.1, T, tc_K=tc, grid="full", **KW))
    assert rc.two_delta_over_kT(tc) == pytest.approx(rf.two_delta_over_kT(tc), rel=1e-7)
    # weak coupling (k_BTc/ω_log ≈ 1.5e-3): BCS 3.528 (Mühlschlegel) with the strong-coupling
    # correction 12.5 (k_BTc/ω_log)² ln(ω_log/2k_BTc) ≈ 1.5e-4 (Carbotte, Rev. Mod. Phys. 62,
    # 1027 (1990)); measured 9e-5 above 3.528
    assert rc.two_delta_over_kT(tc) == pytest.approx(3.528, rel=1e-3)


def test_weak_coupling_bcs_limit_on_nodes():
    # BCS: Δ(0) = 1.764 k_BTc, 2Δ₀/k_BTc = 3.528 (λ → 0); Einstein Ω = 100 meV, λ = 0.25,
    # μ* = 0: k_BTc/ω_log ≈ 5e-3, strong-coupling correction ≈ 1.4e-3 (Carbotte (1990),
    # above); measured +9e-4 in both ratios
    sp = einstein(100.0, 0.25)
    tc = solve_tc(sp, 0.0, cutoff_meV=1000.0, rtol=1e-9, grid="full").tc_K
    g = solve_gap(sp, 0.0, 0.05 * tc, tc_K=tc, cutoff_meV=1000.0)
    assert g.grid == "compressed" and g.n_matsubara > 5000  # 6336 on 116 nodes
    assert g.delta_meV[0, 0] / (K_B_MEV_PER_K * tc) == pytest.approx(1.764, rel=2e-3)
    assert continue_gap(g).two_delta_over_kT(tc) == pytest.approx(3.528, rel=2e-3)
    assert g.z[0, 0] == pytest.approx(1.25, rel=1e-3)  # Z → 1 + λ at low frequency


@pytest.mark.parametrize("frac", [0.1, 0.6])
def test_tabulated_al_spectrum(al_spectrum, frac):
    tc = solve_tc(al_spectrum, 0.12, rtol=1e-9, grid="full", sensitivity=False).tc_K
    comp = solve_gap(al_spectrum, 0.12, frac * tc, tc_K=tc)
    full = solve_gap(al_spectrum, 0.12, frac * tc, tc_K=tc, grid="full")
    assert comp.grid == "compressed" and comp.n_matsubara > 1000
    _agree(comp, full, 1e-8)
    rc, rf = continue_gap(comp), continue_gap(full)
    assert rc.two_delta_over_kT(tc) == pytest.approx(rf.two_delta_over_kT(tc), rel=1e-7)


def test_bilayer_with_finite_gamma():
    # two layers coupled by Γ = 0.7 meV (docs/proximity.md §1) at 0.1 Tc: N = 3174 on 184 nodes
    ks = [einstein(10.0, 0.6), gaussian_peak(20.0, 4.0, 0.3)]
    prob = LinearizedOperator(ks, [0.1, 0.1], 300.0, [0.7], [1.0, 1.6])
    tcs = find_tc(prob, 5.0, 0.01, rtol=1e-9)[0]
    T = 0.1 * tcs
    comp = solve_gap_stack(prob, T, 0.2)
    full = solve_gap_stack(prob, T, 0.2, grid="full")
    assert comp.grid == "compressed" and comp.delta_meV.shape == full.delta_meV.shape == (2, 3174)
    _agree(comp, full, 1e-8)
    # the proximity-induced gap of the weaker layer is a large fraction of the stronger one's
    assert 0.3 < comp.delta_meV[1, 0] / comp.delta_meV[0, 0] < 1.0


def test_coupled_bands():
    # two bands with interband kernels and a μ* matrix (docs/multiband.md §1), one pair
    # obeying detailed balance (symmetric S) and one not (non-symmetric solver)
    for mu in ([[0.1, 0.02], [0.01, 0.08]], [[0.1, 0.02], [0.03, 0.08]]):
        prob = LinearizedOperator([einstein(20, 0.8), einstein(30, 0.3)], mu, 300.0, [0.0],
                                  coupling=[[None, einstein(25, 0.2)],
                                            [einstein(25, 0.1), None]])
        tcb = find_tc(prob, 50.0, 0.01, rtol=1e-9)[0]
        T = 0.05 * tcb
        comp = solve_gap_stack(prob, T, 1.0, grid="compressed")
        full = solve_gap_stack(prob, T, 1.0, grid="full")
        assert comp.grid == "compressed" and comp.n_nodes < comp.n_matsubara / 4
        _agree(comp, full, 1e-8)


def test_node_eigenvalue_is_the_compressed_operator():
    # identity: the linearized node equations are LinearizedOperator.compressed_matrix's
    # discretisation (same nodes, weights, ωZ), so ρ agrees to round-off
    cases = [
        LinearizedOperator([einstein(10, 0.6), gaussian_peak(20, 4, 0.3)], [0.1, 0.1], 300.0,
                           [0.7], [1.0, 1.6], grid="compressed"),
        LinearizedOperator([einstein(20, 0.8), einstein(30, 0.3)], [[0.1, 0.02], [0.03, 0.08]],
                           300.0, [0.0], coupling=[[None, einstein(25, 0.2)],
                                                   [einstein(25, 0.1), None]],
                           grid="compressed"),
    ]
    for prob in cases:
        for T in (0.2, 1.0):
            nodes = NodeSystem(prob, T, prob.grid)
            assert nodes.compressed
            rho, shape = nodes.linearized()
            assert rho == pytest.approx(prob.eigen(T)[0], rel=1e-12)
            assert shape.shape == (prob.layers, nodes.n_nodes)


def test_warm_sweep_on_nodes(tc):
    temps = np.array([0.8, 0.4, 0.2]) * tc
    comp = gap_sweep(SP, 0.1, temps, tc_K=tc, **KW)
    full = gap_sweep(SP, 0.1, temps, tc_K=tc, grid="full", **KW)
    assert [r.start for r in comp] == ["cold", "warm", "warm"]
    for a, b in zip(comp, full):
        assert a.grid == "compressed"
        _agree(a, b, 1e-8)


def test_grid_choice():
    sp = einstein(10.0, 1.0)
    # N ≤ n_exact: the full grid (no nodes to gain)
    assert solve_gap(sp, 0.12, 5.0, cutoff_meV=250.0, tc_K=8.9).grid == "full"
    # near Tc (ρ − 1 ≤ NODE_RHO_MARGIN on the nodes) the full grid decides
    prob = LinearizedOperator([SP], [0.1], 400.0)
    tcf, _ = find_tc(prob, 0.3, 0.01, rtol=1e-10)
    near = solve_gap_stack(prob, tcf * (1 - 1e-5), 1e-3, grid="compressed")
    assert near.grid == "full" and NODE_RHO_MARGIN > 0
    # the smooth cutoff needs the full grid: chosen by default, refused on request
    smooth = LinearizedOperator([sp], [0.12], 250.0, smooth_cutoff=True)
    assert solve_gap_stack(smooth, 1.0, 1.0).grid == "full"
    with pytest.raises(ValueError, match="grid='full'"):
        solve_gap_stack(smooth, 1.0, 1.0, grid="compressed")
    with pytest.raises(ValueError, match="unknown grid"):
        solve_gap_stack(prob, 0.1, 1.0, grid="nodes")
    # more nodes than MAX_COMPRESSED_SIZE (panels of 2 ω_log = 2 meV capped up to
    # Ω_max = 2 eV): the default falls back to the full grid, an explicit request is refused
    # with the reason
    wide = LinearizedOperator([SumKernel([(1.0, einstein(1.0, 1.0)),
                                          (1.0, einstein(2000.0, 0.01))])], [0.05], 3000.0)
    g = solve_gap_stack(wide, 0.3, 0.1)
    assert g.grid == "full" and g.superconducting and g.residual < g.tol
    with pytest.raises(ValueError, match="compressed Matsubara nodes"):
        solve_gap_stack(wide, 0.3, 0.1, grid="compressed")
    # a CompressedGrid object with other parameters is honoured
    g = solve_gap_stack(prob, 0.03, 0.02, grid=CompressedGrid(n_head=32, n_exact=64))
    assert g.grid == "compressed" and g.residual < g.tol
