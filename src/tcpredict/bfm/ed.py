r"""Exact diagonalization of the local resonant-pairing models (docs/bfm_local.md §4).

The electron (and hard-core boson) Fock space is enumerated as bit strings in Jordan–Wigner order
and split into blocks of conserved charge: Q = n_↑ + n_↓ + 2n_B for the polaronic site, (N_e, 2S_z)
for the ligand cluster. Each block is tensored with the truncated oscillator |m⟩, m < M:

.. math::

    H = H_\mathrm{el} ⊗ 1 + 1 ⊗ ħω_0 \hat N − α ħω_0\, \hat n ⊗ \hat u, \qquad \hat u = a + a^†,

built with :func:`scipy.sparse.kron` and diagonalized densely (``numpy.linalg.eigh`` /
``scipy.linalg.eigh``) up to dimension :data:`DENSE_MAX_DIM`, beyond with
``scipy.sparse.linalg.eigsh(which='SA')``.

Phonon cutoff (docs/bfm_local.md §4): start at M ≥ λ² + 6λ + 10, λ = α n_max, and at T > 0 also at
M ≥ 2T ln(10¹⁰)/ħω0 (Boltzmann weight < 1e−10 above E_min + (M/2)ħω0). M is accepted when
M + 10 changes E_0 by < ``energy_tol`` (1e−8) and every observable by < ``observable_tol``
(1e−6, issue 5); otherwise M grows by 10 up to ``max_cutoff`` and :class:`ConvergenceError` is
raised there.

Thermal averages use p_n = e^{−β(E_n − E_min)}/Z over all blocks of the ensemble (at T = 0 the
degenerate ground manifold with equal weights). Energies of the site include −μQ (grand-canonical
form); the cluster Hamiltonian has no μ unless the grand-canonical ensemble is chosen.
"""

from __future__ import annotations

import logging
import math
import numbers
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.optimize import brentq, minimize_scalar
from scipy.signal import find_peaks

from tcpredict.bfm.local import LigandCluster, PolaronicSite
from tcpredict.errors import ConvergenceError as _BaseConvergenceError

__all__ = [
    "DENSE_MAX_DIM",
    "GROUND_MAX_DIM",
    "MAX_CUTOFF_LIMIT",
    "ConvergenceError",
    "SumRuleError",
    "LocalEDResult",
    "LehmannSpectrum",
    "solve_site",
    "solve_cluster",
    "site_spectra",
    "cluster_spectra",
    "hermite_functions",
    "displacement_distribution",
    "find_displacement_peaks",
    "cluster_resonance_alpha",
    "cluster_minimum_gap",
    "local_crossover_temperature",
    "scan_cluster_alpha",
]

logger = logging.getLogger(__name__)

#: Largest block dimension diagonalized densely (docs/bfm_local.md §4). At T > 0 every block of
#: the ensemble needs its complete spectrum, so this is also the largest block dimension
#: (electron configurations × phonon cutoff M) accepted at T > 0 and for spectra
#: (docs/bfm_local.md §6 "Limits"); a 6000-wide block takes ≈ 1 min and 0.9 GB.
DENSE_MAX_DIM = 6000
#: Largest block dimension accepted at T = 0 (sparse Lanczos for the lowest states).
GROUND_MAX_DIM = 40_000
#: Largest ``max_cutoff`` (oscillator levels) accepted (docs/bfm_local.md §6).
MAX_CUTOFF_LIMIT = 1000
#: Default largest phonon cutoff of the convergence loop.
DEFAULT_MAX_CUTOFF = 400
#: Largest number of α values of :func:`scan_cluster_alpha` and of frequencies × poles evaluated
#: at once by :meth:`LehmannSpectrum.broadened` (chunked beyond).
MAX_SCAN_POINTS = 10_000
_BROADEN_CHUNK = 2_000_000
_HERMITE_MAX_VALUES = 20_000_000  # 160 MB table
#: ln(10¹⁰): Boltzmann rule of the starting cutoff, M ≥ 2T ln(10¹⁰)/ħω0 (docs/bfm_local.md §4).
_LN_BOLTZMANN = math.log(1e10)
#: Step by which the phonon cutoff is raised in the convergence loop (docs/bfm_local.md §4).
CUTOFF_STEP = 10
#: Relative prominence (of max P) above which a maximum of P(u) counts for bimodality (docs/bfm_local.md §4).
BIMODAL_PROMINENCE = 0.05
#: Relative prominence below which a maximum of P(u) is treated as numerical noise.
PEAK_NOISE_FLOOR = 1e-3
#: Tolerance of the discrete Lehmann sum rules (docs/bfm_local.md §4).
SUM_RULE_TOL = 1e-8
_POP_CUT = 1e-14  # thermal weights below this are dropped (docs/bfm_local.md §4 keeps > 1e-12)
_DEGENERACY_TOL = 1e-9


class ConvergenceError(_BaseConvergenceError):
    """The phonon cutoff did not converge below ``max_cutoff``."""


class SumRuleError(RuntimeError):
    """A discrete Lehmann sum rule failed by more than :data:`SUM_RULE_TOL`."""


# ----------------------------------------------------------------------------------------------
# Fock-space algebra
# ----------------------------------------------------------------------------------------------


def _creation(n_bits: int, k: int, fermion_mask: int) -> sp.csr_matrix:
    """Creation operator on bit k of a 2^n_bits Fock space (Jordan–Wigner sign over fermion bits
    below k; bits outside ``fermion_mask`` are hard-core bosons without sign)."""
    states = np.arange(1 << n_bits, dtype=np.int64)
    src = states[((states >> k) & 1) == 0]
    dst = src | (1 << k)
    if (fermion_mask >> k) & 1:
        below = src & fermion_mask & ((1 << k) - 1)
        sign = 1.0 - 2.0 * (np.bitwise_count(below) % 2)
    else:
        sign = np.ones(src.size)
    n = 1 << n_bits
    return sp.csr_matrix((sign, (dst, src)), shape=(n, n))


def _number_diag(n_bits: int, k: int) -> np.ndarray:
    return ((np.arange(1 << n_bits) >> k) & 1).astype(float)


@dataclass(frozen=True, eq=False)
class _Operator:
    """Electronic operator O (full Fock matrix), its quantum-number shift and statistics."""

    matrix: sp.csr_matrix
    shift: tuple[int, ...]
    charge: int  # units of charge added (frequency offset q·μ_ref)
    statistics: str  # 'fermion' (anticommutator sum rule) or 'boson' (commutator)


@dataclass(frozen=True, eq=False)
class _ElectronicModel:
    """Electron (and boson) part of a local model, ready for sector-wise ED."""

    kind: str
    h_el: sp.csr_matrix
    coupled: np.ndarray  # diagonal of the operator n̂ coupled to u
    keys: np.ndarray  # (n_fock, n_qn) quantum numbers
    ensemble_keys: tuple[tuple[int, ...], ...]
    diag_obs: dict  # name -> diagonal array
    pair_op: sp.csr_matrix  # K operator (expectation taken, real part)
    operators: dict  # spectrum kind -> _Operator
    sum_rule_diag: dict  # spectrum kind -> diagonal of the expected zeroth moment
    alpha: float
    omega0: float
    n_max: int
    mu_in_h: bool
    ensemble: str
    sector_index: dict = field(default_factory=dict)

    def indices(self, key: tuple[int, ...]) -> np.ndarray:
        if key not in self.sector_index:
            mask = np.all(self.keys == np.asarray(key), axis=1)
            self.sector_index[key] = np.flatnonzero(mask)
        return self.sector_index[key]


def _site_model(site: PolaronicSite, ensemble: str, charge: int) -> _ElectronicModel:
    """Bits: 0 = ↑, 1 = ↓ (fermions), 2 = hard-core boson ρ (docs/bfm_local.md §3.1)."""
    nb, fmask = 3, 0b011
    cu, cd, rho = (_creation(nb, k, fmask) for k in range(3))
    n_up, n_dn, n_b = (_number_diag(nb, k) for k in range(3))
    n_f = n_up + n_dn
    q = (n_f + 2 * n_b).astype(int)
    pair_op = (rho @ cd.T @ cu.T).tocsr()  # ρ⁺ c↓ c↑
    h = (
        sp.diags((site.eps0 - site.mu) * n_f + (site.delta_b - 2 * site.mu) * n_b)
        + site.g * (pair_op + pair_op.T)
    ).tocsr()
    coupled = n_b if site.phonon_coupling == "pair" else 2 * n_b
    keys = q[:, None]
    if ensemble == "canonical":
        ens = ((charge,),)
    else:
        ens = tuple((k,) for k in range(5))
    return _ElectronicModel(
        kind="site",
        h_el=h,
        coupled=coupled,
        keys=keys,
        ensemble_keys=ens,
        diag_obs={
            "weight_fermion_pair": ((n_up == 1) & (n_dn == 1)).astype(float),
            "weight_boson": n_b,
            "n_fermion": n_f,
            "n_boson": n_b,
            "charge": q.astype(float),
        },
        pair_op=pair_op,
        operators={
            "electron": _Operator(cu, (1,), 1, "fermion"),
            "pair": _Operator(rho, (2,), 2, "boson"),
        },
        sum_rule_diag={"electron": np.ones(8), "pair": 1.0 - 2.0 * n_b},
        alpha=site.alpha,
        omega0=site.omega0,
        n_max=site.coupled_charge_max,
        mu_in_h=True,
        ensemble=ensemble,
    )


