r"""Screening every pair of elements for superconducting bilayers, distributed with dask
(docs/proximity.md §6).

:func:`run_screen` maps every unordered pair of the chosen elements, one dask task per pair.

Files (``DIR`` is the output directory, resolved to an absolute path before anything is
submitted, so that workers never resolve it against their own working directory):

- ``DIR/screen.json`` — version, resolved parameters and the settings' digest; a directory
  holding a screen of other settings, or of another tcpredict version, is refused;
- ``DIR/parts/<a>-<b>.parquet`` — one result row per pair, written by its task as soon as it
  finishes (temporary file + rename, atomic), after ``DIR/grids/<a>-<b>.parquet`` (its Tc grid);
- ``DIR/results.parquet`` (rows sorted by (a, b)) and ``DIR/ranking.csv`` (sorted by tc_best_K
  descending, then a, b; with an uncertainty by tc_p16_K first, :func:`ranking_keys`), rebuilt
  from the parts at the end.

Every file carries the tcpredict version and the resolved parameters (Parquet schema metadata
and ``DataFrame.attrs``; a commented header in the CSV; the JSON keys), and is created with the
permissions of the user's umask (group-readable with the usual 022/002).

Never losing work: a restarted screen with the same settings skips the pairs whose part exists,
and every task checks again, on its worker, before computing: a task that the scheduler reruns
after losing a worker finds the part written by the first run and returns it. Finished results
are released at once, so the scheduler has nothing to recompute when a worker that held them
dies. The final tables do not depend on the number of workers, on the order in which tasks
finish, or on interruptions: every number in a row is a deterministic function of the pair and
the settings.

Before computing, every worker runs a small probe (``client.run``): it must read a file the
client wrote into ``DIR``, write one that the client then reads, and run the same tcpredict
version; otherwise the screen stops with one line that explains the shared-filesystem
requirement (:class:`SharedDirectoryError`).

Each pair is mapped by :func:`tcpredict.stacks.maps.screen_pair` (columns
:data:`tcpredict.stacks.maps.RESULT_COLUMNS`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import logging
import os
import signal
import socket
import threading
import time
import uuid
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from distributed.diagnostics.plugin import WorkerPlugin

from tcpredict.provenance import csv_header, jsonable, parquet_metadata, version
from tcpredict.stacks.maps import RESULT_COLUMNS, ScreenConfig, screen_pair

__all__ = ["run_screen", "ScreenResult", "ScreenInterrupted", "SharedDirectoryError",
           "ClusterError", "assemble", "ranking_keys", "resolve_out_dir", "screen_parameters",
           "embedded_cluster", "check_workers", "check_screen_input", "MAX_WORKERS_PER_CORE",
           "FILE_SUFFIXES"]

#: The embedded cluster has at most this many workers per CPU core (resource bound).
MAX_WORKERS_PER_CORE = 4
#: Suffixes of files: an ``--out`` ending in one of them is refused (the screen writes a folder).
FILE_SUFFIXES = (".json", ".csv", ".parquet", ".nc", ".png", ".pdf", ".svg", ".toml", ".txt")
#: Environment variables the embedded cluster removes from its workers: dask's nanny sets
#: ``MALLOC_TRIM_THRESHOLD_=65536``, which made glibc return memory to the kernel after almost
#: every NumPy temporary (minor page faults ×40, 41–44 % system time; issue 14).
_DROPPED_WORKER_ENV = ("MALLOC_TRIM_THRESHOLD_",)


class SharedDirectoryError(ValueError):
    """The workers cannot use the output directory (not shared, not writable, other version)."""


class ClusterError(RuntimeError):
    """The cluster failed under the screen (a task killed its workers, the scheduler or every
    worker went away); the finished parts are kept, a rerun resumes."""


class ScreenInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`run_screen`; the finished parts are kept in ``out_dir``."""

    def __init__(self, done: int, total: int, out_dir: Path):
        super().__init__(f"{done} of {total} pairs finished")
        self.done, self.total, self.out_dir = done, total, out_dir


