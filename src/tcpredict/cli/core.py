"""Core ``tcpredict`` commands: ``tc``, ``gap``, ``thermo``, ``demo``, ``--version``.

Registered on the shared app of :mod:`tcpredict.cli.common`; :mod:`tcpredict.cli.main` assembles
all command modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import typer

from tcpredict.cli.common import out_console  # noqa: I001
from tcpredict.cli.common import (FIGURE_FORMATS, QuietOpt, UserError, app, output_format, print_json,
                                  user_errors, exit_if_unconverged, write_sweep_files)
from tcpredict.cli.uncertainty_opts import (SamplesOpt, SeedOpt, ThresholdOpt, UncertaintyOpt,
                                            band_rows, sensitivity_rows, uncertainty_spec)
from tcpredict.limits import MAX_N0_PER_MEV_NM3, MUSTAR_MAX
from tcpredict.provenance import stamp

__all__ = ["resolve_spectrum", "bkt_payload", "bkt_rows"]



class _LazyConsole:
    """rich's Console, created on first use (a JSON-only command never imports rich)."""

    _c = None

    def __getattr__(self, name):
        if _LazyConsole._c is None:
            _LazyConsole._c = out_console()
        return getattr(_LazyConsole._c, name)


console = _LazyConsole()


# ---------------------------------------------------------------------------- spectrum options
@dataclass
class SpectrumChoice:
    spectrum: object
    mustar: float
    mustar_at_meV: Optional[float]
    label: str
    element: object = None
    model_spectrum: bool = False


def resolve_spectrum(einstein_meV, lam, a2f, unit, column, element, mustar, mustar_at_meV):
    """Turn the spectrum options of ``tc``/``gap``/``thermo`` into an :class:`Alpha2F` + μ*."""
    from tcpredict.eliashberg.spectra import einstein

    given = [x is not None for x in (einstein_meV, a2f, element)]
    if sum(given) != 1:
        raise UserError("give exactly one spectrum: --einstein OMEGA_meV --lambda LAM, "
                        "--a2f FILE, or --element SYMBOL")
    if mustar is not None and not 0 <= mustar < MUSTAR_MAX:
        raise UserError(f"--mustar must be in [0, {MUSTAR_MAX:g}) (μ*, README \"Limits\"), got "
                        f"{mustar:g}")
    if element is not None:
        from tcpredict.materials.elements import get_element

        el = get_element(element)
        sp = el.alpha2f()
        mu = el.mustar if mustar is None else mustar
        at = (el.mustar_at_meV if mustar is None else mustar_at_meV)
        return SpectrumChoice(sp, mu, at, el.symbol, el, el.alpha2f_is_model)
    if mustar is None:
        raise UserError("--mustar is required with --einstein or --a2f")
    if einstein_meV is not None:
        if lam is None:
            raise UserError("--einstein needs --lambda")
        if lam <= 0:
            raise UserError(f"--lambda must be > 0, got {lam}")
        if einstein_meV <= 0:
            raise UserError(f"--einstein must be > 0 meV, got {einstein_meV}")
        return SpectrumChoice(einstein(einstein_meV, lam), mustar, mustar_at_meV,
                              f"Einstein {einstein_meV:g} meV, λ={lam:g}")
    if lam is not None:
        raise UserError("--lambda goes with --einstein (an α²F file defines its own λ)")
    from tcpredict.materials.loaders import load_alpha2f

    sp = load_alpha2f(Path(a2f), unit=unit, column=column)
    return SpectrumChoice(sp, mustar, mustar_at_meV, str(a2f))


EinsteinOpt = typer.Option(None, "--einstein", help="Einstein mode energy Ω_E (meV); an exact "
                           "delta spectrum.")
LambdaOpt = typer.Option(None, "--lambda", help="λ of the Einstein mode (dimensionless).")
A2fOpt = typer.Option(None, "--a2f", help="α²F text file: two or more columns, EPW or Quantum "
                      "ESPRESSO output (docs/eliashberg.md §1.1).")
UnitOpt = typer.Option(None, "--unit", help="Energy unit of the file's first column: meV, eV, "
                       "THz, Ry, Ha, cm-1 or K (default: from the file format, else meV).")
