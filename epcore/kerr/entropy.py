r"""The finite-N steady state of the Kerr model and its entropy balance (Eqs. 5-10, App. B).

:func:`steady_state` builds the exact state in a Fock space whose size is read off the exact
photon distribution, by one of :data:`METHODS`; :func:`balance_of_state` feeds it to the
phase-space engine (:func:`epcore.phasespace.entropy_balance`) and checks it against the
exact moments; :func:`entropy_production` does both. :func:`pi_u_integrated_by_parts` is the
independent route of Eq. (B6); the misprinted one is :func:`epcore.errata.pi_u_as_printed`.
"""

from __future__ import annotations

import dataclasses
import math
import sys

import numpy as np
import qutip

from ..balance import EntropyBalance, ModeBalance
from ..errors import CutoffError, IllConditionedError, MemoryLimitError
from ..models import KerrModel, check_choice, check_drive, check_integer, check_size
from ..phasespace import CUTOFF_TOL, density_matrix, entropy_balance, husimi_data
from ..settings import settings
from ..threads import limit_blas_threads
from .conditioning import solver_cutoff
from .critical import branch_log_odds
from .exact import (
    exact_density_matrix,
    exact_fluctuations,
    fock_cutoff,
    initial_cutoff,
    photon_distribution,
)
from .memory import METHODS, check_state_memory
from .model import (
    PAPER,
    kerr_coefficient,
    linearized_branches,
    liouvillian,
)

__all__ = [
    "MOMENT_TOL",
    "RESIDUAL_TOL",
    "steady_state",
    "balance_of_state",
    "entropy_production",
    "pi_u_integrated_by_parts",
    "entropy_production_row",
    "state_balance_row",
]

MOMENT_TOL = 1e-8  # documented in epcore.kerr
RESIDUAL_TOL = 1e-5  # documented in epcore.kerr
#: Branch log-odds beyond which the exact state counts as a single Gaussian branch.
_ONE_BRANCH_LOG_ODDS = 40.0
#: Fock cutoff above which entropy_production tries the Gaussian route before the state.
_LARGE_STATE = 1500
#: Largest deviation of the trace of the complex-P state from 1 beyond its Fock tail.
_TRACE_TOL = 1e-9

#: The BLAS-thread policy of epcore (:mod:`epcore.threads`), as a decorator. OpenBLAS threads
#: spin and slow the sparse LU down several-fold when the cores are shared.
_one_blas_thread = limit_blas_threads


def _top_population(rho: qutip.Qobj) -> float:
    return float(np.sum(rho.diag()[-3:].real))


def _diag(rho) -> np.ndarray:
    return rho.diag() if isinstance(rho, qutip.Qobj) else np.diagonal(np.asarray(rho))


def _state_cutoff(N: float, eps: float, method: str, model: KerrModel) -> int:
    """:func:`fock_cutoff` (for ``'qutip'``: :func:`solver_cutoff`), after a memory check on
    the cheap mean-field guess (so that a request far too large for memory fails at once, not
    after the cutoff search)."""
    guess = initial_cutoff(N, eps, model=model) if eps > 0 else 4
    check_state_memory(N, eps, int(0.9 * guess), method=method, model=model)
    if method == "qutip":
        return solver_cutoff(N, eps, model=model)
    return fock_cutoff(N, eps, model=model)


# ------------------------------------------------------------------------ steady state


def _check_trace(rho: qutip.Qobj, N: float, eps: float, model: KerrModel) -> None:
    """Raise ``IllConditionedError`` if the complex-P state lost its normalization.

    ``rho = V V^dag`` is normalized by construction up to the population above the cutoff
    (at most a few ``TAIL_TOL``); a larger deviation is round-off in the series, the library's
    own failure, not the caller's.
    """
    trace = float(np.sum(rho.diag().real))
    if abs(trace - 1) > _TRACE_TOL:
        raise IllConditionedError(
            f"the complex-P density matrix at N = {N}, eps = {eps} ({model}) has trace "
            f"{trace:.12g}: its series lost precision in double arithmetic. Lower N, or use "
            "exact_fluctuations (moments, no density matrix) or linearized_branches (the "
            "N -> infinity limit)"
        )



