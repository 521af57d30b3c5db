r"""The exact steady state at finite :math:`N`: a check of the Gaussian picture (normal phase).

The Gaussian theory of Appendix C is the :math:`N \to \infty` limit. Here the master equation
(C1)-(C2) of :math:`N` atoms (spin :math:`j = N/2`) and the cavity is solved exactly, with the
collective decay that becomes the stabilizing loss of Eq. (C20) at large :math:`N`, and the
fluctuation occupations are compared with the Gaussian ones.
"""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse
import scipy.sparse.linalg

from ..errors import CutoffError, IllConditionedError
from ..models import DickeModel, check_coupling, check_integer, check_memory, check_real
from ..phasespace import hermitian_normalized
from ..threads import limit_blas_threads
from .entropy import entropy_production_batch
from .meanfield import PAPER, critical_coupling

__all__ = [
    "FiniteNDicke",
    "FiniteNGap",
    "finite_n_liouvillian",
    "finite_n_gap",
    "finite_n_cutoffs",
    "finite_n_steady_state",
    "finite_n_memory",
]

#: The largest number of atoms accepted (J_z = k - N/2 keeps its digits below it).
MAX_ATOMS = 10**12
#: The largest dimension of one parity sector that :func:`finite_n_gap` diagonalizes densely
#: (a real matrix of this size takes about 15 s on one core).
MAX_GAP_SECTOR = 3000


@dataclass(frozen=True)
class FiniteNDicke:
    r"""Exact steady state of :math:`N` atoms and the cavity, reduced to its occupations.

    Attributes
    ----------
    N : int
        Number of atoms; see :mod:`epcore.dicke`.
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel
        The parameters; see :mod:`epcore.dicke`.
    photons_a : float
        :math:`\langle a^\dagger a\rangle - |\langle a\rangle|^2`, the finite-:math:`N`
        counterpart of ``photons_a`` of :func:`~epcore.dicke.entropy_production`.
    photons_b : float
        :math:`\langle J_z\rangle + N/2`, which is :math:`\langle\delta b^\dagger\delta b\rangle`
        by Eq. (C9) in the normal phase.
    mean_a : complex
        :math:`\langle a\rangle` (zero by symmetry in the normal phase).
    mean_jx : float
        :math:`\langle J_x\rangle` (zero by symmetry).
    n_cavity, n_spin : int
        Cutoffs of the cavity Fock space and of the Dicke ladder.
    top_population_cavity, top_population_spin : float
        Populations of the top kept states (0.0 for the spin when the whole ladder is kept).
    residual : float
        :math:`\max |\mathcal L \rho|` of the solution.
    seconds : float
        Time of the sparse LU solve, as measured when the point was computed.
    lu_nonzeros : int
        Nonzeros of the LU factors (16 bytes each).
    peak_rss_mb : float
        Peak resident memory of the solving process, in MB.
    """

    N: int
    lam: float
    model: DickeModel
    photons_a: float
    photons_b: float
    mean_a: complex
    mean_jx: float
    n_cavity: int
    n_spin: int
    top_population_cavity: float
    top_population_spin: float
    residual: float
    seconds: float
    lu_nonzeros: int
    peak_rss_mb: float


def finite_n_memory(n_cavity: int, n_spin: int) -> float:
    r"""Estimated peak memory in bytes of one finite-N solve with these cutoffs.

    The parity-reduced Liouvillian has :math:`n = d^2/2` unknowns, :math:`d` = ``n_cavity *
    n_spin``; its sparse LU fills about a fifth of :math:`n^2` (measured: 2.2e5 nonzeros at
    d = 48, 5.1e6 at d = 100), 20 bytes each with workspace, plus about 300 bytes per entry of
    the dense :math:`d 	imes d` index arrays and density matrices.

    Parameters
    ----------
    n_cavity : int
        Fock cutoff of the cavity.
    n_spin : int
        States kept on the Dicke ladder.

    Returns
    -------
    float
        Bytes.
    """
    d = float(check_integer(n_cavity, "n_cavity", minimum=1)) * check_integer(
        n_spin, "n_spin", minimum=1
    )
    return 1.5 * d**4 + 300 * d**2


