r"""The entropy terms of Eq. (8) on the Gaussian steady state (Sec. V, App. C.4, Eq. C26).

On the Gaussian Husimi function (C26) the integrals of Eq. (8) have closed forms
(:mod:`epcore.gaussian`): with the Husimi covariance :math:`S = \sigma + I/2`, the Hamiltonian
drift :math:`A_H` and the loss rate :math:`\kappa_c` of each mode,

.. math::

    \Pi_u = -\tfrac12 \operatorname{tr}(A_H S^{-1}), \qquad
    \Pi_d = \sum_c \kappa_c \operatorname{tr}_c(S - 2I + S^{-1}), \qquad
    \Phi_q = \sum_c \kappa_c (\operatorname{tr}_c S - 2).

:func:`entropy_production` evaluates them at one coupling with SciPy's Lyapunov solver,
:func:`entropy_production_batch` on an array of couplings in batched NumPy, and
:func:`quadrature_terms` integrates Eq. (8) numerically as an independent check.
:func:`pi_u_slope` is the slope
:math:`d\Pi_u/d\lambda` on one side of :math:`\lambda_c` (the kink of the paper's Fig. 3b).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.polynomial.hermite_e import hermegauss

from .. import gaussian
from ..balance import DickeBalance
from ..errors import IllConditionedError, ValidityError
from ..models import DickeModel, check_couplings, check_integer, check_memory, check_real
from ..threads import limit_blas_threads
from .fluctuations import (
    drift_arrays,
    drift_matrix,
    hamiltonian_drift,
    husimi,
    steady_covariance,
)
from .meanfield import PAPER, critical_coupling, mean_field, mean_field_arrays

__all__ = ["entropy_production", "entropy_production_batch", "quadrature_terms",
           "check_batch_memory", "gamma_zero_limit", "pi_u_slope"]

#: Bytes that :func:`entropy_production_batch` needs per coupling, for the stacked 16 x 16
#: Lyapunov systems (three copies) and about a dozen 4 x 4 matrices in float64.
BYTES_PER_COUPLING = 8 * (3 * 16 * 16 + 12 * 16)


def check_batch_memory(n_couplings: int) -> None:
    """Refuse a batch of more couplings than the memory limit allows.

    Parameters
    ----------
    n_couplings : int
        Number of couplings of the batch.

    Raises
    ------
    epcore.errors.MemoryLimitError
        If ``n_couplings * BYTES_PER_COUPLING`` exceeds ``epcore.settings.memory_limit``.
    """
    from ..settings import settings

    check_memory(
        float(n_couplings) * BYTES_PER_COUPLING,
        f"a Dicke batch of {n_couplings} couplings",
        fits=f"at most {int(settings.memory_limit // BYTES_PER_COUPLING)} couplings per call; "
        "split the batch",
    )


#: The largest condition number of the Husimi covariance that :func:`quadrature_terms` accepts.
QUADRATURE_MAX_COND = 1e6


def entropy_production(lam: float, *, model: DickeModel = PAPER) -> DickeBalance:
    r"""Entropy balance of the Gaussian steady state at coupling ``lam`` (Eq. 8 on Eq. C26).

    :math:`\Pi_u`, :math:`\Pi_d` and :math:`\Phi_q` are the intensive fluctuation terms of the
    two-mode Gaussian Husimi function (C26), summed over both loss channels (:math:`\gamma` on
    :math:`\delta b`, :math:`\kappa` on :math:`\delta a`), in the closed forms of
    :mod:`epcore.gaussian`. :math:`\Pi_{ext} = \Phi_{ext}` (Eq. 9) are extensive and returned
    per unit :math:`N`,

    .. math::

        \frac{\Pi_{ext}}{N} = 2\kappa |\alpha|^2
            = \frac{8\kappa\lambda^2\beta^2}{\kappa^2 + \omega^2};

    multiply by :math:`N` for the total. The stabilizing loss acts on :math:`\delta b` only
    (Eq. C20), so it adds nothing to them.

    For arrays of couplings use :func:`entropy_production_batch`, which is faster and, close to
    :math:`\lambda_c` at very small :math:`\gamma`, more accurate (it refines the Lyapunov
    solution).

    Parameters
    ----------
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.

    Returns
    -------
    DickeBalance
        ``pi_ext`` and ``phi_ext`` per unit :math:`N`, ``pi_u``, ``pi_d``, ``phi_q``.
        Diagnostic fields: ``alpha``, ``beta``, ``w``, ``beta_tilde`` (the mean field, as in
        :class:`~epcore.dicke.MeanField`), ``lambda_c`` (:func:`~epcore.dicke.critical_coupling`),
        ``covariance`` (:math:`\sigma`, Eq. C24), ``husimi_cov`` (:math:`S = \sigma + I/2`),
        ``photons_a`` (:math:`\langle\delta a^\dagger\delta a\rangle`), ``photons_b``
        (:math:`\langle\delta b^\dagger\delta b\rangle`), ``pi_d_a`` and ``pi_d_b`` (the cavity
        and spin channels of :math:`\Pi_d`), ``wehrl`` (the Wehrl entropy of Eq. C26) and
        ``cond`` (the condition number of :math:`S`; :math:`\Pi_u` carries an absolute
        round-off error of about ``1e-16 * cond``).

    Raises
    ------
    epcore.errors.UnstableDriftError
        If the drift is unstable (increase ``gamma``).
    epcore.errors.IllConditionedError
        If the mean field or the drift overflows double precision (``lam`` above about
        1e150 at the paper's parameters), or SciPy's Lyapunov solve warns; the message names
        ``lam``. Where the spin frequency (about :math:`\lambda^2`) dwarfs :math:`\gamma` so
        that double precision cannot resolve the solve
        (:func:`epcore.gaussian.lyapunov_condition` above
        ``epcore.gaussian.LYAPUNOV_COND_LIMIT``), the solve and the closed forms are
        evaluated by :func:`epcore.gaussian.precise_terms` instead.

    Examples
    --------
    >>> from epcore import dicke
    >>> b = dicke.entropy_production(0.05)  # normal phase: no coherent flux
    >>> b.pi_ext, abs(b.pi_u + b.pi_d - b.phi_q) < 1e-12
    (0.0, True)
    """
    kappas = [model.gamma, model.kappa]
    try:
        with np.errstate(over="raise", invalid="raise"):
            mf = mean_field(lam, model=model)
            A_H = hamiltonian_drift(lam, model=model)
            A = drift_matrix(lam, model=model)
    except FloatingPointError as err:
        raise IllConditionedError(
            f"the mean field or the drift at lam = {lam} ({model}) overflows double precision "
            f"({err}): its entries grow as lam^2; lower lam (below about 1e150)"
        ) from err
    try:
        condition = gaussian.lyapunov_condition(A)
        if condition > gaussian.LYAPUNOV_COND_LIMIT:
            # the spin frequency ~ lam^2 dwarfs gamma: SciPy's solve and the closed forms lose
            # every digit in double precision; both are evaluated at higher precision
            gaussian.require_stable(A)
            precise = gaussian.precise_terms(A_H, kappas)
            excess = precise["excess"]
            s = excess + np.eye(4) / 2
            pi_u = precise["pi_u"]
            pi_d_b, pi_d_a = precise["pi_d"]
            phi_q_modes = precise["phi_q"]
        else:
            s = steady_covariance(lam, model=model)
            excess = s - np.eye(4) / 2
            pi_u, (pi_d_b, pi_d_a), phi_q_modes = gaussian.gaussian_terms(
                A_H, gaussian.husimi_covariance(s), kappas, per_mode=True
            )
    except IllConditionedError as err:
        raise IllConditionedError(
            f"no accurate Gaussian steady state at lam = {lam} ({model}): {err}. Lower lam "
            "(the spin frequency grows as lam^2) or raise gamma"
        ) from err
    S = gaussian.husimi_covariance(s)
    pi_d, phi_q = float(pi_d_a + pi_d_b), float(np.sum(phi_q_modes))
    ext = 2.0 * model.kappa * abs(mf.alpha) ** 2
    return DickeBalance(
        ext, pi_u, pi_d, ext, phi_q,
        lam=lam,
        alpha=mf.alpha,
        beta=mf.beta,
        w=mf.w,
        beta_tilde=mf.beta_tilde,
        lambda_c=critical_coupling(model=model),
        covariance=s,
        husimi_cov=S,
        photons_a=(excess[2, 2] + excess[3, 3]) / 2.0,
        photons_b=(excess[0, 0] + excess[1, 1]) / 2.0,
        pi_d_a=float(pi_d_a),
        pi_d_b=float(pi_d_b),
        wehrl=gaussian.gaussian_wehrl(S),
        cond=float(np.linalg.cond(S)),
    )


def _sweep_result(
    lam: np.ndarray, model: DickeModel, gamma: float, A_H: np.ndarray, excess: np.ndarray,
    branch: str = "mean_field",
) -> DickeBalance:
    """The terms of Eq. (8) from stacks of drifts and excess covariances ``s - I/2``.

    ``gamma = 0`` (the limit) keeps the cavity channel only: the spin channel of ``Pi_d``
    and ``Phi_q`` is proportional to ``gamma`` and vanishes.
    """
    alpha, beta, w, _, _ = mean_field_arrays(lam, model=model, branch=branch)
    S = excess + np.eye(4)
    # at gamma = 0 the spin rate below is a placeholder whose channel is zeroed
    pi_u, pi_d_modes, phi_q_modes = gaussian.gaussian_terms(
        A_H, S, [gamma or 1.0, model.kappa], excess=excess, per_mode=True
    )
    if gamma == 0:
        pi_d_modes[:, 0] = phi_q_modes[:, 0] = 0.0
    pi_d_b, pi_d_a = pi_d_modes[:, 0], pi_d_modes[:, 1]
    ext = 2.0 * model.kappa * np.abs(alpha) ** 2
    return DickeBalance(
        lam=lam, pi_ext=ext, pi_u=pi_u, pi_d=pi_d_a + pi_d_b, phi_ext=ext.copy(),
        phi_q=phi_q_modes.sum(axis=1), pi_d_a=pi_d_a, pi_d_b=pi_d_b,
        photons_a=(excess[:, 2, 2] + excess[:, 3, 3]) / 2.0,  # (tr_a sigma - 1)/2
        photons_b=(excess[:, 0, 0] + excess[:, 1, 1]) / 2.0,
        alpha=alpha, beta=beta, w=w, cond=np.linalg.cond(S), model=model, gamma=float(gamma),
    )


@limit_blas_threads
def entropy_production_batch(
    lams, *, model: DickeModel = PAPER, branch: str = "mean_field"
) -> DickeBalance:
    r""":func:`entropy_production` on an array of couplings, in batched NumPy (Eqs. C24-C26, 8).

    The Lyapunov equations (C24) are solved as a stack of 16x16 linear systems
    (:func:`epcore.gaussian.steady_state_batch`) and the closed forms of
    :func:`epcore.gaussian.gaussian_terms` are evaluated on the stack, in the writing that keeps
    full relative precision near the vacuum. 2000 couplings take a few tens of milliseconds.
    Couplings whose Lyapunov solve double precision cannot resolve (the spin frequency,
    about :math:`\lambda^2`, far above :math:`\gamma`) are recomputed with
    :func:`epcore.gaussian.precise_terms`.

    Parameters
    ----------
    lams : array_like
        Couplings :math:`\lambda \ge 0`, a number or a 1-D array.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.
    branch : str, optional
        The mean-field state whose fluctuations are computed: ``"mean_field"`` (default) the
        stable one, as in the paper (normal below :math:`\lambda_c`, superradiant above);
        ``"normal"`` the normal phase at every coupling, stable with :math:`\gamma > 0` up to
        ``critical_coupling(model=model, shifted=True)``, where :math:`\Pi_d` diverges.

    Returns
    -------
    DickeBalance
        The entropy terms and diagnostics, one entry per coupling.

    Raises
    ------
    epcore.errors.UnstableDriftError
        If any drift is unstable (increase ``gamma``, or on the normal branch stay below the
        shifted critical coupling).

    Examples
    --------
    >>> import numpy as np
    >>> from epcore import dicke
    >>> b = dicke.entropy_production_batch([0.03, 0.05])
    >>> b.phi_q.shape, bool(np.all(np.abs(b.relative_residual) < 1e-12))
    ((2,), True)
    """
    check_batch_memory(np.size(lams) if isinstance(lams, np.ndarray) else 1)
    lam = check_couplings(lams)
    check_batch_memory(lam.size)
    A_H = drift_arrays(lam, model=model, branch=branch)
    try:
        _, excess = gaussian.steady_state_batch(A_H, [model.gamma, model.kappa])
    except ValueError as err:
        # keep the type (UnstableDriftError for an unstable drift), add the couplings
        raise type(err)(f"{err} (couplings lam = {lam.tolist()[:3]}...): increase gamma") from err
    out = _sweep_result(lam, model, model.gamma, A_H, excess, branch)
    return _refine_ill_conditioned(out, A_H, model)


def pi_u_slope(lams, *, model: DickeModel = PAPER) -> np.ndarray:
    r"""Slope :math:`d\Pi_u/d\lambda` of the Gaussian balance along the coupling (Fig. 3b).

    :math:`\Pi_u = -\tfrac12\operatorname{tr}(A_H S^{-1})` of Eq. (8) on the Husimi function
    (C26) is evaluated by :func:`entropy_production_batch` on the stable mean-field branch at
    ``lams`` and differentiated by second-order differences (:func:`numpy.gradient`, one-sided
    at the ends). The couplings must lie on one side of :math:`\lambda_c` (either may end at
    :math:`\lambda_c`): :math:`\Pi_u` has a kink there (the derivative jumps, the paper's Fig.
    3b), which differences across :math:`\lambda_c` would smooth out; so the slopes at the two
    ends are the one-sided derivatives.

    Parameters
    ----------
    lams : array_like
        At least 3 strictly increasing couplings :math:`\lambda \ge 0`, all at most or all at
        least ``critical_coupling(model=model)``, on a fine enough grid (the differences are
        accurate to second order in the spacing).
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.

    Returns
    -------
    numpy.ndarray
        :math:`d\Pi_u/d\lambda` at each coupling (units of :math:`\kappa/\lambda`).

    Raises
    ------
    epcore.errors.UnstableDriftError
        As :func:`entropy_production_batch` (increase ``gamma``).

    Examples
    --------
    >>> lc = critical_coupling()
    >>> below = pi_u_slope(np.linspace(0.9 * lc, lc, 101))[-1]
    >>> above = pi_u_slope(np.linspace(lc, 1.1 * lc, 101))[0]
    >>> bool(below > 0 > above)  # the kink of Fig. 3b at lambda_c
    True
    """
    lam = check_couplings(lams)
    if lam.size < 3:
        raise ValueError(f"pi_u_slope needs at least 3 couplings, got {lam.size}")
    if np.any(np.diff(lam) <= 0):
        raise ValueError("the couplings lams must be strictly increasing")
    lc = critical_coupling(model=model)
    if not (np.all(lam <= lc) or np.all(lam >= lc)):
        raise ValueError(
            f"the couplings straddle lambda_c = {lc:.6g}, where Pi_u has a kink: split them at "
            "lambda_c and call pi_u_slope on each side"
        )
    return np.gradient(entropy_production_batch(lam, model=model).pi_u, lam, edge_order=2)


def _refine_ill_conditioned(out: DickeBalance, A_H: np.ndarray, model: DickeModel) -> DickeBalance:
    """Recompute, with :func:`epcore.gaussian.precise_terms`, the couplings whose Lyapunov
    solve double precision cannot resolve (:func:`epcore.gaussian.lyapunov_condition` above
    ``LYAPUNOV_COND_LIMIT``: the spin frequency, growing as lam^2, dwarfs gamma)."""
    kappas = [model.gamma, model.kappa]
    loss = np.diag([model.gamma, model.gamma, model.kappa, model.kappa])
    A = A_H - loss
    norm = np.abs(A).max(axis=(1, 2)) * 4  # gaussian.lyapunov_condition, batched
    ev = np.linalg.eigvals(A)
    sums = np.abs(ev[:, :, None] + ev[:, None, :]).min(axis=(1, 2))
    condition = norm / np.maximum(sums, 4e-16 * norm)
    bad = np.nonzero(condition > gaussian.LYAPUNOV_COND_LIMIT)[0]
    if not bad.size:
        return out
    fields = {k: np.array(getattr(out, k), copy=True) for k in (
        "pi_u", "pi_d", "phi_q", "pi_d_a", "pi_d_b", "photons_a", "photons_b")}
    for i in bad:
        p = gaussian.precise_terms(A_H[i], kappas)
        e = p["excess"]
        fields["pi_u"][i] = p["pi_u"]
        fields["pi_d_b"][i], fields["pi_d_a"][i] = p["pi_d"]
        fields["pi_d"][i] = p["pi_d"].sum()
        fields["phi_q"][i] = p["phi_q"].sum()
        fields["photons_a"][i] = (e[2, 2] + e[3, 3]) / 2.0
        fields["photons_b"][i] = (e[0, 0] + e[1, 1]) / 2.0
    return dataclasses.replace(out, **fields)


def quadrature_terms(
    lam: float, *, model: DickeModel = PAPER, order: int = 8, h: float = 1e-3
) -> dict[str, float]:
    r"""Eq. (8) integrated numerically over the Husimi function (C26): an independent check.

    Gauss-Hermite quadrature of ``order`` points per axis in whitened coordinates. :math:`Q`
    is evaluated from :func:`~epcore.dicke.husimi` only, its gradient and Hessian by central
    differences of step ``h``. The unitary part of the quantum Fokker-Planck equation is

    .. math::

        \mathcal U(Q) = -\nabla\cdot(A_H r\, Q) + \tfrac12 \nabla\cdot(D_u \nabla Q),
        \qquad D_u = -(A_H + A_H^T)/2,

    and the currents of Eq. (3) are :math:`J_c = \kappa_c (v_c Q + \partial_{\bar v_c} Q)`.

    Parameters
    ----------
    lam : float
        Coupling; see :mod:`epcore.dicke`.
    model : DickeModel, optional
        The parameters (default the paper's); see :mod:`epcore.dicke`.
    order : int, optional
        Gauss-Hermite points per axis (``order**4`` in all), >= 2.
    h : float, optional
        Finite-difference step, > 0.

    Returns
    -------
    dict[str, float]
        ``norm`` (:math:`\int Q`, one), ``wehrl``, ``pi_u``, ``pi_d`` and ``phi_q``; compare
        with :func:`entropy_production`. ``cond``: the condition number of :math:`S`, which
        sets the error of the finite differences (:math:`\Pi_u` to about 1e-4 relative at
        1e6).

    Raises
    ------
    epcore.errors.ValidityError
        If the condition number of :math:`S` exceeds ``QUADRATURE_MAX_COND`` (1e6): there the
        finite differences cannot resolve :math:`\Pi_u` (e.g. at :math:`\lambda_c` with
        :math:`\gamma = 10^{-5}`, where it would come out as -0.94 instead of 0.20).
    """
    order = check_integer(order, "order", minimum=2, maximum=40, hint=" (order**4 points)")
    h = check_real(h, "the step h", positive=True, maximum=0.1)
    if h < 1e-6:
        raise ValueError(f"the step h = {h} is below 1e-6: central differences lose every digit")
    s = steady_covariance(lam, model=model)
    S = s + np.eye(4) / 2
    cond = float(np.linalg.cond(S))
    if cond > QUADRATURE_MAX_COND:
        raise ValidityError(
            f"the Husimi covariance at lam = {lam} has condition number {cond:.3g} > "
            f"QUADRATURE_MAX_COND = {QUADRATURE_MAX_COND:g}: finite differences in its whitened "
            "coordinates lose the digits of Pi_u (close to lambda_c at small gamma); use "
            "entropy_production, the closed form"
        )
    A_H = hamiltonian_drift(lam, model=model)
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
    for c, kap in enumerate((model.gamma, model.kappa)):
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
        "cond": cond,
    }


def gamma_zero_limit(lams, *, model: DickeModel = PAPER) -> DickeBalance:
    r"""The entropy terms of :func:`entropy_production_batch` in the limit :math:`\gamma \to 0`.

    Away from :math:`\lambda_c` (and for :math:`\lambda > 0`) the cavity alone damps the spin,
    so the Lyapunov equation (C24) has a solution at :math:`\gamma = 0`: the limit is taken by
    setting :math:`\gamma = 0` in Eqs. (C24)-(C26) and Eq. (8). The spin channel of
    :math:`\Pi_d` vanishes (:math:`\gamma\langle\delta b^\dagger\delta b\rangle \to 0`), so
    :math:`\Pi_d = \Pi_d^{(a)}` and :math:`\Phi_q = 2\kappa\langle\delta a^\dagger\delta a\rangle`.

    Parameters
    ----------
    lams : array_like
        Couplings :math:`\lambda > 0`, a number or a 1-D array, none equal to
        :math:`\lambda_c`.
    model : DickeModel, optional
        Frequencies and cavity loss rate; default :data:`~epcore.dicke.PAPER`. Its ``gamma``
        is ignored (the limit does not depend on it).

    Returns
    -------
    DickeBalance
        The terms at :math:`\gamma = 0`; its ``gamma`` field is 0.0 and ``pi_d_b`` is zero.

    Raises
    ------
    ValueError
        If some coupling is 0 or :math:`\lambda_c`: there the drift at :math:`\gamma = 0` is
        not stable and the limit does not exist. Also for an invalid coupling.
    """
    lam = check_couplings(lams)
    check_batch_memory(lam.size)
    A_H = drift_arrays(lam, model=model)
    A = A_H - np.diag([0.0, 0.0, model.kappa, model.kappa])
    growth = np.linalg.eigvals(A).real.max(axis=1)
    if np.any(growth >= 0):
        bad = lam[growth >= 0][:3].tolist()
        raise ValueError(
            f"no gamma -> 0 limit at lam = {bad}: at lam = 0 the spin is undamped and at "
            "lambda_c the soft mode is; exclude those couplings"
        )
    # e = s - I/2 solves A e + e A^T + (A_H + A_H^T)/2 = 0 (gaussian.excess_covariance)
    excess = gaussian.solve_lyapunov_batch(A, (A_H + A_H.transpose(0, 2, 1)) / 2)
    return _sweep_result(lam, model, 0.0, A_H, excess)
