"""Film Tc(L) (confinement.md §§3–6) checked against the bulk constant-DOS solver."""

import json
import math

import numpy as np
import pytest

import tcpredict
from tcpredict.films.confinement import DOS_RATIO_AT_LC, FreeElectronFilm
from tcpredict.eliashberg.tc import solve_tc
from tcpredict.films.film import FRAME_KEYS, ROW_KEYS, FilmMaterial, FilmModel, film_tc
from tcpredict.plotting.films import plot_film
from tcpredict.materials.elements import get_element
from tcpredict.eliashberg.spectra import einstein

THICK = [0.2, 0.326, 1.0, 10.0, 100.0]


@pytest.fixture(scope="module")
def al():
    return get_element("Al")


@pytest.fixture(scope="module")
def al_result():
    return film_tc("Al", THICK, threshold_K=1.5)


def _bulk_solver_tc(el, factor, rtol=1e-6):
    """Independent reference: the plain bulk solver on the scaled spectrum (confinement.md §5:
    α²F_L = [g(E_F)/g₀] α²F_bulk, μ* unchanged with the default 'constant' rule)."""
    return solve_tc(el.alpha2f().scaled(factor), el.mustar, mustar_at_meV=el.mustar_at_meV,
                    rtol=rtol, t_min_K=0.05).tc_K


def test_rows_and_rule_names(al_result, al):
    r = al_result
    assert r.material == "Al"
    assert r.lambda_rule == "dos-scaling" and r.mustar_rule == "constant"
    assert [list(row) for row in r.rows] == [list(ROW_KEYS)] * len(THICK)
    film = FreeElectronFilm(al.n_per_nm3)
    assert r.critical_thickness_nm == pytest.approx(0.326, abs=5e-4)  # confinement.md §3 table
    for row in r.rows:
        L = row["thickness_nm"]
        assert row["x"] == pytest.approx(L / film.critical_thickness_nm, rel=1e-12)
        assert row["fermi_energy_eV"] == pytest.approx(film.fermi_energy_meV(L) / 1e3, rel=1e-12)
        assert row["dos_ratio"] == pytest.approx(film.dos_ratio(L), rel=1e-12)
        assert row["lambda"] == pytest.approx(film.dos_ratio(L) * al.alpha2f().lam, rel=1e-12)
        assert row["mustar"] == al.mustar
    json.dumps(r.to_dict())  # JSON-ready (None for missing Tc)
    df = r.to_dataframe()
    assert list(df.columns) == list(FRAME_KEYS) and len(df) == len(THICK)
    assert set(df["material"]) == {"Al"} and set(df["lambda_rule"]) == {"dos-scaling"}
    # provenance (issue 10 item 2): version and the resolved inputs, enough to rerun
    assert df.attrs["tcpredict_version"] == tcpredict.__version__
    assert df.attrs["parameters"]["thickness_nm"] == list(df["thickness_nm"])
    assert df.attrs["parameters"]["cutoff_meV"] == r.cutoff_meV
    ds = r.to_xarray()
    assert list(ds["tc_K"].dims) == ["thickness_nm"] and ds.attrs["material"] == "Al"
    assert ds["lambda"].values == pytest.approx(df["lambda"].to_numpy(), rel=1e-15)


def test_tc_matches_bulk_solver_on_scaled_spectrum(al_result, al):
    for row in (al_result.rows[0], al_result.rows[2]):
        ref = _bulk_solver_tc(al, row["dos_ratio"])
        assert row["tc_K"] == pytest.approx(ref, rel=3e-4)


def test_thick_film_tends_to_bulk(al_result, al):
    # acceptance: Tc(100 nm) within 1 % of the bulk Tc (bulk = plain solver, unscaled spectrum)
    bulk = solve_tc(al.alpha2f(), al.mustar, mustar_at_meV=al.mustar_at_meV).tc_K
    assert al_result.tc_bulk_model_K == pytest.approx(bulk, rel=1e-6)
    assert al_result.rows[-1]["tc_K"] == pytest.approx(bulk, rel=0.01)
    assert al_result.rows[-2]["tc_K"] == pytest.approx(bulk, rel=0.01)


