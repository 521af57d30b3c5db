r"""Loss channels: the Wehrl rate of a state, and the zero-temperature catastrophe.

The rate :math:`dS/dt = -\int \dot Q \ln Q\, d^2\mu` of any state and its time derivative;
the conventional (Spohn) entropy flux of a thermal loss channel next to the Wehrl flux, and the
Wehrl balance of that channel.
"""

from __future__ import annotations

import numpy as np
import qutip

from ..models import (
    check_array,
    check_real,
)
from ..phasespace import (
    check_single_mode,
    coherent_expectations,
    husimi_data,
)
from .checks import check_loss_rate

__all__ = [
    "wehrl_rate",
    "spohn_flux",
    "wehrl_thermal_flux",
    "thermal_loss_rates",
]


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
    kappa = check_loss_rate(kappa)
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
    kappa = check_loss_rate(kappa)
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
    kappa = check_loss_rate(kappa)
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

