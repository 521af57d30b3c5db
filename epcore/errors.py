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
    """The Fock cutoff is too small to trust the state: raise the cutoff.

    Raised when the top levels of a state hold more population than allowed
    (:func:`epcore.phasespace.density_matrix`), or when a state needs more levels than the
    ``max_cutoff`` it may grow to.
    """


class IllConditionedError(ValueError):
    """A numerically solved state fails its check against an exact result: use an exact route.

    For the Kerr model the check is against the exact moments of the complex-P solution
    (App. B); failing it means the linear system was too ill-conditioned to solve in double
    precision (the Liouvillian gap closes exponentially in :math:`N` near the transition).
    """


class GridError(ValueError):
    """The phase-space grid cannot represent the Husimi function: enlarge the grid.

    Raised when the grid misses part of :math:`Q` (its integral is not 1) or has too few angles
    for the angular harmonics of the state (:func:`epcore.phasespace.husimi_data`).
    """


class UnstableDriftError(ValueError):
    """The drift matrix of a linear (Gaussian) model is unstable: no steady state exists.

    An eigenvalue of the drift :math:`A` of Eq. (C24) has a non-negative real part, so the
    Lyapunov equation has no steady-state solution (:mod:`epcore.gaussian`). Linearize around a
    stable branch or increase the losses.
    """


class MemoryLimitError(ValueError):
    """The request would need more memory than the configured limit; nothing large was allocated.

    Raised before a large array is built, from an estimate of its size (for the Kerr model,
    ``epcore.kerr.memory_estimate`` against ``epcore.kerr.MEMORY_LIMIT``): lower the system size
    or the Fock cutoff.
    """
