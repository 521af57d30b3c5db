"""Figures of the dynamics chapter (chapters/06_dynamics.md), registered as ``dynamics-*``.

Every function takes keyword options only, draws one figure and returns ``(fig, data)``. The
expensive data come from :func:`epcore.sweep.sweep` (two workers, disk cache), through the
``*_data`` functions that the chapter also calls for its numbers.
"""

from __future__ import annotations

import numpy as np

from .. import dicke, dynamics, kerr
from ..figures import register
from ..phasespace import husimi
from ..sweep import finite_n_gap_scan, sweep
from .style import WIDTH

__all__ = [
    "gap_data",
    "gap",
    "solver_rows",
    "mode_rows",
    "solve_error_data",
    "solve_error",
    "dicke_rate_data",
    "dicke_rate",
    "dicke_gap_data",
    "dicke_gap",
    "DICKE_GAP_MODEL",
    "trajectory_data",
    "switching",
    "correlation",
    "heterodyne",
    "ramp_data",
    "hysteresis",
    "split_data",
    "ramp_split",
    "ramp_balance_data",
    "ramp_balance",
]

GAP_SIZES = (5, 10, 15)
SCALING_SIZES = (5, 10, 15, 20, 25, 30, 35, 40)
TRAJ = {"N": 4, "eps": 0.975, "t_max": 10_000.0, "n_runs": 16}
#: smoothing windows of the dwell-time definition of the switching rates
WINDOWS = (1.0, 2.0, 5.0, 10.0, 20.0)
#: first lag of the fit of the autocovariance, many fast relaxation times 1/|Re lambda_2|
CORRELATION_T_MIN = 10.0
RAMP_SIZES = (3, 4, 5)
RAMP_TIMES = (0.1, 0.3, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0, 50.0, 70.0, 100.0,
              150.0, 200.0, 300.0)
#: ramp times of the loops drawn in panel (a) of the hysteresis figure
LOOP_TIMES = (3.0, 10.0, 30.0, 100.0, 300.0)
#: size and ramp times of the adiabatic / non-adiabatic split
SPLIT = {"N": 4, "times": (3.0, 10.0, 30.0, 100.0, 300.0), "n_out": 300, "shown": 30.0}
#: The Dicke model of the finite-N gap in chapter 6, a cavity faster than the spin but not a
#: bad one, with a collective decay gamma = omega0 (so lambda_c(gamma) = sqrt(2) lambda_c).
DICKE_GAP_MODEL = dicke.PAPER.replace(omega0=0.1, omega=1.0, kappa=0.2, gamma=0.1)
DICKE_GAP_SIZES = {1.0: (2, 3, 4, 5, 6, 7, 8), 1.5: (2, 3, 4, 5, 6, 7)}


def _color(i: int, n: int):
    import matplotlib.pyplot as plt

    return plt.get_cmap("viridis")(0.9 * i / max(1, n - 1))


# ------------------------------------------------------------------------------- the gap


def gap_data(*, sizes=GAP_SIZES, scaling=SCALING_SIZES, n_eps: int = 21) -> dict:
    r"""Liouvillian gap of the Kerr model vs the drive, and at eps_c vs N with its exponential fit.

    Every point is :func:`epcore.kerr.gap_row` (the smallest nonzero
    :math:`|\mathrm{Re}\,\lambda|` of the Liouvillian of Eq. B1) through the cached
    :func:`epcore.sweep.sweep`. The gap at :math:`\epsilon_c` is fitted as
    :math:`A e^{-rN}` (:func:`epcore.dynamics.fit_exponential`) on all sizes of ``scaling`` but
    the first, and compared with the large-deviation barrier :math:`B` of
    :func:`epcore.kerr.switching_barriers` (ch. 6).

    Parameters
    ----------
    sizes : tuple of int, optional
        Sizes N of the gap-against-drive curves.
    scaling : tuple of int, optional
        Sizes N at which the gap is computed at :math:`\epsilon_c`, increasing; at least four
        (the fit leaves out the first and needs three). The fits with a :math:`1/N` term need
        five (six for the one without the largest size) and are NaN with fewer.
    n_eps : int, optional
        Drives evenly spread over [0.6, 1.3].

    Returns
    -------
    dict
        ``eps`` (drives), ``sizes``, ``scaling`` (arrays); ``gap`` (2-D, one row per size of
        ``sizes``, one column per drive); ``frequency`` (same shape: ``|Im lambda_1|``, 0 where
        the slowest mode does not oscillate); ``gap_c``, ``error_c`` and ``cutoff_c`` (the gap
        at :math:`\epsilon_c`, its estimated round-off error and the Fock cutoff, per size of
        ``scaling``); ``rate``, ``prefactor`` and ``rate_error`` of the plain fit
        :math:`A e^{-rN}`; ``rate_corrected``, ``rate_corrected_error``,
        ``prefactor_corrected`` and ``correction`` of the fit
        :math:`\ln\lambda = a - rN + b/N` (:func:`epcore.dynamics.fit_activation`);
        ``kramers`` (:func:`epcore.kerr.kramers_gap` per size of ``scaling``) and its
        N-independent prefactor ``kramers_prefactor`` (:func:`epcore.kerr.kramers_prefactor`
        at the smallest size); ``last_cutoffs`` and ``last_gaps``
        (the gap at the largest size in its own cutoff and 25 and 50 levels more);
        ``rates_by_cutoff`` and ``stderr_by_cutoff`` (the corrected fit with the largest size's
        gap from each of those cutoffs) and ``rate_without_last`` (without the largest size);
        ``barrier``, the smaller of the two barriers at :math:`\epsilon_c`; ``eps_c``. Rates
        in the units of the model's parameters (:math:`\kappa = 1/2`).

    Raises
    ------
    ValueError
        From :func:`epcore.dynamics.fit_exponential` (fewer than three sizes fitted) or from
        the gap computation (a Fock cutoff that cannot be trusted, a gap below its own
        round-off).
    """
    eps_c = kerr.critical_drive()
    eps = np.linspace(0.6, 1.3, n_eps)
    rows = sweep(kerr.gap_row, [{"N": N, "eps": float(e)} for N in sizes for e in eps],
                 desc="gap vs drive")
    crit = sweep(kerr.gap_row, [{"N": N, "eps": eps_c} for N in scaling],
                 desc="gap at eps_c")
    gaps_c = np.array([r["gap"] for r in crit])
    rate, pref, err = dynamics.fit_exponential(scaling[1:], gaps_c[1:])
    nan_fit = {"rate": np.nan, "prefactor": np.nan, "correction": np.nan, "rate_stderr": np.nan}

    def corrected_fit(sizes_, gaps_):  # a - rN + b/N needs four points (NaN with fewer)
        return dynamics.fit_activation(sizes_, gaps_) if len(sizes_) >= 4 else nan_fit

    corrected = corrected_fit(scaling[1:], gaps_c[1:])
    # the same largest size at two larger cutoffs: the truncation and round-off spread
    d_last = int(crit[-1]["cutoff"])
    more = sweep(_gap_at_cutoff, [{"N": scaling[-1], "eps": eps_c, "cutoff": d_last + extra}
                                  for extra in (25, 50)], desc="gap vs cutoff")
    kramers = np.array([kerr.kramers_gap(N, eps_c) for N in scaling])
    last_gaps = np.array([gaps_c[-1], *more])
    by_cutoff = [corrected_fit(scaling[1:], [*gaps_c[1:-1], g]) for g in last_gaps]
    without_last = corrected_fit(scaling[1:-1], gaps_c[1:-1])
    return {"eps": eps, "sizes": np.array(sizes), "scaling": np.array(scaling),
            "gap": np.array([r["gap"] for r in rows]).reshape(len(sizes), len(eps)),
            "frequency": np.array([r["frequency"] for r in rows]).reshape(len(sizes), len(eps)),
            "gap_c": gaps_c, "error_c": np.array([r["error"] for r in crit]),
            "cutoff_c": np.array([r["cutoff"] for r in crit]),
            "rate": rate, "prefactor": pref, "rate_error": err,
            "rate_corrected": corrected["rate"], "rate_corrected_error": corrected["rate_stderr"],
            "prefactor_corrected": corrected["prefactor"],
            "correction": corrected["correction"],
            "kramers": kramers, "kramers_prefactor": kerr.kramers_prefactor(scaling[0], eps_c),
            "last_cutoffs": np.array([d_last, d_last + 25, d_last + 50]),
            "last_gaps": last_gaps,
            "rates_by_cutoff": np.array([f["rate"] for f in by_cutoff]),
            "stderr_by_cutoff": np.array([f["rate_stderr"] for f in by_cutoff]),
            "rate_without_last": without_last["rate"],
            "barrier": min(kerr.switching_barriers(eps_c)), "eps_c": eps_c}


