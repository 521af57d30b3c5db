"""Dynamics of the two transitions: Liouvillian gap, switching trajectories, drive ramps.

The paper (Goes, Fiore and Landi 2020) studies steady states. This package asks how the Kerr
resonator of Sec. IV gets there, how slowly it does so at the transition, and what entropy it
produces on the way. Its generic parts are submodules of its own; the model-specific parts
live with their model and are re-exported here, where the book's chapter on dynamics calls
them (this page documents each name once, where it is defined):

* from :mod:`epcore.kerr` (``epcore.kerr.spectrum`` and ``epcore.kerr.switching``):
  :func:`~epcore.kerr.liouvillian_spectrum`, :func:`~epcore.kerr.liouvillian_gap`,
  :func:`~epcore.kerr.slowest_mode` and :func:`~epcore.kerr.slow_mode_shifts`: the slowest
  nonzero eigenvalues of the Kerr Liouvillian (Eq. B1), by sparse shift-invert Arnoldi with
  the zero eigenvalue deflated exactly; :func:`~epcore.kerr.gap_point` for cached sweeps;
  :func:`~epcore.kerr.switching_barriers`, the large-deviation barriers that set their
  exponential closing with N; :func:`~epcore.kerr.mode_branch_overlap`;
  :func:`~epcore.kerr.steady_state_error`, what a closing gap does to a double-precision
  steady-state solve;
* from :mod:`epcore.dicke` (``epcore.dicke.relaxation``):
  :func:`~epcore.dicke.dicke_slowest_rate`, the slowest relaxation rate of the Gaussian Dicke
  fluctuations (drift of Eq. C25), the second-order contrast.

Its own submodules:

* ``epcore.dynamics.fits``: :func:`fit_exponential` and :func:`fit_activation`, the fits of
  a gap or a rate that closes exponentially with N, and :func:`fit_power_law`, the
  algebraic alternative;
* ``epcore.dynamics.trajectories``: :func:`jump_trajectory` and :func:`telegraph`,
  :func:`dwell_times`: quantum-jump unravelling, telegraph switching between the branches,
  and ideal heterodyne samples; :func:`switching_rate_from_correlation`
  (:func:`correlation_rate`): the window-free switching rate from the decay of the
  autocovariance of the conditional photon number;
* ``epcore.dynamics.ramps``: :func:`ramp`: ``mesolve`` along a triangular drive ramp, with the
  entropy balance of Eqs. (1), (4)-(8) at every output time
  (:func:`epcore.phasespace.entropy_balance`) and, optionally, its adiabatic and
  non-adiabatic parts (:func:`entropy_split`); :func:`ramp_entropy` and
  :func:`fast_ramp_limit`: the entropy of a cycle against its quasi-static value.

Conventions as in :mod:`epcore.kerr`: ``H = Delta a^dag a + (u/2N) a^dag^2 a^2 + i E (a^dag - a)``,
``E = eps sqrt(N)``, losses ``2 kappa D[a]``.
"""

from __future__ import annotations

# The Kerr Liouvillian's slowest modes and the Kerr switching live with the model
# (epcore.kerr.spectrum, epcore.kerr.switching), the Dicke relaxation rate with the Dicke
# model (epcore.dicke.relaxation); they are re-exported here, where the book's chapter on
# dynamics calls them.
from ..dicke.relaxation import dicke_slowest_rate
from ..kerr.spectrum import (
    MAX_SLOW_MODES,
    GapResult,
    liouvillian_gap,
    liouvillian_spectrum,
    slow_mode_shifts,
    slowest_mode,
)
from ..kerr.switching import (
    gap_point,
    mode_branch_overlap,
    steady_state_error,
    switching_barriers,
)
from . import fits, ramps, trajectories
from .fits import *  # noqa: F403
from .ramps import *  # noqa: F403
from .ramps import MAX_RAMP_RATES  # noqa: F401  (reachable as epcore.dynamics.MAX_RAMP_RATES)
from .trajectories import *  # noqa: F403

# Documented here, where readers meet it; defined (and to be changed) in epcore.dynamics.ramps.
#: Step in the drive of the central difference that gives d rho_ss / d eps along a ramp.
DRIVE_STEP = ramps.DRIVE_STEP

__all__ = [
    # defined in epcore.kerr and epcore.dicke (api.md documents them there)
    "GapResult",
    "MAX_SLOW_MODES",
    "liouvillian_spectrum",
    "liouvillian_gap",
    "slow_mode_shifts",
    "gap_point",
    "switching_barriers",
    "steady_state_error",
    "slowest_mode",
    "mode_branch_overlap",
    "dicke_slowest_rate",
    # defined here
    *fits.__all__,
    *trajectories.__all__,
    *ramps.__all__,
]
