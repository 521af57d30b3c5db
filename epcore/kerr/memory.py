r"""How much memory a finite-N Kerr steady state needs, and the limits that refuse one too large.

The routes of :func:`epcore.kerr.steady_state` (:data:`METHODS`), the estimate
(:func:`memory_estimate`) and the check made before anything large is allocated
(:func:`check_state_memory`). :mod:`epcore.kerr.entropy` and :mod:`epcore.kerr.conditioning`
both build on this module. The limits (the largest Fock cutoff of the QuTiP route and the
memory limit) are ``epcore.settings.max_cutoff`` and ``epcore.settings.memory_limit``.
"""

from __future__ import annotations

import math

from ..models import KerrModel, check_choice, check_drive, check_integer, check_memory, check_size
from .exact import series_length
from .model import PAPER

__all__ = [
    "METHODS",
    "memory_estimate",
    "check_state_memory",
]

METHODS = ("complex-p", "qutip")  # documented in epcore.kerr


def memory_estimate(
    N: float, eps: float, cutoff: int, *, method: str = METHODS[0], model: KerrModel = PAPER
) -> float:
    r"""Estimated peak memory of :func:`steady_state` plus :func:`balance_of_state`, in bytes.

    ``'complex-p'``: the ``cutoff`` x (series length) matrix :math:`V`, or, if larger, about
    seven dense ``cutoff x cutoff`` complex arrays in :func:`epcore.phasespace.entropy_balance`
    and as many grid arrays (sized as :func:`epcore.phasespace.polar_grid` does). ``'qutip'``:
    the sparse LU of the ``cutoff**2``-dimensional Liouvillian, which measured 0.5 GB at
    ``cutoff = 300`` and grows about as ``cutoff**3``. Calibrated on the measured peaks near
    :math:`\epsilon_c` (N = 400: 0.24 GB above the interpreter's own; N = 800: 0.65 GB;
    ``benchmarks/bench_kerr.py`` prints the measured peak next to the estimate).

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    cutoff : int
        Fock cutoff of the state.
    method : str, optional
        The route of :func:`steady_state` (one of :data:`METHODS`).
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    float
        Estimated peak memory in bytes.
    """
    N, eps = check_size(N), check_drive(eps)
    check_choice(method, "method", METHODS)
    d = float(check_integer(cutoff, "the Fock cutoff", minimum=2))
    r_hi = math.sqrt(d) + 9.0
    grid = (8 * r_hi + 32) * max(2 * d + 16, 8 * math.pi * r_hi)
    phase_space = 16 * 7 * (d * d + grid)
    if method == "qutip":
        return 0.5e9 * (d / 300) ** 3 + phase_space
    columns = series_length(N, eps, model=model, rows=int(d))
    return max(16 * 2 * d * columns, phase_space)


def check_state_memory(
    N: float, eps: float, cutoff: int, *, method: str = METHODS[0], model: KerrModel = PAPER
) -> None:
    r"""Refuse a steady state whose :func:`memory_estimate` exceeds the memory limit.

    Called by :func:`steady_state`, :func:`entropy_production` and :func:`solver_error` before
    anything large is allocated. The limit is ``epcore.settings.memory_limit``, read at each
    call.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    cutoff : int
        Fock cutoff of the state.
    method : str, optional
        The route of :func:`steady_state` (one of :data:`METHODS`).
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Raises
    ------
    ValueError
        A bad size, drive or cutoff, or an unknown ``method``.
    epcore.errors.MemoryLimitError
        The estimate exceeds the limit; the message says what fits.
    """
    d = cutoff
    need = memory_estimate(N, eps, d, method=method, model=model)
    hint = (
        "use method='complex-p', whose memory grows as cutoff^2"
        if method == "qutip"
        else "lower N (the cutoff grows in proportion to N), or use exact_moment and "
        "exact_fluctuations, which need no density matrix"
    )
    check_memory(
        need,
        f"N = {N}, eps = {eps} with about {d} Fock levels and method={method!r}",
        fits=hint,
    )
