"""Figures of the foundations chapters, registered as in :mod:`epcore.figures`.

The chapters are Wehrl entropy (ch. 1), entropy production (ch. 2) and the thermodynamic limit
(ch. 3). Each figure is a data function ``NAME_data`` (keyword options, no Matplotlib) and a
draw function registered with it (:func:`epcore.figures.register`); calling the figure returns
``(fig, data)``.
"""

from __future__ import annotations

import numpy as np
import qutip

from .. import cavity as cv
from .. import gaussian as ga
from .. import kerr
from ..dynamics import entropy_rate_differences
from ..figures import register
from ..models import KerrModel
from ..phasespace import entropy_balance, husimi, wehrl_entropy
from .style import WIDTH

STATE_LABELS = {
    "coherent": r"coherent $|\alpha\rangle$",
    "thermal": r"thermal $\bar n$",
    "squeezed": r"squeezed vacuum",
    "cat": r"cat $|\alpha\rangle + |{-\alpha}\rangle$",
}


def _excess_title(smallest: float, roundoff: float = 1e-10) -> str:
    """Title of the excess histogram: its smallest value, or a bound on it when it is round-off."""
    if smallest >= 0 or smallest < -roundoff:
        return f"smallest excess: {smallest:.3g}"
    exponent = int(np.floor(np.log10(-smallest)))
    digit = int(np.ceil(-smallest / 10.0**exponent - 1e-9))
    if digit == 10:
        digit, exponent = 1, exponent + 1
    return f"smallest excess $\\geq -{digit}\\times 10^{{{exponent}}}$\n(round-off)"


