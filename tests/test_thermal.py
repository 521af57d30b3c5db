"""A thermal bath at Gaussian order (epcore.thermal, epcore.gaussian.channel_balance).

Identities, limits and independent routes: one channel per mode against the one-channel
closed forms, zero occupations against the zero-temperature closed forms, Eq. (10), a grid
quadrature of the Gaussian Husimi function, the operator identity that keeps the mean field,
the zero-temperature results of the three models, the exact amplitude of the divergence, the
classical limit by quadrature and by Monte Carlo, and the exact finite-N Kerr state.
"""

from __future__ import annotations

import numpy as np
import pytest
import qutip

from epcore import dicke, gaussian, kerr, thermal, twophoton
from epcore.errors import UnstableDriftError


def _random_drift(seed: int, modes: int, rates) -> np.ndarray:
    """A random quadratic Hamiltonian whose drift with the losses ``rates`` is stable."""
    rng = np.random.default_rng(seed)
    while True:
        X = rng.normal(size=(2 * modes, 2 * modes))
        A_H = gaussian.hamiltonian_drift(0.4 * (X + X.T) / 2)
        A = A_H - np.diag(np.repeat(rates, 2))
        if np.linalg.eigvals(A).real.max() < -0.05:
            return A_H


# ----------------------------------------------------------------------- channel_balance


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_channel_per_mode_is_thermal_gaussian_balance(seed):
    k = np.array([0.5, 0.8])
    nb = np.array([0.3, 2.0])
    A_H = _random_drift(seed, 2, k)
    a = gaussian.channel_balance(A_H, k, nb)
    b = gaussian.thermal_gaussian_balance(A_H, k, nb)
    for x, y in ((a.pi_u, b.pi_u), (a.pi_d, b.pi_d), (a.phi_q, b.phi_q)):
        assert x == pytest.approx(y, rel=1e-11, abs=1e-14)
    np.testing.assert_allclose(a.husimi_cov, b.husimi_cov, rtol=1e-11)


@pytest.mark.parametrize("seed", [3, 4])
def test_zero_occupations_are_gaussian_balance(seed):
    r = np.array([[0.3, 0.5], [0.2, 0.1], [0.0, 0.4]])
    A_H = _random_drift(seed, 2, r.sum(0))
    a = gaussian.channel_balance(A_H, r, 0.0)
    b = gaussian.gaussian_balance(A_H, r.sum(0))
    for x, y in ((a.pi_u, b.pi_u), (a.pi_d, b.pi_d), (a.phi_q, b.phi_q)):
        assert x == pytest.approx(y, rel=1e-10, abs=1e-14)


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_channel_balance_eq10_and_steady_state_form(seed):
    r = np.array([[0.3, 0.5], [0.2, 0.1]])
    nb = np.array([[1.5, 0.0], [0.0, 3.0]])
    A_H = _random_drift(seed, 2, r.sum(0))
    b = gaussian.channel_balance(A_H, r, nb)
    assert abs(b.residual) < 1e-12 * b.phi_q
    # Pi_u = sum_c r_c (2 - (n_c + 1) tr_i S^-1), the trace of the Lyapunov equation
    Sinv = np.linalg.inv(b.husimi_cov)
    tr = np.diagonal(Sinv).reshape(-1, 2).sum(-1)
    assert b.pi_u == pytest.approx(float(np.sum(r * (2 - (nb + 1) * tr))), rel=1e-11)
    assert np.all(b.pi_d_channels >= 0)


