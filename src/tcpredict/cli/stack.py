"""``tcpredict stack | bilayer | map | screen``: proximity-coupled layers (docs/proximity.md).

Thin layer over :mod:`tcpredict.stacks.proximity`, :mod:`tcpredict.stacks.stackfile` and
:mod:`tcpredict.stacks.screen`. Examples::

    tcpredict stack examples/bilayer.toml --json
    tcpredict bilayer --a Al:0.5 --b Au:0.47 --gamma 1.0 --json
    tcpredict map --a Al --b Au --thickness-a 0.3:5:40 --thickness-b 0.3:5:40 --plot m.png
    tcpredict screen --elements Al,Pb,Au,Ag --thickness 0.3:5:12 --out screen_out --workers 2

Default interface of ``bilayer``/``map``/``screen``: the Cooper limit (ultrathin films in good
contact; see :mod:`tcpredict.stacks.screen`); every output states the parametrisation used.
"""

from __future__ import annotations

import math
from pathlib import Path

import typer
from rich.table import Table

from tcpredict.cli.common import out_console
from tcpredict.cli.common import (FIGURE_FORMATS, GRID_FORMATS, QuietOpt, UserError, app,
                                  output_format, parse_thickness_list, print_json, progress_bar,
                                  user_errors, write_table, exit_if_unconverged, write_sweep_files)
from tcpredict.cli.uncertainty_opts import (SamplesOpt, SeedOpt, ThresholdOpt, UncertaintyOpt,
                                            band_rows, sensitivity_rows, uncertainty_spec)
from tcpredict.limits import MAX_THICKNESS_NM, MAX_TOP_ROWS, MIN_THICKNESS_NM
from tcpredict.provenance import stamp
from tcpredict.stacks.proximity import DEFAULT_T_MIN_K, Layer, bilayer as make_bilayer
from tcpredict.stacks.maps import ScreenConfig, tc_map
from tcpredict.stacks.stackfile import load_stack_file

__all__ = ["stack", "bilayer_cmd", "map_cmd", "screen_cmd"]


def _layer_spec(text: str, flag: str) -> tuple[str, float]:
    s = (text or "").strip()
    if ":" not in s:
        raise UserError(f"{flag} must be MATERIAL:THICKNESS_nm (e.g. Al:0.5), got {text!r}")
    mat, _, d = s.rpartition(":")
    try:
        dv = float(d)
    except ValueError:
        raise UserError(f"{flag}: thickness {d!r} is not a number (nm)") from None
    if not (math.isfinite(dv) and MIN_THICKNESS_NM <= dv <= MAX_THICKNESS_NM):
        raise UserError(f"{flag}: thickness must be > 0 nm, in [{MIN_THICKNESS_NM:g}, "
                        f"{MAX_THICKNESS_NM:g}] nm (README \"Limits\"), got {d!r}")
    if not mat.strip():
        raise UserError(f"{flag} must be MATERIAL:THICKNESS_nm (e.g. Al:0.5): the material is "
                        "missing")
    return mat.strip(), dv


def _interface_kw(gamma: float | None, cooper: bool, decoupled: bool = False) -> dict:
    if sum([gamma is not None, cooper, decoupled]) > 1:
        raise UserError("give at most one of --gamma, --cooper-limit, --decoupled")
    if gamma is not None:
        return {"gamma_meV": gamma}
    if decoupled:
        return {"decoupled": True}
    return {"cooper_limit": True}


_SHEET_HELP = ("Measured normal-state sheet resistance R_□ (Ω) of the whole stack: adds the BKT "
               "temperature tc_bkt_K (docs/stiffness.md §8). Split among the layers in "
               "proportion to their thickness (equal resistivities).")
_RHO_HELP = ("Normal-state resistivity of each layer (µΩ·cm), comma-separated in layer order "
             "(one value: the same for all): R_j = ρ_j/d_j, layers in parallel. Adds tc_bkt_K.")
_EPS_HELP = ("Vortex dielectric constant ε_v ≥ 1 of k_BT = (π/2)J_s/ε_v (dimensionless; default "
             "1, unrenormalised).")