ColumnOpt = typer.Option(1, "--column", help="Which α²F column, counting from 1 after the energy "
                         "column (dimensionless index).")
ElementOpt = typer.Option(None, "--element", help="Element from the built-in data, e.g. Pb "
                          "(tcpredict elements lists them).")
MustarOpt = typer.Option(None, "--mustar", help="Coulomb pseudopotential μ* (dimensionless; "
                         "default with --element: the element's value).")
MustarAtOpt = typer.Option(None, "--mustar-at", help="Energy at which μ* is defined (meV; default "
                           "Ω_max, the top of the spectrum).")
CutoffOpt = typer.Option(None, "--cutoff", help="Matsubara cutoff ω_c (meV; default 10 Ω_max, "
                         "raised until ≥ 12 Matsubara frequencies lie below it at Tc, "
                         "docs/eliashberg.md §2.2).")
TminOpt = typer.Option(0.01, "--t-min", help="Lowest temperature searched (K).")
JsonOpt = typer.Option(False, "--json", help="Print one JSON object (keys: docs/glossary.md).")
PlotOpt = typer.Option(None, "--plot", help="Write a figure; the format follows the extension: "
                       ".png, .pdf or .svg.")


def _spectrum_parameters(einstein_meV, lam, a2f, unit, column, element, r) -> dict:
    """The resolved spectrum, μ* and cutoff inputs of tc/gap/thermo (provenance; defaults
    filled in from the result ``r``)."""
    return {"einstein_meV": einstein_meV, "lambda": lam,
            "a2f_file": None if a2f is None else str(a2f),
            "a2f_unit": unit if a2f is not None else None,
            "a2f_column": column if a2f is not None else None, "element": element,
            "mustar": r.mustar, "mustar_at_meV": r.mustar_at_meV, "cutoff_meV": r.cutoff_meV,
            "t_min_K": r.t_min_K}
SheetResistanceOpt = typer.Option(
    None, "--sheet-resistance", help="Normal-state sheet resistance R_□ (Ω) of a film of this "
    "material: adds the BKT temperature tc_bkt_K and the stiffness at 0.1 Tc (docs/stiffness.md).")
ResistivityOpt = typer.Option(
    None, "--resistivity", help="Normal-state resistivity ρ (µΩ·cm); with --thickness gives "
    "R_□ = ρ/d instead of --sheet-resistance.")
FilmThicknessOpt = typer.Option(
    None, "--thickness", help="Film thickness d (nm): R_□ = ρ/d with --resistivity, and the "
    "penetration depth.")
VortexDielectricOpt = typer.Option(
    1.0, "--vortex-dielectric", help="Vortex dielectric constant ε_v ≥ 1 of the BKT criterion "
    "k_BT = (π/2)J_s/ε_v (dimensionless; 1 = unrenormalised, the default).")


def bkt_payload(b) -> dict:
    """The BKT keys added to a command's JSON (docs/stiffness.md §5)."""
    return {"tc_bkt_K": b.tc_bkt_K, "stiffness_K": b.stiffness_K,
            "kinetic_inductance_pH": b.kinetic_inductance_pH,
            "penetration_depth_nm": b.penetration_depth_nm, "bkt": b.to_dict()}


def bkt_rows(b) -> list[tuple[str, str]]:
    """Console table rows of a BKT result."""
    t = b.stiffness_temperature_K
    return [("T_BKT", _fmt(b.tc_bkt_K, "K") + f"  (BMO estimate {_fmt(b.tc_bkt_bmo_K, 'K')})"),
            ("R_□", _fmt(b.sheet_resistance_ohm, "Ω")),
            (f"J_s/k_B at {_fmt(t, 'K')}", _fmt(b.stiffness_K, "K")),
            ("L_k per square", _fmt(b.kinetic_inductance_pH, "pH")),
            ("λ_L", _fmt(b.penetration_depth_nm, "nm"))]


def _tc_payload(choice: SpectrumChoice, r) -> dict:
    d = r.to_dict()
    d.update(spectrum=choice.label, alpha2f_is_model=choice.model_spectrum)
    if choice.element is not None:
        d["tc_measured_K"] = choice.element.tc_measured_K
    if choice.model_spectrum:
        d["notes"] = d["notes"] + ["α²F is a model built from the tabulated moments "
                                   "(λ, ω_log, ω̄₂), not a computed or measured spectrum"]
    return d


