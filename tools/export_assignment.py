"""Turn a chapter's checkable exercises into an autograded assignment, and grade submissions.

    python tools/export_assignment.py export chapters/04_kerr.md --out assignment/
    python tools/export_assignment.py grade assignment/04_kerr_key.json submission.ipynb

``export`` writes two files:

- ``<chapter>_assignment.ipynb``, the student notebook: one section per exercise of the chapter
  that has a stored answer (``epcore/data/answers.json``), with the exercise's text, a cell
  ``answers["ex-..."] = ...`` to fill in and the same :func:`epcore.exercises.check` call as the
  book (right / close / wrong, never the answer). Nothing else of the chapter is copied, and the
  notebook holds no expected value.
- ``<chapter>_key.json``, the private answer key: for each exercise its expected value, its
  tolerances (same schema as the answers file) and its points. Keep it away from the students.

``grade`` executes a submission in a fresh kernel (``nbclient``; a cell that raises does not stop
the run, its answer is just missing), reads the ``answers`` dictionary the notebook built, and
scores each exercise with the key: full points if right, half if close, none if wrong or
missing (the rule of :func:`epcore.exercises.classify`). It prints one line per exercise and the
total, and with ``--json FILE`` writes them as JSON. Exit status 0 when grading worked, whatever
the score; 2 if the submission could not be run at all.

This is a minimal grader of its own (nbformat and nbclient only): otter-grader would need Docker
to grade and nbgrader a course database and a Jupyter server extension, both heavy for a single
chapter; the format (a notebook in, a score out) is the same.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
MARKER = "__EPCORE_ANSWERS__"
POINTS = {"right": 1.0, "close": 0.5, "wrong": 0.0, "missing": 0.0}
_FENCE = re.compile(r"^(`{3,})\{exercise\}")


def chapter_exercises(path: Path) -> list[tuple[str, str]]:
    """``(label, text)`` of each exercise of a MyST chapter, in order."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    found, i = [], 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end].strip() != match.group(1):
            end += 1
        body = lines[i + 1:end]
        label = next(b.split(":label:")[1].strip() for b in body if ":label:" in b)
        text = "\n".join(b for b in body if not re.match(r"^:[\w-]+:", b)).strip()
        found.append((label, text))
        i = end + 1
    return found


def plain_markdown(text: str) -> str:
    """MyST roles of an exercise's text made readable in plain Jupyter Markdown."""
    text = re.sub(r"\{(?:ref|numref|prf:ref)\}`([^`<]+?)\s*<[^`]+>`", r"\1", text)
    text = re.sub(r"\{(?:ref|numref|prf:ref|doc)\}`([^`]+)`", r"\1", text)
    text = re.sub(r"\{eq\}`([^`]+)`", r"Eq. (\1)", text)
    text = re.sub(r"\{cite\}`([^`]+)`", r"[\1]", text)
    text = re.sub(r"\{func\}`~?([^`]+)`", r"`\1`", text)
    return text


def _title(path: Path) -> str:
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return Path(path).stem


def export(chapter: Path, out: Path, *, answers_file: Path | None = None) -> tuple[Path, Path]:
    """Write the student notebook and the private key of ``chapter`` into ``out``.

    ``answers_file`` defaults to the package's ``epcore/data/answers.json``. Returns the paths
    of the notebook and of the key. Raises ``ValueError`` if the chapter has no checkable
    exercise.
    """
    chapter, out = Path(chapter), Path(out)
    answers_file = answers_file or REPO / "epcore" / "data" / "answers.json"
    stored = json.loads(Path(answers_file).read_text(encoding="utf-8"))
    exercises = [(label, text) for label, text in chapter_exercises(chapter) if label in stored]
    if not exercises:
        raise ValueError(f"{chapter} has no exercise with a stored answer in {answers_file}")
    out.mkdir(parents=True, exist_ok=True)

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# Assignment: {_title(chapter)}\n\n"
            "Replace each `...` by your answer (a number, a list of numbers, or code that "
            "computes it) and run the notebook from top to bottom. The check under each answer "
            "says right, close or wrong; the grade uses the same tolerances. Do not rename the "
            "`answers` dictionary."),
        nbformat.v4.new_code_cell("import numpy as np\n\nfrom epcore import exercises\n\n"
                                  "answers = {}"),
    ]
    key = {"_chapter": chapter.name, "_points": POINTS}
    for n, (label, text) in enumerate(exercises, start=1):
        entry = stored[label]
        cells.append(nbformat.v4.new_markdown_cell(
            f"## Exercise {n} (`{label}`)\n\n{plain_markdown(text)}\n\n"
            f"**Your answer:** {entry.get('quantity', '')}"))
        cells.append(nbformat.v4.new_code_cell(
            f'answers["{label}"] = ...  # your value\n'
            f'exercises.check("{label}", answers["{label}"])'))
        key[label] = dict(entry, points=1.0)
    nb.cells = cells
    notebook = out / f"{chapter.stem}_assignment.ipynb"
    key_path = out / f"{chapter.stem}_key.json"
    nbformat.write(nb, notebook)
    key_path.write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")
    return notebook, key_path


