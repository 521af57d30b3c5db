"""Timings of the two-photon resonator (not a test). Run: ``python3 benchmarks/bench_twophoton.py``.

0. ``entropy_production(200, G_c)`` with default options (the exact complex-P state and its
   phase-space balance), each run in a fresh process so that its peak memory is its own
   (target <= 5 s and <= 2 GB), next to :func:`epcore.twophoton.memory_estimate`; the
   imports and the code paths are warmed on a small other point first, the caches of the
   exact series are cold for the point timed;
1. the same deep in the broken phase, ``entropy_production(200, 1.0)``;
2. ``sector_gaps(N, 1.0)`` for N = 20, 40: the two parity-sector gaps, the odd one closing
   exponentially;
3. ``exact_fluctuations(N, 1.0)`` at N = 1e4 (moments only, no Fock space).

Options: ``--only-large-n`` runs item 0 only; ``--repeat`` sets the fresh processes of 0 and 1.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import time

from epcore import twophoton


def _child(N: float, g: float, queue) -> None:
    """One default call in a fresh process: (seconds, CPU seconds, peak MB, base MB, ...)."""
    twophoton.entropy_production(10, 0.3)  # imports and code paths warm; other caches
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t, cpu = time.perf_counter(), time.process_time()
    b = twophoton.entropy_production(N, g)
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    estimate = twophoton.memory_estimate(N, g, b.cutoff) / 1e6
    queue.put((seconds, cpu, peak, base, b.cutoff, b.photons, b.relative_residual,
               b.moment_error, estimate))


def bench_point(item: int, N: float, g: float, repeat: int, label: str) -> None:
    """Items [0] and [1]: ``entropy_production(N, g)`` in ``repeat`` fresh processes."""
    ctx = multiprocessing.get_context("spawn")
    runs = []
    for _ in range(repeat):
        queue = ctx.Queue()
        proc = ctx.Process(target=_child, args=(N, g, queue))
        proc.start()
        runs.append(queue.get())
        proc.join()
    seconds, cpu = [r[0] for r in runs], [r[1] for r in runs]
    _, _, peak, base, d, photons, residual, moment_error, estimate = runs[-1]
    print(f"[{item}] entropy_production({N}, {label}), default options, {repeat} fresh processes:")
    print(f"    wall time median {statistics.median(seconds):.3f} s, min {min(seconds):.3f} s"
          "   (target <= 5 s)")
    print(f"    CPU time median {statistics.median(cpu):.3f} s (load average now "
          f"{os.getloadavg()[0]:.1f})")
    print(f"    peak memory {peak:.0f} MB ({peak - base:.0f} MB above the warmed interpreter; "
          f"memory_estimate {estimate:.0f} MB; target <= 2 GB)")
    print(f"    {d} Fock levels, <a^dag a> = {photons:.4f}, Eq. (10) relative residual "
          f"{residual:.1e}, moments vs exact {moment_error:.1e}")


def bench_gaps() -> None:
    """Item [2]: the parity-sector gaps in the broken phase."""
    print("[2] sector_gaps(N, 1.0):")
    for N in (20, 40):
        t = time.perf_counter()
        r = twophoton.sector_gaps(N, 1.0)
        print(f"    N = {N}: {time.perf_counter() - t:.2f} s, cutoff {r.cutoff}, even gap "
              f"{r.even_gap:.4f}, odd gap {r.odd_gap:.3e} (+- {r.odd_error:.0e})")


def bench_moments() -> None:
    """Item [3]: the exact moments at a size no Fock space could hold."""
    N = 1e4
    t = time.perf_counter()
    ex = twophoton.exact_fluctuations(N, 1.0)
    print(f"[3] exact_fluctuations({N:g}, 1.0): {time.perf_counter() - t:.3f} s, "
          f"<a^dag a>/N = {ex['photons'] / N:.6f} (mean field "
          f"{twophoton.mean_field(1.0)[1].n:.6f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes in [0], [1]")
    parser.add_argument("--only-large-n", action="store_true", help="run item [0] only")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    gc = twophoton.critical_drive()
    bench_point(0, 200, gc, args.repeat, "G_c")
    if args.only_large_n:
        return
    bench_point(1, 200, 1.0, args.repeat, "1.0")
    bench_gaps()
    bench_moments()


if __name__ == "__main__":
    main()
