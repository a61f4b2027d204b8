"""The measured data of the validation report and their provenance (docs/validation.md §1).

The files live beside this module in ``data/``: ``bulk.csv`` (strong-coupling ratios),
``films.csv`` (Tc of ultrathin films), ``bilayers.csv`` (proximity Tc), ``unread_sources.csv``
(sources that were wanted but could not be read). Each starts with ``#`` comment lines that
explain the columns. Every data row carries ``source``, ``locator`` (table, figure or page),
``identifier`` (DOI, ISBN, arXiv or journal reference) and ``digitised``; a digitised row must
state its ``reading_error``. :func:`load_table` refuses a file that breaks these rules, naming
the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

__all__ = ["DATA_DIR", "TABLES", "PROVENANCE_COLUMNS", "load_table", "check_provenance",
           "read_rows"]

DATA_DIR = Path(str(resources.files("tcpredict.validation") / "data"))

#: The data tables and the columns each must have (besides the provenance columns).
TABLES = {
    "bulk": ("material", "quantity", "measured_value", "uncertainty"),
    "films": ("material", "substrate", "structure", "thickness_nm", "areal_density_per_nm2",
              "tc_measured_K", "tc_uncertainty_K", "tc_criterion", "kind",
              "sheet_resistance_ohm"),
    "bilayers": ("a", "b", "thickness_a_nm", "thickness_b_nm", "thickness_ratio_a_to_b",
                 "tc_measured_K", "tc_uncertainty_K", "tc_criterion"),
}
#: Columns every data row must fill (``reading_error`` too when ``digitised`` is true).
PROVENANCE_COLUMNS = ("source", "locator", "identifier", "digitised")

_BULK_QUANTITIES = ("two_delta_over_kTc", "delta_c_over_gamma_tc", "gamma_tc2_over_hc02", "hc0_T")
_FILM_KINDS = ("measurement", "published_fit")


def read_rows(path) -> list[tuple[int, dict]]:
    """(line number, row dict) of a CSV file whose ``#`` lines are comments."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    body = [(i + 1, ln) for i, ln in enumerate(lines) if ln.strip() and not ln.startswith("#")]
    if not body:
        raise ValueError(f"{path}: no header line")
    reader = csv.DictReader(io.StringIO("\n".join(ln for _, ln in body)))
    out = []
    for (lineno, _), row in zip(body[1:], reader):
        if None in row or any(v is None for v in row.values()):
            raise ValueError(f"{path}:{lineno}: wrong number of fields")
        out.append((lineno, {k: v.strip() for k, v in row.items()}))
    return out


def _float(path, lineno, row, col, required):
    v = row.get(col, "")
    if v == "":
        if required:
            raise ValueError(f"{path}:{lineno}: column {col!r} is empty")
        return None
    try:
        x = float(v)
    except ValueError:
        raise ValueError(f"{path}:{lineno}: column {col!r} is not a number: {v!r}") from None
    if not x == x or x in (float("inf"), float("-inf")):
        raise ValueError(f"{path}:{lineno}: column {col!r} is not finite")
    return x


def check_provenance(path, lineno: int, row: dict) -> None:
    """Refuse a row without source, locator, identifier, or a digitised row without its
    reading error (``ValueError`` naming file, line and column)."""
    for col in PROVENANCE_COLUMNS:
        if not row.get(col):
            raise ValueError(f"{path}:{lineno}: provenance column {col!r} is empty")
    dig = row["digitised"].lower()
    if dig not in ("true", "false"):
        raise ValueError(f"{path}:{lineno}: digitised must be true or false, got {dig!r}")
    if dig == "true":
        err = _float(path, lineno, row, "reading_error", True)
        if err <= 0:
            raise ValueError(f"{path}:{lineno}: a digitised value needs reading_error > 0")


def load_table(name: str, path=None) -> list[dict]:
    """Rows of one data table (``bulk``, ``films`` or ``bilayers``), numbers converted.

    Each row keeps its provenance columns and gains ``line`` (its line in the file). Numeric
    columns are floats or None (empty); ``digitised`` is a bool.
    """
    if name not in TABLES:
        raise ValueError(f"unknown validation table {name!r}; valid: {', '.join(TABLES)}")
    path = DATA_DIR / f"{name}.csv" if path is None else Path(path)
    rows = read_rows(path)
    out = []
    for lineno, row in rows:
        missing = [c for c in TABLES[name] + PROVENANCE_COLUMNS if c not in row]
        if missing:
            raise ValueError(f"{path}:{lineno}: missing columns {', '.join(missing)}")
        check_provenance(path, lineno, row)
        r = dict(row)
        r["line"] = lineno
        r["digitised"] = row["digitised"].lower() == "true"
        r["reading_error"] = _float(path, lineno, row, "reading_error", False)
        if name == "bulk":
            if row["quantity"] not in _BULK_QUANTITIES:
                raise ValueError(f"{path}:{lineno}: unknown quantity {row['quantity']!r}")
            r["measured_value"] = _float(path, lineno, row, "measured_value", True)
            r["uncertainty"] = _float(path, lineno, row, "uncertainty", False)
        elif name == "films":
            for c in ("thickness_nm", "areal_density_per_nm2", "tc_uncertainty_K",
                      "sheet_resistance_ohm"):
                r[c] = _float(path, lineno, row, c, False)
            r["tc_measured_K"] = _float(path, lineno, row, "tc_measured_K", True)
            if (r["thickness_nm"] is None) == (r["areal_density_per_nm2"] is None):
                raise ValueError(f"{path}:{lineno}: give exactly one of thickness_nm and "
                                 "areal_density_per_nm2")
            if row["kind"] not in _FILM_KINDS:
                raise ValueError(f"{path}:{lineno}: kind must be one of {', '.join(_FILM_KINDS)}")
        else:
            for c in ("thickness_a_nm", "thickness_b_nm", "thickness_ratio_a_to_b",
                      "tc_uncertainty_K"):
                r[c] = _float(path, lineno, row, c, False)
            r["tc_measured_K"] = _float(path, lineno, row, "tc_measured_K", True)
            both = r["thickness_a_nm"] is not None and r["thickness_b_nm"] is not None
            if not both and r["thickness_ratio_a_to_b"] is None:
                raise ValueError(f"{path}:{lineno}: give both thicknesses or the ratio")
        out.append(r)
    return out


def load_unread(path=None) -> list[dict]:
    """Rows of ``unread_sources.csv`` (topic, source, identifier, wanted, reason)."""
    path = DATA_DIR / "unread_sources.csv" if path is None else Path(path)
    rows = read_rows(path)
    for lineno, row in rows:
        for c in ("topic", "source", "wanted", "reason"):
            if not row.get(c):
                raise ValueError(f"{path}:{lineno}: column {c!r} is empty")
    return [dict(r, line=ln) for ln, r in rows]


__all__.append("load_unread")
