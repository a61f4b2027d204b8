r"""Sensitivities of Tc from the linearized eigen-problem at Tc (docs/uncertainty.md §2–§3).

Tc is the root of ρ(T; p) = 1, ρ the largest eigenvalue of the symmetric operator S of
:mod:`tcpredict.eliashberg.operator`. Implicit differentiation gives, for any parameter p,

.. math::  \frac{d\ln T_c}{dp} = -\frac{∂ρ/∂p}{dρ/d\ln T}\Big|_{T_c},

and because S is symmetric, ∂ρ/∂p = vᵀ(∂S/∂p)v with the normalised leading eigenvector v
(Hellmann–Feynman; e.g. R. P. Feynman, Phys. Rev. 56, 340 (1939)). Write S = D M D with
D = diag √(c_n πk_BT/(Z_nω_n)) (c_n the Nyström weight, 1 on the full grid) and M holding the
kernel λ(n−m) + λ(n+m+1) − 2μ*(ω_c) in each layer block and the local proximity coupling
between blocks. Then, exactly (docs/uncertainty.md §2):

- α²F_j → (1+ε)α²F_j of one layer (or one part of a Cooper-limit channel): λ_j(ν) and the
  phonon part of Z_jω_n scale together, so

  .. math::  \frac{∂ρ}{∂ε} = y_jᵀ Λ_j y_j − ρ\sum_n a_{j,n} v_{j,n}^2,\qquad
             y = Dv,\quad a_{j,n} = \frac{∂(Z_{j,n}ω_n)/∂ε}{Z_{j,n}ω_n},

  Λ_j the phonon part of the kernel matrix; the second term is the change of the weights
  D through Z ("w = πT/(Zω)" differentiated exactly, not by finite differences);
- μ*_j(ω_c): ∂ρ/∂μ*_j = −2(Σ_n y_{j,n})².

**The cutoff steps.** With a sharp cutoff the number N of Matsubara frequencies below ω_c is
N(T) ≈ ω_c/(2πk_BT) + ½, so ρ(T) is a staircase: smooth at fixed N, with a jump each time a
frequency crosses ω_c. The jumps are not negligible: moving the cutoff at fixed μ*(ω_c) is a
change of μ* in the Morel–Anderson sense, and at fixed N the T-derivative silently moves the
cutoff with T. Measured on Al (N = 654): d ln Tc/dε = 8.47 at fixed N against 5.90 on the
envelope, and finite differences of Tc over many steps give 5.89–5.97. Tc is therefore
differentiated along the envelope of the staircase, N treated as continuous:

.. math::  \frac{dρ}{d\ln T} = \frac{∂ρ}{∂\ln T}\Big|_N + \frac{dN}{d\ln T}\frac{∂ρ}{∂N},
           \qquad \frac{dN}{d\ln T} = -\frac{ω_c}{2πk_BT},

with ∂ρ/∂ln T|_N a central difference (relative step :data:`STEP_LN_T`) at fixed N (the operator
rebuilt with the cutoff 2πk_BT·N, the same μ*(ω_c)) and ∂ρ/∂N = [ρ(N+1) − ρ(N−1)]/2 at fixed T
(one-sided where N ± 1 would switch between the exact and the compressed grid). With the smooth
cutoff of the full grid there are no steps and the plain central difference in T is used.
The parameter derivatives ∂ρ/∂p are those of the same N (the envelope's, at integer N).

Cost: one eigen-solve for v plus four for dρ/d ln T, whatever the number of parameters. With an
energy-dependent DOS (docs/eliashberg.md §3) the normal state is a self-consistent solution, so
∂ρ/∂ε is a central difference of ρ at fixed T (relative step :data:`STEP_LAMBDA_FD`) instead.

All energies in meV, temperatures in K.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg as sla

from tcpredict.eliashberg.kernels import ScaledKernel, SumKernel
from tcpredict.eliashberg.matsubara import (
    ToeplitzHankel,
    compressed_nodes,
    fermion_frequencies_meV,
    normal_state_zomega_meV,
)
from tcpredict.eliashberg.operator import (CompressedGrid, LinearizedOperator, normal_z_omega,
                                           peak_correction)
from tcpredict.units import K_B_MEV_PER_K

__all__ = ["EigenDerivatives", "eigen_derivatives", "tc_sensitivity", "mustar_chain", "STEP_LN_T",
           "STEP_LAMBDA_FD"]

#: Relative temperature step of the central difference ∂ρ/∂ln T at fixed N (ρ is smooth in T at
#: fixed N: measured curvature error < 1e-8, round-off < 1e-9 relative).
STEP_LN_T = 1e-4
#: Relative step of the central difference ∂ρ/∂ε used with an energy-dependent DOS.
STEP_LAMBDA_FD = 1e-5


@dataclass(frozen=True)
class EigenDerivatives:
    """Derivatives of the pairing eigenvalue ρ at one temperature (docs/uncertainty.md §2).

    Attributes
    ----------
    temperature_K : float
    rho : float
        ρ(T) (≈ 1 at Tc).
    drho_dlnT : float
        dρ/d ln T on the envelope of the cutoff staircase (used for d ln Tc/dp).
    drho_dlnT_fixed_n : float
        ∂ρ/∂ln T at fixed N (the smooth pieces of the staircase).
    drho_dn : float
        ∂ρ/∂N at fixed T (0 with the smooth cutoff).
    dn_dlnT : float
        −ω_c/(2πk_BT) (0 with the smooth cutoff).
    n_matsubara : int
        N at T.
    drho_dlnlam : ndarray
        ∂ρ/∂ε per channel for α²F → (1+ε)α²F of the whole channel.
    drho_dmustar_cutoff : ndarray
        ∂ρ/∂μ*(ω_c) per channel.
    drho_dlnlam_parts : list of ndarray
        Per channel, ∂ρ/∂ε for each part of a summed (Cooper-limit) kernel, in the order of
        ``SumKernel.parts``; one entry equal to ``drho_dlnlam[j]`` for a single kernel.
    evaluations : int
        Eigen-solves used.
    """

    temperature_K: float
    rho: float
    drho_dlnT: float
    drho_dlnT_fixed_n: float
    drho_dn: float
    dn_dlnT: float
    n_matsubara: int
    drho_dlnlam: np.ndarray
    drho_dmustar_cutoff: np.ndarray
    drho_dlnlam_parts: list = field(default_factory=list)
    evaluations: int = 0

    def dlntc(self, drho_dp) -> float:
        """d ln Tc/dp = −(∂ρ/∂p)/(dρ/d ln T) on the envelope (NaN when the slope is not < 0)."""
        s = self.drho_dlnT
        if not (math.isfinite(s) and s < 0):
            return math.nan
        return float(-np.asarray(drho_dp) / s) if np.ndim(drho_dp) == 0 else -np.asarray(
            drho_dp, dtype=float) / s

    def dlntc_fixed_n(self, drho_dp) -> float:
        """d ln Tc/dp on the smooth piece at fixed N (for tests and docs/uncertainty.md §3)."""
        s = self.drho_dlnT_fixed_n
        return float(-drho_dp / s) if s < 0 else math.nan


def mustar_chain(mustar: float, mustar_at_cutoff: float) -> float:
    r"""dμ*(ω_c)/dμ* for μ* given at a reference energy and rescaled by Morel–Anderson.

    μ*(ω_c) = μ*/[1 + μ* ln(ω_ref/ω_c)] (docs/eliashberg.md §2) gives
    dμ*(ω_c)/dμ* = 1/[1 + μ* ln(ω_ref/ω_c)]² = (μ*(ω_c)/μ*)², and 1 at μ* = 0.
    """
    if mustar <= 0:
        return 1.0
    return float((mustar_at_cutoff / mustar) ** 2)


def _parts(kernel):
    """[(coefficient, kernel)] of a summed kernel; None for a single kernel."""
    if isinstance(kernel, SumKernel) and len(kernel.parts) > 1:
        return kernel.parts
    return None


def _rebuild(op: LinearizedOperator, cutoff_meV: float, kernels=None, normal_state_fn=None):
    """The same problem with another cutoff (μ*(ω_c) unchanged) and optionally other kernels.

    With the same kernels the new operator starts its eigen-solves from ``op``'s last
    eigenvector (a Lanczos warm start; the result is checked by its residual)."""
    new = LinearizedOperator(op.kernels if kernels is None else kernels, op.mustar, cutoff_meV,
                             op.gamma_fwd, op.weights, grid=op.grid,
                             normal_state_fn=(op.normal_state_fn if normal_state_fn is None
                                              else normal_state_fn),
                             smooth_cutoff=op.smooth_cutoff)
    if kernels is None and normal_state_fn is None:
        new._warm = op._warm
    return new


def _cutoff_for(temperature_K: float, n: int) -> float:
    """A cutoff with exactly n Matsubara frequencies below it at T: 2πk_BT·n lies halfway
    between ω_{n−1} and ω_n."""
    return 2.0 * math.pi * K_B_MEV_PER_K * temperature_K * n


def _grid_kind(op: LinearizedOperator, temperature_K: float, n: int) -> bool:
    """True when the compressed grid really compresses at (T, N) (False: exact integers)."""
    g = op.grid
    if not isinstance(g, CompressedGrid):
        return False
    x, _, nf = compressed_nodes(temperature_K, _cutoff_for(temperature_K, n), op.panel_meV(),
                                n_exact=g.n_exact, n_head=g.n_head, order=g.order,
                                free_meV=op.free_meV(), growth=g.tail_growth)
    return x.size < nf


def _compressed_terms(op: LinearizedOperator, T: float):
    S, g = op.compressed_matrix(T)
    m = S.shape[0]
    vals, vecs = sla.eigh(S, subset_by_index=[m - 1, m - 1], driver="evx")
    rho, v = float(vals[0]), vecs[:, 0]
    if v.sum() < 0:
        v = -v
    L = op.layers
    x, c, zw, n_full = g["x"], g["c"], g["zw"], int(g["n_full"])
    n = x.size
    V = v.reshape(L, n)
    t = K_B_MEV_PER_K * T
    D = np.sqrt(c * np.pi * t / zw)
    Y = D * V
    sums = Y.sum(axis=1)
    omega = np.pi * t * (2.0 * x + 1.0)
    gt = op.gamma_total_meV()
    a = (zw - omega - gt[:, None]) / zw  # docs/uncertainty.md §2: (∂Zω/∂ε)/(Zω), whole kernel
    dlam = np.empty(L)
    parts_out = []
    for j in range(L):
        blk = S[j * n:(j + 1) * n, j * n:(j + 1) * n]
        expl = float(V[j] @ blk @ V[j]) + 2.0 * op.mustar[j] * sums[j] ** 2
        dlam[j] = expl - rho * float((a[j] * V[j] ** 2).sum())
        pp = _parts(op.kernels[j])
        if pp is None:
            parts_out.append(np.array([dlam[j]]))
            continue
        dif = 2.0 * np.pi * t * np.abs(x[:, None] - x[None, :])
        som = 2.0 * np.pi * t * (x[:, None] + x[None, :] + 1.0)
        grid = op.grid if isinstance(op.grid, CompressedGrid) else CompressedGrid()
        vals_p = []
        h = grid.n_head
        for cp, kp in pp:
            ld = cp * kp(dif)
            K = ld + cp * kp(som)
            if n < n_full:  # the peak correction of the operator (docs/eliashberg.md §2.5)
                corr = peak_correction(ScaledKernel(kp, cp), x, c, t, h, n_full,
                                       ld[h:, h:] @ c[h:])
                K[np.arange(h, n), np.arange(h, n)] += corr
            # the part's share of ωZ (docs/eliashberg.md §2.5), as the operator computes it
            dzw = normal_z_omega([ScaledKernel(kp, cp)], T, x, n_full, grid.n_head) - omega
            vals_p.append(float(Y[j] @ K @ Y[j]) - rho * float((dzw / zw[j] * V[j] ** 2).sum()))
        parts_out.append(np.array(vals_p))
    return rho, n_full, dlam, -2.0 * sums ** 2, parts_out


def _full_terms(op: LinearizedOperator, T: float):
    st = op.setup(T)
    rho, V, _ = op.eigen(T, setup=st)
    n, L = st["n"], op.layers
    w, zw = st["w"], st["zw"]
    Y = np.sqrt(w) * V
    sums = Y.sum(axis=1)
    dmu = -2.0 * sums ** 2
    n_below = op.n_matsubara(T)
    if op.normal_state_fn is not None:
        return rho, n_below, None, dmu, None
    TY = st["th"].matvec(Y)
    omega = fermion_frequencies_meV(T, n)
    gt = op.gamma_total_meV()
    a = (zw - omega[None, :] - gt[:, None]) / zw
    dlam = (Y * TY).sum(axis=1) - rho * (a * V ** 2).sum(axis=1)
    parts_out = []
    for j in range(L):
        pp = _parts(op.kernels[j])
        if pp is None:
            parts_out.append(np.array([dlam[j]]))
            continue
        vals_p = []
        for cp, kp in pp:
            lk = cp * kp.on_matsubara(T, 2 * n)
            ty = ToeplitzHankel(lk, n).matvec(Y[j])
            dzw = normal_state_zomega_meV(lk, T, n) - omega
            vals_p.append(float(Y[j] @ ty) - rho * float((dzw / zw[j] * V[j] ** 2).sum()))
        parts_out.append(np.array(vals_p))
    return rho, n_below, dlam, dmu, parts_out


def _fd_lambda_dos(op: LinearizedOperator, T: float) -> tuple[np.ndarray, int]:
    """∂ρ/∂ε per layer by a central difference at fixed T, for an energy-dependent DOS (the
    normal-state λ of :class:`~tcpredict.eliashberg.energy_dos.DOSNormalState` is scaled too)."""
    from tcpredict.eliashberg.energy_dos import DOSNormalState

    ns = op.normal_state_fn
    if not isinstance(ns, DOSNormalState):
        raise ValueError("sensitivities with a custom normal_state_fn are not supported "
                         "(only DOSNormalState)")
    h = STEP_LAMBDA_FD
    out = np.empty(op.layers)
    for j in range(op.layers):
        r = []
        for s in (1.0 + h, 1.0 - h):
            kern = [k.scaled(s) if i == j else k for i, k in enumerate(op.kernels)]
            fn = (lambda jj, TT, kmax, s=s, j=j:
                  (s if jj == j else 1.0) * ns.kernel_fn(jj, TT, kmax))
            ns2 = DOSNormalState(ns.dos, fn, tail_factor=ns.tail_factor,
                                 conserve_number=ns.conserve_number, tol=ns.tol,
                                 maxiter=ns.maxiter)
            r.append(_rebuild(op, op.cutoff_meV, kern, ns2).eigen(T)[0])
        out[j] = (r[0] - r[1]) / (2.0 * h)
    return out, 2 * op.layers


def eigen_derivatives(op: LinearizedOperator, temperature_K: float) -> EigenDerivatives:
    r"""∂ρ/∂p for the λ scale and μ*(ω_c) of every channel, and dρ/d ln T on the envelope of the
    cutoff staircase, at temperature T (normally Tc; module docstring, docs/uncertainty.md §2–§3).

    Parameters
    ----------
    op : LinearizedOperator
        The problem whose Tc was found (any grid, any number of layers).
    temperature_K : float
        Temperature [K] > 0.

    Returns
    -------
    EigenDerivatives
    """
    T = float(temperature_K)
    if not (math.isfinite(T) and T > 0):
        raise ValueError(f"temperature must be > 0 K, got {temperature_K}")
    if isinstance(op.grid, CompressedGrid):
        rho, n, dlam, dmu, parts = _compressed_terms(op, T)
    else:
        rho, n, dlam, dmu, parts = _full_terms(op, T)
    evals = 1
    if dlam is None:  # energy-dependent DOS
        dlam, e = _fd_lambda_dos(op, T)
        parts = [np.array([d]) for d in dlam]
        evals += e
    h = STEP_LN_T
    if op.smooth_cutoff:
        rp = op.eigen(T * (1 + h))[0]
        rm = op.eigen(T * (1 - h))[0]
        d_fixed = (rp - rm) / (math.log1p(h) - math.log1p(-h))
        return EigenDerivatives(T, rho, d_fixed, d_fixed, 0.0, 0.0, n, dlam, dmu, parts,
                                evals + 2)
    # ∂ρ/∂ln T at fixed N: the cutoff moves with T so that N stays; μ*(ω_c) is unchanged
    kind = _grid_kind(op, T, n)
    pts = [(0.0, rho)]
    for sgn in (1.0, -1.0):  # a side whose node layout switches grid kind is left out
        Ts = T * (1.0 + sgn * h)
        if _grid_kind(op, Ts, n) == kind:
            pts.append((math.log(Ts / T), _rebuild(op, _cutoff_for(Ts, n)).eigen(Ts)[0]))
    (x0, r0), (x1, r1) = (pts[1], pts[2]) if len(pts) == 3 else (pts[0], pts[-1])
    d_fixed = (r0 - r1) / (x0 - x1) if x0 != x1 else math.nan
    evals += len(pts) - 1
    # ∂ρ/∂N at fixed T, on the same side of the exact/compressed switch
    up = _grid_kind(op, T, n + 1) == kind
    down = n > 1 and _grid_kind(op, T, n - 1) == kind
    r_up = _rebuild(op, _cutoff_for(T, n + 1)).eigen(T)[0] if up else None
    r_dn = _rebuild(op, _cutoff_for(T, n - 1)).eigen(T)[0] if down else None
    evals += int(up) + int(down)
    if up and down:
        d_n = (r_up - r_dn) / 2.0
    elif up:
        d_n = r_up - rho
    elif down:
        d_n = rho - r_dn
    else:  # pragma: no cover - N = 1 at a grid switch: no neighbour on the same grid
        d_n = 0.0
    dn_dlnT = -op.cutoff_meV / (2.0 * math.pi * K_B_MEV_PER_K * T)
    env = d_fixed + dn_dlnT * d_n
    return EigenDerivatives(T, rho, env, d_fixed, d_n, dn_dlnT, n, np.asarray(dlam, float),
                            np.asarray(dmu, float), parts, evals)


def tc_sensitivity(op: LinearizedOperator, tc_K: float | None, lam: float, mustar: float,
                   mustar_at_cutoff: float) -> dict | None:
    r"""The ``sensitivity`` object of a one-channel Tc result (docs/uncertainty.md §2).

    Parameters
    ----------
    op : LinearizedOperator
        The one-layer problem whose root is ``tc_K``.
    tc_K : float or None
        Tc [K]; None (no superconductivity above the floor) gives None.
    lam : float
        λ of the channel's α²F (the derivative is per unit λ with the shape of α²F fixed).
    mustar, mustar_at_cutoff : float
        μ* at its reference energy and rescaled to the cutoff (Morel–Anderson chain rule,
        :func:`mustar_chain`).

    Returns
    -------
    dict or None
        ``dlntc_dlambda`` = ∂ln Tc/∂λ for α²F → (1+ε)α²F, per unit λ; ``dlntc_dmustar`` =
        ∂ln Tc/∂μ* for μ* at its reference energy; ``dlntc_dlnlambda`` = λ·``dlntc_dlambda``
        (the relative form); ``dlnrho_dlnT`` = d ln ρ/d ln T at Tc on the envelope of the cutoff
        staircase.
    """
    if tc_K is None:
        return None
    ed = eigen_derivatives(op, tc_K)
    d_lam = float(ed.dlntc(ed.drho_dlnlam[0]))
    return {"dlntc_dlambda": d_lam / lam,
            "dlntc_dmustar": float(ed.dlntc(ed.drho_dmustar_cutoff[0]))
            * mustar_chain(mustar, mustar_at_cutoff),
            "dlntc_dlnlambda": d_lam,
            "dlnrho_dlnT": float(ed.drho_dlnT / ed.rho)}
