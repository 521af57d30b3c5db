"""The book's table helper, ``epcore.tables``, without a browser.

The rendered HTML is parsed (BeautifulSoup) and read as a reader would: the caption, the header
texts, the cell texts. Each defect of the book's old Markdown tables is planted in the input
and must not reach the output: pipes and ``<a>`` in labels, a NaN, a negative zero, an index
column, an exponent written ``e-07``, one format for all columns. A last test scans the
book's pages for table code that bypasses the helper.
"""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup

from epcore.tables import DASH, Table, latex_from_text, latex_number, table
from tools import epbook_sphinx

REPO = Path(__file__).resolve().parent.parent
MINUS = "\u2212"


def _parse(t: Table):
    soup = BeautifulSoup(t._repr_html_(), "html.parser")
    head = [th.get_text() for th in soup.select("thead th")]
    body = [[td.get_text() for td in tr.select("td")] for tr in soup.select("tbody tr")]
    return soup, head, body


def test_caption_headers_as_math_and_no_index():
    t = table({"$N$": [10, 20], r"$\Pi_{\mathrm{u}}$": [0.5, 0.25]},
              caption=r"Two sizes of $\Pi_{\mathrm{u}}$.")
    soup, head, body = _parse(t)
    assert soup.select_one("div.ep-table.mathjax_process") is not None  # MathJax reads it
    assert soup.select_one("caption").get_text() == r"Two sizes of \(\Pi_{\mathrm{u}}\)."
    assert head == [r"\(N\)", r"\(\Pi_{\mathrm{u}}\)"]
    assert body == [["10", "0.5"], ["20", "0.25"]]  # two columns: no index


def test_pipes_and_angle_brackets_are_text():
    label = r"$|\Pi - \Pi_{\rm direct}|$"
    t = table({"row": ["<a>", "|x|", "a | b"], label: [1.0, 2.0, 3.0]}, caption="c")
    soup, head, body = _parse(t)
    assert head[1] == r"\(|\Pi - \Pi_{\rm direct}|\)"
    assert [row[0] for row in body] == ["<a>", "|x|", "a | b"]
    assert soup.select("tbody a") == []  # no anchor element made from "<a>"


def test_per_column_formats_ignore_nothing_and_count_no_index():
    # the old floatfmt counted the index: the second column got the first spec
    t = table({"term": ["x", "y"], "engine": [0.123456789012345, 1.0],
               "closed form": [0.123456789012345, 1.0], "rel. diff": [1.3e-14, 2e-16]},
              caption="c", formats=[None, ".12f", ".12f", ".1e"])
    _, _, body = _parse(t)
    assert body[0] == ["x", "0.123456789012", "0.123456789012", f"1.3\u00d710{MINUS}14"]
    assert body[1] == ["y", "1.000000000000", "1.000000000000", f"2.0\u00d710{MINUS}16"]


def test_formats_by_header_and_integer_columns():
    t = table({"$N$": np.array([5, 40]), "value": [1 / 3, 2 / 3]}, caption="c",
              formats={"value": ".3f"})
    assert _parse(t)[2] == [["5", "0.333"], ["40", "0.667"]]
    # one spec for all columns leaves the integers alone
    t = table({"$N$": [5, 40], "value": [1 / 3, 2 / 3]}, caption="c", formats=".2f")
    assert _parse(t)[2] == [["5", "0.33"], ["40", "0.67"]]


def test_exponents_are_powers_of_ten_never_e_notation():
    t = table({"x": [2.75485e-07, 6e4, 1e-5, 0.5]}, caption="c", formats=".6g")
    soup, _, body = _parse(t)
    cells = [row[0] for row in body]
    assert cells == [f"2.75485\u00d710{MINUS}7", "60000", f"10{MINUS}5", "0.5"]
    assert [sup.get_text() for sup in soup.select("td sup")] == [f"{MINUS}7", f"{MINUS}5"]
    assert not any(re.search(r"\de[+-]?\d", c) for c in cells)


def test_no_negative_zero():
    t = table({"a": [-0.0, -1e-9, -0.4, -1e-20]}, caption="c", formats=".3f")
    assert [r[0] for r in _parse(t)[2]] == ["0.000", "0.000", f"{MINUS}0.400", "0.000"]
    t = table({"a": [-1e-20]}, caption="c", formats=".1e")
    assert _parse(t)[2] == [[f"{MINUS}1.0\u00d710{MINUS}20"]]  # not zero: keeps its sign


def test_missing_values_are_a_dash_with_a_note():
    t = table({"x": [1.0, 2.0], "slope": [math.nan, -1.0]}, caption="c", formats=".2f",
              missing="the fit needs two points")
    soup, _, body = _parse(t)
    assert body == [["1.00", DASH], ["2.00", f"{MINUS}1.00"]]
    assert soup.select_one(".ep-table-note").get_text() == f"{DASH}: the fit needs two points"
    assert "nan" not in soup.get_text().lower()
    with pytest.raises(ValueError, match="missing="):
        table({"x": [1.0, None]}, caption="c")
    # no dash, no note
    t = table({"x": [1.0]}, caption="c", missing="never shown")
    assert _parse(t)[0].select(".ep-table-note") == []
    # rows without a key are missing too
    t = table([{"a": 1, "b": 2.0}, {"a": 2}], caption="c", missing="not run")
    assert _parse(t)[2] == [["1", "2"], ["2", DASH]]


