r"""Answer checks for the book's exercises.

Each exercise with a numeric or closed-form answer has an entry in the data file
``epcore/data/answers.json`` (shipped with the package, not shown in the book): the expected
value, the tolerance within which an answer counts as *right*, and a wider one within which it
counts as *close* (a rounding, a sign convention or a truncation away). In a chapter, the cell
after such an exercise reads::

    answer = ...  # your value
    exercises.check("ex-wehrl-fock", answer)

:func:`check` prints the exercise and its verdict, never the expected value, and never raises
on a missing answer (``...`` or ``None``), so a notebook with no answers filled in still runs
top to bottom.
:func:`verdict` returns the classification without printing, for graders and tests.

A value ``v`` is right when ``abs(v - a) <= atol + rtol * abs(a)`` for the expected ``a``, and
close under the same rule with ``close_rtol`` and ``close_atol``; answers that are lists are
compared element by element, and all elements must pass.
"""

from __future__ import annotations

import json
import math
import textwrap
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Answer", "answers", "check", "classify", "labels", "parse_answers", "verdict"]

#: the four classifications :func:`verdict` returns
VERDICTS = ("right", "close", "wrong", "missing")

_MESSAGES = {
    "right": "right",
    "close": "close, but not within the tolerance: check rounding, a factor or a truncation",
    "wrong": "wrong: not even close; look at the hint or the solution",
    "missing": "no answer yet (replace ... with your value)",
}


@dataclass(frozen=True)
class Answer:
    """The stored answer of one exercise.

    Attributes
    ----------
    label : str
        The exercise's label in the book, e.g. ``"ex-wehrl-fock"``.
    value : tuple of float
        The expected value (one element for a scalar answer).
    rtol, atol : float
        Relative and absolute tolerance of a right answer.
    close_rtol, close_atol : float
        Relative and absolute tolerance of a close answer (wider).
    quantity : str
        What the answer is, in words (shown by :func:`check`).
    scalar : bool
        Whether the answer is a single number rather than a list.
    """

    label: str
    value: tuple[float, ...]
    rtol: float
    atol: float
    close_rtol: float
    close_atol: float
    quantity: str
    scalar: bool


def _answer(label: str, entry: dict) -> Answer:
    value = entry["value"]
    scalar = not isinstance(value, list)
    return Answer(
        label=label,
        value=(float(value),) if scalar else tuple(float(v) for v in value),
        rtol=float(entry.get("rtol", 0.0)),
        atol=float(entry.get("atol", 0.0)),
        close_rtol=float(entry.get("close_rtol", 0.0)),
        close_atol=float(entry.get("close_atol", 0.0)),
        quantity=str(entry.get("quantity", "")),
        scalar=scalar,
    )


def parse_answers(raw: dict) -> dict[str, Answer]:
    """Answers from the parsed JSON of an answers file (``epcore/data/answers.json`` or a key).

    Parameters
    ----------
    raw : dict
        Label to entry (``value``, ``rtol``, ``atol``, ``close_rtol``, ``close_atol``,
        ``quantity``); keys starting with ``_`` are comments and are skipped.

    Returns
    -------
    dict
        Keyed by exercise label.
    """
    return {label: _answer(label, entry) for label, entry in raw.items()
            if not label.startswith("_")}


@cache
def answers() -> dict[str, Answer]:
    """All stored answers, read from the package's ``data/answers.json``.

    Returns
    -------
    dict
        Keyed by exercise label.
    """
    text = resources.files("epcore").joinpath("data", "answers.json").read_text("utf-8")
    return parse_answers(json.loads(text))


def labels() -> list[str]:
    """Labels of the exercises that have a stored answer, sorted.

    Returns
    -------
    list of str
        The labels.
    """
    return sorted(answers())


def _lookup(label: str) -> Answer:
    try:
        return answers()[label]
    except KeyError:
        raise ValueError(
            f"no stored answer for {label!r}; the checkable exercises are: "
            + ", ".join(labels())
        ) from None


def _as_numbers(value) -> tuple[float, ...] | None:
    """The value as a tuple of finite floats, or None if it cannot be read as numbers."""
    try:
        if hasattr(value, "tolist"):  # numpy scalars and arrays
            value = value.tolist()
        items = list(value) if isinstance(value, list | tuple) else [value]
        numbers = []
        for item in items:
            if isinstance(item, complex):
                if abs(item.imag) > 1e-12 * max(1.0, abs(item.real)):
                    return None
                item = item.real
            numbers.append(float(item))
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(x) for x in numbers):
        return None
    return tuple(numbers)


def _within(values, expected, rtol: float, atol: float) -> bool:
    return all(abs(v - a) <= atol + rtol * abs(a) for v, a in zip(values, expected, strict=True))


def verdict(label: str, value) -> str:
    """Classify an answer as ``"right"``, ``"close"``, ``"wrong"`` or ``"missing"``.

    Parameters
    ----------
    label : str
        The exercise's label, e.g. ``"ex-kerr-stability"``.
    value : object
        The answer; ``...`` (the placeholder of the book's cells) or ``None`` is ``"missing"``.
        A list answer must have the stored number of elements, in the order the exercise asks.

    Returns
    -------
    str
        One of ``VERDICTS``. A value that cannot be read as finite real numbers, or a list
        of the wrong length, is ``"wrong"``.

    Raises
    ------
    ValueError
        If ``label`` has no stored answer.
    """
    return classify(_lookup(label), value)


def classify(answer: Answer, value) -> str:
    """Classify a value against one stored answer (the rule of :func:`verdict`).

    Parameters
    ----------
    answer : Answer
        The expected value and its tolerances, e.g. from :func:`parse_answers` on a grader's key.
    value : object
        The answer to classify.

    Returns
    -------
    str
        One of ``VERDICTS``.
    """
    ans = answer
    if value is None or value is Ellipsis:
        return "missing"
    numbers = _as_numbers(value)
    if numbers is None or len(numbers) != len(ans.value):
        return "wrong"
    if _within(numbers, ans.value, ans.rtol, ans.atol):
        return "right"
    if _within(numbers, ans.value, max(ans.close_rtol, ans.rtol), max(ans.close_atol, ans.atol)):
        return "close"
    return "wrong"


def check(label: str, value) -> None:
    """Print whether an answer to an exercise is right, close or wrong, without the answer.

    Parameters
    ----------
    label : str
        The exercise's label, e.g. ``"ex-wehrl-fock"``.
    value : object
        The answer; ``...`` or ``None`` prints "no answer yet" (a notebook with the placeholders
        still runs top to bottom).

    Returns
    -------
    None
        The verdict is printed; use :func:`verdict` to get it as a string.

    Raises
    ------
    ValueError
        If ``label`` has no stored answer (a mistake in the book, not in the answer).
    """
    result = verdict(label, value)
    ans = _lookup(label)
    what = f" ({ans.quantity})" if ans.quantity else ""
    extra = ""
    if result == "wrong" and not ans.scalar:
        numbers = _as_numbers(value)
        if numbers is None or len(numbers) != len(ans.value):
            extra = f" [expected a list of {len(ans.value)} numbers]"
    # the exercise wrapped, the verdict on a line of its own: a notebook shows printed text
    # unbroken, and the book's text column holds about 70 characters
    print(textwrap.fill(f"{label}{what}:", width=70))
    print(f"  {_MESSAGES[result]}{extra}")
