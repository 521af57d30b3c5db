"""Each typed error of epcore.errors is raised by a real bad input and is a ValueError."""


import numpy as np
import pytest
import qutip

import epcore
from epcore import errors, gaussian, kerr, phasespace
from epcore.errors import (
    CutoffError,
    GridError,
    IllConditionedError,
    MemoryLimitError,
    UnstableDriftError,
)


@pytest.mark.parametrize("name", errors.__all__)
def test_every_error_is_a_value_error(name):
    assert issubclass(getattr(errors, name), ValueError)


def test_cutoff_error_from_a_truncated_state():
    # |alpha = 4> has <n> = 16: 20 Fock levels leave far more than CUTOFF_TOL on top
    with pytest.raises(CutoffError, match="Fock cutoff is too small"):
        epcore.wehrl_entropy(qutip.coherent(20, 4.0))


def test_cutoff_error_from_a_kerr_state_that_may_not_grow():
    with pytest.raises(CutoffError, match="not converged in 120 Fock levels"):
        kerr.steady_state(40, 1.17, cutoff=120, grow=False, method="qutip")
    with pytest.raises(CutoffError, match="raise max_cutoff"):
        kerr.entropy_production(40, 1.2, max_cutoff=100)


def test_ill_conditioned_error_from_a_state_that_fails_the_exact_moments():
    # a correct steady state at eps = 1.0 checked against the exact moments at eps = 1.01
    rho = kerr.steady_state(10, 1.0, method="qutip")
    with pytest.raises(IllConditionedError, match="MOMENT_TOL"):
        kerr.balance_of_state(rho, 10, 1.01)
    # the linear solve near eps_c at N = 40 (closing Liouvillian gap, chapter 4)
    with pytest.raises(IllConditionedError, match="complex-p"):
        kerr.entropy_production(40, kerr.critical_drive(), method="qutip")


def test_grid_error_from_a_grid_that_misses_q():
    rho = qutip.coherent_dm(50, 3.0)
    with pytest.raises(GridError, match="misses part of Q"):
        phasespace.husimi_data(rho, n_r=8, n_theta=128)
    with pytest.raises(GridError, match="angular harmonics"):
        phasespace.husimi_data(rho, n_r=128, n_theta=8)


def test_unstable_drift_error_from_parametric_gain_above_loss():
    A_H = gaussian.hamiltonian_drift(np.diag([2.0, -2.0]))  # gain 2 > loss 0.5
    with pytest.raises(UnstableDriftError, match="unstable drift"):
        gaussian.gaussian_balance(A_H, [0.5])
    with pytest.raises(UnstableDriftError, match="unstable drift"):
        gaussian.steady_state_batch(A_H[None], [0.5])


def test_memory_limit_error_before_anything_is_allocated():
    with pytest.raises(MemoryLimitError, match="memory_limit"):
        kerr.entropy_production(5000, kerr.critical_drive())