@_one_blas_thread
def steady_state(
    N: float,
    eps: float,
    *,
    model: KerrModel = PAPER,
    cutoff: int | None = None,
    max_cutoff: int | None = None,
    grow: bool = True,
    method: str = METHODS[0],
) -> qutip.Qobj:
    r"""The exact steady state of Eq. (B1), :math:`\mathcal{L}\rho = 0` (Eq. B2), in Fock space.

    Starts from ``cutoff`` (default :func:`epcore.kerr.fock_cutoff`, read off the exact
    photon-number distribution) and checks the population of the top three Fock levels; while
    it exceeds ``CUTOFF_TOL`` the cutoff grows by 40 %, up to ``max_cutoff`` (``grow=False``
    raises at once instead). The ``'qutip'`` route needs more: the truncation error of a
    linear solve is amplified by the inverse Liouvillian gap, so its cutoff is at least that
    of :func:`epcore.kerr.solver_cutoff`, whose rule also refuses a gap too small for any
    double-precision solve (chapter 6, "Why steady-state solvers fail").

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.
    cutoff : int, optional
        First Fock cutoff tried; ``None`` reads it off the photon distribution.
    max_cutoff : int, optional
        Largest cutoff allowed. ``None`` bounds the QuTiP route at
        ``epcore.settings.max_cutoff`` (its sparse LU grows as ``cutoff**3``) and leaves the
        complex-P route bounded by memory only.
    grow : bool, optional
        Whether to enlarge a cutoff whose top levels are populated.
    method : str, optional
        ``'complex-p'`` (default): :func:`epcore.kerr.exact_density_matrix`, the analytic
        solution, positive by construction, no linear solve. ``'qutip'``:
        ``qutip.steadystate(L, method='direct')`` (sparse LU, the fastest reliable QuTiP
        solver here, see ``benchmarks/bench_kerr.py``), in the cutoff of
        :func:`epcore.kerr.solver_cutoff`; it cannot be trusted near :math:`\epsilon_c` as
        the Liouvillian gap closes (chapter 6).

    Returns
    -------
    qutip.Qobj
        The density matrix, whose top three Fock levels hold at most ``CUTOFF_TOL``.

    Raises
    ------
    epcore.errors.CutoffError
        The state needs more Fock levels than ``max_cutoff``, or ``grow=False`` and the top
        levels are populated (for ``'qutip'``: more than :func:`epcore.kerr.solver_cutoff`
        allows).
    epcore.errors.IllConditionedError
        ``'qutip'`` where the Liouvillian gap is too small for a double-precision solve
        (:func:`epcore.kerr.solver_cutoff`).
    epcore.errors.MemoryLimitError
        The :func:`memory_estimate` exceeds ``epcore.settings.memory_limit``; raised before
        anything large is allocated.

    Examples
    --------
    >>> from epcore import kerr
    >>> rho = kerr.steady_state(2, 0.5)
    >>> rho.isherm, round(rho.tr(), 12)
    (True, 1.0)
    """
    N, eps = check_size(N), check_drive(eps)
    check_choice(method, "method", METHODS)
    if max_cutoff is None:
        max_cutoff = settings.max_cutoff if method == "qutip" else sys.maxsize
    else:
        max_cutoff = check_integer(max_cutoff, "max_cutoff", minimum=2)
    if cutoff is None:
        d = _state_cutoff(N, eps, method, model)
    else:
        d = check_integer(cutoff, "the Fock cutoff", minimum=2)
        if method == "qutip":
            # a request too large fails first
            check_state_memory(N, eps, d, method=method, model=model)
            needed = solver_cutoff(N, eps, model=model)
            if d < needed and not grow:
                top = float(photon_distribution(N, eps, d, n_min=max(0, d - 3), model=model).sum())
                raise CutoffError(
                    f"the steady state at N = {N}, eps = {eps} is not converged in {d} Fock "
                    f"levels for a linear solve: the top three hold {top:.1e} of the exact "
                    f"state, and the truncation error is amplified by 1/gap; use a cutoff of at "
                    f"least {needed} (epcore.kerr.solver_cutoff) or method='complex-p'"
                )
            d = max(d, needed)
    if d > max_cutoff:
        raise CutoffError(
            f"N = {N}, eps = {eps} needs a Fock cutoff of at least {d} > max_cutoff = "
            f"{max_cutoff}: raise max_cutoff (memory grows roughly as cutoff^3) or use "
            "method='complex-p' (memory ~ cutoff^2) or exact_moment (no truncation)"
        )
    while True:
        check_state_memory(N, eps, d, method=method, model=model)
        if method == "qutip":
            rho = qutip.steadystate(liouvillian(N, eps, d, model=model), method="direct")
        else:
            rho = qutip.Qobj(exact_density_matrix(N, eps, d, model=model))
        top = _top_population(rho)
        if top <= CUTOFF_TOL:
            if method != "qutip":
                _check_trace(rho, N, eps, model)
            return rho
        if not grow or d >= max_cutoff:
            raise CutoffError(
                f"the steady state at N = {N}, eps = {eps} is not converged in {d} Fock levels "
                f"(top three hold {top:.2e} > {CUTOFF_TOL:.0e}): raise max_cutoff (now "
                f"{max_cutoff}) or pass a larger cutoff"
            )
        d = min(max_cutoff, int(math.ceil(1.4 * d)))


