r"""Single-mode example states and their closed-form entropies (the Wehrl-entropy chapter).

The squeezed vacuum and the cat are built here, the coherent and thermal states come straight
from QuTiP (``qutip.coherent_dm``, ``qutip.thermal_dm``; the von Neumann entropy is
``qutip.entropy_vn``); next to them the closed-form Wehrl entropies (Eq. 4) and Lieb's bound.
"""

from __future__ import annotations

import numpy as np
import qutip

from ..models import (
    check_complex,
    check_integer,
    check_real,
)
from .checks import check_dimension

__all__ = [
    "LIEB_BOUND",
    "squeezed_vacuum",
    "cat",
    "random_state",
    "example_states",
    "thermal_entropy",
    "wehrl_coherent",
    "wehrl_thermal",
    "wehrl_squeezed",
    "wehrl_cat_limit",
]

#: Lieb's bound, the smallest Wehrl entropy (Eq. 4) of any single-mode state, :math:`1 + \ln\pi`,
#: reached by coherent states
LIEB_BOUND = 1.0 + np.log(np.pi)

# --------------------------------------------------------------------------------------------
# example states of chapter 1


def squeezed_vacuum(r: float, d: int) -> qutip.Qobj:
    r"""Squeezed vacuum :math:`S(r)|0\rangle` with real squeezing ``r``.

    The variance of :math:`q = (a + a^\dagger)/\sqrt 2` is :math:`e^{-2r}/2`; the Wehrl entropy is
    :math:`1 + \ln(\pi\cosh r)` (:func:`wehrl_squeezed`).

    Parameters
    ----------
    r : float
        Squeezing parameter (real; ``r > 0`` squeezes :math:`q`).
    d : int
        Number of Fock levels, at least 2.

    Returns
    -------
    qutip.Qobj
        The pure state as a density matrix, ``d x d``, normalized on the truncated space.

    Raises
    ------
    ValueError
        If ``d`` is not an integer ``>= 2``.
    """
    d = check_dimension(d)
    r = check_real(r, "the squeezing r")
    psi = qutip.squeeze(d, r) * qutip.basis(d, 0)
    return qutip.ket2dm(psi.unit())


def cat(alpha: complex, d: int, *, parity: int = +1) -> qutip.Qobj:
    r"""Schrodinger cat :math:`(|\alpha\rangle \pm |{-\alpha}\rangle)/\mathcal{N}`, a pure state.

    For large :math:`|\alpha|` its Husimi function has two disjoint peaks and its Wehrl entropy
    tends to :math:`1 + \ln(2\pi)` (:func:`wehrl_cat_limit`).

    Parameters
    ----------
    alpha : complex
        Amplitude of the two coherent components.
    d : int
        Number of Fock levels, at least 2.
    parity : int, optional
        ``+1`` for the even cat (default), ``-1`` for the odd one.

    Returns
    -------
    qutip.Qobj
        The pure state as a density matrix, ``d x d``.

    Raises
    ------
    ValueError
        If ``parity`` is not ``+1`` or ``-1``, or ``d`` is not an integer ``>= 2``.
    """
    d = check_dimension(d)
    alpha = check_complex(alpha, "the amplitude alpha")
    if parity not in (+1, -1):
        raise ValueError("parity must be +1 (even cat) or -1 (odd cat)")
    if parity == -1 and abs(alpha) < 1e-8:
        raise ValueError(
            f"an odd cat needs alpha != 0 (|alpha> - |-alpha> vanishes), got alpha = {alpha}"
        )
    psi = qutip.coherent(d, alpha) + parity * qutip.coherent(d, -alpha)
    return qutip.ket2dm(psi.unit())


