r"""Quantum-jump trajectories of the Kerr resonator and the switching read from them.

:func:`jump_trajectory`: photon-counting unravelling of Eq. (B1) with ideal heterodyne
samples; :func:`telegraph` and :func:`dwell_times`: telegraph switching between the branches;
:func:`switching_rates` from the dwell times, and the window-free
:func:`switching_rate_from_correlation` (:func:`correlation_rate`) from the decay of the
autocovariance of the conditional photon number; :func:`heterodyne_histogram`.
"""

from __future__ import annotations

import math

import numpy as np
import qutip

from .. import kerr
from ..errors import ArgumentTypeError, CutoffError
from ..models import (
    KerrModel,
    check_array,
    check_drive,
    check_integer,
    check_memory,
    check_real,
    check_size,
)
from ..settings import settings
from ..threads import blas_threads

__all__ = [
    "jump_trajectory",
    "telegraph",
    "dwell_times",
    "heterodyne_histogram",
    "switching_rates",
    "correlation_rate",
    "switching_rate_from_correlation",
]


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
