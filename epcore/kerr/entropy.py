r"""The finite-N steady state of the Kerr model and its entropy balance (Eqs. 5-10, App. B).

:func:`steady_state` builds the exact state in a Fock space whose size is read off the exact
photon distribution, by one of :data:`METHODS`; :func:`balance_of_state` feeds it to the
phase-space engine (:func:`epcore.phasespace.entropy_balance`) and checks it against the
exact moments; :func:`entropy_production` does both. :func:`pi_u_integrated_by_parts` is the
independent route of Eq. (B6), :func:`pi_u_as_printed` the misprinted one.
"""

from __future__ import annotations

import math
import sys

import numpy as np
import qutip

from .. import models
from ..balance import EntropyBalance
from ..errors import CutoffError, IllConditionedError
from ..models import KerrModel, check_drive, check_integer, check_memory, check_size
from ..phasespace import CUTOFF_TOL, density_matrix, entropy_balance, husimi_data
from ..threads import limit_blas_threads
from .exact import (
    exact_density_matrix,
    exact_fluctuations,
    fock_cutoff,
    initial_cutoff,
    series_length,
)
from .model import PAPER, hamiltonian, liouvillian

__all__ = [
    "METHODS",
    "MOMENT_TOL",
    "MAX_CUTOFF",
    "MEMORY_LIMIT",
    "memory_estimate",
    "steady_state",
    "balance_of_state",
    "entropy_production",
    "pi_u_integrated_by_parts",
    "pi_u_as_printed",
    "balance_point",
    "sweep_point",
]

METHODS = ("complex-p", "qutip")  # documented in epcore.kerr
MOMENT_TOL = 1e-8  # documented in epcore.kerr
MAX_CUTOFF = 300  # documented in epcore.kerr
MEMORY_LIMIT = models.MEMORY_LIMIT  # documented in epcore.kerr; the smaller of the two applies

#: The BLAS-thread policy of epcore (:mod:`epcore.threads`), as a decorator. OpenBLAS threads
#: spin and slow the sparse LU down several-fold when the cores are shared.
_one_blas_thread = limit_blas_threads


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return method


def _top_population(rho: qutip.Qobj) -> float:
    return float(np.sum(rho.diag()[-3:].real))


def _diag(rho) -> np.ndarray:
    return rho.diag() if isinstance(rho, qutip.Qobj) else np.diagonal(np.asarray(rho))


