r"""The exact steady state of the Kerr model: the complex-P solution (App. B).

Drummond and Walls (1980) solved Eq. (B1) exactly with the complex-P representation. With
:math:`\chi = u/2N`, :math:`E = \epsilon\sqrt{N}`, :math:`c = (\Delta - i\kappa)/\chi` and
:math:`b = -iE/\chi`, every normally ordered moment is a ratio of two series
:math:`{}_0F_2(;\, c + k, \bar c + j;\, 2|b|^2)`, and the density matrix in the Fock basis is
:math:`\rho = V V^\dagger` with an explicit :math:`V` (book Eq. kerr-rho). Everything here
sums those series term by term in log space, with no Fock truncation for the moments and no
linear solve for the density matrix. The large-deviation function of the series terms
(:func:`large_deviation_rate`) says which branch carries the weight as N grows.
"""

from __future__ import annotations

import cmath
import functools
import math

import mpmath
import numpy as np
import scipy.special

from ..errors import BudgetError
from ..models import (
    KerrModel,
    check_array,
    check_drive,
    check_integer,
    check_memory,
    check_real,
    check_size,
)
from .model import PAPER, kerr_coefficient, mean_field

__all__ = [
    "MAX_SERIES",
    "TAIL_TOL",
    "initial_cutoff",
    "photon_distribution",
    "fock_cutoff",
    "exact_density_matrix",
    "exact_moment",
    "exact_moment_mpmath",
    "exact_fluctuations",
    "large_deviation_rate",
    "large_deviation_derivatives",
    "series_length",
]

MAX_SERIES = 200_000  # documented in epcore.kerr
TAIL_TOL = 1e-12  # documented in epcore.kerr
#: Rows of log V evaluated at once (bounds the memory of the complex-P routines).
_ROW_BLOCK = 256
#: Columns l whose every V_ml is below exp(_V_FLOOR) in modulus are dropped. Since
#: V_ml is at most 1 in modulus, what they add to any rho_mn is below exp(2 _V_FLOOR) per
#: column, far under double-precision round-off.
_V_FLOOR = -41.0
#: The largest moment order accepted: |b|^j overflows double precision long before.
_MAX_ORDER = 10_000
_ORDERS = " (the moment orders j, k are integers >= 0)"


def _dense_fit(copies: int) -> str:
    """The largest ``d`` whose ``copies`` dense complex ``d x d`` arrays fit the memory limit."""
    from ..settings import settings

    return f"cutoff <= {int(math.sqrt(settings.memory_limit / (16 * copies)))}"


# ------------------------------------------------------------------------ series constants


def _complex_p_constants(N: float, eps: float, model: KerrModel) -> tuple[complex, complex]:
    r"""``(c, ln w)`` of the complex-P solution (book Eq. kerr-moments), ``eps > 0``.

    :math:`c = (\Delta - i\kappa)/\chi` and :math:`w = |b|/c = E/(\Delta - i\kappa)`, the
    amplitude of the linear cavity; :math:`b/c = -iw`. Every series below is written in
    :math:`w` and in :math:`P_s = \Gamma(s + c)/(\Gamma(c)\,c^s) = \prod_{k<s}(1 + k/c)`
    (:func:`_log_pochhammer`), whose logarithm is a sum of small terms: the Gamma functions of
    huge argument (:math:`|c| \approx 4N`), whose logarithms carry an absolute round-off of
    :math:`10^{-16}|c|\ln|c|`, never appear.
    """
    c = complex(model.delta, -model.kappa) / kerr_coefficient(N, model=model)
    log_w = math.log(eps * math.sqrt(N)) - np.log(complex(model.delta, -model.kappa))
    return c, complex(log_w)


def _log_pochhammer(n: int, c: complex) -> np.ndarray:
    r""":math:`\ln P_s = \sum_{k<s} \ln(1 + k/c)` for ``s < n`` (:func:`_complex_p_constants`)."""
    k = np.arange(max(n - 1, 0), dtype=float)
    return np.concatenate(([0j], np.cumsum(np.log1p(k / c))))


