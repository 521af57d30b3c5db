"""Typed errors of :mod:`epcore`.

Every error is a subclass of :class:`ValueError`, so ``except ValueError`` keeps catching all of
them; code that must tell the conditions apart (for instance whether to try another solver)
catches the type, never the text of the message.
"""

from __future__ import annotations

__all__ = [
    "CutoffError",
    "GridError",
    "IllConditionedError",
    "MemoryLimitError",
    "UnstableDriftError",
]


class CutoffError(ValueError):
    """The Fock cutoff is too small: the top levels of the state hold too much population, or
    the state needs more levels than the ``max_cutoff`` allowed. Raise the cutoff."""


class IllConditionedError(ValueError):
    """A numerically solved state fails its check against an exact result (for the Kerr model,
    the exact moments of the complex-P solution): the linear system was too ill-conditioned
    to trust in double precision. Use an exact route."""


class GridError(ValueError):
    """The phase-space grid cannot represent the Husimi function: it misses part of ``Q`` or
    has too few angles for the angular harmonics of the state. Enlarge the grid."""


class UnstableDriftError(ValueError):
    """The drift matrix of a linear (Gaussian) model has an eigenvalue with non-negative real
    part: the Lyapunov equation has no steady-state solution."""


class MemoryLimitError(ValueError):
    """The request is estimated to need more memory than the configured limit; nothing large
    was allocated."""
