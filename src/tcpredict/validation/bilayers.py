r"""Bilayers: measured proximity Tc against the stack solver and the BCS Cooper-limit formula
(docs/validation.md §4).

Method 1, the Eliashberg stack solver (:func:`tcpredict.stacks.proximity.bilayer`,
docs/proximity.md §1–§3) with confinement off (TES layers are tens to hundreds of nm thick) in
the Cooper limit: the bilayer is one superconductor with α²F_eff = Σ w_j α²F_j,
μ*_eff = Σ w_j μ*_j, w_j = d_jN_j/Σ d_kN_k, N_j the free-electron DOS of the element data.
Without confinement the result depends on the thickness ratio only, so a source that gives the
ratio alone is computed at d_b = ``NOMINAL_THICKNESS_NM`` and d_a = ratio × d_b.

Method 2, the weak-coupling (BCS) Cooper limit of :func:`cooper_limit_bcs_tc_K`, fed with the
*measured* Tc of the superconducting layer, so that it tests the proximity averaging alone
(not the element's λ, μ*).
"""

from __future__ import annotations

import math

__all__ = ["cooper_limit_bcs_tc_K", "compare_bilayers", "NOMINAL_THICKNESS_NM"]

#: Thickness [nm] of layer b used when a source gives only d_a/d_b (unconfined layers: the
#: Cooper-limit Tc depends on the ratio only, docs/proximity.md §3).
NOMINAL_THICKNESS_NM = 100.0


def cooper_limit_bcs_tc_K(tc_K, weights, debye_K: float) -> float:
    r"""Tc [K] of thin proximity-coupled layers in the weak-coupling Cooper limit.

    L. N. Cooper, Phys. Rev. Lett. 6, 689 (1961); P. G. de Gennes, Rev. Mod. Phys. 36, 225
    (1964): when every layer is thinner than the coherence length the pair amplitude is uniform
    and the BCS couplings average with the weights w_j = d_jN_j/Σ_k d_kN_k,

        (NV)_eff = Σ_j w_j (NV)_j,   (NV)_j = 1/ln(1.13 Θ_D/Tc_j)  (0 for Tc_j = 0),
        Tc = 1.13 Θ_D exp(−1/(NV)_eff),

    with one Debye cutoff Θ_D [K] for all layers (docs/validation.md §4). For a superconductor
    S on a normal metal N (Tc_N = 0) this is Tc = Tc_S (Tc_S/1.13Θ_D)^{α}, α = d_NN_N/(d_SN_S).

    Parameters
    ----------
    tc_K : sequence of float
        Tc_j of each layer alone [K] (≥ 0, below 1.13 Θ_D).
    weights : sequence of float
        d_jN_j of each layer (any common unit; normalised here).
    debye_K : float
        The common cutoff Θ_D [K].
    """
    tcs = [float(t) for t in tc_K]
    w = [float(x) for x in weights]
    if len(tcs) != len(w) or not tcs:
        raise ValueError("tc_K and weights must have the same non-zero length")
    th = float(debye_K)
    if not (math.isfinite(th) and th > 0):
        raise ValueError(f"debye_K must be > 0 K, got {debye_K}")
    if any(not math.isfinite(x) or x < 0 for x in w) or sum(w) <= 0:
        raise ValueError("weights must be ≥ 0 with a positive sum")
    if any(not math.isfinite(t) or t < 0 or t >= 1.13 * th for t in tcs):
        raise ValueError("each tc_K must be in [0, 1.13 debye_K)")
    s = sum(w)
    g = sum(wj / s * (1.0 / math.log(1.13 * th / t) if t > 0 else 0.0) for wj, t in zip(w, tcs))
    if g <= 0:
        return 0.0
    return 1.13 * th * math.exp(-1.0 / g)


