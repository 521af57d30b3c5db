"""The student edition, ``python tools/build_student.py``: every exercise of the book, no solution.

Two tests: a tiny fixture book (``book_fixture.py``) built both ways shows that a gated solution
disappears with its text, code cell and output while the exercise stays, and that the student
build reuses the teacher build's execution cache. The second compares the real editions,
``_build/html`` and ``_build/student/html``, page by page; it is skipped when they have not
been built (``.ci/run`` builds both and sets ``EPBOOK_REQUIRE_BUILD=1``, which makes the skip a
failure).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from book_fixture import build_student, build_teacher, write_book

pytestmark = pytest.mark.book

REPO = Path(__file__).resolve().parent.parent
TEACHER = REPO / "_build" / "html"
STUDENT = REPO / "_build" / "student" / "html"
ASSET_DIRS = {"_static", "_sources", "_images", "_downloads", "_sphinx_design_static"}


@pytest.mark.slow
def test_gated_solution_hidden_with_its_code_and_output(tmp_path):
    root = write_book(tmp_path / "book")
    teacher = build_teacher(root)
    assert teacher.returncode == 0, teacher.stdout[-4000:]
    student = build_student(root)
    assert student.returncode == 0, student.stdout[-4000:]
    assert "Using cached notebook" in student.stdout, "student build did not use the cache"
    assert "Executing notebook" not in student.stdout, "student build executed the notebook"
    full = _reader_text(root / "_build" / "html" / "page.html")
    bare = _reader_text(root / "_build" / "student" / "html" / "page.html")
    solution_only = [
        "Solution to Exercise",  # the admonition's title
        "GATED-SOLUTION-TEXT",  # its text
        'print("GATED-SOLUTION-OUTPUT", 1 + 1)',  # its code cell's source
        "GATED-SOLUTION-OUTPUT 2",  # the cell's printed output
    ]
    for marker in solution_only:
        assert marker in full, f"teacher edition lacks {marker!r}"
        assert marker not in bare, f"student edition shows {marker!r}"
    for marker in ["EXERCISE-TEXT", "Exercise 1", "VISIBLE-OUTPUT", "Text after the solution"]:
        assert marker in full and marker in bare, f"{marker!r} missing from an edition"


def _reader_text(page: Path) -> str:
    """What a reader of ``page`` sees: the article's text, whatever the HTML escaping."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(), "html.parser")
    article = soup.select_one("article") or soup
    return article.get_text()


def _pages(html: Path) -> list[str]:
    return sorted(
        p.relative_to(html).as_posix()
        for p in html.rglob("*.html")
        if p.relative_to(html).parts[0] not in ASSET_DIRS
    )


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def editions(skip_or_fail) -> tuple[Path, Path]:
    missing = [p for p in (TEACHER, STUDENT) if not (p / "intro.html").is_file()]
    if missing:
        skip_or_fail(
            f"not built: {', '.join(map(str, missing))} "
            "(jupyter-book build . && python tools/build_student.py)",
            "build",
        )
    return TEACHER, STUDENT


def test_student_edition_has_every_exercise_and_no_solution(editions):
    from bs4 import BeautifulSoup

    teacher, student = editions
    assert _pages(student) == _pages(teacher)
    problems = []
    n_exercises = n_solutions = 0
    for name in _pages(teacher):
        full = BeautifulSoup((teacher / name).read_text(), "html.parser")
        bare = BeautifulSoup((student / name).read_text(), "html.parser")
        exercises = {ex.get("id"): _words(ex.get_text()) for ex in full.select("div.exercise")}
        kept = {ex.get("id"): _words(ex.get_text()) for ex in bare.select("div.exercise")}
        n_exercises += len(exercises)
        if kept != exercises:
            problems.append(f"{name}: exercises differ: {sorted(exercises)} vs {sorted(kept)}")
        solutions = full.select("div.solution")
        n_solutions += len(solutions)
        if bare.select("div.solution"):
            problems.append(f"{name}: {len(bare.select('div.solution'))} solution(s) shown")
        article = bare.select_one("article")
        shown = _words(article.get_text()) if article else ""
        for solution in solutions:
            for part in solution.select("p, pre, li"):
                text = _words(part.get_text())
                if len(text) >= 40 and text in shown:
                    problems.append(f"{name}: solution text shown: {text[:80]!r}")
    assert n_exercises >= 15 and n_solutions >= n_exercises, (n_exercises, n_solutions)
    assert not problems, "\n".join(problems)
