"""Tests of epcore.dynamics: Liouvillian gap, trajectories, ramps (exact results and identities)."""

from __future__ import annotations

import numpy as np
import pytest
import qutip
import scipy.integrate

from epcore import dicke, dynamics, kerr
from epcore.phasespace import entropy_balance

EPS_C = kerr.critical_drive()


@pytest.mark.parametrize(("N", "eps", "d"), [(3, 1.0, 24), (4, 0.97, 26), (2, 0.4, 16)])
@pytest.mark.slow
def test_gap_matches_dense_diagonalization(N, eps, d):
    L = kerr.liouvillian(N, eps, d).full()
    ev = np.linalg.eigvals(L)
    ev = ev[np.argsort(np.abs(ev))]
    assert abs(ev[0]) < 1e-10  # the steady state
    res = kerr.liouvillian_spectrum(N, eps, k=3, cutoff=d)
    # every eigenvalue returned is one of the dense spectrum's nonzero eigenvalues
    for lam in res.eigenvalues:
        assert np.abs(ev[1:] - lam).min() < 1e-6 * abs(lam)  # dense eig: ~1e-8
    # the gap: the smallest nonzero |Re lambda| of the whole dense spectrum
    assert res.gap == pytest.approx(np.abs(ev[1:].real).min(), rel=1e-6)
    assert res.error < 1e-9 * res.gap


def test_gap_converged_in_cutoff():
    default = kerr.liouvillian_spectrum(10, EPS_C, k=1)
    bigger = kerr.liouvillian_spectrum(10, EPS_C, k=1, cutoff=default.cutoff + 20)
    assert default.top_population < 1e-10
    assert bigger.gap == pytest.approx(default.gap, rel=1e-8)


@pytest.mark.slow
def test_gap_closes_at_large_deviation_rate():
    """ln(gap) at eps_c is linear in N with the slope of the Kramers-like barrier (10 %)."""
    sizes = [10, 15, 20, 25, 30]
    gaps = [kerr.liouvillian_gap(N, EPS_C) for N in sizes]
    rate, _, stderr = dynamics.fit_exponential(sizes, gaps)
    barrier = min(kerr.switching_barriers(EPS_C))
    assert rate == pytest.approx(barrier, rel=0.10)
    assert stderr < 0.01 * rate


def test_barriers_equal_at_critical_drive_and_undefined_outside_window():
    lo, hi = kerr.switching_barriers(EPS_C)
    assert lo == pytest.approx(hi, rel=1e-9)
    b_low, b_up = kerr.switching_barriers(0.85)
    assert b_low > b_up > 0  # below eps_c the lower branch is the more stable one
    with pytest.raises(ValueError, match="outside the bistable window"):
        kerr.switching_barriers(0.5)


def test_bad_input_raises():
    with pytest.raises(ValueError):
        kerr.liouvillian_gap(-1, 1.0)
    with pytest.raises(ValueError):
        kerr.liouvillian_spectrum(5, 1.0, k=0)
    with pytest.raises(ValueError, match="max_cutoff"):
        kerr.liouvillian_gap(40, EPS_C, max_cutoff=100)
    with pytest.raises(ValueError):
        dynamics.fit_exponential([1, 2], [1.0, 0.5])


def test_steady_state_solve_accurate_when_gap_large():
    r = kerr.steady_state_error(10, EPS_C)
    assert r["photon_error"] < 1e-9
    assert r["gap"] > 1e-4


def test_dicke_slowest_rate_closes_linearly_and_is_cut_off():
    lc = dicke.critical_coupling()
    tiny, paper = dicke.PAPER.replace(gamma=1e-9), dicke.PAPER
    r1, r2 = dicke.slowest_rate(lc * (1 - np.array([1e-6, 2e-6])), model=tiny)
    assert r2 / r1 == pytest.approx(2.0, rel=0.05)  # rate ~ |lambda - lambda_c|^1
    at_c = dicke.slowest_rate(lc, model=paper)[0]
    assert 0.3e-3 < at_c < 1.5e-3  # saturated at the order of gamma
    far = dicke.slowest_rate(0.5 * lc, model=tiny)[0]
    assert far > 30 * dicke.slowest_rate(lc * (1 - 1e-7), model=tiny)[0]


