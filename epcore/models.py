"""The parameters of the models, each set written once and checked when it is made.

A model object is a frozen dataclass: its fields are validated in the constructor, so every
function that takes ``model=`` can rely on them, and it is hashable, so results can be cached
on it. The defaults are the paper's parameters (the book's for the two-photon resonator);
``epcore.kerr.PAPER``, ``epcore.dicke.PAPER`` and ``epcore.twophoton.PAPER`` are the default
instances. Change one parameter with
:meth:`KerrModel.replace` (or :meth:`DickeModel.replace`), which validates again::

    from epcore.kerr import PAPER
    weaker = PAPER.replace(u=0.5)
"""

from __future__ import annotations

import cmath
import dataclasses
import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from .settings import settings

__all__ = [
    "ParameterSet",
    "KerrModel",
    "TwoPhotonModel",
    "DickeModel",
    "LARGEST",
    "SMALLEST",
    "MAX_INTEGER",
    "check_real",
    "check_integer",
    "check_complex",
    "check_array",
    "check_memory",
    "check_choice",
    "check_size",
    "check_drive",
    "check_couplings",
    "check_coupling",
]


#: The largest magnitude a real parameter may have. Products of a few parameters (a drive
#: squared, a photon number cubed) must stay within double precision (about 1e308); beyond
#: this, results overflow or lose every digit. Rescale the units of time instead.
LARGEST = 1e100
#: The smallest value a positive parameter (a rate, a frequency, a size) may have, for the same
#: reason: squares and cubes underflow to 0 below it, and ratios of rates overflow.
SMALLEST = 1e-100
#: The largest integer (a size, a count) accepted, 2**53, the last one a float holds exactly.
MAX_INTEGER = 2**53


def _type_name(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "the boolean"
    if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real):
        return "the complex number"
    if isinstance(value, numbers.Real):
        return "the fractional number"
    return f"a {type(value).__name__},"


def check_real(
    value: Any,
    name: str,
    *,
    minimum: float | None = None,
    positive: bool = False,
    maximum: float | None = None,
    bounded: bool = True,
    hint: str = "",
) -> float:
    """Check one real number and return it as a float.

    Accepts Python and NumPy real numbers (and 0-d real arrays); refuses strings, ``None``,
    complex numbers, arrays of several values and booleans with a TypeError, and values that
    are not finite or break a bound with a ValueError.

    Parameters
    ----------
    value : float
        The value to check.
    name : str
        How the message names the parameter, e.g. ``"the drive eps"``.
    minimum : float, optional
        Smallest allowed value (inclusive).
    positive : bool, optional
        Require ``value > 0``.
    maximum : float, optional
        Largest allowed value (inclusive).
    bounded : bool, optional
        Require a magnitude at most ``LARGEST`` and, for a positive parameter (a rate, a
        frequency, a size), at least ``SMALLEST``, where products of a few parameters stay
        within double precision (default). A tiny value of a parameter that may be zero (a
        drive, a detuning) is accepted: it acts as zero.
    hint : str, optional
        Advice appended to the message.

    Returns
    -------
    float
        The value.

    Raises
    ------
    epcore.errors.ArgumentTypeError
        If ``value`` is not a real number (a ``TypeError`` and a ``ValueError``).
    ValueError
        If it is not finite, or outside the bounds.
    """
    from .errors import ArgumentTypeError

    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ArgumentTypeError(
            f"{name} must be a real number, got {_type_name(value)} {value!r:.60}{hint}"
        )
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite, got {value!r}{hint}")
    if positive and x <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}{hint}")
    if minimum is not None and x < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}{hint}")
    if maximum is not None and x > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value!r}{hint}")
    if bounded and (abs(x) > LARGEST or (positive and x < SMALLEST)):
        raise ValueError(
            f"{name} = {value!r} is outside the magnitudes [{SMALLEST:g}, {LARGEST:g}] in which "
            f"products of parameters stay within double precision: rescale the units{hint}"
        )
    return x


