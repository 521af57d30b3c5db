"""A tiny book for the build tests: the book's own Sphinx extension, one page, a fake package.

The page imports ``fakepkg`` (its constant ``VALUE`` and its docstring are printed, so a stale
output can be seen), has one exercise and a gated solution (``{solution-start}`` ... a code
cell ... ``{solution-end}``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CONFIG = """\
title: Fixture book
author: Tests
only_build_toc_files: true
exclude_patterns: [_build, fakepkg]
execute:
  execute_notebooks: cache
  timeout: 120
  allow_errors: false
sphinx:
  local_extensions:
    epbook_sphinx: {tools}
  extra_extensions:
    - sphinx_exercise
    - sphinx.ext.autodoc
  config:
    nb_execution_raise_on_error: true
    book_source_globs: ["fakepkg/**/*.py"]
"""

TOC = "format: jb-book\nroot: index\nchapters:\n  - file: page\n"

INDEX = "# Fixture book\n\nOne page.\n"

PAGE = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
# Page

```{code-cell} ipython3
import fakepkg

print("VISIBLE-OUTPUT", f"VALUE={fakepkg.VALUE}", fakepkg.__doc__)
```

```{exercise} Add one and one
:label: ex-add

EXERCISE-TEXT: compute one plus one.
```

```{solution-start} ex-add
:class: dropdown
```

GATED-SOLUTION-TEXT: the computation below.

```{code-cell} ipython3
print("GATED-SOLUTION-OUTPUT", 1 + 1)
```

```{solution-end}
```

Text after the solution.
"""


def write_book(root: Path, docstring: str = "first version", value: int = 1) -> Path:
    """Write the fixture book into ``root``; return it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(CONFIG.format(tools=(REPO / "tools").as_posix()))
    (root / "_toc.yml").write_text(TOC)
    (root / "index.md").write_text(INDEX)
    (root / "page.md").write_text(PAGE)
    set_package(root, docstring, value)
    return root


def set_package(root: Path, docstring: str, value: int = 1) -> None:
    """Rewrite the fake package: its docstring and the constant ``VALUE``."""
    package = root / "fakepkg"
    package.mkdir(exist_ok=True)
    (package / "__init__.py").write_text(f'"""{docstring}"""\n\nVALUE = {value}\n')


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run a build command; the log (stdout and stderr) is in ``.stdout``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(cwd), str(REPO)])}
    return subprocess.run(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def build_teacher(root: Path) -> subprocess.CompletedProcess:
    return run(["jupyter-book", "build", ".", "-W", "-n", "--keep-going", "-v"], root)


def build_student(root: Path) -> subprocess.CompletedProcess:
    return run([sys.executable, str(REPO / "tools" / "build_student.py"), "--source", "."], root)
