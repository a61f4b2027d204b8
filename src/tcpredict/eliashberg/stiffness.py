r"""Superfluid weight, kinetic inductance and phase stiffness from a Matsubara-axis gap
(docs/stiffness.md §§1–4).

Input: any solved gap Δ_j(iω_n), Z_j(iω_n) on the fermionic Matsubara frequencies
ω_n = πk_BT(2n+1), n = 0 … N−1 (ω_n < ω_c) — a :class:`~tcpredict.eliashberg.gap.GapResult`
(one superconductor, shape (1, N)) or a :class:`~tcpredict.stacks.proximity.StackGapResult`
(one row per layer).

Dirty (local) limit, per layer j of sheet resistance R_j (docs/stiffness.md §1):

.. math::

    S_j = πk_BT \sum_{n∈ℤ} \frac{Δ_{j,n}^2}{ω_n^2 + Δ_{j,n}^2}, \qquad
    \frac{1}{L_k} = \sum_j \frac{2 S_j}{ħ R_j}.

This is the ω → 0 limit of σ₂(ω) of a dirty superconductor written on the imaginary axis
(Mattis & Bardeen, Phys. Rev. 111, 412 (1958) in the BCS limit; the strong-coupling form with
Δ_n = φ_n/Z_n follows from Nam, Phys. Rev. 156, 470 (1967) and Carbotte, Rev. Mod. Phys. 62,
1027 (1990), Sec. IV, in the limit of a scattering rate large against Δ and ω_n; in Usadel
language S = πk_BT Σ sin²θ_n). For Δ_n = Δ at all n,
Σ_{n∈ℤ} 1/(ω_n² + Δ²) = tanh(Δ/2k_BT)/(2Δk_BT), so 1/L_k = πΔ tanh(Δ/2k_BT)/(ħR_□) and
L_k(0) = ħR_□/(πΔ₀) (Tinkham, *Introduction to Superconductivity*, 2nd ed., eq. 3.131 with
σ₂/σ_n = πΔ/ħω at T = 0).

Clean limit (docs/stiffness.md §2): n_s/n = πk_BT Σ_{n∈ℤ} Δ_n²/[Z_n(ω_n² + Δ_n²)^{3/2}]
(Carbotte 1990, Sec. IV; → 1/(1+λ) at T → 0 when Δ₀ ≪ the phonon energies).

Phase stiffness J_s = (ħ/2e)²/L_k (energy of a phase twist, H = (J_s/2)∫(∇θ)² d²r), reported as
J_s/k_B [K]; penetration depth of a film of thickness d: λ_L² = L_k d/μ₀ (docs/stiffness.md §3).

Matsubara tail (docs/stiffness.md §4). The solver stores Δ_n only below ω_c. Beyond it the
solution of the gap equations goes over to φ_n = Z_nΔ_n → φ_∞ (the μ*-term plateau; phonon and
proximity parts decay as 1/ω_n² and 1/ω_n) and ω_n(Z_n − 1) → A (normal-state Z − 1 ∝ 1/ω_n).
The tail n ≥ N is summed in closed form with φ_n = φ_{N−1}, ω_n(Z_n − 1) = ω_{N−1}(Z_{N−1} − 1)
held at their values at the last stored frequency:

.. math::

    2πk_BT \sum_{n≥N} \frac{φ^2}{(ω_n + A)^2 + φ^2}
      = \frac{φ^2}{2πk_BT}\,\frac{\operatorname{Im} ψ(N + ½ + a + i b)}{b},
    \qquad a = \frac{A}{2πk_BT},\; b = \frac{φ}{2πk_BT},

(ψ the digamma function; Σ_{k≥0} 1/((x+k)² + b²) = Im ψ(x + ib)/b), and the clean-limit tail by
the midpoint (Euler–Maclaurin) integral. The tail is reported as ``tail_fraction``; the test
against the solver's own equations continued to 50 ω_c shows the held-value model to be
accurate to a few per cent of the tail itself.

Units: energies meV, temperatures K, resistances Ω, inductances pH, lengths nm.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.special import digamma, polygamma

from tcpredict.limits import SHEET_RESISTANCE_RANGE_OHM
from tcpredict.units import E_CHARGE_C, HBAR_J_S, K_B_MEV_PER_K

__all__ = [
    "R_Q_OHM",
    "MU0_H_PER_M",
    "K_B_J_PER_K",
    "pair_sum_meV",
    "clean_superfluid_fraction",
    "kinetic_inductance_pH",
    "stiffness_K_from_inductance",
    "penetration_depth_nm",
    "StiffnessResult",
    "superfluid_stiffness",
]

#: Resistance quantum ħ/e² [Ω] (CODATA 2018 exact ħ and e): 4108.2359 Ω.
R_Q_OHM = HBAR_J_S / E_CHARGE_C ** 2
#: Vacuum permeability μ₀ [H/m] (CODATA 2018).
MU0_H_PER_M = 1.25663706212e-6
#: Boltzmann constant [J/K] (exact).
K_B_J_PER_K = 1.380649e-23
_MEV_J = 1e-3 * E_CHARGE_C


# ------------------------------------------------------------------------------ tails
def _hurwitz_lorentz(x: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Σ_{k≥0} 1/((x+k)² + b²) = Im ψ(x + ib)/b (x > 0); series in b² for small b."""
    x = np.asarray(x, dtype=float)
    b = np.abs(np.asarray(b, dtype=float))
    small = b < 1e-4 * x
    out = np.empty(np.broadcast(x, b).shape)
    xs, bs = np.broadcast_arrays(x, b)
    if np.any(small):
        xx, bb = xs[small], bs[small]
        # Σ 1/(x+k)² − b² Σ 1/(x+k)⁴ = ψ'(x) − b² ψ'''(x)/6
        out[small] = polygamma(1, xx) - bb ** 2 * polygamma(3, xx) / 6.0
    big = ~small
    if np.any(big):
        xx, bb = xs[big], bs[big]
        out[big] = digamma(xx + 1j * bb).imag / bb
    return out


