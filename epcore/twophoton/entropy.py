r"""The finite-N steady state of the two-photon resonator and its entropy balance.

The split of Eqs. (5)-(10) for two loss channels. The book's single channel
:math:`2\kappa D[a]` is split by the paper into a coherent part, carried by the mean
:math:`\langle a\rangle` (:math:`\Pi_{ext} = \Phi_{ext}`, Eq. 9), and the fluctuations
(:math:`\Pi_d`, :math:`\Phi_q`). The same split is made here for each loss operator :math:`L`,
with :math:`D[L] = D[L - \langle L\rangle] + \tfrac12[\overline{\langle L\rangle} L -
\langle L\rangle L^\dagger, \cdot\,]`:

* the coherent parts, :math:`\sqrt\kappa\langle a\rangle` (a displacement) and
  :math:`\sqrt{\eta/N}\,c`, :math:`c = \langle a^2\rangle` (the squeezing Hamiltonian
  :math:`H_c = \tfrac{i\eta}{2N}(\bar c a^2 - c a^{\dagger 2})`), carry the flux
  :math:`\Phi_{ext}`; :math:`H_c` also produces Wehrl entropy, which joins :math:`\Pi_u`;
* the incoherent parts :math:`\kappa D[a - m]` and :math:`(\eta/N) D[a^2 - c]`,
  :math:`m = \langle a\rangle`, carry :math:`\Phi_q` and produce :math:`\Pi_d`.

As in the book, the flux of a loss channel is the rate at which it removes
:math:`\langle a a^\dagger\rangle = \int |\mu|^2 Q\, d^2\mu` (Eq. 5 for :math:`2\kappa D[a]`), and
:math:`\Phi_q` is that rate for the second moment of :math:`Q` about its mean. With
:math:`A = \langle\mu|a\rho|\mu\rangle/\pi`, :math:`K = \langle\mu|a^2\rho|\mu\rangle/\pi` and
:math:`P = \langle\mu|a^2\rho a^\dagger|\mu\rangle/\pi` (each exact, no grid derivative):

.. math::

    \Phi_{ext} = \Pi_{ext} &= \kappa|m|^2 + \frac{2\eta}{N}|c|^2 + F, \\
    \Phi_q &= \kappa(\langle a^\dagger a\rangle - |m|^2)
        + \frac{2\eta}{N}\left(\langle a^{\dagger 2}a^2\rangle - |c|^2\right) - F, \\
    \Pi_u &= -\int \mathcal{U}_{H + H_c}(Q)\ln Q\, d^2\mu, \\
    \Pi_d &= \kappa\int\frac{|A - mQ|^2}{Q}\, d^2\mu
        + \frac{\eta}{N}\left[\mathrm{Re}\int\frac{(P + \bar\mu K)\bar A - \bar c A^2}{Q}\,
        d^2\mu - |c|^2\right] - F,

with :math:`F = \tfrac{2\eta}{N}\mathrm{Re}[\bar m(\langle a^\dagger a^2\rangle - c\bar m)]`, the
share of the two-photon flux that moves the mean (zero in the symmetric steady state, where
:math:`m = 0`; with it, the fluctuations of a state on one branch approach the Gaussian closed
forms of :func:`epcore.twophoton.linearized_branches`). The two-photon part of :math:`\Pi_d` is
:math:`-(\eta/N)\int (D[a^2 - c]\rho)_Q \ln Q` plus its flux, integrated by parts with
:math:`\partial_\mu Q = \bar A - \bar\mu Q` (Eq. B3). Then :math:`\Pi_{ext} + \Pi_u + \Pi_d -
\Phi_{ext} - \Phi_q = -\int \partial_t Q \ln Q = dS/dt` (Eq. 1), and in a steady state
:math:`\Pi_u + \Pi_d = \Phi_q` (Eq. 10), an identity of the exact state that the phase-space
integrals on one side and the complex-P moments on the other must reproduce.

:math:`\Pi_d` is not a sum of squares for the two-photon channel (its Husimi equation has
third and fourth derivatives): its sign is not fixed in general.
"""

from __future__ import annotations

import math
import sys

import numpy as np
import qutip

from ..balance import ModeBalance
from ..errors import CutoffError, IllConditionedError
from ..models import TwoPhotonModel, check_integer, check_memory
from ..phasespace import CUTOFF_TOL, coherent_expectations, density_matrix, husimi_data
from ..settings import settings
from ..threads import limit_blas_threads
from .exact import (
    exact_density_matrix,
    exact_fluctuations,
    fock_cutoff,
    initial_cutoff,
    series_length,
)
from .model import PAPER, check_drive, check_size, liouvillian

