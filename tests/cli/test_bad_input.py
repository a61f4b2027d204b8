"""Table-driven bad-input suite of every non-bfm command (issue 8 items 2, 3, 6).

Every case must be refused at the door: exit status 2 (or 3 for a documented numerical failure,
an explicit cutoff below the phonon range), exactly one line ``error: …`` on stderr naming the
parameter, no traceback, nothing written (neither in the output directory, nor in the working
directory, nor next to the input files). The cases run in-process through
``tcpredict.cli.main.run`` (the same path as the console script, so usage errors are covered
too); a handful run as real subprocesses with a timeout (a safety net, not a time assertion)
to show that the refusals come before any large allocation or long loop. The screen cases
replace the dask cluster by a function that fails the test: they must be refused before a
cluster starts. The bfm commands have their own suite (tests/cli/test_bfm_bad_input.py).
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tcpredict.cli.main import get_app, run

HUGE = "1" + "0" * 400  # an integer far beyond a double (10**400)
REPO = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------------------- input files
def build_files(root: Path) -> Path:
    """Write every malformed input file of the suite into ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    w = lambda name, text: (root / name).write_text(text, encoding="utf-8")  # noqa: E731
    b = lambda name, data: (root / name).write_bytes(data)  # noqa: E731
    good = "# E(meV) a2F\n" + "".join(f"{x:.3f} {0.5 * (x / 30) ** 2:.6f}\n"
                                       for x in range(1, 31))
    w("good.a2f", good)
    w("empty.a2f", "")
    w("comments.a2f", "# only a comment\n\n")
    b("binary.a2f", bytes(range(256)) * 8)
    b("nul_mid.a2f", good.replace("\n5.000", "\n5.0\x0000").encode())
    b("nul_first.a2f", ("\x00" + good.split("\n", 1)[1]).encode())  # was silently dropped
    b("nul_field.a2f", good.replace("5.000 ", "5.000 \x00 ").encode())
    b("latin1.a2f", ("# \xb5 energies\n" + good).encode("latin-1"))
    w("comma_empty_field.a2f", "1.0,0.1\n2.0,,0.2\n3.0,0.3\n")
    w("semicolon.a2f", "".join(f"{1 + i}.0;0.1\n" for i in range(10)))
    w("huge_omega.a2f", "1e199 0.5\n1e200 0.5\n")  # ω̄₂ = inf was accepted
    w("tiny_omega.a2f", "1e-300 0.5\n2e-300 0.5\n")
    w("nan.a2f", good.replace("5.000 ", "nan "))
    w("inf.a2f", good + "31 inf\n")
    w("neg.a2f", "1 0.1\n2 -0.2\n3 0.1\n")
    w("unsorted.a2f", "1 0.1\n3 0.2\n2 0.1\n")
    w("onecol.a2f", "1\n2\n3\n")
    w("ragged.a2f", "1 0.1\n2 0.2 0.3\n")
    w("zero.a2f", "1 0\n2 0\n3 0\n")
    w("hugeint.a2f", "1 0.1\n2 " + HUGE + "\n")
    w("oneline.a2f", "5 0.3\n")
    w("text.a2f", "hello world\nthis is not a spectrum\n")
    w("big_lambda.a2f", "1 1e300\n2 1e300\n")
    w("too_many_rows.a2f", "".join(f"{0.02 + 1e-4 * i:.6f} 0.1\n" for i in range(50_001)))
    (root / "adir").mkdir(exist_ok=True)
    w("regular.txt", "x")
    # ---- stack files (docs/proximity.md §4)
    lay = ("[[layer]]\neinstein_meV = 10\nlambda = 1.0\nmustar = 0.1\nthickness_nm = 1\n"
           "dos_per_spin = 1\n")
    w("good.toml", lay)
    for name, old, new in [
        ("mustar_huge", "mustar = 0.1", "mustar = 1e300"), ("mustar_one", "mustar = 0.1",
                                                             "mustar = 1.0"),
        ("mustar_neg", "mustar = 0.1", "mustar = -0.1"), ("mustar_nan", "mustar = 0.1",
                                                           "mustar = nan"),
        ("hugeint", "thickness_nm = 1", "thickness_nm = " + HUGE),
        ("int64", "thickness_nm = 1", "thickness_nm = 9223372036854775807"),
        ("thick_inf", "thickness_nm = 1", "thickness_nm = inf"),
        ("thick_huge", "thickness_nm = 1", "thickness_nm = 1e300"),
        ("thick_tiny", "thickness_nm = 1", "thickness_nm = 1e-300"),
        ("lambda_huge", "lambda = 1.0", "lambda = 1e300"),
        ("lambda_1e6", "lambda = 1.0", "lambda = 1e6"),
        ("omega_huge", "einstein_meV = 10", "einstein_meV = 1e300"),
        ("omega_tiny", "einstein_meV = 10", "einstein_meV = 1e-300"),
        ("npernm3_huge", "dos_per_spin = 1", "n_per_nm3 = 1e300"),
        ("string_thickness", "thickness_nm = 1", 'thickness_nm = "1"'),
    ]:
        w(f"{name}.toml", lay.replace(old, new))
    w("cutoff_huge.toml", "cutoff_meV = 1e300\n" + lay)
    w("cutoff_tiny.toml", "cutoff_meV = 1e-300\n" + lay)
    w("tmin_huge.toml", "t_min_K = 1e300\n" + lay)
    w("tmin_zero.toml", "t_min_K = 0\n" + lay)
    w("mustar_at_huge.toml", lay + "mustar_at_meV = 1e300\n")
    w("gamma_neg.toml", lay + "[[interface]]\ngamma_meV = -1\n" + lay)
    w("gamma_nan.toml", lay + "[[interface]]\ngamma_meV = nan\n" + lay)
    w("missing_iface.toml", lay + lay)
    w("unknown_key.toml", lay + "bogus = 1\n")
    w("syntax.toml", "[[layer]\nx=")
    w("empty.toml", "")
    b("latin1.toml", ("# caf\xe9\n" + lay).encode("latin-1"))
    b("binary.toml", bytes(range(256)) * 4)
    b("nul.toml", (lay + "\x00").encode())
    a2f_layer = ('[[layer]]\na2f_file = "{}"\nunit = "meV"\nmustar = 0.1\nthickness_nm = 1\n'
                 'dos_per_spin = 1\n')
    for name, target in [("a2f_missing", "nope.a2f"), ("a2f_dir", "adir"),
                         ("a2f_binary", "binary.a2f"), ("a2f_nul", "nul_first.a2f"),
                         ("a2f_huge_omega", "huge_omega.a2f")]:
        w(f"{name}.toml", a2f_layer.format(target))
    w("column_huge.toml", a2f_layer.format("good.a2f").replace('unit = "meV"',
                                                               'unit = "meV"\ncolumn = 0'))
    w("confined_huge.toml", '[[layer]]\nmaterial = "Al"\nthickness_nm = 1e300\nconfined = true\n')
    w("confined_tiny.toml", '[[layer]]\nmaterial = "Al"\nthickness_nm = 1e-300\n'
                            'confined = true\n')
    w("material_bogus.toml", '[[layer]]\nmaterial = "Xx"\nthickness_nm = 1\n')
    w("rule_bogus.toml", '[[layer]]\nmaterial = "Al"\nthickness_nm = 1\nconfined = true\n'
                         'lambda_rule = "bogus"\n')
    w("many_layers.toml", (lay + "[[interface]]\ngamma_meV = 1\n") * 40 + lay)
    # ---- multiband files (docs/multiband.md §4)
    mb = ("einstein_meV = 60\nlambda = [[1.0, 0.2], [0.15, 0.45]]\n"
          "mustar = [[0.12, 0.05], [0.04, 0.10]]\n")
    w("mb_good.toml", mb)
    for name, old, new in [
        ("mustar_huge", "0.12", "1e300"), ("lambda_nan", "1.0", "nan"),
        ("lambda_huge", "1.0", "1e300"), ("hugeint", "einstein_meV = 60", "einstein_meV = "
                                          + HUGE),
        ("omega_huge", "einstein_meV = 60", "einstein_meV = 1e300"),
        ("nonsquare", "[[1.0, 0.2], [0.15, 0.45]]", "[[1.0, 0.2, 0.1], [0.15, 0.45]]"),
        ("negative", "0.15", "-0.15"),
    ]:
        w(f"mb_{name}.toml", mb.replace(old, new))
    w("mb_cutoff_huge.toml", "cutoff_meV = 1e300\n" + mb)
    w("mb_tmin_huge.toml", "t_min_K = 1e300\n" + mb)
    w("mb_unknown.toml", mb + "bogus = 1\n")
    w("mb_empty.toml", "")
    b("mb_latin1.toml", ("# caf\xe9\n" + mb).encode("latin-1"))
    b("mb_binary.toml", bytes(range(256)) * 4)
    w("mb_a2f_missing.toml", 'a2f = "nope.a2f"\nunit = "meV"\nmustar = [[0.1]]\n')
    w("mb_a2f_nul.toml", 'a2f = "nul_first.a2f"\nunit = "meV"\nmustar = [[0.1]]\n')
    w("mb_bands_huge.toml", "einstein_meV = 60\nlambda = " + str([[0.1] * 40] * 40)
      + "\nmustar = " + str([[0.0] * 40] * 40) + "\n")
    # ---- DOS files (docs/eliashberg.md §7)
    dos = "# E (meV) DOS\n" + "".join(f"{e} 1.0\n" for e in range(-100, 101, 10))
    w("dos_good.dat", dos)
    w("dos_empty.dat", "")
    b("dos_binary.dat", bytes(range(256)) * 4)
    b("dos_nul.dat", dos.replace("-50 1.0", "-50\x00 1.0").encode())
    b("dos_latin1.dat", dos.replace("-50 1.0", "-50 1.0\xb5").encode("latin-1"))
    w("dos_nan.dat", dos.replace("-50 1.0", "-50 nan"))
    w("dos_unsorted.dat", dos.replace("-50 1.0", "-95 1.0"))
    w("dos_neg.dat", dos.replace("-50 1.0", "-50 -1.0"))
    w("dos_zero_ef.dat", dos.replace("\n0 1.0", "\n0 0.0"))
    w("dos_huge_e.dat", "# E (meV)\n-1e300 1\n1e300 1\n")
    w("dos_text.dat", "hello\nworld\n")
    # ---- thickness-rule tables (docs/confinement.md §5) and sheet-resistance tables
    w("rule_empty.txt", "")
    b("rule_binary.txt", bytes(range(256)) * 4)
    w("rule_onerow.txt", "1 0.5 0.1\n")
    w("rule_nan.txt", "1 nan 0.1\n2 0.5 0.1\n")
    w("rule_unsorted.txt", "2 0.5 0.1\n1 0.5 0.1\n")
    w("rule_mustar_huge.txt", "0.1 0.5 1e300\n100 0.5 1e300\n")
    w("rule_mustar_one.txt", "0.1 0.5 1\n100 0.5 1\n")
    w("rule_lambda_huge.txt", "0.1 1e300 0.1\n100 1e300 0.1\n")
    w("rule_narrow.txt", "5 0.5 0.1\n6 0.5 0.1\n")  # the film asks for 1 and 2 nm
    b("rule_latin1.txt", "# \xe9\n1 0.5 0.1\n2 0.5 0.1\n".encode("latin-1"))
    w("rule_twocols.txt", "1 0.5\n2 0.5\n")
    b("rule_nul.txt", b"1 0.5 0.1\n2 0.5\x00 0.1\n")
    w("sheet_bad.txt", "1 2 3\n")
    return root


