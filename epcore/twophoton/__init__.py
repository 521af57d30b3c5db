r"""The two-photon-driven Kerr resonator: a continuous :math:`\mathbb{Z}_2`-breaking transition.

One mode with a Kerr nonlinearity, a two-photon drive :math:`G` and one- and two-photon losses
(Minganti, Biella, Bartolo and Ciuti 2018; Bartolo et al. 2016); the Hamiltonian and the loss
operators are typeset in :class:`~epcore.models.TwoPhotonModel`.

Conventions of every function of the package (their parameter lists refer here):

* ``N`` (float, > 0): the system size. The Kerr coefficient is :math:`U/2N` and the
  two-photon loss :math:`\eta/N`, so that :math:`\langle a\rangle/\sqrt{N}` stays finite.
* ``g`` (float, >= 0): the two-photon drive :math:`G`, intensive (it does not scale with
  :math:`N`).
* ``model`` (:class:`~epcore.models.TwoPhotonModel`, keyword): :math:`\kappa, \Delta, U,
  \eta`; default :data:`PAPER`, the book's :math:`\kappa = 1, \Delta = 0, U = 1, \eta = 1`.
* Rates are in the units of :math:`\kappa`; entropies in nats (:math:`k_B = 1`).

Bad input (a negative size or drive, an unknown ``method``, a cutoff below 2) raises a
``ValueError``, one of the typed subclasses of :mod:`epcore.errors`, whose message says what to
change. The Raises sections list only the errors that report on the numerics.

The mean
field :math:`\beta = \langle a\rangle/\sqrt{N}` and :math:`n = |\beta|^2` are intensive; the
symmetric state :math:`\beta = 0` loses stability at :math:`G_c = \sqrt{\Delta^2 + \kappa^2/4}`
(1/2 in the book). Note the loss convention: :math:`\kappa D[a]`, half the rate of the
book's :math:`2\kappa D[a]`.

Every function is imported from ``epcore.twophoton`` itself, where this page documents it.

* ``epcore.twophoton.model``: the Hamiltonian and Liouvillian, the parity sectors, the mean
  field with both symmetric branches and their stability, the Gaussian fluctuations on each
  stable branch with the book's closed forms (:func:`linearized_branches`), and
  :func:`critical_drive`.
* ``epcore.twophoton.exact``: the exact complex-P solution (Bartolo et al. 2016): moments with
  no truncation (:func:`exact_moment`, :func:`exact_fluctuations`), the density matrix
  (:func:`exact_density_matrix`), the photon distribution and the Fock cutoff it implies.
* ``epcore.twophoton.entropy``: the finite-N steady state (:func:`steady_state`) and its
  entropy balance with two loss channels (:func:`entropy_production`, with Eq. 10 checked).
* ``epcore.twophoton.gap``: the Liouvillian gap and the gaps of the two parity sectors
  (:func:`liouvillian_gap`, :func:`sector_gaps`).
* ``epcore.twophoton.critical``: the balance across :math:`G_c` at :math:`N \to \infty`
  (:func:`gaussian_scan`) and at finite N (:func:`exact_scan`, :func:`critical_growth`,
  :func:`broken_phase_limit`), and the gaps against N (:func:`gap_scaling`).

Tolerances (``MOMENT_TOL``, ``RESIDUAL_TOL``, ``MAX_SERIES``, ``TAIL_TOL``) live in the
submodule that uses them. The limits that a reader may change (the largest Fock cutoff of the
QuTiP route and of the sector gaps, the memory limit) are in :mod:`epcore.settings`:
``epcore.settings.max_cutoff``, ``epcore.settings.gap_max_cutoff`` and
``epcore.settings.memory_limit``, read by every function at its next call.
"""

from __future__ import annotations

from . import critical, entropy, exact, gap, model
from .critical import *  # noqa: F403
from .entropy import *  # noqa: F403
from .exact import *  # noqa: F403
from .gap import *  # noqa: F403
from .model import *  # noqa: F403

# The constants are documented here, where readers meet them; each is defined in the
# submodule that uses it, and a change must be made there (e.g. entropy.RESIDUAL_TOL).
#: The book's parameters, kappa = 1, Delta = 0, U = 1, eta = 1 (G_c = 1/2).
PAPER = model.PAPER
#: The routes to the exact finite-N steady state, the default first. ``'complex-p'`` is the
#: analytic density matrix (:func:`epcore.twophoton.exact_density_matrix`), ``'qutip'`` the
#: Fock-basis linear solve ``qutip.steadystate``, checked for parity and against the exact
#: moments.
METHODS = entropy.METHODS
#: The largest relative deviation of the Fock-basis photon number and pair amplitude
#: :math:`\langle a^2\rangle` from the exact moments that :func:`balance_of_state` accepts.
MOMENT_TOL = entropy.MOMENT_TOL
#: The largest relative residual of Eq. (10) that :func:`entropy_production` returns.
RESIDUAL_TOL = entropy.RESIDUAL_TOL
#: The longest complex-P series summed.
MAX_SERIES = exact.MAX_SERIES
#: The population allowed beyond the Fock cutoff chosen by :func:`fock_cutoff`.
TAIL_TOL = exact.TAIL_TOL

__all__ = [
    *model.__all__,
    *exact.__all__,
    *entropy.__all__,
    *gap.__all__,
    *critical.__all__,
]
