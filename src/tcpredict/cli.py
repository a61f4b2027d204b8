"""``tcpredict`` command line: a thin layer over the Python API.

Core commands (``tc``, ``gap``, ``thermo``, ``demo``, ``--version``) in :mod:`tcpredict.cli_core`;
thin films in :mod:`tcpredict.cli_film`; stacks, bilayers, maps and screens in
:mod:`tcpredict.cli_stack`; the boson–fermion model under ``tcpredict bfm``
(:mod:`tcpredict.bfm.cli`). Every command module registers on the shared Typer app.
"""

from tcpredict import cli_core as _cli_core  # noqa: F401
from tcpredict import cli_film as _cli_film  # noqa: F401
from tcpredict import cli_stack as _cli_stack  # noqa: F401
from tcpredict._cli_common import app
from tcpredict.bfm.cli import app as _bfm_app

app.add_typer(_bfm_app, name="bfm")

__all__ = ["app", "main"]


def main():
    """Console-script entry point.

    BLAS is limited to one thread: tcpredict's dense matrices are at most a few hundred wide,
    where threaded BLAS gains nothing and, on a small machine running other work (or a dask
    worker per core), oversubscription made dense eigen-solves ~100× slower (measured).
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
