"""Reading the package's small text inputs (stack and multiband TOML, rule and resistance tables)
with one error convention: a ``ValueError`` that names the file and the problem."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["read_text", "TomlLines", "located_error"]


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


def located_error(src: str, line: int, msg: str) -> ValueError:
    """``<src>, line <line>: <msg>`` (without the line when it is 0, i.e. unknown)."""
    return ValueError(f"{src}, line {line}: {msg}" if line else f"{src}: {msg}")


class TomlLines:
    """Line numbers in a TOML text (tomllib reports none after parsing): of array-of-tables
    headers ``[[kind]]`` and of keys, at the top level or inside the ``index``-th ``[[kind]]``."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.headers: dict[str, list[int]] = {}
        self.top_end = len(self.lines) + 1  # first line after the top-level keys
        for i, ln in enumerate(self.lines, start=1):
            m = re.match(r"\s*\[\[\s*(\w+)\s*\]\]", ln)
            if m:
                self.headers.setdefault(m.group(1), []).append(i)
            if (m or re.match(r"\s*\[", ln)) and self.top_end > len(self.lines):
                self.top_end = i

    @staticmethod
    def _key_pattern(key: str):
        k = re.escape(key)
        return re.compile(r"\s*(?:\"" + k + r"\"|'" + k + r"'|" + k + r")\s*=")

    def table(self, kind: str, index: int) -> int:
        """Line of the ``index``-th ``[[kind]]`` header (0 when there is none)."""
        h = self.headers.get(kind, [])
        return h[index] if index < len(h) else 0

    def top(self, key: str) -> int:
        """Line of a top-level key (0 when absent)."""
        pat = self._key_pattern(key)
        for i in range(1, self.top_end):
            if pat.match(self.lines[i - 1]):
                return i
        return 0

    def key(self, kind: str | None, index: int, key: str) -> int:
        """Line of ``key`` in the ``index``-th ``[[kind]]`` (``kind`` None: the top level); the
        table's header line (1 at the top level) when the key is absent."""
        if kind is None:
            return self.top(key) or 1
        start = self.table(kind, index)
        later = [x for v in self.headers.values() for x in v if x > start]
        stop = min(later) if later else len(self.lines) + 1
        pat = self._key_pattern(key)
        for i in range(max(start, 1), stop):
            if pat.match(self.lines[i - 1]):
                return i
        return start
