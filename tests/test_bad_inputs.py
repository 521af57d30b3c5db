"""Bad and extreme inputs: a typed error (TypeError or ValueError) or a correct finite number.

Three layers:

* a hypothesis sweep over every public function of ``epcore.kerr``, ``epcore.dicke``,
  ``epcore.dynamics``, ``epcore.cavity``, ``epcore.gaussian``, ``epcore.phasespace``,
  ``epcore.spectrum``, ``epcore.tables`` and ``epcore.twophoton``
  (``tests/bad_inputs_harness.py`` lists the calls), one argument at a time replaced by a bad
  type or an extreme float, each call under a time limit;
* the reproducers of the reliability issue, each asserting the correct value or the typed
  error;
* requests that would exhaust memory or run for hours, each run in a child process with a
  timeout and an address-space limit, so that a regression cannot take the machine down.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import qutip

from epcore import cavity, dicke, dynamics, gaussian, kerr, phasespace, sweep
from epcore.errors import (
    ArgumentTypeError,
    BudgetError,
    MemoryLimitError,
    UnstableDriftError,
    ValidityError,
)
from epcore.models import DickeModel, check_integer, check_real

sys.path.insert(0, os.path.dirname(__file__))
import bad_inputs_harness as harness  # noqa: E402

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

LC = dicke.critical_coupling()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# --------------------------------------------------------------------------- the sweep

_CASES = sorted({(full, param) for full, param, _ in harness.cases()})

_EXTREME_FLOATS = st.sampled_from(
    [math.nan, math.inf, -math.inf, 0.0, -0.0, -1.0, 1e-200, -1e-200, 1e200, -1e200, 4.7,
     1e-320, 1e-100, 1e100, 1e300]
)
_BAD_VALUES = st.one_of(
    _EXTREME_FLOATS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["x", "", None, 1 + 1j, 1j, [], [[1.0, 2.0], [3.0, 4.0]], True]),
    st.complex_numbers(max_magnitude=1e10),
    st.text(max_size=3),
)


@hypothesis.settings(max_examples=120, deadline=None, derandomize=True,
                     suppress_health_check=list(hypothesis.HealthCheck))
@hypothesis.given(case=st.sampled_from(_CASES), value=_BAD_VALUES)
def test_public_functions_refuse_bad_values_or_return_finite_numbers(case, value):
    full, param = case
    harness.BAD_VALUES.append(("hypothesis", value))
    try:
        verdict = harness.verdict(full, param, "hypothesis", seconds=10)
    finally:
        harness.BAD_VALUES.pop()
    assert verdict == "ok", f"{full}({param}={value!r}): {verdict}"


@pytest.mark.parametrize("label", ["nan", "string", "none", "complex", "huge"])
def test_every_numeric_parameter_refuses_the_worst_values(label):
    bad = []
    for full, param in _CASES:
        verdict = harness.verdict(full, param, label, seconds=10)
        if verdict != "ok":
            bad.append(f"{full}({param}={label}): {verdict}")
    assert not bad, "\n".join(bad)


# ------------------------------------------------------------------------ the validators


@pytest.mark.parametrize("value", ["4", None, 4 + 1j, [4], True])
def test_bad_types_raise_type_errors_that_are_also_value_errors(value):
    for check in (lambda v: check_integer(v, "N"), lambda v: check_real(v, "eps")):
        with pytest.raises(TypeError) as info:
            check(value)
        assert isinstance(info.value, ArgumentTypeError) and isinstance(info.value, ValueError)


def test_a_fractional_size_is_refused_not_truncated():
    with pytest.raises(ArgumentTypeError, match="never rounded"):
        sweep.finite_n_scan([4.7], 0.5 * LC, progress=False, cache=False)
    with pytest.raises(ArgumentTypeError):
        cavity.example_states(10.5)
    assert check_integer(4.0, "N") == 4  # an integral float is an integer


@pytest.mark.parametrize("N", ["10", None, 10j])
def test_kerr_size_of_the_wrong_type(N):
    with pytest.raises(TypeError, match="size N must be a real number"):
        kerr.exact_moment(N, 1.0, 1, 1)


def test_huge_and_tiny_drives():
    # 1e200 is refused with a typed error; 1e-200 gives the weak-drive limit
    with pytest.raises(ValueError, match="double precision"):
        kerr.mean_field(1e200)
    (branch,) = kerr.mean_field(1e-200)
    k, d = kerr.PAPER.kappa, kerr.PAPER.delta
    assert branch.alpha == pytest.approx(1e-200 / complex(k, d), rel=1e-12)
    mean_a = kerr.exact_moment(4.0, 1e-200, 0, 1)
    assert mean_a == pytest.approx(2e-200 / complex(k, d), rel=1e-9)  # <a> = E / (kappa + i D)


def test_zero_division_and_index_errors_are_value_errors():
    with pytest.raises(ValueError, match="odd cat"):
        cavity.cat(0, 10, parity=-1)
    with pytest.raises(ValueError):
        phasespace.polar_grid([])
    with pytest.raises(ValueError):
        dynamics.telegraph([], 0.3, 0.7)
    with pytest.raises(ValueError):
        kerr.memory_estimate(0, 1.0, 20)


def test_numpy_hamiltonian_is_accepted_by_the_cavity_steady_state():
    H = cavity.driven_hamiltonian(15, 0.4)
    rho = cavity.steady_state(H.full(), 1.0)
    # the empty cavity driven by i E (a^dag - a) relaxes to |alpha = E / kappa>
    assert qutip.expect(qutip.destroy(15), rho) == pytest.approx(0.4, abs=1e-10)


def test_lambda_huge_is_refused_not_a_linalg_error():
    with pytest.raises(ValueError) as info:
        dicke.entropy_production(1e200)
    assert not isinstance(info.value, np.linalg.LinAlgError)


# --------------------------------------------------------- B: inputs that returned numbers


def test_unstable_lyapunov_drift_raises():
    A = np.array([[[0.5, 0.0], [0.0, 0.5]]])  # growing, not decaying
    with pytest.raises(UnstableDriftError):
        gaussian.solve_lyapunov_batch(A, np.eye(2))


def test_wehrl_rate_with_mismatched_shapes():
    rho = qutip.coherent_dm(12, 0.5)
    with pytest.raises(ValueError, match="shape"):
        cavity.wehrl_rate(rho, np.zeros((8, 8)))


def test_thermal_entropy_and_state_of_bad_occupations():
    with pytest.raises(ValueError):
        cavity.thermal_entropy(-0.5)
    with pytest.raises(ValueError):
        cavity.example_states(10, n=math.inf)
    # exact values at good inputs: S(n) = (n+1) ln(n+1) - n ln n
    assert cavity.thermal_entropy(1.0) == pytest.approx(2 * math.log(2), rel=1e-15)
    assert cavity.wehrl_thermal(1.0) == pytest.approx(1 + math.log(2 * math.pi), rel=1e-15)


def test_hysteresis_area_of_unequal_lengths():
    with pytest.raises(ValueError, match="same length"):
        dynamics.hysteresis_area([1, 2], [1])


@pytest.mark.parametrize("S", [-np.eye(2), 0.1 * np.eye(2), np.diag([0.4, 3.0]),
                               np.array([[1.0, 0.5], [0.0, 1.0]])])
def test_gaussian_wehrl_refuses_matrices_that_are_not_states(S):
    with pytest.raises(ValueError):
        gaussian.gaussian_wehrl(S)


def test_gaussian_wehrl_on_states_obeys_lieb():
    assert gaussian.gaussian_wehrl(np.eye(2)) == pytest.approx(1 + math.log(math.pi))
    # squeezed vacuum: S = diag((e^{-2r} + 1)/2, (e^{2r} + 1)/2), entropy 1 + ln(pi cosh r)
    r = 0.7
    S = np.diag([(math.exp(-2 * r) + 1) / 2, (math.exp(2 * r) + 1) / 2])
    assert gaussian.gaussian_wehrl(S) == pytest.approx(cavity.wehrl_squeezed(r), rel=1e-13)
    assert cavity.wehrl_squeezed(1e3) == pytest.approx(1 + math.log(math.pi) + 1e3 - math.log(2))


# -------------------------------------------------------- C: the Kerr window edges


def test_pi_d_slope_at_the_window_edges_is_minus_one_half():
    d = np.logspace(-10, -13, 7)
    res = kerr.window_edge_scaling(d)
    for edge in ("lower", "upper"):
        assert np.allclose(res[edge]["slope_pi_d"], -0.5, atol=2e-3), edge
    with pytest.raises(ValueError, match="not resolved"):
        kerr.window_edge_scaling([1e-13, 1e-14, 1e-15])


def test_mean_field_keeps_every_branch_next_to_the_edges():
    lo, hi = kerr.bistability_window()
    for eps in (lo + 1e-13, hi - 1e-13, 0.5 * (lo + hi)):
        branches = kerr.mean_field(eps)
        assert len(branches) == 3
        assert [b.stable for b in branches] == [True, False, True]
        for b in branches:  # each is a root of eps^2 = n (kappa^2 + (Delta + u n)^2)
            assert kerr.drive_of_photons(b.n) == pytest.approx(eps, rel=1e-15)


def test_two_branch_weight_at_the_window_edges():
    lo, hi = kerr.bistability_window()
    # on the upper edge the lower branch is marginal: the state is the upper branch
    assert kerr.two_branch_prediction(1000, hi).p == 1.0
    assert kerr.two_branch_prediction(1000, hi - 1e-13).p == pytest.approx(1.0)
    assert kerr.two_branch_prediction(1000, lo).p == 0.0


# --------------------------------------------------------------- D: Dicke validity


def test_adiabatic_occupations_refuse_where_the_cavity_is_not_fast():
    for ratio in (20, 100, 1e6 / LC):
        with pytest.raises(ValidityError, match="kappa"):
            dicke.adiabatic_occupations(ratio * LC)
    # where it is valid it agrees with the exact gamma -> 0 Lyapunov solution to 1 %
    lams = np.array([0.5, 2.0, 3.0]) * LC
    n_b = dicke.adiabatic_occupations(lams)[1]
    exact = dicke.gamma_zero_limit(lams).photons_b
    np.testing.assert_allclose(n_b, exact, rtol=1e-2)


def test_quadrature_terms_refuse_an_ill_conditioned_covariance():
    with pytest.raises(ValidityError, match="condition number"):
        dicke.quadrature_terms(LC, model=dicke.PAPER.replace(gamma=1e-5))


def test_dicke_model_refuses_unresolvable_rates():
    for omega in (1e-300, 1e-90):
        with pytest.raises(ValueError):
            DickeModel(omega=omega)


# --------------------------------------------------------------- E: sizes and budgets

_CHILD = textwrap.dedent(
    """
    import resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
    import numpy as np
    import epcore
    from epcore import cavity, dicke, dynamics, kerr, phasespace
    lc = dicke.critical_coupling()
    {setup}
    t = time.time()
    try:
        {call}
    except ValueError as exc:
        print(type(exc).__name__, round(time.time() - t, 2))
        sys.exit(0)
    print("RETURNED")
    """
)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        ("dicke.finite_n_steady_state(20, 0.9 * lc)", "MemoryLimitError"),
        ("dicke.finite_n_steady_state(20, 0.7 * lc)", "MemoryLimitError"),
        ("cavity.steady_state(cavity.driven_hamiltonian(3000, 1.0), 0.5)", "MemoryLimitError"),
        ("kerr.exact_moment(1e8, 1.0, 1, 1)", "MemoryLimitError"),
        ("kerr.exact_density_matrix(10, 1.0, 50000)", "MemoryLimitError"),
        ("import qutip; phasespace.wehrl_entropy(qutip.thermal_dm(20000, 1))",
         "MemoryLimitError"),
        ("lams = np.linspace(0, 1, 10**8); dicke.entropy_production_batch(lams)",
         "MemoryLimitError"),
        ("dicke.relax_mean_field(1e6, 100.0)", "BudgetError"),
        ("dicke.relax_mean_field(0.5, 1e9)", "BudgetError"),
        ("dynamics.jump_trajectory(10**6, 1.0, t_max=1.0)", "CutoffError"),
        ("kerr.exact_moment_mpmath(10, 1e200, 1, 1)", "ValueError"),
        ("kerr.exact_moment_mpmath(10**6, 1.0, 1, 1)", "BudgetError"),
        ("kerr.variance_peak(10**6)", "BudgetError"),
    ],
)
def test_requests_too_large_are_refused_at_once(call, error):
    setup, _, call = call.rpartition(";")
    code = _CHILD.format(setup=setup.strip() or "pass", call=call.strip())
    env = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    name, seconds = proc.stdout.split()
    assert name == error
    assert float(seconds) < 5


def test_memory_limit_error_says_what_fits():
    with pytest.raises(MemoryLimitError, match="what fits") as info:
        kerr.exact_density_matrix(10, 1.0, 50000)
    assert info.value.needed > info.value.limit


def test_budget_errors_are_value_errors():
    assert issubclass(BudgetError, ValueError) and issubclass(ValidityError, ValueError)
