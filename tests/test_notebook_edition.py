"""The notebook edition (``tools/notebook_edition.py``): chapters as plain notebooks that read
correctly in any Jupyter, in a teacher's variant and a student's variant without solutions.

The macro expansion and the converter are tested on their own; the fixture book of
``book_fixture.py`` shows the two variants end to end; the real book's notebooks are checked when
both editions have been built (``.ci/run`` builds them and sets ``EPBOOK_REQUIRE_BUILD=1``), and
executed top to bottom in a fresh kernel when ``EPBOOK_RUN_NOTEBOOKS=1`` (``.ci/run`` sets it).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from book_fixture import build_student, build_teacher, write_book

from tools import notebook_edition as edition

REPO = Path(__file__).resolve().parent.parent
TEACHER = REPO / "_build" / "html"
STUDENT = REPO / "_build" / "student" / "html"
MACROS = yaml.safe_load((REPO / "_config.yml").read_text())["sphinx"]["config"]["mathjax3_config"][
    "tex"
]["macros"]

BOOK_MACRO = re.compile(r"\\(" + "|".join(MACROS) + r")(?![A-Za-z])")


@pytest.mark.parametrize(
    ("tex", "expanded"),
    [
        (r"\Piu + \Pid = \Phiq", r"\Pi_{\mathrm{u}} + \Pi_{\mathrm{d}} = \Phi_{\mathrm{q}}"),
        (r"\ev{\ad a}^2", r"\langle a^{\dagger} a \rangle^2"),
        (r"\ket{\mu}\bra{\mu}", r"\lvert \mu \rangle\langle \mu \rvert"),
        (r"\ev{\ev{a}}", r"\langle \langle a \rangle \rangle"),
        (r"\ev x", r"\langle x \rangle"),
        (r"\Piext\Piu", r"\Pi_{\mathrm{ext}}\Pi_{\mathrm{u}}"),
        (r"\Piuxyz", r"\Piuxyz"),  # another command's name, not the macro
        (r"\Delta\ad a", r"\Delta a^{\dagger} a"),  # a control word is not glued to the body
        (r"\bra{\mu}a", r"\langle \mu \rvert a"),  # nor the body to a following letter
    ],
)
def test_macros_expand_as_mathjax_does(tex, expanded):
    assert edition.expand_macros(tex, MACROS) == expanded


def test_unbalanced_macro_argument_is_an_error():
    with pytest.raises(ValueError, match="unbalanced"):
        edition.expand_macros(r"\ev{a", MACROS)


def _markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _code(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.book
@pytest.mark.slow
def test_both_variants_from_the_fixture_book(tmp_path):
    import nbformat

    root = write_book(tmp_path / "book")
    assert build_teacher(root).returncode == 0
    assert build_student(root).returncode == 0
    teacher = nbformat.read(root / "_build/html/_notebooks/page.ipynb", as_version=4)
    student = nbformat.read(root / "_build/student/html/_notebooks/page.ipynb", as_version=4)
    for nb in (teacher, student):
        assert "EXERCISE-TEXT" in _markdown(nb) and "Exercise 1" in _markdown(nb)
        assert "Text after the solution" in _markdown(nb)
        assert 'print("VISIBLE-OUTPUT"' in _code(nb)
        assert not edition.UNRESOLVED_MYST.search(_markdown(nb))
    assert "GATED-SOLUTION-TEXT" in _markdown(teacher) and "Solution to" in _markdown(teacher)
    assert 'print("GATED-SOLUTION-OUTPUT", 1 + 1)' in _code(teacher)
    assert "GATED-SOLUTION" not in _markdown(student) + _code(student)
    assert not (root / "_build/student/html/_sources").exists(), (
        "full sources in the student edition"
    )
    leaks = [
        p.relative_to(root).as_posix()
        for p in (root / "_build/student/html").rglob("*")
        if p.is_file() and "GATED-SOLUTION" in p.read_text(errors="ignore")
    ]
    assert not leaks, f"student files holding solution text: {leaks}"


@pytest.fixture(scope="module")
def notebook_pages(skip_or_fail) -> list[str]:
    """The notebook edition's pages (relative paths); skips or fails when it is not built."""
    missing = [p for p in (TEACHER, STUDENT) if not (p / "_notebooks").is_dir()]
    if missing:
        skip_or_fail(
            f"not built: {missing} (jupyter-book build . && python tools/build_student.py)",
            "build",
        )
    return sorted(
        p.relative_to(TEACHER / "_notebooks").as_posix()
        for p in (TEACHER / "_notebooks").rglob("*.ipynb")
    )


CONTROL_WORD = re.compile(r"\\[A-Za-z]+")


def _math(markdown: str) -> str:
    return " ".join(re.findall(r"\$\$.+?\$\$|\$[^$]+\$", markdown, re.S))


