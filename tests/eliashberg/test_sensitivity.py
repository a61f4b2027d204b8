"""Sensitivities ∂ln Tc/∂λ, ∂ln Tc/∂μ* from the eigen-problem at Tc (docs/uncertainty.md §2–§3).

Independent checks: finite differences of ρ (Hellmann–Feynman), finite differences of the root at
fixed N (the exact derivative of the discretised problem), finite differences of solve_tc /
Stack.tc over many cutoff steps (the envelope), and the Allen–Dynes / McMillan derivatives in
weak coupling.
"""

import math
from dataclasses import replace

import numpy as np
import pytest

from tcpredict.eliashberg.closed_forms import allen_dynes_tc_K, mcmillan_tc_K
from tcpredict.eliashberg.energy_dos import EnergyDOS, solve_tc_dos
from tcpredict.eliashberg.kernels import SpectrumKernel, SumKernel, TableKernel
from tcpredict.eliashberg.matsubara import rescale_mustar
from tcpredict.eliashberg.operator import LinearizedOperator
from tcpredict.eliashberg.sensitivity import eigen_derivatives, mustar_chain
from tcpredict.eliashberg.spectra import einstein, gaussian_peak
from tcpredict.eliashberg.tc import find_tc_warm, solve_tc
from tcpredict.stacks.proximity import Layer, Stack, bilayer
from tcpredict.units import K_B_MEV_PER_K


def _fd_rho(make, T, h):
    """Central difference of ρ(T) between the operators make(+h) and make(−h)."""
    return (make(h).eigen(T)[0] - make(-h).eigen(T)[0]) / (2 * h)


@pytest.mark.parametrize("grid", ["compressed", "full"])
def test_hellmann_feynman_matches_finite_differences_of_rho(grid):
    # second method: ∂ρ/∂p by central differences of the eigenvalue at fixed T (includes the
    # change of Z through λ, which the analytic formula differentiates exactly)
    ks = [gaussian_peak(20, 4, 0.5), einstein(8.0, 0.3)]
    kern = [TableKernel(k) if grid == "compressed" else SpectrumKernel(k) for k in ks]
    mus, cut, gam, w = [0.11, 0.13], 300.0, [1.5], [1.0, 2.5]
    T = 0.6
    op = LinearizedOperator(kern, mus, cut, gam, w, grid=grid)
    ed = eigen_derivatives(op, T)
    for j in range(2):
        lam = _fd_rho(lambda h: LinearizedOperator(
            [k.scaled(1 + h) if i == j else k for i, k in enumerate(kern)], mus, cut, gam, w,
            grid=grid), T, 1e-6)
        mu = _fd_rho(lambda h: LinearizedOperator(
            kern, [m + h if i == j else m for i, m in enumerate(mus)], cut, gam, w, grid=grid),
            T, 1e-7)
        assert ed.drho_dlnlam[j] == pytest.approx(lam, rel=1e-6)
        assert ed.drho_dmustar_cutoff[j] == pytest.approx(mu, rel=1e-6)


@pytest.mark.parametrize("grid", ["compressed", "full"])
def test_parts_of_a_summed_kernel(grid):
    # the Cooper-limit channel Σ c_j λ_j: each part's derivative against finite differences of
    # its coefficient, and the parts add up to the whole channel
    sp = [gaussian_peak(20, 4, 0.5), einstein(8.0, 0.3)]
    kern = [TableKernel(k) if grid == "compressed" else SpectrumKernel(k) for k in sp]
    c = [0.35, 0.65]
    T = 0.3
    ed = eigen_derivatives(LinearizedOperator([SumKernel(list(zip(c, kern)))], [0.1], 300.0,
                                              grid=grid), T)
    parts = ed.drho_dlnlam_parts[0]
    for p in range(2):
        fd = _fd_rho(lambda h: LinearizedOperator([SumKernel(
            [(cc * (1 + h) if i == p else cc, k) for i, (cc, k) in enumerate(zip(c, kern))])],
            [0.1], 300.0, grid=grid), T, 1e-6)
        assert parts[p] == pytest.approx(fd, rel=1e-6)
    assert parts.sum() == pytest.approx(ed.drho_dlnlam[0], rel=1e-10)


class _FixedN:
    """ρ(T) with exactly N Matsubara frequencies at every T (cutoff 2πk_BT·N, same μ*(ω_c)):
    the smooth piece of the cutoff staircase."""

    def __init__(self, kern, mu_c, n, grid):
        self.kern, self.mu_c, self.n, self.grid = kern, mu_c, n, grid

    def eigen(self, T):
        cut = 2 * math.pi * K_B_MEV_PER_K * T * self.n
        return LinearizedOperator([self.kern], [self.mu_c], cut, grid=self.grid).eigen(T)


