"""The directive blocks of a MyST page (```` ```{exercise} ````, ```` ```{code-cell} ````, ...),
read by myst-parser's Markdown parser, the one the book's build uses."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

_OPTION = re.compile(r"^:([\w-]+):\s*(.*)$")


@dataclasses.dataclass
class Block:
    name: str  # the directive, without braces: "exercise"
    argument: str
    options: dict[str, str]  # the leading ":key: value" lines
    lines: list[str]  # the content, options included
    line: int  # 1-based line of the opening fence

    @property
    def label(self) -> str:
        return self.options.get("label", self.argument)

    @property
    def text(self) -> str:
        """The content without its options."""
        return "\n".join(self.lines[len(self.options) :]).strip()


def blocks(path: Path, names: set[str] | None = None) -> list[Block]:
    """The top-level directive blocks of ``path`` in order (only ``names``, if given)."""
    parser = create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)
    found = []
    for token in parser.parse(Path(path).read_text(encoding="utf-8")):
        if token.type not in ("fence", "colon_fence") or not token.info.startswith("{"):
            continue
        name, _, argument = token.info.partition("}")
        if names is not None and name[1:] not in names:
            continue
        lines = token.content.splitlines()
        options = {}
        for line in lines:
            if not (match := _OPTION.match(line)):
                break
            options[match[1]] = match[2].strip()
        found.append(Block(name[1:], argument.strip(), options, lines, token.map[0] + 1))
    return found
