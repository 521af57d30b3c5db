"""The upstream bugs that ``tools/epbook_sphinx.py`` works around are still there.

Each test builds a tiny Sphinx project in ``tmp_path`` WITHOUT the book's extension (a conf.py
of a few lines, one to three pages) and asserts that the upstream bug shows. When an upstream
release fixes it, the test fails and says which workaround to remove (and with which versions
it was seen). Where it is cheap, the same tiny project is built again with only the workaround's
function connected (imported from ``tools.epbook_sphinx``), and the bug is gone.

- sphinx-thebe: its inline configuration script appears twice on every page
  (``_dedupe_scripts``);
- sphinxcontrib-bibtex: an incremental build that adds a citation does not re-read the
  ``{bibliography}`` page, so the citation links to an anchor that page does not have
  (``_reread_bibliography``);
- myst-nb (cache mode): a page taken from the execution cache is written to ``jupyter_execute``
  (the downloadable notebook) without its outputs (``_write_executed_notebook``);
- sphinx-exercise: ``hide_solutions`` with a gated solution crashes the HTML writer on the
  orphan ``solution_end_node``, and the solution's text and code are still in the page's
  doctree (``_solution_start_directive`` and ``_remove_hidden_solutions``),
  executablebooks/sphinx-exercise#89.

Each build is a ``sphinx-build`` process (Sphinx extensions keep state from one application to
the next in one process), without network; a missing package skips the test (fails it when
``EPBOOK_REQUIRE_BUILD=1``, see ``conftest.py``). The myst-nb test starts a kernel (``print(1)``)
once.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import pickle
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WORKAROUNDS = "tools/epbook_sphinx.py"


def _version(distribution: str) -> str:
    return importlib.metadata.version(distribution)


def _need(skip_or_fail, *modules: str) -> None:
    """Skip (or fail when builds are required) unless every module is importable."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        skip_or_fail(
            f"{', '.join(missing)} not installed: pip install -r requirements.txt", "build"
        )


