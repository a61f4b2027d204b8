"""``tcpredict multiband FILE.toml``: Tc and gaps of coupled bands (docs/multiband.md).

Thin layer over :mod:`tcpredict.eliashberg.multiband` and :mod:`tcpredict.eliashberg.gapdata`::

    tcpredict multiband mgb2.toml --json
    tcpredict multiband mgb2.toml --temperature 4 --json
    tcpredict multiband mgb2.toml --temperature lin:2:38:10 --out mgb2.nc --plot mgb2.png
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from tcpredict.cli.common import out_console
from tcpredict.cli.common import (FIGURE_FORMATS, UserError, app, output_format,
                                  parse_temperatures, print_json, user_errors, write_sweep_files)

__all__ = ["multiband_cmd"]

#: Most temperatures of one gap sweep from the command line.
MAX_SWEEP_TEMPERATURES = 2000


def _fmt(v, unit=""):
    return "—" if v is None else f"{v:.6g}{(' ' + unit) if unit else ''}"


@app.command("multiband")
@user_errors
def multiband_cmd(
    file: Path = typer.Argument(..., help="TOML file of the bands (see docs/multiband.md)."),
    temperature: Optional[str] = typer.Option(
        None, "--temperature", help="Temperature(s) (K) for the gaps: one value, a list a,b,c "
        "or a range lin:START:STOP:N / log:START:STOP:N. Without it only Tc is solved."),
    real_axis: str = typer.Option("pade", "--real-axis", help="Real-axis continuation of the "
                                  "gaps: 'pade' or 'none'."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the gap sweep as netCDF "
                                       "(needs --temperature)."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="PNG of Δ₀(T) and N(ω) "
                                        "(needs --temperature)."),
    grid: str = typer.Option("full", "--grid", help="Matsubara grid of the Tc solver: 'full' "
                             "or 'compressed'."),
    t_min: Optional[float] = typer.Option(None, "--t-min", help="Lowest temperature searched "
                                          "(K); default t_min_K of the file, else 0.01."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
):
    """Tc and per-band gaps of coupled bands: λ_ij, μ*_ij as matrices (multiband Eliashberg)."""
    from tcpredict.eliashberg.multiband import load_multiband_file, solve_multiband_tc
    from tcpredict.provenance import stamp

    if real_axis not in ("pade", "none"):
        raise UserError(f"--real-axis must be 'pade' or 'none', got {real_axis!r}")
    if grid not in ("full", "compressed"):
        raise UserError(f"--grid must be 'full' or 'compressed', got {grid!r}")
    if (out is not None or plot is not None) and temperature is None:
        raise UserError("--out and --plot need --temperature (the gap sweep to write)")
    output_format(out, "--out", ("netcdf",))
    output_format(plot, "--plot", FIGURE_FORMATS)
    temps = None
    if temperature is not None:
        temps = parse_temperatures(temperature, max_points=MAX_SWEEP_TEMPERATURES)
    mf = load_multiband_file(file)
    prob = mf.problem
    tmin = mf.t_min_K if t_min is None else t_min
    if not tmin > 0:
        raise UserError(f"--t-min must be > 0 K, got {t_min}")
    r = solve_multiband_tc(prob, t_min_K=tmin, grid=grid)
    params = prob.parameters()
    params.update(file=str(file), t_min_K=tmin, grid=grid)
    d = {"file": str(file), **r.to_dict()}
    gaps = None
    if temps is not None:
        gaps, ds = _gaps(prob, r, temps, real_axis, params)
        d["temperatures"] = gaps
        d.update(write_sweep_files(ds, out, plot, f"{file.name}: Tc = {_fmt(r.tc_K, 'K')}"))
    if as_json:
        print_json(stamp(d, params))
    else:
        _print(file, r, gaps, d)
    if not r.converged:
        from tcpredict.cli.common import fail

        why = "; ".join(n.removeprefix("not converged: ") for n in r.notes
                        if n.startswith("not converged"))
        fail(f"result not converged: {why}", code=3)


def _gaps(prob, r, temps, real_axis, params):
    """Gap sweep (warm-started, downward) → per-temperature JSON rows and the Dataset."""
    from tcpredict.eliashberg.gapdata import sweep_dataset
    from tcpredict.eliashberg.multiband import multiband_gap_sweep

    if r.tc_K is None:
        raise UserError(f"no superconductivity above {r.t_min_K:g} K: no gap to compute")
    from tcpredict.cli.core import check_sweep_size

    check_sweep_size(temps, prob.bands, prob.resolve()[0], real_axis)
    sweep = multiband_gap_sweep(prob, temps, tc_K=r.tc_K)
    ds = sweep_dataset(sweep, tc_K=r.tc_K, real_axis=None if real_axis == "none" else real_axis,
                       parameters=params)
    rows = []
    for k, g in enumerate(sweep):
        row = {"temperature_K": g.temperature_K, "superconducting": g.superconducting,
               "delta_iw0_meV": dict(zip(prob.labels, (float(x) for x in g.delta_meV[:, 0]))),
               "z_iw0": dict(zip(prob.labels, (float(x) for x in g.z[:, 0]))),
               "iterations": g.iterations, "residual": g.residual, "start": g.start,
               "n_matsubara": g.n_matsubara}
        if "delta0_meV" in ds and real_axis != "none":
            d0 = ds["delta0_meV"].values[k].reshape(-1)
            rt = ds["two_delta0_over_kTc"].values[k].reshape(-1)
            row["delta0_meV"] = dict(zip(prob.labels, (float(x) for x in d0)))
            row["two_delta0_over_kTc"] = dict(zip(prob.labels, (float(x) for x in rt)))
        rows.append(row)
    import json

    notes = json.loads(ds.attrs["notes"])
    if notes and real_axis != "none":
        rows[0]["notes"] = notes
    return rows, ds


def _print(file, r, gaps, d):
    from rich.table import Table

    con = out_console()
    tc = (f"{r.tc_K:.5g} K" if r.tc_K is not None
          else f"no superconductivity above {r.t_min_K:g} K")
    con.print(f"[bold]{file.name}[/bold]: Tc = {tc}  ({r.bands} bands, cutoff "
              f"{r.cutoff_meV:.4g} meV, μ* at {r.mustar_at_meV:.4g} meV rescaled as a matrix, "
              f"{r.eigen_method})")
    t = Table("band", "λ_ij", "μ*_ij (given)", "μ*_ij (cutoff)", "Tc alone")
    for i, lab in enumerate(r.labels):
        t.add_row(lab, " ".join(f"{x:.4g}" for x in r.lambda_matrix[i]),
                  " ".join(f"{x:.4g}" for x in r.mustar[i]),
                  " ".join(f"{x:.4g}" for x in r.mustar_at_cutoff[i]),
                  _fmt(r.band_tc_alone_K[i], "K"))
    con.print(t)
    if gaps:
        g = Table("T (K)", *[f"Δ(iω₀) {b} (meV)" for b in r.labels],
                  *([f"Δ₀ {b} (meV)" for b in r.labels] if "delta0_meV" in gaps[0] else []))
        for row in gaps:
            cells = [f"{row['temperature_K']:.4g}"]
            cells += [f"{v:.4g}" for v in row["delta_iw0_meV"].values()]
            if "delta0_meV" in row:
                cells += [_fmt(v) for v in row["delta0_meV"].values()]
            g.add_row(*cells)
        con.print(g)
    for k in ("out", "plot"):
        if d.get(k):
            con.print(f"{k}: {d[k]}")
    for n in r.notes:
        con.print(f"note: {n}")
