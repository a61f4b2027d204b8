r"""Regenerate ``data/elements.csv`` from the literature inputs below (docs/materials.md §3).

Run ``python -m tcpredict.materials._build_elements`` after changing an input here; the CSV is the
data of record that tcpredict reads, and it may also be edited by hand (the tests check every
row against the rules, whoever wrote it). This module is not imported by tcpredict at run time.

What is typed in here: measured or published numbers with their citation (the literature
values). What is computed here, with the rule written into the row's source column: free-electron
n and E_F of the d metals, heuristic ω_log and ω̄₂, λ or μ* fitted so that the project's
Eliashberg solver on the element's own α²F gives the measured Tc (:mod:`tcpredict.eliashberg.inverse`,
started from the Allen–Dynes inversion of :mod:`tcpredict.materials.inversion`), the energy at
which μ* is defined, and the uncertainty ranges.
"""

from __future__ import annotations

import csv
import io
import math

from tcpredict.eliashberg import spectra
from tcpredict.eliashberg.inverse import solve_tc_for_lambda_scale, solve_tc_for_mustar
from tcpredict.limits import MAX_MATSUBARA_COMPRESSED
from tcpredict.materials.inversion import lambda_for_tc, mustar_for_tc
from tcpredict.materials.loaders import load_alpha2f

K_B = 0.08617333262        # meV/K (CODATA 2018)
HBAR2_2M = 0.0380998212    # ħ²/2mₑ [eV nm²] (CODATA 2018)
N_A = 6.02214076e23        # 1/mol

# ---------------------------------------------------------------------------------- sources
U = " [unchecked]"  # typed from the cited table without access to it here (see the CSV header)
AUDIT = " [checked: agrees with the issue-11 audit of this file against the cited table]"
AM11 = "Ashcroft & Mermin, Solid State Physics (1976), Table 1.1"
AM21 = "Ashcroft & Mermin, Solid State Physics (1976), Table 2.1 (free-electron E_F)"
KIT5 = "Kittel, Introduction to Solid State Physics, 8th ed. (2005), Ch. 5, Table 1 (Debye temperature)"
KIT10 = "Kittel, Introduction to Solid State Physics, 8th ed. (2005), Ch. 10, Table 1 (Tc of the elements)"
CRC = ("CRC Handbook of Chemistry and Physics, Section 12, 'Properties of superconductors' "
       "(superconducting elements, critically evaluated values after B. W. Roberts, "
       "J. Phys. Chem. Ref. Data 5, 581 (1976), doi:10.1063/1.555540)")
BUZEA = ("Buzea & Robbie, Supercond. Sci. Technol. 18, R1 (2005), doi:10.1088/0953-2048/18/1/R01: "
         "superconducting only under pressure")
NOBLE0 = ("not superconducting, even under pressure (Khan & Raub 1975; Buzea & Robbie 2005; as "
          "stated in Ummarino & Zaccone, arXiv:2406.16621) [checked: arXiv abstract/introduction]")
CARB = "Carbotte, Rev. Mod. Phys. 62, 1027 (1990), doi:10.1103/RevModPhys.62.1027, Table IV (tunnelling-derived)"
SAV = ("Savrasov & Savrasov, Phys. Rev. B 54, 16487 (1996), doi:10.1103/PhysRevB.54.16487, "
       "table of calculated λ (linear-response LMTO)")
SAV_ACC = ("Savrasov & Savrasov, Phys. Rev. B 54, 16487 (1996), abstract: first-principles λ "
           "accurate to about 10 % [checked: abstract]")
GRIM = "Grimvall, The Electron-Phonon Interaction in Metals (North-Holland, 1981), table of λ values"
ALLEN87 = "Allen, Phys. Rev. B 36, 2920 (1987), doi:10.1103/PhysRevB.36.2920 (noble metals λ ≈ 0.10–0.17)"
RUDIN = ("Rudin, Bauer, Liu & Freericks, Phys. Rev. B 58, 14511 (1998), arXiv:cond-mat/9806053: "
         "ab initio λ(In) = 0.9, versus 0.805 quoted from tunnelling [checked: abstract]")
LEHAIBI = ("Al-Lehaibi, Swihart, Butler & Wong, Phys. Rev. B 36, 4103 (1987): calculated λ(Ta) = 0.88, "
           "larger than the tunnelling and Tc values [checked: abstract]")
