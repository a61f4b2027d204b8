"""``--sheet-resistance`` / ``--resistivity`` on ``tc``, ``film``, ``bilayer``, ``stack``
(issue 13, items 2 and 4; docs/stiffness.md)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tcpredict.cli.core  # noqa: F401  (registers the commands)
import tcpredict.cli.film  # noqa: F401
import tcpredict.cli.stack  # noqa: F401
from tcpredict.cli.common import app
from tcpredict.eliashberg.spectra import einstein
from tcpredict.films.bkt import bkt_temperature
from tcpredict.films.film import BKT_ROW_KEYS, ROW_KEYS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BKT_KEYS = {"tc_bkt_K", "stiffness_K", "kinetic_inductance_pH", "penetration_depth_nm", "bkt"}


def run(*args):
    return CliRunner().invoke(app, list(args))


def one_line_error(res, code=2):
    assert res.exit_code == code, res.stdout
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    return lines[0]


def test_tc_sheet_resistance_json():
    res = run("tc", "--einstein", "20", "--lambda", "0.5", "--mustar", "0.1",
              "--sheet-resistance", "2000", "--json")
    assert res.exit_code == 0, res.stderr
    d = json.loads(res.stdout)
    assert BKT_KEYS <= set(d)
    ref = bkt_temperature(einstein(20.0, 0.5), 0.1, 2000.0, tc_K=d["tc_K"])
    assert d["tc_bkt_K"] == pytest.approx(ref.tc_bkt_K, rel=1e-9)
    assert d["tc_bkt_K"] < d["tc_K"]
    assert d["bkt"]["sheet_resistance_ohm"] == 2000.0
    assert d["penetration_depth_nm"] is None  # no thickness given


def test_tc_resistivity_with_thickness_table():
    res = run("tc", "--einstein", "20", "--lambda", "0.5", "--mustar", "0.1",
              "--resistivity", "200", "--thickness", "2")
    assert res.exit_code == 0, res.stderr
    assert "T_BKT" in res.stdout and "1000 Ω" in res.stdout  # 200 µΩ·cm / 2 nm


@pytest.mark.parametrize("args,msg", [
    (["--resistivity", "5"], "--thickness"),
    (["--thickness", "5"], "--resistivity"),
    (["--sheet-resistance", "-3"], "> 0"),
    (["--sheet-resistance", "100", "--vortex-dielectric", "0.5"], "≥ 1"),
])
def test_tc_bkt_option_errors(args, msg):
    res = run("tc", "--einstein", "20", "--lambda", "0.5", "--mustar", "0.1", *args)
    assert msg in one_line_error(res)


def test_film_sheet_resistance_json_and_plot(tmp_path):
    png = tmp_path / "bkt.png"
    res = run("film", "--element", "Al", "--thickness", "0.5,3", "--no-peak",
              "--sheet-resistance", "600", "--plot", str(png), "--json")
    assert res.exit_code == 0, res.stderr
    d = json.loads(res.stdout)
    assert d["sheet_resistance_model"] == {"model": "constant", "sheet_resistance_ohm": 600.0}
    for r in d["rows"]:
        assert list(r) == list(ROW_KEYS) + list(BKT_ROW_KEYS)
        assert r["tc_bkt_K"] < r["tc_K"]
    assert png.stat().st_size > 10_000


def test_film_resistivity_and_table(tmp_path):
    res = run("film", "--element", "Al", "--thickness", "0.5,3", "--no-peak",
              "--resistivity", "2", "--mean-free-path", "20", "--json")
    assert res.exit_code == 0, res.stderr
    d = json.loads(res.stdout)
    assert d["sheet_resistance_model"]["model"] == "fuchs-sondheimer"
    assert d["sheet_resistance_model"]["mean_free_path_nm"] == 20.0
    R = [r["sheet_resistance_ohm"] for r in d["rows"]]
    assert R[0] > R[1] > 2e-8 / 3e-9  # surface scattering raises ρ above ρ_bulk
    table = tmp_path / "r.txt"
    table.write_text("thickness_nm sheet_resistance_ohm\n0.3 3000\n10 50\n")
    res = run("film", "--element", "Al", "--thickness", "0.5", "--no-peak",
              "--sheet-resistance", str(table), "--out", str(tmp_path / "o.csv"))
    assert res.exit_code == 0, res.stderr
    assert "Tc_BKT" in res.stdout
    head = [x for x in (tmp_path / "o.csv").read_text().splitlines()
            if not x.startswith("#")][0]  # after the commented provenance header
    assert head.split(",")[-6:] == list(BKT_ROW_KEYS)


@pytest.mark.parametrize("args,msg", [
    (["--sheet-resistance", "100", "--resistivity", "2"], "not both"),
    (["--mean-free-path", "10"], "--resistivity"),
    (["--sheet-resistance", "no_such_file.txt"], "no_such_file"),
    (["--resistivity", "2", "--specularity", "1"], "specularity"),
])
def test_film_bkt_option_errors(args, msg):
    res = run("film", "--element", "Al", "--thickness", "1", "--no-peak", *args)
    assert msg in one_line_error(res)


def test_bilayer_sheet_resistance():
    res = run("bilayer", "--a", "Al:1", "--b", "Al:2", "--no-confinement",
              "--sheet-resistance", "500", "--json")
    assert res.exit_code == 0, res.stderr
    d = json.loads(res.stdout)
    assert BKT_KEYS <= set(d)
    # thickness split: Al 1 nm carries 1/3 of the conductance → R = 1500 Ω, 2 nm → 750 Ω
    assert d["bkt"]["layer_sheet_resistances_ohm"] == pytest.approx([1500.0, 750.0])
    assert d["tc_bkt_K"] < d["tc_K"]


def test_stack_resistivity_per_layer():
    res = run("stack", str(EXAMPLES / "stack.toml"), "--resistivity", "10,20", "--json")
    assert res.exit_code == 0, res.stderr
    d = json.loads(res.stdout)
    # R_j = ρ_j/d_j: 10 µΩ·cm / 0.5 nm = 200 Ω, 20 µΩ·cm / 2 nm = 100 Ω; in parallel 66.7 Ω
    assert d["bkt"]["layer_sheet_resistances_ohm"] == pytest.approx([200.0, 100.0])
    assert d["bkt"]["sheet_resistance_ohm"] == pytest.approx(200.0 / 3)
    assert 0 < d["tc_bkt_K"] < d["tc_K"]
    res = run("stack", str(EXAMPLES / "stack.toml"), "--resistivity", "1,2,3")
    assert "1 or 2 values" in one_line_error(res)
