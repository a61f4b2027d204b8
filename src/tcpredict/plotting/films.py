"""Figures of thin films: Tc(L) with the couplings (matplotlib, Agg backend)."""

from __future__ import annotations

import numpy as np

__all__ = ["plot_film"]


def plot_film(result: FilmResult, path=None, *, ax=None):
    """Draw Tc(L) (log-x) with L_c marked, the bulk Tc as a line, λ(L), μ*(L) on a second axis;
    with an uncertainty the 16–84 % band of the draws (shaded) and the range over the thickness
    rules (dashed).

    The refined peak of Tc(L) (``result.peak``, found between the grid points) is inserted into
    the drawn Tc curve and marked on it with its value, so the star lies on the curve. The legend
    sits below the axes, clear of every curve.

    When the result carries the BKT temperature (a sheet resistance was given), Tc_BKT(L) is
    drawn beside Tc(L) and a lower panel shows the sheet resistance R_□(L) (docs/stiffness.md §7).

    Parameters
    ----------
    result : FilmResult
    path : str or path-like, optional
        Output image file (format from the suffix, e.g. ``.png``); none written when omitted.
    ax : matplotlib Axes, optional
        Draw Tc(L) into these axes (λ, μ* on a twin axis); the R_□(L) panel of a BKT result is
        then left out. Default: a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure  # no pyplot: no global state, no backend switch

    L = result.thickness_nm
    order = np.argsort(L)
    L = L[order]
    tc = result.tc_K[order]
    lam = np.array([r["lambda"] for r in result.rows])[order]
    mu = np.array([r["mustar"] for r in result.rows])[order]
    bkt = bool(getattr(result, "has_bkt", False))
    banded = getattr(result, "uncertainty", None) is not None
    axr = None
    if ax is not None:
        fig = ax.figure
    elif bkt:
        fig = Figure(figsize=(7, 7.6), layout="constrained")
        ax, axr = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1.3]})
    else:
        fig = Figure(figsize=(7, 6.4 if banded else 5.6), layout="constrained")
        ax = fig.subplots()
    pk = result.peak
    Lc, tcc = L, tc
    if pk is not None and pk.get("tc_K") is not None:  # the refined peak belongs to the curve
        i = int(np.searchsorted(L, pk["thickness_nm"]))
        Lc = np.insert(L, i, pk["thickness_nm"])
        tcc = np.insert(tc, i, pk["tc_K"])
    ax.plot(Lc, tcc, "-", color="C0", label="Tc(L) (Eliashberg, mean field)")
    ax.plot(L, tc, "o", ms=3, color="C0")
    if banded:  # docs/uncertainty.md §5
        nan0 = lambda a: np.where(np.isnan(a), 0.0, a)  # noqa: E731  none above the floor
        p16, p84 = nan0(result.band("tc_p16_K")[order]), nan0(result.band("tc_p84_K")[order])
        n = result.uncertainty.get("samples")
        ax.fill_between(L, p16, p84, color="C0", alpha=0.22, lw=0,
                        label=f"16–84 % over {n} draws of the element data")
        if "tc_model_min_K" in result.rows[0]:
            lo = nan0(result.band("tc_model_min_K")[order])
            hi = nan0(result.band("tc_model_max_K")[order])
            ax.plot(L, lo, "--", color="C3", lw=1, label="range over the shipped λ(L), μ*(L) rules")
            ax.plot(L, hi, "--", color="C3", lw=1)
    if bkt:
        tb = result.tc_bkt_K[order]
        eps = result.vortex_dielectric
        ax.plot(L, tb, "s-", ms=3, color="C4",
                label="Tc_BKT(L): k_BT = (π/2)J_s" + ("" if eps == 1 else f"/{eps:g}"))
        ax.fill_between(L, tb, tc, where=np.isfinite(tb) & np.isfinite(tc), color="C4",
                        alpha=0.25, lw=0, label="phase-fluctuation window")
    if result.tc_bulk_model_K is not None:
        ax.axhline(result.tc_bulk_model_K, color="C0", ls=":", label=f"bulk Tc = {result.tc_bulk_model_K:.3g} K")
    if L.size and L[0] < result.critical_thickness_nm:
        ax.axvspan(L[0], min(result.critical_thickness_nm, L[-1]), color="0.9", zorder=0,
                   label="confined regime (x < 1)")
    ax.axvline(result.critical_thickness_nm, color="k", ls="--", lw=1,
               label=f"L_c = {result.critical_thickness_nm:.3g} nm")
    if pk is not None and pk.get("tc_K") is not None:
        ax.plot([pk["thickness_nm"]], [pk["tc_K"]], "*", color="C3", ms=11, zorder=5,
                label=f"peak of Tc(L) (refined between grid points): {pk['tc_K']:.3g} K "
                      f"at {pk['thickness_nm']:.3g} nm")
        ax.annotate(f"{pk['tc_K']:.3g} K", (pk["thickness_nm"], pk["tc_K"]),
                    xytext=(9, -3), textcoords="offset points", fontsize=8, color="C3",
                    va="top")
        if banded and "tc_p16_K" in pk:
            lo, hi = pk["tc_p16_K"] or 0.0, pk["tc_p84_K"] or 0.0
            ax.errorbar([pk["thickness_nm"]], [pk["tc_K"]],
                        yerr=[[max(pk["tc_K"] - lo, 0.0)], [max(hi - pk["tc_K"], 0.0)]],
                        fmt="none", ecolor="C3", capsize=4, lw=1.2)
    ax.set_xscale("log")
    if axr is not None:
        R = np.array([r["sheet_resistance_ohm"] for r in result.rows])[order]
        axr.plot(L, R, "-", color="C5")
        axr.set_yscale("log")
        axr.set_ylabel("R_□ (Ω)")
        axr.set_xlabel("thickness L (nm)")
        axr.set_title("normal-state sheet resistance: "
                      + _describe_r(result.sheet_resistance_model), fontsize=8)
        axr.axvline(result.critical_thickness_nm, color="k", ls="--", lw=1)
        axr.grid(True, which="both", alpha=0.3)
    else:
        ax.set_xlabel("thickness L (nm)")
    ax.set_ylabel("Tc (K)")
    top = float(np.nanmax(tcc)) if np.isfinite(tcc).any() else 0.0
    ax.set_ylim(0, max(ax.get_ylim()[1], 1.08 * top))
    ax.set_title(f"{result.material}: λ rule {result.lambda_rule}, μ* rule {result.mustar_rule}")
    ax2 = ax.twinx()
    ax2.plot(L, lam, "-", color="C1", label="λ(L) (right axis)")
    ax2.plot(L, mu, "-", color="C2", label="μ*(L) (right axis)")
    ax2.set_ylabel("λ, μ* (dimensionless)")
    # from zero, with head room: the λ(L) maximum stays below the Tc(L) peak and its label
    frac = min(0.7, 0.85 * top / ax.get_ylim()[1]) if top > 0 else 0.7
    ax2.set_ylim(0, max(float(np.nanmax(lam)), float(np.nanmax(mu)), 1e-3) / max(frac, 0.3))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    # below the axes: a legend inside would hide a curve (λ(L) runs along the top)
    leg = ax.legend(h1 + h2, l1 + l2, fontsize=7, loc="upper center", ncol=2,
                    bbox_to_anchor=(0.5, -0.14 if axr is None else -0.05), framealpha=0.9)
    if axr is not None:  # the lower panel sits right below: move the legend under it
        leg.remove()
        fig.legend(h1 + h2, l1 + l2, fontsize=7, loc="outside lower center", ncol=2)
    if path is not None:
        fig.savefig(path, dpi=120, bbox_inches="tight")
    return fig


def _describe_r(m: dict | None) -> str:
    """Short label of a sheet-resistance model description (FilmResult.sheet_resistance_model)."""
    m = m or {}
    kind = m.get("model")
    if kind == "fuchs-sondheimer":
        return (f"Fuchs–Sondheimer ρ(L)/L, ρ_bulk = {m['resistivity_bulk_uohm_cm']:.3g} µΩ·cm, "
                f"ℓ = {m['mean_free_path_nm']:.3g} nm, p = {m['specularity']:.2g}")
    if kind == "constant":
        return f"constant {m['sheet_resistance_ohm']:.4g} Ω"
    if kind == "table":
        return f"table {m.get('file', '')}"
    return str(m.get("name", kind))
