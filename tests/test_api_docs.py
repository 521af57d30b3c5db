"""The public API of epcore passes numpydoc's validation, plus two rules of the book's own.

numpydoc's checks are configured in ``[tool.numpydoc_validation]`` of ``pyproject.toml`` (read
with numpydoc's own :func:`numpydoc.hooks.validate_docstrings.parse_config`): among them PR01
(a parameter not documented), PR02 (a documented parameter not in the signature), RT01 (no
Returns section), GL08 (no docstring) and SS01 (no summary). They run through
:func:`numpydoc.validate.validate` on the imported objects, as Sphinx's
``numpydoc_validation_checks`` does, so dataclass constructors, properties and the docstrings
that :func:`epcore.figures.register` writes are seen as the API page shows them. The public
objects are the ``__all__`` of every public module (found with :func:`pkgutil.walk_packages`),
or else its names not starting with ``_`` defined there, with the public methods and properties
of its classes.

The book's own rules keep the API page readable without workarounds in the Sphinx build: no
bare ``|`` outside literals, roles and directive blocks (reST reads it as a substitution), and
no ``#:`` comment or property docstring whose first line has a colon outside literals (napoleon
reads ``word: text`` as ``type: description``).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import sys
import textwrap
import warnings
from functools import cached_property
from pathlib import Path

import pytest
from numpydoc.docscrape import get_doc_object
from numpydoc.hooks.validate_docstrings import AstValidator, parse_config, run_hook
from numpydoc.validate import validate

ROOT = Path(__file__).resolve().parent.parent
CONFIG = parse_config(ROOT)  # [tool.numpydoc_validation] of pyproject.toml
# spans in which a bar or a colon is literal text: ``code``, :role:`text` and `text`
_SPANS = re.compile(r"``.+?``|(?::[\w:+-]+:)?`[^`]+`")


def public_modules(package: str = "epcore") -> list[str]:
    """Names of the package and of every module and subpackage under it, private ones skipped."""
    root = importlib.import_module(package)
    names = [package] + [
        info.name for info in pkgutil.walk_packages(root.__path__, prefix=package + ".")
    ]
    return sorted(n for n in names if not any(p.startswith("_") for p in n.split(".")))


def public_objects(module) -> list[tuple[str, object]]:
    """``(qualified name, object)`` of the module, its public functions and classes, and the
    public methods and properties of those classes (re-exports are checked in their home)."""
    names = getattr(module, "__all__", None) or [
        n for n, obj in vars(module).items()
        if not n.startswith("_") and getattr(obj, "__module__", None) == module.__name__
    ]
    found = [(module.__name__, module)]
    for name in names:
        obj = getattr(module, name)
        is_function = inspect.isroutine(obj) or (callable(obj) and hasattr(obj, "__wrapped__"))
        if not (inspect.isclass(obj) or is_function):
            continue
        home = getattr(obj, "__module__", None) or module.__name__
        if home != module.__name__ and not any(p.startswith("_") for p in home.split(".")):
            continue
        where = f"{home}.{getattr(obj, '__qualname__', name)}"
        found.append((where, obj))
        for attr, member in vars(obj).items() if inspect.isclass(obj) else ():
            if isinstance(member, property | cached_property):
                found.append((f"{where}.{attr}", member))
            elif isinstance(member, classmethod):  # the function: numpydoc checks its Returns
                found.append((f"{where}.{attr}", member.__func__))
            elif isinstance(member, staticmethod) or inspect.isfunction(member):
                found.append((f"{where}.{attr}", getattr(obj, attr)))
    return found


def numpydoc_errors(where: str, obj, config: dict = CONFIG) -> list[str]:
    """numpydoc's findings for ``obj``, filtered as ``numpydoc lint`` filters them."""
    if config["exclude"] and config["exclude"].search(where):
        return []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        if inspect.ismodule(obj):
            # numpydoc 1.11's import-based Validator fails (StopIteration) on a module without a
            # def or class line; its lint validator reads the module docstring from the source
            source = Path(obj.__file__).read_text()
            report = validate(where, AstValidator, ast_node=ast.parse(source),
                              filename=obj.__file__, ancestry=[])
        else:
            report = validate(get_doc_object(obj))
    doc = report["docstring"] or ""
    errors = [
        f"{where}: {code} {message}"
        for code, message in report["errors"]
        if code in config["checks"]
        and not (code in config["overrides"] and config["overrides"][code].search(doc))
    ]
    return errors + [f"{where}: numpydoc warns: {w.message}" for w in caught
                     if issubclass(w.category, UserWarning)]


