"""The exit-code policy of README "Exit codes" (issue 8 item 4), a few cases per status, and the
README sections that document it and the input limits (README "Limits")."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

import tcpredict.limits as limits
from tcpredict.cli.main import get_app, run

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
TC = ["tc", "--einstein", "10", "--lambda", "1", "--mustar", "0.1"]


@pytest.fixture(autouse=True)
def _quiet_logging():
    lg = logging.getLogger("tcpredict")
    old = lg.level
    lg.setLevel(logging.ERROR)  # as the console script
    yield
    lg.setLevel(old)


def invoke(argv, capsys):
    rc = run(get_app(argv), argv)
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


# ------------------------------------------------------------------------------------ README
def test_readme_documents_the_exit_codes():
    sec = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    for code in ("| 0 |", "| 2 |", "| 3 |", "| 130 |"):
        assert code in sec
    assert "No superconductivity above T_min" in sec


def test_readme_lists_every_limit():
    sec = README.split("## Limits", 1)[1].split("\n## ", 1)[0]
    names = [n for n in limits.__all__ if n.isupper()]
    for n in ("MAX_MATSUBARA_COMPRESSED", "MAX_COMPRESSED_SIZE", "MAX_LAYERS",
              "MAX_SCREEN_THICKNESSES"):
        assert n in names and n in sec, n
    for text in ("0 ≤ μ* < 1", "≤ 1000", "(0, 1e6] meV", "(0, 1e4] K", "0.01 … 1e6 nm",
                 "≤ 50 000 data rows", "1e-12 … 1e12 Ω", "(0, 1000] states/(meV·nm³)"):
        assert text in sec, text
    # the numbers in the README are the numbers in the code
    assert limits.MUSTAR_MAX == 1.0 and limits.MAX_LAMBDA == 1e3
    assert limits.MAX_ENERGY_MEV == 1e6 and limits.T_MAX_K == 1e4
    assert (limits.MIN_THICKNESS_NM, limits.MAX_THICKNESS_NM) == (0.01, 1e6)
    assert limits.MAX_A2F_POINTS == 50_000 and limits.SHEET_RESISTANCE_RANGE_OHM == (1e-12, 1e12)
    assert limits.MAX_N0_PER_MEV_NM3 == 1e3 and limits.MAX_MATSUBARA_COMPRESSED == 10_000_000


# ------------------------------------------------------------------------------------ 0
def test_a_result_exits_0(capsys):
    rc, out, err = invoke(TC + ["--json"], capsys)
    assert rc == 0 and err == ""
    assert json.loads(out)["tc_K"] > 0


def test_no_superconductivity_is_a_result_with_exit_0(capsys):
    # λ = 0.1 against μ* = 0.3: no Tc above T_min (Allen–Dynes gives none either,
    # docs/eliashberg.md §1: λ < μ*(1 + 0.62λ))
    rc, out, err = invoke(["tc", "--einstein", "10", "--lambda", "0.1", "--mustar", "0.3",
                           "--json"], capsys)
    assert rc == 0 and err == ""
    assert json.loads(out)["tc_K"] is None


def test_warnings_follow_a_result_one_line_each(tmp_path, capsys):
    # a point with Ω < 0 and α²F > 0 is dropped with a SpectrumFileWarning
    f = tmp_path / "neg_omega.a2f"
    f.write_text("-1 0.2\n" + "".join(f"{x} {0.5 * (x / 30) ** 2:.6f}\n" for x in range(1, 31)),
                 encoding="utf-8")
    rc, out, err = invoke(["tc", "--a2f", str(f), "--mustar", "0.1", "--json"], capsys)
    assert rc == 0 and json.loads(out)["tc_K"] > 0
    lines = err.splitlines()
    assert lines and all(x.startswith("warning: ") for x in lines), err
    assert any("Ω < 0" in x for x in lines)


def test_comma_separated_a2f_is_read_like_whitespace(tmp_path, capsys):
    rows = [(x, 0.5 * (x / 30) ** 2) for x in range(1, 31)]
    ws, csv = tmp_path / "a.dat", tmp_path / "a.csv"
    ws.write_text("".join(f"{x} {y:.6f}\n" for x, y in rows), encoding="utf-8")
    csv.write_text("omega_meV,a2f\n" + "".join(f"{x},{y:.6f}\n" for x, y in rows),
                   encoding="utf-8")
    tcs = []
    for f in (ws, csv):
        rc, out, err = invoke(["tc", "--a2f", str(f), "--mustar", "0.1", "--json"], capsys)
        assert rc == 0 and err == ""
        tcs.append(json.loads(out)["tc_K"])
    assert tcs[0] == tcs[1]  # the same numbers, the same Tc to the last bit


# ------------------------------------------------------------------------------------ 2
@pytest.mark.parametrize("argv, fragment", [
    (TC + ["--mustar-at", "nan"], "mustar_at_meV"),
    (["tc", "--einstein", "10", "--lambda", "1", "--mustar", "1e300"], "--mustar"),
    (["tc", "--lambda"], "--lambda"),  # usage error: one line too
    (["nosuch"], "No such command"),
])
def test_bad_input_and_usage_exit_2(argv, fragment, capsys):
    rc, out, err = invoke(argv, capsys)
    assert rc == 2 and out == ""
    assert fragment in one_error_line(err)


# ------------------------------------------------------------------------------------ 3
def test_an_unconverged_result_is_printed_then_exits_3(capsys):
    # an explicit cutoff below 2 Ω_max truncates the kernel (docs/eliashberg.md §2.2)
    rc, out, err = invoke(TC + ["--cutoff", "5", "--json"], capsys)
    assert rc == 3
    d = json.loads(out)
    assert d["converged"] is False and any(n.startswith("not converged") for n in d["notes"])
    assert re.search(r"not converged: .*cutoff 5 meV", one_error_line(err))


@pytest.mark.parametrize("exc, fragment", [
    ("convergence", "ConvergenceError: did not converge"),
    ("arithmetic", "ZeroDivisionError"),
    ("bug", "internal error (LookupError)"),
])
def test_numerical_failures_and_bugs_exit_3(exc, fragment, monkeypatch, capsys):
    import tcpredict.eliashberg.tc as tcmod
    from tcpredict.errors import ConvergenceError

    def boom(*a, **k):
        raise {"convergence": ConvergenceError("did not converge"),
               "arithmetic": ZeroDivisionError("division by zero"),
               "bug": LookupError("unexpected")}[exc]

    monkeypatch.setattr(tcmod, "solve_tc", boom)
    rc, out, err = invoke(TC, capsys)
    assert rc == 3 and out == ""
    assert fragment in one_error_line(err)


# ------------------------------------------------------------------------------------ 130
@pytest.mark.parametrize("argv, target", [
    (TC, "tcpredict.eliashberg.tc.solve_tc"),
    (["film", "--element", "Al", "--thickness", "1"], "tcpredict.cli.film.film_tc"),
])
def test_ctrl_c_exits_130_with_one_line(argv, target, monkeypatch, capsys):
    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(target, interrupted)
    rc, out, err = invoke(argv, capsys)
    assert rc == 130 and out == ""
    assert one_error_line(err) == "error: interrupted"