def test_jump_trajectories_average_to_mesolve():
    N, eps, t_max, dt = 3, 1.0, 4.0, 0.5
    runs = [dynamics.jump_trajectory(N, eps, t_max=t_max, dt=dt, seed=s) for s in range(60)]
    n = np.array([r["photons"] for r in runs]) * N
    mean, err = n.mean(axis=0), n.std(axis=0, ddof=1) / np.sqrt(len(runs))
    d = int(runs[0]["cutoff"])
    H = kerr.hamiltonian(N, eps, d)
    a = qutip.destroy(d)
    exact = qutip.mesolve(H, qutip.basis(d, 0), runs[0]["t"], [a], e_ops=[a.dag() * a])
    exact = np.real(exact.expect[0])
    assert np.all(np.abs(mean - exact) <= 4 * err + 1e-9)
    assert np.abs(mean - exact).max() > 0  # genuinely stochastic, not a copy of mesolve


def test_heterodyne_samples_of_vacuum_follow_its_q_function():
    r = dynamics.jump_trajectory(2, 0.0, t_max=400.0, dt=0.5, seed=3, sample_every=1)
    mu = r["mu_re"] + 1j * r["mu_im"]
    assert len(r["jumps"]) == 0
    # Q of the vacuum is exp(-|mu|^2)/pi: each quadrature has variance 1/2, mean 0
    n = len(mu)
    assert abs(mu.real.mean()) < 4 * np.sqrt(0.5 / n)
    assert np.var(mu.real) == pytest.approx(0.5, abs=4 * 0.5 * np.sqrt(2 / n) + 0.01)
    assert np.var(mu.imag) == pytest.approx(0.5, abs=4 * 0.5 * np.sqrt(2 / n) + 0.01)


def test_telegraph_and_dwell_times_on_a_known_signal():
    t = np.arange(20.0)
    signal = np.array([0, .1, .9, .5, .95, .6, .2, .1, .5, .3, 1, 1, 1, .45, .05, 0, 0, 1, 1, 1])
    branch = dynamics.telegraph(signal, 0.25, 0.75)
    expected = [0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1]
    np.testing.assert_array_equal(branch, expected)
    low, up = dynamics.dwell_times(t, branch)
    np.testing.assert_allclose(low, [4.0, 3.0])
    np.testing.assert_allclose(up, [4.0, 4.0])
    with pytest.raises(ValueError):
        dynamics.telegraph(signal, 0.8, 0.2)


@pytest.fixture(scope="module")
def short_ramp():
    return dynamics.ramp(3, 10.0, n_out=401, n_jobs=1, progress=False)


@pytest.mark.slow
def test_ramp_satisfies_eq1_along_the_way(short_ramp):
    """dS/dt = Pi - Phi (Eq. 1) at every output time of a drive ramp."""
    r = short_ramp
    scale = np.abs(r.pi - r.phi).max()
    # the master-equation rate -int (dQ/dt) ln Q against Pi - Phi: quadrature accuracy
    assert np.abs(r.dS_dt - (r.pi - r.phi)).max() < 1e-8 * scale
    # the time derivative of the computed S(t) (central differences, O(dt^2) = 2.5e-3)
    fd = r.dS_dt_differences
    interior = np.abs(r.t - r.t_ramp) > 3 * (r.t[1] - r.t[0])  # away from the kink of eps(t)
    interior[:2] = interior[-2:] = False
    assert np.abs(fd - (r.pi - r.phi))[interior].max() < 2e-3 * scale


@pytest.mark.slow
def test_ramp_starts_in_steady_state_and_closes_a_loop(short_ramp):
    r = short_ramp
    assert r.photons[0] * 3 == pytest.approx(kerr.exact_moment(3, 0.6, 1, 1).real, rel=1e-9)
    assert r.pi[0] == pytest.approx(r.phi[0], rel=1e-7)  # a steady state: Pi = Phi
    assert r.eps[0] == r.eps[-1] == 0.6
    assert r.area > 0  # the way up lies below the way down


def test_hysteresis_area_of_a_known_loop():
    eps = np.array([0.0, 1.0, 1.0, 0.0, 0.0])
    n = np.array([0.0, 0.0, 2.0, 2.0, 0.0])
    assert dynamics.hysteresis_area(eps, n) == pytest.approx(2.0)


