r"""Tables of the book: one helper renders them all, numbers written as a reader writes them.

:func:`table` turns columns of numbers (a mapping ``header -> values``, a list of row mappings,
or a pandas ``DataFrame``, whose index is dropped) into a :class:`Table`. Jupyter and the book
show it as HTML:

* a caption above it;
* headers, captions and text cells written like the book's prose, with math in ``$...$``
  (typeset by MathJax) and code in backticks; the book's TeX macros (:data:`MACROS`,
  ``\Piu``, ``\ket{n}``) are expanded here, so a table reads the same in a plain Jupyter;
  any other character is shown as it is (``|``, ``<a>``);
* numbers formatted per column with Python format specs (``".6f"``, ``".3g"``, ``".1e"``,
  ``"d"``); an exponent is written :math:`a\times10^{b}`, never ``1e-07``; a zero never
  carries a sign; complex numbers read :math:`a + bi`;
* a missing value (``None`` or NaN) is an em dash, explained by a note under the table
  (``missing=``); there is no other way to leave a cell empty;
* no index column, and numeric cells (class ``ep-num``) that do not wrap (``_static/book.css``).

:func:`latex_number` is the same number formatting as TeX, for numbers glued into the prose;
the book's Sphinx extension (``tools/epbook_sphinx.py``) applies :func:`latex_from_text` to every
glued number written with an exponent.

Example::

    from epcore.tables import table
    table({"N": [10, 20], "pi_u": [0.0521, 0.0534], "error": [2.7e-7, -0.0]},
          caption=r"The unitary part $\Piu$ at two sizes.",
          headers={"N": "$N$", "pi_u": r"$\Piu$"}, formats=[None, ".4f", ".1e"])

shows the caption, the headers :math:`N`, :math:`\Pi_{\mathrm{u}}` and "error", and the rows
"10, 0.0521, 2.7×10⁻⁷" and "20, 0.0534, 0.0" (no minus sign on the zero).
"""

from __future__ import annotations

import html
import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import ArgumentTypeError
from .models import check_real

__all__ = ["MACROS", "Table", "expand_macros", "latex_from_text", "latex_number", "table"]

#: The book's TeX macros, as ``mathjax3_config`` in ``_config.yml`` defines them and the Notation
#: page lists them; each name maps to its body or to ``[body, number of arguments]``.
#: :func:`table` expands them, so that a table shows the same symbols in the book and in a plain
#: Jupyter, which does not know them.
MACROS: dict[str, str | list] = {
    "Piu": r"\Pi_{\mathrm{u}}",
    "Pid": r"\Pi_{\mathrm{d}}",
    "Piext": r"\Pi_{\mathrm{ext}}",
    "Phiq": r"\Phi_{\mathrm{q}}",
    "Phiext": r"\Phi_{\mathrm{ext}}",
    "dmu": r"\mathrm{d}^2\mu",
    "dv": r"\mathrm{d}^2 v",
    "mub": r"\bar{\mu}",
    "ad": r"a^{\dagger}",
    "ev": [r"\langle #1 \rangle", 1],
    "ket": [r"\lvert #1 \rangle", 1],
    "bra": [r"\langle #1 \rvert", 1],
    "Dis": [r"\mathcal{D}[#1]", 1],
    "Uop": r"\mathcal{U}",
    "E": r"\mathcal{E}",
    "ksum": [r"\sum_{i} 2\kappa_i #1", 1],
    "tr": r"\operatorname{tr}",
}

#: The format spec of a float column that has none.
DEFAULT_FORMAT = ".6g"

#: What a missing value (``None`` or NaN) reads in a table.
DASH = "\u2014"

_MINUS = "\u2212"
_SPEC = re.compile(r"^[<>=^]?[+ -]?z?#?0?\d*[,_]?(\.\d+)?[defgEFG%]?$")
# a formatted real number: sign, digits, optional exponent
_FORMATTED = re.compile(r"^([+-]?)([0-9][0-9.,_]*%?)(?:[eE]([+-]?\d+))?$")
_MARKUP = re.compile(r"\$([^$]+)\$|`([^`]+)`")


