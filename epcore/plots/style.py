"""One figure style for the whole book, and the measure of how large its text is on screen.

Every figure function registered with :func:`epcore.figures.register` runs inside
:func:`figure_style`, so that no figure function sets a font size by hand. The book's text
column is 672 CSS px wide in a 1280-px window and 720 px in a 768-px one; the figures are at
most :data:`WIDTH` inches wide and saved at :data:`DPI` dots per inch, so their natural width
(the tight bounding box plus 0.1 in of padding on each side) fits the narrower column and they
are shown unscaled: a text of ``f`` points is ``f * DPI / 72`` CSS px high, 13.9 px for the
10-pt tick labels and at least 12.5 px for every text of the book style.

In a Jupyter kernel with Matplotlib's inline backend (the chapters, and Binder), the first
figure drawn switches the inline PNGs to twice the resolution with their display width set to
the 1x width (:func:`use_hidpi_inline`), so figures are sharp on high-density screens and keep
their size. ``python -m epcore figures --style slides`` draws the same figures with larger text.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Mapping

__all__ = [
    "COLUMNS",
    "DPI",
    "MIN_TEXT_PX",
    "STYLES",
    "WIDTH",
    "current_style",
    "figure_style",
    "rendered_px",
    "text_report",
    "use_hidpi_inline",
]

#: width of the book's text column in CSS px, in a 1280-px and in a 768-px browser window
COLUMNS = {1280: 672, 768: 720}
#: resolution of the figures, in dots per inch; the inline backend shows 1 dot as 1 CSS px
DPI = 100
#: width of a full-column figure in inches; its natural width (6.5 in plus 0.2 in of padding,
#: at :data:`DPI`) is 670 px, so it is shown unscaled in the 672-px column
WIDTH = 6.5
#: smallest rendered text the book accepts, in CSS px (the body text is 16 px)
MIN_TEXT_PX = 11.0

_BOOK = {
    "figure.dpi": DPI,
    "savefig.pad_inches": 0.1,
    "font.size": 10.0,
    "axes.labelsize": 11.0,
    "axes.titlesize": 11.0,
    "figure.titlesize": 11.0,
    "figure.labelsize": 11.0,
    "xtick.labelsize": 10.0,
    "ytick.labelsize": 10.0,
    "legend.fontsize": 9.5,
    "legend.title_fontsize": 9.5,
    "legend.handlelength": 2.2,
    "legend.framealpha": 0.9,
    "axes.titlepad": 4.0,
    "lines.linewidth": 1.5,
    "image.cmap": "viridis",
}
_FONT_KEYS = ("font.size", "axes.labelsize", "axes.titlesize", "figure.titlesize",
              "figure.labelsize", "xtick.labelsize", "ytick.labelsize", "legend.fontsize",
              "legend.title_fontsize")

#: rcParams of each style, ``book`` (web pages and print) and ``slides`` (text 1.4 times larger)
STYLES: dict[str, dict] = {
    "book": _BOOK,
    "slides": {**_BOOK, **{k: round(1.4 * _BOOK[k], 1) for k in _FONT_KEYS},
               "lines.linewidth": 2.0},
}

_current = ["book"]


def current_style() -> str:
    """Name of the style the figure functions draw with now.

    Returns
    -------
    str
        A key of :data:`STYLES`, ``'book'`` unless :func:`figure_style` selected another.
    """
    return _current[-1]


@contextlib.contextmanager
def figure_style(name: str | None = None) -> Iterator[dict]:
    """Context in which Matplotlib draws with one of the book's styles.

    Used by :func:`epcore.figures.register` around every figure function (with ``name=None``:
    the current style); ``with figure_style("slides"):`` around calls of figure functions makes
    them all draw with that style.

    Parameters
    ----------
    name : str or None, optional
        A key of :data:`STYLES`; ``None`` keeps the current one (``'book'`` by default).

    Yields
    ------
    dict
        The rcParams of the style, set on entry and restored on exit.

    Raises
    ------
    ValueError
        If ``name`` is not a key of :data:`STYLES`.
    """
    import matplotlib

    name = current_style() if name is None else name
    if name not in STYLES:
        raise ValueError(f"unknown figure style {name!r}; choose one of {sorted(STYLES)}")
    # Only the style's own keys are set and restored (not matplotlib.rc_context, which restores
    # every rcParam): the first figure of a Jupyter kernel resolves the backend, whose inline
    # backend then turns interactive mode on; restoring all rcParams would turn it off again,
    # and no later figure of the kernel would be shown.
    saved = {key: matplotlib.rcParams[key] for key in STYLES[name]}
    _current.append(name)
    matplotlib.rcParams.update(STYLES[name])
    try:
        yield STYLES[name]
    finally:
        matplotlib.rcParams.update(saved)
        _current.pop()


def rendered_px(points: float, natural_px: float, column_px: float, dpi: float = DPI) -> float:
    """CSS px height of a text of ``points`` in an image shown in a column ``column_px`` wide.

    An image is shown at its natural width (``natural_px``, the CSS width of its 1x pixels,
    also for a 2x PNG whose display width is set to the 1x width) unless that exceeds the
    column; then it is scaled down to the column.

    Parameters
    ----------
    points : float
        Font size in points (1/72 in).
    natural_px : float
        Natural CSS width of the image: its width in inches times ``dpi``.
    column_px : float
        Width of the text column in CSS px.
    dpi : float, optional
        Dots per inch of the 1x image, one CSS px each.

    Returns
    -------
    float
        The text height in CSS px.
    """
    return points / 72 * dpi * min(1.0, column_px / natural_px)


def text_report(fig, columns: Mapping[str, float] | None = None) -> dict:
    """Every text a figure draws, with its size in CSS px once shown in the book's columns.

    The figure is drawn once on an Agg canvas, and the texts the renderer receives are recorded
    (tick labels, axis labels, titles, legend entries, annotations, colour-bar labels and
    suptitles; empty strings skipped). The natural width is that of the image the inline
    backend makes: the tight bounding box plus ``savefig.pad_inches`` on each side, at the
    figure's dpi.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure; its canvas is replaced by an Agg canvas.
    columns : Mapping, optional
        Column widths in CSS px by name; default :data:`COLUMNS` (keys 1280 and 768).

    Returns
    -------
    dict
        ``natural_px`` (float) and ``texts``: a list of dicts with ``text``, ``points``,
        ``tick`` (bool: a tick label) and ``px`` (a dict column name to CSS px).
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    columns = dict(COLUMNS if columns is None else columns)
    renderer = FigureCanvasAgg(fig).get_renderer()
    drawn = []
    draw_text = renderer.draw_text

    def record(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        drawn.append((mtext, s, prop.get_size_in_points()))
        return draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    renderer.draw_text = record
    try:
        fig.draw(renderer)
    finally:
        del renderer.draw_text
    pad = matplotlib.rcParams["savefig.pad_inches"]
    natural = (fig.get_tightbbox(renderer).width + 2 * pad) * fig.dpi
    ticks = {id(t) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for t in axis.get_ticklabels(which="both")}
    texts = [{"text": s, "points": pt, "tick": id(m) in ticks,
              "px": {c: rendered_px(pt, natural, w, fig.dpi) for c, w in columns.items()}}
             for m, s, pt in drawn if s.strip()]
    return {"natural_px": natural, "texts": texts}


def _hidpi_png(fig) -> tuple[str, dict] | None:
    """The inline backend's PNG of ``fig`` at twice its dpi, with the 1x display width."""
    from binascii import b2a_base64

    from IPython.core.pylabtools import print_figure

    data = print_figure(fig, fmt="retina", bbox_inches="tight")
    if data is None:  # an empty figure
        return None
    width = int.from_bytes(data[16:20], "big")  # IHDR width of the 2x PNG
    return b2a_base64(data, newline=False).decode("ascii"), {"width": width // 2}


def use_hidpi_inline() -> bool:
    """Show inline figures of a Jupyter kernel as 2x PNGs displayed at their 1x width.

    Like ``%config InlineBackend.figure_formats = {'retina'}``, except that only the display
    width is given (IPython's retina format also fixes the height, which distorts an image that
    a narrow column scales down). Does nothing outside an IPython kernel with the inline
    backend; called by every figure function, so the chapters need no set-up cell.

    Returns
    -------
    bool
        Whether the PNG formatter of the running kernel is now the 2x one.
    """
    if "IPython" not in sys.modules or "matplotlib_inline" not in sys.modules:  # not a kernel
        return False
    import matplotlib
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or "inline" not in matplotlib.get_backend():
        return False
    from matplotlib.figure import Figure

    formatter = shell.display_formatter.formatters["image/png"]
    formatter.for_type(Figure, _hidpi_png)
    return True