def _bkt(st, sheet_resistance, resistivity, vortex_dielectric, t_min):
    """BKT result of a stack for the CLI options, or None when no resistance is given."""
    if sheet_resistance is None and resistivity is None:
        return None
    if sheet_resistance is not None and resistivity is not None:
        raise UserError("give --sheet-resistance or --resistivity, not both")
    if not vortex_dielectric >= 1:
        raise UserError(f"--vortex-dielectric must be ≥ 1, got {vortex_dielectric}")
    from tcpredict.films.bkt import stack_bkt

    rho = None
    if resistivity is not None:
        from tcpredict.cli.common import parse_range

        rho = parse_range(resistivity, "--resistivity", "µΩ·cm", positive=True, max_points=1000)
        if rho.size not in (1, len(st.layers)):
            raise UserError(f"--resistivity: give 1 or {len(st.layers)} values (µΩ·cm), got "
                            f"{rho.size}")
    elif not sheet_resistance > 0:
        raise UserError(f"--sheet-resistance must be > 0 Ω, got {sheet_resistance}")
    return stack_bkt(st, sheet_resistance, resistivities_uohm_cm=rho,
                     vortex_dielectric=vortex_dielectric, t_min_K=t_min)


def _resistivities(resistivity):
    """The --resistivity values as a list (µΩ·cm) for ``parameters``; None when not given."""
    if resistivity is None:
        return None
    from tcpredict.cli.common import parse_range

    return [float(v) for v in parse_range(resistivity, "--resistivity", "µΩ·cm", positive=True,
                                          max_points=1000)]


def _with_bkt(d: dict, b) -> dict:
    if b is not None:
        from tcpredict.cli.core import bkt_payload

        d.update(bkt_payload(b))
    return d


def _print_bkt(b) -> None:
    if b is None:
        return
    from tcpredict.cli.core import bkt_rows

    t = Table(show_header=False, title="BKT limit (docs/stiffness.md §8)")
    for k, v in bkt_rows(b):
        t.add_row(k, v)
    out_console().print(t)


def _print_stack(res) -> None:
    con = out_console()
    d = res.to_dict()
    tc = "none above T_min = %g K" % res.t_min_K if res.tc_K is None else f"{res.tc_K:.4f} K"
    con.print(f"[bold]Tc = {tc}[/bold]  (parametrisation: {d['parametrisation']}, "
              f"cutoff {res.cutoff_meV:.4g} meV, method {res.method})")
    t = Table("layer", "thickness_nm", "confined", "lambda", "mustar", "mustar@cutoff",
              "tc_alone_K", "rules")
    for la in res.layers:
        t.add_row(la.material, f"{la.thickness_nm:g}", str(la.confined), f"{la.lam:.4g}",
                  f"{la.mustar:.4g}", f"{la.mustar_at_cutoff:.4g}",
                  "none" if la.tc_alone_K is None else f"{la.tc_alone_K:.4f}",
                  f"{la.lambda_rule}/{la.mustar_rule}")
    con.print(t)
    for i, (g, p) in enumerate(zip(d["gammas_meV"], d["parametrisations"])):
        if p == "cooper-limit" or all(x is None for x in g):
            con.print(f"interface {i}: Cooper limit (Γ → ∞)")
            continue
        gt = " / ".join("∞" if x is None else f"{x:.4g}" for x in g) + " meV"
        con.print(f"interface {i}: {p}, Γ (first←second / second←first) = {gt}")
    rows = sensitivity_rows(res.sensitivity) + band_rows(res.uncertainty)
    if res.sensitivity:
        rows += [(f"∂ln Tc/∂λ of {s['material']} / ∂ln Tc/∂μ* of {s['material']}",
                  f"{s['dlntc_dlambda']:.4g} / {s['dlntc_dmustar']:.4g}")
                 for s in res.sensitivity["layers"]]
    if rows:
        t = Table(show_header=False, title="sensitivities (all layers together, then per layer)"
                  + (" and bands (docs/uncertainty.md)" if res.uncertainty else ""))
        for k, v in rows:
            t.add_row(k, v)
        con.print(t)


JsonOpt = typer.Option(False, "--json", help="Print one JSON object (keys: docs/glossary.md).")
MethodOpt = typer.Option("compressed", "--method", help="Matsubara grid: compressed (Nyström "
                         "nodes, docs/eliashberg.md §2.5) or exact (every frequency).")