# ------------------------------------------------------------------------------------ cases
CASES: list[tuple[str, list[str], str, int]] = []


def add(case_id: str, argv: list[str], fragment: str, code: int = 2) -> None:
    """One case: ``fragment`` is a regular expression the error line must contain (it names
    the parameter or the file); ``code`` the exit status."""
    CASES.append((case_id, argv, fragment, code))


def label(v: str) -> str:
    """Short, unique text of a value for a case id."""
    return v.replace(HUGE, "10^400") if HUGE in v else v


def numbers(prefix: str, argv: list[str], option: str, values, fragment: str) -> None:
    for v in values:
        add(f"{prefix}{option}={label(v)}", argv + [option, v], fragment)


BAD_POSITIVE = ["nan", "inf", "-inf", "0", "-1", "1e300", HUGE, "-1e300"]
BAD_TEMPERATURE = ["nan", "inf", "0", "-1", "1e300", HUGE, "1e-300"]
BAD_RANGES = ["0.3:5:0", "1:2", "a:b:c", "lin:1:2:-3", "1,,2", "0.3:5:1000000", "1:2:3:4",
              "log:0:1:3", "", "lin:1:2:2.5", "0.1:1:" + HUGE, "nan", "-1", "0"]
F = "{f}"  # the directory of the input files above
O = "{out}"  # an empty output directory (must stay empty)

E = ["--einstein", "10", "--lambda", "1", "--mustar", "0.1"]
TC = ["tc"] + E

