"""Kerr bistability (Sec. IV and App. B of the paper).

One driven, lossy mode with Hamiltonian (Eq. 11 plus the drive of Eq. 2)

    H = Delta a^dag a + (u / 2N) a^dag a^dag a a + i E (a^dag - a),   E = eps sqrt(N),

and losses ``2 kappa D[a]`` (Eq. B1). Defaults are the paper's ``kappa = 1/2, Delta = -2, u = 1``.

Four routes to the physics, each checked against the others in ``tests/test_kerr.py``:

* :func:`entropy_production`: the exact finite-N steady state in a truncated Fock space (by
  default the analytic complex-P density matrix, ``method='qutip'`` the linear solve
  ``qutip.steadystate`` as a cross-check) fed to :func:`epcore.phasespace.entropy_balance`
  (Eqs. 5-10);
* :func:`exact_moment`: normally ordered moments from the exact complex-P solution of
  Drummond and Walls (1980), no truncation, usable at N in the thousands;
* :func:`mean_field`, :func:`bistability_window`: the N -> infinity branches (Eq. B4);
* :func:`linearized_branches`: the Gaussian fluctuations around each stable branch (App. A),
  the N -> infinity limit of ``Pi_u`` and ``Pi_d``.

The critical drive :func:`critical_drive` is defined as the N -> infinity limit of the drive at
which ``Phi_q`` peaks; it is computed from the large-N asymptotics of the exact solution and
cross-checked by extrapolating finite-N peaks (:func:`variance_peak`).
"""

from __future__ import annotations

import functools
import math
import sys
from dataclasses import dataclass

import mpmath
import numpy as np
import qutip
import scipy.optimize
import scipy.special
from threadpoolctl import threadpool_limits

from .balance import EntropyBalance
from .cavity import driven_hamiltonian
from .errors import CutoffError, IllConditionedError, MemoryLimitError
from .gaussian import gaussian_balance, gaussian_wehrl, hamiltonian_drift
from .phasespace import CUTOFF_TOL, entropy_balance, husimi_data

__all__ = [
    "PAPER",
    "MAX_CUTOFF",
    "MOMENT_TOL",
    "MEMORY_LIMIT",
    "TAIL_TOL",
    "hamiltonian",
    "liouvillian",
    "MeanFieldBranch",
    "drive_of_photons",
    "branch_is_stable",
    "on_upper_branch",
    "mean_field",
    "bistability_window",
    "fluctuation_matrix",
    "linearized_branches",
    "window_edge_scaling",
    "initial_cutoff",
    "photon_distribution",
    "fock_cutoff",
    "memory_estimate",
    "METHODS",
    "steady_state",
    "balance_of_state",
    "entropy_production",
    "pi_u_integrated_by_parts",
    "pi_u_as_printed",
    "exact_density_matrix",
    "exact_moment",
    "exact_moment_mpmath",
    "exact_fluctuations",
    "large_deviation_rate",
    "branch_log_odds",
    "two_branch_prediction",
    "liouvillian_gap",
    "critical_drive",
    "variance_peak",
    "extrapolate_critical_drive",
    "balance_point",
    "sweep_point",
    "peak_point",
]

#: the paper's parameters (Fig. 2)
PAPER = {"kappa": 0.5, "delta": -2.0, "u": 1.0}
#: largest relative deviation of the Fock-basis <a> and <a^dag a> from the exact solution that
#: :func:`entropy_production` accepts (see its docstring)
MOMENT_TOL = 1e-8
#: longest complex-P series summed by :func:`exact_density_matrix`
MAX_SERIES = 200_000
#: largest Fock cutoff tried by default: solving the d^2 x d^2 Liouvillian at d = 300 peaks at
#: about 0.5 GB of memory (0.3 GB at d = 200), within a 2 GB Binder session
MAX_CUTOFF = 300
#: largest memory (bytes) a single steady state plus its entropy balance may need; requests
#: estimated above it raise ValueError before anything is allocated
MEMORY_LIMIT = 4.0e9
#: population allowed beyond the Fock cutoff chosen by :func:`fock_cutoff` (a hundredth of the
#: ``CUTOFF_TOL`` that the phase-space engine demands of the top three levels)
TAIL_TOL = 1e-12


# ----------------------------------------------------------------------------- input checks


#: one BLAS thread, as a decorator or a ``with`` block: OpenBLAS threads spin and slow the
#: sparse LU down several-fold when the cores are shared
_one_blas_thread = threadpool_limits.wrap(limits=1, user_api="blas")


def _check_model(kappa: float, delta: float, u: float) -> None:
    if not np.isfinite(kappa) or kappa <= 0:
        raise ValueError(f"the loss rate kappa must be finite and > 0, got {kappa}")
    if not np.isfinite(delta):
        raise ValueError(f"the detuning delta must be finite, got {delta}")
    if not np.isfinite(u) or u <= 0:
        raise ValueError(f"the Kerr nonlinearity u must be finite and > 0, got {u}")


def _check_size(N: float) -> float:
    if not np.isfinite(N) or N <= 0:
        raise ValueError(f"the size N must be finite and > 0 (E = eps sqrt(N)), got {N}")
    return float(N)


def _check_drive(eps: float) -> float:
    if not np.isfinite(eps) or eps < 0:
        raise ValueError(f"the drive eps must be finite and >= 0 (E = eps sqrt(N)), got {eps}")
    return float(eps)


# ------------------------------------------------------------------------------ operators


def hamiltonian(
    N: float, eps: float, cutoff: int, *, delta: float = -2.0, u: float = 1.0
) -> qutip.Qobj:
    """``H0 + i E (a^dag - a)`` of Eqs. (11) and (B1) in a Fock space of ``cutoff`` levels.

    Parameters
    ----------
    N : float
        System size: ``E = eps sqrt(N)`` and the Kerr coefficient ``chi = u/(2N)``.
    eps : float
        Drive per unit size, ``>= 0``.
    cutoff : int
        Number of Fock levels, ``>= 2``.
    delta, u : float
        Detuning and Kerr nonlinearity of Eq. (11).

    Returns
    -------
    qutip.Qobj
        :func:`epcore.cavity.driven_hamiltonian` with ``E = eps sqrt(N)``, ``chi = u/(2N)``.

    Raises
    ------
    ValueError
        Bad parameters or a cutoff that is not an integer ``>= 2``.
    """
    N, eps = _check_size(N), _check_drive(eps)
    _check_model(1.0, delta, u)
    if int(cutoff) != cutoff or cutoff < 2:
        raise ValueError(f"the Fock cutoff must be an integer >= 2, got {cutoff}")
    return driven_hamiltonian(int(cutoff), eps * math.sqrt(N), delta=delta, chi=_chi(N, u))


def liouvillian(
    N: float,
    eps: float,
    cutoff: int,
    *,
    kappa: float = 0.5,
    delta: float = -2.0,
    u: float = 1.0,
) -> qutip.Qobj:
    """The Liouvillian of Eq. (B1): Hamiltonian above and losses ``2 kappa D[a]``."""
    _check_model(kappa, delta, u)
    H = hamiltonian(N, eps, cutoff, delta=delta, u=u)
    return qutip.liouvillian(H, [math.sqrt(2 * kappa) * qutip.destroy(int(cutoff))])


# ----------------------------------------------------------------------------- mean field


@dataclass(frozen=True)
class MeanFieldBranch:
    """One mean-field steady state: ``alpha = eps / (kappa + i (Delta + u n))``, ``n = |alpha|^2``.

    ``eigenvalues`` are those of the linearized drift; the branch is stable when both have
    negative real parts, i.e. ``kappa^2 + (Delta + u n)(Delta + 3 u n) > 0``.
    """

    alpha: complex
    n: float
    stable: bool
    eigenvalues: tuple[complex, complex]


def drive_of_photons(n, *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0):
    """The mean-field S curve: the drive ``eps(n)`` whose steady state has ``|alpha|^2 = n``.

    From ``alpha = eps / (kappa + i (Delta + u n))`` (Eq. B4 of the paper):
    :math:`\\epsilon(n)^2 = n\\,[\\kappa^2 + (\\Delta + u n)^2]`.

    Parameters
    ----------
    n : float or array_like
        Mean-field photon number per unit size, ``>= 0``.
    kappa, delta, u : float
        Loss rate, detuning and Kerr nonlinearity of Eqs. (11) and (B1).

    Returns
    -------
    float or numpy.ndarray
        ``eps(n)``, of the shape of ``n``.
    """
    n = np.asarray(n, dtype=float)
    out = np.sqrt(n * (kappa**2 + (delta + u * n) ** 2))
    return float(out) if out.ndim == 0 else out


