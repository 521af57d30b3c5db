r"""The driven-dissipative Dicke model (Sec. V and App. C of the paper).

One cavity mode :math:`a` coupled to :math:`N` two-level atoms (collective spin
:math:`J_x, J_z`), with photon losses :math:`2\kappa D[a]` (Eq. C1) and Hamiltonian (Eqs. 12, C2)

.. math::

    H = \omega_0 J_z + \omega a^\dagger a + \frac{2\lambda}{\sqrt N}(a + a^\dagger) J_x .

Conventions of every function of the package (their parameter lists refer here):

* ``lam`` (float >= 0, or an array of them where the type says so): the coupling
  :math:`\lambda` of the Hamiltonian above; the transition is at :math:`\lambda_c`
  (:func:`critical_coupling`).
* ``N`` (int >= 1): the number of atoms, in the functions that treat it exactly
  (``epcore.dicke.finite_n``); the Gaussian functions give the :math:`N \to \infty` limit.
* ``model`` (:class:`~epcore.models.DickeModel`, keyword): the frequencies
  :math:`\omega_0, \omega`, the cavity loss rate :math:`\kappa` and the stabilizing loss
  :math:`\gamma` of Eq. (C20); default :data:`PAPER`, the paper's Fig. 3 values. Change one
  with ``PAPER.replace(gamma=1e-6)``.
* Rates are in the units of :math:`\kappa`; entropies in nats (:math:`k_B = 1`).

Bad input (a negative coupling, an unknown ``branch``, a cutoff below 2) raises a
``ValueError``, one of the typed subclasses of :mod:`epcore.errors`, whose message says what to
change. The Raises sections list only the errors that report on the numerics (an unstable drift
at :math:`\lambda_c`, a truncation, the memory).

The package follows Appendix C step by step, one submodule per step; every name is imported
from ``epcore.dicke`` itself, where this page documents it.

* ``epcore.dicke.meanfield``, the mean field (Sec. V, App. C.1, Eqs. C1-C8): the default
  model :data:`PAPER`, the critical coupling (:func:`critical_coupling`; with
  ``shifted=True`` the coupling :math:`\lambda_c\sqrt{1 + \gamma^2/\omega_0^2}` where the
  normal phase with the loss :math:`\gamma` becomes unstable), the steady states
  of both phases (:func:`mean_field`), the flow of Eqs. (C3)-(C5), its integration
  (:func:`relax_mean_field`) and the stability of the normal phase
  (:func:`normal_phase_growth_rate`).
* ``epcore.dicke.fluctuations``, the Gaussian fluctuations (App. C.2-C.4, Eqs. C9-C26): the
  Holstein-Primakoff coefficients (:func:`quadratic_coefficients`), the quadratic Hamiltonian
  and drift matrix (:func:`hamiltonian_matrix`, :func:`drift_matrix`), the Lyapunov
  covariance (:func:`steady_covariance`), the Husimi function (:func:`husimi`) and a
  Fock-basis check (:func:`fock_covariance`).
* ``epcore.dicke.entropy``, the entropy terms of Eq. (8) on the Husimi function (C26):
  :func:`entropy_production` at one coupling, :func:`entropy_production_batch` over many, and
  a direct numerical integration (:func:`quadrature_terms`).
* ``epcore.dicke.scaling``, the critical point (Eq. 13, Fig. 3d) and the limit
  :math:`\gamma \to 0`: the divergence measured from the shifted critical point
  (:func:`shifted_divergence`), local slopes and windows of slope -1 measured from
  :math:`\lambda_c` (:func:`divergence_profile`), the terms at :math:`\gamma = 0`
  (:func:`gamma_zero_limit`, in ``epcore.dicke.entropy``) and their explanation by the
  temperature the cavity gives the spin (:func:`adiabatic_occupations`), which the
  rotating-wave coupling does not give (:func:`rotating_wave_covariance`).
* ``epcore.dicke.relaxation``, the relaxation of the fluctuations near :math:`\lambda_c`: the
  drift eigenvalues (:func:`drift_spectrum`), the soft mode by adiabatic elimination
  (:func:`cavity_friction`, :func:`soft_mode_rates`, :func:`overdamping_distance`) and its
  natural frequency (:func:`natural_frequency`).
* ``epcore.dicke.finite_n``, a check of the Gaussian picture: the exact steady state of
  :math:`N` atoms and the cavity (:func:`finite_n_steady_state`, :func:`finite_n_cutoffs`)
  and the Liouvillian gap (:func:`finite_n_liouvillian`, :func:`finite_n_gap`); their
  parallel, cached scans over :math:`N` are :func:`epcore.sweep.finite_n_scan` and
  :func:`epcore.sweep.finite_n_gap_scan`.

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

# each submodule's __all__ is the one list of its public names
from . import entropy, finite_n, fluctuations, meanfield, relaxation, scaling
from .entropy import *  # noqa: F403
from .finite_n import *  # noqa: F403
from .fluctuations import *  # noqa: F403
from .meanfield import *  # noqa: F403
from .relaxation import *  # noqa: F403
from .scaling import *  # noqa: F403

#: The paper's parameters of Fig. 3, gamma = 1e-3 kappa included (App. C), the default model.
PAPER = meanfield.PAPER

__all__ = [
    "PAPER",
    *(name for name in meanfield.__all__ if name != "PAPER"),
    *fluctuations.__all__,
    *entropy.__all__,
    *scaling.__all__,
    *relaxation.__all__,
    *finite_n.__all__,
]
