r"""The exact steady state of the two-photon-driven Kerr resonator: the complex-P solution.

Bartolo, Minganti, Casteels and Ciuti (2016) solved this model exactly. In the complex-P
representation,

.. math::

    \rho = \int P(\alpha, \beta)\,
        \frac{|\alpha\rangle\langle\beta^*|}{\langle\beta^*|\alpha\rangle}\, d\alpha\, d\beta,

the master equation becomes a Fokker-Planck
equation with drift :math:`A_\alpha = -(\kappa/2 + i\Delta)\alpha - (\gamma + 2i\chi)\alpha^2
\beta - iG\beta` and diffusion :math:`D_\alpha = -iG - (\gamma + 2i\chi)\alpha^2` (and the
conjugate pair for :math:`\beta`), :math:`\chi = U/2N`, :math:`\gamma = \eta/N`. It obeys the
potential conditions, and its zero-current solution is

.. math::

    P(\alpha, \beta) \propto e^{2\alpha\beta}\,(\alpha^2 + s)^{\lambda - 1}
        (\beta^2 + \bar s)^{\bar\lambda - 1}, \qquad
    s = \frac{iGN}{\eta + iU}, \quad \lambda = \frac{N(\kappa + 2i\Delta)}{2(\eta + iU)} .

On a contour joining the branch points :math:`\pm\sqrt{-s}` (analytically continued in
:math:`\lambda` where the segment integral diverges) the one-variable integrals are
:math:`I(2q) = \oint \alpha^{2q}(\alpha^2 + s)^{\lambda - 1} d\alpha \propto (-s)^q\,
\Gamma(q + \tfrac12)/\Gamma(q + \lambda')`, :math:`\lambda' = \lambda + \tfrac12`, and
:math:`I(\text{odd}) = 0`: the state has :math:`\mathbb{Z}_2` parity. Expanding
:math:`e^{\alpha\beta}` (the :math:`e^{2\alpha\beta}` of :math:`P` times the
:math:`e^{-\alpha\beta}` of the coherent-state overlap) gives the Fock matrix elements

.. math::

    \rho_{nm} = \sum_t V_{nt}\bar V_{mt}, \qquad
    V_{nt} = \frac{I(n + t)}{\sqrt{n!\,t!\,Z}}, \qquad Z = \sum_j \frac{2^j |I(j)|^2}{j!},

positive by construction, and the normally ordered moments
:math:`\langle a^{\dagger j} a^k\rangle
= Z^{-1}\sum_t \frac{2^t}{t!} I(k + t)\,\overline{I(j + t)}`.
Every sum runs in log space with :math:`I(2q) \propto w^q\,\Gamma(q + \tfrac12)/P_q`,
:math:`w = -s/\lambda'` and :math:`P_q = \prod_{k<q}(1 + k/\lambda')` (the Gamma functions of
argument of order N never appear). The moments are averages over the positive weights
:math:`p_q \propto |w|^{2q}\Gamma(q + \tfrac12)/(q!\,|P_q|^2)`, whose peak sits at
:math:`q = Nn` with :math:`n` the mean-field photon number (its stationarity condition
:math:`|q + \lambda'| = |s|` is :func:`epcore.twophoton.drive_of_photons`); for instance
:math:`\langle a^\dagger a\rangle = E_p[q]` and :math:`\langle a^{\dagger 2}a^2\rangle =
E_p[q(q - \tfrac12)]`.

Where it holds. No factor of :math:`P_q` vanishes for :math:`\kappa > 0, \eta \geq 0`: a real
:math:`\lambda` needs :math:`2\Delta\eta = \kappa U`, and then
:math:`\mathrm{Re}\,\lambda = N\kappa/2\eta > 0` (for :math:`\eta = 0`, :math:`\lambda` is never
real). So the series applies to every :class:`~epcore.models.TwoPhotonModel`; the tests check it
against QuTiP also where :math:`\mathrm{Re}\,\lambda < 0` (:math:`\Delta U < -\kappa\eta/2`), where
only the continued contour gives it meaning.
"""

