r"""Near the critical point and as :math:`\gamma \to 0` (Sec. V, Eq. 13, Fig. 3d).

The paper fits :math:`\Pi_d \sim 1/|\lambda_c - \lambda|` (Eq. 13) on a log-log plot
(Fig. 3d). Here the claim is tested through the local slope
:math:`d\ln\Pi_d/d\ln|\lambda - \lambda_c|` (:func:`local_slope`), the range where it stays
near -1 (:func:`slope_window`) and a fit with the slope held at -1 (:func:`fit_fixed_slope`),
all combined by :func:`divergence_profile`. The stabilizing loss :math:`\gamma` of Eq. (C20)
does not cut the divergence off: it moves the instability of the normal phase to
:math:`\lambda_c(\gamma) = \lambda_c\sqrt{1 + \gamma^2/\omega_0^2}`, where :math:`\Pi_d`
diverges with slope -1 at every :math:`\gamma` (:func:`shifted_divergence`); measured from
:math:`\lambda_c` instead, the curve flattens at distances of order
:math:`\lambda_c(\gamma) - \lambda_c`. :func:`epcore.dicke.gamma_zero_limit` gives the terms at
:math:`\gamma \to 0`, and
:func:`effective_temperature` and :func:`adiabatic_occupations` explain them by eliminating the
fast cavity.
"""

from __future__ import annotations

import numpy as np

from .. import gaussian
from ..errors import ValidityError
from ..models import DickeModel, check_array, check_coupling, check_couplings, check_real
from .entropy import entropy_production_batch, gamma_zero_limit
from .fluctuations import coefficient_arrays
from .meanfield import PAPER, critical_coupling

__all__ = [
    "local_slope",
    "slope_window",
    "fit_fixed_slope",
    "divergence_profile",
    "shifted_divergence",
    "effective_temperature",
    "rotating_wave_covariance",
    "adiabatic_occupations",
    "gamma_limit_table",
    "pole_slope",
]

#: The largest ratio max(omega0~, omega) / kappa at which :func:`adiabatic_occupations`
#: trusts the adiabatic elimination of the cavity (its error is about 3 % there).
ADIABATIC_TOL = 0.1


def local_slope(distance, values) -> np.ndarray:
    r"""Local log-log slope :math:`d\ln(\mathrm{values})/d\ln(\mathrm{distance})` along a curve.

    Second-order differences (:func:`numpy.gradient` in the logarithms). Use it with
    ``distance`` :math:`= |\lambda - \lambda_c|` on one side of the transition: Eq. (13)
    predicts -1; a curve that stays finite at the origin of the distances gives 0 there.

    Parameters
    ----------
    distance : array_like
        Strictly increasing positive abscissae, 1-D, at least 3 points.
    values : array_like
        Positive values, same shape.

    Returns
    -------
    numpy.ndarray
        The slope at each point.
    """
    d = check_array(distance, "distance", min_size=0)
    v = check_array(values, "values", min_size=0)
    if d.shape != v.shape or d.ndim != 1 or d.size < 3:
        raise ValueError("distance and values must be 1-D arrays of the same length >= 3")
    if np.any(d <= 0) or np.any(v <= 0):
        raise ValueError("distance and values must be > 0 for a log-log slope")
    if np.any(np.diff(d) <= 0):
        raise ValueError("distance must be strictly increasing")
    return np.gradient(np.log(v), np.log(d))


