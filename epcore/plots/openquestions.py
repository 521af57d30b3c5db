r"""Figures of the open-questions chapter (chapters/07_open_questions.md).

Every figure function takes keyword options only, draws one figure and returns
``(fig, data)``; the ``*_data`` functions compute what the chapter also quotes, from the
physics modules (:mod:`epcore.twophoton`, :mod:`epcore.kerr`, :mod:`epcore.dicke`).
"""

from __future__ import annotations

import numpy as np

from .. import dicke, dynamics, kerr, twophoton
from ..figures import register
from ..phasespace import husimi
from .style import WIDTH

__all__ = [
    "BALANCE_SIZES",
    "balance_data",
    "twophoton_balance",
    "divergence_data",
    "divergences",
    "gap_data",
    "twophoton_gap",
    "HUSIMI",
    "twophoton_husimi_data",
    "twophoton_husimi",
]

#: Sizes of the exact two-photon states drawn along the drive, and of the growth at G_c.
BALANCE_SIZES = (10, 40, 200, 1000)
GROWTH_SIZES = (25, 50, 100, 200, 400, 800, 1600, 3200)
#: Distances |x - 1| from each transition of the divergence figure.
DISTANCES = np.logspace(-1, -5, 17)
#: Sizes of the gap figure, for the two-photon model and for Kerr (at eps_c).
GAP_SIZES = (5, 10, 20, 40, 80)
KERR_GAP_SIZES = (4, 8, 12, 16, 20)
#: Size and drives G/G_c of the Husimi figure.
HUSIMI = {"N": 20, "ratios": (0.6, 1.0, 1.5, 3.0), "box": 5.5, "points": 101}


def _color(i: int, n: int):
    import matplotlib.pyplot as plt

    return plt.get_cmap("viridis")(0.9 * i / max(1, n - 1))


# ------------------------------------------------------------------------ the balance


def balance_data(*, sizes=BALANCE_SIZES, points: int = 41, growth=GROWTH_SIZES) -> dict:
    r"""The two-photon balance across :math:`G_c`: exact at each size, Gaussian at infinity.

    Parameters
    ----------
    sizes : tuple of int, optional
        Sizes of the exact states (:func:`epcore.twophoton.exact_scan`).
    points : int, optional
        Drives :math:`G/G_c` in :math:`[0.2, 3]` per size.
    growth : tuple of int, optional
        Sizes of :func:`epcore.twophoton.critical_growth` at :math:`G_c`.

    Returns
    -------
    dict
        ``ratios``; ``exact`` (size to the dict of :func:`epcore.twophoton.exact_scan`);
        ``gaussian`` (:func:`epcore.twophoton.gaussian_scan` on a finer grid without 1);
        ``limit`` (:math:`\kappa n` per unit N above :math:`G_c`, on the Gaussian grid, nan
        below); ``growth`` (:func:`epcore.twophoton.critical_growth`).
    """
    ratios = np.linspace(0.2, 3.0, points)
    fine = np.concatenate([1 - np.geomspace(0.8, 1e-3, 120), 1 + np.geomspace(1e-3, 2, 160)])
    gauss = twophoton.gaussian_scan(fine)
    gc = twophoton.critical_drive()
    limit = np.array([twophoton.broken_phase_limit(r * gc)["pi_d"] if r > 1 else np.nan
                      for r in fine])
    return {
        "ratios": ratios,
        "exact": {N: twophoton.exact_scan(N, ratios) for N in sizes},
        "gaussian": gauss,
        "limit": limit,
        "growth": twophoton.critical_growth(growth),
    }


def _balance_columns(d: dict) -> dict:
    """CSV of ``twophoton-balance``: ``ratio``, ``pi_d_<N>``, ``pi_u_<N>`` per size;
    ``ratio_inf``, ``pi_d_inf``, ``pi_u_inf``; ``N_growth``, ``pi_d_growth``, ``pi_u_growth``."""
    g, gr = d["gaussian"], d["growth"]
    cols = {"ratio": d["ratios"]}
    for N, e in d["exact"].items():
        cols[f"pi_d_{N}"], cols[f"pi_u_{N}"] = e["pi_d"], e["pi_u"]
    cols.update(ratio_inf=g["ratio"], pi_d_inf=g["pi_d"], pi_u_inf=g["pi_u"],
                N_growth=gr["N"], pi_d_growth=gr["pi_d"], pi_u_growth=gr["pi_u"])
    return cols


