"""BKT temperature from the Eliashberg stiffness, sheet-resistance models (issue 13, item 2;
docs/stiffness.md §§5–8)."""

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from tcpredict.eliashberg.spectra import einstein
from tcpredict.eliashberg.stiffness import R_Q_OHM
from tcpredict.eliashberg.tc import solve_tc
from tcpredict.films.bkt import (
    BMO_COEFFICIENT,
    ConstantSheetResistance,
    FuchsSondheimerSheetResistance,
    TableSheetResistance,
    bkt_temperature,
    bmo_tc_ratio,
    drude_mean_free_path_nm,
    film_bkt,
    fuchs_sondheimer_ratio,
    stack_bkt,
)
from tcpredict.units import K_B_MEV_PER_K

ZETA3 = 1.2020569031595942


def bcs_gap_meV(tc_K, T):
    """Independent weak-coupling BCS gap (same construction as tests/eliashberg/test_stiffness)."""
    if T >= tc_K:
        return 0.0
    t = K_B_MEV_PER_K * T
    w = np.pi * t * (2 * np.arange(100_000) + 1)

    def f(D):
        s = 2 * np.pi * t * np.sum(1 / w - 1 / np.sqrt(w ** 2 + D ** 2))
        w1 = w[-1] + np.pi * t
        s += np.log((w1 + np.sqrt(w1 ** 2 + D ** 2)) / (2 * w1))
        return s - np.log(tc_K / T)

    return brentq(f, 1e-14, 3 * K_B_MEV_PER_K * tc_K, xtol=1e-16)


def bcs_bkt_K(tc_K, R):
    """k_BT = (π²/8)(R_Q/R_□) Δ tanh(Δ/2k_BT) with the BCS Δ(T) (the spec's BCS form of the
    Nelson–Kosterlitz condition with the Mattis–Bardeen stiffness)."""
    def F(T):
        d = bcs_gap_meV(tc_K, T) / K_B_MEV_PER_K
        return math.pi ** 2 / 8 * R_Q_OHM / R * d * math.tanh(d / (2 * T)) - T if d > 0 else -T
    return brentq(F, 1e-3 * tc_K, tc_K * (1 - 1e-12), xtol=1e-10 * tc_K)


@pytest.fixture(scope="module")
def weak():
    """Einstein λ = 0.2, Ω = 50 meV, μ* = 0 (Δ₀/Ω = 3.2e-3): the BCS limit."""
    sp = einstein(50.0, 0.2)
    # Tc on the full Matsubara grid, the grid of the nonlinear gap solver used by T_BKT
    return sp, solve_tc(sp, 0.0, rtol=1e-7, grid="full").tc_K


def test_weak_coupling_against_bcs(weak):
    # Agreement to the leading strong-coupling difference of the superfluid weight, a relative
    # O(Δ₀/Ω) from the frequency dependence of Δ(iω) (docs/stiffness.md §1): bound 2Δ₀/Ω.
    sp, tc = weak
    x = 1.764 * K_B_MEV_PER_K * tc / 50.0
    for R in (300.0, 3000.0, 20000.0):
        b = bkt_temperature(sp, 0.0, R, tc_K=tc)
        ref = bcs_bkt_K(tc, R)
        assert b.tc_bkt_K == pytest.approx(ref, rel=2 * x)
        assert b.tc_bkt_K < tc


def test_tends_to_tc_and_bmo(weak):
    # T_BKT → Tc as R_□ → 0, following Beasley–Mooij–Orlando, PRL 42, 1165 (1979):
    # T_BKT/Tc = 1/(1 + a), a = 0.1728 R_□/R_Q, to second order in a (docs/stiffness.md §6);
    # the Eliashberg stiffness is below the BCS one by ≲ 2Δ₀/Ω (test above), which changes a
    # by that fraction: tolerance a² + 2(Δ₀/Ω)a.
    sp, tc = weak
    x = 1.764 * K_B_MEV_PER_K * tc / 50.0
    prev = None
    for R in (1.0, 10.0, 100.0, 1000.0, 3000.0):
        b = bkt_temperature(sp, 0.0, R, tc_K=tc)
        t = b.tc_bkt_K / tc
        a = BMO_COEFFICIENT * R / R_Q_OHM
        assert abs(t - bmo_tc_ratio(R)) <= a ** 2 + 2 * x * a + 2e-6
        assert b.tc_bkt_bmo_K == pytest.approx(tc * bmo_tc_ratio(R), rel=1e-12)
        if prev is not None:
            assert t < prev
        prev = t
    assert 1 - bkt_temperature(sp, 0.0, 1.0, tc_K=tc).tc_bkt_K / tc < 1e-4


def test_bmo_coefficient():
    # 14ζ(3)/π⁴ (docs/stiffness.md §6): BCS Δ² = (8π²/7ζ(3))(k_BTc)²(1 − t) near Tc
    assert BMO_COEFFICIENT == pytest.approx(14 * ZETA3 / math.pi ** 4, rel=1e-15)
    assert BMO_COEFFICIENT == pytest.approx(0.17277, abs=1e-5)


