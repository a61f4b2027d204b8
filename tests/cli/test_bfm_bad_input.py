"""Table-driven bad-input suite of every ``tcpredict bfm`` subcommand (issue 8).

Every case must be refused at the door: exit status 2, exactly one line ``error: …`` on stderr,
no traceback, nothing on stdout. Cases cover NaN, ±inf, 0, negative values, 1e300, huge
integers, malformed ranges, resource limits (grids, cutoffs, scan lengths) and bad output files
(directory, wrong extension, missing or unwritable directory). Run in-process (CliRunner) through
the main application, so usage errors take the same path as on the command line.
"""

from __future__ import annotations

import sys

import pytest
from typer.testing import CliRunner

from tcpredict.cli.main import load_commands

app = load_commands(["bfm"])
runner = CliRunner()

HUGE = "9" * 30  # an integer far beyond int64
SITE = ["site", "--delta-b", "4", "--g", "0.5"]
CLUSTER = ["cluster"]
MEANFIELD = ["meanfield", "--g", "0.1", "--n-tot", "2"]
TC = ["tc", "--g", "0.1", "--n-tot", "2"]
SPECTRUM = ["spectrum", "--g", "0.1", "--n-tot", "2", "--temperature", "0.05"]
PD = ["phase-diagram", "--grid", "32"]

