"""Cost of one Tc versus temperature (issue 14, item 2).

Einstein Ω_E = 10 meV, μ* = 0.1 at 10 meV, cutoff 400 meV; λ chosen (outside the timing) so that
Tc ≈ 10 K, 0.1 K and 0.01 K. For each: seconds per Tc (minimum of 5) with the default compressed
Matsubara grid and with the full grid, N, the number of compressed nodes, eigen-solves, and the
relative Tc difference between the grids. Ratios are taken in this one run.

Run:  OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_tc_temperature.py [--no-full-low]
"""

from __future__ import annotations

import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402

from tcpredict.eliashberg.spectra import einstein  # noqa: E402
from tcpredict.eliashberg.tc import solve_tc  # noqa: E402

KW = dict(mustar_at_meV=10.0, cutoff_meV=400.0, t_min_K=1e-3)


def lam_for(target_K: float) -> float:
    lo, hi = 0.15, 3.0
    for _ in range(40):
        mid = math.sqrt(lo * hi)
        tc = solve_tc(einstein(10.0, mid), 0.1, **KW).tc_K or 0.0
        lo, hi = (lo, mid) if tc > target_K else (mid, hi)
    return math.sqrt(lo * hi)


def best(f, n=5):
    b, r = math.inf, None
    for _ in range(n):
        t0 = time.perf_counter()
        r = f()
        b = min(b, time.perf_counter() - t0)
    return b, r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-full-low", action="store_true", help="skip the full grid at 0.01 K")
    a = ap.parse_args()
    print(f"{'target':>8s} {'Tc [K]':>10s} {'N':>7s} {'nodes':>6s} {'solves':>6s} "
          f"{'compressed s':>12s} {'full s':>9s} {'full/comp':>9s} {'|ΔTc|/Tc':>9s}")
    times = {}
    for target in (10.0, 0.1, 0.01):
        sp = einstein(10.0, lam_for(target))
        tcomp, rc = best(lambda: solve_tc(sp, 0.1, **KW))
        times[target] = tcomp
        if target < 0.05 and a.no_full_low:
            tfull, rf = math.nan, None
        else:
            tfull, rf = best(lambda: solve_tc(sp, 0.1, grid="full", **KW),
                             n=1 if target < 0.05 else 3)
        diff = abs(rc.tc_K / rf.tc_K - 1) if rf is not None else math.nan
        print(f"{target:8.2g} {rc.tc_K:10.5g} {rc.n_matsubara:7d} {rc.n_nodes:6d} "
              f"{rc.evaluations:6d} {tcomp:12.4f} {tfull:9.4f} {tfull / tcomp:9.1f} "
              f"{diff:9.1e}")
    print(f"compressed grid: Tc at 0.01 K costs {times[0.01] / times[10.0]:.1f}× the 10 K case "
          f"(issue 14 target ≤ 2×), 0.1 K {times[0.1] / times[10.0]:.1f}×")


if __name__ == "__main__":
    main()
