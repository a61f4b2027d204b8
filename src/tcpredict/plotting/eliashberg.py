"""Figures for the core Eliashberg results (matplotlib, Agg backend; I/O at the edge)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

__all__ = ["plot_thermo", "plot_gap_sweep"]


def plot_thermo(th, path, title: str = "") -> Path:
    """ΔF(T)/N(0) [meV²], ΔC(T)/γTc and B_c(T) [T] (if N(0) known) versus T/Tc."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    t = th.temperatures_K / th.tc_K
    ncol = 3 if th.hc_T is not None else 2
    fig, ax = plt.subplots(1, ncol, figsize=(4.2 * ncol, 3.6), constrained_layout=True)
    ax[0].plot(t, th.delta_f_per_n0_meV2, "o-", ms=3)
    ax[0].set(xlabel="T / Tc", ylabel="ΔF / N(0)  [meV²]", title="Bardeen–Stephen free energy")
    ax[1].plot(t, th.delta_c_over_gamma_tc_curve, "o-", ms=3)
    ax[1].axhline(th.delta_c_over_gamma_tc, color="C3", ls="--",
                  label=f"jump ΔC/γTc = {th.delta_c_over_gamma_tc:.3g} (BCS 1.43)")
    ax[1].set(xlabel="T / Tc", ylabel="ΔC / γTc", title="specific-heat difference")
    ax[1].legend(fontsize=8)
    if th.hc_T is not None:
        ax[2].plot(t, th.hc_T * 1e3, "o-", ms=3)
        ax[2].set(xlabel="T / Tc", ylabel="B_c = μ₀H_c  [mT]", title="thermodynamic critical field")
    if title:
        fig.suptitle(f"{title}  (Tc = {th.tc_K:.4g} K)")
    fig.savefig(path, dpi=120)
    plt.close(fig)
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