def slope_window(
    distance, slope, *, target: float = -1.0, tol: float = 0.05
) -> tuple[float, float] | None:
    """Widest contiguous range of ``distance`` where the slope stays within ``tol`` of ``target``.

    Parameters
    ----------
    distance : array_like
        Abscissae, increasing, 1-D.
    slope : array_like
        Local slopes at those points (:func:`local_slope`).
    target : float, optional
        The slope looked for; -1 for Eq. (13).
    tol : float, optional
        Largest allowed deviation from ``target``.

    Returns
    -------
    tuple of float or None
        ``(d_min, d_max)``, or None if the slope never stays within ``tol`` for at least three
        consecutive points.
    """
    d = check_array(distance, "distance", ndim=1)
    slope = check_array(slope, "slope", ndim=1)
    if slope.shape != d.shape:
        raise ValueError(
            f"distance and slope must have the same length, got {d.size}, {slope.size}"
        )
    if np.any(np.diff(d) <= 0):
        raise ValueError("distance must be strictly increasing")
    target = check_real(target, "target")
    tol = check_real(tol, "tol", positive=True)
    ok = np.abs(slope - target) <= tol
    best, start = None, None
    for i, flag in enumerate(np.append(ok, False)):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= 3 and (best is None or i - start > best[1] - best[0]):
                best = (start, i)
            start = None
    if best is None:
        return None
    return float(d[best[0]]), float(d[best[1] - 1])


def fit_fixed_slope(distance, values, window: tuple[float, float], slope: float = -1.0) -> float:
    r"""Intercept :math:`c` of :math:`\log_{10}\mathrm{values} = c + s \log_{10}\mathrm{distance}`.

    Least squares inside ``window`` with the slope :math:`s` held fixed: the straight lines of
    the paper's Fig. 3(d).

    Parameters
    ----------
    distance, values : array_like
        Positive abscissae and values, same shape.
    window : tuple of float
        ``(d_min, d_max)``: the points fitted.
    slope : float, optional
        The fixed slope :math:`s`; -1 for Eq. (13).

    Returns
    -------
    float
        The intercept :math:`c`, the mean of :math:`\log_{10}\mathrm{values} - s
        \log_{10}\mathrm{distance}` inside the window.

    Raises
    ------
    ValueError
        If fewer than two points lie inside the window (widen it or refine the grid).
    """
    d = check_array(distance, "distance", ndim=1, positive=True)
    v = check_array(values, "values", ndim=1, positive=True)
    if d.shape != v.shape:
        raise ValueError(
            f"distance and values must have the same length, got {d.size}, {v.size}"
        )
    w = check_array(window, "window", ndim=1, positive=True)
    if w.shape != (2,) or not w[0] <= w[1]:
        raise ValueError(f"window must be (d_min, d_max) with d_min <= d_max, got {window!r}")
    slope = check_real(slope, "slope")
    window = (float(w[0]), float(w[1]))
    inside = (d >= window[0]) & (d <= window[1])
    if inside.sum() < 2:
        raise ValueError("fewer than two points inside the fit window; widen it or refine the grid")
    return float(np.mean(np.log10(v[inside]) - slope * np.log10(d[inside])))


def divergence_profile(
    side: int, *, model: DickeModel = PAPER, rel_min: float = 1e-10,
    rel_max: float = 10**-0.5, n: int = 500, tol: float = 0.05,
) -> dict[str, np.ndarray | tuple[float, float] | None]:
    r""":math:`\Pi_d` and its local log-log slope near :math:`\lambda_c` (Eq. 13, Fig. 3d).

    On one side of :math:`\lambda_c`, the relative distances
    :math:`|\lambda - \lambda_c|/\lambda_c` are log-spaced in
    ``[rel_min, rel_max]``, the terms come from
    :func:`~epcore.dicke.entropy_production_batch`, the slope from :func:`local_slope`, the
    window from :func:`slope_window` and the intercept from :func:`fit_fixed_slope` of
    :math:`\log_{10}\Pi_d` against :math:`\log_{10}|\lambda - \lambda_c|`.

    Parameters
    ----------
    side : int
        -1 (normal phase, below :math:`\lambda_c`) or +1 (superradiant, above).
    model : DickeModel, optional
        Frequencies and loss rates; its ``gamma`` sets the distance
        :math:`\lambda_c(\gamma) - \lambda_c` at which the curve, measured from
        :math:`\lambda_c`, flattens (see :func:`shifted_divergence`). Default
        :data:`~epcore.dicke.PAPER`; for another :math:`\gamma` pass
        ``PAPER.replace(gamma=...)``.
    rel_min, rel_max : float, optional
        Range of relative distances, ``0 < rel_min < rel_max < 1``.
    n : int, optional
        Number of points.
    tol : float, optional
        Largest deviation of the slope from -1 inside the window.

    Returns
    -------
    dict
        ``rel_distance`` (array), ``pi_d`` (array), ``slope`` (array), ``window`` (relative
        distances ``(lo, hi)`` where the slope stays within ``tol`` of -1, or None) and
        ``intercept`` (of the slope -1 fit inside the window, or None without a window).
    """
    if side not in (-1, 1):
        raise ValueError("side must be -1 (below lambda_c) or +1 (above)")
    if not 0 < rel_min < rel_max < 1:
        raise ValueError("need 0 < rel_min < rel_max < 1")
    lc = critical_coupling(model=model)
    rel = np.logspace(np.log10(rel_min), np.log10(rel_max), n)
    sw = entropy_production_batch(lc * (1 + side * rel), model=model)
    slope = local_slope(rel, sw.pi_d)
    window = slope_window(rel, slope, tol=tol)
    intercept = None
    if window is not None:
        intercept = fit_fixed_slope(lc * rel, sw.pi_d, (lc * window[0], lc * window[1]))
    return {"rel_distance": rel, "pi_d": sw.pi_d, "slope": slope, "window": window,
            "intercept": intercept}


