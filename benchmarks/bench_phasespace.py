"""Time the Eq. (6)-(8) integrals of one 200-level state: polar/FFT engine vs a naive dense grid.

The state is the exact steady state of the Kerr model (Eq. B1) at N = 40 near the transition,
in 200 Fock levels. The naive method evaluates Q, <mu|a rho|mu> and <mu|H rho|mu> on a 241 x 241
Cartesian grid, one 200-vector product per point and operator, and integrates with the
trapezoid rule. Both run in this process, alternately, and the script prints the median times,
their ratio and the Eq. (10) residual each method reaches.

    python benchmarks/bench_phasespace.py
"""

from __future__ import annotations

import time

import numpy as np
import qutip
import scipy.special

import epcore

KAPPA, DELTA, U, N, EPS, DIM = 0.5, -2.0, 1.0, 40, 1.13, 200


def kerr_state():
    a = qutip.destroy(DIM)
    H = DELTA * a.dag() * a + U / (2 * N) * a.dag() ** 2 * a**2 + 1j * EPS * np.sqrt(N) * (
        a.dag() - a
    )
    return H, qutip.steadystate(H, [np.sqrt(2 * KAPPA) * a])


def naive_terms(rho: np.ndarray, H: np.ndarray, n: int = 241, L: float | None = None):
    """(Pi_u, Pi_d, Phi_q) on a dense Cartesian grid: one vector product per point."""
    d = rho.shape[0]
    L = L or np.sqrt(d) + 4
    x = np.linspace(-L, L, n)
    mu = (x[:, None] + 1j * x[None, :]).ravel()
    k = np.arange(d)
    with np.errstate(divide="ignore"):
        logv = -np.abs(mu)[:, None] ** 2 / 2 + k * np.log(np.where(mu == 0, 1, mu))[:, None]
    V = np.exp(logv - 0.5 * scipy.special.gammaln(k + 1))
    V[mu == 0, 1:] = 0
    a = np.diag(np.sqrt(np.arange(1, d)), 1)

    def expect(X):
        return np.einsum("pm,mp->p", V.conj(), X @ V.T)

    Q = expect(rho).real / np.pi
    A = expect(a @ rho) / np.pi
    Uq = 2 * expect(H @ rho).imag / np.pi
    w = (x[1] - x[0]) ** 2
    mean_a = np.trace(a @ rho)
    ok = Q > 1e-13 * Q.max()
    pi_u = -np.sum(Uq[ok] * np.log(Q[ok])) * w
    pi_d = 2 * KAPPA * np.sum(np.abs(A[ok] - mean_a * Q[ok]) ** 2 / Q[ok]) * w
    phi_q = 2 * KAPPA * (np.trace(a.T @ a @ rho).real - abs(mean_a) ** 2)
    return pi_u, pi_d, phi_q


def median_time(func, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), out


def main():
    H, rho = kerr_state()
    rho_arr, H_arr = rho.full(), H.full()
    photons = qutip.expect(qutip.num(DIM), rho)
    print(f"state: Kerr N={N}, eps={EPS}, {DIM} Fock levels, <n> = {photons:.2f}")
    t_fast, b = median_time(lambda: epcore.entropy_balance(rho, H, KAPPA), 7)
    t_naive, (pu, pd, pq) = median_time(lambda: naive_terms(rho_arr, H_arr), 3)
    res_naive = abs(pu + pd - pq) / pq
    print(f"polar/FFT engine : {t_fast * 1e3:8.1f} ms   grid {b.grid_shape}   "
          f"Eq.(10) residual {b.relative_residual:.1e}")
    print(f"naive 241x241    : {t_naive * 1e3:8.1f} ms   grid (241, 241)   "
          f"Eq.(10) residual {res_naive:.1e}")
    print(f"speed-up naive/engine: {t_naive / t_fast:.1f}x")
    print("targets: engine <= 100 ms, Eq.(10) residual < 1e-6")


if __name__ == "__main__":
    main()