# ================================================================================ files
def _umask() -> int:
    """The process umask, read without changing it where Linux allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def _tmp_path(path: Path) -> Path:
    # created by open()/pyarrow with mode 0o666 & ~umask (mkstemp would give 0o600)
    return path.parent / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:12]}.tmp"


def _replace(tmp: Path, path: Path) -> None:
    os.chmod(tmp, 0o666 & ~_umask())  # pyarrow/open honour the umask; make it explicit
    os.replace(tmp, path)


def _write_parquet(df: pd.DataFrame, path: Path, parameters: dict) -> None:
    """Atomic Parquet with provenance in the schema metadata and ``DataFrame.attrs``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, preserve_index=False)
    attrs = {"tcpredict_version": version(), "parameters": jsonable(parameters)}
    meta = dict(table.schema.metadata or {})
    meta.update(parquet_metadata(parameters))
    meta[b"PANDAS_ATTRS"] = json.dumps(attrs).encode()  # read back into DataFrame.attrs
    tmp = _tmp_path(path)
    try:
        pq.write_table(table.replace_schema_metadata(meta), tmp)
        _replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _write_text(text: str, path: Path) -> None:
    tmp = _tmp_path(path)
    try:
        with open(tmp, "x", encoding="utf-8") as fh:
            fh.write(text)
        _replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _part_path(out: Path, a: str, b: str) -> Path:
    return out / "parts" / f"{a}-{b}.parquet"


def _grid_path(out: Path, a: str, b: str) -> Path:
    return out / "grids" / f"{a}-{b}.parquet"


def _part_metadata(path: Path) -> dict:
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    try:
        params = json.loads(meta.get(b"tcpredict_parameters", b"{}"))
    except ValueError:
        params = {}
    return {"tcpredict_version": meta.get(b"tcpredict_version", b"").decode(),
            "config_digest": params.get("config_digest")}


def _part_usable(path: Path, digest: str) -> bool:
    """A part is reused only when it exists, reads, and was made by this version and settings."""
    if not path.exists():
        return False
    try:
        m = _part_metadata(path)
    except (OSError, ValueError):  # unreadable or damaged: compute the pair again
        return False
    return m["tcpredict_version"] == version() and m["config_digest"] == digest


def resolve_out_dir(out_dir) -> Path:
    """The screen's output directory as an absolute path (``~`` expanded, symlinks resolved).

    Raises
    ------
    ValueError
        ``out_dir`` exists and is not a directory, or names a file (``.csv``, ``.parquet``,
        ... :data:`FILE_SUFFIXES`): the screen writes a folder of files.
    """
    p = Path(os.fspath(out_dir)).expanduser()
    if p.exists() and not p.is_dir():
        raise ValueError(f"--out {str(out_dir)!r} exists and is not a directory; the screen "
                         "writes a folder (give a new or existing directory)")
    if not p.exists() and p.suffix.lower() in FILE_SUFFIXES:
        raise ValueError(f"--out {str(out_dir)!r} looks like a file name ({p.suffix}); the "
                         "screen writes a folder of files (give a directory name)")
    return p.resolve()


# ================================================================================ settings
def _pairs(elements) -> list[tuple[str, str]]:
    from tcpredict.materials.elements import get_element

    if isinstance(elements, str):
        raise ValueError("elements must be a sequence of symbols, not one string")
    syms = []
    for e in elements:
        s = get_element(e).symbol
        if s in syms:
            raise ValueError(f"element {s} listed twice")
        syms.append(s)
    if len(syms) < 2:
        raise ValueError("a screen needs at least two elements")
    return list(itertools.combinations(syms, 2))


def _absolute_rule(spec):
    """Rule given as a table path: made absolute (workers have another working directory)."""
    from tcpredict.films.thickness_rules import LAMBDA_RULE_NAMES, MUSTAR_RULE_NAMES

    if not isinstance(spec, str):
        return spec
    key = spec.strip().lower().replace("_", "-")
    if key in LAMBDA_RULE_NAMES or key in MUSTAR_RULE_NAMES:
        return spec
    prefix = "table:" if spec.startswith("table:") else ""
    path = Path(spec[len(prefix):]).expanduser()
    return prefix + str(path.resolve()) if path.is_file() else spec


