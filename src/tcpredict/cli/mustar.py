"""``tcpredict mustar --from ebmb|epw|isome``: a μ* quoted in another code's convention, in
tcpredict's (value, energy at which it is defined, cutoff); docs/eliashberg.md "μ* conventions".

    tcpredict mustar --from isome --kind ad --mustar 0.12 --a2f Al.dat --unit THz --column 5 --tc
    tcpredict mustar --from epw --mustar 0.1 --cutoff 1000 --json
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from tcpredict.cli.common import out_console
from tcpredict.cli.common import UserError, app, print_json, user_errors
from tcpredict.cli.core import (
    A2fOpt,
    ColumnOpt,
    EinsteinOpt,
    ElementOpt,
    LambdaOpt,
    UnitOpt,
    resolve_spectrum,
)

__all__ = ["mustar_cmd"]


@app.command("mustar")
@user_errors
def mustar_cmd(
    code: str = typer.Option(..., "--from", help="Convention of the quoted value: ebmb, epw "
                             "or isome."),
    value: float = typer.Option(..., "--mustar", help="The μ* as quoted in that code "
                                "(dimensionless; IsoME --kind mu: the bare μ)."),
    kind: Optional[str] = typer.Option(None, "--kind", help="IsoME: ad (muc_AD, default), me "
                                       "(muc_ME) or mu (bare μ); ebmb: mustar; epw: muc."),
    einstein_meV: Optional[float] = EinsteinOpt, lam: Optional[float] = LambdaOpt,
    a2f: Optional[Path] = A2fOpt, unit: Optional[str] = UnitOpt, column: int = ColumnOpt,
    element: Optional[str] = ElementOpt,
    omega_ref: Optional[float] = typer.Option(
        None, "--omega-ref", help="Reference energy (meV) instead of the one taken from the "
        "spectrum: ebmb ω_E, IsoME ω_ph, or IsoME typEl/E_F for --kind mu."),
    cutoff: Optional[float] = typer.Option(
        None, "--cutoff", help="The other run's Matsubara cutoff (meV): ebmb default "
        "15 ω_E, IsoME default 7000; EPW wscut (required)."),
    rescale: bool = typer.Option(True, "--rescale/--no-rescale", help="ebmb's rescale "
                                 "(default on): off means the value is μ* at the cutoff."),
    tc: bool = typer.Option(False, "--tc", help="Also solve Tc (K) with the converted μ* "
                            "(needs a spectrum)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
):
    """Convert a μ* from ebmb's, EPW's or IsoME's convention into tcpredict's."""
    from tcpredict.eliashberg.mustar import convert_mustar
    from tcpredict.provenance import stamp

    spectrum, label = None, None
    if any(x is not None for x in (einstein_meV, a2f, element)):
        ch = resolve_spectrum(einstein_meV, lam, a2f, unit, column, element, value, None)
        spectrum, label = ch.spectrum, ch.label
    elif lam is not None:
        raise UserError("--lambda goes with --einstein")
    if tc and spectrum is None:
        raise UserError("--tc needs a spectrum: --einstein/--lambda, --a2f or --element")
    c = convert_mustar(code, value, kind=kind, spectrum=spectrum, cutoff_meV=cutoff,
                       omega_ref_meV=omega_ref, rescale=rescale)
    d = c.to_dict()
    d["tcpredict_options"] = (f"--mustar {c.mustar:.10g} --mustar-at {c.mustar_at_meV:.10g}"
                              f" --cutoff {c.cutoff_meV:.10g}")
    if spectrum is not None:
        d["spectrum"] = label
    if tc:
        from tcpredict.eliashberg.tc import solve_tc

        r = solve_tc(spectrum, c.mustar, mustar_at_meV=c.mustar_at_meV)
        d.update(tc_K=r.tc_K, tc_cutoff_meV=r.cutoff_meV,
                 tc_mustar_at_cutoff=r.mustar_at_cutoff, tc_converged=r.converged)
    params = {"from": code, "kind": c.kind, "value": value, "spectrum": label,
              "omega_ref_meV": omega_ref, "cutoff_meV": cutoff, "rescale": rescale}
    if as_json:
        print_json(stamp(d, params))
        return

    con = out_console()
    con.print(f"{code} {c.kind} = {value:g}: {c.convention}")
    con.print(f"tcpredict: μ* = {c.mustar:.6g} at {c.mustar_at_meV:.6g} meV "
              f"(= {c.mustar_at_cutoff:.6g} at the {code} cutoff {c.cutoff_meV:.6g} meV)")
    con.print(f"options: {d['tcpredict_options']}")
    if tc:
        con.print(f"Tc = {d['tc_K']:.6g} K (tcpredict cutoff {d['tc_cutoff_meV']:.4g} meV)"
                  if d["tc_K"] is not None else "no superconductivity above 0.01 K")
    for n in c.notes:
        con.print(f"note: {n}")
