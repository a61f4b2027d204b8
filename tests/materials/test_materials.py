"""Tests of tcpredict.materials.elements and the shipped element data."""

import dataclasses
import math
import shutil

import numpy as np
import pytest

from tcpredict.eliashberg.closed_forms import allen_dynes_tc_K
from tcpredict.materials.elements import ELEMENTS_FILE, Element, get_element, list_elements, load_elements

K_B = 0.08617333262          # meV/K (eliashberg.md, units)
HBAR2_2M = 0.0380998212      # eV nm² (ħ²/2mₑ, CODATA)
REQUIRED = ["Al", "Pb", "Nb", "Sn", "In", "Hg", "Ta", "V", "Zn", "Mg", "Au", "Ag", "Cu", "Li",
            "Na", "K", "Be", "Ca", "Cd", "Ga"]


def test_required_elements_present():
    assert set(REQUIRED) <= set(list_elements())


@pytest.mark.parametrize("sym,lc_nm", [("Au", 0.474), ("Ag", 0.475), ("Cu", 0.420),
                                       ("Mg", 0.418), ("Li", 0.511), ("Na", 0.619),
                                       ("K", 0.766), ("Al", 0.326), ("Pb", 0.362),
                                       ("Nb", 0.484)])
def test_critical_thickness_check_values(sym, lc_nm):
    # confinement.md §3: L_c = (2π/n)^{1/3} with Ashcroft–Mermin free-electron n
    n = get_element(sym).n_per_nm3
    # the check values are quoted to 3 digits: compare to half a unit of the last digit
    # (≤ 0.15 %; e.g. Pb: n = 132 nm⁻³ gives 0.36241 nm, quoted as 0.362)
    assert (2 * math.pi / n) ** (1 / 3) == pytest.approx(lc_nm, abs=5e-4)


@pytest.mark.parametrize("sym", REQUIRED)
def test_fermi_energy_is_free_electron_value_of_n(sym):
    # E_F0 = ħ²(3π²n)^{2/3}/2m (Ashcroft & Mermin Eq. 2.x); tabulated A&M E_F are rounded → 1 %
    e = get_element(sym)
    ef = HBAR2_2M * (3 * math.pi**2 * e.n_per_nm3) ** (2 / 3)
    assert e.fermi_energy_eV == pytest.approx(ef, rel=1e-2)


def test_al_table_moments_and_source():
    # eliashberg.md §4: Al, 5th α²F column: λ = 0.418, ω_log = 26.47 meV, ω̄₂ = 29.19 meV
    al = get_element("Al")
    a = al.alpha2f()
    assert not al.alpha2f_is_model
    assert a.lam == pytest.approx(0.418, abs=5e-4)
    assert a.omega_log_meV == pytest.approx(26.47, abs=5e-3)
    assert a.omega2_meV == pytest.approx(29.19, abs=5e-3)
    assert (al.lam, al.omega_log_meV, al.omega2_meV) == pytest.approx(
        (a.lam, a.omega_log_meV, a.omega2_meV), rel=2e-4)
    assert "Al_a2F_IsoME_EPW.dat" in a.source and "column 5" in a.source


def test_nb_table_moments():
    # shared/data/README.md: Nb column 3: λ = 0.938, ω_log = 13.50 meV, ω̄₂ = 15.94 meV
    nb = get_element("nb")
    a = nb.alpha2f()
    assert a.lam == pytest.approx(0.938, abs=5e-4)
    assert a.omega_log_meV == pytest.approx(13.50, abs=5e-3)
    assert a.omega2_meV == pytest.approx(15.94, abs=5e-3)
    assert nb.tc_bulk_K == 9.25  # shared/data/README.md


def test_pb_literature_values():
    # eliashberg.md §4: Pb λ ≈ 1.55, ω_log ≈ 4.83 meV, Tc = 7.2 K
    pb = get_element("PB")
    assert pb.lam == pytest.approx(1.55) and pb.omega_log_meV == pytest.approx(4.83)
    assert pb.tc_bulk_K == pytest.approx(7.2, abs=0.01)
    assert "lam" not in pb.estimates and "omega_log_meV" not in pb.estimates


