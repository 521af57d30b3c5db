"""Every public function and class of epcore has a numpydoc docstring the API page can render.

The test walks the whole package (every module and subpackage, found with
:func:`pkgutil.walk_packages`, so a module split into a package is still covered). The public
names of a module are its ``__all__``, or else the names not starting with ``_`` whose objects
are defined in that module; a name re-exported from another public module is checked in its
home module. Each public function (and each public method of a public class) is parsed with
:mod:`numpydoc.docscrape` and must have

* a one-line summary;
* a Parameters section when it takes parameters (other than ``self``/``cls``), naming exactly
  the parameters of its signature (``*args`` and ``**kwargs`` written with their stars);
* a Returns (or Yields) section unless its return annotation is ``None``.

A public class needs a summary and a Parameters or Attributes section; when it has Parameters,
they must match the constructor. Exceptions only need a summary (their constructor is
``ValueError``'s). Two more rules keep the API page readable without workarounds in the Sphinx
build: no bare ``|`` in a docstring outside literals, roles and directive blocks (reST reads it
as a substitution), and no ``#:`` comment or property docstring whose first line has a colon
outside literals (napoleon reads ``word: text`` as ``type: description``).

Each module is one test; a failure lists every problem of that module as
``module.name: what is missing``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
import textwrap
import types
import warnings
from functools import cached_property

import pytest
from numpydoc.docscrape import NumpyDocString

PACKAGE = "epcore"

# spans in which a bar or a colon is literal text: ``code``, :role:`text` and `text`
_SPANS = re.compile(r"``.+?``|(?::[\w:+-]+:)?`[^`]+`")


def public_modules(package: str = PACKAGE) -> list[str]:
    """Names of the package and of every module and subpackage under it, private ones skipped."""
    root = importlib.import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(root.__path__, prefix=package + "."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        names.append(info.name)
    return sorted(names)


def _is_function(obj) -> bool:
    return inspect.isroutine(obj) or (callable(obj) and hasattr(obj, "__wrapped__"))


def public_objects(module: types.ModuleType) -> list[tuple[str, object]]:
    """``(qualified name, object)`` of the public functions and classes of ``module``."""
    if hasattr(module, "__all__"):
        names = list(module.__all__)
    else:
        names = [
            n
            for n, obj in vars(module).items()
            if not n.startswith("_") and getattr(obj, "__module__", None) == module.__name__
        ]
    top = module.__name__.split(".")[0]
    found = []
    for name in names:
        obj = getattr(module, name)
        if not (inspect.isclass(obj) or _is_function(obj)):
            continue
        home = getattr(obj, "__module__", None) or module.__name__
        parts = home.split(".")
        if home != module.__name__ and parts[0] == top and not any(
            p.startswith("_") for p in parts
        ):
            continue  # re-exported from a public module of the package: checked there
        found.append((f"{home}.{getattr(obj, '__qualname__', name)}", obj))
    return found


def _parse(doc: str, where: str, problems: list[str]) -> NumpyDocString | None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            parsed = NumpyDocString(doc)
        except Exception as exc:  # numpydoc raises on malformed sections
            problems.append(f"{where}: the docstring does not parse as numpydoc ({exc})")
            return None
    for w in caught:
        problems.append(f"{where}: numpydoc warns: {w.message}")
    return parsed


def _documented_names(section) -> list[str]:
    names = []
    for param in section:
        names += [n.strip().replace("\\", "") for n in param.name.split(",") if n.strip()]
    return names


def _signature_names(obj, *, bound: bool) -> list[str] | None:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    names = []
    for i, p in enumerate(sig.parameters.values()):
        if bound and i == 0 and p.name in ("self", "cls"):
            continue
        stars = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "")
        names.append(stars + p.name)
    return names


def _check_parameters(where, parsed, names, problems, *, required=True) -> None:
    documented = _documented_names(parsed["Parameters"])
    if names and not documented and required:
        problems.append(f"{where}: no Parameters section (parameters: {', '.join(names)})")
        return
    if not documented:
        return
    missing = [n for n in names if n not in documented]
    extra = [n for n in documented if n not in names]
    if missing:
        problems.append(f"{where}: parameters not documented: {', '.join(missing)}")
    if extra:
        problems.append(f"{where}: documented parameters not in the signature: {', '.join(extra)}")


def _returns_none(obj) -> bool:
    try:
        annotation = inspect.signature(obj).return_annotation
    except (TypeError, ValueError):
        return False
    return annotation is None or annotation == "None"


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


def _parsed(where: str, doc: str | None, problems: list[str]):
    """The parsed docstring, after reporting a missing docstring or summary (None if absent)."""
    if not doc:
        problems.append(f"{where}: no docstring")
        return None
    parsed = _parse(doc, where, problems)
    if parsed is not None and not " ".join(parsed["Summary"]).strip():
        problems.append(f"{where}: no summary")
    return parsed


def check_function(where: str, func, problems: list[str], *, bound: bool = False) -> None:
    """Append to ``problems`` what the docstring of ``func`` lacks."""
    doc = inspect.getdoc(func)
    parsed = _parsed(where, doc, problems)
    if parsed is None:
        return
    names = _signature_names(func, bound=bound)
    if names is not None:
        _check_parameters(where, parsed, names, problems)
    if not _returns_none(func) and not (parsed["Returns"] or parsed["Yields"]):
        problems.append(f"{where}: no Returns section (the return annotation is not None)")
    problems += [f"{where}: bare '|' in {line!r}" for line in bare_bars(doc)]


def check_class(where: str, cls: type, problems: list[str]) -> None:
    """Append to ``problems`` what the docstrings of ``cls`` and its public methods lack."""
    doc = inspect.getdoc(cls) if cls.__doc__ else None  # not the inherited docstring
    parsed = _parsed(where, doc, problems)
    if parsed is None:
        return
    problems += [f"{where}: bare '|' in {line!r}" for line in bare_bars(doc)]
    if issubclass(cls, BaseException):
        return
    if not (parsed["Parameters"] or parsed["Attributes"]):
        problems.append(f"{where}: no Parameters or Attributes section")
    elif parsed["Parameters"]:
        names = _signature_names(cls, bound=True)
        if names is not None:
            _check_parameters(where, parsed, names, problems)
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property | cached_property):
            text = (member.fget if isinstance(member, property) else member.func).__doc__
            if not text or not text.strip():
                problems.append(f"{where}.{name}: no docstring")
            elif colon_in_first_line(text):
                problems.append(
                    f"{where}.{name}: colon in the first line of a property docstring"
                )
            elif bare_bars(inspect.cleandoc(text)):
                problems.append(f"{where}.{name}: bare '|' in the docstring")
        elif isinstance(member, staticmethod | classmethod) or inspect.isfunction(member):
            func = getattr(cls, name)
            check_function(
                f"{where}.{name}", func, problems, bound=not isinstance(member, staticmethod)
            )


def check_constant_comments(module: types.ModuleType, problems: list[str]) -> None:
    """``#:`` comments of module constants whose first line has a colon (napoleon's ``type:``)."""
    from sphinx.pycode import ModuleAnalyzer

    try:
        analyzer = ModuleAnalyzer.for_module(module.__name__)
        docs = analyzer.find_attr_docs()
    except Exception:  # no source (compiled or generated module): nothing to read
        return
    for (scope, name), lines in docs.items():
        if scope == "" and not name.startswith("_") and colon_in_first_line("\n".join(lines)):
            problems.append(f"{module.__name__}.{name}: colon in the first line of its #: comment")


