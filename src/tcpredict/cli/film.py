"""``tcpredict film``: Tc versus film thickness for one element (thin layer over
:func:`tcpredict.films.film.film_tc`; docs/confinement.md §6).

Example::

    tcpredict film --element Al --thickness 0.326,1,10,100 --json
    tcpredict film --element Al --thickness 0.2:100:50 --threshold 1.5 --plot al.png
    tcpredict film --element Al --thickness 0.2:100:30 --resistivity 1 --plot al_bkt.png
    tcpredict film --element Mg --thickness lin:0.3:3:28 --out mg.csv
"""

from __future__ import annotations

from pathlib import Path

import typer

from tcpredict.cli.common import out_console
from tcpredict.cli.common import (FIGURE_FORMATS, GRID_FORMATS, QuietOpt, UserError, app,
                                  exit_if_unconverged, output_format, progress_bar,
                                  parse_thickness_list, print_json, user_errors, write_table)
from tcpredict.cli.uncertainty_opts import (SamplesOpt, SeedOpt, UncertaintyOpt,
                                            uncertainty_spec)
from tcpredict.provenance import stamp
from tcpredict.films.film import ROW_KEYS, film_tc

__all__ = ["film"]


@app.command("film")
@user_errors
def film(
    element: str = typer.Option(..., "--element", "-e", help="Element symbol, e.g. Al, Mg, Au."),
    thickness: str = typer.Option(
        ..., "--thickness", "-L",
        help="Thicknesses (nm): list a,b,c or log:START:STOP:N / lin:START:STOP:N (bare "
             "START:STOP:N is log-spaced)."),
    lambda_rule: str = typer.Option(
        "dos-scaling", "--lambda-rule",
        help="λ(L) rule: dos-scaling, constant, or a table file (thickness_nm lambda mustar; "
             "docs/confinement.md §5)."),
    mustar_rule: str = typer.Option(
        "constant", "--mustar-rule",
        help="μ*(L) rule: constant, morel-anderson, thomas-fermi, or a table file "
             "(docs/confinement.md §5)."),
    json_out: bool = typer.Option(False, "--json",
                                  help="Print one JSON object (keys: docs/glossary.md)."),
    out: Path = typer.Option(
        None, "--out", help="Write the rows with their provenance; the format follows the "
        "extension: .csv (commented header), .json, .parquet or .nc (xarray)."),
    plot: Path = typer.Option(None, "--plot", help="Write a Tc(L) figure; the format follows "
                              "the extension: .png, .pdf or .svg."),
    t_min: float = typer.Option(0.05, "--t-min",
                                help="Floor (K): Tc below it is reported as none."),
    threshold: float = typer.Option(
        None, "--threshold", help="Find the thickness window(s) where Tc ≥ this value (K); "
        "with --uncertainty also p_superconducting = P(Tc ≥ this value) per thickness."),
    cutoff: float = typer.Option(None, "--cutoff", help="Matsubara cutoff ω_c (meV; default "
                                 "10 Ω_max, docs/eliashberg.md §2.2)."),
    energy_dos: bool = typer.Option(
        False, "--energy-dos/--no-energy-dos",
        help="Include the confined energy-dependent DOS ñ(ξ; L) (slower; effect ~ω_c/E_F)."),
    peak: bool = typer.Option(True, "--peak/--no-peak", help="Locate the Tc maximum by optimisation."),
    sheet_resistance: str = typer.Option(
        None, "--sheet-resistance",
        help="Normal-state sheet resistance: a number (Ω, the same at every thickness) or a "
        "table file with columns thickness_nm sheet_resistance_ohm. Adds Tc_BKT(L) and the "
        "stiffness (docs/stiffness.md §7)."),
    resistivity: float = typer.Option(
        None, "--resistivity",
        help="Bulk residual resistivity ρ_bulk (µΩ·cm): R_□(L) = ρ(L)/L with the "
        "Fuchs–Sondheimer surface-scattering size effect. Adds Tc_BKT(L)."),
    mean_free_path: float = typer.Option(
        None, "--mean-free-path",
        help="Bulk mean free path ℓ (nm) for --resistivity (default: free-electron Drude "
        "ℓ = ħk_F/(ne²ρ) from the element's electron density)."),
    specularity: float = typer.Option(
        0.0, "--specularity",
        help="Fraction p of specular surface reflection in Fuchs–Sondheimer, 0 ≤ p < 1 "
        "(dimensionless; default 0, diffuse)."),
    vortex_dielectric: float = typer.Option(
        1.0, "--vortex-dielectric",
        help="Vortex dielectric constant ε_v ≥ 1 of k_BT = (π/2)J_s/ε_v (dimensionless; "
        "default 1, unrenormalised)."),
    uncertainty: bool = UncertaintyOpt,
    samples: int = SamplesOpt,
    seed: int = SeedOpt,
    quiet: bool = QuietOpt,
):
    """Tc(L) of a film: λ(L), μ*(L) from thickness rules, Tc from Eliashberg theory
    (docs/confinement.md §6); with a sheet resistance also the BKT temperature Tc_BKT(L)
    (docs/stiffness.md §7)."""
    L = parse_thickness_list(thickness)
    if t_min <= 0:
        raise UserError(f"--t-min must be > 0 K, got {t_min}")
    if threshold is not None and threshold < t_min:
        raise UserError(f"--threshold {threshold} K is below the floor --t-min {t_min} K")
    out_fmt = output_format(out, "--out", GRID_FORMATS)
    output_format(plot, "--plot", FIGURE_FORMATS)
    rmodel = _sheet_resistance_model(element, sheet_resistance, resistivity, mean_free_path,
                                     specularity, vortex_dielectric)
    spec = uncertainty_spec(uncertainty, samples, seed, threshold, threshold_alone_ok=True)
    with progress_bar(f"film {element}: Tc per thickness", quiet) as update:
        res = film_tc(element, L, lambda_rule=lambda_rule, mustar_rule=mustar_rule,
                      energy_dos=energy_dos, cutoff_meV=cutoff, t_min_K=t_min,
                      threshold_K=threshold, find_peak=peak, sheet_resistance=rmodel,
                      vortex_dielectric=vortex_dielectric, uncertainty=spec, progress=update)
    payload = stamp(res.to_dict(), res.parameters())
    if out is not None:
        write_table(res.to_dataframe(), out, out_fmt, res.parameters(), payload=payload,
                    dataset=res.to_xarray() if out_fmt == "netcdf" else None)
    if plot is not None:
        from tcpredict.plotting.films import plot_film

        plot_film(res, plot)
    if json_out:
        print_json(payload)
    else:
        _print_table(res, out, plot)
    exit_if_unconverged(res)