def shifted_divergence(
    *, model: DickeModel = PAPER, rel_min: float = 1e-10, rel_max: float = 10**-0.5,
    n: int = 500, fit_max: float = 1e-4, tol: float = 0.05,
) -> dict[str, np.ndarray | float | tuple[float, float] | None]:
    r""":math:`\Pi_d` of the normal phase against its distance from :math:`\lambda_c(\gamma)`.

    With the loss :math:`2\gamma D[\delta b]` of Eq. (C20), the normal-phase drift (C25) is
    stable up to :math:`\lambda_c(\gamma) = \lambda_c\sqrt{1 + \gamma^2/\omega_0^2}`
    (``critical_coupling(model=model, shifted=True)``), beyond the :math:`\lambda_c` of
    Eq. (C8) where the paper switches to the superradiant branch. Here the relative distances
    :math:`x = (\lambda_c(\gamma) - \lambda)/\lambda_c(\gamma)` are log-spaced in
    ``[rel_min, rel_max]`` and :math:`\Pi_d` is computed on the normal branch
    (:func:`~epcore.dicke.entropy_production_batch` with ``branch="normal"``). Eq. (13) holds
    measured from :math:`\lambda_c(\gamma)`: :math:`\Pi_d (\lambda_c(\gamma) - \lambda)` tends
    to a finite amplitude and the log-log slope to -1.

    Parameters
    ----------
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.
    rel_min, rel_max : float, optional
        Range of relative distances, ``0 < rel_min < rel_max < 1``.
    n : int, optional
        Number of points.
    fit_max : float, optional
        The straight-line fit of :math:`\ln\Pi_d` against :math:`\ln(\lambda_c(\gamma) -
        \lambda)` uses the points with relative distance up to ``fit_max``.
    tol : float, optional
        Largest deviation of the local slope from -1 inside the window.

    Returns
    -------
    dict
        ``lambda_c_shifted`` (:math:`\lambda_c(\gamma)`), ``rel_distance``, ``pi_d`` and
        ``slope`` (arrays, the local slope by :func:`local_slope`), ``amplitude`` (array,
        :math:`\Pi_d\,(\lambda_c(\gamma) - \lambda)`), ``fitted_slope`` (the slope of the
        fit), ``window`` (the range of relative distances where the local slope stays within
        ``tol`` of -1, by :func:`slope_window`, or None).

    Raises
    ------
    ValueError
        If the range is not inside (0, 1) or ``fit_max`` leaves fewer than three points.
    """
    if not 0 < rel_min < rel_max < 1:
        raise ValueError("need 0 < rel_min < rel_max < 1")
    lcg = critical_coupling(model=model, shifted=True)
    rel = np.logspace(np.log10(rel_min), np.log10(rel_max), n)
    dist = lcg * rel
    sw = entropy_production_batch(lcg - dist, model=model, branch="normal")
    slope = local_slope(rel, sw.pi_d)
    near = rel <= fit_max
    if near.sum() < 3:
        raise ValueError(f"fewer than three points with rel_distance <= fit_max = {fit_max:g}")
    fitted = float(np.polyfit(np.log(dist[near]), np.log(sw.pi_d[near]), 1)[0])
    return {"lambda_c_shifted": lcg, "rel_distance": rel, "pi_d": sw.pi_d, "slope": slope,
            "amplitude": sw.pi_d * dist, "fitted_slope": fitted,
            "window": slope_window(rel, slope, tol=tol)}


