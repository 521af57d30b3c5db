"""The result type shared by every model: the terms of Eqs. (5)-(8) of the paper."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class EntropyBalance:
    """Entropy production and flux split as in Eqs. (7)-(8) (rates, units of the loss rate).

    In a steady state ``pi_u + pi_d = phi_q`` (Eq. 10); :attr:`residual` measures how well
    that holds.

    Parameters
    ----------
    pi_ext : float
        Extensive, mean-field part of the entropy production (Eq. 8).
    pi_u : float
        Unitary part of the fluctuation entropy production (Eq. 8).
    pi_d : float
        Dissipative part of the fluctuation entropy production (Eq. 8).
    phi_ext : float
        Extensive part of the entropy flux (Eq. 7); Eq. (9) says it equals ``pi_ext``.
    phi_q : float
        Fluctuation part of the entropy flux (Eq. 7).
    extra : Mapping, optional
        Model-specific results (order parameter, Wehrl entropy, diagnostics). Each function
        that returns an ``EntropyBalance`` lists its keys under Returns. The mapping is copied
        and read-only; each key can also be read as an attribute (``b.alpha`` is
        ``b.extra["alpha"]``). Use :meth:`with_extra` to add keys.
    """

    pi_ext: float
    pi_u: float
    pi_d: float
    phi_ext: float
    phi_q: float
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))

    def __reduce__(self):
        # a mappingproxy cannot be pickled; rebuild through the constructor (process pools)
        fields = (self.pi_ext, self.pi_u, self.pi_d, self.phi_ext, self.phi_q)
        return type(self), (*fields, dict(self.extra))

    def with_extra(self, **values: Any) -> EntropyBalance:
        """Return a copy with more (or changed) keys in ``extra``.

        Parameters
        ----------
        **values : object
            Keys and values to add to ``extra``.

        Returns
        -------
        EntropyBalance
            The same five terms, with the merged ``extra``.
        """
        return dataclasses.replace(self, extra={**self.extra, **values})

    @property
    def pi(self) -> float:
        """Total entropy production rate, Eq. (6) = Eq. (8)."""
        return self.pi_ext + self.pi_u + self.pi_d

    @property
    def phi(self) -> float:
        """Total entropy flux, Eq. (5) = Eq. (7)."""
        return self.phi_ext + self.phi_q

    @property
    def residual(self) -> float:
        """The residual ``pi_u + pi_d - phi_q`` of Eq. (10), zero in any steady state."""
        return self.pi_u + self.pi_d - self.phi_q

    @property
    def relative_residual(self) -> float:
        """``|residual| / phi_q``, the quality gauge of a steady-state computation.

        Where ``phi_q`` is zero it is 0 for a zero residual and ``inf`` otherwise: a residual
        has no scale to be small against, and is never reported as if it were relative.
        """
        if self.phi_q:
            return abs(self.residual) / abs(self.phi_q)
        return 0.0 if self.residual == 0 else math.inf

    def __getattr__(self, name: str) -> Any:
        # only called when normal lookup fails: the keys of ``extra`` read as attributes
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(
            f"EntropyBalance has no attribute {name!r}; its extra keys are {sorted(extra)}"
        )

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self.__dict__.get("extra", {})})
