"""The printed book, ``python tools/build_pdf.py`` -> ``_build/pdf/book.pdf``, read with pypdf.

Skipped when the PDF has not been built (``.ci/run`` builds it and sets ``EPBOOK_REQUIRE_BUILD=1``,
which makes the skip a failure).
"""

from __future__ import annotations

import importlib.util
import os
import re
import unicodedata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PDF = REPO / "_build" / "pdf" / "book.pdf"
HTML = REPO / "_build" / "html"


def _build_pdf_module():
    spec = importlib.util.spec_from_file_location("build_pdf", REPO / "tools" / "build_pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# $...$ holding a TeX command: inline math that MathJax did not typeset (may span lines).
_INLINE_TEX = re.compile(r"\$(?=[^$\s])[^$]{0,200}?\\[A-Za-z]+[^$]{0,200}?\$")


def _title(md: Path) -> str:
    """The page's first level-1 heading in the Markdown source."""
    for line in md.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{md} has no title")


def _normal(text: str) -> str:
    """Ligatures unfolded (NFKC), hyphenation at line ends undone, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(re.sub(r"-\n", "-", text).split())


@pytest.fixture(scope="module")
def book():
    if not PDF.is_file():
        reason = f"no {PDF} (jupyter-book build . && python tools/build_pdf.py)"
        if os.environ.get("EPBOOK_REQUIRE_BUILD") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from pypdf import PdfReader

    reader = PdfReader(PDF)
    texts = [page.extract_text() for page in reader.pages]
    return reader, texts


def test_reading_order_from_the_toc():
    order = _build_pdf_module().reading_order()
    assert order[0] == "intro.html" and order[-1] == "bibliography.html"
    chapters = [p for p in order if p.startswith("chapters/")]
    assert chapters == sorted(chapters) and len(chapters) >= 5
    assert order.index("notation.html") < order.index(chapters[0])
    assert order.index(chapters[-1]) < order.index("errata.html")


def test_every_page_in_order_with_its_title(book):
    reader, texts = book
    order = _build_pdf_module().reading_order()
    titles = [_title(REPO / Path(p).with_suffix(".md")) for p in order]
    assert 3 * len(order) <= len(reader.pages) <= 1000, len(reader.pages)
    # one bookmark per page of the book, in reading order, pointing at increasing sheets
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert len(outline) == len(titles)
    for (bookmark, _), title in zip(outline, titles, strict=True):
        assert bookmark.endswith(title), (bookmark, title)
    starts = [sheet for _, sheet in outline]
    assert starts == sorted(set(starts)) and starts[0] == 0
    # each title is printed on the sheet its bookmark points to
    for (_, sheet), title in zip(outline, titles, strict=True):
        assert _normal(title) in _normal(texts[sheet]), f"{title!r} not on sheet {sheet + 1}"


def test_numbered_sheets(book):
    reader, texts = book
    numbers = [text.split()[-1] if text.split() else "" for text in texts]
    assert numbers == [str(i) for i in range(1, len(texts) + 1)]


def test_math_typeset_and_no_raw_tex(book):
    _, texts = book
    text = "\n".join(texts)
    for raw in ("\\frac", "$$", "\\begin{", "Math input error", "Undefined control"):
        sheets = [i + 1 for i, t in enumerate(texts) if raw in t]
        assert not sheets, f"{raw!r} printed on sheet(s) {sheets[:10]}"
    inline = [(i + 1, hit[:60]) for i, t in enumerate(texts) for hit in _INLINE_TEX.findall(t)]
    assert not inline, f"inline TeX printed as text (sheet, text): {inline[:10]}"
    assert "Show code cell source" not in text, "folded plotting code printed"


def test_figures_in_place(book):
    reader, _ = book
    from bs4 import BeautifulSoup

    figures = set()
    for rel in _build_pdf_module().reading_order():
        article = BeautifulSoup((HTML / rel).read_text(), "html.parser").select_one("article")
        figures |= {
            img["src"].rsplit("_images/", 1)[-1]
            for img in article.select("img[src]")
            if "_images/" in img["src"]
        }
    images = sum(len(page.images) for page in reader.pages)
    assert len(figures) >= 10
    assert images >= len(figures), f"{images} images in the PDF, {len(figures)} figures in the book"