def _resolve_config(cfg: ScreenConfig) -> ScreenConfig:
    """Check the rules before any computation; make rule-table paths absolute."""
    from tcpredict.films.thickness_rules import get_lambda_rule, get_mustar_rule

    cfg = dataclasses.replace(cfg, lambda_rule=_absolute_rule(cfg.lambda_rule),
                              mustar_rule=_absolute_rule(cfg.mustar_rule))
    get_lambda_rule(cfg.lambda_rule)  # ValueError naming the valid rules
    get_mustar_rule(cfg.mustar_rule)
    return cfg


def check_screen_input(elements, config: ScreenConfig) -> None:
    """Validate the elements and the thickness rules of a screen (ValueError naming the
    problem), before any progress display, output directory or cluster exists."""
    _resolve_config(config)
    _pairs(elements)


def screen_parameters(elements, config: ScreenConfig) -> dict:
    """The resolved parameters recorded in every file of a screen: the elements, every field
    of ``config`` (defaults filled in) and its digest."""
    return {"elements": list(elements), **asdict(config), "config_digest": config.digest()}


def _pair_parameters(a: str, b: str, config: ScreenConfig) -> dict:
    return {"a": a, "b": b, **asdict(config), "config_digest": config.digest()}


def _check_settings(out: Path, syms: list[str], config: ScreenConfig) -> None:
    """Record the settings in DIR/screen.json; refuse to mix parts of different settings or
    of another tcpredict version."""
    digest = config.digest()
    f = out / "screen.json"
    if f.exists():
        try:
            old = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{f} is not a readable screen record ({exc}); use another "
                             "output directory or delete it") from None
        if old.get("config_digest") != digest:
            raise ValueError(f"{out} holds a screen with different settings "
                             f"({f.name}); use another output directory or delete it")
        if old.get("tcpredict_version") != version():
            raise ValueError(f"{out} holds a screen made by tcpredict "
                             f"{old.get('tcpredict_version', '(unknown version)')}, this is "
                             f"{version()}; use another output directory or delete it")
    out.mkdir(parents=True, exist_ok=True)
    meta = {"tcpredict_version": version(),
            "parameters": jsonable(screen_parameters(syms, config)),
            "config_digest": digest, "pairs": len(syms) * (len(syms) - 1) // 2,
            "out_dir": str(out)}
    _write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", f)


# ================================================================================ worker side
def _check_screen_dir(out: Path, digest: str) -> None:
    """On a worker: the output directory must be the client's (DIR/screen.json, same digest)."""
    f = out / "screen.json"
    try:
        seen = json.loads(f.read_text(encoding="utf-8")).get("config_digest")
    except (OSError, ValueError) as exc:
        raise SharedDirectoryError(
            f"worker on host {socket.gethostname()} cannot read {f} ({exc.__class__.__name__}); "
            "the output directory must be on a filesystem shared by the client and every "
            "worker, at the same path") from None
    if seen != digest:
        raise SharedDirectoryError(
            f"worker on host {socket.gethostname()} sees another screen in {out}; the output "
            "directory must be shared by the client and every worker, at the same path")


def _pair_task(a: str, b: str, config: ScreenConfig, out_dir: str) -> dict:
    """One dask task: solve the pair and write its grid and its part (the part last).

    Before computing, the task checks that it sees the client's output directory, and reuses
    the part when it exists (a task rerun after a worker loss does not compute again)."""
    out = Path(out_dir)
    digest = config.digest()
    _check_screen_dir(out, digest)
    part = _part_path(out, a, b)
    if _part_usable(part, digest):
        try:
            row = pd.read_parquet(part).iloc[0].to_dict()
            return {"row": row, "reused": True}
        except (OSError, ValueError, IndexError):
            pass  # damaged: compute again
    params = _pair_parameters(a, b, config)
    row, grid = screen_pair(a, b, config)
    _write_parquet(grid, _grid_path(out, a, b), params)
    _write_parquet(pd.DataFrame([row], columns=RESULT_COLUMNS), part, params)
    return {"row": row, "reused": False}


