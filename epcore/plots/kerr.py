"""Figures of the Kerr chapter (chapters/04_kerr.md), registered as ``kerr-*``.

Each figure is a data function ``NAME_data`` (keyword options, no Matplotlib) and a draw
function registered with it (:func:`epcore.figures.register`); calling the figure returns
``(fig, data)``. The finite-N data come from :func:`epcore.sweep.sweep` over
:func:`epcore.kerr.state_balance_row`, so they are computed once on two cores and then read from the
disk cache.
"""

from __future__ import annotations

import math

import numpy as np

from .. import kerr
from ..figures import register
from ..phasespace import husimi
from ..sweep import sweep
from .style import WIDTH

__all__ = [
    "fig2_params",
    "fig2_rows",
    "s_curve_data",
    "s_curve",
    "husimi_panels_data",
    "husimi_panels",
    "fig2_data",
    "fig2",
    "residuals_data",
    "residuals",
    "unitary_share_data",
    "unitary_share",
    "critical_scaling_data",
    "critical_scaling",
    "peak_terms_data",
    "peak_terms",
    "large_n_params",
    "large_n_rows",
    "large_n_collapse_data",
    "large_n_collapse",
]

#: sizes of the paper's Fig. 2, panels (a), (b) and the collapse (c), (d)
SIZES_AB = (10, 30)
SIZES_CD = tuple(range(10, 45, 5))
#: sizes of the extended collapse (beyond the paper)
SIZES_LARGE = (100, 200, 400)
COLORS = {10: "tab:blue", 30: "black"}


def _size_color(N: float, sizes=SIZES_CD):
    import matplotlib.pyplot as plt

    cmap = plt.get_cmap("viridis")
    return cmap((N - min(sizes)) / max(1, max(sizes) - min(sizes)) * 0.85)


