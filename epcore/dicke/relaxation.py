r"""Relaxation of the Gaussian Dicke fluctuations: the soft mode near the critical point.

The means and the covariances of the fluctuations relax with the eigenvalues of the drift
matrix :math:`A` of Eq. (C25). Near :math:`\lambda_c` two of them belong to the spin (the soft
mode) and two to the cavity. Eliminating the bad cavity (:math:`\kappa \gg \omega, \omega_0`)
gives the spin an oscillator equation with the softened stiffness
:math:`\omega_0^2(1 - \lambda^2/\lambda_c^2)`, the cavity-induced friction :math:`\Gamma` of
:func:`cavity_friction` and the loss :math:`\gamma` on both quadratures, whose eigenvalues
(:func:`soft_mode_rates`) are

.. math::

    s_\pm = -\Big(\gamma + \frac\Gamma2\Big) \pm
    \sqrt{\Big(\gamma + \frac\Gamma2\Big)^2 - \epsilon},
    \qquad \epsilon = \gamma^2 + \omega_0^2\Big(1 - \frac{\lambda^2}{\lambda_c^2}\Big)
    = \omega_0^2\,\frac{\lambda_c(\gamma)^2 - \lambda^2}{\lambda_c^2}.

The mode is underdamped (complex pair, slowest rate :math:`\gamma + \Gamma/2`) for
:math:`\epsilon > (\gamma + \Gamma/2)^2` and overdamped inside that window, where the slow
rate :math:`\simeq \epsilon/(2\gamma + \Gamma)` closes linearly at :math:`\lambda_c(\gamma)`
(:func:`overdamping_distance`). The natural frequency :math:`\sqrt{s_+ s_-} = \sqrt\epsilon`
vanishes as :math:`|\lambda - \lambda_c(\gamma)|^{1/2}` (:func:`natural_frequency`, from the
exact drift eigenvalues; :func:`natural_frequency_exponent` fits the exponent).
:func:`slowest_rate` is the slowest rate of the full drift at each coupling, the
second-order contrast to the Kerr gap of the book's chapter on dynamics.
"""

from __future__ import annotations

import numpy as np

from ..dynamics.fits import fit_power_law
from ..errors import ValidityError
from ..models import DickeModel, check_array, check_couplings
from .fluctuations import drift_arrays, drift_matrix
from .meanfield import PAPER, critical_coupling

__all__ = [
    "cavity_friction",
    "drift_spectrum",
    "soft_mode_rates",
    "overdamping_distance",
    "natural_frequency",
    "natural_frequency_exponent",
    "slowest_rate",
]


def cavity_friction(lam, *, model: DickeModel = PAPER) -> np.ndarray:
    r"""Friction :math:`\Gamma` that the bad cavity exerts on the spin fluctuations (normal phase).

    .. math::

        \Gamma = \frac{8\kappa\omega\omega_0\lambda^2}{(\kappa^2 + \omega^2)^2},

    the delayed response of the cavity in the adiabatic elimination of the book's chapter 5
    (Eq. ``eq-dicke-slaved``), twice the damping rate :math:`-`
    :func:`~epcore.dicke.normal_phase_growth_rate` of the spin far from :math:`\lambda_c`. At
    :math:`\lambda_c`, :math:`\Gamma_c = 2\kappa\omega_0^2/(\kappa^2 + \omega^2)`.

    Parameters
    ----------
    lam : float or array_like
        Couplings :math:`\lambda \ge 0`.
    model : DickeModel, optional
        Frequencies and cavity loss; default :data:`~epcore.dicke.PAPER` (``gamma`` plays no
        part).

    Returns
    -------
    numpy.ndarray
        :math:`\Gamma`, one per coupling.

    Raises
    ------
    ValueError
        For a negative or non-finite coupling.
    """
    lam = check_couplings(lam)
    k2 = model.kappa**2 + model.omega**2
    return 8.0 * model.kappa * model.omega * model.omega0 * lam**2 / k2**2