def test_bulk_tc_of_non_superconductors_and_li():
    # Au, Ag, Cu: not superconducting (arXiv:2406.16621 intro); Li 0.4 mK (Nature 447, 187)
    for sym in ("Au", "Ag", "Cu", "Na", "K", "Mg", "Ca"):
        assert get_element(sym).tc_bulk_K == 0.0 and not get_element(sym).is_superconductor
    assert get_element("Li").tc_bulk_K == pytest.approx(0.0004)


@pytest.mark.parametrize("sym", REQUIRED)
def test_every_number_has_source_and_flags_are_field_names(sym):
    e = get_element(sym)
    numeric = ["valence", "n_per_nm3", "fermi_energy_eV", "debye_K", "lam", "omega_log_meV",
               "omega2_meV", "mustar", "mustar_at_meV", "tc_bulk_K"]
    assert set(e.sources) == set(numeric)
    assert all(len(v) > 5 for v in e.sources.values())
    assert e.estimates <= set(numeric)
    for f in e.estimates:  # an estimate must say how it was made
        assert "estimate" in e.sources[f] or "computed" in e.sources[f] \
            or "model" in e.sources[f]
    assert 0.05 <= e.mustar <= 0.25  # μ* of simple and transition metals (eliashberg.md §2)


@pytest.mark.parametrize("sym", REQUIRED)
def test_estimation_rules_are_applied_as_stated(sym):
    # docs/materials.md rules: ω_log = 0.6 k_BΘ_D, ω̄₂ = 1.15 ω_log (3 decimals stored)
    e = get_element(sym)
    if "omega_log_meV" in e.estimates:
        assert e.omega_log_meV == pytest.approx(0.6 * K_B * e.debye_K, abs=6e-4)
    if "omega2_meV" in e.estimates:
        assert e.omega2_meV == pytest.approx(1.15 * e.omega_log_meV, abs=6e-4)
    fitted = "fitted" in e.sources["mustar"] or "inverted" in e.sources["lam"]
    if fitted:  # Allen–Dynes with the row's parameters reproduces the measured Tc
        tc = allen_dynes_tc_K(e.lam, e.omega_log_meV, e.omega2_meV, e.mustar)
        assert tc == pytest.approx(e.tc_bulk_K, rel=1e-2)
    if e.is_superconductor:
        assert fitted


@pytest.mark.parametrize("sym", REQUIRED)
def test_mustar_energy_is_top_of_the_elements_spectrum(sym):
    e = get_element(sym)
    a = e.alpha2f()
    assert e.mustar_at_meV == pytest.approx(a.omega_max_meV, rel=1e-4)
    assert a.lam == pytest.approx(e.lam, rel=2e-4)
    if e.alpha2f_is_model:
        assert "MODEL" in a.source
        assert a.omega_log_meV == pytest.approx(e.omega_log_meV, rel=1e-4)
        assert a.omega2_meV == pytest.approx(e.omega2_meV, rel=1e-4)


