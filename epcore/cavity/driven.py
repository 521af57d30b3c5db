r"""The driven cavity of Eq. (2): Hamiltonian, steady state and transients.

:math:`H = \Delta a^\dagger a + \chi a^{\dagger 2} a^2 + iE(a^\dagger - a)` with losses
:math:`2\kappa D[a]`, its steady state, the closed-form transient of the empty cavity (a
coherent state at every time, :math:`\Pi = \Phi = 2\kappa|\alpha(t)|^2 \to 2E^2/\kappa`),
and :func:`transient_balance`: :math:`S(t)`, :math:`\Pi(t)`, :math:`\Phi(t)` along a
``qutip.mesolve`` run, with an independent :math:`dS/dt = -\int \dot Q \ln Q\, d^2\mu` to
check Eq. (1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import qutip
from tqdm.auto import tqdm

from ..balance import EntropyBalance, ModeBalance
from ..errors import ArgumentTypeError
from ..models import (
    check_array,
    check_memory,
    check_real,
)
from ..phasespace import (
    density_matrix,
    entropy_balance,
    hermitian_normalized,
)
from ..threads import limit_blas_threads
from .checks import check_dimension, check_loss_rate, steady_state_memory
from .states import LIEB_BOUND

__all__ = [
    "driven_hamiltonian",
    "steady_state",
    "empty_cavity_amplitude",
    "empty_cavity_transient",
    "TransientBalance",
    "transient_balance",
]


def _check_hamiltonian(H) -> qutip.Qobj:
    """A Hermitian single-mode operator as a ``Qobj`` (a square array is converted)."""
    if not isinstance(H, qutip.Qobj):
        arr = check_array(H, "the Hamiltonian H", ndim=2, complex_ok=True)
        if arr.shape[0] != arr.shape[1]:
            raise ValueError(f"the Hamiltonian H must be a square matrix, got shape {arr.shape}")
        H = qutip.Qobj(arr)
    if not H.isoper or H.shape[0] != H.shape[1] or H.shape[0] < 2:
        raise ValueError(f"the Hamiltonian H must be a square operator, got shape {H.shape}")
    if not H.isherm:
        raise ValueError("the Hamiltonian H must be Hermitian")
    data = H.data.as_scipy() if hasattr(H.data, "as_scipy") else H.full()
    values = data.data if hasattr(data, "data") else np.asarray(data)
    if not np.all(np.isfinite(values)):
        raise ValueError("the Hamiltonian H must have finite entries")
    return H


def _times(t) -> np.ndarray:
    """Times ``>= 0`` as a float array; ``inf`` (the steady state) is allowed, NaN is not."""
    if isinstance(t, (str, bytes)) or t is None:
        raise ArgumentTypeError(f"t must be a time or an array of times, got {t!r}")
    try:
        arr = np.asarray(t)
    except (TypeError, ValueError):
        raise ArgumentTypeError(f"t must be a time or an array of times, got {t!r:.60}") from None
    if arr.dtype.kind not in "iuf":
        raise ArgumentTypeError(f"t must be real times, got {t!r:.60}")
    arr = arr.astype(float)
    if np.any(np.isnan(arr)) or np.any(arr < 0):
        raise ValueError("times must be >= 0 (inf for the steady state), without NaN")
    return arr


# --------------------------------------------------------------------------------------------
# driven cavity, Eq. (2)


def driven_hamiltonian(d: int, E: float, *, delta: float = 0.0, chi: float = 0.0) -> qutip.Qobj:
    r"""Driven cavity Hamiltonian of Eq. (2) on ``d`` Fock levels.

    .. math::

        H = \Delta a^\dagger a + \chi a^{\dagger 2} a^2 + iE(a^\dagger - a).

    :math:`\chi = \Delta = 0` gives the empty driven cavity; :math:`\chi = u/(2N)`,
    :math:`E = \epsilon\sqrt N` give the Kerr model of Eq. (11) (:func:`epcore.kerr.hamiltonian`
    calls this function).

    Parameters
    ----------
    d : int
        Number of Fock levels, at least 2.
    E : float
        Drive amplitude :math:`E` of :math:`iE(a^\dagger - a)`.
    delta : float, optional
        Detuning :math:`\Delta` of the mode from the drive.
    chi : float, optional
        Kerr coefficient :math:`\chi` of :math:`a^{\dagger 2} a^2`.

    Returns
    -------
    qutip.Qobj
        The Hamiltonian, ``d x d``; :math:`a^\dagger a` and :math:`a^{\dagger 2} a^2 = n(n-1)` are
        built as exact diagonals.

    Raises
    ------
    ValueError
        If ``d`` is not an integer ``>= 2``.
    """
    d = check_dimension(d)
    E = check_real(E, "the drive E")
    delta = check_real(delta, "the detuning delta")
    chi = check_real(chi, "the Kerr coefficient chi")
    a = qutip.destroy(d)
    levels = np.arange(d, dtype=float)
    kerr = qutip.qdiags(levels * (levels - 1.0), 0)  # a^dag^2 a^2
    return delta * qutip.num(d) + chi * kerr + 1j * E * (a.dag() - a)


@limit_blas_threads
def steady_state(H: qutip.Qobj, kappa: float) -> qutip.Qobj:
    r"""Steady state of Eq. (2) with losses :math:`2\kappa D[a]`, by ``qutip.steadystate``.

    The result is Hermitized and normalized; :func:`epcore.phasespace.density_matrix` checks it
    (and the Fock cutoff) when it enters the phase-space engine.

    Parameters
    ----------
    H : qutip.Qobj
        The Hamiltonian, drive included (for example :func:`driven_hamiltonian`).
    kappa : float
        Loss rate :math:`\kappa > 0`.

    Returns
    -------
    qutip.Qobj
        The steady-state density matrix, with the dimension of ``H``.

    Raises
    ------
    ValueError
        If ``kappa`` is not finite and positive.
    """
    H = _check_hamiltonian(H)
    kappa = check_loss_rate(kappa)
    d = H.shape[0]
    check_memory(steady_state_memory(d), f"the steady state of a {d}-level cavity",
                 fits="d <= 300 for about 0.5 GB")
    a = qutip.destroy(d)
    rho = qutip.steadystate(H, [np.sqrt(2 * kappa) * a])
    rho = (rho + rho.dag()) / 2
    return rho / rho.tr()


def empty_cavity_amplitude(E: float, kappa: float, t=np.inf):
    r"""Amplitude :math:`\langle a\rangle(t) = (E/\kappa)(1 - e^{-\kappa t})` of the empty cavity.

    The cavity (:math:`H_0 = 0`, drive :math:`iE(a^\dagger - a)`, losses :math:`2\kappa D[a]`)
    starts in the vacuum at :math:`t = 0`.

    Parameters
    ----------
    E : float
        Drive amplitude.
    kappa : float
        Loss rate :math:`\kappa > 0`.
    t : float or array_like, optional
        Time(s); the default :math:`t = \infty` gives the steady amplitude :math:`E/\kappa`.

    Returns
    -------
    float or numpy.ndarray
        :math:`\langle a\rangle(t)`, real, with the shape of ``t``.

    Raises
    ------
    ValueError
        If ``kappa`` is not finite and positive.
    """
    E = check_real(E, "the drive E")
    kappa = check_loss_rate(kappa)
    t = _times(t)
    return E / kappa * (-np.expm1(-kappa * t))


def empty_cavity_transient(E: float, kappa: float, times) -> dict[str, np.ndarray]:
    r"""Closed-form entropy balance of the empty cavity (:math:`H_0 = 0`) relaxing from the vacuum.

    The state stays coherent, :math:`|\alpha(t)\rangle`, so :math:`S = 1 + \ln\pi` at all times,
    the fluctuation terms of Eqs. (7)-(8) vanish (:math:`\Pi_u = \Pi_d = \Phi_q = 0`) and
    :math:`\Pi = \Phi = 2\kappa\alpha(t)^2`, reaching :math:`2E^2/\kappa` in the steady state (the
    paper's Discussion).

    Parameters
    ----------
    E : float
        Drive amplitude.
    kappa : float
        Loss rate :math:`\kappa > 0`.
    times : array_like
        Times at which to evaluate the balance.

    Returns
    -------
    dict[str, numpy.ndarray]
        ``"t"`` (the times), ``"alpha"`` (:func:`empty_cavity_amplitude`), ``"S"`` (Eq. 4),
        ``"Pi"`` (Eq. 6) and ``"Phi"`` (Eq. 5), each with the shape of ``times``.

    Raises
    ------
    ValueError
        If ``kappa`` is not finite and positive.
    """
    times = check_array(times, "times", minimum=0.0)
    alpha = empty_cavity_amplitude(E, kappa, times)
    rate = 2 * kappa * alpha**2
    return {"t": times, "alpha": alpha, "S": np.full_like(times, LIEB_BOUND), "Pi": rate,
            "Phi": rate.copy()}


@dataclass(frozen=True, kw_only=True, repr=False)
class TransientBalance(EntropyBalance):
    r"""Entropy balance along a transient: arrays indexed by time (:func:`transient_balance`).

    An array-valued :class:`~epcore.balance.EntropyBalance`: the terms at each time, so
    ``pi`` is :math:`\Pi` (Eq. 6 = Eq. 8) and ``phi`` is :math:`\Phi` (Eq. 5) at each time.
    Eq. (1) says ``dS_dt = pi - phi``; :attr:`entropy_rate_error` measures how well that holds.

    Parameters
    ----------
    pi_ext, pi_u, pi_d, phi_ext, phi_q : numpy.ndarray
        The terms of Eqs. (7)-(8) at each time.
    times : numpy.ndarray
        The times of the solver output.
    S : numpy.ndarray
        Wehrl entropy (Eq. 4).
    dS_dt : numpy.ndarray
        The independent rate :math:`-\int \dot Q \ln Q\, d^2\mu` with
        :math:`\dot Q = \langle\mu|\mathcal{L}(\rho)|\mu\rangle/\pi` from the master equation.
    pi_unsplit : numpy.ndarray
        Eq. (6) evaluated without the split of Eq. (8).
    balances : tuple of ModeBalance
        The full balance at each time (:func:`epcore.phasespace.entropy_balance`).
    states : tuple of qutip.Qobj
        The (Hermitized, normalized) state at each time.
    """

    times: np.ndarray
    S: np.ndarray
    dS_dt: np.ndarray
    pi_unsplit: np.ndarray
    balances: tuple[ModeBalance, ...] = ()
    states: tuple[qutip.Qobj, ...] = ()

    @property
    def entropy_rate_error(self) -> np.ndarray:
        r"""Violation of Eq. (1) at each time, :math:`|dS/dt - (\Pi - \Phi)|`."""
        return np.abs(self.dS_dt - (self.pi - self.phi))


def _clean(rho: qutip.Qobj, trace_tol: float = 1e-6) -> np.ndarray:
    """Hermitize and renormalize an ODE-solver state, refusing drifts above ``trace_tol``."""
    m = rho.full()
    tr = np.trace(m).real
    if abs(tr - 1) > trace_tol:
        raise ValueError(
            f"the solver state has trace {tr:.9f}: tighten mesolve's atol/rtol or shorten the step"
        )
    return hermitian_normalized(m)

@limit_blas_threads
def transient_balance(
    H: qutip.Qobj,
    kappa: float,
    rho0,
    times,
    *,
    progress: bool = True,
    atol: float = 1e-11,
    rtol: float = 1e-9,
) -> TransientBalance:
    r"""Run ``qutip.mesolve`` for Eq. (2) and evaluate Eqs. (1), (4)-(8) at every time.

    ``H`` contains the drive; losses are :math:`2\kappa D[a]`. The solver tolerances ``atol`` and
    ``rtol`` set how well Eq. (1) can hold: the phase-space integrals themselves are accurate to
    about 1e-9 relative.

    Parameters
    ----------
    H : qutip.Qobj
        Hamiltonian, drive included.
    kappa : float
        Loss rate :math:`\kappa > 0`.
    rho0 : qutip.Qobj or array_like
        Initial state, with the dimension of ``H``.
    times : array_like
        Increasing times, at least two, starting at the time of ``rho0``.
    progress : bool, optional
        Show progress bars for the solver and for the phase-space integrals.
    atol, rtol : float, optional
        Absolute and relative tolerances of ``qutip.mesolve``.

    Returns
    -------
    TransientBalance
        The terms, :math:`S`, :math:`dS/dt` and the full balance at every time.

    Raises
    ------
    ValueError
        If ``kappa`` is not positive, ``times`` is not increasing, ``rho0`` does not match ``H``,
        or the solver's trace drifts by more than 1e-6 (tighten ``atol``/``rtol``).
    epcore.errors.CutoffError
        If a state along the run populates the top Fock levels (enlarge the Fock space).
    epcore.errors.GridError
        If the phase-space grid cannot hold the Husimi function of a state along the run.
    """
    H = _check_hamiltonian(H)
    kappa = check_loss_rate(kappa)
    atol = check_real(atol, "atol", minimum=1e-16,
                      hint="; a smaller tolerance is below double precision for a trace-one state")
    rtol = check_real(rtol, "rtol", positive=True, maximum=0.1)
    times = check_array(times, "times", ndim=1, min_size=0)
    if times.ndim != 1 or len(times) < 2 or np.any(np.diff(times) <= 0):
        raise ValueError("times must be an increasing 1-D array with at least two entries")
    d = H.shape[0]
    check_memory(16.0 * d * d * (len(times) + 8) + steady_state_memory(min(d, 60)),
                 f"{len(times)} states of a {d}-level cavity", fits="fewer times or levels")
    rho0 = qutip.Qobj(density_matrix(rho0))
    if rho0.shape != H.shape:
        raise ValueError(f"rho0 has shape {rho0.shape} but H has shape {H.shape}")
    c_ops = [np.sqrt(2 * kappa) * qutip.destroy(d)]
    options = {"atol": atol, "rtol": rtol, "progress_bar": "tqdm" if progress else False}
    result = qutip.mesolve(H, rho0, times, c_ops, options=options)
    balances, states = [], []
    for rho in tqdm(result.states, desc="entropy balance", disable=not progress):
        m = _clean(rho)
        # its wehrl_rate is -int (dQ/dt) ln Q from Eq. (2)
        balances.append(entropy_balance(m, H, kappa))
        states.append(qutip.Qobj(m))
    return TransientBalance.stack(
        balances,
        times=times,
        S=np.array([b.wehrl for b in balances]),
        dS_dt=np.array([b.wehrl_rate for b in balances]),
        balances=tuple(balances),
        states=tuple(states),
    )