def _print_table(title: str, rows: list[tuple[str, str]]):
    from rich.table import Table

    t = Table(title=title, show_header=False)
    for k, v in rows:
        t.add_row(k, v)
    console.print(t)


def _fmt(v, unit=""):
    if v is None:
        return "—"
    return f"{v:.6g}{(' ' + unit) if unit else ''}"


@app.command("tc")
@user_errors
def tc_cmd(einstein_meV: Optional[float] = EinsteinOpt, lam: Optional[float] = LambdaOpt,
           a2f: Optional[Path] = A2fOpt, unit: Optional[str] = UnitOpt, column: int = ColumnOpt,
           element: Optional[str] = ElementOpt, mustar: Optional[float] = MustarOpt,
           mustar_at: Optional[float] = MustarAtOpt, cutoff: Optional[float] = CutoffOpt,
           t_min: float = TminOpt, as_json: bool = JsonOpt,
           sheet_resistance: Optional[float] = SheetResistanceOpt,
           resistivity: Optional[float] = ResistivityOpt,
           thickness: Optional[float] = FilmThicknessOpt,
           vortex_dielectric: float = VortexDielectricOpt,
           dos: Optional[Path] = typer.Option(
               None, "--dos", help="Energy-dependent DOS file: energy column, then DOS "
               "column(s) (e.g. Quantum ESPRESSO dos.x output); solves the equations with "
               "N(ε) (docs/eliashberg.md §7)."),
           dos_unit: Optional[str] = typer.Option(
               None, "--dos-unit", help="Energy unit of the DOS file: meV, eV, THz, Ry, Ha, "
               "cm-1, K (default: from the header)."),
           dos_column: int = typer.Option(1, "--dos-column", help="DOS column, counting from 1 "
                                          "after the energy (dimensionless)."),
           dos_fermi: Optional[float] = typer.Option(
               None, "--dos-fermi", help="Fermi energy in the DOS file's own energy unit "
               "(eV, meV, … as given by --dos-unit or the file's header; default: "
               "'EFermi = …' in the header; 0 if energies are measured from E_F)."),
           conserve_number: bool = typer.Option(
               False, "--conserve-number", help="With --dos: fix the chemical-potential shift "
               "by particle-number conservation (else δμ = 0)."),
           solve_for: Optional[str] = typer.Option(
               None, "--solve-for", help="Inverse problem: find 'mustar' (μ* at --mustar-at), "
               "'lambda-scale' (α²F → s α²F) or 'omega-scale' (phonon energies × f) so that Tc "
               "equals --target-tc (all dimensionless)."),
           target_tc: Optional[float] = typer.Option(
               None, "--target-tc", help="Target Tc (K) of --solve-for."),
           uncertainty: bool = UncertaintyOpt, samples: Optional[int] = SamplesOpt,
           seed: Optional[int] = SeedOpt, threshold: Optional[float] = ThresholdOpt):
    """Critical temperature from the linearized Eliashberg equations (docs/eliashberg.md §2.1),
    with ∂ln Tc/∂λ, ∂ln Tc/∂μ* and, with --uncertainty, the band over the element's data
    ranges (docs/uncertainty.md); with a sheet resistance also the BKT temperature of a film
    (docs/stiffness.md); with --solve-for, the μ*, λ scale or frequency scale that gives
    --target-tc."""
    from tcpredict.eliashberg.tc import solve_tc

    if t_min <= 0:
        raise UserError(f"--t-min must be > 0 K, got {t_min}")
    want_bkt = _check_bkt_options(sheet_resistance, resistivity, thickness, vortex_dielectric)
    if dos is None and (dos_unit is not None or dos_fermi is not None or conserve_number
                        or dos_column != 1):
        raise UserError("--dos-unit, --dos-column, --dos-fermi and --conserve-number need "
                        "--dos FILE")
    if (solve_for is None) != (target_tc is None):
        raise UserError("--solve-for and --target-tc go together")
    if solve_for is not None:
        return _solve_for(solve_for, target_tc, dos, einstein_meV, lam, a2f, unit, column,
                          element, mustar, mustar_at, cutoff, t_min, as_json)
    spec = uncertainty_spec(uncertainty, samples, seed, threshold)
    if spec is not None and dos is not None:
        raise UserError("--uncertainty is not available with --dos")
    ch = resolve_spectrum(einstein_meV, lam, a2f, unit, column, element, mustar, mustar_at)
    ranges = None
    if spec is not None and ch.element is not None:
        from tcpredict.uncertainty import ParameterRanges

        ranges = ParameterRanges.from_element(ch.element, mustar=mustar)
    if dos is not None:
        from tcpredict.eliashberg.energy_dos import EnergyDOS, solve_tc_dos

        nd = EnergyDOS.from_file(dos, unit=dos_unit, column=dos_column, fermi=dos_fermi)
        r = solve_tc_dos(ch.spectrum, ch.mustar, nd, mustar_at_meV=ch.mustar_at_meV,
                         cutoff_meV=cutoff, conserve_number=conserve_number, t_min_K=t_min)
    else:
        r = solve_tc(ch.spectrum, ch.mustar, mustar_at_meV=ch.mustar_at_meV, cutoff_meV=cutoff,
                     t_min_K=t_min, uncertainty=spec, ranges=ranges)
    d = _tc_payload(ch, r)
    b = None
    if want_bkt:
        from tcpredict.films.bkt import bkt_temperature

        b = bkt_temperature(ch.spectrum, ch.mustar, sheet_resistance,
                            mustar_at_meV=ch.mustar_at_meV, cutoff_meV=cutoff, tc_K=r.tc_K,
                            thickness_nm=thickness, resistivity_uohm_cm=resistivity,
                            vortex_dielectric=vortex_dielectric, t_min_K=t_min)
        d.update(bkt_payload(b))
    if dos is not None:
        d.update(dos_file=str(dos), dos_band_meV=[-nd.band_bottom_meV, nd.band_top_meV],
                 conserve_number=conserve_number)
    if as_json:
        params = _spectrum_parameters(einstein_meV, lam, a2f, unit, column, element, r)
        params.update(sheet_resistance_ohm=sheet_resistance, resistivity_uohm_cm=resistivity,
                      thickness_nm=thickness, vortex_dielectric=vortex_dielectric,
                      uncertainty=None if spec is None else spec.to_dict())
        print_json(stamp(d, params))
        exit_if_unconverged(r)
        return
    tc_txt = (f"{r.tc_K:.5g} K" if r.tc_K is not None
              else f"no superconductivity above {r.t_min_K:g} K")
    _print_table(f"Tc — {ch.label}", [
        ("Tc (Eliashberg)", tc_txt), ("Allen–Dynes", _fmt(r.allen_dynes_K, "K")),
        ("λ", _fmt(r.lam)), ("ω_log", _fmt(r.omega_log_meV, "meV")),
        ("ω̄₂", _fmt(r.omega2_meV, "meV")),
        ("μ*", f"{r.mustar:.4g} at {r.mustar_at_meV:.4g} meV → {r.mustar_at_cutoff:.4g} at cutoff"),
        ("cutoff", _fmt(r.cutoff_meV, "meV")),
        ("Matsubara N at Tc", f"{r.n_matsubara} ({r.eigen_method}, {r.evaluations} evaluations)"),
    ] + sensitivity_rows(r.sensitivity) + band_rows(r.uncertainty)
        + ([] if b is None else bkt_rows(b)))
    for note in r.notes:
        console.print(f"note: {note}")
    exit_if_unconverged(r)


