"""``tcpredict film``: Tc versus film thickness for one element (thin layer over
:func:`tcpredict.films.film.film_tc`; confinement.md §6).

Example::

    tcpredict film --element Al --thickness 0.326,1,10,100 --json
    tcpredict film --element Al --thickness 0.2:100:50 --threshold 1.5 --plot al.png
"""

from __future__ import annotations

from pathlib import Path

import typer

from tcpredict.cli.common import UserError, app, parse_thickness_list, print_json, user_errors
from tcpredict.films.film import ROW_KEYS, film_tc

__all__ = ["film"]


@app.command("film")
@user_errors
def film(
    element: str = typer.Option(..., "--element", "-e", help="Element symbol, e.g. Al, Mg, Au."),
    thickness: str = typer.Option(
        ..., "--thickness", "-L",
        help="Thicknesses in nm: a,b,c or START:STOP:N (N log-spaced values)."),
    lambda_rule: str = typer.Option(
        "dos-scaling", "--lambda-rule",
        help="λ(L) rule: dos-scaling, constant, or a table file (thickness_nm lambda mustar)."),
    mustar_rule: str = typer.Option(
        "constant", "--mustar-rule",
        help="μ*(L) rule: constant, morel-anderson, thomas-fermi, or a table file."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object."),
    csv: Path = typer.Option(None, "--csv", help="Write the rows to this CSV file."),
    plot: Path = typer.Option(None, "--plot", help="Write a Tc(L) plot (e.g. FILE.png)."),
    t_min: float = typer.Option(0.05, "--t-min", help="Floor [K]: Tc below it is reported as none."),
    threshold: float = typer.Option(
        None, "--threshold", help="Find the thickness window(s) where Tc ≥ this value [K]."),
    cutoff: float = typer.Option(None, "--cutoff", help="Matsubara cutoff ω_c [meV] (default 10 Ω_max)."),
    energy_dos: bool = typer.Option(
        False, "--energy-dos/--no-energy-dos",
        help="Include the confined energy-dependent DOS ñ(ξ; L) (slower; effect ~ω_c/E_F)."),
    peak: bool = typer.Option(True, "--peak/--no-peak", help="Locate the Tc maximum by optimisation."),
):
    """Tc(L) of a film: λ(L), μ*(L) from thickness rules, Tc from Eliashberg theory."""
    L = parse_thickness_list(thickness)
    if t_min <= 0:
        raise UserError(f"--t-min must be > 0 K, got {t_min}")
    if threshold is not None and threshold < t_min:
        raise UserError(f"--threshold {threshold} K is below the floor --t-min {t_min} K")
    res = film_tc(element, L, lambda_rule=lambda_rule, mustar_rule=mustar_rule,
                  energy_dos=energy_dos, cutoff_meV=cutoff, t_min_K=t_min,
                  threshold_K=threshold, find_peak=peak)
    if csv is not None:
        res.to_dataframe().to_csv(csv, index=False)
    if plot is not None:
        from tcpredict.plotting.films import plot_film

        plot_film(res, plot)
    if json_out:
        out = res.to_dict()
        print_json(out)
        return
    _print_table(res, csv, plot)


def _fmt(v, spec: str) -> str:
    return "—" if v is None else format(v, spec)


def _print_table(res, csv, plot) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    con = Console()
    title = (f"{res.material} film: L_c = {res.critical_thickness_nm:.4g} nm, bulk Tc = "
             f"{_fmt(res.tc_bulk_model_K, '.4g')} K (Eliashberg; measured "
             f"{_fmt(res.tc_measured_K, '.4g')} K); λ rule {res.lambda_rule}, "
             f"μ* rule {res.mustar_rule} (μ* at {res.mustar_at_meV:.4g} meV)")
    tab = Table(title=title)
    heads = {"thickness_nm": "L [nm]", "x": "x = L/L_c", "fermi_energy_eV": "E_F [eV]",
             "dos_ratio": "g(E_F)/g0", "lambda": "λ", "mustar": "μ*", "tc_K": "Tc [K]"}
    for k in ROW_KEYS:
        tab.add_column(escape(heads[k]), justify="right")
    for r in res.rows:
        tab.add_row(f"{r['thickness_nm']:.4g}", f"{r['x']:.4g}", f"{r['fermi_energy_eV']:.4g}",
                    f"{r['dos_ratio']:.5f}", f"{r['lambda']:.4f}", f"{r['mustar']:.4f}",
                    _fmt(r["tc_K"], ".4f") if r["tc_K"] is not None else f"< {res.t_min_K:g}")
    con.print(tab)
    if res.peak is not None:
        where = " (the cusp at L_c)" if res.peak["at_critical_thickness"] else ""
        con.print(f"peak: Tc = {res.peak['tc_K']:.4f} K at L = {res.peak['thickness_nm']:.4g} nm"
                  f"{where}, within the range computed")
    if res.threshold_K is not None:
        if not res.windows:
            con.print(f"window: Tc < {res.threshold_K:g} K at every thickness computed")
        for w in res.windows:
            lo = "below the range" if w["lower_nm"] is None else f"{w['lower_nm']:.4g} nm"
            hi = "beyond the range" if w["upper_nm"] is None else f"{w['upper_nm']:.4g} nm"
            con.print(f"window Tc ≥ {res.threshold_K:g} K: from {lo} to {hi}")
    if res.energy_dos:
        con.print("energy-dependent DOS ñ(ξ; L) included (δμ = 0)")
    if csv is not None:
        con.print(f"rows written to {csv}")
    if plot is not None:
        con.print(f"plot written to {plot}")
