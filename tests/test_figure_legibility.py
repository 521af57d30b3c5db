"""Every text of every registered figure is at least 11 CSS px high in the book's text column.

The book shows a figure as a PNG at the figure's dpi, 1 dot per CSS px, scaled down when wider
than the text column (672 px in a 1280-px window, 720 px in a 768-px one); a text of ``f``
points is then ``f * dpi / 72 * min(1, column / natural width)`` px high
(:func:`epcore.plots.style.rendered_px`). Each figure function is called with the cheap
options of ``tools/figure_text_sizes.py`` (fake Kerr sweeps, small grids: the same text as the
book's figure), drawn once, and every text the renderer receives (tick labels, axis labels,
legends, titles, annotations, colour-bar labels, suptitles) is checked. A planted figure with
a 6-pt label and one that is too wide show that the check finds what it should. The same call
also checks that the figure's data are what ``python -m epcore figures`` can write as CSV.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from epcore import cli  # noqa: E402
from epcore.plots import style  # noqa: E402
from tools import figure_text_sizes  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
REGISTRY = cli.load_registry()


TOOL = figure_text_sizes


def offenders(fig, minimum: float = style.MIN_TEXT_PX) -> list[str]:
    """Texts of ``fig`` below ``minimum`` CSS px in a column, as readable lines."""
    report = style.text_report(fig)
    return [
        f"{t['text']!r}: {t['points']:g} pt -> {px:.1f} px in the {style.COLUMNS[col]}-px column "
        f"({col}-px window)"
        for t in report["texts"]
        for col, px in t["px"].items()
        if px < minimum
    ]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A private sweep cache, so the cheap runs neither read nor fill the book's cache."""
    mp = pytest.MonkeyPatch()
    mp.setenv("EPCORE_CACHE", str(tmp_path_factory.mktemp("epcore-cache")))
    yield
    mp.undo()


@pytest.mark.parametrize("name", list(REGISTRY))
@pytest.mark.slow
def test_every_text_at_least_11_px(name, cache):
    with contextlib.ExitStack() as stack:
        stack.enter_context(TOOL.cheap_sweeps())
        fig, data = REGISTRY[name](**TOOL.quick_options(name))
    try:
        # what `python -m epcore figures` writes as NAME.csv: numeric 1-D columns only
        assert cli.data_columns(name, data), "the figure returns no data"
        report = style.text_report(fig)
        assert report["texts"], "the figure draws no text"
        assert any(t["tick"] for t in report["texts"]), "no tick label found"
        bad = offenders(fig)
        assert not bad, f"{name}: text below {style.MIN_TEXT_PX} px:\n" + "\n".join(bad)
    finally:
        plt.close(fig)


def test_quick_options_name_registered_figures():
    """A renamed figure must not silently lose its cheap options (and run the full sweep)."""
    assert set(TOOL.QUICK) <= set(REGISTRY)


def test_planted_small_label_is_reported():
    with style.figure_style():
        fig, ax = plt.subplots(figsize=(style.WIDTH, 3), layout="constrained")
        ax.plot([0, 1], [0, 1])
        ax.set_xlabel("six-point label", fontsize=6)
        ax.set_ylabel("a label of the style")
    try:
        bad = offenders(fig)
        assert len(bad) == 2  # at both column widths
        assert all(line.startswith("'six-point label': 6 pt -> 8.3 px") for line in bad)
    finally:
        plt.close(fig)


def test_planted_wide_figure_is_reported():
    """A 12-inch figure is scaled down to the column: its 10-pt ticks shrink below 11 px."""
    with style.figure_style():
        fig, ax = plt.subplots(figsize=(12, 3), layout="constrained")
        ax.plot([0, 1], [0, 1])
    try:
        report = style.text_report(fig)
        assert report["natural_px"] > 1200
        bad = offenders(fig)
        assert any("'0.0'" in line and "672-px column" in line for line in bad)
    finally:
        plt.close(fig)


def test_rendered_px_rule():
    assert style.rendered_px(10, 500, 672) == pytest.approx(10 / 72 * 100)  # natural size
    assert style.rendered_px(10, 1344, 672) == pytest.approx(10 / 72 * 100 / 2)  # halved


def test_no_font_size_set_by_hand():
    """Font sizes come from the style, not from the figure functions."""
    for path in sorted((REPO / "epcore" / "plots").glob("*.py")):
        if path.name == "style.py":
            continue
        hits = re.findall(r".*\bfontsize\s*=.*", path.read_text())
        assert not hits, f"{path.name} sets font sizes by hand: {hits}"


def test_slides_style_has_larger_text():
    name = "dicke-lambda-c"
    sizes = {}
    for which in ("book", "slides"):
        with style.figure_style(which):
            fig, _ = REGISTRY[name](points=50)
        sizes[which] = min(t["points"] for t in style.text_report(fig)["texts"])
        plt.close(fig)
    assert sizes["slides"] >= 1.3 * sizes["book"]
    with pytest.raises(ValueError, match="unknown figure style"):
        with style.figure_style("poster"):
            pass


def test_hidpi_png_has_twice_the_pixels_and_the_1x_width():
    pytest.importorskip("IPython")
    import base64
    import struct

    fig, ax = plt.subplots(figsize=(4, 2), dpi=100)
    ax.plot([0, 1])
    try:
        data, metadata = style._hidpi_png(fig)
    finally:
        plt.close(fig)
    png = base64.b64decode(data)
    width = struct.unpack(">I", png[16:20])[0]
    assert metadata == {"width": width // 2}
    assert width > 700  # about 2 x 400 px, the tight box of a 4-inch figure at 2 x 100 dpi


def test_cli_style_option(tmp_path, monkeypatch):
    """``python -m epcore figures --style slides`` draws inside the slides style."""
    seen = []

    def probe():
        seen.append(matplotlib.rcParams["xtick.labelsize"])
        fig, ax = plt.subplots()
        ax.plot([0, 1])
        return fig, {"x": [1.0]}

    monkeypatch.setattr(cli, "load_registry", lambda: {"probe": probe})
    assert cli.main(["figures", "--out", str(tmp_path), "--style", "slides", "--quiet"]) == 0
    assert cli.main(["figures", "--out", str(tmp_path), "--quiet"]) == 0
    assert seen == [style.STYLES[s]["xtick.labelsize"] for s in ("slides", "book")]
    assert (tmp_path / "probe.png").exists()


@pytest.mark.slow
def test_every_figure_of_a_kernel_is_shown():
    """In a Jupyter kernel each figure function's figure is displayed, not only the first.

    The style context once restored every rcParam, which switched off the interactive mode the
    inline backend turns on with the first figure: later figures of a chapter were never shown.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    draw = "fig, _ = foundations.zero_temperature()"
    nb.cells = [nbformat.v4.new_code_cell("from epcore.plots import foundations")]
    nb.cells += [nbformat.v4.new_code_cell(draw) for _ in range(3)]
    NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    shown = [
        sum("image/png" in out.get("data", {}) for out in cell.outputs) for cell in nb.cells[1:]
    ]
    assert shown == [1, 1, 1], f"figures shown per cell: {shown}"
