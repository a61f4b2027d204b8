"""Figures of bilayer maps and screens (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

__all__ = ["plot_map", "plot_screen", "map_caveats", "optimum_on_edge"]


def plot_map(m: TcMap, path=None, *, ax=None):
    """Heat map of Tc(d_A, d_B) with the optimum, L_c of each layer, and contours where the
    bilayer's Tc equals each constituent's measured bulk Tc. With grid bands
    (docs/uncertainty.md §6) two more panels on the same colour scale: the 16th and the 84th
    percentile of Tc over the element data draws (the band in two dimensions), each with the
    optimum and, given a threshold, the contour Tc = threshold.

    The colour scale is square-root (so 0.1–2 K differences show beside a strong
    constituent); grid points with no Tc above the floor ``config.t_min_K`` are masked and drawn
    grey (said in the legend), not coloured as 0 K. The legend lists only what is drawn. Below
    the axes the figure states when the optimum lies on the edge of the thickness grid and the
    caveats that apply: a constituent whose α²F is a model built from its moments
    (``Element.alpha2f_is_model``), and the map's own notes.

    Parameters
    ----------
    m : TcMap
    path : str or path-like, optional
        Output image file (format from the suffix); none written when omitted.
    ax : matplotlib Axes, optional
        Draw the central map into these axes (the band panels are then left out).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure  # no pyplot: no global state, no backend switch

    bands = m.band_arrays()
    if "tc_p16_K" in bands and ax is None:
        return _plot_map_bands(m, bands, path)
    if ax is None:
        fig = Figure(figsize=(6.6, 5.4))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    tmin = m.config.t_min_K
    # colour scale spans the constituents' bulk Tc too, so their marks on the bar are visible
    vmax = max(float(np.nanmax(m.tc_K)), m.tc_measured_a_K, m.tc_measured_b_K, 1e-3)
    pc = _tc_mesh(ax, m, m.tc_K, vmax)
    cb = fig.colorbar(pc, ax=ax, label="bilayer Tc (K), square-root scale")
    _log_axes(ax)
    handles, notes = [], []
    styles = [(m.tc_measured_a_K, m.a, "w"), (m.tc_measured_b_K, m.b, "r")]
    for val, sym, col in styles:
        if val <= 0:  # not superconducting in bulk: no contour, no mark
            continue
        drawn = False
        if min(m.tc_K.shape) > 1 and np.nanmin(m.tc_K) < val < np.nanmax(m.tc_K):
            cs = ax.contour(m.thickness_b_nm, m.thickness_a_nm, m.tc_K, levels=[val],
                            colors=col, linewidths=1.5)
            drawn = any(len(seg) for seg in cs.allsegs[0])
        if drawn:  # legend and bar mark only for a contour that is on the map
            cb.ax.axhline(val, color=col, lw=2)
            handles.append(Line2D([], [], color=col,
                                  label=f"Tc = {sym} bulk Tc ({val:.3g} K, marked on the bar)"))
        else:
            where = "below" if np.nanmax(m.tc_K) <= val else "above"
            notes.append(f"no contour Tc = {sym} bulk Tc ({val:.3g} K, measured): the bilayer "
                         f"Tc lies {where} it everywhere on the grid")
    handles += _common_marks(ax, m, ms=14)
    if np.any(~(m.tc_K > 0)):
        handles.append(Patch(facecolor=GREY, edgecolor="0.5",
                             label=f"no Tc above the floor {tmin:g} K"))
    # below the axes, never over the map; the caveats follow under the legend
    leg = ax.legend(handles=handles, fontsize=7, loc="upper left", ncol=2,
                    bbox_to_anchor=(0.0, -0.12), frameon=False)
    ax.set_xlabel(f"thickness of {m.b} (nm)")
    ax.set_ylabel(f"thickness of {m.a} (nm)")
    ax.set_title(f"{m.a}/{m.b} bilayer ({m.config.parametrisation}, "
                 f"λ rule {m.rule_names.get('lambda_rule')})", fontsize=9)
    _footnote(ax, map_caveats(m) + notes, anchor=leg)
    if path is not None:
        fig.savefig(Path(path), dpi=120, bbox_inches="tight")
    return fig