def drift_spectrum(
    lam, *, model: DickeModel = PAPER, branch: str = "normal", zero_gamma: bool = False
) -> np.ndarray:
    r"""Eigenvalues of the drift matrix :math:`A` of Eq. (C25), slowest first.

    Parameters
    ----------
    lam : float or array_like
        Couplings :math:`\lambda \ge 0`.
    model : DickeModel, optional
        Frequencies and loss rates; default :data:`~epcore.dicke.PAPER`.
    branch : str, optional
        ``"normal"`` (default) the normal phase at every coupling, or ``"mean_field"`` the
        stable mean field (superradiant above :math:`\lambda_c`), as in
        :func:`~epcore.dicke.drift_matrix`.
    zero_gamma : bool, optional
        Set the spin loss :math:`\gamma` to zero (the limit :math:`\gamma \to 0`).

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 4)``, complex, each row sorted by decreasing real part (the slowest
        relaxation, or the growth where the drift is unstable, first).

    Raises
    ------
    ValueError
        For an invalid coupling or an unknown branch.
    """
    lam = check_couplings(lam)
    g = 0.0 if zero_gamma else model.gamma
    A = drift_arrays(lam, model=model, branch=branch) - np.diag(
        [g, g, model.kappa, model.kappa]
    )
    ev = np.linalg.eigvals(A)
    order = np.argsort(-ev.real, axis=1, kind="stable")
    return np.take_along_axis(ev, order, axis=1)


def soft_mode_rates(lam, *, model: DickeModel = PAPER, zero_gamma: bool = False) -> np.ndarray:
    r"""The two soft-mode eigenvalues :math:`s_\pm` of the normal phase, by adiabatic elimination.

    :math:`s_\pm = -(\gamma + \Gamma/2) \pm \sqrt{(\gamma + \Gamma/2)^2 - \epsilon}` with
    :math:`\Gamma` of :func:`cavity_friction` and
    :math:`\epsilon = \gamma^2 + \omega_0^2(1 - \lambda^2/\lambda_c^2)`: the roots of
    :math:`(s + \gamma)^2 + \Gamma s + \omega_0^2(1 - \lambda^2/\lambda_c^2) = 0`, the spin
    equations :math:`\dot q_b = \omega_0 p_b - \gamma q_b`,
    :math:`\dot p_b = -\omega_0(1 - \lambda^2/\lambda_c^2) q_b - (\Gamma/\omega_0)\dot q_b -
    \gamma p_b` with the cavity eliminated (the book's chapter 5, Eq. ``eq-dicke-slaved``).
    An approximation for :math:`\kappa \gg \omega, \omega_0`; compare with
    :func:`drift_spectrum`.

    Parameters
    ----------
    lam : float or array_like
        Couplings :math:`\lambda \ge 0`.
    model : DickeModel, optional
        Frequencies and loss rates; default :data:`~epcore.dicke.PAPER`.
    zero_gamma : bool, optional
        Set :math:`\gamma = 0`.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 2)``, complex: :math:`(s_+, s_-)`, :math:`s_+` the slower.

    Raises
    ------
    ValueError
        For an invalid coupling.
    """
    lam = check_couplings(lam)
    g = 0.0 if zero_gamma else model.gamma
    lc = critical_coupling(model=model)
    half = g + cavity_friction(lam, model=model) / 2
    eps = g**2 + model.omega0**2 * (1.0 - (lam / lc) ** 2)
    root = np.sqrt((half**2 - eps).astype(complex))
    return np.stack([-half + root, -half - root], axis=1)


