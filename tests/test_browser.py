"""The built book in a real browser: every page of ``_build/html`` opened in headless Chromium.

Every page must load cleanly and show nothing wider than the text column at 1280 px and 768 px,
and no table may show raw Markdown, ``nan``, a negative zero, a pandas index or a number spread
over two lines (``tools/browsercheck.py``); a copy of the book with planted defects shows that
each is caught.

Skipped (with the reason) when the book has not been built or Chromium, Playwright or the local
MathJax copy is missing (the copy is fetched when npm is there); ``.ci/run`` provides all four
and sets ``EPBOOK_REQUIRE_BROWSER=1``, which turns those skips into failures. To run it by hand::

    jupyter-book build . && python -m pytest tests/test_browser.py
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tools import browsercheck

pytestmark = [pytest.mark.book, pytest.mark.slow]  # Chromium opens every page

REPO = Path(__file__).resolve().parent.parent
HTML = REPO / "_build" / "html"




def _missing() -> str | None:
    try:
        browsercheck.require_browser()  # fetches the local MathJax copy when it is missing
    except browsercheck.MissingToolError as exc:
        return str(exc)
    if not (HTML / "intro.html").is_file():
        return "the book is not built (jupyter-book build .)"
    return None


@pytest.fixture(scope="module")
def html_dir(skip_or_fail) -> Path:
    reason = _missing()
    if reason:
        skip_or_fail(reason, "browser")
    return HTML


def _soup(page: Path):
    """The parsed page: tests read its elements and text, never its markup."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(page.read_text(), "html.parser")


def _format(report: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}:\n  " + "\n  ".join(probs) for page, probs in report.items())


def test_every_page_loads_cleanly(html_dir):
    report = browsercheck.check_pages(html_dir)
    assert len(report) >= 10, f"expected the whole book, found only {sorted(report)}"
    bad = {page: probs for page, probs in report.items() if probs}
    assert not bad, "pages with problems:\n" + _format(bad)


def _page_with_math(html: Path) -> str:
    for path in sorted(html.glob("*.html")):
        soup = _soup(path)
        if soup.select(".cell_input"):  # a page without code cells: their checks are planted
            continue
        if soup.select(".math") and soup.select('script[src*="mathjax" i]'):
            return path.name
    pytest.fail("no top-level page of the book contains typeset math (notation.html should)")


def _inject(text: str, snippet: str) -> str:
    """Put ``snippet`` at the start of the article body."""
    marker = re.search(r"<article[^>]*>", text)
    assert marker, "page has no <article>"
    return text[: marker.end()] + snippet + text[marker.end() :]


def _cell(code: str, output_html: str = "", tags: str = "") -> str:
    """A code cell as myst-nb writes it: input, then output."""
    out = f'<div class="cell_output docutils container">{output_html}</div>' if output_html else ""
    return (
        f'<div class="cell {tags} docutils container">'
        f'<div class="cell_input docutils container"><div class="highlight-ipython3 notranslate">'
        f'<div class="highlight"><pre><span></span>{code}</pre></div></div></div>{out}</div>'
    )


def _stream(text: str) -> str:
    return (
        '<div class="output stream highlight-myst-ansi notranslate"><div class="highlight">'
        f"<pre><span></span>{text}</pre></div></div>"
    )


def _overflowing_pages(text: str) -> dict[str, str]:
    """Pages with one planted overflow each, and one whose wide content fits or is not shown."""
    long_sum = " + ".join(f"a_{{{i}}}" for i in range(1, 80))
    long_line = " ".join(f"{i / 10:.1f}" for i in range(60))
    frame = (
        '<table class="dataframe"><tr>'
        + "".join(f"<td>column {i}: 0.123456</td>" for i in range(30))
        + "</tr></table>"
    )
    short_sum = " + ".join(f"a_{{{i}}}" for i in range(1, 8))
    line88 = "xy = " + "+".join(["1"] * 42)  # ruff's line length for the chapters' code
    assert len(line88) == 88
    fits = (
        f'<div class="math notranslate nohighlight" id="equation-eq-fits">\\[{short_sum}\\]</div>'
        + _cell("print(row)", _stream("0.0 0.1 0.2"))
        + _cell(line88, _stream(line88))
        + '<div class="solution dropdown admonition"><p class="admonition-title">Solution</p>'
        + f'<section id="solution-content">{_cell(line88, _stream(line88))}</section></div>'
        # not rendered: neither counts
        + f'<div style="display: none">{_cell("print(row)", _stream(long_line))}</div>'
        + f'<div class="cell_output" style="display: none">{frame}</div>'
    )
    folded = (
        '<details class="admonition hide above-input"><summary>Show code</summary>'
        + _cell("print(hidden_row)", _stream(long_line))
        + "</details>"
    )
    return {
        "wide_equation.html": _inject(
            text,
            f'<div class="math notranslate nohighlight" id="equation-eq-planted">'
            f"\\[{long_sum}\\]</div>",
        ),
        "wide_output.html": _inject(text, _cell("print(row)", _stream(long_line))),
        "wide_table.html": _inject(
            text, _cell("table", f'<div class="output text_html">{frame}</div>')
        ),
        "wide_input.html": _inject(
            text, _cell("values = [" + ", ".join(str(i) for i in range(60)) + "]")
        ),
        "folded_wide_output.html": _inject(text, folded),
        "fits.html": _inject(text, fits),
    }


