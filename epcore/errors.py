"""Typed errors of :mod:`epcore`.

Every error is a subclass of :class:`ValueError`, so ``except ValueError`` keeps catching all of
them; code that must tell the conditions apart (for instance whether to try another solver)
catches the type, never the text of the message.
"""

from __future__ import annotations

__all__ = [
    "ArgumentTypeError",
    "CutoffError",
    "GridError",
    "IllConditionedError",
    "MemoryLimitError",
    "BudgetError",
    "UnstableDriftError",
    "ValidityError",
]


class ArgumentTypeError(TypeError, ValueError):
    """An argument has the wrong type.

    A string, ``None``, a complex or a fractional number where a real number or an integer is
    meant, or an array where one number is meant.

    It is a :class:`TypeError` and, like every error of this module, a :class:`ValueError`, so
    ``except ValueError`` still catches all bad input. Raised by the validators of
    :mod:`epcore.models` (:func:`epcore.models.check_real` and its siblings).
    """


class CutoffError(ValueError):
    """The Fock cutoff is too small to trust the state: raise the cutoff.

    Raised when the top levels of a state hold more population than allowed
    (:func:`epcore.phasespace.density_matrix`), or when a state needs more levels than the
    ``max_cutoff`` it may grow to.
    """


class IllConditionedError(ValueError):
    """A numerically solved state fails its check against an exact result: use an exact route.

    For the Kerr model the check is against the exact moments of the complex-P solution
    (App. B). Near the transition the Liouvillian gap closes exponentially in :math:`N`, and a
    linear solve amplifies both its truncation error and its round-off by the inverse gap;
    :func:`epcore.kerr.solver_cutoff` raises this error before solving where no Fock cutoff
    can make the result trustworthy.
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

    Raised before a large array is built, from an estimate of its size
    (:func:`epcore.models.check_memory` against ``epcore.settings.memory_limit``; for the Kerr
    model ``epcore.kerr.memory_estimate``): lower the system size or the Fock cutoff. The
    message says the size that would fit, and ``needed`` and ``limit`` hold the bytes.
    """

    needed: float = float("nan")
    limit: float = float("nan")


class BudgetError(ValueError):
    """A computation would need more steps or time than its budget: shorten or coarsen it.

    Raised before (or instead of) a loop or an integration that would run for minutes or hours,
    for instance a mean-field integration over :math:`10^9` decay times or a series with
    :math:`10^{12}` terms. The message names the budget and the input to change.
    """


class ValidityError(ValueError):
    """The inputs lie outside the validity of the approximation a function implements.

    For instance the adiabatic elimination of the cavity in the Dicke model, which needs the
    cavity to be much faster than the spin; the message names the condition that fails.
    """