def module_problems(module: types.ModuleType) -> list[str]:
    """Every docstring problem of the public API of ``module``, as readable lines."""
    problems: list[str] = []
    if not (module.__doc__ or "").strip():
        problems.append(f"{module.__name__}: no module docstring")
    problems += [f"{module.__name__}: bare '|' in {line!r}" for line in bare_bars(
        inspect.cleandoc(module.__doc__ or ""))]
    check_constant_comments(module, problems)
    for where, obj in public_objects(module):
        if inspect.isclass(obj):
            check_class(where, obj, problems)
        else:
            check_function(where, obj, problems)
    return problems


@pytest.mark.parametrize("name", public_modules())
def test_public_api_has_numpydoc_docstrings(name):
    problems = module_problems(importlib.import_module(name))
    assert not problems, f"{len(problems)} docstring problem(s):\n" + "\n".join(problems)


# ------------------------------------------------------------------ the checker itself

_FAKE = '''
"""A fake module with one good and several bad docstrings."""

from dataclasses import dataclass

__all__ = ["good", "no_sections", "wrong_names", "bars", "Result", "Bare"]

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


def no_sections(x, y):
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


class Bare:
    """A class without sections."""
'''


@pytest.fixture
def fake_module(tmp_path, monkeypatch):
    (tmp_path / "fake_api_module.py").write_text(textwrap.dedent(_FAKE))
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("fake_api_module", None)
    yield importlib.import_module("fake_api_module")
    sys.modules.pop("fake_api_module", None)


def test_checker_reports_each_planted_problem(fake_module):
    problems = module_problems(fake_module)
    text = "\n".join(problems)
    expected = [
        "fake_api_module.no_sections: no Parameters section (parameters: x, y)",
        "fake_api_module.no_sections: no Returns section",
        "fake_api_module.wrong_names: parameters not documented: y",
        "fake_api_module.wrong_names: documented parameters not in the signature: z",
        "fake_api_module.bars: bare '|' in 'Print the absolute value |x| of x.'",
        "fake_api_module.Result: parameters not documented: error",
        "fake_api_module.Result.ratio: colon in the first line of a property docstring",
        "fake_api_module.Result.scaled: no Parameters section (parameters: factor)",
        "fake_api_module.Result.scaled: no Returns section",
        "fake_api_module.Bare: no Parameters or Attributes section",
        "fake_api_module.BAD_TOL: colon in the first line of its #: comment",
    ]
    for line in expected:
        assert line in text, f"not reported: {line}\n--- reported:\n{text}"
    # nothing about the good function, the good constant or the annotated None returns
    assert "fake_api_module.good" not in text
    assert "GOOD_TOL" not in text
    assert "wrong_names: no Returns" not in text
    assert len(problems) == len(expected)


def test_walk_finds_subpackages_and_skips_private_modules(tmp_path, monkeypatch):
    pkg = tmp_path / "fake_api_pkg"
    (pkg / "models").mkdir(parents=True)
    (pkg / "__init__.py").write_text('"""Top."""\n')
    (pkg / "_private.py").write_text('"""Private."""\n')
    (pkg / "engine.py").write_text('"""Engine."""\n')
    (pkg / "models" / "__init__.py").write_text('"""Models."""\n')
    (pkg / "models" / "kerr.py").write_text('"""Kerr."""\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert public_modules("fake_api_pkg") == [
            "fake_api_pkg",
            "fake_api_pkg.engine",
            "fake_api_pkg.models",
            "fake_api_pkg.models.kerr",
        ]
    finally:
        for name in [n for n in sys.modules if n.startswith("fake_api_pkg")]:
            del sys.modules[name]
