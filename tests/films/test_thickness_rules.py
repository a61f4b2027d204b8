"""Tests of tcpredict.films.thickness_rules (confinement.md §5) against closed forms and identities.

References: confinement.md = shared/physics/confinement.md; A&M = Ashcroft & Mermin, Solid State
Physics (1976) (Table 1.1 densities, Eq. 17.55 Thomas–Fermi wavevector); CODATA 2018 for
e²/4πε₀ = ħcα; Morel & Anderson, Phys. Rev. 125, 1263 (1962).
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tcpredict.films.confinement import FreeElectronFilm
from tcpredict.films.thickness_rules import (
    DEFAULT_LAMBDA_RULE,
    DEFAULT_MUSTAR_RULE,
    LAMBDA_RULE_NAMES,
    MUSTAR_RULE_NAMES,
    CallableLambdaRule,
    CallableMustarRule,
    ConstantLambda,
    ConstantMustar,
    DosScalingLambda,
    FilmContext,
    MorelAndersonMustar,
    ThomasFermiMustar,
    evaluate_couplings,
    get_lambda_rule,
    get_mustar_rule,
    read_coupling_table,
    thomas_fermi_wavevector_sq_per_nm2,
)

# Al, free-electron density from A&M Table 1.1 (18.06e22 cm^-3). λ, μ*, Θ_D below are
# illustrative inputs of the rules (not reference values being tested).
AL_FILM = FreeElectronFilm(180.6)
LC = AL_FILM.critical_thickness_nm
CTX = FilmContext(AL_FILM, lambda_bulk=0.43, mustar_bulk=0.12, mustar_at_meV=200.0, debye_meV=36.9)

# CODATA 2018: ħc = 197.3269804 MeV fm, α⁻¹ = 137.035999084 → e²/4πε₀ [meV nm]
E2_OVER_4PI_EPS0_MEV_NM = 197.3269804 / 137.035999084 * 1e3
BOHR_NM = 0.0529177210903  # CODATA 2018


# ---------------------------------------------------------------- context
def test_context_validation_and_immutability():
    with pytest.raises(ValueError, match="lambda_bulk"):
        FilmContext(AL_FILM, -0.1, 0.1, 100.0)
    with pytest.raises(ValueError, match="mustar_at_meV"):
        FilmContext(AL_FILM, 0.4, 0.1, 0.0)
    with pytest.raises(ValueError, match="debye_meV"):
        FilmContext(AL_FILM, 0.4, 0.1, 100.0, debye_meV=-3.0)
    with pytest.raises(ValueError, match="FreeElectronFilm"):
        FilmContext(180.6, 0.4, 0.1, 100.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        CTX.mustar_bulk = 0.2


# ---------------------------------------------------------------- λ rules
def test_dos_scaling_factor_is_dos_ratio_closed_form():
    # confinement.md §5: f(L) = g(E_F,L)/g0; §3 closed forms in x
    x = np.concatenate([np.geomspace(0.05, 1, 20), np.geomspace(1, 200, 20)])
    f = get_lambda_rule("dos-scaling")(x * LC, CTX)
    ref = np.where(x >= 1, (1 + x**-3 / 3) ** (1 / 3), (4 / 3) ** (1 / 3) * np.sqrt(x))
    np.testing.assert_allclose(f, ref, rtol=1e-12)
    np.testing.assert_allclose(f, AL_FILM.dos_ratio(x * LC), rtol=0)
    lam = get_lambda_rule("dos-scaling").lambda_of(x * LC, CTX)
    np.testing.assert_allclose(lam, 0.43 * ref, rtol=1e-12)
    # the tension of §5: the enhancement is at most (4/3)^{1/3} − 1 ≈ 10 %
    dense = LC * np.geomspace(0.1, 10, 5001)
    assert get_lambda_rule("dos-scaling")(dense, CTX).max() <= 1.1006425


def test_dos_scaling_bulk_limit():
    assert get_lambda_rule("dos-scaling")(1e5, CTX) == pytest.approx(1.0, rel=1e-12)


def test_constant_rules():
    L = np.array([0.1, LC, 3.0, 100.0])
    np.testing.assert_array_equal(get_lambda_rule("constant")(L, CTX), np.ones(4))
    np.testing.assert_array_equal(get_mustar_rule("constant")(L, CTX), np.full(4, 0.12))
    assert get_mustar_rule("constant").bulk_limit(CTX) == 0.12


def test_scalar_in_scalar_out_and_shape_preserved():
    for rule in (get_lambda_rule("dos-scaling"), *(get_mustar_rule(n) for n in MUSTAR_RULE_NAMES)):
        assert np.ndim(rule(0.5, CTX)) == 0
        assert np.shape(rule(np.ones((2, 3)), CTX)) == (2, 3)


# ---------------------------------------------------------------- Morel–Anderson μ* rule
def test_morel_anderson_at_lc_by_hand():
    # confinement.md §5 with E_F(L_c) = (4/3)^{2/3} E_F0, g/g0 = (4/3)^{1/3} (§3)
    ef0, wc, ms = AL_FILM.bulk_fermi_energy_meV, CTX.mustar_at_meV, CTX.mustar_bulk
    mu_b = ms / (1 - ms * math.log(ef0 / wc))
    mu = mu_b * (4 / 3) ** (1 / 3)
    ref = mu / (1 + mu * math.log((4 / 3) ** (2 / 3) * ef0 / wc))
    assert get_mustar_rule("morel-anderson")(LC, CTX) == pytest.approx(ref, rel=1e-12)
    assert MorelAndersonMustar.bare_mu_bulk(CTX) == pytest.approx(mu_b, rel=1e-14)


@settings(max_examples=50, deadline=None)
@given(
    n=st.floats(1.0, 300.0),
    ms=st.floats(0.0, 0.3),
    wc=st.floats(1.0, 1000.0),
)
def test_morel_anderson_reproduces_bulk_mustar_at_large_thickness(n, ms, wc):
    film = FreeElectronFilm(n)
    assume(wc < film.bulk_fermi_energy_meV and ms * math.log(film.bulk_fermi_energy_meV / wc) < 0.95)
    ctx = FilmContext(film, 0.5, ms, wc)
    rule = get_mustar_rule("morel-anderson")
    # identity: μ*(L → ∞) = μ*_bulk (E_F → E_F0, g → g0)
    assert rule(1e5 * film.critical_thickness_nm, ctx) == pytest.approx(ms, rel=1e-10, abs=1e-15)
    assert rule.bulk_limit(ctx) == ms


def test_morel_anderson_rejects_uninvertible_bulk_mustar():
    ctx = FilmContext(AL_FILM, 0.43, 0.5, 1.0)  # μ* ln(E_F0/ω_c) ≈ 4.7 ≥ 1
    with pytest.raises(ValueError, match="bare μ"):
        get_mustar_rule("morel-anderson")(1.0, ctx)
    ctx = FilmContext(AL_FILM, 0.43, 0.1, 2e4)  # cutoff above E_F0
    with pytest.raises(ValueError, match="Fermi energy"):
        get_mustar_rule("morel-anderson")(1.0, ctx)


# ---------------------------------------------------------------- Thomas–Fermi μ* rule
def test_thomas_fermi_wavevector_units():
    # k_TF² = e²g/ε₀ (SI) = 4π (e²/4πε₀) g with e²/4πε₀ = ħcα (CODATA 2018)
    assert thomas_fermi_wavevector_sq_per_nm2(1.0) == pytest.approx(
        4 * math.pi * E2_OVER_4PI_EPS0_MEV_NM, rel=1e-9
    )
    # free electrons: (k_TF/k_F)² = 4/(π a₀ k_F) (A&M Eq. 17.55), bulk Al
    kf = AL_FILM.bulk_fermi_wavevector_per_nm
    ratio = thomas_fermi_wavevector_sq_per_nm2(AL_FILM.bulk_dos_per_meV_nm3) / kf**2
    assert ratio == pytest.approx(4 / (math.pi * BOHR_NM * kf), rel=1e-8)


def _tf_by_hand(ef, kf, g, wd, wc):
    """confinement.md §5 evaluated with a₀ instead of e²/ε₀: k_TF² = 4πe²g (Gaussian)."""
    r = 4 * math.pi * E2_OVER_4PI_EPS0_MEV_NM * g / kf**2
    mu = r / 8 * math.log(1 + 4 / r)
    ms_debye = mu / (1 + mu * math.log(ef / wd))
    return mu, ms_debye, 1 / (1 / ms_debye + math.log(wd / wc))


@pytest.mark.parametrize("x", [0.3, 1.0, 4.0])
def test_thomas_fermi_by_hand(x):
    # E_F, g from the x closed forms of confinement.md §3
    ef0, g0 = AL_FILM.bulk_fermi_energy_meV, AL_FILM.bulk_dos_per_meV_nm3
    if x >= 1:
        ef, g = ef0 * (1 + x**-3 / 3) ** (2 / 3), g0 * (1 + x**-3 / 3) ** (1 / 3)
    else:
        ef, g = ef0 * (4 / 3) ** (2 / 3) / math.sqrt(x), g0 * (4 / 3) ** (1 / 3) * math.sqrt(x)
    kf = math.sqrt(ef / AL_FILM.hbar2_over_2m_meV_nm2)
    mu, ms_d, ms_c = _tf_by_hand(ef, kf, g, CTX.debye_meV, CTX.mustar_at_meV)
    rule = get_mustar_rule("thomas-fermi")
    assert rule.coulomb_mu(x * LC, CTX) == pytest.approx(mu, rel=1e-8)
    assert rule.mustar_at_debye(x * LC, CTX) == pytest.approx(ms_d, rel=1e-8)
    assert rule(x * LC, CTX) == pytest.approx(ms_c, rel=1e-8)
    # Morel–Anderson rescaling is exact: μ*(ω_c) = μ/[1 + μ ln(E_F/ω_c)], independent of ω_D
    assert rule(x * LC, CTX) == pytest.approx(mu / (1 + mu * math.log(ef / CTX.mustar_at_meV)), rel=1e-8)


def test_thomas_fermi_bulk_limit_differs_from_mustar_bulk():
    rule = get_mustar_rule("thomas-fermi")
    limit = rule.bulk_limit(CTX)
    assert rule(1e6, CTX) == pytest.approx(limit, rel=1e-12)
    kf0 = AL_FILM.bulk_fermi_wavevector_per_nm
    _, _, ref = _tf_by_hand(AL_FILM.bulk_fermi_energy_meV, kf0, AL_FILM.bulk_dos_per_meV_nm3,
                            CTX.debye_meV, CTX.mustar_at_meV)
    assert limit == pytest.approx(ref, rel=1e-8)
    # the rule ignores μ*_bulk: changing it does not change the result
    other = dataclasses.replace(CTX, mustar_bulk=0.2)
    assert rule(0.5, other) == rule(0.5, CTX)
    assert evaluate_couplings([1.0], CTX, mustar_rule="thomas-fermi").mustar_rule_bulk_limit == limit


def test_thomas_fermi_requires_debye():
    ctx = dataclasses.replace(CTX, debye_meV=None)
    rule = get_mustar_rule("thomas-fermi")
    with pytest.raises(ValueError, match="debye_meV"):
        rule(1.0, ctx)
    with pytest.raises(ValueError, match="debye_meV"):
        rule.bulk_limit(ctx)


# ---------------------------------------------------------------- callables
def my_lambda(thickness_nm, ctx):
    return ctx.lambda_bulk * (1 + 0.5 / thickness_nm)


def test_callable_lambda_rule_returns_lambda_by_default():
    rule = get_lambda_rule(my_lambda)
    assert isinstance(rule, CallableLambdaRule)
    assert rule.name == "callable:my_lambda"
    L = np.array([0.5, 1.0, 5.0])
    np.testing.assert_allclose(rule(L, CTX), 1 + 0.5 / L, rtol=1e-15)
    np.testing.assert_allclose(rule.lambda_of(L, CTX), 0.43 * (1 + 0.5 / L), rtol=1e-15)
    fac = CallableLambdaRule(lambda L, ctx: 2 * np.ones_like(L), returns="factor", name="twice")
    assert fac.name == "twice"
    np.testing.assert_array_equal(fac(L, CTX), [2.0, 2.0, 2.0])


def test_callable_mustar_rule_and_scalar_return():
    rule = get_mustar_rule(lambda L, ctx: 0.1)
    assert rule.name.startswith("callable:") and "lambda" in rule.name
    np.testing.assert_array_equal(rule(np.array([[0.3, 2.0]]), CTX), [[0.1, 0.1]])
    assert rule.bulk_limit(CTX) is None


@pytest.mark.parametrize(
    "func, match",
    [
        (lambda L, ctx: np.ones(len(L) + 1), "shape"),
        (lambda L, ctx: -np.ones_like(L), "negative"),
        (lambda L, ctx: np.full_like(L, np.nan), "non-finite"),
    ],
)
def test_callable_bad_output_raises(func, match):
    with pytest.raises(ValueError, match=match):
        get_mustar_rule(func)(np.array([0.5, 1.0]), CTX)
    with pytest.raises(ValueError, match=match):
        get_lambda_rule(func)(np.array([0.5, 1.0]), CTX)


def test_callable_lambda_needs_positive_bulk_lambda():
    ctx = dataclasses.replace(CTX, lambda_bulk=0.0)
    with pytest.raises(ValueError, match="lambda_bulk > 0"):
        get_lambda_rule(my_lambda)(1.0, ctx)


# ---------------------------------------------------------------- tables
GOOD_TABLE = """# thickness dependence from a user's model
thickness_nm, lambda, mustar
0.5, 0.86, 0.10   # doubled λ
2.0, 0.43, 0.12