def overdamping_distance(*, model: DickeModel = PAPER, zero_gamma: bool = False) -> float:
    r"""Relative distance below :math:`\lambda_c(\gamma)` inside which the soft mode is overdamped.

    The pair :math:`s_\pm` of :func:`soft_mode_rates` turns real where
    :math:`\epsilon = (\gamma + \Gamma/2)^2`. With :math:`\epsilon =
    \omega_0^2(\lambda_c(\gamma)^2 - \lambda^2)/\lambda_c^2` and :math:`\Gamma` taken at
    :math:`\lambda_c(\gamma)`, the crossover lies at

    .. math::

        x_\ast = 1 - \sqrt{1 - \frac{\lambda_c^2(\gamma + \Gamma/2)^2}
        {\omega_0^2\lambda_c(\gamma)^2}}
        \simeq \frac{(\gamma + \Gamma/2)^2}{2\omega_0^2 (1 + \gamma^2/\omega_0^2)},

    :math:`x = (\lambda_c(\gamma) - \lambda)/\lambda_c(\gamma)`; at :math:`\gamma = 0`,
    :math:`x_\ast \simeq \Gamma_c^2/(8\omega_0^2)`. For :math:`x \gg x_\ast` the slowest rate is
    flat at :math:`\gamma + \Gamma/2`; for :math:`x \ll x_\ast` it closes as
    :math:`\epsilon/(2\gamma + \Gamma)`, linearly in :math:`x`.

    Parameters
    ----------
    model : DickeModel, optional
        Frequencies and loss rates; default :data:`~epcore.dicke.PAPER`.
    zero_gamma : bool, optional
        Set :math:`\gamma = 0` (then :math:`\lambda_c(\gamma) = \lambda_c`).

    Returns
    -------
    float
        :math:`x_\ast` (1.0 if the mode is overdamped all the way down to :math:`\lambda = 0`).
    """
    g = 0.0 if zero_gamma else model.gamma
    lc = critical_coupling(model=model)
    lcg = lc * float(np.sqrt(1.0 + (g / model.omega0) ** 2))
    half = g + float(cavity_friction(lcg, model=model)[0]) / 2
    u = (lc * half / (model.omega0 * lcg)) ** 2
    return 1.0 if u >= 1 else float(1.0 - np.sqrt(1.0 - u))


def natural_frequency(
    lam, *, model: DickeModel = PAPER, branch: str = "normal", zero_gamma: bool = False
) -> np.ndarray:
    r"""Natural frequency :math:`\sqrt{|s_1 s_2|}` of the soft mode, from the exact drift.

    :math:`s_1, s_2` are the two eigenvalues of the drift (C25) with the smallest
    :math:`|\mathrm{Re}\,s|` (:func:`drift_spectrum`), the spin pair near :math:`\lambda_c`.
    Their product is the stiffness of the soft mode (:math:`\epsilon` of
    :func:`soft_mode_rates` in the adiabatic limit), so this frequency vanishes as
    :math:`|\lambda - \lambda_c(\gamma)|^{1/2}`, whether the mode is underdamped or
    overdamped; the oscillation frequency :math:`|\mathrm{Im}\,s|` vanishes earlier, where the
    mode becomes overdamped (:func:`overdamping_distance`).

    Parameters
    ----------
    lam : float or array_like
        Couplings :math:`\lambda \ge 0`.
    model : DickeModel, optional
        Frequencies and loss rates; default :data:`~epcore.dicke.PAPER`.
    branch : str, optional
        ``"normal"`` (default) or ``"mean_field"``, as in :func:`drift_spectrum`.
    zero_gamma : bool, optional
        Set :math:`\gamma = 0`.

    Returns
    -------
    numpy.ndarray
        One frequency per coupling.

    Raises
    ------
    ValueError
        For an invalid coupling or an unknown branch.
    """
    ev = drift_spectrum(lam, model=model, branch=branch, zero_gamma=zero_gamma)
    return np.sqrt(np.abs(ev[:, 0] * ev[:, 1]))


