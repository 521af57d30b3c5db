"""Open every page of the built book in headless Chromium and report what a reader would see broken.

Checks, per page: no console error and no uncaught JavaScript exception; every ``<img>`` loaded
(``naturalWidth > 0``); every math element typeset by MathJax, with no TeX error and no raw TeX
left in the text; every link into the book resolves to an existing file (and anchor); no request
leaves localhost except MathJax's, which is answered from a local copy (the machine is offline).

Tables (``_TABLE_REPORT``, ``_WRAP_REPORT``): no cell holds raw Markdown (``|---``, or text
starting with ``|``), ``nan`` or a negative zero; no paragraph holds a pipe table MyST could not
parse; no pandas table (index column, raw names) is shown; and, at each width, no number in a
table (and no one-token header) is spread over two lines.

Then nothing may be wider than the text column, at 1280 px (a laptop) and at 768 px (a tablet):
with every fold of the article opened (solutions, hidden cell inputs), no display equation, code
cell input, code cell output, literal block or table may scroll sideways, be clipped, or stick
out of the article (the rules are spelled out above ``_OVERFLOW_REPORT``). Each defect is
reported with the width, the kind, and the equation's label and TeX source or the first line of
the cell's code, e.g. ``overflow at 768 px: display equation '(eq-kerr-mf) \\dot\\alpha = ...'``.

Used by ``tests/test_browser.py``; also runnable by hand::

    python tools/browsercheck.py _build/html [--page intro.html ...] [--screenshots DIR]
                                             [--width 768 ...]

ends with a table of the overflow defects per page and width.

Needs the ``playwright`` Python package (it drives the browser through its bundled driver; no
browser download) and Debian's ``chromium`` (``apt-get install chromium``), plus MathJax 3 in
``.cache/mathjax/package``, which ``require_browser`` fetches (``tools/fetch_mathjax.sh``) when it
is missing. What cannot be fetched stops the command with one line naming what to run.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import importlib.util
import mimetypes
import re
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
MATHJAX_DIR = REPO / ".cache" / "mathjax" / "package"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class MissingToolError(RuntimeError):
    """A tool the browser needs is missing; the message is one line naming the command to run."""


def require_browser(fetch: bool = True) -> None:
    """Check for Playwright, Chromium and the local MathJax copy; fetch MathJax when missing.

    Raises `MissingToolError`, with the command that provides it, for whatever is still missing.
    """
    if importlib.util.find_spec("playwright") is None:
        raise MissingToolError("the playwright package is missing: pip install -r requirements.txt")
    if not CHROMIUM.exists():
        raise MissingToolError(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    script = REPO / "tools" / "fetch_mathjax.sh"
    if fetch and not _has_mathjax(MATHJAX_DIR):
        subprocess.run(["bash", str(script)], check=False)
    if not _has_mathjax(MATHJAX_DIR):
        raise MissingToolError(
            f"no MathJax 3 in {MATHJAX_DIR} and {script.name} could not fetch it: "
            f"apt-get install npm && {script.relative_to(REPO)}"
        )


def _has_mathjax(mathjax_dir: Path) -> bool:
    return (mathjax_dir / "es5" / "tex-mml-chtml.js").is_file()


# Folders of the HTML output that hold assets, not pages.
ASSET_DIRS = {"_static", "_sources", "_images", "_downloads", "_sphinx_design_static"}

# Runs before any page script. Sphinx writes `window.MathJax = {config}`; this setter removes
# MathJax's `noundefined` package from that config, so that an undefined macro becomes a TeX
# error (mjx-merror) that the check sees, instead of silently red text.
_STRICT_MATHJAX = """
(() => {
  let value;
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get() { return value; },
    set(v) {
      if (v && typeof v === "object" && !v.version) {
        v.tex = v.tex || {};
        v.tex.packages = Object.assign({}, v.tex.packages || {}, {"[-]": ["noundefined"]});
      }
      value = v;
    },
  });
})();
"""

_WAIT_MATHJAX = """
async () => {
  const hasMath = document.querySelector(".math") !== null;
  if (!hasMath) return "no math";
  if (!document.querySelector('script[src*="mathjax" i]') && !window.MathJax?.startup) {
    return "MathJax never started";
  }
  const t0 = Date.now();
  while (!(window.MathJax && window.MathJax.startup && window.MathJax.startup.promise)) {
    if (Date.now() - t0 > %d) return "MathJax never started";
    await new Promise(r => setTimeout(r, 50));
  }
  await window.MathJax.startup.promise;
  return "typeset";
}
"""

_WAIT_IMAGES = """
async () => {
  const imgs = [...document.images];
  for (const img of imgs) { img.loading = "eager"; }
  await Promise.all(imgs.map(img => img.complete ? null : new Promise(r => {
    img.addEventListener("load", r); img.addEventListener("error", r); setTimeout(r, %d);
  })));
  return imgs.filter(img => !(img.complete && img.naturalWidth > 0))
             .map(img => img.getAttribute("src"));
}
"""

_MATH_REPORT = """
() => {
  const untypeset = [...document.querySelectorAll(".math")]
    .filter(el => !el.querySelector("mjx-container"))
    .map(el => el.textContent.trim().slice(0, 80));
  const errors = [...document.querySelectorAll("mjx-merror")]
    .map(el => el.getAttribute("data-mjx-error") || el.textContent.slice(0, 80));
  const body = document.body.cloneNode(true);
  body.querySelectorAll("pre, code, script, style, mjx-container, .math, textarea")
    .forEach(el => el.remove());
  return {untypeset, errors, text: body.textContent};
}
"""

# Opens what a reader can unfold inside the text column (folded solutions, hidden cell inputs,
# dropdowns), so that their contents are measured as the reader sees them once opened.
_UNFOLD = """
() => {
  const column = document.querySelector("article.bd-article") || document.querySelector("main");
  if (!column) return 0;
  const closed = [...column.querySelectorAll("details:not([open])")];
  closed.forEach(d => { d.open = true; });
  const toggles = [...column.querySelectorAll('.toggle-button[aria-expanded="false"]')];
  toggles.forEach(b => b.click());
  return closed.length + toggles.length;
}
"""

# The overflow rules. Units: every display equation (its `.math` wrapper, the MathJax container,
# the typeset formula), every code cell input, every code cell output, and every literal block
# or table outside cells, all inside the article (the text column; sidebars are never measured).
# A unit is a defect when the unit or an element inside it (pre, table, img, output, scrollable
# table container, highlight box, display equation) is rendered and
#   - is wider than its own box: scrollWidth > clientWidth + 1 (it scrolls or is clipped), or
#   - its box sticks out of the article's content box by more than 1 px.
# Elements not rendered (display: none, visibility: hidden) are skipped. One entry per unit.
_OVERFLOW_REPORT = """
() => {
  const column = document.querySelector("article.bd-article") || document.querySelector("main");
  if (!column) return [];
  const cs = getComputedStyle(column);
  const box = column.getBoundingClientRect();
  const left = box.left + parseFloat(cs.paddingLeft) - 1;
  const right = box.right - parseFloat(cs.paddingRight) + 1;
  const shown = el => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  const what = el => el.tagName.toLowerCase()
    + (el.className ? "." + String(el.className).split(" ")[0] : "");
  const tooWide = el => {
    if (!shown(el)) return null;
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      return `${el.scrollWidth - el.clientWidth} px wider than its box, ${what(el)}`;
    }
    const r = el.getBoundingClientRect();
    const out = Math.round(Math.max(r.right - right, left - r.left));
    if (r.width > 0 && out > 0) return `${out} px out of the text column, ${what(el)}`;
    return null;
  };
  const firstLine = text => (text.split("\\n").map(l => l.trim()).find(l => l) || "")
    .slice(0, 70);
  const tex = el => {
    try {
      const items = MathJax.startup.document.getMathItemsWithin(el);
      if (items.length) return items[0].math;
    } catch (e) { /* no MathJax document */ }
    return el.textContent;
  };
  const units = [];
  const wrappers = new Set();
  for (const mjx of column.querySelectorAll('mjx-container[display="true"]')) {
    const unit = mjx.closest(".math") || mjx;
    if (wrappers.has(unit)) continue;
    wrappers.add(unit);
    const label = unit.id ? `(${unit.id.replace(/^equation-/, "")}) ` : "";
    units.push({kind: "display equation", unit, parts: [unit, mjx, mjx.querySelector("mjx-math")],
                name: label + firstLine(tex(unit).replace(/\\s+/g, " "))});
  }
  const cellCode = cell => {
    const pre = cell && cell.querySelector(".cell_input pre");
    return pre ? firstLine(pre.textContent) : "";
  };
  for (const input of column.querySelectorAll(".cell_input")) {
    units.push({kind: "code cell input", unit: input, name: cellCode(input.closest(".cell"))});
  }
  for (const output of column.querySelectorAll(".cell_output")) {
    const code = cellCode(output.closest(".cell"));
    units.push({kind: "code cell output", unit: output,
                name: `of cell "${code}": ${firstLine(output.textContent)}`});
  }
  for (const el of column.querySelectorAll("pre, table")) {
    if (el.closest(".cell_input, .cell_output, .math")) continue;
    if (el.parentElement.closest("pre, table")) continue;
    const kind = el.tagName === "PRE" ? "literal block" : "table";
    const unit = el.closest(".pst-scrollable-table-container, div.highlight") || el;
    units.push({kind, unit, name: firstLine(el.textContent)});
  }
  const inside = "pre, table, img, .output, .pst-scrollable-table-container, div.highlight, "
    + "mjx-container[display='true']";
  const found = [];
  for (const u of units) {
    const parts = u.parts || [u.unit, ...u.unit.querySelectorAll(inside)];
    for (const part of parts) {
      const why = part && tooWide(part);
      if (why) { found.push({kind: u.kind, name: u.name, why}); break; }
    }
  }
  return found;
}
"""
# What a table must never show (checked once per page, on rendered tables in the article):
# raw Markdown (a cell holding "|---" or starting with "|", or a paragraph holding a pipe
# table's rule line: a table MyST could not parse), "nan", a negative zero, and a pandas table
# (class "dataframe": an index column and raw names; the book renders tables with
# epcore.tables.table). Typeset math is left out of a cell's text (its hidden MathML would
# read "|x|" for $|x|$).
_TABLE_REPORT = r"""
() => {
  const column = document.querySelector("article.bd-article") || document.querySelector("main");
  if (!column) return [];
  const shown = el => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  const text = el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll("mjx-container").forEach(m => m.remove());
    return copy.textContent.replace(/\s+/g, " ").trim();
  };
  const where = el => {
    const table = el.closest("table");
    const cap = table && table.querySelector("caption");
    const head = table && table.querySelector("th");
    return (cap ? text(cap) : head ? text(head) : "").slice(0, 60);
  };
  const found = [];
  for (const cell of column.querySelectorAll("td, th")) {
    if (!shown(cell)) continue;
    const t = text(cell);
    if (/\|\s*:?-{3,}/.test(t) || t.startsWith("|")) {
      found.push(`raw Markdown in a table cell: '${t.slice(0, 50)}' (table '${where(cell)}')`);
    }
    if (/^[+\-\u2212]?nan$/i.test(t)) {
      found.push(`nan in a table cell (table '${where(cell)}')`);
    }
    if (/^[\-\u2212]0(\.0*)?$/.test(t)) {
      found.push(`negative zero in a table cell: '${t}' (table '${where(cell)}')`);
    }
  }
  for (const el of column.querySelectorAll("p, li, dd")) {
    if (!shown(el) || el.closest("pre, code, table")) continue;
    const t = text(el);
    if (/\|\s*:?-{3,}:?\s*\|/.test(t)) {
      found.push(`raw Markdown table in the text: '${t.slice(0, 60)}'`);
    }
  }
  for (const table of column.querySelectorAll("table.dataframe")) {
    if (!shown(table)) continue;
    found.push(`pandas table (index column, raw names): '${text(table).slice(0, 60)}'`);
  }
  return found;
}
"""

# A number in a table (a cell whose text, typeset math left out, is one number: digits, a
# decimal point, a sign, "x10^n", "i") must sit on one line; so must a header that is one token.
# Lines are counted from the boxes of the cell's contents: a box that starts below the bottom
# of the line before opens a new line (a superscript does not).
_WRAP_REPORT = r"""
() => {
  const column = document.querySelector("article.bd-article") || document.querySelector("main");
  if (!column) return [];
  const shown = el => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  const sign = String.raw`[+\-\u2212]`;
  const real = String.raw`(\d[\d.,]*|\.\d+)([eE][+\-\u2212]?\d+|\u00d710[+\-\u2212]?\d+)?`;
  const number = new RegExp(`^${sign}?${real}(%|i)?(${sign}(${real})?i)?$`);
  const boxes = (node, out) => {  // text boxes, and typeset math as one box
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const range = document.createRange();
        range.selectNodeContents(child);
        out.push(...range.getClientRects());
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        if (child.tagName === "MJX-CONTAINER") out.push(...child.getClientRects());
        else boxes(child, out);
      }
    }
    return out;
  };
  const lines = el => {
    let n = 0, bottom = -Infinity;
    for (const r of boxes(el, [])) {
      if (r.width === 0 || r.height === 0) continue;
      if (r.top >= bottom - 1) { n += 1; bottom = r.bottom; }
      else bottom = Math.max(bottom, r.bottom);
    }
    return n;
  };
  const found = [];
  for (const cell of column.querySelectorAll("td, th")) {
    if (!shown(cell) || cell.querySelector("code")) continue;
    const t = cell.textContent.replace(/\s+/g, " ").trim();
    const isNumber = number.test(t.replace(/ /g, ""));
    const isToken = cell.tagName === "TH" && t !== "" && !/\s/.test(t);
    if (!(isNumber || isToken) || lines(cell) < 2) continue;
    found.push(`${isNumber ? "number" : "header"} '${t.slice(0, 40)}'`);
  }
  return found;
}
"""

_SETTLE = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"

# Viewport widths at which every page is measured for overflow: a laptop and a tablet.
WIDTHS = (1280, 768)

_REFRESH = re.compile(
    r"""<meta[^>]+http-equiv=["']?refresh["']?[^>]*content=["'][^"']*url=([^"']+)["']""", re.I
)

_RAW_TEX = [
    re.compile(r"\\\(|\\\[|\$\$"),
    re.compile(r"\\begin\{"),
    # inline math left as text, also across a line break (a line starting with "+ " or "- "
    # inside $...$ turns into a list item and splits the math)
    re.compile(r"\$(?=[^$\s])[^$]{0,200}?\\[A-Za-z]+[^$]{0,200}?\$"),
]


def list_pages(html_dir: Path) -> list[str]:
    """Every HTML page of the build, as paths relative to ``html_dir`` (assets excluded)."""
    pages = []
    for path in sorted(html_dir.rglob("*.html")):
        rel = path.relative_to(html_dir)
        if rel.parts[0] not in ASSET_DIRS:
            pages.append(rel.as_posix())
    return pages


@contextmanager
def serve(html_dir: Path) -> Iterator[str]:
    """Serve ``html_dir`` on an ephemeral localhost port; yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # no access log on stderr
            pass

    handler = functools.partial(Quiet, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# Links are checked here, in the browser pass, and not by linkchecker (tried: 10.6.0): its
# AnchorCheck plugin re-reads the target page for every distinct anchor (linkchecker#781, open),
# about 2 s per anchor into the 1.9 MB api.html, so more than 15 minutes for this site against
# 0.1 s here; started as root it also drops its plugins without a word, so anchors go unchecked.
class _Anchors:
    """Ids (and names) defined in each HTML file, read once."""

    _pattern = re.compile(r"""\s(?:id|name)\s*=\s*["']([^"']+)["']""")

    def __init__(self) -> None:
        self._cache: dict[Path, set[str]] = {}

    def __call__(self, path: Path) -> set[str]:
        if path not in self._cache:
            text = path.read_text(encoding="utf-8", errors="replace")
            self._cache[path] = set(self._pattern.findall(text))
        return self._cache[path]


def _link_problems(
    links: Iterable[str], base: str, html_dir: Path, anchors: _Anchors
) -> list[str]:
    problems = []
    origin = urlsplit(base).netloc
    for href in sorted(set(links)):
        parts = urlsplit(href)
        if parts.scheme not in ("http", "https") or parts.netloc != origin:
            continue  # external links are not followed (offline)
        rel = unquote(parts.path).lstrip("/")
        target = html_dir / rel
        if rel == "" or target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            problems.append(f"broken link: {href} (no file {target.relative_to(html_dir)})")
            continue
        frag = unquote(parts.fragment)
        if frag and target.suffix == ".html" and frag not in anchors(target):
            problems.append(f"broken anchor: {href}")
    return problems


def _mathjax_route(mathjax_dir: Path):
    """A request handler: local pages pass, MathJax comes from disk, the rest is blocked."""
    blocked: list[str] = []

    def handle(route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.hostname in ("127.0.0.1", "localhost"):
            route.continue_()
            return
        match = re.search(r"mathjax[^/]*/(?:\d[^/]*/)?(es5/.+)$", parts.path)
        if match:
            local = mathjax_dir / match.group(1)
            if local.is_file():
                ctype = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
                route.fulfill(
                    status=200,
                    body=local.read_bytes(),
                    headers={"Content-Type": ctype, "Access-Control-Allow-Origin": "*"},
                )
                return
        blocked.append(url)
        route.abort()

    return handle, blocked


def _overflow_problems(page, widths: list[int], rel: str, screenshots: Path | None) -> list[str]:
    """Open the folded content, then measure overflow at each viewport width."""
    page.evaluate(_UNFOLD)
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate(_SETTLE)
        for hit in page.evaluate(_OVERFLOW_REPORT):
            problems.append(
                f"overflow at {width} px: {hit['kind']} {hit['name']!r} ({hit['why']})"
            )
        for hit in page.evaluate(_WRAP_REPORT):
            problems.append(f"wrapped at {width} px: {hit} in a table, spread over two lines")
        if screenshots is not None:
            shot = screenshots / f"{rel.replace('/', '__')}@{width}.png"
            page.screenshot(path=str(shot), full_page=True)
    return problems


_OVERFLOW = re.compile(r"^overflow at (\d+) px: (display equation|[a-z ]+?) '")


def overflow_counts(report: dict[str, list[str]]) -> dict[str, dict[tuple[int, str], int]]:
    """Per page, the number of overflow defects by (width, "equation" or "code")."""
    counts: dict[str, dict[tuple[int, str], int]] = {}
    for page, problems in report.items():
        for problem in problems:
            match = _OVERFLOW.match(problem)
            if match:
                kind = "equation" if match.group(2) == "display equation" else "code"
                key = (int(match.group(1)), kind)
                counts.setdefault(page, {})
                counts[page][key] = counts[page].get(key, 0) + 1
    return counts


def check_pages(
    html_dir: Path,
    pages: Iterable[str] | None = None,
    *,
    mathjax_dir: Path = MATHJAX_DIR,
    chromium: Path = CHROMIUM,
    timeout_ms: int = 30_000,
    screenshots: Path | None = None,
    widths: Iterable[int] = WIDTHS,
) -> dict[str, list[str]]:
    """Load each page in headless Chromium; return page -> list of problems (empty if fine).

    The page is loaded at the first of ``widths``; after the other checks its folded content is
    opened and it is measured for overflow at each width (see ``_OVERFLOW_REPORT``).
    """
    from playwright.sync_api import sync_playwright

    html_dir = Path(html_dir).resolve()
    pages = list_pages(html_dir) if pages is None else list(pages)
    if not _has_mathjax(mathjax_dir):
        raise FileNotFoundError(f"no MathJax 3 in {mathjax_dir}; run tools/fetch_mathjax.sh")
    widths = list(widths)
    report: dict[str, list[str]] = {}
    anchors = _Anchors()
    with serve(html_dir) as base, sync_playwright() as pw:
        # launch() gives each run a fresh temporary profile (Chromium's --user-data-dir).
        browser = pw.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            for rel in pages:
                redirect = _REFRESH.search((html_dir / rel).read_text(errors="replace"))
                if redirect:  # a redirect stub (index.html): check where it points
                    target = html_dir / Path(rel).parent / unquote(redirect.group(1).split("#")[0])
                    report[rel] = [] if target.is_file() else [f"redirect to missing {target}"]
                    continue
                context = browser.new_context(viewport={"width": widths[0], "height": 900})
                context.add_init_script(_STRICT_MATHJAX)
                handler, blocked = _mathjax_route(mathjax_dir)
                context.route("**/*", handler)
                page = context.new_page()
                problems: list[str] = []
                page.on(
                    "console",
                    lambda msg, p=problems: p.append(f"console error: {msg.text}")
                    if msg.type == "error"
                    else None,
                )
                page.on("pageerror", lambda exc, p=problems: p.append(f"page error: {exc}"))
                try:
                    response = page.goto(base + rel, wait_until="load", timeout=timeout_ms)
                    if response is None or response.status >= 400:
                        status = None if response is None else response.status
                        problems.append(f"page not served (status {status})")
                    state = page.evaluate(_WAIT_MATHJAX % timeout_ms)
                    if state == "MathJax never started":
                        problems.append("page has math but MathJax never started")
                    missing = page.evaluate(_WAIT_IMAGES % timeout_ms)
                    problems += [f"image not loaded: {src}" for src in missing]
                    math = page.evaluate(_MATH_REPORT)
                    problems += [f"math not typeset: {t!r}" for t in math["untypeset"]]
                    problems += [f"TeX error: {e}" for e in math["errors"]]
                    for pattern in _RAW_TEX:
                        for hit in pattern.findall(math["text"])[:5]:
                            problems.append(f"raw TeX in text: {hit[:80]!r}")
                    problems += page.evaluate(_TABLE_REPORT)
                    links = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
                    problems += _link_problems(links, base, html_dir, anchors)
                    if screenshots is not None:
                        shot = screenshots / (rel.replace("/", "__") + ".png")
                        shot.parent.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(shot), full_page=False)
                    problems += _overflow_problems(page, widths, rel, screenshots)
                except Exception as exc:  # a page that hangs or crashes is a problem too
                    problems.append(f"could not check page: {type(exc).__name__}: {exc}")
                problems += [f"request to the internet blocked: {url}" for url in blocked]
                report[rel] = problems
                context.close()
        finally:
            browser.close()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_dir", type=Path, nargs="?", default=REPO / "_build" / "html")
    parser.add_argument("--page", action="append", help="only this page (repeatable)")
    parser.add_argument("--screenshots", type=Path, help="save a screenshot of each page here")
    parser.add_argument(
        "--width", type=int, action="append", help=f"viewport width (repeatable; default {WIDTHS})"
    )
    args = parser.parse_args(argv)
    widths = args.width or WIDTHS
    try:
        require_browser()
    except MissingToolError as exc:
        print(f"browsercheck: {exc}", file=sys.stderr)
        return 2
    report = check_pages(args.html_dir, args.page, screenshots=args.screenshots, widths=widths)
    bad = {page: probs for page, probs in report.items() if probs}
    for page, probs in report.items():
        print(f"{'FAIL' if probs else 'ok  '} {page}")
        for p in probs:
            print(f"       {p}")
    counts = overflow_counts(report)
    if counts:
        print("\noverflow defects (display equations / code cells, inputs and outputs):")
        print("| page | " + " | ".join(f"{w} px" for w in widths) + " |")
        print("| --- |" + " --- |" * len(widths))
        for page, by in counts.items():
            cells = [f"{by.get((w, 'equation'), 0)} / {by.get((w, 'code'), 0)}" for w in widths]
            print(f"| {page} | " + " | ".join(cells) + " |")
    print(f"{len(report) - len(bad)} passed, {len(bad)} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
