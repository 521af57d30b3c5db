"""Tests of the Gaussianized driven-dissipative Dicke model (Sec. V, App. C of the paper).

Each check compares against an exact result or an independent route: the mean-field instability,
the linearized mean-field dynamics, a two-mode Fock-basis steady state (QuTiP), a single-mode
Fock-basis phase-space computation (epcore.phasespace), and a direct 4-D quadrature of Eq. (8).
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
import qutip
import scipy.optimize

from epcore import dicke, gaussian, phasespace, sweep
from epcore.dicke import fluctuations
from epcore.errors import ValidityError
from epcore.models import DickeModel

LC = dicke.critical_coupling()
PAR = dicke.PAPER


def at(gamma: float) -> DickeModel:
    """The paper's model with another stabilizing loss gamma (Eq. C20)."""
    return PAR.replace(gamma=gamma)


# ---------------------------------------------------------------------------------------------
# critical coupling and mean field
# ---------------------------------------------------------------------------------------------


def _normal_jacobian_growth(lam: float, model: DickeModel = PAR) -> float:
    """Largest Re eigenvalue of the mean-field flow (C3)-(C4) linearized at alpha = beta = 0."""
    y0 = np.array([0.0, 0.0, 0.0, 0.0, -0.5])
    J = dicke.mean_field_jacobian(0.0, y0, lam, model=model)
    # w decouples at the normal point (its row vanishes): keep (alpha, beta)
    return float(np.linalg.eigvals(J[:4, :4]).real.max())


@pytest.mark.parametrize(
    "model", [PAR, DickeModel(omega0=0.3, omega=1.2, kappa=0.7),
              DickeModel(omega0=2.0, omega=0.5, kappa=3.0)]
)
def test_critical_coupling_is_mean_field_instability(model):
    lc = dicke.critical_coupling(model=model)
    root = scipy.optimize.brentq(
        lambda x: _normal_jacobian_growth(x, model), 0.5 * lc, 1.5 * lc, xtol=1e-15, rtol=1e-15
    )
    assert abs(root - lc) / lc < 1e-10
    assert _normal_jacobian_growth(0.99 * lc, model) < 0 < _normal_jacobian_growth(1.01 * lc, model)


def test_mean_field_jacobian_is_exact():
    rng = np.random.default_rng(1)
    y = rng.normal(size=5)
    J = dicke.mean_field_jacobian(0.0, y, 0.4)
    h = 1e-4
    fd = np.column_stack([
        (dicke.mean_field_rhs(0, y + h * e, 0.4) - dicke.mean_field_rhs(0, y - h * e, 0.4))
        / (2 * h)
        for e in np.eye(5)
    ])
    np.testing.assert_allclose(J, fd, atol=1e-10)  # central differences are exact on quadratics


@pytest.mark.parametrize("ratio", [0.3, 0.9, 1.0, 1.001, 1.3, 3.0])
def test_mean_field_steady_states(ratio):
    mf = dicke.mean_field(ratio * LC)
    y = np.array([mf.alpha.real, mf.alpha.imag, mf.beta, 0.0, mf.w])
    np.testing.assert_allclose(dicke.mean_field_rhs(0, y, ratio * LC), 0, atol=1e-15)
    assert mf.w**2 + mf.beta**2 == pytest.approx(0.25, abs=1e-15)
    # Holstein-Primakoff amplitudes (C12), (C13): tb_- tb_+ = beta, J_z = N (tb_-^2 - 1/2) = N w
    assert mf.beta_tilde * mf.beta_tilde_plus == pytest.approx(mf.beta, abs=1e-15)
    assert mf.beta_tilde**2 - 0.5 == pytest.approx(mf.w, abs=1e-15)
    assert mf.superradiant == (ratio > 1)
    if ratio > 1:
        assert mf.beta > 0 and abs(mf.alpha) > 0
        # the superradiant point is stable up to the conserved direction; the normal one is not
        ev = np.linalg.eigvals(dicke.mean_field_jacobian(0, y, ratio * LC)).real
        assert np.sort(ev)[-1] == pytest.approx(0, abs=1e-12) and np.sort(ev)[-2] < 0
        assert _normal_jacobian_growth(ratio * LC) > 0


@pytest.mark.parametrize("ratio", [0.8, 1.5])
def test_mean_field_relaxes_to_steady_state(ratio):
    t, y = dicke.relax_mean_field(ratio * LC, 4e5, n_t=50)
    mf = dicke.mean_field(ratio * LC)
    target = np.array([mf.alpha.real, mf.alpha.imag, mf.beta, 0.0, mf.w])
    start = np.abs(y[:, 0] - target).max()
    assert np.abs(y[:, -1] - target).max() < 1e-2 * start


# ---------------------------------------------------------------------------------------------
# Gaussianization: quadratic Hamiltonian and drift
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ratio", [0.5, 1.2, 2.5])
def test_drift_is_c25(ratio):
    o, lt, z = dicke.quadratic_coefficients(ratio * LC)
    g, k, w = 1e-3, PAR.kappa, PAR.omega
    c25 = np.array([
        [-g, o, 0, 0],
        [4 * z - o, -g, -2 * lt, 0],
        [0, 0, -k, w],
        [-2 * lt, 0, -w, -k],
    ])
    np.testing.assert_allclose(dicke.drift_matrix(ratio * LC, model=at(g)), c25, atol=1e-15)
    batched = fluctuations.drift_arrays(np.array([ratio * LC]), model=PAR)[0]
    np.testing.assert_allclose(batched - np.diag([g, g, k, k]), c25, atol=1e-15)


@pytest.mark.parametrize("ratio", [0.4, 0.95, 1.05, 1.7, 4.0])
def test_fluctuation_drift_equals_linearized_mean_field(ratio):
    """Eqs. (C16)-(C19) + (C25) at gamma = 0 reproduce the linearization of Eqs. (C3)-(C5).

    Eigenvalues do not depend on coordinates, so the 4 eigenvalues of the Holstein-Primakoff
    drift must be those of the mean-field Jacobian at the fixed point, plus the zero mode of the
    conserved w^2 + |beta|^2.
    """
    lam = ratio * LC
    mf = dicke.mean_field(lam)
    y = np.array([mf.alpha.real, mf.alpha.imag, mf.beta, 0.0, mf.w])
    ev_mf = np.linalg.eigvals(dicke.mean_field_jacobian(0, y, lam))
    ev_mf = np.delete(ev_mf, np.argmin(np.abs(ev_mf)))
    A0 = dicke.hamiltonian_drift(lam) - np.diag([0.0, 0.0, 1.0, 1.0])
    ev_hp = np.linalg.eigvals(A0)
    key = lambda e: (round(e.real, 9), e.imag)  # noqa: E731
    np.testing.assert_allclose(sorted(ev_hp, key=key), sorted(ev_mf, key=key), atol=1e-10)