def _gap_at_cutoff(N: float, eps: float, cutoff: int) -> float:
    """The gap of :func:`epcore.kerr.liouvillian_spectrum` in a given cutoff (cached)."""
    return kerr.liouvillian_spectrum(N, eps, k=1, cutoff=cutoff, max_cutoff=cutoff).gap


def _gap_columns(d: dict) -> dict:
    """CSV of ``dynamics-gap``: ``N`` (the sizes of panel (b)) and ``gap_c`` (gap at eps_c)."""
    return {"N": d["scaling"], "gap_c": d["gap_c"]}


@register("dynamics-gap", data=gap_data, columns=_gap_columns)
def gap(data: dict):
    r"""Liouvillian gap: (a) vs the drive; (b) at eps_c vs N, against the barrier law (ch. 6).

    (a) The gap against :math:`\epsilon` for each size, with the bistable window of Eq. (B4)
    (grey) and :math:`\epsilon_c` (red); filled dots where the slowest mode is real, open ones
    where it is a damped oscillation (:math:`\mathrm{Im}\,\lambda_1 \neq 0`); (b) the gap at
    :math:`\epsilon_c` against N, the fit :math:`A e^{-rN}` and the Kramers-Langer prediction of
    :func:`epcore.kerr.kramers_gap` (no free parameter), all on a log scale; dotted:
    :math:`10^{-13}`.

    Drawn from the result of :func:`gap_data`.
    """
    import matplotlib.pyplot as plt

    d = data
    lo, hi = kerr.bistability_window()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(WIDTH, 3.4), layout="constrained")
    ax1.axvspan(lo, hi, color="0.92")
    for i, N in enumerate(d["sizes"]):
        color = _color(i, len(d["sizes"]))
        ax1.semilogy(d["eps"], d["gap"][i], "-", color=color, label=f"$N = {N}$")
        ringing = d["frequency"][i] > np.maximum(1e-6 * d["gap"][i], 1e-8)  # not round-off
        ax1.semilogy(d["eps"][~ringing], d["gap"][i][~ringing], "o", ms=4, color=color)
        ax1.semilogy(d["eps"][ringing], d["gap"][i][ringing], "o", ms=4, mfc="white",
                     color=color)
    ax1.axvline(d["eps_c"], color="tab:red", ls=":")
    ax1.set(xlabel=r"drive $\epsilon$", ylabel=r"gap $|\mathrm{Re}\,\lambda_1|$")
    ax1.legend()
    ax1.set_title("(a)", loc="left")
    N = d["scaling"]
    ax2.semilogy(N, d["gap_c"], "ko", label="sparse shift-invert")
    ax2.semilogy(N, d["prefactor"] * np.exp(-d["rate"] * N), "k-", lw=0.8,
                 label=f"plain fit: rate {d['rate']:.4f}")
    ax2.semilogy(N, d["kramers"], "C1--", label="Kramers-Langer")
    ax2.axhline(1e-13, color="0.6", ls=":")
    ax2.set(xlabel="$N$", ylabel=r"gap at $\epsilon_c$")
    ax2.legend()
    ax2.set_title("(b)", loc="left")
    return fig


def solver_rows(*, sizes=(30, 40), offsets=(0, 3, 6, 12, 24)) -> list[dict]:
    r"""The error of ``qutip.steadystate`` at :math:`\epsilon_c` against the Fock cutoff (cached).

    For each size, :func:`epcore.kerr.solver_error` in the cutoff of
    :func:`epcore.kerr.fock_cutoff` (top three levels of the exact state below ``TAIL_TOL``)
    plus each of ``offsets``: the table of chapter 6 that separates truncation from round-off.

    Parameters
    ----------
    sizes : tuple of int, optional
        System sizes N.
    offsets : tuple of int, optional
        Fock levels added to the cutoff of the photon distribution.

    Returns
    -------
    list of dict
        The dicts of :func:`epcore.kerr.solver_error`, sizes outer, offsets inner.
    """
    eps_c = kerr.critical_drive()
    params = [{"N": N, "eps": eps_c, "cutoff": kerr.fock_cutoff(N, eps_c) + extra}
              for N in sizes for extra in offsets]
    return sweep(kerr.solver_error, params, desc="solves vs cutoff")


def mode_rows(*, sizes=(10, 20, 30)) -> list[dict]:
    r"""The slowest Liouvillian mode against the difference of the branch states (cached).

    :func:`epcore.kerr.mode_branch_overlap` at :math:`\epsilon_c` for each size.

    Parameters
    ----------
    sizes : tuple of int, optional
        System sizes N.

    Returns
    -------
    list of dict
        One dict of :func:`epcore.kerr.mode_branch_overlap` per size.
    """
    eps_c = kerr.critical_drive()
    return sweep(kerr.mode_branch_overlap, [{"N": N, "eps": eps_c} for N in sizes],
                 desc="slowest modes")


