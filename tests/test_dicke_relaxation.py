"""Tests of the relaxation of the Dicke model: the Gaussian soft mode and the finite-N gap.

The slowest rate of the Gaussian drift (C25) is checked against first-order perturbation
theory at lambda_c(gamma), against the mean-field Jacobian at gamma = 0 and against the
closed-form soft mode of adiabatic elimination. The finite-N gap is checked against a
Liouvillian built here by hand with numpy (Kronecker products, no parity sectors), against
the Gaussian drift eigenvalue at large N, and for convergence in the cavity cutoff.
"""

from __future__ import annotations

import numpy as np
import pytest

from epcore import dicke
from epcore.dicke import finite_n
from epcore.errors import CutoffError
from epcore.plots.dynamics import DICKE_GAP_MODEL

PAR = dicke.PAPER
LC = dicke.critical_coupling()
LCG = dicke.critical_coupling(shifted=True)
GAMMA_C = 2 * PAR.kappa * PAR.omega0**2 / (PAR.kappa**2 + PAR.omega**2)  # Gamma at lambda_c


# ------------------------------------------------------------------ the Gaussian soft mode


def _zero_mode_derivative(model) -> float:
    """d s / d lam of the eigenvalue of the normal drift that crosses 0 at lambda_c(gamma).

    First-order perturbation theory, (l^T dA r)/(l^T r), with the left and right null vectors
    of A at lambda_c(gamma) and dA/dlam = -2 at (p_b, q_a) and (p_a, q_b) (Eq. C25).
    """
    lcg = dicke.critical_coupling(model=model, shifted=True)
    A = dicke.drift_matrix(lcg, model=model, branch="normal")
    w, vr = np.linalg.eig(A)
    wl, vl = np.linalg.eig(A.T)
    r = vr[:, np.argmin(abs(w))]
    left = vl[:, np.argmin(abs(wl))]
    dA = np.zeros((4, 4))
    dA[1, 2] = dA[3, 0] = -2.0
    return float((left @ dA @ r / (left @ r)).real)


def test_normal_drift_determinant_closed_form():
    # det A = 4 omega omega0 (lambda_c(gamma)^2 - lambda^2): the zero of lambda_c(gamma)
    for lam in (0.3 * LC, LC, LCG, 1.1 * LCG):
        A = dicke.drift_matrix(lam, branch="normal")
        expected = 4 * PAR.omega * PAR.omega0 * (LCG**2 - lam**2)
        assert np.linalg.det(A) == pytest.approx(expected, rel=1e-9, abs=1e-16)


def test_slowest_rate_closes_linearly_at_shifted_critical_point():
    x = np.array([1e-4, 1e-5, 1e-6])
    rate = dicke.slowest_rate(LCG * (1 - x), branch="normal")
    per_distance = rate / x
    # constant to a few per cent over two decades ...
    assert per_distance.max() / per_distance.min() - 1 < 0.01
    # ... and equal to -lambda_c(gamma) ds/dlam from perturbation theory at lambda_c(gamma)
    slope = LCG * _zero_mode_derivative(PAR)  # rate = -s = (ds/dlam) lambda_c(gamma) x
    assert per_distance[-1] == pytest.approx(slope, rel=1e-4)
    assert per_distance[0] == pytest.approx(slope, rel=2e-2)
    # and with the closed form of the adiabatic soft mode, eps / (2 gamma + Gamma)
    adiabatic = -dicke.soft_mode_rates(LCG * (1 - x))[:, 0].real / x
    np.testing.assert_allclose(adiabatic, per_distance, rtol=1e-3)


def test_paper_construction_never_closes_at_gamma_1e3():
    # switching to the superradiant branch at lambda_c keeps the rate near gamma + Gamma/2
    x = np.logspace(-9, np.log10(0.5), 60)
    for side in (-1, 1):
        rate = dicke.slowest_rate(LC * (1 + side * x))
        assert rate.min() > 0.79e-3 and rate.max() < 1.04e-3


def test_zero_gamma_rate_is_the_mean_field_damping():
    # independent route: the Jacobian of the mean-field flow (C3)-(C4) knows nothing of gamma
    x = np.logspace(-9, -0.5, 15)
    lam = LC * (1 - x)
    drift = -dicke.drift_spectrum(lam, zero_gamma=True)[:, 0].real
    np.testing.assert_allclose(drift, -dicke.normal_phase_growth_rate(lam), rtol=1e-4)


def test_zero_gamma_rate_flat_then_linear():
    x_star = dicke.overdamping_distance(zero_gamma=True)
    assert x_star == pytest.approx(GAMMA_C**2 / (8 * PAR.omega0**2), rel=1e-3)
    far = -dicke.drift_spectrum(LC * (1 - np.array([1e-3, 1e-4])), zero_gamma=True)[:, 0].real
    np.testing.assert_allclose(far, GAMMA_C / 2, rtol=3e-3)
    x = np.array([1e-8, 1e-9])
    near = -dicke.drift_spectrum(LC * (1 - x), zero_gamma=True)[:, 0].real
    np.testing.assert_allclose(near / x, 2 * PAR.omega0**2 / GAMMA_C, rtol=1e-3)


