"""Driven-dissipative Dicke model (Sec. V, App. C of the paper).

``H = omega0 J_z + omega a^dag a + (2 lambda / sqrt(N)) (a + a^dag) J_x`` (Eq. C2) with cavity loss
``2 kappa D[a]`` (Eq. C1). The module follows Appendix C step by step:

1. mean field (Eqs. C3-C8): order parameters ``alpha = <a>/sqrt(N)``, ``beta = <J_->/N``,
   ``w = <J_z>/N``, their steady states and their relaxation;
2. Holstein-Primakoff expansion (Eqs. C9-C15) and the quadratic Hamiltonian of the fluctuations
   ``delta a``, ``delta b`` (Eqs. C16-C19, C22);
3. a stabilizing loss ``2 gamma D[delta b]`` (Eq. C20), the drift matrix (Eq. C25) and the
   steady covariance from the Lyapunov equation (Eq. C24);
4. the Gaussian Husimi function (Eq. C26) and the entropy terms of Eq. (8), in closed form through
   :mod:`epcore.gaussian`.

Conventions: quadratures ``q = (c + c^dag)/sqrt(2)``, ``p = i(c^dag - c)/sqrt(2)`` for
``c = delta b, delta a``, ordered as in the paper, ``R = (q_b, p_b, q_a, p_a)`` (Eq. C23); the
phase-space variable of mode ``c`` is ``mu_c = (x_c + i y_c)/sqrt(2)``. On the superradiant side
the branch with ``beta >= 0`` is returned (the other one follows from the Z2 symmetry
``a -> -a, J_x -> -J_x`` and has identical entropy terms).

Misprints found while checking Appendix C (each is tested in ``tests/test_dicke.py``):

* main text (Sec. V and Fig. 3 caption): ``lambda_c = sqrt(omega0 (kappa^2 + omega^2)) / omega`` is
  wrong; the mean-field instability is at ``(1/2) sqrt(omega0 (kappa^2 + omega^2) / omega)``
  (Appendix C); their ratio is ``2 / sqrt(omega)``, 20 at the paper's parameters;
* Eq. (C14): the constant term is ``-(N/2) sqrt(1 - 4 beta^2)`` (it equals ``N w``), not ``+``;
* Eq. (C26): a two-mode Husimi function normalized in ``d^2mu_a d^2mu_b`` carries ``1/pi^2``,
  not ``1/pi``.
"""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse.linalg
from numpy.polynomial.hermite_e import hermegauss
from scipy.integrate import solve_ivp

from . import gaussian
from .balance import EntropyBalance
from .errors import CutoffError, IllConditionedError
from .sweep import sweep as _parallel_sweep

__all__ = [
    "critical_coupling",
    "misprinted_critical_coupling",
    "MeanField",
    "mean_field",
    "mean_field_rhs",
    "mean_field_jacobian",
    "relax_mean_field",
    "quadratic_coefficients",
    "hamiltonian_matrix",
    "hamiltonian_drift",
    "drift_matrix",
    "steady_covariance",
    "husimi",
    "husimi_marginal",
    "entropy_production",
    "DickeSweep",
    "sweep",
    "local_slope",
    "slope_window",
    "fit_fixed_slope",
    "normal_phase_growth_rate",
    "divergence_profile",
    "effective_temperature",
    "adiabatic_occupations",
    "gamma_zero_limit",
    "fock_covariance",
    "quadrature_terms",
    "FiniteNDicke",
    "finite_n_steady_state",
    "finite_n_scan",
]

PAPER = {"omega0": 0.005, "omega": 0.01, "kappa": 1.0, "gamma": 1e-3}


def _check_rates(omega0: float, omega: float, kappa: float) -> None:
    for name, val in (("omega0", omega0), ("omega", omega), ("kappa", kappa)):
        if not (np.isfinite(val) and val > 0):
            raise ValueError(f"{name} must be finite and > 0, got {val!r}")


def _check_gamma(gamma: float) -> None:
    if not (np.isfinite(gamma) and gamma > 0):
        raise ValueError(
            f"gamma must be finite and > 0, got {gamma!r}: the stabilizing loss on delta b "
            "(Eq. C20) is needed for a Gaussian steady state; use a small value such as 1e-3"
        )


def _lams(lam) -> np.ndarray:
    lam = np.asarray(lam, dtype=float)
    if lam.ndim > 1:
        raise ValueError(f"lam must be a number or a 1-D array, got shape {lam.shape}")
    if not np.all(np.isfinite(lam)) or np.any(lam < 0):
        raise ValueError(
            "lam must be finite and >= 0 (the model is symmetric under lam -> -lam); "
            f"got {lam[~(np.isfinite(lam) & (lam >= 0))][:3].tolist()}"
        )
    return np.atleast_1d(lam)


# ---------------------------------------------------------------------------------------------
# critical coupling and mean field (Eqs. C3-C8)
# ---------------------------------------------------------------------------------------------


def critical_coupling(*, omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0) -> float:
    """Critical coupling ``lambda_c = (1/2) sqrt(omega0 (kappa^2 + omega^2) / omega)`` (App. C).

    It is where the normal phase ``alpha = beta = 0`` of Eqs. (C3)-(C5) loses stability and the
    superradiant solution of Eq. (C8) appears. Units of the rates.
    """
    _check_rates(omega0, omega, kappa)
    return 0.5 * float(np.sqrt(omega0 * (kappa**2 + omega**2) / omega))


def misprinted_critical_coupling(
    *, omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0
) -> float:
    """The main text's ``sqrt(omega0 (kappa^2 + omega^2)) / omega`` (Sec. V, Fig. 3): a misprint.

    Kept only to show it against the mean-field instability (:func:`critical_coupling`).
    """
    _check_rates(omega0, omega, kappa)
    return float(np.sqrt(omega0 * (kappa**2 + omega**2)) / omega)


@dataclass(frozen=True)
class MeanField:
    """Mean-field steady state (Eqs. C6-C8) and its Holstein-Primakoff amplitudes (Eq. C13).

    ``alpha = <a>/sqrt(N)``, ``beta = <J_->/N`` (real), ``w = <J_z>/N``; ``beta_tilde`` is
    ``tilde beta_- = <b>/sqrt(N)`` and ``beta_tilde_plus = sqrt(1 - beta_tilde^2)``.
    """

    lam: float
    alpha: complex
    beta: float
    w: float
    beta_tilde: float
    beta_tilde_plus: float
    superradiant: bool