GREY = "0.72"


def _tc_mesh(ax, m, z, vmax):
    """Tc on a square-root colour scale; points with no Tc above the floor masked (grey)."""
    import matplotlib
    from matplotlib.colors import PowerNorm

    cmap = matplotlib.colormaps["viridis"].with_extremes(bad=GREY)
    shown = np.ma.masked_where(~(np.asarray(z, float) > 0), z)
    xb, ya = _log_edges(m.thickness_b_nm), _log_edges(m.thickness_a_nm)
    if xb is None or ya is None:  # a single thickness: cells of matplotlib's default width
        return ax.pcolormesh(m.thickness_b_nm, m.thickness_a_nm, shown, shading="nearest",
                             cmap=cmap, norm=PowerNorm(0.5, vmin=0.0, vmax=vmax))
    return ax.pcolormesh(xb, ya, shown, shading="flat", cmap=cmap,
                         norm=PowerNorm(0.5, vmin=0.0, vmax=vmax))


def _log_edges(c):
    """Cell edges for sorted, positive grid points on log axes: geometric midpoints, the ends
    one half-step (in ln) beyond the first and last point; None for fewer than two points or a
    grid that is not increasing."""
    c = np.asarray(c, float)
    if c.size < 2 or np.any(c <= 0) or np.any(np.diff(c) <= 0):
        return None
    lc = np.log(c)
    mid = 0.5 * (lc[1:] + lc[:-1])
    return np.exp(np.concatenate([[lc[0] - (mid[0] - lc[0])], mid,
                                  [lc[-1] + (lc[-1] - mid[-1])]]))


def _common_marks(ax, m, ms) -> list:
    """The optimum (never clipped) and the L_c lines that fall inside the grid; their legend
    handles."""
    handles = []
    if m.tc_best_K > 0:
        h = ax.plot(m.best_thickness_b_nm, m.best_thickness_a_nm, marker="*", ms=ms, color="m",
                    mec="k", mew=0.6, ls="none", clip_on=False, zorder=6,
                    label=f"optimum {m.tc_best_K:.3g} K")[0]
        handles.append(h)
    shown = False
    ta, tb = np.asarray(m.thickness_a_nm), np.asarray(m.thickness_b_nm)
    if ta.min() <= m.critical_thickness_a_nm <= ta.max():
        ax.axhline(m.critical_thickness_a_nm, color="w", ls=":", lw=1)
        shown = True
    if tb.min() <= m.critical_thickness_b_nm <= tb.max():
        ax.axvline(m.critical_thickness_b_nm, color="w", ls=":", lw=1)
        shown = True
    if shown:
        handles.append(Line2D([], [], color="0.35", ls=":",
                              label="L_c of each layer (white dotted lines)"))
    return handles


def optimum_on_edge(m) -> list[str]:
    """Which ends of the thickness grid the optimum lies on, e.g. ``["Al: largest 5 nm"]``
    (empty when it lies inside or there is none)."""
    if not m.tc_best_K > 0:
        return []
    out = []
    for sym, grid, best in ((m.a, m.thickness_a_nm, m.best_thickness_a_nm),
                            (m.b, m.thickness_b_nm, m.best_thickness_b_nm)):
        g = np.asarray(grid, float)
        if g.size < 2:
            continue
        if np.isclose(best, g.min(), rtol=1e-6):
            out.append(f"{sym} at the smallest thickness {g.min():.3g} nm")
        elif np.isclose(best, g.max(), rtol=1e-6):
            out.append(f"{sym} at the largest thickness {g.max():.3g} nm")
    return out


def map_caveats(m) -> list[str]:
    """Lines printed under a map: optimum on the grid edge, model α²F of a constituent, and the
    map's notes (e.g. an optimiser that did not converge)."""
    lines = []
    edge = optimum_on_edge(m)
    if edge:
        lines.append("optimum on the grid edge (" + "; ".join(edge)
                     + "): widen the thickness range")
    from tcpredict.materials.elements import get_element

    for sym in (m.a, m.b):
        try:
            el = get_element(sym)
        except ValueError:  # not a shipped element (a material given by its data): no flag
            continue
        if el.alpha2f_is_model:
            lines.append(f"{sym}: α²F is a model built from the tabulated moments (λ, ω_log, ω̄₂), "
                         "not a computed or measured spectrum")
    lines += [str(n) for n in (m.notes or ())]
    return lines