def compare_bilayers(rows: list[dict], *, t_min_K: float = 0.005) -> list[dict]:
    """Both methods for every row of ``data/bilayers.csv``.

    Returns one dict per row: ``a``, ``b``, ``thickness_a_nm``, ``thickness_b_nm``,
    ``thickness_basis``, ``weight_a`` (d_aN_a/Σ d N), ``tc_measured_K``, ``tc_stack_K``
    (Eliashberg Cooper limit, unconfined), ``tc_a_alone_K`` (model), ``tc_bcs_cooper_K``
    (method 2 with the measured bulk Tc of both layers and Θ_D of layer a), ``residual_stack_K``,
    ``residual_bcs_K``, ``alpha_model`` (d_bN_b/(d_aN_a) of the free-electron N),
    ``alpha_needed_bcs`` (the α for which method 2 gives the measured Tc, S/N bilayers only),
    ``source``, ``identifier``.
    """
    from tcpredict.materials.elements import get_element
    from tcpredict.stacks.proximity import Layer, bilayer

    out = []
    for row in rows:
        ea, eb = get_element(row["a"]), get_element(row["b"])
        if row["thickness_a_nm"] is not None and row["thickness_b_nm"] is not None:
            da, db, basis = row["thickness_a_nm"], row["thickness_b_nm"], "published"
        else:
            db = NOMINAL_THICKNESS_NM
            da = row["thickness_ratio_a_to_b"] * db
            basis = (f"ratio {row['thickness_ratio_a_to_b']:g} published; d_b = {db:g} nm "
                     "nominal (unconfined Cooper limit: only the ratio matters)")
        la = Layer.from_element(ea.symbol, da, confined=False)
        lb = Layer.from_element(eb.symbol, db, confined=False)
        res = bilayer(la, lb, cooper_limit=True).tc(t_min_K=t_min_K)
        sa, sb = res.layers[0].weight, res.layers[1].weight  # d_j N_j
        wa = sa / (sa + sb)
        tc_bcs = cooper_limit_bcs_tc_K([ea.tc_measured_K, eb.tc_measured_K], [wa, 1.0 - wa],
                                       ea.debye_K)
        meas = row["tc_measured_K"]
        # diagnostic: the N_b d_b/(N_a d_a) that the BCS Cooper limit needs for the measured Tc
        t0, th = ea.tc_measured_K, ea.debye_K
        alpha_needed = (math.log(meas / t0) / math.log(t0 / (1.13 * th))
                        if eb.tc_measured_K == 0 and 0 < meas < t0 else None)
        out.append({"a": ea.symbol, "b": eb.symbol, "thickness_a_nm": da, "thickness_b_nm": db,
                    "thickness_basis": basis, "weight_a": wa, "tc_measured_K": meas,
                    "tc_stack_K": res.tc_K, "tc_a_alone_K": res.layers[0].tc_alone_K,
                    "tc_a_measured_K": ea.tc_measured_K, "debye_a_K": ea.debye_K,
                    "tc_bcs_cooper_K": tc_bcs,
                    "residual_stack_K": None if res.tc_K is None else res.tc_K - meas,
                    "residual_bcs_K": tc_bcs - meas,
                    "alpha_model": (1.0 - wa) / wa, "alpha_needed_bcs": alpha_needed,
                    "source": row["source"],
                    "identifier": row["identifier"]})
    return out


def cooper_limit_curves(a: str, b: str, alphas, *, t_min_K: float = 0.005) -> list[dict]:
    """Tc of an unconfined a/b bilayer versus α = d_bN_b/(d_aN_a) by both methods (for the
    figure of docs/validation.md §4): one dict per α with ``alpha``, ``thickness_ratio_b_to_a``,
    ``tc_stack_K`` (Eliashberg Cooper limit) and ``tc_bcs_cooper_K`` (measured bulk Tc_a)."""
    from tcpredict.materials.elements import get_element
    from tcpredict.stacks.proximity import Layer, bilayer

    ea, eb = get_element(a), get_element(b)
    na = Layer.from_element(ea.symbol, 1.0, confined=False).couplings()["dos_per_spin"]
    nb = Layer.from_element(eb.symbol, 1.0, confined=False).couplings()["dos_per_spin"]
    out = []
    for al in alphas:
        al = float(al)
        if not (math.isfinite(al) and al > 0):
            raise ValueError(f"alpha must be > 0, got {al}")
        ratio = al * na / nb  # d_b/d_a
        la = Layer.from_element(ea.symbol, NOMINAL_THICKNESS_NM, confined=False)
        lb = Layer.from_element(eb.symbol, NOMINAL_THICKNESS_NM * ratio, confined=False)
        tc = bilayer(la, lb, cooper_limit=True).tc(t_min_K=t_min_K, layer_tc=False).tc_K
        bcs = cooper_limit_bcs_tc_K([ea.tc_measured_K, eb.tc_measured_K], [1.0, al],
                                    ea.debye_K)
        out.append({"alpha": al, "thickness_ratio_b_to_a": ratio, "tc_stack_K": tc,
                    "tc_bcs_cooper_K": bcs})
    return out


__all__.append("cooper_limit_curves")
