"""The printed book, ``python tools/build_pdf.py`` -> ``_build/pdf/book.pdf``, read with pypdf.

Skipped when the PDF has not been built (``.ci/run`` builds it and sets ``EPBOOK_REQUIRE_BUILD=1``,
which makes the skip a failure).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from tools import build_pdf

REPO = Path(__file__).resolve().parent.parent
PDF = REPO / "_build" / "pdf" / "book.pdf"
HTML = REPO / "_build" / "html"




# $...$ holding a TeX command: inline math that MathJax did not typeset (may span lines).
_INLINE_TEX = re.compile(r"\$(?=[^$\s])[^$]{0,200}?\\[A-Za-z]+[^$]{0,200}?\$")


def _title(md: Path) -> str:
    """The page's first level-1 heading in the Markdown source."""
    for line in md.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{md} has no title")


#: Sphinx's smart quotes, back to the straight ones of the Markdown titles
SMART_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _normal(text: str) -> str:
    """Ligatures unfolded (NFKC), hyphenation at line ends undone, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(re.sub(r"-\n", "-", text).split())


@pytest.fixture(scope="module")
def book(skip_or_fail):
    if not PDF.is_file():
        skip_or_fail(f"no {PDF} (jupyter-book build . && python tools/build_pdf.py)", "build")
    from pypdf import PdfReader

    reader = PdfReader(PDF)
    texts = [page.extract_text() for page in reader.pages]
    return reader, texts


def test_reading_order_from_the_toc():
    order = build_pdf.reading_order()
    assert order[0] == "intro.html" and order[-1] == "bibliography.html"
    chapters = [p for p in order if p.startswith("chapters/")]
    assert chapters == sorted(chapters) and len(chapters) >= 5
    assert order.index("notation.html") < order.index(chapters[0])
    assert order.index(chapters[-1]) < order.index("errata.html")


def _chapters(reader) -> list[tuple[str, int, list]]:
    """Top-level bookmarks after "Contents": (title, sheet, the section bookmarks under it)."""
    items, outline = [], reader.outline
    for i, item in enumerate(outline):
        if isinstance(item, list):
            continue
        children = (
            outline[i + 1] if i + 1 < len(outline) and isinstance(outline[i + 1], list) else []
        )
        items.append((item.title, reader.get_destination_page_number(item), children))
    assert items[0][0] == "Contents", "the first bookmark is not the table of contents"
    return items[1:]


@pytest.mark.book
def test_every_page_in_order_with_its_title(book):
    reader, texts = book
    module = build_pdf
    order = [p for p in module.reading_order() if p not in module.APPENDIX]
    titles = [_title(REPO / Path(p).with_suffix(".md")) for p in order]
    assert 3 * len(order) <= len(reader.pages) <= 1000, len(reader.pages)
    chapters = _chapters(reader)
    assert len(chapters) == len(titles)
    for (bookmark, _, _), title in zip(chapters, titles, strict=True):
        assert bookmark.translate(SMART_QUOTES).endswith(title), (bookmark, title)
    starts = [sheet for _, sheet, _ in chapters]
    assert starts == sorted(set(starts)) and starts[0] >= 2  # after the title page and contents
    # each title is printed, with its chapter number, on the sheet its bookmark points to
    for bookmark, sheet, _ in chapters:
        assert _normal(bookmark) in _normal(texts[sheet]), f"{bookmark!r} not on sheet {sheet + 1}"
    numbered = [b for b, _, _ in chapters if re.match(r"\d+\. ", b)]
    assert len(numbered) >= 6, f"chapter titles without their numbers: {chapters}"


@pytest.mark.book
def test_front_matter_title_page_and_contents_with_page_numbers(book):
    reader, texts = book
    title = _normal(texts[0])
    for needed in ("Entropy production in driven-dissipative", "Goes", "013136", "Version"):
        assert needed in title, f"title page lacks {needed!r}"
    first = _chapters(reader)[0][1]
    contents = _normal(" ".join(texts[1:first]))
    assert contents.startswith("Contents")
    for bookmark, sheet, sections in _chapters(reader):
        # "4. Kerr bistability 54": the title followed by the number of its sheet
        assert f"{_normal(bookmark)} {sheet + 1}" in contents, (bookmark, sheet + 1)
        for section in sections:
            number = reader.get_destination_page_number(section) + 1
            assert f"{_normal(section.title)} {number}" in contents, (section.title, number)


@pytest.mark.book
def test_bookmarks_go_down_to_sections_on_their_sheets(book):
    reader, texts = book
    module = build_pdf
    pages = [p for p in module.reading_order() if p not in module.APPENDIX]
    chapters = _chapters(reader)
    assert len([c for c in chapters if len(c[2]) >= 3]) >= 6, "too few pages with sections"
    for rel, (bookmark, _, sections) in zip(pages, chapters, strict=True):
        _, headings = module._headings(HTML / rel)
        assert len(sections) == len(headings), f"{bookmark}: {len(sections)} section bookmarks"
        sheets = [reader.get_destination_page_number(s) for s in sections]
        assert sheets == sorted(sheets), f"{bookmark}: sections out of order"
        if len(sheets) >= 3:
            assert sheets[-1] > sheets[0], f"{bookmark}: every section on one sheet"
        for section, heading, sheet in zip(sections, headings, sheets, strict=True):
            key = module.heading_key(heading)
            assert key in _normal(texts[sheet]), f"{section.title!r} not on sheet {sheet + 1}"


@pytest.mark.book
@pytest.mark.book
def test_api_reference_is_its_own_pdf(book):
    from pypdf import PdfReader

    api = PDF.with_name("api.pdf")  # tools/build_pdf.py prints it with the book
    assert api.is_file(), f"no {api} beside {PDF}"
    reader = PdfReader(api)
    assert len(reader.pages) >= 10 and "epcore" in reader.pages[0].extract_text()


@pytest.mark.book
def test_numbered_sheets_with_running_heads(book):
    reader, texts = book
    numbers = [text.split()[-1] if text.split() else "" for text in texts]
    assert numbers[1:] == [str(i) for i in range(2, len(texts) + 1)]  # the title page has none
    chapters = _chapters(reader)
    for (title, start, _), (_, end, _) in zip(
        chapters, [*chapters[1:], ("", len(texts), [])], strict=True
    ):
        for sheet in range(start + 1, end):
            assert _normal(title) in _normal(texts[sheet]), f"no running head on sheet {sheet + 1}"


@pytest.mark.book
def test_no_equation_number_split_from_its_formula(book):
    """A display equation's number prints on the line of its formula: never alone as the first
    or the last line of a sheet's body (read with the layout kept; the running head above and
    the page number below are not the body)."""
    reader, _ = book
    alone = re.compile(r"^\(\d+\.\d+\)$")
    split, numbers = [], 0
    for sheet, page in enumerate(reader.pages):
        lines = [ln.strip() for ln in page.extract_text(extraction_mode="layout").splitlines()]
        body = [ln for ln in lines if ln][1:-1]
        numbers += sum(bool(re.search(r"\(\d+\.\d+\)$", ln)) for ln in body)
        for line in body[:1] + body[-1:]:
            if alone.match(line):
                split.append(f"sheet {sheet + 1}: {line}")
    assert numbers >= 50, f"only {numbers} numbered equations found: is the layout read?"
    assert not split, f"equation numbers split from their formulas: {split}"


def _printed_code() -> str:
    """The code of the printed cells (their inputs, as on the pages), whitespace removed: TeX
    written in a cell's code (a table's headers) is printed as code, rightly."""
    from bs4 import BeautifulSoup

    code = []
    for rel in build_pdf.reading_order():
        article = BeautifulSoup((HTML / rel).read_text(), "html.parser").select_one("article")
        code += [pre.get_text() for pre in article.select(".cell_input pre")]
    return "".join("".join(code).split())


@pytest.mark.book
def test_math_typeset_and_no_raw_tex(book):
    _, texts = book
    text = "\n".join(texts)
    for raw in ("\\frac", "$$", "\\begin{", "Math input error", "Undefined control"):
        sheets = [i + 1 for i, t in enumerate(texts) if raw in t]
        assert not sheets, f"{raw!r} printed on sheet(s) {sheets[:10]}"
    code = _printed_code()
    inline = [
        (i + 1, hit[:60])
        for i, t in enumerate(texts)
        for hit in _INLINE_TEX.findall(t)
        if "".join(hit.split()) not in code  # "$\\Piu$" in a table's code is code, not math
    ]
    assert not inline, f"inline TeX printed as text (sheet, text): {inline[:10]}"
    assert "Show code cell source" not in text, "folded plotting code printed"


@pytest.mark.book
def test_figures_in_place(book):
    reader, _ = book
    from bs4 import BeautifulSoup

    figures = set()
    for rel in build_pdf.reading_order():
        article = BeautifulSoup((HTML / rel).read_text(), "html.parser").select_one("article")
        figures |= {
            img["src"].rsplit("_images/", 1)[-1]
            for img in article.select("img[src]")
            if "_images/" in img["src"]
        }
    images = sum(len(page.images) for page in reader.pages)
    assert len(figures) >= 10
    assert images >= len(figures), f"{images} images in the PDF, {len(figures)} figures in the book"
