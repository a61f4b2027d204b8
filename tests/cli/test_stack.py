"""CLI tests for tcpredict stack | bilayer | map | screen (typer CliRunner)."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import tcpredict
import tcpredict.cli.stack  # noqa: F401  (registers the commands)
from tcpredict.cli.common import app

runner = CliRunner()

STACK = """\
cutoff_meV = 250
[[layer]]
einstein_meV = 10
lambda = 1.0
mustar = 0.12
mustar_at_meV = 250
thickness_nm = 1.0
dos_per_spin = 1.0
[[layer]]
einstein_meV = 25
lambda = 0.45
mustar = 0.10
mustar_at_meV = 250
thickness_nm = 1.0
dos_per_spin = 1.0
[[interface]]
gamma_meV = 10.0
"""


def test_stack_json(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(STACK)
    r = runner.invoke(app, ["stack", str(f), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["tc_K"] == pytest.approx(6.549, rel=3e-3)  # proximity.md §3, Γ = 10 meV
    assert d["gammas_meV"] == [[10.0, 10.0]]
    for la in d["layers"]:
        assert {"material", "thickness_nm", "tc_alone_K", "lambda", "mustar"} <= set(la)
    assert d["layers"][0]["tc_alone_K"] == pytest.approx(8.996, rel=3e-3)


def test_stack_bad_file_one_line_error(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(STACK.replace("gamma_meV = 10.0", "gamma_meV = 10.0\ncooper_limit = true"))
    r = runner.invoke(app, ["stack", str(f)])
    assert r.exit_code != 0
    assert "line 18" in r.output and len(r.output.strip().splitlines()) == 1


def test_bilayer_json_default_is_cooper_limit():
    r = runner.invoke(app, ["bilayer", "--a", "Al:0.5", "--b", "Pb:1.0", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["parametrisation"] == "cooper-limit"
    assert d["layers"][0]["confined"] and d["layers"][0]["lambda_rule"] == "dos-scaling"
    # Cooper limit lies between the constituents' Tc (proximity.md §3)
    ta, tb = (la["tc_alone_K"] for la in d["layers"])
    assert min(ta, tb) < d["tc_K"] < max(ta, tb)


def test_bilayer_gamma_and_no_confinement():
    r = runner.invoke(app, ["bilayer", "--a", "Al:0.5", "--b", "Pb:1.0", "--gamma", "2",
                            "--no-confinement", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["parametrisation"] == "gamma" and d["gammas_meV"][0][0] == 2.0
    assert not d["layers"][0]["confined"] and d["layers"][0]["lambda_rule"] == "none"


@pytest.mark.parametrize("args, msg", [
    (["--a", "Al", "--b", "Pb:1"], "MATERIAL:THICKNESS_nm"),
    (["--a", "Al:-1", "--b", "Pb:1"], "> 0"),
    (["--a", "Qq:1", "--b", "Pb:1"], "unknown element"),
    (["--a", "Al:1", "--b", "Pb:1", "--gamma", "1", "--cooper-limit"], "at most one"),
])
def test_bilayer_errors(args, msg):
    r = runner.invoke(app, ["bilayer", *args])
    assert r.exit_code == 2 and msg in r.output


def test_map_writes_parquet_and_plot(tmp_path):
    out, png = tmp_path / "m.parquet", tmp_path / "m.png"
    r = runner.invoke(app, ["map", "--a", "Al", "--b", "Pb", "--thickness-a", "0.5,1",
                            "--thickness-b", "0.5,2", "--t-min", "0.1", "--out", str(out),
                            "--plot", str(png), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    df = pd.read_parquet(out)
    assert len(df) == 4 and {"thickness_a_nm", "thickness_b_nm", "tc_K"} <= set(df.columns)
    assert d["tc_best_K"] >= df.tc_K.max() * (1 - 1e-4)
    assert png.stat().st_size > 1000
    # provenance in the Parquet schema metadata (issue 10 item 2)
    import pyarrow.parquet as pq

    meta = pq.read_schema(out).metadata
    assert meta[b"tcpredict_version"].decode() == tcpredict.__version__
    params = json.loads(meta[b"tcpredict_parameters"])
    assert params["thickness_b_nm"] == [0.5, 2.0] and params["t_min_K"] == 0.1
    assert d["parameters"] == params


def test_map_out_format_follows_the_extension(tmp_path):
    # issue 10: `map --out m.csv` wrote Parquet; now CSV with a commented provenance header
    csv, nc = tmp_path / "m.csv", tmp_path / "m.nc"
    for f in (csv, nc):
        r = runner.invoke(app, ["map", "--a", "Al", "--b", "Zn", "--thickness-a", "0.5,1",
                                "--thickness-b", "0.5", "--out", str(f)])
        assert r.exit_code == 0, r.output
    text = csv.read_text()
    assert text.startswith("# {") and not text.startswith("PAR1")
    df = pd.read_csv(csv, comment="#")
    assert list(df.columns) == ["a", "b", "thickness_a_nm", "thickness_b_nm", "tc_K"]
    assert len(df) == 2 and set(df["a"]) == {"Al"}
    import xarray as xr

    with xr.open_dataset(nc, engine="scipy") as ds:
        assert ds["tc_K"].shape == (2, 1) and ds["tc_K"].attrs["units"] == "K"
        assert ds["tc_K"].values.ravel() == pytest.approx(df["tc_K"].to_numpy(), rel=1e-12)
        assert json.loads(ds.attrs["parameters"])["b"] == "Zn"


@pytest.mark.parametrize("opt, name", [("--out", "m.txt"), ("--out", "m"), ("--out", "m.png"),
                                       ("--plot", "m.parquet"), ("--out", "no/such/m.csv")])
def test_map_refuses_unknown_or_mismatched_extensions_before_computing(tmp_path, opt, name):
    # an unknown element is reported only after the outputs are checked: the refusal comes first
    r = runner.invoke(app, ["map", "--a", "Xx", "--b", "Zn", opt, str(tmp_path / name)])
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {opt}"), r.stderr


def test_screen_cli(tmp_path):
    out = tmp_path / "scr"
    r = runner.invoke(app, ["screen", "--elements", "Al,Pb", "--thickness", "0.5,2",
                            "--out", str(out), "--workers", "1", "--t-min", "0.1"])
    assert r.exit_code == 0, r.output
    assert "top candidates" in r.output and "Al/Pb" in r.output
    assert (out / "results.parquet").exists() and (out / "ranking.csv").exists()
    r = runner.invoke(app, ["screen", "--elements", "Al,Xx", "--out", str(out)])
    assert r.exit_code == 2 and "unknown element" in r.output
