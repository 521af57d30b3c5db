"""Figures of the dynamics chapter (chapters/06_dynamics.md), registered as ``dynamics-*``.

Every function takes keyword options only, draws one figure and returns ``(fig, data)``. The
expensive data come from :func:`epcore.sweep.sweep` (two workers, disk cache), through the
``*_data`` functions that the chapter also calls for its numbers.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .. import dicke, dynamics, kerr
from ..figures import register
from ..phasespace import husimi
from ..sweep import sweep
from .style import WIDTH

__all__ = [
    "gap_data",
    "gap",
    "solve_error_data",
    "solve_error",
    "dicke_rate",
    "trajectory_data",
    "switching",
    "heterodyne",
    "ramp_data",
    "hysteresis",
    "ramp_balance",
]

GAP_SIZES = (5, 10, 15)
SCALING_SIZES = (5, 10, 15, 20, 25, 30, 35, 40)
TRAJ = {"N": 4, "eps": 0.975, "t_max": 2500.0, "n_runs": 8}
RAMP_SIZES = (3, 4)
RAMP_TIMES = (3.0, 10.0, 30.0, 100.0, 300.0)


def _color(i: int, n: int):
    return plt.get_cmap("viridis")(0.9 * i / max(1, n - 1))


# ------------------------------------------------------------------------------- the gap


def gap_data(*, sizes=GAP_SIZES, scaling=SCALING_SIZES, n_eps: int = 21) -> dict:
    r"""Liouvillian gap of the Kerr model vs the drive, and at eps_c vs N with its exponential fit.

    Every point is :func:`epcore.dynamics.gap_point` (the smallest nonzero
    :math:`|\mathrm{Re}\,\lambda|` of the Liouvillian of Eq. B1) through the cached
    :func:`epcore.sweep.sweep`. The gap at :math:`\epsilon_c` is fitted as
    :math:`A e^{-rN}` (:func:`epcore.dynamics.fit_exponential`) on all sizes of ``scaling`` but
    the first, and compared with the large-deviation barrier :math:`B` of
    :func:`epcore.dynamics.switching_barriers` (ch. 6).

    Parameters
    ----------
    sizes : tuple of int, optional
        Sizes N of the gap-against-drive curves.
    scaling : tuple of int, optional
        Sizes N at which the gap is computed at :math:`\epsilon_c`, increasing; at least four
        (the fit leaves out the first and needs three).
    n_eps : int, optional
        Drives evenly spread over [0.6, 1.3].

    Returns
    -------
    dict
        ``eps`` (drives), ``sizes``, ``scaling`` (arrays); ``gap`` (2-D, one row per size of
        ``sizes``, one column per drive); ``gap_c`` and ``error_c`` (the gap at
        :math:`\epsilon_c` and its estimated error, per size of ``scaling``); ``rate``,
        ``prefactor`` and ``rate_error`` of the fit :math:`A e^{-rN}`; ``barrier``, the smaller
        of the two barriers at :math:`\epsilon_c`; ``eps_c``. Rates in the units of the
        model's parameters (:math:`\kappa = 1/2`).

    Raises
    ------
    ValueError
        From :func:`epcore.dynamics.fit_exponential` (fewer than three sizes fitted) or from
        the gap computation (a Fock cutoff that cannot be trusted, a gap below its own
        round-off).
    """
    eps_c = kerr.critical_drive()
    eps = np.linspace(0.6, 1.3, n_eps)
    rows = sweep(dynamics.gap_point, [{"N": N, "eps": float(e)} for N in sizes for e in eps],
                 desc="gap vs drive")
    crit = sweep(dynamics.gap_point, [{"N": N, "eps": eps_c} for N in scaling],
                 desc="gap at eps_c")
    gaps_c = np.array([r["gap"] for r in crit])
    rate, pref, err = dynamics.fit_exponential(scaling[1:], gaps_c[1:])
    return {"eps": eps, "sizes": np.array(sizes), "scaling": np.array(scaling),
            "gap": np.array([r["gap"] for r in rows]).reshape(len(sizes), len(eps)),
            "gap_c": gaps_c, "error_c": np.array([r["error"] for r in crit]),
            "rate": rate, "prefactor": pref, "rate_error": err,
            "barrier": min(dynamics.switching_barriers(eps_c)), "eps_c": eps_c}


@register("dynamics-gap")
def gap(*, data: dict | None = None, **opts) -> tuple:
    r"""Liouvillian gap: (a) vs the drive; (b) at eps_c vs N, against the barrier law (ch. 6).

    (a) The gap against :math:`\epsilon` for each size, with the bistable window of Eq. (B4)
    (grey) and :math:`\epsilon_c` (red); (b) the gap at :math:`\epsilon_c` against N, the fit
    :math:`A e^{-rN}` and a line of slope :math:`B` (the large-deviation barrier) through the
    largest size, all on a log scale; dotted: :math:`10^{-13}`.

    Parameters
    ----------
    data : dict or None, optional
        The result of :func:`gap_data`, if already computed.
    **opts
        Keyword options of :func:`gap_data`, used when ``data`` is ``None``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Panels (a) and (b).
    data : dict of str to numpy.ndarray
        ``N`` (the sizes of panel (b)) and ``gap_c`` (the gap at :math:`\epsilon_c`).

    Raises
    ------
    ValueError
        From :func:`gap_data`, when ``data`` is ``None``.
    """
    d = data if data is not None else gap_data(**opts)
    lo, hi = kerr.bistability_window()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(WIDTH, 3.4), layout="constrained")
    ax1.axvspan(lo, hi, color="0.92")
    for i, N in enumerate(d["sizes"]):
        ax1.semilogy(d["eps"], d["gap"][i], "o-", ms=3, color=_color(i, len(d["sizes"])),
                     label=f"$N = {N}$")
    ax1.axvline(d["eps_c"], color="tab:red", ls=":")
    ax1.set(xlabel=r"drive $\epsilon$", ylabel=r"gap $|\mathrm{Re}\,\lambda_1|$")
    ax1.legend()
    ax1.set_title("(a)", loc="left")
    N = d["scaling"]
    ax2.semilogy(N, d["gap_c"], "ko", label="sparse shift-invert")
    ax2.semilogy(N, d["prefactor"] * np.exp(-d["rate"] * N), "k-", lw=0.8,
                 label=f"fit: rate {d['rate']:.4f}")
    ax2.semilogy(N, d["gap_c"][-1] * np.exp(-d["barrier"] * (N - N[-1])), "C1--",
                 label=f"barrier $B$ = {d['barrier']:.4f}")
    ax2.axhline(1e-13, color="0.6", ls=":")
    ax2.set(xlabel="$N$", ylabel=r"gap at $\epsilon_c$")
    ax2.legend()
    ax2.set_title("(b)", loc="left")
    return fig, {"N": N, "gap_c": d["gap_c"]}


def solve_error_data(*, sizes=(10, 15, 20, 25, 30, 35, 40)) -> dict:
    r"""Error of a double-precision steady-state solve at eps_c vs N, and its 1/gap law (cached).

    :func:`epcore.dynamics.steady_state_error` (``qutip.steadystate`` against the exact
    :math:`\langle a^\dagger a\rangle`) at :math:`\epsilon_c` for each size, through the cached
    :func:`epcore.sweep.sweep`, with a log-log fit of the error against the Liouvillian gap (ch. 6).

    Parameters
    ----------
    sizes : tuple of int, optional
        System sizes N (at least two).

    Returns
    -------
    dict
        Every key of :func:`epcore.dynamics.steady_state_error` as an array, one entry per
        size (``N``, ``eps``, ``gap``, ``photon_error``, ``lowest_eigenvalue``,
        ``predicted``, ``cutoff``), plus two floats: ``slope``, the log-log slope of
        ``photon_error`` against ``gap`` (-1 for a 1/gap law), and ``constant``, the geometric
        mean of ``photon_error * gap`` (the prefactor ``c`` of ``c / gap``).
    """
    eps_c = kerr.critical_drive()
    rows = sweep(dynamics.steady_state_error, [{"N": N, "eps": eps_c} for N in sizes],
                 desc="steady-state solves")
    out = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    # the error grows as 1/gap: fit the prefactor in units of the machine epsilon
    out["slope"] = float(np.polyfit(np.log(out["gap"]), np.log(out["photon_error"]), 1)[0])
    out["constant"] = float(np.exp(np.mean(np.log(out["photon_error"] * out["gap"]))))
    return out


@register("dynamics-solve-error")
def solve_error(*, data: dict | None = None, **opts) -> tuple:
    r"""Relative error of <a^dag a> from qutip.steadystate at eps_c vs the Liouvillian gap (ch. 6).

    One point per size (labelled with N), on log-log axes, and the line ``constant / gap`` of
    :func:`solve_error_data` (dashed).

    Parameters
    ----------
    data : dict or None, optional
        The result of :func:`solve_error_data`, if already computed.
    **opts
        Keyword options of :func:`solve_error_data`, used when ``data`` is ``None``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One panel.
    data : dict of str to numpy.ndarray
        ``gap`` and ``photon_error`` (relative), one entry per size.
    """
    d = data if data is not None else solve_error_data(**opts)
    fig, ax = plt.subplots(figsize=(WIDTH, 3.8), layout="constrained")
    ax.loglog(d["gap"], d["photon_error"], "ko", label=r"$\langle a^\dagger a\rangle$ error")
    g = np.logspace(np.log10(d["gap"].min()) - 0.5, np.log10(d["gap"].max()) + 0.5, 50)
    ax.loglog(g, d["constant"] / g, "C1--", label=r"$\propto 1/\mathrm{gap}$")
    for x, y, N in zip(d["gap"], d["photon_error"], d["N"], strict=True):
        ax.annotate(f"{N:.0f}", (x, y), textcoords="offset points", xytext=(4, 4))
    ax.set(xlabel="Liouvillian gap", ylabel="relative error")
    ax.legend()
    return fig, {"gap": d["gap"], "photon_error": d["photon_error"]}


@register("dynamics-dicke-rate")
def dicke_rate(*, gammas=(1e-3, 1e-5, 1e-7), n: int = 121) -> tuple:
    r"""Slowest relaxation rate of the Gaussian Dicke fluctuations vs distance to lambda_c (ch. 6).

    :func:`epcore.dynamics.dicke_slowest_rate` (:math:`-\max\mathrm{Re}` of the eigenvalues of
    the drift of Eq. C25) at :math:`\lambda = \lambda_c(1 \mp x)`, below (solid) and above
    (dotted) the transition, with :math:`\lambda_c` of App. C
    (:func:`epcore.dicke.critical_coupling`) and a dashed line of slope 1; the other model
    parameters are the paper's.

    Parameters
    ----------
    gammas : tuple of float, optional
        Stabilizing loss rates :math:`\gamma` of the spin, one curve each (the paper's is
        :math:`10^{-3}`); the legend shows them rounded to powers of ten.
    n : int, optional
        Relative distances :math:`x = |\lambda - \lambda_c|/\lambda_c`, logarithmically
        spaced from :math:`10^{-9}` to :math:`10^{-0.3}`.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One log-log panel.
    data : dict of str to numpy.ndarray
        ``distance`` (the values of x) and, per :math:`\gamma` (written with ``:g``, e.g.
        ``below_0.001``, ``below_1e-05``), ``below_<gamma>`` and ``above_<gamma>``: the rates in
        units of :math:`\kappa`.
    """
    lc = dicke.critical_coupling()
    x = np.logspace(-9, -0.3, n)
    fig, ax = plt.subplots(figsize=(WIDTH, 3.8), layout="constrained")
    data = {"distance": x}
    for i, g in enumerate(gammas):
        below = dynamics.dicke_slowest_rate(lc * (1 - x), model=dicke.PAPER.replace(gamma=g))
        above = dynamics.dicke_slowest_rate(lc * (1 + x), model=dicke.PAPER.replace(gamma=g))
        c = _color(i, len(gammas))
        ax.loglog(x, below, "-", color=c, label=rf"$\gamma = 10^{{{np.log10(g):.0f}}}$")
        ax.loglog(x, above, ":", color=c)
        data[f"below_{g:g}"] = below
        data[f"above_{g:g}"] = above
    ax.loglog(x, x, "k--", lw=0.8, label=r"slope 1")
    ax.set(xlabel=r"$|\lambda - \lambda_c|/\lambda_c$", ylabel="slowest rate",
           ylim=(1e-11, 1e-2))
    ax.legend()
    return fig, data


# ------------------------------------------------------------------------ trajectories


def trajectory_data(*, N: int = TRAJ["N"], eps: float = TRAJ["eps"],
                    t_max: float = TRAJ["t_max"], n_runs: int = TRAJ["n_runs"]) -> dict:
    r"""Quantum-jump trajectories of the Kerr model (cached), their switching rates and the gap.

    ``n_runs`` runs of :func:`epcore.dynamics.jump_trajectory` (seeds 0, 1, ...) through the
    cached :func:`epcore.sweep.sweep`, the dwell times and switching rates of
    :func:`epcore.dynamics.switching_rates`, and the Liouvillian gap of
    :func:`epcore.dynamics.liouvillian_gap` at the same point (ch. 6).

    Parameters
    ----------
    N : int, optional
        System size, :math:`\mathcal{E} = \epsilon\sqrt N` (Eq. 2).
    eps : float, optional
        Drive per unit size, inside the bistable window.
    t_max : float, optional
        Duration of each run.
    n_runs : int, optional
        Number of runs.

    Returns
    -------
    dict
        ``runs`` (the list of run dicts of :func:`epcore.dynamics.jump_trajectory`), ``stats``
        (the dict of :func:`epcore.dynamics.switching_rates`: ``lower``, ``upper``,
        ``gamma_up``, ``gamma_down``, ``rate``, ``rate_error``, ``branches``,
        ``thresholds``), ``gap`` (float), ``N`` and ``eps``.

    Raises
    ------
    ValueError
        From :func:`epcore.dynamics.jump_trajectory` (bad times, or a run that reaches the top
        Fock levels) or :func:`epcore.dynamics.liouvillian_gap` (a gap below its round-off).
    """
    runs = sweep(dynamics.jump_trajectory,
                 [{"N": N, "eps": eps, "t_max": t_max, "seed": s} for s in range(n_runs)],
                 desc="trajectories")
    stats = dynamics.switching_rates(runs, N, eps)
    return {"runs": runs, "stats": stats, "gap": dynamics.liouvillian_gap(N, eps),
            "N": N, "eps": eps}


@register("dynamics-switching")
def switching(*, data: dict | None = None, **opts) -> tuple:
    r"""Quantum-jump switching: (a) telegraph signal of one run, (b) dwell-time histograms (ch. 6).

    (a) The conditional :math:`\langle a^\dagger a\rangle_\psi/N` of the first run up to
    :math:`t = 1500` (grey) and the branch read off it, drawn at the lower or upper threshold
    (black); (b) histograms of the dwell times in the lower and upper branch over all runs,
    with the exponential laws of the measured rates (dashed).

    Parameters
    ----------
    data : dict or None, optional
        The result of :func:`trajectory_data`, if already computed.
    **opts
        Keyword options of :func:`trajectory_data`, used when ``data`` is ``None``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Panels (a) and (b).
    data : dict of str to numpy.ndarray
        ``lower`` and ``upper``: the completed dwell times in each branch, over all runs.

    Raises
    ------
    ValueError
        From :func:`trajectory_data`, when ``data`` is ``None``.
    """
    d = data if data is not None else trajectory_data(**opts)
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
    return fig, {"lower": s["lower"], "upper": s["upper"]}


def _q_marginals(N: float, eps: float, box: float, n: int = 121):
    """Marginals of the exact steady-state Q along Re(mu) and Im(mu) on [-box, box]."""
    d = kerr.initial_cutoff(N, eps)
    rho = kerr.exact_density_matrix(N, eps, d)
    x = np.linspace(-box, box, n)
    Q = husimi(rho, x[:, None] + 1j * x[None, :])
    h = x[1] - x[0]
    return x, Q.sum(axis=1) * h, Q.sum(axis=0) * h, Q


@register("dynamics-heterodyne")
def heterodyne(*, data: dict | None = None, **opts) -> tuple:
    r"""Ideal heterodyne outcomes along the trajectories vs the exact steady-state Husimi Q (ch. 6).

    Left: 2-D histogram of the outcomes :math:`\mu` sampled along the runs
    (:func:`epcore.dynamics.heterodyne_histogram`); middle: the Husimi function of the exact
    steady state (:func:`epcore.kerr.exact_density_matrix`) on the same square; right: the
    marginal densities along :math:`\mathrm{Re}\,\mu` and :math:`\mathrm{Im}\,\mu`, sampled
    (steps) and exact (dashed).

    Parameters
    ----------
    data : dict or None, optional
        The result of :func:`trajectory_data`, if already computed.
    **opts
        Keyword options of :func:`trajectory_data`, used when ``data`` is ``None``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Three panels in a row: the two colour maps (one colour scale, its colour bar below
        them) and the marginals.
    data : dict of str to numpy.ndarray
        ``x`` (grid along each axis of the square) and ``q_re``, ``q_im``: the exact
        marginals of Q along :math:`\mathrm{Re}\,\mu` and :math:`\mathrm{Im}\,\mu` at ``x``.

    Raises
    ------
    ValueError
        From :func:`trajectory_data`, when ``data`` is ``None``.
    """
    d = data if data is not None else trajectory_data(**opts)
    runs = d["runs"]
    box = float(runs[0]["box"])
    mu_re = np.concatenate([r["mu_re"] for r in runs])
    mu_im = np.concatenate([r["mu_im"] for r in runs])
    x, q_re, q_im, Q = _q_marginals(d["N"], d["eps"], box)
    fig, axes = plt.subplots(1, 3, figsize=(WIDTH, 3.3), layout="constrained",
                             width_ratios=[1, 1, 1.15])
    h, edges = dynamics.heterodyne_histogram(mu_re, mu_im, box, bins=40)
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
    return fig, {"x": x, "q_re": q_re, "q_im": q_im}


# ------------------------------------------------------------------------------- ramps


def ramp_data(*, sizes=RAMP_SIZES, times=RAMP_TIMES, n_out: int = 400) -> dict:
    r"""Kerr drive ramps for every size and ramp time, with loop areas and excess entropy (cached).

    :func:`epcore.dynamics.ramp_point` (``qutip.mesolve`` up through the bistable window and
    back, photon number only) through the cached :func:`epcore.sweep.sweep`; for each ramp the
    hysteresis area and the entropy produced in excess of the quasi-static value
    (:func:`epcore.dynamics.excess_entropy`, from Eq. 1), and the Liouvillian gap at
    :math:`\epsilon_c` for each size (ch. 6).

    Parameters
    ----------
    sizes : tuple of int, optional
        System sizes N.
    times : tuple of float, optional
        Ramp times T, the duration of each leg.
    n_out : int, optional
        Output times per ramp.

    Returns
    -------
    dict
        ``rows`` (the list of :func:`epcore.dynamics.ramp_point` dicts, size by size, each
        over all ``times``), ``sizes``, ``times`` (arrays); ``area``, ``excess`` and
        ``quasi_static`` (2-D, one row per size, one column per ramp time; entropies are
        dimensionless); ``gap_c`` (the gap at :math:`\epsilon_c`, per size).
    """
    params = [{"N": N, "t_ramp": T, "n_out": n_out} for N in sizes for T in times]
    rows = sweep(dynamics.ramp_point, params, desc="drive ramps")
    area = np.array([r["area"] for r in rows]).reshape(len(sizes), len(times))
    ent = [dynamics.excess_entropy(r["N"], r["t"], r["eps"], r["photons"], r["wehrl_ends"])
           for r in rows]
    excess = np.array([e["excess"] for e in ent]).reshape(area.shape)
    quasi = np.array([e["quasi_static"] for e in ent]).reshape(area.shape)
    gaps = np.array([dynamics.gap_point(N, kerr.critical_drive())["gap"] for N in sizes])
    return {"rows": rows, "sizes": np.array(sizes), "times": np.array(times), "area": area,
            "excess": excess, "quasi_static": quasi, "gap_c": gaps}


@register("dynamics-hysteresis")
def hysteresis(*, data: dict | None = None, **opts) -> tuple:
    r"""Dynamical hysteresis: (a) loops at N = 4, (b) area, (c) excess entropy vs ramp time (ch. 6).

    (a) :math:`\langle a^\dagger a\rangle/N` against the drive along ramps of every duration T
    (grey: the bistable window of Eq. B4) at N = 4, or at the first size when 4 is not among
    them; (b) the loop area against T, with the inverse Liouvillian gap at
    :math:`\epsilon_c` (the switching time) dotted; (c) the entropy produced per cycle in excess
    of the quasi-static value, relative to it.

    Parameters
    ----------
    data : dict or None, optional
        The result of :func:`ramp_data`, if already computed.
    **opts
        Keyword options of :func:`ramp_data`, used when ``data`` is ``None``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Panel (a) on the left, (b) above (c) on the right, sharing the ramp-time axis.
    data : dict of str to numpy.ndarray
        ``times`` (the ramp times) and ``area`` (the loop areas, size by size, each over all
        ramp times).
    """
    d = data if data is not None else ramp_data(**opts)
    fig, panels = plt.subplot_mosaic([["a", "b"], ["a", "c"]], figsize=(WIDTH, 5.0),
                                     layout="constrained", width_ratios=[1.25, 1])
    axes = [panels[k] for k in "abc"]
    axes[2].sharex(axes[1])
    sizes, times = list(d["sizes"]), d["times"]
    i4 = sizes.index(4) if 4 in sizes else 0
    lo, hi = kerr.bistability_window()
    axes[0].axvspan(lo, hi, color="0.92")
    for j, T in enumerate(times):
        r = d["rows"][i4 * len(times) + j]
        axes[0].plot(r["eps"], r["photons"], color=_color(j, len(times)), lw=1,
                     label=f"$T = {T:g}$")
    axes[0].set(xlabel=r"$\epsilon(t)$", ylabel=r"$\langle a^\dagger a\rangle/N$")
    axes[0].legend(loc="upper left")
    axes[0].set_title(f"(a) $N = {sizes[i4]}$", loc="left")
    for i, N in enumerate(sizes):
        c = _color(i, len(sizes))
        axes[1].loglog(times, d["area"][i], "o-", color=c, label=f"$N = {N}$")
        axes[1].axvline(1 / d["gap_c"][i], color=c, ls=":", lw=0.8)
        axes[2].semilogx(times, d["excess"][i] / d["quasi_static"][i], "o-", color=c,
                         label=f"$N = {N}$")
    axes[1].set(ylabel="loop area")
    axes[1].tick_params(labelbottom=False)
    axes[1].legend()
    axes[1].set_title("(b)", loc="left")
    axes[2].axhline(0, color="0.6", lw=0.8)
    axes[2].set(xlabel="ramp time $T$", ylabel=r"$\Delta\Sigma / \Sigma_{\rm qs}$")
    axes[2].set_title("(c)", loc="left")
    return fig, {"times": times, "area": d["area"].ravel()}


@register("dynamics-ramp-balance")
def ramp_balance(*, result=None, N: int = 6, t_ramp: float = 30.0, n_out: int = 400) -> tuple:
    r"""Wehrl entropy, Pi_u, Pi_d, Phi_q along one drive ramp and the check of Eq. (1) (ch. 6).

    (a) The drive :math:`\epsilon(t)` and the Wehrl entropy (Eq. 4); (b) the fluctuation terms
    :math:`\Pi_u`, :math:`\Pi_d` and :math:`\Phi_q` of Eqs. (7)-(8); (c) :math:`\Pi - \Phi`
    against finite differences of :math:`S(t)`, Eq. (1).

    Parameters
    ----------
    result : epcore.dynamics.RampResult or None, optional
        A ramp computed with the entropy balance (:func:`epcore.dynamics.ramp` with
        ``balance=True``); then ``N``, ``t_ramp`` and ``n_out`` are ignored.
    N : int, optional
        System size of the ramp computed when ``result`` is ``None``.
    t_ramp : float, optional
        Duration of each leg of that ramp.
    n_out : int, optional
        Output times of that ramp.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Panels (a) and (b) above (c).
    data : dict of str to numpy.ndarray
        ``t``, ``S`` (nats), ``pi`` and ``phi`` (rates) at the output times.

    Raises
    ------
    ValueError
        From :func:`epcore.dynamics.ramp`, when ``result`` is ``None``: a state that reaches
        the top Fock levels or that the ODE error makes non-positive.
    """
    r = result if result is not None else dynamics.ramp(N, t_ramp, n_out=n_out)
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
    fd = np.gradient(r.S, r.t, edge_order=2)
    ax3.plot(r.t, r.pi - r.phi, "k", lw=1, label=r"$\Pi - \Phi$")
    ax3.plot(r.t[::8], fd[::8], "C3.", ms=3, label=r"$dS/dt$ (differences)")
    ax3.set(xlabel="time $t$", ylabel="rate")
    ax3.legend()
    ax3.set_title("(c)", loc="left")
    return fig, {"t": r.t, "S": r.S, "pi": r.pi, "phi": r.phi}