from __future__ import annotations

import cmath
import functools
import math

import numpy as np
import scipy.special

from ..errors import BudgetError
from ..models import TwoPhotonModel, check_integer, check_memory, check_real
from .model import PAPER, check_drive, check_size, linearized_branches, mean_field

__all__ = [
    "MAX_SERIES",
    "TAIL_TOL",
    "series_length",
    "initial_cutoff",
    "photon_distribution",
    "fock_cutoff",
    "exact_density_matrix",
    "exact_moment",
    "exact_fluctuations",
]

MAX_SERIES = 200_000  # documented in epcore.twophoton
TAIL_TOL = 1e-12  # documented in epcore.twophoton
#: Rows of log V evaluated at once (bounds the memory of the complex-P routines).
_ROW_BLOCK = 256
#: Columns t whose every |V_nt| is below exp(_V_FLOOR) are dropped (they change no entry of
#: rho by more than exp(2 _V_FLOOR) each).
_V_FLOOR = -41.0
#: The largest moment order accepted by exact_moment.
_MAX_ORDER = 64
_ORDERS = " (the moment orders j, k are integers >= 0)"


# ------------------------------------------------------------------------ series constants


def _constants(N: float, g: float, model: TwoPhotonModel) -> tuple[complex, complex]:
    r"""``(lambda', ln w)`` of the series, ``g > 0`` (module docstring)."""
    lam_p = N * complex(model.kappa, 2 * model.delta) / (2 * complex(model.eta, model.u)) + 0.5
    log_w = (math.log(g) + math.log(N) - 0.5j * math.pi
             - cmath.log(complex(model.eta, model.u)) - cmath.log(lam_p))
    return lam_p, log_w


def _log_pochhammer(n: int, lam_p: complex) -> np.ndarray:
    r""":math:`\ln P_q = \sum_{k<q}\ln(1 + k/\lambda')` for ``q < n``."""
    k = np.arange(max(n - 1, 0), dtype=float)
    return np.concatenate(([0j], np.cumsum(np.log1p(k / lam_p))))


