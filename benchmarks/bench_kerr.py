"""Timings of the Kerr hot paths (not a test). Run: ``python3 benchmarks/bench_kerr.py``.

0. ``entropy_production(40, 0.94)`` with default arguments (the exact complex-P route) against
   a bare ``qutip.steadystate`` on the same Liouvillian, side by side (target: ratio <= 0.5);
1. ``entropy_production(40, eps, method='qutip')`` above ``eps_c`` against a bare
   ``qutip.steadystate`` on the same Liouvillian, side by side (target: ratio <= 1.3);
2. QuTiP steady-state solvers on that Liouvillian (why ``method='direct'``);
3. ``exact_moment`` at N = 1000 (target: <= 0.2 s per call);
4. all Fig. 2 data cold (empty cache, two workers; target <= 4 min) and from the cache
   (target <= 10 s), with the peak memory of one worker's worth of points;
5. the full entropy balance of the exact state at N = 400 near ``eps_c`` with default options
   (target <= 5 s and <= 2 GB), each run in a fresh process so that its peak memory is its
   own, next to :func:`epcore.kerr.memory_estimate`.

Options: ``--skip-fig2`` leaves out item 4 (the longest); ``--only-large-n`` runs item 5 only;
``--only-default`` runs item 0 only.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import tempfile
import time

import numpy as np
import qutip

from epcore import kerr


def best_of(func, repeat: int = 5) -> tuple[float, float]:
    """(median, min) wall time of ``func()`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        func()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


def bench_default_route(repeat: int) -> None:
    """Item [0]: the default route against a bare QuTiP solve of the same problem.

    Parameters
    ----------
    repeat : int
        Runs of each, interleaved; the medians are compared.
    """
    N, eps = 40, 0.94
    d = kerr.entropy_production(N, eps).cutoff
    L = kerr.liouvillian(N, eps, d)

    @kerr.entropy._one_blas_thread
    def bare():
        qutip.steadystate(L, method="direct")

    def default():
        kerr.exact._moment_cached.cache_clear()  # pay for the exact moments every time
        kerr.exact._connected_cached.cache_clear()
        kerr.entropy_production(N, eps)

    t_bare, t_default = [], []
    for _ in range(repeat):
        t_bare.append(best_of(bare, 1)[0])
        t_default.append(best_of(default, 1)[0])
    mb, md = statistics.median(t_bare), statistics.median(t_default)
    print(f"[0] N = {N}, eps = {eps}, cutoff {d}, {repeat} runs each (one BLAS thread):")
    print(f"    bare qutip.steadystate(L):           median {mb:.3f} s  min {min(t_bare):.3f} s")
    print(f"    entropy_production(N, eps) default:  median {md:.3f} s  min {min(t_default):.3f} s")
    print(f"    ratio (median) {md / mb:.2f}   target <= 0.5")


def bench_entropy_production(repeat: int) -> None:
    N = 40
    eps_c = kerr.critical_drive()
    eps = 1.05  # above eps_c, where a double-precision linear solve is still trustworthy
    rho = kerr.steady_state(N, eps, method="qutip")
    d = rho.shape[0]
    L = kerr.liouvillian(N, eps, d)

    @kerr.entropy._one_blas_thread
    def bare():
        qutip.steadystate(L, method="direct")

    def full():
        kerr.entropy_production(N, eps, method="qutip")

    # interleave so that load from other processes hits both alike
    t_bare, t_full = [], []
    for _ in range(repeat):
        t_bare.append(best_of(bare, 1)[0])
        t_full.append(best_of(full, 1)[0])
    mb, mf = statistics.median(t_bare), statistics.median(t_full)
    print(f"[1] N = {N}, eps = {eps} (eps_c = {eps_c:.6f}), cutoff {d}, {repeat} runs each:")
    print(f"    bare qutip.steadystate(L):          median {mb:.3f} s  min {min(t_bare):.3f} s")
    print(f"    entropy_production(method='qutip'): median {mf:.3f} s  min {min(t_full):.3f} s")
    print(f"    ratio (median) {mf / mb:.2f}   ratio (min) {min(t_full) / min(t_bare):.2f}")
    for method in kerr.METHODS[:1]:  # the QuTiP route fails its check at eps_c
        med, low = best_of(lambda m=method: kerr.entropy_production(N, eps_c, method=m), 3)
        print(f"    entropy_production(40, eps_c, method={method!r}): median {med:.3f} s")


def bench_solvers() -> None:
    N, eps = 40, 1.05
    d = kerr.fock_cutoff(N, eps)
    L = kerr.liouvillian(N, eps, d)
    exact = kerr.exact_moment(N, eps, 1, 1).real
    a = qutip.destroy(d)
    print(f"[2] qutip.steadystate on the N = {N}, eps = {eps} Liouvillian ({d} levels):")
    for label, kw in [
        ("direct (spsolve)", {"method": "direct"}),
        ("direct + use_rcm", {"method": "direct", "use_rcm": True}),
        ("direct + use_wbm", {"method": "direct", "use_wbm": True}),
        ("power", {"method": "power"}),
        ("direct + lgmres", {"method": "direct", "solver": "lgmres", "atol": 1e-14}),
    ]:
        try:
            with kerr.entropy._one_blas_thread:
                med, _ = best_of(lambda kw=kw: qutip.steadystate(L, **kw), 3)
                rho = qutip.steadystate(L, **kw)
            err = abs(qutip.expect(a.dag() * a, rho) - exact) / exact
            print(f"    {label:18s} median {med:.3f} s   <n> relative error {err:.1e}")
        except Exception as exc:  # noqa: BLE001 - report every solver, whatever it raises
            print(f"    {label:18s} failed: {type(exc).__name__}: {str(exc)[:60]}")


def bench_exact_moment() -> None:
    times = []
    for eps in np.linspace(0.9, 1.2, 7):
        kerr.exact._moment_cached.cache_clear()
        t = time.perf_counter()
        kerr.exact_moment(1000, float(eps), 1, 1)
        times.append(time.perf_counter() - t)
    print(
        f"[3] exact_moment(1000, eps, 1, 1), 7 drives, no cache: max {max(times) * 1e3:.1f} ms, "
        f"median {statistics.median(times) * 1e3:.1f} ms"
    )
    t = time.perf_counter()
    kerr.exact_moment_mpmath(1000, 1.15, 1, 1)
    print(f"    mpmath.hyper route at N = 1000, eps = 1.15: {time.perf_counter() - t:.3f} s")


def bench_fig2() -> None:
    from epcore.plots import kerr as kerr_plots

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EPCORE_CACHE"] = tmp
        t = time.perf_counter()
        rows = kerr_plots.fig2_rows()
        cold = time.perf_counter() - t
        t = time.perf_counter()
        kerr_plots.fig2_rows()
        warm = time.perf_counter() - t
        n = len(rows["ab"]["N"]) + len(rows["cd"]["N"])
        print(f"[4] Fig. 2 data, {n} points: cold {cold:.1f} s (2 workers), cached {warm:.2f} s")
        worst = max(rows["cd"]["relative_residual"].max(), rows["ab"]["relative_residual"].max())
        print(f"    largest Eq. (10) relative residual over the sweep: {worst:.1e}")
    # memory of one worker: the heaviest points (N = 40 around eps_c), computed in this process
    eps_c = kerr.critical_drive()
    for x in np.linspace(-1, 1.5, 6):
        kerr.state_balance_row(40, float(eps_c * (1 + x / 40)))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"    peak resident memory of this process (= one worker + plots): {peak:.0f} MB")


def _large_n_child(N: int, queue) -> None:
    """One default call in a fresh process: (seconds, peak MB, baseline MB, result)."""
    eps_c = kerr.critical_drive()
    kerr.exact_moment(N, eps_c, 1, 1)  # imports and caches warm, as in a session
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t, cpu = time.perf_counter(), time.process_time()
    b = kerr.entropy_production(N, eps_c)
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    estimate = kerr.memory_estimate(N, eps_c, b.cutoff) / 1e6
    queue.put((seconds, cpu, peak, base, b.cutoff, b.relative_residual, b.moment_error, estimate))


def bench_large_n(repeat: int = 3, N: int = 400) -> None:
    ctx = multiprocessing.get_context("spawn")
    runs = []
    for _ in range(repeat):
        queue = ctx.Queue()
        proc = ctx.Process(target=_large_n_child, args=(N, queue))
        proc.start()
        runs.append(queue.get())
        proc.join()
    seconds, cpu = [r[0] for r in runs], [r[1] for r in runs]
    _, _, peak, base, d, residual, moment_error, estimate = runs[-1]
    print(f"[5] entropy_production({N}, eps_c), default options, {repeat} fresh processes:")
    print(
        f"    wall time median {statistics.median(seconds):.2f} s, min {min(seconds):.2f} s"
        "   (target <= 5 s)"
    )
    print(
        f"    CPU time median {statistics.median(cpu):.2f} s (one BLAS thread: the wall time "
        f"on an idle core; load average now {os.getloadavg()[0]:.1f})"
    )
    print(
        f"    peak memory {peak:.0f} MB ({peak - base:.0f} MB above the interpreter with "
        f"epcore loaded; memory_estimate {estimate:.0f} MB; target <= 2 GB)"
    )
    print(
        f"    {d} Fock levels, Eq. (10) relative residual {residual:.1e}, "
        f"moments vs exact {moment_error:.1e}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-fig2", action="store_true", help="leave out the Fig. 2 sweep")
    parser.add_argument("--repeat", type=int, default=7, help="runs per timing in [1]")
    parser.add_argument("--only-large-n", action="store_true", help="run item [5] only")
    parser.add_argument("--only-default", action="store_true", help="run item [0] only")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    if args.only_default:
        bench_default_route(args.repeat)
        return
    if args.only_large_n:
        bench_large_n()
        return
    bench_default_route(args.repeat)
    bench_entropy_production(args.repeat)
    bench_solvers()
    bench_exact_moment()
    if not args.skip_fig2:
        bench_fig2()
    bench_large_n()


if __name__ == "__main__":
    main()
