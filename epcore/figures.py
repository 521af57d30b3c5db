"""Registry of the book's figures, so that ``python -m epcore figures`` regenerates them all.

Each figure is a pair of functions, registered with ``@register("name", data=DATA)`` on the
draw function:

* the **data function** ``DATA(**options)`` takes keyword options only and computes everything
  the figure shows through the physics modules; it returns either a dict of 1-D columns, or a
  richer object (a dict of arrays of any shape, a result object) together with a ``columns``
  function registered beside it that picks the 1-D columns written as ``NAME.csv``;
* the **draw function** ``DRAW(data, **draw_options)`` only arranges and draws that data and
  returns the matplotlib figure. It imports matplotlib itself (inside the function), so the
  modules of :mod:`epcore.plots` import without matplotlib and ``python -m epcore figures
  --data-only`` writes every CSV without drawing.

``register`` returns one function that keeps the old calling convention of the chapters:
``fig, data = FIGURE(**options)`` computes the data, draws it in the book's figure style
(:mod:`epcore.plots.style`) and returns the figure with the CSV columns; ``FIGURE(data=d)``
draws data computed before (the output of the data function, so a chapter can print numbers
from it first). Its attributes ``data``, ``draw`` and ``columns`` are the three functions.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

REGISTRY: dict[str, Callable] = {}


def columns_of(data: Any) -> Any:
    """The CSV columns of a data function's result: ``data.columns()`` if it has one, else ``data``.

    Parameters
    ----------
    data : object
        What a data function returned.

    Returns
    -------
    object
        ``data.columns()`` for an object with a ``columns`` method, otherwise ``data`` itself
        (a dict of 1-D columns).
    """
    method = getattr(data, "columns", None)
    return method() if callable(method) and not isinstance(data, Mapping) else data


def _keyword_names(func: Callable) -> set[str]:
    """Names of the keyword-only parameters of ``func``."""
    return {
        name
        for name, p in inspect.signature(func).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }


def _figure_doc(name: str, data_func: Callable, draw: Callable) -> str:
    """The docstring of a registered figure: the draw function's text and the calling rules."""
    text = inspect.getdoc(draw) or ""
    head = text.split("\nParameters\n----------")[0].rstrip()
    data_ref = f":func:`{data_func.__module__}.{data_func.__qualname__}`"
    draw_opts = sorted(_keyword_names(draw))
    listed = ", ".join(f"``{o}``" for o in draw_opts)
    extra = f" and the drawing options {listed}" if draw_opts else ""
    return (
        f"{head}\n\n"
        f"Figure ``{name}``; its data come from {data_ref}.\n\n"
        "Parameters\n----------\n"
        "data : object, optional\n"
        f"    What {data_ref} returned, if already computed; ``None`` computes it.\n"
        "**options\n"
        f"    Keyword options of {data_ref} (used when ``data`` is ``None``){extra}.\n\n"
        "Returns\n-------\n"
        "fig : matplotlib.figure.Figure\n"
        "    The figure, in the current figure style.\n"
        "columns : dict of str to numpy.ndarray\n"
        f"    The 1-D columns written as ``{name}.csv``.\n\n"
        "Raises\n------\n"
        "ValueError\n"
        f"    Errors of {data_ref} propagate; also an option that neither function takes.\n"
    )


def register(
    name: str, data: Callable, *, columns: Callable[[Any], Mapping] | None = None
) -> Callable[[Callable], Callable]:
    """Decorator registering a draw function with its data function under ``name``.

    The decorated name becomes the figure function ``FIGURE(*, data=None, **options)``: it
    calls ``data(**options)`` unless ``data`` is given, draws the result inside
    :func:`epcore.plots.style.figure_style` (the current style, ``'book'`` unless a caller
    selected another), in a Jupyter kernel shows it as a sharp 2x PNG
    (:func:`epcore.plots.style.use_hidpi_inline`), and returns ``(fig, columns)``. Options named
    like a keyword-only parameter of the draw function go to the draw function, the others to
    the data function.

    Parameters
    ----------
    name : str
        The figure's name: the stem of the files ``python -m epcore figures`` writes
        (``NAME.png``, ``NAME.pdf``, ``NAME.csv``).
    data : callable
        The data function (keyword options only; no matplotlib).
    columns : callable or None, optional
        Maps the data function's result to the dict of 1-D CSV columns; ``None`` uses
        :func:`columns_of` (the result itself, or its ``columns()``).

    Returns
    -------
    callable
        The decorator; it registers the figure and returns the figure function, whose
        attributes ``data``, ``draw``, ``columns`` and ``name`` are the parts.

    Raises
    ------
    ValueError
        When the decorated function is registered, if ``name`` is already taken.
    """
    to_columns = columns if columns is not None else columns_of

    def wrap(draw: Callable) -> Callable:
        if name in REGISTRY:
            raise ValueError(f"figure name {name!r} registered twice")
        draw_options = _keyword_names(draw)

        def figure(*, data: Any = None, **options):
            from .plots.style import figure_style, use_hidpi_inline

            drawing = {k: options.pop(k) for k in list(options) if k in draw_options}
            computed = data if data is not None else figure.data(**options)
            if data is not None and options:
                raise ValueError(
                    f"figure {name!r}: options {sorted(options)} are for computing the data; "
                    "pass them to the data function, or leave out data="
                )
            with figure_style():
                fig = draw(computed, **drawing)
            use_hidpi_inline()  # after the figure exists: the backend is resolved by then
            return fig, to_columns(computed)

        figure.__name__ = draw.__name__
        figure.__qualname__ = draw.__qualname__
        figure.__module__ = draw.__module__
        figure.__doc__ = _figure_doc(name, data, draw)
        figure.name = name
        figure.data = data
        figure.draw = draw
        figure.columns = to_columns
        REGISTRY[name] = figure
        return figure

    return wrap

