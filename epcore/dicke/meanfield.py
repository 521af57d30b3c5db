r"""The Dicke model's parameters and its mean field (Sec. V, App. C.1, Eqs. C1-C8).

The mean-field amplitudes :math:`\alpha = \langle a\rangle/\sqrt N`,
:math:`\beta = \langle J_-\rangle/N` and :math:`w = \langle J_z\rangle/N` obey Eqs. (C3)-(C5);
their steady states (Eqs. C6-C8) have a normal phase :math:`\alpha = \beta = 0` below the
critical coupling :math:`\lambda_c` and a superradiant phase above it. This module holds the
default model :data:`~epcore.dicke.PAPER`, the critical coupling, the steady states, the
flow, its exact Jacobian and its integration in time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from ..errors import BudgetError
from ..models import (
    DickeModel,
    check_array,
    check_choice,
    check_coupling,
    check_couplings,
    check_integer,
    check_memory,
    check_real,
)

__all__ = [
    "PAPER",
    "critical_coupling",
    "MeanField",
    "mean_field",
    "mean_field_rhs",
    "mean_field_jacobian",
    "normal_phase_growth_rate",
    "relax_mean_field",
    "mean_field_arrays",
]

#: The paper's parameters (Fig. 3), the default ``model`` of every function of the package.
PAPER = DickeModel()
#: The longest mean-field integration that :func:`relax_mean_field` starts. The product of
#: ``t_max`` and the fastest rate of the flow (kappa, omega, omega0 or 2 lam) must stay below it.
MAX_PHASE = 1e7
#: The most right-hand-side evaluations :func:`relax_mean_field` makes before it gives up.
MAX_EVALUATIONS = 2_000_000


def critical_coupling(*, model: DickeModel = PAPER, shifted: bool = False) -> float:
    r"""Critical coupling of the Dicke model: App. C's :math:`\lambda_c`, or its shift by γ.

    By default the mean-field instability of Eqs. (C3)-(C5) (App. C, after Eq. C7), which
    knows nothing of the stabilizing loss :math:`\gamma`:

    .. math::

        \lambda_c = \frac12 \sqrt{\frac{\omega_0 (\kappa^2 + \omega^2)}{\omega}}.

    Below it the normal phase :math:`\alpha = \beta = 0` is stable; above it the
    superradiant solution of Eq. (C8) takes over. The main text's formula (Sec. V, Fig. 3)
    is a misprint, see :func:`epcore.errata.misprinted_critical_coupling`.

    With ``shifted=True``, the coupling where the normal-phase drift (C25) with the loss
    :math:`2\gamma D[\delta b]` of Eq. (C20) becomes unstable (a real eigenvalue crosses
    zero, :math:`\det A = 0`):

    .. math::

        \lambda_c(\gamma) = \lambda_c \sqrt{1 + \gamma^2/\omega_0^2}
        = \frac12 \sqrt{\frac{(\omega_0^2 + \gamma^2)(\kappa^2 + \omega^2)}
        {\omega\,\omega_0}}.

    This is where :math:`\Pi_d` of the regularized model diverges, as
    :math:`1/(\lambda_c(\gamma) - \lambda)` (Eq. 13 measured from the shifted point).

    Parameters
    ----------
    model : DickeModel, optional
        Frequencies and loss rates; default :data:`~epcore.dicke.PAPER`. ``gamma`` enters only
        with ``shifted=True``.
    shifted : bool, optional
        Return :math:`\lambda_c(\gamma)` instead of :math:`\lambda_c` (default False).

    Returns
    -------
    float
        :math:`\lambda_c` or :math:`\lambda_c(\gamma)`, in the units of the rates.

    Examples
    --------
    >>> import math
    >>> from epcore import dicke
    >>> m = dicke.PAPER
    >>> k, w, w0 = m.kappa, m.omega, m.omega0
    >>> dicke.critical_coupling() == 0.5 * math.sqrt(w0 * (k**2 + w**2) / w)
    True
    >>> lc = dicke.critical_coupling()
    >>> round(lc, 6), dicke.critical_coupling(shifted=True) > 0.353571
    (0.353571, True)
    """
    lc = 0.5 * float(np.sqrt(model.omega0 * (model.kappa**2 + model.omega**2) / model.omega))
    if shifted:
        return lc * float(np.sqrt(1.0 + (model.gamma / model.omega0) ** 2))
    return lc


@dataclass(frozen=True)
class MeanField:
    r"""Mean-field steady state (Eqs. C6-C8) and its Holstein-Primakoff amplitudes (Eq. C13).

    Attributes
    ----------
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    alpha : complex
        :math:`\alpha = \langle a\rangle/\sqrt N` (Eq. C6).
    beta : float
        :math:`\beta = \langle J_-\rangle/N`, real and :math:`\ge 0` (Eq. C8, the branch
        :math:`\beta \ge 0`).
    w : float
        :math:`w = \langle J_z\rangle/N = -\sqrt{1 - 4\beta^2}/2`.
    beta_tilde : float
        :math:`\tilde\beta_- = \langle b\rangle/\sqrt N` (Eq. C13).
    beta_tilde_plus : float
        :math:`\tilde\beta_+ = \sqrt{1 - \tilde\beta_-^2}` (Eq. C13).
    superradiant : bool
        Whether :math:`\lambda > \lambda_c`.
    """

    lam: float
    alpha: complex
    beta: float
    w: float
    beta_tilde: float
    beta_tilde_plus: float
    superradiant: bool


BRANCHES = ("mean_field", "normal")


def mean_field_arrays(
    lam, *, model: DickeModel = PAPER, branch: str = "mean_field"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""The mean field of Eqs. (C6)-(C8) and (C13) on an array of couplings, vectorized.

    The same state as :func:`mean_field`, for many couplings at once (the batched sweeps of
    :func:`epcore.dicke.entropy_production_batch` build on it).

    Parameters
    ----------
    lam : float or array_like
        Couplings; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.
    branch : str, optional
        ``"mean_field"`` (default): the stable mean field, normal below :math:`\lambda_c` and
        superradiant above; ``"normal"``: the normal phase :math:`\alpha = \beta = 0` at
        every coupling.

    Returns
    -------
    tuple of numpy.ndarray
        ``(alpha, beta, w, x, y)``, one value per coupling: the cavity amplitude, the spin
        amplitude, :math:`w`, and :math:`\tilde\beta_\mp` of Eq. (C13) as ``x`` and ``y``.
    """
    lam = check_couplings(lam)
    lc = critical_coupling(model=model)
    sr = (lam > lc) & (check_choice(branch, "branch", BRANCHES) == "mean_field")
    # r = lambda_c^2 / lambda^2 = sqrt(1 - 4 beta^2) on the superradiant side (Eq. C8), 1 below
    r = np.where(sr, lc**2 / np.where(sr, lam, 1.0) ** 2, 1.0)
    beta = 0.5 * np.sqrt((1.0 - r) * (1.0 + r))
    alpha = -2j * lam * beta / (model.kappa + 1j * model.omega)  # Eq. (C6)
    w = -0.5 * r
    x = np.sqrt((1.0 - r) / 2.0)  # tilde beta_-, Eq. (C13) with sqrt(1 - 4 beta^2) = r
    y = np.sqrt((1.0 + r) / 2.0)  # tilde beta_+
    return alpha, beta, w, x, y