def _write(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _conf(extensions: list[str], settings: str = "", workaround: str = "") -> str:
    """A conf.py; ``workaround`` is the body of its ``setup(app)`` (the workaround wired in)."""
    text = f"extensions = {extensions!r}\n{settings}"
    if workaround:
        text += "\n\ndef setup(app):\n" + "".join(
            f"    {line}\n" for line in workaround.strip().splitlines()
        )
    return text


def _build(src: Path, out: Path, *, check: bool = True) -> tuple[int, str]:
    """Build ``src`` as HTML into ``out/html`` (doctrees in ``out/doctrees``) with
    ``sphinx-build`` in a new process (the extensions keep state between applications of one
    process); its return code and log. The repository is on the path of the build, for
    ``tools.epbook_sphinx``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)}
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(out / "doctrees"),
           str(src), str(out / "html")]
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    log = run.stdout + run.stderr
    if check:
        assert run.returncode == 0, log[-4000:]
    return run.returncode, log


def _touch_later(path: Path, text: str) -> None:
    """Write ``path`` with a modification time surely after the previous build read it."""
    path.write_text(text, encoding="utf-8")
    later = time.time() + 10
    os.utime(path, (later, later))


def _message(what_changed: str, function: str, seen_with: str) -> str:
    return (
        f"{what_changed}: remove the workaround {function} in {WORKAROUNDS} "
        f"(seen with {seen_with}), and this test"
    )


# --- sphinx-thebe: the inline configuration script twice -------------------------------------

THEBE_CONFIG = "const THEBE_JS_URL"
THEBE_PAGES = {"index.rst": "Title\n=====\n\nText.\n"}
DEDUPE = """\
from tools.epbook_sphinx import _dedupe_scripts
app.connect("html-page-context", _dedupe_scripts, priority=100)
"""


def test_sphinx_thebe_still_registers_its_inline_script_twice(tmp_path, skip_or_fail):
    # sphinx-thebe adds the script with app.add_js_file(None, body=...) at env-before-read-docs,
    # after Builder.init: the HTML builder takes it once then (filename None) and again from the
    # registry when it prepares writing (filename ""), and the two do not compare equal.
    _need(skip_or_fail, "sphinx_thebe")
    src = _write(tmp_path / "plain", {"conf.py": _conf(["sphinx_thebe"]), **THEBE_PAGES})
    _build(src, tmp_path / "plain_out")
    page = (tmp_path / "plain_out" / "html" / "index.html").read_text()
    assert page.count(THEBE_CONFIG) >= 2, _message(
        f"sphinx-thebe {_version('sphinx-thebe')} with Sphinx {_version('sphinx')} now writes "
        f"its inline configuration script once ({page.count(THEBE_CONFIG)} times)",
        "_dedupe_scripts",
        "sphinx-thebe 0.3.1 and Sphinx 7.4.7",
    )

    src = _write(tmp_path / "fixed", {"conf.py": _conf(["sphinx_thebe"], workaround=DEDUPE),
                                      **THEBE_PAGES})
    _build(src, tmp_path / "fixed_out")
    fixed = (tmp_path / "fixed_out" / "html" / "index.html").read_text()
    assert fixed.count(THEBE_CONFIG) == 1, "_dedupe_scripts left a duplicate script"
    assert "sphinx-thebe.js" in fixed  # the workaround removes duplicates only


# --- sphinxcontrib-bibtex: the bibliography page is not re-read -------------------------------

BIB = """\
@article{alpha2020,
  author = {Alpha, Ann},
  title = {A first paper},
  journal = {J. Tests},
  year = {2020},
}
@article{beta2021,
  author = {Beta, Ben},
  title = {A second paper},
  journal = {J. Tests},
  year = {2021},
}
"""
BIB_PAGES = {
    "refs.bib": BIB,
    "index.md": "# Home\n\n```{toctree}\npage\nbibliography\n```\n",
    "page.md": "# Page\n\nFirst {cite:p}`alpha2020`.\n",
    "bibliography.md": "# References\n\n```{bibliography}\n```\n",
}
BIB_SETTINGS = 'bibtex_bibfiles = ["refs.bib"]\n'
REREAD = """\
from tools.epbook_sphinx import _reread_bibliography
app.connect("env-get-outdated", _reread_bibliography)
"""


def _bibliography_after_adding_a_citation(root: Path, conf: str) -> tuple[str, set[str]]:
    """Build, add a citation of a second paper to ``page``, build again: the bibliography
    page's HTML and the anchors of it that ``page`` links to but that it does not have."""
    src = _write(root / "src", {"conf.py": conf, **BIB_PAGES})
    _build(src, root / "out")
    _touch_later(src / "page.md", "# Page\n\nFirst {cite:p}`alpha2020`, then {cite:p}`beta2021`.\n")
    _build(src, root / "out")
    html = root / "out" / "html"
    bibliography = (html / "bibliography.html").read_text()
    linked = set(re.findall(r'href="bibliography\.html#([^"]+)"', (html / "page.html").read_text()))
    ids = set(re.findall(r'id="([^"]+)"', bibliography))
    assert len(linked) == 2, f"page.html should link two citations, links {sorted(linked)}"
    return bibliography, linked - ids


def test_sphinxcontrib_bibtex_still_misses_a_citation_added_incrementally(
    tmp_path, skip_or_fail
):
    _need(skip_or_fail, "myst_parser", "sphinxcontrib.bibtex")
    extensions = ["myst_parser", "sphinxcontrib.bibtex"]
    bibliography, dangling = _bibliography_after_adding_a_citation(
        tmp_path / "plain", _conf(extensions, BIB_SETTINGS)
    )
    assert dangling and "A second paper" not in bibliography, _message(
        f"sphinxcontrib-bibtex {_version('sphinxcontrib-bibtex')} with Sphinx "
        f"{_version('sphinx')} now updates the bibliography page when an incremental build "
        "adds a citation",
        "_reread_bibliography",
        "sphinxcontrib-bibtex 2.7.0 and Sphinx 7.4.7",
    )
    assert "A first paper" in bibliography  # the first build's citation is there

    bibliography, dangling = _bibliography_after_adding_a_citation(
        tmp_path / "fixed", _conf(extensions, BIB_SETTINGS, REREAD)
    )
    assert not dangling, f"with _reread_bibliography, links to missing anchors {dangling}"
    assert "A first paper" in bibliography and "A second paper" in bibliography


# --- myst-nb: a page from the cache gives a notebook without outputs -------------------------

NB_PAGE = """\
---
file_format: mystnb
kernelspec:
  name: python3
---
# Page

```{code-cell}
print(1)
```
"""
WRITE_EXECUTED = """\
from tools.epbook_sphinx import _write_executed_notebook
app.connect("doctree-read", _write_executed_notebook)
"""


def _code_outputs(notebook: Path) -> list[list]:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    return [cell.get("outputs", []) for cell in nb.cells if cell.cell_type == "code"]


def _nb_settings(cache: Path) -> str:
    return (
        'root_doc = "page"\nnb_execution_mode = "cache"\n'
        f"nb_execution_cache_path = {str(cache)!r}\n"
    )


@pytest.mark.slow
def test_myst_nb_still_writes_a_cached_page_without_outputs(tmp_path, skip_or_fail):
    _need(skip_or_fail, "myst_nb", "jupyter_cache", "ipykernel")
    cache = tmp_path / "cache"
    src = _write(tmp_path / "src", {"conf.py": _conf(["myst_nb"], _nb_settings(cache)),
                                    "page.md": NB_PAGE})
    stream = [{"name": "stdout", "output_type": "stream", "text": "1\n"}]

    # first build: executed, and stored in the cache
    _, log = _build(src, tmp_path / "first")
    assert "Using cached notebook" not in log, log[-2000:]
    assert _code_outputs(tmp_path / "first" / "jupyter_execute" / "page.ipynb") == [stream]

    # second build (a fresh build folder, same cache): the page comes from the cache
    _, log = _build(src, tmp_path / "second")
    assert "Using cached notebook" in log, "the page was not taken from the cache: " + log[-2000:]
    page = (tmp_path / "second" / "html" / "page.html").read_text()
    assert re.search(r'class="cell_output[^"]*">.*?<pre><span></span>1\n', page, re.S), (
        "the cached output is not on the page"
    )
    outputs = _code_outputs(tmp_path / "second" / "jupyter_execute" / "page.ipynb")
    assert outputs == [[]], _message(
        f"myst-nb {_version('myst-nb')} with jupyter-cache {_version('jupyter-cache')} now "
        f"writes a page taken from the cache with its outputs ({outputs})",
        "_write_executed_notebook",
        "myst-nb 1.4.0 and jupyter-cache 1.0.1",
    )

    # the same, with the workaround connected: the written notebook has the cached outputs
    (src / "conf.py").write_text(_conf(["myst_nb"], _nb_settings(cache), WRITE_EXECUTED))
    _, log = _build(src, tmp_path / "third")
    assert "Using cached notebook" in log, log[-2000:]
    assert _code_outputs(tmp_path / "third" / "jupyter_execute" / "page.ipynb") == [stream]


# --- sphinx-exercise: hide_solutions and a gated solution ------------------------------------

EXERCISE_PAGE = """\
---
file_format: mystnb
kernelspec:
  name: python3
---
# Page

```{exercise} Add one and one
:label: ex-add

EXERCISE-TEXT: what is one plus one?
```

```{solution-start} ex-add
```

SOLUTION-TEXT: it is two.

```{code-cell} ipython3
print("SOLUTION-CODE")
```

```{solution-end}
```

AFTER-TEXT.
"""
EXERCISE_SETTINGS = 'root_doc = "page"\nnb_execution_mode = "off"\nhide_solutions = True\n'
HIDE_GATED = """\
from tools.epbook_sphinx import _remove_hidden_solutions, _solution_start_directive
app.setup_extension("sphinx_exercise")
app.add_directive("solution-start", _solution_start_directive(), override=True)
app.connect("doctree-read", _remove_hidden_solutions)
"""


@pytest.mark.slow
def test_sphinx_exercise_still_fails_to_hide_a_gated_solution(tmp_path, skip_or_fail):
    _need(skip_or_fail, "myst_nb", "sphinx_exercise")
    extensions = ["myst_nb", "sphinx_exercise"]
    src = _write(tmp_path / "plain", {"conf.py": _conf(extensions, EXERCISE_SETTINGS),
                                      "page.md": EXERCISE_PAGE})
    fixed_upstream = _message(
        f"sphinx-exercise {_version('sphinx-exercise')} now hides a gated solution "
        "({solution-start} ... {solution-end}) with hide_solutions "
        "(executablebooks/sphinx-exercise#89)",
        "_solution_start_directive and _remove_hidden_solutions",
        "sphinx-exercise 1.2.1",
    )
    returncode, log = _build(src, tmp_path / "plain_out", check=False)
    # sphinx-exercise 1.2.1: the HTML writer meets the orphan solution_end_node and stops
    crashed = returncode != 0
    page = tmp_path / "plain_out" / "html" / "page.html"
    leaked = page.is_file() and "SOLUTION-TEXT" in page.read_text()
    assert crashed or leaked, fixed_upstream
    if crashed:
        assert "unknown node type: solution_end_node" in log, f"another failure than #89: {log}"
    # the page as read: the start marker is dropped, the solution's text and code remain
    doctree = pickle.loads((tmp_path / "plain_out" / "doctrees" / "page.doctree").read_bytes())
    text = doctree.astext()
    assert "EXERCISE-TEXT" in text
    assert "SOLUTION-TEXT" in text and "SOLUTION-CODE" in text, fixed_upstream

    src = _write(tmp_path / "fixed", {"conf.py": _conf(extensions, EXERCISE_SETTINGS, HIDE_GATED),
                                      "page.md": EXERCISE_PAGE})
    _build(src, tmp_path / "fixed_out")
    html = (tmp_path / "fixed_out" / "html" / "page.html").read_text()
    assert "EXERCISE-TEXT" in html and "AFTER-TEXT" in html
    assert "SOLUTION-TEXT" not in html and "SOLUTION-CODE" not in html