@pytest.mark.parametrize("ratio", [0.5, 1.3, 2.0])
def test_covariance_matches_fock_steady_state(ratio):
    """Lyapunov covariance (C24) against the Fock-basis steady state of H (C16) + losses (C20)."""
    gamma = 0.5  # 8 Fock states per mode: truncation error < 1e-4 here
    sig = dicke.fock_covariance(ratio * LC, model=at(gamma), n_fock=8)
    s = dicke.steady_covariance(ratio * LC, model=at(gamma))
    np.testing.assert_allclose(s, sig, atol=3e-4)
    assert np.abs(s[0, 3]) > 0.1  # the coupling q_b-p_a is exercised


def test_fock_covariance_refuses_a_small_cutoff():
    with pytest.raises(ValueError, match="n_fock"):
        dicke.fock_covariance(0.9 * LC, model=at(1e-2), n_fock=4)


def test_single_mode_squeezing_against_fock_phase_space():
    """Gaussian closed forms against epcore.phasespace on a Fock-basis steady state.

    H = omega0~ b^dag b - zeta (b + b^dag)^2 is the spin part of Eq. (C16); alone it is a
    single-mode squeezing Hamiltonian, here with loss 2 gamma D[b].
    """
    o, zeta, gamma, n = 1.0, 0.15, 0.6, 40
    b = qutip.destroy(n)
    H = o * b.dag() * b - zeta * (b + b.dag()) ** 2
    rho = qutip.steadystate(H, [np.sqrt(2 * gamma) * b])
    ref = phasespace.entropy_balance(rho, H, gamma)
    G = np.array([[o - 4 * zeta, 0.0], [0.0, o]])  # H = R^T G R / 2 up to a constant (Eq. C22)
    bal = gaussian.gaussian_balance(gaussian.hamiltonian_drift(G), [gamma])
    assert bal.pi_u == pytest.approx(ref.pi_u, rel=1e-6)
    assert bal.pi_d == pytest.approx(ref.pi_d, rel=1e-6)
    assert bal.phi_q == pytest.approx(ref.phi_q, rel=1e-6)
    assert bal.pi_u > 1e-3  # the unitary squeezing term is really exercised


# ---------------------------------------------------------------------------------------------
# Eq. (8) on the Gaussian Husimi function (C26)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ratio", [0.5, 0.99, 1.01, 1.6])
def test_gaussian_terms_match_direct_quadrature_of_eq8(ratio):
    gamma = 1e-3
    bal = dicke.entropy_production(ratio * LC, model=at(gamma))
    num = dicke.quadrature_terms(ratio * LC, model=at(gamma))
    assert num["norm"] == pytest.approx(1.0, abs=1e-10)  # Eq. (C26) needs 1/pi^2
    assert num["wehrl"] == pytest.approx(bal.wehrl, rel=1e-9)
    assert num["pi_u"] == pytest.approx(bal.pi_u, rel=1e-5)
    assert num["pi_d"] == pytest.approx(bal.pi_d, rel=1e-5)
    assert num["phi_q"] == pytest.approx(bal.phi_q, rel=1e-9)


def test_marginal_husimi_functions_are_normalized():
    """One-mode marginals of Eq. (C26) carry 1/pi each, so the two-mode Q carries 1/pi^2."""
    S = dicke.entropy_production(1.3 * LC).husimi_cov
    for mode, i in (("b", 0), ("a", 2)):
        xm, ym = 8 * np.sqrt(S[i, i]), 8 * np.sqrt(S[i + 1, i + 1])  # 8 standard deviations
        x, y = np.linspace(-xm, xm, 1201), np.linspace(-ym, ym, 1201)
        X, Y = np.meshgrid(x, y, indexing="ij")
        dmu = (x[1] - x[0]) * (y[1] - y[0]) / 2  # d^2mu = dx dy / 2
        assert np.sum(dicke.husimi_marginal(X, Y, S, mode)) * dmu == pytest.approx(1, abs=1e-9)


# ---------------------------------------------------------------------------------------------
# entropy balance along lambda
# ---------------------------------------------------------------------------------------------


def test_external_terms_per_unit_n():
    for ratio in (0.7, 1.4):
        bal = dicke.entropy_production(ratio * LC)
        mf = dicke.mean_field(ratio * LC)
        # |alpha|^2 = 4 lam^2 beta^2 / (kappa^2 + omega^2) from Eq. (C6)
        expect = 2 * 4 * (ratio * LC) ** 2 * mf.beta**2 / (1 + 0.01**2)
        assert bal.pi_ext == pytest.approx(expect, rel=1e-13, abs=1e-300)
        assert bal.pi_ext == bal.phi_ext
        assert bal.pi_d == pytest.approx(bal.pi_d_a + bal.pi_d_b, rel=1e-14)
        assert bal.phi_q == pytest.approx(2 * bal.photons_a + 2e-3 * bal.photons_b, rel=1e-13)


@pytest.mark.parametrize("gamma", [1e-2, 1e-3, 1e-5, 1e-7])
def test_sweep_residual_and_agreement_with_scalar_path(gamma):
    d = np.logspace(-10, 0.3, 400) * LC
    small = np.logspace(-8, -2, 50)  # near the vacuum: phi_q ~ lam^2
    lams = np.concatenate([np.linspace(0, 3 * LC, 1000), small, LC - d[d < LC], LC + d, [LC]])
    sw = dicke.entropy_production_batch(lams, model=at(gamma))
    assert sw.relative_residual.max() < 1e-10  # Eq. (10)
    assert np.all(sw.pi_d[lams > 0] > 0) and np.all(sw.pi_u >= -1e-15)
    for i in np.linspace(0, len(lams) - 1, 9).astype(int):
        bal = dicke.entropy_production(lams[i], model=at(gamma))
        assert bal.cond == pytest.approx(sw.cond[i], rel=0.05)
        tol = max(1e-9, 1e-16 * bal.cond)  # both solvers lose digits as cond(S) grows
        for name in ("pi_ext", "pi_d", "phi_q", "pi_d_a", "pi_d_b"):
            assert getattr(sw, name)[i] == pytest.approx(getattr(bal, name), rel=tol, abs=1e-14)
        assert abs(sw.pi_u[i] - bal.pi_u) < 1e-12 + 1e-15 * bal.cond


