"""Superfluid weight, kinetic inductance and stiffness from the Matsubara gap (issue 13, item 1;
docs/stiffness.md)."""

import math
from types import SimpleNamespace

import numpy as np
import pytest
from scipy.optimize import brentq

from tcpredict.eliashberg.gap import solve_gap
from tcpredict.eliashberg.spectra import einstein
from tcpredict.eliashberg.stiffness import (
    MU0_H_PER_M,
    R_Q_OHM,
    clean_superfluid_fraction,
    kinetic_inductance_pH,
    pair_sum_meV,
    penetration_depth_nm,
    stiffness_K_from_inductance,
    superfluid_stiffness,
)
from tcpredict.eliashberg.tc import solve_tc
from tcpredict.units import E_CHARGE_C, HBAR_J_S, K_B_MEV_PER_K

ZETA3 = 1.2020569031595942


def wn(T, n):
    return np.pi * K_B_MEV_PER_K * T * (2 * np.arange(n) + 1)


class ConstGap:
    """A BCS gap: Δ(iω_n) = Δ at every n, Z = 1 (the Mattis–Bardeen/BCS limit)."""

    def __init__(self, T, delta, n=400, layers=1):
        self.temperature_K = T
        self.omega_n_meV = wn(T, n)
        self.delta_meV = np.full((layers, n), float(delta))
        self.z = np.ones((layers, n))
        self.superconducting = delta != 0


def bcs_gap_meV(tc_K, T):
    """Independent weak-coupling BCS gap Δ(T) [meV]: root of
    ln(Tc/T) = 2πk_BT Σ_{n≥0} [1/ω_n − 1/√(ω_n²+Δ²)] (BCS, cutoff → ∞; e.g. Abrikosov–Gor'kov
    form of the gap equation), the sum beyond 10⁵ terms by its integral."""
    if T >= tc_K:
        return 0.0
    t = K_B_MEV_PER_K * T
    w = np.pi * t * (2 * np.arange(100_000) + 1)

    def f(D):
        s = 2 * np.pi * t * np.sum(1 / w - 1 / np.sqrt(w ** 2 + D ** 2))
        w1 = w[-1] + np.pi * t
        s += np.log((w1 + np.sqrt(w1 ** 2 + D ** 2)) / (2 * w1))
        return s - np.log(tc_K / T)

    return brentq(f, 1e-14, 3 * K_B_MEV_PER_K * tc_K, xtol=1e-16)


# ------------------------------------------------------------------ BCS (constant Δ) limits
@pytest.mark.parametrize("T,delta", [(0.05, 0.18), (1.0, 0.18), (1.0, 1.4), (5.0, 0.05)])
def test_pair_sum_bcs_closed_form(T, delta):
    # Σ_{n∈ℤ} 1/(ω_n²+Δ²) = tanh(Δ/2k_BT)/(2Δk_BT)  ⇒  S = (π/2)Δ tanh(Δ/2k_BT)  (exact;
    # the tail formula is exact for constant Δ, so the truncated grid must not matter)
    g = ConstGap(T, delta, n=50)
    S, tail = pair_sum_meV(g.omega_n_meV, g.delta_meV, g.z, T)
    exact = 0.5 * np.pi * delta * np.tanh(delta / (2 * K_B_MEV_PER_K * T))
    assert S[0] == pytest.approx(exact, rel=1e-12)
    assert tail[0] > 0
    S0, _ = pair_sum_meV(g.omega_n_meV, g.delta_meV, g.z, T, tail=False)
    assert S0[0] == pytest.approx(exact - tail[0], rel=1e-12)


def test_kinetic_inductance_bcs_zero_temperature():
    # Mattis–Bardeen at T = 0: L_k = ħR_□/(πΔ₀) (Tinkham, Introduction to Superconductivity,
    # eq. 3.131 with σ₂/σ_n = πΔ/ħω); T/Δ₀ = 1/60 leaves tanh = 1 − 1e-13
    d0, R = 0.18, 1000.0
    g = ConstGap(0.05, d0)
    s = superfluid_stiffness(g, R)
    expect_pH = HBAR_J_S * R / (np.pi * d0 * 1e-3 * E_CHARGE_C) * 1e12
    assert s.kinetic_inductance_pH == pytest.approx(expect_pH, rel=1e-12)
    # J_s = (ħ/2e)²/L_k = (π/4)(R_Q/R_□)Δ₀ (docs/stiffness.md §3)
    assert s.stiffness_K == pytest.approx(np.pi / 4 * R_Q_OHM / R * d0 / K_B_MEV_PER_K,
                                          rel=1e-9)
    assert s.superconducting and s.penetration_depth_nm is None


