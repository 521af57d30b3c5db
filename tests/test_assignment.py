"""tools/export_assignment.py: a chapter's checkable exercises as an otter-grader assignment.

A chapter is exported with the lecturer's command (``otter assign`` underneath); the student
notebook holds no solution and no expected value, the private autograder holds them all, and
``otter run`` (the real grader, locally, no Docker) gives a submission with the right values
full marks and a mixed one (a close, a wrong, a failing and a missing answer, the rest right)
exactly the points of the rule right 1, close 1/2, otherwise 0. The expected scores come from
``epcore/data/answers.json``, not from the grader.

Needs otter-grader (in requirements.txt); without it the tests skip, unless
``EPBOOK_REQUIRE_GRADER=1`` (set by .ci/run), which turns the skip into a failure.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from tools import export_assignment as ea

pytestmark = pytest.mark.slow  # otter assign and otter run

REPO = Path(__file__).resolve().parent.parent

CHAPTER = REPO / "chapters" / "03_thermodynamic_limit.md"
STORED = json.loads((REPO / "epcore" / "data" / "answers.json").read_text())
LABELS = [label for label, _ in ea.chapter_exercises(CHAPTER) if label in STORED]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])}


@pytest.fixture(scope="module")
def exported(tmp_path_factory, skip_or_fail):
    if importlib.util.find_spec("otter") is None:
        skip_or_fail("otter-grader is not installed: pip install -r requirements.txt", "grader")
    out = tmp_path_factory.mktemp("assignment")
    proc = subprocess.run(
        [sys.executable, str(REPO / "tools" / "export_assignment.py"), str(CHAPTER),
         "--out", str(out)], capture_output=True, text=True, env=ENV, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    zips = list((out / "autograder").glob(f"{CHAPTER.stem}-autograder_*.zip"))
    assert len(zips) == 1, zips
    return out / "student" / f"{CHAPTER.stem}.ipynb", zips[0]


def _submission(notebook: Path, path: Path, sources: dict) -> Path:
    """A copy of ``notebook`` with ``answers[label] = ...`` replaced by ``sources[label]``."""
    nb = nbformat.read(notebook, as_version=4)
    done = set()
    for cell in nb.cells:
        for label, source in sources.items():
            placeholder = f'answers["{label}"] = ...'
            if cell.cell_type == "code" and placeholder in cell.source:
                cell.source = cell.source.replace(placeholder, f'answers["{label}"] = {source}')
                done.add(label)
    assert done == set(sources)
    nbformat.write(nb, path)
    return path


def _grade(autograder: Path, submission: Path) -> dict[str, float]:
    """Score of each exercise, from ``otter run``'s results.json."""
    out = submission.with_suffix("")
    out.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "otter", "run", "-a", str(autograder), "-o", str(out),
         "--no-logo", str(submission)],
        capture_output=True, text=True, env=ENV, timeout=900, cwd=out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tests = json.loads((out / "results.json").read_text())["tests"]
    scores = {t["name"]: t["score"] for t in tests if "score" in t}
    assert {t["max_score"] for t in tests if "score" in t} == {1.0}
    return scores


def _scaled(value, factor, shift=0.0):
    if isinstance(value, list):
        return [v * factor + shift for v in value]
    return value * factor + shift


def test_student_notebook_has_every_exercise_and_no_answer(exported):
    student, autograder = exported
    assert len(LABELS) >= 4
    text = student.read_text()  # cells and metadata
    nb = nbformat.reads(text, as_version=4)
    assert [c.source.splitlines()[0] for c in nb.cells
            if c.cell_type == "code" and "answers[" in c.source] == [
        f'answers["{label}"] = ...' for label in LABELS]
    assert "SOLUTION" not in text and "BEGIN" not in text and "classify" not in text
    assert "{eq}" not in text and "{ref}" not in text
    with zipfile.ZipFile(autograder) as key:
        hidden = "\n".join(key.read(n).decode() for n in key.namelist()
                           if n.startswith("tests/"))
    for label in LABELS:
        value = STORED[label]["value"]
        assert repr(value) in hidden, label  # the private key has it ...
        for v in value if isinstance(value, list) else [value]:
            for shown in (repr(v), f"{v:.6g}", f"{v:.4g}"):
                if len(shown.lstrip("-")) >= 4:
                    assert shown not in text, (label, shown)  # ... the student notebook not


def test_otter_grades_a_right_and_a_mixed_submission(exported, tmp_path):
    student, autograder = exported
    right = {label: repr(STORED[label]["value"]) for label in LABELS}
    good = _grade(autograder, _submission(student, tmp_path / "right.ipynb", right))
    assert good == {label: 1.0 for label in LABELS}

    # first close (between the two tolerances), second wrong, third raises, fourth left as
    # `...` (the student notebook's placeholder), the rest right
    first, second, third, fourth = LABELS[:4]
    e = STORED[first]
    assert e["atol"] == 0 and e["close_atol"] == 0
    mixed = dict(right)
    mixed[first] = repr(_scaled(e["value"], 1 + 0.5 * (e["rtol"] + e["close_rtol"])))
    mixed[second] = repr(_scaled(STORED[second]["value"], 3, 1))
    mixed[third] = "undefined_name  # NameError: the cell fails, the next ones still run"
    mixed[fourth] = "..."
    bad = _grade(autograder, _submission(student, tmp_path / "mixed.ipynb", mixed))
    expected = {label: 1.0 for label in LABELS}
    expected |= {first: 0.5, second: 0.0, third: 0.0, fourth: 0.0}
    assert bad == expected
    assert sum(bad.values()) == len(LABELS) - 3.5


def test_master_notebook_only_and_unknown_labels():
    # no otter needed: the master notebook that otter assign reads
    label = LABELS[1]
    nb = ea.master_notebook(CHAPTER, STORED, [label])
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert f'answers["{label}"] = {STORED[label]["value"]!r}  # SOLUTION' in code[1]
    assert sum("# HIDDEN" in c for c in code) == 2 and len(code) == 4
    assert all(other not in "\n".join(code) for other in LABELS if other != label)
    with pytest.raises(ValueError, match="ex-no-such"):
        ea.master_notebook(CHAPTER, STORED, [label, "ex-no-such"])


def test_assignments_folder_is_not_committed():
    # the lecturer's documented --out folder must stay out of git, hence out of every
    # published tree (the notebook branch is `git archive HEAD`)
    proc = subprocess.run(["git", "check-ignore", "-q", "assignments/04_kerr/autograder/x.zip"],
                          cwd=REPO, capture_output=True)
    if proc.returncode == 128:
        pytest.skip("not a git checkout")
    assert proc.returncode == 0
