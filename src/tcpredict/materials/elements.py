r"""Element data for tcpredict: free-electron and electron–phonon parameters with provenance.

The data live in ``tcpredict/materials/data/elements.csv`` (one row per element, human-editable).
Every number ``X`` comes with ``X_source`` (a citation, or the rule that produced it) and
``X_estimate`` (``true`` when the number is an estimate rather than a literature/measured value).
The coupling numbers λ, ω_log, ω̄₂ and μ* also carry an uncertainty range ``X_lo``, ``X_hi`` with
its kind (``literature-spread``, ``default-range`` or ``computed``) and ``X_range_source``;
:attr:`Element.ranges` exposes them for uncertainty propagation. The file is parsed strictly: any
problem raises ``ValueError`` naming the file, line and column. Metals outside single-band phonon
Eliashberg theory (ferromagnets, metals at a magnetic instability) are listed in
``data/rejected.csv`` and :func:`get_element` refuses them with the reason. See
``docs/materials.md`` for the table, the sources, the estimation rules and the ranges.

Units: n [nm⁻³] (conduction electrons, both spins), E_F0 [eV], Θ_D [K], ω_log, ω̄₂, and the
energy at which μ* is defined [meV], bulk Tc [K]; λ and μ* are dimensionless.

The α²F of an element is either a shipped table (``a2f_source = "table:<file>:<column>[:<unit>]"``,
loaded with :func:`tcpredict.materials.loaders.load_alpha2f`) or, when only moments are known
(``"model:from_moments"``), the log-normal model of :func:`tcpredict.eliashberg.spectra.from_moments`,
whose ``source`` says that it is a model.
"""

from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import tcpredict.eliashberg.spectra as spectra
from tcpredict.materials.loaders import load_alpha2f
from tcpredict.eliashberg.spectra import Alpha2F
from tcpredict.units import ENERGY_TO_MEV

__all__ = ["Element", "get_element", "list_elements", "load_elements", "load_rejected",
           "ELEMENTS_FILE", "REJECTED_FILE", "RANGE_KINDS"]

#: Numeric fields of the data file, in file order, with their Python types.
_NUMERIC = {
    "valence": int,
    "n_per_nm3": float,
    "fermi_energy_eV": float,
    "debye_K": float,
    "lam": float,
    "omega_log_meV": float,
    "omega2_meV": float,
    "mustar": float,
    "mustar_at_meV": float,
    "tc_bulk_K": float,
}
#: Data-file field → output key (docs/glossary.md): the file keeps its historical column names
#: ``lam`` and ``tc_bulk_K``; every output (``to_dict``, JSON, CSV, ``sources``, ``estimates``)
#: uses ``lambda`` and ``tc_measured_K``.
OUTPUT_KEYS = {"lam": "lambda", "tc_bulk_K": "tc_measured_K"}
#: Fields with an uncertainty range, and their key in :attr:`Element.ranges`.
_RANGED = {"lam": "lambda", "omega_log_meV": "omega_log_meV", "omega2_meV": "omega2_meV",
           "mustar": "mustar"}
#: Allowed values of ``X_range_kind`` (docs/materials.md §4).
RANGE_KINDS = ("literature-spread", "default-range", "computed")
_COLUMNS = (["symbol", "name"]
            + [c for f in _NUMERIC for c in (f, f + "_source", f + "_estimate")
               + ((f + "_lo", f + "_hi", f + "_range_kind", f + "_range_source")
                  if f in _RANGED else ())]
            + ["a2f_source", "notes"])
_REJECTED_COLUMNS = ["symbol", "name", "reason", "source"]

#: The data file shipped with the package.
ELEMENTS_FILE = Path(str(resources.files("tcpredict.materials") / "data" / "elements.csv"))
#: Metals the data refuse, with the reason (ferromagnets, magnetic instabilities).
REJECTED_FILE = ELEMENTS_FILE.parent / "rejected.csv"