def _largest_product() -> int:
    """The largest ``n_cavity * n_spin`` whose :func:`finite_n_memory` fits the limit."""
    from ..settings import settings

    d = 2
    while 1.5 * (d + 1) ** 4 + 300 * (d + 1) ** 2 <= settings.memory_limit:
        d += 1
    return d


def _cutoff(n_mean: float, tol: float) -> int:
    """Cutoff where a thermal distribution of mean ``n_mean`` has fallen below ``tol``."""
    ratio = max(n_mean, 1e-12) / (max(n_mean, 1e-12) + 1.0)
    return max(3, int(np.ceil(np.log(tol) / np.log(ratio))) + 1)


def finite_n_cutoffs(
    lam: float, *, model: DickeModel = PAPER, tol: float = 1e-8
) -> tuple[int, int]:
    r"""Starting cutoffs of :func:`finite_n_steady_state`: spin levels and Fock states.

    Thermal tails with the Gaussian occupations of the normal phase
    (:func:`~epcore.dicke.entropy_production_batch` with ``branch="normal"``), cut where the
    population of the top kept state falls below ``tol``; for a mean occupation :math:`n`
    that is about :math:`\ln(1/\mathrm{tol})\,(n + 1/2)` states. Unless the ladder is capped at
    :math:`N + 1` levels, the Liouvillian acts on the square of (spin levels times Fock
    states) matrix elements, which sets the cost of the exact check.

    Parameters
    ----------
    lam : float
        Coupling, :math:`0 \le \lambda < \lambda_c(\gamma)`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.
    tol : float, optional
        Population allowed in the top kept state, in (0, 1).

    Returns
    -------
    tuple of int
        ``(n_spin, n_cavity)``.

    Raises
    ------
    epcore.errors.UnstableDriftError
        If ``lam`` is beyond :math:`\lambda_c(\gamma)`.
    """
    if not 0 < tol < 1:
        raise ValueError(f"tol must lie in (0, 1), got {tol!r}")
    gauss = entropy_production_batch([lam], model=model, branch="normal")
    return _cutoff(gauss.photons_b[0], tol), _cutoff(gauss.photons_a[0], tol)