def test_vortex_dielectric_is_a_rescaled_resistance(weak):
    # the criterion k_BT = (π/2)J_s/ε_v with J_s ∝ 1/R_□: ε_v at R equals ε_v = 1 at ε_v R
    sp, tc = weak
    a = bkt_temperature(sp, 0.0, 500.0, tc_K=tc, vortex_dielectric=2.0, rtol=1e-7)
    b = bkt_temperature(sp, 0.0, 1000.0, tc_K=tc, rtol=1e-7)
    assert a.tc_bkt_K == pytest.approx(b.tc_bkt_K, rel=1e-6)
    with pytest.raises(ValueError, match="ε_v"):
        bkt_temperature(sp, 0.0, 500.0, tc_K=tc, vortex_dielectric=0.5)


def test_al_monotonic_in_sheet_resistance(al_spectrum):
    # tabulated Al α²F with its μ*: T_BKT falls strictly with R_□ and stays below Tc
    from tcpredict.materials.elements import get_element

    el = get_element("Al")
    tc = solve_tc(al_spectrum, el.mustar, mustar_at_meV=el.mustar_at_meV, rtol=1e-6).tc_K
    ts = [bkt_temperature(al_spectrum, el.mustar, R, mustar_at_meV=el.mustar_at_meV,
                          tc_K=tc).tc_bkt_K for R in (100.0, 1000.0, 5000.0)]
    assert tc > ts[0] > ts[1] > ts[2] > 0


def test_low_temperature_stiffness_and_inputs(weak):
    sp, tc = weak
    b = bkt_temperature(sp, 0.0, resistivity_uohm_cm=10.0, thickness_nm=2.0, tc_K=tc)
    assert b.sheet_resistance_ohm == pytest.approx(10e-8 / 2e-9)
    assert b.stiffness_temperature_K == pytest.approx(0.1 * tc)
    assert b.penetration_depth_nm > 0 and b.kinetic_inductance_pH > 0
    # J_s/k_B = (ħ/2e)²/(L_k k_B) at 0.1 Tc ≈ (π/4)(R_Q/R_□)Δ₀/k_B
    d0 = 1.764 * tc
    assert b.stiffness_K == pytest.approx(np.pi / 4 * R_Q_OHM / b.sheet_resistance_ohm * d0,
                                          rel=1e-2)
    with pytest.raises(ValueError, match="sheet resistance"):
        bkt_temperature(sp, 0.0, tc_K=tc)
    with pytest.raises(ValueError, match="t_min_K"):
        bkt_temperature(sp, 0.0, 100.0, tc_K=tc, t_min_K=1e-4)


def test_far_below_floor_reports_none(weak):
    sp, tc = weak
    b = bkt_temperature(sp, 0.0, 5e6, tc_K=tc, t_min_K=0.05)
    assert b.tc_bkt_K is None and any("floor" in n for n in b.notes)


# -------------------------------------------------------------- films and stacks
def test_film_bkt_uses_the_film_couplings():
    from tcpredict.films.film import FilmMaterial, FilmModel

    m = FilmModel(FilmMaterial.from_element("Al"))
    L = 0.5
    f, mu = m.couplings(L)
    b = film_bkt(m, L, 800.0)
    ref = bkt_temperature(m.material.spectrum.scaled(float(f[0])), float(mu[0]), 800.0,
                          mustar_at_meV=m.material.mustar_at_meV, cutoff_meV=m.cutoff_meV)
    assert b.tc_bkt_K == pytest.approx(ref.tc_bkt_K, rel=3e-4)
    assert b.penetration_depth_nm is not None  # thickness known


def test_film_tc_rows_carry_bkt_keys():
    from tcpredict.films.film import BKT_ROW_KEYS, FRAME_KEYS, ROW_KEYS, film_tc

    r = film_tc("Al", [0.5, 3.0], sheet_resistance=ConstantSheetResistance(400.0),
                find_peak=False)
    assert r.has_bkt and r.sheet_resistance_model["model"] == "constant"
    for row in r.rows:
        assert list(row) == list(ROW_KEYS) + list(BKT_ROW_KEYS)
        assert row["tc_bkt_K"] < row["tc_K"]
    # the table: material and rules first (docs/glossary.md §4), then the row keys
    df = r.to_dataframe()
    assert list(df.columns) == list(FRAME_KEYS) + list(BKT_ROW_KEYS)
    ds = r.to_xarray()
    assert set(BKT_ROW_KEYS) <= set(ds.variables)
    assert ds["kinetic_inductance_pH"].attrs["units"] == "pH"
    assert r.parameters()["sheet_resistance_model"] == {"model": "constant",
                                                        "sheet_resistance_ohm": 400.0}
    plain = film_tc("Al", [3.0], find_peak=False)
    assert not plain.has_bkt and list(plain.rows[0]) == list(ROW_KEYS)


