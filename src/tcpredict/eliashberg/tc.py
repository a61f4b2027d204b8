r"""Isotropic Migdal–Eliashberg theory on the Matsubara axis: Tc and the gap.

Linearized problem (eliashberg.md §2.1). At Tc the gap equation becomes
ρ(T) φ = K(T) φ with, for n, m = 0 … N−1 (ω_n < ω_c),

.. math::

    S_{nm} = \sqrt{w_n}\,\big[λ(n−m) + λ(n+m+1) − 2μ^*(ω_c)\big]\sqrt{w_m},
    \qquad w_m = \frac{πk_BT}{Z_m ω_m},

a real symmetric matrix similar to K; Tc is the root of ρ(T) = 1 where ρ is the LARGEST ALGEBRAIC
eigenvalue (with μ* the largest-magnitude one may be negative). Z_m ω_m is the exact normal-state
value (:func:`tcpredict.eliashberg.matsubara.normal_state_zomega_meV`). The same symmetric structure holds
for a stack of proximity-coupled layers (proximity.md §5): each layer contributes a
Toeplitz + Hankel block, neighbouring layers are coupled by diagonal blocks

.. math:: S^{(jk)}_{nn} = \frac{Γ_{j←k}}{πk_BT}\sqrt{s_j/s_k}\,\sqrt{w^{(j)}_n w^{(k)}_n},

with s_j = d_j N_j and detailed balance Γ_{j←k} s_j = Γ_{k←j} s_k, and Γ_{j←k} added to
ω_n Z^{(j)}_n. :class:`LinearizedStack` implements both (a single superconductor is a stack of
one layer), with dense LAPACK for small N and a matrix-free Lanczos (ARPACK ``eigsh``, 'LA') on
FFT Toeplitz + Hankel products otherwise, so memory is O(N) and the low-Tc regime is cheap.

Cutoff convention: gap sums over |ω_m| < ω_c; Z uses the exact untruncated normal-state sum;
μ* given at an energy ω_ref is rescaled to ω_c by Morel–Anderson and both are reported.

All energies in meV, temperatures in K.
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass, field

import numpy as np
import scipy.linalg as sla
import scipy.optimize as sopt
import scipy.sparse.linalg as spla

from tcpredict.eliashberg.closed_forms import allen_dynes_tc_K
from tcpredict.eliashberg.matsubara import (
    ToeplitzHankel,
    fermion_frequencies_meV,
    kernel_sequence,
    n_matsubara,
    normal_state_zomega_meV,
    rescale_mustar,
)
from tcpredict.eliashberg.spectra import Alpha2F
from tcpredict.errors import ConvergenceError
from tcpredict.units import K_B_MEV_PER_K

log = logging.getLogger(__name__)

__all__ = [
    "ConvergenceError",
    "CouplingSetup",
    "resolve_coupling",
    "LinearizedStack",
    "pairing_eigenvalue",
    "TcResult",
    "solve_tc",
    "find_tc",
    "DENSE_MAX",
]

#: Largest total matrix size handled with dense LAPACK; above it matrix-free Lanczos is used.
DENSE_MAX = 160


# ---------------------------------------------------------------------------- μ* and cutoff
@dataclass(frozen=True)
class CouplingSetup:
    """Cutoff and Coulomb pseudopotential actually used.

    Attributes
    ----------
    cutoff_meV : float
        Matsubara cutoff ω_c [meV]; the gap sum runs over |ω_m| < ω_c.
    mustar : float
        μ* as given by the user, defined at ``mustar_at_meV``.
    mustar_at_meV : float
        Energy [meV] at which the given μ* is defined.
    mustar_at_cutoff : float
        μ*(ω_c) after Morel–Anderson rescaling (eliashberg.md §2).
    """

    cutoff_meV: float
    mustar: float
    mustar_at_meV: float
    mustar_at_cutoff: float


def resolve_coupling(spectrum: Alpha2F, mustar: float, mustar_at_meV: float | None = None,
                     cutoff_meV: float | None = None) -> CouplingSetup:
    """Apply the defaults of eliashberg.md §2 and rescale μ* to the cutoff.

    Defaults: ω_c = 10 Ω_max, μ* defined at Ω_max, where Ω_max is the largest Ω with α²F above
    1 % of its peak (:attr:`Alpha2F.omega_max_meV`).
    """
    if not np.isfinite(mustar) or mustar < 0:
        raise ValueError(f"μ* must be ≥ 0, got {mustar}")
    om = spectrum.omega_max_meV
    cutoff = 10.0 * om if cutoff_meV is None else float(cutoff_meV)
    at = om if mustar_at_meV is None else float(mustar_at_meV)
    if not np.isfinite(cutoff) or cutoff <= 0:
        raise ValueError(f"cutoff must be > 0 meV, got {cutoff}")
    if not np.isfinite(at) or at <= 0:
        raise ValueError(f"the energy at which μ* is defined must be > 0 meV, got {at}")
    return CouplingSetup(cutoff, float(mustar), at, rescale_mustar(mustar, at, cutoff))


# ---------------------------------------------------------------------------- the operator
class LinearizedStack:
    r"""Linearized (Tc) Eliashberg problem of one superconductor or a proximity-coupled stack.

    Parameters
    ----------
    spectra : sequence of Alpha2F
        α²F of each layer (one entry for a single superconductor).
    mustar_at_cutoff : sequence of float
        μ*_j(ω_c) of each layer, already defined at ``cutoff_meV``.
    cutoff_meV : float
        Common Matsubara cutoff ω_c [meV].
    gammas_meV : sequence of float, optional
        Γ felt by layer i from layer i+1, for each interface i = 0 … L−2 (proximity.md §1).
    weights : sequence of float, optional
        s_j = d_j N_j(E_F) (any consistent unit); fixes the reverse rates by detailed balance
        Γ_{i+1←i} = Γ_{i←i+1} s_i / s_{i+1} (proximity.md §2). Required when L > 1.
    kernel_fn : callable, optional
        ``kernel_fn(j, temperature_K, kmax) -> λ_j(ν_k), k < kmax``; replaces
        :func:`~tcpredict.eliashberg.matsubara.kernel_sequence` (e.g. to reuse a cached bulk kernel scaled by
        a thickness factor). The spectra are then used only for their moments.
    normal_state_fn : callable, optional
        ``normal_state_fn(j, temperature_K, n, lam_seq_j) -> (zw_meV, w)`` or None per layer:
        overrides the constant-DOS normal state ω_n Z_n and pairing weights w_n of layer j (used
        for an energy-dependent DOS, eliashberg.md §3, where w_n = k_BT ∫dξ ñ(ξ)/Θ_n(ξ)). The
        proximity Γ must then be included by the callable itself.

    Notes
    -----
    The class is a pure function of its inputs; :meth:`eigen` returns the largest algebraic
    eigenvalue ρ(T) of the symmetric matrix S(T) of the module docstring and its eigenvector.
    """

    def __init__(self, spectra, mustar_at_cutoff, cutoff_meV: float, gammas_meV=(),
                 weights=None, kernel_fn=None,
                 normal_state_fn=None, smooth_cutoff: bool = False):
        self.spectra = list(spectra)
        self.layers = len(self.spectra)
        if self.layers < 1:
            raise ValueError("need at least one layer")
        self.mustar = np.asarray(mustar_at_cutoff, dtype=float).reshape(-1)
        if self.mustar.size != self.layers:
            raise ValueError("one μ* per layer is required")
        if np.any(self.mustar < 0):
            raise ValueError("μ* must be ≥ 0")
        self.cutoff_meV = float(cutoff_meV)
        g = np.asarray(gammas_meV, dtype=float).reshape(-1)
        if g.size != self.layers - 1:
            raise ValueError(f"{self.layers} layers need {self.layers - 1} interface Γ values")
        if np.any(g < 0) or not np.all(np.isfinite(g)):
            raise ValueError("Γ must be finite and ≥ 0 meV")
        self.gammas_meV = g
        if self.layers > 1:
            if weights is None:
                raise ValueError("a stack needs the weights s_j = d_j N_j for detailed balance")
            s = np.asarray(weights, dtype=float).reshape(-1)
            if s.size != self.layers or np.any(s <= 0):
                raise ValueError("weights s_j = d_j N_j must be > 0, one per layer")
        else:
            s = np.ones(1)
        self.weights = s
        self.kernel_fn = kernel_fn
        self.smooth_cutoff = bool(smooth_cutoff)
        self.normal_state_fn = normal_state_fn
        # Γ_{i←i+1} (forward, given) and Γ_{i+1←i} (from detailed balance)
        self.gamma_fwd = g
        self.gamma_bwd = g * s[:-1] / s[1:] if self.layers > 1 else g

    def gamma_total_meV(self) -> np.ndarray:
        """Σ of the Γ felt by each layer from its neighbours [meV] (enters ω_n Z_n)."""
        tot = np.zeros(self.layers)
        tot[:-1] += self.gamma_fwd
        tot[1:] += self.gamma_bwd
        return tot

    def setup(self, temperature_K: float):
        """Grid, kernels and normal-state weights at temperature T.

        Returns a dict with ``n`` (N), ``t`` (k_BT, meV), ``th`` (:class:`ToeplitzHankel`),
        ``w`` (weights w^{(j)}_n, shape (L, N)), ``zw`` (ω_n Z_n, shape (L, N)).
        """
        n = n_matsubara(temperature_K, self.cutoff_meV)
        t = K_B_MEV_PER_K * temperature_K
        cell = np.ones(n)
        if self.smooth_cutoff:  # fraction of each Matsubara cell below ω_c; one extra frequency
            n += 1
            wm = fermion_frequencies_meV(temperature_K, n)
            cell = np.clip((self.cutoff_meV - wm + np.pi * t) / (2.0 * np.pi * t), 0.0, 1.0)
        if self.kernel_fn is None:
            lam = np.vstack([kernel_sequence(sp, temperature_K, 2 * n) for sp in self.spectra])
        else:
            lam = np.vstack([self.kernel_fn(j, temperature_K, 2 * n)
                             for j in range(self.layers)])
        zw = normal_state_zomega_meV(lam, temperature_K, n) + self.gamma_total_meV()[:, None]
        w = np.pi * t / zw * cell
        mustar = self.mustar
        if self.normal_state_fn is not None:
            zw, w = zw.copy(), w.copy()
            for j in range(self.layers):
                out = self.normal_state_fn(j, temperature_K, n, lam[j])
                if out is not None:
                    zw[j], w[j] = out[0], out[1] * cell
        return {"n": n, "t": t, "lam": lam, "th": ToeplitzHankel(lam, n), "cell": cell,
                "w": w, "zw": zw, "temperature_K": temperature_K, "mustar": mustar}

    # -- symmetric operator ------------------------------------------------------
    def _couplings(self, st) -> np.ndarray:
        """Diagonal inter-layer blocks c_i(n) between layers i and i+1, shape (L−1, N)."""
        if self.layers == 1:
            return np.zeros((0, st["n"]))
        w = st["w"]
        s = self.weights
        pref = self.gamma_fwd * np.sqrt(s[:-1] / s[1:]) / (np.pi * st["t"])
        return pref[:, None] * np.sqrt(w[:-1] * w[1:])

    def dense_matrix(self, st) -> np.ndarray:
        """The full symmetric matrix S (size L·N) — for small problems and tests."""
        n, L = st["n"], self.layers
        sq = np.sqrt(st["w"])
        blocks = st["th"].dense(1.0) - 2.0 * st["mustar"][:, None, None]
        S = np.zeros((L * n, L * n))
        for j in range(L):
            S[j * n:(j + 1) * n, j * n:(j + 1) * n] = sq[j][:, None] * blocks[j] * sq[j][None, :]
        c = self._couplings(st)
        idx = np.arange(n)
        for i in range(L - 1):
            S[i * n + idx, (i + 1) * n + idx] = c[i]
            S[(i + 1) * n + idx, i * n + idx] = c[i]
        return S

    def matvec(self, st, x: np.ndarray) -> np.ndarray:
        """S x without forming S (O(L N log N))."""
        n, L = st["n"], self.layers
        X = x.reshape(L, n)
        sq = np.sqrt(st["w"])
        y = sq * X
        Y = st["th"].matvec(y) - 2.0 * st["mustar"][:, None] * y.sum(axis=1, keepdims=True)
        Y *= sq
        c = self._couplings(st)
        if L > 1:
            Y[:-1] += c * X[1:]
            Y[1:] += c * X[:-1]
        return Y.reshape(-1)

    def eigen(self, temperature_K: float, v0: np.ndarray | None = None, tol: float = 1e-10,
              setup: dict | None = None):
        """Largest algebraic eigenvalue ρ(T) of S and its normalised eigenvector.

        ``setup`` may pass the result of :meth:`setup` at the same temperature (avoids
        rebuilding the kernel when the caller already has it).

        Returns
        -------
        rho : float
        vec : ndarray, shape (L, N)
            Eigenvector in the symmetric representation (sign fixed so its sum is > 0).
        info : dict
            ``n_matsubara``, ``method`` ('dense' or 'lanczos'), ``residual`` ‖Sv − ρv‖.
        """
        st = self.setup(temperature_K) if setup is None else setup
        n, L = st["n"], self.layers
        size = n * L
        if size <= DENSE_MAX:
            S = self.dense_matrix(st)
            vals, vecs = sla.eigh(S, subset_by_index=[size - 1, size - 1])
            rho, v = float(vals[0]), vecs[:, 0]
            method = "dense"
        else:
            op = spla.LinearOperator((size, size), matvec=lambda x: self.matvec(st, x),
                                     dtype=float)
            start = None
            if v0 is not None and v0.size == size:
                start = v0.reshape(-1)
            elif v0 is not None:
                start = _regrid(v0, size // L, L)
            if start is None:
                start = np.tile(np.sqrt(st["w"][0]), L)
            try:
                vals, vecs = spla.eigsh(op, k=1, which="LA", v0=start, tol=tol,
                                        ncv=min(size, 24), maxiter=20000)
            except spla.ArpackNoConvergence as exc:  # pragma: no cover - reported to the user
                raise ConvergenceError(
                    f"Lanczos did not converge at T = {temperature_K:g} K (N = {n})") from exc
            rho, v = float(vals[0]), vecs[:, 0]
            method = "lanczos"
        if v.sum() < 0:
            v = -v
        res = float(np.linalg.norm(self.matvec(st, v) - rho * v))
        return rho, v.reshape(L, n), {"n_matsubara": n, "method": method, "residual": res}


def _regrid(v: np.ndarray, n_new: int, layers: int) -> np.ndarray:
    """Interpolate an eigenvector from its old Matsubara grid to n_new points per layer.

    The symmetric eigenvector varies smoothly in the index fraction n/N near the root; linear
    interpolation in the fraction is a good Lanczos start vector.
    """
    v = np.asarray(v).reshape(layers, -1)
    n_old = v.shape[1]
    xo = (np.arange(n_old) + 0.5) / n_old
    xn = (np.arange(n_new) + 0.5) / n_new
    out = np.vstack([np.interp(xn, xo, row) for row in v])
    return out.reshape(-1)


def pairing_eigenvalue(spectrum: Alpha2F, temperature_K: float, mustar_at_cutoff: float,
                       cutoff_meV: float) -> float:
    """Largest algebraic eigenvalue ρ(T) of the linearized gap equation (eliashberg.md §2.1).

    μ* must already be defined at ``cutoff_meV``. ρ > 1 means T < Tc.
    """
    rho, _, _ = LinearizedStack([spectrum], [mustar_at_cutoff], cutoff_meV).eigen(temperature_K)
    return rho


# ---------------------------------------------------------------------------- root finding
def find_tc(problem: LinearizedStack, t_guess_K: float, t_min_K: float, rtol: float = 1e-4,
            t_max_K: float = 1e4):
    """Tc as the root of ρ(T) = 1, bracketing automatically from ``t_guess_K``.

    Returns
    -------
    tc_K : float or None
        None when ρ(T_min) < 1 ("no superconductivity above T_min").
    info : dict
        Evaluations, bracket, final N, solver, residuals.
    """
    if t_min_K <= 0:
        raise ValueError("t_min_K must be > 0 K")
    cache: dict[float, float] = {}
    state = {"v": None, "info": None, "evals": 0}

    def rho(T: float) -> float:
        if T in cache:
            return cache[T]
        r, v, info = problem.eigen(T, v0=state["v"])
        state.update(v=v, info=info, evals=state["evals"] + 1)
        cache[T] = r
        return r

    T = min(max(t_guess_K, t_min_K), t_max_K)
    r = rho(T)
    factor = 1.6
    if r >= 1.0:
        lo, hi = T, None
        while hi is None:
            T2 = T * factor
            if T2 > t_max_K:
                raise ConvergenceError(f"ρ(T) ≥ 1 up to {t_max_K} K: no upper bracket for Tc")
            if rho(T2) < 1.0:
                hi = T2
            else:
                lo, T = T2, T2
    else:
        hi, lo = T, None
        while lo is None:
            if T <= t_min_K:
                return None, {"evaluations": state["evals"], "rho_at_t_min": cache[T],
                              "n_matsubara": state["info"]["n_matsubara"],
                              "method": state["info"]["method"]}
            T2 = max(T / factor, t_min_K)
            if rho(T2) >= 1.0:
                lo = T2
            else:
                hi, T = T2, T2
            factor = min(factor * 1.5, 4.0)
    f = lambda x: math.log(rho(math.exp(x)))  # noqa: E731  smooth, nearly linear in ln T
    x, res = sopt.brentq(f, math.log(lo), math.log(hi), xtol=rtol / 4, rtol=1e-12,
                         full_output=True)
    if not res.converged:  # pragma: no cover
        raise ConvergenceError("Tc root finding did not converge")
    tc = math.exp(x)
    info = dict(state["info"])
    info.update(evaluations=state["evals"], bracket_K=(lo, hi), brent_iterations=res.iterations,
                rho_at_tc=cache.get(tc, math.nan))
    return tc, info


# ---------------------------------------------------------------------------- result
@dataclass(frozen=True)
class TcResult:
    """Critical temperature of one superconductor, with its inputs and convergence data.

    ``tc_K`` is None when there is no superconductivity above ``t_min_K``.
    """

    tc_K: float | None
    t_min_K: float
    lam: float
    omega_log_meV: float
    omega2_meV: float
    allen_dynes_K: float
    mustar: float
    mustar_at_meV: float
    mustar_at_cutoff: float
    cutoff_meV: float
    rtol: float
    n_matsubara: int
    eigen_method: str
    evaluations: int
    eigen_residual: float
    spectrum_source: str
    cutoff_convention: str = "gap sum over |ω_m| < ω_c; Z from the exact normal-state sum"
    notes: tuple = field(default_factory=tuple)

    def to_dict(self) -> dict:
        """JSON-ready dict with unit-bearing keys (``lambda`` for λ)."""
        d = asdict(self)
        d["lambda"] = d.pop("lam")
        d["notes"] = list(self.notes)
        return d


def solve_tc(spectrum: Alpha2F, mustar: float, *, mustar_at_meV: float | None = None,
             cutoff_meV: float | None = None, t_min_K: float = 0.01, rtol: float = 1e-4,
             t_guess_K: float | None = None) -> TcResult:
    """Critical temperature [K] from the linearized isotropic Eliashberg equations.

    Parameters
    ----------
    spectrum : Alpha2F
        Eliashberg function α²F(Ω).
    mustar : float
        Coulomb pseudopotential μ* ≥ 0 defined at ``mustar_at_meV``.
    mustar_at_meV : float, optional
        Energy [meV] at which μ* is defined (default Ω_max, the top of the spectrum).
    cutoff_meV : float, optional
        Matsubara cutoff ω_c [meV] (default 10 Ω_max). μ* is rescaled to it (Morel–Anderson).
    t_min_K : float
        Lowest temperature [K] searched; below it the result is "no superconductivity above
        T_min" (``tc_K = None``), not an error.
    rtol : float
        Relative accuracy of Tc (default 1e-4).
    t_guess_K : float, optional
        Starting point of the bracket search (default: Allen–Dynes, or Ω_log/50).

    Returns
    -------
    TcResult

    Notes
    -----
    Tc is the root of ρ(T) = 1, ρ the largest algebraic eigenvalue of the symmetric kernel of
    eliashberg.md §2.1, found by automatic bracketing and Brent's method on ln ρ(ln T).
    """
    if not isinstance(spectrum, Alpha2F):
        raise TypeError("spectrum must be an Alpha2F")
    if not (0 < rtol < 0.1):
        raise ValueError("rtol must be in (0, 0.1)")
    if not np.isfinite(t_min_K) or t_min_K <= 0:
        raise ValueError(f"t_min_K must be > 0 K, got {t_min_K}")
    cs = resolve_coupling(spectrum, mustar, mustar_at_meV, cutoff_meV)
    lam, wlog, w2 = spectrum.lam, spectrum.omega_log_meV, spectrum.omega2_meV
    ad = float(allen_dynes_tc_K(lam, wlog, w2, mustar))
    if cs.cutoff_meV < 2.0 * spectrum.omega_max_meV:
        log.warning("cutoff %.3g meV is below 2 Ω_max = %.3g meV: Tc will not be converged",
                    cs.cutoff_meV, 2 * spectrum.omega_max_meV)
    if t_guess_K is None:
        t_guess_K = ad if ad > 0 else wlog / K_B_MEV_PER_K / 50.0
    prob = LinearizedStack([spectrum], [cs.mustar_at_cutoff], cs.cutoff_meV)
    tc, info = find_tc(prob, t_guess_K, t_min_K, rtol)
    return TcResult(
        tc_K=tc, t_min_K=t_min_K, lam=lam, omega_log_meV=wlog, omega2_meV=w2,
        allen_dynes_K=ad, mustar=cs.mustar, mustar_at_meV=cs.mustar_at_meV,
        mustar_at_cutoff=cs.mustar_at_cutoff, cutoff_meV=cs.cutoff_meV, rtol=rtol,
        n_matsubara=info["n_matsubara"], eigen_method=info["method"],
        evaluations=info["evaluations"], eigen_residual=float(info.get("residual", math.nan))
        if "residual" in info else math.nan,
        spectrum_source=spectrum.source)