def random_state(n_levels: int, d: int, *, seed: int | None = None, pure: bool = False):
    """Random state supported on the lowest ``n_levels`` Fock levels of a ``d``-level space.

    Mixed states are drawn from the Hilbert-Schmidt ensemble (``qutip.rand_dm``), pure ones from
    the Haar measure (``qutip.rand_ket``). The padding ``d > n_levels`` keeps the top Fock levels
    empty, so the truncation check of :func:`epcore.phasespace.density_matrix` passes.

    Parameters
    ----------
    n_levels : int
        Number of occupied Fock levels, from 1 to ``d - 3``.
    d : int
        Dimension of the Fock space, at least 2.
    seed : int or None, optional
        Seed of the random draw; ``None`` draws a fresh one.
    pure : bool, optional
        Draw a pure state instead of a mixed one.

    Returns
    -------
    qutip.Qobj
        The density matrix, ``d x d``, zero outside the top-left ``n_levels x n_levels`` block.

    Raises
    ------
    ValueError
        If ``n_levels`` is not between 1 and ``d - 3`` (three empty top levels), or ``d`` is
        not an integer ``>= 2``.
    """
    d = check_dimension(d)
    n_levels = check_integer(n_levels, "n_levels", minimum=1)
    if not 1 <= n_levels <= d - 3:
        raise ValueError(f"need 1 <= n_levels <= d - 3 (three empty top levels), got {n_levels}")
    small = qutip.rand_ket(n_levels, seed=seed) if pure else qutip.rand_dm(n_levels, seed=seed)
    small = small.full()
    if pure:
        small = np.outer(small, small.conj())
    full = np.zeros((d, d), dtype=complex)
    full[:n_levels, :n_levels] = small
    return qutip.Qobj(full)


def example_states(d: int = 60, *, alpha: float = 2.0, n: float = 1.0, r: float = 0.6):
    """The four example states of the Wehrl-entropy chapter: coherent, thermal, squeezed and cat.

    Parameters
    ----------
    d : int, optional
        Number of Fock levels of every state.
    alpha : float, optional
        Amplitude of the coherent state and of the cat.
    n : float, optional
        Mean photon number of the thermal state.
    r : float, optional
        Squeezing parameter of the squeezed vacuum.

    Returns
    -------
    dict[str, qutip.Qobj]
        ``"coherent"``, ``"thermal"``, ``"squeezed"`` and ``"cat"`` (even), as density matrices.

    Raises
    ------
    ValueError
        If ``d`` is not an integer ``>= 2`` or ``n < 0``.
    """
    d = check_dimension(d)
    return {
        "coherent": qutip.coherent_dm(d, check_complex(alpha, "the amplitude alpha")),
        "thermal": qutip.thermal_dm(d, check_real(n, "the mean photon number n", minimum=0.0)),
        "squeezed": squeezed_vacuum(r, d),
        "cat": cat(alpha, d),
    }


def thermal_entropy(n: float) -> float:
    r"""Von Neumann entropy of a thermal state, :math:`(n+1)\ln(n+1) - n\ln n`.

    Parameters
    ----------
    n : float
        Mean photon number, ``>= 0``.

    Returns
    -------
    float
        The entropy in nats (zero at ``n = 0``).
    """
    n = check_real(n, "the mean photon number n", minimum=0.0)
    return float((n + 1) * np.log1p(n) - (n * np.log(n) if n > 0 else 0.0))


def wehrl_coherent() -> float:
    r"""Wehrl entropy (Eq. 4) of any coherent state, :math:`1 + \ln\pi`: Lieb's minimum.

    Returns
    -------
    float
        :data:`LIEB_BOUND`.
    """
    return LIEB_BOUND


def wehrl_thermal(n: float) -> float:
    r"""Wehrl entropy (Eq. 4) of a thermal state, :math:`1 + \ln(\pi(n + 1))`.

    Parameters
    ----------
    n : float
        Mean photon number, ``>= 0``.

    Returns
    -------
    float
        The entropy in nats.
    """
    n = check_real(n, "the mean photon number n", minimum=0.0)
    return float(1 + np.log(np.pi) + np.log1p(n))


def wehrl_squeezed(r: float) -> float:
    r"""Wehrl entropy (Eq. 4) of a squeezed vacuum, :math:`1 + \ln(\pi\cosh r)`.

    Parameters
    ----------
    r : float
        Squeezing parameter (real).

    Returns
    -------
    float
        The entropy in nats.
    """
    r = abs(check_real(r, "the squeezing r"))
    # ln cosh r without overflow: r + ln(1 + e^{-2r}) - ln 2
    return float(1 + np.log(np.pi) + r + np.log1p(np.exp(-2 * r)) - np.log(2))


def wehrl_cat_limit() -> float:
    r"""Wehrl entropy (Eq. 4) of a cat for large :math:`|\alpha|`, :math:`1 + \ln(2\pi)`.

    The Husimi function is then two disjoint coherent peaks of weight 1/2 each, which adds
    :math:`\ln 2` to the coherent value.

    Returns
    -------
    float
        The limit in nats.
    """
    return float(1 + np.log(2 * np.pi))

