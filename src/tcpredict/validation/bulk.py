r"""Bulk superconductors: computed Tc and strong-coupling ratios against measured ones
(docs/validation.md §2).

For every element of the shipped data with a measured Tc > 0
(:mod:`tcpredict.materials.elements`) the Eliashberg Tc is computed
(:func:`tcpredict.eliashberg.tc.solve_tc`) and, when it is at least ``thermo_floor_K``, the
thermodynamics (:func:`tcpredict.eliashberg.thermo.thermodynamics`, docs/eliashberg.md §2.4):
2Δ₀/k_BTc from the real-axis gap edge (Padé, docs/eliashberg.md §2.3), ΔC/γTc, γTc²/H_c(0)² and
B_c(0) = μ₀H_c(0) with the free-electron N(0) = 3n/(4E_F0) per spin (the element data carry no
band-structure N(0)). These are compared with the measured values of ``data/bulk.csv`` and with
the strong-coupling correlation in Tc/ω_log of :func:`carbotte_two_delta`.

Pure functions returning lists of dicts (one dict per row; keys carry units, docs/glossary.md).
"""

from __future__ import annotations

import math

from tcpredict.units import K_B_MEV_PER_K

__all__ = ["carbotte_two_delta", "compute_bulk", "compare_bulk", "BCS_TWO_DELTA",
           "THERMO_FLOOR_K"]

#: BCS weak-coupling 2Δ₀/k_BTc (docs/eliashberg.md §4).
BCS_TWO_DELTA = 3.528
#: Lowest model Tc [K] for which the thermodynamics are computed (below it the Matsubara grid at
#: 0.1 Tc grows beyond ~10⁵ frequencies; the ratios are BCS there anyway).
THERMO_FLOOR_K = 0.1


def carbotte_two_delta(tc_over_omega_log):
    r"""Strong-coupling correlation 2Δ₀/k_BTc = 3.53 [1 + 12.5 t² ln(1/(2t))], t = k_BTc/ω_log.

    J. P. Carbotte, Rev. Mod. Phys. 62, 1027 (1990), Sec. IV (a fit to Eliashberg solutions for
    real α²F; the approach of F. Marsiglio and J. P. Carbotte and of B. Mitrović, H. G. Zarate and
    J. P. Carbotte, Phys. Rev. B 29, 184 (1984)); docs/validation.md §2. Meant for t ≲ 0.2; for
    t → 0 it tends to the BCS 3.53.
    """
    t = float(tc_over_omega_log)
    if not (math.isfinite(t) and t > 0):
        raise ValueError(f"tc_over_omega_log must be > 0, got {tc_over_omega_log}")
    return 3.53 * (1.0 + 12.5 * t * t * math.log(1.0 / (2.0 * t)))


def _fitted_mustar(el) -> bool:
    return el.sources.get("mustar", "").startswith("estimate (fitted)")


def _fitted_lambda(el) -> bool:
    return el.sources.get("lam", "").startswith("estimate (fitted)")


