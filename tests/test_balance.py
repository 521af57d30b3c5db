"""The one result shape: EntropyBalance at one point and along a parameter (epcore.balance)."""

import dataclasses
import math
import pickle

import numpy as np
import pytest

from epcore import EntropyBalance, cli, dicke, dynamics, kerr
from epcore.balance import TERMS, DickeBalance, GaussianBalance, ModeBalance

STANDARD = ("pi_ext", "pi_u", "pi_d", "phi_ext", "phi_q", "pi", "phi", "residual")


def _points():
    return [
        ModeBalance(0.1, 0.2, 0.3, 0.1, 0.45, mean_a=1 + 2j, photons=3.0, cutoff=10,
                    method="exact", husimi_cov=np.eye(2)),
        ModeBalance(0.0, -0.5, 1.5, 0.0, 1.0, mean_a=-1j, photons=0.5, cutoff=12,
                    method="complex-p", husimi_cov=2 * np.eye(2)),
        ModeBalance(2.0, 1e-3, 7.0, 2.0, 0.0, mean_a=0j, photons=None, cutoff=14,
                    method="exact", husimi_cov=3 * np.eye(2)),
    ]


def test_stack_equals_the_points_elementwise_bit_for_bit():
    points = _points()
    s = EntropyBalance.stack(points)
    assert type(s) is ModeBalance
    for name in (*TERMS, "pi", "phi", "residual", "relative_residual", "mean_a", "cutoff"):
        expected = np.array([getattr(p, name) for p in points])
        assert np.array_equal(getattr(s, name), expected), name
    assert s.husimi_cov.shape == (3, 2, 2) and s.husimi_cov[2, 0, 0] == 3.0
    assert np.isnan(s.photons[2]) and s.photons[1] == 0.5  # missing at one point -> NaN
    assert s.method == ("exact", "complex-p", "exact")
    assert s.wehrl is None  # unset everywhere stays unset


def test_stack_sets_fields_and_refuses_mixtures():
    s = DickeBalance.stack([DickeBalance(0.0, 1.0, 2.0, 0.0, 3.0)] * 2, lam=np.array([0.1, 0.2]))
    assert np.array_equal(s.lam, [0.1, 0.2]) and np.array_equal(s.residual, [0.0, 0.0])
    with pytest.raises(ValueError, match="several classes"):
        EntropyBalance.stack([ModeBalance(0, 0, 0, 0, 0), GaussianBalance(0, 0, 0, 0, 0)])
    with pytest.raises(ValueError, match="non-empty"):
        EntropyBalance.stack([])
    with pytest.raises(ValueError, match="no fields"):
        ModeBalance.stack(_points(), lam=1.0)


def test_dicke_batch_is_the_stack_of_point_results():
    """Batched NumPy against SciPy's solver point by point: two routes, one shape."""
    lams = np.array([0.1, 0.3, 0.5, 0.9])
    sweep = dicke.entropy_production_batch(lams)
    stacked = DickeBalance.stack([dicke.entropy_production(x) for x in lams])
    assert type(sweep) is DickeBalance
    assert type(stacked) is DickeBalance
    for name in (*TERMS, "pi", "phi", "residual", "lam", "pi_d_a", "pi_d_b", "photons_a",
                 "photons_b", "alpha", "beta", "w"):
        np.testing.assert_allclose(getattr(sweep, name), getattr(stacked, name),
                                   rtol=1e-9, atol=1e-12, err_msg=name)
    # Eq. (9): pi_ext = phi_ext, so Pi - Phi is the residual of Eq. (10), elementwise
    np.testing.assert_allclose(sweep.pi - sweep.phi, sweep.residual, atol=1e-12)
    assert np.all(sweep.relative_residual < 1e-10)


