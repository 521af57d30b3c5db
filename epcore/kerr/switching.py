r"""Switching between the two Kerr branches, and what the closing gap does to a solve.

:func:`gap_row` (:func:`liouvillian_spectrum` as plain floats, for cached sweeps);
:func:`switching_barriers`, the large-deviation barriers that set the exponential closing of
the gap with N; :func:`mode_branch_overlap`, how close the slowest Liouvillian mode is to the
difference of the two branch states; :func:`steady_state_error`, what a closing gap does to a
double-precision steady-state solve.
"""

from __future__ import annotations

import math

import numpy as np
import qutip

from ..models import KerrModel, check_drive, check_size
from ..phasespace import hermitian_normalized
from ..threads import blas_threads
from .exact import exact_density_matrix, exact_moment, large_deviation_rate
from .model import PAPER, liouvillian, mean_field
from .spectrum import liouvillian_spectrum, slowest_mode

__all__ = [
    "gap_row",
    "switching_barriers",
    "steady_state_error",
    "mode_branch_overlap",
]


def gap_row(
    N: float, eps: float, *, model: KerrModel = PAPER
) -> dict[str, float]:
    """:func:`liouvillian_spectrum` as plain floats, for cached sweeps.

    Parameters
    ----------
    N, eps : float
        Size and drive.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.

    Returns
    -------
    dict
        ``N, eps, gap, error, second`` (modulus of the real part of the next eigenvalue),
        ``frequency`` (``|Im|`` of the slowest eigenvalue, 0 for a real one), ``cutoff``,
        ``top_population``, ``norm`` (1-norm of L).

    Raises
    ------
    ValueError
        As :func:`liouvillian_spectrum`.
    """
    r = liouvillian_spectrum(N, eps, model=model, k=2)
    return {"N": float(N), "eps": float(eps), "gap": r.gap, "error": r.error,
            "second": float(abs(r.eigenvalues[-1].real)) if len(r.eigenvalues) > 1 else np.nan,
            "frequency": r.frequency,
            "cutoff": float(r.cutoff),
            "top_population": r.top_population, "norm": r.norm}


def switching_barriers(
    eps: float, *, model: KerrModel = PAPER
) -> tuple[float, float]:
    """``(B_lower, B_upper)``: large-deviation barriers out of the two stable branches.

    With ``f`` the rate function of :func:`epcore.kerr.large_deviation_rate` (the weight of the
    photon-number scale ``nu N`` in the exact solution is ``exp(N f(nu))``), the barrier out of a
    branch is ``f(2 n_branch) - f(2 n_unstable)``. A Kramers-like picture predicts switching
    rates ``~ exp(-N B)`` and a gap ``~ exp(-N min(B))``; at ``eps_c`` the two are equal.

    Parameters
    ----------
    eps : float
        Drive per unit size, inside the bistable window.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.

    Returns
    -------
    tuple of float
        ``(B_lower, B_upper)``.

    Raises
    ------
    ValueError
        Outside the bistable window (one stable branch, no barrier).
    """
    br = mean_field(eps, model=model)
    if len(br) != 3:
        raise ValueError(f"eps = {eps} is outside the bistable window: no barrier")
    f = large_deviation_rate(np.array([2 * b.n for b in br]), eps, model=model)
    return float(f[0] - f[1]), float(f[2] - f[1])

def steady_state_error(
    N: float, eps: float, *, model: KerrModel = PAPER
) -> dict[str, float]:
    """How wrong a double-precision steady-state solve is, against the exact solution.

    Solves ``L rho = 0`` with ``qutip.steadystate`` (sparse LU) in the Fock cutoff of
    :func:`liouvillian_spectrum` (where the slowest mode is converged and the truncation error
    of :func:`epcore.kerr.solver_error` is negligible) and compares ``<a^dag a>`` with
    :func:`epcore.kerr.exact_moment`. What remains is round-off: a perturbation ``delta L`` of
    the matrix mixes in the slowest eigenmode with weight ``<l_1|delta L|rho>/lambda_1``
    (book Eq. dyn-roundoff). The bound ``eps_machine ||L||_1 / gap`` overestimates it; the
    measured error is ``roundoff_gain * eps_machine * kappa / gap`` with a gain of 2 to 60
    at the critical drive (``epcore.kerr.ROUNDOFF_GAIN``).

    Parameters
    ----------
    N, eps : float
        Size and drive.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.

    Returns
    -------
    dict
        ``N, eps, gap, photon_error`` (relative), ``lowest_eigenvalue`` of the solved rho,
        ``predicted`` (the bound ``eps_machine ||L||_1 / gap``), ``roundoff_gain``
        (``photon_error * gap / (eps_machine * kappa)``), ``cutoff``.

    Raises
    ------
    ValueError
        As :func:`liouvillian_spectrum`.
    """
    res = liouvillian_spectrum(N, eps, k=1, model=model)
    d = res.cutoff
    with blas_threads():
        L = liouvillian(N, eps, d, model=model)
        rho = qutip.steadystate(L, method="direct").full()
    rho = hermitian_normalized(rho)
    photons = float(np.sum(np.arange(d) * np.diag(rho).real))
    exact = exact_moment(N, eps, 1, 1, model=model).real
    return {"N": float(N), "eps": float(eps), "gap": res.gap,
            "photon_error": abs(photons - exact) / max(exact, 1e-300),
            "lowest_eigenvalue": float(np.linalg.eigvalsh(rho)[0]),
            "predicted": np.finfo(float).eps * res.norm / res.gap,
            "roundoff_gain": abs(photons - exact) / max(exact, 1e-300) * res.gap
            / (np.finfo(float).eps * model.kappa),
            "cutoff": float(d)}


