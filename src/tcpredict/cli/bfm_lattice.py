"""``tcpredict bfm`` lattice commands: meanfield, tc, spectrum, phase-diagram.

Thin layer over :mod:`tcpredict.bfm.lattice`, :mod:`tcpredict.bfm.stiffness` and
:mod:`tcpredict.bfm.fluctuations`. Energies in units of the bandwidth D = 1.
"""

from __future__ import annotations

import csv
import json
import sys
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from tcpredict.cli.bfm_app import app
from tcpredict.bfm.lattice import LatticeBFM, solve_meanfield, solve_t_star

_LATTICE_ALIASES = {"square": "square_nn", "cubic": "cubic_nn", "flat": "flat",
                    "semielliptic": "semielliptic", "square_nn": "square_nn", "cubic_nn": "cubic_nn"}


def _fail(msg: str) -> None:
    typer.echo(f"error: {msg}", err=True)
    raise typer.Exit(code=2)


def _model(g, delta_b, n_tot, lattice, bosons, grid, alpha, omega0) -> LatticeBFM:
    band = _LATTICE_ALIASES.get(lattice)
    if band is None:
        _fail(f"unknown lattice {lattice!r}; valid: {', '.join(sorted(set(_LATTICE_ALIASES)))}")
    try:
        return LatticeBFM(g_D=g, delta_b_D=delta_b, n_tot=n_tot, band=band, bosons=bosons,
                          grid_size=grid, alpha=alpha, omega0_D=omega0)
    except ValueError as e:
        _fail(str(e))


def _emit(data: dict, as_json: bool, title: str, keys: list[str]) -> None:
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    table = Table(title=title)
    table.add_column("quantity")
    table.add_column("value")
    for k in keys:
        v = data.get(k)
        table.add_row(k, f"{v:.6g}" if isinstance(v, float) else str(v))
    Console().print(table)


def _parse_range(spec: str, name: str) -> list[float]:
    """'a:b:n' → n points from a to b inclusive; 'a,b,c' → list; 'a' → [a]."""
    import numpy as np

    try:
        if ":" in spec:
            parts = spec.split(":")
            if len(parts) != 3:
                raise ValueError
            a, b, n = float(parts[0]), float(parts[1]), int(parts[2])
            if n < 1:
                raise ValueError
            return [float(x) for x in np.linspace(a, b, n)]
        return [float(x) for x in spec.split(",")]
    except ValueError:
        _fail(f"bad range for {name}: {spec!r} (use START:STOP:N, a comma list, or one number)")


_common = dict(
    lattice=typer.Option("square", "--lattice", help="square | cubic | flat | semielliptic"),
    bosons=typer.Option("hardcore", "--bosons", help="hardcore | soft"),
    grid=typer.Option(None, "--grid", help="k-grid size L (or DOS points); default per band"),
    alpha=typer.Option(0.0, "--alpha", help="polaron coupling α (spec §1.2); 0 = off"),
    omega0=typer.Option(None, "--omega0", help="phonon energy ħω0 [D] (needed with --alpha)"),
)