# ---- tc ------------------------------------------------------------------------------------
numbers("tc", ["tc", "--lambda", "1", "--mustar", "0.1"], "--einstein",
        BAD_POSITIVE + ["1e-300", "1e5"], r"einstein|omega_meV")
numbers("tc", ["tc", "--einstein", "10", "--mustar", "0.1"], "--lambda",
        BAD_POSITIVE + ["1e4"], r"lambda")
numbers("tc", ["tc", "--einstein", "10", "--lambda", "1"], "--mustar",
        ["nan", "inf", "-1", "1e300", "1.0", "5", HUGE], r"--mustar must be in \[0, 1\)")
numbers("tc", TC, "--mustar-at", BAD_POSITIVE + ["1e-300"], r"mustar_at|μ\*")
numbers("tc", TC, "--cutoff", BAD_POSITIVE + ["1e7"], r"cutoff")
add("tc--cutoff-below-phonons", TC + ["--cutoff", "1e-300"], r"not converged.*cutoff", 3)
add("tc--cutoff-5", TC + ["--cutoff", "5"], r"not converged.*cutoff", 3)
numbers("tc", TC, "--t-min", BAD_TEMPERATURE + ["1e-30"], r"t.min")
numbers("tc", TC, "--sheet-resistance", ["nan", "inf", "0", "-1", "1e300", HUGE, "1e-300"],
        r"sheet.resistance")
numbers("tc", TC + ["--thickness", "1"], "--resistivity",
        ["nan", "inf", "0", "-1", "1e300", "1e-300"], r"resistivity|sheet resistance")
numbers("tc", TC + ["--resistivity", "1"], "--thickness",
        ["nan", "inf", "0", "-1", "1e300", "1e-300"], r"thickness|sheet resistance")
numbers("tc", TC + ["--sheet-resistance", "100"], "--vortex-dielectric",
        ["nan", "inf", "0", "0.5", "-1"], r"vortex.dielectric")
numbers("tc", TC[:5] + ["--solve-for", "lambda-scale", "--mustar", "0.1"], "--target-tc",
        ["nan", "inf", "0", "-1", "1e300"], r"target_tc_K")
add("tc-target-without-solve-for", TC + ["--target-tc", "1"], r"--solve-for and --target-tc")
add("tc-solve-for-bogus", TC + ["--solve-for", "bogus", "--target-tc", "1"], r"--solve-for")
add("tc-solve-mustar-1e300", ["tc", "--einstein", "10", "--lambda", "1", "--solve-for",
                              "mustar", "--target-tc", "1e300"], r"target_tc_K")
add("tc-solve-mustar-with-mustar", TC + ["--solve-for", "mustar", "--target-tc", "1"],
    r"drop --mustar")
for v in ["0", "-1", HUGE]:
    add(f"tc--column={label(v)}", ["tc", "--a2f", F + "/good.a2f", "--mustar", "0.1", "--column",
                                 v], r"good\.a2f.*column")
for v in ["1e3", "x", ""]:
    add(f"tc--column-word={v}", ["tc", "--a2f", F + "/good.a2f", "--mustar", "0.1", "--column",
                                  v], r"--column")
A2F_FILES = {  # file → fragment of the error (always after the file name)
    "empty.a2f": r"no numeric data rows", "comments.a2f": r"no numeric data rows",
    "binary.a2f": r"not a UTF-8 text file", "nul_mid.a2f": r"line 6: control character",
    "nul_first.a2f": r"line 1: control character", "nul_field.a2f": r"line 6: control char",
    "latin1.a2f": r"not a UTF-8 text file", "comma_empty_field.a2f": r"line 2: empty field",
    "semicolon.a2f": r"separated by spaces, tabs or commas",
    "huge_omega.a2f": r"energies must be ≤ 10000 meV", "tiny_omega.a2f": r"empty spectrum",
    "nan.a2f": r"line 6: field 1 is 'nan'", "inf.a2f": r"line 32: field 2 is 'inf'",
    "neg.a2f": r"line 2: negative", "unsorted.a2f": r"line 3: .*strictly increasing",
    "onecol.a2f": r"line 1: needs at least two columns", "ragged.a2f": r"line 2: has 3 fields",
    "zero.a2f": r"no α²F > 0", "hugeint.a2f": r"line 2: field 2",
    "oneline.a2f": r"empty spectrum", "text.a2f": r"no numeric data rows",
    "adir": r"is a directory", "nope.a2f": r"file not found",
    "big_lambda.a2f": r"λ = .* above the limit 1000",
    "too_many_rows.a2f": r"line 50001: more than 50000 data rows",
}
for name, frag in A2F_FILES.items():
    add(f"tc-a2f-{name}", ["tc", "--a2f", f"{F}/{name}", "--mustar", "0.1"],
        re.escape(name) + r".*" + frag)
add("tc-unit-bogus", ["tc", "--a2f", F + "/good.a2f", "--mustar", "0.1", "--unit", "furlong"],
    r"unknown energy unit 'furlong'")
add("tc-a2f-without-mustar", ["tc", "--a2f", F + "/good.a2f"], r"--mustar is required")
add("tc-a2f-with-lambda", ["tc", "--a2f", F + "/good.a2f", "--mustar", "0.1", "--lambda", "1"],
    r"--lambda goes with --einstein")
add("tc-einstein-without-lambda", ["tc", "--einstein", "10", "--mustar", "0.1"],
    r"--einstein needs --lambda")
add("tc-element-bogus", ["tc", "--element", "Xx"], r"unknown element 'Xx'")
add("tc-element-empty", ["tc", "--element", ""], r"unknown element ''")
add("tc-element-Fe", ["tc", "--element", "Fe"], r"Fe.*not supported")
add("tc-two-spectra", TC + ["--element", "Al"], r"exactly one spectrum")
add("tc-no-spectrum", ["tc"], r"exactly one spectrum")
DOS_FILES = {
    "dos_empty.dat": r"at least two data rows", "dos_binary.dat": r"not a UTF-8 text file",
    "dos_nul.dat": r"line 7: control character", "dos_latin1.dat": r"not a UTF-8 text file",
    "dos_nan.dat": r"line 7: NaN", "dos_unsorted.dat": r"line 7: energies must be strictly",
    "dos_neg.dat": r"line 7: negative DOS", "dos_zero_ef.dat": r"N\(E_F\) = 0",
    "dos_huge_e.dat": r"band_bottom_meV", "dos_text.dat": r"at least two data rows",
    "nope.dat": r"No such file", "adir": r"Is a directory",
}
for name, frag in DOS_FILES.items():
    add(f"tc-dos-{name}", TC + ["--dos", f"{F}/{name}", "--dos-fermi", "0"],
        re.escape(name) + r".*" + frag)
