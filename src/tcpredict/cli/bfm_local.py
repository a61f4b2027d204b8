"""``tcpredict bfm site`` and ``tcpredict bfm cluster``: thin CLI over :mod:`tcpredict.bfm.ed`.

Energies in the unit of ``--omega0`` (ħω0 = 1 by default); see docs/bfm_local.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from tcpredict.cli.bfm_app import app
from tcpredict.bfm.ed import ConvergenceError, SumRuleError, site_spectra, solve_cluster, solve_site
from tcpredict.bfm.local import LigandCluster, PolaronicSite

__all__ = ["site", "cluster"]


def _fail(exc: Exception) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(code=1)


def _fmt(x) -> str:
    if isinstance(x, float):
        return f"{x:.6g}"
    if isinstance(x, (list, tuple)):
        return ", ".join(_fmt(v) for v in x)
    if isinstance(x, dict):
        return ", ".join(f"{k} = {_fmt(v)}" for k, v in x.items())
    return str(x)


def _print_table(title: str, rows: dict, unit: str) -> None:
    table = Table(title=title)
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for k, v in rows.items():
        table.add_row(k, _fmt(v))
    table.caption = f"energies in {unit}"
    Console().print(table)


@app.command("site")
def site(
    delta_b: float = typer.Option(..., "--delta-b", help="bare pair level Δ_B [ħω0]"),
    g: float = typer.Option(..., "--g", help="boson–fermion exchange g [ħω0]"),
    alpha: float = typer.Option(0.0, "--alpha", help="phonon coupling α (dimensionless, ≥ 0)"),
    omega0: float = typer.Option(1.0, "--omega0", help="phonon quantum ħω0 (sets the energy unit)"),
    mu: float = typer.Option(0.0, "--mu", help="chemical potential μ [ħω0]"),
    eps0: float = typer.Option(0.0, "--eps0", help="local fermion level ε_0 [ħω0]"),
    phonon_coupling: str = typer.Option("pair", "--phonon-coupling", help="'pair' or 'ligand_density'"),
    temperature: float = typer.Option(0.0, "--temperature", help="T [ħω0]; 0 = ground state"),
    ensemble: str = typer.Option("canonical", "--ensemble", help="'canonical' (block Q) or 'grand_canonical'"),
    charge: int = typer.Option(2, "--charge", help="charge Q of the canonical block (0..4)"),
    phonon_cutoff: Optional[int] = typer.Option(None, "--phonon-cutoff", help="starting oscillator cutoff M"),
    broadening: float = typer.Option(0.05, "--broadening", help="spectral width η or σ [ħω0] (plot)"),
    shape: str = typer.Option("lorentzian", "--broadening-shape", help="'lorentzian' or 'gaussian'"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
    plot: Optional[Path] = typer.Option(None, "--plot", help="write P(u) and A(ω) to this PNG"),
) -> None:
    """Exact diagonalization of the polaronic boson–fermion site (resonant_pairing.md §1.2)."""
    try:
        model = PolaronicSite(delta_b=delta_b, g=g, alpha=alpha, omega0=omega0, mu=mu, eps0=eps0,
                              phonon_coupling=phonon_coupling)
        res = solve_site(model, temperature=temperature, ensemble=ensemble, charge=charge,
                         phonon_cutoff=phonon_cutoff)
        spec = None
        if plot is not None:
            if not (broadening > 0):
                raise ValueError(f"--broadening must be > 0, got {broadening}")
            if shape not in ("lorentzian", "gaussian"):
                raise ValueError(f"--broadening-shape must be 'lorentzian' or 'gaussian', got {shape!r}")
            spec = site_spectra(model, temperature=temperature, ensemble=ensemble, charge=charge,
                                kinds=("electron",), phonon_cutoff=res.phonon_cutoff)["electron"]
    except (ValueError, ConvergenceError, SumRuleError) as exc:
        _fail(exc)
    d = res.to_dict()
    if plot is not None:
        from tcpredict.plotting.bfm_local import plot_site_summary

        plot_site_summary(res, spec, plot, width=broadening, shape=shape)
        d["plot"] = str(plot)
        d["electron_sum_rule"] = spec.sum_rule
    if as_json:
        typer.echo(json.dumps(d, indent=2, ensure_ascii=False))
        return
    _print_table(
        "polaronic BFM site",
        {
            "ground_energy": d["ground_energy"],
            "excitation_gap": d["excitation_gap"],
            "weight_fermion_pair": d["weight_fermion_pair"],
            "weight_boson": d["weight_boson"],
            "pair_correlation": d["pair_correlation"],
            "displacement_peaks": d["displacement_peaks"],
            "bimodal": d["bimodal"],
            "u_mean": d["u_mean"],
            "phonon_cutoff": d["phonon_cutoff"],
            "ensemble": f"{ensemble}, T = {temperature:g}",
        },
        d["energy_unit"],
    )


@app.command("cluster")
def cluster(
    metal_sites: int = typer.Option(4, "--metal-sites", help="number of metal sites N_M (2 or 4)"),
    t_lm: float = typer.Option(0.25, "--t-lm", help="ligand–metal hopping t_LM [ħω0]"),
    t_mm: float = typer.Option(0.0, "--t-mm", help="metal–metal hopping t_MM [ħω0]"),
    eps_l: float = typer.Option(4.0, "--eps-l", help="ligand level ε_L [ħω0]"),
    eps_m: float = typer.Option(0.0, "--eps-m", help="metal level ε_M [ħω0]"),
    u_l: float = typer.Option(0.0, "--u-l", help="ligand repulsion U_L [ħω0]"),
    alpha: float = typer.Option(0.0, "--alpha", help="phonon coupling α (dimensionless, ≥ 0)"),
    omega0: float = typer.Option(1.0, "--omega0", help="phonon quantum ħω0 (sets the energy unit)"),
    phonon_coupling: str = typer.Option("ligand_density", "--phonon-coupling",
                                        help="'ligand_density' or 'pair'"),
    electrons: int = typer.Option(2, "--electrons", help="electron number N_e"),
    sz: str = typer.Option("0", "--sz", help="S_z of the canonical block, or 'all'"),
    temperature: float = typer.Option(0.0, "--temperature", help="T [ħω0]; 0 = ground state"),
    ensemble: str = typer.Option("canonical", "--ensemble", help="'canonical' or 'grand_canonical'"),
    mu: float = typer.Option(0.0, "--mu", help="μ for the grand-canonical ensemble [ħω0]"),
    phonon_cutoff: Optional[int] = typer.Option(None, "--phonon-cutoff", help="starting oscillator cutoff M"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
    plot: Optional[Path] = typer.Option(None, "--plot", help="write P(u) to this PNG"),
) -> None:
    """Exact diagonalization of the ligand cluster L + N_M metal sites (resonant_pairing.md §1.3)."""
    try:
        if sz == "all":
            sz_val: float | str = "all"
        else:
            try:
                sz_val = float(sz)
            except ValueError:
                raise ValueError(f"--sz must be a number or 'all', got {sz!r}") from None
        model = LigandCluster(n_metal=metal_sites, t_lm=t_lm, t_mm=t_mm, eps_l=eps_l, eps_m=eps_m,
                              u_l=u_l, alpha=alpha, omega0=omega0, phonon_coupling=phonon_coupling,
                              n_electrons=electrons, sz=sz_val)
        res = solve_cluster(model, temperature=temperature, ensemble=ensemble, mu=mu,
                            phonon_cutoff=phonon_cutoff)
    except (ValueError, ConvergenceError, SumRuleError) as exc:
        _fail(exc)
    d = res.to_dict()
    if plot is not None:
        from tcpredict.plotting.bfm_local import plot_cluster_summary

        plot_cluster_summary(res, plot)
        d["plot"] = str(plot)
    if as_json:
        typer.echo(json.dumps(d, indent=2, ensure_ascii=False))
        return
    _print_table(
        f"ligand cluster (N_M = {metal_sites})",
        {
            "ground_energy": d["ground_energy"],
            "excitation_gap": d["excitation_gap"],
            "weights": d["weights"],
            "displacement_peaks": d["displacement_peaks"],
            "bimodal": d["bimodal"],
            "pair_correlation": d["pair_correlation"],
            "u_mean": d["u_mean"],
            "phonon_cutoff": d["phonon_cutoff"],
            "ensemble": f"{ensemble}, T = {temperature:g}",
        },
        d["energy_unit"],
    )