def _plane(extent: float, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.linspace(-extent, extent, n)
    X, Y = np.meshgrid(x, x)
    return x, X, Y


# ----------------------------------------------------------------------------- chapter 1


def husimi_gallery_data(*, d: int = 60, alpha: float = 2.0, n: float = 1.0, r: float = 0.6,
                   extent: float = 4.0, points: int = 161) -> dict:
    r"""Husimi functions Q(mu) of the four example states of ch. 1, titled with their Wehrl entropy.

    The coherent state :math:`|\alpha\rangle`, the thermal state of mean occupation ``n``, the
    squeezed vacuum :math:`S(r)|0\rangle` and the even cat
    :math:`|\alpha\rangle + |{-\alpha}\rangle` of :func:`epcore.cavity.example_states`, with
    :math:`Q(\mu) = \langle\mu|\rho|\mu\rangle/\pi` (:func:`epcore.phasespace.husimi`) and the
    Wehrl entropy :math:`S(Q) = -\int Q \ln Q \, d^2\mu` of Eq. (4) in each title.

    Parameters
    ----------
    d : int, optional
        Fock levels of the four states.
    alpha : float, optional
        Amplitude of the coherent state and of each component of the cat.
    n : float, optional
        Mean photon number of the thermal state.
    r : float, optional
        Squeezing parameter of the squeezed vacuum.
    extent : float, optional
        Half width of the square window :math:`[-\mathrm{extent}, \mathrm{extent}]^2` of
        :math:`(\mathrm{Re}\,\mu, \mathrm{Im}\,\mu)`.
    points : int, optional
        Grid points along each axis of the window.

    Returns
    -------
    dict
        ``re_mu``, ``im_mu``: the grid points, flattened; ``Q_coherent``, ``Q_thermal``,
        ``Q_squeezed``, ``Q_cat``: Q at those points, a density in
        :math:`d^2\mu = d\,\mathrm{Re}\,\mu \; d\,\mathrm{Im}\,\mu`.

    Raises
    ------
    epcore.errors.CutoffError
        If ``d`` Fock levels cannot hold a state (its top levels are populated): raise ``d``.
    """
    states = cv.example_states(d, alpha=alpha, n=n, r=r)
    x, X, Y = _plane(extent, points)
    data = {"re_mu": X.ravel(), "im_mu": Y.ravel()}
    for name, rho in states.items():
        data[f"Q_{name}"] = husimi(rho, X + 1j * Y).ravel()
    data["wehrl"] = np.array([wehrl_entropy(rho) for rho in states.values()])
    data["axis"] = x
    return data


@register("wehrl-husimi-gallery", data=husimi_gallery_data)
def husimi_gallery(data: dict):
    r"""Husimi functions Q(mu) of the four example states of ch. 1, titled with their Wehrl entropy.

    Drawn from the result of :func:`husimi_gallery_data`.
    """
    import matplotlib.pyplot as plt

    x = data["axis"]
    names = [k[2:] for k in data if k.startswith("Q_")]
    grids = {name: data[f"Q_{name}"].reshape(len(x), len(x)) for name in names}
    fig, axes = plt.subplots(2, 2, figsize=(WIDTH, 6.2), sharex=True, sharey=True,
                             layout="constrained")
    vmax = max(Q.max() for Q in grids.values())
    for ax, name, S in zip(axes.flat, names, data["wehrl"], strict=True):
        im = ax.pcolormesh(x, x, grids[name], cmap="viridis", shading="auto", vmin=0, vmax=vmax)
        ax.set_title(f"{STATE_LABELS[name]}\n$S = {S:.4f}$")
        ax.set_aspect("equal")
    for ax in axes[1]:
        ax.set_xlabel(r"$\mathrm{Re}\,\mu$")
    for ax in axes[:, 0]:
        ax.set_ylabel(r"$\mathrm{Im}\,\mu$")
    fig.colorbar(im, ax=axes, shrink=0.8, label=r"$Q(\mu)$")
    return fig


def wehrl_vs_von_neumann_data(*, d: int = 120) -> dict:
    r"""Wehrl entropy of thermal, squeezed and cat states vs closed forms and von Neumann (ch. 1).

    Panel (a): thermal states, computed Wehrl entropy against :math:`1 + \ln\pi(\bar n + 1)` and
    the von Neumann entropy; (b) squeezed vacuum against :math:`1 + \ln(\pi\cosh r)` (von Neumann
    zero); (c) even cats, rising from the coherent-state value :math:`1 + \ln\pi` (Lieb's bound)
    at :math:`\alpha = 0` to :math:`1 + \ln 2\pi`. Entropies in nats.

    Parameters
    ----------
    d : int, optional
        Fock levels of the thermal and squeezed states (the cats use 60 levels).

    Returns
    -------
    dict
        ``n`` (thermal occupations), ``wehrl_thermal``, ``vn_thermal`` (von Neumann);
        ``r`` (squeezing), ``wehrl_squeezed``; ``cat_alpha`` (cat amplitudes), ``wehrl_cat``.

    Raises
    ------
    epcore.errors.CutoffError
        If ``d`` Fock levels cannot hold the most occupied thermal or squeezed state.
    """
    n_values = np.linspace(0, 4, 9)
    r_values = np.linspace(0, 1.2, 7)
    a_values = np.linspace(0, 3.5, 15)
    n_fine = np.linspace(0, 4, 200)
    r_fine = np.linspace(0, 1.2, 200)
    return {"n": n_values,
            "wehrl_thermal": np.array([wehrl_entropy(qutip.thermal_dm(d, n)) for n in n_values]),
            "vn_thermal": np.array([cv.thermal_entropy(n) for n in n_values]),
            "r": r_values,
            "wehrl_squeezed": np.array([wehrl_entropy(cv.squeezed_vacuum(r, d))
                                        for r in r_values]),
            "cat_alpha": a_values,
            "wehrl_cat": np.array([wehrl_entropy(cv.cat(a, 60)) for a in a_values]),
            "n_fine": n_fine,
            "wehrl_thermal_exact": np.array([cv.wehrl_thermal(n) for n in n_fine]),
            "vn_thermal_fine": np.array([cv.thermal_entropy(n) for n in n_fine]),
            "r_fine": r_fine, "wehrl_squeezed_exact": np.array([cv.wehrl_squeezed(r)
                                                                for r in r_fine]),
            "wehrl_cat_limit": np.array([cv.wehrl_cat_limit()])}


def _wehrl_vs_von_neumann_columns(data: dict) -> dict:
    """CSV of ``wehrl-vs-von-neumann``: the computed entropies (the closed forms left out)."""
    return {k: data[k] for k in ("n", "wehrl_thermal", "vn_thermal", "r", "wehrl_squeezed",
                                 "cat_alpha", "wehrl_cat")}


@register("wehrl-vs-von-neumann", data=wehrl_vs_von_neumann_data,
          columns=_wehrl_vs_von_neumann_columns)
def wehrl_vs_von_neumann(data: dict):
    r"""Wehrl entropy of thermal, squeezed and cat states vs closed forms and von Neumann (ch. 1).

    Drawn from the result of :func:`wehrl_vs_von_neumann_data`.
    """
    import matplotlib.pyplot as plt

    fig, panels = plt.subplot_mosaic([["a", "b"], ["c", "c"]], figsize=(WIDTH, 6.2),
                                     layout="constrained")
    axes = [panels[k] for k in "abc"]
    ax = axes[0]
    ax.plot(data["n_fine"], data["wehrl_thermal_exact"], "C0-", label=r"$1+\ln\pi(\bar n+1)$")
    ax.plot(data["n"], data["wehrl_thermal"], "C0o", label="Wehrl, computed")
    ax.plot(data["n_fine"], data["vn_thermal_fine"], "C1--", label="von Neumann")
    ax.set_xlabel(r"mean photon number $\bar n$")
    ax.set_title("(a) thermal", loc="left")
    ax = axes[1]
    ax.plot(data["r_fine"], data["wehrl_squeezed_exact"], "C0-", label=r"$1+\ln(\pi\cosh r)$")
    ax.plot(data["r"], data["wehrl_squeezed"], "C0o", label="Wehrl, computed")
    ax.axhline(0, color="C1", ls="--", label="von Neumann (pure)")
    ax.set_xlabel(r"squeezing $r$")
    ax.set_title("(b) squeezed vacuum", loc="left")
    ax = axes[2]
    ax.plot(data["cat_alpha"], data["wehrl_cat"], "C0o-", label="Wehrl, computed")
    ax.axhline(data["wehrl_cat_limit"][0], color="C2", ls=":", label=r"$1+\ln 2\pi$")
    ax.axhline(cv.LIEB_BOUND, color="k", ls=":", label=r"Lieb $1+\ln\pi$")
    ax.axhline(0, color="C1", ls="--", label="von Neumann (pure)")
    ax.set_xlabel(r"cat amplitude $\alpha$")
    ax.set_title("(c) even cat", loc="left")
    for ax in axes:
        ax.set_ylabel("entropy (nats)")
    axes[0].legend()
    axes[1].legend(loc="center right")
    axes[2].legend(loc="center right")
    return fig


def lieb_bound_data(*, samples: int = 150, max_levels: int = 10, seed: int = 2020) -> dict:
    r"""Wehrl vs von Neumann entropy of random states: all above Lieb's bound 1 + ln(pi) (ch. 1).

    Left: a scatter of :math:`S(Q)` (Eq. 4) against :math:`S_{\rm vN}(\rho)` for random pure
    (Haar) and mixed (Hilbert-Schmidt) states of :func:`epcore.cavity.random_state`, with the
    line :math:`S = S_{\rm vN}` and Lieb's bound :math:`1 + \ln\pi`. Right: a histogram of the
    excess :math:`S(Q) - (1 + \ln\pi)`, titled with its smallest value; a negative value
    of at most :math:`10^{-10}` is round-off of the integration and is titled as such (with an
    upper bound on its size) rather than as a violation of the bound.

    Parameters
    ----------
    samples : int, optional
        Number of random states, about half of them pure.
    max_levels : int, optional
        Largest number of occupied Fock levels; each state occupies between 1 and
        ``max_levels`` levels, drawn at random, in a space 6 levels larger.
    seed : int, optional
        Seed of the random generator (level counts, purity and the states themselves).

    Returns
    -------
    dict
        One entry per state: ``levels`` (occupied Fock levels), ``pure`` (1.0 for pure, 0.0
        for mixed), ``wehrl`` and ``von_neumann`` (nats).
    """
    rng = np.random.default_rng(seed)
    levels = rng.integers(1, max_levels + 1, size=samples)
    pure = rng.random(samples) < 0.5
    seeds = rng.integers(0, 2**31 - 1, size=samples)
    sw, sv = np.empty(samples), np.empty(samples)
    for i in range(samples):
        rho = cv.random_state(int(levels[i]), int(levels[i]) + 6, seed=int(seeds[i]),
                              pure=bool(pure[i]))
        sw[i] = wehrl_entropy(rho)
        sv[i] = qutip.entropy_vn(rho)
    return {"levels": levels, "pure": pure.astype(float), "wehrl": sw, "von_neumann": sv,
            "excess": sw - cv.LIEB_BOUND}


@register("wehrl-lieb-bound", data=lieb_bound_data)
def lieb_bound(data: dict):
    r"""Wehrl vs von Neumann entropy of random states: all above Lieb's bound 1 + ln(pi) (ch. 1).

    Drawn from the result of :func:`lieb_bound_data`.
    """
    import matplotlib.pyplot as plt

    pure, sw, sv = data["pure"].astype(bool), data["wehrl"], data["von_neumann"]
    fig, axes = plt.subplots(1, 2, figsize=(WIDTH, 3.9), layout="constrained")
    ax = axes[0]
    ax.scatter(sv[pure], sw[pure], s=12, label="random pure states")
    ax.scatter(sv[~pure], sw[~pure], s=12, marker="s", label="random mixed states")
    grid = np.linspace(0, max(sv.max(), 0.1), 50)
    ax.plot(grid, grid, "k--", lw=1, label=r"$S = S_{\rm vN}$")
    ax.axhline(cv.LIEB_BOUND, color="C3", lw=1, label=r"Lieb bound $1+\ln\pi$")
    ax.set_xlabel(r"von Neumann entropy $S_{\rm vN}(\rho)$")
    ax.set_ylabel(r"Wehrl entropy $S(Q)$")
    fig.legend(loc="outside lower center", ncol=2)
    ax = axes[1]
    excess = data["excess"]
    ax.hist(excess, bins=30, color="C0")
    ax.set_xlabel(r"$S(Q) - (1+\ln\pi)$")
    ax.set_ylabel("number of states")
    ax.set_title(_excess_title(float(np.min(excess))))
    return fig


def wigner_negativity_data(*, d: int = 60, alpha: float = 2.0, extent: float = 5.0,
                           points: int = 161) -> dict:
    r"""Wigner functions of a cat and of Fock state 1 (negative regions) beside the cat's Q (ch. 1).

    The Wigner functions are QuTiP's (``qutip.wigner``), which uses :math:`x + ip` with
    :math:`x = \sqrt2\,\mathrm{Re}\,\mu` (its default ``g = sqrt(2)``); they are evaluated at
    :math:`\sqrt2\mu` and doubled, so that all three panels are densities in :math:`d^2\mu` on
    the same axes. Each title gives the negative volume
    :math:`\tfrac12\int(|F| - F)\,d^2\mu`, zero for the Husimi function.

    Parameters
    ----------
    d : int, optional
        Fock levels of the two states.
    alpha : float, optional
        Amplitude of the even cat :math:`|\alpha\rangle + |{-\alpha}\rangle`.
    extent : float, optional
        Half width of the square window in :math:`\mathrm{Re}\,\mu` and :math:`\mathrm{Im}\,\mu`.
    points : int, optional
        Grid points along each axis of the window.

    Returns
    -------
    dict
        ``re_mu``, ``im_mu``: the grid points, flattened; ``W_cat``, ``W_fock1`` (Wigner
        functions) and ``Q_cat`` (Husimi function) at those points, all densities in
        :math:`d^2\mu`.
    """
    x, X, Y = _plane(extent, points)
    rho_cat = cv.cat(alpha, d)
    rho_fock = qutip.fock_dm(d, 1)
    W_cat = qutip.wigner(rho_cat, np.sqrt(2) * x, np.sqrt(2) * x) * 2  # density in d^2 mu
    W_fock = qutip.wigner(rho_fock, np.sqrt(2) * x, np.sqrt(2) * x) * 2
    Q_cat = husimi(rho_cat, X + 1j * Y)
    dA = (x[1] - x[0]) ** 2
    negative = [0.5 * np.sum(np.abs(F) - F) * dA for F in (W_cat, W_fock, Q_cat)]
    return {"re_mu": X.ravel(), "im_mu": Y.ravel(), "W_cat": W_cat.ravel(),
            "W_fock1": W_fock.ravel(), "Q_cat": Q_cat.ravel(), "axis": x,
            "negative_volume": np.array(negative)}


@register("wehrl-wigner-negativity", data=wigner_negativity_data)
def wigner_negativity(data: dict):
    r"""Wigner functions of a cat and of Fock state 1 (negative regions) beside the cat's Q (ch. 1).

    Drawn from the result of :func:`wigner_negativity_data`.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    x = data["axis"]
    n = len(x)
    fig, axes = plt.subplots(1, 3, figsize=(WIDTH, 3.9), sharey=True, layout="constrained")
    panels = [(data["W_cat"], "Wigner, cat"), (data["W_fock1"], r"Wigner, Fock $|1\rangle$"),
              (data["Q_cat"], "Husimi, cat")]
    for ax, (F, title), neg in zip(axes, panels, data["negative_volume"], strict=True):
        F = F.reshape(n, n)
        lim = np.abs(F).max()
        im = ax.pcolormesh(x, x, F, cmap="RdBu_r", vmin=-lim, vmax=lim, shading="auto")
        ax.set_title(f"{title}\nnegative volume {neg:.3f}")
        ax.set_xlabel(r"$\mathrm{Re}\,\mu$")
        ax.set_aspect("equal")
        ax.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))
        cb = fig.colorbar(im, ax=ax, location="bottom", shrink=0.9, aspect=15)
        cb.ax.xaxis.set_major_locator(MaxNLocator(3))
    axes[0].set_ylabel(r"$\mathrm{Im}\,\mu$")
    return fig



# ----------------------------------------------------------------------------- chapter 2


def zero_temperature_data(*, n: float = 1.0, kappa: float = 0.5) -> dict:
    r"""Conventional flux Qdot/T vs the Wehrl flux (Eq. 5) as the bath is cooled to T = 0 (ch. 2).

    A cavity holding ``n`` photons loses them into a thermal bath of occupation
    :math:`\bar n_{\rm b}` from :math:`10^{-8}` to 10. The conventional entropy flux
    :math:`2\kappa(n - \bar n_{\rm b})\ln(1 + 1/\bar n_{\rm b})`
    (:func:`epcore.cavity.spohn_flux`) diverges as :math:`\bar n_{\rm b} \to 0`; the Wehrl flux
    :math:`2\kappa(n - \bar n_{\rm b})/(\bar n_{\rm b} + 1)`
    (:func:`epcore.cavity.wehrl_thermal_flux`) tends to :math:`2\kappa n`, Eq. (5).

    Parameters
    ----------
    n : float, optional
        Mean photon number :math:`\langle a^\dagger a\rangle` of the cavity.
    kappa : float, optional
        Loss rate (losses :math:`2\kappa\mathcal{D}[a]`).

    Returns
    -------
    dict
        ``n_bath`` (bath occupations), ``spohn_flux`` and ``wehrl_flux`` (rates, in the units
        of ``kappa``).
    """
    nb = np.logspace(-8, 1, 200)
    return {"n_bath": nb, "spohn_flux": cv.spohn_flux(n, nb, kappa),
            "wehrl_flux": cv.wehrl_thermal_flux(n, nb, kappa),
            "wehrl_flux_zero_t": np.array([2 * kappa * n])}


@register("entropy-zero-temperature", data=zero_temperature_data)
def zero_temperature(data: dict):
    r"""Conventional flux Qdot/T vs the Wehrl flux (Eq. 5) as the bath is cooled to T = 0 (ch. 2).

    Drawn from the result of :func:`zero_temperature_data`.
    """
    import matplotlib.pyplot as plt

    nb = data["n_bath"]
    fig, ax = plt.subplots(figsize=(WIDTH, 3.8), layout="constrained")
    ax.semilogx(nb, data["spohn_flux"], "C3-", label=r"conventional: $\dot Q/T$")
    ax.semilogx(nb, data["wehrl_flux"], "C0-", label=r"Wehrl flux $\Phi$")
    ax.axhline(data["wehrl_flux_zero_t"][0], color="C0", ls=":",
               label=r"$2\kappa\langle a^\dagger a\rangle$")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_xlabel(r"bath occupation $\bar n_{\rm bath}$ (temperature $\to 0$ on the left)")
    ax.set_ylabel(r"entropy flux (units of $\kappa$)")
    ax.legend()
    return fig


def empty_cavity_data(*, E: float = 1.0, kappa: float = 0.5, d: int = 30, t_max: float = 10.0,
                 points: int = 41, progress: bool = False, balance=None) -> dict:
    r"""Empty driven cavity from vacuum: S, Pi, Phi by mesolve vs the closed form (Eqs. 4-6, ch. 2).

    With :math:`H_0 = 0` the state stays coherent, so (a) the Wehrl entropy stays at
    :math:`1 + \ln\pi` and (b) :math:`\Pi = \Phi = 2\kappa\alpha(t)^2`
    (:func:`epcore.cavity.empty_cavity_transient`), approaching :math:`2\mathcal{E}^2/\kappa`,
    the paper's Discussion. Symbols: :func:`epcore.cavity.transient_balance` (``qutip.mesolve``
    and the phase-space engine).

    Parameters
    ----------
    E : float, optional
        Drive amplitude :math:`\mathcal{E}` of :math:`i\mathcal{E}(a^\dagger - a)`.
    kappa : float, optional
        Loss rate (losses :math:`2\kappa\mathcal{D}[a]`).
    d : int, optional
        Fock levels of the simulation.
    t_max : float, optional
        Last time of the simulation (it starts at 0).
    points : int, optional
        Output times of the simulation, equally spaced on ``[0, t_max]``.
    progress : bool, optional
        Show the progress bar of the simulation.
    balance : epcore.cavity.TransientBalance or None, optional
        A balance already computed from the vacuum with these ``E`` and ``kappa``; it is
        used instead of running the simulation, and ``d``, ``t_max``, ``points`` and
        ``progress`` are ignored.

    Returns
    -------
    dict
        The columns of the :class:`~epcore.cavity.TransientBalance` at the simulated times
        (``times``, ``S`` in nats, the rates ``pi``, ``phi`` and their terms, ...);
        ``t_exact`` and ``Pi_exact``, the closed form on a fine grid.

    Raises
    ------
    epcore.errors.CutoffError
        If ``d`` Fock levels cannot hold the state (about :math:`(\mathcal{E}/\kappa)^2`
        photons): raise ``d``.
    """
    if balance is None:
        times = np.linspace(0, t_max, points)
        H = cv.driven_hamiltonian(d, E)
        tb = cv.transient_balance(H, kappa, qutip.fock_dm(d, 0), times, progress=progress)
    else:
        tb, times, t_max = balance, balance.times, balance.times[-1]
    t_fine = np.linspace(0, t_max, 400)
    exact = cv.empty_cavity_transient(E, kappa, t_fine)
    return {**tb.columns(), "t_exact": t_fine, "Pi_exact": exact["Pi"], "S_exact": exact["S"],
            "steady_pi": np.array([2 * E**2 / kappa]), "kappa": np.array([kappa])}


@register("entropy-empty-cavity", data=empty_cavity_data)
def empty_cavity(data: dict):
    r"""Empty driven cavity from vacuum: S, Pi, Phi by mesolve vs the closed form (Eqs. 4-6, ch. 2).

    Drawn from the result of :func:`empty_cavity_data`.
    """
    import matplotlib.pyplot as plt

    t_fine, times = data["t_exact"], data["times"]
    fig, axes = plt.subplots(1, 2, figsize=(WIDTH, 3.2), layout="constrained")
    ax = axes[0]
    ax.plot(t_fine, data["S_exact"], "k-", label=r"$1+\ln\pi$")
    ax.plot(times, data["S"], "C0o", ms=4, label="mesolve")
    ax.set_ylim(cv.LIEB_BOUND - 0.05, cv.LIEB_BOUND + 0.05)
    ax.set_xlabel(r"$\kappa t$" if data["kappa"][0] == 1 else r"time $t$")
    ax.set_ylabel(r"Wehrl entropy $S(t)$")
    ax.set_title("(a)", loc="left")
    ax.legend()
    ax = axes[1]
    ax.plot(t_fine, data["Pi_exact"], "k-", label=r"$2\kappa\,\alpha(t)^2$")
    ax.plot(times, data["pi"], "C0o", ms=4, label=r"$\Pi$ (mesolve)")
    ax.plot(times, data["phi"], "C1x", ms=6, label=r"$\Phi$ (mesolve)")
    ax.axhline(data["steady_pi"][0], color="C2", ls=":", label=r"$2E^2/\kappa$")
    ax.set_xlabel(r"time $t$")
    ax.set_ylabel("rate")
    ax.set_title("(b)", loc="left")
    ax.legend(loc="lower right")
    return fig


def kerr_transient_data(*, E: float = 1.0, kappa: float = 0.5, delta: float = -1.0,
                        chi: float = 0.1,
                   d: int = 40, t_max: float = 12.0, points: int = 121, progress: bool = False,
                   balance=None) -> dict:
    r"""Kerr-type cavity relaxing from vacuum: S, Pi (Eq. 6), Phi (Eq. 5) and the check of Eq. (1).

    The Hamiltonian is
    :math:`\Delta a^\dagger a + \chi a^{\dagger 2}a^2 + i\mathcal{E}(a^\dagger - a)`
    (:func:`epcore.cavity.driven_hamiltonian`), solved by :func:`epcore.cavity.transient_balance`.
    (a) Wehrl entropy; (b) :math:`\Pi` and :math:`\Phi`; (c) Eq. (1): :math:`\Pi - \Phi` against
    :math:`dS/dt = -\int \dot Q \ln Q\,d^2\mu` from the Liouvillian and against finite differences
    of :math:`S(t)` (ch. 2).

    Parameters
    ----------
    E : float, optional
        Drive amplitude :math:`\mathcal{E}`.
    kappa : float, optional
        Loss rate (losses :math:`2\kappa\mathcal{D}[a]`).
    delta : float, optional
        Detuning :math:`\Delta` of the mode from the drive.
    chi : float, optional
        Kerr coefficient :math:`\chi` of :math:`a^{\dagger 2}a^2`.
    d : int, optional
        Fock levels of the simulation.
    t_max : float, optional
        Last time of the simulation (it starts at 0).
    points : int, optional
        Output times, equally spaced on ``[0, t_max]``.
    progress : bool, optional
        Show the progress bar of the simulation.
    balance : epcore.cavity.TransientBalance or None, optional
        A balance already computed (with these parameters, from the vacuum) used instead of
        running the simulation (the other simulation options are then ignored).

    Returns
    -------
    dict
        At the output times: the columns of the :class:`~epcore.cavity.TransientBalance`
        (``times``, ``S`` in nats, ``pi``, ``phi``, ``dS_dt`` from the Liouvillian, ...) and
        ``dS_dt_fd`` (differences of ``S``, :func:`epcore.dynamics.entropy_rate_differences`).

    Raises
    ------
    epcore.errors.CutoffError
        If ``d`` Fock levels cannot hold the state: raise ``d``.
    """
    if balance is None:
        times = np.linspace(0, t_max, points)
        H = cv.driven_hamiltonian(d, E, delta=delta, chi=chi)
        tb = cv.transient_balance(H, kappa, qutip.fock_dm(d, 0), times, progress=progress)
    else:
        tb, times = balance, balance.times
    return {**tb.columns(), "dS_dt_fd": entropy_rate_differences(times, tb.S)}


@register("entropy-kerr-transient", data=kerr_transient_data)
def kerr_transient(data: dict):
    r"""Kerr-type cavity relaxing from vacuum: S, Pi (Eq. 6), Phi (Eq. 5) and the check of Eq. (1).

    Drawn from the result of :func:`kerr_transient_data`.
    """
    import matplotlib.pyplot as plt

    times = data["times"]
    fig, panels = plt.subplot_mosaic([["a", "b"], ["c", "c"]], figsize=(WIDTH, 5.8),
                                     layout="constrained")
    axes = [panels[k] for k in "abc"]
    ax = axes[0]
    ax.plot(times, data["S"], "C0-")
    ax.axhline(cv.LIEB_BOUND, color="k", ls=":", lw=1, label=r"$1+\ln\pi$")
    ax.set_xlabel("time $t$")
    ax.set_ylabel(r"Wehrl entropy $S(t)$")
    ax.set_title("(a)", loc="left")
    ax.legend()
    ax = axes[1]
    ax.plot(times, data["pi"], "C0-", label=r"$\Pi$")
    ax.plot(times, data["phi"], "C1--", label=r"$\Phi$")
    ax.set_xlabel("time $t$")
    ax.set_ylabel("rate")
    ax.set_title("(b)", loc="left")
    ax.legend()
    ax = axes[2]
    ax.plot(times, data["pi"] - data["phi"], "k-", lw=2, label=r"$\Pi-\Phi$")
    ax.plot(times, data["dS_dt"], "C2--", label=r"$-\int \dot Q \ln Q$")
    ax.plot(times[::4], data["dS_dt_fd"][::4], "C3o", ms=3, label=r"finite difference of $S(t)$")
    ax.set_xlabel("time $t$")
    ax.set_ylabel(r"$dS/dt$")
    ax.set_title("(c)", loc="left")
    ax.legend()
    return fig



# ----------------------------------------------------------------------------- chapter 3


def thermo_split_data(*, sizes=(5, 10, 20), model: KerrModel = kerr.RESONANT,
                      eps_values=None) -> dict:
    r"""Eq. (8) on exact Kerr states: Pi_ext/N collapses, Pi_u and Pi_d are O(1), Eq. (10) (ch. 3).

    For each size N and drive :math:`\epsilon` the exact steady state gives
    :func:`epcore.kerr.entropy_production`. (a) :math:`\Pi_{\rm ext}/N` on the mean-field curve
    :math:`2\kappa|\alpha|^2` (lowest branch of :func:`epcore.kerr.mean_field`); (b) the
    fluctuation terms :math:`\Pi_u` and :math:`\Pi_d`; (c) the relative residual
    :math:`|\Pi_u + \Pi_d - \Phi_q|/\Phi_q` of Eq. (10).

    Parameters
    ----------
    sizes : tuple of int, optional
        System sizes N, :math:`\mathcal{E} = \epsilon\sqrt N` (Eq. 2).
    model : KerrModel, optional
        Loss rate, detuning and nonlinearity of Eq. (11); default ``kerr.RESONANT``
        (:math:`\Delta = 0`, a single branch at every drive).
    eps_values : array_like or None, optional
        Drives per unit size; ``None`` gives ten from 0.1 to 1.

    Returns
    -------
    dict
        ``eps`` and, for each size N, ``pi_ext_over_N_<N>``, ``pi_u_<N>``, ``pi_d_<N>`` and
        ``rel_residual_<N>``, one value per drive.

    Raises
    ------
    ValueError
        From :func:`epcore.kerr.entropy_production`: bad parameters, or a state whose moments or
        Fock cutoff cannot be trusted (:mod:`epcore.errors`).
    """
    if eps_values is None:
        eps_values = np.linspace(0.1, 1.0, 10)
    eps_values = np.asarray(eps_values, dtype=float)
    data: dict[str, np.ndarray] = {"eps": eps_values}
    eps_fine = np.linspace(eps_values.min(), eps_values.max(), 200)
    data["eps_fine"] = eps_fine
    data["mean_field_flux"] = np.array(
        [2 * model.kappa * kerr.mean_field(e, model=model)[0].n for e in eps_fine])
    for N in sizes:
        bs = [kerr.entropy_production(N, e, model=model) for e in eps_values]
        data.update({f"pi_ext_over_N_{N}": np.array([b.pi_ext for b in bs]) / N,
                     f"pi_u_{N}": np.array([b.pi_u for b in bs]),
                     f"pi_d_{N}": np.array([b.pi_d for b in bs]),
                     f"rel_residual_{N}": np.array([b.relative_residual for b in bs])})
    data["sizes"] = np.array(sizes)
    return data


def _thermo_split_columns(data: dict) -> dict:
    """CSV of ``thermo-split``: the exact terms per size (the mean-field curve left out)."""
    return {k: v for k, v in data.items() if k not in ("eps_fine", "mean_field_flux", "sizes")}


@register("thermo-split", data=thermo_split_data, columns=_thermo_split_columns)
def thermo_split(data: dict):
    r"""Eq. (8) on exact Kerr states: Pi_ext/N collapses, Pi_u and Pi_d are O(1), Eq. (10) (ch. 3).

    Drawn from the result of :func:`thermo_split_data`.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    eps_values = data["eps"]
    fig, panels = plt.subplot_mosaic([["a", "b"], ["c", "key"]], figsize=(WIDTH, 5.8),
                                     layout="constrained")
    axes = [panels[k] for k in "abc"]
    axes[0].plot(data["eps_fine"], data["mean_field_flux"], "k-", lw=1,
                 label=r"$2\kappa|\alpha_{\rm mf}|^2$")
    for i, N in enumerate(data["sizes"]):
        axes[0].plot(eps_values, data[f"pi_ext_over_N_{N}"], f"C{i}o", ms=4, label=f"$N={N}$")
        axes[1].plot(eps_values, data[f"pi_u_{N}"], f"C{i}o-", ms=3)
        axes[1].plot(eps_values, data[f"pi_d_{N}"], f"C{i}s--", ms=3)
        axes[2].semilogy(eps_values, data[f"rel_residual_{N}"], f"C{i}o-", ms=3)
    axes[0].set_ylabel(r"$\Pi_{\rm ext}/N = \Phi_{\rm ext}/N$")
    axes[0].set_title("(a) extensive part", loc="left")
    axes[1].set_ylabel("fluctuation terms")
    axes[1].set_title(r"(b) $\Pi_{\mathrm{u}}$ and $\Pi_{\mathrm{d}}$ are $O(1)$", loc="left")
    axes[2].set_ylabel(r"$|\Pi_{\mathrm{u}}+\Pi_{\mathrm{d}}-\Phi_{\mathrm{q}}|/\Phi_{\mathrm{q}}$")
    axes[2].set_title("(c) residual of the balance", loc="left")
    for ax in axes:
        ax.set_xlabel(r"drive $\epsilon$")
    handles, _ = axes[0].get_legend_handles_labels()
    handles += [Line2D([], [], color="k", marker="o", ms=3, label=r"$\Pi_{\mathrm{u}}$ in (b)"),
                Line2D([], [], color="k", marker="s", ms=3, ls="--",
                       label=r"$\Pi_{\mathrm{d}}$ in (b)")]
    panels["key"].axis("off")
    panels["key"].legend(handles=handles, loc="center")
    return fig


