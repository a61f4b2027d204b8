"""Tests for tcpredict.stacks.screen: maps, optimisation, and the distributed, restartable screen
(real dask LocalCluster with two workers)."""

import dataclasses
import json
import math
import os
import shutil
import signal
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import tcpredict
import tcpredict.stacks.screen as screen_mod
from tcpredict.stacks.proximity import Layer, bilayer
from tcpredict.stacks.maps import RESULT_COLUMNS, ScreenConfig, screen_pair, tc_map
from tcpredict.stacks.screen import check_workers, embedded_cluster, resolve_out_dir, run_screen

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
    rank = pd.read_csv(out / "ranking.csv", comment="#")
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


# ---------------------------------------------------------------- provenance, files, reuse
def _umask():
    old = os.umask(0o022)
    os.umask(old)
    return old


def test_screen_files_carry_version_and_parameters(two_worker_run):
    out, r = two_worker_run
    v = tcpredict.__version__
    meta = json.loads((out / "screen.json").read_text())
    assert meta["tcpredict_version"] == v and meta["config_digest"] == TINY.digest()
    assert meta["parameters"]["elements"] == ["Al", "Pb", "Au"]
    assert meta["parameters"]["cutoff_meV"] == 200.0 and meta["parameters"]["t_min_K"] == 0.1
    assert meta["parameters"]["thickness_nm"] == [0.4, 1.0, 2.5]
    assert meta["out_dir"] == str(out.resolve())
    for f in [out / "results.parquet", *(out / "parts").iterdir(), *(out / "grids").iterdir()]:
        md = pq.read_schema(f).metadata
        assert md[b"tcpredict_version"].decode() == v, f
        params = json.loads(md[b"tcpredict_parameters"])
        assert params["config_digest"] == TINY.digest() and params["rtol"] == 1e-4, f
    part = json.loads(pq.read_schema(out / "parts" / "Al-Pb.parquet")
                      .metadata[b"tcpredict_parameters"])
    assert (part["a"], part["b"]) == ("Al", "Pb")
    # DataFrame.attrs: in memory and read back from the Parquet file
    for df in (r.results, r.ranking, pd.read_parquet(out / "results.parquet")):
        assert df.attrs["tcpredict_version"] == v
        assert df.attrs["parameters"]["elements"] == ["Al", "Pb", "Au"]
    # CSV: commented JSON header, then the table
    text = (out / "ranking.csv").read_text()
    header = json.loads("".join(ln[2:] for ln in text.splitlines() if ln.startswith("# ")))
    assert header["tcpredict_version"] == v and header["parameters"]["order"] == 3
    rank = pd.read_csv(out / "ranking.csv", comment="#")
    assert list(rank.columns) == ["rank", *RESULT_COLUMNS] and len(rank) == 3


def test_screen_files_follow_the_umask_not_0600(two_worker_run):
    out, _ = two_worker_run
    expected = 0o666 & ~_umask()
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix != ".png"]
    assert len(files) == 9  # screen.json, results, ranking, 3 parts, 3 grids
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == expected, f
    if not _umask() & 0o040:
        assert all(f.stat().st_mode & stat.S_IRGRP for f in files)
    assert not list(out.rglob("*.tmp")) and not list(out.glob(".probe-*"))


def test_relative_out_dir_is_resolved_and_parts_are_reused(two_worker_run, tmp_path,
                                                           monkeypatch):
    out2, r2 = two_worker_run
    copy = tmp_path / "copy"
    shutil.copytree(out2, copy)
    for f in ("results.parquet", "ranking.csv"):
        (copy / f).unlink()
    monkeypatch.chdir(tmp_path)
    r = run_screen(ELEMENTS, "copy", TINY, make_figures=False)  # every part exists: no cluster
    assert r.out_dir == copy.resolve() and r.out_dir.is_absolute()
    assert (r.pairs_computed, r.pairs_reused) == (0, 3)
    pd.testing.assert_frame_equal(r.results, r2.results, check_exact=True)


