"""Figures of bilayer maps and screens (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["plot_map", "plot_screen"]


def plot_map(m: TcMap, path) -> Path:
    """Heat map of Tc(d_A, d_B) with the optimum, L_c of each layer, and contours where the
    bilayer's Tc equals each constituent's measured bulk Tc. With grid bands
    (docs/uncertainty.md §6) two more panels on the same colour scale: the 16th and the 84th
    percentile of Tc over the element data draws (the band in two dimensions), each with the
    optimum and, given a threshold, the contour Tc = threshold."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bands = m.band_arrays()
    if "tc_p16_K" in bands:
        return _plot_map_bands(m, bands, path)
    fig, ax = plt.subplots(figsize=(6.4, 5.0))
    # colour scale spans the constituents' bulk Tc too, so their marks on the bar are visible
    vmax = max(float(np.nanmax(m.tc_K)), m.tc_measured_a_K, m.tc_measured_b_K, 1e-3)
    pc = ax.pcolormesh(m.thickness_b_nm, m.thickness_a_nm, m.tc_K, shading="nearest",
                       cmap="viridis", vmin=0.0, vmax=vmax)
    cb = fig.colorbar(pc, ax=ax, label="bilayer Tc [K]")
    ax.set_xscale("log")
    ax.set_yscale("log")
    from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

    for axis in (ax.xaxis, ax.yaxis):  # plain numbers in nm at 1-2-5 steps, no minor labels
        axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        axis.set_major_formatter(ScalarFormatter())
        axis.set_minor_formatter(NullFormatter())
    styles = [(m.tc_measured_a_K, f"{m.a} bulk Tc {m.tc_measured_a_K:.3g} K", "w"),
              (m.tc_measured_b_K, f"{m.b} bulk Tc {m.tc_measured_b_K:.3g} K", "r")]
    handles = []
    for val, label, col in styles:
        cb.ax.axhline(val, color=col, lw=2)
        if m.tc_K.min() < val < m.tc_K.max() and min(m.tc_K.shape) > 1:
            ax.contour(m.thickness_b_nm, m.thickness_a_nm, m.tc_K, levels=[val], colors=col,
                       linewidths=1.5)
        handles.append(plt.Line2D([], [], color=col, label=label))
    ax.axhline(m.critical_thickness_a_nm, color="w", ls=":", lw=1)
    ax.axvline(m.critical_thickness_b_nm, color="w", ls=":", lw=1)
    if m.tc_best_K > 0:
        h = ax.plot(m.best_thickness_b_nm, m.best_thickness_a_nm, marker="*", ms=14, color="m",
                    ls="none", label=f"optimum {m.tc_best_K:.3g} K")[0]
        handles.append(h)
    handles.append(plt.Line2D([], [], color="w", ls=":", label="L_c of each layer"))
    ax.legend(handles=handles, fontsize=7, loc="upper right", framealpha=0.6)
    ax.set_xlabel(f"thickness of {m.b} [nm]")
    ax.set_ylabel(f"thickness of {m.a} [nm]")
    ax.set_title(f"{m.a}/{m.b} bilayer ({m.config.parametrisation}, "
                 f"λ rule {m.rule_names.get('lambda_rule')})", fontsize=9)
    fig.tight_layout()
    p = Path(path)
    fig.savefig(p, dpi=120)
    plt.close(fig)
    return p


def _log_axes(ax):
    from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis in (ax.xaxis, ax.yaxis):  # plain numbers in nm at 1-2-5 steps, no minor labels
        axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        axis.set_major_formatter(ScalarFormatter())
        axis.set_minor_formatter(NullFormatter())


def _plot_map_bands(m, bands: dict, path) -> Path:
    import matplotlib.pyplot as plt

    u = m.uncertainty or {}
    thr = u.get("threshold_K")
    panels = [(bands["tc_p16_K"], "16th percentile over the draws"),
              (m.tc_K, "central (the element data values)"),
              (bands["tc_p84_K"], "84th percentile over the draws")]
    vmax = max(float(np.nanmax(bands["tc_p84_K"])), float(np.nanmax(m.tc_K)), 1e-3)
    fig, axes = plt.subplots(1, 3, figsize=(15.5, 5.0), sharey=True, constrained_layout=True)
    for ax, (z, label) in zip(axes, panels):
        pc = ax.pcolormesh(m.thickness_b_nm, m.thickness_a_nm, z, shading="nearest",
                           cmap="viridis", vmin=0.0, vmax=vmax)
        _log_axes(ax)
        if thr is not None and np.nanmin(z) < thr < np.nanmax(z) and min(z.shape) > 1:
            ax.contour(m.thickness_b_nm, m.thickness_a_nm, z, levels=[thr], colors="w",
                       linestyles="--", linewidths=1.5)
        if m.tc_best_K > 0:
            ax.plot(m.best_thickness_b_nm, m.best_thickness_a_nm, marker="*", ms=12, color="m",
                    ls="none")
        ax.axhline(m.critical_thickness_a_nm, color="w", ls=":", lw=1)
        ax.axvline(m.critical_thickness_b_nm, color="w", ls=":", lw=1)
        ax.set_title(label, fontsize=9)
        ax.set_xlabel(f"thickness of {m.b} [nm]")
    axes[0].set_ylabel(f"thickness of {m.a} [nm]")
    fig.colorbar(pc, ax=list(axes), label="bilayer Tc [K]")
    lo, hi = u.get("tc_p16_K"), u.get("tc_p84_K")
    band = ("" if lo is None and hi is None else
            f"; at the optimum (★) {m.tc_best_K:.3g} K, 16–84 %: {lo or 0:.3g}–{hi or 0:.3g} K")
    extra = (f"; dashed: Tc = {thr:g} K" if thr is not None else "")
    fig.suptitle(f"{m.a}/{m.b} bilayer ({m.config.parametrisation}, λ rule "
                 f"{m.rule_names.get('lambda_rule')}): {u.get('samples')} draws of the element "
                 f"data{band}{extra}; dotted: L_c", fontsize=9)
    p = Path(path)
    fig.savefig(p, dpi=120)
    plt.close(fig)
    return p


