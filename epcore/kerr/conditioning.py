r"""When a Fock-basis linear solve of the Kerr steady state can be trusted (chapter 6).

A numerical solve of :math:`\mathcal L\rho = 0` in :math:`d` Fock levels answers a perturbed
problem: the truncation changes the Liouvillian by terms of the size of the population of the
top levels, and round-off adds :math:`\sim 10^{-16}` relative. First-order perturbation
theory (book Eq. dyn-roundoff) divides either perturbation by the Liouvillian gap
:math:`\lambda`, which closes exponentially in N inside the bistable window. Measured against
the exact complex-P moments at :math:`\epsilon_c` (N = 10 to 40, with :func:`solver_error`):

* truncation: relative error of :math:`\langle a^\dagger a\rangle` about
  :math:`(1.4\text{ to }3.5)\times p_\mathrm{top}\,\kappa/\lambda`, with :math:`p_\mathrm{top}`
  the exact population of the top three levels;
* round-off, once truncation is negligible: about :math:`(2\text{ to }60)\times
  \epsilon_\mathrm{mach}\,\kappa/\lambda`, erratic from one N to the next.

:func:`solver_cutoff` is the rule the ``'qutip'`` route of :func:`epcore.kerr.steady_state`
uses; the complex-P route needs none (its truncated matrix elements are exact, no linear
system is solved).
"""

from __future__ import annotations

import numpy as np
import qutip

from ..errors import IllConditionedError
from ..models import KerrModel, check_drive, check_integer, check_real, check_size
from ..phasespace import hermitian_normalized
from ..settings import settings
from ..threads import limit_blas_threads
from .exact import TAIL_TOL, exact_moment, fock_cutoff, photon_distribution
from .kramers import gap_estimate
from .memory import check_state_memory
from .model import PAPER, liouvillian

__all__ = ["TRUNCATION_TOL", "ROUNDOFF_GAIN", "ROUNDOFF_TOL", "solver_cutoff", "solver_error"]

#: The top-population budget of a linear solve in units of gap/kappa. The top three Fock
#: levels of the exact state may hold at most ``TRUNCATION_TOL * gap / kappa``, a truncation
#: error of a few 1e-9 in :math:`\langle a^\dagger a\rangle`.
TRUNCATION_TOL = 1e-9
#: The round-off of a sparse-LU steady state, in units of :math:`\epsilon_{mach}\kappa/\lambda`
#: (measured 2 to 60 at :math:`\epsilon_c`, N = 10 to 40; a typical value).
ROUNDOFF_GAIN = 20.0
#: The largest predicted round-off error of :math:`\langle a^\dagger a\rangle` for which a
#: linear solve is attempted (the value of ``MOMENT_TOL``, which checks the result afterwards).
ROUNDOFF_TOL = 1e-8


def solver_cutoff(
    N: float, eps: float, *, model: KerrModel = PAPER, gap: float | None = None
) -> int:
    r"""The Fock cutoff a linear solve needs, or ``IllConditionedError`` if none suffices.

    The rule: with :math:`\lambda` the Liouvillian gap (default: the cheap
    :func:`epcore.kerr.gap_estimate`),

    1. the predicted round-off error ``ROUNDOFF_GAIN * eps_mach * kappa / gap`` must not exceed
       ``ROUNDOFF_TOL``, else no cutoff helps and ``IllConditionedError`` is raised (at the
       paper's parameters and :math:`\epsilon_c`: from N of about 21 on);
    2. the top three Fock levels of the exact state may hold at most
       ``min(TAIL_TOL, TRUNCATION_TOL * gap / kappa)``; the cutoff is read off the exact photon
       distribution (:func:`epcore.kerr.fock_cutoff` with that ``tail_tol``).

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.
    gap : float, optional
        The Liouvillian gap, if known (e.g. from :func:`epcore.kerr.liouvillian_gap`).

    Returns
    -------
    int
        The number of Fock levels.

    Raises
    ------
    epcore.errors.IllConditionedError
        The gap is too small for any double-precision linear solve (use the complex-P route).
    """
    N, eps = check_size(N), check_drive(eps)
    if gap is None:
        gap = gap_estimate(N, eps, model=model)
    else:
        gap = check_real(gap, "the gap", positive=True)
    ratio = float(gap) / model.kappa
    roundoff = ROUNDOFF_GAIN * np.finfo(float).eps / ratio
    if roundoff > ROUNDOFF_TOL:
        raise IllConditionedError(
            f"at N = {N}, eps = {eps} the Liouvillian gap is about {ratio:.1e} kappa: a "
            f"double-precision linear solve would be off by about {roundoff:.0e} from round-off "
            f"alone (> ROUNDOFF_TOL = {ROUNDOFF_TOL:.0e}), and any truncation error is "
            "amplified by the same 1/gap; use method='complex-p' (the exact state) or a smaller N"
        )
    return fock_cutoff(N, eps, model=model, tail_tol=min(TAIL_TOL, TRUNCATION_TOL * ratio))