def series_length(N: float, eps: float, *, model: KerrModel = PAPER, rows: int = 0) -> int:
    """Terms summed in the complex-P series, for moments (``rows = 0``) and for ``V_ml``.

    The terms of ``Z`` (and of the moment series) peak near ``s = 2 N n`` for each branch
    ``n``: go 30 standard deviations past the top one, plus ``2 rows`` for the rows ``m`` of
    ``V_ml`` (whose Gamma functions shift the peak by up to ``m``). The memory and time of
    every complex-P routine grow in proportion to it.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.
    rows : int, optional
        Fock rows of ``V_ml`` (0 for moments).

    Returns
    -------
    int
        The number of terms.
    """
    N, eps = check_size(N), check_drive(eps)
    rows = check_integer(rows, "rows", minimum=0)
    n_top = N * mean_field(eps, model=model)[-1].n
    return int(2 * n_top + 30 * math.sqrt(2 * n_top + 1) + 2 * rows + 100)


def _complex_p_terms(N: float, eps: float, d: int, model: KerrModel):
    """Ingredients of ``log V_ml`` (book Eq. kerr-rho) for Fock rows ``m < d``.

    Returns ``(n_terms, ln w, ln P_s, ln s!, ln Z)`` for columns ``l < n_terms``
    (:func:`series_length`), with ``w`` and ``P_s`` of :func:`_complex_p_constants`; raises
    ``ValueError`` if the series needs more than ``MAX_SERIES`` terms or does not converge.
    """
    c, log_w = _complex_p_constants(N, eps, model)
    n_terms = series_length(N, eps, model=model, rows=d)
    # the tables (n_terms + d complex and real values) and one block of log V
    check_memory(
        16 * 6 * (n_terms + d) + 16 * 4 * min(d, _ROW_BLOCK) * n_terms,
        f"the complex-P series of {n_terms} terms for {d} Fock rows",
        fits="a smaller N or cutoff",
    )
    if n_terms > MAX_SERIES:
        raise BudgetError(
            f"the complex-P series needs {n_terms} > MAX_SERIES = {MAX_SERIES} terms; "
            "lower N or eps, or raise epcore.kerr.exact.MAX_SERIES"
        )
    s = np.arange(n_terms + d)
    lp = _log_pochhammer(n_terms + d, c)  # ln P_s
    lg_1 = scipy.special.gammaln(s + 1.0)  # ln s!
    sz = s[:n_terms]
    log_z_terms = sz * (math.log(2) + 2 * log_w.real) - lg_1[:n_terms] - 2 * lp[:n_terms].real
    if log_z_terms[-1] > log_z_terms.max() - 60:
        raise ValueError(
            "the complex-P series for Z did not converge; raise epcore.kerr.exact.MAX_SERIES"
        )
    log_z = float(scipy.special.logsumexp(log_z_terms))
    return n_terms, log_w, lp, lg_1, log_z


def _log_v_block(rows: np.ndarray, cols: np.ndarray, terms, *, real: bool = False) -> np.ndarray:
    """``log V_ml`` for Fock rows ``m`` and series columns ``l`` (real part only if asked).

    ``V_ml = (-iw)^m w^l / (sqrt(m! l!) P_{l+m} sqrt(Z))``, the book's ``V`` up to the
    global phase of ``Gamma(c)``, which cancels in ``rho = V V^dag``.
    """
    _, log_w, lp, lg_1, log_z = terms
    m, ll = rows[:, None], cols[None, :]
    common = -0.5 * (lg_1[m] + lg_1[ll]) - 0.5 * log_z
    if real:
        return (m + ll) * log_w.real + common - lp[m + ll].real
    return m * (log_w - 0.5j * math.pi) + ll * log_w + common - lp[m + ll]


# ------------------------------------------------------------------ large-deviation function


def large_deviation_rate(nu, eps: float, *, model: KerrModel = PAPER) -> np.ndarray:
    r"""The rate :math:`f(\nu) = \lim_N N^{-1} \ln t_{\nu N}` of the terms of the series.

    The terms :math:`t_n = x^n / (n!\,|\Gamma(n + c)|^2)` of the normalization series give,
    by Stirling's formula and up to a constant,

    .. math::

        f(\nu) = \nu \ln\frac{8\epsilon^2}{u^2} - \nu\ln\nu + \nu
                 - 2\,\mathrm{Re}(w \ln w - w), \qquad w = \nu + 2(\Delta - i\kappa)/u.

    Its stationary points :math:`\nu = 2n` are the mean-field branches; as
    :math:`N \to \infty` the branch with the larger :math:`f` carries all the weight.

    Parameters
    ----------
    nu : float or array_like
        Series index per unit size, ``> 0``.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    numpy.ndarray
        :math:`f(\nu)`, of the shape of ``nu``.
    """
    eps = check_real(eps, "the drive eps", positive=True, hint=" (f has a ln eps term)")
    nu = check_array(nu, "nu", positive=True)
    u = model.u
    w = nu + 2 * complex(model.delta, -model.kappa) / u
    return nu * np.log(8 * eps**2 / u**2) - nu * np.log(nu) + nu - 2 * np.real(w * np.log(w) - w)