def test_fit_power_law_recovers_an_exact_power_law():
    x = np.array([2.0, 3.0, 5.0, 8.0, 13.0])
    p, amp, misfit = dynamics.fit_power_law(x, 3 * x**-1.5)
    assert p == pytest.approx(1.5, abs=1e-12)
    assert amp == pytest.approx(3.0, rel=1e-12)
    assert misfit < 1e-12
    # a point off the law by 10 % shows in the misfit
    y = 3 * x**-1.5
    y[2] *= 1.1
    assert dynamics.fit_power_law(x, y)[2] > 0.02
    with pytest.raises(ValueError):
        dynamics.fit_power_law([1.0], [1.0])
    with pytest.raises(ValueError):
        dynamics.fit_power_law([1.0, 2.0], [1.0, -1.0])
    with pytest.raises(ValueError):
        dynamics.fit_power_law([1.0, 2.0, 3.0], [1.0, 2.0])


def test_peak_time_of_a_parabola_on_log_axes():
    """ln v = -(ln T - ln T0)^2 is a parabola on log-log axes: the vertex is T0 exactly."""
    T = np.geomspace(1.0, 1e4, 9)
    t0 = 37.0
    v = np.exp(-((np.log(T) - np.log(t0)) ** 2))
    assert dynamics.peak_time(T, v) == pytest.approx(t0, rel=1e-12)
    assert np.isnan(dynamics.peak_time(T, np.exp(np.log(T))))  # increasing: no bracketed peak
    with pytest.raises(ValueError):
        dynamics.peak_time(T[::-1], v)
    with pytest.raises(ValueError):  # a parabola in ln v needs positive values at the peak
        dynamics.peak_time([1.0, 2.0, 3.0], [-1.0, 1.0, 0.5])
    assert np.isnan(dynamics.peak_time([1.0, 2.0], [1.0, 2.0]))


def test_zero_time_of_a_linear_crossing_in_log_time():
    T = np.geomspace(1.0, 1e3, 7)
    v = 2.0 * (np.log(T) - np.log(20.0))  # linear in ln T, zero at T = 20
    assert dynamics.zero_time(T, v) == pytest.approx(20.0, rel=1e-12)
    assert np.isnan(dynamics.zero_time(T, -v))  # turns from positive to negative only
    assert np.isnan(dynamics.zero_time(T, np.ones_like(T)))
    with pytest.raises(ValueError):
        dynamics.zero_time(T, v[:-1])


def test_cycle_split_integrates_exactly_linear_rates():
    """The trapezoid rule is exact for linear rates: int_0^2 (1 + t) dt = 4."""
    t = np.array([0.0, 0.3, 1.1, 2.0])
    tot = dynamics.cycle_split(t, 1 + t, 0.25 * (1 + t), 0.75 * (1 + t), -t)
    assert tot["sigma"] == pytest.approx(4.0, rel=1e-14)
    assert tot["sigma_a"] == pytest.approx(1.0, rel=1e-14)
    assert tot["sigma_na"] == pytest.approx(3.0, rel=1e-14)
    assert tot["hatano_sasa"] == pytest.approx(-2.0, rel=1e-14)
    with pytest.raises(ValueError):
        dynamics.cycle_split(t, t, t, t[:-1], t)


def test_gap_with_its_own_cutoff_matches_a_dense_spectrum_at_another_cutoff():
    """The gap (sparse eigensolver, cutoff chosen by the function: 36 levels here) is the
    smallest nonzero |Re lambda| of a dense diagonalization with 20 levels."""
    ev = np.linalg.eigvals(kerr.liouvillian(2, 1.0, 20).full())
    ev = ev[np.argsort(np.abs(ev))]
    assert kerr.liouvillian_gap(2, 1.0) == pytest.approx(np.abs(ev[1:].real).min(), rel=1e-6)


# ------------------------------------------------------------- window-free switching rate


