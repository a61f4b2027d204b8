"""CLI ``tcpredict bfm site`` / ``tcpredict bfm cluster`` (issue 5 interface).

Invoked through :data:`tcpredict.cli.bfm_app.app` after importing :mod:`tcpredict.cli.bfm_local`
directly (``tcpredict.cli.bfm`` also needs the lattice commands). Reference values:
resonant_pairing.md §4.2 (row Δ_B = 4, g = 0.5, α = 2) and §4.3.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import tcpredict.cli.bfm_local  # noqa: F401  (registers the commands)
from tcpredict.cli.bfm_app import app

SITE = ["site", "--delta-b", "4", "--g", "0.5", "--alpha", "2", "--omega0", "1", "--mu", "0"]
CLUSTER = ["cluster", "--metal-sites", "4", "--t-lm", "0.25", "--eps-l", "4", "--alpha", "1.414339",
           "--omega0", "1"]


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def test_site_json(runner):
    res = runner.invoke(app, SITE + ["--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    for key in ("ground_energy", "excitation_gap", "weight_fermion_pair", "weight_boson",
                "pair_correlation", "displacement_peaks", "phonon_cutoff", "convergence",
                "identity2_residual", "energy_unit", "parameters"):
        assert key in d
    # resonant_pairing.md §4.2: E0 = −0.14795, E1 − E0 = 0.13777, K = −0.2253, maxima 0.31, 3.69
    assert abs(d["ground_energy"] + 0.14795) <= 1e-5
    assert abs(d["excitation_gap"] - 0.13777) <= 1e-5
    assert abs(d["pair_correlation"] + 0.2253) <= 1e-4
    assert d["displacement_peaks"] == pytest.approx([0.31, 3.69], abs=0.02)
    assert d["parameters"]["phonon_coupling"] == "pair"


def test_cluster_json(runner):
    res = runner.invoke(app, CLUSTER + ["--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    for key in ("ground_energy", "excitation_gap", "weights", "displacement_peaks"):
        assert key in d
    assert set(d["weights"]) == {"W0", "W1", "W2"}
    # resonant_pairing.md §4.3: (W0, W1, W2) = (0.445, 0.055, 0.500), splitting 0.02329
    assert d["weights"]["W2"] == pytest.approx(0.500, abs=1e-3)
    assert d["excitation_gap"] == pytest.approx(0.02329, abs=1e-5)
    assert d["displacement_peaks"] == pytest.approx([0.15, 5.51], abs=0.02)
    assert d["parameters"]["phonon_coupling"] == "ligand_density"


def test_table_output_and_plot(runner, tmp_path):
    out = tmp_path / "site.png"
    res = runner.invoke(app, SITE + ["--temperature", "0.1", "--plot", str(out)])
    assert res.exit_code == 0, res.output
    assert "ground_energy" in res.stdout and out.stat().st_size > 1000
    out2 = tmp_path / "cluster.png"
    res = runner.invoke(app, ["cluster", "--metal-sites", "2", "--alpha", "1.0", "--plot", str(out2)])
    assert res.exit_code == 0, res.output
    assert "weights" in res.stdout and out2.stat().st_size > 1000


@pytest.mark.parametrize(
    "args",
    [
        SITE[:5] + ["--alpha", "-1"],
        SITE + ["--phonon-cutoff", "-3"],
        SITE + ["--temperature", "-0.1"],
        SITE + ["--phonon-coupling", "quadratic"],
        ["cluster", "--metal-sites", "3"],
        ["cluster", "--alpha", "-0.5"],
        ["cluster", "--sz", "up"],
    ],
)
def test_bad_input_one_line_error(runner, args):
    res = runner.invoke(app, args)
    assert res.exit_code != 0
    assert res.stderr.startswith("error:") and res.stderr.count("\n") == 1
    assert "Traceback" not in res.output
