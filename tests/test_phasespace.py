"""The phase-space engine against exact results and the identities of the paper."""

import numpy as np
import pytest
import qutip

import epcore
from epcore import gaussian, phasespace

LIEB = 1 + np.log(np.pi)


def kerr_cavity(d, *, N=10, eps=1.0, kappa=0.5, delta=-2.0, u=1.0):
    """H of Eq. (B1) with the drive, and its steady state in a d-level Fock space."""
    a = qutip.destroy(d)
    H = delta * a.dag() * a + u / (2 * N) * a.dag() ** 2 * a**2
    H += 1j * eps * np.sqrt(N) * (a.dag() - a)
    return H, qutip.steadystate(H, [np.sqrt(2 * kappa) * a])


# --- Wehrl entropy: exact cases -------------------------------------------------------------


@pytest.mark.parametrize("alpha", [0, 1.5 - 0.5j, -4j, 7.0])
def test_coherent_state_reaches_lieb_minimum(alpha):
    assert epcore.wehrl_entropy(qutip.coherent(120, alpha)) == pytest.approx(LIEB, abs=1e-9)


@pytest.mark.parametrize("n", [0.3, 2.0, 6.0])
def test_thermal_state(n):
    rho = qutip.thermal_dm(160, n)
    assert epcore.wehrl_entropy(rho) == pytest.approx(1 + np.log(np.pi * (n + 1)), abs=1e-9)


@pytest.mark.parametrize("r", [0.3, 0.8, 1.2])
def test_squeezed_vacuum(r):
    state = qutip.squeeze(200, r) * qutip.basis(200, 0)
    assert epcore.wehrl_entropy(state) == pytest.approx(1 + np.log(np.pi * np.cosh(r)), abs=1e-8)


def test_two_distant_peaks_are_both_covered():
    """A mixture of two far-apart coherent states: S = 1 + ln(pi) + ln 2 (no overlap)."""
    d = 150
    rho = (qutip.ket2dm(qutip.coherent(d, 8)) + qutip.ket2dm(qutip.coherent(d, -8j))) / 2
    data = phasespace.husimi_data(rho)
    assert data.normalization == pytest.approx(1, abs=1e-12)
    assert data.wehrl == pytest.approx(LIEB + np.log(2), abs=1e-9)


def random_state(seed: int, d: int, rank: int, pad: int = 6) -> np.ndarray:
    """A random rank-``rank`` state on the first ``d`` Fock levels, in a padded space."""
    rng = np.random.default_rng(seed)
    m = rng.normal(size=(d, rank)) + 1j * rng.normal(size=(d, rank))
    rho = np.zeros((d + pad, d + pad), complex)
    rho[:d, :d] = m @ m.conj().T
    return rho / np.trace(rho).real


def test_lieb_bound_on_random_states():
    hyp = pytest.importorskip("hypothesis")  # skips this property test only
    st = hyp.strategies

    @hyp.settings(max_examples=40, deadline=None)
    @hyp.given(seed=st.integers(0, 2**32 - 1), d=st.integers(1, 25), rank=st.integers(1, 4))
    def check(seed, d, rank):
        rho = random_state(seed, d, rank)
        S = epcore.wehrl_entropy(rho)
        assert S >= LIEB - 1e-10
        # Wehrl entropy exceeds von Neumann entropy (heterodyne noise)
        assert S >= qutip.entropy_vn(qutip.Qobj(rho)) - 1e-10

    check()


def test_husimi_at_points_matches_grid_and_qutip():
    rho = random_state(3, 12, 2)
    data = phasespace.husimi_data(rho)
    idx = (slice(3, 30, 7), slice(0, None, 37))
    assert np.allclose(phasespace.husimi(rho, data.grid.mu[idx]), data.Q[idx], atol=1e-14)
    x = np.linspace(-3, 3, 7)
    q_qutip = qutip.qfunc(qutip.Qobj(rho), x, x, g=2)  # g = 2: alpha = x + i y
    q_ours = phasespace.husimi(rho, x[None, :] + 1j * x[:, None])
    assert np.allclose(q_ours, q_qutip, atol=1e-12)


def test_grid_refinement_does_not_change_results():
    H, rho = kerr_cavity(70)
    coarse = epcore.entropy_balance(rho, H, 0.5)
    data = phasespace.husimi_data(rho)
    n_r, n_t = data.grid.shape
    fine = phasespace.husimi_data(rho, H, n_r=2 * n_r, n_theta=2 * n_t)
    assert fine.wehrl == pytest.approx(coarse.wehrl, rel=1e-11)
    pi_u_fine = -fine.integrate(np.where(fine.mask, fine.U * fine.log_q, 0))
    assert pi_u_fine == pytest.approx(coarse.pi_u, rel=1e-8)


# --- Entropy production: identities ---------------------------------------------------------