def _reference_terms(lam: float, gamma: float) -> tuple[float, float]:
    """(Pi_u, Pi_d) with the Lyapunov equation and S^-1 computed in 40-digit arithmetic."""
    mp.mp.dps = 40
    A = mp.matrix(dicke.drift_matrix(lam, model=at(gamma)).tolist())
    M = mp.matrix(16, 16)
    for i, j, k, m in np.ndindex(4, 4, 4, 4):
        M[4 * i + j, 4 * k + m] = A[i, k] * (j == m) + (i == k) * A[j, m]
    rhs = mp.matrix([-x for x in np.diag([gamma, gamma, 1.0, 1.0]).reshape(16)])
    sol = mp.lu_solve(M, rhs)
    S = mp.matrix(4, 4)
    for i, j in np.ndindex(4, 4):
        S[i, j] = (sol[4 * i + j] + sol[4 * j + i]) / 2 + (mp.mpf(1) / 2 if i == j else 0)
    Si = S**-1
    A_H = mp.matrix(dicke.hamiltonian_drift(lam).tolist())
    pi_u = -sum(A_H[i, j] * Si[j, i] for i, j in np.ndindex(4, 4)) / 2
    kap = (gamma, gamma, 1.0, 1.0)
    pi_d = sum(kap[i] * (S[i, i] - 2 + Si[i, i]) for i in range(4))
    return float(pi_u), float(pi_d)


@pytest.mark.parametrize("gamma, dist", [(1e-3, 0.0), (1e-5, 1e-6), (1e-7, 1e-8), (1e-7, 0.0)])
def test_sweep_against_high_precision_reference(gamma, dist):
    """Round-off near lambda_c at small gamma: Pi_d keeps 8 digits, Pi_u within pi_u_error."""
    lam = LC * (1 + dist)
    sw = dicke.entropy_production_batch([lam], model=at(gamma))
    pi_u, pi_d = _reference_terms(lam, gamma)
    assert sw.pi_d[0] == pytest.approx(pi_d, rel=1e-7)
    assert abs(sw.pi_u[0] - pi_u) < sw.pi_u_error[0]


def test_pi_u_continuous_with_kink_at_lambda_c():
    """Fig. 3(a)-(b): Pi_u continuous at lambda_c, one-sided derivatives different."""
    for gamma in (1e-3, 1e-4):
        hs = LC * np.array([1e-3, 1e-4, 1e-5])
        left, right, jumps = [], [], []
        p0 = dicke.entropy_production(LC, model=at(gamma)).pi_u
        for h in hs:
            pm, pp = dicke.entropy_production_batch([LC - h, LC + h], model=at(gamma)).pi_u
            left.append((p0 - pm) / h)
            right.append((pp - p0) / h)
            jumps.append(abs(pp - pm))
        # values: the jump across lambda_c shrinks linearly with h (continuity)
        assert jumps[2] < 0.02 * jumps[0]
        # derivatives: one-sided slopes converge to different limits
        assert abs(left[2] - left[1]) < 1e-3 * abs(left[2])
        assert abs(right[2] - right[1]) < 1e-3 * abs(right[2])
        assert abs(right[2] - left[2]) > 0.1 * max(abs(left[2]), abs(right[2]))


def _slopes(gamma: float, side: int):
    d = np.logspace(-10, -0.5, 500) * LC
    sw = dicke.entropy_production_batch(LC + side * d, model=at(gamma))
    return d / LC, dicke.local_slope(d, sw.pi_d), sw.pi_d


def test_no_slope_minus_one_window_at_paper_gamma():
    """Measured from lambda_c, at gamma = 1e-3 the local slope only passes through -1 and goes
    to 0 at lambda_c, where Pi_d is finite: lambda_c is not the critical point of the
    regularized model (chapter 5, "Where the divergence lives", against the paper's Fig. 3)."""
    for side in (-1, 1):
        d, slope, _ = _slopes(1e-3, side)
        assert abs(slope[0]) < 1e-3  # saturation: Pi_d finite at lambda_c
        win = dicke.slope_window(d, slope)
        assert win is None or np.log10(win[1] / win[0]) < 0.5


def test_slope_minus_one_window_opens_as_gamma_decreases():
    for side in (-1, 1):
        widths = []
        for gamma in (1e-4, 1e-5, 1e-6, 1e-7):
            d, slope, _ = _slopes(gamma, side)
            win = dicke.slope_window(d, slope)
            widths.append(0.0 if win is None else np.log10(win[1] / win[0]))
        assert np.all(np.diff(widths) > 0.5)
        assert widths[-1] > 5  # decades


def test_fit_fixed_slope_recovers_power_law():
    d = np.logspace(-6, -1, 50)
    v = 3.0 / d
    assert dicke.fit_fixed_slope(d, v, (1e-5, 1e-2)) == pytest.approx(np.log10(3.0), rel=1e-12)
    np.testing.assert_allclose(dicke.local_slope(d, v), -1, atol=1e-12)
    assert dicke.slope_window(d, np.full(50, -0.5)) is None


# ---------------------------------------------------------------------------------------------
# the loss gamma shifts the critical point; Eq. (13) holds measured from the shifted point
# ---------------------------------------------------------------------------------------------


def _normal_drift_growth(lam: float, model: DickeModel) -> float:
    """Largest Re eigenvalue of the normal-phase drift (C25) with the loss gamma (Eq. C20)."""
    A = dicke.drift_matrix(lam, model=model, branch="normal")
    return float(np.linalg.eigvals(A).real.max())


@pytest.mark.parametrize(
    "model",
    [at(1e-2), at(1e-3), at(1e-4), at(1e-5),
     DickeModel(omega0=0.3, omega=1.2, kappa=0.7, gamma=0.1),
     DickeModel(omega0=2.0, omega=0.5, kappa=3.0, gamma=1.5)],
)
def test_shifted_critical_coupling_is_the_drift_instability(model):
    """lambda_c(gamma) = lambda_c sqrt(1 + gamma^2/omega0^2) is where the normal-phase drift
    with the loss gamma becomes unstable (its largest real eigenvalue crosses zero)."""
    lc = dicke.critical_coupling(model=model)
    lcg = dicke.critical_coupling(model=model, shifted=True)
    assert lcg / lc == pytest.approx(np.sqrt(1 + (model.gamma / model.omega0) ** 2), rel=1e-14)
    root = scipy.optimize.brentq(
        lambda x: _normal_drift_growth(x, model), lc, 3 * lcg, xtol=1e-15, rtol=1e-15
    )
    assert abs(root - lcg) / lcg < 1e-9
    # between lambda_c and lambda_c(gamma) the normal drift is still stable
    assert _normal_drift_growth(0.5 * (lc + lcg), model) < 0
    assert _normal_drift_growth(lcg * (1 + 1e-6), model) > 0


