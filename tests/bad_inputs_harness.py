"""Calls of the public API of epcore with one bad or extreme argument, and their verdicts.

Used by ``tests/test_bad_inputs.py`` and runnable as a script that counts the inputs that
misbehave::

    python tests/bad_inputs_harness.py            # every case, one line per misbehaving call

A call behaves if it raises ``TypeError`` or ``ValueError`` (epcore's typed errors included,
but not ``numpy.linalg.LinAlgError``, which is an accident of a solver, not a check), or if it
returns a result whose numbers are all finite. Anything else (``OverflowError``,
``IndexError``, ``ZeroDivisionError``, ``MemoryError``, a NaN or an infinity in the result, a
call that runs past its time limit, a crash) misbehaves.

Each call runs under ``signal.alarm`` (a per-call time limit); the script runs the cases in a
child process under an address-space limit and restarts it after a crash.
"""

from __future__ import annotations

import cmath
import copy
import dataclasses
import functools
import inspect
import math
import numbers
import os
import signal
import subprocess
import sys

import numpy as np

#: The modules whose public functions are swept.
MODULES = ("kerr", "dicke", "dynamics", "cavity", "gaussian", "phasespace", "spectrum",
           "tables", "twophoton", "thermal", "errata")

#: Functions left out: they take no numeric input, or only callables and result objects.
SKIP = {
    "kerr.bistability_window",
    "kerr.critical_drive",
    "dicke.critical_coupling",
    "errata.misprinted_critical_coupling",
    "dicke.effective_temperature",
    "cavity.wehrl_coherent",
    "cavity.wehrl_cat_limit",
    "cavity.example_states",  # builds many states; its inputs are the same as coherent etc.
    "dynamics.ramp",  # minutes per call at good inputs; ramp_row is swept
    "kerr.peak_row",  # a whole finite-N peak search per call; variance_peak is swept
    "twophoton.critical_drive",
}

#: Values that no numeric parameter should accept silently, with a short label each.
BAD_VALUES = [
    ("nan", math.nan),
    ("inf", math.inf),
    ("-inf", -math.inf),
    ("zero", 0.0),
    ("negative", -1.0),
    ("tiny", 1e-200),
    ("huge", 1e200),
    ("string", "x"),
    ("none", None),
    ("complex", 1 + 1j),
    ("fraction", 4.7),
    ("matrix", np.array([[1.0, 2.0], [3.0, 4.0]])),
    ("empty", []),
]

# parameters not swept: they select a model, a method or an output, not a number
NOT_SWEPT = {"model", "progress", "method", "derivative", "mode", "printed", "grow", "pure",
             "balance", "split", "cache", "refine", "per_mode", "n_jobs", "seed", "options"}