add("tc-dos-no-fermi", TC + ["--dos", F + "/dos_good.dat"], r"no Fermi energy")
numbers("tc", TC + ["--dos", F + "/dos_good.dat"], "--dos-fermi",
        ["nan", "inf", "1e300", "-1e300", "100", "-100"], r"Fermi energy")
add("tc-dos-column-0", TC + ["--dos", F + "/dos_good.dat", "--dos-fermi", "0", "--dos-column",
                             "0"], r"column must be an integer ≥ 1")
add("tc-dos-column-huge", TC + ["--dos", F + "/dos_good.dat", "--dos-fermi", "0",
                                "--dos-column", HUGE], r"no DOS column")
add("tc-dos-unit-bogus", TC + ["--dos", F + "/dos_good.dat", "--dos-fermi", "0",
                               "--dos-unit", "x"], r"unknown energy unit 'x'")
add("tc-dos-unit-without-dos", TC + ["--dos-unit", "eV"], r"need --dos FILE")
add("tc-unknown-option", TC + ["--bogus"], r"No such option: --bogus")
add("tc-lambda-word", ["tc", "--einstein", "10", "--lambda", "one", "--mustar", "0.1"],
    r"'--lambda'")
add("tc-extra-argument", TC + ["extra"], r"unexpected extra argument")
add("tc-option-without-value", ["tc", "--einstein"], r"--einstein")

# ---- gap -----------------------------------------------------------------------------------
G = ["gap"] + E
numbers("gap", G, "--temperature", BAD_TEMPERATURE, r"--temperature")
add("gap--temperature=1e-6", G + ["--temperature", "1e-6"],
    r"--temperature 1e-06 K needs .* limit is 200000")
for r_ in BAD_RANGES:
    add(f"gap--temperature-range={label(r_)}", G + ["--temperature", r_], r"--temperature")
numbers("gap", G, "--pade-points", ["0", "-1", "1", HUGE, "1000000000"], r"--pade-points")
add("gap-real-axis-bogus", G + ["--real-axis", "bogus"], r"--real-axis")
for name, path, frag in [("dir", O, r"no extension"), ("txt", O + "/g.txt", r"'\.txt'"),
                         ("csv", O + "/g.csv", r"'\.csv'"),
                         ("missing-dir", O + "/no/g.nc", r"does not exist"),
                         ("parent-is-file", F + "/regular.txt/g.nc", r"does not exist")]:
    add(f"gap-out-{name}", G + ["--out", path], r"--out .*" + frag)
for name, path, frag in [("dir", O, r"no extension"), ("txt", O + "/g.txt", r"'\.txt'"),
                         ("nc", O + "/g.nc", r"'\.nc'"),
                         ("missing-dir", O + "/no/g.png", r"does not exist")]:
    add(f"gap-plot-{name}", G + ["--plot", path], r"--plot .*" + frag)
add("gap-cutoff-1e300", G + ["--cutoff", "1e300"], r"cutoff_meV")
add("gap-cutoff-nan", G + ["--cutoff", "nan"], r"cutoff_meV")
add("gap-a2f-nul", ["gap", "--a2f", F + "/nul_first.a2f", "--mustar", "0.1"],
    r"nul_first\.a2f, line 1: control character")
add("gap-element-bogus", ["gap", "--element", "Xx"], r"unknown element")
add("gap-lambda-1e300", ["gap", "--einstein", "10", "--lambda", "1e300", "--mustar", "0.1"],
    r"lambda")
add("gap-mustar-1e300", ["gap", "--einstein", "10", "--lambda", "1", "--mustar", "1e300"],
    r"--mustar")
add("gap-no-superconductivity", ["gap", "--einstein", "10", "--lambda", "0.1", "--mustar",
                                 "0.3"], r"no superconductivity above .* no gap")

# ---- thermo --------------------------------------------------------------------------------
T = ["thermo"] + E
numbers("thermo", T, "--n0", ["nan", "inf", "0", "-1", "1e300", HUGE, "1e4"],
        r"--n0 must be in \(0, 1000\]")
for name, path, frag in [("dir", O, r"no extension"), ("txt", O + "/t.txt", r"'\.txt'"),
                         ("missing-dir", O + "/no/t.png", r"does not exist")]:
    add(f"thermo-plot-{name}", T + ["--plot", path], r"--plot .*" + frag)
add("thermo-cutoff-1e300", T + ["--cutoff", "1e300"], r"cutoff_meV")
add("thermo-a2f-binary", ["thermo", "--a2f", F + "/binary.a2f", "--mustar", "0.1"],
    r"binary\.a2f: not a UTF-8")
add("thermo-mustar-1e300", ["thermo", "--einstein", "10", "--lambda", "1", "--mustar", "1e300"],
    r"--mustar")
add("thermo-element-bogus", ["thermo", "--element", "Xx"], r"unknown element")
add("thermo-no-superconductivity", ["thermo", "--einstein", "10", "--lambda", "0.1",
                                    "--mustar", "0.3"], r"no superconductivity above")

# ---- film ----------------------------------------------------------------------------------
FI = ["film", "--element", "Al", "--thickness", "1,2"]
for r_ in BAD_RANGES + ["inf", "1e300", HUGE, "1e-300", "lin:0:5:3", "0.001"]:
    add(f"film--thickness={label(r_)}", ["film", "--element", "Al", "--thickness", r_],
        r"thickness")
add("film-element-bogus", ["film", "--element", "Xx", "--thickness", "1"], r"unknown element")
add("film-element-Fe", ["film", "--element", "Fe", "--thickness", "1"], r"Fe.*not supported")
add("film-lambda-rule-bogus", FI + ["--lambda-rule", "bogus"], r"unknown lambda rule 'bogus'")
add("film-mustar-rule-bogus", FI + ["--mustar-rule", "bogus"], r"unknown mustar rule 'bogus'")
RULE_FILES = {
    "rule_empty.txt": r"at least 2 data rows", "rule_binary.txt": r"not (a )?UTF-8",
    "rule_onerow.txt": r"at least 2 data rows", "rule_nan.txt": r":1: column lambda",
    "rule_unsorted.txt": r":2: thickness_nm must be strictly increasing",
    "rule_mustar_huge.txt": r":1: mustar must be in \[0, 1\)",
    "rule_mustar_one.txt": r":1: mustar must be in \[0, 1\)",
    "rule_lambda_huge.txt": r":1: lambda must be in \[0, 1000\]",
    "rule_narrow.txt": r"outside", "rule_latin1.txt": r"not (a )?UTF-8",
    "rule_twocols.txt": r":1: expected 3 columns", "rule_nul.txt": r":2: column lambda",
}
for name, frag in RULE_FILES.items():
    for kind in ("lambda", "mustar"):
        add(f"film-{kind}-rule-{name}", FI + [f"--{kind}-rule", f"{F}/{name}"],
            re.escape(name) + r".*" + frag if frag != r"outside" else frag)
