"""Print how large the text of every registered figure is on screen, in CSS px.

For each figure of ``epcore.figures.REGISTRY``: its width, the natural width of the PNG the book
shows (``natural px``), the size of its tick labels and of its smallest text when the page is
read in a 1280-px window (672-px text column) and in a 768-px one (720 px), and that smallest
text. The rule is :func:`epcore.plots.style.rendered_px`; the texts are those the renderer
draws (:func:`epcore.plots.style.text_report`). The book asks for at least 11 px.

    PYTHONPATH=. python tools/figure_text_sizes.py            # the book's figures (slow, cached)
    PYTHONPATH=. python tools/figure_text_sizes.py --quick    # cheap options, fake Kerr sweeps
    PYTHONPATH=. python tools/figure_text_sizes.py --style slides NAME ...

``--quick`` calls every figure with the cheap keyword options of :data:`QUICK`, replaces the
Kerr sweeps by smooth fake values and runs the dynamics sweeps in this process
(:func:`cheap_sweeps`): the text is the same, the numbers are not.
tests/test_figure_legibility.py uses the same options.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time

import numpy as np

#: cheap keyword options per figure (the text they draw is the book's); a value that is a
#: callable is called first (it builds data that the figure function accepts)
QUICK: dict[str, dict] = {
    "wehrl-husimi-gallery": {"d": 40, "points": 41},
    "wehrl-vs-von-neumann": {},
    "wehrl-lieb-bound": {"samples": 12},
    "wehrl-wigner-negativity": {"d": 40, "points": 41},
    "entropy-empty-cavity": {"t_max": 3.0, "points": 7},
    "entropy-kerr-transient": {"t_max": 3.0, "points": 13},
    "thermo-split": {"sizes": (3, 5), "eps_values": (0.3, 0.6)},
    "thermo-gaussian-check": {"points": 1},
    "thermo-leading-order": {"sizes": (3, 5)},
    "thermo-bath-temperature": {"points": 7},
    "kerr-s-curve": {"sizes": (10, 30), "n_eps": 15},
    "thermal-transitions": {"points": 15, "ratio_baths": (0.1, 10.0, 1e3)},
    "kerr-husimi": {"N": 6, "drives": (0.85, 0.95, 1.05), "n_grid": 41},
    "kerr-fig2": {"n_jobs": 1},
    "kerr-residual": {"n_jobs": 1},
    "kerr-unitary-share": {"n_jobs": 1},
    "kerr-critical": {"n_jobs": 1},
    "kerr-peak-terms": {"sizes": (25, 50, 100)},
    "kerr-large-n": {"n_jobs": 1},
    "dicke-relaxation": {"t_max": 4e3},
    "dicke-husimi": {"points": 41},
    "dicke-fig3": {"points": 200},
    "dicke-terms": {"points": 200},
    "dicke-gamma-limit": {"points": 100},
    "dicke-finite-n": {"data": lambda: _fake_finite_n()},
    "dynamics-gap": {"sizes": (3, 4), "scaling": (3, 4, 5, 6), "n_eps": 5},
    "twophoton-balance": {"sizes": (10, 40), "points": 9, "growth": (25, 50, 100)},
    "twophoton-gap": {"sizes": (5, 10, 20), "kerr_sizes": (4, 8, 12)},
    "dynamics-solve-error": {"sizes": (5, 8)},
    "dynamics-switching": {"N": 2, "eps": 1.025, "t_max": 1000.0, "n_runs": 2, "t_min": 5.0},
    "dynamics-correlation": {"N": 2, "eps": 1.025, "t_max": 1000.0, "n_runs": 2, "t_min": 5.0},
    "dynamics-heterodyne": {"N": 2, "eps": 1.025, "t_max": 1000.0, "n_runs": 2, "t_min": 5.0},
    "dynamics-hysteresis": {"sizes": (2, 3), "times": (3.0, 10.0), "n_out": 60},
    "dynamics-ramp-split": {"N": 2, "times": (3.0, 10.0), "n_out": 30},
    "dynamics-ramp-balance": {"data": lambda: _fake_ramp()},
}


def _fake_row(func, params: dict) -> dict:
    """Smooth stand-in for one point of a Kerr sweep (all keys the figures read)."""
    from epcore import kerr

    N = float(params["N"])
    eps_c = kerr.critical_drive()
    eps = float(params.get("eps", eps_c * (1 + 0.5 / N)))
    x = N * (eps / eps_c - 1)
    p = 0.5 * (1 + np.tanh(2 * x))
    pi_u = 0.2 + 0.1 * np.tanh(x)
    pi_d = 0.3 + N * p * (1 - p)
    return {"N": N, "eps": eps, "pi_u": pi_u, "pi_d": pi_d, "phi_q": pi_u + pi_d,
            "pi_u_by_parts": pi_u * (1 + 1e-12), "relative_residual": 1e-13 * (1 + p),
            "moment_error": 1e-11 * (1 + p), "eps_peak": eps_c * (1 + 0.5 / N),
            "phi_q_peak": 0.3 + N / 4}


def _fake_finite_n() -> list:
    """Stand-ins for exact finite-N Dicke results: the Gaussian values times 1 + 1/N."""
    from types import SimpleNamespace

    from epcore import dicke

    lam = 0.1 * dicke.critical_coupling()
    gauss = dicke.entropy_production(lam)
    return [SimpleNamespace(N=N, lam=lam, model=dicke.PAPER,
                            photons_a=gauss.photons_a * (1 + 1 / N),
                            photons_b=gauss.photons_b * (1 + 2 / N))
            for N in (2, 8, 64, 512)]


def _fake_ramp():
    """A smooth stand-in for :func:`epcore.dynamics.ramp` with the entropy balance."""
    from epcore import dynamics

    t = np.linspace(0.0, 60.0, 121)
    eps = 0.6 + 0.65 * (1 - np.abs(t / 30 - 1))
    photons = 0.1 + 2.4 / (1 + np.exp(-12 * (eps - 0.95 + 0.1 * (t > 30))))
    S = 2.14 + 0.2 * np.sin(np.pi * t / 60) ** 2
    pi_u, pi_d = 0.1 * np.sin(np.pi * t / 60) ** 2, 0.2 + 0.5 * photons
    dS = np.gradient(S, t)
    return dynamics.RampResult(N=4.0, t_ramp=30.0, t=t, eps=eps, photons=photons, S=S,
                               pi_ext=dS, phi_ext=0 * t, pi_u=pi_u, pi_d=pi_d,
                               phi_q=pi_u + pi_d, dS_dt=dS)


@contextlib.contextmanager
def cheap_sweeps():
    """Fake Kerr sweeps (:mod:`epcore.plots.kerr`) and serial dynamics sweeps while inside.

    Yields
    ------
    None
    """
    import functools

    from epcore.plots import dynamics as dyn_plots
    from epcore.plots import kerr as kerr_plots

    real = kerr_plots.sweep, dyn_plots.sweep
    kerr_plots.sweep = lambda func, params, **kw: [_fake_row(func, p) for p in params]
    dyn_plots.sweep = functools.partial(real[1], n_jobs=1, progress=False)
    try:
        yield
    finally:
        kerr_plots.sweep, dyn_plots.sweep = real


def quick_options(name: str) -> dict:
    """The cheap keyword options of figure ``name`` (empty for a figure that is cheap anyway).

    Parameters
    ----------
    name : str
        A registered figure name.

    Returns
    -------
    dict
        Keyword options; figures whose function takes ``data=`` get the options of their data
        function, which they forward.
    """
    return {k: v() if callable(v) else v for k, v in QUICK.get(name, {}).items()}


def measure(names=None, *, quick: bool = False, style: str = "book") -> list[dict]:
    """Draw the figures and return one row per figure with its text sizes.

    Parameters
    ----------
    names : list of str or None, optional
        Figures to measure; all registered ones by default.
    quick : bool, optional
        Use :data:`QUICK` and :func:`cheap_sweeps`.
    style : str, optional
        Figure style (:data:`epcore.plots.style.STYLES`).

    Returns
    -------
    list of dict
        ``name``, ``width`` (in), ``natural_px``, ``tick`` and ``smallest`` (dicts column
        name to px), ``text`` (the smallest text) and ``seconds``.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from epcore import cli
    from epcore.plots.style import figure_style, text_report

    registry = cli.load_registry()
    rows = []
    for name in names or list(registry):
        start = time.perf_counter()
        stack = contextlib.ExitStack()
        with stack:
            stack.enter_context(figure_style(style))
            if quick:
                stack.enter_context(cheap_sweeps())
            fig, _ = registry[name](**(quick_options(name) if quick else {}))
        report = text_report(fig)
        texts = report["texts"]
        small = min(texts, key=lambda t: t["points"])
        ticks = [t for t in texts if t["tick"]]
        tick = min(ticks, key=lambda t: t["points"]) if ticks else None
        rows.append({"name": name, "width": fig.get_figwidth(),
                     "natural_px": report["natural_px"],
                     "tick": tick["px"] if tick else {}, "smallest": small["px"],
                     "text": small["text"], "seconds": time.perf_counter() - start})
        plt.close(fig)
    return rows


