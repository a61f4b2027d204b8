"""Cost of one nonlinear gap solve: compressed Matsubara nodes versus the full grid (issue 14).

Cases: Einstein Ω_E = 10 meV, λ = 0.3, μ* = 0.1 at the 400 meV cutoff (Tc ≈ 0.17 K) at 0.1 Tc
(N ≈ 4.3e4) and 0.03 Tc (N ≈ 1.4e5, near the gap solver's bound of 2e5); the Al α²F (IsoME/EPW,
column 5, μ* = 0.12) at 0.1 Tc (N ≈ 7.3e3). For each: seconds per solve with the default grid
(compressed nodes, checked and finished on the full grid to tol = 1e-10) and with
grid="full" (minimum of 3 runs; one run for the full grid of the largest case), their ratio,
and the difference of the two solutions (relative to max|Δ|). Cold starts; Tc is computed
outside the timing. Ratios are taken in this one run.

Run:  OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_gap_nodes.py
"""

from __future__ import annotations

import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import math  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

import tcpredict  # noqa: E402
from tcpredict.eliashberg.gap import solve_gap  # noqa: E402
from tcpredict.eliashberg.spectra import einstein  # noqa: E402
from tcpredict.eliashberg.tc import solve_tc  # noqa: E402
from tcpredict.materials.loaders import load_alpha2f  # noqa: E402

AL = Path(tcpredict.__file__).parent / "materials" / "data" / "Al_a2F_IsoME_EPW.dat"


def best(f, n):
    b, r = math.inf, None
    for _ in range(n):
        t0 = time.perf_counter()
        r = f()
        b = min(b, time.perf_counter() - t0)
    return b, r


def main() -> None:
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}, "
          f"tcpredict {tcpredict.__version__}")
    e10 = einstein(10.0, 0.3)
    ekw = dict(mustar_at_meV=400.0, cutoff_meV=400.0)
    al = load_alpha2f(AL, unit="THz", column=5)
    cases = [("Einstein 10 meV λ=0.3, 0.1 Tc", e10, 0.1, ekw, 0.1, 3),
             ("Einstein 10 meV λ=0.3, 0.03 Tc", e10, 0.1, ekw, 0.03, 1),
             ("Al α²F μ*=0.12, 0.1 Tc", al, 0.12, {}, 0.1, 3)]
    print(f"{'case':32s} {'N':>7s} {'nodes':>5s} {'polish':>6s} {'interp res':>10s} "
          f"{'compressed s':>12s} {'full s':>8s} {'full/comp':>9s} {'full−comp s':>11s} "
          f"{'max|ΔΔ|/maxΔ':>13s}")
    for name, sp, mu, kw, frac, n_full in cases:
        tc = solve_tc(sp, mu, grid="full", sensitivity=False, **kw).tc_K
        T = frac * tc
        tc_s, rc = best(lambda: solve_gap(sp, mu, T, tc_K=tc, **kw), 3)
        tf_s, rf = best(lambda: solve_gap(sp, mu, T, tc_K=tc, grid="full", **kw), n_full)
        diff = float(np.abs(rc.delta_meV - rf.delta_meV).max() / np.abs(rf.delta_meV).max())
        print(f"{name:32s} {rc.n_matsubara:7d} {rc.n_nodes:5d} {rc.polish_iterations:6d} "
              f"{rc.interpolation_residual or math.nan:10.1e} {tc_s:12.4f} {tf_s:8.4f} "
              f"{tf_s / tc_s:9.1f} {tf_s - tc_s:11.4f} {diff:13.1e}")


if __name__ == "__main__":
    main()
