"""Lattice BFM mean field (resonant_pairing.md §3.2, §4.4, identity 8)."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from tcpredict.bfm.lattice import (
    LatticeBFM,
    _pi_and_nf,
    band_grid,
    bare_dos,
    pair_bubble,
    solve_meanfield,
    solve_t_star,
)

# resonant_pairing.md §4.4 (512² grid, D = 8t = 1, hard-core bosons, Δ_B = 0):
# g, T*_MF (n_tot = 2), T*_MF (n_tot = 1), μ(T*) (n_tot = 1)
TABLE_T_STAR = [
    (0.05, 0.00800, 0.00473, -0.00900),
    (0.1, 0.02161, 0.01480, -0.02264),
    (0.2, 0.05478, 0.04250, -0.05152),
    (0.3, 0.09097, 0.07474, -0.07903),
]
# resonant_pairing.md §4.4, T = 0, n_tot = 1: g, μ, x, Δ_F, n_B
TABLE_T0 = [(0.1, -0.0242, 0.2145, 0.0214, 0.0483), (0.2, -0.0568, 0.2892, 0.0578, 0.0921)]


@pytest.mark.parametrize("g, ts2, ts1, mu1", TABLE_T_STAR)
def test_t_star_table_512(g, ts2, ts1, mu1):
    r2 = solve_t_star(LatticeBFM(g, 0.0, 2.0, grid_size=512))
    r1 = solve_t_star(LatticeBFM(g, 0.0, 1.0, grid_size=512))
    # ±1 in the last quoted digit (spec §4)
    assert r2.t_star_D == pytest.approx(ts2, abs=1e-5)
    assert abs(r2.mu_D) < 1e-12  # particle-hole symmetric point: μ = 0 (§4.4)
    assert r1.t_star_D == pytest.approx(ts1, abs=1e-5)
    assert r1.mu_D == pytest.approx(mu1, abs=1e-5)
    assert r2.gap_residual < 1e-9 and r1.number_residual < 1e-9


def test_t_star_half_filling_reduces_to_pi():
    # §4.4: at n_tot = 2 the condition reduces to T* = (g²/2) Π(T*)
    m = LatticeBFM(0.2, 0.0, 2.0, grid_size=256)
    r = solve_t_star(m)
    pi = pair_bubble(band_grid("square_nn", 256, 0.5), 0.0, 0.0, r.t_star_D)
    assert r.t_star_D == pytest.approx(0.5 * 0.2**2 * pi, rel=1e-10)


@pytest.mark.parametrize("g, mu, x, gap, nb", TABLE_T0)
def test_zero_temperature_table(g, mu, x, gap, nb):
    st = solve_meanfield(LatticeBFM(g, 0.0, 1.0, grid_size=512), 0.0)
    # §4.4 T = 0 table, ±1 in the last digit
    assert st.mu_D == pytest.approx(mu, abs=1e-4)
    assert st.pair_amplitude_x == pytest.approx(x, abs=1e-4)
    assert st.gap_D == pytest.approx(gap, abs=1e-4)
    assert st.n_boson == pytest.approx(nb, abs=1e-4)
    assert st.number_residual < 1e-10


@pytest.mark.parametrize("band", ["square_nn", "flat", "semielliptic"])
@pytest.mark.parametrize("g", [0.1, 0.3])
def test_identity8_half_filling(band, g):
    # identity 8: n_tot = 2, Δ_B = 0, p-h symmetric band → μ = 0, n_B = ½, Δ_F = g/2, |x| = ½
    st = solve_meanfield(LatticeBFM(g, 0.0, 2.0, band=band, grid_size=256 if band == "square_nn" else 4000), 0.0)
    assert abs(st.mu_D) < 1e-10
    assert st.n_boson == pytest.approx(0.5, abs=1e-10)
    assert st.gap_D == pytest.approx(g / 2, rel=1e-10)
    assert st.pair_amplitude_x == pytest.approx(0.5, rel=1e-10)


@pytest.mark.parametrize("n_tot, db", [(1.0, 0.0), (0.6, 0.1), (3.1, -0.05), (2.0, 0.2)])
def test_identity8_pseudospin_norm(n_tot, db):
    # identity 8: at T = 0, |x|² + (n_B − ½)² = ¼
    st = solve_meanfield(LatticeBFM(0.2, db, n_tot, grid_size=128), 0.0)
    assert st.superconducting
    assert st.pair_amplitude_x**2 + (st.n_boson - 0.5) ** 2 == pytest.approx(0.25, abs=1e-12)
    assert st.n_tot == pytest.approx(n_tot, abs=1e-10)


def _brute_sums(L, s, mu, gap, T):
    t = 1 / 8
    k = 2 * np.pi * (np.arange(L) + s) / L
    eps = -2 * t * (np.cos(k)[:, None] + np.cos(k)[None, :])
    xi = eps - mu
    E = np.sqrt(xi**2 + gap**2)
    th = np.tanh(E / (2 * T))
    pi = np.mean(th / (2 * E))
    nf = np.mean(1 - xi / E * th)
    nk = 0.5 * (1 - xi / E * th)
    exx = 2 * t * np.cos(k)[:, None] * np.ones(L)[None, :]
    vx2 = (2 * t * np.sin(k)[:, None]) ** 2 * np.ones(L)[None, :]
    mdf = (1 / (4 * T)) / np.cosh(E / (2 * T)) ** 2
    ds = 2 * np.mean(exx * nk - vx2 * mdf)
    return pi, nf, ds


@pytest.mark.parametrize("L, s", [(24, 0.5), (31, 0.0), (32, 0.0)])
def test_wedge_equals_brute_force_sum(L, s):
    # cross-check: C4v-reduced sums against the plain L² k sum (no symmetry used)
    from tcpredict.bfm.stiffness import superfluid_stiffness

    grid = band_grid("square_nn", L, s)
    mu, gap, T = -0.07, 0.03, 0.02
    pi, nf = _pi_and_nf(grid, mu, gap, T)
    ds = superfluid_stiffness(grid, mu, gap, T).stiffness_D
    bpi, bnf, bds = _brute_sums(L, s, mu, gap, T)
    assert pi == pytest.approx(bpi, rel=1e-12)
    assert nf == pytest.approx(bnf, rel=1e-12)
    assert ds == pytest.approx(bds, rel=1e-10, abs=1e-14)


def test_meanfield_brute_force_small_grid():
    # cross-check: solve the §3.2 equations independently with the brute-force 16² sums (fsolve)
    from scipy.optimize import fsolve

    L, g, T, ntot = 16, 0.3, 0.03, 1.3
    st = solve_meanfield(LatticeBFM(g, 0.05, ntot, grid_size=L), T)

    def eqs(p):
        mu, gap = p
        pi, nf, _ = _brute_sums(L, 0.5, mu, gap, T)
        a = 0.05 - 2 * mu
        h = math.sqrt(a * a + 4 * g * g * (gap * pi) ** 2)
        nb = 0.5 - a / (2 * h) * math.tanh(h / (2 * T))
        return [nf + 2 * nb - ntot, g * g * pi * math.tanh(h / (2 * T)) / h - 1]

    mu, gap = fsolve(eqs, [st.mu_D + 0.01, st.gap_D * 1.1], xtol=1e-13)
    assert st.gap_D == pytest.approx(gap, rel=1e-8)
    assert st.mu_D == pytest.approx(mu, abs=1e-10)


def test_cubic_wedge_equals_brute_force():
    grid = band_grid("cubic_nn", 12, 0.5)
    t = 1 / 12
    k = 2 * np.pi * (np.arange(12) + 0.5) / 12
    c = np.cos(k)
    eps = -2 * t * (c[:, None, None] + c[None, :, None] + c[None, None, :])
    f = lambda e: np.tanh((e + 0.03) / 0.04) * e**2  # noqa: E731
    assert float(np.sum(grid.weight * f(grid.eps_D))) == pytest.approx(float(np.mean(f(eps))), rel=1e-12)


@pytest.mark.parametrize("band", ["flat", "semielliptic"])
def test_dos_only_pair_bubble_against_quadrature(band):
    # tabulated DOS-only bands against adaptive quadrature of ∫ρ(ε) tanh(βξ/2)/(2ξ)
    T, mu = 0.02, -0.1
    grid = band_grid(band, 20000)
    num = pair_bubble(grid, mu, 0.0, T)
    f = lambda e: bare_dos(band, np.array([e]))[0] * np.tanh((e - mu) / (2 * T)) / (2 * (e - mu))  # noqa: E731
    ref = quad(f, -0.5, 0.5, points=[mu], limit=200)[0]
    assert num == pytest.approx(ref, rel=2e-5)


def test_square_dos_normalized_and_matches_grid():
    # bare_dos (elliptic K) against the k-grid histogram of the 1024² lattice
    e = np.linspace(-0.45, 0.45, 10)
    e = e[np.abs(e) > 0.05]
    grid = band_grid("square_nn", 1024, 0.5)
    h = 0.02
    hist = np.array([grid.weight[np.abs(grid.eps_D - x) < h / 2].sum() / h for x in e])
    assert np.allclose(bare_dos("square_nn", e), hist, rtol=2e-2)
    val = quad(lambda x: bare_dos("square_nn", np.array([x]))[0], -0.5, 0.5, points=[0.0], limit=200)[0]
    assert val == pytest.approx(1.0, abs=1e-8)


def test_gap_closes_at_t_star():
    m = LatticeBFM(0.2, 0.0, 1.0, grid_size=256)
    ts = solve_t_star(m).t_star_D
    assert solve_meanfield(m, ts * 0.98).gap_D > 0
    assert solve_meanfield(m, ts * 1.02).gap_D == 0.0
    # Δ_F(T) decreases monotonically (mean-field order parameter)
    gaps = [solve_meanfield(m, t).gap_D for t in np.linspace(0, 0.97 * ts, 6)]
    assert all(a > b for a, b in zip(gaps, gaps[1:]))


def test_polaron_renormalization_equivalence():
    # spec §1.2: for ħω0 ≫ T, coth → 1, so the polaronic model equals the plain model with
    # g̃ = g e^{−α²/2} and Δ̃_B = Δ_B − α²ħω0
    a, w0, g = 0.8, 2.0, 0.3
    pol = LatticeBFM(g, 0.2, 1.0, grid_size=128, alpha=a, omega0_D=w0)
    plain = LatticeBFM(g * math.exp(-a * a / 2), 0.2 - a * a * w0, 1.0, grid_size=128)
    assert solve_t_star(pol).t_star_D == pytest.approx(solve_t_star(plain).t_star_D, rel=1e-9)
    assert pol.g_eff_D(0.0) == pytest.approx(g * math.exp(-a * a / 2))
    assert pol.g_eff_D(1.0) < pol.g_eff_D(0.1)  # coth grows with T


def test_soft_bosons_t_star_and_ground_state():
    m = LatticeBFM(0.2, 0.1, 1.0, bosons="soft", grid_size=128)
    r = solve_t_star(m)
    assert r.found and r.gap_residual < 1e-9
    grid = band_grid("square_nn", 128, 0.5)
    a = 0.1 - 2 * r.mu_D
    assert a > 0
    # linearized soft-boson condition 1 = g²Π/(Δ_B − 2μ) (spec §3.2)
    assert 0.04 * pair_bubble(grid, r.mu_D, 0.0, r.t_star_D) / a == pytest.approx(1.0, rel=1e-9)
    st = solve_meanfield(m, 0.0)
    assert st.superconducting
    assert st.n_boson == pytest.approx(st.pair_amplitude_x**2, rel=1e-12)  # n_B = x² at T = 0


def test_empty_and_full_system():
    for n in (0.0, 4.0):
        st = solve_meanfield(LatticeBFM(0.2, 0.0, n, grid_size=64), 0.0)
        assert not st.superconducting and st.n_tot == n
        assert not solve_t_star(LatticeBFM(0.2, 0.0, n, grid_size=64)).found


@pytest.mark.parametrize("kw, msg", [
    (dict(g_D=-0.1), "g_D"), (dict(n_tot=4.5), "n_tot"), (dict(n_tot=-0.1), "n_tot"),
    (dict(band="hex"), "band"), (dict(bosons="x"), "bosons"), (dict(grid_size=-4), "grid_size"),
    (dict(grid_size=2.5), "grid_size"), (dict(alpha=1.0), "omega0"), (dict(alpha=-1, omega0_D=1), "alpha"),
    (dict(k_shift=0.3), "k_shift"), (dict(delta_b_D=float("nan")), "delta_b_D"),
])
def test_validation(kw, msg):
    base = dict(g_D=0.1, n_tot=1.0)
    base.update(kw)
    with pytest.raises(ValueError, match=msg):
        LatticeBFM(**base)


def test_to_dict_keys_and_immutability():
    m = LatticeBFM(0.1, 0.0, 2.0, grid_size=64)
    d = solve_meanfield(m, 0.01).to_dict()
    for k in ("temperature_D", "mu_D", "gap_D", "number_residual", "gap_residual", "model"):
        assert k in d
    assert d["model"]["grid_size"] == 64 and d["model"]["band"] == "square_nn"
    with pytest.raises(Exception):
        m.g_D = 0.2