def _known_commands(page: Path) -> set[str]:
    """The TeX commands of the page's formulas and of the macros' bodies, plus ``\\tag``:
    expanding the macros must not make up any other (``\\Delta\\ad`` -> ``\\Deltaa``)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.with_suffix(".html").read_text(), "html.parser")
    tex = " ".join(m.get_text() for m in soup.select(".math"))
    bodies = " ".join(v if isinstance(v, str) else v[0] for v in MACROS.values())
    return set(CONTROL_WORD.findall(tex + " " + bodies)) | {"\\tag"}


@pytest.mark.book
def test_every_chapter_in_both_variants_reads_without_myst(notebook_pages):
    import jupytext
    import nbformat

    pages = notebook_pages
    assert len([p for p in pages if p.startswith("chapters/")]) >= 6, pages
    problems = []
    for rel in pages:
        source = REPO / Path(rel).with_suffix(".md")
        for variant, html in (("teacher", TEACHER), ("student", STUDENT)):
            nb = nbformat.read(html / "_notebooks" / rel, as_version=4)
            nbformat.validate(nb)
            text = _markdown(nb)
            if hit := edition.UNRESOLVED_MYST.search(text):
                problems.append(f"{variant} {rel}: MyST markup {hit.group(0)!r}")
            if hit := BOOK_MACRO.search(text):
                problems.append(f"{variant} {rel}: macro {hit.group(0)} not expanded")
            if "$" not in text:
                problems.append(f"{variant} {rel}: no math")
            unknown = set(CONTROL_WORD.findall(_math(text))) - _known_commands(TEACHER / rel)
            if unknown:
                problems.append(f"{variant} {rel}: TeX commands made up: {unknown}")
        # The teacher's variant runs exactly the chapter's code cells, in order: the book build
        # has executed them top to bottom in a fresh kernel (so only the student's variant,
        # which leaves some out, is executed by the test below).
        teacher = nbformat.read(TEACHER / "_notebooks" / rel, as_version=4)
        chapter = [c.source for c in jupytext.read(source).cells if c.cell_type == "code"]
        if [c.source for c in teacher.cells if c.cell_type == "code"] != chapter:
            problems.append(f"{rel}: the teacher's code cells are not the chapter's")
    assert not problems, "\n".join(problems)


@pytest.mark.book
def test_no_student_artefact_holds_solution_text(notebook_pages):
    from bs4 import BeautifulSoup

    solutions = []
    for page in TEACHER.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        for solution in soup.select("div.solution"):
            for part in solution.select("p, li, pre"):
                text = " ".join(part.get_text().split())
                if len(text) >= 40:
                    solutions.append(text)
    assert len(solutions) >= 20, "too few solution paragraphs found to make this test mean much"
    assert not (STUDENT / "_sources").exists(), "the student edition ships the full sources"
    artefacts = [
        p
        for p in STUDENT.rglob("*")
        if p.is_file() and p.suffix in {".html", ".js", ".ipynb", ".txt", ".md"}
    ]
    leaks = []
    for path in artefacts:
        if path.suffix == ".ipynb":
            nb = json.loads(path.read_text())
            text = "\n".join("".join(c["source"]) for c in nb["cells"])
        elif path.suffix == ".html":
            text = BeautifulSoup(path.read_text(), "html.parser").get_text(" ")
        else:
            text = path.read_text(errors="ignore")
        text = " ".join(text.split())
        leaks += [f"{path.relative_to(STUDENT)}: {s[:60]!r}" for s in solutions if s in text]
    assert not leaks, "solution text in the student edition:\n" + "\n".join(leaks[:20])


@pytest.mark.book
def test_student_binder_and_download_buttons_open_the_student_notebook(notebook_pages):
    from bs4 import BeautifulSoup

    for page in sorted((STUDENT / "chapters").glob("*.html")):
        links = [
            a.get("href", "")
            for a in BeautifulSoup(page.read_text(), "html.parser").select("a[href]")
        ]
        assert f"../_notebooks/chapters/{page.stem}.ipynb" in links, page.name
        assert not [link for link in links if "_sources/" in link], page.name
        binder = [link for link in links if "/v2/gh/" in link]
        assert binder and all(
            link.endswith(f"lab/tree/student/chapters/{page.stem}.ipynb") for link in binder
        )


@pytest.mark.book
@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("EPBOOK_RUN_NOTEBOOKS") != "1",
    reason="executes every notebook (minutes): set EPBOOK_RUN_NOTEBOOKS=1 (.ci/run does)",
)
def test_every_student_notebook_runs_top_to_bottom_in_a_fresh_kernel_under_2_gb(
    tmp_path, notebook_pages
):
    """The student's variant leaves the solutions' code cells out, so a later cell may miss
    what a solution defined: run each one. (The teacher's variant is the chapter's own cells,
    which the book build runs; see the test above.)"""
    import nbformat
    from nbclient import NotebookClient

    from tools import chapter_resources as resources
    problems = []
    for rel in notebook_pages:
        nb = nbformat.read(STUDENT / "_notebooks" / rel, as_version=4)
        workdir = tmp_path / Path(rel).parent
        workdir.mkdir(parents=True, exist_ok=True)
        client = NotebookClient(
            nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
        )
        with client.setup_kernel():
            sampler = resources.PeakSampler(client.km.provisioner.process.pid)
            sampler.start()
            try:
                for index, cell in enumerate(nb.cells):
                    client.execute_cell(cell, index)
            except Exception as exc:  # a failing cell: report which
                problems.append(f"{rel}: {type(exc).__name__}: {str(exc)[-300:]}")
            peak = sampler.stop()
        if peak > 2 * 1024**3:
            problems.append(f"{rel}: peak memory {peak / 1024**3:.2f} GB > 2 GB")
        print(f"{rel}: peak {peak / 1024**3:.2f} GB", file=sys.stderr)
    assert not problems, "\n".join(problems)