def _telegraph_record(rng, g_up, g_down, length, dt, levels=(0.2, 1.5), fast=0.3, white=0.3):
    """A stationary telegraph signal with switching rates g_up, g_down, sampled every dt, plus
    an Ornstein-Uhlenbeck noise of rate 1 (a fast intra-branch relaxation) and white noise."""
    p = g_up / (g_up + g_down)
    state, t, edges, states = int(rng.random() < p), 0.0, [], []
    while t < length:
        states.append(state)
        t += rng.exponential(1 / (g_down if state else g_up))
        edges.append(t)
        state = 1 - state
    grid = np.arange(0.0, length, dt)
    branch = np.array(states)[np.searchsorted(edges, grid, side="right")]
    decay = np.exp(-dt)
    kicks = rng.normal(size=grid.size) * fast * np.sqrt(1 - decay**2)
    ou = np.empty(grid.size)
    ou[0] = fast * rng.normal()
    for i in range(1, grid.size):
        ou[i] = decay * ou[i - 1] + kicks[i]
    signal = np.where(branch == 1, levels[1], levels[0]) + ou + white * rng.normal(size=grid.size)
    return signal, p * levels[1] + (1 - p) * levels[0]


def test_correlation_rate_recovers_the_rates_of_a_noisy_telegraph_signal():
    rng = np.random.default_rng(1)
    g_up, g_down = 0.02, 0.05
    records, mean = zip(*(_telegraph_record(rng, g_up, g_down, 2e4, 0.5) for _ in range(8)),
                        strict=True)
    r = dynamics.correlation_rate(list(records), 0.5, mean=mean[0], t_min=5.0)
    assert r["rate_error"] < 0.05 * (g_up + g_down)
    assert r["rate"] == pytest.approx(g_up + g_down, abs=3 * r["rate_error"])
    # the amplitude is the variance of the telegraph part, p (1 - p) (x1 - x0)^2
    p = g_up / (g_up + g_down)
    assert r["amplitude"] == pytest.approx(p * (1 - p) * 1.3**2, rel=0.1)
    # the fit starts where asked and ends where C has fallen by e^-1.5
    t0, t1 = r["fit_range"]
    assert t0 == 5.0
    assert (t1 - t0) * r["rate"] == pytest.approx(1.5, rel=0.25)
    with pytest.raises(ValueError, match="two independent records"):
        dynamics.correlation_rate(list(records[:1]), 0.5, mean=mean[0], t_min=5.0)
    with pytest.raises(ValueError, match="never falls"):
        dynamics.correlation_rate([np.ones(100) + 1e-3 * np.arange(100)] * 2, 0.5, mean=0.0,
                                  t_min=1.0)


@pytest.mark.slow
def test_window_free_switching_rate_matches_the_gap():
    """The decay of the photon-number autocovariance of quantum-jump runs is the gap (10 %)."""
    N, eps = 2, 1.025  # inside the window, gap 0.060, next mode 14 times faster
    runs = [dynamics.jump_trajectory(N, eps, t_max=5000.0, seed=s, bins=8, sample_every=100)
            for s in range(4)]
    gap = kerr.liouvillian_gap(N, eps)
    r = dynamics.switching_rate_from_correlation(runs, N, eps, t_min=5.0, t_skip=100.0)
    assert r["rate"] == pytest.approx(gap, rel=0.10)
    assert r["rate_error"] < 0.10 * gap
    assert r["mean"] == pytest.approx(kerr.exact_moment(N, eps, 1, 1).real / N, rel=1e-12)


# ----------------------------------------------------- entropy of a cycle, and its split


def test_ramp_entropy_is_zero_for_a_quasi_static_record_and_has_the_fast_limit():
    N = 3
    t = np.linspace(0.0, 20.0, 201)
    eps = dynamics.triangle(t, 10.0, 0.6, 1.25)
    n_ss = np.array([kerr.exact_moment(N, e, 1, 1).real for e in eps]) / N
    # a record that is the steady state at every time: Sigma = Sigma_qs exactly
    r = dynamics.ramp_entropy(N, t, eps, n_ss, (2.0, 2.0))
    assert r["relative"] == pytest.approx(0.0, abs=1e-13)
    assert r["difference"] == pytest.approx(0.0, abs=1e-12)
    # the fast-ramp limit: Gauss-Legendre against adaptive quadrature of the exact moments
    limit = dynamics.fast_ramp_limit(N)
    avg = scipy.integrate.quad(lambda e: kerr.exact_moment(N, e, 1, 1).real / N, 0.6, 1.25,
                               epsabs=1e-12, epsrel=1e-12, limit=200)[0] / 0.65
    assert limit["average"] == pytest.approx(avg, rel=1e-9)
    assert limit["relative"] == pytest.approx(limit["start"] / avg - 1, rel=1e-9)
    # and a ramp much faster than every relaxation approaches it
    fast = dynamics.ramp_row(N, 0.01, n_out=101)
    rel = dynamics.ramp_entropy(N, fast["t"], fast["eps"], fast["photons"],
                                fast["wehrl_ends"])["relative"]
    assert rel == pytest.approx(limit["relative"], abs=0.01)
    assert limit["relative"] < -0.5  # the cavity never fills