def main(argv=None) -> int:
    """Print the table; exit status 1 if a text is below 11 px.

    Parameters
    ----------
    argv : list of str or None, optional
        Command-line arguments.

    Returns
    -------
    int
        0 if every text is at least 11 px at both widths, else 1.
    """
    from epcore.plots.style import MIN_TEXT_PX, STYLES

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="figure names (default: all)")
    parser.add_argument("--quick", action="store_true",
                        help="cheap options, fake Kerr sweeps (same text, other numbers)")
    parser.add_argument("--style", default="book", choices=sorted(STYLES))
    args = parser.parse_args(argv)
    print("| figure | width (in) | natural px | ticks 1280 | ticks 768 | smallest 1280 "
          "| smallest 768 | smallest text |")
    print("|---|---|---|---|---|---|---|---|")
    worst = np.inf
    for row in measure(args.names, quick=args.quick, style=args.style):
        t, s = row["tick"], row["smallest"]
        worst = min(worst, *s.values())
        print(f"| {row['name']} | {row['width']:.2f} | {row['natural_px']:.0f} "
              f"| {t.get(1280, np.nan):.1f} | {t.get(768, np.nan):.1f} "
              f"| {s[1280]:.1f} | {s[768]:.1f} | `{row['text'][:40]}` |", flush=True)
    return 0 if worst >= MIN_TEXT_PX else 1


if __name__ == "__main__":
    sys.exit(main())
