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


def test_demo_replaces_its_own_stale_screen_only(tmp_path):
    # after an upgrade `make demo` must not stop on its old screen (which a user screen would
    # refuse to extend); a directory without screen.json is never touched
    from tcpredict.stacks.maps import ScreenConfig
    from tcpredict.stacks.report import _discard_stale_demo_screen

    cfg = ScreenConfig(thickness_nm=(0.35, 0.6, 1.0))
    old = tmp_path / "old"
    (old / "parts").mkdir(parents=True)
    (old / "screen.json").write_text(json.dumps({"tcpredict_version": "0.0.1",
                                                 "config_digest": cfg.digest()}))
    _discard_stale_demo_screen(old, cfg)
    assert not old.exists()
    same = tmp_path / "same"
    (same / "parts").mkdir(parents=True)
    (same / "screen.json").write_text(json.dumps({"tcpredict_version": tcpredict.__version__,
                                                  "config_digest": cfg.digest()}))
    _discard_stale_demo_screen(same, cfg)
    assert (same / "parts").is_dir()
    other = tmp_path / "user"
    (other / "data").mkdir(parents=True)
    _discard_stale_demo_screen(other, cfg)
    assert (other / "data").is_dir()