__all__ = [
    "METHODS",
    "MOMENT_TOL",
    "RESIDUAL_TOL",
    "memory_estimate",
    "steady_state",
    "state_balance",
    "balance_of_state",
    "entropy_production",
]

METHODS = ("complex-p", "qutip")  # documented in epcore.twophoton
MOMENT_TOL = 1e-8  # documented in epcore.twophoton
RESIDUAL_TOL = 1e-8  # documented in epcore.twophoton
#: Largest deviation of the trace of the complex-P state from 1 beyond its Fock tail.
_TRACE_TOL = 1e-9
#: Largest odd-parity element of a QuTiP steady state, relative to its largest element.
_PARITY_TOL = 1e-8


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return method


# ------------------------------------------------------------------------------ memory


def memory_estimate(
    N: float, g: float, cutoff: int, *, method: str = METHODS[0],
    model: TwoPhotonModel = PAPER,
) -> float:
    r"""Estimated peak memory of :func:`steady_state` plus :func:`balance_of_state`, in bytes.

    ``'complex-p'``: the larger of the matrix :math:`V` (``cutoff`` x twice the series length)
    and the phase-space arrays (about ten dense ``cutoff x cutoff`` complex matrices and as many
    grid arrays, sized as :func:`epcore.phasespace.polar_grid` does). ``'qutip'``: the sparse LU
    of the ``cutoff**2``-dimensional Liouvillian (scaled from the Kerr measurement, 0.5 GB at
    ``cutoff = 300``, as ``cutoff**3``) plus the phase-space arrays.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.twophoton`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    cutoff : int
        Fock cutoff of the state.
    method : str, optional
        The route of :func:`steady_state` (one of :data:`METHODS`).
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    float
        Estimated peak memory in bytes.
    """
    N, g = check_size(N), check_drive(g)
    _check_method(method)
    d = float(check_integer(cutoff, "the Fock cutoff", minimum=2, maximum=10**7))
    r_hi = math.sqrt(d) + 9.0
    grid = (8 * r_hi + 32) * max(2 * d + 16, 8 * math.pi * r_hi)
    phase_space = 16 * 10 * (d * d + grid)
    if method == "qutip":
        return 0.5e9 * (d / 300) ** 3 + phase_space
    columns = 2 * series_length(N, g, model=model, rows=int(d))
    return max(16 * 2 * d * columns, phase_space)


def _check_memory(N: float, g: float, d: int, method: str, model: TwoPhotonModel) -> None:
    need = memory_estimate(N, g, d, method=method, model=model)
    hint = ("use method='complex-p', whose memory grows as cutoff^2" if method == "qutip"
            else "lower N (the cutoff grows in proportion to N), or use exact_fluctuations, "
            "which needs no density matrix")
    check_memory(need, f"N = {N}, g = {g} with about {d} Fock levels and method={method!r}",
                 fits=hint)


# ------------------------------------------------------------------------ steady state


def _top_population(rho: qutip.Qobj) -> float:
    return float(np.sum(rho.diag()[-3:].real))


def _check_parity(rho: qutip.Qobj, N: float, g: float) -> None:
    """Raise ``IllConditionedError`` if a QuTiP state has an odd-parity part (a broken solve)."""
    r = rho.full()
    d = r.shape[0]
    odd = (np.add.outer(np.arange(d), np.arange(d)) % 2) == 1
    ratio = np.abs(r[odd]).max(initial=0.0) / np.abs(r).max()
    if ratio > _PARITY_TOL:
        raise IllConditionedError(
            f"the QuTiP steady state at N = {N}, g = {g} breaks the Z2 parity (odd elements up "
            f"to {ratio:.1e} of the largest): the odd-sector Liouvillian gap is too small for a "
            "double-precision linear solve here; use method='complex-p'"
        )