add("film-lambda-rule-dir", FI + ["--lambda-rule", F + "/adir"], r"unknown lambda rule")
add("film-lambda-rule-table-missing", FI + ["--lambda-rule", "table:" + F + "/nope.txt"],
    r"does not exist")
numbers("film", FI, "--t-min", ["nan", "inf", "0", "-1", "1e300"], r"t.min")
numbers("film", FI, "--threshold", ["nan", "inf", "-1", "1e300"], r"threshold")
numbers("film", FI, "--cutoff", BAD_POSITIVE, r"cutoff")
add("film--cutoff-below-phonons", FI + ["--cutoff", "1"], r"not converged.*cutoff", 3)
numbers("film", FI, "--sheet-resistance", ["nan", "inf", "0", "-1", "1e300"],
        r"sheet.resistance")
numbers("film", FI, "--resistivity", ["nan", "inf", "0", "-1", "1e300"],
        r"resistivity|sheet_resistance")
numbers("film", FI + ["--resistivity", "1"], "--mean-free-path",
        ["nan", "inf", "0", "-1", "1e300"], r"mean.free.path|κ = L/ℓ")
numbers("film", FI + ["--resistivity", "1"], "--specularity", ["nan", "inf", "-1", "1", "1e300"],
        r"--specularity must be in \[0, 1\)")
numbers("film", FI + ["--resistivity", "1"], "--vortex-dielectric", ["nan", "inf", "0", "0.5"],
        r"vortex.dielectric")
add("film-mean-free-path-without-resistivity", FI + ["--mean-free-path", "10"],
    r"go with --resistivity")
add("film-sheet-and-resistivity", FI + ["--sheet-resistance", "10", "--resistivity", "1"],
    r"not both")
add("film-sheet-table-bad", FI + ["--sheet-resistance", F + "/sheet_bad.txt"],
    r"sheet_bad\.txt:1: expected 2 columns")
add("film-sheet-table-binary", FI + ["--sheet-resistance", F + "/binary.a2f"], r"not (a )?UTF-8")
add("film-sheet-table-dir", FI + ["--sheet-resistance", F + "/adir"], r"Is a directory")
for name, path, frag in [("dir", O, r"no extension"), ("txt", O + "/f.txt", r"'\.txt'"),
                         ("png", O + "/f.png", r"'\.png'"),
                         ("missing-dir", O + "/no/f.csv", r"does not exist"),
                         ("parent-is-file", F + "/regular.txt/f.csv", r"does not exist"),
                         ("no-extension", O + "/f", r"no extension")]:
    add(f"film-out-{name}", FI + ["--out", path], r"--out .*" + frag)
for name, path, frag in [("dir", O, r"no extension"), ("txt", O + "/f.txt", r"'\.txt'"),
                         ("csv", O + "/f.csv", r"'\.csv'"),
                         ("missing-dir", O + "/no/f.png", r"does not exist")]:
    add(f"film-plot-{name}", FI + ["--plot", path], r"--plot .*" + frag)
add("film-missing-thickness", ["film", "--element", "Al"], r"Missing option '--thickness'")

# ---- stack ---------------------------------------------------------------------------------
STACK_FILES = {
    "mustar_huge.toml": r"line 4: mustar \(μ\*\) must be in \[0, 1\)",
    "mustar_one.toml": r"line 4: mustar \(μ\*\) must be in \[0, 1\)",
    "mustar_neg.toml": r"line 4: mustar must be ≥ 0", "mustar_nan.toml": r"line 4: mustar",
    "hugeint.toml": r"line 5: thickness_nm: the integer .* out of range",
    "int64.toml": r"line 5: thickness_nm must be in \[0\.01, 1e\+06\] nm",
    "thick_inf.toml": r"line 5: thickness_nm must be finite",
    "thick_huge.toml": r"line 5: thickness_nm must be in", "thick_tiny.toml": r"line 5: thick",
    "lambda_huge.toml": r"line 2: .*lambda in \(0, 1000\]",
    "lambda_1e6.toml": r"line 2: .*lambda in \(0, 1000\]",
    "omega_huge.toml": r"line 2: .*omega_meV must be in", "omega_tiny.toml": r"omega_meV",
    "npernm3_huge.toml": r"line 6: .*n_per_nm3", "string_thickness.toml": r"must be a number",
    "cutoff_huge.toml": r"line 1: cutoff_meV must be in", "tmin_huge.toml": r"line 1: t_min_K",
    "tmin_zero.toml": r"line 1: t_min_K", "mustar_at_huge.toml": r"line 7: mustar_at_meV",
    "gamma_neg.toml": r"line 8: gamma_meV must be ≥ 0", "gamma_nan.toml": r"line 8: gamma_meV",
    "missing_iface.toml": r"need 1 \[\[interface\]\]", "unknown_key.toml": r"unknown key 'bogus'",
    "syntax.toml": r"TOML syntax error", "empty.toml": r"no \[\[layer\]\] table",
    "latin1.toml": r"not a UTF-8 text file", "binary.toml": r"not a UTF-8 text file",
    "nul.toml": r"TOML syntax error", "a2f_missing.toml": r"nope\.a2f: file not found",
    "a2f_dir.toml": r"adir: is a directory", "a2f_binary.toml": r"binary\.a2f: not a UTF-8",
    "a2f_nul.toml": r"nul_first\.a2f, line 1: control character",
    "a2f_huge_omega.toml": r"huge_omega\.a2f.*≤ 10000 meV",
    "column_huge.toml": r"column must be an integer ≥ 1",
    "confined_huge.toml": r"line 3: thickness_nm", "confined_tiny.toml": r"line 3: thickness_nm",
    "material_bogus.toml": r"unknown element 'Xx'", "rule_bogus.toml": r"unknown lambda rule",
    "many_layers.toml": r"41 layers exceeds the limit of 32", "nope.toml": r"not found",
    "adir": r"not found|Is a directory",
}
for name, frag in STACK_FILES.items():
    add(f"stack-{name}", ["stack", f"{F}/{name}"], re.escape(name) + r".*" + frag)
add("stack-cutoff-below-phonons", ["stack", F + "/cutoff_tiny.toml"], r"not converged", 3)
S = ["stack", F + "/good.toml"]
add("stack-method-bogus", S + ["--method", "bogus"], r"unknown method 'bogus'")
numbers("stack", S, "--sheet-resistance", ["nan", "inf", "0", "-1", "1e300", "1e-300"],
        r"sheet.resistance")