def test_shifted_critical_coupling_values():
    """At the paper's parameters gamma/omega0 = 0.2: lambda_c(gamma)/lambda_c = sqrt(1.04)."""
    assert dicke.critical_coupling(model=PAR, shifted=True) / LC == pytest.approx(
        np.sqrt(1.04), rel=1e-14
    )
    assert dicke.critical_coupling(model=at(1e-3)) == LC  # the default keeps Eq. (C8)'s value


@pytest.mark.parametrize("gamma", [1e-3, 1e-4, 1e-5, 1e-6, 1e-7])
def test_pi_d_diverges_with_slope_minus_one_at_the_shifted_point(gamma):
    """On the normal branch Pi_d ~ 1/(lambda_c(gamma) - lambda) at every gamma (Eq. 13)."""
    model = at(gamma)
    lcg = dicke.critical_coupling(model=model, shifted=True)
    dist = lcg * np.logspace(-9, -6, 13)
    sw = dicke.entropy_production_batch(lcg - dist, model=model, branch="normal")
    slope = np.polyfit(np.log(dist), np.log(sw.pi_d), 1)[0]
    assert abs(slope + 1) < 1e-2
    # the amplitude Pi_d (lambda_c(gamma) - lambda) converges
    amp = sw.pi_d * dist
    assert abs(amp[0] / amp[-1] - 1) < 1e-3
    assert np.all(sw.relative_residual < 1e-8)  # Eq. (10) on the normal branch
    prof = dicke.shifted_divergence(model=model)
    assert prof["lambda_c_shifted"] == lcg
    assert abs(prof["fitted_slope"] + 1) < 1e-2
    assert prof["window"][0] == prof["rel_distance"][0]  # slope -1 down to the closest point


def test_shifted_amplitude_tends_to_the_adiabatic_one():
    """As gamma -> 0 the amplitude tends to kappa lambda_c^3 / (2 omega omega0)."""
    pref = PAR.kappa * LC**3 / (2 * PAR.omega * PAR.omega0)
    amp = [dicke.shifted_divergence(model=at(g), rel_max=1e-4, n=20)["amplitude"][0]
           for g in (1e-5, 1e-6, 1e-7)]
    assert np.all(np.diff(amp) > 0) and amp[-1] == pytest.approx(pref, rel=1e-2)


@pytest.mark.parametrize("gamma", [1e-4, 1e-5, 1e-6, 1e-7])
def test_local_slope_from_lambda_c_is_the_shift(gamma):
    """Measured from lambda_c, the local slope of Pi_d is that of C/(delta + x) below and of
    C'/(delta/2 + x) above, delta = lambda_c(gamma)/lambda_c - 1: it reaches -1 +- 0.05 only
    for x >= 19 delta (below) and 9.5 delta (above), the 'near ends' of the window."""
    delta = dicke.critical_coupling(model=at(gamma), shifted=True) / LC - 1
    for side, shift in ((-1, delta), (1, delta / 2)):
        prof = dicke.divergence_profile(side, model=at(gamma))
        x = prof["rel_distance"]
        close = x < 1e-3
        np.testing.assert_allclose(prof["slope"][close], -x[close] / (shift + x[close]),
                                   atol=1e-2)
        step = x[1] / x[0]
        if 19 * shift < 1e-4:  # further out the curvature of the mean field enters too
            assert 19 * shift / step**2 <= prof["window"][0] <= 19 * shift * step**2


def test_both_gaussian_states_are_stable_between_lambda_c_and_the_shifted_point():
    """For lambda_c < lambda < lambda_c(gamma) the normal and the superradiant drifts are both
    stable: linear stability does not choose the branch there."""
    model = at(1e-3)
    lcg = dicke.critical_coupling(model=model, shifted=True)
    lams = np.linspace(LC, lcg, 7)[1:-1]
    for lam in lams:
        sr = np.linalg.eigvals(dicke.drift_matrix(lam, model=model)).real.max()
        normal = np.linalg.eigvals(dicke.drift_matrix(lam, model=model, branch="normal"))
        assert sr < 0 and normal.real.max() < 0
    both = (dicke.entropy_production_batch(lams, model=model),
            dicke.entropy_production_batch(lams, model=model, branch="normal"))
    assert np.all(both[0].beta > 0) and np.all(both[1].beta == 0)
    with pytest.raises(ValueError, match="unstable"):
        dicke.entropy_production_batch([1.001 * lcg], model=model, branch="normal")


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: dicke.entropy_production(-0.1),
        lambda: dicke.entropy_production(np.nan),
        lambda: dicke.entropy_production(0.3, model=at(0.0)),
        lambda: dicke.entropy_production(0.3, model=PAR.replace(kappa=-1.0)),
        lambda: dicke.critical_coupling(model=DickeModel(omega0=0.0)),
        lambda: dicke.entropy_production_batch([[0.1, 0.2]]),
        lambda: dicke.entropy_production_batch([0.1, np.inf]),
        lambda: dicke.entropy_production_batch([0.1], branch="superradiant"),
        lambda: dicke.rotating_wave_covariance([0.1, 0.2]),
        lambda: dicke.shifted_divergence(rel_min=0.5, rel_max=0.1),
        lambda: dicke.shifted_divergence(fit_max=1e-12),
        lambda: dicke.mean_field([0.1, 0.2]),
        lambda: dicke.husimi_marginal(0.0, 0.0, np.eye(4), "c"),
        lambda: dicke.local_slope([1.0, 2.0, 3.0], [1.0, -1.0, 2.0]),
        lambda: dicke.relax_mean_field(0.1, -5.0),
    ],
)
def test_bad_input_raises(call):
    with pytest.raises(ValueError):
        call()


def test_unstable_drift_is_refused():
    # the normal-phase drift above lambda_c (what one would get by linearizing around the wrong
    # branch) has no steady state: the Gaussian module refuses it
    A = dicke.drift_matrix(0.5 * LC, model=at(1e-3))
    A[3, 0] = A[1, 2] = -2 * 2.0 * LC  # lambda~ of the normal phase at lam = 2 lambda_c
    with pytest.raises(ValueError, match="unstable"):
        gaussian.steady_covariance(A, np.diag([1e-3, 1e-3, 1.0, 1.0]))


