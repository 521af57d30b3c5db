"""The execution cache follows the package's source: a change in it re-executes the notebooks.

myst-nb's jupyter-cache is keyed on the code of the cells; ``tools/book_fixes.py`` also keys it
on the files named by ``book_source_globs`` (``epcore/**/*.py`` for the book). A tiny fixture
book (``book_fixture.py``) whose page prints the docstring of a fake package shows it: an
unchanged rebuild takes the notebook from the cache, a changed docstring makes the next build
execute it again and show the new text.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from book_fixture import build_teacher, set_docstring, write_book

REPO = Path(__file__).resolve().parent.parent


def _book_fixes():
    spec = importlib.util.spec_from_file_location("book_fixes", REPO / "tools" / "book_fixes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_source_hash_follows_content_not_bytecode(tmp_path):
    source_hash = _book_fixes().source_hash
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text('"""One."""\n')
    (package / "sub" / "m.py").write_text("x = 1\n")
    globs = ["pkg/**/*.py"]
    first = source_hash(tmp_path, globs)
    assert source_hash(tmp_path, []) is None
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "m.py").write_text("compiled")
    (package / "notes.txt").write_text("not Python")
    assert source_hash(tmp_path, globs) == first
    (package / "sub" / "m.py").write_text("x = 2\n")
    assert source_hash(tmp_path, globs) != first
    (package / "sub" / "m.py").write_text("x = 1\n")
    assert source_hash(tmp_path, globs) == first
    (package / "sub" / "m.py").rename(package / "sub" / "n.py")  # same content, other module
    assert source_hash(tmp_path, globs) != first


def test_changed_docstring_reexecutes_the_notebook(tmp_path):
    root = write_book(tmp_path / "book", docstring="first version of the docstring")
    page = root / "_build" / "html" / "page.html"
    stamp = root / "_build" / ".jupyter_cache" / "book-source.sha256"

    first = build_teacher(root)
    assert first.returncode == 0, first.stdout[-4000:]
    assert "Executing notebook" in first.stdout
    assert "first version of the docstring" in page.read_text()
    assert stamp.is_file()

    unchanged = build_teacher(root)
    assert unchanged.returncode == 0, unchanged.stdout[-4000:]
    assert "Executing notebook" not in unchanged.stdout, "nothing changed, yet it re-executed"

    set_docstring(root, "second version of the docstring")
    changed = build_teacher(root)
    assert changed.returncode == 0, changed.stdout[-4000:]
    assert "Executing notebook" in changed.stdout, "a changed package served the cached notebook"
    html = page.read_text()
    assert "second version of the docstring" in html
    assert "first version of the docstring" not in html