def _sheet_resistance_model(element, sheet_resistance, resistivity, mean_free_path, specularity,
                            vortex_dielectric):
    """The R_□(L) model of the options (None when no sheet resistance is asked for)."""
    from tcpredict.films.bkt import (
        ConstantSheetResistance,
        FuchsSondheimerSheetResistance,
        TableSheetResistance,
        drude_mean_free_path_nm,
    )

    if not vortex_dielectric >= 1:
        raise UserError(f"--vortex-dielectric must be ≥ 1, got {vortex_dielectric}")
    if sheet_resistance is not None and resistivity is not None:
        raise UserError("give --sheet-resistance or --resistivity, not both")
    if resistivity is None and (mean_free_path is not None or specularity != 0.0):
        raise UserError("--mean-free-path and --specularity go with --resistivity")
    if sheet_resistance is not None:
        try:
            value = float(sheet_resistance)
        except ValueError:
            return TableSheetResistance(sheet_resistance)
        if not value > 0 or value == float("inf"):
            raise UserError(f"--sheet-resistance must be a finite number > 0 Ω or a table "
                            f"file, got {sheet_resistance!r}")
        return ConstantSheetResistance(value)
    if resistivity is None:
        return None
    if not resistivity > 0:
        raise UserError(f"--resistivity must be > 0 µΩ·cm, got {resistivity}")
    if not 0.0 <= specularity < 1.0:
        raise UserError(f"--specularity must be in [0, 1), got {specularity}")
    if mean_free_path is None:
        from tcpredict.materials.elements import get_element

        mean_free_path = drude_mean_free_path_nm(get_element(element).n_per_nm3, resistivity)
    elif not mean_free_path > 0:
        raise UserError(f"--mean-free-path must be > 0 nm, got {mean_free_path}")
    return FuchsSondheimerSheetResistance(resistivity, mean_free_path, specularity)


def _fmt(v, spec: str) -> str:
    return "—" if v is None else format(v, spec)


