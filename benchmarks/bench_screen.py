"""Scaling of the bilayer screen with its workers (issue 14, item 1), in ONE run.

Run:  .venv/bin/python benchmarks/bench_screen.py [--elements N | --all-elements]

The same screen three ways, one after the other in this process:

1. a serial in-process loop over the pairs (``screen_pair`` one after the other, no dask);
2. ``run_screen(..., workers=1)`` — what ``tcpredict screen --workers 1`` runs;
3. ``run_screen(..., workers=2)`` — ``tcpredict screen --workers 2``.

Screen: the first N elements of ``DEMO_ELEMENTS`` (default 10: Al Pb Sn In Nb Zn Cd Au Ag Cu,
45 pairs), ``ScreenConfig()`` defaults (Cooper limit, confined layers, 12 × 12 grid 0.3–5 nm,
bounded optimisation, default cutoff 10 Ω_max, t_min 0.05 K). The dask runs include starting
and stopping the embedded cluster (what a user waits for); the start-up alone is timed too.

The three ways are run ``--repeat`` times (default 3), interleaved; the shared 2-vCPU machine
shows swings of 10–20 % between rounds when both cores are busy, so the figures compared are
the minima over the rounds (every round is printed). Prints the environment (BLAS pinned to
one thread here, before NumPy is imported), bilayer solves per second of wall time for each
way and round, the CPU time split (user/system) of the worker processes and the CPU of the
client process (which also runs the scheduler), and the targets: ≥ 500 solves/s with 2
workers, 2 workers ≥ 1.8 × 1 worker, and 2 workers faster than the serial loop. All tables
must be identical (checked). Tests never assert on these times; the figures are ratios within
one run. ``--all-elements`` runs instead the 2-worker screen of every metal of the element
data once (target: under 2 minutes).
"""

from __future__ import annotations

import os

for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_k] = "1"  # before NumPy: one BLAS thread per process (workers get it from dask)

import argparse  # noqa: E402
import itertools  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

import tcpredict  # noqa: E402
from tcpredict.stacks.maps import DEMO_ELEMENTS, RESULT_COLUMNS, ScreenConfig, screen_pair  # noqa: E402,E501
from tcpredict.stacks.screen import embedded_cluster, run_screen  # noqa: E402

TARGET_2_OVER_1 = 1.8
TARGET_RATE = 500.0  # bilayer solves per second with 2 workers (issue 14)
#: The element data when issue 14 was filed (benchmarks/bench_bilayer.py ELEMENTS20).
ISSUE20 = ("Al", "Pb", "Sn", "In", "Nb", "Ta", "V", "Zn", "Cd", "Ga", "Hg", "Au", "Ag", "Cu",
           "Mg", "Ca", "Li", "Na", "K", "Be")


def print_environment() -> None:
    import dask
    import distributed

    print("environment")
    print(f"  python {platform.python_version()} on {platform.platform()}, "
          f"{os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.2f} "
          f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(f"  tcpredict {tcpredict.__version__}, numpy {np.__version__}, pandas "
          f"{pd.__version__}, dask {dask.__version__}, distributed {distributed.__version__}")
    for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
              "MALLOC_TRIM_THRESHOLD_"):
        print(f"  {k}={os.environ.get(k, '(unset)')}")
    for pool in threadpool_info():
        print(f"  threadpool: {pool.get('internal_api')} {pool.get('version')} "
              f"num_threads={pool.get('num_threads')}")
    pre = dask.config.get("distributed.nanny.pre-spawn-environ")
    print(f"  dask distributed.nanny.pre-spawn-environ = {pre} "
          "(the embedded cluster drops MALLOC_TRIM_THRESHOLD_)")


def _children_cpu() -> tuple[float, float]:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime, ru.ru_stime