@register("twophoton-balance", data=balance_data, columns=_balance_columns)
def twophoton_balance(data: dict):
    r"""The two-photon resonator across :math:`G_c`: :math:`\Pi_d`, :math:`\Pi_u`, and growth.

    (a) :math:`\Pi_d` of the exact state at each size and of the Gaussian branch at
    :math:`N = \infty` (black); (b) :math:`\Pi_u`, the same; (c) :math:`\Pi_d/N` of the exact
    states above :math:`G_c` against :math:`\kappa n` (dashed); (d) :math:`\Pi_d` and
    :math:`\Pi_u` at :math:`G_c` against N, with :math:`N^{1/2}` (dotted).

    Drawn from the result of :func:`balance_data`.
    """
    import matplotlib.pyplot as plt

    d = data
    fig, axes = plt.subplots(2, 2, figsize=(WIDTH, 5.8), layout="constrained")
    (ax, bx), (cx, dx) = axes
    g = d["gaussian"]
    for i, (N, e) in enumerate(d["exact"].items()):
        c = _color(i, len(d["exact"]))
        ax.semilogy(e["ratio"], e["pi_d"], "-", color=c, label=f"$N = {N}$")
        bx.plot(e["ratio"], e["pi_u"], "-", color=c)
        above = e["ratio"] > 1
        cx.plot(e["ratio"][above], e["pi_d"][above] / N, "-", color=c)
    for side in (g["ratio"] < 1, g["ratio"] > 1):
        ax.semilogy(g["ratio"][side], g["pi_d"][side], "k-", lw=1.0)
        bx.plot(g["ratio"][side], g["pi_u"][side], "k-", lw=1.0)
    ax.plot([], [], "k-", label=r"$N = \infty$")
    cx.plot(g["ratio"], d["limit"], "k--", label=r"$\kappa n$")
    ax.set(xlabel=r"$G/G_c$", ylabel=r"$\Pi_d$", ylim=(1e-2, 1e3))
    bx.set(xlabel=r"$G/G_c$", ylabel=r"$\Pi_u$")
    cx.set(xlabel=r"$G/G_c$", ylabel=r"$\Pi_d/N$", xlim=(1, 3))
    bx.legend(*ax.get_legend_handles_labels(), loc="upper right")
    cx.legend(loc="lower right")
    gr = d["growth"]
    dx.loglog(gr["N"], gr["pi_d"], "ko", ms=4, label=r"$\Pi_d$")
    dx.loglog(gr["N"], gr["pi_u"], "s", color="0.5", ms=4, label=r"$\Pi_u$")
    dx.loglog(gr["N"], gr["pi_d"][-1] * np.sqrt(gr["N"] / gr["N"][-1]), "k:",
              label=r"$\propto N^{1/2}$")
    dx.set(xlabel="$N$", ylabel=r"at $G_c$")
    dx.legend(loc="upper left")
    for axis, letter in zip(axes.flat, "abcd", strict=True):
        axis.set_title(f"({letter})", loc="left")
    return fig


# ---------------------------------------------------------------- minimal ingredients


def divergence_data(*, distances=DISTANCES) -> dict:
    r"""The :math:`N \to \infty` fluctuation terms near four instabilities.

    * two-photon, below and above :math:`G_c` (:func:`epcore.twophoton.gaussian_scan`);
    * Dicke, normal branch below :math:`\lambda_c(\gamma)`
      (:func:`epcore.dicke.entropy_production_batch` with ``branch="normal"``);
    * Kerr, the lower branch at the upper edge of the bistable window (a spinodal,
      :func:`epcore.kerr.window_edge_scaling`).

    Each entry also holds ``bound``: :math:`2\sum_i\kappa_i` of chapter 3's theorem for the
    losses of its fluctuations (:math:`2\kappa'` for the two-photon model, whose
    fluctuation loss depends on the branch).

    Parameters
    ----------
    distances : array_like, optional
        Relative distances from each instability, log-spaced, in (0, 0.1].

    Returns
    -------
    dict
        Name to a dict of arrays ``distance``, ``pi_d``, ``pi_u``, ``phi_q``, ``bound``.
    """
    dist = np.asarray(distances, float)
    out = {}
    for name, sign in (("two-photon, below", -1), ("two-photon, above", +1)):
        s = twophoton.gaussian_scan(1 + sign * dist)
        out[name] = {"distance": dist, "pi_d": s["pi_d"], "pi_u": s["pi_u"],
                     "phi_q": s["phi_q"], "bound": 2 * s["loss_rate"]}
    model = dicke.PAPER
    lcg = dicke.critical_coupling(model=model, shifted=True)
    sw = dicke.entropy_production_batch(lcg * (1 - dist), model=model, branch="normal")
    out["Dicke"] = {"distance": dist, "pi_d": np.asarray(sw.pi_d), "pi_u": np.asarray(sw.pi_u),
                    "phi_q": np.asarray(sw.phi_q),
                    "bound": np.full(dist.shape, 2 * (model.kappa + model.gamma))}
    edge = kerr.window_edge_scaling(dist * kerr.bistability_window()[1])["upper"]
    out["Kerr spinodal"] = {
        "distance": edge["distance"] / kerr.bistability_window()[1], "pi_d": edge["pi_d"],
        "pi_u": edge["pi_u"], "phi_q": edge["phi_q"],
        "bound": np.full(dist.shape, 2 * kerr.PAPER.kappa),
    }
    return out