def check_integer(
    value: Any, name: str, *, minimum: int | None = None, maximum: int | None = None,
    hint: str = "",
) -> int:
    """Check one integer (a size, a cutoff, a count) and return it as an ``int``.

    A float with an integral value (``4.0``) is accepted; a fractional one (``4.7``) is refused,
    never truncated.

    Parameters
    ----------
    value : int
        The value to check.
    name : str
        How the message names the parameter.
    minimum : int, optional
        Smallest allowed value.
    maximum : int, optional
        Largest allowed value.
    hint : str, optional
        Advice appended to the message.

    Returns
    -------
    int
        The value.

    Raises
    ------
    epcore.errors.ArgumentTypeError
        If ``value`` is not an integer (a ``TypeError`` and a ``ValueError``).
    ValueError
        If it breaks a bound.
    """
    from .errors import ArgumentTypeError

    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)):
        raise ArgumentTypeError(f"{name} must be an integer, got the boolean {value!r}{hint}")
    if isinstance(value, numbers.Integral):
        k = int(value)
    elif isinstance(value, numbers.Real) and math.isfinite(float(value)) and float(value) == int(
        value
    ):
        k = int(value)
    else:
        raise ArgumentTypeError(
            f"{name} must be an integer, got {_type_name(value)} {value!r:.60} (a number is "
            f"never rounded to an integer){hint}"
        )
    if abs(k) > MAX_INTEGER:
        raise ValueError(f"{name} = {value!r} exceeds 2**53, beyond any size this code can hold")
    if minimum is not None and k < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}{hint}")
    if maximum is not None and k > maximum:
        raise ValueError(f"{name} must be an integer <= {maximum}, got {value!r}{hint}")
    return k


def check_complex(value: Any, name: str, *, bounded: bool = True, hint: str = "") -> complex:
    """Check one complex (or real) number and return it as a ``complex``.

    Parameters
    ----------
    value : complex
        The value to check.
    name : str
        How the message names the parameter.
    bounded : bool, optional
        Require the real and imaginary parts to have magnitudes below ``LARGEST`` and, when
        nonzero, above ``SMALLEST`` (default).
    hint : str, optional
        Advice appended to the message.

    Returns
    -------
    complex
        The value.

    Raises
    ------
    epcore.errors.ArgumentTypeError
        If ``value`` is not a number.
    ValueError
        If it is not finite or out of bounds.
    """
    from .errors import ArgumentTypeError

    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Complex):
        raise ArgumentTypeError(
            f"{name} must be a number, got {_type_name(value)} {value!r:.60}{hint}"
        )
    z = complex(value)
    if not cmath.isfinite(z):
        raise ValueError(f"{name} must be finite, got {value!r}{hint}")
    for part in (z.real, z.imag):
        if bounded and part != 0 and not SMALLEST <= abs(part) <= LARGEST:
            raise ValueError(
                f"{name} = {value!r} has a part outside the magnitudes [{SMALLEST:g}, "
                f"{LARGEST:g}] in which products stay within double precision{hint}"
            )
    return z


def check_array(
    value: Any,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    min_size: int = 1,
    complex_ok: bool = False,
    minimum: float | None = None,
    positive: bool = False,
    bounded: bool = False,
    hint: str = "",
) -> np.ndarray:
    """Check an array of real (or complex) finite numbers and return it as a NumPy array.

    Parameters
    ----------
    value : array_like
        The values to check.
    name : str
        How the message names the parameter.
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions; any when ``None``.
    min_size : int, optional
        Smallest number of elements (default 1: empty arrays are refused).
    complex_ok : bool, optional
        Accept complex values (returned as ``complex``; otherwise ``float``).
    minimum : float, optional
        Smallest allowed value of every element.
    positive : bool, optional
        Require every element to be ``> 0``.
    bounded : bool, optional
        Require every nonzero magnitude within ``[SMALLEST, LARGEST]``.
    hint : str, optional
        Advice appended to the message.

    Returns
    -------
    numpy.ndarray
        A float (or complex) array.

    Raises
    ------
    epcore.errors.ArgumentTypeError
        If the values are not numbers (strings, ``None``, ragged lists) or are complex where
        reals are meant.
    ValueError
        If the shape, the size or a value is not allowed.
    """
    from .errors import ArgumentTypeError

    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        raise ArgumentTypeError(
            f"{name} must be an array of numbers, got {value!r:.60}{hint}"
        ) from None
    if arr.dtype.kind not in "iufc":
        raise ArgumentTypeError(f"{name} must be an array of numbers, got {value!r:.60}{hint}")
    if arr.dtype.kind == "c" and not complex_ok:
        raise ArgumentTypeError(f"{name} must be real, got complex values{hint}")
    arr = arr.astype(complex if arr.dtype.kind == "c" else float, copy=False)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            raise ValueError(
                f"{name} must have {' or '.join(map(str, allowed))} dimension(s), "
                f"got shape {arr.shape}{hint}"
            )
    if arr.size < min_size:
        raise ValueError(f"{name} must hold at least {min_size} value(s), got {arr.size}{hint}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got a non-finite value{hint}")
    if positive and np.any(arr.real <= 0):
        raise ValueError(f"{name} must be > 0, got {arr[arr.real <= 0].ravel()[:3].tolist()}{hint}")
    if minimum is not None and np.any(arr.real < minimum):
        bad = arr[arr.real < minimum].ravel()[:3].tolist()
        raise ValueError(f"{name} must be >= {minimum}, got {bad}{hint}")
    if bounded:
        mag = np.abs(arr)
        if np.any((mag != 0) & ((mag < SMALLEST) | (mag > LARGEST))):
            raise ValueError(
                f"{name} has values outside the magnitudes [{SMALLEST:g}, {LARGEST:g}] in which "
                f"products stay within double precision: rescale the units{hint}"
            )
    return arr