def _tail_params(omega_n_meV, delta_meV, z):
    """(φ, A) per layer at the last stored frequency: φ = ZΔ, A = ω(Z − 1) [meV]."""
    w = float(omega_n_meV[-1])
    phi = delta_meV[:, -1] * z[:, -1]
    A = np.maximum(w * (z[:, -1] - 1.0), 0.0)
    return phi, A


def _check_gap_arrays(omega_n_meV, delta_meV, z, temperature_K):
    w = np.asarray(omega_n_meV, dtype=float).reshape(-1)
    d = np.atleast_2d(np.asarray(delta_meV, dtype=float))
    zz = None if z is None else np.atleast_2d(np.asarray(z, dtype=float))
    if not (math.isfinite(temperature_K) and temperature_K > 0):
        raise ValueError(f"temperature_K must be > 0 K, got {temperature_K}")
    if w.size == 0 or d.shape[1] != w.size:
        raise ValueError(f"delta_meV must have shape (layers, {w.size}) to match omega_n_meV, "
                         f"got {d.shape}")
    if zz is not None and zz.shape != d.shape:
        raise ValueError(f"z must have the shape of delta_meV {d.shape}, got {zz.shape}")
    if zz is not None and np.any(zz <= 0):
        raise ValueError("z must be > 0")
    t = K_B_MEV_PER_K * temperature_K
    expect = np.pi * t * (2.0 * np.arange(w.size) + 1.0)
    if not np.allclose(w, expect, rtol=1e-9, atol=0.0):
        raise ValueError("omega_n_meV must be the fermionic Matsubara frequencies "
                         "πk_BT(2n+1), n = 0 … N−1, of temperature_K")
    return w, d, zz, t