def branch_is_stable(n, *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0):
    """Whether the mean-field state with ``|alpha|^2 = n`` is linearly stable.

    Both eigenvalues ``-kappa +- sqrt((u n)^2 - (Delta + 2 u n)^2)`` of the linearized drift
    (App. A) have negative real parts exactly when
    :math:`\\kappa^2 + (\\Delta + u n)(\\Delta + 3 u n) > 0`; the middle branch of the S curve
    fails it.

    Parameters
    ----------
    n : float or array_like
        Mean-field photon number per unit size.
    kappa, delta, u : float
        Loss rate, detuning and Kerr nonlinearity of Eqs. (11) and (B1).

    Returns
    -------
    bool or numpy.ndarray
        The stability of each ``n``.
    """
    n = np.asarray(n, dtype=float)
    out = kappa**2 + (delta + u * n) * (delta + 3 * u * n) > 0
    return bool(out) if out.ndim == 0 else out


def _drift_eigenvalues(n: float, kappa: float, delta: float, u: float) -> tuple[complex, complex]:
    root = np.sqrt(complex((u * n) ** 2 - (delta + 2 * u * n) ** 2))
    return (-kappa + root, -kappa - root)


def mean_field(
    eps: float, *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0
) -> list[MeanFieldBranch]:
    """All mean-field steady states at drive ``eps``, stable or not, lowest ``n`` first.

    They solve ``eps^2 = n (kappa^2 + (Delta + u n)^2)`` (:func:`drive_of_photons`), a cubic
    in ``n = |alpha|^2`` with one or three positive roots (three inside the window of Eq. B4).

    Parameters
    ----------
    eps : float
        Drive per unit size, ``>= 0``.
    kappa, delta, u : float
        Loss rate, detuning and Kerr nonlinearity of Eqs. (11) and (B1).

    Returns
    -------
    list of MeanFieldBranch
        Every branch, lowest ``n`` first; ``stable`` from :func:`branch_is_stable`.

    Raises
    ------
    ValueError
        Bad parameters.
    """
    eps = _check_drive(eps)
    _check_model(kappa, delta, u)
    if eps == 0:
        return [MeanFieldBranch(0j, 0.0, True, _drift_eigenvalues(0.0, kappa, delta, u))]
    roots = np.roots([u**2, 2 * delta * u, kappa**2 + delta**2, -(eps**2)])
    scale = max(1.0, float(np.abs(roots).max()))
    real = sorted(r.real for r in roots if abs(r.imag) <= 1e-9 * scale and r.real > 0)
    branches = []
    for n in real:
        # polish the root: the cubic can be ill-conditioned at the window edges
        f = drive_of_photons(n, kappa=kappa, delta=delta, u=u) ** 2 - eps**2
        df = kappa**2 + (delta + u * n) ** 2 + 2 * u * n * (delta + u * n)  # d(eps^2)/dn
        if df != 0:
            n = n - f / df
        alpha = eps / complex(kappa, delta + u * n)
        ev = _drift_eigenvalues(n, kappa, delta, u)
        stable = branch_is_stable(n, kappa=kappa, delta=delta, u=u)
        branches.append(MeanFieldBranch(alpha, float(n), stable, ev))
    return branches


def bistability_window(
    *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0
) -> tuple[float, float]:
    """``(eps_low, eps_high)`` of Eq. (B4): the drives between which two stable branches coexist.

    ``n_pm = (-2 Delta pm sqrt(Delta^2 - 3 kappa^2)) / (3u)``; ``n_+`` gives the lower edge (the
    upper branch is born) and ``n_-`` the upper edge (the lower branch dies). There is a window
    only for ``Delta < -sqrt(3) kappa``.

    Parameters
    ----------
    kappa, delta, u : float
        Loss rate, detuning and Kerr nonlinearity of Eqs. (11) and (B1).

    Returns
    -------
    tuple of float
        ``(eps_low, eps_high)``, :func:`drive_of_photons` at ``n_+`` and ``n_-``.

    Raises
    ------
    ValueError
        If ``delta >= -sqrt(3) kappa`` (no window).
    """
    kw = {"kappa": kappa, "delta": delta, "u": u}
    n_minus, n_plus = _window_photons(**kw)
    return drive_of_photons(n_plus, **kw), drive_of_photons(n_minus, **kw)


def _window_photons(*, kappa: float, delta: float, u: float) -> tuple[float, float]:
    """``(n_-, n_+)`` of Eq. (B4): the photon numbers at the turning points of the S curve.

    Parameters
    ----------
    kappa, delta, u : float
        Loss rate, detuning and Kerr nonlinearity of Eqs. (11) and (B1).

    Returns
    -------
    tuple of float
        ``n_- < n_+``: the lower branch ends at ``n_-``, the upper one starts at ``n_+``.

    Raises
    ------
    ValueError
        If ``delta >= -sqrt(3) kappa`` (no bistable window).
    """
    _check_model(kappa, delta, u)
    if delta >= 0 or delta**2 <= 3 * kappa**2:
        raise ValueError(
            f"no bistability for delta = {delta}, kappa = {kappa}: the window of Eq. (B4) needs "
            "delta < -sqrt(3) kappa (make the detuning more negative or the loss smaller)"
        )
    root = math.sqrt(delta**2 - 3 * kappa**2)
    return (-2 * delta - root) / (3 * u), (-2 * delta + root) / (3 * u)


def on_upper_branch(n: float, *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0) -> bool:
    """Whether a stable mean-field state with ``|alpha|^2 = n`` lies on the upper branch.

    The lower branch ends at ``n_-`` of Eq. (B4) and the upper one starts at ``n_+ > n_-``
    (between them lies the unstable middle branch), so a stable state is on the upper branch
    exactly when ``n > n_-``. Without a bistable window there is one branch, reported as lower.

    Parameters
    ----------
    n : float
        Mean-field photon number per unit size of a stable branch.
    kappa, delta, u : float
        Loss rate, detuning and Kerr nonlinearity of Eqs. (11) and (B1).

    Returns
    -------
    bool
        ``True`` on the upper branch.
    """
    _check_model(kappa, delta, u)
    if delta >= 0 or delta**2 <= 3 * kappa**2:
        return False
    n_minus, _ = _window_photons(kappa=kappa, delta=delta, u=u)
    return bool(n > n_minus)


# --------------------------------------------------------------- Gaussian thermodynamic limit


def fluctuation_matrix(alpha: complex, *, delta: float = -2.0, u: float = 1.0) -> np.ndarray:
    """``G`` of the linearized Hamiltonian ``R^T G R / 2``, ``R = (q, p)`` (App. A with r = s = 2).

    The fluctuation Hamiltonian around the mean field ``alpha`` is
    ``(Delta + 2u|alpha|^2) da^dag da + (u/2)(alpha^2 da^dag^2 + conj(alpha)^2 da^2)``.
    """
    w = delta + 2 * u * abs(alpha) ** 2
    s = np.conj(alpha) ** 2
    return np.array([[w + u * s.real, -u * s.imag], [-u * s.imag, w - u * s.real]])


def linearized_branches(
    eps: float, *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0
) -> list[EntropyBalance]:
    """N -> infinity entropy balance on each stable mean-field branch, lowest ``n`` first.

    Gaussian steady state of the linearized fluctuations and the closed forms of
    :mod:`epcore.gaussian` (Eqs. 8, 10 and A10). ``pi_u``, ``pi_d`` and ``phi_q`` are the
    intensive limits; ``pi_ext = phi_ext = 2 kappa |alpha|^2`` are given *per unit N*.
    ``extra`` holds ``alpha``, ``n`` and ``wehrl`` (the Wehrl entropy of the fluctuations).
    """
    out = []
    for br in mean_field(eps, kappa=kappa, delta=delta, u=u):
        if not br.stable:
            continue
        A_H = hamiltonian_drift(fluctuation_matrix(br.alpha, delta=delta, u=u))
        g = gaussian_balance(A_H, [kappa], mean_photons=br.n)
        extra = dict(g.extra, alpha=br.alpha, n=br.n, wehrl=gaussian_wehrl(g.extra["husimi_cov"]))
        out.append(EntropyBalance(g.pi_ext, g.pi_u, g.pi_d, g.phi_ext, g.phi_q, extra=extra))
    return out


