"""Shared pieces of the ``tcpredict`` command line: the Typer app, error handling, parsers.

Command modules (``cli.py``, ``cli_film.py``, ``cli_stack.py``, ``bfm/cli.py``) register on
:data:`app`. Every command is a thin layer over the Python API; errors that a user can cause
(bad files, bad numbers, impossible parameters) exit non-zero with one line on stderr, never a
traceback.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import sys
from pathlib import Path

import numpy as np
import typer

from tcpredict.provenance import jsonable

app = typer.Typer(
    help="tcpredict: superconductivity where bulk theory says there is none. "
    "Energies in meV, temperatures in K, lengths in nm.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


def _version_callback(value: bool):
    if value:
        import tcpredict

        typer.echo(f"tcpredict {tcpredict.__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version_callback,
                                       is_eager=True, help="Print the version and exit.")):
    """tcpredict: superconductivity where bulk theory says there is none.

    Energies in meV, temperatures in K, lengths in nm. (The callback also keeps the app a
    command group however few command modules are imported.)
    """


#: ``--quiet``: silence the progress bar on stderr (results, warnings and errors still print).
QuietOpt = typer.Option(False, "--quiet", "-q", help="No progress bar on stderr (results, "
                        "warnings and errors still print; dimensionless switch).")


@contextlib.contextmanager
def progress_bar(description: str, quiet: bool = False):
    """A rich progress bar on stderr for a long computation; yields ``update(done, total)``
    for the ``progress`` callback of the physics functions. Silent (a no-op callback) with
    ``--quiet`` or when stderr is not a terminal (logs and pipes stay clean); removed from the
    screen when it finishes."""
    from rich.console import Console

    console = Console(file=sys.stderr, stderr=True)
    if quiet or not console.is_terminal:
        yield lambda done, total: None
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn)

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as prog:
        task = prog.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            prog.update(task, completed=done, total=total)

        yield update


#: Line width of tables and text when stdout is not a terminal (a pipe or a file): wide enough
#: that no table is cut or wrapped (rich would otherwise assume 80 columns).
PIPE_WIDTH = 1000


def out_console():
    """A rich Console on stdout: the terminal's width on a terminal; :data:`PIPE_WIDTH`
    columns (and no colour) when stdout is piped, so tables arrive complete."""
    from rich.console import Console

    con = Console()
    return con if con.is_terminal else Console(width=PIPE_WIDTH)


class UserError(Exception):
    """An error in the user's input: reported as one line, exit status 2."""


def fail(message: str, code: int = 2):
    """Print ``error: message`` (one line) on stderr and exit with ``code``."""
    typer.echo(f"error: {' '.join(str(message).split())}", err=True)
    raise typer.Exit(code)


def exit_if_unconverged(result) -> None:
    """Exit 3 with one line when a result says it did not meet its tolerance
    (``result.converged`` false; the reasons are its ``notes`` starting "not converged"). Call it
    after printing the result, so nothing is lost."""
    if getattr(result, "converged", True):
        return
    notes = getattr(result, "notes", ()) or ()
    why = "; ".join(n.removeprefix("not converged: ") for n in notes
                    if str(n).startswith("not converged")) or "see the notes of the result"
    fail(f"result not converged: {why}", code=3)


def one_line(text) -> str:
    """``text`` on one line (whitespace runs collapsed)."""
    return " ".join(str(text).split()) or "invalid input"


