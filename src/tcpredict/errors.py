"""Errors shared by every part of tcpredict (documented in README "Exit codes").

- :class:`ConvergenceError` — a numerical method did not reach its stated tolerance (CLI exit 3).
- ``ValueError`` — bad input, raised at the door with the parameter name (CLI exit 2).
"""

from __future__ import annotations

__all__ = ["ConvergenceError"]


class ConvergenceError(RuntimeError):
    """A numerical method did not reach its stated tolerance."""
