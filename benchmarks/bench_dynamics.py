"""Timings of the dynamics hot paths (not a test). Run: ``python benchmarks/bench_dynamics.py``.

1. ``kerr.liouvillian_spectrum(40, eps_c)``: wall time, peak memory of the process, and the
   gap with its round-off spread (targets: <= 10 s, <= 2 GB, gap reported down to 1e-13);
   the same at N = 45 to show where double precision ends; and ``kerr.liouvillian_gap(40,
   eps_c)`` against the search around 0 alone (the route before the branch shifts, which misses
   slow oscillating modes), timed alternately in one run (target: ratio <= 2);
2. a full drive ramp at N = 10 (``t_ramp = 100``, 2000 output times, entropy balance at each,
   two processes; target <= 60 s), with the largest Eq. (1) residuals.

Options: ``--skip-ramp`` leaves out item 2.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from epcore import dynamics, kerr, spectrum


def peak_gb() -> float:
    """Peak resident memory of this process so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def bench_gap() -> None:
    eps_c = kerr.critical_drive()
    for N in (40, 45):
        t = time.perf_counter()
        r = kerr.liouvillian_spectrum(N, eps_c, k=2)
        dt = time.perf_counter() - t
        print(f"gap N = {N}: {r.gap:.4e} +- {r.error:.1e} (relative {r.error / r.gap:.1e}), "
              f"cutoff {r.cutoff}, {dt:.2f} s (target <= 10 s), peak memory {peak_gb():.2f} GB "
              "(target <= 2 GB)")


def bench_gap_ratio(repeats: int = 3) -> None:
    eps_c = kerr.critical_drive()
    cutoff = kerr.liouvillian_spectrum(40, eps_c, k=1).cutoff
    now, before = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        kerr.liouvillian_gap(40, eps_c)
        now.append(time.perf_counter() - t)
        t = time.perf_counter()
        spectrum.slowest_modes(kerr.liouvillian(40, eps_c, cutoff), 2, dense_limit=0)
        before.append(time.perf_counter() - t)
    print(f"liouvillian_gap(40, eps_c): {min(now):.2f} s; around 0 alone: {min(before):.2f} s; "
          f"ratio {min(now) / min(before):.2f} (target <= 2; best of {repeats}, alternated)")


def bench_ramp() -> None:
    t = time.perf_counter()
    r = dynamics.ramp(10, 100.0, n_out=2000, progress=False)
    dt = time.perf_counter() - t
    scale = np.abs(r.pi - r.phi).max()
    fd = np.gradient(r.S, r.t, edge_order=2)
    print(f"ramp N = 10, t_ramp = 100, 2000 outputs with balance: {dt:.1f} s "
          f"(target <= 60 s on 2 cores; ratio {dt / 60:.2f})")
    print(f"  max |dS/dt (master eq.) - (Pi - Phi)| / max|Pi - Phi| = "
          f"{np.abs(r.dS_dt - (r.pi - r.phi)).max() / scale:.1e}")
    print(f"  max |dS/dt (differences) - (Pi - Phi)| / max|Pi - Phi| = "
          f"{np.abs(fd - (r.pi - r.phi))[1:-1].max() / scale:.1e}")
    print(f"  hysteresis area {r.area:.4f}, peak memory {peak_gb():.2f} GB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-ramp", action="store_true")
    args = parser.parse_args()
    bench_gap()
    bench_gap_ratio()
    if not args.skip_ramp:
        bench_ramp()


if __name__ == "__main__":
    main()