def _divergence_columns(d: dict) -> dict:
    """CSV of ``open-divergences``: ``distance_<k>``, ``pi_d_<k>``, ``pi_u_<k>``, ``phi_q_<k>``
    for the curves ``k = 0, 1, 2, 3`` in the order of :func:`divergence_data`."""
    cols = {}
    for k, r in enumerate(d.values()):
        for key in ("distance", "pi_d", "pi_u", "phi_q"):
            cols[f"{key}_{k}"] = r[key]
    return cols


@register("open-divergences", data=divergence_data, columns=_divergence_columns)
def divergences(data: dict):
    r"""Four instabilities at :math:`N = \infty`, (a) :math:`\Pi_d`, (b) :math:`\Pi_u` by its bound.

    (a) :math:`\Pi_d` against the relative distance from the instability, with slopes -1 and
    -1/2 (dotted); (b) :math:`\Pi_u/(2\sum_i\kappa_i)`, the share of chapter 3's bound, which
    stays below 1 while :math:`\Pi_d` diverges.

    Drawn from the result of :func:`divergence_data`.
    """
    import matplotlib.pyplot as plt

    d = data
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(WIDTH, 3.4), layout="constrained")
    styles = ("C0-", "C0--", "C1-", "C3-")
    for (name, r), style in zip(d.items(), styles, strict=True):
        ax.loglog(r["distance"], r["pi_d"], style, label=name)
        bx.semilogx(r["distance"], r["pi_u"] / r["bound"], style)
    x = np.array([1e-5, 1e-1])
    ax.loglog(x, 0.5 * x**-1, "k:", lw=0.8)
    ax.loglog(x, 0.05 * x**-0.5, "k:", lw=0.8)
    ax.annotate("slope $-1$", (1e-4, 0.5e4), ha="left")
    ax.annotate(r"slope $-\frac{1}{2}$", (2e-4, 8.0), ha="left")
    ax.set(xlabel="relative distance", ylabel=r"$\Pi_d$")
    bx.set(xlabel="relative distance", ylabel=r"$\Pi_u/(2\sum_i\kappa_i)$", ylim=(0, 1))
    bx.axhline(1, color="0.5", lw=0.8)
    bx.legend(*ax.get_legend_handles_labels(), loc="upper right")
    ax.set_title("(a)", loc="left")
    bx.set_title("(b)", loc="left")
    return fig


# ---------------------------------------------------------------------------- the gap


def gap_data(*, sizes=GAP_SIZES, kerr_sizes=KERR_GAP_SIZES) -> dict:
    r"""Gaps against N: two-photon at :math:`G_c` and :math:`1.5\,G_c`, Kerr at :math:`\epsilon_c`.

    Parameters
    ----------
    sizes : tuple of int, optional
        Sizes of :func:`epcore.twophoton.gap_scaling`.
    kerr_sizes : tuple of int, optional
        Sizes of :func:`epcore.kerr.liouvillian_gap` at :func:`epcore.kerr.critical_drive`.

    Returns
    -------
    dict
        ``critical`` and ``broken`` (:func:`epcore.twophoton.gap_scaling` at ratios 1 and
        1.5); ``kerr_N``, ``kerr_gap`` and ``kerr_rate`` (:func:`epcore.dynamics.fit_exponential`).
    """
    eps_c = kerr.critical_drive()
    kN = np.array(kerr_sizes, float)
    kgap = np.array([kerr.liouvillian_gap(N, eps_c) for N in kerr_sizes])
    rate, pref, _ = dynamics.fit_exponential(kN, kgap)
    return {
        "critical": twophoton.gap_scaling(sizes, 1.0),
        "broken": twophoton.gap_scaling(sizes, 1.5),
        "kerr_N": kN, "kerr_gap": kgap, "kerr_rate": rate, "kerr_prefactor": pref,
    }


def _gap_columns(d: dict) -> dict:
    """CSV of ``twophoton-gap``: ``N``, ``gap_critical``, ``odd_broken``, ``even_broken``,
    ``kerr_N``, ``kerr_gap``."""
    c, b = d["critical"], d["broken"]
    return {"N": c["N"], "gap_critical": c["gap"], "odd_broken": b["odd_gap"],
            "even_broken": b["even_gap"], "kerr_N": d["kerr_N"], "kerr_gap": d["kerr_gap"]}


