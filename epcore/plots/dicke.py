"""Figures of the Dicke chapter (chapters/05_dicke.md), registered as ``dicke-*``.

Every function takes keyword options only, draws one figure and returns ``(fig, data)``, where
``data`` maps a column name to a 1-D array. The parameters come from ``model``, a
:class:`~epcore.models.DickeModel` (default :data:`epcore.dicke.PAPER`); functions that compare
several stabilizing losses take them as ``gammas`` and replace the model's ``gamma``. All
numbers come from :mod:`epcore.dicke`; the sweeps are batched and take well under a second.
Only the exact finite-N points of :func:`finite_n_convergence` are expensive; they come from
:func:`epcore.sweep.finite_n_scan`, which caches them on disk.
"""

from __future__ import annotations

import numpy as np

from .. import dicke, errata
from ..figures import register
from ..models import DickeModel
from ..sweep import finite_n_scan
from .style import WIDTH

__all__ = [
    "mean_field_diagram_data",
    "mean_field_diagram",
    "mean_field_relaxation_data",
    "mean_field_relaxation",
    "husimi_marginals_data",
    "husimi_marginals",
    "fig3_data",
    "fig3",
    "local_slopes_data",
    "local_slopes",
    "shifted_divergence_data",
    "shifted_divergence",
    "entropy_terms_data",
    "entropy_terms",
    "critical_coupling_check_data",
    "critical_coupling_check",
    "gamma_convergence_data",
    "gamma_convergence",
    "finite_n_data",
    "finite_n_columns",
    "finite_n_convergence",
]

#: The stabilizing losses compared in the local-slope figure.
GAMMAS = (1e-3, 1e-4, 1e-5, 1e-6, 1e-7)
PAPER = dicke.PAPER


def _num(g: float) -> str:
    """Mathtext for a number: a power of ten as ``10^{k}``, otherwise ``:g``."""
    k = np.log10(g) if g > 0 else np.nan
    return f"10^{{{k:.0f}}}" if np.isfinite(k) and abs(k - round(k)) < 1e-9 else f"{g:g}"


def _vline(ax, x, **kw):
    ax.axvline(x, color="0.5", ls=":", lw=1, **kw)


def mean_field_diagram_data(*, lam_max: float = 3.0, points: int = 600,
                            model: DickeModel = PAPER) -> dict:
    r"""Order parameters :math:`|\alpha|`, :math:`\beta`, :math:`w` of the mean field (Eqs. C6-C8).

    Parameters
    ----------
    lam_max : float, optional
        Largest :math:`\lambda/\lambda_c`.
    points : int, optional
        Number of couplings.
    model : DickeModel, optional
        The model; default :data:`epcore.dicke.PAPER`.

    Returns
    -------
    dict
        ``lam_over_lc``, ``abs_alpha``, ``beta``, ``w``.
    """
    lc = dicke.critical_coupling(model=model)
    r = np.linspace(0, lam_max, points)
    sw = dicke.entropy_production_batch(r * lc, model=model)
    return {"lam_over_lc": r, "abs_alpha": np.abs(sw.alpha), "beta": sw.beta, "w": sw.w}


@register("dicke-mean-field", data=mean_field_diagram_data)
def mean_field_diagram(data: dict):
    r"""Order parameters :math:`|\alpha|`, :math:`\beta`, :math:`w` of the mean field (Eqs. C6-C8).

    Drawn from the result of :func:`mean_field_diagram_data`.
    """
    import matplotlib.pyplot as plt

    r = data["lam_over_lc"]
    fig, ax = plt.subplots(figsize=(WIDTH, 4.2), layout="constrained")
    ax.plot(r, data["abs_alpha"], label=r"$|\alpha| = |\langle a\rangle|/\sqrt{N}$")
    ax.plot(r, data["beta"], label=r"$\beta = \langle J_-\rangle/N$")
    ax.plot(r, data["w"], label=r"$w = \langle J_z\rangle/N$")
    ax.plot(r, np.sqrt(data["beta"]**2 + data["w"]**2), "k:", lw=1,
            label=r"$\sqrt{\beta^2 + w^2}$")
    _vline(ax, 1.0)
    ax.set_xlabel(r"$\lambda/\lambda_c$")
    ax.set_ylabel("mean field")
    fig.legend(loc="outside lower center", ncol=2)
    return fig


