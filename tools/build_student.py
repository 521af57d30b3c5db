"""Build the student edition of the book: every exercise, no solution, into _build/student/html.

    python tools/build_student.py

The same sources and _config.yml as the book, with sphinx-exercise's ``hide_solutions`` on (a
gated solution, ``{solution-start}`` ... ``{solution-end}``, disappears with its code cells and
outputs, see ``tools/epbook_sphinx.py``). Notebooks are taken from the main build's execution cache,
``_build/.jupyter_cache``, so after ``jupyter-book build .`` nothing is executed again (a chapter
missing from the cache is executed and stored there). Warnings are errors, as in the main build.
Exit status 0 on success.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def build_student(
    source: Path = REPO,
    out: Path | None = None,
    cache: Path | None = None,
    *,
    quiet: bool = False,
) -> int:
    """Build the book in ``source`` without solutions into ``out/html``; return the exit status.

    ``out`` defaults to ``source/_build/student`` and ``cache`` (the jupyter-cache folder shared
    with the main build) to ``source/_build/.jupyter_cache``.
    """
    from jupyter_book.sphinx import build_sphinx

    source = Path(source).resolve()
    out = Path(out) if out is not None else source / "_build" / "student"
    cache = Path(cache) if cache is not None else source / "_build" / ".jupyter_cache"
    overrides = {
        "external_toc_path": (source / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "nitpicky": True,
        "hide_solutions": True,
        "nb_execution_cache_path": str(cache),
    }
    result = build_sphinx(
        source,
        out / "html",
        noconfig=True,
        path_config=str(source / "_config.yml"),
        confoverrides=overrides,
        doctreedir=out / ".doctrees",
        builder="html",
        warningiserror=True,
        keep_going=True,
        quiet=quiet,
    )
    return result if isinstance(result, int) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=REPO, help="book folder (default: this)")
    parser.add_argument("--quiet", action="store_true", help="only warnings and errors")
    args = parser.parse_args(argv)
    status = build_student(args.source, quiet=args.quiet)
    if status == 0:
        out = Path(args.source).resolve() / "_build" / "student" / "html" / "index.html"
        print(f"student edition: {out}")
    return status


if __name__ == "__main__":
    sys.exit(main())
