"""Kerr bistability: exact solutions, identities and bad input (Sec. IV, App. B of the paper)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import qutip
import scipy.optimize
import scipy.special

import epcore
from epcore import kerr
from epcore.gaussian import hamiltonian_drift
from epcore.phasespace import CUTOFF_TOL

KAPPA, DELTA, U = 0.5, -2.0, 1.0
EPS_C = kerr.critical_drive()


# --------------------------------------------------------------------------- mean field


def test_mean_field_branches_solve_the_cubic_and_stability_criterion():
    for eps in (0.3, 0.75, 0.9, 1.1, 1.5):
        branches = kerr.mean_field(eps)
        assert [b.n for b in branches] == sorted(b.n for b in branches)
        for b in branches:
            assert b.n * (KAPPA**2 + (DELTA + U * b.n) ** 2) == pytest.approx(eps**2, rel=1e-12)
            assert b.alpha == pytest.approx(eps / complex(KAPPA, DELTA + U * b.n), rel=1e-12)
            # stable iff kappa^2 + (Delta + u n)(Delta + 3 u n) > 0 (determinant of the drift)
            assert b.stable == (KAPPA**2 + (DELTA + U * b.n) * (DELTA + 3 * U * b.n) > 0)


def test_window_edges_are_turning_points_of_the_s_curve():
    lo, hi = kerr.bistability_window()
    assert lo < EPS_C < hi
    # d(eps^2)/dn = 0 at the edges: 3u^2 n^2 + 4 Delta u n + kappa^2 + Delta^2 = 0
    n_edges = np.roots([3 * U**2, 4 * DELTA * U, KAPPA**2 + DELTA**2])
    eps_edges = sorted(math.sqrt(n * (KAPPA**2 + (DELTA + U * n) ** 2)) for n in n_edges)
    assert (lo, hi) == pytest.approx(eps_edges, rel=1e-12)
    for eps, count in ((lo * 0.999, 1), (lo * 1.001, 3), (hi * 0.999, 3), (hi * 1.001, 1)):
        branches = kerr.mean_field(eps)
        assert len(branches) == count
        assert sum(b.stable for b in branches) == (2 if count == 3 else 1)


def test_s_curve_and_stability_functions():
    n = np.linspace(0, 3, 301)
    eps = kerr.drive_of_photons(n)
    # every point of the S curve is a mean-field steady state at its own drive
    for ni, ei in zip(n[1::30], eps[1::30], strict=True):
        assert min(abs(b.n - ni) for b in kerr.mean_field(float(ei))) < 1e-9 * max(1, ni)
    # stable iff both eigenvalues of the linearized drift (App. A) have negative real parts
    for ni in n:
        alpha = kerr.drive_of_photons(ni) / complex(KAPPA, DELTA + U * ni)
        A = hamiltonian_drift(kerr.fluctuation_matrix(alpha)) - KAPPA * np.eye(2)
        expected = np.linalg.eigvals(A).real.max() < 0
        if abs(KAPPA**2 + (DELTA + U * ni) * (DELTA + 3 * U * ni)) > 1e-9:
            assert kerr.branch_is_stable(ni) == expected, ni
    # the branch label: the lower branch ends at the turning point n_- of Eq. (B4)
    lo, hi = kerr.bistability_window()
    for e in (0.5, lo * 1.001, EPS_C, hi * 0.999, 1.4):
        stable = [b for b in kerr.mean_field(e) if b.stable]
        labels = [kerr.on_upper_branch(b.n) for b in stable]
        if len(stable) == 2:
            assert labels == [False, True]
        else:
            assert labels == [e > hi]
    # no window: a single branch
    assert not kerr.on_upper_branch(5.0, model=kerr.PAPER.replace(delta=-0.5))


def test_kerr_hamiltonian_is_the_driven_cavity_one():
    N, eps, d = 12, 1.1, 30
    H = kerr.hamiltonian(N, eps, d)
    a = qutip.destroy(d)
    ref = (
        DELTA * a.dag() * a
        + U / (2 * N) * a.dag() * a.dag() * a * a
        + 1j * eps * math.sqrt(N) * (a.dag() - a)
    )
    assert np.abs((H - ref).full()).max() < 1e-12


def test_no_window_for_small_detuning():
    with pytest.raises(ValueError, match="sqrt\\(3\\) kappa"):
        kerr.bistability_window(model=kerr.PAPER.replace(delta=-0.5))


# ------------------------------------------------------------------------ exact moments


def _fock_moment(rho: qutip.Qobj, j: int, k: int) -> complex:
    a = qutip.destroy(rho.shape[0])
    return complex(qutip.expect(a.dag() ** j * a**k, rho))


@pytest.mark.parametrize(("N", "eps"), [(10, 0.8), (10, 1.1), (30, 0.8), (30, 1.1)])
def test_fock_moments_match_complex_p_solution(N, eps):
    """QuTiP's steady state against Drummond-Walls, on both sides of eps_c (<a> included)."""
    rho = kerr.steady_state(N, eps, method="qutip")
    for j, k in ((0, 1), (1, 1), (0, 2), (1, 2), (2, 2)):
        exact = kerr.exact_moment(N, eps, j, k)
        assert abs(_fock_moment(rho, j, k) - exact) <= 1e-8 * abs(exact)


