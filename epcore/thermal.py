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

Bad input raises a ``ValueError`` (one of the typed subclasses of :mod:`epcore.errors`) whose
message says what to change; the Raises sections list only what it does not cover.
"""

from __future__ import annotations

import math

import numpy as np
import qutip

from . import dicke, gaussian, kerr, twophoton
from .balance import GaussianBalance, ModeBalance
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
from .settings import settings

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
    "twophoton_state_balance",
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


def _with_ext(b: GaussianBalance, ext: float, **fields) -> GaussianBalance:
    return b.replace(pi_ext=ext, phi_ext=ext, **fields)


# ------------------------------------------------------------------ the three models, N -> inf


def kerr_branches(eps: float, n_bath: float, *,
                  model: KerrModel = kerr.PAPER) -> list[GaussianBalance]:
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
    list of GaussianBalance
        One per stable branch, lowest :math:`n` first. Diagnostic fields: those of
        :func:`epcore.gaussian.channel_balance`, plus ``alpha``, ``n``, ``n_bath`` and
        ``pi_d_thermal`` (the thermal channel's :math:`\Pi_d`, here all of it).
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
                  branch: str = "mean_field") -> GaussianBalance:
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
    GaussianBalance
        Diagnostic fields: those of :func:`epcore.gaussian.channel_balance`, plus ``alpha``,
        ``n_bath``, ``pi_d_a`` (the thermal cavity channel, also ``pi_d_thermal``) and
        ``pi_d_b`` (the cold spin channel).

    Raises
    ------
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
    pd = b.pi_d_channels[0]
    return _with_ext(b, 2 * model.kappa * abs(alpha) ** 2 / (nb + 1), alpha=alpha, n_bath=nb,
                     pi_d_a=float(pd[1]), pi_d_b=float(pd[0]), pi_d_thermal=float(pd[1]))


def twophoton_branches(g: float, n_bath: float, *,
                       model: TwoPhotonModel = twophoton.PAPER) -> list[GaussianBalance]:
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
    list of GaussianBalance
        One per stable branch, in the order of :func:`epcore.twophoton.mean_field` (the pair
        :math:`\pm\beta` gives two equal balances). Diagnostic fields: those of
        :func:`epcore.gaussian.channel_balance`, plus ``beta``, ``n``, ``n_bath``,
        ``pi_d_thermal`` and ``pi_d_two_photon`` (the two channels' :math:`\Pi_d`).
    """
    nb = check_bath(n_bath)
    out = []
    for br in twophoton.mean_field(g, model=model):
        if not br.stable:
            continue
        A_H = gaussian.hamiltonian_drift(twophoton.fluctuation_matrix(br.beta, g, model=model))
        b = gaussian.channel_balance(A_H, [[model.kappa / 2], [2 * model.eta * br.n]],
                                     [[nb], [0.0]])
        pd = b.pi_d_channels[:, 0]
        ext = model.kappa * br.n / (nb + 1) + 2 * model.eta * br.n**2
        out.append(_with_ext(b, ext, beta=br.beta, n=br.n, n_bath=nb,
                             pi_d_thermal=float(pd[0]), pi_d_two_photon=float(pd[1])))
    return out


# ------------------------------------------------------------------------- classical limit


