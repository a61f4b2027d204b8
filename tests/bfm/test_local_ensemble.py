"""The default canonical ensemble of the ligand cluster contains every S_z sector (issue 8).

Reference: a brute-force thermal average over the whole N_e = 2 Hilbert space (every S_z,
45 electron configurations × M oscillator levels), built here independently of
:mod:`tcpredict.bfm.ed`: dense Jordan–Wigner matrices in site-major mode order (ed uses spin-major
order and sector blocks), the Hamiltonian of docs/bfm_local.md §3.2 written out term by term, and
one dense diagonalization of the projected Hamiltonian.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import reduce

import numpy as np
import pytest

from tcpredict.bfm.ed import solve_cluster
from tcpredict.bfm.local import LigandCluster

# The CLI example of docs/bfm_local.md §7 at T = 0.05 ħω0 (issue 8's case)
CLUSTER = LigandCluster(n_metal=4, t_lm=0.25, eps_l=4.0, alpha=1.414339)
T = 0.05


def _brute_force_weights(cl: LigandCluster, temperature: float, m_cut: int) -> np.ndarray:
    """(W0, W1, W2) = ⟨Π(n_L = q)⟩ in the canonical ensemble of all N_e-electron states."""
    ns = cl.n_sites
    n_modes = 2 * ns  # mode 2i + s: site i (0 = ligand), spin s (0 = ↑, 1 = ↓)
    a = np.array([[0.0, 1.0], [0.0, 0.0]])  # annihilator on one mode
    z = np.diag([1.0, -1.0])  # Jordan–Wigner string
    eye = np.eye(2)

    def ann(k):
        return reduce(np.kron, [z] * k + [a] + [eye] * (n_modes - k - 1))

    c = [ann(k) for k in range(n_modes)]
    n = [ck.T @ ck for ck in c]

    def mode(i, s):
        return 2 * i + s

    h = np.zeros((2**n_modes,) * 2)
    for s in (0, 1):
        h += cl.eps_l * n[mode(0, s)]
        for j in range(1, ns):
            h += cl.eps_m * n[mode(j, s)]
            hop = c[mode(j, s)].T @ c[mode(0, s)]
            h -= cl.t_lm * (hop + hop.T)
    h += cl.u_l * n[mode(0, 0)] @ n[mode(0, 1)]
    n_lig = n[mode(0, 0)] + n[mode(0, 1)]
    n_tot = sum(n)
    keep = np.flatnonzero(np.isclose(np.diag(n_tot), cl.n_electrons))  # all S_z
    h_el = h[np.ix_(keep, keep)]
    nl = np.diag(n_lig)[keep]
    # oscillator: ħω0 a†a − αħω0 n_L (a + a†)
    b = np.diag(np.sqrt(np.arange(1, m_cut)), 1)
    h_ph = cl.omega0 * np.diag(np.arange(m_cut, dtype=float))
    u = b + b.T
    H = (np.kron(h_el, np.eye(m_cut)) + np.kron(np.eye(keep.size), h_ph)
         - cl.alpha * cl.omega0 * np.kron(np.diag(nl), u))
    e, v = np.linalg.eigh(H)
    p = np.exp(-(e - e[0]) / temperature)
    p /= p.sum()
    prob_el = (v.reshape(keep.size, m_cut, -1) ** 2).sum(axis=1)  # (config, state)
    return np.array([float(((nl == q) @ prob_el) @ p) for q in (0, 1, 2)])


@pytest.fixture(scope="module")
def default_result():
    return solve_cluster(CLUSTER, temperature=T)


def test_default_ensemble_is_every_sz_sector(default_result):
    assert CLUSTER.sz == "all"
    assert default_result.ensemble["sectors"] == [[2, -2], [2, 0], [2, 2]]


def test_default_matches_brute_force_thermal_average(default_result):
    # independent full-Hilbert-space average at the same (accepted, converged) cutoff
    m_cut = default_result.phonon_cutoff
    ref = _brute_force_weights(CLUSTER, T, m_cut)
    got = np.array([default_result.weights[k] for k in ("W0", "W1", "W2")])
    np.testing.assert_allclose(got, ref, atol=1e-10)
    # issue 8 quotes (0.797, 0.028, 0.175) with every sector (3 decimals)
    np.testing.assert_allclose(got, [0.797, 0.028, 0.175], atol=6e-4)


def test_single_sz_block_misses_the_triplet_weight(default_result):
    # issue 8: S_z = 0 alone gives (0.716, 0.033, 0.251) — the triplet partners (S_z = ±1) of the
    # S_z = 0 triplet states are missing, so the bipolaron weight W2 is overestimated
    r0 = solve_cluster(replace(CLUSTER, sz=0), temperature=T)
    got = np.array([r0.weights[k] for k in ("W0", "W1", "W2")])
    np.testing.assert_allclose(got, [0.716, 0.033, 0.251], atol=6e-4)
    assert got[2] - default_result.weights["W2"] > 0.07


def test_zero_temperature_singlet_ground_state_unchanged(default_result):
    # at T = 0 the ground state is a singlet (docs/bfm_local.md §9): all-S_z and S_z = 0 agree
    r_all = solve_cluster(CLUSTER)
    r_0 = solve_cluster(replace(CLUSTER, sz=0))
    assert r_all.ground_energy == pytest.approx(r_0.ground_energy, abs=1e-12)
    assert r_all.weights["W2"] == pytest.approx(r_0.weights["W2"], abs=1e-10)


def test_odd_electron_number_default_works():
    # with S_z = 0 as default an odd N_e was an error; 'all' takes S_z = ±1/2 (Kramers pair)
    r = solve_cluster(LigandCluster(n_metal=2, n_electrons=1, t_lm=0.5, eps_l=1.0), temperature=0.1)
    assert r.ensemble["sectors"] == [[1, -1], [1, 1]]
    assert math.isclose(sum(r.weights.values()), 1.0, abs_tol=1e-12)
