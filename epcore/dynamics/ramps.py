r"""Drive ramps through the Kerr bistable window, with the entropy balance at every time.

:func:`ramp`: ``mesolve`` along a :func:`triangle` drive ramp, with the entropy balance of
Eqs. (1), (4)-(8) at every output time (:func:`epcore.phasespace.entropy_balance`) and,
optionally, its adiabatic and non-adiabatic parts (:func:`entropy_split`); :func:`ramp_row`
for cached sweeps; :func:`hysteresis_area`; :func:`ramp_entropy` and :func:`fast_ramp_limit`:
the entropy of a cycle against its quasi-static value; :func:`peak_time` and :func:`zero_time`:
the ramp time at which the loop area peaks and the one at which the relative entropy per cycle
changes sign; :func:`cycle_split`: the entropy production of a cycle and its adiabatic and
non-adiabatic parts. Two checks computed from the output times alone:
:func:`entropy_rate_differences` (:math:`dS/dt` of Eq. 1 from :math:`S(t)`, against the
master-equation rate) and :func:`sum_rule_residual` (the sum rule
:math:`\Pi_{\rm na} = Y - dD/dt` of the non-adiabatic part).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import joblib
import numpy as np
import qutip
from tqdm.auto import tqdm

from .. import kerr
from ..balance import EntropyBalance
from ..errors import BudgetError
from ..models import (
    KerrModel,
    check_array,
    check_drive,
    check_integer,
    check_real,
    check_size,
)
from ..phasespace import (
    CUTOFF_TOL,
    coherent_amplitudes,
    coherent_expectations,
    density_matrix,
    entropy_balance,
    hermitian_normalized,
    polar_grid,
    wehrl_entropy,
)
from ..settings import settings
from ..threads import blas_threads

__all__ = [
    "ramp_entropy",
    "fast_ramp_limit",
    "entropy_split",
    "DRIVE_STEP",
    "triangle",
    "RampResult",
    "ramp",
    "ramp_row",
    "hysteresis_area",
    "peak_time",
    "zero_time",
    "cycle_split",
    "entropy_rate_differences",
    "sum_rule_residual",
]

#: The longest drive ramp :func:`ramp` integrates, in decay times 1/kappa.
MAX_RAMP_RATES = 1e6


def triangle(t, t_ramp: float, eps_min: float, eps_max: float):
    """Drive of a triangular ramp: from ``eps_min`` to ``eps_max`` in ``t_ramp``, then back.

    Parameters
    ----------
    t : array_like
        Times in ``[0, 2 t_ramp]``.
    t_ramp : float
        Duration of each leg.
    eps_min, eps_max : float
        Turning points of the drive.

    Returns
    -------
    numpy.ndarray
        The drive at ``t``.
    """
    t_ramp = check_real(t_ramp, "t_ramp", positive=True)
    eps_min, eps_max = check_real(eps_min, "eps_min"), check_real(eps_max, "eps_max")
    x = check_array(t, "t", min_size=0) / t_ramp
    return eps_min + (eps_max - eps_min) * np.where(x <= 1, x, 2 - x)


@dataclass(frozen=True, kw_only=True, repr=False)
class RampResult(EntropyBalance):
    """Time series along a drive ramp (arrays indexed by the output times).

    An array-valued :class:`~epcore.balance.EntropyBalance`: its terms are NaN when the
    balance was not computed (``balance=False``); ``pi`` and ``phi`` are the total entropy
    production and flux, Eqs. (6) and (5), at each time.

    Parameters
    ----------
    pi_ext, pi_u, pi_d, phi_ext, phi_q : numpy.ndarray
        The terms of Eqs. (7)-(8) at each output time.
    N, t_ramp : float
        Size and duration of each leg.
    t, eps : numpy.ndarray
        Output times and the drive at them.
    photons : numpy.ndarray
        ``<a^dag a>/N``.
    S : numpy.ndarray
        Wehrl entropy (Eq. 4).
    dS_dt : numpy.ndarray
        The rate ``-int (dQ/dt) ln Q`` with ``dQ/dt`` from the master equation at that time.
    wehrl_ends : tuple of float
        Wehrl entropy of the first and last states.
    pi_na, pi_a : numpy.ndarray or None
        Non-adiabatic and adiabatic parts of ``pi`` (:func:`entropy_split`, with the exact
        steady state at ``eps(t)``); NaN unless :func:`ramp` was called with ``split=True``.
    relative_entropy : numpy.ndarray or None
        ``D = int Q ln(Q / Q_ss)``, the distance from the instantaneous steady state.
    hatano_sasa : numpy.ndarray or None
        ``Y = -int Q d_t ln Q_ss``; ``pi_na = Y - dD/dt``.
    """

    N: float
    t_ramp: float
    t: np.ndarray
    eps: np.ndarray
    photons: np.ndarray
    S: np.ndarray
    dS_dt: np.ndarray
    wehrl_ends: tuple[float, float] = (float("nan"), float("nan"))
    pi_na: np.ndarray | None = None
    pi_a: np.ndarray | None = None
    relative_entropy: np.ndarray | None = None
    hatano_sasa: np.ndarray | None = None

    @property
    def area(self) -> float:
        """Hysteresis area ``-oint <a^dag a>/N d eps`` of the loop."""
        return hysteresis_area(self.eps, self.photons)

    @property
    def dS_dt_differences(self) -> np.ndarray:
        """``dS/dt`` from differences of ``S`` at the output times.

        :func:`entropy_rate_differences` of ``t`` and ``S``: an independent check of Eq. (1)
        next to ``dS_dt`` (from the master equation); it needs the balance
        (``balance=True``).
        """
        return entropy_rate_differences(self.t, self.S)


def hysteresis_area(eps, photons) -> float:
    """Hysteresis area ``-oint n d eps`` of a closed ramp.

    Positive when the way up lies below the way down.

    Parameters
    ----------
    eps : array_like
        The drive along the loop.
    photons : array_like
        ``<a^dag a>/N`` at the same points.

    Returns
    -------
    float
        The area.
    """
    eps = check_array(eps, "eps", ndim=1, min_size=0)
    photons = check_array(photons, "photons", ndim=1, min_size=0)
    if eps.shape != photons.shape:
        raise ValueError(
            f"eps and photons must have the same length, got {eps.size} and {photons.size}"
        )
    if eps.size < 2:
        raise ValueError("a hysteresis loop needs at least two points")
    return float(-np.trapezoid(photons, eps))


def _ramp_curve(times, values) -> tuple[np.ndarray, np.ndarray]:
    """Check a curve against increasing ramp times: two 1-D arrays of one length >= 2."""
    times = check_array(times, "times", ndim=1, min_size=2, positive=True)
    values = check_array(values, "values", ndim=1, min_size=2)
    if times.shape != values.shape:
        raise ValueError(
            f"times and values must have the same length, got {times.size} and {values.size}"
        )
    if np.any(np.diff(times) <= 0):
        raise ValueError("times must increase strictly")
    return times, values


def peak_time(times, values) -> float:
    r"""Ramp time of the maximum of a positive curve, from a parabola on log-log axes.

    The parabola :math:`\ln v = a (\ln T)^2 + b \ln T + c` through the largest point and its
    two neighbours; its vertex :math:`T^* = e^{-b/2a}`. Chapter 6 uses it for the ramp time
    at which the hysteresis area (:func:`hysteresis_area`) peaks, of the order of the
    inverse Liouvillian gap.

    Parameters
    ----------
    times : array_like
        Ramp times T, positive and increasing (at least two).
    values : array_like
        The curve at those times (e.g. the loop area); positive at its largest point and
        the two neighbours.

    Returns
    -------
    float
        :math:`T^*`, or NaN when the largest value is at either end (no bracketed peak).

    Raises
    ------
    ValueError
        Arrays of different lengths, fewer than two points, times not increasing, or a
        non-positive value next to the largest one.

    Examples
    --------
    >>> T = np.exp(np.array([0.0, 1.0, 2.0, 3.0]))
    >>> values = np.exp(-(np.log(T) - 1.3) ** 2)
    >>> round(float(np.log(peak_time(T, values))), 12)
    1.3
    """
    times, values = _ramp_curve(times, values)
    i = int(np.argmax(values))
    if i == 0 or i == len(values) - 1:
        return float("nan")
    check_array(values[i - 1:i + 2], "values next to the largest", positive=True)
    x, y = np.log(times[i - 1:i + 2]), np.log(values[i - 1:i + 2])
    a, b, _ = np.polyfit(x, y, 2)
    return float(np.exp(-b / (2 * a)))


def zero_time(times, values) -> float:
    r"""First ramp time at which a curve turns from negative to non-negative.

    Linear interpolation in :math:`\ln T` between the last negative value and the next one.
    Chapter 6 uses it for the ramp time at which the entropy per cycle relative to its
    quasi-static value (``relative`` of :func:`ramp_entropy`) changes sign.

    Parameters
    ----------
    times : array_like
        Ramp times T, positive and increasing (at least two).
    values : array_like
        The curve at those times.

    Returns
    -------
    float
        The crossing time, or NaN when the curve never turns from negative to non-negative.

    Raises
    ------
    ValueError
        Arrays of different lengths, fewer than two points or times not increasing.

    Examples
    --------
    >>> T = np.exp(np.array([0.0, 1.0, 2.0]))
    >>> round(float(np.log(zero_time(T, np.log(T) - 1.25))), 12)
    1.25
    """
    times, values = _ramp_curve(times, values)
    up = np.nonzero((values[:-1] < 0) & (values[1:] >= 0))[0]
    if up.size == 0:
        return float("nan")
    i = int(up[0])
    x0, x1 = np.log(times[i]), np.log(times[i + 1])
    y0, y1 = values[i], values[i + 1]
    return float(np.exp(x0 - y0 * (x1 - x0) / (y1 - y0)))


def cycle_split(t, pi, pi_a, pi_na, hatano_sasa) -> dict[str, float]:
    r"""Entropy produced over a ramp and its adiabatic / non-adiabatic parts (trapezoid rule).

    The time integrals :math:`\Sigma = \int \Pi\,dt`, :math:`\Sigma_{\rm a} = \int
    \Pi_{\rm a}\,dt`, :math:`\Sigma_{\rm na} = \int \Pi_{\rm na}\,dt` of the rates of
    :func:`entropy_split` and the integral of the Hatano-Sasa term :math:`Y`, along the
    output times of a ramp (the columns of :func:`ramp_row` with ``split=True``) (ch. 6).

    Parameters
    ----------
    t : array_like
        Output times, at least two.
    pi, pi_a, pi_na, hatano_sasa : array_like
        :math:`\Pi`, :math:`\Pi_{\rm a}`, :math:`\Pi_{\rm na}` and :math:`Y` at those
        times.

    Returns
    -------
    dict
        ``sigma``, ``sigma_a``, ``sigma_na`` and ``hatano_sasa`` (floats, dimensionless).

    Raises
    ------
    ValueError
        Arrays of different lengths, fewer than two times or non-finite values.

    Examples
    --------
    >>> t, one = np.linspace(0.0, 2.0, 5), np.ones(5)
    >>> cycle_split(t, 3 * one, one, 2 * one, 0 * one)["sigma_na"]
    4.0
    """
    t = check_array(t, "t", ndim=1, min_size=2)
    cols = {"sigma": pi, "sigma_a": pi_a, "sigma_na": pi_na, "hatano_sasa": hatano_sasa}
    out = {}
    for name, col in cols.items():
        col = check_array(col, name, ndim=1, min_size=2)
        if col.shape != t.shape:
            raise ValueError(
                f"{name} must have the length of t ({t.size}), got {col.size}"
            )
        out[name] = float(np.trapezoid(col, t))
    return out


def entropy_rate_differences(t, S) -> np.ndarray:
    r"""The rate :math:`dS/dt` of Eq. (1) from differences of the entropy :math:`S(t)`.

    Second-order differences of ``S`` at the output times (:func:`numpy.gradient` with
    ``edge_order=2``: central inside, one-sided at the two ends, exact for a quadratic),
    an independent check of :math:`dS/dt = \Pi - \Phi` (Eq. 1) next to the rate
    :math:`-\int \dot Q \ln Q\,d^2\mu` taken from the master equation (``dS_dt`` of
    :class:`RampResult` and of :class:`epcore.cavity.TransientBalance`). Its error is
    :math:`O(\Delta t^2)` where :math:`S` is smooth; at a kink of the drive (the turning point
    of a triangular ramp) it is :math:`O(1)` over two steps.

    Parameters
    ----------
    t : array_like
        At least 3 strictly increasing times.
    S : array_like
        The Wehrl entropy (Eq. 4) at those times, in nats.

    Returns
    -------
    numpy.ndarray
        :math:`dS/dt` at each time (units of the loss rate).

    Raises
    ------
    ValueError
        Arrays of different lengths, fewer than 3 times, times not increasing, or
        non-finite values (a ramp run with ``balance=False`` has ``S`` = NaN).

    Examples
    --------
    >>> t = np.array([0.0, 0.5, 2.0, 3.0])
    >>> rate = entropy_rate_differences(t, 1 + t**2)
    >>> bool(np.allclose(rate, 2 * t, atol=1e-12))  # exact on a quadratic
    True
    """
    t = check_array(t, "t", ndim=1, min_size=3)
    S = check_array(S, "S", ndim=1, min_size=3,
                    hint=" (run the ramp with balance=True)")
    if S.shape != t.shape:
        raise ValueError(f"S must have the length of t ({t.size}), got {S.size}")
    if np.any(np.diff(t) <= 0):
        raise ValueError("the times t must be strictly increasing")
    return np.gradient(S, t, edge_order=2)


def sum_rule_residual(t, t_ramp: float, pi_na, hatano_sasa, relative_entropy) -> float:
    r"""How well a ramp obeys the sum rule :math:`\Pi_{\rm na} = Y - dD/dt` (book ch. 6).

    :math:`\Pi_{\rm na}`, the Hatano-Sasa term :math:`Y` and the distance :math:`D` from the
    instantaneous steady state are computed independently at each output time
    (:func:`entropy_split`); the sum rule ties them through the time derivative of :math:`D`,
    taken here by second-order differences (:func:`numpy.gradient`). The residual
    :math:`|Y - dD/dt - \Pi_{\rm na}|` is taken away from the two first and two last times
    (one-sided differences) and from the turning point :math:`t = T` of the triangular drive
    (within three steps: :math:`Y \propto \dot\epsilon` jumps there, while the differences
    of :math:`D` smooth the jump), and divided by the largest :math:`\Pi_{\rm na}`. It is
    :math:`O(\Delta t^2)` when the three columns are right.

    Parameters
    ----------
    t : array_like
        The output times of the ramp, equally spaced, at least 3.
    t_ramp : float
        Duration :math:`T` of each leg (the turning point of the drive).
    pi_na, hatano_sasa, relative_entropy : array_like
        :math:`\Pi_{\rm na}`, :math:`Y` and :math:`D` at those times (the columns of
        :func:`ramp_row` or the fields of :class:`RampResult` with ``split=True``).

    Returns
    -------
    float
        :math:`\max |Y - dD/dt - \Pi_{\rm na}| / \max \Pi_{\rm na}` over the kept times.

    Raises
    ------
    ValueError
        Arrays of different lengths, times not increasing, non-finite values (a ramp without
        ``split=True`` has NaN columns), no time left after the exclusions, or
        :math:`\Pi_{\rm na} \le 0` everywhere (no scale).

    Examples
    --------
    >>> t = np.linspace(0.0, 2.0, 41)
    >>> D, pi_na = t**2, 1 + t  # dD/dt = 2 t
    >>> sum_rule_residual(t, 1.0, pi_na, pi_na + 2 * t, D) < 1e-12
    True
    """
    t = check_array(t, "t", ndim=1, min_size=3)
    t_ramp = check_real(t_ramp, "t_ramp", positive=True)
    hint = " (run the ramp with split=True)"
    cols = {}
    for name, col in (("pi_na", pi_na), ("hatano_sasa", hatano_sasa),
                      ("relative_entropy", relative_entropy)):
        col = check_array(col, name, ndim=1, min_size=3, hint=hint)
        if col.shape != t.shape:
            raise ValueError(f"{name} must have the length of t ({t.size}), got {col.size}")
        cols[name] = col
    if np.any(np.diff(t) <= 0):
        raise ValueError("the times t must be strictly increasing")
    scale = cols["pi_na"].max()
    if not scale > 0:
        raise ValueError("pi_na is nowhere positive: the residual has no scale")
    dD = np.gradient(cols["relative_entropy"], t, edge_order=2)
    away = np.abs(t - t_ramp) > 3 * (t[1] - t[0])
    away[:2] = away[-2:] = False
    if not away.any():
        raise ValueError("no output time is away from the ends and the turning point: "
                         "raise n_out")
    residual = np.abs(cols["hatano_sasa"] - dD - cols["pi_na"])[away]
    return float(residual.max() / scale)


def _lindblad_rate(rho: np.ndarray, H: np.ndarray, kappa: float) -> np.ndarray:
    """``-i[H, rho] + 2 kappa D[a] rho`` (Eq. B1 with the Hamiltonian ``H``), dense."""
    d = rho.shape[0]
    a = np.diag(np.sqrt(np.arange(1, d, dtype=float)), 1)
    n = a.T @ a
    return (-1j * (H @ rho - rho @ H)
            + 2 * kappa * (a @ rho @ a.T - 0.5 * (n @ rho + rho @ n)))


def entropy_split(rho, rho_ss, H, loss_rate: float, *, drho_ss=None) -> dict[str, float]:
    r"""Adiabatic and non-adiabatic parts of the Wehrl entropy production of one state.

    With :math:`Q` the Husimi function of ``rho``, :math:`Q_{\rm ss}` that of the steady state
    ``rho_ss`` of the *same* Hamiltonian (the instantaneous steady state along a ramp) and
    :math:`\partial_t Q` from the master equation (Eq. B1), the book's split (ch. 6, after
    Esposito and Van den Broeck 2010) is

    .. math::

        \Pi_{\rm na} = -\int \partial_t Q\,\ln\frac{Q}{Q_{\rm ss}}\, d^2\mu, \qquad
        \Pi_{\rm a} = \Phi - \int \partial_t Q\,\ln Q_{\rm ss}\, d^2\mu,

    so that :math:`\Pi_{\rm a} + \Pi_{\rm na} = \Pi` by Eq. (1)
    (:math:`\mathrm{d}S/\mathrm{d}t = -\int\partial_t Q\ln Q = \Pi - \Phi`,
    :math:`\Phi = 2\kappa\langle a^\dagger a\rangle`). With the relative entropy
    :math:`D = \int Q\ln(Q/Q_{\rm ss})` and :math:`Y = -\int Q\,\partial_t\ln Q_{\rm ss}`
    (the Hatano-Sasa rate, needs ``drho_ss``), :math:`\Pi_{\rm na} = Y - \mathrm{d}D/\mathrm{d}t`.
    Everything is evaluated on one polar grid that covers both Husimi functions
    (:func:`epcore.phasespace.polar_grid`), without derivatives on the grid.

    Parameters
    ----------
    rho, rho_ss : qutip.Qobj or array_like
        The state and the steady state of ``H``, density matrices on the same Fock levels.
    H : qutip.Qobj or array_like
        The Hamiltonian of Eq. (2) at this time, drive included.
    loss_rate : float
        Loss rate :math:`\kappa` (losses ``2 kappa D[a]``).
    drho_ss : array_like, optional
        :math:`\mathrm{d}\rho_{\rm ss}/\mathrm{d}t` along the protocol, for ``hatano_sasa``.

    Returns
    -------
    dict
        ``pi_na``, ``pi_a``, ``phi`` (:math:`\Phi`), ``dS_dt``, ``relative_entropy``
        (:math:`D \ge 0`), ``hatano_sasa`` (:math:`Y`, NaN without ``drho_ss``),
        ``normalization`` (:math:`\int Q_{\rm ss}` on the grid, a quadrature diagnostic).

    Raises
    ------
    ValueError
        Bad states (see :func:`epcore.phasespace.density_matrix`), a non-Hermitian ``H``,
        mismatched shapes, or a steady state that vanishes to round-off where ``rho`` has weight
        (:math:`\ln Q_{\rm ss}` cannot be evaluated: the relative entropy is beyond double
        precision).
    """
    loss_rate = check_real(loss_rate, "loss_rate", positive=True)
    rho = density_matrix(rho)
    rho_ss = density_matrix(rho_ss)
    d = rho.shape[0]
    if rho_ss.shape != rho.shape:
        raise ValueError(f"rho has {d} Fock levels but rho_ss has {rho_ss.shape[0]}")
    if isinstance(H, qutip.Qobj):
        H = H.full()
    H = check_array(H, "H", ndim=2, complex_ok=True).astype(complex)
    if H.shape != rho.shape:
        raise ValueError(f"H has shape {H.shape}, but the state has {d} Fock levels")
    if np.abs(H - H.conj().T).max() > 1e-10 * max(1.0, np.abs(H).max()):
        raise ValueError("H is not Hermitian")
    ops = [rho, rho_ss, _lindblad_rate(rho, H, loss_rate)]
    if drho_ss is not None:
        if isinstance(drho_ss, qutip.Qobj):
            drho_ss = drho_ss.full()
        drho_ss = check_array(drho_ss, "drho_ss", ndim=2, complex_ok=True).astype(complex)
        if drho_ss.shape != rho.shape:
            raise ValueError(f"drho_ss has shape {drho_ss.shape}, the state {rho.shape}")
        ops.append(drho_ss)
    pops = np.maximum(np.diag(rho).real, np.diag(rho_ss).real)
    grid = polar_grid(pops, harmonics=d)
    values = coherent_expectations(grid, ops)
    Q, Q_ss, dQ = (v.real / np.pi for v in values[:3])
    mask = Q > 1e-13 * Q.max()
    # round-off of Q_ss at radius r: the Fourier sum adds terms up to c(r)^T |rho_ss| c(r) / pi
    # with c_n(r) = exp(-r^2/2) r^n / sqrt(n!); ln Q_ss must be good to 1 % wherever Q holds
    # more than 1e-9 of its maximum
    c = coherent_amplitudes(grid.r, d)
    machine_eps = np.finfo(float).eps
    floor = (10 * machine_eps / np.pi * np.einsum("rm,mn,rn->r", c, np.abs(rho_ss), c))[:, None]
    if np.any((Q_ss < 100 * floor) & (Q > 1e-9 * Q.max())):
        raise ValueError("the steady state is below the round-off of its Husimi function where "
                         "the state has weight: ln Q_ss cannot be evaluated in double precision "
                         "(use a smaller N, or a state nearer the steady state)")
    log_q = np.log(np.where(mask, Q, 1.0))
    log_ss = np.log(np.where(mask, np.maximum(Q_ss, floor), 1.0))
    integrate = grid.integrate
    photons = float(np.sum(np.arange(d) * np.diag(rho).real))
    phi = 2 * loss_rate * photons
    dS = float(-integrate(np.where(mask, dQ * log_q, 0.0)))
    drive = float(integrate(np.where(mask, dQ * log_ss, 0.0)))
    D = float(integrate(np.where(mask, Q * (log_q - log_ss), 0.0)))
    Y = float("nan")
    if drho_ss is not None:
        dQ_ss = values[3].real / np.pi
        Y = float(-integrate(np.where(mask, Q * dQ_ss / np.maximum(Q_ss, floor), 0.0)))
    return {"pi_na": dS + drive, "pi_a": phi - drive, "phi": phi, "dS_dt": dS,
            "relative_entropy": D, "hatano_sasa": Y,
            "normalization": float(integrate(Q_ss))}


#: Step in the drive of the central difference that gives d rho_ss / d eps along a ramp.
DRIVE_STEP = 1e-4


def _balance_chunk(states, epsilons, rates, N, d, model, split):
    """Entropy balance (and, with ``split``, :func:`entropy_split`) of ramp states."""
    out = []
    with blas_threads():
        for m, e, v in zip(states, epsilons, rates, strict=True):
            e = float(e)
            H = kerr.hamiltonian(N, e, d, model=model)
            b = entropy_balance(m, H, model.kappa)
            row = (b.wehrl, b.pi_ext, b.phi_ext, b.pi_u, b.pi_d, b.phi_q, b.wehrl_rate)
            if split:
                ss = kerr.exact_density_matrix(N, e, d, model=model)
                lo, hi = max(e - DRIVE_STEP, 0.0), e + DRIVE_STEP
                drho = v * (kerr.exact_density_matrix(N, hi, d, model=model)
                            - kerr.exact_density_matrix(N, lo, d, model=model)) / (hi - lo)
                s = entropy_split(m, ss, H, model.kappa, drho_ss=drho)
                row += (s["pi_na"], s["pi_a"], s["relative_entropy"], s["hatano_sasa"])
            else:
                row += (np.nan,) * 4
            out.append(row)
    return out


def ramp(
    N: float,
    t_ramp: float,
    *,
    eps_min: float = 0.6,
    eps_max: float = 1.25,
    n_out: int = 2000,
    balance: bool = True,
    split: bool = False,
    model: KerrModel = kerr.PAPER,
    atol: float = 1e-12,
    rtol: float = 1e-10,
    n_jobs: int | None = None,
    progress: bool = True,
) -> RampResult:
    """Drive the Kerr resonator up through the bistable window and back (dynamical hysteresis).

    Starts in the exact steady state at ``eps_min`` (:func:`epcore.kerr.exact_density_matrix`)
    and integrates Eq. (B1) with ``qutip.mesolve`` (Verner 7 on the Liouvillian
    ``L0 + eps(t) L1``) along :func:`triangle` (total time ``2 t_ramp``). With
    ``balance=True`` the entropy balance of Eqs. (1), (4)-(8) is evaluated at each of the
    ``n_out`` output times by :func:`epcore.phasespace.entropy_balance` with the Hamiltonian of
    that time, on ``n_jobs`` processes.

    Parameters
    ----------
    N, t_ramp : float
        Size and duration of each leg of the ramp.
    eps_min, eps_max : float
        Turning points of the drive.
    n_out : int
        Output times, equally spaced over ``[0, 2 t_ramp]``.
    balance : bool
        Compute the entropy balance (else only ``photons``; the rest is NaN).
    split : bool
        Also split ``pi`` into its adiabatic and non-adiabatic parts (:func:`entropy_split`
        with the exact steady state at ``eps(t)``, :func:`epcore.kerr.exact_density_matrix`,
        and its rate of change from a central difference in the drive, step
        :data:`DRIVE_STEP`, times the slope of :func:`triangle`, taken as the rising one at
        ``t = t_ramp``). Needs ``balance``.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.
    atol, rtol : float
        ODE tolerances (the defaults keep every state positive to 1e-9, as the phase-space
        engine requires).
    n_jobs : int, optional
        Processes for the balance (default ``epcore.settings.n_jobs``).
    progress : bool
        Show tqdm bars.

    Returns
    -------
    RampResult
        The time series; ``area`` gives the hysteresis area.

    Raises
    ------
    ValueError
        Bad input, a state that reaches the top Fock levels, or a state made non-positive by
        the ODE error.
    """
    N = check_size(N)
    t_ramp = check_real(t_ramp, "t_ramp", positive=True)
    if n_jobs is None:
        n_jobs = settings.n_jobs
    eps_min, eps_max = check_drive(eps_min), check_drive(eps_max)
    if not 0 <= eps_min < eps_max:
        raise ValueError(f"need 0 <= eps_min < eps_max, got {eps_min}, {eps_max}")
    n_out = check_integer(n_out, "n_out", minimum=3)
    if split and not balance:
        raise ValueError("split=True needs balance=True")
    # the integrator resolves the slowest of kappa and the Kerr frequencies: refuse ramps that
    # would need more than MAX_RAMP_RATES decay times
    if t_ramp * model.kappa > MAX_RAMP_RATES:
        raise BudgetError(
            f"t_ramp = {t_ramp} is {t_ramp * model.kappa:.3g} decay times 1/kappa, more than "
            f"MAX_RAMP_RATES = {MAX_RAMP_RATES:g}: shorten the ramp"
        )
    d = kerr.initial_cutoff(N, eps_max, model=model)
    a = qutip.destroy(d)
    L0 = kerr.liouvillian(N, 0.0, d, model=model)
    L1 = qutip.liouvillian(1j * math.sqrt(N) * (a.dag() - a))
    # the drive as a piecewise-linear array coefficient: exact for the triangle, evaluated in C
    knots = np.linspace(0, 2 * t_ramp, 4097)
    Lt = qutip.QobjEvo([L0, [L1, triangle(knots, t_ramp, eps_min, eps_max)]], tlist=knots,
                       order=1)
    rho0 = qutip.Qobj(kerr.exact_density_matrix(N, eps_min, d, model=model))
    t = np.linspace(0, 2 * t_ramp, int(n_out))
    eps = triangle(t, t_ramp, eps_min, eps_max)
    options = {"atol": atol, "rtol": rtol, "method": "vern7", "store_states": True,
               "progress_bar": "tqdm" if progress else False}
    with blas_threads():
        res = qutip.mesolve(Lt, rho0, t, options=options)
    states = [hermitian_normalized(s.full()) for s in res.states]
    top = max(np.diag(m).real[-3:].sum() for m in states)
    if top > CUTOFF_TOL:
        raise ValueError(f"the ramp state reaches the top Fock levels ({top:.1e}): lower eps_max")
    lowest = min(np.linalg.eigvalsh(m)[0] for m in states)
    if lowest < -1e-9:
        raise ValueError(f"a ramp state is not positive (lowest eigenvalue {lowest:.1e}): the "
                         "ODE error is too large, tighten atol and rtol")
    photons = np.array([np.sum(np.arange(d) * np.diag(m).real) for m in states]) / N
    nan = np.full(len(t), np.nan)
    cols = [nan] * 11
    ends = (wehrl_entropy(states[0]), wehrl_entropy(states[-1]))
    if balance:
        # d eps / dt of the triangle, the rising slope up to and including t = t_ramp
        speed = (eps_max - eps_min) / t_ramp * np.where(t <= t_ramp, 1.0, -1.0)
        chunks = np.array_split(np.arange(len(t)), max(1, 8 * n_jobs))
        jobs = (joblib.delayed(_balance_chunk)([states[i] for i in c], eps[c], speed[c], N, d,
                                               model, bool(split))
                for c in chunks)
        parallel = joblib.Parallel(n_jobs=n_jobs, return_as="generator")
        rows = []
        for part in tqdm(parallel(jobs), total=len(chunks), desc="entropy balance",
                         disable=not progress):
            rows.extend(part)
        cols = [np.array(c) for c in zip(*rows, strict=True)]
    S, pi_ext, phi_ext, pi_u, pi_d, phi_q, dS, pi_na, pi_a, rel, hs = cols
    return RampResult(pi_ext=pi_ext, pi_u=pi_u, pi_d=pi_d, phi_ext=phi_ext, phi_q=phi_q, N=N,
                      t_ramp=float(t_ramp), t=t, eps=eps, photons=photons, S=S, dS_dt=dS,
                      wehrl_ends=ends, pi_na=pi_na, pi_a=pi_a, relative_entropy=rel,
                      hatano_sasa=hs)


def ramp_row(
    N: float, t_ramp: float, *, n_out: int = 400, balance: bool = False, **options
) -> dict[str, np.ndarray]:
    """:func:`ramp` as a dict of arrays for cached sweeps (serial, no progress bars).

    Parameters
    ----------
    N, t_ramp : float
        Size and duration of each leg of the ramp.
    n_out : int, optional
        Output times (fewer than :func:`ramp` by default).
    balance : bool, optional
        Compute the entropy balance (off by default: hysteresis needs only ``photons``).
    **options
        ``eps_min``, ``eps_max``, ``split``, ``model``, ``atol``, ``rtol``: passed on to
        :func:`ramp`.

    Returns
    -------
    dict
        ``N``, ``t_ramp``, ``area``, ``wehrl_ends`` and the columns of :class:`RampResult`
        (:meth:`~epcore.balance.EntropyBalance.columns`: the terms, ``pi``, ``phi``,
        ``residual``, ``t``, ``eps``, ``photons``, ``S``, ``dS_dt``, ``pi_na``, ``pi_a``,
        ``relative_entropy``, ``hatano_sasa``).

    Raises
    ------
    ValueError
        As :func:`ramp`.
    """
    r = ramp(N, t_ramp, n_out=n_out, balance=balance, n_jobs=1, progress=False, **options)
    return {"N": N, "t_ramp": t_ramp, "area": r.area, "wehrl_ends": np.array(r.wehrl_ends),
            **r.columns()}


def ramp_entropy(
    N: float, t, eps, photons, wehrl_ends, *, model: KerrModel = kerr.PAPER
) -> dict[str, float]:
    """Entropy produced along a ramp, and relative to the quasi-static value (book ch. 6).

    By Eq. (1), ``int Pi dt = int Phi dt + S(end) - S(start)`` with ``Phi = 2 kappa <a^dag a>``
    (Eq. 5). Quasi-statically the state is the steady state at every ``eps(t)``, where
    ``Pi = Phi``, so ``Sigma_qs = 2 kappa int <a^dag a>_ss(eps(t)) dt`` (exact moments,
    :func:`epcore.kerr.exact_moment`). The difference has no sign: it is not the excess
    entropy production of Hatano-Sasa or Oono-Paniconi (for that split see
    :func:`entropy_split`).

    Parameters
    ----------
    N : float
        Size.
    t, eps, photons : array_like
        Output times, drive and ``<a^dag a>/N`` of a ramp (:class:`RampResult`).
    wehrl_ends : tuple of float
        Wehrl entropy of the first and last states.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.

    Returns
    -------
    dict
        ``produced`` (``Sigma``), ``quasi_static`` (``Sigma_qs``), ``difference``
        (``Sigma - Sigma_qs``) and ``relative`` (``Sigma / Sigma_qs - 1``), all dimensionless
        (entropy, not rates).

    Raises
    ------
    ValueError
        Arrays of different lengths, fewer than two times, negative drives or photon numbers,
        or ``wehrl_ends`` that is not a pair.
    """
    N = check_size(N)
    t = check_array(t, "t", ndim=1, min_size=2)
    eps = check_array(eps, "eps", ndim=1, minimum=0.0)
    photons = check_array(photons, "photons", ndim=1, minimum=0.0)
    if not t.shape == eps.shape == photons.shape:
        raise ValueError(f"t, eps and photons must have the same length, got {t.size}, "
                         f"{eps.size}, {photons.size}")
    wehrl_ends = check_array(wehrl_ends, "wehrl_ends", ndim=1)
    if wehrl_ends.shape != (2,):
        raise ValueError("wehrl_ends must be the Wehrl entropies (S_start, S_end)")
    n_ss = np.array([kerr.exact_moment(N, float(e), 1, 1, model=model).real for e in eps])
    flux = 2 * model.kappa * N * np.trapezoid(np.asarray(photons, float), t)
    produced = flux + wehrl_ends[1] - wehrl_ends[0]
    quasi = 2 * model.kappa * np.trapezoid(n_ss, t)
    if not quasi > 0:
        raise ValueError("the quasi-static entropy is zero (no drive, no photons): nothing to "
                         "compare with")
    return {"produced": float(produced), "quasi_static": float(quasi),
            "difference": float(produced - quasi), "relative": float(produced / quasi - 1)}


def fast_ramp_limit(
    N: float, *, eps_min: float = 0.6, eps_max: float = 1.25, model: KerrModel = kerr.PAPER,
    nodes: int = 64,
) -> dict[str, float]:
    """The ``T -> 0`` limit of ``ramp_entropy(...)["relative"]`` for a triangular ramp.

    A ramp much faster than every relaxation leaves the state at the steady state of
    ``eps_min``: ``S`` does not change and ``Sigma = 2 kappa (2T) <a^dag a>_ss(eps_min)``, while
    ``Sigma_qs`` averages ``<a^dag a>_ss`` over the drive, uniformly on ``[eps_min, eps_max]``
    (the triangle passes every drive twice at the same speed). Hence
    ``Sigma / Sigma_qs - 1 -> n_ss(eps_min) / <n_ss> - 1``, with the drive average done by
    ``nodes``-point Gauss-Legendre quadrature of the exact moments
    (:func:`epcore.kerr.exact_moment`).

    Parameters
    ----------
    N : float
        Size.
    eps_min, eps_max : float, optional
        Turning points of the ramp (defaults as :func:`ramp`).
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.
    nodes : int, optional
        Quadrature nodes.

    Returns
    -------
    dict
        ``relative`` (the limit), ``start`` (``<a^dag a>_ss(eps_min)/N``) and ``average``
        (``<n_ss>/N`` over the drive).

    Raises
    ------
    ValueError
        Bad input, or ``eps_min >= eps_max``.
    """
    N = check_size(N)
    eps_min, eps_max = check_drive(eps_min), check_drive(eps_max)
    if not eps_min < eps_max:
        raise ValueError(f"need eps_min < eps_max, got {eps_min}, {eps_max}")
    nodes = check_integer(nodes, "nodes", minimum=2, maximum=10_000)
    x, w = np.polynomial.legendre.leggauss(nodes)
    e = eps_min + (eps_max - eps_min) * (x + 1) / 2
    n = np.array([kerr.exact_moment(N, float(v), 1, 1, model=model).real for v in e]) / N
    average = float(np.dot(w, n) / 2)
    start = kerr.exact_moment(N, eps_min, 1, 1, model=model).real / N
    if not average > 0:
        raise ValueError("the cavity holds no photons over the ramp: nothing to compare with")
    return {"relative": float(start / average - 1), "start": float(start),
            "average": average}