@limit_blas_threads
def solver_error(N: float, eps: float, cutoff: int, *, model: KerrModel = PAPER) -> dict:
    r"""How wrong ``qutip.steadystate`` is in ``cutoff`` Fock levels, and why (chapter 6).

    Solves :math:`\mathcal L\rho = 0` in ``cutoff`` levels with ``qutip.steadystate`` (sparse
    LU, no cutoff rule, no check) and compares :math:`\langle a^\dagger a\rangle` with the exact
    :func:`epcore.kerr.exact_moment`. Next to the error it gives the two predictions of the
    module docstring: ``truncation`` :math:`= p_\mathrm{top}\kappa/\lambda` and ``roundoff``
    :math:`= \epsilon_\mathrm{mach}\kappa/\lambda`, with :math:`\lambda` from
    :func:`epcore.kerr.gap_estimate`.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size, ``> 0``.
    cutoff : int
        Fock levels of the solve (4 to ``epcore.settings.max_cutoff``).
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    dict
        ``N, eps, cutoff``; ``top_population`` (exact population of the top three levels of
        the untruncated state); ``gap_estimate``; ``truncation`` and ``roundoff`` (the two
        predictions); ``photon_error`` (relative error of :math:`\langle a^\dagger a\rangle`);
        ``lowest_eigenvalue`` (of the solved :math:`\rho`, Hermitian part, trace 1).

    Raises
    ------
    epcore.errors.MemoryLimitError
        The sparse LU would exceed ``epcore.settings.memory_limit`` (see
        :func:`epcore.kerr.memory_estimate`).
    """
    N, eps = check_size(N), check_drive(eps)
    if eps == 0:
        raise ValueError("solver_error needs a drive eps > 0 (the undriven state is the vacuum)")
    d = check_integer(cutoff, "the Fock cutoff", minimum=4, maximum=settings.max_cutoff)
    check_state_memory(N, eps, d, method="qutip", model=model)
    rho = qutip.steadystate(liouvillian(N, eps, d, model=model), method="direct").full()
    rho = hermitian_normalized(rho)
    photons = float(np.sum(np.arange(d) * np.diag(rho).real))
    exact = exact_moment(N, eps, 1, 1, model=model).real
    top = float(photon_distribution(N, eps, d, n_min=d - 3, model=model).sum())
    gap = gap_estimate(N, eps, model=model)
    ratio = gap / model.kappa
    return {
        "N": float(N),
        "eps": float(eps),
        "cutoff": float(d),
        "top_population": top,
        "gap_estimate": gap,
        "truncation": top / ratio,
        "roundoff": np.finfo(float).eps / ratio,
        "photon_error": abs(photons - exact) / max(exact, 1e-300),  # a drive so weak it underflows
        "lowest_eigenvalue": float(np.linalg.eigvalsh(rho)[0]),
    }
