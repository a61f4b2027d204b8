"""The ``tcpredict bfm`` Typer sub-application; command modules register on :data:`app`."""

import typer

app = typer.Typer(
    help="Resonant pairing: boson–fermion model with local lattice instabilities "
    "(Ranninger & Romano 2008). Lattice energies in units of the bandwidth D = 1, "
    "local models in units of ħω0 = 1.",
    no_args_is_help=True,
)