def user_errors(func):
    """Decorator implementing the exit-code policy (README "Exit codes") for a command body.

    ``UserError``/``ValueError``/``OverflowError``/``OSError``/``KeyError``/``TypeError`` → exit 2
    (bad input); ``RuntimeError`` (ConvergenceError) and ``ArithmeticError`` → 3 (numerical
    failure); Ctrl-C → 130; anything else → 3 as an internal error. Always one line on stderr,
    never a traceback.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except (UserError, ValueError, OverflowError, OSError, KeyError, TypeError) as exc:
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            fail(one_line(msg))
        except KeyboardInterrupt:
            fail("interrupted", code=130)
        except MemoryError:
            fail("out of memory (a resource bound let this through: please report it)", code=3)
        except (RuntimeError, ArithmeticError) as exc:  # ConvergenceError: not the user's fault
            fail(one_line(f"{type(exc).__name__}: {exc}"), code=3)
        except Exception as exc:  # a bug: one line, not a traceback
            fail(one_line(f"internal error ({type(exc).__name__}): {exc}"), code=3)

    return wrapper


#: JSON conversion of every output (numpy scalars/arrays, paths, NaN/±inf → null).
to_jsonable = jsonable


def print_json(obj) -> None:
    """Write one JSON object to stdout."""
    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False) + "\n")


#: Largest number of values a range option may produce (resource bound, README "Limits").
MAX_RANGE_POINTS = 100_000


def parse_range(text: str, name: str, unit: str, *, positive: bool = True,
                default_spacing: str = "log", max_points: int = MAX_RANGE_POINTS,
                bounds: tuple[float, float] | None = None) -> np.ndarray:
    """Parse a list or range of values: the one range syntax of every tcpredict option.

    Accepted forms (docs/glossary.md §5):

    - ``a,b,c`` — explicit values;
    - ``log:START:STOP:N`` — N log-spaced values (START, STOP > 0);
    - ``lin:START:STOP:N`` — N linearly spaced values;
    - ``START:STOP:N`` — ``default_spacing`` (log unless the option says otherwise).

    Raises
    ------
    UserError
        One line naming the option ``name`` and the problem: non-numeric or non-finite values,
        values ≤ 0 when ``positive``, values outside ``bounds`` (inclusive; README "Limits"),
        N < 1, more than ``max_points`` values, an empty list.
    """
    s = (text or "").strip()
    label = f"{name} {s!r}"
    if not s:
        raise UserError(f"{name}: empty value")
    if ":" in s:
        parts = s.split(":")
        spacing = default_spacing
        if parts[0].strip().lower() in ("log", "lin"):
            spacing = parts.pop(0).strip().lower()
        if len(parts) != 3:
            raise UserError(f"{label} must be START:STOP:N, log:START:STOP:N or lin:START:STOP:N")
        try:
            a, b = float(parts[0]), float(parts[1])
            n = int(parts[2])
        except (ValueError, OverflowError):
            raise UserError(f"{label}: START and STOP must be numbers and N an integer") from None
        if not (math.isfinite(a) and math.isfinite(b)):
            raise UserError(f"{label}: START and STOP must be finite")
        if n < 1:
            raise UserError(f"{label}: N must be ≥ 1")
        if n > max_points:
            raise UserError(f"{label}: N = {n} exceeds the limit of {max_points} values")
        if spacing == "log":
            if a <= 0 or b <= 0:
                raise UserError(f"{label}: a log range needs START, STOP > 0 {unit} "
                                "(use lin:START:STOP:N for a linear range)")
            vals = np.geomspace(a, b, n) if n > 1 else np.array([a])
        else:
            vals = np.linspace(a, b, n) if n > 1 else np.array([a])
    else:
        toks = s.split(",")
        if len(toks) > max_points:
            raise UserError(f"{name}: {len(toks)} values exceed the limit of {max_points}")
        out = []
        for tok in toks:
            tok = tok.strip()
            if not tok:
                raise UserError(f"{label}: empty entry in the list")
            try:
                v = float(tok)
            except ValueError:
                raise UserError(f"{name}: {tok!r} is not a number") from None
            if not math.isfinite(v):
                raise UserError(f"{name}: {tok!r} must be finite")
            out.append(v)
        vals = np.array(out)
    if positive and np.any(vals <= 0):
        raise UserError(f"{label}: values must be > 0 {unit}")
    if bounds is not None:
        out = vals[(vals < bounds[0]) | (vals > bounds[1])]
        if out.size:
            raise UserError(f"{label}: {out[0]:g} {unit} is outside [{bounds[0]:g}, "
                            f"{bounds[1]:g}] {unit} (README \"Limits\")")
    return vals


def parse_temperatures(text: str, name: str = "--temperature", max_points: int = 2000
                       ) -> np.ndarray:
    """Temperatures [K] in the range syntax of :func:`parse_range`, each in (0, T_MAX_K]."""
    from tcpredict.limits import T_MAX_K

    return parse_range(text, name, "K", max_points=max_points, bounds=(0.0, T_MAX_K))


def parse_thickness_list(text: str) -> np.ndarray:
    """Thicknesses [nm] in the range syntax of :func:`parse_range` (log-spaced by default),
    each in [MIN_THICKNESS_NM, MAX_THICKNESS_NM] (README "Limits")."""
    from tcpredict.limits import MAX_THICKNESS_NM, MIN_THICKNESS_NM

    return parse_range(text, "thickness", "nm", positive=True, max_points=10_000,
                       bounds=(MIN_THICKNESS_NM, MAX_THICKNESS_NM))


# ------------------------------------------------------------------------------ output files
#: File extension → output format (docs/glossary.md §4). Which formats an option accepts is
#: decided by the option (tables: csv/json/parquet, grids also nc, figures png/pdf/svg).
FORMATS = {".json": "json", ".csv": "csv", ".parquet": "parquet", ".nc": "netcdf",
           ".png": "png", ".pdf": "pdf", ".svg": "svg"}
#: Extensions of the table/grid outputs (``--out``) and of figures (``--plot``).
TABLE_FORMATS = ("csv", "json", "parquet")
GRID_FORMATS = TABLE_FORMATS + ("netcdf",)
FIGURE_FORMATS = ("png", "pdf", "svg")


def write_sweep_files(ds, out: Path | None, plot: Path | None, title: str) -> dict:
    """Write a gap sweep's netCDF file (``--out``) and figure (``--plot``) when asked; returns
    the JSON keys ``out`` and ``plot`` of what was written (tc, stack and multiband gaps)."""
    files = {}
    if out is not None:
        from tcpredict.eliashberg.gapdata import write_netcdf

        write_netcdf(ds, out)
        files["out"] = str(out)
    if plot is not None:
        from tcpredict.plotting.eliashberg import plot_gap_sweep

        plot_gap_sweep(ds, plot, title=title)
        files["plot"] = str(plot)
    return files


def output_format(path: Path | None, option: str, allowed) -> str | None:
    """The format of an output file, from its extension; checked BEFORE any computation.

    Returns None when ``path`` is None. Raises :class:`UserError` (one line) when the extension
    is unknown or is not one the option writes, when ``path`` is a directory, or when its
    directory does not exist or is not writable.
    """
    if path is None:
        return None
    path = Path(path)
    suffix = path.suffix.lower()
    fmt = FORMATS.get(suffix)
    exts = ", ".join(k for k, v in FORMATS.items() if v in allowed)
    if fmt is None or fmt not in allowed:
        what = f"extension {suffix!r}" if suffix else "no extension"
        raise UserError(f"{option} {path}: {what} is not a format of this option; use {exts}")
    if path.is_dir():
        raise UserError(f"{option} {path} is a directory; give a file name ending in {exts}")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"{option} {path}: directory {parent} does not exist")
    if not is_writable_dir(parent):
        raise UserError(f"{option} {path}: directory {parent} is not writable")
    return fmt


def is_writable_dir(directory: Path) -> bool:
    """True when a file can be created in ``directory`` (tried, not just os.access: root
    passes os.access everywhere, also on read-only filesystems and /proc)."""
    import tempfile

    if not os.access(directory, os.W_OK):
        return False
    try:
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".tcpredict-probe-"):
            return True
    except OSError:
        return False


def write_table(frame, path: Path, fmt: str, parameters: dict, *, payload: dict | None = None,
                dataset=None) -> None:
    """Write a result in the format chosen by :func:`output_format`, with its provenance.

    ``csv``: commented header (:func:`tcpredict.provenance.csv_header`) then ``frame``;
    ``parquet``: ``frame`` with ``tcpredict_version`` and ``tcpredict_parameters`` in the schema
    metadata (:func:`tcpredict.provenance.parquet_metadata`); ``json``: ``payload`` (already
    stamped); ``netcdf``: the xarray ``dataset`` with the same two attributes (netCDF-3 via
    scipy, no extra dependency).
    """
    from tcpredict.provenance import csv_header, jsonable, parquet_metadata, version

    path = Path(path)
    if fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(csv_header(parameters))
            frame.to_csv(fh, index=False)
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta.update(parquet_metadata(parameters))
        pq.write_table(table.replace_schema_metadata(meta), path)
    elif fmt == "json":
        path.write_text(json.dumps(to_jsonable(payload), indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    elif fmt == "netcdf":
        ds = dataset.copy()
        ds.attrs.update(tcpredict_version=version(),
                        tcpredict_parameters=json.dumps(jsonable(parameters)))
        ds.to_netcdf(path, engine="scipy")
    else:  # pragma: no cover - output_format() admits only the formats above
        raise UserError(f"cannot write format {fmt!r}")