def test_normal_phase_growth_rate_and_divergence_profile():
    rate = dicke.normal_phase_growth_rate(LC * np.array([0.5, 1 - 1e-9, 1 + 1e-9, 20.0]))
    assert rate[0] < 0 and rate[1] < 0 and rate[2] > 0 and rate[3] > 0
    prof = dicke.divergence_profile(-1, model=at(1e-6))
    lo, hi = prof["window"]
    assert np.log10(hi / lo) > 4
    inside = (prof["rel_distance"] >= lo) & (prof["rel_distance"] <= hi)
    # the slope -1 line through the fitted intercept reproduces Pi_d inside the window
    pred = prof["intercept"] - np.log10(prof["rel_distance"][inside] * LC)
    assert np.abs(pred - np.log10(prof["pi_d"][inside])).max() < 0.05
    assert dicke.divergence_profile(1, model=at(1e-3))["slope"][0] == pytest.approx(0, abs=1e-3)
    with pytest.raises(ValueError):
        dicke.divergence_profile(0, model=at(1e-3))


# ---------------------------------------------------------------------------------------------
# the gamma -> 0 limit and the effective temperature of the spin
# ---------------------------------------------------------------------------------------------

RATIOS = np.array([0.1, 0.3, 0.5, 0.9, 0.99, 1.01, 1.1, 1.5, 3.0])


def test_gamma_zero_limit_is_the_limit_of_small_gamma():
    """Every term of the sweep converges to gamma_zero_limit, linearly in gamma."""
    lams = RATIOS * LC
    lim = dicke.gamma_zero_limit(lams)
    assert np.abs(lim.residual).max() < 1e-9 * np.abs(lim.phi_q).max()  # Eq. (10) at gamma = 0
    errs = []
    for gamma in (1e-8, 1e-9, 1e-10):
        sw = dicke.entropy_production_batch(lams, model=at(gamma))
        errs.append([np.abs(getattr(sw, k) / getattr(lim, k) - 1)
                     for k in ("pi_d", "pi_u", "photons_a", "photons_b")])
    errs = np.array(errs)  # (gamma, quantity, lambda)
    assert np.all(errs[-1] < 1e-3)
    # linear in gamma: each factor 10 in gamma divides the distance by about 10
    ratio = errs[1] / errs[2]
    assert np.all((ratio > 8) & (ratio < 12))


def test_gamma_zero_limit_against_adiabatic_elimination():
    """Lyapunov at gamma = 0 against the effective-temperature formulas (independent route)."""
    lams = np.concatenate([np.linspace(0.02, 0.98, 25), np.linspace(1.02, 2.0, 25)]) * LC
    lim = dicke.gamma_zero_limit(lams)
    n_a, n_b = dicke.adiabatic_occupations(lams)
    np.testing.assert_allclose(lim.photons_a, n_a, rtol=1e-3)
    np.testing.assert_allclose(lim.photons_b, n_b, rtol=1e-3)
    # far from the transition the spin holds T/omega0 quanta per quadrature: about 5000 here
    T = dicke.effective_temperature()
    assert T == pytest.approx(LC**2 / PAR.omega0, rel=1e-12)
    small = dicke.gamma_zero_limit([1e-3 * LC])
    assert small.photons_b[0] == pytest.approx(T / PAR.omega0 - 0.5, rel=1e-4)
    # the normal-phase closed form 2 kappa <da^dag da> = kappa lam^2 / (omega omega0 (1 - r^2))
    r = lams[lams < LC] / LC
    closed = PAR.kappa * lams[lams < LC] ** 2 / (PAR.omega * PAR.omega0 * (1 - r**2))
    np.testing.assert_allclose(2 * PAR.kappa * n_a[lams < LC], closed, rtol=1e-3)


@pytest.mark.parametrize("gamma", [1e-3, 1e-6])
def test_rotating_wave_coupling_leaves_the_vacuum(gamma):
    """Without the counter-rotating terms both baths are at zero temperature and the coupling
    conserves the number of excitations: the steady state is the vacuum, sigma = I/2 exactly.
    With them, the spin is hot (the effective temperature of the bad cavity)."""
    for ratio in (0.1, 0.5, 0.99, 1.5, 3.0):
        s = dicke.rotating_wave_covariance(ratio * LC, model=at(gamma))
        np.testing.assert_allclose(s, np.eye(4) / 2, atol=1e-12)
    full = dicke.steady_covariance(0.5 * LC, model=at(gamma))
    assert (full[0, 0] + full[1, 1] - 1) / 2 > 10  # n_b of the full coupling


def test_paper_gamma_is_far_from_the_limit():
    """At gamma = 1e-3, Pi_d away from lambda_c is 1-3 orders below its gamma -> 0 value."""
    lams = np.array([0.1, 0.5, 1.5]) * LC
    n_a, _ = dicke.adiabatic_occupations(lams)
    paper = dicke.entropy_production_batch(lams, model=at(1e-3))
    limit_pi_d = 2 * PAR.kappa * n_a  # Pi_d ~ 2 kappa <da^dag da> once occupations are large
    ratio = paper.pi_d / limit_pi_d
    assert np.all(ratio < 0.05) and np.all(ratio > 1e-4)
    assert paper.pi_d[0] / paper.pi_u[0] > 3  # not "comparable" far below lambda_c


@pytest.mark.parametrize("bad", [[0.0], [LC], [0.5 * LC, LC]])
def test_gamma_zero_limit_refuses_zero_and_critical_coupling(bad):
    with pytest.raises(ValueError):
        dicke.gamma_zero_limit(bad)
    if bad[-1] == LC:
        with pytest.raises(ValueError):
            dicke.adiabatic_occupations(bad)


# ---------------------------------------------------------------------------------------------
# exact finite-N steady state (spin N/2 + cavity) against the Gaussian large-N limit
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("N", [1, 3, 4])
def test_finite_n_matches_qutip_spin_operators(N):
    """The ladder and the parity-reduced LU solve against qutip.jmat + qutip.steadystate."""
    lam, gamma, K = 0.6 * LC, 0.05, 8
    res = dicke.finite_n_steady_state(N, lam, model=at(gamma), n_cavity=K, n_spin=N + 1)
    j = N / 2
    a = qutip.tensor(qutip.qeye(N + 1), qutip.destroy(K))
    Jx, Jz, Jm = (qutip.tensor(op, qutip.qeye(K)) for op in
                  (qutip.jmat(j, "x"), qutip.jmat(j, "z"), qutip.jmat(j, "-")))
    H = PAR.omega0 * Jz + PAR.omega * a.dag() * a \
        + 2 * lam / np.sqrt(N) * (a + a.dag()) * Jx
    rho = qutip.steadystate(H, [np.sqrt(2 * PAR.kappa) * a, np.sqrt(2 * gamma / N) * Jm])
    assert res.photons_a == pytest.approx(qutip.expect(a.dag() * a, rho), rel=1e-8)
    assert res.photons_b == pytest.approx(qutip.expect(Jz, rho) + j, rel=1e-8)
    assert res.residual < 1e-12 and res.top_population_spin == 0.0
    # Z2 symmetry a -> -a, J_x -> -J_x: no order parameter in the normal phase
    assert abs(qutip.expect(a, rho)) < 1e-10 and abs(res.mean_a) < 1e-12


