"""CLI conventions of ``tcpredict bfm`` (issues 8 and 10): units in every option's help, the
exit-code policy for interrupts, warnings and internal errors."""

from __future__ import annotations

import inspect
import re
import typing
import warnings

import pytest
from typer.testing import CliRunner

from tcpredict.cli.main import load_commands

app = load_commands(["bfm"])
runner = CliRunner()
UNIT = re.compile(r"\(units of (D|ħω0)\b|dimensionless|\(units of the energy options|units of ħω0")


def _bfm_options():
    """(command, option flags, annotation, help) of every registered bfm option."""
    from tcpredict.cli.bfm_app import app as bfm_app

    for info in bfm_app.registered_commands:
        func = inspect.unwrap(info.callback)
        hints = typing.get_type_hints(func)
        for name, par in inspect.signature(func).parameters.items():
            opt = par.default
            yield info.name, getattr(opt, "param_decls", (name,)), hints[name], opt.help


def test_every_numeric_option_names_its_unit():
    seen = 0
    for cmd, flags, ann, help_text in _bfm_options():
        base = [a for a in (typing.get_args(ann) or (ann,)) if a is not type(None)]
        numeric = base[0] in (int, float) or flags[0] in ("--g", "--n-tot", "--sz")
        assert help_text, (cmd, flags)
        assert "[" not in help_text, f"bfm {cmd} {flags}: rich drops bracketed text"
        if numeric:
            seen += 1
            assert UNIT.search(help_text), f"bfm {cmd} {flags}: {help_text!r}"
    assert seen >= 50


def test_rendered_help_keeps_the_units():
    res = runner.invoke(app, ["bfm", "site", "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    assert "Bare pair level Δ_B (units of ħω0)." in res.stdout
    res = runner.invoke(app, ["bfm", "spectrum", "--help"], env={"COLUMNS": "200"})
    assert "(units of D)" in res.stdout and "dimensionless" in res.stdout


@pytest.mark.parametrize("exc,code,start", [
    (KeyboardInterrupt(), 130, "error: interrupted"),
    (TypeError("boom"), 3, "error: internal error (TypeError): boom"),
    (ZeroDivisionError("x"), 3, "error: ZeroDivisionError: x"),
])
def test_exit_codes_of_unexpected_events(monkeypatch, exc, code, start):
    import tcpredict.bfm.ed as ed

    def raiser(*a, **k):
        raise exc

    monkeypatch.setattr(ed, "solve_site", raiser)
    res = runner.invoke(app, ["bfm", "site", "--delta-b", "1", "--g", "0.1"])
    assert res.exit_code == code
    assert res.stderr.startswith(start) and res.stderr.count("\n") == 1
    assert "Traceback" not in res.output


def test_library_warnings_become_one_line_notes(monkeypatch):
    import tcpredict.bfm.lattice as lat

    real = lat.solve_t_star

    def noisy(*a, **k):
        warnings.warn("something to know", RuntimeWarning)
        lat.log.warning("a logged caveat")
        return real(*a, **k)

    monkeypatch.setattr(lat, "solve_t_star", noisy)
    res = runner.invoke(app, ["bfm", "meanfield", "--g", "0.1", "--n-tot", "2", "--grid", "16",
                              "--json"])
    assert res.exit_code == 0
    assert res.stderr.splitlines() == ["warning: something to know", "warning: a logged caveat"]
