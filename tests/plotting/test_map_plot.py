"""plot_map (issue 10 item 9): legend entries only for drawn artists, the optimum never clipped,
Tc below the floor masked (grey, said in the legend), a square-root colour scale, the note when
the optimum lies on the grid edge and the model-α²F caveat. A synthetic TcMap keeps these tests
fast; the map's physics is tested in tests/stacks/."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import PowerNorm
from matplotlib.figure import Figure

from tcpredict.materials.elements import get_element
from tcpredict.plotting.stacks import map_caveats, optimum_on_edge, plot_map
from tcpredict.stacks.maps import ScreenConfig, TcMap

TA = np.array([0.3, 0.6, 1.2, 2.5, 5.0])
TB = np.array([0.3, 0.6, 1.2, 2.5, 5.0])


def _map(a="Al", b="Au", best=(5.0, 0.3), tc_best=0.98, tc_meas_a=1.18, tc_meas_b=0.0, **kw):
    # Tc falls with the thickness of the normal layer and rises with the Al thickness; the
    # lower-right corner is below the floor (0 K means "none above t_min")
    tc = np.clip(np.log(TA[:, None] / TB[None, :]) / np.log(16.7) * tc_best, 0.0, None)
    return TcMap(a=a, b=b, thickness_a_nm=TA, thickness_b_nm=TB, tc_K=tc, tc_best_K=tc_best,
                 best_thickness_a_nm=best[0], best_thickness_b_nm=best[1],
                 optimiser_converged=True, tc_measured_a_K=tc_meas_a, tc_measured_b_K=tc_meas_b,
                 tc_bulk_model_a_K=1.17, tc_bulk_model_b_K=0.0, tc_film_a_K=1.17,
                 tc_film_b_K=0.0, critical_thickness_a_nm=0.33, critical_thickness_b_nm=0.47,
                 cutoff_meV=100.0, n_solves=25, config=ScreenConfig(), **kw)


def _texts(fig):
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
    return "\n".join(out)


def test_masked_floor_grey_and_square_root_scale():
    m = _map()
    fig = plot_map(m)
    ax = fig.axes[0]
    mesh = ax.collections[0]
    arr = mesh.get_array()
    assert np.ma.is_masked(arr) and arr.mask.sum() == int(np.sum(~(m.tc_K > 0)))
    assert isinstance(mesh.norm, PowerNorm) and mesh.norm.gamma == pytest.approx(0.5)
    assert mesh.cmap.get_bad()[:3] == pytest.approx((0.72, 0.72, 0.72))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("no Tc above the floor" in lb for lb in labels)
    assert "square-root" in fig.axes[1].get_ylabel()


def test_legend_lists_only_drawn_artists():
    m = _map()  # Au is not superconducting, Al's bulk Tc lies above every map value
    fig = plot_map(m)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert not any("Au bulk" in lb for lb in labels)
    assert not any("Al bulk" in lb for lb in labels)  # no contour on the map
    assert "lies below it everywhere" in _texts(fig)
    # with Al's bulk Tc inside the map range the contour is drawn and listed
    m2 = _map(tc_meas_a=0.5)
    fig2 = plot_map(m2)
    labels2 = [t.get_text() for t in fig2.axes[0].get_legend().get_texts()]
    assert any(lb.startswith("Tc = Al bulk Tc") for lb in labels2)
    assert len(fig2.axes[0].collections) == 2  # mesh + the one contour


def test_optimum_not_clipped_and_edge_note():
    m = _map()
    fig = plot_map(m)
    star = [ln for ln in fig.axes[0].get_lines() if ln.get_label().startswith("optimum")]
    assert len(star) == 1 and not star[0].get_clip_on()
    assert optimum_on_edge(m) == ["Al at the largest thickness 5 nm",
                                  "Au at the smallest thickness 0.3 nm"]
    assert "optimum on the grid edge" in _texts(fig) and "widen the thickness range" in _texts(fig)
    inner = _map(best=(2.5, 0.6))
    assert optimum_on_edge(inner) == []
    assert "grid edge" not in _texts(plot_map(inner))


def test_model_alpha2f_caveat_follows_the_element_flag():
    for sym in ("Au", "Al"):
        flag = get_element(sym).alpha2f_is_model
        has = any(ln.startswith(f"{sym}: α²F is a model") for ln in map_caveats(_map()))
        assert has == flag
    assert get_element("Au").alpha2f_is_model  # the case drawn on the figure
    assert "Au: α²F is a model" in _texts(plot_map(_map()))


def test_accepts_axes_returns_figure_and_writes(tmp_path):
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_map(_map(), ax=ax) is fig
    png = tmp_path / "m.png"
    out = plot_map(_map(), png)
    FigureCanvasAgg(out).draw()
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_band_panels_share_mask_and_caveats():
    m = _map()
    bands = {"tc_p16_K": 0.5 * m.tc_K, "tc_p84_K": 1.5 * m.tc_K}
    mb = dataclasses.replace(m, bands=bands, uncertainty={"samples": 4})
    fig = plot_map(mb)
    meshes = [ax.collections[0] for ax in fig.axes[:3]]
    assert all(np.ma.is_masked(x.get_array()) for x in meshes)
    assert "optimum on the grid edge" in _texts(fig)
