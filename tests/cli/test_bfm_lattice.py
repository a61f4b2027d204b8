"""CLI of the lattice BFM commands (issue 5 interface)."""

import csv
import json

import pytest
from typer.testing import CliRunner

import tcpredict.cli.bfm_lattice  # noqa: F401  (registers meanfield, tc, spectrum, phase-diagram)
from tcpredict.cli.bfm_app import app

runner = CliRunner()


def _json(args):
    r = runner.invoke(app, args + ["--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_meanfield_json():
    d = _json(["meanfield", "--g", "0.1", "--delta-b", "0", "--n-tot", "2", "--lattice", "square"])
    for k in ("t_star", "mu", "gap_zero_T", "n_boson"):
        assert k in d
    assert d["t_star"] == pytest.approx(0.02161, abs=1e-5)  # resonant_pairing.md §4.4
    assert d["gap_zero_T"] == pytest.approx(0.05, rel=1e-10)  # identity 8: Δ_F = g/2
    assert d["n_boson"] == pytest.approx(0.5)
    assert d["model"]["band"] == "square_nn"


def test_tc_json_and_table(tmp_path):
    d = _json(["tc", "--g", "0.3", "--delta-b", "0", "--n-tot", "2", "--grid", "256"])
    for k in ("t_star", "tc", "stiffness_zero_T", "controlled_by"):
        assert k in d
    assert d["controlled_by"] in ("amplitude", "phase")
    assert d["tc"] < d["t_star"]
    png = tmp_path / "bkt.png"
    r = runner.invoke(app, ["tc", "--g", "0.3", "--n-tot", "2", "--grid", "128", "--plot", str(png)])
    assert r.exit_code == 0 and png.stat().st_size > 1000
    assert "controlled_by" in r.stdout


def test_spectrum_json_plot_csv(tmp_path):
    png, out = tmp_path / "dos.png", tmp_path / "dos.csv"
    d = _json(["spectrum", "--g", "0.1", "--delta-b", "0", "--n-tot", "2", "--temperature", "0.05",
               "--grid", "128", "--plot", str(png), "--out", str(out)])
    assert "pseudogap_depth" in d and len(d["omega_D"]) == len(d["dos_per_D"]) > 100
    assert d["dos_integral"] == pytest.approx(1.0, abs=1e-4)
    assert png.stat().st_size > 1000
    with open(out) as fh:
        rows = list(csv.DictReader(fh))
    assert set(rows[0]) == {"omega_D", "dos_per_D", "dos_bare_per_D"}


def test_phase_diagram_csv_and_plot(tmp_path):
    png, out = tmp_path / "pd.png", tmp_path / "pd.csv"
    r = runner.invoke(app, ["phase-diagram", "--g", "0.05:0.3:3", "--n-tot", "2", "--grid", "128",
                            "--plot", str(png), "--out", str(out)])
    assert r.exit_code == 0, r.output
    with open(out) as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3 and "t_star_D" in rows[0] and "tc_D" in rows[0]
    assert png.stat().st_size > 1000
    d = _json(["phase-diagram", "--g", "0.2", "--n-tot", "1:2:2", "--grid", "64"])
    assert d["scan_variable"] == "n_tot" and len(d["rows"]) == 2


@pytest.mark.parametrize("args", [
    ["meanfield", "--g", "0.1", "--n-tot", "4.5"],
    ["meanfield", "--g", "-0.1", "--n-tot", "2"],
    ["meanfield", "--g", "0.1", "--n-tot", "2", "--grid", "-16"],
    ["meanfield", "--g", "0.1", "--n-tot", "2", "--lattice", "hexagonal"],
    ["tc", "--g", "0.1", "--n-tot", "-1"],
    ["spectrum", "--g", "0.1", "--n-tot", "2", "--temperature", "-0.1"],
    ["phase-diagram", "--g", "0.1:0.2", "--n-tot", "2"],
    ["phase-diagram", "--g", "a:b:3", "--n-tot", "2"],
    ["phase-diagram", "--g", "0.1:0.2:3", "--n-tot", "5"],
])
def test_bad_input_one_line_error(args):
    r = runner.invoke(app, args)
    assert r.exit_code != 0
    assert "Traceback" not in r.output
    err = r.stderr.strip()
    assert err.startswith("error:") and len(err.splitlines()) == 1
