"""The Kerr model, its mean field and the Gaussian fluctuations around it (Sec. IV, App. A).

The Hamiltonian and Liouvillian of Eqs. (11) and (B1) in a Fock space, the mean-field S curve
and its bistable window (Eq. B4), and the N -> infinity entropy balance of the linearized
fluctuations on each stable branch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import qutip
import scipy.optimize

from ..balance import GaussianBalance
from ..cavity import driven_hamiltonian
from ..gaussian import gaussian_balance, gaussian_wehrl, hamiltonian_drift
from ..models import (
    KerrModel,
    check_array,
    check_complex,
    check_drive,
    check_integer,
    check_size,
)

__all__ = [
    "PAPER",
    "RESONANT",
    "hamiltonian",
    "liouvillian",
    "MeanFieldBranch",
    "drive_of_photons",
    "branch_is_stable",
    "mean_field",
    "bistability_window",
    "on_upper_branch",
    "fluctuation_matrix",
    "squeezing_coefficient",
    "linearized_branches",
    "window_edge_scaling",
    "kerr_coefficient",
    "has_bistable_window",
]

PAPER = KerrModel()  # documented in epcore.kerr
#: The smallest distance from a window edge, in units in the last place of the edge drive,
#: that :func:`window_edge_scaling` accepts (50 ulp: the rounding of the drive changes the
#: distance by at most 1 %).
RESOLVABLE_ULPS = 50
RESONANT = PAPER.replace(delta=0.0)  # documented in epcore.kerr


def kerr_coefficient(N: float, *, model: KerrModel = PAPER) -> float:
    r"""The Kerr coefficient :math:`\chi = u/2N` of :math:`\chi a^{\dagger 2} a^2` in Eq. (11).

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    float
        :math:`u/2N`, in the units of the rates.
    """
    return model.u / (2 * check_size(N))


# ------------------------------------------------------------------------------ operators


def hamiltonian(N: float, eps: float, cutoff: int, *, model: KerrModel = PAPER) -> qutip.Qobj:
    r"""The Kerr Hamiltonian with its drive, Eqs. (11) and (B1), in ``cutoff`` Fock levels.

    The Hamiltonian is typeset in :class:`~epcore.models.KerrModel`.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    cutoff : int
        Number of Fock levels, ``>= 2``.
    model : KerrModel, optional
        Detuning and Kerr nonlinearity (``kappa`` is not used); default :data:`PAPER`.

    Returns
    -------
    qutip.Qobj
        :func:`epcore.cavity.driven_hamiltonian` with :math:`E = \epsilon\sqrt{N}` and
        :math:`\chi = u/2N`.
    """
    N, eps = check_size(N), check_drive(eps)
    cutoff = check_integer(cutoff, "the Fock cutoff", minimum=2)
    chi = kerr_coefficient(N, model=model)
    return driven_hamiltonian(cutoff, eps * math.sqrt(N), delta=model.delta, chi=chi)


def liouvillian(N: float, eps: float, cutoff: int, *, model: KerrModel = PAPER) -> qutip.Qobj:
    r"""The Liouvillian of Eq. (B1): :func:`hamiltonian` and the losses :math:`2\kappa D[a]`.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.kerr`.
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    cutoff : int
        Number of Fock levels, ``>= 2``.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    qutip.Qobj
        The superoperator, of dimension ``cutoff**2``.
    """
    H = hamiltonian(N, eps, cutoff, model=model)
    return qutip.liouvillian(H, [math.sqrt(2 * model.kappa) * qutip.destroy(int(cutoff))])


# ----------------------------------------------------------------------------- mean field


@dataclass(frozen=True)
class MeanFieldBranch:
    r"""One mean-field steady state, :math:`\alpha = \epsilon / (\kappa + i(\Delta + u n))`.

    Attributes
    ----------
    alpha : complex
        Mean field per unit size, :math:`\langle a\rangle/\sqrt{N}`.
    n : float
        :math:`|\alpha|^2`.
    stable : bool
        Whether both eigenvalues of the linearized drift have negative real parts, i.e.
        :math:`\kappa^2 + (\Delta + u n)(\Delta + 3 u n) > 0`.
    eigenvalues : tuple of complex
        The two eigenvalues of the linearized drift (App. A).
    """

    alpha: complex
    n: float
    stable: bool
    eigenvalues: tuple[complex, complex]


def drive_of_photons(n, *, model: KerrModel = PAPER):
    r"""The mean-field S curve: the drive whose steady state has :math:`|\alpha|^2 = n`.

    From :math:`\alpha = \epsilon / (\kappa + i(\Delta + u n))` (Eq. B4 of the paper),

    .. math::

        \epsilon(n)^2 = n\,[\kappa^2 + (\Delta + u n)^2].

    Parameters
    ----------
    n : float or array_like
        Mean-field photon number per unit size, ``>= 0``.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    float or numpy.ndarray
        :math:`\epsilon(n)`, of the shape of ``n``.
    """
    n = check_array(n, "the photon number n", minimum=0.0, bounded=True)
    out = np.sqrt(n * (model.kappa**2 + (model.delta + model.u * n) ** 2))
    return float(out) if out.ndim == 0 else out


def branch_is_stable(n, *, model: KerrModel = PAPER):
    r"""Whether the mean-field state with :math:`|\alpha|^2 = n` is linearly stable.

    Both eigenvalues :math:`-\kappa \pm \sqrt{(u n)^2 - (\Delta + 2 u n)^2}` of the linearized
    drift (App. A) have negative real parts exactly when
    :math:`\kappa^2 + (\Delta + u n)(\Delta + 3 u n) > 0`; the middle branch of the S curve
    fails it.

    Parameters
    ----------
    n : float or array_like
        Mean-field photon number per unit size.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    bool or numpy.ndarray
        The stability of each ``n``.
    """
    n = np.asarray(n, dtype=float)
    kappa, delta, u = model.kappa, model.delta, model.u
    out = kappa**2 + (delta + u * n) * (delta + 3 * u * n) > 0
    return bool(out) if out.ndim == 0 else out


def _drift_eigenvalues(n: float, model: KerrModel) -> tuple[complex, complex]:
    u = model.u
    root = np.sqrt(complex((u * n) ** 2 - (model.delta + 2 * u * n) ** 2))
    return (-model.kappa + root, -model.kappa - root)


def mean_field(eps: float, *, model: KerrModel = PAPER) -> list[MeanFieldBranch]:
    r"""All mean-field steady states at drive ``eps``, stable or not, lowest ``n`` first.

    They solve :math:`\epsilon^2 = n[\kappa^2 + (\Delta + u n)^2]` (:func:`drive_of_photons`),
    a cubic in :math:`n = |\alpha|^2` with one or three positive roots (three inside the
    window of Eq. B4).

    Parameters
    ----------
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    list of MeanFieldBranch
        Every branch, lowest ``n`` first; ``stable`` from :func:`branch_is_stable`.
    """
    eps = check_drive(eps)
    if eps == 0:
        return [MeanFieldBranch(0j, 0.0, True, _drift_eigenvalues(0.0, model))]
    branches = []
    for n in _photon_roots(eps, model):
        alpha = eps / complex(model.kappa, model.delta + model.u * n)
        # a root on a turning point (eps exactly on a window edge) is marginal, not stable
        stable = branch_is_stable(n, model=model) and n not in _turning_points(model)
        branches.append(MeanFieldBranch(alpha, float(n), stable, _drift_eigenvalues(n, model)))
    return branches


def _turning_points(model: KerrModel) -> tuple[float, ...]:
    return _window_photons(model) if has_bistable_window(model=model) else ()


def _photon_roots(eps: float, model: KerrModel) -> list[float]:
    r"""The positive roots of :math:`f(n) = n[\kappa^2 + (\Delta + un)^2] - \epsilon^2`, sorted.

    No complex root finder: :math:`f` is monotone between its turning points :math:`n_\mp`
    (the zeros of :math:`f'`, Eq. B4), so each monotone piece holds a root exactly when
    :math:`f` changes sign on it, and the sign of :math:`f(n_\mp)` is that of
    :math:`\epsilon_{edge} - \epsilon` with the window edges of :func:`bistability_window`,
    computed as a difference of drives, not of their squares. Near a turning point :math:`f` is
    evaluated as its (exact, cubic) Taylor polynomial in :math:`h = n - n_\mp` with constant term
    :math:`(\epsilon_{edge} - \epsilon)(\epsilon_{edge} + \epsilon)`, so a branch
    :math:`10^{-13}` from a window edge keeps every digit that double precision resolves.
    """
    kappa, delta, u = model.kappa, model.delta, model.u
    eps2 = eps * eps

    def f(n):
        return n * (kappa**2 + (delta + u * n) ** 2) - eps2

    def taylor(n0):
        e0 = float(drive_of_photons(n0, model=model))
        c0 = (e0 - eps) * (e0 + eps)
        c1 = kappa**2 + (delta + u * n0) * (delta + 3 * u * n0)
        c2 = 3 * u * u * n0 + 2 * delta * u
        return c0, (lambda h: c0 + h * (c1 + h * (c2 + h * u * u)))

    def solve(g, lo, hi):
        return scipy.optimize.brentq(g, lo, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps,
                                     maxiter=2000)

    def grow(g, start):
        hi = start
        while g(hi) <= 0:
            hi *= 2
            if not math.isfinite(hi):
                raise ValueError(f"no mean-field root found for eps = {eps}: rescale the units")
        return hi

    if not has_bistable_window(model=model):
        # f increases on n >= 0: one root
        scale = max(eps2 / (kappa**2 + delta**2), (eps2 / (u * u)) ** (1 / 3))
        return [solve(f, 0.0, grow(f, scale))]
    n_minus, n_plus = _window_photons(model)
    f_minus, g_minus = taylor(n_minus)  # f(n_-) >= 0 iff eps <= eps_high
    f_plus, g_plus = taylor(n_plus)  # f(n_+) <= 0 iff eps >= eps_low
    roots = []
    if f_minus == 0:
        roots.append(n_minus)
    elif f_minus > 0:  # the lower branch, on [0, n_-]: near 0 f itself, near n_- its Taylor form
        half = 0.5 * n_minus
        if f(half) >= 0:
            roots.append(solve(f, 0.0, half))
        else:
            roots.append(n_minus + solve(g_minus, -half, 0.0))
    if f_minus > 0 > f_plus:  # the middle branch, on [n_-, n_+]
        mid = 0.5 * (n_plus - n_minus)
        if g_minus(mid) <= 0:
            roots.append(n_minus + solve(g_minus, 0.0, mid))
        else:
            roots.append(n_plus + solve(g_plus, -mid, 0.0))
    if f_plus == 0:
        roots.append(n_plus)
    elif f_plus < 0:  # the upper branch, on [n_+, infinity)
        if g_plus(n_plus) >= 0:
            roots.append(n_plus + solve(g_plus, 0.0, n_plus))
        else:
            roots.append(solve(f, 2 * n_plus, grow(f, 4 * n_plus)))
    if not all(math.isfinite(r) for r in roots):
        raise ValueError(f"the mean field at eps = {eps} is not representable: rescale the units")
    return sorted(roots)


def has_bistable_window(*, model: KerrModel = PAPER) -> bool:
    r"""Whether Eq. (B4) has a bistable window, :math:`\Delta < -\sqrt{3}\kappa`.

    Parameters
    ----------
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    bool
        True when two stable mean-field branches coexist over a range of drives
        (:func:`bistability_window`).
    """
    return model.delta < 0 and model.delta**2 > 3 * model.kappa**2


def _window_photons(model: KerrModel) -> tuple[float, float]:
    r"""``(n_-, n_+)`` of Eq. (B4): the photon numbers at the turning points of the S curve.

    :math:`n_\pm = (-2\Delta \pm \sqrt{\Delta^2 - 3\kappa^2}) / 3u`; the lower branch ends at
    :math:`n_-`, the upper one starts at :math:`n_+`.
    """
    kappa, delta, u = model.kappa, model.delta, model.u
    if not has_bistable_window(model=model):
        raise ValueError(
            f"no bistability for delta = {delta}, kappa = {kappa}: the window of Eq. (B4) needs "
            "delta < -sqrt(3) kappa (make the detuning more negative or the loss smaller)"
        )
    root = math.sqrt(delta**2 - 3 * kappa**2)
    return (-2 * delta - root) / (3 * u), (-2 * delta + root) / (3 * u)


def bistability_window(*, model: KerrModel = PAPER) -> tuple[float, float]:
    r"""The drives between which two stable branches coexist, Eq. (B4).

    :math:`n_\pm = (-2\Delta \pm \sqrt{\Delta^2 - 3\kappa^2}) / 3u`; :math:`n_+` gives the
    lower edge (the upper branch is born) and :math:`n_-` the upper edge (the lower branch
    dies).

    Parameters
    ----------
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    tuple of float
        ``(eps_low, eps_high)``, :func:`drive_of_photons` at :math:`n_+` and :math:`n_-`.

    Raises
    ------
    ValueError
        If :math:`\Delta \geq -\sqrt{3}\kappa` (no window).

    Examples
    --------
    >>> from epcore import kerr
    >>> [round(eps, 6) for eps in kerr.bistability_window()]
    [0.701373, 1.166159]
    """
    n_minus, n_plus = _window_photons(model)
    return drive_of_photons(n_plus, model=model), drive_of_photons(n_minus, model=model)


def on_upper_branch(n: float, *, model: KerrModel = PAPER) -> bool:
    r"""Whether a stable mean-field state with :math:`|\alpha|^2 = n` is on the upper branch.

    The lower branch ends at :math:`n_-` of Eq. (B4) and the upper one starts at
    :math:`n_+ > n_-` (between them lies the unstable middle branch), so a stable state is on
    the upper branch exactly when :math:`n > n_-`. Without a bistable window there is one
    branch, reported as lower.

    Parameters
    ----------
    n : float
        Mean-field photon number per unit size of a stable branch.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    bool
        ``True`` on the upper branch.
    """
    if not has_bistable_window(model=model):
        return False
    n_minus, _ = _window_photons(model)
    return bool(n > n_minus)


# --------------------------------------------------------------- Gaussian thermodynamic limit


def fluctuation_matrix(alpha: complex, *, model: KerrModel = PAPER) -> np.ndarray:
    r"""``G`` of the linearized Hamiltonian :math:`R^T G R / 2`, :math:`R = (q, p)` (App. A).

    The fluctuation Hamiltonian around the mean field :math:`\alpha` is (App. A with r = s = 2)

    .. math::

        (\Delta + 2u|\alpha|^2)\,\delta a^\dagger \delta a
        + \frac{u}{2}(\alpha^2\,\delta a^{\dagger 2} + \bar\alpha^2\,\delta a^2).

    Parameters
    ----------
    alpha : complex
        Mean field per unit size of a branch.
    model : KerrModel, optional
        Detuning and Kerr nonlinearity (``kappa`` is not used); default :data:`PAPER`.

    Returns
    -------
    numpy.ndarray
        The real symmetric 2 x 2 matrix ``G``.
    """
    alpha = check_complex(alpha, "the mean field alpha")
    u = model.u
    w = model.delta + 2 * u * abs(alpha) ** 2
    s = np.conj(alpha) ** 2
    return np.array([[w + u * s.real, -u * s.imag], [-u * s.imag, w - u * s.real]])


def squeezing_coefficient(alpha: complex, *, model: KerrModel = PAPER) -> complex:
    r"""The constant :math:`\xi_2 = -iu\bar\alpha^2` of Eq. (A7) for the Kerr model.

    Of the coefficients :math:`h_{rs}` of Eq. (A7) only :math:`h_{22} = u/2` contributes
    (:math:`r = s = 2`), so the leading order of :math:`\Pi_u` (Eq. A10,
    :func:`epcore.cavity.leading_order_pi_u`) takes :math:`\xi_2 = -iu\bar\alpha^2`: the
    squeezing term :math:`\frac u2\bar\alpha^2\delta a^2` of :func:`fluctuation_matrix`.

    Parameters
    ----------
    alpha : complex
        Mean field per unit size, :math:`\langle a\rangle/\sqrt N`.
    model : KerrModel, optional
        Its Kerr nonlinearity ``u`` is used; default :data:`PAPER`.

    Returns
    -------
    complex
        :math:`\xi_2`.

    Examples
    --------
    >>> from epcore import kerr
    >>> xi2 = kerr.squeezing_coefficient(1 + 1j)  # -i u (1 - i)^2
    >>> xi2.real, abs(xi2.imag)  # -2u at u = 1
    (-2.0, 0.0)
    """
    alpha = check_complex(alpha, "the mean field alpha")
    return complex(-1j * model.u * np.conj(alpha) ** 2)


def linearized_branches(eps: float, *, model: KerrModel = PAPER) -> list[GaussianBalance]:
    r"""N -> infinity entropy balance on each stable mean-field branch, lowest ``n`` first.

    Gaussian steady state of the linearized fluctuations and the closed forms of
    :mod:`epcore.gaussian` (Eqs. 8, 10 and A10). ``pi_u``, ``pi_d`` and ``phi_q`` are the
    intensive limits; :math:`\Pi_{ext} = \Phi_{ext} = 2\kappa|\alpha|^2` are given per unit
    :math:`N`.

    Parameters
    ----------
    eps : float
        Drive per unit size; see :mod:`epcore.kerr`.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    list of GaussianBalance
        One per stable branch. Diagnostic fields: those of
        :func:`epcore.gaussian.gaussian_balance`, plus ``alpha`` (complex mean field per unit
        size), ``n`` (:math:`|\alpha|^2`) and ``wehrl`` (the Wehrl entropy of the
        fluctuations).

    Examples
    --------
    >>> from epcore import kerr
    >>> branches = kerr.linearized_branches(0.9)  # in the bistable window
    >>> len(branches), all(abs(b.residual) < 1e-12 for b in branches)
    (2, True)
    """
    out = []
    for br in mean_field(eps, model=model):
        if not br.stable:
            continue
        A_H = hamiltonian_drift(fluctuation_matrix(br.alpha, model=model))
        g = gaussian_balance(A_H, [model.kappa], mean_photons=br.n)
        wehrl = gaussian_wehrl(g.husimi_cov)
        out.append(g.replace(alpha=br.alpha, n=br.n, wehrl=wehrl))
    return out


def window_edge_scaling(
    distances=None, *, model: KerrModel = PAPER
) -> dict[str, dict[str, np.ndarray]]:
    r"""N -> infinity ``Pi_u``, ``Pi_d``, ``Phi_q`` of the branch that dies at each window edge.

    An edge of the window (:func:`bistability_window`) is a saddle-node (spinodal): one drift
    eigenvalue vanishes as :math:`d^{1/2}` at distance :math:`d` from it, the Gaussian
    covariance grows as its inverse, so :math:`\Pi_d` and :math:`\Phi_q` diverge as
    :math:`d^{-1/2}` while :math:`\Pi_u = -\mathrm{tr}(A_H S^{-1})/2` stays finite.

    Parameters
    ----------
    distances : array_like, optional
        At least 3 log-spaced distances in ``(0, eps_high - eps_low)``, none below
        ``RESOLVABLE_ULPS`` units in the last place of the edge drive (about 1e-14 at the
        paper's parameters); default 17 points from 1e-2 to 1e-6.
    model : KerrModel, optional
        The parameters (default the paper's); see :mod:`epcore.kerr`.

    Returns
    -------
    dict
        ``"upper"``: the lower branch at ``eps_high - distance``; ``"lower"``: the upper
        branch at ``eps_low + distance``; ``distance`` is the difference of the rounded drive
        from the edge, exact in floating point. Each holds arrays ``distance``, ``eps``, ``pi_u``,
        ``pi_d``, ``phi_q`` and the local log-log slopes ``slope_pi_d`` (of
        :math:`\ln\Pi_d`) and ``slope_pi_u`` (of :math:`\ln|\Pi_u|`) against
        :math:`\ln d`, by second-order differences; ``rate``, the slowest drift rate
        :math:`-\max\mathrm{Re}\,\lambda` of the dying branch (its eigenvalues
        :math:`\lambda = -\kappa \pm \sqrt{u^2n^2 - (\Delta + 2un)^2}`, see
        :func:`mean_field`), and its local slope ``slope_rate``, which tends to
        :math:`+1/2`. The rate is not smooth in :math:`d`: it equals :math:`\kappa` while
        the eigenvalues are a complex pair and leaves it with a kink where they turn real
        (near :math:`d = 5\times 10^{-3}` at the paper's parameters), so ``slope_rate`` takes
        first-order differences at the two ends of the grid (:func:`numpy.gradient`'s
        default), which do not reach across the kink; inside, all slopes are the same
        central differences.

    Raises
    ------
    ValueError
        No bistable window, or bad ``distances``.
    """
    lo, hi = bistability_window(model=model)
    if distances is None:
        distances = np.logspace(-2, -6, 17)
    dist = check_array(distances, "distances", ndim=1, min_size=3)
    if np.any(dist <= 0) or np.any(dist >= hi - lo):
        raise ValueError(
            "distances must be at least 3 values in (0, eps_high - eps_low), log-spaced"
        )
    # a drive eps_edge +- d is rounded to a multiple of spacing(eps_edge), and so is the edge
    # itself: below RESOLVABLE_ULPS of them the distance keeps no digit worth a slope
    finest = RESOLVABLE_ULPS * float(np.spacing(max(lo, hi)))
    if np.any(dist < finest):
        raise ValueError(
            f"distances below {finest:.2g} ({RESOLVABLE_ULPS} units in the last place of the "
            "edge drive) are not resolved in double precision: the rounding of eps_edge +- d "
            "alone changes d by more than 1 %"
        )
    out = {}
    for edge, eps_edge, sign, index in (("upper", hi, -1, 0), ("lower", lo, +1, -1)):
        eps = eps_edge + sign * dist
        dist_edge = np.abs(eps - eps_edge)  # the distance actually computed (exact difference)
        rows = [linearized_branches(float(e), model=model)[index] for e in eps]
        dying = [[b for b in mean_field(float(e), model=model) if b.stable][index] for e in eps]
        rate = np.array([-max(ev.real for ev in b.eigenvalues) for b in dying])
        pi_u = np.array([g.pi_u for g in rows])
        pi_d = np.array([g.pi_d for g in rows])
        log_d = np.log(dist_edge)
        out[edge] = {
            "distance": dist_edge,
            "eps": eps,
            "pi_u": pi_u,
            "pi_d": pi_d,
            "phi_q": np.array([g.phi_q for g in rows]),
            "slope_pi_d": np.gradient(np.log(pi_d), log_d, edge_order=2),
            "slope_pi_u": np.gradient(np.log(np.abs(pi_u)), log_d, edge_order=2),
            "rate": rate,
            "slope_rate": np.gradient(np.log(rate), log_d),
        }
    return out
