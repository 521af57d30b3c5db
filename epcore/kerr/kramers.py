r"""Switching rates between the two Kerr branches from the complex-P potential (Kramers-Langer).

Inside the bistable window the exact steady state is the normalized series
:math:`Z = \sum_s t_s` of the complex-P solution (book Eq. kerr-rho). The index :math:`s` is
an integer with the probability distribution :math:`\pi_s = t_s/Z`; the photon number of the
state is :math:`s` thinned binomially with probability 1/2 (``photon_distribution`` is
:math:`p_m = \sum_s \pi_s \binom{s}{m} 2^{-s}`), so :math:`\nu = s/N` is about twice the photon
number per unit size. :math:`\ln t_s = N f(\nu) + h(\nu) + \dots` (book Eq. kerr-stirling,
:func:`epcore.kerr.large_deviation_rate`), with humps at the stable branches
:math:`\nu_\pm = 2n_\pm` and a dip at the unstable one :math:`\nu_0 = 2n_0`. At those three
points :math:`N f` equals :math:`\ln P(\alpha, \bar\alpha)` of the complex-P function (book Eq.
kerr-pfunction) at the mean-field amplitude, up to one common constant, so the barrier
:math:`f(\nu_\pm) - f(\nu_0)` is the barrier of the potential :math:`-\ln P / N` of the
complex-P Fokker-Planck equation, whose drift is the mean-field flow.

The rates use Langer's form of Kramers' flux-over-population formula on that potential: the
rate out of a branch is :math:`\lambda_u / 2\pi` times the ratio of the Gaussian weight of the
unstable point to that of the branch, with :math:`\lambda_u` the growth rate of the unstable
mean-field state. Kramers' derivation assumes a real, positive diffusion, which the complex-P
equation does not have, so the formula is a conjecture; chapter 6 tests it against the
Liouvillian gap (within 1 % at N = 40, 8 % at N = 5 at :math:`\epsilon_c`).
"""

from __future__ import annotations

import math

import numpy as np

from ..models import KerrModel, check_drive, check_size
from .exact import large_deviation_derivatives, large_deviation_rate
from .model import PAPER, bistability_window, mean_field
from .switching import switching_barriers

__all__ = ["kramers_rates", "kramers_gap", "kramers_prefactor", "gap_estimate"]


def _three_branches(eps: float, model: KerrModel):
    br = mean_field(eps, model=model)
    if len(br) != 3 or not (br[0].stable and br[2].stable):
        raise ValueError(
            f"eps = {eps} is outside the bistable window {bistability_window(model=model)}: "
            "there is one stable branch and nothing to switch to"
        )
    return br


def kramers_rates(N: float, eps: float, *, model: KerrModel = PAPER) -> tuple[float, float]:
    r"""Kramers-Langer switching rates ``(k_up, k_down)`` out of the lower and upper branch.

    With :math:`f` and :math:`h` of book Eq. (kerr-rate), :math:`\nu_i = 2n_i` for the lower
    (``-``), unstable (``0``) and upper (``+``) mean-field states,

    .. math::

        k_\mp = \frac{\lambda_u}{2\pi}
        \sqrt{\frac{|f''(\nu_\mp)|}{|f''(\nu_0)|}}\;
        e^{h(\nu_0) - h(\nu_\mp)}\; e^{-N[f(\nu_\mp) - f(\nu_0)]},

    where :math:`\lambda_u = -\kappa + \sqrt{u^2n_0^2 - (\Delta + 2un_0)^2}` is the growth rate
    of the unstable state (the positive eigenvalue of the linearized mean-field drift). The
    factor after :math:`\lambda_u/2\pi` is the ratio of the Laplace (Gaussian) weights of the
    series at the dip and at the hump, which equals that of the complex-P potential at the
    same points. The rates obey detailed balance with the branch weights :math:`p`,
    :math:`1 - p` of :func:`epcore.kerr.branch_log_odds`, :math:`(1-p)\,k_\mathrm{up} =
    p\,k_\mathrm{down}`, exactly (the same Laplace weights enter both). Valid for
    :math:`N B \gg 1`; near the window edges, where a barrier vanishes, it underestimates the
    rate.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size, inside the bistable window.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    tuple of float
        ``(k_up, k_down)``: the rate of leaving the lower branch and that of leaving the upper
        one, in the units of :math:`\kappa`.

    Raises
    ------
    ValueError
        A bad size or drive, or a drive outside the bistable window.
    """
    N, eps = check_size(N), check_drive(eps)
    br = _three_branches(eps, model)
    nu = np.array([2 * b.n for b in br])
    f = large_deviation_rate(nu, eps, model=model)
    w = nu + 2 * complex(model.delta, -model.kappa) / model.u
    h = np.log(np.abs(w)) - 0.5 * np.log(nu)
    curvature = [abs(large_deviation_derivatives(float(v), eps, model=model)[1]) for v in nu]
    growth = max(ev.real for ev in br[1].eigenvalues)
    rates = []
    for i in (0, 2):
        exponent = h[1] - h[i] - N * (f[i] - f[1])
        rates.append(growth / (2 * math.pi) * math.sqrt(curvature[i] / curvature[1])
                     * math.exp(exponent))
    return float(rates[0]), float(rates[1])


