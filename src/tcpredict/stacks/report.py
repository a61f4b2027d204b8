"""Console report of a bilayer screen (rich tables and a progress bar): the edge between
:func:`tcpredict.stacks.screen.run_screen` and a terminal, shared by the CLI and the demo."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tcpredict.stacks.maps import DEMO_ELEMENTS, ScreenConfig
from tcpredict.stacks.screen import run_screen

__all__ = ["ranking_table", "screen_with_report", "run_demo_screen"]


def _console() -> Console:
    """A console whose tables are complete when stdout is not a terminal (no 80-column cut)."""
    con = Console()
    if not con.is_terminal and "COLUMNS" not in os.environ:
        con = Console(width=200)
    return con


def _banded(rank) -> bool:
    return "tc_p16_K" in rank and bool(rank["tc_p16_K"].notna().any())


def ranking_table(rank, top: int, title: str = "top candidates") -> Table:
    """Rich table of the first ``top`` rows of a screen ranking (with the 16–84 % band, the
    range over the thickness rules and P(Tc ≥ threshold) when the screen has them)."""
    banded = _banded(rank)
    has_p = banded and bool(rank["p_superconducting"].notna().any())
    cols = ["rank", "pair", "tc_best_K"] + (["tc_p16_K…tc_p84_K", "rules (K)"] if banded
                                            else []) + (["P_sc"] if has_p else []) + [
        "d_a_nm", "d_b_nm", "bulk Tc a/b (K)", "enhancement_K", "flag"]
    t = Table(*cols, title=title)
    for r in rank.head(top).itertuples():
        flag = "NEITHER bulk SC" if r.neither_bulk_sc else ("weak (<1.5 K)" if r.weak_bulk_sc
                                                            else "")
        band = ([f"{r.tc_p16_K:.3f}…{r.tc_p84_K:.3f}",
                 f"{r.tc_model_min_K:.3f}…{r.tc_model_max_K:.3f}"] if banded else [])
        band += [f"{r.p_superconducting:.2f}"] if has_p else []
        t.add_row(str(r.rank), f"{r.a}/{r.b}", f"{r.tc_best_K:.4f}", *band,
                  f"{r.thickness_a_nm:.3g}", f"{r.thickness_b_nm:.3g}",
                  f"{r.tc_measured_a_K:g}/{r.tc_measured_b_K:g}", f"{r.enhancement_K:+.3f}",
                  flag)
    return t


def screen_with_report(elements, out, cfg, *, scheduler=None, workers: int = 2, top: int = 15,
                       console=None):
    """Run :func:`~tcpredict.stacks.screen.run_screen` with a progress bar, then print the
    ranking, the new predictions and the files written; returns the ScreenResult."""
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be an integer ≥ 1, got {top!r}")
    con = console or _console()
    with Progress(TextColumn("[bold]screen"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("pairs"), TimeElapsedColumn(), console=con) as prog:
        task = prog.add_task("pairs", total=None)

        def cb(done, total, row):
            prog.update(task, completed=done, total=total)

        res = run_screen(elements, out, cfg, scheduler=scheduler, workers=workers, progress=cb)
    con.print(ranking_table(res.ranking, top))
    new = res.ranking[res.ranking.neither_bulk_sc | res.ranking.weak_bulk_sc]
    if len(new):
        from tcpredict.stacks.screen import ranking_keys

        keys = ranking_keys(new)
        con.print(ranking_table(
            new.sort_values(keys, ascending=[False] * (len(keys) - 2) + [True, True],
                            kind="mergesort"), top,
            title="new predictions: neither constituent superconducts in bulk, or only "
                  "weakly (< 1.5 K)"))
    con.print(f"{res.pairs_total} pairs ({res.pairs_computed} computed, {res.pairs_reused} "
              f"reused from parts); parametrisation {cfg.parametrisation}, "
              f"λ rule {cfg.lambda_rule}, μ* rule {cfg.mustar_rule}", soft_wrap=True)
    if cfg.uncertainty is not None:
        u = cfg.uncertainty
        con.print(f"ranked by tc_p16_K (the best Tc reached in 84 % of {u.samples} draws of the "
                  f"element data, seed {u.seed}), then tc_best_K; bands at each pair's optimal "
                  "thicknesses (docs/uncertainty.md §6)", soft_wrap=True)
    if res.workers:
        hosts = sorted(set(res.workers.values()))
        where = f"scheduler {scheduler}" if scheduler else "embedded cluster"
        con.print(f"{len(res.workers)} worker(s) on {', '.join(hosts)} ({where})",
                  soft_wrap=True)
    for note in res.notes:
        con.print(f"note: {note}", soft_wrap=True, highlight=False)
    for k, v in res.files.items():
        con.print(f"{k}: {v}", soft_wrap=True, highlight=False)
    return res


def run_demo_screen(out_dir="demo_screen", workers: int = 2, quick: bool = False) -> None:
    """The main job of ``make demo``: screen :data:`tcpredict.stacks.maps.DEMO_ELEMENTS` (66 pairs)
    on a 10 × 10 grid 0.3–5 nm on an embedded local cluster, print the ranking and the files.
    ``quick`` screens three elements on a 3 × 3 grid (for tests)."""
    import numpy as np

    if quick:
        cfg = ScreenConfig(thickness_nm=(0.35, 0.6, 1.0))
        els = ["Al", "Zn", "Ga"]
    else:
        cfg = ScreenConfig(thickness_nm=tuple(np.geomspace(0.3, 5.0, 10)))
        els = list(DEMO_ELEMENTS)
    _discard_stale_demo_screen(Path(out_dir), cfg)
    screen_with_report(els, Path(out_dir), cfg, workers=workers, top=5 if quick else 15)


def _discard_stale_demo_screen(out: Path, cfg) -> None:
    """The demo owns its screen directory: a screen there made with other settings or by
    another tcpredict version (which a user screen would refuse to extend) is removed, with a
    note, so that ``make demo`` works again after an upgrade. Only a directory holding a
    ``screen.json`` is touched."""
    import json
    import shutil

    from tcpredict.provenance import version

    rec = out / "screen.json"
    if not rec.is_file():
        return
    try:
        old = json.loads(rec.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = {}
    if old.get("config_digest") == cfg.digest() and old.get("tcpredict_version") == version():
        return  # the same demo: its finished pairs are reused
    _console().print(f"note: {out} held a demo screen of tcpredict "
                  f"{old.get('tcpredict_version', '(unknown version)')} or other settings; "
                  "starting it afresh")
    shutil.rmtree(out)
