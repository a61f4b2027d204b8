"""``tcpredict elements``: the element data with sources, estimate flags and ranges
(thin layer over :mod:`tcpredict.materials.elements`; docs/materials.md).

Example::

    tcpredict elements            # a table on a terminal, CSV when piped
    tcpredict elements --json     # every number, range, source and flag
"""

from __future__ import annotations

import csv
import sys

import typer

from tcpredict.cli.common import out_console
from tcpredict.cli.common import app, print_json, user_errors
from tcpredict.materials.elements import (ELEMENTS_FILE, REJECTED_FILE, load_elements,
                                          load_rejected)
from tcpredict.provenance import csv_header, stamp

__all__ = ["elements", "elements_report", "CSV_KEYS"]

#: Columns of the CSV output (one row per element; sources and flags included).
CSV_KEYS = ["symbol", "name", "tc_measured_K", "valence", "n_per_nm3", "fermi_energy_eV",
            "debye_K", "lambda", "lambda_lo", "lambda_hi", "omega_log_meV", "omega_log_lo_meV",
            "omega_log_hi_meV", "omega2_meV", "omega2_lo_meV", "omega2_hi_meV", "mustar",
            "mustar_lo", "mustar_hi", "mustar_at_meV", "alpha2f", "a2f_source", "estimates",
            "range_kinds", "sources", "notes"]


def elements_report() -> dict:
    """The ``--json`` object: version, parameters, every element (``Element.to_dict``) and the
    rejected metals with their reasons."""
    els = [e.to_dict() for e in load_elements().values()]
    rejected = [dict(rec) for rec in load_rejected().values()]
    params = {"elements_file": str(ELEMENTS_FILE), "rejected_file": str(REJECTED_FILE)}
    return stamp({"n_elements": len(els), "elements": els, "rejected": rejected}, params)


def _csv_row(d: dict) -> list:
    out = []
    for k in CSV_KEYS:
        v = d[k]
        if k == "estimates":
            v = ";".join(v)
        elif k in ("range_kinds", "sources"):
            v = "; ".join(f"{kk}: {vv}" for kk, vv in v.items())
        out.append(v)
    return out


def _write_csv(report: dict) -> None:
    sys.stdout.write(csv_header(report["parameters"]))
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(CSV_KEYS)
    for d in report["elements"]:
        w.writerow(_csv_row(d))


def _rng(lo: float, hi: float) -> str:
    return f"{lo:.3g}–{hi:.3g}"


def _print_table(report: dict) -> None:
    from rich.table import Table

    con = out_console()
    t = Table(title="tcpredict element data (* = estimate; ranges: L literature-spread, "
                    "D default-range, C computed)")
    for col in ("el.", "Tc meas. (K)", "n (nm⁻³)", "E_F (eV)", "Θ_D (K)", "λ [range]",
                "ω_log (meV) [range]", "ω̄₂ (meV)", "μ* [range]", "μ* at (meV)", "α²F"):
        t.add_column(col, overflow="fold")
    short = {"literature-spread": "L", "default-range": "D", "computed": "C"}
    for d in report["elements"]:
        est = set(d["estimates"])
        kinds = d["range_kinds"]

        def v(key, field, fmt="{:.4g}"):
            return fmt.format(d[key]) + ("*" if field in est else "")

        t.add_row(
            d["symbol"], v("tc_measured_K", "tc_measured_K", "{:g}"), v("n_per_nm3", "n_per_nm3"),
            v("fermi_energy_eV", "fermi_energy_eV"), v("debye_K", "debye_K", "{:g}"),
            f"{v('lambda', 'lambda')} [{_rng(d['lambda_lo'], d['lambda_hi'])} "
            f"{short[kinds['lambda']]}]",
            f"{v('omega_log_meV', 'omega_log_meV')} "
            f"[{_rng(d['omega_log_lo_meV'], d['omega_log_hi_meV'])} "
            f"{short[kinds['omega_log_meV']]}]",
            v("omega2_meV", "omega2_meV"),
            f"{v('mustar', 'mustar')} [{_rng(d['mustar_lo'], d['mustar_hi'])} "
            f"{short[kinds['mustar']]}]",
            v("mustar_at_meV", "mustar_at_meV", "{:.1f}"), d["alpha2f"])
    con.print(t)
    con.print("Rejected (get_element refuses them): " + "; ".join(
        f"{r['symbol']}: {r['reason'].split(':')[0]}" for r in report["rejected"]))
    con.print("Sources, range sources and notes: tcpredict elements --json, or docs/materials.md.")


@app.command("elements")
@user_errors
def elements(
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object (every number, "
                                  "range, source and estimate flag)."),
):
    """List the element data: measured Tc, free-electron data, λ, ω_log, ω̄₂, μ* with ranges.

    On a terminal: a table; when stdout is not a terminal: CSV with every column (sources
    included), so nothing is cut off when piped.
    """
    report = elements_report()
    if json_out:
        print_json(report)
    elif sys.stdout.isatty():
        _print_table(report)
    else:
        try:
            _write_csv(report)
            sys.stdout.flush()
        except BrokenPipeError:  # `tcpredict elements | head`: the reader stopped, not an error
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