def test_stack_cooper_limit_equals_effective_film():
    # Cooper limit: one gap for both layers (proximity.md §3), so the stack is the film with
    # α²F_eff, μ*_eff and the parallel sheet resistance (docs/stiffness.md §8)
    from tcpredict.stacks.proximity import Layer, bilayer

    a = Layer(einstein(10.0, 0.8), 0.1, thickness_nm=2.0, dos_per_spin=1.0, material="A")
    b = Layer(einstein(20.0, 0.3), 0.1, thickness_nm=1.0, dos_per_spin=1.0, material="B")
    st = bilayer(a, b, cooper_limit=True)
    res = stack_bkt(st, layer_sheet_resistances_ohm=[1500.0, 3000.0])
    assert res.sheet_resistance_ohm == pytest.approx(1000.0)
    sp, mu_c = st.cooper_limit_spectrum()
    ref = bkt_temperature(sp, mu_c, 1000.0, mustar_at_meV=st.cutoff_meV, cutoff_meV=st.cutoff_meV)
    assert res.tc_bkt_K == pytest.approx(ref.tc_bkt_K, rel=3e-4)
    # a total R_□ is split in proportion to thickness: 2:1 → R_j = 1500, 3000 Ω
    res2 = stack_bkt(st, 1000.0)
    assert res2.layer_sheet_resistances_ohm == pytest.approx((1500.0, 3000.0))
    assert res2.tc_bkt_K == pytest.approx(res.tc_bkt_K, rel=1e-9)
    with pytest.raises(ValueError, match="exactly one"):
        stack_bkt(st, 1000.0, resistivities_uohm_cm=[1.0, 2.0])


# -------------------------------------------------------------- sheet resistance vs thickness
def test_fuchs_sondheimer_limits():
    # Sondheimer, Adv. Phys. 1, 1 (1952): thick films ρ_b/ρ = 1 − 3(1−p)/(8κ) up to terms
    # ∝ e^{−κ} (so ρ/ρ_b ≈ 1 + 3(1−p)/(8κ)); thin films (p = 0)
    # ρ_b/ρ = (3κ/4)[ln(1/κ) + 0.4228] + O(κ² ln κ)
    k = np.array([50.0, 200.0])
    assert fuchs_sondheimer_ratio(k) == pytest.approx(1 / (1 - 3 / (8 * k)), rel=1e-10)
    assert fuchs_sondheimer_ratio(k) == pytest.approx(1 + 3 / (8 * k), rel=1e-4)
    assert fuchs_sondheimer_ratio(100.0, 0.5) == pytest.approx(1 / (1 - 3 * 0.5 / 800),
                                                                rel=1e-10)
    for kk in (1e-3, 1e-2):
        thin = 1 / (0.75 * kk * (np.log(1 / kk) + 0.4228))
        assert fuchs_sondheimer_ratio(kk) == pytest.approx(thin, rel=2e-3)
    r = fuchs_sondheimer_ratio(np.geomspace(0.01, 100, 9))
    assert np.all(np.diff(r) < 0) and np.all(r > 1)
    assert fuchs_sondheimer_ratio(0.5, 0.9) < fuchs_sondheimer_ratio(0.5, 0.0)
    with pytest.raises(ValueError, match="specularity"):
        fuchs_sondheimer_ratio(1.0, 1.0)


def test_drude_mean_free_path_aluminium():
    # Ashcroft & Mermin, Solid State Physics: Al v_F = 2.03e8 cm/s (Table 2.1), τ(273 K) =
    # 0.80e-14 s (Table 1.3), ρ(273 K) = 2.45 µΩ·cm (Table 1.2) → ℓ = v_Fτ = 16.2 nm;
    # n = 18.1e22 cm⁻³ (Table 1.1)
    assert drude_mean_free_path_nm(181.0, 2.45) == pytest.approx(2.03e6 * 0.80e-14 * 1e9,
                                                                  rel=0.03)


def test_fuchs_sondheimer_sheet_resistance():
    m = FuchsSondheimerSheetResistance(2.0, 20.0)
    L = np.array([1.0, 10.0, 1000.0])
    R = m(L)
    assert R[-1] == pytest.approx(2e-8 / 1e-6 / (1 - 3 * 20 / 8000), rel=1e-10)  # κ = 50
    assert np.all(np.diff(R) < 0)
    assert m.describe()["mean_free_path_nm"] == 20.0


def test_table_sheet_resistance(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("# film series\nthickness_nm sheet_resistance_ohm\n1, 1000\n4 250\n")
    m = TableSheetResistance(p)
    assert m(2.0)[0] == pytest.approx(500.0)  # linear in (ln L, ln R): R ∝ 1/L here
    with pytest.raises(ValueError, match="outside"):
        m(5.0)
    bad = tmp_path / "bad.txt"
    bad.write_text("1 1000\n0.5 20\n")
    with pytest.raises(ValueError, match=r"bad.txt:2: .*increase"):
        TableSheetResistance(bad)
    bad.write_text("1 1000 3\n")
    with pytest.raises(ValueError, match=r"bad.txt:1: expected 2 columns"):
        TableSheetResistance(bad)