def _solve_for(parameter, target_tc, dos, einstein_meV, lam, a2f, unit, column, element,
               mustar, mustar_at, cutoff, t_min, as_json):
    """``tc --solve-for``: the inverse problem (tcpredict.eliashberg.inverse)."""
    from tcpredict.eliashberg.inverse import PARAMETERS, invert_tc

    if parameter not in PARAMETERS:
        raise UserError(f"--solve-for must be one of {', '.join(PARAMETERS)}, got {parameter!r}")
    if dos is not None:
        raise UserError("--solve-for works with the constant-DOS equations (not with --dos)")
    if parameter == "mustar" and mustar is not None:
        raise UserError("--solve-for mustar finds μ*: drop --mustar (keep --mustar-at for the "
                        "energy at which it is defined)")
    ch = resolve_spectrum(einstein_meV, lam, a2f, unit, column, element,
                          0.0 if parameter == "mustar" else mustar, mustar_at)
    inv = invert_tc(ch.spectrum, target_tc, parameter,
                    mustar=None if parameter == "mustar" else ch.mustar,
                    mustar_at_meV=ch.mustar_at_meV, cutoff_meV=cutoff,
                    t_min_K=min(t_min, 0.5 * target_tc))
    r = inv.tc_result
    d = _tc_payload(ch, r)
    d.update(solve_for=parameter, target_tc_K=target_tc, solution=inv.value,
             inversion=inv.to_dict())
    d["converged"] = inv.converged
    d["notes"] = list(d["notes"]) + list(inv.notes)
    if as_json:
        params = _spectrum_parameters(einstein_meV, lam, a2f, unit, column, element, r)
        params.update(solve_for=parameter, target_tc_K=target_tc)
        print_json(stamp(d, params))
    else:
        name = {"mustar": f"μ* (at {r.mustar_at_meV:.4g} meV)", "lambda-scale": "λ scale s",
                "omega-scale": "frequency scale f"}[parameter]
        _print_table(f"Inverse problem — {ch.label}", [
            ("target Tc", _fmt(target_tc, "K")), (name, f"{inv.value:.6g}"),
            ("Tc at the solution", _fmt(inv.tc_K, "K")),
            ("|Tc/target − 1|", f"{abs(inv.tc_K / target_tc - 1):.1e} (rtol {inv.rtol:g})"),
            ("λ at the solution", _fmt(r.lam)),
            ("μ* at cutoff", _fmt(r.mustar_at_cutoff)), ("cutoff", _fmt(r.cutoff_meV, "meV")),
            ("Tc solves", str(inv.evaluations)),
        ])
        for note in d["notes"]:
            console.print(f"note: {note}")
    if not inv.converged:
        from tcpredict.cli.common import fail

        fail("inverse problem not converged: " + "; ".join(inv.notes or r.notes), code=3)



