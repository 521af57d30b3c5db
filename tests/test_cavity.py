"""Tests of epcore.cavity against exact results: closed-form Wehrl entropies, Lieb's bound,
the empty driven cavity (a coherent state at all times), Eq. (1) along transients, Eq. (10) on
steady states, the Gaussian closed forms on a Fock-basis Gaussian state, and Eq. (A10)."""

from __future__ import annotations

import numpy as np
import pytest
import qutip

import epcore
from epcore import cavity as cv
from epcore import gaussian as ga
from epcore import kerr

# ------------------------------------------------------------------ chapter 1: example states


@pytest.mark.parametrize("alpha", [0.0, 1.5, 2.0 - 1.0j])
def test_coherent_wehrl_is_lieb_minimum(alpha):
    rho = qutip.coherent_dm(50, alpha)
    assert epcore.wehrl_entropy(rho) == pytest.approx(cv.wehrl_coherent(), abs=1e-9)
    assert qutip.entropy_vn(rho) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("n", [0.0, 0.3, 1.0, 4.0])
def test_thermal_wehrl_and_von_neumann(n):
    rho = qutip.thermal_dm(120, n)
    assert epcore.wehrl_entropy(rho) == pytest.approx(np.log(np.pi * (n + 1)) + 1, abs=1e-8)
    assert qutip.entropy_vn(rho) == pytest.approx(cv.thermal_entropy(n), abs=1e-8)
    # Wehrl exceeds von Neumann; for large n the gap tends to 1 + ln(pi) - 1 - ... ->  ln(pi)+...
    assert epcore.wehrl_entropy(rho) > qutip.entropy_vn(rho)


@pytest.mark.parametrize("r", [0.2, 0.6, 1.0])
def test_squeezed_wehrl_matches_gaussian_closed_form(r):
    rho = cv.squeezed_vacuum(r, 120)
    exact = cv.wehrl_squeezed(r)
    S = ga.husimi_covariance(np.diag([np.exp(-2 * r), np.exp(2 * r)]) / 2)
    assert ga.gaussian_wehrl(S) == pytest.approx(exact, abs=1e-12)
    assert epcore.wehrl_entropy(rho) == pytest.approx(exact, abs=1e-8)


def test_cat_wehrl_tends_to_two_peak_limit():
    gaps = [abs(epcore.wehrl_entropy(cv.cat(a, 80)) - cv.wehrl_cat_limit()) for a in (1, 2, 3, 4)]
    assert np.all(np.diff(gaps) < 0)
    assert gaps[-1] < 1e-6
    assert qutip.entropy_vn(cv.cat(2.0, 60)) == pytest.approx(0.0, abs=1e-9)


def test_lieb_bound_and_wehrl_above_von_neumann():
    hyp = pytest.importorskip("hypothesis")  # skips this property test only
    st = hyp.strategies

    @hyp.settings(max_examples=25, deadline=None)
    @hyp.given(
        n_levels=st.integers(1, 10),
        seed=st.integers(0, 2**31 - 1),
        pure=st.booleans(),
    )
    def check(n_levels, seed, pure):
        rho = cv.random_state(n_levels, n_levels + 6, seed=seed, pure=pure)
        S = epcore.wehrl_entropy(rho)
        assert S >= cv.LIEB_BOUND - 1e-9
        assert S >= qutip.entropy_vn(rho) - 1e-9

    check()


def test_random_state_rejects_no_padding():
    with pytest.raises(ValueError, match="three empty top levels"):
        cv.random_state(10, 11)


# ------------------------------------------------------------------ chapter 2: driven cavity