def large_deviation_derivatives(
    nu: float, eps: float, *, model: KerrModel = PAPER
) -> tuple[float, float]:
    r"""The first two derivatives :math:`(f'(\nu), f''(\nu))` of :func:`large_deviation_rate`.

    Used for the curvature of the rate function at the mean-field branches (the Gaussian
    width of each peak of the photon distribution) and for its stationary points.

    Parameters
    ----------
    nu : float
        Photon-number scale :math:`\nu > 0` (twice the photon number per unit size).
    eps : float
        Drive per unit size, ``> 0``.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    tuple of float
        :math:`f'(\nu)` and :math:`f''(\nu)`.
    """
    eps = check_real(eps, "the drive eps", positive=True, hint=" (f has a ln eps term)")
    nu = check_real(nu, "nu", positive=True)
    u = model.u
    w = nu + 2 * complex(model.delta, -model.kappa) / u
    first = math.log(8 * eps**2 / u**2) - math.log(nu) - 2 * np.log(w).real
    second = -1 / nu - 2 * (1 / w).real
    return first, second


# ------------------------------------------------------------------------- Fock cutoff


def initial_cutoff(N: float, eps: float, *, model: KerrModel = PAPER) -> int:
    r"""Fock cutoff from the mean field: :math:`Nn` photons plus about 6.5 standard deviations.

    :math:`n` is the upper stable branch, unless the lower one outweighs it by more than
    :math:`e^{40}` in the large-deviation weights (:func:`large_deviation_rate`); then the
    upper branch holds no population a double-precision state can see and the lower one sets
    the cutoff. It is only the first window searched by :func:`fock_cutoff`.

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
    int
        The number of Fock levels.
    """
    N = check_size(N)
    stable = [b for b in mean_field(eps, model=model) if b.stable]
    n = stable[-1].n
    if len(stable) == 2:
        nu = np.array([2 * stable[0].n, 2 * stable[1].n])
        f = large_deviation_rate(nu, eps, model=model)
        if N * (f[1] - f[0]) < -40:
            n = stable[0].n
    n_top = N * n
    return int(math.ceil(n_top + 6.5 * math.sqrt(n_top + 1) + 15))


def photon_distribution(
    N: float, eps: float, n_max: int, *, model: KerrModel = PAPER, n_min: int = 0
) -> np.ndarray:
    r"""Exact photon-number distribution :math:`p_n = \langle n|\rho|n\rangle`.

    From the complex-P solution, :math:`p_n = \sum_l |V_{nl}|^2` with :math:`V` of
    :func:`exact_density_matrix`, each term from its logarithm, a block of rows at a time,
    without forming :math:`\rho`: cost (``n_max - n_min``) times the series length, memory a
    few tens of MB. Over ``0 <= n < n_max`` it sums to 1 once ``n_max`` is past the support
    of the state; :func:`fock_cutoff` reads the cutoff off its tail.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    n_max : int
        One past the last photon number returned.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.
    n_min : int, optional
        First photon number returned (default 0).

    Returns
    -------
    numpy.ndarray
        :math:`p_n` for ``n_min <= n < n_max``.

    Raises
    ------
    ValueError
        A bad size or drive, bounds that are not integers ``0 <= n_min < n_max``, or a
        series longer than ``MAX_SERIES``.
    """
    N, eps = check_size(N), check_drive(eps)
    d = check_integer(n_max, "n_max", minimum=1)
    n_min = check_integer(n_min, "n_min", minimum=0, maximum=d - 1, hint=" (0 <= n_min < n_max)")
    check_memory(8 * (d - n_min), f"a photon distribution of {d - n_min} levels")
    if eps == 0:
        return np.eye(1, d)[0][n_min:]
    terms = _complex_p_terms(N, eps, d, model)
    cols = np.arange(terms[0])
    p = np.empty(d - int(n_min))
    for start in range(int(n_min), d, _ROW_BLOCK):
        rows = np.arange(start, min(d, start + _ROW_BLOCK))
        # |V_ml| <= 1, so the exponentials cannot overflow; what underflows is below 1e-300
        p[rows - int(n_min)] = np.exp(2 * _log_v_block(rows, cols, terms, real=True)).sum(axis=1)
    return p


