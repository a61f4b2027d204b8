"""Property tests of the public constructors and loaders (issue 8 items 3 and 6).

Whatever numbers, texts or files they are given, only ``ValueError`` (the loaders'
``SpectrumFileError`` is one) or the package's documented ``tcpredict.errors.ConvergenceError``
may escape: never ``OverflowError``, ``ZeroDivisionError``, ``IndexError``, ``TypeError`` from a
number, ``csv.Error``, ``UnicodeDecodeError`` or a ``MemoryError``. Wrong *object* types (a
string where an ``Alpha2F`` is expected) are outside this contract (``TypeError`` is the Python
convention there); every numeric parameter is drawn from numbers of every kind: NaN, ±inf,
0, negatives, 1e±300, huge integers (10**400), booleans. Examples are bounded (max_examples
50–100, no deadline) so the file runs in well under a minute.
"""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tcpredict.errors import ConvergenceError

ALLOWED = (ValueError, ConvergenceError)
SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
FEW = settings(max_examples=40, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow])

#: Every kind of number a user (or a file) can produce.
nasty = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10 ** 400), max_value=10 ** 400),
    st.sampled_from([0, 0.0, -0.0, 1, -1, 1e300, -1e300, 1e-300, 5e-324, 10 ** 309, 2 ** 63,
                     True, False, float("nan"), float("inf"), float("-inf")]),
)
#: Mostly reasonable numbers with the nasty ones mixed in (reaches the deeper checks).
number = st.one_of(nasty, st.floats(min_value=1e-3, max_value=1e3), st.integers(1, 100))
optional = st.one_of(st.none(), number)


