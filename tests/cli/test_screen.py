"""CLI tests for ``tcpredict screen``: refusals before any computation (one line, exit 2),
help units, and a small run with a relative ``--out`` (typer CliRunner, embedded cluster)."""

import json
import re
import stat

import pandas as pd
import pytest
from typer.testing import CliRunner

import tcpredict
import tcpredict.cli.stack  # noqa: F401  (registers the commands)
from tcpredict.cli.common import app

runner = CliRunner()
SMALL = ["--elements", "Al,Pb", "--thickness", "0.5,2", "--t-min", "0.1", "--cutoff", "200"]


def _one_line_error(r, *needles):
    assert r.exit_code == 2, r.output
    lines = [ln for ln in r.output.strip().splitlines() if not ln.startswith("screen ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), r.output
    assert "Traceback" not in r.output
    for n in needles:
        assert n in lines[0], r.output


@pytest.mark.parametrize("args, needle", [
    (["--top", "0"], "--top must be ≥ 1"),
    (["--top", "-1"], "--top must be ≥ 1"),
    (["--workers", "0"], "--workers must be from 1"),
    (["--workers", "100000"], "--workers must be from 1"),
    (["--lambda-rule", "bogus"], "unknown lambda rule"),
    (["--mustar-rule", "bogus"], "unknown mustar rule"),
    (["--cutoff", "nan"], "--cutoff must be a finite energy > 0 meV"),
    (["--cutoff", "-5"], "--cutoff must be a finite energy > 0 meV"),
    (["--t-min", "0"], "t_min_K"),
    (["--thickness", "2,1"], "increasing"),
    (["--elements", "Al,Xx"], "unknown element"),
    (["--elements", "Al"], "at least two"),
    (["--scheduler", "not-an-address"], "cannot connect to the dask scheduler"),
])
def test_screen_refuses_bad_input_before_computing(tmp_path, args, needle):
    out = tmp_path / "out"
    base = ["screen", "--elements", "Al,Pb", "--thickness", "0.5,2", "--out", str(out)]
    r = runner.invoke(app, base + args)
    _one_line_error(r, needle)
    assert not (out / "parts").exists()


def test_screen_out_must_be_a_directory(tmp_path):
    f = tmp_path / "taken"
    f.write_text("not a folder")
    r = runner.invoke(app, ["screen", *SMALL, "--out", str(f)])
    _one_line_error(r, "not a directory")
    assert f.read_text() == "not a folder"
    r = runner.invoke(app, ["screen", *SMALL, "--out", str(tmp_path / "ranking.csv")])
    _one_line_error(r, "looks like a file")
    assert not (tmp_path / "ranking.csv").exists()


def test_screen_help_shows_units():
    r = runner.invoke(app, ["screen", "--help"], env={"COLUMNS": "200", "TERM": "dumb"})
    assert r.exit_code == 0
    text = re.sub(r"\s+", " ", r.output)
    for unit in ("(nm)", "(meV)", "(K)", "dimensionless", "count"):
        assert unit in text, unit
    assert "shared with every worker" in text


def test_screen_relative_out_runs_and_writes_stamped_group_readable_files(tmp_path,
                                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["screen", *SMALL, "--out", "rel/scr", "--workers", "1"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "rel" / "scr"
    assert f"results: {out / 'results.parquet'}" in r.output  # absolute paths printed
    assert "1 pairs (1 computed, 0 reused from parts)" in r.output
    assert "Traceback" not in r.output and "8787" not in r.output
    meta = json.loads((out / "screen.json").read_text())
    assert meta["tcpredict_version"] == tcpredict.__version__
    assert meta["parameters"]["cutoff_meV"] == 200.0
    assert pd.read_parquet(out / "results.parquet").attrs["parameters"]["elements"] == [
        "Al", "Pb"]
    for f in out.rglob("*"):
        if f.is_file():
            assert f.stat().st_mode & stat.S_IRGRP, f
    # the same command again: everything reused, nothing computed
    r = runner.invoke(app, ["screen", *SMALL, "--out", "rel/scr", "--workers", "1"])
    assert r.exit_code == 0 and "(0 computed, 1 reused from parts)" in r.output