def test_channel_balance_against_grid_quadrature():
    """One mode, a thermal and a cold channel: Eqs. (6)-(8) integrated on a grid, with the
    gradients of Q by finite differences, against the closed forms."""
    r = np.array([0.3, 0.25])
    nb = np.array([1.2, 0.0])
    A_H = gaussian.hamiltonian_drift(np.array([[0.9, 0.35], [0.35, -0.1]]))
    b = gaussian.channel_balance(A_H, r[:, None], nb[:, None])
    S = b.husimi_cov
    L = 9 * np.sqrt(np.linalg.eigvalsh(S).max())
    x = np.linspace(-L, L, 1201)
    h = x[1] - x[0]
    X, P = np.meshgrid(x, x, indexing="ij")
    R = np.stack([X, P])
    Si = np.linalg.inv(S)
    logq = -0.5 * np.einsum("i...,ij,j...->...", R, Si, R) - np.log(
        2 * np.pi * np.sqrt(np.linalg.det(S)))
    Q = np.exp(logq)
    gq = np.stack(np.gradient(Q, h, h))
    live = Q > 1e-250

    def div(F):
        return np.gradient(F[0], h, axis=0) + np.gradient(F[1], h, axis=1)

    pi_d = phi_q = 0.0
    for rc, nc in zip(r, nb, strict=True):
        J = -rc * (R * Q + (nc + 1) * gq)
        dens = np.where(live, (J**2).sum(0), 0.0) / np.where(live, Q, 1.0)
        pi_c = np.sum(dens) / (rc * (nc + 1)) * h * h
        pi_d += pi_c
        phi_q += pi_c - np.sum(div(J) * logq) * h * h  # Phi = Pi - dS/dt
    # unitary part of the Husimi flow: -div(A_H x Q) - div(sym(A_H) grad Q) / 2
    M = (A_H + A_H.T) / 2
    U = -div(np.einsum("ij,j...->i...", A_H, R) * Q) - 0.5 * div(
        np.einsum("ij,j...->i...", M, gq))
    pi_u = -np.sum(U * logq) * h * h
    assert pi_d == pytest.approx(b.pi_d, rel=1e-4)
    assert phi_q == pytest.approx(b.phi_q, rel=1e-4)
    assert pi_u == pytest.approx(b.pi_u, rel=1e-3, abs=1e-5)


def test_channel_balance_refuses_bad_channels():
    A_H = gaussian.hamiltonian_drift(np.eye(2))
    with pytest.raises(ValueError):
        gaussian.channel_balance(A_H, [[0.0], [0.0]], 0.0)
    with pytest.raises(ValueError):
        gaussian.channel_balance(A_H, [[0.5], [0.1]], [1.0, 2.0, 3.0])
    with pytest.raises(UnstableDriftError):
        gaussian.channel_balance(gaussian.hamiltonian_drift(np.diag([1.0, -1.0])), [0.1], 0.0)


# ---------------------------------------------------------------------- the three models


@pytest.mark.parametrize("n_bath", [0.0, 0.7, 3.0])
def test_thermal_dissipator_keeps_the_mean_field(n_bath):
    """tr(a L[rho]) = -kappa tr(a rho) for any state: the drift of <a> has no n_b."""
    d, kappa = 14, 0.6
    a = qutip.destroy(d)
    c_ops = [np.sqrt(2 * kappa * (n_bath + 1)) * a, np.sqrt(2 * kappa * n_bath) * a.dag()]
    L = qutip.liouvillian(qutip.qzero(d), c_ops)
    rho = qutip.rand_dm(d, seed=3)
    rho = qutip.Qobj(np.diag(np.r_[np.ones(d - 3), 0, 0, 0]) @ rho.full()
                     @ np.diag(np.r_[np.ones(d - 3), 0, 0, 0]))
    rho = rho / rho.tr()
    drho = qutip.vector_to_operator(L * qutip.operator_to_vector(rho))
    assert (a * drho).tr() == pytest.approx(-kappa * (a * rho).tr(), abs=1e-12)


@pytest.mark.parametrize("eps", [0.3, 1.0, 1.6])
def test_kerr_branches_reduce_at_zero_temperature(eps):
    a, b = thermal.kerr_branches(eps, 0.0), kerr.linearized_branches(eps)
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        for k in ("pi_ext", "pi_u", "pi_d", "phi_q"):
            assert getattr(x, k) == pytest.approx(getattr(y, k), rel=1e-9, abs=1e-15)
    hot = thermal.kerr_branches(eps, 2.5)
    assert [h.alpha for h in hot] == [y.alpha for y in b]  # the mean field does not move
    for h in hot:
        assert abs(h.residual) < 1e-11 * h.phi_q
        assert h.pi_ext == pytest.approx(2 * kerr.PAPER.kappa * h.n / 3.5)


