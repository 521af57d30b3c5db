r"""Gaussian fluctuations around the mean field (App. C.2-C.4, Eqs. C9-C26).

The Holstein-Primakoff expansion (Eqs. C9-C15) around the stable mean-field state leaves a
quadratic Hamiltonian of the fluctuations :math:`\delta a` (cavity) and :math:`\delta b`
(spin), Eq. (C16), with the coefficients of Eqs. (C17)-(C19). A small loss
:math:`2\gamma D[\delta b]` (Eq. C20) makes its steady state exist; the covariance of the
quadratures :math:`R = (\delta q_b, \delta p_b, \delta q_a, \delta p_a)` (Eq. C23) then solves
the Lyapunov equation (C24) with the drift matrix (C25), and the Husimi function is the
Gaussian of Eq. (C26).

The batched :func:`coefficient_arrays` and :func:`drift_arrays` (with the private
``_hamiltonian_arrays``) evaluate the same formulas on an array of couplings for
:func:`epcore.dicke.entropy_production_batch`.
"""

from __future__ import annotations

import numpy as np

from .. import gaussian
from ..gaussian import check_husimi_covariance
from ..models import (
    DickeModel,
    check_array,
    check_coupling,
    check_couplings,
    check_integer,
    check_memory,
    check_real,
)
from ..threads import limit_blas_threads
from .meanfield import PAPER, mean_field_arrays

__all__ = [
    "quadratic_coefficients",
    "hamiltonian_matrix",
    "hamiltonian_drift",
    "drift_matrix",
    "steady_covariance",
    "husimi",
    "husimi_marginal",
    "fock_covariance",
    "coefficient_arrays",
    "drift_arrays",
]


