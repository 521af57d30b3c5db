"""The README's commands, in the order it prints them, for ``.ci/run`` to run exactly as written.

    python tools/readme_commands.py          # one command per line

A fenced ``bash`` block of README.md is run by CI when the line before its fence is the marker
``<!-- ci: run -->``; a block that cannot run on one machine (a cluster, a publishing step) is
marked ``<!-- ci: not run: REASON -->``. Every ``bash`` block carries one of the two markers
(``tests/test_publishing.py``), so a command cannot be added to the README without CI either
running it or saying why not. Comment-only lines and blank lines are dropped; a command keeps
its trailing ``# comment``, which the shell ignores.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
RUN = "<!-- ci: run -->"
NOT_RUN = re.compile(r"<!-- ci: not run: .+ -->")


def bash_blocks(text: str) -> list[tuple[str, list[str]]]:
    """Each fenced ``bash`` block of ``text`` as (the line before its fence, its lines)."""
    lines = text.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```bash":
            marker = lines[i - 1].strip() if i > 0 else ""
            end = lines.index("```", i + 1)
            blocks.append((marker, lines[i + 1 : end]))
            i = end
        i += 1
    return blocks


def commands(text: str) -> list[str]:
    """The commands of the blocks marked ``<!-- ci: run -->``, in order."""
    return [
        line.strip()
        for marker, body in bash_blocks(text)
        if marker == RUN
        for line in body
        if line.strip() and not line.strip().startswith("#")
    ]


def main() -> int:
    for command in commands(README.read_text()):
        print(command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