def pair_sum_meV(omega_n_meV, delta_meV, z, temperature_K: float, *, tail: bool = True):
    r"""Dirty-limit pair sum S_j = πk_BT Σ_{n∈ℤ} Δ_{j,n}²/(ω_n² + Δ_{j,n}²) [meV] per layer.

    docs/stiffness.md §1 (Mattis–Bardeen in the BCS limit, where S = (π/2)Δ tanh(Δ/2k_BT)).

    Parameters
    ----------
    omega_n_meV : ndarray, shape (N,)
        ω_n = πk_BT(2n+1) [meV], n = 0 … N−1 (the even-frequency sum over n∈ℤ is twice the
        sum over n ≥ 0).
    delta_meV : ndarray, shape (L, N) or (N,)
        Δ_j(iω_n) [meV].
    z : ndarray, shape like ``delta_meV``, or None
        Z_j(iω_n); used only for the tail (None: Z = 1 in the tail).
    temperature_K : float
    tail : bool
        Add the closed-form Matsubara tail n ≥ N (module docstring, docs/stiffness.md §4).

    Returns
    -------
    total : ndarray, shape (L,)
        S_j [meV] including the tail when ``tail``.
    tail_part : ndarray, shape (L,)
        The tail alone [meV] (zeros when ``tail`` is False).
    """
    w, d, zz, t = _check_gap_arrays(omega_n_meV, delta_meV, z, temperature_K)
    s = 2.0 * np.pi * t * np.sum(d ** 2 / (w ** 2 + d ** 2), axis=1)
    tl = np.zeros(d.shape[0])
    if tail:
        phi, A = _tail_params(w, d, zz if zz is not None else np.ones_like(d))
        two_pi_t = 2.0 * np.pi * t
        nz = phi != 0
        if np.any(nz):
            x = w.size + 0.5 + A[nz] / two_pi_t
            b = phi[nz] / two_pi_t
            tl[nz] = phi[nz] ** 2 / two_pi_t * _hurwitz_lorentz(x, b)
    return s + tl, tl


def clean_superfluid_fraction(omega_n_meV, delta_meV, z, temperature_K: float, *,
                              tail: bool = True):
    r"""Clean-limit superfluid fraction n_s/n = πk_BT Σ_{n∈ℤ} Δ_n²/[Z_n(ω_n² + Δ_n²)^{3/2}].

    docs/stiffness.md §2 (Carbotte, Rev. Mod. Phys. 62, 1027 (1990), Sec. IV, clean limit of
    the London kernel; BCS: 1 at T = 0, 2(1 − T/Tc) near Tc; Eliashberg: → 1/(1+λ) at T → 0
    for Δ₀ ≪ ω_log).

    Returns
    -------
    fraction : ndarray, shape (L,)
    tail_part : ndarray, shape (L,)
        Contribution of n ≥ N (midpoint-rule integral of the held tail model, relative error
        O(1/N²) of the tail itself).
    """
    w, d, zz, t = _check_gap_arrays(omega_n_meV, delta_meV, z, temperature_K)
    if zz is None:
        raise ValueError("the clean-limit superfluid fraction needs Z(iω_n)")
    f = 2.0 * np.pi * t * np.sum(d ** 2 / (zz * (w ** 2 + d ** 2) ** 1.5), axis=1)
    tl = np.zeros(d.shape[0])
    if tail:
        phi, A = _tail_params(w, d, zz)
        # Δ²/(Z(ω²+Δ²)^{3/2}) = φ²/((ω+A)² + φ²)^{3/2} with ZΔ = φ, Zω = ω + A; the sum over
        # n ≥ N (2πk_BT per term) is ∫_{y0}^∞ dy φ²/(y²+φ²)^{3/2} + (2πk_BT)² g'(y0)/24.
        y0 = w[-1] + np.pi * t + A  # ω_N − πk_BT + A
        r = np.sqrt(y0 ** 2 + phi ** 2)
        integral = 1.0 - y0 / r
        gprime = -3.0 * phi ** 2 * y0 / r ** 5
        tl = integral + (2.0 * np.pi * t) ** 2 * gprime / 24.0
    return f + tl, tl


