"""Entry point of the ``tcpredict`` command line.

Only the module of the command being run is imported (a shell loop over ``tcpredict tc ...``
pays for numpy and scipy, not for pandas, dask or matplotlib). ``tcpredict --help`` (or no
command) imports every command module so the help lists them all, and so does a shell-completion
request (environment variable ``_TCPREDICT_COMPLETE`` set, README "Shell completion").
"""

from __future__ import annotations

import importlib
import sys

__all__ = ["COMMAND_MODULES", "COMPLETE_VAR", "main", "run", "load_commands", "get_app"]

#: Command name → module that registers it on :data:`tcpredict.cli.common.app`.
COMMAND_MODULES = {
    "tc": "core", "gap": "core", "thermo": "core", "demo": "core",
    "film": "film",
    "stack": "stack", "bilayer": "stack", "map": "stack", "screen": "stack",
    "bfm": "bfm", "elements": "materials",
    "multiband": "multiband", "mustar": "mustar",
    "validate": "validate",
}


#: Environment variable through which the shell asks for completions (typer/click protocol).
COMPLETE_VAR = "_TCPREDICT_COMPLETE"


def load_commands(names=None):
    """Import the command modules of ``names`` (all when None); return the Typer app."""
    from tcpredict.cli.common import app

    mods = sorted(set(COMMAND_MODULES.values())) if names is None else sorted(
        {COMMAND_MODULES[n] for n in names if n in COMMAND_MODULES})
    for m in mods:
        importlib.import_module(f"tcpredict.cli.{m}")
    return app


def _command_in(argv) -> str | None:
    """First argument that is not an option (the command name), or None."""
    for a in argv:
        if not a.startswith("-"):
            return a
    return None


def get_app(argv=None):
    """The Typer app with the command modules that ``argv`` needs (all for help or errors)."""
    import os

    argv = sys.argv[1:] if argv is None else list(argv)
    if os.environ.get(COMPLETE_VAR):  # shell completion: every command and its options
        return load_commands()
    cmd = _command_in(argv)
    if cmd is None and any(a in ("--version",) for a in argv):
        return load_commands([])
    if cmd in COMMAND_MODULES:
        return load_commands([cmd])
    return load_commands()


def main():
    """Console-script entry point.

    BLAS is limited to one thread: tcpredict's dense matrices are at most a few hundred wide,
    where threaded BLAS gains nothing and, on a small machine running other work (or a dask
    worker per core), oversubscription made dense eigen-solves ~100× slower (measured).
    """
    if sys.argv[1:] == ["--version"]:  # answered without importing typer or numpy
        from tcpredict import __version__

        sys.stdout.write(f"tcpredict {__version__}\n")
        return
    import logging

    # results carry their warnings in "notes" and errors are one line: no log lines on stderr
    logging.getLogger("tcpredict").setLevel(logging.ERROR)
    app = get_app()
    if "--version" not in sys.argv[1:2]:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")
    sys.exit(run(app))


def _click_classes():
    """(usage errors, other click errors, Abort, no-args-help) of click and typer's vendored copy."""
    import click

    mods = [click.exceptions]
    try:
        from typer._click import exceptions as vendored

        mods.append(vendored)
    except ImportError:  # typer using plain click
        pass
    get = lambda name: tuple(getattr(m, name) for m in mods if hasattr(m, name))  # noqa: E731
    return get("UsageError"), get("ClickException"), get("Abort"), get("NoArgsIsHelpError")


def run(app, args=None) -> int:
    """Run the Typer ``app`` with the exit-code policy of README "Exit codes" and return the
    exit status: 0 result, 2 bad input or usage (one line, also for click's usage errors), 3
    numerical failure, 130 interrupted. Warnings raised while a command runs are printed
    as one line each (``warning: …``) after a result, and dropped when the command fails
    (its one error line stands alone)."""
    import warnings

    from tcpredict.cli.common import one_line

    usage, click_err, abort, no_args = _click_classes()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = _run(app, args, usage, click_err, abort, no_args)
    if code == 0:  # a result: its warnings, one line each (an error line stands alone)
        seen = set()
        for w in caught:
            text = f"warning: {one_line(w.message)}"
            if text not in seen:
                seen.add(text)
                sys.stderr.write(text + "\n")
    return code


def _run(app, args, usage, click_err, abort, no_args) -> int:
    from tcpredict.cli.common import one_line

    try:
        # prog_name and complete_var fixed: the completion script and the variable it sets
        # (_TCPREDICT_COMPLETE) are those of the `tcpredict` command also under `python -m`
        rv = app(args=args, standalone_mode=False, prog_name="tcpredict",
                 complete_var=COMPLETE_VAR)
    except no_args as exc:  # `tcpredict` or `tcpredict bfm` alone: the help
        exc.show()
        return 0
    except usage as exc:
        sys.stderr.write(f"error: {one_line(exc.format_message())}\n")
        return 2
    except click_err as exc:
        sys.stderr.write(f"error: {one_line(exc.format_message())}\n")
        return 2
    except (*abort, KeyboardInterrupt):
        sys.stderr.write("error: interrupted\n")
        return 130
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":  # pragma: no cover
    main()


def __getattr__(name: str):
    """``tcpredict.cli.main.app``: the app with every command registered."""
    if name == "app":
        return load_commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