SPEC_PB = "docs/eliashberg.md §4 (tunnelling-derived Pb: λ ≈ 1.55, ω_log ≈ 4.83 meV)"
CRC_DENS = "CRC Handbook of Chemistry and Physics, Section 4, density of the elements near room temperature"

#: μ* default: McMillan's choice for metals, and the usual range (docs/materials.md §3).
MU_DEFAULT, MU_LO, MU_HI = 0.13, 0.10, 0.15
MU_REF = ("top of this element's α²F (Alpha2F.omega_max_meV; Allen–Dynes usage, docs/eliashberg.md §2)")
#: ω_log heuristic: ratio to k_BΘ_D (central, low, high); anchors Al 0.72 and Nb 0.57 (shipped
#: tables), Pb 0.53 (docs/eliashberg.md §4).
WLOG_RATIO = (0.60, 0.40, 0.85)
#: ω̄₂/ω_log heuristic (central, low, high); anchors Al 1.10, Nb 1.18 (shipped tables).
W2_RATIO = (1.15, 1.05, 1.25)
#: relative half-width of the default range of a single-source λ or ω_log.
SINGLE_REL = 0.20
DFT_REL = 0.10

# ------------------------------------------------------------------------------ the inputs
# free-electron data: ("AM", Z, n [1e22 cm^-3], E_F [eV]) from A&M Tables 1.1 and 2.1, or
# ("d", s-electrons of the free atom, density [g/cm³], molar mass [g/mol]) for d metals.
# λ: ("lit", central, source, [(value, source), ...]) | ("table", file, column, lit list)
#    | ("invert",) | ("guess", central, lo, hi, reason)
# tc: (value, source)
NONSC = f"not superconducting at ambient pressure ({BUZEA}){U}"
E = []


def el(sym, name, fe, theta, tc, lam, *, wlog=None, notes="", audited=False):
    E.append(dict(sym=sym, name=name, fe=fe, theta=theta, tc=tc, lam=lam, wlog=wlog,
                  notes=notes, audited=audited))


# alkali metals
el("Li", "lithium", ("AM", 1, 4.70, 4.74), 344, (0.0004, "Tuoriniemi et al., Nature 447, 187 (2007), doi:10.1038/nature05820: Tc ≈ 0.4 mK"),
   ("lit", 0.40, GRIM + U, []), audited=True,
   notes="λ ≈ 0.4 with Tc = 0.4 mK needs μ* ≈ 0.31 (Eliashberg fit; 0.23 with Allen–Dynes), outside the usual 0.10–0.15: phonon theory "
         "with these inputs does not explain lithium's tiny Tc (a known puzzle; Li also transforms "
         "martensitically at low T).")
el("Na", "sodium", ("AM", 1, 2.65, 3.24), 158, (0.0, NONSC), ("lit", 0.16, GRIM + U, []), audited=True)
el("K", "potassium", ("AM", 1, 1.40, 2.12), 91, (0.0, NONSC), ("lit", 0.13, GRIM + U, []), audited=True)
el("Rb", "rubidium", ("AM", 1, 1.15, 1.85), 56, (0.0, NONSC),
   ("guess", 0.15, 0.10, 0.25, "assumed comparable to Na and K (no source found)"))
el("Cs", "caesium", ("AM", 1, 0.91, 1.59), 38, (0.0, NONSC),
   ("guess", 0.15, 0.10, 0.25, "assumed comparable to Na and K (no source found)"))
# noble metals
el("Cu", "copper", ("AM", 1, 8.47, 7.00), 343, (0.0, NOBLE0),
   ("lit", 0.14, SAV + U, [(0.10, ALLEN87 + U), (0.17, ALLEN87 + U)]), audited=True)
el("Ag", "silver", ("AM", 1, 5.86, 5.49), 225, (0.0, NOBLE0),
   ("guess", 0.12, 0.10, 0.17, "within the noble-metal range of " + ALLEN87 + U), audited=True)
el("Au", "gold", ("AM", 1, 5.90, 5.53), 165, (0.0, NOBLE0),
   ("guess", 0.16, 0.10, 0.17, "within the noble-metal range of " + ALLEN87 + U), audited=True)
