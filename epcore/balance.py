"""The result type shared by every model: the terms of Eqs. (5)-(8) of the paper.

:class:`EntropyBalance` holds the five terms of Eqs. (7)-(8), at one point (floats) or along
a parameter (1-D arrays of one length); :attr:`~EntropyBalance.pi`, :attr:`~EntropyBalance.phi`,
:attr:`~EntropyBalance.residual` and :attr:`~EntropyBalance.relative_residual` work elementwise
on both. Each family of models adds its diagnostics as explicit fields of a subclass
(:class:`GaussianBalance`, :class:`DickeBalance`, :class:`ModeBalance`,
:class:`MixtureBalance`); a diagnostic a function does not compute is ``None``.
:meth:`EntropyBalance.stack` turns point results into one array-valued result and
:meth:`EntropyBalance.columns` gives the real 1-D columns of a CSV file, under the same names.
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "EntropyBalance",
    "GaussianBalance",
    "DickeBalance",
    "ModeBalance",
    "MixtureBalance",
    "TERMS",
]

#: The five fields every balance has, in the order of its constructor (Eqs. 7-8).
TERMS = ("pi_ext", "pi_u", "pi_d", "phi_ext", "phi_q")
#: The derived totals that :meth:`EntropyBalance.columns` writes after the five terms.
TOTALS = ("pi", "phi", "residual")


def _opt(doc: str = "") -> Any:
    """An optional diagnostic field: default None, not compared, not in the repr."""
    return field(default=None, compare=False, repr=False, metadata={"doc": doc})


def _is_numeric(value: Any) -> bool:
    """Whether ``value`` is a number or a numeric (bool, int, float, complex) NumPy array."""
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "biufc"
    return isinstance(value, numbers.Number | np.generic) and not isinstance(value, np.str_)


@dataclass(frozen=True)
class EntropyBalance:
    """Entropy production and flux split as in Eqs. (7)-(8) (rates, units of the loss rate).

    In a steady state ``pi_u + pi_d = phi_q`` (Eq. 10); :attr:`residual` measures how well
    that holds. Each term is a float (one point) or a 1-D array along a parameter (a sweep,
    a ramp, a transient); the totals and the residual are then arrays too.

    Parameters
    ----------
    pi_ext : float or numpy.ndarray
        Extensive, mean-field part of the entropy production (Eq. 8).
    pi_u : float or numpy.ndarray
        Unitary part of the fluctuation entropy production (Eq. 8).
    pi_d : float or numpy.ndarray
        Dissipative part of the fluctuation entropy production (Eq. 8).
    phi_ext : float or numpy.ndarray
        Extensive part of the entropy flux (Eq. 7); Eq. (9) says it equals ``pi_ext``.
    phi_q : float or numpy.ndarray
        Fluctuation part of the entropy flux (Eq. 7).

    Notes
    -----
    Model-specific diagnostics are fields of the subclasses (:class:`GaussianBalance`,
    :class:`DickeBalance`, :class:`ModeBalance`, :class:`MixtureBalance`), ``None`` where a
    function does not compute them; :meth:`columns` lists those that are set, as columns.
    """

    pi_ext: float | np.ndarray
    pi_u: float | np.ndarray
    pi_d: float | np.ndarray
    phi_ext: float | np.ndarray
    phi_q: float | np.ndarray

    @property
    def pi(self) -> float | np.ndarray:
        """Total entropy production rate, Eq. (6) = Eq. (8)."""
        return self.pi_ext + self.pi_u + self.pi_d

    @property
    def phi(self) -> float | np.ndarray:
        """Total entropy flux, Eq. (5) = Eq. (7)."""
        return self.phi_ext + self.phi_q

    @property
    def residual(self) -> float | np.ndarray:
        """The residual ``pi_u + pi_d - phi_q`` of Eq. (10), zero in any steady state."""
        return self.pi_u + self.pi_d - self.phi_q

    @property
    def relative_residual(self) -> float | np.ndarray:
        """``|residual| / |phi_q|``, the quality gauge of a steady-state computation.

        Where ``phi_q`` is zero it is 0 for a zero residual and ``inf`` otherwise: a residual
        has no scale to be small against, and is never reported as if it were relative.
        Elementwise for arrays; a float for one point.
        """
        res = np.abs(np.asarray(self.residual, dtype=float))
        phi_q = np.abs(np.asarray(self.phi_q, dtype=float))
        zero = phi_q == 0
        ratio = res / np.where(zero, 1.0, phi_q)
        out = np.where(zero, np.where(res == 0, 0.0, np.inf), ratio)
        return float(out) if out.ndim == 0 else out

    def replace(self, **changes: Any) -> EntropyBalance:
        """Return a copy with some fields changed (:func:`dataclasses.replace`).

        Parameters
        ----------
        **changes : object
            Field names and their new values; the five terms or the diagnostics of the class.

        Returns
        -------
        EntropyBalance
            A new result of the same class.

        Raises
        ------
        TypeError
            If a name is not a field of the class.
        """
        return dataclasses.replace(self, **changes)

    def columns(self) -> dict[str, np.ndarray]:
        """Real 1-D columns for a CSV file, under the standard names.

        The five terms, then ``pi``, ``phi``, ``residual``, then every numeric diagnostic with
        one value per point (a matrix per point, a string or an object is left out); a complex
        column ``name`` is split into ``name_re`` and ``name_im``. A one-point result gives
        columns of length 1.

        Returns
        -------
        dict[str, numpy.ndarray]
            Column name to a real 1-D array; all of one length.

        Examples
        --------
        >>> from epcore.balance import EntropyBalance
        >>> b = EntropyBalance(1.0, 0.5, 0.25, 1.0, 0.75)  # pi_ext, ..., phi_q
        >>> b.columns()["pi"], b.columns()["residual"]
        (array([1.75]), array([0.]))
        """
        ndim = np.ndim(self.pi_ext)
        out: dict[str, np.ndarray] = {}

        def put(name: str, value: Any) -> None:
            if value is None or not _is_numeric(value) or np.ndim(value) != ndim:
                return
            arr = np.atleast_1d(np.asarray(value))
            if arr.dtype.kind == "c":
                out[f"{name}_re"] = arr.real
                out[f"{name}_im"] = arr.imag
            else:
                out[name] = arr

        for name in TERMS + TOTALS:
            put(name, getattr(self, name))
        for f in dataclasses.fields(self):
            if f.name not in TERMS:
                put(f.name, getattr(self, f.name))
        return out

    @classmethod
    def stack(cls, balances: Sequence[EntropyBalance], /, **fields: Any) -> EntropyBalance:
        """One array-valued result from a sequence of one-point results.

        Every field becomes an array along the sequence: numbers a 1-D array, arrays of one
        shape an array with one more (leading) axis, diagnostics that are ``None`` everywhere
        stay ``None``; numbers missing (``None``) at some points become NaN; anything else
        (strings, tuples, objects) a tuple with one item per point.

        Parameters
        ----------
        balances : list or tuple of EntropyBalance
            The point results, all of one class (or of ``cls``).
        **fields : object
            Fields to set on the result, e.g. the parameter of the sweep (``lam=...``).

        Returns
        -------
        EntropyBalance
            An instance of ``cls``, or of the common class of ``balances`` when called on
            :class:`EntropyBalance` itself.

        Raises
        ------
        ValueError
            If ``balances`` is empty, or its items are not balances of one class.

        Examples
        --------
        >>> from epcore.balance import EntropyBalance
        >>> b = EntropyBalance(1.0, 0.5, 0.25, 1.0, 0.75)  # pi_ext, ..., phi_q
        >>> c = b.replace(pi_ext=2.0, phi_ext=2.0)
        >>> EntropyBalance.stack([b, c]).pi_ext
        array([1., 2.])
        """
        items = list(balances)
        if not items or not all(isinstance(b, EntropyBalance) for b in items):
            raise ValueError("stack needs a non-empty sequence of EntropyBalance results")
        kinds = {type(b) for b in items}
        target = cls
        if cls is EntropyBalance:
            if len(kinds) != 1:
                raise ValueError(
                    f"stack got results of several classes {sorted(k.__name__ for k in kinds)}; "
                    "call stack on their common class"
                )
            target = kinds.pop()
        names = {f.name for f in dataclasses.fields(target)}
        values: dict[str, Any] = {}
        for name in names:
            if name in fields:
                continue
            column = [getattr(b, name, None) for b in items]
            values[name] = _stack_values(column)
        unknown = set(fields) - names
        if unknown:
            raise ValueError(f"{target.__name__} has no fields {sorted(unknown)}")
        return target(**values, **fields)

    def __repr__(self) -> str:
        shown = [f"{k}={getattr(self, k)!r}" for k in TERMS]
        shown += [
            f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self)
            if f.name not in TERMS and _is_numeric(getattr(self, f.name))
            and np.ndim(getattr(self, f.name)) == 0
        ]
        return f"{type(self).__name__}({', '.join(shown)})"


def _stack_values(column: list[Any]) -> Any:
    """One field along a sequence of results (:meth:`EntropyBalance.stack`)."""
    present = [v for v in column if v is not None]
    if not present:
        return None
    if all(_is_numeric(v) and np.ndim(v) == 0 for v in present):
        if len(present) == len(column):
            return np.array(column)
        return np.array([np.nan if v is None else v for v in column])
    if len(present) == len(column) and all(isinstance(v, np.ndarray) for v in column):
        if len({v.shape for v in column}) == 1:
            return np.stack(column)
    return tuple(column)


@dataclass(frozen=True, kw_only=True, repr=False)
class GaussianBalance(EntropyBalance):
    r"""The balance of a Gaussian state (the linearized, N -> infinity limit, App. C).

    The five terms of :class:`EntropyBalance` and the Gaussian diagnostics below; each is
    ``None`` unless the function that returns the result computes it (its Returns section
    says which).

    Parameters
    ----------
    pi_ext, pi_u, pi_d, phi_ext, phi_q : float or numpy.ndarray
        The terms of Eqs. (7)-(8), as in :class:`EntropyBalance`.
    covariance : numpy.ndarray, optional
        The symmetric covariance :math:`\sigma` of the quadratures (Eq. C24).
    husimi_cov : numpy.ndarray, optional
        The Husimi covariance :math:`S = \sigma + I/2`.
    cond : float, optional
        Condition number of :math:`S`; :math:`\Pi_u` carries an absolute round-off error of
        about ``1e-16 * cond``.
    excess : numpy.ndarray, optional
        :math:`\sigma - I/2`.
    n_bath : float or numpy.ndarray, optional
        Bath occupation(s) of the thermal channels.
    pi_d_channels, phi_q_channels : numpy.ndarray, optional
        :math:`\Pi_d` and :math:`\Phi_q` per channel and mode.
    rates, occupations : numpy.ndarray, optional
        Loss rates and bath occupations per channel and mode.
    A_H : numpy.ndarray, optional
        The Hamiltonian drift of the fluctuations.
    alpha : complex or numpy.ndarray, optional
        The mean field per unit size (complex).
    beta : complex or float or numpy.ndarray, optional
        The second mean-field amplitude (two-photon branch, Dicke spin).
    n : float, optional
        :math:`|\alpha|^2` (or :math:`|\beta|^2`) of the branch.
    wehrl : float or numpy.ndarray, optional
        Wehrl entropy of the fluctuations (Eq. 4 on the Gaussian).
    loss_rate : float, optional
        Linearized loss rate :math:`\kappa'` of the fluctuations (two-photon model).
    fluct_photons : float, optional
        :math:`\langle\delta a^\dagger\delta a\rangle` of the fluctuations.
    fluct_pair : complex, optional
        :math:`\langle\delta a^2\rangle` of the fluctuations.
    pi_d_a, pi_d_b : float or numpy.ndarray, optional
        The cavity and spin channels of :math:`\Pi_d` (Dicke).
    pi_d_thermal, pi_d_two_photon : float, optional
        The thermal and the two-photon channels of :math:`\Pi_d`.
    """

    covariance: np.ndarray | None = _opt()
    husimi_cov: np.ndarray | None = _opt()
    cond: float | np.ndarray | None = _opt()
    excess: np.ndarray | None = _opt()
    n_bath: float | np.ndarray | None = _opt()
    pi_d_channels: np.ndarray | None = _opt()
    phi_q_channels: np.ndarray | None = _opt()
    rates: np.ndarray | None = _opt()
    occupations: np.ndarray | None = _opt()
    A_H: np.ndarray | None = _opt()
    alpha: complex | np.ndarray | None = _opt()
    beta: complex | float | np.ndarray | None = _opt()
    n: float | np.ndarray | None = _opt()
    wehrl: float | np.ndarray | None = _opt()
    loss_rate: float | np.ndarray | None = _opt()
    fluct_photons: float | np.ndarray | None = _opt()
    fluct_pair: complex | np.ndarray | None = _opt()
    pi_d_a: float | np.ndarray | None = _opt()
    pi_d_b: float | np.ndarray | None = _opt()
    pi_d_thermal: float | np.ndarray | None = _opt()
    pi_d_two_photon: float | np.ndarray | None = _opt()


@dataclass(frozen=True, kw_only=True, repr=False)
class DickeBalance(EntropyBalance):
    r"""The Gaussian balance of the Dicke model (Sec. V, App. C.4), at one coupling or many.

    :func:`epcore.dicke.entropy_production` returns it for one coupling (floats),
    :func:`epcore.dicke.entropy_production_batch` and :func:`epcore.dicke.gamma_zero_limit`
    for an array of couplings (1-D arrays). ``pi_ext`` and ``phi_ext`` are
    per unit :math:`N`. A diagnostic a function does not compute is ``None``.

    Parameters
    ----------
    pi_ext, pi_u, pi_d, phi_ext, phi_q : float or numpy.ndarray
        The terms of Eqs. (7)-(8), as in :class:`EntropyBalance`.
    lam : float or numpy.ndarray, optional
        The coupling(s) :math:`\lambda`.
    alpha, beta, w : complex or float or numpy.ndarray, optional
        The mean field (Eqs. C6-C8), as in :class:`~epcore.dicke.MeanField`.
    beta_tilde : complex, optional
        The rotated spin amplitude of :class:`~epcore.dicke.MeanField` (one coupling).
    lambda_c : float, optional
        :func:`~epcore.dicke.critical_coupling` of the model (one coupling).
    covariance : numpy.ndarray, optional
        The covariance :math:`\sigma` of Eq. (C24) (one coupling).
    husimi_cov : numpy.ndarray, optional
        :math:`S = \sigma + I/2` (one coupling).
    photons_a, photons_b : float or numpy.ndarray, optional
        :math:`\langle\delta a^\dagger\delta a\rangle` and
        :math:`\langle\delta b^\dagger\delta b\rangle`.
    pi_d_a, pi_d_b : float or numpy.ndarray, optional
        The cavity (:math:`\kappa`) and spin (:math:`\gamma`) channels of :math:`\Pi_d`.
    wehrl : float, optional
        The Wehrl entropy of the Gaussian (C26) (one coupling).
    cond : float or numpy.ndarray, optional
        Condition number of :math:`S`; :math:`\Pi_u` carries an absolute round-off error of
        about ``1e-16 * cond`` (:attr:`pi_u_error`).
    model : DickeModel, optional
        The parameters of a sweep.
    gamma : float, optional
        The stabilizing loss a sweep was computed with: ``model.gamma``, or 0.0 for
        :func:`~epcore.dicke.gamma_zero_limit`.
    """

    lam: float | np.ndarray | None = _opt()
    alpha: complex | np.ndarray | None = _opt()
    beta: complex | float | np.ndarray | None = _opt()
    w: float | np.ndarray | None = _opt()
    beta_tilde: complex | np.ndarray | None = _opt()
    lambda_c: float | None = _opt()
    covariance: np.ndarray | None = _opt()
    husimi_cov: np.ndarray | None = _opt()
    photons_a: float | np.ndarray | None = _opt()
    photons_b: float | np.ndarray | None = _opt()
    pi_d_a: float | np.ndarray | None = _opt()
    pi_d_b: float | np.ndarray | None = _opt()
    wehrl: float | np.ndarray | None = _opt()
    cond: float | np.ndarray | None = _opt()
    model: Any = _opt()
    gamma: float | None = _opt()

    @property
    def pi_u_error(self) -> float | np.ndarray:
        r"""Estimated absolute round-off error of ``pi_u``, ``1e-16 * cond``.

        :math:`\Pi_u = -\operatorname{tr}(A_H S^{-1})/2` needs :math:`S^{-1}`; near
        :math:`\lambda_c` at small :math:`\gamma` the Husimi covariance is ill-conditioned
        (:math:`\mathrm{cond}(S) \sim 10^{13}` at :math:`\gamma = 10^{-7}`). The estimate is
        checked against a 40-digit reference in the tests; ``pi_d`` and ``phi_q`` do not
        suffer.
        """
        return 1e-16 * self.cond


@dataclass(frozen=True, kw_only=True, repr=False)
class ModeBalance(EntropyBalance):
    r"""The balance of a single-mode state on the phase-space grid (Eqs. 4-8 integrated).

    Returned by :func:`epcore.phasespace.entropy_balance` and the finite-N functions of the
    Kerr and two-photon models; each diagnostic is ``None`` unless the function that returns
    the result computes it (its Returns section says which).

    Parameters
    ----------
    pi_ext, pi_u, pi_d, phi_ext, phi_q : float or numpy.ndarray
        The terms of Eqs. (7)-(8), as in :class:`EntropyBalance`.
    mean_a : complex, optional
        :math:`\langle a\rangle`.
    photons : float, optional
        :math:`\langle a^\dagger a\rangle`.
    alpha : complex, optional
        :math:`\langle a\rangle/\sqrt N`.
    wehrl : float, optional
        Wehrl entropy (Eq. 4).
    wehrl_rate : float, optional
        :math:`dS/dt = -\int \dot Q\ln Q` from the master equation (Eq. 1).
    pi_unsplit : float, optional
        Eq. (6) evaluated without the split of Eq. (8).
    entropy_rate_residual : float, optional
        :math:`dS/dt - (\Pi - \Phi)`, Eq. (1).
    normalization : float, optional
        :math:`\int Q\, d^2\mu` on the grid.
    current_error : float, optional
        :math:`|\int A - \langle a\rangle|` (a check of the grid).
    grid_shape : tuple of int, optional
        Shape of the phase-space grid.
    cutoff : int, optional
        Fock levels of the state (0 for the Gaussian route).
    top_population : float, optional
        Population of the top three Fock levels.
    moment_error : float, optional
        Largest relative deviation of the state's moments from the exact ones.
    phi_q_state, phi_ext_state : float, optional
        The fluxes from the state's own moments (the terms use the exact ones).
    method : str, optional
        The steady-state method used.
    route : str, optional
        ``"state"`` (the Fock state) or ``"gaussian"`` (the linearized branch).
    gaussian_gauge : float, optional
        Relative deviation of the Gaussian :math:`\Phi_q` from the exact one (Gaussian route).
    husimi_cov : numpy.ndarray, optional
        Husimi covariance of the Gaussian route.
    pair : complex, optional
        :math:`\langle a^2\rangle` (two-photon model).
    pair_photons : float, optional
        :math:`\langle a^{\dagger 2}a^2\rangle` (two-photon model).
    pi_d_one_photon, pi_d_two_photon : float, optional
        The one- and two-photon channels of :math:`\Pi_d` (two-photon model).
    pi_d_two_photon_direct : float, optional
        The two-photon channel without integration by parts (a cross-check).
    pi_u_coherent, pi_u_coherent_direct : float, optional
        The share of the two-photon drive in :math:`\Pi_u`, by parts and with :math:`\ln Q`.
    n_bath : float, optional
        Bath occupation of the thermal loss.
    """

    mean_a: complex | np.ndarray | None = _opt()
    photons: float | np.ndarray | None = _opt()
    alpha: complex | np.ndarray | None = _opt()
    wehrl: float | np.ndarray | None = _opt()
    wehrl_rate: float | np.ndarray | None = _opt()
    pi_unsplit: float | np.ndarray | None = _opt()
    entropy_rate_residual: float | np.ndarray | None = _opt()
    normalization: float | np.ndarray | None = _opt()
    current_error: float | np.ndarray | None = _opt()
    grid_shape: tuple[int, ...] | None = _opt()
    cutoff: int | np.ndarray | None = _opt()
    top_population: float | np.ndarray | None = _opt()
    moment_error: float | np.ndarray | None = _opt()
    phi_q_state: float | np.ndarray | None = _opt()
    phi_ext_state: float | np.ndarray | None = _opt()
    method: str | None = _opt()
    route: str | None = _opt()
    gaussian_gauge: float | np.ndarray | None = _opt()
    husimi_cov: np.ndarray | None = _opt()
    pair: complex | np.ndarray | None = _opt()
    pair_photons: float | np.ndarray | None = _opt()
    pi_d_one_photon: float | np.ndarray | None = _opt()
    pi_d_two_photon: float | np.ndarray | None = _opt()
    pi_d_two_photon_direct: float | np.ndarray | None = _opt()
    pi_u_coherent: float | np.ndarray | None = _opt()
    pi_u_coherent_direct: float | np.ndarray | None = _opt()
    n_bath: float | np.ndarray | None = _opt()


@dataclass(frozen=True, kw_only=True, repr=False)
class MixtureBalance(EntropyBalance):
    r"""The two-branch mixture of the Kerr model near its transition (book's two-branch picture).

    Returned by :func:`epcore.kerr.two_branch_prediction`.

    Parameters
    ----------
    pi_ext, pi_u, pi_d, phi_ext, phi_q : float or numpy.ndarray
        The terms of Eqs. (7)-(8), as in :class:`EntropyBalance`.
    p : float, optional
        Weight of the upper branch.
    log_odds : float, optional
        :math:`\ln(p/(1-p))`; ``None`` where only one branch is stable.
    alpha : complex, optional
        The mean field of the mixture, :math:`p\alpha_+ + (1-p)\alpha_-`.
    alpha_lower, alpha_upper : complex, optional
        The mean fields of the two branches.
    between : float, optional
        The mixing term :math:`2\kappa p(1-p)N|\alpha_+ - \alpha_-|^2`.
    branches : list of GaussianBalance, optional
        The Gaussian balances of the stable branches.
    """

    p: float | np.ndarray | None = _opt()
    log_odds: float | np.ndarray | None = _opt()
    alpha: complex | np.ndarray | None = _opt()
    alpha_lower: complex | np.ndarray | None = _opt()
    alpha_upper: complex | np.ndarray | None = _opt()
    between: float | np.ndarray | None = _opt()
    branches: Any = _opt()