def classical_entropy_production(A_H: np.ndarray, kappas, n_bath) -> dict:
    r"""Entropy production of the classical linearized dynamics with thermal noise.

    The Ornstein-Uhlenbeck process :math:`dx = (A_H - K)x\,dt + \sqrt{2D}\,dW` with
    :math:`K = \mathrm{diag}(\sum_c r_c)` and :math:`D = \mathrm{diag}(\sum_c r_c n_c)` per
    quadrature (channel :math:`c` of rate :math:`r_c` and occupation :math:`n_c`). Its
    stationary density is a Gaussian :math:`P` of covariance :math:`\sigma`,
    :math:`A\sigma + \sigma A^T + 2D = 0`. :math:`A_H` is reversible (:math:`p` odd under
    time reversal), so only the channels' currents :math:`J_c = -r_c P_i(x + n_c\nabla\ln
    P)P` are irreversible, and

    .. math::

        \Pi_{cl} = \sum_c \int \frac{|J_c|^2}{r_c n_c P}
        = \sum_{c,i} \frac{r_{ci}}{n_{ci}}\,\mathrm{tr}_i\!\left(G_{ci}\sigma^{-1}G_{ci}\right),
        \qquad G_{ci} = \sigma - n_{ci} I,

    equal in the steady state to the heat flux over temperature
    :math:`\Phi_{cl} = \sum_{c,i} r_{ci}(\mathrm{tr}_i\sigma - 2n_{ci})/n_{ci}`. When every
    occupation is scaled by the same factor, :math:`\sigma` scales with it and
    :math:`\Pi_{cl}` does not change. A channel with :math:`r_c > 0` and :math:`n_c = 0` is a
    friction without noise, whose classical entropy production is unbounded; it is left out
    of ``pi`` and flagged in ``noiseless`` (its quantum :math:`\Pi_d` grows as :math:`n_b`).

    ``pi_u_leading`` is :math:`-\tfrac12\mathrm{tr}(A_H\sigma^{-1})`, the leading term of the
    quantum :math:`\Pi_u = -\tfrac12\mathrm{tr}(A_H S^{-1})`, since the quantum
    :math:`S = \sigma + O(1)`: it falls as :math:`1/n_b` (the Husimi flow of :math:`A_H`
    carries a diffusion of order one, negligible beside a width of order :math:`n_b`).

    Parameters
    ----------
    A_H : numpy.ndarray
        Hamiltonian drift, ``2m x 2m``.
    kappas : array_like
        Rates, shape ``(m,)`` (one channel per mode) or ``(channels, m)``.
    n_bath : float or array_like
        Occupations, one number or the shape of ``kappas``.

    Returns
    -------
    dict
        ``pi`` (float, :math:`\Pi_{cl}` of the noisy channels), ``phi`` (float,
        :math:`\Phi_{cl}` of the same channels), ``pi_channels`` (array ``(channels, m)``,
        zero for the noiseless ones), ``noiseless`` (bool array), ``complete`` (bool: no
        noiseless channel, so ``pi`` is the whole), ``covariance`` (:math:`\sigma`) and
        ``pi_u_leading`` (float).

    Raises
    ------
    ValueError
        Bad rates or occupations, or a noise that does not reach every quadrature
        (:math:`\sigma` singular).
    epcore.errors.UnstableDriftError
        An unstable drift.
    """
    A_H = gaussian.check_matrix(A_H, "the Hamiltonian drift A_H")
    m = A_H.shape[0] // 2
    r, nb = gaussian.check_channels(kappas, n_bath, m)
    A = A_H - np.diag(np.repeat(r.sum(0), 2))
    noise = np.repeat((r * nb).sum(0), 2)
    sigma = gaussian.steady_covariance(A, 2 * np.diag(noise))
    ev = np.linalg.eigvalsh(sigma)
    if not ev.min() > 1e-12 * max(ev.max(), 1e-300):
        raise ValueError("the classical covariance is singular: the thermal noise does not "
                         "reach every quadrature; give a channel a positive occupation")
    sinv = np.linalg.inv(sigma)
    eye = np.eye(2 * m)
    pi = np.zeros(r.shape)
    phi = np.zeros(r.shape)
    noiseless = (r > 0) & (nb == 0)
    for c in range(r.shape[0]):
        for i in range(m):
            if r[c, i] == 0 or nb[c, i] == 0:
                continue
            G = sigma - nb[c, i] * eye
            blk = slice(2 * i, 2 * i + 2)
            pi[c, i] = r[c, i] / nb[c, i] * np.trace((G @ sinv @ G)[blk, blk])
            phi[c, i] = r[c, i] / nb[c, i] * np.trace(G[blk, blk])
    return {"pi": float(pi.sum()), "phi": float(phi.sum()), "pi_channels": pi,
            "noiseless": noiseless, "complete": bool(not noiseless.any()),
            "covariance": sigma, "pi_u_leading": float(-0.5 * np.trace(A_H @ sinv))}