def test_clean_fraction_bcs_limits():
    # BCS clean limit: n_s/n = 1 at T = 0 and 2(1 − T/Tc) near Tc (Tinkham §3.10.2 / the spec)
    g = ConstGap(0.01, 0.5)
    f, _ = clean_superfluid_fraction(g.omega_n_meV, g.delta_meV, g.z, 0.01)
    assert f[0] == pytest.approx(1.0, abs=1e-9)
    tc, t = 1.0, 0.9995
    # BCS near Tc: Δ² = (8π²/7ζ(3)) (k_BTc)² (1 − t)
    d = np.sqrt(8 * np.pi ** 2 / (7 * ZETA3)) * K_B_MEV_PER_K * tc * np.sqrt(1 - t)
    g = ConstGap(t * tc, d, n=2000)
    f, _ = clean_superfluid_fraction(g.omega_n_meV, g.delta_meV, g.z, t * tc)
    assert f[0] == pytest.approx(2 * (1 - t), rel=3e-3)


# ------------------------------------------------------------------ Eliashberg, weak coupling
@pytest.fixture(scope="module")
def weak():
    """Einstein λ = 0.2, Ω = 50 meV, μ* = 0: Δ₀/Ω ≈ 3e-3, the BCS limit to that order."""
    sp = einstein(50.0, 0.2)
    tc = solve_tc(sp, 0.0, rtol=1e-7).tc_K
    temps = [0.1, 0.3, 0.5, 0.7, 0.9]
    gaps = {t: solve_gap(sp, 0.0, t * tc, tc_K=tc) for t in temps}
    return sp, tc, gaps


def test_weak_coupling_temperature_dependence_is_bcs(weak):
    # 1/L_k ∝ Δ(T) tanh(Δ(T)/2k_BT) with Δ(T) from the independent BCS gap equation above
    # (Mattis & Bardeen, Phys. Rev. 111, 412 (1958)). The overall scale differs from the
    # constant-gap value by the frequency dependence of Δ(iω) above Ω (docs/stiffness.md §1):
    # relative −c Δ₀/Ω with c = O(1) (3/2 for a Lorentzian fall-off); the T-dependence
    # (ratio to T = 0.1 Tc) is BCS to 5e-4.
    sp, tc, gaps = weak
    R = 500.0
    ratios, eli = [], []
    for t, g in gaps.items():
        T = t * tc
        d = bcs_gap_meV(tc, T)
        bcs_inv_lk = np.pi * d * np.tanh(d / (2 * K_B_MEV_PER_K * T))  # ∝ 1/L_k (×1/ħR)
        s = superfluid_stiffness(g, R)
        eli.append(1.0 / s.kinetic_inductance_pH)
        ratios.append(bcs_inv_lk)
        x = d / 50.0 if t == 0.1 else None
        if x is not None:
            expect_pH = HBAR_J_S * R / (bcs_inv_lk * 1e-3 * E_CHARGE_C) * 1e12
            assert abs(s.kinetic_inductance_pH / expect_pH - 1) < 1.5 * x
    eli = np.array(eli) / eli[0]
    ratios = np.array(ratios) / ratios[0]
    assert np.max(np.abs(eli / ratios - 1)) < 5e-4


