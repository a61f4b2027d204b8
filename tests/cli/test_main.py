"""The assembled ``tcpredict`` command line: every command module is mounted."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tcpredict.cli.main import app

runner = CliRunner()


def test_all_commands_are_mounted():
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    for cmd in ("tc", "gap", "thermo", "demo", "film", "stack", "bilayer", "map", "screen", "bfm"):
        assert cmd in res.output


def test_bfm_site_through_the_main_cli():
    # resonant_pairing.md §4.2 row 2 (Δ_B = 4, g = 0.5, α = 2): E0 = −0.14795, E1 − E0 = 0.13777
    res = runner.invoke(app, ["bfm", "site", "--delta-b", "4", "--g", "0.5", "--alpha", "2",
                              "--omega0", "1", "--mu", "0", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert abs(d["ground_energy_hw0"] - (-0.14795)) < 1e-5
    assert abs(d["excitation_gap_hw0"] - 0.13777) < 1e-5


def test_console_entry_point_runs():
    out = subprocess.run([sys.executable, "-m", "tcpredict.cli.main", "--version"],
                         capture_output=True, text=True, check=True).stdout
    assert out.startswith("tcpredict ")


def test_example_stack_file_runs():
    # the README's example stack: Al 0.5 nm (confined, bulk Tc ≈ 1.2 K) on an Einstein
    # superconductor (λ = 1, Ω = 10 meV, μ* = 0.12 at 250 meV: Tc alone 8.996 K, proximity.md §3)
    from pathlib import Path

    f = Path(__file__).parents[2] / "examples" / "stack.toml"
    res = runner.invoke(app, ["stack", str(f), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    tcs = [la["tc_alone_K"] for la in d["layers"]]
    assert abs(tcs[1] - 8.996) < 0.01
    assert tcs[0] < d["tc_K"] < tcs[1]  # proximity: between the two layers alone


HEAVY = ("pandas", "pyarrow", "dask", "distributed", "matplotlib", "mpmath", "xarray")
PROBE = """
import atexit, sys
def report():
    heavy = sorted({m.split('.')[0] for m in sys.modules} & set(%r))
    sys.stderr.write('HEAVY=' + ','.join(heavy) + '\\n')
atexit.register(report)
sys.argv = ['tcpredict'] + %r
from tcpredict.cli.main import main
main()
"""


@pytest.mark.parametrize("argv", [
    ["--version"],
    ["tc", "--einstein", "10", "--lambda", "1", "--mustar", "0.1", "--json"],
    ["tc", "--einstein", "10", "--lambda", "1", "--mustar", "0.1"],
])
def test_fast_commands_import_no_heavy_library(argv):
    # issue 9: a shell loop over `tcpredict tc` must not pay for pandas/dask/matplotlib
    out = subprocess.run([sys.executable, "-c", PROBE % (HEAVY, argv)], capture_output=True,
                         text=True, check=True)
    line = [x for x in out.stderr.splitlines() if x.startswith("HEAVY=")][-1]
    assert line == "HEAVY=", line