def mean_field(lam: float, *, model: DickeModel = PAPER) -> MeanField:
    r"""Stable mean-field steady state at coupling ``lam`` (Eqs. C6-C8, C13).

    Normal phase (:math:`\lambda \le \lambda_c`): :math:`\alpha = \beta = 0`, :math:`w = -1/2`.
    Superradiant phase, on the branch :math:`\beta > 0`:

    .. math::

        \sqrt{1 - 4\beta^2} = \frac{\lambda_c^2}{\lambda^2}, \qquad
        w = -\frac{\lambda_c^2}{2\lambda^2}, \qquad
        \alpha = -\frac{2i\lambda\beta}{\kappa + i\omega}.

    Parameters
    ----------
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.

    Returns
    -------
    MeanField
        The amplitudes :math:`\alpha`, :math:`\beta`, :math:`w`, :math:`\tilde\beta_\mp`.
    """
    lam_arr = np.atleast_1d(check_coupling(lam, "mean_field"))
    a, b, w, x, y = mean_field_arrays(lam_arr, model=model)
    return MeanField(
        float(lam_arr[0]), complex(a[0]), float(b[0]), float(w[0]), float(x[0]), float(y[0]),
        bool(lam_arr[0] > critical_coupling(model=model)),
    )


def mean_field_rhs(
    t: float, y: np.ndarray, lam: float, *, model: DickeModel = PAPER
) -> np.ndarray:
    r"""Right-hand side of the mean-field flow, Eqs. (C3)-(C5).

    .. math::

        \begin{aligned}
        \dot\alpha &= -(\kappa + i\omega)\alpha - i\lambda(\beta + \bar\beta), \\
        \dot\beta &= -i\omega_0\beta + 2i\lambda(\alpha + \bar\alpha) w, \\
        \dot w &= i\lambda(\alpha + \bar\alpha)(\beta - \bar\beta).
        \end{aligned}

    The flow conserves :math:`w^2 + |\beta|^2`.

    Parameters
    ----------
    t : float
        Time (unused: the flow is autonomous; the argument is there for
        :func:`scipy.integrate.solve_ivp`).
    y : numpy.ndarray
        State ``(Re alpha, Im alpha, Re beta, Im beta, w)``.
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.

    Returns
    -------
    numpy.ndarray
        :math:`dy/dt`, shape ``(5,)``.
    """
    return _rhs(_check_state(y), check_real(lam, "the coupling lam"), model)


