"""Single driven cavity: the small models of the first three chapters of the book.

* the example states of the Wehrl-entropy chapter (coherent, thermal, squeezed, cat) with their
  closed-form Wehrl entropies (Eq. 4) and von Neumann entropies;
* the driven cavity ``H = Delta a^dag a + chi a^dag a^dag a a + i E (a^dag - a)`` with losses
  ``2 kappa D[a]`` (Eq. 2), its steady state, and the closed-form transient of the empty cavity
  (a coherent state at every time, ``Pi = Phi = 2 kappa |alpha(t)|^2``, ``Pi -> 2 E^2/kappa``);
* :func:`transient_balance`: ``S(t)``, ``Pi(t)``, ``Phi(t)`` along a ``qutip.mesolve`` run, with
  an independent ``dS/dt = -int dQ/dt ln Q`` to check Eq. (1);
* the zero-temperature catastrophe: the conventional (Spohn) entropy flux of a thermal loss
  channel next to the Wehrl flux, and the Wehrl balance of that channel;
* quadratic single-mode models (parametric oscillator, linearized Kerr) in the quadrature
  form used by :mod:`epcore.gaussian`, and the leading-order ``Pi_u`` of Eq. (A10).

Conventions: losses ``2 kappa D[a]``, drive ``i E (a^dag - a)``, Husimi ``Q = <mu|rho|mu>/pi``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import qutip
from tqdm.auto import tqdm

from .balance import EntropyBalance
from .phasespace import coherent_expectations, density_matrix, entropy_balance, husimi_data

__all__ = [
    "LIEB_BOUND",
    "coherent",
    "thermal",
    "squeezed_vacuum",
    "cat",
    "random_state",
    "example_states",
    "von_neumann_entropy",
    "thermal_entropy",
    "wehrl_coherent",
    "wehrl_thermal",
    "wehrl_squeezed",
    "wehrl_cat_limit",
    "driven_hamiltonian",
    "steady_state",
    "empty_cavity_amplitude",
    "empty_cavity_transient",
    "TransientBalance",
    "transient_balance",
    "wehrl_rate",
    "spohn_flux",
    "wehrl_thermal_flux",
    "thermal_loss_rates",
    "quadratic_G",
    "parametric_steady_state",
    "leading_order_pi_u",
    "squeezing_hamiltonian",
    "squeezed_vacuum_balance",
    "parametric_pi_u",
    "parametric_thermal_steady_state",
    "a9_operator_on_gaussian",
]

#: Lieb's bound: the smallest Wehrl entropy of any single-mode state, reached by coherent states
LIEB_BOUND = 1.0 + np.log(np.pi)


def _check_dim(d: int) -> int:
    if int(d) != d or d < 2:
        raise ValueError(f"the Fock dimension d must be an integer >= 2, got {d}")
    return int(d)


def _check_kappa(kappa: float) -> float:
    if not np.isfinite(kappa) or kappa <= 0:
        raise ValueError(f"the loss rate kappa must be finite and > 0, got {kappa}")
    return float(kappa)


# --------------------------------------------------------------------------------------------
# example states of chapter 1


def coherent(alpha: complex, d: int) -> qutip.Qobj:
    """Coherent state ``|alpha>`` as a density matrix in a ``d``-level Fock space."""
    return qutip.coherent_dm(_check_dim(d), alpha)


def thermal(n: float, d: int) -> qutip.Qobj:
    """Thermal state with mean photon number ``n`` (Bose-Einstein populations)."""
    if n < 0:
        raise ValueError(f"the mean photon number must be >= 0, got {n}")
    return qutip.thermal_dm(_check_dim(d), n)


def squeezed_vacuum(r: float, d: int) -> qutip.Qobj:
    """Squeezed vacuum ``S(r)|0>`` with real squeezing ``r`` (variance of q is ``e^{-2r}/2``)."""
    d = _check_dim(d)
    psi = qutip.squeeze(d, r) * qutip.basis(d, 0)
    return qutip.ket2dm(psi.unit())


def cat(alpha: complex, d: int, *, parity: int = +1) -> qutip.Qobj:
    """Schrodinger cat ``(|alpha> + parity |-alpha>)/norm``, pure, as a density matrix."""
    d = _check_dim(d)
    if parity not in (+1, -1):
        raise ValueError("parity must be +1 (even cat) or -1 (odd cat)")
    psi = qutip.coherent(d, alpha) + parity * qutip.coherent(d, -alpha)
    return qutip.ket2dm(psi.unit())


def random_state(n_levels: int, d: int, *, seed: int | None = None, pure: bool = False):
    """Random state supported on the lowest ``n_levels`` Fock levels of a ``d``-level space.

    Mixed states are drawn from the Hilbert-Schmidt ensemble (``qutip.rand_dm``), pure ones from
    the Haar measure (``qutip.rand_ket``). The padding ``d > n_levels`` keeps the top Fock levels
    empty, so the truncation check of :func:`epcore.phasespace.density_matrix` passes.
    """
    d = _check_dim(d)
    if not 1 <= n_levels <= d - 3:
        raise ValueError(f"need 1 <= n_levels <= d - 3 (three empty top levels), got {n_levels}")
    small = qutip.rand_ket(n_levels, seed=seed) if pure else qutip.rand_dm(n_levels, seed=seed)
    small = small.full()
    if pure:
        small = np.outer(small, small.conj())
    full = np.zeros((d, d), dtype=complex)
    full[:n_levels, :n_levels] = small
    return qutip.Qobj(full)


def example_states(d: int = 60, *, alpha: float = 2.0, n: float = 1.0, r: float = 0.6):
    """The four states of chapter 1 as a dict ``name -> Qobj``: coherent, thermal, squeezed, cat."""
    return {
        "coherent": coherent(alpha, d),
        "thermal": thermal(n, d),
        "squeezed": squeezed_vacuum(r, d),
        "cat": cat(alpha, d),
    }


def von_neumann_entropy(rho) -> float:
    """``-tr rho ln rho`` (natural log) via ``qutip.entropy_vn``."""
    return float(qutip.entropy_vn(qutip.Qobj(density_matrix(rho, cutoff_tol=np.inf))))


def thermal_entropy(n: float) -> float:
    """von Neumann entropy of a thermal state: ``(n+1) ln(n+1) - n ln n``."""
    return float((n + 1) * np.log1p(n) - (n * np.log(n) if n > 0 else 0.0))


def wehrl_coherent() -> float:
    """Wehrl entropy of any coherent state, ``1 + ln pi`` (Lieb's minimum)."""
    return LIEB_BOUND


def wehrl_thermal(n: float) -> float:
    """Wehrl entropy of a thermal state, ``1 + ln(pi (n + 1))``."""
    return float(1 + np.log(np.pi * (n + 1)))


def wehrl_squeezed(r: float) -> float:
    """Wehrl entropy of squeezed vacuum, ``1 + ln(pi cosh r)``."""
    return float(1 + np.log(np.pi * np.cosh(r)))


def wehrl_cat_limit() -> float:
    """Large-``|alpha|`` Wehrl entropy of a cat: two disjoint peaks, ``1 + ln(2 pi)``."""
    return float(1 + np.log(2 * np.pi))


# --------------------------------------------------------------------------------------------
# driven cavity, Eq. (2)


def driven_hamiltonian(d: int, E: float, *, delta: float = 0.0, chi: float = 0.0) -> qutip.Qobj:
    """``H = delta a^dag a + chi a^dag a^dag a a + i E (a^dag - a)`` on ``d`` Fock levels (Eq. 2).

    ``chi = 0`` and ``delta = 0`` give the empty driven cavity; ``chi = u/(2N)``, ``E = eps
    sqrt(N)`` give the Kerr model of Eq. (11) (:func:`epcore.kerr.hamiltonian` calls this).

    Parameters
    ----------
    d : int
        Number of Fock levels, ``>= 2``.
    E : float
        Drive amplitude of ``i E (a^dag - a)``.
    delta : float
        Detuning of the mode from the drive.
    chi : float
        Kerr coefficient of ``a^dag a^dag a a``.

    Returns
    -------
    qutip.Qobj
        The Hamiltonian on ``d`` levels; ``a^dag a`` and ``a^dag^2 a^2 = n (n - 1)`` are built
        as exact diagonals.

    Raises
    ------
    ValueError
        If ``d`` is not an integer ``>= 2``.
    """
    d = _check_dim(d)
    a = qutip.destroy(d)
    levels = np.arange(d, dtype=float)
    kerr = qutip.qdiags(levels * (levels - 1.0), 0)  # a^dag^2 a^2
    return delta * qutip.num(d) + chi * kerr + 1j * E * (a.dag() - a)


def steady_state(H: qutip.Qobj, kappa: float) -> qutip.Qobj:
    """Steady state of Eq. (2) with losses ``2 kappa D[a]`` (``qutip.steadystate``, direct solve).

    The result is Hermitized and normalized; :func:`epcore.phasespace.density_matrix` checks it
    (and the Fock cutoff) when it enters the phase-space engine.
    """
    kappa = _check_kappa(kappa)
    a = qutip.destroy(H.shape[0])
    rho = qutip.steadystate(H, [np.sqrt(2 * kappa) * a])
    rho = (rho + rho.dag()) / 2
    return rho / rho.tr()


def empty_cavity_amplitude(E: float, kappa: float, t=np.inf):
    """``<a>(t) = (E/kappa)(1 - exp(-kappa t))`` of the empty cavity started in vacuum."""
    kappa = _check_kappa(kappa)
    t = np.asarray(t, dtype=float)
    return E / kappa * (-np.expm1(-kappa * t))


def empty_cavity_transient(E: float, kappa: float, times) -> dict[str, np.ndarray]:
    """Closed-form entropy balance of the empty cavity (``H0 = 0``) relaxing from vacuum.

    The state stays coherent, ``|alpha(t)>``, so ``S = 1 + ln pi`` at all times, the fluctuation
    terms vanish (``Pi_u = Pi_d = Phi_q = 0``) and ``Pi = Phi = 2 kappa alpha(t)^2``, reaching
    ``2 E^2 / kappa`` in the steady state (the paper's Discussion).
    """
    times = np.asarray(times, dtype=float)
    alpha = empty_cavity_amplitude(E, kappa, times)
    rate = 2 * kappa * alpha**2
    return {"t": times, "alpha": alpha, "S": np.full_like(times, LIEB_BOUND), "Pi": rate,
            "Phi": rate.copy()}


@dataclass(frozen=True)
class TransientBalance:
    """Entropy balance along a transient: arrays indexed by time.

    ``S`` is the Wehrl entropy (Eq. 4), ``Pi`` the entropy production from Eq. (8) (equal to
    Eq. (6), ``pi_eq6``), ``Phi = 2 kappa <a^dag a>`` (Eq. 5) and ``dS_dt`` the independent rate
    ``-int (dQ/dt) ln Q d^2 mu`` with ``dQ/dt = <mu|L(rho)|mu>/pi`` from the Liouvillian.
    Eq. (1) says ``dS_dt = Pi - Phi``.
    """

    times: np.ndarray
    S: np.ndarray
    Pi: np.ndarray
    Phi: np.ndarray
    dS_dt: np.ndarray
    pi_eq6: np.ndarray
    balances: tuple[EntropyBalance, ...]
    states: tuple[qutip.Qobj, ...]

    @property
    def eq1_error(self) -> np.ndarray:
        """``|dS/dt - (Pi - Phi)|`` at each time."""
        return np.abs(self.dS_dt - (self.Pi - self.Phi))


def _clean(rho: qutip.Qobj, trace_tol: float = 1e-6) -> np.ndarray:
    """Hermitize and renormalize an ODE-solver state, refusing drifts above ``trace_tol``."""
    m = rho.full()
    tr = np.trace(m).real
    if abs(tr - 1) > trace_tol:
        raise ValueError(
            f"the solver state has trace {tr:.9f}: tighten mesolve's atol/rtol or shorten the step"
        )
    m = (m + m.conj().T) / 2
    return m / np.trace(m).real


def wehrl_rate(rho, drho_dt) -> float:
    """``dS/dt = -int <mu|drho/dt|mu>/pi ln Q d^2 mu`` for a state and its time derivative.

    Accurate to ~1e-9 relative when Q > 0 everywhere (any mixed state reached by losses). A pure
    non-Gaussian state (a cat) has isolated zeros of Q where ``ln Q`` is singular; the integral
    still exists but the quadrature then only reaches ~1e-3.
    """
    data = husimi_data(rho)
    drho = drho_dt.full() if isinstance(drho_dt, qutip.Qobj) else np.asarray(drho_dt, complex)
    dq = coherent_expectations(data.grid, [drho])[0].real / np.pi
    return float(-data.integrate(np.where(data.mask, dq * data.log_q, 0.0)))


def transient_balance(
    H: qutip.Qobj,
    kappa: float,
    rho0,
    times,
    *,
    progress: bool = True,
    atol: float = 1e-11,
    rtol: float = 1e-9,
) -> TransientBalance:
    """Run ``qutip.mesolve`` for Eq. (2) and evaluate Eqs. (1), (4)-(8) at every time.

    ``H`` contains the drive; losses are ``2 kappa D[a]``. Returns a :class:`TransientBalance`.
    The solver tolerances ``atol``/``rtol`` set how well Eq. (1) can hold: the phase-space
    integrals themselves are accurate to ~1e-9 relative.
    """
    kappa = _check_kappa(kappa)
    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or len(times) < 2 or np.any(np.diff(times) <= 0):
        raise ValueError("times must be an increasing 1-D array with at least two entries")
    d = H.shape[0]
    rho0 = qutip.Qobj(density_matrix(rho0))
    if rho0.shape != H.shape:
        raise ValueError(f"rho0 has shape {rho0.shape} but H has shape {H.shape}")
    c_ops = [np.sqrt(2 * kappa) * qutip.destroy(d)]
    options = {"atol": atol, "rtol": rtol, "progress_bar": "tqdm" if progress else False}
    result = qutip.mesolve(H, rho0, times, c_ops, options=options)
    S, Pi, Phi, dS, eq6, balances, states = [], [], [], [], [], [], []
    for rho in tqdm(result.states, desc="entropy balance", disable=not progress):
        m = _clean(rho)
        b = entropy_balance(m, H, kappa)  # its wehrl_rate is -int (dQ/dt) ln Q from Eq. (2)
        S.append(b.wehrl)
        Pi.append(b.pi)
        Phi.append(b.phi)
        eq6.append(b.pi_eq6)
        dS.append(b.wehrl_rate)
        balances.append(b)
        states.append(qutip.Qobj(m))
    return TransientBalance(
        times=times,
        S=np.array(S),
        Pi=np.array(Pi),
        Phi=np.array(Phi),
        dS_dt=np.array(dS),
        pi_eq6=np.array(eq6),
        balances=tuple(balances),
        states=tuple(states),
    )


# --------------------------------------------------------------------------------------------
# zero-temperature catastrophe


def spohn_flux(n: float, n_bath, kappa: float):
    """Conventional entropy flux ``Qdot / T`` out of a cavity into a thermal bath.

    Energy leaves at ``omega * 2 kappa (n - n_bath)`` and ``omega / T = ln(1 + 1/n_bath)``, so
    the flux is ``2 kappa (n - n_bath) ln(1 + 1/n_bath)``: it diverges as ``n_bath -> 0`` for any
    ``n > 0`` (the zero-temperature catastrophe).
    """
    kappa = _check_kappa(kappa)
    nb = np.asarray(n_bath, dtype=float)
    if np.any(nb <= 0):
        raise ValueError("n_bath must be > 0 (the conventional flux is infinite at T = 0)")
    return 2 * kappa * (n - nb) * np.log1p(1 / nb)


def wehrl_thermal_flux(n: float, n_bath, kappa: float):
    """Wehrl entropy flux of the thermal loss channel, ``2 kappa (n - n_bath)/(n_bath + 1)``.

    For the dissipator ``2 kappa (n_bath+1) D[a] + 2 kappa n_bath D[a^dag]`` the current in the
    Husimi Fokker-Planck equation is ``J = kappa (mu Q + (n_bath+1) dQ/dmubar)``; splitting
    ``dS/dt`` as in Eq. (1) gives this flux, which tends to Eq. (5) at ``n_bath = 0``.
    """
    kappa = _check_kappa(kappa)
    nb = np.asarray(n_bath, dtype=float)
    if np.any(nb < 0):
        raise ValueError("n_bath must be >= 0")
    return 2 * kappa * (n - nb) / (nb + 1)


def thermal_loss_rates(rho, kappa: float, n_bath: float) -> dict[str, float]:
    """Wehrl balance of a state under the thermal loss channel alone (no Hamiltonian).

    Returns ``dS_dt`` (from the Liouvillian), ``Pi = (2/(kappa (n_bath+1))) int |J|^2/Q`` with
    ``J = kappa((n_bath + 1) <mu|a rho|mu>/pi - n_bath mu Q)``, and ``Phi`` from
    :func:`wehrl_thermal_flux`; ``dS_dt = Pi - Phi`` is Eq. (1) at finite temperature.
    """
    kappa = _check_kappa(kappa)
    if n_bath < 0:
        raise ValueError("n_bath must be >= 0")
    data = husimi_data(rho)
    m = data.rho
    d = m.shape[0]
    a = qutip.destroy(d)
    c_ops = [np.sqrt(2 * kappa * (n_bath + 1)) * a]
    if n_bath > 0:
        c_ops.append(np.sqrt(2 * kappa * n_bath) * a.dag())
    L = qutip.liouvillian(qutip.qzero(d), c_ops)
    drho = qutip.vector_to_operator(L * qutip.operator_to_vector(qutip.Qobj(m)))
    current = (n_bath + 1) * data.A - n_bath * data.grid.mu * data.Q  # J / kappa
    pi = 2 * kappa / (n_bath + 1) * float(data.integrate(data.over_q(np.abs(current) ** 2)))
    photons = float(np.sum(np.arange(d) * np.diag(m).real))
    return {
        "dS_dt": wehrl_rate(m, drho),
        "Pi": pi,
        "Phi": float(wehrl_thermal_flux(photons, n_bath, kappa)),
        "photons": photons,
    }


# --------------------------------------------------------------------------------------------
# quadratic single-mode models and the thermodynamic limit


def quadratic_G(omega: float, g: complex) -> np.ndarray:
    """Matrix ``G`` of ``H = omega a^dag a + (g a^dag^2 + conj(g) a^2)/2 = R^T G R/2 + const``.

    With ``R = (q, p)``: ``G = [[omega + Re g, Im g], [Im g, omega - Re g]]``; feed it to
    :func:`epcore.gaussian.hamiltonian_drift`.
    """
    g = complex(g)
    return np.array([[omega + g.real, g.imag], [g.imag, omega - g.real]])


def parametric_steady_state(d: int, omega: float, g: complex, kappa: float):
    """Fock-basis steady state of ``omega a^dag a + (g a^dag^2 + conj(g) a^2)/2`` with losses.

    Stable (below threshold) for ``|g|^2 < kappa^2 + omega^2``; returns ``(H, rho)``.
    """
    kappa = _check_kappa(kappa)
    if abs(g) ** 2 >= kappa**2 + omega**2:
        raise ValueError(
            f"|g| = {abs(g):.4g} is at or above threshold sqrt(kappa^2 + omega^2) = "
            f"{np.hypot(kappa, omega):.4g}: no steady state. Lower |g| or raise kappa."
        )
    a = qutip.destroy(_check_dim(d))
    H = omega * a.dag() * a + 0.5 * (g * a.dag() * a.dag() + np.conj(g) * a * a)
    return H, steady_state(H, kappa)


def leading_order_pi_u(rho, xi2: complex) -> float:
    """Eq. (A10): ``Pi_u = (1/2) int [xi2 (dQ/dvbar)^2 + conj(xi2) (dQ/dv)^2] / Q d^2v``.

    Evaluated on the exact Husimi function of ``rho`` with ``dQ/dvbar = dQ/dmubar`` (Eq. B3).
    For the Kerr model ``xi2 = -i u conj(alpha)^2`` (``r = s = 2``, ``h_22 = u/2`` in Eq. A7).
    """
    data = husimi_data(rho)
    g = data.dq_dmubar
    integrand = data.over_q(np.real(xi2 * g**2))  # xi2 g^2 + c.c. = 2 Re(xi2 g^2)
    return float(data.integrate(integrand))


# --------------------------------------------------------------------------------------------
# the sign of Pi out of a steady state, and finite-temperature losses


def squeezing_hamiltonian(d: int, g: float) -> qutip.Qobj:
    """``H = (i g / 2)(a^dag^2 - a^2)`` on ``d`` Fock levels: it squeezes ``q`` at rate ``g``.

    Under it alone a squeezed vacuum ``S(r)|0>`` (variance of q ``e^{-2r}/2``) stays a squeezed
    vacuum with ``dr/dt = -g``: for ``g > 0`` and ``r > 0`` it *unsqueezes* the state.

    Parameters
    ----------
    d : int
        Fock dimension (>= 2).
    g : float
        Squeezing rate (real).

    Returns
    -------
    qutip.Qobj
        The Hamiltonian.

    Raises
    ------
    ValueError
        If ``d`` is not an integer >= 2.
    """
    a = qutip.destroy(_check_dim(d))
    return 0.5j * g * (a.dag() * a.dag() - a * a)


def squeezed_vacuum_balance(r: float, g: float, kappa: float) -> EntropyBalance:
    """Closed-form Eqs. (5)-(8) for squeezed vacuum under :func:`squeezing_hamiltonian`.

    The state ``S(r)|0>`` has ``<a> = 0`` (so ``Pi_ext = Phi_ext = 0``), Wehrl entropy
    ``1 + ln(pi cosh r)`` and ``<a^dag a> = sinh^2 r``. The Hamiltonian moves ``r`` at rate
    ``-g``, so ``Pi_u = dS/dt|_H = -g tanh r``; the state is pure, so ``Pi_d = Phi =
    2 kappa sinh^2 r`` (Eq. 6 for a pure state). Hence

    ``Pi = -g tanh r + 2 kappa sinh^2 r``,

    negative whenever ``g / kappa > sinh(2 r)`` (with ``r, g > 0``): the total entropy
    production of Eq. (6) has no sign outside a steady state.

    Parameters
    ----------
    r : float
        Squeezing parameter of the state (real).
    g : float
        Squeezing rate of the Hamiltonian (real).
    kappa : float
        Loss rate (losses ``2 kappa D[a]``), > 0.

    Returns
    -------
    EntropyBalance
        With ``extra["wehrl_rate"] = Pi - Phi = -g tanh r`` (Eq. 1).

    Raises
    ------
    ValueError
        If ``kappa`` is not positive.
    """
    kappa = _check_kappa(kappa)
    pi_u = -g * np.tanh(r)
    loss = 2 * kappa * np.sinh(r) ** 2
    return EntropyBalance(0.0, float(pi_u), float(loss), 0.0, float(loss),
                          extra={"wehrl_rate": float(pi_u)})


def parametric_pi_u(omega: float, g: complex, kappa: float) -> float:
    """Closed-form steady-state ``Pi_u`` of the parametric oscillator (Eq. 8, Gaussian).

    For ``H = omega a^dag a + (g a^dag^2 + conj(g) a^2)/2`` with losses ``2 kappa D[a]``,
    ``Pi_u = 2 kappa |g|^2 / (4 (kappa^2 + omega^2) - |g|^2)``. It is positive and below
    ``2 kappa / 3``, its value at threshold ``|g|^2 = kappa^2 + omega^2``.

    Parameters
    ----------
    omega : float
        Detuning.
    g : complex
        Pump (squeezing) amplitude, below threshold.
    kappa : float
        Loss rate, > 0.

    Returns
    -------
    float
        ``Pi_u``.

    Raises
    ------
    ValueError
        If ``kappa <= 0`` or the oscillator is at or above threshold.
    """
    kappa = _check_kappa(kappa)
    g2, th2 = abs(g) ** 2, kappa**2 + omega**2
    if g2 >= th2:
        raise ValueError(f"|g|^2 = {g2:.4g} >= kappa^2 + omega^2 = {th2:.4g}: above threshold")
    return float(2 * kappa * g2 / (4 * th2 - g2))


def parametric_thermal_steady_state(d: int, omega: float, g: complex, kappa: float,
                                    n_bath: float):
    """Fock-basis steady state of the parametric oscillator with a thermal loss channel.

    Dissipator ``2 kappa (n_bath + 1) D[a] + 2 kappa n_bath D[a^dag]``; returns ``(H, rho)``.
    Since ``<a> = 0``, :func:`thermal_loss_rates` then gives ``Pi_d`` and
    ``epcore.entropy_balance(rho, H, kappa).pi_u`` gives ``Pi_u`` (the unitary term does not
    depend on the bath): an independent check of
    :func:`epcore.gaussian.thermal_gaussian_balance`.

    Parameters
    ----------
    d : int
        Fock dimension.
    omega, g, kappa : float
        As in :func:`parametric_steady_state`.
    n_bath : float
        Bath occupation, >= 0.

    Returns
    -------
    tuple
        ``(H, rho)`` as ``qutip.Qobj``.

    Raises
    ------
    ValueError
        Above threshold, for ``kappa <= 0`` or ``n_bath < 0``.
    """
    kappa = _check_kappa(kappa)
    if n_bath < 0:
        raise ValueError("n_bath must be >= 0")
    if abs(g) ** 2 >= kappa**2 + omega**2:
        raise ValueError("the oscillator is at or above threshold: lower |g| or raise kappa")
    a = qutip.destroy(_check_dim(d))
    H = omega * a.dag() * a + 0.5 * (g * a.dag() * a.dag() + np.conj(g) * a * a)
    c_ops = [np.sqrt(2 * kappa * (n_bath + 1)) * a]
    if n_bath > 0:
        c_ops.append(np.sqrt(2 * kappa * n_bath) * a.dag())
    rho = qutip.steadystate(H, c_ops)
    rho = (rho + rho.dag()) / 2
    return H, rho / rho.tr()


def a9_operator_on_gaussian(v, S: np.ndarray, xi2: complex, xi11: complex, *,
                            printed: bool = False) -> np.ndarray:
    """The O(1) part of the unitary operator, Eq. (A9), applied to a Gaussian ``Q``.

    ``Q`` is the centred Gaussian with covariance ``S`` in ``(x, y)``, ``v = (x + i y)/sqrt 2``,
    with exact Wirtinger derivatives. The re-expanded (correct) operator is

    ``(1/2)[xi2 (2 v d_vbar + d_vbar^2) + conj(xi2) (2 vbar d_v + d_v^2)
    + 2 xi11 (vbar d_vbar - v d_v)] Q``;

    ``printed=True`` uses the paper's ``2 v d_v`` and ``(v d_vbar - v d_v)``. Since ``Q`` is
    real and ``xi11`` is imaginary, the correct operator is real; the printed one is not.

    Parameters
    ----------
    v : array_like
        Complex phase-space points.
    S : numpy.ndarray
        2 x 2 positive-definite covariance of ``Q``.
    xi2, xi11 : complex
        The constants of Eqs. (A7), (A8).
    printed : bool
        Evaluate the operator as printed instead of the corrected one.

    Returns
    -------
    numpy.ndarray
        The operator applied to ``Q`` at ``v`` (complex).

    Raises
    ------
    ValueError
        If ``S`` is not a positive-definite 2 x 2 matrix.
    """
    S = np.asarray(S, dtype=float)
    if S.shape != (2, 2) or np.any(np.linalg.eigvalsh(S) <= 0):
        raise ValueError("S must be a positive-definite 2 x 2 matrix")
    v = np.asarray(v, dtype=complex)
    H = -np.linalg.inv(S)  # Hessian of ln Q in (x, y)
    r = np.stack([np.sqrt(2) * v.real, np.sqrt(2) * v.imag])
    grad = np.einsum("ij,j...->i...", H, r)
    Q = np.exp(0.5 * np.einsum("i...,i...->...", r, grad)) / (np.pi * np.sqrt(np.linalg.det(S)))
    w = (grad[0] + 1j * grad[1]) / np.sqrt(2)  # d_vbar ln Q
    c = 0.5 * (H[0, 0] - H[1, 1] + 2j * H[0, 1])  # d_vbar^2 ln Q
    q_vb, q_vbvb = w * Q, (w**2 + c) * Q
    q_v, q_vv = np.conj(q_vb), np.conj(q_vbvb)
    vb = np.conj(v)
    if printed:
        return 0.5 * (xi2 * (2 * v * q_vb + q_vbvb) + np.conj(xi2) * (2 * v * q_v + q_vv)
                      + 2 * xi11 * (v * q_vb - v * q_v))
    return 0.5 * (xi2 * (2 * v * q_vb + q_vbvb) + np.conj(xi2) * (2 * vb * q_v + q_vv)
                  + 2 * xi11 * (vb * q_vb - v * q_v))
