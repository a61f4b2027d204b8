"""Benchmark of the local resonant-pairing ED (issue 5: cluster of the CLI example < 2 s).

Prints wall times (best of 3, after one warm-up) of
- the CLI-example ligand cluster (N_M = 4, t_LM = 0.25, ε_L = 4, α = 1.414339, ħω0 = 1; default
  ensemble: every S_z sector at N_e = 2) at T = 0 and at one finite temperature T = 0.05 ħω0,
  automatic phonon cutoff with its M + 10 check included;
- the same through the CLI (``tcpredict bfm cluster ... --json``, in-process, start-up excluded);
- the CLI-example polaronic site (Δ_B = 4, g = 0.5, α = 2) at T = 0 (Q = 2) and grand canonical at
  T = 0.1, plus its Lehmann spectra.

Dense LAPACK dominates; on a shared 2-core machine set OPENBLAS_NUM_THREADS=1 (the matrices are
≤ ~1500 wide, where BLAS threading only costs). The thread setting is printed.
"""

import os
import time

from typer.testing import CliRunner

import tcpredict.cli.bfm_local  # noqa: F401
from tcpredict.cli.bfm_app import app
from tcpredict.bfm.ed import site_spectra, solve_cluster, solve_site
from tcpredict.bfm.local import LigandCluster, PolaronicSite


def best_of(fn, n=3):
    fn()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main():
    print(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}, "
          f"cpus={os.cpu_count()}")
    cl = LigandCluster(n_metal=4, t_lm=0.25, eps_l=4.0, alpha=1.414339, omega0=1.0)
    for t in (0.0, 0.05):
        dt, r = best_of(lambda: solve_cluster(cl, temperature=t))
        flag = "OK" if dt < 2.0 else "SLOW (target < 2 s)"
        print(f"cluster CLI example, T = {t:g} hw0 (every S_z): {dt:.3f} s  [M = "
              f"{r.phonon_cutoff}, blocks 25·M + 2·10·M = {45 * r.phonon_cutoff}, "
              f"E0 = {r.ground_energy:.6f}, W2 = {r.weights['W2']:.4f}]  {flag}")
    runner = CliRunner()
    args = ["cluster", "--metal-sites", "4", "--t-lm", "0.25", "--eps-l", "4", "--alpha",
            "1.414339", "--omega0", "1", "--temperature", "0.05", "--json"]
    dt, res = best_of(lambda: runner.invoke(app, args))
    print(f"cluster via CLI (in-process), T = 0.05 hw0: {dt:.3f} s  [exit {res.exit_code}]")

    site = PolaronicSite(delta_b=4.0, g=0.5, alpha=2.0)
    dt, r = best_of(lambda: solve_site(site))
    print(f"site CLI example, Q = 2, T = 0: {dt:.4f} s  [M = {r.phonon_cutoff}]")
    dt, r = best_of(lambda: solve_site(site, temperature=0.1, ensemble="grand_canonical"))
    print(f"site, grand canonical, T = 0.1 hw0: {dt:.4f} s  [M = {r.phonon_cutoff}]")
    dt, s = best_of(lambda: site_spectra(site, temperature=0.1, ensemble="grand_canonical"))
    print(f"site spectra (electron, pair, phonon), T = 0.1 hw0: {dt:.4f} s  "
          f"[{sum(x.poles.size for x in s.values())} poles]")


if __name__ == "__main__":
    main()