def effective_temperature(*, model: DickeModel = PAPER) -> float:
    r"""Temperature that the bad cavity gives the spin fluctuations.

    .. math::

        T_{eff} = \frac{\kappa^2 + \omega^2}{4\omega} = \frac{\lambda_c^2}{\omega_0}.

    Eliminating the cavity (:math:`\kappa \gg \omega, \omega_0`) from the quadratic model
    (Eqs. C16, C20) leaves the spin with a friction :math:`\propto \omega/\kappa^3` and a
    noise :math:`\propto 1/\kappa` from the vacuum fluctuations of the cavity; their ratio is
    a classical temperature, in the units of the rates (:math:`k_B = \hbar = 1`), independent
    of the coupling and of the spin frequency.

    Parameters
    ----------
    model : DickeModel, optional
        Cavity frequency and loss rate; default :data:`~epcore.dicke.PAPER`. ``omega0`` and
        ``gamma`` play no part.

    Returns
    -------
    float
        :math:`T_{eff}`.
    """
    return (model.kappa**2 + model.omega**2) / (4.0 * model.omega)


def rotating_wave_covariance(lam: float, *, model: DickeModel = PAPER) -> np.ndarray:
    r"""Steady covariance of the normal-phase fluctuations with a rotating-wave coupling.

    The normal-phase quadratic Hamiltonian (Eq. C16 with :math:`\tilde\omega_0 = \omega_0`,
    :math:`\tilde\lambda = \lambda`, :math:`\zeta = 0`) with the coupling
    :math:`\lambda(\delta a + \delta a^\dagger)(\delta b + \delta b^\dagger)` replaced by its
    rotating-wave part :math:`\lambda(\delta a^\dagger\delta b + \delta a\,\delta b^\dagger)`,
    i.e. :math:`\lambda(\delta q_a\delta q_b + \delta p_a\delta p_b)`, and the losses of Eq. (C20).
    The Lyapunov equation (C24) is solved with :func:`epcore.gaussian.steady_covariance`. Compare
    with :func:`~epcore.dicke.steady_covariance`: the counter-rotating terms
    :math:`\lambda(\delta a\,\delta b + \delta a^\dagger\delta b^\dagger)` are what heats the spin
    to :func:`effective_temperature`; without them the steady state is the vacuum.

    Parameters
    ----------
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.

    Returns
    -------
    numpy.ndarray
        :math:`\sigma`, shape ``(4, 4)``, ordered as in Eq. (C23); the vacuum is :math:`I/2`.
    """
    lam = check_coupling(lam, "rotating_wave_covariance")
    G = np.zeros((4, 4))
    G[0, 0] = G[1, 1] = model.omega0
    G[2, 2] = G[3, 3] = model.omega
    G[0, 2] = G[2, 0] = G[1, 3] = G[3, 1] = lam
    A_loss, D = gaussian.loss_drift([model.gamma, model.kappa])
    return gaussian.steady_covariance(gaussian.hamiltonian_drift(G) + A_loss, D)


