"""Figures for the core Eliashberg results (matplotlib, Agg backend; I/O at the edge)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

__all__ = ["plot_thermo", "plot_gap_sweep", "thermo_caveats"]


FREE_ELECTRON_N0_CAVEAT = ("B_c uses the free-electron N(0) = 3n/(4E_F0), not the band-structure "
                           "DOS; B_c ∝ √N(0) can be far off, especially for transition metals "
                           "(d bands): give the band N(0) with --n0 (n0_per_meV_nm3)")
MODEL_A2F_CAVEAT = ("α²F is a model built from the tabulated moments (λ, ω_log, ω̄₂), not a "
                    "computed or measured spectrum")


def thermo_caveats(free_electron_n0: bool = False, alpha2f_is_model: bool = False) -> list[str]:
    """The caveat lines :func:`plot_thermo` prints under the figure: the free-electron N(0)
    behind B_c, and a model α²F."""
    return ([FREE_ELECTRON_N0_CAVEAT] if free_electron_n0 else []) + (
        [MODEL_A2F_CAVEAT] if alpha2f_is_model else [])


def plot_thermo(th, path=None, title: str = "", *, caveats=(), axes=None):
    """ΔF(T)/N(0) (meV²), ΔC(T)/γTc and B_c(T) (mT, if N(0) known) versus T/Tc.

    Parameters
    ----------
    th : ThermoResult
    path : str or Path, optional
        Write the figure there (format from the suffix).
    title : str
        Heading (e.g. the spectrum's label); Tc is appended.
    caveats : sequence of str
        Lines printed under the figure (see :func:`thermo_caveats`: free-electron N(0) behind
        B_c, model α²F). The B_c panel is also labelled when its N(0) is the free-electron one.
    axes : sequence of matplotlib Axes, optional
        Two (no N(0)) or three Axes to draw into; default a new figure.

    Returns
    -------
    pathlib.Path or matplotlib.figure.Figure
        The path when ``path`` is given (the file written), else the Figure.
    """
    from matplotlib.figure import Figure

    caveats = [str(c) for c in caveats]
    t = th.temperatures_K / th.tc_K
    ncol = 3 if th.hc_T is not None else 2
    if axes is None:
        fig = Figure(figsize=(4.2 * ncol, 3.8), layout="constrained")
        ax = fig.subplots(1, ncol)
    else:
        ax = list(axes)
        fig = ax[0].figure
    ax[0].plot(t, th.delta_f_per_n0_meV2, "o-", ms=3)
    ax[0].set(xlabel="T / Tc", ylabel="ΔF / N(0)  (meV²)", title="Bardeen–Stephen free energy")
    ax[1].plot(t, th.delta_c_over_gamma_tc_curve, "o-", ms=3)
    ax[1].axhline(th.delta_c_over_gamma_tc, color="C3", ls="--",
                  label=f"jump ΔC/γTc = {th.delta_c_over_gamma_tc:.3g} (BCS 1.43)")
    lo, hi = ax[1].get_ylim()
    ax[1].set_ylim(lo, hi + 0.25 * (hi - lo))  # head room: the legend clear of the jump line
    ax[1].set(xlabel="T / Tc", ylabel="ΔC / γTc (dimensionless)", title="specific-heat difference")
    ax[1].legend(fontsize=8, loc="upper left")
    if th.hc_T is not None:
        fe = FREE_ELECTRON_N0_CAVEAT in caveats
        ax[2].plot(t, th.hc_T * 1e3, "o-", ms=3, color="C3" if fe else "C0",
                   label=(f"B_c(0) = {th.hc0_T * 1e3:.3g} mT" if th.hc0_T is not None else None))
        ax[2].set(xlabel="T / Tc", ylabel="B_c = μ₀H_c  (mT)",
                  title="thermodynamic critical field" + (" *" if fe else ""))
        if fe:
            ax[2].text(0.97, 0.97, "* free-electron N(0):\nsee the note below",
                       transform=ax[2].transAxes, ha="right", va="top", fontsize=8, color="C3")
        if th.hc0_T is not None:
            ax[2].legend(fontsize=8, loc="lower left")
    if title:
        fig.suptitle(f"{title}  (Tc = {th.tc_K:.4g} K)")
    if caveats:  # under the figure (outside the layout; bbox_inches="tight" keeps it)
        import textwrap

        fig.text(0.01, 0.0, "\n".join(textwrap.fill("• " + c, 150, subsequent_indent="  ")
                                       for c in caveats),
                 va="top", ha="left", fontsize=8, color="0.15")
    if path is None:
        return fig
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    return path


def plot_gap_sweep(ds, path=None, *, axes=None, title: str = ""):
    """Δ₀(T) and N_s(ω)/N(0) of a gap sweep (a Dataset of :mod:`tcpredict.eliashberg.gapdata`).

    Left: the real-axis gap edge Δ₀ [meV] (markers; Δ(iω_0), dashed, when there is no real
    axis) versus T, one curve per band or layer. Right: the quasiparticle DOS N_s(ω)/N(0) for
    every temperature, coloured by T (the total Σ_i N_i N_s,i/Σ_i N_i for coupled bands, else
    one line style per band or layer). Needs the real-axis variables for the right panel.

    Parameters
    ----------
    ds : xarray.Dataset
    path : str or Path, optional
        Write a PNG there.
    axes : pair of matplotlib Axes, optional
        Draw into these (no file unless ``path``); default a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np

    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), constrained_layout=True)
    else:
        fig = axes[0].figure
    ax0, ax1 = axes
    T = ds["temperature_K"].values
    order = np.argsort(T)
    comp = [d for d in ds["delta_iw0_meV"].dims if d != "temperature_K"]
    names = [str(x) for x in ds[comp[0]].values] if comp else [""]

    def rows(var):
        v = ds[var].values
        return v[:, None] if not comp else v

    d0, iw0 = rows("delta0_meV"), rows("delta_iw0_meV")
    for j, nm in enumerate(names):
        lab = f" {nm}" if nm else ""
        if np.any(np.isfinite(d0[:, j])):
            ax0.plot(T[order], d0[order, j], "o-", ms=4, color=f"C{j}", label=f"Δ₀{lab}")
        ax0.plot(T[order], iw0[order, j], "--", color=f"C{j}", alpha=0.6,
                 label=f"Δ(iω₀){lab}")
    if "tc_K" in ds.attrs:
        ax0.axvline(ds.attrs["tc_K"], color="0.5", lw=0.8, ls=":", label="Tc")
    ax0.set(xlabel="T  [K]", ylabel="gap  [meV]", title="gap edge versus temperature")
    ax0.set_xlim(left=0)
    ax0.set_ylim(bottom=0)
    ax0.legend(fontsize=8)
    if "dos_ratio" in ds:
        om = ds["omega_meV"].values
        cmap = plt.get_cmap("viridis")
        tmax = float(T.max()) if T.size else 1.0
        if "dos_ratio_total" in ds:
            curves = [(ds["dos_ratio_total"].values, "-", "all bands")]
        elif comp:
            dv = ds["dos_ratio"].values
            curves = [(dv[:, j], ["-", "--", ":", "-."][j % 4], nm) for j, nm in enumerate(names)]
        else:
            curves = [(ds["dos_ratio"].values, "-", "")]
        for vals, ls, _ in curves:
            for k in order:
                ax1.plot(om, np.clip(vals[k], 0, None), ls, lw=1,
                         color=cmap(0.9 * T[k] / tmax), label=f"{T[k]:.3g} K")
        ax1.set(xlabel="ω  [meV]", ylabel="N_s(ω) / N(0)",
                title="quasiparticle DOS" + (f" ({curves[0][2]})" if curves[0][2] else ""))
        top = np.nanmax([np.nanmax(np.clip(v, 0, None)) for v, *_ in curves])
        ax1.set_ylim(0, min(top, 6.0) * 1.05 if np.isfinite(top) else 3.0)
        handles, labels = ax1.get_legend_handles_labels()
        keep = len(order)
        ax1.legend(handles[:keep], labels[:keep], fontsize=7, ncol=2, title="T")
    else:
        ax1.text(0.5, 0.5, "no real-axis continuation", ha="center", va="center",
                 transform=ax1.transAxes)
        ax1.set_axis_off()
    if title:
        fig.suptitle(title)
    if path is not None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=120)
    return fig
