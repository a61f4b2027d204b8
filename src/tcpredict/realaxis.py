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
eliashberg.md §4; tested).

Gap edge Δ₀ = Re Δ(ω = Δ₀) (eliashberg.md §2.3); quasiparticle DOS
N_s(ω)/N(0) = Re[ω/√(ω² − Δ(ω)²)].
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np
import scipy.optimize as sopt

from tcpredict.units import K_B_MEV_PER_K

__all__ = ["PadeContinuation", "RealAxisGap", "continue_gap", "DEFAULT_PADE_POINTS"]

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
    """Continue a :class:`~tcpredict.gap.GapResult` to the real axis.

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
