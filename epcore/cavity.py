r"""Single driven cavity: the small models of the first three chapters of the book.

* the example states of the Wehrl-entropy chapter with their closed-form Wehrl entropies
  (Eq. 4) and von Neumann entropies: the squeezed vacuum and the cat built here, the coherent
  and thermal states straight from QuTiP (``qutip.coherent_dm``, ``qutip.thermal_dm``; the von
  Neumann entropy is ``qutip.entropy_vn``);
* the driven cavity :math:`H = \Delta a^\dagger a + \chi a^{\dagger 2} a^2
  + iE(a^\dagger - a)` with losses :math:`2\kappa D[a]` (Eq. 2), its steady state, and the
  closed-form transient of the empty cavity (a coherent state at every time,
  :math:`\Pi = \Phi = 2\kappa|\alpha(t)|^2 \to 2E^2/\kappa`);
* :func:`transient_balance`: :math:`S(t)`, :math:`\Pi(t)`, :math:`\Phi(t)` along a
  ``qutip.mesolve`` run, with an independent :math:`dS/dt = -\int \dot Q \ln Q\, d^2\mu` to
  check Eq. (1);
* the zero-temperature catastrophe: the conventional (Spohn) entropy flux of a thermal loss
  channel next to the Wehrl flux, and the Wehrl balance of that channel;
* quadratic single-mode models (parametric oscillator, linearized Kerr) in the quadrature
  form used by :mod:`epcore.gaussian`, and the leading-order :math:`\Pi_u` of Eq. (A10).

Conventions: losses :math:`2\kappa D[a]`, drive :math:`iE(a^\dagger - a)`, Husimi function
:math:`Q(\mu) = \langle\mu|\rho|\mu\rangle/\pi`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import qutip
from tqdm.auto import tqdm

from .balance import EntropyBalance, ModeBalance
from .errors import ArgumentTypeError
from .models import (
    check_array,
    check_complex,
    check_integer,
    check_memory,
    check_real,
)
from .phasespace import (
    check_single_mode,
    coherent_expectations,
    density_matrix,
    entropy_balance,
    hermitian_normalized,
    husimi_data,
)
from .threads import limit_blas_threads

__all__ = [
    "LIEB_BOUND",
    "squeezed_vacuum",
    "cat",
    "random_state",
    "example_states",
    "thermal_entropy",
    "wehrl_coherent",
    "wehrl_thermal",
    "wehrl_squeezed",
    "wehrl_cat_limit",
    "driven_hamiltonian",
    "steady_state",
    "empty_cavity_amplitude",
    "empty_cavity_transient",
    "TransientBalance",
    "transient_balance",
    "wehrl_rate",
    "spohn_flux",
    "wehrl_thermal_flux",
    "thermal_loss_rates",
    "quadratic_G",
    "parametric_steady_state",
    "leading_order_pi_u",
    "squeezing_hamiltonian",
    "squeezed_vacuum_balance",
    "parametric_pi_u",
    "parametric_thermal_steady_state",
    "a9_operator_on_gaussian",
]

#: Lieb's bound, the smallest Wehrl entropy (Eq. 4) of any single-mode state, :math:`1 + \ln\pi`,
#: reached by coherent states
LIEB_BOUND = 1.0 + np.log(np.pi)


def _check_dim(d: int, copies: int = 4) -> int:
    """A Fock dimension ``>= 2`` whose ``copies`` dense complex ``d x d`` arrays fit memory."""
    d = check_integer(d, "the Fock dimension d", minimum=2)
    check_memory(16.0 * copies * d * d, f"{copies} dense {d} x {d} complex matrices",
                 fits="a smaller Fock dimension d")
    return d


def _check_kappa(kappa: float) -> float:
    return check_real(kappa, "the loss rate kappa", positive=True)


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


def _steady_state_memory(d: int) -> float:
    """Peak bytes of ``qutip.steadystate`` on ``d`` levels: the sparse LU of the ``d^2``
    Liouvillian, measured at 0.5 GB for d = 300 and growing as ``d^3``, plus dense copies."""
    return 0.5e9 * (d / 300) ** 3 + 16 * 8 * d * d


# --------------------------------------------------------------------------------------------
# example states of chapter 1


def squeezed_vacuum(r: float, d: int) -> qutip.Qobj:
    r"""Squeezed vacuum :math:`S(r)|0\rangle` with real squeezing ``r``.

    The variance of :math:`q = (a + a^\dagger)/\sqrt 2` is :math:`e^{-2r}/2`; the Wehrl entropy is
    :math:`1 + \ln(\pi\cosh r)` (:func:`wehrl_squeezed`).

    Parameters
    ----------
    r : float
        Squeezing parameter (real; ``r > 0`` squeezes :math:`q`).
    d : int
        Number of Fock levels, at least 2.

    Returns
    -------
    qutip.Qobj
        The pure state as a density matrix, ``d x d``, normalized on the truncated space.

    Raises
    ------
    ValueError
        If ``d`` is not an integer ``>= 2``.
    """
    d = _check_dim(d)
    r = check_real(r, "the squeezing r")
    psi = qutip.squeeze(d, r) * qutip.basis(d, 0)
    return qutip.ket2dm(psi.unit())


def cat(alpha: complex, d: int, *, parity: int = +1) -> qutip.Qobj:
    r"""Schrodinger cat :math:`(|\alpha\rangle \pm |{-\alpha}\rangle)/\mathcal{N}`, a pure state.

    For large :math:`|\alpha|` its Husimi function has two disjoint peaks and its Wehrl entropy
    tends to :math:`1 + \ln(2\pi)` (:func:`wehrl_cat_limit`).

    Parameters
    ----------
    alpha : complex
        Amplitude of the two coherent components.
    d : int
        Number of Fock levels, at least 2.
    parity : int, optional
        ``+1`` for the even cat (default), ``-1`` for the odd one.

    Returns
    -------
    qutip.Qobj
        The pure state as a density matrix, ``d x d``.

    Raises
    ------
    ValueError
        If ``parity`` is not ``+1`` or ``-1``, or ``d`` is not an integer ``>= 2``.
    """
    d = _check_dim(d)
    alpha = check_complex(alpha, "the amplitude alpha")
    if parity not in (+1, -1):
        raise ValueError("parity must be +1 (even cat) or -1 (odd cat)")
    if parity == -1 and abs(alpha) < 1e-8:
        raise ValueError(
            f"an odd cat needs alpha != 0 (|alpha> - |-alpha> vanishes), got alpha = {alpha}"
        )
    psi = qutip.coherent(d, alpha) + parity * qutip.coherent(d, -alpha)
    return qutip.ket2dm(psi.unit())


def random_state(n_levels: int, d: int, *, seed: int | None = None, pure: bool = False):
    """Random state supported on the lowest ``n_levels`` Fock levels of a ``d``-level space.

    Mixed states are drawn from the Hilbert-Schmidt ensemble (``qutip.rand_dm``), pure ones from
    the Haar measure (``qutip.rand_ket``). The padding ``d > n_levels`` keeps the top Fock levels
    empty, so the truncation check of :func:`epcore.phasespace.density_matrix` passes.

    Parameters
    ----------
    n_levels : int
        Number of occupied Fock levels, from 1 to ``d - 3``.
    d : int
        Dimension of the Fock space, at least 2.
    seed : int or None, optional
        Seed of the random draw; ``None`` draws a fresh one.
    pure : bool, optional
        Draw a pure state instead of a mixed one.

    Returns
    -------
    qutip.Qobj
        The density matrix, ``d x d``, zero outside the top-left ``n_levels x n_levels`` block.

    Raises
    ------
    ValueError
        If ``n_levels`` is not between 1 and ``d - 3`` (three empty top levels), or ``d`` is
        not an integer ``>= 2``.
    """
    d = _check_dim(d)
    n_levels = check_integer(n_levels, "n_levels", minimum=1)
    if not 1 <= n_levels <= d - 3:
        raise ValueError(f"need 1 <= n_levels <= d - 3 (three empty top levels), got {n_levels}")
    small = qutip.rand_ket(n_levels, seed=seed) if pure else qutip.rand_dm(n_levels, seed=seed)
    small = small.full()
    if pure:
        small = np.outer(small, small.conj())
    full = np.zeros((d, d), dtype=complex)
    full[:n_levels, :n_levels] = small
    return qutip.Qobj(full)


def example_states(d: int = 60, *, alpha: float = 2.0, n: float = 1.0, r: float = 0.6):
    """The four example states of the Wehrl-entropy chapter: coherent, thermal, squeezed and cat.

    Parameters
    ----------
    d : int, optional
        Number of Fock levels of every state.
    alpha : float, optional
        Amplitude of the coherent state and of the cat.
    n : float, optional
        Mean photon number of the thermal state.
    r : float, optional
        Squeezing parameter of the squeezed vacuum.

    Returns
    -------
    dict[str, qutip.Qobj]
        ``"coherent"``, ``"thermal"``, ``"squeezed"`` and ``"cat"`` (even), as density matrices.

    Raises
    ------
    ValueError
        If ``d`` is not an integer ``>= 2`` or ``n < 0``.
    """
    d = _check_dim(d)
    return {
        "coherent": qutip.coherent_dm(d, check_complex(alpha, "the amplitude alpha")),
        "thermal": qutip.thermal_dm(d, check_real(n, "the mean photon number n", minimum=0.0)),
        "squeezed": squeezed_vacuum(r, d),
        "cat": cat(alpha, d),
    }


def thermal_entropy(n: float) -> float:
    r"""Von Neumann entropy of a thermal state, :math:`(n+1)\ln(n+1) - n\ln n`.

    Parameters
    ----------
    n : float
        Mean photon number, ``>= 0``.

    Returns
    -------
    float
        The entropy in nats (zero at ``n = 0``).
    """
    n = check_real(n, "the mean photon number n", minimum=0.0)
    return float((n + 1) * np.log1p(n) - (n * np.log(n) if n > 0 else 0.0))


def wehrl_coherent() -> float:
    r"""Wehrl entropy (Eq. 4) of any coherent state, :math:`1 + \ln\pi`: Lieb's minimum.

    Returns
    -------
    float
        :data:`LIEB_BOUND`.
    """
    return LIEB_BOUND


def wehrl_thermal(n: float) -> float:
    r"""Wehrl entropy (Eq. 4) of a thermal state, :math:`1 + \ln(\pi(n + 1))`.

    Parameters
    ----------
    n : float
        Mean photon number, ``>= 0``.

    Returns
    -------
    float
        The entropy in nats.
    """
    n = check_real(n, "the mean photon number n", minimum=0.0)
    return float(1 + np.log(np.pi) + np.log1p(n))


def wehrl_squeezed(r: float) -> float:
    r"""Wehrl entropy (Eq. 4) of a squeezed vacuum, :math:`1 + \ln(\pi\cosh r)`.

    Parameters
    ----------
    r : float
        Squeezing parameter (real).

    Returns
    -------
    float
        The entropy in nats.
    """
    r = abs(check_real(r, "the squeezing r"))
    # ln cosh r without overflow: r + ln(1 + e^{-2r}) - ln 2
    return float(1 + np.log(np.pi) + r + np.log1p(np.exp(-2 * r)) - np.log(2))


def wehrl_cat_limit() -> float:
    r"""Wehrl entropy (Eq. 4) of a cat for large :math:`|\alpha|`, :math:`1 + \ln(2\pi)`.

    The Husimi function is then two disjoint coherent peaks of weight 1/2 each, which adds
    :math:`\ln 2` to the coherent value.

    Returns
    -------
    float
        The limit in nats.
    """
    return float(1 + np.log(2 * np.pi))


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
    d = _check_dim(d)
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
    kappa = _check_kappa(kappa)
    d = H.shape[0]
    check_memory(_steady_state_memory(d), f"the steady state of a {d}-level cavity",
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
    kappa = _check_kappa(kappa)
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
    Eq. (1) says ``dS_dt = pi - phi``; :attr:`eq1_error` measures how well that holds.

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
    pi_eq6 : numpy.ndarray
        Eq. (6) evaluated without the split of Eq. (8).
    balances : tuple of ModeBalance
        The full balance at each time (:func:`epcore.phasespace.entropy_balance`).
    states : tuple of qutip.Qobj
        The (Hermitized, normalized) state at each time.
    """

    times: np.ndarray
    S: np.ndarray
    dS_dt: np.ndarray
    pi_eq6: np.ndarray
    balances: tuple[ModeBalance, ...] = ()
    states: tuple[qutip.Qobj, ...] = ()

    @property
    def eq1_error(self) -> np.ndarray:
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