def gaussian_check_data(*, omega: float = 0.3, kappa: float = 0.5, d: int = 80,
                        points: int = 8) -> dict:
    r"""Parametric oscillator: closed Gaussian Pi_u, Pi_d, Phi_q vs the phase-space engine (ch. 3).

    :math:`H = \omega a^\dagger a + g(a^{\dagger 2} + a^2)/2` (real pump :math:`g`) with losses
    :math:`2\kappa\mathcal{D}[a]`, below the threshold
    :math:`g_{\rm th} = \sqrt{\kappa^2 + \omega^2}`.
    Lines: :func:`epcore.gaussian.gaussian_balance` on the Lyapunov covariance; points:
    :func:`epcore.phasespace.entropy_balance` (Eq. 8) on the Fock-basis steady state of
    :func:`epcore.cavity.parametric_steady_state`.

    Parameters
    ----------
    omega : float, optional
        Frequency :math:`\omega` of the mode.
    kappa : float, optional
        Loss rate :math:`\kappa`.
    d : int, optional
        Fock levels of the steady states behind the points.
    points : int, optional
        Number of pumps computed in the Fock basis, from 0.05 to 0.8 :math:`g_{\rm th}`.

    Returns
    -------
    dict
        ``g_over_gth``, ``pi_u_closed``, ``pi_d_closed``, ``phi_q_closed`` on a fine grid up to
        0.9 :math:`g_{\rm th}`; ``g_points_over_gth``, ``pi_u_engine``, ``pi_d_engine``,
        ``phi_q_engine`` at the Fock-basis points. Rates in the units of ``kappa``.

    Raises
    ------
    epcore.errors.CutoffError
        If ``d`` Fock levels cannot hold a steady state (close to threshold): raise ``d``.
    """
    g_th = np.hypot(kappa, omega)
    g_fine = np.linspace(0, 0.9 * g_th, 200)
    g_pts = np.linspace(0.05, 0.8, points) * g_th
    balances = [ga.gaussian_balance(ga.hamiltonian_drift(cv.quadratic_G(omega, g)), [kappa])
                for g in g_fine]
    closed = np.array([(b.pi_u, b.pi_d, b.phi_q) for b in balances])
    engine = []
    for g in g_pts:
        H, rho = cv.parametric_steady_state(d, omega, g, kappa)
        b = entropy_balance(rho, H, kappa)
        engine.append((b.pi_u, b.pi_d, b.phi_q))
    engine = np.array(engine)
    return {"g_over_gth": g_fine / g_th, "pi_u_closed": closed[:, 0], "pi_d_closed": closed[:, 1],
            "phi_q_closed": closed[:, 2], "g_points_over_gth": g_pts / g_th,
            "pi_u_engine": engine[:, 0], "pi_d_engine": engine[:, 1], "phi_q_engine": engine[:, 2]}