def _mean_field_arrays(lam: np.ndarray, omega0: float, omega: float, kappa: float):
    """Vectorized Eqs. (C6)-(C8), (C13): returns alpha, beta, w, x = tb_-, y = tb_+."""
    lc = critical_coupling(omega0=omega0, omega=omega, kappa=kappa)
    sr = lam > lc
    # r = lambda_c^2 / lambda^2 = sqrt(1 - 4 beta^2) on the superradiant side (Eq. C8), 1 below
    r = np.where(sr, lc**2 / np.where(sr, lam, 1.0) ** 2, 1.0)
    beta = 0.5 * np.sqrt((1.0 - r) * (1.0 + r))
    alpha = -2j * lam * beta / (kappa + 1j * omega)  # Eq. (C6)
    w = -0.5 * r
    x = np.sqrt((1.0 - r) / 2.0)  # tilde beta_-, Eq. (C13) with sqrt(1 - 4 beta^2) = r
    y = np.sqrt((1.0 + r) / 2.0)  # tilde beta_+
    return alpha, beta, w, x, y


def mean_field(
    lam: float, *, omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0
) -> MeanField:
    """Stable mean-field steady state at coupling ``lam`` (Eqs. C6-C8, C13).

    Normal phase (``lam <= lambda_c``): ``alpha = beta = 0``, ``w = -1/2``. Superradiant phase:
    ``sqrt(1 - 4 beta^2) = lambda_c^2 / lam^2``, ``w = -lambda_c^2 / (2 lam^2)``,
    ``alpha = -2 i lam beta / (kappa + i omega)``, branch ``beta > 0``.
    """
    _check_rates(omega0, omega, kappa)
    lam_arr = _lams(lam)
    if lam_arr.size != 1:
        raise ValueError("mean_field takes one coupling; use sweep() for arrays")
    a, b, w, x, y = _mean_field_arrays(lam_arr, omega0, omega, kappa)
    lc = critical_coupling(omega0=omega0, omega=omega, kappa=kappa)
    return MeanField(
        float(lam_arr[0]), complex(a[0]), float(b[0]), float(w[0]), float(x[0]), float(y[0]),
        bool(lam_arr[0] > lc),
    )


def mean_field_rhs(
    t: float, y: np.ndarray, lam: float, omega0: float = 0.005, omega: float = 0.01,
    kappa: float = 1.0,
) -> np.ndarray:
    """Right-hand side of Eqs. (C3)-(C5) for ``y = (Re alpha, Im alpha, Re beta, Im beta, w)``.

    Written for :func:`scipy.integrate.solve_ivp`; the flow conserves ``w^2 + |beta|^2``.
    """
    a = y[0] + 1j * y[1]
    b = y[2] + 1j * y[3]
    w = y[4]
    da = -(kappa + 1j * omega) * a - 1j * lam * (b + np.conj(b))  # (C3)
    db = -1j * omega0 * b + 2j * lam * (a + np.conj(a)) * w  # (C4)
    dw = -2.0 * lam * (2.0 * a.real) * b.imag  # (C5): i lam (a + abar)(b - bbar)
    return np.array([da.real, da.imag, db.real, db.imag, dw])


def mean_field_jacobian(
    t: float, y: np.ndarray, lam: float, omega0: float = 0.005, omega: float = 0.01,
    kappa: float = 1.0,
) -> np.ndarray:
    """Exact Jacobian of :func:`mean_field_rhs` (Eqs. C3-C5 are quadratic), 5 x 5."""
    ar, _, br, bi, w = y
    J = np.zeros((5, 5))
    J[0, :] = [-kappa, omega, 0.0, 0.0, 0.0]
    J[1, :] = [-omega, -kappa, -2.0 * lam, 0.0, 0.0]
    # d beta/dt = -i omega0 beta + 4 i lam Re(alpha) w
    J[2, :] = [0.0, 0.0, 0.0, omega0, 0.0]
    J[3, :] = [4.0 * lam * w, 0.0, -omega0, 0.0, 4.0 * lam * ar]
    J[4, :] = [-4.0 * lam * bi, 0.0, 0.0, -4.0 * lam * ar, 0.0]
    return J


def normal_phase_growth_rate(
    lam, *, omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0
) -> np.ndarray:
    """Largest real part of the eigenvalues of Eqs. (C3)-(C4) linearized at ``alpha = beta = 0``.

    Negative below :func:`critical_coupling` (the normal phase is stable), positive above it.
    Vectorized over ``lam``.
    """
    _check_rates(omega0, omega, kappa)
    lam = _lams(lam)
    y0 = np.array([0.0, 0.0, 0.0, 0.0, -0.5])
    J = np.stack([mean_field_jacobian(0.0, y0, x, omega0, omega, kappa)[:4, :4] for x in lam])
    return np.linalg.eigvals(J).real.max(axis=1)


def relax_mean_field(
    lam: float, t_max: float, y0=None, *, n_t: int = 1000, omega0: float = 0.005,
    omega: float = 0.01, kappa: float = 1.0, rtol: float = 1e-9, atol: float = 1e-12,
) -> tuple[np.ndarray, np.ndarray]:
    """Integrate Eqs. (C3)-(C5) from ``y0`` (default: spin tilted by ``beta = 0.05``, empty cavity).

    Returns ``(t, y)`` with ``y`` of shape ``(5, n_t)`` ordered as in :func:`mean_field_rhs`.
    Uses LSODA with the exact Jacobian: the cavity (rate ``kappa``) is much faster than the
    spin (frequency ``omega0``), so the problem is stiff. Raises ``ValueError`` if the
    integrator fails or the conserved ``w^2 + |beta|^2`` drifts by more than ``1e-5``.
    """
    _check_rates(omega0, omega, kappa)
    _lams(lam)
    if not (np.isfinite(t_max) and t_max > 0):
        raise ValueError(f"t_max must be finite and > 0, got {t_max!r}")
    if y0 is None:
        b0 = 0.05
        y0 = [0.0, 0.0, b0, 0.0, -np.sqrt(0.25 - b0**2)]
    y0 = np.asarray(y0, dtype=float)
    if y0.shape != (5,):
        raise ValueError("y0 must be (Re alpha, Im alpha, Re beta, Im beta, w)")
    t_eval = np.linspace(0.0, t_max, n_t)
    args = (lam, omega0, omega, kappa)
    sol = solve_ivp(
        mean_field_rhs, (0.0, t_max), y0, method="LSODA", t_eval=t_eval, args=args,
        jac=mean_field_jacobian, rtol=rtol, atol=atol,
    )
    if not sol.success:
        raise ValueError(f"mean-field integration failed ({sol.message}); lower t_max or rtol")
    c0 = y0[2] ** 2 + y0[3] ** 2 + y0[4] ** 2
    drift = np.abs(sol.y[2] ** 2 + sol.y[3] ** 2 + sol.y[4] ** 2 - c0).max()
    if drift > 1e-5:
        raise ValueError(
            f"w^2 + |beta|^2 drifted by {drift:.2g} during the integration; tighten rtol/atol"
        )
    return sol.t, sol.y


# ---------------------------------------------------------------------------------------------
# Holstein-Primakoff / Gaussianization (Eqs. C16-C25)
# ---------------------------------------------------------------------------------------------


