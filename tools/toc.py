"""The book's pages in reading order, from ``_toc.yml`` as parsed by ``sphinx_external_toc``
(the parser the build uses, installed with jupyter-book), walked depth first."""

from __future__ import annotations

from pathlib import Path

from sphinx_external_toc.api import FileItem
from sphinx_external_toc.parsing import parse_toc_yaml

REPO = Path(__file__).resolve().parent.parent


def docnames(root: Path = REPO) -> list[str]:
    """The documents of ``root/_toc.yml`` in reading order (``chapters/01_wehrl``)."""
    site_map = parse_toc_yaml(root / "_toc.yml")

    def walk(name: str) -> list[str]:
        items = [i for tree in site_map[name].subtrees for i in tree.items]
        return [name] + [d for i in items if isinstance(i, FileItem) for d in walk(str(i))]

    return walk(site_map.root.docname)


def page_files(root: Path = REPO) -> list[Path]:
    """The Markdown files of the pages (``root/chapters/01_wehrl.md``), in reading order."""
    return [root / f"{name}.md" for name in docnames(root) if (root / f"{name}.md").is_file()]