# --------------------------------------------------------------------- observables
def kinetic_inductance_pH(pair_sums_meV, sheet_resistances_ohm) -> float:
    r"""Kinetic inductance per square L_k [pH] of layers in parallel (docs/stiffness.md §1, §5):
    1/L_k = Σ_j 2S_j/(ħR_j), S_j in meV, R_j in Ω. Infinite when all S_j = 0."""
    S = np.atleast_1d(np.asarray(pair_sums_meV, dtype=float))
    R = np.atleast_1d(np.asarray(sheet_resistances_ohm, dtype=float))
    if S.shape != R.shape:
        raise ValueError("one sheet resistance per layer is required")
    if np.any(~np.isfinite(R)) or np.any(R <= 0):
        raise ValueError("sheet resistances must be finite and > 0 Ω")
    inv = float(np.sum(2.0 * S * _MEV_J / (HBAR_J_S * R)))  # 1/H
    return math.inf if inv <= 0 else 1e12 / inv


def stiffness_K_from_inductance(kinetic_inductance_pH: float) -> float:
    r"""Phase stiffness J_s/k_B [K] with J_s = (ħ/2e)²/L_k (docs/stiffness.md §3)."""
    if not kinetic_inductance_pH > 0:
        raise ValueError("kinetic inductance must be > 0 pH")
    if math.isinf(kinetic_inductance_pH):
        return 0.0
    return (HBAR_J_S / (2.0 * E_CHARGE_C)) ** 2 / (kinetic_inductance_pH * 1e-12) / K_B_J_PER_K


def penetration_depth_nm(kinetic_inductance_pH: float, thickness_nm: float) -> float:
    r"""London penetration depth [nm] of a film of thickness d: λ_L = √(L_k d/μ₀)
    (docs/stiffness.md §3; L_k per square, the film a sheet of uniform current)."""
    if not (math.isfinite(thickness_nm) and thickness_nm > 0):
        raise ValueError(f"thickness_nm must be > 0, got {thickness_nm}")
    if math.isinf(kinetic_inductance_pH):
        return math.inf
    return math.sqrt(kinetic_inductance_pH * 1e-12 * thickness_nm * 1e-9 / MU0_H_PER_M) * 1e9


@dataclass(frozen=True)
class StiffnessResult:
    """Superfluid weight of a solved gap at one temperature (docs/stiffness.md).

    Attributes
    ----------
    temperature_K : float
    sheet_resistance_ohm : float or None
        Normal-state R_□ of the whole film or stack [Ω] (parallel combination of the layers).
    layer_sheet_resistances_ohm : tuple
        R_j per layer [Ω] (one entry for a single film).
    pair_sums_meV : tuple
        S_j = πk_BT Σ_{n∈ℤ} Δ²/(ω²+Δ²) per layer [meV], tail included.
    tail_fraction : float
        Largest (tail of S_j)/S_j over the layers: the share of the sum beyond the cutoff.
    kinetic_inductance_pH : float or None
        L_k per square [pH] (None when R_□ is unknown; inf in the normal state).
    stiffness_K : float or None
        J_s/k_B [K].
    penetration_depth_nm : float or None
        λ_L [nm] (needs the thickness, or the resistivity).
    thickness_nm : float or None
    superfluid_fraction_clean : tuple
        Clean-limit n_s/n per layer (dimensionless; a different limit, for comparison).
    superconducting : bool
    """

    temperature_K: float
    sheet_resistance_ohm: float | None
    layer_sheet_resistances_ohm: tuple
    pair_sums_meV: tuple
    tail_fraction: float
    kinetic_inductance_pH: float | None
    stiffness_K: float | None
    penetration_depth_nm: float | None
    thickness_nm: float | None
    superfluid_fraction_clean: tuple
    superconducting: bool
    limit: str = "dirty (local) for L_k, J_s, λ_L; clean for superfluid_fraction_clean"
    notes: tuple = field(default_factory=tuple)

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        for k in ("layer_sheet_resistances_ohm", "pair_sums_meV", "superfluid_fraction_clean",
                  "notes"):
            d[k] = list(d[k])
        return d