def bare_bars(doc: str) -> list[str]:
    """Lines of ``doc`` with a ``|`` outside literals, roles, tables and directive blocks."""
    bad, in_block, block_indent = [], False, 0
    for line in doc.splitlines():
        indent = len(line) - len(line.lstrip())
        if in_block and line.strip() and indent <= block_indent:
            in_block = False
        if in_block:
            continue
        if line.rstrip().endswith("::"):
            in_block, block_indent = True, indent
        if line.lstrip().startswith(("|", "+")):  # table or line block
            continue
        if "|" in _SPANS.sub("", line):
            bad.append(line.strip())
    return bad


def colon_in_first_line(text: str) -> bool:
    """True when the first line has a colon outside literals (napoleon's ``type: text``)."""
    lines = text.strip().splitlines()
    return bool(lines) and ":" in _SPANS.sub("", lines[0])


def book_rule_errors(module) -> list[str]:
    """Bare bars in docstrings; a colon in the first line of a property docstring or of the
    ``#:`` comment of a module constant."""
    from sphinx.pycode import ModuleAnalyzer

    problems = []
    for where, obj in public_objects(module):
        if isinstance(obj, property | cached_property):
            text = (obj.fget if isinstance(obj, property) else obj.func).__doc__ or ""
            if colon_in_first_line(text):
                problems.append(f"{where}: colon in the first line of a property docstring")
        problems += [f"{where}: bare '|' in {line!r}" for line in bare_bars(
            inspect.cleandoc(getattr(obj, "__doc__", None) or ""))]
    try:
        docs = ModuleAnalyzer.for_module(module.__name__).find_attr_docs()
    except Exception:  # no source (compiled or generated module): nothing to read
        docs = {}
    for (scope, name), lines in docs.items():
        if scope == "" and not name.startswith("_") and colon_in_first_line("\n".join(lines)):
            problems.append(f"{module.__name__}.{name}: colon in the first line of its #: comment")
    return problems


def test_epcore_passes_numpydoc_validation():
    problems = [
        error
        for name in public_modules()
        for where, obj in public_objects(importlib.import_module(name))
        for error in numpydoc_errors(where, obj)
    ]
    assert not problems, f"{len(problems)} numpydoc finding(s):\n" + "\n".join(problems)


def test_epcore_follows_the_book_rules():
    problems = [p for name in public_modules() for p in book_rule_errors(
        importlib.import_module(name))]
    assert not problems, f"{len(problems)} docstring problem(s):\n" + "\n".join(problems)


# ------------------------------------------------------------------ the checks themselves