def mean_field_relaxation_data(*, ratios: tuple[float, ...] = (0.8, 1.5), t_max: float = 4e5,
                          model: DickeModel = PAPER) -> dict:
    r"""Mean-field relaxation, Eqs. (C3)-(C5), from a tilted spin, both sides of :math:`\lambda_c`.

    Parameters
    ----------
    ratios : tuple of float, optional
        Couplings :math:`\lambda/\lambda_c`, one panel each.
    t_max : float, optional
        Final time, in units of :math:`1/\kappa`.
    model : DickeModel, optional
        The model; default :data:`epcore.dicke.PAPER`.

    Returns
    -------
    dict
        ``t_<ratio>`` and the five mean-field components ``re_alpha_<ratio>`` ... ``w_<ratio>``.
    """
    lc = dicke.critical_coupling(model=model)
    data = {}
    for ratio in ratios:
        t, y = dicke.relax_mean_field(ratio * lc, t_max, n_t=1500, model=model)
        mf = dicke.mean_field(ratio * lc, model=model)
        data[f"t_{ratio:g}"] = t
        for i, name in enumerate(("re_alpha", "im_alpha", "re_beta", "im_beta", "w")):
            data[f"{name}_{ratio:g}"] = y[i]
        data[f"target_{ratio:g}"] = np.array([mf.alpha.imag, mf.beta, mf.w])
    data["ratios"] = np.array(ratios, dtype=float)
    return data


@register("dicke-relaxation", data=mean_field_relaxation_data)
def mean_field_relaxation(data: dict):
    r"""Mean-field relaxation, Eqs. (C3)-(C5), from a tilted spin, both sides of :math:`\lambda_c`.

    Drawn from the result of :func:`mean_field_relaxation_data`.
    """
    import matplotlib.pyplot as plt

    ratios = data["ratios"]
    fig, axes = plt.subplots(1, len(ratios), figsize=(WIDTH, 3.4), sharey=True,
                             layout="constrained")
    for ax, ratio in zip(np.atleast_1d(axes), ratios, strict=True):
        t, target = data[f"t_{ratio:g}"], data[f"target_{ratio:g}"]
        for key, label, goal, color in (
            ("im_alpha", r"$\mathrm{Im}\,\alpha$", target[0], "C0"),
            ("re_beta", r"$\mathrm{Re}\,\beta$", target[1], "C1"),
            ("w", r"$w$", target[2], "C2"),
        ):
            ax.plot(t, data[f"{key}_{ratio:g}"], color=color, lw=1, label=label)
            ax.axhline(goal, color=color, ls="--", lw=0.8)
        ax.set_title(rf"$\lambda = {ratio:g}\,\lambda_c$")
        ax.set_xlabel(r"$\kappa t$")
        ax.ticklabel_format(axis="x", style="sci", scilimits=(0, 0))
    np.atleast_1d(axes)[0].legend()
    return fig


def husimi_marginals_data(*, ratios: tuple[float, ...] = (0.7, 0.97, 1.03, 1.5),
                     model: DickeModel = PAPER, points: int = 201) -> dict:
    r"""Husimi functions of the cavity and of the spin fluctuations (marginals of Eq. C26).

    Each panel is a square spanning 3.5 times the larger of the two standard deviations on
    each side of zero, with equal scales on both axes, so an elongated Gaussian looks
    elongated. The colour is Q relative to its maximum in the panel (one colour bar).

    Parameters
    ----------
    ratios : tuple of float, optional
        Couplings :math:`\lambda/\lambda_c`, one column each.
    model : DickeModel, optional
        The model, with its stabilizing loss :math:`\gamma`; default
        :data:`epcore.dicke.PAPER`.
    points : int, optional
        Grid points per axis.

    Returns
    -------
    dict
        ``x_<mode>_<ratio>``, ``y_<mode>_<ratio>`` and the flattened ``Q_<mode>_<ratio>`` for
        the modes ``cavity`` and ``spin``.
    """
    lc = dicke.critical_coupling(model=model)
    data = {}
    for ratio in ratios:
        S = dicke.entropy_production(ratio * lc, model=model).husimi_cov
        for mode, k, name in (("a", 2, "cavity"), ("b", 0, "spin")):
            half = 3.5 * np.sqrt(max(S[k, k], S[k + 1, k + 1]))
            x = np.linspace(-half, half, points)
            y = np.linspace(-half, half, points)
            X, Y = np.meshgrid(x, y)
            Q = dicke.husimi_marginal(X, Y, S, mode)
            data[f"x_{name}_{ratio:g}"] = x
            data[f"y_{name}_{ratio:g}"] = y
            data[f"Q_{name}_{ratio:g}"] = Q.ravel()
    data["ratios"] = np.array(ratios, dtype=float)
    return data