# ------------------------------------------------------------------------------ memory


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
        System size, :math:`E = \epsilon\sqrt{N}`.
    eps : float
        Drive per unit size, ``>= 0``.
    cutoff : int
        Fock cutoff of the state.
    method : str, optional
        The route of :func:`steady_state` (one of :data:`METHODS`).
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default :data:`PAPER`.

    Returns
    -------
    float
        Estimated peak memory in bytes.

    Raises
    ------
    ValueError
        A bad size, drive or cutoff, or an unknown ``method``.
    """
    N, eps = check_size(N), check_drive(eps)
    _check_method(method)
    d = float(check_integer(cutoff, "the Fock cutoff", minimum=2))
    r_hi = math.sqrt(d) + 9.0
    grid = (8 * r_hi + 32) * max(2 * d + 16, 8 * math.pi * r_hi)
    phase_space = 16 * 7 * (d * d + grid)
    if method == "qutip":
        return 0.5e9 * (d / 300) ** 3 + phase_space
    columns = series_length(N, eps, model=model, rows=int(d))
    return max(16 * 2 * d * columns, phase_space)


def _check_memory(N: float, eps: float, d: int, method: str, model: KerrModel) -> None:
    """Raise ``MemoryLimitError`` if :func:`memory_estimate` exceeds ``MEMORY_LIMIT``."""
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
        limit=MEMORY_LIMIT,
    )


def _state_cutoff(N: float, eps: float, method: str, model: KerrModel) -> int:
    """:func:`fock_cutoff`, after a memory check on the cheap mean-field guess (so that a
    request far too large for memory fails at once, not after the cutoff search)."""
    guess = initial_cutoff(N, eps, model=model) if eps > 0 else 4
    _check_memory(N, eps, int(0.9 * guess), method, model)
    return fock_cutoff(N, eps, model=model)


# ------------------------------------------------------------------------ steady state


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
    raises at once instead).

    Parameters
    ----------
    N : float
        System size, :math:`E = \epsilon\sqrt{N}` (Eq. 2).
    eps : float
        Drive per unit size, ``>= 0``.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default :data:`PAPER`.
    cutoff : int, optional
        First Fock cutoff tried; ``None`` reads it off the photon distribution.
    max_cutoff : int, optional
        Largest cutoff allowed. ``None`` bounds the QuTiP route at ``MAX_CUTOFF`` (its sparse
        LU grows as ``cutoff**3``) and leaves the complex-P route bounded by memory only.
    grow : bool, optional
        Whether to enlarge a cutoff whose top levels are populated.
    method : str, optional
        ``'complex-p'`` (default): :func:`epcore.kerr.exact_density_matrix`, the analytic
        solution, positive by construction, no linear solve. ``'qutip'``:
        ``qutip.steadystate(L, method='direct')`` (sparse LU, the fastest reliable QuTiP
        solver here, see ``benchmarks/bench_kerr.py``), which loses accuracy near
        :math:`\epsilon_c` as the Liouvillian gap closes (chapter 4).

    Returns
    -------
    qutip.Qobj
        The density matrix, whose top three Fock levels hold at most ``CUTOFF_TOL``.

    Raises
    ------
    ValueError
        A bad size or drive, or an unknown ``method``.
    epcore.errors.CutoffError
        The state needs more Fock levels than ``max_cutoff``, or ``grow=False`` and the top
        levels are populated.
    epcore.errors.MemoryLimitError
        The :func:`memory_estimate` exceeds ``MEMORY_LIMIT``; raised before anything large
        is allocated.
    """
    N, eps = check_size(N), check_drive(eps)
    _check_method(method)
    if max_cutoff is None:
        max_cutoff = MAX_CUTOFF if method == "qutip" else sys.maxsize
    else:
        max_cutoff = check_integer(max_cutoff, "max_cutoff", minimum=2)
    if cutoff is None:
        d = _state_cutoff(N, eps, method, model)
    else:
        d = check_integer(cutoff, "the Fock cutoff", minimum=2)
    if d > max_cutoff:
        raise CutoffError(
            f"N = {N}, eps = {eps} needs a Fock cutoff of at least {d} > max_cutoff = "
            f"{max_cutoff}: raise max_cutoff (memory grows roughly as cutoff^3) or use "
            "method='complex-p' (memory ~ cutoff^2) or exact_moment (no truncation)"
        )
    while True:
        _check_memory(N, eps, d, method, model)
        if method == "qutip":
            rho = qutip.steadystate(liouvillian(N, eps, d, model=model), method="direct")
        else:
            rho = qutip.Qobj(exact_density_matrix(N, eps, d, model=model))
        top = _top_population(rho)
        if top <= CUTOFF_TOL:
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
) -> EntropyBalance:
    r"""Eqs. (5)-(10) of a Kerr state, checked against the exact moments.

    :func:`epcore.phasespace.entropy_balance` of ``rho`` with the Hamiltonian of
    :func:`epcore.kerr.hamiltonian`; the state's :math:`\langle a\rangle` and
    :math:`\langle a^\dagger a\rangle` must agree with :func:`epcore.kerr.exact_fluctuations`
    to ``MOMENT_TOL``.

    Parameters
    ----------
    rho : qutip.Qobj or numpy.ndarray
        A steady state in the Fock basis.
    N : float
        System size it was computed for, :math:`E = \epsilon\sqrt{N}`.
    eps : float
        Drive per unit size it was computed for.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default :data:`PAPER`.

    Returns
    -------
    EntropyBalance
        The five terms. ``extra`` keys: those of :func:`epcore.phasespace.entropy_balance`
        (``mean_a``, ``photons``, ``wehrl``, ``pi_eq6``, ``normalization``,
        ``current_error``, ``grid_shape``, ...), plus ``alpha``
        (:math:`\langle a\rangle/\sqrt{N}`, complex), ``cutoff`` (Fock levels),
        ``top_population`` (of the top three levels) and ``moment_error`` (the largest
        relative deviation from the exact moments).

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
    b = entropy_balance(rho, hamiltonian(N, eps, d, model=model), model.kappa)
    if eps > 0:
        exact = exact_fluctuations(N, eps, model=model)
        # relative deviations; the floor keeps a drive so weak that <a^dag a> underflows finite
        moment_error = max(
            abs(b.extra["mean_a"] - exact["mean_a"]) / max(abs(exact["mean_a"]), 1e-300),
            abs(b.extra["photons"] - exact["photons"]) / max(exact["photons"], 1e-300),
        )
    else:
        moment_error = abs(b.extra["photons"])
    if moment_error > MOMENT_TOL:
        raise IllConditionedError(
            f"the Fock steady state at N = {N}, eps = {eps} deviates from the exact moments by "
            f"{moment_error:.1e} > MOMENT_TOL = {MOMENT_TOL:.0e}: the Liouvillian gap is too "
            "small for a double-precision linear solve here; use method='complex-p'"
        )
    return b.with_extra(
        alpha=b.extra["mean_a"] / math.sqrt(N),
        cutoff=d,
        top_population=float(np.real(_diag(rho))[-3:].sum()),
        moment_error=moment_error,
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
) -> EntropyBalance:
    r"""Eqs. (5)-(10) for the exact finite-N steady state of the Kerr model.

    :math:`\Pi_u` is the general form :math:`-\int U(Q)\ln Q` (Eq. A1);
    :func:`pi_u_integrated_by_parts` is the independent route of Eq. (B6). The state of
    either method is checked against the exact moments (:func:`balance_of_state`). The cutoff
    is chosen from the state (:func:`epcore.kerr.fock_cutoff`), so large N needs no option:
    ``entropy_production(400, critical_drive())`` uses about 1100 levels and a few seconds.

    Parameters
    ----------
    N : float
        System size, :math:`E = \epsilon\sqrt{N}` (Eq. 2).
    eps : float
        Drive per unit size, ``>= 0``.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default :data:`PAPER`.
    method : str, optional
        ``'complex-p'`` (default): the analytic density matrix. ``'qutip'``: the linear solve
        with ``qutip.steadystate``, kept as a cross-check; near :math:`\epsilon_c` at
        N above about 30 the Liouvillian gap closes exponentially in N, the linear system
        becomes ill-conditioned and round-off grows as 1/gap (chapter 4 tabulates it), so the
        moment check raises there.
    cutoff : int, optional
        First Fock cutoff tried (see :func:`steady_state`).
    max_cutoff : int, optional
        Largest cutoff allowed (default: ``MAX_CUTOFF`` for ``'qutip'``, memory only for
        ``'complex-p'``).

    Returns
    -------
    EntropyBalance
        The five terms. ``extra`` keys: those of :func:`balance_of_state` (``alpha``,
        ``wehrl``, ``cutoff``, ``top_population``, ``moment_error``, ``mean_a``,
        ``photons``, ``pi_eq6``, ``normalization``, ``current_error``, ``grid_shape``, ...)
        and ``method``.

    Raises
    ------
    ValueError
        A bad size or drive, or an unknown ``method``.
    epcore.errors.IllConditionedError
        The state deviates from the exact moments by more than ``MOMENT_TOL``.
    epcore.errors.CutoffError
        The state needs more Fock levels than ``max_cutoff``.
    epcore.errors.MemoryLimitError
        The request would need more than ``MEMORY_LIMIT`` (see :func:`memory_estimate`).
    """
    N, eps = check_size(N), check_drive(eps)
    _check_method(method)
    rho = steady_state(
        N, eps, model=model, cutoff=cutoff, max_cutoff=max_cutoff, method=method
    )
    return balance_of_state(rho, N, eps, model=model).with_extra(method=method)


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
        System size.
    model : KerrModel, optional
        Its Kerr nonlinearity ``u`` is used; default :data:`PAPER`.

    Returns
    -------
    float
        :math:`\Pi_u`.

    Raises
    ------
    ValueError
        A bad size, or a state or grid rejected by :func:`epcore.phasespace.husimi_data`.
    """
    N = check_size(N)
    data = husimi_data(rho)
    integrand = np.imag(data.grid.mu**2 * np.conj(data.dq_dmubar) ** 2)
    return float(-(model.u / N) * data.integrate(data.over_q(integrand)))


