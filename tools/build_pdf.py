"""Print the built book to one PDF, _build/pdf/book.pdf, for lecturers to print and annotate.

    jupyter-book build . && python tools/build_pdf.py

Every page of ``_build/html`` in the order of ``_toc.yml`` is opened in headless Chromium
(Debian's, driven by Playwright; no browser download, no TeX), with MathJax served from the local
copy as in ``tools/browsercheck.py`` (fetched by ``tools/fetch_mathjax.sh`` when it is missing).
Once MathJax has typeset and the images have loaded, the page is printed (A4, print stylesheet:
no sidebars, header or navigation; solutions unfolded, hidden plotting code left out). The pages
are merged with pypdf, a bookmark per page, and numbered at the foot of each sheet: Chromium
prints a blank document of the same size with page numbers in its footer, which is laid over the
merged pages. A missing Chromium or npm stops it with one line naming the command to run.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
HTML = REPO / "_build" / "html"
OUT = REPO / "_build" / "pdf" / "book.pdf"

MARGIN = {"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}
PAPER = {"format": "A4", "margin": MARGIN}
SCALE = 0.85  # the text column is then about 790 CSS px wide, a little more than on screen

# Print layout: only the article, full width; no navigation, buttons or folded-code summaries.
PRINT_CSS = """
@media print {
  .bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer,
  .bd-footer-article, .bd-footer-content, .prev-next-area, .header-article, #pst-back-to-top,
  .skip-link, .search-button-field, .toggle-button, .headerlink, .copybtn,
  details.hide.above-input { display: none !important; }
  .bd-container, .bd-container__inner, .bd-page-width, .bd-main, .bd-content,
  .bd-article-container, .bd-article {
    max-width: 100% !important; width: 100% !important; margin: 0 !important;
    padding-left: 0 !important; padding-right: 0 !important;
  }
  html, body { background: white !important; }
  figure, img, .cell_output, mjx-container[display="true"], table, pre { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
}
"""

FOOTER = (
    '<div style="width:100%;font-size:9px;text-align:center;color:#444;'
    'font-family:sans-serif;"><span class="pageNumber"></span></div>'
)


def _browsercheck():
    path = REPO / "tools" / "browsercheck.py"
    spec = importlib.util.spec_from_file_location("browsercheck", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reading_order(toc_path: Path = REPO / "_toc.yml") -> list[str]:
    """The book's files in reading order, as HTML paths (``chapters/01_wehrl.html``)."""
    toc = yaml.safe_load(toc_path.read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections") or entry.get("chapters"))

    walk(toc.get("chapters"))
    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    return [f"{Path(name).with_suffix('').as_posix()}.html" for name in files]


def _numbered_overlay(browser, n_pages: int) -> bytes:
    """``n_pages`` blank A4 pages with their numbers in the footer."""
    page = browser.new_page()
    blank = '<div style="break-after: page">&nbsp;</div>' * n_pages
    page.set_content(f"<html><body style='margin:0'>{blank}</body></html>")
    pdf = page.pdf(
        **PAPER, display_header_footer=True, header_template="<span></span>", footer_template=FOOTER
    )
    page.close()
    return pdf


def build_pdf(html_dir: Path = HTML, out: Path = OUT, timeout_ms: int = 60_000) -> Path:
    """Print every page of ``html_dir`` in reading order into ``out``; return ``out``."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    bc = _browsercheck()
    html_dir = Path(html_dir).resolve()
    pages = [p for p in reading_order() if (html_dir / p).is_file()]
    missing = [p for p in reading_order() if not (html_dir / p).is_file()]
    if missing:
        raise FileNotFoundError(f"not built: {missing} in {html_dir}; run jupyter-book build .")
    writer = PdfWriter()
    with bc.serve(html_dir) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(bc.CHROMIUM), headless=True, args=bc.CHROMIUM_FLAGS
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            handler, blocked = bc._mathjax_route(bc.MATHJAX_DIR)
            context.route("**/*", handler)
            for rel in pages:
                page = context.new_page()
                page.goto(base + rel, wait_until="load", timeout=timeout_ms)
                state = page.evaluate(bc._WAIT_MATHJAX % timeout_ms)
                if state == "MathJax never started":
                    raise RuntimeError(f"{rel}: MathJax did not start")
                failed = page.evaluate(bc._WAIT_IMAGES % timeout_ms)
                if failed:
                    raise RuntimeError(f"{rel}: images not loaded: {failed}")
                math = page.evaluate(bc._MATH_REPORT)
                if math["untypeset"] or math["errors"]:
                    raise RuntimeError(
                        f"{rel}: math not typeset: {math['untypeset'][:3]}, "
                        f"TeX errors: {math['errors'][:3]}"
                    )
                page.evaluate(_UNFOLD_SOLUTIONS)
                page.add_style_tag(content=PRINT_CSS)
                page.emulate_media(media="print")
                title = page.evaluate(
                    "() => (document.querySelector('article h1') || document).textContent"
                )
                pdf = page.pdf(**PAPER, scale=SCALE, print_background=True)
                page.close()
                start = len(writer.pages)
                writer.append(PdfReader(io.BytesIO(pdf)))
                writer.add_outline_item(" ".join(title.replace("#", "").split()), start)
                print(f"{rel}: {len(writer.pages) - start} page(s)", flush=True)
            if blocked:
                raise RuntimeError(f"requests to the internet were blocked: {blocked[:3]}")
            overlay = PdfReader(io.BytesIO(_numbered_overlay(browser, len(writer.pages))))
        finally:
            browser.close()
    for sheet, number in zip(writer.pages, overlay.pages, strict=True):
        sheet.merge_page(number)
    writer.add_metadata({"/Title": _book_title(), "/Creator": "tools/build_pdf.py"})
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


# Solutions (sphinx-togglebutton dropdowns) are printed open; hidden plotting code is not printed.
_UNFOLD_SOLUTIONS = """
() => document.querySelectorAll('.toggle-button[aria-expanded="false"]').forEach(b => b.click())
"""


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

    print(f"{out}: {len(PdfReader(out).pages)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