def test_checker_fails_on_broken_pages(html_dir, tmp_path):
    """The checker is not vacuous: each kind of damage in a copy of the book is reported."""
    copy = tmp_path / "html"
    shutil.copytree(html_dir, copy)
    source = _page_with_math(copy)
    text = (copy / source).read_text()
    no_mathjax = re.sub(r"<script[^>]*mathjax[^>]*>\s*</script>", "", text, flags=re.I)
    assert no_mathjax != text
    broken = {
        "control.html": text,
        "missing_image.html": _inject(text, '<img src="_images/no-such-figure.png" alt="x">'),
        "raw_math.html": no_mathjax,
        "tex_error.html": _inject(
            text, '<div class="math notranslate nohighlight">\\[\\notAMacro x\\]</div>'
        ),
        "raw_dollars.html": _inject(text, "<p>the rate $\\Pi_u$ left as text</p>"),
        "js_error.html": _inject(text, "<script>undefinedFunctionCall();</script>"),
        "broken_link.html": _inject(
            text, '<a href="chapters/no-such-page.html">a</a><a href="intro.html#nowhere">b</a>'
        ),
    }
    broken.update(_overflowing_pages(text))
    for name, content in broken.items():
        (copy / name).write_text(content)
    report = browsercheck.check_pages(copy, list(broken))
    expected = {
        "missing_image.html": ["image not loaded: _images/no-such-figure.png"],
        "raw_math.html": ["MathJax never started", "math not typeset"],
        "tex_error.html": ["TeX error: Undefined control sequence \\notAMacro"],
        "raw_dollars.html": ["raw TeX in text: '$\\\\Pi_u$'"],
        "js_error.html": ["page error: undefinedFunctionCall is not defined"],
        "broken_link.html": [
            "broken link: http://127.0.0.1",
            "no-such-page.html",
            "broken anchor: http://127.0.0.1",
        ],
        # the identifiers that let an author find the defect: TeX source, first line of code
        "wide_equation.html": ["'(eq-planted) a_{1} + a_{2}"],
        "wide_output.html": ['of cell "print(row)": 0.0 0.1'],
        "wide_table.html": ['of cell "table"'],
        "wide_input.html": ["'values = [0, 1, 2"],
        "folded_wide_output.html": ['of cell "print(hidden_row)"'],
    }
    for width in browsercheck.WIDTHS:
        expected["wide_equation.html"].append(f"overflow at {width} px: display equation")
        expected["wide_output.html"].append(f"overflow at {width} px: code cell output")
        expected["wide_table.html"].append(f"overflow at {width} px: code cell output")
        expected["wide_input.html"].append(f"overflow at {width} px: code cell input")
        expected["folded_wide_output.html"].append(f"overflow at {width} px: code cell output")
    assert report["control.html"] == [], _format({"control.html": report["control.html"]})
    assert report["fits.html"] == [], _format({"fits.html": report["fits.html"]})
    counts = browsercheck.overflow_counts(report)
    assert counts["wide_equation.html"] == {(w, "equation"): 1 for w in browsercheck.WIDTHS}
    for name, needles in expected.items():
        joined = "\n".join(report[name])
        for needle in needles:
            assert needle in joined, f"{name}: {needle!r} not reported; got:\n{joined}"


def _table_pages(text: str) -> dict[str, str]:
    """Pages with one planted table defect each, and one with tables that are fine."""
    from epcore.tables import table

    def out(html: str) -> str:
        return _cell("table(...)", f'<div class="output text_html">{html}</div>')

    raw_rule = (
        '<div class="text_markdown">'
        "<p>| | Pi_u | Pi_d |\n|---:|---:|---:|\n| 10 | 0.05 | 0.07 |</p></div>"
    )
    raw_cells = (
        "<table><thead><tr><th>|Pi - Pi_eq6|</th><th>x</th></tr></thead>"
        "<tbody><tr><td>|---</td><td>1</td></tr></tbody></table>"
    )
    nan_zero = (
        "<table><thead><tr><th>a</th><th>b</th></tr></thead>"
        "<tbody><tr><td>nan</td><td>-0</td></tr></tbody></table>"
    )
    # a number and a header in a column too narrow for them: they wrap mid-value
    narrow = (
        '<table style="width: 4em; table-layout: fixed"><thead><tr>'
        '<th style="width: 3em">\u03b3=1e-05</th></tr></thead>'
        '<tbody><tr><td style="width: 3em">2.75485e-07</td></tr></tbody></table>'
    )
    frame = (
        '<table class="dataframe"><thead><tr><th></th><th>Pi_u</th></tr></thead>'
        "<tbody><tr><th>0</th><td>0.05</td></tr></tbody></table>"
    )
    good = table(
        {"$N$": [10, 400], r"$|\Pi - \Pi_{\rm direct}|$": [2.75485e-07, -0.0],
         "label": ["<a>", "a | b"], r"$\gamma = 10^{-5}$": [1.5 - 0.5j, float("nan")]},
        caption=r"Planted: math headers, $a\times10^{b}$, a dash, pipes as text.",
        formats=[None, ".6g", None, ".3g"], missing="not computed",
    )
    return {
        "raw_markdown_table.html": _inject(text, out(raw_rule)),
        "raw_markdown_cells.html": _inject(text, out(raw_cells)),
        "nan_table.html": _inject(text, out(nan_zero)),
        "wrapped_number.html": _inject(text, out(narrow)),
        "pandas_table.html": _inject(text, out(frame)),
        "good_table.html": _inject(text, out(good.html)),
    }


