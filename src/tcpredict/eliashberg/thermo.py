r"""Thermodynamics of the superconducting state from the Matsubara-axis solution.

Free-energy difference (Bardeen & Stephen, Phys. Rev. 136, A1485 (1964); docs/eliashberg.md §2.4),
per single-spin normal density of states N(0):

.. math::

    \frac{ΔF}{N(0)} = −πk_BT \sum_{n∈ℤ} \Big[\sqrt{ω_n^2+Δ_n^2} − |ω_n|\Big]
        \Big[Z^s_n − Z^n_n \frac{|ω_n|}{\sqrt{ω_n^2+Δ_n^2}}\Big]   \quad [\mathrm{meV}^2].

From it: H_c(T) = √(−8πΔF) (Gaussian), B_c = √(2μ₀(−ΔF)) (SI, needs N(0) per volume), the
specific-heat difference ΔC = −T ∂²ΔF/∂T², the Sommerfeld constant γ = (2π²/3) N(0) k_B² (1+λ),
the jump ΔC(Tc)/γTc and the ratio γTc²/H_c(0)² with BCS values 1.43 and 0.168.

The jump is obtained from a least-squares fit ΔF = a δ² + b δ³ + c δ⁴, δ = 1 − T/Tc, over
δ ∈ [0.01, 0.1] (mean-field behaviour at a second-order transition), ΔC(Tc)/γTc = −2a/(Tc²γ/N(0)),
with the smooth cutoff of :class:`~tcpredict.eliashberg.operator.LinearizedOperator` (continuous in T at
the same physical ω_c and μ*(ω_c)).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tcpredict.eliashberg.operator import LinearizedOperator
from tcpredict.limits import MAX_N0_PER_MEV_NM3
from tcpredict.eliashberg.tc import find_tc, solve_tc
from tcpredict.eliashberg.gap import bcs_gap_guess_meV, gap_sweep, solve_gap_stack
from tcpredict.eliashberg.realaxis import continue_gap
from tcpredict.eliashberg.spectra import Alpha2F
from tcpredict.units import EV_J, K_B_MEV_PER_K

__all__ = ["free_energy_per_n0_meV2", "ThermoResult", "thermodynamics", "BCS_RATIOS"]

#: Weak-coupling BCS values of the strong-coupling ratios (docs/eliashberg.md §2.4).
BCS_RATIOS = {"two_delta_over_kTc": 3.528, "delta_c_over_gamma_tc": 1.426,
              "gamma_tc2_over_hc02": 0.168}

_MU0 = 1.25663706212e-6  # vacuum permeability [T·m/A] (CODATA 2018)
_MEV_PER_NM3_TO_J_PER_M3 = 1e-3 * EV_J / 1e-27


def free_energy_per_n0_meV2(gap, layer: int = 0) -> float:
    """Bardeen–Stephen ΔF/N(0) [meV²] of a :class:`~tcpredict.eliashberg.gap.GapResult` (formula above).

    The sum over n ∈ ℤ is twice the sum over n ≥ 0; its summand decays as Δ_n²/ω_n³, so the
    truncation at ω_c is negligible.
    """
    if not gap.superconducting:
        return 0.0
    wn = gap.omega_n_meV
    d = gap.delta_meV[layer]
    R = np.sqrt(wn ** 2 + d ** 2)
    t = K_B_MEV_PER_K * gap.temperature_K
    s = np.sum((R - wn) * (gap.z[layer] - gap.z_normal[layer] * wn / R))
    return float(-2.0 * np.pi * t * s)


@dataclass(frozen=True, eq=False)
class ThermoResult:
    """Thermodynamic functions and strong-coupling ratios.

    Attributes
    ----------
    tc_K : float
    temperatures_K : ndarray
    delta_f_per_n0_meV2 : ndarray
        ΔF(T)/N(0) [meV²] (N(0): single-spin DOS per energy).
    delta_c_over_gamma_tc_curve : ndarray
        ΔC(T)/(γTc) on ``temperatures_K`` (second derivative of a least-squares polynomial
        ΔF = Σ_{k=2..7} c_k (1 − T/Tc)^k).
    hc_T : ndarray or None
        Thermodynamic critical field B_c(T) = μ₀H_c [T], when N(0) per volume is known.
    delta_c_over_gamma_tc : float
        Jump ΔC(Tc)/γTc (BCS 1.43).
    gamma_tc2_over_hc02 : float
        γTc²/H_c(0)² in Gaussian units (BCS 0.168); independent of N(0).
    hc0_T : float or None
        B_c(T → 0) [T], from ΔF(0) = ΔF(T_low) − γT_low²/2 (the normal state's T² term;
        the superconductor's own T dependence is ∝ e^{−Δ/k_BT}).
    delta0_meV, two_delta_over_kTc : gap edge from the real axis at the lowest temperature.
    """

    tc_K: float
    lam: float
    temperatures_K: np.ndarray
    delta_f_per_n0_meV2: np.ndarray
    delta_c_over_gamma_tc_curve: np.ndarray
    hc_T: np.ndarray | None
    delta_c_over_gamma_tc: float
    gamma_tc2_over_hc02: float
    hc0_T: float | None
    delta0_meV: float
    two_delta_over_kTc: float
    n0_per_meV_nm3: float | None
    n_pade: int
    notes: tuple = field(default_factory=tuple)

    def to_dict(self) -> dict:
        return {
            "tc_K": self.tc_K,
            "lambda": self.lam,
            "delta_c_over_gamma_tc": self.delta_c_over_gamma_tc,
            "gamma_tc2_over_hc02": self.gamma_tc2_over_hc02,
            "hc0_T": self.hc0_T,
            "delta0_meV": self.delta0_meV,
            "two_delta_over_kTc": self.two_delta_over_kTc,
            "n0_per_meV_nm3": self.n0_per_meV_nm3,
            "n_pade": self.n_pade,
            "bcs": dict(BCS_RATIOS),
            "curve": {
                "temperature_K": [float(x) for x in self.temperatures_K],
                "delta_f_per_n0_meV2": [float(x) for x in self.delta_f_per_n0_meV2],
                "delta_c_over_gamma_tc": [float(x) for x in self.delta_c_over_gamma_tc_curve],
                "hc_T": None if self.hc_T is None else [float(x) for x in self.hc_T],
            },
            "notes": list(self.notes),
        }


def thermodynamics(spectrum: Alpha2F, mustar: float, *, mustar_at_meV: float | None = None,
                   cutoff_meV: float | None = None, n0_per_meV_nm3: float | None = None,
                   n_temperatures: int = 24, t_low_fraction: float = 0.1) -> ThermoResult:
    """ΔF(T), H_c(T), ΔC(T), the jump ΔC/γTc and the ratios of docs/eliashberg.md §2.4.

    Parameters
    ----------
    spectrum, mustar, mustar_at_meV, cutoff_meV
        As in :func:`tcpredict.eliashberg.tc.solve_tc`.
    n0_per_meV_nm3 : float, optional
        Bare single-spin DOS at E_F per volume [states/(meV·nm³)]; needed only for H_c in tesla.
    n_temperatures : int
        Points of the T grid between ``t_low_fraction``·Tc and 0.99 Tc (plus the fit points
        near Tc).
    """
    if n_temperatures < 4:
        raise ValueError("n_temperatures must be ≥ 4")
    if not 0 < t_low_fraction < 0.5:
        raise ValueError("t_low_fraction must be in (0, 0.5)")
    if n0_per_meV_nm3 is not None and not 0 < n0_per_meV_nm3 <= MAX_N0_PER_MEV_NM3:
        raise ValueError(f"n0_per_meV_nm3 (the single-spin DOS N(0)) must be in (0, "
                         f"{MAX_N0_PER_MEV_NM3:g}] states/(meV·nm³) (README \"Limits\"), got "
                         f"{n0_per_meV_nm3}")
    tcr = solve_tc(spectrum, mustar, mustar_at_meV=mustar_at_meV, cutoff_meV=cutoff_meV,
                   rtol=1e-7, grid="full", sensitivity=False)
    if tcr.tc_K is None:
        raise ValueError(f"no superconductivity above {tcr.t_min_K} K: no thermodynamics")
    tc = tcr.tc_K
    lam = spectrum.lam
    gamma_n0 = (2.0 * np.pi ** 2 / 3.0) * (1.0 + lam) * K_B_MEV_PER_K ** 2  # γ/N(0) [meV²/K²]
    # The jump: ΔF ∝ δ² is tiny near Tc, so the discrete jumps of the sharp-cutoff grid (one
    # Matsubara frequency more or less shifts the effective Tc by ~0.1 %) would spoil it. Near
    # Tc use the smooth cutoff (the Matsubara cell straddling ω_c counted with its fraction
    # below ω_c), continuous in T at the same physical cutoff; recompute Tc for it and fit.
    smooth = LinearizedOperator([spectrum], [tcr.mustar_at_cutoff], tcr.cutoff_meV,
                             smooth_cutoff=True)
    tc_smooth, _ = find_tc(smooth, tc, 0.5 * tc, rtol=1e-9)
    deltas_fit = np.linspace(0.01, 0.1, 10)
    dfit, prev = [], None
    for dlt_i in deltas_fit:
        T = tc_smooth * (1.0 - dlt_i)
        if prev is None:
            g = solve_gap_stack(smooth, T, bcs_gap_guess_meV(tc_smooth, T))
        else:
            g = solve_gap_stack(smooth, T, prev.delta_meV, omega_start_meV=prev.omega_n_meV,
                                start="warm")
        dfit.append(free_energy_per_n0_meV2(g))
        prev = g
    A = np.vstack([deltas_fit ** 2, deltas_fit ** 3, deltas_fit ** 4]).T
    coef, *_ = np.linalg.lstsq(A, np.array(dfit), rcond=None)
    jump = float(-2.0 * coef[0] / (tc_smooth ** 2 * gamma_n0))
    # the whole curve on the sharp-cutoff grid of the spec, one downward warm sweep
    temps = np.linspace(t_low_fraction, 0.99, n_temperatures)[::-1] * tc
    sols = gap_sweep(spectrum, mustar, temps, mustar_at_meV=mustar_at_meV,
                     cutoff_meV=cutoff_meV, tc_K=tc)
    df = np.array([free_energy_per_n0_meV2(s) for s in sols])
    # ΔC(T) on the whole grid: the sharp-cutoff grid makes ΔF(T) carry ~1e-3 steps where N
    # changes, which a second derivative would amplify; use a least-squares polynomial
    # ΔF = Σ_{k=2..7} c_k δ^k (ΔF and ∂ΔF/∂T vanish at Tc) and differentiate it.
    order = np.argsort(temps)
    ts, fs = temps[order], df[order]
    dd = 1.0 - ts / tc
    kk = np.arange(2, 8)
    cf, *_ = np.linalg.lstsq(dd[:, None] ** kk[None, :], fs, rcond=None)
    d2f_dT2 = (dd[:, None] ** (kk[None, :] - 2) * (kk * (kk - 1) * cf)[None, :]).sum(1) / tc ** 2
    dc_curve = -ts * d2f_dT2 / (gamma_n0 * tc)
    low = sols[-1]  # lowest temperature (sweep is descending)
    # ΔF(0): at low T the normal state's −γT²/2 dominates the T dependence of ΔF (the
    # superconductor's own is ∝ e^{−Δ/T}), so ΔF(0) = ΔF(T_low) − γT_low²/2.
    f0 = df[-1] - 0.5 * gamma_n0 * temps[-1] ** 2
    ratio = float(gamma_n0 * tc ** 2 / (8.0 * np.pi * -f0))
    ra = continue_gap(low)
    hc = hc0 = None
    if n0_per_meV_nm3 is not None:
        dens = n0_per_meV_nm3 * np.maximum(-fs, 0.0) * _MEV_PER_NM3_TO_J_PER_M3  # J/m³
        hc = np.sqrt(2.0 * _MU0 * dens)
        hc0 = float(np.sqrt(2.0 * _MU0 * n0_per_meV_nm3 * -f0 * _MEV_PER_NM3_TO_J_PER_M3))
    notes = (f"Δ₀ taken at T = {temps[-1]:.4g} K = {t_low_fraction:g} Tc; "
             "ΔF(0) = ΔF(T_low) − γT_low²/2",)
    return ThermoResult(tc, lam, ts, fs, dc_curve, hc, jump, ratio, hc0, ra.delta0_meV,
                        ra.two_delta_over_kT(tc), n0_per_meV_nm3, ra.n_pade, notes)
