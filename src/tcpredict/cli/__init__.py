"""The ``tcpredict`` command line: one thin module per command group.

- :mod:`~tcpredict.cli.common` — the Typer app, error handling, parsers, JSON output;
- :mod:`~tcpredict.cli.core` — ``tc``, ``gap``, ``thermo``, ``demo``;
- :mod:`~tcpredict.cli.film` — ``film``;
- :mod:`~tcpredict.cli.stack` — ``stack``, ``bilayer``, ``map``, ``screen``;
- :mod:`~tcpredict.cli.bfm`, :mod:`~tcpredict.cli.bfm_local`, :mod:`~tcpredict.cli.bfm_lattice`
  — ``bfm ...``;
- :mod:`~tcpredict.cli.main` — the entry point, which imports only the module of the command
  being run.
"""
