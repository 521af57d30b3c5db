"""Catastrophic cancellation in the fluctuation terms (Phi_q, Pi_u, Pi_d, the variance).

Every case is either right to 1e-4 relative or raises IllConditionedError with advice. The
references are written here, independently of the library: the Drummond-Walls moments with
mpmath's own 0F2 at 60 digits, and the closed form of a damped, squeezed single mode.
"""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest

from epcore import dicke, kerr
from epcore.balance import EntropyBalance
from epcore.errors import IllConditionedError

PAPER = kerr.PAPER


def phi_q_reference(N, eps, model=PAPER, dps=60):
    """2 kappa (<a^dag a> - |<a>|^2) from 0F2 ratios (PHYSICS.md) at ``dps`` digits."""
    with mpmath.workdps(dps):
        N = mpmath.mpf(N)
        chi = mpmath.mpf(model.u) / (2 * N)
        E = mpmath.mpf(eps) * mpmath.sqrt(N)
        c = mpmath.mpc(model.delta, -model.kappa) / chi
        cb = mpmath.conj(c)
        b = mpmath.mpc(0, -1) * E / chi
        x = 2 * abs(b) ** 2

        def F(p, q):
            return mpmath.hyper([], [p, q], x, maxterms=10**6)

        f00 = F(c, cb)
        mean = b / c * F(c + 1, cb) / f00
        photons = abs(b) ** 2 / (c * cb) * F(c + 1, cb + 1) / f00
        return float(2 * model.kappa * (photons.real - abs(mean) ** 2))


