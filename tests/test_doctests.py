"""The Examples sections of epcore's docstrings run as doctests in the normal test run.

Every module of the package (found with :func:`pkgutil.walk_packages`, so a module moved into
a subpackage is still covered) whose docstrings hold examples is run with :mod:`doctest`; each
module is one test and must have no failure. The examples are cheap (well under a second
each) and print exact identities or rounded numbers, so they are deterministic. A last test
checks that at least ``MIN_EXAMPLES`` docstrings hold examples, so that the collection cannot
silently find none, and one checks that a wrong expected output is reported as a failure.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import epcore

PACKAGE = "epcore"
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
#: the docstrings with an Examples section when this test was written
MIN_EXAMPLES = 15
#: the widest example line the API page shows without a scroll bar (measured in Chromium:
#: an 85-character line overflowed the code box at a 768-px window)
MAX_EXAMPLE_WIDTH = 72


def _modules() -> list[str]:
    names = [PACKAGE]
    for info in pkgutil.walk_packages(epcore.__path__, prefix=PACKAGE + "."):
        names.append(info.name)
    return sorted(names)


def _tests(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    # only the docstrings defined in this module: a re-exported function is run in its home
    return [t for t in finder.find(module, name) if t.examples]


def _modules_with_examples() -> list[str]:
    return [name for name in _modules() if _tests(name)]


def _run(tests: list[doctest.DocTest]) -> doctest.TestResults:
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    for test in tests:
        runner.run(test)
    return runner.summarize(verbose=False)


@pytest.mark.parametrize("name", _modules_with_examples())
def test_module_examples(name):
    """Every example of the module gives its expected output."""
    result = _run(_tests(name))
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed"


def _too_wide(tests: list[doctest.DocTest]) -> list[str]:
    return [
        f"{t.name}: {line!r}"
        for t in tests
        for ex in t.examples
        for line in (">>> " + ex.source.rstrip("\n").replace("\n", "\n... ")).splitlines()
        + ex.want.splitlines()
        if len(line) > MAX_EXAMPLE_WIDTH
    ]


@pytest.mark.parametrize("name", _modules_with_examples())
def test_module_examples_fit_the_api_page(name):
    """No example line is wider than ``MAX_EXAMPLE_WIDTH`` characters (the page would scroll)."""
    wide = _too_wide(_tests(name))
    assert not wide, "shorten these example lines:\n" + "\n".join(wide)


def test_a_wide_example_is_reported():
    """The width check can fail: a long line is found."""
    parser = doctest.DocTestParser()
    test = parser.get_doctest(">>> x = " + "1 + " * 30 + "1\n", {}, "wide", None, 0)
    assert _too_wide([test]) and not _too_wide([parser.get_doctest(">>> 1\n1\n", {}, "n", None, 0)])


def test_enough_examples():
    """The collection finds the examples (at least ``MIN_EXAMPLES`` docstrings hold some)."""
    count = sum(len(_tests(name)) for name in _modules())
    assert count >= MIN_EXAMPLES, f"only {count} docstrings with examples found"


def test_wrong_output_fails():
    """An example whose expected output is wrong is counted as a failure."""
    parser = doctest.DocTestParser()
    good = parser.get_doctest(
        ">>> from epcore import kerr\n>>> round(kerr.critical_drive(), 6)\n0.932938\n",
        {},
        "good",
        None,
        0,
    )
    bad = parser.get_doctest(
        ">>> from epcore import kerr\n>>> round(kerr.critical_drive(), 6)\n0.932939\n",
        {},
        "bad",
        None,
        0,
    )
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    assert runner.run(good, out=lambda s: None).failed == 0
    assert runner.run(bad, out=lambda s: None).failed == 1
