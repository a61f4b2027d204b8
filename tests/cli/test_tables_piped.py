"""Tables complete when stdout is not a terminal, and the labels of issue 10 item 5: the
Cooper-limit interface is named as such (no "[None, None] meV"); an MSC gap is not labelled
Padé."""

import pytest
from typer.testing import CliRunner

from tcpredict.cli.main import app

runner = CliRunner()  # stdout is not a terminal: the piped case

EIN = ["--einstein", "10", "--lambda", "1", "--mustar", "0.12"]


@pytest.mark.parametrize("args", [
    ["tc", *EIN],
    ["gap", *EIN, "--real-axis", "none"],
    ["thermo", *EIN],
    ["film", "--element", "Al", "--thickness", "0.5,1,2", "--no-peak", "--resistivity", "1"],
    ["bilayer", "--a", "Al:0.5", "--b", "Au:0.47"],
    ["map", "--a", "Al", "--b", "Pb", "--thickness-a", "1,2", "--thickness-b", "1,2"],
])
def test_tables_are_not_cut_when_piped(args):
    res = runner.invoke(app, args, terminal_width=80)
    assert res.exit_code == 0, res.output
    assert "…" not in res.stdout  # rich truncates cells and headers with an ellipsis
    widest = max(len(line) for line in res.stdout.splitlines())
    if args[0] in ("film", "bilayer"):
        assert widest > 80  # wider than the 80 columns rich assumes off a terminal


def test_cooper_limit_interface_label():
    res = runner.invoke(app, ["bilayer", "--a", "Al:0.5", "--b", "Au:0.47"])
    assert res.exit_code == 0, res.output
    assert "interface 0: Cooper limit (Γ → ∞)" in res.stdout
    assert "None" not in res.stdout


def test_msc_gap_is_not_labelled_pade():
    res = runner.invoke(app, ["gap", *EIN, "--real-axis", "msc"])
    assert res.exit_code == 0, res.output
    assert "Padé" not in res.stdout and "MSC" in res.stdout
    res = runner.invoke(app, ["gap", *EIN])
    assert "Padé" in res.stdout