CutoffOpt = typer.Option(None, "--cutoff", help="Common Matsubara cutoff ω_c (meV; default "
                         "10 × the larger Ω_max).")
GammaOpt = typer.Option(None, "--gamma", help="Γ_A felt by layer A (meV; Γ_B by detailed "
                        "balance, docs/proximity.md §2). Default: the Cooper limit.")
CooperOpt = typer.Option(False, "--cooper-limit", help="Γ → ∞, the exact Cooper limit "
                         "(default; docs/proximity.md §3).")
ConfinementOpt = typer.Option(True, "--confinement/--no-confinement",
                              help="Apply the confinement model to both layers.")
LambdaRuleOpt = typer.Option("dos-scaling", "--lambda-rule", help="λ(L) rule of confined layers: "
                             "dos-scaling, constant, or a table file (docs/confinement.md §5).")
MustarRuleOpt = typer.Option("constant", "--mustar-rule", help="μ*(L) rule of confined layers: "
                             "constant, morel-anderson, thomas-fermi, or a table file.")


@app.command("stack")
@user_errors
def stack(
    file: Path = typer.Argument(..., help="TOML stack file (docs/proximity.md §4)."),
    json_out: bool = JsonOpt,
    method: str = MethodOpt,
    sheet_resistance: float = typer.Option(None, "--sheet-resistance", help=_SHEET_HELP),
    resistivity: str = typer.Option(None, "--resistivity", help=_RHO_HELP),
    vortex_dielectric: float = typer.Option(1.0, "--vortex-dielectric", help=_EPS_HELP),
    temperature: str = typer.Option(None, "--temperature", help="Temperature(s) (K) for the "
                                    "gaps of every layer: a value, a list a,b,c or a range "
                                    "lin:START:STOP:N."),
    real_axis: str = typer.Option("pade", "--real-axis", help="Real-axis continuation of the "
                                  "gaps: 'pade' or 'none'."),
    out: Path = typer.Option(None, "--out", help="Write the gap sweep as netCDF (.nc; needs "
                             "--temperature)."),
    plot: Path = typer.Option(None, "--plot", help="PNG of Δ₀(T) and N(ω) (needs "
                              "--temperature)."),
    uncertainty: bool = UncertaintyOpt,
    samples: int = SamplesOpt,
    seed: int = SeedOpt,
    threshold: float = ThresholdOpt,
):
    """Tc of a stack of layers described in a TOML file; with a sheet resistance its BKT
    temperature, with --temperature the gaps of every layer; ∂ln Tc/∂λ, ∂ln Tc/∂μ* per layer
    and, with --uncertainty, the bands."""
    spec = uncertainty_spec(uncertainty, samples, seed, threshold)
    if (out is not None or plot is not None) and temperature is None:
        raise UserError("--out and --plot need --temperature (the gap sweep to write)")
    if real_axis not in ("pade", "none"):
        raise UserError(f"--real-axis must be 'pade' or 'none', got {real_axis!r}")
    output_format(out, "--out", ("netcdf",))
    output_format(plot, "--plot", FIGURE_FORMATS)
    temps = None
    if temperature is not None:
        from tcpredict.cli.common import parse_temperatures

        temps = parse_temperatures(temperature)
    sf = load_stack_file(file)
    res = sf.stack.tc(t_min_K=sf.t_min_K, method=method, uncertainty=spec)
    b = _bkt(sf.stack, sheet_resistance, resistivity, vortex_dielectric, sf.t_min_K)
    d = _with_bkt({"file": str(file), **res.to_dict()}, b)
    if temps is not None:
        d["temperatures"], files = _stack_gaps(sf.stack, res, temps, real_axis, out, plot,
                                               file)
        d.update(files)
        d.update(out=None if out is None else str(out), plot=None if plot is None else str(plot))
    if json_out:
        params = {"file": str(file), "method": method, "t_min_K": sf.t_min_K,
                  "cutoff_meV": res.cutoff_meV, "sheet_resistance_ohm": sheet_resistance,
                  "resistivity_uohm_cm": _resistivities(resistivity),
                  "vortex_dielectric": vortex_dielectric,
                  "temperatures_K": None if temps is None else list(map(float, temps)),
                  "real_axis": real_axis,
                  "uncertainty": None if spec is None else spec.to_dict()}
        print_json(stamp(d, params))
    else:
        _print_stack(res)
        _print_bkt(b)
        for row in d.get("temperatures", []):
            out_console().print(f"T = {row['temperature_K']:.4g} K: Δ(iω₀) = "
                            + ", ".join(f"{k} {v:.4g}" for k, v in row["delta_iw0_meV"].items())
                            + " meV")
    exit_if_unconverged(res)


