r"""Single driven cavity: the small models of the first three chapters of the book.

The package is organised by concept, one submodule each; every name is imported from
``epcore.cavity`` itself, where this page documents it.

* ``epcore.cavity.states``: the example states of the Wehrl-entropy chapter with their
  closed-form Wehrl entropies (Eq. 4) and von Neumann entropies: the squeezed vacuum and the
  cat built here, the coherent and thermal states straight from QuTiP (``qutip.coherent_dm``,
  ``qutip.thermal_dm``; the von Neumann entropy is ``qutip.entropy_vn``);
* ``epcore.cavity.driven``: the driven cavity :math:`H = \Delta a^\dagger a + \chi a^{\dagger 2}
  a^2 + iE(a^\dagger - a)` with losses :math:`2\kappa D[a]` (Eq. 2), its steady state, and the
  closed-form transient of the empty cavity (a coherent state at every time,
  :math:`\Pi = \Phi = 2\kappa|\alpha(t)|^2 \to 2E^2/\kappa`); :func:`transient_balance`:
  :math:`S(t)`, :math:`\Pi(t)`, :math:`\Phi(t)` along a ``qutip.mesolve`` run, with an
  independent :math:`dS/dt = -\int \dot Q \ln Q\, d^2\mu` to check Eq. (1);
* ``epcore.cavity.losses``: the Wehrl rate of a state (:func:`wehrl_rate`) and the
  zero-temperature catastrophe: the conventional (Spohn) entropy flux of a thermal loss
  channel next to the Wehrl flux, and the Wehrl balance of that channel;
* ``epcore.cavity.quadratic``: quadratic single-mode models (parametric oscillator, linearized
  Kerr) in the quadrature form used by :mod:`epcore.gaussian`, the leading-order
  :math:`\Pi_u` of Eq. (A10), and the squeezed vacuum whose :math:`\Pi` is negative;
* ``epcore.cavity.checks``: the argument checks the other submodules share.

Conventions: losses :math:`2\kappa D[a]`, drive :math:`iE(a^\dagger - a)`, Husimi function
:math:`Q(\mu) = \langle\mu|\rho|\mu\rangle/\pi`.
"""

from __future__ import annotations

# each submodule's __all__ is the one list of its public names
from . import driven, losses, quadratic, states
from .driven import *  # noqa: F403
from .losses import *  # noqa: F403
from .quadratic import *  # noqa: F403
from .states import *  # noqa: F403

# Documented here, where readers meet it; defined (and to be changed) in epcore.cavity.states.
#: Lieb's bound, the smallest Wehrl entropy (Eq. 4) of any single-mode state, :math:`1 + \ln\pi`,
#: reached by coherent states
LIEB_BOUND = states.LIEB_BOUND

__all__ = [
    *states.__all__,
    *driven.__all__,
    *losses.__all__,
    *quadratic.__all__,
]