# alkaline earths and group 12
el("Be", "beryllium", ("AM", 2, 24.7, 14.3), 1440, (0.026, KIT10 + AUDIT), ("invert",), audited=True)
el("Mg", "magnesium", ("AM", 2, 8.61, 7.08), 400, (0.0, NONSC),
   ("guess", 0.30, 0.20, 0.40, "typical literature magnitude for Mg, no table checked"), audited=True,
   notes="No bulk superconductivity reported; with λ = 0.30 Allen–Dynes still gives ~0.02 K: the "
         "row's λ is a guess.")
el("Ca", "calcium", ("AM", 2, 4.61, 4.69), 230, (0.0, NONSC),
   ("guess", 0.25, 0.15, 0.40, "assumed weak coupling like the other divalent sp metals (no source)"),
   audited=True)
el("Sr", "strontium", ("AM", 2, 3.55, 3.93), 147, (0.0, NONSC),
   ("guess", 0.25, 0.15, 0.40, "assumed like Ca (no source found)"))
el("Ba", "barium", ("AM", 2, 3.15, 3.64), 110, (0.0, NONSC),
   ("guess", 0.25, 0.15, 0.45, "assumed like Ca (no source found)"))
el("Zn", "zinc", ("AM", 2, 13.2, 9.47), 327,
   (0.85, CRC + U + "; Kittel Ch. 10 Table 1 quotes 0.875 K (the issue-11 audit found 0.85 K in the compilations)"),
   ("invert",), audited=True)
el("Cd", "cadmium", ("AM", 2, 9.27, 7.47), 209,
   (0.517, CRC + U + "; Kittel Ch. 10 Table 1 quotes 0.56 K; reported values span 0.51–0.60 K (issue-11 audit)"),
   ("invert",), audited=True)
el("Hg", "mercury", ("AM", 2, 8.65, 7.13), 71.9, (4.153, KIT10 + " (α-Hg)" + AUDIT),
   ("lit", 1.62, CARB + U, []), audited=True,
   notes="ω_log is the 0.6 k_BΘ_D heuristic, probably too high for Hg's soft spectrum; the "
         "μ* fitted with it (≈ 0.23 with the Eliashberg solver, 0.20 with Allen–Dynes) is outside 0.10–0.15.")
# group 13-15
el("Al", "aluminium", ("AM", 3, 18.1, 11.7), 428, (1.175, CRC + AUDIT),
   ("table", "Al_a2F_IsoME_EPW.dat", 5, [(0.44, SAV + U)]), audited=True)
el("Ga", "gallium", ("AM", 3, 15.4, 10.4), 320, (1.091, KIT10 + " (α-Ga)" + AUDIT), ("invert",), audited=True)
el("In", "indium", ("AM", 3, 11.5, 8.63), 108, (3.4035, KIT10 + AUDIT),
   ("lit", 0.9, RUDIN, [(0.805, CARB + U), (1.0, "Rudin et al. (1998): 0.9 ± 0.1 [checked: issue-11 audit]")]),
   audited=True)
el("Tl", "thallium", ("AM", 3, 10.5, 8.15), 78.5, (2.38, CRC + U), ("lit", 0.795, CARB + U, []))
el("Sn", "tin", ("AM", 4, 14.8, 10.2), 200, (3.722, KIT10 + " (white Sn)" + AUDIT),
   ("lit", 0.72, CARB + U, []), audited=True)
el("Pb", "lead", ("AM", 4, 13.2, 9.47), 105, (7.193, KIT10 + AUDIT),
   ("lit", 1.55, SPEC_PB + "; " + CARB + U, [(1.68, SAV + U)]), audited=True,
   wlog=("lit", 4.83, SPEC_PB + "; " + CARB + U))
el("Sb", "antimony", ("AM", 5, 16.5, 10.9), 211, (0.0, NONSC),
   ("guess", 0.20, 0.10, 0.35, "assumed weak coupling (no source found)"),
   notes="Semimetal: A&M's free-electron n counts 5 electrons per atom, the real carrier density "
         "is ~1e-3 per atom; the free-electron and single-band Eliashberg pictures are crude here.")
el("Bi", "bismuth", ("AM", 5, 14.1, 9.90), 119,
   (0.00053, "Prakash, Kumar, Thamizhavel & Ramakrishnan, Science 355, 52 (2017), doi:10.1126/science.aaf8227: Tc ≈ 0.53 mK" + U),
   ("invert",),
   notes="Semimetal with ~1e-5 carriers per atom and a Fermi energy comparable to the phonon "
         "energies: Migdal–Eliashberg theory is questionable and A&M's n (5 electrons per atom) "
         "is a free-electron convention, not the carrier density. Crystalline Bi only; "
         "amorphous Bi films are a different, strongly coupled superconductor.")
