"""CLI of the lattice BFM commands (issue 5 interface)."""

import csv
import json

import pytest
from typer.testing import CliRunner

import tcpredict.cli.bfm_lattice  # noqa: F401  (registers meanfield, tc, spectrum, phase-diagram)
from tcpredict.cli.bfm_app import app

runner = CliRunner()


def _json(args):
    r = runner.invoke(app, args + ["--json", "--quiet"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["tcpredict_version"] and isinstance(d["parameters"], dict)  # provenance.stamp
    return d


def _read_csv(path):
    with open(path) as fh:
        lines = fh.read().splitlines()
    assert lines[0].startswith("# ")  # provenance.csv_header: version and parameters
    meta = json.loads("\n".join(ln[2:] for ln in lines if ln.startswith("# ")))
    assert meta["tcpredict_version"] and meta["parameters"]
    return list(csv.DictReader(ln for ln in lines if not ln.startswith("#")))


def test_meanfield_json():
    d = _json(["meanfield", "--g", "0.1", "--delta-b", "0", "--n-tot", "2", "--lattice", "square"])
    for k in ("t_star_D", "mu_D", "gap_zero_T_D", "n_boson", "temperature_D", "converged"):
        assert k in d
    assert d["t_star_D"] == pytest.approx(0.02161, abs=1e-5)  # resonant_pairing.md §4.4
    assert d["gap_zero_T_D"] == pytest.approx(0.05, rel=1e-10)  # identity 8: Δ_F = g/2
    assert d["n_boson"] == pytest.approx(0.5)
    assert d["model"]["band"] == "square_nn" and d["converged"] is True
    assert d["parameters"]["g_D"] == 0.1 and d["parameters"]["temperature_D"] == 0.0


def test_tc_json_and_table(tmp_path):
    d = _json(["tc", "--g", "0.3", "--delta-b", "0", "--n-tot", "2", "--grid", "256"])
    for k in ("t_star_D", "tc_D", "stiffness_zero_T_D", "controlled_by"):
        assert k in d
    assert "tc" not in d and "t_star" not in d  # one name per quantity (issue 10)
    assert d["controlled_by"] in ("amplitude", "phase")
    assert d["tc_D"] < d["t_star_D"]
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
    rows = _read_csv(out)
    assert set(rows[0]) == {"omega_D", "dos_per_D", "dos_bare_per_D"}


def test_phase_diagram_csv_and_plot(tmp_path):
    png, out = tmp_path / "pd.png", tmp_path / "pd.csv"
    r = runner.invoke(app, ["phase-diagram", "--g", "lin:0.05:0.3:3", "--n-tot", "2", "--grid",
                            "128", "--plot", str(png), "--out", str(out)])
    assert r.exit_code == 0, r.output
    rows = _read_csv(out)
    assert len(rows) == 3 and "t_star_D" in rows[0] and "tc_D" in rows[0]
    assert [float(r["g_D"]) for r in rows] == pytest.approx([0.05, 0.175, 0.3])  # linear
    assert png.stat().st_size > 1000
    # progress bar on stderr (a non-terminal gets the final state once), silenced by --quiet
    assert "bfm phase diagram" in r.stderr and "3/3" in r.stderr
    d = _json(["phase-diagram", "--g", "0.2", "--n-tot", "lin:1:2:2", "--grid", "64"])
    assert d["scan_variable"] == "n_tot" and len(d["rows"]) == 2
    # bare START:STOP:N is log-spaced (the one range syntax of tcpredict)
    d = _json(["phase-diagram", "--g", "0.05:0.2:3", "--grid", "64"])
    assert [r["g_D"] for r in d["rows"]] == pytest.approx([0.05, 0.1, 0.2])


def test_quiet_silences_the_progress_bar():
    r = runner.invoke(app, ["phase-diagram", "--g", "0.1,0.2", "--grid", "64", "--quiet"])
    assert r.exit_code == 0, r.output
    assert r.stderr == ""


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
    assert r.exit_code == 2
    assert "Traceback" not in r.output
    err = r.stderr.strip()
    assert err.startswith("error:") and len(err.splitlines()) == 1


def test_unconverged_spectrum_prints_result_then_exit_3(monkeypatch):
    # a self-consistent iteration stopped after 2 steps: the JSON says converged: false and the
    # command exits 3 with one error line (never a silent unconverged number)
    import tcpredict.bfm.fluctuations as fl

    real = fl.fermion_spectrum
    monkeypatch.setattr(fl, "fermion_spectrum", lambda *a, **k: real(*a, **{**k, "max_iter": 2}))
    r = runner.invoke(app, ["spectrum", "--g", "0.1", "--n-tot", "2", "--temperature", "0.05",
                            "--grid", "32", "--order", "self_consistent", "--json"])
    assert r.exit_code == 3
    assert json.loads(r.stdout)["converged"] is False
    assert r.stderr.startswith("error: ConvergenceError: self-energy iteration not converged")
    assert r.stderr.count("\n") == 1


def test_meanfield_number_residual_over_tolerance_is_exit_3(monkeypatch):
    import tcpredict.bfm.lattice as lat

    monkeypatch.setattr(lat, "NUMBER_TOL", -1.0)  # nothing meets it
    r = runner.invoke(app, ["meanfield", "--g", "0.1", "--n-tot", "1.5", "--grid", "16", "--json"])
    assert r.exit_code == 3 and json.loads(r.stdout)["converged"] is False
    assert r.stderr.startswith("error: ConvergenceError: mean-field number equation")
