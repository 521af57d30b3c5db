r"""The critical drive of the Kerr model and the two-branch picture near it (Sec. IV).

Inside the bistable window the exact steady state is, as N grows, a mixture of the two
Gaussian branches whose weights follow from the large-deviation function of the exact
solution (:func:`epcore.kerr.large_deviation_rate`). The drive where the weights are equal
in the limit is the critical drive :math:`\epsilon_c` (a Maxwell construction); at finite N
the fluctuation flux :math:`\Phi_q` peaks near it.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np
import scipy.optimize
import scipy.special

from ..balance import MixtureBalance
from ..errors import BudgetError
from ..models import KerrModel, check_array, check_drive, check_integer, check_size
from .exact import (
    exact_fluctuations,
    large_deviation_derivatives,
    large_deviation_rate,
    series_length,
)
from .model import (
    PAPER,
    bistability_window,
    has_bistable_window,
    linearized_branches,
    mean_field,
    on_upper_branch,
)

__all__ = [
    "branch_log_odds",
    "two_branch_prediction",
    "ScalingLogOdds",
    "scaling_log_odds",
    "TwoBranchScaling",
    "two_branch_scaling",
    "critical_drive",
    "variance_peak",
    "extrapolate_critical_drive",
    "SMALL_SIZES_DROPPED",
    "PeakDriveFit",
    "fit_peak_drives",
    "peak_height_limit",
    "peak_row",
    "peak_terms",
]

#: The longest moment series (terms) :func:`variance_peak` may sum, about N = 2e5 at the
#: paper's parameters; each search sums some 60 of them.
MAX_PEAK_SERIES = 1_000_000


def _stable_photons(eps: float, model: KerrModel) -> np.ndarray:
    """``nu = 2n`` of the two stable branches at ``eps`` (``ValueError`` outside the window)."""
    br = [b for b in mean_field(eps, model=model) if b.stable]
    if len(br) < 2:
        raise ValueError(
            f"eps = {eps} is outside the bistable window {bistability_window(model=model)}: "
            "there is one stable branch, and no weight to compute"
        )
    return np.array([2 * br[0].n, 2 * br[-1].n])


def _branch_gap(eps: float, model: KerrModel) -> float:
    """``f_upper - f_lower`` of the large-deviation rate at the two stable branches."""
    f = large_deviation_rate(_stable_photons(eps, model), eps, model=model)
    return float(f[1] - f[0])


def _log_odds_terms(eps: float, model: KerrModel, N: float = 0.0) -> float:
    """:func:`branch_log_odds` at ``eps`` (its O(1) part alone at ``N = 0``)."""
    nu = _stable_photons(eps, model)
    f = large_deviation_rate(nu, eps, model=model)
    w = nu + 2 * complex(model.delta, -model.kappa) / model.u
    h = np.log(np.abs(w)) - 0.5 * np.log(nu)
    curv = [abs(large_deviation_derivatives(float(v), eps, model=model)[1]) for v in nu]
    return float(N * (f[1] - f[0]) + h[1] - h[0] + 0.5 * math.log(curv[0] / curv[1]))


def branch_log_odds(N: float, eps: float, *, model: KerrModel = PAPER) -> float:
    r"""The log-odds :math:`\ln(p/(1-p))` of the upper stable branch in the exact state.

    Laplace's method on the two humps of the series :math:`Z = \sum_s t_s` (book Eq.
    kerr-rho), :math:`s = \nu N` near :math:`\nu_\pm = 2 n_\pm`. Stirling's formula gives
    :math:`\ln t_s = N f(\nu) - (4\Delta/u) N\ln N + h(\nu) + \text{const} + O(1/N)` with
    :math:`f` of :func:`epcore.kerr.large_deviation_rate` and
    :math:`h(\nu) = \ln|w| - \tfrac12\ln\nu`, :math:`w = \nu + 2(\Delta - i\kappa)/u`; the
    :math:`N\ln N` term is the same for both humps and cancels. Hence

    .. math::

        \ln\frac{p}{1-p} = N[f(\nu_+) - f(\nu_-)] + h(\nu_+) - h(\nu_-)
            + \tfrac12 \ln\frac{|f''(\nu_-)|}{|f''(\nu_+)|} + O(1/N).

    Near :math:`\epsilon_c` the first term is linear in :math:`x = N(\epsilon/\epsilon_c - 1)`:
    :math:`p` is a logistic function of :math:`x` at leading order, and the O(1) terms shift
    it by a fixed amount in :math:`x`.

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
        :math:`\ln(p/(1-p))`.

    Raises
    ------
    ValueError
        A bad size or drive, or a drive outside the bistable window.
    """
    N, eps = check_size(N), check_drive(eps)
    return _log_odds_terms(eps, model, N)


def two_branch_prediction(N: float, eps: float, *, model: KerrModel = PAPER) -> MixtureBalance:
    r"""Entropy balance of the exact state modelled as a mixture of the two Gaussian branches.

    Near :math:`\epsilon_c` the steady state is :math:`p\rho_+ + (1-p)\rho_-`: the Gaussian
    states of :func:`epcore.kerr.linearized_branches` around :math:`\sqrt{N}\alpha_\pm`, with
    the weight :math:`p` of the upper branch from :func:`branch_log_odds`. For two well
    separated peaks of :math:`Q` the terms of Eqs. (8) and (10) add up as

    .. math::

        \Pi_u &= p\Pi_u^+ + (1-p)\Pi_u^-, \\
        \Pi_d &= p\Pi_d^+ + (1-p)\Pi_d^- + 2\kappa p(1-p) N|\alpha_+ - \alpha_-|^2, \\
        \Phi_q &= p\Phi_q^+ + (1-p)\Phi_q^- + 2\kappa p(1-p) N|\alpha_+ - \alpha_-|^2

    (the mixture's variance), so Eq. (10) holds exactly and
    :math:`\Phi_q/N = 2\kappa p(1-p)|\alpha_+ - \alpha_-|^2 + O(1/N)`. The O(1/N) terms kept
    are those of the branches' Gaussian fluctuations; the shifts of the branch means and the
    overlap of the peaks are left out, so the prediction approaches the exact state with
    errors O(1/N) in :math:`\Phi_q/N`. Outside the window the single branch is returned
    (:math:`p` = 0 below, 1 above). Rates are for the finite-N state, as from
    :func:`epcore.kerr.entropy_production`: :math:`\Pi_{ext} = \Phi_{ext} = 2\kappa N|\alpha|^2`
    with :math:`\alpha = p\alpha_+ + (1-p)\alpha_-`.

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
    MixtureBalance
        The five terms. Diagnostic fields: ``p``, ``log_odds`` (``None`` where only one branch
        is stable, and ``p`` is 0 or 1), ``alpha``, ``alpha_lower``,
        ``alpha_upper``, ``between`` (the mixing part
        :math:`2\kappa p(1-p)N|\alpha_+ - \alpha_-|^2`) and ``branches`` (the two
        :func:`epcore.kerr.linearized_branches` results).

    Examples
    --------
    >>> from epcore import kerr
    >>> m = kerr.two_branch_prediction(50, kerr.critical_drive())
    >>> 0 < m.p < 1, m.pi_ext == m.phi_ext
    (True, True)
    """
    N, eps = check_size(N), check_drive(eps)
    branches = linearized_branches(eps, model=model)
    if len(branches) == 2:
        log_odds = branch_log_odds(N, eps, model=model)
        p = float(scipy.special.expit(log_odds))
        low, up = branches
    else:
        (only,) = branches
        # the one stable branch is the upper one above the window and on its upper edge
        # (where the lower branch is marginal), the lower one below it; no window, one branch
        above = on_upper_branch(only.n, model=model) if has_bistable_window(model=model) else True
        p, log_odds = (1.0, None) if above else (0.0, None)  # one branch: no odds
        low = up = only
    q = 1 - p
    between = 2 * model.kappa * p * q * N * abs(up.alpha - low.alpha) ** 2
    alpha = p * up.alpha + q * low.alpha
    ext = 2 * model.kappa * N * abs(alpha) ** 2
    return MixtureBalance(
        ext,
        p * up.pi_u + q * low.pi_u,
        p * up.pi_d + q * low.pi_d + between,
        ext,
        p * up.phi_q + q * low.phi_q + between,
        p=p,
        log_odds=log_odds,
        alpha=alpha,
        alpha_lower=low.alpha,
        alpha_upper=up.alpha,
        between=between,
        branches=branches,
    )


class ScalingLogOdds(NamedTuple):
    r"""Result of :func:`scaling_log_odds`: the limit :math:`a x + b` of the log-odds.

    Parameters
    ----------
    slope : float
        :math:`a = 2(\nu_+ - \nu_-) = 4(n_+ - n_-)` at :math:`\epsilon_c`.
    offset : float
        :math:`b`, the O(1) part of :func:`branch_log_odds` at :math:`\epsilon_c`.
    """

    slope: float
    offset: float

    @property
    def midpoint(self) -> float:
        r"""The :math:`x_0 = -b/a` where :math:`p = 1/2` as :math:`N \to \infty`."""
        return -self.offset / self.slope


def scaling_log_odds(*, model: KerrModel = PAPER) -> ScalingLogOdds:
    r"""The :math:`N \to \infty` log-odds of the upper branch against :math:`x`.

    The scaling variable is :math:`x = N(\epsilon/\epsilon_c - 1)`. :func:`branch_log_odds` is
    :math:`N g(\epsilon) + c(\epsilon) + O(1/N)` with the gap
    :math:`g = f(\nu_+) - f(\nu_-)` of the large-deviation rate
    (:func:`epcore.kerr.large_deviation_rate`) between the two stable branches
    :math:`\nu_\pm = 2n_\pm` and its O(1) part
    :math:`c = h(\nu_+) - h(\nu_-) + \tfrac12\ln(|f''(\nu_-)|/|f''(\nu_+)|)`. The branches
    are stationary points of :math:`f` in :math:`\nu`, so only the explicit dependence on
    :math:`\epsilon` of :math:`f`, through :math:`\nu\ln(8\epsilon^2/u^2)`, moves the gap
    (envelope theorem):

    .. math::

        \frac{\mathrm{d}g}{\mathrm{d}\epsilon}
            = \partial_\epsilon f(\nu_+) - \partial_\epsilon f(\nu_-)
            = \frac{2(\nu_+ - \nu_-)}{\epsilon}.

    With :math:`g(\epsilon_c) = 0` (:func:`critical_drive`), at
    :math:`\epsilon = \epsilon_c(1 + x/N)`

    .. math::

        \ln\frac{p}{1-p} = a x + b + O(1/N), \qquad
        a = 2(\nu_+ - \nu_-)\big|_{\epsilon_c}, \qquad b = c(\epsilon_c),

    so the weight of the upper branch is the logistic function
    :math:`p(x) = 1/(1 + e^{-(a x + b)})`, equal to 1/2 at :math:`x_0 = -b/a`.

    Parameters
    ----------
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    ScalingLogOdds
        ``slope`` :math:`a`, ``offset`` :math:`b` and the property ``midpoint``
        :math:`x_0`.

    Raises
    ------
    ValueError
        If the model has no bistable window (as :func:`critical_drive`).

    Examples
    --------
    >>> from epcore import kerr
    >>> odds = kerr.scaling_log_odds()
    >>> round(odds.slope, 3), round(odds.midpoint, 3)
    (8.319, 0.252)
    """
    eps_c = critical_drive(model=model)
    nu = _stable_photons(eps_c, model)
    return ScalingLogOdds(float(2 * (nu[1] - nu[0])), _log_odds_terms(eps_c, model))


class TwoBranchScaling(NamedTuple):
    r"""Result of :func:`two_branch_scaling`, one entry per value of :math:`x`.

    Parameters
    ----------
    x : numpy.ndarray
        The scaling variable :math:`x = N(\epsilon/\epsilon_c - 1)`.
    p : numpy.ndarray
        Weight of the upper branch.
    pi_u : numpy.ndarray
        :math:`\Pi_u`.
    pi_d_over_N : numpy.ndarray
        :math:`\Pi_d/N`.
    phi_q_over_N : numpy.ndarray
        :math:`\Phi_q/N`.
    """

    x: np.ndarray
    p: np.ndarray
    pi_u: np.ndarray
    pi_d_over_N: np.ndarray
    phi_q_over_N: np.ndarray


def two_branch_scaling(N: float, x, *, model: KerrModel = PAPER) -> TwoBranchScaling:
    r"""The two-branch prediction against :math:`x = N(\epsilon/\epsilon_c - 1)`, N finite or not.

    For finite N, :func:`two_branch_prediction` at each drive
    :math:`\epsilon = \epsilon_c(1 + x/N)`. For ``N = math.inf``, its exact limit at fixed
    :math:`x`: the weight is the logistic :math:`p(x)` of :func:`scaling_log_odds`, the
    branch terms are O(1) and are taken at :math:`\epsilon_c`, so

    .. math::

        \Pi_u &\to p\,\Pi_u^+ + (1-p)\,\Pi_u^-, \\
        \Pi_d/N,\ \Phi_q/N &\to 2\kappa\,p(1-p)\,|\alpha_+ - \alpha_-|^2,

    with :math:`\Pi_u^\pm` and :math:`\alpha_\pm` of :func:`epcore.kerr.linearized_branches`
    at :math:`\epsilon_c`. The finite-N prediction approaches this limit with errors O(1/N).

    Parameters
    ----------
    N : float
        System size, see :mod:`epcore.kerr`, or ``math.inf`` for the limit.
    x : float or array_like
        Values of the scaling variable (1-d), each ``>= -N`` (a drive ``>= 0``).
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    TwoBranchScaling
        ``x``, ``p``, ``pi_u``, ``pi_d_over_N`` and ``phi_q_over_N``, arrays of the shape of
        ``x``.

    Raises
    ------
    ValueError
        A bad size or ``x``, or a model with no bistable window.

    Examples
    --------
    >>> import math
    >>> from epcore import kerr
    >>> s = kerr.two_branch_scaling(math.inf, [0.0, 1.0])
    >>> s.p.round(3)
    array([0.109, 0.998])
    """
    infinite = isinstance(N, numbers.Real) and not isinstance(N, bool) and N == math.inf
    if not infinite:
        N = check_size(N)
    x = check_array(x, "the scaling variable x", ndim=(0, 1))
    eps_c = critical_drive(model=model)
    if infinite:
        odds = scaling_log_odds(model=model)
        p = scipy.special.expit(odds.slope * x + odds.offset)
        low, up = linearized_branches(eps_c, model=model)
        pi_u = p * up.pi_u + (1 - p) * low.pi_u
        mixing = 2 * model.kappa * p * (1 - p) * abs(up.alpha - low.alpha) ** 2
        return TwoBranchScaling(x, p, pi_u, mixing, mixing.copy())
    if np.any(x < -N):
        raise ValueError(
            f"x must be >= -N = {-N:g} (the drive eps_c (1 + x/N) must be >= 0), "
            f"got {x[x < -N].ravel()[:3].tolist()}"
        )
    preds = [two_branch_prediction(N, eps_c * (1 + xi / N), model=model) for xi in x.ravel()]

    def field(get) -> np.ndarray:
        return np.array([get(b) for b in preds]).reshape(x.shape)

    return TwoBranchScaling(
        x,
        field(lambda b: b.p),
        field(lambda b: b.pi_u),
        field(lambda b: b.pi_d / N),
        field(lambda b: b.phi_q / N),
    )


def critical_drive(*, model: KerrModel = PAPER) -> float:
    r"""The critical drive :math:`\epsilon_c`, where :math:`\Phi_q` peaks as N -> infinity.

    As N -> infinity the exact solution's weight jumps between the two stable branches where
    their large-deviation rates (:func:`epcore.kerr.large_deviation_rate`) are equal (a
    Maxwell construction), and the variance :math:`\langle\delta a^\dagger\delta a\rangle`
    peaks there. Solved with ``brentq`` to about 1e-12. The finite-N peaks
    (:func:`variance_peak`) approach it as :math:`\epsilon_c + 0.2355/N` at the paper's
    parameters; their extrapolation (:func:`extrapolate_critical_drive`) agrees to about 1e-6.

    Parameters
    ----------
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    float
        :math:`\epsilon_c`.

    Raises
    ------
    ValueError
        If the model has no bistable window.

    Examples
    --------
    >>> from epcore import kerr
    >>> round(kerr.critical_drive(), 6)
    0.932938
    """
    lo, hi = bistability_window(model=model)
    width = hi - lo
    return float(
        scipy.optimize.brentq(
            lambda e: _branch_gap(e, model), lo + 1e-9 * width, hi - 1e-9 * width, xtol=1e-14
        )
    )


def variance_peak(N: float, *, model: KerrModel = PAPER) -> tuple[float, float]:
    r"""Where the exact :math:`\Phi_q` peaks at size N, and its height.

    The weight of the upper branch switches from 0 to 1 over a drive range
    :math:`w = 1/(N f')`, with :math:`f'` the slope of the large-deviation gap at
    :math:`\epsilon_c`. The drive where the exact :math:`\langle a^\dagger a\rangle/N` sits
    halfway between the branches (``brentq``) brackets the peak; a bounded Brent search within
    :math:`\pm 3w` then locates it to :math:`10^{-4} w`.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    tuple of float
        ``(eps_peak, phi_q_peak)``.

    Raises
    ------
    ValueError
        A bad size, no bistable window, or a peak that cannot be bracketed (N too small).
    """
    N = check_size(N)
    eps_c = critical_drive(model=model)
    lo_w, hi_w = bistability_window(model=model)
    terms = series_length(N, hi_w, model=model)
    if terms > MAX_PEAK_SERIES:
        raise BudgetError(
            f"the peak search at N = {N} sums moment series of {terms} terms some 60 times, "
            f"more than MAX_PEAK_SERIES = {MAX_PEAK_SERIES} terms per series (minutes of work):"
            " use a smaller N and extrapolate_critical_drive"
        )
    h = 1e-6 * eps_c
    slope = abs(_branch_gap(eps_c + h, model) - _branch_gap(eps_c - h, model)) / (2 * h)
    width = 1 / (N * slope)
    margin = 1e-6 * (hi_w - lo_w)

    def excess(eps: float) -> float:
        br = [b for b in mean_field(eps, model=model) if b.stable]
        n = exact_fluctuations(N, eps, model=model)["photons"] / N
        return (n - br[0].n) / (br[-1].n - br[0].n) - 0.5

    lo, hi = eps_c - 15 * width, eps_c + 15 * width
    for _ in range(8):
        lo, hi = max(lo, lo_w + margin), min(hi, hi_w - margin)
        if excess(lo) < 0 < excess(hi):
            break
        lo, hi = eps_c - 2 * (eps_c - lo), eps_c + 2 * (hi - eps_c)
    else:
        raise ValueError(f"could not bracket the Phi_q peak at N = {N}: use a larger N")
    middle = scipy.optimize.brentq(excess, lo, hi, xtol=1e-3 * width)
    res = scipy.optimize.minimize_scalar(
        lambda e: -exact_fluctuations(N, e, model=model)["phi_q"],
        bounds=(max(lo_w + margin, middle - 3 * width), min(hi_w - margin, middle + 3 * width)),
        method="bounded",
        options={"xatol": 1e-4 * width},
    )
    return float(res.x), float(-res.fun)


def extrapolate_critical_drive(
    peaks: dict[float, float], *, order: int = 2
) -> tuple[float, float]:
    r"""Extrapolate finite-N peak drives to :math:`N \to \infty` in powers of :math:`1/N`.

    Fits :math:`\epsilon_{peak} = \epsilon_c + a_1/N + \dots + a_k/N^k` with ``k = order``;
    the error is the change of :math:`\epsilon_c` between the fits of order ``order`` and
    ``order - 1`` on the same points.

    Parameters
    ----------
    peaks : dict
        ``{N: eps_peak}``, at least ``order + 2`` sizes.
    order : int, optional
        Highest power of :math:`1/N` fitted (default 2).

    Returns
    -------
    tuple of float
        ``(eps_c, error)``.

    Raises
    ------
    ValueError
        Too few sizes for the order.
    """
    sizes = np.array(sorted(peaks), dtype=float)
    order = check_integer(order, "order", minimum=1, maximum=20)
    if len(sizes) < order + 2:
        raise ValueError(f"need at least {order + 2} sizes to fit order {order} and estimate error")
    y = np.array([peaks[n] for n in sorted(peaks)])
    fits = [np.polyfit(1 / sizes, y, k)[-1] for k in (order, order - 1)]
    return float(fits[0]), float(abs(fits[0] - fits[1]))


#: How many of the smallest sizes :func:`fit_peak_drives` leaves out (at N = 25 and 50 the
#: peak drive is still far from the regime where it moves as :math:`1/N`).
SMALL_SIZES_DROPPED = 2


class PeakDriveFit(NamedTuple):
    r"""Result of :func:`fit_peak_drives`.

    Parameters
    ----------
    eps_c : float
        Extrapolated critical drive, the constant term of the fit.
    error : float
        Change of ``eps_c`` between the fits of order ``order`` and ``order - 1``.
    coefficients : numpy.ndarray
        The fit of order ``order`` as :func:`numpy.polyfit` returns it (highest power of
        :math:`1/N` first); :func:`numpy.polyval` evaluates it at :math:`1/N`.
    sizes : numpy.ndarray
        The sizes N used, increasing (the smallest ``drop_smallest`` sizes left out).
    """

    eps_c: float
    error: float
    coefficients: np.ndarray
    sizes: np.ndarray


def fit_peak_drives(
    peaks: dict[float, float], *, order: int = 2, drop_smallest: int = SMALL_SIZES_DROPPED
) -> PeakDriveFit:
    r"""Fit the drives of the :math:`\Phi_q` peak in powers of :math:`1/N`, without the smallest N.

    The book's extrapolation of :math:`\epsilon_{peak}(N)` to :math:`\epsilon_c`: the
    ``drop_smallest`` smallest sizes are left out (default ``SMALL_SIZES_DROPPED``, 2), and
    :func:`extrapolate_critical_drive` fits
    :math:`\epsilon_{peak} = \epsilon_c + a_1/N + \dots + a_k/N^k` to the others.

    Parameters
    ----------
    peaks : dict
        ``{N: eps_peak}``; at least ``order + 2`` sizes remain after dropping.
    order : int, optional
        Highest power of :math:`1/N` fitted (default 2).
    drop_smallest : int, optional
        How many of the smallest sizes to leave out.

    Returns
    -------
    PeakDriveFit
        ``eps_c``, ``error``, the fit ``coefficients`` and the ``sizes`` used.

    Raises
    ------
    ValueError
        Too few sizes for the order once the smallest are dropped.
    """
    if not isinstance(peaks, dict):
        raise ValueError(f"peaks must be a dict {{N: eps_peak}}, got {type(peaks).__name__}")
    drop = check_integer(drop_smallest, "drop_smallest", minimum=0)
    order = check_integer(order, "order", minimum=1, maximum=20)
    kept = sorted(peaks)[drop:]
    eps_c, error = extrapolate_critical_drive({n: peaks[n] for n in kept}, order=order)
    sizes = np.array(kept, dtype=float)
    y = np.array([peaks[n] for n in kept], dtype=float)
    return PeakDriveFit(eps_c, error, np.polyfit(1 / sizes, y, order), sizes)


def peak_height_limit(*, model: KerrModel = PAPER) -> float:
    r"""The :math:`N \to \infty` limit of the peak height of :math:`\Phi_q/N` (Eq. kerr-peak).

    At :math:`\epsilon_c` the state is an equal-weight mixture of the two stable branches
    :math:`\alpha_\pm`, so :math:`\Phi_q/N` tends to
    :math:`\kappa|\alpha_+ - \alpha_-|^2/2` (book Eq. kerr-peak), with :math:`\alpha_\pm`
    the stable mean-field branches (:func:`epcore.kerr.mean_field`) at
    :func:`critical_drive` of the same model.

    Parameters
    ----------
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    float
        :math:`\kappa|\alpha_+ - \alpha_-|^2/2` at :math:`\epsilon_c`.

    Raises
    ------
    ValueError
        If the model has no bistable window (as :func:`critical_drive`).
    """
    low, up = (b for b in mean_field(critical_drive(model=model), model=model) if b.stable)
    return model.kappa * abs(up.alpha - low.alpha) ** 2 / 2


def peak_row(N: float, *, model: KerrModel = PAPER) -> dict[str, float]:
    """:func:`variance_peak` as a dict, for cached sweeps.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    dict
        ``N``, ``eps_peak`` and ``phi_q_peak``.
    """
    eps_peak, phi_peak = variance_peak(N, model=model)
    return {"N": float(N), "eps_peak": eps_peak, "phi_q_peak": phi_peak}


def peak_terms(N: float, *, model: KerrModel = PAPER) -> dict[str, float]:
    r"""The peak of :math:`\Phi_q/N` at size N, exact and in two approximations, and its limit.

    At the drive :math:`\epsilon_{peak}` of :func:`variance_peak`: the exact
    :math:`\Phi_q/N`; that of :func:`two_branch_prediction` (mixing term plus the Gaussian
    fluctuations of each branch); its leading, mixing term alone,
    :math:`2\kappa p(1-p)|\alpha_+ - \alpha_-|^2` with the branches at
    :math:`\epsilon_{peak}`; and the N -> infinity limit
    :math:`\kappa|\alpha_+ - \alpha_-|^2/2` at :math:`\epsilon_c` (book Eq. kerr-peak).
    All three approach the limit as :math:`1/N`, with different coefficients: the two-branch
    formula is exact at leading order only.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    dict
        ``N``, ``eps_peak``, ``exact``, ``two_branch``, ``leading`` (each :math:`\Phi_q/N`)
        and ``limit``.
    """
    eps_peak, phi_q = variance_peak(N, model=model)
    pred = two_branch_prediction(N, eps_peak, model=model)
    return {"N": float(N), "eps_peak": eps_peak, "exact": phi_q / N,
            "two_branch": pred.phi_q / N, "leading": pred.between / N,
            "limit": peak_height_limit(model=model)}