def _resolve_resistances(n_layers, sheet_resistance_ohm, thickness_nm, resistivity_uohm_cm,
                         layer_sheet_resistances_ohm, conductance_shares):
    """Per-layer R_j [Ω] (or None), total R_□ [Ω] (or None), thickness [nm] (or None) and the
    resistivity [µΩ·cm] when it is given without a thickness (λ_L only)."""
    def _pos(name, v):
        v = float(v)
        if not (math.isfinite(v) and v > 0):
            raise ValueError(f"{name} must be finite and > 0, got {v}")
        return v

    def _ohm(name, v):
        v = _pos(name, v)
        lo, hi = SHEET_RESISTANCE_RANGE_OHM
        if not lo <= v <= hi:
            raise ValueError(f"{name} must be in [{lo:g}, {hi:g}] Ω (README \"Limits\"), got "
                             f"{v:g}")
        return v

    d = None if thickness_nm is None else _pos("thickness_nm", thickness_nm)
    if layer_sheet_resistances_ohm is not None:
        if sheet_resistance_ohm is not None or resistivity_uohm_cm is not None:
            raise ValueError("give layer_sheet_resistances_ohm or a total sheet resistance "
                             "(sheet_resistance_ohm / resistivity_uohm_cm), not both")
        Rj = [_ohm("layer sheet resistance", r) for r in
              np.atleast_1d(layer_sheet_resistances_ohm)]
        if len(Rj) != n_layers:
            raise ValueError(f"{n_layers} layers need {n_layers} sheet resistances, got {len(Rj)}")
        return Rj, 1.0 / sum(1.0 / r for r in Rj), d, None
    R = None
    if resistivity_uohm_cm is not None:
        rho = _pos("resistivity_uohm_cm", resistivity_uohm_cm)
        if sheet_resistance_ohm is not None and d is not None:
            raise ValueError("give at most two of sheet_resistance_ohm, resistivity_uohm_cm and "
                             "thickness_nm")
        if sheet_resistance_ohm is not None:
            R = _ohm("sheet_resistance_ohm", sheet_resistance_ohm)
            d = rho * 1e-8 / (R * 1e-9)  # ρ [Ω·m] / R_□ [Ω] in nm
        elif d is not None:
            R = _ohm("sheet resistance ρ/d", rho * 1e-8 / (d * 1e-9))  # 1 µΩ·cm = 1e-8 Ω·m
        else:  # λ_L only: R_□ d = ρ fixes L_k d
            return None, None, None, rho
    elif sheet_resistance_ohm is not None:
        R = _ohm("sheet_resistance_ohm", sheet_resistance_ohm)
    if R is None:
        return None, None, d, None
    if n_layers == 1:
        return [R], R, d, None
    if conductance_shares is None:
        raise ValueError(f"a stack of {n_layers} layers needs layer_sheet_resistances_ohm or "
                         "conductance_shares to split the total sheet resistance")
    g = np.asarray(conductance_shares, dtype=float).reshape(-1)
    if g.size != n_layers or np.any(~np.isfinite(g)) or np.any(g <= 0):
        raise ValueError(f"conductance_shares must be {n_layers} positive numbers")
    g = g / g.sum()
    return [float(R / gj) for gj in g], R, d, None


