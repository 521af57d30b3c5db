r"""Across :math:`G_c`: the entropy balance at :math:`N \to \infty` and at finite N, and the gap.

The questions of chapter 7, answered for the two-photon resonator:

* :func:`gaussian_scan`: the :math:`N \to \infty` balance of the fluctuations on the stable
  branch at :math:`G = rG_c` (the book's Gaussian closed forms). Below :math:`G_c` the
  fluctuations are a parametric oscillator with :math:`\omega = \Delta`, :math:`g = G` and loss
  :math:`2\kappa' D`, :math:`\kappa' = \kappa/2`; above it, on either branch, one with
  :math:`\omega = \Delta + 2Un`, :math:`g = \Gamma` and :math:`\kappa' = \kappa/2 + 2\eta n`
  (:func:`epcore.twophoton.fluctuation_matrix`), so that :math:`\Pi_u` is chapter 3's closed
  form (:func:`epcore.cavity.parametric_pi_u`) on both sides.
* :func:`exact_scan` and :func:`critical_growth`: the exact finite-N state
  (:func:`epcore.twophoton.entropy_production`) along the drive, and at :math:`G_c` against N.
* :func:`broken_phase_limit`: what the :math:`\mathbb{Z}_2`-symmetric exact state gives per unit
  N above :math:`G_c`, where it is an equal mixture of the two branches :math:`\pm\beta`.
* :func:`gap_scaling`: the gaps of the two parity sectors against N at a fixed ratio.
"""

from __future__ import annotations

import numpy as np

from ..dynamics import fit_exponential
from ..models import TwoPhotonModel, check_array, check_real
from .entropy import entropy_production
from .gap import sector_gaps
from .model import PAPER, check_drive, critical_drive, linearized_branches, mean_field

__all__ = [
    "gaussian_scan",
    "exact_scan",
    "critical_growth",
    "broken_phase_limit",
    "gap_scaling",
]


def _ratios(ratios, *, allow_critical: bool) -> np.ndarray:
    r = check_array(ratios, "the ratios G/G_c", ndim=1, minimum=0.0)
    if not allow_critical and np.any(r == 1):
        raise ValueError(
            "no mean-field branch is stable at G = G_c, so the N -> infinity balance does not "
            "exist there: leave out the ratio 1 (approach it from both sides)"
        )
    return r


def _sizes(sizes, min_size: int) -> np.ndarray:
    N = check_array(sizes, "the sizes N", ndim=1, min_size=min_size, positive=True)
    if np.any(np.diff(N) <= 0):
        raise ValueError(f"the sizes N must increase, got {N.tolist()}")
    return N


def gaussian_scan(ratios, *, model: TwoPhotonModel = PAPER) -> dict[str, np.ndarray]:
    r"""The :math:`N \to \infty` balance of the stable branch at each :math:`G = rG_c`.

    :func:`epcore.twophoton.linearized_branches`: below :math:`G_c` the symmetric state, above
    it one of the branches :math:`\pm\beta` (both give the same numbers).

    Parameters
    ----------
    ratios : array_like
        Ratios :math:`r = G/G_c \geq 0`, 1-D, without 1.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    dict
        ``ratio``, ``pi_u``, ``pi_d``, ``phi_q``, ``pi_ext`` (per unit N), ``n``
        (:math:`|\beta|^2`), ``loss_rate`` (:math:`\kappa'`) and ``fluct_photons``
        (:math:`\langle\delta a^\dagger\delta a\rangle`).

    Raises
    ------
    ValueError
        A ratio equal to 1 (no stable branch), negative or not finite.
    """
    r = _ratios(ratios, allow_critical=False)
    gc = critical_drive(model=model)
    keys = ("pi_u", "pi_d", "phi_q", "pi_ext", "n", "loss_rate", "fluct_photons")
    rows = []
    for x in r:
        b = linearized_branches(float(x * gc), model=model)[0]
        rows.append([b.pi_u, b.pi_d, b.phi_q, b.pi_ext, b.n, b.loss_rate, b.fluct_photons])
    cols = np.array(rows).T
    return {"ratio": r, **dict(zip(keys, cols, strict=True))}


