"""Registry of the book's figures, so that ``python -m epcore figures`` regenerates them all.

A figure function takes keyword options only, draws one matplotlib figure and returns
``(fig, data)`` where ``data`` maps a column name to a 1-D array (written as CSV). Register it
with ``@register("chapter-figure-name")``; chapters call the same functions.
"""

from __future__ import annotations

from collections.abc import Callable

REGISTRY: dict[str, Callable] = {}


def register(name: str) -> Callable[[Callable], Callable]:
    """Decorator adding a figure function to :data:`REGISTRY` under ``name``.

    Parameters
    ----------
    name : str
        The figure's name: the stem of the files ``python -m epcore figures`` writes
        (``NAME.png``, ``NAME.pdf``, ``NAME.csv``).

    Returns
    -------
    callable
        The decorator; it registers the function and returns it unchanged.

    Raises
    ------
    ValueError
        When the decorated function is registered, if ``name`` is already taken.
    """

    def wrap(func: Callable) -> Callable:
        if name in REGISTRY:
            raise ValueError(f"figure name {name!r} registered twice")
        REGISTRY[name] = func
        return func

    return wrap