def wehrl_rate(rho, drho_dt) -> float:
    r"""Rate of the Wehrl entropy, :math:`dS/dt = -\int \dot Q \ln Q\, d^2\mu` (Eqs. 1, 4).

    Here :math:`\dot Q = \langle\mu|\dot\rho|\mu\rangle/\pi` for a state and its time derivative.
    Accurate to about 1e-9 relative when :math:`Q > 0` everywhere (any mixed state reached by
    losses). A pure non-Gaussian state (a cat) has isolated zeros of :math:`Q` where
    :math:`\ln Q` is singular; the integral still exists but the quadrature then only reaches
    about 1e-3.

    Parameters
    ----------
    rho : qutip.Qobj or array_like
        The state, in the Fock basis.
    drho_dt : qutip.Qobj or array_like
        Its time derivative :math:`\dot\rho`, same dimension.

    Returns
    -------
    float
        :math:`dS/dt`.

    Raises
    ------
    ValueError
        If ``rho`` is not a valid state.
    epcore.errors.CutoffError
        If its top Fock levels are populated.
    epcore.errors.GridError
        If the phase-space grid cannot hold its Husimi function.
    """
    data = husimi_data(rho)
    check_single_mode(drho_dt)
    drho = drho_dt.full() if isinstance(drho_dt, qutip.Qobj) else drho_dt
    drho = check_array(drho, "drho_dt", ndim=2, complex_ok=True)
    if drho.shape != data.rho.shape:
        raise ValueError(
            f"drho_dt has shape {drho.shape} but rho has shape {data.rho.shape}: pass the "
            "derivative of this state in the same Fock basis"
        )
    dq = coherent_expectations(data.grid, [drho])[0].real / np.pi
    return float(-data.integrate(np.where(data.mask, dq * data.log_q, 0.0)))


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
    kappa = _check_kappa(kappa)
    atol = check_real(atol, "atol", minimum=1e-16,
                      hint="; a smaller tolerance is below double precision for a trace-one state")
    rtol = check_real(rtol, "rtol", positive=True, maximum=0.1)
    times = check_array(times, "times", ndim=1, min_size=0)
    if times.ndim != 1 or len(times) < 2 or np.any(np.diff(times) <= 0):
        raise ValueError("times must be an increasing 1-D array with at least two entries")
    d = H.shape[0]
    check_memory(16.0 * d * d * (len(times) + 8) + _steady_state_memory(min(d, 60)),
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


# --------------------------------------------------------------------------------------------
# zero-temperature catastrophe


def spohn_flux(n: float, n_bath, kappa: float):
    r"""Conventional entropy flux :math:`\dot Q/T` from a cavity into a thermal bath.

    Energy leaves at :math:`2\kappa\omega(n - n_b)` and :math:`\omega/T = \ln(1 + 1/n_b)`, so the
    flux is :math:`2\kappa(n - n_b)\ln(1 + 1/n_b)`: it diverges as :math:`n_b \to 0` for any
    :math:`n > 0`, the zero-temperature catastrophe that motivates the Wehrl flux of Eq. (5).

    Parameters
    ----------
    n : float
        Mean photon number of the cavity.
    n_bath : float or array_like
        Mean occupation :math:`n_b > 0` of the bath.
    kappa : float
        Loss rate :math:`\kappa > 0`.

    Returns
    -------
    float or numpy.ndarray
        The flux, with the shape of ``n_bath``.

    Raises
    ------
    ValueError
        If ``kappa`` is not positive or an ``n_bath`` is not positive (the flux is infinite at
        zero temperature).
    """
    kappa = _check_kappa(kappa)
    n = check_array(n, "the photon number n", minimum=0.0)
    nb = check_array(n_bath, "n_bath")
    if np.any(nb <= 0):
        raise ValueError("n_bath must be > 0 (the conventional flux is infinite at T = 0)")
    return 2 * kappa * (n - nb) * np.log1p(1 / nb)


def wehrl_thermal_flux(n: float, n_bath, kappa: float):
    r"""Wehrl entropy flux of the thermal loss channel, :math:`2\kappa(n - n_b)/(n_b + 1)`.

    For the dissipator :math:`2\kappa(n_b+1)D[a] + 2\kappa n_b D[a^\dagger]` the current in the
    Husimi Fokker-Planck equation is :math:`J = \kappa(\mu Q + (n_b+1)\partial_{\bar\mu}Q)`;
    splitting :math:`dS/dt` as in Eq. (1) gives this flux, which tends to Eq. (5) at
    :math:`n_b = 0`.

    Parameters
    ----------
    n : float
        Mean photon number of the cavity.
    n_bath : float or array_like
        Mean occupation :math:`n_b \ge 0` of the bath.
    kappa : float
        Loss rate :math:`\kappa > 0`.

    Returns
    -------
    float or numpy.ndarray
        The flux, with the shape of ``n_bath``.

    Raises
    ------
    ValueError
        If ``kappa`` is not positive or an ``n_bath`` is negative.
    """
    kappa = _check_kappa(kappa)
    n = check_array(n, "the photon number n", minimum=0.0)
    nb = check_array(n_bath, "n_bath")
    if np.any(nb < 0):
        raise ValueError("n_bath must be >= 0")
    return 2 * kappa * (n - nb) / (nb + 1)


def thermal_loss_rates(rho, kappa: float, n_bath: float) -> dict[str, float]:
    r"""Wehrl balance of a state under the thermal loss channel alone (no Hamiltonian).

    The entropy production is :math:`\Pi = \frac{2}{\kappa(n_b+1)}\int |J|^2/Q\, d^2\mu` with
    :math:`J = \kappa((n_b + 1)\langle\mu|a\rho|\mu\rangle/\pi - n_b\mu Q)`, the finite-temperature
    form of the dissipative term of Eq. (6); :math:`dS/dt = \Pi - \Phi` is Eq. (1) at finite
    temperature.

    Parameters
    ----------
    rho : qutip.Qobj or array_like
        The state, in the Fock basis.
    kappa : float
        Loss rate :math:`\kappa > 0`.
    n_bath : float
        Mean occupation :math:`n_b \ge 0` of the bath.

    Returns
    -------
    dict[str, float]
        ``"dS_dt"`` (:func:`wehrl_rate` with the channel's Liouvillian), ``"Pi"`` (the entropy
        production above), ``"Phi"`` (:func:`wehrl_thermal_flux`) and ``"photons"``
        (:math:`\langle a^\dagger a\rangle`).

    Raises
    ------
    ValueError
        If ``kappa`` is not positive, ``n_bath`` is negative or ``rho`` is not a valid state.
    epcore.errors.CutoffError
        If the top Fock levels of ``rho`` are populated.
    epcore.errors.GridError
        If the phase-space grid cannot hold its Husimi function.
    """
    kappa = _check_kappa(kappa)
    n_bath = check_real(n_bath, "n_bath", minimum=0.0)
    data = husimi_data(rho)
    m = data.rho
    d = m.shape[0]
    a = qutip.destroy(d)
    c_ops = [np.sqrt(2 * kappa * (n_bath + 1)) * a]
    if n_bath > 0:
        c_ops.append(np.sqrt(2 * kappa * n_bath) * a.dag())
    L = qutip.liouvillian(qutip.qzero(d), c_ops)
    drho = qutip.vector_to_operator(L * qutip.operator_to_vector(qutip.Qobj(m)))
    current = (n_bath + 1) * data.A - n_bath * data.grid.mu * data.Q  # J / kappa
    pi = 2 * kappa / (n_bath + 1) * float(data.integrate(data.over_q(np.abs(current) ** 2)))
    photons = float(np.sum(np.arange(d) * np.diag(m).real))
    return {
        "dS_dt": wehrl_rate(m, drho),
        "Pi": pi,
        "Phi": float(wehrl_thermal_flux(photons, n_bath, kappa)),
        "photons": photons,
    }


# --------------------------------------------------------------------------------------------
# quadratic single-mode models and the thermodynamic limit


def quadratic_G(omega: float, g: complex) -> np.ndarray:
    r"""Quadrature matrix :math:`G` of a single-mode quadratic Hamiltonian.

    For :math:`H = \omega a^\dagger a + (g a^{\dagger 2} + \bar g a^2)/2 = R^T G R/2 + \text{const}`
    with :math:`R = (q, p)`,

    .. math::

        G = \begin{pmatrix} \omega + \mathrm{Re}\, g & \mathrm{Im}\, g \\
            \mathrm{Im}\, g & \omega - \mathrm{Re}\, g \end{pmatrix};

    pass it to :func:`epcore.gaussian.hamiltonian_drift`.

    Parameters
    ----------
    omega : float
        Detuning :math:`\omega`.
    g : complex
        Squeezing (pump) amplitude :math:`g`.

    Returns
    -------
    numpy.ndarray
        The symmetric ``2 x 2`` matrix :math:`G`.
    """
    omega = check_real(omega, "omega")
    g = check_complex(g, "the squeezing g")
    return np.array([[omega + g.real, g.imag], [g.imag, omega - g.real]])


@limit_blas_threads
def parametric_steady_state(d: int, omega: float, g: complex, kappa: float):
    r"""Fock-basis steady state of the parametric oscillator with losses :math:`2\kappa D[a]`.

    The Hamiltonian is :math:`H = \omega a^\dagger a + (g a^{\dagger 2} + \bar g a^2)/2`; a steady
    state exists below threshold, :math:`|g|^2 < \kappa^2 + \omega^2`.

    Parameters
    ----------
    d : int
        Number of Fock levels, at least 2.
    omega : float
        Detuning :math:`\omega`.
    g : complex
        Pump amplitude :math:`g`, below threshold.
    kappa : float
        Loss rate :math:`\kappa > 0`.

    Returns
    -------
    tuple of qutip.Qobj
        ``(H, rho)``: the Hamiltonian and the steady-state density matrix.

    Raises
    ------
    ValueError
        If ``kappa`` is not positive, the oscillator is at or above threshold (lower ``g`` or
        raise ``kappa``), or ``d`` is not an integer ``>= 2``.
    """
    kappa = _check_kappa(kappa)
    omega = check_real(omega, "omega")
    g = check_complex(g, "the squeezing g")
    if abs(g) ** 2 >= kappa**2 + omega**2:
        raise ValueError(
            f"|g| = {abs(g):.4g} is at or above threshold sqrt(kappa^2 + omega^2) = "
            f"{np.hypot(kappa, omega):.4g}: no steady state. Lower |g| or raise kappa."
        )
    a = qutip.destroy(_check_dim(d))
    H = omega * a.dag() * a + 0.5 * (g * a.dag() * a.dag() + np.conj(g) * a * a)
    return H, steady_state(H, kappa)


def leading_order_pi_u(rho, xi2: complex) -> float:
    r"""Leading-order unitary entropy production of Eq. (A10).

    .. math::

        \Pi_u = \frac12 \int \frac{d^2v}{Q}
            \left[\xi_2 (\partial_{\bar v} Q)^2 + \bar\xi_2 (\partial_v Q)^2\right],

    evaluated on the exact Husimi function of ``rho`` with
    :math:`\partial_{\bar v} Q = \partial_{\bar\mu} Q` from Eq. (B3). For the Kerr model
    :math:`\xi_2 = -iu\bar\alpha^2` (:math:`r = s = 2`, :math:`h_{22} = u/2` in Eq. A7).

    Parameters
    ----------
    rho : qutip.Qobj or array_like
        The state, in the Fock basis.
    xi2 : complex
        The constant :math:`\xi_2` of Eq. (A7).

    Returns
    -------
    float
        :math:`\Pi_u` (real: the two terms are complex conjugates).

    Raises
    ------
    ValueError
        If ``rho`` is not a valid state.
    epcore.errors.CutoffError
        If its top Fock levels are populated.
    epcore.errors.GridError
        If the phase-space grid cannot hold its Husimi function.
    """
    xi2 = check_complex(xi2, "xi2")
    data = husimi_data(rho)
    g = data.dq_dmubar
    integrand = data.over_q(np.real(xi2 * g**2))  # xi2 g^2 + c.c. = 2 Re(xi2 g^2)
    return float(data.integrate(integrand))


# --------------------------------------------------------------------------------------------
# the sign of Pi out of a steady state, and finite-temperature losses


def squeezing_hamiltonian(d: int, g: float) -> qutip.Qobj:
    r"""Squeezing Hamiltonian :math:`H = (ig/2)(a^{\dagger 2} - a^2)` on ``d`` Fock levels.

    Under it alone a squeezed vacuum :math:`S(r)|0\rangle` (variance of :math:`q` equal to
    :math:`e^{-2r}/2`) stays a squeezed vacuum with :math:`dr/dt = -g`: for :math:`g > 0` and
    :math:`r > 0` it *unsqueezes* the state.

    Parameters
    ----------
    d : int
        Number of Fock levels, at least 2.
    g : float
        Squeezing rate (real).

    Returns
    -------
    qutip.Qobj
        The Hamiltonian, ``d x d``.

    Raises
    ------
    ValueError
        If ``d`` is not an integer ``>= 2``.
    """
    g = check_real(g, "the squeezing rate g")
    a = qutip.destroy(_check_dim(d))
    return 0.5j * g * (a.dag() * a.dag() - a * a)


def squeezed_vacuum_balance(r: float, g: float, kappa: float) -> ModeBalance:
    r"""Closed-form Eqs. (5)-(8) for a squeezed vacuum under :func:`squeezing_hamiltonian`.

    The state :math:`S(r)|0\rangle` has :math:`\langle a\rangle = 0` (so
    :math:`\Pi_\text{ext} = \Phi_\text{ext} = 0`), Wehrl entropy :math:`1 + \ln(\pi\cosh r)` and
    :math:`\langle a^\dagger a\rangle = \sinh^2 r`. The Hamiltonian moves :math:`r` at rate
    :math:`-g`, so :math:`\Pi_u = dS/dt|_H = -g\tanh r`; the state is pure, so
    :math:`\Pi_d = \Phi = 2\kappa\sinh^2 r` (Eq. 6 for a pure state). Hence

    .. math::

        \Pi = -g\tanh r + 2\kappa\sinh^2 r,

    negative whenever :math:`g/\kappa > \sinh 2r` (with :math:`r, g > 0`): the total entropy
    production of Eq. (6) has no sign outside a steady state.

    Parameters
    ----------
    r : float
        Squeezing parameter of the state (real).
    g : float
        Squeezing rate of the Hamiltonian (real).
    kappa : float
        Loss rate :math:`\kappa > 0` (losses :math:`2\kappa D[a]`).

    Returns
    -------
    ModeBalance
        ``pi_ext = phi_ext = 0``, ``pi_u``, ``pi_d = phi_q``. Diagnostic fields: ``wehrl_rate``
        (float, :math:`dS/dt = \Pi - \Phi = -g\tanh r`, Eq. 1).

    Raises
    ------
    ValueError
        If ``kappa`` is not finite and positive.
    """
    kappa = _check_kappa(kappa)
    g = check_real(g, "the squeezing rate g")
    r = check_real(r, "the squeezing r")
    if abs(r) > 300:
        raise ValueError(f"|r| = {abs(r):g} > 300: sinh(r)^2 overflows double precision")
    pi_u = -g * np.tanh(r)
    loss = 2 * kappa * np.sinh(r) ** 2
    return ModeBalance(0.0, float(pi_u), float(loss), 0.0, float(loss), wehrl_rate=float(pi_u))


def parametric_pi_u(omega: float, g: complex, kappa: float) -> float:
    r"""Closed-form steady-state :math:`\Pi_u` (Eq. 8) of the parametric oscillator.

    For :math:`H = \omega a^\dagger a + (g a^{\dagger 2} + \bar g a^2)/2` with losses
    :math:`2\kappa D[a]` the steady state is Gaussian and

    .. math::

        \Pi_u = \frac{2\kappa|g|^2}{4(\kappa^2 + \omega^2) - |g|^2}.

    It is positive and below :math:`2\kappa/3`, its value at threshold
    :math:`|g|^2 = \kappa^2 + \omega^2`.

    Parameters
    ----------
    omega : float
        Detuning :math:`\omega`.
    g : complex
        Pump (squeezing) amplitude, below threshold.
    kappa : float
        Loss rate :math:`\kappa > 0`.

    Returns
    -------
    float
        :math:`\Pi_u` in the steady state.

    Raises
    ------
    ValueError
        If ``kappa`` is not positive or the oscillator is at or above threshold.
    """
    kappa = _check_kappa(kappa)
    omega = check_real(omega, "omega")
    g = check_complex(g, "the squeezing g")
    g2, th2 = abs(g) ** 2, kappa**2 + omega**2
    if g2 >= th2:
        raise ValueError(f"|g|^2 = {g2:.4g} >= kappa^2 + omega^2 = {th2:.4g}: above threshold")
    return float(2 * kappa * g2 / (4 * th2 - g2))


@limit_blas_threads
def parametric_thermal_steady_state(d: int, omega: float, g: complex, kappa: float,
                                    n_bath: float):
    r"""Fock-basis steady state of the parametric oscillator with a thermal loss channel.

    The dissipator is :math:`2\kappa(n_b + 1)D[a] + 2\kappa n_b D[a^\dagger]`. Since
    :math:`\langle a\rangle = 0`, :func:`thermal_loss_rates` then gives :math:`\Pi_d` and
    ``epcore.entropy_balance(rho, H, kappa).pi_u`` gives :math:`\Pi_u` (the unitary term does not
    depend on the bath): an independent check of :func:`epcore.gaussian.thermal_gaussian_balance`.

    Parameters
    ----------
    d : int
        Number of Fock levels, at least 2.
    omega : float
        Detuning :math:`\omega`, as in :func:`parametric_steady_state`.
    g : complex
        Pump amplitude, below threshold.
    kappa : float
        Loss rate :math:`\kappa > 0`.
    n_bath : float
        Mean occupation :math:`n_b \ge 0` of the bath.

    Returns
    -------
    tuple of qutip.Qobj
        ``(H, rho)``: the Hamiltonian and the steady-state density matrix.

    Raises
    ------
    ValueError
        If the oscillator is at or above threshold, ``kappa`` is not positive, ``n_bath`` is
        negative or ``d`` is not an integer ``>= 2``.
    """
    kappa = _check_kappa(kappa)
    omega = check_real(omega, "omega")
    g = check_complex(g, "the squeezing g")
    n_bath = check_real(n_bath, "n_bath", minimum=0.0)
    if abs(g) ** 2 >= kappa**2 + omega**2:
        raise ValueError("the oscillator is at or above threshold: lower |g| or raise kappa")
    check_memory(_steady_state_memory(check_integer(d, "the Fock dimension d", minimum=2)),
                 f"the steady state of a {d}-level oscillator", fits="d <= 300")
    a = qutip.destroy(_check_dim(d))
    H = omega * a.dag() * a + 0.5 * (g * a.dag() * a.dag() + np.conj(g) * a * a)
    c_ops = [np.sqrt(2 * kappa * (n_bath + 1)) * a]
    if n_bath > 0:
        c_ops.append(np.sqrt(2 * kappa * n_bath) * a.dag())
    rho = qutip.steadystate(H, c_ops)
    rho = (rho + rho.dag()) / 2
    return H, rho / rho.tr()


def a9_operator_on_gaussian(v, S: np.ndarray, xi2: complex, xi11: complex, *,
                            printed: bool = False) -> np.ndarray:
    r"""The :math:`O(1)` part of the unitary operator of Eq. (A9), applied to a Gaussian :math:`Q`.

    :math:`Q` is the centred Gaussian with covariance :math:`S` in :math:`(x, y)`,
    :math:`v = (x + iy)/\sqrt 2`, with exact Wirtinger derivatives. The re-expanded (correct)
    operator is

    .. math::

        \tfrac12\left[\xi_2 (2v\partial_{\bar v} + \partial_{\bar v}^2)
            + \bar\xi_2 (2\bar v\partial_v + \partial_v^2)
            + 2\xi_{11} (\bar v\partial_{\bar v} - v\partial_v)\right] Q;

    ``printed=True`` uses the paper's :math:`2v\partial_v` and :math:`(v\partial_{\bar v} -
    v\partial_v)` instead (:func:`epcore.errata.a9_operator_as_printed`). Since :math:`Q` is
    real and :math:`\xi_{11}` is imaginary, the correct operator is real; the printed one is not.

    Parameters
    ----------
    v : array_like
        Complex phase-space points.
    S : numpy.ndarray
        ``2 x 2`` positive-definite covariance of :math:`Q`.
    xi2 : complex
        The constant :math:`\xi_2` of Eq. (A7).
    xi11 : complex
        The constant :math:`\xi_{11}` of Eq. (A8).
    printed : bool, optional
        Evaluate the operator as printed in Eq. (A9) instead of the corrected one.

    Returns
    -------
    numpy.ndarray
        The operator applied to :math:`Q` at ``v`` (complex, with the shape of ``v``).

    Raises
    ------
    ValueError
        If ``S`` is not a positive-definite ``2 x 2`` matrix.
    """
    S = check_array(S, "S", ndim=2)
    if S.shape != (2, 2) or not np.allclose(S, S.T) or np.any(np.linalg.eigvalsh(S) <= 0):
        raise ValueError("S must be a symmetric positive-definite 2 x 2 matrix")
    xi2 = check_complex(xi2, "xi2")
    xi11 = check_complex(xi11, "xi11")
    v = check_array(v, "v", complex_ok=True, min_size=0, bounded=True)
    H = -np.linalg.inv(S)  # Hessian of ln Q in (x, y)
    r = np.stack([np.sqrt(2) * v.real, np.sqrt(2) * v.imag])
    grad = np.einsum("ij,j...->i...", H, r)
    Q = np.exp(0.5 * np.einsum("i...,i...->...", r, grad)) / (np.pi * np.sqrt(np.linalg.det(S)))
    w = (grad[0] + 1j * grad[1]) / np.sqrt(2)  # d_vbar ln Q
    c = 0.5 * (H[0, 0] - H[1, 1] + 2j * H[0, 1])  # d_vbar^2 ln Q
    q_vb, q_vbvb = w * Q, (w**2 + c) * Q
    q_v, q_vv = np.conj(q_vb), np.conj(q_vbvb)
    vb = np.conj(v)
    if printed:
        return 0.5 * (xi2 * (2 * v * q_vb + q_vbvb) + np.conj(xi2) * (2 * v * q_v + q_vv)
                      + 2 * xi11 * (v * q_vb - v * q_v))
    return 0.5 * (xi2 * (2 * v * q_vb + q_vbvb) + np.conj(xi2) * (2 * vb * q_v + q_vv)
                  + 2 * xi11 * (vb * q_vb - v * q_v))