@pytest.mark.slow
def test_finite_n_beyond_lambda_c_inside_the_shifted_normal_phase():
    """With the collective decay, the normal phase reaches up to lambda_c(gamma): the solve
    accepts 1.5 lambda_c at gamma = 0.2 (lambda_c(gamma) = sqrt(1601) lambda_c) and agrees
    with qutip.steadystate; beyond lambda_c(gamma) it refuses."""
    N, lam, gamma, K = 4, 1.5 * LC, 0.2, 16
    res = dicke.finite_n_steady_state(N, lam, model=at(gamma), n_cavity=K, n_spin=N + 1,
                                      tol=1e-6)
    j = N / 2
    a = qutip.tensor(qutip.qeye(N + 1), qutip.destroy(K))
    Jx, Jz, Jm = (qutip.tensor(op, qutip.qeye(K)) for op in
                  (qutip.jmat(j, "x"), qutip.jmat(j, "z"), qutip.jmat(j, "-")))
    H = PAR.omega0 * Jz + PAR.omega * a.dag() * a \
        + 2 * lam / np.sqrt(N) * (a + a.dag()) * Jx
    rho = qutip.steadystate(H, [np.sqrt(2 * PAR.kappa) * a, np.sqrt(2 * gamma / N) * Jm])
    assert res.photons_a == pytest.approx(qutip.expect(a.dag() * a, rho), rel=1e-8)
    assert res.photons_b == pytest.approx(qutip.expect(Jz, rho) + j, rel=1e-8)
    lcg = dicke.critical_coupling(model=at(gamma), shifted=True)
    with pytest.raises(ValueError, match="lambda_c"):
        dicke.finite_n_steady_state(N, 1.01 * lcg, model=at(gamma))


def test_finite_n_cutoffs_follow_the_gaussian_occupations():
    """Thermal tails of the normal-phase occupations, about ln(1/tol) (n + 1/2) states."""
    lams = LC * np.array([0.1, 0.5, 0.9])
    sw = dicke.entropy_production_batch(lams, branch="normal")
    for lam, n_b, n_a in zip(lams, sw.photons_b, sw.photons_a, strict=True):
        m, k = dicke.finite_n_cutoffs(lam)
        # the top kept state of a thermal tail: (n/(n+1))^(M-1) <= tol < (n/(n+1))^(M-2)
        for cut, n in ((m, n_b), (k, n_a)):
            ratio = n / (n + 1)
            assert ratio ** (cut - 1) <= 1e-8 < ratio ** (cut - 2) or cut == 3
    assert dicke.finite_n_cutoffs(lams[0], tol=1e-4)[0] < dicke.finite_n_cutoffs(lams[0])[0]
    with pytest.raises(ValueError):
        dicke.finite_n_cutoffs(lams[0], tol=0.0)


def test_finite_n_approaches_the_gaussian_limit_as_one_over_n():
    """<da^dag da>, <db^dag db> -> Gaussian (Eq. C24) with corrections O(1/N)."""
    lam, gamma = 0.1 * LC, 1e-2
    gauss = dicke.entropy_production(lam, model=at(gamma))
    Ns = (512, 2048, 8192)
    runs = [dicke.finite_n_steady_state(N, lam, model=at(gamma)) for N in Ns]
    for key in ("photons_a", "photons_b"):
        x = np.array([getattr(r, key) for r in runs])
        dev = np.abs(x - getattr(gauss, key))
        assert np.all(np.diff(dev) < 0)
        assert dev[0] / dev[1] == pytest.approx(4, rel=0.05)  # 1/N
        assert dev[1] / dev[2] == pytest.approx(4, rel=0.05)
        richardson = (4 * x[2] - x[1]) / 3  # removes the 1/N term
        assert abs(richardson - getattr(gauss, key)) < 0.05 * dev[2]
    assert all(r.n_spin < r.N for r in runs)  # the ladder was truncated, and checked


def test_finite_n_bad_input_and_truncation():
    lam = 0.3 * LC
    with pytest.raises(ValueError, match="n_spin"):
        dicke.finite_n_steady_state(200, lam, model=at(1e-2), n_spin=3, n_cavity=6)
    with pytest.raises(ValueError, match="n_cavity"):
        dicke.finite_n_steady_state(20, lam, model=at(1e-2), n_cavity=2, n_spin=21)
    for call in (
        lambda: dicke.finite_n_steady_state(0, lam),
        lambda: dicke.finite_n_steady_state(10, 1.2 * LC),
        lambda: dicke.finite_n_steady_state(10, lam, model=at(0.0)),
        lambda: dicke.finite_n_steady_state(10, lam, tol=2.0),
    ):
        with pytest.raises(ValueError):
            call()


def test_divergence_amplitude_from_adiabatic_elimination():
    """Below lambda_c, Pi_d -> kappa lambda_c^3 / (2 omega omega0 |lambda_c - lambda|)."""
    pref = PAR.kappa * LC**3 / (2 * PAR.omega * PAR.omega0)
    below = dicke.divergence_profile(-1, model=at(1e-7))["intercept"]
    assert below == pytest.approx(np.log10(pref), abs=0.01)
    # the gamma -> 0 limit itself, close to lambda_c
    d = LC * np.array([1e-3, 1e-4])
    lim = dicke.gamma_zero_limit(LC - d)
    np.testing.assert_allclose(lim.pi_d * d, pref, rtol=2e-3)


# ---------------------------------------------------------------------------------------------
# the model object: one place for the parameters
# ---------------------------------------------------------------------------------------------