for r_ in ["nan", "-1", "0", "1,,2", "1,2,3", "inf", "a:b:c"]:
    add(f"stack--resistivity={r_}", S + ["--resistivity", r_], r"--resistivity")
add("stack-sheet-and-resistivity", S + ["--sheet-resistance", "1", "--resistivity", "1"],
    r"not both")
numbers("stack", S + ["--sheet-resistance", "100"], "--vortex-dielectric", ["nan", "0.5", "inf"],
        r"vortex.dielectric")
for r_ in BAD_RANGES + ["1e300", "1e-6"]:
    add(f"stack--temperature={label(r_)}", S + ["--temperature", r_], r"--temperature")
add("stack-real-axis-bogus", S + ["--temperature", "1", "--real-axis", "msc"], r"--real-axis")
add("stack-out-without-temperature", S + ["--out", O + "/s.nc"], r"need --temperature")
for name, path, frag in [("dir", O, r"no extension"), ("txt", O + "/s.txt", r"'\.txt'"),
                         ("csv", O + "/s.csv", r"'\.csv'"),
                         ("missing-dir", O + "/no/s.nc", r"does not exist")]:
    add(f"stack-out-{name}", S + ["--temperature", "1", "--out", path], r"--out .*" + frag)
for name, path, frag in [("dir", O, r"no extension"), ("txt", O + "/s.txt", r"'\.txt'")]:
    add(f"stack-plot-{name}", S + ["--temperature", "1", "--plot", path], r"--plot .*" + frag)
add("stack-missing-file-argument", ["stack"], r"Missing argument")

# ---- bilayer -------------------------------------------------------------------------------
BL = ["bilayer", "--a", "Al:0.5", "--b", "Au:0.5"]
for v in ["Al", "Al:", "Al:x", "Al:nan", "Al:inf", "Al:0", "Al:-1", "Al:1e300", ":1",
          "Al:" + HUGE, "Al:1e-300", "Al:0.001"]:
    add(f"bilayer--a={label(v)}", ["bilayer", "--a", v, "--b", "Au:0.5"], r"--a")
add("bilayer--a=Xx:1", ["bilayer", "--a", "Xx:1", "--b", "Au:0.5"], r"unknown element 'Xx'")
add("bilayer--b=Fe:1", ["bilayer", "--a", "Al:1", "--b", "Fe:1"], r"Fe.*not supported")
numbers("bilayer", BL, "--gamma", ["nan", "inf", "-1", "-inf"], r"gamma_meV")
add("bilayer-gamma-and-cooper", BL + ["--gamma", "1", "--cooper-limit"], r"at most one")
add("bilayer-gamma-and-decoupled", BL + ["--gamma", "1", "--decoupled"], r"at most one")
add("bilayer-lambda-rule-bogus", BL + ["--lambda-rule", "bogus"], r"unknown lambda rule")
add("bilayer-mustar-rule-bogus", BL + ["--mustar-rule", "bogus"], r"unknown mustar rule")
add("bilayer-lambda-rule-binary", BL + ["--lambda-rule", F + "/rule_binary.txt"], r"not (a )?UTF-8")
add("bilayer-mustar-rule-huge", BL + ["--mustar-rule", F + "/rule_mustar_huge.txt"],
    r"mustar must be in \[0, 1\)")
numbers("bilayer", BL, "--cutoff", BAD_POSITIVE, r"cutoff")
add("bilayer--cutoff-below-phonons", BL + ["--cutoff", "1"], r"not converged.*cutoff", 3)
numbers("bilayer", BL, "--t-min", ["nan", "inf", "0", "-1", "1e300", "1e-30"], r"t_min_K")
add("bilayer-method-bogus", BL + ["--method", "bogus"], r"unknown method")
numbers("bilayer", BL, "--sheet-resistance", ["nan", "inf", "0", "-1", "1e300"],
        r"sheet.resistance")
for r_ in ["nan", "-1", "1,,2", "1,2,3"]:
    add(f"bilayer--resistivity={r_}", BL + ["--resistivity", r_], r"--resistivity")
add("bilayer-missing-b", ["bilayer", "--a", "Al:0.5"], r"Missing option '--b'")

# ---- map -----------------------------------------------------------------------------------
MP = ["map", "--a", "Al", "--b", "Au", "--thickness-a", "0.5,1", "--thickness-b", "0.5,1"]
for r_ in BAD_RANGES + ["1e300", "2,1", "1,1", "0.001"]:
    add(f"map--thickness-a={label(r_)}", MP[:5] + ["--thickness-a", r_, "--thickness-b", "0.5,1"],
        r"thickness")
add("map-grid-too-large", MP[:5] + ["--thickness-a", "0.3:5:10000", "--thickness-b",
                                    "0.3:5:10000"], r"10000 values exceed the limit of 200")
add("map-a-bogus", ["map", "--a", "Xx", "--b", "Au"], r"unknown element")
add("map-b-Fe", ["map", "--a", "Al", "--b", "Fe"], r"Fe.*not supported")
numbers("map", MP, "--gamma", ["nan", "inf", "-1"], r"gamma_meV")
numbers("map", MP, "--cutoff", BAD_POSITIVE, r"cutoff")
numbers("map", MP, "--t-min", ["nan", "inf", "0", "-1", "1e300"], r"t_min_K")
add("map-lambda-rule-bogus", MP + ["--lambda-rule", "bogus"], r"unknown lambda rule")
add("map-mustar-rule-nan-table", MP + ["--mustar-rule", F + "/rule_nan.txt"],
    r"rule_nan\.txt:1")
for name, path, frag in [("dir", O, r"no extension"), ("txt", O + "/m.txt", r"'\.txt'"),
                         ("missing-dir", O + "/no/m.csv", r"does not exist")]:
    add(f"map-out-{name}", MP + ["--out", path], r"--out .*" + frag)
for name, path, frag in [("dir", O, r"no extension"), ("txt", O + "/m.txt", r"'\.txt'")]:
    add(f"map-plot-{name}", MP + ["--plot", path], r"--plot .*" + frag)

# ---- screen (validation only: nothing may reach the cluster) -------------------------------
SC = ["screen", "--elements", "Al,Au", "--thickness", "0.5,1", "--out", O + "/scr"]
add("screen-lambda-rule-bogus", SC + ["--lambda-rule", "bogus"], r"unknown lambda rule 'bogus'")
add("screen-mustar-rule-bogus", SC + ["--mustar-rule", "bogus"], r"unknown mustar rule 'bogus'")
add("screen-lambda-rule-binary", SC + ["--lambda-rule", F + "/rule_binary.txt"], r"not (a )?UTF-8")
add("screen-mustar-rule-huge", SC + ["--mustar-rule", F + "/rule_mustar_huge.txt"],
    r"mustar must be in")
