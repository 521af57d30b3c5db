"""The result type shared by every model: the terms of Eqs. (5)-(8) of the paper."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class EntropyBalance:
    """Entropy production and flux split as in Eqs. (7)-(8) (rates, units of the loss rate).

    ``pi_ext`` and ``phi_ext`` are the extensive, mean-field parts (Eq. 9 says they are equal),
    ``pi_u`` and ``pi_d`` the unitary and dissipative parts of the fluctuation entropy
    production, and ``phi_q`` the fluctuation part of the flux. In a steady state
    ``pi_u + pi_d = phi_q`` (Eq. 10); :attr:`residual` measures how well that holds.
    ``extra`` carries model-specific results (order parameter, Wehrl entropy, diagnostics).
    """

    pi_ext: float
    pi_u: float
    pi_d: float
    phi_ext: float
    phi_q: float
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

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
        """``pi_u + pi_d - phi_q``: zero in any steady state (Eq. 10)."""
        return self.pi_u + self.pi_d - self.phi_q

    @property
    def relative_residual(self) -> float:
        """``|residual| / phi_q``, the quality gauge of a steady-state computation."""
        return abs(self.residual) / abs(self.phi_q) if self.phi_q else abs(self.residual)

    def __getattr__(self, name: str) -> Any:
        # model-specific results (alpha, wehrl, normalization, ...) read as attributes
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(f"EntropyBalance has no attribute {name!r}")
