"""Throughput of bilayer Tc solves (issue 4): the dask screen on 2 workers, and the fast
solver against a plain dense reference, point by point, in one process.

Run:  OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_bilayer.py [--elements N]

Prints
  1. screen throughput: bilayer Tc solves per second of wall time (2 workers, default settings
     of `tcpredict screen`: Cooper limit, confined, 12×12 grid 0.3–5 nm, default cutoff
     10 Ω_max, t_min 0.05 K, rtol 1e-4), cluster start-up included and excluded;
  2. per-solve time of the screen's solver (compressed grid, warm start along the grid) vs a
     plain reference that solves each point independently: dense NON-symmetric kernel on the
     full Matsubara grid, numpy.linalg.eigvals (largest real part), bisection in T to 1e-4;
     on a subset with Tc ≳ 2 K (the reference's cost grows like 1/Tc³), plus the largest
     relative Tc difference between the two.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time

import numpy as np

from tcpredict.stacks.proximity import Layer, bilayer
from tcpredict.stacks.screen import ScreenConfig, run_screen
from tcpredict.units import K_B_MEV_PER_K

ELEMENTS20 = ["Al", "Pb", "Sn", "In", "Nb", "Ta", "V", "Zn", "Cd", "Ga", "Hg", "Au", "Ag",
              "Cu", "Mg", "Ca", "Li", "Na", "K", "Be"]


# --------------------------------------------------------------------- plain reference
def plain_rho(stack, T: float) -> float:
    """Largest real eigenvalue of the dense non-symmetric linearized kernel (full grid)."""
    chans, gf = stack._channels()
    L = len(chans)
    t = K_B_MEV_PER_K * T
    N = int(math.ceil((stack.cutoff_meV / (math.pi * t) - 1) / 2))
    while math.pi * t * (2 * N - 1) >= stack.cutoff_meV:
        N -= 1
    while math.pi * t * (2 * N + 1) < stack.cutoff_meV:
        N += 1
    n = np.arange(N)
    wn = math.pi * t * (2 * n + 1)
    s = np.array([c.weight for c in chans])
    gfwd = np.asarray(gf, float)
    gbwd = gfwd * s[:-1] / s[1:] if L > 1 else gfwd
    gtot = np.zeros(L)
    gtot[:-1] += gfwd
    gtot[1:] += gbwd
    M = np.zeros((L * N, L * N))
    zws = []
    for j, c in enumerate(chans):
        lam = c.kernel_exact(2 * math.pi * t * np.arange(2 * N + 1))
        zw = wn + math.pi * t * (lam[0] + 2 * np.concatenate([[0], np.cumsum(lam[1:N])])) \
            + gtot[j]
        zws.append(zw)
        K = lam[np.abs(n[:, None] - n[None, :])] + lam[n[:, None] + n[None, :] + 1] \
            - 2 * c.mustar
        M[j * N:(j + 1) * N, j * N:(j + 1) * N] = math.pi * t * K / zw[None, :]
    for i in range(L - 1):
        M[i * N + n, (i + 1) * N + n] = gfwd[i] / zws[i + 1]
        M[(i + 1) * N + n, i * N + n] = gbwd[i] / zws[i]
    return float(np.max(np.linalg.eigvals(M).real))


def plain_tc(stack, t_lo=0.5, t_hi=20.0, rtol=1e-4) -> float:
    if plain_rho(stack, t_hi) >= 1 or plain_rho(stack, t_lo) < 1:
        raise RuntimeError("reference bracket failed")
    lo, hi = t_lo, t_hi
    while hi / lo - 1 > rtol:
        mid = math.sqrt(lo * hi)
        if plain_rho(stack, mid) >= 1:
            lo = mid
        else:
            hi = mid
    return math.sqrt(lo * hi)


def compare(pairs, thick, **iface):
    """Per-solve time: warm-started compressed solver along the grid vs plain reference."""
    stacks = [bilayer(Layer.from_element(a, da), Layer.from_element(b, db), **iface)
              for a, b in pairs for da in thick for db in thick]
    t0 = time.perf_counter()
    fast, last = [], None
    for st in stacks:
        r = st.tc(t_min_K=0.05, t_guess_K=last, layer_tc=False, panel_factor=2.0, order=3)
        last = r.tc_K
        fast.append(r.tc_K)
    t_fast = (time.perf_counter() - t0) / len(stacks)
    t0 = time.perf_counter()
    ref = [plain_tc(st) for st in stacks]
    t_ref = (time.perf_counter() - t0) / len(stacks)
    dev = max(abs(f / r - 1) for f, r in zip(fast, ref))
    return len(stacks), t_fast, t_ref, dev


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--elements", type=int, default=10, help="elements in the screen (≤ 20)")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    els = ELEMENTS20[:args.elements]
    cfg = ScreenConfig()
    with tempfile.TemporaryDirectory() as d:
        from distributed import Client, LocalCluster

        t0 = time.perf_counter()
        res = run_screen(els, d, cfg, workers=args.workers, make_figures=False)
        wall = time.perf_counter() - t0
        # start-up cost of an embedded cluster, measured separately
        t1 = time.perf_counter()
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cl, Client(cl):
            pass
        startup = time.perf_counter() - t1
    solves = int(res.results.n_solves.sum())
    print(f"screen: {len(els)} elements, {res.pairs_total} pairs, 12x12 grid + optimisation, "
          f"{args.workers} workers, Cooper limit, default cutoff")
    print(f"  {solves} bilayer Tc solves in {wall:.1f} s wall "
          f"-> {solves / wall:.0f} solves/s (incl. cluster start-up {startup:.1f} s), "
          f"{solves / max(wall - startup, 1e-9):.0f} solves/s excluding it")
    print(f"  projected 20-element screen (190 pairs, ~{190 * solves / res.pairs_total:.0f} "
          f"solves): {190 * (wall - startup) / res.pairs_total / 60:.1f} min")
    for label, iface in (("Cooper limit", {"cooper_limit": True}),
                         ("Gamma_A = 1 meV", {"gamma_meV": 1.0})):
        n, tf, tr, dev = compare([("Al", "Pb"), ("Sn", "Nb")], [0.4, 1.0, 3.0], **iface)
        print(f"single process, {label}: {n} points with Tc >~ 2 K: screen solver "
              f"{tf * 1e3:.1f} ms/solve, plain dense reference {tr * 1e3:.0f} ms/solve, "
              f"speed-up x{tr / tf:.0f}; max |Tc_fast/Tc_ref - 1| = {dev:.1e}")


if __name__ == "__main__":
    main()