@register("thermo-gaussian-check", data=gaussian_check_data)
def gaussian_check(data: dict):
    r"""Parametric oscillator: closed Gaussian Pi_u, Pi_d, Phi_q vs the phase-space engine (ch. 3).

    Drawn from the result of :func:`gaussian_check_data`.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(WIDTH, 4.2), layout="constrained")
    names = [r"$\Pi_{\mathrm{u}}$", r"$\Pi_{\mathrm{d}}$", r"$\Phi_{\mathrm{q}}$"]
    for j, (key, name) in enumerate(zip(("pi_u", "pi_d", "phi_q"), names, strict=True)):
        ax.plot(data["g_over_gth"], data[f"{key}_closed"], f"C{j}-", label=f"{name} closed form")
        ax.plot(data["g_points_over_gth"], data[f"{key}_engine"], f"C{j}o",
                label=f"{name} phase-space engine")
    ax.set_xlabel(r"pump $g/g_{\rm th}$, $g_{\rm th}=\sqrt{\kappa^2+\omega^2}$")
    ax.set_ylabel("rate")
    ax.legend(ncol=2)
    return fig


def leading_order_data(*, eps: float = 0.5, sizes=(5, 10, 20, 40),
                       model: KerrModel = kerr.RESONANT) -> dict:
    r"""Finite-N Kerr Pi_u, Pi_d and Eq. (A10) tend to their Gaussian limits as 1/N (ch. 3).

    (a) :math:`\Pi_u` of the exact steady state (:func:`epcore.kerr.balance_of_state`) and the
    leading order of Eq. (A10) on the same Husimi function
    (:func:`epcore.cavity.leading_order_pi_u`, :func:`epcore.kerr.squeezing_coefficient`), against
    :math:`1/N`; the star at :math:`1/N = 0` is the Gaussian value
    :math:`-\tfrac12\mathrm{tr}(A_H S^{-1})` of :func:`epcore.kerr.linearized_branches`.
    (b) The same for :math:`\Pi_d`.

    Parameters
    ----------
    eps : float, optional
        Drive per unit size :math:`\epsilon`.
    sizes : tuple of int, optional
        System sizes N.
    model : KerrModel, optional
        Loss rate, detuning and nonlinearity of Eq. (11); default ``kerr.RESONANT``
        (:math:`\Delta = 0`, a single branch at every drive).

    Returns
    -------
    dict
        ``N``, ``pi_u``, ``pi_u_A10``, ``pi_d`` (one value per size); ``pi_u_gauss`` and
        ``pi_d_gauss``, the Gaussian limits (one value each).

    Raises
    ------
    ValueError
        From :mod:`epcore.kerr`: bad parameters, or a state whose moments or Fock cutoff cannot
        be trusted (:mod:`epcore.errors`).
    """
    gb = kerr.linearized_branches(eps, model=model)[0]
    sizes = np.asarray(sizes, dtype=float)
    pu, pdd, a10 = [], [], []
    for N in sizes:
        rho = kerr.steady_state(N, eps, model=model)
        b = kerr.balance_of_state(rho, N, eps, model=model)
        pu.append(b.pi_u)
        pdd.append(b.pi_d)
        a10.append(cv.leading_order_pi_u(rho, kerr.squeezing_coefficient(b.alpha, model=model)))
    pu, pdd, a10 = map(np.array, (pu, pdd, a10))
    return {"N": sizes, "pi_u": pu, "pi_u_A10": a10, "pi_d": pdd,
            "pi_u_gauss": np.array([gb.pi_u]), "pi_d_gauss": np.array([gb.pi_d])}


@register("thermo-leading-order", data=leading_order_data)
def leading_order(data: dict):
    r"""Finite-N Kerr Pi_u, Pi_d and Eq. (A10) tend to their Gaussian limits as 1/N (ch. 3).

    Drawn from the result of :func:`leading_order_data`.
    """
    import matplotlib.pyplot as plt

    inv = 1 / data["N"]
    fig, axes = plt.subplots(1, 2, figsize=(WIDTH, 4.0), layout="constrained")
    ax = axes[0]
    ax.plot(inv, data["pi_u"], "C0o-", label=r"$\Pi_{\mathrm{u}}$ exact")
    ax.plot(inv, data["pi_u_A10"], "C1s--", label=r"leading order on exact $Q$")
    ax.plot([0], data["pi_u_gauss"], "k*", ms=12,
            label=r"Gaussian limit: $-\frac{1}{2}{\rm tr}(A_H S^{-1})$ in (a), closed form in (b)")
    ax.set_xlabel("$1/N$")
    ax.set_ylabel(r"$\Pi_{\mathrm{u}}$")
    ax.set_xlim(left=-0.01)
    ax.set_title("(a)", loc="left")
    ax = axes[1]
    ax.plot(inv, data["pi_d"], "C2o-", label=r"$\Pi_{\mathrm{d}}$ exact")
    ax.plot([0], data["pi_d_gauss"], "k*", ms=12)
    ax.set_xlabel("$1/N$")
    ax.set_ylabel(r"$\Pi_{\mathrm{d}}$")
    ax.set_xlim(left=-0.01)
    ax.set_title("(b)", loc="left")
    handles, labels = axes[0].get_legend_handles_labels()
    h2, l2 = ax.get_legend_handles_labels()
    fig.legend(handles[:2] + h2 + handles[2:], labels[:2] + l2 + labels[2:],
               loc="outside lower center", ncol=2)
    return fig


def bath_temperature_data(*, omega: float = 0.3, kappa: float = 0.5, fractions=(0.5, 0.8, 0.95),
                     n_min: float = 1e-3, n_max: float = 100.0, points: int = 61) -> dict:
    r"""Parametric oscillator with a thermal loss channel: Pi_u and Pi_d against n_bath (ch. 3).

    Gaussian closed forms (:func:`epcore.gaussian.thermal_gaussian_balance`) for the dissipator
    :math:`2\kappa(\bar n_{\rm b} + 1)\mathcal{D}[a] + 2\kappa\bar n_{\rm b}\mathcal{D}[a^\dagger]`,
    at pumps :math:`g = f g_{\rm th}`. (a) :math:`\Pi_u` (solid) and :math:`\Pi_d` (dashed);
    (b) their ratio.

    Parameters
    ----------
    omega : float, optional
        Frequency :math:`\omega` of the mode.
    kappa : float, optional
        Loss rate :math:`\kappa`.
    fractions : tuple of float, optional
        Pumps as fractions ``f`` of the threshold :math:`g_{\rm th} = \sqrt{\kappa^2 + \omega^2}`.
    n_min : float, optional
        Smallest bath occupation :math:`\bar n_{\rm b}`, ``> 0``.
    n_max : float, optional
        Largest bath occupation.
    points : int, optional
        Bath occupations, logarithmically spaced.

    Returns
    -------
    dict
        ``n_bath`` and, for each fraction ``f``, ``pi_u_<f>`` and ``pi_d_<f>`` (``f`` written
        with ``:g``, e.g. ``pi_u_0.5``).

    Raises
    ------
    ValueError
        A non-positive ``n_min``, or a fraction ``f >= 1`` (pump at or above threshold: the
        drift is unstable, :class:`epcore.errors.UnstableDriftError`).
    """
    g_th = np.hypot(kappa, omega)
    n_baths = np.geomspace(n_min, n_max, points)
    data = {"n_bath": n_baths}
    for f in fractions:
        A_H = ga.hamiltonian_drift(cv.quadratic_G(omega, f * g_th))
        rows = np.array([(b.pi_u, b.pi_d) for b in
                         (ga.thermal_gaussian_balance(A_H, [kappa], nb) for nb in n_baths)])
        data[f"pi_u_{f:g}"], data[f"pi_d_{f:g}"] = rows[:, 0], rows[:, 1]
    data["fractions"] = np.array(fractions, dtype=float)
    return data


@register("thermo-bath-temperature", data=bath_temperature_data)
def bath_temperature(data: dict):
    r"""Parametric oscillator with a thermal loss channel: Pi_u and Pi_d against n_bath (ch. 3).

    Drawn from the result of :func:`bath_temperature_data`.
    """
    import matplotlib.pyplot as plt

    n_baths = data["n_bath"]
    fig, axes = plt.subplots(1, 2, figsize=(WIDTH, 3.2), layout="constrained")
    for j, f in enumerate(data["fractions"]):
        pu, pdd = data[f"pi_u_{f:g}"], data[f"pi_d_{f:g}"]
        label = rf"$g = {f:g}\,g_{{\rm th}}$"
        axes[0].loglog(n_baths, pu, f"C{j}-", label=label)
        axes[0].loglog(n_baths, pdd, f"C{j}--")
        axes[1].loglog(n_baths, pu / pdd, f"C{j}-", label=label)
    axes[0].set_xlabel(r"bath occupation $\bar n_{\rm b}$")
    axes[0].set_ylabel(r"$\Pi_{\mathrm{u}}$ (solid), $\Pi_{\mathrm{d}}$ (dashed)")
    axes[1].set_xlabel(r"bath occupation $\bar n_{\rm b}$")
    axes[1].set_ylabel(r"$\Pi_{\mathrm{u}}/\Pi_{\mathrm{d}}$")
    axes[1].legend()
    for ax, tag in zip(axes, "ab", strict=True):
        ax.set_title(f"({tag})", loc="left")
    return fig
