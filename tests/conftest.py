"""What the tests share: the skip-or-fail rule of the tests that need a built book or a tool.

A test that needs something the machine may not have (the built book, Chromium, otter-grader)
skips with the reason when it is missing, so that ``python -m pytest`` passes on a fresh
checkout before the book is built. ``.ci/run`` builds everything and sets the variables of
:data:`REQUIRED` to ``1``; there a missing piece is a failure, not a skip. The fixture
:func:`skip_or_fail` applies the rule.

Markers (registered in ``pyproject.toml``):

* ``book``: the test builds a book (the small one of ``book_fixture.py``) or reads the built
  book, its editions or its PDF in ``_build/``;
* ``slow``: the test takes more than about 5 s.

``python -m pytest -m "not book and not slow"`` is the quick run while editing; the README's
``python -m pytest -n 2`` runs everything on two processes (pytest-xdist, ``--dist loadfile``
from ``pyproject.toml``: the tests of one file stay in one process, so a module's expensive
fixture, a built fixture book or a Dask cluster, is made once).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import NoReturn

import pytest

#: what a test needs -> the environment variable that makes its absence a failure
REQUIRED = {
    "build": "EPBOOK_REQUIRE_BUILD",  # the built book, its student edition and PDF
    "browser": "EPBOOK_REQUIRE_BROWSER",  # Chromium, Playwright and the local MathJax
    "grader": "EPBOOK_REQUIRE_GRADER",  # otter-grader
}


def skip_or_fail_now(reason: str, *needs: str) -> NoReturn:
    """Skip the running test with ``reason``, or fail it when one of ``needs`` is required.

    ``needs`` are keys of :data:`REQUIRED`; the test fails when the variable of any of them is
    ``1`` in the environment, and skips otherwise.
    """
    unknown = set(needs) - set(REQUIRED)
    if not needs or unknown:
        raise ValueError(f"needs must be among {sorted(REQUIRED)}, not {sorted(unknown)}")
    required = [REQUIRED[need] for need in needs if os.environ.get(REQUIRED[need]) == "1"]
    if required:
        pytest.fail(f"required ({', '.join(f'{v}=1' for v in required)}) but cannot run: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def skip_or_fail() -> Callable[..., NoReturn]:
    """``skip_or_fail(reason, *needs)``: skip, or fail when required (:func:`skip_or_fail_now`)."""
    return skip_or_fail_now
