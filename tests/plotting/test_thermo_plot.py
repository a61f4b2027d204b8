"""plot_thermo (issue 10 item 9): the caveats (free-electron N(0) behind B_c, model α²F) are on
the figure when they apply, and only then; the CLI passes them. The thermodynamics themselves
are tested in tests/eliashberg/test_thermo.py."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from tcpredict.eliashberg.spectra import einstein
from tcpredict.eliashberg.thermo import thermodynamics
from tcpredict.plotting.eliashberg import (FREE_ELECTRON_N0_CAVEAT, MODEL_A2F_CAVEAT,
                                           plot_thermo, thermo_caveats)


@pytest.fixture(scope="module")
def th():
    return thermodynamics(einstein(10.0, 0.8), 0.1, n0_per_meV_nm3=0.02, n_temperatures=5)


def _texts(fig):
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts] + [ax.get_title()]
    return "\n".join(out)


def test_caveats_present_when_they_apply(th):
    fig = plot_thermo(th, caveats=thermo_caveats(free_electron_n0=True, alpha2f_is_model=True))
    assert isinstance(fig, Figure)
    text = _texts(fig).replace("\n  ", " ")
    assert "free-electron N(0)" in text and "--n0" in text
    assert "α²F is a model built from the tabulated moments" in text
    assert fig.axes[2].get_title().endswith("*")


def test_no_caveat_without_cause(th):
    assert thermo_caveats() == []
    fig = plot_thermo(th)
    text = _texts(fig)
    assert "free-electron" not in text and "model" not in text
    assert not fig.axes[2].get_title().endswith("*")


def test_writes_file_and_accepts_axes(th, tmp_path):
    png = tmp_path / "t.png"
    assert plot_thermo(th, png, title="E", caveats=[MODEL_A2F_CAVEAT]) == png
    assert png.read_bytes()[:4] == b"\x89PNG"
    fig = Figure()
    axes = fig.subplots(1, 3)
    assert plot_thermo(th, axes=axes, caveats=[FREE_ELECTRON_N0_CAVEAT]) is fig


def test_cli_puts_the_free_electron_caveat_on_the_nb_figure(tmp_path, monkeypatch):
    # Nb: default N(0) is the free-electron 3n/(4E_F0); Nb's α²F is a table (no model caveat)
    import tcpredict.plotting.eliashberg as pe
    from typer.testing import CliRunner

    import tcpredict.cli.core  # noqa: F401  (registers the command)
    from tcpredict.cli.common import app

    seen = {}
    real = pe.plot_thermo

    def spy(th, path=None, title="", **kw):
        seen.update(kw)
        return real(th, path, title, **kw)

    monkeypatch.setattr(pe, "plot_thermo", spy)
    png = tmp_path / "nb.png"
    r = CliRunner().invoke(app, ["thermo", "--element", "Nb", "--plot", str(png)])
    assert r.exit_code == 0, r.output
    assert seen["caveats"] == [FREE_ELECTRON_N0_CAVEAT]
    seen.clear()
    r = CliRunner().invoke(app, ["thermo", "--element", "Nb", "--n0", "0.05", "--plot", str(png)])
    assert r.exit_code == 0, r.output
    assert seen["caveats"] == []