def only_allowed(fn, *args, **kw):
    """Call ``fn``; return its value, or None when it raised an allowed error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(*args, **kw)
        except ALLOWED:
            return None


# ============================================================================== spectra
@SETTINGS
@given(st.lists(number, max_size=6), st.lists(number, max_size=6),
       st.lists(number, max_size=3), st.lists(number, max_size=3))
def test_alpha2f_constructor_and_moments(om, va, dom, dw):
    from tcpredict.eliashberg.spectra import Alpha2F

    a = only_allowed(Alpha2F, om, va, dom, dw)
    if a is not None:  # a valid spectrum has finite, positive moments and a finite kernel
        m = a.moments()
        assert all(math.isfinite(v) and v > 0 for v in (m["lambda"], m["omega_log_meV"],
                                                         m["omega2_meV"]))
        assert math.isfinite(a.omega_max_meV) and a.omega_max_meV >= 0
        assert np.all(np.isfinite(a.kernel([0.0, 1.0, 1e3])))


@SETTINGS
@given(number, number)
def test_einstein(om, lam):
    from tcpredict.eliashberg.spectra import einstein

    a = only_allowed(einstein, om, lam)
    if a is not None:
        assert a.lam == pytest.approx(float(lam), rel=1e-12)  # the exact delta keeps λ


@SETTINGS
@given(number, number, number, st.one_of(number, st.integers(-10, 1000)))
def test_peaks(c, w, lam, n):
    from tcpredict.eliashberg.spectra import gaussian_peak, lorentzian_peak

    for fn in (gaussian_peak, lorentzian_peak):
        a = only_allowed(fn, c, w, lam, n)
        if a is not None:
            assert a.lam == pytest.approx(float(lam), rel=1e-9)


@SETTINGS
@given(number, number, st.one_of(number, st.integers(-10, 1000)))
def test_debye(od, lam, n):
    from tcpredict.eliashberg.spectra import debye

    a = only_allowed(debye, od, lam, n)
    if a is not None:
        assert a.lam == pytest.approx(float(lam), rel=1e-9)


@SETTINGS
@given(number, number, number, st.one_of(number, st.integers(-10, 1000)))
def test_from_moments(lam, wl, w2, n):
    from tcpredict.eliashberg.spectra import from_moments

    a = only_allowed(from_moments, lam, wl, w2, n)
    if a is not None:
        assert a.lam == pytest.approx(float(lam), rel=1e-9)


def _issue_8_cases():
    from tcpredict.eliashberg.spectra import Alpha2F, debye, einstein

    return [
        ("einstein(10, 10**309)", lambda: einstein(10, 10 ** 309), "lambda"),  # OverflowError
        ("debye(1, 1, n=0)", lambda: debye(1, 1, n=0), "n must be an integer"),  # ZeroDivision
        ("einstein(1e300, 1)", lambda: einstein(1e300, 1), "omega_meV"),
        ("Alpha2F Ω = 1e200", lambda: Alpha2F([1e199, 1e200], [0.5, 0.5]), "≤ 10000 meV"),
    ]


@pytest.mark.parametrize("case", range(4))
def test_the_inputs_named_in_issue_8_are_value_errors(case):
    name, call, fragment = _issue_8_cases()[case]
    with pytest.raises(ValueError, match=re.escape(fragment)):
        call()


def test_omega_max_of_a_zero_table_plus_a_delta():
    # issue 8: Alpha2F([1, 2], [0, 0], [5], [1]).omega_max_meV raised IndexError; the table is
    # zero, so the top of the spectrum is the delta function at 5 meV
    from tcpredict.eliashberg.spectra import Alpha2F

    assert Alpha2F([1, 2], [0, 0], [5], [1]).omega_max_meV == 5.0


# ============================================================================== films
@SETTINGS
@given(number, number)
def test_free_electron_film(n, m):
    from tcpredict.films.confinement import FreeElectronFilm

    f = only_allowed(FreeElectronFilm, n, m)
    if f is not None:
        assert math.isfinite(f.critical_thickness_nm) and f.critical_thickness_nm > 0
        assert math.isfinite(float(f.fermi_energy_meV(1.0)))


@SETTINGS
@given(number, number)
def test_free_electron_film_from_rs(rs, m):
    from tcpredict.films.confinement import FreeElectronFilm

    f = only_allowed(FreeElectronFilm.from_rs, rs, m)
    if f is not None:
        assert math.isfinite(f.n_per_nm3) and f.n_per_nm3 > 0


def test_from_rs_1e_110_is_a_value_error():
    # issue 8: was ZeroDivisionError (r_s³ underflows)
    from tcpredict.films.confinement import FreeElectronFilm

    with pytest.raises(ValueError, match="rs_bohr"):
        FreeElectronFilm.from_rs(1e-110)


@SETTINGS
@given(number, number, optional, optional, number)
def test_film_material(n, mustar, mustar_at, debye_K, mass):
    from tcpredict.eliashberg.spectra import einstein
    from tcpredict.films.film import FilmMaterial

    m = only_allowed(FilmMaterial, "X", einstein(10.0, 0.5), n, mustar, mustar_at, debye_K,
                     mass)
    if m is not None:
        only_allowed(lambda: m.film)


@FEW
@given(optional, number, number)
def test_film_model(cutoff, t_min, rtol):
    from tcpredict.films.film import FilmMaterial, FilmModel

    mat = FilmMaterial.from_element("Al")
    only_allowed(FilmModel, mat, cutoff_meV=cutoff, t_min_K=t_min, rtol=rtol)


@FEW
@given(st.lists(number, min_size=1, max_size=3))
def test_film_model_thicknesses(L):
    from tcpredict.films.film import FilmMaterial, FilmModel

    model = FilmModel(FilmMaterial.from_element("Al"))
    only_allowed(model.couplings, L)


# ============================================================================== stacks
@SETTINGS
@given(number, optional, number, optional, st.booleans())
def test_layer(mustar, mustar_at, d, dos, confined):
    from tcpredict.eliashberg.spectra import einstein
    from tcpredict.films.confinement import FreeElectronFilm
    from tcpredict.stacks.proximity import Layer

    only_allowed(Layer, einstein(10.0, 0.5), mustar, mustar_at, d, dos, confined,
                 FreeElectronFilm(100.0) if confined else None)


@SETTINGS
@given(optional, st.booleans())
def test_interface(gamma, cooper):
    from tcpredict.stacks.proximity import Interface

    only_allowed(Interface, gamma_meV=gamma, cooper_limit=cooper)


@SETTINGS
@given(st.integers(1, 40), optional, optional)
def test_stack_and_bilayer(n_layers, cutoff, gamma):
    from tcpredict.eliashberg.spectra import einstein
    from tcpredict.stacks.proximity import Interface, Layer, Stack, bilayer

    lay = Layer(einstein(10.0, 0.5), 0.1, thickness_nm=1.0, dos_per_spin=1.0)
    only_allowed(Stack, [lay] * n_layers, [Interface(gamma_meV=1.0)] * (n_layers - 1), cutoff)
    kw = {"cooper_limit": True} if gamma is None else {"gamma_meV": gamma}
    only_allowed(bilayer, lay, lay, cutoff_meV=cutoff, **kw)


@SETTINGS
@given(st.lists(number, max_size=4), optional, optional, number,
       st.sampled_from(["dos-scaling", "constant", "bogus", "", "table:/nonexistent"]))
def test_screen_config(d, gamma, cutoff, t_min, rule):
    from tcpredict.stacks.maps import ScreenConfig
    from tcpredict.stacks.screen import check_screen_input

    cfg = only_allowed(ScreenConfig, thickness_nm=tuple(d), gamma_meV=gamma, cutoff_meV=cutoff,
                       t_min_K=t_min, lambda_rule=rule)
    if cfg is not None:
        only_allowed(check_screen_input, ["Al", "Au"], cfg)


# ============================================================================== operator
@SETTINGS
@given(optional, number, st.integers(-5, 300), st.integers(-5, 200), st.integers(-5, 20))
def test_compressed_grid(panel, factor, n_exact, n_head, order):
    from tcpredict.eliashberg.operator import CompressedGrid

    only_allowed(CompressedGrid, panel, factor, n_exact, n_head, order)


@SETTINGS
@given(st.lists(number, min_size=1, max_size=2), number, st.lists(number, max_size=2),
       st.one_of(st.none(), st.lists(number, min_size=1, max_size=2)),
       st.sampled_from(["full", "compressed", "bogus"]))
def test_linearized_operator(mu, cutoff, gammas, weights, grid):
    from tcpredict.eliashberg.operator import LinearizedOperator
    from tcpredict.eliashberg.spectra import einstein

    k = [einstein(10.0, 1.0)] * len(mu)
    op = only_allowed(LinearizedOperator, k, mu, cutoff, gammas, weights, grid=grid)
    if op is not None:  # an operator that exists can be asked for N at a temperature
        only_allowed(op.n_matsubara, 1.0)


@FEW
@given(number, optional, optional, number, st.sampled_from(["compressed", "full"]))
def test_solve_tc(mustar, mustar_at, cutoff, t_min, grid):
    from tcpredict.eliashberg.spectra import einstein
    from tcpredict.eliashberg.tc import solve_tc

    if isinstance(cutoff, (int, float)) and not isinstance(cutoff, bool) \
            and 2e3 < cutoff < 1e300:
        cutoff = 2e3  # keep each example cheap: big cutoffs are refused or slow by design
    r = only_allowed(solve_tc, einstein(10.0, 1.0), mustar, mustar_at_meV=mustar_at,
                     cutoff_meV=cutoff, t_min_K=t_min, grid=grid)
    if r is not None:
        assert r.tc_K is None or (math.isfinite(r.tc_K) and r.tc_K >= float(t_min))


# ============================================================================== loaders
LINE = st.text(alphabet=st.sampled_from(list("0123456789.eE+-, \t#;:abcdnif") + ["\x00", "é",
                                                                                   "\x1b"]),
               max_size=30)
a2f_text = st.one_of(
    st.lists(LINE, max_size=12).map("\n".join),
    st.lists(st.tuples(number, number), max_size=12).map(
        lambda rows: "\n".join(f"{a} {b}" for a, b in rows)),
    st.text(max_size=200),
)


@SETTINGS
@given(a2f_text, st.one_of(st.none(), st.sampled_from(["meV", "THz", "Ry", "bogus", ""])),
       st.one_of(st.integers(-2, 4), st.sampled_from([10 ** 400, True])))
def test_load_alpha2f_from_text(tmp_path, text, unit, column):
    from tcpredict.materials.loaders import SpectrumFileError, load_alpha2f

    assert issubclass(SpectrumFileError, ValueError)
    f = tmp_path / "x.a2f"
    f.write_text(text, encoding="utf-8")
    a = only_allowed(load_alpha2f, f, unit=unit, column=column)
    if a is not None:
        assert math.isfinite(a.lam) and a.lam > 0


@SETTINGS
@given(st.binary(max_size=300))
def test_load_alpha2f_from_bytes(tmp_path, data):
    from tcpredict.materials.loaders import load_alpha2f

    f = tmp_path / "x.a2f"
    f.write_bytes(data)
    only_allowed(load_alpha2f, f)


KEYS = ["material", "einstein_meV", "lambda", "mustar", "mustar_at_meV", "thickness_nm",
        "dos_per_spin", "confined", "n_per_nm3", "mass_ratio", "gamma_meV", "cooper_limit",
        "cutoff_meV", "t_min_K", "bogus"]
toml_value = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(
        lambda v: "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
        if math.isinf(v) else repr(v)),
    st.integers(-(10 ** 30), 10 ** 30).map(str), st.just("1" + "0" * 400),
    st.sampled_from(['"Al"', '"Xx"', "true", "false", '""', "[1, 2]", "1e300", "-1e300"]))
toml_table = st.lists(st.tuples(st.sampled_from(KEYS), toml_value), max_size=8).map(
    lambda kv: "\n".join(f"{k} = {v}" for k, v in dict(kv).items()))
stack_text = st.one_of(
    st.lists(st.tuples(st.sampled_from(["[[layer]]", "[[interface]]", ""]), toml_table),
             max_size=4).map(lambda ts: "\n".join(f"{h}\n{t}" for h, t in ts)),
    st.text(max_size=200),
)


@SETTINGS
@given(stack_text)
def test_parse_stack_text(tmp_path, text):
    from tcpredict.stacks.stackfile import load_stack_file, parse_stack_text

    only_allowed(parse_stack_text, text, "fuzz.toml", tmp_path)
    f = tmp_path / "fuzz.toml"
    f.write_text(text, encoding="utf-8")
    only_allowed(load_stack_file, f)


def test_stack_file_mustar_1e300_is_refused_with_the_range(tmp_path):
    # issue 8: printed Tc = 1.24 K; μ* has the physical range [0, 1) (README "Limits")
    from tcpredict.stacks.stackfile import parse_stack_text

    text = ("[[layer]]\neinstein_meV = 10\nlambda = 1.0\nmustar = 1e300\nthickness_nm = 1\n"
            "dos_per_spin = 1\n")
    with pytest.raises(ValueError, match=r"line 4: mustar \(μ\*\) must be in \[0, 1\)"):
        parse_stack_text(text, "s.toml")


MB_KEYS = ["einstein_meV", "lambda", "mustar", "cutoff_meV", "mustar_at_meV", "dos", "labels",
           "t_min_K", "a2f", "unit", "column", "bogus"]
mb_value = st.one_of(toml_value, st.lists(st.lists(toml_value, max_size=3), max_size=3).map(
    lambda m: "[" + ", ".join("[" + ", ".join(r) + "]" for r in m) + "]"))
mb_text = st.one_of(
    st.lists(st.tuples(st.sampled_from(MB_KEYS), mb_value), max_size=6).map(
        lambda kv: "\n".join(f"{k} = {v}" for k, v in dict(kv).items())),
    st.text(max_size=200))


@SETTINGS
@given(mb_text)
def test_parse_multiband_text(tmp_path, text):
    from tcpredict.eliashberg.multiband import parse_multiband_text

    only_allowed(parse_multiband_text, text, "fuzz.toml", tmp_path)


ELEMENTS = Path(__file__).resolve().parents[1] / "src/tcpredict/materials/data/elements.csv"


@FEW
@given(st.integers(0, 60), st.text(alphabet=st.sampled_from(list(',"x \x00\n;é')), max_size=8),
       st.sampled_from(["header", "row"]))
def test_load_elements_on_malformed_files(tmp_path, pos, insert, where):
    from tcpredict.materials.elements import load_elements

    lines = ELEMENTS.read_text(encoding="utf-8").splitlines()
    body = [i for i, ln in enumerate(lines) if ln.strip() and not ln.startswith("#")]
    k = body[0] if where == "header" else body[1]
    ln = lines[k]
    p = min(pos, len(ln))
    lines[k] = ln[:p] + insert + ln[p + 1:]
    f = tmp_path / "elements.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    only_allowed(load_elements, f)


@SETTINGS
@given(st.lists(number, max_size=5), st.lists(number, max_size=5), number)
def test_energy_dos_from_table(e, n, ef):
    from tcpredict.eliashberg.energy_dos import EnergyDOS

    d = only_allowed(EnergyDOS.from_table, e, n, ef)
    if d is not None:
        assert d.band_bottom_meV > 0 and d.band_top_meV > 0


@SETTINGS
@given(st.lists(LINE, max_size=10).map("\n".join), optional)
def test_energy_dos_from_file(tmp_path, text, fermi):
    from tcpredict.eliashberg.energy_dos import EnergyDOS

    f = tmp_path / "dos.dat"
    f.write_text(text, encoding="utf-8")
    only_allowed(EnergyDOS.from_file, f, unit="meV", fermi=fermi)


@SETTINGS
@given(st.lists(LINE, max_size=8).map("\n".join))
def test_read_coupling_table(tmp_path, text):
    from tcpredict.films.thickness_rules import read_coupling_table

    f = tmp_path / "rule.txt"
    f.write_text(text, encoding="utf-8")
    only_allowed(read_coupling_table, f)
