"""Figures of the Kerr chapter (chapters/04_kerr.md), registered as ``kerr-*``.

Every function takes keyword options only, draws one figure and returns ``(fig, data)``. The
finite-N data come from :func:`epcore.sweep.sweep` over :func:`epcore.kerr.sweep_point`, so they
are computed once on two cores and then read from the disk cache.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .. import kerr
from ..figures import register
from ..phasespace import husimi
from ..sweep import sweep

__all__ = [
    "fig2_params",
    "fig2_rows",
    "s_curve",
    "husimi_panels",
    "fig2",
    "residuals",
    "unitary_share",
    "critical_scaling",
    "large_n_params",
    "large_n_rows",
    "two_branch_curves",
    "large_n_collapse",
]

#: sizes of the paper's Fig. 2: (a), (b) and the collapse (c), (d)
SIZES_AB = (10, 30)
SIZES_CD = tuple(range(10, 45, 5))
#: sizes of the extended collapse (beyond the paper)
SIZES_LARGE = (100, 200, 400)
#: "N = infinity" of the two-branch curves: x = N (eps/eps_c - 1) is fixed, so the O(1/N)
#: terms are 1e-6 of the leading ones
N_LIMIT = 1e6
COLORS = {10: "tab:blue", 30: "black"}


def _size_color(N: float, sizes=SIZES_CD):
    cmap = plt.get_cmap("viridis")
    return cmap((N - min(sizes)) / max(1, max(sizes) - min(sizes)) * 0.9)


# ----------------------------------------------------------------------------------- data


def fig2_params(
    *, n_eps: int = 33, n_fine: int = 40, n_core: int = 41, n_tail: int = 6, x_max: float = 6.0
) -> tuple[list[dict], list[dict]]:
    """Sweep points of Fig. 2 as ``(panels_ab, panels_cd)``.

    (a), (b): N = 10, 30 at ``n_eps`` drives in [0.6, 1.4] plus ``n_fine`` in
    ``eps_c + [-0.04, 0.06]``, where the state switches branch. (c), (d): N = 10..40 at
    ``x = N (eps/eps_c - 1)``, ``n_core`` points in [-1, 1.5] (the switch is ~0.1 wide in x)
    and ``n_tail`` on each side out to ``+-x_max``.
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
    *, resolution: str = "full", n_jobs: int = 2, progress: bool = True
) -> dict[str, dict[str, np.ndarray]]:
    """All Fig. 2 points, ``{"ab": columns, "cd": columns}`` with the keys of
    :func:`epcore.kerr.sweep_point`; computed on ``n_jobs`` cores, then read from the cache.
    ``resolution="reduced"`` halves the points (Binder)."""
    if resolution not in ("full", "reduced"):
        raise ValueError(f"resolution must be 'full' or 'reduced', got {resolution!r}")
    opts = {} if resolution == "full" else {"n_eps": 17, "n_fine": 20, "n_core": 21, "n_tail": 4}
    ab, cd = fig2_params(**opts)
    rows = sweep(
        kerr.sweep_point, ab + cd, n_jobs=n_jobs, desc="Kerr Fig. 2 sweep", progress=progress
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


@register("kerr-s-curve")
def s_curve(*, sizes=(10, 30, 100, 1000), n_eps: int = 300) -> tuple:
    """Mean-field ``|alpha|^2`` vs ``eps`` (all branches), the window of Eq. (B4), ``eps_c``,
    and the exact ``<a^dag a>/N`` at finite N.

    Parameters
    ----------
    sizes : tuple of int
        The finite N drawn from :func:`epcore.kerr.exact_moment`.
    n_eps : int
        Drives per exact curve.

    Returns
    -------
    tuple
        ``(fig, data)``: the figure and its arrays (``n_mean_field``, ``eps_mean_field`` from
        :func:`epcore.kerr.drive_of_photons`, ``stable`` from
        :func:`epcore.kerr.branch_is_stable`, ``eps``, ``exact_n_over_N_<N>``).
    """
    lo, hi = kerr.bistability_window()
    eps_c = kerr.critical_drive()
    # the S curve parametrized by n = |alpha|^2
    n_curve = np.linspace(0, 2.85, 2000)
    eps_curve = kerr.drive_of_photons(n_curve)
    stable = kerr.branch_is_stable(n_curve)
    eps = np.linspace(0.4, 1.5, n_eps)
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    ax.axvspan(lo, hi, color="0.92", label="bistable window (B4)")
    ax.plot(eps_curve, np.where(stable, n_curve, np.nan), "k-", lw=2, label="stable branch")
    ax.plot(eps_curve, np.where(~stable, n_curve, np.nan), "k--", lw=1.2, label="unstable branch")
    data = {"n_mean_field": n_curve, "eps_mean_field": eps_curve, "stable": stable, "eps": eps}
    for N in sizes:
        ns = np.array([kerr.exact_moment(N, float(e), 1, 1).real / N for e in eps])
        ax.plot(eps, ns, lw=1, label=f"exact $N={N}$")
        data[f"exact_n_over_N_{N}"] = ns
    ax.axvline(eps_c, color="tab:red", ls=":", label=r"$\epsilon_c$")
    ax.set_xlabel(r"$\epsilon$")
    ax.set_ylabel(r"$|\alpha|^2$,  $\langle a^\dagger a\rangle / N$")
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig, data


@register("kerr-husimi")
def husimi_panels(*, N: int = 30, drives=(0.85, None, 1.05), n_grid: int = 161) -> tuple:
    """Husimi function (top) and photon-number distribution (bottom) of the exact state across
    the transition; the middle drive defaults to the finite-N peak of ``Phi_q``."""
    drives = [kerr.variance_peak(N)[0] if e is None else e for e in drives]
    fig, axes = plt.subplots(2, len(drives), figsize=(3.3 * len(drives), 6.2))
    data: dict[str, np.ndarray] = {"drives": np.array(drives)}
    for col, eps in enumerate(drives):
        rho = kerr.steady_state(N, eps, method="complex-p")
        branches = [b for b in kerr.mean_field(eps) if b.stable]
        radius = 1.25 * np.sqrt(N * max(b.n for b in branches)) + 3
        axis = np.linspace(-radius, radius, n_grid)
        mu = axis[None, :] + 1j * axis[:, None]
        q = husimi(rho, mu)
        ax = axes[0, col]
        ax.pcolormesh(axis, axis, q, shading="auto", cmap="magma")
        for b in branches:
            z = b.alpha * np.sqrt(N)
            ax.plot(z.real, z.imag, "c+", ms=10, mew=1.5)
        ax.set_aspect("equal")
        ax.set_title(rf"$N={N}$, $\epsilon={eps:.3f}$", fontsize=10)
        ax.set_xlabel(r"Re $\mu$")
        if col == 0:
            ax.set_ylabel(r"Im $\mu$")
        p = np.real(rho.diag())
        axes[1, col].bar(np.arange(len(p)), p, width=1.0, color="tab:blue")
        axes[1, col].set_xlabel(r"photon number $n$")
        axes[1, col].set_xlim(0, len(p))
        if col == 0:
            axes[1, col].set_ylabel(r"$p_n = \langle n|\rho|n\rangle$")
        data[f"p_n_eps{col}"] = p
        data[f"husimi_diag_eps{col}"] = np.diagonal(q)
    fig.tight_layout()
    return fig, data


@register("kerr-fig2")
def fig2(*, resolution: str = "full", n_jobs: int = 2) -> tuple:
    """Fig. 2 of the paper: (a) ``Pi_u`` and (b) ``Pi_d`` vs ``eps`` for N = 10, 30 with the
    N -> infinity branches; (c) ``Pi_u`` and (d) ``Pi_d/N`` vs ``N(eps/eps_c - 1)``."""
    rows = fig2_rows(resolution=resolution, n_jobs=n_jobs, progress=False)
    ab, cd = rows["ab"], rows["cd"]
    eps_c = kerr.critical_drive()
    fig, axes = plt.subplots(2, 2, figsize=(9, 7))
    eps_dense = np.linspace(0.6, 1.4, 400)
    branches = _branch_curves(eps_dense)
    data = {f"ab_{k}": ab[k] for k in ("N", "eps", "pi_u", "pi_d")}
    data.update({f"cd_{k}": cd[k] for k in ("N", "eps", "pi_u", "pi_d")})
    data.update({"eps_dense": eps_dense, **{f"inf_{k}": v for k, v in branches.items()}})
    for col, key in enumerate(("pi_u", "pi_d")):
        ax = axes[0, col]
        for N in SIZES_AB:
            sel = ab["N"] == N
            style = "-" if N == 30 else "--"
            ax.plot(ab["eps"][sel], ab[key][sel], style, color=COLORS[N], label=f"$N={N}$")
        for b in ("low", "up"):
            label = r"$N\to\infty$ branches" if b == "low" else None
            ax.plot(eps_dense, branches[f"{b}_{key}"], color="tab:orange", lw=1, label=label)
        ax.axvline(eps_c, color="tab:red", ls=":", lw=1)
        ax.set_xlabel(r"$\epsilon$")
        ax.set_ylabel(r"$\Pi_u$" if key == "pi_u" else r"$\Pi_d$")
        ax.set_title("(a)" if col == 0 else "(b)", loc="left")
        if key == "pi_d":
            ax.set_yscale("log")
        ax.legend(fontsize=8)
    for N in SIZES_CD:
        sel = cd["N"] == N
        x = N * (cd["eps"][sel] / eps_c - 1)
        color = _size_color(N)
        axes[1, 0].plot(x, cd["pi_u"][sel], "-", lw=1.2, color=color, label=f"$N={N}$")
        axes[1, 1].plot(x, cd["pi_d"][sel] / N, "-", lw=1.2, color=color)
    x_dense = np.linspace(-2, 3, 201)
    for N, style in ((min(SIZES_CD), ":"), (max(SIZES_CD), ":"), (N_LIMIT, "--")):
        pred = two_branch_curves(N, x_dense)
        color = "k" if N == N_LIMIT else _size_color(N)
        label = "two branches, " + (r"$N\to\infty$" if N == N_LIMIT else f"$N={N}$")
        axes[1, 0].plot(x_dense, pred["pi_u"], style, color=color, lw=1.2, label=label)
        axes[1, 1].plot(x_dense, pred["pi_d"] / N, style, color=color, lw=1.2)
        data[f"two_branch_{N:g}_pi_u"] = pred["pi_u"]
        data[f"two_branch_{N:g}_pi_d_over_N"] = pred["pi_d"] / N
    data["two_branch_x"] = x_dense
    axes[1, 0].set_ylabel(r"$\Pi_u$")
    axes[1, 1].set_ylabel(r"$\Pi_d / N$")
    for ax, label in zip(axes[1], ("(c)", "(d)"), strict=True):
        ax.set_xlabel(r"$N(\epsilon/\epsilon_c - 1)$")
        ax.set_title(label, loc="left")
        ax.set_xlim(-2, 3)
    axes[1, 0].legend(fontsize=6.5, ncol=2)
    fig.tight_layout()
    return fig, data


@register("kerr-residual")
def residuals(*, resolution: str = "full", n_jobs: int = 2) -> tuple:
    """Quality gauges over every Fig. 2 point: Eq. (10) residual, the (B6) route to ``Pi_u``,
    and the deviation of the state's moments from the exact ones."""
    rows = fig2_rows(resolution=resolution, n_jobs=n_jobs, progress=False)
    cols = {k: np.concatenate([rows["ab"][k], rows["cd"][k]]) for k in rows["ab"]}
    b6 = np.abs(cols["pi_u_b6"] - cols["pi_u"]) / np.abs(cols["pi_u"])
    gauges = {
        r"Eq. (10): $|\Pi_u+\Pi_d-\Phi_q|/\Phi_q$": cols["relative_residual"],
        r"(B6) vs general $\Pi_u$ (relative)": b6,
        r"$\langle a\rangle$, $\langle a^\dagger a\rangle$ vs exact (relative)": cols[
            "moment_error"
        ],
    }
    fig, ax = plt.subplots(figsize=(6.4, 4))
    for (label, values), marker in zip(gauges.items(), "osd", strict=True):
        ax.semilogy(cols["eps"], np.maximum(values, 1e-17), marker, ms=3, ls="none", label=label)
    ax.axhline(1e-6, color="k", lw=0.8, ls="--")
    ax.set_xlabel(r"$\epsilon$ (all sizes $N = 10, \dots, 40$)")
    ax.set_ylabel("relative error")
    ax.legend(fontsize=8)
    fig.tight_layout()
    data = {
        "N": cols["N"],
        "eps": cols["eps"],
        "relative_residual": cols["relative_residual"],
        "b6_relative": b6,
        "moment_error": cols["moment_error"],
    }
    return fig, data


@register("kerr-unitary-share")
def unitary_share(*, resolution: str = "full", n_jobs: int = 2) -> tuple:
    """``Pi_u / Phi_q``, the unitary share of the fluctuation entropy production (Eq. 10)."""
    cd = fig2_rows(resolution=resolution, n_jobs=n_jobs, progress=False)["cd"]
    eps_c = kerr.critical_drive()
    fig, ax = plt.subplots(figsize=(6.4, 4))
    for N in SIZES_CD:
        sel = cd["N"] == N
        x = N * (cd["eps"][sel] / eps_c - 1)
        share = cd["pi_u"][sel] / cd["phi_q"][sel]
        ax.plot(x, share, "-", lw=1.2, color=_size_color(N), label=f"$N={N}$")
    ax.set_xlabel(r"$N(\epsilon/\epsilon_c - 1)$")
    ax.set_ylabel(r"$\Pi_u / \Phi_q$")
    ax.set_xlim(-3, 4)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return fig, {"N": cd["N"], "eps": cd["eps"], "share": cd["pi_u"] / cd["phi_q"]}


@register("kerr-critical")
def critical_scaling(*, sizes=(25, 50, 100, 200, 400, 800, 1600, 3200), n_jobs: int = 2):
    """Beyond the paper: (a) the drive where the exact ``Phi_q`` peaks vs 1/N, extrapolated to
    ``eps_c``; (b) the peak height ``Phi_q/N`` vs N and its N -> infinity value."""
    params = [{"N": N} for N in sizes]
    rows = sweep(kerr.peak_point, params, n_jobs=n_jobs, desc="Phi_q peaks", progress=False)
    N = np.array([r["N"] for r in rows])
    eps_peak = np.array([r["eps_peak"] for r in rows])
    height = np.array([r["phi_q_peak"] for r in rows]) / N
    eps_c = kerr.critical_drive()
    fit_c, fit_err = kerr.extrapolate_critical_drive(dict(zip(N[2:], eps_peak[2:], strict=True)))
    low, up = (b for b in kerr.mean_field(eps_c) if b.stable)
    limit = kerr.PAPER.kappa * abs(up.alpha - low.alpha) ** 2 / 2
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
    ax = axes[0]
    ax.plot(1 / N, eps_peak, "o", label=r"peak of exact $\Phi_q$")
    inv = np.linspace(0, 1 / N.min(), 100)
    coef = np.polyfit(1 / N[2:], eps_peak[2:], 2)
    ax.plot(inv, np.polyval(coef, inv), "k-", lw=0.8, label="fit in $1/N$ (order 2)")
    ax.plot([0], [eps_c], "r*", ms=12, label=r"$\epsilon_c$ (large deviations)")
    ax.set_xlabel(r"$1/N$")
    ax.set_ylabel(r"$\epsilon_{\rm peak}(N)$")
    ax.set_title("(a)", loc="left")
    ax.legend(fontsize=8)
    ax = axes[1]
    ax.semilogx(N, height, "o-", label=r"exact, peak of $\Phi_q/N$")
    ax.axhline(limit, color="r", ls="--", label=r"$\kappa|\alpha_+-\alpha_-|^2/2$")
    ax.set_xlabel(r"$N$")
    ax.set_ylabel(r"$\max_\epsilon \Phi_q / N$")
    ax.set_title("(b)", loc="left")
    ax.legend(fontsize=8)
    fig.tight_layout()
    data = {
        "N": N,
        "eps_peak": eps_peak,
        "phi_q_peak_over_N": height,
        "eps_c": np.array([eps_c]),
        "eps_c_extrapolated": np.array([fit_c]),
        "eps_c_extrapolation_error": np.array([fit_err]),
        "height_limit": np.array([limit]),
    }
    return fig, data


# ------------------------------------------------------ beyond the paper: N up to 400


def two_branch_curves(N: float, x: np.ndarray) -> dict[str, np.ndarray]:
    """:func:`epcore.kerr.two_branch_prediction` at ``eps = eps_c (1 + x/N)``, as arrays
    ``p``, ``pi_u``, ``pi_d``, ``phi_q``."""
    eps_c = kerr.critical_drive()
    preds = [kerr.two_branch_prediction(N, eps_c * (1 + xi / N)) for xi in np.asarray(x)]
    return {k: np.array([getattr(b, k) for b in preds]) for k in ("p", "pi_u", "pi_d", "phi_q")}


def large_n_params(*, n_core: int = 9, n_tail: int = 2, x_max: float = 3.0) -> list[dict]:
    """Drives of the extended collapse: N = 100, 200, 400 at ``x = N(eps/eps_c - 1)``,
    ``n_core`` points in [-0.6, 1.2] (where the state switches branch) and ``n_tail`` on each
    side out to ``+-x_max``."""
    eps_c = kerr.critical_drive()
    x = np.concatenate(
        [
            np.linspace(-x_max, -0.6, n_tail, endpoint=False),
            np.linspace(-0.6, 1.2, n_core),
            np.linspace(1.2, x_max, n_tail + 1)[1:],
        ]
    )
    return [{"N": N, "eps": float(eps_c * (1 + xi / N))} for N in SIZES_LARGE for xi in x]


def large_n_rows(*, n_jobs: int = 2, progress: bool = True) -> dict[str, dict[str, np.ndarray]]:
    """Exact balances for the extended collapse, ``{"grid": columns, "peak": columns}``:
    :func:`epcore.kerr.balance_point` on :func:`large_n_params` and at the ``Phi_q`` peak of
    N = 25 ... 400 (:func:`epcore.kerr.peak_point`), through the cached
    :func:`epcore.sweep.sweep`."""
    sizes = (25, 50, 100, 200, 400)
    peaks = sweep(
        kerr.peak_point,
        [{"N": N} for N in sizes],
        n_jobs=n_jobs,
        desc="Phi_q peaks",
        progress=progress,
    )
    grid = large_n_params()
    at_peak = [{"N": p["N"], "eps": p["eps_peak"]} for p in peaks]
    rows = sweep(
        kerr.balance_point,
        grid + at_peak,
        n_jobs=n_jobs,
        desc="Kerr, N up to 400",
        progress=progress,
    )

    def columns(part: list[dict]) -> dict[str, np.ndarray]:
        return {key: np.array([r[key] for r in part]) for key in part[0]}

    return {"grid": columns(rows[: len(grid)]), "peak": columns(rows[len(grid) :])}


@register("kerr-large-n")
def large_n_collapse(*, n_jobs: int = 2) -> tuple:
    """Beyond the paper: the collapse of Fig. 2(c, d) for N = 100, 200, 400 with the
    two-branch prediction, and ``Pi_d/N`` at the peak of ``Phi_q`` against 1/N."""
    rows = large_n_rows(n_jobs=n_jobs, progress=False)
    small = fig2_rows(n_jobs=n_jobs, progress=False)["cd"]
    grid, peak = rows["grid"], rows["peak"]
    eps_c = kerr.critical_drive()
    fig, axes = plt.subplots(1, 3, figsize=(10.5, 3.5))
    x_dense = np.linspace(-3, 3, 241)
    data: dict[str, np.ndarray] = {"x_dense": x_dense}
    sizes = (40, *SIZES_LARGE)
    cmap = plt.get_cmap("plasma")
    for i, N in enumerate(sizes):
        part = small if N == 40 else grid
        sel = part["N"] == N
        x = N * (part["eps"][sel] / eps_c - 1)
        color = cmap(0.8 * i / (len(sizes) - 1))
        axes[0].plot(x, part["pi_u"][sel], "o-", ms=2.5, lw=1, color=color, label=f"$N={N}$")
        axes[1].plot(x, part["pi_d"][sel] / N, "o-", ms=2.5, lw=1, color=color)
        data[f"x_{N}"], data[f"pi_u_{N}"] = x, part["pi_u"][sel]
        data[f"pi_d_over_N_{N}"] = part["pi_d"][sel] / N
    limit = two_branch_curves(N_LIMIT, x_dense)
    axes[0].plot(x_dense, limit["pi_u"], "k--", lw=1.2, label=r"two branches, $N\to\infty$")
    axes[1].plot(x_dense, limit["pi_d"] / N_LIMIT, "k--", lw=1.2)
    data["limit_pi_u"], data["limit_pi_d_over_N"] = limit["pi_u"], limit["pi_d"] / N_LIMIT
    for ax, label, ylabel in zip(
        axes[:2], ("(a)", "(b)"), (r"$\Pi_u$", r"$\Pi_d / N$"), strict=True
    ):
        ax.set_xlabel(r"$N(\epsilon/\epsilon_c - 1)$")
        ax.set_ylabel(ylabel)
        ax.set_title(label, loc="left")
        ax.set_xlim(-3, 3)
    axes[0].legend(fontsize=7)
    # (c) the height at the Phi_q peak
    ax = axes[2]
    inv = 1 / peak["N"]
    ax.plot(inv, peak["pi_d"] / peak["N"], "o", color="tab:blue", label=r"exact $\Pi_d/N$")
    ax.plot(
        inv,
        peak["phi_q"] / peak["N"],
        "s",
        mfc="none",
        color="tab:green",
        label=r"exact $\Phi_q/N$",
    )
    pred = np.array(
        [kerr.two_branch_prediction(N, e) for N, e in zip(peak["N"], peak["eps"], strict=True)]
    )
    pred_pi_d = np.array([b.pi_d for b in pred]) / peak["N"]
    ax.plot(inv, pred_pi_d, "k^", mfc="none", label=r"two branches, $\Pi_d/N$")
    low, up = (b for b in kerr.mean_field(eps_c) if b.stable)
    height = kerr.PAPER.kappa * abs(up.alpha - low.alpha) ** 2 / 2
    ax.axhline(height, color="r", ls="--", lw=1, label=r"$\kappa|\alpha_+-\alpha_-|^2/2$")
    ax.set_xlim(0, None)
    ax.set_xlabel(r"$1/N$")
    ax.set_ylabel(r"at the peak of $\Phi_q$")
    ax.set_title("(c)", loc="left")
    ax.legend(fontsize=7)
    fig.tight_layout()
    data.update(
        peak_N=peak["N"],
        peak_eps=peak["eps"],
        peak_pi_d_over_N=peak["pi_d"] / peak["N"],
        peak_phi_q_over_N=peak["phi_q"] / peak["N"],
        peak_two_branch_pi_d_over_N=pred_pi_d,
        height_limit=np.array([height]),
    )
    return fig, data