def window_edge_scaling(
    distances=None, *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0
) -> dict[str, dict[str, np.ndarray]]:
    """N -> infinity ``Pi_u``, ``Pi_d``, ``Phi_q`` of the branch that dies at each window edge.

    ``"upper"``: the lower branch at ``eps = eps_high - distance``; ``"lower"``: the upper
    branch at ``eps = eps_low + distance`` (:func:`bistability_window`). An edge is a
    saddle-node (spinodal): one drift eigenvalue vanishes as ``distance^(1/2)``, the Gaussian
    covariance grows as its inverse, so ``Pi_d`` and ``Phi_q`` diverge as
    ``distance^(-1/2)`` while ``Pi_u = -tr(A_H S^-1)/2`` stays finite (``S^-1`` stays bounded)
    (its local slope tends to 0). Each edge's dict holds ``distance``, ``eps``, ``pi_u``,
    ``pi_d``, ``phi_q`` and the local log-log slopes ``slope_pi_d = d ln Pi_d / d ln distance``
    and ``slope_pi_u = d ln|Pi_u| / d ln distance``, by second-order differences on the
    log-spaced ``distances`` (default ``1e-2 ... 1e-6``, 17 points).
    """
    kw = {"kappa": kappa, "delta": delta, "u": u}
    lo, hi = bistability_window(**kw)
    if distances is None:
        distances = np.logspace(-2, -6, 17)
    dist = np.asarray(distances, dtype=float)
    if dist.ndim != 1 or len(dist) < 3 or np.any(dist <= 0) or np.any(dist >= hi - lo):
        raise ValueError(
            "distances must be at least 3 values in (0, eps_high - eps_low), log-spaced"
        )
    out = {}
    for edge, eps_edge, sign, index in (("upper", hi, -1, 0), ("lower", lo, +1, -1)):
        eps = eps_edge + sign * dist
        rows = [linearized_branches(float(e), **kw)[index] for e in eps]
        pi_u = np.array([g.pi_u for g in rows])
        pi_d = np.array([g.pi_d for g in rows])
        log_d = np.log(dist)
        out[edge] = {
            "distance": dist,
            "eps": eps,
            "pi_u": pi_u,
            "pi_d": pi_d,
            "phi_q": np.array([g.phi_q for g in rows]),
            "slope_pi_d": np.gradient(np.log(pi_d), log_d, edge_order=2),
            "slope_pi_u": np.gradient(np.log(np.abs(pi_u)), log_d, edge_order=2),
        }
    return out


# ------------------------------------------------------------------------ exact finite N


def initial_cutoff(
    N: float, eps: float, *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0
) -> int:
    """Fock cutoff from the mean field: ``N n`` photons plus ~6.5 standard deviations.

    ``n`` is the upper stable branch, unless the lower one outweighs it by more than ``e^40``
    in the exact solution's large-deviation weights (:func:`large_deviation_rate`); then the
    upper branch holds no population a double-precision state can see and the lower one sets
    the cutoff. :func:`steady_state` verifies the choice on the state itself.
    """
    N = _check_size(N)
    kw = {"kappa": kappa, "delta": delta, "u": u}
    stable = [b for b in mean_field(eps, **kw) if b.stable]
    n = stable[-1].n
    if len(stable) == 2:
        f = large_deviation_rate(np.array([2 * stable[0].n, 2 * stable[1].n]), eps, **kw)
        if N * (f[1] - f[0]) < -40:
            n = stable[0].n
    n_top = N * n
    return int(math.ceil(n_top + 6.5 * math.sqrt(n_top + 1) + 15))


def _top_population(rho: qutip.Qobj) -> float:
    return float(np.sum(rho.diag()[-3:].real))


#: the routes to the exact finite-N steady state, the default first: ``'complex-p'`` the
#: analytic density matrix (:func:`exact_density_matrix`), ``'qutip'`` the Fock-basis linear
#: solve ``qutip.steadystate``; every function of this module with a ``method`` takes these
METHODS = ("complex-p", "qutip")


