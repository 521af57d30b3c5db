"""Metastability of the Kerr model: Kramers-Langer rates, the gap's exponential law, the
slowest Liouvillian mode, when a linear solve can be trusted, and the Phi_q peak's 1/N terms.

Every reference is independent of the code under test: the Liouvillian spectrum for the
Kramers formula, the complex-P function and the raw series for the barrier, the exact
complex-P moments for the linear solves.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special
import scipy.stats

from epcore import dynamics, kerr
from epcore.errors import IllConditionedError

EPS_C = kerr.critical_drive()
M = kerr.PAPER


def _series_barrier(N: float, eps: float) -> float:
    """(ln t_hump - ln t_dip) / N of the raw normalization series Z = sum_s t_s (book Eq.
    kerr-rho), t_s = (2|b|^2)^s / (s! |Gamma(s + c)|^2), at one large N: no Stirling, no f."""
    chi = M.u / (2 * N)
    c = complex(M.delta, -M.kappa) / chi
    x = 2 * (eps * math.sqrt(N) / chi) ** 2
    s = np.arange(1, int(6 * N))
    log_t = s * math.log(x) - scipy.special.gammaln(s + 1) - 2 * scipy.special.loggamma(s + c).real
    lower, upper = (int(2 * N * b.n) for b in kerr.mean_field(eps) if b.stable)
    dip = lower + int(np.argmin(log_t[lower:upper]))
    return float((log_t[:dip].max() - log_t[dip]) / N)


def test_barrier_is_that_of_the_series_and_of_the_complex_p_potential():
    barrier = min(kerr.switching_barriers(EPS_C))
    # the raw series at N = 1e6 (O(1/N) corrections of about 1e-6)
    assert _series_barrier(1e6, EPS_C) == pytest.approx(barrier, abs=1e-5)
    # ln P(alpha, conj(alpha)) / N of the complex-P function (book Eq. kerr-pfunction) at the
    # three mean-field amplitudes: the same differences as N f(2n), at any drive in the window
    cp = 2 * complex(M.delta, -M.kappa) / M.u
    for eps in (0.85, EPS_C, 1.05):
        br = kerr.mean_field(eps)
        bp = -2j * eps / M.u
        phi = np.array([2 * (cp * np.log(b.alpha) + bp / b.alpha).real + 2 * b.n for b in br])
        f = kerr.large_deviation_rate(np.array([2 * b.n for b in br]), eps)
        assert np.allclose(phi - phi[1], f - f[1], atol=1e-10)
        if eps == EPS_C:
            assert phi[0] - phi[1] == pytest.approx(barrier, rel=1e-10)


def test_kramers_rates_obey_detailed_balance():
    for N, eps in ((10, 0.85), (30, EPS_C), (50, 1.05)):
        up, down = kerr.kramers_rates(N, eps)
        assert math.log(up / down) == pytest.approx(kerr.branch_log_odds(N, eps), rel=1e-10)
    with pytest.raises(ValueError, match="outside the bistable window"):
        kerr.kramers_rates(10, 0.5)


@pytest.mark.parametrize(("N", "eps"), [(10, EPS_C), (20, EPS_C), (20, 0.85), (20, 1.05)])
def test_kramers_gap_predicts_the_liouvillian_gap(N, eps):
    """No fitted parameter: within 10 % of the sparse shift-invert gap in the bulk of the
    window (measured 2 to 8 %)."""
    assert kerr.kramers_gap(N, eps) == pytest.approx(kerr.liouvillian_gap(N, eps), rel=0.10)
    # the cutoff rule's estimate is at most the Kramers gap and the mean-field rates
    assert kerr.gap_estimate(N, eps) <= kerr.kramers_gap(N, eps)


def test_fit_activation_recovers_a_known_law():
    sizes = np.array([10.0, 15, 20, 25, 30])
    values = 0.3 * np.exp(-0.7 * sizes - 0.5 / sizes)
    fit = dynamics.fit_activation(sizes, values)
    assert fit["rate"] == pytest.approx(0.7, rel=1e-10)
    assert fit["prefactor"] == pytest.approx(0.3, rel=1e-9)
    assert fit["correction"] == pytest.approx(-0.5, rel=1e-8)
    with pytest.raises(ValueError, match="four"):
        dynamics.fit_activation(sizes[:3], values[:3])


@pytest.mark.slow
def test_gap_rate_is_the_barrier_once_the_prefactor_is_fitted():
    """ln gap = a - rN + b/N on N = 10..40 gives r = B to 1e-4, where the plain exponential
    fit is off by more than 1e-3; the prefactor is the Kramers-Langer one to 2 %."""
    sizes = [10, 15, 20, 25, 30, 35, 40]
    gaps = [kerr.liouvillian_gap(N, EPS_C) for N in sizes]
    barrier = _series_barrier(1e6, EPS_C)
    fit = dynamics.fit_activation(sizes, gaps)
    assert fit["rate"] == pytest.approx(barrier, abs=1e-4)
    plain, _, _ = dynamics.fit_exponential(sizes, gaps)
    assert abs(plain - barrier) > 1e-3
    kramers_prefactor = kerr.kramers_gap(10, EPS_C) * math.exp(10 * barrier)
    assert fit["prefactor"] == pytest.approx(kramers_prefactor, rel=0.02)


@pytest.mark.parametrize(("N", "bound"), [(10, 2e-2), (20, 1e-3)])
@pytest.mark.slow
def test_slowest_mode_is_the_difference_of_the_branch_states(N, bound):
    lam, r = kerr.slowest_mode(N, EPS_C)
    # the same eigenvalue as the gap code's, an eigenvector of L, Hermitian and traceless
    assert abs(lam.real) == pytest.approx(kerr.liouvillian_gap(N, EPS_C), rel=1e-6)
    d = r.shape[0]
    L = kerr.liouvillian(N, EPS_C, d).data.as_scipy()
    vec = r.reshape(-1, order="F")
    assert np.linalg.norm(L @ vec - lam * vec) < 1e-8 * np.linalg.norm(vec)
    assert np.allclose(r, r.conj().T)
    assert abs(np.trace(r)) < 1e-10
    ov = kerr.mode_branch_overlap(N, EPS_C)
    assert ov["distance"] < bound
    assert ov["upper_weight"] == pytest.approx(0.5, abs=bound)
    # the mean-field coherent states are not the branch states: O(1) distance at any N
    assert ov["distance_coherent"] > 0.2


def test_qutip_route_agrees_or_raises_near_the_critical_drive():
    """The issue's test: at N = 30 and eps_c the QuTiP route either agrees with the exact
    state to 1e-4 in <a^dag a> or raises."""
    exact = kerr.exact_moment(30, EPS_C, 1, 1).real
    try:
        b = kerr.entropy_production(30, EPS_C, method="qutip")
    except IllConditionedError:
        pass
    else:
        assert b.photons == pytest.approx(exact, rel=1e-4)
    with pytest.raises(IllConditionedError, match="complex-p"):
        kerr.solver_cutoff(25, EPS_C)


def test_cutoff_rule_removes_the_truncation_error():
    """At N = 20, eps_c the cutoff of the photon distribution alone (tail 1e-12) leaves an
    error of ~1e-6, far above MOMENT_TOL; the rule's cutoff brings it under MOMENT_TOL."""
    exact = kerr.exact_moment(20, EPS_C, 1, 1).real
    old = kerr.fock_cutoff(20, EPS_C)
    assert kerr.solver_error(20, EPS_C, old)["photon_error"] > 10 * kerr.MOMENT_TOL
    rho = kerr.steady_state(20, EPS_C, method="qutip")
    assert rho.shape[0] == kerr.solver_cutoff(20, EPS_C) > old
    n = np.arange(rho.shape[0])
    assert np.sum(n * rho.diag().real) == pytest.approx(exact, rel=kerr.MOMENT_TOL)
    # an explicit cutoff below the rule's is refused without growth, raised with it
    with pytest.raises(ValueError, match="not converged in"):
        kerr.steady_state(20, EPS_C, cutoff=old, grow=False, method="qutip")


