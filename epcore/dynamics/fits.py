r"""Fits of activated laws: a gap or a rate that closes exponentially with the size N.

:func:`fit_exponential` fits :math:`A e^{-rN}`; :func:`fit_activation` adds the first
correction, :math:`\ln y = a - rN + b/N`, that a plain exponential fit absorbs into the rate;
:func:`fit_power_law` fits the algebraic alternative :math:`A x^{-p}`.
"""

from __future__ import annotations

import numpy as np

from ..models import check_array

__all__ = [
    "fit_exponential",
    "fit_activation",
    "fit_power_law",
]


def fit_exponential(sizes, values) -> tuple[float, float, float]:
    """Least-squares fit ``values ~ A exp(-rate N)``: returns ``(rate, A, rate_stderr)``.

    Parameters
    ----------
    sizes, values : array_like
        At least three sizes N and positive values (e.g. the gap at ``eps_c``).

    Returns
    -------
    tuple of float
        The rate, the prefactor and the standard error of the rate.

    Raises
    ------
    ValueError
        Fewer than three points or non-positive values.
    """
    x = np.asarray(sizes, float)
    y = np.asarray(values, float)
    if len(x) < 3 or np.any(y <= 0):
        raise ValueError("need at least three positive values to fit an exponential")
    coef, cov = np.polyfit(x, np.log(y), 1, cov=True)
    return float(-coef[0]), float(np.exp(coef[1])), float(np.sqrt(cov[0, 0]))


def fit_activation(sizes, values) -> dict[str, float]:
    r"""Least-squares fit :math:`\ln y = a - rN + b/N`: an activated law with its first correction.

    A Kramers-type rate is :math:`A e^{-NB}(1 + b/N + \dots)`; a plain exponential fit
    (:func:`fit_exponential`) absorbs the :math:`b/N` term into the rate and misses
    :math:`B` by an amount that does not shrink with more data. Fitting it recovers the rate.

    Parameters
    ----------
    sizes, values : array_like
        At least four sizes N > 0 and positive values (e.g. the gap at :math:`\epsilon_c`).

    Returns
    -------
    dict
        ``rate`` (:math:`r`), ``prefactor`` (:math:`e^a`), ``correction`` (:math:`b`) and
        ``rate_stderr`` (one standard error of :math:`r` from the residuals).

    Raises
    ------
    ValueError
        Fewer than four points, or non-positive sizes or values.
    """
    x = check_array(sizes, "sizes", ndim=1, positive=True)
    y = check_array(values, "values", ndim=1, positive=True)
    if x.shape != y.shape or len(x) < 4:
        raise ValueError("need at least four (size, value) pairs to fit a - rN + b/N")
    design = np.column_stack([np.ones_like(x), -x, 1 / x])
    coef, *_ = np.linalg.lstsq(design, np.log(y), rcond=None)
    resid = np.log(y) - design @ coef
    dof = len(x) - 3
    cov = np.linalg.inv(design.T @ design) * (resid @ resid / dof if dof > 0 else np.nan)
    return {"rate": float(coef[1]), "prefactor": float(np.exp(coef[0])),
            "correction": float(coef[2]), "rate_stderr": float(np.sqrt(cov[1, 1]))}


def fit_power_law(x, y) -> tuple[float, float, float]:
    r"""Least-squares line in log-log axes, ``y ~ A x**(-p)``: returns ``(p, A, misfit)``.

    The fit of :math:`\ln y = \ln A - p \ln x` (``numpy.polyfit`` of degree 1), as used for
    the power-law alternative to an activated gap of the Dicke model, :math:`\Delta \propto
    N^{-p}`, and for the :math:`1/\Delta` law of the steady-state solve error (ch. 6).

    Parameters
    ----------
    x, y : array_like
        At least two positive abscissae (e.g. sizes N or gaps) and positive values, of the
        same length.

    Returns
    -------
    tuple of float
        The exponent :math:`p` (minus the log-log slope), the prefactor :math:`A` and the
        misfit :math:`\max_i |A x_i^{-p} / y_i - 1|`, the largest relative residual.

    Raises
    ------
    ValueError
        Fewer than two points, different lengths, or non-positive or non-finite values.

    Examples
    --------
    >>> p, A, misfit = fit_power_law([1.0, 2.0, 4.0], [3.0, 1.5, 0.75])
    >>> round(p, 12), round(A, 12), misfit < 1e-12
    (1.0, 3.0, True)
    """
    x = check_array(x, "x", ndim=1, min_size=2, positive=True)
    y = check_array(y, "y", ndim=1, min_size=2, positive=True)
    if x.shape != y.shape:
        raise ValueError(f"x and y need the same length (got {len(x)} and {len(y)})")
    slope, icept = np.polyfit(np.log(x), np.log(y), 1)
    return (float(-slope), float(np.exp(icept)),
            float(np.abs(np.exp(icept) * x**slope / y - 1).max()))
