"""``tcpredict film`` (issue 3, item 5): JSON keys, files, one-line errors."""

import json

import pytest
from typer.testing import CliRunner

import tcpredict.cli.film  # noqa: F401  (registers the command)
from tcpredict.cli.common import app
from tcpredict.eliashberg.tc import solve_tc
from tcpredict.films.film import ROW_KEYS
from tcpredict.materials.elements import get_element


def run(*args):
    # the shared app has a root callback, so it stays a command group with only 'film' loaded
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def json_out():
    res = run("film", "--element", "Al", "--thickness", "0.326,1,10,100", "--json", "--no-peak")
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


def test_json_keys(json_out):
    assert set(json_out) >= {"material", "critical_thickness_nm", "tc_bulk_model_K", "tc_measured_K", "lambda_rule",
                             "mustar_rule", "rows"}
    assert json_out["material"] == "Al"
    assert json_out["lambda_rule"] == "dos-scaling" and json_out["mustar_rule"] == "constant"
    assert [r["thickness_nm"] for r in json_out["rows"]] == [0.326, 1.0, 10.0, 100.0]
    for r in json_out["rows"]:
        assert list(r) == list(ROW_KEYS)


def test_json_thick_film_is_bulk(json_out):
    el = get_element("Al")
    bulk = solve_tc(el.alpha2f(), el.mustar, mustar_at_meV=el.mustar_at_meV).tc_K
    assert json_out["rows"][-1]["tc_K"] == pytest.approx(bulk, rel=0.01)


def test_range_rules_csv_plot_and_null(tmp_path):
    csv, png = tmp_path / "mg.csv", tmp_path / "mg.png"
    res = run("film", "--element", "Au", "--thickness", "0.3:3:3", "--mustar-rule",
              "morel-anderson", "--json", "--csv", str(csv), "--plot", str(png), "--no-peak")
    assert res.exit_code == 0, res.stderr
    d = json.loads(res.stdout)
    assert d["mustar_rule"] == "morel-anderson"
    assert [round(r["thickness_nm"], 12) for r in d["rows"]] == pytest.approx([0.3, 0.9486833, 3.0])
    # Au: λ ≈ 0.16 < μ*(1 + 0.62λ) — no Tc above the floor (confinement.md §5 tension): null
    assert all(r["tc_K"] is None for r in d["rows"])
    assert csv.read_text().splitlines()[0] == ",".join(ROW_KEYS)
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_table_output_with_peak_and_window():
    res = run("film", "--element", "Al", "--thickness", "0.25,0.326,0.5", "--threshold", "1.5")
    assert res.exit_code == 0, res.stderr
    assert "peak" in res.stdout and "cusp" in res.stdout and "window" in res.stdout


@pytest.mark.parametrize("thick", ["0,1", "-1", "abc", "1:0.5:0", "", "1,,2", "0:1:5"])
def test_bad_thickness_one_line_error(thick):
    res = run("film", "--element", "Al", "--thickness", thick)
    assert res.exit_code != 0
    assert "Traceback" not in res.output + res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")


def test_unknown_element_one_line_error():
    res = run("film", "--element", "Xx", "--thickness", "1")
    assert res.exit_code != 0
    assert res.stderr.strip().splitlines() == [res.stderr.strip()]
    assert "unknown element" in res.stderr and "Traceback" not in res.stderr