def test_entropy_split_adds_up_and_vanishes_in_the_steady_state():
    N, eps, d = 3, 1.0, 36
    H = kerr.hamiltonian(N, eps, d)
    exact = kerr.exact_density_matrix(N, eps, d)
    # a steady state from another route (sparse LU): no distance, no non-adiabatic part
    solved = qutip.steadystate(kerr.liouvillian(N, eps, d), method="direct")
    s = dynamics.entropy_split(solved, exact, H, 0.5)
    assert abs(s["pi_na"]) < 1e-9 * s["phi"]
    assert abs(s["relative_entropy"]) < 1e-9
    assert s["pi_a"] == pytest.approx(s["phi"], rel=1e-9)
    # a state away from it: Pi_a + Pi_na = Pi of entropy_balance (its own grid, Eq. 6)
    rho = 0.7 * kerr.exact_density_matrix(N, 0.8, d) + 0.3 * qutip.coherent_dm(d, 1.5).full()
    s = dynamics.entropy_split(rho, exact, H, 0.5)
    b = entropy_balance(rho, H, 0.5)
    assert s["pi_a"] + s["pi_na"] == pytest.approx(b.pi, rel=1e-9)
    assert s["dS_dt"] == pytest.approx(b.wehrl_rate, abs=1e-9 * b.pi)
    assert s["relative_entropy"] > 0.01
    with pytest.raises(ValueError, match="Fock levels"):
        dynamics.entropy_split(rho, exact[:20, :20], H, 0.5)


def test_non_adiabatic_part_is_minus_the_decay_of_the_distance_at_fixed_drive():
    """With the drive held fixed, Pi_na = -dD/dt exactly (Y = 0)."""
    N, eps, d = 3, 1.0, 36
    H = kerr.hamiltonian(N, eps, d)
    exact = kerr.exact_density_matrix(N, eps, d)
    start = qutip.Qobj(kerr.exact_density_matrix(N, 0.7, d))
    t = np.linspace(0.0, 2.0, 81)
    states = qutip.mesolve(kerr.liouvillian(N, eps, d), start, t,
                           options={"atol": 1e-12, "rtol": 1e-10}).states
    rows = [dynamics.entropy_split(s, exact, H, 0.5, drho_ss=np.zeros((d, d))) for s in states]
    D = np.array([r["relative_entropy"] for r in rows])
    pi_na = np.array([r["pi_na"] for r in rows])
    assert np.all([r["hatano_sasa"] == 0.0 for r in rows])
    dD = np.gradient(D, t, edge_order=2)
    scale = np.abs(pi_na).max()
    assert np.abs(dD + pi_na)[1:-1].max() < 2e-3 * scale  # O(dt^2) differences
    assert np.all(np.diff(D) < 0)  # the distance to the steady state decreases


@pytest.fixture(scope="module")
def split_ramp():
    return dynamics.ramp(3, 10.0, n_out=401, split=True, n_jobs=1, progress=False)