def test_drive_phase_convention():
    # weak drive: <a> -> E / (kappa + i Delta), the linear response to i E (a^dag - a)
    N, eps = 10, 1e-3
    assert kerr.exact_moment(N, eps, 0, 1) == pytest.approx(
        eps * math.sqrt(N) / complex(KAPPA, DELTA), rel=1e-4
    )


@pytest.mark.parametrize(("N", "eps"), [(10, 0.9), (50, 1.2), (150, 0.935), (1000, 1.15)])
def test_log_space_series_matches_mpmath_hyper(N, eps):
    for j, k in ((0, 1), (1, 1), (2, 1)):
        ref = kerr.exact_moment_mpmath(N, eps, j, k)
        assert abs(kerr.exact_moment(N, eps, j, k) - ref) <= 1e-10 * abs(ref)


def test_log_space_series_matches_brute_force_sum_inside_window_at_large_n():
    """Where mpmath.hyper stops at the dip between the humps, a plain term-by-term sum agrees."""
    N, eps = 1000, 0.933
    with mpmath.workdps(30):
        chi = mpmath.mpf(U) / (2 * N)
        c = mpmath.mpc(DELTA, -KAPPA) / chi
        b = mpmath.mpc(0, -1) * eps * mpmath.sqrt(N) / chi
        x = 2 * abs(b) ** 2

        def series(p, q):
            term = 1 / (mpmath.gamma(p) * mpmath.gamma(q))
            total = term
            for n in range(12000):
                term *= x / ((n + 1) * (n + p) * (n + q))
                total += term
            return total

        s00 = series(c, mpmath.conj(c))
        mean_a = complex(b * series(c + 1, mpmath.conj(c)) / s00)
        photons = complex(abs(b) ** 2 * series(c + 1, mpmath.conj(c) + 1) / s00).real
    assert kerr.exact_moment(N, eps, 0, 1) == pytest.approx(mean_a, rel=1e-9)
    assert kerr.exact_moment(N, eps, 1, 1).real == pytest.approx(photons, rel=1e-9)
    # and mpmath.hyper itself is wrong there: the pitfall documented in exact_moment
    assert abs(kerr.exact_moment_mpmath(N, eps, 1, 1) - photons) > 1e-3 * photons


def test_exact_density_matrix_matches_qutip_and_moments():
    N, eps = 10, 1.0
    d = kerr.initial_cutoff(N, eps)
    rho = kerr.exact_density_matrix(N, eps, d)
    ref = kerr.steady_state(N, eps, cutoff=d, method="qutip").full()
    assert np.abs(rho - ref).max() < 1e-10
    # at N = 40 near eps_c, where the linear solve fails, it still reproduces the moments
    N, eps = 40, EPS_C
    rho = kerr.exact_density_matrix(N, eps, kerr.initial_cutoff(N, eps))
    assert np.trace(rho).real == pytest.approx(1, abs=1e-12)
    assert np.linalg.eigvalsh(rho)[0] > -1e-14
    n = np.arange(rho.shape[0])
    assert np.sum(n * np.diag(rho).real) == pytest.approx(
        kerr.exact_moment(N, eps, 1, 1).real, rel=1e-10
    )
    mean_a = np.sum(np.sqrt(n[1:]) * np.diagonal(rho, -1))
    assert mean_a == pytest.approx(kerr.exact_moment(N, eps, 0, 1), rel=1e-10)


# -------------------------------------------------------------------- entropy balance


@pytest.mark.parametrize(
    ("N", "eps"), [(10, 0.9), (10, 1.3), (30, EPS_C), (40, 0.8), (40, EPS_C), (40, 1.05)]
)
def test_eq10_and_b6_hold_on_the_figure_2_range(N, eps):
    rho = kerr.steady_state(N, eps, method="complex-p")
    b = kerr.balance_of_state(rho, N, eps)
    assert b.relative_residual < 1e-6  # Eq. (10)
    assert b.pi_ext == pytest.approx(2 * KAPPA * N * abs(b.alpha) ** 2, rel=1e-12)  # Eq. (9)
    assert b.pi == pytest.approx(b.pi_unsplit, rel=1e-9)  # the split of Eq. (8) is exact
    assert b.moment_error < 1e-10
    # (B6) with the corrected prefactor i u / 2N is the same integral, integrated by parts
    assert kerr.pi_u_integrated_by_parts(rho, N) == pytest.approx(b.pi_u, rel=1e-7, abs=1e-12)


