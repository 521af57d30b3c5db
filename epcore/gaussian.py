r"""Gaussian states of lossy bosonic modes: Lyapunov steady state, closed-form entropy terms.

Quadratures per mode are :math:`q = (a + a^\dagger)/\sqrt 2`,
:math:`p = i(a^\dagger - a)/\sqrt 2`, ordered :math:`R = (q_1, p_1, q_2, p_2, \dots)`. The
covariance :math:`s_{ij} = \langle\{R_i, R_j\}\rangle/2` of the steady state of a quadratic
model solves :math:`A s + s A^T + D = 0` (Eq. C24), with :math:`A = A_H + A_\text{loss}`,
:math:`A_\text{loss} = -\mathrm{diag}(\kappa_i, \kappa_i)` and
:math:`D = \mathrm{diag}(\kappa_i, \kappa_i)`. The Husimi function is a Gaussian with
covariance :math:`S = s + I/2` (Eq. C26), and Eqs. (6)-(8) integrate in closed form:

.. math::

    \Pi_u &= -\tfrac12 \mathrm{tr}(A_H S^{-1}), \\
    \Pi_d &= \sum_i \kappa_i \mathrm{tr}_i(S - 2I + S^{-1}), \\
    \Phi_q &= \sum_i \kappa_i (\mathrm{tr}_i S - 2),

where :math:`\mathrm{tr}_i` is the trace over the ``2 x 2`` block of mode :math:`i`. The book
derives these. The code evaluates them in terms of the excess :math:`E = S - I = s - I/2`
(zero for the vacuum), obtained from its own Lyapunov equation, so that states close to the
vacuum keep their relative accuracy.

The functions here take matrices (``G``, ``A``, ``D``) and know no model. A model package
that builds them from its parameters names its function after the same quantity, with the
model's arguments: :func:`hamiltonian_drift` (``G``) and :func:`epcore.dicke.hamiltonian_drift`
(a coupling), :func:`steady_covariance` (``A``, ``D``) and
:func:`epcore.dicke.steady_covariance` (a coupling).

Bad input raises a ``ValueError`` (one of the typed subclasses of :mod:`epcore.errors`) whose
message says what to change; the Raises sections list only what it does not cover.
"""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import scipy.linalg

from .balance import GaussianBalance
from .errors import IllConditionedError, UnstableDriftError
from .models import check_array, check_integer, check_memory, check_real

__all__ = [
    "symplectic_form",
    "hamiltonian_drift",
    "loss_drift",
    "steady_covariance",
    "husimi_covariance",
    "excess_covariance",
    "LYAPUNOV_COND_LIMIT",
    "lyapunov_condition",
    "precise_terms",
    "solve_lyapunov_batch",
    "steady_state_batch",
    "gaussian_terms",
    "gaussian_balance",
    "gaussian_wehrl",
    "steady_unitary_production",
    "thermal_gaussian_balance",
    "channel_balance",
    "unitary_share_at_instability",
    "qnd_pair_model",
    "sharp_bound_family",
    "check_husimi_covariance",
    "check_matrix",
    "check_channels",
    "require_stable",
]

#: The largest number of modes the dense routines of this module accept.
MAX_MODES = 2000


def check_matrix(M, name: str, *, stack: bool = False, even: bool = True) -> np.ndarray:
    """Check a finite real square matrix (with ``stack``, a stack of them) and return it.

    Parameters
    ----------
    M : array_like
        The matrix, or a stack of matrices along the first axis.
    name : str
        How the message names it.
    stack : bool, optional
        Accept a 3-D stack of square matrices.
    even : bool, optional
        Require an even size ``2n x 2n`` (``n`` modes, quadratures ``(q, p)``), at most
        ``2 * MAX_MODES``.

    Returns
    -------
    numpy.ndarray
        ``M`` as a float array.
    """
    M = check_array(M, name, ndim=(2, 3) if stack else 2)
    if M.shape[-1] != M.shape[-2] or (even and M.shape[-1] % 2):
        raise ValueError(f"{name} must be square and 2n x 2n, got shape {M.shape}")
    if M.shape[-1] > 2 * MAX_MODES:
        raise ValueError(f"{name} has {M.shape[-1] // 2} modes, more than MAX_MODES = {MAX_MODES}")
    return M


def check_husimi_covariance(S, *, tol: float = 1e-9) -> np.ndarray:
    r"""Check that ``S`` is the Husimi covariance of a state and return it as an array.

    With quadratures :math:`q, p` (PHYSICS conventions), a state's covariance :math:`s` obeys
    the uncertainty principle :math:`s + i\Omega/2 \succeq 0`; its Husimi covariance is
    :math:`S = s + I/2` (Eq. C26), so :math:`S - I/2 + i\Omega/2 \succeq 0`. This implies
    :math:`S \succeq I/2` on every mode and :math:`\det S_i \ge 1` for each single mode, hence
    Lieb's bound on the Wehrl entropy. ``S = I`` (a coherent state) is on the boundary.

    Parameters
    ----------
    S : array_like
        Symmetric ``2n x 2n`` matrix, or a stack of them (each is checked).
    tol : float, optional
        Tolerance, relative to the largest entry of ``S``, on the smallest eigenvalue.

    Returns
    -------
    numpy.ndarray
        ``S`` as a float array.

    Raises
    ------
    epcore.errors.ArgumentTypeError
        If ``S`` is not an array of real numbers.
    ValueError
        If it is not a finite symmetric ``2n x 2n`` matrix, not positive definite, or violates
        the uncertainty principle (it is not the Husimi covariance of any state).
    """
    S = check_matrix(S, "the Husimi covariance S", stack=True)
    scale = np.maximum(1.0, np.abs(S).max(axis=(-2, -1)))
    ST = np.swapaxes(S, -1, -2)
    if np.any(np.abs(S - ST).max(axis=(-2, -1)) > 1e-10 * scale):
        raise ValueError("the Husimi covariance S must be symmetric")
    S = (S + ST) / 2
    n = S.shape[-1] // 2
    if np.any(np.linalg.eigvalsh(S).min(axis=-1) <= 0):
        raise ValueError("the Husimi covariance S must be positive definite")
    bound = np.linalg.eigvalsh(S - np.eye(2 * n) / 2 + 0.5j * symplectic_form(n)).min(axis=-1)
    if np.any(bound < -tol * scale):
        bound = float(np.min(bound))
        raise ValueError(
            "S violates the uncertainty principle S - I/2 + i Omega/2 >= 0 (smallest eigenvalue "
            f"{bound:.3g}): it is not the Husimi covariance s + I/2 of any state"
        )
    return S


def symplectic_form(n_modes: int) -> np.ndarray:
    r"""Symplectic form :math:`\Omega = \mathrm{diag}(J, J, \dots)`, :math:`J = ((0, 1), (-1, 0))`.

    With it the Heisenberg equations of :math:`H = R^T G R/2` read :math:`\dot R = \Omega G R`.

    Parameters
    ----------
    n_modes : int
        Number of modes.

    Returns
    -------
    numpy.ndarray
        The ``2n x 2n`` matrix :math:`\Omega`.
    """
    n_modes = check_integer(n_modes, "n_modes", minimum=1, maximum=MAX_MODES)
    return np.kron(np.eye(n_modes), np.array([[0.0, 1.0], [-1.0, 0.0]]))


