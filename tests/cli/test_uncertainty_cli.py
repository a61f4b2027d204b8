"""``--uncertainty`` on tc, film, bilayer, stack, map and screen (docs/uncertainty.md): the keys
(every one in docs/glossary.md), the files and figures, and one-line refusals."""

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tcpredict.cli.main import app
from tests.cli.test_glossary import CORE_KEYS, all_keys

ROOT = Path(__file__).parents[2]
runner = CliRunner()
U = ["--uncertainty", "--samples", "4", "--seed", "2"]


SENSITIVITY_KEYS = {"sensitivity", "dlntc_dlambda", "dlntc_dmustar", "dlntc_dlnlambda",
                    "dlnrho_dlnT"}


def _run(args):
    r = runner.invoke(app, args + ["--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _json(args):
    """The JSON of a command with --uncertainty; every key it adds to the same command without
    the uncertainty options, and the sensitivity keys, are in docs/glossary.md. (The command
    without them runs first: files it writes are then overwritten by the one with them.)"""
    base, skip = [], 0
    for a in args:
        if skip:
            skip -= 1
        elif a == "--uncertainty":
            continue
        elif a in ("--samples", "--seed") or (a == "--threshold" and args[0] != "film"):
            skip = 1
        else:
            base.append(a)
    before = set(all_keys(_run(base)))
    d = _run(args)
    added = set(all_keys(d)) - before
    assert added, "the uncertainty options added no keys"
    missing = (added | (SENSITIVITY_KEYS & set(all_keys(d)))) - CORE_KEYS
    assert not missing, f"keys not in docs/glossary.md: {missing}"
    return d


def _one_line_error(r, needle):
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], r.output


def test_tc_band_keys():
    d = _json(["tc", "--element", "Zn", *U, "--threshold", "1.0"])
    for k in ("tc_p16_K", "tc_p84_K", "p_superconducting"):
        assert k in d
    assert d["tc_p16_K"] <= d["tc_p84_K"]
    assert d["uncertainty"]["samples"] == 4 and d["uncertainty"]["seed"] == 2
    assert d["parameters"]["uncertainty"]["threshold_K"] == 1.0
    assert d["sensitivity"]["dlntc_dlambda"] > 0 > d["sensitivity"]["dlntc_dmustar"]
    assert "tc_model_min_K" not in d  # bulk: no thickness rules
    # same seed, same numbers
    assert _json(["tc", "--element", "Zn", *U])["tc_p16_K"] == d["tc_p16_K"]


def test_tc_without_ranges_collapses_and_console_rows():
    d = _json(["tc", "--einstein", "10", "--lambda", "0.5", "--mustar", "0.1", *U])
    assert d["tc_p16_K"] == d["tc_p84_K"] == d["tc_K"]
    r = runner.invoke(app, ["tc", "--element", "Zn", *U], env={"COLUMNS": "200"})
    assert r.exit_code == 0 and "Tc band 16–84 %" in r.output and "∂ln Tc/∂λ" in r.output


@pytest.mark.parametrize("args, needle", [
    (["tc", "--element", "Al", "--samples", "4"], "--samples need --uncertainty"),
    (["tc", "--element", "Al", "--threshold", "1"], "--threshold need --uncertainty"),
    (["tc", "--element", "Al", "--uncertainty", "--samples", "1"], "--samples must be"),
    (["tc", "--element", "Al", "--uncertainty", "--seed", "-3"], "--seed must be"),
    (["bilayer", "--a", "Al:0.5", "--b", "Au:0.5", "--seed", "1"], "--seed need --uncertainty"),
])
def test_refusals(args, needle):
    _one_line_error(runner.invoke(app, args), needle)


def test_film_rows_csv_and_plot(tmp_path):
    out, png = tmp_path / "mg.csv", tmp_path / "mg.png"
    d = _json(["film", "--element", "Mg", "--thickness", "0.3,0.5,2", *U, "--threshold",
               "0.1", "--out", str(out), "--plot", str(png)])
    for row in d["rows"]:
        for k in ("dlntc_dlambda", "tc_p16_K", "tc_p84_K", "p_superconducting",
                  "tc_model_min_K", "tc_model_max_K"):
            assert k in row
    assert len(d["uncertainty"]["model_rules"]) == 6
    df = pd.read_csv(out, comment="#")
    assert list(df.columns[-5:]) == ["tc_p16_K", "tc_p84_K", "p_superconducting",
                                     "tc_model_min_K", "tc_model_max_K"]
    assert png.stat().st_size > 10_000


def test_bilayer_and_stack():
    d = _json(["bilayer", "--a", "Al:0.6", "--b", "Au:0.5", *U, "--threshold", "0.05"])
    assert {"tc_p16_K", "tc_p84_K", "p_superconducting", "tc_model_min_K"} <= set(d)
    assert [x["material"] for x in d["sensitivity"]["layers"]] == ["Al", "Au"]
    s = _json(["stack", str(ROOT / "examples" / "stack.toml"), *U])
    assert "tc_p16_K" in s and s["uncertainty"]["samples"] == 4


def test_map_grid_bands_files_and_figure(tmp_path):
    nc, png = tmp_path / "m.nc", tmp_path / "m.png"
    d = _json(["map", "--a", "Al", "--b", "Zn", "--thickness-a", "0.5,2", "--thickness-b",
               "0.5,2", "--uncertainty", "--samples", "3", "--out", str(nc), "--plot",
               str(png)])
    assert {"tc_p16_K", "tc_p84_K", "tc_model_min_K", "sensitivity"} <= set(d)
    import xarray as xr

    ds = xr.open_dataset(nc)
    assert {"tc_K", "tc_p16_K", "tc_p84_K", "tc_model_min_K", "tc_model_max_K"} <= set(
        ds.data_vars)
    assert (ds["tc_p16_K"] <= ds["tc_p84_K"]).all()
    ds.close()
    assert png.stat().st_size > 10_000


def test_screen_bands_in_results(tmp_path):
    out = tmp_path / "scr"
    r = runner.invoke(app, ["screen", "--elements", "Al,Zn,Au", "--thickness", "0.5,2",
                            "--t-min", "0.05", "--out", str(out), "--workers", "1",
                            "--uncertainty", "--samples", "3", "--threshold", "0.1"],
                      env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "ranked by tc_p16_K" in r.output
    res = pd.read_parquet(out / "results.parquet")
    assert (res["uncertainty_samples"] == 3).all()
    assert (res["tc_p16_K"] <= res["tc_p84_K"]).all()
    rank = pd.read_csv(out / "ranking.csv", comment="#")
    assert list(rank["tc_p16_K"]) == sorted(rank["tc_p16_K"], reverse=True)
    screen = json.loads((out / "screen.json").read_text())
    assert screen["parameters"]["uncertainty"]["samples"] == 3