# ---------------------------------------------------------------------- entropy balance


def balance_of_state(
    rho, N: float, eps: float, *, model: KerrModel = PAPER
) -> ModeBalance:
    r"""Eqs. (5)-(10) of a Kerr state, checked against the exact moments.

    :func:`epcore.phasespace.entropy_balance` of ``rho`` with the Hamiltonian of
    :func:`epcore.kerr.hamiltonian`, its drive and detuning passed as the ``flow`` (they add
    nothing to :math:`\Pi_u`, Eq. A1, and would only add round-off); the state's
    :math:`\langle a\rangle` and :math:`\langle a^\dagger a\rangle` must agree with
    :func:`epcore.kerr.exact_fluctuations` to ``MOMENT_TOL``. :math:`\Phi_q` is the exact
    :math:`2\kappa\langle\delta a^\dagger\delta a\rangle` of
    :func:`epcore.kerr.exact_fluctuations`, whose series sums the variance itself:
    :math:`\langle a^\dagger a\rangle - |\langle a\rangle|^2` of the state keeps only
    :math:`10^{-16}\langle a^\dagger a\rangle` absolute accuracy, all of
    :math:`\Phi_q` when the state is close to a coherent one.

    Parameters
    ----------
    rho : qutip.Qobj or numpy.ndarray
        A steady state in the Fock basis.
    N : float
        System size it was computed for, :math:`E = \epsilon\sqrt{N}`.
    eps : float
        Drive per unit size it was computed for.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    ModeBalance
        The five terms. Diagnostic fields: those of :func:`epcore.phasespace.entropy_balance`
        (``mean_a``, ``photons``, ``wehrl``, ``pi_unsplit``, ``normalization``,
        ``current_error``, ``grid_shape``, ...), plus ``alpha``
        (:math:`\langle a\rangle/\sqrt{N}`, complex), ``cutoff`` (Fock levels),
        ``top_population`` (of the top three levels) and ``moment_error`` (the largest
        relative deviation from the exact moments) and ``phi_q_state``
        (:math:`2\kappa(\langle a^\dagger a\rangle - |\langle a\rangle|^2)` of ``rho``).

    Raises
    ------
    epcore.errors.IllConditionedError
        A deviation from the exact moments above ``MOMENT_TOL``.
    epcore.errors.CutoffError, epcore.errors.GridError
        From :func:`epcore.phasespace.entropy_balance`: populated top Fock levels, or a grid
        that misses part of ``Q``.
    """
    N, eps = check_size(N), check_drive(eps)
    rho = density_matrix(rho, cutoff_tol=np.inf)
    d = rho.shape[0]
    # the drive and the detuning add nothing to Pi_u (a divergence-free flow of Q); kept out of
    # the Pi_u integral they cannot swamp it with round-off (epcore.phasespace.entropy_balance)
    n = np.arange(d, dtype=float)
    kerr_only = np.diag(kerr_coefficient(N, model=model) * n * (n - 1)).astype(complex)
    flow = (1j * eps * math.sqrt(N), model.delta)
    b = entropy_balance(rho, kerr_only, model.kappa, flow=flow)
    phi_q_state = b.phi_q
    if eps > 0:
        exact = exact_fluctuations(N, eps, model=model)
        # relative deviations; the floor keeps a drive so weak that <a^dag a> underflows finite
        moment_error = max(
            abs(b.mean_a - exact["mean_a"]) / max(abs(exact["mean_a"]), 1e-300),
            abs(b.photons - exact["photons"]) / max(exact["photons"], 1e-300),
        )
        # <a^dag a> - |<a>|^2 of the state cancels to round-off of <a^dag a>; the exact series
        # sums the variance itself (exact_fluctuations)
        b = dataclasses.replace(b, phi_q=float(exact["phi_q"]))
    else:
        moment_error = abs(b.photons)
    if moment_error > MOMENT_TOL:
        raise IllConditionedError(
            f"the Fock steady state at N = {N}, eps = {eps} deviates from the exact moments by "
            f"{moment_error:.1e} > MOMENT_TOL = {MOMENT_TOL:.0e}: the Liouvillian gap is too "
            "small for a double-precision linear solve here; use method='complex-p'"
        )
    return b.replace(
        alpha=b.mean_a / math.sqrt(N),
        cutoff=d,
        top_population=float(np.real(_diag(rho))[-3:].sum()),
        moment_error=moment_error,
        phi_q_state=phi_q_state,
    )


