"""Smoke tests of the local-model figures (resonant_pairing.md §5 items 1–3), Agg backend.

The physics shown is tested in test_local_ed.py; here only that the figures are produced from
API results.
"""

from __future__ import annotations

import numpy as np

from tcpredict.bfm.ed import scan_cluster_alpha, site_spectra, solve_site
from tcpredict.bfm.local import LigandCluster, PolaronicSite
from tcpredict.plotting.bfm_local import (
    plot_cluster_levels,
    plot_displacement,
    plot_spectra_vs_temperature,
    plot_site_summary,
)


def test_figures_are_written(tmp_path):
    import matplotlib.pyplot as plt

    scan = scan_cluster_alpha(LigandCluster(n_metal=2, t_lm=0.25, eps_l=4.0),
                              np.linspace(1.3, 1.5, 5), n_levels=3, phonon_cutoff=20)
    assert scan["levels"].shape == (5, 3)
    assert np.all(np.diff(scan["levels"], axis=1) >= -1e-12)
    fig, ax = plt.subplots()
    plot_cluster_levels(scan, ax=ax, alpha_c=1.41)
    site = PolaronicSite(delta_b=0.0, g=0.3)
    specs = {t: site_spectra(site, temperature=t, ensemble="grand_canonical",
                             kinds=("electron",))["electron"] for t in (0.05, 0.2)}
    plot_spectra_vs_temperature(specs, np.linspace(-1, 1, 201), 0.05, ax=ax)
    plot_displacement([solve_site(site), solve_site(site, temperature=0.5)], ["T=0", "T=0.5"], ax=ax)
    fig.savefig(tmp_path / "a.png")
    plt.close(fig)
    plot_site_summary(solve_site(site), specs[0.05], tmp_path / "b.png", shape="gaussian")
    assert (tmp_path / "a.png").stat().st_size > 1000 and (tmp_path / "b.png").stat().st_size > 1000