def coefficient_arrays(
    lam, *, model: DickeModel = PAPER, branch: str = "mean_field"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The coefficients of Eqs. (C17)-(C19) on an array of couplings, vectorized.

    The batched form of :func:`quadratic_coefficients`.

    Parameters
    ----------
    lam : float or array_like
        Couplings; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.
    branch : str, optional
        ``"mean_field"`` (default) or ``"normal"``, as in :func:`~epcore.dicke.mean_field_arrays`.

    Returns
    -------
    tuple of numpy.ndarray
        ``(omega0_tilde, lambda_tilde, zeta)``, one value per coupling.
    """
    lam = check_couplings(lam)
    alpha, _, _, x, y = mean_field_arrays(lam, model=model, branch=branch)
    two_re_alpha = 2.0 * alpha.real
    ratio = x / y
    omega0_t = model.omega0 - lam * two_re_alpha * ratio  # (C17)
    lambda_t = lam * y * (1.0 - ratio**2)  # (C18)
    zeta = 0.5 * lam * two_re_alpha * ratio * (1.0 + 0.5 * ratio**2)  # (C19)
    return omega0_t, lambda_t, zeta


def _hamiltonian_arrays(
    lam: np.ndarray, model: DickeModel, branch: str = "mean_field"
) -> np.ndarray:
    """Batched ``G`` of Eq. (C22), ``H_2 = R^T G R / 2``, shape ``(n, 4, 4)``."""
    o, lt, z = coefficient_arrays(lam, model=model, branch=branch)
    G = np.zeros((lam.size, 4, 4))
    G[:, 0, 0] = o - 4.0 * z
    G[:, 1, 1] = o
    G[:, 0, 2] = G[:, 2, 0] = 2.0 * lt
    G[:, 2, 2] = G[:, 3, 3] = model.omega
    return G


def drift_arrays(lam, *, model: DickeModel = PAPER, branch: str = "mean_field") -> np.ndarray:
    r"""The Hamiltonian drift :math:`A_H = \Omega G` of Eq. (C25), without losses, batched.

    One :math:`4\times4` matrix per coupling, on the quadratures
    :math:`R = (\delta q_b, \delta p_b, \delta q_a, \delta p_a)`; the batched form of
    :func:`hamiltonian_drift`.

    Parameters
    ----------
    lam : float or array_like
        Couplings; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.
    branch : str, optional
        ``"mean_field"`` (default) or ``"normal"``, as in :func:`~epcore.dicke.mean_field_arrays`.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 4, 4)``, one drift per coupling.
    """
    lam = check_couplings(lam)
    return gaussian.symplectic_form(2) @ _hamiltonian_arrays(lam, model, branch)


def quadratic_coefficients(
    lam: float, *, model: DickeModel = PAPER
) -> tuple[float, float, float]:
    r"""Coefficients of the quadratic Hamiltonian of the fluctuations (Eqs. C16-C19).

    .. math::

        H = \tilde\omega_0\, \delta b^\dagger \delta b + \omega\, \delta a^\dagger \delta a
            + \tilde\lambda (\delta a + \delta a^\dagger)(\delta b + \delta b^\dagger)
            - \zeta (\delta b + \delta b^\dagger)^2,

    around the stable mean-field state (:func:`~epcore.dicke.mean_field`). In the normal
    phase :math:`\tilde\omega_0 = \omega_0`, :math:`\tilde\lambda = \lambda`, :math:`\zeta = 0`.

    Parameters
    ----------
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.

    Returns
    -------
    tuple of float
        :math:`(\tilde\omega_0, \tilde\lambda, \zeta)` of Eqs. (C17), (C18), (C19).
    """
    lam_arr = np.atleast_1d(check_coupling(lam, "quadratic_coefficients"))
    o, lt, z = coefficient_arrays(lam_arr, model=model)
    return float(o[0]), float(lt[0]), float(z[0])


def hamiltonian_matrix(
    lam: float, *, model: DickeModel = PAPER, branch: str = "mean_field"
) -> np.ndarray:
    r"""Symmetric matrix :math:`G` of the quadratic Hamiltonian in quadratures (Eq. C22).

    :math:`H_2 = R^T G R/2` with :math:`R = (\delta q_b, \delta p_b, \delta q_a, \delta p_a)`
    (Eq. C23):

    .. math::

        G = \begin{pmatrix}
            \tilde\omega_0 - 4\zeta & 0 & 2\tilde\lambda & 0 \\
            0 & \tilde\omega_0 & 0 & 0 \\
            2\tilde\lambda & 0 & \omega & 0 \\
            0 & 0 & 0 & \omega
        \end{pmatrix}.

    Parameters
    ----------
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.
    branch : str, optional
        The mean-field state expanded around: ``"mean_field"`` (default) the stable one of
        :func:`~epcore.dicke.mean_field`, as in the paper (normal below :math:`\lambda_c`,
        superradiant above); ``"normal"`` the normal phase :math:`\alpha = \beta = 0` at every
        coupling, whose drift with :math:`\gamma > 0` stays stable up to
        ``critical_coupling(model=model, shifted=True)``.

    Returns
    -------
    numpy.ndarray
        :math:`G`, shape ``(4, 4)``.
    """
    lams = np.atleast_1d(check_coupling(lam, "hamiltonian_matrix"))
    return _hamiltonian_arrays(lams, model, branch)[0]


def hamiltonian_drift(
    lam: float, *, model: DickeModel = PAPER, branch: str = "mean_field"
) -> np.ndarray:
    r"""Hamiltonian part :math:`A_H = \Omega G` of the drift (Eq. C25 without the losses).

    Parameters
    ----------
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.
    branch : str, optional
        The mean-field state expanded around: ``"mean_field"`` (default) the stable one of
        :func:`~epcore.dicke.mean_field`, as in the paper (normal below :math:`\lambda_c`,
        superradiant above); ``"normal"`` the normal phase :math:`\alpha = \beta = 0` at every
        coupling, whose drift with :math:`\gamma > 0` stays stable up to
        ``critical_coupling(model=model, shifted=True)``.

    Returns
    -------
    numpy.ndarray
        :math:`A_H`, shape ``(4, 4)``; :math:`\Omega` is
        :func:`epcore.gaussian.symplectic_form`.
    """
    return gaussian.hamiltonian_drift(hamiltonian_matrix(lam, model=model, branch=branch))


def drift_matrix(
    lam: float, *, model: DickeModel = PAPER, branch: str = "mean_field"
) -> np.ndarray:
    r"""Full drift matrix :math:`A` of Eq. (C25).

    .. math::

        A = A_H - \mathrm{diag}(\gamma, \gamma, \kappa, \kappa) = \begin{pmatrix}
            -\gamma & \tilde\omega_0 & 0 & 0 \\
            4\zeta - \tilde\omega_0 & -\gamma & -2\tilde\lambda & 0 \\
            0 & 0 & -\kappa & \omega \\
            -2\tilde\lambda & 0 & -\omega & -\kappa
        \end{pmatrix}.

    Parameters
    ----------
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.
    branch : str, optional
        The mean-field state expanded around: ``"mean_field"`` (default) the stable one of
        :func:`~epcore.dicke.mean_field`, as in the paper (normal below :math:`\lambda_c`,
        superradiant above); ``"normal"`` the normal phase :math:`\alpha = \beta = 0` at every
        coupling, whose drift with :math:`\gamma > 0` stays stable up to
        ``critical_coupling(model=model, shifted=True)``.

    Returns
    -------
    numpy.ndarray
        :math:`A`, shape ``(4, 4)``.
    """
    A_loss, _ = gaussian.loss_drift([model.gamma, model.kappa])
    return hamiltonian_drift(lam, model=model, branch=branch) + A_loss


def steady_covariance(lam: float, *, model: DickeModel = PAPER) -> np.ndarray:
    r"""Steady covariance :math:`\sigma` of the fluctuations from the Lyapunov Eq. (C24).

    :math:`A\sigma + \sigma A^T + \mathcal D = 0` with :math:`A` of Eq. (C25)
    (:func:`drift_matrix`) and :math:`\mathcal D = \mathrm{diag}(\gamma, \gamma, \kappa,
    \kappa)`, solved by SciPy; :math:`\sigma_{ij} = \langle\{R_i, R_j\}\rangle/2` with
    :math:`R = (\delta q_b, \delta p_b, \delta q_a, \delta p_a)` (Eq. C23).

    Parameters
    ----------
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.

    Returns
    -------
    numpy.ndarray
        :math:`\sigma`, shape ``(4, 4)``; the vacuum has :math:`\sigma = I/2`.

    Raises
    ------
    epcore.errors.UnstableDriftError
        If the drift is unstable (no steady state; increase ``gamma``).
    """
    A = drift_matrix(lam, model=model)
    _, D = gaussian.loss_drift([model.gamma, model.kappa])
    return gaussian.steady_covariance(A, D)


def husimi(r, S) -> np.ndarray:
    r"""Two-mode Gaussian Husimi function of Eq. (C26), with the correct normalization.

    .. math::

        Q(r) = \frac{1}{\pi^2\sqrt{\det S}} \exp\left(-\frac12 r^T S^{-1} r\right),
        \qquad S = \sigma + I_4/2,

    for :math:`r = (x_b, y_b, x_a, y_a)`. It is a density in :math:`d^2\mu_b\, d^2\mu_a` with
    :math:`\mu = (x + iy)/\sqrt2`, so it integrates to one; the paper's :math:`1/\pi` is a
    misprint.

    Parameters
    ----------
    r : array_like
        Points, shape ``(..., 4)``.
    S : array_like
        Husimi covariance :math:`S`, shape ``(4, 4)``.

    Returns
    -------
    numpy.ndarray
        :math:`Q` at each point, shape ``(...)``.
    """
    S = check_husimi_covariance(S)
    r = check_array(r, "the points r")
    if S.shape != (4, 4) or r.ndim == 0 or r.shape[-1] != 4:
        raise ValueError("husimi needs S of shape (4, 4) and points r of shape (..., 4)")
    Sinv = np.linalg.inv(S)
    quad = np.einsum("...i,ij,...j->...", r, Sinv, r)
    return np.exp(-0.5 * quad) / (np.pi**2 * np.sqrt(np.linalg.det(S)))


def husimi_marginal(x, y, S, mode: str) -> np.ndarray:
    r"""Husimi function of one mode, a marginal of Eq. (C26).

    .. math::

        Q_c(x, y) = \frac{1}{\pi\sqrt{\det S_c}}
            \exp\left(-\frac12 (x, y)\, S_c^{-1} (x, y)^T\right),

    with :math:`S_c` the 2x2 block of :math:`S` of mode :math:`c`; a density in
    :math:`d^2\mu_c`.

    Parameters
    ----------
    x, y : array_like
        Phase-space coordinates of the mode; they broadcast together.
    S : array_like
        Two-mode Husimi covariance, shape ``(4, 4)``, ordered as in Eq. (C23).
    mode : str
        ``"a"`` (cavity) or ``"b"`` (spin).

    Returns
    -------
    numpy.ndarray
        :math:`Q_c` on the broadcast shape of ``x`` and ``y``.
    """
    S = check_husimi_covariance(S)
    if S.shape != (4, 4):
        raise ValueError(f"husimi_marginal needs S of shape (4, 4), got {S.shape}")
    if mode not in ("a", "b"):
        raise ValueError(f"mode must be 'a' (cavity) or 'b' (spin), got {mode!r}")
    i = 2 if mode == "a" else 0
    Sc = S[i : i + 2, i : i + 2]
    Si = np.linalg.inv(Sc)
    x, y = check_array(x, "x", min_size=0), check_array(y, "y", min_size=0)
    try:
        x, y = np.broadcast_arrays(x, y)
    except ValueError:
        raise ValueError(f"x and y must broadcast together, got {x.shape} and {y.shape}") from None
    quad = Si[0, 0] * x * x + 2 * Si[0, 1] * x * y + Si[1, 1] * y * y
    return np.exp(-0.5 * quad) / (np.pi * np.sqrt(np.linalg.det(Sc)))


@limit_blas_threads
def fock_covariance(
    lam: float, *, model: DickeModel = PAPER, n_fock: int = 8, tol: float = 1e-4
) -> np.ndarray:
    r"""Covariance of the fluctuations from a Fock-basis steady state (QuTiP): a check.

    The quadratic Hamiltonian (Eq. C16) with the losses of Eq. (C20), on ``n_fock`` Fock
    states per mode, solved by :func:`qutip.steadystate`: an independent route to
    :func:`steady_covariance` that knows nothing of the drift matrix (C25).

    Parameters
    ----------
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        Frequencies and loss rates; default :data:`~epcore.dicke.PAPER`. A large ``gamma``
        keeps the state small enough for a few Fock states.
    n_fock : int, optional
        Fock states per mode, >= 2.
    tol : float, optional
        Largest population allowed in the top Fock state of either mode.

    Returns
    -------
    numpy.ndarray
        :math:`\sigma_{ij} = \langle\{R_i, R_j\}\rangle/2`, shape ``(4, 4)``, ordered as in
        Eq. (C23).

    Raises
    ------
    ValueError
        If ``n_fock`` is not an integer >= 2, or the top Fock state of either mode holds more
        than ``tol`` of the population (increase ``n_fock``, or ``gamma`` to shrink the state).
    """
    import qutip

    n = check_integer(n_fock, "n_fock", minimum=2)
    tol = check_real(tol, "tol", positive=True)
    # the sparse LU of the n^4-dimensional Liouvillian: about n^6 fill-in at worst
    check_memory(16 * 40 * float(n) ** 6, f"a two-mode steady state with n_fock = {n}",
                 fits="n_fock <= 12")
    o, lt, z = quadratic_coefficients(lam, model=model)
    b = qutip.tensor(qutip.destroy(n), qutip.qeye(n))
    a = qutip.tensor(qutip.qeye(n), qutip.destroy(n))
    xb = b + b.dag()
    H = o * b.dag() * b + model.omega * a.dag() * a + lt * (a + a.dag()) * xb - z * xb * xb
    rho = qutip.steadystate(H, [np.sqrt(2 * model.kappa) * a, np.sqrt(2 * model.gamma) * b])
    pops = np.real(np.diag(rho.full())).reshape(n, n)
    top = max(pops[-1, :].sum(), pops[:, -1].sum())
    if top > tol:
        raise ValueError(
            f"the top Fock state holds {top:.2g} > tol = {tol:g} of the population: "
            "increase n_fock"
        )
    R = [xb / np.sqrt(2), 1j * (b.dag() - b) / np.sqrt(2),
         (a + a.dag()) / np.sqrt(2), 1j * (a.dag() - a) / np.sqrt(2)]
    return np.array(
        [[qutip.expect((Ri * Rj + Rj * Ri) / 2, rho).real for Rj in R] for Ri in R]
    )