def fock_cutoff(
    N: float, eps: float, *, model: KerrModel = PAPER, tail_tol: float = TAIL_TOL
) -> int:
    r"""The smallest Fock cutoff ``d`` whose levels ``n >= d - 3`` hold at most ``tail_tol``.

    Read off the exact photon-number distribution (:func:`photon_distribution`), so it holds
    for a bimodal state near :math:`\epsilon_c` as well as on one branch: the mean-field guess
    of :func:`initial_cutoff` is only the first window searched (grown by 40 % until the
    distribution has decayed inside it). With the default ``tail_tol = TAIL_TOL = 1e-12`` the
    top three levels of the truncated state hold a hundredth of what
    :func:`epcore.phasespace.density_matrix` accepts.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.
    tail_tol : float, optional
        Population allowed in the top three levels and beyond, in ``(0, 1)``.

    Returns
    -------
    int
        The cutoff, at least 4.
    """
    N, eps = check_size(N), check_drive(eps)
    tail_tol = check_real(tail_tol, "tail_tol", positive=True, maximum=1.0)
    if tail_tol >= 1:
        raise ValueError(f"tail_tol must lie in (0, 1), got {tail_tol}")
    if eps == 0:
        return 4
    d0 = max(16, initial_cutoff(N, eps, model=model))
    lo = d0 // 2  # first look at the upper half only: the tail of any state we meet lies there
    while True:
        p = photon_distribution(N, eps, d0, n_min=lo, model=model)
        # beyond d0 the distribution decays at least geometrically (ratio r of its last two)
        r = p[-1] / p[-2] if p[-2] > 0 else 0.0
        outside = p[-1] * r / (1 - r) if r < 1 else np.inf
        # tail[k] = population of the levels >= lo + k (beyond d0 included)
        tail = np.cumsum(p[::-1])[::-1] + outside
        if outside <= 1e-3 * tail_tol and tail[0] > tail_tol:
            break
        if outside <= 1e-3 * tail_tol and lo > 0:
            lo = 0  # the whole window is already below the tolerance: look lower
            continue
        if outside <= 1e-3 * tail_tol:
            break
        d0 = int(math.ceil(1.4 * d0))
    first = lo + int(np.nonzero(tail <= tail_tol)[0][0])
    return max(4, first + 3)


# ----------------------------------------------------------------------- density matrix


def exact_density_matrix(
    N: float, eps: float, cutoff: int, *, model: KerrModel = PAPER
) -> np.ndarray:
    r"""The exact steady state in the first ``cutoff`` Fock levels (complex-P solution).

    Expanding the state in coherent states with the Drummond-Walls P function,

    .. math::

        \rho = \int P(\alpha, \beta)\,
            \frac{|\alpha\rangle\langle\beta^*|}{\langle\beta^*|\alpha\rangle},

    gives, with :math:`c`, :math:`b` as in :func:`exact_moment` and :math:`y = |b|^2`,

    .. math::

        \rho_{mn} &= \sum_l V_{ml} \bar V_{nl}, \\
        V_{ml} &= \frac{b^m y^{l/2}}{\sqrt{m!\,l!}\,\Gamma(l + m + c)\sqrt{Z}}, \\
        Z &= \sum_s \frac{(2y)^s}{s!\,|\Gamma(s + c)|^2},

    so :math:`\rho = V V^\dagger` is positive by construction. The sums run in log space,
    with :math:`\Gamma(s + c) = \Gamma(c)\,c^s P_s`, :math:`\ln P_s = \sum_{k<s}
    \ln(1 + k/c)` (the global :math:`\Gamma(c)` cancels in :math:`\rho`; its logarithm,
    near :math:`|c|\ln|c|` with :math:`|c| \approx 4N`, would carry a round-off that grows
    with N); columns :math:`l` whose every :math:`|V_{ml}|` is below
    :math:`e^{-41}` are dropped (they change no entry by more than 1e-30). No linear system is
    solved, so the result does not suffer from the closing Liouvillian gap near
    :math:`\epsilon_c`.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    cutoff : int
        Number of Fock levels kept, ``>= 2`` (choose it with :func:`fock_cutoff`).
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    numpy.ndarray
        The Hermitian ``cutoff x cutoff`` matrix (its trace falls short of 1 by the population
        above the cutoff).

    Raises
    ------
    ValueError
        A bad size, drive or cutoff, or a series longer than ``MAX_SERIES``.
    """
    N, eps = check_size(N), check_drive(eps)
    d = check_integer(cutoff, "the Fock cutoff", minimum=2)
    check_memory(16 * 3 * d * d, f"a {d} x {d} density matrix", fits=_dense_fit(3))
    if eps == 0:
        rho = np.zeros((d, d), complex)
        rho[0, 0] = 1
        return rho
    terms = _complex_p_terms(N, eps, d, model)
    cols = np.arange(terms[0])
    largest = np.full(len(cols), -np.inf)
    for start in range(0, d, _ROW_BLOCK):
        rows = np.arange(start, min(d, start + _ROW_BLOCK))
        largest = np.maximum(largest, _log_v_block(rows, cols, terms, real=True).max(axis=0))
    keep = cols[largest > _V_FLOOR]
    V = np.exp(_log_v_block(np.arange(d), keep, terms))
    rho = V @ V.conj().T
    return (rho + rho.conj().T) / 2