@dataclass(frozen=True)
class Element:
    r"""Parameters of one element (bulk, ambient pressure).

    Attributes
    ----------
    symbol, name : str
        Chemical symbol and English name.
    valence : int
        Conduction electrons per atom used for the free-electron density.
    n_per_nm3 : float
        Conduction-electron density n [nm⁻³] (both spins).
    fermi_energy_eV : float
        Free-electron Fermi energy E_F0 [eV].
    debye_K : float
        Debye temperature Θ_D [K].
    lam : float
        Electron–phonon coupling λ.
    omega_log_meV, omega2_meV : float
        ω_log and ω̄₂ = ⟨ω²⟩^{1/2} [meV] (docs/eliashberg.md §1).
    mustar : float
        Coulomb pseudopotential μ*, defined with the cutoff ``mustar_at_meV``.
    mustar_at_meV : float
        Energy [meV] at which μ* is defined (Allen–Dynes convention: top of the spectrum).
    tc_bulk_K : float
        Measured bulk Tc [K] at ambient pressure (0 for a non-superconductor); alias
        :attr:`tc_measured_K`.
    a2f_source : str
        ``"table:<file>:<column>[:<unit>]"`` or ``"model:from_moments"``.
    sources : dict[str, str]
        Citation or rule for every numeric field (keys = field names).
    estimates : frozenset[str]
        Names of the fields whose values are estimates.
    data_dir : str
        Directory of the data file; table α²F files named in ``a2f_source`` are read from it.
    range_data : dict[str, tuple[float, float, str, str]]
        For λ (key ``"lam"``), ω_log, ω̄₂ and μ*: (low, high, kind, source of the range); use
        :attr:`ranges`, :attr:`range_kinds`, :attr:`range_sources`.
    notes : str
        Caveats of the row in words (may be empty).
    """

    symbol: str
    name: str
    valence: int
    n_per_nm3: float
    fermi_energy_eV: float
    debye_K: float
    lam: float
    omega_log_meV: float
    omega2_meV: float
    mustar: float
    mustar_at_meV: float
    tc_bulk_K: float
    a2f_source: str
    sources: dict = field(default_factory=dict, compare=False, repr=False)
    estimates: frozenset = frozenset()
    data_dir: str = field(default=str(ELEMENTS_FILE.parent), compare=False, repr=False)
    range_data: dict = field(default_factory=dict, compare=False, repr=False)
    notes: str = field(default="", compare=False, repr=False)

    @property
    def tc_measured_K(self) -> float:
        """Measured bulk Tc [K] (same as :attr:`tc_bulk_K`)."""
        return self.tc_bulk_K

    @property
    def ranges(self) -> dict[str, tuple[float, float]]:
        """Uncertainty ranges of the coupling numbers, for sampling.

        Returns
        -------
        dict
            ``{"lambda": (lo, hi), "omega_log_meV": (lo, hi) [meV], "omega2_meV": (lo, hi) [meV],
            "mustar": (lo, hi)}``; every range contains the central value. μ* is defined at
            :attr:`mustar_at_meV`. Where ω̄₂ comes from the ω̄₂/ω_log heuristic its range is that
            ratio's range applied to ω_log's: sample the ratio to keep ω̄₂ ≥ ω_log
            (docs/materials.md §4).
        """
        return {key: self._range(f)[:2] for f, key in _RANGED.items()}

    @property
    def range_kinds(self) -> dict[str, str]:
        """Kind of each range in :attr:`ranges`: ``literature-spread``, ``default-range`` or
        ``computed`` (docs/materials.md §4)."""
        return {key: self._range(f)[2] for f, key in _RANGED.items()}

    @property
    def range_sources(self) -> dict[str, str]:
        """Where each range in :attr:`ranges` comes from (values and citations, or the rule)."""
        return {key: self._range(f)[3] for f, key in _RANGED.items()}

    def _range(self, f: str) -> tuple[float, float, str, str]:
        """(lo, hi, kind, source) of field ``f``; a degenerate range of kind ``none`` when the
        element was built without ranges (then propagation gives no spread)."""
        if f in self.range_data:
            return self.range_data[f]
        v = float(getattr(self, f))
        return (v, v, "none", "no range given")

    @property
    def alpha2f_is_model(self) -> bool:
        """True when :meth:`alpha2f` is a model built from (λ, ω_log, ω̄₂), not a table."""
        return self.a2f_source.startswith("model:")

    @property
    def is_superconductor(self) -> bool:
        """True when the bulk element superconducts at ambient pressure (tc_bulk_K > 0)."""
        return self.tc_bulk_K > 0

    def alpha2f(self) -> Alpha2F:
        """The element's Eliashberg function α²F(Ω) (cached).

        Returns
        -------
        Alpha2F
            The shipped table (``source`` names file and column) or, for
            ``model:from_moments``, :func:`tcpredict.eliashberg.spectra.from_moments` of (λ, ω_log, ω̄₂) with
            a ``source`` that states it is a model spectrum.
        """
        return _alpha2f_cached(self.symbol, self.a2f_source, self.lam, self.omega_log_meV,
                               self.omega2_meV, self.data_dir)

    def to_dict(self) -> dict:
        """All fields with the output keys of docs/glossary.md (``tc_measured_K``, ``lambda``,
        ``lambda_lo``, ``omega_log_lo_meV`` ...; the attributes ``tc_bulk_K`` and ``lam`` keep the
        data file's column names), the α²F kind, ``sources`` and a sorted ``estimates`` list keyed
        by the same output keys, the range kinds and sources, and the notes (the
        ``tcpredict elements --json`` schema)."""
        d = {"symbol": self.symbol, "name": self.name}
        d.update({OUTPUT_KEYS.get(k, k): getattr(self, k) for k in _NUMERIC})
        for key, (lo, hi) in self.ranges.items():
            stem, unit = (key[:-4], "_meV") if key.endswith("_meV") else (key, "")
            d[f"{stem}_lo{unit}"], d[f"{stem}_hi{unit}"] = lo, hi
        d["alpha2f"] = "model" if self.alpha2f_is_model else "table"
        d["alpha2f_is_model"] = self.alpha2f_is_model
        d["a2f_source"] = self.a2f_source
        d["sources"] = {OUTPUT_KEYS.get(k, k): v for k, v in self.sources.items()}
        d["estimates"] = sorted(OUTPUT_KEYS.get(k, k) for k in self.estimates)
        d["range_kinds"] = self.range_kinds
        d["range_sources"] = self.range_sources
        d["notes"] = self.notes
        return d