def _stack_gaps(stack, res, temps, real_axis, out, plot, file):
    """Gap sweep of a stack (warm-started) → JSON rows and the files written (netCDF / PNG on
    request)."""
    import json

    from tcpredict.stacks.gapsweep import stack_sweep_dataset

    if res.tc_K is None:
        raise UserError(f"no superconductivity above {res.t_min_K:g} K: no gap to compute")
    from tcpredict.cli.core import check_sweep_size

    check_sweep_size(temps, len(stack.layers), stack.cutoff_meV, real_axis)
    ds = stack_sweep_dataset(stack, temps, tc_K=res.tc_K,
                             real_axis=None if real_axis == "none" else real_axis,
                             parameters={"file": str(file)})
    files = write_sweep_files(ds, out, plot, f"{Path(file).name}: Tc = {res.tc_K:.4g} K")
    labels = [str(x) for x in ds["layer"].values] if "layer" in ds.dims else ["0"]
    rows = []
    for k, T in enumerate(ds["temperature_K"].values):
        iw0 = ds["delta_iw0_meV"].values[k].reshape(-1)
        row = {"temperature_K": float(T), "superconducting": bool(ds["superconducting"][k]),
               "delta_iw0_meV": dict(zip(labels, map(float, iw0)))}
        if real_axis != "none":
            row["delta0_meV"] = dict(zip(labels, map(float, ds["delta0_meV"].values[k]
                                                     .reshape(-1))))
        rows.append(row)
    notes = json.loads(ds.attrs["notes"])
    if notes and rows:
        rows[0]["notes"] = notes
    return rows, files


@app.command("bilayer")
@user_errors
def bilayer_cmd(
    a: str = typer.Option(..., "--a", help="Layer A as MATERIAL:THICKNESS, thickness (nm), "
                          "e.g. Al:0.5."),
    b: str = typer.Option(..., "--b", help="Layer B as MATERIAL:THICKNESS, thickness (nm), "
                          "e.g. Au:0.47."),
    gamma: float = GammaOpt,
    cooper_limit: bool = CooperOpt,
    decoupled: bool = typer.Option(False, "--decoupled", help="Γ = 0 (independent layers)."),
    confinement: bool = ConfinementOpt,
    lambda_rule: str = LambdaRuleOpt,
    mustar_rule: str = MustarRuleOpt,
    cutoff: float = CutoffOpt,
    t_min: float = typer.Option(DEFAULT_T_MIN_K, "--t-min",
                                help="Floor (K): Tc below it is reported as none."),
    method: str = MethodOpt,
    json_out: bool = JsonOpt,
    sheet_resistance: float = typer.Option(None, "--sheet-resistance", help=_SHEET_HELP),
    resistivity: str = typer.Option(None, "--resistivity", help=_RHO_HELP),
    vortex_dielectric: float = typer.Option(1.0, "--vortex-dielectric", help=_EPS_HELP),
    uncertainty: bool = UncertaintyOpt,
    samples: int = SamplesOpt,
    seed: int = SeedOpt,
    threshold: float = ThresholdOpt,
):
    """Tc of a bilayer of two elements (confined films by default), ∂ln Tc/∂λ and ∂ln Tc/∂μ*
    per layer and, with --uncertainty, the bands; with a sheet resistance also its BKT
    temperature."""
    (ma, da), (mb, db) = _layer_spec(a, "--a"), _layer_spec(b, "--b")
    kw = _interface_kw(gamma, cooper_limit, decoupled)
    spec = uncertainty_spec(uncertainty, samples, seed, threshold)
    mk = lambda m, d: Layer.from_element(m, d, confined=confinement,  # noqa: E731
                                         lambda_rule=lambda_rule, mustar_rule=mustar_rule)
    st = make_bilayer(mk(ma, da), mk(mb, db), cutoff_meV=cutoff, **kw)
    res = st.tc(t_min_K=t_min, method=method, uncertainty=spec)
    bk = _bkt(st, sheet_resistance, resistivity, vortex_dielectric, t_min)
    if json_out:
        params = {"a": res.layers[0].material, "thickness_a_nm": da,
                  "b": res.layers[1].material, "thickness_b_nm": db,
                  "parametrisation": res.parametrisation, "gamma_meV": gamma,
                  "confined": confinement, "lambda_rule": lambda_rule,
                  "mustar_rule": mustar_rule, "cutoff_meV": res.cutoff_meV, "t_min_K": t_min,
                  "method": method,
                  "uncertainty": None if spec is None else spec.to_dict()}
        params.update(sheet_resistance_ohm=sheet_resistance,
                      resistivity_uohm_cm=_resistivities(resistivity),
                      vortex_dielectric=vortex_dielectric)
        print_json(stamp(_with_bkt(res.to_dict(), bk), params))
    else:
        _print_stack(res)
        _print_bkt(bk)
    exit_if_unconverged(res)