# d metals, group 3
D_NOTE = ("Free-electron n and E_F use the convention 'valence = s electrons of the free atom' "
          "(A&M Table 1.1 does this for Nb and Fe); for a d metal they are order-of-magnitude "
          "numbers.")
el("Sc", "scandium", ("d", 2, 2.985, 44.956), 360, (0.0, NONSC),
   ("guess", 0.30, 0.15, 0.60, "assumed (no source found); d¹ metal"),
   notes="Exchange-enhanced paramagnet; spin fluctuations (not modelled) compete with phonon "
         "pairing. " + D_NOTE)
el("Y", "yttrium", ("d", 2, 4.472, 88.906), 280, (0.0, NONSC),
   ("guess", 0.30, 0.15, 0.60, "assumed (no source found); d¹ metal"),
   notes="Exchange-enhanced paramagnet; spin fluctuations (not modelled). " + D_NOTE)
el("La", "lanthanum", ("d", 2, 6.146, 138.905), 142, (4.88, CRC + " (dhcp α-La; fcc β-La: 6.00 K)" + U),
   ("invert",), notes="dhcp α-La; nearby 4f states. " + D_NOTE)
# groups 4-9
el("Ti", "titanium", ("d", 2, 4.506, 47.867), 420, (0.40, CRC + U), ("invert",), notes=D_NOTE)
el("Zr", "zirconium", ("d", 2, 6.52, 91.224), 291, (0.61, CRC + U), ("invert",), notes=D_NOTE)
el("Hf", "hafnium", ("d", 2, 13.31, 178.49), 252, (0.128, CRC + U), ("invert",), notes=D_NOTE)
el("V", "vanadium", ("d", 2, 6.11, 50.942), 380, (5.38, KIT10 + AUDIT),
   ("lit", 0.60, CARB + U, [(1.19, SAV + U)]), audited=True,
   notes="Spin fluctuations reduce Tc (not modelled); first-principles λ ≈ 1.2 vs tunnelling 0.6. "
         + D_NOTE)
el("Nb", "niobium", ("AM", 1, 5.556, 5.32), 275, (9.25, "shipped data README (data/README.md) [checked]"),
   ("table", "Nb_a2F_IsoME_EPW.dat", 3, [(1.26, SAV + U)]), audited=True,
   notes="n = 55.56 nm⁻³ from ρ = 8.57 g/cm³ with A&M's valence 1 (A&M Table 1.1 rounds to 5.56e22 cm⁻³).")
el("Ta", "tantalum", ("d", 2, 16.69, 180.948), 240, (4.483, KIT10 + AUDIT),
   ("lit", 0.69, CARB + U, [(0.88, LEHAIBI), (0.86, SAV + U)]), audited=True, notes=D_NOTE)
el("Mo", "molybdenum", ("d", 1, 10.28, 95.95), 450, (0.915, CRC + U),
   ("lit", 0.42, SAV + U, []), notes=D_NOTE)
el("W", "tungsten", ("d", 2, 19.25, 183.84), 400, (0.0154, CRC + " (α-W)" + U), ("invert",), notes=D_NOTE)
el("Re", "rhenium", ("d", 2, 21.02, 186.207), 430, (1.697, CRC + U), ("invert",), notes=D_NOTE)
el("Ru", "ruthenium", ("d", 1, 12.45, 101.07), 600, (0.49, CRC + U), ("invert",), notes=D_NOTE)
el("Os", "osmium", ("d", 2, 22.59, 190.23), 500, (0.66, CRC + U), ("invert",), notes=D_NOTE)
el("Rh", "rhodium", ("d", 1, 12.41, 102.906), 480,
   (0.000325, "Buchal et al., Phys. Rev. Lett. 50, 64 (1983), doi:10.1103/PhysRevLett.50.64: Tc = 325 µK" + U),
   ("invert",), notes=D_NOTE)
el("Ir", "iridium", ("d", 2, 22.56, 192.217), 420, (0.1125, CRC + U), ("invert",), notes=D_NOTE)


# ------------------------------------------------------------------------------ building
FIT_SRC = ("fitted with the Eliashberg solver (tcpredict.eliashberg.inverse) to the measured "
           "Tc = {tc} K")