def _check_state(y) -> np.ndarray:
    y = check_array(y, "the state y", ndim=1)
    if y.shape != (5,):
        raise ValueError(
            f"y must be (Re alpha, Im alpha, Re beta, Im beta, w), got shape {y.shape}"
        )
    return y


def _rhs(y: np.ndarray, lam: float, model: DickeModel) -> np.ndarray:
    a = y[0] + 1j * y[1]
    b = y[2] + 1j * y[3]
    w = y[4]
    da = -(model.kappa + 1j * model.omega) * a - 1j * lam * (b + np.conj(b))  # (C3)
    db = -1j * model.omega0 * b + 2j * lam * (a + np.conj(a)) * w  # (C4)
    dw = -2.0 * lam * (2.0 * a.real) * b.imag  # (C5): i lam (a + abar)(b - bbar)
    return np.array([da.real, da.imag, db.real, db.imag, dw])


def mean_field_jacobian(
    t: float, y: np.ndarray, lam: float, *, model: DickeModel = PAPER
) -> np.ndarray:
    r"""Exact Jacobian of :func:`mean_field_rhs` (Eqs. C3-C5 are quadratic).

    Parameters
    ----------
    t : float
        Time (unused, as in :func:`mean_field_rhs`).
    y : numpy.ndarray
        State ``(Re alpha, Im alpha, Re beta, Im beta, w)``.
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.

    Returns
    -------
    numpy.ndarray
        :math:`\partial\dot y_i/\partial y_j`, shape ``(5, 5)``.
    """
    return _jac(_check_state(y), check_real(lam, "the coupling lam"), model)


def _jac(y: np.ndarray, lam: float, model: DickeModel) -> np.ndarray:
    ar, _, br, bi, w = y
    kappa, omega, omega0 = model.kappa, model.omega, model.omega0
    J = np.zeros((5, 5))
    J[0, :] = [-kappa, omega, 0.0, 0.0, 0.0]
    J[1, :] = [-omega, -kappa, -2.0 * lam, 0.0, 0.0]
    # d beta/dt = -i omega0 beta + 4 i lam Re(alpha) w
    J[2, :] = [0.0, 0.0, 0.0, omega0, 0.0]
    J[3, :] = [4.0 * lam * w, 0.0, -omega0, 0.0, 4.0 * lam * ar]
    J[4, :] = [-4.0 * lam * bi, 0.0, 0.0, -4.0 * lam * ar, 0.0]
    return J


def normal_phase_growth_rate(lam, *, model: DickeModel = PAPER) -> np.ndarray:
    r"""Growth rate of small perturbations of the normal phase, from Eqs. (C3)-(C4).

    The largest real part of the eigenvalues of the flow linearized at
    :math:`\alpha = \beta = 0`, :math:`w = -1/2` (the :math:`w` row vanishes there).
    Negative below :func:`critical_coupling`, where the normal phase is stable; positive
    above it. Its magnitude below :math:`\lambda_c` is the damping that the cavity gives
    the spin.

    Parameters
    ----------
    lam : float or array_like
        Couplings; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.

    Returns
    -------
    numpy.ndarray
        One rate per coupling.
    """
    lam = check_couplings(lam)
    y0 = np.array([0.0, 0.0, 0.0, 0.0, -0.5])
    J = np.stack([_jac(y0, x, model)[:4, :4] for x in lam])
    return np.linalg.eigvals(J).real.max(axis=1)