@pytest.mark.parametrize(("E", "kappa"), [(0.5, 0.5), (1.0, 0.5), (1.2, 1.3)])
def test_empty_cavity_steady_state_pi_equals_2E2_over_kappa(E, kappa):
    d = int((E / kappa) ** 2 + 12 * (E / kappa) + 25)
    H = cv.driven_hamiltonian(d, E)
    b = epcore.entropy_balance(cv.steady_state(H, kappa), H, kappa)
    assert b.pi == pytest.approx(2 * E**2 / kappa, rel=1e-9)
    assert b.pi_unsplit == pytest.approx(2 * E**2 / kappa, rel=1e-9)
    assert b.mean_a == pytest.approx(E / kappa, rel=1e-9)
    # coherent steady state: no fluctuation terms
    for term in (b.pi_u, b.pi_d, b.phi_q):
        assert abs(term) < 1e-9 * b.pi


def test_empty_cavity_transient_matches_closed_form():
    E, kappa = 1.0, 0.5
    times = np.linspace(0, 8, 17)
    H = cv.driven_hamiltonian(30, E)
    tb = cv.transient_balance(H, kappa, qutip.fock_dm(30, 0), times, progress=False)
    exact = cv.empty_cavity_transient(E, kappa, times)
    assert np.allclose(tb.S, exact["S"], atol=1e-8)
    assert np.allclose(tb.pi, exact["Pi"], rtol=1e-7, atol=1e-9)
    assert np.allclose(tb.phi, exact["Phi"], rtol=1e-7, atol=1e-9)
    assert exact["Pi"][-1] == pytest.approx(2 * E**2 / kappa * (1 - np.exp(-4)) ** 2)


def test_eq1_along_nonlinear_transient():
    """dS/dt = Pi - Phi (Eq. 1) along a Kerr-type transient from vacuum.

    Stated tolerance: |dS/dt - (Pi - Phi)| <= 1e-6 max(Phi) with dS/dt from the Liouvillian,
    and <= 1e-3 max(Phi) with dS/dt from finite differences of S(t) on the time grid.
    """
    kappa = 0.5
    H = cv.driven_hamiltonian(36, 1.0, delta=-1.0, chi=0.1)
    times = np.linspace(0, 6, 61)
    tb = cv.transient_balance(H, kappa, qutip.fock_dm(36, 0), times, progress=False)
    scale = tb.phi.max()
    assert np.all(tb.pi >= -1e-12)
    assert tb.entropy_rate_error.max() < 1e-6 * scale
    assert np.allclose(tb.pi, tb.pi_unsplit, rtol=1e-8, atol=1e-10)
    fd = np.gradient(tb.S, times, edge_order=2)
    assert np.abs(fd - (tb.pi - tb.phi)).max() < 1e-3 * scale
    # the entropy really changes: the check is not trivially 0 = 0
    assert np.abs(tb.dS_dt).max() > 1e-2 * scale


def test_transient_rejects_bad_times_and_kappa():
    H = cv.driven_hamiltonian(10, 0.1)
    rho0 = qutip.fock_dm(10, 0)
    with pytest.raises(ValueError, match="increasing"):
        cv.transient_balance(H, 0.5, rho0, [0.0, 1.0, 0.5], progress=False)
    with pytest.raises(ValueError, match="kappa"):
        cv.transient_balance(H, 0.0, rho0, [0.0, 1.0], progress=False)
    with pytest.raises(ValueError, match="kappa"):
        cv.steady_state(H, -1.0)


# --------------------------------------------------------- zero-temperature catastrophe


@pytest.mark.parametrize("n_bath", [0.0, 0.4, 2.0])
def test_finite_temperature_wehrl_balance(n_bath):
    # a mixed state: Q > 0 everywhere (a pure cat has zeros of Q, where ln Q is singular and
    # the quadrature of dS/dt only reaches ~1e-3)
    rho = 0.8 * cv.cat(1.5, 50) + 0.2 * qutip.thermal_dm(50, 0.5)
    r = cv.thermal_loss_rates(rho, 0.7, n_bath)
    assert r["dS_dt"] == pytest.approx(r["Pi"] - r["Phi"], abs=1e-8 * r["Pi"])
    if n_bath == 0:
        assert r["Phi"] == pytest.approx(2 * 0.7 * r["photons"])