def adiabatic_occupations(lam, *, model: DickeModel = PAPER) -> tuple[np.ndarray, np.ndarray]:
    r"""Occupations of the fluctuations as :math:`\gamma \to 0`, by adiabatic elimination.

    With :math:`\kappa \gg \omega, \omega_0` the cavity follows the spin: its static response
    softens the :math:`q_b` quadrature of the quadratic Hamiltonian (Eq. C16) to the stiffness

    .. math::

        k_q = \tilde\omega_0 - 4\zeta - \frac{4\omega\tilde\lambda^2}{\kappa^2 + \omega^2}

    (:math:`\omega_0(1 - \lambda^2/\lambda_c^2)` in the normal phase), and its delayed
    response and vacuum noise put the spin at the temperature :math:`T` of
    :func:`effective_temperature`. Equipartition gives :math:`\sigma_{qq} = T/k_q`,
    :math:`\sigma_{pp} = T/\tilde\omega_0`, so

    .. math::

        \langle\delta b^\dagger\delta b\rangle = \frac{\sigma_{qq} + \sigma_{pp} - 1}{2},
        \qquad
        \langle\delta a^\dagger\delta a\rangle = \frac{2\tilde\lambda^2\sigma_{qq}}
            {\kappa^2 + \omega^2}.

    Valid for :math:`\lambda > 0` (at :math:`\lambda = 0` the spin decouples) and
    :math:`\lambda \ne \lambda_c`, while the cavity is much faster than the spin:
    :math:`\max(\tilde\omega_0, \omega) \le` ``ADIABATIC_TOL`` :math:`\kappa` (0.1; the
    error of :math:`\langle\delta b^\dagger\delta b\rangle` grows as about
    :math:`3(\tilde\omega_0/\kappa)^2`, 3 % at the limit). In the superradiant phase
    :math:`\tilde\omega_0 = \omega_0\lambda^2/\lambda_c^2` grows, so far above
    :math:`\lambda_c` the formula is refused.

    Parameters
    ----------
    lam : float or array_like
        Couplings :math:`\lambda > 0`.
    model : DickeModel, optional
        Frequencies and loss rate; default :data:`~epcore.dicke.PAPER`. ``gamma`` plays no
        part.

    Returns
    -------
    photons_a : numpy.ndarray
        :math:`\langle\delta a^\dagger\delta a\rangle`, one per coupling.
    photons_b : numpy.ndarray
        :math:`\langle\delta b^\dagger\delta b\rangle`, one per coupling.

    Raises
    ------
    ValueError
        At :math:`\lambda_c`, where the stiffness vanishes and the occupations diverge, or for
        an invalid coupling.
    epcore.errors.ValidityError
        Where the cavity is not much faster than the spin (see above).
    """
    lam = check_couplings(lam)
    o, lt, z = coefficient_arrays(lam, model=model)
    slow = np.maximum(o, model.omega) / model.kappa
    if np.any(slow > ADIABATIC_TOL):
        bad = lam[slow > ADIABATIC_TOL][:3].tolist()
        raise ValidityError(
            f"adiabatic elimination needs the cavity much faster than the spin, max(omega0~, "
            f"omega) <= {ADIABATIC_TOL} kappa (ADIABATIC_TOL); at lam = {bad} the ratio is "
            f"{slow.max():.3g} (omega0~ = omega0 (lam/lambda_c)^2 grows in the superradiant "
            "phase): use gamma_zero_limit, which solves the Lyapunov equation exactly"
        )
    T = effective_temperature(model=model)
    k2 = model.kappa**2 + model.omega**2
    k_q = o - 4.0 * z - 4.0 * model.omega * lt**2 / k2
    if np.any(k_q <= 1e-15 * model.omega0):
        raise ValueError("the gamma -> 0 occupations diverge at lambda_c; exclude lambda_c")
    s_qq, s_pp = T / k_q, T / o
    return 2.0 * lt**2 * s_qq / k2, (s_qq + s_pp - 1.0) / 2.0