def test_truncation_error_is_top_population_over_gap():
    """The mechanism: the relative error of <a^dag a> is (1 to 5) x p_top kappa / gap while
    truncation dominates round-off (measured 1.4 to 3.5)."""
    for d in (81, 84, 87):
        r = kerr.solver_error(20, EPS_C, d)
        assert r["truncation"] > 1e3 * r["roundoff"]
        assert 1 < r["photon_error"] / r["truncation"] < 5


def test_two_branch_formula_is_exact_at_leading_order_only():
    """At the peak of Phi_q/N: all three approach the limit as 1/N (N x difference levels
    off), the exact value from above; the two-branch prediction is farther from the exact
    value than its leading term alone."""
    small, large = kerr.peak_terms(800), kerr.peak_terms(1600)
    for key in ("exact", "two_branch", "leading"):
        c_small = 800 * (small[key] - small["limit"])
        c_large = 1600 * (large[key] - large["limit"])
        assert c_large == pytest.approx(c_small, rel=1e-2)
    assert large["exact"] > large["limit"]
    assert abs(large["two_branch"] - large["exact"]) > 2 * abs(large["leading"] - large["exact"])


def test_photon_number_is_the_series_index_thinned_by_half():
    """p_m = sum_s (t_s / Z) binom(s, m) 2^-s: the series index s of book Eq. kerr-rho, each of
    its quanta kept with probability 1/2 (chapters 4 and 6, what s and nu are)."""
    N, eps = 5.0, 1.0
    chi = M.u / (2 * N)
    c = complex(M.delta, -M.kappa) / chi
    x = 2 * (eps * math.sqrt(N) / chi) ** 2
    s = np.arange(0, 400)
    log_t = s * math.log(x) - scipy.special.gammaln(s + 1) - 2 * scipy.special.loggamma(s + c).real
    weights = np.exp(log_t - log_t.max())
    weights /= weights.sum()
    m = np.arange(60)
    thinned = np.array([np.sum(weights * scipy.stats.binom.pmf(k, s, 0.5)) for k in m])
    assert np.allclose(thinned, kerr.photon_distribution(N, eps, 60), rtol=1e-9, atol=1e-15)