def _check_method(method: str) -> str:
    """Return ``method`` if it is one of :data:`METHODS`.

    Parameters
    ----------
    method : str
        The route asked for.

    Returns
    -------
    str
        ``method`` unchanged.

    Raises
    ------
    ValueError
        If ``method`` is not in :data:`METHODS`.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return method


@_one_blas_thread
def steady_state(
    N: float,
    eps: float,
    *,
    kappa: float = 0.5,
    delta: float = -2.0,
    u: float = 1.0,
    cutoff: int | None = None,
    max_cutoff: int | None = None,
    grow: bool = True,
    method: str = METHODS[0],
) -> qutip.Qobj:
    """Exact steady state of Eq. (B1) (``L rho = 0``, Eq. B2) in a verified Fock space.

    Starts from ``cutoff`` (default :func:`fock_cutoff`, read off the exact photon-number
    distribution) and checks the population of the top three Fock levels; while it exceeds
    ``CUTOFF_TOL`` the cutoff grows by 40%, up to ``max_cutoff`` (``grow=False`` raises at
    once instead).

    Parameters
    ----------
    N : float
        System size, ``E = eps sqrt(N)`` (Eq. 2).
    eps : float
        Drive per unit size, ``>= 0``.
    kappa, delta, u : float
        Loss rate, detuning and Kerr nonlinearity of Eqs. (11) and (B1).
    cutoff : int or None
        First Fock cutoff tried; ``None`` reads it off the photon distribution.
    max_cutoff : int or None
        Largest cutoff allowed. ``None`` bounds the QuTiP route at ``MAX_CUTOFF`` (its sparse
        LU grows as ``cutoff^3``) and leaves the complex-P route bounded by memory only.
    grow : bool
        Whether to enlarge a cutoff whose top levels are populated.
    method : str
        ``'complex-p'`` (default): :func:`exact_density_matrix`, the analytic solution (book
        Eq. kerr-rho), positive by construction, no linear solve. ``'qutip'``:
        ``qutip.steadystate(L, method='direct')`` (sparse LU; the fastest reliable QuTiP solver
        here, see benchmarks/bench_kerr.py), which loses accuracy near ``eps_c`` as the
        Liouvillian gap closes (chapter 4).

    Returns
    -------
    qutip.Qobj
        The density matrix, whose top three Fock levels hold at most ``CUTOFF_TOL``.

    Raises
    ------
    ValueError
        Bad parameters or an unknown ``method``.
    epcore.errors.CutoffError
        The state needs more Fock levels than ``max_cutoff``, or ``grow=False`` and the top
        levels are populated.
    epcore.errors.MemoryLimitError
        The :func:`memory_estimate` exceeds ``MEMORY_LIMIT`` (4 GB); raised before anything
        large is allocated.
    """
    N, eps = _check_size(N), _check_drive(eps)
    _check_model(kappa, delta, u)
    _check_method(method)
    if max_cutoff is None:
        max_cutoff = MAX_CUTOFF if method == "qutip" else sys.maxsize
    kw = {"kappa": kappa, "delta": delta, "u": u}
    d = _state_cutoff(N, eps, method, kw) if cutoff is None else int(cutoff)
    if d > max_cutoff:
        raise CutoffError(
            f"N = {N}, eps = {eps} needs a Fock cutoff of at least {d} > max_cutoff = "
            f"{max_cutoff}: raise max_cutoff (memory grows roughly as cutoff^3) or use "
            "method='complex-p' (memory ~ cutoff^2) or exact_moment (no truncation)"
        )
    while True:
        _check_memory(N, eps, d, method, kw)
        if method == "qutip":
            L = liouvillian(N, eps, d, **kw)
            rho = qutip.steadystate(L, method="direct")
        else:
            rho = qutip.Qobj(exact_density_matrix(N, eps, d, **kw))
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


def balance_of_state(
    rho, N: float, eps: float, *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0
) -> EntropyBalance:
    """:func:`epcore.phasespace.entropy_balance` of a Kerr state, checked against the exact moments.

    ``extra`` adds ``alpha = <a>/sqrt(N)``, ``cutoff``, ``top_population`` and ``moment_error``
    (largest relative deviation of ``<a>``, ``<a^dag a>`` from :func:`exact_moment`).

    Parameters
    ----------
    rho : qutip.Qobj or numpy.ndarray
        A steady state in the Fock basis.
    N, eps : float
        System size and drive per unit size it was computed for (Eq. 2).
    kappa, delta, u : float
        Loss rate, detuning and Kerr nonlinearity of Eqs. (11) and (B1).

    Returns
    -------
    EntropyBalance
        Eqs. (5)-(10) of the state with the diagnostics above in ``extra``.

    Raises
    ------
    epcore.errors.IllConditionedError
        A deviation from the exact moments above ``MOMENT_TOL``.
    epcore.errors.CutoffError, epcore.errors.GridError
        From :func:`epcore.phasespace.entropy_balance`: populated top Fock levels, or a grid
        that misses part of ``Q``.
    """
    d = rho.shape[0]
    H = hamiltonian(N, eps, d, delta=delta, u=u)
    b = entropy_balance(rho, H, kappa)
    if eps > 0:
        exact = exact_fluctuations(N, eps, kappa=kappa, delta=delta, u=u)
        moment_error = max(
            abs(b.extra["mean_a"] - exact["mean_a"]) / abs(exact["mean_a"]),
            abs(b.extra["photons"] - exact["photons"]) / exact["photons"],
        )
    else:
        moment_error = abs(b.extra["photons"])
    if moment_error > MOMENT_TOL:
        raise IllConditionedError(
            f"the Fock steady state at N = {N}, eps = {eps} deviates from the exact moments by "
            f"{moment_error:.1e} > MOMENT_TOL = {MOMENT_TOL:.0e}: the Liouvillian gap is too "
            "small for a double-precision linear solve here; use method='complex-p'"
        )
    populations = np.real(_diag(rho))
    extra = dict(b.extra)
    extra.update(
        alpha=b.extra["mean_a"] / math.sqrt(N),
        cutoff=d,
        top_population=float(populations[-3:].sum()),
        moment_error=moment_error,
    )
    return EntropyBalance(b.pi_ext, b.pi_u, b.pi_d, b.phi_ext, b.phi_q, extra=extra)


def _diag(rho) -> np.ndarray:
    return rho.diag() if isinstance(rho, qutip.Qobj) else np.diagonal(np.asarray(rho))


@_one_blas_thread
def entropy_production(
    N: float,
    eps: float,
    *,
    kappa: float = 0.5,
    delta: float = -2.0,
    u: float = 1.0,
    method: str = METHODS[0],
    cutoff: int | None = None,
    max_cutoff: int | None = None,
) -> EntropyBalance:
    """Eqs. (5)-(10) for the exact finite-N steady state of the Kerr model.

    ``Pi_u`` is the general form ``-int U(Q) ln Q`` (Eq. A1); :func:`pi_u_integrated_by_parts`
    is the independent route of Eq. (B6). The state of either method is checked against the
    exact moments (:func:`balance_of_state`). The cutoff is chosen from the state
    (:func:`fock_cutoff`), so large N needs no option: ``entropy_production(400,
    critical_drive())`` uses about 1100 levels and a few seconds.

    Parameters
    ----------
    N : float
        System size, ``E = eps sqrt(N)`` (Eq. 2).
    eps : float
        Drive per unit size, ``>= 0``.
    kappa, delta, u : float
        Loss rate, detuning and Kerr nonlinearity of Eqs. (11) and (B1).
    method : str
        ``'complex-p'`` (default): the analytic density matrix :func:`exact_density_matrix`.
        ``'qutip'``: the linear solve ``L rho = 0`` with ``qutip.steadystate``, kept as a
        cross-check; near ``eps_c`` at N >~ 30 the Liouvillian gap closes exponentially in N,
        the linear system becomes ill-conditioned and round-off grows as 1/gap (near ``eps_c``
        ``<a^dag a>`` is off by ~1e-3 at N = 30 and by tens of percent at N = 40; chapter 4
        tabulates it), so the check raises there.
    cutoff : int or None
        First Fock cutoff tried (see :func:`steady_state`).
    max_cutoff : int or None
        Largest cutoff allowed (default ``None``: ``MAX_CUTOFF`` for ``'qutip'``, memory only
        for ``'complex-p'``).

    Returns
    -------
    EntropyBalance
        The five terms; ``extra`` holds ``alpha = <a>/sqrt(N)`` (complex), ``wehrl`` (Eq. 4),
        ``cutoff`` (Fock levels used), ``top_population``, ``moment_error``, ``method`` and the
        diagnostics of :func:`epcore.phasespace.entropy_balance` (``mean_a``, ``photons``,
        ``pi_eq6``, ``normalization``, ``current_error``, ``grid_shape``).

    Raises
    ------
    ValueError
        Bad parameters or an unknown ``method``.
    epcore.errors.IllConditionedError
        The state deviates from the exact moments by more than ``MOMENT_TOL``.
    epcore.errors.CutoffError
        The state needs more Fock levels than ``max_cutoff``.
    epcore.errors.MemoryLimitError
        The request would need more than ``MEMORY_LIMIT`` (4 GB, see :func:`memory_estimate`).
    """
    N, eps = _check_size(N), _check_drive(eps)
    _check_model(kappa, delta, u)
    _check_method(method)
    kw = {"kappa": kappa, "delta": delta, "u": u}
    rho = steady_state(N, eps, cutoff=cutoff, max_cutoff=max_cutoff, method=method, **kw)
    return balance_of_state(rho, N, eps, **kw).with_extra(method=method)


def pi_u_integrated_by_parts(rho, N: float, *, u: float = 1.0) -> float:
    """``Pi_u`` from Eq. (B6) with the corrected prefactor ``i u / (2N)``.

    ``Pi_u = (i u/2N) int [mu^2 (dQ/dmu)^2 - mubar^2 (dQ/dmubar)^2] / Q d^2mu
    = -(u/N) int Im(mu^2 conj(D)^2) / Q d^2mu`` with ``D = dQ/dmubar`` (Eq. B3). The drive and
    detuning drop out, so only ``u`` and ``N`` enter.
    """
    N = _check_size(N)
    data = husimi_data(rho)
    D = data.dq_dmubar
    integrand = np.imag(data.grid.mu**2 * np.conj(D) ** 2)
    return float(-(u / N) * data.integrate(data.over_q(integrand)))


def pi_u_as_printed(rho, N: float) -> complex:
    """Eq. (B6) exactly as printed, with prefactor ``i mu / (2N)`` inside the integral.

    Kept to document the misprint: it is complex and does not match ``Pi_u``.
    """
    N = _check_size(N)
    data = husimi_data(rho)
    mu = data.grid.mu
    D = data.dq_dmubar
    bracket = mu**2 * np.conj(D) ** 2 - np.conj(mu) ** 2 * D**2
    return complex(data.integrate(data.over_q(1j * mu / (2 * N) * bracket)))


# ------------------------------------------------------------ exact complex-P solution


def _chi(N: float, u: float) -> float:
    """The Kerr coefficient ``chi = u / (2N)`` of ``chi a^dag^2 a^2`` in Eq. (11)."""
    return u / (2 * N)


def _complex_p_constants(
    N: float, eps: float, kappa: float, delta: float, u: float
) -> tuple[float, complex, float]:
    """The constants of the complex-P solution (book Eq. kerr-moments).

    Parameters
    ----------
    N, eps : float
        System size and drive per unit size (``E = eps sqrt(N)``, ``eps > 0``).
    kappa, delta, u : float
        Loss rate, detuning and Kerr nonlinearity of Eqs. (11) and (B1).

    Returns
    -------
    tuple
        ``(chi, c, ln|b|)`` with ``chi = u/(2N)``, ``c = (Delta - i kappa)/chi`` and
        ``b = -i E/chi``.
    """
    chi = _chi(N, u)
    return chi, complex(delta, -kappa) / chi, math.log(eps * math.sqrt(N) / chi)


def _series_length(
    N: float, eps: float, kappa: float, delta: float, u: float, rows: int = 0
) -> int:
    """Terms summed in the complex-P series, for moments (``rows = 0``) and for ``V_ml``.

    The terms of ``Z`` (and of the moment series) peak near ``s = 2 N n`` for each branch
    ``n``: go 30 standard deviations past the top one, plus ``2 rows`` for the rows ``m`` of
    ``V_ml`` (whose Gamma functions shift the peak by up to ``m``).

    Parameters
    ----------
    N, eps : float
        System size and drive per unit size.
    kappa, delta, u : float
        Loss rate, detuning and Kerr nonlinearity of Eqs. (11) and (B1).
    rows : int
        Fock rows of ``V`` needed (the cutoff); 0 for the moments.

    Returns
    -------
    int
        The number of terms.
    """
    n_top = N * mean_field(eps, kappa=kappa, delta=delta, u=u)[-1].n
    return int(2 * n_top + 30 * math.sqrt(2 * n_top + 1) + 2 * rows + 100)


def _complex_p_terms(
    N: float, eps: float, d: int, kappa: float, delta: float, u: float
) -> tuple[int, float, complex, np.ndarray, np.ndarray, float]:
    """Ingredients of ``log V_ml`` (Eq. kerr-rho of the book).

    Parameters
    ----------
    N, eps : float
        System size and drive per unit size (``eps > 0``).
    d : int
        Fock rows ``m < d`` of ``V``.
    kappa, delta, u : float
        Loss rate, detuning and Kerr nonlinearity of Eqs. (11) and (B1).

    Returns
    -------
    tuple
        ``(n_terms, log_y, log_b, ln Gamma(s + c), ln s!, ln Z)`` for columns
        ``l < n_terms`` (:func:`_series_length`), with ``y = |b|^2``.

    Raises
    ------
    ValueError
        If the series needs more than ``MAX_SERIES`` terms or does not converge.
    """
    _, c, log_abs_b = _complex_p_constants(N, eps, kappa, delta, u)
    log_y = 2 * log_abs_b
    log_b = log_abs_b - 0.5j * math.pi  # b = -i E / chi
    n_terms = _series_length(N, eps, kappa, delta, u, rows=d)
    if n_terms > MAX_SERIES:
        raise ValueError(
            f"the complex-P series needs {n_terms} > MAX_SERIES = {MAX_SERIES} terms; "
            "lower N or eps, or raise kerr.MAX_SERIES"
        )
    s = np.arange(n_terms + d)
    lg_c = scipy.special.loggamma(s + c)  # ln Gamma(s + c)
    lg_1 = scipy.special.gammaln(s + 1.0)  # ln s!
    sz = s[:n_terms]
    log_z_terms = sz * (math.log(2) + log_y) - lg_1[:n_terms] - 2 * lg_c[:n_terms].real
    if log_z_terms[-1] > log_z_terms.max() - 60:
        raise ValueError("the complex-P series for Z did not converge; raise kerr.MAX_SERIES")
    log_z = float(scipy.special.logsumexp(log_z_terms))
    return n_terms, log_y, log_b, lg_c, lg_1, log_z


def _log_v_block(rows: np.ndarray, cols: np.ndarray, terms, *, real: bool = False) -> np.ndarray:
    """``log V_ml`` for Fock rows ``m`` and series columns ``l`` (real part only if asked)."""
    _, log_y, log_b, lg_c, lg_1, log_z = terms
    m, ll = rows[:, None], cols[None, :]
    common = 0.5 * ll * log_y - 0.5 * (lg_1[m] + lg_1[ll]) - 0.5 * log_z
    if real:
        return m * log_b.real + common - lg_c[m + ll].real
    return m * log_b + common - lg_c[m + ll]


#: rows of log V evaluated at once (bounds the memory of the complex-P routines)
_ROW_BLOCK = 256
#: columns l with every |V_ml| below exp(_V_FLOOR) are dropped: |V_ml| <= 1, so what they add to
#: any rho_mn is below exp(2 _V_FLOOR) per column, far under double-precision round-off
_V_FLOOR = -41.0


def photon_distribution(
    N: float,
    eps: float,
    n_max: int,
    *,
    kappa: float = 0.5,
    delta: float = -2.0,
    u: float = 1.0,
    n_min: int = 0,
) -> np.ndarray:
    """Exact photon-number distribution ``p_n = <n|rho|n>``, ``n_min <= n < n_max``.

    From the complex-P solution: ``p_n = sum_l |V_nl|^2`` with ``V`` of
    :func:`exact_density_matrix`, each term from its logarithm, a block of rows at a time,
    without forming ``rho``: cost ``(n_max - n_min) x`` (series length), memory a few tens of
    MB. Over ``n_min = 0 <= n < n_max`` it sums to 1 once ``n_max`` is past the support of the
    state; :func:`fock_cutoff` reads the cutoff off its tail.
    """
    N, eps = _check_size(N), _check_drive(eps)
    _check_model(kappa, delta, u)
    d = int(n_max)
    if d != n_max or d < 1 or int(n_min) != n_min or not 0 <= n_min < d:
        raise ValueError(f"need integers 0 <= n_min < n_max, got n_min={n_min}, n_max={n_max}")
    if eps == 0:
        return np.eye(1, d)[0][int(n_min) :]
    terms = _complex_p_terms(N, eps, d, kappa, delta, u)
    cols = np.arange(terms[0])
    p = np.empty(d - int(n_min))
    for start in range(int(n_min), d, _ROW_BLOCK):
        rows = np.arange(start, min(d, start + _ROW_BLOCK))
        # |V_ml| <= 1, so the exponentials cannot overflow; what underflows is below 1e-300
        p[rows - int(n_min)] = np.exp(2 * _log_v_block(rows, cols, terms, real=True)).sum(axis=1)
    return p


def fock_cutoff(
    N: float,
    eps: float,
    *,
    kappa: float = 0.5,
    delta: float = -2.0,
    u: float = 1.0,
    tail_tol: float = TAIL_TOL,
) -> int:
    """The smallest Fock cutoff ``d`` whose levels ``n >= d - 3`` hold at most ``tail_tol``.

    Read off the exact photon-number distribution (:func:`photon_distribution`), so it holds
    for a bimodal state near ``eps_c`` as well as on one branch: the mean-field guess of
    :func:`initial_cutoff` is only the first window searched (grown by 40% until the
    distribution has decayed inside it). With the default ``tail_tol = TAIL_TOL = 1e-12`` the
    top three levels of the truncated state hold a hundredth of what
    :func:`epcore.phasespace.density_matrix` accepts.
    """
    N, eps = _check_size(N), _check_drive(eps)
    if not 0 < tail_tol < 1:
        raise ValueError(f"tail_tol must lie in (0, 1), got {tail_tol}")
    kw = {"kappa": kappa, "delta": delta, "u": u}
    if eps == 0:
        return 4
    d0 = max(16, initial_cutoff(N, eps, **kw))
    lo = d0 // 2  # first look at the upper half only: the tail of any state we meet lies there
    while True:
        p = photon_distribution(N, eps, d0, n_min=lo, **kw)
        # beyond d0 the distribution decays at least geometrically (ratio r of its last two)
        r = p[-1] / p[-2] if p[-2] > 0 else 0.0
        outside = p[-1] * r / (1 - r) if r < 1 else np.inf
        # tail[k] = population of the levels >= lo + k (beyond d0 included)
        tail = np.cumsum(p[::-1])[::-1] + outside
        if outside <= 1e-3 * tail_tol and tail[0] > tail_tol:
            break
        if outside <= 1e-3 * tail_tol and lo > 0:
            lo = 0  # the whole window is already below the tolerance: look lower
            continue
        if outside <= 1e-3 * tail_tol:
            break
        d0 = int(math.ceil(1.4 * d0))
    first = lo + int(np.nonzero(tail <= tail_tol)[0][0])
    return max(4, first + 3)


def memory_estimate(
    N: float,
    eps: float,
    cutoff: int,
    *,
    method: str = METHODS[0],
    kappa: float = 0.5,
    delta: float = -2.0,
    u: float = 1.0,
) -> float:
    """Estimated peak memory (bytes) of :func:`steady_state` plus :func:`balance_of_state`.

    ``'complex-p'``: the ``cutoff x`` (series length) matrix ``V``, or, if larger, about seven
    dense ``cutoff x cutoff`` complex arrays in :func:`epcore.phasespace.entropy_balance` and
    as many ``n_r x n_theta`` grid arrays (sized as :func:`epcore.phasespace.polar_grid` does).
    ``'qutip'``: the sparse LU of the ``cutoff^2 x cutoff^2`` Liouvillian, which measured
    0.5 GB at ``cutoff = 300`` and grows about as ``cutoff^3``. Calibrated on the measured
    peaks near ``eps_c`` (N = 400: 0.24 GB above the interpreter's own; N = 800: 0.65 GB;
    benchmarks/bench_kerr.py prints the measured peak next to the estimate).

    Parameters
    ----------
    N, eps : float
        System size and drive per unit size (Eq. 2).
    cutoff : int
        Fock cutoff of the state.
    method : str
        The route of :func:`steady_state` (see :data:`METHODS`).
    kappa, delta, u : float
        Loss rate, detuning and Kerr nonlinearity of Eqs. (11) and (B1).

    Returns
    -------
    float
        Estimated peak memory in bytes.

    Raises
    ------
    ValueError
        An unknown ``method``.
    """
    _check_method(method)
    d = float(cutoff)
    r_hi = math.sqrt(d) + 9.0
    grid = (8 * r_hi + 32) * max(2 * d + 16, 8 * math.pi * r_hi)
    phase_space = 16 * 7 * (d * d + grid)
    if method == "qutip":
        return 0.5e9 * (d / 300) ** 3 + phase_space
    columns = _series_length(N, eps, kappa, delta, u, rows=int(d))
    return max(16 * 2 * d * columns, phase_space)


def _state_cutoff(N: float, eps: float, method: str, kw: dict) -> int:
    """:func:`fock_cutoff`, after a memory check on the cheap mean-field guess (so that a
    request far too large for memory fails at once, not after the cutoff search)."""
    guess = initial_cutoff(N, eps, **kw) if eps > 0 else 4
    _check_memory(N, eps, int(0.9 * guess), method, kw)
    return fock_cutoff(N, eps, **kw)


def _check_memory(N: float, eps: float, d: int, method: str, kw: dict) -> None:
    """Refuse a request whose :func:`memory_estimate` exceeds ``MEMORY_LIMIT``.

    Parameters
    ----------
    N, eps : float
        System size and drive per unit size.
    d : int
        Fock cutoff.
    method : str
        One of :data:`METHODS`.
    kw : dict
        ``kappa``, ``delta``, ``u``.

    Raises
    ------
    epcore.errors.MemoryLimitError
        If the estimate exceeds ``MEMORY_LIMIT``, with a hint naming what to change.
    """
    need = memory_estimate(N, eps, d, method=method, **kw)
    if need > MEMORY_LIMIT:
        hint = (
            "use method='complex-p', whose memory grows as cutoff^2"
            if method == "qutip"
            else "lower N (the cutoff grows in proportion to N), or use exact_moment and "
            "exact_fluctuations, which need no density matrix"
        )
        raise MemoryLimitError(
            f"N = {N}, eps = {eps} needs about {d} Fock levels and {need / 1e9:.1f} GB with "
            f"method={method!r}, more than MEMORY_LIMIT = {MEMORY_LIMIT / 1e9:.0f} GB: {hint}"
        )


def exact_density_matrix(
    N: float,
    eps: float,
    cutoff: int,
    *,
    kappa: float = 0.5,
    delta: float = -2.0,
    u: float = 1.0,
) -> np.ndarray:
    """The exact steady state in the first ``cutoff`` Fock levels, from the complex-P solution.

    Expanding ``rho = int P(alpha, beta) |alpha><beta*| / <beta*|alpha>`` with the
    Drummond-Walls P function gives, with ``c``, ``b`` as in :func:`exact_moment` and
    ``y = |b|^2``::

        rho_mn = sum_l V_ml conj(V_nl),
        V_ml = b^m y^(l/2) / (sqrt(m! l!) Gamma(l + m + c) sqrt(Z)),
        Z = sum_s (2y)^s / (s! |Gamma(s + c)|^2),

    so ``rho = V V^dag`` is positive by construction. The sums run in log space with
    ``scipy.special.loggamma``; columns ``l`` whose every ``|V_ml|`` is below ``e^-41`` are
    dropped before the product (they change no entry by more than ``1e-30``). No linear system
    is solved, so the result does not suffer from the closing Liouvillian gap near ``eps_c``.
    Raises ``ValueError`` if the series would need more than ``MAX_SERIES`` terms.
    """
    N, eps = _check_size(N), _check_drive(eps)
    _check_model(kappa, delta, u)
    d = int(cutoff)
    if d != cutoff or d < 2:
        raise ValueError(f"the Fock cutoff must be an integer >= 2, got {cutoff}")
    if eps == 0:
        rho = np.zeros((d, d), complex)
        rho[0, 0] = 1
        return rho
    terms = _complex_p_terms(N, eps, d, kappa, delta, u)
    cols = np.arange(terms[0])
    largest = np.full(len(cols), -np.inf)
    for start in range(0, d, _ROW_BLOCK):
        rows = np.arange(start, min(d, start + _ROW_BLOCK))
        largest = np.maximum(largest, _log_v_block(rows, cols, terms, real=True).max(axis=0))
    keep = cols[largest > _V_FLOOR]
    V = np.exp(_log_v_block(np.arange(d), keep, terms))
    rho = V @ V.conj().T
    return (rho + rho.conj().T) / 2


@functools.lru_cache(maxsize=4096)
def _moment_cached(N, eps, j, k, kappa, delta, u):
    """``<a^dag^j a^k>`` as a ratio of two 0F2 series summed in log space (cached).

    Parameters
    ----------
    N, eps : float
        System size and drive per unit size.
    j, k : int
        Moment orders, ``>= 0``.
    kappa, delta, u : float
        Loss rate, detuning and Kerr nonlinearity of Eqs. (11) and (B1).

    Returns
    -------
    complex
        The moment (see :func:`exact_moment`, which validates the arguments).
    """
    if eps == 0:
        return complex(1.0) if j == k == 0 else 0j
    _, c, log_bmod = _complex_p_constants(N, eps, kappa, delta, u)  # log_bmod = ln|b|
    n_terms = _series_length(N, eps, kappa, delta, u)
    for _ in range(6):
        n = np.arange(n_terms, dtype=float)
        base = n * (math.log(2.0) + 2 * log_bmod) - scipy.special.gammaln(n + 1)
        log_t0 = base - 2 * scipy.special.loggamma(n + c).real
        top = log_t0.max()
        if log_t0[-1] < top - 80:
            break
        n_terms *= 2
    else:  # pragma: no cover - the series length above has always sufficed
        raise ValueError(f"the complex-P series did not converge at N = {N}, eps = {eps}")
    log_tjk = base - scipy.special.loggamma(n + c + k) - np.conj(scipy.special.loggamma(n + c + j))
    ratio = np.sum(np.exp(log_tjk - top)) / np.sum(np.exp(log_t0 - top))
    # with S_jk = sum_n x^n / (n! Gamma(n + c + k) Gamma(n + cbar + j)) the Gamma prefactors
    # cancel: <a^dag^j a^k> = b^k conj(b)^j S_jk / S_00
    pre = (-1j) ** k * (1j) ** j * math.exp((j + k) * log_bmod)
    return complex(pre * ratio)


def exact_moment(
    N: float,
    eps: float,
    j: int,
    k: int,
    *,
    kappa: float = 0.5,
    delta: float = -2.0,
    u: float = 1.0,
) -> complex:
    """``<a^dag^j a^k>`` in the exact steady state (complex-P solution, Drummond and Walls 1980).

    With ``chi = u/(2N)``, ``E = eps sqrt(N)``, ``c = (Delta - i kappa)/chi``, ``b = -i E/chi``
    and ``F(p, q) = 0F2(; p, q; 2|b|^2)``::

        <a^dag^j a^k> = b^k conj(b)^j Gamma(c) Gamma(cbar) / (Gamma(c+k) Gamma(cbar+j))
                        * F(c+k, cbar+j) / F(c, cbar).

    ``b = -i E/chi`` carries the phase of the drive ``i E (a^dag - a)``. The series are summed
    term by term in log space (``scipy.special.loggamma``), over every term that matters: inside
    the bistable window they have two humps (one per branch) separated by a deep dip, and
    ``mpmath.hyper`` stops summing at the dip as N grows (at the ``Phi_q`` peak: off by ~3e-7
    at N = 400, the upper branch dropped altogether at N = 800; chapter 4 tabulates it).
    Relative accuracy ~1e-12 at N = 1000 (tests/test_kerr.py compares with ``mpmath``).
    No Fock truncation, so N in the thousands is fine.
    """
    N, eps = _check_size(N), _check_drive(eps)
    _check_model(kappa, delta, u)
    if int(j) != j or int(k) != k or j < 0 or k < 0:
        raise ValueError(f"the moment orders j, k must be integers >= 0, got {j}, {k}")
    return _moment_cached(N, eps, int(j), int(k), float(kappa), float(delta), float(u))


def exact_moment_mpmath(
    N: float,
    eps: float,
    j: int,
    k: int,
    *,
    kappa: float = 0.5,
    delta: float = -2.0,
    u: float = 1.0,
    dps: int = 30,
) -> complex:
    """The formula of :func:`exact_moment` with ``mpmath.hyper`` for the 0F2 functions.

    An independent check, reliable outside the window and up to N ~ 200 inside it; for larger
    N inside the window mpmath truncates the series at the dip between the two humps.
    """
    N, eps = _check_size(N), _check_drive(eps)
    with mpmath.workdps(dps):
        chi = mpmath.mpf(u) / (2 * mpmath.mpf(N))
        E = mpmath.mpf(eps) * mpmath.sqrt(mpmath.mpf(N))
        c = mpmath.mpc(delta, -kappa) / chi
        cb = mpmath.conj(c)
        b = mpmath.mpc(0, -1) * E / chi
        x = 2 * abs(b) ** 2
        maxterms = 10**6
        ratio = mpmath.hyper([], [c + k, cb + j], x, maxterms=maxterms) / mpmath.hyper(
            [], [c, cb], x, maxterms=maxterms
        )
        pre = b**k * mpmath.conj(b) ** j / (mpmath.rf(c, k) * mpmath.rf(cb, j))
        return complex(pre * ratio)


def exact_fluctuations(
    N: float, eps: float, *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0
) -> dict[str, float | complex]:
    """Exact ``<a>``, ``<a^dag a>``, ``alpha = <a>/sqrt(N)`` and ``Phi_q = 2 kappa <da^dag da>``.

    ``Phi_q`` equals ``Pi_u + Pi_d`` in the steady state (Eq. 10).
    """
    kw = {"kappa": kappa, "delta": delta, "u": u}
    mean_a = exact_moment(N, eps, 0, 1, **kw)
    photons = exact_moment(N, eps, 1, 1, **kw).real
    variance = photons - abs(mean_a) ** 2
    return {
        "mean_a": mean_a,
        "photons": photons,
        "alpha": mean_a / math.sqrt(N),
        "variance": variance,
        "phi_q": 2 * kappa * variance,
    }


# ------------------------------------------------------------------- critical drive


def large_deviation_rate(
    nu, eps: float, *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0
) -> np.ndarray:
    """``f(nu) = lim (1/N) ln t_{nu N}`` for the terms ``t_n`` of the series ``F(c, cbar)``.

    ``t_n = x^n / (n! |Gamma(n + c)|^2)``; by Stirling, up to a constant,
    ``f = nu ln(8 eps^2/u^2) - nu ln nu + nu - 2 Re(w ln w - w)`` with
    ``w = nu + 2(Delta - i kappa)/u``. Its stationary points ``nu = 2 n`` are the mean-field
    branches; as N -> infinity the branch with the larger ``f`` carries all the weight.
    """
    _check_drive(eps)
    nu = np.asarray(nu, dtype=float)
    w = nu + 2 * complex(delta, -kappa) / u
    return nu * np.log(8 * eps**2 / u**2) - nu * np.log(nu) + nu - 2 * np.real(w * np.log(w) - w)


def _rate_derivatives(nu: float, eps: float, kappa: float, delta: float, u: float):
    """``(f'(nu), f''(nu))`` of :func:`large_deviation_rate`."""
    w = nu + 2 * complex(delta, -kappa) / u
    first = math.log(8 * eps**2 / u**2) - math.log(nu) - 2 * np.log(w).real
    second = -1 / nu - 2 * (1 / w).real
    return first, second


def branch_log_odds(
    N: float, eps: float, *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0
) -> float:
    """``ln(p / (1 - p))``, ``p`` the weight of the upper stable branch in the exact state.

    Laplace's method on the two humps of the series ``Z = sum_s t_s`` (Eq. kerr-rho of the
    book), ``s = nu N`` near ``nu_pm = 2 n_pm``. Stirling's formula gives
    ``ln t_s = N f(nu) - (4 Delta/u) N ln N + h(nu) + const + O(1/N)`` with ``f`` of
    :func:`large_deviation_rate`, ``h(nu) = ln|w| - ln(nu)/2`` (``w = nu + 2(Delta - i
    kappa)/u``); the ``N ln N`` term is the same for both humps and cancels. Hence::

        ln(p/(1-p)) = N [f(nu_+) - f(nu_-)] + h(nu_+) - h(nu_-)
                      + ln(|f''(nu_-)| / |f''(nu_+)|) / 2 + O(1/N).

    Near ``eps_c`` the first term is ``N f_gap'(eps_c) (eps - eps_c)``, linear in
    ``x = N (eps/eps_c - 1)``: ``p`` is a logistic function of ``x`` at leading order, and the
    O(1) terms shift it by a fixed amount in ``x``. Raises ``ValueError`` outside the window.
    """
    N, eps = _check_size(N), _check_drive(eps)
    _check_model(kappa, delta, u)
    kw = {"kappa": kappa, "delta": delta, "u": u}
    br = [b for b in mean_field(eps, **kw) if b.stable]
    if len(br) < 2:
        raise ValueError(
            f"eps = {eps} is outside the bistable window {bistability_window(**kw)}: "
            "there is one branch, and no weight to compute"
        )
    nu = np.array([2 * br[0].n, 2 * br[-1].n])
    f = large_deviation_rate(nu, eps, **kw)
    w = nu + 2 * complex(delta, -kappa) / u
    h = np.log(np.abs(w)) - 0.5 * np.log(nu)
    curv = [abs(_rate_derivatives(float(v), eps, kappa, delta, u)[1]) for v in nu]
    return float(N * (f[1] - f[0]) + h[1] - h[0] + 0.5 * math.log(curv[0] / curv[1]))


def two_branch_prediction(
    N: float, eps: float, *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0
) -> EntropyBalance:
    """Entropy balance of the exact state modelled as a mixture of the two Gaussian branches.

    Near ``eps_c`` the steady state is ``p rho_+ + (1 - p) rho_-``: the Gaussian states of
    :func:`linearized_branches` around ``sqrt(N) alpha_pm``, with the weight ``p`` of the upper
    branch from :func:`branch_log_odds` (logistic in ``x = N(eps/eps_c - 1)`` at leading
    order). For two well separated peaks of ``Q`` the terms of Eqs. (8) and (10) add up as::

        Pi_u  = p Pi_u^+ + (1 - p) Pi_u^-,
        Pi_d  = p Pi_d^+ + (1 - p) Pi_d^- + 2 kappa p (1 - p) N |alpha_+ - alpha_-|^2,
        Phi_q = p Phi_q^+ + (1 - p) Phi_q^- + 2 kappa p (1 - p) N |alpha_+ - alpha_-|^2,

    (the mixture's variance), so Eq. (10) holds exactly and
    ``Phi_q/N = Pi_d/N = 2 kappa p(1-p)|alpha_+ - alpha_-|^2 + O(1/N)``. The O(1/N) terms
    kept are those of the branches' Gaussian fluctuations; the shifts of the branch means and
    the overlap of the peaks are left out, so the prediction approaches the exact state with
    errors O(1/N) in ``Phi_q/N``. Outside the window the single branch is returned (``p`` = 0
    below, 1 above). Rates are for the finite-N state, as from :func:`entropy_production`:
    ``pi_ext = phi_ext = 2 kappa N |alpha|^2`` with ``alpha = p alpha_+ + (1 - p) alpha_-``.

    Returns
    -------
    EntropyBalance
        with ``extra``: ``p``, ``log_odds``, ``alpha``, ``alpha_lower``, ``alpha_upper``,
        ``between`` (``2 kappa p (1-p) N |alpha_+ - alpha_-|^2``, the mixing part) and
        ``branches`` (the two :func:`linearized_branches` results).

    Raises
    ------
    ValueError
        Bad parameters (see :func:`entropy_production`).
    """
    N, eps = _check_size(N), _check_drive(eps)
    kw = {"kappa": kappa, "delta": delta, "u": u}
    branches = linearized_branches(eps, **kw)
    if len(branches) == 2:
        log_odds = branch_log_odds(N, eps, **kw)
        p = float(scipy.special.expit(log_odds))
        low, up = branches
    else:
        (only,) = branches
        try:
            above = eps > bistability_window(**kw)[1]
        except ValueError:  # no window at all: a single branch everywhere
            above = True
        p, log_odds = (1.0, math.inf) if above else (0.0, -math.inf)
        low = up = only
    q = 1 - p
    gap = abs(up.extra["alpha"] - low.extra["alpha"]) ** 2
    between = 2 * kappa * p * q * N * gap
    alpha = p * up.extra["alpha"] + q * low.extra["alpha"]
    ext = 2 * kappa * N * abs(alpha) ** 2
    extra = {
        "p": p,
        "log_odds": log_odds,
        "alpha": alpha,
        "alpha_lower": low.extra["alpha"],
        "alpha_upper": up.extra["alpha"],
        "between": between,
        "branches": branches,
    }
    return EntropyBalance(
        ext,
        p * up.pi_u + q * low.pi_u,
        p * up.pi_d + q * low.pi_d + between,
        ext,
        p * up.phi_q + q * low.phi_q + between,
        extra=extra,
    )


def _branch_gap(eps: float, kw: dict) -> float:
    """``f_upper - f_lower`` of :func:`large_deviation_rate` at the two stable branches."""
    br = [b for b in mean_field(eps, **kw) if b.stable]
    if len(br) < 2:
        raise ValueError(f"expected two stable branches at eps = {eps}")
    f = large_deviation_rate(np.array([2 * br[0].n, 2 * br[-1].n]), eps, **kw)
    return float(f[1] - f[0])


def critical_drive(*, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0) -> float:
    """``eps_c``: the N -> infinity limit of the drive where ``Phi_q`` peaks.

    As N -> infinity the exact solution's weight jumps between the two stable branches where
    their large-deviation rates :func:`large_deviation_rate` are equal (a Maxwell construction),
    and the variance ``<da^dag da>`` peaks there. Solved with ``brentq`` to ~1e-12. The finite-N
    peaks (:func:`variance_peak`) approach it as ``eps_c + 0.2355/N`` at the paper's parameters;
    their extrapolation (:func:`extrapolate_critical_drive`) agrees to ~1e-6.
    """
    lo, hi = bistability_window(kappa=kappa, delta=delta, u=u)
    kw = {"kappa": kappa, "delta": delta, "u": u}
    width = hi - lo
    return float(
        scipy.optimize.brentq(
            lambda e: _branch_gap(e, kw), lo + 1e-9 * width, hi - 1e-9 * width, xtol=1e-14
        )
    )


def variance_peak(
    N: float,
    *,
    kappa: float = 0.5,
    delta: float = -2.0,
    u: float = 1.0,
) -> tuple[float, float]:
    """``(eps_peak, Phi_q_peak)``: where the exact ``Phi_q`` peaks at size N, and its height.

    The weight of the upper branch switches from 0 to 1 over a drive range
    ``w = 1/(N f')``, with ``f'`` the slope of the large-deviation gap at ``eps_c``. The drive
    where the exact ``<a^dag a>/N`` sits halfway between the branches (``brentq``) brackets the
    peak; a bounded Brent search within +-3 w then locates it to ``1e-4 w``.
    """
    N = _check_size(N)
    kw = {"kappa": kappa, "delta": delta, "u": u}
    eps_c = critical_drive(**kw)
    lo_w, hi_w = bistability_window(**kw)
    h = 1e-6 * eps_c
    slope = abs(_branch_gap(eps_c + h, kw) - _branch_gap(eps_c - h, kw)) / (2 * h)
    width = 1 / (N * slope)
    margin = 1e-6 * (hi_w - lo_w)

    def excess(eps: float) -> float:
        br = [b for b in mean_field(eps, **kw) if b.stable]
        n = exact_fluctuations(N, eps, **kw)["photons"] / N
        return (n - br[0].n) / (br[-1].n - br[0].n) - 0.5

    lo, hi = eps_c - 15 * width, eps_c + 15 * width
    for _ in range(8):
        lo, hi = max(lo, lo_w + margin), min(hi, hi_w - margin)
        if excess(lo) < 0 < excess(hi):
            break
        lo, hi = eps_c - 2 * (eps_c - lo), eps_c + 2 * (hi - eps_c)
    else:
        raise ValueError(f"could not bracket the Phi_q peak at N = {N}: use a larger N")
    middle = scipy.optimize.brentq(excess, lo, hi, xtol=1e-3 * width)
    res = scipy.optimize.minimize_scalar(
        lambda e: -exact_fluctuations(N, e, **kw)["phi_q"],
        bounds=(max(lo_w + margin, middle - 3 * width), min(hi_w - margin, middle + 3 * width)),
        method="bounded",
        options={"xatol": 1e-4 * width},
    )
    return float(res.x), float(-res.fun)


def extrapolate_critical_drive(peaks: dict[float, float], *, order: int = 2) -> tuple[float, float]:
    """``(eps_c, error)`` from finite-N peak drives ``{N: eps_peak}`` fitted in powers of 1/N.

    Fits ``eps_peak = eps_c + a_1/N + ... + a_order/N^order``; ``error`` is the change of
    ``eps_c`` between the fits of order ``order`` and ``order - 1`` on the same points.
    """
    sizes = np.array(sorted(peaks), dtype=float)
    if len(sizes) < order + 2:
        raise ValueError(f"need at least {order + 2} sizes to fit order {order} and estimate error")
    y = np.array([peaks[n] for n in sorted(peaks)])
    fits = [np.polyfit(1 / sizes, y, k)[-1] for k in (order, order - 1)]
    return float(fits[0]), float(abs(fits[0] - fits[1]))


# ------------------------------------------------------------------------------- sweeps


@_one_blas_thread
def balance_point(
    N: float, eps: float, *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0
) -> dict[str, float]:
    """:func:`entropy_production` (default options) as plain floats, for cached sweeps at
    large N. Keys: ``N, eps, pi_u, pi_d, phi_q, relative_residual, moment_error, cutoff,
    method_is_qutip``."""
    b = entropy_production(N, eps, kappa=kappa, delta=delta, u=u)
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
    N: float,
    eps: float,
    *,
    kappa: float = 0.5,
    delta: float = -2.0,
    u: float = 1.0,
    method: str = METHODS[0],
) -> dict[str, float]:
    """One point of a drive or size sweep as plain floats (cacheable, picklable).

    Keys: ``N, eps, pi_u, pi_d, phi_q, pi_ext, residual, relative_residual, pi_u_b6`` (Eq. B6,
    corrected), ``alpha_re, alpha_im, photons, wehrl, cutoff, moment_error, normalization``.
    """
    kw = {"kappa": kappa, "delta": delta, "u": u}
    rho = steady_state(N, eps, method=method, **kw)
    b = balance_of_state(rho, N, eps, **kw)
    return {
        "N": float(N),
        "eps": float(eps),
        "pi_u": b.pi_u,
        "pi_d": b.pi_d,
        "phi_q": b.phi_q,
        "pi_ext": b.pi_ext,
        "residual": b.residual,
        "relative_residual": b.relative_residual,
        "pi_u_b6": pi_u_integrated_by_parts(rho, N, u=u),
        "alpha_re": b.alpha.real,
        "alpha_im": b.alpha.imag,
        "photons": b.photons,
        "wehrl": b.wehrl,
        "cutoff": float(b.cutoff),
        "moment_error": b.moment_error,
        "normalization": b.normalization,
    }


def peak_point(N: float, *, kappa: float = 0.5, delta: float = -2.0, u: float = 1.0) -> dict:
    """:func:`variance_peak` as a dict ``{N, eps_peak, phi_q_peak}`` for cached sweeps."""
    eps_peak, phi_peak = variance_peak(N, kappa=kappa, delta=delta, u=u)
    return {"N": float(N), "eps_peak": eps_peak, "phi_q_peak": phi_peak}


def liouvillian_gap(N: float, eps: float, **model) -> float:
    """Smallest nonzero ``|Re lambda|`` of the Liouvillian of Eq. (B1).

    Thin wrapper around :func:`epcore.dynamics.liouvillian_gap` (imported on call, so that
    :mod:`epcore.dynamics` can build on this module); see there for the method, the keywords
    (``kappa``, ``delta``, ``u``, ``cutoff``, ``max_cutoff``) and the errors raised.
    """
    from .dynamics import liouvillian_gap as _gap

    return _gap(N, eps, **model)