def _probe_worker(out_dir: str, token: str, client_file: str) -> dict:
    """Run on every worker before the screen (``client.run``): read the client's probe file,
    write this worker's, report the host and the tcpredict version."""
    out = Path(out_dir)
    info = {"host": socket.gethostname(), "pid": os.getpid(), "version": version(),
            "error": None, "file": None,
            "env": {k: os.environ.get(k) for k in _DROPPED_WORKER_ENV if k in os.environ}}
    try:
        seen = (out / client_file).read_text(encoding="utf-8")
    except OSError as exc:
        info["error"] = f"cannot read the client's files in {out} ({exc.strerror or exc})"
        return info
    if seen != token:
        info["error"] = f"sees a different {out} than the client"
        return info
    name = f".probe-{token}-{info['host']}-{info['pid']}"
    try:
        with open(out / name, "x", encoding="utf-8") as fh:
            fh.write(token)
    except OSError as exc:
        info["error"] = f"cannot write in {out} ({exc.strerror or exc})"
        return info
    info["file"] = name
    return info


class _IgnoreSigint(WorkerPlugin):
    """Embedded workers ignore SIGINT: Ctrl-C reaches the whole process group, and only the
    client should react (close the cluster, keep the parts, exit 130)."""

    name = "tcpredict-ignore-sigint"
    idempotent = True

    def setup(self, worker):  # pragma: no cover - runs in the worker process
        with contextlib.suppress(ValueError):  # not the main thread
            signal.signal(signal.SIGINT, signal.SIG_IGN)


# ================================================================================ client side
def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


_SHARED_FS = ("every worker must read and write the output directory at the same path as this "
              "client (a shared filesystem), with the same tcpredict version; see README, "
              "'Scaling out the screen'")


def check_workers(client, out: Path, timeout_s: float = 60.0, notes: list | None = None
                  ) -> dict:
    """Probe every worker of ``client``: it must see ``out`` (read a file written here, write
    one read here) and run this tcpredict version. Returns ``{address: host}``; appends to
    ``notes`` one line per environment variable that slows the workers down (issue 14).

    Raises
    ------
    SharedDirectoryError
        One line naming the worker and the problem.
    """
    try:
        client.wait_for_workers(1, timeout=timeout_s)
    except (TimeoutError, OSError):
        raise ValueError(f"no dask worker connected to the scheduler within "
                         f"{timeout_s:g} s") from None
    token = uuid.uuid4().hex
    client_file = f".probe-{token}"
    (out / client_file).write_text(token, encoding="utf-8")
    written = []
    try:
        infos = client.run(_probe_worker, str(out), token, client_file, on_error="return")
        hosts = {}
        for addr, info in sorted(infos.items()):
            if isinstance(info, BaseException):
                raise SharedDirectoryError(
                    f"worker {addr} cannot run tcpredict's probe ({type(info).__name__}: "
                    f"{_first_line(info)}); {_SHARED_FS}")
            if info.get("file"):
                written.append(out / info["file"])
            if info["error"]:
                raise SharedDirectoryError(f"worker {addr} on host {info['host']} "
                                           f"{info['error']}; {_SHARED_FS}")
            if info["version"] != version():
                raise SharedDirectoryError(
                    f"worker {addr} on host {info['host']} runs tcpredict {info['version']}, "
                    f"this client {version()}; install the same version on every worker")
            try:
                ok = (out / info["file"]).read_text(encoding="utf-8") == token
            except OSError:
                ok = False
            if not ok:
                raise SharedDirectoryError(
                    f"the file that worker {addr} on host {info['host']} wrote into {out} is "
                    f"not visible here; {_SHARED_FS}")
            hosts[addr] = info["host"]
        slow = sorted({f"{k}={v}" for i in infos.values() for k, v in (i.get("env") or {}).items()})
        if notes is not None and slow:
            notes.append(f"workers run with {', '.join(slow)}: glibc then returns memory to "
                         "the kernel after almost every NumPy temporary (much system time); "
                         "see README, 'Scaling out the screen'")
        return hosts
    finally:
        for f in [out / client_file, *written]:
            with contextlib.suppress(OSError):
                f.unlink()


