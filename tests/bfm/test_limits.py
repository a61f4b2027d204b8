"""Resource bounds and error classes of the boson–fermion-model API (issue 8, docs/bfm_local.md §6,
docs/bfm_lattice.md §6): work beyond a limit is refused with a ValueError that names the
parameter and the limit, before anything large is allocated; numerical failures raise
:class:`tcpredict.errors.ConvergenceError`."""

from __future__ import annotations

import numpy as np
import pytest

import tcpredict.errors
from tcpredict.bfm import ed, fluctuations, lattice
from tcpredict.bfm.ed import site_spectra, solve_cluster, solve_site
from tcpredict.bfm.fluctuations import (
    fermion_spectrum,
    pair_propagator_real_space,
    pair_susceptibility,
)
from tcpredict.bfm.lattice import LatticeBFM, band_grid
from tcpredict.bfm.local import LigandCluster, PolaronicSite
from tcpredict.bfm.stiffness import MAX_PHASE_DIAGRAM_POINTS, phase_diagram


def test_convergence_error_is_the_package_error():
    assert issubclass(ed.ConvergenceError, tcpredict.errors.ConvergenceError)


@pytest.mark.parametrize("call,match", [
    # Boltzmann rule M ≥ 2T ln(1e10)/ħω0 > 230 = 6000 / 25 − 10 (block dimension at T > 0,
    # room for the M + 10 check)
    (lambda: solve_cluster(LigandCluster(), temperature=100.0), r"temperature = 100 .* ≤ 4\.994"),
    (lambda: solve_site(PolaronicSite(delta_b=1, g=0.1), temperature=10.0),
     r"temperature .*max_cutoff = 400"),
    # λ² + 6λ + 10 > 390 = 400 − 10 for λ = 19 (pair coupling)
    (lambda: solve_site(PolaronicSite(delta_b=1, g=0.1, alpha=19.0)), r"alpha = 19 .*≤ 16\.72"),
    (lambda: solve_cluster(LigandCluster(), temperature=0.1, phonon_cutoff=300),
     r"phonon_cutoff = 300 exceeds the limit M ≤ 230"),
    (lambda: solve_site(PolaronicSite(delta_b=1, g=0.1), phonon_cutoff=10**12),
     r"phonon_cutoff .*\[2, 400\]"),
    (lambda: solve_site(PolaronicSite(delta_b=1, g=0.1), max_cutoff=10**6), r"max_cutoff"),
    (lambda: site_spectra(PolaronicSite(delta_b=1, g=0.1), phonon_cutoff=5000), r"phonon_cutoff"),
    (lambda: ed.hermite_functions(10**6, [0.0]), r"m_cut"),
    (lambda: ed.hermite_functions(1000, np.zeros(10**5)), r"limit"),
    (lambda: ed.scan_cluster_alpha(LigandCluster(), np.zeros(10**5)), r"alphas"),
    (lambda: LatticeBFM(g_D=0.1, grid_size=1_000_000), r"grid_size must lie in \[4, 4096\]"),
    (lambda: LatticeBFM(g_D=0.1, band="cubic_nn", grid_size=1000), r"\[4, 256\]"),
    (lambda: band_grid("square_nn", 10**6), r"size"),
    (lambda: fermion_spectrum(LatticeBFM(g_D=0.1, n_tot=2, grid_size=16), 0.05, eta_D=1e-9),
     r"frequency grid .* limit is 524288"),
    # χ_pair work: ≈ 6.4e4 Matsubara × 9.6e4 real frequencies at T = 1e-4 D
    (lambda: fermion_spectrum(LatticeBFM(g_D=0.1, n_tot=2, grid_size=16), 1e-4),
     r"pair susceptibility .* limit"),
    (lambda: pair_susceptibility(1e-9, 0.0), r"Matsubara"),
    (lambda: pair_propagator_real_space(1e-5, grid_size=512), r"work limit"),
    (lambda: pair_propagator_real_space(0.01, grid_size=10**5), r"grid_size"),
    (lambda: phase_diagram(LatticeBFM(g_D=0.1, grid_size=8),
                           g_values_D=np.linspace(0, 1, MAX_PHASE_DIAGRAM_POINTS + 1)),
     r"exceed the limit of 1000"),
])
def test_resource_limits_refused_with_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_cutoff_loop_stops_at_its_limit_with_convergence_error():
    # α = 2 needs M ≈ 30: a loop capped at 15 must fail, not return a wrong number
    with pytest.raises(tcpredict.errors.ConvergenceError, match="limit M ≤ 15"):
        solve_site(PolaronicSite(delta_b=4, g=0.5, alpha=2.0), phonon_cutoff=5, max_cutoff=15)


def test_brent_failures_are_convergence_errors():
    with pytest.raises(tcpredict.errors.ConvergenceError, match="not bracketed"):
        lattice.brentq(lambda x: x * x + 1, -1.0, 1.0)
    with pytest.raises(tcpredict.errors.ConvergenceError, match="did not converge"):
        lattice.brentq(lambda x: x - 0.3, 0.0, 1.0, maxiter=1, xtol=1e-300, rtol=1e-15)


def test_broadening_is_chunked_without_changing_the_result(monkeypatch):
    # the ω × poles kernel is evaluated in chunks (bounded memory); same numbers as in one piece
    spec = site_spectra(PolaronicSite(delta_b=0.0, g=0.3), temperature=0.1,
                        ensemble="grand_canonical", kinds=("electron",))["electron"]
    w = np.linspace(-1, 1, 301)
    whole = spec.broadened(w, 0.05)
    monkeypatch.setattr(ed, "_BROADEN_CHUNK", 7)
    np.testing.assert_allclose(spec.broadened(w, 0.05), whole, rtol=1e-13)
    np.testing.assert_allclose(spec.broadened(w.reshape(7, 43), 0.05), whole.reshape(7, 43),
                               rtol=1e-13)


def test_chunked_dressed_susceptibility_unchanged(monkeypatch):
    # χ_pair with a self-energy: the Matsubara transform is done in row chunks sized by memory
    m = LatticeBFM(g_D=0.1, n_tot=2.0, grid_size=16)
    sp = fermion_spectrum(m, 0.05, order="lowest", boson_dressing="bare")
    ref = pair_susceptibility(0.05, sp.mu_D, sigma_D=sp.sigma_D, omega_D=sp.omega_D)
    monkeypatch.setattr(fluctuations, "_CHI_CHUNK_VALUES", 3 * sp.omega_D.size)  # 3 rows a chunk
    chunked = pair_susceptibility(0.05, sp.mu_D, sigma_D=sp.sigma_D, omega_D=sp.omega_D)
    assert chunked == pytest.approx(ref, rel=1e-13)