def series_length(N: float, g: float, *, model: TwoPhotonModel = PAPER, rows: int = 0) -> int:
    r"""A first guess of the number of terms :math:`q` of the complex-P series.

    The weights :math:`p_q` peak near :math:`q = Nn` (the largest mean-field photon number)
    with a width of order :math:`\sqrt{N}`: go :math:`30\sqrt{N + Nn + 1}` past it, plus the
    ``rows`` of a density matrix (whose rows shift the index by up to half of them). The
    routines double it until the last term is negligible; time and memory grow with it.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.twophoton`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.
    rows : int, optional
        Fock rows of a density matrix (0 for moments).

    Returns
    -------
    int
        The number of terms.
    """
    N, g = check_size(N), check_drive(g)
    rows = check_integer(rows, "rows", minimum=0, maximum=10**9)
    q_top = N * max(b.n for b in mean_field(g, model=model))
    return int(q_top + 30 * math.sqrt(N + q_top + 1) + rows // 2 + 100)


def _check_series(n_terms: int) -> None:
    if n_terms > MAX_SERIES:
        raise BudgetError(
            f"the complex-P series needs more than {n_terms} > MAX_SERIES = {MAX_SERIES} terms; "
            "lower N or g, or raise epcore.twophoton.exact.MAX_SERIES"
        )


@functools.lru_cache(maxsize=256)
def _weights(N: float, g: float, model: TwoPhotonModel):
    r"""``(log p, ln w, lambda', ln P)``: the normalized log-weights :math:`\ln p_q` of the
    moments (last term below :math:`e^{-80}` of the top) and the table of :math:`\ln P_q`,
    ``len(log p) + _MAX_ORDER + 2`` long. ``g > 0``."""
    lam_p, log_w = _constants(N, g, model)
    n_terms = series_length(N, g, model=model)
    for _ in range(8):
        _check_series(n_terms)
        check_memory(16 * 8 * n_terms, f"the moment series of {n_terms} terms", fits="a smaller N")
        q = np.arange(n_terms, dtype=float)
        lp = _log_pochhammer(n_terms + _MAX_ORDER + 2, lam_p)
        log_t = (2 * q * log_w.real + scipy.special.gammaln(q + 0.5)
                 - scipy.special.gammaln(q + 1) - 2 * lp[:n_terms].real)
        top = float(log_t.max())
        if log_t[-1] < top - 80:
            break
        n_terms *= 2
    else:  # pragma: no cover - the doubling has always sufficed
        raise ValueError(f"the complex-P series did not converge at N = {N}, g = {g}")
    log_p = log_t - top
    log_p -= math.log(np.exp(log_p).sum())
    return log_p, log_w, lam_p, lp


def _log_i_ratio(r: np.ndarray, p: np.ndarray, log_w: complex, lp: np.ndarray) -> np.ndarray:
    r""":math:`\ln[I(2r)/I(2p)]` from :math:`I(2q) \propto w^q\Gamma(q + 1/2)/P_q`."""
    return ((r - p) * log_w + scipy.special.gammaln(r + 0.5) - scipy.special.gammaln(p + 0.5)
            - (lp[r] - lp[p]))


@functools.lru_cache(maxsize=4096)
def _moment_cached(N: float, g: float, j: int, k: int, model: TwoPhotonModel) -> complex:
    r""":math:`\langle a^{\dagger j} a^k\rangle` as an average over the weights (cached).

    With :math:`k + t = 2p` and :math:`j + t = 2r`, the term :math:`t` of the moment is
    :math:`p_p\,\frac{(2p)!}{(2p - k)!\,2^k}\,\overline{I(2r)/I(2p)}`.
    """
    if g == 0:
        return complex(1.0) if j == k == 0 else 0j
    if (j - k) % 2:
        return 0j  # Z2 parity
    log_p, log_w, _, lp = _weights(N, g, model)
    n = len(log_p)
    p = np.arange((k + 1) // 2, n)
    r = p + (j - k) // 2
    log_term = (log_p[p] + scipy.special.gammaln(2 * p + 1.0)
                - scipy.special.gammaln(2 * p - k + 1.0) - k * math.log(2)
                + np.conj(_log_i_ratio(r, p, log_w, lp)))
    return complex(np.exp(log_term).sum())


def exact_moment(N: float, g: float, j: int, k: int, *, model: TwoPhotonModel = PAPER) -> complex:
    r"""The moment :math:`\langle a^{\dagger j} a^k\rangle` of the exact steady state.

    From the complex-P series (module docstring),

    .. math::

        \langle a^{\dagger j} a^k\rangle = \frac1Z\sum_t \frac{2^t}{t!}\,
            I(k + t)\,\overline{I(j + t)},

    zero when :math:`j - k` is odd (:math:`\mathbb{Z}_2` parity), summed in log space over every
    term that matters. No Fock truncation, so large N is fine; results are cached.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.twophoton`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    j, k : int
        Powers of :math:`a^\dagger` and :math:`a`, ``0 <= j, k <= 64``.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    complex
        The moment.

    Raises
    ------
    epcore.errors.BudgetError
        A series longer than ``MAX_SERIES``.
    """
    N, g = check_size(N), check_drive(g)
    j = check_integer(j, "the moment order j", minimum=0, maximum=_MAX_ORDER, hint=_ORDERS)
    k = check_integer(k, "the moment order k", minimum=0, maximum=_MAX_ORDER, hint=_ORDERS)
    value = _moment_cached(N, g, j, k, model)
    if not cmath.isfinite(value):
        raise ValueError(
            f"<a^dag^{j} a^{k}> at N = {N}, g = {g} overflows double precision: lower the orders"
        )
    return value


def exact_fluctuations(N: float, g: float, *, model: TwoPhotonModel = PAPER) -> dict:
    r"""The exact moments that the entropy balance and the Gaussian comparison need.

    With :math:`\langle a\rangle = 0` (parity) and :math:`c = \langle a^2\rangle`, the flux of
    the coherent parts of the two loss channels and the rest are
    (:func:`epcore.twophoton.balance_of_state`)

    .. math::

        \Phi_{ext} = \frac{2\eta}{N}|c|^2, \qquad
        \Phi_q = \kappa\langle a^\dagger a\rangle
            + \frac{2\eta}{N}\left(\langle a^{\dagger 2}a^2\rangle - |c|^2\right).

    On a branch :math:`\pm\sqrt{N}\beta` with Gaussian fluctuations these moments give the
    fluctuations without a mean to subtract:
    :math:`\mathrm{Var}(a^2) = 4N|\beta|^2\langle\delta a^\dagger\delta a\rangle + O(1)` and
    :math:`\langle a^4\rangle - c^2 = 4N\beta^2\langle\delta a^2\rangle + O(1)`, the same on
    both branches.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.twophoton`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    dict
        ``photons`` (:math:`\langle a^\dagger a\rangle`), ``pair`` (:math:`\langle a^2\rangle`,
        complex), ``pair_photons`` (:math:`\langle a^{\dagger 2}a^2\rangle`),
        ``pair_variance`` (:math:`\langle a^{\dagger 2}a^2\rangle - |\langle a^2\rangle|^2`),
        ``quartic`` (:math:`\langle a^4\rangle`, complex), ``phi_ext`` and ``phi_q``.

    Raises
    ------
    epcore.errors.BudgetError
        A series longer than ``MAX_SERIES``.
    """
    N, g = check_size(N), check_drive(g)
    if g == 0:
        photons = pair_photons = 0.0
        pair = quartic = 0j
    else:
        log_p, *_ = _weights(N, g, model)
        p = np.exp(log_p)
        q = np.arange(len(p), dtype=float)
        photons = float(np.sum(p * q))
        pair_photons = float(np.sum(p * q * (q - 0.5)))
        pair = _moment_cached(N, g, 0, 2, model)
        quartic = _moment_cached(N, g, 0, 4, model)
    variance = max(pair_photons - abs(pair) ** 2, 0.0)
    gamma2 = model.eta / N
    return {
        "photons": photons,
        "pair": complex(pair),
        "pair_photons": pair_photons,
        "pair_variance": variance,
        "quartic": complex(quartic),
        "phi_ext": 2 * gamma2 * abs(pair) ** 2,
        "phi_q": model.kappa * photons + 2 * gamma2 * variance,
    }


# ------------------------------------------------------------------------- Fock cutoff


def initial_cutoff(N: float, g: float, *, model: TwoPhotonModel = PAPER) -> int:
    r"""A first Fock cutoff: the mean-field photons plus their fluctuations, about 6.5 sigma.

    :math:`Nn` of the top stable branch plus its Gaussian
    :math:`\langle\delta a^\dagger\delta a\rangle` (capped at :math:`3\sqrt{N}`, the critical
    scale near :math:`G_c`), plus :math:`6.5\sqrt{\cdot + 1} + 15`. Only the first window searched
    by :func:`fock_cutoff`.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.twophoton`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    int
        The number of Fock levels.
    """
    N, g = check_size(N), check_drive(g)
    branches = linearized_branches(g, model=model)
    if branches:
        top = max(branches, key=lambda b: b.n)
        photons = N * top.n + min(top.fluct_photons, 3 * math.sqrt(N))
    else:  # at G_c no branch is stable: the critical scale
        photons = N * max(b.n for b in mean_field(g, model=model)) + 3 * math.sqrt(N)
    if not photons < 1e15:
        raise BudgetError(
            f"N = {N}, g = {g} holds about {photons:.3g} photons: no Fock space can hold the state"
        )
    return int(math.ceil(photons + 6.5 * math.sqrt(photons + 1) + 15))


def _v_terms(N: float, g: float, d: int, model: TwoPhotonModel):
    r"""Ingredients of :math:`\ln V_{nt}` for Fock rows ``n < d``: ``(n_cols, ln w, ln P,
    ln s!, ln Gamma(q + 1/2), ln Z)`` with columns ``t < n_cols``."""
    log_p, log_w, lam_p, _ = _weights(N, g, model)
    n_q = len(log_p)
    n_cols = 2 * n_q
    n_tab = n_q + d // 2 + 2  # q = (n + t) / 2 < n_q + d / 2
    _check_series(n_cols + d)
    check_memory(16 * 8 * (n_cols + d) + 16 * 4 * min(d, _ROW_BLOCK) * n_cols,
                 f"the complex-P series of {n_cols} columns for {d} Fock rows",
                 fits="a smaller N or cutoff")
    lp = _log_pochhammer(n_tab, lam_p)
    lg1 = scipy.special.gammaln(np.arange(n_cols + d) + 1.0)
    q = np.arange(n_tab, dtype=float)
    lgh = scipy.special.gammaln(q + 0.5)
    qz = np.arange(n_q, dtype=float)
    log_z_terms = (2 * qz * log_w.real + 2 * lgh[:n_q] - 2 * lp[:n_q].real
                   + qz * math.log(4) - scipy.special.gammaln(2 * qz + 1))
    log_z = float(scipy.special.logsumexp(log_z_terms))
    return n_cols, log_w, lp, lg1, lgh, log_z


def _log_v_block(rows: np.ndarray, cols: np.ndarray, terms, *, real: bool = False) -> np.ndarray:
    r""":math:`\ln V_{nt}` for rows ``n`` and columns ``t`` (``-inf`` where :math:`n + t` is
    odd); the real part only if asked."""
    _, log_w, lp, lg1, lgh, log_z = terms
    n, t = rows[:, None], cols[None, :]
    j = n + t
    q = j // 2
    lw = log_w.real if real else log_w
    lpq = lp[q].real if real else lp[q]
    out = q * lw + lgh[q] - lpq - 0.5 * (lg1[n] + lg1[t]) - 0.5 * log_z
    return np.where(j % 2 == 0, out, -np.inf)


def photon_distribution(
    N: float, g: float, n_max: int, *, model: TwoPhotonModel = PAPER, n_min: int = 0
) -> np.ndarray:
    r"""Exact photon-number distribution :math:`p_n = \langle n|\rho|n\rangle = \sum_t |V_{nt}|^2`.

    Summed a block of rows at a time from the logarithms of :math:`V`, without forming
    :math:`\rho`; :func:`fock_cutoff` reads the cutoff off its tail. Only even or only odd
    :math:`t` enter a row: :math:`n + t` must be even.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.twophoton`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    n_max : int
        One past the last photon number returned.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.
    n_min : int, optional
        First photon number returned (default 0).

    Returns
    -------
    numpy.ndarray
        :math:`p_n` for ``n_min <= n < n_max``.

    Raises
    ------
    epcore.errors.BudgetError
        A series longer than ``MAX_SERIES``.
    """
    N, g = check_size(N), check_drive(g)
    d = check_integer(n_max, "n_max", minimum=1, maximum=10**7)
    n_min = check_integer(n_min, "n_min", minimum=0, maximum=d - 1, hint=" (0 <= n_min < n_max)")
    check_memory(8 * (d - n_min), f"a photon distribution of {d - n_min} levels")
    if g == 0:
        return np.eye(1, d)[0][n_min:]
    terms = _v_terms(N, g, d, model)
    cols = np.arange(terms[0])
    p = np.empty(d - n_min)
    for start in range(n_min, d, _ROW_BLOCK):
        rows = np.arange(start, min(d, start + _ROW_BLOCK))
        p[rows - n_min] = np.exp(2 * _log_v_block(rows, cols, terms, real=True)).sum(axis=1)
    return p


def fock_cutoff(
    N: float, g: float, *, model: TwoPhotonModel = PAPER, tail_tol: float = TAIL_TOL
) -> int:
    r"""The smallest Fock cutoff ``d`` whose levels ``n >= d - 3`` hold at most ``tail_tol``.

    Read off the exact photon-number distribution (:func:`photon_distribution`), in a window
    that starts at :func:`initial_cutoff` and grows by 40 % until the distribution has
    decayed inside it (the rule of :func:`epcore.kerr.fock_cutoff`).

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.twophoton`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.
    tail_tol : float, optional
        Population allowed in the top three levels and beyond, in ``(0, 1)``.

    Returns
    -------
    int
        The cutoff, at least 4.

    Raises
    ------
    epcore.errors.BudgetError
        A series longer than ``MAX_SERIES``.
    """
    N, g = check_size(N), check_drive(g)
    tail_tol = check_real(tail_tol, "tail_tol", positive=True, maximum=1.0)
    if tail_tol >= 1:
        raise ValueError(f"tail_tol must lie in (0, 1), got {tail_tol}")
    if g == 0:
        return 4
    d0 = max(16, initial_cutoff(N, g, model=model))
    lo = d0 // 2
    while True:
        p = photon_distribution(N, g, d0, n_min=lo, model=model)
        # even and odd levels can differ by orders of magnitude (the drive creates pairs):
        # beyond d0 each parity decays at least geometrically, at the ratio of its last two
        r = max(p[-1] / p[-3] if p[-3] > 0 else 0.0, p[-2] / p[-4] if p[-4] > 0 else 0.0)
        outside = (p[-1] + p[-2]) * r / (1 - r) if r < 1 else np.inf
        tail = np.cumsum(p[::-1])[::-1] + outside
        if outside <= 1e-3 * tail_tol and tail[0] > tail_tol:
            break
        if outside <= 1e-3 * tail_tol and lo > 0:
            lo = 0
            continue
        if outside <= 1e-3 * tail_tol:
            break
        d0 = int(math.ceil(1.4 * d0))
    first = lo + int(np.nonzero(tail <= tail_tol)[0][0])
    return max(4, first + 3)


# ----------------------------------------------------------------------- density matrix


def exact_density_matrix(
    N: float, g: float, cutoff: int, *, model: TwoPhotonModel = PAPER
) -> np.ndarray:
    r"""The exact steady state in the first ``cutoff`` Fock levels, :math:`\rho = V V^\dagger`.

    :math:`V` of the module docstring, from its logarithms; columns whose every entry is
    below :math:`e^{-41}` are dropped. No linear system is solved, so the closing Liouvillian
    gap of the broken phase does not affect it. Only elements with :math:`n + m` even are
    nonzero (:math:`\mathbb{Z}_2` parity).

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.twophoton`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    cutoff : int
        Number of Fock levels kept, ``>= 2`` (choose it with :func:`fock_cutoff`).
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    numpy.ndarray
        The Hermitian ``cutoff x cutoff`` matrix (its trace falls short of 1 by the population
        above the cutoff).

    Raises
    ------
    epcore.errors.BudgetError
        A series longer than ``MAX_SERIES``.
    epcore.errors.MemoryLimitError
        A matrix beyond ``epcore.settings.memory_limit``.
    """
    N, g = check_size(N), check_drive(g)
    d = check_integer(cutoff, "the Fock cutoff", minimum=2, maximum=10**7)
    check_memory(16 * 3 * d * d, f"a {d} x {d} density matrix")
    if g == 0:
        rho = np.zeros((d, d), complex)
        rho[0, 0] = 1
        return rho
    terms = _v_terms(N, g, d, model)
    cols = np.arange(terms[0])
    largest = np.full(len(cols), -np.inf)
    for start in range(0, d, _ROW_BLOCK):
        rows = np.arange(start, min(d, start + _ROW_BLOCK))
        largest = np.maximum(largest, _log_v_block(rows, cols, terms, real=True).max(axis=0))
    keep = cols[largest > _V_FLOOR]
    check_memory(16 * 2 * d * max(len(keep), 1), f"the {d} x {len(keep)} matrix V")
    V = np.exp(_log_v_block(np.arange(d), keep, terms))
    rho = V @ V.conj().T
    return (rho + rho.conj().T) / 2
