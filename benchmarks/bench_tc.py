"""Benchmark of the Tc solver (issue 2, item 10).

Prints, for an Einstein spectrum and for the Al α²F: Tc, seconds per Tc of tcpredict, and the
same for a *plain dense reference implementation* run in this process: the non-symmetric
kernel K_nm = πT[λ(n−m) + λ(n+m+1) − 2μ*]/(Z_n ω_n) built densely with the exact kernel at every
temperature, all eigenvalues from numpy.linalg.eigvals, the largest real part taken, and Tc by
bisection in T to the same 1e-4 relative accuracy. Then the low-Tc case of the issue (Einstein
10 meV, λ = 0.3, μ* = 0.1 at 10 meV, cutoff 400 meV) through the CLI, start-up included.
"""

import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import tcpredict
from tcpredict.eliashberg.tc import resolve_coupling, solve_tc
from tcpredict.materials.loaders import load_alpha2f
from tcpredict.eliashberg.matsubara import fermion_frequencies_meV, kernel_sequence, n_matsubara
from tcpredict.eliashberg.spectra import einstein
from tcpredict.units import K_B_MEV_PER_K


def plain_rho(sp, T, mu_c, wc):
    n = n_matsubara(T, wc)
    t = K_B_MEV_PER_K * T
    w = fermion_frequencies_meV(T, n)
    lam = kernel_sequence(sp, T, 2 * n)
    zw = w + np.pi * t * (lam[0] + 2 * np.concatenate([[0.0], np.cumsum(lam[1:n])]))
    i = np.arange(n)
    K = np.pi * t * (lam[np.abs(i[:, None] - i[None, :])] + lam[i[:, None] + i[None, :] + 1]
                     - 2 * mu_c) / zw[:, None]
    return np.max(np.linalg.eigvals(K).real)


def plain_tc(sp, mu, rtol=1e-4):
    cs = resolve_coupling(sp, mu)
    lo, hi = 0.01, 2 * sp.omega_max_meV / K_B_MEV_PER_K
    while hi / lo - 1 > rtol:
        mid = np.sqrt(lo * hi)
        if plain_rho(sp, mid, cs.mustar_at_cutoff, cs.cutoff_meV) > 1:
            lo = mid
        else:
            hi = mid
    return np.sqrt(lo * hi)


def timed(f, repeat):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        val = f()
        best = min(best, time.perf_counter() - t0)
    return val, best


def main():
    al = load_alpha2f(Path(tcpredict.__file__).parent / "materials" / "data" / "Al_a2F_IsoME_EPW.dat",
                      unit="THz", column=5)
    cases = [("Einstein 10 meV, λ=1, μ*=0.12", einstein(10.0, 1.0), 0.12),
             ("Al α²F (IsoME/EPW col 5), μ*=0.12", al, 0.12)]
    print(f"{'case':38s} {'Tc [K]':>10s} {'s/Tc':>9s} {'plain Tc':>10s} {'plain s/Tc':>11s} "
          f"{'speed-up':>9s} {'|ΔTc|/Tc':>9s}")
    for name, sp, mu in cases:
        r, t_fast = timed(lambda: solve_tc(sp, mu), 5)
        tp, t_plain = timed(lambda: plain_tc(sp, mu), 1)
        print(f"{name:38s} {r.tc_K:10.5f} {t_fast:9.4f} {tp:10.5f} {t_plain:11.3f} "
              f"{t_plain / t_fast:9.1f} {abs(tp / r.tc_K - 1):9.1e}")
    cmd = [sys.executable, "-m", "tcpredict.cli.main", "tc", "--einstein", "10", "--lambda", "0.3",
           "--mustar", "0.1", "--mustar-at", "10", "--cutoff", "400", "--json"]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    dt = time.perf_counter() - t0
    import json

    d = json.loads(out)
    print(f"low-Tc case via CLI (start-up included): Tc = {1e3 * d['tc_K']:.2f} mK, "
          f"N = {d['n_matsubara']} Matsubara frequencies ({d['eigen_method']}), {dt:.2f} s")


if __name__ == "__main__":
    main()