@pytest.mark.parametrize("E,kappa", [(0.7, 0.5), (3.0, 1.0), (1.0, 0.2)])
@pytest.mark.slow
def test_empty_driven_cavity(E, kappa):
    """H0 = 0: the steady state is coherent and Pi = 2 E^2 / kappa (Discussion of the paper)."""
    d = int((E / kappa) ** 2 + 12 * E / kappa + 40)
    a = qutip.destroy(d)
    H = 1j * E * (a.dag() - a)
    rho = qutip.steadystate(H, [np.sqrt(2 * kappa) * a])
    b = epcore.entropy_balance(rho, H, kappa)
    assert b.pi == pytest.approx(2 * E**2 / kappa, rel=1e-9)
    assert b.pi_unsplit == pytest.approx(2 * E**2 / kappa, rel=1e-9)
    assert abs(b.pi_u) < 1e-9 and abs(b.pi_d) < 1e-9 and abs(b.phi_q) < 1e-9


@pytest.mark.parametrize("N,eps", [(5, 0.6), (10, 1.0), (10, 1.4)])
def test_kerr_steady_state_identities(N, eps):
    """Eq. (9) and Eq. (10) on an exact finite-N steady state, and dS/dt = 0."""
    H, rho = kerr_cavity(90, N=N, eps=eps)
    b = epcore.entropy_balance(rho, H, 0.5)
    assert b.relative_residual < 1e-6
    assert b.pi_ext == b.phi_ext == pytest.approx(2 * 0.5 * abs(b.mean_a) ** 2)
    assert b.pi == pytest.approx(b.pi_unsplit, rel=1e-10)  # the split is exact (identity 1)
    assert b.current_error < 1e-10
    assert abs(b.wehrl_rate) < 1e-8 * b.pi
    assert b.pi_d > 0 and b.pi_u > 0


def test_entropy_rate_balance_along_a_transient():
    """dS/dt = Pi - Phi (Eq. 1) along the relaxation of a Kerr cavity from the vacuum.

    Checked twice: against -int (dQ/dt) ln Q from the master equation (to 1e-8 relative) and
    against a finite-difference derivative of S(t) along the mesolve trajectory (to 1e-4
    relative or 1e-7 absolute).
    """
    d, kappa = 60, 0.5
    H, _ = kerr_cavity(d, N=6, eps=1.0)
    a = qutip.destroy(d)
    times = np.linspace(0, 4, 401)
    opts = {"atol": 1e-12, "rtol": 1e-10}
    loss = [np.sqrt(2 * kappa) * a]
    states = qutip.mesolve(H, qutip.basis(d, 0), times, loss, options=opts).states
    picks = range(20, 400, 40)
    balances = {i: epcore.entropy_balance(states[i], H, kappa) for i in picks}
    for b in balances.values():
        assert abs(b.entropy_rate_residual) < 1e-8 * max(b.pi, 1)
    h = times[1] - times[0]
    for i, b in balances.items():
        s = {j: phasespace.wehrl_entropy(states[i + j]) for j in (-2, -1, 1, 2)}
        ds_dt = (s[-2] - 8 * s[-1] + 8 * s[1] - s[2]) / (12 * h)  # fourth-order stencil
        assert ds_dt == pytest.approx(b.pi - b.phi, rel=1e-4, abs=1e-7)


# --- Gaussian module against the phase-space engine and brute force -------------------------


def quadratic_model(d, *, delta=1.0, g=0.35, E=0.4, kappa=0.5):
    """H = delta a^dag a + (g/2)(a^2 + a^dag^2) + i E (a^dag - a), below parametric threshold."""
    a = qutip.destroy(d)
    H = delta * a.dag() * a + g / 2 * (a**2 + a.dag() ** 2) + 1j * E * (a.dag() - a)
    # same H in quadratures: delta (q^2 + p^2)/2 + g (q^2 - p^2)/2 (+ linear drive terms)
    G = np.array([[delta + g, 0.0], [0.0, delta - g]])
    return H, G


@pytest.mark.slow
def test_gaussian_closed_forms_match_phase_space_engine():
    H, G = quadratic_model(90)
    kappa = 0.5
    rho = qutip.steadystate(H, [np.sqrt(2 * kappa) * qutip.destroy(90)])
    engine = epcore.entropy_balance(rho, H, kappa)
    closed = gaussian.gaussian_balance(gaussian.hamiltonian_drift(G), [kappa])
    assert closed.pi_u == pytest.approx(engine.pi_u, rel=1e-7)
    assert closed.pi_d == pytest.approx(engine.pi_d, rel=1e-7)
    assert closed.phi_q == pytest.approx(engine.phi_q, rel=1e-9)
    assert abs(closed.residual) < 1e-13
    S = closed.husimi_cov
    assert gaussian.gaussian_wehrl(S) == pytest.approx(engine.wehrl, rel=1e-9)


