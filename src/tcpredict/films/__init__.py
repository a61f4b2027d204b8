"""Thin films: quantum confinement with rough interfaces (docs/confinement.md, docs/film.md).

- :mod:`~tcpredict.films.confinement` — free-electron film, E_F(L), g(E; L), L_c;
- :mod:`~tcpredict.films.thickness_rules` — pluggable λ(L) and μ*(L) rules;
- :mod:`~tcpredict.films.film` — Tc(L) of one metal, its peak and window;
- :mod:`~tcpredict.films.bkt` — BKT temperature of films and stacks, sheet resistance versus L.

Thicknesses in nm, energies in meV, temperatures in K.
"""

from tcpredict._lazy import lazy_exports

_EXPORTS = {
    "FreeElectronFilm": "confinement",
    "validate_thickness_nm": "confinement",
    "REGIME_CONFINED": "confinement",
    "REGIME_BULK_LIKE": "confinement",
    "BOHR_RADIUS_NM": "confinement",
    "FERMI_ENERGY_RATIO_AT_LC": "confinement",
    "DOS_RATIO_AT_LC": "confinement",
    "FilmMaterial": "film",
    "FilmModel": "film",
    "FilmResult": "film",
    "film_tc": "film",
    "ROW_KEYS": "film",
    "BKT_ROW_KEYS": "film",
    "BKTResult": "bkt",
    "bkt_temperature": "bkt",
    "film_bkt": "bkt",
    "stack_bkt": "bkt",
    "bmo_tc_ratio": "bkt",
    "fuchs_sondheimer_ratio": "bkt",
    "drude_mean_free_path_nm": "bkt",
    "ConstantSheetResistance": "bkt",
    "TableSheetResistance": "bkt",
    "FuchsSondheimerSheetResistance": "bkt",
    "FilmContext": "thickness_rules",
    "LambdaRule": "thickness_rules",
    "MustarRule": "thickness_rules",
    "DosScalingLambda": "thickness_rules",
    "ConstantLambda": "thickness_rules",
    "ConstantMustar": "thickness_rules",
    "MorelAndersonMustar": "thickness_rules",
    "ThomasFermiMustar": "thickness_rules",
    "CallableLambdaRule": "thickness_rules",
    "CallableMustarRule": "thickness_rules",
    "CouplingTable": "thickness_rules",
    "read_coupling_table": "thickness_rules",
    "TableLambdaRule": "thickness_rules",
    "TableMustarRule": "thickness_rules",
    "LAMBDA_RULE_NAMES": "thickness_rules",
    "MUSTAR_RULE_NAMES": "thickness_rules",
    "DEFAULT_LAMBDA_RULE": "thickness_rules",
    "DEFAULT_MUSTAR_RULE": "thickness_rules",
    "get_lambda_rule": "thickness_rules",
    "get_mustar_rule": "thickness_rules",
    "ThicknessCouplings": "thickness_rules",
    "evaluate_couplings": "thickness_rules",
    "thomas_fermi_wavevector_sq_per_nm2": "thickness_rules",
}
__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
