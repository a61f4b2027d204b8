"""plot_film (issue 10 item 9): the refined peak lies on the drawn Tc(L) curve, the legend does
not cover any curve (it sits below the axes), an optional Axes is accepted and the figure is
returned. The physics of Tc(L) is tested in tests/films/."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tcpredict.films.film import film_tc
from tcpredict.plotting.films import plot_film


@pytest.fixture(scope="module")
def al_result():
    # coarse grid around L_c: the refined peak falls between grid points
    return film_tc("Al", [0.2, 0.3, 0.5, 1.0, 10.0])


def _tc_line(ax):
    return next(ln for ln in ax.get_lines() if ln.get_label().startswith("Tc(L)"))


def test_peak_lies_on_the_drawn_curve(al_result):
    pk = al_result.peak
    assert pk is not None and pk["tc_K"] > al_result.tc_K.max()  # refined above the samples
    fig = plot_film(al_result)
    ax = fig.axes[0]
    x, y = (np.asarray(v, float) for v in _tc_line(ax).get_data())
    hit = np.isclose(x, pk["thickness_nm"]) & np.isclose(y, pk["tc_K"])
    assert hit.any(), "the peak point must be a vertex of the Tc(L) curve"
    assert y.max() == pytest.approx(pk["tc_K"])
    star = [ln for ln in ax.get_lines() if ln.get_label().startswith("peak")]
    assert len(star) == 1 and star[0].get_ydata()[0] == pytest.approx(pk["tc_K"])
    assert any(f"{pk['tc_K']:.3g} K" == t.get_text() for t in ax.texts)  # value on the curve
    assert ax.get_ylim()[1] > pk["tc_K"]


def test_legend_lists_every_curve_and_stays_outside_the_axes(al_result):
    fig = plot_film(al_result)
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    leg = ax.get_legend()
    labels = [t.get_text() for t in leg.get_texts()]
    assert any(lb.startswith("λ(L)") for lb in labels) and any(lb.startswith("μ*(L)") for lb in labels)
    # every labelled artist drawn on the two axes is in the legend, and nothing else is
    drawn = [a.get_label() for axx in fig.axes for a in axx.get_lines() + axx.patches
             + axx.collections if not a.get_label().startswith("_")]
    assert sorted(drawn) == sorted(labels)
    box, axbox = leg.get_window_extent(), ax.get_window_extent()
    assert box.y1 <= axbox.y0 + 1, "the legend must not overlap the plotting area"


def test_accepts_axes_and_returns_the_figure(al_result, tmp_path):
    fig = Figure()
    ax = fig.add_subplot()
    out = plot_film(al_result, ax=ax)
    assert out is fig and ax.get_xscale() == "log" and _tc_line(ax) is not None
    png = tmp_path / "f.png"
    assert plot_film(al_result, png) is not None
    assert png.read_bytes()[:4] == b"\x89PNG"
