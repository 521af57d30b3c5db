"""The code of the book's pages: every code cell linted like the package, none shown unexecuted.

- Every ``{code-cell}`` of every page in ``_toc.yml`` is checked with ruff, with the repository's
  rule set (``pyproject.toml``) and lines of at most 88 characters, so that code fits the text
  column (``tools/browsercheck.py`` measures it). Cells are linted together as one notebook, so a
  name defined in an earlier cell is known. Notebook idioms are allowed: imports below the first
  cell (E402), a trailing ``;`` that hides a return value (E703), and import blocks not
  reformatted by a tool (I001: the cells live in Markdown, ``ruff --fix`` cannot rewrite them).
- No page shows Python in a plain code block (```` ```python ````), which the build never runs:
  code, solutions included, goes in ``{code-cell}`` blocks, between ``{solution-start}`` and
  ``{solution-end}`` for a solution.

Failures name the Markdown file and line.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jupytext
import nbformat
import pytest

from tools import toc

REPO = Path(__file__).resolve().parent.parent
LINE_LENGTH = 88
NOTEBOOK_IGNORES = ["E402", "E703", "I001"]

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*(\S*)\s*(.*)$")
_PYTHON = {"python", "py", "python3", "ipython", "ipython3", "pycon"}
_CODE_DIRECTIVES = {"{code-block}", "{code}", "{sourcecode}"}


def book_pages() -> list[Path]:
    """The Markdown files of the book, in the order of ``_toc.yml``."""
    return toc.page_files(REPO)


def code_cells(path: Path) -> list[tuple[int, str]]:
    """``(line of the first code line, code)`` of each ``{code-cell}`` of a MyST notebook.

    The cells are read by jupytext (as the notebook edition and the build read them); the line
    is where the cell's code starts in the Markdown, found by searching the file from the end of
    the previous cell, so that findings name a line of the page.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    notebook = jupytext.read(path, fmt="md:myst")
    cells, start = [], 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        code = cell.source.splitlines() or [""]
        start = next(
            i for i in range(start, len(lines)) if lines[i : i + len(code)] == code
        )
        cells.append((start + 1, cell.source))
        start += len(code)
    return cells


def unexecuted_blocks(path: Path) -> list[str]:
    """``file:line: opening fence`` for each plain Python code block of a page."""
    found = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _FENCE.match(line)
        if not match:
            continue
        lang, argument = match.group(3), match.group(4).strip()
        if lang in _PYTHON or (lang in _CODE_DIRECTIVES and argument in _PYTHON):
            found.append(f"{_name(path)}:{n}: {line.strip()}")
    return found


def _name(path: Path) -> str:
    return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else path.name


def lint(path: Path, tmp_path: Path) -> list[str]:
    """Ruff's findings on the code cells of ``path``, as ``file:line:col: CODE message``."""
    cells = code_cells(path)
    if not cells:
        return []
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_code_cell(code) for _, code in cells]
    notebook = tmp_path / (path.stem + ".ipynb")
    nbformat.write(nb, notebook)
    proc = subprocess.run(
        [
            "ruff", "check", "--no-cache", "--quiet", "--output-format", "json",
            "--config", str(REPO / "pyproject.toml"),
            "--line-length", str(LINE_LENGTH),
            "--extend-ignore", ",".join(NOTEBOOK_IGNORES),
            str(notebook),
        ],
        capture_output=True,
        text=True,
    )  # fmt: skip
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"ruff failed on {notebook}: {proc.stderr}")
    findings = []
    for item in json.loads(proc.stdout or "[]"):
        first_line, _ = cells[item["cell"] - 1]
        line = first_line + item["location"]["row"] - 1
        col = item["location"]["column"]
        findings.append(f"{_name(path)}:{line}:{col}: {item['code']} {item['message']}")
    return findings


def test_the_book_has_pages_with_code():
    pages = book_pages()
    names = {p.relative_to(REPO).as_posix() for p in pages}
    assert "errata.md" in names and sum(n.startswith("chapters/") for n in names) >= 5
    assert sum(bool(code_cells(p)) for p in pages) >= 6


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
@pytest.mark.parametrize("page", book_pages(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_code_cells_pass_ruff(page, tmp_path):
    findings = lint(page, tmp_path)
    assert not findings, f"{len(findings)} ruff finding(s) in code cells:\n" + "\n".join(findings)


@pytest.mark.parametrize("page", book_pages(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_python_shown_without_running(page):
    blocks = unexecuted_blocks(page)
    assert not blocks, (
        f"{len(blocks)} Python block(s) that the build never runs; use a {{code-cell}} "
        "(between {solution-start} and {solution-end} in a solution):\n" + "\n".join(blocks)
    )


def test_lint_reports_markdown_lines(tmp_path):
    """The checks are not vacuous: planted defects are found at their line of the Markdown."""
    page = tmp_path / "fixture.md"
    text = (
        "# A page\n\n"
        "```{code-cell} ipython3\n:tags: [hide-input]\nimport numpy as np\n```\n\n"
        "Text.\n\n"
        "```{code-cell} ipython3\n---\nmystnb:\n  figure:\n    name: f\n---\n"
        "x = np.arange(3)\n"
        f"y = {'+'.join(['1'] * 50)}\n"
        "print(undefined_name)\n```\n\n"
        "```python\nprint('never run')\n```\n"
        "````{solution-start} ex\n````\n"
        "```{code-block} python\nprint('never run either')\n```\n"
    )
    page.write_text(text)
    lines = text.splitlines()
    assert lines[16].startswith("y = 1+1") and lines[17].startswith("print(undefined")
    assert [line for line, _ in code_cells(page)] == [5, 16]
    findings = lint(page, tmp_path)
    assert any(f.startswith("fixture.md:17:89: E501") for f in findings), findings
    assert any(f.startswith("fixture.md:18:7: F821") for f in findings), findings
    assert len(findings) == 2, findings
    blocks = unexecuted_blocks(page)
    assert [b.split(":")[1] for b in blocks] == ["21", "26"], blocks