for v in ["-1", "0", HUGE, "200000"]:
    add(f"screen--top={label(v)}", SC + ["--top", v], r"--top must be ≥ 1")
for v in ["0", "-1", "1000", HUGE]:
    add(f"screen--workers={label(v)}", SC + ["--workers", v], r"--workers")
numbers("screen", SC, "--gamma", ["nan", "inf", "-1"], r"gamma_meV")
numbers("screen", SC, "--cutoff", BAD_POSITIVE + ["1e-300", "1"], r"cutoff")
numbers("screen", SC, "--t-min", ["nan", "inf", "0", "-1", "1e300"], r"t_min_K")
for r_ in BAD_RANGES + ["1e300", "2,1", "0.3:5:201"]:
    add(f"screen--thickness={label(r_)}", SC[:3] + ["--thickness", r_, "--out", O + "/scr"],
        r"thickness")
for e_, frag in [("Al", r"at least two elements"), ("Al,Xx", r"unknown element 'Xx'"),
                 ("Al,Al", r"listed twice"), ("Al,Fe", r"Fe.*not supported"),
                 ("", r"--elements: empty value"), (",", r"empty entry 1"),
                 ("Al,,Au", r"empty entry 2")]:
    add(f"screen--elements={e_}", ["screen", "--elements", e_, "--out", O + "/scr"], frag)
add("screen-out-file", SC[:5] + ["--out", F + "/regular.txt"], r"is not a directory")
add("screen-out-csv", SC[:5] + ["--out", O + "/x.csv"], r"looks like a file name")
add("screen-scheduler-bogus", SC + ["--scheduler", "not a url"], r"--scheduler")
add("screen-scheduler-path", SC + ["--scheduler", "tcp://host:8786/x"], r"--scheduler")
add("screen-gamma-and-cooper", SC + ["--gamma", "1", "--cooper-limit"], r"at most one")

# ---- elements, multiband, mustar, demo -----------------------------------------------------
add("elements-extra", ["elements", "extra"], r"unexpected extra argument")
add("elements-bogus", ["elements", "--bogus"], r"No such option: --bogus")
add("elements-json-value", ["elements", "--json=yes"], r"does not take a value")
MB_FILES = {
    "mb_mustar_huge.toml": r"line 3: mustar \(μ\*_ij\) elements must be in \[0, 1\)",
    "mb_lambda_nan.toml": r"line 2: lambda must be finite",
    "mb_lambda_huge.toml": r"lambda in \(0, 1000\]",
    "mb_hugeint.toml": r"line 1: einstein_meV: integer",
    "mb_omega_huge.toml": r"omega_meV must be in", "mb_negative.toml": r"lambda",
    "mb_cutoff_huge.toml": r"cutoff_meV must be in", "mb_tmin_huge.toml": r"line 1: t_min_K",
    "mb_nonsquare.toml": r"line 2: lambda row 1 has 3 entries",
    "mb_unknown.toml": r"line 4: unknown key 'bogus'", "mb_empty.toml": r"give the spectra",
    "mb_latin1.toml": r"not a UTF-8 text file", "mb_binary.toml": r"not a UTF-8 text file",
    "mb_a2f_missing.toml": r"nope\.a2f", "mb_a2f_nul.toml": r"nul_first\.a2f, line 1: control",
    "mb_bands_huge.toml": r"40 bands exceed the limit of 16", "nope.toml": r"not found",
    "adir": r"not found|Is a directory",
}
for name, frag in MB_FILES.items():
    add(f"multiband-{name}", ["multiband", f"{F}/{name}"], re.escape(name) + r".*" + frag)
MB = ["multiband", F + "/mb_good.toml"]
for r_ in BAD_RANGES + ["1e300", "1e-6"]:
    add(f"multiband--temperature={label(r_)}", MB + ["--temperature", r_], r"--temperature")
add("multiband-grid-bogus", MB + ["--grid", "bogus"], r"--grid")
add("multiband-real-axis-bogus", MB + ["--real-axis", "msc"], r"--real-axis")
numbers("multiband", MB, "--t-min", ["nan", "inf", "0", "-1", "1e300", "1e-30"], r"t.min")
add("multiband-out-without-temperature", MB + ["--out", O + "/m.nc"], r"need --temperature")
for name, path, frag in [("dir", O, r"no extension"), ("txt", O + "/m.txt", r"'\.txt'"),
                         ("missing-dir", O + "/no/m.nc", r"does not exist")]:
    add(f"multiband-out-{name}", MB + ["--temperature", "4", "--out", path], r"--out .*" + frag)
for name, path, frag in [("dir", O, r"no extension"), ("txt", O + "/m.txt", r"'\.txt'")]:
    add(f"multiband-plot-{name}", MB + ["--temperature", "4", "--plot", path],
        r"--plot .*" + frag)
MU = ["mustar", "--from", "ebmb", "--mustar", "0.1", "--einstein", "10", "--lambda", "1"]
add("mustar-from-bogus", ["mustar", "--from", "bogus", "--mustar", "0.1"], r"unknown code")
numbers("mustar", ["mustar", "--from", "epw", "--cutoff", "100"], "--mustar",
        ["nan", "inf", "-1", "1e300", HUGE, "1"], r"mustar \(μ\*\) must be in \[0, 1\)")
numbers("mustar", MU, "--omega-ref", ["nan", "inf", "0", "-1", "1e300"], r"omega_ref_meV")
numbers("mustar", ["mustar", "--from", "epw", "--mustar", "0.1"], "--cutoff",
        ["nan", "inf", "0", "-1", "1e300"], r"cutoff_meV")
add("mustar-bare-mu-huge", ["mustar", "--from", "isome", "--kind", "mu", "--mustar", "1e300",
                            "--omega-ref", "1000"], r"bare μ must be in")
add("mustar-kind-bogus", ["mustar", "--from", "isome", "--kind", "bogus", "--mustar", "0.1",
                          "--element", "Al"], r"unknown kind 'bogus'")
add("mustar-tc-no-spectrum", ["mustar", "--from", "epw", "--mustar", "0.1", "--cutoff", "100",
                              "--tc"], r"--tc needs a spectrum")
add("mustar-a2f-nul", ["mustar", "--from", "ebmb", "--mustar", "0.1", "--a2f",
                       F + "/nul_first.a2f"], r"line 1: control character")
