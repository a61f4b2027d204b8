"""The compressed grid's free tail and peak correction (docs/eliashberg.md §2.5).

Every reference number is computed by a second method in the test itself: a direct sum over
every Matsubara index, or the full Matsubara grid (every ω_n below the cutoff)."""

import numpy as np
import pytest

from tcpredict.eliashberg.kernels import TableKernel
from tcpredict.eliashberg.matsubara import compressed_nodes, rescale_mustar
from tcpredict.eliashberg.operator import CompressedGrid, LinearizedOperator, peak_correction
from tcpredict.eliashberg.spectra import einstein
from tcpredict.eliashberg.tc import find_tc, find_tc_warm
from tcpredict.materials.elements import get_element
from tcpredict.stacks.proximity import Layer, bilayer
from tcpredict.units import K_B_MEV_PER_K


def test_free_tail_nodes_cover_the_sum_with_growing_panels():
    T, cutoff, panel, free = 0.2, 600.0, 5.0, 60.0
    x, c, n = compressed_nodes(T, cutoff, panel, n_head=32, order=3, free_meV=free,
                               growth=0.25)
    xc, cc, nc = compressed_nodes(T, cutoff, panel, n_head=32, order=3)
    assert n == nc
    assert c.sum() == pytest.approx(n, rel=1e-12) and cc.sum() == pytest.approx(n, rel=1e-12)
    assert np.all(np.diff(x) > 0) and x[-1] < n - 0.5
    # identical up to the free energy, far fewer nodes beyond it
    w, wc = np.pi * K_B_MEV_PER_K * T * (2 * x + 1), np.pi * K_B_MEV_PER_K * T * (2 * xc + 1)
    below = w < free - panel
    np.testing.assert_array_equal(x[below], xc[: below.sum()])
    assert x.size < xc.size / 3
    # Σ 1/(2m+1) over every index (the shape of the μ* sum), to the midpoint accuracy
    exact = np.sum(1.0 / (2 * np.arange(n) + 1.0))
    assert np.sum(c / (2 * x + 1)) == pytest.approx(exact, rel=1e-4)
    # the node estimate made before building stays an upper bound (resources checked first)
    with pytest.raises(ValueError, match="above the limit"):
        compressed_nodes(T, cutoff, panel, n_head=32, order=3, free_meV=free, growth=0.25,
                         max_nodes=x.size // 2)


def test_peak_correction_gives_the_row_sums_of_the_integer_grid():
    # second method: Σ_{m=h}^{N−1} λ(2πk_BT(x_n − m)) summed term by term over every index;
    # panels 8× wider than ω_log cannot resolve the peak at m ≈ x_n, the correction can
    sp = einstein(10.0, 1.0)
    kern = TableKernel(sp)
    T, cutoff, h = 0.5, 400.0, 32
    t = K_B_MEV_PER_K * T
    x, c, n_full = compressed_nodes(T, cutoff, 80.0, n_head=h, order=3)
    xp = x[h:]
    m = np.arange(h, n_full)
    direct = kern(2 * np.pi * t * np.abs(xp[:, None] - m[None, :])).sum(axis=1)
    lam = kern(2 * np.pi * t * np.abs(xp[:, None] - xp[None, :]))
    quad = lam @ c[h:]
    corrected = quad + c[h:] * peak_correction(kern, x, c, t, h, n_full, quad)
    assert np.max(np.abs(quad / direct - 1)) > 0.05
    np.testing.assert_allclose(corrected, direct, rtol=2e-4)


def _element_operator(sym, mu, grid):
    sp = get_element(sym).alpha2f()
    om = sp.omega_max_meV
    return LinearizedOperator([TableKernel(sp)], [rescale_mustar(mu, om, 10 * om)], 10 * om,
                              grid=grid)


@pytest.mark.parametrize("sym,mu", [("V", 0.3), ("Mo", 0.2), ("Nb", 0.3)])
def test_bulk_tc_with_large_mustar_matches_the_full_grid(sym, mu):
    # second method: the full Matsubara grid; before the peak correction such cases were off
    # by up to 4.6e-4 with the default grid (docs/eliashberg.md §2.5)
    ref, _ = find_tc(_element_operator(sym, mu, "full"), 1.0, 0.01, 1e-8)
    tc, info = find_tc_warm(_element_operator(sym, mu, CompressedGrid()), ref, 0.01, 1e-8)
    assert info["n_nodes"] < info["n_matsubara"]
    assert tc == pytest.approx(ref, rel=2e-5)


@pytest.mark.parametrize("a,b,da,db", [("Be", "Pb", 1.0, 1.0), ("Be", "Pb", 0.4, 3.0),
                                       ("Hg", "Zn", 1.0, 1.0), ("Nb", "Cu", 1.0, 1.0)])
def test_bilayer_of_soft_and_stiff_metals_matches_the_full_grid(a, b, da, db):
    # Be (Ω_max 231 meV) with Pb (ω_log 4.8 meV): ω_c = 2.3 eV, panels of 9.7 meV — capped
    # panels up to ω_c need ~700 nodes, the free tail ~100 for the same accuracy
    st = bilayer(Layer.from_element(a, da), Layer.from_element(b, db), cooper_limit=True)
    ref = st.tc(method="exact", layer_tc=False, sensitivity=False, rtol=1e-8).tc_K
    screen = dict(panel_factor=2.0, order=3, n_head=32)
    for kw, tol in ((screen, 2e-4), ({}, 5e-5)):
        tc, info = find_tc_warm(st.problem(**kw), ref, 0.05, 1e-8)
        assert tc == pytest.approx(ref, rel=tol)
    capped = st.problem(**screen, tail_factor=None).compressed_matrix(ref)[1]["x"].size
    free = st.problem(**screen).compressed_matrix(ref)[1]["x"].size
    if a == "Be":
        assert free < capped / 3


def test_tail_settings_are_checked():
    for bad in ({"tail_factor": 0.0}, {"tail_factor": float("nan")}, {"tail_growth": 0.0},
                {"tail_growth": 1.5}):
        with pytest.raises(ValueError, match="tail_"):
            CompressedGrid(**bad)
    assert CompressedGrid(tail_factor=None).tail_factor is None
