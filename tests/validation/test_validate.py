"""Validation report (issue 13 item 3): data provenance, the comparison functions on a subset,
and ``tcpredict validate --quick``."""

import json
import math
import re

import pytest
from typer.testing import CliRunner

import tcpredict.cli.validate  # noqa: F401  (registers the command)
from tcpredict.cli.common import app
from tcpredict.materials.elements import get_element
from tcpredict.units import K_B_MEV_PER_K
from tcpredict.validation.bilayers import compare_bilayers, cooper_limit_bcs_tc_K
from tcpredict.validation.bulk import carbotte_two_delta, compare_bulk, compute_bulk
from tcpredict.validation.datasets import (PROVENANCE_COLUMNS, TABLES, load_table, load_unread,
                                           read_rows, DATA_DIR)
from tcpredict.validation.films import (compare_films, equivalent_thickness_nm,
                                        surface_limited_sheet_resistance_ohm)


# ------------------------------------------------------------------ provenance of the data
@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_row_has_its_source(name):
    rows = read_rows(DATA_DIR / f"{name}.csv")
    assert rows
    for lineno, row in rows:
        for col in PROVENANCE_COLUMNS:
            assert row[col], f"{name}.csv:{lineno}: {col} empty"
        assert row["digitised"] in ("true", "false")
        if row["digitised"] == "true":
            assert float(row["reading_error"]) > 0, f"{name}.csv:{lineno}"
    assert len(load_table(name)) == len(rows)  # the loader accepts every row


def test_unread_sources_are_listed():
    rows = load_unread()
    assert {r["topic"] for r in rows} == {"bulk", "films", "bilayers"}


def test_materials_are_elements_of_the_data():
    for name, cols in (("bulk", ("material",)), ("films", ("material",)), ("bilayers", ("a", "b"))):
        for r in load_table(name):
            for c in cols:
                get_element(r[c])  # raises for an unknown symbol


def test_bulk_gap_ratios_match_the_tabulated_gap_and_tc():
    # the book's Table 7.5 gives Tc and Δ₀ beside Δ₀/kTc (kept in the notes): 2Δ₀/(k_B Tc)
    # recomputed from them must agree with the typed ratio to the table's rounding
    n = 0
    for r in load_table("bulk"):
        m = re.search(r"Tc ([\d.]+) K, Δ₀ ([\d.]+) meV", r["notes"])
        if not m:
            continue
        tc, d0 = float(m.group(1)), float(m.group(2))
        assert r["measured_value"] == pytest.approx(2 * d0 / (K_B_MEV_PER_K * tc), abs=0.06)
        n += 1
    assert n == 8


def test_published_fit_rows_follow_the_fit_formula():
    # Lemberger et al., Phys. Rev. B 76, 094515 (2007), abstract: Tc/8.5 K ≈ tanh(d/70 Å)
    fits = [r for r in load_table("films") if r["kind"] == "published_fit"]
    assert fits
    for r in fits:
        assert 2.0 <= r["thickness_nm"] <= 22.8  # the authors' data range
        assert r["tc_measured_K"] == pytest.approx(8.5 * math.tanh(r["thickness_nm"] / 7.0),
                                                   abs=0.006)


def test_loader_refuses_a_row_without_source(tmp_path):
    text = (DATA_DIR / "bulk.csv").read_text(encoding="utf-8").splitlines()
    header = next(i for i, ln in enumerate(text) if ln.startswith("material,"))
    bad = text[:header + 1] + ["Pb,two_delta_over_kTc,4.4,,,Table 1,doi:x,false,,"]
    p = tmp_path / "bulk.csv"
    p.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bulk.csv:\d+: provenance column 'source'"):
        load_table("bulk", p)
    dig = text[:header + 1] + ["Pb,two_delta_over_kTc,4.4,,paper,Fig. 1,doi:x,true,,"]
    p.write_text("\n".join(dig) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="reading_error"):
        load_table("bulk", p)


# ------------------------------------------------------------------ formulas
def test_carbotte_correlation_limits():
    # t → 0: the BCS value 3.53; t = 0.1: 3.53 (1 + 0.125 ln 5) (the formula evaluated by hand)
    assert carbotte_two_delta(1e-6) == pytest.approx(3.53, rel=1e-6)
    assert carbotte_two_delta(0.1) == pytest.approx(3.53 * (1 + 0.125 * math.log(5)), rel=1e-12)
    with pytest.raises(ValueError, match="tc_over_omega_log"):
        carbotte_two_delta(0)


def test_bcs_cooper_limit_identities():
    # no second layer weight: the superconductor alone; two equal layers: the same Tc
    assert cooper_limit_bcs_tc_K([1.2, 0.0], [1.0, 0.0], 400) == pytest.approx(1.2, rel=1e-12)
    assert cooper_limit_bcs_tc_K([1.2, 1.2], [0.3, 0.7], 400) == pytest.approx(1.2, rel=1e-12)
    # S on N: Tc = Tc_S (Tc_S/1.13Θ_D)^α (the closed form of the docstring)
    a = 0.4
    assert cooper_limit_bcs_tc_K([1.2, 0.0], [1.0, a], 400) == pytest.approx(
        1.2 * (1.2 / (1.13 * 400)) ** a, rel=1e-12)
    # Tc lies between the two layers' Tc for two superconductors
    t = cooper_limit_bcs_tc_K([1.2, 0.4], [1.0, 1.0], 400)
    assert 0.4 < t < 1.2
    for bad in (([1.2], [1.0, 1.0], 400), ([1.2, 0], [1, 1], -1), ([1.2, 0], [-1, 1], 400),
                ([500.0, 0], [1, 1], 400)):
        with pytest.raises(ValueError):
            cooper_limit_bcs_tc_K(*bad)