_FAKE = '''
"""A fake module with one good and several bad docstrings."""

from dataclasses import dataclass

__all__ = ["good", "undocumented", "wrong_names", "bars", "Result", "Record"]

#: tolerance of the check
GOOD_TOL = 1e-9
#: BAD_TOL: a colon napoleon would read as a type
BAD_TOL = 1e-3


def good(x: float, *args: int, scale: float = 1.0, **options: str) -> float:
    """Scale a number (Eq. 1).

    Parameters
    ----------
    x : float
        The number, :math:`|x|^2` finite.
    *args : int
        Ignored.
    scale : float, optional
        Factor.
    **options : str
        Ignored.

    Returns
    -------
    float
        ``|x|`` times ``scale``.
    """
    return abs(x) * scale


def undocumented(x, y):
    """Add two numbers."""
    return x + y


def wrong_names(x: float, y: float) -> None:
    """Print two numbers.

    Parameters
    ----------
    x, z : float
        The numbers.
    """


def bars(x: float) -> None:
    """Print the absolute value |x| of x.

    Parameters
    ----------
    x : float
        A number.
    """


@dataclass
class Result:
    """A result.

    Parameters
    ----------
    value : float
        The value.
    """

    value: float
    error: float

    @property
    def ratio(self) -> float:
        """ratio: error over value."""
        return self.error / self.value

    def scaled(self, factor):
        """Scale the value."""
        return self.value * factor


@dataclass
class Record:
    """A record documented by its attributes.

    Attributes
    ----------
    value : float
        The value.
    """

    value: float
'''


@pytest.fixture
def fake_module(tmp_path, monkeypatch):
    (tmp_path / "fake_api_module.py").write_text(textwrap.dedent(_FAKE))
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("fake_api_module", None)
    yield importlib.import_module("fake_api_module")
    sys.modules.pop("fake_api_module", None)


def test_numpydoc_with_the_configuration_reports_each_planted_problem(fake_module):
    problems = [e for w, obj in public_objects(fake_module) for e in numpydoc_errors(w, obj)]
    codes = sorted({re.match(r"(\S+): (\w+)", p).groups() for p in problems})
    # nothing about the good function or the record documented by its Attributes (override)
    assert codes == [
        ("fake_api_module.Result", "PR01"),  # error: the constructor's, not documented
        ("fake_api_module.Result.ratio", "SS02"),  # "ratio: ..." starts in lower case
        ("fake_api_module.Result.scaled", "PR01"),
        ("fake_api_module.Result.scaled", "RT01"),
        ("fake_api_module.undocumented", "PR01"),
        ("fake_api_module.undocumented", "RT01"),
        ("fake_api_module.wrong_names", "PR01"),
        ("fake_api_module.wrong_names", "PR02"),
    ], "\n".join(problems)
    assert "{'error'}" in "\n".join(p for p in problems if "Result: PR01" in p)


def test_numpydoc_lint_with_the_configuration_fails_on_an_undocumented_parameter(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('"""A module."""\n\n\ndef add(x, y):\n    """Add.\n\n    Parameters\n'
                   '    ----------\n    x : float\n        A number.\n\n    Returns\n'
                   '    -------\n    float\n        The sum.\n    """\n    return x + y\n')
    assert run_hook([str(bad)], config=ROOT) == 1
    bad.write_text(bad.read_text().replace("        A number.\n", "        A number.\n"
                                           "    y : float\n        Another.\n"))
    assert run_hook([str(bad)], config=ROOT) == 0


def test_book_rules_report_each_planted_problem(fake_module):
    assert sorted(book_rule_errors(fake_module)) == [
        "fake_api_module.BAD_TOL: colon in the first line of its #: comment",
        "fake_api_module.Result.ratio: colon in the first line of a property docstring",
        "fake_api_module.bars: bare '|' in 'Print the absolute value |x| of x.'",
    ]


def test_walk_finds_subpackages_and_skips_private_modules(tmp_path, monkeypatch):
    pkg = tmp_path / "fake_api_pkg"
    (pkg / "models").mkdir(parents=True)
    for path in ["__init__.py", "_private.py", "engine.py", "models/__init__.py", "models/kerr.py"]:
        (pkg / path).write_text('"""Doc."""\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert public_modules("fake_api_pkg") == [
            "fake_api_pkg", "fake_api_pkg.engine", "fake_api_pkg.models", "fake_api_pkg.models.kerr"
        ]
    finally:
        for name in [n for n in sys.modules if n.startswith("fake_api_pkg")]:
            del sys.modules[name]