def superfluid_stiffness(gap, sheet_resistance_ohm: float | None = None, *,
                         thickness_nm: float | None = None,
                         resistivity_uohm_cm: float | None = None,
                         layer_sheet_resistances_ohm=None, conductance_shares=None,
                         tail: bool = True) -> StiffnessResult:
    r"""Kinetic inductance, phase stiffness and penetration depth of a solved gap.

    docs/stiffness.md §§1–5: 1/L_k = Σ_j 2S_j/(ħR_j), S_j = πk_BT Σ_{n∈ℤ} Δ_{j,n}²/(ω_n²+Δ_{j,n}²)
    (Mattis & Bardeen, Phys. Rev. 111, 412 (1958) in the BCS limit); J_s = (ħ/2e)²/L_k;
    λ_L = √(L_k d/μ₀).

    Parameters
    ----------
    gap : GapResult or StackGapResult
        Anything with ``temperature_K``, ``omega_n_meV`` (N,), ``delta_meV`` and ``z`` (L, N).
    sheet_resistance_ohm : float, optional
        Normal-state sheet resistance R_□ [Ω] of the film (of the whole stack for L > 1).
    thickness_nm : float, optional
        Film thickness d [nm] (penetration depth; with ``resistivity_uohm_cm`` gives R_□ = ρ/d).
    resistivity_uohm_cm : float, optional
        Normal-state resistivity ρ [µΩ·cm]. With the thickness it gives R_□ = ρ/d; alone it
        gives only λ_L (λ_L² = ħρ/(2μ₀S), independent of d).
    layer_sheet_resistances_ohm : sequence of float, optional
        R_j [Ω] of each layer of a stack (the layers conduct in parallel:
        1/R_□ = Σ_j 1/R_j, docs/stiffness.md §5).
    conductance_shares : sequence of float, optional
        Split of a total R_□ among the layers of a stack: layer j carries the fraction g_j of
        the normal conductance, R_j = R_□/g_j (normalised to Σ g_j = 1).
    tail : bool
        Add the Matsubara tail beyond the cutoff (docs/stiffness.md §4).

    Returns
    -------
    StiffnessResult

    Raises
    ------
    ValueError
        For a non-positive or inconsistent resistance/thickness input, or gap arrays that are
        not on the Matsubara grid of ``gap.temperature_K``.
    """
    T = float(gap.temperature_K)
    delta = np.atleast_2d(np.asarray(gap.delta_meV, dtype=float))
    z = np.atleast_2d(np.asarray(gap.z, dtype=float))
    nl = delta.shape[0]
    Rj, R, d, rho_only = _resolve_resistances(nl, sheet_resistance_ohm, thickness_nm,
                                              resistivity_uohm_cm, layer_sheet_resistances_ohm,
                                              conductance_shares)
    S, St = pair_sum_meV(gap.omega_n_meV, delta, z, T, tail=tail)
    fc, _ = clean_superfluid_fraction(gap.omega_n_meV, delta, z, T, tail=tail)
    sc = bool(getattr(gap, "superconducting", True)) and bool(np.any(S > 0))
    tail_frac = float(max((st / s if s > 0 else 0.0) for s, st in zip(S, St)))
    notes = []
    Lk = Js = lam = None
    if Rj is not None:
        Lk = kinetic_inductance_pH(S, Rj)
        Js = stiffness_K_from_inductance(Lk)
        if d is not None:
            lam = penetration_depth_nm(Lk, d)
    elif rho_only is not None:  # resistivity only: λ_L² = ħρ/(2μ₀S) (single film)
        if nl != 1:
            raise ValueError("resistivity alone gives λ_L only for a single film")
        tot = float(S[0]) * _MEV_J
        lam = (math.inf if tot <= 0
               else math.sqrt(HBAR_J_S * rho_only * 1e-8 / (2.0 * MU0_H_PER_M * tot)) * 1e9)
        notes.append("resistivity without thickness: penetration depth only")
    if not sc:
        notes.append("normal state (Δ = 0): no superfluid weight")
    return StiffnessResult(
        temperature_K=T, sheet_resistance_ohm=R,
        layer_sheet_resistances_ohm=tuple(Rj) if Rj is not None else (),
        pair_sums_meV=tuple(float(x) for x in S), tail_fraction=tail_frac,
        kinetic_inductance_pH=Lk, stiffness_K=Js, penetration_depth_nm=lam, thickness_nm=d,
        superfluid_fraction_clean=tuple(float(x) for x in fc), superconducting=sc,
        notes=tuple(notes))
