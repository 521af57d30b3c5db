"""The notebook edition: one ``.ipynb`` per chapter that reads correctly in any Jupyter.

The chapters are MyST notebooks; plain JupyterLab, Jupyter Notebook, VS Code or Colab show their
markup raw (``{glue:text}``, ``{math}``, ``{eq}``, ``{cite}``, the book's macros, exercise and
solution directives). The built page has all of it resolved, so each Markdown cell of the
notebook edition is made from the page's HTML, and each code cell from the chapter's source:

- math becomes ``$...$`` and ``$$...$$`` (with the book's equation number as ``\\tag``), with
  the book's macros (``mathjax3_config`` in _config.yml) expanded;
- glued numbers are the values the page shows;
- references keep their numbers ("(4.3)", "Fig. 4.2") and citations their author-year text, as
  links into the published book;
- figure captions follow the code cell that draws the figure;
- exercises and solutions become headings ("Exercise 4.1", "Solution to Exercise 4.1").

Two variants: the teacher's, from the book, with the solutions; the student's, from the student
edition, without them (the page has none, and the code cells of gated solutions are left out).

The Sphinx extension (``tools/epbook_sphinx.py``) writes the edition into ``<html>/_notebooks/`` at
the end of every build; the download and Binder buttons of each chapter open it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

# What must never reach a notebook's Markdown: MyST roles and directives, and the book's macros
# (checked by tests/test_notebook_edition.py for every generated notebook).
UNRESOLVED_MYST = re.compile(r"\{(glue|eq|numref|ref|doc|cite|math|term)[:}`]|```\{|:::\{")


def expand_macros(tex: str, macros: dict) -> str:
    """``tex`` with the book's MathJax macros replaced by their definitions.

    ``macros`` maps a name to its body, or to ``[body, number of arguments]`` as in MathJax's
    configuration; arguments are the following brace groups.
    """
    for _ in range(10):  # macros may use macros
        before = tex
        for name, spec in macros.items():
            body, nargs = (spec, 0) if isinstance(spec, str) else (spec[0], int(spec[1]))
            tex = _expand_one(tex, name, body, nargs)
        if tex == before:
            return tex
    raise ValueError(f"macro expansion does not terminate in {tex[:80]!r}")


def _expand_one(tex: str, name: str, body: str, nargs: int) -> str:
    """Replace ``\\name`` (and its ``nargs`` brace-group arguments) by ``body``, as MathJax does."""
    pattern = re.compile(r"\\" + re.escape(name) + r"(?![A-Za-z])")
    out, pos = [], 0
    for match in pattern.finditer(tex):
        if match.start() < pos:
            continue
        end, text = match.end(), body
        for i in range(1, nargs + 1):
            while end < len(tex) and tex[end] == " ":
                end += 1
            arg, end = _brace_group(tex, end)
            text = text.replace(f"#{i}", arg)
        before = tex[pos : match.start()]
        if text[:1].isalpha() and re.search(r"\\[A-Za-z]+$", before):
            text = " " + text  # \Delta\ad must not become \Deltaa^{\dagger}
        if tex[end : end + 1].isalpha() and re.search(r"\\[A-Za-z]+$", text):
            text += " "  # \bra{\mu}a must not become \langle \mu \rverta
        out.append(before + text)
        pos = end
    out.append(tex[pos:])
    return "".join(out)


def _brace_group(tex: str, start: int) -> tuple[str, int]:
    """The argument starting at ``start``: a balanced ``{...}`` group, or one character."""
    if start >= len(tex):
        raise ValueError(f"a macro argument is missing at the end of {tex[-80:]!r}")
    if tex[start] != "{":
        return tex[start], start + 1
    depth, i = 0, start
    while i < len(tex):
        if tex[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(tex[i], 0)
        if depth == 0:
            return tex[start + 1 : i], i + 1
        i += 1
    raise ValueError(f"unbalanced braces in {tex[start : start + 80]!r}")


def _strip_delimiters(tex: str) -> str:
    tex = tex.strip()
    for left, right in (("\\[", "\\]"), ("\\(", "\\)"), ("$$", "$$")):
        if tex.startswith(left) and tex.endswith(right):
            return tex[len(left) : -len(right)].strip()
    return tex


def notebook_from_page(
    html: str,
    source: Path,
    *,
    page_url: str,
    macros: dict,
    student: bool,
    title_note: str = "",
):
    """The notebook edition of one chapter.

    Parameters
    ----------
    html : str
        The built page (``_build/html/chapters/04_kerr.html``), of the edition wanted.
    source : Path
        The chapter's MyST source; its code cells become the notebook's code cells.
    page_url : str
        The published address of the page; relative links are made absolute against it.
    macros : dict
        The book's MathJax macros, expanded in every formula.
    student : bool
        Whether ``html`` is the student edition's page: the code cells of gated solutions are
        left out, as the page already leaves out their text.
    title_note : str
        Markdown put under the title (which edition this is, where the book is).
    """
    import nbformat
    from bs4 import BeautifulSoup
    from markdownify import markdownify

    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article")
    for tag in article.select("a.headerlink, script, .toggle-button, summary"):
        tag.decompose()
    math: list[str] = []

    def protect(text: str) -> str:
        math.append(text)
        return f"MATHPLACEHOLDER{len(math) - 1:05d}X"

    for div in article.select("div.math"):
        number = div.select_one("span.eqno")
        tag = ""
        if number is not None:
            tag = f" \\tag{{{number.get_text(strip=True).strip('()')}}}"
            number.decompose()
        tex = expand_macros(_strip_delimiters(div.get_text()), macros)
        para = soup.new_tag("p")
        para.string = protect(f"$$\n{tex}{tag}\n$$")
        div.replace_with(para)
    for span in article.select("span.math"):
        span.replace_with(protect(f"${expand_macros(_strip_delimiters(span.get_text()), macros)}$"))
    for a in article.select("a[href]"):
        a["href"] = urljoin(page_url, a["href"])
    for img in article.select("img[src]"):
        img["src"] = urljoin(page_url, img["src"])
    for box in article.select("div.exercise, div.solution, div.admonition"):
        title = box.select_one(".admonition-title")
        heading = soup.new_tag("h4")
        heading.string = " ".join((title.get_text(" ", strip=True) if title else "").split())
        if title is not None:
            title.decompose()
        box.insert(0, heading)
        kind = set(box["class"])
        box.name = "div" if kind & {"exercise", "solution"} else "blockquote"

    cells = article.select("div.cell")
    for k, cell in enumerate(cells):
        marker = soup.new_tag("p")
        marker.string = f"CELLPLACEHOLDER{k:05d}X"
        captions = [f.select_one("figcaption") for f in cell.select("figure")]
        cell.replace_with(marker)
        for caption in filter(None, captions):
            para = soup.new_tag("p")
            strong = soup.new_tag("strong")
            number = caption.select_one(".caption-number")
            if number is not None:
                strong.string = number.get_text(strip=True)
                number.decompose()
            para.append(strong)
            para.append(" ")
            for child in list(caption.children):
                para.append(child)
            marker.insert_after(para)

    markdown = markdownify(
        str(article),
        heading_style="ATX",
        bullets="-",
        escape_underscores=False,
        escape_asterisks=False,
    )
    markdown = re.sub(r"MATHPLACEHOLDER(\d{5})X", lambda m: math[int(m.group(1))], markdown)
    pieces = re.split(r"CELLPLACEHOLDER(\d{5})X", markdown)

    code = [cell for cell, solution in _code_cells(source) if not (student and solution)]
    shown = [c for c in code if "remove-cell" not in c.metadata.get("tags", [])]
    if len(shown) != len(cells):
        raise ValueError(
            f"{source.name}: {len(cells)} code cells on the page but {len(shown)} in the source"
        )
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    head, *rest = pieces
    _add_markdown(nb, _with_note(head, title_note))
    pending = iter(code)
    for k, text in zip(rest[0::2], rest[1::2], strict=True):
        k = int(k)
        for cell in pending:  # cells removed from the page still run, in their place
            if cell is shown[k]:
                break
            nb.cells.append(_code(nbformat, cell))
        nb.cells.append(_code(nbformat, shown[k]))
        _add_markdown(nb, text)
    for cell in pending:
        nb.cells.append(_code(nbformat, cell))
    return nb


def _code_cells(source: Path) -> list:
    """The code cells of a MyST chapter, each with whether it lies in a gated solution
    (between ``{solution-start}`` and ``{solution-end}``)."""
    import jupytext

    cells, inside = [], False
    for cell in jupytext.read(source).cells:
        if cell.cell_type == "code":
            cells.append((cell, inside))
        elif "{solution-start}" in cell.source or "{solution-end}" in cell.source:
            starts = cell.source.rfind("{solution-start}")
            inside = starts > cell.source.rfind("{solution-end}")
    return cells


def _with_note(head: str, note: str) -> str:
    if not note:
        return head
    lines = head.strip().splitlines()
    first = next((i for i, line in enumerate(lines) if line.startswith("# ")), 0)
    return "\n".join([*lines[: first + 1], "", note, "", *lines[first + 1 :]])


def _code(nbformat, cell):
    tags = [t for t in cell.metadata.get("tags", []) if t != "remove-cell"]
    return nbformat.v4.new_code_cell(cell.source, metadata={"tags": tags} if tags else {})


def _add_markdown(nb, text: str) -> None:
    import nbformat

    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if text:
        nb.cells.append(nbformat.v4.new_markdown_cell(text))