#: relative accuracy of the Eliashberg fits (the Tc solver's default)
FIT_RTOL = 1e-4


def _t_min(tc: float, cutoff_meV: float) -> float:
    """Floor of the Tc searches of a fit: T_target/100, raised to the lowest temperature the
    Matsubara bound allows (tcpredict.eliashberg.tc.check_search) for mK superconductors."""
    floor = 1.01 * cutoff_meV / (2 * math.pi * K_B * MAX_MATSUBARA_COMPRESSED)
    return max(tc / 100.0, floor)


def _fit_mustar(spec, mustar_at: float, tc: float):
    """(μ*, None) from the Eliashberg solver on ``spec`` (μ* at ``mustar_at``, default cutoff
    10 Ω_max, compressed grid as solve_tc's default), or (None, reason) when no μ* in [0, 1)
    gives ``tc`` or the search does not converge."""
    t_min = _t_min(tc, 10 * spec.omega_max_meV)
    if t_min >= tc:
        return None, f"the measured Tc is below the lowest temperature the solver can reach ({t_min:.3g} K)"
    try:
        r = solve_tc_for_mustar(spec, tc, mustar_at_meV=mustar_at, rtol=FIT_RTOL, t_min_K=t_min,
                                grid="compressed")
    except ValueError as ex:
        return None, str(ex)
    if not r.converged:
        return None, "; ".join(r.notes)
    if not 0.0 <= r.value < 1.0:
        return None, f"the fitted μ* = {r.value:.4g} is outside [0, 1)"
    return _r(r.value, 6), None


def _fit_lambda(lam0: float, wl: float, w2: float, mu: float, tc: float):
    """(λ, None) scaling the model α²F from_moments(lam0, wl, w2) until the Eliashberg solver
    (μ* at the model's Ω_max rounded as in the row, default cutoff, compressed grid) gives
    ``tc``; (None, reason) when no λ gives it. The model's shape and Ω_max do not depend on λ.
    Fitted values keep 6 significant digits so that rounding moves Tc by well under 1e-3."""
    spec = spectra.from_moments(lam0, wl, w2)
    t_min = _t_min(tc, 10 * spec.omega_max_meV)
    if t_min >= tc:
        return None, f"the measured Tc is below the lowest temperature the solver can reach ({t_min:.3g} K)"
    try:
        r = solve_tc_for_lambda_scale(spec, tc, mu, mustar_at_meV=_r(spec.omega_max_meV, 5),
                                      rtol=FIT_RTOL, t_min_K=t_min, grid="compressed")
    except ValueError as ex:
        return None, str(ex)
    if not r.converged:
        return None, "; ".join(r.notes)
    return _r(lam0 * r.value, 6), None


def _r(x, nd=5):
    return float(f"{x:.{nd}g}") if x != 0 else 0.0


def _fmt(x):
    return repr(float(x)) if not float(x).is_integer() else str(int(x)) if abs(x) < 1e15 else repr(x)