def brute_force_gaussian_terms(A_H, S, kappa, L=9.0, n=241):
    """Eq. (8) integrated on a Cartesian grid over the Gaussian Q of covariance S (one mode).

    Quadrature variables r = (x, y), mu = (x + i y)/sqrt(2), d^2mu = dx dy / 2. The unitary part
    of the Q dynamics of a quadratic H is U = -div(A_H r Q) + div(D_u grad Q)/2 with
    D_u = -(A_H + A_H^T)/2; the loss current is J^v = kappa (v Q + dQ/dvbar).
    """
    x = np.linspace(-L, L, n)
    X, Y = np.meshgrid(x, x, indexing="ij")
    r = np.stack([X, Y])
    Sinv = np.linalg.inv(S)
    g = np.einsum("ij,jxy->ixy", Sinv, r)  # grad Q = -g Q
    Q = np.exp(-0.5 * np.einsum("ixy,ixy->xy", r, g)) / (np.pi * np.sqrt(np.linalg.det(S)))
    Ar = np.einsum("ij,jxy->ixy", A_H, r)
    D_u = -(A_H + A_H.T) / 2
    div_drift = (np.trace(A_H) - np.einsum("ixy,ixy->xy", Ar, g)) * Q
    div_diff = (np.einsum("ixy,ij,jxy->xy", g, D_u, g) - np.trace(D_u @ Sinv)) * Q
    U = -div_drift + div_diff / 2
    v = (X + 1j * Y) / np.sqrt(2)
    dq_dvbar = -(g[0] + 1j * g[1]) / np.sqrt(2) * Q
    Jv = kappa * (v * Q + dq_dvbar)
    w = (x[1] - x[0]) ** 2 / 2
    pi_u = -np.sum(U * np.log(Q)) * w
    pi_d = 2 / kappa * np.sum(np.abs(Jv) ** 2 / Q) * w
    photons_fluct = np.sum(np.abs(v) ** 2 * Q) * w - 1  # <|v|^2>_Q = <da^dag da> + 1
    return pi_u, pi_d, 2 * kappa * photons_fluct


@pytest.mark.parametrize("G", [[[1.35, 0.0], [0.0, 0.65]], [[0.8, 0.3], [0.3, 1.9]]])
def test_gaussian_closed_forms_match_brute_force(G):
    kappa = 0.5
    A_H = gaussian.hamiltonian_drift(np.array(G))
    b = gaussian.gaussian_balance(A_H, [kappa])
    brute = brute_force_gaussian_terms(A_H, b.husimi_cov, kappa)
    assert brute == pytest.approx((b.pi_u, b.pi_d, b.phi_q), rel=1e-9)


@pytest.mark.parametrize("g", [1e-3, 1e-6])
def test_closed_forms_keep_relative_accuracy_near_the_vacuum(g):
    """Weak squeezing: Phi_q ~ g^2. Eq. (10) must hold to relative, not absolute, precision,
    and <da^dag da> = g^2 / (2 (delta^2 + kappa^2 - g^2)) exactly for this model."""
    delta, kappa = 1.0, 0.5
    A_H = gaussian.hamiltonian_drift(np.diag([delta + g, delta - g]))
    b = gaussian.gaussian_balance(A_H, [kappa])
    assert abs(b.residual) < 1e-8 * b.phi_q  # S - 2I + S^-1 directly: ~1e-3 at g = 1e-6
    photons = g**2 / (2 * (delta**2 + kappa**2 - g**2))
    assert b.phi_q == pytest.approx(2 * kappa * photons, rel=1e-8)


def test_passive_hamiltonian_leaves_the_vacuum_exactly():
    b = gaussian.gaussian_balance(gaussian.hamiltonian_drift(np.eye(2) * 3.0), [0.4])
    assert b.pi_u == b.pi_d == b.phi_q == 0.0


def test_two_mode_closed_forms_satisfy_eq10():
    G = np.array([[1.0, 0, 0.3, 0], [0, 1.0, 0, 0], [0.3, 0, 0.5, 0.1], [0, 0, 0.1, 0.5]])
    b = gaussian.gaussian_balance(gaussian.hamiltonian_drift(G), [0.2, 1.0])
    assert abs(b.residual) < 1e-13 * b.phi_q
    assert b.pi_d > 0


# --- Bad input -------------------------------------------------------------------------------


def test_rejects_non_hermitian():
    rho = np.diag([0.5, 0.5, 0, 0, 0]).astype(complex)
    rho[0, 1] = 0.1
    with pytest.raises(ValueError, match="not Hermitian"):
        epcore.wehrl_entropy(rho)


def test_rejects_non_positive():
    rho = np.diag([1.2, -0.2, 0, 0, 0])
    with pytest.raises(ValueError, match="not positive"):
        epcore.wehrl_entropy(rho)