# ------------------------------------------------------------------------------ moments


def _series_weights(
    N: float, eps: float, model: KerrModel
) -> tuple[np.ndarray, complex, complex, np.ndarray]:
    r"""The positive weights :math:`p_n` of the moment series, with ``ln w``, ``c``, ``ln P_n``.

    With :math:`w`, :math:`c` and :math:`P_n` of :func:`_complex_p_constants`,

    .. math::

        p_n = \frac{(2|w|^2)^n}{n!\,|P_n|^2} \Big/ \sum_s \frac{(2|w|^2)^s}{s!\,|P_s|^2},

    and every moment is an average over :math:`p_n` (:func:`exact_moment`). Returns
    ``(p, ln w, c, ln P)`` with ``ln P`` one entry longer than ``p`` per extra order needed
    (callers slice it); ``p`` is normalized and its last term is below ``exp(-80)`` of the top.
    """
    c, log_w = _complex_p_constants(N, eps, model)
    n_terms = series_length(N, eps, model=model)
    for _ in range(6):
        # about a dozen arrays of n_terms values
        check_memory(16 * 12 * n_terms, f"the moment series of {n_terms} terms", fits="a smaller N")
        n = np.arange(n_terms, dtype=float)
        lp = _log_pochhammer(n_terms + 4, c)
        log_t = n * (math.log(2.0) + 2 * log_w.real) - scipy.special.gammaln(n + 1)
        log_t = log_t - 2 * lp[:n_terms].real
        top = log_t.max()
        if log_t[-1] < top - 80:
            break
        n_terms *= 2
    else:  # pragma: no cover - the series length above has always sufficed
        raise ValueError(f"the complex-P series did not converge at N = {N}, eps = {eps}")
    p = np.exp(log_t - top)
    return p / p.sum(), log_w, c, lp


@functools.lru_cache(maxsize=4096)
def _moment_cached(N: float, eps: float, j: int, k: int, model: KerrModel) -> complex:
    """``<a^dag^j a^k>`` as an average over the weights of :func:`_series_weights` (cached)."""
    if eps == 0:
        return complex(1.0) if j == k == 0 else 0j
    if j > 3 or k > 3:
        return _moment_high_order(N, eps, j, k, model)
    p, log_w, _, lp = _series_weights(N, eps, model)
    n = len(p)
    # <a^dag^j a^k> = (-i w)^k conj(-i w)^j E_p[P_n / P_{n+k} conj(P_n / P_{n+j})]
    ratio = np.exp(lp[:n] - lp[k : n + k] + np.conj(lp[:n] - lp[j : n + j]))
    pre = (-1j) ** k * (1j) ** j * np.exp(k * log_w + j * np.conj(log_w))
    return complex(pre * np.sum(p * ratio))