def test_array_identities_elementwise():
    rng = np.random.default_rng(3)
    terms = {k: rng.normal(size=7) for k in TERMS}
    b = EntropyBalance(**terms)
    assert np.array_equal(b.pi, terms["pi_ext"] + terms["pi_u"] + terms["pi_d"])
    assert np.array_equal(b.phi, terms["phi_ext"] + terms["phi_q"])
    assert np.array_equal(b.residual, terms["pi_u"] + terms["pi_d"] - terms["phi_q"])
    for i in range(7):
        point = EntropyBalance(**{k: float(v[i]) for k, v in terms.items()})
        assert (point.pi, point.phi, point.residual) == (b.pi[i], b.phi[i], b.residual[i])
        assert point.relative_residual == b.relative_residual[i]


def test_relative_residual_edge_cases():
    assert EntropyBalance(0, 1.0, 1.0, 0, 0.0).relative_residual == math.inf
    assert EntropyBalance(0, 1.0, -1.0, 0, 0.0).relative_residual == 0.0
    assert EntropyBalance(0, 0.5, 0.0, 0, -1.0).relative_residual == 1.5  # |res| / |phi_q|
    r = EntropyBalance(0, 1.0, 0.0, 0, 2.0).relative_residual
    assert type(r) is float and r == 0.5
    arr = EntropyBalance(np.zeros(3), np.array([1.0, 0.0, 3.0]), np.zeros(3), np.zeros(3),
                         np.array([0.0, 0.0, 2.0])).relative_residual
    assert arr.tolist() == [math.inf, 0.0, 0.5]


def test_columns_use_the_standard_names():
    s = EntropyBalance.stack(_points())
    cols = s.columns()
    assert list(cols)[:8] == list(STANDARD)
    assert {"mean_a_re", "mean_a_im", "photons", "cutoff"} <= set(cols)
    assert "mean_a" not in cols and "husimi_cov" not in cols and "method" not in cols
    assert all(c.ndim == 1 and c.size == 3 and not np.iscomplexobj(c) for c in cols.values())
    assert np.array_equal(cols["mean_a_im"], [2.0, -1.0, 0.0])
    one = _points()[0].columns()  # one point: columns of length 1
    assert all(c.shape == (1,) for c in one.values()) and one["pi"][0] == _points()[0].pi
    sweep_cols = dicke.entropy_production_batch([0.2, 0.6]).columns()
    assert {*STANDARD, "lam", "alpha_re", "alpha_im", "photons_a", "cond"} <= set(sweep_cols)


def test_cli_data_columns_takes_a_balance():
    s = EntropyBalance.stack(_points())
    assert list(cli.data_columns("x", s)) == list(s.columns())


def test_pickling_round_trip_of_point_and_array_results():
    b = kerr.linearized_branches(0.5)[0]
    c = pickle.loads(pickle.dumps(b))
    assert type(c) is GaussianBalance and c == b
    assert np.array_equal(c.husimi_cov, b.husimi_cov) and c.alpha == b.alpha
    s = dicke.entropy_production_batch([0.2, 0.6])
    t = pickle.loads(pickle.dumps(s))
    for f in dataclasses.fields(s):
        if isinstance(getattr(s, f.name), np.ndarray):
            assert np.array_equal(getattr(t, f.name), getattr(s, f.name)), f.name
    assert t.model == s.model


def test_ramp_result_is_an_array_balance():
    t = np.linspace(0.0, 2.0, 5)
    z = np.zeros(5)
    r = dynamics.RampResult(pi_ext=t, pi_u=z + 1, pi_d=z + 2, phi_ext=t, phi_q=z + 3, N=2.0,
                            t_ramp=1.0, t=t, eps=t, photons=t, S=t, dS_dt=z)
    assert isinstance(r, EntropyBalance)
    assert np.array_equal(r.pi, t + 3) and np.array_equal(r.residual, z)
    assert {*STANDARD, "t", "eps", "photons", "S", "dS_dt"} <= set(r.columns())
    assert "N" not in r.columns()  # one number for the whole ramp is not a column