@register("twophoton-gap", data=gap_data, columns=_gap_columns)
def twophoton_gap(data: dict):
    r"""Liouvillian gaps against N, (a) log-log and (b) semi-log.

    Two-photon at :math:`G_c` (circles, power-law fit dashed), the odd and even sectors at
    :math:`1.5\,G_c` (triangles, squares) and Kerr at :math:`\epsilon_c` (diamonds, exponential
    fit dotted). A power law is straight in (a), an exponential in (b).

    Drawn from the result of :func:`gap_data`.
    """
    import matplotlib.pyplot as plt

    d = data
    fig, axes = plt.subplots(1, 2, figsize=(WIDTH, 4.2), layout="constrained", sharey=True)
    c, b = d["critical"], d["broken"]
    for ax in axes:
        ax.plot(c["N"], c["gap"], "o", color="C0", label=r"two-photon, $G_c$")
        ax.plot(c["N"], c["power_prefactor"] * c["N"] ** -c["power"], "--", color="C0", lw=0.9)
        ax.plot(b["N"], b["odd_gap"], "^", color="C2", label=r"$1.5\,G_c$, odd")
        ax.plot(b["N"], b["even_gap"], "s", color="C2", mfc="white", label=r"$1.5\,G_c$, even")
        ax.plot(d["kerr_N"], d["kerr_gap"], "D", color="C3", label=r"Kerr, $\epsilon_c$")
        ax.plot(d["kerr_N"], d["kerr_prefactor"] * np.exp(-d["kerr_rate"] * d["kerr_N"]), ":",
                color="C3", lw=1.2)
    axes[0].set(xscale="log", yscale="log", xlabel="$N$", ylabel="Liouvillian gap")
    axes[0].set_xticks([5, 10, 20, 40, 80], labels=["5", "10", "20", "40", "80"])
    axes[0].xaxis.set_minor_formatter(plt.NullFormatter())
    axes[1].set(yscale="log", xlabel="$N$")
    axes[0].set_title("(a) log-log", loc="left")
    axes[1].set_title("(b) semi-log", loc="left")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    return fig


# ------------------------------------------------------------------------- the Husimi


def twophoton_husimi_data(*, N: float = HUSIMI["N"], ratios=HUSIMI["ratios"],
                          box: float = HUSIMI["box"], points: int = HUSIMI["points"]) -> dict:
    r"""Husimi function of the exact two-photon state across :math:`G_c`: one lobe, then two.

    :func:`epcore.phasespace.husimi` of :func:`epcore.twophoton.steady_state` at
    :math:`G = rG_c` (:func:`epcore.twophoton.critical_drive`) on a square grid.

    Parameters
    ----------
    N : float, optional
        Size.
    ratios : tuple of float, optional
        Drives :math:`G/G_c`, one panel each.
    box : float, optional
        Half width of the square of :math:`\mu` drawn.
    points : int, optional
        Grid points per axis.

    Returns
    -------
    dict
        ``re_mu``, ``im_mu`` (the grid, flattened), ``Q_<r>`` per ratio (flattened),
        ``ratios`` and ``points``.
    """
    gc = twophoton.critical_drive()
    x = np.linspace(-box, box, points)
    X, Y = np.meshgrid(x, x)
    data = {"re_mu": X.ravel(), "im_mu": Y.ravel()}
    for r in ratios:
        data[f"Q_{r:g}"] = husimi(twophoton.steady_state(N, r * gc), X + 1j * Y).ravel()
    data["ratios"] = np.array(ratios, dtype=float)
    data["points"] = np.array([points])
    return data


@register("twophoton-husimi", data=twophoton_husimi_data)
def twophoton_husimi(data: dict):
    r"""Husimi function of the exact two-photon state across :math:`G_c`: one lobe, then two.

    One panel per drive of :func:`twophoton_husimi_data`, with a shared colour bar.
    """
    import matplotlib.pyplot as plt

    ratios, n = data["ratios"], int(data["points"][0])
    X, Y = data["re_mu"].reshape(n, n), data["im_mu"].reshape(n, n)
    fig, axes = plt.subplots(1, len(ratios), figsize=(WIDTH, 2.4), layout="constrained",
                             sharey=True)
    qs = [data[f"Q_{r:g}"].reshape(n, n) for r in ratios]
    top = max(q.max() for q in qs)
    for ax, r, q in zip(np.atleast_1d(axes), ratios, qs, strict=True):
        mesh = ax.pcolormesh(X, Y, q, cmap="magma", vmin=0, vmax=top, shading="auto")
        ax.set(aspect="equal", xlabel=r"Re $\mu$", title=rf"${r:g}\,G_c$")
        ax.set_xticks([-4, 0, 4])
    np.atleast_1d(axes)[0].set(ylabel=r"Im $\mu$")
    fig.colorbar(mesh, ax=axes, label=r"$Q(\mu)$", shrink=0.9)
    return fig