def test_surface_limited_sheet_resistance():
    # Al: ρℓ = 3.97e-16 Ω·m² (docs/stiffness.md §7), so R_□(1 nm) = ρℓ/L² = 397 Ω
    n = get_element("Al").n_per_nm3
    assert surface_limited_sheet_resistance_ohm(1.0, n) == pytest.approx(397, rel=0.01)
    assert surface_limited_sheet_resistance_ohm(0.5, n) == pytest.approx(
        4 * surface_limited_sheet_resistance_ohm(1.0, n), rel=1e-12)
    with pytest.raises(ValueError):
        surface_limited_sheet_resistance_ohm(0.0, n)


def test_equivalent_thickness_from_areal_density():
    pb = get_element("Pb")
    assert equivalent_thickness_nm(10.44, pb) == pytest.approx(10.44 / (pb.n_per_nm3 / 4))
    with pytest.raises(ValueError, match="areal_density"):
        equivalent_thickness_nm(-1, pb)


# ------------------------------------------------------------------ comparisons on a subset
def test_bulk_comparison_on_aluminium():
    rows = compute_bulk(["Al"])
    al = rows[0]
    # weak coupling: the BCS ratios (docs/eliashberg.md §2.4 quotes 3.532, 1.432, 0.1680 for Al)
    assert al["two_delta_over_kTc"] == pytest.approx(3.532, abs=0.01)
    assert al["delta_c_over_gamma_tc"] == pytest.approx(1.432, abs=0.01)
    assert al["gamma_tc2_over_hc02"] == pytest.approx(0.168, abs=0.002)
    assert al["two_delta_correlation"] == pytest.approx(
        carbotte_two_delta(K_B_MEV_PER_K * al["tc_K"] / al["omega_log_meV"]))
    meas = [{"material": "Al", "quantity": "two_delta_over_kTc", "measured_value": 3.4,
             "source": "s", "locator": "l", "identifier": "i"},
            {"material": "Pb", "quantity": "two_delta_over_kTc", "measured_value": 4.4,
             "source": "s", "locator": "l", "identifier": "i"}]
    cmp = compare_bulk(rows, meas)
    assert len(cmp) == 1  # Pb was not computed
    assert cmp[0]["residual"] == pytest.approx(al["two_delta_over_kTc"] - 3.4)


def test_film_comparison_on_one_monolayer():
    row = load_table("films")[0]  # Pb SIC monolayer on Si(111)
    res = compare_films([row], rules=[("dos-scaling", "constant"), ("constant", "constant")])
    assert len(res) == 2
    for r in res:
        assert r["thickness_nm"] == pytest.approx(row["areal_density_per_nm2"] / 33.0, rel=1e-3)
        assert r["tc_K"] > 0 and 0 < r["tc_bkt_K"] < r["tc_K"]
        assert r["residual_K"] == pytest.approx(r["tc_K"] - row["tc_measured_K"])
    # the constant λ rule is the bulk Tc at any thickness
    assert res[1]["tc_K"] == pytest.approx(res[1]["tc_bulk_model_K"], rel=1e-3)
    nobkt = compare_films([row], rules=[("constant", "constant")], bkt=False)
    assert nobkt[0]["tc_bkt_K"] is None


def test_bilayer_comparison():
    r = compare_bilayers(load_table("bilayers"))[0]
    assert r["a"] == "Ti" and r["b"] == "Au"
    assert 0 < r["weight_a"] < 1
    assert r["alpha_model"] == pytest.approx((1 - r["weight_a"]) / r["weight_a"])
    # proximity to a non-superconductor lowers Tc below the layer alone (both methods)
    assert r["tc_stack_K"] < r["tc_a_alone_K"]
    assert r["tc_bcs_cooper_K"] < r["tc_a_measured_K"]
    # at the α the BCS formula "needs", it returns the measured Tc
    assert cooper_limit_bcs_tc_K([r["tc_a_measured_K"], 0], [1, r["alpha_needed_bcs"]],
                                 r["debye_a_K"]) == pytest.approx(r["tc_measured_K"], rel=1e-9)


# ------------------------------------------------------------------ the command
def run(*args):
    return CliRunner().invoke(app, list(args))


def test_validate_quick_writes_the_page_and_figures(tmp_path):
    res = run("validate", "--out", str(tmp_path / "v"), "--quick", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["tcpredict_version"] and doc["parameters"]["quick"] is True
    page = (tmp_path / "v" / "validation.md").read_text(encoding="utf-8")
    for s in range(1, 7):
        assert f"## §{s} " in page
    assert "quick subset" in page
    for f in doc["figures"].values():
        data = open(f, "rb").read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_validate_refuses_a_file_as_output(tmp_path):
    f = tmp_path / "x.md"
    f.write_text("x")
    res = run("validate", "--out", str(f), "--quick")
    assert res.exit_code == 2
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "not a directory" in lines[0]