def kramers_gap(N: float, eps: float, *, model: KerrModel = PAPER) -> float:
    r"""The Liouvillian gap predicted by :func:`kramers_rates`, the sum of the two rates.

    For two metastable states the slowest relaxation is the exchange of weight between them,
    at the sum of the two switching rates. At :math:`\epsilon_c` both barriers equal
    :math:`B` (:func:`epcore.kerr.switching_barriers`), so the prediction is
    :math:`A_K e^{-NB}` with an N-independent prefactor :math:`A_K`.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size, inside the bistable window.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    float
        The predicted gap, in the units of :math:`\kappa`.

    Raises
    ------
    ValueError
        A bad size or drive, or a drive outside the bistable window.
    """
    up, down = kramers_rates(N, eps, model=model)
    return up + down


def kramers_prefactor(N: float, eps: float, *, model: KerrModel = PAPER) -> float:
    r"""The prefactor :math:`A_K = \lambda_K(N)\, e^{N B}` of the Kramers gap :math:`A_K e^{-NB}`.

    :func:`kramers_gap` at size ``N`` times :math:`e^{NB}`, with :math:`B` the smaller of the
    two barriers of :func:`epcore.kerr.switching_barriers`. At :math:`\epsilon_c`, where the
    two barriers are equal, it does not depend on N; chapter 6 compares it with the prefactor
    of the fit :math:`\ln\lambda = a - rN + b/N` of the Liouvillian gap.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size, inside the bistable window.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    float
        :math:`A_K`, in the units of :math:`\kappa`.

    Raises
    ------
    ValueError
        A bad size or drive, or a drive outside the bistable window.
    """
    return float(kramers_gap(N, eps, model=model) * np.exp(
        min(switching_barriers(eps, model=model)) * N))


def gap_estimate(N: float, eps: float, *, model: KerrModel = PAPER) -> float:
    r"""A cheap estimate of the Liouvillian gap, for the cutoff rule of numerical solves.

    The smallest of the mean-field relaxation rates of the stable branches,
    :math:`\kappa - \mathrm{Re}\sqrt{u^2n^2 - (\Delta + 2un)^2}`, and, inside the bistable
    window, of :func:`kramers_gap`. In the bulk of the window it is within 10 % of the gap of
    :func:`epcore.kerr.liouvillian_gap` (N = 5 to 40); near the window edges, where the
    Kramers formula fails, it is smaller than the gap (by up to a factor 3), on the safe side
    for :func:`epcore.kerr.solver_cutoff`.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    float
        The estimate, in the units of :math:`\kappa`.
    """
    N, eps = check_size(N), check_drive(eps)
    br = mean_field(eps, model=model)
    rates = [-max(ev.real for ev in b.eigenvalues) for b in br if b.stable]
    if len(br) == 3 and br[0].stable and br[2].stable:
        rates.append(kramers_gap(N, eps, model=model))
    return float(min(rates))
