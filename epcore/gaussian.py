"""Gaussian states of lossy bosonic modes: Lyapunov steady state, closed-form entropy terms.

Quadratures per mode are ``q = (a + a^dag)/sqrt(2)``, ``p = i(a^dag - a)/sqrt(2)``, ordered
``(q_1, p_1, q_2, p_2, ...)``. The covariance ``s_ij = <{R_i, R_j}>/2`` of the steady state of a
quadratic model solves ``A s + s A^T + D = 0`` (Eq. C24), with ``A = A_H + A_loss``,
``A_loss = -diag(kappa_i, kappa_i)`` and ``D = diag(kappa_i, kappa_i)``. The Husimi function is a
Gaussian with covariance ``S = s + I/2`` (Eq. C26), and Eqs. (6)-(8) integrate in closed form:

* ``Pi_u  = -(1/2) tr(A_H S^-1)``
* ``Pi_d  = sum_i kappa_i tr_i(S - 2 I + S^-1)``
* ``Phi_q = sum_i kappa_i (tr_i S - 2)``

where ``tr_i`` is the trace over the 2x2 block of mode i. The book derives these. The code
evaluates them in terms of the excess ``E = S - I = s - I/2`` (zero for the vacuum), obtained
from its own Lyapunov equation, so that states close to the vacuum keep their relative accuracy.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from .balance import EntropyBalance
from .errors import UnstableDriftError

__all__ = [
    "symplectic_form",
    "hamiltonian_drift",
    "loss_drift",
    "steady_covariance",
    "husimi_covariance",
    "excess_covariance",
    "solve_lyapunov_batch",
    "steady_state_batch",
    "gaussian_terms",
    "gaussian_balance",
    "gaussian_wehrl",
    "steady_unitary_production",
    "thermal_gaussian_balance",
    "unitary_share_at_instability",
]


def symplectic_form(n_modes: int) -> np.ndarray:
    """``Omega = diag(J, J, ...)`` with ``J = [[0, 1], [-1, 0]]``, so that ``dR/dt = Omega G R``."""
    return np.kron(np.eye(n_modes), np.array([[0.0, 1.0], [-1.0, 0.0]]))


def hamiltonian_drift(G: np.ndarray) -> np.ndarray:
    """Drift ``A_H = Omega G`` of the quadratic Hamiltonian ``H = R^T G R / 2`` (G symmetric)."""
    G = np.asarray(G, dtype=float)
    if G.ndim != 2 or G.shape[0] != G.shape[1] or G.shape[0] % 2:
        raise ValueError(f"G must be a square 2n x 2n matrix, got shape {G.shape}")
    if not np.allclose(G, G.T, atol=1e-12 * max(1.0, np.abs(G).max())):
        raise ValueError("G must be symmetric: pass the symmetric matrix of H = R^T G R / 2")
    return symplectic_form(G.shape[0] // 2) @ G


def _kappas(kappas, n_modes: int) -> np.ndarray:
    k = np.atleast_1d(np.asarray(kappas, dtype=float))
    if k.shape != (n_modes,):
        raise ValueError(f"need one loss rate per mode ({n_modes}), got {k.shape[0]}")
    if np.any(k <= 0) or not np.all(np.isfinite(k)):
        raise ValueError(f"every loss rate must be finite and > 0, got {k.tolist()}")
    return k


def loss_drift(kappas) -> tuple[np.ndarray, np.ndarray]:
    """``(A_loss, D)`` of the zero-temperature dissipators ``2 kappa_i D[a_i]``."""
    k = np.repeat(np.atleast_1d(np.asarray(kappas, dtype=float)), 2)
    return -np.diag(k), np.diag(k)


def _require_stable(A: np.ndarray) -> None:
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
    growth = np.linalg.eigvals(A).real.max()
    if not growth < 0:
        raise UnstableDriftError(
            f"unstable drift: the largest real part of the eigenvalues of A is {growth:.3g} >= 0, "
            "so there is no steady state. Linearize around a stable mean-field branch or "
            "increase the loss rates."
        )


def steady_covariance(A: np.ndarray, D: np.ndarray) -> np.ndarray:
    """Solve the Lyapunov equation ``A s + s A^T + D = 0`` (Eq. C24) for the steady covariance.

    Raises ``ValueError`` if the drift is not stable (an eigenvalue with ``Re >= 0``): then no
    steady state exists and the linearization or the stabilizing loss must be changed.
    """
    A = np.asarray(A, dtype=float)
    D = np.asarray(D, dtype=float)
    _require_stable(A)
    s = scipy.linalg.solve_continuous_lyapunov(A, -D)
    return (s + s.T) / 2


def husimi_covariance(s: np.ndarray) -> np.ndarray:
    """Covariance ``S = s + I/2`` of the Husimi function in the quadrature variables (Eq. C26)."""
    return np.asarray(s) + np.eye(len(s)) / 2


def excess_covariance(A: np.ndarray, A_H: np.ndarray) -> np.ndarray:
    """``s - I/2`` (zero for the vacuum) from its own Lyapunov equation, without cancellation.

    Subtracting ``I/2`` from ``s`` loses every digit of a state close to the vacuum. With
    ``A = A_H - diag(kappa)`` and ``D = diag(kappa)``, ``e = s - I/2`` solves
    ``A e + e A^T + (A_H + A_H^T)/2 = 0``, whose source vanishes for passive Hamiltonians.
    """
    A = np.asarray(A, dtype=float)
    _require_stable(A)
    e = scipy.linalg.solve_continuous_lyapunov(A, -(A_H + A_H.T) / 2)
    return (e + e.T) / 2


def solve_lyapunov_batch(A: np.ndarray, C: np.ndarray, *, refine: bool = True) -> np.ndarray:
    """Solve ``A X + X A^T + C = 0`` for stacks ``A``, ``C`` of shape ``(n, m, m)``.

    Each equation is an ``m^2 x m^2`` linear system (row-major vec: ``vec(A X) = (A kron I)
    vec X``, ``vec(X A^T) = (I kron A) vec X``), all solved in one batched call; one step of
    iterative refinement keeps the residual at round-off. For the few modes of this book.
    """
    n, m, _ = A.shape
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
    """Steady covariances ``s`` (Eq. C24) and excesses ``s - I/2`` of a stack of quadratic models.

    ``A_H`` has shape ``(n, 2m, 2m)``; ``kappas`` one loss rate per mode. Close to the vacuum
    the excess is refined with its own Lyapunov equation (see :func:`excess_covariance`), and
    it is exactly zero for a passive Hamiltonian (``A_H`` antisymmetric).

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
    ValueError
        Bad loss rates.
    epcore.errors.UnstableDriftError
        Naming the unstable entries, if any drift is unstable.
    """
    A_H = np.asarray(A_H, dtype=float)
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
    """Closed forms ``(Pi_u, Pi_d, Phi_q)`` of Eq. (8) for a Gaussian Husimi covariance ``S``.

    ``A_H`` is the Hamiltonian part of the drift; ``kappas`` the loss rate of each mode. The
    terms do not depend on the mean: the displacement only enters ``Pi_ext``. ``A_H`` and ``S``
    may be stacks ``(..., 2m, 2m)``; ``per_mode=True`` returns ``Pi_d`` and ``Phi_q`` per loss
    channel (last axis) instead of their sums.

    Close to the vacuum the terms are evaluated through the excess ``E = S - I`` (pass it as
    ``excess`` when it is known more accurately than ``S - I``; ``tr A_H = 0``):
    ``Pi_u = tr(A_H S^-1 E)/2``, ``Pi_d = sum_i kappa_i tr_i(E S^-1 E)``, so that nothing
    cancels; far from it (large, possibly ill-conditioned ``S``) through the forms of the
    module docstring, which avoid products of a large ``E`` with ``S^-1``.
    """
    S = np.asarray(S, dtype=float)
    A_H = np.asarray(A_H, dtype=float)
    dim = S.shape[-1]
    k = _kappas(kappas, dim // 2)
    eye = np.eye(dim)
    E = S - eye if excess is None else np.asarray(excess, dtype=float)
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


def gaussian_balance(A_H: np.ndarray, kappas, mean_photons=0.0) -> EntropyBalance:
    """Full :class:`EntropyBalance` of the steady state of a quadratic model with losses.

    ``mean_photons`` holds the per-mode ``|<a_i>|^2`` (array, one per mode, or a scalar for
    all), entering ``Pi_ext = Phi_ext = sum_i 2 kappa_i |<a_i>|^2``. The covariance ``s``, the
    Husimi covariance ``S`` and the condition number ``cond`` of ``S`` travel in ``extra``:
    ``Pi_u`` carries an absolute round-off error of about ``1e-16 cond`` times the drift scale,
    so a strongly non-normal drift close to instability (``cond`` near ``1e16``) leaves it
    without a correct digit.
    """
    A_H = np.asarray(A_H, dtype=float)
    n = A_H.shape[0] // 2
    k = _kappas(kappas, n)
    A_loss, _ = loss_drift(k)
    excess = excess_covariance(A_H + A_loss, A_H)  # s - I/2
    s = excess + np.eye(2 * n) / 2
    S = husimi_covariance(s)
    pi_u, pi_d, phi_q = gaussian_terms(A_H, S, k, excess=excess)
    ext = float(np.sum(2 * k * np.broadcast_to(np.asarray(mean_photons, float), (n,))))
    extra = {"covariance": s, "husimi_cov": S, "cond": float(np.linalg.cond(S))}
    return EntropyBalance(ext, pi_u, pi_d, ext, phi_q, extra=extra)


def gaussian_wehrl(S: np.ndarray) -> float:
    """Wehrl entropy of a Gaussian Husimi function with covariance ``S`` (n modes).

    ``-int Q ln Q d^2mu = n (1 + ln pi) + ln det(S) / 2``; the vacuum (``S = I``) gives the
    Lieb minimum ``1 + ln pi`` per mode.
    """
    S = np.asarray(S, dtype=float)
    sign, logdet = np.linalg.slogdet(S)
    if sign <= 0:
        raise ValueError("S must be positive definite")
    return S.shape[0] // 2 * (1 + np.log(np.pi)) + 0.5 * logdet


def steady_unitary_production(S: np.ndarray, kappas) -> float:
    """``Pi_u = sum_i kappa_i (2 - tr_i S^-1)``: the form ``Pi_u`` takes in a steady state.

    Multiplying the Lyapunov equation (Eq. C24), written for ``S = s + I/2``, by ``S^-1`` and
    taking the trace turns ``-(1/2) tr(A_H S^-1)`` into this expression (zero-temperature
    losses). Since every Gaussian state has ``0 < tr_i S^-1 <= 2`` for each mode, it gives
    ``0 <= Pi_u < 2 sum_i kappa_i`` (the bound proved in the book). Only valid for the steady
    state of the model whose loss rates are ``kappas``.

    Parameters
    ----------
    S : numpy.ndarray
        Husimi covariance ``s + I/2`` (2m x 2m) of the steady state.
    kappas : array_like
        Loss rate of each mode (> 0).

    Returns
    -------
    float
        ``Pi_u`` of Eq. (8) in the steady state.

    Raises
    ------
    ValueError
        If the number of loss rates does not match the modes, or a rate is not positive.
    """
    S = np.asarray(S, dtype=float)
    k = _kappas(kappas, S.shape[0] // 2)
    blocks = np.diagonal(np.linalg.inv(S)).reshape(-1, 2).sum(-1)
    return float(np.sum(k * (2 - blocks)))


def thermal_gaussian_balance(A_H: np.ndarray, kappas, n_bath) -> EntropyBalance:
    """Gaussian closed forms of Eqs. (7)-(8) with thermal loss channels of occupation ``n_bath``.

    The dissipator of mode i is ``2 kappa_i (n_i + 1) D[a_i] + 2 kappa_i n_i D[a_i^dag]``; the
    Husimi current becomes ``J_i = kappa_i (mu_i Q + (n_i + 1) dQ/dmubar_i)`` and the flux
    ``Phi = sum_i 2 kappa_i (<a_i^dag a_i> - n_i)/(n_i + 1)``. The covariance solves
    ``A s + s A^T + diag(kappa_i (2 n_i + 1)) = 0`` and, with ``S = s + I/2``,

    * ``Pi_u  = -(1/2) tr(A_H S^-1)`` (unchanged: it does not see the bath),
    * ``Pi_d  = sum_i kappa_i tr_i(S - 2 (n_i+1) I + (n_i+1)^2 S^-1) / (n_i + 1)``,
    * ``Phi_q = sum_i kappa_i (tr_i S - 2 (n_i + 1)) / (n_i + 1)``.

    ``n_bath = 0`` gives :func:`gaussian_balance`. ``Pi_u + Pi_d = Phi_q`` in the steady state.

    Parameters
    ----------
    A_H : numpy.ndarray
        Hamiltonian drift ``Omega G`` (2m x 2m).
    kappas : array_like
        Loss rate of each mode (> 0).
    n_bath : float or array_like
        Bath occupation of each mode (>= 0), one value for all modes or one per mode.

    Returns
    -------
    EntropyBalance
        ``pi_ext = phi_ext = 0`` (no mean field); ``extra`` holds ``covariance``,
        ``husimi_cov`` and ``n_bath``.

    Raises
    ------
    ValueError
        If a loss rate is not positive, an occupation is negative, or the drift is unstable.
    """
    A_H = np.asarray(A_H, dtype=float)
    m = A_H.shape[0] // 2
    k = _kappas(kappas, m)
    nb = np.broadcast_to(np.asarray(n_bath, dtype=float), (m,)).copy()
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
    extra = {"covariance": s, "husimi_cov": S, "n_bath": nb}
    return EntropyBalance(0.0, pi_u, pi_d, 0.0, phi_q, extra=extra)


def unitary_share_at_instability(n_modes: int, draws: int, *, seed: int = 0,
                                 margin: float = 1e-7) -> np.ndarray:
    """``Pi_u / (2 sum_i kappa_i)`` of random quadratic models pushed to their instability.

    ``Pi_u`` is the Gaussian closed form of Eq. (8), ``-(1/2) tr(A_H S^-1)``.

    Each draw takes a random symmetric ``G`` (Gaussian entries) and log-normal loss rates,
    scales ``G`` by the factor ``t*`` at which the drift first becomes unstable (bisection) and
    evaluates the steady state at ``t* (1 - margin)``. Used to probe how close the bound
    ``0 <= Pi_u < 2 sum_i kappa_i`` comes to being reached.

    Parameters
    ----------
    n_modes : int
        Number of modes (>= 1).
    draws : int
        Number of random models.
    seed : int
        Seed of ``numpy.random.default_rng``.
    margin : float
        Relative distance from the instability, in (0, 1).

    Returns
    -------
    numpy.ndarray
        One share per draw that became unstable at a finite scale.

    Raises
    ------
    ValueError
        For ``n_modes < 1``, ``draws < 1`` or a margin outside (0, 1).
    """
    if n_modes < 1 or draws < 1 or not 0 < margin < 1:
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
