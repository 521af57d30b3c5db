"""Dynamics of the two transitions: Liouvillian gap, switching trajectories, drive ramps.

The paper (Goes, Fiore and Landi 2020) studies steady states. This module asks how the Kerr
resonator of Sec. IV gets there, how slowly it does so at the transition, and what entropy it
produces on the way:

* :func:`liouvillian_spectrum`, :func:`liouvillian_gap`: the slowest nonzero eigenvalues of
  the Kerr Liouvillian (Eq. B1), by sparse shift-invert Arnoldi with the zero eigenvalue
  deflated exactly (defined in ``epcore.kerr.spectrum`` with :func:`slowest_mode` and
  :func:`slow_mode_shifts`, and re-exported here); :func:`switching_barriers` gives the
  large-deviation barriers that set their exponential closing with N;
  :func:`steady_state_error` shows what a closing gap does to a double-precision
  steady-state solve;
* :func:`dicke_slowest_rate`: the slowest relaxation rate of the Gaussian Dicke fluctuations
  (drift of Eq. C25), the second-order contrast;
* :func:`jump_trajectory` and :func:`telegraph`, :func:`dwell_times`: quantum-jump
  unravelling, telegraph switching between the branches, and ideal heterodyne samples;
  :func:`switching_rate_from_correlation` (:func:`correlation_rate`): the window-free
  switching rate from the decay of the autocovariance of the conditional photon number;
* :func:`ramp`: ``mesolve`` along a triangular drive ramp, with the entropy balance of
  Eqs. (1), (4)-(8) at every output time (:func:`epcore.phasespace.entropy_balance`) and,
  optionally, its adiabatic and non-adiabatic parts (:func:`entropy_split`);
  :func:`ramp_entropy` and :func:`fast_ramp_limit`: the entropy of a cycle against its
  quasi-static value.

Conventions as in :mod:`epcore.kerr`: ``H = Delta a^dag a + (u/2N) a^dag^2 a^2 + i E (a^dag - a)``,
``E = eps sqrt(N)``, losses ``2 kappa D[a]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import joblib
import numpy as np
import qutip
from tqdm.auto import tqdm

from . import dicke, kerr
from .balance import EntropyBalance
from .errors import ArgumentTypeError, BudgetError, CutoffError

# The Kerr Liouvillian's slowest modes live with the model (epcore.kerr.spectrum); they are
# re-exported here, where the book's chapter on dynamics calls them.
from .kerr.spectrum import (
    MAX_SLOW_MODES,
    GapResult,
    liouvillian_gap,
    liouvillian_spectrum,
    slow_mode_shifts,
    slowest_mode,
)
from .models import (
    DickeModel,
    KerrModel,
    check_array,
    check_couplings,
    check_drive,
    check_integer,
    check_memory,
    check_real,
    check_size,
)
from .phasespace import (
    CUTOFF_TOL,
    coherent_amplitudes,
    coherent_expectations,
    density_matrix,
    entropy_balance,
    hermitian_normalized,
    polar_grid,
    wehrl_entropy,
)
from .settings import settings
from .threads import blas_threads

__all__ = [
    "GapResult",
    "MAX_SLOW_MODES",
    "liouvillian_spectrum",
    "liouvillian_gap",
    "slow_mode_shifts",
    "gap_point",
    "switching_barriers",
    "fit_exponential",
    "fit_activation",
    "steady_state_error",
    "slowest_mode",
    "mode_branch_overlap",
    "dicke_slowest_rate",
    "jump_trajectory",
    "telegraph",
    "dwell_times",
    "heterodyne_histogram",
    "switching_rates",
    "correlation_rate",
    "switching_rate_from_correlation",
    "ramp_entropy",
    "fast_ramp_limit",
    "entropy_split",
    "DRIVE_STEP",
    "triangle",
    "RampResult",
    "ramp",
    "ramp_point",
    "hysteresis_area",
]

#: machine epsilon of double precision
EPS_MACHINE = float(np.finfo(float).eps)
#: The longest drive ramp :func:`ramp` integrates, in decay times 1/kappa.
MAX_RAMP_RATES = 1e6


# ------------------------------------------------------------------------ Liouvillian gap


def gap_point(
    N: float, eps: float, *, model: KerrModel = kerr.PAPER
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
    eps: float, *, model: KerrModel = kerr.PAPER
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
    br = kerr.mean_field(eps, model=model)
    if len(br) != 3:
        raise ValueError(f"eps = {eps} is outside the bistable window: no barrier")
    f = kerr.large_deviation_rate(np.array([2 * b.n for b in br]), eps, model=model)
    return float(f[0] - f[1]), float(f[2] - f[1])


def fit_exponential(sizes, values) -> tuple[float, float, float]:
    """Least-squares fit ``values ~ A exp(-rate N)``: returns ``(rate, A, rate_stderr)``.

    Parameters
    ----------
    sizes, values : array_like
        At least three sizes N and positive values (e.g. the gap at ``eps_c``).

    Returns
    -------
    tuple of float
        The rate, the prefactor and the standard error of the rate.

    Raises
    ------
    ValueError
        Fewer than three points or non-positive values.
    """
    x = np.asarray(sizes, float)
    y = np.asarray(values, float)
    if len(x) < 3 or np.any(y <= 0):
        raise ValueError("need at least three positive values to fit an exponential")
    coef, cov = np.polyfit(x, np.log(y), 1, cov=True)
    return float(-coef[0]), float(np.exp(coef[1])), float(np.sqrt(cov[0, 0]))


def steady_state_error(
    N: float, eps: float, *, model: KerrModel = kerr.PAPER
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
        L = kerr.liouvillian(N, eps, d, model=model)
        rho = qutip.steadystate(L, method="direct").full()
    rho = hermitian_normalized(rho)
    photons = float(np.sum(np.arange(d) * np.diag(rho).real))
    exact = kerr.exact_moment(N, eps, 1, 1, model=model).real
    return {"N": float(N), "eps": float(eps), "gap": res.gap,
            "photon_error": abs(photons - exact) / max(exact, 1e-300),
            "lowest_eigenvalue": float(np.linalg.eigvalsh(rho)[0]),
            "predicted": EPS_MACHINE * res.norm / res.gap,
            "roundoff_gain": abs(photons - exact) / max(exact, 1e-300) * res.gap
            / (EPS_MACHINE * model.kappa),
            "cutoff": float(d)}


def fit_activation(sizes, values) -> dict[str, float]:
    r"""Least-squares fit :math:`\ln y = a - rN + b/N`: an activated law with its first correction.

    A Kramers-type rate is :math:`A e^{-NB}(1 + b/N + \dots)`; a plain exponential fit
    (:func:`fit_exponential`) absorbs the :math:`b/N` term into the rate and misses
    :math:`B` by an amount that does not shrink with more data. Fitting it recovers the rate.

    Parameters
    ----------
    sizes, values : array_like
        At least four sizes N > 0 and positive values (e.g. the gap at :math:`\epsilon_c`).

    Returns
    -------
    dict
        ``rate`` (:math:`r`), ``prefactor`` (:math:`e^a`), ``correction`` (:math:`b`) and
        ``rate_stderr`` (one standard error of :math:`r` from the residuals).

    Raises
    ------
    ValueError
        Fewer than four points, or non-positive sizes or values.
    """
    x = check_array(sizes, "sizes", ndim=1, positive=True)
    y = check_array(values, "values", ndim=1, positive=True)
    if x.shape != y.shape or len(x) < 4:
        raise ValueError("need at least four (size, value) pairs to fit a - rN + b/N")
    design = np.column_stack([np.ones_like(x), -x, 1 / x])
    coef, *_ = np.linalg.lstsq(design, np.log(y), rcond=None)
    resid = np.log(y) - design @ coef
    dof = len(x) - 3
    cov = np.linalg.inv(design.T @ design) * (resid @ resid / dof if dof > 0 else np.nan)
    return {"rate": float(coef[1]), "prefactor": float(np.exp(coef[0])),
            "correction": float(coef[2]), "rate_stderr": float(np.sqrt(cov[1, 1]))}


def mode_branch_overlap(
    N: float, eps: float, *, model: KerrModel = kerr.PAPER
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
    branches = [b for b in kerr.mean_field(eps, model=model) if b.stable]
    if len(branches) != 2:
        raise ValueError(f"eps = {eps} is outside the bistable window: one branch, no pair")
    lam, r = slowest_mode(N, eps, model=model)
    d = r.shape[0]
    rho = kerr.exact_density_matrix(N, eps, d, model=model)
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


# ------------------------------------------------------------------------- Dicke contrast


def dicke_slowest_rate(
    lam, *, model: DickeModel = dicke.PAPER, branch: str = "mean_field"
) -> np.ndarray:
    r"""Slowest relaxation rate :math:`-\max \mathrm{Re}\,\mathrm{eig}(A)` of the Dicke drift.

    :math:`A` is the full drift of Eq. (C25) (:func:`epcore.dicke.drift_matrix`), the generator
    of the means and, through the Lyapunov equation (C24), of the covariances. On the normal
    branch the rate closes linearly at :math:`\lambda_c(\gamma)`
    (``dicke.critical_coupling(shifted=True)``), inside the window where the soft mode is
    overdamped (:func:`epcore.dicke.overdamping_distance`); outside it, it is flat at
    :math:`\gamma + \Gamma/2` (:func:`epcore.dicke.soft_mode_rates`).

    Parameters
    ----------
    lam : float or array_like
        Couplings :math:`\lambda \ge 0`.
    model : DickeModel, optional
        Frequencies and loss rates of the Dicke model, including :math:`\gamma` (Eq. C20);
        default :data:`epcore.dicke.PAPER`.
    branch : str, optional
        ``"mean_field"`` (default) the paper's construction, normal below :math:`\lambda_c`
        and superradiant above; ``"normal"`` the normal phase at every coupling, stable up to
        :math:`\lambda_c(\gamma)` (see :func:`epcore.dicke.drift_matrix`).

    Returns
    -------
    numpy.ndarray
        One rate per coupling (negative where the drift is unstable).

    Raises
    ------
    ValueError
        If a coupling is negative or not finite, or ``branch`` is unknown.
    """
    lam = check_couplings(lam)
    return np.array(
        [-np.linalg.eigvals(dicke.drift_matrix(float(x), model=model, branch=branch)).real.max()
         for x in lam]
    )


# ---------------------------------------------------------------------- trajectories


def jump_trajectory(
    N: float,
    eps: float,
    *,
    t_max: float,
    dt: float = 0.5,
    seed: int = 0,
    model: KerrModel = kerr.PAPER,
    box: float | None = None,
    bins: int = 60,
    sample_every: int = 4,
    max_cutoff: int | None = None,
) -> dict[str, np.ndarray]:
    """One quantum-jump trajectory (``qutip.mcsolve``) of the Kerr master equation (Eq. B1).

    Photon counting of the output field unravels ``2 kappa D[a]`` into jumps ``a`` at rate
    ``2 kappa <a^dag a>`` and a non-Hermitian evolution in between; the conditional state
    ``|psi(t)>`` stays pure. Every ``sample_every``-th output time one *ideal heterodyne*
    outcome ``mu`` is drawn from the conditional Husimi function
    ``Q_psi(mu) = |<mu|psi>|^2 / pi`` (exact inverse-CDF sampling on a square grid of
    ``bins x bins`` cells of side ``2 box / bins``, uniform within the cell). Averaged over a
    long trajectory, ``Q_psi`` is the steady-state Q (ergodicity), so the histogram of these
    outcomes estimates the steady-state Q.

    Parameters
    ----------
    N, eps : float
        Size and drive.
    t_max, dt : float
        Duration and output spacing.
    seed : int
        Seed of the jump times and of the heterodyne samples.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.
    box : float, optional
        Half width of the sampling grid (default: the upper branch plus 4.5).
    bins : int
        Cells per side of the sampling grid.
    sample_every : int
        Output times between two heterodyne samples.
    max_cutoff : int, optional
        The largest Fock cutoff the trajectory may use (default ``epcore.settings.max_cutoff``,
        300); a larger request raises
        ``CutoffError`` before anything is integrated.

    Returns
    -------
    dict
        ``t``, ``photons`` (conditional ``<a^dag a>/N``), ``a_re``, ``a_im`` (conditional
        ``<a>``), ``jumps`` (jump times), ``mu_re``, ``mu_im`` (heterodyne outcomes),
        ``mu_t`` (their times), ``box``, ``cutoff``.

    Raises
    ------
    ValueError
        Bad times.
    epcore.errors.CutoffError
        If the trajectory reaches the top Fock levels (population above ``1e-6``).
    """
    N, eps = check_size(N), check_drive(eps)
    t_max = check_real(t_max, "t_max", positive=True)
    dt = check_real(dt, "dt", positive=True)
    if not dt < t_max:
        raise ValueError(f"need 0 < dt < t_max, got dt = {dt}, t_max = {t_max}")
    seed = check_integer(seed, "seed", minimum=0)
    bins = check_integer(bins, "bins", minimum=2, maximum=10_000)
    sample_every = check_integer(sample_every, "sample_every", minimum=1)
    if box is not None:
        box = check_real(box, "box", positive=True)
    if max_cutoff is None:
        max_cutoff = settings.max_cutoff
    max_cutoff = check_integer(max_cutoff, "max_cutoff", minimum=2)
    d = kerr.initial_cutoff(N, eps, model=model)
    if d > max_cutoff:
        raise CutoffError(
            f"N = {N}, eps = {eps} needs about {d} Fock levels > max_cutoff = {max_cutoff}: "
            "lower N, or raise max_cutoff (time and memory grow with the cutoff)"
        )
    n_times = int(t_max / dt) + 2
    check_memory(16.0 * d * (3 * n_times + 2 * bins * bins),
                 f"a trajectory of {n_times} states of {d} levels", fits="a shorter t_max")
    H = kerr.hamiltonian(N, eps, d, model=model)
    a = qutip.destroy(d)
    times = np.arange(0.0, t_max + dt / 2, dt)
    if box is None:
        box = math.sqrt(N * kerr.mean_field(eps, model=model)[-1].n) + 4.5
    with blas_threads():
        res = qutip.mcsolve(
            H, qutip.basis(d, 0), times, [math.sqrt(2 * model.kappa) * a], ntraj=1, seeds=[seed],
            options={"keep_runs_results": True, "progress_bar": False, "map": "serial",
                     "store_states": True, "atol": 1e-9, "rtol": 1e-7},
        )
        psi = np.column_stack([s.full().ravel() for s in res.runs_states[0]])
    norms = np.linalg.norm(psi, axis=0)
    psi = psi / norms
    photons = (np.arange(d)[:, None] * np.abs(psi) ** 2).sum(axis=0) / N
    mean_a = np.einsum("it,it->t", psi[:-1].conj(), np.sqrt(np.arange(1, d))[:, None] * psi[1:])
    top = float((np.abs(psi[-3:]) ** 2).sum(axis=0).max())
    if top > 1e-6:
        raise CutoffError(f"the trajectory reaches the top Fock levels ({top:.1e}): larger cutoff")
    # ideal heterodyne samples: mu ~ |<mu|psi>|^2 / pi on a grid of cell centres
    edges = np.linspace(-box, box, bins + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    mu = (centres[:, None] + 1j * centres[None, :]).ravel()
    n = np.arange(d)
    log_fact = 0.5 * np.array([math.lgamma(k + 1) for k in n])
    with np.errstate(divide="ignore"):
        log_c = -np.abs(mu)[:, None] ** 2 / 2 + n[None, :] * np.log(np.conj(mu))[:, None]
    C = np.exp(log_c - log_fact[None, :])  # <mu|n>, cells never sit exactly at 0
    pick = np.arange(0, len(times), sample_every)
    rng = np.random.default_rng(seed + 12345)
    draws = rng.random(len(pick))
    idx = np.empty(len(pick), dtype=int)
    # bins^2 x (samples) probabilities, a few hundred samples at a time to bound the memory
    for start in range(0, len(pick), 256):
        part = slice(start, start + 256)
        cdf = np.cumsum(np.abs(C @ psi[:, pick[part]]) ** 2, axis=0)
        cdf /= cdf[-1]
        idx[part] = (cdf < draws[part][None, :]).sum(axis=0)
    idx = np.minimum(idx, len(mu) - 1)
    width = edges[1] - edges[0]
    jitter = (rng.random((2, len(pick))) - 0.5) * width
    samples = mu[idx] + jitter[0] + 1j * jitter[1]
    jumps = np.asarray(res.col_times[0], float) if res.col_times else np.array([])
    return {
        "t": times, "photons": photons, "a_re": mean_a.real, "a_im": mean_a.imag,
        "jumps": jumps, "mu_re": samples.real, "mu_im": samples.imag, "mu_t": times[pick],
        "box": np.array(box), "cutoff": np.array(d),
    }


def telegraph(signal, low: float, high: float) -> np.ndarray:
    """Branch index (0 lower, 1 upper) of a noisy two-level signal, with hysteresis.

    The branch changes to 1 when ``signal`` rises above ``high`` and back to 0 when it falls
    below ``low`` (a Schmitt trigger), so fluctuations inside a branch are not counted as
    switches. Samples before the first crossing get the branch of the first threshold side.

    Parameters
    ----------
    signal : array_like
        The samples, e.g. a smoothed photon number.
    low, high : float
        The two thresholds.

    Returns
    -------
    numpy.ndarray
        0 or 1 per sample.

    Raises
    ------
    ValueError
        If ``low >= high``.
    """
    low, high = check_real(low, "low"), check_real(high, "high")
    if not low < high:
        raise ValueError(f"need low < high, got {low}, {high}")
    x = check_array(signal, "signal", ndim=1)
    state = np.empty(len(x), int)
    s = int(x[0] > (low + high) / 2)
    for i, v in enumerate(x):
        if s == 0 and v > high:
            s = 1
        elif s == 1 and v < low:
            s = 0
        state[i] = s
    return state


def dwell_times(t, branch) -> tuple[np.ndarray, np.ndarray]:
    """Completed dwell times ``(in lower, in upper)`` of a branch sequence on times ``t``.

    The first and last dwells are cut by the ends of the record and are dropped.

    Parameters
    ----------
    t : array_like
        Sample times.
    branch : array_like
        Branch index per sample (:func:`telegraph`).

    Returns
    -------
    tuple of numpy.ndarray
        The completed dwell times in the lower and in the upper branch.
    """
    t = check_array(t, "t", ndim=1, min_size=0)
    branch = check_array(branch, "branch", ndim=1, min_size=0)
    if t.shape != branch.shape:
        raise ValueError(f"t and branch must have the same length, got {t.size}, {branch.size}")
    switch = np.nonzero(np.diff(branch))[0] + 1
    if len(switch) < 2:
        return np.array([]), np.array([])
    starts, ends = switch[:-1], switch[1:]
    durations = t[ends] - t[starts]
    which = branch[starts]
    return durations[which == 0], durations[which == 1]


def switching_rates(
    runs, N: float, eps: float, *, window: float = 5.0, fractions=(0.25, 0.75),
    model: KerrModel = kerr.PAPER,
) -> dict:
    """Dwell times and switching rates from :func:`jump_trajectory` runs.

    The conditional ``<a^dag a>/N`` is averaged over a sliding ``window`` (time units), then
    split into branches by :func:`telegraph` with thresholds at ``fractions`` of the way from
    the lower to the upper mean-field branch. With completed dwells ``tau`` in each branch,
    ``Gamma_up = 1/mean(tau_lower)``, ``Gamma_down = 1/mean(tau_upper)``; for a two-state
    (telegraph) process the Liouvillian gap is ``Gamma_up + Gamma_down``. The result depends
    on ``window`` and ``fractions``, by more than its statistical error when the relaxation
    inside a branch is not much faster than the switching (book ch. 6);
    :func:`switching_rate_from_correlation` needs neither.

    Parameters
    ----------
    runs : list of dict
        Results of :func:`jump_trajectory` at the same ``N``, ``eps`` and model.
    N, eps : float
        Size and drive of the runs.
    window : float, optional
        Width of the moving average, in time units.
    fractions : tuple of float, optional
        Thresholds as fractions of the way from the lower to the upper branch.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.

    Returns
    -------
    dict
        ``lower``, ``upper`` (dwell times), ``gamma_up``, ``gamma_down``, ``rate`` (their
        sum), ``rate_error`` (one standard error, from the exponential law), ``branches``
        (one array per run), ``thresholds``.

    Raises
    ------
    ValueError
        Outside the bistable window, or fewer than two completed dwells per branch.
    """
    N, eps = check_size(N), check_drive(eps)
    window = check_real(window, "window", positive=True)
    fractions = check_array(fractions, "fractions", ndim=1)
    if fractions.shape != (2,) or not 0 <= fractions[0] < fractions[1] <= 1:
        raise ValueError("fractions must be (f_low, f_high) with 0 <= f_low < f_high <= 1")
    if isinstance(runs, dict) or not all(isinstance(r, dict) for r in runs):
        raise ArgumentTypeError("runs must be a list of jump_trajectory results (dicts)")
    br = [b for b in kerr.mean_field(eps, model=model) if b.stable]
    if len(br) != 2:
        raise ValueError(f"eps = {eps} is outside the bistable window: nothing to switch")
    lo = br[0].n + fractions[0] * (br[1].n - br[0].n)
    hi = br[0].n + fractions[1] * (br[1].n - br[0].n)
    lower, upper, branches = [], [], []
    for r in runs:
        t = np.asarray(r["t"])
        w = max(1, int(round(window / (t[1] - t[0]))))
        smooth = np.convolve(r["photons"], np.ones(w) / w, mode="same")
        b = telegraph(smooth, lo, hi)
        branches.append(b)
        dl, du = dwell_times(t, b)
        lower.extend(dl)
        upper.extend(du)
    lower, upper = np.array(lower), np.array(upper)
    if len(lower) < 2 or len(upper) < 2:
        raise ValueError("fewer than two completed dwells per branch: run longer trajectories")
    g_up, g_down = 1 / lower.mean(), 1 / upper.mean()
    err = math.hypot(g_up / math.sqrt(len(lower)), g_down / math.sqrt(len(upper)))
    return {"lower": lower, "upper": upper, "gamma_up": g_up, "gamma_down": g_down,
            "rate": g_up + g_down, "rate_error": err, "branches": branches,
            "thresholds": (lo, hi)}


def _pooled_autocovariance(signals: list[np.ndarray], mean: float, max_lag: int) -> np.ndarray:
    """``C(k) = sum_runs sum_i dx_i dx_{i+k} / sum_runs (n - k)``, ``dx = x - mean``, by FFT."""
    num = np.zeros(max_lag + 1)
    den = np.zeros(max_lag + 1)
    for x in signals:
        y = x - mean
        n = len(y)
        m = min(max_lag, n - 1) + 1
        f = np.fft.rfft(y, 2 * n)
        num[:m] += np.fft.irfft(f * np.conj(f), 2 * n)[:m]
        den[:m] += n - np.arange(m)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _decay_fit(C: np.ndarray, dt: float, k0: int, drop: float) -> tuple[float, float, int]:
    """Slope of ``ln C`` from lag ``k0`` to the first lag where ``C < C(k0) e^-drop``."""
    if not C[k0] > 0:
        raise ValueError(
            f"the autocovariance at t_min is {C[k0]:.2e}, not positive: lower t_min or use "
            "longer records"
        )
    below = np.nonzero(~(C[k0:] >= C[k0] * math.exp(-drop)))[0]
    if below.size == 0:
        raise ValueError(
            f"the autocovariance never falls by e^-{drop:g} within the records: use longer "
            "records or a smaller drop"
        )
    k1 = k0 + int(below[0])
    if k1 - k0 < 3:
        raise ValueError(
            "the autocovariance falls by e^-drop within three samples of t_min: sample the "
            "records more finely or raise drop"
        )
    k = np.arange(k0, k1)
    slope, intercept = np.polyfit(k * dt, np.log(C[k]), 1)
    return float(-slope), float(math.exp(intercept)), k1


def correlation_rate(
    signals, dt: float, *, mean: float, t_min: float, drop: float = 1.5
) -> dict:
    """Decay rate of the autocovariance of stationary records, fitted beyond a fast transient.

    For a stationary record ``x(t)`` with known mean ``m`` the autocovariance
    ``C(tau) = <(x(t) - m)(x(t + tau) - m)>`` is estimated from all records at once (the sum
    over records and times of the products, divided by the number of products at each lag),
    and ``ln C`` is fitted by a straight line from ``tau = t_min`` to the first lag where ``C``
    has fallen below ``C(t_min) e^-drop``. For a telegraph process with switching rates
    ``Gamma_up``, ``Gamma_down`` (book Eq. eq-dyn-telegraph), plus any noise faster than
    ``1/t_min``, the slope is ``Gamma_up + Gamma_down``: no smoothing window and no
    thresholds enter. The error is the jackknife over the records (each left out in turn,
    the fit range found again).

    Parameters
    ----------
    signals : list of array_like
        At least two independent records, each sampled every ``dt`` from its first sample.
    dt : float
        Sampling interval.
    mean : float
        The stationary mean (known exactly, it removes the bias of a sample mean).
    t_min : float
        First lag of the fit: a few times the slowest *fast* relaxation time.
    drop : float, optional
        The fit ends where ``C`` has fallen by ``e^-drop`` from ``C(t_min)`` (the relative noise
        of ``C`` grows as it decays).

    Returns
    -------
    dict
        ``rate`` and ``rate_error`` (one jackknife standard error), ``amplitude`` (the fitted
        ``C`` extrapolated to lag 0), ``fit_range`` (first and last lag of the fit),
        ``lags`` and ``acf`` (``C`` up to twice the end of the fit), ``jackknife`` (the
        leave-one-out rates).

    Raises
    ------
    ValueError
        Fewer than two records, a record shorter than the fit, or a ``C`` that is not
        positive at ``t_min`` or never falls by ``e^-drop``.
    """
    dt = check_real(dt, "dt", positive=True)
    mean = check_real(mean, "mean")
    t_min = check_real(t_min, "t_min", positive=True)
    drop = check_real(drop, "drop", positive=True, maximum=20.0)
    if isinstance(signals, np.ndarray) and signals.ndim == 1:
        raise ArgumentTypeError("signals must be a list of records (1-D arrays), not one record")
    try:
        records = [check_array(s, "each record", ndim=1, min_size=4) for s in signals]
    except TypeError:
        raise ArgumentTypeError("signals must be a list of records (1-D arrays)") from None
    if len(records) < 2:
        raise ValueError("need at least two independent records for the jackknife error")
    k0 = int(round(t_min / dt))
    longest = max(len(x) for x in records)
    if k0 >= longest - 4:
        raise ValueError(f"t_min = {t_min} is longer than the records ({longest} samples of "
                         f"dt = {dt}): lower t_min or use longer records")
    check_memory(8.0 * 8 * longest, f"the autocovariance of records of {longest} samples",
                 fits="shorter records")
    max_lag = longest - 1
    C = _pooled_autocovariance(records, mean, max_lag)
    rate, amplitude, k1 = _decay_fit(C, dt, k0, drop)
    jack = np.array([
        _decay_fit(_pooled_autocovariance(records[:i] + records[i + 1:], mean, max_lag),
                   dt, k0, drop)[0]
        for i in range(len(records))
    ])
    m = len(records)
    error = math.sqrt((m - 1) / m * float(np.sum((jack - jack.mean()) ** 2)))
    shown = min(max_lag, 2 * k1)
    return {"rate": rate, "rate_error": error, "amplitude": amplitude,
            "fit_range": (k0 * dt, (k1 - 1) * dt), "lags": np.arange(shown + 1) * dt,
            "acf": C[: shown + 1], "jackknife": jack}


def switching_rate_from_correlation(
    runs, N: float, eps: float, *, t_min: float = 10.0, drop: float = 1.5,
    t_skip: float = 250.0, model: KerrModel = kerr.PAPER,
) -> dict:
    """Window-free switching rate: decay of the autocovariance of the conditional photon number.

    Along a photon-counting record the conditional state averages, over the future of the
    record, to the unconditional evolution: given the record up to ``t``, the expected
    ``n_psi(t + tau)`` is ``tr(n e^{L tau} psi(t))``. Hence
    ``C(tau) = <dn_psi(t) dn_psi(t + tau)>`` is exactly a sum ``sum_k c_k e^{lambda_k tau}``
    over the Liouvillian eigenvalues (book Eq. eq-dyn-spectral),
    and beyond the fast relaxation inside a branch it decays as ``e^{-lambda tau}``, with
    ``lambda`` the Liouvillian gap ``= Gamma_up + Gamma_down``. :func:`correlation_rate` fits
    that decay on the conditional ``<a^dag a>/N`` of :func:`jump_trajectory` runs, with the
    exact steady-state mean (:func:`epcore.kerr.exact_moment`).

    Parameters
    ----------
    runs : list of dict
        At least two results of :func:`jump_trajectory` at the same ``N``, ``eps``, model and
        output spacing.
    N, eps : float
        Size and drive of the runs.
    t_min : float, optional
        First lag of the fit, several times the fast relaxation time ``1/|Re lambda_2|``.
    drop : float, optional
        See :func:`correlation_rate`.
    t_skip : float, optional
        Time dropped at the start of each run (they start in the vacuum, not in the steady
        state).
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.

    Returns
    -------
    dict
        As :func:`correlation_rate`, plus ``mean`` (the exact ``<a^dag a>/N``) and ``t_skip``
        (the time dropped, rounded to the output spacing).

    Raises
    ------
    ValueError
        Bad input, runs with different output spacings, or a fit that cannot be made (see
        :func:`correlation_rate`).
    """
    N, eps = check_size(N), check_drive(eps)
    t_skip = check_real(t_skip, "t_skip", minimum=0.0)
    if isinstance(runs, dict) or not all(isinstance(r, dict) for r in runs):
        raise ArgumentTypeError("runs must be a list of jump_trajectory results (dicts)")
    steps = {float(np.asarray(r["t"])[1] - np.asarray(r["t"])[0]) for r in runs}
    if len(steps) != 1:
        raise ValueError(f"the runs have different output spacings {sorted(steps)}")
    dt = steps.pop()
    skip = int(round(t_skip / dt))
    mean = kerr.exact_moment(N, eps, 1, 1, model=model).real / N
    out = correlation_rate([np.asarray(r["photons"])[skip:] for r in runs], dt, mean=mean,
                           t_min=t_min, drop=drop)
    out["mean"] = float(mean)
    out["t_skip"] = float(skip * dt)
    return out


def heterodyne_histogram(mu_re, mu_im, box: float, bins: int = 30):
    """2-D histogram density of heterodyne outcomes on the square ``[-box, box]^2``.

    Normalized as a probability density in ``d^2 mu = dRe(mu) dIm(mu)``, the measure of Q.

    Parameters
    ----------
    mu_re, mu_im : array_like
        Real and imaginary parts of the outcomes.
    box : float
        Half width of the square.
    bins : int, optional
        Cells per side.

    Returns
    -------
    density : numpy.ndarray
        ``bins x bins`` array, first index the real part.
    edges : numpy.ndarray
        The ``bins + 1`` cell edges on each axis.
    """
    box = check_real(box, "box", positive=True)
    bins = check_integer(bins, "bins", minimum=1, maximum=100_000)
    mu_re = check_array(mu_re, "mu_re", ndim=1)
    mu_im = check_array(mu_im, "mu_im", ndim=1)
    if mu_re.shape != mu_im.shape:
        raise ValueError("mu_re and mu_im must have the same length")
    edges = np.linspace(-box, box, bins + 1)
    h, _, _ = np.histogram2d(mu_re, mu_im, bins=[edges, edges], density=True)
    return h, edges


# ------------------------------------------------------------------------------- ramps


def triangle(t, t_ramp: float, eps_min: float, eps_max: float):
    """Drive of a triangular ramp: from ``eps_min`` to ``eps_max`` in ``t_ramp``, then back.

    Parameters
    ----------
    t : array_like
        Times in ``[0, 2 t_ramp]``.
    t_ramp : float
        Duration of each leg.
    eps_min, eps_max : float
        Turning points of the drive.

    Returns
    -------
    numpy.ndarray
        The drive at ``t``.
    """
    t_ramp = check_real(t_ramp, "t_ramp", positive=True)
    eps_min, eps_max = check_real(eps_min, "eps_min"), check_real(eps_max, "eps_max")
    x = check_array(t, "t", min_size=0) / t_ramp
    return eps_min + (eps_max - eps_min) * np.where(x <= 1, x, 2 - x)


@dataclass(frozen=True, kw_only=True, repr=False)
class RampResult(EntropyBalance):
    """Time series along a drive ramp (arrays indexed by the output times).

    An array-valued :class:`~epcore.balance.EntropyBalance`: its terms are NaN when the
    balance was not computed (``balance=False``); ``pi`` and ``phi`` are the total entropy
    production and flux, Eqs. (6) and (5), at each time.

    Parameters
    ----------
    pi_ext, pi_u, pi_d, phi_ext, phi_q : numpy.ndarray
        The terms of Eqs. (7)-(8) at each output time.
    N, t_ramp : float
        Size and duration of each leg.
    t, eps : numpy.ndarray
        Output times and the drive at them.
    photons : numpy.ndarray
        ``<a^dag a>/N``.
    S : numpy.ndarray
        Wehrl entropy (Eq. 4).
    dS_dt : numpy.ndarray
        The rate ``-int (dQ/dt) ln Q`` with ``dQ/dt`` from the master equation at that time.
    wehrl_ends : tuple of float
        Wehrl entropy of the first and last states.
    pi_na, pi_a : numpy.ndarray or None
        Non-adiabatic and adiabatic parts of ``pi`` (:func:`entropy_split`, with the exact
        steady state at ``eps(t)``); NaN unless :func:`ramp` was called with ``split=True``.
    relative_entropy : numpy.ndarray or None
        ``D = int Q ln(Q / Q_ss)``, the distance from the instantaneous steady state.
    hatano_sasa : numpy.ndarray or None
        ``Y = -int Q d_t ln Q_ss``; ``pi_na = Y - dD/dt``.
    """

    N: float
    t_ramp: float
    t: np.ndarray
    eps: np.ndarray
    photons: np.ndarray
    S: np.ndarray
    dS_dt: np.ndarray
    wehrl_ends: tuple[float, float] = (float("nan"), float("nan"))
    pi_na: np.ndarray | None = None
    pi_a: np.ndarray | None = None
    relative_entropy: np.ndarray | None = None
    hatano_sasa: np.ndarray | None = None

    @property
    def area(self) -> float:
        """Hysteresis area ``-oint <a^dag a>/N d eps`` of the loop."""
        return hysteresis_area(self.eps, self.photons)


def hysteresis_area(eps, photons) -> float:
    """Hysteresis area ``-oint n d eps`` of a closed ramp.

    Positive when the way up lies below the way down.

    Parameters
    ----------
    eps : array_like
        The drive along the loop.
    photons : array_like
        ``<a^dag a>/N`` at the same points.

    Returns
    -------
    float
        The area.
    """
    eps = check_array(eps, "eps", ndim=1, min_size=0)
    photons = check_array(photons, "photons", ndim=1, min_size=0)
    if eps.shape != photons.shape:
        raise ValueError(
            f"eps and photons must have the same length, got {eps.size} and {photons.size}"
        )
    if eps.size < 2:
        raise ValueError("a hysteresis loop needs at least two points")
    return float(-np.trapezoid(photons, eps))


def _lindblad_rate(rho: np.ndarray, H: np.ndarray, kappa: float) -> np.ndarray:
    """``-i[H, rho] + 2 kappa D[a] rho`` (Eq. B1 with the Hamiltonian ``H``), dense."""
    d = rho.shape[0]
    a = np.diag(np.sqrt(np.arange(1, d, dtype=float)), 1)
    n = a.T @ a
    return (-1j * (H @ rho - rho @ H)
            + 2 * kappa * (a @ rho @ a.T - 0.5 * (n @ rho + rho @ n)))


def entropy_split(rho, rho_ss, H, loss_rate: float, *, drho_ss=None) -> dict[str, float]:
    r"""Adiabatic and non-adiabatic parts of the Wehrl entropy production of one state.

    With :math:`Q` the Husimi function of ``rho``, :math:`Q_{\rm ss}` that of the steady state
    ``rho_ss`` of the *same* Hamiltonian (the instantaneous steady state along a ramp) and
    :math:`\partial_t Q` from the master equation (Eq. B1), the book's split (ch. 6, after
    Esposito and Van den Broeck 2010) is

    .. math::

        \Pi_{\rm na} = -\int \partial_t Q\,\ln\frac{Q}{Q_{\rm ss}}\, d^2\mu, \qquad
        \Pi_{\rm a} = \Phi - \int \partial_t Q\,\ln Q_{\rm ss}\, d^2\mu,

    so that :math:`\Pi_{\rm a} + \Pi_{\rm na} = \Pi` by Eq. (1)
    (:math:`\mathrm{d}S/\mathrm{d}t = -\int\partial_t Q\ln Q = \Pi - \Phi`,
    :math:`\Phi = 2\kappa\langle a^\dagger a\rangle`). With the relative entropy
    :math:`D = \int Q\ln(Q/Q_{\rm ss})` and :math:`Y = -\int Q\,\partial_t\ln Q_{\rm ss}`
    (the Hatano-Sasa rate, needs ``drho_ss``), :math:`\Pi_{\rm na} = Y - \mathrm{d}D/\mathrm{d}t`.
    Everything is evaluated on one polar grid that covers both Husimi functions
    (:func:`epcore.phasespace.polar_grid`), without derivatives on the grid.

    Parameters
    ----------
    rho, rho_ss : qutip.Qobj or array_like
        The state and the steady state of ``H``, density matrices on the same Fock levels.
    H : qutip.Qobj or array_like
        The Hamiltonian of Eq. (2) at this time, drive included.
    loss_rate : float
        Loss rate :math:`\kappa` (losses ``2 kappa D[a]``).
    drho_ss : array_like, optional
        :math:`\mathrm{d}\rho_{\rm ss}/\mathrm{d}t` along the protocol, for ``hatano_sasa``.

    Returns
    -------
    dict
        ``pi_na``, ``pi_a``, ``phi`` (:math:`\Phi`), ``dS_dt``, ``relative_entropy``
        (:math:`D \ge 0`), ``hatano_sasa`` (:math:`Y`, NaN without ``drho_ss``),
        ``normalization`` (:math:`\int Q_{\rm ss}` on the grid, a quadrature diagnostic).

    Raises
    ------
    ValueError
        Bad states (see :func:`epcore.phasespace.density_matrix`), a non-Hermitian ``H``,
        mismatched shapes, or a steady state that vanishes to round-off where ``rho`` has weight
        (:math:`\ln Q_{\rm ss}` cannot be evaluated: the relative entropy is beyond double
        precision).
    """
    loss_rate = check_real(loss_rate, "loss_rate", positive=True)
    rho = density_matrix(rho)
    rho_ss = density_matrix(rho_ss)
    d = rho.shape[0]
    if rho_ss.shape != rho.shape:
        raise ValueError(f"rho has {d} Fock levels but rho_ss has {rho_ss.shape[0]}")
    if isinstance(H, qutip.Qobj):
        H = H.full()
    H = check_array(H, "H", ndim=2, complex_ok=True).astype(complex)
    if H.shape != rho.shape:
        raise ValueError(f"H has shape {H.shape}, but the state has {d} Fock levels")
    if np.abs(H - H.conj().T).max() > 1e-10 * max(1.0, np.abs(H).max()):
        raise ValueError("H is not Hermitian")
    ops = [rho, rho_ss, _lindblad_rate(rho, H, loss_rate)]
    if drho_ss is not None:
        if isinstance(drho_ss, qutip.Qobj):
            drho_ss = drho_ss.full()
        drho_ss = check_array(drho_ss, "drho_ss", ndim=2, complex_ok=True).astype(complex)
        if drho_ss.shape != rho.shape:
            raise ValueError(f"drho_ss has shape {drho_ss.shape}, the state {rho.shape}")
        ops.append(drho_ss)
    pops = np.maximum(np.diag(rho).real, np.diag(rho_ss).real)
    grid = polar_grid(pops, harmonics=d)
    values = coherent_expectations(grid, ops)
    Q, Q_ss, dQ = (v.real / np.pi for v in values[:3])
    mask = Q > 1e-13 * Q.max()
    # round-off of Q_ss at radius r: the Fourier sum adds terms up to c(r)^T |rho_ss| c(r) / pi
    # with c_n(r) = exp(-r^2/2) r^n / sqrt(n!); ln Q_ss must be good to 1 % wherever Q holds
    # more than 1e-9 of its maximum
    c = coherent_amplitudes(grid.r, d)
    floor = (10 * EPS_MACHINE / np.pi * np.einsum("rm,mn,rn->r", c, np.abs(rho_ss), c))[:, None]
    if np.any((Q_ss < 100 * floor) & (Q > 1e-9 * Q.max())):
        raise ValueError("the steady state is below the round-off of its Husimi function where "
                         "the state has weight: ln Q_ss cannot be evaluated in double precision "
                         "(use a smaller N, or a state nearer the steady state)")
    log_q = np.log(np.where(mask, Q, 1.0))
    log_ss = np.log(np.where(mask, np.maximum(Q_ss, floor), 1.0))
    integrate = grid.integrate
    photons = float(np.sum(np.arange(d) * np.diag(rho).real))
    phi = 2 * loss_rate * photons
    dS = float(-integrate(np.where(mask, dQ * log_q, 0.0)))
    drive = float(integrate(np.where(mask, dQ * log_ss, 0.0)))
    D = float(integrate(np.where(mask, Q * (log_q - log_ss), 0.0)))
    Y = float("nan")
    if drho_ss is not None:
        dQ_ss = values[3].real / np.pi
        Y = float(-integrate(np.where(mask, Q * dQ_ss / np.maximum(Q_ss, floor), 0.0)))
    return {"pi_na": dS + drive, "pi_a": phi - drive, "phi": phi, "dS_dt": dS,
            "relative_entropy": D, "hatano_sasa": Y,
            "normalization": float(integrate(Q_ss))}


#: Step in the drive of the central difference that gives d rho_ss / d eps along a ramp.
DRIVE_STEP = 1e-4


def _balance_chunk(states, epsilons, rates, N, d, model, split):
    """Entropy balance (and, with ``split``, :func:`entropy_split`) of ramp states."""
    out = []
    with blas_threads():
        for m, e, v in zip(states, epsilons, rates, strict=True):
            e = float(e)
            H = kerr.hamiltonian(N, e, d, model=model)
            b = entropy_balance(m, H, model.kappa)
            row = (b.wehrl, b.pi_ext, b.phi_ext, b.pi_u, b.pi_d, b.phi_q, b.wehrl_rate)
            if split:
                ss = kerr.exact_density_matrix(N, e, d, model=model)
                lo, hi = max(e - DRIVE_STEP, 0.0), e + DRIVE_STEP
                drho = v * (kerr.exact_density_matrix(N, hi, d, model=model)
                            - kerr.exact_density_matrix(N, lo, d, model=model)) / (hi - lo)
                s = entropy_split(m, ss, H, model.kappa, drho_ss=drho)
                row += (s["pi_na"], s["pi_a"], s["relative_entropy"], s["hatano_sasa"])
            else:
                row += (np.nan,) * 4
            out.append(row)
    return out


def ramp(
    N: float,
    t_ramp: float,
    *,
    eps_min: float = 0.6,
    eps_max: float = 1.25,
    n_out: int = 2000,
    balance: bool = True,
    split: bool = False,
    model: KerrModel = kerr.PAPER,
    atol: float = 1e-12,
    rtol: float = 1e-10,
    n_jobs: int | None = None,
    progress: bool = True,
) -> RampResult:
    """Drive the Kerr resonator up through the bistable window and back (dynamical hysteresis).

    Starts in the exact steady state at ``eps_min`` (:func:`epcore.kerr.exact_density_matrix`)
    and integrates Eq. (B1) with ``qutip.mesolve`` (Verner 7 on the Liouvillian
    ``L0 + eps(t) L1``) along :func:`triangle` (total time ``2 t_ramp``). With
    ``balance=True`` the entropy balance of Eqs. (1), (4)-(8) is evaluated at each of the
    ``n_out`` output times by :func:`epcore.phasespace.entropy_balance` with the Hamiltonian of
    that time, on ``n_jobs`` processes.

    Parameters
    ----------
    N, t_ramp : float
        Size and duration of each leg of the ramp.
    eps_min, eps_max : float
        Turning points of the drive.
    n_out : int
        Output times, equally spaced over ``[0, 2 t_ramp]``.
    balance : bool
        Compute the entropy balance (else only ``photons``; the rest is NaN).
    split : bool
        Also split ``pi`` into its adiabatic and non-adiabatic parts (:func:`entropy_split`
        with the exact steady state at ``eps(t)``, :func:`epcore.kerr.exact_density_matrix`,
        and its rate of change from a central difference in the drive, step
        :data:`DRIVE_STEP`, times the slope of :func:`triangle`, taken as the rising one at
        ``t = t_ramp``). Needs ``balance``.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.
    atol, rtol : float
        ODE tolerances (the defaults keep every state positive to 1e-9, as the phase-space
        engine requires).
    n_jobs : int, optional
        Processes for the balance (default ``epcore.settings.n_jobs``).
    progress : bool
        Show tqdm bars.

    Returns
    -------
    RampResult
        The time series; ``area`` gives the hysteresis area.

    Raises
    ------
    ValueError
        Bad input, a state that reaches the top Fock levels, or a state made non-positive by
        the ODE error.
    """
    N = check_size(N)
    t_ramp = check_real(t_ramp, "t_ramp", positive=True)
    if n_jobs is None:
        n_jobs = settings.n_jobs
    eps_min, eps_max = check_drive(eps_min), check_drive(eps_max)
    if not 0 <= eps_min < eps_max:
        raise ValueError(f"need 0 <= eps_min < eps_max, got {eps_min}, {eps_max}")
    n_out = check_integer(n_out, "n_out", minimum=3)
    if split and not balance:
        raise ValueError("split=True needs balance=True")
    # the integrator resolves the slowest of kappa and the Kerr frequencies: refuse ramps that
    # would need more than MAX_RAMP_RATES decay times
    if t_ramp * model.kappa > MAX_RAMP_RATES:
        raise BudgetError(
            f"t_ramp = {t_ramp} is {t_ramp * model.kappa:.3g} decay times 1/kappa, more than "
            f"MAX_RAMP_RATES = {MAX_RAMP_RATES:g}: shorten the ramp"
        )
    d = kerr.initial_cutoff(N, eps_max, model=model)
    a = qutip.destroy(d)
    L0 = kerr.liouvillian(N, 0.0, d, model=model)
    L1 = qutip.liouvillian(1j * math.sqrt(N) * (a.dag() - a))
    # the drive as a piecewise-linear array coefficient: exact for the triangle, evaluated in C
    knots = np.linspace(0, 2 * t_ramp, 4097)
    Lt = qutip.QobjEvo([L0, [L1, triangle(knots, t_ramp, eps_min, eps_max)]], tlist=knots,
                       order=1)
    rho0 = qutip.Qobj(kerr.exact_density_matrix(N, eps_min, d, model=model))
    t = np.linspace(0, 2 * t_ramp, int(n_out))
    eps = triangle(t, t_ramp, eps_min, eps_max)
    options = {"atol": atol, "rtol": rtol, "method": "vern7", "store_states": True,
               "progress_bar": "tqdm" if progress else False}
    with blas_threads():
        res = qutip.mesolve(Lt, rho0, t, options=options)
    states = [hermitian_normalized(s.full()) for s in res.states]
    top = max(np.diag(m).real[-3:].sum() for m in states)
    if top > CUTOFF_TOL:
        raise ValueError(f"the ramp state reaches the top Fock levels ({top:.1e}): lower eps_max")
    lowest = min(np.linalg.eigvalsh(m)[0] for m in states)
    if lowest < -1e-9:
        raise ValueError(f"a ramp state is not positive (lowest eigenvalue {lowest:.1e}): the "
                         "ODE error is too large, tighten atol and rtol")
    photons = np.array([np.sum(np.arange(d) * np.diag(m).real) for m in states]) / N
    nan = np.full(len(t), np.nan)
    cols = [nan] * 11
    ends = (wehrl_entropy(states[0]), wehrl_entropy(states[-1]))
    if balance:
        # d eps / dt of the triangle, the rising slope up to and including t = t_ramp
        speed = (eps_max - eps_min) / t_ramp * np.where(t <= t_ramp, 1.0, -1.0)
        chunks = np.array_split(np.arange(len(t)), max(1, 8 * n_jobs))
        jobs = (joblib.delayed(_balance_chunk)([states[i] for i in c], eps[c], speed[c], N, d,
                                               model, bool(split))
                for c in chunks)
        parallel = joblib.Parallel(n_jobs=n_jobs, return_as="generator")
        rows = []
        for part in tqdm(parallel(jobs), total=len(chunks), desc="entropy balance",
                         disable=not progress):
            rows.extend(part)
        cols = [np.array(c) for c in zip(*rows, strict=True)]
    S, pi_ext, phi_ext, pi_u, pi_d, phi_q, dS, pi_na, pi_a, rel, hs = cols
    return RampResult(pi_ext=pi_ext, pi_u=pi_u, pi_d=pi_d, phi_ext=phi_ext, phi_q=phi_q, N=N,
                      t_ramp=float(t_ramp), t=t, eps=eps, photons=photons, S=S, dS_dt=dS,
                      wehrl_ends=ends, pi_na=pi_na, pi_a=pi_a, relative_entropy=rel,
                      hatano_sasa=hs)


def ramp_point(
    N: float, t_ramp: float, *, n_out: int = 400, balance: bool = False, **options
) -> dict[str, np.ndarray]:
    """:func:`ramp` as a dict of arrays for cached sweeps (serial, no progress bars).

    Parameters
    ----------
    N, t_ramp : float
        Size and duration of each leg of the ramp.
    n_out : int, optional
        Output times (fewer than :func:`ramp` by default).
    balance : bool, optional
        Compute the entropy balance (off by default: hysteresis needs only ``photons``).
    **options
        ``eps_min``, ``eps_max``, ``split``, ``model``, ``atol``, ``rtol``: passed on to
        :func:`ramp`.

    Returns
    -------
    dict
        ``N``, ``t_ramp``, ``area``, ``wehrl_ends`` and the columns of :class:`RampResult`
        (:meth:`~epcore.balance.EntropyBalance.columns`: the terms, ``pi``, ``phi``,
        ``residual``, ``t``, ``eps``, ``photons``, ``S``, ``dS_dt``, ``pi_na``, ``pi_a``,
        ``relative_entropy``, ``hatano_sasa``).

    Raises
    ------
    ValueError
        As :func:`ramp`.
    """
    r = ramp(N, t_ramp, n_out=n_out, balance=balance, n_jobs=1, progress=False, **options)
    return {"N": N, "t_ramp": t_ramp, "area": r.area, "wehrl_ends": np.array(r.wehrl_ends),
            **r.columns()}


def ramp_entropy(
    N: float, t, eps, photons, wehrl_ends, *, model: KerrModel = kerr.PAPER
) -> dict[str, float]:
    """Entropy produced along a ramp, and relative to the quasi-static value (book ch. 6).

    By Eq. (1), ``int Pi dt = int Phi dt + S(end) - S(start)`` with ``Phi = 2 kappa <a^dag a>``
    (Eq. 5). Quasi-statically the state is the steady state at every ``eps(t)``, where
    ``Pi = Phi``, so ``Sigma_qs = 2 kappa int <a^dag a>_ss(eps(t)) dt`` (exact moments,
    :func:`epcore.kerr.exact_moment`). The difference has no sign: it is not the excess
    entropy production of Hatano-Sasa or Oono-Paniconi (for that split see
    :func:`entropy_split`).

    Parameters
    ----------
    N : float
        Size.
    t, eps, photons : array_like
        Output times, drive and ``<a^dag a>/N`` of a ramp (:class:`RampResult`).
    wehrl_ends : tuple of float
        Wehrl entropy of the first and last states.
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.

    Returns
    -------
    dict
        ``produced`` (``Sigma``), ``quasi_static`` (``Sigma_qs``), ``difference``
        (``Sigma - Sigma_qs``) and ``relative`` (``Sigma / Sigma_qs - 1``), all dimensionless
        (entropy, not rates).

    Raises
    ------
    ValueError
        Arrays of different lengths, fewer than two times, negative drives or photon numbers,
        or ``wehrl_ends`` that is not a pair.
    """
    N = check_size(N)
    t = check_array(t, "t", ndim=1, min_size=2)
    eps = check_array(eps, "eps", ndim=1, minimum=0.0)
    photons = check_array(photons, "photons", ndim=1, minimum=0.0)
    if not t.shape == eps.shape == photons.shape:
        raise ValueError(f"t, eps and photons must have the same length, got {t.size}, "
                         f"{eps.size}, {photons.size}")
    wehrl_ends = check_array(wehrl_ends, "wehrl_ends", ndim=1)
    if wehrl_ends.shape != (2,):
        raise ValueError("wehrl_ends must be the Wehrl entropies (S_start, S_end)")
    n_ss = np.array([kerr.exact_moment(N, float(e), 1, 1, model=model).real for e in eps])
    flux = 2 * model.kappa * N * np.trapezoid(np.asarray(photons, float), t)
    produced = flux + wehrl_ends[1] - wehrl_ends[0]
    quasi = 2 * model.kappa * np.trapezoid(n_ss, t)
    if not quasi > 0:
        raise ValueError("the quasi-static entropy is zero (no drive, no photons): nothing to "
                         "compare with")
    return {"produced": float(produced), "quasi_static": float(quasi),
            "difference": float(produced - quasi), "relative": float(produced / quasi - 1)}


def fast_ramp_limit(
    N: float, *, eps_min: float = 0.6, eps_max: float = 1.25, model: KerrModel = kerr.PAPER,
    nodes: int = 64,
) -> dict[str, float]:
    """The ``T -> 0`` limit of ``ramp_entropy(...)["relative"]`` for a triangular ramp.

    A ramp much faster than every relaxation leaves the state at the steady state of
    ``eps_min``: ``S`` does not change and ``Sigma = 2 kappa (2T) <a^dag a>_ss(eps_min)``, while
    ``Sigma_qs`` averages ``<a^dag a>_ss`` over the drive, uniformly on ``[eps_min, eps_max]``
    (the triangle passes every drive twice at the same speed). Hence
    ``Sigma / Sigma_qs - 1 -> n_ss(eps_min) / <n_ss> - 1``, with the drive average done by
    ``nodes``-point Gauss-Legendre quadrature of the exact moments
    (:func:`epcore.kerr.exact_moment`).

    Parameters
    ----------
    N : float
        Size.
    eps_min, eps_max : float, optional
        Turning points of the ramp (defaults as :func:`ramp`).
    model : KerrModel, optional
        Loss rate, detuning and Kerr nonlinearity (Eqs. 11, B1); default ``kerr.PAPER``.
    nodes : int, optional
        Quadrature nodes.

    Returns
    -------
    dict
        ``relative`` (the limit), ``start`` (``<a^dag a>_ss(eps_min)/N``) and ``average``
        (``<n_ss>/N`` over the drive).

    Raises
    ------
    ValueError
        Bad input, or ``eps_min >= eps_max``.
    """
    N = check_size(N)
    eps_min, eps_max = check_drive(eps_min), check_drive(eps_max)
    if not eps_min < eps_max:
        raise ValueError(f"need eps_min < eps_max, got {eps_min}, {eps_max}")
    nodes = check_integer(nodes, "nodes", minimum=2, maximum=10_000)
    x, w = np.polynomial.legendre.leggauss(nodes)
    e = eps_min + (eps_max - eps_min) * (x + 1) / 2
    n = np.array([kerr.exact_moment(N, float(v), 1, 1, model=model).real for v in e]) / N
    average = float(np.dot(w, n) / 2)
    start = kerr.exact_moment(N, eps_min, 1, 1, model=model).real / N
    if not average > 0:
        raise ValueError("the cavity holds no photons over the ramp: nothing to compare with")
    return {"relative": float(start / average - 1), "start": float(start),
            "average": average}