@pytest.mark.slow
def test_split_along_a_ramp_satisfies_its_sum_rules(split_ramp):
    r = split_ramp
    scale = np.abs(r.pi).max()
    assert np.abs(r.pi_a + r.pi_na - r.pi).max() < 1e-8 * scale
    # it starts in the steady state
    assert r.relative_entropy[0] == pytest.approx(0.0, abs=1e-10)
    assert abs(r.pi_na[0]) < 1e-9 * scale
    # Pi_na = Y - dD/dt, with Y from d rho_ss / d eps (central differences in the drive)
    dD = np.gradient(r.relative_entropy, r.t, edge_order=2)
    interior = np.abs(r.t - r.t_ramp) > 3 * (r.t[1] - r.t[0])  # away from the kink of eps(t)
    interior[:2] = interior[-2:] = False
    residual = np.abs(r.hatano_sasa - dD - r.pi_na)[interior]
    assert residual.max() < 2e-3 * np.abs(r.pi_na).max()
    # the same check, by the library function the book calls
    rule = dynamics.sum_rule_residual(r.t, r.t_ramp, r.pi_na, r.hatano_sasa, r.relative_entropy)
    assert rule < 2e-3
    assert rule == pytest.approx(residual.max() / r.pi_na.max(), rel=1e-12)


@pytest.mark.slow
def test_sum_rule_residual_detects_a_violated_rule(split_ramp):
    """A wrong Pi_na (shifted by 5 % of its largest value, or with the Hatano-Sasa term
    dropped) is reported as a residual of that size."""
    r = split_ramp
    scale = r.pi_na.max()
    shifted = r.pi_na + 0.05 * scale
    bad = dynamics.sum_rule_residual(r.t, r.t_ramp, shifted, r.hatano_sasa,
                                     r.relative_entropy)
    assert bad == pytest.approx(0.05 * scale / shifted.max(), rel=0.05)
    no_y = dynamics.sum_rule_residual(r.t, r.t_ramp, r.pi_na, 0 * r.hatano_sasa,
                                      r.relative_entropy)
    assert no_y > 0.1 * np.abs(r.hatano_sasa).max() / scale
    # the relative entropy of two probability densities is never negative
    assert r.relative_entropy.min() > -1e-10


def test_entropy_rate_differences_is_exact_on_a_quadratic():
    """Second-order differences (one-sided at the ends) differentiate a quadratic exactly,
    on an uneven grid too."""
    t = np.array([0.0, 0.3, 0.5, 1.2, 2.0, 2.1])
    rate = dynamics.entropy_rate_differences(t, 2.0 - t + 0.75 * t**2)
    np.testing.assert_allclose(rate, -1.0 + 1.5 * t, rtol=0, atol=1e-12)
    # a cubic is not: the differences see its third derivative
    cubic = dynamics.entropy_rate_differences(t, t**3)
    assert np.abs(cubic - 3 * t**2).max() > 1e-2


@pytest.mark.parametrize("t, S", [
    ([0.0, 1.0], [0.0, 1.0]),  # fewer than 3 times
    ([0.0, 2.0, 1.0], [0.0, 1.0, 2.0]),  # not increasing
    ([0.0, 1.0, 2.0], [0.0, np.nan, 2.0]),  # a ramp without the balance
    ([0.0, 1.0, 2.0], [0.0, 1.0]),  # different lengths
])
def test_entropy_rate_differences_refuses_bad_input(t, S):
    with pytest.raises(ValueError):
        dynamics.entropy_rate_differences(t, S)


def test_sum_rule_residual_is_exact_for_an_exact_rule_and_refuses_bad_input():
    t = np.linspace(0.0, 4.0, 81)
    D = np.sin(t) ** 2 + t**2  # any smooth D: take Y = Pi_na + dD/dt exactly
    pi_na = 1.0 + 0.5 * np.cos(t)
    dD = np.gradient(D, t, edge_order=2)
    assert dynamics.sum_rule_residual(t, 2.0, pi_na, pi_na + dD, D) < 1e-14
    # with the exact derivative instead: the O(dt^2) error of the differences
    exact = 2 * np.sin(t) * np.cos(t) + 2 * t
    res = dynamics.sum_rule_residual(t, 2.0, pi_na, pi_na + exact, D)
    assert 1e-6 < res < 1e-2
    with pytest.raises(ValueError):
        dynamics.sum_rule_residual(t, 2.0, -pi_na, pi_na + dD, D)  # no positive scale
    with pytest.raises(ValueError):
        dynamics.sum_rule_residual(t, 2.0, pi_na * np.nan, pi_na + dD, D)  # split=False
    with pytest.raises(ValueError):
        dynamics.sum_rule_residual(t[:5], 0.1, pi_na[:5], pi_na[:5], D[:5])  # nothing left
