r"""Quadratic single-mode models: parametric oscillator, squeezing, Eqs. (A7)-(A10).

The quadrature form used by :mod:`epcore.gaussian` (:func:`quadratic_G`), the parametric
oscillator's steady state (zero and finite temperature) and its closed-form :math:`\Pi_u`,
the leading-order :math:`\Pi_u` of Eq. (A10), the squeezed vacuum whose :math:`\Pi` is
negative out of a steady state, and the operator of Eq. (A9) on a Gaussian.
"""

from __future__ import annotations

import numpy as np
import qutip

from ..balance import ModeBalance
from ..models import (
    check_array,
    check_complex,
    check_integer,
    check_memory,
    check_real,
)
from ..phasespace import (
    husimi_data,
)
from ..threads import limit_blas_threads
from .checks import check_dimension, check_loss_rate, steady_state_memory
from .driven import steady_state

__all__ = [
    "quadratic_G",
    "parametric_steady_state",
    "leading_order_pi_u",
    "squeezing_hamiltonian",
    "squeezed_vacuum_balance",
    "parametric_pi_u",
    "parametric_thermal_steady_state",
    "unitary_fluctuation_operator",
]


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
    kappa = check_loss_rate(kappa)
    omega = check_real(omega, "omega")
    g = check_complex(g, "the squeezing g")
    if abs(g) ** 2 >= kappa**2 + omega**2:
        raise ValueError(
            f"|g| = {abs(g):.4g} is at or above threshold sqrt(kappa^2 + omega^2) = "
            f"{np.hypot(kappa, omega):.4g}: no steady state. Lower |g| or raise kappa."
        )
    a = qutip.destroy(check_dimension(d))
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
    a = qutip.destroy(check_dimension(d))
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
    kappa = check_loss_rate(kappa)
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
    kappa = check_loss_rate(kappa)
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
    kappa = check_loss_rate(kappa)
    omega = check_real(omega, "omega")
    g = check_complex(g, "the squeezing g")
    n_bath = check_real(n_bath, "n_bath", minimum=0.0)
    if abs(g) ** 2 >= kappa**2 + omega**2:
        raise ValueError("the oscillator is at or above threshold: lower |g| or raise kappa")
    check_memory(steady_state_memory(check_integer(d, "the Fock dimension d", minimum=2)),
                 f"the steady state of a {d}-level oscillator", fits="d <= 300")
    a = qutip.destroy(check_dimension(d))
    H = omega * a.dag() * a + 0.5 * (g * a.dag() * a.dag() + np.conj(g) * a * a)
    c_ops = [np.sqrt(2 * kappa * (n_bath + 1)) * a]
    if n_bath > 0:
        c_ops.append(np.sqrt(2 * kappa * n_bath) * a.dag())
    rho = qutip.steadystate(H, c_ops)
    rho = (rho + rho.dag()) / 2
    return H, rho / rho.tr()


def unitary_fluctuation_operator(v, S: np.ndarray, xi2: complex, xi11: complex, *,
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
    v\partial_v)` instead (:func:`epcore.errata.unitary_fluctuation_operator_as_printed`).
    Since :math:`Q` is real and :math:`\xi_{11}` is imaginary, the correct operator is real;
    the printed one is not.

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