def _footnote(ax, lines, anchor=None, y=-0.13):
    """Caveat lines under the axes: below the artist ``anchor`` (e.g. a legend placed under the
    axes) or at axes fraction ``y``."""
    if lines:
        import textwrap

        text = "\n".join(textwrap.fill("• " + ln, 95, subsequent_indent="  ") for ln in lines)
        if anchor is not None:
            ax.annotate(text, xy=(0.0, 0.0), xycoords=anchor, xytext=(0, -4),
                        textcoords="offset points", va="top", ha="left", fontsize=7,
                        color="0.15", annotation_clip=False)
        else:
            ax.text(0.0, y, text, transform=ax.transAxes, va="top", ha="left", fontsize=7,
                    color="0.15")


def _log_axes(ax):
    from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis in (ax.xaxis, ax.yaxis):  # plain numbers in nm at 1-2-5 steps, no minor labels
        axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        axis.set_major_formatter(ScalarFormatter())
        axis.set_minor_formatter(NullFormatter())


def _plot_map_bands(m, bands: dict, path):
    from matplotlib.figure import Figure

    u = m.uncertainty or {}
    thr = u.get("threshold_K")
    panels = [(bands["tc_p16_K"], "16th percentile over the draws"),
              (m.tc_K, "central (the element data values)"),
              (bands["tc_p84_K"], "84th percentile over the draws")]
    vmax = max(float(np.nanmax(bands["tc_p84_K"])), float(np.nanmax(m.tc_K)), 1e-3)
    fig = Figure(figsize=(15.5, 5.0), layout="constrained")
    axes = fig.subplots(1, 3, sharey=True)
    for ax, (z, label) in zip(axes, panels):
        pc = _tc_mesh(ax, m, z, vmax)
        _log_axes(ax)
        if thr is not None and np.nanmin(z) < thr < np.nanmax(z) and min(z.shape) > 1:
            ax.contour(m.thickness_b_nm, m.thickness_a_nm, z, levels=[thr], colors="w",
                       linestyles="--", linewidths=1.5)
        handles = _common_marks(ax, m, ms=12)
        ax.set_title(label, fontsize=9)
        ax.set_xlabel(f"thickness of {m.b} (nm)")
    axes[0].set_ylabel(f"thickness of {m.a} (nm)")
    if np.any([np.any(~(np.asarray(z, float) > 0)) for z, _ in panels]):
        handles.append(Patch(facecolor=GREY, edgecolor="0.5",
                             label=f"no Tc above the floor {m.config.t_min_K:g} K"))
    axes[1].legend(handles=handles, fontsize=7, loc="upper center", ncol=3,
                   bbox_to_anchor=(0.5, -0.12), frameon=False)
    fig.colorbar(pc, ax=list(axes), label="bilayer Tc (K), square-root scale")
    lo, hi = u.get("tc_p16_K"), u.get("tc_p84_K")
    band = ("" if lo is None and hi is None else
            f"; at the optimum (★) {m.tc_best_K:.3g} K, 16–84 %: {lo or 0:.3g}–{hi or 0:.3g} K")
    extra = (f"; dashed: Tc = {thr:g} K" if thr is not None else "")
    fig.suptitle(f"{m.a}/{m.b} bilayer ({m.config.parametrisation}, λ rule "
                 f"{m.rule_names.get('lambda_rule')}): {u.get('samples')} draws of the element "
                 f"data{band}{extra}; dotted: L_c", fontsize=9)
    lines = map_caveats(m)
    if lines:  # under the figure (outside the constrained layout; bbox_inches="tight" keeps it)
        import textwrap

        fig.text(0.01, 0.0, "\n".join(textwrap.fill("• " + ln, 180, subsequent_indent="  ")
                                       for ln in lines), va="top", ha="left", fontsize=8,
                 color="0.15")
    if path is not None:
        fig.savefig(Path(path), dpi=120, bbox_inches="tight")
    return fig


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