@app.command("meanfield")
def meanfield_cmd(
    g: float = typer.Option(..., "--g", help="exchange coupling g [D]"),
    delta_b: float = typer.Option(0.0, "--delta-b", help="bare boson level Δ_B [D]"),
    n_tot: float = typer.Option(..., "--n-tot", help="total charge per site, in [0, 4]"),
    temperature: float = typer.Option(0.0, "--temperature", help="T [D] of the reported state"),
    lattice: str = _common["lattice"], bosons: str = _common["bosons"],
    grid: Optional[int] = _common["grid"], alpha: float = _common["alpha"],
    omega0: Optional[float] = _common["omega0"],
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Lattice mean field (spec §3.2): T*_MF, μ, Δ_F and n_B."""
    m = _model(g, delta_b, n_tot, lattice, bosons, grid, alpha, omega0)
    if temperature < 0:
        _fail("--temperature must be >= 0")
    try:
        ts = solve_t_star(m)
        st = solve_meanfield(m, temperature)
    except (ValueError, RuntimeError) as e:
        _fail(str(e))
    data = {
        "t_star": ts.t_star_D, "mu": st.mu_D, "gap_zero_T": st.gap_D if temperature == 0 else
        solve_meanfield(m, 0.0).gap_D, "n_boson": st.n_boson,
        "gap": st.gap_D, "pair_amplitude_x": st.pair_amplitude_x, "temperature": temperature,
        "mu_at_t_star": ts.mu_D, "n_fermion": st.n_fermion,
        "number_residual": st.number_residual, "gap_residual": st.gap_residual,
        "t_star_found": ts.found, "energy_unit": "D", "model": m.to_dict(),
    }
    from tcpredict.bfm.lattice import _clean

    data = _clean(data)
    _emit(data, as_json, "BFM lattice mean field (energies in D)",
          ["t_star", "mu", "gap_zero_T", "n_boson", "gap", "pair_amplitude_x", "temperature"])


@app.command("tc")
def tc_cmd(
    g: float = typer.Option(..., "--g", help="exchange coupling g [D]"),
    delta_b: float = typer.Option(0.0, "--delta-b", help="bare boson level Δ_B [D]"),
    n_tot: float = typer.Option(..., "--n-tot", help="total charge per site, in [0, 4]"),
    criterion: Optional[str] = typer.Option(None, "--criterion", help="bkt | ek2d | ek3d"),
    lattice: str = _common["lattice"], bosons: str = _common["bosons"],
    grid: Optional[int] = _common["grid"], alpha: float = _common["alpha"],
    omega0: Optional[float] = _common["omega0"],
    plot: Optional[str] = typer.Option(None, "--plot", help="PNG of the BKT construction D_s/4 vs 2T/π"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """T*_MF, stiffness-limited Tc and amplitude/phase control (spec §3.4)."""
    from tcpredict.bfm.stiffness import solve_tc

    m = _model(g, delta_b, n_tot, lattice, bosons, grid, alpha, omega0)
    try:
        r = solve_tc(m, criterion)
    except (ValueError, RuntimeError) as e:
        _fail(str(e))
    d = r.to_dict()
    data = {"t_star": d["t_star_D"], "tc": d["tc_D"], "stiffness_zero_T": d["stiffness_zero_T_D"],
            "controlled_by": d["controlled_by"], **d, "energy_unit": "D"}
    if plot:
        from tcpredict.plotting.bfm_lattice import plot_bkt_construction

        plot_bkt_construction(m, r, plot)
        data["plot"] = plot
    _emit(data, as_json, "BFM T* and Tc (energies in D)",
          ["t_star", "tc", "stiffness_zero_T", "controlled_by", "criterion", "tc_over_t_star"])


@app.command("spectrum")
def spectrum_cmd(
    g: float = typer.Option(..., "--g", help="exchange coupling g [D]"),
    delta_b: float = typer.Option(0.0, "--delta-b", help="bare boson level Δ_B [D]"),
    n_tot: float = typer.Option(..., "--n-tot", help="total charge per site, in [0, 4]"),
    temperature: float = typer.Option(..., "--temperature", help="T [D]"),
    order: str = typer.Option("lowest", "--order", help="lowest | self_consistent"),
    dressing: str = typer.Option("rpa", "--dressing", help="rpa | bare boson propagator"),
    eta: float = typer.Option(0.004, "--eta", help="broadening η [D]"),
    lattice: str = _common["lattice"],
    grid: Optional[int] = _common["grid"], alpha: float = _common["alpha"],
    omega0: Optional[float] = _common["omega0"],
    plot: Optional[str] = typer.Option(None, "--plot", help="PNG of ρ_F(ω) with the bare DOS"),
    out: Optional[str] = typer.Option(None, "--out", help="CSV of omega_D, dos_per_D, dos_bare_per_D"),
    as_json: bool = typer.Option(False, "--json", help="print JSON (with the DOS arrays)"),
) -> None:
    """Dressed local DOS with the pseudogap depth (spec §3.3)."""
    from tcpredict.bfm.fluctuations import fermion_spectrum

    m = _model(g, delta_b, n_tot, lattice, "hardcore", grid, alpha, omega0)
    try:
        sp = fermion_spectrum(m, temperature, order=order, boson_dressing=dressing, eta_D=eta)
    except (ValueError, RuntimeError) as e:
        _fail(str(e))
    if not sp.converged:
        typer.echo(f"warning: self-energy iteration not converged (L1 change {sp.l1_change:.3g})", err=True)
    data = sp.to_dict(include_arrays=as_json)
    data["energy_unit"] = "D"
    if out:
        with open(out, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["omega_D", "dos_per_D", "dos_bare_per_D"])
            for row in zip(sp.omega_D, sp.dos_per_D, sp.dos_bare_per_D):
                w.writerow([f"{x:.10g}" for x in row])
        data["csv"] = out
    if plot:
        from tcpredict.plotting.bfm_lattice import plot_spectrum

        plot_spectrum([sp], plot)
        data["plot"] = plot
    _emit(data, as_json, "BFM dressed DOS (energies in D)",
          ["temperature_D", "mu_D", "pseudogap_depth", "dos_at_fermi_level_per_D", "dos_integral",
           "thouless_ratio", "order", "boson_dressing", "converged"])


@app.command("phase-diagram")
def phase_diagram_cmd(
    g: str = typer.Option("0.05:0.5:10", "--g", help="g values [D]: START:STOP:N or list"),
    n_tot: str = typer.Option("2", "--n-tot", help="n_tot value(s): one number, or START:STOP:N"),
    delta_b: float = typer.Option(0.0, "--delta-b", help="bare boson level Δ_B [D]"),
    criterion: Optional[str] = typer.Option(None, "--criterion", help="bkt | ek2d | ek3d"),
    lattice: str = _common["lattice"], bosons: str = _common["bosons"],
    grid: Optional[int] = _common["grid"], alpha: float = _common["alpha"],
    omega0: Optional[float] = _common["omega0"],
    plot: Optional[str] = typer.Option(None, "--plot", help="PNG of T* and Tc vs the scan variable"),
    out: Optional[str] = typer.Option(None, "--out", help="CSV with unit-bearing columns"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """T*_MF and Tc versus g (or versus n_tot when --n-tot is a range) (spec §5)."""
    from tcpredict.bfm.stiffness import phase_diagram

    gs = _parse_range(g, "--g")
    ns = _parse_range(n_tot, "--n-tot")
    if len(gs) > 1 and len(ns) > 1:
        _fail("scan either --g or --n-tot, not both")
    if any(x < 0 for x in gs):
        _fail("g must be >= 0")
    m = _model(gs[0], delta_b, ns[0], lattice, bosons, grid, alpha, omega0)
    try:
        if len(ns) > 1:
            for x in ns:
                if not 0 <= x <= 4:
                    _fail(f"n_tot must lie in [0, 4], got {x}")
            pdg = phase_diagram(m, n_tot_values=ns, criterion=criterion)
        else:
            pdg = phase_diagram(m, g_values_D=gs, criterion=criterion)
    except (ValueError, RuntimeError) as e:
        _fail(str(e))
    rows = pdg.rows()
    if out:
        with open(out, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    if plot:
        from tcpredict.plotting.bfm_lattice import plot_phase_diagram

        plot_phase_diagram(pdg, plot)
    if as_json:
        typer.echo(json.dumps({"scan_variable": pdg.scan_variable, "energy_unit": "D",
                               "rows": rows, "csv": out, "plot": plot}, indent=2))
        return
    table = Table(title=f"BFM phase diagram vs {pdg.scan_variable} (energies in D)")
    for c in ("g_D", "n_tot", "t_star_D", "tc_D", "tc_over_t_star", "controlled_by"):
        table.add_column(c)
    for r in rows:
        table.add_row(*[f"{r[c]:.5g}" if isinstance(r[c], float) else str(r[c])
                        for c in ("g_D", "n_tot", "t_star_D", "tc_D", "tc_over_t_star", "controlled_by")])
    Console().print(table)
    if out:
        print(f"wrote {out}", file=sys.stderr)