def _check_bkt_options(sheet_resistance, resistivity, thickness, vortex_dielectric) -> bool:
    """True when a BKT temperature is asked for; one-line errors for contradictory options."""
    if sheet_resistance is not None and resistivity is not None and thickness is not None:
        raise UserError("give --sheet-resistance, or --resistivity with --thickness, not all three")
    if resistivity is not None and thickness is None and sheet_resistance is None:
        raise UserError("--resistivity needs --thickness (R_□ = ρ/d)")
    if thickness is not None and sheet_resistance is None and resistivity is None:
        raise UserError("--thickness is used with --resistivity or --sheet-resistance")
    for name, v in (("--sheet-resistance", sheet_resistance), ("--resistivity", resistivity),
                    ("--thickness", thickness)):
        if v is not None and not v > 0:
            raise UserError(f"{name} must be > 0, got {v}")
    if not vortex_dielectric >= 1:
        raise UserError(f"--vortex-dielectric must be ≥ 1, got {vortex_dielectric}")
    return sheet_resistance is not None or resistivity is not None


@app.command("gap")
@user_errors
def gap_cmd(einstein_meV: Optional[float] = EinsteinOpt, lam: Optional[float] = LambdaOpt,
            a2f: Optional[Path] = A2fOpt, unit: Optional[str] = UnitOpt, column: int = ColumnOpt,
            element: Optional[str] = ElementOpt, mustar: Optional[float] = MustarOpt,
            mustar_at: Optional[float] = MustarAtOpt, cutoff: Optional[float] = CutoffOpt,
            temperature: Optional[str] = typer.Option(
                None, "--temperature", help="Temperature(s) (K): one value, a list a,b,c or a "
                "range lin:START:STOP:N / log:START:STOP:N (warm-started sweep; default "
                "0.1 Tc)."),
            n_pade: Optional[int] = typer.Option(None, "--pade-points",
                                                 help="Matsubara points used by Padé (count; default min(N, 128))."),
            real_axis: str = typer.Option(
                "pade", "--real-axis", help="Real-axis method: 'pade' (fast), 'msc' (exact "
                "Marsiglio–Schossmann–Carbotte iteration; slow for tabulated α²F at low T) or "
                "'none' (no Δ₀, no real-axis output)."),
            out: Optional[Path] = typer.Option(
                None, "--out", help="Write Δ(iω_n), Z(iω_n), the real axis and Δ₀ of every "
                "temperature as netCDF (xarray Dataset; docs/eliashberg.md)."),
            plot: Optional[Path] = typer.Option(None, "--plot",
                                                help="PNG of Δ₀(T) and N(ω) of the sweep."),
            as_json: bool = JsonOpt, quiet: bool = QuietOpt):
    """Gap Δ(iω_n) below Tc and, on the real axis, the gap edge Δ₀ and 2Δ₀/k_BTc
    (docs/eliashberg.md §2.3); a list or range of temperatures is solved as a warm-started
    sweep."""
    import numpy as np

    from tcpredict.cli.common import parse_temperatures
    from tcpredict.eliashberg.gap import gap_sweep
    from tcpredict.eliashberg.tc import solve_tc

    if real_axis not in ("pade", "msc", "none"):
        raise UserError(f"--real-axis must be 'pade', 'msc' or 'none', got {real_axis!r}")
    output_format(out, "--out", ("netcdf",))
    output_format(plot, "--plot", FIGURE_FORMATS)
    if n_pade is not None and not 2 <= n_pade <= MAX_PADE_POINTS:
        raise UserError(f"--pade-points must be an integer in [2, {MAX_PADE_POINTS}], got "
                        f"{n_pade}")
    temps = None
    if temperature is not None:
        temps = parse_temperatures(temperature)
    ch = resolve_spectrum(einstein_meV, lam, a2f, unit, column, element, mustar, mustar_at)
    r = solve_tc(ch.spectrum, ch.mustar, mustar_at_meV=ch.mustar_at_meV, cutoff_meV=cutoff)
    d = _tc_payload(ch, r)
    if r.tc_K is None:
        raise UserError(f"no superconductivity above {r.t_min_K:g} K: no gap to compute")
    if temps is None:
        temps = np.array([0.1 * r.tc_K])
    _check_sweep_size(temps, r.cutoff_meV if cutoff is None else cutoff, real_axis)
    from tcpredict.cli.common import progress_bar

    with progress_bar(f"gap {ch.label}: Δ per temperature", quiet or len(temps) < 2) as update:
        sweep = gap_sweep(ch.spectrum, ch.mustar, temps, mustar_at_meV=ch.mustar_at_meV,
                          cutoff_meV=cutoff, tc_K=r.tc_K, progress=update)
    from tcpredict.eliashberg.gapdata import sweep_dataset

    params = {"spectrum": ch.label, "mustar": ch.mustar, "mustar_at_meV": r.mustar_at_meV,
              "cutoff_meV": sweep[0].cutoff_meV, "real_axis": real_axis, "n_pade": n_pade,
              "temperatures_K": list(map(float, temps))}
    ds = sweep_dataset(sweep, tc_K=r.tc_K, real_axis=None if real_axis == "none" else real_axis,
                       spectrum=ch.spectrum, n_pade=n_pade, parameters=params)
    rows = []
    for k, g in enumerate(sweep):
        row = {"temperature_K": g.temperature_K, "gap": g.to_dict()}
        if real_axis == "none":
            row.update(delta0_meV=None, two_delta_over_kTc=None, n_pade=0)
        elif g.superconducting:
            d0 = float(ds["delta0_meV"].values[k])
            row.update(delta0_meV=None if not np.isfinite(d0) else d0,
                       two_delta_over_kTc=float(ds["two_delta0_over_kTc"].values[k])
                       if np.isfinite(d0) else None,
                       n_pade=min(g.n_matsubara, 128) if n_pade is None else n_pade,
                       real_axis_method=ds.attrs.get("real_axis_method", ""))
        else:
            row.update(delta0_meV=0.0, two_delta_over_kTc=None, n_pade=0)
        rows.append(row)
    d.update(write_sweep_files(ds, out, plot, f"{ch.label}: Tc = {r.tc_K:.4g} K"))
    import json

    notes = json.loads(ds.attrs["notes"])
    if len(rows) == 1:  # one temperature: the flat layout of earlier versions
        d.update(rows[0])
    else:
        d["temperatures"] = rows
    if notes and real_axis != "none":
        d["notes"] = list(d.get("notes", [])) + notes
    if as_json:
        params = _spectrum_parameters(einstein_meV, lam, a2f, unit, column, element, r)
        params.update(temperatures_K=list(map(float, temps)), n_pade=n_pade,
                      real_axis=real_axis)
        print_json(stamp(d, params))
        return
    for row in rows:
        g = row["gap"]
        _print_table(f"Gap — {ch.label} at T = {row['temperature_K']:.4g} K", [
            ("Tc", _fmt(r.tc_K, "K")), ("Δ(iω₀)", _fmt(g["delta_iw0_meV"][0], "meV")),
            ("Δ₀ (real axis)", _fmt(row["delta0_meV"], "meV")),
            ("2Δ₀/k_BTc", _fmt(row["two_delta_over_kTc"]) + "  (BCS 3.53)"),
            _real_axis_row(real_axis, row),
            ("iterations / residual", f"{g['iterations']} / {g['residual']:.1e}"),
        ])
    for k in ("out", "plot"):
        if d.get(k):
            console.print(f"{k}: {d[k]}")