@functools.lru_cache(maxsize=64)
def _alpha2f_cached(symbol: str, a2f_source: str, lam: float, wlog: float,
                    w2: float, data_dir: str) -> Alpha2F:
    if a2f_source == "model:from_moments":
        m = spectra.from_moments(lam, wlog, w2)
        return Alpha2F(m.omega_meV, m.values, m.delta_omega_meV, m.delta_weight_meV,
                       source=f"{symbol}: MODEL spectrum (no tabulated α²F available), "
                              f"{m.source}")
    kind, fname, col, unit = _parse_a2f_source(a2f_source)
    path = Path(data_dir) / fname
    a = load_alpha2f(path, unit=unit, column=col)
    return Alpha2F(a.omega_meV, a.values, a.delta_omega_meV, a.delta_weight_meV,
                   source=f"{symbol}: {a.source}")


def _parse_a2f_source(s: str) -> tuple[str, str, int, str | None]:
    """Split ``table:<file>:<column>[:<unit>]``; raise ValueError with the reason otherwise."""
    if s == "model:from_moments":
        return "model", "", 0, None
    parts = s.split(":")
    if parts[0] != "table" or len(parts) not in (3, 4):
        raise ValueError(f"a2f_source must be 'model:from_moments' or "
                         f"'table:<file>:<column>[:<unit>]', got {s!r}")
    try:
        col = int(parts[2])
    except ValueError:
        raise ValueError(f"a2f_source column {parts[2]!r} is not an integer") from None
    if col < 1:
        raise ValueError(f"a2f_source column must be ≥ 1, got {col}")
    unit = parts[3] if len(parts) == 4 else None
    if unit is not None and unit not in ENERGY_TO_MEV:
        raise ValueError(f"a2f_source unit {unit!r} unknown; valid units: "
                         f"{', '.join(ENERGY_TO_MEV)}")
    if "/" in parts[1] or "\\" in parts[1] or not parts[1]:
        raise ValueError(f"a2f_source file {parts[1]!r} must be a plain file name in the data "
                         "directory")
    return "table", parts[1], col, unit


# ----------------------------------------------------------------------------- parsing
def _fail(path: Path, lineno: int, msg: str) -> ValueError:
    return ValueError(f"{path}, line {lineno}: {msg}")