def _coefficient_arrays(lam: np.ndarray, omega0: float, omega: float, kappa: float):
    """Vectorized Eqs. (C17)-(C19): ``(omega0_tilde, lambda_tilde, zeta)``."""
    alpha, _, _, x, y = _mean_field_arrays(lam, omega0, omega, kappa)
    two_re_alpha = 2.0 * alpha.real
    ratio = x / y
    omega0_t = omega0 - lam * two_re_alpha * ratio  # (C17)
    lambda_t = lam * y * (1.0 - ratio**2)  # (C18)
    zeta = 0.5 * lam * two_re_alpha * ratio * (1.0 + 0.5 * ratio**2)  # (C19)
    return omega0_t, lambda_t, zeta


def quadratic_coefficients(
    lam: float, *, omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0
) -> tuple[float, float, float]:
    """``(omega0_tilde, lambda_tilde, zeta)`` of the quadratic Hamiltonian (Eqs. C16-C19).

    ``H = omega0~ db^dag db + omega da^dag da + lambda~ (da + da^dag)(db + db^dag)
    - zeta (db + db^dag)^2`` around the stable mean-field state.
    """
    _check_rates(omega0, omega, kappa)
    lam_arr = _lams(lam)
    o, lt, z = _coefficient_arrays(lam_arr, omega0, omega, kappa)
    return float(o[0]), float(lt[0]), float(z[0])


def hamiltonian_matrix(
    lam: float, *, omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0
) -> np.ndarray:
    """Symmetric ``G`` with ``H_2 = R^T G R / 2`` (Eq. C22), ``R = (q_b, p_b, q_a, p_a)``."""
    o, lt, z = quadratic_coefficients(lam, omega0=omega0, omega=omega, kappa=kappa)
    return np.array(
        [
            [o - 4.0 * z, 0.0, 2.0 * lt, 0.0],
            [0.0, o, 0.0, 0.0],
            [2.0 * lt, 0.0, omega, 0.0],
            [0.0, 0.0, 0.0, omega],
        ]
    )


def hamiltonian_drift(
    lam: float, *, omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0
) -> np.ndarray:
    """Hamiltonian part ``A_H = Omega G`` of the drift (Eq. C25 without the losses)."""
    return gaussian.hamiltonian_drift(
        hamiltonian_matrix(lam, omega0=omega0, omega=omega, kappa=kappa)
    )


def _drift_arrays(lam: np.ndarray, omega0: float, omega: float, kappa: float) -> np.ndarray:
    """Batched ``A_H`` of Eq. (C25) (no losses), shape ``(n, 4, 4)``."""
    o, lt, z = _coefficient_arrays(lam, omega0, omega, kappa)
    A = np.zeros((lam.size, 4, 4))
    A[:, 0, 1] = o
    A[:, 1, 0] = 4.0 * z - o
    A[:, 1, 2] = -2.0 * lt
    A[:, 2, 3] = omega
    A[:, 3, 0] = -2.0 * lt
    A[:, 3, 2] = -omega
    return A


def drift_matrix(
    lam: float, *, omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0,
    gamma: float = 1e-3,
) -> np.ndarray:
    """Full drift ``A`` of Eq. (C25): ``A_H - diag(gamma, gamma, kappa, kappa)``."""
    _check_gamma(gamma)
    A_loss, _ = gaussian.loss_drift([gamma, kappa])
    return hamiltonian_drift(lam, omega0=omega0, omega=omega, kappa=kappa) + A_loss


def steady_covariance(
    lam: float, *, omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0,
    gamma: float = 1e-3,
) -> np.ndarray:
    """Steady covariance ``sigma`` of ``R = (q_b, p_b, q_a, p_a)`` from the Lyapunov Eq. (C24).

    ``A sigma + sigma A^T + diag(gamma, gamma, kappa, kappa) = 0``; SciPy's solver. Raises
    ``ValueError`` if the drift is unstable.
    """
    A = drift_matrix(lam, omega0=omega0, omega=omega, kappa=kappa, gamma=gamma)
    _, D = gaussian.loss_drift([gamma, kappa])
    return gaussian.steady_covariance(A, D)


def husimi(r, S) -> np.ndarray:
    """Gaussian Husimi function of Eq. (C26) with the correct two-mode normalization.

    ``Q(r) = exp(-r^T S^-1 r / 2) / (pi^2 sqrt(det S))`` for ``r = (x_b, y_b, x_a, y_a)`` of shape
    ``(..., 4)`` and ``S = sigma + I/2``. It is a density in ``d^2mu_b d^2mu_a`` with
    ``mu = (x + i y)/sqrt(2)``, so it integrates to one (the paper's ``1/pi`` is a misprint).
    """
    S = np.asarray(S, dtype=float)
    r = np.asarray(r, dtype=float)
    if S.shape != (4, 4) or r.shape[-1] != 4:
        raise ValueError("husimi needs S of shape (4, 4) and points r of shape (..., 4)")
    Sinv = np.linalg.inv(S)
    quad = np.einsum("...i,ij,...j->...", r, Sinv, r)
    return np.exp(-0.5 * quad) / (np.pi**2 * np.sqrt(np.linalg.det(S)))


def husimi_marginal(x, y, S, mode: str) -> np.ndarray:
    """Husimi function of one mode (``"a"`` cavity or ``"b"`` spin): a marginal of Eq. (C26).

    ``Q_c(x, y) = exp(-r^T S_c^-1 r / 2) / (pi sqrt(det S_c))`` with ``S_c`` the 2x2 block of
    ``S``; a density in ``d^2mu_c``. ``x``, ``y`` broadcast together.
    """
    S = np.asarray(S, dtype=float)
    if mode not in ("a", "b"):
        raise ValueError(f"mode must be 'a' (cavity) or 'b' (spin), got {mode!r}")
    i = 2 if mode == "a" else 0
    Sc = S[i : i + 2, i : i + 2]
    Si = np.linalg.inv(Sc)
    x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
    quad = Si[0, 0] * x * x + 2 * Si[0, 1] * x * y + Si[1, 1] * y * y
    return np.exp(-0.5 * quad) / (np.pi * np.sqrt(np.linalg.det(Sc)))


# ---------------------------------------------------------------------------------------------
# entropy production (Eq. 8 on Eq. C26)
# ---------------------------------------------------------------------------------------------