def build_row(e: dict, data_dir) -> dict:
    row: dict = {"symbol": e["sym"], "name": e["name"]}
    au = AUDIT if e["audited"] else U

    def put(f, v, src, est):
        row[f], row[f + "_source"], row[f + "_estimate"] = v, src, "true" if est else "false"

    def put_range(f, lo, hi, kind, src):
        row[f + "_lo"], row[f + "_hi"] = lo, hi
        row[f + "_range_kind"], row[f + "_range_source"] = kind, src

    fe = e["fe"]
    if fe[0] == "AM":
        _, z, n22, ef = fe
        put("valence", z, AM11 + au, False)
        if e["sym"] == "Nb":
            n = _r(z * N_A * 8.57 / 92.906 / 1e21, 4)
            put("n_per_nm3", n, "computed: valence × N_A ρ/M with ρ = 8.57 g/cm³, M = 92.906 g/mol "
                "(A&M Table 1.1 rounds to 5.56e22 cm⁻³)", True)
        else:
            put("n_per_nm3", _r(10 * n22, 4), AM11 + " (10^22 cm^-3 × 10 = nm^-3)" + au, False)
        put("fermi_energy_eV", ef, AM21 + au, False)
    else:
        _, z, rho, mol = fe
        put("valence", z, "estimate: convention 'valence = number of s electrons of the free atom' "
            "(A&M Table 1.1 uses it for Nb and Fe); questionable for a d metal", True)
        n = _r(z * N_A * rho / mol / 1e21, 4)
        put("n_per_nm3", n, f"computed: valence × N_A ρ/M with ρ = {rho} g/cm³ ({CRC_DENS}{U}), "
            f"M = {mol} g/mol; inherits the valence convention", True)
        ef = _r(HBAR2_2M * (3 * math.pi ** 2 * n) ** (2 / 3), 4)
        put("fermi_energy_eV", ef, "computed: free-electron ħ²(3π²n)^{2/3}/2m from n", True)
    put("debye_K", e["theta"], KIT5 + au, False)
    kth = K_B * e["theta"]

    # ω_log and ω̄₂
    lam_spec = e["lam"]
    table = None
    if lam_spec[0] == "table":
        fname, col = lam_spec[1], lam_spec[2]
        table = load_alpha2f(data_dir / fname, unit="THz", column=col)
        others = []
        ncol = {"Al_a2F_IsoME_EPW.dat": 10, "Nb_a2F_IsoME_EPW.dat": 4}[fname]
        for c in range(1, ncol + 1):
            others.append(load_alpha2f(data_dir / fname, unit="THz", column=c))
        tsrc = (f"computed from the shipped DFT (EPW) α²F table {fname}, column {col} "
                "(data/README.md)")
        wl, w2 = _r(table.omega_log_meV, 5), _r(table.omega2_meV, 5)
        put("omega_log_meV", wl, tsrc, False)
        put("omega2_meV", w2, tsrc, False)
        for f, v, attr in (("omega_log_meV", wl, "omega_log_meV"), ("omega2_meV", w2, "omega2_meV")):
            vals = [getattr(a, attr) for a in others]
            lo = _r(min(min(vals), v * (1 - DFT_REL)), 5)
            hi = _r(max(max(vals), v * (1 + DFT_REL)), 5)
            put_range(f, lo, hi, "default-range",
                      f"±{DFT_REL:.0%} ({SAV_ACC}), widened to contain the spread over the "
                      f"{ncol} smearing columns of {fname} ({min(vals):.4g}–{max(vals):.4g} meV)")
    else:
        w = e["wlog"]
        if w is not None and w[0] == "lit":
            wl = w[1]
            put("omega_log_meV", wl, w[2], False)
            put_range("omega_log_meV", _r(wl * (1 - DFT_REL), 5), _r(wl * (1 + DFT_REL), 5),
                      "default-range", f"±{DFT_REL:.0%} of the single tunnelling value (no "
                      "second source at hand)")
        else:
            c, lo, hi = WLOG_RATIO
            wl = _r(c * kth, 5)
            put("omega_log_meV", wl, f"estimate: ω_log = {c} k_BΘ_D (heuristic; ratio is 0.72 for "
                "the Al table, 0.57 for the Nb table, 0.53 for Pb, docs/eliashberg.md §4)", True)
            put_range("omega_log_meV", _r(lo * kth, 5), _r(hi * kth, 5), "default-range",
                      f"heuristic range {lo}–{hi} k_BΘ_D (covers the anchors 0.53–0.72 with margin "
                      "for soft or stiff spectra)")
        c, lo, hi = W2_RATIO
        w2 = _r(c * wl, 5)
        put("omega2_meV", w2, f"estimate: ω̄₂ = {c} ω_log (heuristic; the Al and Nb tables give "
            "1.10 and 1.18)", True)
        put_range("omega2_meV", _r(lo * row["omega_log_meV_lo"], 5),
                  _r(hi * row["omega_log_meV_hi"], 5), "default-range",
                  f"ω̄₂/ω_log ∈ [{lo}, {hi}] applied to the ω_log range (sample the ratio, not ω̄₂ "
                  "alone, to keep ω̄₂ ≥ ω_log)")

    # λ
    tc, tc_src = e["tc"]
    kind = lam_spec[0]
    fit_mu = False
    if kind == "table":
        lam = _r(table.lam, 5)
        lits = lam_spec[3]
        put("lam", lam, f"computed from the shipped DFT (EPW) α²F table {lam_spec[1]}, column "
            f"{lam_spec[2]} (data/README.md)", False)
        vals = [a.lam for a in others]
        lo = _r(min([min(vals), lam * (1 - DFT_REL)] + [v for v, _ in lits]), 5)
        hi = _r(max([max(vals), lam * (1 + DFT_REL)] + [v for v, _ in lits]), 5)
        put_range("lam", lo, hi, "literature-spread",
                  f"spread of: this table ±{DFT_REL:.0%} ({SAV_ACC}); the smearing columns "
                  f"({min(vals):.4g}–{max(vals):.4g}); "
                  + "; ".join(f"{v:g} ({s})" for v, s in lits))
        fit_mu = tc > 0
    elif kind == "lit":
        lam, src, lits = lam_spec[1], lam_spec[2], lam_spec[3]
        put("lam", lam, src, False)
        if lits:
            vals = [lam] + [v for v, _ in lits]
            put_range("lam", min(vals), max(vals), "literature-spread",
                      f"{lam:g} (central, above); " + "; ".join(f"{v:g} ({s})" for v, s in lits))
        else:
            put_range("lam", _r(lam * (1 - SINGLE_REL), 5), _r(lam * (1 + SINGLE_REL), 5),
                      "default-range", f"±{SINGLE_REL:.0%} of the single literature value (no "
                      "second source at hand)")
        fit_mu = tc > 0
    elif kind == "guess":
        _, lam, lo, hi, why = lam_spec
        put("lam", lam, f"estimate (guess): {why}", True)
        put_range("lam", lo, hi, "default-range", f"stated guess range for a value without a "
                  f"source ({why})")
    elif kind == "invert":
        lam_ad = _r(lambda_for_tc(wl, w2, MU_DEFAULT, tc), 5)
        ad_src = (f"Allen–Dynes (Phys. Rev. B 12, 905 (1975)) inverted for tc_measured_K = {tc:g} K "
                  f"with μ* = {MU_DEFAULT} and this row's ω_log, ω̄₂ "
                  "(tcpredict.materials.inversion.lambda_for_tc)")
        lam, why = _fit_lambda(lam_ad, wl, w2, MU_DEFAULT, tc)
        if why is None:
            put("lam", lam, f"estimate (fitted): {FIT_SRC.format(tc=f'{tc:g}')}: scale of this "
                f"row's model α²F (ω_log, ω̄₂ above) with μ* = {MU_DEFAULT} at mustar_at_meV, "
                f"cutoff 10 Ω_max; starting guess λ = {lam_ad:g} from {ad_src}", True)
        else:
            lam = lam_ad
            put("lam", lam, f"estimate: {ad_src}. NOT fitted with the Eliashberg solver: {why}",
                True)
            e = dict(e, notes=(e["notes"] + " " if e["notes"] else "")
                     + f"λ is the Allen–Dynes value: the Eliashberg fit failed ({why}).")
        c, rlo, rhi = W2_RATIO
        corners = []
        for mu_c, wl_c in ((MU_LO, row["omega_log_meV_hi"]), (MU_HI, row["omega_log_meV_lo"])):
            l0 = lambda_for_tc(wl_c, c * wl_c, mu_c, tc)
            lc, cwhy = _fit_lambda(l0, wl_c, c * wl_c, mu_c, tc)
            corners.append((l0, "Allen–Dynes") if cwhy is not None else (lc, "Eliashberg"))
        (l_lo, how_lo), (l_hi, how_hi) = corners
        how = ("the Eliashberg solver" if how_lo == how_hi == "Eliashberg" else
               f"the Eliashberg solver where it converged (low end: {how_lo}, high end: {how_hi})")
        put_range("lam", min(_r(l_lo, 5), lam), max(_r(l_hi, 5), lam), "computed",
                  f"λ fitted with {how} to {tc:g} K on the model α²F at (μ* = {MU_LO}, highest "
                  f"ω_log of the range) and (μ* = {MU_HI}, lowest ω_log), ω̄₂ = {c} ω_log; λ and "
                  "μ* are anticorrelated through the measured Tc; widened to contain the value if "
                  "needed")
    else:
        raise ValueError(kind)

    # the energy at which μ* is defined: top of the element's spectrum
    if table is not None:
        top = table.omega_max_meV
        a2f = f"table:{lam_spec[1]}:{lam_spec[2]}:THz"
        put("mustar_at_meV", _r(top, 5), "Allen–Dynes convention: top of this element's α²F "
            "(Alpha2F.omega_max_meV, largest Ω with α²F above 1 % of its peak) of the shipped table",
            False)
    else:
        top = spectra.from_moments(lam, wl, w2).omega_max_meV
        a2f = "model:from_moments"
        put("mustar_at_meV", _r(top, 5), "Allen–Dynes convention: top of this element's α²F "
            "(Alpha2F.omega_max_meV) of the model spectrum built from this row's moments", True)

    # μ*
    if fit_mu:
        mu_ad = _r(mustar_for_tc(lam, wl, w2, tc), 5)
        ad_src = (f"Allen–Dynes (Phys. Rev. B 12, 905 (1975)) solved for μ* so that this row's λ, "
                  f"ω_log, ω̄₂ give tc_measured_K = {tc:g} K "
                  "(tcpredict.materials.inversion.mustar_for_tc)")
        spec = table if table is not None else spectra.from_moments(lam, wl, w2)
        mu, why = _fit_mustar(spec, _r(top, 5), tc)
        if why is None:
            put("mustar", mu, f"estimate (fitted): {FIT_SRC.format(tc=f'{tc:g}')}: μ* at "
                f"mustar_at_meV on this row's α²F ({a2f}) with this row's λ, cutoff 10 Ω_max; "
                f"the Allen–Dynes value was {mu_ad:g} ({ad_src})", True)
        else:
            mu = mu_ad
            put("mustar", mu, f"estimate: {ad_src}. NOT fitted with the Eliashberg solver: {why}",
                True)
            e = dict(e, notes=(e["notes"] + " " if e["notes"] else "")
                     + f"μ* is the Allen–Dynes value: the Eliashberg fit failed ({why}).")
        put_range("mustar", min(MU_LO, mu), max(MU_HI, mu), "default-range",
                  f"usual range {MU_LO}–{MU_HI} at the {MU_REF}, extended to contain the fitted "
                  "value" + (" (which lies outside it)" if not MU_LO <= mu <= MU_HI else ""))
    else:
        mu = MU_DEFAULT
        put("mustar", mu, f"estimate: default μ* = {MU_DEFAULT} (McMillan, Phys. Rev. 167, 331 "
            "(1968)) at the " + MU_REF + " (a default, no fit to Tc)", True)
        put_range("mustar", MU_LO, MU_HI, "default-range", f"usual range {MU_LO}–{MU_HI} at the "
                  + MU_REF)
    put("tc_bulk_K", tc, tc_src, False)
    row["a2f_source"] = a2f
    row["notes"] = e["notes"]
    return row


