"""The ``tcpredict bfm`` Typer sub-application and the conventions its commands share.

Command modules (:mod:`tcpredict.cli.bfm_local`, :mod:`tcpredict.cli.bfm_lattice`) register on
:data:`app` with ``cls=BfmCommand`` and wrap their body in :func:`bfm_errors`. Exit codes
(docs/bfm_local.md §7, docs/bfm_lattice.md §7): 0 result, 2 bad input or usage (one line
``error: …`` on stderr, also for typer/click usage errors), 3 numerical failure
(:class:`tcpredict.errors.ConvergenceError`, sum-rule failure, non-converged iteration),
130 interrupted. Never a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
import warnings
from pathlib import Path

import click
import typer
from typer.core import TyperCommand, TyperGroup

__all__ = ["app", "BfmCommand", "bfm_errors", "check_output_path", "emit_json", "progress_bar",
           "PLOT_SUFFIXES", "CSV_SUFFIXES", "QUIET_HELP"]

#: Extensions accepted by ``--plot`` (the figure format follows the extension).
PLOT_SUFFIXES = (".png", ".pdf", ".svg")
#: Extension accepted by ``--out`` of the lattice commands.
CSV_SUFFIXES = (".csv",)
QUIET_HELP = "Silence progress bars and notes on stderr (errors and warnings still print)."


def _usage_error_classes() -> tuple[type, ...]:
    """Click's usage-error classes (typer ≥ 0.20 vendors its own copy of click)."""
    classes: list[type] = [click.exceptions.UsageError]
    no_args: list[type] = []
    try:
        from typer._click import exceptions as _tc

        classes.append(_tc.UsageError)
        no_args.append(getattr(_tc, "NoArgsIsHelpError", None))
    except ImportError:  # older typer: plain click
        pass
    no_args.append(getattr(click.exceptions, "NoArgsIsHelpError", None))
    return tuple(classes), tuple(c for c in no_args if c is not None)


_USAGE_ERRORS, _NO_ARGS_HELP = _usage_error_classes()


def _one_line(text: str) -> str:
    return " ".join(str(text).split()) or "invalid input"


class _OneLineUsage:
    """Mix-in: click usage errors (bad option value, missing option, unknown option or command)
    become one line ``error: …`` and exit status 2 instead of typer's multi-line box."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except _NO_ARGS_HELP:
            raise
        except _USAGE_ERRORS as exc:
            typer.echo(f"error: {_one_line(exc.format_message())}", err=True)
            raise typer.Exit(2) from None

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except _NO_ARGS_HELP:
            raise
        except _USAGE_ERRORS as exc:
            typer.echo(f"error: {_one_line(exc.format_message())}", err=True)
            raise typer.Exit(2) from None


class BfmCommand(_OneLineUsage, TyperCommand):
    """Typer command class of every ``tcpredict bfm`` command (one-line usage errors)."""


class _BfmGroup(_OneLineUsage, TyperGroup):
    """Group class of ``tcpredict bfm`` (one-line error for an unknown subcommand)."""


app = typer.Typer(
    help="Resonant pairing: boson–fermion model with local lattice instabilities "
    "(Ranninger & Romano 2008). Lattice energies in units of the bandwidth D, local models "
    "in units of the phonon quantum ħω0 (docs/bfm_lattice.md, docs/bfm_local.md).",
    no_args_is_help=True,
    cls=_BfmGroup,
)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _fail(message: str, code: int):
    typer.echo(f"error: {_one_line(message)}", err=True)
    raise typer.Exit(code)


def bfm_errors(func):
    """Run a command body with the bfm exit-code policy (see the module docstring).

    ``ValueError``/``OverflowError``/``OSError``/``UserError`` → exit 2; ConvergenceError and other
    numerical failures → exit 3; Ctrl-C → 130. Python warnings and library log warnings raised
    while the command runs are collected: on success they are printed once each as
    ``warning: …`` lines, on failure only the error line is printed.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from tcpredict.cli.common import UserError

        handler = _Collect()
        log = logging.getLogger("tcpredict")
        old_propagate = log.propagate
        log.addHandler(handler)
        log.propagate = False
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    out = func(*args, **kwargs)
                except (typer.Exit, click.exceptions.Exit):
                    raise
                except (UserError, ValueError, OverflowError, OSError) as exc:
                    _fail(str(exc) or type(exc).__name__, 2)
                except KeyboardInterrupt:
                    _fail("interrupted", 130)
                except MemoryError:
                    _fail("out of memory (a resource limit let this through: please report it)", 3)
                except (RuntimeError, ArithmeticError) as exc:  # ConvergenceError, SumRuleError, ...
                    _fail(f"{type(exc).__name__}: {exc}", 3)
                except Exception as exc:  # a bug: one line, not a traceback
                    _fail(f"internal error ({type(exc).__name__}): {exc}", 3)
            shown = [_one_line(str(w.message)) for w in caught
                     if issubclass(w.category, (RuntimeWarning, UserWarning))
                     and not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))]
            notes = dict.fromkeys(shown + handler.messages)
            for msg in notes:
                typer.echo(f"warning: {msg}", err=True)
            return out
        finally:
            log.removeHandler(handler)
            log.propagate = old_propagate

    return wrapper


def check_output_path(path, option: str, suffixes: tuple[str, ...]) -> Path | None:
    """Check an output file before any computation; return it as a Path (None stays None).

    Refused (``UserError``, exit 2): an empty name, an extension outside ``suffixes`` (the
    format follows the extension), an existing directory, a missing parent directory, a file that
    cannot be opened for writing (tried: a new file is created and removed again, an existing one
    is opened for appending and left unchanged).
    """
    from tcpredict.cli.common import UserError

    if path is None:
        return None
    text = str(path)
    if not text.strip():
        raise UserError(f"{option}: empty file name")
    if "\x00" in text:
        raise UserError(f"{option}: the file name contains a NUL byte")
    p = Path(text).expanduser()
    if p.is_dir():
        raise UserError(f"{option} {text!r} is a directory; give a file name such as "
                        f"{str(p / ('out' + suffixes[0]))!r}")
    if p.suffix.lower() not in suffixes:
        raise UserError(f"{option} {text!r}: the file name must end in "
                        f"{', '.join(suffixes)} (the format follows the extension)")
    parent = p.parent if str(p.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise UserError(f"{option} {text!r}: {str(parent)!r} is not a directory")
    if not parent.is_dir():
        raise UserError(f"{option} {text!r}: directory {str(parent)!r} does not exist")
    existed = p.exists()
    try:
        with open(p, "ab" if existed else "xb"):
            pass
    except OSError as exc:
        raise UserError(f"{option} {text!r} is not writable: {exc.strerror or exc}") from None
    if not existed:
        with contextlib.suppress(OSError):
            p.unlink()
    return p


def emit_json(result: dict, parameters: dict) -> None:
    """Print one JSON object with ``tcpredict_version`` and ``parameters`` (provenance.stamp)."""
    from tcpredict.cli.common import print_json
    from tcpredict.provenance import stamp

    print_json(stamp(result, parameters))


@contextlib.contextmanager
def progress_bar(description: str, total: int, quiet: bool):
    """A rich progress bar on stderr; yields ``update(done, total)`` (a no-op when ``quiet``)."""
    if quiet:
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=sys.stderr, stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=console.is_terminal) as prog:
        task = prog.add_task(description, total=total)

        def update(done: int, total: int) -> None:
            prog.update(task, completed=done, total=total)

        yield update