def pi_u_as_printed(rho, N: float) -> complex:
    r"""Eq. (B6) exactly as printed, with the prefactor :math:`i\mu/2N` inside the integral.

    Kept to document the misprint (Errata): it is complex and does not match
    :math:`\Pi_u`.

    Parameters
    ----------
    rho : qutip.Qobj or numpy.ndarray
        A state in the Fock basis.
    N : float
        System size.

    Returns
    -------
    complex
        The printed integral.

    Raises
    ------
    ValueError
        A bad size, or a state or grid rejected by :func:`epcore.phasespace.husimi_data`.
    """
    N = check_size(N)
    data = husimi_data(rho)
    mu = data.grid.mu
    D = data.dq_dmubar
    bracket = mu**2 * np.conj(D) ** 2 - np.conj(mu) ** 2 * D**2
    return complex(data.integrate(data.over_q(1j * mu / (2 * N) * bracket)))


# ------------------------------------------------------------------------------- sweeps


@_one_blas_thread
def balance_point(N: float, eps: float, *, model: KerrModel = PAPER) -> dict[str, float]:
    """:func:`entropy_production` with default options, as plain floats for cached sweeps.

    Parameters
    ----------
    N : float
        System size.
    eps : float
        Drive per unit size.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default :data:`PAPER`.

    Returns
    -------
    dict
        ``N, eps, pi_u, pi_d, phi_q, relative_residual, moment_error, cutoff,
        method_is_qutip``.

    Raises
    ------
    ValueError
        As :func:`entropy_production`.
    """
    b = entropy_production(N, eps, model=model)
    return {
        "N": float(N),
        "eps": float(eps),
        "pi_u": b.pi_u,
        "pi_d": b.pi_d,
        "phi_q": b.phi_q,
        "relative_residual": b.relative_residual,
        "moment_error": b.moment_error,
        "cutoff": float(b.cutoff),
        "method_is_qutip": float(b.method == "qutip"),
    }


