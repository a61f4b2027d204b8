"""Cost of ``--uncertainty`` on the demo screen (issue 11, item 5), in ONE run.

Run:  .venv/bin/python benchmarks/bench_uncertainty.py [--elements N] [--samples S]

The demo screen's settings (``run_demo_screen``: Cooper limit, confined layers, 10 × 10
thickness grid 0.3–5 nm, bounded optimisation, default cutoff, t_min 0.05 K) over the first N
elements of ``DEMO_ELEMENTS`` (default all 12: 66 pairs), computed twice in this process, one
pair after the other (``screen_pair``, no dask, so that the CPU time of the work is measured
here and the two runs see the same machine):

1. without uncertainty;
2. with ``Uncertainty(samples=S, threshold_K=0.1)`` (S = 32 by default): at each pair's optimum
   S draws of the element data and the 6 pairs of shipped thickness rules.

Prints the environment, the CPU and wall time of each run, their ratio against the target
(≤ 3×), the bilayer solves per pair (``n_solves``) of each run and the draws per pair, and
checks that the central results are identical (the uncertainty never changes ``tc_best_K``).
CPU time is the figure of merit (the machine is shared); tests never assert on these times.
"""

from __future__ import annotations

import os

for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_k] = "1"  # before NumPy: one BLAS thread

import argparse  # noqa: E402
import itertools  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import tcpredict  # noqa: E402
from tcpredict.stacks.maps import DEMO_ELEMENTS, RESULT_COLUMNS, ScreenConfig, screen_pair  # noqa: E402,E501
from tcpredict.uncertainty import Uncertainty  # noqa: E402

TARGET_RATIO = 3.0


def run(pairs, cfg):
    t0, c0 = time.perf_counter(), time.process_time()
    rows = [screen_pair(a, b, cfg)[0] for a, b in pairs]
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return pd.DataFrame(rows, columns=RESULT_COLUMNS), wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--elements", type=int, default=len(DEMO_ELEMENTS),
                    help="first N elements of DEMO_ELEMENTS (count)")
    ap.add_argument("--samples", type=int, default=32, help="draws per element (count)")
    args = ap.parse_args()
    els = DEMO_ELEMENTS[:args.elements]
    pairs = list(itertools.combinations(els, 2))
    grid = tuple(np.geomspace(0.3, 5.0, 10))
    base = ScreenConfig(thickness_nm=grid)
    spec = Uncertainty(samples=args.samples, threshold_K=0.1)
    unc = ScreenConfig(thickness_nm=grid, uncertainty=spec)
    print("environment")
    print(f"  python {platform.python_version()}, {os.cpu_count()} CPU cores, load average "
          f"{os.getloadavg()[0]:.2f}; tcpredict {tcpredict.__version__}, numpy {np.__version__}")
    print(f"screen: {len(els)} elements ({', '.join(els)}), {len(pairs)} pairs, 10 × 10 grid "
          "0.3–5 nm, Cooper limit, confined, optimised (the demo screen's settings)")
    screen_pair(*pairs[0], base)  # warm-up: imports, element spectra and kernel tables
    r0, w0, c0 = run(pairs, base)
    r1, w1, c1 = run(pairs, unc)
    same = np.allclose(r0["tc_best_K"], r1["tc_best_K"], rtol=0, atol=0)
    print(f"without --uncertainty: CPU {c0:8.1f} s, wall {w0:8.1f} s, bilayer solves per pair "
          f"{r0.n_solves.mean():.0f} (min {r0.n_solves.min()}, max {r0.n_solves.max()})")
    print(f"with    --uncertainty: CPU {c1:8.1f} s, wall {w1:8.1f} s, bilayer solves per pair "
          f"{r1.n_solves.mean():.0f} (min {r1.n_solves.min()}, max {r1.n_solves.max()}): "
          f"{args.samples} draws + 6 rule pairs at the optimum")
    print(f"cost ratio (CPU) {c1 / c0:.2f}× (wall {w1 / w0:.2f}×); target ≤ {TARGET_RATIO:g}×: "
          f"{'met' if c1 / c0 <= TARGET_RATIO else 'NOT met'}")
    print(f"central tc_best_K identical in both runs: {same}")
    top = r1.sort_values(["tc_p16_K", "tc_best_K", "a", "b"],
                         ascending=[False, False, True, True]).head(8)
    print("top 8 by tc_p16_K (K): pair, tc_best_K, tc_p16_K … tc_p84_K, rules min … max, "
          "P(Tc ≥ 0.1 K)")
    for r in top.itertuples():
        print(f"  {r.a}/{r.b:<3} {r.tc_best_K:7.3f}  {r.tc_p16_K:6.3f} … {r.tc_p84_K:6.3f}  "
              f"{r.tc_model_min_K:6.3f} … {r.tc_model_max_K:6.3f}  {r.p_superconducting:.2f}")


if __name__ == "__main__":
    main()