def solve_error_data(*, sizes=(10, 15, 20, 25, 30, 35, 40)) -> dict:
    r"""Error of a double-precision steady-state solve at eps_c vs N, and its 1/gap law (cached).

    :func:`epcore.kerr.steady_state_error` (``qutip.steadystate`` against the exact
    :math:`\langle a^\dagger a\rangle`) at :math:`\epsilon_c` for each size, through the cached
    :func:`epcore.sweep.sweep`, with a log-log fit of the error against the Liouvillian gap
    (:func:`epcore.dynamics.fit_power_law`) (ch. 6).

    Parameters
    ----------
    sizes : tuple of int, optional
        System sizes N (at least two).

    Returns
    -------
    dict
        Every key of :func:`epcore.kerr.steady_state_error` as an array, one entry per
        size (``N``, ``eps``, ``gap``, ``photon_error``, ``lowest_eigenvalue``,
        ``predicted``, ``cutoff``), plus two floats: ``slope``, the log-log slope of
        ``photon_error`` against ``gap`` (-1 for a 1/gap law), and ``constant``, the geometric
        mean of ``photon_error * gap`` (the prefactor ``c`` of ``c / gap``).
    """
    eps_c = kerr.critical_drive()
    rows = sweep(kerr.steady_state_error, [{"N": N, "eps": eps_c} for N in sizes],
                 desc="steady-state solves")
    out = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    # the error grows as 1/gap: fit the prefactor in units of the machine epsilon
    out["slope"] = -dynamics.fit_power_law(out["gap"], out["photon_error"])[0]
    out["constant"] = float(np.exp(np.mean(np.log(out["photon_error"] * out["gap"]))))
    return out


def _solve_error_columns(d: dict) -> dict:
    """CSV of ``dynamics-solve-error``: ``gap`` and ``photon_error``, one entry per size."""
    return {"gap": d["gap"], "photon_error": d["photon_error"]}


@register("dynamics-solve-error", data=solve_error_data, columns=_solve_error_columns)
def solve_error(data: dict):
    r"""Relative error of <a^dag a> from qutip.steadystate at eps_c vs the Liouvillian gap (ch. 6).

    One point per size (labelled with N), on log-log axes, and the line ``constant / gap`` of
    :func:`solve_error_data` (dashed).

    Drawn from the result of :func:`solve_error_data`.
    """
    import matplotlib.pyplot as plt

    d = data
    fig, ax = plt.subplots(figsize=(WIDTH, 3.8), layout="constrained")
    ax.loglog(d["gap"], d["photon_error"], "ko", label=r"$\langle a^\dagger a\rangle$ error")
    g = np.logspace(np.log10(d["gap"].min()) - 0.5, np.log10(d["gap"].max()) + 0.5, 50)
    ax.loglog(g, d["constant"] / g, "C1--", label=r"$\propto 1/\mathrm{gap}$")
    for x, y, N in zip(d["gap"], d["photon_error"], d["N"], strict=True):
        ax.annotate(f"{N:.0f}", (x, y), textcoords="offset points", xytext=(4, 4))
    ax.set(xlabel="Liouvillian gap", ylabel="relative error")
    ax.legend()
    return fig


def dicke_rate_data(*, gammas=(1e-3, 1e-5, 1e-7), n: int = 121) -> dict:
    r"""Slowest relaxation rate of the Gaussian Dicke fluctuations near the transition (ch. 6).

    On the normal branch, against the distance to the shifted critical point,
    :math:`x = (\lambda_c(\gamma) - \lambda)/\lambda_c(\gamma)`:
    :func:`epcore.dicke.slowest_rate` with ``branch="normal"`` for each
    :math:`\gamma` and :math:`-\max\mathrm{Re}` of :func:`epcore.dicke.drift_spectrum` with
    ``zero_gamma=True`` for :math:`\gamma = 0`, the adiabatic soft mode of
    :func:`epcore.dicke.soft_mode_rates` and the crossovers
    :func:`epcore.dicke.overdamping_distance`; and the paper's construction, normal below
    :math:`\lambda_c` and superradiant above (``branch="mean_field"``), against
    :math:`|\lambda - \lambda_c|/\lambda_c`.

    Parameters
    ----------
    gammas : tuple of float, optional
        Stabilizing loss rates :math:`\gamma > 0`, one curve each besides :math:`\gamma = 0`
        (the paper's is :math:`10^{-3}`).
    n : int, optional
        Relative distances, logarithmically spaced from :math:`10^{-9}` to :math:`10^{-0.3}`.

    Returns
    -------
    dict
        ``distance`` (the relative distances); per :math:`\gamma` (written with ``:g``, 0
        included), ``shifted_<gamma>`` (panel a), ``adiabatic_<gamma>`` and the float
        ``crossover_<gamma>``; per :math:`\gamma > 0`, ``below_<gamma>`` and ``above_<gamma>``
        (panel b); ``gammas``. Rates in units of :math:`\kappa`.
    """
    x = np.logspace(-9, -0.3, n)
    lc = dicke.critical_coupling()
    data = {"distance": x}
    for g in (0.0, *gammas):
        model = dicke.PAPER.replace(gamma=g) if g > 0 else dicke.PAPER
        zero = g == 0
        lcg = dicke.critical_coupling(model=model, shifted=True) if g > 0 else lc
        lam = lcg * (1 - x)
        if zero:
            rate = -dicke.drift_spectrum(lam, zero_gamma=True)[:, 0].real
        else:
            rate = dicke.slowest_rate(lam, model=model, branch="normal")
        data[f"shifted_{g:g}"] = rate
        data[f"adiabatic_{g:g}"] = -dicke.soft_mode_rates(lam, model=model,
                                                          zero_gamma=zero)[:, 0].real
        data[f"crossover_{g:g}"] = dicke.overdamping_distance(model=model, zero_gamma=zero)
        if not zero:
            data[f"below_{g:g}"] = dicke.slowest_rate(lc * (1 - x), model=model)
            data[f"above_{g:g}"] = dicke.slowest_rate(lc * (1 + x), model=model)
    data["gammas"] = np.array(gammas, dtype=float)
    return data


@register("dynamics-dicke-rate", data=dicke_rate_data)
def dicke_rate(data: dict):
    r"""Slowest relaxation rate of the Gaussian Dicke fluctuations near the transition (ch. 6).

    (a) On the normal branch, against :math:`(\lambda_c(\gamma) - \lambda)/\lambda_c(\gamma)`:
    the slowest rate for each :math:`\gamma` and for :math:`\gamma = 0` (solid), the
    adiabatic soft mode (thin dashed), the crossovers (ticks) and a dotted line of slope 1.
    (b) The paper's construction against :math:`|\lambda - \lambda_c|/\lambda_c`, below
    (solid) and above (dotted). Two log-log panels, from :func:`dicke_rate_data`.
    """
    import matplotlib.pyplot as plt

    x, gammas = data["distance"], data["gammas"]
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(WIDTH, 3.8), layout="constrained", sharey=True)
    for i, g in enumerate((0.0, *gammas)):
        zero = g == 0
        rate, cross = data[f"shifted_{g:g}"], data[f"crossover_{g:g}"]
        c = "k" if zero else _color(i - 1, len(gammas))
        label = r"$\gamma = 0$" if zero else rf"$\gamma = 10^{{{np.log10(g):.0f}}}$"
        ax.loglog(x, rate, "-", color=c, label=label, lw=3.0 if zero else 1.5,
                  alpha=0.5 if zero else 1.0)
        ax.loglog(x, data[f"adiabatic_{g:g}"], "--", color=c, lw=0.8)
        ax.plot([cross], [np.interp(cross, x, rate)], "|", color=c, ms=14, mew=2)
        if not zero:
            bx.loglog(x, data[f"below_{g:g}"], "-", color=c)
            bx.loglog(x, data[f"above_{g:g}"], ":", color=c)
    ax.loglog(x, x, "k:", lw=0.8, label="slope 1")
    ax.set(xlabel=r"$(\lambda_c(\gamma) - \lambda)/\lambda_c(\gamma)$", ylabel="slowest rate",
           ylim=(1e-11, 1e-2), title="(a) normal branch")
    bx.set(xlabel=r"$|\lambda - \lambda_c|/\lambda_c$", title="(b) as in Fig. 3")
    ax.legend(loc="lower right")
    return fig