def divergence_amplitude_ratio(A_H: np.ndarray, rates, occupations) -> float:
    r"""Exact ratio :math:`c(n)/c(0)` of the amplitudes of :math:`\Pi_d \sim c/|x - 1|`.

    At a continuous transition one real eigenvalue :math:`\lambda_s \propto (x - 1)` of the
    drift :math:`A = A_H - K` vanishes, with right and left eigenvectors :math:`v`, :math:`w`
    (:math:`w^T v = 1`). Its term of the Lyapunov solution,
    :math:`s \simeq v v^T\, w^T\mathcal D w/(2|\lambda_s|)`, is the only divergent one, and
    the drift does not depend on the occupations, so

    .. math::

        \frac{c(n)}{c(0)} = \frac{\sum_{c,i} \frac{r_{ci}}{n_{ci}+1}|v_i|^2\;
                                  \sum_{c,i} r_{ci}(2n_{ci}+1)|w_i|^2}
                                 {\sum_{c,i} r_{ci}|v_i|^2\;\sum_{c,i} r_{ci}|w_i|^2},

    with :math:`|v_i|^2` the weight of mode :math:`i` (both quadratures). When the thermal
    channel, of occupation :math:`n`, is the only loss on the soft mode this is
    :math:`(2n + 1)/(n + 1)`.

    Parameters
    ----------
    A_H : numpy.ndarray
        Hamiltonian drift at (or very near) the critical point, ``2m x 2m``.
    rates, occupations : array_like
        As :func:`epcore.gaussian.channel_balance`.

    Returns
    -------
    float
        :math:`c(n)/c(0)`.

    Raises
    ------
    ValueError
        Bad rates or occupations, or a soft eigenvalue that is not real.
    """
    A_H = gaussian.check_matrix(A_H, "the Hamiltonian drift A_H")
    m = A_H.shape[0] // 2
    r, nb = gaussian.check_channels(rates, occupations, m)
    A = A_H - np.diag(np.repeat(r.sum(0), 2))
    ev, V = np.linalg.eig(A)
    k = int(np.argmax(ev.real))
    if abs(ev[k].imag) > 1e-8 * max(1.0, np.abs(ev).max()):
        raise ValueError(f"the softest eigenvalue {ev[k]:.3g} of the drift is not real: not a "
                         "continuous transition of a real soft mode")
    v = V[:, k].real
    w = np.linalg.inv(V)[k].real
    v2 = (v**2).reshape(m, 2).sum(1)
    w2 = (w**2).reshape(m, 2).sum(1)
    num = np.sum(r / (nb + 1) * v2) * np.sum(r * (2 * nb + 1) * w2)
    den = np.sum(r * v2) * np.sum(r * w2)
    return float(num / den)


# ------------------------------------------------------------------------ scans for chapter 7


def _model(model_name: str, model):
    if model_name not in MODELS:
        raise ValueError(f"model_name must be one of {MODELS}, got {model_name!r}")
    if model is None:
        return {"kerr": kerr.PAPER, "dicke": dicke.PAPER, "twophoton": twophoton.PAPER}[
            model_name]
    return model


def _critical_point(model_name: str, model) -> float:
    if model_name == "kerr":
        return kerr.critical_drive(model=model)
    if model_name == "dicke":
        return dicke.critical_coupling(model=model)
    return twophoton.critical_drive(model=model)


def _classical_of(b: GaussianBalance) -> dict:
    """:func:`classical_entropy_production` for the channels of a balance, with occupation 1
    on the thermal (first) channel of each model and 0 on the others."""
    r = b.rates
    occ = np.zeros(r.shape)
    occ[0, -1] = 1.0  # Kerr, two-photon: the single-photon channel; Dicke: the cavity
    return classical_entropy_production(b.A_H, r, occ)