8.0, 0.43, 0.13
"""


def _write(tmp_path: Path, text: str, name: str = "t.dat") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_table_rules_interpolate_linearly_in_log_thickness(tmp_path):
    p = _write(tmp_path, GOOD_TABLE)
    lam_rule, mu_rule = get_lambda_rule(p), get_mustar_rule(str(p))
    assert lam_rule.name == f"table:{p}" and mu_rule.name == f"table:{p}"
    # nodes exactly; λ-factor = λ_table/λ_bulk
    np.testing.assert_allclose(lam_rule(np.array([0.5, 2.0, 8.0]), CTX), [2.0, 1.0, 1.0], rtol=1e-14)
    np.testing.assert_allclose(mu_rule(np.array([0.5, 2.0, 8.0]), CTX), [0.10, 0.12, 0.13], rtol=1e-14)
    # geometric midpoint = arithmetic mean of the neighbours (linear in ln L)
    assert lam_rule(1.0, CTX) == pytest.approx((2.0 + 1.0) / 2, rel=1e-14)
    assert mu_rule(4.0, CTX) == pytest.approx(0.125, rel=1e-14)


def test_table_whitespace_separated_and_prefix(tmp_path):
    p = _write(tmp_path, "1 0.5 0.1\n10 0.4 0.1  # end\n")
    rule = get_mustar_rule(f"table:{p}")
    assert rule(math.sqrt(10.0), CTX) == pytest.approx(0.1)
    assert get_lambda_rule(f"table:{p}")(math.sqrt(10.0), CTX) == pytest.approx(0.45 / 0.43)


def test_table_out_of_range_names_the_range(tmp_path):
    p = _write(tmp_path, GOOD_TABLE)
    with pytest.raises(ValueError, match=r"outside the range \[0.5, 8\] nm"):
        get_lambda_rule(p)(np.array([1.0, 9.0]), CTX)
    with pytest.raises(ValueError, match=r"outside the range"):
        get_mustar_rule(p)(0.4, CTX)


@pytest.mark.parametrize(
    "text, line, match",
    [
        ("0.5 0.4 0.1\n1.0 0.4\n", 2, "expected 3 columns"),
        ("0.5 0.4 0.1\n1.0 abc 0.1\n", 2, "column lambda"),
        ("# c\n0.5 0.4 0.1\n1.0 0.4 nan\n", 3, "column mustar"),
        ("-0.5 0.4 0.1\n1.0 0.4 0.1\n", 1, "thickness_nm must be > 0"),
        ("0.5 0.4 0.1\n0.5 0.4 0.1\n", 2, "strictly increasing"),
        ("0.5 0.4 0.1\n1.0 -0.4 0.1\n", 2, "lambda must be"),
        ("0.5 0.4 0.1\n1.0 0.4 -0.1\n", 2, "mustar must be"),
        ("0.5, 0.4, 0.1\n1.0,, 0.1\n", 2, "empty field"),
        ("0.5 0.4 0.1\nthickness_nm lambda mustar\n", 2, "column thickness_nm"),
    ],
)
def test_malformed_table_errors_name_file_and_line(tmp_path, text, line, match):
    p = _write(tmp_path, text, "bad.csv")
    with pytest.raises(ValueError, match=match) as exc:
        read_coupling_table(p)
    assert f"{p}:{line}:" in str(exc.value)
    with pytest.raises(ValueError, match=f"bad.csv:{line}:"):
        get_mustar_rule(p)


def test_table_too_short_or_unreadable(tmp_path):
    p = _write(tmp_path, "# only one row\n1.0 0.4 0.1\n", "short.dat")
    with pytest.raises(ValueError, match=r"short.dat needs at least 2 data rows"):
        get_lambda_rule(p)
    with pytest.raises(ValueError, match="does not exist"):
        get_lambda_rule(tmp_path / "missing.dat")
    with pytest.raises(ValueError, match="does not exist"):
        get_mustar_rule(f"table:{tmp_path / 'missing.dat'}")
    with pytest.raises(ValueError, match="missing.dat: thickness table not found"):
        read_coupling_table(tmp_path / "missing.dat")


def test_table_lambda_needs_positive_bulk_lambda(tmp_path):
    p = _write(tmp_path, GOOD_TABLE)
    with pytest.raises(ValueError, match="lambda_bulk > 0"):
        get_lambda_rule(p)(1.0, dataclasses.replace(CTX, lambda_bulk=0.0))


# ---------------------------------------------------------------- resolvers
def test_resolver_names_and_defaults():
    assert LAMBDA_RULE_NAMES == ("dos-scaling", "constant")
    assert MUSTAR_RULE_NAMES == ("constant", "morel-anderson", "thomas-fermi")
    assert isinstance(get_lambda_rule(), DosScalingLambda) and DEFAULT_LAMBDA_RULE == "dos-scaling"
    assert isinstance(get_mustar_rule(), ConstantMustar) and DEFAULT_MUSTAR_RULE == "constant"
    assert isinstance(get_lambda_rule("Constant"), ConstantLambda)
    assert isinstance(get_lambda_rule("dos_scaling"), DosScalingLambda)
    assert isinstance(get_mustar_rule("Morel_Anderson"), MorelAndersonMustar)
    assert isinstance(get_mustar_rule("thomas-fermi"), ThomasFermiMustar)
    rule = ThomasFermiMustar()
    assert get_mustar_rule(rule) is rule
    for name in LAMBDA_RULE_NAMES:
        assert get_lambda_rule(name).name == name
    for name in MUSTAR_RULE_NAMES:
        assert get_mustar_rule(name).name == name


def test_resolver_unknown_names_list_valid_ones():
    with pytest.raises(ValueError, match="dos-scaling, constant"):
        get_lambda_rule("enhanced")
    with pytest.raises(ValueError, match="constant, morel-anderson, thomas-fermi"):
        get_mustar_rule("bogus")
    with pytest.raises(ValueError, match="not a lambda rule"):
        get_lambda_rule(ConstantMustar())
    with pytest.raises(ValueError, match="not a mustar rule"):
        get_mustar_rule(DosScalingLambda())
    with pytest.raises(ValueError, match="cannot make"):
        get_mustar_rule(3.0)


# ---------------------------------------------------------------- evaluation record
def test_evaluate_couplings_records_rules(tmp_path):
    L = np.array([0.2, LC, 1.0, 100.0])
    res = evaluate_couplings(L, CTX, "dos-scaling", "morel-anderson")
    assert res.lambda_rule == "dos-scaling" and res.mustar_rule == "morel-anderson"
    assert res.mustar_rule_bulk_limit == CTX.mustar_bulk
    np.testing.assert_allclose(res.lam, CTX.lambda_bulk * res.dos_ratio, rtol=1e-15)
    assert list(res.regime) == ["confined", "bulk-like", "bulk-like", "bulk-like"]
    d = json.loads(json.dumps(res.to_dict()))
    assert d["mustar_at_meV"] == 200.0 and len(d["rows"]) == 4
    assert set(d["rows"][0]) == {
        "thickness_nm", "x", "regime", "fermi_energy_meV", "dos_ratio", "lambda_factor",
        "lambda", "mustar",
    }
    res2 = evaluate_couplings(L, CTX, my_lambda, _write(tmp_path, "0.1 1 0.1\n200 1 0.2\n"))
    assert res2.lambda_rule == "callable:my_lambda" and res2.mustar_rule.startswith("table:")
    assert res2.mustar_rule_bulk_limit is None
