"""The book's pages in reading order, read from ``_toc.yml`` by the parser Sphinx uses.

``sphinx_external_toc`` (installed with jupyter-book) turns ``_toc.yml`` into the site map the
build follows; this module walks it depth first, so that the PDF, the chapter timings and the
chapter-code test list the pages in the order of the web book.
"""

from __future__ import annotations

from pathlib import Path

from sphinx_external_toc.api import FileItem
from sphinx_external_toc.parsing import parse_toc_yaml

REPO = Path(__file__).resolve().parent.parent


def docnames(root: Path = REPO) -> list[str]:
    """The documents of ``root/_toc.yml`` in reading order (``chapters/01_wehrl``)."""
    site_map = parse_toc_yaml(root / "_toc.yml")
    order: list[str] = []

    def walk(name: str) -> None:
        order.append(name)
        for subtree in site_map[name].subtrees:
            for item in subtree.items:
                if isinstance(item, FileItem):
                    walk(str(item))

    walk(site_map.root.docname)
    return order


def page_files(root: Path = REPO) -> list[Path]:
    """The source files of the pages (``root/chapters/01_wehrl.md``), in reading order."""
    files = []
    for name in docnames(root):
        found = sorted(root.glob(f"{name}.*"))
        files += [p for p in found if p.suffix in (".md", ".ipynb")][:1]
    return files