def hamiltonian_drift(G: np.ndarray) -> np.ndarray:
    r"""Drift :math:`A_H = \Omega G` of the quadratic Hamiltonian :math:`H = R^T G R/2`.

    Parameters
    ----------
    G : numpy.ndarray
        Symmetric ``2n x 2n`` matrix of the Hamiltonian in the quadratures (for one mode,
        :func:`epcore.cavity.quadratic_G`).

    Returns
    -------
    numpy.ndarray
        The Hamiltonian part :math:`A_H` of the drift of Eq. (C24), ``2n x 2n``.
    """
    G = check_matrix(G, "G")
    if not np.allclose(G, G.T, atol=1e-12 * max(1.0, np.abs(G).max())):
        raise ValueError("G must be symmetric: pass the symmetric matrix of H = R^T G R / 2")
    return symplectic_form(G.shape[0] // 2) @ G


def _kappas(kappas, n_modes: int) -> np.ndarray:
    k = np.atleast_1d(check_array(kappas, "the loss rates kappas", ndim=(0, 1)))
    if k.shape != (n_modes,):
        raise ValueError(f"need one loss rate per mode ({n_modes}), got {k.shape[0]}")
    if np.any(k <= 0) or not np.all(np.isfinite(k)):
        raise ValueError(f"every loss rate must be finite and > 0, got {k.tolist()}")
    return k


def loss_drift(kappas) -> tuple[np.ndarray, np.ndarray]:
    r"""Drift and diffusion of the zero-temperature dissipators :math:`2\kappa_i D[a_i]` (Eq. 2).

    Parameters
    ----------
    kappas : float or array_like
        Loss rate :math:`\kappa_i` of each mode.

    Returns
    -------
    tuple of numpy.ndarray
        ``(A_loss, D)`` with :math:`A_\text{loss} = -\mathrm{diag}(\kappa_i, \kappa_i)` and
        :math:`D = \mathrm{diag}(\kappa_i, \kappa_i)`, the loss terms of Eq. (C24).
    """
    k = np.atleast_1d(check_array(kappas, "the loss rates kappas", ndim=(0, 1)))
    k = np.repeat(_kappas(k, k.size), 2)
    return -np.diag(k), np.diag(k)


def require_stable(A: np.ndarray) -> None:
    """Check that the drift ``A`` has a steady state (every eigenvalue in the left half-plane).

    Parameters
    ----------
    A : numpy.ndarray
        The ``2n x 2n`` drift matrix of the linearized model (App. A).

    Raises
    ------
    epcore.errors.UnstableDriftError
        If an eigenvalue of ``A`` has a non-negative real part.
    """
    A = check_matrix(A, "the drift A")
    growth = np.linalg.eigvals(A).real.max()
    if not growth < 0:
        raise UnstableDriftError(
            f"unstable drift: the largest real part of the eigenvalues of A is {growth:.3g} >= 0, "
            "so there is no steady state. Linearize around a stable mean-field branch or "
            "increase the loss rates."
        )


#: Largest :func:`lyapunov_condition` for which the double-precision solvers are trusted.
LYAPUNOV_COND_LIMIT = 1e9
#: ``|tr E| / max|E|`` below which :func:`gaussian_balance` re-evaluates at higher precision.
_TRACE_CANCELLATION = 1e-6


def _require_finite(A: np.ndarray) -> None:
    """Raise ``IllConditionedError`` if the drift has entries that overflowed."""
    if not np.all(np.isfinite(A)):
        raise IllConditionedError(
            "the drift matrix has infinite or NaN entries: its parameters overflow double "
            "precision; lower them (for the Dicke model, lower lam)"
        )


def lyapunov_condition(A: np.ndarray) -> float:
    r"""Round-off amplification of the Lyapunov solve :math:`A X + X A^T + C = 0`.

    The operator :math:`X \mapsto AX + XA^T` has the eigenvalues :math:`a_i + a_j` of pairs of
    eigenvalues of :math:`A`; a double-precision solve (and the closed forms of Eq. 8 that
    multiply :math:`A_H` into the solution) loses about :math:`\log_{10}` of

    .. math::

        \frac{\|A\|_F}{\min_{i \le j} |a_i + a_j|}

    digits. The eigenvalues themselves are only known to :math:`10^{-16}\|A\|_F`, so the
    estimate is at least :math:`10^{16}` whenever that hides the smallest sum.

    Parameters
    ----------
    A : numpy.ndarray
        The drift, ``2n x 2n``, finite.

    Returns
    -------
    float
        The estimate (``inf`` for a zero sum).
    """
    A = np.asarray(A, dtype=float)
    norm = float(np.abs(A).max()) * len(A)  # >= the Frobenius norm, and cannot overflow first
    if norm == 0:
        return 1.0
    ev = np.linalg.eigvals(A)
    sums = np.abs(ev[:, None] + ev[None, :])
    floor = 1e-16 * norm * len(A)
    return norm / max(float(sums.min()), floor)


def _solve_lyapunov(A: np.ndarray, C: np.ndarray) -> np.ndarray:
    """SciPy's Lyapunov solve with its warnings raised as ``IllConditionedError``."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            X = scipy.linalg.solve_continuous_lyapunov(A, C)
        except (RuntimeWarning, scipy.linalg.LinAlgWarning, np.linalg.LinAlgError) as err:
            raise IllConditionedError(
                f"the Lyapunov solve is ill-conditioned ({err}); lyapunov_condition(A) = "
                f"{lyapunov_condition(A):.1e}. Use epcore.gaussian.precise_terms, or bring the "
                "frequencies of the drift closer to its loss rates"
            ) from err
    return X


#: The most working digits :func:`precise_terms` accepts (its solve costs grow as dps^1.6).
MAX_DPS = 2000


def precise_terms(A_H: np.ndarray, kappas, *, dps: int | None = None) -> dict:
    r"""Excess covariance and the closed forms of Eq. (8) in ``mpmath`` at ``dps`` digits.

    The Lyapunov equation of :func:`excess_covariance`,
    :math:`A E + E A^T + (A_H + A_H^T)/2 = 0`, is solved as its
    :math:`4n^2`-dimensional linear system, and :math:`\Pi_u = \tfrac12\mathrm{tr}(A_H S^{-1}
    E)`, :math:`\Pi_d` and :math:`\Phi_q` (:func:`gaussian_terms`) are evaluated at the same
    precision, for drifts whose :func:`lyapunov_condition` exceeds what double precision
    resolves (frequencies far above the loss rates). The input matrices are taken as exact.

    Parameters
    ----------
    A_H : numpy.ndarray
        Hamiltonian drift, ``2n x 2n``, finite.
    kappas : array_like
        Loss rate of each mode.
    dps : int or None, optional
        Working digits, at most ``MAX_DPS``; ``None`` takes 30 plus three times the decades
        of :math:`\|A\|_F / \min\kappa`.

    Returns
    -------
    dict
        ``excess`` (numpy.ndarray, :math:`E = S - I`), ``pi_u`` (float), ``pi_d`` and
        ``phi_q`` (numpy.ndarray, one entry per mode) and ``dps`` (int).

    Raises
    ------
    epcore.errors.IllConditionedError
        A linear system singular at ``dps`` digits (loss rates far too small).
    """
    A_H = check_matrix(A_H, "the Hamiltonian drift A_H")
    m = A_H.shape[0]
    k = _kappas(kappas, m // 2)
    if dps is not None:
        dps = check_integer(dps, "dps", minimum=15, maximum=MAX_DPS)
    else:
        ratio = max(1.0, float(np.abs(A_H).max()) * m / float(k.min()))
        if not math.isfinite(ratio):
            raise IllConditionedError(
                f"the loss rates (smallest {float(k.min()):.1e}) are too small beside the "
                "Hamiltonian drift for any working precision: raise the loss rates"
            )
        dps = 30 + 3 * math.ceil(math.log10(ratio))
    with mpmath.workdps(dps):
        AH = mpmath.matrix(A_H.tolist())
        A = AH.copy()
        for i in range(m):
            A[i, i] -= mpmath.mpf(float(k[i // 2]))
        M = mpmath.zeros(m * m, m * m)
        rhs = mpmath.zeros(m * m, 1)
        for i in range(m):
            for j in range(m):
                row = i * m + j
                rhs[row] = -(AH[i, j] + AH[j, i]) / 2
                for q in range(m):
                    M[row, q * m + j] += A[i, q]  # (A E)_ij
                    M[row, i * m + q] += A[j, q]  # (E A^T)_ij
        try:
            x = mpmath.lu_solve(M, rhs)
        except ZeroDivisionError:
            raise IllConditionedError(
                f"the Lyapunov system is singular at {dps} digits: the loss rates "
                f"{k.tolist()} are too small beside the drift; raise them or rescale the units"
            ) from None
        E = mpmath.matrix(m, m)
        for i in range(m):
            for j in range(m):
                E[i, j] = (x[i * m + j] + x[j * m + i]) / 2
        S = mpmath.eye(m) + E
        Sinv = S**-1
        product = AH * Sinv * E
        pi_u = sum(product[i, i] for i in range(m)) / 2
        quad = E * Sinv * E

        def channel(X, c: int) -> float:
            return float(mpmath.mpf(float(k[c])) * (X[2 * c, 2 * c] + X[2 * c + 1, 2 * c + 1]))

        pi_d = [channel(quad, c) for c in range(m // 2)]
        phi_q = [channel(E, c) for c in range(m // 2)]
        excess = np.array([[float(E[i, j]) for j in range(m)] for i in range(m)])
    return {
        "excess": excess,
        "pi_u": float(pi_u),
        "pi_d": np.array(pi_d),
        "phi_q": np.array(phi_q),
        "dps": int(dps),
    }


def steady_covariance(A: np.ndarray, D: np.ndarray) -> np.ndarray:
    r"""Solve the Lyapunov equation :math:`A s + s A^T + D = 0` (Eq. C24) for the steady covariance.

    Parameters
    ----------
    A : numpy.ndarray
        Full drift matrix :math:`A = A_H + A_\text{loss}`, ``2n x 2n``.
    D : numpy.ndarray
        Diffusion matrix, ``2n x 2n``.

    Returns
    -------
    numpy.ndarray
        The symmetric covariance :math:`s_{ij} = \langle\{R_i, R_j\}\rangle/2` (Eq. C23).

    Raises
    ------
    epcore.errors.UnstableDriftError
        If an eigenvalue of ``A`` has a non-negative real part: then no steady state exists;
        linearize around a stable branch or increase the losses.
    epcore.errors.IllConditionedError
        If ``A`` has non-finite entries, or SciPy warns that the solve is ill-conditioned
        (:func:`precise_terms` solves such drifts).

    Examples
    --------
    >>> import numpy as np
    >>> from epcore import gaussian
    >>> A, D = gaussian.loss_drift([0.5])  # one lossy mode: the vacuum
    >>> bool(np.allclose(gaussian.steady_covariance(A, D), np.eye(2) / 2))
    True
    """
    A = check_matrix(A, "the drift A", even=False)
    D = check_matrix(D, "the diffusion D", even=False)
    if D.shape != A.shape:
        raise ValueError(f"A and D must have the same shape, got {A.shape} and {D.shape}")
    require_stable(A)
    s = _solve_lyapunov(A, -D)
    return (s + s.T) / 2


def husimi_covariance(s: np.ndarray) -> np.ndarray:
    """Covariance :math:`S = s + I/2` of the Husimi function in the quadrature variables (Eq. C26).

    Parameters
    ----------
    s : numpy.ndarray
        Covariance matrix of the state (Eq. C23), ``2n x 2n``.

    Returns
    -------
    numpy.ndarray
        :math:`S`, ``2n x 2n``; the identity for the vacuum.
    """
    s = check_matrix(s, "the covariance s")
    return check_husimi_covariance(s + np.eye(len(s)) / 2)


def excess_covariance(A: np.ndarray, A_H: np.ndarray) -> np.ndarray:
    r"""Excess :math:`e = s - I/2` (zero for the vacuum) from its own Lyapunov equation.

    Subtracting :math:`I/2` from :math:`s` loses every digit of a state close to the vacuum. With
    :math:`A = A_H - \mathrm{diag}(\kappa)` and :math:`D = \mathrm{diag}(\kappa)`, the excess
    solves

    .. math::

        A e + e A^T + (A_H + A_H^T)/2 = 0,

    whose source vanishes for passive Hamiltonians.

    Parameters
    ----------
    A : numpy.ndarray
        Full drift matrix, ``2n x 2n``.
    A_H : numpy.ndarray
        Its Hamiltonian part, ``2n x 2n``.

    Returns
    -------
    numpy.ndarray
        The symmetric excess :math:`s - I/2`, which is also :math:`S - I`.

    Raises
    ------
    epcore.errors.UnstableDriftError
        If an eigenvalue of ``A`` has a non-negative real part.
    epcore.errors.IllConditionedError
        If ``A`` has non-finite entries, or SciPy warns that the solve is ill-conditioned
        (:func:`precise_terms` solves such drifts).
    """
    A = check_matrix(A, "the drift A", even=False)
    A_H = check_matrix(A_H, "the Hamiltonian drift A_H", even=False)
    if A_H.shape != A.shape:
        raise ValueError(f"A and A_H must have the same shape, got {A.shape} and {A_H.shape}")
    require_stable(A)
    e = _solve_lyapunov(A, -(A_H + A_H.T) / 2)
    return (e + e.T) / 2


def solve_lyapunov_batch(A: np.ndarray, C: np.ndarray, *, refine: bool = True) -> np.ndarray:
    r"""Solve :math:`A X + X A^T + C = 0` for a stack of small Lyapunov equations at once.

    Each equation is an :math:`m^2 \times m^2` linear system (row-major vec:
    :math:`\mathrm{vec}(AX) = (A \otimes I)\,\mathrm{vec}\,X`,
    :math:`\mathrm{vec}(XA^T) = (I \otimes A)\,\mathrm{vec}\,X`), all solved in one batched call;
    one step of iterative refinement keeps the residual at round-off. Meant for the few modes of
    this book.

    Parameters
    ----------
    A : numpy.ndarray
        Drift matrices, shape ``(n, m, m)``, each stable.
    C : numpy.ndarray
        Source matrices, shape ``(n, m, m)`` or ``(m, m)`` (shared by all).
    refine : bool, optional
        Do one step of iterative refinement.

    Returns
    -------
    numpy.ndarray
        The symmetrized solutions :math:`X`, shape ``(n, m, m)``.
    """
    A = check_matrix(A, "the drifts A", stack=True, even=False)
    if A.ndim != 3:
        raise ValueError(f"A must be a stack of shape (n, m, m), got shape {A.shape}")
    C = check_matrix(C, "the sources C", stack=True, even=False)
    n, m, _ = A.shape
    if C.shape[-1] != m or (C.ndim == 3 and C.shape[0] != n):
        raise ValueError(f"C must have shape ({n}, {m}, {m}) or ({m}, {m}), got {C.shape}")
    check_memory(8 * 3 * n * m**4, f"{n} Lyapunov systems of size {m * m}")
    growth = np.linalg.eigvals(A).real.max(axis=1)
    if np.any(growth >= 0):
        bad = np.nonzero(growth >= 0)[0]
        raise UnstableDriftError(
            f"unstable drift at entries {bad[:5].tolist()} of the stack (largest real part of "
            f"an eigenvalue {growth.max():.3g} >= 0): the Lyapunov equation has no steady-state "
            "solution; increase the losses"
        )
    eye = np.eye(m)
    M = (np.einsum("nij,kl->nikjl", A, eye) + np.einsum("ij,nkl->nikjl", eye, A)).reshape(
        n, m * m, m * m
    )
    C = np.broadcast_to(C, (n, m, m))
    X = np.linalg.solve(M, -C.reshape(n, m * m, 1))[..., 0].reshape(n, m, m)
    if refine:
        R = A @ X + X @ A.transpose(0, 2, 1) + C
        X = X + np.linalg.solve(M, -R.reshape(n, m * m, 1))[..., 0].reshape(n, m, m)
    return 0.5 * (X + X.transpose(0, 2, 1))


def steady_state_batch(A_H: np.ndarray, kappas) -> tuple[np.ndarray, np.ndarray]:
    """Steady covariances (Eq. C24) and their excesses for a stack of quadratic models.

    ``A_H`` has shape ``(n, 2m, 2m)``; ``kappas`` has one loss rate per mode. Close to the vacuum
    the excess is refined with its own Lyapunov equation (see :func:`excess_covariance`), and it
    is exactly zero for a passive Hamiltonian (:math:`A_H` antisymmetric).

    Parameters
    ----------
    A_H : numpy.ndarray
        Hamiltonian drifts, shape ``(n, 2m, 2m)``.
    kappas : array_like
        One loss rate per mode.

    Returns
    -------
    tuple of numpy.ndarray
        ``(s, s - I/2)``, each of shape ``(n, 2m, 2m)``.

    Raises
    ------
    epcore.errors.UnstableDriftError
        If any drift is unstable; the message names the unstable entries of the stack.
    """
    A_H = check_matrix(A_H, "the Hamiltonian drifts A_H", stack=True)
    if A_H.ndim != 3:
        raise ValueError(f"A_H must be a stack of shape (n, 2m, 2m), got shape {A_H.shape}")
    n, m, _ = A_H.shape
    k = _kappas(kappas, m // 2)
    A = A_H - np.diag(np.repeat(k, 2))
    growth = np.linalg.eigvals(A).real.max(axis=1)
    if np.any(growth >= 0):
        bad = np.nonzero(growth >= 0)[0]
        raise UnstableDriftError(
            f"unstable drift at entries {bad[:5].tolist()} of the stack (largest real part of "
            f"an eigenvalue {growth.max():.3g} >= 0): no steady state; increase the losses"
        )
    s = solve_lyapunov_batch(A, np.diag(np.repeat(k, 2)))
    excess = s - np.eye(m) / 2
    source = (A_H + A_H.transpose(0, 2, 1)) / 2
    near = np.abs(excess).max(axis=(1, 2)) < 1.0
    if near.any():
        An, En = A[near], excess[near]
        R = An @ En + En @ An.transpose(0, 2, 1) + source[near]
        excess[near] = En + solve_lyapunov_batch(An, R, refine=False)
    excess[~source.any(axis=(1, 2))] = 0.0
    return s, excess


def gaussian_terms(
    A_H: np.ndarray,
    S: np.ndarray,
    kappas,
    *,
    excess: np.ndarray | None = None,
    per_mode: bool = False,
):
    r"""Closed forms of :math:`\Pi_u`, :math:`\Pi_d` and :math:`\Phi_q` (Eqs. 7-8) for a Gaussian.

    The terms do not depend on the mean: the displacement only enters :math:`\Pi_\text{ext}`.
    Close to the vacuum they are evaluated through the excess :math:`E = S - I`
    (:math:`\mathrm{tr} A_H = 0`),

    .. math::

        \Pi_u = \tfrac12 \mathrm{tr}(A_H S^{-1} E), \qquad
        \Pi_d = \sum_i \kappa_i \mathrm{tr}_i(E S^{-1} E),

    so that nothing cancels; far from it (large, possibly ill-conditioned :math:`S`) through the
    forms of the module docstring, which avoid products of a large :math:`E` with
    :math:`S^{-1}`.

    Parameters
    ----------
    A_H : numpy.ndarray
        Hamiltonian part of the drift, ``(2m, 2m)`` or a stack ``(..., 2m, 2m)``.
    S : numpy.ndarray
        Husimi covariance :math:`S = s + I/2` (Eq. C26), same shape as ``A_H``.
    kappas : array_like
        Loss rate of each mode.
    excess : numpy.ndarray or None, optional
        :math:`E = S - I`, when it is known more accurately than ``S - I`` (for instance from
        :func:`excess_covariance`); ``None`` computes ``S - I``.
    per_mode : bool, optional
        Return :math:`\Pi_d` and :math:`\Phi_q` per loss channel (last axis) instead of their
        sums.

    Returns
    -------
    tuple
        ``(pi_u, pi_d, phi_q)``: floats for a single ``S``, arrays over the leading axes of a
        stack; with ``per_mode``, ``pi_d`` and ``phi_q`` have one more axis, one entry per mode.
    """
    S = check_matrix(S, "the Husimi covariance S", stack=True)
    A_H = check_matrix(A_H, "the Hamiltonian drift A_H", stack=True)
    if A_H.shape[-2:] != S.shape[-2:]:
        raise ValueError(f"A_H and S must have the same shape, got {A_H.shape} and {S.shape}")
    check_husimi_covariance(S)
    dim = S.shape[-1]
    k = _kappas(kappas, dim // 2)
    eye = np.eye(dim)
    if excess is None:
        E = S - eye
    else:
        E = check_matrix(excess, "the excess E", stack=True)
        if E.shape != S.shape:
            raise ValueError(f"excess and S must have the same shape, got {E.shape}, {S.shape}")
    Sinv = np.linalg.inv(S)
    near = np.abs(E).max(axis=(-2, -1)) < 1.0
    pi_u = np.where(
        near,
        0.5 * np.einsum("...ij,...jk,...ki->...", A_H, Sinv, E),
        -0.5 * np.einsum("...ij,...ji->...", A_H, Sinv),
    )
    quad = np.where(near[..., None, None], E @ Sinv @ E, S - 2 * eye + Sinv)

    def per_channel(M):
        return k * np.diagonal(M, axis1=-2, axis2=-1).reshape(*M.shape[:-2], -1, 2).sum(-1)

    pi_d, phi_q = per_channel(quad), per_channel(E)
    if not per_mode:
        pi_d, phi_q = pi_d.sum(-1), phi_q.sum(-1)
    if S.ndim == 2:
        pi_u = float(pi_u)
        if not per_mode:
            pi_d, phi_q = float(pi_d), float(phi_q)
    return pi_u, pi_d, phi_q


def gaussian_balance(A_H: np.ndarray, kappas, mean_photons=0.0) -> GaussianBalance:
    r"""Full entropy balance (Eqs. 7-8) of the steady state of a quadratic model with losses.

    ``mean_photons`` holds the per-mode :math:`|\langle a_i\rangle|^2`, entering
    :math:`\Pi_\text{ext} = \Phi_\text{ext} = \sum_i 2\kappa_i |\langle a_i\rangle|^2` (Eq. 9).
    :math:`\Pi_u` carries an absolute round-off error of about :math:`10^{-16}\,\mathrm{cond}(S)`
    times the drift scale, so a strongly non-normal drift close to instability (``cond`` near
    1e16) leaves it without a correct digit. A drift whose Lyapunov solve double precision
    cannot resolve (:func:`lyapunov_condition` above ``LYAPUNOV_COND_LIMIT``) is solved and
    evaluated by :func:`precise_terms` instead, and so is a weakly squeezed state whose
    excess :math:`E` is traceless to six digits (then :math:`\Phi_q \propto \mathrm{tr} E`
    is a difference of nearly equal numbers).

    Parameters
    ----------
    A_H : numpy.ndarray
        Hamiltonian part of the drift, :math:`\Omega G`, ``2m x 2m``.
    kappas : array_like
        Loss rate of each mode (> 0).
    mean_photons : float or array_like, optional
        :math:`|\langle a_i\rangle|^2` of each mode, or one value for all; default 0.

    Returns
    -------
    GaussianBalance
        The five terms, with ``pi_u + pi_d = phi_q`` (Eq. 10). Diagnostic fields: ``covariance``
        (numpy.ndarray, :math:`s` of Eq. C23), ``husimi_cov`` (numpy.ndarray, :math:`S = s + I/2`
        of Eq. C26) and ``cond`` (float, the condition number of :math:`S`).

    Raises
    ------
    epcore.errors.UnstableDriftError
        If the drift :math:`A_H - \mathrm{diag}(\kappa_i)` is unstable (no steady state).
    epcore.errors.IllConditionedError
        If the drift has non-finite entries.
    """
    A_H = check_matrix(A_H, "the Hamiltonian drift A_H")
    n = A_H.shape[0] // 2
    k = _kappas(kappas, n)
    mean_photons = check_array(mean_photons, "mean_photons", ndim=(0, 1), minimum=0.0)
    if mean_photons.size not in (1, n):
        raise ValueError(f"need one mean photon number or one per mode ({n})")
    A_loss, _ = loss_drift(k)
    A = A_H + A_loss
    _require_finite(A)
    require_stable(A)
    if lyapunov_condition(A) > LYAPUNOV_COND_LIMIT:
        # double precision cannot resolve the solve (frequencies far above the losses)
        precise = precise_terms(A_H, k)
        excess = precise["excess"]
        pi_u = precise["pi_u"]
        pi_d, phi_q = float(precise["pi_d"].sum()), float(precise["phi_q"].sum())
    else:
        excess = excess_covariance(A, A_H)  # s - I/2
        pi_u, pi_d, phi_q = gaussian_terms(A_H, excess + np.eye(2 * n), k, excess=excess)
        if abs(np.trace(excess)) < _TRACE_CANCELLATION * np.abs(excess).max():
            # weak squeezing: E ~ r is nearly traceless and tr E ~ r^2, so Phi_q and Pi_u
            # keep only 1e-16 r / r^2 of relative accuracy in double precision
            precise = precise_terms(A_H, k)
            excess = precise["excess"]
            pi_u = precise["pi_u"]
            pi_d, phi_q = float(precise["pi_d"].sum()), float(precise["phi_q"].sum())
    s = excess + np.eye(2 * n) / 2
    S = husimi_covariance(s)
    ext = float(np.sum(2 * k * np.broadcast_to(np.asarray(mean_photons, float), (n,))))
    return GaussianBalance(ext, pi_u, pi_d, ext, phi_q, covariance=s, husimi_cov=S,
                           cond=float(np.linalg.cond(S)))


def gaussian_wehrl(S: np.ndarray) -> float:
    r"""Wehrl entropy (Eq. 4) of an n-mode Gaussian Husimi function with covariance :math:`S`.

    .. math::

        -\int Q\ln Q\, d^{2n}\mu = n(1 + \ln\pi) + \tfrac12 \ln\det S;

    the vacuum (:math:`S = I`) gives the Lieb minimum :math:`1 + \ln\pi` per mode.

    Parameters
    ----------
    S : numpy.ndarray
        Husimi covariance (Eq. C26), ``2n x 2n``.

    Returns
    -------
    float
        The entropy in nats.

    Raises
    ------
    ValueError
        If ``S`` is not the Husimi covariance of a state: not symmetric, not positive
        definite, or violating the uncertainty principle (:func:`check_husimi_covariance`);
        such an ``S`` would give an entropy below Lieb's bound.
    """
    S = check_matrix(S, "the Husimi covariance S")
    S = check_husimi_covariance(S)
    sign, logdet = np.linalg.slogdet(S)
    return S.shape[0] // 2 * (1 + np.log(np.pi)) + 0.5 * logdet


def steady_unitary_production(S: np.ndarray, kappas) -> float:
    r"""Steady-state form :math:`\Pi_u = \sum_i \kappa_i (2 - \mathrm{tr}_i S^{-1})` (Eq. 8).

    Multiplying the Lyapunov equation (Eq. C24), written for :math:`S = s + I/2`, by
    :math:`S^{-1}` and taking the trace turns :math:`-\frac12\mathrm{tr}(A_H S^{-1})` into this
    expression (zero-temperature losses). Since every Gaussian state has
    :math:`0 < \mathrm{tr}_i S^{-1} \le 2` for each mode, it gives
    :math:`0 \le \Pi_u < 2\sum_i \kappa_i` (the bound proved in the book). Only valid for the
    steady state of the model whose loss rates are ``kappas``.

    Parameters
    ----------
    S : numpy.ndarray
        Husimi covariance :math:`s + I/2` (``2m x 2m``) of the steady state.
    kappas : array_like
        Loss rate of each mode (> 0).

    Returns
    -------
    float
        :math:`\Pi_u` of Eq. (8) in the steady state.
    """
    S = check_husimi_covariance(check_matrix(S, "the Husimi covariance S"))
    k = _kappas(kappas, S.shape[0] // 2)
    blocks = np.diagonal(np.linalg.inv(S)).reshape(-1, 2).sum(-1)
    return float(np.sum(k * (2 - blocks)))


def thermal_gaussian_balance(A_H: np.ndarray, kappas, n_bath) -> GaussianBalance:
    r"""Gaussian closed forms of Eqs. (7)-(8) with thermal loss channels of occupation ``n_bath``.

    The dissipator of mode :math:`i` is
    :math:`2\kappa_i(n_i + 1)D[a_i] + 2\kappa_i n_i D[a_i^\dagger]`; the Husimi current becomes
    :math:`J_i = \kappa_i(\mu_i Q + (n_i + 1)\partial_{\bar\mu_i} Q)` and the flux
    :math:`\Phi = \sum_i 2\kappa_i(\langle a_i^\dagger a_i\rangle - n_i)/(n_i + 1)`. The covariance
    solves :math:`A s + s A^T + \mathrm{diag}(\kappa_i(2n_i + 1)) = 0` and, with
    :math:`S = s + I/2`,

    .. math::

        \Pi_u &= -\tfrac12 \mathrm{tr}(A_H S^{-1})
            \quad \text{(unchanged: it does not see the bath)}, \\
        \Pi_d &= \sum_i \kappa_i \,
            \mathrm{tr}_i\!\left(S - 2(n_i+1)I + (n_i+1)^2 S^{-1}\right)/(n_i + 1), \\
        \Phi_q &= \sum_i \kappa_i\, (\mathrm{tr}_i S - 2(n_i + 1))/(n_i + 1).

    ``n_bath = 0`` gives :func:`gaussian_balance`; :math:`\Pi_u + \Pi_d = \Phi_q` in the steady
    state.

    Parameters
    ----------
    A_H : numpy.ndarray
        Hamiltonian drift :math:`\Omega G` (``2m x 2m``).
    kappas : array_like
        Loss rate of each mode (> 0).
    n_bath : float or array_like
        Bath occupation of each mode (>= 0), one value for all modes or one per mode.

    Returns
    -------
    GaussianBalance
        ``pi_ext = phi_ext = 0`` (no mean field). Diagnostic fields: ``covariance``
        (numpy.ndarray, :math:`s`), ``husimi_cov`` (numpy.ndarray, :math:`S = s + I/2`) and
        ``n_bath`` (numpy.ndarray, the occupation of each mode).

    Raises
    ------
    epcore.errors.UnstableDriftError
        If the drift is unstable (no steady state).
    """
    A_H = check_matrix(A_H, "the Hamiltonian drift A_H")
    m = A_H.shape[0] // 2
    k = _kappas(kappas, m)
    nb = check_array(n_bath, "the bath occupations n_bath", ndim=(0, 1), bounded=True)
    if nb.size not in (1, m):
        raise ValueError(f"need one bath occupation or one per mode ({m}), got {nb.size}")
    nb = np.broadcast_to(nb, (m,)).copy()
    if np.any(nb < 0) or not np.all(np.isfinite(nb)):
        raise ValueError(f"bath occupations must be finite and >= 0, got {nb.tolist()}")
    A = A_H - np.diag(np.repeat(k, 2))
    s = steady_covariance(A, np.diag(np.repeat(k * (2 * nb + 1), 2)))
    S = husimi_covariance(s)
    Sinv = np.linalg.inv(S)
    trS = np.diagonal(S).reshape(-1, 2).sum(-1)
    trSinv = np.diagonal(Sinv).reshape(-1, 2).sum(-1)
    pi_u = float(-0.5 * np.trace(A_H @ Sinv))
    pi_d = float(np.sum(k * (trS - 4 * (nb + 1) + (nb + 1) ** 2 * trSinv) / (nb + 1)))
    phi_q = float(np.sum(k * (trS - 2 * (nb + 1)) / (nb + 1)))
    return GaussianBalance(0.0, pi_u, pi_d, 0.0, phi_q, covariance=s, husimi_cov=S, n_bath=nb)


def check_channels(rates, occupations, n_modes: int) -> tuple[np.ndarray, np.ndarray]:
    """Loss channels as checked ``(channels, modes)`` arrays of rates and occupations.

    Parameters
    ----------
    rates : array_like
        Rate of each channel on each mode (``>= 0``), shape ``(channels, modes)`` or
        ``(modes,)`` for one channel; every mode needs a positive total rate.
    occupations : array_like
        Bath occupation of each channel (``>= 0``): one number, or the shape of ``rates``.
    n_modes : int
        Number of modes.

    Returns
    -------
    tuple of numpy.ndarray
        The rates and the occupations, both of shape ``(channels, modes)``.
    """
    r = check_array(rates, "the channel rates", ndim=(1, 2), minimum=0.0, bounded=True)
    r = r.reshape(1, -1) if r.ndim == 1 else r
    if r.shape[1] != n_modes:
        raise ValueError(f"the channel rates must have shape (channels, {n_modes}), got "
                         f"{r.shape}")
    if r.shape[0] > 100:
        raise ValueError(f"at most 100 channels per mode, got {r.shape[0]}")
    nb = check_array(occupations, "the channel occupations", ndim=(0, 1, 2), minimum=0.0,
                     bounded=True)
    if nb.ndim == 1 and r.shape[0] == 1 and nb.size == n_modes:
        nb = nb.reshape(1, -1)
    try:
        nb = np.broadcast_to(nb, r.shape).copy()
    except ValueError:
        raise ValueError(f"the occupations (shape {nb.shape}) must be one number or have the "
                         f"shape of the rates {r.shape}") from None
    if np.any(r.sum(0) <= 0):
        raise ValueError("every mode needs a positive total loss rate (sum over its channels)")
    return r, nb


def channel_balance(A_H: np.ndarray, rates, occupations) -> GaussianBalance:
    r"""Gaussian closed forms of Eqs. (7)-(8) with several thermal loss channels per mode.

    Channel :math:`c` on mode :math:`i` is the dissipator
    :math:`2r_{ci}(n_{ci} + 1)D[a_i] + 2r_{ci} n_{ci} D[a_i^\dagger]` (rate :math:`r_{ci}` in
    the book's :math:`2\kappa D` form, bath occupation :math:`n_{ci}`). In the quadratures
    :math:`x` its Husimi current is :math:`J_c = -r_{ci}P_i(x Q + (n_{ci} + 1)\nabla Q)`
    (:math:`P_i` projects on mode :math:`i`), the paper's
    :math:`J = \kappa(\mu Q + (n+1)\partial_{\bar\mu}Q)` for one channel, with diffusion
    :math:`D_c = r_{ci}(n_{ci} + 1)` per quadrature. The covariance solves
    :math:`A s + s A^T + \mathcal D = 0` with :math:`A = A_H - \mathrm{diag}(\sum_c r_{ci})`
    and :math:`\mathcal D = \mathrm{diag}(\sum_c r_{ci}(2n_{ci} + 1))`. On the Gaussian
    :math:`Q` (covariance :math:`S = s + I/2`, :math:`\nabla Q = -S^{-1}xQ`),
    :math:`\Pi_d = \sum_c \int |J_c|^2/(D_c Q)` and the flux of each channel integrate to

    .. math::

        \Pi_u &= -\tfrac12\mathrm{tr}(A_H S^{-1}), \\
        \Pi_d &= \sum_{c,i} \frac{r_{ci}}{n_{ci} + 1}\,
            \mathrm{tr}_i\!\left(F_{ci} S^{-1} F_{ci}\right), \qquad
            F_{ci} = S - (n_{ci} + 1) I, \\
        \Phi_q &= \sum_{c,i} \frac{r_{ci}}{n_{ci} + 1}\,\mathrm{tr}_i F_{ci}
            = \sum_{c,i} \frac{2r_{ci}(\langle\delta a_i^\dagger\delta a_i\rangle - n_{ci})}
            {n_{ci} + 1},

    (:math:`F S^{-1} F = S - 2(n+1)I + (n+1)^2S^{-1}`, so each channel's term is
    :math:`\ge 0`). Tracing the Lyapunov equation of :math:`S` against :math:`S^{-1}` gives
    the steady-state form :math:`\Pi_u = \sum_{c,i} r_{ci}(2 - (n_{ci}+1)\mathrm{tr}_i
    S^{-1})`, and :math:`\Pi_u + \Pi_d = \Phi_q` (Eq. 10). One channel per mode is
    :func:`thermal_gaussian_balance`; zero occupations are :func:`gaussian_balance` with the
    rates summed over channels. The excess :math:`E = S - I` is solved from its own Lyapunov
    equation, :math:`A E + E A^T + (A_H + A_H^T)/2 + \mathrm{diag}(2\sum_c r_{ci}n_{ci}) = 0`,
    so that states near the vacuum keep their relative accuracy.

    Parameters
    ----------
    A_H : numpy.ndarray
        Hamiltonian drift :math:`\Omega G` (``2m x 2m``).
    rates : array_like
        :math:`r_{ci} \ge 0`, shape ``(channels, m)`` (or ``(m,)`` for one channel); every
        mode needs a positive total rate.
    occupations : float or array_like
        :math:`n_{ci} \ge 0`, one number or the shape of ``rates``.

    Returns
    -------
    GaussianBalance
        ``pi_ext = phi_ext = 0``. Diagnostic fields: ``covariance`` (:math:`s`), ``husimi_cov``
        (:math:`S`), ``excess`` (:math:`E`), ``pi_d_channels`` and ``phi_q_channels``
        (arrays ``(channels, m)``, each channel's term), ``rates``, ``occupations``.

    Raises
    ------
    ValueError
        Rates or occupations negative, not finite or of the wrong shape, or a mode with no
        loss.
    epcore.errors.UnstableDriftError
        If the drift is unstable (no steady state).
    epcore.errors.IllConditionedError
        If the drift overflows or the Lyapunov solve is ill-conditioned.
    """
    A_H = check_matrix(A_H, "the Hamiltonian drift A_H")
    m = A_H.shape[0] // 2
    r, nb = check_channels(rates, occupations, m)
    ktot = r.sum(0)
    A = A_H - np.diag(np.repeat(ktot, 2))
    _require_finite(A)
    require_stable(A)
    source = (A_H + A_H.T) / 2 + np.diag(np.repeat(2 * (r * nb).sum(0), 2))
    E = _solve_lyapunov(A, -source)
    E = (E + E.T) / 2
    eye = np.eye(2 * m)
    S = husimi_covariance(E + eye / 2)
    Sinv = np.linalg.inv(S)
    if np.abs(E).max() < 1.0:
        pi_u = float(0.5 * np.trace(A_H @ Sinv @ E))
    else:
        pi_u = float(-0.5 * np.trace(A_H @ Sinv))
    pi_d = np.zeros(r.shape)
    phi_q = np.zeros(r.shape)
    for c in range(r.shape[0]):
        for i in range(m):
            if r[c, i] == 0:
                continue
            F = E - nb[c, i] * eye
            blk = slice(2 * i, 2 * i + 2)
            quad = (F @ Sinv @ F)[blk, blk]
            pi_d[c, i] = r[c, i] * np.trace(quad) / (nb[c, i] + 1)
            phi_q[c, i] = r[c, i] * np.trace(F[blk, blk]) / (nb[c, i] + 1)
    return GaussianBalance(0.0, pi_u, float(pi_d.sum()), 0.0, float(phi_q.sum()),
                           covariance=E + eye / 2, husimi_cov=S, excess=E, pi_d_channels=pi_d,
                           phi_q_channels=phi_q, rates=r, occupations=nb)


def unitary_share_at_instability(n_modes: int, draws: int, *, seed: int = 0,
                                 margin: float = 1e-7) -> np.ndarray:
    r"""Share :math:`\Pi_u/(2\sum_i\kappa_i)` of random quadratic models pushed to instability.

    :math:`\Pi_u` is the Gaussian closed form of Eq. (8), :math:`-\frac12\mathrm{tr}(A_H S^{-1})`.
    Each draw takes a random symmetric :math:`G` (Gaussian entries) and log-normal loss rates,
    scales :math:`G` by the factor :math:`t^*` at which the drift first becomes unstable
    (bisection) and evaluates the steady state at :math:`t^*(1 - \text{margin})`. Used to probe
    how close the bound :math:`0 \le \Pi_u < 2\sum_i\kappa_i` comes to being reached.

    Parameters
    ----------
    n_modes : int
        Number of modes (>= 1).
    draws : int
        Number of random models (>= 1).
    seed : int, optional
        Seed of ``numpy.random.default_rng``.
    margin : float, optional
        Relative distance from the instability, in (0, 1).

    Returns
    -------
    numpy.ndarray
        One share per draw that became unstable at a finite scale.
    """
    n_modes = check_integer(n_modes, "n_modes", minimum=1, maximum=50)
    draws = check_integer(draws, "draws", minimum=1, maximum=100_000)
    margin = check_real(margin, "margin", positive=True)
    if not 0 < margin < 1:
        raise ValueError("need n_modes >= 1, draws >= 1 and 0 < margin < 1")
    rng = np.random.default_rng(seed)
    shares = []
    for _ in range(draws):
        X = rng.normal(size=(2 * n_modes, 2 * n_modes))
        G = (X + X.T) / 2
        k = np.exp(2 * rng.normal(size=n_modes))
        A_loss = -np.diag(np.repeat(k, 2))
        A_H = hamiltonian_drift(G)

        def growth(t, A_H=A_H, A_loss=A_loss):
            return np.linalg.eigvals(t * A_H + A_loss).real.max()

        hi = 1.0
        while growth(hi) < 0 and hi < 1e6:
            hi *= 2
        if hi >= 1e6:
            continue
        lo = 0.0
        for _ in range(80):  # bisection to the first instability
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if growth(mid) < 0 else (lo, mid)
        b = gaussian_balance((1 - margin) * lo * A_H, k)
        shares.append(b.pi_u / (2 * k.sum()))
    return np.array(shares)


def qnd_pair_model(coupling, kappa_b, *, omega: float = 1.0,
                   kappa_a: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    r"""Two modes coupled through their positions, :math:`H = \omega a^\dagger a + \lambda q_a q_b`.

    With :math:`q = (a + a^\dagger)/\sqrt2`, :math:`\lambda q_a q_b =
    \tfrac\lambda2(a + a^\dagger)(b + b^\dagger)`; mode :math:`b` has no frequency of its own,
    so :math:`q_b` commutes with :math:`H` (a quantum non-demolition variable) and relaxes only
    through the loss :math:`2\kappa_b D[b]`. The drift is block triangular in the order
    :math:`(q_b; q_a, p_a; p_b)`, with eigenvalues :math:`-\kappa_b` (twice) and
    :math:`-\kappa_a \pm i\omega`: the model is stable for every coupling. It is the family
    that makes the bound :math:`\Pi_u < 2\sum_i\kappa_i` of the book's chapter 3 sharp
    (:func:`sharp_bound_family`).

    Parameters
    ----------
    coupling : float
        :math:`\lambda` (> 0).
    kappa_b : float
        Loss rate of mode :math:`b` (> 0).
    omega : float, optional
        Frequency :math:`\omega` of mode :math:`a`; default 1.
    kappa_a : float, optional
        Loss rate of mode :math:`a` (> 0); default 1.

    Returns
    -------
    tuple of numpy.ndarray
        ``(G, kappas)``: the ``4 x 4`` matrix of :math:`H = R^T G R/2` in the order
        :math:`R = (q_a, p_a, q_b, p_b)` (pass it to :func:`hamiltonian_drift`) and the loss
        rates ``[kappa_a, kappa_b]``.
    """
    lam = check_real(coupling, "the coupling lambda", positive=True)
    kb = check_real(kappa_b, "the loss rate kappa_b", positive=True)
    ka = check_real(kappa_a, "the loss rate kappa_a", positive=True)
    w = check_real(omega, "the frequency omega")
    G = np.array([[w, 0.0, lam, 0.0], [0.0, w, 0.0, 0.0], [lam, 0.0, 0.0, 0.0],
                  [0.0, 0.0, 0.0, 0.0]])
    return G, np.array([ka, kb])


#: Range of the loss ratios :math:`\kappa_b/\kappa_a` that :func:`sharp_bound_family` accepts.
SHARP_RATIO_RANGE = (1e-6, 1e3)
#: Range of the couplings :math:`\lambda/\kappa_a` that :func:`sharp_bound_family` accepts.
SHARP_COUPLING_RANGE = (1e-6, 1e9)
#: Largest :math:`|\omega|/\kappa_a` that :func:`sharp_bound_family` accepts.
SHARP_OMEGA_MAX = 1e6
#: Agreement, in units of :math:`2\sum_i\kappa_i`, required of the three routes to :math:`\Pi_u`.
SHARP_TOLERANCE = 1e-9


def _qnd_pair_terms(lam: float, r: float, w: float) -> dict:
    r"""Steady state of :func:`qnd_pair_model` (units :math:`\kappa_a = 1`) by two routes.

    The Husimi covariance grows as :math:`\lambda^4` along :math:`p_b`, so the direct solve is
    ill-conditioned. The coordinates :math:`x = DR`, :math:`D = \mathrm{diag}(1/\Lambda,
    1/\Lambda, 1, \min(1, r)/\Lambda^2)`, :math:`\Lambda = \max(1, \lambda)`, turn the drift
    into :math:`\tilde A = DAD^{-1}`, whose entries do not grow with :math:`\lambda`; the
    Lyapunov equation is solved there, with diffusion :math:`DKD`, and
    :math:`S^{-1} = D\tilde S^{-1}D`, :math:`\tilde S = DSD`. The second route is
    :func:`precise_terms` on the unscaled drift.
    """
    G, k = qnd_pair_model(lam, r, omega=w)
    A_H = hamiltonian_drift(G)
    K = np.diag(np.repeat(k, 2))
    A = A_H - K
    big = max(1.0, lam)
    d = np.array([1 / big, 1 / big, 1.0, min(1.0, r) / big**2])
    At = d[:, None] * A / d[None, :]
    eig = np.linalg.eigvals(At)  # the spectrum of A, from a matrix of moderate entries
    growth = float(eig.real.max())
    if not growth < 0:
        raise UnstableDriftError(f"unstable drift (largest real part {growth:.3g})")
    Dt = np.diag(np.diag(K) * d**2)
    st = _solve_lyapunov(At, -Dt)
    st = (st + st.T) / 2
    St = st + np.diag(d**2) / 2
    Pt = np.linalg.inv(St)
    tr_a = d[0] ** 2 * (Pt[0, 0] + Pt[1, 1])
    tr_b = d[2] ** 2 * Pt[2, 2] + d[3] ** 2 * Pt[3, 3]
    pi_steady = float(k[0] * (2 - tr_a) + k[1] * (2 - tr_b))
    pi_hamilton = float(-0.5 * np.trace((d[:, None] * A_H * d[None, :]) @ Pt))
    # the residual of Eq. (C24) with rows and columns scaled by D (entries of order one)
    residual = float(np.abs(At @ st + st @ At.T + Dt).max()
                     / (np.abs(At).max() * np.abs(st).max()))
    pi_precise = precise_terms(A_H, k)["pi_u"]
    scale = 2 * float(k.sum())
    spread = max(abs(pi_hamilton - pi_steady), abs(pi_precise - pi_steady)) / scale
    if not (spread <= SHARP_TOLERANCE and residual <= 1e-12):
        raise IllConditionedError(
            f"the routes to Pi_u disagree by {spread:.1e} of 2 sum kappa (Lyapunov residual "
            f"{residual:.1e}) at lambda = {lam:g}, kappa_b/kappa_a = {r:g}: raise the ratio or "
            "lower the coupling"
        )
    return {"share": pi_steady / scale, "pi_u": pi_hamilton, "pi_u_steady": pi_steady,
            "pi_u_precise": pi_precise, "trace_a": float(tr_a), "trace_b": float(tr_b),
            "residual": residual, "growth": growth}


def sharp_bound_family(ratios, *, couplings=None, omega: float = 1.0) -> dict:
    r"""Stable two-mode models whose unitary share :math:`\Pi_u/(2\sum_i\kappa_i)` tends to 1.

    Each ratio :math:`r = \kappa_b/\kappa_a` gives the model of :func:`qnd_pair_model` with
    :math:`\kappa_a = 1`, :math:`\kappa_b = r` and, by default, :math:`\lambda = 1/r` (in
    units of :math:`\kappa_a`). In the coordinates :math:`(q_a/\lambda, p_a/\lambda, q_b,
    p_b/\lambda^2)` the drift does not depend on :math:`\lambda`, so
    :math:`\mathrm{tr}_a S^{-1} = O(\lambda^{-2})` and, by the steady-state form
    :math:`\Pi_u = \sum_i\kappa_i(2 - \mathrm{tr}_i S^{-1})` (book, chapter 3), the share tends
    to :math:`(2\kappa_a + \kappa_b)/(2\kappa_a + 3\kappa_b)` as :math:`\lambda \to \infty`
    (exact limit of the Lyapunov solution), which tends to 1 as :math:`r \to 0`. Along the
    default family the share is :math:`1 - 9r + O(r^2)` for :math:`\omega = \kappa_a`.

    Every model is checked: its drift is stable; the Lyapunov equation (Eq. C24) is solved in
    the rescaled coordinates, where its relative residual must be at round-off; and
    :math:`\Pi_u` is evaluated three ways that must agree to ``SHARP_TOLERANCE`` of
    :math:`2\sum_i\kappa_i`: :math:`-\frac12\mathrm{tr}(A_H S^{-1})` (Eq. 8),
    :math:`\sum_i\kappa_i(2 - \mathrm{tr}_i S^{-1})`, and :func:`precise_terms` on the
    unscaled drift.

    Parameters
    ----------
    ratios : float or array_like
        Loss ratios :math:`\kappa_b/\kappa_a` within ``SHARP_RATIO_RANGE``.
    couplings : float or array_like or None, optional
        :math:`\lambda/\kappa_a` for each ratio, within ``SHARP_COUPLING_RANGE``; ``None``
        takes :math:`\kappa_a/r`.
    omega : float, optional
        :math:`\omega/\kappa_a`, at most ``SHARP_OMEGA_MAX`` in magnitude; default 1.

    Returns
    -------
    dict
        Arrays with one entry per ratio: ``ratio``, ``coupling``, ``share`` (the steady-state
        form over :math:`2\sum_i\kappa_i`), ``share_limit``
        (:math:`(2 + r)/(2 + 3r)`, the limit :math:`\lambda \to \infty`), ``pi_u``
        (:math:`-\frac12\mathrm{tr}(A_H S^{-1})`), ``pi_u_steady``, ``pi_u_precise``,
        ``trace_a`` and ``trace_b`` (:math:`\mathrm{tr}_i S^{-1}`), ``residual`` (relative
        Lyapunov residual) and ``growth`` (largest real part of the drift's eigenvalues).

    Raises
    ------
    epcore.errors.IllConditionedError
        If the three routes to :math:`\Pi_u` disagree or the Lyapunov residual is not at
        round-off.
    """
    r = np.atleast_1d(check_array(ratios, "the loss ratios kappa_b/kappa_a", ndim=(0, 1),
                                  positive=True))
    lo, hi = SHARP_RATIO_RANGE
    if r.size > 1000 or np.any(r < lo) or np.any(r > hi):
        raise ValueError(f"need at most 1000 ratios kappa_b/kappa_a within [{lo:g}, {hi:g}]")
    if couplings is None:
        lam = 1.0 / r
    else:
        lam = np.atleast_1d(check_array(couplings, "the couplings lambda/kappa_a",
                                        ndim=(0, 1), positive=True))
        if lam.shape != r.shape:
            raise ValueError(f"need one coupling per ratio ({r.size}), got {lam.size}")
    lo, hi = SHARP_COUPLING_RANGE
    if np.any(lam < lo) or np.any(lam > hi):
        raise ValueError(f"the couplings lambda/kappa_a must lie within [{lo:g}, {hi:g}]")
    w = check_real(omega, "the frequency omega/kappa_a", minimum=-SHARP_OMEGA_MAX,
                   maximum=SHARP_OMEGA_MAX)
    rows = [_qnd_pair_terms(float(x), float(y), w) for x, y in zip(lam, r, strict=True)]
    out = {key: np.array([row[key] for row in rows]) for key in rows[0]}
    out.update(ratio=r, coupling=lam, share_limit=(2 + r) / (2 + 3 * r))
    return out