def test_spohn_flux_diverges_wehrl_flux_does_not():
    nb = np.logspace(-12, -1, 12)
    spohn = cv.spohn_flux(1.0, nb, 0.5)
    assert np.all(np.diff(spohn) < 0)  # grows without bound as n_bath -> 0
    assert spohn[0] > 25
    assert cv.wehrl_thermal_flux(1.0, 0.0, 0.5) == pytest.approx(2 * 0.5 * 1.0)
    with pytest.raises(ValueError, match="infinite at T = 0"):
        cv.spohn_flux(1.0, 0.0, 0.5)


# ------------------------------------------------------------------ chapter 3


@pytest.mark.parametrize("g", [0.3, 0.25 + 0.2j, -0.4])
def test_gaussian_closed_forms_against_fock_engine(g):
    """Parametric oscillator: Fock-basis steady state through the phase-space engine vs the
    Gaussian closed forms (Pi_u, Pi_d, Phi_q) and Eq. (A10) (exact for quadratic H)."""
    omega, kappa = 0.3, 0.5
    _, rho = cv.parametric_steady_state(60, omega, g, kappa)
    H = omega * qutip.num(60) + 0.5 * (
        g * qutip.create(60) ** 2 + np.conj(g) * qutip.destroy(60) ** 2
    )
    b = epcore.entropy_balance(rho, H, kappa)
    gb = ga.gaussian_balance(ga.hamiltonian_drift(cv.quadratic_G(omega, g)), [kappa])
    assert b.pi_u == pytest.approx(gb.pi_u, rel=1e-7)
    assert b.pi_d == pytest.approx(gb.pi_d, rel=1e-7)
    assert b.phi_q == pytest.approx(gb.phi_q, rel=1e-7)
    assert b.relative_residual < 1e-6
    assert cv.leading_order_pi_u(rho, -1j * np.conj(g)) == pytest.approx(b.pi_u, rel=1e-7)


def test_parametric_above_threshold_rejected():
    with pytest.raises(ValueError, match="threshold"):
        cv.parametric_steady_state(20, 0.3, 0.6, 0.5)


def test_kerr_resonant_mean_field_and_gaussian_exact_numbers():
    """Delta = 0, eps = 1/2, kappa = 1/2, u = 1: alpha = (1 - i)/2 and the Gaussian terms are
    rational, Pi_u = 1/19, Phi_q = 1/8 (derived in chapter 3)."""
    (gb,) = kerr.linearized_branches(0.5, model=kerr.RESONANT)
    assert gb.alpha == pytest.approx(0.5 - 0.5j, abs=1e-12)
    assert gb.pi_u == pytest.approx(1 / 19, rel=1e-12)
    assert gb.phi_q == pytest.approx(1 / 8, rel=1e-12)
    assert gb.pi_d == pytest.approx(1 / 8 - 1 / 19, rel=1e-12)


def test_kerr_finite_n_approaches_gaussian_as_one_over_n():
    """Finite-N resonant Kerr: Eq. (10) holds at each N, Pi_u(N) -> 1/19 as 1/N, and Eq. (A10)
    evaluated on the exact Q approaches the same limit."""
    eps, kappa, u = 0.5, 0.5, 1.0
    gauss = 1 / 19
    diffs = []
    for N in (10, 20):
        model = kerr.KerrModel(kappa=kappa, delta=0.0, u=u)
        rho = kerr.steady_state(N, eps, model=model)
        b = kerr.balance_of_state(rho, N, eps, model=model)
        assert b.relative_residual < 1e-6
        assert b.pi_ext == pytest.approx(2 * kappa * abs(b.mean_a) ** 2)
        assert b.pi == pytest.approx(b.pi_unsplit, rel=1e-9)
        diffs.append(b.pi_u - gauss)
        xi2 = kerr.squeezing_coefficient(b.alpha, model=model)
        assert abs(cv.leading_order_pi_u(rho, xi2) - gauss) < 2 * abs(b.pi_u - gauss)
    assert diffs[0] > diffs[1] > 0
    assert diffs[0] / diffs[1] == pytest.approx(2.0, rel=0.1)  # 1/N convergence