def _branches(model_name: str, x: float, nb: float, model) -> list[GaussianBalance]:
    xc = _critical_point(model_name, model)
    if model_name == "kerr":
        out = kerr_branches(x * xc, nb, model=model)
        drifts = [gaussian.hamiltonian_drift(kerr.fluctuation_matrix(b.alpha, model=model))
                  for b in out]
    elif model_name == "dicke":
        out = [dicke_balance(x * xc, nb, model=model)]
        drifts = [dicke.hamiltonian_drift(x * xc, model=model)]
    else:
        out = twophoton_branches(x * xc, nb, model=model)[:1]
        drifts = [gaussian.hamiltonian_drift(twophoton.fluctuation_matrix(b.beta, x * xc,
                                                                          model=model))
                  for b in out]
    return [b.replace(A_H=d) for b, d in zip(out, drifts, strict=True)]


def transition_scan(model_name: str, x, n_baths, *, model=None) -> dict:
    r"""Entropy terms of one model's N -> infinity branches against the distance to its transition.

    ``x`` is :math:`\epsilon/\epsilon_c` (Kerr, :func:`epcore.kerr.critical_drive` of the
    zero-temperature model), :math:`\lambda/\lambda_c` (Dicke,
    :func:`epcore.dicke.critical_coupling`, on the stable mean-field branch) or
    :math:`G/G_c` (two-photon, :func:`epcore.twophoton.critical_drive`). Branch axis: Kerr has
    two (lower, upper; NaN where a branch does not exist), the others one (the symmetric
    state below the transition, one of the equivalent broken ones above).

    Parameters
    ----------
    model_name : str
        ``"kerr"``, ``"dicke"`` or ``"twophoton"``.
    x : array_like
        Relative drives or couplings, ``> 0`` (at most 2000).
    n_baths : array_like
        Bath occupations of the cavity channel, ``>= 0`` (at most 50).
    model : KerrModel or DickeModel or TwoPhotonModel or None, optional
        ``None`` takes the model's ``PAPER``.

    Returns
    -------
    dict
        ``x``, ``n_bath`` (1-D), ``x_c`` (float), and arrays of shape
        ``(len(n_baths), len(x), branches)``: ``pi_u``, ``pi_d``, ``phi_q``, ``pi_ext``,
        ``pi_d_thermal`` (the thermal channel's part of :math:`\Pi_d`), and of shape
        ``(len(x), branches)``: ``pi_cl`` (:func:`classical_entropy_production` of the noisy
        channels, independent of :math:`n_b`) and ``pi_u_leading``
        (:math:`\lim n_b\Pi_u`).
    """
    model = _model(model_name, model)
    x = np.atleast_1d(check_array(x, "the relative drives x", ndim=(0, 1), positive=True,
                                  bounded=True))
    nbs = np.atleast_1d(check_array(n_baths, "the bath occupations n_baths", ndim=(0, 1),
                                    minimum=0.0, bounded=True))
    if x.size > 2000 or nbs.size > 50 or np.any(nbs > MAX_BATH):
        raise ValueError(f"need at most 2000 x, at most 50 occupations <= {MAX_BATH:g}")
    nbr = 2 if model_name == "kerr" else 1
    keys = ("pi_u", "pi_d", "phi_q", "pi_ext", "pi_d_thermal")
    out = {k: np.full((nbs.size, x.size, nbr), np.nan) for k in keys}
    cl = {k: np.full((x.size, nbr), np.nan) for k in ("pi_cl", "pi_u_leading")}
    for j, xv in enumerate(x):
        for i, nb in enumerate(nbs):
            brs = _branches(model_name, float(xv), float(nb), model)
            for b in brs:
                col = 0
                if model_name == "kerr" and (len(brs) == 2 and b is brs[1] or len(brs) == 1
                                             and kerr.on_upper_branch(b.n, model=model)):
                    col = 1
                for k in keys:
                    out[k][i, j, col] = getattr(b, k) if k != "pi_d_thermal" else \
                        b.pi_d_thermal
                if i == 0:
                    c = _classical_of(b)
                    cl["pi_cl"][j, col] = c["pi"]
                    cl["pi_u_leading"][j, col] = c["pi_u_leading"]
    return {"x": x, "n_bath": nbs, "x_c": _critical_point(model_name, model), **out, **cl}


