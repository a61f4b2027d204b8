"""The screen on a real external dask cluster and under Ctrl-C, through the command line.

A ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 (subprocesses of the test,
each in its own session so that a worker can be killed with its nanny), working in a directory
other than the client's: the client passes a RELATIVE ``--out``, one worker is killed midway,
and the table equals that of a local run. Ctrl-C (SIGINT to the process group, as a terminal
sends it) stops a screen with exit 130 and one line; the rerun reuses the kept parts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import tcpredict
from tcpredict.stacks.maps import ScreenConfig
from tcpredict.stacks.screen import run_screen

SRC = Path(tcpredict.__file__).resolve().parents[1]
ELEMENTS = ["Al", "Pb", "Au", "Zn", "Ga"]  # 10 pairs, ~0.3 s each (enough to kill midway)
THICKNESS = (0.4, 0.7, 1.0, 1.6, 2.5)
CFG = ScreenConfig(thickness_nm=THICKNESS, t_min_K=0.1)  # the CLI defaults otherwise
CLI_ARGS = ["--elements", ",".join(ELEMENTS), "--thickness", ",".join(map(str, THICKNESS)),
            "--t-min", "0.1"]


def _env():
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [env.get("PYTHONPATH")])])
    return env


def _kill_session(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    """Signal the session started for ``proc`` (it and its children only)."""
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def _stop(proc: subprocess.Popen) -> None:
    _kill_session(proc, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        _kill_session(proc, signal.SIGKILL)
        proc.wait(timeout=15)


def _wait_for(predicate, timeout=120.0, what="condition"):
    t_end = time.monotonic() + timeout
    while time.monotonic() < t_end:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _parts(out: Path) -> dict:
    d = out / "parts"
    return {p.name: p.stat().st_ino for p in d.glob("*.parquet")} if d.is_dir() else {}


def _assert_quiet(stderr: str):
    assert "Traceback" not in stderr and "8787" not in stderr, stderr
    assert "distributed." not in stderr and "Warning" not in stderr, stderr


@pytest.fixture(scope="module")
def local_reference(tmp_path_factory):
    """The same screen on the embedded cluster (one worker): the table to reproduce."""
    out = tmp_path_factory.mktemp("local")
    return run_screen(ELEMENTS, out, CFG, workers=1, make_figures=False).results


@pytest.fixture
def dask_cluster(tmp_path):
    """``dask scheduler`` + two ``dask worker`` processes on 127.0.0.1, working in their own
    directory; yields (address, [worker processes], workers' cwd)."""
    wcwd = tmp_path / "workers_cwd"
    wcwd.mkdir()
    sfile = tmp_path / "scheduler.json"
    logs = tmp_path / "logs"
    logs.mkdir()
    procs = []

    def start(args, name):
        log = open(logs / f"{name}.log", "w")
        p = subprocess.Popen([sys.executable, "-m", *args], cwd=wcwd, env=_env(),
                             stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        procs.append(p)
        return p

    try:
        start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
               "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(sfile)],
              "scheduler")
        _wait_for(lambda: sfile.exists() and sfile.stat().st_size > 0, 60, "the scheduler")
        addr = json.loads(sfile.read_text())["address"]
        workers = [start(["distributed.cli.dask_worker", addr, "--nthreads", "1",
                          "--no-dashboard", "--local-directory", str(tmp_path / f"scratch{i}"),
                          "--host", "127.0.0.1"], f"worker{i}") for i in range(2)]
        log_text = lambda: "".join(p.read_text() for p in logs.glob("scheduler.log"))  # noqa: E731
        _wait_for(lambda: log_text().count("Register worker") >= 2, 90, "two workers")
        yield addr, workers, wcwd
    finally:
        for p in reversed(procs):
            _stop(p)


def test_external_cluster_relative_out_and_a_worker_killed_midway(
        dask_cluster, local_reference, tmp_path):
    addr, workers, wcwd = dask_cluster
    client_cwd = tmp_path / "client_cwd"
    client_cwd.mkdir()
    out = client_cwd / "results" / "all"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tcpredict", "screen", *CLI_ARGS, "--scheduler", addr,
         "--out", "results/all"],  # relative to the client's working directory
        cwd=client_cwd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: len(_parts(out)) >= 1 or proc.poll() is not None, 120,
                  "the first part")
        at_kill = _parts(out)
        _kill_session(workers[0], signal.SIGKILL)  # the worker and its nanny, no goodbye
        stdout, stderr = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, stderr
    assert len(at_kill) < len(ELEMENTS) * (len(ELEMENTS) - 1) // 2, "killed too late"
    _assert_quiet(stderr)
    # the workers wrote where the client asked, not under their own working directory
    assert not (wcwd / "results").exists()
    assert "2 worker(s) on" in stdout and "10 pairs" in stdout
    # these workers run with dask's default nanny environment: the report says so
    assert "note: workers run with MALLOC_TRIM_THRESHOLD_=65536" in stdout
    res = pd.read_parquet(out / "results.parquet")
    pd.testing.assert_frame_equal(res, local_reference, check_exact=True)
    # the parts finished before the kill were not computed again (same files, same inodes)
    after = _parts(out)
    assert all(after[name] == ino for name, ino in at_kill.items())
    assert all(f.stat().st_mode & stat.S_IRGRP for f in out.rglob("*.parquet"))


