"""Open every page of the built book in headless Chromium and report what a reader would see broken.

Checks, per page: no console error and no uncaught JavaScript exception; every ``<img>`` loaded
(``naturalWidth > 0``); every math element typeset by MathJax, with no TeX error and no raw TeX
left in the text; every link into the book resolves to an existing file (and anchor); no request
leaves localhost except MathJax's, which is answered from a local copy (the machine is offline).

Used by ``tests/test_browser.py``; also runnable by hand::

    python tools/browsercheck.py _build/html [--page intro.html ...] [--screenshots DIR]

Needs the ``playwright`` Python package (it drives the browser through its bundled driver; no
browser download) and Debian's ``chromium`` (``apt-get install chromium``), plus MathJax 3 in
``.cache/mathjax/package`` (``tools/fetch_mathjax.sh``).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import mimetypes
import re
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

_REFRESH = re.compile(
    r"""<meta[^>]+http-equiv=["']?refresh["']?[^>]*content=["'][^"']*url=([^"']+)["']""", re.I
)

_RAW_TEX = [
    re.compile(r"\\\(|\\\[|\$\$"),
    re.compile(r"\\begin\{"),
    re.compile(r"\$[^$\n]{0,200}?\\[A-Za-z]+[^$\n]{0,200}?\$"),
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


def check_pages(
    html_dir: Path,
    pages: Iterable[str] | None = None,
    *,
    mathjax_dir: Path = MATHJAX_DIR,
    chromium: Path = CHROMIUM,
    timeout_ms: int = 30_000,
    screenshots: Path | None = None,
) -> dict[str, list[str]]:
    """Load each page in headless Chromium; return page -> list of problems (empty if fine)."""
    from playwright.sync_api import sync_playwright

    html_dir = Path(html_dir).resolve()
    pages = list_pages(html_dir) if pages is None else list(pages)
    if not (mathjax_dir / "es5" / "tex-mml-chtml.js").is_file():
        raise FileNotFoundError(f"no MathJax 3 in {mathjax_dir}; run tools/fetch_mathjax.sh")
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
                context = browser.new_context(viewport={"width": 1280, "height": 900})
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
                    links = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
                    problems += _link_problems(links, base, html_dir, anchors)
                    if screenshots is not None:
                        shot = screenshots / (rel.replace("/", "__") + ".png")
                        shot.parent.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(shot), full_page=False)
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
    args = parser.parse_args(argv)
    report = check_pages(args.html_dir, args.page, screenshots=args.screenshots)
    bad = {page: probs for page, probs in report.items() if probs}
    for page, probs in report.items():
        print(f"{'FAIL' if probs else 'ok  '} {page}")
        for p in probs:
            print(f"       {p}")
    print(f"{len(report) - len(bad)} passed, {len(bad)} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
