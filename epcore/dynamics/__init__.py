"""Dynamics of the two transitions: Liouvillian gap, switching trajectories, drive ramps.

The paper (Goes, Fiore and Landi 2020) studies steady states. This package asks how the Kerr
resonator of Sec. IV gets there, how slowly it does so at the transition, and what entropy it
produces on the way. It holds what does not belong to one model; the spectra live with their
model: the slowest Liouvillian modes, the gap and the switching barriers of the Kerr
resonator in :mod:`epcore.kerr` (``epcore.kerr.spectrum``, ``epcore.kerr.switching``), the
slowest relaxation rate of the Gaussian Dicke fluctuations in :mod:`epcore.dicke`
(``epcore.dicke.relaxation``).

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

from . import fits, ramps, trajectories
from .fits import *  # noqa: F403
from .ramps import *  # noqa: F403
from .ramps import MAX_RAMP_RATES  # noqa: F401  (reachable as epcore.dynamics.MAX_RAMP_RATES)
from .trajectories import *  # noqa: F403

# Documented here, where readers meet it; defined (and to be changed) in epcore.dynamics.ramps.
#: Step in the drive of the central difference that gives d rho_ss / d eps along a ramp.
DRIVE_STEP = ramps.DRIVE_STEP

__all__ = [
    *fits.__all__,
    *trajectories.__all__,
    *ramps.__all__,
]
