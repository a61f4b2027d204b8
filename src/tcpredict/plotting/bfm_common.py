"""Figure helpers shared by the boson–fermion-model plots (no pyplot: figures are
:class:`matplotlib.figure.Figure` objects, so no backend or global state is touched)."""

from __future__ import annotations

import textwrap

__all__ = ["new_axes", "finish"]

FOOTNOTE_FONTSIZE = 7.0


def new_axes(ax=None, figsize=(6.0, 4.0), ncols: int = 1):
    """``(fig, axes, owned)``: the figure of ``ax`` (not owned), or a new figure with ``ncols``
    axes (owned: the caller adds the footnote and lays it out)."""
    if ax is not None:
        axes = tuple(ax) if isinstance(ax, (list, tuple)) else (ax,)
        if len(axes) != ncols:
            raise ValueError(f"ax must be {'one Axes' if ncols == 1 else f'{ncols} Axes'}, "
                             f"got {len(axes)}")
        return axes[0].figure, axes, False
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    axes = fig.subplots(1, ncols)
    axes = tuple(axes) if ncols > 1 else (axes,)
    return fig, axes, True


def finish(fig, owned: bool, footnote: str | None, path=None, dpi: int = 120):
    """Lay out an owned figure with ``footnote`` wrapped to the figure width below the axes
    (space reserved, never clipped), save it to ``path`` if given, and return the figure.

    A figure drawn on the caller's Axes is neither re-laid-out nor annotated; it is only saved
    when ``path`` is given.
    """
    if owned:
        rect_bottom = 0.0
        if footnote:
            width_pt = fig.get_figwidth() * 72.0
            chars = max(40, int(width_pt / (0.55 * FOOTNOTE_FONTSIZE)) - 4)
            lines = textwrap.wrap(footnote, width=chars)
            fig.text(0.01, 0.01, "\n".join(lines), fontsize=FOOTNOTE_FONTSIZE, ha="left",
                     va="bottom", color="0.25")
            height_in = (len(lines) * FOOTNOTE_FONTSIZE * 1.35 + 6.0) / 72.0
            rect_bottom = min(0.4, height_in / fig.get_figheight() + 0.01)
        fig.tight_layout(rect=(0.0, rect_bottom, 1.0, 1.0))
    if path is not None:
        fig.savefig(path, dpi=dpi, bbox_inches="tight", pad_inches=0.08)
    return fig
