"""``tcpredict bfm site`` and ``tcpredict bfm cluster``: thin CLI over :mod:`tcpredict.bfm.ed`.

Energies are given in units of ħω0 (with ``--omega0`` ≠ 1: in the unit in which ``--omega0`` is
given) and reported in units of ħω0 (keys ``*_hw0``); see docs/bfm_local.md §2 and §7.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Optional

import typer

from tcpredict.cli.common import out_console
from tcpredict.cli.bfm_app import (
    PLOT_SUFFIXES,
    QUIET_HELP,
    BfmCommand,
    app,
    bfm_errors,
    check_output_path,
    emit_json,
)

__all__ = ["site", "cluster"]

#: Accepted spectral broadening of ``bfm site --plot``: [BROADENING_MIN, BROADENING_MAX] ħω0.
BROADENING_MIN_HW0, BROADENING_MAX_HW0 = 1e-4, 10.0

_OMEGA0_HELP = ("Phonon quantum ħω0 (units of ħω0; the default 1 makes every energy option read "
                "in units of ħω0, any other value, e.g. 50, puts them all, this one included, in "
                "one common unit such as meV).")
_T_HELP = "Temperature T (units of ħω0); 0 = ground state (degenerate manifold averaged)."
_CUTOFF_HELP = "Starting oscillator cutoff M (integer, dimensionless); default λ² + 6λ + 10."
_MAX_CUTOFF_HELP = "Largest oscillator cutoff M of the convergence loop (integer, dimensionless)."


def _fmt(x) -> str:
    if isinstance(x, float):
        return f"{x:.6g}"
    if x is None:
        return "none"
    if isinstance(x, (list, tuple)):
        return ", ".join(_fmt(v) for v in x)
    if isinstance(x, dict):
        return ", ".join(f"{k} = {_fmt(v)}" for k, v in x.items())
    return str(x)


def _print_table(title: str, rows: dict) -> None:
    from rich.table import Table

    table = Table(title=title)
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for k, v in rows.items():
        table.add_row(k, _fmt(v))
    out_console().print(table)


def _parse_sz(sz: str):
    text = (sz or "").strip()
    if text.lower() == "all":
        return "all"
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"--sz must be a number or 'all', got {sz!r}") from None


@app.command("site", cls=BfmCommand)
@bfm_errors
def site(
    delta_b: float = typer.Option(..., "--delta-b", help="Bare pair level Δ_B (units of ħω0)."),
    g: float = typer.Option(..., "--g", help="Boson–fermion exchange g (units of ħω0)."),
    alpha: float = typer.Option(0.0, "--alpha", help="Phonon coupling α ≥ 0 (dimensionless)."),
    omega0: float = typer.Option(1.0, "--omega0", help=_OMEGA0_HELP),
    mu: float = typer.Option(0.0, "--mu", help="Chemical potential μ inside H_site (units of ħω0)."),
    eps0: float = typer.Option(0.0, "--eps0", help="Local fermion level ε_0 (units of ħω0)."),
    phonon_coupling: str = typer.Option("pair", "--phonon-coupling",
                                        help="Operator coupled to u: pair (n_B) or ligand_density (2n_B)."),
    temperature: float = typer.Option(0.0, "--temperature", help=_T_HELP),
    ensemble: str = typer.Option("canonical", "--ensemble",
                                 help="canonical (block of charge --charge) or grand_canonical."),
    charge: int = typer.Option(2, "--charge", help="Charge Q of the canonical block, 0–4 (dimensionless)."),
    phonon_cutoff: Optional[int] = typer.Option(None, "--phonon-cutoff", help=_CUTOFF_HELP),
    max_cutoff: int = typer.Option(400, "--max-cutoff", help=_MAX_CUTOFF_HELP),
    broadening: float = typer.Option(0.05, "--broadening",
                                     help="Spectral width η (Lorentzian) or σ (Gaussian) of the "
                                          "--plot spectrum (units of ħω0)."),
    shape: str = typer.Option("lorentzian", "--broadening-shape", help="lorentzian or gaussian."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    plot: Optional[Path] = typer.Option(None, "--plot",
                                        help="Write P(u) and A(ω) to this figure (.png, .pdf, .svg)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help=QUIET_HELP),
) -> None:
    """Exact diagonalization of the polaronic boson–fermion site (docs/bfm_local.md §3.1, §4).

    Energies in units of ħω0 (or of the unit of --omega0 when it is not 1); output in units of
    ħω0 (keys *_hw0). Exit codes: 0 result, 2 bad input, 3 numerical failure.
    """
    from tcpredict.bfm.ed import site_spectra, solve_site
    from tcpredict.bfm.local import PolaronicSite

    model = PolaronicSite(delta_b=delta_b, g=g, alpha=alpha, omega0=omega0, mu=mu, eps0=eps0,
                          phonon_coupling=phonon_coupling)
    width = broadening / model.omega0 if math.isfinite(broadening) else broadening
    if not BROADENING_MIN_HW0 <= width <= BROADENING_MAX_HW0:
        raise ValueError(f"--broadening must lie in [{BROADENING_MIN_HW0:g}, "
                         f"{BROADENING_MAX_HW0:g}] ħω0, got {broadening:g}")
    if shape not in ("lorentzian", "gaussian"):
        raise ValueError(f"--broadening-shape must be lorentzian or gaussian, got {shape!r}")
    plot = check_output_path(plot, "--plot", PLOT_SUFFIXES)
    params = {**model.to_dict(), "temperature_hw0": temperature / model.omega0,
              "ensemble": ensemble, "charge": charge, "phonon_cutoff_start": phonon_cutoff,
              "max_cutoff": max_cutoff, "broadening_hw0": broadening / model.omega0,
              "broadening_shape": shape, "plot": plot}
    res = solve_site(model, temperature=temperature, ensemble=ensemble, charge=charge,
                     phonon_cutoff=phonon_cutoff, max_cutoff=max_cutoff)
    d = res.to_dict()
    if plot is not None:
        from tcpredict.plotting.bfm_local import plot_site_summary

        spec = site_spectra(model, temperature=temperature, ensemble=ensemble, charge=charge,
                            kinds=("electron",), phonon_cutoff=res.phonon_cutoff)["electron"]
        plot_site_summary(res, spec, path=plot, width=broadening, shape=shape)
        d["plot"] = str(plot)
        d["electron_sum_rule"] = spec.sum_rule
        if not quiet:
            typer.echo(f"wrote {plot}", err=True)
    if as_json:
        emit_json(d, params)
        return
    _print_table("polaronic BFM site (units of ħω0)", {
        "ground_energy_hw0": d["ground_energy_hw0"],
        "excitation_gap_hw0": d["excitation_gap_hw0"],
        "weight_fermion_pair": d["weight_fermion_pair"],
        "weight_boson": d["weight_boson"],
        "pair_correlation": d["pair_correlation"],
        "displacement_peaks": d["displacement_peaks"],
        "bimodal": d["bimodal"],
        "u_mean": d["u_mean"],
        "phonon_cutoff": d["phonon_cutoff"],
        "ensemble": f"{ensemble}, T = {d['temperature_hw0']:g} ħω0",
    })


@app.command("cluster", cls=BfmCommand)
@bfm_errors
def cluster(
    metal_sites: int = typer.Option(4, "--metal-sites",
                                    help="Number of metal sites N_M, 2 or 4 (dimensionless)."),
    t_lm: float = typer.Option(0.25, "--t-lm", help="Ligand–metal hopping t_LM (units of ħω0)."),
    t_mm: float = typer.Option(0.0, "--t-mm", help="Metal–metal hopping t_MM (units of ħω0)."),
    eps_l: float = typer.Option(4.0, "--eps-l", help="Ligand level ε_L (units of ħω0)."),
    eps_m: float = typer.Option(0.0, "--eps-m", help="Metal level ε_M (units of ħω0)."),
    u_l: float = typer.Option(0.0, "--u-l", help="Ligand repulsion U_L ≥ 0 (units of ħω0)."),
    alpha: float = typer.Option(0.0, "--alpha", help="Phonon coupling α ≥ 0 (dimensionless)."),
    omega0: float = typer.Option(1.0, "--omega0", help=_OMEGA0_HELP),
    phonon_coupling: str = typer.Option("ligand_density", "--phonon-coupling",
                                        help="Operator coupled to u: ligand_density (n_L) or pair (n_L↑n_L↓)."),
    electrons: int = typer.Option(2, "--electrons",
                                  help="Electron number N_e, 0 to 2(N_M + 1) (dimensionless)."),
    sz: str = typer.Option("all", "--sz",
                           help="S_z sector (dimensionless), or all (default: every S_z at N_e, "
                                "the physical canonical ensemble)."),
    temperature: float = typer.Option(0.0, "--temperature", help=_T_HELP),
    ensemble: str = typer.Option("canonical", "--ensemble", help="canonical or grand_canonical."),
    mu: float = typer.Option(0.0, "--mu", help="Chemical potential μ of the grand-canonical "
                                               "ensemble (units of ħω0)."),
    phonon_cutoff: Optional[int] = typer.Option(None, "--phonon-cutoff", help=_CUTOFF_HELP),
    max_cutoff: int = typer.Option(400, "--max-cutoff", help=_MAX_CUTOFF_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    plot: Optional[Path] = typer.Option(None, "--plot",
                                        help="Write P(u) to this figure (.png, .pdf, .svg)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help=QUIET_HELP),
) -> None:
    """Exact diagonalization of the ligand cluster L + N_M metal sites (docs/bfm_local.md §3.2, §4).

    The canonical ensemble includes every S_z sector of N_e unless --sz picks one. Energies in
    units of ħω0; output in units of ħω0 (keys *_hw0). Exit codes: 0, 2 bad input, 3 numerical.
    """
    from tcpredict.bfm.ed import solve_cluster
    from tcpredict.bfm.local import LigandCluster

    model = LigandCluster(n_metal=metal_sites, t_lm=t_lm, t_mm=t_mm, eps_l=eps_l, eps_m=eps_m,
                          u_l=u_l, alpha=alpha, omega0=omega0, phonon_coupling=phonon_coupling,
                          n_electrons=electrons, sz=_parse_sz(sz))
    plot = check_output_path(plot, "--plot", PLOT_SUFFIXES)
    params = {**model.to_dict(), "temperature_hw0": temperature / model.omega0,
              "ensemble": ensemble, "mu_hw0": mu / model.omega0,
              "phonon_cutoff_start": phonon_cutoff, "max_cutoff": max_cutoff, "plot": plot}
    res = solve_cluster(model, temperature=temperature, ensemble=ensemble, mu=mu,
                        phonon_cutoff=phonon_cutoff, max_cutoff=max_cutoff)
    d = res.to_dict()
    if plot is not None:
        from tcpredict.plotting.bfm_local import plot_cluster_summary

        plot_cluster_summary(res, path=plot)
        d["plot"] = str(plot)
        if not quiet:
            typer.echo(f"wrote {plot}", err=True)
    if as_json:
        emit_json(d, params)
        return
    sectors = "all S_z" if model.sz == "all" else f"S_z = {model.sz:g}"
    _print_table(f"ligand cluster, N_M = {metal_sites} (units of ħω0)", {
        "ground_energy_hw0": d["ground_energy_hw0"],
        "excitation_gap_hw0": d["excitation_gap_hw0"],
        "weights": d["weights"],
        "displacement_peaks": d["displacement_peaks"],
        "bimodal": d["bimodal"],
        "pair_correlation": d["pair_correlation"],
        "u_mean": d["u_mean"],
        "phonon_cutoff": d["phonon_cutoff"],
        "ensemble": (f"{ensemble}, T = {d['temperature_hw0']:g} ħω0"
                     + (f", N_e = {electrons}, {sectors}" if ensemble == "canonical" else "")),
    })