def test_paper_model_holds_the_papers_parameters():
    """Fig. 3 of the paper: omega0 = 0.005, omega = 0.01, kappa = 1; the book's gamma = 1e-3."""
    assert PAR == DickeModel(omega0=0.005, omega=0.01, kappa=1.0, gamma=1e-3)
    assert LC == pytest.approx(0.5 * np.sqrt(0.005 * (1 + 0.01**2) / 0.01), rel=1e-15)
    lams = np.array([0.3, 1.2]) * LC
    explicit = DickeModel(omega0=0.005, omega=0.01, kappa=1.0, gamma=1e-3)
    np.testing.assert_array_equal(dicke.entropy_production_batch(lams).pi_d,
                                  dicke.entropy_production_batch(lams, model=explicit).pi_d)


@pytest.mark.parametrize("change, factor", [
    ({"omega0": 4 * 0.005}, 2.0),  # lambda_c ~ sqrt(omega0)
    ({"kappa": 3.0}, np.sqrt((9 + 1e-4) / (1 + 1e-4))),  # ~ sqrt(kappa^2 + omega^2)
    ({"omega": 0.04}, np.sqrt((1 + 0.04**2) / 0.04 / ((1 + 0.01**2) / 0.01))),
    ({"gamma": 0.5}, 1.0),  # the stabilizing loss does not move the mean-field instability
])
def test_replaced_model_moves_lambda_c_as_its_closed_form(change, factor):
    model = PAR.replace(**change)
    lc = dicke.critical_coupling(model=model)
    assert lc == pytest.approx(factor * LC, rel=1e-13)
    # and the mean field of that model changes phase there
    assert not dicke.mean_field(0.999 * lc, model=model).superradiant
    assert dicke.mean_field(1.001 * lc, model=model).superradiant
    assert dicke.entropy_production(0.5 * lc, model=model).lambda_c == lc


def test_rescaling_every_rate_rescales_time_only():
    """Multiplying omega0, omega, kappa, gamma and lambda by s is a change of time unit: the
    state (occupations, mean field) is unchanged and every rate (Pi_u, Pi_d, Phi_q, Pi_ext)
    is multiplied by s. A function that ignored part of ``model`` would break this."""
    s = 3.0
    big = DickeModel(omega0=s * PAR.omega0, omega=s * PAR.omega, kappa=s * PAR.kappa,
                     gamma=s * PAR.gamma)
    assert dicke.critical_coupling(model=big) == pytest.approx(s * LC, rel=1e-14)
    ratios = np.array([0.3, 0.9, 1.1, 2.0])
    ref = dicke.entropy_production_batch(ratios * LC)
    new = dicke.entropy_production_batch(s * ratios * LC, model=big)
    for name in ("pi_u", "pi_d", "phi_q", "pi_ext", "pi_d_b"):
        np.testing.assert_allclose(getattr(new, name), s * getattr(ref, name), rtol=1e-9)
    for name in ("photons_a", "photons_b", "beta", "w"):
        np.testing.assert_allclose(getattr(new, name), getattr(ref, name), rtol=1e-9, atol=1e-15)
    bal = dicke.entropy_production(s * 0.7 * LC, model=big)
    assert bal.pi_d == pytest.approx(s * dicke.entropy_production(0.7 * LC).pi_d, rel=1e-9)
    lim, lim_big = dicke.gamma_zero_limit(ratios * LC), dicke.gamma_zero_limit(
        s * ratios * LC, model=big)
    np.testing.assert_allclose(lim_big.pi_d, s * lim.pi_d, rtol=1e-9)
    n_a, n_b = dicke.adiabatic_occupations(s * ratios * LC, model=big)
    np.testing.assert_allclose(n_b, dicke.adiabatic_occupations(ratios * LC)[1], rtol=1e-12)
    assert dicke.effective_temperature(model=big) == pytest.approx(
        s * dicke.effective_temperature(), rel=1e-14)
    np.testing.assert_allclose(dicke.normal_phase_growth_rate(s * ratios * LC, model=big),
                               s * dicke.normal_phase_growth_rate(ratios * LC), rtol=1e-9)
    np.testing.assert_allclose(dicke.steady_covariance(s * 0.5 * LC, model=big),
                               dicke.steady_covariance(0.5 * LC), rtol=1e-9)


def test_gamma_zero_limit_ignores_the_models_gamma():
    lams = np.array([0.5, 1.5]) * LC
    a, b = dicke.gamma_zero_limit(lams), dicke.gamma_zero_limit(lams, model=at(0.3))
    np.testing.assert_array_equal(a.pi_d, b.pi_d)
    assert a.gamma == 0.0 and np.all(a.pi_d_b == 0)
    sw = dicke.entropy_production_batch(lams, model=at(1e-4))
    assert sw.model == at(1e-4) and sw.gamma == 1e-4


@pytest.mark.slow
def test_results_pickle_and_finite_n_scan_runs_in_worker_processes(tmp_path, monkeypatch):
    """Worker processes and the disk cache need the results and the model to pickle, and the
    functions to pickle by reference from their submodules."""
    import pickle

    sw = dicke.entropy_production_batch([0.5 * LC])
    back = pickle.loads(pickle.dumps(sw))
    assert back == sw and back.model == sw.model
    assert pickle.loads(pickle.dumps(dicke.finite_n_steady_state)) is dicke.finite_n_steady_state
    monkeypatch.setenv("EPCORE_CACHE", str(tmp_path / "cache"))
    kw = dict(model=at(0.05), n_cavity=12, progress=False)
    first = sweep.finite_n_scan((2, 3), 0.5 * LC, n_jobs=2, **kw)
    direct = [dicke.finite_n_steady_state(N, 0.5 * LC, model=at(0.05), n_cavity=12)
              for N in (2, 3)]
    assert [r.photons_b for r in first] == [r.photons_b for r in direct]
    assert first[0].model == at(0.05)
    cached = sweep.finite_n_scan((2, 3), 0.5 * LC, n_jobs=2, **kw)  # read from the cache
    assert [r.seconds for r in cached] == [r.seconds for r in first]
    other = sweep.finite_n_scan((2,), 0.5 * LC, n_jobs=1, **{**kw, "model": at(0.06)})
    assert other[0].photons_b != first[0].photons_b  # another model is another key


