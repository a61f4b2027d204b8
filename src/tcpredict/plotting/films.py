"""Figures of thin films: Tc(L) with the couplings (matplotlib, Agg backend)."""

from __future__ import annotations

import numpy as np

__all__ = ["plot_film"]


def plot_film(result: FilmResult, path) -> None:
    """Draw Tc(L) (log-x) with L_c marked, the bulk Tc as a line, λ(L), μ*(L) on a second axis.

    Parameters
    ----------
    result : FilmResult
    path : str or path-like
        Output image file (format from the suffix, e.g. ``.png``).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    L = result.thickness_nm
    order = np.argsort(L)
    L = L[order]
    tc = result.tc_K[order]
    lam = np.array([r["lambda"] for r in result.rows])[order]
    mu = np.array([r["mustar"] for r in result.rows])[order]
    fig, ax = plt.subplots(figsize=(7, 4.5), constrained_layout=True)
    ax.plot(L, tc, "o-", ms=3, color="C0", label="Tc(L)")
    if result.tc_bulk_model_K is not None:
        ax.axhline(result.tc_bulk_model_K, color="C0", ls=":", label=f"bulk Tc = {result.tc_bulk_model_K:.3g} K")
    if L.size and L[0] < result.critical_thickness_nm:
        ax.axvspan(L[0], min(result.critical_thickness_nm, L[-1]), color="0.9", zorder=0,
                   label="confined regime (x < 1)")
    ax.axvline(result.critical_thickness_nm, color="k", ls="--", lw=1,
               label=f"L_c = {result.critical_thickness_nm:.3g} nm")
    if result.peak is not None:
        ax.plot([result.peak["thickness_nm"]], [result.peak["tc_K"]], "*", color="C3", ms=10,
                label=f"peak {result.peak['tc_K']:.3g} K")
    ax.set_xscale("log")
    ax.set_xlabel("thickness L [nm]")
    ax.set_ylabel("Tc [K]")
    ax.set_ylim(bottom=0)
    ax.set_title(f"{result.material}: λ rule {result.lambda_rule}, μ* rule {result.mustar_rule}")
    ax2 = ax.twinx()
    ax2.plot(L, lam, "-", color="C1", label="λ(L)")
    ax2.plot(L, mu, "-", color="C2", label="μ*(L)")
    ax2.set_ylabel("λ, μ*")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=8, loc="best")
    fig.savefig(path, dpi=120)
    plt.close(fig)
