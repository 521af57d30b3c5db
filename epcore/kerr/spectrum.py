r"""The slowest modes of the Kerr Liouvillian (Eq. B1): its gap and spectrum, with checks.

The Liouvillian of :func:`epcore.kerr.liouvillian` in a Fock cutoff grown until the slowest
eigenmodes are converged in it (:func:`liouvillian_spectrum`, :func:`liouvillian_gap`,
:func:`slowest_mode`), searched with the generic :func:`epcore.spectrum.slowest_modes` around 0
and around the drift eigenvalues of the stable mean-field branches
(:func:`slow_mode_shifts`). ``epcore.kerr.switching`` builds on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import qutip

from ..errors import CutoffError
from ..models import KerrModel, check_drive, check_integer, check_size
from ..phasespace import CUTOFF_TOL
from ..settings import settings
from ..spectrum import SlowModes, slowest_modes
from ..threads import blas_threads
from .exact import initial_cutoff
from .model import PAPER, liouvillian, mean_field

__all__ = [
    "GapResult",
    "MAX_SLOW_MODES",
    "liouvillian_spectrum",
    "liouvillian_gap",
    "slow_mode_shifts",
    "slowest_mode",
]


@dataclass(frozen=True)
class GapResult:
    """Slowest modes of the Kerr Liouvillian at one ``(N, eps)``.

    Attributes
    ----------
    N, eps : float
        Size and drive.
    gap : float
        Modulus of the real part of ``eigenvalues[0]``.
    error : float
        Round-off gauge of the gap: the spread between two different deflations of the zero
        eigenvalue, or the backward error of the slowest mode
        (:attr:`epcore.spectrum.SlowModes.error`).
    eigenvalues : numpy.ndarray
        The ``k`` nonzero eigenvalues of smallest ``|Re|``, sorted by it, with their imaginary
        parts (the slowest one is real inside the bistable window, a damped oscillation
        ``-kappa' +- i omega`` outside it).
    cutoff : int
        Fock levels used.
    top_population : float
        Weight of the top three Fock levels in the slowest eigenmode (trace norm 1), the
        truncation check (the other modes are checked too, see :func:`liouvillian_spectrum`).
    norm : float
        The 1-norm of the Liouvillian.
    method : str
        ``"dense"`` or ``"shift-invert"`` (:func:`epcore.spectrum.slowest_modes`).
    """

    N: float
    eps: float
    gap: float
    error: float
    eigenvalues: np.ndarray
    cutoff: int
    top_population: float
    norm: float = field(default=float("nan"))
    method: str = "shift-invert"

    @property
    def frequency(self) -> float:
        """``|Im|`` of the slowest eigenvalue, 0 when the slowest mode does not oscillate."""
        return float(abs(self.eigenvalues[0].imag))


#: Largest top-three-level weight allowed for a mode found near the slowest ones (within twice
#: their rate) but not among them: looser than ``CUTOFF_TOL``, since such modes converge slowly
#: with the cutoff, yet strict enough to catch a mode that lives at the truncation edge.
COMPANION_TOL = 1e-6


def _truncation(modes: SlowModes, k: int, d: int) -> float:
    """How far the modes returned are from being converged in the cutoff: the largest ratio of
    the weight of a mode's top three Fock levels to its tolerance (``CUTOFF_TOL`` for the ``k``
    slowest, ``COMPANION_TOL`` for the others found within twice their rate); above 1, grow the
    cutoff. A mode that is not converged can sit anywhere: at N = 10, eps = 0.635 and 26 levels
    a truncated switching mode sits at -0.52, just behind the slowest oscillation at -0.50, and
    moves to -0.35, the true gap, with ten more levels."""
    tops = [_top_weight(modes.vectors[:, j], d) for j in range(modes.vectors.shape[1])]
    return max(top / (CUTOFF_TOL if j < k else COMPANION_TOL) for j, top in enumerate(tops))


def _top_weight(vector: np.ndarray, d: int) -> float:
    """Weight of the top three Fock levels of an eigenmode, in units of its trace norm."""
    mode = vector.reshape(d, d, order="F")
    norm = np.abs(np.linalg.eigvalsh((mode + mode.conj().T) / 2)).sum()
    return float(np.abs(np.diag(mode))[-3:].sum() / max(norm, 1e-300))


#: The most slow modes :func:`liouvillian_spectrum` returns.
MAX_SLOW_MODES = 64


def slow_mode_shifts(eps: float, *, model: KerrModel = PAPER) -> tuple[complex, ...]:
    """Where the slow oscillating modes of the Kerr Liouvillian lie for large N.

    The eigenvalues ``-kappa + i omega`` of the drift of the fluctuations around each stable
    mean-field branch (:func:`epcore.kerr.mean_field`), the upper one of each conjugate pair
    (the Liouvillian preserves Hermiticity, so the lower one comes with it). At finite N the
    Liouvillian's eigenvalues lie within O(1/N) of them.

    Parameters
    ----------
    eps : float
        Drive per unit size, ``>= 0``.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.

    Returns
    -------
    tuple of complex
        One shift per stable branch, lowest branch first.

    Raises
    ------
    ValueError
        A negative or non-finite drive.
    """
    return tuple(max(b.eigenvalues, key=lambda z: z.imag)
                 for b in mean_field(eps, model=model) if b.stable)


def liouvillian_spectrum(
    N: float,
    eps: float,
    *,
    model: KerrModel = PAPER,
    k: int = 4,
    cutoff: int | None = None,
    max_cutoff: int | None = None,
) -> GapResult:
    """The ``k`` slowest nonzero eigenvalues of the Kerr Liouvillian (Eq. B1), with checks.

    Slowest means smallest ``|Re lambda|``, whatever the imaginary part
    (:func:`epcore.spectrum.slowest_modes`): a dense diagonalisation for cutoffs up to 30;
    beyond, shift-invert Arnoldi around 0, after an exact deflation of the steady state (since
    ``tr(L X) = 0`` for every X, ``<1|`` is the left eigenvector of the eigenvalue 0 and
    ``L - c |v><1|`` with ``<1|v> = 1`` has the same spectrum except that 0 moves to ``-c``),
    and around the drift eigenvalues ``-kappa + i omega`` of each stable mean-field branch,
    where the slowly decaying coherences lie (outside the bistable window the slowest mode is
    such a coherence). Around 0 the solve is done twice, with ``v`` the vacuum and the top Fock
    state and ``c = 50 kappa, 100 kappa``: the two gaps differ only by round-off, and their
    difference is reported as ``error``.

    The Fock cutoff starts at :func:`epcore.kerr.initial_cutoff` (as for the steady state) and
    grows by 40%, up to ``max_cutoff``, while one of the ``k`` slowest eigenmodes holds more than
    ``CUTOFF_TOL`` in its top three Fock levels, or another mode found within twice their rate
    more than ``COMPANION_TOL``: a mode not converged in the cutoff can sit far from its true
    place, even behind the slowest ones.

    Parameters
    ----------
    N, eps : float
        Size and drive (``E = eps sqrt(N)``).
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.
    k : int
        Number of eigenvalues returned (>= 1).
    cutoff, max_cutoff : int, optional
        Starting Fock cutoff (default from the mean field) and the largest one allowed
        (default ``epcore.settings.max_cutoff``).

    Returns
    -------
    GapResult
        The slowest eigenvalues with the gap, its error and the cutoff used.

    Raises
    ------
    ValueError
        Bad input.
    epcore.errors.CutoffError
        A cutoff that would exceed ``max_cutoff``, or a slowest mode not converged in it.
    """
    N, eps = check_size(N), check_drive(eps)
    k = check_integer(k, "k", minimum=1, maximum=MAX_SLOW_MODES)
    modes, L, d = _converged_modes(N, eps, model, k, cutoff, max_cutoff)
    return GapResult(float(N), float(eps), modes.gap, modes.error, modes.eigenvalues[:k], d,
                     _top_weight(modes.vectors[:, 0], d),
                     float(abs(L.data.as_scipy()).sum(axis=0).max()), modes.method)


def _converged_modes(N: float, eps: float, model: KerrModel, k: int, cutoff: int | None,
                     max_cutoff: int | None) -> tuple[SlowModes, qutip.Qobj, int]:
    """The ``k`` slowest modes in a Fock cutoff grown until they are converged (see
    :func:`liouvillian_spectrum`), with the Liouvillian and the cutoff."""
    if max_cutoff is None:
        max_cutoff = settings.max_cutoff
    max_cutoff = check_integer(max_cutoff, "max_cutoff", minimum=2)
    d = (
        initial_cutoff(N, eps, model=model)
        if cutoff is None
        else check_integer(cutoff, "cutoff", minimum=2)
    )
    shifts = slow_mode_shifts(eps, model=model)
    while True:
        if d > max_cutoff:
            raise CutoffError(
                f"N = {N}, eps = {eps} needs a Fock cutoff above max_cutoff = {max_cutoff}: "
                "raise max_cutoff (memory grows roughly as cutoff^3)"
            )
        L = liouvillian(N, eps, d, model=model)
        modes = slowest_modes(L, k, shifts=shifts, within=2.0)
        excess = _truncation(modes, k, d)
        if excess <= 1:
            return modes, L, d
        if d >= max_cutoff:
            raise CutoffError(
                f"the slowest Liouvillian modes at N = {N}, eps = {eps} are not converged in "
                f"{d} Fock levels (top three hold {excess:.1e} times the tolerance): raise "
                "max_cutoff"
            )
        d = min(max_cutoff, int(math.ceil(1.4 * d)))


def liouvillian_gap(
    N: float,
    eps: float,
    *,
    model: KerrModel = PAPER,
    cutoff: int | None = None,
    max_cutoff: int | None = None,
) -> float:
    """The Liouvillian gap: smallest nonzero ``|Re lambda|`` of the Kerr Liouvillian (Eq. B1).

    The rate at which the slowest deviation from the steady state decays; inside the bistable
    window it is the sum of the two switching rates between the metastable branches. See
    :func:`liouvillian_spectrum` for the method and its checks.

    Parameters
    ----------
    N, eps : float
        Size and drive.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.
    cutoff, max_cutoff : int
        Fock cutoff (default from the mean field) and the largest one allowed (default
        ``epcore.settings.max_cutoff``).

    Returns
    -------
    float
        The gap, in units of the rates.

    Raises
    ------
    ValueError
        Bad input, a truncation that cannot be trusted, or a gap below its own round-off
        (``error > gap / 2``: the gap is beyond double precision at this N).
    """
    res = liouvillian_spectrum(N, eps, model=model, k=1, cutoff=cutoff,
                               max_cutoff=max_cutoff)
    if res.error > 0.5 * res.gap:
        raise ValueError(
            f"the Liouvillian gap at N = {N}, eps = {eps} is {res.gap:.1e} +- {res.error:.0e}: "
            "below the round-off of double precision; use a smaller N"
        )
    return res.gap


def slowest_mode(
    N: float,
    eps: float,
    *,
    model: KerrModel = PAPER,
    cutoff: int | None = None,
    max_cutoff: int | None = None,
) -> tuple[complex, np.ndarray]:
    r"""The slowest nonzero eigenvalue of the Kerr Liouvillian and its right eigenvector.

    The mode of :func:`liouvillian_spectrum` (same search and cutoff rule), with its
    eigenvector. The eigenvector of a real eigenvalue of a Hermiticity-preserving
    :math:`\mathcal L` can be taken Hermitian; it is returned as a Hermitian, traceless
    :math:`d\times d` matrix of trace norm 1, its largest diagonal element positive.

    Parameters
    ----------
    N, eps : float
        Size and drive (``E = eps sqrt(N)``).
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.
    cutoff, max_cutoff : int, optional
        Starting Fock cutoff (default :func:`epcore.kerr.initial_cutoff`) and the largest one
        (default ``epcore.settings.max_cutoff``).

    Returns
    -------
    eigenvalue : complex
        :math:`\lambda_1`, the nonzero eigenvalue of smallest :math:`|\mathrm{Re}\,\lambda|`.
    mode : numpy.ndarray
        The eigenvector :math:`r_1` as a density-matrix-shaped array.

    Raises
    ------
    ValueError
        Bad input.
    epcore.errors.CutoffError
        The mode is not converged within ``max_cutoff``.
    ValueError
        The slowest mode oscillates (outside the bistable window).
    """
    N, eps = check_size(N), check_drive(eps)
    with blas_threads():
        modes, _, d = _converged_modes(N, eps, model, 1, cutoff, max_cutoff)
    lam = complex(modes.eigenvalues[0])
    if abs(lam.imag) > max(1e-6 * abs(lam.real), 1e-8 * model.kappa):  # beyond round-off
        raise ValueError(
            f"the slowest mode at N = {N}, eps = {eps} oscillates (lambda_1 = {lam:.4g}): it is "
            "not a difference of branch states; choose a drive inside the bistable window"
        )
    mode = modes.vectors[:, 0].reshape(d, d, order="F")
    k = np.argmax(np.abs(np.diag(mode)))
    mode = mode * (abs(mode[k, k]) / mode[k, k])
    mode = (mode + mode.conj().T) / 2
    mode /= np.abs(np.linalg.eigvalsh(mode)).sum()
    return lam, mode
