"""CLI commands of ``tcpredict bfm`` (thin layer over :mod:`tcpredict.bfm`)."""

from tcpredict.bfm._app import app
from tcpredict.bfm import cli_local as _cli_local  # noqa: F401  (registers site, cluster)
from tcpredict.bfm import cli_lattice as _cli_lattice  # noqa: F401  (meanfield, tc, spectrum, phase-diagram)

__all__ = ["app"]
