"""Count the lines of ``epcore`` (code against docstrings) and of the publishing code.

    python tools/code_lines.py

Code lines are the non-blank lines outside docstrings and comments; docstring lines are the
lines of module, class and function docstrings. The publishing code is ``tools/*.py`` and the
tests that check the built book rather than the physics.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: tests that check the book, its build and its publishing rather than epcore's physics
BUILD_TESTS = (
    "test_api_docs.py",
    "test_browser.py",
    "test_build_cache.py",
    "test_chapter_code.py",
    "test_editions.py",
    "test_notebook_edition.py",
    "test_pdf.py",
    "test_publishing.py",
    "test_tables.py",
    "test_exercises.py",
    "test_assignment.py",
    "test_figure_legibility.py",
    "book_fixture.py",
    "conftest.py",
    "test_skip_or_fail.py",
    "test_upstream_workarounds.py",
)


def split_lines(path: Path) -> tuple[int, int]:
    """Return (code lines, docstring lines) of one Python file."""
    source = path.read_text()
    doc_lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                doc_lines.update(range(value.lineno, value.end_lineno + 1))
    code_lines: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            continue
        code_lines.update(range(tok.start[0], tok.end[0] + 1))
    return len(code_lines - doc_lines), len(doc_lines)


def main() -> None:
    code = docs = 0
    for path in sorted((ROOT / "epcore").rglob("*.py")):
        c, d = split_lines(path)
        code, docs = code + c, docs + d
    print(f"epcore: {code} code lines, {docs} docstring lines ({docs / code:.2f} per code line)")
    tools = sum(len(p.read_text().splitlines()) for p in (ROOT / "tools").glob("*.py"))
    build = sum(
        len((ROOT / "tests" / name).read_text().splitlines())
        for name in BUILD_TESTS
        if (ROOT / "tests" / name).exists()
    )
    print(f"publishing code: tools/*.py {tools} lines, build tests {build} lines")


if __name__ == "__main__":
    main()
