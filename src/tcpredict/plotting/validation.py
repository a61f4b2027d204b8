"""Figures of the validation report (docs/validation.md): bulk ratios, film Tc(L) against
measurements, bilayer Cooper limit (matplotlib, Agg backend)."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["plot_bulk", "plot_films", "plot_bilayers"]


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _num(v):
    return math.nan if v is None else float(v)


def plot_bulk(computed: list[dict], comparison: list[dict], correlation, path) -> None:
    """2×2 panels: model Tc against measured Tc, and 2Δ₀/k_BTc, ΔC/γTc, γTc²/H_c(0)² against
    k_BTc/ω_log (computed: circles, filled when μ* was fitted to Tc; measured: red diamonds at
    the measured Tc/ω_log; the Tc/ω_log correlation and the BCS values as lines)."""
    from tcpredict.eliashberg.thermo import BCS_RATIOS
    from tcpredict.units import K_B_MEV_PER_K

    plt = _plt()
    fig, axs = plt.subplots(2, 2, figsize=(11, 8.5), constrained_layout=True)
    ax = axs[0, 0]
    for c in computed:
        if c["tc_K"] is None:
            continue
        fitted = c["mustar_fitted"]
        ax.plot(c["tc_measured_K"], c["tc_K"], "o", ms=6,
                mfc="C0" if fitted else "white", mec="C0" if not c["alpha2f_is_model"] else "C1")
        ax.annotate(c["material"], (c["tc_measured_K"], c["tc_K"]), fontsize=7,
                    xytext=(3, 2), textcoords="offset points")
    lo, hi = 3e-3, 20
    ax.plot([lo, hi], [lo, hi], "k-", lw=0.8, label="model = measured")
    ax.fill_between([lo, hi], [lo / 1.5, hi / 1.5], [lo * 1.5, hi * 1.5], color="0.9",
                    label="±50 %")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel("measured bulk Tc (K)")
    ax.set_ylabel("Eliashberg Tc (K)")
    ax.plot([], [], "o", mfc="C0", mec="C0", label="μ* fitted to Tc (element data)")
    ax.plot([], [], "o", mfc="white", mec="C0", label="μ* = 0.13 default (not fitted)")
    ax.plot([], [], "o", mfc="white", mec="C1", label="α²F from moments (orange edge)")
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title("Tc: model against measurement", fontsize=10)

    wlog = {c["material"]: c["omega_log_meV"] for c in computed}
    tmeas = {c["material"]: c["tc_measured_K"] for c in computed}
    keys = [("two_delta_over_kTc", "2Δ₀/k_BTc", axs[0, 1]),
            ("delta_c_over_gamma_tc", "ΔC/γTc", axs[1, 0]),
            ("gamma_tc2_over_hc02", "γTc²/H_c(0)² (Gaussian units)", axs[1, 1])]
    tgrid = np.linspace(0.002, 0.145, 200)
    for key, label, ax in keys:
        xs = [(_num(c["tc_over_omega_log"]), _num(c[key]), c) for c in computed
              if c[key] is not None]
        for x, y, c in xs:
            ax.plot(x, y, "o", ms=6, mfc="C0" if c["mustar_fitted"] else "white",
                    mec="C0" if not c["alpha2f_is_model"] else "C1")
            ax.annotate(c["material"], (x, y), fontsize=7, xytext=(3, 2),
                        textcoords="offset points")
        first = True
        for m in comparison:
            if m["quantity"] != key:
                continue
            x = K_B_MEV_PER_K * tmeas[m["material"]] / wlog[m["material"]]
            ax.plot(x, m["measured"], "D", color="C3", ms=6,
                    label="measured (data/bulk.csv)" if first else None)
            ax.annotate(m["material"], (x, m["measured"]), fontsize=7, color="C3",
                        xytext=(4, -9), textcoords="offset points")
            first = False
        ax.axhline(BCS_RATIOS[key], color="0.4", ls=":", label=f"BCS {BCS_RATIOS[key]:g}")
        if key == "two_delta_over_kTc":
            ax.plot(tgrid, [correlation(t) for t in tgrid], "-", color="C2",
                    label="3.53[1 + 12.5 t² ln(1/2t)] (Carbotte 1990)")
        ax.set_xlabel("t = k_BTc/ω_log")
        ax.set_ylabel(label)
        ax.set_xlim(0, 0.145)
        ax.legend(fontsize=7)
        ax.set_title(f"{label}: computed (circles) and measured", fontsize=10)
    fig.suptitle("Bulk elements: Eliashberg (tcpredict) against measurement", fontsize=12)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_films(comparison: list[dict], curves: dict, path) -> None:
    """One panel per material: Tc(L) of every rule pair (thin lines; the default pair thick),
    T_BKT(L) of the default pair (dashed black), measured Tc (filled markers; hollow squares:
    values of the authors' fit formula), L_c (dotted). The rule legend is shared below the
    panels; each panel's own legend names its measurements."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    plt = _plt()
    mats = list(curves)
    n = len(mats)
    fig, axs = plt.subplots(1, n, figsize=(5.4 * n, 5.4), squeeze=False)
    handles = {}
    for ax, sym in zip(axs[0], mats):
        for i, ((lr, mr), res) in enumerate(curves[sym].items()):
            L = res.thickness_nm
            order = np.argsort(L)
            tc = np.array([_num(v) for v in res.tc_K])[order]
            default = i == 0
            lab = f"Tc(L), {lr} / {mr}" + (" (default rules)" if default else "")
            (h,) = ax.plot(L[order], tc, "-" if default or i % 2 else "--",
                           lw=2.4 if default else 1.0, color="C0" if default else f"C{i + 1}")
            handles.setdefault(lab, h)
            if res.has_bkt:
                tb = np.array([_num(v) for v in res.tc_bkt_K])[order]
                (h,) = ax.plot(L[order], tb, "--", lw=1.8, color="k")
                handles.setdefault(f"T_BKT(L), {lr} / {mr}, R_□ = ħk_F/(ne²L²) (ℓ = L)", h)
        lc = next(iter(curves[sym].values())).critical_thickness_nm
        ax.axvline(lc, color="0.5", ls=":", lw=1)
        ax.annotate(f"L_c = {lc:.3g} nm", (lc, 0.98), xycoords=("data", "axes fraction"),
                    fontsize=7, ha="left", va="top", xytext=(3, 0), textcoords="offset points")
        seen = set()
        pts = {r["line"]: r for r in comparison if r["material"] == sym}
        for r in pts.values():
            fit = r["kind"] == "published_fit"
            crit = r["tc_criterion"].split("(")[0].strip()
            lab = f"measured Tc: {crit}" if not fit else "authors' fit Tc(d) inside their data"
            ax.plot(r["thickness_nm"], r["tc_measured_K"], "s" if fit else "D", ms=7,
                    color="C6" if "zero resistance" in crit else "C3",
                    mfc="none" if fit else None, label=None if lab in seen else lab)
            seen.add(lab)
        ax.set_xscale("log")
        lo_, hi_ = ax.get_xlim()
        ax.set_xticks([t for t in (0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10, 20, 30, 50, 100)
                       if lo_ <= t <= hi_])
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_ylim(bottom=0)
        ax.set_xlabel("thickness L (nm)")
        ax.set_ylabel("Tc (K)")
        ax.set_title(f"{sym} films", fontsize=10)
        ax.legend(fontsize=7, loc="lower right")
    fig.legend(list(handles.values()), list(handles.keys()), loc="lower center", ncol=3,
               fontsize=8, frameon=False)
    fig.suptitle("Films: Tc(L) of every thickness rule against measurement", fontsize=12)
    fig.tight_layout(rect=(0, 0.14, 1, 0.97))
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_bilayers(comparison: list[dict], curves: dict, path) -> None:
    """Tc of a/b bilayers versus α = d_bN_b/(d_aN_a): the Eliashberg Cooper limit and the BCS
    Cooper-limit formula (lines); the measurement at the free-electron α of its thickness ratio
    (diamond) and at the α that the BCS formula needs (hollow diamond)."""
    plt = _plt()
    n = max(1, len(curves))
    fig, axs = plt.subplots(1, n, figsize=(6.2 * n, 4.6), constrained_layout=True, squeeze=False)
    for ax, ((a, b), cur) in zip(axs[0], curves.items()):
        al = np.array([c["alpha"] for c in cur])
        ax.plot(al, [_num(c["tc_stack_K"]) for c in cur], "-", color="C0",
                label="Eliashberg stack, Cooper limit (element α²F, μ*)")
        ax.plot(al, [_num(c["tc_bcs_cooper_K"]) for c in cur], "--", color="C2",
                label="BCS Cooper limit, measured Tc of the S layer")
        for r in comparison:
            if (r["a"], r["b"]) != (a, b):
                continue
            ax.plot(r["alpha_model"], r["tc_measured_K"], "D", color="C3", ms=8,
                    label=f"measured {r['tc_measured_K']:.3g} K at the free-electron α")
            if r["alpha_needed_bcs"] is not None:
                ax.plot(r["alpha_needed_bcs"], r["tc_measured_K"], "D", color="C3", mfc="none",
                        ms=8, label=f"same Tc at α = {r['alpha_needed_bcs']:.3g} (BCS needs)")
        r0 = next((r for r in comparison if (r["a"], r["b"]) == (a, b)), None)
        if r0 is not None:
            ax.axhline(r0["tc_a_measured_K"], color="0.5", ls=":", lw=1,
                       label=f"{a} bulk, measured {r0['tc_a_measured_K']:g} K")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(1e-3, 1.0)
        ax.set_xlabel(f"α = d_{b}N_{b} / (d_{a}N_{a})")
        ax.set_ylabel("Tc (K)")
        ax.set_title(f"{a}/{b} bilayer (unconfined, Cooper limit)", fontsize=10)
        ax.legend(fontsize=7, loc="lower left")
    fig.suptitle("Bilayers: proximity Tc against measurement", fontsize=12)
    fig.savefig(path, dpi=120)
    plt.close(fig)