def test_output_directory_and_worker_count_are_checked_first(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(ValueError, match="not a directory"):
        run_screen(ELEMENTS, f, TINY)
    with pytest.raises(ValueError, match="looks like a file"):
        run_screen(ELEMENTS, tmp_path / "results.csv", TINY)
    for bad in (0, -1, 10**6, 1.5, True):
        with pytest.raises(ValueError, match="workers must be"):
            run_screen(ELEMENTS, tmp_path / "w", TINY, workers=bad)
    with pytest.raises(ValueError, match="unknown lambda rule"):
        run_screen(ELEMENTS, tmp_path / "r", dataclasses.replace(TINY, lambda_rule="bogus"))
    with pytest.raises(ValueError, match="unknown mustar rule"):
        run_screen(ELEMENTS, tmp_path / "r", dataclasses.replace(TINY, mustar_rule="bogus"))
    assert not (tmp_path / "w").exists() and not (tmp_path / "r").exists()
    assert resolve_out_dir("~") == Path.home().resolve()


def test_screen_json_of_another_version_is_refused(two_worker_run, tmp_path):
    out2, _ = two_worker_run
    d = tmp_path / "old"
    shutil.copytree(out2, d)
    meta = json.loads((d / "screen.json").read_text())
    meta["tcpredict_version"] = "0.0.1"
    (d / "screen.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="made by tcpredict 0.0.1"):
        run_screen(ELEMENTS, d, TINY)


def test_task_reuses_an_existing_part_without_computing(two_worker_run, tmp_path,
                                                        monkeypatch):
    out2, r2 = two_worker_run
    d = tmp_path / "d"
    shutil.copytree(out2, d)
    inode = (d / "parts" / "Al-Pb.parquet").stat().st_ino

    def boom(*a, **k):
        raise AssertionError("screen_pair called although the part exists")

    monkeypatch.setattr(screen_mod, "screen_pair", boom)
    r = screen_mod._pair_task("Al", "Pb", TINY, str(d))  # what a rerun after a worker loss does
    assert r["reused"] and r["row"]["tc_best_K"] == r2.results.set_index(["a", "b"]).loc[
        ("Al", "Pb"), "tc_best_K"]
    assert (d / "parts" / "Al-Pb.parquet").stat().st_ino == inode
    # a part of other settings is not reused (the task would compute)
    other = dataclasses.replace(TINY, rtol=2e-4)
    assert not screen_mod._part_usable(d / "parts" / "Al-Pb.parquet", other.digest())
    assert screen_mod._part_usable(d / "parts" / "Al-Pb.parquet", TINY.digest())


def test_task_refuses_a_directory_it_does_not_share(tmp_path):
    # a worker that does not see DIR/screen.json (another machine's local disk) stops at once
    with pytest.raises(screen_mod.SharedDirectoryError, match="shared"):
        screen_mod._pair_task("Al", "Pb", TINY, str(tmp_path))
    assert not (tmp_path / "parts").exists()


class _FakeClient:
    """Stands in for distributed.Client in check_workers: canned probe answers."""

    def __init__(self, answer):
        self.answer = answer

    def wait_for_workers(self, n, timeout):
        pass

    def run(self, func, out_dir, token, client_file, on_error):
        assert (Path(out_dir) / client_file).read_text() == token  # client wrote its file
        return self.answer(Path(out_dir), token)


def _worker_file(out, token, content=None):
    name = f".probe-{token}-hostB-1"
    (out / name).write_text(token if content is None else content)
    return name


@pytest.mark.parametrize("case, message", [
    ("unreadable", "cannot read the client's files"),
    ("version", "runs tcpredict 0.0.1"),
    ("invisible", "not visible here"),
    ("import", "cannot run tcpredict's probe"),
])
def test_check_workers_explains_the_shared_filesystem_requirement(tmp_path, case, message):
    v = tcpredict.__version__

    def answer(out, token):
        base = {"host": "hostB", "pid": 1, "version": v, "error": None, "file": None}
        if case == "unreadable":
            return {"tcp://b:1": {**base, "error": "cannot read the client's files in X"}}
        if case == "version":
            return {"tcp://b:1": {**base, "version": "0.0.1",
                                  "file": _worker_file(out, token)}}
        if case == "invisible":  # the worker wrote into its own local directory
            return {"tcp://b:1": {**base, "file": f".probe-{token}-hostB-1"}}
        return {"tcp://b:1": ModuleNotFoundError("No module named 'tcpredict'")}

    with pytest.raises(screen_mod.SharedDirectoryError, match=message) as ei:
        check_workers(_FakeClient(answer), tmp_path)
    assert "\n" not in str(ei.value)
    if case != "version":
        assert "shared filesystem" in str(ei.value) and "tcp://b:1" in str(ei.value)
    assert not list(tmp_path.glob(".probe-*"))  # probe files removed


def test_check_workers_accepts_a_worker_that_shares_the_directory(tmp_path):
    ok = {"host": "hostB", "pid": 1, "version": tcpredict.__version__, "error": None}
    notes = []
    hosts = check_workers(_FakeClient(
        lambda out, token: {"tcp://b:1": {**ok, "file": _worker_file(out, token), "env": {}}}),
        tmp_path, notes=notes)
    assert hosts == {"tcp://b:1": "hostB"} and not list(tmp_path.glob(".probe-*"))
    assert notes == []
    # a worker started with dask's default nanny environment gets a note (issue 14)
    check_workers(_FakeClient(lambda out, token: {"tcp://b:1": {
        **ok, "file": _worker_file(out, token), "env": {"MALLOC_TRIM_THRESHOLD_": "65536"}}}),
        tmp_path, notes=notes)
    assert len(notes) == 1 and "MALLOC_TRIM_THRESHOLD_=65536" in notes[0]


def test_embedded_cluster_workers_without_malloc_trim_and_deaf_to_sigint(monkeypatch):
    # dask's nanny would set MALLOC_TRIM_THRESHOLD_=65536 (issue 14: 41-44 % system time);
    # here the parent already carries it (as after any earlier LocalCluster in the process)
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    with embedded_cluster(1) as client:
        env = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
        blas = client.run(lambda: os.environ.get("OPENBLAS_NUM_THREADS"))
        sig = client.run(lambda: signal.getsignal(signal.SIGINT) == signal.SIG_IGN)
        assert "MALLOC_TRIM_THRESHOLD_" not in os.environ
    assert list(env.values()) == [None] and list(blas.values()) == ["1"]
    assert list(sig.values()) == [True]
    assert os.environ["MALLOC_TRIM_THRESHOLD_"] == "65536"  # the parent's value is restored
    assert "PYTHONHASHSEED" not in os.environ  # and the nanny's additions removed


def test_failed_scheduler_connection_leaves_no_dask_state(tmp_path):
    # a Client that could not connect used to stay the process's default dask scheduler, and a
    # later dask computation in the same process (xarray's netCDF writer) failed on its address
    import dask
    import distributed

    from tcpredict.stacks.maps import ScreenConfig
    from tcpredict.stacks.screen import run_screen

    with pytest.raises(ValueError, match="cannot connect to the dask scheduler"):
        run_screen(["Al", "Pb"], tmp_path / "out", ScreenConfig(thickness_nm=(0.5, 2.0)),
                   scheduler="not-an-address", make_figures=False)
    assert dask.config.get("scheduler", None) != "dask.distributed"
    with pytest.raises(ValueError, match="No clients found"):
        distributed.default_client()


@pytest.mark.parametrize("kw", [dict(n_head=0), dict(n_head=500), dict(order=0),
                                dict(order=2.5), dict(panel_factor=-1.0)])
def test_screen_config_refuses_bad_grid_settings_at_once(kw):
    # refused when the configuration is made, not first inside a worker's task
    from tcpredict.stacks.maps import ScreenConfig

    with pytest.raises(ValueError):
        ScreenConfig(**kw)


def test_tables_from_returned_rows_equal_tables_from_the_part_files(two_worker_run):
    # run_screen assembles from the rows its tasks returned; the part files hold the same rows:
    # second method = assemble the same pairs from the files alone
    out, r = two_worker_run
    pairs = list(zip(r.results["a"], r.results["b"]))
    res, rank = screen_mod.assemble(out, pairs, r.results.attrs["parameters"])
    pd.testing.assert_frame_equal(res, r.results)
    pd.testing.assert_frame_equal(rank, r.ranking)


def test_optimum_at_a_thickness_cusp_is_found():
    # Tc(d) has a kink maximum at a confined layer's L_c (docs/proximity.md §6), sharper than
    # the simplex tolerance; the optimiser tries it: independent check = Tc solved at the cusp
    from tcpredict.stacks.maps import _PairSolver

    cfg = ScreenConfig()
    row, _ = screen_pair("Zn", "Zr", cfg)
    ps = _PairSolver("Zn", "Zr", cfg)
    lc = ps.la.film.critical_thickness_nm
    at_cusp = ps.stack(lc, row["thickness_b_nm"]).tc(
        t_min_K=cfg.t_min_K, layer_tc=False, sensitivity=False, rtol=1e-6).tc_K
    assert row["thickness_a_nm"] == pytest.approx(lc, rel=1e-9)
    assert row["tc_best_K"] == pytest.approx(at_cusp, rel=5e-4)