def test_rejects_non_normalized():
    with pytest.raises(ValueError, match="normalize"):
        epcore.wehrl_entropy(np.diag([0.5, 0.2, 0, 0, 0]))


def test_rejects_truncated_state():
    with pytest.raises(ValueError, match="Fock cutoff is too small"):
        epcore.wehrl_entropy(qutip.coherent(20, 4.0))


def test_rejects_bad_kappa():
    H, rho = kerr_cavity(60, N=4, eps=0.5)
    for kappa in (0.0, -1.0, np.nan):
        with pytest.raises(ValueError, match="kappa"):
            epcore.entropy_balance(rho, H, kappa)


def test_rejects_unstable_drift():
    A_H = gaussian.hamiltonian_drift(np.diag([2.0, -2.0]))  # parametric gain 2 > loss 0.5
    with pytest.raises(ValueError, match="unstable drift"):
        gaussian.gaussian_balance(A_H, [0.5])


def test_rejects_bad_loss_rates():
    with pytest.raises(ValueError, match="> 0"):
        gaussian.gaussian_terms(np.zeros((2, 2)), np.eye(2), [0.0])


@pytest.mark.parametrize(
    "state",
    [
        qutip.tensor(qutip.fock_dm(2, 0), qutip.fock_dm(2, 0)),  # two modes
        qutip.tensor(qutip.basis(2, 0), qutip.basis(2, 0)),
        qutip.spre(qutip.fock_dm(3, 0)),  # a superoperator
        qutip.to_super(qutip.fock_dm(3, 0)),
        qutip.operator_to_vector(qutip.fock_dm(3, 0)),
        qutip.basis(4, 0).dag(),  # a bra
    ],
)
def test_states_that_are_not_one_mode_are_refused(state):
    with pytest.raises(ValueError, match="one mode"):
        phasespace.wehrl_entropy(state)
    with pytest.raises(ValueError, match="one mode"):
        phasespace.density_matrix(state)
    # one mode, ket or operator, still passes
    assert phasespace.wehrl_entropy(qutip.basis(8, 0)) == pytest.approx(1 + np.log(np.pi))
    assert phasespace.wehrl_entropy(qutip.fock_dm(8, 0)) == pytest.approx(1 + np.log(np.pi))


def test_coherent_amplitudes_are_those_of_qutip_coherent_states():
    d = 40
    for mu in (0.0, 0.7, 1.5 - 2.0j, -1.2 + 0.3j, -2.0):
        c = epcore.phasespace.coherent_amplitudes(mu, d)
        ket = qutip.coherent(d, mu, method="analytic").full().ravel()
        assert c.shape == (d,)
        assert np.abs(c - ket).max() < 1e-14
    # a polar grid's radii (real, >= 0) use real arithmetic, with the origin the vacuum
    r = np.array([0.0, 0.5, 3.0])
    c = epcore.phasespace.coherent_amplitudes(r, 60)
    assert c.dtype == float and c.shape == (3, 60)
    assert c[0, 0] == 1.0 and not c[0, 1:].any()
    assert np.allclose(np.sum(c**2, axis=1), 1.0, rtol=0, atol=1e-13)  # complete at d = 60
    # complex points keep their shape; no overflow at large n and |mu|
    mu = np.array([[1j, 0.0], [30.0 + 30.0j, -5.0]])
    c = epcore.phasespace.coherent_amplitudes(mu, 3000)
    assert c.shape == (2, 2, 3000) and np.all(np.isfinite(c))
    assert np.sum(np.abs(c[1, 0]) ** 2) == pytest.approx(1.0, abs=1e-12)
    with pytest.raises(ValueError):
        epcore.phasespace.coherent_amplitudes(np.nan, 4)
    with pytest.raises(ValueError):
        epcore.phasespace.coherent_amplitudes(1.0, 0)


def test_hermitian_normalized_is_the_hermitian_part_over_its_trace():
    rng = np.random.default_rng(3)
    m = rng.normal(size=(5, 5)) + 1j * rng.normal(size=(5, 5)) + 5 * np.eye(5)
    h = epcore.phasespace.hermitian_normalized(m)
    expected = (m + m.conj().T) / 2
    expected = expected / np.trace(expected).real
    assert np.array_equal(h, expected)
    assert np.array_equal(h, h.conj().T) and np.trace(h) == pytest.approx(1.0, abs=1e-15)
    again = epcore.phasespace.hermitian_normalized(h)  # a fixed point, up to round-off
    assert h is not m and np.abs(again - h).max() < 1e-15
    with pytest.raises(ValueError, match="square"):
        epcore.phasespace.hermitian_normalized(np.ones((2, 3)))
    with pytest.raises(ValueError, match="trace 0"):
        epcore.phasespace.hermitian_normalized(np.diag([1.0, -1.0]))
