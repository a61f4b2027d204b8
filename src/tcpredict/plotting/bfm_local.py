r"""Figures of the local resonant-pairing models (docs/bfm_local.md §8).

All functions take results computed by :mod:`tcpredict.bfm.ed` (no physics here), draw on the
given Matplotlib ``ax`` (or on a new figure) and return the :class:`~matplotlib.figure.Figure`;
with ``path`` the figure is also written (format from the extension). Figures created here carry
a footnote with the model parameters. :func:`save_local_figures` computes and writes the standard
set of figures.

Energies are plotted in units of ħω0 (values divided by the model's ``omega0``); spectral
functions in 1/ħω0; u = a + a† is dimensionless.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from tcpredict.plotting.bfm_common import finish, new_axes

__all__ = [
    "plot_displacement",
    "plot_spectrum",
    "plot_cluster_levels",
    "plot_spectra_vs_temperature",
    "plot_site_summary",
    "plot_cluster_summary",
    "save_local_figures",
    "model_footnote",
]

logger = logging.getLogger(__name__)


def model_footnote(result) -> str:
    """One-line description of a :class:`~tcpredict.bfm.ed.LocalEDResult`: parameters, switches,
    ensemble, temperature and phonon cutoff (energies in units of ħω0)."""
    p = result.parameters
    w = result.omega0
    if result.model == "site":
        head = (f"site: Δ_B = {p['delta_b_hw0']:g}, g = {p['g_hw0']:g}, μ = {p['mu_hw0']:g}, "
                f"ε_0 = {p['eps0_hw0']:g} ħω0, α = {p['alpha']:.7g}, "
                f"phonon coupling {p['phonon_coupling']}")
    else:
        head = (f"cluster N_M = {p['n_metal']}: t_LM = {p['t_lm_hw0']:g}, t_MM = {p['t_mm_hw0']:g}, "
                f"ε_L = {p['eps_l_hw0']:g}, ε_M = {p['eps_m_hw0']:g}, U_L = {p['u_l_hw0']:g} ħω0, "
                f"α = {p['alpha']:.7g}, phonon coupling {p['phonon_coupling']}, "
                f"N_e = {p['n_electrons']}, S_z = {p['sz']}")
    ens = result.ensemble
    sectors = f"{ens['type']} ensemble"
    if "mu" in ens:
        sectors += f" (μ = {ens['mu'] / w:g} ħω0)"
    return (f"{head}; {sectors}, T = {result.temperature / w:g} ħω0, "
            f"phonon cutoff M = {result.phonon_cutoff}")


def plot_displacement(results, labels=None, ax=None, path=None):
    """Overlay P(u) of several :class:`~tcpredict.bfm.ed.LocalEDResult` (§8); maxima marked.

    Returns the figure (a footnote with the parameters is added when ``ax`` is not given and a
    single result is drawn).
    """
    single = not isinstance(results, (list, tuple))
    results = [results] if single else list(results)
    if not results:
        raise ValueError("results must not be empty")
    labels = list(labels) if labels is not None else [None] * len(results)
    if len(labels) != len(results):
        raise ValueError("labels must have one entry per result")
    fig, (ax,), owned = new_axes(ax)
    for res, lab in zip(results, labels):
        (line,) = ax.plot(res.u_grid, res.p_u, label=lab)
        ax.plot(res.displacement_peaks, res.displacement_peak_heights, "v", color=line.get_color(),
                ms=5)
    ax.set_xlabel("displacement u = a + a† (dimensionless)")
    ax.set_ylabel("P(u) (per unit u)")
    if any(labels):
        ax.legend(fontsize=8)
    return finish(fig, owned, model_footnote(results[0]) if single else None, path)


def _spectrum_curve(spectrum, omega, width, shape):
    """(x in units of ħω0, A in 1/ħω0) of a broadened Lehmann spectrum."""
    w0 = spectrum.omega0
    return np.asarray(omega, dtype=float) / w0, spectrum.broadened(omega, width, shape) * w0


def plot_spectrum(spectrum, omega, width, shape="lorentzian", ax=None, label=None, sticks=False,
                  path=None):
    """Broadened Lehmann spectrum on ``omega`` (optionally with the discrete weights as sticks).

    ``omega`` and ``width`` are in the model's energy unit; the axes show ω − μ in units of ħω0
    and A(ω) in 1/ħω0. Returns the figure.
    """
    fig, (ax,), owned = new_axes(ax)
    x, y = _spectrum_curve(spectrum, omega, width, shape)
    ax.plot(x, y, label=label)
    if sticks:
        w0 = spectrum.omega0
        sel = (spectrum.poles >= np.min(omega)) & (spectrum.poles <= np.max(omega))
        height = (spectrum.weights[sel] / (np.pi * width) if shape == "lorentzian"
                  else spectrum.weights[sel] / (np.sqrt(2 * np.pi) * width)) * w0
        ax.vlines(spectrum.poles[sel] / w0, 0, height, color="0.6", lw=0.8)
    ax.set_xlabel("ω − μ (units of ħω0)")
    ax.set_ylabel(f"A_{spectrum.kind}(ω) (1/ħω0)")
    return finish(fig, owned, None, path)


def plot_cluster_levels(scan: dict, ax=None, alpha_c: float | None = None, path=None):
    """Levels E_n(α) with the avoided crossing and W2(α) on a twin axis (§8).

    Parameters
    ----------
    scan : dict
        Output of :func:`tcpredict.bfm.ed.scan_cluster_alpha` (levels plotted in units of ħω0).
    alpha_c : float, optional
        Resonance coupling to mark.
    """
    fig, (ax,), owned = new_axes(ax)
    a = scan["alpha"]
    w0 = scan.get("omega0", 1.0)
    for n in range(scan["levels"].shape[1]):
        ax.plot(a, scan["levels"][:, n] / w0, color="k", lw=1)
    ax.set_xlabel("phonon coupling α (dimensionless)")
    ax.set_ylabel("E_n (units of ħω0)")
    tw = ax.twinx()
    tw.plot(a, scan["W2"], color="C3", lw=1.5)
    tw.set_ylabel("W2 (bipolaron weight)", color="C3")
    tw.set_ylim(-0.02, 1.02)
    if alpha_c is not None:
        ax.axvline(alpha_c, color="C0", ls=":", lw=1)
    note = f"ground-state levels of the cluster scan, phonon cutoff M = {scan['phonon_cutoff']}"
    return finish(fig, owned, note, path)


def plot_spectra_vs_temperature(spectra_by_t: dict, omega, width, shape="lorentzian", ax=None,
                                path=None):
    """Local electron spectra at several temperatures: three peaks and gap filling (§8).

    Parameters
    ----------
    spectra_by_t : dict of float to LehmannSpectrum
        Electron spectrum per temperature (model energy unit).
    """
    if not spectra_by_t:
        raise ValueError("spectra_by_t must not be empty")
    fig, (ax,), owned = new_axes(ax)
    for t, spec in sorted(spectra_by_t.items()):
        plot_spectrum(spec, omega, width, shape, ax=ax, label=f"T = {t / spec.omega0:g} ħω0")
    ax.legend(fontsize=8)
    note = f"{shape} broadening {width / next(iter(spectra_by_t.values())).omega0:g} ħω0"
    return finish(fig, owned, note, path)


def plot_site_summary(result, spectrum, path=None, width=0.05, shape="lorentzian", ax=None):
    """Two panels for ``tcpredict bfm site --plot``: P(u) and the local electron spectrum.

    ``ax`` may be a pair of Axes; returns the figure (footnote with the parameters when the
    figure is created here).
    """
    fig, (a1, a2), owned = new_axes(ax, figsize=(9.5, 3.8), ncols=2)
    plot_displacement([result], ax=a1)
    a1.set_title("displacement distribution", fontsize=10)
    w0 = result.omega0
    lo, hi = spectrum.poles.min(), spectrum.poles.max()
    omega = np.linspace(max(lo, -6.0 * w0) - 5 * width, min(hi, 6.0 * w0) + 5 * width, 3000)
    plot_spectrum(spectrum, omega, width, shape, ax=a2)
    a2.set_title(f"electron spectrum ({shape}, width {width / w0:g} ħω0)", fontsize=10)
    note = (model_footnote(result) + f"; spectral sum rule residual "
            f"{spectrum.sum_rule['residual']:.1e}")
    return finish(fig, owned, note, path)


def plot_cluster_summary(result, path=None, ax=None):
    """P(u) of a cluster result for ``tcpredict bfm cluster --plot``; returns the figure."""
    fig, (ax,), owned = new_axes(ax, figsize=(6.0, 4.0))
    plot_displacement([result], ax=ax)
    ax.set_title("ligand cluster: displacement distribution", fontsize=10)
    return finish(fig, owned, model_footnote(result), path)


def save_local_figures(outdir) -> list[Path]:
    """Compute and save the §8 figures (levels vs α, P(u) overlays, spectra vs T).

    Returns the written paths. Takes a few seconds.
    """
    from dataclasses import replace

    from tcpredict.bfm.ed import scan_cluster_alpha, site_spectra, solve_cluster, solve_site
    from tcpredict.bfm.local import LigandCluster, PolaronicSite

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    cl = LigandCluster(t_lm=0.25, eps_l=4.0, sz=0)
    scan = scan_cluster_alpha(cl, np.linspace(1.36, 1.47, 111), n_levels=4)
    paths.append(out / "bfm_cluster_levels.png")
    plot_cluster_levels(scan, alpha_c=1.414339, path=paths[-1])

    fig, (a1, a2), owned = new_axes(None, figsize=(10, 4.2), ncols=2)
    alphas = (1.38, 1.41, 1.414339, 1.42, 1.45)
    plot_displacement([solve_cluster(replace(cl, alpha=a)) for a in alphas],
                      [f"α = {a}" for a in alphas], ax=a1)
    a1.set_title("cluster, t_LM = 0.25, ε_L = 4 ħω0", fontsize=10)
    ctrl = LigandCluster(t_lm=1.0, eps_l=0.0, sz=0)
    plot_displacement([solve_cluster(replace(ctrl, alpha=a)) for a in (0.0, 1.0, 1.5)],
                      [f"control α = {a}" for a in (0.0, 1.0, 1.5)], ax=a2)
    a2.set_title("control, t_LM = 1, ε_L = 0 ħω0", fontsize=10)
    paths.append(out / "bfm_cluster_displacement.png")
    finish(fig, owned, "N_M = 4, N_e = 2, S_z = 0, T = 0, ligand_density coupling", paths[-1])

    fig, (a1, a2), owned = new_axes(None, figsize=(10, 4.2), ncols=2)
    atomic = PolaronicSite(delta_b=0.0, g=0.3)
    omega = np.linspace(-0.8, 0.8, 1601)
    specs = {t: site_spectra(atomic, temperature=t, ensemble="grand_canonical",
                             kinds=("electron",))["electron"] for t in (0.02, 0.1, 0.3)}
    plot_spectra_vs_temperature(specs, omega, 0.03, ax=a1)
    a1.set_title("atomic limit (α = 0, Δ_B = μ = 0, g = 0.3 ħω0)", fontsize=10)
    pol = PolaronicSite(delta_b=4.0, g=0.5, alpha=2.0)
    omega = np.linspace(-3.5, 3.5, 3501)
    specs = {t: site_spectra(pol, temperature=t, ensemble="grand_canonical",
                             kinds=("electron",))["electron"] for t in (0.02, 0.1, 0.3)}
    plot_spectra_vs_temperature(specs, omega, 0.03, ax=a2)
    a2.set_title("polaronic site (Δ_B = 4, g = 0.5 ħω0, α = 2)", fontsize=10)
    paths.append(out / "bfm_site_spectra.png")
    finish(fig, owned, "grand-canonical site, μ = 0, Lorentzian broadening 0.03 ħω0",
           paths[-1])

    site_res = [solve_site(PolaronicSite(delta_b=4.0, g=1.0, alpha=a)) for a in (1.5, 1.8, 2.0, 2.2)]
    fig = plot_displacement(site_res, [f"α = {a}" for a in (1.5, 1.8, 2.0, 2.2)])
    fig.axes[0].set_title("site, Δ_B = 4, g = 1 ħω0 (resonance at α = 2)", fontsize=10)
    paths.append(out / "bfm_site_displacement.png")
    finish(fig, True, "canonical block Q = 2, T = 0, μ = ε_0 = 0, pair coupling, phonon cutoff "
           f"M = {max(r.phonon_cutoff for r in site_res)} (largest)", paths[-1])
    for p in paths:
        logger.info("wrote %s", p)
    return paths