def test_lookup_api():
    assert get_element(" au ").symbol == "Au"
    with pytest.raises(ValueError, match=r"unknown element 'Xx'; known elements: Li, Na"):
        get_element("Xx")
    e = get_element("Sn")
    assert e.alpha2f() is e.alpha2f()  # cached
    d = e.to_dict()
    assert d["tc_bulk_K"] == e.tc_bulk_K and d["alpha2f_is_model"] is True
    assert isinstance(d["estimates"], list) and "omega_log_meV" in d["estimates"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.lam = 2.0
    hash(e)  # usable as a key


# ----------------------------------------------------------------------------- strict parsing
def _copy_data(tmp_path):
    for f in ELEMENTS_FILE.parent.iterdir():
        if f.suffix in (".csv", ".dat"):
            shutil.copy(f, tmp_path / f.name)
    return tmp_path / "elements.csv"


def _edit_row(path, symbol, column, value):
    import csv
    lines = path.read_text().splitlines()
    hdr_i = next(i for i, ln in enumerate(lines) if ln.startswith("symbol,"))
    header = next(csv.reader([lines[hdr_i]]))
    for i, ln in enumerate(lines):
        if ln.startswith(symbol + ","):
            fields = next(csv.reader([ln]))
            fields[header.index(column)] = value
            import io
            buf = io.StringIO()
            csv.writer(buf, lineterminator="").writerow(fields)
            lines[i] = buf.getvalue()
            path.write_text("\n".join(lines) + "\n")
            return i + 1
    raise AssertionError(symbol)


def test_custom_file_loads_and_reads_tables_next_to_it(tmp_path):
    p = _copy_data(tmp_path)
    _edit_row(p, "Al", "mustar", "0.1")
    els = load_elements(p)
    assert els["Al"].mustar == 0.1 and els["Al"].alpha2f().lam == pytest.approx(0.4183, 1e-3)


@pytest.mark.parametrize("column,value,message", [
    ("lam", "abc", "column 'lam': 'abc' is not a valid number"),
    ("lam", "nan", "column 'lam': 'nan' is not finite"),
    ("debye_K", "-5", "column 'debye_K': '-5' must be ≥ 0"),
    ("valence", "1.5", "column 'valence': '1.5' is not a valid integer"),
    ("lam_source", "", "column 'lam_source' is empty"),
    ("lam_estimate", "maybe", "column 'lam_estimate' must be 'true' or 'false'"),
    ("omega2_meV", "1.0", "omega2_meV < omega_log_meV is impossible"),
    ("a2f_source", "table:nothere.dat:1", "table file 'nothere.dat' not found"),
    ("a2f_source", "spline", "a2f_source must be 'model:from_moments' or"),
    ("a2f_source", "table:Al_a2F_IsoME_EPW.dat:x", "column 'x' is not an integer"),
    ("symbol", "al1", "invalid chemical symbol"),
])
def test_malformed_rows_name_file_line_and_column(tmp_path, column, value, message):
    p = _copy_data(tmp_path)
    lineno = _edit_row(p, "Al", column, value)
    with pytest.raises(ValueError) as e:
        load_elements(p)
    assert f"elements.csv, line {lineno}: " in str(e.value)
    assert message in str(e.value)


def test_structural_errors(tmp_path):
    p = _copy_data(tmp_path)
    lines = p.read_text().splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith("Cu,"))
    dup = lines + [lines[i]]
    p.write_text("\n".join(dup) + "\n")
    with pytest.raises(ValueError, match=rf"line {len(dup)}: element 'Cu' appears twice"):
        load_elements(p)
    short = lines[:i] + ["Cu,copper,1"] + lines[i + 1:]
    p.write_text("\n".join(short) + "\n")
    with pytest.raises(ValueError, match=rf"line {i + 1}: has 3 fields, the header has 33"):
        load_elements(p)
    hdr = next(k for k, ln in enumerate(lines) if ln.startswith("symbol,"))
    bad = list(lines)
    bad[hdr] = bad[hdr].replace("debye_K,", "theta_K,", 1)
    p.write_text("\n".join(bad) + "\n")
    with pytest.raises(ValueError, match=rf"line {hdr + 1}: bad header: missing columns "
                                         r"\['debye_K'\], unknown columns \['theta_K'\]"):
        load_elements(p)
    with pytest.raises(ValueError, match="element data file not found"):
        load_elements(tmp_path / "none.csv")


def test_model_spectrum_kernel_is_sane():
    # the from_moments model must give kernel(0) = λ and decay like λ ω̄₂²/ν² at large ν
    # (large-ν limit of λ(ν) = ∫2Ωα²F/(Ω²+ν²) is (2/ν²)∫Ωα²F = λ ω̄₂²/ν², eliashberg.md §1)
    e = get_element("Hg")
    a = e.alpha2f()
    assert a.kernel(0.0) == pytest.approx(e.lam, rel=1e-12)
    nu = 1e4
    assert a.kernel(nu) * nu**2 == pytest.approx(a.lam * a.omega2_meV**2, rel=1e-5)
    assert np.isfinite(a.kernel(np.linspace(0, 100, 5))).all()
