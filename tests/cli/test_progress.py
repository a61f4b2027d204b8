"""Progress bars of film, map and gap sweeps (issue 10 item 5): the physics functions report
progress through a callback; the CLI draws a rich bar on stderr only on a terminal and never
with --quiet, so piped output (and the JSON on stdout) is unchanged."""

import json

import pytest
from typer.testing import CliRunner

from tcpredict.cli.main import app

runner = CliRunner()


def test_film_tc_reports_every_thickness():
    from tcpredict.films.film import film_tc

    calls = []
    film_tc("Al", [0.5, 1.0, 2.0], find_peak=False, sensitivity=False,
            progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_tc_map_reports_every_grid_point():
    from tcpredict.stacks.maps import ScreenConfig, tc_map

    calls = []
    tc_map("Al", "Pb", [1.0, 2.0], [1.0, 2.0, 3.0], ScreenConfig(optimise=False),
           progress=lambda d, t: calls.append((d, t)))
    assert calls == [(k, 6) for k in range(1, 7)]


def test_gap_sweep_reports_every_temperature():
    from tcpredict.eliashberg.gap import gap_sweep
    from tcpredict.eliashberg.spectra import einstein

    calls = []
    gap_sweep(einstein(10.0, 1.0), 0.1, [1.0, 2.0], progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 2), (2, 2)]


@pytest.mark.parametrize("args", [
    ["film", "--element", "Al", "--thickness", "1,2", "--no-peak", "--json"],
    ["gap", "--einstein", "10", "--lambda", "1", "--mustar", "0.1", "--temperature", "1,2",
     "--real-axis", "none", "--json"],
])
@pytest.mark.parametrize("quiet", [[], ["--quiet"]])
def test_quiet_and_piped_output_is_clean(args, quiet):
    # CliRunner's stderr is not a terminal: no bar either way; --quiet is accepted
    res = runner.invoke(app, args + quiet)
    assert res.exit_code == 0, res.output
    json.loads(res.stdout)
    assert "━" not in res.stderr and "%" not in res.stderr


def test_progress_bar_silent_off_terminal():
    from tcpredict.cli.common import progress_bar

    with progress_bar("x", quiet=False) as update:  # pytest's stderr is not a terminal
        update(1, 2)
    with progress_bar("x", quiet=True) as update:
        update(1, 2)