def mode_branch_overlap(
    N: float, eps: float, *, model: KerrModel = PAPER
) -> dict[str, float]:
    r"""How close the slowest Liouvillian mode is to the difference of the two branch states.

    For two metastable states :math:`\rho_\pm` the slowest right eigenvector is
    :math:`r_1 \propto \rho_+ - \rho_-`. Two versions of :math:`\rho_\pm` are compared with
    :math:`r_1` of :func:`slowest_mode`: the exact steady state (complex-P) projected on the
    Fock levels below and above the dip of its photon distribution, each renormalized; and the
    mean-field coherent states :math:`|\sqrt N\alpha_\pm\rangle`. Both differences are
    normalized to trace norm 1, as :math:`r_1` is, and signed to overlap positively with it.

    Parameters
    ----------
    N, eps : float
        Size and drive, inside the bistable window.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.

    Returns
    -------
    dict
        ``N, eps, eigenvalue`` (real part of :math:`\lambda_1`), ``cutoff``, ``split`` (first
        Fock level of the upper sector); for the projected steady state ``distance`` (trace
        distance :math:`\tfrac12\|\hat r_1 - \hat\Delta\|_1`, between 0 and 1) and
        ``cosine`` (Hilbert-Schmidt overlap of the normalized matrices); the same for the
        coherent states, ``distance_coherent`` and ``cosine_coherent``; and ``upper_weight``,
        the trace of :math:`\hat r_1` over the upper sector (1/2 for a pure difference).

    Raises
    ------
    ValueError
        Bad input or a drive outside the bistable window.
    """
    N, eps = check_size(N), check_drive(eps)
    branches = [b for b in mean_field(eps, model=model) if b.stable]
    if len(branches) != 2:
        raise ValueError(f"eps = {eps} is outside the bistable window: one branch, no pair")
    lam, r = slowest_mode(N, eps, model=model)
    d = r.shape[0]
    rho = exact_density_matrix(N, eps, d, model=model)
    pops = np.diag(rho).real
    lo, hi = (int(round(N * b.n)) for b in branches)
    split = lo + int(np.argmin(pops[lo:hi + 1]))
    lower = np.zeros_like(rho)
    lower[:split, :split] = rho[:split, :split]
    upper = np.zeros_like(rho)
    upper[split:, split:] = rho[split:, split:]
    projected = upper / np.trace(upper).real - lower / np.trace(lower).real
    coherent = (qutip.coherent_dm(d, math.sqrt(N) * branches[1].alpha).full()
                - qutip.coherent_dm(d, math.sqrt(N) * branches[0].alpha).full())

    def compare(diff):
        diff = diff / np.abs(np.linalg.eigvalsh(diff)).sum()
        mode = r if np.vdot(r, diff).real >= 0 else -r
        distance = 0.5 * np.abs(np.linalg.eigvalsh(mode - diff)).sum()
        cosine = np.vdot(mode, diff).real / (np.linalg.norm(mode) * np.linalg.norm(diff))
        return float(distance), float(cosine), mode

    distance, cosine, mode = compare(projected)
    distance_c, cosine_c, _ = compare(coherent)
    return {"N": float(N), "eps": float(eps), "eigenvalue": float(lam.real),
            "cutoff": float(d), "split": float(split), "distance": distance,
            "cosine": cosine, "distance_coherent": distance_c, "cosine_coherent": cosine_c,
            "upper_weight": float(np.trace(mode[split:, split:]).real)}
