"""Lazy package exports (PEP 562): ``from tcpredict.eliashberg import solve_tc`` imports only
the submodule that defines ``solve_tc``, so a command that needs one solver does not pay for
pandas, dask, matplotlib or mpmath."""

from __future__ import annotations

import importlib


def lazy_exports(package: str, table: dict[str, str]):
    """Return ``(__getattr__, __dir__, __all__)`` for a package whose public names live in
    submodules: ``table`` maps each name to the submodule (relative to ``package``)."""

    def __getattr__(name: str):
        mod = table.get(name)
        if mod is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{mod}"), name)
        return value

    def __dir__():
        return sorted(table)

    return __getattr__, __dir__, sorted(table)
