"""Benchmark: a 200-point Tc(L) curve of an Al film (issue 3 target: < 20 s on one core).

Run:  .venv/bin/python benchmarks/bench_film.py [--full-energy-dos] [--points N]

Pins BLAS/OpenMP to one thread before numpy is imported ("one core"; on a busy machine a
multi-threaded BLAS can also be much slower for the small dense eigenproblems). Prints the
total and per-point time without the energy-dependent DOS (default of ``film_tc``) and with it
(on every 10th point unless ``--full-energy-dos``; the 200-point time is then extrapolated and
labelled so).
"""

from __future__ import annotations

import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from tcpredict.films.film import film_tc  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=200)
    ap.add_argument("--lo", type=float, default=0.2, help="thinnest film [nm]")
    ap.add_argument("--hi", type=float, default=100.0, help="thickest film [nm]")
    ap.add_argument("--full-energy-dos", action="store_true",
                    help="run all points with the energy-dependent DOS too (slow)")
    args = ap.parse_args()
    L = np.geomspace(args.lo, args.hi, args.points)
    print(f"Al film, {args.points} log-spaced thicknesses {args.lo:g}–{args.hi:g} nm, "
          "default rules (dos-scaling, constant), t_min = 0.05 K, rtol = 1e-4")

    t0 = time.perf_counter()
    r = film_tc("Al", L, find_peak=False)
    dt = time.perf_counter() - t0
    n_tc = sum(row["tc_K"] is not None for row in r.rows)
    print(f"constant DOS : {dt:7.2f} s total, {1e3 * dt / L.size:7.1f} ms/point, "
          f"{r.evaluations} eigenvalue evaluations, {n_tc} points with Tc ≥ 0.05 K")

    t0 = time.perf_counter()
    rp = film_tc("Al", L, find_peak=True)
    dtp = time.perf_counter() - t0
    print(f"with the peak search: {dtp:7.2f} s total ({rp.evaluations} eigenvalue evaluations, "
          f"{rp.evaluations - r.evaluations:+d} for the peak); peak Tc = "
          f"{rp.peak['tc_K']:.5f} K at L = {rp.peak['thickness_nm']:.5f} nm "
          f"(L_c = {rp.critical_thickness_nm:.5f} nm)")

    sub = L if args.full_energy_dos else L[::10]
    t0 = time.perf_counter()
    re = film_tc("Al", sub, energy_dos=True, find_peak=False)
    dte = time.perf_counter() - t0
    per = dte / sub.size
    label = "measured" if args.full_energy_dos else f"extrapolated from {sub.size} points"
    print(f"energy DOS   : {dte:7.2f} s for {sub.size} points, {1e3 * per:7.1f} ms/point; "
          f"{args.points} points ≈ {per * args.points:.1f} s ({label})")
    tc_off = {row["thickness_nm"]: row["tc_K"] for row in r.rows}
    diffs = [row["tc_K"] / tc_off[row["thickness_nm"]] - 1 for row in re.rows
             if row["tc_K"] is not None and tc_off[row["thickness_nm"]] is not None]
    if diffs:
        print(f"  energy-DOS effect on Tc: {min(diffs):+.2e} … {max(diffs):+.2e} (relative)")


if __name__ == "__main__":
    main()