@_one_blas_thread
def entropy_production(
    N: float,
    eps: float,
    *,
    model: KerrModel = PAPER,
    method: str = METHODS[0],
    cutoff: int | None = None,
    max_cutoff: int | None = None,
) -> ModeBalance:
    r"""Eqs. (5)-(10) for the exact finite-N steady state of the Kerr model.

    :math:`\Pi_u` is the general form :math:`-\int U(Q)\ln Q` (Eq. A1);
    :func:`pi_u_integrated_by_parts` is the independent route of Eq. (B6). The state of
    either method is checked against the exact moments (:func:`balance_of_state`), and
    :math:`\Phi_q` is the exact variance of the complex-P series. Eq. (10) is the gauge: when
    :math:`\Pi_u + \Pi_d` of the state misses :math:`\Phi_q` by more than ``RESIDUAL_TOL``
    (a state so close to a coherent one that the phase-space integrals lose
    :math:`\Pi_u, \Pi_d` to round-off, or a complex-P state that lost precision at huge N),
    the ``'complex-p'`` route returns the Gaussian limit of the branch that holds the state
    (:func:`epcore.kerr.linearized_branches`, App. A) if that matches the exact
    :math:`\Phi_q` to ``RESIDUAL_TOL``, and otherwise raises. For a state of more than
    1500 Fock levels (with no ``cutoff`` given) that Gaussian route is tried first: where it
    meets the gauge it is as accurate, in milliseconds instead of minutes. The cutoff
    is chosen from the state (:func:`epcore.kerr.fock_cutoff`), so large N needs no option:
    ``entropy_production(400, critical_drive())`` uses about 1100 levels and a few seconds.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.
    method : str, optional
        ``'complex-p'`` (default): the analytic density matrix. ``'qutip'``: the linear solve
        with ``qutip.steadystate``, kept as a cross-check; near :math:`\epsilon_c` the
        Liouvillian gap closes exponentially in N and the errors of truncation and round-off
        grow as 1/gap (chapter 6 tabulates them), so the cutoff follows
        :func:`epcore.kerr.solver_cutoff`, which raises ``IllConditionedError`` where no
        cutoff suffices (at :math:`\epsilon_c` from N of about 21 on), and the moment check
        raises on any result that still misses.
    cutoff : int, optional
        First Fock cutoff tried (see :func:`steady_state`).
    max_cutoff : int, optional
        Largest cutoff allowed (default: ``epcore.settings.max_cutoff`` for ``'qutip'``, memory
        only for ``'complex-p'``).

    Returns
    -------
    ModeBalance
        The five terms. Diagnostic fields: those of :func:`balance_of_state` (``alpha``,
        ``wehrl``, ``cutoff``, ``top_population``, ``moment_error``, ``mean_a``,
        ``photons``, ``pi_unsplit``, ``normalization``, ``current_error``, ``grid_shape``, ...),
        ``method`` and ``route`` (``'state'``). From the Gaussian route ``route`` is
        ``'gaussian'`` and the keys are ``mean_a``, ``photons``, ``alpha`` (exact),
        ``wehrl``, ``husimi_cov`` (of the branch), ``gaussian_gauge`` (its relative miss of
        the exact :math:`\Phi_q`), ``cutoff`` (0: no Fock state) and ``moment_error`` (0).

    Raises
    ------
    epcore.errors.IllConditionedError
        The state deviates from the exact moments by more than ``MOMENT_TOL``
        (``'qutip'``), or no route meets ``RESIDUAL_TOL`` (the message says which parameter
        to change; :func:`epcore.kerr.exact_fluctuations` still gives :math:`\Phi_q`).
    epcore.errors.CutoffError
        The state needs more Fock levels than ``max_cutoff``.
    epcore.errors.MemoryLimitError
        The request would need more than ``epcore.settings.memory_limit`` (see
        :func:`memory_estimate`).

    Examples
    --------
    >>> from epcore import kerr
    >>> b = kerr.entropy_production(2, 0.5)
    >>> abs(float(b.residual)) < 1e-10  # Eq. (10): Pi = Phi
    True
    """
    N, eps = check_size(N), check_drive(eps)
    check_choice(method, "method", METHODS)
    if method != "qutip" and cutoff is None and eps > 0:
        if initial_cutoff(N, eps, model=model) > _LARGE_STATE:
            # a state of thousands of Fock levels costs minutes; where the Gaussian limit
            # already meets the gauge it is as accurate (O(1/N)) and takes milliseconds
            gauss = _gaussian_route(N, eps, model)
            if gauss is not None and gauss.gaussian_gauge <= RESIDUAL_TOL:
                return gauss.replace(method=method)
    try:
        rho = steady_state(
            N, eps, model=model, cutoff=cutoff, max_cutoff=max_cutoff, method=method
        )
        b = balance_of_state(rho, N, eps, model=model).replace(method=method, route="state")
    except (IllConditionedError, MemoryLimitError) as err:
        if method == "qutip":
            raise
        failure: Exception | EntropyBalance = err
    else:
        if eps == 0 or b.relative_residual <= RESIDUAL_TOL:
            return b
        failure = b
    gauss = _gaussian_route(N, eps, model)
    if gauss is not None and gauss.gaussian_gauge <= RESIDUAL_TOL:
        return gauss.replace(method=method)
    if isinstance(failure, MemoryLimitError):
        raise failure
    raise _untrusted(N, eps, model, failure, gauss) from (
        failure if isinstance(failure, Exception) else None
    )


