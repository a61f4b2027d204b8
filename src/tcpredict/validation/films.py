r"""Films: measured Tc of ultrathin films against Tc(L) of every shipped thickness rule, with
and without the BKT limit (docs/validation.md §3).

For each row of ``data/films.csv``:

- the thickness L is the published one, or, when the source gives the coverage, the equivalent
  thickness L = σ/n_at (areal density σ [nm⁻²] over the bulk atomic density n_at = n/Z of the
  element data: conduction-electron density n over valence Z);
- Tc(L) is computed for every pair (λ rule, μ* rule) of
  :data:`~tcpredict.films.thickness_rules.LAMBDA_RULE_NAMES` ×
  :data:`~tcpredict.films.thickness_rules.MUSTAR_RULE_NAMES` with the film model of
  docs/confinement.md §6 (:class:`tcpredict.films.film.FilmModel`);
- T_BKT(L) (docs/stiffness.md §5, :func:`tcpredict.films.bkt.film_bkt`) with the measured R_□
  when the source gives it, otherwise with the surface-limited rule of
  :func:`surface_limited_sheet_resistance_ohm`.

Pure functions returning lists of dicts; the report (:mod:`tcpredict.validation.report`) turns
them into tables and figures.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["equivalent_thickness_nm", "surface_limited_sheet_resistance_ohm", "rule_pairs",
           "compare_films", "film_curves", "DEFAULT_RULES"]

#: The default thickness rules (docs/confinement.md §5.1).
DEFAULT_RULES = ("dos-scaling", "constant")


def rule_pairs():
    """Every (λ rule, μ* rule) pair of the shipped rules, the default pair first."""
    from tcpredict.films.thickness_rules import LAMBDA_RULE_NAMES, MUSTAR_RULE_NAMES

    pairs = [(a, b) for a in LAMBDA_RULE_NAMES for b in MUSTAR_RULE_NAMES]
    pairs.remove(DEFAULT_RULES)
    return [DEFAULT_RULES] + pairs


def equivalent_thickness_nm(areal_density_per_nm2: float, element) -> float:
    """L = σ/n_at [nm]: the thickness of bulk metal holding σ atoms per nm², with the atomic
    density n_at = n_per_nm3/valence of the element data (docs/validation.md §3)."""
    s = float(areal_density_per_nm2)
    if not (math.isfinite(s) and s > 0):
        raise ValueError(f"areal_density_per_nm2 must be > 0, got {areal_density_per_nm2}")
    return s / (element.n_per_nm3 / element.valence)


def surface_limited_sheet_resistance_ohm(thickness_nm, n_per_nm3: float):
    r"""R_□(L) = ħk_F/(n e² L²) [Ω]: the free-electron (Drude) sheet resistance of a film whose
    mean free path equals its thickness, ℓ = L (ρ = ħk_F/(n e² ℓ), Ashcroft & Mermin, *Solid
    State Physics*, eqs. 1.6 and 2.2; k_F = (3π²n)^{1/3}).

    The stated rule of docs/validation.md §3 for films whose R_□ is not published: diffuse
    surfaces limit ℓ to about L in a film one or two atoms thick. It ignores grain boundaries,
    disorder and the substrate (real monolayers may be better or worse conductors).
    """
    from tcpredict.films.bkt import drude_mean_free_path_nm

    L = np.asarray(thickness_nm, dtype=float)
    if np.any(~np.isfinite(L)) or np.any(L <= 0):
        raise ValueError("thickness_nm must be > 0")
    # ρℓ is a material constant: ℓ [nm] at ρ = 1 µΩ·cm gives ρℓ = ℓ₁ µΩ·cm·nm = ℓ₁·1e-17 Ω·m²
    rho_ell = drude_mean_free_path_nm(n_per_nm3, 1.0) * 1e-17  # Ω·m²
    R = rho_ell / (L * 1e-9) ** 2
    return float(R) if R.ndim == 0 else R


def _thickness(row, el):
    if row["thickness_nm"] is not None:
        return float(row["thickness_nm"]), "published thickness"
    L = equivalent_thickness_nm(row["areal_density_per_nm2"], el)
    return L, (f"{row['areal_density_per_nm2']:g} atoms/nm² ÷ "
               f"{el.n_per_nm3 / el.valence:.4g} atoms/nm³")


def compare_films(rows: list[dict], *, rules=None, bkt: bool = True,
                  t_min_K: float = 0.05) -> list[dict]:
    """Model Tc and T_BKT at each measured film, for each pair of thickness rules.

    Parameters
    ----------
    rows : list of dict
        Rows of :func:`tcpredict.validation.datasets.load_table` ``("films")``.
    rules : list of (str, str), optional
        (λ rule, μ* rule) pairs (default :func:`rule_pairs`).
    bkt : bool
        Also compute T_BKT (default True).
    t_min_K : float
        Floor [K]: lower Tc is None.

    Returns
    -------
    list of dict
        One dict per (film, rule pair): ``material``, ``structure``, ``line`` (of the data
        file), ``thickness_nm``, ``thickness_basis``, ``critical_thickness_nm``, ``x`` (L/L_c),
        ``tc_measured_K``, ``tc_criterion``, ``kind``, ``lambda_rule``, ``mustar_rule``,
        ``lambda``, ``mustar``, ``tc_K``, ``tc_bulk_model_K``, ``residual_K`` (tc_K − measured),
        ``ratio`` (tc_K/measured), ``sheet_resistance_ohm``, ``sheet_resistance_basis``,
        ``tc_bkt_K``, ``residual_bkt_K``, ``source``, ``identifier``.
    """
    from tcpredict.films.bkt import film_bkt
    from tcpredict.films.film import FilmMaterial, FilmModel
    from tcpredict.materials.elements import get_element

    rules = rule_pairs() if rules is None else list(rules)
    out = []
    models = {}
    for row in rows:
        el = get_element(row["material"])
        L, basis = _thickness(row, el)
        if row["sheet_resistance_ohm"] is not None:
            R, rbasis = float(row["sheet_resistance_ohm"]), "measured (source)"
        else:
            R = surface_limited_sheet_resistance_ohm(L, el.n_per_nm3)
            rbasis = "rule ℓ = L (free-electron Drude)"
        for lr, mr in rules:
            key = (el.symbol, lr, mr)
            if key not in models:
                models[key] = FilmModel(FilmMaterial.from_element(el), lr, mr, t_min_K=t_min_K)
            model = models[key]
            f, mu = model.couplings(L)
            tc = model.tc_K(L)
            tb = None
            if bkt and tc is not None:
                tb = film_bkt(model, L, R, tc_K=tc).tc_bkt_K
            meas = row["tc_measured_K"]
            out.append({
                "material": el.symbol, "structure": row["structure"], "line": row["line"],
                "thickness_nm": L, "thickness_basis": basis,
                "critical_thickness_nm": model.film.critical_thickness_nm,
                "x": L / model.film.critical_thickness_nm,
                "tc_measured_K": meas, "tc_criterion": row["tc_criterion"], "kind": row["kind"],
                "lambda_rule": lr, "mustar_rule": mr, "lambda": float(f[0]) * el.lam,
                "mustar": float(mu[0]), "tc_K": tc, "tc_bulk_model_K": model.tc_bulk_model_K(),
                "residual_K": None if tc is None else tc - meas,
                "ratio": None if tc is None else tc / meas,
                "sheet_resistance_ohm": R, "sheet_resistance_basis": rbasis,
                "tc_bkt_K": tb, "residual_bkt_K": None if tb is None else tb - meas,
                "source": row["source"], "identifier": row["identifier"]})
    return out


def film_curves(materials, thickness_nm, *, rules=None, bkt_rules=(DEFAULT_RULES,),
                t_min_K: float = 0.05) -> dict:
    """Tc(L) curves for the figures: ``{material: {(λ rule, μ* rule): FilmResult}}``.

    The pairs in ``bkt_rules`` also get T_BKT(L) with the sheet resistance of
    :func:`surface_limited_sheet_resistance_ohm` (docs/stiffness.md §7).
    """
    from tcpredict.films.film import film_tc
    from tcpredict.materials.elements import get_element

    rules = rule_pairs() if rules is None else list(rules)
    out = {}
    for sym in materials:
        el = get_element(sym)
        out[sym] = {}
        for lr, mr in rules:
            rmod = None
            if (lr, mr) in tuple(bkt_rules):
                def rmod(L, _n=el.n_per_nm3):
                    return surface_limited_sheet_resistance_ohm(L, _n)
            out[sym][(lr, mr)] = film_tc(sym, thickness_nm, lambda_rule=lr, mustar_rule=mr,
                                         t_min_K=t_min_K, find_peak=False,
                                         sheet_resistance=rmod)
    return out
