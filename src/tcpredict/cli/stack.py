"""``tcpredict stack | bilayer | map | screen``: proximity-coupled layers (proximity.md).

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
from rich.console import Console
from rich.table import Table

from tcpredict.cli.common import UserError, app, parse_thickness_list, print_json, user_errors
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
    if not math.isfinite(dv) or dv <= 0:
        raise UserError(f"{flag}: thickness must be > 0 nm, got {d!r}")
    return mat.strip(), dv


def _interface_kw(gamma: float | None, cooper: bool, decoupled: bool = False) -> dict:
    if sum([gamma is not None, cooper, decoupled]) > 1:
        raise UserError("give at most one of --gamma, --cooper-limit, --decoupled")
    if gamma is not None:
        return {"gamma_meV": gamma}
    if decoupled:
        return {"decoupled": True}
    return {"cooper_limit": True}


def _print_stack(res) -> None:
    con = Console()
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
        con.print(f"interface {i}: {p}, Γ (first←second, second←first) = {g} meV")


@app.command("stack")
@user_errors
def stack(
    file: Path = typer.Argument(..., help="TOML stack file (see docs/proximity.md)."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object."),
    method: str = typer.Option("compressed", "--method", help="compressed or exact grid."),
    temperature: str = typer.Option(None, "--temperature", help="Temperature(s) (K) for the "
                                    "gaps of every layer: a value, a list a,b,c or a range "
                                    "lin:START:STOP:N."),
    real_axis: str = typer.Option("pade", "--real-axis", help="Real-axis continuation of the "
                                  "gaps: 'pade' or 'none'."),
    out: Path = typer.Option(None, "--out", help="Write the gap sweep as netCDF (needs "
                             "--temperature)."),
    plot: Path = typer.Option(None, "--plot", help="PNG of Δ₀(T) and N(ω) (needs "
                              "--temperature)."),
):
    """Tc of a stack of layers described in a TOML file (and, with --temperature, the gaps)."""
    if (out is not None or plot is not None) and temperature is None:
        raise UserError("--out and --plot need --temperature (the gap sweep to write)")
    if real_axis not in ("pade", "none"):
        raise UserError(f"--real-axis must be 'pade' or 'none', got {real_axis!r}")
    temps = None
    if temperature is not None:
        from tcpredict.cli.common import parse_range

        temps = parse_range(temperature, "--temperature", "K",
                            max_points=2000)
    sf = load_stack_file(file)
    res = sf.stack.tc(t_min_K=sf.t_min_K, method=method)
    d = {"file": str(file), **res.to_dict()}
    if temps is not None:
        d["temperatures"] = _stack_gaps(sf.stack, res, temps, real_axis, out, plot, file)
        d.update(out=None if out is None else str(out), plot=None if plot is None else str(plot))
    if json_out:
        print_json(d)
    else:
        _print_stack(res)
        for row in d.get("temperatures", []):
            Console().print(f"T = {row['temperature_K']:.4g} K: Δ(iω₀) = "
                            + ", ".join(f"{k} {v:.4g}" for k, v in row["delta_iw0_meV"].items())
                            + " meV")


def _stack_gaps(stack, res, temps, real_axis, out, plot, file):
    """Gap sweep of a stack (warm-started) → JSON rows; writes netCDF / PNG on request."""
    import json

    from tcpredict.eliashberg.gapdata import (
        DEFAULT_OMEGA_POINTS,
        MAX_DATASET_VALUES,
        dataset_size,
        write_netcdf,
    )
    from tcpredict.eliashberg.matsubara import n_matsubara
    from tcpredict.stacks.gapsweep import stack_sweep_dataset

    if res.tc_K is None:
        raise UserError(f"no superconductivity above {res.t_min_K:g} K: no gap to compute")
    size = dataset_size(len(temps), len(stack.layers),
                        n_matsubara(float(min(temps)), stack.cutoff_meV),
                        DEFAULT_OMEGA_POINTS if real_axis != "none" else 0)
    if size > MAX_DATASET_VALUES:
        raise UserError(f"the gap sweep would hold {size} values (limit {MAX_DATASET_VALUES}): "
                        "use fewer or higher temperatures")
    ds = stack_sweep_dataset(stack, temps, tc_K=res.tc_K,
                             real_axis=None if real_axis == "none" else real_axis,
                             parameters={"file": str(file)})
    if out is not None:
        write_netcdf(ds, out)
    if plot is not None:
        from tcpredict.plotting.eliashberg import plot_gap_sweep

        plot_gap_sweep(ds, plot, title=f"{Path(file).name}: Tc = {res.tc_K:.4g} K")
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
    return rows


@app.command("bilayer")
@user_errors
def bilayer_cmd(
    a: str = typer.Option(..., "--a", help="Layer A as MATERIAL:THICKNESS_nm, e.g. Al:0.5."),
    b: str = typer.Option(..., "--b", help="Layer B as MATERIAL:THICKNESS_nm, e.g. Au:0.47."),
    gamma: float = typer.Option(None, "--gamma", help="Γ_A [meV] felt by layer A (Γ_B by "
                                "detailed balance). Default: the Cooper limit."),
    cooper_limit: bool = typer.Option(False, "--cooper-limit", help="Γ → ∞ (default)."),
    decoupled: bool = typer.Option(False, "--decoupled", help="Γ = 0."),
    confinement: bool = typer.Option(True, "--confinement/--no-confinement",
                                     help="Apply the confinement model to both layers."),
    lambda_rule: str = typer.Option("dos-scaling", "--lambda-rule", help="λ(L) rule."),
    mustar_rule: str = typer.Option("constant", "--mustar-rule", help="μ*(L) rule."),
    cutoff: float = typer.Option(None, "--cutoff", help="Cutoff [meV] (default 10 Ω_max)."),
    t_min: float = typer.Option(DEFAULT_T_MIN_K, "--t-min", help="Floor [K]."),
    method: str = typer.Option("compressed", "--method", help="compressed or exact grid."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object."),
):
    """Tc of a bilayer of two elements (confined films by default)."""
    (ma, da), (mb, db) = _layer_spec(a, "--a"), _layer_spec(b, "--b")
    kw = _interface_kw(gamma, cooper_limit, decoupled)
    mk = lambda m, d: Layer.from_element(m, d, confined=confinement,  # noqa: E731
                                         lambda_rule=lambda_rule, mustar_rule=mustar_rule)
    st = make_bilayer(mk(ma, da), mk(mb, db), cutoff_meV=cutoff, **kw)
    res = st.tc(t_min_K=t_min, method=method)
    if json_out:
        print_json(res.to_dict())
    else:
        _print_stack(res)


def _config(thickness, gamma, cooper, confinement, lambda_rule, mustar_rule, cutoff, t_min
            ) -> ScreenConfig:
    kw = _interface_kw(gamma, cooper)
    return ScreenConfig(thickness_nm=tuple(thickness), gamma_meV=kw.get("gamma_meV"),
                        confined=confinement, lambda_rule=lambda_rule,
                        mustar_rule=mustar_rule, cutoff_meV=cutoff, t_min_K=t_min)


@app.command("map")
@user_errors
def map_cmd(
    a: str = typer.Option(..., "--a", help="Element of layer A."),
    b: str = typer.Option(..., "--b", help="Element of layer B."),
    thickness_a: str = typer.Option("0.3:5:12", "--thickness-a",
                                    help="d_A grid [nm]: a,b,c or START:STOP:N (log)."),
    thickness_b: str = typer.Option("0.3:5:12", "--thickness-b", help="d_B grid [nm]."),
    gamma: float = typer.Option(None, "--gamma", help="Γ_A [meV]; default Cooper limit."),
    cooper_limit: bool = typer.Option(False, "--cooper-limit", help="Γ → ∞ (default)."),
    confinement: bool = typer.Option(True, "--confinement/--no-confinement"),
    lambda_rule: str = typer.Option("dos-scaling", "--lambda-rule"),
    mustar_rule: str = typer.Option("constant", "--mustar-rule"),
    cutoff: float = typer.Option(None, "--cutoff", help="Cutoff [meV]."),
    t_min: float = typer.Option(0.05, "--t-min", help="Floor [K]."),
    plot: Path = typer.Option(None, "--plot", help="Heat map (PNG)."),
    out: Path = typer.Option(None, "--out", help="Grid as Parquet."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
):
    """Tc(d_A, d_B) map of a bilayer; optimum found by bounded optimisation."""
    da, db = parse_thickness_list(thickness_a), parse_thickness_list(thickness_b)
    cfg = _config(da, gamma, cooper_limit, confinement, lambda_rule, mustar_rule, cutoff, t_min)
    m = tc_map(a, b, da, db, cfg)
    if out is not None:
        m.to_frame().to_parquet(out, index=False)
    if plot is not None:
        from tcpredict.plotting.stacks import plot_map

        plot_map(m, plot)
    s = m.summary()
    s.update(plot=None if plot is None else str(plot), out=None if out is None else str(out))
    if json_out:
        print_json(s)
        return
    con = Console()
    con.print(f"[bold]{m.a}/{m.b}[/bold] ({s['parametrisation']}): best Tc = "
              f"{m.tc_best_K:.4f} K at d_{m.a} = {m.best_thickness_a_nm:.4g} nm, "
              f"d_{m.b} = {m.best_thickness_b_nm:.4g} nm; bulk Tc {m.tc_bulk_a_K:g} K / "
              f"{m.tc_bulk_b_K:g} K (measured), {m.tc_model_bulk_a_K:.4g} K / "
              f"{m.tc_model_bulk_b_K:.4g} K (model)")
    for k in ("plot", "out"):
        if s[k]:
            con.print(f"{k}: {s[k]}")


@app.command("screen")
@user_errors
def screen_cmd(
    elements: str = typer.Option(None, "--elements",
                                 help="Comma-separated symbols (default: all in the data)."),
    thickness: str = typer.Option("0.3:5:12", "--thickness", help="Grid for both layers [nm]."),
    out: Path = typer.Option(Path("screen_out"), "--out", help="Output directory."),
    scheduler: str = typer.Option(None, "--scheduler", help="Address of a dask scheduler."),
    workers: int = typer.Option(2, "--workers", help="Workers of the embedded cluster."),
    gamma: float = typer.Option(None, "--gamma", help="Γ_A [meV]; default Cooper limit."),
    cooper_limit: bool = typer.Option(False, "--cooper-limit", help="Γ → ∞ (default)."),
    confinement: bool = typer.Option(True, "--confinement/--no-confinement"),
    lambda_rule: str = typer.Option("dos-scaling", "--lambda-rule"),
    mustar_rule: str = typer.Option("constant", "--mustar-rule"),
    t_min: float = typer.Option(0.05, "--t-min", help="Screening floor [K]."),
    top: int = typer.Option(15, "--top", help="Rows of the printed ranking."),
):
    """Screen every pair of elements for superconducting bilayers (dask)."""
    from tcpredict.stacks.report import screen_with_report
    from tcpredict.materials.elements import list_elements

    els = list_elements() if not elements else [e.strip() for e in elements.split(",")
                                                 if e.strip()]
    d = parse_thickness_list(thickness)
    cfg = _config(d, gamma, cooper_limit, confinement, lambda_rule, mustar_rule, None, t_min)
    screen_with_report(els, out, cfg, scheduler=scheduler, workers=workers, top=top)