def right_or_refused(call, reference_phi_q):
    """Run ``call``; a result must hold Phi_q to 1e-4 and Eq. (10) to RESIDUAL_TOL."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            b = call()
        except IllConditionedError as err:
            assert "raise" in str(err).lower() or "lower" in str(err).lower()
            return None
    assert b.phi_q == pytest.approx(reference_phi_q, rel=1e-4)
    assert b.relative_residual <= kerr.entropy.RESIDUAL_TOL
    assert b.pi_d > 0
    return b


# --------------------------------------------------------------------- 1. Kerr at large N


@pytest.mark.parametrize("N", [1e3, 1e4, 1e5])
def test_kerr_exact_phi_q_and_variance_at_large_n(N):
    ref = phi_q_reference(N, 0.1)
    ex = kerr.exact_fluctuations(N, 0.1)
    assert ex["phi_q"] == pytest.approx(ref, rel=1e-6)
    assert ex["variance"] == pytest.approx(ref / (2 * PAPER.kappa), rel=1e-6)


def test_kerr_phi_q_at_n_1e5_matches_the_gaussian_limit():
    # 6.5715e-7 at N = 1e5; the linearized branch is its N -> infinity limit (O(1/N))
    ref = phi_q_reference(1e5, 0.1)
    assert ref == pytest.approx(6.5715e-7, rel=1e-4)
    (branch,) = kerr.linearized_branches(0.1)
    assert ref == pytest.approx(branch.phi_q, rel=1e-4)
    assert kerr.exact_fluctuations(1e6, 0.1)["phi_q"] == pytest.approx(branch.phi_q, rel=1e-5)


def test_kerr_entropy_production_at_n_1e5():
    b = right_or_refused(lambda: kerr.entropy_production(1e5, 0.1), phi_q_reference(1e5, 0.1))
    assert b is not None
    (branch,) = kerr.linearized_branches(0.1)
    assert b.pi_u == pytest.approx(branch.pi_u, rel=1e-4)
    assert b.pi_d == pytest.approx(branch.pi_d, rel=1e-4)


def test_kerr_entropy_production_at_n_1e6_is_right_and_quick():
    import time

    start = time.perf_counter()
    b = right_or_refused(lambda: kerr.entropy_production(1e6, 0.1), phi_q_reference(1e6, 0.1))
    assert time.perf_counter() - start < 30
    assert b is not None
    (branch,) = kerr.linearized_branches(0.1)
    assert b.pi_u == pytest.approx(branch.pi_u, rel=1e-4)
    assert b.pi_d == pytest.approx(branch.pi_d, rel=1e-4)


# ------------------------------------------------------------------- 2. extreme Kerr models


@pytest.mark.parametrize("change", [{"kappa": 1000.0}, {"delta": -1000.0}])
def test_extreme_kerr_models(change):
    model = PAPER.replace(**change)
    ref = phi_q_reference(10, 1, model=model)
    assert ref > 0
    assert kerr.exact_fluctuations(10, 1, model=model)["phi_q"] == pytest.approx(ref, rel=1e-6)
    right_or_refused(lambda: kerr.entropy_production(10, 1, model=model), ref)


# ------------------------------------------------------------------------ 3. Dicke, large lam


def single_mode_reference(g1, g2, gamma, dps=50):
    """Steady state of H = (g1 q^2 + g2 p^2)/2 with loss 2 gamma D[b]: Phi_q, Pi_u, Pi_d.

    Solves A s + s A^T + gamma I = 0, A = ((-gamma, g2), (-g1, -gamma)), by hand:
    s12 = gamma (g2 - g1) / (4 (gamma^2 + g1 g2)), s11 = 1/2 + g2 s12 / gamma,
    s22 = 1/2 - g1 s12 / gamma; then S = s + I/2 and the closed forms of PHYSICS.md.
    """
    with mpmath.workdps(dps):
        g1, g2, gm = mpmath.mpf(g1), mpmath.mpf(g2), mpmath.mpf(gamma)
        s12 = gm * (g2 - g1) / (4 * (gm**2 + g1 * g2))
        S = mpmath.matrix([[1 + g2 * s12 / gm, s12], [s12, 1 - g1 * s12 / gm]])
        Sinv = S**-1
        A_H = mpmath.matrix([[0, g2], [-g1, 0]])
        pi_u = -(A_H * Sinv)
        pi_u = (pi_u[0, 0] + pi_u[1, 1]) / 2
        pi_d = gm * (S[0, 0] + S[1, 1] - 4 + Sinv[0, 0] + Sinv[1, 1])
        phi_q = gm * (S[0, 0] + S[1, 1] - 2)
        return float(phi_q), float(pi_u), float(pi_d)


@pytest.mark.parametrize("lam", [1e10, 1e150])
def test_dicke_at_huge_coupling(lam):
    G = dicke.hamiltonian_matrix(lam)
    assert G[0, 2] == 0  # the cavity decouples: it stays in the vacuum
    phi_q, pi_u, pi_d = single_mode_reference(G[0, 0], G[1, 1], dicke.PAPER.gamma)
    assert phi_q == pytest.approx(5.625e-4, rel=1e-10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = dicke.entropy_production(lam)
        sw = dicke.entropy_production_batch([lam])
    for got in (b, EntropyBalance(0, sw.pi_u[0], sw.pi_d[0], 0, sw.phi_q[0])):
        assert got.phi_q == pytest.approx(phi_q, rel=1e-8)
        assert got.pi_u == pytest.approx(pi_u, rel=1e-8)
        assert got.pi_d == pytest.approx(pi_d, rel=1e-8)


def test_dicke_coupling_beyond_double_precision_is_refused():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(IllConditionedError, match="lam = 1e\\+300.*lower lam"):
            dicke.entropy_production(1e300)


# ----------------------------------------------- 4. the library's own state is not the caller's


@pytest.mark.parametrize(
    ("N", "eps", "change"), [(1e7, 1e-6, {}), (1e7, 0.01, {}), (10, 1.0, {"u": 1e-6})]
)
def test_no_message_blames_the_caller(N, eps, change):
    model = PAPER.replace(**change)
    ref = phi_q_reference(N, eps, model=model)
    try:
        right_or_refused(lambda: kerr.entropy_production(N, eps, model=model), ref)
    except ValueError as err:  # pragma: no cover - the failure this test guards against
        assert "normalize" not in str(err)
        raise


# --------------------------------------------------------------- 5. near coherent states


@pytest.mark.parametrize("eps", [1e-2, 1e-3, 1e-5, 3e-8])
def test_near_coherent_states_are_right_or_refused(eps):
    ref = phi_q_reference(10, eps, dps=120)
    assert ref > 0
    assert kerr.exact_fluctuations(10, eps)["phi_q"] == pytest.approx(ref, rel=1e-8)
    right_or_refused(lambda: kerr.entropy_production(10, eps), ref)


def test_relative_residual_is_never_an_absolute_one():
    assert EntropyBalance(0.0, 1e-20, 0.0, 0.0, 0.0).relative_residual == math.inf
    assert EntropyBalance(0.0, 0.0, 0.0, 0.0, 0.0).relative_residual == 0.0
    assert np.isfinite(kerr.entropy_production(10, 0.0).relative_residual)
