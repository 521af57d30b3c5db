"""``epcore``: entropy production in driven-dissipative quantum phase transitions.

The physics behind the book reproducing B. O. Goes, C. E. Fiore and G. T. Landi,
Phys. Rev. Research 2, 013136 (2020). Importing it has no plotting side effects.

The most used names are available at the top level: :class:`~epcore.balance.EntropyBalance`
(the terms of Eqs. 5-10), and from :mod:`epcore.phasespace`
:func:`~epcore.phasespace.entropy_balance`, :func:`~epcore.phasespace.husimi` and
:func:`~epcore.phasespace.wehrl_entropy`; the models live in :mod:`epcore.kerr`,
:mod:`epcore.dicke` and :mod:`epcore.twophoton`. The tunable limits (memory, Fock cutoffs,
BLAS threads, sweep workers) are the attributes of the one object ``epcore.settings``
(:mod:`epcore.settings`), read by every function at call time.
"""

from importlib import metadata

from . import cavity, dicke, errors, gaussian, kerr, phasespace, twophoton
from .balance import EntropyBalance
from .phasespace import entropy_balance, husimi, wehrl_entropy
from .settings import settings

try:
    __version__ = metadata.version("epcore")
except metadata.PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "unknown"

__all__ = [
    "EntropyBalance",
    "cavity",
    "dicke",
    "entropy_balance",
    "errors",
    "gaussian",
    "husimi",
    "kerr",
    "phasespace",
    "settings",
    "twophoton",
    "wehrl_entropy",
]
