"""The directive blocks of a MyST page (```` ```{exercise} ````, ...), read by myst-parser's
Markdown parser, the one the book's build uses."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser


def blocks(path: Path, names: set[str]) -> list[SimpleNamespace]:
    """The top-level blocks of the directives ``names`` in ``path``, in order: ``name``,
    ``label`` (the ``:label:`` option, else the argument), ``lines`` (the content, options
    included), ``text`` (the content after the options) and ``line`` (of the opening fence)."""
    parser = create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)
    found = []
    for token in parser.parse(Path(path).read_text(encoding="utf-8")):
        name, _, argument = token.info.partition("}")
        if token.type not in ("fence", "colon_fence") or name[1:] not in names:
            continue
        lines = token.content.splitlines()
        n = next((k for k, line in enumerate(lines) if not re.match(r":[\w-]+:", line)), len(lines))
        options = dict(re.match(r":([\w-]+):\s*(.*)", line).groups() for line in lines[:n])
        label = options.get("label", argument.strip()).strip()
        text = "\n".join(lines[n:]).strip()
        found.append(SimpleNamespace(name=name[1:], label=label, lines=lines, text=text,
                                     line=token.map[0] + 1))
    return found
