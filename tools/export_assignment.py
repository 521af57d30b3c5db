"""Turn a chapter's checkable exercises into an otter-grader assignment.

    python tools/export_assignment.py chapters/04_kerr.md --out assignments/04_kerr
    otter run -a assignments/04_kerr/autograder/04_kerr-autograder_*.zip SUBMISSION.ipynb

The export writes an otter-grader master notebook and runs ``otter assign`` on it, which leaves
in ``--out``:

- ``student/04_kerr.ipynb``, the student notebook: one section per exercise of the chapter that
  has a stored answer (``epcore/data/answers.json``), with the exercise's text, a cell
  ``answers["ex-..."] = ...`` to fill in and the same :func:`epcore.exercises.check` call as the
  book (right / close / wrong, never the answer). It needs ``epcore``, not otter.
- ``autograder/04_kerr-autograder_<date>.zip``, the private answer key: the hidden tests, which
  hold each expected value and its tolerances, and the solution notebook next to it.
- ``master/04_kerr.ipynb``, the master notebook with solutions and tests (private too).

``otter run`` grades a submission locally, without Docker: it executes the notebook in a fresh
kernel of the current environment, which must have ``epcore``, and writes ``results.json``.
Each exercise is worth one point, half of it for a *close* answer and half for a *right* one
(the rule of :func:`epcore.exercises.classify`), so a right answer scores 1, a close one 0.5,
a wrong or missing one 0.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent

_CONFIG = """\
# ASSIGNMENT CONFIG
name: {name}
init_cell: false
check_all_cell: false
export_cell: false
run_tests: true
generate: true
tests:
  files: false
  ok_format: false
"""

# a hidden otter test: exception based, one function and its call; the expected value and its
# tolerances live only here, i.e. in the autograder
_TEST = '''\
# HIDDEN
def test_{kind}(answers):
    from epcore.exercises import classify, parse_answers
    key = parse_answers({{{label!r}: {entry!r}}})[{label!r}]
    assert classify(key, (answers or {{}}).get({label!r})) in {accepted!r}
test_{kind}(answers)'''


def chapter_exercises(path: Path) -> list[tuple[str, str]]:
    """``(label, text)`` of each exercise of a MyST chapter, in order."""
    myst = importlib.import_module(f"{__package__}.myst_blocks" if __package__ else "myst_blocks")
    return [(block.label, block.text) for block in myst.blocks(path, {"exercise"})]


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


def master_notebook(chapter: Path, stored: dict, only: list[str] | None = None):
    """The otter master notebook of ``chapter``'s exercises that have an entry in ``stored``.

    ``only`` restricts it to these labels. Raises ``ValueError`` if the chapter has no checkable
    exercise or ``only`` names one it does not have.
    """
    exercises = [(label, text) for label, text in chapter_exercises(chapter) if label in stored]
    if not exercises:
        raise ValueError(f"{chapter} has no exercise with a stored answer")
    if only is not None:
        unknown = sorted(set(only) - {label for label, _ in exercises})
        if unknown:
            raise ValueError(f"not checkable exercises of {chapter}: {', '.join(unknown)}; "
                             f"choose among {', '.join(label for label, _ in exercises)}")
        exercises = [(label, text) for label, text in exercises if label in only]
    raw, md, code = nbformat.v4.new_raw_cell, nbformat.v4.new_markdown_cell, \
        nbformat.v4.new_code_cell
    cells = [
        raw(_CONFIG.format(name=Path(chapter).stem)),
        md(f"# Assignment: {_title(chapter)}\n\n"
           "Replace each `...` by your answer (a number, a list of numbers, or code that "
           "computes it) and run the notebook from top to bottom. The check under each answer "
           "says right, close or wrong; the grade uses the same tolerances: a point for a right "
           "answer, half a point for a close one. Do not rename the `answers` dictionary."),
        code("import numpy as np\n\nfrom epcore import exercises\n\nanswers = {}"),
    ]
    for n, (label, text) in enumerate(exercises, start=1):
        entry = {k: v for k, v in stored[label].items() if k != "quantity"}
        cells += [
            raw(f"# BEGIN QUESTION\nname: {label}\npoints: [0.5, 0.5]\ncheck_cell: false"),
            md(f"## Exercise {n} (`{label}`)\n\n{plain_markdown(text)}\n\n"
               f"**Your answer:** {stored[label].get('quantity', '')}"),
            raw("# BEGIN SOLUTION"),
            code(f'answers["{label}"] = {entry["value"]!r}  # SOLUTION\n'
                 f'exercises.check("{label}", answers["{label}"])'),
            raw("# END SOLUTION"),
            raw("# BEGIN TESTS"),
            code(_TEST.format(kind="close", label=label, entry=entry,
                              accepted=("right", "close"))),
            code(_TEST.format(kind="right", label=label, entry=entry, accepted=("right",))),
            raw("# END TESTS"),
            raw("# END QUESTION"),
        ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def export(chapter: Path, out: Path, *, only: list[str] | None = None,
           answers_file: Path | None = None) -> dict[str, Path]:
    """Write the master notebook of ``chapter`` into ``out/master`` and run ``otter assign``.

    ``answers_file`` defaults to the package's ``epcore/data/answers.json``; ``only`` keeps
    these exercise labels. Returns the paths ``master``, ``student`` (notebook) and
    ``autograder`` (zip). Raises ``ValueError`` if no exercise is checkable and
    ``subprocess.CalledProcessError`` if ``otter assign`` fails (its output says why).
    """
    chapter, out = Path(chapter), Path(out).resolve()
    answers_file = answers_file or REPO / "epcore" / "data" / "answers.json"
    stored = json.loads(Path(answers_file).read_text(encoding="utf-8"))
    nb = master_notebook(chapter, stored, only)
    master = out / "master" / f"{chapter.stem}.ipynb"
    master.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, master)
    # otter assign executes the solution notebook against the tests (run_tests), so a wrong key
    # fails the export
    subprocess.run([sys.executable, "-m", "otter", "assign", str(master), str(out)],
                   check=True, cwd=master.parent)
    zips = sorted((out / "autograder").glob(f"{chapter.stem}-autograder_*.zip"))
    return {"master": master, "student": out / "student" / master.name,
            "autograder": zips[-1]}


def main(argv: list[str] | None = None) -> int:
    """Command line: ``CHAPTER --out DIR [--only LABEL ...]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapter", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", nargs="+", metavar="LABEL",
                        help="export only these exercises (labels such as ex-kerr-peak)")
    args = parser.parse_args(argv)
    try:
        paths = export(args.chapter, args.out, only=args.only)
    except ValueError as err:
        print(f"export_assignment: {err}", file=sys.stderr)
        return 2
    print(f"student notebook:        {paths['student']}\n"
          f"private autograder (key): {paths['autograder']}\n"
          f"private master notebook:  {paths['master']}\n"
          f"grade: otter run -a {paths['autograder']} SUBMISSION.ipynb")
    return 0


if __name__ == "__main__":
    sys.exit(main())
