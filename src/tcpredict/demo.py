"""The main job of ``make demo``: bulk Eliashberg results for the built-in elements with a
tabulated α²F, then a proximity screen of bilayers over built-in elements (dask, local cluster).

Everything written goes below ``out``; the paths are printed at the end.
"""

from __future__ import annotations

import json
from pathlib import Path

from tcpredict.eliashberg.tc import solve_tc
from tcpredict.eliashberg.gap import solve_gap
from tcpredict.materials.elements import get_element
from tcpredict.plotting.eliashberg import plot_thermo, thermo_caveats
from tcpredict.eliashberg.realaxis import continue_gap
from tcpredict.eliashberg.thermo import thermodynamics
from tcpredict.provenance import jsonable, stamp

__all__ = ["run_demo", "bulk_summary"]

#: Elements with a shipped α²F table (computed spectra) plus Pb (model from its moments).
BULK_ELEMENTS = ("Al", "Nb", "Pb")


def bulk_summary(symbols=BULK_ELEMENTS, out: Path | None = None) -> list[dict]:
    """Tc, gap edge, 2Δ₀/k_BTc and thermodynamic ratios of elements (bulk); one dict per
    element with the keys of docs/glossary.md (written to ``bulk.json`` under ``"results"``)."""
    rows = []
    for sym in symbols:
        el = get_element(sym)
        sp = el.alpha2f()
        r = solve_tc(sp, el.mustar, mustar_at_meV=el.mustar_at_meV)
        row = {"material": sym, "spectrum_source": sp.source,
               "alpha2f_is_model": el.alpha2f_is_model, "lambda": r.lam, "omega_log_meV": r.omega_log_meV, "mustar": r.mustar,
               "mustar_at_meV": r.mustar_at_meV, "tc_K": r.tc_K,
               "allen_dynes_K": r.allen_dynes_K, "tc_measured_K": el.tc_measured_K}
        if r.tc_K:
            g = solve_gap(sp, el.mustar, 0.1 * r.tc_K, mustar_at_meV=el.mustar_at_meV,
                          tc_K=r.tc_K)
            ra = continue_gap(g)
            n0 = 3.0 * el.n_per_nm3 / (4.0 * el.fermi_energy_eV * 1e3)
            th = thermodynamics(sp, el.mustar, mustar_at_meV=el.mustar_at_meV,
                                n0_per_meV_nm3=n0, n_temperatures=12)
            row.update(delta0_meV=ra.delta0_meV, two_delta_over_kTc=ra.two_delta_over_kT(r.tc_K),
                       delta_c_over_gamma_tc=th.delta_c_over_gamma_tc,
                       gamma_tc2_over_hc02=th.gamma_tc2_over_hc02, hc0_T=th.hc0_T)
            if out is not None:
                row["thermo_figure"] = str(plot_thermo(
                    th, out / f"thermo_{sym}.png", title=sym,
                    caveats=thermo_caveats(free_electron_n0=True,
                                           alpha2f_is_model=el.alpha2f_is_model)))
        rows.append(row)
    return rows


def run_demo(out, quick: bool = False, console=None) -> dict:
    """Run the demo; returns the paths written."""
    from rich.console import Console
    from rich.table import Table

    from tcpredict.stacks.report import run_demo_screen

    console = console or Console()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    console.print("[bold]1/2 bulk Eliashberg results[/bold] (Tc, gap, thermodynamics)")
    symbols = BULK_ELEMENTS[:1] if quick else BULK_ELEMENTS
    rows = bulk_summary(symbols, out)
    doc = stamp({"results": rows}, {"materials": list(symbols), "quick": bool(quick),
                                    "out": str(out)})
    (out / "bulk.json").write_text(json.dumps(jsonable(doc), indent=2, ensure_ascii=False),
                                   encoding="utf-8")
    t = Table("element", "Tc [K]", "measured [K]", "Allen–Dynes [K]", "2Δ₀/kTc", "ΔC/γTc",
              "B_c(0) [mT]")
    for r in rows:
        t.add_row(r["material"], f"{r['tc_K']:.4g}", f"{r['tc_measured_K']:.4g}",
                  f"{r['allen_dynes_K']:.4g}", f"{r.get('two_delta_over_kTc', 0):.3f}",
                  f"{r.get('delta_c_over_gamma_tc', 0):.3f}",
                  f"{1e3 * (r.get('hc0_T') or 0):.3g}")
    console.print(t)
    console.print("[bold]2/2 bilayer screen[/bold] (proximity + confinement, local dask cluster)")
    run_demo_screen(out / "screen", workers=1 if quick else 2, quick=quick)
    paths = {"bulk": str(out / "bulk.json"), "screen": str(out / "screen")}
    console.print(f"\nResults are in [bold]{out.resolve()}[/bold]:")
    console.print(f"  bulk table      {out / 'bulk.json'}  (figures thermo_*.png)")
    console.print(f"  bilayer screen  {out / 'screen'}")
    return paths