def test_peak_is_the_cusp_at_critical_thickness(al_result, al):
    # default rules: λ ∝ g(E_F)/g₀, maximal (4/3)^{1/3} = 1.1006 at L_c (confinement.md §3), μ*
    # constant ⇒ Tc(L) peaks at L_c with a cusp and falls on both sides
    p = al_result.peak
    assert p["at_critical_thickness"]
    assert p["thickness_nm"] == pytest.approx(al_result.critical_thickness_nm, rel=1e-12)
    ref = _bulk_solver_tc(al, DOS_RATIO_AT_LC)
    assert p["tc_K"] == pytest.approx(ref, rel=3e-4)
    model = FilmModel(FilmMaterial.from_element(al))
    Lc = al_result.critical_thickness_nm
    lo, hi = model.tc_K(0.97 * Lc), model.tc_K(1.03 * Lc)
    assert lo < p["tc_K"] and hi < p["tc_K"]
    # cusp: both one-sided slopes point down at L_c, of order 1 in d ln Tc / d ln L
    assert math.log(p["tc_K"] / lo) / 0.03 > 0.5 and math.log(p["tc_K"] / hi) / 0.03 > 0.05
    assert 1.6 < p["tc_K"] < 2.4  # confinement.md §5: "lifts thin Al from 1.2 K to about 2 K"


def test_window_edges_are_roots(al_result, al):
    # Tc ≥ 1.5 K only near L_c: thin side open (0.2 nm is already below), thick edge by brentq;
    # check Tc(edge) = threshold with the independent bulk solver
    (w,) = al_result.windows
    assert w["lower_nm"] is not None and w["upper_nm"] is not None
    assert 0.2 < w["lower_nm"] < al_result.critical_thickness_nm < w["upper_nm"] < 1.0
    film = FreeElectronFilm(al.n_per_nm3)
    for edge in (w["lower_nm"], w["upper_nm"]):
        assert _bulk_solver_tc(al, float(film.dos_ratio(edge)), rtol=1e-7) == pytest.approx(
            1.5, rel=1e-5)


def test_other_rules_are_recorded_and_used(al):
    def half_lambda(L, ctx):
        return 0.5 * ctx.lambda_bulk * np.ones_like(L)

    r = film_tc(al, [0.5, 3.0], lambda_rule=half_lambda, mustar_rule="morel-anderson",
                find_peak=False)
    assert r.lambda_rule.startswith("callable:") and r.mustar_rule == "morel-anderson"
    assert all(row["tc_K"] is None for row in r.rows)  # λ = 0.21 < μ*-limited: no Tc ≥ 0.05 K
    assert all(row["lambda"] == pytest.approx(0.5 * al.alpha2f().lam) for row in r.rows)


def test_explicit_material_and_floor():
    # an explicit Einstein material: Tc from film_tc equals the plain solver at factor g(E_F)/g₀
    sp = einstein(15.0, 0.6)
    mat = FilmMaterial("E", sp, n_per_nm3=60.0, mustar=0.1)
    r = film_tc(mat, [0.4, 2.0], find_peak=False, t_min_K=0.1)
    film = FreeElectronFilm(60.0)
    for row in r.rows:
        ref = solve_tc(sp.scaled(float(film.dos_ratio(row["thickness_nm"]))), 0.1).tc_K
        assert row["tc_K"] == pytest.approx(ref, rel=3e-4)
    with pytest.raises(ValueError, match="threshold"):
        FilmModel(mat, t_min_K=0.1).window(0.05, [1.0, 2.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="> 0 nm"):
        film_tc(mat, [0.0, 1.0])
    with pytest.raises(ValueError, match="unknown element"):
        film_tc("Xx", [1.0])


def test_energy_dos_effect_is_order_omega_over_fermi(al):
    # confinement.md §4: ñ(ξ; L) changes Tc only at O(ω_c/E_F) (~4 % for Al: 414 meV / 11.7 eV);
    # the result must move, but by less than that
    off = film_tc(al, [1.0], find_peak=False, rtol=1e-6).rows[0]["tc_K"]
    on = film_tc(al, [1.0], find_peak=False, rtol=1e-6, energy_dos=True)
    rel = on.rows[0]["tc_K"] / off - 1
    assert on.energy_dos
    assert 1e-5 < abs(rel) < 0.414 / 11.7


def test_plot_writes_png(al_result, tmp_path):
    out = tmp_path / "al.png"
    plot_film(al_result, out)
    assert out.stat().st_size > 1000 and out.read_bytes()[:4] == b"\x89PNG"