def _gaussian_route(N: float, eps: float, model: KerrModel) -> ModeBalance | None:
    r"""The Gaussian (linearized) balance of the branch that holds the exact state, or None.

    ``None`` when both stable branches carry weight (log-odds within
    ``_ONE_BRANCH_LOG_ODDS``): the state is then a mixture, not one Gaussian. ``pi_ext`` and
    ``phi_q`` are the exact ones (:func:`epcore.kerr.exact_fluctuations`); ``gaussian_gauge``
    is the relative deviation of the Gaussian :math:`\Phi_q` from the exact one, the size of
    the finite-N corrections the Gaussian route leaves out.
    """
    branches = linearized_branches(eps, model=model)
    if len(branches) == 2:
        log_odds = branch_log_odds(N, eps, model=model)
        if abs(log_odds) < _ONE_BRANCH_LOG_ODDS:
            return None
        g = branches[-1] if log_odds > 0 else branches[0]
    else:
        g = branches[0]
    exact = exact_fluctuations(N, eps, model=model)
    phi_q = float(exact["phi_q"])
    gauge = abs(g.phi_q - phi_q) / phi_q if phi_q > 0 else math.inf
    ext = 2 * model.kappa * abs(exact["mean_a"]) ** 2
    return ModeBalance(
        ext,
        g.pi_u,
        g.pi_d,
        ext,
        phi_q,
        route="gaussian",
        gaussian_gauge=gauge,
        mean_a=exact["mean_a"],
        photons=float(exact["photons"]),
        alpha=exact["alpha"],
        wehrl=g.wehrl,
        cutoff=0,
        moment_error=0.0,
        husimi_cov=g.husimi_cov,
    )


def _untrusted(
    N: float,
    eps: float,
    model: KerrModel,
    failure: Exception | EntropyBalance,
    gauss: EntropyBalance | None,
) -> IllConditionedError:
    """The ``IllConditionedError`` of :func:`entropy_production` when no route is trusted."""
    if isinstance(failure, EntropyBalance):
        state = (
            f"the exact state's Pi_u + Pi_d misses the exact Phi_q = {failure.phi_q:.6g} by "
            f"{failure.relative_residual:.1e} of it (> RESIDUAL_TOL = {RESIDUAL_TOL:.0e}): "
            f"Phi_q is {failure.phi_q / (2 * model.kappa * failure.photons):.1e} of "
            "2 kappa <a^dag a>, so the state is so close to a coherent one that the "
            "phase-space integrals of Eq. (8) lose it to round-off"
        )
    else:
        state = f"the exact state cannot be used ({failure})"
    if gauss is None:
        gaussian = "the Gaussian limit does not apply (both branches carry weight)"
    else:
        gaussian = (
            f"the Gaussian (N -> infinity) limit misses Phi_q by {gauss.gaussian_gauge:.1e} "
            f"of it (> RESIDUAL_TOL = {RESIDUAL_TOL:.0e}: N is too small for it)"
        )
    return IllConditionedError(
        f"no route is accurate at N = {N}, eps = {eps} ({model}): {state}; {gaussian}. "
        "Raise eps (Phi_q grows as eps^4 near the vacuum) or raise N (the Gaussian limit "
        "holds to O(1/N)); for kappa or |delta| far above u, lower them. Phi_q alone is "
        "exact at any parameters: exact_fluctuations"
    )