@contextlib.contextmanager
def _quiet_dask():
    """Silence dask's client-side logging and warnings (heartbeats, closing comms, dashboard
    ports) for the life of a screen; errors of the screen itself still propagate."""
    names = ["distributed", "tornado", "asyncio", "bokeh"] + [
        n for n in logging.root.manager.loggerDict if n.startswith("distributed.")]
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module=r"distributed(\.|$)")
            warnings.filterwarnings("ignore", message=r".*[Pp]ort \d+ is already in use")
            yield
    finally:
        for lg, lv in zip(loggers, levels):
            lg.setLevel(lv)


@contextlib.contextmanager
def _sigint_ignored():
    """SIGINT ignored (main thread only) — inherited by processes spawned meanwhile."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


@contextlib.contextmanager
def embedded_cluster(workers: int):
    """A ``LocalCluster`` for the screen and a client: ``workers`` processes with one thread
    each, bound to 127.0.0.1, no dashboard (the HTTP server on a free port, no port-8787
    warnings), quiet logs, BLAS on one thread (dask's default), SIGINT ignored in the workers,
    and without ``MALLOC_TRIM_THRESHOLD_`` (see :data:`_DROPPED_WORKER_ENV`). Yields the client."""
    import dask
    from distributed import Client, LocalCluster

    check_worker_count(workers)
    # the nanny writes its pre-spawn variables into this process's environment too: restore
    # them afterwards, and keep the dropped ones out of it while workers may be (re)spawned
    keys = {*dask.config.get("distributed.nanny.pre-spawn-environ", {}), "PYTHONHASHSEED",
            *_DROPPED_WORKER_ENV}
    saved = {k: os.environ.get(k) for k in keys}
    for k in _DROPPED_WORKER_ENV:
        os.environ.pop(k, None)
    cfg = {f"distributed.nanny.pre-spawn-environ.{k}": None for k in _DROPPED_WORKER_ENV}
    cluster = client = None
    try:
        with dask.config.set(cfg), _sigint_ignored():
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None,
                                   scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                   silence_logs=logging.CRITICAL)
            client = Client(cluster, set_as_default=False)
            client.register_plugin(_IgnoreSigint())
        yield client
    finally:
        with _sigint_ignored():
            if client is not None:
                with contextlib.suppress(Exception):
                    client.close(timeout=10)
            if cluster is not None:
                with contextlib.suppress(Exception):
                    cluster.close(timeout=20)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _predicted_cost(pair) -> float:
    """A rough cost of a pair's task: its compressed grid has ~ω_c/panel nodes, ω_c = 10 Ω_max
    (the larger of the pair), panels 2 × the smaller ω_log (docs/eliashberg.md §2.5); the cost
    of an eigen-solve grows with the square. Correlation 0.5–0.6 with measured pair times on
    the demo elements; used only to order the tasks."""
    from tcpredict.materials.elements import get_element

    sp = [get_element(s).alpha2f() for s in pair]
    return (max(x.omega_max_meV for x in sp) / min(x.omega_log_meV for x in sp)) ** 2


@contextlib.contextmanager
def _external_client(address: str):
    from distributed import Client

    try:
        # not the process-wide default client: a failed connection must not leave itself
        # behind for later dask computations of this process (e.g. xarray's netCDF writer)
        client = Client(address, timeout="30s", set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ValueError(f"cannot connect to the dask scheduler at {address!r}: "
                         f"{_first_line(exc)}") from None
    try:
        yield client
    finally:
        with _sigint_ignored(), contextlib.suppress(Exception):
            client.close(timeout=10)


def check_worker_count(workers) -> int:
    """``workers`` of the embedded cluster: an integer from 1 to
    :data:`MAX_WORKERS_PER_CORE` × the CPU cores (ValueError otherwise)."""
    limit = MAX_WORKERS_PER_CORE * (os.cpu_count() or 1)
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)):
        raise ValueError(f"workers must be an integer from 1 to {limit}, got {workers!r}")
    if not 1 <= workers <= limit:
        raise ValueError(f"workers must be from 1 to {limit} ({MAX_WORKERS_PER_CORE} per CPU "
                         f"core), got {workers}")
    return int(workers)


def _clean_tmp(out: Path) -> None:
    """Remove temporary files left by tasks that were killed while writing."""
    for sub in ("parts", "grids"):
        d = out / sub
        if d.is_dir():
            for f in d.glob(".*.tmp"):
                with contextlib.suppress(OSError):
                    f.unlink()


@dataclass(frozen=True, eq=False)
class ScreenResult:
    """Outcome of :func:`run_screen`: tables and where the files are.

    ``pairs_computed`` counts the pairs solved in this run; ``pairs_reused`` those taken from
    existing parts (at submission, or by a task that found its part already written)."""

    results: pd.DataFrame
    ranking: pd.DataFrame
    out_dir: Path
    files: dict
    pairs_total: int
    pairs_computed: int
    pairs_reused: int
    workers: dict = dataclasses.field(default_factory=dict)
    notes: tuple = ()


def ranking_keys(res: pd.DataFrame) -> list[str]:
    """Sort keys of the ranking (descending Tc, then a, b ascending): ``tc_best_K`` without
    uncertainty; with it, the robust ``tc_p16_K`` first — the Tc reached in 84 % of the draws
    of the element data — then ``tc_best_K`` (docs/uncertainty.md §6)."""
    if "tc_p16_K" in res and res["tc_p16_K"].notna().any():
        return ["tc_p16_K", "tc_best_K", "a", "b"]
    return ["tc_best_K", "a", "b"]


def assemble(out_dir, pairs, parameters: dict | None = None, rows: dict | None = None
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build the final tables from the parts of ``pairs`` (deterministic order); ``parameters``
    (the screen's, :func:`screen_parameters`) go into ``DataFrame.attrs`` with the version.
    ``rows`` maps (a, b) to a part's row already in memory (what the tasks of this run
    returned, the same values their part files hold): those parts are not read again (reading
    780 part files took 2.3 s after the workers had finished)."""
    out = Path(out_dir)
    rows = rows or {}
    frames = [pd.read_parquet(_part_path(out, a, b)) for a, b in pairs if (a, b) not in rows]
    for f in frames:
        f.attrs = {}
    if rows:
        frames.append(pd.DataFrame([rows[p] for p in pairs if p in rows],
                                   columns=RESULT_COLUMNS))
    res = pd.concat(frames, ignore_index=True)[RESULT_COLUMNS]
    res = res.sort_values(["a", "b"], kind="mergesort").reset_index(drop=True)
    rank = res.sort_values(ranking_keys(res), ascending=[False] * (len(ranking_keys(res)) - 2)
                           + [True, True], kind="mergesort").reset_index(drop=True)
    rank.insert(0, "rank", np.arange(1, len(rank) + 1))
    if parameters is not None:
        attrs = {"tcpredict_version": version(), "parameters": jsonable(parameters)}
        res.attrs = dict(attrs)
        rank.attrs = dict(attrs)
    return res, rank


def run_screen(elements, out_dir, config: ScreenConfig | None = None, *,
               scheduler: str | None = None, workers: int = 2, progress=None,
               make_figures: bool = True, worker_timeout_s: float = 60.0) -> ScreenResult:
    """Screen every unordered pair of ``elements`` on dask.distributed.

    Parameters
    ----------
    elements : sequence of str
        Element symbols (≥ 2, shipped data).
    out_dir : path
        Output directory (created; absolute, or relative to this process's working
        directory); see the module docstring for its layout. With ``scheduler``, it must be
        on a filesystem that every worker sees at the same path.
    config : ScreenConfig, optional
    scheduler : str, optional
        Address of a running dask scheduler (e.g. ``tcp://host:8786``); default: an embedded
        ``LocalCluster`` (:func:`embedded_cluster`).
    workers : int
        Workers of the embedded cluster (1 to 4 per CPU core).
    progress : callable, optional
        ``progress(done, total, row)`` after each finished pair (rows of reused parts too).
    make_figures : bool
        Draw ``top_candidates.png`` and ``best_tc_heatmap.png``.
    worker_timeout_s : float
        How long the screen waits without any worker (at the start, or after losing all of
        them) before it stops with an error; finished parts are kept.

    Returns
    -------
    ScreenResult

    Raises
    ------
    ValueError
        Bad elements, rules, output directory or worker count (before any computation);
        :class:`SharedDirectoryError` (a ValueError) when the workers cannot use the output
        directory.
    ScreenInterrupted
        Ctrl-C: the cluster is closed, finished parts are kept; rerun to resume.
    """
    cfg = _resolve_config(config or ScreenConfig())
    if scheduler is None:
        check_worker_count(workers)
    if not (isinstance(worker_timeout_s, (int, float)) and 0 < worker_timeout_s < 1e6):
        raise ValueError(f"worker_timeout_s must be > 0 and < 1e6 s, got {worker_timeout_s!r}")
    out = resolve_out_dir(out_dir)
    pairs = _pairs(elements)
    syms = list(dict.fromkeys(s for p in pairs for s in p))
    params = screen_parameters(syms, cfg)
    digest = cfg.digest()
    _check_settings(out, syms, cfg)
    todo = [p for p in pairs if not _part_usable(_part_path(out, *p), digest)]
    # longest first (the last tasks of a screen then are short ones, so that the workers
    # finish together); results do not depend on the order
    todo.sort(key=_predicted_cost, reverse=True)
    reused = len(pairs) - len(todo)
    computed = 0
    done = reused
    hosts: dict = {}
    notes: list = []
    rows: dict = {}  # (a, b) → the row a task of this run returned
    if progress is not None:
        progress(done, len(pairs), None)
    if todo:
        from concurrent.futures import CancelledError

        from distributed import KilledWorker, as_completed

        try:
            with _quiet_dask(), (_external_client(scheduler) if scheduler
                                 else embedded_cluster(workers)) as client:
                hosts = check_workers(client, out, worker_timeout_s, notes)
                futs = [client.submit(_pair_task, a, b, cfg, str(out), pure=False,
                                      key=f"pair-{a}-{b}-{digest}")
                        for a, b in todo]
                ac = as_completed(futs, loop=client.loop)
                del futs  # the futures live in `ac` until they finish, then are released
                last_worker_seen = time.monotonic()
                last_check = 0.0
                while not ac.is_empty():
                    batch = ac.next_batch(block=False)
                    for fut in batch:
                        try:
                            r = fut.result()
                        except (KilledWorker, CancelledError) as exc:
                            raise ClusterError(
                                f"task {fut.key} failed ({type(exc).__name__}: "
                                f"{_first_line(exc)}); {done} of {len(pairs)} pairs are "
                                f"kept in {out / 'parts'}; rerun to resume") from None
                        fut.release()  # nothing left for the scheduler to recompute
                        row = r["row"]
                        rows[(row["a"], row["b"])] = row
                        done += 1
                        computed += not r["reused"]
                        reused += bool(r["reused"])
                        if progress is not None:
                            progress(done, len(pairs), r["row"])
                    if batch:
                        continue
                    now = time.monotonic()
                    if now - last_check > 2.0:
                        last_check = now
                        if client.nthreads():
                            last_worker_seen = now
                        elif now - last_worker_seen > worker_timeout_s:
                            raise ClusterError(
                                f"no dask worker for {worker_timeout_s:g} s; {done} of "
                                f"{len(pairs)} pairs are kept in {out / 'parts'}; rerun "
                                "to resume")
                    time.sleep(0.05)
        except KeyboardInterrupt:
            done = sum(_part_path(out, *p).exists() for p in pairs)
            raise ScreenInterrupted(done, len(pairs), out) from None
    res, rank = assemble(out, pairs, params, rows)
    _write_parquet(res, out / "results.parquet", params)
    _write_text(csv_header(params) + rank.to_csv(index=False), out / "ranking.csv")
    _clean_tmp(out)
    files = {"results": out / "results.parquet", "ranking": out / "ranking.csv"}
    if make_figures:
        from tcpredict.plotting.stacks import plot_screen

        files.update(plot_screen(res, rank, out))
    return ScreenResult(res, rank, out, files, len(pairs), computed, reused, hosts,
                        tuple(notes))
