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
    for key in ("ground_energy_hw0", "excitation_gap_hw0", "weight_fermion_pair", "weight_boson",
                "pair_correlation", "displacement_peaks", "phonon_cutoff", "convergence",
                "identity2_residual", "energy_unit", "model", "tcpredict_version", "parameters"):
        assert key in d
    # resonant_pairing.md §4.2: E0 = −0.14795, E1 − E0 = 0.13777, K = −0.2253, maxima 0.31, 3.69
    assert abs(d["ground_energy_hw0"] + 0.14795) <= 1e-5
    assert abs(d["excitation_gap_hw0"] - 0.13777) <= 1e-5
    assert abs(d["pair_correlation"] + 0.2253) <= 1e-4
    assert d["displacement_peaks"] == pytest.approx([0.31, 3.69], abs=0.02)
    assert d["model"]["phonon_coupling"] == "pair"
    assert d["parameters"]["delta_b_hw0"] == 4.0 and d["parameters"]["ensemble"] == "canonical"


def test_cluster_json(runner):
    res = runner.invoke(app, CLUSTER + ["--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    for key in ("ground_energy_hw0", "excitation_gap_hw0", "weights", "displacement_peaks"):
        assert key in d
    assert set(d["weights"]) == {"W0", "W1", "W2"}
    # resonant_pairing.md §4.3: (W0, W1, W2) = (0.445, 0.055, 0.500), splitting 0.02329
    assert d["weights"]["W2"] == pytest.approx(0.500, abs=1e-3)
    assert d["excitation_gap_hw0"] == pytest.approx(0.02329, abs=1e-5)
    assert d["displacement_peaks"] == pytest.approx([0.15, 5.51], abs=0.02)
    assert d["model"]["phonon_coupling"] == "ligand_density"
    assert d["ensemble"]["sz"] == "all"  # default: every S_z sector (issue 8)


def test_cluster_default_thermal_ensemble_has_every_sz(runner):
    # issue 8: at T = 0.05 the default ensemble gives W = (0.797, 0.028, 0.175) (all S_z; checked
    # against a brute-force average in tests/bfm/test_local_ensemble.py), --sz 0 gives
    # (0.716, 0.033, 0.251)
    w = {}
    for extra in ([], ["--sz", "0"]):
        res = runner.invoke(app, CLUSTER + ["--temperature", "0.05", "--json"] + extra)
        assert res.exit_code == 0, res.output
        d = json.loads(res.stdout)
        w[tuple(extra)] = [d["weights"][k] for k in ("W0", "W1", "W2")]
    assert w[()] == pytest.approx([0.797, 0.028, 0.175], abs=6e-4)
    assert w[("--sz", "0")] == pytest.approx([0.716, 0.033, 0.251], abs=6e-4)


def test_energies_reported_in_hw0_whatever_the_input_unit(runner):
    # the same physical site given in a unit where ħω0 = 2: every *_hw0 output is unchanged
    base = ["site", "--delta-b", "4", "--g", "0.5", "--alpha", "2", "--temperature", "0.1", "--json"]
    scaled = ["site", "--delta-b", "8", "--g", "1", "--alpha", "2", "--omega0", "2",
              "--temperature", "0.2", "--json"]
    d1, d2 = (json.loads(runner.invoke(app, a).stdout) for a in (base, scaled))
    for key in ("ground_energy_hw0", "excitation_gap_hw0", "temperature_hw0"):
        assert d2[key] == pytest.approx(d1[key], abs=1e-9)
    assert d2["model"]["hw0_in_input_unit"] == 2.0


def test_table_output_and_plot(runner, tmp_path):
    out = tmp_path / "site.png"
    res = runner.invoke(app, SITE + ["--temperature", "0.1", "--plot", str(out)])
    assert res.exit_code == 0, res.output
    assert "ground_energy_hw0" in res.stdout and out.stat().st_size > 1000
    assert res.stderr.strip() == f"wrote {out}"
    res = runner.invoke(app, SITE + ["--plot", str(out), "--quiet"])
    assert res.exit_code == 0 and res.stderr == ""
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
    assert res.exit_code == 2
    assert res.stderr.startswith("error:") and res.stderr.count("\n") == 1
    assert "Traceback" not in res.output


def test_unconverged_cutoff_is_exit_3_with_one_line(runner):
    # α = 2 needs M ≈ 30 (resonant_pairing.md §4.2); a loop capped at 15 must say so, not print
    res = runner.invoke(app, SITE + ["--phonon-cutoff", "5", "--max-cutoff", "15"])
    assert res.exit_code == 3
    assert res.stderr.startswith("error: ConvergenceError: phonon cutoff not converged")
    assert res.stderr.count("\n") == 1 and res.stdout == ""