@pytest.mark.parametrize("x", [0.5, 0.99, 1.01, 2.0])
def test_dicke_balance_reduces_at_zero_temperature(x):
    lam = x * dicke.critical_coupling()
    a, b = thermal.dicke_balance(lam, 0.0), dicke.entropy_production(lam)
    for k in ("pi_ext", "pi_u", "pi_d", "phi_q"):
        assert getattr(a, k) == pytest.approx(getattr(b, k), rel=1e-9, abs=1e-13)
    hot = thermal.dicke_balance(lam, 1.5)
    assert hot.alpha == b.alpha
    assert abs(hot.residual) < 1e-9 * hot.phi_q


@pytest.mark.parametrize("x", [0.4, 0.99, 1.01, 3.0])
def test_twophoton_branches_reduce_at_zero_temperature(x):
    g = x * twophoton.critical_drive()
    a, b = thermal.twophoton_branches(g, 0.0), twophoton.linearized_branches(g)
    assert len(a) == len(b)
    for p, q in zip(a, b, strict=True):
        for k in ("pi_ext", "pi_u", "pi_d", "phi_q"):
            assert getattr(p, k) == pytest.approx(getattr(q, k), rel=1e-9, abs=1e-15)
    for h in thermal.twophoton_branches(g, 4.0):
        assert abs(h.residual) < 1e-11 * h.phi_q


def test_twophoton_symmetric_state_scales_with_the_bath():
    """Below G_c only the thermal channel acts, so its diffusion and s scale by 2n_b + 1."""
    g = 0.8 * twophoton.critical_drive()
    s0 = thermal.twophoton_branches(g, 0.0)[0].covariance
    for nb in (0.5, 4.0):
        s = thermal.twophoton_branches(g, nb)[0].covariance
        np.testing.assert_allclose(s, (2 * nb + 1) * s0, rtol=1e-12)


# ------------------------------------------------------------------ divergence at x -> 1


@pytest.mark.parametrize("side", [-1, 1])
@pytest.mark.parametrize("nb", [0.5, 4.0])
def test_twophoton_divergence_amplitude(side, nb):
    z = thermal.critical_divergence("twophoton", 0.0, side=side)
    h = thermal.critical_divergence("twophoton", nb, side=side)
    assert h["slope"] == pytest.approx(-1.0, abs=1e-3)
    assert h["ratio_exact"] == pytest.approx((2 * nb + 1) / (nb + 1), rel=1e-12)
    assert h["amplitude"] / z["amplitude"] == pytest.approx(h["ratio_exact"], rel=1e-7)
    assert h["slope_classical"] == pytest.approx(-1.0, abs=1e-3)
    # the classical amplitude is the limit n_b -> infinity of the quantum one: twice c(0)
    assert h["amplitude_classical"] == pytest.approx(2 * z["amplitude"], rel=1e-7)


def test_dicke_divergence_amplitude_is_not_the_one_channel_ratio():
    z = thermal.critical_divergence("dicke", 0.0)
    for nb in (0.5, 10.0):
        h = thermal.critical_divergence("dicke", nb)
        assert h["slope"] == pytest.approx(-1.0, abs=1e-3)
        assert h["amplitude"] / z["amplitude"] == pytest.approx(h["ratio_exact"], rel=1e-5)
    # the cold spin channel breaks (2n+1)/(n+1) by more than a percent at n_b = 10
    assert abs(h["ratio_exact"] / (21 / 11) - 1) > 0.01


# --------------------------------------------------------------------- classical limit


def test_classical_is_independent_of_the_occupation_and_pi_equals_phi():
    A_H = gaussian.hamiltonian_drift(np.array([[0.9, 0.35], [0.35, -0.1]]))
    vals = [thermal.classical_entropy_production(A_H, [0.55], n) for n in (0.3, 5.0, 2e3)]
    for v in vals:
        assert v["pi"] == pytest.approx(vals[0]["pi"], rel=1e-10)
        assert v["phi"] == pytest.approx(v["pi"], rel=1e-10)
        assert v["complete"]
    # the unitary part of the Husimi flow is an order-one diffusion: Pi_u ~ 1/n_b
    assert vals[1]["pi_u_leading"] * 5.0 == pytest.approx(vals[0]["pi_u_leading"] * 0.3)