add("mustar-epw-no-cutoff", ["mustar", "--from", "epw", "--mustar", "0.1"], r"cutoff_meV")
add("mustar-lambda-without-einstein", ["mustar", "--from", "epw", "--mustar", "0.1",
                                       "--cutoff", "100", "--lambda", "1"], r"--lambda")
add("demo-out-file", ["demo", "--out", F + "/regular.txt"], r"is a file")
add("demo-bogus", ["demo", "--bogus"], r"No such option: --bogus")
add("demo-quick-value", ["demo", "--quick=3"], r"does not take a value")
add("demo-out-missing-value", ["demo", "--out"], r"--out")
add("unknown-command", ["nosuch"], r"No such command 'nosuch'")
add("bogus-global-option", ["--bogus"], r"No such option: --bogus")
if sys.platform.startswith("linux"):  # /proc refuses new files, also to root
    for cmd, argv, opt in [("gap", G, "--out"), ("gap", G, "--plot"), ("thermo", T, "--plot"),
                           ("film", FI, "--out"), ("film", FI, "--plot"), ("map", MP, "--out"),
                           ("map", MP, "--plot")]:
        ext = {"--out": ".nc" if cmd == "gap" else ".csv", "--plot": ".png"}[opt]
        add(f"{cmd}{opt}-unwritable", argv + [opt, "/proc/x" + ext], r"not writable")
    add("stack--out-unwritable", S + ["--temperature", "1", "--out", "/proc/s.nc"],
        r"not writable")
    add("multiband--out-unwritable", MB + ["--temperature", "4", "--out", "/proc/m.nc"],
        r"not writable")
    add("screen--out-unwritable", SC[:5] + ["--out", "/proc/tcpredict_screen"], r"not writable")
    add("demo--out-unwritable", ["demo", "--out", "/proc/tcpredict_demo"], r"not writable")


# ------------------------------------------------------------------------------------ tests
@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> Path:
    return build_files(tmp_path_factory.mktemp("bad_input"))


@pytest.fixture(autouse=True)
def _quiet_logging():
    """As the console script: results carry warnings in notes; no log lines on stderr."""
    lg = logging.getLogger("tcpredict")
    old = lg.level
    lg.setLevel(logging.ERROR)
    yield
    lg.setLevel(old)


def _listing(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_the_suite_covers_every_command():
    assert len(CASES) >= 300, len(CASES)
    assert len({c[0] for c in CASES}) == len(CASES), "case ids must be unique"
    for cmd in ("tc", "gap", "thermo", "film", "stack", "bilayer", "map", "screen", "elements",
                "multiband", "mustar", "demo"):
        n = sum(c[1][0] == cmd for c in CASES)
        assert n >= (3 if cmd in ("elements", "demo") else 15), (cmd, n)


@pytest.mark.parametrize("case_id,argv,fragment,code", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_with_one_line(case_id, argv, fragment, code, bad_files, tmp_path,
                                            monkeypatch, capsys):
    out, cwd = tmp_path / "out", tmp_path / "cwd"
    out.mkdir()
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    if argv[0] == "screen":
        import tcpredict.stacks.screen as scr

        def no_cluster(*a, **k):
            raise AssertionError("the screen started a cluster for bad input")

        monkeypatch.setattr(scr, "embedded_cluster", no_cluster)
        monkeypatch.setattr(scr, "_external_client", no_cluster)
    before = _listing(bad_files)
    args = [a.replace("{f}", str(bad_files)).replace("{out}", str(out)) for a in argv]
    rc = run(get_app(args), args)
    cap = capsys.readouterr()
    lines = cap.err.splitlines()
    assert rc == code, (rc, cap.err, cap.out[-500:])
    assert "Traceback" not in cap.err and "Traceback" not in cap.out
    assert len(lines) == 1 and lines[0].startswith("error: "), cap.err
    assert re.search(fragment, lines[0]), (fragment, lines[0])
    if code == 2:
        assert cap.out == ""  # refused before any result was printed
    assert sorted(out.iterdir()) == [] and sorted(cwd.iterdir()) == []  # nothing half-written
    assert _listing(bad_files) == before


# -------------------------------------------------------------------- real processes, bounded
SUBPROCESS_CASES = [
    ("tc-cutoff-1e300", ["tc", "--einstein", "10", "--lambda", "1", "--mustar", "0",
                         "--cutoff", "1e300"], 2, "cutoff_meV"),
    ("tc-t-min-1e-30", ["tc", "--einstein", "10", "--lambda", "0.1", "--mustar", "0.3",
                        "--t-min", "1e-30"], 2, "t_min_K"),  # was: out of memory
    ("gap-temperature-1e-6", ["gap", "--einstein", "10", "--lambda", "1", "--mustar", "0.1",
                              "--temperature", "1e-6"], 2, "--temperature"),  # was: 23 GB
    ("film-thickness-1e6-points", ["film", "--element", "Al", "--thickness",
                                   "0.3:5:1000000"], 2, "thickness"),
    ("map-grid-1e8", ["map", "--a", "Al", "--b", "Au", "--thickness-a", "0.3:5:10000",
                      "--thickness-b", "0.3:5:10000"], 2, "limit of 200"),
    ("tc-a2f-nul", ["tc", "--a2f", "{f}/nul_first.a2f", "--mustar", "0.1"], 2,
     "control character"),
    ("stack-mustar-1e300", ["stack", "{f}/mustar_huge.toml"], 2, "[0, 1)"),
    ("screen-lambda-rule-bogus", ["screen", "--elements", "Al,Au", "--lambda-rule", "bogus",
                                  "--out", "{out}/scr"], 2, "unknown lambda rule"),
    ("tc-usage", ["tc", "--lambda"], 2, "--lambda"),
]


@pytest.mark.parametrize("case_id,argv,code,fragment", SUBPROCESS_CASES,
                         ids=[c[0] for c in SUBPROCESS_CASES])
def test_refusals_in_a_real_process(case_id, argv, code, fragment, bad_files, tmp_path):
    args = [a.replace("{f}", str(bad_files)).replace("{out}", str(tmp_path)) for a in argv]
    env = {"PYTHONPATH": str(REPO / "src"), "OPENBLAS_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"}
    # the timeout is a safety net against a hang, not a performance assertion
    p = subprocess.run([sys.executable, "-m", "tcpredict", *args], capture_output=True, text=True,
                       timeout=120, cwd=tmp_path, env=env)
    assert p.returncode == code, p.stderr
    assert p.stdout == ""
    assert p.stderr.count("\n") == 1 and p.stderr.startswith("error: "), p.stderr
    assert fragment in p.stderr
    assert sorted(x.name for x in tmp_path.iterdir()) == []