@pytest.mark.parametrize("zero_gamma", [True, False])
def test_overdamping_crossover_matches_exact_drift(zero_gamma):
    # the slow pair of the exact drift turns real within a few per cent of x_*
    model = PAR
    x_star = dicke.overdamping_distance(model=model, zero_gamma=zero_gamma)
    lcg = LC if zero_gamma else LCG
    x = np.logspace(np.log10(x_star) - 0.3, np.log10(x_star) + 0.3, 601)
    ev = dicke.drift_spectrum(lcg * (1 - x), model=model, zero_gamma=zero_gamma)
    complex_pair = np.abs(ev[:, 0].imag) > 0
    x_exact = x[np.argmax(complex_pair)]
    assert not complex_pair[0] and complex_pair[-1]
    assert x_exact == pytest.approx(x_star, rel=0.05)


@pytest.mark.parametrize("side,branch,zero_gamma", [
    (-1, "normal", True), (1, "mean_field", True), (-1, "normal", False),
])
def test_natural_frequency_vanishes_as_square_root(side, branch, zero_gamma):
    x = np.logspace(-8, -4, 9)
    lcg = LC if zero_gamma else LCG
    w = dicke.natural_frequency(lcg * (1 + side * x), branch=branch, zero_gamma=zero_gamma)
    exponent = np.polyfit(np.log(x), np.log(w), 1)[0]
    assert exponent == pytest.approx(0.5, abs=2e-3)


# ------------------------------------------------------------------------ the finite-N gap


def _hand_liouvillian(N, lam, model, K):
    """Lindblad generator by hand: column stacking, vec(X rho Y) = (Y^T kron X) vec(rho)."""
    m = np.arange(N + 1)  # J_z = m - N/2
    jm = np.zeros((N + 1, N + 1))
    for k in range(1, N + 1):
        j, mz = N / 2, k - 1 - N / 2  # <j, mz| J_- |j, mz + 1>
        jm[k - 1, k] = np.sqrt(j * (j + 1) - (mz + 1) * mz)
    a1 = np.diag(np.sqrt(np.arange(1, K)), 1)
    Is, Ic = np.eye(N + 1), np.eye(K)
    Jm = np.kron(jm, Ic)
    a = np.kron(Is, a1)
    Jz = np.kron(np.diag(m - N / 2), Ic)
    Jx = (Jm + Jm.T) / 2
    H = model.omega0 * Jz + model.omega * a.T @ a + 2 * lam / np.sqrt(N) * (a + a.T) @ Jx
    one = np.eye(H.shape[0])

    def dissipator(c):
        cdc = c.conj().T @ c
        return np.kron(c.conj(), c) - 0.5 * np.kron(one, cdc) - 0.5 * np.kron(cdc.T, one)

    return (-1j * (np.kron(one, H) - np.kron(H.T, one)) + 2 * model.kappa * dissipator(a)
            + (2 * model.gamma / N) * dissipator(Jm))


@pytest.mark.parametrize("model,ratio", [(DICKE_GAP_MODEL, 1.5), (PAR, 0.5), (PAR, 1.0)])
def test_finite_n_gap_against_hand_built_liouvillian(model, ratio):
    N, K = 3, 4
    lam = ratio * dicke.critical_coupling(model=model, shifted=True)
    ev = np.linalg.eigvals(_hand_liouvillian(N, lam, model, K))
    rates = np.sort(-ev.real)
    assert abs(rates[0]) < 1e-10  # the steady state
    gap, value, sector, slow = finite_n._gap_at(N, lam, model, K)
    assert gap == pytest.approx(rates[1], rel=1e-8)
    assert np.min(np.abs(ev - value)) < 1e-9
    # QuTiP's sparse Liouvillian is the same matrix
    L = dicke.finite_n_liouvillian(N, lam, model=model, n_cavity=K).toarray()
    np.testing.assert_allclose(L, _hand_liouvillian(N, lam, model, K), atol=1e-12)


@pytest.mark.slow
def test_finite_n_gap_is_converged_in_the_cutoff():
    lam = 1.5 * dicke.critical_coupling(model=DICKE_GAP_MODEL, shifted=True)
    res = dicke.finite_n_gap(4, lam, model=DICKE_GAP_MODEL, rtol=1e-3)
    assert res.change < 1e-3 and res.n_spin == 5
    bigger = finite_n._gap_at(4, lam, DICKE_GAP_MODEL, res.n_cavity + 4)[0]
    assert res.gap == pytest.approx(bigger, rel=2e-3)
    # above lambda_c(gamma) the slowest mode is the switching between +alpha and -alpha: odd
    assert res.sector == "odd" and res.gap_even > 3 * res.gap_odd


def test_finite_n_gap_tends_to_gaussian_drift_eigenvalue():
    # in the normal phase the slowest Liouvillian eigenvalue tends to that of the drift (C25)
    model = DICKE_GAP_MODEL
    lam = 0.3 * dicke.critical_coupling(model=model, shifted=True)
    s = dicke.drift_spectrum(lam, model=model)[0, 0]
    dev = []
    for N in (2, 4, 8):
        value = dicke.finite_n_gap(N, lam, model=model).eigenvalue
        dev.append(min(abs(value - s), abs(value - s.conjugate())))
    assert dev[1] < 0.7 * dev[0] and dev[2] < 0.7 * dev[1]  # about 1/N
    assert dev[2] < 0.02 * abs(s)


def test_finite_n_gap_refuses_what_it_cannot_converge():
    with pytest.raises(CutoffError):
        dicke.finite_n_gap(60, LC)
    with pytest.raises(ValueError):
        dicke.finite_n_gap(3, LC, rtol=2.0)
    with pytest.raises(ValueError):
        dicke.finite_n_gap(0, LC)