def _parse_row(path: Path, lineno: int, row: dict) -> Element:
    vals: dict = {}
    sources: dict[str, str] = {}
    estimates = set()
    for f, typ in _NUMERIC.items():
        raw = row[f].strip()
        try:
            v = typ(raw)
        except ValueError:
            raise _fail(path, lineno, f"column {f!r}: {raw!r} is not a valid "
                                      f"{'integer' if typ is int else 'number'}") from None
        if isinstance(v, float) and not math.isfinite(v):
            raise _fail(path, lineno, f"column {f!r}: {raw!r} is not finite")
        if v < 0:
            raise _fail(path, lineno, f"column {f!r}: {raw!r} must be ≥ 0")
        vals[f] = v
        src = row[f + "_source"].strip()
        if not src:
            raise _fail(path, lineno, f"column {f + '_source'!r} is empty: every number needs a "
                                      "citation or the rule that produced it")
        sources[f] = src
        flag = row[f + "_estimate"].strip().lower()
        if flag not in ("true", "false"):
            raise _fail(path, lineno, f"column {f + '_estimate'!r} must be 'true' or 'false', "
                                      f"got {row[f + '_estimate']!r}")
        if flag == "true":
            estimates.add(f)
    for f in ("n_per_nm3", "fermi_energy_eV", "debye_K", "omega_log_meV", "omega2_meV",
              "mustar_at_meV", "valence"):
        if vals[f] <= 0:
            raise _fail(path, lineno, f"column {f!r} must be > 0, got {vals[f]}")
    if vals["omega2_meV"] < vals["omega_log_meV"] * (1 - 1e-9):
        raise _fail(path, lineno, "omega2_meV < omega_log_meV is impossible for any α²F ≥ 0")
    if vals["lam"] <= 0:
        raise _fail(path, lineno, "column 'lam' must be > 0")
    range_data = {}
    for f in _RANGED:
        bounds = []
        for end in ("_lo", "_hi"):
            raw = row[f + end].strip()
            try:
                v = float(raw)
            except ValueError:
                raise _fail(path, lineno, f"column {f + end!r}: {raw!r} is not a valid "
                                          "number") from None
            if not math.isfinite(v) or v < 0:
                raise _fail(path, lineno, f"column {f + end!r}: {raw!r} must be finite and ≥ 0")
            bounds.append(v)
        lo, hi = bounds
        if not lo <= vals[f] <= hi:
            raise _fail(path, lineno, f"range of {f!r}: [{lo:g}, {hi:g}] does not contain the "
                                      f"value {vals[f]:g}")
        kind = row[f + "_range_kind"].strip()
        if kind not in RANGE_KINDS:
            raise _fail(path, lineno, f"column {f + '_range_kind'!r} must be one of "
                                      f"{', '.join(RANGE_KINDS)}, got {kind!r}")
        rsrc = row[f + "_range_source"].strip()
        if not rsrc:
            raise _fail(path, lineno, f"column {f + '_range_source'!r} is empty: every range "
                                      "needs its source or rule")
        range_data[f] = (lo, hi, kind, rsrc)
    symbol = row["symbol"].strip()
    if not symbol or not symbol.isalpha() or not symbol[0].isupper() or len(symbol) > 3:
        raise _fail(path, lineno, f"invalid chemical symbol {row['symbol']!r}")
    name = row["name"].strip()
    if not name:
        raise _fail(path, lineno, "column 'name' is empty")
    a2f = row["a2f_source"].strip()
    try:
        kind, fname, _, _ = _parse_a2f_source(a2f)
    except ValueError as exc:
        raise _fail(path, lineno, f"column 'a2f_source': {exc}") from None
    if kind == "table" and not (path.parent / fname).is_file():
        raise _fail(path, lineno, f"column 'a2f_source': table file {fname!r} not found next to "
                                  f"{path.name}")
    return Element(symbol=symbol, name=name, a2f_source=a2f, sources=sources,
                   estimates=frozenset(estimates), data_dir=str(path.parent),
                   range_data=range_data, notes=row["notes"].strip(), **vals)


@functools.lru_cache(maxsize=8)
def _load_cached(path_str: str, mtime_ns: int) -> dict[str, Element]:
    path = Path(path_str)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})"
                         ) from None
    numbered = [(i, ln) for i, ln in enumerate(lines, start=1)
                if ln.strip() and not ln.lstrip().startswith("#")]
    if not numbered:
        raise ValueError(f"{path}: no header line and no data")
    reader = csv.reader([ln for _, ln in numbered], strict=True)
    try:
        return _parse_elements(path, numbered, reader)
    except csv.Error as exc:  # malformed quoting: name the file and the line
        k = min(max(reader.line_num, 1), len(numbered)) - 1
        raise _fail(path, numbered[k][0], f"malformed CSV ({exc})") from None