@functools.lru_cache(maxsize=1)
def _baselines():
    """Good arguments per function: ``{name: (args, kwargs)}`` with small sizes (cached; each
    call works on a deep copy)."""
    import qutip

    from epcore import cavity, dicke, gaussian, kerr, twophoton

    rho = qutip.coherent_dm(12, 0.5)
    H = cavity.driven_hamiltonian(12, 0.5)
    S2 = np.eye(2)
    S4 = np.eye(4)
    A_H = gaussian.hamiltonian_drift(np.diag([1.0, 1.0]))
    A = A_H - 0.5 * np.eye(2)
    lc = dicke.critical_coupling()
    t = np.linspace(0, 10, 21)
    branch = np.array([0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1])
    drho = qutip.Qobj(np.diag(np.r_[-1e-3, 1e-3, np.zeros(10)]))
    t_run = np.arange(0, 400, 0.5)
    run = {"t": t_run, "photons": 4.0 * np.where((t_run // 40) % 2 == 1, 2.0, 0.2)}
    # two records of an AR(1) process with correlation time 10 around the exact mean of
    # N = 4, eps = 1.1 (the window-free rate estimators need a decaying autocovariance)
    rng = np.random.default_rng(5)
    mean = kerr.exact_moment(4.0, 1.1, 1, 1).real / 4.0
    records = []
    for _ in range(2):
        x = np.empty(2000)
        x[0] = 0.0
        for i in range(1, 2000):
            x[i] = math.exp(-0.05) * x[i - 1] + 0.3 * rng.normal()
        records.append(mean + x)
    runs = [{"t": np.arange(2000) * 0.5, "photons": x} for x in records]
    return {
        "kerr.hamiltonian": ((4.0, 1.0, 10), {}),
        "kerr.liouvillian": ((4.0, 1.0, 10), {}),
        "kerr.drive_of_photons": ((1.0,), {}),
        "kerr.branch_is_stable": ((1.0,), {}),
        "kerr.mean_field": ((1.0,), {}),
        "kerr.on_upper_branch": ((1.0,), {}),
        "kerr.fluctuation_matrix": ((0.5 + 0.1j,), {}),
        "kerr.squeezing_coefficient": ((0.5 + 0.1j,), {}),
        "kerr.linearized_branches": ((1.0,), {}),
        "kerr.window_edge_scaling": (([1e-2, 1e-3, 1e-4],), {}),
        "kerr.initial_cutoff": ((4.0, 1.0), {}),
        "kerr.photon_distribution": ((4.0, 1.0, 10), {}),
        "kerr.fock_cutoff": ((4.0, 1.0), {}),
        "kerr.exact_density_matrix": ((4.0, 1.0, 20), {}),
        "kerr.exact_moment": ((4.0, 1.0, 1, 1), {}),
        "kerr.exact_moment_mpmath": ((4.0, 1.0, 1, 1), {"dps": 20}),
        "kerr.exact_fluctuations": ((4.0, 1.0), {}),
        "kerr.large_deviation_rate": ((0.5, 1.0), {}),
        "kerr.memory_estimate": ((4.0, 1.0, 20), {}),
        "kerr.steady_state": ((4.0, 1.0), {}),
        "kerr.balance_of_state": ((kerr.steady_state(4.0, 1.0), 4.0, 1.0), {}),
        "kerr.entropy_production": ((4.0, 1.0), {}),
        "kerr.pi_u_integrated_by_parts": ((kerr.steady_state(4.0, 1.0), 4.0), {}),
        "errata.pi_u_as_printed": ((kerr.steady_state(4.0, 1.0), 4.0), {}),
        "kerr.entropy_production_row": ((4.0, 1.0), {}),
        "kerr.state_balance_row": ((4.0, 1.0), {}),
        "kerr.branch_log_odds": ((4.0, 1.0), {}),
        "kerr.two_branch_prediction": ((4.0, 1.0), {}),
        "kerr.scaling_log_odds": ((), {}),
        "kerr.two_branch_scaling": ((40.0, [0.0, 0.5]), {}),
        "kerr.variance_peak": ((4.0,), {}),
        "kerr.extrapolate_critical_drive": (({10.0: 1.1, 20.0: 1.12, 40.0: 1.13},), {"order": 1}),
        "kerr.fit_peak_drives": (
            ({5.0: 1.0, 8.0: 1.05, 10.0: 1.1, 20.0: 1.12, 40.0: 1.13},), {"order": 1}),
        "kerr.peak_height_limit": ((), {}),
        "dicke.gamma_limit_table": (((0.5,), (1e-5,)), {}),
        "dicke.pole_slope": (([1e-3, 1e-2], -1), {}),
        "kerr.liouvillian_gap": ((4.0, 1.0), {"max_cutoff": 300}),
        "kerr.kerr_coefficient": ((4.0,), {}),
        "kerr.has_bistable_window": ((), {}),
        "kerr.large_deviation_derivatives": ((1.0, 1.0), {}),
        "kerr.check_state_memory": ((4.0, 1.0, 10), {}),
        "kerr.liouvillian_spectrum": ((4.0, 1.0), {"k": 2, "max_cutoff": 300}),
        "kerr.slow_mode_shifts": ((1.0,), {}),
        "kerr.slowest_mode": ((4.0, 1.0), {"max_cutoff": 300}),
        "kerr.series_length": ((4.0, 1.0), {"rows": 10}),
        "kerr.kramers_rates": ((4.0, 1.0), {}),
        "kerr.kramers_gap": ((4.0, 1.0), {}),
        "kerr.kramers_prefactor": ((4.0, 1.0), {}),
        "kerr.gap_estimate": ((4.0, 1.0), {}),
        "kerr.solver_cutoff": ((4.0, 1.0), {}),
        "kerr.solver_error": ((4.0, 1.0, 30), {}),
        "kerr.peak_terms": ((25.0,), {}),
        "dicke.finite_n_memory": ((4, 3), {}),
        "dicke.check_batch_memory": ((10,), {}),
        "gaussian.check_husimi_covariance": ((S2,), {}),
        "dicke.mean_field": ((0.5 * lc,), {}),
        "dicke.mean_field_rhs": ((0.0, np.array([0.1, 0.1, 0.1, 0.1, -0.4]), 0.5 * lc), {}),
        "dicke.mean_field_jacobian": ((0.0, np.array([0.1, 0.1, 0.1, 0.1, -0.4]), 0.5 * lc), {}),
        "dicke.normal_phase_growth_rate": ((0.5 * lc,), {}),
        "dicke.relax_mean_field": ((1.5 * lc, 10.0), {"n_t": 20}),
        "dicke.quadratic_coefficients": ((0.5 * lc,), {}),
        "dicke.hamiltonian_matrix": ((0.5 * lc,), {}),
        "dicke.hamiltonian_drift": ((0.5 * lc,), {}),
        "dicke.drift_matrix": ((0.5 * lc,), {}),
        "dicke.steady_covariance": ((0.5 * lc,), {}),
        "dicke.husimi": ((np.zeros(4), S4), {}),
        "dicke.husimi_marginal": ((np.zeros(3), np.zeros(3), S4, "a"), {}),
        "dicke.fock_covariance": ((0.5 * lc,), {"n_fock": 4, "tol": 1.0}),
        "dicke.entropy_production": ((0.5 * lc,), {}),
        "dicke.entropy_production_batch": (([0.5 * lc, 0.6 * lc],), {}),
        "dicke.pi_u_slope": (([0.4 * lc, 0.5 * lc, 0.6 * lc],), {}),
        "dicke.quadrature_terms": ((0.5 * lc,), {"order": 4}),
        "dicke.local_slope": (([1e-3, 1e-2, 1e-1], [1e3, 1e2, 1e1]), {}),
        "dicke.slope_window": (([1e-3, 1e-2, 1e-1], [-1.0, -1.0, -1.0]), {}),
        "dicke.fit_fixed_slope": (([1e-3, 1e-2, 1e-1], [1e3, 1e2, 1e1], (1e-3, 1e-1)), {}),
        "dicke.divergence_profile": ((1,), {"n": 20}),
        "dicke.shifted_divergence": ((), {"n": 20}),
        "dicke.finite_n_cutoffs": ((0.5 * lc,), {}),
        "dicke.rotating_wave_covariance": ((0.5 * lc,), {}),
        "dicke.adiabatic_occupations": ((0.5 * lc,), {}),
        "dicke.gamma_zero_limit": (([0.5 * lc],), {}),
        "dicke.finite_n_steady_state": ((2, 0.5 * lc), {"n_cavity": 4, "n_spin": 3, "tol": 1e-3}),
        "dicke.finite_n_liouvillian": ((2, 0.5 * lc), {"n_cavity": 3}),
        "dicke.finite_n_gap": ((2, 0.5 * lc), {"n_cavity": 3, "rtol": 0.5}),
        "dicke.cavity_friction": ((0.5 * lc,), {}),
        "dicke.drift_spectrum": ((0.5 * lc,), {}),
        "dicke.soft_mode_rates": ((0.5 * lc,), {}),
        "dicke.mean_field_arrays": (([0.5 * lc, 2.0 * lc],), {}),
        "dicke.coefficient_arrays": (([0.5 * lc, 2.0 * lc],), {}),
        "dicke.drift_arrays": (([0.5 * lc, 2.0 * lc],), {}),
        "gaussian.require_stable": ((A,), {}),
        "dicke.overdamping_distance": ((), {}),
        "dicke.natural_frequency": ((0.5 * lc,), {}),
        "spectrum.slowest_modes": ((kerr.liouvillian(2.0, 0.5, 6),), {"k": 2}),
        "dynamics.fit_exponential": (([10.0, 20.0, 30.0], [1e-2, 1e-3, 1e-4]), {}),
        "dynamics.fit_activation": (([10.0, 20.0, 30.0, 40.0], [1e-2, 1e-3, 1e-4, 2e-5]), {}),
        "dynamics.fit_power_law": (([10.0, 20.0, 30.0], [1e-2, 3e-3, 1e-3]), {}),
        "kerr.gap_row": ((4.0, 1.0), {}),
        "kerr.switching_barriers": ((1.1,), {}),
        "kerr.mode_branch_overlap": ((4.0, 1.0), {}),
        "kerr.steady_state_error": ((4.0, 1.0), {}),
        "dicke.slowest_rate": ((0.5 * lc,), {}),
        "dicke.natural_frequency_exponent": (([1e-6, 1e-5, 1e-4],), {}),
        "dynamics.jump_trajectory": ((4.0, 1.0), {"t_max": 2.0, "max_cutoff": 300}),
        "dynamics.telegraph": ((np.linspace(0, 1, 21), 0.3, 0.7), {}),
        "dynamics.dwell_times": ((t, branch), {}),
        "dynamics.heterodyne_histogram": ((np.zeros(5), np.zeros(5), 2.0), {"bins": 4}),
        "dynamics.switching_rates": (([run], 4.0, 1.1), {}),
        "dynamics.correlation_rate": ((records, 0.5), {"mean": mean, "t_min": 1.0}),
        "dynamics.switching_rate_from_correlation": ((runs, 4.0, 1.1),
                                                     {"t_min": 1.0, "t_skip": 10.0}),
        "dynamics.ramp_entropy": ((4.0, t, np.full(21, 1.0), np.full(21, 1.0), (2.1, 2.1)), {}),
        "dynamics.fast_ramp_limit": ((4.0,), {"nodes": 8}),
        "dynamics.entropy_split": ((rho, qutip.coherent_dm(12, 0.6), H, 0.5),
                                   {"drho_ss": drho}),
        "dynamics.triangle": ((t, 10.0, 0.6, 1.2), {}),
        "dynamics.entropy_rate_differences": (([0.0, 1.0, 2.0, 3.0], [1.0, 1.5, 1.8, 1.9]), {}),
        "dynamics.sum_rule_residual": ((np.linspace(0.0, 4.0, 21), 2.0, np.full(21, 1.0),
                                        np.full(21, 1.5), np.linspace(0.0, 2.0, 21)), {}),
        "dynamics.ramp_row": ((4.0, 20.0), {"n_out": 20, "balance": True, "split": True}),
        "dynamics.hysteresis_area": (([1.0, 2.0, 1.0], [1.0, 2.0, 1.5]), {}),
        "dynamics.peak_time": (([1.0, 2.0, 4.0], [1.0, 2.0, 1.5]), {}),
        "dynamics.zero_time": (([1.0, 2.0, 4.0], [-1.0, 2.0, 1.5]), {}),
        "dynamics.cycle_split": (([0.0, 1.0, 2.0], [1.0, 2.0, 1.0], [0.5, 1.0, 0.5],
                                  [0.5, 1.0, 0.5], [0.0, 0.1, 0.0]), {}),
        "cavity.squeezed_vacuum": ((0.2, 10), {}),
        "cavity.cat": ((1.0, 12), {}),
        "cavity.random_state": ((3, 10), {"seed": 1}),
        "cavity.thermal_entropy": ((0.5,), {}),
        "cavity.wehrl_thermal": ((0.5,), {}),
        "cavity.wehrl_squeezed": ((0.2,), {}),
        "cavity.driven_hamiltonian": ((10, 0.5), {}),
        "cavity.steady_state": ((H, 0.5), {}),
        "cavity.empty_cavity_amplitude": ((0.5, 0.5), {}),
        "cavity.empty_cavity_transient": ((0.5, 0.5, [0.0, 1.0]), {}),
        "cavity.transient_balance": ((H, 0.5, qutip.fock_dm(12, 0), [0.0, 0.5]),
                                     {"progress": False}),
        "cavity.wehrl_rate": ((rho, drho), {}),
        "cavity.spohn_flux": ((0.5, 0.2, 0.5), {}),
        "cavity.wehrl_thermal_flux": ((0.5, 0.2, 0.5), {}),
        "cavity.thermal_loss_rates": ((qutip.thermal_dm(30, 0.3), 0.5, 0.2), {}),
        "cavity.quadratic_G": ((1.0, 0.2), {}),
        "cavity.parametric_steady_state": ((12, 1.0, 0.2, 0.5), {}),
        "cavity.leading_order_pi_u": ((rho, 0.1), {}),
        "cavity.squeezing_hamiltonian": ((10, 0.2), {}),
        "cavity.squeezed_vacuum_balance": ((0.1, 1.0, 0.5), {}),
        "cavity.parametric_pi_u": ((1.0, 0.2, 0.5), {}),
        "cavity.parametric_thermal_steady_state": ((12, 1.0, 0.2, 0.5, 0.1), {}),
        "cavity.unitary_fluctuation_operator": ((np.zeros(2), S2, 0.1, 0.1), {}),
        "errata.unitary_fluctuation_operator_as_printed": ((np.zeros(2), S2, 0.1, 0.1), {}),
        "gaussian.symplectic_form": ((2,), {}),
        "gaussian.hamiltonian_drift": ((np.diag([1.0, 1.0]),), {}),
        "gaussian.loss_drift": (([0.5],), {}),
        "gaussian.steady_covariance": ((A, 0.5 * np.eye(2)), {}),
        "gaussian.husimi_covariance": ((0.5 * np.eye(2),), {}),
        "gaussian.excess_covariance": ((A, A_H), {}),
        "gaussian.lyapunov_condition": ((A,), {}),
        "gaussian.precise_terms": ((A_H, [0.5]), {"dps": 30}),
        "gaussian.solve_lyapunov_batch": ((A[None], 0.5 * np.eye(2)), {}),
        "gaussian.steady_state_batch": ((A_H[None], [0.5]), {}),
        "gaussian.gaussian_terms": ((A_H, S2, [0.5]), {}),
        "gaussian.gaussian_balance": ((A_H, [0.5]), {}),
        "gaussian.gaussian_wehrl": ((S2,), {}),
        "gaussian.steady_unitary_production": ((S2, [0.5]), {}),
        "gaussian.thermal_gaussian_balance": ((A_H, [0.5], [0.1]), {}),
        "gaussian.channel_balance": ((A_H, [[0.3], [0.2]], [[0.1], [0.0]]), {}),
        "gaussian.check_matrix": ((A_H, "A_H"), {}),
        "gaussian.check_channels": (([[0.3], [0.2]], [[0.1], [0.0]], 1), {}),
        "thermal.check_bath": ((0.5,), {}),
        "thermal.kerr_branches": ((1.0, 0.5), {}),
        "thermal.dicke_balance": ((0.5 * lc, 0.5), {}),
        "thermal.twophoton_branches": ((0.8, 0.5), {}),
        "thermal.classical_entropy_production": ((A_H, [0.5], 1.0), {}),
        "thermal.divergence_amplitude_ratio": ((gaussian.hamiltonian_drift(np.diag([1.0, 0.0])),
                                                [0.5], 1.0), {}),
        "thermal.critical_divergence": (("twophoton", 1.0), {}),
        "thermal.transition_scan": (("twophoton", [0.8, 1.2], [0.0, 1.0]), {}),
        "thermal.kerr_state_balance": ((2.0, 0.5, 0.1), {}),
        "thermal.twophoton_state_balance": ((2.0, 0.8, 0.1), {}),
        "gaussian.unitary_share_at_instability": ((1, 3), {}),
        "gaussian.qnd_pair_model": ((10.0, 0.1), {}),
        "gaussian.sharp_bound_family": (([0.1, 0.01],), {}),
        "phasespace.check_single_mode": ((rho,), {}),
        "phasespace.density_matrix": ((rho,), {}),
        "phasespace.polar_grid": ((np.diag(rho.full()).real,), {}),
        "phasespace.husimi_data": ((rho,), {}),
        "phasespace.husimi": ((rho, 0.1 + 0.2j), {}),
        "phasespace.wehrl_entropy": ((rho,), {}),
        "phasespace.entropy_balance": ((rho, H, 0.5), {}),
        "phasespace.displaced_current_production": ((rho, 0.5), {}),
        "phasespace.coherent_amplitudes": (([0.5 + 0.5j, 0.0], 6), {}),
        "phasespace.hermitian_normalized": ((np.eye(3) + 0.1j * np.triu(np.ones((3, 3)), 1),), {}),
        "errata.pi_d_as_printed": ((rho, 0.5), {}),
        "tables.table": (({"$N$": [10, 20], "x": [0.5, 1e-7]},), {"caption": "A table."}),
        "tables.latex_number": ((6e4,), {}),
        "tables.latex_from_text": (("6e+04",), {}),
        "tables.expand_macros": ((r"\Piu + \ket{n}",), {}),
        "spectrum.sector_slowest_modes": ((twophoton.liouvillian(2.0, 0.5, 6),
                                           twophoton.parity_sectors(6)[1]), {"k": 2}),
        "twophoton.hamiltonian": ((4.0, 0.5, 10), {}),
        "twophoton.liouvillian": ((4.0, 0.5, 10), {}),
        "twophoton.parity_sectors": ((10,), {}),
        "twophoton.drive_of_photons": ((0.3,), {}),
        "twophoton.mean_field": ((0.8,), {}),
        "twophoton.fluctuation_matrix": ((0.3 - 0.4j, 0.8), {}),
        "twophoton.fluctuation_loss": ((0.3,), {}),
        "twophoton.linearized_branches": ((0.8,), {}),
        "twophoton.series_length": ((4.0, 0.8), {"rows": 10}),
        "twophoton.initial_cutoff": ((4.0, 0.8), {}),
        "twophoton.photon_distribution": ((4.0, 0.8, 10), {}),
        "twophoton.fock_cutoff": ((4.0, 0.8), {}),
        "twophoton.exact_density_matrix": ((4.0, 0.8, 20), {}),
        "twophoton.exact_moment": ((4.0, 0.8, 2, 2), {}),
        "twophoton.exact_fluctuations": ((4.0, 0.8), {}),
        "twophoton.memory_estimate": ((4.0, 0.8, 20), {}),
        "twophoton.steady_state": ((4.0, 0.8), {}),
        "twophoton.state_balance": ((twophoton.steady_state(4.0, 0.8), 4.0, 0.8), {}),
        "twophoton.balance_of_state": ((twophoton.steady_state(4.0, 0.8), 4.0, 0.8), {}),
        "twophoton.entropy_production": ((4.0, 0.8), {}),
        "twophoton.slow_mode_shifts": ((0.8,), {}),
        "twophoton.sector_gaps": ((4.0, 0.8), {"k": 2, "max_cutoff": 150}),
        "twophoton.liouvillian_gap": ((4.0, 0.8), {"max_cutoff": 150}),
        "twophoton.gaussian_scan": (([0.5, 1.5],), {}),
        "twophoton.exact_scan": ((4.0, [0.5, 1.5]), {}),
        "twophoton.critical_growth": (([4.0, 8.0],), {}),
        "twophoton.broken_phase_limit": ((0.8,), {}),
        "twophoton.gap_scaling": (([4.0, 6.0, 8.0], 1.5), {}),
    }


def cases():
    """Every ``(function name, parameter, label)`` to call, in a fixed order."""
    import importlib

    base = _baselines()
    out = []
    for mod_name in MODULES:
        mod = importlib.import_module(f"epcore.{mod_name}")
        for name in mod.__all__:
            fn = getattr(mod, name)
            full = f"{mod_name}.{name}"
            if not callable(fn) or inspect.isclass(fn) or full in SKIP:
                continue
            if full not in base:
                raise KeyError(f"no good arguments for {full}: add them to _baselines()")
            for param in _swept_parameters(fn, *base[full]):
                for label, _ in BAD_VALUES:
                    out.append((full, param, label))
    return out


def _swept_parameters(fn, args, kwargs):
    sig = inspect.signature(fn)
    names = []
    for i, p in enumerate(sig.parameters.values()):
        if p.name in NOT_SWEPT or p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            continue
        if i < len(args) or p.name in kwargs or _is_number(p.default):
            names.append(p.name)
    return names


def _is_number(x):
    return isinstance(x, numbers.Number) and not isinstance(x, bool)


def call(full, param, label):
    """Call ``full`` with its good arguments, ``param`` replaced by the bad value ``label``."""
    import importlib

    mod_name, name = full.split(".")
    fn = getattr(importlib.import_module(f"epcore.{mod_name}"), name)
    args, kwargs = copy.deepcopy(_baselines()[full])
    bound = inspect.signature(fn).bind_partial(*args, **kwargs)
    bound.arguments[param] = dict(BAD_VALUES)[label]
    return fn(*bound.args, **bound.kwargs)


def _finite(x) -> bool:
    """Whether every number in a result is finite."""
    import qutip

    if x is None or isinstance(x, (bool, str)):
        return True
    if isinstance(x, qutip.Qobj):
        return bool(np.all(np.isfinite(x.full())))
    if isinstance(x, numbers.Number):
        return cmath.isfinite(complex(x))
    if isinstance(x, np.ndarray):
        return x.dtype == object and all(map(_finite, x.ravel())) or (
            x.dtype != object and bool(np.all(np.isfinite(x))))
    if isinstance(x, dict):
        return all(_finite(v) for v in x.values())
    if isinstance(x, (list, tuple)):
        return all(_finite(v) for v in x)
    if dataclasses.is_dataclass(x):
        return all(_finite(getattr(x, f.name)) for f in dataclasses.fields(x))
    return True


class CallTimeout(BaseException):
    """A call ran past its time limit (a ``BaseException``, so no ``except Exception`` eats it)."""


def _alarm(signum, frame):
    raise CallTimeout


def verdict(full, param, label, *, seconds: int = 5) -> str:
    """``'ok'`` or a short description of the misbehaviour of one call."""
    import warnings

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = call(full, param, label)
    except CallTimeout:
        return f"timeout > {seconds} s"
    except np.linalg.LinAlgError as exc:
        return f"LinAlgError: {str(exc)[:80]}"
    except (TypeError, ValueError):
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any other type is the misbehaviour recorded
        return f"{type(exc).__name__}: {str(exc)[:80]}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    try:
        return "ok" if _finite(result) else "non-finite result"
    except Exception as exc:  # noqa: BLE001
        return f"result not a number: {type(exc).__name__}"


def _child(start: int, out_path: str, mem_bytes: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
    all_cases = cases()
    with open(out_path, "a") as out:
        for i in range(start, len(all_cases)):
            out.write(f"START {i}\n")
            out.flush()
            v = verdict(*all_cases[i])
            out.write(f"DONE {i}\t{v}\n")
            out.flush()


def run_all(mem_bytes: int = 2 * 1024**3, stall: float = 60.0):
    """Every case, in child processes restarted after a crash: ``{case: verdict}``."""
    import tempfile
    import time

    all_cases = cases()
    results: dict = {}
    with tempfile.NamedTemporaryFile("r", suffix=".log", delete=False) as log:
        path = log.name
    start = 0
    while start < len(all_cases):
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", str(start), path, str(mem_bytes)],
            env=os.environ.copy(),
        )
        last, last_size = time.monotonic(), -1
        while proc.poll() is None:
            time.sleep(0.5)
            size = os.path.getsize(path)
            if size != last_size:
                last, last_size = time.monotonic(), size
            elif time.monotonic() - last > stall:
                proc.kill()
                proc.wait()
                break
        started = None
        for line in open(path):
            kind, rest = line.rstrip("\n").split(" ", 1)
            if kind == "START":
                started = int(rest)
            else:
                i, v = rest.split("\t", 1)
                results[all_cases[int(i)]] = v
                started = None
        if started is not None and all_cases[started] not in results:
            results[all_cases[started]] = f"crash or hang (exit {proc.returncode})"
        start = max([all_cases.index(c) for c in results] + [-1]) + 1
    os.unlink(path)
    return results


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
        sys.exit(0)
    res = run_all()
    bad = {c: v for c, v in res.items() if v != "ok"}
    for (full, param, label), v in sorted(bad.items()):
        print(f"{full}({param}={label}): {v}")
    n_fn = len({c[0] for c in bad})
    print(f"# {len(bad)} misbehaving calls of {len(res)} in {n_fn} functions")