def test_tail_matches_the_continued_gap_equations():
    # Brute force: evaluate the solver's own equations (eliashberg.md §2, sharp cutoff: sums over
    # m < N) at n = N … 60N − 1, sum Δ_n²/(ω_n²+Δ_n²) there directly; the closed-form tail must
    # agree to 15 % of the tail (held φ = ZΔ and ω(Z − 1), docs/stiffness.md §4).
    for lam, om, mu, cut in ((1.0, 10.0, 0.2, 5.0), (1.0, 10.0, 0.2, 10.0), (0.5, 20.0, 0.13, 5.0)):
        sp = einstein(om, lam)
        tc = solve_tc(sp, mu, cutoff_meV=cut * om, rtol=1e-6).tc_K
        g = solve_gap(sp, mu, 0.4 * tc, cutoff_meV=cut * om, tc_K=tc)
        T, t = g.temperature_K, K_B_MEV_PER_K * g.temperature_K
        w, d, N, mu_c = g.omega_n_meV, g.delta_meV[0], g.n_matsubara, g.mustar_at_cutoff[0]
        M = 60 * N

        def kern(k):  # exact Einstein kernel λ(ν_k) = λΩ²/(Ω²+ν_k²)
            return lam * om ** 2 / (om ** 2 + (2 * np.pi * t * k) ** 2)

        n = np.arange(N, M)[:, None]
        m = np.arange(N)[None, :]
        R = np.sqrt(w ** 2 + d ** 2)
        phi = np.pi * t * ((kern(n - m) + kern(n + m + 1) - 2 * mu_c) @ (d / R))
        w_out = np.pi * t * (2 * np.arange(N, M) + 1)
        ks = kern(np.arange(M + 1))
        zw = (w_out + np.pi * t * (ks[0] + 2 * np.cumsum(ks[1:])[np.arange(N, M) - 1])
              + np.pi * t * ((kern(n - m) - kern(n + m + 1)) @ (w / R - 1)))
        d_out = phi / (zw / w_out)
        allw = np.concatenate([w, w_out])
        alld = np.concatenate([d, d_out])[None, :]
        allz = np.concatenate([g.z[0], zw / w_out])[None, :]
        S_brute, _ = pair_sum_meV(allw, alld, allz, T)
        S0, _ = pair_sum_meV(w, g.delta_meV, g.z, T, tail=False)
        S1, tail = pair_sum_meV(w, g.delta_meV, g.z, T)
        brute_tail = S_brute[0] - S0[0]
        assert brute_tail > 0
        assert abs(tail[0] - brute_tail) < 0.15 * brute_tail
        assert abs(S1[0] / S_brute[0] - 1) < 5e-4
        f_brute, _ = clean_superfluid_fraction(allw, alld, allz, T)
        f0, _ = clean_superfluid_fraction(w, g.delta_meV, g.z, T, tail=False)
        f1, ftail = clean_superfluid_fraction(w, g.delta_meV, g.z, T)
        assert abs(ftail[0] - (f_brute[0] - f0[0])) < 0.15 * (f_brute[0] - f0[0])


# ------------------------------------------------------------------ Z renormalisation
def test_clean_limit_mass_renormalisation():
    # Clean limit at T → 0 with Δ₀ ≪ Ω: Z(iω) ≈ 1+λ where Δ²/(ω²+Δ²)^{3/2} has its weight, so
    # n_s/n → 1/(1+λ) (the mass enhancement of the London penetration depth, λ_L² ∝ (1+λ);
    # Carbotte, Rev. Mod. Phys. 62, 1027 (1990), Sec. IV; docs/stiffness.md §2). μ* lowers
    # Δ₀/Ω at fixed λ; the deviation must shrink towards 0 as Δ₀/Ω does.
    lam, om = 1.0, 50.0
    sp = einstein(om, lam)
    devs, xs = [], []
    for mu in (0.2, 0.3, 0.35):
        tc = solve_tc(sp, mu, rtol=1e-6).tc_K
        g = solve_gap(sp, mu, 0.1 * tc, tc_K=tc)
        s = superfluid_stiffness(g, 100.0)
        devs.append(s.superfluid_fraction_clean[0] * (1 + lam) - 1)
        xs.append(g.delta_meV[0, 0] / om)
    assert xs[0] > xs[1] > xs[2]
    assert abs(devs[0]) > abs(devs[1]) > abs(devs[2])
    assert abs(devs[2]) < 1.5e-3
    assert max(abs(v) for v in devs) < 1e-2
    # λ = 2 (μ* given at the cutoff): n_s/n ≈ 1/3, not the BCS value 1
    sp2 = einstein(om, 2.0)
    tc = solve_tc(sp2, 0.5, mustar_at_meV=500.0, rtol=1e-6).tc_K
    g = solve_gap(sp2, 0.5, 0.1 * tc, mustar_at_meV=500.0, tc_K=tc)
    f = superfluid_stiffness(g, 100.0).superfluid_fraction_clean[0]
    assert f * 3.0 == pytest.approx(1.0, abs=2e-2)