def test_classical_against_grid_quadrature():
    A_H = gaussian.hamiltonian_drift(np.array([[0.9, 0.35], [0.35, -0.1]]))
    kappa, nb = 0.55, 2.0
    c = thermal.classical_entropy_production(A_H, [kappa], nb)
    sig = c["covariance"]
    L = 9 * np.sqrt(np.linalg.eigvalsh(sig).max())
    x = np.linspace(-L, L, 1201)
    h = x[1] - x[0]
    X, P = np.meshgrid(x, x, indexing="ij")
    R = np.stack([X, P])
    # the density from the stationary Fokker-Planck equation checked through its current
    si = np.linalg.inv(sig)
    Pd = np.exp(-0.5 * np.einsum("i...,ij,j...->...", R, si, R))
    Pd /= Pd.sum() * h * h
    grad = np.stack(np.gradient(Pd, h, h))
    J = -kappa * R * Pd - kappa * nb * grad
    live = Pd > 1e-250
    pi = np.sum(np.where(live, (J**2).sum(0), 0.0) / (kappa * nb * np.where(live, Pd, 1.0)))
    pi *= h * h
    assert pi == pytest.approx(c["pi"], rel=1e-4)


def test_classical_against_langevin_monte_carlo():
    """Euler-Maruyama of dx = (A_H - K)x dt + sqrt(2D) dW: the sampled covariance gives the
    heat flux over temperature, Phi_cl = kappa (tr sigma - 2 n)/n, equal to Pi_cl."""
    A_H = gaussian.hamiltonian_drift(np.array([[0.9, 0.35], [0.35, -0.1]]))
    kappa, nb = 0.55, 2.0
    c = thermal.classical_entropy_production(A_H, [kappa], nb)
    rng = np.random.default_rng(11)
    A = A_H - kappa * np.eye(2)
    dt, walkers, steps, burn = 0.01, 4000, 3000, 1000
    x = np.zeros((walkers, 2))
    acc = np.zeros((2, 2))
    for t in range(steps):
        x = x + dt * x @ A.T + np.sqrt(2 * kappa * nb * dt) * rng.normal(size=x.shape)
        if t >= burn:
            acc += x.T @ x / walkers
    sig = acc / (steps - burn)
    np.testing.assert_allclose(sig, c["covariance"], rtol=0.05, atol=0.05)
    phi = kappa * (np.trace(sig) - 2 * nb) / nb
    assert phi == pytest.approx(c["pi"], rel=0.1)


@pytest.mark.parametrize("name,xs", [("kerr", (0.6, 1.0, 1.4)), ("dicke", (0.5, 0.999, 2.0)),
                                     ("twophoton", (0.5, 0.999, 1.001, 2.0))])
def test_quantum_approaches_classical_as_one_over_n(name, xs):
    scan = thermal.transition_scan(name, xs, [100.0, 1000.0, 10000.0])
    d = scan["pi_d_thermal"] - scan["pi_cl"][None]
    ok = np.isfinite(d[0])
    assert ok.any()
    # O(1/n_b): each tenfold n_b divides the difference by about ten
    np.testing.assert_allclose(d[0][ok] / d[1][ok], 10.0, rtol=0.05)
    np.testing.assert_allclose(d[1][ok] / d[2][ok], 10.0, rtol=0.01)
    # and Pi_u -> 0 as pi_u_leading / n_b
    lead = scan["pi_u_leading"][ok]
    np.testing.assert_allclose(1e4 * scan["pi_u"][2][ok], lead, rtol=2e-3, atol=1e-9)


