"""Argument checks shared by the modules of :mod:`epcore.cavity`.

A Fock dimension that fits in memory, a positive loss rate, and the memory a Fock-basis steady
state needs.
"""

from __future__ import annotations

from ..models import check_integer, check_memory, check_real

__all__ = ["check_dimension", "check_loss_rate", "steady_state_memory"]


def check_dimension(d: int, copies: int = 4) -> int:
    """A Fock dimension ``>= 2`` whose ``copies`` dense complex ``d x d`` arrays fit memory.

    Parameters
    ----------
    d : int
        Number of Fock levels.
    copies : int, optional
        Dense complex ``d x d`` matrices the caller holds at once.

    Returns
    -------
    int
        ``d``.

    Raises
    ------
    ValueError
        If ``d`` is not an integer ``>= 2``.
    epcore.errors.MemoryLimitError
        If the matrices exceed ``epcore.settings.memory_limit``.
    """
    d = check_integer(d, "the Fock dimension d", minimum=2)
    check_memory(16.0 * copies * d * d, f"{copies} dense {d} x {d} complex matrices",
                 fits="a smaller Fock dimension d")
    return d


def check_loss_rate(kappa: float) -> float:
    r"""A finite, positive loss rate :math:`\kappa` (losses :math:`2\kappa D[a]`).

    Parameters
    ----------
    kappa : float
        Loss rate.

    Returns
    -------
    float
        ``kappa`` as a float.

    Raises
    ------
    ValueError
        If ``kappa`` is not finite and positive.
    """
    return check_real(kappa, "the loss rate kappa", positive=True)


def steady_state_memory(d: int) -> float:
    """Peak bytes of ``qutip.steadystate`` on ``d`` levels.

    The sparse LU of the ``d^2`` Liouvillian, measured at 0.5 GB for d = 300 and growing as
    ``d^3``, plus dense copies.

    Parameters
    ----------
    d : int
        Number of Fock levels.

    Returns
    -------
    float
        The estimate in bytes.
    """
    return 0.5e9 * (d / 300) ** 3 + 16 * 8 * d * d
