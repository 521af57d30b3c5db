r"""Kerr bistability (Sec. IV and App. B of the paper).

One driven mode with the Kerr Hamiltonian of Eq. (11) plus the drive of Eq. (2) and losses
:math:`2\kappa D[a]` (Eq. B1), typeset in :class:`~epcore.models.KerrModel`.

Conventions of every function of the package (their parameter lists refer here):

* ``N`` (float, > 0): the system size. The drive amplitude is :math:`E = \epsilon\sqrt{N}`
  and the Kerr coefficient :math:`\chi = u/2N`, so that :math:`\langle a\rangle/\sqrt{N}`
  stays finite and :math:`N \to \infty` is the thermodynamic limit.
* ``eps`` (float, >= 0): the drive per unit size :math:`\epsilon` (Eq. 2).
* ``model`` (:class:`~epcore.models.KerrModel`, keyword): the loss rate, detuning and
  nonlinearity :math:`\kappa, \Delta, u`; default :data:`PAPER`, the paper's Fig. 2 values
  :math:`\kappa = 1/2, \Delta = -2, u = 1`. Change one with ``PAPER.replace(delta=-3.0)``.
* Rates are in the units of :math:`\kappa, \Delta, u`; entropies in nats (:math:`k_B = 1`).

Bad input (a negative size or drive, an unknown ``method``, a cutoff below 2) raises a
``ValueError``, one of the typed subclasses of :mod:`epcore.errors`, whose message says what to
change. The Raises sections list only the errors that report on the numerics: a truncation
(raise the cutoff), the memory (lower ``N``), an ill-conditioned solve.

The package is organised by the paper's sections, one submodule each; every function is
imported from ``epcore.kerr`` itself, where this page documents it.

* ``epcore.kerr.model``: the Hamiltonian and Liouvillian, the mean field and its bistable
  window (Eq. B4), and the Gaussian fluctuations on each branch (App. A), the N -> infinity
  limit of :math:`\Pi_u` and :math:`\Pi_d` (:func:`linearized_branches`).
* ``epcore.kerr.exact``: the exact complex-P solution of Drummond and Walls (1980):
  moments with no truncation (:func:`exact_moment`), the density matrix
  (:func:`exact_density_matrix`), the photon distribution and the Fock cutoff it implies, and
  the large-deviation function of the solution.
* ``epcore.kerr.entropy``: the finite-N steady state and its entropy balance, Eqs. (5)-(10)
  (:func:`entropy_production`), with the QuTiP linear solve as a cross-check and Eq. (B6).
* ``epcore.kerr.memory``: the routes to the steady state (:data:`METHODS`), the memory a state
  needs (:func:`memory_estimate`) and the check that refuses one too large
  (:func:`check_state_memory`).
* ``epcore.kerr.critical``: the critical drive :func:`critical_drive` (the N -> infinity
  limit of the peak of :math:`\Phi_q`, a Maxwell construction on the large-deviation
  function), the finite-N peaks and the two-branch picture near :math:`\epsilon_c`.
* ``epcore.kerr.kramers``: the switching rates between the branches from the complex-P
  potential (:func:`kramers_rates`, :func:`kramers_gap`) and a cheap gap estimate
  (:func:`gap_estimate`).
* ``epcore.kerr.conditioning``: when a Fock-basis linear solve can be trusted: the cutoff rule
  of the ``'qutip'`` route (:func:`solver_cutoff`) and the error of an unchecked solve
  (:func:`solver_error`).
* ``epcore.kerr.spectrum``: the slowest modes of the Liouvillian (Eq. B1), with the Fock cutoff
  grown until they are converged: :func:`liouvillian_gap`, :func:`liouvillian_spectrum`,
  :func:`slowest_mode`.
* ``epcore.kerr.switching``: switching between the branches: the large-deviation barriers
  (:func:`switching_barriers`), the slowest mode against the two branch states
  (:func:`mode_branch_overlap`), what the closing gap does to a steady-state solve
  (:func:`steady_state_error`), and the gap as plain floats for sweeps (:func:`gap_row`).

Tolerances (``MOMENT_TOL``, ``RESIDUAL_TOL``, ``MAX_SERIES``, ``TAIL_TOL``,
``TRUNCATION_TOL``, ``ROUNDOFF_GAIN``, ``ROUNDOFF_TOL``, ``MAX_SLOW_MODES``) live in the
submodule that uses them. The limits that a reader may change (the largest Fock cutoff of the
QuTiP route, the memory limit) are in :mod:`epcore.settings`:
``epcore.settings.max_cutoff = 200`` or ``epcore.settings.memory_limit = 2e9`` take effect in
every function at its next call.
"""

