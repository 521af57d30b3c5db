r"""A thermal bath at Gaussian order, and the classical limit of the three transitions.

The cavity (single-photon) loss of each model becomes the thermal channel of the paper's
discussion,

.. math::

    2\kappa(n_b + 1)D[a] + 2\kappa n_b D[a^\dagger], \qquad
    J = \kappa\left(\mu Q + (n_b + 1)\partial_{\bar\mu} Q\right),

while the other channels (the Dicke spin loss :math:`\gamma`, the two-photon loss
:math:`(\eta/N)D[a^2]`) stay at zero temperature. The mean field does not change: the
adjoint of the thermal dissipator gives :math:`\dot{\langle a\rangle} = -\kappa(n_b + 1)
\langle a\rangle + \kappa n_b\langle a\rangle = -\kappa\langle a\rangle`, as at
:math:`n_b = 0`. So the branches, their stability and the linearized drift
:math:`A = A_H - K` are those of the zero-temperature model, and only the diffusion and the
currents change (:func:`epcore.gaussian.channel_balance`).

Classical limit. As :math:`n_b \to \infty` the fluctuations become the Ornstein-Uhlenbeck
process :math:`dx = (A_H - K)x\,dt + \sqrt{2D}\,dW`, :math:`D = \mathrm{diag}(\sum_c
r_c n_c)`, whose entropy production (:math:`A_H` reversible, :math:`p` odd under time
reversal) is :func:`classical_entropy_production`.
"""

from __future__ import annotations

import math

import numpy as np
import qutip

from . import dicke, gaussian, kerr, twophoton
from .balance import EntropyBalance
from .errors import IllConditionedError
from .models import (
    DickeModel,
    KerrModel,
    TwoPhotonModel,
    check_array,
    check_integer,
    check_real,
    check_size,
)
from .phasespace import husimi_data

__all__ = [
    "MODELS",
    "check_bath",
    "kerr_branches",
    "dicke_balance",
    "twophoton_branches",
    "classical_entropy_production",
    "divergence_amplitude_ratio",
    "critical_divergence",
    "transition_scan",
    "kerr_state_balance",
]

#: The models :func:`transition_scan` and :func:`critical_divergence` know.
MODELS = ("kerr", "dicke", "twophoton")
#: The largest bath occupation accepted.
MAX_BATH = 1e8


def check_bath(n_bath) -> float:
    """The bath occupation :math:`n_b`, a real number in ``[0, MAX_BATH]``.

    Parameters
    ----------
    n_bath : float
        Mean occupation of the bath of the cavity channel.

    Returns
    -------
    float
        ``n_bath``.

    Raises
    ------
    ValueError
        Negative, not finite or above ``MAX_BATH``.
    """
    return check_real(n_bath, "the bath occupation n_bath", minimum=0.0, maximum=MAX_BATH)


def _with_ext(b: EntropyBalance, ext: float, **extra) -> EntropyBalance:
    return EntropyBalance(ext, b.pi_u, b.pi_d, ext, b.phi_q, extra={**b.extra, **extra})


# ------------------------------------------------------------------ the three models, N -> inf


def kerr_branches(eps: float, n_bath: float, *,
                  model: KerrModel = kerr.PAPER) -> list[EntropyBalance]:
    r"""N -> infinity entropy balance of the Kerr model with a thermal cavity bath, per branch.

    The branches are those of :func:`epcore.kerr.mean_field` (the mean field does not see
    :math:`n_b`, module docstring); on each stable one the fluctuation Hamiltonian of
    :func:`epcore.kerr.fluctuation_matrix` and the single thermal channel give the closed
    forms of :func:`epcore.gaussian.channel_balance`. The extensive terms per unit
    :math:`N` are :math:`\Pi_{ext} = \Phi_{ext} = 2\kappa|\alpha|^2/(n_b + 1)`. At
    :math:`n_b = 0` this is :func:`epcore.kerr.linearized_branches`.

    Parameters
    ----------
    eps : float
        Drive per unit size, ``>= 0``.
    n_bath : float
        Bath occupation :math:`n_b \ge 0` of the cavity loss.
    model : KerrModel, optional
        Default :data:`epcore.kerr.PAPER`.

    Returns
    -------
    list of EntropyBalance
        One per stable branch, lowest :math:`n` first. ``extra`` keys: those of
        :func:`epcore.gaussian.channel_balance`, plus ``alpha``, ``n``, ``n_bath`` and
        ``pi_d_thermal`` (the thermal channel's :math:`\Pi_d`, here all of it).

    Raises
    ------
    ValueError
        A bad drive or bath occupation.
    """
    nb = check_bath(n_bath)
    out = []
    for br in kerr.mean_field(eps, model=model):
        if not br.stable:
            continue
        A_H = gaussian.hamiltonian_drift(kerr.fluctuation_matrix(br.alpha, model=model))
        b = gaussian.channel_balance(A_H, [model.kappa], nb)
        out.append(_with_ext(b, 2 * model.kappa * br.n / (nb + 1), alpha=br.alpha, n=br.n,
                             n_bath=nb, pi_d_thermal=b.pi_d))
    return out