def test_checker_fails_on_broken_tables(html_dir, tmp_path):
    """Each table defect of issue 17 planted in a copy of a page is reported; a table made by
    ``epcore.tables.table`` from the same raw values is not."""
    copy = tmp_path / "html"
    shutil.copytree(html_dir, copy)
    text = (copy / _page_with_math(copy)).read_text()
    pages = _table_pages(text)
    for name, content in pages.items():
        (copy / name).write_text(content)
    report = browsercheck.check_pages(copy, list(pages))
    expected = {
        "raw_markdown_table.html": ["raw Markdown table in the text: '| | Pi_u | Pi_d |"],
        "raw_markdown_cells.html": [
            "raw Markdown in a table cell: '|Pi - Pi_eq6|'",
            "raw Markdown in a table cell: '|---'",
        ],
        "nan_table.html": ["nan in a table cell", "negative zero in a table cell: '-0'"],
        "wrapped_number.html": [
            f"wrapped at {w} px: number '2.75485e-07'" for w in browsercheck.WIDTHS
        ] + [f"wrapped at {w} px: header '\u03b3=1e-05'" for w in browsercheck.WIDTHS],
        "pandas_table.html": ["pandas table (index column, raw names)"],
    }
    for name, needles in expected.items():
        joined = "\n".join(report[name])
        for needle in needles:
            assert needle in joined, f"{name}: {needle!r} not reported; got:\n{joined}"
    assert report["good_table.html"] == [], _format({"good": report["good_table.html"]})


def test_chapters_open_with_overview_and_close_with_exercises(html_dir):
    """Each chapter page starts with an Overview and has >= 3 exercises with folded solutions."""
    chapters = sorted((html_dir / "chapters").glob("*.html"))
    assert chapters, "no chapter pages in the build"
    problems = []
    for page in chapters:
        soup = _soup(page)
        name = page.relative_to(html_dir).as_posix()
        if soup.find(id="overview") is None:
            problems.append(f"{name}: no Overview section")
        exercises = soup.select("div.exercise")
        solutions = soup.select("div.solution")
        if len(exercises) < 3:
            problems.append(f"{name}: {len(exercises)} exercise(s), at least 3 expected")
        if len(solutions) < len(exercises):
            problems.append(
                f"{name}: {len(exercises)} exercises but {len(solutions)} folded solutions"
            )
    assert not problems, "\n".join(problems)


def test_chapter_downloads_and_binder_links(html_dir):
    """Each chapter offers its notebook edition for download, and Binder opens the same notebook
    on the notebook branch (tests/test_notebook_edition.py checks the notebooks themselves)."""
    import yaml

    config = yaml.safe_load((REPO / "_config.yml").read_text())
    branch = config["sphinx"]["config"]["notebook_branch"]
    problems = []
    for page in sorted((html_dir / "chapters").glob("*.html")):
        links = [a.get("href", "") for a in _soup(page).select("a[href]")]
        name = page.relative_to(html_dir).as_posix()
        stem = page.stem
        if f"../_notebooks/chapters/{stem}.ipynb" not in links:
            problems.append(f"{name}: no download link to the notebook edition")
        elif not (html_dir / "_notebooks" / "chapters" / f"{stem}.ipynb").is_file():
            problems.append(f"{name}: the notebook edition was not written")
        launch = re.compile(rf"https://mybinder\.org/v2/gh/[^/]+/[^/]+/{branch}\?urlpath=lab/tree/(.+)")
        binder = next((m for link in links if (m := launch.match(link))), None)
        if binder is None:
            problems.append(f"{name}: no Binder link to the notebook branch {branch!r}")
        elif binder.group(1) != f"teacher/chapters/{stem}.ipynb":
            problems.append(f"{name}: Binder opens {binder.group(1)}")
    assert not problems, "\n".join(problems)
