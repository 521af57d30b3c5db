r"""The paper's misprints, each reproducer next to the correct formula.

The book's Errata page shows every misprint of Goes, Fiore and Landi (2020) that changes a
number: it evaluates the formula as printed and the corrected one on the same states. The
printed forms live here and nowhere else in :mod:`epcore`; each is named after what it
reproduces, and the correct counterpart is importable from this module too, under its own name
in its home module.

1. **Eq. (B6), the Kerr unitary production.** Printed with the prefactor :math:`i\mu/2N`
   inside the integral; correct is :math:`iu/2N` (the Kerr coupling, not the phase-space
   variable):

   .. math::

       \Pi_u = \frac{iu}{2N}\int \frac{\mu^2 (\partial_\mu Q)^2
               - \bar\mu^2 (\partial_{\bar\mu} Q)^2}{Q}\, d^2\mu.

   As printed: :func:`pi_u_as_printed` (complex, off by orders of magnitude). Corrected:
   :func:`epcore.kerr.pi_u_integrated_by_parts`, which equals the general
   :math:`\Pi_u = -\int U(Q)\ln Q` of :func:`epcore.phasespace.entropy_balance`. The book shows
   the three side by side (Errata, item 1, and the Kerr chapter).
2. **The critical coupling of the Dicke model** (Sec. V and the caption of Fig. 3). Printed:
   :math:`\lambda_c = \sqrt{\omega_0(\kappa^2 + \omega^2)}/\omega`; correct (App. C, the
   mean-field instability): :math:`\lambda_c = \tfrac12\sqrt{\omega_0(\kappa^2 +
   \omega^2)/\omega}`, about 20 times smaller at the paper's parameters. As printed:
   :func:`misprinted_critical_coupling`; corrected: :func:`epcore.dicke.critical_coupling`.
   The book shows the ratio (Errata, item 2, and the Dicke chapter).
3. **The displaced current of Sec. III.** Printed as :math:`J^v = \kappa(vQ + \partial_v Q)`;
   correct is :math:`J^v = \kappa(vQ + \partial_{\bar v} Q)`, which follows from
   :math:`J = \kappa(\mu Q + \partial_{\bar\mu} Q)` (Eq. 3). With the printed current
   :math:`\Pi_d = \frac{2}{\kappa}\int |J^v|^2/Q` overshoots by exactly :math:`4\kappa` for
   every state. As printed: :func:`pi_d_as_printed`; corrected:
   :func:`epcore.phasespace.displaced_current_production` (equal to ``entropy_balance(...)
   .pi_d``). The book tabulates both (Errata, item 8).
4. **Eqs. (A5) and (A9): two** :math:`\bar v` **printed as** :math:`v`. The :math:`O(1)` unitary
   operator of Eq. (A9) is printed with :math:`2v\partial_v` and :math:`(v\partial_{\bar v} -
   v\partial_v)`; correct are :math:`2\bar v\partial_v` and :math:`(\bar v\partial_{\bar v} -
   v\partial_v)`. The correct operator maps a real Gaussian :math:`Q` to a real function (and
   is divergence-free, so it drops out of :math:`\Pi_u`, Eq. A10); the printed one does not. As
   printed: :func:`unitary_fluctuation_operator_as_printed`; corrected:
   :func:`epcore.cavity.unitary_fluctuation_operator`. The book compares their imaginary parts
   (Errata, item 9).

The misprints that need no function of their own (the sign in Eq. C14, the normalization of
Eq. C26, smaller slips) are computed on the Errata page itself.

Bad input raises a ``ValueError`` (one of the typed subclasses of :mod:`epcore.errors`) whose
message says what to change; the Raises sections list only what it does not cover.
"""

from __future__ import annotations

import numpy as np

from .cavity import unitary_fluctuation_operator
from .dicke.meanfield import PAPER as DICKE_PAPER
from .dicke.meanfield import critical_coupling  # noqa: F401  (the correction of item 2)
from .kerr.entropy import pi_u_integrated_by_parts  # noqa: F401  (the correction of item 1)
from .models import DickeModel, check_size
from .phasespace import displaced_current_production, husimi_data

