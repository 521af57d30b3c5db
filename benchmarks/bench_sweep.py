"""Cost of the sweep machinery: the cache key, a cache hit, and Dask against local processes.

1. ``source_hash()``: the first call (parses every ``epcore/**/*.py``) and a later one (cached).
2. A Kerr drive sweep (``epcore.kerr.state_balance_row``, N = 10, 12 drives) on the local backend
   (2 loky processes) and on a ``dask.distributed.LocalCluster`` of 2 single-threaded worker
   processes on 127.0.0.1, without the cache, after one warm-up run each (worker start-up and
   imports excluded; the cluster's start-up printed on its own line); then the same sweep read
   back from the disk cache. Prints the times, the ratio dask/local, and whether the results
   are identical.

    python benchmarks/bench_sweep.py

The Dask part is skipped with a message when ``dask[distributed]`` is not installed.
"""

from __future__ import annotations

import os
import tempfile
import time

import numpy as np

from epcore import kerr, sweep

N, DRIVES = 10, np.linspace(0.4, 1.6, 12)


def timed(func, *args, **kwargs):
    start = time.perf_counter()
    value = func(*args, **kwargs)
    return time.perf_counter() - start, value


def main() -> None:
    t_first, key = timed(sweep.source_hash)
    t_again, _ = timed(sweep.source_hash)
    print(f"source_hash() = {key}: first call {1e3 * t_first:.1f} ms, later {1e6 * t_again:.1f} us")

    params = [{"N": N, "eps": float(e)} for e in DRIVES]
    run = dict(cache=False, progress=False)
    sweep.sweep(kerr.state_balance_row, params, backend="loky", **run)  # warm-up: start the workers
    t_local, local = timed(sweep.sweep, kerr.state_balance_row, params, backend="loky", **run)
    print(f"local (loky, 2 processes), {len(params)} points at N = {N}: {t_local:.2f} s")

    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        print('dask: skipped (pip install "dask[distributed]")')
        return
    t0 = time.perf_counter()
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster, Client(cluster):
        print(f"dask LocalCluster start-up: {time.perf_counter() - t0:.2f} s")
        sweep.sweep(kerr.state_balance_row, params, backend="dask", **run)  # warm-up: imports
        t_dask, remote = timed(sweep.sweep, kerr.state_balance_row, params, backend="dask", **run)
        print(f"dask (2 worker processes): {t_dask:.2f} s, dask/local = {t_dask / t_local:.2f}")
        print(f"identical results: {remote == local}")
        with tempfile.TemporaryDirectory() as folder:
            os.environ["EPCORE_CACHE"] = folder
            t_fill, _ = timed(sweep.sweep, kerr.state_balance_row, params, backend="dask",
                              progress=False)
            t_hit, cached = timed(sweep.sweep, kerr.state_balance_row, params, progress=False)
            print(f"dask into an empty cache: {t_fill:.2f} s; read back: {t_hit:.3f} s, "
                  f"identical: {cached == local}")


if __name__ == "__main__":
    main()