def test_numeric_cells_are_marked_for_nowrap_and_text_cells_are_not():
    t = table({"name": ["a", "b"], "value": [1.5e-7, 2.0]}, caption="c", formats=".2e")
    soup, _, _ = _parse(t)
    assert [td.get("class") for td in soup.select("tbody td")] == [
        None, ["ep-num"], None, ["ep-num"]
    ]
    assert soup.select("thead th")[1].get("class") == ["ep-num"]
    css = (REPO / "_static" / "book.css").read_text()
    rule = re.search(r"\.ep-table td\.ep-num\s*\{([^}]*)\}", css)
    assert rule and "white-space: nowrap" in rule.group(1)


def test_complex_booleans_and_code():
    t = table({"$\\mu$": [1.5 - 0.5j, 2j, 0j, 1 + 0j], "flag": [True, False, True, np.True_],
               "`name`": ["x", "y", "z", "w"]}, caption="c", formats=".3g")
    soup, head, body = _parse(t)
    assert [r[0] for r in body] == [f"1.5 {MINUS} 0.5i", "2i", "0", "1"]
    assert [r[1] for r in body] == ["yes", "no", "yes", "yes"]
    assert soup.select_one("thead code").get_text() == "name"


def test_dataframe_index_is_dropped():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": [1.0, 2.0]}, index=["first", "second"])
    t = table(frame, caption="c", formats=".1f")
    _, head, body = _parse(t)
    assert head == ["a"] and body == [["1.0"], ["2.0"]]


def test_headers_rename_columns_and_formats_keep_the_data_names():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"N": [10, 20], "pi_u": [0.05213, 0.05301]})
    t = table(frame, caption="c", headers={"pi_u": r"$\Pi_{\mathrm{u}}$"},
              formats={"pi_u": ".3f"})
    _, head, body = _parse(t)
    assert head == ["N", r"\(\Pi_{\mathrm{u}}\)"]
    assert body == [["10", "0.052"], ["20", "0.053"]]
    with pytest.raises(ValueError, match="do not exist"):
        table(frame, caption="c", headers={"Pi_u": "x"})


def test_plain_text_version():
    t = table({"$N$": [5, 40], "x": [1.5e-7, -0.0]}, caption="cap", formats=".1e",
              missing=None)
    text = str(t)
    assert text.splitlines()[0] == "cap"
    assert "1.5e-7" in text and "-0" not in text


@pytest.mark.parametrize(
    ("data", "kwargs", "error"),
    [
        ({"a": [1, 2], "b": [1]}, {}, ValueError),  # unequal columns
        ({"a": [1]}, {"formats": ".2q"}, ValueError),  # not a spec
        ({"a": [1]}, {"formats": {"b": ".2f"}}, ValueError),  # no such column
        ({"a": [1]}, {"formats": [".2f", ".2f"]}, ValueError),  # one spec too many
        ({"a": [1]}, {"caption": ""}, ValueError),
        ({"a": []}, {}, ValueError),
        ({}, {}, ValueError),
        ("not a table", {}, TypeError),
        ({"a": [object()]}, {}, TypeError),
        ({1: [1.0]}, {}, TypeError),
        ({"a": [1]}, {"headers": {"a": 3}}, TypeError),
        ({"a": [1]}, {"headers": ["x"]}, TypeError),
    ],
)
def test_bad_input_is_refused(data, kwargs, error):
    kwargs = {"caption": "c", **kwargs}
    with pytest.raises(error):
        table(data, **kwargs)


def test_book_macros_are_expanded_and_match_the_config():
    """A table shows the book's macros as their definitions (a plain Jupyter knows none), and
    the copy in epcore is the one in _config.yml."""
    import yaml

    from epcore.tables import MACROS, expand_macros

    config = yaml.safe_load((REPO / "_config.yml").read_text())
    assert MACROS == config["sphinx"]["config"]["mathjax3_config"]["tex"]["macros"]
    assert expand_macros(r"\Piu + \ev{\delta\ad a}") == (
        r"\Pi_{\mathrm{u}} + \langle \delta a^{\dagger} a \rangle"
    )
    assert expand_macros(r"\bra{\mu}a\rho") == r"\langle \mu \rvert a\rho"
    t = table({r"$\Phiq/N$": [1.0]}, caption=r"Peak of $\Phiq$ at $\ket{n}$.")
    soup, head, _ = _parse(t)
    assert head == [r"\(\Phi_{\mathrm{q}}/N\)"]
    assert soup.select_one("caption").get_text() == (
        r"Peak of \(\Phi_{\mathrm{q}}\) at \(\lvert n \rangle\)."
    )
    with pytest.raises(ValueError, match="argument is missing"):
        expand_macros(r"\ket")