def critical_divergence(model_name: str, n_bath: float, *, side: int = -1, rel=None,
                        model=None) -> dict:
    r""":math:`\Pi_d` and :math:`\Pi_{cl}` approaching a continuous transition, with fits.

    Two-photon: :math:`G = G_c(1 + \text{side}\cdot\text{rel})`, on the symmetric branch
    below and a broken one above. Dicke: the normal branch below the instability of the
    regularized drift, :math:`\lambda = \lambda_c(\gamma)(1 - \text{rel})` (only
    ``side=-1``; the superradiant branch does not diverge at :math:`\gamma > 0`). The fit is
    of :math:`\ln\Pi_d` against :math:`\ln\text{rel}`; ``amplitude`` is
    :math:`\Pi_d\cdot\text{rel}` extrapolated linearly in rel to zero, and ``ratio_exact``
    is :func:`divergence_amplitude_ratio` at the critical point, the prediction of
    ``amplitude / amplitude(n_b = 0)``.

    Parameters
    ----------
    model_name : str
        ``"dicke"`` or ``"twophoton"``.
    n_bath : float
        Bath occupation of the cavity channel.
    side : int, optional
        -1 (below) or +1 (above, two-photon only).
    rel : array_like or None, optional
        Relative distances in (0, 0.5); default 13 points log-spaced in [1e-7, 1e-4].
    model : KerrModel or DickeModel or TwoPhotonModel or None, optional
        ``None`` takes the model's ``PAPER``.

    Returns
    -------
    dict
        ``rel``, ``pi_d``, ``pi_cl`` (arrays), ``slope``, ``slope_classical``,
        ``amplitude``, ``amplitude_classical``, ``ratio_exact`` (floats).

    Raises
    ------
    ValueError
        An unknown model, Kerr (no continuous transition), a bad side or distances.
    """
    if model_name == "kerr":
        raise ValueError("the Kerr transition is first order: no divergence at eps_c")
    model = _model(model_name, model)
    nb = check_bath(n_bath)
    if side not in (-1, 1) or (model_name == "dicke" and side != -1):
        raise ValueError("side must be -1 or +1 (two-photon), -1 (Dicke)")
    rel = np.logspace(-7, -4, 13) if rel is None else np.atleast_1d(
        check_array(rel, "the relative distances rel", ndim=(0, 1), positive=True))
    if rel.size < 3 or rel.size > 1000 or np.any(rel >= 0.5):
        raise ValueError("need 3 to 1000 relative distances in (0, 0.5)")
    pi_d, pi_cl = np.empty(rel.size), np.empty(rel.size)
    if model_name == "twophoton":
        gc = twophoton.critical_drive(model=model)
        for k, d in enumerate(rel):
            g = gc * (1 + side * d)
            b = twophoton_branches(g, nb, model=model)[0]
            A_H = gaussian.hamiltonian_drift(twophoton.fluctuation_matrix(b.beta, g,
                                                                          model=model))
            pi_d[k] = b.pi_d
            pi_cl[k] = classical_entropy_production(A_H, b.rates, [[1.0], [0.0]])["pi"]
        A_c = gaussian.hamiltonian_drift(twophoton.fluctuation_matrix(0j, gc, model=model))
        ratio = divergence_amplitude_ratio(A_c, [model.kappa / 2], nb)
    else:
        lcg = dicke.critical_coupling(model=model, shifted=True)
        for k, d in enumerate(rel):
            b = dicke_balance(lcg * (1 - d), nb, model=model, branch="normal")
            A_H = dicke.hamiltonian_drift(lcg * (1 - d), model=model, branch="normal")
            pi_d[k] = b.pi_d
            pi_cl[k] = classical_entropy_production(
                A_H, [[model.gamma, model.kappa]], [[0.0, 1.0]])["pi"]
        A_c = dicke.hamiltonian_drift(lcg, model=model, branch="normal")
        ratio = divergence_amplitude_ratio(A_c, [[model.gamma, model.kappa]], [[0.0, nb]])

    def fit(y):
        slope = float(np.polyfit(np.log(rel), np.log(y), 1)[0])
        amp = float(np.polyfit(rel, y * rel, 1)[1])
        return slope, amp

    slope, amp = fit(pi_d)
    slope_cl, amp_cl = fit(pi_cl)
    return {"rel": rel, "pi_d": pi_d, "pi_cl": pi_cl, "slope": slope,
            "slope_classical": slope_cl, "amplitude": amp, "amplitude_classical": amp_cl,
            "ratio_exact": ratio}


