"""Reading the package's small text inputs (stack and multiband TOML, rule and resistance tables)
with one error convention: a ``ValueError`` that names the file and the problem."""

from __future__ import annotations

from pathlib import Path

__all__ = ["read_text"]


def read_text(path, what: str) -> str:
    """The UTF-8 text of ``path``; ``what`` names the kind of file in the error messages.

    Raises
    ------
    ValueError
        ``<path>: <what> not found``, ``<path>: not a UTF-8 text file (<reason> at byte N)`` or
        ``<path>: cannot read <what> (<reason>)``.
    """
    p = Path(path)
    if p.is_dir():
        raise ValueError(f"{p}: cannot read {what} (Is a directory)")
    if not p.is_file():
        raise ValueError(f"{p}: {what} not found")
    try:
        return p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{p}: not a UTF-8 text file ({exc.reason} at byte {exc.start})"
                         ) from None
    except OSError as exc:
        raise ValueError(f"{p}: cannot read {what} ({exc.strerror or exc})") from None