def _cluster_model(cl: LigandCluster, ensemble: str, mu: float) -> _ElectronicModel:
    """Modes: i (↑) and N_s + i (↓) for site i, with i = 0 the ligand (Jordan–Wigner order, docs/bfm_local.md §4)."""
    ns = cl.n_sites
    nb = 2 * ns
    fmask = (1 << nb) - 1
    c = [_creation(nb, k, fmask) for k in range(nb)]
    n = [_number_diag(nb, k) for k in range(nb)]
    n_l = n[0] + n[ns]
    n_metal = sum(n[i] + n[ns + i] for i in range(1, ns))
    diag = cl.eps_l * n_l + cl.eps_m * n_metal + cl.u_l * n[0] * n[ns]
    n_up = sum(n[:ns])
    n_dn = sum(n[ns:])
    n_e = (n_up + n_dn).astype(int)
    two_sz = (n_up - n_dn).astype(int)
    if ensemble == "grand_canonical":
        diag = diag - mu * n_e
    h = sp.diags(diag).tocsr()
    hop = sp.csr_matrix(h.shape)
    for s in (0, ns):  # spin offset
        for j in range(1, ns):
            hop = hop - cl.t_lm * (c[s + j] @ c[s].T)
        if cl.n_metal == 4:
            bonds = [(1, 2), (2, 3), (3, 4), (4, 1)]
        else:
            bonds = [(1, 2)]
        for a, b in bonds:
            hop = hop - cl.t_mm * (c[s + a] @ c[s + b].T)
    h = (h + hop + hop.T).tocsr()
    coupled = n_l if cl.phonon_coupling == "ligand_density" else n[0] * n[ns]
    # K_cl = Re⟨c†_L↑ c†_L↓ c_s↓ c_s↑⟩, s = N_M^{-1/2} Σ_j c_j (docs/bfm_local.md §4)
    cs_up = sum(c[j].T for j in range(1, ns)) / math.sqrt(cl.n_metal)
    cs_dn = sum(c[ns + j].T for j in range(1, ns)) / math.sqrt(cl.n_metal)
    pair_l = (c[0] @ c[ns]).tocsr()  # c†_L↑ c†_L↓
    pair_op = (pair_l @ cs_dn @ cs_up).tocsr()
    keys = np.stack([n_e, two_sz], axis=1)
    if ensemble == "grand_canonical":
        ens = tuple(sorted({(int(a), int(b)) for a, b in keys}))
    elif cl.sz == "all":
        ne = cl.n_electrons
        ens = tuple(
            (ne, s)
            for s in range(-ne, ne + 1, 2)
            if 0 <= (ne + s) // 2 <= ns and 0 <= (ne - s) // 2 <= ns
        )
    else:
        ens = ((cl.n_electrons, round(2 * cl.sz)),)
    return _ElectronicModel(
        kind="cluster",
        h_el=h,
        coupled=coupled,
        keys=keys,
        ensemble_keys=ens,
        diag_obs={
            "W0": (n_l == 0).astype(float),
            "W1": (n_l == 1).astype(float),
            "W2": (n_l == 2).astype(float),
            "n_ligand": n_l,
            "n_electrons": n_e.astype(float),
        },
        pair_op=pair_op,
        operators={
            "electron": _Operator(c[0], (1, 1), 1, "fermion"),
            "pair": _Operator(pair_l, (2, 0), 2, "boson"),
        },
        sum_rule_diag={"electron": np.ones(1 << nb), "pair": 1.0 - n_l},
        alpha=cl.alpha,
        omega0=cl.omega0,
        n_max=cl.coupled_charge_max,
        mu_in_h=ensemble == "grand_canonical",
        ensemble=ensemble,
    )


# ----------------------------------------------------------------------------------------------
# Sector Hamiltonians and eigensolvers
# ----------------------------------------------------------------------------------------------


def _phonon_ops(m_cut: int) -> tuple[sp.dia_matrix, sp.csr_matrix]:
    m = np.arange(m_cut, dtype=float)
    n_op = sp.diags(m)
    off = np.sqrt(m[1:])
    u_op = sp.diags([off, off], [1, -1]).tocsr()
    return n_op, u_op


def _sector_hamiltonian(model: _ElectronicModel, key, m_cut: int) -> sp.csr_matrix:
    """H_el ⊗ 1 + 1 ⊗ ħω0 N̂ − αħω0 n̂ ⊗ û on one block (docs/bfm_local.md §4)."""
    idx = model.indices(key)
    h_el = model.h_el[idx][:, idx]
    n_op, u_op = _phonon_ops(m_cut)
    eye_el = sp.identity(idx.size, format="csr")
    eye_ph = sp.identity(m_cut, format="csr")
    h = sp.kron(h_el, eye_ph) + model.omega0 * sp.kron(eye_el, n_op)
    if model.alpha != 0.0:
        h = h - model.alpha * model.omega0 * sp.kron(sp.diags(model.coupled[idx]), u_op)
    return h.tocsr()


def _eigensystem(h: sp.csr_matrix, n_states: int | None):
    """Lowest ``n_states`` (or, with None, all) eigenpairs of a block.

    Dense LAPACK up to :data:`DENSE_MAX_DIM`; beyond, ``eigsh(which='SA')`` for the lowest states
    (only at T = 0: callers bound the dimension before, see :func:`_cutoff_cap`).
    """
    dim = h.shape[0]
    if dim <= DENSE_MAX_DIM:
        hd = h.toarray()
        if n_states is None or n_states >= dim:
            return np.linalg.eigh(hd)
        return sla.eigh(hd, subset_by_index=[0, n_states - 1])
    if n_states is None:
        raise ValueError(f"the full spectrum of a block of dimension {dim} > {DENSE_MAX_DIM} "
                         "(limit) is not computed; lower the phonon cutoff")
    k = min(dim - 2, max(n_states, 6))
    e, v = spla.eigsh(h, k=k, which="SA", v0=np.ones(dim) / math.sqrt(dim), tol=1e-12)
    order = np.argsort(e)
    return e[order][:n_states], v[:, order][:, :n_states]


@dataclass(frozen=True, eq=False)
class _Block:
    key: tuple[int, ...]
    n_el: int
    energies: np.ndarray
    vectors: np.ndarray  # (n_el*M, k)


def _solve_blocks(model, m_cut: int, temperature: float, n_low: int = 8) -> list[_Block]:
    blocks = []
    for key in model.ensemble_keys:
        n_el = model.indices(key).size
        if n_el == 0:
            continue
        h = _sector_hamiltonian(model, key, m_cut)
        if temperature == 0:
            k = n_low
            while True:
                e, v = _eigensystem(h, k)
                if e.size < h.shape[0] and e[-1] - e[0] < _DEGENERACY_TOL * max(1.0, abs(e[0])):
                    k *= 2
                    continue
                break
        else:
            e, v = _eigensystem(h, None)
        blocks.append(_Block(key, n_el, e, v))
    return blocks


def _populations(blocks: list[_Block], temperature: float) -> list[np.ndarray]:
    e_min = min(b.energies[0] for b in blocks)
    if temperature == 0:
        tol = _DEGENERACY_TOL * max(1.0, abs(e_min))
        w = [(b.energies - e_min < tol).astype(float) for b in blocks]
    else:
        with np.errstate(over="ignore"):  # T ≪ level spacing: the weight underflows to 0
            w = [np.exp(-(b.energies - e_min) / temperature) for b in blocks]
    z = sum(x.sum() for x in w)
    return [x / z for x in w]


# ----------------------------------------------------------------------------------------------
# Displacement distribution P(u)
# ----------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _hermite_cached(m_cut: int, x_bytes: bytes) -> np.ndarray:
    x = np.frombuffer(x_bytes, dtype=float)
    phi = np.empty((m_cut, x.size))
    with np.errstate(over="ignore"):  # |x| > 1e154: x² = inf and φ_0 = 0 exactly
        phi[0] = math.pi**-0.25 * np.exp(-0.5 * x**2)
    if m_cut > 1:
        phi[1] = math.sqrt(2.0) * x * phi[0]
    for m in range(2, m_cut):
        phi[m] = math.sqrt(2.0 / m) * x * phi[m - 1] - math.sqrt((m - 1) / m) * phi[m - 2]
    phi.setflags(write=False)
    return phi