@limit_blas_threads
def steady_state(
    N: float,
    g: float,
    *,
    model: TwoPhotonModel = PAPER,
    cutoff: int | None = None,
    max_cutoff: int | None = None,
    grow: bool = True,
    method: str = METHODS[0],
) -> qutip.Qobj:
    r"""The exact finite-N steady state :math:`\mathcal{L}\rho = 0` in a Fock space.

    The cutoff rules of :func:`epcore.kerr.steady_state`: start from ``cutoff`` (default
    :func:`epcore.twophoton.fock_cutoff`, read off the exact photon distribution), and while
    the top three Fock levels hold more than ``CUTOFF_TOL``, grow it by 40 % up to
    ``max_cutoff`` (``grow=False`` raises at once).

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.twophoton`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.
    cutoff : int, optional
        First Fock cutoff tried; ``None`` reads it off the photon distribution.
    max_cutoff : int, optional
        Largest cutoff allowed. ``None`` bounds the QuTiP route at
        ``epcore.settings.max_cutoff`` and leaves the complex-P route bounded by memory only.
    grow : bool, optional
        Whether to enlarge a cutoff whose top levels are populated.
    method : str, optional
        ``'complex-p'`` (default): :func:`epcore.twophoton.exact_density_matrix`, which holds
        for every model (``epcore.twophoton.exact``), positive by construction, with its
        trace checked. ``'qutip'``: ``qutip.steadystate(L, method='direct')``, checked for the
        :math:`\mathbb{Z}_2` parity of the result (a solve broken by the exponentially small
        odd-sector gap of the broken phase breaks it); :func:`balance_of_state` also checks its
        moments against the exact ones.

    Returns
    -------
    qutip.Qobj
        The density matrix, whose top three Fock levels hold at most ``CUTOFF_TOL``.

    Raises
    ------
    epcore.errors.CutoffError
        The state needs more Fock levels than ``max_cutoff``, or ``grow=False`` and the top
        levels are populated.
    epcore.errors.IllConditionedError
        The complex-P state lost its normalization, or the QuTiP state its parity.
    epcore.errors.MemoryLimitError
        The :func:`memory_estimate` exceeds ``epcore.settings.memory_limit``; raised before
        anything large is allocated.
    epcore.errors.BudgetError
        A complex-P series longer than ``MAX_SERIES``.
    """
    N, g = check_size(N), check_drive(g)
    _check_method(method)
    if max_cutoff is None:
        max_cutoff = settings.max_cutoff if method == "qutip" else sys.maxsize
    else:
        max_cutoff = check_integer(max_cutoff, "max_cutoff", minimum=2, maximum=10**7)
    if cutoff is None:
        guess = initial_cutoff(N, g, model=model) if g > 0 else 4
        _check_memory(N, g, int(0.9 * guess), method, model)
        d = fock_cutoff(N, g, model=model)
    else:
        d = check_integer(cutoff, "the Fock cutoff", minimum=2, maximum=10**7)
    if d > max_cutoff:
        raise CutoffError(
            f"N = {N}, g = {g} needs a Fock cutoff of at least {d} > max_cutoff = {max_cutoff}: "
            "raise max_cutoff or use method='complex-p'"
        )
    while True:
        _check_memory(N, g, d, method, model)
        if method == "qutip":
            rho = qutip.steadystate(liouvillian(N, g, d, model=model), method="direct")
        else:
            rho = qutip.Qobj(exact_density_matrix(N, g, d, model=model))
        top = _top_population(rho)
        if top <= CUTOFF_TOL:
            if method == "qutip":
                _check_parity(rho, N, g)
            else:
                trace = float(np.sum(rho.diag().real))
                if abs(trace - 1) > _TRACE_TOL:
                    raise IllConditionedError(
                        f"the complex-P density matrix at N = {N}, g = {g} has trace "
                        f"{trace:.12g}: its series lost precision. Lower N, or use "
                        "exact_fluctuations (moments, no density matrix)"
                    )
            return rho
        if not grow or d >= max_cutoff:
            raise CutoffError(
                f"the steady state at N = {N}, g = {g} is not converged in {d} Fock levels "
                f"(top three hold {top:.2e} > {CUTOFF_TOL:.0e}): raise max_cutoff (now "
                f"{max_cutoff}) or pass a larger cutoff"
            )
        d = min(max_cutoff, int(math.ceil(1.4 * d)))


# ---------------------------------------------------------------------- entropy balance


def _lowered(rho: np.ndarray, k: int) -> np.ndarray:
    r""":math:`a^k\rho` by shifting rows (``O(d^2)``, no matrix product)."""
    d = rho.shape[0]
    out = np.zeros_like(rho)
    n = np.arange(d - k, dtype=float)
    factor = np.ones(d - k)
    for i in range(1, k + 1):
        factor *= np.sqrt(n + i)
    out[: d - k] = factor[:, None] * rho[k:]
    return out


