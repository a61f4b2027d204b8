r"""Closed-form Tc estimates: McMillan (1968) and Allen–Dynes (1975).

Both share the exponent

.. math::

    g(λ, μ^*) = -\frac{1.04(1+λ)}{λ - μ^*(1 + 0.62λ)},

and predict no superconductivity (Tc = 0, returned as exactly 0.0) when
λ ≤ μ*(1 + 0.62λ) (docs/eliashberg.md §1).

References
----------
W. L. McMillan, Phys. Rev. 167, 331 (1968), doi:10.1103/PhysRev.167.331.
P. B. Allen and R. C. Dynes, Phys. Rev. B 12, 905 (1975), doi:10.1103/PhysRevB.12.905.
"""

from __future__ import annotations

import numpy as np

from tcpredict.eliashberg.spectra import Alpha2F
from tcpredict.units import K_B_MEV_PER_K

__all__ = ["mcmillan_tc_K", "allen_dynes_tc_K", "allen_dynes_from_spectrum"]


def _arr(x, name: str, *, positive: bool = False) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite, got {x!r}")
    if positive and np.any(a <= 0):
        raise ValueError(f"{name} must be > 0, got {x!r}")
    if not positive and np.any(a < 0):
        raise ValueError(f"{name} must be ≥ 0, got {x!r}")
    return a


def _exp_factor(lam: np.ndarray, mustar: np.ndarray) -> np.ndarray:
    """exp[−1.04(1+λ)/(λ − μ*(1+0.62λ))], and 0 where the denominator is ≤ 0."""
    den = lam - mustar * (1.0 + 0.62 * lam)
    ok = den > 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        val = np.exp(-1.04 * (1.0 + lam) / np.where(ok, den, 1.0))
    return np.where(ok, val, 0.0)


def _out(x: np.ndarray):
    return float(x) if np.ndim(x) == 0 else x


def mcmillan_tc_K(theta_d_K, lam, mustar):
    r"""McMillan's Tc [K].

    .. math::

        T_c = \frac{Θ_D}{1.45} \exp\Big[-\frac{1.04(1+λ)}{λ - μ^*(1+0.62λ)}\Big]

    (McMillan, Phys. Rev. 167, 331 (1968); as written in docs/eliashberg.md §1).

    Parameters
    ----------
    theta_d_K : float or array_like
        Debye temperature Θ_D [K], > 0.
    lam : float or array_like
        Electron–phonon coupling λ ≥ 0 (dimensionless).
    mustar : float or array_like
        Coulomb pseudopotential μ* ≥ 0 (dimensionless).

    Returns
    -------
    float or ndarray
        Tc [K], broadcast over the inputs; exactly 0.0 where λ ≤ μ*(1+0.62λ).
    """
    th = _arr(theta_d_K, "theta_d_K", positive=True)
    lam_a = _arr(lam, "lambda")
    mu = _arr(mustar, "mustar")
    return _out(th / 1.45 * _exp_factor(lam_a, mu))


def allen_dynes_tc_K(lam, omega_log_meV, omega2_meV, mustar):
    r"""Allen–Dynes Tc [K] with the strong-coupling and shape corrections f₁, f₂.

    .. math::

        T_c = f_1 f_2 \frac{ω_\log}{1.2 k_B}
              \exp\Big[-\frac{1.04(1+λ)}{λ - μ^*(1+0.62λ)}\Big],

        f_1 = [1 + (λ/Λ_1)^{3/2}]^{1/3}, \quad Λ_1 = 2.46(1 + 3.8μ^*),

        f_2 = 1 + \frac{(ω̄_2/ω_\log - 1)\,λ^2}{λ^2 + Λ_2^2}, \quad
        Λ_2 = 1.82(1 + 6.3μ^*)(ω̄_2/ω_\log)

    (Allen & Dynes, Phys. Rev. B 12, 905 (1975); as written in docs/eliashberg.md §1).

    Parameters
    ----------
    lam : float or array_like
        λ ≥ 0.
    omega_log_meV : float or array_like
        Logarithmic average phonon energy ω_log [meV], > 0.
    omega2_meV : float or array_like
        ω̄₂ = ⟨ω²⟩^{1/2} [meV]; must satisfy ω̄₂ ≥ ω_log (true for every α²F ≥ 0).
    mustar : float or array_like
        μ* ≥ 0 (Allen–Dynes convention: defined with the cutoff at the top of the spectrum).

    Returns
    -------
    float or ndarray
        Tc [K], broadcast over the inputs; exactly 0.0 where λ ≤ μ*(1+0.62λ).
    """
    lam_a = _arr(lam, "lambda")
    wl = _arr(omega_log_meV, "omega_log_meV", positive=True)
    w2 = _arr(omega2_meV, "omega2_meV", positive=True)
    mu = _arr(mustar, "mustar")
    if np.any(w2 < wl * (1 - 1e-9)):
        raise ValueError("omega2_meV must be ≥ omega_log_meV (Jensen's inequality for α²F ≥ 0)")
    ratio = w2 / wl
    big_l1 = 2.46 * (1.0 + 3.8 * mu)                       # Λ₁, docs/eliashberg.md §1
    big_l2 = 1.82 * (1.0 + 6.3 * mu) * ratio               # Λ₂, docs/eliashberg.md §1
    f1 = np.cbrt(1.0 + (lam_a / big_l1) ** 1.5)            # f₁, docs/eliashberg.md §1
    f2 = 1.0 + (ratio - 1.0) * lam_a ** 2 / (lam_a ** 2 + big_l2 ** 2)  # f₂, docs/eliashberg.md §1
    pref = wl / K_B_MEV_PER_K / 1.2
    return _out(f1 * f2 * pref * _exp_factor(lam_a, mu))


def allen_dynes_from_spectrum(spectrum: Alpha2F, mustar) -> float:
    """Allen–Dynes Tc [K] from the moments λ, ω_log, ω̄₂ of an :class:`~tcpredict.eliashberg.spectra.Alpha2F`.

    Parameters
    ----------
    spectrum : Alpha2F
        The spectral function (moments as in docs/eliashberg.md §1).
    mustar : float or array_like
        μ* in the Allen–Dynes convention (cutoff at the top of the spectrum).

    Returns
    -------
    float or ndarray
        :func:`allen_dynes_tc_K` evaluated at the spectrum's moments.
    """
    if not isinstance(spectrum, Alpha2F):
        raise TypeError(f"spectrum must be an Alpha2F, got {type(spectrum).__name__}")
    return allen_dynes_tc_K(spectrum.lam, spectrum.omega_log_meV, spectrum.omega2_meV, mustar)