@limit_blas_threads
def finite_n_steady_state(
    N: int, lam: float, *, model: DickeModel = PAPER, n_cavity: int | None = None,
    n_spin: int | None = None, tol: float = 1e-8,
) -> FiniteNDicke:
    r"""Exact steady state of the Dicke model at finite :math:`N` in the normal phase (QuTiP).

    Spin :math:`j = N/2` and cavity with the Hamiltonian of Eq. (C2), the cavity loss
    :math:`2\kappa D[a]` of Eq. (C1) and the collective atomic decay
    :math:`(2\gamma/N) D[J_-]`. By Eq. (C10),
    :math:`J_- = \sqrt{N - b^\dagger b}\, b = \sqrt N\, b\,(1 + O(b^\dagger b/N))`, so it is the
    finite-:math:`N` form of the stabilizing loss :math:`2\gamma D[\delta b]` of Eq. (C20).
    The Liouvillian is built by QuTiP, restricted to the density-matrix elements of equal
    total parity :math:`(-1)^{a^\dagger a + J_z + j}` (a symmetry of the model that holds the
    steady state) and solved by a sparse LU factorization (SciPy's SuperLU) with the trace
    condition.

    The Dicke ladder :math:`|j, -j + k\rangle` is kept for ``k < n_spin`` (all of it when
    ``n_spin >= N + 1``) and the cavity for ``n < n_cavity``. By default both cutoffs start
    from thermal tails with the Gaussian occupations of the normal phase
    (:func:`~epcore.dicke.entropy_production_batch` with ``branch="normal"``)
    and grow by a quarter until the top populations are below ``tol``.

    Parameters
    ----------
    N : int
        Number of atoms; see :mod:`epcore.dicke`.
    lam : float
        Coupling, :math:`0 \le \lambda < \lambda_c(\gamma)`
        (``critical_coupling(model=model, shifted=True)``), where the normal phase, with
        :math:`\langle a\rangle = \langle J_x\rangle = 0`, is stable.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.
    n_cavity, n_spin : int, optional
        Cutoffs of the cavity Fock space and of the Dicke ladder, >= 2 (fixed if given).
    tol : float, optional
        Largest population allowed in the top kept state of either mode, in (0, 1).

    Returns
    -------
    FiniteNDicke
        The occupations and the diagnostics of the solve.

    Raises
    ------
    epcore.errors.CutoffError
        When a top population exceeds ``tol`` with a cutoff given by the caller (raise the
        cutoff named in the message).
    epcore.errors.IllConditionedError
        When the sparse solve leaves a residual above ``1e-9`` or a non-positive state
        (increase ``gamma``).
    """
    N = check_integer(N, "N", minimum=1, maximum=MAX_ATOMS, hint=" (the number of atoms)")
    lcg = critical_coupling(model=model, shifted=True)
    lam = check_coupling(lam, "finite_n_steady_state")
    if lam >= lcg:
        raise ValueError(
            f"lam = {lam:.6g} >= lambda_c(gamma) = {lcg:.6g}: the finite-N check covers the "
            "normal phase only, which is stable up to critical_coupling(model, shifted=True)"
        )
    tol = check_real(tol, "tol", positive=True)
    if not 0 < tol < 1:
        raise ValueError(f"tol must lie in (0, 1), got {tol!r}")
    if n_cavity is not None:
        n_cavity = check_integer(n_cavity, "n_cavity", minimum=2)
    if n_spin is not None:
        n_spin = check_integer(n_spin, "n_spin", minimum=2)
    start_m, start_k = finite_n_cutoffs(lam, model=model, tol=tol)
    K = int(n_cavity) if n_cavity is not None else start_k
    M = int(n_spin) if n_spin is not None else start_m
    for _ in range(6):
        M = min(M, N + 1)
        check_memory(
            finite_n_memory(K, M),
            f"the finite-N steady state with n_cavity = {K}, n_spin = {M} (N = {N}, lam = "
            f"{lam:.4g})",
            fits=f"n_cavity * n_spin <= {_largest_product()}: lower lam/lambda_c or raise gamma",
        )
        res = _solve_finite_n(N, lam, model, K, M)
        grow_k = res.top_population_cavity > tol
        grow_m = res.top_population_spin > tol
        if not (grow_k or grow_m):
            return res
        if (grow_k and n_cavity is not None) or (grow_m and n_spin is not None):
            break
        K = K + max(1, K // 4) if grow_k else K
        M = M + max(1, M // 4) if grow_m else M
    which, top = (
        ("n_cavity", res.top_population_cavity) if res.top_population_cavity > tol
        else ("n_spin", res.top_population_spin)
    )
    raise CutoffError(
        f"the top kept state holds a population {top:.2g} > tol = {tol:g}: increase {which}"
    )


def _solve_finite_n(N: int, lam: float, model: DickeModel, K: int, M: int) -> FiniteNDicke:
    """One sparse-LU solve of the finite-N steady state with cutoffs ``K`` (cavity), ``M``.

    Parameters
    ----------
    N : int
        Number of atoms; see :mod:`epcore.dicke`.
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel
        The parameters; see :mod:`epcore.dicke`.
    K, M : int
        Cutoffs of the cavity and of the Dicke ladder.

    Returns
    -------
    FiniteNDicke
        The state and its diagnostics.

    Raises
    ------
    epcore.errors.IllConditionedError
        When the residual exceeds ``1e-9`` or the state is not positive.
    """
    import qutip

    k = np.arange(M)
    # <k-1| J_- |k> = sqrt(k (N - k + 1)): J_- = sqrt(N - b^dag b) b on the ladder (Eq. C10)
    jm = qutip.Qobj(np.diag(np.sqrt(k[1:] * (N - k[1:] + 1.0)), 1)).to("csr")
    Jm = qutip.tensor(jm, qutip.qeye(K))
    a = qutip.tensor(qutip.qeye(M), qutip.destroy(K))
    Jz = qutip.tensor(qutip.num(M) - N / 2, qutip.qeye(K))
    Jx = (Jm + Jm.dag()) / 2
    H = model.omega0 * Jz + model.omega * a.dag() * a + 2 * lam / np.sqrt(N) * (a + a.dag()) * Jx
    Lq = qutip.liouvillian(
        H, [np.sqrt(2 * model.kappa) * a, np.sqrt(2 * model.gamma / N) * Jm]
    )
    L = Lq.data.as_scipy().tocsc()

    t0 = time.perf_counter()
    d = M * K
    parity = (k[:, None] + np.arange(K)[None, :]).ravel() % 2
    i, j = np.meshgrid(np.arange(d), np.arange(d), indexing="ij")
    i, j = i.ravel(order="F"), j.ravel(order="F")  # QuTiP stacks columns: index i + d j
    keep = np.nonzero(parity[i] == parity[j])[0]
    sub = L[keep][:, keep]
    trace_row = scipy.sparse.csr_matrix((i[keep] == j[keep]).astype(complex)[None, :])
    system = scipy.sparse.vstack([trace_row, sub[1:]]).tocsc()  # keep[0] is rho_00
    rhs = np.zeros(len(keep), complex)
    rhs[0] = 1.0
    lu = scipy.sparse.linalg.splu(system, permc_spec="COLAMD")
    vec = np.zeros(d * d, complex)
    vec[keep] = lu.solve(rhs)
    seconds = time.perf_counter() - t0
    residual = float(np.abs(L @ vec).max())
    rho = vec.reshape(d, d, order="F")
    rho = hermitian_normalized(rho)
    if residual > 1e-9 or np.linalg.eigvalsh(rho).min() < -1e-9:
        raise IllConditionedError(
            f"the steady-state solve is not trustworthy (residual {residual:.2g}): "
            "the Liouvillian is too ill-conditioned; increase gamma"
        )
    pops = np.real(np.diag(rho)).reshape(M, K)
    mean_a = complex(np.trace(rho @ a.full()))
    return FiniteNDicke(
        N=N, lam=lam, model=model,
        photons_a=float(pops.sum(0) @ np.arange(K)) - abs(mean_a) ** 2,
        photons_b=float(pops.sum(1) @ k), mean_a=mean_a,
        mean_jx=float(np.trace(rho @ Jx.full()).real), n_cavity=K, n_spin=M,
        top_population_cavity=float(pops[:, -1].sum()),
        top_population_spin=float(pops[-1, :].sum()) if M < N + 1 else 0.0,
        residual=residual, seconds=seconds, lu_nonzeros=int(lu.L.nnz + lu.U.nnz),
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


# ------------------------------------------------------------------ the Liouvillian gap


@dataclass(frozen=True)
class FiniteNGap:
    r"""Slowest relaxation rate of the finite-:math:`N` Dicke Liouvillian (:func:`finite_n_gap`).

    Attributes
    ----------
    N : int
        Number of atoms; see :mod:`epcore.dicke`.
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel
        The parameters; see :mod:`epcore.dicke`.
    gap : float
        :math:`\min_{k\ge1}|\mathrm{Re}\,\lambda_k|` over both parity sectors.
    eigenvalue : complex
        The eigenvalue :math:`\lambda_k` that sets the gap.
    sector : str
        ``"odd"`` (density-matrix elements between states of opposite total parity, where
        :math:`\langle a\rangle` and :math:`\langle J_x\rangle` relax) or ``"even"``.
    gap_even, gap_odd : float
        The slowest rate of each sector (the zero of the steady state excluded in the even one).
    n_cavity, n_spin : int
        Fock states of the cavity and levels of the Dicke ladder (the whole ladder, N + 1).
    change : float
        Relative change of the gap when the cavity cutoff was raised from ``n_cavity -
        CUTOFF_STEP`` to ``n_cavity`` (the convergence check).
    """

    N: int
    lam: float
    model: DickeModel
    gap: float
    eigenvalue: complex
    sector: str
    gap_even: float
    gap_odd: float
    n_cavity: int
    n_spin: int
    change: float


#: How many Fock states :func:`finite_n_gap` adds to the cavity to check convergence.
CUTOFF_STEP = 2


def finite_n_liouvillian(
    N: int, lam: float, *, model: DickeModel = PAPER, n_cavity: int, n_spin: int | None = None
) -> scipy.sparse.csr_matrix:
    r"""The finite-:math:`N` Dicke Liouvillian as a sparse matrix (column stacking).

    The generator of :func:`finite_n_steady_state`: Hamiltonian (C2) on the Dicke ladder
    :math:`|j, -j + k\rangle`, :math:`j = N/2`, times the cavity Fock space, cavity loss
    :math:`2\kappa D[a]` and collective decay :math:`(2\gamma/N)D[J_-]`, Eq.
    :math:`\partial_t\rho = -i[H, \rho] + 2\kappa D[a]\rho + (2\gamma/N)D[J_-]\rho`. The
    state :math:`|k\rangle \otimes |n\rangle` has index :math:`k\,n_{cav} + n`, and the
    density matrix is stacked by columns, :math:`\rho_{ij}` at :math:`i + d j`.

    Parameters
    ----------
    N : int
        Number of atoms; see :mod:`epcore.dicke`.
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.
    n_cavity : int
        Fock states of the cavity, >= 2.
    n_spin : int, optional
        Levels of the Dicke ladder kept, from the bottom, 2 to N + 1 (default: all, N + 1).

    Returns
    -------
    scipy.sparse.csr_matrix
        :math:`\mathcal L`, shape :math:`(d^2, d^2)`, :math:`d` = ``n_spin * n_cavity``.
    """
    N = check_integer(N, "N", minimum=1, maximum=MAX_ATOMS, hint=" (the number of atoms)")
    lam = check_coupling(lam, "finite_n_liouvillian")
    K = check_integer(n_cavity, "n_cavity", minimum=2)
    M = N + 1 if n_spin is None else check_integer(n_spin, "n_spin", minimum=2, maximum=N + 1)
    d = K * M
    check_memory(
        300.0 * d**2, f"a finite-N Liouvillian with {d} states (N = {N}, n_cavity = {K})",
        fits="a smaller n_cavity or N",
    )
    return _liouvillian(N, lam, model, K, M)


def _liouvillian(N: int, lam: float, model: DickeModel, K: int, M: int) -> scipy.sparse.csr_matrix:
    """QuTiP's Liouvillian of the model (the construction of :func:`finite_n_steady_state`)."""
    import qutip

    k = np.arange(M)
    jm = qutip.Qobj(np.diag(np.sqrt(k[1:] * (N - k[1:] + 1.0)), 1)).to("csr")
    Jm = qutip.tensor(jm, qutip.qeye(K))
    a = qutip.tensor(qutip.qeye(M), qutip.destroy(K))
    Jz = qutip.tensor(qutip.num(M) - N / 2, qutip.qeye(K))
    Jx = (Jm + Jm.dag()) / 2
    H = model.omega0 * Jz + model.omega * a.dag() * a + 2 * lam / np.sqrt(N) * (a + a.dag()) * Jx
    Lq = qutip.liouvillian(
        H, [np.sqrt(2 * model.kappa) * a, np.sqrt(2 * model.gamma / N) * Jm]
    )
    return Lq.data.as_scipy().tocsr()


def _hermitian_basis(parity: np.ndarray, odd: bool) -> scipy.sparse.csc_matrix:
    r"""Orthonormal basis of the Hermitian matrices of one parity sector, as columns of vec.

    Even sector: :math:`|i\rangle\langle i|` and, for :math:`i < j` of equal parity,
    :math:`(|i\rangle\langle j| + |j\rangle\langle i|)/\sqrt2` and
    :math:`i(|i\rangle\langle j| - |j\rangle\langle i|)/\sqrt2`; odd sector: the same pairs
    with :math:`i, j` of opposite parity. A Hermiticity-preserving map is real in this basis.
    """
    d = parity.size
    i, j = np.triu_indices(d, 1)
    pick = (parity[i] != parity[j]) if odd else (parity[i] == parity[j])
    i, j = i[pick], j[pick]
    n_pairs = i.size
    rows, cols, vals = [], [], []
    if not odd:
        diag = np.arange(d)
        rows.append(diag + d * diag)
        cols.append(diag)
        vals.append(np.ones(d, complex))
    start = 0 if odd else d
    c_sym = start + np.arange(n_pairs)
    c_asym = start + n_pairs + np.arange(n_pairs)
    h = 1 / np.sqrt(2)
    rows += [i + d * j, j + d * i, i + d * j, j + d * i]
    cols += [c_sym, c_sym, c_asym, c_asym]
    vals += [np.full(n_pairs, h, complex), np.full(n_pairs, h, complex),
             np.full(n_pairs, 1j * h), np.full(n_pairs, -1j * h)]
    n_cols = start + 2 * n_pairs
    return scipy.sparse.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(d * d, n_cols),
    )


def _sector_rates(L: scipy.sparse.csr_matrix, parity: np.ndarray) -> dict:
    """Dense eigenvalues of each parity sector of ``L`` in the real Hermitian basis."""
    out = {}
    for name, odd in (("even", False), ("odd", True)):
        T = _hermitian_basis(parity, odd)
        block = (T.conj().T @ (L @ T)).toarray()
        if np.abs(block.imag).max() > 1e-9 * max(1.0, np.abs(block.real).max()):
            raise IllConditionedError(
                "the Liouvillian is not Hermiticity preserving in this basis (internal error)"
            )
        out[name] = np.linalg.eigvals(block.real)
    return out


def _gap_at(N: int, lam: float, model: DickeModel, K: int) -> tuple[float, complex, str, dict]:
    """Gap, its eigenvalue and sector, and the slowest rate of each sector, at cutoff ``K``."""
    M = N + 1
    parity = (np.arange(M)[:, None] + np.arange(K)[None, :]).ravel() % 2
    ev = _sector_rates(_liouvillian(N, lam, model, K, M), parity)
    slow = {}
    pick = {}
    for name, values in ev.items():
        order = np.argsort(-values.real)  # slowest first
        # the even sector holds the steady state: drop its eigenvalue 0
        idx = order[1] if name == "even" else order[0]
        slow[name] = float(-values[idx].real)
        pick[name] = complex(values[idx])
        if name == "even" and abs(values[order[0]]) > 1e-8 * max(1.0, slow[name]):
            raise IllConditionedError(
                f"the zero eigenvalue of the steady state came out as {values[order[0]]:.2g}: "
                "the dense eigensolve lost it; raise gamma"
            )
    sector = min(slow, key=slow.get)
    return slow[sector], pick[sector], sector, slow


def _start_cutoff(N: int, lam: float, model: DickeModel) -> int:
    """Starting Fock cutoff: mean-field photons N |alpha|^2 plus three of their spread."""
    from .meanfield import mean_field

    n_mean = N * abs(mean_field(lam, model=model).alpha) ** 2
    return max(3, int(np.ceil(n_mean + 3.0 * np.sqrt(n_mean))) + 2)


@limit_blas_threads
def finite_n_gap(
    N: int, lam: float, *, model: DickeModel = PAPER, n_cavity: int | None = None,
    rtol: float = 1e-3,
) -> FiniteNGap:
    r"""Liouvillian gap of the finite-:math:`N` Dicke model, by dense diagonalization.

    The Liouvillian of :func:`finite_n_liouvillian` (the model of
    :func:`finite_n_steady_state`: cavity loss :math:`2\kappa D[a]`, collective decay
    :math:`(2\gamma/N) D[J_-]`, the whole Dicke ladder :math:`j = N/2`) commutes with the
    parity superoperator :math:`\rho \to P\rho P`, :math:`P = (-1)^{a^\dagger a + J_z + j}`. It
    splits into the even sector (elements between states of equal parity, which holds the
    steady state) and the odd one (opposite parities, where :math:`\langle a\rangle` and
    :math:`\langle J_x\rangle` live). Each sector is written in a basis of Hermitian matrices,
    where it is real, and diagonalized with LAPACK. The gap is

    .. math::

        \Delta = \min_{k \ge 1} |\mathrm{Re}\,\lambda_k|

    over both sectors (book, chapter 6, Eq. ``eq-dyn-gap``). Above :math:`\lambda_c` it is set
    by the odd sector: the switching between the two states :math:`\pm\alpha` that break the
    :math:`Z_2` symmetry.

    The cavity cutoff starts from the mean-field photon number (or ``n_cavity``) and grows by
    ``CUTOFF_STEP`` until the gap changes by less than ``rtol`` (relative) between two
    cutoffs.

    Parameters
    ----------
    N : int
        Number of atoms; see :mod:`epcore.dicke`.
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.
    n_cavity : int, optional
        Starting Fock cutoff of the cavity, >= 2.
    rtol : float, optional
        Relative change of the gap accepted between the last two cutoffs, in (0, 1).

    Returns
    -------
    FiniteNGap
        The gap, its eigenvalue and sector, and the convergence check.

    Raises
    ------
    epcore.errors.CutoffError
        When the gap has not converged before a parity sector exceeds ``MAX_GAP_SECTOR``
        (lower ``N`` or ``lam``, or loosen ``rtol``).
    epcore.errors.IllConditionedError
        When the dense eigensolve loses the zero eigenvalue of the steady state.
    """
    N = check_integer(N, "N", minimum=1, maximum=MAX_ATOMS, hint=" (the number of atoms)")
    lam = check_coupling(lam, "finite_n_gap")
    rtol = check_real(rtol, "rtol", positive=True)
    if not 0 < rtol < 1:
        raise ValueError(f"rtol must lie in (0, 1), got {rtol!r}")
    K = (check_integer(n_cavity, "n_cavity", minimum=2) if n_cavity is not None
         else _start_cutoff(N, lam, model))

    def fits(K: int) -> bool:
        d = K * (N + 1)
        return (d * d + d) // 2 <= MAX_GAP_SECTOR

    if not fits(K + CUTOFF_STEP):
        raise CutoffError(
            f"N = {N} with n_cavity = {K + CUTOFF_STEP} gives a parity sector above "
            f"MAX_GAP_SECTOR = {MAX_GAP_SECTOR} states: lower N or n_cavity"
        )
    prev = _gap_at(N, lam, model, K)
    while fits(K + CUTOFF_STEP):
        K += CUTOFF_STEP
        cur = _gap_at(N, lam, model, K)
        change = abs(cur[0] / prev[0] - 1)
        if change < rtol:
            gap, value, sector, slow = cur
            return FiniteNGap(
                N=N, lam=lam, model=model, gap=gap, eigenvalue=value, sector=sector,
                gap_even=slow["even"], gap_odd=slow["odd"], n_cavity=K, n_spin=N + 1,
                change=float(change),
            )
        prev = cur
    raise CutoffError(
        f"the gap at N = {N}, lam = {lam:.4g} changed by {change:.2g} > rtol = {rtol:g} at "
        f"n_cavity = {K}, and a larger cutoff exceeds MAX_GAP_SECTOR = {MAX_GAP_SECTOR}: "
        "lower N or lam, or loosen rtol"
    )
