"""The import graph of ``epcore``: no cycle, no physics module on the cache layer, no private
name shared between modules.

Every module of ``epcore/`` is parsed with :mod:`ast` (nothing is imported), and every import
statement is read, at module level or inside a function, absolute (``epcore.x``) or relative
(``.x``, ``..x``). A package's ``__init__.py`` is a node of its own, named after the package;
importing ``epcore.kerr.model`` is an edge to ``epcore.kerr.model`` only (Python runs the
parents' ``__init__`` too, but an edge to every parent would make each package a cycle with
its own submodules). ``from . import x`` is an edge to the submodule ``x`` when there is one,
to the package otherwise.

Three rules:

1. the graph has no cycle, so a new model package can be added (or a module moved) without
   an import order to get right;
2. only the presentation layer imports ``epcore.sweep``, the parallel, cached sweeps
   (:data:`SWEEP_IMPORTERS`): physics functions stay plain functions of their arguments, and
   the cache wraps them from outside;
3. no name with a leading underscore crosses a module boundary, neither imported
   (``from .x import _y``) nor reached as an attribute of another epcore module
   (``gaussian._y``); a helper that another module needs is public, documented and tested.

The last test plants one violation of each rule in a synthetic package under ``tmp_path`` and
checks that the checker reports all three.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "epcore"

#: The modules allowed to import the sweep/cache layer: the figures, the command line and the
#: layer itself (the ``.*`` entries match a package and everything under it).
SWEEP_IMPORTERS = ("epcore.sweep", "epcore.plots.*", "epcore.cli", "epcore.figures")
SWEEP = "epcore.sweep"


@dataclass
class Graph:
    """The intra-package imports of one package, read from its source."""

    modules: dict[str, Path]
    edges: dict[str, set[str]] = field(default_factory=dict)
    #: ``(module, line, text)`` of each private name taken from another module
    private: list[tuple[str, int, str]] = field(default_factory=list)


def module_names(root: Path) -> dict[str, Path]:
    """Dotted name -> file of every module under the package directory ``root``."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _base(module: str, path: Path, level: int) -> str:
    """The package that a relative import of ``level`` dots in ``module`` starts from."""
    parts = module.split(".")
    if path.name != "__init__.py":
        parts = parts[:-1]  # a plain module's package
    return ".".join(parts[: len(parts) - (level - 1)])


