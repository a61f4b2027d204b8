"""μ* conventions of ebmb, EPW and IsoME converted into tcpredict's (issue 12.4)."""

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from tcpredict.eliashberg.mustar import convert_mustar, isome_omega_ph_meV
from tcpredict.eliashberg.spectra import Alpha2F, einstein, gaussian_peak
from tcpredict.eliashberg.tc import solve_tc


def test_ebmb_einstein_matches_its_rescaling_formula():
    # ebmb manual, Eq. "cDOS rescaling": 1/μ*(ω_NC) = 1/μ* + ln(ω_E/ω_NC), cutoff 15 ω_E
    c = convert_mustar("ebmb", 0.1, spectrum=einstein(20.0, 1.0))
    assert c.mustar_at_meV == 20.0 and c.cutoff_meV == 300.0
    assert 1 / c.mustar_at_cutoff == pytest.approx(1 / 0.1 + math.log(20.0 / 300.0), rel=1e-14)
    sp = gaussian_peak(20.0, 4.0, 0.8)
    assert convert_mustar("ebmb", 0.1, spectrum=sp).mustar_at_meV == pytest.approx(
        sp.omega2_meV, rel=1e-14)  # tabulated α²F: ω_E = ω̄₂ (ebmb manual)
    off = convert_mustar("ebmb", 0.1, spectrum=sp, rescale=False, cutoff_meV=400.0)
    assert off.mustar_at_meV == off.cutoff_meV == 400.0 and off.mustar_at_cutoff == 0.1


def test_isome_conventions():
    # IsoME documentation: μ*_ME = μ*_AD/(1 + μ*_AD ln(ω_ph/ω_c)), ω_c = 7000 meV by default,
    # ω_ph = the largest Ω with α²F > 0.01 (IsoME source, calcMucME)
    om = np.linspace(1.0, 50.0, 50)
    vals = np.where(om < 40.5, 0.3, 0.005)  # above 0.01 up to 40 meV only
    sp = Alpha2F(om, vals)
    assert isome_omega_ph_meV(sp) == 40.0
    c = convert_mustar("isome", 0.12, spectrum=sp)
    assert c.kind == "ad" and c.mustar_at_meV == 40.0 and c.cutoff_meV == 7000.0
    assert c.mustar_at_cutoff == pytest.approx(0.12 / (1 + 0.12 * math.log(40.0 / 7000.0)))
    me = convert_mustar("isome", 0.2, kind="me", cutoff_meV=3000.0)
    assert me.mustar_at_meV == 3000.0 and me.mustar_at_cutoff == 0.2
    mu = convert_mustar("isome", 0.3, kind="mu", omega_ref_meV=5000.0)
    assert mu.mustar_at_cutoff == pytest.approx(0.3 / (1 + 0.3 * math.log(5000.0 / 7000.0)))
    clamp = convert_mustar("isome", 0.18, spectrum=sp)  # μ*_ME > 3 μ*_AD: IsoME's clamp noted
    assert clamp.mustar_at_cutoff > 0.8 and any("clamp" in n for n in clamp.notes)
    div = convert_mustar("isome", 0.5, spectrum=sp)  # 1 + μ ln(ω_ph/ω_c) < 0: no μ*(ω_c)
    assert math.isnan(div.mustar_at_cutoff) and any("diverges" in n for n in div.notes)


def test_epw_needs_its_cutoff():
    c = convert_mustar("epw", 0.1, cutoff_meV=1000.0)
    assert (c.mustar, c.mustar_at_meV, c.cutoff_meV, c.mustar_at_cutoff) == (0.1, 1000.0,
                                                                               1000.0, 0.1)
    with pytest.raises(ValueError, match="wscut"):
        convert_mustar("epw", 0.1)


def test_converted_mustar_reproduces_the_other_codes_equations():
    # the conversion only moves the energy at which μ* is defined: solving with
    # (μ*, ω_ref) at the other code's cutoff equals solving with μ*(ω_c) given at ω_c
    sp = einstein(15.0, 0.9)
    for code, kw in (("ebmb", {}), ("isome", {}), ("epw", {"cutoff_meV": 200.0})):
        c = convert_mustar(code, 0.13, spectrum=sp, **kw)
        a = solve_tc(sp, c.mustar, mustar_at_meV=c.mustar_at_meV, cutoff_meV=c.cutoff_meV,
                     rtol=1e-8, grid="compressed").tc_K
        b = solve_tc(sp, c.mustar_at_cutoff, mustar_at_meV=c.cutoff_meV,
                     cutoff_meV=c.cutoff_meV, rtol=1e-8, grid="compressed").tc_K
        assert a == pytest.approx(b, rel=1e-7)


def test_bad_input():
    with pytest.raises(ValueError, match="unknown code"):
        convert_mustar("abinit", 0.1)
    with pytest.raises(ValueError, match="kind"):
        convert_mustar("isome", 0.1, kind="xx")
    with pytest.raises(ValueError, match="typEl"):
        convert_mustar("isome", 0.1, kind="mu")
    with pytest.raises(ValueError, match="ω_E"):
        convert_mustar("ebmb", 0.1)
    with pytest.raises(ValueError):
        convert_mustar("ebmb", -0.1, omega_ref_meV=10.0)


def test_cli_mustar():
    import tcpredict.cli.mustar  # noqa: F401
    from tcpredict.cli.common import app

    res = CliRunner().invoke(app, ["mustar", "--from", "ebmb", "--mustar", "0.1", "--einstein",
                                   "20", "--lambda", "1", "--tc", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["tcpredict_version"] and d["mustar_at_meV"] == 20.0 and d["cutoff_meV"] == 300.0
    ref = solve_tc(einstein(20.0, 1.0), 0.1, mustar_at_meV=20.0)
    assert d["tc_K"] == ref.tc_K
    assert d["tcpredict_options"] == "--mustar 0.1 --mustar-at 20 --cutoff 300"
    bad = CliRunner().invoke(app, ["mustar", "--from", "epw", "--mustar", "0.1"])
    assert bad.exit_code == 2 and "wscut" in bad.output
