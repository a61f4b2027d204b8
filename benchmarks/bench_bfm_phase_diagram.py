"""Timing of the lattice BFM phase diagram and of one `bfm tc` (issue 5: 10 points < 1 min on 2 cores).

Run: .venv/bin/python benchmarks/bench_bfm_phase_diagram.py
"""

import time

import numpy as np

from tcpredict.bfm.lattice import LatticeBFM, band_grid
from tcpredict.bfm.stiffness import phase_diagram, solve_tc


def main() -> None:
    t0 = time.perf_counter()
    band_grid("square_nn", 512, 0.5)
    t_grid = time.perf_counter() - t0

    m = LatticeBFM(0.3, 0.0, 2.0, grid_size=512)
    t0 = time.perf_counter()
    r = solve_tc(m)
    t_tc = time.perf_counter() - t0

    gs = np.linspace(0.05, 0.5, 10)
    t0 = time.perf_counter()
    pdg = phase_diagram(LatticeBFM(0.1, 0.0, 2.0, grid_size=512), g_values_D=gs)
    t_pd = time.perf_counter() - t0

    print(f"512² C4v grid build:                      {t_grid:7.3f} s")
    print(f"bfm tc (g=0.3, n_tot=2, 512², BKT):       {t_tc:7.3f} s   "
          f"T*={r.t_star_D:.5f} Tc={r.tc_D:.5f} D ({r.controlled_by})")
    print(f"10-point phase diagram g=0.05..0.5, 512²:  {t_pd:7.3f} s   (target < 60 s)")
    for v, res in zip(pdg.values, pdg.results):
        print(f"   g={v:.3f}  T*={res.t_star_D:.5f}  Tc={res.tc_D:.5f}  {res.controlled_by}")


if __name__ == "__main__":
    main()