def hermite_functions(m_cut: int, x) -> np.ndarray:
    r"""Normalized Hermite functions φ_m(x), m < M, by the stable three-term recurrence.

    .. math::

        φ_0 = π^{-1/4} e^{-x²/2},\quad φ_1 = \sqrt2\, x φ_0,\quad
        φ_m = \sqrt{2/m}\, x φ_{m-1} − \sqrt{(m-1)/m}\, φ_{m-2}

    (docs/bfm_local.md §4); ∫φ_m φ_n dx = δ_mn.

    Parameters
    ----------
    m_cut : int
        Number M ≥ 1 of functions.
    x : array_like
        Points (dimensionless oscillator coordinate x = u/√2).

    Returns
    -------
    numpy.ndarray, shape (M, len(x))
        Read-only table (cached).
    """
    if isinstance(m_cut, bool) or not isinstance(m_cut, numbers.Integral):
        raise ValueError(f"m_cut must be an integer, got {m_cut!r}")
    if not 1 <= m_cut <= MAX_CUTOFF_LIMIT:
        raise ValueError(f"m_cut must lie in [1, {MAX_CUTOFF_LIMIT}], got {m_cut}")
    try:
        x = np.ascontiguousarray(np.asarray(x, dtype=float).reshape(-1))
    except (TypeError, ValueError):
        raise ValueError("x must be an array of real numbers") from None
    if not np.all(np.isfinite(x)):
        raise ValueError("x must be finite")
    if m_cut * x.size > _HERMITE_MAX_VALUES:
        raise ValueError(f"hermite_functions: m_cut × len(x) = {m_cut * x.size} exceeds the limit "
                         f"{_HERMITE_MAX_VALUES} (memory)")
    return _hermite_cached(int(m_cut), x.tobytes())


