r"""The driven-dissipative Dicke model (Sec. V and App. C of the paper).

One cavity mode :math:`a` coupled to :math:`N` two-level atoms (collective spin
:math:`J_x, J_z`), with photon losses :math:`2\kappa D[a]` (Eq. C1) and Hamiltonian (Eqs. 12, C2)

.. math::

    H = \omega_0 J_z + \omega a^\dagger a + \frac{2\lambda}{\sqrt N}(a + a^\dagger) J_x .

The parameters :math:`\omega_0, \omega, \kappa` and the stabilizing loss :math:`\gamma` of
Eq. (C20) form one :class:`~epcore.models.DickeModel`; :data:`PAPER` holds the paper's values
and is the default ``model`` of every function. The coupling :math:`\lambda` (and the size
:math:`N`) are arguments. Change a parameter with ``PAPER.replace(gamma=1e-6)``.

Every name below is importable as ``epcore.dicke.<name>``. The package follows Appendix C step
by step, one submodule per step:

============================== ================================== ==========================
Paper                          Functions                          Submodule
============================== ================================== ==========================
Sec. V, App. C.1, Eqs. C1-C8   :func:`critical_coupling`,         ``epcore.dicke.meanfield``
(mean field)                   :func:`mean_field`,
                               :func:`mean_field_rhs`,
                               :func:`relax_mean_field`,
                               :func:`normal_phase_growth_rate`
App. C.2-C.4, Eqs. C9-C26      :func:`quadratic_coefficients`,    ``epcore.dicke.fluctuations``
(Holstein-Primakoff,           :func:`hamiltonian_matrix`,
Gaussian fluctuations)         :func:`drift_matrix`,
                               :func:`steady_covariance`,
                               :func:`husimi`,
                               :func:`fock_covariance`
Eq. 8 on Eq. C26               :func:`entropy_production`,        ``epcore.dicke.entropy``
(entropy terms)                :func:`sweep`,
                               :func:`quadrature_terms`
Eq. 13, Fig. 3(d)              :func:`divergence_profile`,        ``epcore.dicke.scaling``
(critical scaling,             :func:`local_slope`,
:math:`\gamma \to 0`)          :func:`gamma_zero_limit`,
                               :func:`adiabatic_occupations`
finite :math:`N` (a check)     :func:`finite_n_steady_state`,     ``epcore.dicke.finite_n``
                               :func:`finite_n_scan`
============================== ================================== ==========================

Conventions: quadratures :math:`q = (c + c^\dagger)/\sqrt2`, :math:`p = i(c^\dagger - c)/\sqrt2`
for :math:`c = \delta b, \delta a`, ordered as in the paper,
:math:`R = (q_b, p_b, q_a, p_a)` (Eq. C23); the phase-space variable of mode :math:`c` is
:math:`\mu_c = (x_c + i y_c)/\sqrt2`. On the superradiant side the branch with
:math:`\beta \ge 0` is returned (the other one follows from the :math:`Z_2` symmetry
:math:`a \to -a`, :math:`J_x \to -J_x` and has identical entropy terms).

Misprints found while checking Appendix C (each is tested in ``tests/test_dicke.py``):

* main text (Sec. V and the caption of Fig. 3): :math:`\lambda_c = \sqrt{\omega_0(\kappa^2 +
  \omega^2)}/\omega` is wrong; the mean-field instability is at
  :math:`\frac12\sqrt{\omega_0(\kappa^2 + \omega^2)/\omega}` (Appendix C); their ratio is
  :math:`2/\sqrt\omega`, 20 at the paper's parameters;
* Eq. (C14): the constant term is :math:`-(N/2)\sqrt{1 - 4\beta^2}` (it equals :math:`N w`),
  not :math:`+`;
* Eq. (C26): a two-mode Husimi function normalized in :math:`d^2\mu_a\, d^2\mu_b` carries
  :math:`1/\pi^2`, not :math:`1/\pi`.
"""

from __future__ import annotations

from . import meanfield
from .entropy import DickeSweep, entropy_production, quadrature_terms, sweep
from .finite_n import FiniteNDicke, finite_n_scan, finite_n_steady_state
from .fluctuations import (
    drift_matrix,
    fock_covariance,
    hamiltonian_drift,
    hamiltonian_matrix,
    husimi,
    husimi_marginal,
    quadratic_coefficients,
    steady_covariance,
)
from .meanfield import (
    MeanField,
    critical_coupling,
    mean_field,
    mean_field_jacobian,
    mean_field_rhs,
    misprinted_critical_coupling,
    normal_phase_growth_rate,
    relax_mean_field,
)
from .scaling import (
    adiabatic_occupations,
    divergence_profile,
    effective_temperature,
    fit_fixed_slope,
    gamma_zero_limit,
    local_slope,
    slope_window,
)

#: The paper's parameters (Fig. 3; the book's :math:`\gamma = 10^{-3}`), the default model.
PAPER = meanfield.PAPER

__all__ = [
    "PAPER",
    "critical_coupling",
    "misprinted_critical_coupling",
    "MeanField",
    "mean_field",
    "mean_field_rhs",
    "mean_field_jacobian",
    "normal_phase_growth_rate",
    "relax_mean_field",
    "quadratic_coefficients",
    "hamiltonian_matrix",
    "hamiltonian_drift",
    "drift_matrix",
    "steady_covariance",
    "husimi",
    "husimi_marginal",
    "fock_covariance",
    "entropy_production",
    "DickeSweep",
    "sweep",
    "quadrature_terms",
    "local_slope",
    "slope_window",
    "fit_fixed_slope",
    "divergence_profile",
    "effective_temperature",
    "adiabatic_occupations",
    "gamma_zero_limit",
    "FiniteNDicke",
    "finite_n_steady_state",
    "finite_n_scan",
]
