"""Time a cold and a cached build of the book and check that the cached one executes nothing.

    python tools/time_build.py              # cold build (deletes all of _build), then cached
    python tools/time_build.py --cached-only  # only the cached rebuild (used by .ci/run)

Cold: ``_build`` deleted and epcore's sweep cache pointed at an empty folder, so every chapter
is executed and every sweep computed. Cached: ``_build/html`` and
``_build/.doctrees`` deleted, ``_build/.jupyter_cache`` kept, so every page is re-read and
re-rendered but each notebook comes from the cache. Both builds use ``-W -n --keep-going``.
Exit status 1 if a build fails or the cached build executed any notebook. Prints a Markdown
summary to paste into README.md and reproducibility.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / "_build"
EXECUTED = re.compile(r"Executing notebook using")
CACHED = re.compile(r"Using cached notebook")


def build(label: str, log: Path, env: dict | None = None) -> tuple[float, int, int, int]:
    """Run one build; return (seconds, exit code, notebooks executed, notebooks from cache)."""
    start = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.run(
            ["jupyter-book", "build", ".", "-W", "-n", "--keep-going", "-v"],
            cwd=REPO,
            stdout=fh,
            stderr=subprocess.STDOUT,
            env=env,
        )
    seconds = time.perf_counter() - start
    text = log.read_text(errors="replace")
    executed = len(EXECUTED.findall(text))
    cached = len(CACHED.findall(text))
    print(
        f"{label}: {seconds:.0f} s, exit {proc.returncode}, {executed} notebook(s) executed, "
        f"{cached} from the cache (log: {log})",
        flush=True,
    )
    return seconds, proc.returncode, executed, cached


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    python = platform.python_version()
    return f"{os.cpu_count()} cores ({cpu}), Python {python}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cached-only", action="store_true", help="skip the cold build")
    parser.add_argument("--logs", type=Path, default=Path("/tmp"), help="folder for build logs")
    args = parser.parse_args(argv)
    ok = True
    if not args.cached_only:
        shutil.rmtree(BUILD, ignore_errors=True)
        # epcore's own sweep cache (epcore.sweep) goes to an empty folder, so nothing is reused.
        with tempfile.TemporaryDirectory() as empty:
            env = {**os.environ, "EPCORE_CACHE": empty}
            cold = build("cold build", args.logs / "book-build-cold.log", env)
        ok &= cold[1] == 0
    elif not (BUILD / ".jupyter_cache").is_dir():
        print("no _build/.jupyter_cache: run a build first", file=sys.stderr)
        return 1
    for sub in ("html", ".doctrees"):
        shutil.rmtree(BUILD / sub, ignore_errors=True)
    cached = build("cached rebuild", args.logs / "book-build-cached.log")
    ok &= cached[1] == 0
    if cached[2]:
        print("cached rebuild executed notebooks: the cache is not being reused", file=sys.stderr)
        ok = False
    if not args.cached_only:
        today = dt.date.today().isoformat()
        print(
            f"\n| build | wall time | notebooks executed |\n| --- | --- | --- |\n"
            f"| cold (`rm -rf _build`) | {cold[0]:.0f} s | {cold[2]} |\n"
            f"| cached (`_build/.jupyter_cache` kept) | {cached[0]:.0f} s | {cached[2]} |\n"
            f"\nMeasured {today} on {machine()}."
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
