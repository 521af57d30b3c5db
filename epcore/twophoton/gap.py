r"""The Liouvillian gap of the two-photon resonator and the gaps of its two parity sectors.

The parity :math:`a \to -a` makes the Liouvillian block diagonal
(:func:`epcore.twophoton.parity_sectors`). The even sector holds the steady state; the odd
sector holds the coherences :math:`|n\rangle\langle m|` with :math:`n + m` odd, among them
:math:`\langle a\rangle`. Below :math:`G_c` the slowest mode is odd and decays at the rate
:math:`\kappa/2 - \sqrt{G^2 - \Delta^2}` of the linearized drift around :math:`\beta = 0`, which
closes at :math:`G_c`. Above it the two branches :math:`\pm\beta` are metastable: the odd
combination of the two (the relaxation of :math:`\langle a\rangle` by switching between them)
decays exponentially slowly in N, while the even sector keeps a finite gap (Minganti et al.
2018). :func:`sector_gaps` finds both with :func:`epcore.spectrum.sector_slowest_modes`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import spectrum
from ..errors import CutoffError
from ..models import TwoPhotonModel, check_integer
from ..phasespace import CUTOFF_TOL
from ..settings import settings
from .exact import initial_cutoff
from .model import PAPER, check_drive, check_size, liouvillian, mean_field, parity_sectors

__all__ = ["SectorGaps", "slow_mode_shifts", "sector_gaps", "liouvillian_gap"]


#: Largest truncation weight allowed for a mode found near the slowest ones but not among
#: them (as in :mod:`epcore.dynamics`).
COMPANION_TOL = 1e-6


@dataclass(frozen=True)
class SectorGaps:
    """The slowest modes of the two parity sectors of the Liouvillian at one ``(N, g)``.

    Attributes
    ----------
    N, g : float
        Size and drive.
    gap : float
        The Liouvillian gap, the smaller of the two sector gaps.
    even_gap, odd_gap : float
        Smallest nonzero ``|Re lambda|`` in the even and in the odd sector.
    even, odd : numpy.ndarray
        The ``k`` slowest eigenvalues of each sector, sorted by ``|Re|``.
    even_error, odd_error : float
        Round-off gauges of the two gaps (:attr:`epcore.spectrum.SlowModes.error`).
    cutoff : int
        Fock levels used.
    truncation : float
        The largest weight of the last three Fock rows and columns in a slowest mode, relative
        to its tolerance (at most 1: converged in the cutoff).
    """

    N: float
    g: float
    gap: float
    even_gap: float
    odd_gap: float
    even: np.ndarray
    odd: np.ndarray
    even_error: float
    odd_error: float
    cutoff: int
    truncation: float


def slow_mode_shifts(g: float, *, model: TwoPhotonModel = PAPER) -> tuple[complex, ...]:
    r"""Where the slow oscillating modes lie for large N: drift eigenvalues and their sums.

    The eigenvalues :math:`\lambda` of the linearized drift of each stable branch
    (:func:`epcore.twophoton.mean_field`; the odd-sector modes, like :math:`\langle\delta
    a\rangle`) and the sums of two of them (second moments, even sector), the one of each
    conjugate pair with the larger imaginary part.

    Parameters
    ----------
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    tuple of complex
        The distinct shifts.
    """
    ev = []
    for b in mean_field(g, model=model):
        if b.stable:
            ev.extend(b.eigenvalues)
    found: list[complex] = []
    for z in ev + [x + y for i, x in enumerate(ev) for y in ev[i:]]:
        z = complex(z.real, abs(z.imag))
        if all(abs(z - f) > 1e-9 * max(1.0, abs(f)) for f in found):
            found.append(z)
    return tuple(found)


def _truncation(modes: spectrum.SlowModes, k: int, d: int) -> float:
    """Largest Frobenius weight of the last three Fock rows and columns of a mode, relative to
    its tolerance (``CUTOFF_TOL`` for the ``k`` slowest, ``COMPANION_TOL`` for the others). The
    odd modes have no diagonal, so the whole border is used, not the top populations."""
    worst = 0.0
    for j in range(modes.vectors.shape[1]):
        X = modes.vectors[:, j].reshape(d, d, order="F")
        total = float(np.sum(np.abs(X) ** 2))
        border = float(np.sum(np.abs(X[-3:]) ** 2) + np.sum(np.abs(X[:-3, -3:]) ** 2))
        worst = max(worst, border / max(total, 1e-300) / (CUTOFF_TOL if j < k else COMPANION_TOL))
    return worst


def sector_gaps(
    N: float,
    g: float,
    *,
    model: TwoPhotonModel = PAPER,
    k: int = 1,
    cutoff: int | None = None,
    max_cutoff: int | None = None,
) -> SectorGaps:
    r"""The gaps of the even and the odd parity sector of the Liouvillian, with checks.

    Each sector is searched by :func:`epcore.spectrum.sector_slowest_modes` (dense below 900
    elements, otherwise shift-invert Arnoldi around 0 and around :func:`slow_mode_shifts`;
    the even sector's zero eigenvalue, the steady state, deflated exactly). The Fock cutoff
    starts at :func:`epcore.twophoton.initial_cutoff` and grows by 40 % while a slowest mode
    holds more than ``CUTOFF_TOL`` of its squared norm in the last three Fock rows and columns
    (``COMPANION_TOL`` for the other modes found within twice their rate).

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.twophoton`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.
    k : int, optional
        Eigenvalues returned per sector, ``1 <= k <= 16``.
    cutoff : int, optional
        Starting Fock cutoff; default from the mean field.
    max_cutoff : int, optional
        The largest cutoff allowed, default ``epcore.settings.gap_max_cutoff``.

    Returns
    -------
    SectorGaps
        Both sectors' slowest eigenvalues and gaps.

    Raises
    ------
    epcore.errors.CutoffError
        A cutoff above ``max_cutoff``, or slowest modes not converged in it.
    """
    N, g = check_size(N), check_drive(g)
    k = check_integer(k, "k", minimum=1, maximum=16)
    if max_cutoff is None:
        max_cutoff = settings.gap_max_cutoff
    max_cutoff = check_integer(max_cutoff, "max_cutoff", minimum=4, maximum=2000)
    d = (max(initial_cutoff(N, g, model=model), 8) if cutoff is None
         else check_integer(cutoff, "cutoff", minimum=4, maximum=2000))
    shifts = slow_mode_shifts(g, model=model)
    while True:
        if d > max_cutoff:
            raise CutoffError(
                f"N = {N}, g = {g} needs a Fock cutoff above max_cutoff = {max_cutoff}: raise "
                "max_cutoff (memory grows roughly as cutoff^3)"
            )
        L = liouvillian(N, g, d, model=model)
        even, odd = parity_sectors(d)
        me = spectrum.sector_slowest_modes(L, even, k, shifts=shifts, within=2.0)
        mo = spectrum.sector_slowest_modes(L, odd, k, shifts=shifts, within=2.0)
        excess = max(_truncation(me, k, d), _truncation(mo, k, d))
        if excess <= 1:
            break
        if d >= max_cutoff:
            raise CutoffError(
                f"the slowest Liouvillian modes at N = {N}, g = {g} are not converged in {d} "
                f"Fock levels ({excess:.1e} times the tolerance): raise max_cutoff"
            )
        d = min(max_cutoff, int(math.ceil(1.4 * d)))
    return SectorGaps(
        float(N), float(g), min(me.gap, mo.gap), me.gap, mo.gap,
        me.eigenvalues[:k], mo.eigenvalues[:k], me.error, mo.error, d, excess,
    )


def liouvillian_gap(
    N: float,
    g: float,
    *,
    model: TwoPhotonModel = PAPER,
    cutoff: int | None = None,
    max_cutoff: int | None = None,
) -> float:
    r"""The Liouvillian gap: the smallest nonzero :math:`|\mathrm{Re}\,\lambda|`.

    The smaller of the two sector gaps of :func:`sector_gaps` (the Liouvillian is block
    diagonal, so its spectrum is the union of theirs): the odd one on both sides of
    :math:`G_c` at the book's parameters, exponentially small in N above it.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.twophoton`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.
    cutoff : int, optional
        Starting Fock cutoff; default from the mean field.
    max_cutoff : int, optional
        The largest cutoff allowed, default ``epcore.settings.gap_max_cutoff``.

    Returns
    -------
    float
        The gap, in the units of the rates.

    Raises
    ------
    ValueError
        Bad input, a truncation that cannot be trusted, or a gap below its own round-off.
    """
    res = sector_gaps(N, g, model=model, k=1, cutoff=cutoff, max_cutoff=max_cutoff)
    error = res.even_error if res.even_gap <= res.odd_gap else res.odd_error
    if error > 0.5 * res.gap:
        raise ValueError(
            f"the Liouvillian gap at N = {N}, g = {g} is {res.gap:.1e} +- {error:.0e}: below "
            "the round-off of double precision; use a smaller N"
        )
    return res.gap