def _config(thickness, gamma, cooper, confinement, lambda_rule, mustar_rule, cutoff, t_min,
            spec=None) -> ScreenConfig:
    kw = _interface_kw(gamma, cooper)
    return ScreenConfig(thickness_nm=tuple(thickness), gamma_meV=kw.get("gamma_meV"),
                        confined=confinement, lambda_rule=lambda_rule,
                        mustar_rule=mustar_rule, cutoff_meV=cutoff, t_min_K=t_min,
                        uncertainty=spec)


_RANGE_HELP = ("list a,b,c or log:START:STOP:N / lin:START:STOP:N (bare START:STOP:N is "
               "log-spaced)")


@app.command("map")
@user_errors
def map_cmd(
    a: str = typer.Option(..., "--a", help="Element of layer A, e.g. Al."),
    b: str = typer.Option(..., "--b", help="Element of layer B, e.g. Au."),
    thickness_a: str = typer.Option("0.3:5:12", "--thickness-a",
                                    help=f"d_A grid (nm): {_RANGE_HELP}."),
    thickness_b: str = typer.Option("0.3:5:12", "--thickness-b",
                                    help=f"d_B grid (nm): {_RANGE_HELP}."),
    gamma: float = GammaOpt,
    cooper_limit: bool = CooperOpt,
    confinement: bool = ConfinementOpt,
    lambda_rule: str = LambdaRuleOpt,
    mustar_rule: str = MustarRuleOpt,
    cutoff: float = CutoffOpt,
    t_min: float = typer.Option(0.05, "--t-min",
                                help="Floor (K): Tc below it is reported as 0."),
    plot: Path = typer.Option(None, "--plot", help="Heat map; the format follows the "
                              "extension: .png, .pdf or .svg."),
    out: Path = typer.Option(None, "--out", help="Write the grid with its provenance; the "
                             "format follows the extension: .parquet, .csv (commented header), "
                             ".json or .nc (xarray)."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as one JSON object "
                                  "(keys: docs/glossary.md)."),
    uncertainty: bool = UncertaintyOpt,
    samples: int = SamplesOpt,
    seed: int = SeedOpt,
    threshold: float = ThresholdOpt,
    quiet: bool = QuietOpt,
):
    """Tc(d_A, d_B) map of a bilayer; optimum found by bounded optimisation. With --uncertainty
    the bands of the optimum and of every grid point (about (samples + 6) × the cost)."""
    da, db = parse_thickness_list(thickness_a), parse_thickness_list(thickness_b)
    out_fmt = output_format(out, "--out", GRID_FORMATS)
    output_format(plot, "--plot", FIGURE_FORMATS)
    spec = uncertainty_spec(uncertainty, samples, seed, threshold)
    cfg = _config(da, gamma, cooper_limit, confinement, lambda_rule, mustar_rule, cutoff, t_min,
                  spec)
    with progress_bar(f"map {a}/{b}: Tc per grid point", quiet) as update:
        m = tc_map(a, b, da, db, cfg, progress=update)
    s = m.summary()
    s.update(plot=None if plot is None else str(plot), out=None if out is None else str(out))
    payload = stamp(s, m.parameters())
    if out is not None:
        grid = {"thickness_a_nm": m.thickness_a_nm, "thickness_b_nm": m.thickness_b_nm,
                "tc_K": m.tc_K, **m.band_arrays()}
        write_table(m.to_frame(), out, out_fmt, m.parameters(), payload={**payload, "grid": grid},
                    dataset=m.to_xarray() if out_fmt == "netcdf" else None)
    if plot is not None:
        from tcpredict.plotting.stacks import plot_map

        plot_map(m, plot)
    if json_out:
        print_json(payload)
        exit_if_unconverged(m)
        return
    con = out_console()
    con.print(f"[bold]{m.a}/{m.b}[/bold] ({s['parametrisation']}): best Tc = "
              f"{m.tc_best_K:.4f} K at d_{m.a} = {m.best_thickness_a_nm:.4g} nm, "
              f"d_{m.b} = {m.best_thickness_b_nm:.4g} nm; bulk Tc {m.tc_measured_a_K:g} K / "
              f"{m.tc_measured_b_K:g} K (measured), {m.tc_bulk_model_a_K:.4g} K / "
              f"{m.tc_bulk_model_b_K:.4g} K (model)")
    rows = sensitivity_rows(m.sensitivity) + band_rows(m.uncertainty)
    if rows:
        t = Table(show_header=False, title="at the optimum: sensitivities"
                  + (" and bands (docs/uncertainty.md)" if m.uncertainty else ""))
        for k, v in rows:
            t.add_row(k, v)
        con.print(t)
    for k in ("plot", "out"):
        if s[k]:
            con.print(f"{k}: {s[k]}")
    exit_if_unconverged(m)