def _moment_high_order(N: float, eps: float, j: int, k: int, model: KerrModel) -> complex:
    """:func:`_moment_cached` for orders above 3, with a longer table of ``ln P``."""
    p, log_w, c, _ = _series_weights(N, eps, model)
    n = len(p)
    lp = _log_pochhammer(n + max(j, k) + 1, c)
    ratio = np.exp(lp[:n] - lp[k : n + k] + np.conj(lp[:n] - lp[j : n + j]))
    pre = (-1j) ** k * (1j) ** j * np.exp(k * log_w + j * np.conj(log_w))
    return complex(pre * np.sum(p * ratio))


@functools.lru_cache(maxsize=4096)
def _connected_cached(N: float, eps: float, model: KerrModel) -> tuple[complex, float, float]:
    r"""``(<a>, <a^dag a>, <da^dag da>)`` with the variance summed directly (cached).

    With :math:`h_n = P_n/P_{n+1} = 1/(1 + n/c)`, :math:`\langle a\rangle = -iw\,E_p[h]`,
    :math:`\langle a^\dagger a\rangle = |w|^2 E_p[|h|^2]`, and the variance is
    :math:`|w|^2 E_p|h - E_p h|^2` with

    .. math::

        h_n - E_p h = \frac{h_n}{c}\,(M_1 - n M_0), \qquad
        M_0 = E_p[h], \quad M_1 = E_p[m\, h_m],

    a sum of non-negative terms in which nothing cancels: neither the difference of two large
    moments nor that of two :math:`h` close to 1.
    """
    if eps == 0:
        return 0j, 0.0, 0.0
    p, log_w, c, _ = _series_weights(N, eps, model)
    n = np.arange(len(p), dtype=float)
    h = 1.0 / (1.0 + n / c)
    m0 = np.sum(p * h)
    m1 = np.sum(p * n * h)
    w = np.exp(log_w)
    abs_w2 = math.exp(2 * log_w.real)
    variance = abs_w2 * float(np.sum(p * np.abs(h * (m1 - n * m0) / c) ** 2))
    photons = abs_w2 * float(np.sum(p * np.abs(h) ** 2))
    return complex(-1j * w * m0), photons, variance


def exact_moment(
    N: float, eps: float, j: int, k: int, *, model: KerrModel = PAPER
) -> complex:
    r"""The moment :math:`\langle a^{\dagger j} a^k\rangle` of the exact steady state.

    The complex-P solution of Drummond and Walls (1980): with :math:`\chi = u/2N`,
    :math:`E = \epsilon\sqrt{N}`, :math:`c = (\Delta - i\kappa)/\chi`, :math:`b = -iE/\chi`
    and :math:`F(p, q) = {}_0F_2(;\, p, q;\, 2|b|^2)`,

    .. math::

        \langle a^{\dagger j} a^k\rangle = b^k \bar b^j
            \frac{\Gamma(c)\Gamma(\bar c)}{\Gamma(c + k)\Gamma(\bar c + j)}
            \frac{F(c + k, \bar c + j)}{F(c, \bar c)}.

    :math:`b = -iE/\chi` carries the phase of the drive :math:`iE(a^\dagger - a)`. Written
    with :math:`w = E/(\Delta - i\kappa)` and :math:`P_n = \prod_{k<n}(1 + k/c)`, the moment
    is an average over the positive weights :math:`p_n \propto (2|w|^2)^n/(n!\,|P_n|^2)`,

    .. math::

        \langle a^{\dagger j} a^k\rangle = (-iw)^k\,\overline{(-iw)}^{\,j}
            \sum_n p_n \frac{P_n}{P_{n+k}} \overline{\left(\frac{P_n}{P_{n+j}}\right)},

    summed term by term in log space, over every term that matters: inside the bistable
    window they have two humps (one per branch) separated by a
    deep dip, and ``mpmath.hyper`` stops summing at the dip as N grows (chapter 4 tabulates
    it; :func:`exact_moment_mpmath`). Relative accuracy about 1e-14, also at N = 1e7. No Fock
    truncation, so large N is fine. Results are cached.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    j, k : int
        Powers of :math:`a^\dagger` and :math:`a`, ``>= 0``.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    complex
        The moment.

    Examples
    --------
    >>> from epcore import kerr
    >>> abs(kerr.exact_moment(2, 0.5, 0, 0) - 1) < 1e-12  # normalization
    True
    """
    N, eps = check_size(N), check_drive(eps)
    j = check_integer(j, "the moment order j", minimum=0, maximum=_MAX_ORDER, hint=_ORDERS)
    k = check_integer(k, "the moment order k", minimum=0, maximum=_MAX_ORDER, hint=_ORDERS)
    value = _moment_cached(N, eps, j, k, model)
    if not cmath.isfinite(value):
        raise ValueError(
            f"<a^dag^{j} a^{k}> at N = {N}, eps = {eps} overflows double precision: "
            "lower the orders or use exact_moment_mpmath"
        )
    return value


