"""``tcpredict bfm`` lattice commands: meanfield, tc, spectrum, phase-diagram.

Thin layer over :mod:`tcpredict.bfm.lattice`, :mod:`tcpredict.bfm.stiffness` and
:mod:`tcpredict.bfm.fluctuations`. Every energy and temperature is in units of the bare
bandwidth D (keys ``*_D``); see docs/bfm_lattice.md §2 and §7.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Optional

import typer

from tcpredict.cli.common import out_console
from tcpredict.cli.bfm_app import (
    CSV_SUFFIXES,
    PLOT_SUFFIXES,
    QUIET_HELP,
    BfmCommand,
    app,
    bfm_errors,
    check_output_path,
    emit_json,
    progress_bar,
)
from tcpredict.errors import ConvergenceError

__all__ = ["meanfield_cmd", "tc_cmd", "spectrum_cmd", "phase_diagram_cmd"]

_LATTICE_ALIASES = {"square": "square_nn", "cubic": "cubic_nn", "flat": "flat",
                    "semielliptic": "semielliptic", "square_nn": "square_nn", "cubic_nn": "cubic_nn"}

_common = dict(
    lattice=typer.Option("square", "--lattice", help="Band: square, cubic, flat or semielliptic."),
    bosons=typer.Option("hardcore", "--bosons", help="Boson statistics: hardcore or soft."),
    grid=typer.Option(None, "--grid", help="k-grid size L of the L^d grid, or number of DOS points "
                                           "(integer, dimensionless); default per band."),
    alpha=typer.Option(0.0, "--alpha", help="Polaron coupling α ≥ 0 (dimensionless); 0 = off."),
    omega0=typer.Option(None, "--omega0", help="Phonon energy ħω0 (units of D); needed with --alpha."),
    quiet=typer.Option(False, "--quiet", "-q", help=QUIET_HELP),
)
_G_HELP = "Boson–fermion exchange g ≥ 0 (units of D)."
_DB_HELP = "Bare boson level Δ_B, band centre = 0 (units of D)."
_NTOT_HELP = "Total charge per site n_F + 2n_B, 0 to 4 (dimensionless)."
_CRIT_HELP = "Tc criterion: bkt, ek2d or ek3d (default bkt in 2D, ek3d for cubic)."


def _model(g, delta_b, n_tot, lattice, bosons, grid, alpha, omega0):
    from tcpredict.bfm.lattice import LatticeBFM

    band = _LATTICE_ALIASES.get(lattice)
    if band is None:
        raise ValueError(f"--lattice: unknown lattice {lattice!r}; valid: "
                         f"{', '.join(sorted(set(_LATTICE_ALIASES)))}")
    return LatticeBFM(g_D=g, delta_b_D=delta_b, n_tot=n_tot, band=band, bosons=bosons,
                      grid_size=grid, alpha=alpha, omega0_D=omega0)


def _table(data: dict, title: str, keys: list[str]) -> None:
    from rich.table import Table

    table = Table(title=title)
    table.add_column("quantity")
    table.add_column("value")
    for k in keys:
        v = data.get(k)
        table.add_row(k, "none" if v is None else f"{v:.6g}" if isinstance(v, float) else str(v))
    out_console().print(table)


def _write_csv(path: Path, params: dict, header: list[str], rows) -> None:
    from tcpredict.provenance import csv_header

    with open(path, "w", newline="", encoding="utf-8") as fh:
        fh.write(csv_header(params))
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow(row)


@app.command("meanfield", cls=BfmCommand)
@bfm_errors
def meanfield_cmd(
    g: float = typer.Option(..., "--g", help=_G_HELP),
    delta_b: float = typer.Option(0.0, "--delta-b", help=_DB_HELP),
    n_tot: float = typer.Option(..., "--n-tot", help=_NTOT_HELP),
    temperature: float = typer.Option(0.0, "--temperature",
                                      help="Temperature T of the reported state, 0–10 (units of D)."),
    lattice: str = _common["lattice"], bosons: str = _common["bosons"],
    grid: Optional[int] = _common["grid"], alpha: float = _common["alpha"],
    omega0: Optional[float] = _common["omega0"],
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    quiet: bool = _common["quiet"],
) -> None:
    """Lattice mean field (docs/bfm_lattice.md §3): T*_MF, μ, Δ_F and n_B.

    Energies in units of D. Exit codes: 0 result, 2 bad input, 3 numerical failure (including a
    number equation that does not close to 1e-8).
    """
    from tcpredict.bfm.lattice import NUMBER_TOL, _check_temperature, solve_meanfield, solve_t_star

    m = _model(g, delta_b, n_tot, lattice, bosons, grid, alpha, omega0)
    T = _check_temperature(temperature, "--temperature")
    params = {**m.to_dict(), "temperature_D": T}
    ts = solve_t_star(m)
    st = solve_meanfield(m, T)
    st0 = st if T == 0 else solve_meanfield(m, 0.0)
    data = {
        "t_star_D": ts.t_star_D, "t_star_found": ts.found, "mu_at_t_star_D": ts.mu_D,
        "temperature_D": T, "mu_D": st.mu_D, "gap_D": st.gap_D, "gap_zero_T_D": st0.gap_D,
        "pair_amplitude_x": st.pair_amplitude_x, "n_boson": st.n_boson,
        "n_fermion": st.n_fermion, "number_residual": st.number_residual,
        "gap_residual": st.gap_residual, "converged": st.converged and st0.converged,
        "energy_unit": "D", "model": m.to_dict(),
    }
    if as_json:
        emit_json(data, params)
    else:
        from tcpredict.provenance import jsonable

        _table(jsonable(data), "BFM lattice mean field (units of D)",
               ["t_star_D", "mu_D", "gap_zero_T_D", "n_boson", "gap_D", "pair_amplitude_x",
                "temperature_D", "converged"])
    if not data["converged"]:
        raise ConvergenceError(f"mean-field number equation not solved to {NUMBER_TOL:g} "
                            f"(residual {max(st.number_residual, st0.number_residual):.3g}; "
                            "n(μ) is discontinuous here)")


@app.command("tc", cls=BfmCommand)
@bfm_errors
def tc_cmd(
    g: float = typer.Option(..., "--g", help=_G_HELP),
    delta_b: float = typer.Option(0.0, "--delta-b", help=_DB_HELP),
    n_tot: float = typer.Option(..., "--n-tot", help=_NTOT_HELP),
    criterion: Optional[str] = typer.Option(None, "--criterion", help=_CRIT_HELP),
    lattice: str = _common["lattice"], bosons: str = _common["bosons"],
    grid: Optional[int] = _common["grid"], alpha: float = _common["alpha"],
    omega0: Optional[float] = _common["omega0"],
    plot: Optional[Path] = typer.Option(None, "--plot", help="Figure of the BKT construction "
                                        "J(T) = D_s/4 with 2T/π (.png, .pdf, .svg)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    quiet: bool = _common["quiet"],
) -> None:
    """T*_MF, stiffness-limited Tc and amplitude/phase control (docs/bfm_lattice.md §5).

    Energies in units of D. Exit codes: 0 result (tc_D = 0 with controlled_by = none when no
    pairing instability exists above T = 1e-4 D), 2 bad input, 3 numerical failure.
    """
    from tcpredict.bfm.stiffness import TC_CRITERIA, solve_tc

    m = _model(g, delta_b, n_tot, lattice, bosons, grid, alpha, omega0)
    if criterion is not None and criterion not in TC_CRITERIA:
        raise ValueError(f"--criterion: unknown {criterion!r}; valid: {', '.join(TC_CRITERIA)}")
    plot = check_output_path(plot, "--plot", PLOT_SUFFIXES)
    params = {**m.to_dict(), "criterion": criterion, "plot": plot}
    r = solve_tc(m, criterion)
    data = {**r.to_dict(), "energy_unit": "D"}
    if plot is not None:
        from tcpredict.plotting.bfm_lattice import plot_bkt_construction

        plot_bkt_construction(m, r, path=plot)
        data["plot"] = str(plot)
        if not quiet:
            typer.echo(f"wrote {plot}", err=True)
    if as_json:
        emit_json(data, params)
        return
    _table(data, "BFM T* and Tc (units of D)",
           ["t_star_D", "tc_D", "stiffness_zero_T_D", "controlled_by", "criterion",
            "tc_over_t_star"])


@app.command("spectrum", cls=BfmCommand)
@bfm_errors
def spectrum_cmd(
    g: float = typer.Option(..., "--g", help=_G_HELP),
    delta_b: float = typer.Option(0.0, "--delta-b", help=_DB_HELP),
    n_tot: float = typer.Option(..., "--n-tot", help=_NTOT_HELP),
    temperature: float = typer.Option(..., "--temperature", help="Temperature T > 0 (units of D)."),
    order: str = typer.Option("lowest", "--order", help="Self-energy order: lowest or self_consistent."),
    dressing: str = typer.Option("rpa", "--dressing", help="Boson propagator: rpa or bare."),
    eta: float = typer.Option(0.004, "--eta", help="Broadening η of i0⁺ (units of D); the frequency "
                                                   "step is min(η, T)/4."),
    lattice: str = _common["lattice"],
    grid: Optional[int] = _common["grid"], alpha: float = _common["alpha"],
    omega0: Optional[float] = _common["omega0"],
    plot: Optional[Path] = typer.Option(None, "--plot", help="Figure of ρ_F(ω) with the bare DOS "
                                                             "(.png, .pdf, .svg)."),
    out: Optional[Path] = typer.Option(None, "--out", help="CSV file of omega_D, dos_per_D, "
                                                           "dos_bare_per_D (commented header)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (with the DOS arrays)."),
    quiet: bool = _common["quiet"],
) -> None:
    """Dressed local DOS with the pseudogap depth (docs/bfm_lattice.md §4).

    Energies in units of D. Exit codes: 0 result, 2 bad input (also T at or below the Thouless
    temperature of the RPA dressing, and grids beyond the limits of docs/bfm_lattice.md §6),
    3 numerical failure (a self-consistent iteration that does not converge: the result is printed,
    then the error line).
    """
    from tcpredict.bfm.fluctuations import fermion_spectrum

    m = _model(g, delta_b, n_tot, lattice, "hardcore", grid, alpha, omega0)
    plot = check_output_path(plot, "--plot", PLOT_SUFFIXES)
    out = check_output_path(out, "--out", CSV_SUFFIXES)
    params = {**m.to_dict(), "temperature_D": temperature, "order": order,
              "boson_dressing": dressing, "eta_D": eta, "plot": plot, "out": out}
    sp = fermion_spectrum(m, temperature, order=order, boson_dressing=dressing, eta_D=eta)
    data = {**sp.to_dict(include_arrays=as_json), "energy_unit": "D"}
    if out is not None:
        _write_csv(out, params, ["omega_D", "dos_per_D", "dos_bare_per_D"],
                   ([f"{x:.10g}" for x in row]
                    for row in zip(sp.omega_D, sp.dos_per_D, sp.dos_bare_per_D)))
        data["out"] = str(out)
        if not quiet:
            typer.echo(f"wrote {out}", err=True)
    if plot is not None:
        from tcpredict.plotting.bfm_lattice import plot_spectrum

        plot_spectrum([sp], path=plot)
        data["plot"] = str(plot)
        if not quiet:
            typer.echo(f"wrote {plot}", err=True)
    if as_json:
        emit_json(data, params)
    else:
        _table(data, "BFM dressed DOS (units of D)",
               ["temperature_D", "mu_D", "pseudogap_depth", "dos_at_fermi_level_per_D",
                "dos_integral", "thouless_ratio", "order", "boson_dressing", "converged"])
    if not sp.converged:
        raise ConvergenceError(f"self-energy iteration not converged after {sp.iterations} "
                            f"iterations (L1 change {sp.l1_change:.3g} ≥ tol); the output above "
                            "is flagged converged: false")


@app.command("phase-diagram", cls=BfmCommand)
@bfm_errors
def phase_diagram_cmd(
    g: str = typer.Option("lin:0.05:0.5:10", "--g",
                          help="g values (units of D): a,b,c, lin:START:STOP:N, log:START:STOP:N "
                               "or START:STOP:N (log-spaced)."),
    n_tot: str = typer.Option("2", "--n-tot",
                              help="n_tot value(s) (dimensionless): one number, a list or a range "
                                   "as for --g."),
    delta_b: float = typer.Option(0.0, "--delta-b", help=_DB_HELP),
    criterion: Optional[str] = typer.Option(None, "--criterion", help=_CRIT_HELP),
    lattice: str = _common["lattice"], bosons: str = _common["bosons"],
    grid: Optional[int] = _common["grid"], alpha: float = _common["alpha"],
    omega0: Optional[float] = _common["omega0"],
    plot: Optional[Path] = typer.Option(None, "--plot", help="Figure of T* and Tc versus the scan "
                                                             "variable (.png, .pdf, .svg)."),
    out: Optional[Path] = typer.Option(None, "--out", help="CSV file with unit-bearing columns "
                                                           "(commented header)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    quiet: bool = _common["quiet"],
) -> None:
    """T*_MF and Tc versus g (or versus n_tot when --n-tot is a range) (docs/bfm_lattice.md §5).

    Energies in units of D. At most 1000 points (docs/bfm_lattice.md §6); a progress bar is drawn
    on stderr (--quiet silences it). Exit codes: 0 result, 2 bad input, 3 numerical failure.
    """
    from tcpredict.bfm.stiffness import MAX_PHASE_DIAGRAM_POINTS, TC_CRITERIA, phase_diagram
    from tcpredict.cli.common import parse_range

    gs = parse_range(g, "--g", "D", positive=False, max_points=MAX_PHASE_DIAGRAM_POINTS)
    ns = parse_range(n_tot, "--n-tot", "", positive=False, max_points=MAX_PHASE_DIAGRAM_POINTS)
    if len(gs) > 1 and len(ns) > 1:
        raise ValueError("scan either --g or --n-tot, not both")
    if criterion is not None and criterion not in TC_CRITERIA:
        raise ValueError(f"--criterion: unknown {criterion!r}; valid: {', '.join(TC_CRITERIA)}")
    m = _model(float(gs[0]), delta_b, float(ns[0]), lattice, bosons, grid, alpha, omega0)
    plot = check_output_path(plot, "--plot", PLOT_SUFFIXES)
    out = check_output_path(out, "--out", CSV_SUFFIXES)
    scan_n = len(ns) > 1
    params = {**m.to_dict(), "g_values_D": None if scan_n else gs, "n_tot_values": ns if scan_n
              else None, "criterion": criterion, "plot": plot, "out": out}
    params.pop("g_D" if not scan_n else "n_tot")
    for v in (ns if scan_n else gs):  # every point is validated before the progress bar starts
        m.replace(**({"n_tot": float(v)} if scan_n else {"g_D": float(v)}))
    total = len(ns) if scan_n else len(gs)
    with progress_bar("bfm phase diagram", total, quiet) as update:
        if scan_n:
            pdg = phase_diagram(m, n_tot_values=ns, criterion=criterion, progress=update)
        else:
            pdg = phase_diagram(m, g_values_D=gs, criterion=criterion, progress=update)
    rows = pdg.rows()
    if out is not None:
        cols = list(rows[0])
        _write_csv(out, params, cols, ([r[c] for c in cols] for r in rows))
    if plot is not None:
        from tcpredict.plotting.bfm_lattice import plot_phase_diagram

        plot_phase_diagram(pdg, path=plot)
    if as_json:
        emit_json({"scan_variable": pdg.scan_variable, "energy_unit": "D", "rows": rows,
                   "out": None if out is None else str(out),
                   "plot": None if plot is None else str(plot)}, params)
    else:
        from rich.table import Table

        cols = ("g_D", "n_tot", "t_star_D", "tc_D", "tc_over_t_star", "controlled_by")
        table = Table(title=f"BFM phase diagram vs {pdg.scan_variable} (units of D)")
        for c in cols:
            table.add_column(c)
        for r in rows:
            table.add_row(*["none" if r[c] is None else f"{r[c]:.5g}" if isinstance(r[c], float)
                            else str(r[c]) for c in cols])
        out_console().print(table)
    if not quiet:
        for p in (out, plot):
            if p is not None:
                typer.echo(f"wrote {p}", err=True)