def check_memory(
    needed: float, what: str, *, fits: str = "", limit: float | None = None
) -> None:
    """Refuse a request whose estimated memory exceeds ``epcore.settings.memory_limit``.

    Call it with an estimate before allocating; nothing large has been built when it raises.

    Parameters
    ----------
    needed : float
        Estimated bytes the request would allocate.
    what : str
        What would be built, with its size, e.g. ``"a 3000-level steady state"``.
    fits : str, optional
        The largest size that would fit, in the caller's terms, e.g. ``"d <= 400"``.
    limit : float, optional
        A tighter limit in bytes of the caller (the smaller of it and
        ``epcore.settings.memory_limit`` applies); by default the setting, read at each call so
        that a change of ``epcore.settings.memory_limit`` takes effect at once.

    Raises
    ------
    epcore.errors.MemoryLimitError
        If ``needed`` exceeds the limit (or is not finite).
    """
    from .errors import MemoryLimitError

    limit = settings.memory_limit if limit is None else min(limit, settings.memory_limit)
    if not (needed <= limit):
        need_txt = f"{needed / 1e9:.3g} GB" if math.isfinite(needed) else "unboundedly much"
        more = f"; what fits is {fits}" if fits else ""
        err = MemoryLimitError(
            f"{what} would need about {need_txt}, more than the memory limit of "
            f"{limit / 1e9:.3g} GB (epcore.settings.memory_limit; raise it on a larger machine); "
            f"nothing was allocated{more}"
        )
        err.needed, err.limit = float(needed), float(limit)
        raise err


def check_choice(value: Any, name: str, choices: tuple) -> Any:
    """Check that an option is one of a fixed set of choices.

    Parameters
    ----------
    value : object
        The option given, e.g. a method name.
    name : str
        What it is, for the message (e.g. ``"method"``).
    choices : tuple
        The allowed values, the default first by convention.

    Returns
    -------
    object
        ``value`` unchanged.

    Raises
    ------
    ValueError
        If ``value`` is not one of ``choices``; the message lists them.
    """
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return value


def check_size(N: Any) -> float:
    """Check the system size :math:`N` of the Kerr model, a positive real number.

    Parameters
    ----------
    N : float
        The size.

    Returns
    -------
    float
        ``N``.

    Raises
    ------
    epcore.errors.ArgumentTypeError
        If ``N`` is not a real number.
    ValueError
        If it is not finite and > 0, or out of the representable magnitudes.
    """
    return check_real(N, "the size N", positive=True, hint=" (E = eps sqrt(N))")


def check_drive(eps: Any) -> float:
    """Check a drive per unit size :math:`\\epsilon` (a real number >= 0).

    Parameters
    ----------
    eps : float
        The drive.

    Returns
    -------
    float
        ``eps``.

    Raises
    ------
    epcore.errors.ArgumentTypeError
        If ``eps`` is not a real number.
    ValueError
        If it is not finite and >= 0, or out of the representable magnitudes.
    """
    return check_real(eps, "the drive eps", minimum=0.0, hint=" (E = eps sqrt(N))")


def check_couplings(lam: Any) -> np.ndarray:
    """Check Dicke couplings :math:`\\lambda` (a number or a 1-D array, finite and >= 0).

    Parameters
    ----------
    lam : float or array_like
        The couplings.

    Returns
    -------
    numpy.ndarray
        A 1-D float array (size 1 for a number).

    Raises
    ------
    epcore.errors.ArgumentTypeError
        If the couplings are not real numbers.
    ValueError
        If one is negative or not finite, or the array has more than one dimension or no
        element.
    epcore.errors.IllConditionedError
        If one is above ``MAX_COUPLING``.
    """
    arr = np.atleast_1d(check_array(lam, "the coupling lam", ndim=(0, 1), minimum=0.0))
    _check_coupling_magnitude(float(arr.max()))
    return arr


