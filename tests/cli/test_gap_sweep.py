"""``tcpredict gap`` and ``tcpredict stack`` over a list or range of temperatures with netCDF and
plot outputs (issue 12.2)."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import tcpredict.cli.core  # noqa: F401
import tcpredict.cli.stack  # noqa: F401
from tcpredict.cli.common import app
from tcpredict.eliashberg.gapdata import open_gap_dataset

runner = CliRunner()
EIN = ["--einstein", "10", "--lambda", "1", "--mustar", "0.12"]


def test_gap_sweep_json_netcdf_and_plot(tmp_path):
    nc, png = tmp_path / "g.nc", tmp_path / "g.png"
    res = runner.invoke(app, ["gap", *EIN, "--temperature", "lin:1:7:3", "--out", str(nc),
                              "--plot", str(png), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    rows = d["temperatures"]
    assert [r["temperature_K"] for r in rows] == [1.0, 4.0, 7.0]
    assert rows[0]["delta0_meV"] > rows[1]["delta0_meV"] > rows[2]["delta0_meV"] > 0
    ds = open_gap_dataset(nc)
    assert ds.sizes["temperature_K"] == 3 and "omega_meV" in ds.dims
    np.testing.assert_allclose(ds["delta0_meV"].values, [r["delta0_meV"] for r in rows])
    assert ds.attrs["parameters_dict"]["temperatures_K"] == [1.0, 4.0, 7.0]
    assert png.stat().st_size > 5000


def test_gap_one_temperature_keeps_the_flat_layout():
    res = runner.invoke(app, ["gap", *EIN, "--temperature", "2", "--json"])
    d = json.loads(res.output)
    assert d["temperature_K"] == 2.0 and "temperatures" not in d and d["delta0_meV"] > 0


def test_gap_without_real_axis(tmp_path):
    nc = tmp_path / "g.nc"
    res = runner.invoke(app, ["gap", *EIN, "--temperature", "2,3", "--real-axis", "none",
                              "--out", str(nc), "--json"])
    assert res.exit_code == 0, res.output
    ds = open_gap_dataset(nc)
    assert "omega_meV" not in ds.dims and np.all(np.isnan(ds["delta0_meV"].values))


@pytest.mark.parametrize("temp,needle", [("0,1", "--temperature"), ("a", "--temperature"),
                                         ("lin:1:2:0", "N must be")])
def test_gap_bad_temperatures(temp, needle):
    res = runner.invoke(app, ["gap", *EIN, "--temperature", temp])
    assert res.exit_code == 2 and needle in res.output


def test_gap_sweep_resource_bound():
    # 2000 temperatures at 1 mK with a 1 eV cutoff: refused before solving
    res = runner.invoke(app, ["gap", *EIN, "--cutoff", "1000", "--temperature",
                              "lin:0.001:0.002:2000"])
    assert res.exit_code == 2 and "limit" in res.output


def test_stack_gap_sweep(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text("""cutoff_meV = 250
[[layer]]
einstein_meV = 10
lambda = 1.0
mustar = 0.12
mustar_at_meV = 250
thickness_nm = 1.0
dos_per_spin = 1.0
name = "A"
[[layer]]
einstein_meV = 25
lambda = 0.45
mustar = 0.10
mustar_at_meV = 250
thickness_nm = 1.0
dos_per_spin = 1.0
name = "B"
[[interface]]
gamma_meV = 0.5
""")
    nc = tmp_path / "s.nc"
    res = runner.invoke(app, ["stack", str(f), "--temperature", "2,5", "--out", str(nc),
                              "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    t2 = d["temperatures"][0]
    assert t2["delta_iw0_meV"]["0:A"] > t2["delta_iw0_meV"]["1:B"] > 0
    ds = open_gap_dataset(nc)
    assert ds["delta_meV"].dims == ("temperature_K", "layer", "n")