def _raised_right(X: np.ndarray, k: int) -> np.ndarray:
    r""":math:`X a^{\dagger k}` by shifting columns."""
    return _lowered(X.conj().T, k).conj().T


def _flow_hamiltonian(N: float, g: float, c: complex, d: int, model: TwoPhotonModel):
    r"""The Hamiltonian whose :math:`\mathcal{U}(Q)` enters :math:`\Pi_u`: Kerr, drive and the
    coherent two-photon part :math:`H_c` (module docstring). The detuning
    :math:`\Delta a^\dagger a` is left out: it rotates :math:`Q` rigidly and adds exactly
    nothing to :math:`\Pi_u`, only round-off."""
    n = np.arange(d, dtype=float)
    H = np.diag(model.u / (2 * N) * n * (n - 1)).astype(complex)
    z = g / 2 - 0.5j * model.eta / N * c  # coefficient of a^dag^2 (of a^2: its conjugate)
    up = np.sqrt((n[:-2] + 1) * (n[:-2] + 2))
    H[np.arange(2, d), np.arange(d - 2)] = z * up
    H[np.arange(d - 2), np.arange(2, d)] = np.conj(z) * up
    return H


def state_balance(rho, N: float, g: float, *, model: TwoPhotonModel = PAPER) -> ModeBalance:
    r"""The entropy balance of any state of the two-photon resonator, from the state alone.

    The five terms of the module docstring, every one from ``rho`` itself (its moments and its
    Husimi function); the state need not be stationary. As a check of the whole split, the
    Wehrl rate :math:`dS/dt = -\int (\mathcal{L}\rho)_Q \ln Q\, d^2\mu` is evaluated from the
    full master equation (detuning included) and compared with :math:`\Pi - \Phi` (Eq. 1).

    Parameters
    ----------
    rho : qutip.Qobj or numpy.ndarray
        A single-mode state in the Fock basis.
    N : float
        System size; see :mod:`epcore.twophoton`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    ModeBalance
        The five terms. Diagnostic fields: ``mean_a`` (:math:`m`), ``pair`` (:math:`c`),
        ``photons``, ``pair_photons`` (:math:`\langle a^{\dagger 2}a^2\rangle`), ``wehrl``,
        ``wehrl_rate`` (:math:`dS/dt` from the master equation), ``entropy_rate_residual``
        (:math:`dS/dt - (\Pi - \Phi)`), ``normalization`` (:math:`\int Q`), ``grid_shape``,
        ``cutoff``, ``top_population``, ``pi_d_one_photon``, ``pi_d_two_photon``, and two
        cross-checks without integration by parts: ``pi_d_two_photon_direct``
        (:math:`-\int` of the incoherent two-photon part of :math:`\partial_t Q` times
        :math:`\ln Q`, plus its flux) and ``pi_u_coherent`` / ``pi_u_coherent_direct`` (the
        share of :math:`H_c` in :math:`\Pi_u`, by parts and with :math:`\ln Q`).

    Raises
    ------
    epcore.errors.CutoffError, epcore.errors.GridError
        Populated top Fock levels, or a grid that misses part of :math:`Q`.
    """
    N, g = check_size(N), check_drive(g)
    rho = density_matrix(rho, cutoff_tol=np.inf)
    d = rho.shape[0]
    n = np.arange(d, dtype=float)
    diag = np.diag(rho).real
    m = complex(np.sum(np.sqrt(n[1:]) * np.diagonal(rho, -1)))
    c = complex(np.sum(np.sqrt(n[1:-1] * n[2:]) * np.diagonal(rho, -2))) if d > 2 else 0j
    photons = float(np.sum(n * diag))
    pair_photons = float(np.sum(n * (n - 1) * diag))
    adag_a2 = complex(np.sum(n[:-1] * np.sqrt(n[1:]) * np.diagonal(rho, -1)))
    gamma2 = model.eta / N
    frame = 2 * gamma2 * (np.conj(m) * (adag_a2 - c * np.conj(m))).real

    data = husimi_data(rho, _flow_hamiltonian(N, g, c, d, model))
    a2_rho = _lowered(rho, 2)
    K, P, M2, L_rho = (v / np.pi for v in coherent_expectations(
        data.grid,
        [a2_rho, _raised_right(a2_rho, 1), _raised_right(a2_rho, 2),
         _master_equation(rho, N, g, model)]))
    Q, A, mu = data.Q, data.A, data.grid.mu
    mubar = np.conj(mu)

    def integral(values):
        return data.integrate(np.where(data.mask, values, 0.0))

    pi_u = float(-integral(data.U * data.log_q))
    pi_d1 = model.kappa * float(data.integrate(data.over_q(np.abs(A - m * Q) ** 2)))
    two = data.integrate(data.over_q((P + mubar * K) * np.conj(A) - np.conj(c) * A * A))
    pi_d2 = gamma2 * (float(two.real) - abs(c) ** 2) - frame
    phi_ext = model.kappa * abs(m) ** 2 + 2 * gamma2 * abs(c) ** 2 + frame
    phi_q = (model.kappa * (photons - abs(m) ** 2)
             + 2 * gamma2 * (pair_photons - abs(c) ** 2) - frame)
    # cross-checks of the integrations by parts
    a2_over_q = data.integrate(data.over_q(A * A))
    pi_u_coh = gamma2 * (float((np.conj(c) * a2_over_q).real) - abs(c) ** 2)
    u_coh = gamma2 * (np.conj(c) * (K - mu**2 * Q)).real
    pi_u_coh_direct = float(-integral(u_coh * data.log_q))
    loss2 = gamma2 * (M2.real - (mubar**2 * K).real) - u_coh
    pi_d2_direct = (float(-integral(loss2 * data.log_q))
                    + 2 * gamma2 * (pair_photons - abs(c) ** 2) - frame)
    wehrl_rate = float(-integral(L_rho.real * data.log_q))
    b = ModeBalance(phi_ext, pi_u, pi_d1 + pi_d2, phi_ext, phi_q)
    return b.replace(
        mean_a=m,
        pair=c,
        photons=photons,
        pair_photons=pair_photons,
        wehrl=data.wehrl,
        wehrl_rate=wehrl_rate,
        entropy_rate_residual=wehrl_rate - (b.pi - b.phi),
        normalization=data.normalization,
        grid_shape=data.grid.shape,
        cutoff=d,
        top_population=float(diag[-3:].sum()),
        pi_d_one_photon=pi_d1,
        pi_d_two_photon=pi_d2,
        pi_d_two_photon_direct=pi_d2_direct,
        pi_u_coherent=pi_u_coh,
        pi_u_coherent_direct=pi_u_coh_direct,
    )


