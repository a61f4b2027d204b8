"""Plot functions of the boson–fermion model: optional Axes, returned figure, unclipped footnote,
units on the axes (issue 10). The physics shown is tested in tests/bfm/."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tcpredict.bfm.ed import site_spectra, solve_cluster, solve_site
from tcpredict.bfm.lattice import LatticeBFM
from tcpredict.bfm.local import LigandCluster, PolaronicSite
from tcpredict.bfm.stiffness import phase_diagram, solve_tc
from tcpredict.plotting import bfm_lattice as pl
from tcpredict.plotting import bfm_local as ploc


@pytest.fixture(scope="module")
def site_and_spectrum():
    site = PolaronicSite(delta_b=4.0, g=0.5, alpha=2.0)
    res = solve_site(site, temperature=0.1)
    spec = site_spectra(site, temperature=0.1, kinds=("electron",),
                        phonon_cutoff=res.phonon_cutoff)["electron"]
    return res, spec


@pytest.fixture(scope="module")
def lattice():
    m = LatticeBFM(g_D=0.2, n_tot=2.0, grid_size=64)
    return m, solve_tc(m), phase_diagram(m, g_values_D=[0.1, 0.2, 0.3])


def _footnote_below_axes(fig):
    """The footnote (a figure text) lies inside the figure, below every axes and its labels."""
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (note,) = fig.texts
    nb = note.get_window_extent(renderer)
    W, H = fig.bbox.width, fig.bbox.height
    assert 0 <= nb.x0 and nb.x1 <= W + 1 and 0 <= nb.y0, "footnote clipped"
    for ax in fig.axes:
        assert nb.y1 <= ax.get_tightbbox(renderer).y0 + 1, "footnote overlaps an axes"
    return note.get_text()


def test_site_summary_own_figure_footnote_and_units(site_and_spectrum, tmp_path):
    res, spec = site_and_spectrum
    fig = ploc.plot_site_summary(res, spec, path=tmp_path / "s.png")
    assert isinstance(fig, Figure) and (tmp_path / "s.png").stat().st_size > 1000
    text = _footnote_below_axes(fig)
    assert "Δ_B = 4" in text and "α = 2" in text and "T = 0.1 ħω0" in text
    assert fig.axes[1].get_ylabel() == "A_electron(ω) (1/ħω0)"
    assert fig.axes[1].get_xlabel() == "ω − μ (units of ħω0)"


def test_footnote_wraps_on_a_narrow_figure(site_and_spectrum):
    # a long parameter line must wrap, not run off the right edge (issue 10: clipped footnote)
    cl = solve_cluster(LigandCluster(n_metal=2, t_lm=0.3, t_mm=0.1, eps_l=1.5, alpha=0.8,
                                     u_l=0.25), temperature=0.2)
    fig = ploc.plot_cluster_summary(cl)
    text = _footnote_below_axes(fig)
    assert "\n" in text and "t_MM = 0.1" in text


def test_local_plots_draw_on_given_axes(site_and_spectrum):
    res, spec = site_and_spectrum
    fig = Figure()
    ax1, ax2 = fig.subplots(1, 2)
    assert ploc.plot_site_summary(res, spec, ax=(ax1, ax2)) is fig
    assert ploc.plot_displacement(res, ax=ax1) is fig
    assert ploc.plot_spectrum(spec, np.linspace(-1, 1, 101), 0.05, ax=ax2, sticks=True) is fig
    assert fig.texts == []  # nothing added to the caller's figure
    with pytest.raises(ValueError):
        ploc.plot_site_summary(res, spec, ax=ax1)  # needs two axes


def test_spectrum_is_per_hw0_whatever_the_unit():
    # the same site in a unit where ħω0 = 2: curves in units of ħω0 coincide
    a = PolaronicSite(delta_b=0.0, g=0.3)
    b = PolaronicSite(delta_b=0.0, g=0.6, omega0=2.0)
    sa = site_spectra(a, temperature=0.1, ensemble="grand_canonical", kinds=("electron",))["electron"]
    sb = site_spectra(b, temperature=0.2, ensemble="grand_canonical", kinds=("electron",))["electron"]
    fa = ploc.plot_spectrum(sa, np.linspace(-1, 1, 201), 0.05)
    fb = ploc.plot_spectrum(sb, np.linspace(-2, 2, 201), 0.1)
    (la,), (lb,) = fa.axes[0].lines, fb.axes[0].lines
    np.testing.assert_allclose(la.get_xdata(), lb.get_xdata())
    np.testing.assert_allclose(la.get_ydata(), lb.get_ydata(), rtol=1e-10)


def test_lattice_plots_return_figures_with_footnotes(lattice, tmp_path):
    m, r, pdg = lattice
    for fig in (pl.plot_bkt_construction(m, r, n_points=8, path=tmp_path / "b.png"),
                pl.plot_phase_diagram(pdg, path=tmp_path / "p.svg")):
        assert isinstance(fig, Figure)
        text = _footnote_below_axes(fig)
        assert "band square_nn" in text and "grid L = 64" in text
    assert (tmp_path / "b.png").stat().st_size > 1000 and (tmp_path / "p.svg").stat().st_size > 1000
    assert "units of D" in fig.axes[0].get_xlabel() and "units of D" in fig.axes[0].get_ylabel()


def test_lattice_plots_on_given_axes(lattice):
    m, r, pdg = lattice
    fig = Figure()
    ax = fig.subplots()
    assert pl.plot_phase_diagram(pdg, ax=ax) is fig
    assert pl.plot_bkt_construction(m, r, n_points=5, ax=ax) is fig
    assert fig.texts == []
