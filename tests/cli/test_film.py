"""``tcpredict film`` (issue 3, item 5): JSON keys, files, one-line errors."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import tcpredict
import tcpredict.cli.film  # noqa: F401  (registers the command)
from tcpredict.cli.common import app
from tcpredict.eliashberg.tc import solve_tc
from tcpredict.films.film import FRAME_KEYS, ROW_KEYS
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
              "morel-anderson", "--json", "--out", str(csv), "--plot", str(png), "--no-peak")
    assert res.exit_code == 0, res.stderr
    d = json.loads(res.stdout)
    assert d["mustar_rule"] == "morel-anderson"
    assert [round(r["thickness_nm"], 12) for r in d["rows"]] == pytest.approx([0.3, 0.9486833, 3.0])
    # Au: λ ≈ 0.16 < μ*(1 + 0.62λ) — no Tc above the floor (confinement.md §5 tension): null
    assert all(r["tc_K"] is None for r in d["rows"])
    # CSV: a commented provenance header (version, resolved parameters), then the element and
    # rule columns and the row keys (issue 10 item 2)
    lines = csv.read_text().splitlines()
    header = [ln[2:] for ln in lines if ln.startswith("# ")]
    meta = json.loads("\n".join(header))
    assert meta["tcpredict_version"] == tcpredict.__version__
    assert meta["parameters"]["material"] == "Au" and meta["parameters"]["find_peak"] is False
    data = [ln for ln in lines if not ln.startswith("#")]
    assert data[0] == ",".join(FRAME_KEYS) and len(data) == 4
    assert data[1].startswith("Au,dos-scaling,morel-anderson,0.3,")
    df = pd.read_csv(csv, comment="#")
    assert df["tc_K"].isna().all() and list(df["thickness_nm"]) == pytest.approx(
        [r["thickness_nm"] for r in d["rows"]])
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


@pytest.mark.parametrize("ext", ["json", "parquet", "nc"])
def test_out_format_follows_the_extension(tmp_path, ext):
    f = tmp_path / f"al.{ext}"
    res = run("film", "--element", "Al", "--thickness", "0.5,1", "--no-peak", "--out", str(f))
    assert res.exit_code == 0, res.stderr
    if ext == "json":
        d = json.loads(f.read_text())
        assert d["parameters"]["thickness_nm"] == [0.5, 1.0] and len(d["rows"]) == 2
    elif ext == "parquet":
        import pyarrow.parquet as pq

        t = pq.read_table(f)
        assert t.column_names == list(FRAME_KEYS)
        meta = t.schema.metadata
        assert meta[b"tcpredict_version"].decode() == tcpredict.__version__
        assert json.loads(meta[b"tcpredict_parameters"])["material"] == "Al"
    else:
        import xarray as xr

        with xr.open_dataset(f, engine="scipy") as ds:
            assert list(ds["tc_K"].dims) == ["thickness_nm"] and ds.attrs["material"] == "Al"
            assert json.loads(ds.attrs["parameters"])["thickness_nm"] == [0.5, 1.0]
            assert ds.attrs["tcpredict_version"] == tcpredict.__version__


@pytest.mark.parametrize("opt, name", [("--out", "x.txt"), ("--out", "x"), ("--out", "x.png"),
                                       ("--plot", "x.csv"), ("--plot", "nodir/x.png"),
                                       ("--out", "nodir/x.csv")])
def test_bad_output_extension_is_refused_before_computing(tmp_path, opt, name):
    # refused in one line, exit 2, before anything is computed: with an unknown element the
    # error is still the output's, so the check runs before the element is even looked up
    res = run("film", "--element", "Xx", "--thickness", "0.5", opt, str(tmp_path / name))
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {opt}"), res.stderr
    assert not list(tmp_path.iterdir())


def test_out_directory_is_refused(tmp_path):
    d = tmp_path / "dir.csv"
    d.mkdir()
    res = run("film", "--element", "Al", "--thickness", "0.5", "--out", str(d))
    assert res.exit_code == 2 and "is a directory" in res.stderr