def dicke_balance(lam: float, n_bath: float, *, model: DickeModel = dicke.PAPER,
                  branch: str = "mean_field") -> EntropyBalance:
    r"""N -> infinity entropy balance of the Dicke model with a thermal cavity bath.

    Quadratures :math:`(\delta q_b, \delta p_b, \delta q_a, \delta p_a)` and the Hamiltonian
    drift of :func:`epcore.dicke.hamiltonian_drift`; the spin loss :math:`2\gamma D[\delta b]`
    stays at zero temperature, the cavity loss becomes thermal (rates ``[[gamma, kappa]]``,
    occupations ``[[0, n_b]]`` in :func:`epcore.gaussian.channel_balance`). Per unit
    :math:`N`, :math:`\Pi_{ext} = \Phi_{ext} = 2\kappa|\alpha|^2/(n_b + 1)`. At
    :math:`n_b = 0` this is :func:`epcore.dicke.entropy_production`.

    Parameters
    ----------
    lam : float
        Coupling :math:`\lambda \ge 0`.
    n_bath : float
        Bath occupation of the cavity loss.
    model : DickeModel, optional
        Default :data:`epcore.dicke.PAPER`.
    branch : str, optional
        ``"mean_field"`` (the stable branch, as in the paper) or ``"normal"`` (the normal
        phase at every coupling, stable up to ``critical_coupling(shifted=True)``).

    Returns
    -------
    EntropyBalance
        ``extra`` keys: those of :func:`epcore.gaussian.channel_balance`, plus ``alpha``,
        ``n_bath``, ``pi_d_a`` (the thermal cavity channel, also ``pi_d_thermal``) and
        ``pi_d_b`` (the cold spin channel).

    Raises
    ------
    ValueError
        A bad coupling, branch or occupation.
    epcore.errors.UnstableDriftError
        An unstable drift (the normal branch beyond :math:`\lambda_c(\gamma)`).
    epcore.errors.IllConditionedError
        A drift whose Lyapunov solve double precision cannot resolve
        (:func:`epcore.gaussian.lyapunov_condition` above ``LYAPUNOV_COND_LIMIT``).
    """
    nb = check_bath(n_bath)
    A_H = dicke.hamiltonian_drift(lam, model=model, branch=branch)
    A = A_H - np.diag([model.gamma] * 2 + [model.kappa] * 2)
    cond = gaussian.lyapunov_condition(A)
    if cond > gaussian.LYAPUNOV_COND_LIMIT:
        raise IllConditionedError(
            f"the Dicke drift at lam = {lam} has lyapunov_condition {cond:.1e}: double "
            "precision cannot resolve it; lower lam or raise gamma")
    b = gaussian.channel_balance(A_H, [[model.gamma, model.kappa]], [[0.0, nb]])
    alpha = dicke.mean_field(lam, model=model).alpha if branch == "mean_field" else 0j
    pd = b.extra["pi_d_channels"][0]
    return _with_ext(b, 2 * model.kappa * abs(alpha) ** 2 / (nb + 1), alpha=alpha, n_bath=nb,
                     pi_d_a=float(pd[1]), pi_d_b=float(pd[0]), pi_d_thermal=float(pd[1]))


def twophoton_branches(g: float, n_bath: float, *,
                       model: TwoPhotonModel = twophoton.PAPER) -> list[EntropyBalance]:
    r"""N -> infinity entropy balance of the two-photon Kerr resonator with a thermal bath.

    The fluctuations of a stable branch (:func:`epcore.twophoton.mean_field`) see two
    channels on the same mode: the single-photon loss :math:`\kappa D[a]`, rate
    :math:`\kappa/2` in the book's :math:`2\kappa' D` form, made thermal, and the linearized
    two-photon loss, rate :math:`2\eta n`, at zero temperature
    (:func:`epcore.gaussian.channel_balance` with rates ``[[kappa/2], [2 eta n]]`` and
    occupations ``[[n_b], [0]]``). Per unit :math:`N`,
    :math:`\Pi_{ext} = \Phi_{ext} = \kappa n/(n_b + 1) + 2\eta n^2`. At :math:`n_b = 0` this
    is :func:`epcore.twophoton.linearized_branches`.

    Parameters
    ----------
    g : float
        Two-photon drive :math:`G \ge 0`.
    n_bath : float
        Bath occupation of the single-photon loss.
    model : TwoPhotonModel, optional
        Default :data:`epcore.twophoton.PAPER`.

    Returns
    -------
    list of EntropyBalance
        One per stable branch, in the order of :func:`epcore.twophoton.mean_field` (the pair
        :math:`\pm\beta` gives two equal balances). ``extra`` keys: those of
        :func:`epcore.gaussian.channel_balance`, plus ``beta``, ``n``, ``n_bath``,
        ``pi_d_thermal`` and ``pi_d_two_photon`` (the two channels' :math:`\Pi_d`).

    Raises
    ------
    ValueError
        A bad drive or occupation.
    """
    nb = check_bath(n_bath)
    out = []
    for br in twophoton.mean_field(g, model=model):
        if not br.stable:
            continue
        A_H = gaussian.hamiltonian_drift(twophoton.fluctuation_matrix(br.beta, g, model=model))
        b = gaussian.channel_balance(A_H, [[model.kappa / 2], [2 * model.eta * br.n]],
                                     [[nb], [0.0]])
        pd = b.extra["pi_d_channels"][:, 0]
        ext = model.kappa * br.n / (nb + 1) + 2 * model.eta * br.n**2
        out.append(_with_ext(b, ext, beta=br.beta, n=br.n, n_bath=nb,
                             pi_d_thermal=float(pd[0]), pi_d_two_photon=float(pd[1])))
    return out
