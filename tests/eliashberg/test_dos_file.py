"""Energy-dependent DOS from a file (issue 12.3): loader, exact table integrals, limits."""

import json

import numpy as np
import pytest
from scipy import integrate
from typer.testing import CliRunner

from tcpredict.eliashberg.energy_dos import EnergyDOS, solve_tc_dos
from tcpredict.eliashberg.spectra import einstein
from tcpredict.eliashberg.tc import solve_tc
from tcpredict.films.confinement import FreeElectronFilm

SP = einstein(20.0, 1.0)
KW = dict(mustar_at_meV=200.0, cutoff_meV=200.0, rtol=1e-8)


def test_table_integrals_are_exact_for_piecewise_linear_dos():
    e = np.array([-300.0, -120, -40, -5, 0, 7, 60, 200, 400])
    n = np.array([0.2, 0.8, 1.1, 0.9, 1.0, 1.3, 0.7, 0.4, 0.1])
    d = EnergyDOS.from_table(e, n, 0.0)
    for a, c in [(0.5, 3.0), (30.0, -10.0), (5e3, 7.0), (1e7, 1.0)]:
        pts = list(e[1:-1]) + [-c]
        r0 = integrate.quad(lambda x: float(d.ntilde(x)) / (a * a + (x + c) ** 2), -300, 400,
                            points=pts, limit=500, epsabs=0, epsrel=1e-13)[0]
        r1 = integrate.quad(lambda x: float(d.ntilde(x)) * (x + c) / (a * a + (x + c) ** 2),
                            -300, 400, points=pts, limit=500, epsabs=0, epsrel=1e-12)[0]
        I0, I1 = d.integrals(np.array([a]), np.array([c]))
        assert I0[0] == pytest.approx(r0, rel=1e-12)
        assert I1[0] == pytest.approx(r1, rel=1e-10)


def test_flat_dos_file_reproduces_constant_dos_tc(tmp_path):
    # eliashberg.md §3: ñ ≡ 1 on a band much wider than ω_c gives the constant-DOS Tc to 1e-4
    f = tmp_path / "flat.dat"
    f.write_text("# energy (eV)  DOS (states/eV)\n-1000 2.5\n0 2.5\n1000 2.5\n")
    d = EnergyDOS.from_file(f, fermi=0.0)
    assert d.band_bottom_meV == d.band_top_meV == 1e6
    ref = solve_tc(SP, 0.1, **KW).tc_K
    r = solve_tc_dos(SP, 0.1, d, **KW)
    assert abs(r.tc_K / ref - 1) < 1e-4


@pytest.mark.parametrize("L", [0.3, 2.0])
def test_free_electron_dos_file_reproduces_the_film_model(tmp_path, L):
    # a DOS file holding the free-electron film g(ε; L) (confinement.md §2), in eV with a
    # QE-dos.x-like header, gives the Tc of EnergyDOS.from_film (the same ñ(ξ) in closed form)
    film = FreeElectronFilm(181.0)  # Al, n = 18.1e22 cm⁻³ (Ashcroft & Mermin Table 1.1)
    ef = float(film.fermi_energy_meV(L))
    eps = np.unique(np.concatenate([np.linspace(0.0, 2 * ef, 1201),
                                    [float(film.eps_star_meV(L))]]))
    eps = eps[eps <= 2 * ef]
    g = np.array([float(film.dos_per_meV_nm3(x, L)) for x in eps])
    f = tmp_path / "film.dos"
    f.write_text(f"#  E (eV)   dos(E)   EFermi = {ef / 1000:.12f} eV\n"
                 + "".join(f"{x / 1000:.14e} {y:.14e}\n" for x, y in zip(eps, g)))
    a = EnergyDOS.from_film(film, L)
    b = EnergyDOS.from_file(f)
    assert b.band_bottom_meV == pytest.approx(a.band_bottom_meV, rel=1e-12)
    assert b.band_top_meV == pytest.approx(a.band_top_meV, rel=1e-12)
    ra = solve_tc_dos(SP, 0.1, a, **KW)
    rb = solve_tc_dos(SP, 0.1, b, **KW)
    # piecewise-linear interpolation of the √ε branch: error ~ (h/ε)² ≪ 1e-6
    assert rb.tc_K == pytest.approx(ra.tc_K, rel=1e-6)
    assert abs(ra.tc_K / solve_tc(SP, 0.1, **KW).tc_K - 1) > 1e-5  # the DOS matters here