def check_coupling(lam: Any, where: str = "") -> float:
    """Check one Dicke coupling :math:`\\lambda` (a real number, finite and >= 0).

    Parameters
    ----------
    lam : float
        The coupling.
    where : str, optional
        The function that takes it, named in the message when an array is passed.

    Returns
    -------
    float
        ``lam``.

    Raises
    ------
    epcore.errors.ArgumentTypeError
        If ``lam`` is not a real number.
    ValueError
        If it is negative or not finite, or an array of several couplings.
    epcore.errors.IllConditionedError
        If it is above ``MAX_COUPLING``.
    """
    if isinstance(lam, (list, tuple, np.ndarray)) and np.size(lam) != 1:
        raise ValueError(f"{where or 'this function'} takes one coupling; use sweep() for arrays")
    if isinstance(lam, (list, tuple, np.ndarray)):
        lam = np.asarray(lam).reshape(())
    lam = check_real(lam, "the coupling lam", minimum=0.0, bounded=False,
                     hint=" (the model is symmetric under lam -> -lam)")
    _check_coupling_magnitude(lam)
    return lam


#: The largest Dicke coupling accepted, since the drift holds :math:`\lambda^2`, which must
#: stay within double precision. Below it the Dicke routines judge a coupling by the
#: conditioning of their solves (and raise ``IllConditionedError`` where it fails).
MAX_COUPLING = 1e150


def _check_coupling_magnitude(lam: float) -> None:
    from .errors import IllConditionedError

    if lam > MAX_COUPLING:
        raise IllConditionedError(
            f"the coupling lam = {lam:g} is above MAX_COUPLING = {MAX_COUPLING:g}, where lam**2 "
            "overflows double precision: lower lam (below about 1e150), or rescale the units"
        )


class ParameterSet:
    """What both model classes share: every field checked in the constructor, and ``replace``.

    Subclasses are frozen dataclasses whose fields are real numbers, set by these two class
    attributes.

    Attributes
    ----------
    _POSITIVE : tuple of str
        The fields that must also be positive.
    _HINTS : dict
        Advice appended to the error message of a field.
    """

    _POSITIVE: tuple[str, ...] = ()
    _HINTS: dict[str, str] = {}

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = check_real(
                getattr(self, f.name),
                f.name,
                positive=f.name in self._POSITIVE,
                hint=self._HINTS.get(f.name, ""),
            )
            object.__setattr__(self, f.name, value)

    def replace(self, **changes: float):
        """Return a copy with some parameters changed, validated like a new model.

        Parameters
        ----------
        **changes : float
            New values of fields of the model, by name.

        Returns
        -------
        KerrModel or DickeModel
            A new model of the same class.

        Raises
        ------
        ValueError
            If a name is not a parameter of the model or a value is invalid.
        """
        names = {f.name for f in dataclasses.fields(self)}  # type: ignore[arg-type]
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ValueError(
                f"{type(self).__name__} has no parameter {unknown[0]!r}; "
                f"its parameters are {sorted(names)}"
            )
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]


@dataclass(frozen=True)
class KerrModel(ParameterSet):
    r"""The Kerr bistability model, Eq. (11) of the paper, with photon losses.

    One driven, lossy mode with Hamiltonian (Eq. 11 plus the drive of Eq. 2)

    .. math::

        H = \Delta a^\dagger a + \frac{u}{2N} a^{\dagger 2} a^2
            + i E (a^\dagger - a), \qquad E = \epsilon\sqrt{N},

    and losses :math:`2\kappa D[a]` (Eq. B1). The size :math:`N` and the drive
    :math:`\epsilon` are arguments of the functions, not of the model.

    Parameters
    ----------
    kappa : float
        Loss rate :math:`\kappa > 0`; the paper's Fig. 2 uses 1/2.
    delta : float
        Detuning :math:`\Delta` of the cavity from the drive; the paper uses -2. Bistability
        needs :math:`\Delta < -\sqrt{3}\,\kappa`.
    u : float
        Kerr nonlinearity :math:`u > 0`; the paper uses 1.
    """

    kappa: float = 0.5
    delta: float = -2.0
    u: float = 1.0

    _POSITIVE = ("kappa", "u")


