"""The main job (``make demo``) in its quick form: bulk results, then a small dask screen."""

import json

from typer.testing import CliRunner

import tcpredict
from tcpredict.cli.main import app


def test_demo_quick_writes_bulk_table_and_screen(tmp_path):
    res = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--quick"])
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "bulk.json").read_text())
    assert doc["tcpredict_version"] == tcpredict.__version__ and doc["parameters"]["quick"]
    al = doc["results"][0]
    assert al["material"] == "Al"
    # eliashberg.md §2.4 / §4: weak-coupling Al close to BCS (3.53, 1.43)
    assert abs(al["two_delta_over_kTc"] - 3.53) < 0.05
    assert abs(al["delta_c_over_gamma_tc"] - 1.43) < 0.05
    assert (tmp_path / "screen" / "results.parquet").exists()
    assert (tmp_path / "screen" / "ranking.csv").exists()
    assert str(tmp_path) in res.output.replace("\n", "")