@pytest.mark.parametrize("text,kw,needle", [
    ("# E (eV)\n0 1\n1 abc\n", {"fermi": 0.5}, "line 3: non-numeric"),
    ("# E (eV)\n0 1\n1 -2\n", {"fermi": 0.5}, "line 3: negative DOS"),
    ("# E (eV)\n0 1\n0 2\n", {"fermi": 0.5}, "line 3: energies must be strictly increasing"),
    ("# E (eV)\n0 1\n1 2\n", {"fermi": 0.5, "column": 2}, "line 2: no DOS column 2"),
    ("0 1\n1 2\n", {"fermi": 0.5}, "energy unit not given"),
    ("# E (eV)\n0 1\n1 2\n", {}, "no Fermi energy"),
    ("# E (eV)\n0 1\n1 2\n", {"fermi": 3.0}, "outside the DOS table"),
    ("# E (eV)\n0 0\n1 0\n", {"fermi": 0.5}, "N(E_F) = 0"),
    ("# E (eV)\n0 1\n1 nan\n", {"fermi": 0.5}, "line 3: NaN"),
    ("# E (furlong)\n0 1\n1 2\n", {"fermi": 0.5, "unit": "furlong"}, "unknown energy unit"),
])
def test_loader_errors_name_file_and_line(tmp_path, text, kw, needle):
    f = tmp_path / "bad.dos"
    f.write_text(text)
    with pytest.raises(ValueError, match=None) as exc:
        EnergyDOS.from_file(f, **kw)
    assert needle in str(exc.value) and str(f) in str(exc.value)


def test_header_unit_and_fermi_energy(tmp_path):
    # Quantum ESPRESSO dos.x header: "#  E (eV)   dos(E)     Int dos(E) EFermi =  17.850 eV"
    f = tmp_path / "qe.dos"
    f.write_text("#  E (eV)   dos(E)     Int dos(E) EFermi =  17.850 eV\n"
                 "17.0 1.0 0.0\n17.85 2.0 1.0\n19.0 4.0 2.0\n")
    d = EnergyDOS.from_file(f)
    assert d.band_bottom_meV == pytest.approx(850.0) and d.band_top_meV == pytest.approx(1150.0)
    assert d.ntilde(np.array([0.0]))[0] == 1.0
    assert d.ntilde(np.array([1150.0]))[0] == pytest.approx(2.0)
    d2 = EnergyDOS.from_file(f, column=2)  # the integrated DOS column, for completeness
    assert d2.ntilde(np.array([-850.0]))[0] == 0.0


def test_cli_tc_with_dos_file(tmp_path):
    import tcpredict.cli.core  # noqa: F401
    from tcpredict.cli.common import app

    f = tmp_path / "flat.dat"
    f.write_text("# energy (eV)\n-10 1\n10 1\n")  # a flat band of ±10 eV
    args = ["tc", "--einstein", "20", "--lambda", "1", "--mustar", "0.1", "--mustar-at", "200",
            "--cutoff", "200", "--json"]
    res = CliRunner().invoke(app, [*args, "--dos", str(f), "--dos-fermi", "0",
                                   "--conserve-number"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    ref = solve_tc_dos(SP, 0.1, EnergyDOS.flat(1e4), mustar_at_meV=200.0, cutoff_meV=200.0,
                       conserve_number=True)
    assert d["tc_K"] == pytest.approx(ref.tc_K, rel=1e-6)  # table = closed-form flat band
    assert d["dos_band_meV"] == [-1e4, 1e4] and d["conserve_number"] is True
    bad = CliRunner().invoke(app, [*args, "--dos-fermi", "0"])
    assert bad.exit_code == 2 and "--dos FILE" in bad.output