def test_ctrl_c_exits_130_keeps_parts_and_the_rerun_reuses_them(local_reference, tmp_path):
    out = tmp_path / "scr"
    cmd = [sys.executable, "-m", "tcpredict", "screen", *CLI_ARGS, "--out", str(out),
           "--workers", "2"]
    # SIGINT as a terminal delivers it: the child starts with the default disposition even when
    # the test process (e.g. a pytest-xdist worker) ignores SIGINT, which a child would inherit
    proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        _wait_for(lambda: len(_parts(out)) >= 1 or proc.poll() is not None, 120,
                  "the first part")
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole process group
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            _stop(proc)
    assert proc.returncode == 130, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("interrupted: "), stderr
    m = re.match(r"interrupted: (\d+) of 10 pairs finished and kept in (.*); rerun", lines[0])
    assert m and Path(m.group(2)) == out / "parts"
    kept = _parts(out)
    assert int(m.group(1)) == len(kept) >= 1
    assert not (out / "results.parquet").exists()
    # rerun to completion: the kept parts are reused, not recomputed
    r = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    _assert_quiet(r.stderr)
    m = re.search(r"10 pairs \((\d+) computed, (\d+) reused from parts\)", r.stdout)
    assert m and int(m.group(2)) >= len(kept) and int(m.group(1)) + int(m.group(2)) == 10
    after = _parts(out)
    assert all(after[name] == ino for name, ino in kept.items())
    pd.testing.assert_frame_equal(pd.read_parquet(out / "results.parquet"), local_reference,
                                  check_exact=True)


def _can_unshare() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    r = subprocess.run(["unshare", "-m", "--propagation", "private", "true"],
                       capture_output=True)
    return r.returncode == 0


@pytest.mark.skipif(not _can_unshare(), reason="needs root and unshare(1) to give one worker "
                                               "a private filesystem")
def test_a_worker_without_the_shared_directory_stops_the_screen(dask_cluster, tmp_path):
    """A third worker sees a private, empty tmpfs at the output path (like a worker on another
    machine without the shared filesystem): the screen stops before computing, one line."""
    addr, _, wcwd = dask_cluster
    shared = tmp_path / "shared"
    shared.mkdir()
    log = open(tmp_path / "worker_private.log", "w")
    inner = (f"mount -t tmpfs none {shared} && exec {sys.executable} -m "
             f"distributed.cli.dask_worker {addr} --nthreads 1 --no-dashboard "
             f"--host 127.0.0.1 --local-directory {tmp_path / 'scratch_private'}")
    w = subprocess.Popen(["unshare", "-m", "--propagation", "private", "sh", "-c", inner],
                         cwd=wcwd, env=_env(), stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True)
    log.close()
    try:
        _wait_for(lambda: "Registered to" in (tmp_path / "worker_private.log").read_text(),
                  90, "the private worker")
        r = subprocess.run([sys.executable, "-m", "tcpredict", "screen", *CLI_ARGS,
                            "--scheduler", addr, "--out", str(shared / "out")],
                           env=_env(), capture_output=True, text=True, timeout=120)
    finally:
        _stop(w)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "shared filesystem" in lines[0], r.stderr
    assert "cannot read the client's files" in lines[0]
    assert not (shared / "out" / "parts").exists()  # nothing was computed
