r"""The two-photon-driven Kerr resonator, its mean field and the Gaussian fluctuations around it.

The Hamiltonian and Liouvillian in a Fock space, the mean-field branches with their stability,
and the N -> infinity entropy balance of the linearized fluctuations on each stable branch.

Mean field. With :math:`\langle a\rangle = \sqrt{N}\beta`, the Heisenberg equation of
:math:`a` under :math:`H` and the dissipator :math:`\kappa D[a] + (\eta/N) D[a^2]`
(:math:`D^\dagger[a](a) = -a/2`, :math:`D^\dagger[a^2](a) = -a^\dagger a^2`, moments factorized)
gives

.. math::

    \dot\beta = -i\left[\Delta + (U - i\eta)|\beta|^2\right]\beta - iG\bar\beta
                - \frac{\kappa}{2}\beta .

Its steady states are :math:`\beta = 0` and the pairs :math:`\pm\beta` with
:math:`n = |\beta|^2` on the curve :math:`G(n)^2 = (\Delta + Un)^2 + (\kappa/2 + \eta n)^2`
(:func:`drive_of_photons`) and
:math:`\beta^2 = -iGn/[\kappa/2 + \eta n + i(\Delta + Un)]`. The symmetric state
:math:`\beta = 0` loses stability at :math:`G_c = \sqrt{\Delta^2 + \kappa^2/4}`
(:func:`critical_drive`).

Fluctuations. Write :math:`a = \sqrt{N}\beta + \delta a` and keep the terms of order
:math:`N^0`. The Hamiltonian gives
:math:`(\Delta + 2Un)\,\delta a^\dagger\delta a
+ \tfrac{U}{2}(\beta^2\delta a^{\dagger 2} + \bar\beta^2\delta a^2)
+ \tfrac{G}{2}(\delta a^{\dagger 2} + \delta a^2)`, and :math:`\kappa D[a]` gives
:math:`\kappa D[\delta a]` (its displacement only enters the mean field). For the two-photon
loss use :math:`D[c + Y]\rho = D[Y]\rho + \tfrac12[\bar c Y - c Y^\dagger, \rho]` with
:math:`c = N\beta^2` and :math:`Y = 2\sqrt{N}\beta\,\delta a + \delta a^2`:

* :math:`(\eta/N) D[Y] = 4\eta n\, D[\delta a] + O(N^{-1/2})`, an extra linear loss;
* the commutator is a Hamiltonian part :math:`H_c = \tfrac{i\eta}{2N}(\bar c Y - c Y^\dagger)`:
  linear in :math:`\delta a` (the :math:`-\eta|\beta|^2\beta` of the mean field) plus the
  squeezing :math:`\tfrac{i\eta}{2}(\bar\beta^2\delta a^2 - \beta^2\delta a^{\dagger 2})`.

So the fluctuations are a quadratic model of the book's form (Eq. C24, losses
:math:`2\kappa' D[\delta a]`):

.. math::

    H_q = \omega\,\delta a^\dagger\delta a + \tfrac12(\Gamma\,\delta a^{\dagger 2}
          + \bar\Gamma\,\delta a^2), \qquad
    \omega = \Delta + 2Un, \quad \Gamma = G + (U - i\eta)\beta^2, \quad
    \kappa' = \frac{\kappa}{2} + 2\eta n,

with drift eigenvalues :math:`-\kappa' \pm \sqrt{|\Gamma|^2 - \omega^2}`. On every nonzero branch
:math:`|\Gamma| = G_c` exactly, so a branch is stable when
:math:`\kappa'^2 + \omega^2 > G_c^2`, i.e. :math:`(U^2 + \eta^2) n > -(\Delta U + \kappa\eta/2)`:
the larger root of the quadratic for :math:`n` is stable, the smaller (when there are two, a
first-order window for :math:`\Delta U + \kappa\eta/2 < 0`) is not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import qutip

from ..balance import GaussianBalance
from ..gaussian import gaussian_balance, gaussian_wehrl, hamiltonian_drift
from ..models import (
    TwoPhotonModel,
    check_array,
    check_complex,
    check_integer,
    check_memory,
    check_real,
)

__all__ = [
    "PAPER",
    "hamiltonian",
    "liouvillian",
    "parity_sectors",
    "critical_drive",
    "MeanFieldBranch",
    "drive_of_photons",
    "mean_field",
    "fluctuation_matrix",
    "fluctuation_loss",
    "linearized_branches",
]

PAPER = TwoPhotonModel()  # documented in epcore.twophoton

_SIZE_HINT = " (the Kerr and two-photon-loss terms scale as 1/N)"
_DRIVE_HINT = " (the two-photon drive (G/2)(a^dag^2 + a^2))"


def check_size(N) -> float:
    """The system size ``N`` (a real number > 0), checked with :func:`epcore.models.check_real`."""
    return check_real(N, "the size N", positive=True, hint=_SIZE_HINT)


def check_drive(g) -> float:
    """The two-photon drive ``g`` (a real number >= 0), checked with ``check_real``."""
    return check_real(g, "the drive g", minimum=0.0, hint=_DRIVE_HINT)


# ------------------------------------------------------------------------------ operators


def hamiltonian(N: float, g: float, cutoff: int, *, model: TwoPhotonModel = PAPER) -> qutip.Qobj:
    r"""The Hamiltonian of the two-photon-driven Kerr resonator in ``cutoff`` Fock levels.

    The Hamiltonian is typeset in :class:`~epcore.models.TwoPhotonModel`.

    Parameters
    ----------
    N : float
        System size, ``> 0``: the Kerr coefficient is :math:`U/2N`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    cutoff : int
        Number of Fock levels, ``>= 2``.
    model : TwoPhotonModel, optional
        Detuning and Kerr nonlinearity (the loss rates are not used); default :data:`PAPER`.

    Returns
    -------
    qutip.Qobj
        The Hermitian operator.
    """
    N, g = check_size(N), check_drive(g)
    d = check_integer(cutoff, "the Fock cutoff", minimum=2, maximum=100_000)
    a = qutip.destroy(d)
    ad = a.dag()
    return model.delta * ad * a + model.u / (2 * N) * ad * ad * a * a + g / 2 * (ad * ad + a * a)


def liouvillian(N: float, g: float, cutoff: int, *, model: TwoPhotonModel = PAPER) -> qutip.Qobj:
    r"""The Liouvillian: :func:`hamiltonian` and the losses :math:`\kappa D[a] + (\eta/N) D[a^2]`.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.twophoton`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    cutoff : int
        Number of Fock levels, ``>= 2``.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    qutip.Qobj
        The superoperator, of dimension ``cutoff**2`` (QuTiP's column stacking).

    Raises
    ------
    epcore.errors.MemoryLimitError
        A superoperator beyond ``epcore.settings.memory_limit``.
    """
    H = hamiltonian(N, g, cutoff, model=model)
    d = int(cutoff)
    # about 8 nonzero elements per column of the d^2 x d^2 superoperator, built in stages
    check_memory(16 * 40 * d * d, f"a Liouvillian of {d} Fock levels ({d * d} dimensions)",
                 fits="a smaller cutoff")
    a = qutip.destroy(d)
    c_ops = [math.sqrt(model.kappa) * a]
    if model.eta > 0:
        c_ops.append(math.sqrt(model.eta / float(N)) * a * a)
    return qutip.liouvillian(H, c_ops)


def parity_sectors(cutoff: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Indices of the :math:`\mathbb{Z}_2`-even and -odd sectors of a column-stacked Liouvillian.

    The parity :math:`a \to -a` (the superoperator :math:`\rho \mapsto e^{i\pi a^\dagger a}\rho\,
    e^{-i\pi a^\dagger a}`) commutes with the Liouvillian, which is therefore block diagonal:
    the element :math:`|n\rangle\langle m|` (index ``n + cutoff * m`` in QuTiP's column
    stacking) is even when :math:`n + m` is even and odd otherwise. The steady state lies in the
    even sector, which also holds the whole diagonal (the trace).

    Parameters
    ----------
    cutoff : int
        Number of Fock levels, ``>= 2``.

    Returns
    -------
    tuple of numpy.ndarray
        ``(even, odd)``, sorted integer index arrays.
    """
    d = check_integer(cutoff, "the Fock cutoff", minimum=2, maximum=100_000)
    check_memory(8 * 4 * d * d, f"the index arrays of {d * d} elements", fits="a smaller cutoff")
    idx = np.arange(d * d)
    odd = (idx % d + idx // d) % 2 == 1
    return idx[~odd], idx[odd]


# ----------------------------------------------------------------------------- mean field


def critical_drive(*, model: TwoPhotonModel = PAPER) -> float:
    r"""The critical drive :math:`G_c = \sqrt{\Delta^2 + \kappa^2/4}` of the symmetric state.

    The drift of the fluctuations around :math:`\beta = 0` has eigenvalues
    :math:`-\kappa/2 \pm \sqrt{G^2 - \Delta^2}`; the larger crosses zero at :math:`G_c`. For
    :math:`\Delta U + \kappa\eta/2 \geq 0` (the book's parameters) the new branches start from
    :math:`n = 0` there: a continuous transition that breaks the :math:`\mathbb{Z}_2` symmetry.
    Book parameters: :math:`G_c = 1/2`.

    Parameters
    ----------
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    float
        :math:`G_c`.

    Examples
    --------
    >>> from epcore import twophoton
    >>> twophoton.critical_drive()  # sqrt(Delta^2 + kappa^2/4), kappa = 1
    0.5
    """
    return math.hypot(model.delta, model.kappa / 2)


@dataclass(frozen=True)
class MeanFieldBranch:
    r"""One mean-field steady state :math:`\beta = \langle a\rangle/\sqrt{N}`.

    Attributes
    ----------
    beta : complex
        Mean field per unit :math:`\sqrt{N}`.
    n : float
        :math:`|\beta|^2`.
    stable : bool
        Whether both eigenvalues of the linearized drift have negative real parts (a branch
        exactly at a turning point or at :math:`G_c` is marginal and counts as unstable).
    eigenvalues : tuple of complex
        The two eigenvalues :math:`-\kappa' \pm \sqrt{|\Gamma|^2 - \omega^2}` of the
        linearized drift (module docstring).
    """

    beta: complex
    n: float
    stable: bool
    eigenvalues: tuple[complex, complex]


def drive_of_photons(n, *, model: TwoPhotonModel = PAPER):
    r"""The drive at which a nonzero mean-field branch has :math:`|\beta|^2 = n`.

    .. math::

        G(n) = \sqrt{(\Delta + Un)^2 + (\kappa/2 + \eta n)^2},

    the modulus of the steady-state condition
    :math:`[\kappa/2 + \eta n + i(\Delta + Un)]\beta = -iG\bar\beta`. :math:`G(0) = G_c`.

    Parameters
    ----------
    n : float or array_like
        Mean-field photon number per unit size, ``>= 0``.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    float or numpy.ndarray
        :math:`G(n)`, of the shape of ``n``.

    Raises
    ------
    ValueError
        A negative, non-finite or unrepresentable ``n``.
    """
    n = check_array(n, "the photon number n", minimum=0.0, bounded=True)
    out = np.hypot(model.delta + model.u * n, model.kappa / 2 + model.eta * n)
    if not np.all(np.isfinite(out)):
        raise ValueError("the drive overflows double precision for these n: rescale the units")
    return float(out) if out.ndim == 0 else out


def _photon_roots(g: float, model: TwoPhotonModel) -> list[tuple[float, bool]]:
    r"""``(n, stable)`` of the nonzero branches: the positive roots of
    :math:`(U^2 + \eta^2) n^2 + 2bn + (G_c - G)(G_c + G) = 0`, :math:`b = \Delta U + \kappa\eta/2`,
    each computed in the form free of cancellation; the root with :math:`+\sqrt{\cdot}` is the
    stable one (module docstring)."""
    kappa, delta, u, eta = model.kappa, model.delta, model.u, model.eta
    gc = critical_drive(model=model)
    # scale by the largest frequency so that the squares below cannot overflow
    scale = max(abs(kappa), abs(delta), abs(u), abs(eta), g)
    k, dl, uu, et, gg, gcs = (x / scale for x in (kappa, delta, u, eta, g, gc))
    a2 = uu * uu + et * et
    b = dl * uu + k * et / 2
    c0 = (gcs - gg) * (gcs + gg)
    disc = b * b - a2 * c0
    if not (disc > 0 or (disc == 0 and b < 0)):
        return []
    r = math.sqrt(max(disc, 0.0))
    if b >= 0:
        # the root -(b + r)/a2 is <= 0; the other, c0 / (a2 n_1) = -c0 / (b + r), is stable
        roots = [(-c0 / (b + r), r > 0)] if b + r > 0 else []
    else:
        big = (-b + r) / a2
        roots = [(c0 / (-b + r), False), (big, r > 0)] if r > 0 else [(big, False)]
    # every coefficient of the quadratic is homogeneous of degree 2 in the rates and the
    # drive, so the roots n are the same in the scaled units
    out = [(n, s) for n, s in roots if n > 0]
    if not all(math.isfinite(n) for n, _ in out):
        raise ValueError(f"the mean field at g = {g} is not representable: rescale the units")
    return sorted(out)


def _drift_eigenvalues(kprime: float, omega: float, gamma_abs2: float) -> tuple[complex, complex]:
    root = np.sqrt(complex(gamma_abs2 - omega * omega))
    return (complex(-kprime + root), complex(-kprime - root))


def fluctuation_loss(n: float, *, model: TwoPhotonModel = PAPER) -> float:
    r"""The loss rate :math:`\kappa' = \kappa/2 + 2\eta n` of the fluctuations on a branch.

    In the book's form :math:`2\kappa' D[\delta a]`: :math:`\kappa D[a]` contributes
    :math:`\kappa/2` and the linearized two-photon loss :math:`(\eta/N)D[a^2]` contributes
    :math:`4\eta n\, D[\delta a]` (module docstring).

    Parameters
    ----------
    n : float
        :math:`|\beta|^2` of the branch, ``>= 0``.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    float
        :math:`\kappa'`.
    """
    n = check_real(n, "the photon number n", minimum=0.0)
    return model.kappa / 2 + 2 * model.eta * n


def mean_field(g: float, *, model: TwoPhotonModel = PAPER) -> list[MeanFieldBranch]:
    r"""Every mean-field steady state at drive ``g``, stable or not.

    The symmetric state :math:`\beta = 0` first (stable for :math:`G < G_c`), then for each
    positive root :math:`n` of :math:`G(n) = G` (:func:`drive_of_photons`), lowest first, the
    two symmetric branches :math:`+\beta` (principal square root of
    :math:`\beta^2 = -iGn/[\kappa/2 + \eta n + i(\Delta + Un)]`) and :math:`-\beta`.

    Parameters
    ----------
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    list of MeanFieldBranch
        The branches with their stability and drift eigenvalues.

    Raises
    ------
    ValueError
        A negative or non-finite drive, or a mean field beyond double precision.
    """
    g = check_drive(g)
    kappa, delta, u, eta = model.kappa, model.delta, model.u, model.eta
    gc = critical_drive(model=model)
    out = [MeanFieldBranch(0j, 0.0, bool(g < gc),
                           _drift_eigenvalues(kappa / 2, delta, g * g))]
    for n, stable in _photon_roots(g, model):
        phase = -1j * g / complex(kappa / 2 + eta * n, delta + u * n)
        phase /= abs(phase)
        beta = math.sqrt(n) * np.sqrt(phase)
        gamma = g + complex(u, -eta) * beta * beta
        ev = _drift_eigenvalues(fluctuation_loss(n, model=model), delta + 2 * u * n,
                                abs(gamma) ** 2)
        for b in (beta, -beta):
            out.append(MeanFieldBranch(complex(b), float(n), bool(stable), ev))
    return out


# --------------------------------------------------------------- Gaussian thermodynamic limit


def fluctuation_matrix(beta: complex, g: float, *, model: TwoPhotonModel = PAPER) -> np.ndarray:
    r"""``G`` of the fluctuation Hamiltonian :math:`H_q = R^T G R/2`, :math:`R = (q, p)`.

    :math:`H_q = \omega\,\delta a^\dagger\delta a + \tfrac12(\Gamma\delta a^{\dagger 2}
    + \bar\Gamma\delta a^2)` with
    :math:`\omega = \Delta + 2U|\beta|^2` and
    :math:`\Gamma = G + (U - i\eta)\beta^2`, which holds the squeezing of the coherent part of
    the linearized two-photon loss (module docstring). With
    :math:`\Gamma = x + iy`, :math:`G = ((\omega + x, y), (y, \omega - x))` (a constant
    dropped).

    Parameters
    ----------
    beta : complex
        Mean field per unit :math:`\sqrt{N}` of a branch.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    numpy.ndarray
        The real symmetric 2 x 2 matrix.
    """
    beta = check_complex(beta, "the mean field beta")
    g = check_drive(g)
    n = abs(beta) ** 2
    omega = model.delta + 2 * model.u * n
    gamma = g + complex(model.u, -model.eta) * beta * beta
    G = np.array([[omega + gamma.real, gamma.imag], [gamma.imag, omega - gamma.real]])
    if not np.all(np.isfinite(G)):
        raise ValueError("the fluctuation Hamiltonian overflows: rescale the units")
    return G


def linearized_branches(g: float, *, model: TwoPhotonModel = PAPER) -> list[GaussianBalance]:
    r"""N -> infinity entropy balance of the Gaussian fluctuations on each stable branch.

    The book's Gaussian closed forms (:func:`epcore.gaussian.gaussian_balance`) for
    :math:`A_H = \Omega G` of :func:`fluctuation_matrix` and the loss
    :math:`2\kappa' D[\delta a]`, :math:`\kappa' = \kappa/2 + 2\eta n`:

    .. math::

        \Pi_u = -\tfrac12\mathrm{tr}(A_H S^{-1}), \quad
        \Pi_d = \kappa'\,\mathrm{tr}(S - 2I + S^{-1}), \quad
        \Phi_q = \kappa'(\mathrm{tr} S - 2),

    with :math:`\Pi_u + \Pi_d = \Phi_q` (Eq. 10) to round-off. :math:`\Pi_{ext} = \Phi_{ext}
    = n(\kappa + 2\eta n)` per unit :math:`N` is the mean-field flux: what the coherent parts
    of the two loss channels, :math:`\sqrt{\kappa}\langle a\rangle` and
    :math:`\sqrt{\eta/N}\langle a^2\rangle`, carry away,
    :math:`\kappa|\langle a\rangle|^2 + (2\eta/N)|\langle a^2\rangle|^2` (not
    :math:`2\kappa' n`: the extra loss :math:`4\eta n D[\delta a]` acts on the fluctuations
    only). The two symmetric branches :math:`\pm\beta` give the same balance. At
    :math:`G = G_c` no branch is stable and the list is empty.

    Parameters
    ----------
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    list of GaussianBalance
        One per stable branch, in the order of :func:`mean_field`. Diagnostic fields: those of
        :func:`epcore.gaussian.gaussian_balance` (``covariance``, ``husimi_cov``, ``cond``),
        ``beta``, ``n``, ``loss_rate`` (:math:`\kappa'`), ``wehrl`` (of the fluctuations),
        ``fluct_photons`` (:math:`\langle\delta a^\dagger\delta a\rangle`) and ``fluct_pair``
        (:math:`\langle\delta a^2\rangle`, complex).
    """
    out = []
    for br in mean_field(g, model=model):
        if not br.stable:
            continue
        kprime = fluctuation_loss(br.n, model=model)
        A_H = hamiltonian_drift(fluctuation_matrix(br.beta, g, model=model))
        gb = gaussian_balance(A_H, [kprime])
        s = gb.covariance
        ext = br.n * (model.kappa + 2 * model.eta * br.n)
        out.append(gb.replace(
            pi_ext=ext, phi_ext=ext,
            beta=br.beta,
            n=br.n,
            loss_rate=kprime,
            wehrl=gaussian_wehrl(gb.husimi_cov),
            fluct_photons=float((s[0, 0] + s[1, 1] - 1) / 2),
            fluct_pair=complex((s[0, 0] - s[1, 1]) / 2 + 1j * s[0, 1]),
        ))
    return out