@app.command("screen")
@user_errors
def screen_cmd(
    elements: str = typer.Option(None, "--elements",
                                 help="Comma-separated symbols (default: all in the data)."),
    thickness: str = typer.Option("0.3:5:12", "--thickness",
                                  help="Thickness grid for both layers (nm): a,b,c or "
                                       "log:START:STOP:N, lin:START:STOP:N, START:STOP:N (log)."),
    out: Path = typer.Option(Path("screen_out"), "--out",
                             help="Output directory (a folder; absolute, or relative to the "
                                  "current directory; with --scheduler it must be shared with "
                                  "every worker at the same path)."),
    scheduler: str = typer.Option(None, "--scheduler",
                                  help="Address of a running dask scheduler, e.g. "
                                       "tcp://HOST:8786 (default: an embedded cluster)."),
    workers: int = typer.Option(2, "--workers",
                                help="Worker processes of the embedded cluster (count, 1 to "
                                     "4 per CPU core; ignored with --scheduler)."),
    gamma: float = typer.Option(None, "--gamma",
                                help="Γ_A (meV) felt by layer A; default: the Cooper limit."),
    cooper_limit: bool = typer.Option(False, "--cooper-limit",
                                      help="Γ → ∞, the default (dimensionless switch)."),
    confinement: bool = typer.Option(True, "--confinement/--no-confinement",
                                     help="Confinement model for both layers "
                                          "(dimensionless switch)."),
    lambda_rule: str = typer.Option("dos-scaling", "--lambda-rule",
                                    help="λ(L) rule name or table file (dimensionless λ)."),
    mustar_rule: str = typer.Option("constant", "--mustar-rule",
                                    help="μ*(L) rule name or table file (dimensionless μ*)."),
    cutoff: float = typer.Option(None, "--cutoff",
                                 help="Common Matsubara cutoff (meV); default 10 × the larger "
                                      "Ω_max of each pair."),
    t_min: float = typer.Option(0.05, "--t-min", help="Screening floor (K)."),
    top: int = typer.Option(15, "--top", help="Rows of the printed ranking (count), at least 1."),
    uncertainty: bool = typer.Option(
        False, "--uncertainty",
        help="Bands of every pair's best Tc (at its optimal thicknesses) over draws of the "
             "element data ranges and over the shipped thickness rules: adds tc_p16_K, "
             "tc_p84_K (K), tc_model_min_K, tc_model_max_K (K) and, with --threshold, "
             "p_superconducting to results.parquet; the ranking then sorts by tc_p16_K "
             "(docs/uncertainty.md §6)."),
    samples: int = SamplesOpt,
    seed: int = SeedOpt,
    threshold: float = ThresholdOpt,
):
    """Screen every pair of elements for superconducting bilayers (dask).

    Exit status: 0 done, 2 bad input (or workers that cannot use --out), 3 computation
    failed (numerical, or the cluster lost a task), 130 interrupted (finished pairs are kept;
    rerun the same command to resume)."""
    try:
        from tcpredict.materials.elements import list_elements
        from tcpredict.stacks.report import screen_with_report
        from tcpredict.stacks.screen import check_worker_count, resolve_out_dir

        if not 1 <= top <= MAX_TOP_ROWS:
            raise UserError(f"--top must be ≥ 1 and ≤ {MAX_TOP_ROWS} (rows), got {top}")
        if scheduler is None:
            try:
                check_worker_count(workers)
            except ValueError as exc:
                raise UserError(f"--{exc}") from None
        else:
            _check_scheduler_address(scheduler)
        if cutoff is not None and not (math.isfinite(cutoff) and cutoff > 0):
            raise UserError(f"--cutoff must be a finite energy > 0 meV, got {cutoff}")
        out_dir = resolve_out_dir(out)
        _check_out_dir_writable(out_dir, out)
        els = list_elements() if elements is None else _element_list(elements)
        d = parse_thickness_list(thickness)
        spec = uncertainty_spec(uncertainty, samples, seed, threshold)
        cfg = _config(d, gamma, cooper_limit, confinement, lambda_rule, mustar_rule, cutoff,
                      t_min, spec)
        from tcpredict.stacks.screen import check_screen_input

        check_screen_input(els, cfg)
        _check_screen_cutoff(els, cfg)
        screen_with_report(els, out_dir, cfg, scheduler=scheduler, workers=workers, top=top)
    except KeyboardInterrupt as exc:
        if hasattr(exc, "total"):  # ScreenInterrupted: how much is kept
            msg = (f"interrupted: {exc.done} of {exc.total} pairs finished and kept in "
                   f"{exc.out_dir / 'parts'}; rerun the same command to resume")
        else:
            msg = "interrupted"
        typer.echo(msg, err=True)
        raise typer.Exit(130) from None