def _real_axis_row(real_axis: str, row: dict) -> tuple[str, str]:
    """The table row naming the real-axis method actually used for Δ₀."""
    if real_axis == "msc":
        return ("real axis", "MSC iteration (exact, docs/eliashberg.md §2)")
    if real_axis == "none":
        return ("real axis", "none")
    return ("real axis", f"Padé, {row['n_pade']} Matsubara points")


def _check_sweep_size(temps, cutoff_meV, real_axis):
    """Refuse a sweep whose Dataset would exceed the resource bound (before solving)."""
    check_sweep_size(temps, 1, cutoff_meV, real_axis)


#: Most Matsubara points of a Padé continuation (``gap --pade-points``).
MAX_PADE_POINTS = 10_000


def check_sweep_size(temps, components: int, cutoff_meV: float, real_axis: str) -> None:
    """Refuse a gap sweep whose Dataset would exceed MAX_DATASET_VALUES (README "Limits"),
    before solving, naming --temperature and the lowest temperature the cutoff allows."""
    import math

    from tcpredict.eliashberg.gapdata import (
        DEFAULT_OMEGA_POINTS,
        MAX_DATASET_VALUES,
        dataset_size,
    )
    from tcpredict.eliashberg.gap import MAX_GAP_MATSUBARA
    from tcpredict.eliashberg.matsubara import n_matsubara
    from tcpredict.units import K_B_MEV_PER_K

    nt, c = len(temps), int(components)
    t_low = float(min(temps))
    om = DEFAULT_OMEGA_POINTS if real_axis != "none" else 0
    a = cutoff_meV / (2.0 * math.pi * K_B_MEV_PER_K)  # N ≈ a/T
    if a / t_low > MAX_GAP_MATSUBARA:  # the gap solver's own bound, checked before any solve
        raise UserError(f"--temperature {t_low:g} K needs ≈ {a / t_low:.3g} Matsubara "
                        f"frequencies below the cutoff {cutoff_meV:.4g} meV; the gap solver's "
                        f"limit is {MAX_GAP_MATSUBARA} (README \"Limits\"): use temperatures "
                        f"≥ {a / MAX_GAP_MATSUBARA:.3g} K or a lower --cutoff")
    size = dataset_size(nt, c, n_matsubara(t_low, cutoff_meV), om) if a / t_low < 1e10 \
        else math.inf
    if size <= MAX_DATASET_VALUES:
        return
    n_ok = (MAX_DATASET_VALUES / nt - c * (3 * om + 4) - om - 4) / (2 * c + 1)
    hint = (f"use temperatures ≥ {a / n_ok:.3g} K, fewer temperatures or a lower --cutoff"
            if n_ok >= 1 else "use fewer temperatures")
    raise UserError(f"--temperature {t_low:g} K: the gap sweep would hold {size:.4g} values "
                    f"(limit {MAX_DATASET_VALUES}, README \"Limits\") with the cutoff "
                    f"{cutoff_meV:.4g} meV; {hint}")