@dataclass(frozen=True)
class _Cell:
    """One cell: its HTML, its plain text, and whether it holds a number."""

    html: str
    text: str
    numeric: bool
    missing: bool = False


@dataclass(frozen=True, repr=False)
class Table:
    """A rendered table: shown as HTML by Jupyter and by the book, as plain text elsewhere.

    Made by :func:`table`; its fields are read-only.

    Parameters
    ----------
    caption : str
        The caption, Markdown-like text with ``$...$`` math.
    headers : tuple of str
        The column headers shown (with ``$...$`` math).
    cells : tuple of tuple
        The formatted cells, one tuple per row.
    numeric : tuple of bool
        Per column, whether every value in it is a number (right-aligned, never wrapped).
    missing : str or None
        What the em dash of a missing value means, printed under the table.
    """

    caption: str
    headers: tuple[str, ...]
    cells: tuple  # of tuples of _Cell, one per row
    numeric: tuple[bool, ...]
    missing: str | None = None

    @property
    def html(self) -> str:
        """The table as HTML, what Jupyter and the book show.

        Returns
        -------
        str
            A ``<div class="ep-table mathjax_process">`` holding the ``<table>`` and its note.
        """
        return self._repr_html_()

    def _repr_html_(self) -> str:
        def cls(numeric: bool, missing: bool = False) -> str:
            names = (["ep-num"] if numeric else []) + (["ep-missing"] if missing else [])
            return f' class="{" ".join(names)}"' if names else ""

        head = "".join(
            f"<th{cls(num)}>{_html_text(h)}</th>"
            for h, num in zip(self.headers, self.numeric, strict=True)
        )
        body = "".join(
            "<tr>"
            + "".join(
                f"<td{cls(c.numeric or (c.missing and num), c.missing)}>{c.html}</td>"
                for c, num in zip(row, self.numeric, strict=True)
            )
            + "</tr>"
            for row in self.cells
        )
        note = (
            f'<p class="ep-table-note">{DASH}: {_html_text(self.missing)}</p>'
            if self.missing
            else ""
        )
        return (
            '<div class="ep-table mathjax_process">'
            f"<table><caption>{_html_text(self.caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}</div>"
        )

    def __str__(self) -> str:
        rows = [list(self.headers)] + [[c.text for c in row] for row in self.cells]
        widths = [max(len(r[j]) for r in rows) for j in range(len(self.headers))]

        def line(r: list[str]) -> str:
            return "  ".join(
                s.rjust(w) if num else s.ljust(w)
                for s, w, num in zip(r, widths, self.numeric, strict=True)
            ).rstrip()

        out = [self.caption, line(rows[0]), "  ".join("-" * w for w in widths)]
        out += [line(r) for r in rows[1:]]
        if self.missing:
            out.append(f"{DASH}: {self.missing}")
        return "\n".join(out)

    __repr__ = __str__