def entropy_production(
    lam: float, *, omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0,
    gamma: float = 1e-3,
) -> EntropyBalance:
    """Entropy balance of the Gaussianized steady state at coupling ``lam`` (App. C, Eq. 8).

    ``pi_u``, ``pi_d`` and ``phi_q`` are the intensive fluctuation terms of the two-mode Gaussian
    Husimi function (Eq. C26), summed over both loss channels (``gamma`` on ``delta b``,
    ``kappa`` on ``delta a``) with the closed forms of :mod:`epcore.gaussian`.

    ``pi_ext`` and ``phi_ext`` are extensive (Eq. 9): they are returned **per unit N**, i.e.
    ``2 kappa |alpha|^2``; multiply by ``N`` for the total. The stabilizing loss acts on
    ``delta b`` only (Eq. C20), so it adds nothing to them.

    ``extra``: ``alpha``, ``beta``, ``w``, ``beta_tilde``, ``lambda_c``, ``covariance`` (sigma),
    ``husimi_cov`` (S), ``photons_a = <da^dag da>``, ``photons_b = <db^dag db>``, ``pi_d_a``,
    ``pi_d_b`` (the two channels of ``pi_d``), ``wehrl`` (Wehrl entropy of Eq. C26) and ``cond``
    (condition number of S; ``pi_u`` carries an absolute round-off error of about
    ``1e-16 cond``). For arrays of couplings use :func:`sweep`, which is faster and, close to
    ``lambda_c`` at very small ``gamma``, more accurate (it refines the Lyapunov solution).
    """
    _check_rates(omega0, omega, kappa)
    _check_gamma(gamma)
    mf = mean_field(lam, omega0=omega0, omega=omega, kappa=kappa)
    A_H = hamiltonian_drift(lam, omega0=omega0, omega=omega, kappa=kappa)
    s = steady_covariance(lam, omega0=omega0, omega=omega, kappa=kappa, gamma=gamma)
    S = gaussian.husimi_covariance(s)
    pi_u, (pi_d_b, pi_d_a), phi_q_modes = gaussian.gaussian_terms(
        A_H, S, [gamma, kappa], per_mode=True
    )
    pi_d, phi_q = pi_d_a + pi_d_b, float(phi_q_modes.sum())
    ext = 2.0 * kappa * abs(mf.alpha) ** 2
    extra = {
        "alpha": mf.alpha,
        "beta": mf.beta,
        "w": mf.w,
        "beta_tilde": mf.beta_tilde,
        "lambda_c": critical_coupling(omega0=omega0, omega=omega, kappa=kappa),
        "covariance": s,
        "husimi_cov": S,
        "photons_a": (s[2, 2] + s[3, 3] - 1.0) / 2.0,
        "photons_b": (s[0, 0] + s[1, 1] - 1.0) / 2.0,
        "pi_d_a": float(pi_d_a),
        "pi_d_b": float(pi_d_b),
        "wehrl": gaussian.gaussian_wehrl(S),
        "cond": float(np.linalg.cond(S)),
    }
    return EntropyBalance(ext, pi_u, pi_d, ext, phi_q, extra=extra)


@dataclass(frozen=True)
class DickeSweep:
    """Entropy terms along an array of couplings (same meaning as :func:`entropy_production`).

    Every field is a 1-D array over ``lam``; ``pi_ext``/``phi_ext`` are per unit ``N``.
    """

    lam: np.ndarray
    pi_ext: np.ndarray
    pi_u: np.ndarray
    pi_d: np.ndarray
    phi_ext: np.ndarray
    phi_q: np.ndarray
    pi_d_a: np.ndarray
    pi_d_b: np.ndarray
    photons_a: np.ndarray
    photons_b: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    w: np.ndarray
    cond: np.ndarray
    params: dict = field(default_factory=dict, compare=False)

    @property
    def pi_u_error(self) -> np.ndarray:
        """Estimated absolute round-off error of ``pi_u``: ``1e-16 * cond(S)``.

        ``pi_u = -tr(A_H S^-1)/2`` needs ``S^-1``; near ``lambda_c`` at small ``gamma`` the Husimi
        covariance is ill-conditioned (``cond(S) ~ 1e13`` at ``gamma = 1e-7``). The estimate is
        checked against a 40-digit reference in the tests; ``pi_d`` and ``phi_q`` do not suffer.
        """
        return 1e-16 * self.cond

    @property
    def residual(self) -> np.ndarray:
        """``pi_u + pi_d - phi_q`` (Eq. 10), zero in the steady state."""
        return self.pi_u + self.pi_d - self.phi_q

    @property
    def relative_residual(self) -> np.ndarray:
        """``|pi_u + pi_d - phi_q| / phi_q`` (the absolute residual where ``phi_q = 0``)."""
        scale = np.where(self.phi_q == 0, 1.0, np.abs(self.phi_q))
        return np.abs(self.residual) / scale

    def columns(self) -> dict[str, np.ndarray]:
        """Real 1-D columns for a CSV file."""
        out = {
            k: getattr(self, k)
            for k in ("lam", "pi_ext", "pi_u", "pi_d", "phi_ext", "phi_q", "pi_d_a", "pi_d_b",
                      "photons_a", "photons_b", "beta", "w", "cond")
        }
        out["alpha_re"] = self.alpha.real
        out["alpha_im"] = self.alpha.imag
        return out


def sweep(
    lams, *, omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0,
    gamma: float = 1e-3,
) -> DickeSweep:
    """Vectorized :func:`entropy_production` over an array of couplings (batched NumPy).

    The Lyapunov equations (C24) are solved as a stack of 16x16 linear systems
    (:func:`epcore.gaussian.steady_state_batch`) and the closed forms of
    :func:`epcore.gaussian.gaussian_terms` are evaluated on the stack, in the writing that keeps
    full relative precision near the vacuum. 2000 couplings take a few tens of milliseconds.

    Parameters
    ----------
    lams : array_like
        Couplings ``lambda``.
    omega0, omega, kappa : float
        Atomic frequency, cavity frequency and cavity loss rate (Eq. C1).
    gamma : float
        The stabilizing loss on ``delta b`` (Eq. C20).

    Returns
    -------
    DickeSweep
        The entropy terms and diagnostics, one entry per coupling.

    Raises
    ------
    ValueError
        Bad rates or couplings.
    epcore.errors.UnstableDriftError
        If any drift is unstable (increase ``gamma``).
    """
    _check_rates(omega0, omega, kappa)
    _check_gamma(gamma)
    lam = _lams(lams)
    alpha, beta, w, _, _ = _mean_field_arrays(lam, omega0, omega, kappa)
    A_H = _drift_arrays(lam, omega0, omega, kappa)
    try:
        _, excess = gaussian.steady_state_batch(A_H, [gamma, kappa])
    except ValueError as err:
        # keep the type (UnstableDriftError for an unstable drift), add the couplings
        raise type(err)(f"{err} (couplings lam = {lam.tolist()[:3]}...): increase gamma") from err
    S = excess + np.eye(4)
    pi_u, pi_d_modes, phi_q_modes = gaussian.gaussian_terms(
        A_H, S, [gamma, kappa], excess=excess, per_mode=True
    )
    pi_d_b, pi_d_a = pi_d_modes[:, 0], pi_d_modes[:, 1]
    n_b = (excess[:, 0, 0] + excess[:, 1, 1]) / 2.0  # <db^dag db> = (tr_b sigma - 1)/2
    n_a = (excess[:, 2, 2] + excess[:, 3, 3]) / 2.0
    phi_q = phi_q_modes.sum(axis=1)
    ext = 2.0 * kappa * np.abs(alpha) ** 2
    return DickeSweep(
        lam=lam, pi_ext=ext, pi_u=pi_u, pi_d=pi_d_a + pi_d_b, phi_ext=ext.copy(), phi_q=phi_q,
        pi_d_a=pi_d_a, pi_d_b=pi_d_b, photons_a=n_a, photons_b=n_b, alpha=alpha, beta=beta, w=w,
        cond=np.linalg.cond(S),
        params={"omega0": omega0, "omega": omega, "kappa": kappa, "gamma": gamma},
    )


