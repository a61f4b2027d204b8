"""CLI of the core commands: exact interface of issue 2, JSON keys, one-line errors."""

import json

import pytest
from typer.testing import CliRunner

import tcpredict.cli.core  # noqa: F401  (registers tc, gap, thermo, demo)
from tcpredict.cli.common import app, parse_thickness_list, UserError
from tests.conftest import DATA

runner = CliRunner()
AL = str(DATA / "Al_a2F_IsoME_EPW.dat")
TC_KEYS = {"tc_K", "t_min_K", "lambda", "omega_log_meV", "omega2_meV", "allen_dynes_K", "mustar",
           "mustar_at_meV", "mustar_at_cutoff", "cutoff_meV"}


def run_json(args):
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def test_tc_einstein_json_matches_the_reference():
    # proximity.md §3: Einstein 10 meV, λ = 1, μ* = 0.12 at the 250 meV cutoff → 8.996 K
    d = run_json(["tc", "--einstein", "10", "--lambda", "1", "--mustar", "0.12",
                  "--mustar-at", "250", "--cutoff", "250", "--json"])
    assert TC_KEYS <= set(d)
    assert d["tc_K"] == pytest.approx(8.996, rel=2e-4)
    assert d["mustar_at_cutoff"] == pytest.approx(0.12)


def test_tc_a2f_file_with_unit_and_column():
    # eliashberg.md §4: Al column 5 → λ = 0.418, ω_log = 26.47 meV
    d = run_json(["tc", "--a2f", AL, "--unit", "THz", "--column", "5", "--mustar", "0.12",
                  "--json"])
    assert d["lambda"] == pytest.approx(0.418, abs=6e-4)
    assert d["omega_log_meV"] == pytest.approx(26.47, abs=6e-3)
    assert d["allen_dynes_K"] == pytest.approx(1.04, abs=6e-3)


def test_tc_element_and_no_superconductivity_is_null():
    d = run_json(["tc", "--element", "Au", "--t-min", "0.2", "--json"])
    assert d["tc_K"] is None and d["t_min_K"] == 0.2
    assert d["alpha2f_is_model"] is True


def test_gap_and_thermo_keys():
    d = run_json(["gap", "--einstein", "10", "--lambda", "1", "--mustar", "0.12", "--json"])
    assert {"delta0_meV", "two_delta_over_kTc"} <= set(d) | TC_KEYS
    assert 3.5 < d["two_delta_over_kTc"] < 4.5
    d = run_json(["thermo", "--einstein", "10", "--lambda", "1", "--mustar", "0.12", "--json"])
    assert {"delta_c_over_gamma_tc", "hc0_T"} <= set(d)
    assert d["hc0_T"] is None  # no N(0) for a model spectrum


def test_gap_exact_real_axis_option():
    d = run_json(["gap", "--einstein", "10", "--lambda", "1", "--mustar", "0.12",
                  "--real-axis", "msc", "--json"])
    assert "Marsiglio" in d["real_axis_method"]
    p = run_json(["gap", "--einstein", "10", "--lambda", "1", "--mustar", "0.12", "--json"])
    assert d["delta0_meV"] == pytest.approx(p["delta0_meV"], rel=1e-4)  # two methods agree
    res = runner.invoke(app, ["gap", "--einstein", "10", "--lambda", "1", "--mustar", "0.1",
                              "--real-axis", "magic"])
    assert res.exit_code != 0 and "--real-axis" in res.output


def test_thermo_plot(tmp_path):
    png = tmp_path / "thermo.png"
    res = runner.invoke(app, ["thermo", "--element", "Pb", "--plot", str(png)])
    assert res.exit_code == 0, res.output
    assert png.stat().st_size > 1000


@pytest.mark.parametrize("args,needle", [
    (["tc", "--a2f", "missing.dat", "--mustar", "0.1"], "missing.dat"),
    (["tc", "--a2f", AL, "--unit", "furlong", "--mustar", "0.1"], "unknown energy unit"),
    (["tc", "--a2f", AL, "--unit", "THz", "--column", "42", "--mustar", "0.1"], "column 42"),
    (["tc", "--einstein", "10", "--lambda", "-1", "--mustar", "0.1"], "--lambda"),
    (["tc", "--einstein", "10", "--lambda", "1", "--mustar", "-0.1"], "--mustar"),
    (["tc", "--element", "Xx"], "Xx"),
    (["tc", "--einstein", "10", "--mustar", "0.1"], "--lambda"),
])
def test_bad_input_is_one_line_without_traceback(args, needle):
    res = runner.invoke(app, args)
    assert res.exit_code != 0
    assert "Traceback" not in res.output
    assert needle in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_malformed_line_is_named(tmp_path):
    f = tmp_path / "bad.dat"
    f.write_text("1.0 0.1\n2.0 abc\n")
    res = runner.invoke(app, ["tc", "--a2f", str(f), "--mustar", "0.1"])
    assert res.exit_code != 0 and "line 2" in res.output


def test_version():
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.startswith("tcpredict ")


def test_thickness_parser():
    assert list(parse_thickness_list("1,2.5")) == [1.0, 2.5]
    v = parse_thickness_list("0.3:5:12")
    assert len(v) == 12 and v[0] == pytest.approx(0.3) and v[-1] == pytest.approx(5.0)
    for bad in ("", "0,1", "a", "1:2:0", "-1:2:3", "1:2"):
        with pytest.raises(UserError):
            parse_thickness_list(bad)


def test_json_carries_version_and_resolved_parameters():
    # issue 10 item 2: the defaults actually used are recorded (cutoff 10 Ω_max, μ* at Ω_max)
    import tcpredict

    d = run_json(["tc", "--einstein", "10", "--lambda", "1", "--mustar", "0.12", "--json"])
    assert d["tcpredict_version"] == tcpredict.__version__
    p = d["parameters"]
    assert p["einstein_meV"] == 10 and p["lambda"] == 1 and p["mustar"] == 0.12
    assert p["cutoff_meV"] == d["cutoff_meV"] and p["mustar_at_meV"] == d["mustar_at_meV"]
    assert p["t_min_K"] == 0.01 and p["a2f_file"] is None


def test_thermo_plot_extension_is_checked_first(tmp_path):
    res = runner.invoke(app, ["thermo", "--element", "Xx", "--plot", str(tmp_path / "t.csv")])
    assert res.exit_code == 2
    assert res.stderr.strip().startswith("error: --plot") and "\n" not in res.stderr.strip()