def test_entropy_production_methods_and_cross_check():
    assert kerr.METHODS[0] == "complex-p"  # the exact route is the default
    b = kerr.entropy_production(10, 1.0)
    assert b.method == "complex-p"
    assert b.alpha == pytest.approx(b.mean_a / math.sqrt(10))
    assert b.wehrl > 1 + math.log(math.pi)  # Lieb bound, strict for a non-coherent state
    assert b.top_population <= CUTOFF_TOL
    assert b.relative_residual < 1e-6
    # QuTiP's linear solve as the cross-check, where it can be trusted
    bq = kerr.entropy_production(10, 1.0, method="qutip")
    assert bq.method == "qutip"
    assert bq.relative_residual < 1e-6
    assert bq.photons == pytest.approx(b.photons, rel=1e-8)
    assert bq.mean_a == pytest.approx(b.mean_a, rel=1e-8)
    # at N = 40 near eps_c the linear solve cannot be trusted; the default needs no fallback
    b40 = kerr.entropy_production(40, EPS_C)
    assert b40.method == "complex-p"
    assert b40.relative_residual < 1e-6
    with pytest.raises(ValueError, match="complex-p|not positive"):
        kerr.entropy_production(40, EPS_C, method="qutip")


@pytest.mark.parametrize(
    "call",
    [
        lambda m: kerr.steady_state(10, 1.0, method=m),
        lambda m: kerr.entropy_production(10, 1.0, method=m),
        lambda m: kerr.memory_estimate(10, 1.0, 40, method=m),
        lambda m: kerr.state_balance_row(10, 1.0, method=m),
    ],
)
def test_one_method_vocabulary(call):
    for method in kerr.METHODS:
        call(method)
    with pytest.raises(ValueError, match="method must be one of"):
        call("auto")


def test_every_method_parameter_has_the_same_default():
    import inspect

    with_method = [
        name
        for name in kerr.__all__
        if inspect.isfunction(getattr(kerr, name))  # GapResult.method names an eigensolver
        and "method" in inspect.signature(getattr(kerr, name)).parameters
    ]
    assert {"steady_state", "entropy_production", "memory_estimate"} <= set(with_method)
    for name in with_method:
        default = inspect.signature(getattr(kerr, name)).parameters["method"].default
        assert default == kerr.METHODS[0], name