@_one_blas_thread
def sweep_point(
    N: float, eps: float, *, model: KerrModel = PAPER, method: str = METHODS[0]
) -> dict[str, float]:
    """One point of a drive or size sweep as plain floats (cacheable, picklable).

    Parameters
    ----------
    N : float
        System size.
    eps : float
        Drive per unit size.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default :data:`PAPER`.
    method : str, optional
        One of :data:`METHODS`.

    Returns
    -------
    dict
        ``N, eps, pi_u, pi_d, phi_q, pi_ext, residual, relative_residual, pi_u_b6`` (Eq. B6,
        corrected), ``alpha_re, alpha_im, photons, wehrl, cutoff, moment_error,
        normalization``.

    Raises
    ------
    ValueError
        As :func:`entropy_production`.
    """
    rho = steady_state(N, eps, method=method, model=model)
    b = balance_of_state(rho, N, eps, model=model)
    return {
        "N": float(N),
        "eps": float(eps),
        "pi_u": b.pi_u,
        "pi_d": b.pi_d,
        "phi_q": b.phi_q,
        "pi_ext": b.pi_ext,
        "residual": b.residual,
        "relative_residual": b.relative_residual,
        "pi_u_b6": pi_u_integrated_by_parts(rho, N, model=model),
        "alpha_re": b.alpha.real,
        "alpha_im": b.alpha.imag,
        "photons": b.photons,
        "wehrl": b.wehrl,
        "cutoff": float(b.cutoff),
        "moment_error": b.moment_error,
        "normalization": b.normalization,
    }
