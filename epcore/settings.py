"""The tunable limits of :mod:`epcore`, in one place: ``epcore.settings``.

Every routine reads its limit from the single object :data:`settings` when it is called (a
keyword argument left at ``None`` means "the current setting"), so that one assignment takes
effect everywhere::

    import epcore
    epcore.settings.memory_limit = 2e9        # bytes; every model refuses larger requests
    with epcore.settings.temporarily(blas_threads=4, n_jobs=1):
        ...                                   # the old values come back on exit

The settings, their defaults and who reads them:

``memory_limit`` (4e9 bytes)
    The largest memory one call may allocate for its arrays: the steady states of
    :mod:`epcore.kerr` and :mod:`epcore.twophoton` (their ``memory_estimate``), the grids of
    :mod:`epcore.phasespace`, the Liouvillians of :mod:`epcore.dicke`, and every other caller of
    :func:`epcore.models.check_memory`. Requests estimated above it raise
    :class:`~epcore.errors.MemoryLimitError` before anything is allocated. Lower it on a small
    machine.
``max_cutoff`` (300)
    The largest Fock cutoff of a Fock-basis linear solve: the ``'qutip'`` route of
    :func:`epcore.kerr.steady_state` and :func:`epcore.twophoton.steady_state`,
    :func:`epcore.kerr.solver_error`, the Kerr Liouvillian spectrum
    (:func:`epcore.kerr.liouvillian_gap`) and the trajectories of :mod:`epcore.dynamics`. Its
    sparse LU at 300 peaks at about 0.5 GB (0.3 GB at 200), within a 2 GB Binder session.
``gap_max_cutoff`` (150)
    The largest Fock cutoff of the parity-sector gaps of :mod:`epcore.twophoton`
    (:func:`epcore.twophoton.sector_gaps`, :func:`epcore.twophoton.liouvillian_gap`); each
    sector then has about 11000 elements, whose sparse LU takes seconds.
``state_max_cutoff`` (400)
    The largest Fock cutoff of the thermal-bath steady states of :mod:`epcore.thermal`.
``blas_threads`` (1)
    The number of BLAS threads of every solver call (``epcore.threads.blas_threads``);
    ``None`` leaves BLAS alone. On small or sparse matrices more threads spin rather than help.
``n_jobs`` (2)
    The default number of worker processes of the parallel sweeps (:func:`epcore.sweep.sweep`,
    :func:`epcore.dynamics.ramp` and the figures built on them); ``-1`` means all cores.

Assignments are checked: a value of the wrong type raises
:class:`~epcore.errors.ArgumentTypeError` (both a ``TypeError`` and a ``ValueError``), one out
of range ``ValueError``, each with a message saying what to pass. :meth:`Settings.reset`
restores the defaults.
"""

from __future__ import annotations

import contextlib
import math
import numbers
from collections.abc import Iterator
from typing import Any

from .errors import ArgumentTypeError

__all__ = ["Settings", "settings"]

#: The default of each setting.
DEFAULTS: dict[str, Any] = {
    "memory_limit": 4.0e9,
    "max_cutoff": 300,
    "gap_max_cutoff": 150,
    "state_max_cutoff": 400,
    "blas_threads": 1,
    "n_jobs": 2,
}


def _integer(value: Any, name: str, minimum: int, allow: tuple = ()) -> Any:
    if value in allow and not isinstance(value, bool):
        return value
    if isinstance(value, (bool, float)) or not isinstance(value, numbers.Integral):
        raise ArgumentTypeError(
            f"epcore.settings.{name} must be an integer >= {minimum}"
            + (f" or one of {allow}" if allow else "") + f", got {value!r}"
        )
    if value < minimum:
        raise ValueError(
            f"epcore.settings.{name} must be >= {minimum}"
            + (f" or one of {allow}" if allow else "") + f", got {value}; "
            f"set it to a larger value (default {DEFAULTS[name]})"
        )
    return int(value)


def _memory(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ArgumentTypeError(
            f"epcore.settings.memory_limit must be a number of bytes, got {value!r}"
        )
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(
            f"epcore.settings.memory_limit must be a positive, finite number of bytes, got "
            f"{value}; set it to e.g. 2e9 for 2 GB (default {DEFAULTS['memory_limit']:.0e})"
        )
    return value


_CHECKS = {
    "memory_limit": _memory,
    "max_cutoff": lambda v: _integer(v, "max_cutoff", 4),
    "gap_max_cutoff": lambda v: _integer(v, "gap_max_cutoff", 4),
    "state_max_cutoff": lambda v: _integer(v, "state_max_cutoff", 4),
    "blas_threads": lambda v: _integer(v, "blas_threads", 1, allow=(None,)),
    "n_jobs": lambda v: _integer(v, "n_jobs", 1, allow=(-1,)),
}


class Settings:
    """The tunable limits of epcore; use the single instance :data:`epcore.settings.settings`.

    Attributes
    ----------
    memory_limit : float
        Largest memory in bytes one call may allocate (default 4e9).
    max_cutoff : int
        Largest Fock cutoff of a Fock-basis linear solve (default 300).
    gap_max_cutoff : int
        Largest Fock cutoff of the two-photon parity-sector gaps (default 150).
    state_max_cutoff : int
        Largest Fock cutoff of the thermal-bath steady states (default 400).
    blas_threads : int or None
        BLAS threads of every solver call; ``None`` leaves BLAS alone (default 1).
    n_jobs : int
        Default worker processes of a parallel sweep; ``-1`` for all cores (default 2).
    """

    __slots__ = tuple(DEFAULTS)

    def __init__(self) -> None:
        self.reset()

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in _CHECKS:
            raise AttributeError(
                f"epcore.settings has no setting {name!r}; the settings are {', '.join(DEFAULTS)}"
            )
        object.__setattr__(self, name, _CHECKS[name](value))

    def reset(self) -> None:
        """Restore every setting to its default."""
        for name, value in DEFAULTS.items():
            setattr(self, name, value)

    @contextlib.contextmanager
    def temporarily(self, **changes: Any) -> Iterator[Settings]:
        """Change some settings for the body of a ``with`` block.

        Parameters
        ----------
        **changes
            New values by setting name, e.g. ``memory_limit=1e9``; each is checked as an
            assignment is.

        Yields
        ------
        Settings
            This object, with the changes applied; the previous values come back on exit, also
            when the block raises.

        Examples
        --------
        >>> import epcore
        >>> before = epcore.settings.max_cutoff
        >>> with epcore.settings.temporarily(max_cutoff=50):
        ...     epcore.settings.max_cutoff
        50
        >>> epcore.settings.max_cutoff == before
        True
        """
        old = {name: getattr(self, name) for name in changes}
        try:
            for name, value in changes.items():
                setattr(self, name, value)
            yield self
        finally:
            for name, value in old.items():
                object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in DEFAULTS)
        return f"Settings({inner})"


#: The settings read by every routine of epcore.
settings = Settings()