def _master_equation(rho: np.ndarray, N: float, g: float, model: TwoPhotonModel) -> np.ndarray:
    r""":math:`\mathcal{L}\rho`, the whole right-hand side of the master equation, dense."""
    d = rho.shape[0]
    n = np.arange(d, dtype=float)
    H = _flow_hamiltonian(N, g, 0j, d, model) + np.diag(model.delta * n)
    out = -1j * (H @ rho - rho @ H)
    a_rho = _lowered(rho, 1)
    out += model.kappa * (_raised_right(a_rho, 1) - (n[:, None] * rho + rho * n[None, :]) / 2)
    if model.eta > 0:
        nn = n * (n - 1)
        a2_rho = _lowered(rho, 2)
        out += model.eta / N * (_raised_right(a2_rho, 2)
                                - (nn[:, None] * rho + rho * nn[None, :]) / 2)
    return out


def balance_of_state(
    rho, N: float, g: float, *, model: TwoPhotonModel = PAPER
) -> ModeBalance:
    r"""The entropy balance of the steady state at ``(N, g)``, checked against the exact moments.

    :func:`state_balance` of ``rho``, whose :math:`\langle a^\dagger a\rangle` and
    :math:`\langle a^2\rangle` must match the exact complex-P moments
    (:func:`epcore.twophoton.exact_fluctuations`) to ``MOMENT_TOL`` and whose
    :math:`\langle a\rangle` must vanish (parity); :math:`\Phi_{ext}` and :math:`\Phi_q` are
    then replaced by those of the exact moments, so that Eq. (10) compares the phase-space
    integrals of the state with an independent computation.

    Parameters
    ----------
    rho : qutip.Qobj or numpy.ndarray
        The steady state at ``(N, g)`` in the Fock basis.
    N : float
        System size it was computed for.
    g : float
        Two-photon drive it was computed for.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    ModeBalance
        The five terms. Diagnostic fields: those of :func:`state_balance`, plus ``moment_error``
        (the largest relative deviation from the exact moments) and ``phi_q_state``,
        ``phi_ext_state`` (the fluxes from the state's own moments).

    Raises
    ------
    epcore.errors.IllConditionedError
        A deviation from the exact moments above ``MOMENT_TOL``.
    epcore.errors.CutoffError, epcore.errors.GridError
        Populated top Fock levels, or a grid that misses part of :math:`Q`.
    """
    N, g = check_size(N), check_drive(g)
    b = state_balance(rho, N, g, model=model)
    photons, c, m = b.photons, b.pair, b.mean_a
    if g > 0:
        exact = exact_fluctuations(N, g, model=model)
        moment_error = max(
            abs(photons - exact["photons"]) / max(exact["photons"], 1e-300),
            abs(c - exact["pair"]) / max(abs(exact["pair"]), 1e-300),
            abs(m) / math.sqrt(max(exact["photons"], 1e-300)),
        )
        phi_ext, phi_q = exact["phi_ext"], exact["phi_q"]
    else:
        moment_error = max(photons, abs(m))
        phi_ext, phi_q = b.phi_ext, b.phi_q
    if moment_error > MOMENT_TOL:
        raise IllConditionedError(
            f"the Fock steady state at N = {N}, g = {g} deviates from the exact moments by "
            f"{moment_error:.1e} > MOMENT_TOL = {MOMENT_TOL:.0e}: it is not the steady state, "
            "or a linear solve lost it to a small Liouvillian gap; use method='complex-p'"
        )
    return b.replace(pi_ext=phi_ext, phi_ext=phi_ext, phi_q=phi_q,
                     moment_error=float(moment_error), phi_q_state=b.phi_q,
                     phi_ext_state=b.phi_ext)