HEADER = """\
# tcpredict element data: one row per elemental metal (bulk, ambient pressure). docs/materials.md
# explains every column and rule; tcpredict.materials.elements parses this file strictly.
# Generated by `python -m tcpredict.materials._build_elements` (edit the inputs there, or edit here
# by hand: the tests check every row against the rules either way).
# Every number X has X_source (citation: book + table, paper + table or DOI; or the rule that
# produced it) and X_estimate (true = estimate, fit, guess or computed from an estimate).
# Coupling numbers (lam, omega_log_meV, omega2_meV, mustar) also have X_lo, X_hi and
# X_range_kind = literature-spread | default-range | computed, with X_range_source.
# Units are in the column names: n_per_nm3 [nm^-3], fermi_energy_eV [eV], debye_K [K],
# omega_log_meV / omega2_meV / mustar_at_meV [meV], tc_bulk_K [K]; lam, mustar dimensionless.
# mustar is defined at the energy mustar_at_meV (Allen–Dynes usage: top of the element's α²F).
# a2f_source: "table:<file in this directory>:<alpha2F column>[:<energy unit>]" or "model:from_moments".
# "[unchecked]" marks a value typed from the cited table without access to it while compiling:
# check it before relying on it. "[checked: ...]" says what it was checked against.
# Ferromagnets and other metals outside single-band phonon Eliashberg theory are in rejected.csv.
"""


def render(data_dir) -> str:
    from tcpredict.materials.elements import _COLUMNS as cols

    buf = io.StringIO()
    buf.write(HEADER)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for e in E:
        row = build_row(e, data_dir)
        assert set(row) == set(cols), set(cols) ^ set(row)
        w.writerow([_fmt(row[c]) if isinstance(row[c], (int, float)) else row[c] for c in cols])
    return buf.getvalue()


def main():  # pragma: no cover - a maintenance script
    from tcpredict.materials.elements import ELEMENTS_FILE

    text = render(ELEMENTS_FILE.parent)
    ELEMENTS_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {ELEMENTS_FILE} ({len(E)} elements)")


if __name__ == "__main__":  # pragma: no cover
    main()
