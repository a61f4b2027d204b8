r"""Real-axis gap by Padé analytic continuation of Δ(iω_n).

Δ(iω_n) on the lowest N_P Matsubara points is continued to z = ω + i0⁺ with the Vidberg–Serene
continued fraction (H. J. Vidberg & J. W. Serene, J. Low Temp. Phys. 29, 179 (1977), Eqs. A2–A4):

.. math::

    C_{N}(z) = \cfrac{a_1}{1 + \cfrac{a_2 (z − z_1)}{1 + \cfrac{a_3 (z − z_2)}{1 + \dots}}},
    \quad a_p = g_p(z_p),\; g_1(z_i) = u_i,\;
    g_p(z) = \frac{g_{p−1}(z_{p−1}) − g_{p−1}(z)}{(z − z_{p−1})\, g_{p−1}(z)}.

The coefficients are computed in extended precision (mpmath, 30 + N_P/2 digits), which removes
the round-off instability of the recursion; the fraction is then evaluated in complex128 by
backward recursion. Padé is an extrapolation: the number of points used is reported and should
be validated against a case with a known answer (the weak-coupling BCS limit 2Δ₀/k_BTc = 3.528,
docs/eliashberg.md §4; tested).

Gap edge Δ₀ = Re Δ(ω = Δ₀) (docs/eliashberg.md §2.3); quasiparticle DOS
N_s(ω)/N(0) = Re[ω/√(ω² − Δ(ω)²)].
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np
import scipy.optimize as sopt
import scipy.special as sps

from tcpredict.eliashberg.tc import ConvergenceError
from tcpredict.eliashberg.matsubara import compressed_nodes
from tcpredict.units import K_B_MEV_PER_K

__all__ = ["PadeContinuation", "RealAxisGap", "continue_gap", "continue_gap_msc",
           "DEFAULT_PADE_POINTS"]

#: Default number of Matsubara points fed to Padé.
DEFAULT_PADE_POINTS = 128


class PadeContinuation:
    """Vidberg–Serene Padé approximant through (z_i, u_i), evaluated anywhere in ℂ.

    Parameters
    ----------
    z : array_like of complex
        Nodes (here iω_n [meV]).
    u : array_like of complex
        Values at the nodes.
    dps : int, optional
        Decimal digits used for the coefficients (default 30 + N/2).
    """

    def __init__(self, z, u, dps: int | None = None):
        z = np.asarray(z, dtype=complex).reshape(-1)
        u = np.asarray(u, dtype=complex).reshape(-1)
        if z.size != u.size or z.size < 2:
            raise ValueError("Padé needs at least two (z, u) pairs of equal length")
        n = z.size
        self.n_points = n
        self.dps = dps if dps is not None else 30 + n // 2
        with mpmath.workdps(self.dps):
            zm = [mpmath.mpc(complex(v)) for v in z]
            g = [mpmath.mpc(complex(v)) for v in u]
            a = [g[0]]
            for p in range(1, n):
                gp = g[p - 1]
                new = list(g)
                for i in range(p, n):
                    new[i] = (gp - g[i]) / ((zm[i] - zm[p - 1]) * g[i])
                g = new
                a.append(g[p])
            self.a = np.array([complex(v) for v in a])
        self.z = z

    def __call__(self, x) -> np.ndarray:
        """Value of the approximant at complex points ``x`` (any shape)."""
        x = np.asarray(x, dtype=complex)
        t = np.ones_like(x)
        for p in range(self.n_points - 1, 0, -1):
            t = 1.0 + self.a[p] * (x - self.z[p - 1]) / t
        return self.a[0] / t


@dataclass(frozen=True, eq=False)
class RealAxisGap:
    """Δ(ω) on the real axis from Padé, with the gap edge and the quasiparticle DOS.

    Attributes
    ----------
    omega_meV : ndarray
        Real frequencies ω [meV].
    delta_meV : ndarray of complex
        Δ(ω + i0⁺) [meV].
    dos : ndarray
        N_s(ω)/N(0) = Re[ω/√(ω² − Δ(ω)²)].
    delta0_meV : float
        Gap edge Δ₀ = Re Δ(Δ₀) [meV].
    n_pade : int
        Number of Matsubara points used.
    temperature_K : float
    """

    omega_meV: np.ndarray
    delta_meV: np.ndarray
    dos: np.ndarray
    delta0_meV: float
    n_pade: int
    temperature_K: float
    method: str = "Padé (Vidberg–Serene continued fraction, extended-precision coefficients)"

    def two_delta_over_kT(self, tc_K: float) -> float:
        """2Δ₀/k_BTc (BCS weak-coupling limit 3.528)."""
        return 2.0 * self.delta0_meV / (K_B_MEV_PER_K * tc_K)


def continue_gap(gap, layer: int = 0, n_pade: int | None = None, omega_meV=None,
                 eta_meV: float = 0.0) -> RealAxisGap:
    """Continue a :class:`~tcpredict.eliashberg.gap.GapResult` to the real axis.

    Parameters
    ----------
    gap : GapResult
        Converged Matsubara solution (``superconducting`` must be True).
    layer : int
        Layer index for stacks.
    n_pade : int, optional
        Number of lowest Matsubara points used (default min(N, 128)).
    omega_meV : array_like, optional
        Real frequencies [meV] (default 0 … 8 Δ(iω_0), 2001 points).
    eta_meV : float
        Small positive imaginary part added to ω (default 0: the fraction is evaluated on the
        axis itself, where it is analytic except at its own poles).
    """
    if not gap.superconducting:
        raise ValueError("no gap to continue: the solution is normal (T ≥ Tc)")
    n_all = gap.omega_n_meV.size
    npts = min(n_all, DEFAULT_PADE_POINTS) if n_pade is None else int(n_pade)
    if npts < 2 or npts > n_all:
        raise ValueError(f"n_pade must be in [2, {n_all}], got {npts}")
    d = gap.delta_meV[layer]
    pade = PadeContinuation(1j * gap.omega_n_meV[:npts], d[:npts])
    d_iw0 = float(d[0])
    if omega_meV is None:
        omega_meV = np.linspace(0.0, 8.0 * d_iw0, 2001)
    om = np.asarray(omega_meV, dtype=float)
    z = om + 1j * eta_meV
    dz = pade(z)
    with np.errstate(divide="ignore", invalid="ignore"):
        dos = np.real(z / (np.sqrt(z - dz) * np.sqrt(z + dz)))
    dos = np.nan_to_num(dos, nan=0.0, posinf=0.0)

    def f(w):
        return w - float(np.real(pade(complex(w, eta_meV))))

    grid = np.linspace(0.2 * d_iw0, 3.0 * d_iw0, 400)
    vals = np.array([f(w) for w in grid])
    idx = np.nonzero(np.sign(vals[:-1]) != np.sign(vals[1:]))[0]
    if idx.size == 0:
        raise ValueError("Padé continuation found no gap edge ω = Re Δ(ω) in "
                         f"[{grid[0]:.3g}, {grid[-1]:.3g}] meV; try another n_pade")
    i = int(idx[0])
    d0 = sopt.brentq(f, grid[i], grid[i + 1], xtol=1e-12 * d_iw0)
    return RealAxisGap(om, dz, dos, float(d0), npts, gap.temperature_K)


# ---------------------------------------------------------------------------- exact continuation
def _retarded_sqrt(x: np.ndarray) -> np.ndarray:
    """√x with the branch Im ≥ 0 (retarded functions, continued from the upper half plane)."""
    s = np.sqrt(x.astype(complex))
    return np.where(s.imag < 0, -s, s)


def continue_gap_msc(gap, spectrum, *, layer: int = 0, omega_max_meV: float | None = None,
                     step_meV: float | None = None, eta_meV: float | None = None,
                     tol: float = 1e-8, maxiter: int = 300, mixing: float = 0.5,
                     start: RealAxisGap | None = None, compress: bool = True) -> RealAxisGap:
    r"""Exact real-axis gap by the Marsiglio–Schossmann–Carbotte iteration.

    F. Marsiglio, M. Schossmann & J. P. Carbotte, Phys. Rev. B 37, 4965 (1988), Eqs. (8)–(9):
    with the converged Matsubara solution Δ_m and R_m = √(ω_m² + Δ_m²),

    .. math::

        ωZ(ω) &= ω + iπT\sum_{m∈ℤ} λ(ω − iω_m)\frac{ω_m}{R_m}
               + iπ\!\int_0^∞\! dν\, α²F(ν)\Big\{[N(ν) + f(ν − ω)]\frac{ω − ν}{S(ω − ν)}
               + [N(ν) + f(ν + ω)]\frac{ω + ν}{S(ω + ν)}\Big\},\\
        φ(ω) &= πT\sum_{|ω_m|<ω_c} [λ(ω − iω_m) − μ^*]\frac{Δ_m}{R_m}
               + iπ\!\int_0^∞\! dν\, α²F(ν)\Big\{[N(ν) + f(ν − ω)]\frac{Δ(ω − ν)}{S(ω − ν)}
               + [N(ν) + f(ν + ω)]\frac{Δ(ω + ν)}{S(ω + ν)}\Big\},

    Δ = φ/Z, S(ω) = √(ω² − Δ(ω)²) with Im S ≥ 0, λ(z) = ∫2να²F/(ν² − z²) dν (N Bose, f Fermi).
    This is exact (no Padé extrapolation); it is solved by damped iteration on a uniform real
    grid. μ* and the cutoff are those of the Matsubara solution. The normal-state part of the
    Z sum is summed over all m in closed form (digamma functions); only the rapidly decaying
    remainder ∝ ω_m/R_m − 1 is summed on the Matsubara grid.

    Parameters
    ----------
    gap : GapResult
        Converged Matsubara solution (single layer).
    spectrum : Alpha2F
        The α²F used for ``gap``.
    omega_max_meV : float, optional
        Largest |ω| reported [meV] (default 8 Δ(iω_0)); the internal grid extends by Ω_max.
    step_meV : float, optional
        Grid step [meV] (default Δ(iω_0)/40).
    eta_meV : float, optional
        Infinitesimal i0⁺ of the real frequencies [meV] (default step/10).
    start : RealAxisGap, optional
        Start (e.g. the Padé result); default Δ(ω) = Δ(iω_0).
    compress : bool
        Evaluate the Matsubara sums on the compressed nodes of
        :func:`tcpredict.eliashberg.matsubara.compressed_nodes` (first 32 frequencies exact, Gauss–Legendre
        panels beyond, Δ_m interpolated in m) instead of all N frequencies below ω_c; the
        summands are smooth in m there. Default True; False sums every frequency.
    """
    if not gap.superconducting:
        raise ValueError("no gap to continue: the solution is normal (T ≥ Tc)")
    if gap.delta_meV.shape[0] != 1:
        raise ValueError("the MSC continuation is implemented for a single layer")
    d_iw0 = float(gap.delta_meV[layer, 0])
    wmax = 8.0 * d_iw0 if omega_max_meV is None else float(omega_max_meV)
    h = d_iw0 / 40.0 if step_meV is None else float(step_meV)
    if wmax <= 0 or h <= 0 or h > wmax / 10:
        raise ValueError("need omega_max_meV > 0 and 0 < step_meV ≤ omega_max_meV/10")
    eta = h / 10.0 if eta_meV is None else float(eta_meV)
    nodes, a = spectrum.quadrature_nodes()
    keep = a > 0
    nodes, a = nodes[keep], a[keep]
    W = wmax + float(nodes.max()) + 2 * h
    n_half = int(np.ceil(W / h))
    w = h * np.arange(-n_half, n_half + 1)
    z = w + 1j * eta
    t = K_B_MEV_PER_K * gap.temperature_K
    mu = gap.mustar_at_cutoff[layer]
    wn = gap.omega_n_meV
    dm = gap.delta_meV[layer]
    cm = np.ones(wn.size)  # weight of each node in the Matsubara sums
    if compress:
        panel = 0.5 * min(spectrum.omega_log_meV, float(nodes.max()))
        xk, ck, n_full = compressed_nodes(gap.temperature_K, gap.cutoff_meV, panel)
        if n_full == wn.size and xk.size < wn.size:
            dm = np.interp(xk, np.arange(wn.size), dm)
            wn = np.pi * K_B_MEV_PER_K * gap.temperature_K * (2.0 * xk + 1.0)
            cm = ck
    Rm = np.sqrt(wn ** 2 + dm ** 2)
    # Matsubara parts (independent of Δ(ω)), for every real ω of the grid
    mz = np.zeros(w.size, dtype=complex)
    mphi = np.zeros(w.size, dtype=complex)
    for s0 in range(0, wn.size, 256):
        sl = slice(s0, s0 + 256)
        lm = spectrum.kernel_complex(z[:, None] - 1j * wn[None, sl])
        lp = spectrum.kernel_complex(z[:, None] + 1j * wn[None, sl])
        mz += ((lm - lp) * (cm[sl] * (wn[sl] / Rm[sl] - 1.0))).sum(axis=1)  # ∝ Δ²/ω_m²
        mphi += ((lm + lp - 2.0 * mu) * (cm[sl] * dm[sl] / Rm[sl])).sum(axis=1)
    # normal-state part Σ_{m≥0}[λ(ω−iω_m) − λ(ω+iω_m)] in closed form (no truncation): per node,
    # λ_ν(z) = a[1/(ν−z) + 1/(ν+z)] and Σ_m [1/(m+½+u) − …] are digamma differences,
    # iπT Σ = (a/2)[ψ(½+u₂) + ψ(½−u₂) − ψ(½+u₁) − ψ(½−u₁)], u₁,₂ = (ν ∓ ω)/(2πiT).
    u1 = (nodes[None, :] - z[:, None]) / (2j * np.pi * t)
    u2 = (nodes[None, :] + z[:, None]) / (2j * np.pi * t)
    normal = 0.5 * (a * (sps.digamma(0.5 + u2) + sps.digamma(0.5 - u2)
                         - sps.digamma(0.5 + u1) - sps.digamma(0.5 - u1))).sum(axis=1)
    mz *= 1j * np.pi * t  # ωZ: iπT Σ (→ πT/ω_n Σ at ω = iω_n)
    mz += normal
    mphi *= np.pi * t  # φ: πT Σ, real on the imaginary axis
    # thermal factors N(ν) + f(ν ∓ ω), shape (ω, ν)
    with np.errstate(over="ignore"):
        nb = 1.0 / np.expm1(nodes / t)
        fm = 1.0 / (np.exp((nodes[None, :] - w[:, None]) / t) + 1.0)
        fp = 1.0 / (np.exp((nodes[None, :] + w[:, None]) / t) + 1.0)
    wm_ = nb[None, :] + fm
    wp_ = nb[None, :] + fp
    xm = w[:, None] - nodes[None, :]
    xp = w[:, None] + nodes[None, :]

    def interp(values, x):
        return (np.interp(x, w, values.real) + 1j * np.interp(x, w, values.imag))

    if start is not None:
        aw = np.abs(w)  # Δ(−ω) = Δ(ω)*: take |ω|, then conjugate on the negative side
        delta = (np.interp(aw, start.omega_meV, start.delta_meV.real)
                 + 1j * np.interp(aw, start.omega_meV, start.delta_meV.imag))
        delta = np.where(w < 0, np.conj(delta), delta)
    else:
        delta = np.full(w.size, d_iw0, dtype=complex)
    res = np.inf
    for it in range(1, maxiter + 1):
        S = _retarded_sqrt(z ** 2 - delta ** 2)
        gz, gd = z / S, delta / S
        iz = 1j * np.pi * (a * (wm_ * interp(gz, xm) + wp_ * interp(gz, xp))).sum(axis=1)
        iphi = 1j * np.pi * (a * (wm_ * interp(gd, xm) + wp_ * interp(gd, xp))).sum(axis=1)
        zw = z + mz + iz
        new = (mphi + iphi) / (zw / z)
        inner = np.abs(w) <= wmax
        res = float(np.abs(new - delta)[inner].max() / np.abs(new[inner]).max())
        delta = mixing * new + (1.0 - mixing) * delta
        if res < tol:
            break
    else:
        raise ConvergenceError(f"MSC real-axis iteration did not converge: residual {res:.2e} "
                                f"after {maxiter} iterations")
    sel = (w >= 0) & (w <= wmax)
    om, dl = w[sel], delta[sel]
    zs = om + 1j * eta
    with np.errstate(divide="ignore", invalid="ignore"):
        dos = np.nan_to_num(np.real(zs / (np.sqrt(zs - dl) * np.sqrt(zs + dl))), nan=0.0)
    f = om - dl.real
    idx = np.nonzero((f[:-1] < 0) & (f[1:] >= 0))[0]
    if idx.size == 0:
        raise ValueError("MSC continuation found no gap edge ω = Re Δ(ω) on the grid")
    i = int(idx[0])
    d0 = om[i] - f[i] * (om[i + 1] - om[i]) / (f[i + 1] - f[i])  # linear root between nodes
    return RealAxisGap(om, dl, dos, float(d0), gap.n_matsubara, gap.temperature_K,
                       method=f"Marsiglio–Schossmann–Carbotte iteration ({it} iterations, "
                              f"step {h:.3g} meV, residual {res:.1e})")