_DUMP = f"""\
import json as _json
def _plain(v):
    if v is Ellipsis or v is None:
        return None
    if hasattr(v, "tolist"):
        v = v.tolist()
    if isinstance(v, complex):
        return [v.real, v.imag] if v.imag else v.real
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    try:
        return float(v)
    except (TypeError, ValueError):
        return repr(v)
print("{MARKER}" + _json.dumps({{k: _plain(v) for k, v in dict(answers).items()}}))
"""


def submitted_answers(submission: Path, *, timeout: int = 600) -> dict:
    """Execute ``submission`` in a fresh kernel and return the ``answers`` it built.

    Cells that raise are skipped over (``allow_errors``); a notebook without an ``answers``
    dictionary gives ``{}``.
    """
    from nbclient import NotebookClient

    nb = nbformat.read(Path(submission), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("try:\n    answers\nexcept NameError:\n"
                                              "    answers = {}\n" + _DUMP))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(Path(submission).parent)}})
    client.execute()
    for output in nb.cells[-1].get("outputs", []):
        text = output.get("text", "")
        if MARKER in text:
            return json.loads(text.split(MARKER, 1)[1].strip().splitlines()[0])
    return {}


def grade(key_path: Path, submission: Path, *, timeout: int = 600) -> dict:
    """Score a submission against a key; return ``{"exercises": [...], "score", "total"}``."""
    sys.path.insert(0, str(REPO))
    from epcore.exercises import classify, parse_answers

    raw = json.loads(Path(key_path).read_text(encoding="utf-8"))
    points = raw.get("_points", POINTS)
    key = parse_answers(raw)
    given = submitted_answers(submission, timeout=timeout)
    rows = []
    for label, answer in key.items():
        value = given.get(label)
        verdict = classify(answer, value)
        full = float(raw[label].get("points", 1.0))
        rows.append({"label": label, "verdict": verdict, "points": full * points[verdict],
                     "max": full})
    return {"exercises": rows, "score": sum(r["points"] for r in rows),
            "total": sum(r["max"] for r in rows)}


def main(argv: list[str] | None = None) -> int:
    """Command line: ``export CHAPTER --out DIR`` or ``grade KEY SUBMISSION [--json FILE]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("export", help="student notebook and private key of a chapter")
    ex.add_argument("chapter", type=Path)
    ex.add_argument("--out", type=Path, required=True)
    gr = sub.add_parser("grade", help="execute and score a submission")
    gr.add_argument("key", type=Path)
    gr.add_argument("submission", type=Path)
    gr.add_argument("--json", type=Path, help="also write the result as JSON")
    gr.add_argument("--timeout", type=int, default=600, help="per cell, in seconds")
    args = parser.parse_args(argv)
    if args.command == "export":
        notebook, key = export(args.chapter, args.out)
        print(f"student notebook: {notebook}\nprivate key:      {key}")
        return 0
    try:
        result = grade(args.key, args.submission, timeout=args.timeout)
    except Exception as err:  # the submission could not be run at all
        print(f"could not grade {args.submission}: {err}", file=sys.stderr)
        return 2
    for row in result["exercises"]:
        print(f"{row['label']:<28} {row['verdict']:<8} {row['points']:g}/{row['max']:g}")
    print(f"{'total':<28} {'':<8} {result['score']:g}/{result['total']:g}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
