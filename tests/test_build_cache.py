"""The execution cache follows the package's code: a change in it re-executes the notebooks.

myst-nb's jupyter-cache is keyed on the code of the cells; ``tools/epbook_sphinx.py`` also keys it
on the code of the files named by ``book_source_globs`` (``epcore/**/*.py`` for the book), with
``epcore.sweep.code_hash`` (tested in ``test_sweep.py``). A tiny fixture book
(``book_fixture.py``) whose page prints a constant and the docstring of a fake package shows
it: an unchanged rebuild takes the notebook from the cache, and so does a rebuild after an
edited docstring (docstrings are not code); a changed constant makes the next build execute
it again and show the new value.
"""

from __future__ import annotations

import pytest
from book_fixture import build_teacher, set_package, write_book

pytestmark = [pytest.mark.book, pytest.mark.slow]


def test_changed_code_reexecutes_the_notebook_and_a_docstring_does_not(tmp_path):
    root = write_book(tmp_path / "book", docstring="first version of the docstring", value=1)
    page = root / "_build" / "html" / "page.html"
    stamp = root / "_build" / ".jupyter_cache" / "book-source.sha256"

    first = build_teacher(root)
    assert first.returncode == 0, first.stdout[-4000:]
    assert "Executing notebook" in first.stdout
    assert "VALUE=1" in page.read_text()
    assert stamp.is_file()

    unchanged = build_teacher(root)
    assert unchanged.returncode == 0, unchanged.stdout[-4000:]
    assert "Executing notebook" not in unchanged.stdout, "nothing changed, yet it re-executed"

    set_package(root, "second version of the docstring", value=1)
    docstring = build_teacher(root)
    assert docstring.returncode == 0, docstring.stdout[-4000:]
    assert "Executing notebook" not in docstring.stdout, "only a docstring changed, yet it re-ran"

    set_package(root, "second version of the docstring", value=2)
    changed = build_teacher(root)
    assert changed.returncode == 0, changed.stdout[-4000:]
    assert "Executing notebook" in changed.stdout, "changed code served the cached notebook"
    html = page.read_text()
    assert "VALUE=2" in html and "VALUE=1" not in html
    assert "second version of the docstring" in html