def _candidate_bars(ax, t, title: str) -> None:
    """Bars of best bilayer Tc for the rows ``t`` of a ranking, with the bands when present."""
    colors = ["tab:red" if n else ("tab:orange" if w else "tab:blue")
              for n, w in zip(t.neither_bulk_sc, t.weak_bulk_sc)]
    x = np.arange(len(t))
    ax.bar(x, t.tc_best_K, color=colors)
    if "tc_p16_K" in t and t["tc_p16_K"].notna().any():  # docs/uncertainty.md §6
        lo = np.clip(t.tc_best_K - t.tc_p16_K.fillna(0.0), 0, None)
        hi = np.clip(t.tc_p84_K.fillna(0.0) - t.tc_best_K, 0, None)
        ax.errorbar(x, t.tc_best_K, yerr=[lo, hi], fmt="none", ecolor="k", capsize=3, lw=1,
                    label="16–84 % over the element data draws")
        if "tc_model_min_K" in t and t["tc_model_min_K"].notna().any():
            ax.plot(x - 0.25, t.tc_model_min_K, "v", color="tab:purple", ms=4,
                    label="min / max over the thickness rules")
            ax.plot(x - 0.25, t.tc_model_max_K, "^", color="tab:purple", ms=4)
    ax.plot(x, np.maximum(t.tc_measured_a_K, t.tc_measured_b_K), "k_", ms=18,
            label="better constituent, measured bulk Tc")
    ax.set_xticks(x, [f"{a}/{b}" for a, b in zip(t.a, t.b)], rotation=60, fontsize=8)
    ax.set_ylabel("best bilayer Tc (K)")
    ax.set_ylim(bottom=0)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="upper right")


def plot_screen(res: pd.DataFrame, rank: pd.DataFrame, out: Path, top: int = 15) -> dict:
    """Figures of a screen: the top candidates overall and, in a second panel, the best new
    predictions (neither constituent superconducting in bulk, or both below 1.5 K); and a heat
    map of the best Tc per pair on a square-root colour scale (so 0.1–2 K differences show
    beside Nb and Pb pairs), with pairs below the floor in grey."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import PowerNorm

    files = {}
    banded = "tc_p16_K" in rank and rank["tc_p16_K"].notna().any()
    by = "ranked by tc_p16_K; " if banded else ""
    new = rank[(rank.neither_bulk_sc | rank.weak_bulk_sc) & (rank.tc_best_K > 0)]
    panels = 2 if len(new) else 1
    fig, axes = plt.subplots(panels, 1, figsize=(8.0, 4.2 * panels), squeeze=False)
    _candidate_bars(axes[0, 0], rank.head(top),
                    f"top candidates ({by}red: neither bulk SC; orange: both < 1.5 K)")
    if len(new):
        _candidate_bars(axes[1, 0], new.head(top),
                        f"best new predictions: neither constituent superconducts in bulk, or "
                        f"both < 1.5 K ({len(new)} pairs; {by.rstrip('; ') or 'by best Tc'})")
    fig.tight_layout()
    files["top_candidates"] = out / "top_candidates.png"
    fig.savefig(files["top_candidates"], dpi=120)
    plt.close(fig)

    els = list(dict.fromkeys(list(res.a) + list(res.b)))
    M = np.full((len(els), len(els)), np.nan)
    for r in res.itertuples():
        i, j = els.index(r.a), els.index(r.b)
        M[i, j] = M[j, i] = r.tc_best_K
    size = max(6.0, 0.28 * len(els) + 2.5)
    fig, ax = plt.subplots(figsize=(size, size * 0.87))
    cmap = plt.get_cmap("magma").with_extremes(bad="0.85")
    shown = np.where(M > 0, M, np.nan)  # 0 = no superconductivity above the floor: grey
    vmax = float(np.nanmax(shown)) if np.isfinite(shown).any() else 1.0
    im = ax.imshow(shown, cmap=cmap, norm=PowerNorm(0.5, vmin=0.0, vmax=vmax))
    fig.colorbar(im, ax=ax, label="best bilayer Tc (K), square-root scale")
    ax.set_xticks(range(len(els)), els, fontsize=7, rotation=90)
    ax.set_yticks(range(len(els)), els, fontsize=7)
    ax.set_title("best Tc per pair (optimised thicknesses)\ngrey: none above the floor, or the "
                 "diagonal", fontsize=9)
    fig.tight_layout()
    files["heatmap"] = out / "best_tc_heatmap.png"
    fig.savefig(files["heatmap"], dpi=120)
    plt.close(fig)
    return files