def test_gamma_limit_table_is_the_sweeps_and_converges():
    from epcore import dicke

    lam_c = dicke.critical_coupling()
    table = dicke.gamma_limit_table((0.5, 1.5), (1e-5, 1e-7))
    assert list(table) == ["lam_over_lam_c", "pi_d", "pi_d_gamma=1e-05", "pi_d_gamma=1e-07",
                           "pi_d_limit", "n_b", "n_b_limit"]
    for i, ratio in enumerate((0.5, 1.5)):
        lim = dicke.gamma_zero_limit([ratio * lam_c])
        assert table["pi_d_limit"][i] == lim.pi_d[0]
        assert table["n_b_limit"][i] == lim.photons_b[0]
        assert table["pi_d"][i] == dicke.entropy_production_batch([ratio * lam_c]).pi_d[0]
        # Pi_d approaches its gamma -> 0 limit monotonically as gamma decreases
        gaps = [abs(table[k][i] - table["pi_d_limit"][i])
                for k in ("pi_d", "pi_d_gamma=1e-05", "pi_d_gamma=1e-07")]
        assert gaps[0] > gaps[1] > gaps[2]
        assert gaps[2] < 0.05 * table["pi_d_limit"][i]
    with pytest.raises(ValueError):
        dicke.gamma_limit_table((1.0,))


def test_pole_slope_is_the_log_derivative_of_a_shifted_pole():
    from epcore import dicke

    model = dicke.PAPER.replace(gamma=1e-3)
    # delta from lambda_c(gamma) = lambda_c sqrt(1 + gamma^2 / omega0^2), independently
    delta = np.sqrt(1 + (model.gamma / model.omega0) ** 2) - 1
    x = np.logspace(-12, -1, 9)
    for side, shift in ((-1, delta), (1, delta / 2)):
        slope = dicke.pole_slope(x, side, model=model)
        h = 1e-6  # d ln(1/(shift + x)) / d ln x by central differences in ln x
        up, down = x * np.exp(h), x * np.exp(-h)
        numeric = (np.log1p(down / shift) - np.log1p(up / shift)) / (2 * h)
        np.testing.assert_allclose(slope, numeric, rtol=1e-6, atol=1e-12)
    # -1 far from the pole, 0 close to lambda_c: -x / (shift + x) at x = 100 shift, shift / 100
    assert dicke.pole_slope([100 * delta], -1, model=model)[0] == pytest.approx(-100 / 101)
    assert dicke.pole_slope([delta / 200], 1, model=model)[0] == pytest.approx(-1 / 101)
    with pytest.raises(ValueError):
        dicke.pole_slope(x, 0, model=model)


# ----------------------------------------------------------------------- d Pi_u / d lambda


def test_pi_u_slope_matches_central_differences_of_entropy_production():
    """Fig. 3b: the slope of the batched sweep against a central difference of the Lyapunov
    route (scipy), away from lambda_c on both sides."""
    lc = dicke.critical_coupling()
    h = 1e-6 * lc
    for lo, hi in ((0.3, 0.7), (1.3, 1.7)):
        lam = np.linspace(lo * lc, hi * lc, 401)
        slope = dicke.pi_u_slope(lam)
        for i in (1, 200, 399):
            fd = (dicke.entropy_production(lam[i] + h).pi_u
                  - dicke.entropy_production(lam[i] - h).pi_u) / (2 * h)
            assert slope[i] == pytest.approx(fd, rel=1e-5, abs=1e-8)


def test_pi_u_slope_has_the_kink_at_lambda_c():
    """The one-sided slopes at lambda_c (the ends of each side) agree with one-sided
    differences of entropy_production and differ from each other: a kink, the paper's
    Fig. 3(b); at lambda = 0 the slope vanishes (Pi_u is even in lambda)."""
    lc = dicke.critical_coupling()
    below = dicke.pi_u_slope(np.linspace(0.0, lc, 2001))
    above = dicke.pi_u_slope(np.linspace(lc, 2 * lc, 2001))
    h = 1e-6 * lc
    p0 = dicke.entropy_production(lc).pi_u
    left = (p0 - dicke.entropy_production(lc - h).pi_u) / h
    right = (dicke.entropy_production(lc + h).pi_u - p0) / h
    assert below[-1] == pytest.approx(left, rel=1e-3)
    assert above[0] == pytest.approx(right, rel=1e-3)
    assert below[-1] - above[0] > 0.5 * abs(below[-1])  # a finite jump, not round-off
    assert abs(below[0]) < 1e-6 * np.abs(below).max()


@pytest.mark.parametrize("lams", [
    [0.5, 0.6],  # fewer than 3
    [0.5, 0.7, 0.6],  # not increasing
    "straddle",
])
def test_pi_u_slope_refuses_bad_grids(lams):
    lc = dicke.critical_coupling()
    if isinstance(lams, str):
        lams = lc * np.array([0.9, 1.0, 1.1])
    else:
        lams = lc * np.array(lams)
    with pytest.raises(ValueError):
        dicke.pi_u_slope(lams)


# ------------------------------------------------------------- exponent of the soft mode


@pytest.mark.parametrize("side, zero_gamma", [(-1, True), (1, True), (-1, False)])
def test_natural_frequency_exponent_is_the_mean_field_one_half(side, zero_gamma):
    """sqrt(s+ s-) = sqrt(epsilon), epsilon linear in lambda_c(gamma)^2 - lambda^2: the
    exponent tends to 1/2; between 1e-8 and 1e-4 the corrections are O(x) <~ 1e-4."""
    xs = np.logspace(-8, -4, 9)
    nu = dicke.natural_frequency_exponent(xs, side=side, zero_gamma=zero_gamma)
    assert nu == pytest.approx(0.5, abs=1e-4)


def test_natural_frequency_exponent_measures_from_the_shifted_point():
    """With a large gamma the normal phase is critical at lambda_c(gamma), not at lambda_c:
    the exponent stays 1/2 there, while the frequency fitted from lambda_c is flat."""
    model = dicke.PAPER.replace(gamma=0.05)
    xs = np.logspace(-8, -4, 9)
    assert dicke.natural_frequency_exponent(xs, model=model) == pytest.approx(0.5, abs=1e-4)
    lc = dicke.critical_coupling(model=model)
    flat = dicke.natural_frequency(lc * (1 - xs), model=model)
    assert np.ptp(np.log(flat)) < 1e-3  # not critical at the unshifted lambda_c
    # far from the transition the local exponent is no longer 1/2
    far = dicke.natural_frequency_exponent(np.linspace(0.3, 0.6, 5), model=model)
    assert abs(far - 0.5) > 0.05


def test_natural_frequency_exponent_refuses_a_non_critical_branch_and_bad_input():
    xs = np.logspace(-8, -4, 9)
    with pytest.raises(ValidityError):
        dicke.natural_frequency_exponent(xs, side=1)  # gamma > 0 above: not critical
    for bad in ([0.0, 1e-3], [1e-3, 1.5], [1e-3]):
        with pytest.raises(ValueError):
            dicke.natural_frequency_exponent(bad)
    with pytest.raises(ValueError):
        dicke.natural_frequency_exponent(xs, side=0)