def natural_frequency_exponent(
    rel_distances, *, side: int = -1, model: DickeModel = PAPER, zero_gamma: bool = False
) -> float:
    r"""Critical exponent of the natural frequency :math:`\sqrt{|s_1 s_2|}` near the transition.

    :func:`natural_frequency` at :math:`\lambda = \lambda_c(\gamma)(1 \pm x)` for the
    relative distances :math:`x`, fitted as :math:`A x^{\nu}` by a least-squares line in
    log-log axes (:func:`epcore.dynamics.fit_power_law`; :math:`\nu` is minus its ``p``).
    The stiffness :math:`\epsilon = s_+ s_-` of :func:`soft_mode_rates` is linear in
    :math:`\lambda_c(\gamma)^2 - \lambda^2`, so :math:`\nu \to 1/2`, the mean-field value,
    as :math:`x \to 0`. Below the transition the normal branch is used and the critical point
    is :math:`\lambda_c(\gamma)` (``critical_coupling(shifted=True)``; :math:`\lambda_c` with
    ``zero_gamma``); above it the superradiant branch of the mean field, which is critical at
    :math:`\lambda_c` only when :math:`\gamma = 0`.

    Parameters
    ----------
    rel_distances : array_like
        At least 2 relative distances :math:`0 < x < 1` from the critical point.
    side : int, optional
        -1 (default) below the critical point, on the normal branch; +1 above it, on the
        superradiant branch (needs ``zero_gamma=True``).
    model : DickeModel, optional
        Frequencies and loss rates; default :data:`~epcore.dicke.PAPER`.
    zero_gamma : bool, optional
        Set :math:`\gamma = 0` (then the critical point is :math:`\lambda_c`).

    Returns
    -------
    float
        The exponent :math:`\nu` (1/2 in the limit :math:`x \to 0`).

    Raises
    ------
    epcore.errors.ValidityError
        For ``side=+1`` with :math:`\gamma > 0`: the superradiant branch of the
        :math:`\gamma`-free mean field is not critical at :math:`\lambda_c(\gamma)`.

    Examples
    --------
    >>> x = np.logspace(-8, -4, 9)
    >>> round(natural_frequency_exponent(x), 4)  # below lambda_c(gamma)
    0.5
    """
    x = check_array(rel_distances, "rel_distances", ndim=1, min_size=2, positive=True)
    if np.any(x >= 1):
        raise ValueError("the relative distances rel_distances must lie in (0, 1)")
    if side not in (-1, 1):
        raise ValueError(f"side must be -1 (below) or +1 (above), got {side!r}")
    if side == 1 and not zero_gamma and model.gamma > 0:
        raise ValidityError(
            "above the critical point the superradiant branch is critical at lambda_c only "
            "for gamma = 0: pass zero_gamma=True (or side=-1 for the normal branch)"
        )
    centre = critical_coupling(model=model, shifted=not zero_gamma)
    branch = "normal" if side < 0 else "mean_field"
    freq = natural_frequency(centre * (1 + side * x), model=model, branch=branch,
                             zero_gamma=zero_gamma)
    p, _, _ = fit_power_law(x, freq)
    return -p


def slowest_rate(
    lam, *, model: DickeModel = PAPER, branch: str = "mean_field"
) -> np.ndarray:
    r"""Slowest relaxation rate :math:`-\max \mathrm{Re}\,\mathrm{eig}(A)` of the Dicke drift.

    :math:`A` is the full drift of Eq. (C25) (:func:`epcore.dicke.drift_matrix`), the generator
    of the means and, through the Lyapunov equation (C24), of the covariances. On the normal
    branch the rate closes linearly at :math:`\lambda_c(\gamma)`
    (``dicke.critical_coupling(shifted=True)``), inside the window where the soft mode is
    overdamped (:func:`epcore.dicke.overdamping_distance`); outside it, it is flat at
    :math:`\gamma + \Gamma/2` (:func:`epcore.dicke.soft_mode_rates`).

    Parameters
    ----------
    lam : float or array_like
        Couplings :math:`\lambda \ge 0`.
    model : DickeModel, optional
        Frequencies and loss rates of the Dicke model, including :math:`\gamma` (Eq. C20);
        default :data:`epcore.dicke.PAPER`.
    branch : str, optional
        ``"mean_field"`` (default) the paper's construction, normal below :math:`\lambda_c`
        and superradiant above; ``"normal"`` the normal phase at every coupling, stable up to
        :math:`\lambda_c(\gamma)` (see :func:`epcore.dicke.drift_matrix`).

    Returns
    -------
    numpy.ndarray
        One rate per coupling (negative where the drift is unstable).

    Raises
    ------
    ValueError
        If a coupling is negative or not finite, or ``branch`` is unknown.
    """
    lam = check_couplings(lam)
    return np.array(
        [-np.linalg.eigvals(drift_matrix(float(x), model=model, branch=branch)).real.max()
         for x in lam]
    )