def gamma_limit_table(
    ratios=(0.1, 0.5, 1.5), gammas=(1e-5, 1e-7), *, model: DickeModel = PAPER
) -> dict[str, np.ndarray]:
    r""":math:`\Pi_d` and the spin occupation as :math:`\gamma` decreases, and their limit.

    The book's table of the limit :math:`\gamma \to 0` (Sec. V, Eqs. C24-C26 and Eq. 8 at
    :math:`\gamma = 0`): at each coupling :math:`\lambda = r\lambda_c`, :math:`\Pi_d` of
    :func:`~epcore.dicke.entropy_production_batch` at the model's :math:`\gamma` and at each of
    ``gammas``, its limit from :func:`~epcore.dicke.gamma_zero_limit`, and the occupation
    :math:`n_b = \langle\delta b^\dagger\delta b\rangle` at the model's :math:`\gamma` and
    in the limit. Each coupling is computed on its own (one-element sweeps).

    Parameters
    ----------
    ratios : tuple of float, optional
        Couplings in units of :math:`\lambda_c` (:func:`~epcore.dicke.critical_coupling` of
        ``model``); none equal to 0 or 1.
    gammas : tuple of float, optional
        Spin loss rates :math:`\gamma` besides the model's.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.

    Returns
    -------
    dict
        One entry per coupling: ``lam_over_lam_c``, ``pi_d`` (at ``model.gamma``),
        ``pi_d_gamma=<g>`` for each ``g`` of ``gammas`` (written ``f"{g:.0e}"``),
        ``pi_d_limit``, ``n_b`` (at ``model.gamma``) and ``n_b_limit``.

    Raises
    ------
    ValueError
        If a coupling is 0 or :math:`\lambda_c` (no limit there), or a rate is invalid.
    """
    ratios = check_array(ratios, "ratios")
    gammas = [check_real(g, "gamma", positive=True) for g in np.atleast_1d(gammas)]
    lam_c = critical_coupling(model=model)
    table: dict[str, list[float]] = {"lam_over_lam_c": [], "pi_d": []}
    table.update({f"pi_d_gamma={g:.0e}": [] for g in gammas})
    table.update({"pi_d_limit": [], "n_b": [], "n_b_limit": []})
    for ratio in ratios:
        lam = ratio * lam_c
        lim = gamma_zero_limit([lam], model=model)
        at_model = entropy_production_batch([lam], model=model)
        table["lam_over_lam_c"].append(ratio)
        table["pi_d"].append(at_model.pi_d[0])
        for g in gammas:
            other = model.replace(gamma=g)
            table[f"pi_d_gamma={g:.0e}"].append(
                entropy_production_batch([lam], model=other).pi_d[0])
        table["pi_d_limit"].append(lim.pi_d[0])
        table["n_b"].append(at_model.photons_b[0])
        table["n_b_limit"].append(lim.photons_b[0])
    return {key: np.array(values, dtype=float) for key, values in table.items()}


def pole_slope(rel_distance, side: int, *, model: DickeModel = PAPER) -> np.ndarray:
    r"""Local slope of a simple pole at :math:`\lambda_c(\gamma)`, measured from :math:`\lambda_c`.

    A divergence :math:`\Pi_d = C/(\lambda_c(\gamma) - \lambda)` (Eq. 13 with the pole moved
    to :math:`\lambda_c(\gamma) = \lambda_c\sqrt{1 + \gamma^2/\omega_0^2}`, see
    :func:`shifted_divergence`), written in the relative distance
    :math:`x = |\lambda - \lambda_c|/\lambda_c`, is :math:`C'/(s + x)`, whose local slope is

    .. math::

        \frac{d\ln\Pi_d}{d\ln x} = -\frac{x}{s + x},

    with the shift :math:`s = \delta` below :math:`\lambda_c` and :math:`s = \delta/2` above
    (the superradiant side diverges at half the distance), where
    :math:`\delta = \lambda_c(\gamma)/\lambda_c - 1`. It tends to -1 for :math:`x \gg s` and
    to 0 for :math:`x \ll s` (the flattening of Fig. 3d).

    Parameters
    ----------
    rel_distance : array_like
        Relative distances :math:`x > 0`.
    side : int
        -1 below :math:`\lambda_c`, +1 above.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.

    Returns
    -------
    numpy.ndarray
        The slope at each distance.
    """
    if side not in (-1, 1):
        raise ValueError(f"side must be -1 (below lambda_c) or +1 (above), got {side!r}")
    x = check_array(rel_distance, "rel_distance")
    if np.any(x <= 0):
        raise ValueError("rel_distance must be positive")
    delta = critical_coupling(model=model, shifted=True) / critical_coupling(model=model) - 1
    shift = delta if side < 0 else delta / 2
    return -x / (shift + x)
