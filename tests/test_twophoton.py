"""Tests of epcore.twophoton: the two-photon-driven Kerr resonator.

Every quantity is checked against an independent route: the mean field against the
Heisenberg equation integrated numerically, the Gaussian closed forms against the exact
finite-N state (1/N convergence, on the symmetric state and on the two metastable branch
states), the complex-P state against QuTiP's linear solve, the entropy balance against the
exact identities Eq. (1) and Eq. (10) and against the phase-space integrals without
integration by parts, and the sector gaps against dense spectra and the full Liouvillian.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import qutip
import scipy.integrate

from epcore import spectrum, twophoton
from epcore.errors import CutoffError, IllConditionedError, MemoryLimitError
from epcore.gaussian import hamiltonian_drift
from epcore.models import TwoPhotonModel

PAPER = twophoton.PAPER
GC = twophoton.critical_drive()
# Delta U + kappa eta / 2 < 0: a first-order window below G_c, and Re(lambda) < 0, where the
# complex-P integral exists only as a continued contour
FIRST_ORDER = TwoPhotonModel(kappa=1.0, delta=-2.0, u=1.0, eta=0.5)
NO_TWO_PHOTON_LOSS = TwoPhotonModel(kappa=1.0, delta=0.5, u=1.0, eta=0.0)


def heisenberg_rhs(beta: complex, g: float, model: TwoPhotonModel) -> complex:
    """d beta / dt of the mean field, written from the master equation in the test."""
    n = abs(beta) ** 2
    return (-1j * (model.delta + model.u * n) * beta - model.eta * n * beta
            - 1j * g * np.conj(beta) - model.kappa / 2 * beta)


def jacobian_eigenvalues(beta: complex, g: float, model: TwoPhotonModel) -> np.ndarray:
    """Eigenvalues of the real 2 x 2 Jacobian of heisenberg_rhs, by central differences."""
    J = np.empty((2, 2))
    h = 1e-6
    for i, step in enumerate((h, 1j * h)):
        diff = (heisenberg_rhs(beta + step, g, model) - heisenberg_rhs(beta - step, g, model))
        J[:, i] = [diff.real / (2 * h), diff.imag / (2 * h)]
    return np.sort_complex(np.linalg.eigvals(J))


def qutip_state(N, g, d, model=PAPER):
    return qutip.steadystate(twophoton.liouvillian(N, g, d, model=model)).full()


# ------------------------------------------------------------------------------ model


def test_model_defaults_and_validation():
    assert (PAPER.kappa, PAPER.delta, PAPER.u, PAPER.eta) == (1.0, 0.0, 1.0, 1.0)
    assert GC == 0.5
    assert twophoton.critical_drive(model=FIRST_ORDER) == pytest.approx(math.sqrt(4.25))
    with pytest.raises(ValueError, match="eta must be >= 0"):
        TwoPhotonModel(eta=-1.0)
    with pytest.raises(ValueError, match="eta = u = 0"):
        TwoPhotonModel(eta=0.0, u=0.0)
    with pytest.raises(ValueError):
        PAPER.replace(kappa=0.0)


def test_hamiltonian_and_liouvillian_are_the_convention_of_the_issue():
    N, g, d = 7.0, 0.8, 12
    a = qutip.destroy(d)
    H = (0.3 * a.dag() * a + 1.3 / (2 * N) * a.dag() ** 2 * a**2
         + g / 2 * (a.dag() ** 2 + a**2))
    model = TwoPhotonModel(kappa=0.7, delta=0.3, u=1.3, eta=0.9)
    assert (twophoton.hamiltonian(N, g, d, model=model) - H).norm() < 1e-12
    L = qutip.liouvillian(H, [math.sqrt(0.7) * a, math.sqrt(0.9 / N) * a**2])
    assert (twophoton.liouvillian(N, g, d, model=model) - L).norm() < 1e-12
    # the parity sectors are invariant blocks, the even one holding the diagonal
    even, odd = twophoton.parity_sectors(d)
    M = L.full()
    assert np.abs(M[np.ix_(odd, even)]).max() == 0 and np.abs(M[np.ix_(even, odd)]).max() == 0
    assert set(np.arange(d) * (d + 1)) <= set(even)


# -------------------------------------------------------------------------- mean field


@pytest.mark.parametrize("model", [PAPER, FIRST_ORDER, NO_TWO_PHOTON_LOSS])
@pytest.mark.parametrize("ratio", [0.3, 0.9, 1.1, 2.0])
def test_mean_field_branches_are_the_fixed_points_with_their_stability(model, ratio):
    g = ratio * twophoton.critical_drive(model=model)
    branches = twophoton.mean_field(g, model=model)
    assert branches[0].beta == 0 and branches[0].stable == (ratio < 1)
    for br in branches:
        assert abs(heisenberg_rhs(br.beta, g, model)) < 1e-12 * max(1.0, g)
        jac = jacobian_eigenvalues(br.beta, g, model)
        assert np.allclose(np.sort_complex(np.array(br.eigenvalues)), jac, atol=1e-6)
        assert br.stable == bool(jac.real.max() < 0)
        if br.n > 0:
            assert twophoton.drive_of_photons(br.n, model=model) == pytest.approx(g, rel=1e-12)
    nonzero = [b for b in branches if b.n > 0]
    assert len(nonzero) % 2 == 0  # the symmetric pairs +beta, -beta
    for b_plus, b_minus in zip(nonzero[::2], nonzero[1::2], strict=True):
        assert b_minus.beta == -b_plus.beta and b_minus.stable == b_plus.stable
    if ratio > 1:  # above G_c exactly one pair, and it is stable
        assert len(nonzero) == 2 and nonzero[0].stable


def test_first_order_window_and_the_continuous_transition_of_the_book():
    # book: the pair is born at n = 0 at G_c (continuous), n ~ (G - G_c) just above
    for dg in (1e-3, 1e-6, 1e-9):
        (br,) = [b for b in twophoton.mean_field(GC + dg) if b.n > 0][:1]
        assert br.n == pytest.approx(4 * GC * dg / 2, rel=1e-2)  # 2 n^2 + n = G^2 - 1/4
    assert twophoton.linearized_branches(GC) == []  # marginal: nothing stable at G_c
    # Delta U + kappa eta/2 < 0: below G_c a stable pair coexists with the stable vacuum
    g = 0.95 * twophoton.critical_drive(model=FIRST_ORDER)
    stable = [b for b in twophoton.mean_field(g, model=FIRST_ORDER) if b.stable]
    assert len(stable) == 3 and stable[0].n == 0 and stable[1].n > 0


def test_mean_field_is_reached_by_the_heisenberg_equation():
    g = 1.0
    sol = scipy.integrate.solve_ivp(
        lambda t, y: [heisenberg_rhs(y[0] + 1j * y[1], g, PAPER).real,
                      heisenberg_rhs(y[0] + 1j * y[1], g, PAPER).imag],
        (0, 60), [0.01, 0.02], rtol=1e-11, atol=1e-13)
    beta = sol.y[0, -1] + 1j * sol.y[1, -1]
    stable = [b.beta for b in twophoton.mean_field(g) if b.stable]
    assert min(abs(beta - b) for b in stable) < 1e-8


# ------------------------------------------------------------------- Gaussian closed forms


@pytest.mark.parametrize("g", [0.1, 0.3, 0.45, 0.55, 0.7, 1.0, 2.0])
def test_gaussian_branches_obey_eq10_and_their_drift(g):
    branches = twophoton.linearized_branches(g)
    assert len(branches) == (1 if g < GC else 2)
    for b in branches:
        assert abs(b.residual) < 1e-10 * b.phi_q  # Eq. (10)
        assert b.pi_ext == b.phi_ext == pytest.approx(b.n * (PAPER.kappa + 2 * PAPER.eta * b.n))
        assert b.loss_rate == PAPER.kappa / 2 + 2 * PAPER.eta * b.n
        # the drift A_H - kappa' I of the closed forms is the Jacobian of the mean field
        A = hamiltonian_drift(twophoton.fluctuation_matrix(b.beta, g)) - b.loss_rate * np.eye(2)
        assert np.allclose(np.sort_complex(np.linalg.eigvals(A)),
                           jacobian_eigenvalues(b.beta, g, PAPER), atol=1e-6)
        assert b.pi_d > 0 and b.phi_q > 0


def test_gaussian_symmetric_phase_is_the_degenerate_parametric_oscillator():
    # below threshold, Delta = 0: <a^dag a> = 2 G^2 / (kappa^2 - 4 G^2),
    # <a^2> = -i G kappa / (kappa^2 - 4 G^2) (linear, Heisenberg-Langevin)
    for g in (0.1, 0.3, 0.49):
        (b,) = twophoton.linearized_branches(g)
        assert b.fluct_photons == pytest.approx(2 * g * g / (1 - 4 * g * g), rel=1e-10)
        assert b.fluct_pair == pytest.approx(-1j * g / (1 - 4 * g * g), rel=1e-10)


# ----------------------------------------------------------------------- exact state


@pytest.mark.parametrize(("N", "g", "model"), [
    (4, 0.3, PAPER), (10, 0.5, PAPER), (10, 1.0, PAPER), (20, 1.0, PAPER),
    (6, 0.8, FIRST_ORDER), (8, 2.5, FIRST_ORDER), (6, 0.8, NO_TWO_PHOTON_LOSS),
])
@pytest.mark.slow
def test_exact_state_agrees_with_a_direct_qutip_solve(N, g, model):
    rho = twophoton.steady_state(N, g, model=model)
    d = rho.shape[0]
    assert rho.diag()[-3:].sum() < 1e-10
    ref = qutip_state(N, g, d, model)
    assert np.abs(rho.full() - ref).max() < 1e-7
    # and the checked QuTiP route of the package returns the same state
    rq = twophoton.steady_state(N, g, model=model, method="qutip", cutoff=d)
    assert np.abs(rq.full() - ref).max() < 1e-12


@pytest.mark.parametrize(("N", "g"), [(8, 0.4), (15, 1.2)])
def test_exact_moments_are_the_moments_of_the_exact_density_matrix(N, g):
    rho = twophoton.steady_state(N, g)
    a = qutip.destroy(rho.shape[0])
    for j, k in [(1, 1), (0, 2), (2, 2), (0, 4), (1, 3), (3, 1), (3, 3), (2, 4)]:
        ref = qutip.expect(a.dag() ** j * a**k, rho) if j else qutip.expect(a**k, rho)
        assert twophoton.exact_moment(N, g, j, k) == pytest.approx(ref, rel=1e-9, abs=1e-12)
    for j, k in [(0, 1), (1, 2), (2, 1)]:  # Z2 parity
        assert twophoton.exact_moment(N, g, j, k) == 0
        assert abs(qutip.expect(a.dag() ** j * a**k, rho)) < 1e-12
    ex = twophoton.exact_fluctuations(N, g)
    assert ex["photons"] == pytest.approx(qutip.expect(a.dag() * a, rho), rel=1e-12)
    assert ex["phi_q"] == pytest.approx(
        ex["photons"] + 2 / N * (ex["pair_photons"] - abs(ex["pair"]) ** 2), rel=1e-14)
    assert twophoton.photon_distribution(N, g, rho.shape[0]) == pytest.approx(
        rho.diag().real, abs=1e-14)


def _one_over_n(values: dict, limit) -> None:
    """values[N] - limit is c/N + O(1/N^2): halving 1/N halves it, and Richardson removes it."""
    sizes = sorted(values)
    d1, d2 = values[sizes[0]] - limit, values[sizes[1]] - limit
    assert sizes[1] == 2 * sizes[0]
    assert abs(d1 / d2) == pytest.approx(2, rel=0.06)
    assert abs(2 * values[sizes[1]] - values[sizes[0]] - limit) < 0.1 * abs(d2)


def test_exact_moments_converge_to_the_mean_field_and_gaussian_as_one_over_n():
    sizes = (400, 800)
    # symmetric phase: the Gaussian moments around beta = 0
    (gs,) = twophoton.linearized_branches(0.3)
    ex = {N: twophoton.exact_fluctuations(N, 0.3) for N in sizes}
    _one_over_n({N: ex[N]["photons"] for N in sizes}, gs.fluct_photons)
    _one_over_n({N: ex[N]["pair"] for N in sizes}, gs.fluct_pair)
    # broken phase: intensive moments and the fluctuations of a branch, from invariants
    gb = twophoton.linearized_branches(1.0)[0]
    n, beta2 = gb.n, gb.beta**2
    ex = {N: twophoton.exact_fluctuations(N, 1.0) for N in sizes}
    _one_over_n({N: ex[N]["photons"] / N for N in sizes}, n)
    _one_over_n({N: ex[N]["pair"] / N for N in sizes}, beta2)
    _one_over_n({N: ex[N]["pair_variance"] / (4 * ex[N]["photons"]) for N in sizes},
                gb.fluct_photons)
    _one_over_n({N: (ex[N]["quartic"] - ex[N]["pair"] ** 2) / (4 * ex[N]["pair"])
                 for N in sizes}, gb.fluct_pair)
    _one_over_n({N: (ex[N]["phi_ext"] + ex[N]["phi_q"]) / N for N in sizes}, gb.pi_ext)


# ---------------------------------------------------------------------- entropy balance


@pytest.mark.parametrize(("N", "g", "model"), [
    (5, 0.2, PAPER), (10, 0.5, PAPER), (20, 1.0, PAPER), (40, 2.0, PAPER),
    (8, 0.9, FIRST_ORDER), (8, 0.8, NO_TWO_PHOTON_LOSS),
])
def test_eq10_holds_on_the_exact_states(N, g, model):
    b = twophoton.entropy_production(N, g, model=model)
    assert b.relative_residual < 1e-8  # Eq. (10): phase-space integrals against exact moments
    assert abs(b.entropy_rate_residual) < 1e-8 * b.phi_q  # Eq. (1) with the master equation's dS/dt
    assert b.phi_q_state == pytest.approx(b.phi_q, rel=1e-9)
    assert abs(b.mean_a) < 1e-14 and b.moment_error < 1e-9
    # the integrations by parts against the integrals with ln Q
    scale = 1e-9 * b.phi_q
    assert b.pi_d_two_photon == pytest.approx(b.pi_d_two_photon_direct, rel=1e-8, abs=scale)
    assert b.pi_u_coherent == pytest.approx(b.pi_u_coherent_direct, rel=1e-8, abs=scale)
    assert b.photons == pytest.approx(twophoton.exact_fluctuations(N, g, model=model)["photons"])


def test_vacuum_at_zero_drive():
    b = twophoton.entropy_production(10, 0.0)
    assert (b.pi_ext, b.pi_u, b.pi_d, b.phi_ext, b.phi_q) == (0, 0, 0, 0, 0)
    assert b.wehrl == pytest.approx(1 + math.log(math.pi), rel=1e-10)


def test_entropy_balance_converges_to_the_gaussian_closed_forms():
    # symmetric phase: every term, as 1/N
    (gs,) = twophoton.linearized_branches(0.3)
    bal = {N: twophoton.entropy_production(N, 0.3) for N in (80, 160)}
    for key in ("pi_u", "pi_d", "phi_q"):
        values = {N: getattr(b, key) for N, b in bal.items()}
        d80, d160 = values[80] - getattr(gs, key), values[160] - getattr(gs, key)
        assert 1.7 < d80 / d160 < 2.1
    # broken phase: Pi_u (a local term: the mixture's is the branches') and the fluxes per N
    gb = twophoton.linearized_branches(1.0)[0]
    bal = {N: twophoton.entropy_production(N, 1.0) for N in (40, 80)}
    d40, d80 = bal[40].pi_u - gb.pi_u, bal[80].pi_u - gb.pi_u
    assert 1.7 < d40 / d80 < 2.6 and abs(d80) < 0.005
    for N, b in bal.items():
        assert b.phi_ext / N == pytest.approx(2 * PAPER.eta * gb.n**2, abs=0.8 / N)
        assert b.phi_q / N == pytest.approx(PAPER.kappa * gb.n, abs=0.8 / N)


def _branch_state(N: float, g: float) -> np.ndarray:
    """The metastable state on one branch, rho + X / ||X||_1, with X the slowest odd mode
    (rho_+ - rho_- up to exponentially small terms); clipped to a positive matrix."""
    d = twophoton.fock_cutoff(N, g) + 15
    rho = twophoton.steady_state(N, g, cutoff=d).full()
    _, odd = twophoton.parity_sectors(d)
    mode = spectrum.sector_slowest_modes(twophoton.liouvillian(N, g, d), odd, 1)
    X = mode.vectors[:, 0].reshape(d, d, order="F")
    X = X * np.exp(-1j * np.angle(X.flat[np.abs(X).argmax()]))
    X = (X + X.conj().T) / 2
    w, U = np.linalg.eigh(rho + X / np.abs(np.linalg.eigvalsh(X)).sum())
    out = (U * np.clip(w, 0, None)) @ U.conj().T
    return out / np.trace(out).real


def test_branch_states_approach_the_gaussian_closed_forms():
    # the split of the two-photon channel (with the share F that moves the mean) makes the
    # balance of a state on one branch the Gaussian one of linearized_branches, as 1/N
    g = 1.0
    gb = twophoton.linearized_branches(g)[0]
    bal = {N: twophoton.state_balance(_branch_state(N, g), N, g) for N in (40, 80)}
    for N, b in bal.items():
        alpha = b.mean_a / math.sqrt(N)
        assert min(abs(alpha - gb.beta), abs(alpha + gb.beta)) < 1.0 / N
        assert abs(b.entropy_rate_residual) < 1e-8
    for key in ("pi_u", "pi_d", "phi_q"):
        d40, d80 = (getattr(bal[N], key) - getattr(gb, key) for N in (40, 80))
        assert 1.8 < d40 / d80 < 3.0 and abs(d80) < 0.012
    # without that share Phi_q would miss by 4 eta n <da^dag da>, an O(1) amount
    assert 4 * gb.n * gb.fluct_photons > 5 * abs(bal[80].phi_q - gb.phi_q)


def test_eq1_on_states_that_are_not_stationary():
    d = 45
    for rho in (qutip.displace(d, 1.2 - 0.7j) * qutip.squeeze(d, 0.3 + 0.2j) * qutip.basis(d, 0),
                qutip.thermal_dm(d, 0.8), qutip.coherent(d, 0.5j)):
        b = twophoton.state_balance(rho, 6.0, 0.7, model=FIRST_ORDER)
        assert abs(b.entropy_rate_residual) < 1e-9 * max(1.0, abs(b.wehrl_rate))
        assert b.pi_d_two_photon == pytest.approx(b.pi_d_two_photon_direct, rel=1e-8, abs=1e-11)


def test_a_state_that_is_not_the_steady_state_is_refused():
    rho = twophoton.steady_state(10, 0.8)
    with pytest.raises(IllConditionedError, match="deviates from the exact moments"):
        twophoton.balance_of_state(rho, 10, 0.9)


# ------------------------------------------------------------------------- cutoff rules


def test_cutoff_rules_and_typed_errors():
    with pytest.raises(CutoffError):
        twophoton.steady_state(20, 1.0, cutoff=15, grow=False)
    with pytest.raises(CutoffError):
        twophoton.steady_state(20, 1.0, max_cutoff=20)
    rho = twophoton.steady_state(20, 1.0, cutoff=15)  # grown until the top levels are empty
    assert rho.shape[0] > 15 and rho.diag()[-3:].sum() < 1e-10
    with pytest.raises(MemoryLimitError):
        twophoton.steady_state(1e7, 1.0)
    with pytest.raises(ValueError, match="method"):
        twophoton.steady_state(10, 1.0, method="mc")
    assert twophoton.fock_cutoff(20, 1.0) <= twophoton.initial_cutoff(20, 1.0) + 20


# ---------------------------------------------------------------------------- the gap


def _dense_sector(L: qutip.Qobj, index: np.ndarray, drop_zero: bool) -> np.ndarray:
    ev = np.linalg.eigvals(L.full()[np.ix_(index, index)])
    if drop_zero:
        ev = ev[np.argsort(np.abs(ev))][1:]
    return np.sort(np.abs(ev.real))


@pytest.mark.parametrize(("N", "g"), [(4, 0.3), (5, 1.0), (6, 0.6)])
def test_sector_gaps_are_those_of_the_dense_blocks(N, g):
    res = twophoton.sector_gaps(N, g, k=2, cutoff=12)
    d = res.cutoff
    L = twophoton.liouvillian(N, g, d)
    even, odd = twophoton.parity_sectors(d)
    assert res.even_gap == pytest.approx(_dense_sector(L, even, True)[0], rel=1e-9)
    assert res.odd_gap == pytest.approx(_dense_sector(L, odd, False)[0], rel=1e-9)
    # the gap of the whole Liouvillian, by the unrestricted search of epcore.spectrum
    full = spectrum.slowest_modes(L, 1, dense_limit=0)
    assert twophoton.liouvillian_gap(N, g, cutoff=12) == pytest.approx(full.gap, rel=1e-8)


def test_odd_gap_approaches_the_linearized_drift_below_gc():
    # below G_c the slowest mode is odd, at kappa/2 - G (Delta = 0) for N -> infinity
    res = {N: twophoton.sector_gaps(N, 0.3) for N in (20, 40)}
    d20, d40 = (res[N].odd_gap - 0.2 for N in (20, 40))
    assert 1.6 < d20 / d40 < 2.2
    assert res[40].gap == res[40].odd_gap < res[40].even_gap


def test_odd_gap_closes_exponentially_above_gc_while_the_even_gap_does_not():
    sizes = (10, 20, 30, 40)
    res = [twophoton.sector_gaps(N, 1.0) for N in sizes]
    odd = np.array([r.odd_gap for r in res])
    even = np.array([r.even_gap for r in res])
    ratios = odd[:-1] / odd[1:]
    assert np.all(ratios > 10) and np.ptp(np.log(ratios)) < 0.1  # exp(-c N), c ~ 0.26
    assert np.all(even > 0.4) and even.max() / even.min() < 1.2
    assert all(r.gap == r.odd_gap and r.odd_error < 1e-3 * r.odd_gap for r in res)


# -------------------------------------------------------------------- across G_c (ch. 7)


@pytest.mark.parametrize("model", [PAPER, PAPER.replace(delta=0.3, u=2.0)])
def test_pi_u_on_both_sides_is_the_parametric_oscillator_of_chapter_3(model):
    # the fluctuations are a parametric oscillator (omega, g, kappa'): chapter 3's closed form
    from epcore.cavity import parametric_pi_u
    gc = twophoton.critical_drive(model=model)
    ratios = np.array([0.3, 0.8, 0.99, 1.01, 1.4, 3.0])
    scan = twophoton.gaussian_scan(ratios, model=model)
    for r, pi_u, kp, n in zip(ratios, scan["pi_u"], scan["loss_rate"], scan["n"], strict=True):
        br = twophoton.linearized_branches(r * gc, model=model)[0]
        gamma = r * gc + complex(model.u, -model.eta) * br.beta**2
        omega = model.delta + 2 * model.u * n
        assert pi_u == pytest.approx(parametric_pi_u(omega, gamma, kp), rel=1e-10)
    # below G_c the photon number of the degenerate parametric oscillator:
    # Phi_q = 2 kappa' <a^dag a> = kappa G^2 / (2 (G_c^2 - G^2))
    below = ratios < 1
    g = ratios[below] * gc
    expected = model.kappa * g**2 / (2 * (gc**2 - g**2))
    np.testing.assert_allclose(scan["phi_q"][below], expected, rtol=1e-10)


def test_pi_u_reaches_the_single_mode_bound_at_gc_from_both_sides_and_pi_d_diverges():
    d = np.array([1e-3, 1e-4, 1e-5])
    below = twophoton.gaussian_scan(1 - d)
    above = twophoton.gaussian_scan(1 + d)
    # the sharp single-mode bound 2 kappa'/3 of chapter 3, kappa' = kappa/2
    for side in (below, above):
        np.testing.assert_allclose(side["pi_u"][-1], 1 / 3, rtol=1e-4)
        assert np.all(np.diff(side["pi_u"]) > 0)  # rising towards the cusp
    # a kink: the slopes on the two sides differ
    slope_below = (1 / 3 - below["pi_u"][0]) / d[0]
    slope_above = (1 / 3 - above["pi_u"][0]) / d[0]
    assert abs(slope_below - slope_above) > 0.1 * abs(slope_below)
    # Pi_d ~ C/|r - 1| on both sides: slope -1, amplitudes kappa/4 below, half of it above
    for side in (below, above):
        slopes = np.diff(np.log(side["pi_d"])) / np.diff(np.log(d))
        np.testing.assert_allclose(slopes, -1, atol=2e-3)
    np.testing.assert_allclose(below["pi_d"][-1] * d[-1], 0.25, rtol=1e-3)
    np.testing.assert_allclose(below["pi_d"][-1] / above["pi_d"][-1], 2, rtol=1e-3)
    with pytest.raises(ValueError, match="leave out the ratio 1"):
        twophoton.gaussian_scan([0.5, 1.0])


def test_exact_pi_d_at_gc_grows_as_the_square_root_of_n():
    # Pi_d ~ |r - 1|^-1 cut off at |r - 1| ~ N^-1/2: Pi_d(G_c) ~ N^(1/2), approached from above
    out = twophoton.critical_growth([100, 200, 400, 800, 1600])
    for key in ("local_exponent", "local_photon_exponent"):
        e = out[key]
        assert np.all(np.diff(e) < 0) and np.all(e > 0.5)
        assert e[-1] < 0.53
    assert np.all(out["pi_u"] < 1 / 3)  # below the N -> infinity value at G_c


def test_symmetric_state_above_gc_produces_kappa_n_per_unit_n():
    lim = twophoton.broken_phase_limit(1.0)
    sizes = (100, 200, 400)
    errs = []
    for N in sizes:
        b = twophoton.entropy_production(N, 1.0)
        errs.append(b.pi_d / N - lim["pi_d"])
        assert b.phi_ext / N == pytest.approx(lim["phi_ext"], rel=0.05)
    errs = np.array(errs)
    np.testing.assert_allclose(errs[:-1] / errs[1:], 2, rtol=0.1)  # O(1/N)
    assert lim["n"] == pytest.approx(max(b.n for b in twophoton.mean_field(1.0)))
    with pytest.raises(ValueError, match="not above G_c"):
        twophoton.broken_phase_limit(0.5)


def test_gap_scaling_power_law_at_gc_and_exponential_above():
    at = twophoton.gap_scaling([10, 20, 40, 80], 1.0)
    local = np.diff(np.log(at["gap"])) / np.diff(np.log(at["N"]))
    assert np.all(np.diff(local) < 0) and -0.55 < local[-1] < -0.4  # towards N^-1/2
    assert np.all(at["gap"] == at["odd_gap"])
    above = twophoton.gap_scaling([10, 20, 40, 80], 1.5)
    # odd gap exponential, even gap converging to a finite value
    assert np.all(np.diff(np.log(above["odd_gap"])) < -0.5)
    assert abs(above["even_gap"][-1] / above["even_gap"][-2] - 1) < 0.05
    with pytest.raises(ValueError, match="increase"):
        twophoton.gap_scaling([20, 10, 40], 1.0)
