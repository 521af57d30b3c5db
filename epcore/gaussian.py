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

__all__ = [
    "symplectic_form",
    "hamiltonian_drift",
    "loss_drift",
    "steady_covariance",
    "husimi_covariance",
    "excess_covariance",
    "gaussian_terms",
    "gaussian_balance",
    "gaussian_wehrl",
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
    """Raise ``ValueError`` unless every eigenvalue of the drift has a negative real part."""
    growth = np.linalg.eigvals(A).real.max()
    if not growth < 0:
        raise ValueError(
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


def gaussian_terms(
    A_H: np.ndarray, S: np.ndarray, kappas, *, excess: np.ndarray | None = None
) -> tuple[float, float, float]:
    """Closed forms ``(Pi_u, Pi_d, Phi_q)`` of Eq. (8) for a Gaussian Husimi covariance ``S``.

    ``A_H`` is the Hamiltonian part of the drift; ``kappas`` the loss rate of each mode. The
    terms do not depend on the mean: the displacement only enters ``Pi_ext``. They are
    evaluated in the equivalent forms (``E = S - I``, pass it as ``excess`` when known more
    accurately than ``S - I``; ``tr A_H = 0`` for a Hamiltonian drift)
    ``Pi_u = tr(A_H S^-1 E)/2``, ``Pi_d = sum_i kappa_i tr_i(E S^-1 E)``,
    ``Phi_q = sum_i kappa_i tr_i E``, which keep their relative accuracy near the vacuum.
    """
    S = np.asarray(S, dtype=float)
    n = S.shape[0] // 2
    k = _kappas(kappas, n)
    E = S - np.eye(2 * n) if excess is None else np.asarray(excess, dtype=float)
    Sinv_E = np.linalg.solve(S, E)
    pi_u = 0.5 * float(np.trace(A_H @ Sinv_E))
    per_quadrature_d = np.diag(E @ Sinv_E).reshape(n, 2).sum(axis=1)
    per_quadrature_q = np.diag(E).reshape(n, 2).sum(axis=1)
    return pi_u, float(np.sum(k * per_quadrature_d)), float(np.sum(k * per_quadrature_q))


def gaussian_balance(A_H: np.ndarray, kappas, mean_photons=0.0) -> EntropyBalance:
    """Full :class:`EntropyBalance` of the steady state of a quadratic model with losses.

    ``mean_photons`` holds the per-mode ``|<a_i>|^2`` (array, one per mode, or a scalar for
    all), entering ``Pi_ext = Phi_ext = sum_i 2 kappa_i |<a_i>|^2``. The covariance ``s`` and
    the Husimi covariance ``S`` travel in ``extra``.
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
    return EntropyBalance(ext, pi_u, pi_d, ext, phi_q, extra={"covariance": s, "husimi_cov": S})


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