def pi_u_integrated_by_parts(rho, N: float, *, model: KerrModel = PAPER) -> float:
    r""":math:`\Pi_u` from Eq. (B6), with the corrected prefactor :math:`iu/2N`.

    .. math::

        \Pi_u &= \frac{iu}{2N}\int \frac{\mu^2 (\partial_\mu Q)^2
                 - \bar\mu^2 (\partial_{\bar\mu} Q)^2}{Q}\, d^2\mu \\
              &= -\frac{u}{N}\int \frac{\mathrm{Im}(\mu^2 \bar D^2)}{Q}\, d^2\mu,

    with :math:`D = \partial_{\bar\mu} Q` (Eq. B3). The drive and detuning drop out, so only
    :math:`u` and :math:`N` enter.

    Parameters
    ----------
    rho : qutip.Qobj or numpy.ndarray
        A state in the Fock basis.
    N : float
        System size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        Its Kerr nonlinearity ``u`` is used; default :data:`PAPER`.

    Returns
    -------
    float
        :math:`\Pi_u`.
    """
    N = check_size(N)
    data = husimi_data(rho)
    integrand = np.imag(data.grid.mu**2 * np.conj(data.dq_dmubar) ** 2)
    return float(-(model.u / N) * data.integrate(data.over_q(integrand)))


# ------------------------------------------------------------------ rows for cached sweeps


@_one_blas_thread
def entropy_production_row(
    N: float, eps: float, *, model: KerrModel = PAPER
) -> dict[str, float]:
    """:func:`entropy_production` with default options, as plain floats for cached sweeps.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    dict
        ``N, eps, pi_u, pi_d, phi_q, relative_residual, moment_error, cutoff,
        method_is_qutip``.
    """
    b = entropy_production(N, eps, model=model)
    columns = b.columns()
    return {
        "N": float(N),
        "eps": float(eps),
        **{k: columns[k][0] for k in ("pi_u", "pi_d", "phi_q")},
        "relative_residual": b.relative_residual,
        "moment_error": columns["moment_error"][0],
        "cutoff": float(b.cutoff),
        "method_is_qutip": float(b.method == "qutip"),
    }


@_one_blas_thread
def state_balance_row(
    N: float, eps: float, *, model: KerrModel = PAPER, method: str = METHODS[0]
) -> dict[str, float]:
    r""":func:`balance_of_state` of the :func:`steady_state` of ``method``, as plain floats.

    The row of one point of a drive or size sweep (cacheable, picklable). Unlike
    :func:`entropy_production_row` it keeps the state of the given method, with no Gaussian
    fallback, and adds the integrated-by-parts :math:`\Pi_u` (Eq. B6).

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.
    method : str, optional
        One of :data:`METHODS`.

    Returns
    -------
    dict
        ``N``, ``eps``, the columns of the balance
        (:meth:`~epcore.balance.EntropyBalance.columns` of :func:`balance_of_state`: the
        terms, ``pi``, ``phi``, ``residual``, ``alpha_re``, ``alpha_im``, ``photons``,
        ``wehrl``, ``moment_error``, ``normalization``, ...) as floats, and
        ``relative_residual``, ``pi_u_by_parts`` (Eq. B6, corrected).
    """
    rho = steady_state(N, eps, method=method, model=model)
    b = balance_of_state(rho, N, eps, model=model)
    return {
        "N": float(N),
        "eps": float(eps),
        **{k: v[0] for k, v in b.columns().items()},
        "relative_residual": b.relative_residual,
        "pi_u_by_parts": pi_u_integrated_by_parts(rho, N, model=model),
        "cutoff": float(b.cutoff),
    }