def _size_colorbar(fig, axes, sizes=SIZES_CD):
    """A colour bar with one band per size N, the colours of :func:`_size_color`."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import BoundaryNorm, ListedColormap

    sizes = list(sizes)
    step = sizes[1] - sizes[0] if len(sizes) > 1 else 1
    edges = [s - step / 2 for s in sizes] + [sizes[-1] + step / 2]
    cmap = ListedColormap([_size_color(N, sizes) for N in sizes])
    mappable = ScalarMappable(norm=BoundaryNorm(edges, cmap.N), cmap=cmap)
    return fig.colorbar(mappable, ax=axes, ticks=sizes, label="$N$", shrink=0.9, aspect=25)


# ----------------------------------------------------------------------------------- data


def fig2_params(
    *, n_eps: int = 33, n_fine: int = 40, n_core: int = 41, n_tail: int = 6, x_max: float = 6.0
) -> tuple[list[dict], list[dict]]:
    r"""Sweep points of the paper's Fig. 2, as ``(panels_ab, panels_cd)`` lists of ``{N, eps}``.

    Panels (a), (b): N = 10 and 30 at ``n_eps`` drives evenly spread over [0.6, 1.4] plus
    ``n_fine`` over :math:`\epsilon_c + [-0.04, 0.06]`, where the state switches branch.
    Panels (c), (d): N = 10, 15, ..., 40 at drives :math:`\epsilon = \epsilon_c(1 + x/N)`, with
    ``n_core`` values of the scaling variable :math:`x = N(\epsilon/\epsilon_c - 1)` in
    [-1, 1.5] (the switch is about 0.1 wide in x) and ``n_tail`` on each side out to
    :math:`\pm` ``x_max``. :math:`\epsilon_c` is :func:`epcore.kerr.critical_drive`.

    Parameters
    ----------
    n_eps : int, optional
        Drives of (a), (b) evenly spread over [0.6, 1.4].
    n_fine : int, optional
        Extra drives of (a), (b) close to :math:`\epsilon_c`.
    n_core : int, optional
        Values of x in [-1, 1.5] for (c), (d).
    n_tail : int, optional
        Values of x on each side of the core for (c), (d).
    x_max : float, optional
        Largest ``abs(x)`` of (c), (d).

    Returns
    -------
    panels_ab : list of dict
        ``{"N": N, "eps": eps}`` for (a), (b), all drives of N = 10, then of N = 30.
    panels_cd : list of dict
        ``{"N": N, "eps": eps}`` for (c), (d), size by size from N = 10 to 40.
    """
    eps_c = kerr.critical_drive()
    eps = np.union1d(np.linspace(0.6, 1.4, n_eps), eps_c + np.linspace(-0.04, 0.06, n_fine))
    ab = [{"N": N, "eps": float(e)} for N in SIZES_AB for e in eps]
    x = np.concatenate(
        [
            np.linspace(-x_max, -1, n_tail, endpoint=False),
            np.linspace(-1, 1.5, n_core),
            np.linspace(1.5, x_max, n_tail + 1)[1:],
        ]
    )
    cd = [{"N": N, "eps": float(eps_c * (1 + xi / N))} for N in SIZES_CD for xi in x]
    return ab, cd


def fig2_rows(
    *, resolution: str = "full", n_jobs: int | None = None, progress: bool = True
) -> dict[str, dict[str, np.ndarray]]:
    r"""Every point of the paper's Fig. 2, from :func:`epcore.kerr.state_balance_row`, as columns.

    The points of :func:`fig2_params` go through :func:`epcore.sweep.sweep`: computed on
    ``n_jobs`` processes the first time, read from the on-disk cache afterwards.

    Parameters
    ----------
    resolution : str, optional
        ``'full'``: the defaults of :func:`fig2_params` (the book's figure); ``'reduced'``:
        about half as many points, for a machine with little time (Binder).
    n_jobs : int, optional
        Worker processes of the sweep.
    progress : bool, optional
        Show the progress bar of the sweep.

    Returns
    -------
    dict
        ``{"ab": columns, "cd": columns}`` for the panel pairs (a, b) and (c, d). Each
        ``columns`` maps every key of :func:`epcore.kerr.state_balance_row` (``N``, ``eps``,
        ``pi_u``, ``pi_d``, ``phi_q``, ``pi_ext``, ``residual``, ``relative_residual``,
        ``pi_u_by_parts``, ``alpha_re``, ``alpha_im``, ``photons``, ``wehrl``, ``cutoff``,
        ``moment_error``, ``normalization``) to a numpy array with one entry per point, in the
        order of :func:`fig2_params`.

    Raises
    ------
    ValueError
        If ``resolution`` is neither ``'full'`` nor ``'reduced'``; errors of
        :func:`epcore.kerr.state_balance_row` (typed, :mod:`epcore.errors`) propagate.
    """
    if resolution not in ("full", "reduced"):
        raise ValueError(f"resolution must be 'full' or 'reduced', got {resolution!r}")
    opts = {} if resolution == "full" else {"n_eps": 17, "n_fine": 20, "n_core": 21, "n_tail": 4}
    ab, cd = fig2_params(**opts)
    rows = sweep(
        kerr.state_balance_row, ab + cd, n_jobs=n_jobs, desc="Kerr Fig. 2 sweep", progress=progress
    )

    def columns(part: list[dict]) -> dict[str, np.ndarray]:
        return {key: np.array([r[key] for r in part]) for key in part[0]}

    return {"ab": columns(rows[: len(ab)]), "cd": columns(rows[len(ab) :])}


def _branch_curves(eps: np.ndarray) -> dict[str, np.ndarray]:
    """Linearized N -> infinity values on the lower and upper stable branches (NaN if absent).

    Parameters
    ----------
    eps : numpy.ndarray
        Drives per unit size.

    Returns
    -------
    dict
        ``low_pi_u``, ``low_pi_d``, ``up_pi_u``, ``up_pi_d``, one value per drive; a branch is
        named by :func:`epcore.kerr.on_upper_branch`.
    """
    out = {f"{b}_{t}": np.full(len(eps), np.nan) for b in ("low", "up") for t in ("pi_u", "pi_d")}
    for i, e in enumerate(eps):
        branches = kerr.linearized_branches(float(e))
        for g in branches:
            name = "up" if kerr.on_upper_branch(g.n) else "low"
            out[f"{name}_pi_u"][i] = g.pi_u
            out[f"{name}_pi_d"][i] = g.pi_d
    return out


# -------------------------------------------------------------------------------- figures


def s_curve_data(*, sizes=(10, 30, 100, 1000), n_eps: int = 300) -> dict:
    r"""Data of the S curve: mean-field photon number, its stability, exact <a^dag a>/N (ch. 4).

    The mean-field photon number :math:`|\alpha|^2` against the drive, from
    :func:`epcore.kerr.drive_of_photons` (solid where :func:`epcore.kerr.branch_is_stable`,
    dashed on the unstable middle branch), the bistable window of Eq. (B4)
    (:func:`epcore.kerr.bistability_window`, grey), the critical drive :math:`\epsilon_c`
    (:func:`epcore.kerr.critical_drive`, red dotted) and, at finite N, the exact
    :math:`\langle a^\dagger a\rangle/N` of :func:`epcore.kerr.exact_moment`.

    Parameters
    ----------
    sizes : tuple of int, optional
        The sizes N of the exact curves.
    n_eps : int, optional
        Drives per exact curve, evenly spread over [0.4, 1.5].

    Returns
    -------
    dict
        ``n_mean_field`` (:math:`|\alpha|^2` along the S curve), ``eps_mean_field`` (its drive),
        ``stable`` (bool, per point of the S curve), ``eps`` (drives of the exact curves) and
        ``exact_n_over_N_<N>`` for each size N; ``window`` (the two edges of Eq. B4) and
        ``eps_c``.
    """
    # the S curve parametrized by n = |alpha|^2
    n_curve = np.linspace(0, 2.85, 2000)
    eps_curve = kerr.drive_of_photons(n_curve)
    stable = kerr.branch_is_stable(n_curve)
    eps = np.linspace(0.4, 1.5, n_eps)
    data = {"n_mean_field": n_curve, "eps_mean_field": eps_curve, "stable": stable, "eps": eps}
    for N in sizes:
        data[f"exact_n_over_N_{N}"] = np.array(
            [kerr.exact_moment(N, float(e), 1, 1).real / N for e in eps])
    data["window"] = np.array(kerr.bistability_window())
    data["eps_c"] = np.array([kerr.critical_drive()])
    return data


@register("kerr-s-curve", data=s_curve_data)
def s_curve(data: dict):
    r"""Mean-field S curve with the window of Eq. (B4) and eps_c, and the exact <a^dag a>/N (ch. 4).

    The mean-field photon number :math:`|\alpha|^2` against the drive (solid where stable,
    dashed on the unstable middle branch), the bistable window (grey), :math:`\epsilon_c` (red
    dotted) and the exact :math:`\langle a^\dagger a\rangle/N` of each size, from
    :func:`s_curve_data`; one panel.
    """
    import matplotlib.pyplot as plt

    lo, hi = data["window"]
    n_curve, eps_curve, stable = data["n_mean_field"], data["eps_mean_field"], data["stable"]
    fig, ax = plt.subplots(figsize=(WIDTH, 4.2), layout="constrained")
    ax.axvspan(lo, hi, color="0.92", label="bistable window")
    ax.plot(eps_curve, np.where(stable, n_curve, np.nan), "k-", lw=2, label="stable branch")
    ax.plot(eps_curve, np.where(~stable, n_curve, np.nan), "k--", lw=1.2, label="unstable branch")
    for key in data:
        if key.startswith("exact_n_over_N_"):
            ax.plot(data["eps"], data[key], lw=1, label=f"exact $N={key[15:]}$")
    ax.axvline(data["eps_c"][0], color="tab:red", ls=":", label=r"$\epsilon_c$")
    ax.set_xlabel(r"$\epsilon$")
    ax.set_ylabel(r"$|\alpha|^2$,  $\langle a^\dagger a\rangle / N$")
    ax.legend(loc="upper left")
    return fig


def husimi_panels_data(*, N: int = 30, drives=(0.85, None, 1.05), n_grid: int = 161) -> dict:
    r"""Husimi Q and photon-number distribution of the exact Kerr state across eps_c (ch. 4).

    For each drive at size N: the Husimi function :math:`Q(\mu)` of the exact steady state
    (:func:`epcore.kerr.steady_state`, complex-P route) on a square grid, the stable mean-field
    states :math:`\sqrt N\alpha` and the photon-number distribution
    :math:`p_n = \langle n|\rho|n\rangle`.

    Parameters
    ----------
    N : int, optional
        System size, :math:`\mathcal{E} = \epsilon\sqrt N` (Eq. 2).
    drives : tuple of float or None, optional
        Drives per unit size, one per column; ``None`` stands for the drive where the exact
        :math:`\Phi_q` peaks at this N (:func:`epcore.kerr.variance_peak`).
    n_grid : int, optional
        Grid points along each axis of the Husimi panels.

    Returns
    -------
    dict
        ``N``, ``drives`` (with ``None`` resolved) and, for column ``i`` = 0, 1, ...,
        ``axis<i>`` (the grid axis), ``husimi<i>`` (Q on the grid, 2-D), ``branches<i>``
        (the stable :math:`\sqrt N\alpha`, complex) and ``p_n<i>``.

    Raises
    ------
    ValueError
        From :mod:`epcore.kerr`: bad parameters, or a state beyond the memory limit
        (:class:`epcore.errors.MemoryLimitError`).
    """
    drives = [kerr.variance_peak(N)[0] if e is None else e for e in drives]
    data: dict = {"N": N, "drives": np.array(drives)}
    for col, eps in enumerate(drives):
        rho = kerr.steady_state(N, eps, method="complex-p")
        branches = [b for b in kerr.mean_field(eps) if b.stable]
        radius = 1.25 * np.sqrt(N * max(b.n for b in branches)) + 3
        axis = np.linspace(-radius, radius, n_grid)
        mu = axis[None, :] + 1j * axis[:, None]
        data[f"axis{col}"] = axis
        data[f"husimi{col}"] = husimi(rho, mu)
        data[f"branches{col}"] = np.array([b.alpha * np.sqrt(N) for b in branches])
        data[f"p_n{col}"] = np.real(rho.diag())
    return data


def _husimi_columns(data: dict) -> dict:
    """CSV columns of ``kerr-husimi``: drives, p_n and Q along the diagonal of each panel."""
    out = {"drives": data["drives"]}
    for col in range(len(data["drives"])):
        out[f"p_n_eps{col}"] = data[f"p_n{col}"]
        out[f"husimi_diag_eps{col}"] = np.diagonal(data[f"husimi{col}"])
    return out


@register("kerr-husimi", data=husimi_panels_data, columns=_husimi_columns)
def husimi_panels(data: dict):
    r"""Husimi Q and photon-number distribution of the exact Kerr state across eps_c (ch. 4).

    One column per drive of :func:`husimi_panels_data`: the Husimi function relative to its
    maximum (one colour bar) with the stable mean-field states :math:`\sqrt N\alpha` marked by
    crosses (top), and the photon-number distribution (bottom). The CSV holds ``drives``,
    ``p_n_eps<i>`` and ``husimi_diag_eps<i>`` (Q along the diagonal
    :math:`\mathrm{Re}\,\mu = \mathrm{Im}\,\mu` of panel ``i``).
    """
    import matplotlib.pyplot as plt

    drives = data["drives"]
    fig, axes = plt.subplots(2, len(drives), figsize=(WIDTH, 5.6), layout="constrained",
                             squeeze=False)
    maps = []
    for col, eps in enumerate(drives):
        axis, q = data[f"axis{col}"], data[f"husimi{col}"]
        ax = axes[0, col]
        maps.append(ax.pcolormesh(axis, axis, q / q.max(), shading="auto", cmap="magma",
                                  vmin=0, vmax=1))
        for z in data[f"branches{col}"]:
            ax.plot(z.real, z.imag, "c+", ms=10, mew=1.5)
        ax.set_aspect("equal")
        ax.set_title(rf"$\epsilon={eps:.3f}$")
        ax.set_xlabel(r"Re $\mu$")
        if col == 0:
            ax.set_ylabel(r"Im $\mu$")
        p = data[f"p_n{col}"]
        axes[1, col].bar(np.arange(len(p)), p, width=1.0, color="tab:blue")
        axes[1, col].set_xlabel(r"photon number $n$")
        axes[1, col].set_xlim(0, len(p))
        if col == 0:
            axes[1, col].set_ylabel(r"$p_n = \langle n|\rho|n\rangle$")
    fig.colorbar(maps[0], ax=axes[0, :], shrink=0.9, label=r"$Q(\mu)/\max Q$")
    fig.suptitle(f"$N = {data['N']}$")
    return fig


def fig2_data(*, resolution: str = "full", n_jobs: int | None = None) -> dict:
    r"""Data of the paper's Fig. 2: exact points, N -> infinity branches, two-branch curves.

    The exact :math:`\Pi_u`, :math:`\Pi_d` of :func:`fig2_rows`; the :math:`N\to\infty`
    Gaussian values on the lower and upper stable branches
    (:func:`epcore.kerr.linearized_branches`) on a dense drive grid; and the two-branch
    prediction (:func:`epcore.kerr.two_branch_scaling`) for N = 10, 40 and its exact limit
    :math:`N\to\infty` against
    :math:`x = N(\epsilon/\epsilon_c - 1)`.

    Parameters
    ----------
    resolution : str, optional
        ``'full'`` or ``'reduced'``: the points of the sweep, see :func:`fig2_rows`.
    n_jobs : int, optional
        Worker processes of the sweep.

    Returns
    -------
    dict
        ``ab_N``, ``ab_eps``, ``ab_pi_u``, ``ab_pi_d`` and ``cd_N``, ``cd_eps``, ``cd_pi_u``,
        ``cd_pi_d``: the exact points; ``eps_dense`` with ``inf_low_pi_u``, ``inf_low_pi_d``,
        ``inf_up_pi_u``, ``inf_up_pi_d`` (NaN where a branch does not exist);
        ``two_branch_<N>_pi_u`` and ``two_branch_<N>_pi_d_over_N`` for N = 10, 40 and
        ``inf`` (the limit :math:`N\to\infty`), with ``two_branch_x``; ``eps_c``.

    Raises
    ------
    ValueError
        If ``resolution`` is unknown; errors of the sweep propagate (see :func:`fig2_rows`).
    """
    rows = fig2_rows(resolution=resolution, n_jobs=n_jobs, progress=False)
    ab, cd = rows["ab"], rows["cd"]
    eps_dense = np.linspace(0.6, 1.4, 400)
    branches = _branch_curves(eps_dense)
    data = {f"ab_{k}": ab[k] for k in ("N", "eps", "pi_u", "pi_d")}
    data.update({f"cd_{k}": cd[k] for k in ("N", "eps", "pi_u", "pi_d")})
    data.update({"eps_dense": eps_dense, **{f"inf_{k}": v for k, v in branches.items()}})
    x_dense = np.linspace(-2, 3, 201)
    for N in (min(SIZES_CD), max(SIZES_CD), math.inf):
        pred = kerr.two_branch_scaling(N, x_dense)
        data[f"two_branch_{N:g}_pi_u"] = pred.pi_u
        data[f"two_branch_{N:g}_pi_d_over_N"] = pred.pi_d_over_N
    data["two_branch_x"] = x_dense
    data["eps_c"] = np.array([kerr.critical_drive()])
    return data


@register("kerr-fig2", data=fig2_data)
def fig2(data: dict):
    r"""The paper's Fig. 2: Pi_u, Pi_d vs eps at N = 10, 30 and their collapse vs N(eps/eps_c - 1).

    (a) :math:`\Pi_u` and (b) :math:`\Pi_d` (log scale) of the exact steady state against
    :math:`\epsilon` for N = 10 and 30, with the :math:`N\to\infty` Gaussian values on the
    lower and upper stable branches and :math:`\epsilon_c`; (c) :math:`\Pi_u` and
    (d) :math:`\Pi_d/N` against :math:`N(\epsilon/\epsilon_c - 1)` for N = 10 to 40, with the
    two-branch prediction for N = 10, 40 and :math:`N\to\infty`, all from :func:`fig2_data`.
    The legend of (a), (b) is above them; in (c) and (d) the colour of a curve is its size N
    (colour bar) and the two-branch predictions are thick dotted (N = 10, 40) and dashed lines
    (legend below).
    """
    import matplotlib.pyplot as plt

    eps_c = data["eps_c"][0]
    fig, axes = plt.subplots(2, 2, figsize=(WIDTH, 7.0), layout="constrained")
    for col, key in enumerate(("pi_u", "pi_d")):
        ax = axes[0, col]
        for N in SIZES_AB:
            sel = data["ab_N"] == N
            style = "-" if N == 30 else "--"
            ax.plot(data["ab_eps"][sel], data[f"ab_{key}"][sel], style, color=COLORS[N],
                    label=f"$N={N}$")
        for b in ("low", "up"):
            label = r"$N\to\infty$ branches" if b == "low" else None
            ax.plot(data["eps_dense"], data[f"inf_{b}_{key}"], color="tab:orange", lw=1,
                    label=label)
        ax.axvline(eps_c, color="tab:red", ls=":", lw=1)
        ax.set_xlabel(r"$\epsilon$")
        ax.set_ylabel(r"$\Pi_{\mathrm{u}}$" if key == "pi_u" else r"$\Pi_{\mathrm{d}}$")
        ax.set_title("(a)" if col == 0 else "(b)", loc="left")
        if key == "pi_d":
            ax.set_yscale("log")
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside upper center", ncol=3)
    for N in SIZES_CD:
        sel = data["cd_N"] == N
        x = N * (data["cd_eps"][sel] / eps_c - 1)
        color = _size_color(N)
        axes[1, 0].plot(x, data["cd_pi_u"][sel], "-", lw=1.5, color=color)
        axes[1, 1].plot(x, data["cd_pi_d"][sel] / N, "-", lw=1.5, color=color)
    x_dense = data["two_branch_x"]
    for N, style in ((min(SIZES_CD), ":"), (max(SIZES_CD), ":"), (math.inf, "--")):
        color = "k" if N == math.inf else _size_color(N)
        label = r"$N\to\infty$" if N == math.inf else f"$N={N}$"
        for ax, y in ((axes[1, 0], data[f"two_branch_{N:g}_pi_u"]),
                      (axes[1, 1], data[f"two_branch_{N:g}_pi_d_over_N"])):
            ax.plot(x_dense, y, ls=style, color="w", lw=3.2, zorder=3)
            ax.plot(x_dense, y, ls=style, color=color, lw=2, label=label, zorder=3)
    axes[1, 0].set_ylabel(r"$\Pi_{\mathrm{u}}$")
    axes[1, 1].set_ylabel(r"$\Pi_{\mathrm{d}} / N$")
    for ax, label in zip(axes[1], ("(c)", "(d)"), strict=True):
        ax.set_xlabel(r"$N(\epsilon/\epsilon_c - 1)$")
        ax.set_title(label, loc="left")
        ax.set_xlim(-2, 3)
    fig.legend(*axes[1, 0].get_legend_handles_labels(), loc="outside lower center", ncol=3,
               title="(c), (d): two-branch prediction")
    _size_colorbar(fig, axes[1, :])
    return fig


def residuals_data(*, resolution: str = "full", n_jobs: int | None = None) -> dict:
    r"""Fig. 2 quality gauges: Eq. (10) residual, (B6) route to Pi_u, error of the moments (ch. 4).

    Three relative errors for all points of :func:`fig2_rows`:
    :math:`|\Pi_u + \Pi_d - \Phi_q|/\Phi_q` (Eq. 10, exact in any steady state), the
    difference between :math:`\Pi_u` from the general form and from the corrected Eq. (B6)
    (:func:`epcore.kerr.pi_u_integrated_by_parts`), and the deviation of
    :math:`\langle a\rangle`, :math:`\langle a^\dagger a\rangle` of the state from the exact
    moments.

    Parameters
    ----------
    resolution : str, optional
        ``'full'`` or ``'reduced'``: the points of the sweep, see :func:`fig2_rows`.
    n_jobs : int, optional
        Worker processes of the sweep.

    Returns
    -------
    dict
        One entry per point (panels (a, b), then (c, d)): ``N``, ``eps``,
        ``relative_residual``, ``b6_relative`` and ``moment_error`` (not clipped).

    Raises
    ------
    ValueError
        If ``resolution`` is unknown; errors of the sweep propagate (see :func:`fig2_rows`).
    """
    rows = fig2_rows(resolution=resolution, n_jobs=n_jobs, progress=False)
    cols = {k: np.concatenate([rows["ab"][k], rows["cd"][k]]) for k in rows["ab"]}
    b6 = np.abs(cols["pi_u_by_parts"] - cols["pi_u"]) / np.abs(cols["pi_u"])
    return {
        "N": cols["N"],
        "eps": cols["eps"],
        "relative_residual": cols["relative_residual"],
        "b6_relative": b6,
        "moment_error": cols["moment_error"],
    }


@register("kerr-residual", data=residuals_data)
def residuals(data: dict):
    r"""Fig. 2 quality gauges: Eq. (10) residual, (B6) route to Pi_u, error of the moments (ch. 4).

    The three relative errors of :func:`residuals_data` against :math:`\epsilon`, for all
    sizes, and a dashed line at :math:`10^{-6}`; values below :math:`10^{-17}` are drawn at
    :math:`10^{-17}`. One panel, logarithmic in the error, with its legend above it.
    """
    import matplotlib.pyplot as plt

    gauges = {
        r"balance: $|\Pi_{\mathrm{u}}+\Pi_{\mathrm{d}}-\Phi_{\mathrm{q}}|/\Phi_{\mathrm{q}}$": data[
            "relative_residual"
        ],
        r"$\Pi_{\mathrm{u}}$ by parts vs general (relative)": data["b6_relative"],
        r"$\langle a\rangle$, $\langle a^\dagger a\rangle$ vs exact (relative)": data[
            "moment_error"
        ],
    }
    fig, ax = plt.subplots(figsize=(WIDTH, 4.6), layout="constrained")
    for (label, values), marker in zip(gauges.items(), "osd", strict=True):
        ax.semilogy(data["eps"], np.maximum(values, 1e-17), marker, ms=3, ls="none", label=label)
    ax.axhline(1e-6, color="k", lw=0.8, ls="--", label="$10^{-6}$")
    ax.set_xlabel(r"$\epsilon$ (all sizes $N = 10, \dots, 40$)")
    ax.set_ylabel("relative error")
    fig.legend(loc="outside upper center", ncol=2)
    return fig


def unitary_share_data(*, resolution: str = "full", n_jobs: int | None = None) -> dict:
    r"""Unitary share Pi_u/Phi_q of the fluctuation entropy production (Eq. 10) near eps_c (ch. 4).

    :math:`\Pi_u/\Phi_q` at the (c), (d) points of :func:`fig2_rows`; by Eq. (10) the rest,
    :math:`\Pi_d/\Phi_q`, is the dissipative share.

    Parameters
    ----------
    resolution : str, optional
        ``'full'`` or ``'reduced'``: the points of the sweep, see :func:`fig2_rows`.
    n_jobs : int, optional
        Worker processes of the sweep.

    Returns
    -------
    dict
        ``N``, ``eps`` and ``share`` (:math:`\Pi_u/\Phi_q`), one entry per point, and
        ``eps_c``.

    Raises
    ------
    ValueError
        If ``resolution`` is unknown; errors of the sweep propagate (see :func:`fig2_rows`).
    """
    cd = fig2_rows(resolution=resolution, n_jobs=n_jobs, progress=False)["cd"]
    return {"N": cd["N"], "eps": cd["eps"], "share": cd["pi_u"] / cd["phi_q"],
            "eps_c": np.array([kerr.critical_drive()])}


@register("kerr-unitary-share", data=unitary_share_data)
def unitary_share(data: dict):
    r"""Unitary share Pi_u/Phi_q of the fluctuation entropy production (Eq. 10) near eps_c (ch. 4).

    :math:`\Pi_u/\Phi_q` of :func:`unitary_share_data` against
    :math:`N(\epsilon/\epsilon_c - 1)` for N = 10 to 40: one panel, one curve per size,
    coloured by N (colour bar).
    """
    import matplotlib.pyplot as plt

    eps_c = data["eps_c"][0]
    fig, ax = plt.subplots(figsize=(WIDTH, 4), layout="constrained")
    for N in SIZES_CD:
        sel = data["N"] == N
        x = N * (data["eps"][sel] / eps_c - 1)
        ax.plot(x, data["share"][sel], "-", lw=1.5, color=_size_color(N), label=f"$N={N}$")
    ax.set_xlabel(r"$N(\epsilon/\epsilon_c - 1)$")
    ax.set_ylabel(r"$\Pi_{\mathrm{u}} / \Phi_{\mathrm{q}}$")
    ax.set_xlim(-3, 4)
    _size_colorbar(fig, ax)
    return fig


def critical_scaling_data(*, sizes=(25, 50, 100, 200, 400, 800, 1600, 3200),
                          n_jobs: int | None = None) -> dict:
    r"""Beyond the paper (ch. 4): drive and height of the Phi_q peak vs N, extrapolated to eps_c.

    The drive where the exact :math:`\Phi_q` peaks (:func:`epcore.kerr.peak_row`, cached
    sweep) and the peak height :math:`\Phi_q/N`; the extrapolation of the peak drives in
    :math:`1/N` (:func:`epcore.kerr.fit_peak_drives`, which leaves out the smallest sizes),
    the large-deviation :math:`\epsilon_c` (:func:`epcore.kerr.critical_drive`) and the limit
    of the height, :math:`\kappa|\alpha_+ - \alpha_-|^2/2`
    (:func:`epcore.kerr.peak_height_limit`).

    Parameters
    ----------
    sizes : tuple of int, optional
        System sizes N, increasing; at least six (the extrapolation fits order 2 and checks it
        against order 1 on all but the two smallest).
    n_jobs : int, optional
        Worker processes of the cached sweep.

    Returns
    -------
    dict
        ``N``, ``eps_peak`` and ``phi_q_peak_over_N``, one entry per size; one value each:
        ``eps_c``, ``eps_c_extrapolated``, ``eps_c_extrapolation_error`` and
        ``height_limit``; ``fit_coefficients`` (highest power of :math:`1/N` first).

    Raises
    ------
    ValueError
        If fewer than six sizes are given.
    """
    params = [{"N": N} for N in sizes]
    rows = sweep(kerr.peak_row, params, n_jobs=n_jobs, desc="Phi_q peaks", progress=False)
    N = np.array([r["N"] for r in rows])
    eps_peak = np.array([r["eps_peak"] for r in rows])
    height = np.array([r["phi_q_peak"] for r in rows]) / N
    fit = kerr.fit_peak_drives(dict(zip(N, eps_peak, strict=True)))
    return {
        "N": N,
        "eps_peak": eps_peak,
        "phi_q_peak_over_N": height,
        "eps_c": np.array([kerr.critical_drive()]),
        "eps_c_extrapolated": np.array([fit.eps_c]),
        "eps_c_extrapolation_error": np.array([fit.error]),
        "height_limit": np.array([kerr.peak_height_limit()]),
        "fit_coefficients": fit.coefficients,
    }


@register("kerr-critical", data=critical_scaling_data)
def critical_scaling(data: dict):
    r"""Beyond the paper (ch. 4): drive and height of the Phi_q peak vs N, extrapolated to eps_c.

    (a) The drive where the exact :math:`\Phi_q` peaks against :math:`1/N`, the quadratic fit
    in :math:`1/N` and the large-deviation :math:`\epsilon_c`; (b) the peak height
    :math:`\Phi_q/N` against N and its limit :math:`\kappa|\alpha_+ - \alpha_-|^2/2`, with
    :math:`\alpha_\pm` the stable branches at :math:`\epsilon_c`; from
    :func:`critical_scaling_data`.
    """
    import matplotlib.pyplot as plt

    N, eps_peak = data["N"], data["eps_peak"]
    fig, axes = plt.subplots(1, 2, figsize=(WIDTH, 3.4), layout="constrained")
    ax = axes[0]
    ax.plot(1 / N, eps_peak, "o", label=r"peak of exact $\Phi_{\mathrm{q}}$")
    inv = np.linspace(0, 1 / N.min(), 100)
    ax.plot(inv, np.polyval(data["fit_coefficients"], inv), "k-", lw=0.8,
            label="fit in $1/N$ (order 2)")
    ax.plot([0], data["eps_c"], "r*", ms=12, label=r"$\epsilon_c$ (large deviations)")
    ax.set_xlabel(r"$1/N$")
    ax.set_ylabel(r"$\epsilon_{\rm peak}(N)$")
    ax.set_title("(a)", loc="left")
    ax.legend()
    ax = axes[1]
    ax.semilogx(N, data["phi_q_peak_over_N"], "o-", label=r"exact, peak of $\Phi_{\mathrm{q}}/N$")
    ax.axhline(data["height_limit"][0], color="r", ls="--",
               label=r"$\kappa|\alpha_+-\alpha_-|^2/2$")
    ax.set_xlabel(r"$N$")
    ax.set_ylabel(r"$\max_\epsilon \Phi_{\mathrm{q}} / N$")
    ax.set_title("(b)", loc="left")
    ax.legend()
    return fig


# ------------------------------------------------------ beyond the paper: N up to 400


def peak_terms_data(*, sizes=(25, 50, 100, 200, 400, 800, 1600)) -> dict:
    r"""Beyond the paper (ch. 4): N times the distance of the Phi_q/N peak from its limit.

    For each size, :func:`epcore.kerr.peak_terms` at the drive where the exact :math:`\Phi_q`
    peaks: :math:`N(\Phi_q/N - L)` for the exact state, the two-branch prediction and its
    leading (mixing) term alone, with :math:`L = \kappa|\alpha_+ - \alpha_-|^2/2` the
    N -> infinity limit (:func:`epcore.kerr.peak_height_limit`).

    Parameters
    ----------
    sizes : tuple of int, optional
        System sizes N (a fraction of a second each, no cache needed).

    Returns
    -------
    dict
        ``N``, and ``exact``, ``two_branch``, ``leading``: :math:`N(\Phi_q/N - L)` of each,
        one entry per size.
    """
    rows = [kerr.peak_terms(N) for N in sizes]
    N = np.array([r["N"] for r in rows])
    data = {"N": N}
    for key in ("exact", "two_branch", "leading"):
        data[key] = N * (np.array([r[key] for r in rows]) - rows[0]["limit"])
    return data


@register("kerr-peak-terms", data=peak_terms_data)
def peak_terms(data: dict):
    r"""Beyond the paper (ch. 4): N times the distance of the Phi_q/N peak from its limit.

    The three curves of :func:`peak_terms_data` against N (one panel). A curve that levels off
    at :math:`c` approaches the limit as :math:`c/N`; the vertical distance between two curves
    is N times their difference.
    """
    import matplotlib.pyplot as plt

    N = data["N"]
    fig, ax = plt.subplots(figsize=(WIDTH, 3.6), layout="constrained")
    labels = {"exact": "exact", "two_branch": "two-branch prediction",
              "leading": r"leading term $2\kappa p(1-p)|\alpha_+-\alpha_-|^2$"}
    for (key, label), style in zip(labels.items(), ("ko-", "C0s--", "C1^:"), strict=True):
        ax.semilogx(N, data[key], style, label=label)
    ax.axhline(0, color="0.6", lw=0.8)
    top = max(float(np.max(data[k])) for k in labels)
    ax.set(xlabel=r"$N$", ylabel=r"$N\,(\Phi_q/N - \kappa|\alpha_+-\alpha_-|^2/2)$",
           ylim=(-0.05 * top, 1.55 * top))
    ax.legend(loc="upper left", ncols=1)
    return fig


def large_n_params(*, n_core: int = 9, n_tail: int = 2, x_max: float = 3.0) -> list[dict]:
    r"""Sweep points of the extended collapse: N = 100, 200, 400 at eps = eps_c (1 + x/N).

    ``n_core`` values of :math:`x = N(\epsilon/\epsilon_c - 1)` in [-0.6, 1.2], where the state
    switches branch, and ``n_tail`` on each side out to :math:`\pm` ``x_max``, for each size of
    ``SIZES_LARGE``.

    Parameters
    ----------
    n_core : int, optional
        Values of x in [-0.6, 1.2].
    n_tail : int, optional
        Values of x on each side of the core.
    x_max : float, optional
        Largest ``abs(x)``.

    Returns
    -------
    list of dict
        ``{"N": N, "eps": eps}``, size by size.
    """
    eps_c = kerr.critical_drive()
    x = np.concatenate(
        [
            np.linspace(-x_max, -0.6, n_tail, endpoint=False),
            np.linspace(-0.6, 1.2, n_core),
            np.linspace(1.2, x_max, n_tail + 1)[1:],
        ]
    )
    return [{"N": N, "eps": float(eps_c * (1 + xi / N))} for N in SIZES_LARGE for xi in x]


def large_n_rows(
    *, n_jobs: int | None = None, progress: bool = True
) -> dict[str, dict[str, np.ndarray]]:
    r"""Exact Kerr balances for the extended collapse and at the Phi_q peak, N up to 400 (cached).

    Two cached :func:`epcore.sweep.sweep` runs: the drive of the :math:`\Phi_q` peak for
    N = 25, 50, 100, 200, 400 (:func:`epcore.kerr.peak_row`), then
    :func:`epcore.kerr.entropy_production_row` at the points of :func:`large_n_params` and at those
    peaks.

    Parameters
    ----------
    n_jobs : int, optional
        Worker processes of the sweeps.
    progress : bool, optional
        Show the progress bars of the sweeps.

    Returns
    -------
    dict
        ``{"grid": columns, "peak": columns}``: each ``columns`` maps every key of
        :func:`epcore.kerr.entropy_production_row` (``N``, ``eps``, ``pi_u``, ``pi_d``, ``phi_q``,
        ``relative_residual``, ``moment_error``, ``cutoff``, ``method_is_qutip``) to a numpy
        array, one entry per point of :func:`large_n_params` (``grid``) or per peak size
        (``peak``).

    Raises
    ------
    ValueError
        Errors of :mod:`epcore.kerr` (typed, :mod:`epcore.errors`) propagate.
    """
    sizes = (25, 50, 100, 200, 400)
    peaks = sweep(
        kerr.peak_row,
        [{"N": N} for N in sizes],
        n_jobs=n_jobs,
        desc="Phi_q peaks",
        progress=progress,
    )
    grid = large_n_params()
    at_peak = [{"N": p["N"], "eps": p["eps_peak"]} for p in peaks]
    rows = sweep(
        kerr.entropy_production_row,
        grid + at_peak,
        n_jobs=n_jobs,
        desc="Kerr, N up to 400",
        progress=progress,
    )

    def columns(part: list[dict]) -> dict[str, np.ndarray]:
        return {key: np.array([r[key] for r in part]) for key in part[0]}

    return {"grid": columns(rows[: len(grid)]), "peak": columns(rows[len(grid) :])}


def large_n_collapse_data(*, resolution: str = "full", n_jobs: int | None = None) -> dict:
    r"""Beyond the paper (ch. 4): Fig. 2(c, d) collapse up to N = 400, Pi_d/N at the Phi_q peak.

    :math:`\Pi_u` and :math:`\Pi_d/N` of the exact state against
    :math:`x = N(\epsilon/\epsilon_c - 1)` for N = 40 (from :func:`fig2_rows`), 100, 200 and
    400 (:func:`large_n_rows`), the two-branch prediction as :math:`N\to\infty`
    (:func:`epcore.kerr.two_branch_scaling`); at the drive where :math:`\Phi_q` peaks
    (N = 25 to 400):
    the exact :math:`\Pi_d/N` and :math:`\Phi_q/N`, the two-branch :math:`\Pi_d/N` at the same
    drives and the limit :math:`\kappa|\alpha_+ - \alpha_-|^2/2`
    (:func:`epcore.kerr.peak_height_limit`).

    Parameters
    ----------
    resolution : str, optional
        Drive grid of the N = 40 curve, as in :func:`fig2_rows`.
    n_jobs : int, optional
        Worker processes of the cached sweeps.

    Returns
    -------
    dict
        ``x_dense`` with ``limit_pi_u`` and ``limit_pi_d_over_N`` (the :math:`N\to\infty`
        prediction); for N = 40, 100, 200, 400: ``x_<N>``, ``pi_u_<N>``,
        ``pi_d_over_N_<N>``; at the peaks: ``peak_N``, ``peak_eps``, ``peak_pi_d_over_N``,
        ``peak_phi_q_over_N``, ``peak_two_branch_pi_d_over_N``; and ``height_limit``.

    Raises
    ------
    ValueError
        Errors of the sweeps propagate (see :func:`large_n_rows`).
    """
    rows = large_n_rows(n_jobs=n_jobs, progress=False)
    small = fig2_rows(resolution=resolution, n_jobs=n_jobs, progress=False)["cd"]
    grid, peak = rows["grid"], rows["peak"]
    eps_c = kerr.critical_drive()
    x_dense = np.linspace(-3, 3, 241)
    data: dict[str, np.ndarray] = {"x_dense": x_dense}
    for N in (40, *SIZES_LARGE):
        part = small if N == 40 else grid
        sel = part["N"] == N
        data[f"x_{N}"] = N * (part["eps"][sel] / eps_c - 1)
        data[f"pi_u_{N}"] = part["pi_u"][sel]
        data[f"pi_d_over_N_{N}"] = part["pi_d"][sel] / N
    limit = kerr.two_branch_scaling(math.inf, x_dense)
    data["limit_pi_u"], data["limit_pi_d_over_N"] = limit.pi_u, limit.pi_d_over_N
    pred = np.array(
        [kerr.two_branch_prediction(N, e) for N, e in zip(peak["N"], peak["eps"], strict=True)]
    )
    data.update(
        peak_N=peak["N"],
        peak_eps=peak["eps"],
        peak_pi_d_over_N=peak["pi_d"] / peak["N"],
        peak_phi_q_over_N=peak["phi_q"] / peak["N"],
        peak_two_branch_pi_d_over_N=np.array([b.pi_d for b in pred]) / peak["N"],
        height_limit=np.array([kerr.peak_height_limit()]),
    )
    return data


@register("kerr-large-n", data=large_n_collapse_data)
def large_n_collapse(data: dict):
    r"""Beyond the paper (ch. 4): Fig. 2(c, d) collapse up to N = 400, Pi_d/N at the Phi_q peak.

    (a) :math:`\Pi_u` and (b) :math:`\Pi_d/N` against :math:`N(\epsilon/\epsilon_c - 1)` for
    N = 40, 100, 200 and 400, with the two-branch prediction as :math:`N\to\infty`, their
    legend above them; (c) :math:`\Pi_d/N` and :math:`\Phi_q/N` at the drive where
    :math:`\Phi_q` peaks against :math:`1/N`, the two-branch prediction at the same drives and
    the limit :math:`\kappa|\alpha_+ - \alpha_-|^2/2`; from :func:`large_n_collapse_data`.
    """
    import matplotlib.pyplot as plt

    fig, panels = plt.subplot_mosaic([["a", "b"], ["c", "c"]], figsize=(WIDTH, 6.2),
                                     layout="constrained")
    axes = [panels[k] for k in "abc"]
    x_dense = data["x_dense"]
    sizes = (40, *SIZES_LARGE)
    cmap = plt.get_cmap("plasma")
    for i, N in enumerate(sizes):
        color = cmap(0.8 * i / (len(sizes) - 1))
        x = data[f"x_{N}"]
        axes[0].plot(x, data[f"pi_u_{N}"], "o-", ms=2.5, lw=1, color=color, label=f"$N={N}$")
        axes[1].plot(x, data[f"pi_d_over_N_{N}"], "o-", ms=2.5, lw=1, color=color)
    axes[0].plot(x_dense, data["limit_pi_u"], "k--", lw=1.2, label=r"two branches, $N\to\infty$")
    axes[1].plot(x_dense, data["limit_pi_d_over_N"], "k--", lw=1.2)
    for ax, label, ylabel in zip(
        axes[:2], ("(a)", "(b)"), (r"$\Pi_{\mathrm{u}}$", r"$\Pi_{\mathrm{d}} / N$"), strict=True
    ):
        ax.set_xlabel(r"$N(\epsilon/\epsilon_c - 1)$")
        ax.set_ylabel(ylabel)
        ax.set_title(label, loc="left")
        ax.set_xlim(-3, 3)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside upper center", ncol=3)
    # (c) the height at the Phi_q peak
    ax = axes[2]
    inv = 1 / data["peak_N"]
    ax.plot(inv, data["peak_pi_d_over_N"], "o", color="tab:blue",
            label=r"exact $\Pi_{\mathrm{d}}/N$")
    ax.plot(
        inv,
        data["peak_phi_q_over_N"],
        "s",
        mfc="none",
        color="tab:green",
        label=r"exact $\Phi_{\mathrm{q}}/N$",
    )
    ax.plot(inv, data["peak_two_branch_pi_d_over_N"], "k^", mfc="none",
            label=r"two branches, $\Pi_{\mathrm{d}}/N$")
    ax.axhline(data["height_limit"][0], color="r", ls="--", lw=1,
               label=r"$\kappa|\alpha_+-\alpha_-|^2/2$")
    ax.set_xlim(0, None)
    ax.set_xlabel(r"$1/N$")
    ax.set_ylabel(r"at the peak of $\Phi_{\mathrm{q}}$")
    ax.set_title("(c)", loc="left")
    ax.legend()
    return fig