def table(
    data,
    *,
    caption: str,
    formats: str | Sequence[str | None] | Mapping[str, str] | None = None,
    missing: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Table:
    r"""One table of the book, with a caption, math headers and per-column number formats.

    Parameters
    ----------
    data : dict or list of dict
        The columns, ``{header: values}``; or the rows, ``[{header: value, ...}, ...]`` (headers
        in order of first appearance, a row without a header's key has a missing value there);
        or a ``DataFrame``, whose columns are used and whose index is dropped (put what it
        holds into a column). Headers are text with ``$...$`` math: write
        ``r"$\Pi_{\mathrm{u}}$"``, not ``"Pi_u"``. Values are numbers (int, float, complex,
        NumPy scalars), text (with ``$...$`` math), booleans (yes/no) or missing (``None``,
        NaN).
    caption : str
        What the table shows, one sentence or more, with ``$...$`` math. Required.
    formats : str, list or dict, optional
        Python format specs for the numbers: one spec for every float column, one per column
        (``None`` for the default), or ``{header: spec}``. ``"e"`` and exponents of ``"g"``
        are written :math:`a\times10^{b}`. A column of integers is written as integers unless
        its own spec says otherwise. Default ``".6g"``.
    missing : str, optional
        What a missing value means ("not bistable", "the fit needs three points"); printed
        under the table after an em dash when a value is missing, and required then.
    headers : dict, optional
        Headers to show in place of the names in ``data``, ``{name: header}``: the data can
        keep short names (``"pi_u"``) that the code looks up, and the table shows
        ``r"$\Pi_{\mathrm{u}}$"``. Columns not named keep their name. ``formats`` given as a
        mapping is keyed by the names in ``data``.

    Returns
    -------
    Table
        Shown as HTML in Jupyter and in the book; ``str()`` gives a plain-text version.

    Raises
    ------
    ValueError
        For columns of unequal length, an unknown format spec, a format or a header for a
        column that does not exist, a missing value without ``missing``, an empty table or an
        empty caption.
    epcore.errors.ArgumentTypeError
        For data that is not columns or rows, a header that is not a string, or a value that
        is neither a number, text, a boolean nor missing (a ``TypeError`` and a
        ``ValueError``).
    """
    names, columns = _columns(data)
    if not isinstance(caption, str) or not caption.strip():
        raise ValueError("caption must be a non-empty string saying what the table shows")
    if missing is not None and (not isinstance(missing, str) or not missing.strip()):
        raise ValueError("missing must be a non-empty string saying what the dash means")
    shown = _shown_headers(names, headers)
    specs = _specs(names, columns, formats)
    n_rows = len(columns[0])
    cells = []
    numeric = []
    for header, values, spec in zip(shown, columns, specs, strict=True):
        col = [_cell(v, spec, header) for v in values]
        numeric.append(all(c.numeric or c.missing for c in col) and any(c.numeric for c in col))
        cells.append(col)
    if missing is None:
        for header, col in zip(shown, cells, strict=True):
            for k, c in enumerate(col):
                if c.missing:
                    raise ValueError(
                        f"column {header!r} has a missing value (None or NaN) in row {k}: pass "
                        "missing='what the dash means' to table(), or fill the value"
                    )
    rows = tuple(tuple(col[k] for col in cells) for k in range(n_rows))
    if not any(c.missing for col in cells for c in col):
        missing = None  # the note explains a dash; without one it is left out
    return Table(caption, tuple(shown), rows, tuple(numeric), missing)


def latex_number(x: float, spec: str = ".3g") -> str:
    r"""A real number as TeX, with the exponent written :math:`a\times10^{b}`.

    Parameters
    ----------
    x : float
        The number; finite.
    spec : str
        A Python format spec (``".2e"``, ``".3g"``, ``".4f"``, ``"d"`` for an integer).

    Returns
    -------
    str
        TeX without delimiters: ``latex_number(6e4, ".0e") == "6\\times10^{4}"``,
        ``latex_number(1e-5, ".0e") == "10^{-5}"``, ``latex_number(-0.0, ".2f") == "0.00"``.

    Raises
    ------
    ValueError
        For NaN or an infinity (a table writes those, prose should not), or a bad spec.
    epcore.errors.ArgumentTypeError
        For a value that is not a real number (a ``TypeError`` and a ``ValueError``).
    """
    value = check_real(x, "latex_number's x", bounded=False,
                       hint=": a number in the text must be finite; say in words why there is none")
    if _is_int(x):
        value = int(x)
    sign, mantissa, exponent = _parts(value, _check_spec(spec, "latex_number"))
    return ("-" if sign else "") + _join(mantissa, exponent, r"\times10^{%s}", "10^{%s}", "-")


def latex_from_text(text: str) -> str | None:
    r"""The TeX of a number already formatted with an exponent, or None.

    Parameters
    ----------
    text : str
        Text such as ``"6e+04"`` or ``"-2.5E-07"`` (what ``format(x, ".1e")`` gives).

    Returns
    -------
    str or None
        ``"6\\times10^{4}"``, ``"-2.5\\times10^{-7}"``; None when ``text`` is not one number
        written with an exponent (so plain numbers and words are left alone).

    Raises
    ------
    epcore.errors.ArgumentTypeError
        If ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise ArgumentTypeError(f"latex_from_text needs a string, not {type(text).__name__}")
    match = _FORMATTED.match(text.strip())
    if match is None or match.group(3) is None:
        return None
    sign, mantissa, exponent = _normalize(match.group(1), match.group(2), match.group(3))
    return ("-" if sign else "") + _join(mantissa, exponent, r"\times10^{%s}", "10^{%s}", "-")


def expand_macros(tex: str, macros: Mapping[str, str | list] | None = None) -> str:
    r"""TeX with the book's macros replaced by their definitions, as MathJax expands them.

    Parameters
    ----------
    tex : str
        TeX without delimiters, e.g. ``r"\Piu + \ev{a}"``.
    macros : dict, optional
        Name -> body, or ``[body, number of arguments]``; default :data:`MACROS`.

    Returns
    -------
    str
        ``r"\Pi_{\mathrm{u}} + \langle a \rangle"``.

    Raises
    ------
    ValueError
        If a macro lacks an argument, or the expansion does not terminate.
    epcore.errors.ArgumentTypeError
        If ``tex`` is not a string.
    """
    if not isinstance(tex, str):
        raise ArgumentTypeError(f"expand_macros needs a string, not {type(tex).__name__}")
    macros = MACROS if macros is None else macros
    for _ in range(10):  # macros may use macros
        before = tex
        for name, spec in macros.items():
            body, nargs = (spec, 0) if isinstance(spec, str) else (spec[0], int(spec[1]))
            tex = _expand_one(tex, name, body, nargs)
        if tex == before:
            return tex
    raise ValueError(f"macro expansion does not terminate in {tex[:80]!r}")


# ---------------------------------------------------------------------------- internals


def _expand_one(tex: str, name: str, body: str, nargs: int) -> str:
    """``tex`` with ``\\name`` and its ``nargs`` brace-group arguments replaced by ``body``."""
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
    """The macro argument at ``start``: a balanced ``{...}`` group, or one character."""
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


def _columns(data) -> tuple[list[str], list[list]]:
    """Headers and column values of the accepted inputs."""
    if hasattr(data, "columns") and hasattr(data, "to_dict"):  # a pandas DataFrame
        headers = list(data.columns)
        columns = [list(data[h]) for h in headers]
    elif isinstance(data, Mapping):
        headers = list(data)
        columns = []
        for h in headers:
            values = data[h]
            if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
                raise ArgumentTypeError(
                    f"column {h!r} must be a sequence of values, not {values!r:.60}"
                )
            columns.append(list(values))
    elif isinstance(data, Sequence) and not isinstance(data, (str, bytes)) and data and all(
        isinstance(r, Mapping) for r in data
    ):
        headers = []
        for row in data:
            headers += [h for h in row if h not in headers]
        columns = [[row.get(h) for row in data] for h in headers]
    else:
        raise ArgumentTypeError(
            "table() takes {header: values}, a list of {header: value} rows or a DataFrame, "
            f"not {type(data).__name__}"
        )
    if not headers:
        raise ValueError("the table has no columns")
    for h in headers:
        if not isinstance(h, str):
            raise ArgumentTypeError(f"header {h!r} must be a string (text with $...$ math)")
    lengths = {len(c) for c in columns}
    if len(lengths) != 1:
        sizes = ", ".join(f"{h!r}: {len(c)}" for h, c in zip(headers, columns, strict=True))
        raise ValueError(
            f"columns of unequal length ({sizes}): give every column one value per row"
        )
    if lengths == {0}:
        raise ValueError("the table has no rows")
    return headers, columns


def _shown_headers(names: list[str], headers) -> list[str]:
    """The headers shown: ``headers[name]`` where given, else the name."""
    if headers is None:
        return list(names)
    if not isinstance(headers, Mapping):
        raise ArgumentTypeError(f"headers must be a mapping {{name: header}}, not {headers!r:.60}")
    unknown = [h for h in headers if h not in names]
    if unknown:
        raise ValueError(f"headers for columns that do not exist: {unknown}; columns: {names}")
    shown = [headers.get(h, h) for h in names]
    for h in shown:
        if not isinstance(h, str):
            raise ArgumentTypeError(f"header {h!r} must be a string (text with $...$ math)")
    return shown


def _check_spec(spec, where: str) -> str:
    if not isinstance(spec, str) or not _SPEC.match(spec):
        raise ValueError(f"{where}: {spec!r} is not a format spec such as '.6f', '.3g', '.1e', 'd'")
    return spec


def _specs(headers, columns, formats) -> list[str | None]:
    """One spec per column; None means: integers as integers, floats with DEFAULT_FORMAT."""
    n = len(headers)
    if formats is None:
        given = [None] * n
        explicit = [False] * n
    elif isinstance(formats, str):
        given = [_check_spec(formats, "formats")] * n
        explicit = [False] * n  # one spec for all: integer columns stay integers
    elif isinstance(formats, Mapping):
        unknown = [h for h in formats if h not in headers]
        if unknown:
            raise ValueError(
                f"formats for columns that do not exist: {unknown}; headers: {headers}"
            )
        given = [formats.get(h) for h in headers]
        explicit = [h in formats for h in headers]
    elif isinstance(formats, Sequence):
        if len(formats) != n:
            raise ValueError(f"{len(formats)} formats for {n} columns: give one per column")
        given = list(formats)
        explicit = [f is not None for f in formats]
    else:
        raise ArgumentTypeError(
            f"formats must be a spec, a list of specs or a mapping, not {formats!r:.60}"
        )
    specs = []
    for spec, own, values in zip(given, explicit, columns, strict=True):
        if spec is not None:
            _check_spec(spec, "formats")
        ints = all(
            _is_int(v) for v in values if not _is_missing(v)
        ) and any(not _is_missing(v) for v in values)
        if ints and not own:
            specs.append("d")
        else:
            specs.append(spec or DEFAULT_FORMAT)
    return specs


def _is_int(v) -> bool:
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _is_missing(v) -> bool:
    if v is None:
        return True
    try:
        return isinstance(v, numbers.Real) and not _is_int(v) and math.isnan(v)
    except TypeError:
        return False


def _cell(v, spec: str, header: str) -> _Cell:
    if _is_missing(v):
        return _Cell(DASH, DASH, numeric=False, missing=True)
    if isinstance(v, (bool, np.bool_)):
        word = "yes" if v else "no"
        return _Cell(word, word, numeric=False)
    if isinstance(v, str):
        return _Cell(_html_text(v), v, numeric=False)
    if isinstance(v, numbers.Real):
        if _is_int(v) and spec.endswith("d"):
            text = format(int(v), spec)
            sign = text.startswith("-")
            body = text.lstrip("+-")
            return _Cell((_MINUS if sign else "") + body, text, numeric=True)
        return _real_cell(float(v), spec)
    if isinstance(v, numbers.Complex):
        return _complex_cell(complex(v), spec)
    raise ArgumentTypeError(
        f"column {header!r}: {v!r} ({type(v).__name__}) is not a number, text, a boolean or "
        "missing; convert it first"
    )


def _real_cell(x: float, spec: str) -> _Cell:
    if math.isinf(x):
        sign = x < 0
        return _Cell((_MINUS if sign else "") + "\u221e", "-inf" if sign else "inf", numeric=True)
    if spec.endswith("d"):
        spec = ".0f"  # a float in an integer column: no decimals
    sign, mantissa, exponent = _parts(x, spec)
    html_text = (_MINUS if sign else "") + _join(
        mantissa, exponent, "\u00d710<sup>%s</sup>", "10<sup>%s</sup>", _MINUS
    )
    plain = ("-" if sign else "") + _join(mantissa, exponent, "e%s", "1e%s", "-")
    return _Cell(html_text, plain, numeric=True)


def _complex_cell(z: complex, spec: str) -> _Cell:
    if spec.endswith("d"):
        spec = ".0f"
    re_sign, re_m, re_e = _parts(z.real, spec)
    im_sign, im_m, im_e = _parts(z.imag, spec)
    zero = set(im_m) <= set("0.")

    def html_part(sign, m, e):
        return (_MINUS if sign else "") + _join(m, e, "\u00d710<sup>%s</sup>", "10<sup>%s</sup>",
                                                 _MINUS)

    def text_part(sign, m, e):
        return ("-" if sign else "") + _join(m, e, "e%s", "1e%s", "-")

    if zero:
        return _Cell(html_part(re_sign, re_m, re_e), text_part(re_sign, re_m, re_e), True)
    re_zero = set(re_m) <= set("0.")
    im_html = _join(im_m, im_e, "\u00d710<sup>%s</sup>", "10<sup>%s</sup>", _MINUS)
    im_text = _join(im_m, im_e, "e%s", "1e%s", "-")
    if re_zero:
        html_text = (_MINUS if im_sign else "") + im_html + "<i>i</i>"
        text = ("-" if im_sign else "") + im_text + "i"
    else:
        op = f" {_MINUS} " if im_sign else " + "
        html_text = html_part(re_sign, re_m, re_e) + op + im_html + "<i>i</i>"
        text = text_part(re_sign, re_m, re_e) + (" - " if im_sign else " + ") + im_text + "i"
    return _Cell(html_text, text, numeric=True)


def _parts(x: float, spec: str) -> tuple[bool, str, int | None]:
    """(negative, mantissa digits, exponent or None) of ``format(x, spec)``; a zero is never
    negative."""
    text = format(x, spec)
    match = _FORMATTED.match(text.strip())
    if match is None:
        raise ValueError(f"format spec {spec!r} gives {text!r}, not a number")
    return _normalize(match.group(1), match.group(2), match.group(3))


def _normalize(sign: str, mantissa: str, exponent: str | None) -> tuple[bool, str, int | None]:
    zero = set(mantissa) <= set("0.,_%")
    exp = None if exponent is None else int(exponent)
    if zero:
        return False, mantissa, None  # -0.000 and 0.0e+00 read as zero
    if exp == 0:
        exp = None
    return sign == "-", mantissa, exp


def _join(mantissa: str, exponent: int | None, times: str, alone: str, minus: str) -> str:
    if exponent is None:
        return mantissa
    power = (minus if exponent < 0 else "") + str(abs(exponent))
    if mantissa == "1":
        return alone % power
    return mantissa + times % power


def _html_text(text: str) -> str:
    """Text with ``$...$`` math and ```code``` as HTML: math becomes ``\\(...\\)`` for MathJax,
    code a ``<code>`` element, and the rest is escaped (a ``<a>`` in a label stays text)."""
    out, pos = [], 0
    for match in _MARKUP.finditer(text):
        out.append(html.escape(text[pos : match.start()], quote=False))
        if match.group(1) is not None:
            tex = expand_macros(match.group(1))
            out.append(r"\(" + html.escape(tex, quote=False) + r"\)")
        else:
            out.append(f"<code>{html.escape(match.group(2), quote=False)}</code>")
        pos = match.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)
