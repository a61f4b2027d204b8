"""Figures for the lattice boson–fermion model (docs/bfm_lattice.md §8).

Every function draws on the given Matplotlib ``ax`` (or on a new figure, then with a footnote
listing the model switches) and returns the :class:`~matplotlib.figure.Figure`; with ``path``
the figure is also written (format from the extension). Energies in units of the bandwidth D.
"""

from __future__ import annotations

import math

import numpy as np

from tcpredict.bfm.lattice import LatticeBFM, solve_meanfield
from tcpredict.plotting.bfm_common import finish, new_axes

__all__ = ["plot_spectrum", "plot_pseudogap_filling", "plot_phase_diagram",
           "plot_bkt_construction", "switches_footnote"]


def switches_footnote(m: dict) -> str:
    """Model parameters and switches of a ``LatticeBFM.to_dict()`` as one line."""
    pol = (f"polaron on (α = {m['alpha']:g}, ħω0 = {m['omega0_D']:g} D)"
           if m["polaron_renormalized"] else "polaron off")
    return (f"g = {m['g_D']:g} D, Δ_B = {m['delta_b_D']:g} D, n_tot = {m['n_tot']:g}; "
            f"band {m['band']}, bosons {m['bosons']}, grid L = {m['grid_size']}, {pol}")


def plot_spectrum(spectra, path=None, window_D: float = 0.4, ax=None):
    """ρ_F(ω) of one or several :class:`FermionSpectrum` (e.g. a T series) with the bare DOS."""
    if not isinstance(spectra, (list, tuple)):
        spectra = [spectra]
    if not spectra:
        raise ValueError("spectra must not be empty")
    fig, (ax,), owned = new_axes(ax)
    sp0 = spectra[0]
    mask = np.abs(sp0.omega_D) <= window_D
    ax.plot(sp0.omega_D[mask], sp0.dos_bare_per_D[mask], "k:", lw=1, label="bare ρ₀")
    import matplotlib

    cmap = matplotlib.colormaps["plasma"]  # dark (cold) to yellow-orange (hot), all visible
    for i, sp in enumerate(spectra):
        mk = np.abs(sp.omega_D) <= window_D
        c = cmap(0.8 * i / max(1, len(spectra) - 1))
        ax.plot(sp.omega_D[mk], sp.dos_per_D[mk], color=c,
                label=f"T = {sp.temperature_D:.3g} D, depth {sp.pseudogap_depth:.2f}"
                      + ("" if sp.converged else " (NOT converged)"))
    ax.set_xlabel("ω − μ (units of D)")
    ax.set_ylabel("ρ_F(ω) per spin (1/D)")
    ax.set_title(f"dressed local DOS ({sp0.order}, {sp0.boson_dressing} bosons)", fontsize=10)
    ax.legend(fontsize=7)
    note = (switches_footnote(sp0.model) + f"; η = {sp0.eta_D:g} D, frequency step "
            f"{sp0.step_D:.2g} D")
    return finish(fig, owned, note, path)


def plot_pseudogap_filling(model: LatticeBFM, temperatures_D, path=None, ax=None, **kw):
    """Pseudogap filling with T (docs/bfm_lattice.md §8): ρ_F(ω) for several T."""
    from tcpredict.bfm.fluctuations import fermion_spectrum

    spectra = [fermion_spectrum(model, float(T), **kw) for T in temperatures_D]
    return plot_spectrum(spectra, path=path, ax=ax)


def plot_phase_diagram(pdg, path=None, ax=None):
    """T*_MF and Tc vs g or n_tot; the band between them is the pseudogap window (§8)."""
    fig, (ax,), owned = new_axes(ax)
    x = np.array(pdg.values)
    ts = np.array([r.t_star_D for r in pdg.results])
    tc = np.array([r.tc_D for r in pdg.results])
    ax.plot(x, ts, "o-", label="T*_MF (pair amplitude)")
    ax.plot(x, tc, "s-", label=f"Tc ({pdg.results[0].criterion}, stiffness)")
    ax.fill_between(x, tc, ts, color="0.85", label="pseudogap window")
    phase = np.array([r.controlled_by == "phase" for r in pdg.results])
    if phase.any():
        ax.plot(x[phase], tc[phase], "k*", ms=9, label="phase-controlled")
    ax.set_xlabel("g (units of D)" if pdg.scan_variable == "g_D" else "n_tot (dimensionless)")
    ax.set_ylabel("T (units of D)")
    ax.legend(fontsize=8)
    m = dict(pdg.results[0].model)
    note = switches_footnote(m).split("; ", 1)[1]
    fixed = (f"n_tot = {m['n_tot']:g}" if pdg.scan_variable == "g_D" else f"g = {m['g_D']:g} D")
    note = (f"{fixed}, Δ_B = {m['delta_b_D']:g} D; {note}. Mean-field T* is a pair-formation "
            "scale, not a 2D transition temperature.")
    return finish(fig, owned, note, path)


def plot_bkt_construction(model: LatticeBFM, tc_result, path=None, n_points: int = 40, ax=None):
    """J(T) = D_s(T)/4 with the BKT line 2T/π; Tc where they cross (§8)."""
    from tcpredict.bfm.stiffness import stiffness_at

    if not 2 <= int(n_points) <= 1000:
        raise ValueError(f"n_points must lie in [2, 1000], got {n_points!r}")
    ts = tc_result.t_star_D
    T = np.linspace(0.0, 1.1 * ts, int(n_points)) if ts > 0 else np.linspace(0, 0.01, int(n_points))
    J = []
    for t in T:
        st = solve_meanfield(model, float(t))
        J.append(stiffness_at(model, st).stiffness_D / 4 if st.gap_D > 0 else 0.0)
    fig, (ax,), owned = new_axes(ax)
    ax.plot(T, J, "-", label="J(T) = D_s/4")
    ax.plot(T, 2 * T / math.pi, "--", label="2T/π")
    ax.axvline(tc_result.tc_D, color="g", lw=0.8, label=f"Tc = {tc_result.tc_D:.4g} D")
    ax.axvline(ts, color="r", lw=0.8, label=f"T* = {ts:.4g} D")
    ax.set_xlabel("T (units of D)")
    ax.set_ylabel("phase stiffness J (units of D)")
    ax.legend(fontsize=8)
    return finish(fig, owned, switches_footnote(model.to_dict()), path)