def exact_moment_mpmath(
    N: float, eps: float, j: int, k: int, *, model: KerrModel = PAPER, dps: int = 30
) -> complex:
    r"""The formula of :func:`exact_moment` evaluated with ``mpmath.hyper``.

    An independent route, reliable outside the window and up to N of about 200 inside it;
    for larger N inside the window ``mpmath.hyper`` truncates the series at the dip between
    the two humps. Chapter 4 uses it to show that trap; the tests use it as a cross-check.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    j, k : int
        Powers of :math:`a^\dagger` and :math:`a`, ``>= 0``.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.
    dps : int, optional
        Decimal digits of working precision (default 30).

    Returns
    -------
    complex
        The moment as ``mpmath`` computes it.
    """
    N, eps = check_size(N), check_drive(eps)
    j = check_integer(j, "the moment order j", minimum=0, maximum=_MAX_ORDER, hint=_ORDERS)
    k = check_integer(k, "the moment order k", minimum=0, maximum=_MAX_ORDER, hint=_ORDERS)
    dps = check_integer(dps, "dps", minimum=5, maximum=1000)
    maxterms = 10**6
    n_terms = series_length(N, eps, model=model)
    if n_terms > maxterms:
        raise BudgetError(
            f"N = {N}, eps = {eps} needs about {n_terms} terms of 0F2, more than the "
            f"{maxterms} that mpmath.hyper may sum here: use exact_moment"
        )
    with mpmath.workdps(dps):
        chi = mpmath.mpf(model.u) / (2 * mpmath.mpf(N))
        E = mpmath.mpf(eps) * mpmath.sqrt(mpmath.mpf(N))
        c = mpmath.mpc(model.delta, -model.kappa) / chi
        cb = mpmath.conj(c)
        b = mpmath.mpc(0, -1) * E / chi
        x = 2 * abs(b) ** 2
        ratio = mpmath.hyper([], [c + k, cb + j], x, maxterms=maxterms) / mpmath.hyper(
            [], [c, cb], x, maxterms=maxterms
        )
        pre = b**k * mpmath.conj(b) ** j / (mpmath.rf(c, k) * mpmath.rf(cb, j))
        return complex(pre * ratio)


def exact_fluctuations(
    N: float, eps: float, *, model: KerrModel = PAPER
) -> dict[str, float | complex]:
    r"""Exact mean field, photon number and fluctuation flux :math:`\Phi_q` of the steady state.

    From the series of :func:`exact_moment`; :math:`\Phi_q = 2\kappa\langle\delta a^\dagger
    \delta a\rangle` equals :math:`\Pi_u + \Pi_d` in the steady state (Eq. 10). The variance
    is summed as a sum of non-negative terms (with :math:`h_n = 1/(1 + n/c)`,
    :math:`\langle\delta a^\dagger\delta a\rangle = |w|^2\sum_n p_n |h_n - \bar h|^2`, each
    difference written without cancellation), not as
    :math:`\langle a^\dagger a\rangle - |\langle a\rangle|^2`, which near a coherent state or
    at large N is a difference of two nearly equal large numbers: it stays accurate to about
    1e-14 relative wherever the series can be summed.

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
    dict
        ``mean_a`` (:math:`\langle a\rangle`, complex), ``photons``
        (:math:`\langle a^\dagger a\rangle`), ``alpha`` (:math:`\langle a\rangle/\sqrt{N}`),
        ``variance`` (:math:`\langle\delta a^\dagger\delta a\rangle`) and ``phi_q``.
    """
    N, eps = check_size(N), check_drive(eps)
    mean_a, photons, variance = _connected_cached(N, eps, model)
    return {
        "mean_a": mean_a,
        "photons": photons,
        "alpha": mean_a / math.sqrt(N),
        "variance": variance,
        "phi_q": 2 * model.kappa * variance,
    }
