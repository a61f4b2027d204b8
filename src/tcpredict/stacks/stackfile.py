r"""TOML stack files: a stack of layers written once and versioned (docs/proximity.md §4).

Format (all keys; units in the names)::

    cutoff_meV = 250          # optional: common Matsubara cutoff (default 10 × largest Ω_max)
    t_min_K = 0.01            # optional: lowest temperature searched

    [[layer]]                 # in stacking order
    material = "Al"           # element of the shipped data ...
    thickness_nm = 0.5
    confined = true           # default false
    lambda_rule = "dos-scaling"   # optional, confined layers only
    mustar_rule = "constant"      # optional, confined layers only

    [[layer]]
    einstein_meV = 10         # ... or an Einstein model: einstein_meV + lambda
    lambda = 1.0
    # a2f_file = "x.dat"      # ... or a file: a2f_file + unit (+ column, default 1);
    # unit = "THz"            #     a relative path is relative to the stack file
    mustar = 0.12             # required for model layers (optional override for materials)
    mustar_at_meV = 250       # energy at which μ* is defined (default Ω_max of the spectrum)
    thickness_nm = 2.0
    dos_per_spin = 1.0        # N(E_F) per spin; required for unconfined model layers
    confined = false
    # n_per_nm3 = 181         # confined model layers: free-electron density (nm⁻³)
    # name = "S"              # optional label

    [[interface]]             # between layer i and i+1, in order
    gamma_meV = 1.0           # Γ felt by the first layer of the pair; or: cooper_limit = true

Validation is strict: an unknown key is rejected with the list of valid keys, a missing or
contradictory key is reported with the line number of the offending ``[[layer]]`` /
``[[interface]]`` header or key (tomllib reports syntax errors with their own positions).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from tcpredict.textfile import TomlLines, located_error, read_text

from tcpredict.films.confinement import FreeElectronFilm
from tcpredict.limits import check_energy, check_mustar, check_temperature, check_thickness
from tcpredict.materials.loaders import load_alpha2f
from tcpredict.stacks.proximity import DEFAULT_T_MIN_K, Interface, Layer, Stack
from tcpredict.eliashberg.spectra import einstein

__all__ = ["StackFile", "load_stack_file", "parse_stack_text", "TOP_KEYS", "LAYER_KEYS",
           "INTERFACE_KEYS"]

TOP_KEYS = ("cutoff_meV", "t_min_K", "layer", "interface")
LAYER_KEYS = ("material", "einstein_meV", "lambda", "a2f_file", "unit", "column", "mustar",
              "mustar_at_meV", "thickness_nm", "dos_per_spin", "confined", "n_per_nm3",
              "mass_ratio", "lambda_rule", "mustar_rule", "name")
INTERFACE_KEYS = ("gamma_meV", "cooper_limit")


@dataclass(frozen=True, eq=False)
class StackFile:
    """A parsed stack file: the :class:`~tcpredict.stacks.proximity.Stack` and the run options."""

    path: str
    stack: Stack
    t_min_K: float


def _num(src, loc, kind, idx, tab, key, *, positive=True, minimum=None, check=None):
    v = tab[key]
    line = loc.key(kind, idx, key)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise located_error(src, line, f"{key} must be a number, got {v!r}")
    try:
        v = float(v)
    except OverflowError:  # an integer beyond the range of a double
        raise located_error(src, line, f"{key}: the integer {str(v)[:20]}… is out of range") from None
    if not math.isfinite(v):
        raise located_error(src, line, f"{key} must be finite")
    if positive and v <= 0:
        raise located_error(src, line, f"{key} must be > 0, got {v:g}")
    if minimum is not None and v < minimum:
        raise located_error(src, line, f"{key} must be ≥ {minimum:g}, got {v:g}")
    if check is not None:  # a range of tcpredict.limits (README "Limits")
        try:
            v = check(v, key)
        except ValueError as exc:
            raise located_error(src, line, str(exc)) from None
    return v


def _bool(src, loc, kind, idx, tab, key):
    v = tab[key]
    if not isinstance(v, bool):
        raise located_error(src, loc.key(kind, idx, key), f"{key} must be true or false, got {v!r}")
    return v


def _str(src, loc, kind, idx, tab, key):
    v = tab[key]
    if not isinstance(v, str) or not v.strip():
        raise located_error(src, loc.key(kind, idx, key), f"{key} must be a non-empty string")
    return v.strip()


def _check_keys(src, loc, kind, idx, tab, valid):
    unknown = [k for k in tab if k not in valid]
    if unknown:
        k = unknown[0]
        where = f"[[{kind}]] #{idx + 1}: " if kind else ""
        raise located_error(src, loc.key(kind, idx, k),
                   f"{where}unknown key {k!r}; valid keys: {', '.join(valid)}")


def _layer(src, loc, i, tab, base_dir: Path) -> Layer:
    kind = "layer"
    hdr = loc.table(kind, i)
    tag = f"[[layer]] #{i + 1}"
    if not isinstance(tab, dict):
        raise located_error(src, hdr, f"{tag} must be a table")
    _check_keys(src, loc, kind, i, tab, LAYER_KEYS)
    has = lambda k: k in tab  # noqa: E731
    sources = [k for k in ("material", "einstein_meV", "a2f_file") if has(k)]
    if not sources:
        raise located_error(src, hdr, f"{tag}: missing the spectrum: give material, or einstein_meV + "
                             "lambda, or a2f_file + unit")
    if len(sources) > 1:
        raise located_error(src, loc.key(kind, i, sources[1]),
                   f"{tag}: {sources[0]} and {sources[1]} contradict each other (give one "
                   "spectrum source)")
    if not has("thickness_nm"):
        raise located_error(src, hdr, f"{tag}: missing key 'thickness_nm'")
    d = _num(src, loc, kind, i, tab, "thickness_nm", check=check_thickness)
    confined = _bool(src, loc, kind, i, tab, "confined") if has("confined") else False
    for k in ("lambda_rule", "mustar_rule"):
        if has(k) and not confined:
            raise located_error(src, loc.key(kind, i, k),
                       f"{tag}: {k} only applies to a confined layer (confined = true)")
    if confined and has("dos_per_spin"):
        raise located_error(src, loc.key(kind, i, "dos_per_spin"),
                   f"{tag}: dos_per_spin contradicts confined = true (N(E_F) then comes from "
                   "the confinement model)")
    rules = {k: _str(src, loc, kind, i, tab, k) for k in ("lambda_rule", "mustar_rule")
             if has(k)}
    mustar = _num(src, loc, kind, i, tab, "mustar", positive=False, minimum=0.0,
                  check=check_mustar) if has("mustar") else None
    mu_at = _num(src, loc, kind, i, tab, "mustar_at_meV", check=check_energy) \
        if has("mustar_at_meV") else None
    dos = _num(src, loc, kind, i, tab, "dos_per_spin") if has("dos_per_spin") else None
    name = _str(src, loc, kind, i, tab, "name") if has("name") else None

    if sources[0] == "material":
        for k in ("lambda", "unit", "column", "n_per_nm3", "mass_ratio"):
            if has(k):
                raise located_error(src, loc.key(kind, i, k),
                           f"{tag}: {k} contradicts material (the element data define it)")
        sym = _str(src, loc, kind, i, tab, "material")
        if mustar is not None and mu_at is None:
            raise located_error(src, loc.key(kind, i, "mustar"),
                       f"{tag}: mustar given without mustar_at_meV (μ* needs its cutoff)")
        try:
            lay = Layer.from_element(sym, d, confined=confined, mustar=mustar,
                                     mustar_at_meV=mu_at, **rules)
        except ValueError as exc:
            raise located_error(src, loc.key(kind, i, "material"), f"{tag}: {exc}") from None
        if dos is not None:
            lay = replace(lay, dos_per_spin=dos)
        if name:
            lay = replace(lay, material=name)
        return lay

    if sources[0] == "einstein_meV":
        for k in ("unit", "column"):
            if has(k):
                raise located_error(src, loc.key(kind, i, k), f"{tag}: {k} contradicts einstein_meV "
                                                     "(it belongs to a2f_file)")
        if not has("lambda"):
            raise located_error(src, hdr, f"{tag}: einstein_meV needs 'lambda'")
        om = _num(src, loc, kind, i, tab, "einstein_meV")
        lam = _num(src, loc, kind, i, tab, "lambda")
        try:
            spec = einstein(om, lam)
        except ValueError as exc:
            raise located_error(src, loc.key(kind, i, "einstein_meV"), f"{tag}: {exc}") from None
        label = name or f"Einstein({om:g} meV, λ={lam:g})"
    else:
        if has("lambda"):
            raise located_error(src, loc.key(kind, i, "lambda"),
                       f"{tag}: lambda contradicts a2f_file (λ follows from the file)")
        if not has("unit"):
            raise located_error(src, hdr, f"{tag}: a2f_file needs 'unit' (energy unit of the file)")
        fname = _str(src, loc, kind, i, tab, "a2f_file")
        unit = _str(src, loc, kind, i, tab, "unit")
        col = 1
        if has("column"):
            c = tab["column"]
            if isinstance(c, bool) or not isinstance(c, int) or c < 1:
                raise located_error(src, loc.key(kind, i, "column"), f"{tag}: column must be an "
                                                            "integer ≥ 1")
            col = c
        p = Path(fname)
        if not p.is_absolute():
            p = base_dir / p
        try:
            spec = load_alpha2f(p, unit=unit, column=col)
        except (ValueError, OSError) as exc:
            raise located_error(src, loc.key(kind, i, "a2f_file"), f"{tag}: {exc}") from None
        label = name or p.name
    if mustar is None:
        raise located_error(src, hdr, f"{tag}: a model layer needs 'mustar' (and 'mustar_at_meV')")
    film = None
    if has("n_per_nm3") or has("mass_ratio"):
        if not has("n_per_nm3"):
            raise located_error(src, loc.key(kind, i, "mass_ratio"), f"{tag}: mass_ratio needs "
                                                            "n_per_nm3")
        mr = _num(src, loc, kind, i, tab, "mass_ratio") if has("mass_ratio") else 1.0
        try:
            film = FreeElectronFilm(_num(src, loc, kind, i, tab, "n_per_nm3"), mr)
        except ValueError as exc:
            key = "mass_ratio" if "mass_ratio" in str(exc) else "n_per_nm3"
            raise located_error(src, loc.key(kind, i, key), f"{tag}: {exc}") from None
    if confined and film is None:
        raise located_error(src, hdr, f"{tag}: confined = true needs n_per_nm3 (free-electron density)"
                             " for a model layer")
    if not confined and dos is None and film is None:
        raise located_error(src, hdr, f"{tag}: missing key 'dos_per_spin' (N(E_F) per spin; any unit "
                             "consistent across the stack)")
    try:
        return Layer(spec, mustar, mu_at, d, dos_per_spin=dos, confined=confined, film=film,
                     material=label, **rules)
    except ValueError as exc:
        raise located_error(src, hdr, f"{tag}: {exc}") from None


def _interface(src, loc, i, tab) -> Interface:
    kind = "interface"
    hdr = loc.table(kind, i)
    tag = f"[[interface]] #{i + 1}"
    if not isinstance(tab, dict):
        raise located_error(src, hdr, f"{tag} must be a table")
    _check_keys(src, loc, kind, i, tab, INTERFACE_KEYS)
    coop = _bool(src, loc, kind, i, tab, "cooper_limit") if "cooper_limit" in tab else False
    if "gamma_meV" in tab:
        g = _num(src, loc, kind, i, tab, "gamma_meV", positive=False, minimum=0.0)
        if coop:
            raise located_error(src, loc.key(kind, i, "cooper_limit"),
                       f"{tag}: gamma_meV and cooper_limit = true contradict each other")
        return Interface(gamma_meV=g)
    if not coop:
        raise located_error(src, hdr, f"{tag}: missing key: give gamma_meV or cooper_limit = true")
    return Interface(cooper_limit=True)


def parse_stack_text(text: str, source: str = "<stack>", base_dir=".") -> StackFile:
    """Parse the TOML text of a stack file (see the module docstring for the format).

    Raises
    ------
    ValueError
        With ``source``, the line number and the problem.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{source}: TOML syntax error: {exc}") from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer literal beyond any range
        raise ValueError(f"{source}: {exc}") from None
    loc = TomlLines(text)
    _check_keys(source, loc, None, 0, data, TOP_KEYS)
    for k in ("layer", "interface"):
        if k in data and not isinstance(data[k], list):
            raise located_error(source, loc.key(None, 0, k), f"{k} must be written as [[{k}]] tables")
    layers_raw = data.get("layer", [])
    if not layers_raw:
        raise located_error(source, 0, "no [[layer]] table: a stack needs at least one layer")
    layers = [_layer(source, loc, i, t, Path(base_dir)) for i, t in enumerate(layers_raw)]
    ifs_raw = data.get("interface", [])
    ifs = [_interface(source, loc, i, t) for i, t in enumerate(ifs_raw)]
    if len(ifs) != len(layers) - 1:
        line = loc.table("interface", len(layers) - 1) if len(ifs) >= len(layers) else 0
        raise located_error(source, line, f"{len(layers)} layers need {len(layers) - 1} [[interface]] "
                                 f"tables (one between each pair, in order), found {len(ifs)}")
    cut = _num(source, loc, None, 0, data, "cutoff_meV", check=check_energy) \
        if "cutoff_meV" in data else None
    tmin = _num(source, loc, None, 0, data, "t_min_K", check=check_temperature) \
        if "t_min_K" in data else DEFAULT_T_MIN_K
    try:
        stack = Stack(layers, ifs, cut)
    except ValueError as exc:
        raise ValueError(f"{source}: {exc}") from None
    return StackFile(source, stack, tmin)


def load_stack_file(path) -> StackFile:
    """Read and validate a TOML stack file (errors name the file and line)."""
    p = Path(path)
    text = read_text(p, "stack file")
    return parse_stack_text(text, str(p), p.parent)