def serial(pairs, cfg) -> tuple[pd.DataFrame, float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    rows = [screen_pair(a, b, cfg)[0] for a, b in pairs]
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    df = pd.DataFrame(rows, columns=RESULT_COLUMNS).sort_values(["a", "b"], kind="mergesort")
    return df.reset_index(drop=True), wall, cpu


def distributed_run(elements, cfg, workers: int):
    u0, s0 = _children_cpu()
    with tempfile.TemporaryDirectory() as d:
        t0, c0 = time.perf_counter(), time.process_time()
        r = run_screen(elements, d, cfg, workers=workers, make_figures=False)
        wall, client = time.perf_counter() - t0, time.process_time() - c0
    u1, s1 = _children_cpu()
    return r.results, wall, (u1 - u0, s1 - s0), client


def full_screen(elements=None) -> int:
    """The screen of all metals of the element data (or of ``elements``) on 2 workers, wall
    time vs 2 minutes."""
    from tcpredict.materials.elements import list_elements

    what = "all {} metals of the element data"
    if elements is None:
        elements = list_elements()
    else:
        what = "{} elements (" + " ".join(elements) + ")"
    cfg = ScreenConfig()
    print_environment()
    n_pairs = len(elements) * (len(elements) - 1) // 2
    print(f"screen: {what.format(len(elements))}, {n_pairs} pairs, "
          "ScreenConfig() defaults, 2 workers (embedded cluster, start-up included)")
    res, wall, (ut, st), client = distributed_run(elements, cfg, 2)
    n = int(res["n_solves"].sum())
    print(f"  {n} bilayer solves in {wall:.1f} s ({wall / 60:.2f} min) -> {n / wall:.1f} "
          f"solves/s; worker CPU user {ut:.1f} s, system {st:.1f} s; errors: "
          f"{int(res['error'].fillna('').astype(str).str.strip().ne('').sum())}; client "
          f"process CPU (client, scheduler, assembly) {client:.1f} s")
    print(f"  target: under 2 minutes -> {'met' if wall < 120 else 'NOT met'}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--elements", type=int, default=10,
                    help="first N elements of DEMO_ELEMENTS (2 to 12; default 10)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds of the three ways; minima are compared (default 3)")
    ap.add_argument("--all-elements", action="store_true",
                    help="only the 2-worker screen of every metal in the element data "
                         "(issue 14 target: under 2 minutes)")
    ap.add_argument("--element-list", default=None,
                    help="like --all-elements for these comma-separated symbols (e.g. the 20 "
                         "elements the data held when issue 14 was filed: " + ",".join(ISSUE20)
                         + ")")
    args = ap.parse_args()
    if not 2 <= args.elements <= len(DEMO_ELEMENTS):
        ap.error(f"--elements must be from 2 to {len(DEMO_ELEMENTS)}")
    threadpool_limits(1)
    if args.all_elements:
        return full_screen()
    if args.element_list:
        return full_screen([x.strip() for x in args.element_list.split(",") if x.strip()])
    elements = list(DEMO_ELEMENTS[:args.elements])
    pairs = list(itertools.combinations(elements, 2))
    cfg = ScreenConfig()
    print_environment()
    print(f"screen: {len(elements)} elements ({' '.join(elements)}), {len(pairs)} pairs, "
          f"ScreenConfig() defaults: {cfg.parametrisation}, {len(cfg.thickness_nm)} x "
          f"{len(cfg.thickness_nm)} grid {cfg.thickness_nm[0]:g}-{cfg.thickness_nm[-1]:g} nm "
          f"+ optimisation, t_min {cfg.t_min_K:g} K")

    t0 = time.perf_counter()
    with embedded_cluster(2):
        t_up = time.perf_counter() - t0
        t1 = time.perf_counter()
    t_down = time.perf_counter() - t1
    print(f"  embedded 2-worker cluster: start {t_up:.1f} s, stop {t_down:.1f} s "
          "(included in the dask timings below)")

    # each way `repeat` times, interleaved (serial, 1 worker, 2 workers, serial, ...): the
    # shared 2-vCPU machine shows run-to-run swings of 10-20 % when both cores are busy, so
    # the figures below are minima over the rounds (each round's times are printed too)
    best: dict = {}
    ref = None
    identical = True
    n = 0
    for rnd in range(1, args.repeat + 1):
        df, wall, cpu = serial(pairs, cfg)
        if ref is None:
            ref, n = df, int(df["n_solves"].sum())
        identical &= df.equals(ref)
        best["serial"] = min(best.get("serial", math.inf), wall)
        print(f"  round {rnd}: serial in-process loop : {n} bilayer solves in {wall:6.1f} s "
              f"-> {n / wall:6.1f} solves/s; CPU {cpu:.1f} s")
        for w in (1, 2):
            res, wall, (ut, st), client = distributed_run(elements, cfg, w)
            try:
                pd.testing.assert_frame_equal(res, ref, check_exact=True, check_dtype=False)
            except AssertionError:
                identical = False
            best[w] = min(best.get(w, math.inf), wall)
            print(f"  round {rnd}: --workers {w}            : {n} bilayer solves in "
                  f"{wall:6.1f} s -> {n / wall:6.1f} solves/s; worker CPU user {ut:.1f} s, "
                  f"system {st:.1f} s ({100 * st / max(ut + st, 1e-9):.1f} % system); "
                  f"client + scheduler process CPU {client:.1f} s")
    rate = {k: n / v for k, v in best.items()}
    print(f"  best of {args.repeat}: serial {rate['serial']:.1f}, 1 worker {rate[1]:.1f}, "
          f"2 workers {rate[2]:.1f} solves/s (target >= {TARGET_RATE:g} with 2 workers: "
          f"{'met' if rate[2] >= TARGET_RATE else 'NOT met'})")
    r21, r2s = rate[2] / rate[1], rate[2] / rate["serial"]
    ok21, ok2s = r21 >= TARGET_2_OVER_1, r2s > 1.0
    print(f"  tables identical (serial, 1 worker, 2 workers): {'yes' if identical else 'NO'}")
    print(f"  2 workers / 1 worker : x{r21:.2f}  (target >= {TARGET_2_OVER_1}) "
          f"{'met' if ok21 else 'NOT met'}")
    print(f"  2 workers / serial   : x{r2s:.2f}  (target > 1) {'met' if ok2s else 'NOT met'}")
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1) + 0.5:
        print(f"  caution: load average {load:.1f} on {os.cpu_count()} cores — other work "
              "competed for the CPUs and the ratios do not measure scaling; rerun on a quiet "
              "machine")
    return 0 if identical else 1


if __name__ == "__main__":  # required: the embedded cluster spawns worker processes
    sys.exit(main())