def test_truncation_trap_is_caught():
    """N = 40, eps = 1.17 with 120 levels gives <n> = 74.9 instead of 101.7 (chapter 4,
    "Solving the master equation in the Fock basis")."""
    with pytest.raises(ValueError, match="not converged in 120 Fock levels"):
        kerr.steady_state(40, 1.17, cutoff=120, grow=False, method="qutip")
    # grows until the top levels are empty
    rho = kerr.steady_state(40, 1.17, cutoff=120, method="qutip")
    assert rho.shape[0] > 120
    assert _fock_moment(rho, 1, 1).real == pytest.approx(101.70103617, rel=1e-8)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: kerr.entropy_production(0, 1.0), "N must be"),
        (lambda: kerr.entropy_production(-5, 1.0), "N must be"),
        (lambda: kerr.entropy_production(10, -0.1), "eps must be"),
        (lambda: kerr.entropy_production(10, 1.0, model=kerr.KerrModel(kappa=0)), "kappa must be"),
        (lambda: kerr.entropy_production(10, 1.0, model=kerr.KerrModel(u=-1)), "u must be"),
        (lambda: kerr.entropy_production(10, 1.0, method="magic"), "method must be"),
        (lambda: kerr.entropy_production(40, 1.2, max_cutoff=100), "raise max_cutoff"),
        (lambda: kerr.exact_moment(10, 1.0, -1, 0), "integers >= 0"),
        (lambda: kerr.exact_moment(0, 1.0, 1, 1), "N must be"),
        (lambda: kerr.linearized_branches(-1.0), "eps must be"),
        (lambda: kerr.critical_drive(model=kerr.PAPER.replace(kappa=-1)), "kappa must be"),
    ],
)
def test_bad_input_raises_with_a_hint(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_cutoff_that_cannot_converge_within_the_memory_bound():
    with pytest.raises(ValueError, match="raise max_cutoff"):
        kerr.steady_state(40, 1.17, cutoff=100, max_cutoff=130)


# ------------------------------------------------------------- thermodynamic limit


def test_linearized_branches_satisfy_eq10_exactly():
    for eps in (0.5, 0.9, 1.4):
        branches = kerr.linearized_branches(eps)
        assert len(branches) == sum(b.stable for b in kerr.mean_field(eps))
        for g in branches:
            assert g.pi_u + g.pi_d == pytest.approx(g.phi_q, rel=1e-12)
            assert g.pi_d > 0 and g.phi_q > 0


@pytest.mark.parametrize("eps", [0.6, 1.3])
def test_finite_n_approaches_linearized_branch_as_one_over_n(eps):
    (limit,) = kerr.linearized_branches(eps)
    sizes = (10, 20, 40)
    dev = {name: [] for name in ("pi_u", "pi_d")}
    for N in sizes:
        b = kerr.balance_of_state(kerr.steady_state(N, eps, method="complex-p"), N, eps)
        dev["pi_u"].append(b.pi_u - limit.pi_u)
        dev["pi_d"].append(b.pi_d - limit.pi_d)
    for name, d in dev.items():
        d = np.abs(d)
        assert d[0] > d[1] > d[2], name
        # halving 1/N halves the deviation (ratio 2 for a pure 1/N law)
        assert 1.6 < d[1] / d[2] < 2.4, (name, d)


def test_large_deviation_rate_is_stationary_on_the_branches():
    eps = 1.0
    for b in kerr.mean_field(eps):
        nu = 2 * b.n
        h = 1e-6
        slope = (
            kerr.large_deviation_rate(nu + h, eps) - kerr.large_deviation_rate(nu - h, eps)
        ) / (2 * h)
        curv = (
            kerr.large_deviation_rate(nu + 1e-3, eps)
            - 2 * kerr.large_deviation_rate(nu, eps)
            + kerr.large_deviation_rate(nu - 1e-3, eps)
        )
        assert abs(slope) < 1e-6
        assert (curv < 0) == b.stable  # maxima on stable branches, the minimum on the unstable one


def test_finite_n_variance_peaks_extrapolate_to_critical_drive():
    peaks = {N: kerr.variance_peak(N)[0] for N in (50, 100, 200, 400)}
    shifts = [N * (peaks[N] - EPS_C) for N in sorted(peaks)]
    # the peak approaches eps_c as 1/N: N (eps_peak - eps_c) converges
    assert abs(shifts[-1] - shifts[-2]) < 0.5 * abs(shifts[-2] - shifts[-3])
    eps_c, err = kerr.extrapolate_critical_drive(peaks)
    assert eps_c == pytest.approx(EPS_C, abs=max(10 * err, 1e-5))
    # the peak height: Phi_q / N -> kappa |alpha_up - alpha_low|^2 / 2 (equal weights at eps_c)
    low, up = (b for b in kerr.mean_field(EPS_C) if b.stable)
    height = kerr.variance_peak(3200)[1] / 3200
    assert height == pytest.approx(KAPPA * abs(up.alpha - low.alpha) ** 2 / 2, rel=1e-3)


# ------------------------------------------------------------ window edges (spinodals)


@pytest.mark.parametrize("edge", ["upper", "lower"])
def test_window_edges_pi_d_diverges_with_exponent_minus_one_half_pi_u_stays_finite(edge):
    scaling = kerr.window_edge_scaling()[edge]
    slope_d, slope_u = scaling["slope_pi_d"], scaling["slope_pi_u"]
    # closest decade to the edge: Pi_d ~ distance^(-1/2), a saddle-node, not the -1 of a
    # critical point; Pi_u tends to a finite value
    approach = np.abs(slope_d + 0.5)
    assert np.all(np.diff(approach[-8:]) < 0) and approach[-1] < 0.005, slope_d
    assert np.all(np.diff(np.abs(slope_u[-8:])) < 0) and abs(slope_u[-1]) < 0.005, slope_u
    assert np.all(np.isfinite(scaling["pi_u"])) and abs(scaling["pi_u"][-1]) < 1
    assert scaling["pi_d"][-1] > 100 * scaling["pi_d"][0]
    # independent: the slowest drift eigenvalue of the dying branch closes as distance^(1/2)
    slopes = scaling["slope_rate"]
    approach = np.abs(slopes - 0.5)
    assert np.all(np.diff(approach[-8:-1]) < 0) and np.all(approach[-5:] < 0.01), slopes
    # the rate is that of the drift matrix A_H - kappa of the dying branch (numerical
    # eigenvalues, not the closed form of mean_field), and vanishes as distance^(1/2)
    index = 0 if edge == "upper" else -1
    for eps, rate in zip(scaling["eps"], scaling["rate"], strict=True):
        branch = [b for b in kerr.mean_field(eps) if b.stable][index]
        drift = hamiltonian_drift(kerr.fluctuation_matrix(branch.alpha)) - KAPPA * np.eye(2)
        assert rate == pytest.approx(-np.linalg.eigvals(drift).real.max(), rel=1e-9, abs=1e-12)
    # rate = c d^(1/2) (1 + c' d^(1/2) + ...): the slope approaches 1/2 as d^(1/2) (central
    # differences, up to the last point, a one-sided one)
    d = scaling["distance"]
    shrink = (approach[1:] / approach[:-1]) / np.sqrt(d[1:] / d[:-1])
    assert np.all(np.abs(shrink[-5:-1] - 1) < 0.02), shrink


# ---------------------------------------------------------- two-branch prediction


def _exact_upper_weight(N: float, eps: float) -> float:
    """Weight of the upper hump of Z = sum_s (2|b|^2)^s / (s! |Gamma(s + c)|^2), split at the
    unstable branch: an independent term-by-term sum."""
    chi = U / (2 * N)
    c = complex(DELTA, -KAPPA) / chi
    s = np.arange(int(8 * N))
    log_t = (
        s * math.log(2 * (eps * math.sqrt(N) / chi) ** 2)
        - scipy.special.gammaln(s + 1)
        - 2 * scipy.special.loggamma(s + c).real
    )
    (middle,) = [b for b in kerr.mean_field(eps) if not b.stable]
    split = int(round(2 * N * middle.n))
    return float(np.exp(scipy.special.logsumexp(log_t[split:]) - scipy.special.logsumexp(log_t)))


def test_two_branch_prediction_approaches_the_exact_peak_as_n_grows():
    errors, weight_errors = [], []
    for N in (100, 200, 400):
        eps_peak, phi_peak = kerr.variance_peak(N)
        pred = kerr.two_branch_prediction(N, eps_peak)
        assert pred.residual == pytest.approx(0, abs=1e-12 * pred.phi_q)  # Eq. (10)
        errors.append(abs(pred.phi_q - phi_peak) / N)
        weight_errors.append(abs(pred.p - _exact_upper_weight(N, eps_peak)))
    assert errors[0] > errors[1] > errors[2], errors
    assert 1.6 < errors[0] / errors[1] < 2.4 and 1.6 < errors[1] / errors[2] < 2.4  # O(1/N)
    assert errors[2] < 2e-3
    assert weight_errors[0] > weight_errors[1] > weight_errors[2], weight_errors
    assert weight_errors[2] < 1e-3


def test_two_branch_prediction_limits():
    low, up = (b for b in kerr.mean_field(EPS_C) if b.stable)
    # p is logistic in x = N (eps/eps_c - 1): the same p at the same x for every large N
    x = 0.3
    p = [kerr.two_branch_prediction(N, EPS_C * (1 + x / N)).p for N in (1000, 4000)]
    assert p[0] == pytest.approx(p[1], abs=1e-3)
    # deep on either side of eps_c the state is on one branch
    below, above = (kerr.two_branch_prediction(400, e) for e in (0.9, 0.97))
    assert below.p < 1e-6 and above.p > 1 - 1e-6
    # height at p = 1/2: kappa |alpha_+ - alpha_-|^2 / 2 per unit N, plus O(1/N)
    N = 1e6
    eps_half = scipy.optimize.brentq(lambda e: kerr.branch_log_odds(N, e), 0.93, 0.94)
    assert eps_half == pytest.approx(EPS_C, abs=1e-5)  # p = 1/2 at eps_c + O(1/N)
    half = kerr.two_branch_prediction(N, eps_half)
    assert half.p == pytest.approx(0.5, abs=1e-9)
    assert half.phi_q / N == pytest.approx(KAPPA * abs(up.alpha - low.alpha) ** 2 / 2, rel=1e-4)
    # outside the window: the single branch's Gaussian values
    (g,) = kerr.linearized_branches(1.3)
    out = kerr.two_branch_prediction(30, 1.3)
    assert out.p == 1 and out.pi_u == pytest.approx(g.pi_u) and out.pi_d == pytest.approx(g.pi_d)
    with pytest.raises(ValueError, match="outside the bistable window"):
        kerr.branch_log_odds(30, 1.3)


X_SCALING = np.linspace(-1.0, 1.5, 11)
TWO_BRANCH_FIELDS = ("p", "pi_u", "pi_d_over_N", "phi_q_over_N")


def _scaling_errors(N, model=kerr.PAPER):
    """Largest |finite-N two-branch prediction - its N -> infinity limit| of each field."""
    finite = kerr.two_branch_scaling(N, X_SCALING, model=model)
    limit = kerr.two_branch_scaling(math.inf, X_SCALING, model=model)
    return np.array([np.max(np.abs(getattr(finite, k) - getattr(limit, k)))
                     for k in TWO_BRANCH_FIELDS])


@pytest.mark.parametrize("model", [kerr.PAPER, kerr.PAPER.replace(kappa=0.3)],
                         ids=["paper", "kappa=0.3"])
def test_two_branch_scaling_limit_is_approached_as_one_over_n(model):
    errors = {N: _scaling_errors(N, model) for N in (1e3, 1e4, 1e5)}
    # O(1/N): each decade of N divides every error by 10 (the next order would give 100)
    for big, small in ((1e3, 1e4), (1e4, 1e5)):
        ratio = errors[big] / errors[small]
        assert np.all((ratio > 9) & (ratio < 11)), ratio
    assert np.all(errors[1e5] < 3e-5), errors[1e5]
    assert np.all(errors[1e3] > 3e-5)  # the limit is not the N = 1e5 prediction itself


def test_scaling_log_odds_is_the_slope_and_offset_of_branch_log_odds():
    odds = kerr.scaling_log_odds()
    low, up = (b for b in kerr.mean_field(EPS_C) if b.stable)
    # envelope theorem: the branches are stationary points of f, d(f+ - f-)/d eps = 2(nu+ - nu-)/eps
    for b in (low, up):
        assert abs(kerr.large_deviation_derivatives(2 * b.n, EPS_C)[0]) < 1e-12
    assert odds.slope == pytest.approx(4 * (up.n - low.n), rel=1e-12)
    # against a central difference in x of the finite-N log-odds (no envelope theorem there):
    # it tends to the slope as 1/N (the curvature of the gap in eps gives a term ~ x/N)
    def slope_error(N, x, h=0.5):
        def log_odds(y):
            return kerr.branch_log_odds(N, EPS_C * (1 + y / N))

        return abs((log_odds(x + h) - log_odds(x - h)) / (2 * h) - odds.slope)

    for x in (-1.0, 0.0, 1.0):
        errors = [slope_error(N, x) for N in (1e4, 1e5)]
        assert errors[1] < 1e-4 and 9 < errors[0] / errors[1] < 11, (x, errors)
    # the log-odds tends to a x + b with errors O(1/N)
    gaps = [max(abs(kerr.branch_log_odds(n, EPS_C * (1 + x / n)) - (odds.slope * x + odds.offset))
                for x in (-1.0, 0.0, 1.0)) for n in (1e4, 1e5)]
    assert gaps[1] < 1e-4 and 9 < gaps[0] / gaps[1] < 11, gaps


def test_two_branch_scaling_limit_is_logistic_with_the_right_midpoint():
    odds = kerr.scaling_log_odds()
    # the midpoint is where the finite-N log-odds vanishes, as N grows
    N = 1e5
    x_half = scipy.optimize.brentq(lambda x: kerr.branch_log_odds(N, EPS_C * (1 + x / N)), -2, 2)
    assert x_half == pytest.approx(odds.midpoint, abs=1e-4)
    limit = kerr.two_branch_scaling(math.inf, X_SCALING)
    logit = np.log(limit.p / (1 - limit.p))
    assert np.polyfit(X_SCALING, logit, 2)[0] == pytest.approx(0, abs=1e-9)  # linear in x
    assert np.polyfit(X_SCALING, logit, 1)[0] == pytest.approx(odds.slope, rel=1e-10)
    # at the midpoint: equal weights, Pi_d/N = Phi_q/N = kappa |alpha+ - alpha-|^2 / 2 (the peak)
    half = kerr.two_branch_scaling(math.inf, [odds.midpoint - 0.01, odds.midpoint,
                                              odds.midpoint + 0.01])
    assert half.p[1] == pytest.approx(0.5, abs=1e-12)
    assert half.pi_d_over_N[1] == pytest.approx(kerr.peak_height_limit(), rel=1e-12)
    assert half.pi_d_over_N[1] > max(half.pi_d_over_N[0], half.pi_d_over_N[2])
    np.testing.assert_array_equal(half.pi_d_over_N, half.phi_q_over_N)
    # far from the midpoint, the Gaussian Pi_u of one branch at eps_c
    low, up = kerr.linearized_branches(EPS_C)
    ends = kerr.two_branch_scaling(math.inf, [-10.0, 10.0])
    assert ends.pi_u == pytest.approx([low.pi_u, up.pi_u], rel=1e-12)


def test_two_branch_scaling_follows_the_model():
    other = kerr.PAPER.replace(kappa=0.3)
    limit = kerr.two_branch_scaling(math.inf, X_SCALING, model=other)
    paper = kerr.two_branch_scaling(math.inf, X_SCALING)
    assert np.max(np.abs(limit.pi_d_over_N - paper.pi_d_over_N)) > 0.1
    odds = kerr.scaling_log_odds(model=other)
    assert odds.midpoint != pytest.approx(kerr.scaling_log_odds().midpoint, abs=1e-3)
    at_half = kerr.two_branch_scaling(math.inf, odds.midpoint, model=other)
    assert at_half.p == pytest.approx(0.5) and at_half.p.shape == ()
    assert at_half.pi_d_over_N == pytest.approx(kerr.peak_height_limit(model=other), rel=1e-12)
    # finite N: the prediction of two_branch_prediction at eps_c(other) (1 + x/N)
    eps_c = kerr.critical_drive(model=other)
    finite = kerr.two_branch_scaling(40, [0.5], model=other)
    direct = kerr.two_branch_prediction(40, eps_c * (1 + 0.5 / 40), model=other)
    assert finite.p[0] == direct.p and finite.pi_d_over_N[0] == direct.pi_d / 40
    with pytest.raises(ValueError, match="x must be >= -N"):
        kerr.two_branch_scaling(10, [-11.0])
    with pytest.raises(ValueError, match="finite"):
        kerr.two_branch_scaling(math.nan, [0.0])


# ------------------------------------------------------------------------ large N


@pytest.mark.slow
def test_entropy_balance_at_n_400_by_default():
    """No option needed at N = 400 near eps_c: cutoff from the state, complex-P state."""
    N = 400
    b = kerr.entropy_production(N, EPS_C)
    assert b.method == "complex-p" and b.cutoff > epcore.settings.max_cutoff
    assert b.relative_residual < 1e-9  # Eq. (10)
    assert b.mean_a == pytest.approx(kerr.exact_moment(N, EPS_C, 0, 1), rel=1e-10)
    assert b.photons == pytest.approx(kerr.exact_moment(N, EPS_C, 1, 1).real, rel=1e-10)
    assert b.phi_q == pytest.approx(kerr.exact_fluctuations(N, EPS_C)["phi_q"], rel=1e-9)
    assert b.pi_ext == pytest.approx(2 * KAPPA * abs(b.mean_a) ** 2, rel=1e-12)  # Eq. (9)
    assert b.top_population <= 1e-12


def test_fock_cutoff_holds_the_state():
    for N, eps in ((10, 0.5), (40, 1.17), (200, EPS_C)):
        d = kerr.fock_cutoff(N, eps)
        p = kerr.photon_distribution(N, eps, d + 200)
        assert math.fsum(p) == pytest.approx(1, abs=1e-10)
        assert p[d - 3 :].sum() <= kerr.TAIL_TOL
        assert p[d - 4 :].sum() > kerr.TAIL_TOL  # the smallest such cutoff
    # the photon distribution is the diagonal of the exact density matrix
    rho = kerr.exact_density_matrix(40, EPS_C, 150)
    p = kerr.photon_distribution(40, EPS_C, 150)
    assert np.abs(np.diag(rho).real - p).max() < 1e-13


def test_request_beyond_the_memory_limit_raises_at_once():
    with pytest.raises(ValueError, match="memory_limit"):
        kerr.entropy_production(5000, EPS_C)
    with pytest.raises(ValueError, match="memory_limit"):
        kerr.steady_state(40, 1.0, cutoff=1000, max_cutoff=2000, method="qutip")


# ------------------------------------------------------------------- property tests

def test_mean_field_and_gaussian_limit_for_any_parameters():
    hyp = pytest.importorskip("hypothesis")  # skips this property test only
    st = hyp.strategies

    @hyp.settings(max_examples=60, deadline=None)
    @hyp.given(
        kappa=st.floats(0.1, 2.0),
        delta=st.floats(-5.0, 2.0),
        u=st.floats(0.2, 3.0),
        eps=st.floats(0.01, 4.0),
    )
    def check(kappa, delta, u, eps):
        model = kerr.KerrModel(kappa, delta, u)
        branches = kerr.mean_field(eps, model=model)
        assert len(branches) in (1, 2, 3)
        assert any(b.stable for b in branches)  # the top branch is always stable
        assert branches[-1].stable
        for b in branches:
            assert b.n * (kappa**2 + (delta + u * b.n) ** 2) == pytest.approx(eps**2, rel=1e-9)
        for g in kerr.linearized_branches(eps, model=model):
            assert g.pi_u + g.pi_d == pytest.approx(g.phi_q, rel=1e-9, abs=1e-12)  # Eq. (10)
            assert g.pi_d >= 0
            assert g.wehrl >= 1 + math.log(math.pi) - 1e-12  # Lieb's bound for the fluctuations

    check()


# ------------------------------------------------------------------ the model object


def test_the_model_reaches_every_route_through_exact_symmetries():
    """Two exact symmetries of Eq. (B1) check that ``model=`` is used everywhere.

    Time rescaling: multiplying kappa, Delta, u and eps by s leaves the state unchanged and
    multiplies every rate by s. Size rescaling: u -> s u, N -> s N, eps -> eps / sqrt(s) leaves
    H (u/2N and E = eps sqrt(N)) and the losses unchanged."""
    s = 3.0
    fast = kerr.KerrModel(kappa=s * KAPPA, delta=s * DELTA, u=s * U)
    assert kerr.critical_drive(model=fast) == pytest.approx(s * EPS_C, rel=1e-9)
    low, high = kerr.bistability_window()
    assert kerr.bistability_window(model=fast) == pytest.approx((s * low, s * high), rel=1e-12)
    b = kerr.entropy_production(10, 0.9)
    b_fast = kerr.entropy_production(10, s * 0.9, model=fast)
    for name in ("pi_u", "pi_d", "phi_q", "pi_ext"):
        assert getattr(b_fast, name) == pytest.approx(s * getattr(b, name), rel=1e-8), name
    assert b_fast.wehrl == pytest.approx(b.wehrl, rel=1e-9)

    strong = kerr.PAPER.replace(u=4.0)
    assert kerr.critical_drive(model=strong) == pytest.approx(EPS_C / 2, rel=1e-9)
    b_big = kerr.entropy_production(40, 0.9 / 2, model=strong)
    for name in ("pi_u", "pi_d", "phi_q", "pi_ext", "wehrl"):
        assert getattr(b_big, name) == pytest.approx(getattr(b, name), rel=1e-8), name
    assert kerr.exact_moment(40, 0.45, 1, 1, model=strong) == pytest.approx(
        kerr.exact_moment(10, 0.9, 1, 1), rel=1e-10
    )



# ------------------------------------------------ peak of Phi_q: height limit and drive fit


def test_peak_height_limit_follows_the_model():
    # kappa |alpha_+ - alpha_-|^2 / 2 at eps_c. Scaling all rates (kappa, Delta, u) by s leaves
    # the branches alpha unchanged and multiplies kappa, so the limit scales by s; scaling u
    # alone by s scales alpha by 1/sqrt(s), so the limit scales by 1/s.
    base = kerr.peak_height_limit()
    low, up = (b for b in kerr.mean_field(EPS_C) if b.stable)
    assert base == KAPPA * abs(up.alpha - low.alpha) ** 2 / 2
    scaled = kerr.PAPER.replace(kappa=2 * KAPPA, delta=2 * kerr.PAPER.delta, u=2 * kerr.PAPER.u)
    assert kerr.peak_height_limit(model=scaled) == pytest.approx(2 * base, rel=1e-9)
    stiffer = kerr.PAPER.replace(u=4 * kerr.PAPER.u)
    assert kerr.peak_height_limit(model=stiffer) == pytest.approx(base / 4, rel=1e-9)
    assert kerr.peak_terms(25.0)["limit"] == base


def test_fit_peak_drives_drops_the_smallest_sizes():
    # exact polynomial data in 1/N: the fit returns its coefficients, whatever the two smallest
    # sizes hold (they are left out)
    eps_c, a1, a2 = 1.2, 0.7, -3.0
    peaks = {N: eps_c + a1 / N + a2 / N**2 for N in (100.0, 200.0, 400.0, 800.0)}
    peaks.update({25.0: 99.0, 50.0: -99.0})
    fit = kerr.fit_peak_drives(peaks)
    assert kerr.SMALL_SIZES_DROPPED == 2
    assert list(fit.sizes) == [100.0, 200.0, 400.0, 800.0]
    assert fit.eps_c == pytest.approx(eps_c, abs=1e-12)
    assert fit.coefficients == pytest.approx([a2, a1, eps_c], abs=1e-9)
    assert fit.eps_c == kerr.extrapolate_critical_drive(
        {N: v for N, v in peaks.items() if N >= 100})[0]
    # keeping everything the outliers spoil the fit
    assert abs(kerr.fit_peak_drives(peaks, drop_smallest=0).eps_c - eps_c) > 1.0
    with pytest.raises(ValueError, match="sizes"):
        kerr.fit_peak_drives(peaks, drop_smallest=3)


def test_kramers_prefactor_undoes_the_exponential():
    """A_K e^{-NB} is the Kramers gap at every N; at eps_c A_K does not depend on N."""
    eps_c = kerr.critical_drive()
    barrier = min(kerr.switching_barriers(eps_c))
    for N in (5.0, 20.0):
        assert kerr.kramers_prefactor(N, eps_c) * math.exp(-N * barrier) == pytest.approx(
            kerr.kramers_gap(N, eps_c), rel=1e-12)
    assert kerr.kramers_prefactor(5.0, eps_c) == pytest.approx(
        kerr.kramers_prefactor(40.0, eps_c), rel=1e-9)
    with pytest.raises(ValueError, match="bistable window"):
        kerr.kramers_prefactor(5.0, 0.5)


@pytest.mark.parametrize("u", [1.0, 0.37])
def test_squeezing_coefficient_is_the_squeezing_term_of_the_fluctuation_matrix(u):
    """xi_2 of Eq. (A7) read back from G of the linearized Hamiltonian: u conj(alpha)^2 is
    (G_qq - G_pp)/2 - i G_qp, so xi_2 = -i times that, for any alpha and nonlinearity."""
    model = kerr.KerrModel(u=u)
    for alpha in (0.5 + 0.1j, -0.3 + 1.2j, 2.0):
        G = kerr.fluctuation_matrix(alpha, model=model)
        from_G = -1j * ((G[0, 0] - G[1, 1]) / 2 - 1j * G[0, 1])
        assert kerr.squeezing_coefficient(alpha, model=model) == pytest.approx(from_G, abs=1e-14)
    with pytest.raises(ValueError):
        kerr.squeezing_coefficient(float("nan"))
