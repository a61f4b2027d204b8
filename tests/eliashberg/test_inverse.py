"""Inverse problems: the μ*, λ scale or frequency scale that gives a target Tc (issue 12.5)."""

import json

import pytest
from typer.testing import CliRunner

from tcpredict.eliashberg.inverse import (
    invert_tc,
    scale_frequencies,
    solve_tc_for_lambda_scale,
    solve_tc_for_mustar,
    solve_tc_for_omega_scale,
)
from tcpredict.eliashberg.spectra import einstein, gaussian_peak
from tcpredict.eliashberg.tc import solve_tc

SP = einstein(10.0, 1.0)


def test_mustar_round_trip():
    # solve Tc with μ* = 0.12, invert, get 0.12 back (Tc rtol 1e-4 → μ* to a few 1e-5)
    tc = solve_tc(SP, 0.12).tc_K
    r = solve_tc_for_mustar(SP, tc)
    assert r.converged and r.parameter == "mustar"
    assert r.value == pytest.approx(0.12, abs=5e-5)
    assert abs(r.tc_K / tc - 1) <= r.rtol
    tight = solve_tc_for_mustar(SP, solve_tc(SP, 0.12, rtol=1e-9).tc_K, rtol=1e-8)
    assert tight.value == pytest.approx(0.12, abs=1e-7)
    # with an explicit reference energy and cutoff
    kw = dict(mustar_at_meV=250.0, cutoff_meV=250.0)
    tc2 = solve_tc(SP, 0.08, rtol=1e-9, **kw).tc_K
    assert solve_tc_for_mustar(SP, tc2, rtol=1e-8, **kw).value == pytest.approx(0.08, abs=1e-7)


def test_lambda_scale_round_trip():
    sp = gaussian_peak(20.0, 4.0, 0.7)
    tc = solve_tc(sp.scaled(1.3), 0.1, rtol=1e-9).tc_K
    r = solve_tc_for_lambda_scale(sp, tc, 0.1, rtol=1e-8)
    assert r.converged and r.value == pytest.approx(1.3, rel=1e-6)
    assert r.tc_result.lam == pytest.approx(1.3 * sp.lam, rel=1e-6)


def test_omega_scale_is_exact_by_scale_invariance():
    # with μ* at Ω_max and ω_c = 10 Ω_max both scaling with the spectrum, Tc(f) = f Tc(1)
    # exactly: the equations are invariant under Ω → fΩ, T → fT (an independent check)
    tc = solve_tc(SP, 0.12, rtol=1e-9).tc_K
    r = solve_tc_for_omega_scale(SP, 1.7 * tc, 0.12, rtol=1e-8)
    assert r.value == pytest.approx(1.7, rel=1e-7)
    s = scale_frequencies(gaussian_peak(20.0, 4.0, 0.7), 2.0)
    assert s.lam == pytest.approx(0.7, rel=1e-12)
    assert s.omega_log_meV == pytest.approx(2 * gaussian_peak(20.0, 4.0, 0.7).omega_log_meV,
                                            rel=1e-12)


def test_unreachable_targets_are_refused():
    with pytest.raises(ValueError, match="Tc\\(μ\\* = 0\\)"):
        solve_tc_for_mustar(SP, 100.0)
    with pytest.raises(ValueError, match="needs μ\\*"):
        invert_tc(SP, 5.0, "lambda-scale")
    with pytest.raises(ValueError, match="unknown parameter"):
        invert_tc(SP, 5.0, "cutoff")
    with pytest.raises(ValueError):
        solve_tc_for_mustar(SP, -1.0)


def test_cli_solve_for():
    import tcpredict.cli.core  # noqa: F401
    from tcpredict.cli.common import app

    run = CliRunner().invoke
    tc = solve_tc(SP, 0.12).tc_K
    res = run(app, ["tc", "--einstein", "10", "--lambda", "1", "--solve-for", "mustar",
                    "--target-tc", f"{tc:.12g}", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["solution"] == pytest.approx(0.12, abs=5e-5) and d["converged"] is True
    assert d["mustar"] == pytest.approx(d["solution"]) and d["tc_K"] == pytest.approx(tc, 1e-4)
    assert d["inversion"]["relative_error"] <= 1e-4
    bad = run(app, ["tc", "--einstein", "10", "--lambda", "1", "--solve-for", "mustar",
                    "--target-tc", "100"])
    assert bad.exit_code == 2 and "Tc(μ* = 0)" in bad.output
    bad = run(app, ["tc", "--einstein", "10", "--lambda", "1", "--mustar", "0.1",
                    "--solve-for", "mustar", "--target-tc", "5"])
    assert bad.exit_code == 2 and "drop --mustar" in bad.output
    bad = run(app, ["tc", "--einstein", "10", "--lambda", "1", "--mustar", "0.1",
                    "--solve-for", "mustar"])
    assert bad.exit_code == 2 and "--target-tc" in bad.output