def compute_bulk(symbols=None, *, thermo_floor_K: float = THERMO_FLOOR_K,
                 n_temperatures: int = 12) -> list[dict]:
    """Computed bulk quantities of elements (default: every element with measured Tc > 0).

    Returns one dict per element: ``material``, ``lambda``, ``omega_log_meV``, ``mustar``,
    ``mustar_fitted`` (μ* was fitted to the measured Tc in the element data),
    ``lambda_fitted`` (λ was fitted to it instead, docs/materials.md §3),
    ``alpha2f_is_model``, ``tc_measured_K``, ``tc_K`` (Eliashberg, None below 0.01 K),
    ``allen_dynes_K``, ``tc_over_omega_log`` (k_BTc/ω_log with the model Tc),
    ``two_delta_over_kTc``, ``delta_c_over_gamma_tc``, ``gamma_tc2_over_hc02``, ``hc0_T``
    (free-electron N(0)), ``two_delta_correlation`` (:func:`carbotte_two_delta` at the model
    Tc/ω_log), ``note``.
    """
    from tcpredict.eliashberg.tc import solve_tc
    from tcpredict.eliashberg.thermo import thermodynamics
    from tcpredict.materials.elements import get_element, list_elements

    if symbols is None:
        symbols = [s for s in list_elements() if get_element(s).tc_measured_K > 0]
    if not math.isfinite(thermo_floor_K) or thermo_floor_K <= 0:
        raise ValueError(f"thermo_floor_K must be > 0 K, got {thermo_floor_K}")
    rows = []
    for sym in symbols:
        el = get_element(sym)
        sp = el.alpha2f()
        r = solve_tc(sp, el.mustar, mustar_at_meV=el.mustar_at_meV)
        row = {"material": el.symbol, "lambda": sp.lam, "omega_log_meV": sp.omega_log_meV,
               "mustar": el.mustar, "mustar_fitted": _fitted_mustar(el),
               "lambda_fitted": _fitted_lambda(el),
               "alpha2f_is_model": el.alpha2f_is_model, "tc_measured_K": el.tc_measured_K,
               "tc_K": r.tc_K, "allen_dynes_K": r.allen_dynes_K, "tc_over_omega_log": None,
               "two_delta_over_kTc": None, "delta_c_over_gamma_tc": None,
               "gamma_tc2_over_hc02": None, "hc0_T": None, "two_delta_correlation": None,
               "note": ""}
        if r.tc_K is None:
            row["note"] = f"no Tc above {r.t_min_K} K in the model"
        else:
            t = K_B_MEV_PER_K * r.tc_K / sp.omega_log_meV
            row["tc_over_omega_log"] = t
            row["two_delta_correlation"] = carbotte_two_delta(t)
            if r.tc_K < thermo_floor_K:
                row["note"] = (f"model Tc below {thermo_floor_K} K: thermodynamics not "
                               "computed")
            else:
                n0 = 3.0 * el.n_per_nm3 / (4.0 * el.fermi_energy_eV * 1e3)
                th = thermodynamics(sp, el.mustar, mustar_at_meV=el.mustar_at_meV,
                                    n0_per_meV_nm3=n0, n_temperatures=n_temperatures)
                row.update(two_delta_over_kTc=th.two_delta_over_kTc,
                           delta_c_over_gamma_tc=th.delta_c_over_gamma_tc,
                           gamma_tc2_over_hc02=th.gamma_tc2_over_hc02, hc0_T=th.hc0_T)
        rows.append(row)
    return rows


def compare_bulk(computed: list[dict], measured: list[dict]) -> list[dict]:
    """Residuals computed − measured for every measured row whose element was computed.

    Returns one dict per measured row: ``material``, ``quantity``, ``measured``, ``computed``,
    ``residual`` (computed − measured, same unit as the quantity), ``relative_residual``
    (residual/measured), ``correlation`` (the Tc/ω_log correlation for 2Δ₀/k_BTc, else None),
    ``mustar_fitted``, ``alpha2f_is_model``, ``source``, ``locator``, ``identifier``. A computed
    value that is missing (model Tc too low) gives ``computed = None`` and no residual.
    """
    by_sym = {c["material"]: c for c in computed}
    out = []
    for m in measured:
        c = by_sym.get(m["material"])
        if c is None:
            continue
        val = c.get(m["quantity"])
        res = None if val is None else val - m["measured_value"]
        out.append({"material": m["material"], "quantity": m["quantity"],
                    "measured": m["measured_value"], "computed": val, "residual": res,
                    "relative_residual": None if res is None else res / m["measured_value"],
                    "correlation": c["two_delta_correlation"]
                    if m["quantity"] == "two_delta_over_kTc" else None,
                    "mustar_fitted": c["mustar_fitted"],
                    "alpha2f_is_model": c["alpha2f_is_model"], "source": m["source"],
                    "locator": m["locator"], "identifier": m["identifier"]})
    return out
