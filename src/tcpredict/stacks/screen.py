r"""Screening every pair of elements for superconducting bilayers, distributed with dask
(docs/proximity.md §6).

:func:`run_screen` maps every unordered pair of the chosen elements. One dask task per pair;
each task writes ``DIR/parts/<a>-<b>.parquet`` (the result row) and ``DIR/grids/<a>-<b>.parquet``
(its Tc grid) atomically (temporary file + rename) as soon as it finishes. A restarted screen
with the same settings (``DIR/screen.json``) skips pairs whose part exists. The final
``DIR/results.parquet`` (rows sorted by (a, b)) and ``DIR/ranking.csv`` (sorted by tc_best_K
descending, then a, b) are rebuilt from the parts, so they do not depend on the number of
workers, on the order in which tasks finish, or on interruptions: every number in a row is a
deterministic function of the pair and the settings.

Each pair is mapped by :func:`tcpredict.stacks.maps.screen_pair` (columns
:data:`tcpredict.stacks.maps.RESULT_COLUMNS`).
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tcpredict.stacks.maps import RESULT_COLUMNS, ScreenConfig, screen_pair

__all__ = ["run_screen", "ScreenResult", "assemble"]


# ================================================================================ files
def _atomic_parquet(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _atomic_text(text: str, path: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _part_path(out: Path, a: str, b: str) -> Path:
    return out / "parts" / f"{a}-{b}.parquet"


def _pair_task(a: str, b: str, config: ScreenConfig, out_dir: str) -> dict:
    """One dask task: solve the pair and write its grid and its part (the part last)."""
    out = Path(out_dir)
    row, grid = screen_pair(a, b, config)
    _atomic_parquet(grid, out / "grids" / f"{a}-{b}.parquet")
    _atomic_parquet(pd.DataFrame([row], columns=RESULT_COLUMNS), _part_path(out, a, b))
    return row


@dataclass(frozen=True, eq=False)
class ScreenResult:
    """Outcome of :func:`run_screen`: tables and where the files are."""

    results: pd.DataFrame
    ranking: pd.DataFrame
    out_dir: Path
    files: dict
    pairs_total: int
    pairs_computed: int
    pairs_reused: int


def _pairs(elements) -> list[tuple[str, str]]:
    from tcpredict.materials.elements import get_element

    syms = []
    for e in elements:
        s = get_element(e).symbol
        if s in syms:
            raise ValueError(f"element {s} listed twice")
        syms.append(s)
    if len(syms) < 2:
        raise ValueError("a screen needs at least two elements")
    return list(itertools.combinations(syms, 2))


def _check_settings(out: Path, elements, config: ScreenConfig) -> None:
    """Record the settings in DIR/screen.json; refuse to mix parts of different settings."""
    meta = {"config_digest": config.digest(), "config": asdict(config)}
    f = out / "screen.json"
    if f.exists():
        old = json.loads(f.read_text(encoding="utf-8"))
        if old.get("config_digest") != meta["config_digest"]:
            raise ValueError(f"{out} holds a screen with different settings "
                             f"({f.name}); use another output directory or delete it")
    else:
        out.mkdir(parents=True, exist_ok=True)
        _atomic_text(json.dumps(meta, indent=2) + "\n", f)


def assemble(out_dir, pairs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build the final tables from the parts of ``pairs`` (deterministic order)."""
    out = Path(out_dir)
    frames = [pd.read_parquet(_part_path(out, a, b)) for a, b in pairs]
    res = pd.concat(frames, ignore_index=True)[RESULT_COLUMNS]
    res = res.sort_values(["a", "b"], kind="mergesort").reset_index(drop=True)
    rank = res.sort_values(["tc_best_K", "a", "b"], ascending=[False, True, True],
                           kind="mergesort").reset_index(drop=True)
    rank.insert(0, "rank", np.arange(1, len(rank) + 1))
    return res, rank


def run_screen(elements, out_dir, config: ScreenConfig | None = None, *,
               scheduler: str | None = None, workers: int = 2, progress=None,
               make_figures: bool = True) -> ScreenResult:
    """Screen every unordered pair of ``elements`` on dask.distributed.

    Parameters
    ----------
    elements : sequence of str
        Element symbols (≥ 2, shipped data).
    out_dir : path
        Output directory (created); see the module docstring for its layout.
    config : ScreenConfig, optional
    scheduler : str, optional
        Address of a running dask scheduler; default: an embedded ``LocalCluster``
        (processes, ``workers`` workers, one thread each, no dashboard).
    workers : int
        Workers of the embedded cluster.
    progress : callable, optional
        ``progress(done, total, row)`` after each finished pair (rows of reused parts too).

    Returns
    -------
    ScreenResult
    """
    from distributed import Client, LocalCluster, as_completed

    cfg = config or ScreenConfig()
    if workers < 1:
        raise ValueError("workers must be ≥ 1")
    out = Path(out_dir)
    pairs = _pairs(elements)
    _check_settings(out, elements, cfg)
    todo = [p for p in pairs if not _part_path(out, *p).exists()]
    reused = len(pairs) - len(todo)
    done = reused
    if progress is not None:
        progress(done, len(pairs), None)
    if todo:
        cluster = None
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        try:
            # longest-first is not knowable; submit in a fixed order
            futs = [client.submit(_pair_task, a, b, cfg, str(out), pure=False,
                                  key=f"pair-{a}-{b}-{cfg.digest()}") for a, b in todo]
            for fut in as_completed(futs):
                row = fut.result()
                done += 1
                if progress is not None:
                    progress(done, len(pairs), row)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    res, rank = assemble(out, pairs)
    _atomic_parquet(res, out / "results.parquet")
    _atomic_text(rank.to_csv(index=False), out / "ranking.csv")
    files = {"results": out / "results.parquet", "ranking": out / "ranking.csv"}
    if make_figures:
        from tcpredict.plotting.stacks import plot_screen

        files.update(plot_screen(res, rank, out))
    return ScreenResult(res, rank, out, files, len(pairs), len(todo), reused)


