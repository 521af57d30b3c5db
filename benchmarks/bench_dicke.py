"""Time the Dicke-model lambda sweep (issue target: 2000 couplings, all terms, <= 1 s).

Run: ``python benchmarks/bench_dicke.py``. Prints the best of several repeats for the batched
sweep and, for comparison, a Python loop over the scalar SciPy path.
"""

from __future__ import annotations

import time

import numpy as np

from epcore import dicke


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
    t_sweep = best_of(lambda: dicke.sweep(lams))
    sw = dicke.sweep(lams)
    print(f"batched sweep, 2000 couplings, all terms : {t_sweep * 1e3:7.1f} ms")
    print(f"  max relative Eq. (10) residual         : {sw.relative_residual.max():.2e}")
    t_loop = best_of(lambda: [dicke.entropy_production(x) for x in lams], repeats=1)
    print(f"scalar loop (SciPy Lyapunov), 2000 points: {t_loop * 1e3:7.1f} ms")


if __name__ == "__main__":
    main()
