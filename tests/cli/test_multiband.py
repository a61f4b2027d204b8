"""``tcpredict multiband``: strict TOML input, Tc, per-band gaps, netCDF (issue 12.1–2)."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import tcpredict.cli.core  # noqa: F401
import tcpredict.cli.multiband  # noqa: F401
from tcpredict.cli.common import app
from tcpredict.eliashberg.multiband import parse_multiband_text

runner = CliRunner()

MGB2 = """cutoff_meV = 600
mustar_at_meV = 60
einstein_meV = 60
lambda = [[1.017, 0.212], [0.155, 0.448]]
mustar = [[0.12, 0.05], [0.0365, 0.10]]
labels = ["sigma", "pi"]
"""


def run(args):
    res = runner.invoke(app, args)
    return res.exit_code, res.output


def write(tmp_path, text, name="m.toml"):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_mgb2_json_with_gaps_and_netcdf(tmp_path):
    f = write(tmp_path, MGB2)
    nc = tmp_path / "m.nc"
    code, out = run(["multiband", f, "--temperature", "5,20", "--out", str(nc), "--json"])
    assert code == 0, out
    d = json.loads(out)
    assert d["tcpredict_version"] and d["parameters"]["mustar_rescaling"] == "matrix"
    assert 30 < d["tc_K"] < 50 and d["labels"] == ["sigma", "pi"]
    assert d["mustar_at_cutoff"][0][1] == pytest.approx(0.0913445, rel=1e-5)
    rows = d["temperatures"]
    assert [r["temperature_K"] for r in rows] == [5.0, 20.0]
    assert rows[0]["delta0_meV"]["sigma"] > rows[0]["delta0_meV"]["pi"] > 0
    from tcpredict.eliashberg.gapdata import open_gap_dataset

    ds = open_gap_dataset(nc)
    assert ds["delta_meV"].dims == ("temperature_K", "band", "n")
    assert ds.attrs["parameters_dict"]["labels"] == ["sigma", "pi"]


def test_one_band_file_equals_tc(tmp_path):
    f = write(tmp_path, "einstein_meV = 10\nlambda = [[1.0]]\nmustar = [[0.12]]\n")
    code, out = run(["multiband", f, "--json"])
    assert code == 0, out
    _, ref = run(["tc", "--einstein", "10", "--lambda", "1", "--mustar", "0.12", "--json"])
    a, b = json.loads(out), json.loads(ref)
    assert a["tc_K"] == pytest.approx(b["tc_K"], rel=1e-9) and a["cutoff_meV"] == b["cutoff_meV"]
    assert a["mustar_at_cutoff"][0][0] == pytest.approx(b["mustar_at_cutoff"], rel=1e-14)


def test_table_output(tmp_path):
    code, out = run(["multiband", write(tmp_path, MGB2), "--temperature", "4"])
    assert code == 0, out
    assert "sigma" in out and "Tc = 39.4" in out


@pytest.mark.parametrize("text,needle", [
    (MGB2 + "bogus = 1\n", "line 7: unknown key 'bogus'"),
    (MGB2.replace("[[1.017, 0.212], [0.155, 0.448]]", "[[1.017, 0.212], [0.155]]"),
     "line 4: lambda row 2 has 1 entries"),
    (MGB2.replace("cutoff_meV = 600", "cutoff_meV = 10000000000000000000000000"),
     "line 1: cutoff_meV: integer"),
    (MGB2.replace("cutoff_meV = 600", "cutoff_meV = inf"), "line 1: cutoff_meV must be finite"),
    (MGB2.replace("cutoff_meV = 600", 'cutoff_meV = "600"'), "line 1: cutoff_meV must be a num"),
    (MGB2.replace("mustar = [[0.12, 0.05], [0.0365, 0.10]]\n", ""), "missing key 'mustar'"),
    (MGB2.replace("[[0.12, 0.05], [0.0365, 0.10]]", "[[0.12, 0.05, 0], [0, 0.1, 0], [0,0,0]]"),
     "line 5: mustar has 3 rows"),
    (MGB2 + "dos = [1.0, 1.0]\n", "detailed balance"),
    (MGB2.replace("einstein_meV = 60", 'a2f = [["nope.dat", ""], ["", "nope.dat"]]'),
     "lambda contradicts a2f"),
    (MGB2.replace("lambda = [[1.017, 0.212], [0.155, 0.448]]",
                  'a2f = [["nope.dat", ""], ["", "nope.dat"]]'), "einstein_meV"),
    ("einstein_meV = 60\nlambda = [[1.0]]\nmustar = [[0.1]]\nlambda = 2\n", "TOML syntax"),
    (MGB2.replace("einstein_meV = 60", "einstein_meV = -60"), "line 3: einstein_meV must be > 0"),
    (MGB2.replace('labels = ["sigma", "pi"]', 'labels = ["s", "s"]'), "labels"),
])
def test_bad_files_are_refused_with_file_and_line(tmp_path, text, needle):
    f = write(tmp_path, text)
    code, out = run(["multiband", f])
    assert code == 2, out
    assert needle in out and f in out
    assert len(out.strip().splitlines()) == 1 and "Traceback" not in out


def test_missing_a2f_file_is_named(tmp_path):
    f = write(tmp_path, 'a2f = [["nope.dat"]]\nunit = "meV"\nmustar = [[0.1]]\n')
    code, out = run(["multiband", f])
    assert code == 2 and "nope.dat" in out and "line 1" in out


W = np.linspace(1.0, 90.0, 600)


def _a2f(om, lam):
    # a Gaussian peak of coupling λ: α²F ∝ exp(−(Ω−om)²/2σ²), normalised by 2∫α²F/Ω = λ
    g = np.exp(-0.5 * ((W - om) / (0.1 * om)) ** 2)
    return g * lam / (2 * np.trapezoid(g / W, W))


def test_a2f_matrix_of_files_and_one_multicolumn_file_agree(tmp_path):
    w = W
    g11, g12, g21, g22 = _a2f(20.0, 0.9), _a2f(30.0, 0.2), _a2f(30.0, 0.1), _a2f(15.0, 0.4)
    for name, g in (("f11", g11), ("f12", g12), ("f21", g21), ("f22", g22)):
        np.savetxt(tmp_path / f"{name}.dat", np.column_stack([w, g]))
    np.savetxt(tmp_path / "rows.dat", np.column_stack([w, g11, g12, g21, g22]))
    np.savetxt(tmp_path / "ebmb.dat", np.column_stack([w / 1000, g11, g21, g12, g22]))
    tail = "mustar = [[0.1, 0.0], [0.0, 0.1]]\nmustar_at_meV = 60\ncutoff_meV = 300\n"
    a = parse_multiband_text('a2f = [["f11.dat", "f12.dat"], ["f21.dat", "f22.dat"]]\n'
                             'unit = "meV"\n' + tail, "a.toml", tmp_path).problem
    b = parse_multiband_text('a2f = "rows.dat"\nunit = "meV"\n' + tail, "b.toml",
                             tmp_path).problem
    c = parse_multiband_text('a2f = "ebmb.dat"\na2f_order = "ebmb"\nunit = "eV"\n' + tail,
                             "c.toml", tmp_path).problem
    np.testing.assert_allclose(a.lambda_matrix, [[0.9, 0.2], [0.1, 0.4]], rtol=1e-3)
    np.testing.assert_allclose(b.lambda_matrix, a.lambda_matrix, rtol=1e-12)
    np.testing.assert_allclose(c.lambda_matrix, a.lambda_matrix, rtol=1e-9)
    # zero coupling: an empty string in the matrix
    d = parse_multiband_text('a2f = [["f11.dat", ""], ["", "f22.dat"]]\nunit = "meV"\n' + tail,
                             "d.toml", tmp_path).problem
    assert d.spectra[0][1] is None and d.lambda_matrix[1, 0] == 0.0


def test_out_needs_temperature(tmp_path):
    code, out = run(["multiband", write(tmp_path, MGB2), "--out", str(tmp_path / "x.nc")])
    assert code == 2 and "--temperature" in out
