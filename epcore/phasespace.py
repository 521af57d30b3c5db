r"""Husimi function, Wehrl entropy and the entropy-production integrals of one bosonic mode.

The state is a density matrix in the Fock basis (truncated at dimension :math:`d`). Everything
is evaluated on a polar grid :math:`\mu = r e^{i\theta}` chosen from the state itself:

* coherent-state matrix elements
  :math:`\langle\mu|X|\mu\rangle = \sum_k f_k(r) e^{ik\theta}` with
  :math:`f_k(r) = \sum_m X_{m,m+k}\, c_m(r) c_{m+k}(r)` and
  :math:`c_n(r) = e^{-r^2/2} r^n/\sqrt{n!}`, so one FFT per radius gives every angle (cost
  :math:`n_r d^2`, not :math:`n_\text{points} d^2`);
* the radial range is read off the exact radial marginal of :math:`Q` (a mixture of Gamma laws
  in :math:`r^2` weighted by the Fock populations), so the grid covers the whole support of
  :math:`Q` whatever its angular structure (two bistable peaks, cat states);
* radial quadrature is Gauss-Legendre, angular quadrature the periodic trapezoid rule.

Derivatives are never taken on the grid:
:math:`\partial_{\bar\mu} Q = -\mu Q + \langle\mu|a\rho|\mu\rangle/\pi` (Eq. B3), so the loss
current of Eq. (3) is :math:`J = \kappa\langle\mu|a\rho|\mu\rangle/\pi`, and the unitary part
of :math:`\partial_t Q` is :math:`\mathcal{U}(Q) = \langle\mu|-i[H, \rho]|\mu\rangle/\pi` for
any Hamiltonian :math:`H`.

Bad input raises a ``ValueError`` (one of the typed subclasses of :mod:`epcore.errors`) whose
message says what to change; the Raises sections list only what it does not cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import qutip
import scipy.fft
import scipy.sparse
import scipy.special
import scipy.stats

from .balance import ModeBalance
from .errors import CutoffError, GridError
from .models import check_array, check_integer, check_memory, check_real

__all__ = [
    "hermitian_normalized",
    "check_single_mode",
    "density_matrix",
    "PolarGrid",
    "polar_grid",
    "HusimiData",
    "husimi_data",
    "husimi",
    "coherent_amplitudes",
    "wehrl_entropy",
    "entropy_balance",
    "displaced_current_production",
]

#: population allowed in the top three Fock levels before a state counts as truncated
CUTOFF_TOL = 1e-10
#: probability mass of Q allowed outside the radial range of the grid
SUPPORT_TOL = 1e-15


def hermitian_normalized(m) -> np.ndarray:
    r"""The Hermitian part of a matrix, divided by its trace.

    That is :math:`M_h/\mathrm{tr}\,M_h` with :math:`M_h = (M + M^\dagger)/2`, the last step
    of every numerical steady state or time step (a linear solve or an ODE leaves a round-off
    anti-Hermitian part and a trace slightly off 1). Nothing is checked beyond the shape and
    finiteness: positivity is the caller's business (:func:`density_matrix` checks it).

    Parameters
    ----------
    m : array_like
        A square matrix, e.g. a density matrix in the Fock basis.

    Returns
    -------
    numpy.ndarray
        The Hermitian, unit-trace matrix (a new array).
    """
    m = check_array(m, "the matrix m", ndim=2, complex_ok=True)
    if m.shape[0] != m.shape[1]:
        raise ValueError(f"the matrix m must be square, got shape {m.shape}")
    m = (m + m.conj().T) / 2
    trace = np.trace(m).real
    if trace == 0:
        raise ValueError("the matrix m has trace 0 and cannot be normalized: pass a state")
    m /= trace
    return m


def check_single_mode(rho) -> None:
    """Refuse a ``qutip.Qobj`` that is not a state of one mode (ket or operator, one space).

    Every public function of :mod:`epcore` that takes a state does so through
    :func:`density_matrix`, which calls this. Arrays carry no dims and pass; their shape is
    checked by :func:`density_matrix`.

    Parameters
    ----------
    rho : qutip.Qobj or array_like
        The candidate state.

    Raises
    ------
    ValueError
        A Qobj that is a bra, a superoperator or an operator-ket, or whose dims are not those
        of one mode (``[[d], [d]]`` for an operator, ``[[d], [1]]`` for a ket): a tensor
        product such as ``tensor(fock_dm(2, 0), fock_dm(2, 0))`` (dims
        ``[[2, 2], [2, 2]]``) is two modes, not one.
    """
    if not isinstance(rho, qutip.Qobj):
        return
    expected = "a ket with dims [[d], [1]] or an operator with dims [[d], [d]] (one mode)"
    if rho.type not in ("ket", "oper"):
        raise ValueError(f"expected {expected}, got a Qobj of type {rho.type!r} "
                         f"with dims {rho.dims}")
    rows, cols = rho.dims
    one_mode = len(rows) == 1 and (cols == [1] if rho.type == "ket" else cols == rows)
    if not one_mode:
        raise ValueError(f"expected {expected}, got a {rho.type} with dims {rho.dims}")


def density_matrix(rho, *, cutoff_tol: float = CUTOFF_TOL) -> np.ndarray:
    """Validate a single-mode state and return it as a dense complex ``d x d`` array.

    Parameters
    ----------
    rho : qutip.Qobj or array_like
        A ket or density operator, or an array (1-D ket or 2-D density matrix), in the Fock basis.
    cutoff_tol : float
        Largest population allowed in the top three Fock levels.

    Returns
    -------
    numpy.ndarray
        The Hermitized density matrix, complex, ``d x d``.

    Raises
    ------
    ValueError
        If it is not square, not Hermitian, not positive or not of unit trace, or is a Qobj
        that is not a one-mode ket or operator (:func:`check_single_mode`).
    epcore.errors.CutoffError
        If more than ``cutoff_tol`` of its population sits in the top three Fock levels (the
        truncation cannot be trusted: enlarge the Fock space).
    """
    check_single_mode(rho)
    cutoff_tol = check_real(cutoff_tol, "cutoff_tol", minimum=0.0) if cutoff_tol != np.inf \
        else cutoff_tol
    if isinstance(rho, qutip.Qobj):
        d = max(rho.shape)
        # the dense matrix and the copies of the checks below (Hermitian part, eigenvalues)
        check_memory(16.0 * 6 * d * d, f"a dense {d}-level density matrix",
                     fits="d <= 8000 for 6 GB; use fewer Fock levels")
        rho = rho.full()
    rho = check_array(rho, "rho", ndim=(1, 2), complex_ok=True, min_size=0).astype(complex)
    if rho.ndim == 2 and rho.shape[0] == rho.shape[1]:
        check_memory(16.0 * 6 * rho.size, f"checks of a {rho.shape[0]}-level density matrix")
    if rho.ndim == 2 and 1 in rho.shape:
        rho = rho.ravel()
    if rho.ndim == 1:
        rho = np.outer(rho, rho.conj())
    if rho.ndim != 2 or rho.shape[0] != rho.shape[1]:
        raise ValueError(f"rho must be a square density matrix in the Fock basis, got {rho.shape}")
    d = rho.shape[0]
    if d < 2:
        raise ValueError("the Fock space must have at least two levels")
    if not np.all(np.isfinite(rho)):
        raise ValueError("rho contains NaN or infinite entries")
    scale = max(np.abs(rho).max(), 1e-300)
    if np.abs(rho - rho.conj().T).max() > 1e-10 * scale:
        raise ValueError("rho is not Hermitian: pass (rho + rho^dag)/2 if this is round-off")
    rho = (rho + rho.conj().T) / 2
    trace = np.trace(rho).real
    if abs(trace - 1) > 1e-8:
        raise ValueError(f"rho has trace {trace:.12g}, not 1: normalize it (rho / tr rho)")
    lowest = np.linalg.eigvalsh(rho)[0]
    if lowest < -1e-9:
        raise ValueError(
            f"rho is not positive: its lowest eigenvalue is {lowest:.3g}. A steady-state solver "
            "returning this is not converged."
        )
    top = np.diag(rho).real[-3:].sum()
    if top > cutoff_tol:
        raise CutoffError(
            f"the top three Fock levels of this {d}-level state hold population {top:.2e} > "
            f"{cutoff_tol:.0e}: the Fock cutoff is too small to trust. Recompute the state "
            "in a larger Fock space."
        )
    return rho


@dataclass(frozen=True)
class PolarGrid:
    r"""Polar quadrature grid :math:`\mu = r e^{i\theta}`, weights for :math:`r\,dr\,d\theta`.

    Made by :func:`polar_grid`.

    Parameters
    ----------
    r : numpy.ndarray
        Radial Gauss-Legendre nodes, shape ``(n_r,)``.
    r_weights : numpy.ndarray
        Radial weights, including the Jacobian :math:`r`, shape ``(n_r,)``.
    n_theta : int
        Number of equally spaced angles :math:`\theta_j = 2\pi j/n_\theta`.
    """

    r: np.ndarray  # radial Gauss-Legendre nodes
    r_weights: np.ndarray  # radial weights, including the Jacobian r
    n_theta: int  # equally spaced angles theta_j = 2 pi j / n_theta

    @cached_property
    def theta(self) -> np.ndarray:
        r"""The angles :math:`\theta_j = 2\pi j/n_\theta`, shape ``(n_theta,)``."""
        return 2 * np.pi * np.arange(self.n_theta) / self.n_theta

    @cached_property
    def mu(self) -> np.ndarray:
        r"""Grid points :math:`\mu = r e^{i\theta}`, shape ``(n_r, n_theta)``."""
        return self.r[:, None] * np.exp(1j * self.theta)[None, :]

    @cached_property
    def weights(self) -> np.ndarray:
        r"""Quadrature weights for :math:`d^2\mu`, shape ``(n_r, n_theta)``."""
        return np.repeat(self.r_weights[:, None] * (2 * np.pi / self.n_theta), self.n_theta, 1)

    def integrate(self, values: np.ndarray):
        r"""Integral :math:`\int f\, d^2\mu` of values sampled on the grid.

        Parameters
        ----------
        values : numpy.ndarray
            :math:`f` at the grid points, shape ``(n_r, n_theta)``.

        Returns
        -------
        float or complex
            The quadrature sum.
        """
        return np.tensordot(self.r_weights, values.sum(axis=1), axes=1) * (2 * np.pi / self.n_theta)

    @property
    def shape(self) -> tuple[int, int]:
        """Shape ``(n_r, n_theta)`` of the arrays sampled on the grid."""
        return (len(self.r), self.n_theta)


def polar_grid(
    populations: np.ndarray,
    *,
    support_tol: float = SUPPORT_TOL,
    n_r: int | None = None,
    n_theta: int | None = None,
    harmonics: int = 0,
) -> PolarGrid:
    r"""Polar grid covering the support of the Husimi function of a state with these populations.

    The angular average of :math:`Q` is :math:`\sum_n p_n e^{-r^2} r^{2n}/(\pi n!)`: in
    :math:`x = r^2` each Fock level is a Gamma(:math:`n+1`) law. The radial range holds all but
    ``support_tol`` of every level that matters, so no peak of :math:`Q` can fall outside,
    whatever its angle. Node counts follow the smallest feature of :math:`Q` (width about
    :math:`1/\sqrt 2` in any direction).

    Parameters
    ----------
    populations : numpy.ndarray
        Fock populations :math:`p_n` of the state (the diagonal of :math:`\rho`).
    support_tol : float, optional
        Probability mass of each level allowed outside the radial range.
    n_r : int or None, optional
        Number of radial nodes; ``None`` sizes it from the state (override it for convergence
        studies).
    n_theta : int or None, optional
        Number of angles; ``None`` sizes it from the state.
    harmonics : int, optional
        Number of Fock levels spanned by the operators to be evaluated: the angular grid holds
        their ``2 harmonics - 1`` Fourier components.

    Returns
    -------
    PolarGrid
        The grid.
    """
    p = np.clip(check_array(populations, "populations", ndim=1), 0, None)
    support_tol = check_real(support_tol, "support_tol", positive=True)
    if not support_tol < 1:
        raise ValueError(f"support_tol must lie in (0, 1), got {support_tol}")
    harmonics = check_integer(harmonics, "harmonics", minimum=0)
    if n_r is not None:
        n_r = check_integer(n_r, "n_r", minimum=2)
    if n_theta is not None:
        n_theta = check_integer(n_theta, "n_theta", minimum=2)
    d = len(p)
    levels = np.nonzero(p > support_tol / d)[0]
    if levels.size == 0:
        raise ValueError("the populations are all zero: pass the diagonal of a state")
    shape = levels + 1.0
    x_lo = scipy.stats.gamma.ppf(support_tol, shape).min()
    x_hi = scipy.stats.gamma.isf(support_tol, shape).max()
    r_lo, r_hi = np.sqrt(x_lo), np.sqrt(x_hi)
    if r_lo < 1.5:  # close to the origin integrate from 0: the integrand is smooth there
        r_lo = 0.0
    if n_r is None:
        n_r = int(np.ceil(8.0 * (r_hi - r_lo))) + 32
    if n_theta is None:
        # Q is a trigonometric polynomial of degree d - 1; ln Q and |J|^2/Q need a margin, and
        # a peak of angular width ~ 1/r_hi needs ~ 8 points across it
        n_theta = max(2 * max(levels.max() + 1, harmonics) + 16, int(8 * np.pi * r_hi), 32)
        n_theta = scipy.fft.next_fast_len(n_theta)
    # the grid functions of husimi_data: about ten complex arrays of n_r x n_theta
    check_memory(16.0 * 10 * n_r * n_theta + 16.0 * 4 * n_r * d,
                 f"a polar grid of {n_r} x {n_theta} points", fits="a smaller n_r or n_theta")
    x, w = np.polynomial.legendre.leggauss(n_r)
    r = r_lo + (r_hi - r_lo) * (x + 1) / 2
    w = w * (r_hi - r_lo) / 2 * r
    return PolarGrid(r=r, r_weights=w, n_theta=int(n_theta))


def coherent_amplitudes(mu, d: int) -> np.ndarray:
    r"""The Fock amplitudes of coherent states, :math:`n = 0, \dots, d - 1`.

    .. math::

        \langle n|\mu\rangle = e^{-|\mu|^2/2}\,\frac{\mu^n}{\sqrt{n!}}.

    Computed through logarithms (``scipy.special.gammaln``), so that no factorial or power
    overflows at large :math:`n` or :math:`|\mu|`; the origin gives the vacuum exactly. Real
    non-negative ``mu`` (the radii of a :class:`PolarGrid`) is evaluated in real arithmetic,
    anything else in complex arithmetic. The Husimi function is
    :math:`Q(\mu) = \bar c^{\,T}\rho\, c/\pi` with ``c = coherent_amplitudes(mu, d)``.

    Parameters
    ----------
    mu : complex or array_like
        Phase-space points :math:`\mu`.
    d : int
        Number of Fock levels (``>= 1``).

    Returns
    -------
    numpy.ndarray
        Shape ``mu.shape + (d,)``: real for real non-negative ``mu``, complex otherwise.
    """
    mu = check_array(mu, "mu", complex_ok=True, min_size=0)
    d = check_integer(d, "the number of Fock levels d", minimum=1)
    n = np.arange(d)
    if mu.dtype.kind == "f" and np.all(mu >= 0):
        with np.errstate(divide="ignore", invalid="ignore"):
            log_r = np.log(mu)[..., None]
            log_c = -(mu[..., None] ** 2) / 2 + n * log_r - 0.5 * scipy.special.gammaln(n + 1)
        log_c[..., 0] = -(mu**2) / 2  # 0 * log(0) = 0 at the origin
        return np.exp(log_c)
    flat = mu.astype(complex).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        log_v = (
            -np.abs(flat)[:, None] ** 2 / 2
            + n[None, :] * np.log(np.where(flat == 0, 1, flat))[:, None]
            - 0.5 * scipy.special.gammaln(n + 1)
        )
    v = np.exp(log_v)
    v[flat == 0, 1:] = 0.0
    return v.reshape(mu.shape + (d,))


def _support(operators: list[np.ndarray], rel: float = 1e-18) -> int:
    """Number of Fock levels beyond which every operator is below ``rel`` of its max."""
    last = 0
    for X in operators:
        big = np.abs(X) > rel * np.abs(X).max()
        rows = np.nonzero(big.any(axis=0) | big.any(axis=1))[0]
        last = max(last, rows.max() if rows.size else 0)
    return int(last) + 1


def coherent_expectations(grid: PolarGrid, operators: list[np.ndarray]) -> list[np.ndarray]:
    """``<mu|X|mu>`` on the grid for each ``d x d`` matrix X, shape ``(n_r, n_theta)`` each.

    ``<mu|X|mu> = sum_k f_k(r) exp(i k theta)`` with ``f_k = sum_m X_{m,m+k} c_m c_{m+k}``;
    the Fourier sums are one inverse FFT per radius.

    Parameters
    ----------
    grid : PolarGrid
        The polar grid.
    operators : list of numpy.ndarray
        The ``d x d`` matrices ``X``.

    Returns
    -------
    list of numpy.ndarray
        ``<mu|X|mu>`` for each ``X``, shape ``(n_r, n_theta)``.

    Raises
    ------
    epcore.errors.GridError
        If ``n_theta < 2 d - 1`` for the support ``d`` of the operators.
    """
    d = _support(operators)
    operators = [X[:d, :d] for X in operators]
    if grid.n_theta < 2 * d - 1:
        raise GridError(f"n_theta = {grid.n_theta} cannot hold the {2 * d - 1} angular harmonics")
    c = coherent_amplitudes(grid.r, d)
    n_ops = len(operators)
    coeffs = np.zeros((len(grid.r), grid.n_theta, n_ops), dtype=complex)
    # column block of the k-th upper and lower diagonals of every operator
    for k in range(d):
        w = c[:, : d - k] * c[:, k:]  # c_m(r) c_{m+k}(r)
        up = np.stack([np.diagonal(X, k) for X in operators], axis=1)
        coeffs[:, k, :] = w @ up
        if k:
            low = np.stack([np.diagonal(X, -k) for X in operators], axis=1)
            coeffs[:, grid.n_theta - k, :] = w @ low
    values = scipy.fft.ifft(coeffs, axis=1, workers=-1) * grid.n_theta
    return [values[:, :, i] for i in range(n_ops)]


def _as_operator(H, d: int) -> np.ndarray:
    """``H`` (Qobj, sparse or dense) as a dense Hermitian ``d x d`` array, or ``ValueError``."""
    if isinstance(H, qutip.Qobj):
        H = H.full()
    elif scipy.sparse.issparse(H):
        H = H.toarray()
    H = np.asarray(H, dtype=complex)
    if H.shape != (d, d):
        raise ValueError(f"H has shape {H.shape}, but the state has {d} Fock levels")
    if np.abs(H - H.conj().T).max() > 1e-10 * max(1.0, np.abs(H).max()):
        raise ValueError("H is not Hermitian")
    return H


@dataclass(frozen=True)
class HusimiData:
    r"""Husimi function of a state on its grid, with the matrix elements the currents need.

    Made by :func:`husimi_data`. With these arrays :math:`\partial_{\bar\mu} Q = -\mu Q + A`
    (Eq. B3), the loss current of Eq. (3) is :math:`J = \kappa A`, and
    :math:`\partial_t Q = U + 2\kappa\,\text{loss}` (Eq. 3) without any derivative on the grid.

    Parameters
    ----------
    grid : PolarGrid
        The grid, fitted to the state.
    rho : numpy.ndarray
        The validated density matrix (:func:`density_matrix`).
    Q : numpy.ndarray
        :math:`Q = \langle\mu|\rho|\mu\rangle/\pi` on the grid (Eq. 4).
    A : numpy.ndarray
        :math:`\langle\mu|a\rho|\mu\rangle/\pi` on the grid (complex).
    U : numpy.ndarray or None
        :math:`\mathcal{U}(Q) = \langle\mu|-i[H, \rho]|\mu\rangle/\pi` when a Hamiltonian was
        given, else ``None``.
    loss : numpy.ndarray
        :math:`\langle\mu|D[a]\rho|\mu\rangle/\pi`: the loss part of :math:`\partial_t Q` is
        :math:`2\kappa` times this.
    """

    grid: PolarGrid
    rho: np.ndarray
    Q: np.ndarray
    A: np.ndarray
    U: np.ndarray | None
    loss: np.ndarray  # <mu| D[a] rho |mu> / pi: the loss part of dQ/dt is 2 kappa times this

    @cached_property
    def mask(self) -> np.ndarray:
        """Points where :math:`Q` is above round-off; the rest add nothing to any integral."""
        return self.Q > 1e-13 * self.Q.max()

    @cached_property
    def log_q(self) -> np.ndarray:
        r"""Logarithm :math:`\ln Q` where :math:`Q` is resolved (:attr:`mask`), zero elsewhere."""
        return np.log(np.where(self.mask, self.Q, 1.0))

    @cached_property
    def dq_dmubar(self) -> np.ndarray:
        r"""The derivative :math:`\partial_{\bar\mu} Q` from Eq. (B3), with no grid difference.

        :math:`\partial_{\bar\mu} Q = -\mu Q + \langle\mu|a\rho|\mu\rangle/\pi`;
        :math:`\partial_\mu Q` is its complex conjugate.
        """
        return -self.grid.mu * self.Q + self.A

    def integrate(self, values: np.ndarray):
        r"""Integral :math:`\int f\, d^2\mu` over the grid.

        Parameters
        ----------
        values : numpy.ndarray
            :math:`f` on the grid, already zero where :math:`Q` is negligible.

        Returns
        -------
        float or complex
            The quadrature sum.
        """
        return self.grid.integrate(values)

    def over_q(self, values: np.ndarray) -> np.ndarray:
        """Divide by :math:`Q` where it is resolved (see :attr:`mask`), zero elsewhere.

        Parameters
        ----------
        values : numpy.ndarray
            Values on the grid.

        Returns
        -------
        numpy.ndarray
            ``values / Q`` on the mask, 0 off it.
        """
        return np.where(self.mask, values / np.where(self.mask, self.Q, 1.0), 0.0)

    @cached_property
    def normalization(self) -> float:
        """The integral of :math:`Q`, 1 up to quadrature error (a diagnostic of the grid)."""
        return float(self.integrate(self.Q))

    @cached_property
    def wehrl(self) -> float:
        r"""Wehrl entropy :math:`S = -\int Q\ln Q\, d^2\mu` (Eq. 4)."""
        return float(-self.integrate(np.where(self.mask, self.Q * self.log_q, 0.0)))


def husimi_data(rho, H=None, *, n_r: int | None = None, n_theta: int | None = None) -> HusimiData:
    r"""Evaluate :math:`Q`, :math:`\langle\mu|a\rho|\mu\rangle/\pi` and :math:`\mathcal{U}(Q)`.

    The grid is fitted to ``rho`` (:func:`polar_grid`); :math:`\mathcal{U}(Q)`, the unitary part of
    Eq. (3), needs ``H``.

    Parameters
    ----------
    rho : qutip.Qobj or array_like
        The state, checked by :func:`density_matrix`.
    H : qutip.Qobj or array_like or None, optional
        The Hamiltonian for the unitary part :math:`\mathcal{U}(Q)` of Eq. (8); ``None`` skips it.
    n_r, n_theta : int or None, optional
        Grid size; ``None`` sizes it from the state (:func:`polar_grid`).

    Returns
    -------
    HusimiData
        The grid and the arrays on it.

    Raises
    ------
    epcore.errors.CutoffError
        If the top Fock levels of the state are populated (enlarge the Fock space).
    epcore.errors.GridError
        If the grid misses part of :math:`Q` (:math:`\int Q` off 1 by more than 1e-8) or has too
        few angles (increase ``n_r`` or ``n_theta``).
    """
    rho = density_matrix(rho)
    d = rho.shape[0]
    # a and a^dag act on the Fock basis by shifting rows and columns (a|n> = sqrt(n)|n-1>),
    # which costs O(d^2) where dense products would cost O(d^3)
    n = np.arange(d, dtype=float)
    sqrt_n = np.sqrt(n)
    a_rho = np.zeros_like(rho)
    a_rho[:-1] = sqrt_n[1:, None] * rho[1:]
    a_rho_ad = np.zeros_like(rho)
    a_rho_ad[:, :-1] = a_rho[:, 1:] * sqrt_n[None, 1:]
    # loss part of the master equation, D[a] rho = a rho a^dag - {a^dag a, rho}/2 (Eq. 2)
    ops = [rho, a_rho, a_rho_ad - (n[:, None] * rho + rho * n[None, :]) / 2]
    if H is not None:
        ops.append(_as_operator(H, d) @ rho)
    grid = polar_grid(np.diag(rho).real, n_r=n_r, n_theta=n_theta, harmonics=_support(ops))
    values = coherent_expectations(grid, ops)
    Q = values[0].real / np.pi
    A = values[1] / np.pi
    loss = values[2].real / np.pi
    # -i<mu|[H, rho]|mu> = -i(z - conj z) = 2 Im z with z = <mu|H rho|mu>
    U = 2 * values[3].imag / np.pi if H is not None else None
    data = HusimiData(grid=grid, rho=rho, Q=Q, A=A, U=U, loss=loss)
    error = abs(data.normalization - 1)
    if error > 1e-8:
        raise GridError(
            f"the phase-space grid misses part of Q (int Q = {data.normalization:.12f}); "
            "increase n_r or n_theta"
        )
    return data


def husimi(rho, mu) -> np.ndarray:
    r"""Husimi function :math:`Q(\mu) = \langle\mu|\rho|\mu\rangle/\pi` at arbitrary points (Eq. 4).

    For plots; the integrals use the polar grid of :func:`husimi_data`. The Fock cutoff is not
    checked here.

    Parameters
    ----------
    rho : qutip.Qobj or array_like
        The state (ket or density matrix) in the Fock basis.
    mu : complex or array_like
        Phase-space points :math:`\mu`.

    Returns
    -------
    numpy.ndarray
        :math:`Q(\mu)`, real, with the shape of ``mu``.

    Examples
    --------
    >>> import numpy as np, qutip
    >>> from epcore import phasespace
    >>> mu = np.array([0.0, 1.0, 0.5j])
    >>> Q = phasespace.husimi(qutip.fock_dm(20, 0), mu)  # the vacuum
    >>> bool(np.allclose(Q, np.exp(-abs(mu) ** 2) / np.pi))
    True
    """
    rho = density_matrix(rho, cutoff_tol=np.inf)
    mu = check_array(mu, "mu", complex_ok=True, min_size=0).astype(complex)
    d = rho.shape[0]
    check_memory(16.0 * 4 * mu.size * d, f"the Husimi function at {mu.size} points of a "
                 f"{d}-level state", fits="fewer points at once")
    v = coherent_amplitudes(mu.ravel(), d)
    q = np.sum((v.conj() @ rho) * v, axis=1).real / np.pi
    return q.reshape(mu.shape)


def wehrl_entropy(rho) -> float:
    r"""Wehrl entropy :math:`S = -\int Q\ln Q\, d^2\mu` of a single-mode state (Eq. 4, natural log).

    It is at least :math:`1 + \ln\pi` (Lieb), reached by coherent states.

    Parameters
    ----------
    rho : qutip.Qobj or array_like
        The state (ket or density matrix) in the Fock basis.

    Returns
    -------
    float
        The entropy in nats.

    Raises
    ------
    epcore.errors.CutoffError
        If its top Fock levels are populated (enlarge the Fock space).
    epcore.errors.GridError
        If the phase-space grid cannot hold its Husimi function.

    Examples
    --------
    >>> import math, qutip
    >>> from epcore import phasespace
    >>> s = phasespace.wehrl_entropy(qutip.fock_dm(20, 0))  # the vacuum
    >>> abs(s - (1 + math.log(math.pi))) < 1e-9
    True
    """
    return husimi_data(rho).wehrl


def entropy_balance(
    rho, H, kappa: float, *, flow: tuple[complex, float] | None = None
) -> ModeBalance:
    r"""Entropy flux and production of Eqs. (5)-(8) for one mode with losses :math:`2\kappa D[a]`.

    The split uses :math:`\langle a\rangle` of the state itself, so
    :math:`\Pi = \Pi_\text{ext} + \Pi_u + \Pi_d` holds exactly and
    :math:`\Pi_\text{ext} = \Phi_\text{ext} = 2\kappa|\langle a\rangle|^2` (Eq. 9). The unitary
    term is taken in its general form, valid for any Hamiltonian,

    .. math::

        \Pi_u &= -\int \mathcal{U}(Q)\ln Q\, d^2\mu, \\
        \Pi_d &= \frac{2}{\kappa}\int \frac{|J^v|^2}{Q}\, d^2v, \\
        \Phi_q &= 2\kappa\left(\langle a^\dagger a\rangle - |\langle a\rangle|^2\right),

    with :math:`J^v = J - \kappa\langle a\rangle Q` the displaced current of Eq. (8).

    Parameters
    ----------
    rho : qutip.Qobj or array_like
        The state (ket or density matrix) in the Fock basis; it need not be a steady state.
    H : qutip.Qobj or array_like
        The Hamiltonian of Eq. (2), drive included, on the same Fock levels.
    kappa : float
        Loss rate :math:`\kappa > 0`.
    flow : tuple of (complex, float), optional
        Coefficients :math:`(f, \omega)` of a part :math:`f a^\dagger + \bar f a +
        \omega a^\dagger a` of the Hamiltonian given apart from ``H`` (the full Hamiltonian is
        ``H`` plus this part). Its :math:`\mathcal{U}(Q)` is a divergence-free flow, so it adds
        exactly nothing to :math:`\Pi_u`; on the grid it adds terms of the size of
        :math:`|f|Q` that cancel only to round-off, which swamp a small :math:`\Pi_u`
        (a state close to a coherent one). Passing the drive and detuning here keeps them
        out of the :math:`\Pi_u` integral; ``wehrl_rate`` includes them. ``None``: no such
        part.

    Returns
    -------
    ModeBalance
        The five terms (in a steady state ``pi_u + pi_d = phi_q``, Eq. 10). Diagnostic fields:
        ``mean_a`` (complex, :math:`\langle a\rangle`), ``photons`` (float,
        :math:`\langle a^\dagger a\rangle`), ``wehrl`` (float, Eq. 4), ``pi_unsplit`` (float, Eq. 6
        evaluated without the split), ``wehrl_rate`` (float,
        :math:`dS/dt = -\int \partial_t Q\ln Q` with :math:`\partial_t Q` from the master
        equation), ``entropy_rate_residual`` (float, :math:`dS/dt - (\Pi - \Phi)`, Eq. 1),
        ``normalization`` (float, :math:`\int Q`), ``current_error`` (float,
        :math:`|\int J/\kappa - \langle a\rangle|`) and ``grid_shape`` (tuple, the size of the
        polar grid); the last three are quadrature diagnostics.

    Raises
    ------
    epcore.errors.CutoffError
        If the top Fock levels of the state are populated (enlarge the Fock space).
    epcore.errors.GridError
        If the phase-space grid cannot hold the Husimi function.
    """
    if not np.isfinite(kappa) or kappa <= 0:
        raise ValueError(f"the loss rate kappa must be > 0, got {kappa}")
    data = husimi_data(rho, H)
    rho = data.rho
    d = rho.shape[0]
    n = np.arange(d)
    mean_a = complex(np.sum(np.sqrt(n[1:]) * np.diagonal(rho, -1)))  # tr(a rho)
    photons = float(np.sum(n * np.diag(rho).real))
    fluct_current = data.A - mean_a * data.Q  # J^v / kappa
    pi_d = 2 * kappa * float(data.integrate(data.over_q(np.abs(fluct_current) ** 2)))
    pi_dissipative_total = 2 * kappa * float(data.integrate(data.over_q(np.abs(data.A) ** 2)))
    pi_u = float(-data.integrate(np.where(data.mask, data.U * data.log_q, 0.0)))
    ext = 2 * kappa * abs(mean_a) ** 2
    phi_q = 2 * kappa * (photons - abs(mean_a) ** 2)
    # dS/dt = -int (dQ/dt) ln Q, evaluated from the master equation itself (Eq. 1 check)
    dq_dt = data.U + 2 * kappa * data.loss
    if flow is not None:
        # <mu| (f a^dag + conj(f) a + omega a^dag a) rho |mu> / pi from Q and A alone
        f, omega = complex(flow[0]), float(flow[1])
        mubar = np.conj(data.grid.mu)
        z = f * mubar * data.Q + np.conj(f) * data.A + omega * mubar * data.A
        dq_dt = dq_dt + 2 * z.imag
    wehrl_rate = float(-data.integrate(np.where(data.mask, dq_dt * data.log_q, 0.0)))
    pi_unsplit = pi_u + pi_dissipative_total
    return ModeBalance(
        ext, pi_u, pi_d, ext, phi_q,
        mean_a=mean_a,
        photons=photons,
        wehrl=data.wehrl,
        pi_unsplit=pi_unsplit,
        wehrl_rate=wehrl_rate,
        entropy_rate_residual=wehrl_rate - (pi_unsplit - 2 * kappa * photons),
        normalization=data.normalization,
        current_error=abs(complex(data.integrate(data.A)) - mean_a),
        grid_shape=data.grid.shape,
    )


def displaced_current_production(rho, kappa: float, *, derivative: str = "vbar") -> float:
    r"""Dissipative production :math:`\Pi_d = \frac{2}{\kappa}\int |J^v|^2/Q\, d^2v` (Eq. 8).

    The current is :math:`J^v = \kappa(vQ + \partial Q)` with :math:`v = \mu - \langle a\rangle`.
    ``derivative="vbar"`` uses :math:`\partial_{\bar v} Q`, the form that follows from
    :math:`J = \kappa(\mu Q + \partial_{\bar\mu} Q)` (Eq. 3) and equals
    ``entropy_balance(rho, H, kappa).pi_d``; ``derivative="v"`` uses :math:`\partial_v Q` as
    printed in Sec. III of the paper (:func:`epcore.errata.pi_d_as_printed`). Both derivatives
    are exact (Eq. B3).

    Parameters
    ----------
    rho : qutip.Qobj or numpy.ndarray
        Single-mode density matrix in the Fock basis.
    kappa : float
        Loss rate :math:`\kappa > 0`.
    derivative : str, optional
        Which Wirtinger derivative enters the current: ``"vbar"`` or ``"v"``.

    Returns
    -------
    float
        The dissipative entropy production with that current.

    Raises
    ------
    epcore.errors.CutoffError
        If the top Fock levels of the state are populated.
    epcore.errors.GridError
        If the phase-space grid cannot hold the Husimi function.
    """
    if not np.isfinite(kappa) or kappa <= 0:
        raise ValueError(f"the loss rate kappa must be > 0, got {kappa}")
    if derivative not in ("vbar", "v"):
        raise ValueError(f"derivative must be 'vbar' or 'v', got {derivative!r}")
    data = husimi_data(rho)
    n = np.arange(data.rho.shape[0])
    mean_a = complex(np.sum(np.sqrt(n[1:]) * np.diagonal(data.rho, -1)))
    v = data.grid.mu - mean_a
    dq = data.dq_dmubar if derivative == "vbar" else np.conj(data.dq_dmubar)
    current = v * data.Q + dq  # J^v / kappa
    return 2 * kappa * float(data.integrate(data.over_q(np.abs(current) ** 2)))