def _print_bands(con, res) -> None:
    """Second table: sensitivities and, with --uncertainty, the bands (docs/uncertainty.md)."""
    from rich.markup import escape
    from rich.table import Table

    band = res.uncertainty is not None
    if not band and "dlntc_dlambda" not in (res.rows[0] if res.rows else {}):
        return
    below = f"< {res.t_min_K:g}"

    def t(v):
        return below if v is None else f"{v:.4f}"

    u = res.uncertainty or {}
    title = ("sensitivities" if not band else
             f"sensitivities and bands: 16–84 % over {u['samples']} draws of the element data "
             f"(seed {u['seed']}), range over the shipped λ(L) × μ*(L) rules")
    tab = Table(title=escape(title))
    heads = ["L [nm]", "Tc [K]", "∂lnTc/∂λ", "∂lnTc/∂μ*"]
    if band:
        heads += ["p16 [K]", "p84 [K]", "rules min [K]", "rules max [K]"]
        if res.threshold_K is not None:
            heads.append(f"P(Tc ≥ {res.threshold_K:g} K)")
    for h in heads:
        tab.add_column(escape(h), justify="right")
    for r in res.rows:
        cells = [f"{r['thickness_nm']:.4g}", t(r["tc_K"]), _fmt(r.get("dlntc_dlambda"), ".4g"),
                 _fmt(r.get("dlntc_dmustar"), ".4g")]
        if band:
            cells += [t(r.get("tc_p16_K")), t(r.get("tc_p84_K")), t(r.get("tc_model_min_K")),
                      t(r.get("tc_model_max_K"))]
            if res.threshold_K is not None:
                cells.append(_fmt(r.get("p_superconducting"), ".3g"))
        tab.add_row(*cells)
    con.print(tab)


def _print_table(res, out, plot) -> None:
    from rich.markup import escape
    from rich.table import Table

    con = out_console()
    title = (f"{res.material} film: L_c = {res.critical_thickness_nm:.4g} nm, bulk Tc = "
             f"{_fmt(res.tc_bulk_model_K, '.4g')} K (Eliashberg; measured "
             f"{_fmt(res.tc_measured_K, '.4g')} K); λ rule {res.lambda_rule}, "
             f"μ* rule {res.mustar_rule} (μ* at {res.mustar_at_meV:.4g} meV)")
    tab = Table(title=title)
    heads = {"thickness_nm": "L [nm]", "x": "x = L/L_c", "fermi_energy_eV": "E_F [eV]",
             "dos_ratio": "g(E_F)/g0", "lambda": "λ", "mustar": "μ*", "tc_K": "Tc [K]"}
    for k in heads:
        tab.add_column(escape(heads[k]), justify="right")
    for r in res.rows:
        tab.add_row(f"{r['thickness_nm']:.4g}", f"{r['x']:.4g}", f"{r['fermi_energy_eV']:.4g}",
                    f"{r['dos_ratio']:.5f}", f"{r['lambda']:.4f}", f"{r['mustar']:.4f}",
                    _fmt(r["tc_K"], ".4f") if r["tc_K"] is not None else f"< {res.t_min_K:g}")
    con.print(tab)
    _print_bands(con, res)
    if res.has_bkt:
        from tcpredict.plotting.films import _describe_r

        bt = Table(title=escape(
            f"BKT limit: k_BT = (π/2)J_s/ε_v, ε_v = {res.vortex_dielectric:g}; J_s, L_k, λ_L at "
            f"0.1 Tc; R_□: {_describe_r(res.sheet_resistance_model)}"))
        for h in ("L [nm]", "R_□ [Ω]", "Tc [K]", "Tc_BKT [K]", "BMO [K]", "J_s/k_B [K]",
                  "L_k [pH]", "λ_L [nm]"):
            bt.add_column(escape(h), justify="right")
        below = f"< {res.t_min_K:g}"
        for r in res.rows:
            bt.add_row(f"{r['thickness_nm']:.4g}", f"{r['sheet_resistance_ohm']:.4g}",
                       _fmt(r["tc_K"], ".4f") if r["tc_K"] is not None else below,
                       _fmt(r["tc_bkt_K"], ".4f") if r["tc_bkt_K"] is not None else below,
                       _fmt(r["tc_bkt_bmo_K"], ".4f"), _fmt(r["stiffness_K"], ".4g"),
                       _fmt(r["kinetic_inductance_pH"], ".4g"),
                       _fmt(r["penetration_depth_nm"], ".4g"))
        con.print(bt)
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
    if out is not None:
        con.print(f"rows written to {out}")
    if plot is not None:
        con.print(f"plot written to {plot}")
