r"""The slowest modes of a Lindblad Liouvillian: its eigenvalues of smallest real-part modulus.

Every model of the book relaxes to its steady state through the eigenvalues
:math:`\lambda_j` of its Liouvillian :math:`\mathcal{L}` (Eq. B1 for the Kerr model): a
deviation along the eigenmode :math:`j` decays as :math:`e^{\mathrm{Re}\,\lambda_j t}` and
rotates as :math:`e^{i\,\mathrm{Im}\,\lambda_j t}`. The *gap* is the smallest nonzero
:math:`|\mathrm{Re}\,\lambda|`, whatever the imaginary part.

Finding it is not the same as finding the eigenvalue nearest 0. A damped coherence
:math:`-\kappa \pm i\omega` with a large frequency :math:`\omega` lies farther from 0 than a
real mode :math:`-2\kappa`, yet it decays more slowly. Shift-invert Arnoldi around 0 alone
returns the eigenvalues nearest 0 and misses it. This module therefore looks in two kinds of
places:

* around 0, where the real slow modes (the switching between metastable states) lie; the
  zero eigenvalue of the steady state is first moved to :math:`-c` by an exact rank-one
  deflation;
* around caller-supplied *shifts*: for a model with a mean field these are the eigenvalues of
  the drift of the linearised fluctuations around each stable branch, the semiclassical limit
  of the slow oscillating modes (their harmonics :math:`n\lambda + m\bar\lambda` decay faster).

Where the Liouvillian is small (dimension at most :data:`DENSE_LIMIT`) the whole spectrum is
computed densely instead, which is exact and needs no shifts.

A Lindblad Liouvillian preserves Hermiticity,
:math:`\mathcal{L}(X^\dagger) = \mathcal{L}(X)^\dagger`, so its eigenvalues come in conjugate
pairs; a shift's conjugate is searched only when the matrix given does not have this symmetry.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import qutip
import scipy.linalg as la
import scipy.sparse as sp
import scipy.sparse.linalg as sla

from .errors import ArgumentTypeError
from .models import check_complex, check_integer, check_real
from .threads import blas_threads

__all__ = ["DENSE_LIMIT", "SlowModes", "slowest_modes", "sector_slowest_modes"]

#: Largest Liouvillian dimension (``cutoff**2``) diagonalised densely, a Fock cutoff of 30.
DENSE_LIMIT = 900
#: Eigenvalues searched around each shift besides the wanted ones.
_EXTRA = 2


@dataclass(frozen=True)
class SlowModes:
    """The slowest nonzero eigenmodes of a Liouvillian, slowest first.

    Attributes
    ----------
    eigenvalues : numpy.ndarray
        The ``k`` nonzero eigenvalues of smallest ``|Re|``, sorted by ``|Re|`` (the two
        members of a conjugate pair in either order), followed by the other modes found within
        the ``within`` factor of :func:`slowest_modes`.
    vectors : numpy.ndarray
        Their right eigenvectors, column-stacked ``d x d`` matrices (QuTiP's convention), unit
        2-norm, shape ``(d*d, k)``.
    residuals : numpy.ndarray
        ``||L v - lambda v|| / ||L||_1`` of each mode: the backward error.
    error : float
        Round-off gauge of the gap ``|Re eigenvalues[0]|``: the spread between two different
        deflations of the zero eigenvalue (sparse route), or the scaled residual (dense route).
    method : str
        ``"dense"`` or ``"shift-invert"``.
    shifts : tuple of complex
        The points searched around (always 0 first; the dense route searches nowhere).
    """

    eigenvalues: np.ndarray
    vectors: np.ndarray
    residuals: np.ndarray
    error: float
    method: str
    shifts: tuple[complex, ...]

    @property
    def gap(self) -> float:
        """The smallest nonzero ``|Re lambda|``."""
        return float(abs(self.eigenvalues[0].real))

    @property
    def frequency(self) -> float:
        """``|Im lambda|`` of the slowest mode, 0 when it decays without oscillating."""
        return float(abs(self.eigenvalues[0].imag))


def _as_sparse(L) -> tuple[sp.csr_matrix, int]:
    """The Liouvillian as a CSR matrix and the dimension ``d`` of the states it acts on."""
    if isinstance(L, qutip.Qobj):
        if not L.issuper:
            raise ValueError(
                f"L is a {L.type} Qobj, not a superoperator: pass qutip.liouvillian(H, c_ops)")
        L = L.data.as_scipy()
    elif not (sp.issparse(L) or isinstance(L, np.ndarray)):
        raise ArgumentTypeError(
            f"L must be a qutip superoperator or a square matrix, not {type(L).__name__}")
    L = sp.csr_matrix(L, dtype=complex)
    n = L.shape[0]
    d = math.isqrt(n)
    if L.shape != (n, n) or d * d != n or d < 2:
        raise ValueError(
            f"L has shape {L.shape}: a Liouvillian of d x d states is square of size d**2, d >= 2")
    if not np.all(np.isfinite(L.data)):
        raise ValueError("L holds NaN or infinite entries")
    trace_row = np.asarray(L[np.arange(d) * (d + 1)].sum(axis=0)).ravel()
    norm = float(abs(L).sum(axis=0).max())
    if np.abs(trace_row).max() > 1e-10 * max(norm, 1.0):
        raise ValueError("L does not preserve the trace (vec(1)^T L != 0): not a Liouvillian")
    return L, d


def _rate_scale(L: sp.csr_matrix) -> float:
    """The smallest nonzero decay rate on the diagonal of ``L``, the unit of the deflation shifts.

    For losses ``2 kappa D[a]`` it is ``kappa``, the decay of the coherence ``|1><0|``.
    """
    rates = np.abs(L.diagonal().real)
    rates = rates[rates > 1e-12 * max(rates.max(), 1e-300)]
    return float(rates.min()) if rates.size else 1.0


def _preserves_hermiticity(L: sp.csr_matrix, d: int) -> bool:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((d, d)) + 1j * rng.standard_normal((d, d))
    X = X + X.conj().T
    Y = (L @ X.reshape(-1, order="F")).reshape(d, d, order="F")
    return bool(np.abs(Y - Y.conj().T).max() <= 1e-10 * max(np.abs(Y).max(), 1.0))


def _deflated(L: sp.csr_matrix, d: int, row: int, c: float) -> sp.csc_matrix:
    """``L - c e_row <1|``: the zero eigenvalue moves to ``-c``, the others stay put.

    ``<1| = vec(identity)^T`` is the exact left eigenvector of ``L`` for the eigenvalue 0 (trace
    conservation), so by Brauer's theorem the rank-one update moves only that eigenvalue.
    """
    n = d * d
    diag = np.arange(d) * (d + 1)  # positions of rho_kk in the column-stacked vector
    update = sp.csc_matrix((np.full(d, c), (np.full(d, row), diag)), shape=(n, n))
    return (L - update).tocsc()


def _traceless(V: np.ndarray, d: int) -> np.ndarray:
    """Which columns are traceless: right eigenvectors of nonzero eigenvalues are."""
    trace = np.abs(V[np.arange(d) * (d + 1)].sum(axis=0))
    return trace < 1e-3 * np.linalg.norm(V, axis=0)


def _eigs_near(A: sp.csc_matrix, sigma: complex, k: int, seed: int,
               singular: str = "L has more than one steady state (0 is a multiple eigenvalue): "
                               "the gap is 0"):
    """``k`` eigenpairs of ``A`` nearest ``sigma`` (shift-invert Arnoldi on its sparse LU)."""
    n = A.shape[0]
    try:
        lu = sla.splu((A - sigma * sp.identity(n, format="csc")).tocsc())
    except RuntimeError:  # "Factor is exactly singular"
        if sigma == 0:
            raise ValueError(singular) from None
        sigma += 1e-9 * max(1.0, abs(sigma))  # a shift exactly on an eigenvalue
        lu = sla.splu((A - sigma * sp.identity(n, format="csc")).tocsc())
    op = sla.LinearOperator((n, n), matvec=lu.solve, dtype=complex)
    v0 = np.random.default_rng(seed).standard_normal(n) + 0j
    w, V = sla.eigs(op, k=min(k, n - 2), which="LM", tol=1e-13, v0=v0)
    return sigma + 1 / w, V


def _near(A: sp.csc_matrix, d: int, sigma: complex, k: int, seed: int):
    """``k`` eigenpairs of ``A`` nearest ``sigma``, the steady state's deflated one dropped."""
    lam, V = _eigs_near(A, sigma, k, seed)
    keep = _traceless(V, d)
    return lam[keep], V[:, keep]


def _conjugates(lam: np.ndarray, V: np.ndarray, d: int):
    """The partners ``conj(lambda)``, ``X^dagger`` of a Hermiticity-preserving Liouvillian."""
    X = V.reshape(d, d, -1, order="F")
    return lam.conj(), X.conj().transpose(1, 0, 2).reshape(d * d, -1, order="F")


def _merge(lam: np.ndarray, V: np.ndarray, L: sp.csr_matrix, norm: float, k: int,
           within: float):
    """Distinct eigenpairs (closest pairs merged): the ``k`` of smallest ``|Re|`` and any other
    with ``|Re|`` at most ``within`` times the ``k``-th one's."""
    V = V / np.linalg.norm(V, axis=0)
    res = np.linalg.norm(L @ V - V * lam, axis=0) / norm
    order = np.argsort(res, kind="stable")  # the best of near-duplicates is met first
    kept: list[int] = []
    for i in order:
        if all(abs(lam[i] - lam[j]) > 1e-8 * max(1.0, abs(lam[j])) for j in kept):
            kept.append(i)
    kept_arr = np.array(kept)
    ranked = kept_arr[np.lexsort((lam[kept_arr].imag, np.abs(lam[kept_arr].real)))]
    rates = np.abs(lam[ranked].real)
    limit = within * rates[min(k, len(ranked)) - 1]
    best = ranked[(np.arange(len(ranked)) < k) | (rates <= limit)]
    return lam[best], V[:, best], res[best]


def slowest_modes(
    L,
    k: int = 1,
    *,
    shifts: Sequence[complex] = (),
    dense_limit: int = DENSE_LIMIT,
    within: float = 1.0,
) -> SlowModes:
    r"""The ``k`` nonzero eigenvalues of a Liouvillian of smallest :math:`|\mathrm{Re}\,\lambda|`.

    Dense diagonalisation when ``d**2 <= dense_limit``; otherwise shift-invert Arnoldi around 0
    (twice, with two exact deflations of the steady state, whose spread is the reported
    ``error``) and around each of ``shifts`` (see the module docstring for why both are needed).
    A shift is skipped when ``k`` modes found around 0 already decay at most half as fast as
    its real part says the modes near it do.

    Parameters
    ----------
    L : qutip.Qobj or scipy.sparse matrix or numpy.ndarray
        A trace-preserving superoperator acting on column-stacked ``d x d`` matrices (QuTiP's
        convention), for instance ``qutip.liouvillian(H, c_ops)``.
    k : int
        Number of modes, ``1 <= k <= 64``.
    shifts : tuple of complex
        Where the slow oscillating modes are expected, for instance the eigenvalues of the
        linearised drift of each stable mean-field branch. Ignored by the dense route.
    dense_limit : int
        Largest ``d**2`` diagonalised densely.
    within : float
        Also return every other mode found whose ``|Re|`` is at most ``within`` times that of
        the ``k``-th slowest (``>= 1``; to check, for instance, that no mode near the slowest
        ones is truncated).

    Returns
    -------
    SlowModes
        The slowest eigenvalues with their eigenvectors and residuals.

    Raises
    ------
    ValueError
        ``L`` is not a square trace-preserving matrix of size ``d**2``, or a bad ``k``.
    epcore.errors.ArgumentTypeError
        ``L`` is not a matrix.
    """
    k = check_integer(k, "k", minimum=1, maximum=64)
    dense_limit = check_integer(dense_limit, "dense_limit", minimum=0)
    within = check_real(within, "within", minimum=1.0)
    shifts = tuple(check_complex(s, "shift") for s in shifts)
    L, d = _as_sparse(L)
    n = d * d
    norm = float(abs(L).sum(axis=0).max())
    c = _rate_scale(L)
    with blas_threads():
        A = _deflated(L, d, 0, 50 * c)
        if n <= dense_limit:
            w, V = la.eig(A.toarray())
            keep = _traceless(V, d)
            lam, vec, res = _merge(w[keep], V[:, keep], L, norm, k, within)
            return SlowModes(lam, vec, res, float(res[0] * norm), "dense", ())
        hermitian = _preserves_hermiticity(L, d)
        want = k + _EXTRA
        lam0, V0 = _near(A, d, 0, want, 1)
        lam2, _ = _near(_deflated(L, d, n - 1, 100 * c), d, 0, want, 2)
        if len(lam0) == 0 or len(lam2) == 0:
            raise ValueError("no nonzero eigenvalue found near 0: does L have one steady state?")
        found_l, found_v = [lam0], [V0]
        kth = np.sort(np.abs(lam0.real))[k - 1] if len(lam0) >= k else np.inf
        for s in shifts:
            if kth < 0.5 * abs(s.real):
                continue  # k modes around 0 already decay at most half as fast as s
            for sigma in ((s,) if hermitian or s.imag == 0 else (s, s.conjugate())):
                ls, Vs = _near(A, d, sigma, want, 3)
                found_l.append(ls)
                found_v.append(Vs)
                if hermitian and sigma.imag != 0:
                    lc, Vc = _conjugates(ls, Vs, d)
                    found_l.append(lc)
                    found_v.append(Vc)
        lam, vec, res = _merge(np.concatenate(found_l), np.hstack(found_v), L, norm, k, within)
    slow0 = lam0[np.argmin(np.abs(lam0.real))]
    if abs(lam[0] - slow0) <= 1e-8 * max(1.0, abs(slow0)):
        # the slowest mode is the one found around 0: the two deflations gauge its round-off
        error = abs(abs(slow0.real) - np.abs(lam2.real).min())
    else:
        error = res[0] * norm
    return SlowModes(lam, vec, res, float(error), "shift-invert", (0j, *shifts))


# ------------------------------------------------------------------------ symmetry sectors


def _sector_index(index, n: int) -> np.ndarray:
    """``index`` as a sorted array of distinct integers in ``[0, n)``, at least 3 of them."""
    try:
        idx = np.asarray(index)
    except (TypeError, ValueError):
        raise ArgumentTypeError(f"index must be an array of integers, got {index!r:.60}") from None
    if idx.dtype.kind not in "iu" or idx.ndim != 1:
        raise ArgumentTypeError("index must be a 1-D array of integers (positions in vec(rho))")
    idx = np.unique(idx)
    if idx.size < 3 or idx[0] < 0 or idx[-1] >= n:
        raise ValueError(
            f"index must hold at least 3 distinct positions in [0, {n}), got {idx.size} "
            f"from {idx[:1].tolist()} to {idx[-1:].tolist()}")
    return idx


def sector_slowest_modes(
    L,
    index,
    k: int = 1,
    *,
    shifts: Sequence[complex] = (),
    dense_limit: int = DENSE_LIMIT,
    within: float = 1.0,
) -> SlowModes:
    r"""The ``k`` slowest modes of a Liouvillian within one of its invariant sectors.

    A symmetry of the dynamics (for instance the parity :math:`a \to -a` of the
    two-photon-driven resonator, :func:`epcore.twophoton.parity_sectors`) makes the
    Liouvillian block diagonal; ``index`` lists the positions in the column-stacked
    :math:`\mathrm{vec}(\rho)` of one block. The block is searched as :func:`slowest_modes`
    searches the whole matrix, with two differences. A sector that holds the whole diagonal
    (the trace) holds the zero eigenvalue: it is deflated exactly with the trace functional
    restricted to the sector, and ``error`` is the spread of two deflations. A sector that holds
    none of the diagonal has only traceless elements and no zero eigenvalue (a steady state
    always has a trace): nothing is deflated, every eigenvalue counts, and ``error`` is the
    backward error of the slowest mode. :func:`slowest_modes` itself is unchanged.

    Parameters
    ----------
    L : qutip.Qobj or scipy.sparse matrix or numpy.ndarray
        A trace-preserving superoperator acting on column-stacked ``d x d`` matrices.
    index : array_like of int
        The positions of the sector in :math:`\mathrm{vec}(\rho)`, at least 3. ``L`` must map
        the sector into itself and its complement into itself.
    k : int
        Number of modes, ``1 <= k <= 64``.
    shifts : tuple of complex
        Where slow oscillating modes are expected (as in :func:`slowest_modes`).
    dense_limit : int
        Largest sector size diagonalised densely.
    within : float
        Also return every other mode found whose ``|Re|`` is at most ``within`` times that of
        the ``k``-th slowest (``>= 1``).

    Returns
    -------
    SlowModes
        The eigenvalues of the sector, slowest first, with their right eigenvectors embedded
        back into :math:`\mathrm{vec}(\rho)` (zero outside the sector).

    Raises
    ------
    ValueError
        ``L`` is not a trace-preserving square matrix of size ``d**2``; ``index`` is not an
        invariant sector, or holds only part of the diagonal; a bad ``k``; or a zero
        eigenvalue in a sector that holds no trace.
    epcore.errors.ArgumentTypeError
        ``L`` or ``index`` is not what it should be.
    """
    k = check_integer(k, "k", minimum=1, maximum=64)
    dense_limit = check_integer(dense_limit, "dense_limit", minimum=0)
    within = check_real(within, "within", minimum=1.0)
    shifts = tuple(check_complex(s, "shift") for s in shifts)
    L, d = _as_sparse(L)
    n = d * d
    idx = _sector_index(index, n)
    m = idx.size
    inside = np.zeros(n, bool)
    inside[idx] = True
    norm = float(abs(L).sum(axis=0).max())
    diag = np.arange(d) * (d + 1)
    holds = inside[diag]
    if holds.any() and not holds.all():
        raise ValueError(
            "the sector holds part of the diagonal of rho only: its trace is not conserved; "
            "pass a symmetry block (the parity sectors hold all of it or none)")
    coo = L.tocoo()
    leak = np.abs(coo.data[inside[coo.row] != inside[coo.col]])
    if leak.size and leak.max() > 1e-12 * max(norm, 1.0):
        raise ValueError(
            "index is not an invariant sector of L: L couples it to the rest (largest element "
            f"{leak.max():.2g}); pass the positions of one symmetry block")
    position = np.full(n, -1)
    position[idx] = np.arange(m)
    B = L[idx][:, idx].tocsc()
    trace_at = position[diag] if holds.all() else np.array([], int)
    c = _rate_scale(L)

    def deflate(row: int, shift: float) -> sp.csc_matrix:
        update = sp.csc_matrix((np.full(d, shift), (np.full(d, row), trace_at)), shape=(m, m))
        return (B - update).tocsc()

    def kept(V: np.ndarray) -> np.ndarray:
        if not trace_at.size:
            return np.ones(V.shape[1], bool)
        trace = np.abs(V[trace_at].sum(axis=0))
        return trace < 1e-3 * np.linalg.norm(V, axis=0)

    def embed(V: np.ndarray) -> np.ndarray:
        full = np.zeros((n, V.shape[1]), complex)
        full[idx] = V
        return full

    singular = ("the sector holds no trace, yet 0 is an eigenvalue of it: L has a conserved "
                "traceless quantity, and the sector's gap is 0")
    with blas_threads():
        A = deflate(trace_at[0], 50 * c) if trace_at.size else B
        if m <= dense_limit:
            w, V = la.eig(A.toarray())
            keep = kept(V)
            lam, vec, res = _merge(w[keep], V[:, keep], B, norm, k, within)
            return SlowModes(lam, embed(vec), res, float(res[0] * norm), "dense", ())
        transpose = (idx % d) * d + idx // d
        hermitian = bool(inside[transpose].all()) and _preserves_hermiticity(L, d)
        want = k + _EXTRA
        lam0, V0 = _eigs_near(A, 0, want, 1, singular)
        keep0 = kept(V0)
        lam0, V0 = lam0[keep0], V0[:, keep0]
        if len(lam0) == 0:
            raise ValueError("no eigenvalue found near 0 in the sector")
        lam2 = None
        if trace_at.size:
            lam2, V2 = _eigs_near(deflate(trace_at[-1], 100 * c), 0, want, 2)
            lam2 = lam2[kept(V2)]
        found_l, found_v = [lam0], [V0]
        kth = np.sort(np.abs(lam0.real))[k - 1] if len(lam0) >= k else np.inf
        for s in shifts:
            if kth < 0.5 * abs(s.real):
                continue
            for sigma in ((s,) if hermitian or s.imag == 0 else (s, s.conjugate())):
                ls, Vs = _eigs_near(A, sigma, want, 3, singular)
                keep = kept(Vs)
                ls, Vs = ls[keep], Vs[:, keep]
                found_l.append(ls)
                found_v.append(Vs)
                if hermitian and sigma.imag != 0:
                    lc, Vc = _conjugates(ls, embed(Vs), d)
                    found_l.append(lc)
                    found_v.append(Vc[idx])
        lam, vec, res = _merge(np.concatenate(found_l), np.hstack(found_v), B, norm, k, within)
    slow0 = lam0[np.argmin(np.abs(lam0.real))]
    if lam2 is not None and len(lam2) and abs(lam[0] - slow0) <= 1e-8 * max(1.0, abs(slow0)):
        error = abs(abs(slow0.real) - np.abs(lam2.real).min())
    else:
        error = res[0] * norm
    return SlowModes(lam, embed(vec), res, float(error), "shift-invert", (0j, *shifts))
