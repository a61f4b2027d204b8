"""Property tests of the boson–fermion-model public API (issue 8): whatever the input, only
``ValueError`` (bad input, including resource limits) or the package's documented numerical
errors (:class:`tcpredict.errors.ConvergenceError`, :class:`tcpredict.bfm.ed.SumRuleError`)
escape; an accepted object holds finite values inside the documented ranges."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tcpredict.bfm import ed, lattice, local
from tcpredict.bfm.ed import SumRuleError, hermite_functions, solve_cluster, solve_site
from tcpredict.bfm.fluctuations import fermion_spectrum, pair_susceptibility
from tcpredict.bfm.lattice import LatticeBFM, band_grid, solve_meanfield
from tcpredict.bfm.local import LigandCluster, PolaronicSite
from tcpredict.bfm.stiffness import phase_diagram
from tcpredict.errors import ConvergenceError

ALLOWED = (ValueError, ConvergenceError, SumRuleError)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# anything a user or a notebook might pass for a number
anything = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-50, max_value=50),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.integers(min_value=-3, max_value=12),
    st.booleans(), st.none(), st.text(max_size=4),
    st.sampled_from([1e300, -1e300, 1e-300, 5e-324, 10**309, float("nan"), "all", "1", [1.0]]),
)


def _call(f, *a, **kw):
    try:
        return f(*a, **kw)
    except ALLOWED:
        return None


@FAST
@given(delta_b=anything, g=anything, alpha=anything, omega0=anything, mu=anything, eps0=anything,
       coupling=st.sampled_from(["pair", "ligand_density", "x", None, 1]))
def test_polaronic_site_constructor(delta_b, g, alpha, omega0, mu, eps0, coupling):
    s = _call(PolaronicSite, delta_b=delta_b, g=g, alpha=alpha, omega0=omega0, mu=mu, eps0=eps0,
              phonon_coupling=coupling)
    if s is not None:
        assert local.OMEGA0_MIN <= s.omega0 <= local.OMEGA0_MAX
        assert 0 <= s.alpha <= local.ALPHA_MAX
        for v in (s.delta_b, s.g, s.mu, s.eps0):
            assert abs(v) <= local.ENERGY_MAX_HW0 * s.omega0
        assert all(isinstance(v, (str, float)) for v in s.to_dict().values())


@FAST
@given(n_metal=anything, t_lm=anything, eps_l=anything, u_l=anything, alpha=anything,
       n_e=anything, sz=anything)
def test_ligand_cluster_constructor(n_metal, t_lm, eps_l, u_l, alpha, n_e, sz):
    c = _call(LigandCluster, n_metal=n_metal, t_lm=t_lm, eps_l=eps_l, u_l=u_l, alpha=alpha,
              n_electrons=n_e, sz=sz)
    if c is not None:
        assert c.n_metal in (2, 4) and 0 <= c.n_electrons <= 2 * c.n_sites
        assert c.sz == "all" or (2 * c.sz).is_integer()


@FAST
@given(g=anything, db=anything, n_tot=anything, band=st.sampled_from(list(lattice.BANDS) + ["x"]),
       bosons=st.sampled_from(["hardcore", "soft", "x"]), grid=anything, alpha=anything,
       omega0=anything, k_shift=anything)
def test_lattice_constructor(g, db, n_tot, band, bosons, grid, alpha, omega0, k_shift):
    m = _call(LatticeBFM, g_D=g, delta_b_D=db, n_tot=n_tot, band=band, bosons=bosons,
              grid_size=grid, alpha=alpha, omega0_D=omega0, k_shift=k_shift)
    if m is not None:
        assert 0 <= m.g_D <= lattice.G_MAX_D and 0 <= m.n_tot <= 4
        assert 4 <= m.grid_size <= lattice.MAX_GRID[m.band]
        assert math.isfinite(m.delta_b_eff_D)


@FAST
@given(band=st.sampled_from(list(lattice.BANDS) + ["x", None]), size=anything, k=anything)
def test_band_grid(band, size, k):
    if isinstance(size, int) and not isinstance(size, bool) and size > 256:
        size = 10**9  # only its refusal is exercised: the allowed maxima are large grids
    grid = _call(band_grid, band, size, k)
    if grid is not None:
        assert abs(grid.weight.sum() - 1) < 1e-12


@FAST
@given(m_cut=anything, n=st.integers(min_value=0, max_value=50), scale=anything)
def test_hermite_functions(m_cut, n, scale):
    x = np.linspace(-1, 1, n) * (scale if isinstance(scale, float) else 1.0)
    phi = _call(hermite_functions, m_cut, x)
    if phi is not None:
        assert phi.shape == (m_cut, n) and np.all(np.isfinite(phi))


@SLOW
@given(temperature=anything, ensemble=st.sampled_from(["canonical", "grand_canonical", "x"]),
       charge=anything, cutoff=st.one_of(st.none(), anything), max_cutoff=anything)
def test_solve_site(temperature, ensemble, charge, cutoff, max_cutoff):
    site = PolaronicSite(delta_b=1.0, g=0.3, alpha=0.5)
    if isinstance(max_cutoff, int) and not isinstance(max_cutoff, bool) and max_cutoff > 120:
        max_cutoff = 10**6  # refused; the allowed large values only cost time
    r = _call(solve_site, site, temperature=temperature, ensemble=ensemble, charge=charge,
              phonon_cutoff=cutoff, max_cutoff=max_cutoff)
    if r is not None:
        assert math.isfinite(r.ground_energy) and r.phonon_cutoff <= max_cutoff


@SLOW
@given(temperature=st.one_of(st.floats(min_value=0, max_value=1.5), anything), mu=anything,
       cutoff=st.one_of(st.none(), st.integers(min_value=-5, max_value=10**6)))
def test_solve_cluster(temperature, mu, cutoff):
    cl = LigandCluster(n_metal=2, t_lm=0.5, eps_l=1.0, alpha=0.3)
    if isinstance(cutoff, int) and 60 < cutoff < 10**5:
        cutoff = 10**6
    if isinstance(temperature, (int, float)) and 1.5 < temperature < 1e4:
        temperature = 1e4  # refused; allowed hot ensembles (M up to 400) only cost time
    r = _call(solve_cluster, cl, temperature=temperature, ensemble="grand_canonical", mu=mu,
              phonon_cutoff=cutoff)
    if r is not None:
        assert abs(sum(r.weights.values()) - 1) < 1e-9


@SLOW
@given(t=anything)
def test_meanfield_temperature(t):
    m = LatticeBFM(g_D=0.2, n_tot=1.5, grid_size=16)
    st_ = _call(solve_meanfield, m, t)
    if st_ is not None:
        assert st_.gap_D >= 0 and math.isfinite(st_.mu_D)


@SLOW
@given(values=st.lists(anything, min_size=0, max_size=3), which=st.booleans())
def test_phase_diagram(values, which):
    m = LatticeBFM(g_D=0.2, n_tot=2.0, grid_size=8)
    kw = {"g_values_D": values} if which else {"n_tot_values": values}
    pdg = _call(phase_diagram, m, **kw)
    if pdg is not None:
        assert len(pdg.rows()) == len(values)


@SLOW
@given(t=anything, eta=anything, order=st.sampled_from(["lowest", "self_consistent", "x"]))
def test_fermion_spectrum_refusals(t, eta, order):
    # only inputs that are refused (or cheap) are tried: a valid T and η run the solver at a
    # coarse grid only
    m = LatticeBFM(g_D=0.1, n_tot=2.0, grid_size=16)
    if isinstance(t, float) and 0 < t and isinstance(eta, float) and eta > 0:
        if min(t, eta) < 0.05:
            t = t if t > 10 else 1e-7  # a refused (too fine) frequency grid
    sp = _call(fermion_spectrum, m, t, order=order, eta_D=eta, max_iter=5, boson_dressing="bare")
    if sp is not None:
        assert sp.omega_D.size <= 2**19


@FAST
@given(t=anything, mu=anything, bins=anything)
def test_pair_susceptibility(t, mu, bins):
    if isinstance(t, float) and 0 < t < 1e-3:
        t = 1e-9  # refused (Matsubara count); allowed small T only costs time
    chi = _call(pair_susceptibility, t, mu, n_bins=bins)
    if chi is not None:
        assert chi > 0


def test_limits_are_exported():
    assert ed.DENSE_MAX_DIM >= 25 * 100 and ed.MAX_CUTOFF_LIMIT >= 400