@app.command("thermo")
@user_errors
def thermo_cmd(einstein_meV: Optional[float] = EinsteinOpt, lam: Optional[float] = LambdaOpt,
               a2f: Optional[Path] = A2fOpt, unit: Optional[str] = UnitOpt,
               column: int = ColumnOpt, element: Optional[str] = ElementOpt,
               mustar: Optional[float] = MustarOpt, mustar_at: Optional[float] = MustarAtOpt,
               cutoff: Optional[float] = CutoffOpt,
               n0: Optional[float] = typer.Option(
                   None, "--n0", help="Single-spin DOS N(0) for B_c in tesla (states/(meV·nm³); "
                   "default for elements: the free-electron 3n/(4E_F0))."),
               as_json: bool = JsonOpt, plot: Optional[Path] = PlotOpt):
    """ΔF(T), H_c(T), ΔC(T), the jump ΔC/γTc and strong-coupling ratios
    (docs/eliashberg.md §2.4)."""
    from tcpredict.eliashberg.tc import solve_tc
    from tcpredict.eliashberg.thermo import thermodynamics

    output_format(plot, "--plot", FIGURE_FORMATS)
    ch = resolve_spectrum(einstein_meV, lam, a2f, unit, column, element, mustar, mustar_at)
    note = None
    if n0 is None and ch.element is not None:
        el = ch.element
        n0 = 3.0 * el.n_per_nm3 / (4.0 * el.fermi_energy_eV * 1e3)
        note = "N(0) = 3n/(4E_F0), free-electron estimate (band-structure N(0) differs)"
    if n0 is not None and not 0 < n0 <= MAX_N0_PER_MEV_NM3:
        raise UserError(f"--n0 must be in (0, {MAX_N0_PER_MEV_NM3:g}] states/(meV·nm³) (README "
                        f"\"Limits\"), got {n0:g}")
    r = solve_tc(ch.spectrum, ch.mustar, mustar_at_meV=ch.mustar_at_meV, cutoff_meV=cutoff)
    d = _tc_payload(ch, r)
    if r.tc_K is None:
        raise UserError(f"no superconductivity above {r.t_min_K:g} K: no thermodynamics")
    th = thermodynamics(ch.spectrum, ch.mustar, mustar_at_meV=ch.mustar_at_meV,
                        cutoff_meV=cutoff, n0_per_meV_nm3=n0)
    d.update(th.to_dict())
    if note:
        d["notes"] = d["notes"] + [note]
    if plot is not None:
        from tcpredict.plotting.eliashberg import plot_thermo, thermo_caveats

        plot_thermo(th, plot, title=ch.label,
                    caveats=thermo_caveats(free_electron_n0=note is not None and th.hc_T is not None,
                                           alpha2f_is_model=ch.model_spectrum))
        d["plot"] = str(plot)
    if as_json:
        params = _spectrum_parameters(einstein_meV, lam, a2f, unit, column, element, r)
        params.update(n0_per_meV_nm3=n0, plot=plot)
        print_json(stamp(d, params))
        return
    _print_table(f"Thermodynamics — {ch.label}", [
        ("Tc", _fmt(th.tc_K, "K")),
        ("ΔC/γTc", _fmt(th.delta_c_over_gamma_tc) + "  (BCS 1.43)"),
        ("γTc²/H_c(0)²", _fmt(th.gamma_tc2_over_hc02) + "  (BCS 0.168)"),
        ("2Δ₀/k_BTc", _fmt(th.two_delta_over_kTc) + "  (BCS 3.53)"),
        ("B_c(0)", _fmt(th.hc0_T, "T")),
    ] + ([("figure", str(plot))] if plot else []))


@app.command("demo")
@user_errors
def demo_cmd(out: Path = typer.Option(Path("results/demo"), "--out",
                                      help="Output directory (created if missing)."),
             quick: bool = typer.Option(False, "--quick", help="Smaller screen (for tests).")):
    """The main job on built-in data: bulk Tc/gap/thermodynamics of the elements with a
    tabulated α²F, then a bilayer screen over built-in elements."""
    from tcpredict.demo import run_demo

    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is a file; give a directory")
    from tcpredict.cli.common import is_writable_dir

    p = out.resolve()
    while not p.exists() and p != p.parent:
        p = p.parent
    if not is_writable_dir(p):
        raise UserError(f"--out {out}: directory {p} is not writable")

    run_demo(out, quick=quick, console=console)
