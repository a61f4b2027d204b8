"""``tcpredict elements`` (issue 11, item 2): JSON schema, CSV when piped, the terminal table,
and the one-line refusal of rejected metals."""

import csv
import io
import json

import pytest
from typer.testing import CliRunner

import tcpredict.cli.core  # noqa: F401  (registers 'tc', used for the refusal test)
import tcpredict.cli.materials as climat  # noqa: F401  (registers 'elements')
from tcpredict.cli.common import app
from tcpredict.cli.main import COMMAND_MODULES
from tcpredict.materials.elements import get_element, list_elements

runner = CliRunner()

ELEMENT_KEYS = {"symbol", "name", "tc_measured_K", "valence", "n_per_nm3", "fermi_energy_eV",
                "debye_K", "lambda", "lambda_lo", "lambda_hi", "omega_log_meV",
                "omega_log_lo_meV", "omega_log_hi_meV", "omega2_meV", "omega2_lo_meV",
                "omega2_hi_meV", "mustar", "mustar_lo", "mustar_hi", "mustar_at_meV", "alpha2f",
                "alpha2f_is_model", "a2f_source", "sources", "estimates", "range_kinds",
                "range_sources", "notes"}


@pytest.fixture(scope="module")
def report():
    res = runner.invoke(app, ["elements", "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_registered_in_main():
    assert COMMAND_MODULES["elements"] == "materials"


def test_json_schema(report):
    assert {"tcpredict_version", "parameters", "elements", "rejected"} <= set(report)
    assert report["parameters"]["elements_file"].endswith("elements.csv")
    assert [d["symbol"] for d in report["elements"]] == list_elements()
    assert report["n_elements"] == len(report["elements"]) >= 40
    for d in report["elements"]:
        assert ELEMENT_KEYS <= set(d), ELEMENT_KEYS - set(d)
        assert d["alpha2f"] in ("table", "model")
        assert d["lambda_lo"] <= d["lambda"] <= d["lambda_hi"]
        assert d["mustar_lo"] <= d["mustar"] <= d["mustar_hi"]
        assert set(d["range_kinds"]) == {"lambda", "omega_log_meV", "omega2_meV", "mustar"}
    al = next(d for d in report["elements"] if d["symbol"] == "Al")
    assert al["alpha2f"] == "table" and al["tc_measured_K"] == get_element("Al").tc_bulk_K
    assert {r["symbol"] for r in report["rejected"]} >= {"Fe", "Co", "Ni"}


def test_piped_output_is_complete_csv():
    # CliRunner's stdout is not a terminal: CSV with every element, sources included
    res = runner.invoke(app, ["elements"])
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.stdout.splitlines() if not ln.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    assert [r["symbol"] for r in rows] == list_elements()
    assert list(rows[0]) == climat.CSV_KEYS
    pb = next(r for r in rows if r["symbol"] == "Pb")
    assert float(pb["lambda"]) == 1.55 and "eliashberg.md" in pb["sources"]
    comments = [ln for ln in res.stdout.splitlines() if ln.startswith("#")]
    assert any('"tcpredict_version"' in c for c in comments)  # provenance.csv_header


def test_terminal_table_lists_every_element(capsys):
    climat._print_table(climat.elements_report())
    out = capsys.readouterr().out
    for sym in list_elements():
        assert f" {sym} " in out
    assert "Rejected" in out and "Fe" in out


@pytest.mark.parametrize("sym,why", [("Fe", "ferromagnet"), ("Pd", "spin fluctuations")])
def test_rejected_metal_is_a_one_line_error(sym, why):
    res = runner.invoke(app, ["tc", "--element", sym])
    assert res.exit_code == 2
    err = res.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and why in err[0]
    assert "Traceback" not in res.output