__all__ = [
    "pi_u_as_printed",
    "misprinted_critical_coupling",
    "pi_d_as_printed",
    "unitary_fluctuation_operator_as_printed",
]


def pi_u_as_printed(rho, N: float) -> complex:
    r"""Eq. (B6) exactly as printed, with the prefactor :math:`i\mu/2N` inside the integral.

    .. math::

        \Pi_u^{\rm printed} = \int \frac{i\mu}{2N}\,
            \frac{\mu^2 (\partial_\mu Q)^2 - \bar\mu^2 (\partial_{\bar\mu} Q)^2}{Q}\, d^2\mu,

    with the exact derivative :math:`\partial_{\bar\mu} Q` of Eq. (B3). It is complex and does
    not match :math:`\Pi_u`; the corrected form (prefactor :math:`iu/2N`) is
    :func:`epcore.kerr.pi_u_integrated_by_parts`.

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
    """
    N = check_size(N)
    data = husimi_data(rho)
    mu = data.grid.mu
    D = data.dq_dmubar
    bracket = mu**2 * np.conj(D) ** 2 - np.conj(mu) ** 2 * D**2
    return complex(data.integrate(data.over_q(1j * mu / (2 * N) * bracket)))


def misprinted_critical_coupling(*, model: DickeModel = DICKE_PAPER) -> float:
    r"""The main text's critical coupling of the Dicke model (Sec. V, Fig. 3), a misprint.

    .. math::

        \lambda_c^{\rm misprint} = \frac{\sqrt{\omega_0(\kappa^2 + \omega^2)}}{\omega}.

    It differs from the mean-field instability :func:`epcore.dicke.critical_coupling` by the
    factor :math:`2/\sqrt{\omega}` (20 at the paper's parameters).

    Parameters
    ----------
    model : DickeModel, optional
        Frequencies and loss rate; default :data:`epcore.dicke.PAPER`.

    Returns
    -------
    float
        The misprinted critical coupling.
    """
    return float(np.sqrt(model.omega0 * (model.kappa**2 + model.omega**2)) / model.omega)


def pi_d_as_printed(rho, kappa: float) -> float:
    r"""The dissipative production of Eq. (8) with the displaced current as printed in Sec. III.

    .. math::

        \Pi_d^{\rm printed} = \frac{2}{\kappa}\int \frac{|\kappa(vQ + \partial_v Q)|^2}{Q}\,
            d^2v, \qquad v = \mu - \langle a\rangle.

    The correct current has :math:`\partial_{\bar v} Q`
    (:func:`epcore.phasespace.displaced_current_production`); the printed one overshoots
    :math:`\Pi_d` by exactly :math:`4\kappa`.

    Parameters
    ----------
    rho : qutip.Qobj or numpy.ndarray
        Single-mode density matrix in the Fock basis.
    kappa : float
        Loss rate :math:`\kappa > 0`.

    Returns
    -------
    float
        :math:`\Pi_d` with the printed current.

    Raises
    ------
    epcore.errors.CutoffError
        If the top Fock levels of the state are populated.
    epcore.errors.GridError
        If the phase-space grid cannot hold the Husimi function.
    """
    return displaced_current_production(rho, kappa, derivative="v")


def unitary_fluctuation_operator_as_printed(
    v, S: np.ndarray, xi2: complex, xi11: complex
) -> np.ndarray:
    r"""The :math:`O(1)` unitary operator of Eq. (A9) as printed, applied to a Gaussian :math:`Q`.

    .. math::

        \tfrac12\left[\xi_2 (2v\partial_{\bar v} + \partial_{\bar v}^2)
            + \bar\xi_2 (2v\partial_v + \partial_v^2)
            + 2\xi_{11} (v\partial_{\bar v} - v\partial_v)\right] Q,

    two :math:`\bar v` printed as :math:`v`; the corrected operator is
    :func:`epcore.cavity.unitary_fluctuation_operator`. For a real :math:`Q` and imaginary
    :math:`\xi_{11}` the corrected operator is real, the printed one is not.

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

    Returns
    -------
    numpy.ndarray
        The printed operator applied to :math:`Q` at ``v`` (complex, with the shape of ``v``).
    """
    return unitary_fluctuation_operator(v, S, xi2, xi11, printed=True)