def displacement_distribution(rho_ph: np.ndarray, u) -> np.ndarray:
    r"""Displacement distribution P(u) from the reduced phonon density matrix.

    .. math::

        P(u) = 2^{-1/2} \sum_{mm'} r_{mm'} φ_m(u/\sqrt2) φ_{m'}(u/\sqrt2)

    (docs/bfm_local.md §4), with u = a + a†, so that ∫P du = Tr r and the oscillator
    vacuum gives (2π)^{-1/2} e^{-u²/2}.

    Parameters
    ----------
    rho_ph : numpy.ndarray, shape (M, M)
        Reduced phonon density matrix r_{mm'} = Σ_n p_n Σ_f c_{fm} c*_{fm'} (real symmetric).
    u : array_like
        Dimensionless displacements.

    Returns
    -------
    numpy.ndarray
        P(u) (per unit u).
    """
    try:
        r = np.asarray(rho_ph, dtype=float)
        u = np.asarray(u, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("rho_ph and u must be arrays of real numbers") from None
    if r.ndim != 2 or r.shape[0] != r.shape[1] or r.shape[0] < 1:
        raise ValueError(f"rho_ph must be a square (M, M) matrix, got shape {r.shape}")
    if not np.all(np.isfinite(r)):
        raise ValueError("rho_ph must be finite")
    phi = hermite_functions(r.shape[0], u / math.sqrt(2.0))
    return np.einsum("mu,mn,nu->u", phi, r, phi, optimize=True) / math.sqrt(2.0)


def find_displacement_peaks(u: np.ndarray, p: np.ndarray):
    """Local maxima of P(u): positions (parabolic refinement), heights, relative prominences.

    Maxima with prominence below :data:`PEAK_NOISE_FLOOR` × max P are dropped as noise;
    "bimodal" (docs/bfm_local.md §4) means at least two maxima with relative prominence
    > :data:`BIMODAL_PROMINENCE`.

    Returns
    -------
    positions, heights, prominences_rel : tuple of numpy.ndarray
    bimodal : bool
    """
    try:
        u = np.asarray(u, dtype=float)
        p = np.asarray(p, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("u and p must be arrays of real numbers") from None
    if u.ndim != 1 or u.shape != p.shape or u.size < 3:
        raise ValueError("u and p must be 1-D arrays of the same length ≥ 3")
    if not (np.all(np.isfinite(u)) and np.all(np.isfinite(p))) or not np.all(np.diff(u) > 0):
        raise ValueError("u must be finite and increasing and p finite")
    pmax = float(p.max())
    idx, props = find_peaks(p, prominence=PEAK_NOISE_FLOOR * pmax)
    pos, hts = [], []
    du = u[1] - u[0]
    for i in idx:
        y0, y1, y2 = p[i - 1], p[i], p[i + 1]
        den = y0 - 2 * y1 + y2
        shift = 0.5 * (y0 - y2) / den if den != 0 else 0.0
        pos.append(u[i] + shift * du)
        hts.append(y1 - 0.25 * (y0 - y2) * shift)
    prom = props["prominences"] / pmax
    bimodal = int(np.sum(prom > BIMODAL_PROMINENCE)) >= 2
    return np.array(pos), np.array(hts), prom, bimodal


def _u_grid(model: _ElectronicModel, temperature: float) -> np.ndarray:
    """Grid Δu = 0.005 on [−w, 2αn_max + w], w = 6 (docs/bfm_local.md §4) widened by the thermal spread."""
    spread = 1.0
    if temperature > 0:
        x = model.omega0 / (2 * temperature)
        spread = 1.0 / math.tanh(x) if x < 350 else 1.0
    w = 6.0 * math.sqrt(spread)
    hi = 2 * model.alpha * model.n_max + w
    n = int(round((hi + w) / 0.005)) + 1
    return np.linspace(-w, hi, n)


# ----------------------------------------------------------------------------------------------
# Observables at one cutoff
# ----------------------------------------------------------------------------------------------


def _evaluate(model: _ElectronicModel, m_cut: int, temperature: float) -> dict:
    blocks = _solve_blocks(model, m_cut, temperature)
    pops = _populations(blocks, temperature)
    all_e = np.sort(np.concatenate([b.energies for b in blocks]))
    obs = {name: 0.0 for name in model.diag_obs}
    k_val = 0.0
    rho = np.zeros((m_cut, m_cut))
    n_c = 0.0
    id2_state = 0.0  # Σ_n p_n |⟨u⟩_n − 2α⟨n̂⟩_n|
    sq = np.sqrt(np.arange(1, m_cut))
    for b, p in zip(blocks, pops):
        keep = p > _POP_CUT
        if not keep.any():
            continue
        pk = p[keep]
        v = b.vectors[:, keep].reshape(b.n_el, m_cut, -1)
        prob_el = np.einsum("fmk,fmk->fk", v, v)
        idx = model.indices(b.key)
        for name, d in model.diag_obs.items():
            obs[name] += float(d[idx] @ prob_el @ pk)
        n_state = model.coupled[idx] @ prob_el
        n_c += float(n_state @ pk)
        u_state = 2.0 * np.einsum("fmk,fmk,m->k", v[:, :-1], v[:, 1:], sq)
        id2_state += float(np.abs(u_state - 2 * model.alpha * n_state) @ pk)
        kop = model.pair_op[idx][:, idx].toarray()
        kv = np.tensordot(kop, v, axes=(1, 0))
        k_val += float(np.einsum("fmk,fmk->k", v, kv) @ pk)
        w = (v * np.sqrt(pk)).transpose(1, 0, 2).reshape(m_cut, -1)
        rho += w @ w.T
    n_op, u_op = _phonon_ops(m_cut)
    u_mean = float(np.sum(rho * u_op.toarray()))
    u2_op = (u_op @ u_op).toarray()
    u2_mean = float(np.sum(rho * u2_op))
    nph = float(np.trace(rho * np.arange(m_cut)))
    return {
        "blocks": blocks,
        "pops": pops,
        "energies": all_e,
        "obs": obs,
        "pair_correlation": k_val,
        "rho": rho,
        "u_mean": u_mean,
        "u2_mean": u2_mean,
        "n_phonon_mean": nph,
        "n_coupled_mean": n_c,
        "identity2_residual": abs(u_mean - 2 * model.alpha * n_c),
        "identity2_residual_weighted": id2_state,
    }


def _compared(ev: dict) -> np.ndarray:
    e = ev["energies"]
    vals = [e[1] - e[0] if e.size > 1 else 0.0, ev["pair_correlation"], ev["u_mean"], ev["u2_mean"]]
    vals += list(ev["obs"].values())
    return np.array(vals)


def _start_cutoff(model: _ElectronicModel, temperature: float, phonon_cutoff: int | None):
    """Starting cutoff and the parameter that set it ('alpha', 'phonon_cutoff', 'temperature')."""
    lam = model.alpha * model.n_max
    m_auto, reason = math.ceil(lam**2 + 6 * lam + 10), "alpha"  # docs/bfm_local.md §4
    if phonon_cutoff is not None:
        m_auto, reason = int(phonon_cutoff), "phonon_cutoff"
    if temperature > 0:
        m_t = math.ceil(2 * temperature * _LN_BOLTZMANN / model.omega0)  # Boltzmann rule, docs/bfm_local.md §4
        if m_t > m_auto:
            logger.info("phonon cutoff raised from %d to %d by the Boltzmann criterion", m_auto, m_t)
            m_auto, reason = m_t, "temperature"
    return m_auto, reason


def _cutoff_cap(model: _ElectronicModel, temperature: float, max_cutoff: int) -> tuple[int, str]:
    """Largest phonon cutoff allowed by ``max_cutoff`` and the block-dimension limits (docs/bfm_local.md §6)."""
    n_el = max(model.indices(k).size for k in model.ensemble_keys)
    dim_limit = DENSE_MAX_DIM if temperature > 0 else GROUND_MAX_DIM
    m_dim = dim_limit // max(n_el, 1)
    if m_dim < max_cutoff:
        why = (f"block dimension {n_el} × M ≤ {dim_limit}"
               + (" at T > 0, where every block needs its full spectrum" if temperature > 0 else ""))
        return m_dim, why
    return max_cutoff, f"max_cutoff = {max_cutoff}"


def _refuse_start(model, m_start: int, reason: str, cap: int, why: str, temperature, phonon_cutoff):
    """One-line ValueError naming the parameter that needs more oscillator levels than allowed."""
    head = f"needs a phonon cutoff M = {m_start} but the limit is M ≤ {cap} ({why})"
    if reason == "phonon_cutoff":
        raise ValueError(f"phonon_cutoff = {phonon_cutoff} exceeds the limit M ≤ {cap} ({why})")
    if reason == "temperature":
        t_max_hw0 = cap / (2 * _LN_BOLTZMANN)
        raise ValueError(f"temperature = {temperature:g} {head}: temperature must be ≤ "
                         f"{t_max_hw0:.4g} ħω0 (phonon cutoff M ≥ 2T ln(1e10)/ħω0)")
    # alpha: λ² + 6λ + 10 ≤ cap with λ = α n_max
    lam_max = -3 + math.sqrt(max(cap - 1, 0))
    raise ValueError(f"alpha = {model.alpha:g} {head}: alpha must be ≤ "
                     f"{max(lam_max, 0) / model.n_max:.4g} here (M = λ² + 6λ + 10, λ = α n_max)")


def _as_finite_real(value) -> float | None:
    """float(value) for a finite real number (not bool), else None (also on overflow)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        return None
    try:
        v = float(value)
    except OverflowError:
        return None
    return v if math.isfinite(v) else None


def _validate_common(temperature, phonon_cutoff, energy_tol, observable_tol, max_cutoff):
    t = _as_finite_real(temperature)
    if t is None or t < 0:
        raise ValueError(f"temperature must be a finite number >= 0, got {temperature!r}")
    if isinstance(max_cutoff, bool) or not isinstance(max_cutoff, numbers.Integral):
        raise ValueError(f"max_cutoff must be an integer, got {max_cutoff!r}")
    if not 2 <= max_cutoff <= MAX_CUTOFF_LIMIT:
        raise ValueError(f"max_cutoff must lie in [2, {MAX_CUTOFF_LIMIT}], got {max_cutoff}")
    if phonon_cutoff is not None:
        if isinstance(phonon_cutoff, bool) or not isinstance(phonon_cutoff, numbers.Integral):
            raise ValueError(f"phonon_cutoff must be an integer, got {phonon_cutoff!r}")
        if not 2 <= phonon_cutoff <= max_cutoff:
            raise ValueError(f"phonon_cutoff (number of oscillator levels) must lie in "
                             f"[2, {max_cutoff}] (max_cutoff), got {phonon_cutoff}")
    for name, tol in (("energy_tol", energy_tol), ("observable_tol", observable_tol)):
        v = _as_finite_real(tol)
        if v is None or not 1e-14 <= v <= 1.0:
            raise ValueError(f"{name} must lie in [1e-14, 1], got {tol!r}")


def _converged_evaluation(model, temperature, phonon_cutoff, check_convergence, energy_tol,
                          observable_tol, max_cutoff):
    m_cut, reason = _start_cutoff(model, temperature, phonon_cutoff)
    cap, why = _cutoff_cap(model, temperature, max_cutoff)
    # resource bound, before anything is allocated (docs/bfm_local.md §6); the convergence check
    # also needs M + 10, so a start above cap − 10 could never be accepted
    start_cap = cap - CUTOFF_STEP if check_convergence else cap
    if m_cut > start_cap:
        _refuse_start(model, m_cut, reason, start_cap,
                      why + (", less 10 for the M + 10 check" if check_convergence else ""),
                      temperature, phonon_cutoff)
    ev = _evaluate(model, m_cut, temperature)
    conv = {"checked": bool(check_convergence), "cutoff_compared": None,
            "ground_energy_change": None, "observable_change": None}
    if not check_convergence:
        return m_cut, ev, conv
    while True:
        nxt_m = m_cut + CUTOFF_STEP
        if nxt_m > cap:
            raise ConvergenceError(
                f"phonon cutoff not converged up to M = {m_cut} (limit M ≤ {cap}: {why}); "
                f"last changes: E0 {conv['ground_energy_change']}, observables "
                f"{conv['observable_change']}"
            )
        nxt = _evaluate(model, nxt_m, temperature)
        de = abs(nxt["energies"][0] - ev["energies"][0])
        do = float(np.max(np.abs(_compared(nxt) - _compared(ev))))
        conv = {"checked": True, "cutoff_compared": nxt_m,
                "ground_energy_change": de, "observable_change": do}
        if de < energy_tol and do < observable_tol and ev["identity2_residual"] < observable_tol:
            logger.debug("phonon cutoff M = %d accepted (dE0 = %.2e, dobs = %.2e)", m_cut, de, do)
            return m_cut, ev, conv
        m_cut, ev = nxt_m, nxt


# ----------------------------------------------------------------------------------------------
# Results
# ----------------------------------------------------------------------------------------------


def _jsonable(x):
    """JSON-ready values (numpy → Python, NaN and ±inf → None)."""
    from tcpredict.provenance import jsonable

    return jsonable(x)


@dataclass(frozen=True, eq=False)
class LocalEDResult:
    r"""Exact-diagonalization result of a local model (docs/bfm_local.md §4).

    All energies (``ground_energy``, ``excitation_gap``, ``lowest_energies``, ``temperature``)
    are in ``energy_unit`` (ħω0 when omega0 = 1); u is dimensionless (u = a + a†).

    Attributes
    ----------
    model : str
        ``'site'`` or ``'cluster'``.
    parameters : dict
        Model parameters and switches (``phonon_coupling``, ``bosons``, ...).
    ensemble : dict
        ``{'type': 'canonical'|'grand_canonical', 'sectors': [...], ...}``.
    temperature : float
        T [energy unit]; 0 means the (degenerate-averaged) ground state.
    ground_energy, excitation_gap : float
        E_0 and E_1 − E_0 over the ensemble's blocks [energy unit].
    lowest_energies : numpy.ndarray
        Lowest eigenvalues (with multiplicity) [energy unit].
    weights : dict
        Site: ``weight_fermion_pair`` = ⟨Π(n_F = 2)⟩, ``weight_boson`` = ⟨n_B⟩;
        cluster: ``W0``, ``W1``, ``W2`` = ⟨Π(n_L = q)⟩.
    densities : dict
        Other diagonal averages (``n_fermion``, ``n_boson``, ``charge`` / ``n_ligand``,
        ``n_electrons``).
    pair_correlation : float
        K = ⟨ρ⁺c↓c↑⟩ (site) or K_cl = Re⟨c†_L↑c†_L↓c_s↓c_s↑⟩ (cluster).
    u_mean, u2_mean, n_phonon_mean, n_coupled_mean : float
        ⟨u⟩, ⟨u²⟩, ⟨a†a⟩ and ⟨n̂⟩ of the coupled operator.
    identity2_residual : float
        |⟨u⟩ − 2α⟨n̂⟩| of the thermal state (docs/bfm_local.md §5, identity 2), also required < ``observable_tol``
        for cutoff acceptance; ``identity2_residual_weighted`` = Σ_n p_n |⟨u⟩_n − 2α⟨n̂⟩_n| over
        the populated eigenstates.
    u_grid, p_u : numpy.ndarray
        Displacement grid and P(u).
    displacement_peaks, displacement_peak_heights, displacement_peak_prominences : numpy.ndarray
        Local maxima of P(u) (prominence relative to max P); ``bimodal`` per docs/bfm_local.md §4.
    p_u_norm_residual, p_u_mean_residual : float
        |∫P du − 1| and |∫uP du − ⟨u⟩| on the grid.
    phonon_cutoff : int
        Accepted oscillator cutoff M; ``convergence`` holds the comparison with M + 10.
    """

    model: str
    parameters: dict
    ensemble: dict
    temperature: float
    energy_unit: str
    ground_energy: float
    excitation_gap: float
    lowest_energies: np.ndarray
    weights: dict
    densities: dict
    pair_correlation: float
    u_mean: float
    u2_mean: float
    n_phonon_mean: float
    n_coupled_mean: float
    identity2_residual: float
    identity2_residual_weighted: float
    u_grid: np.ndarray
    p_u: np.ndarray
    displacement_peaks: np.ndarray
    displacement_peak_heights: np.ndarray
    displacement_peak_prominences: np.ndarray
    bimodal: bool
    p_u_norm_residual: float
    p_u_mean_residual: float
    phonon_cutoff: int
    convergence: dict
    omega0: float = 1.0

    def to_dict(self, include_distribution: bool = False) -> dict:
        """JSON-ready dict with unit-bearing keys; P(u) on its grid only if ``include_distribution``.

        Every energy is converted to units of ħω0 (key suffix ``_hw0``: value / ``omega0``),
        whatever unit the model was given in; u, P(u), weights and K are dimensionless
        (docs/bfm_local.md §7 lists the keys).
        """
        w = self.omega0
        ens = dict(self.ensemble)
        if "mu" in ens:
            ens["mu_hw0"] = ens.pop("mu") / w
        conv = dict(self.convergence)
        de = conv.pop("ground_energy_change", None)
        conv["ground_energy_change_hw0"] = None if de is None else de / w
        d = {
            "model_kind": self.model,
            "model": self.parameters,
            "ensemble": ens,
            "energy_unit": "hw0",
            "temperature_hw0": self.temperature / w,
            "ground_energy_hw0": self.ground_energy / w,
            "excitation_gap_hw0": self.excitation_gap / w,
            "lowest_energies_hw0": np.asarray(self.lowest_energies) / w,
            "weights": self.weights,
            "densities": self.densities,
            "pair_correlation": self.pair_correlation,
            "u_mean": self.u_mean,
            "u2_mean": self.u2_mean,
            "n_phonon_mean": self.n_phonon_mean,
            "n_coupled_mean": self.n_coupled_mean,
            "identity2_residual": self.identity2_residual,
            "identity2_residual_weighted": self.identity2_residual_weighted,
            "displacement_peaks": self.displacement_peaks,
            "displacement_peak_heights": self.displacement_peak_heights,
            "displacement_peak_prominences_rel": self.displacement_peak_prominences,
            "bimodal": self.bimodal,
            "p_u_norm_residual": self.p_u_norm_residual,
            "p_u_mean_residual": self.p_u_mean_residual,
            "phonon_cutoff": self.phonon_cutoff,
            "convergence": conv,
        }
        if self.model == "site":
            d["weight_fermion_pair"] = self.weights["weight_fermion_pair"]
            d["weight_boson"] = self.weights["weight_boson"]
        if include_distribution:
            d["u_grid"] = self.u_grid
            d["p_u"] = self.p_u
        return _jsonable(d)


def _build_result(model, params, ensemble_info, temperature, energy_unit, m_cut, ev, conv):
    u = _u_grid(model, temperature)
    p = displacement_distribution(ev["rho"], u)
    pos, hts, prom, bimodal = find_displacement_peaks(u, p)
    obs = ev["obs"]
    weight_names = ("weight_fermion_pair", "weight_boson") if model.kind == "site" else ("W0", "W1", "W2")
    e = ev["energies"]
    return LocalEDResult(
        model=model.kind,
        parameters=params,
        ensemble=ensemble_info,
        temperature=float(temperature),
        energy_unit=energy_unit,
        ground_energy=float(e[0]),
        excitation_gap=float(e[1] - e[0]) if e.size > 1 else float("nan"),
        lowest_energies=e[:8].copy(),
        weights={k: obs[k] for k in weight_names},
        densities={k: v for k, v in obs.items() if k not in weight_names},
        pair_correlation=ev["pair_correlation"],
        u_mean=ev["u_mean"],
        u2_mean=ev["u2_mean"],
        n_phonon_mean=ev["n_phonon_mean"],
        n_coupled_mean=ev["n_coupled_mean"],
        identity2_residual=ev["identity2_residual"],
        identity2_residual_weighted=ev["identity2_residual_weighted"],
        u_grid=u,
        p_u=p,
        displacement_peaks=pos,
        displacement_peak_heights=hts,
        displacement_peak_prominences=prom,
        bimodal=bool(bimodal),
        p_u_norm_residual=abs(float(np.trapezoid(p, u)) - 1.0),
        p_u_mean_residual=abs(float(np.trapezoid(u * p, u)) - ev["u_mean"]),
        phonon_cutoff=int(m_cut),
        convergence=conv,
        omega0=float(model.omega0),
    )


_ENSEMBLES = ("canonical", "grand_canonical")


def _check_ensemble(ensemble: str) -> None:
    if not isinstance(ensemble, str) or ensemble not in _ENSEMBLES:
        raise ValueError(f"ensemble must be one of {_ENSEMBLES}, got {ensemble!r}")


def _check_energy_arg(name: str, value, omega0: float) -> float:
    """A finite energy argument with |value| ≤ ENERGY_MAX_HW0·ħω0 (docs/bfm_local.md §6)."""
    from tcpredict.bfm.local import _check_energy

    return _check_energy(name, value, omega0)


def _check_site_args(site, ensemble, charge) -> None:
    if not isinstance(site, PolaronicSite):
        raise ValueError(f"site must be a PolaronicSite, got {type(site).__name__}")
    _check_ensemble(ensemble)
    if (isinstance(charge, bool) or not isinstance(charge, numbers.Integral)
            or charge not in (0, 1, 2, 3, 4)):
        raise ValueError(f"charge Q of the site must be an integer 0..4, got {charge!r}")


def _check_cluster_args(cluster, ensemble, mu) -> None:
    if not isinstance(cluster, LigandCluster):
        raise ValueError(f"cluster must be a LigandCluster, got {type(cluster).__name__}")
    _check_ensemble(ensemble)
    _check_energy_arg("mu", mu, cluster.omega0)


def solve_site(
    site: PolaronicSite,
    *,
    temperature: float = 0.0,
    ensemble: str = "canonical",
    charge: int = 2,
    phonon_cutoff: int | None = None,
    check_convergence: bool = True,
    energy_tol: float = 1e-8,
    observable_tol: float = 1e-6,
    max_cutoff: int = DEFAULT_MAX_CUTOFF,
) -> LocalEDResult:
    r"""Exact diagonalization of the polaronic BFM site (docs/bfm_local.md §3.1, §4).

    Parameters
    ----------
    site : PolaronicSite
        Model parameters [energy unit of ``site.omega0``].
    temperature : float
        T ≥ 0 [energy unit]; 0 gives the ground state (degenerate manifold averaged).
    ensemble : {'canonical', 'grand_canonical'}
        Canonical: the block of charge ``charge`` only (the reference table of docs/bfm_local.md §9 uses Q = 2). Grand canonical: all
        blocks Q = 0…4 of H_site, which already contains −μQ.
    charge : int
        Q of the canonical block, 0…4.
    phonon_cutoff : int, optional
        Starting oscillator cutoff M (default λ² + 6λ + 10, λ = α n_max, docs/bfm_local.md §4).
    check_convergence : bool
        Raise M in steps of 10 until E_0 changes by < ``energy_tol`` and the observables (gap,
        weights, K, ⟨u⟩, ⟨u²⟩, densities) by < ``observable_tol``.
    max_cutoff : int
        Largest M tried before :class:`ConvergenceError`.

    Returns
    -------
    LocalEDResult
    """
    _check_site_args(site, ensemble, charge)
    _validate_common(temperature, phonon_cutoff, energy_tol, observable_tol, max_cutoff)
    model = _site_model(site, ensemble, charge)
    m_cut, ev, conv = _converged_evaluation(
        model, temperature, phonon_cutoff, check_convergence, energy_tol, observable_tol, max_cutoff
    )
    ens = {"type": ensemble, "sectors": [list(k) for k in model.ensemble_keys],
           "sector_label": "Q"}
    if ensemble == "grand_canonical":
        ens["mu"] = site.mu
    return _build_result(model, site.to_dict(), ens, temperature, site.energy_unit, m_cut, ev, conv)


def solve_cluster(
    cluster: LigandCluster,
    *,
    temperature: float = 0.0,
    ensemble: str = "canonical",
    mu: float = 0.0,
    phonon_cutoff: int | None = None,
    check_convergence: bool = True,
    energy_tol: float = 1e-8,
    observable_tol: float = 1e-6,
    max_cutoff: int = DEFAULT_MAX_CUTOFF,
) -> LocalEDResult:
    r"""Exact diagonalization of the ligand cluster (docs/bfm_local.md §3.2, §4).

    Parameters
    ----------
    cluster : LigandCluster
        Model parameters [energy unit of ``cluster.omega0``]; ``n_electrons`` and ``sz`` fix the
        canonical block(s) (``sz='all'`` sums every S_z at N_e).
    temperature : float
        T ≥ 0 [energy unit].
    ensemble : {'canonical', 'grand_canonical'}
        Grand canonical: every (N_e, S_z) block of H_cl − μN_e.
    mu : float
        Chemical potential for the grand-canonical ensemble [energy unit].
    phonon_cutoff, check_convergence, energy_tol, observable_tol, max_cutoff
        As in :func:`solve_site`.

    Returns
    -------
    LocalEDResult
        ``weights`` = (W0, W1, W2) = ⟨Π(n_L = q)⟩.
    """
    _check_cluster_args(cluster, ensemble, mu)
    _validate_common(temperature, phonon_cutoff, energy_tol, observable_tol, max_cutoff)
    model = _cluster_model(cluster, ensemble, mu)
    m_cut, ev, conv = _converged_evaluation(
        model, temperature, phonon_cutoff, check_convergence, energy_tol, observable_tol, max_cutoff
    )
    ens = {"type": ensemble, "sectors": [list(k) for k in model.ensemble_keys],
           "sector_label": "(N_e, 2S_z)"}
    if ensemble == "grand_canonical":
        ens["mu"] = mu
    else:
        ens["sz"] = cluster.sz if cluster.sz == "all" else float(cluster.sz)
    return _build_result(model, cluster.to_dict(), ens, temperature, cluster.energy_unit,
                         m_cut, ev, conv)


# ----------------------------------------------------------------------------------------------
# Lehmann spectral functions
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class LehmannSpectrum:
    r"""Discrete Lehmann spectrum Σ_i w_i δ(ω − ω_i) (docs/bfm_local.md §4).

    Attributes
    ----------
    kind : str
        ``'electron'`` (A_σ, ∫ = 1), ``'pair'`` (ρ⁺ or c†_L↑c†_L↓; commutator weights,
        ∫ = 1 − 2⟨n_B⟩ or 1 − ⟨n_L⟩) or ``'phonon'`` (B_u, f-sum ∫ωB = 2ħω0).
    poles : numpy.ndarray
        ω_i, measured from the chemical potential ``mu_ref`` [energy unit].
    weights : numpy.ndarray
        w_i (negative weights occur for the commutator spectra at ω < 0).
    sum_rule : dict
        ``name``, ``expected``, ``value``, ``residual`` (checked < 1e−8 before broadening).
    mu_ref : float
        Chemical potential from which ω is measured [energy unit] (site: the μ inside H_site,
        offset 0).
    temperature : float
    phonon_cutoff : int
    energy_unit : str
    """

    kind: str
    poles: np.ndarray
    weights: np.ndarray
    sum_rule: dict
    mu_ref: float
    temperature: float
    phonon_cutoff: int
    energy_unit: str
    omega0: float = 1.0

    def broadened(self, omega, width: float, shape: str = "lorentzian") -> np.ndarray:
        r"""Σ_i w_i L(ω − ω_i) with a Lorentzian (η = width) or Gaussian (σ = width).

        L(x) = (η/π)/(x² + η²) or e^{−x²/2σ²}/(√(2π)σ); both integrate to one.

        Parameters
        ----------
        omega : array_like
            Real frequencies [energy unit].
        width : float
            η or σ > 0 [energy unit].
        shape : {'lorentzian', 'gaussian'}
        """
        if (_as_finite_real(width) or 0.0) <= 0:
            raise ValueError(f"broadening width must be a finite number > 0, got {width!r}")
        width = float(width)
        if shape not in ("lorentzian", "gaussian"):
            raise ValueError(f"shape must be 'lorentzian' or 'gaussian', got {shape!r}")
        try:
            om = np.asarray(omega, dtype=float)
        except (TypeError, ValueError):
            raise ValueError("omega must be an array of real numbers") from None
        if not np.all(np.isfinite(om)):
            raise ValueError("omega must be finite")
        flat = om.reshape(-1)
        out = np.empty(flat.size)
        chunk = max(1, _BROADEN_CHUNK // max(self.poles.size, 1))
        for s0 in range(0, flat.size, chunk):  # bounded memory: chunk × n_poles values at a time
            x = flat[s0:s0 + chunk, None] - self.poles
            if shape == "lorentzian":
                ker = (width / math.pi) / (x**2 + width**2)
            else:
                ker = np.exp(-0.5 * (x / width) ** 2) / (math.sqrt(2 * math.pi) * width)
            out[s0:s0 + chunk] = ker @ self.weights
        return out.reshape(om.shape)

    def to_dict(self) -> dict:
        """JSON-ready dict of poles, weights and the sum-rule check, energies in units of ħω0."""
        w = self.omega0
        rule = dict(self.sum_rule)
        if self.kind == "phonon":  # f-sum ∫ωB_u dω is an energy
            for k in ("expected", "value", "residual"):
                rule[k + "_hw0"] = rule.pop(k) / w
        return _jsonable({
            "kind": self.kind,
            "energy_unit": "hw0",
            "poles_hw0": self.poles / w,
            "weights": self.weights,
            "sum_rule": rule,
            "mu_ref_hw0": self.mu_ref / w,
            "temperature_hw0": self.temperature / w,
            "phonon_cutoff": self.phonon_cutoff,
        })


def _full_block(model, key, m_cut, cache):
    if key not in cache:
        idx = model.indices(key)
        if idx.size == 0:
            cache[key] = None
        else:
            dim = idx.size * m_cut
            if dim > DENSE_MAX_DIM:  # resource bound before allocating (docs/bfm_local.md §6)
                raise ValueError(
                    f"spectra need the complete spectrum of block {key} (dimension {idx.size} × "
                    f"M = {dim} > {DENSE_MAX_DIM}, the limit); lower phonon_cutoff"
                )
            h = _sector_hamiltonian(model, key, m_cut)
            e, v = np.linalg.eigh(h.toarray())
            cache[key] = _Block(key, idx.size, e, v)
    return cache[key]


def _matrix_elements(model, op_el, src: _Block, tgt: _Block, m_cut, src_cols):
    """⟨m|O⊗1|n⟩ for all target states m and the selected source states n."""
    o = op_el[model.indices(tgt.key)][:, model.indices(src.key)].toarray()
    vs = src.vectors[:, src_cols].reshape(src.n_el, m_cut, -1)
    ov = np.einsum("ab,bmk->amk", o, vs).reshape(tgt.n_el * m_cut, -1)
    return tgt.vectors.T @ ov


def _lehmann(model, m_cut, temperature, kind, mu_ref):
    cache: dict = {}
    for key in model.ensemble_keys:
        _full_block(model, key, m_cut, cache)
    blocks = [cache[k] for k in model.ensemble_keys if cache[k] is not None]
    pops = _populations(blocks, temperature)
    poles, weights = [], []
    expected = 0.0
    if kind == "phonon":
        _, u_op = _phonon_ops(m_cut)
        for b, p in zip(blocks, pops):
            keep = np.flatnonzero(p > _POP_CUT)
            v = b.vectors.reshape(b.n_el, m_cut, -1)
            uv = np.einsum("mn,fnk->fmk", u_op.toarray(), v[:, :, keep]).reshape(b.n_el * m_cut, -1)
            me = b.vectors.T @ uv  # (all m, kept n)
            om = b.energies[:, None] - b.energies[keep][None, :]
            w = me**2 * p[keep][None, :]
            poles += [om.ravel(), -om.ravel()]
            weights += [w.ravel(), -w.ravel()]
        poles = np.concatenate(poles)
        weights = np.concatenate(weights)
        value = float(np.sum(weights * poles))
        expected = 2.0 * model.omega0
        name = "f-sum ∫ω B_u dω = 2ħω0"
    else:
        op = model.operators[kind]
        sign_rem = 1.0 if op.statistics == "fermion" else -1.0
        mat = op.matrix
        for b, p in zip(blocks, pops):
            keep = np.flatnonzero(p > _POP_CUT)
            if keep.size == 0:
                continue
            prob_el = np.einsum("fmk,fmk->fk", *(2 * [b.vectors[:, keep].reshape(b.n_el, m_cut, -1)]))
            expected += float(model.sum_rule_diag[kind][model.indices(b.key)] @ prob_el @ p[keep])
            for direction, o, sgn in ((1, mat, 1.0), (-1, mat.T.tocsr(), sign_rem)):
                tkey = tuple(int(a + direction * s) for a, s in zip(b.key, op.shift))
                tgt = _full_block(model, tkey, m_cut, cache)
                if tgt is None:
                    continue
                me = _matrix_elements(model, o, b, tgt, m_cut, keep)
                de = tgt.energies[:, None] - b.energies[keep][None, :]
                om = direction * de - op.charge * mu_ref
                w = sgn * me**2 * p[keep][None, :]
                poles.append(om.ravel())
                weights.append(w.ravel())
        poles = np.concatenate(poles) if poles else np.zeros(0)
        weights = np.concatenate(weights) if weights else np.zeros(0)
        value = float(np.sum(weights))
        name = "∫A_σ dω = 1" if kind == "electron" else (
            "∫A_B dω = 1 − 2⟨n_B⟩" if model.kind == "site" else "∫A_pair dω = 1 − ⟨n_L⟩")
        if kind == "electron":
            expected = 1.0
    residual = abs(value - expected)
    if residual > SUM_RULE_TOL:
        raise SumRuleError(
            f"{kind} spectrum: sum rule {name} violated: value {value:.12g}, expected "
            f"{expected:.12g}, residual {residual:.2e} > {SUM_RULE_TOL:g} (raise the phonon cutoff)"
        )
    keep = np.abs(weights) > 1e-16
    order = np.argsort(poles[keep], kind="stable")
    return poles[keep][order], weights[keep][order], {
        "name": name, "expected": expected, "value": value, "residual": residual,
        "tolerance": SUM_RULE_TOL,
    }


_SPECTRUM_KINDS = ("electron", "pair", "phonon")


def _check_kinds(kinds) -> tuple[str, ...]:
    if isinstance(kinds, str) or not hasattr(kinds, "__iter__"):
        raise ValueError(f"kinds must be a sequence of {_SPECTRUM_KINDS}, got {kinds!r}")
    out = tuple(kinds)
    if not out:
        raise ValueError("kinds must not be empty")
    for k in out:
        if not isinstance(k, str) or k not in _SPECTRUM_KINDS:
            raise ValueError(f"spectrum kind must be one of {_SPECTRUM_KINDS}, got {k!r}")
    return out


def _spectra(model, kinds, temperature, m_cut, mu_ref, energy_unit):
    kinds = _check_kinds(kinds)
    out = {}
    for k in kinds:
        poles, weights, rule = _lehmann(model, m_cut, temperature, k, mu_ref)
        out[k] = LehmannSpectrum(k, poles, weights, rule, float(mu_ref), float(temperature),
                                 int(m_cut), energy_unit, float(model.omega0))
    return out


def site_spectra(
    site: PolaronicSite,
    *,
    temperature: float = 0.0,
    ensemble: str = "canonical",
    charge: int = 2,
    kinds=("electron", "pair", "phonon"),
    phonon_cutoff: int | None = None,
) -> dict[str, LehmannSpectrum]:
    r"""Lehmann spectra of the polaronic site (docs/bfm_local.md §4).

    A_σ(ω) = Σ_n p_n [Σ_m |⟨m|c†_σ|n⟩|² δ(ω − E_m + E_n) + Σ_m |⟨m|c_σ|n⟩|² δ(ω − E_n + E_m)],
    which equals Z⁻¹Σ(e^{−βE_n} + e^{−βE_m})|⟨m|c†_σ|n⟩|²δ(ω − E_m + E_n) in the grand-canonical
    ensemble; the pair (ρ⁺) and phonon (u) spectra carry the commutator sign. E includes −μQ, so
    ω is measured from μ. Sum rules (docs/bfm_local.md §5, identity 7) are checked to 1e−8 on the discrete weights.

    Parameters
    ----------
    site : PolaronicSite
    temperature : float
        T ≥ 0 [energy unit].
    ensemble : {'canonical', 'grand_canonical'}
    charge : int
        Q of the canonical block.
    kinds : sequence of {'electron', 'pair', 'phonon'}
    phonon_cutoff : int, optional
        Oscillator cutoff M; by default the converged cutoff of :func:`solve_site`.

    Returns
    -------
    dict of str to LehmannSpectrum
    """
    _check_site_args(site, ensemble, charge)
    kinds = _check_kinds(kinds)
    _validate_common(temperature, phonon_cutoff, 1.0, 1.0, DEFAULT_MAX_CUTOFF)
    if phonon_cutoff is None:
        phonon_cutoff = solve_site(site, temperature=temperature, ensemble=ensemble,
                                   charge=charge).phonon_cutoff
    model = _site_model(site, ensemble, charge)
    return _spectra(model, kinds, temperature, phonon_cutoff, 0.0, site.energy_unit)


def cluster_spectra(
    cluster: LigandCluster,
    *,
    temperature: float = 0.0,
    ensemble: str = "canonical",
    mu: float = 0.0,
    mu_ref: float | None = None,
    kinds=("electron", "phonon"),
    phonon_cutoff: int | None = None,
) -> dict[str, LehmannSpectrum]:
    r"""Lehmann spectra of the ligand cluster: ligand electron c†_L↑, ligand pair c†_L↑c†_L↓, u.

    Canonical (docs/bfm_local.md §4): addition poles ω = E(N+1) − E(N) − μ_ref and removal
    poles E(N) − E(N−1) − μ_ref, default μ_ref = [E_0(N+1) − E_0(N−1)]/2 (pair: 2μ_ref).
    Grand canonical: H − μN, ω measured from μ.

    Parameters
    ----------
    cluster : LigandCluster
    temperature : float
    ensemble : {'canonical', 'grand_canonical'}
    mu : float
        Chemical potential of the grand-canonical ensemble [energy unit].
    mu_ref : float, optional
        Canonical reference chemical potential [energy unit]; default mid-gap as above.
    kinds : sequence of {'electron', 'pair', 'phonon'}
        The pair spectrum needs the N_e ± 2 blocks (dimension up to 100 M for N_M = 4).
    phonon_cutoff : int, optional
        Default: the converged cutoff of :func:`solve_cluster`.

    Returns
    -------
    dict of str to LehmannSpectrum
    """
    _check_cluster_args(cluster, ensemble, mu)
    kinds = _check_kinds(kinds)
    _validate_common(temperature, phonon_cutoff, 1.0, 1.0, DEFAULT_MAX_CUTOFF)
    if mu_ref is not None:
        mu_ref = _check_energy_arg("mu_ref", mu_ref, cluster.omega0)
    if phonon_cutoff is None:
        phonon_cutoff = solve_cluster(cluster, temperature=temperature, ensemble=ensemble,
                                      mu=mu).phonon_cutoff
    model = _cluster_model(cluster, ensemble, mu)
    if ensemble == "grand_canonical":
        ref = 0.0
    elif mu_ref is not None:
        ref = float(mu_ref)
    else:
        shift = model.operators["electron"].shift
        plus, minus = [], []
        for key in model.ensemble_keys:
            for direction, acc in ((1, plus), (-1, minus)):
                tkey = tuple(int(a + direction * s) for a, s in zip(key, shift))
                if model.indices(tkey).size:
                    h = _sector_hamiltonian(model, tkey, phonon_cutoff)
                    acc.append(_eigensystem(h, 1)[0][0])
        if not plus or not minus:
            ref = 0.0
        else:
            e_plus, e_minus = min(plus), min(minus)
            ref = 0.5 * (e_plus - e_minus)
    return _spectra(model, kinds, temperature, phonon_cutoff, ref, cluster.energy_unit)


# ----------------------------------------------------------------------------------------------
# Scans and root finders
# ----------------------------------------------------------------------------------------------


def _check_interval(name: str, pair, lo: float, hi: float, unit: str = "") -> tuple[float, float]:
    """A finite interval (a0, a1) with lo ≤ a0 < a1 ≤ hi."""
    try:
        a0, a1 = (float(x) for x in pair)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a pair of numbers (a0, a1), got {pair!r}") from None
    if not (math.isfinite(a0) and math.isfinite(a1) and lo <= a0 < a1 <= hi):
        raise ValueError(f"{name} must satisfy {lo:g} <= a0 < a1 <= {hi:g}{unit}, got {pair!r}")
    return a0, a1


def _check_tol(name: str, value, lo: float = 1e-15, hi: float = 1.0) -> float:
    v = _as_finite_real(value)
    if v is None or not lo <= v <= hi:
        raise ValueError(f"{name} must lie in [{lo:g}, {hi:g}], got {value!r}")
    return v


def _check_fixed_cutoff(cluster: LigandCluster, phonon_cutoff) -> None:
    """A user-fixed cutoff of the T = 0 scans: integer in [2, MAX_CUTOFF_LIMIT], block ≤ limit."""
    if phonon_cutoff is None:
        return
    _validate_common(0.0, phonon_cutoff, 1.0, 1.0, MAX_CUTOFF_LIMIT)
    model = _cluster_model(cluster, "canonical", 0.0)
    cap, why = _cutoff_cap(model, 0.0, MAX_CUTOFF_LIMIT)
    if phonon_cutoff > cap:
        raise ValueError(f"phonon_cutoff = {phonon_cutoff} exceeds the limit M ≤ {cap} ({why})")


def _cluster_ground(cluster: LigandCluster, m_cut: int, n_states: int = 3):
    model = _cluster_model(cluster, "canonical", 0.0)
    blocks = _solve_blocks(model, m_cut, 0.0, n_low=max(n_states, 3))
    e = np.sort(np.concatenate([b.energies for b in blocks]))
    b0 = min(blocks, key=lambda b: b.energies[0])
    v = b0.vectors[:, 0].reshape(b0.n_el, m_cut)
    prob = (v**2).sum(axis=1)
    idx = model.indices(b0.key)
    w2 = float(model.diag_obs["W2"][idx] @ prob)
    return e[:n_states], w2


def cluster_resonance_alpha(
    cluster: LigandCluster,
    bracket: tuple[float, float],
    *,
    phonon_cutoff: int | None = None,
    xtol: float = 1e-9,
) -> dict:
    r"""Resonance coupling α_c where the ground-state bipolaron weight W2 = ½ (docs/bfm_local.md §4, §9).

    Brent's method on W2(α) − ½ inside ``bracket`` (the resonance is narrow, ≈ 1e−2 ħω0, so a
    bracket is required rather than a uniform α grid). The cutoff is fixed during the search
    (default: converged cutoff of :func:`solve_cluster` at the upper bracket end, the largest
    λ) and re-checked at the root.

    Parameters
    ----------
    cluster : LigandCluster
        Its ``alpha`` is ignored.
    bracket : (float, float)
        α interval with W2 − ½ of opposite signs at its ends.
    phonon_cutoff : int, optional
    xtol : float

    Returns
    -------
    dict
        ``alpha_c``, ``phonon_cutoff``, ``iterations``, and the converged :class:`LocalEDResult`
        at α_c under ``result``.
    """
    from dataclasses import replace

    from tcpredict.bfm.local import ALPHA_MAX

    _check_cluster_args(cluster, "canonical", 0.0)
    a0, a1 = _check_interval("bracket", bracket, 0.0, ALPHA_MAX)
    xtol = _check_tol("xtol", xtol)
    _check_fixed_cutoff(cluster, phonon_cutoff)
    if phonon_cutoff is None:
        phonon_cutoff = solve_cluster(replace(cluster, alpha=a1)).phonon_cutoff

    def f(a):
        return _cluster_ground(replace(cluster, alpha=a), phonon_cutoff)[1] - 0.5

    fa, fb = f(a0), f(a1)
    if fa * fb > 0:
        raise ValueError(f"W2 − 1/2 has the same sign at both ends of {bracket}: {fa:.3g}, {fb:.3g}")
    root, info = brentq(f, a0, a1, xtol=xtol, full_output=True)
    res = solve_cluster(replace(cluster, alpha=root), phonon_cutoff=phonon_cutoff)
    return {"alpha_c": float(root), "phonon_cutoff": int(phonon_cutoff),
            "iterations": int(info.iterations), "converged": bool(info.converged), "result": res}


def cluster_minimum_gap(
    cluster: LigandCluster,
    bounds: tuple[float, float],
    *,
    phonon_cutoff: int | None = None,
    xatol: float = 1e-7,
) -> dict:
    r"""Minimum over α of the ground-state splitting E_1 − E_0 (avoided crossing, docs/bfm_local.md §3.2, §9).

    Bounded Brent minimization; g_eff = (min gap)/2 (docs/bfm_local.md §3.2). Keep ``bounds`` within about the
    resonance width (≈ gap / |d(E_bip − E_pair)/dα|, e.g. ±1e−3 around α_c for t_LM ≈ 0.25):
    farther out E_1 − E_0 saturates at the next level and is no longer unimodal.

    Returns
    -------
    dict
        ``alpha_min``, ``gap_min``, ``g_eff``, ``phonon_cutoff``, ``evaluations``.
    """
    from dataclasses import replace

    from tcpredict.bfm.local import ALPHA_MAX

    _check_cluster_args(cluster, "canonical", 0.0)
    a0, a1 = _check_interval("bounds", bounds, 0.0, ALPHA_MAX)
    xatol = _check_tol("xatol", xatol)
    _check_fixed_cutoff(cluster, phonon_cutoff)
    if phonon_cutoff is None:
        phonon_cutoff = solve_cluster(replace(cluster, alpha=a1)).phonon_cutoff

    def gap(a):
        e, _ = _cluster_ground(replace(cluster, alpha=a), phonon_cutoff)
        return e[1] - e[0]

    r = minimize_scalar(gap, bounds=(a0, a1), method="bounded", options={"xatol": xatol})
    return {"alpha_min": float(r.x), "gap_min": float(r.fun), "g_eff": float(r.fun) / 2,
            "phonon_cutoff": int(phonon_cutoff), "evaluations": int(r.nfev),
            "converged": bool(r.success)}


def scan_cluster_alpha(
    cluster: LigandCluster,
    alphas,
    *,
    n_levels: int = 4,
    phonon_cutoff: int | None = None,
) -> dict:
    r"""Lowest levels E_n(α) and ground-state W2(α) on an α grid (avoided crossing, docs/bfm_local.md §8).

    The cutoff is fixed over the scan (default: converged cutoff at the largest α).

    Returns
    -------
    dict
        ``alpha`` (n,), ``levels`` (n, n_levels) [energy unit], ``W2`` (n,), ``phonon_cutoff``,
        ``omega0`` (ħω0 in the energy unit, for plotting in units of ħω0).
    """
    from dataclasses import replace

    from tcpredict.bfm.local import ALPHA_MAX

    _check_cluster_args(cluster, "canonical", 0.0)
    try:
        alphas = np.asarray(alphas, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise ValueError("alphas must be a 1-D array of real numbers") from None
    if alphas.ndim != 1 or not 1 <= alphas.size <= MAX_SCAN_POINTS:
        raise ValueError(f"alphas must be a 1-D array of 1 to {MAX_SCAN_POINTS} values")
    if not np.all(np.isfinite(alphas)) or np.any(alphas < 0) or np.any(alphas > ALPHA_MAX):
        raise ValueError(f"alphas must be finite values in [0, {ALPHA_MAX:g}]")
    if isinstance(n_levels, bool) or not isinstance(n_levels, numbers.Integral) \
            or not 1 <= n_levels <= 100:
        raise ValueError(f"n_levels must be an integer in [1, 100], got {n_levels!r}")
    _check_fixed_cutoff(cluster, phonon_cutoff)
    if phonon_cutoff is None:
        phonon_cutoff = solve_cluster(replace(cluster, alpha=float(alphas.max()))).phonon_cutoff
    levels = np.empty((alphas.size, n_levels))
    w2 = np.empty(alphas.size)
    for i, a in enumerate(alphas):
        e, w = _cluster_ground(replace(cluster, alpha=float(a)), phonon_cutoff, n_states=n_levels)
        levels[i], w2[i] = e[:n_levels], w
    return {"alpha": alphas, "levels": levels, "W2": w2, "phonon_cutoff": int(phonon_cutoff),
            "omega0": cluster.omega0}


def local_crossover_temperature(
    site: PolaronicSite,
    *,
    ensemble: str = "grand_canonical",
    charge: int = 2,
    t_bracket: tuple[float, float] | None = None,
    rtol: float = 1e-6,
) -> dict:
    r"""Local pair-formation crossover T*_loc: |K(T)| = |K(0)|/2 ([H] convention, docs/bfm_local.md §4).

    Brent's method in ln T on |K(T)| − |K(0)|/2, each K(T) with a converged phonon cutoff.

    Parameters
    ----------
    site : PolaronicSite
    ensemble : {'grand_canonical', 'canonical'}
    charge : int
        Q of the canonical block.
    t_bracket : (float, float), optional
        Temperature bracket [energy unit]; default (1e−3, 3)·ħω0.
    rtol : float
        Relative tolerance on T*_loc.

    Returns
    -------
    dict
        ``t_star_loc`` [energy unit], ``pair_correlation_zero_T``, ``iterations``.
    """
    _check_site_args(site, ensemble, charge)
    if t_bracket is None:
        t_bracket = (1e-3 * site.omega0, 3.0 * site.omega0)
    t0, t1 = _check_interval("t_bracket", t_bracket, 0.0, math.inf, " (energy unit)")
    if t0 <= 0:
        raise ValueError(f"t_bracket must satisfy 0 < t0 < t1, got {t_bracket!r}")
    rtol = _check_tol("rtol", rtol, 1e-15, 0.1)
    # the hot end is refused here, before the zero-temperature solve, if it needs too many levels
    _validate_common(t1, None, 1.0, 1.0, DEFAULT_MAX_CUTOFF)
    model = _site_model(site, ensemble, charge)
    m_hot, reason = _start_cutoff(model, t1, None)
    cap, why = _cutoff_cap(model, t1, DEFAULT_MAX_CUTOFF)
    if m_hot > cap - CUTOFF_STEP:
        _refuse_start(model, m_hot, reason, cap - CUTOFF_STEP,
                      why + ", less 10 for the M + 10 check", t1, None)
    k0 = solve_site(site, ensemble=ensemble, charge=charge).pair_correlation

    def f(log_t):
        k = solve_site(site, temperature=math.exp(log_t), ensemble=ensemble,
                       charge=charge).pair_correlation
        return abs(k) - 0.5 * abs(k0)

    fa, fb = f(math.log(t0)), f(math.log(t1))
    if fa * fb > 0:
        raise ValueError(f"|K(T)| − |K(0)|/2 does not change sign on {t_bracket}")
    root, info = brentq(f, math.log(t0), math.log(t1), rtol=rtol, full_output=True)
    return {"t_star_loc": math.exp(root), "pair_correlation_zero_T": k0,
            "iterations": int(info.iterations), "ensemble": ensemble,
            "energy_unit": site.energy_unit}