def test_latex_number():
    assert latex_number(6e4, ".0e") == r"6\times10^{4}"
    assert latex_number(1e-5, ".0e") == "10^{-5}"
    assert latex_number(-2.5e-7, ".1e") == r"-2.5\times10^{-7}"
    assert latex_number(-0.0, ".2f") == "0.00"
    assert latex_number(1.0e6, ".1e") == r"1.0\times10^{6}"
    assert latex_number(0.5, ".3g") == "0.5"
    assert latex_number(3, "d") == "3"
    for bad in (math.nan, math.inf):
        with pytest.raises(ValueError):
            latex_number(bad)
    with pytest.raises(TypeError):
        latex_number("1")


def test_latex_from_text_takes_only_numbers_with_an_exponent():
    assert latex_from_text("6e+04") == r"6\times10^{4}"
    assert latex_from_text("1.0e+06") == r"1.0\times10^{6}"
    assert latex_from_text("-2.5E-07") == r"-2.5\times10^{-7}"
    assert latex_from_text("1e-05") == "10^{-5}"
    assert latex_from_text("-0e+00") == "0"
    for text in ("0.5", "12", "nan", "e-07", "1e", "yes", "2.0 e-3"):
        assert latex_from_text(text) is None


def _book_code_cells():
    sys_path = str(REPO / "tests")
    import sys

    if sys_path not in sys.path:
        sys.path.insert(0, sys_path)
    from test_chapter_code import book_pages, code_cells

    for page in book_pages():
        for line, code in code_cells(page):
            yield page.relative_to(REPO), line, code


def _shows_pandas(statement: ast.Expr) -> bool:
    """Whether a cell's last expression is ``pd.DataFrame(...)``, ``pd.Series(...)`` or a
    ``.to_frame(...)``: a pandas object shown by pandas."""
    call = statement.value
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return False
    func = call.func
    made = isinstance(func.value, ast.Name) and func.value.id in ("pd", "pandas")
    return (made and func.attr in ("DataFrame", "Series")) or func.attr == "to_frame"


def test_every_table_of_the_book_goes_through_the_helper():
    """No page renders a table by hand: no Markdown table built from a DataFrame, and no
    DataFrame or Series shown as a cell's value (pandas' own rendering shows the index and raw
    names). The browser test also fails on a pandas table in the built pages."""
    bypass = re.compile(r"to_markdown|to_html|tabulate|Markdown\(.*\|")
    problems = []
    for page, line, code in _book_code_cells():
        for k, text in enumerate(code.splitlines()):
            if bypass.search(text):
                problems.append(f"{page}:{line + k}: {text.strip()}")
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        if tree.body and isinstance(tree.body[-1], ast.Expr) and _shows_pandas(tree.body[-1]):
            shown = ast.get_source_segment(code, tree.body[-1]) or ""
            problems.append(f"{page}:{line + tree.body[-1].lineno - 1}: shows a pandas "
                            f"object: {shown.splitlines()[0]}")
    assert not problems, "tables that bypass epcore.tables.table:\n" + "\n".join(problems)


def test_glued_numbers_with_an_exponent_become_math():
    """``{glue:text}`key:.0e``` pastes "6e+04"; the book's extension typesets it as math."""
    from docutils import nodes
    from docutils.utils import new_document

    doc = new_document("test")
    para = nodes.paragraph()
    for text in ("6e+04", "0.25", "1.0e+06"):
        para += nodes.inline(text, text, classes=["pasted-text"])
    para += nodes.inline("7e-3", "7e-3")  # not glued: left alone
    doc += para
    epbook_sphinx._glued_numbers_as_math(None, doc)
    assert [(type(n).__name__, n.astext()) for n in para.children] == [
        ("math", r"6\times10^{4}"), ("inline", "0.25"), ("math", r"1.0\times10^{6}"),
        ("inline", "7e-3"),
    ]


def test_figure_registry_summaries_are_written_as_math():
    """The figure table of the Reproducibility page shows each figure's docstring summary:
    reST roles become MyST ones and the terminal names of symbols become math, upright."""
    text = (r"(a) :math:`\Pi_u` and :math:`\Pi_{\rm ext}`, Pi_d/N and Phi_q vs eps at eps_c, "
            r"<a^dag a>, :func:`epcore.kerr.fig2`, ``Pi_u`` and Pin")
    assert epbook_sphinx.summary_as_myst(text) == (
        r"(a) $\Piu$ and $\Pi_{\rm ext}$, $\Pid$/N and $\Phiq$ vs $\epsilon$ at $\epsilon_c$, "
        r"$\ev{\ad a}$, {func}`epcore.kerr.fig2`, ``Pi_u`` and Pin"
    )