# ---------------------------------------------------------------------------------------------
# the divergence of Pi_d (Eq. 13): local log-log slope and slope -1 windows
# ---------------------------------------------------------------------------------------------


def local_slope(distance, values) -> np.ndarray:
    """Local slope ``d ln(values) / d ln(distance)`` along a curve (second-order differences).

    Use it with ``distance = |lam - lambda_c|`` on one side of the transition: Eq. (13) predicts
    ``-1``; a saturated (cut-off) divergence gives ``0``.
    """
    d = np.asarray(distance, dtype=float)
    v = np.asarray(values, dtype=float)
    if d.shape != v.shape or d.ndim != 1 or d.size < 3:
        raise ValueError("distance and values must be 1-D arrays of the same length >= 3")
    if np.any(d <= 0) or np.any(v <= 0):
        raise ValueError("distance and values must be > 0 for a log-log slope")
    if np.any(np.diff(d) <= 0):
        raise ValueError("distance must be strictly increasing")
    return np.gradient(np.log(v), np.log(d))


def slope_window(
    distance, slope, *, target: float = -1.0, tol: float = 0.05
) -> tuple[float, float] | None:
    """Widest contiguous range of ``distance`` where ``|slope - target| <= tol``.

    Returns ``(d_min, d_max)`` or ``None`` if the slope never stays within ``tol`` for at least
    three consecutive points (no window).
    """
    d = np.asarray(distance, dtype=float)
    ok = np.abs(np.asarray(slope, dtype=float) - target) <= tol
    best, start = None, None
    for i, flag in enumerate(np.append(ok, False)):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= 3 and (best is None or i - start > best[1] - best[0]):
                best = (start, i)
            start = None
    if best is None:
        return None
    return float(d[best[0]]), float(d[best[1] - 1])


def fit_fixed_slope(distance, values, window: tuple[float, float], slope: float = -1.0) -> float:
    """Intercept ``c`` of ``log10(values) = c + slope * log10(distance)`` fitted inside ``window``.

    Least squares with the slope held fixed (the straight lines of Fig. 3d).
    """
    d = np.asarray(distance, dtype=float)
    v = np.asarray(values, dtype=float)
    inside = (d >= window[0]) & (d <= window[1])
    if inside.sum() < 2:
        raise ValueError("fewer than two points inside the fit window; widen it or refine the grid")
    return float(np.mean(np.log10(v[inside]) - slope * np.log10(d[inside])))


def divergence_profile(
    gamma: float, side: int, *, rel_min: float = 1e-10, rel_max: float = 10**-0.5, n: int = 500,
    tol: float = 0.05, omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0,
) -> dict[str, np.ndarray | tuple[float, float] | None]:
    """``Pi_d`` and its local log-log slope on one side of ``lambda_c`` (Eq. 13 and Fig. 3d).

    ``side = -1`` (normal phase) or ``+1`` (superradiant). Distances ``|lam - lambda_c|/lambda_c``
    are log-spaced in ``[rel_min, rel_max]``. Returns ``rel_distance``, ``pi_d``, ``slope`` (from
    :func:`local_slope`), ``window`` (relative distances where the slope stays within ``tol``
    of -1, or ``None``) and ``intercept`` of the slope -1 fit of ``log10 Pi_d`` against
    ``log10 |lam - lambda_c|`` inside that window (``None`` without a window).
    """
    if side not in (-1, 1):
        raise ValueError("side must be -1 (below lambda_c) or +1 (above)")
    if not 0 < rel_min < rel_max < 1:
        raise ValueError("need 0 < rel_min < rel_max < 1")
    lc = critical_coupling(omega0=omega0, omega=omega, kappa=kappa)
    rel = np.logspace(np.log10(rel_min), np.log10(rel_max), n)
    sw = sweep(lc * (1 + side * rel), omega0=omega0, omega=omega, kappa=kappa, gamma=gamma)
    slope = local_slope(rel, sw.pi_d)
    window = slope_window(rel, slope, tol=tol)
    intercept = None
    if window is not None:
        intercept = fit_fixed_slope(lc * rel, sw.pi_d, (lc * window[0], lc * window[1]))
    return {"rel_distance": rel, "pi_d": sw.pi_d, "slope": slope, "window": window,
            "intercept": intercept}


# ---------------------------------------------------------------------------------------------
# the gamma -> 0 limit: the bad cavity heats the spin (adiabatic elimination)
# ---------------------------------------------------------------------------------------------


def effective_temperature(*, omega: float = 0.01, kappa: float = 1.0) -> float:
    """Temperature ``T = (kappa^2 + omega^2) / (4 omega)`` that the bad cavity gives the spin.

    Eliminating the cavity (``kappa >> omega, omega0``) from the quadratic model (Eqs. C16, C20)
    leaves the spin fluctuations with a friction ``propto omega / kappa^3`` and a noise
    ``propto 1 / kappa`` from the vacuum fluctuations of the cavity; their ratio is a classical
    temperature, in the units of the rates (``k_B = hbar = 1``), independent of the coupling and
    of the spin frequency. Equals ``lambda_c^2 / omega0`` (Eq. C7 ff.).
    """
    _check_rates(1.0, omega, kappa)
    return (kappa**2 + omega**2) / (4.0 * omega)