from __future__ import annotations

from ..models import KerrModel  # noqa: F401  (reachable as epcore.kerr.KerrModel)
from . import conditioning, critical, entropy, exact, kramers, memory, model, spectrum, switching
from .conditioning import *  # noqa: F403
from .critical import *  # noqa: F403
from .entropy import *  # noqa: F403
from .exact import *  # noqa: F403
from .kramers import *  # noqa: F403
from .memory import *  # noqa: F403
from .model import *  # noqa: F403
from .spectrum import *  # noqa: F403
from .switching import *  # noqa: F403

# The constants are documented here, where readers meet them; each is defined in the
# submodule that uses it, and a change must be made there (e.g. entropy.MOMENT_TOL).
#: The parameters of the paper's Fig. 2, kappa = 1/2, Delta = -2, u = 1.
PAPER = model.PAPER
#: The paper's kappa and u at zero detuning. It has one stable branch at every drive, so the
#: limit N -> infinity holds no transition; chapter 3 uses it to show the split of Eq. (8).
RESONANT = model.RESONANT
#: The routes to the exact finite-N steady state, the default first. ``'complex-p'`` is the
#: analytic density matrix (:func:`epcore.kerr.exact_density_matrix`), ``'qutip'`` the
#: Fock-basis linear solve ``qutip.steadystate``.
METHODS = memory.METHODS
#: The largest relative deviation of the Fock-basis mean field and photon number from the
#: exact moments that :func:`balance_of_state` accepts.
MOMENT_TOL = entropy.MOMENT_TOL
#: The largest relative residual of Eq. (10), against the exact :math:`\Phi_q`, that
#: :func:`entropy_production` returns; beyond it the Gaussian route or IllConditionedError.
RESIDUAL_TOL = entropy.RESIDUAL_TOL
#: The longest complex-P series that :func:`exact_density_matrix` sums.
MAX_SERIES = exact.MAX_SERIES
#: The population allowed beyond the Fock cutoff chosen by :func:`fock_cutoff`, a hundredth
#: of the ``CUTOFF_TOL`` that the phase-space engine demands of the top three levels.
TAIL_TOL = exact.TAIL_TOL
#: The top-population budget of a Fock-basis linear solve in units of gap/kappa. With
#: :func:`solver_cutoff` the top three levels of the exact state hold at most
#: ``TRUNCATION_TOL * gap / kappa``.
TRUNCATION_TOL = conditioning.TRUNCATION_TOL
#: The typical round-off of a sparse-LU steady state in units of eps_mach * kappa / gap
#: (measured 2 to 60 at the critical drive); :func:`solver_cutoff` uses it to predict round-off.
ROUNDOFF_GAIN = conditioning.ROUNDOFF_GAIN
#: The largest predicted round-off error of <a^dag a> for which :func:`solver_cutoff` allows a
#: linear solve; beyond it, ``IllConditionedError``.
ROUNDOFF_TOL = conditioning.ROUNDOFF_TOL
#: The most slow modes :func:`liouvillian_spectrum` returns.
MAX_SLOW_MODES = spectrum.MAX_SLOW_MODES

__all__ = [
    *model.__all__,
    *exact.__all__,
    *memory.__all__,
    *entropy.__all__,
    *critical.__all__,
    *kramers.__all__,
    *conditioning.__all__,
    *spectrum.__all__,
    *switching.__all__,
]