# (case id, arguments after "bfm", expected fragment of the error line); "{dir}" is a directory,
# "{file}" an existing regular file, both created per test.
CASES = [
    # ---- site: model parameters
    ("site-delta-b-nan", SITE[:2] + ["nan"] + SITE[3:], "delta_b"),
    ("site-delta-b-inf", SITE[:2] + ["inf"] + SITE[3:], "delta_b"),
    ("site-delta-b-minf", SITE[:2] + ["-inf"] + SITE[3:], "delta_b"),
    ("site-delta-b-1e300", SITE[:2] + ["1e300"] + SITE[3:], "delta_b"),
    ("site-g-nan", SITE[:4] + ["nan"], "g"),
    ("site-g-1e300", SITE[:4] + ["1e300"], "g"),
    ("site-g-minus-1e300", SITE[:4] + ["-1e300"], "g"),
    ("site-alpha-negative", SITE + ["--alpha", "-1"], "alpha"),
    ("site-alpha-1e300", SITE + ["--alpha", "1e300"], "alpha"),
    ("site-alpha-nan", SITE + ["--alpha", "nan"], "alpha"),
    ("site-alpha-needs-too-many-levels", SITE + ["--alpha", "19"], "alpha"),  # M = 485 > 400
    ("site-omega0-zero", SITE + ["--omega0", "0"], "omega0"),
    ("site-omega0-negative", SITE + ["--omega0", "-1"], "omega0"),
    ("site-omega0-inf", SITE + ["--omega0", "inf"], "omega0"),
    ("site-omega0-tiny", SITE + ["--omega0", "1e-300"], "omega0"),
    ("site-mu-inf", SITE + ["--mu", "inf"], "mu"),
    ("site-eps0-minus-1e300", SITE + ["--eps0", "-1e300"], "eps0"),
    ("site-temperature-negative", SITE + ["--temperature", "-0.1"], "temperature"),
    ("site-temperature-nan", SITE + ["--temperature", "nan"], "temperature"),
    ("site-temperature-inf", SITE + ["--temperature", "inf"], "temperature"),
    ("site-temperature-1e300", SITE + ["--temperature", "1e300"], "temperature"),
    ("site-temperature-needs-too-many-levels", SITE + ["--temperature", "10"], "temperature"),
    ("site-charge-5", SITE + ["--charge", "5"], "charge"),
    ("site-charge-negative", SITE + ["--charge", "-1"], "charge"),
    ("site-charge-huge", SITE + ["--charge", HUGE], "charge"),
    ("site-charge-float", SITE + ["--charge", "1e3"], "--charge"),
    ("site-cutoff-1", SITE + ["--phonon-cutoff", "1"], "phonon_cutoff"),
    ("site-cutoff-0", SITE + ["--phonon-cutoff", "0"], "phonon_cutoff"),
    ("site-cutoff-huge", SITE + ["--phonon-cutoff", HUGE], "phonon_cutoff"),
    ("site-max-cutoff-huge", SITE + ["--max-cutoff", "100000"], "max_cutoff"),
    ("site-max-cutoff-1", SITE + ["--max-cutoff", "1"], "max_cutoff"),
    ("site-ensemble-unknown", SITE + ["--ensemble", "micro"], "ensemble"),
    ("site-coupling-unknown", SITE + ["--phonon-coupling", "linear"], "phonon_coupling"),
    ("site-broadening-inf", SITE + ["--broadening", "inf"], "--broadening"),
    ("site-broadening-zero", SITE + ["--broadening", "0"], "--broadening"),
    ("site-broadening-negative", SITE + ["--broadening", "-0.1"], "--broadening"),
    ("site-broadening-nan", SITE + ["--broadening", "nan"], "--broadening"),
    ("site-broadening-shape", SITE + ["--broadening-shape", "box"], "--broadening-shape"),
    ("site-plot-directory", SITE + ["--plot", "{dir}"], "directory"),
    ("site-plot-extension", SITE + ["--plot", "{dir}/p.txt"], "must end in"),
    ("site-plot-no-extension", SITE + ["--plot", "{dir}/p"], "must end in"),
    ("site-plot-missing-dir", SITE + ["--plot", "{dir}/nope/p.png"], "does not exist"),
    ("site-plot-parent-is-file", SITE + ["--plot", "{file}/p.png"], "not a directory"),
    ("site-missing-option", ["site", "--g", "0.5"], "--delta-b"),
    ("site-unknown-option", SITE + ["--bogus", "1"], "--bogus"),
    ("site-alpha-not-a-number", SITE + ["--alpha", "abc"], "--alpha"),
    # ---- cluster
    ("cluster-t-lm-1e300", CLUSTER + ["--t-lm", "1e300"], "t_lm"),
    ("cluster-t-lm-nan", CLUSTER + ["--t-lm", "nan"], "t_lm"),
    ("cluster-t-mm-inf", CLUSTER + ["--t-mm", "inf"], "t_mm"),
    ("cluster-eps-l-1e300", CLUSTER + ["--eps-l", "1e300"], "eps_l"),
    ("cluster-eps-m-minf", CLUSTER + ["--eps-m", "-inf"], "eps_m"),
    ("cluster-u-l-negative", CLUSTER + ["--u-l", "-1"], "u_l"),
    ("cluster-u-l-1e300", CLUSTER + ["--u-l", "1e300"], "u_l"),
    ("cluster-alpha-1e300", CLUSTER + ["--alpha", "1e300"], "alpha"),
    ("cluster-alpha-negative", CLUSTER + ["--alpha", "-0.5"], "alpha"),
    ("cluster-omega0-zero", CLUSTER + ["--omega0", "0"], "omega0"),
    ("cluster-metal-sites-3", CLUSTER + ["--metal-sites", "3"], "n_metal"),
    ("cluster-metal-sites-0", CLUSTER + ["--metal-sites", "0"], "n_metal"),
    ("cluster-metal-sites-huge", CLUSTER + ["--metal-sites", HUGE], "n_metal"),
    ("cluster-electrons-negative", CLUSTER + ["--electrons", "-1"], "n_electrons"),
    ("cluster-electrons-11", CLUSTER + ["--electrons", "11"], "n_electrons"),
    ("cluster-electrons-huge", CLUSTER + ["--electrons", HUGE], "n_electrons"),
    ("cluster-electrons-float", CLUSTER + ["--electrons", "1e3"], "--electrons"),
    ("cluster-sz-1e308", CLUSTER + ["--sz", "1e308"], "sz"),
    ("cluster-sz-nan", CLUSTER + ["--sz", "nan"], "sz"),
    ("cluster-sz-inf", CLUSTER + ["--sz", "inf"], "sz"),
    ("cluster-sz-parity", CLUSTER + ["--sz", "0.5"], "sz"),
    ("cluster-sz-word", CLUSTER + ["--sz", "up"], "--sz"),
    ("cluster-sz-too-large", CLUSTER + ["--sz", "3"], "sz"),
    ("cluster-temperature-1e300", CLUSTER + ["--temperature", "1e300"], "temperature"),
    ("cluster-temperature-needs-too-many-levels", CLUSTER + ["--temperature", "100"], "temperature"),
    ("cluster-temperature-negative", CLUSTER + ["--temperature", "-1"], "temperature"),
    ("cluster-ensemble-unknown", CLUSTER + ["--ensemble", "x"], "ensemble"),
    ("cluster-mu-nan", CLUSTER + ["--ensemble", "grand_canonical", "--mu", "nan"], "mu"),
    ("cluster-mu-1e300", CLUSTER + ["--mu", "1e300"], "mu"),
    ("cluster-cutoff-huge", CLUSTER + ["--phonon-cutoff", HUGE], "phonon_cutoff"),
    ("cluster-cutoff-block-too-large", CLUSTER + ["--temperature", "0.1", "--phonon-cutoff", "300"],
     "phonon_cutoff"),
    ("cluster-max-cutoff-0", CLUSTER + ["--max-cutoff", "0"], "max_cutoff"),
    ("cluster-plot-directory", CLUSTER + ["--plot", "{dir}"], "directory"),
    ("cluster-plot-jpg", CLUSTER + ["--plot", "{dir}/c.jpg"], "must end in"),
    # ---- meanfield
    ("meanfield-g-nan", ["meanfield", "--g", "nan", "--n-tot", "2"], "g_D"),
    ("meanfield-g-negative", ["meanfield", "--g", "-0.1", "--n-tot", "2"], "g_D"),
    ("meanfield-g-inf", ["meanfield", "--g", "inf", "--n-tot", "2"], "g_D"),
    ("meanfield-g-1e300", ["meanfield", "--g", "1e300", "--n-tot", "2"], "g_D"),
    ("meanfield-n-tot-4.5", ["meanfield", "--g", "0.1", "--n-tot", "4.5"], "n_tot"),
    ("meanfield-n-tot-negative", ["meanfield", "--g", "0.1", "--n-tot", "-1"], "n_tot"),
    ("meanfield-n-tot-nan", ["meanfield", "--g", "0.1", "--n-tot", "nan"], "n_tot"),
    ("meanfield-delta-b-inf", MEANFIELD + ["--delta-b", "inf"], "delta_b_D"),
    ("meanfield-delta-b-1e300", MEANFIELD + ["--delta-b", "1e300"], "delta_b_D"),
    ("meanfield-temperature-negative", MEANFIELD + ["--temperature", "-0.1"], "--temperature"),
    ("meanfield-temperature-1e300", MEANFIELD + ["--temperature", "1e300"], "--temperature"),
    ("meanfield-temperature-nan", MEANFIELD + ["--temperature", "nan"], "--temperature"),
    ("meanfield-grid-1e6", MEANFIELD + ["--grid", "1000000"], "grid_size"),
    ("meanfield-grid-3", MEANFIELD + ["--grid", "3"], "grid_size"),
    ("meanfield-grid-negative", MEANFIELD + ["--grid", "-16"], "grid_size"),
    ("meanfield-grid-huge", MEANFIELD + ["--grid", HUGE], "grid_size"),
    ("meanfield-cubic-grid", MEANFIELD + ["--lattice", "cubic", "--grid", "1000"], "grid_size"),
    ("meanfield-lattice-unknown", MEANFIELD + ["--lattice", "hexagonal"], "--lattice"),
    ("meanfield-bosons-unknown", MEANFIELD + ["--bosons", "fermions"], "bosons"),
    ("meanfield-alpha-1e300", MEANFIELD + ["--alpha", "1e300", "--omega0", "1"], "alpha"),
    ("meanfield-alpha-without-omega0", MEANFIELD + ["--alpha", "1"], "omega0_D"),
    ("meanfield-omega0-zero", MEANFIELD + ["--alpha", "1", "--omega0", "0"], "omega0_D"),
    ("meanfield-omega0-inf", MEANFIELD + ["--omega0", "inf"], "omega0_D"),
    ("meanfield-polaron-shift", MEANFIELD + ["--alpha", "5", "--omega0", "50"], "polaron shift"),
    # ---- tc
    ("tc-criterion-unknown", TC + ["--criterion", "xy"], "--criterion"),
    ("tc-bkt-in-3d", TC + ["--criterion", "bkt", "--lattice", "cubic", "--grid", "16"], "BKT"),
    ("tc-grid-1e8", TC + ["--grid", "100000000"], "grid_size"),
    ("tc-plot-directory", TC + ["--plot", "{dir}"], "directory"),
    ("tc-plot-csv", TC + ["--plot", "{dir}/t.csv"], "must end in"),
    ("tc-plot-missing-dir", TC + ["--plot", "{dir}/a/b/t.png"], "does not exist"),
    ("tc-g-nan", ["tc", "--g", "nan", "--n-tot", "2"], "g_D"),
    ("tc-n-tot-inf", ["tc", "--g", "0.1", "--n-tot", "inf"], "n_tot"),
    # ---- spectrum
    ("spectrum-eta-1e-9", SPECTRUM + ["--eta", "1e-9"], "frequency grid"),
    ("spectrum-eta-zero", SPECTRUM + ["--eta", "0"], "eta_D"),
    ("spectrum-eta-negative", SPECTRUM + ["--eta", "-1"], "eta_D"),
    ("spectrum-eta-inf", SPECTRUM + ["--eta", "inf"], "eta_D"),
    ("spectrum-eta-nan", SPECTRUM + ["--eta", "nan"], "eta_D"),
    ("spectrum-temperature-zero", SPECTRUM[:-1] + ["0"], "temperature_D"),
    ("spectrum-temperature-negative", SPECTRUM[:-1] + ["-1"], "temperature_D"),
    ("spectrum-temperature-1e300", SPECTRUM[:-1] + ["1e300"], "temperature_D"),
    ("spectrum-temperature-tiny", SPECTRUM[:-1] + ["1e-7"], "frequency grid"),
    ("spectrum-order-unknown", SPECTRUM + ["--order", "second"], "order"),
    ("spectrum-dressing-unknown", SPECTRUM + ["--dressing", "gw"], "boson_dressing"),
    ("spectrum-out-directory", SPECTRUM + ["--out", "{dir}"], "directory"),
    ("spectrum-out-txt", SPECTRUM + ["--out", "{dir}/s.txt"], "must end in"),
    ("spectrum-plot-txt", SPECTRUM + ["--plot", "{dir}/s.txt"], "must end in"),
    ("spectrum-n-tot-0", ["spectrum", "--g", "0.1", "--n-tot", "0", "--temperature", "0.05"],
     "Fermi level"),
    ("spectrum-n-tot-4", ["spectrum", "--g", "0.1", "--n-tot", "4", "--temperature", "0.05"],
     "Fermi level"),
    ("spectrum-cubic-grid", SPECTRUM + ["--lattice", "cubic", "--grid", "1000"], "grid_size"),
    # ---- phase-diagram
    ("pd-g-too-many-points", PD + ["--g", "0.1:0.5:100000"], "limit"),
    ("pd-g-two-fields", PD + ["--g", "0.1:0.5"], "--g"),
    ("pd-g-not-numbers", PD + ["--g", "a:b:3"], "--g"),
    ("pd-g-n-zero", PD + ["--g", "0.1:0.5:0"], "N must be"),
    ("pd-g-n-negative", PD + ["--g", "0.1:0.5:-3"], "N must be"),
    ("pd-g-n-float", PD + ["--g", "0.1:0.5:2.5"], "--g"),
    ("pd-g-n-huge", PD + ["--g", f"0.1:0.5:{HUGE}"], "limit"),
    ("pd-g-nan", PD + ["--g", "nan"], "--g"),
    ("pd-g-inf-start", PD + ["--g", "inf:1:3"], "finite"),
    ("pd-g-log-from-zero", PD + ["--g", "0:0.5:3"], "log range"),
    ("pd-g-negative", PD + ["--g", "-0.1,0.2"], "g_D"),
    ("pd-g-1e300", PD + ["--g", "1e300"], "g_D"),
    ("pd-g-empty-entry", PD + ["--g", "0.1,,0.2"], "empty entry"),
    ("pd-g-empty", PD + ["--g", ""], "empty"),
    ("pd-g-lin-too-many", PD + ["--g", "lin:0:0.5:1001"], "limit"),
    ("pd-n-tot-5", PD + ["--g", "0.1", "--n-tot", "5"], "n_tot"),
    ("pd-n-tot-range-out", PD + ["--g", "0.1", "--n-tot", "lin:1:5:3"], "n_tot"),
    ("pd-scan-both", PD + ["--g", "0.1:0.2:3", "--n-tot", "1:2:2"], "not both"),
    ("pd-criterion-unknown", PD + ["--g", "0.1", "--criterion", "xy"], "--criterion"),
    ("pd-out-directory", PD + ["--g", "0.1", "--out", "{dir}"], "directory"),
    ("pd-out-json", PD + ["--g", "0.1", "--out", "{dir}/p.json"], "must end in"),
    ("pd-plot-directory", PD + ["--g", "0.1", "--plot", "{dir}"], "directory"),
    ("pd-grid-huge", ["phase-diagram", "--g", "0.1", "--grid", HUGE], "grid_size"),
    ("pd-lattice-unknown", PD + ["--g", "0.1", "--lattice", "kagome"], "--lattice"),
    # ---- the group itself
    ("unknown-subcommand", ["nosuch"], "nosuch"),
]
if sys.platform.startswith("linux"):
    # a directory nobody can create files in (procfs), also as root
    CASES.append(("site-plot-unwritable", SITE + ["--plot", "/proc/p.png"], "not writable"))
    CASES.append(("pd-out-unwritable", PD + ["--g", "0.1", "--out", "/proc/p.csv"], "not writable"))


def test_the_suite_is_large_enough():
    assert len(CASES) >= 80
    assert len({c[0] for c in CASES}) == len(CASES)
    for cmd in ("site", "cluster", "meanfield", "tc", "spectrum", "phase-diagram"):
        assert sum(c[1][0] == cmd for c in CASES) >= 8, cmd


@pytest.mark.parametrize("case_id,args,fragment", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_with_one_line(tmp_path, case_id, args, fragment):
    d = tmp_path / "out"
    d.mkdir()
    f = tmp_path / "file.txt"
    f.write_text("x")
    argv = ["bfm"] + [a.replace("{dir}", str(d)).replace("{file}", str(f)) for a in args]
    res = runner.invoke(app, argv)
    err = res.stderr
    assert res.exit_code == 2, (res.exit_code, res.output, err)
    assert "Traceback" not in res.output and "Traceback" not in err
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert err.startswith("error: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert fragment in err, err
    assert res.stdout == ""
    assert sorted(p.name for p in d.iterdir()) == []  # nothing written