def adiabatic_occupations(
    lam, *, omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """``(<da^dag da>, <db^dag db>)`` as ``gamma -> 0`` from adiabatic elimination of the cavity.

    With ``kappa >> omega, omega0`` the cavity follows the spin: its static response softens
    the ``q_b`` quadrature of the quadratic Hamiltonian (Eq. C16) to the stiffness
    ``k_q = omega0~ - 4 zeta - 4 omega lambda~^2 / (kappa^2 + omega^2)`` (``omega0 (1 -
    lam^2/lambda_c^2)`` in the normal phase), and its delayed response and vacuum noise put
    the spin at the temperature :func:`effective_temperature` ``T``. Equipartition gives
    ``sigma_qq = T / k_q``, ``sigma_pp = T / omega0~``, so ``<db^dag db> = (sigma_qq +
    sigma_pp - 1)/2`` and the slaved cavity holds ``<da^dag da> = 2 lambda~^2 sigma_qq /
    (kappa^2 + omega^2)``. Valid for ``lam > 0`` (at ``lam = 0`` the spin decouples) and
    ``lam != lambda_c``; corrections are of relative order ``omega/kappa`` and ``1/T``.

    Raises
    ------
    ValueError
        At ``lambda_c``, where the stiffness vanishes and the occupations diverge.
    """
    _check_rates(omega0, omega, kappa)
    lam = _lams(lam)
    o, lt, z = _coefficient_arrays(lam, omega0, omega, kappa)
    T = effective_temperature(omega=omega, kappa=kappa)
    k_q = o - 4.0 * z - 4.0 * omega * lt**2 / (kappa**2 + omega**2)
    if np.any(k_q <= 1e-15 * omega0):
        raise ValueError("the gamma -> 0 occupations diverge at lambda_c; exclude lambda_c")
    s_qq, s_pp = T / k_q, T / o
    return 2.0 * lt**2 * s_qq / (kappa**2 + omega**2), (s_qq + s_pp - 1.0) / 2.0


def gamma_zero_limit(
    lams, *, omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0
) -> DickeSweep:
    """The entropy terms of :func:`sweep` in the limit ``gamma -> 0`` (Eqs. C24-C26, Eq. 8).

    Away from ``lambda_c`` (and for ``lam > 0``) the cavity alone damps the spin, so the
    Lyapunov equation (C24) has a solution at ``gamma = 0``: the limit is taken by setting
    ``gamma = 0``. The spin channel of ``Pi_d`` vanishes (``gamma <db^dag db> -> 0``), so
    ``pi_d = pi_d_a`` and ``phi_q = 2 kappa <da^dag da>``. ``params["gamma"]`` is ``0.0``.

    Raises
    ------
    ValueError
        If some coupling is ``0`` or ``lambda_c``: there the drift at ``gamma = 0`` is not
        stable and the limit does not exist.
    """
    _check_rates(omega0, omega, kappa)
    lam = _lams(lams)
    alpha, beta, w, _, _ = _mean_field_arrays(lam, omega0, omega, kappa)
    A_H = _drift_arrays(lam, omega0, omega, kappa)
    A = A_H - np.diag([0.0, 0.0, kappa, kappa])
    growth = np.linalg.eigvals(A).real.max(axis=1)
    if np.any(growth >= 0):
        bad = lam[growth >= 0][:3].tolist()
        raise ValueError(
            f"no gamma -> 0 limit at lam = {bad}: at lam = 0 the spin is undamped and at "
            "lambda_c the soft mode is; exclude those couplings"
        )
    # e = s - I/2 solves A e + e A^T + (A_H + A_H^T)/2 = 0 (gaussian.excess_covariance)
    excess = gaussian.solve_lyapunov_batch(A, (A_H + A_H.transpose(0, 2, 1)) / 2)
    S = excess + np.eye(4)
    # the spin rate below is a placeholder: only the cavity channel is kept
    pi_u, pi_d_modes, phi_q_modes = gaussian.gaussian_terms(
        A_H, S, [1.0, kappa], excess=excess, per_mode=True
    )
    pi_d_a, phi_q = pi_d_modes[:, 1], phi_q_modes[:, 1]
    ext = 2.0 * kappa * np.abs(alpha) ** 2
    return DickeSweep(
        lam=lam, pi_ext=ext, pi_u=pi_u, pi_d=pi_d_a.copy(), phi_ext=ext.copy(), phi_q=phi_q,
        pi_d_a=pi_d_a, pi_d_b=np.zeros_like(lam),
        photons_a=(excess[:, 2, 2] + excess[:, 3, 3]) / 2.0,
        photons_b=(excess[:, 0, 0] + excess[:, 1, 1]) / 2.0,
        alpha=alpha, beta=beta, w=w, cond=np.linalg.cond(S),
        params={"omega0": omega0, "omega": omega, "kappa": kappa, "gamma": 0.0},
    )


# ---------------------------------------------------------------------------------------------
# independent routes to the Gaussian results: Fock basis and direct quadrature of Eq. (8)
# ---------------------------------------------------------------------------------------------


def fock_covariance(
    lam: float, *, gamma: float = 1e-3, n_fock: int = 8, tol: float = 1e-4,
    omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0,
) -> np.ndarray:
    """Covariance of ``R = (q_b, p_b, q_a, p_a)`` from the Fock-basis steady state (QuTiP).

    The quadratic Hamiltonian (Eq. C16) with the losses of Eq. (C20), ``n_fock`` Fock states
    per mode, solved by :func:`qutip.steadystate`: an independent route to
    :func:`steady_covariance` that knows nothing of the drift matrix (C25).

    Raises
    ------
    ValueError
        If the top Fock state of either mode holds more than ``tol`` of the population
        (increase ``n_fock``, or ``gamma`` to shrink the state).
    """
    import qutip

    _check_gamma(gamma)
    if int(n_fock) != n_fock or n_fock < 2:
        raise ValueError(f"n_fock must be an integer >= 2, got {n_fock!r}")
    n = int(n_fock)
    o, lt, z = quadratic_coefficients(lam, omega0=omega0, omega=omega, kappa=kappa)
    b = qutip.tensor(qutip.destroy(n), qutip.qeye(n))
    a = qutip.tensor(qutip.qeye(n), qutip.destroy(n))
    xb = b + b.dag()
    H = o * b.dag() * b + omega * a.dag() * a + lt * (a + a.dag()) * xb - z * xb * xb
    rho = qutip.steadystate(H, [np.sqrt(2 * kappa) * a, np.sqrt(2 * gamma) * b])
    pops = np.real(np.diag(rho.full())).reshape(n, n)
    top = max(pops[-1, :].sum(), pops[:, -1].sum())
    if top > tol:
        raise ValueError(
            f"the top Fock state holds {top:.2g} > tol = {tol:g} of the population: "
            "increase n_fock"
        )
    R = [xb / np.sqrt(2), 1j * (b.dag() - b) / np.sqrt(2),
         (a + a.dag()) / np.sqrt(2), 1j * (a.dag() - a) / np.sqrt(2)]
    return np.array(
        [[qutip.expect((Ri * Rj + Rj * Ri) / 2, rho).real for Rj in R] for Ri in R]
    )


def quadrature_terms(
    lam: float, *, gamma: float = 1e-3, order: int = 8, h: float = 1e-3,
    omega0: float = 0.005, omega: float = 0.01, kappa: float = 1.0,
) -> dict[str, float]:
    """Eq. (8) integrated numerically over the Husimi function (C26): an independent route.

    Gauss-Hermite quadrature of ``order`` points per axis in whitened coordinates. ``Q`` is
    evaluated from :func:`husimi` only, its gradient and Hessian by central differences of
    step ``h``. ``U(Q) = -div(A_H r Q) + div(D_u grad Q)/2`` with ``D_u = -(A_H + A_H^T)/2``
    (the unitary part of the quantum Fokker-Planck equation) and the currents
    ``J_c = kappa_c (v_c Q + dQ/dvbar_c)`` of Eq. (B3). Returns ``norm`` (``int Q``),
    ``wehrl``, ``pi_u``, ``pi_d`` and ``phi_q``; compare with :func:`entropy_production`.

    Raises
    ------
    ValueError
        If ``order < 2`` or ``h`` is not positive.
    """
    if int(order) != order or order < 2 or not h > 0:
        raise ValueError("need an integer order >= 2 and a step h > 0")
    s = steady_covariance(lam, omega0=omega0, omega=omega, kappa=kappa, gamma=gamma)
    S = s + np.eye(4) / 2
    A_H = hamiltonian_drift(lam, omega0=omega0, omega=omega, kappa=kappa)
    D_u = -(A_H + A_H.T) / 2
    L = np.linalg.cholesky(S)
    Linv = np.linalg.inv(L)
    At, Dt = Linv @ A_H @ L, Linv @ D_u @ Linv.T
    x, wt = hermegauss(int(order))
    Z = np.stack(np.meshgrid(x, x, x, x, indexing="ij"), -1).reshape(-1, 4)
    W = np.prod(np.stack(np.meshgrid(wt, wt, wt, wt, indexing="ij"), -1).reshape(-1, 4), 1)
    W = W * np.exp(0.5 * (Z**2).sum(1)) * np.linalg.det(L) / 4  # -> int d^2mu_b d^2mu_a

    def f(z):
        return husimi(z @ L.T, S)

    E = np.eye(4) * h
    f0 = f(Z)
    grad = np.stack([(f(Z + E[j]) - f(Z - E[j])) / (2 * h) for j in range(4)], -1)
    hess = np.empty((len(Z), 4, 4))
    for j in range(4):
        for k in range(4):
            hess[:, j, k] = (f(Z + E[j] + E[k]) - f(Z + E[j] - E[k]) - f(Z - E[j] + E[k])
                             + f(Z - E[j] - E[k])) / (4 * h * h)
    U = -np.trace(At) * f0 - np.einsum("nj,nj->n", Z @ At.T, grad) \
        + 0.5 * np.einsum("jk,njk->n", Dt, hess)
    R = Z @ L.T
    grad_r = grad @ Linv
    pi_d = phi_q = 0.0
    for c, kap in enumerate((gamma, kappa)):
        v = (R[:, 2 * c] + 1j * R[:, 2 * c + 1]) / np.sqrt(2)
        dvbar = (grad_r[:, 2 * c] + 1j * grad_r[:, 2 * c + 1]) / np.sqrt(2)
        J = kap * (v * f0 + dvbar)
        pi_d += 2 / kap * np.sum(W * np.abs(J) ** 2 / f0)
        phi_q += 2 * kap * (np.sum(W * np.abs(v) ** 2 * f0) - 1)  # <|v|^2>_Q = <c c^dag>
    return {
        "norm": float(np.sum(W * f0)),
        "wehrl": float(-np.sum(W * f0 * np.log(f0))),
        "pi_u": float(-np.sum(W * U * np.log(f0))),
        "pi_d": float(pi_d),
        "phi_q": float(phi_q),
    }


# ---------------------------------------------------------------------------------------------
# exact finite-N check of the Gaussian picture (normal phase)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FiniteNDicke:
    """Exact steady state of ``N`` atoms and the cavity, reduced to its fluctuation occupations.

    ``photons_a = <a^dag a> - |<a>|^2`` and ``photons_b = <J_z> + N/2`` (``<db^dag db>`` by
    Eq. C9 in the normal phase) are the finite-``N`` counterparts of ``photons_a``/``photons_b``
    of :func:`entropy_production`. Diagnostics: the cutoffs ``n_cavity``, ``n_spin`` and the
    populations of their top states, ``residual`` = ``max |L rho|``, ``seconds`` (sparse LU
    solve), ``lu_nonzeros`` (memory of the factors: 16 bytes each) and ``peak_rss_mb`` (peak
    resident memory of the solving process), all as measured when the point was computed.
    """

    N: int
    lam: float
    gamma: float
    photons_a: float
    photons_b: float
    mean_a: complex
    mean_jx: float
    n_cavity: int
    n_spin: int
    top_population_cavity: float
    top_population_spin: float
    residual: float
    seconds: float
    lu_nonzeros: int
    peak_rss_mb: float


def _cutoff(n_mean: float, tol: float) -> int:
    """Cutoff where a thermal distribution of mean ``n_mean`` has fallen below ``tol``."""
    ratio = max(n_mean, 1e-12) / (max(n_mean, 1e-12) + 1.0)
    return max(3, int(np.ceil(np.log(tol) / np.log(ratio))) + 1)


def finite_n_steady_state(
    N: int, lam: float, *, gamma: float = 1e-3, n_cavity: int | None = None,
    n_spin: int | None = None, tol: float = 1e-8, omega0: float = 0.005, omega: float = 0.01,
    kappa: float = 1.0,
) -> FiniteNDicke:
    """Exact steady state of the Dicke model at finite ``N`` in the normal phase (QuTiP).

    Spin ``j = N/2`` and cavity, ``H`` of Eq. (C2), cavity loss ``2 kappa D[a]`` (Eq. C1) and
    the collective atomic decay ``(2 gamma / N) D[J_-]``: by Eq. (C10),
    ``J_- = sqrt(N - b^dag b) b = sqrt(N) b (1 + O(b^dag b / N))``, so it is the finite-``N``
    form of the stabilizing loss ``2 gamma D[delta b]`` of Eq. (C20). The Liouvillian is built
    by QuTiP, restricted to the density-matrix elements of equal total parity
    ``(-1)^(a^dag a + J_z + j)`` (a symmetry of the model that holds the steady state) and
    solved by a sparse LU factorization (SciPy's SuperLU) with the trace condition.

    The Dicke ladder ``|j, -j + k>`` is kept for ``k < n_spin`` (all of it when
    ``n_spin >= N + 1``) and the cavity for ``n < n_cavity``. By default both cutoffs start
    from thermal tails with the Gaussian occupations (:func:`entropy_production`) and grow by
    a quarter until the top populations are below ``tol``.

    Parameters
    ----------
    N : int
        Number of atoms, ``>= 1``.
    lam : float
        Coupling, ``0 <= lam < lambda_c`` (normal phase: there ``<a> = <J_x> = 0``).
    gamma : float
        Rate of the collective decay, the ``gamma`` of Eq. (C20).
    n_cavity, n_spin : int, optional
        Cutoffs of the cavity Fock space and of the Dicke ladder (fixed if given).
    tol : float
        Largest population allowed in the top kept state of either mode.

    Returns
    -------
    FiniteNDicke

    Raises
    ------
    ValueError
        For ``N < 1``, ``lam`` outside the normal phase or ``gamma <= 0``.
    epcore.errors.CutoffError
        When a top population exceeds ``tol`` with a cutoff given by the caller (raise the
        cutoff named in the message).
    epcore.errors.IllConditionedError
        When the sparse solve leaves a residual above ``1e-9`` or a non-positive state.
    """
    _check_rates(omega0, omega, kappa)
    _check_gamma(gamma)
    if int(N) != N or N < 1:
        raise ValueError(f"N must be an integer >= 1, got {N!r}")
    N = int(N)
    lc = critical_coupling(omega0=omega0, omega=omega, kappa=kappa)
    lam = float(_lams(lam)[0])
    if lam >= lc:
        raise ValueError(
            f"lam = {lam:.6g} >= lambda_c = {lc:.6g}: the finite-N check covers the normal "
            "phase only (above lambda_c the state mixes the two superradiant branches)"
        )
    if not 0 < tol < 1:
        raise ValueError(f"tol must lie in (0, 1), got {tol!r}")
    for name, val in (("n_cavity", n_cavity), ("n_spin", n_spin)):
        if val is not None and (int(val) != val or val < 2):
            raise ValueError(f"{name} must be an integer >= 2, got {val!r}")
    rates = {"omega0": omega0, "omega": omega, "kappa": kappa}
    gauss = entropy_production(lam, gamma=gamma, **rates)
    K = int(n_cavity) if n_cavity is not None else _cutoff(gauss.extra["photons_a"], tol)
    M = int(n_spin) if n_spin is not None else _cutoff(gauss.extra["photons_b"], tol)
    for _ in range(6):
        M = min(M, N + 1)
        res = _solve_finite_n(N, lam, gamma, K, M, **rates)
        grow_k = res.top_population_cavity > tol
        grow_m = res.top_population_spin > tol
        if not (grow_k or grow_m):
            return res
        if (grow_k and n_cavity is not None) or (grow_m and n_spin is not None):
            break
        K = K + max(1, K // 4) if grow_k else K
        M = M + max(1, M // 4) if grow_m else M
    which, top = (
        ("n_cavity", res.top_population_cavity) if res.top_population_cavity > tol
        else ("n_spin", res.top_population_spin)
    )
    raise CutoffError(
        f"the top kept state holds a population {top:.2g} > tol = {tol:g}: increase {which}"
    )


def _solve_finite_n(
    N: int, lam: float, gamma: float, K: int, M: int, *, omega0: float, omega: float,
    kappa: float,
) -> FiniteNDicke:
    """One sparse-LU solve of the finite-N steady state with cutoffs ``K`` (cavity), ``M``.

    Parameters
    ----------
    N : int
        Number of atoms.
    lam, gamma : float
        Coupling and collective decay rate.
    K, M : int
        Cutoffs of the cavity and of the Dicke ladder.
    omega0, omega, kappa : float
        Atomic frequency, cavity frequency and cavity loss rate (Eq. C1).

    Returns
    -------
    FiniteNDicke
        The state and its diagnostics.

    Raises
    ------
    epcore.errors.IllConditionedError
        When the residual exceeds ``1e-9`` or the state is not positive.
    """
    import qutip

    k = np.arange(M)
    # <k-1| J_- |k> = sqrt(k (N - k + 1)): J_- = sqrt(N - b^dag b) b on the ladder (Eq. C10)
    jm = qutip.Qobj(np.diag(np.sqrt(k[1:] * (N - k[1:] + 1.0)), 1)).to("csr")
    Jm = qutip.tensor(jm, qutip.qeye(K))
    a = qutip.tensor(qutip.qeye(M), qutip.destroy(K))
    Jz = qutip.tensor(qutip.num(M) - N / 2, qutip.qeye(K))
    Jx = (Jm + Jm.dag()) / 2
    H = omega0 * Jz + omega * a.dag() * a + 2 * lam / np.sqrt(N) * (a + a.dag()) * Jx
    Lq = qutip.liouvillian(H, [np.sqrt(2 * kappa) * a, np.sqrt(2 * gamma / N) * Jm])
    L = Lq.data.as_scipy().tocsc()

    t0 = time.perf_counter()
    d = M * K
    parity = (k[:, None] + np.arange(K)[None, :]).ravel() % 2
    i, j = np.meshgrid(np.arange(d), np.arange(d), indexing="ij")
    i, j = i.ravel(order="F"), j.ravel(order="F")  # QuTiP stacks columns: index i + d j
    keep = np.nonzero(parity[i] == parity[j])[0]
    sub = L[keep][:, keep]
    trace_row = scipy.sparse.csr_matrix((i[keep] == j[keep]).astype(complex)[None, :])
    system = scipy.sparse.vstack([trace_row, sub[1:]]).tocsc()  # keep[0] is rho_00
    rhs = np.zeros(len(keep), complex)
    rhs[0] = 1.0
    lu = scipy.sparse.linalg.splu(system, permc_spec="COLAMD")
    vec = np.zeros(d * d, complex)
    vec[keep] = lu.solve(rhs)
    seconds = time.perf_counter() - t0
    residual = float(np.abs(L @ vec).max())
    rho = vec.reshape(d, d, order="F")
    rho = (rho + rho.conj().T) / 2
    rho /= np.trace(rho).real
    if residual > 1e-9 or np.linalg.eigvalsh(rho).min() < -1e-9:
        raise IllConditionedError(
            f"the steady-state solve is not trustworthy (residual {residual:.2g}): "
            "the Liouvillian is too ill-conditioned; increase gamma"
        )
    pops = np.real(np.diag(rho)).reshape(M, K)
    mean_a = complex(np.trace(rho @ a.full()))
    return FiniteNDicke(
        N=N, lam=lam, gamma=float(gamma),
        photons_a=float(pops.sum(0) @ np.arange(K)) - abs(mean_a) ** 2,
        photons_b=float(pops.sum(1) @ k), mean_a=mean_a,
        mean_jx=float(np.trace(rho @ Jx.full()).real), n_cavity=K, n_spin=M,
        top_population_cavity=float(pops[:, -1].sum()),
        top_population_spin=float(pops[-1, :].sum()) if M < N + 1 else 0.0,
        residual=residual, seconds=seconds, lu_nonzeros=int(lu.L.nnz + lu.U.nnz),
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


def finite_n_scan(
    Ns, lam: float, *, gamma: float = 1e-3, n_jobs: int = 2, cache: bool = True,
    progress: bool = True, **options,
) -> list[FiniteNDicke]:
    """:func:`finite_n_steady_state` for each ``N`` in ``Ns``, through :func:`epcore.sweep.sweep`.

    Points run on ``n_jobs`` workers with a progress bar and are cached on disk (keyed by every
    argument); ``options`` go to :func:`finite_n_steady_state` (cutoffs, ``tol``, rates).
    """
    params = [dict(N=int(n), lam=float(lam), gamma=float(gamma), **options) for n in Ns]
    return _parallel_sweep(
        finite_n_steady_state, params, n_jobs=n_jobs, cache=cache, progress=progress,
        desc="finite-N Dicke",
    )
