"""tools/export_assignment.py: a chapter's checkable exercises as a graded assignment.

A chapter is exported (student notebook + private key); the student notebook holds no expected
value and runs as it is (every answer missing, score 0); a submission with the right values
scores full marks, one with wrong values none, and one with a close value half a point.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

import export_assignment as ea  # noqa: E402

CHAPTER = REPO / "chapters" / "03_thermodynamic_limit.md"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("assignment")
    notebook, key = ea.export(CHAPTER, out)
    return notebook, key, json.loads(key.read_text())


def _labels(key: dict) -> list[str]:
    return [k for k in key if not k.startswith("_")]


def _submission(notebook: Path, path: Path, values: dict) -> Path:
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        for label, value in values.items():
            placeholder = f'answers["{label}"] = ...'
            if cell.cell_type == "code" and placeholder in cell.source:
                cell.source = cell.source.replace(placeholder, f'answers["{label}"] = {value!r}')
    nbformat.write(nb, path)
    return path


def test_export_has_every_checkable_exercise_and_no_answer(exported):
    notebook, _, key = exported
    stored = json.loads((REPO / "epcore" / "data" / "answers.json").read_text())
    chapter_labels = [label for label, _ in ea.chapter_exercises(CHAPTER)]
    assert _labels(key) == [label for label in chapter_labels if label in stored]
    assert len(_labels(key)) >= 4
    text = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells)
    for label in _labels(key):
        assert f'answers["{label}"] = ...' in text
        values = key[label]["value"]
        for v in values if isinstance(values, list) else [values]:
            for shown in (repr(v), f"{v:.6g}", f"{v:.4g}"):
                if len(shown.lstrip("-")) >= 4:
                    assert shown not in text, (label, shown)
    assert "{eq}" not in text and "{ref}" not in text


def test_grading_right_close_wrong_and_empty(exported, tmp_path):
    notebook, key_path, key = exported
    labels = _labels(key)
    right = {label: key[label]["value"] for label in labels}
    wrong = {label: (v * 3 + 1 if not isinstance(v, list) else [x * 3 + 1 for x in v])
             for label, v in right.items()}
    close = dict(right)
    first = labels[0]
    v = right[first]
    factor = 1 + 0.5 * (key[first]["rtol"] + key[first]["close_rtol"])
    close[first] = v * factor if not isinstance(v, list) else [x * factor for x in v]

    good = ea.grade(key_path, _submission(notebook, tmp_path / "good.ipynb", right))
    assert good["score"] == good["total"] == len(labels)
    assert {r["verdict"] for r in good["exercises"]} == {"right"}

    bad = ea.grade(key_path, _submission(notebook, tmp_path / "bad.ipynb", wrong))
    assert bad["score"] == 0 and {r["verdict"] for r in bad["exercises"]} == {"wrong"}

    near = ea.grade(key_path, _submission(notebook, tmp_path / "near.ipynb", close))
    assert near["score"] == len(labels) - 0.5
    assert [r["verdict"] for r in near["exercises"]][0] == "close"

    empty = ea.grade(key_path, notebook)
    assert empty["score"] == 0 and {r["verdict"] for r in empty["exercises"]} == {"missing"}


def test_command_line(exported, tmp_path):
    notebook, key_path, key = exported
    right = {label: key[label]["value"] for label in _labels(key)}
    sub = _submission(notebook, tmp_path / "good.ipynb", right)
    result = tmp_path / "result.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "tools" / "export_assignment.py"), "grade",
         str(key_path), str(sub), "--json", str(result)],
        capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1].split()[-1] == f"{len(right)}/{len(right)}"
    assert json.loads(result.read_text())["score"] == len(right)