def relax_mean_field(
    lam: float, t_max: float, y0=None, *, n_t: int = 1000, model: DickeModel = PAPER,
    rtol: float = 1e-9, atol: float = 1e-12,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Integrate the mean-field flow, Eqs. (C3)-(C5), from ``y0`` up to ``t_max``.

    LSODA with the exact Jacobian (:func:`mean_field_jacobian`): the cavity relaxes at the
    rate :math:`\kappa`, much faster than the spin turns (frequency :math:`\omega_0`), so
    the problem is stiff.

    Parameters
    ----------
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    t_max : float
        Final time, > 0.
    y0 : array_like, optional
        Initial ``(Re alpha, Im alpha, Re beta, Im beta, w)``; default an empty cavity and a
        spin tilted to :math:`\beta = 0.05`, :math:`w = -\sqrt{1/4 - \beta^2}`.
    n_t : int, optional
        Number of output times, evenly spaced in ``[0, t_max]``.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.
    rtol, atol : float, optional
        Tolerances of the integrator.

    Returns
    -------
    t : numpy.ndarray
        Output times, shape ``(n_t,)``.
    y : numpy.ndarray
        States, shape ``(5, n_t)``, ordered as in :func:`mean_field_rhs`.

    Raises
    ------
    ValueError
        If ``lam``, ``t_max`` or ``y0`` is invalid, the integrator fails (lower ``t_max`` or
        ``rtol``), or the conserved :math:`w^2 + |\beta|^2` drifts by more than ``1e-5``
        (tighten ``rtol``/``atol``).
    """
    lam = check_coupling(lam, "relax_mean_field")
    t_max = check_real(t_max, "t_max", positive=True)
    n_t = check_integer(n_t, "n_t", minimum=2)
    rtol = check_real(rtol, "rtol", positive=True, maximum=0.1)
    atol = check_real(atol, "atol", positive=True)
    if rtol < 1e-13 or atol < 1e-300:
        raise ValueError(f"rtol >= 1e-13 and atol >= 1e-300 are needed, got {rtol}, {atol}")
    check_memory(8 * 6 * n_t, f"{n_t} output times")
    # the fastest rate of the flow sets the number of steps: refuse before integrating
    fastest = max(model.kappa, model.omega, model.omega0, 2 * lam)
    if fastest * t_max > MAX_PHASE:
        raise BudgetError(
            f"t_max = {t_max} is {fastest * t_max:.3g} times the fastest time scale 1/"
            f"{fastest:.3g} of the flow, more than the budget MAX_PHASE = {MAX_PHASE:g} "
            "(epcore.dicke.meanfield): lower t_max or lam"
        )
    if y0 is None:
        b0 = 0.05
        y0 = [0.0, 0.0, b0, 0.0, -np.sqrt(0.25 - b0**2)]
    y0 = _check_state(y0)
    t_eval = np.linspace(0.0, t_max, n_t)
    calls = [0]

    def rhs(t, y):
        calls[0] += 1
        if calls[0] > MAX_EVALUATIONS:
            raise BudgetError(
                f"the mean-field integration used more than MAX_EVALUATIONS = "
                f"{MAX_EVALUATIONS} evaluations by t = {t:.4g} of t_max = {t_max}: lower t_max"
                " or loosen rtol/atol"
            )
        return _rhs(y, lam, model)

    sol = solve_ivp(
        rhs, (0.0, t_max), y0, method="LSODA",
        t_eval=t_eval, jac=lambda t, y: _jac(y, lam, model),
        rtol=rtol, atol=atol,
    )
    if not sol.success:
        raise ValueError(f"mean-field integration failed ({sol.message}); lower t_max or rtol")
    c0 = y0[2] ** 2 + y0[3] ** 2 + y0[4] ** 2
    drift = np.abs(sol.y[2] ** 2 + sol.y[3] ** 2 + sol.y[4] ** 2 - c0).max()
    if drift > 1e-5:
        raise ValueError(
            f"w^2 + |beta|^2 drifted by {drift:.2g} during the integration; tighten rtol/atol"
        )
    return sol.t, sol.y