def _parse_elements(path: Path, numbered, reader) -> dict[str, Element]:
    out: dict[str, Element] = {}
    header = None
    for (lineno, _), fields in zip(numbered, reader):
        if header is None:
            header = [h.strip() for h in fields]
            missing = [c for c in _COLUMNS if c not in header]
            unknown = [c for c in header if c not in _COLUMNS]
            if missing or unknown:
                raise _fail(path, lineno, f"bad header: missing columns {missing}, unknown "
                                          f"columns {unknown}")
            if len(set(header)) != len(header):
                raise _fail(path, lineno, "bad header: duplicated column names")
            continue
        if len(fields) != len(header):
            raise _fail(path, lineno, f"has {len(fields)} fields, the header has {len(header)} "
                                      "(check quoting of commas in sources)")
        el = _parse_row(path, lineno, dict(zip(header, fields)))
        if el.symbol.lower() in {k.lower() for k in out}:
            raise _fail(path, lineno, f"element {el.symbol!r} appears twice")
        out[el.symbol] = el
    if not out:
        raise ValueError(f"{path}: header but no element rows")
    return out


def load_elements(path=None) -> dict[str, Element]:
    """Parse an element data file (default: the shipped ``elements.csv``).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A file in the format of ``tcpredict/data/elements.csv`` (table α²F files are looked up
        next to it). Results are cached per path and modification time.

    Returns
    -------
    dict[str, Element]
        Elements keyed by symbol, in file order.

    Raises
    ------
    ValueError
        Any problem in the file, with the file name, line number and column.
    """
    p = Path(path) if path is not None else ELEMENTS_FILE
    if not p.is_file():
        raise ValueError(f"{p}: element data file not found")
    return dict(_load_cached(str(p.resolve()), p.stat().st_mtime_ns))


def list_elements() -> list[str]:
    """Symbols of the elements in the shipped data file, in file order (rejected metals, see
    :func:`load_rejected`, are not included)."""
    return list(load_elements())


@functools.lru_cache(maxsize=2)
def _rejected_cached(path_str: str, mtime_ns: int) -> dict[str, dict]:
    path = Path(path_str)
    lines = path.read_text(encoding="utf-8").splitlines()
    numbered = [(i, ln) for i, ln in enumerate(lines, start=1)
                if ln.strip() and not ln.lstrip().startswith("#")]
    out: dict[str, dict] = {}
    header = None
    for (lineno, _), fields in zip(numbered, csv.reader([ln for _, ln in numbered], strict=True)):
        if header is None:
            header = [h.strip() for h in fields]
            if header != _REJECTED_COLUMNS:
                raise _fail(path, lineno, f"bad header: expected {_REJECTED_COLUMNS}")
            continue
        if len(fields) != len(header) or not all(f.strip() for f in fields):
            raise _fail(path, lineno, f"needs {len(header)} non-empty fields "
                                      f"({', '.join(header)})")
        rec = dict(zip(header, (f.strip() for f in fields)))
        out[rec["symbol"]] = rec
    return out


def load_rejected() -> dict[str, dict]:
    """Metals that the element data refuse, keyed by symbol.

    Returns
    -------
    dict[str, dict]
        ``{"Fe": {"symbol": "Fe", "name": "iron", "reason": ..., "source": ...}, ...}`` from
        ``data/rejected.csv``: ferromagnets and metals at a magnetic instability, where
        single-band phonon Eliashberg theory does not describe (the absence of)
        superconductivity (docs/materials.md §5).
    """
    p = REJECTED_FILE
    return dict(_rejected_cached(str(p.resolve()), p.stat().st_mtime_ns))


def get_element(symbol: str) -> Element:
    """Look up an element of the shipped data file by symbol (case-insensitive).

    Raises
    ------
    ValueError
        For a rejected metal (ferromagnet, magnetic instability) with the reason, or for an
        unknown symbol, listing the known ones.
    """
    table = load_elements()
    key = str(symbol).strip().lower()
    for sym, el in table.items():
        if sym.lower() == key:
            return el
    for sym, rec in load_rejected().items():
        if sym.lower() == key:
            raise ValueError(f"element {sym} ({rec['name']}) is not supported: {rec['reason']} "
                             f"({rec['source']})")
    raise ValueError(f"unknown element {symbol!r}; known elements: {', '.join(table)}")
