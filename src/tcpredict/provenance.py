"""Provenance of every output: the tcpredict version and the resolved parameters.

Every JSON object, CSV header, Parquet schema and ``DataFrame.attrs`` written by tcpredict
carries ``tcpredict_version`` and ``parameters`` (docs/glossary.md).
"""

from __future__ import annotations

import json
import math

__all__ = ["version", "stamp", "jsonable", "csv_header", "parquet_metadata"]


def version() -> str:
    """The installed tcpredict version (the same string ``tcpredict --version`` prints)."""
    from tcpredict import __version__

    return __version__


def jsonable(obj):
    """Convert numpy scalars/arrays, paths, tuples and non-finite floats into JSON values
    (NaN and ±inf become null)."""
    import numpy as np
    from pathlib import PurePath

    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        v = float(obj)
        return v if math.isfinite(v) else None
    if isinstance(obj, PurePath):
        return str(obj)
    if obj is None or isinstance(obj, (str, int)):
        return obj
    name = getattr(obj, "name", None)  # rule objects and other named strategies
    return str(name) if isinstance(name, str) else str(obj)


def stamp(result: dict, parameters: dict) -> dict:
    """``result`` with ``tcpredict_version`` and ``parameters`` (resolved inputs) added first."""
    out = {"tcpredict_version": version(), "parameters": jsonable(parameters)}
    out.update(result)
    return out


def csv_header(parameters: dict) -> str:
    """Comment lines (``# ...``) for the top of a CSV file: version and parameters as JSON.

    ``pandas.read_csv(path, comment="#")`` skips them."""
    meta = {"tcpredict_version": version(), "parameters": jsonable(parameters)}
    return "".join(f"# {line}\n" for line in json.dumps(meta, indent=1).splitlines())


def parquet_metadata(parameters: dict) -> dict:
    """Key/value metadata for a Parquet schema (bytes), readable with pyarrow."""
    return {b"tcpredict_version": version().encode(),
            b"tcpredict_parameters": json.dumps(jsonable(parameters)).encode()}
