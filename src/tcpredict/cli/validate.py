"""``tcpredict validate``: regenerate the validation report docs/validation.md and its figures
from the data files in src/tcpredict/validation/data (docs/validation.md §1).

Example::

    tcpredict validate                 # writes docs/validation.md, docs/figures/validation_*.png
    tcpredict validate --out /tmp/v --quick
"""

from __future__ import annotations

from pathlib import Path

import typer

from tcpredict.cli.common import UserError, app, print_json, user_errors

__all__ = ["validate"]


@app.command("validate")
@user_errors
def validate(
    out: Path = typer.Option(
        Path("docs"), "--out",
        help="Output directory: the page OUT/validation.md and the figures "
             "OUT/figures/validation_*.png (default docs, the repository's page)."),
    quick: bool = typer.Option(
        False, "--quick", help="Small subset (two elements, one film, two rule pairs) for "
        "tests; the page says so."),
    json_out: bool = typer.Option(False, "--json",
                                  help="Print the paths written as one JSON object."),
):
    """Compare computed bulk ratios, film Tc(L) and bilayer Tc with measurements
    (docs/validation.md) and write the report with its figures."""
    from rich.console import Console

    from tcpredict.provenance import stamp
    from tcpredict.validation.report import run_validation

    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} exists and is not a directory")
    parent = out if out.exists() else out.parent
    if not parent.exists():
        raise UserError(f"--out {out}: the directory {parent} does not exist")
    console = Console(stderr=json_out)
    try:
        res = run_validation(out, quick=quick, console=console)
    except KeyboardInterrupt:
        typer.echo("interrupted: the report was not (completely) written", err=True)
        raise typer.Exit(130) from None
    if json_out:
        print_json(stamp({"page": res["page"], "figures": res["figures"]},
                         {"out": str(out), "quick": bool(quick)}))