def test_cold_channels_grow_with_the_bath():
    """The zero-temperature channels (spin, two-photon) are frictions without classical
    noise: their quantum Pi_d grows in proportion to n_b."""
    lam = 0.5 * dicke.critical_coupling()
    b1, b2 = thermal.dicke_balance(lam, 1e3), thermal.dicke_balance(lam, 1e4)
    assert b2.pi_d_b / b1.pi_d_b == pytest.approx(10.0, rel=1e-3)
    # two-photon: Pi_d of the cold channel / n_b -> r tr(sigma), sigma classical at n = 1
    g = 2 * twophoton.critical_drive()
    t = thermal.twophoton_branches(g, 1e4)[0]
    A_H = gaussian.hamiltonian_drift(twophoton.fluctuation_matrix(t.beta, g))
    r = t.rates
    sigma = thermal.classical_entropy_production(A_H, r, [[1.0], [0.0]])["covariance"]
    assert t.pi_d_two_photon / 1e4 == pytest.approx(r[1, 0] * np.trace(sigma), rel=1e-3)


def test_kerr_jump_of_pi_u_falls_as_one_over_n():
    ec = kerr.critical_drive()
    scan = thermal.transition_scan("kerr", [1.0], [0.0, 100.0, 1000.0])
    jump = scan["pi_u"][:, 0, 1] - scan["pi_u"][:, 0, 0]
    lead = scan["pi_u_leading"][0, 1] - scan["pi_u_leading"][0, 0]
    assert abs(jump[0]) > 0.05
    assert 1000 * jump[2] == pytest.approx(lead, rel=2e-3)
    assert 100 * jump[1] == pytest.approx(lead, rel=2e-2)
    assert scan["x_c"] == ec


# --------------------------------------------------------------- finite N, the exact state


@pytest.mark.parametrize("N,eps", [(2, 1.3), (5, 0.9), (8, 0.5)])
def test_kerr_state_balance_at_zero_temperature(N, eps):
    b = thermal.kerr_state_balance(N, eps, 0.0)
    k = kerr.entropy_production(N, eps)
    for key in ("pi_ext", "pi_u", "pi_d", "phi_q"):
        assert getattr(b, key) == pytest.approx(getattr(k, key), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("N,eps", [(3, 0.9), (6, 1.3), (10, 0.9)])
@pytest.mark.parametrize("nb", [0.1, 1.0])
def test_kerr_state_balance_eq10(N, eps, nb):
    b = thermal.kerr_state_balance(N, eps, nb)
    assert b.relative_residual < 1e-8
    assert b.normalization == pytest.approx(1.0, abs=1e-10)


@pytest.mark.parametrize("eps", [0.5, 1.3])
@pytest.mark.slow
def test_kerr_state_balance_approaches_the_branch(eps):
    """Monostable drives: the finite-N terms approach the N -> infinity branch as N grows."""
    nb = 1.0
    (g,) = thermal.kerr_branches(eps, nb)
    err = [abs(thermal.kerr_state_balance(N, eps, nb).pi_d - g.pi_d) for N in (3, 6, 12)]
    assert err[0] > err[1] > err[2]
    assert err[2] < 0.25 * err[0]


@pytest.mark.parametrize("N,g", [(2, 0.3), (4, 0.8), (8, 0.45)])
def test_twophoton_state_balance_at_zero_temperature_and_eq10(N, g):
    b = thermal.twophoton_state_balance(N, g, 0.0)
    e = twophoton.entropy_production(N, g)
    for key in ("pi_ext", "pi_u", "pi_d", "phi_q"):
        assert getattr(b, key) == pytest.approx(getattr(e, key), rel=1e-9, abs=1e-11)
    for nb in (0.1, 1.0):
        assert thermal.twophoton_state_balance(N, g, nb).relative_residual < 1e-8


@pytest.mark.parametrize("nb", [0.0, 1.0])
def test_twophoton_state_balance_approaches_the_symmetric_branch(nb):
    """Below G_c the finite-N terms move towards the N -> infinity Gaussian as N grows."""
    (g,) = thermal.twophoton_branches(0.3, nb)
    bs = [thermal.twophoton_state_balance(N, 0.3, nb) for N in (8, 16, 32)]
    for key in ("pi_d", "phi_q"):
        err = [abs(getattr(b, key) - getattr(g, key)) for b in bs]
        assert err[0] > err[1] > err[2]
