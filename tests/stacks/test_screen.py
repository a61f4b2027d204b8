"""Tests for tcpredict.stacks.screen: maps, optimisation, and the distributed, restartable screen
(real dask LocalCluster with two workers)."""

import math

import numpy as np
import pandas as pd
import pytest

from tcpredict.stacks.proximity import Layer, bilayer
from tcpredict.stacks.maps import RESULT_COLUMNS, ScreenConfig, screen_pair, tc_map
from tcpredict.stacks.screen import run_screen

# tiny but real settings: 3 elements, 3×3 grid, reduced cutoff (Morel–Anderson-rescaled μ*)
TINY = ScreenConfig(thickness_nm=(0.4, 1.0, 2.5), cutoff_meV=200.0, t_min_K=0.1,
                    rtol=1e-4)
ELEMENTS = ["Al", "Pb", "Au"]


def test_map_grid_matches_direct_solves_and_optimum_beats_grid():
    m = tc_map("Al", "Pb", [0.4, 1.0], [0.5, 2.0], TINY)
    # every grid value is the Tc of that bilayer solved on its own (no warm start)
    for i, da in enumerate(m.thickness_a_nm):
        for j, db in enumerate(m.thickness_b_nm):
            st = bilayer(Layer.from_element("Al", da), Layer.from_element("Pb", db),
                         cooper_limit=True, cutoff_meV=200.0)
            ref = st.tc(t_min_K=0.1, layer_tc=False, panel_factor=2.0, order=3).tc_K
            assert m.tc_K[i, j] == pytest.approx(ref, rel=2e-4)
    assert m.tc_best_K >= m.tc_K.max() * (1 - 1e-4)
    assert 0.4 <= m.best_thickness_a_nm <= 1.0 and 0.5 <= m.best_thickness_b_nm <= 2.0


def test_pair_row_definitions():
    row, grid = screen_pair("Al", "Au", TINY)
    assert list(row) == RESULT_COLUMNS
    assert row["tc_measured_a_K"] == pytest.approx(1.175) and row["tc_measured_b_K"] == 0.0
    assert row["weak_bulk_sc"] and not row["neither_bulk_sc"]
    better = max(row["tc_bulk_model_a_K"], row["tc_bulk_model_b_K"])
    assert row["enhancement_K"] == pytest.approx(row["tc_best_K"] - better)
    assert row["enhancement"] == pytest.approx(row["tc_best_K"] / better)
    assert row["parametrisation"] == "cooper-limit" and math.isnan(row["gamma_meV"])
    assert row["lambda_rule"] == "dos-scaling" and row["converged"]
    assert len(grid) == 9


def _run(tmp, workers, **kw):
    return run_screen(ELEMENTS, tmp, TINY, workers=workers, **kw)


@pytest.fixture(scope="module")
def two_worker_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("screen2")
    return out, _run(out, 2)


def test_screen_two_workers_writes_everything(two_worker_run):
    out, r = two_worker_run
    assert r.pairs_total == 3 and r.pairs_computed == 3
    for f in ["results.parquet", "ranking.csv", "top_candidates.png", "best_tc_heatmap.png",
              "screen.json"]:
        assert (out / f).exists()
    assert sorted(p.name for p in (out / "parts").iterdir()) == [
        "Al-Au.parquet", "Al-Pb.parquet", "Pb-Au.parquet"]
    res = pd.read_parquet(out / "results.parquet")
    assert list(res.columns) == RESULT_COLUMNS
    rank = pd.read_csv(out / "ranking.csv")
    assert list(rank["tc_best_K"]) == sorted(rank["tc_best_K"], reverse=True)


def test_screen_identical_with_one_worker_and_after_interruption(two_worker_run, tmp_path):
    out2, r2 = two_worker_run
    # one worker, separate directory: identical table
    r1 = _run(tmp_path / "one", 1, make_figures=False)
    pd.testing.assert_frame_equal(r1.results, r2.results, check_exact=True)
    # simulated interruption: final tables and one part gone, rerun → recomputes one pair
    (tmp_path / "one" / "results.parquet").unlink()
    (tmp_path / "one" / "ranking.csv").unlink()
    (tmp_path / "one" / "parts" / "Al-Pb.parquet").unlink()
    r3 = _run(tmp_path / "one", 2, make_figures=False)
    assert r3.pairs_computed == 1 and r3.pairs_reused == 2
    pd.testing.assert_frame_equal(r3.results, r2.results, check_exact=True)
    assert (tmp_path / "one" / "ranking.csv").read_text() == (out2 / "ranking.csv").read_text()
    # different settings in the same directory are refused
    with pytest.raises(ValueError, match="different settings"):
        run_screen(ELEMENTS, tmp_path / "one", ScreenConfig(thickness_nm=(1.0, 2.0)))


def test_unsolvable_pair_is_reported_not_fatal():
    # Hg: μ* = 0.20 at 11.5 meV cannot be rescaled to 10 × Ω_max(Be) ≈ 2300 meV
    # (Morel–Anderson denominator ≤ 0, matsubara.rescale_mustar)
    row, grid = screen_pair("Hg", "Be", TINY.__class__(thickness_nm=(1.0,), cutoff_meV=None))
    assert not row["converged"] and "Morel" in row["error"] and math.isnan(row["tc_best_K"])
    assert list(row) == RESULT_COLUMNS and len(grid) == 0


def test_screen_input_errors(tmp_path):
    with pytest.raises(ValueError, match="unknown element"):
        run_screen(["Al", "Xx"], tmp_path, TINY)
    with pytest.raises(ValueError, match="at least two"):
        run_screen(["Al"], tmp_path, TINY)
    with pytest.raises(ValueError, match="twice"):
        run_screen(["Al", "al"], tmp_path, TINY)
    with pytest.raises(ValueError, match="increasing"):
        ScreenConfig(thickness_nm=(2.0, 1.0))