def dicke_gap_data(*, model=DICKE_GAP_MODEL, sizes=None, rtol: float = 1e-3) -> dict:
    r"""Liouvillian gap of the finite-:math:`N` Dicke model at and above the transition (ch. 6).

    :func:`epcore.dicke.finite_n_gap` (cached through :func:`epcore.sweep.finite_n_gap_scan`)
    at :math:`\lambda = r\,\lambda_c(\gamma)` for each ratio :math:`r` of ``sizes``, and two
    fits per ratio: a power law :math:`\Delta \propto N^{-p}`
    (:func:`epcore.dynamics.fit_power_law`) and an
    exponential :math:`\Delta \propto e^{-sN}` (:func:`epcore.dynamics.fit_exponential`),
    with the largest relative residual of each.

    Parameters
    ----------
    model : DickeModel, optional
        Frequencies and loss rates (``gamma``: collective decay); default
        :data:`DICKE_GAP_MODEL`.
    sizes : dict, optional
        Numbers of atoms (a tuple of int) per ratio :math:`\lambda/\lambda_c(\gamma)` (a
        float); default ``DICKE_GAP_SIZES``.
    rtol : float, optional
        Convergence of the gap in the cavity cutoff (:func:`epcore.dicke.finite_n_gap`).

    Returns
    -------
    dict
        ``model``, ``lambda_c_shifted`` and, per ratio ``r``, a dict ``results[r]`` with
        ``N``, ``gap``, ``sector`` (list of str), ``n_cavity``, ``power`` (exponent
        :math:`p`), ``power_prefactor``, ``power_misfit``, ``rate`` (:math:`s`),
        ``rate_error``, ``rate_prefactor`` and ``exp_misfit``.
    """
    sizes = DICKE_GAP_SIZES if sizes is None else sizes
    lcg = dicke.critical_coupling(model=model, shifted=True)
    out = {"model": model, "lambda_c_shifted": lcg, "results": {}}
    for ratio, Ns in sizes.items():
        res = finite_n_gap_scan(list(Ns), ratio * lcg, model=model, rtol=rtol)
        N = np.array([r.N for r in res], float)
        g = np.array([r.gap for r in res])
        power, power_pref, power_misfit = dynamics.fit_power_law(N, g)
        rate, pref, rate_err = dynamics.fit_exponential(N, g)
        out["results"][ratio] = {
            "N": N, "gap": g, "sector": [r.sector for r in res],
            "n_cavity": np.array([r.n_cavity for r in res]),
            "power": power, "power_prefactor": power_pref, "power_misfit": power_misfit,
            "rate": rate, "rate_error": rate_err, "rate_prefactor": pref,
            "exp_misfit": float(np.abs(pref * np.exp(-rate * N) / g - 1).max()),
        }
    return out


def _dicke_gap_columns(data: dict) -> dict:
    """CSV of ``dynamics-dicke-gap``: per ratio r, ``N_<r>``, ``gap_<r>``, ``n_cavity_<r>``,
    ``power_<r>``, ``rate_<r>``."""
    columns = {}
    for ratio, r in data["results"].items():
        for key in ("N", "gap", "n_cavity", "power", "rate"):
            columns[f"{key}_{ratio:g}"] = r[key]
    return columns