@limit_blas_threads
def entropy_production(
    N: float,
    g: float,
    *,
    model: TwoPhotonModel = PAPER,
    method: str = METHODS[0],
    cutoff: int | None = None,
    max_cutoff: int | None = None,
) -> ModeBalance:
    r"""The entropy balance of the exact finite-N steady state (module docstring).

    :func:`steady_state` then :func:`balance_of_state`; the result is returned only when
    Eq. (10), :math:`\Pi_u + \Pi_d = \Phi_q`, holds to ``RESIDUAL_TOL`` relative to
    :math:`\Phi_q`: the phase-space integrals of the state against the exact moments.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.twophoton`.
    g : float
        Two-photon drive; see :mod:`epcore.twophoton`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.
    method : str, optional
        ``'complex-p'`` (default) or ``'qutip'`` (:func:`steady_state`).
    cutoff : int, optional
        First Fock cutoff tried.
    max_cutoff : int, optional
        Largest cutoff allowed.

    Returns
    -------
    ModeBalance
        The five terms; diagnostic fields those of :func:`balance_of_state` (``photons``,
        ``pair``, ``wehrl``, ``cutoff``, ...) and ``method``.

    Raises
    ------
    epcore.errors.IllConditionedError
        Eq. (10) misses by more than ``RESIDUAL_TOL`` (a drive so weak that
        :math:`\Phi_q \propto G^2` is lost to round-off), or the state fails its checks.
    epcore.errors.CutoffError, epcore.errors.MemoryLimitError, epcore.errors.BudgetError
        From :func:`steady_state`.

    Examples
    --------
    >>> from epcore import twophoton
    >>> b = twophoton.entropy_production(4, 1.0)
    >>> abs(float(b.residual)) < 1e-10  # Eq. (10): Pi = Phi
    True
    """
    N, g = check_size(N), check_drive(g)
    _check_method(method)
    rho = steady_state(N, g, model=model, cutoff=cutoff, max_cutoff=max_cutoff, method=method)
    b = balance_of_state(rho, N, g, model=model).replace(method=method)
    if b.relative_residual > RESIDUAL_TOL:
        raise IllConditionedError(
            f"Eq. (10) misses at N = {N}, g = {g} ({model}): pi_u + pi_d - phi_q = "
            f"{b.residual:.3g}, {b.relative_residual:.1e} of phi_q = {b.phi_q:.6g} (> "
            f"RESIDUAL_TOL = {RESIDUAL_TOL:.0e}). A drive this weak leaves phi_q ~ g^2 below the "
            "round-off of the phase-space integrals: raise g; exact_fluctuations gives phi_q "
            "at any parameters"
        )
    return b