@pytest.mark.parametrize("grid", ["compressed", "full"])
def test_fixed_n_derivative_is_exact(al_spectrum, grid):
    # the derivative of the discretised problem at fixed N against finite differences of its
    # root: exact to a few 1e-4 (the brief); measured 2e-5 on the compressed grid (its panels
    # move with T), 1e-8 on the full grid. (solve_tc's own Tc may sit on a
    # cutoff step, where ρ jumps across 1, so the root of the fixed-N problem is used.)
    r = solve_tc(al_spectrum, 0.12, rtol=1e-10)
    kern = TableKernel(al_spectrum) if grid == "compressed" else SpectrumKernel(al_spectrum)
    n = r.n_matsubara
    mu_c = r.mustar_at_cutoff

    def root(k, m):
        return find_tc_warm(_FixedN(k, m, n, grid), r.tc_K, 0.01, rtol=1e-12)[0]

    t0 = root(kern, mu_c)
    op = LinearizedOperator([kern], [mu_c], 2 * math.pi * K_B_MEV_PER_K * t0 * n, grid=grid)
    ed = eigen_derivatives(op, t0)
    assert ed.n_matsubara == n and ed.rho == pytest.approx(1.0, abs=1e-11)
    h = 1e-5
    d_lam = (math.log(root(kern.scaled(1 + h), mu_c))
             - math.log(root(kern.scaled(1 - h), mu_c))) / (2 * h)
    d_mu = (math.log(root(kern, mu_c + h)) - math.log(root(kern, mu_c - h))) / (2 * h)
    assert ed.dlntc_fixed_n(ed.drho_dlnlam[0]) == pytest.approx(d_lam, rel=3e-4)
    assert ed.dlntc_fixed_n(ed.drho_dmustar_cutoff[0]) == pytest.approx(d_mu, rel=3e-4)


def test_envelope_matches_finite_differences_of_solve_tc(al_spectrum):
    # Tc(λ) with a fixed cutoff is a staircase (a step each time N(Tc) changes, ≈ 2e-4 in ln Tc
    # for Al, N ≈ 650); a central difference over ±1 % in λ (±0.3 % in μ*) crosses ~40 (~10)
    # steps, so its step noise is ≲ 0.3 % and its curvature error ≈ 0.3 %: tolerance 1 %.
    mu, cut = 0.12, 420.0
    r = solve_tc(al_spectrum, mu, cutoff_meV=cut, rtol=1e-10)
    s = r.sensitivity
    lam = al_spectrum.lam

    def lntc(sp, m):
        return math.log(solve_tc(sp, m, mustar_at_meV=r.mustar_at_meV, cutoff_meV=cut,
                                 rtol=1e-10, sensitivity=False).tc_K)

    e = 1e-2
    fd_lam = (lntc(al_spectrum.scaled(1 + e), mu) - lntc(al_spectrum.scaled(1 - e), mu)) / (
        2 * e * lam)
    d = 3e-3
    fd_mu = (lntc(al_spectrum, mu + d) - lntc(al_spectrum, mu - d)) / (2 * d)
    assert s["dlntc_dlambda"] == pytest.approx(fd_lam, rel=1e-2)
    assert s["dlntc_dmustar"] == pytest.approx(fd_mu, rel=1e-2)
    assert s["dlntc_dlnlambda"] == pytest.approx(lam * s["dlntc_dlambda"], rel=1e-12)
    # the cutoff steps matter: at fixed N the μ* derivative would be ≈ 40 % too large
    op = LinearizedOperator([TableKernel(al_spectrum)], [r.mustar_at_cutoff], cut,
                            grid="compressed")
    ed = eigen_derivatives(op, r.tc_K)
    fixed = ed.dlntc_fixed_n(ed.drho_dmustar_cutoff[0]) * mustar_chain(mu, r.mustar_at_cutoff)
    assert abs(fixed / fd_mu - 1) > 0.2


def test_envelope_same_on_full_and_compressed_grid(al_spectrum):
    a = solve_tc(al_spectrum, 0.12, cutoff_meV=420.0, rtol=1e-10).sensitivity
    b = solve_tc(al_spectrum, 0.12, cutoff_meV=420.0, rtol=1e-10, grid="full").sensitivity
    for k in ("dlntc_dlambda", "dlntc_dmustar", "dlnrho_dlnT"):
        assert a[k] == pytest.approx(b[k], rel=1e-3)


@pytest.mark.parametrize("lam", [0.25, 0.3])
def test_weak_coupling_matches_allen_dynes_and_mcmillan(lam):
    # Allen–Dynes and McMillan share the exponent −1.04(1+λ)/[λ − μ*(1+0.62λ)] fitted to
    # Eliashberg solutions; in weak coupling (λ ≤ 0.3, μ* = 0.1 at Ω_max = Ω_E) their Tc is
    # within 4 % of the solver's, and the exact weak-coupling exponent has 1 instead of 1.04,
    # so the derivatives agree to a few per cent: tolerance 3 % (measured ≤ 2 %).
    om, mu = 10.0, 0.1
    s = solve_tc(einstein(om, lam), mu, mustar_at_meV=om, t_min_K=1e-4).sensitivity
    h = 1e-6

    def d(f, i):
        x = [lam, mu]
        xp, xm = list(x), list(x)
        xp[i] += h
        xm[i] -= h
        return (math.log(f(*xp)) - math.log(f(*xm))) / (2 * h)

    def ad(la, m):
        return allen_dynes_tc_K(la, om, om, m)

    def mcm(la, m):
        return mcmillan_tc_K(100.0, la, m)

    for f in (ad, mcm):
        assert s["dlntc_dlambda"] == pytest.approx(d(f, 0), rel=3e-2)
        assert s["dlntc_dmustar"] == pytest.approx(d(f, 1), rel=3e-2)