# ----------------------------------------------------------------- finite N, the exact state


#: Population of the top three Fock levels above which :func:`kerr_state_balance` grows the
#: cutoff.
STATE_TAIL_TOL = 1e-13
#: The largest bath occupation :func:`kerr_state_balance` accepts (its Fock cutoff grows as
#: :math:`n_b\ln(1/\text{STATE\_TAIL\_TOL})`).
STATE_MAX_BATH = 2.0


def kerr_state_balance(N: float, eps: float, n_bath: float, *, model: KerrModel = kerr.PAPER,
                       cutoff: int | None = None) -> ModeBalance:
    r"""Eqs. (5)-(10) for the finite-N Kerr steady state with a thermal cavity bath.

    The steady state of :math:`\dot\rho = -i[H, \rho] + 2\kappa(n_b + 1)D[a]\rho
    + 2\kappa n_b D[a^\dagger]\rho` (``qutip.steadystate``, direct sparse LU; :math:`H` of
    :func:`epcore.kerr.hamiltonian`), in a Fock cutoff grown by 40 % until its top three
    levels hold at most ``STATE_TAIL_TOL``. On the phase-space grid of
    :func:`epcore.phasespace.husimi_data`, with
    :math:`A = \langle\mu|a\rho|\mu\rangle/\pi = \mu Q + \partial_{\bar\mu}Q`,
    the thermal current is
    :math:`J = \kappa((n_b + 1)A - n_b\mu Q)`, and with :math:`J^v = J - \kappa\langle a\rangle
    Q`,

    .. math::

        \begin{aligned}
        \Pi_d &= \frac{2}{\kappa(n_b + 1)}\int\frac{|J^v|^2}{Q}, \qquad
        \Pi_u = -\int\mathcal U(Q)\ln Q, \\
        \Phi_q &= \frac{2\kappa(\langle a^\dagger a\rangle - |\langle a\rangle|^2 - n_b)}
        {n_b + 1}, \\
        \Pi_{ext} &= \Phi_{ext} = \frac{2\kappa|\langle a\rangle|^2}{n_b + 1}.
        \end{aligned}

    :math:`\mathcal U(Q)` is taken from the Kerr term alone: the drive and the detuning are a
    divergence-free flow of :math:`Q` and add nothing to :math:`\Pi_u`. At
    :math:`n_b = 0` this is :func:`epcore.kerr.entropy_production` (by another solver).

    Parameters
    ----------
    N : float
        System size.
    eps : float
        Drive per unit size, ``>= 0``.
    n_bath : float
        Bath occupation, at most ``STATE_MAX_BATH``.
    model : KerrModel, optional
        Default :data:`epcore.kerr.PAPER`.
    cutoff : int or None, optional
        First Fock cutoff tried; ``None`` sizes it from the mean field.

    Returns
    -------
    ModeBalance
        Totals (not per unit :math:`N`). Diagnostic fields: ``mean_a``, ``photons``,
        ``alpha`` (:math:`\langle a\rangle/\sqrt N`), ``cutoff``, ``top_population``,
        ``normalization`` (:math:`\int Q`), ``n_bath``.

    Raises
    ------
    epcore.errors.CutoffError
        If the cutoff reaches ``epcore.settings.state_max_cutoff`` with populated top levels.
    """
    from .errors import CutoffError

    N, nb = check_size(N), check_bath(n_bath)
    if N > 50:
        raise ValueError(f"N = {N} is too large for the Fock-space solve here; use N <= 50")
    eps = check_real(eps, "the drive eps", minimum=0.0, maximum=10.0)
    if nb > STATE_MAX_BATH:
        raise ValueError(f"n_bath = {nb} needs too many Fock levels here; use n_bath <= "
                         f"{STATE_MAX_BATH:g}")
    if cutoff is None:
        top = max([br.n for br in kerr.mean_field(eps, model=model)] + [0.0])
        # the thermal tail (n_b/(n_b+1))^d must fall below STATE_TAIL_TOL
        tail = math.log(STATE_TAIL_TOL) / math.log(nb / (nb + 1)) if nb > 0 else 0.0
        d = int(N * top + tail + 6 * math.sqrt(N * top + nb + 1) + 10)
    else:
        d = check_integer(cutoff, "the Fock cutoff", minimum=4, maximum=settings.state_max_cutoff)
    while True:
        d = min(d, settings.state_max_cutoff)
        a = qutip.destroy(d)
        H = kerr.hamiltonian(N, eps, d, model=model)
        c_ops = [math.sqrt(2 * model.kappa * (nb + 1)) * a]
        if nb > 0:
            c_ops.append(math.sqrt(2 * model.kappa * nb) * a.dag())
        rho = qutip.steadystate(H, c_ops, method="direct")
        rho = (rho + rho.dag()) / 2
        rho = rho / rho.tr()
        pops = np.real(np.diag(rho.full()))
        tail = float(pops[-3:].sum())
        if tail <= STATE_TAIL_TOL:
            break
        if d >= settings.state_max_cutoff:
            raise CutoffError(f"the top Fock levels hold {tail:.1e} at the largest cutoff "
                              f"{settings.state_max_cutoff} (epcore.settings.state_max_cutoff): "
                              "lower N, eps or n_bath")
        d = int(1.4 * d) + 1
    n = np.arange(d, dtype=float)
    kerr_only = np.diag(model.u / (2 * N) * n * (n - 1)).astype(complex)
    data = husimi_data(rho, kerr_only)
    m = data.rho
    mean_a = complex(np.sum(np.sqrt(n[1:]) * np.diagonal(m, -1)))
    photons = float(np.sum(n * np.diag(m).real))
    k = model.kappa
    jv = (nb + 1) * data.A - nb * data.grid.mu * data.Q - mean_a * data.Q  # J^v / kappa
    pi_d = 2 * k / (nb + 1) * float(data.integrate(data.over_q(np.abs(jv) ** 2)))
    pi_u = float(-data.integrate(np.where(data.mask, data.U * data.log_q, 0.0)))
    phi_q = 2 * k * (photons - abs(mean_a) ** 2 - nb) / (nb + 1)
    ext = 2 * k * abs(mean_a) ** 2 / (nb + 1)
    return ModeBalance(ext, pi_u, pi_d, ext, phi_q, mean_a=mean_a, photons=photons,
                       alpha=mean_a / math.sqrt(N), cutoff=d, top_population=tail,
                       normalization=data.normalization, n_bath=nb)


