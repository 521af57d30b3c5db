"""The Gaussian bound on the unitary entropy production, and the finite-temperature forms.

In every steady state of a stable quadratic model with zero-temperature losses,
``Pi_u = sum_i kappa_i (2 - tr_i S^-1)`` and ``0 <= Pi_u < 2 sum_i kappa_i`` (proved in the
chapter on the thermodynamic limit). Hypothesis draws random symmetric Hamiltonian matrices and
loss rates; unstable draws are discarded.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg

import epcore
from epcore import cavity as cv
from epcore import gaussian as ga

# The two property tests import hypothesis themselves (pytest.importorskip), so without it
# only they are skipped and the closed-form tests below still run.


def stable_models(hyp, hnp):
    """Hypothesis strategy: a stable quadratic model ``(A_H, kappas)`` of one to three modes."""
    st = hyp.strategies
    finite = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)

    @st.composite
    def models(draw):
        m = draw(st.integers(1, 3))
        raw = draw(hnp.arrays(float, (2 * m, 2 * m), elements=finite))
        scale = draw(st.floats(0.01, 10.0))
        G = scale * (raw + raw.T) / 2
        kappas = np.array(draw(st.lists(st.floats(0.01, 5.0), min_size=m, max_size=m)))
        A_H = ga.hamiltonian_drift(G)
        growth = np.linalg.eigvals(A_H - np.diag(np.repeat(kappas, 2))).real.max()
        hyp.assume(growth < -1e-3 * kappas.min())
        return A_H, kappas

    return models()


def test_unitary_production_is_bounded_by_twice_the_total_loss():
    hyp = pytest.importorskip("hypothesis")  # skips this property test only
    hnp = pytest.importorskip("hypothesis.extra.numpy")

    @hyp.settings(max_examples=300, deadline=None, derandomize=True)
    @hyp.given(stable_models(hyp, hnp))
    def check(model):
        A_H, kappas = model
        try:
            b = ga.gaussian_balance(A_H, kappas)
        except ValueError as err:  # S not positive definite in double precision: near-singular
            hyp.assume("positive definite" not in str(err))
            raise
        S = b.husimi_cov
        # The bound holds in exact arithmetic. Strongly non-normal drifts close to instability
        # give cond(S) up to 1e16, where S^-1, and so Pi_u, has no correct digit in double
        # precision (the result reports cond): test where the numbers can be trusted.
        hyp.assume(b.cond < 1e6)
        scale = 2 * kappas.sum()
        assert -1e-9 * scale <= b.pi_u < scale
        # the steady-state form used in the proof
        assert b.pi_u == pytest.approx(ga.steady_unitary_production(S, kappas), abs=1e-8 * scale)
        # the lemma behind it: 0 < tr_i S^-1 <= 2 for every mode of every Gaussian state
        blocks = np.diagonal(np.linalg.inv(S)).reshape(-1, 2).sum(-1)
        assert np.all(blocks > 0) and np.all(blocks <= 2 + 1e-9)
        # Pi_d carries whatever Phi_q has beyond 2 sum kappa
        assert b.pi_d >= b.phi_q - scale - 1e-9 * max(1.0, b.phi_q)

    check()


def test_pure_gaussian_states_have_tr_i_S_inverse_two():
    hyp = pytest.importorskip("hypothesis")  # skips this property test only
    st = hyp.strategies

    @hyp.settings(max_examples=100, deadline=None)
    @hyp.given(st.integers(1, 3), st.integers(0, 2**32 - 1))
    def check(m, seed):
        # s = M M^T / 2 with M symplectic: exp(Omega X) with X symmetric is symplectic
        rng = np.random.default_rng(seed)
        X = rng.normal(size=(2 * m, 2 * m))
        M = scipy.linalg.expm(ga.symplectic_form(m) @ (X + X.T) / 2)
        S = ga.husimi_covariance(M @ M.T / 2)
        blocks = np.diagonal(np.linalg.inv(S)).reshape(-1, 2).sum(-1)
        assert blocks == pytest.approx(np.full(m, 2.0), abs=1e-8)

    check()


@pytest.mark.parametrize("omega, kappa", [(0.0, 0.5), (0.3, 0.5), (2.0, 1.3)])
@pytest.mark.parametrize("fraction", [0.2, 0.7, 0.999])
def test_single_mode_pi_u_closed_form_below_two_thirds(omega, kappa, fraction):
    g = fraction * np.hypot(kappa, omega) * np.exp(0.4j)
    b = ga.gaussian_balance(ga.hamiltonian_drift(cv.quadratic_G(omega, g)), [kappa])
    assert b.pi_u == pytest.approx(cv.parametric_pi_u(omega, g, kappa), rel=1e-10)
    assert 0 < b.pi_u < 2 * kappa / 3


def test_parametric_pi_u_refuses_threshold():
    with pytest.raises(ValueError, match="threshold"):
        cv.parametric_pi_u(0.0, 0.5, 0.5)


# ------------------------------------------------------------------ the sign of Pi


def test_squeezed_transient_has_negative_total_production():
    r, g, kappa = 0.1, 1.0, 0.5
    H = cv.squeezing_hamiltonian(60, g)
    b = epcore.entropy_balance(cv.squeezed_vacuum(r, 60), H, kappa)
    exact = -g * np.tanh(r) + 2 * kappa * np.sinh(r) ** 2
    assert b.pi == pytest.approx(exact, abs=1e-9)
    assert b.pi < 0
    closed = cv.squeezed_vacuum_balance(r, g, kappa)
    assert b.pi_u == pytest.approx(closed.pi_u, abs=1e-9)
    assert b.pi_d == pytest.approx(closed.pi_d, abs=1e-9)
    assert b.phi == pytest.approx(closed.phi, abs=1e-9)
    # Eq. (1) from the Liouvillian: dS/dt = Pi - Phi
    assert b.wehrl_rate == pytest.approx(closed.wehrl_rate, abs=1e-8)


@pytest.mark.parametrize("r, ratio", [(0.3, 0.5), (0.3, 1.0), (0.8, 2.0), (0.8, 3.0)])
def test_sign_of_pi_follows_sinh_2r(r, ratio):
    kappa = 0.5
    b = epcore.entropy_balance(cv.squeezed_vacuum(r, 80), cv.squeezing_hamiltonian(80, ratio
                               * kappa), kappa)
    assert (b.pi < 0) == (ratio > np.sinh(2 * r))


# ------------------------------------------------------------------ finite-temperature losses


def test_thermal_balance_reduces_to_zero_temperature_and_balances():
    A_H = ga.hamiltonian_drift(cv.quadratic_G(0.3, 0.4))
    cold = ga.gaussian_balance(A_H, [0.5])
    b0 = ga.thermal_gaussian_balance(A_H, [0.5], 0.0)
    for name in ("pi_u", "pi_d", "phi_q"):
        assert getattr(b0, name) == pytest.approx(getattr(cold, name), rel=1e-12)
    for nb in (0.1, 1.0, 30.0):
        b = ga.thermal_gaussian_balance(A_H, [0.5], nb)
        assert abs(b.residual) < 1e-12 * max(1.0, b.phi_q)
        assert b.pi_d >= 0


def test_thermal_equilibrium_produces_nothing():
    A_H = ga.hamiltonian_drift(np.zeros((2, 2)))
    b = ga.thermal_gaussian_balance(A_H, [0.7], 2.5)
    assert np.allclose(b.husimi_cov, 3.5 * np.eye(2))
    assert max(abs(b.pi_u), abs(b.pi_d), abs(b.phi_q)) < 1e-12


@pytest.mark.parametrize("nb", [0.2, 0.6])
def test_thermal_gaussian_forms_against_phase_space_engine(nb):
    omega, g, kappa = 0.3, 0.4, 0.5
    H, rho = cv.parametric_thermal_steady_state(110, omega, g, kappa, nb)
    closed = ga.thermal_gaussian_balance(ga.hamiltonian_drift(cv.quadratic_G(omega, g)),
                                         [kappa], nb)
    assert epcore.entropy_balance(rho, H, kappa).pi_u == pytest.approx(closed.pi_u, rel=1e-8)
    assert cv.thermal_loss_rates(rho, kappa, nb)["Pi"] == pytest.approx(closed.pi_d, rel=1e-8)


def test_thermal_balance_rejects_negative_occupation():
    with pytest.raises(ValueError, match="occupation"):
        ga.thermal_gaussian_balance(ga.hamiltonian_drift(np.eye(2)), [0.5], -0.1)


def test_shares_at_instability_within_bound_and_single_mode_two_thirds():
    one = ga.unitary_share_at_instability(1, 20, seed=3)
    # a single mode at threshold: Pi_u -> 2 kappa / 3 (parametric_pi_u at |g| = g_th)
    assert one == pytest.approx(np.full(len(one), 1 / 3), abs=1e-5)
    two = ga.unitary_share_at_instability(2, 40, seed=3)
    assert np.all(two >= -1e-12) and np.all(two < 1)


# ------------------------------------------------------------------ the bound is sharp (m = 2)
#
# H = omega a^dag a + lambda q_a q_b with losses kappa_a = 1, kappa_b = r (qnd_pair_model). Its
# drift is triangular in the order (q_b; q_a, p_a; p_b), with eigenvalues -r (twice) and
# -1 +- i omega. Exact results used below, from the symbolic solution of the Lyapunov equation
# in the coordinates (q_a/lambda, p_a/lambda, q_b, p_b/lambda^2), whose drift does not
# contain lambda (the share is a rational function of 1/lambda^2):
#   lambda -> oo:            share -> (2 + r)/(2 + 3r),  tr_b S^-1 -> 4(1 + r)/(2 + 3r);
#   first order in 1/lambda^2, r -> 0:
#                            share = (2 + r)/(2 + 3r) - 2 (1 + omega^2)^2 / (omega^2 lambda^2 r),
#                            tr_a S^-1 = 4 (1 + omega^2)^2 / (omega^2 lambda^2 r).
# Along the default family (omega = 1, lambda = 1/r): 1 - share = 9 r, tr_a S^-1 = 16 r.

RATIOS = 10.0 ** -np.arange(1, 7)


@pytest.fixture(scope="module")
def sharp_family():
    return ga.sharp_bound_family(RATIOS)


def test_sharp_family_shares_increase_to_one_and_stay_below(sharp_family):
    f = sharp_family
    share = f["share"]
    assert np.all(np.diff(share) > 0)
    assert share[-1] > 0.99999
    assert np.all(share < 1)  # the theorem: Pi_u < 2 sum kappa, approached, never reached
    assert np.all(1 - share > 0.5 * RATIOS)


def test_sharp_family_is_stable_and_the_routes_agree(sharp_family):
    f = sharp_family
    # the exact spectrum of the triangular drift: the largest real part is -kappa_b
    assert f["growth"] == pytest.approx(-RATIOS, rel=1e-6)
    assert np.all(f["residual"] < 1e-14)
    scale = 2 * (1 + RATIOS)
    # -1/2 tr(A_H S^-1) (Eq. 8) and sum_i kappa_i (2 - tr_i S^-1) (steady state)
    assert np.all(np.abs(f["pi_u"] - f["pi_u_steady"]) < 1e-10 * scale)
    # an independent route: the unscaled drift at high precision
    assert np.all(np.abs(f["pi_u_precise"] - f["pi_u_steady"]) < 1e-10 * scale)
    assert f["share"] == pytest.approx(f["pi_u_steady"] / scale, rel=1e-14)
    # the lemma: 0 < tr_i S^-1 <= 2
    assert np.all(f["trace_a"] > 0) and np.all(f["trace_b"] <= 2)


def test_sharp_family_asymptotics(sharp_family):
    f = sharp_family
    small = RATIOS <= 1e-4
    assert (1 - f["share"][small]) / RATIOS[small] == pytest.approx(9.0, rel=2e-3)
    assert f["trace_a"][small] / RATIOS[small] == pytest.approx(16.0, rel=2e-3)
    assert f["share_limit"] == pytest.approx((2 + RATIOS) / (2 + 3 * RATIOS), rel=1e-15)


@pytest.mark.parametrize("omega", [0.4, 1.0, 3.0])
@pytest.mark.parametrize("r", [2.0, 0.5, 0.05])
def test_sharp_limit_of_infinite_coupling(omega, r):
    f = ga.sharp_bound_family([r], couplings=[1e8], omega=omega)
    assert f["share"][0] == pytest.approx((2 + r) / (2 + 3 * r), abs=1e-9)
    assert f["trace_b"][0] == pytest.approx(4 * (1 + r) / (2 + 3 * r), abs=1e-9)
    assert f["trace_a"][0] < 1e-10


@pytest.mark.parametrize("omega", [0.5, 1.0, 2.0])
def test_sharp_first_correction_in_the_coupling(omega):
    r, lam = 1e-4, 1e5  # lambda^2 r = 1e6: higher orders in 1/lambda^2 and in r are small
    f = ga.sharp_bound_family([r], couplings=[lam], omega=omega)
    c = 2 * (1 + omega**2) ** 2 / omega**2
    assert (f["share_limit"][0] - f["share"][0]) * lam**2 * r == pytest.approx(c, rel=1e-3)
    assert f["trace_a"][0] * lam**2 * r == pytest.approx(2 * c, rel=1e-3)


def test_qnd_pair_against_gaussian_balance():
    # moderate coupling: the plain double-precision route is accurate here
    G, k = ga.qnd_pair_model(3.0, 0.2, omega=0.7, kappa_a=1.0)
    b = ga.gaussian_balance(ga.hamiltonian_drift(G), k)
    assert b.cond < 1e8
    f = ga.sharp_bound_family([0.2], couplings=[3.0], omega=0.7)
    assert b.pi_u == pytest.approx(f["pi_u"][0], rel=1e-9)
    blocks = np.diagonal(np.linalg.inv(b.husimi_cov)).reshape(-1, 2).sum(-1)
    assert blocks == pytest.approx([f["trace_a"][0], f["trace_b"][0]], rel=1e-9)
    # stable for every coupling: the eigenvalues do not depend on lambda
    for lam in (0.1, 10.0, 1e3):
        G, k = ga.qnd_pair_model(lam, 0.2, omega=0.7)
        ev = np.linalg.eigvals(ga.hamiltonian_drift(G) - np.diag(np.repeat(k, 2)))
        assert sorted(ev.real) == pytest.approx([-1, -1, -0.2, -0.2], abs=1e-6)


def test_qnd_pair_units_scale_out():
    # kappa_a sets the unit of time: the share depends on kappa_b/kappa_a, lambda/kappa_a,
    # omega/kappa_a only
    G1, k1 = ga.qnd_pair_model(5.0, 0.1, omega=1.0)
    G2, k2 = ga.qnd_pair_model(10.0, 0.2, omega=2.0, kappa_a=2.0)
    b1 = ga.gaussian_balance(ga.hamiltonian_drift(G1), k1)
    b2 = ga.gaussian_balance(ga.hamiltonian_drift(G2), k2)
    assert b2.pi_u / (2 * k2.sum()) == pytest.approx(b1.pi_u / (2 * k1.sum()), rel=1e-10)


def test_sharp_family_refuses_bad_inputs_and_flags_disagreement(monkeypatch):
    with pytest.raises(ValueError, match="within"):
        ga.sharp_bound_family([1e-9])
    with pytest.raises(ValueError, match="one coupling per ratio"):
        ga.sharp_bound_family([0.1, 0.01], couplings=[10.0])
    with pytest.raises(ValueError, match="couplings"):
        ga.sharp_bound_family([0.1], couplings=[1e12])
    monkeypatch.setattr(ga, "SHARP_TOLERANCE", -1.0)  # no agreement is good enough
    with pytest.raises(epcore.errors.IllConditionedError, match="disagree"):
        ga.sharp_bound_family([0.1])
