"""Figures for the core Eliashberg results (matplotlib, Agg backend; I/O at the edge)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

__all__ = ["plot_thermo"]


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
