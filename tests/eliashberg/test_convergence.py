"""The default cutoff is checked, not assumed (issue 8; docs/eliashberg.md §2.2)."""

import pytest

from tcpredict.eliashberg.matsubara import n_matsubara
from tcpredict.eliashberg.spectra import einstein
from tcpredict.eliashberg.tc import N_MIN_AT_TC, solve_tc


@pytest.mark.parametrize("lam,ref", [
    (100.0, 211.3),  # issue 8: converged value 211.3 K (default cutoff gave 183.8 K, N = 1)
    (20.0, 93.19),   # issue 8: converged 93.19 K (default cutoff gave 91.48 K)
])
def test_strong_coupling_default_cutoff_is_extended(lam, ref):
    r = solve_tc(einstein(10.0, lam), 0.0)
    assert r.converged
    assert r.tc_K == pytest.approx(ref, rel=5e-3)
    assert n_matsubara(r.tc_K, r.cutoff_meV) >= N_MIN_AT_TC
    assert any("extended" in n for n in r.notes)


def test_extended_cutoff_agrees_with_a_much_larger_explicit_cutoff():
    # second method: μ* = 0 has a limit as ω_c → ∞; 40 Ω_max more than the rule needs
    auto = solve_tc(einstein(10.0, 20.0), 0.0, rtol=1e-6)
    big = solve_tc(einstein(10.0, 20.0), 0.0, cutoff_meV=4000.0, rtol=1e-6)
    assert auto.tc_K == pytest.approx(big.tc_K, rel=2e-4)


def test_ordinary_coupling_keeps_the_default_cutoff():
    r = solve_tc(einstein(10.0, 1.0), 0.1)
    assert r.cutoff_meV == pytest.approx(100.0) and r.converged and not r.notes


@pytest.mark.parametrize("cut", [1.0, 15.0])
def test_explicit_cutoff_below_the_phonon_range_is_reported(cut):
    r = solve_tc(einstein(10.0, 1.0), 0.1, cutoff_meV=cut)
    assert not r.converged
    assert any(n.startswith("not converged") for n in r.notes)