@dataclass(frozen=True)
class TwoPhotonModel(ParameterSet):
    r"""The two-photon-driven Kerr resonator, with one- and two-photon losses.

    One mode with Hamiltonian and loss operators (the convention of Minganti, Biella, Bartolo
    and Ciuti 2018 and of Bartolo et al. 2016)

    .. math::

        H = \Delta a^\dagger a + \frac{U}{2N} a^{\dagger 2} a^2
            + \frac{G}{2}(a^{\dagger 2} + a^2),
        \qquad L_1 = \sqrt{\kappa}\, a, \quad L_2 = \sqrt{\eta/N}\, a^2,

    i.e. the dissipator :math:`\kappa D[a] + (\eta/N) D[a^2]`. The one-photon loss is
    :math:`\kappa D[a]`, half the rate of the book's :math:`2\kappa D[a]` convention: the field
    amplitude decays at :math:`\kappa/2`. The size :math:`N` and the two-photon drive
    :math:`G` are arguments of the functions, not of the model.

    Parameters
    ----------
    kappa : float
        One-photon loss rate :math:`\kappa > 0`; the book uses 1.
    delta : float
        Detuning :math:`\Delta` of the cavity from half the pump frequency; the book uses 0.
    u : float
        Kerr nonlinearity :math:`U`; the book uses 1.
    eta : float
        Two-photon loss rate :math:`\eta \geq 0`; the book uses 1.

    Raises
    ------
    ValueError
        If a parameter is not finite, ``kappa`` is not positive, ``eta`` is negative, or
        ``eta`` and ``u`` are both zero (no nonlinearity bounds the field above the critical
        drive).
    """

    kappa: float = 1.0
    delta: float = 0.0
    u: float = 1.0
    eta: float = 1.0

    _POSITIVE = ("kappa",)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.eta < 0:
            raise ValueError(f"eta must be >= 0, got {self.eta!r} (a two-photon loss rate)")
        if self.eta == 0 and self.u == 0:
            raise ValueError(
                "eta = u = 0 leaves a linear parametric oscillator, whose field grows without "
                "bound above the critical drive: give eta > 0 or u != 0"
            )


@dataclass(frozen=True)
class DickeModel(ParameterSet):
    r"""The driven-dissipative Dicke model, Eq. (12) of the paper (App. C).

    A cavity mode :math:`a` of frequency :math:`\omega` with losses :math:`2\kappa D[a]`,
    coupled with strength :math:`\lambda` to a macrospin of :math:`N` two-level atoms of
    frequency :math:`\omega_0`. After the Holstein-Primakoff expansion the spin fluctuation
    mode :math:`\delta b` gets a small loss :math:`2\gamma D[\delta b]` (Eq. C20) that makes
    the Gaussian steady state exist. The coupling :math:`\lambda` is an argument of the
    functions, not of the model.

    Parameters
    ----------
    omega0 : float
        Atomic frequency :math:`\omega_0 > 0`; the paper's Fig. 3 uses 0.005.
    omega : float
        Cavity frequency :math:`\omega > 0`; the paper uses 0.01.
    kappa : float
        Cavity loss rate :math:`\kappa > 0`; the paper uses 1.
    gamma : float
        Loss rate :math:`\gamma > 0` of the spin fluctuations (Eq. C20); the paper's Fig. 3
        uses :math:`10^{-3}\kappa`, "simply to ensure numerical stability" (App. C).

    Raises
    ------
    ValueError
        If a parameter is not finite and positive, or two rates differ by more than
        ``MAX_RATE_RATIO`` (1e12).
    """

    omega0: float = 0.005
    omega: float = 0.01
    kappa: float = 1.0
    gamma: float = 1e-3

    _POSITIVE = ("omega0", "omega", "kappa", "gamma")
    #: The largest ratio of two rates of the model; beyond it the Gaussian steady state
    #: (occupations of order kappa^2 / (omega omega0)) has no digit left in double precision.
    MAX_RATE_RATIO = 1e12

    def __post_init__(self) -> None:
        super().__post_init__()
        rates = [self.omega0, self.omega, self.kappa, self.gamma]
        if max(rates) / min(rates) > self.MAX_RATE_RATIO:
            raise ValueError(
                f"the rates omega0, omega, kappa, gamma = {rates} span a ratio "
                f"{max(rates) / min(rates):.3g} > MAX_RATE_RATIO = {self.MAX_RATE_RATIO:g}: the "
                "Gaussian steady state cannot be resolved in double precision there"
            )

    _HINTS = {
        "gamma": (
            ": the stabilizing loss on delta b (Eq. C20) is needed for a Gaussian steady "
            "state; use a small value such as 1e-3"
        )
    }
