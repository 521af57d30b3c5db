"""``epcore.errata``: each misprint of the paper as printed, against its correction."""

from __future__ import annotations

import numpy as np
import pytest

import epcore
from epcore import cavity, dicke, errata, kerr


def test_b6_as_printed_is_not_pi_u():
    N, eps = 10, 1.0
    rho = kerr.steady_state(N, eps)
    pi_u = errata.pi_u_integrated_by_parts(rho, N)  # the correction, reachable from errata
    assert pi_u == kerr.pi_u_integrated_by_parts(rho, N)
    printed = errata.pi_u_as_printed(rho, N)
    assert abs(printed - pi_u) > 0.5 * abs(pi_u)
    assert abs(printed.imag) > 1e-3


def test_main_text_critical_coupling_is_a_misprint():
    par = dicke.PAPER
    wrong = errata.misprinted_critical_coupling()
    lc = errata.critical_coupling()
    assert lc == dicke.critical_coupling()
    assert wrong / lc == pytest.approx(2 / np.sqrt(par.omega), rel=1e-12)  # = 20 here
    # the normal phase is already unstable long before the main text's value
    assert dicke.normal_phase_growth_rate(0.5 * wrong) > 0
    other = dicke.PAPER.replace(omega=4.0)
    assert errata.misprinted_critical_coupling(model=other) == pytest.approx(
        dicke.critical_coupling(model=other), rel=1e-12)  # they agree only at omega = 4


def test_unitary_fluctuation_operator_is_real_only_as_corrected():
    v = np.linspace(-2, 2, 9)[:, None] + 1j * np.linspace(-2, 2, 9)[None, :]
    S = np.array([[1.3, 0.4], [0.4, 2.1]])
    alpha = 0.5 - 0.5j
    xi2, xi11 = -1j * np.conj(alpha) ** 2, -1j * (-2.0 + 2 * abs(alpha) ** 2)
    right = cavity.unitary_fluctuation_operator(v, S, xi2, xi11)
    printed = errata.unitary_fluctuation_operator_as_printed(v, S, xi2, xi11)
    assert np.abs(right.imag).max() < 1e-14 * np.abs(right).max()
    assert np.abs(printed.imag).max() > 1e-2 * np.abs(printed).max()
    # on the real axis v = vbar, where the two operators coincide
    x = np.linspace(-2, 2, 9).astype(complex)
    assert np.allclose(errata.unitary_fluctuation_operator_as_printed(x, S, xi2, xi11),
                       cavity.unitary_fluctuation_operator(x, S, xi2, xi11), rtol=0, atol=1e-15)
    # the xi11 term is the rotation generator: it annihilates a rotation-invariant Q
    assert np.abs(cavity.unitary_fluctuation_operator(v, 2 * np.eye(2), 0.0, xi11)).max() < 1e-15


def test_displaced_current_with_vbar_is_pi_d_and_printed_form_is_not():
    H, rho = cavity.parametric_steady_state(60, 0.3, 0.4 + 0.2j, 0.5)
    b = epcore.entropy_balance(rho, H, 0.5)
    right = epcore.phasespace.displaced_current_production(rho, 0.5)
    printed = errata.pi_d_as_printed(rho, 0.5)
    assert right == pytest.approx(b.pi_d, rel=1e-10)
    # the printed current overshoots by exactly 4 kappa: int vbar dQ/dvbar = -1, int vbar dQ/dv = 0
    assert printed - right == pytest.approx(4 * 0.5, abs=1e-8)
    with pytest.raises(ValueError, match="derivative"):
        epcore.phasespace.displaced_current_production(rho, 0.5, derivative="mu")
    with pytest.raises(ValueError, match="kappa"):
        errata.pi_d_as_printed(rho, -1.0)


def test_the_misprints_live_only_in_errata():
    assert not hasattr(kerr, "pi_u_as_printed")
    assert not hasattr(dicke, "misprinted_critical_coupling")