@register("dicke-husimi", data=husimi_marginals_data)
def husimi_marginals(data: dict):
    r"""Husimi functions of the cavity and of the spin fluctuations (marginals of Eq. C26).

    Drawn from the result of :func:`husimi_marginals_data`.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    ratios = data["ratios"]
    fig, axes = plt.subplots(2, len(ratios), figsize=(WIDTH, 3.5), layout="constrained",
                             squeeze=False)
    levels = np.linspace(0, 1, 13)
    for j, ratio in enumerate(ratios):
        for i, (mode, name) in enumerate((("a", "cavity"), ("b", "spin"))):
            x, y = data[f"x_{name}_{ratio:g}"], data[f"y_{name}_{ratio:g}"]
            Q = data[f"Q_{name}_{ratio:g}"].reshape(len(y), len(x))
            ax = axes[i, j]
            filled = ax.contourf(x, y, Q / Q.max(), levels=levels, cmap="viridis")
            ax.set_aspect("equal")
            ax.xaxis.set_major_locator(MaxNLocator(3, symmetric=True))
            ax.yaxis.set_major_locator(MaxNLocator(3, symmetric=True))
            ax.set_xlabel(rf"$x_{mode}$")
            if j == 0:
                ax.set_ylabel(f"{name}\n" + rf"$y_{mode}$")
        axes[0, j].set_title(rf"$\lambda = {ratio:g}\,\lambda_c$")
    fig.colorbar(filled, ax=axes, shrink=0.8, ticks=[0, 0.5, 1], label=r"$Q/\max Q$")
    return fig


def fig3_data(*, model: DickeModel = PAPER, gamma_fit: float = 1e-6, lam_max: float = 2.0,
         points: int = 2000) -> dict:
    r"""The paper's Fig. 3: (a) :math:`\Pi_u`, (b) its derivative, (c) :math:`\Pi_d`, (d) Eq. (13).

    (a)-(c) at the model's :math:`\gamma`; (d) shows :math:`\log_{10}\Pi_d` against
    :math:`\log_{10}|\lambda_c - \lambda|` for both the model's :math:`\gamma` and
    ``gamma_fit``, with fits of slope -1 only where the local slope stays within 0.05 of -1
    over more than a decade (at the paper's :math:`\gamma` it does so over less than a fifth).

    Parameters
    ----------
    model : DickeModel, optional
        The model; default :data:`epcore.dicke.PAPER` (:math:`\gamma = 10^{-3}`).
    gamma_fit : float, optional
        The smaller :math:`\gamma` of panel (d).
    lam_max : float, optional
        Largest :math:`\lambda/\lambda_c` of panels (a)-(c).
    points : int, optional
        Couplings in panels (a)-(c), half on each side of :math:`\lambda_c`.

    Returns
    -------
    dict
        ``lam_left``, ``pi_u_left``, ``dpi_u_left``, ``pi_d_left`` and the same ``_right``;
        ``log10_dist_<gamma>_<side>`` and ``log10_pi_d_<gamma>_<side>`` of panel (d).
    """
    lc = dicke.critical_coupling(model=model)
    gamma = model.gamma
    half = points // 2
    # each side separately, so the one-sided derivatives meet lambda_c without smoothing
    lam_l = np.linspace(0.0, lc, half)
    lam_r = np.linspace(lc, lam_max * lc, half)
    sw_l = dicke.entropy_production_batch(lam_l, model=model)
    sw_r = dicke.entropy_production_batch(lam_r, model=model)
    d_l = dicke.pi_u_slope(lam_l, model=model)
    d_r = dicke.pi_u_slope(lam_r, model=model)
    data = {"lam_left": lam_l, "pi_u_left": sw_l.pi_u, "dpi_u_left": d_l, "pi_d_left": sw_l.pi_d,
            "lam_right": lam_r, "pi_u_right": sw_r.pi_u, "dpi_u_right": d_r,
            "pi_d_right": sw_r.pi_d}
    for g in (gamma, gamma_fit):
        for side in (-1, 1):
            prof = dicke.divergence_profile(side, model=model.replace(gamma=g), rel_min=1e-9,
                                            n=70)
            key = f"{g:g}_{'below' if side < 0 else 'above'}"
            data[f"log10_dist_{key}"] = np.log10(prof["rel_distance"] * lc)
            data[f"log10_pi_d_{key}"] = np.log10(prof["pi_d"])
            if prof["window"] is not None and np.log10(prof["window"][1] / prof["window"][0]) > 1:
                w = np.log10(np.array(prof["window"]) * lc)
                data[f"fit_log10_dist_{key}"] = w
                data[f"fit_log10_pi_d_{key}"] = prof["intercept"] - w
    data["lambda_c"] = np.array([lc])
    data["gammas"] = np.array([gamma, gamma_fit])
    return data


@register("dicke-fig3", data=fig3_data)
def fig3(data: dict):
    r"""The paper's Fig. 3: (a) :math:`\Pi_u`, (b) its derivative, (c) :math:`\Pi_d`, (d) Eq. (13).

    Drawn from the result of :func:`fig3_data`.
    """
    import matplotlib.pyplot as plt

    lc = data["lambda_c"][0]
    gamma, gamma_fit = data["gammas"]
    lam_l, lam_r = data["lam_left"], data["lam_right"]
    fig, axes = plt.subplots(2, 2, figsize=(WIDTH, 6.6), layout="constrained")
    ax = axes[0, 0]
    ax.plot(lam_l, data["pi_u_left"], "k")
    ax.plot(lam_r, data["pi_u_right"], "k")
    ax.set_ylabel(r"$\Pi_{\mathrm{u}}$")
    ax.set_title("(a)", loc="left")
    ax = axes[0, 1]
    ax.plot(lam_l, data["dpi_u_left"], "k")
    ax.plot(lam_r, data["dpi_u_right"], "k")
    ax.set_ylabel(r"$d\Pi_{\mathrm{u}}/d\lambda$")
    ax.set_title("(b)", loc="left")
    ax = axes[1, 0]
    ax.semilogy(lam_l, data["pi_d_left"], "k")
    ax.semilogy(lam_r, data["pi_d_right"], "k")
    ax.set_ylabel(r"$\Pi_{\mathrm{d}}$")
    ax.set_title("(c)", loc="left")
    for a in (axes[0, 0], axes[0, 1], axes[1, 0]):
        _vline(a, lc)
        a.set_xlabel(r"$\lambda$")

    ax = axes[1, 1]
    for g, marker in ((gamma, "o"), (gamma_fit, "s")):
        for side, color in ((-1, "C0"), (1, "C3")):
            key = f"{g:g}_{'below' if side < 0 else 'above'}"
            ax.plot(data[f"log10_dist_{key}"], data[f"log10_pi_d_{key}"], marker, ms=3,
                    color=color, mfc="none" if g == gamma else color,
                    label=rf"$\gamma={_num(g)}$, $\lambda {'<' if side < 0 else '>'} \lambda_c$")
            if f"fit_log10_dist_{key}" in data:
                fitted = not any(line.get_label() == "slope $-1$ fit" for line in ax.lines)
                ax.plot(data[f"fit_log10_dist_{key}"], data[f"fit_log10_pi_d_{key}"], "k-",
                        lw=1.2, zorder=5, label="slope $-1$ fit" if fitted else None)
    ax.set_xlabel(r"$\log_{10}|\lambda_c - \lambda|$")
    ax.set_ylabel(r"$\log_{10}\Pi_{\mathrm{d}}$")
    ax.set_title("(d)", loc="left")
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=2,
               title="(d)")
    return fig


def local_slopes_data(*, gammas: tuple[float, ...] = GAMMAS, tol: float = 0.05,
                 model: DickeModel = PAPER) -> dict:
    r"""Local slope :math:`d\ln\Pi_d/d\ln|\lambda - \lambda_c|` for several :math:`\gamma`.

    Eq. (13) predicts -1; the grey band is -1 within ``tol`` and the bars mark the windows of
    :func:`epcore.dicke.divergence_profile`. The thin dashed lines are the slope
    :math:`-x/(s + x)` of a pole :math:`C/(s + x)` displaced by the shift of the critical
    point, :math:`s = \delta` below :math:`\lambda_c` and :math:`\delta/2` above, with
    :math:`\delta = \lambda_c(\gamma)/\lambda_c - 1`.

    Parameters
    ----------
    gammas : tuple of float, optional
        Stabilizing losses, each replacing the model's :math:`\gamma`.
    tol : float, optional
        Half-width of the band around -1.
    model : DickeModel, optional
        The other parameters; default :data:`epcore.dicke.PAPER`.

    Returns
    -------
    dict
        ``log10_rel_dist_<gamma>_<side>`` and ``slope_<gamma>_<side>``.
    """
    data = {}
    for side in (-1, 1):
        for g in gammas:
            gmodel = model.replace(gamma=g)
            prof = dicke.divergence_profile(side, model=gmodel, tol=tol)
            key = f"{g:g}_{'below' if side < 0 else 'above'}"
            data[f"log10_rel_dist_{key}"] = np.log10(prof["rel_distance"])
            data[f"slope_{key}"] = prof["slope"]
            data[f"pole_slope_{key}"] = dicke.pole_slope(prof["rel_distance"], side,
                                                         model=gmodel)
            if prof["window"] is not None:
                data[f"log10_window_{key}"] = np.log10(prof["window"])
    data["gammas"] = np.array(gammas, dtype=float)
    data["tol"] = np.array([tol])
    return data


@register("dicke-local-slope", data=local_slopes_data)
def local_slopes(data: dict):
    r"""Local slope :math:`d\ln\Pi_d/d\ln|\lambda - \lambda_c|` for several :math:`\gamma`.

    Drawn from the result of :func:`local_slopes_data`.
    """
    import matplotlib.pyplot as plt

    gammas, tol = data["gammas"], data["tol"][0]
    fig, axes = plt.subplots(1, 2, figsize=(WIDTH, 3.9), sharey=True, layout="constrained")
    cmap = plt.get_cmap("viridis")
    for ax, side in zip(axes, (-1, 1), strict=True):
        ax.axhspan(-1 - tol, -1 + tol, color="0.85", zorder=0)
        for i, g in enumerate(gammas):
            key = f"{g:g}_{'below' if side < 0 else 'above'}"
            color = cmap(i / max(1, len(gammas) - 1) * 0.85)
            x = data[f"log10_rel_dist_{key}"]
            ax.plot(x, data[f"slope_{key}"], color=color, label=rf"$\gamma = {_num(g)}$")
            ax.plot(x, data[f"pole_slope_{key}"], "--", color="k", lw=0.7, zorder=3)
            if f"log10_window_{key}" in data:
                ax.plot(data[f"log10_window_{key}"], [-1, -1], "|", color=color, ms=12, mew=2)
        ax.set_xlabel(r"$\log_{10}(|\lambda - \lambda_c|/\lambda_c)$")
        ax.set_title(r"$\lambda < \lambda_c$" if side < 0 else r"$\lambda > \lambda_c$")
        ax.set_ylim(-1.6, 0.1)
    axes[0].set_ylabel(r"$d\ln\Pi_{\mathrm{d}}/d\ln|\lambda-\lambda_c|$")
    fig.legend(*axes[1].get_legend_handles_labels(), loc="outside lower center", ncol=3)
    return fig


def shifted_divergence_data(*, gammas: tuple[float, ...] = GAMMAS, model: DickeModel = PAPER,
                       n: int = 200) -> dict:
    r""":math:`\Pi_d` of the normal phase against its distance from :math:`\lambda_c(\gamma)`.

    (a) :math:`\log_{10}\Pi_d` against :math:`\log_{10}(\lambda_c(\gamma) - \lambda)`, with a
    line of slope -1 through the closest point of each curve; (b) the local slope, which is -1
    all the way to :math:`\lambda_c(\gamma)` at every :math:`\gamma`. From
    :func:`epcore.dicke.shifted_divergence`.

    Parameters
    ----------
    gammas : tuple of float, optional
        Stabilizing losses, each replacing the model's :math:`\gamma`.
    model : DickeModel, optional
        The other parameters; default :data:`epcore.dicke.PAPER`.
    n : int, optional
        Points per curve.

    Returns
    -------
    dict
        ``log10_dist_<gamma>`` (of :math:`\lambda_c(\gamma) - \lambda`), ``log10_pi_d_<gamma>``
        and ``slope_<gamma>``.
    """
    data = {}
    for g in gammas:
        prof = dicke.shifted_divergence(model=model.replace(gamma=g), n=n)
        data[f"log10_dist_{g:g}"] = np.log10(prof["rel_distance"] * prof["lambda_c_shifted"])
        data[f"log10_pi_d_{g:g}"] = np.log10(prof["pi_d"])
        data[f"slope_{g:g}"] = prof["slope"]
    data["gammas"] = np.array(gammas, dtype=float)
    return data


@register("dicke-shifted-divergence", data=shifted_divergence_data)
def shifted_divergence(data: dict):
    r""":math:`\Pi_d` of the normal phase against its distance from :math:`\lambda_c(\gamma)`.

    Drawn from the result of :func:`shifted_divergence_data`.
    """
    import matplotlib.pyplot as plt

    gammas = data["gammas"]
    fig, axes = plt.subplots(1, 2, figsize=(WIDTH, 3.9), layout="constrained")
    cmap = plt.get_cmap("viridis")
    for i, g in enumerate(gammas):
        color = cmap(i / max(1, len(gammas) - 1) * 0.9)
        x, y = data[f"log10_dist_{g:g}"], data[f"log10_pi_d_{g:g}"]
        axes[0].plot(x, y, color=color, label=rf"$\gamma = {_num(g)}$")
        axes[0].plot(x, y[0] + x[0] - x, ":", color="k", lw=0.8)
        axes[1].plot(x, data[f"slope_{g:g}"], color=color)
    axes[0].set_xlabel(r"$\log_{10}(\lambda_c(\gamma) - \lambda)$")
    axes[0].set_ylabel(r"$\log_{10}\Pi_{\mathrm{d}}$")
    axes[0].set_title("(a) dotted: slope $-1$", loc="left")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=3)
    axes[1].set_xlabel(r"$\log_{10}(\lambda_c(\gamma) - \lambda)$")
    axes[1].set_ylabel("local slope")
    axes[1].set_ylim(-1.6, 0.1)
    axes[1].set_title("(b) local slope", loc="left")
    return fig


def entropy_terms_data(*, model: DickeModel = PAPER, lam_max: float = 2.0,
                       points: int = 2000) -> dict:
    r"""The fluctuation terms along :math:`\lambda` and the balance of Eq. (10).

    :math:`\Pi_u`, :math:`\Pi_d`, :math:`\Phi_q = \Pi_u + \Pi_d`, the cavity occupation
    :math:`2\kappa\langle\delta a^\dagger\delta a\rangle` and the spin channel of
    :math:`\Pi_d`.

    Parameters
    ----------
    model : DickeModel, optional
        The model, with its stabilizing loss :math:`\gamma`; default
        :data:`epcore.dicke.PAPER`.
    lam_max : float, optional
        Largest :math:`\lambda/\lambda_c`.
    points : int, optional
        Number of couplings.

    Returns
    -------
    dict
        The columns of the sweep (:meth:`epcore.balance.EntropyBalance.columns`: ``lam``,
        the terms, ``pi_d_b``, ...), ``two_kappa_na``, ``lambda_c`` and ``gamma``.
    """
    lc = dicke.critical_coupling(model=model)
    lam = np.linspace(lc / points, lam_max * lc, points)
    sw = dicke.entropy_production_batch(lam, model=model)
    return {**sw.columns(), "two_kappa_na": 2 * model.kappa * sw.photons_a,
            "lambda_c": np.array([lc]), "gamma": np.array([model.gamma])}


@register("dicke-terms", data=entropy_terms_data)
def entropy_terms(data: dict):
    r"""The fluctuation terms along :math:`\lambda` and the balance of Eq. (10).

    Drawn from the result of :func:`entropy_terms_data`.
    """
    import matplotlib.pyplot as plt

    r = data["lam"] / data["lambda_c"][0]
    fig, ax = plt.subplots(figsize=(WIDTH, 4.2), layout="constrained")
    ax.semilogy(r, data["pi_d"], "C3", label=r"$\Pi_{\mathrm{d}}$")
    ax.semilogy(r, data["phi_q"], "k--",
                label=r"$\Phi_{\mathrm{q}} = \Pi_{\mathrm{u}} + \Pi_{\mathrm{d}}$")
    ax.semilogy(r, data["two_kappa_na"], "C0:", lw=2,
                label=r"$2\kappa\langle\delta a^\dagger\delta a\rangle$")
    ax.semilogy(r, data["pi_u"], "C2", label=r"$\Pi_{\mathrm{u}}$")
    ax.semilogy(r, data["pi_d_b"], "C1-.",
                label=r"$\Pi_{\mathrm{d}}$, spin channel ($\gamma$)")
    _vline(ax, 1.0)
    ax.set_xlabel(r"$\lambda/\lambda_c$")
    ax.set_ylabel("rate")
    ax.set_title(rf"$\gamma = {_num(data['gamma'][0])}$")
    ax.legend()
    return fig


def critical_coupling_check_data(*, points: int = 400, model: DickeModel = PAPER) -> dict:
    r"""Growth rate of perturbations of the normal phase, with both formulas for :math:`\lambda_c`.

    App. C's :math:`\lambda_c` (:func:`epcore.dicke.critical_coupling`), where the rate
    changes sign, against the main text's misprint.

    Parameters
    ----------
    points : int, optional
        Number of couplings, log-spaced from :math:`\lambda_c/10` to beyond the misprinted
        value.
    model : DickeModel, optional
        The model; default :data:`epcore.dicke.PAPER`.

    Returns
    -------
    dict
        ``lam``, ``growth_rate`` (:func:`epcore.dicke.normal_phase_growth_rate`).
    """
    lc = dicke.critical_coupling(model=model)
    wrong = errata.misprinted_critical_coupling(model=model)
    lam = np.logspace(np.log10(lc) - 1, np.log10(wrong) + 0.5, points)
    rate = dicke.normal_phase_growth_rate(lam, model=model)
    return {"lam": lam, "growth_rate": rate, "lambda_c": np.array([lc]),
            "lambda_c_misprinted": np.array([wrong])}


@register("dicke-lambda-c", data=critical_coupling_check_data)
def critical_coupling_check(data: dict):
    r"""Growth rate of perturbations of the normal phase, with both formulas for :math:`\lambda_c`.

    Drawn from the result of :func:`critical_coupling_check_data`.
    """
    import matplotlib.pyplot as plt

    lc, wrong = data["lambda_c"][0], data["lambda_c_misprinted"][0]
    fig, ax = plt.subplots(figsize=(WIDTH, 3.6), layout="constrained")
    ax.semilogx(data["lam"], data["growth_rate"], "k")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.axvline(lc, color="C0", ls="--", label=rf"App. C: $\lambda_c = {lc:.4f}$")
    ax.axvline(wrong, color="C3", ls="--", label=rf"main text: ${wrong:.3f}$")
    ax.set_xlabel(r"$\lambda$")
    ax.set_ylabel("largest Re eigenvalue\nof the normal phase")
    ax.set_yscale("symlog", linthresh=1e-5)
    ax.legend()
    return fig


def gamma_convergence_data(*, gammas: tuple[float, ...] = (1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7),
                      lam_max: float = 2.0, points: int = 800, model: DickeModel = PAPER) -> dict:
    r"""The terms for several :math:`\gamma` and their limit :math:`\gamma \to 0`.

    Three panels: :math:`\Pi_u`, :math:`\Pi_d` and :math:`\langle\delta b^\dagger\delta b\rangle`
    against :math:`\lambda/\lambda_c`.

    The limit (wide grey dashes under the coloured lines, so that the smallest :math:`\gamma`
    stays visible on it) is :func:`epcore.dicke.gamma_zero_limit`; the dots in the last panel
    are the adiabatic-elimination occupations (:func:`epcore.dicke.adiabatic_occupations`).
    Panels (a), (b) above (c) and the legend.

    Parameters
    ----------
    gammas : tuple of float, optional
        Stabilizing losses, each replacing the model's :math:`\gamma`.
    lam_max : float, optional
        Largest :math:`\lambda/\lambda_c`.
    points : int, optional
        Number of couplings (those within 0.2 % of :math:`\lambda_c` are left out).
    model : DickeModel, optional
        The other parameters; default :data:`epcore.dicke.PAPER`.

    Returns
    -------
    dict
        ``lam_over_lc``, ``pi_u_limit``, ``pi_d_limit``, ``n_b_limit`` and ``pi_u_<gamma>``,
        ``pi_d_<gamma>``, ``n_b_<gamma>``.
    """
    lc = dicke.critical_coupling(model=model)
    r = np.linspace(lam_max / points, lam_max, points)
    r = r[np.abs(r - 1.0) > 2e-3]
    lim = dicke.gamma_zero_limit(r * lc, model=model)
    data = {"lam_over_lc": r, "pi_u_limit": lim.pi_u, "pi_d_limit": lim.pi_d,
            "n_b_limit": lim.photons_b}
    for g in gammas:
        sw = dicke.entropy_production_batch(r * lc, model=model.replace(gamma=g))
        data[f"pi_u_{g:g}"], data[f"pi_d_{g:g}"] = sw.pi_u, sw.pi_d
        data[f"n_b_{g:g}"] = sw.photons_b
    sparse = r[:: max(1, len(r) // 25)]
    data["sparse_lam_over_lc"] = sparse
    data["n_b_adiabatic"] = dicke.adiabatic_occupations(sparse * lc, model=model)[1]
    data["gammas"] = np.array(gammas, dtype=float)
    return data


@register("dicke-gamma-limit", data=gamma_convergence_data)
def gamma_convergence(data: dict):
    r"""The terms for several :math:`\gamma` and their limit :math:`\gamma \to 0`.

    Drawn from the result of :func:`gamma_convergence_data`.
    """
    import matplotlib.pyplot as plt

    r, gammas = data["lam_over_lc"], data["gammas"]
    fig, panels = plt.subplot_mosaic([["a", "b"], ["c", "key"]], figsize=(WIDTH, 5.8),
                                     layout="constrained")
    axes = [panels[k] for k in "abc"]
    cmap = plt.get_cmap("viridis")
    for i, g in enumerate(gammas):
        color = cmap(i / max(1, len(gammas) - 1) * 0.85)
        for ax, key in zip(axes, ("pi_u", "pi_d", "n_b"), strict=True):
            ax.semilogy(r, data[f"{key}_{g:g}"], color=color, lw=1.4,
                        label=rf"$\gamma = 10^{{{np.log10(g):.0f}}}$", zorder=3)
    for ax, key in zip(axes, ("pi_u", "pi_d", "n_b"), strict=True):
        ax.semilogy(r, data[f"{key}_limit"], "--", color="0.55", lw=3.5,
                    label=r"$\gamma \to 0$", zorder=2)
        _vline(ax, 1.0)
        ax.set_xlabel(r"$\lambda/\lambda_c$")
    (markers,) = axes[2].plot(data["sparse_lam_over_lc"], data["n_b_adiabatic"], "o",
                              color="C3", ms=4, mfc="none",
                              label="adiabatic elimination (c)", zorder=4)
    axes[0].set_ylabel(r"$\Pi_{\mathrm{u}}$")
    axes[1].set_ylabel(r"$\Pi_{\mathrm{d}}$")
    axes[2].set_ylabel(r"$\langle\delta b^\dagger\delta b\rangle$")
    axes[0].set_title("(a)", loc="left")
    axes[1].set_title("(b)", loc="left")
    axes[2].set_title("(c)", loc="left")
    handles, _ = axes[0].get_legend_handles_labels()
    panels["key"].axis("off")
    panels["key"].legend(handles=handles + [markers], loc="center")
    return fig


def finite_n_data(*, lam_over_lc: float = 0.1, model: DickeModel = PAPER,
                  Ns: tuple[int, ...] = (2, 4, 8, 16, 32, 64, 256, 1024, 4096, 16384)) -> list:
    r"""Exact finite-:math:`N` Dicke results at one coupling (cached), for the finite-N figure.

    :func:`epcore.sweep.finite_n_scan` at :math:`\lambda = r\lambda_c`.

    Parameters
    ----------
    lam_over_lc : float, optional
        Coupling :math:`\lambda/\lambda_c`.
    model : DickeModel, optional
        The model; default :data:`epcore.dicke.PAPER`.
    Ns : tuple of int, optional
        Numbers of atoms.

    Returns
    -------
    list of FiniteNDicke
        One exact result per N.
    """
    lc = dicke.critical_coupling(model=model)
    return finite_n_scan(Ns, lam_over_lc * lc, model=model)


def finite_n_columns(results) -> dict:
    r"""Exact finite-N occupations divided by their Gaussian (:math:`N \to \infty`) values.

    The Gaussian values are those of :func:`epcore.dicke.entropy_production` at the results'
    own coupling and model.

    Parameters
    ----------
    results : list of FiniteNDicke
        Exact results, all at one coupling and model (as :func:`finite_n_data` returns).

    Returns
    -------
    dict
        ``N``, ``photons_a_over_gaussian``, ``photons_b_over_gaussian``.
    """
    lam, model = results[0].lam, results[0].model
    gauss = dicke.entropy_production(lam, model=model)
    data = {"N": np.array([r.N for r in results], float)}
    for key in ("photons_a", "photons_b"):
        exact = np.array([getattr(r, key) for r in results])
        data[f"{key}_over_gaussian"] = exact / getattr(gauss, key)
    return data


@register("dicke-finite-n", data=finite_n_data, columns=finite_n_columns)
def finite_n_convergence(data: list):
    r"""Exact finite-:math:`N` occupations against the Gaussian (:math:`N \to \infty`) values.

    Left: the occupations divided by their Gaussian values; right: the relative deviation,
    with a line proportional to :math:`1/N`. Drawn from the results of :func:`finite_n_data`
    (or any exact results at one coupling), through :func:`finite_n_columns`.
    """
    import matplotlib.pyplot as plt

    lam, model = data[0].lam, data[0].model
    lc, gamma = dicke.critical_coupling(model=model), model.gamma
    cols = finite_n_columns(data)
    N = cols["N"]
    fig, axes = plt.subplots(1, 2, figsize=(WIDTH, 3.6), layout="constrained")
    for key, label, color in (("photons_a", r"$\langle\delta a^\dagger\delta a\rangle$", "C0"),
                              ("photons_b", r"$\langle\delta b^\dagger\delta b\rangle$", "C3")):
        x = cols[f"{key}_over_gaussian"]
        axes[0].semilogx(N, x, "o-", color=color, ms=4, label=label)
        axes[1].loglog(N, np.abs(x - 1), "o-", color=color, ms=4, label=label)
    axes[0].axhline(1.0, color="0.5", lw=0.8)
    big = N >= 64
    ref = np.abs(cols["photons_a_over_gaussian"] - 1)[big][-1] * N[big][-1]
    axes[1].loglog(N[big], ref / N[big], "k:", lw=1, label=r"$\propto 1/N$")
    for ax in axes:
        ax.set_xlabel(r"$N$")
        ax.legend()
    axes[0].set_ylabel("exact / Gaussian")
    axes[1].set_ylabel("|exact / Gaussian - 1|")
    fig.suptitle(rf"$\lambda = {lam / lc:g}\,\lambda_c$, $\gamma = {_num(gamma)}$")
    return fig
