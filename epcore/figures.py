"""Registry of the book's figures, so that ``python -m epcore figures`` regenerates them all.

A figure function takes keyword options only, draws one matplotlib figure and returns
``(fig, data)`` where ``data`` maps a column name to a 1-D array (written as CSV). Register it
with ``@register("chapter-figure-name")``; chapters call the same functions. Registered
functions draw in the book's figure style (:mod:`epcore.plots.style`): they set no font sizes
themselves.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

REGISTRY: dict[str, Callable] = {}


def register(name: str) -> Callable[[Callable], Callable]:
    """Decorator adding a figure function to :data:`REGISTRY` under ``name``, in the book style.

    The function is wrapped so that it runs inside :func:`epcore.plots.style.figure_style`
    (the current style, ``'book'`` unless a caller selected another) and, in a Jupyter kernel,
    shows its figure as a sharp 2x PNG (:func:`epcore.plots.style.use_hidpi_inline`). The
    wrapper keeps the function's name, signature and docstring.

    Parameters
    ----------
    name : str
        The figure's name: the stem of the files ``python -m epcore figures`` writes
        (``NAME.png``, ``NAME.pdf``, ``NAME.csv``).

    Returns
    -------
    callable
        The decorator; it registers the wrapped function and returns it.

    Raises
    ------
    ValueError
        When the decorated function is registered, if ``name`` is already taken.
    """

    def wrap(func: Callable) -> Callable:
        if name in REGISTRY:
            raise ValueError(f"figure name {name!r} registered twice")

        @functools.wraps(func)
        def styled(*args, **kwargs):
            from .plots.style import figure_style, use_hidpi_inline

            with figure_style():
                result = func(*args, **kwargs)
            use_hidpi_inline()  # after the figure exists: the backend is resolved by then
            return result

        REGISTRY[name] = styled
        return styled

    return wrap
