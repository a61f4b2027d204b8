"""Every option's help shows its unit, in a form rich does not eat (issue 10 item 3).

The rule (docs/glossary.md §7): the help text of every option that takes a quantity contains a
unit in parentheses — ``(meV)``, ``(K)``, ``(nm)``, ``(eV)``, ``(T)``, ``(Ω)``, ``(µΩ·cm)``,
``(pH)``, ``(states/(meV·nm³))``, and for the boson–fermion model ``(D)`` or ``(ħω0)`` — also
written ``(units of D)``, ``(units of ħω0)`` — possibly followed by ``;`` or ``,`` and more
text, or the word ``dimensionless``, or ``(count)`` for a number of things. Exempt:
boolean flags; options whose value is a file or directory (``--out``, ``--plot``, ``--a2f``, the
stack file); and options whose value is a name, listed in :data:`NAME_OPTIONS`. Square brackets
are not used for units: rich's markup drops lower-case ``[meV]`` from the rendered help, which
the second test checks on the real ``--help`` output of every command.
"""

import re

import pytest
import typer
from typer.testing import CliRunner

from tcpredict.cli.main import load_commands

UNIT = re.compile(r"\((?:units of )?(meV|K|nm|eV|T|D|ħω0|Ω|µΩ·cm|pH|states/\(meV·nm³\)|count)"
                  r"[);,]|dimensionless")
#: Options whose value is a name, a symbol or a choice (no unit). (command, option) pairs;
#: command "*" means every command.
NAME_OPTIONS = {("*", o) for o in (
    "--element", "--elements", "--unit", "--real-axis", "--lambda-rule", "--mustar-rule",
    "--method", "--scheduler", "--lattice", "--bosons", "--criterion", "--order", "--dressing",
    "--phonon-coupling", "--ensemble", "--broadening-shape", "--dos-unit", "--grid", "--from",
    "--kind", "--solve-for")} | {
    ("map", "--a"), ("map", "--b")}

#: Options whose value is a file or directory even where typed as text.
PATH_OPTIONS = {"--out", "--plot"}


def _commands():
    """(command path, click command) of every leaf command of the assembled app."""
    root = typer.main.get_command(load_commands())
    out = []

    def walk(cmd, path):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, path + [name])
        else:
            out.append((" ".join(path), cmd))

    walk(root, [])
    return out


COMMANDS = _commands()


def _quantity_options():
    """(command, option, help) of every option that must show a unit (the rule above)."""
    rows = []
    for path, cmd in COMMANDS:
        for p in cmd.params:
            if (p.param_type_name != "option" or p.is_flag or p.bare_type() in ("bool", "Path")
                    or set(p.opts) & PATH_OPTIONS):
                continue
            opt = max(p.opts, key=len)
            if ("*", opt) in NAME_OPTIONS or (path, opt) in NAME_OPTIONS:
                continue
            rows.append((path, opt, p.help or ""))
    return rows


QUANTITY_OPTIONS = _quantity_options()


def test_the_walk_sees_every_command():
    names = {p for p, _ in COMMANDS}
    assert {"tc", "gap", "thermo", "demo", "film", "stack", "bilayer", "map", "screen",
            "elements", "bfm site", "bfm cluster", "bfm meanfield", "bfm tc", "bfm spectrum",
            "bfm phase-diagram"} <= names
    assert len(QUANTITY_OPTIONS) > 60


@pytest.mark.parametrize("path, opt, help_text", [
    pytest.param(c, o, h, id=f"{c} {o}") for c, o, h in QUANTITY_OPTIONS])
def test_option_help_shows_its_unit(path, opt, help_text):
    assert UNIT.search(help_text), f"tcpredict {path} {opt}: no unit in {help_text!r}"


@pytest.mark.parametrize("path", sorted({c for c, _, _ in QUANTITY_OPTIONS}))
def test_rendered_help_keeps_the_units(path, monkeypatch):
    # what the user sees: rich renders the help; every unit marker of the raw help survives
    import typer.rich_utils

    monkeypatch.setattr(typer.rich_utils, "MAX_WIDTH", 400)
    res = CliRunner().invoke(load_commands(), path.split() + ["--help"])
    assert res.exit_code == 0, res.output
    shown = " ".join(res.output.split())
    for c, o, h in QUANTITY_OPTIONS:
        if c == path:
            for m in UNIT.finditer(h):
                assert m.group(0) in shown, f"{path} {o}: {m.group(0)!r} not rendered"