# ------------------------------------------------------------------ layers, units, errors
def test_layers_in_parallel_and_conductance_shares():
    g = ConstGap(0.1, 0.2, layers=2)
    g.delta_meV[1] = 0.05
    R1, R2 = 800.0, 1200.0
    s = superfluid_stiffness(g, layer_sheet_resistances_ohm=[R1, R2])
    S, _ = pair_sum_meV(g.omega_n_meV, g.delta_meV, g.z, 0.1)
    inv = 1 / kinetic_inductance_pH(S[:1], [R1]) + 1 / kinetic_inductance_pH(S[1:], [R2])
    assert 1 / s.kinetic_inductance_pH == pytest.approx(inv, rel=1e-12)
    assert s.sheet_resistance_ohm == pytest.approx(1 / (1 / R1 + 1 / R2), rel=1e-12)
    # the same split from the total R_□ and conductance shares g_j = R_□/R_j
    Rt = s.sheet_resistance_ohm
    s2 = superfluid_stiffness(g, Rt, conductance_shares=[Rt / R1, Rt / R2])
    assert s2.kinetic_inductance_pH == pytest.approx(s.kinetic_inductance_pH, rel=1e-12)


def test_penetration_depth_from_thickness_or_resistivity():
    g = ConstGap(0.05, 0.18)
    d_nm, rho = 20.0, 5.0  # µΩ·cm → R_□ = ρ/d = 25 Ω
    s = superfluid_stiffness(g, resistivity_uohm_cm=rho, thickness_nm=d_nm)
    assert s.sheet_resistance_ohm == pytest.approx(rho * 1e-8 / (d_nm * 1e-9))
    lam = math.sqrt(s.kinetic_inductance_pH * 1e-12 * d_nm * 1e-9 / MU0_H_PER_M) * 1e9
    assert s.penetration_depth_nm == pytest.approx(lam, rel=1e-12)
    assert penetration_depth_nm(s.kinetic_inductance_pH, d_nm) == pytest.approx(lam)
    # dirty BCS, T = 0: λ_L² = ħρ/(πμ₀Δ₀), independent of d
    only = superfluid_stiffness(g, resistivity_uohm_cm=rho)
    expect = math.sqrt(HBAR_J_S * rho * 1e-8 / (np.pi * MU0_H_PER_M * 0.18e-3 * E_CHARGE_C))
    assert only.penetration_depth_nm == pytest.approx(expect * 1e9, rel=1e-10)
    assert only.kinetic_inductance_pH is None


def test_stack_gap_result_cooper_limit():
    # Cooper-limit stack: both layers carry one gap, so 1/L_k = 2S/ħ (1/R_1 + 1/R_2)
    from tcpredict.stacks.proximity import Layer, bilayer

    a = Layer(einstein(10.0, 0.8), 0.1, thickness_nm=2.0, dos_per_spin=1.0, material="A")
    b = Layer(einstein(20.0, 0.3), 0.1, thickness_nm=1.0, dos_per_spin=1.0, material="B")
    st = bilayer(a, b, cooper_limit=True)
    tc = st.tc(layer_tc=False, method="exact").tc_K
    g = st.gaps(0.5 * tc, tc_K=tc)
    assert np.array_equal(g.delta_meV[0], g.delta_meV[1])
    s = superfluid_stiffness(g, layer_sheet_resistances_ohm=[300.0, 600.0])
    one = SimpleNamespace(temperature_K=g.temperature_K, omega_n_meV=g.omega_n_meV,
                          delta_meV=g.delta_meV[:1], z=g.z[:1])
    single = superfluid_stiffness(one, 200.0)  # 1/200 = 1/300 + 1/600
    assert s.kinetic_inductance_pH == pytest.approx(single.kinetic_inductance_pH, rel=1e-12)


def test_normal_state_and_errors():
    g = ConstGap(1.0, 0.0)
    s = superfluid_stiffness(g, 100.0)
    assert not s.superconducting and math.isinf(s.kinetic_inductance_pH)
    assert s.stiffness_K == 0.0
    g = ConstGap(1.0, 0.2)
    with pytest.raises(ValueError, match="sheet_resistance_ohm"):
        superfluid_stiffness(g, -5.0)
    with pytest.raises(ValueError, match="at most two"):
        superfluid_stiffness(g, 10.0, thickness_nm=2.0, resistivity_uohm_cm=3.0)
    g2 = ConstGap(1.0, 0.2, layers=2)
    with pytest.raises(ValueError, match="conductance_shares"):
        superfluid_stiffness(g2, 10.0)
    with pytest.raises(ValueError, match="Matsubara"):
        pair_sum_meV(g.omega_n_meV * 1.01, g.delta_meV, g.z, 1.0)
    with pytest.raises(ValueError, match="> 0"):
        stiffness_K_from_inductance(0.0)