def _target(graph: Graph, name: str) -> str | None:
    """The module an imported dotted ``name`` refers to: itself, or its longest module prefix."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in graph.modules:
            return candidate
        parts.pop()
    return None


def _modules_bound(graph: Graph, module: str, path: Path, tree: ast.AST) -> dict[str, str]:
    """Local names bound to an epcore module by an import anywhere in ``tree``."""
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name in graph.modules:
                    bound[alias.asname] = alias.name
                elif not alias.asname:
                    head = alias.name.split(".")[0]
                    if head in graph.modules:
                        bound[head] = head
        elif isinstance(node, ast.ImportFrom):
            src = _source(module, path, node)
            if src is None:
                continue
            for alias in node.names:
                full = f"{src}.{alias.name}"
                if full in graph.modules:
                    bound[alias.asname or alias.name] = full
    return bound


def _source(module: str, path: Path, node: ast.ImportFrom) -> str | None:
    """The absolute dotted name after ``from`` (None for another package)."""
    if node.level:
        base = _base(module, path, node.level)
        return f"{base}.{node.module}" if node.module else base
    return node.module


def _resolve(expr: ast.expr, bound: dict[str, str], graph: Graph) -> str | None:
    """The epcore module an expression such as ``kerr`` or ``kerr.entropy`` names, if any."""
    if isinstance(expr, ast.Name):
        return bound.get(expr.id)
    if isinstance(expr, ast.Attribute):
        outer = _resolve(expr.value, bound, graph)
        if outer is not None and f"{outer}.{expr.attr}" in graph.modules:
            return f"{outer}.{expr.attr}"
    return None


def build_graph(root: Path) -> Graph:
    """Parse every module under the package directory ``root`` and collect its imports."""
    graph = Graph(module_names(root))
    package = root.name
    for module, path in graph.modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        edges = graph.edges.setdefault(module, set())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    target = _target(graph, alias.name)
                    if target is not None:
                        edges.add(target)
            elif isinstance(node, ast.ImportFrom):
                src = _source(module, path, node)
                if src is None or src.split(".")[0] != package:
                    continue
                for alias in node.names:
                    sub = f"{src}.{alias.name}"
                    target = sub if sub in graph.modules else _target(graph, src)
                    if target is not None:
                        edges.add(target)
                    if _is_private(alias.name):
                        graph.private.append(
                            (module, node.lineno, f"from {src} import {alias.name}"))
        bound = _modules_bound(graph, module, path, tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _is_private(node.attr):
                owner = _resolve(node.value, bound, graph)
                if owner is not None and owner != module:
                    graph.private.append((module, node.lineno, f"{owner}.{node.attr}"))
        edges.discard(module)
    return graph


def find_cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph.modules):
        if v not in index:
            visit(v)
    return cycles


def _allowed(module: str, patterns: tuple[str, ...]) -> bool:
    return any(
        module == p or (p.endswith(".*") and (module == p[:-2] or module.startswith(p[:-1])))
        for p in patterns
    )


def sweep_importers(graph: Graph, sweep: str = SWEEP,
                    allowed: tuple[str, ...] = SWEEP_IMPORTERS) -> list[str]:
    """Modules outside ``allowed`` that import ``sweep``."""
    return sorted(m for m, targets in graph.edges.items()
                  if sweep in targets and not _allowed(m, allowed))


def violations(root: Path, *, sweep: str = SWEEP,
               allowed: tuple[str, ...] = SWEEP_IMPORTERS) -> dict[str, list]:
    """Everything the three rules find in the package under ``root``."""
    graph = build_graph(root)
    return {"cycles": find_cycles(graph),
            "sweep": sweep_importers(graph, sweep, allowed),
            "private": sorted(graph.private)}


def test_the_checker_reads_the_package():
    """A guard against a checker that finds nothing because it reads nothing."""
    graph = build_graph(ROOT)
    assert {"epcore", "epcore.kerr", "epcore.kerr.model", "epcore.dynamics",
            "epcore.sweep"} <= set(graph.modules)
    assert "epcore.kerr.model" in graph.edges["epcore.kerr"]  # from .model import *
    assert "epcore.models" in graph.edges["epcore.kerr.model"]  # from ..models import ...
    assert "epcore.sweep" in graph.edges["epcore.plots.kerr"]


def test_no_import_cycle():
    cycles = find_cycles(build_graph(ROOT))
    assert not cycles, "import cycles among epcore modules:\n" + "\n".join(map(str, cycles))


def test_only_the_presentation_layer_imports_sweep():
    bad = sweep_importers(build_graph(ROOT))
    assert not bad, f"physics modules importing {SWEEP}: {bad}"


def test_no_private_name_crosses_a_module():
    private = build_graph(ROOT).private
    assert not private, "private names used across modules:\n" + "\n".join(
        f"{m}:{line}: {text}" for m, line, text in sorted(private))


def test_the_checker_reports_planted_violations(tmp_path):
    pkg = tmp_path / "toy"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "from . import a\n",
        "a.py": "from .b import helper\n",
        # the cycle is closed by an import inside a function
        "b.py": "def helper():\n    from . import a\n    return a\n",
        "sweep.py": "def sweep(f, xs):\n    return [f(x) for x in xs]\n",
        "physics.py": "import toy.sweep\n",  # absolute import of the cache layer
        "plots.py": "from .sweep import sweep\n",  # allowed
        "sub/__init__.py": "",
        # a private function imported, and a private attribute of another module
        "sub/x.py": "from ..b import _hidden\nfrom .. import b\n\n\ndef f():\n"
                    "    return b._other, b.__name__\n",
        "sub/y.py": "def g():\n    from .x import _private as p\n    return p\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(text)
    found = violations(pkg, sweep="toy.sweep", allowed=("toy.sweep", "toy.plots"))
    assert found["cycles"] == [["toy.a", "toy.b"]]
    assert found["sweep"] == ["toy.physics"]
    assert [(m, text) for m, _, text in found["private"]] == [
        ("toy.sub.x", "from toy.b import _hidden"),
        ("toy.sub.x", "toy.b._other"),
        ("toy.sub.y", "from toy.sub.x import _private"),
    ]
    # a package's __init__ is its own node: toy -> toy.a is an edge, not a cycle
    assert "toy.a" in build_graph(pkg).edges["toy"]
