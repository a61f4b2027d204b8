r"""Figures of the local resonant-pairing models (resonant_pairing.md §5 items 1–3).

All functions take results computed by :mod:`tcpredict.bfm.ed` (no physics here) and draw on a
Matplotlib axis (Agg backend; nothing is shown on screen). :func:`save_local_figures` computes and
writes the standard set of figures.

Energies are in the model's unit (ħω0 = 1 by default); u = a + a† is dimensionless.
"""

from __future__ import annotations

import logging
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

__all__ = [
    "plot_displacement",
    "plot_spectrum",
    "plot_cluster_levels",
    "plot_spectra_vs_temperature",
    "plot_site_summary",
    "plot_cluster_summary",
    "save_local_figures",
]

logger = logging.getLogger(__name__)


def _axis(ax):
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    return ax


def plot_displacement(results, labels=None, ax=None):
    """Overlay P(u) of several :class:`~tcpredict.bfm.ed.LocalEDResult` (§5 item 2).

    Maxima found by :func:`~tcpredict.bfm.ed.find_displacement_peaks` are marked.
    """
    ax = _axis(ax)
    if not isinstance(results, (list, tuple)):
        results = [results]
    labels = labels or [None] * len(results)
    for res, lab in zip(results, labels):
        (line,) = ax.plot(res.u_grid, res.p_u, label=lab)
        ax.plot(res.displacement_peaks, res.displacement_peak_heights, "v", color=line.get_color(),
                ms=5)
    ax.set_xlabel("displacement u = a + a† (dimensionless)")
    ax.set_ylabel("P(u)")
    if any(labels):
        ax.legend(fontsize=8)
    return ax


def plot_spectrum(spectrum, omega, width, shape="lorentzian", ax=None, label=None, sticks=False):
    """Broadened Lehmann spectrum on ``omega`` (optionally with the discrete weights as sticks)."""
    ax = _axis(ax)
    y = spectrum.broadened(omega, width, shape)
    ax.plot(omega, y, label=label)
    if sticks:
        sel = (spectrum.poles >= omega[0]) & (spectrum.poles <= omega[-1])
        ax.vlines(spectrum.poles[sel], 0, spectrum.weights[sel] / (np.pi * width)
                  if shape == "lorentzian" else spectrum.weights[sel], color="0.6", lw=0.8)
    ax.set_xlabel(f"ω − μ [{spectrum.energy_unit}]")
    ax.set_ylabel(f"A_{spectrum.kind}(ω)")
    return ax


def plot_cluster_levels(scan: dict, ax=None, alpha_c: float | None = None):
    """Levels E_n(α) with the avoided crossing and W2(α) on a twin axis (§5 item 1).

    Parameters
    ----------
    scan : dict
        Output of :func:`tcpredict.bfm.ed.scan_cluster_alpha`.
    alpha_c : float, optional
        Resonance coupling to mark.
    """
    ax = _axis(ax)
    a = scan["alpha"]
    for n in range(scan["levels"].shape[1]):
        ax.plot(a, scan["levels"][:, n], color="k", lw=1)
    ax.set_xlabel("α")
    ax.set_ylabel("E_n [ħω0]")
    tw = ax.twinx()
    tw.plot(a, scan["W2"], color="C3", lw=1.5)
    tw.set_ylabel("W2 (bipolaron weight)", color="C3")
    tw.set_ylim(-0.02, 1.02)
    if alpha_c is not None:
        ax.axvline(alpha_c, color="C0", ls=":", lw=1)
    return ax


def plot_spectra_vs_temperature(spectra_by_t: dict, omega, width, shape="lorentzian", ax=None):
    """Local electron spectra at several temperatures: three peaks and gap filling (§5 item 3).

    Parameters
    ----------
    spectra_by_t : dict of float to LehmannSpectrum
        Electron spectrum per temperature.
    """
    ax = _axis(ax)
    for t, spec in sorted(spectra_by_t.items()):
        plot_spectrum(spec, omega, width, shape, ax=ax, label=f"T = {t:g}")
    ax.legend(fontsize=8)
    return ax


