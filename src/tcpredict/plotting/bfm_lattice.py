"""Figures for the lattice boson–fermion model (spec §5 items 3–5). Agg backend, files only."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from tcpredict.bfm.lattice import LatticeBFM, solve_meanfield  # noqa: E402

__all__ = ["plot_spectrum", "plot_pseudogap_filling", "plot_phase_diagram", "plot_bkt_construction"]


def _switches(m: dict) -> str:
    return (f"band={m['band']}, bosons={m['bosons']}, L={m['grid_size']}, "
            f"polaron={'on' if m['polaron_renormalized'] else 'off'}")


def plot_spectrum(spectra, path: str, window_D: float = 0.4) -> str:
    """ρ_F(ω) of one or several :class:`FermionSpectrum` (e.g. a T series) with the bare DOS."""
    fig, ax = plt.subplots(figsize=(6, 4))
    sp0 = spectra[0]
    mask = np.abs(sp0.omega_D) <= window_D
    ax.plot(sp0.omega_D[mask], sp0.dos_bare_per_D[mask], "k:", lw=1, label="bare ρ₀")
    cmap = plt.get_cmap("coolwarm")
    for i, sp in enumerate(spectra):
        mk = np.abs(sp.omega_D) <= window_D
        c = cmap(i / max(1, len(spectra) - 1))
        ax.plot(sp.omega_D[mk], sp.dos_per_D[mk], color=c,
                label=f"T={sp.temperature_D:.3g}, depth={sp.pseudogap_depth:.2f}")
    m = sp0.model
    ax.set_xlabel("ω − μ [D]")
    ax.set_ylabel("ρ_F(ω) per spin [1/D]")
    ax.set_title(f"g={m['g_D']}, Δ_B={m['delta_b_D']}, n_tot={m['n_tot']} "
                 f"({sp0.order}, {sp0.boson_dressing})", fontsize=9)
    ax.legend(fontsize=7)
    fig.text(0.01, 0.01, _switches(m), fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_pseudogap_filling(model: LatticeBFM, temperatures_D, path: str, **kw) -> str:
    """Pseudogap filling with T (spec §5 item 3): ρ_F(ω) for several T."""
    from tcpredict.bfm.fluctuations import fermion_spectrum

    spectra = [fermion_spectrum(model, float(T), **kw) for T in temperatures_D]
    return plot_spectrum(spectra, path)


def plot_phase_diagram(pdg, path: str) -> str:
    """T*_MF and Tc vs g or n_tot; the band between them is the pseudogap window (spec §5 item 4)."""
    x = np.array(pdg.values)
    ts = np.array([r.t_star_D for r in pdg.results])
    tc = np.array([r.tc_D for r in pdg.results])
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(x, ts, "o-", label="T*_MF (pair amplitude)")
    ax.plot(x, tc, "s-", label=f"Tc ({pdg.results[0].criterion}, stiffness)")
    ax.fill_between(x, tc, ts, color="0.85", label="pseudogap window")
    phase = np.array([r.controlled_by == "phase" for r in pdg.results])
    if phase.any():
        ax.plot(x[phase], tc[phase], "k*", ms=9, label="phase-controlled")
    ax.set_xlabel("g [D]" if pdg.scan_variable == "g_D" else "n_tot")
    ax.set_ylabel("T [D]")
    ax.legend(fontsize=8)
    fig.text(0.01, 0.01, _switches(pdg.results[0].model) + "; mean-field T* is not a 2D transition",
             fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_bkt_construction(model: LatticeBFM, tc_result, path: str, n_points: int = 40) -> str:
    """J(T) = D_s(T)/4 with the BKT line 2T/π; Tc where they cross (spec §5 item 5)."""
    from tcpredict.bfm.stiffness import stiffness_at

    ts = tc_result.t_star_D
    T = np.linspace(0.0, 1.1 * ts, n_points) if ts > 0 else np.linspace(0, 0.01, n_points)
    J = []
    for t in T:
        st = solve_meanfield(model, float(t))
        J.append(stiffness_at(model, st).stiffness_D / 4 if st.gap_D > 0 else 0.0)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(T, J, "-", label="J(T) = D_s/4")
    ax.plot(T, 2 * T / math.pi, "--", label="2T/π")
    ax.axvline(tc_result.tc_D, color="g", lw=0.8, label=f"Tc = {tc_result.tc_D:.4g}")
    ax.axvline(ts, color="r", lw=0.8, label=f"T* = {ts:.4g}")
    ax.set_xlabel("T [D]")
    ax.set_ylabel("J [D]")
    ax.legend(fontsize=8)
    fig.text(0.01, 0.01, _switches(model.to_dict()), fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