def _element_list(text: str) -> list[str]:
    """``--elements A,B,C``: every entry non-empty (an empty value is not "all elements")."""
    toks = [t.strip() for t in text.split(",")]
    if not text.strip():
        raise UserError("--elements: empty value (omit the option to screen every element)")
    for k, t in enumerate(toks, start=1):
        if not t:
            raise UserError(f"--elements {text!r}: empty entry {k} in the list")
    return toks


def _check_scheduler_address(address: str) -> None:
    """``--scheduler``: [PROTOCOL://]HOST:PORT (checked before connecting)."""
    import re

    if not re.fullmatch(r"(?:[a-z][a-z0-9+.-]*://)?[^\s/:]+(?::\d{1,5})?", address.strip()):
        raise UserError(f"--scheduler {address!r} is not a dask scheduler address; give "
                        "PROTOCOL://HOST:PORT, e.g. tcp://10.0.0.5:8786")


def _check_screen_cutoff(elements, cfg) -> None:
    """An explicit --cutoff below 2 Ω_max of every element converges no pair: refused before
    the cluster starts (docs/eliashberg.md §2.2)."""
    if cfg.cutoff_meV is None:
        return
    from tcpredict.eliashberg.tc import CUTOFF_MIN_OVER_OMEGA_MAX
    from tcpredict.materials.elements import get_element

    tops = [get_element(e).alpha2f().omega_max_meV for e in elements]
    need = CUTOFF_MIN_OVER_OMEGA_MAX * min(tops)
    if cfg.cutoff_meV < need:
        raise UserError(f"--cutoff {cfg.cutoff_meV:g} meV is below {CUTOFF_MIN_OVER_OMEGA_MAX:g} "
                        f"Ω_max = {need:.4g} meV of every element: no pair would converge")


def _check_out_dir_writable(out_dir: Path, given) -> None:
    """The screen's folder (or its nearest existing parent) must accept new files."""
    from tcpredict.cli.common import is_writable_dir

    p = out_dir
    while not p.exists() and p != p.parent:
        p = p.parent
    if not is_writable_dir(p):
        raise UserError(f"--out {given}: directory {p} is not writable")