def test_mustar_chain_is_the_morel_anderson_derivative():
    mu, at, cut = 0.13, 30.0, 400.0
    h = 1e-7
    fd = (rescale_mustar(mu + h, at, cut) - rescale_mustar(mu - h, at, cut)) / (2 * h)
    assert mustar_chain(mu, rescale_mustar(mu, at, cut)) == pytest.approx(fd, rel=1e-7)
    assert mustar_chain(0.0, 0.0) == 1.0


@pytest.mark.parametrize("kw", [{"cooper_limit": True}, {"gamma_meV": 2.0}])
def test_stack_sensitivity_per_layer(kw):
    # second method: finite differences of the bilayer's Tc with one layer's α²F scaled or its
    # μ* shifted (over many cutoff steps: tolerance 1.5 %, measured ≤ 0.6 %)
    la, lb = Layer.from_element("Al", 0.6), Layer.from_element("Au", 0.5)
    st = bilayer(la, lb, **kw)
    r = st.tc(rtol=1e-10, panel_factor=1.0)
    s = r.sensitivity

    def lntc(a, b):
        return math.log(bilayer(a, b, cutoff_meV=st.cutoff_meV, **kw).tc(
            rtol=1e-10, panel_factor=1.0, layer_tc=False, sensitivity=False).tc_K)

    for j, lay in enumerate((la, lb)):
        pair = [la, lb]
        e, d = 1e-2, 3e-3
        vals = []
        for sp in (lay.spectrum.scaled(1 + e), lay.spectrum.scaled(1 - e)):
            pair[j] = replace(lay, spectrum=sp)
            vals.append(lntc(*pair))
        fd_lam = (vals[0] - vals[1]) / (2 * e * r.layers[j].lam)
        vals = []
        for m in (lay.mustar + d, lay.mustar - d):
            pair[j] = replace(lay, mustar=m)
            vals.append(lntc(*pair))
        fd_mu = (vals[0] - vals[1]) / (2 * d)
        assert s["layers"][j]["material"] == lay.material
        assert s["layers"][j]["dlntc_dlambda"] == pytest.approx(fd_lam, rel=1.5e-2)
        assert s["layers"][j]["dlntc_dmustar"] == pytest.approx(fd_mu, rel=1.5e-2)
    assert s["dlntc_dlambda"] == pytest.approx(sum(x["dlntc_dlambda"] for x in s["layers"]))
    assert s["dlntc_dlnlambda"] == pytest.approx(
        sum(x["dlntc_dlambda"] * lr.lam for x, lr in zip(s["layers"], r.layers)))


def test_one_layer_stack_equals_solve_tc(al_spectrum):
    # the same problem through Stack.tc and solve_tc (same cutoff, same μ* at the same energy)
    st = Stack([Layer(al_spectrum, 0.12, thickness_nm=1.0, dos_per_spin=1.0)], (), 420.0)
    a = st.tc(rtol=1e-10, panel_factor=2.0, order=4).sensitivity
    b = solve_tc(al_spectrum, 0.12, cutoff_meV=420.0, rtol=1e-10).sensitivity
    for k in ("dlntc_dlambda", "dlntc_dmustar"):
        assert a[k] == pytest.approx(b[k], rel=1e-3)
        assert a["layers"][0][k] == a[k]


def test_no_tc_no_sensitivity():
    r = solve_tc(einstein(10.0, 0.2), 0.2, t_min_K=0.01)
    assert r.tc_K is None and r.sensitivity is None
    assert r.to_dict()["sensitivity"] is None


def test_energy_dependent_dos_sensitivity():
    # with an energy-dependent DOS ∂ρ/∂λ is a central difference at fixed T; second method:
    # finite differences of solve_tc_dos over many cutoff steps (N ≈ 70, steps ≈ 1.5 % in T;
    # ±3 % in λ crosses ~15 of them): tolerance 2 %, measured 0.1 %
    sp, dos = einstein(20.0, 0.6), EnergyDOS.linear(0.3, 400.0)
    s = solve_tc_dos(sp, 0.1, dos, rtol=1e-10).sensitivity
    e = 3e-2
    vals = [math.log(solve_tc_dos(einstein(20.0, 0.6 * (1 + x)), 0.1, dos, rtol=1e-10,
                                  sensitivity=False).tc_K) for x in (e, -e)]
    assert s["dlntc_dlambda"] == pytest.approx((vals[0] - vals[1]) / (2 * e * 0.6), rel=2e-2)
    assert np.isfinite(s["dlntc_dmustar"]) and s["dlntc_dmustar"] < 0