def exact_scan(N: float, ratios, *, model: TwoPhotonModel = PAPER) -> dict[str, np.ndarray]:
    r"""The entropy balance of the exact finite-N steady state at each :math:`G = rG_c`.

    :func:`epcore.twophoton.entropy_production` (the complex-P state, Eq. 10 checked) at each
    ratio.

    Parameters
    ----------
    N : float
        System size; see :mod:`epcore.twophoton`.
    ratios : array_like
        Ratios :math:`r = G/G_c > 0`, 1-D.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    dict
        ``ratio``, ``pi_u``, ``pi_d``, ``phi_q``, ``pi_ext``, ``photons``
        (:math:`\langle a^\dagger a\rangle`) and ``residual`` (relative residual of Eq. 10).
    """
    r = _ratios(ratios, allow_critical=True)
    if np.any(r == 0):
        raise ValueError("at G = 0 the steady state is the vacuum and phi_q = 0: use ratios > 0")
    gc = critical_drive(model=model)
    keys = ("pi_u", "pi_d", "phi_q", "pi_ext", "photons", "residual")
    rows = []
    for x in r:
        b = entropy_production(N, float(x * gc), model=model)
        rows.append([b.pi_u, b.pi_d, b.phi_q, b.pi_ext, b.photons, b.relative_residual])
    cols = np.array(rows).T
    return {"ratio": r, **dict(zip(keys, cols, strict=True))}


def critical_growth(sizes, *, model: TwoPhotonModel = PAPER) -> dict[str, np.ndarray | float]:
    r"""The exact balance at :math:`G_c` against N, and the power laws of its growth.

    If :math:`\Pi_d \sim |G/G_c - 1|^{-\nu}` at :math:`N = \infty` and finite size cuts the
    distance off at :math:`|G/G_c - 1| \sim N^{-1/2}` (the photon number at :math:`G_c` grows
    as :math:`N^{1/2}`, as the nonlinearity :math:`U/N` balances the soft mode), then
    :math:`\Pi_d(G_c) \sim N^{\nu/2}`. The exponents are the local slopes
    :math:`d\ln\Pi_d/d\ln N` between successive sizes; ``pi_d_exponent`` is the last one.

    Parameters
    ----------
    sizes : array_like
        At least 2 increasing sizes ``> 0``.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    dict
        Arrays ``N``, ``pi_u``, ``pi_d``, ``phi_q``, ``photons``; ``local_exponent`` (of
        :math:`\Pi_d`, one fewer entry, at the geometric mean of each pair of sizes) and
        ``local_photon_exponent``; floats ``pi_d_exponent`` and ``photon_exponent`` (the
        largest sizes).
    """
    N = _sizes(sizes, 2)
    rows = [entropy_production(float(n), critical_drive(model=model), model=model) for n in N]
    out = {
        "N": N,
        "pi_u": np.array([b.pi_u for b in rows]),
        "pi_d": np.array([b.pi_d for b in rows]),
        "phi_q": np.array([b.phi_q for b in rows]),
        "photons": np.array([b.photons for b in rows]),
    }
    logs = np.diff(np.log(N))
    out["local_exponent"] = np.diff(np.log(out["pi_d"])) / logs
    out["local_photon_exponent"] = np.diff(np.log(out["photons"])) / logs
    out["N_mid"] = np.sqrt(N[1:] * N[:-1])
    out["pi_d_exponent"] = float(out["local_exponent"][-1])
    out["photon_exponent"] = float(out["local_photon_exponent"][-1])
    return out