def twophoton_state_balance(N: float, g: float, n_bath: float, *,
                            model: TwoPhotonModel = twophoton.PAPER,
                            cutoff: int | None = None) -> ModeBalance:
    r"""Eqs. (5)-(10) for the finite-N two-photon steady state with a thermal single-photon loss.

    The steady state of :func:`epcore.twophoton.hamiltonian` with the losses
    :math:`\kappa(n_b + 1)D[a] + \kappa n_b D[a^\dagger] + (\eta/N)D[a^2]`
    (``qutip.steadystate``, direct sparse LU), in a Fock cutoff grown until its top three
    levels hold at most ``STATE_TAIL_TOL``. Its balance is
    :func:`epcore.twophoton.state_balance` with the single-photon terms made thermal: with
    :math:`m = \langle a\rangle` and :math:`A = \langle\mu|a\rho|\mu\rangle/\pi`,

    .. math::

        \begin{aligned}
        \Pi_d^{(1)} &= \frac{\kappa}{n_b + 1}\int\frac{|(n_b + 1)A - n_b\mu Q - mQ|^2}{Q},
        \\
        \Phi_q^{(1)} &= \frac{\kappa(\langle a^\dagger a\rangle - |m|^2 - n_b)}{n_b + 1},
        \qquad \Phi_{ext}^{(1)} = \frac{\kappa|m|^2}{n_b + 1};
        \end{aligned}

    the two-photon terms and :math:`\Pi_u` do not change.

    Parameters
    ----------
    N : float
        System size, at most 50.
    g : float
        Two-photon drive :math:`G \ge 0`, at most 5.
    n_bath : float
        Bath occupation, at most ``STATE_MAX_BATH``.
    model : TwoPhotonModel, optional
        Default :data:`epcore.twophoton.PAPER`.
    cutoff : int or None, optional
        First Fock cutoff tried; ``None`` sizes it from the mean field and the bath.

    Returns
    -------
    ModeBalance
        Totals. Diagnostic fields: those of :func:`epcore.twophoton.state_balance` (its
        ``pi_d_one_photon`` replaced by the thermal one), plus ``n_bath``.

    Raises
    ------
    epcore.errors.CutoffError
        If the cutoff reaches ``epcore.settings.state_max_cutoff`` with populated top levels.
    """
    from .errors import CutoffError

    N, nb = check_size(N), check_bath(n_bath)
    if N > 50:
        raise ValueError(f"N = {N} is too large for the Fock-space solve here; use N <= 50")
    g = check_real(g, "the drive g", minimum=0.0, maximum=5.0)
    if nb > STATE_MAX_BATH:
        raise ValueError(f"use n_bath <= {STATE_MAX_BATH:g}, got {nb}")
    if cutoff is None:
        top = max(br.n for br in twophoton.mean_field(g, model=model))
        tail = math.log(STATE_TAIL_TOL) / math.log(nb / (nb + 1)) if nb > 0 else 0.0
        d = int(N * top + tail + 8 * math.sqrt(N * top + nb + 1) + 16)
    else:
        d = check_integer(cutoff, "the Fock cutoff", minimum=4, maximum=settings.state_max_cutoff)
    while True:
        d = min(d, settings.state_max_cutoff)
        a = qutip.destroy(d)
        H = twophoton.hamiltonian(N, g, d, model=model)
        c_ops = [math.sqrt(model.kappa * (nb + 1)) * a]
        if nb > 0:
            c_ops.append(math.sqrt(model.kappa * nb) * a.dag())
        if model.eta > 0:
            c_ops.append(math.sqrt(model.eta / N) * a * a)
        rho = qutip.steadystate(H, c_ops, method="direct")
        rho = (rho + rho.dag()) / 2
        rho = rho / rho.tr()
        tail_pop = float(np.real(np.diag(rho.full()))[-3:].sum())
        if tail_pop <= STATE_TAIL_TOL:
            break
        if d >= settings.state_max_cutoff:
            raise CutoffError(f"the top Fock levels hold {tail_pop:.1e} at the largest cutoff "
                              f"{settings.state_max_cutoff} (epcore.settings.state_max_cutoff): "
                              "lower N, g or n_bath")
        d = int(1.4 * d) + 1
    b = twophoton.state_balance(rho, N, g, model=model)
    data = husimi_data(rho)
    m, k = b.mean_a, model.kappa
    fluct = (nb + 1) * data.A - nb * data.grid.mu * data.Q - m * data.Q
    pi_d1 = k / (nb + 1) * float(data.integrate(data.over_q(np.abs(fluct) ** 2)))
    var = b.photons - abs(m) ** 2
    phi_q = b.phi_q - k * var + k * (var - nb) / (nb + 1)
    ext = b.phi_ext - k * abs(m) ** 2 + k * abs(m) ** 2 / (nb + 1)
    pi_d = b.pi_d - b.pi_d_one_photon + pi_d1
    return b.replace(pi_ext=ext, pi_d=pi_d, phi_ext=ext, phi_q=phi_q, pi_d_one_photon=pi_d1,
                     n_bath=nb)
