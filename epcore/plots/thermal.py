"""Figure of the thermal bath and the classical limit (chapter 7), registered as ``thermal-*``.

The figure is a data function and a draw function (:func:`epcore.figures.register`); calling it
returns ``(fig, data)``.
"""

from __future__ import annotations

import numpy as np

from .. import thermal
from ..figures import register
from .style import WIDTH

__all__ = ["transitions_data", "transitions"]

_NAMES = {"kerr": "Kerr", "dicke": "Dicke", "twophoton": "two-photon"}
_TITLES = {"kerr": r"Kerr, $x = \epsilon/\epsilon_c$", "dicke": r"Dicke, $x = \lambda/\lambda_c$",
           "twophoton": r"two-photon, $x = G/G_c$"}


#: the points x of panel (d), per model
RATIO_POINTS = (("kerr", (0.8, 1.2)), ("dicke", (0.5, 2.0)), ("twophoton", (0.5, 2.0)))


def transitions_data(*, n_baths=(0.0, 0.5, 2.0, 10.0), points: int = 121,
                ratio_baths=None) -> dict:
    r"""Pi_u and Pi_d of the three transitions at several bath occupations, and the classical limit.

    Panels (a)-(c): the N -> infinity :math:`\Pi_d` (solid) and :math:`\Pi_u` (dashed) on
    the stable branches (:func:`epcore.thermal.transition_scan`) against the distance
    :math:`x` to the transition, one colour per bath occupation :math:`n_b` of the cavity
    channel. Panel (d): the thermal channel's :math:`\Pi_d` over the classical
    :math:`\Pi_{cl}` (:func:`epcore.thermal.classical_entropy_production`) against
    :math:`n_b`, at one point on each side of each transition, tending to 1 as
    :math:`1/n_b`.

    Parameters
    ----------
    n_baths : tuple of float, optional
        Occupations of panels (a)-(c).
    points : int, optional
        Values of :math:`x` per panel, in [0.3, 2] (Kerr [0.6, 1.4]).
    ratio_baths : array_like or None, optional
        Occupations of panel (d); ``None`` takes 25 log-spaced in [0.1, 1e4].

    Returns
    -------
    dict
        ``x_<model>``, and ``pi_u_<model>_nb<i>_b<k>``, ``pi_d_<model>_nb<i>_b<k>`` (bath
        ``n_baths[i]``, branch ``k``), ``n_bath``; ``ratio_n_bath`` and
        ``ratio_<model>_x<x>_b<k>`` for panel (d).
    """
    nbs = np.asarray(n_baths, dtype=float)
    rb = np.logspace(-1, 4, 25) if ratio_baths is None else np.asarray(ratio_baths, float)
    data: dict[str, np.ndarray] = {"n_bath": nbs}
    for name, lo, hi in (("kerr", 0.6, 1.4), ("dicke", 0.3, 2.0), ("twophoton", 0.3, 2.0)):
        x = np.linspace(lo, hi, points)
        x = x[np.abs(x - 1) > 1e-9]
        scan = thermal.transition_scan(name, x, nbs)
        data[f"x_{name}"] = x
        for i in range(len(nbs)):
            for k in range(scan["pi_d"].shape[-1]):
                data[f"pi_d_{name}_nb{i}_b{k}"] = scan["pi_d"][i, :, k]
                data[f"pi_u_{name}_nb{i}_b{k}"] = scan["pi_u"][i, :, k]
    data["ratio_n_bath"] = rb
    for name, xs in RATIO_POINTS:
        scan = thermal.transition_scan(name, xs, rb)
        for j, xv in enumerate(xs):
            for k in range(scan["pi_d"].shape[-1]):
                ratio = scan["pi_d_thermal"][:, j, k] / scan["pi_cl"][j, k]
                if np.all(np.isfinite(ratio)):
                    data[f"ratio_{name}_x{xv:g}_b{k}"] = ratio
    return data


@register("thermal-transitions", data=transitions_data)
def transitions(data: dict):
    r"""Pi_u and Pi_d of the three transitions at several bath occupations, and the classical limit.

    Drawn from the result of :func:`transitions_data`.
    """
    import matplotlib.pyplot as plt

    nbs, rb = data["n_bath"], data["ratio_n_bath"]
    fig, axes = plt.subplots(2, 2, figsize=(WIDTH, 7.6), layout="constrained")
    colors = plt.cm.viridis(np.linspace(0, 0.85, nbs.size))
    for ax, name, tag in zip(axes.flat[:3], ("kerr", "dicke", "twophoton"), "abc", strict=True):
        x = data[f"x_{name}"]
        for i, nb in enumerate(nbs):
            k = 0
            while f"pi_d_{name}_nb{i}_b{k}" in data:
                label = rf"$\bar n_{{\rm b}} = {nb:g}$" if k == 0 else None
                ax.plot(x, data[f"pi_d_{name}_nb{i}_b{k}"], "-", color=colors[i], label=label)
                ax.plot(x, data[f"pi_u_{name}_nb{i}_b{k}"], "--", color=colors[i])
                k += 1
        ax.set_yscale("log")
        ax.axvline(1.0, color="0.6", lw=0.8, ls=":")
        ax.set_xlabel("$x$")
        ax.set_title(f"({tag}) {_TITLES[name]}")
    axes[0, 0].set_ylabel(r"$\Pi_d$ (solid), $\Pi_u$ (dashed)")
    axes[1, 0].set_ylabel(r"$\Pi_d$ (solid), $\Pi_u$ (dashed)")
    axes[0, 1].legend(*axes[0, 0].get_legend_handles_labels(), loc="upper right")
    ax = axes[1, 1]
    styles = {"kerr": "-", "dicke": "--", "twophoton": ":"}
    keys = list(data)
    for name, xs in RATIO_POINTS:
        for xv in xs:
            for k in range(3):
                key = f"ratio_{name}_x{xv:g}_b{k}"
                if key not in data:
                    continue
                which = ("", ", lower", ", upper")[k + 1 if name == "kerr" else 0]
                # the colour cycles with the position of the curve among the columns
                ax.plot(rb, data[key], styles[name], color=f"C{(keys.index(key) + 1) % 10}",
                        label=f"{_NAMES[name]}, $x = {xv:g}${which}")
    ax.set_xscale("log")
    ax.axhline(1.0, color="0.6", lw=0.8)
    ax.set_xlabel(r"$\bar n_{\rm b}$")
    ax.set_ylabel(r"$\Pi_d^{\mathrm{th}} / \Pi_{\mathrm{cl}}$")
    ax.set_title(r"(d) classical limit")
    ax.set_ylim(0, 1.1)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=2)
    return fig