def broken_phase_limit(g: float, *, model: TwoPhotonModel = PAPER) -> dict[str, float]:
    r"""Leading terms per unit N of the symmetric exact state above :math:`G_c`.

    Above :math:`G_c` the exact state is an equal mixture of the two branches
    :math:`\pm\beta\sqrt N`: :math:`m = \langle a\rangle = 0` but
    :math:`c = \langle a^2\rangle \approx N\beta^2` (the same on both branches). The coherent
    part of the two-photon loss still carries its flux,
    :math:`(2\eta/N)\lvert c\rvert^2 \approx 2\eta n^2 N`, but the one-photon flux
    :math:`\kappa\lvert\langle a\rangle\rvert^2` of each branch is now counted as
    fluctuation: :math:`\Phi_q \approx \kappa\langle a^\dagger a\rangle \approx \kappa n N`.
    With :math:`\Pi_u` of order 1, Eq. (10) gives :math:`\Pi_d \approx \kappa n N`: the
    entropy production of not knowing the branch.

    Parameters
    ----------
    g : float
        Two-photon drive :math:`G > G_c`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    dict
        ``n`` (:math:`|\beta|^2`), ``pi_d`` and ``phi_q`` (:math:`\kappa n`), ``pi_ext`` and
        ``phi_ext`` (:math:`2\eta n^2`): each per unit N.

    Raises
    ------
    ValueError
        ``g <= G_c`` (there is one branch, :math:`\beta = 0`), or a bad drive.
    """
    g = check_drive(g)
    if g <= critical_drive(model=model):
        raise ValueError(f"g = {g} is not above G_c = {critical_drive(model=model)}: "
                         "the symmetric state has no extensive part there")
    n = max(b.n for b in mean_field(g, model=model) if b.stable)
    return {"n": n, "pi_d": model.kappa * n, "phi_q": model.kappa * n,
            "pi_ext": 2 * model.eta * n * n, "phi_ext": 2 * model.eta * n * n}


def gap_scaling(sizes, ratio: float, *, model: TwoPhotonModel = PAPER) -> dict:
    r"""The gaps of both parity sectors against N at :math:`G = rG_c`, with two fits.

    :func:`epcore.twophoton.sector_gaps` at each size; the Liouvillian gap is fitted by a power
    law :math:`\Delta = A N^{-p}` (log-log line) and the odd-sector gap by
    :math:`B e^{-sN}` (:func:`epcore.dynamics.fit_exponential`).

    Parameters
    ----------
    sizes : array_like
        At least 3 increasing sizes ``> 0``.
    ratio : float
        :math:`r = G/G_c > 0`.
    model : TwoPhotonModel, optional
        The parameters (default the paper's); see :mod:`epcore.twophoton`.

    Returns
    -------
    dict
        Arrays ``N``, ``gap``, ``even_gap``, ``odd_gap``, ``cutoff``; floats ``power``
        (:math:`p`), ``power_prefactor``, ``power_misfit`` and ``rate`` (:math:`s`),
        ``rate_prefactor``, ``rate_misfit`` (largest relative deviation of each fit).
    """
    N = _sizes(sizes, 3)
    ratio = check_real(ratio, "the ratio G/G_c", minimum=0.0)
    if ratio == 0:
        raise ValueError("at G = 0 there is no transition to scale: use a ratio > 0")
    gc = critical_drive(model=model)
    rows = [sector_gaps(float(n), ratio * gc, model=model) for n in N]
    gap = np.array([s.gap for s in rows])
    odd = np.array([s.odd_gap for s in rows])
    slope, icept = np.polyfit(np.log(N), np.log(gap), 1)
    rate, pref, _ = fit_exponential(N, odd)
    return {
        "N": N, "gap": gap, "odd_gap": odd,
        "even_gap": np.array([s.even_gap for s in rows]),
        "cutoff": np.array([s.cutoff for s in rows]),
        "power": float(-slope), "power_prefactor": float(np.exp(icept)),
        "power_misfit": float(np.abs(np.exp(icept) * N**slope / gap - 1).max()),
        "rate": float(rate), "rate_prefactor": float(pref),
        "rate_misfit": float(np.abs(pref * np.exp(-rate * N) / odd - 1).max()),
    }
