"""``tcpredict bfm ...``: registers the boson–fermion commands and mounts them on the main app."""

from tcpredict.cli import bfm_lattice as _bfm_lattice  # noqa: F401  (meanfield, tc, spectrum, phase-diagram)
from tcpredict.cli import bfm_local as _bfm_local  # noqa: F401  (site, cluster)
from tcpredict.cli.bfm_app import app
from tcpredict.cli.common import app as _main_app

_main_app.add_typer(app, name="bfm")

__all__ = ["app"]
