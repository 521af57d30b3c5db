"""The parameters of the two models, each set written once and checked when it is made.

A model object is a frozen dataclass: its fields are validated in the constructor, so every
function that takes ``model=`` can rely on them, and it is hashable, so results can be cached
on it. The defaults are the paper's parameters; ``epcore.kerr.PAPER`` and
``epcore.dicke.PAPER`` are the default instances. Change one parameter with
:meth:`KerrModel.replace` (or :meth:`DickeModel.replace`), which validates again::

    from epcore.kerr import PAPER
    weaker = PAPER.replace(u=0.5)
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

__all__ = ["ParameterSet", "KerrModel", "DickeModel"]


def _finite(name: str, value: Any, *, positive: bool, hint: str = "") -> float:
    """Return ``value`` as a float, or raise ``ValueError`` naming the parameter."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {value!r}") from None
    if not math.isfinite(x) or (positive and x <= 0):
        need = "finite and > 0" if positive else "finite"
        raise ValueError(f"{name} must be {need}, got {value!r}{hint}")
    return x


class ParameterSet:
    """What both model classes share: every field checked in the constructor, and ``replace``.

    Subclasses are frozen dataclasses whose fields are real numbers, set by these two class
    attributes.

    Attributes
    ----------
    _POSITIVE : tuple of str
        The fields that must also be positive.
    _HINTS : dict
        Advice appended to the error message of a field.
    """

    _POSITIVE: tuple[str, ...] = ()
    _HINTS: dict[str, str] = {}

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = _finite(
                f.name,
                getattr(self, f.name),
                positive=f.name in self._POSITIVE,
                hint=self._HINTS.get(f.name, ""),
            )
            object.__setattr__(self, f.name, value)

    def replace(self, **changes: float):
        """Return a copy with some parameters changed, validated like a new model.

        Parameters
        ----------
        **changes : float
            New values of fields of the model, by name.

        Returns
        -------
        KerrModel or DickeModel
            A new model of the same class.

        Raises
        ------
        ValueError
            If a name is not a parameter of the model or a value is invalid.
        """
        names = {f.name for f in dataclasses.fields(self)}  # type: ignore[arg-type]
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ValueError(
                f"{type(self).__name__} has no parameter {unknown[0]!r}; "
                f"its parameters are {sorted(names)}"
            )
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]


@dataclass(frozen=True)
class KerrModel(ParameterSet):
    r"""The Kerr bistability model, Eq. (11) of the paper, with photon losses.

    One driven, lossy mode with Hamiltonian (Eq. 11 plus the drive of Eq. 2)

    .. math::

        H = \Delta a^\dagger a + \frac{u}{2N} a^{\dagger 2} a^2
            + i E (a^\dagger - a), \qquad E = \epsilon\sqrt{N},

    and losses :math:`2\kappa D[a]` (Eq. B1). The size :math:`N` and the drive
    :math:`\epsilon` are arguments of the functions, not of the model.

    Parameters
    ----------
    kappa : float
        Loss rate :math:`\kappa > 0`; the paper's Fig. 2 uses 1/2.
    delta : float
        Detuning :math:`\Delta` of the cavity from the drive; the paper uses -2. Bistability
        needs :math:`\Delta < -\sqrt{3}\,\kappa`.
    u : float
        Kerr nonlinearity :math:`u > 0`; the paper uses 1.

    Raises
    ------
    ValueError
        If a parameter is not finite, or ``kappa`` or ``u`` is not positive.
    """

    kappa: float = 0.5
    delta: float = -2.0
    u: float = 1.0

    _POSITIVE = ("kappa", "u")


@dataclass(frozen=True)
class DickeModel(ParameterSet):
    r"""The driven-dissipative Dicke model, Eq. (12) of the paper (App. C).

    A cavity mode :math:`a` of frequency :math:`\omega` with losses :math:`2\kappa D[a]`,
    coupled with strength :math:`\lambda` to a macrospin of :math:`N` two-level atoms of
    frequency :math:`\omega_0`. After the Holstein-Primakoff expansion the spin fluctuation
    mode :math:`\delta b` gets a small loss :math:`2\gamma D[\delta b]` (Eq. C20) that makes
    the Gaussian steady state exist. The coupling :math:`\lambda` is an argument of the
    functions, not of the model.

    Parameters
    ----------
    omega0 : float
        Atomic frequency :math:`\omega_0 > 0`; the paper's Fig. 3 uses 0.005.
    omega : float
        Cavity frequency :math:`\omega > 0`; the paper uses 0.01.
    kappa : float
        Cavity loss rate :math:`\kappa > 0`; the paper uses 1.
    gamma : float
        Loss rate :math:`\gamma > 0` of the spin fluctuations (Eq. C20); the paper's Fig. 3
        uses :math:`10^{-3}\kappa`, "simply to ensure numerical stability" (App. C).

    Raises
    ------
    ValueError
        If a parameter is not finite and positive.
    """

    omega0: float = 0.005
    omega: float = 0.01
    kappa: float = 1.0
    gamma: float = 1e-3

    _POSITIVE = ("omega0", "omega", "kappa", "gamma")
    _HINTS = {
        "gamma": (
            ": the stabilizing loss on delta b (Eq. C20) is needed for a Gaussian steady "
            "state; use a small value such as 1e-3"
        )
    }
