"""Print the built book to one PDF, _build/pdf/book.pdf, for lecturers to print and annotate.

    jupyter-book build . && python tools/build_pdf.py

Every page of ``_build/html`` in the order of ``_toc.yml`` is opened in headless Chromium
(Debian's, driven by Playwright; no browser download, no TeX), with MathJax served from the local
copy as in ``tools/browsercheck.py`` (fetched by ``tools/fetch_mathjax.sh`` when it is missing).
Once MathJax has typeset and the images have loaded, the page is printed (A4, print stylesheet:
no sidebars, header or navigation; solutions and hidden outputs unfolded, hidden plotting code
left out; no equation, figure or table split from its number or caption). The pages are merged
with pypdf behind a title page and a table of contents with page numbers; the bookmarks go down
to the sections; every sheet after the title page carries its chapter's title as a running head
and its number at the foot. The API reference is printed on its own, ``_build/pdf/api.pdf``.
A missing Chromium or npm stops it with one line naming the command to run.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import html
import importlib
import io
import re
import sys
import unicodedata
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
HTML = REPO / "_build" / "html"
OUT = REPO / "_build" / "pdf" / "book.pdf"
APPENDIX = ["api.html"]  # printed on its own (api.pdf beside book.pdf), not in the book

MARGIN = {"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}
PAPER = {"format": "A4", "margin": MARGIN}
SCALE = 0.85  # the text column is then about 790 CSS px wide, a little more than on screen

# Print layout: only the article, full width, under its numbered title; no navigation, buttons,
# folded-code summaries or per-page contents;
# an equation, figure, table or admonition title is not split from its number or caption.
PRINT_CSS = """
@media print {
  .bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer,
  .bd-footer-article, .bd-footer-content, .prev-next-area, .header-article, #pst-back-to-top,
  .skip-link, .search-button-field, .toggle-button, .headerlink, .copybtn,
  details.hide.above-input, details.hide.below-input > summary,
  .bd-header-announcement, #jb-print-docs-body { display: none !important; }
  /* the theme prints its own title (without the chapter's number) and a page contents list in
     place of the article's h1; the book has one contents list, and numbered titles */
  .bd-main .bd-content .bd-article h1:first-of-type { display: block !important; }
  .bd-container, .bd-container__inner, .bd-page-width, .bd-main, .bd-content,
  .bd-article-container, .bd-article {
    max-width: 100% !important; width: 100% !important; margin: 0 !important;
    padding-left: 0 !important; padding-right: 0 !important;
  }
  html, body { background: white !important; }
  figure, img, .cell_output, mjx-container[display="true"], div.math, table, pre,
  .admonition-title { break-inside: avoid; }
  h1, h2, h3, h4, .admonition-title, figcaption, caption { break-after: avoid; }
}
"""

# Front matter (title page, contents), printed with the same paper and scale.
FRONT_CSS = """
body { font-family: sans-serif; color: #222; }
.title { margin-top: 70mm; text-align: center; }
.title h1 { font-size: 30px; margin-bottom: 12mm; }
.title p { font-size: 15px; line-height: 1.5; }
.toc h1 { font-size: 24px; }
.toc div { display: flex; font-size: 14px; line-height: 1.7; break-inside: avoid; }
.toc .chapter { font-weight: bold; margin-top: 2mm; }
.toc .section { padding-left: 8mm; font-size: 13px; }
.toc .fill { flex: 1; border-bottom: 1px dotted #999; margin: 0 2mm 0.5em; }
"""

# Solutions (sphinx-togglebutton dropdowns) and hidden outputs are printed open; hidden plotting
# code is not printed (PRINT_CSS).
_UNFOLD = """
() => {
  document.querySelectorAll('.toggle-button[aria-expanded="false"]').forEach(b => b.click());
  document.querySelectorAll('details.hide.below-input').forEach(d => { d.open = true; });
}
"""

_TEX_CHARS = {
    r"\gamma": "γ", r"\lambda": "λ", r"\mu": "μ", r"\kappa": "κ", r"\epsilon": "ε",
    r"\Delta": "Δ", r"\Pi": "Π", r"\Phi": "Φ", r"\alpha": "α", r"\omega": "ω",
    r"\langle": "⟨", r"\rangle": "⟩", r"\to": "→", r"\infty": "∞",
}  # fmt: skip


@dataclasses.dataclass
class Entry:
    """One printed page of the book: its title, PDF, sections and where they start.

    ``sections`` holds (title, sheet), the sheet counted within ``pdf``; ``sheet`` is the
    page's first sheet in the assembled book.
    """

    title: str
    pdf: bytes
    sections: list[tuple[str, int]]
    sheet: int = 0


def _tool(name: str):
    """A module of ``tools/`` (the browser checker, the book's Sphinx extension): ``tools.name``
    when this module was imported from the package, else top-level (run as a script,
    ``tools/`` is ``sys.path[0]``)."""
    return importlib.import_module(f"{__package__}.{name}" if __package__ else name)


def _browsercheck():
    return _tool("browsercheck")


def reading_order() -> list[str]:
    """The book's files in reading order, as HTML paths (``chapters/01_wehrl.html``)."""
    return [f"{name}.html" for name in _tool("toc").docnames(REPO)]


def plain(title: str) -> str:
    """A heading as plain text: the permalink sign dropped, inline TeX made readable."""
    title = re.sub(r"\\[()]", "", title.replace("#", ""))
    for tex, char in _TEX_CHARS.items():
        title = re.sub(re.escape(tex) + r"(?![A-Za-z])", char, title)
    title = re.sub(r"\\[A-Za-z]+", "", title).replace("{", "").replace("}", "")
    return " ".join(title.split())


def normal(text: str) -> str:
    """Ligatures unfolded (NFKC), hyphenation at line ends undone, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(re.sub(r"-\n", "-", text).split())


def build_pdf(html_dir: Path = HTML, out: Path = OUT, timeout_ms: int = 60_000) -> Path:
    """Print the book into ``out`` and its API reference into ``api.pdf`` beside it.

    Returns ``out``. See the module docstring for what the book holds.
    """
    from playwright.sync_api import sync_playwright

    bc = _browsercheck()
    html_dir = Path(html_dir).resolve()
    order = reading_order()
    missing = [p for p in order if not (html_dir / p).is_file()]
    if missing:
        raise FileNotFoundError(f"not built: {missing} in {html_dir}; run jupyter-book build .")
    with bc.serve(html_dir) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(bc.CHROMIUM), headless=True, args=bc.CHROMIUM_FLAGS
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            handler, blocked = bc._mathjax_route(bc.MATHJAX_DIR)
            context.route("**/*", handler)
            printed = {
                rel: _print_page(context, base, rel, html_dir, timeout_ms, bc) for rel in order
            }
            if blocked:
                raise RuntimeError(f"requests to the internet were blocked: {blocked[:3]}")
            book = _assemble(browser, [printed[p] for p in order if p not in APPENDIX], True)
            api = _assemble(browser, [printed[p] for p in order if p in APPENDIX], False)
        finally:
            browser.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    for writer, path, title in ((book, out, ""), (api, out.with_name("api.pdf"), ": API")):
        writer.add_metadata({"/Title": _book_title() + title, "/Creator": "tools/build_pdf.py"})
        with open(path, "wb") as fh:
            writer.write(fh)
    return out


def _print_page(context, base: str, rel: str, html_dir: Path, timeout_ms: int, bc) -> Entry:
    """Open one page of the book, wait for MathJax and its images, and print it."""
    title, sections = _headings(html_dir / rel)
    url = base + rel
    page = context.new_page()
    page.goto(url, wait_until="load", timeout=timeout_ms)
    state = page.evaluate(bc._WAIT_MATHJAX % timeout_ms)
    if state == "MathJax never started":
        raise RuntimeError(f"{url}: MathJax did not start")
    failed = page.evaluate(bc._WAIT_IMAGES % timeout_ms)
    if failed:
        raise RuntimeError(f"{url}: images not loaded: {failed}")
    math = page.evaluate(bc._MATH_REPORT)
    if math["untypeset"] or math["errors"]:
        raise RuntimeError(
            f"{url}: math not typeset: {math['untypeset'][:3]}, TeX errors: {math['errors'][:3]}"
        )
    page.evaluate(_UNFOLD)
    page.add_style_tag(content=PRINT_CSS)
    page.emulate_media(media="print")
    pdf = page.pdf(**PAPER, scale=SCALE, print_background=True)
    page.close()
    print(f"{rel}: printed", flush=True)
    return Entry(plain(title), pdf, _section_sheets(pdf, sections))


def _headings(path: Path) -> tuple[str, list[str]]:
    """The page's title and its sections' titles, with their TeX (``\\(...\\)``) as written."""
    from bs4 import BeautifulSoup

    article = BeautifulSoup(path.read_text(), "html.parser").select_one("article")
    title = article.select_one("h1") if article else None
    sections = article.select("section > h2") if article else []
    return (title.get_text() if title else path.stem), [h.get_text() for h in sections]


def heading_key(raw: str) -> str:
    """What of a heading the PDF's text shows: its words up to its first formula (a typeset
    formula prints as MathJax's glyphs, not as its TeX), normalized, at most 30 characters."""
    return normal(plain(raw.split("\\(")[0]))[:30]


def _section_sheets(pdf: bytes, sections: list[str]) -> list[tuple[str, int]]:
    """Each section (its plain title) with the sheet of ``pdf`` its heading is printed on.

    A heading is found by its text up to its first formula: the PDF's text of a typeset formula
    is MathJax's glyphs, not the TeX.
    """
    from pypdf import PdfReader

    texts = [normal(p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]
    found, sheet = [], 0
    for raw in sections:
        key = heading_key(raw)
        sheet = next((i for i in range(sheet, len(texts)) if key in texts[i]), sheet)
        found.append((plain(raw), sheet))
    return found


def _assemble(browser, entries: list[Entry], front_matter: bool):
    """Merge printed pages (behind a title page and contents when ``front_matter``), with
    bookmarks, running heads and page numbers; return the pypdf writer."""
    from pypdf import PdfReader, PdfWriter

    def sheets(pdf: bytes) -> int:
        return len(PdfReader(io.BytesIO(pdf)).pages)

    front = []
    if front_matter:
        title = _print_html(browser, _title_page())
        contents = _print_html(browser, _contents(entries))
        for _ in range(3):  # the numbers may rewrap a line: repeat until the length is stable
            start = sheets(title) + sheets(contents)
            for entry in entries:
                entry.sheet = start
                start += sheets(entry.pdf)
            contents, before = _print_html(browser, _contents(entries)), sheets(contents)
            if sheets(contents) == before:
                break
        else:
            raise RuntimeError("the table of contents does not settle to one length")
        front = [title, contents]
    writer = PdfWriter()
    for part in front:
        writer.append(PdfReader(io.BytesIO(part)))
    heads: list[str | None] = [None] + [""] * (len(writer.pages) - 1) if front else []
    if front:
        writer.add_outline_item("Contents", 1)
    for entry in entries:
        if entry.sheet != len(writer.pages) and front:
            raise RuntimeError(f"{entry.title}: contents say sheet {entry.sheet + 1}")
        entry.sheet = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(entry.pdf)))
        parent = writer.add_outline_item(entry.title, entry.sheet)
        for section, sheet in entry.sections:
            writer.add_outline_item(section, entry.sheet + sheet, parent=parent)
        heads += [entry.title] * (len(writer.pages) - len(heads))
    overlay = PdfReader(io.BytesIO(_overlay(browser, heads)))
    for sheet, marks in zip(writer.pages, overlay.pages, strict=True):
        sheet.merge_page(marks)
    return writer


def _print_html(browser, body: str) -> bytes:
    """A page of front matter printed like the book's pages."""
    page = browser.new_page()
    page.set_content(f"<html><head><style>{FRONT_CSS}</style></head><body>{body}</body></html>")
    pdf = page.pdf(**PAPER, scale=SCALE, print_background=True)
    page.close()
    return pdf


def _title_page() -> str:
    return (
        f'<div class="title"><h1>{html.escape(_book_title())}</h1>'
        "<p>An executable book that reproduces and extends<br>"
        "B. O. Goes, C. E. Fiore and G. T. Landi,<br><i>Quantum features of entropy production "
        "in driven-dissipative transitions</i>,<br>Phys. Rev. Research 2, 013136 (2020)</p>"
        f"<p>Version {html.escape(_tool('epbook_sphinx').book_version())} &middot; printed "
        f"{datetime.date.today().isoformat()}</p>"
        "<p>Code: MIT licence &middot; text and figures: CC BY 4.0</p></div>"
    )


def _contents(entries: list[Entry]) -> str:
    rows = []
    for entry in entries:
        rows.append(_toc_row("chapter", entry.title, entry.sheet))
        rows += [_toc_row("section", t, entry.sheet + s) for t, s in entry.sections]
    return '<div class="toc"><h1>Contents</h1>' + "".join(rows) + "</div>"


def _toc_row(kind: str, title: str, sheet: int) -> str:
    return (
        f'<div class="{kind}"><span>{html.escape(title)}</span><span class="fill"></span>'
        f"<span>{sheet + 1}</span></div>"
    )


def _overlay(browser, heads: list[str | None]) -> bytes:
    """One A4 sheet per entry of ``heads``, blank but for the running head at the top and the
    sheet's number at the foot, both in the margins; ``None`` leaves the sheet blank."""
    sheets = []
    for number, head in enumerate(heads, start=1):
        marks = (
            ""
            if head is None
            else (f'<div class="head">{html.escape(head)}</div><div class="foot">{number}</div>')
        )
        sheets.append(f'<div class="sheet">{marks}</div>')
    page = browser.new_page()
    page.set_content(
        "<html><head><style>"
        "@page { size: A4; margin: 0 } body { margin: 0 }"
        ".sheet { position: relative; width: 210mm; height: 297mm; break-after: page;"
        " font: 9px sans-serif; color: #444 }"
        ".head { position: absolute; top: 8mm; left: 14mm; right: 14mm; text-align: right;"
        " border-bottom: 0.3pt solid #999; padding-bottom: 1mm }"
        ".foot { position: absolute; bottom: 8mm; width: 100%; text-align: center }"
        f"</style></head><body>{''.join(sheets)}</body></html>"
    )
    pdf = page.pdf(format="A4", margin={"top": "0", "bottom": "0", "left": "0", "right": "0"})
    page.close()
    return pdf


def _book_title() -> str:
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    return str(config.get("title", "Book"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_dir", type=Path, nargs="?", default=HTML)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    bc = _browsercheck()
    try:
        bc.require_browser()
    except bc.MissingToolError as exc:
        print(f"build_pdf: {exc}", file=sys.stderr)
        return 2
    out = build_pdf(args.html_dir, args.out)
    from pypdf import PdfReader

    print(f"{out}: {len(PdfReader(out).pages)} pages; {out.with_name('api.pdf')}: API reference")
    return 0


if __name__ == "__main__":
    sys.exit(main())