def plot_site_summary(result, spectrum, path, width=0.05, shape="lorentzian"):
    """Two panels for ``tcpredict bfm site --plot``: P(u) and the local electron spectrum."""
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.5))
    plot_displacement(result, ax=a1)
    a1.set_title("site: displacement distribution")
    lo, hi = spectrum.poles.min(), spectrum.poles.max()
    omega = np.linspace(max(lo, -6.0) - 5 * width, min(hi, 6.0) + 5 * width, 3000)
    plot_spectrum(spectrum, omega, width, shape, ax=a2)
    a2.set_title(f"electron spectrum ({shape}, width {width:g})")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_cluster_summary(result, path):
    """P(u) of a cluster result for ``tcpredict bfm cluster --plot``."""
    fig, ax = plt.subplots(figsize=(5, 3.5))
    plot_displacement(result, ax=ax)
    ax.set_title("ligand cluster: displacement distribution")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def save_local_figures(outdir) -> list[Path]:
    """Compute and save the §5 figures (levels vs α, P(u) overlays, spectra vs T).

    Returns the written paths. Takes a few seconds.
    """
    from dataclasses import replace

    from tcpredict.bfm.ed import scan_cluster_alpha, site_spectra, solve_cluster, solve_site
    from tcpredict.bfm.local import LigandCluster, PolaronicSite

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    cl = LigandCluster(t_lm=0.25, eps_l=4.0)
    scan = scan_cluster_alpha(cl, np.linspace(1.36, 1.47, 111), n_levels=4)
    fig, ax = plt.subplots(figsize=(6, 4))
    plot_cluster_levels(scan, ax=ax, alpha_c=1.414339)
    fig.tight_layout()
    paths.append(out / "bfm_cluster_levels.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.8))
    alphas = (1.38, 1.41, 1.414339, 1.42, 1.45)
    plot_displacement([solve_cluster(replace(cl, alpha=a)) for a in alphas],
                      [f"α = {a}" for a in alphas], ax=a1)
    a1.set_title("cluster, t_LM = 0.25, ε_L = 4")
    ctrl = LigandCluster(t_lm=1.0, eps_l=0.0)
    plot_displacement([solve_cluster(replace(ctrl, alpha=a)) for a in (0.0, 1.0, 1.5)],
                      [f"control α = {a}" for a in (0.0, 1.0, 1.5)], ax=a2)
    a2.set_title("control, t_LM = 1, ε_L = 0")
    fig.tight_layout()
    paths.append(out / "bfm_cluster_displacement.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.8))
    atomic = PolaronicSite(delta_b=0.0, g=0.3)
    omega = np.linspace(-0.8, 0.8, 1601)
    specs = {t: site_spectra(atomic, temperature=t, ensemble="grand_canonical",
                             kinds=("electron",))["electron"] for t in (0.02, 0.1, 0.3)}
    plot_spectra_vs_temperature(specs, omega, 0.03, ax=a1)
    a1.set_title("atomic limit (α = 0, Δ_B = μ = 0, g = 0.3)")
    pol = PolaronicSite(delta_b=4.0, g=0.5, alpha=2.0)
    omega = np.linspace(-3.5, 3.5, 3501)
    specs = {t: site_spectra(pol, temperature=t, ensemble="grand_canonical",
                             kinds=("electron",))["electron"] for t in (0.02, 0.1, 0.3)}
    plot_spectra_vs_temperature(specs, omega, 0.03, ax=a2)
    a2.set_title("polaronic site (Δ_B = 4, g = 0.5, α = 2)")
    fig.tight_layout()
    paths.append(out / "bfm_site_spectra.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 3.5))
    site_res = [solve_site(PolaronicSite(delta_b=4.0, g=1.0, alpha=a)) for a in (1.5, 1.8, 2.0, 2.2)]
    plot_displacement(site_res, [f"α = {a}" for a in (1.5, 1.8, 2.0, 2.2)], ax=ax)
    ax.set_title("site, Δ_B = 4, g = 1 (resonance at α = 2)")
    fig.tight_layout()
    paths.append(out / "bfm_site_displacement.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)
    for p in paths:
        logger.info("wrote %s", p)
    return paths