@register("dynamics-dicke-gap", data=dicke_gap_data, columns=_dicke_gap_columns)
def dicke_gap(data: dict):
    r"""Finite-:math:`N` Dicke gap against :math:`N`, log-log (a) and semi-log (b) (ch. 6).

    Data of :func:`dicke_gap_data`: the gap at :math:`\lambda_c(\gamma)` (circles) and at
    :math:`1.5\,\lambda_c(\gamma)` (squares), with the power-law fit (dashed) and the
    exponential fit (dotted) of each series; the two panels show the same points, so that a
    power law is straight in (a) and an exponential in (b).

    Drawn from the result of :func:`dicke_gap_data`.
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(WIDTH, 3.6), layout="constrained", sharey=True)
    for i, (ratio, r) in enumerate(data["results"].items()):
        c = _color(i, len(data["results"]))
        fine = np.linspace(r["N"].min(), r["N"].max(), 50)
        label = (r"$\lambda_c(\gamma)$" if ratio == 1 else
                 rf"${ratio:g}\,\lambda_c(\gamma)$")
        for ax in axes:
            ax.plot(r["N"], r["gap"], "os"[i % 2], color=c, label=label)
            ax.plot(fine, r["power_prefactor"] * fine ** (-r["power"]), "--", color=c, lw=0.9)
            ax.plot(fine, r["rate_prefactor"] * np.exp(-r["rate"] * fine), ":", color=c, lw=1.2)
    axes[0].set(xscale="log", yscale="log", xlabel=r"$N$", ylabel="Liouvillian gap",
                title="(a) log-log")
    axes[1].set(yscale="log", xlabel=r"$N$", title="(b) semi-log")
    axes[0].set_xticks([2, 4, 8], labels=["2", "4", "8"])
    axes[0].xaxis.set_minor_formatter(plt.NullFormatter())
    axes[0].legend(loc="lower left")
    return fig


# ------------------------------------------------------------------------ trajectories


def trajectory_data(*, N: int = TRAJ["N"], eps: float = TRAJ["eps"],
                    t_max: float = TRAJ["t_max"], n_runs: int = TRAJ["n_runs"],
                    windows=WINDOWS, t_min: float = CORRELATION_T_MIN) -> dict:
    r"""Quantum-jump trajectories of the Kerr model (cached), their switching rates and the gap.

    ``n_runs`` runs of :func:`epcore.dynamics.jump_trajectory` (seeds 0, 1, ...) through the
    cached :func:`epcore.sweep.sweep`; the dwell times and switching rates of
    :func:`epcore.dynamics.switching_rates` (smoothing window 5, and every window of
    ``windows``); the window-free rate of
    :func:`epcore.dynamics.switching_rate_from_correlation`; and the two slowest Liouvillian
    rates of :func:`epcore.kerr.liouvillian_spectrum` at the same point (ch. 6).

    Parameters
    ----------
    N : int, optional
        System size, :math:`\mathcal{E} = \epsilon\sqrt N` (Eq. 2).
    eps : float, optional
        Drive per unit size, inside the bistable window.
    t_max : float, optional
        Duration of each run.
    n_runs : int, optional
        Number of runs (at least two).
    windows : tuple of float, optional
        Smoothing windows of the dwell-time rates compared in :func:`correlation`.
    t_min : float, optional
        First lag of the fit of the autocovariance.

    Returns
    -------
    dict
        ``runs`` (the list of run dicts of :func:`epcore.dynamics.jump_trajectory`), ``stats``
        (the dict of :func:`epcore.dynamics.switching_rates` at window 5: ``lower``,
        ``upper``, ``gamma_up``, ``gamma_down``, ``rate``, ``rate_error``, ``branches``,
        ``thresholds``), ``windows`` and ``window_rates``, ``window_errors`` (arrays, one
        entry per window), ``correlation`` (the dict of
        :func:`epcore.dynamics.switching_rate_from_correlation`), ``gap`` and ``second``
        (:math:`|\mathrm{Re}\,\lambda|` of the two slowest modes), ``N`` and ``eps``; for the
        heterodyne figure: ``box``, the pooled outcomes ``mu_re``, ``mu_im``, their 2-D
        ``histogram`` (:func:`epcore.dynamics.heterodyne_histogram`, 40 bins, with
        ``histogram_edges``) and the exact steady-state Husimi function ``husimi`` on the grid
        ``husimi_x`` with its marginals ``husimi_q_re``, ``husimi_q_im``.

    Raises
    ------
    ValueError
        From :func:`epcore.dynamics.jump_trajectory` (bad times, or a run that reaches the top
        Fock levels), :func:`epcore.kerr.liouvillian_spectrum` or the rate estimators.
    """
    runs = sweep(dynamics.jump_trajectory,
                 [{"N": N, "eps": eps, "t_max": t_max, "seed": s} for s in range(n_runs)],
                 desc="trajectories")
    stats = dynamics.switching_rates(runs, N, eps)
    by_window = [dynamics.switching_rates(runs, N, eps, window=w) for w in windows]
    corr = dynamics.switching_rate_from_correlation(runs, N, eps, t_min=t_min)
    # four modes: the slowest complex pair lies farther from 0 in modulus than some real
    # eigenvalues with a larger |Re|, and shift-invert orders by modulus
    spec = kerr.liouvillian_spectrum(N, eps, k=4)
    box = float(runs[0]["box"])
    mu_re = np.concatenate([r["mu_re"] for r in runs])
    mu_im = np.concatenate([r["mu_im"] for r in runs])
    x, q_re, q_im, Q = _q_marginals(N, eps, box)
    hist, edges = dynamics.heterodyne_histogram(mu_re, mu_im, box, bins=40)
    return {"runs": runs, "stats": stats, "windows": np.array(windows, float),
            "box": box, "mu_re": mu_re, "mu_im": mu_im, "husimi_x": x, "husimi_q_re": q_re,
            "husimi_q_im": q_im, "husimi": Q, "histogram": hist, "histogram_edges": edges,
            "window_rates": np.array([b["rate"] for b in by_window]),
            "window_errors": np.array([b["rate_error"] for b in by_window]),
            "correlation": corr, "gap": spec.gap,
            "second": float(abs(spec.eigenvalues[1].real)), "N": N, "eps": eps}


def _switching_columns(d: dict) -> dict:
    """CSV of ``dynamics-switching``: the dwell times ``lower`` and ``upper``."""
    return {"lower": d["stats"]["lower"], "upper": d["stats"]["upper"]}


def _correlation_columns(d: dict) -> dict:
    """CSV of ``dynamics-correlation``: ``lags``, ``acf``, ``windows``, ``window_rates``."""
    c = d["correlation"]
    return {"lags": c["lags"], "acf": c["acf"], "windows": d["windows"],
            "window_rates": d["window_rates"]}


def _heterodyne_columns(d: dict) -> dict:
    """CSV of ``dynamics-heterodyne``: grid ``x`` and the exact Q marginals ``q_re``, ``q_im``."""
    return {"x": d["husimi_x"], "q_re": d["husimi_q_re"], "q_im": d["husimi_q_im"]}


@register("dynamics-switching", data=trajectory_data, columns=_switching_columns)
def switching(data: dict):
    r"""Quantum-jump switching: (a) telegraph signal of one run, (b) dwell-time histograms (ch. 6).

    (a) The conditional :math:`\langle a^\dagger a\rangle_\psi/N` of the first run up to
    :math:`t = 1500` (grey) and the branch read off it, drawn at the lower or upper threshold
    (black); (b) histograms of the dwell times in the lower and upper branch over all runs,
    with the exponential laws of the measured rates (dashed).

    Drawn from the result of :func:`trajectory_data`.
    """
    import matplotlib.pyplot as plt

    d = data
    r, s = d["runs"][0], d["stats"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(WIDTH, 3.4), layout="constrained",
                                   gridspec_kw={"width_ratios": [1.6, 1]})
    keep = r["t"] <= 1500
    ax1.plot(r["t"][keep], r["photons"][keep], color="0.6", lw=0.5,
             label=r"$\langle a^\dagger a\rangle_\psi/N$")
    lo, hi = s["thresholds"]
    levels = np.where(s["branches"][0] == 1, hi, lo)
    ax1.plot(r["t"][keep], levels[keep], "k", lw=1.2, label="branch")
    ax1.set(xlabel="time $t$", ylabel=r"$\langle a^\dagger a\rangle/N$")
    ax1.legend(loc="upper right")
    ax1.set_title("(a)", loc="left")
    edges = np.linspace(0, max(s["lower"].max(), s["upper"].max()), 16)
    centres = (edges[1:] + edges[:-1]) / 2
    for tau, g, c, name in ((s["lower"], s["gamma_up"], "C0", "lower"),
                            (s["upper"], s["gamma_down"], "C1", "upper")):
        ax2.hist(tau, bins=edges, density=True, histtype="step", color=c, label=name)
        ax2.plot(centres, g * np.exp(-g * centres), "--", color=c)
    ax2.set(xlabel=r"dwell time $\tau$", ylabel="density", yscale="log")
    ax2.legend()
    ax2.set_title("(b)", loc="left")
    return fig


@register("dynamics-correlation", data=trajectory_data, columns=_correlation_columns)
def correlation(data: dict):
    r"""Window-free switching rate: (a) autocovariance of the photon number, (b) vs windows (ch. 6).

    (a) The autocovariance :math:`C(\tau)` of the conditional
    :math:`\langle a^\dagger a\rangle_\psi/N`, pooled over the runs
    (:func:`epcore.dynamics.switching_rate_from_correlation`), on a log scale, with the fitted
    :math:`A e^{-\lambda_{\rm fit}\tau}` (line, fit range shaded) and a line of slope the
    Liouvillian gap through the fit at :math:`t_{\min}` (dashed); (b) the dwell-time rate
    :math:`\Gamma_\uparrow + \Gamma_\downarrow` of :func:`epcore.dynamics.switching_rates`
    against the smoothing window (dots, one standard error), the window-free rate (band, one
    jackknife error) and the gap (dashed).

    Drawn from the result of :func:`trajectory_data`.
    """
    import matplotlib.pyplot as plt

    d = data
    c = d["correlation"]
    lags, acf = c["lags"], c["acf"]
    t0, t1 = c["fit_range"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(WIDTH, 3.4), layout="constrained")
    keep = acf > 0
    ax1.semilogy(lags[keep], acf[keep], ".", color="0.5", ms=2, label=r"$C(\tau)$")
    ax1.axvspan(t0, t1, color="0.92")
    ax1.semilogy(lags, c["amplitude"] * np.exp(-c["rate"] * lags), "k-", lw=1,
                 label="fit")
    at_t0 = c["amplitude"] * np.exp(-c["rate"] * t0)
    ax1.semilogy(lags, at_t0 * np.exp(-d["gap"] * (lags - t0)), "C1--", lw=1,
                 label="slope: gap")
    ax1.set(xlabel=r"lag $\tau$", ylabel="autocovariance",
            ylim=(0.3 * acf[keep].min(), 2 * acf[0]))
    ax1.legend()
    ax1.set_title("(a)", loc="left")
    ax2.axhspan(c["rate"] - c["rate_error"], c["rate"] + c["rate_error"], color="0.85",
                label="window-free")
    ax2.axhline(d["gap"], color="C1", ls="--", label="gap")
    ax2.errorbar(d["windows"], d["window_rates"], yerr=d["window_errors"], fmt="ko", ms=4,
                 capsize=2, label="dwell times")
    ax2.set(xscale="log", xlabel="smoothing window", ylabel=r"$\Gamma_\uparrow + "
            r"\Gamma_\downarrow$")
    ax2.set_xticks(d["windows"], [f"{w:g}" for w in d["windows"]])
    ax2.minorticks_off()
    ax2.legend()
    ax2.set_title("(b)", loc="left")
    return fig


def _q_marginals(N: float, eps: float, box: float, n: int = 121):
    """Marginals of the exact steady-state Q along Re(mu) and Im(mu) on [-box, box]."""
    d = kerr.initial_cutoff(N, eps)
    rho = kerr.exact_density_matrix(N, eps, d)
    x = np.linspace(-box, box, n)
    Q = husimi(rho, x[:, None] + 1j * x[None, :])
    h = x[1] - x[0]
    return x, Q.sum(axis=1) * h, Q.sum(axis=0) * h, Q


@register("dynamics-heterodyne", data=trajectory_data, columns=_heterodyne_columns)
def heterodyne(data: dict):
    r"""Ideal heterodyne outcomes along the trajectories vs the exact steady-state Husimi Q (ch. 6).

    Left: 2-D histogram of the outcomes :math:`\mu` sampled along the runs
    (:func:`epcore.dynamics.heterodyne_histogram`); middle: the Husimi function of the exact
    steady state (:func:`epcore.kerr.exact_density_matrix`) on the same square; right: the
    marginal densities along :math:`\mathrm{Re}\,\mu` and :math:`\mathrm{Im}\,\mu`, sampled
    (steps) and exact (dashed).

    Drawn from the result of :func:`trajectory_data`.
    """
    import matplotlib.pyplot as plt

    d = data
    box = d["box"]
    mu_re, mu_im = d["mu_re"], d["mu_im"]
    x, q_re, q_im, Q = d["husimi_x"], d["husimi_q_re"], d["husimi_q_im"], d["husimi"]
    fig, axes = plt.subplots(1, 3, figsize=(WIDTH, 3.3), layout="constrained",
                             width_ratios=[1, 1, 1.15])
    h, edges = d["histogram"], d["histogram_edges"]
    vmax = max(h.max(), Q.max())
    axes[0].pcolormesh(edges, edges, h.T, cmap="magma", vmin=0, vmax=vmax)
    axes[0].set(xlabel=r"Re $\mu$", ylabel=r"Im $\mu$", aspect="equal",
                title="outcomes")
    im = axes[1].pcolormesh(x, x, Q.T, cmap="magma", vmin=0, vmax=vmax)
    axes[1].set(xlabel=r"Re $\mu$", aspect="equal", title=r"steady-state $Q$")
    axes[1].tick_params(labelleft=False)
    fig.colorbar(im, ax=axes[:2], location="bottom", shrink=0.7, aspect=30,
                 label=r"probability density in $d^2\mu$")
    bins = np.linspace(-box, box, 41)
    axes[2].hist(mu_re, bins=bins, density=True, histtype="step", color="C0",
                 label=r"Re $\mu$")
    axes[2].hist(mu_im, bins=bins, density=True, histtype="step", color="C1",
                 label=r"Im $\mu$")
    axes[2].plot(x, q_re, "C0--", lw=0.8)
    axes[2].plot(x, q_im, "C1--", lw=0.8)
    axes[2].set(xlabel=r"$\mu$ component", ylabel="density", title="marginals")
    axes[2].legend()
    return fig


# ------------------------------------------------------------------------------- ramps


def ramp_data(*, sizes=RAMP_SIZES, times=RAMP_TIMES, n_out: int = 400) -> dict:
    r"""Kerr drive ramps for every size and ramp time: loop areas and entropy per cycle (cached).

    :func:`epcore.dynamics.ramp_row` (``qutip.mesolve`` up through the bistable window and
    back, photon number only) through the cached :func:`epcore.sweep.sweep`; for each ramp the
    hysteresis area and the entropy produced per cycle relative to the quasi-static value
    (:func:`epcore.dynamics.ramp_entropy`, from Eq. 1); for each size its fast-ramp limit
    (:func:`epcore.dynamics.fast_ramp_limit`), the Liouvillian gap at :math:`\epsilon_c`, the
    ramp time at which the area peaks (:func:`epcore.dynamics.peak_time`) and the one at which
    the relative entropy changes sign (:func:`epcore.dynamics.zero_time`) (ch. 6).

    Parameters
    ----------
    sizes : tuple of int, optional
        System sizes N.
    times : tuple of float, optional
        Ramp times T, the duration of each leg, increasing.
    n_out : int, optional
        Output times per ramp.

    Returns
    -------
    dict
        ``rows`` (the list of :func:`epcore.dynamics.ramp_row` dicts, size by size, each
        over all ``times``), ``sizes``, ``times`` (arrays); ``area``, ``relative``,
        ``produced`` and ``quasi_static`` (2-D, one row per size, one column per ramp time;
        entropies are dimensionless); per size: ``fast_limit`` (the ``T -> 0`` limit of
        ``relative``), ``gap_c`` (the gap at :math:`\epsilon_c`), ``peak_time`` (of the area)
        and ``zero_time`` (of ``relative``), NaN where not bracketed by ``times``.
    """
    times = np.array(times, float)
    params = [{"N": N, "t_ramp": float(T), "n_out": n_out} for N in sizes for T in times]
    rows = sweep(dynamics.ramp_row, params, desc="drive ramps")
    shape = (len(sizes), len(times))
    area = np.array([r["area"] for r in rows]).reshape(shape)
    ent = [dynamics.ramp_entropy(r["N"], r["t"], r["eps"], r["photons"], r["wehrl_ends"])
           for r in rows]
    relative = np.array([e["relative"] for e in ent]).reshape(shape)
    produced = np.array([e["produced"] for e in ent]).reshape(shape)
    quasi = np.array([e["quasi_static"] for e in ent]).reshape(shape)
    fast = np.array([dynamics.fast_ramp_limit(N)["relative"] for N in sizes])
    gaps = np.array([kerr.gap_row(N, kerr.critical_drive())["gap"] for N in sizes])
    return {"rows": rows, "sizes": np.array(sizes), "times": times, "area": area,
            "relative": relative, "produced": produced, "quasi_static": quasi,
            "fast_limit": fast, "gap_c": gaps,
            "peak_time": np.array([dynamics.peak_time(times, a) for a in area]),
            "zero_time": np.array([dynamics.zero_time(times, x) for x in relative])}


def _hysteresis_columns(d: dict) -> dict:
    """CSV of ``dynamics-hysteresis``: ramp ``times``, ``area`` and ``relative`` (size by size)."""
    return {"times": d["times"], "area": d["area"].ravel(), "relative": d["relative"].ravel()}


@register("dynamics-hysteresis", data=ramp_data, columns=_hysteresis_columns)
def hysteresis(data: dict, *, loops=LOOP_TIMES):
    r"""Dynamical hysteresis: (a) loops at N = 4, (b) area, (c) entropy per cycle vs T (ch. 6).

    (a) :math:`\langle a^\dagger a\rangle/N` against the drive along ramps of the durations
    ``loops`` (grey: the bistable window of Eq. B4) at N = 4, or at the first size when 4 is not
    among them; (b) the loop area against T for each size, with the inverse Liouvillian gap at
    :math:`\epsilon_c` (the switching time) dotted; (c) the entropy produced per cycle relative
    to the quasi-static value, :math:`\Sigma/\Sigma_{\rm qs} - 1`, with its fast-ramp limit
    (dashed) and the same dotted times.

    Drawn from the result of :func:`ramp_data`.
    """
    import matplotlib.pyplot as plt

    d = data
    fig, panels = plt.subplot_mosaic([["a", "b"], ["a", "c"]], figsize=(WIDTH, 5.4),
                                     layout="constrained", width_ratios=[1.15, 1])
    axes = [panels[k] for k in "abc"]
    axes[2].sharex(axes[1])
    sizes, times = list(d["sizes"]), d["times"]
    i4 = sizes.index(4) if 4 in sizes else 0
    lo, hi = kerr.bistability_window()
    axes[0].axvspan(lo, hi, color="0.92")
    shown = [T for T in loops if np.any(np.isclose(times, T))]
    for j, T in enumerate(shown):
        r = d["rows"][i4 * len(times) + int(np.argmin(np.abs(times - T)))]
        axes[0].plot(r["eps"], r["photons"], color=_color(j, len(shown)), lw=1,
                     label=f"$T = {T:g}$")
    axes[0].set(xlabel=r"$\epsilon(t)$", ylabel=r"$\langle a^\dagger a\rangle/N$")
    axes[0].legend(loc="upper left")
    axes[0].set_title(f"(a) $N = {sizes[i4]}$", loc="left")
    for i, N in enumerate(sizes):
        c = _color(i, len(sizes))
        axes[1].loglog(times, d["area"][i], "o-", ms=3, color=c, label=f"$N = {N}$")
        axes[2].semilogx(times, d["relative"][i], "o-", ms=3, color=c)
        axes[2].axhline(d["fast_limit"][i], color=c, ls="--", lw=0.8)
        for ax in axes[1:]:
            ax.axvline(1 / d["gap_c"][i], color=c, ls=":", lw=0.8)
    axes[1].set(ylabel="loop area")
    axes[1].tick_params(labelbottom=False)
    axes[1].legend()
    axes[1].set_title("(b)", loc="left")
    axes[2].axhline(0, color="0.6", lw=0.8)
    axes[2].set(xlabel="ramp time $T$", ylabel=r"$\Sigma / \Sigma_{\rm qs} - 1$")
    axes[2].set_title("(c)", loc="left")
    return fig


def split_data(*, N: int = SPLIT["N"], times=SPLIT["times"], n_out: int = SPLIT["n_out"],
               shown: float = SPLIT["shown"]) -> dict:
    r"""Ramps with the adiabatic / non-adiabatic split of the entropy production (cached).

    :func:`epcore.dynamics.ramp_row` with ``balance=True, split=True`` (the entropy balance
    and :func:`epcore.dynamics.entropy_split` at every output time) through the cached
    :func:`epcore.sweep.sweep`, one ramp per time, and the time integrals over each cycle
    (:func:`epcore.dynamics.cycle_split`) (ch. 6).

    Parameters
    ----------
    N : int, optional
        System size.
    times : tuple of float, optional
        Ramp times T.
    n_out : int, optional
        Output times per ramp.
    shown : float, optional
        Ramp time of panels (a) and (b) of :func:`ramp_split` (the nearest of ``times``).

    Returns
    -------
    dict
        ``rows`` (the :func:`epcore.dynamics.ramp_row` dicts), ``N``, ``times``, ``shown``
        (the row of ``rows`` shown), ``fraction`` (:math:`\Sigma_{\rm na}/\Sigma`); per ramp
        (arrays): ``sigma``, ``sigma_a``, ``sigma_na`` (time integrals of
        :math:`\Pi, \Pi_{\rm a}, \Pi_{\rm na}`), ``hatano_sasa`` (of :math:`Y`),
        ``final_distance`` (:math:`D` at the end), ``min_pi_na`` and ``min_pi_a`` (smallest
        values along the ramp), ``max_pi_na``, ``split_error`` (largest
        :math:`|\Pi_{\rm a} + \Pi_{\rm na} - \Pi|` relative to the largest :math:`\Pi`).
    """
    times = np.array(times, float)
    rows = sweep(dynamics.ramp_row,
                 [{"N": N, "t_ramp": float(T), "n_out": n_out, "balance": True, "split": True}
                  for T in times], desc="ramps with the split")

    totals = [dynamics.cycle_split(r["t"], r["pi"], r["pi_a"], r["pi_na"], r["hatano_sasa"])
              for r in rows]
    out = {"rows": rows, "N": N, "times": times}
    for name in ("sigma", "sigma_a", "sigma_na", "hatano_sasa"):
        out[name] = np.array([tot[name] for tot in totals])
    out["final_distance"] = np.array([r["relative_entropy"][-1] for r in rows])
    out["min_pi_na"] = np.array([r["pi_na"].min() for r in rows])
    out["max_pi_na"] = np.array([r["pi_na"].max() for r in rows])
    out["min_pi_a"] = np.array([r["pi_a"].min() for r in rows])
    out["split_error"] = np.array([np.abs(r["pi_a"] + r["pi_na"] - r["pi"]).max()
                                   / np.abs(r["pi"]).max() for r in rows])
    out["shown"] = rows[int(np.argmin(np.abs(times - shown)))]
    out["fraction"] = out["sigma_na"] / out["sigma"]
    return out


def _ramp_split_columns(d: dict) -> dict:
    """CSV of ``dynamics-ramp-split``: ``t``, ``pi``, ``pi_a``, ``pi_na``, ``relative_entropy``
    along the ramp shown; ``times`` and ``fraction``."""
    r = d["shown"]
    return {"t": r["t"], "pi": r["pi"], "pi_a": r["pi_a"], "pi_na": r["pi_na"],
            "relative_entropy": r["relative_entropy"], "times": d["times"],
            "fraction": d["fraction"]}


@register("dynamics-ramp-split", data=split_data, columns=_ramp_split_columns)
def ramp_split(data: dict):
    r"""Adiabatic and non-adiabatic entropy production along a ramp, and per cycle (ch. 6).

    (a) :math:`\Pi`, :math:`\Pi_{\rm a}` and :math:`\Pi_{\rm na}` along the ramp of duration
    ``shown`` (:func:`epcore.dynamics.entropy_split`), with the drive on a second axis;
    (b) the distance :math:`D = \int Q\ln(Q/Q_{\rm ss})` from the instantaneous steady state
    along the same ramp; (c) the non-adiabatic entropy per cycle relative to the total,
    :math:`\Sigma_{\rm na}/\Sigma`, against the ramp time.

    Drawn from the result of :func:`split_data`.
    """
    import matplotlib.pyplot as plt

    d = data
    r = d["shown"]
    fig, panels = plt.subplot_mosaic([["a", "b"], ["c", "c"]], figsize=(WIDTH, 5.6),
                                     layout="constrained")
    ax1, ax2, ax3 = (panels[k] for k in "abc")
    ax1.plot(r["t"], r["pi"], "k", lw=1, label=r"$\Pi$")
    ax1.plot(r["t"], r["pi_a"], "C0--", lw=1, label=r"$\Pi_{\rm a}$")
    ax1.plot(r["t"], r["pi_na"], "C1", lw=1, label=r"$\Pi_{\rm na}$")
    ax1.set(xlabel="time $t$", ylabel="rate")
    ax1.legend(loc="upper left")
    ax1.set_title(f"(a) $T = {r['t_ramp']:g}$", loc="left")
    ax2.plot(r["t"], r["relative_entropy"], "C3", lw=1)
    ax2b = ax2.twinx()
    ax2b.plot(r["t"], r["eps"], color="0.6", lw=0.8)
    ax2.set(xlabel="time $t$", ylabel=r"$D(Q\,\|\,Q_{\rm ss})$ (red)")
    ax2b.set_ylabel(r"$\epsilon(t)$ (grey)")
    ax2.set_title("(b)", loc="left")
    ax3.loglog(d["times"], d["fraction"], "ko-", ms=4)
    ax3.set(xlabel="ramp time $T$", ylabel=r"$\Sigma_{\rm na} / \Sigma$")
    ax3.set_title(f"(c) $N = {d['N']}$", loc="left")
    return fig


def ramp_balance_data(*, N: int = 6, t_ramp: float = 30.0, n_out: int = 400):
    r"""One drive ramp with the entropy balance, for :func:`ramp_balance` (ch. 6).

    :func:`epcore.dynamics.ramp` (up and down, with the terms of Eqs. 7-8 at every output
    time).

    Parameters
    ----------
    N : int, optional
        System size of the ramp.
    t_ramp : float, optional
        Duration of each leg of the ramp.
    n_out : int, optional
        Output times of the ramp.

    Returns
    -------
    epcore.dynamics.RampResult
        The ramp with its entropy balance.

    Raises
    ------
    ValueError
        From :func:`epcore.dynamics.ramp`: a state that reaches the top Fock levels or that
        the ODE error makes non-positive.
    """
    return dynamics.ramp(N, t_ramp, n_out=n_out)


def _ramp_balance_columns(r) -> dict:
    """CSV of ``dynamics-ramp-balance``: ``t``, ``S`` (nats), ``pi`` and ``phi`` (rates)."""
    return {"t": r.t, "S": r.S, "pi": r.pi, "phi": r.phi}


@register("dynamics-ramp-balance", data=ramp_balance_data, columns=_ramp_balance_columns)
def ramp_balance(data):
    r"""Wehrl entropy, Pi_u, Pi_d, Phi_q along one drive ramp and the check of Eq. (1) (ch. 6).

    (a) The drive :math:`\epsilon(t)` and the Wehrl entropy (Eq. 4); (b) the fluctuation terms
    :math:`\Pi_u`, :math:`\Pi_d` and :math:`\Phi_q` of Eqs. (7)-(8); (c) :math:`\Pi - \Phi`
    against finite differences of :math:`S(t)`, Eq. (1).

    Drawn from the result of :func:`ramp_balance_data` (a ramp with the entropy balance).
    """
    import matplotlib.pyplot as plt

    r = data
    fig, panels = plt.subplot_mosaic([["a", "b"], ["c", "c"]], figsize=(WIDTH, 5.6),
                                     layout="constrained")
    ax1, ax2, ax3 = (panels[k] for k in "abc")
    ax1.plot(r.t, r.eps, "k", lw=0.8)
    ax1b = ax1.twinx()
    ax1b.plot(r.t, r.S, "C3")
    ax1.set(xlabel="time $t$", ylabel=r"$\epsilon(t)$ (black)")
    ax1b.set_ylabel(r"Wehrl entropy $S$ (red)")
    ax1.set_title("(a)", loc="left")
    for y, name, c in ((r.pi_u, r"$\Pi_{\mathrm{u}}$", "C0"), (r.pi_d, r"$\Pi_{\mathrm{d}}$", "C1"),
                       (r.phi_q, r"$\Phi_{\mathrm{q}}$", "k")):
        ax2.plot(r.t, y, color=c, label=name, lw=1)
    ax2.set(xlabel="time $t$", ylabel="rate")
    ax2.legend()
    ax2.set_title("(b)", loc="left")
    fd = r.dS_dt_differences
    ax3.plot(r.t, r.pi - r.phi, "k", lw=1, label=r"$\Pi - \Phi$")
    ax3.plot(r.t[::8], fd[::8], "C3.", ms=3, label=r"$dS/dt$ (differences)")
    ax3.set(xlabel="time $t$", ylabel="rate")
    ax3.legend()
    ax3.set_title("(c)", loc="left")
    return fig
