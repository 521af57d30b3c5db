"""Time the Dicke-model computations of chapter 5.

Run: ``python benchmarks/bench_dicke.py``. Prints

* the batched lambda sweep (target: 2000 couplings, all terms, <= 1 s) and, for comparison, a
  Python loop over the scalar SciPy path;
* the gamma -> 0 limit over the same couplings;
* the exact finite-N steady state (``dicke.finite_n_steady_state``) at lambda = 0.1 lambda_c,
  gamma = 1e-3, for growing N: solve time, kept states, LU memory and the peak resident memory
  of a fresh process per point (so the figures do not accumulate). No disk cache is used.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np

from epcore import dicke

_CHILD = """
import json, resource, sys, time
from epcore import dicke
N, ratio, gamma = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
model = dicke.PAPER.replace(gamma=gamma)
t0 = time.perf_counter()
r = dicke.finite_n_steady_state(N, ratio * dicke.critical_coupling(model=model), model=model)
wall = time.perf_counter() - t0
print(json.dumps({"N": N, "wall": wall, "solve": r.seconds, "states": r.n_spin * r.n_cavity,
                  "lu_mb": r.lu_nonzeros * 16 / 1e6,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "photons_a": r.photons_a, "photons_b": r.photons_b}))
"""


def best_of(func, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    lc = dicke.critical_coupling()
    lams = np.linspace(0.0, 2 * lc, 2000)
    t_sweep = best_of(lambda: dicke.entropy_production_batch(lams))
    sw = dicke.entropy_production_batch(lams)
    print(f"batched sweep, 2000 couplings, all terms : {t_sweep * 1e3:7.1f} ms")
    print(f"  max relative Eq. (10) residual         : {sw.relative_residual.max():.2e}")
    t_loop = best_of(lambda: [dicke.entropy_production(x) for x in lams], repeats=1)
    print(f"scalar loop (SciPy Lyapunov), 2000 points: {t_loop * 1e3:7.1f} ms")
    away = lams[(lams > 0) & (np.abs(lams - lc) > 1e-3 * lc)]
    t_lim = best_of(lambda: dicke.gamma_zero_limit(away))
    print(f"gamma -> 0 limit, {away.size} couplings      : {t_lim * 1e3:7.1f} ms")

    gauss = dicke.entropy_production(0.1 * lc).extra
    print("\nexact finite-N steady state, lambda = 0.1 lambda_c, gamma = 1e-3 (one process each)")
    print(f"{'N':>6} {'states':>7} {'solve s':>8} {'wall s':>7} {'LU MB':>7} {'peak MB':>8}"
          f" {'na/Gauss-1':>11} {'nb/Gauss-1':>11}")
    for N in (16, 64, 1024, 16384, 262144):
        out = subprocess.run([sys.executable, "-c", _CHILD, str(N), "0.1", "1e-3"],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        print(f"{N:6d} {r['states']:7d} {r['solve']:8.2f} {r['wall']:7.2f} {r['lu_mb']:7.0f}"
              f" {r['rss_mb']:8.0f} {r['photons_a'] / gauss['photons_a'] - 1:11.2e}"
              f" {r['photons_b'] / gauss['photons_b'] - 1:11.2e}")


if __name__ == "__main__":
    main()
