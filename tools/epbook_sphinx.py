"""The book's Sphinx extension, loaded by _config.yml (``local_extensions``): its features and
the workarounds of upstream bugs seen in a browser (each marked in the code with its upstream
issue, when there is one, and the versions it was seen with).
``tests/test_upstream_workarounds.py`` reproduces each upstream bug on a tiny Sphinx project
and fails, naming the workaround to remove, once an upstream release fixes it.

- sphinx-thebe 0.3.1 under Sphinx 7 registers its inline configuration script twice, so every
  page raised ``SyntaxError: Identifier 'THEBE_JS_URL' has already been declared`` in the
  console. Each page's script list is deduplicated here.
- Progress bars (tqdm) in the executed notebooks are ipywidgets; in a static page they would
  need require.js and the widget manager from a CDN, to show a finished bar. The web pages drop
  widget outputs and their saved state (and ``nb_ipywidgets_js: {}`` in _config.yml drops those
  scripts); the bars still show when a chapter is run as a notebook.
- sphinxcontrib-bibtex fills a ``{bibliography}`` page with the references cited anywhere, but
  an incremental build that adds a citation elsewhere does not re-read that page, so the new
  citation linked to a missing anchor. Pages holding a bibliography are re-read whenever any
  page changed.

- myst-nb's cache mode writes the downloadable notebook (``_build/jupyter_execute``, copied to
  ``_sources`` for the download button) with outputs only when it executes the chapter; a chapter
  taken from the cache was offered for download without any output. The outputs are merged in
  from the cache here.

- sphinx-exercise's ``hide_solutions`` (the student edition, ``tools/build_student.py``) drops
  a ``{solution}`` directive, but of a gated solution (``{solution-start}`` ... code cells ...
  ``{solution-end}``) it drops only the start marker: the text, code cells and outputs between
  the markers stay on the page, and the HTML writer crashes on the orphan end marker. Here
  ``{solution-start}`` leaves a marker when solutions are hidden, and everything from it to the
  matching ``{solution-end}`` is removed.

- myst-nb's execution cache (jupyter-cache) is keyed on the code of a notebook's cells only: after
  a change in ``epcore`` a rebuild served outputs computed by the old code. The files named by the
  ``book_source_globs`` setting (``epcore/**/*.py`` in _config.yml) are hashed when the build
  starts, with ``epcore.sweep.code_hash`` (path and code; docstrings and comments are left out,
  so an edited docstring does not re-execute the book; the sweeps' disk cache uses the same
  key). The hash is stored beside the cache, in ``<cache>/book-source.sha256``, and when it
  differs the cache is emptied before anything is executed, and every page is re-read (so
  every notebook runs again with the new code).

- The repository's address is set once, ``repository.url`` in _config.yml; the Binder,
  repository and issue buttons all derive from it. While it is still the placeholder of this
  template, every build says so (as a message, not a Sphinx warning, so that a fork that has not
  published yet still builds with ``-W``).
- The book's version is written once, in ``pyproject.toml``; it is shown in the footer (the
  ``{version}`` token of ``extra_footer``) and in the text as the substitution ``{{ version }}``;
  the published PDF and student edition are linked from the text as ``{{ pdf_link }}`` and
  ``{{ student_link }}``, derived from ``repository.url``.

- The notebook edition (``tools/notebook_edition.py``): at the end of every build, each chapter
  is written as a plain ``.ipynb`` (math, numbers, references and captions resolved) into
  ``<html>/_notebooks/``, the teacher's variant in the book and the student's (no solution) in
  the student edition. Each chapter's download button offers it, and its Binder button opens it
  on the branch ``notebook_branch`` (_config.yml), which the publishing workflow fills with both
  variants. The student edition keeps no ``_sources`` (the full chapters, solutions included).

- A number glued into the text with an exponent (``{glue:text}`key:.0e```) is typeset as math,
  "6 × 10^4" rather than ``6e+04``: every glued text that is one number with an
  exponent becomes a math node (``epcore.tables.latex_from_text``).

It also adds one directive, ``{figure-registry}``: a table of every figure registered in
``epcore.figures.REGISTRY`` with the command that regenerates it, read when the page is built
(not from the notebook cache), and rebuilt when a module of ``epcore/plots`` changes.
Each figure is described by the one-line summary of its function's docstring, written for a
terminal (``python -m epcore figures --list``); on the page its reST roles become MyST roles
and the plain names of symbols (``Pi_u``) become math (``summary_as_myst``).
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

SOURCE_HASH_FILE = "book-source.sha256"
PLACEHOLDER_REPOSITORY = "https://github.com/example-org/entropy-production-book"
FOLDER_NOTEBOOKS = "_notebooks"  # where each edition keeps its notebooks
REPO = Path(__file__).resolve().parent.parent


def book_version(root: Path = REPO) -> str:
    """The book's version, the one written in ``pyproject.toml``."""
    return tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]


def placeholder_message(config) -> str | None:
    """What to change, when ``repository.url`` of _config.yml is still the template's."""
    url = (config.html_theme_options or {}).get("repository_url", "")
    if url.rstrip("/") != PLACEHOLDER_REPOSITORY:
        return None
    return (
        f"WARNING (not an error): repository.url in _config.yml is still the placeholder {url}; "
        "the Binder, repository and issue buttons point there until you set it to your "
        "repository (README.md, 'Publishing a copy')."
    )


def published_url(config) -> str:
    """Where the publishing workflow puts the book: GitHub Pages of ``repository.url``."""
    url = (config.html_theme_options or {}).get("repository_url", PLACEHOLDER_REPOSITORY)
    owner, name = url.rstrip("/").split("/")[-2:]
    return f"https://{owner}.github.io/{name}/"


def _notebook_page(app, pagename: str) -> bool:
    return (Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb").is_file()


def _notebook_buttons(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Download and Binder buttons of a chapter open its notebook edition (see module doc)."""
    if doctree is None or not _notebook_page(app, pagename):
        return
    student = bool(app.config.hide_solutions)
    options = app.config.html_theme_options or {}
    for group in context.get("header_buttons", []):
        buttons = group.get("buttons", [])
        for button in list(buttons):
            label = button.get("label", "")
            if label == "download-notebook-button":
                button["url"] = f"{context['pathto'](FOLDER_NOTEBOOKS, 1)}/{pagename}.ipynb"
                button["tooltip"] = "Download the chapter as a notebook"
            elif label == "download-source-button" and student:
                buttons.remove(button)
            elif "/v2/" in button.get("url", ""):
                button["url"] = binder_url(options, app.config.notebook_branch, pagename, student)


def binder_url(options: dict, branch: str, pagename: str, student: bool) -> str:
    """The Binder link that opens a chapter's notebook edition on the branch ``branch``."""
    url = options.get("repository_url", PLACEHOLDER_REPOSITORY).rstrip("/")
    owner, name = url.split("/")[-2:]
    hub = options.get("launch_buttons", {}).get("binderhub_url", "https://mybinder.org")
    variant = "student" if student else "teacher"
    path = f"lab/tree/{variant}/{pagename}.ipynb"
    return f"{hub.rstrip('/')}/v2/gh/{owner}/{name}/{branch}?urlpath={path}"


def _write_notebook_edition(app, exception) -> None:
    """Write every chapter's notebook edition into ``<html>/_notebooks`` (see module doc)."""
    if exception is not None or app.builder.name != "html":
        return
    import importlib

    import nbformat

    # tools.notebook_edition when imported from the package; Sphinx puts tools/ on sys.path
    edition = importlib.import_module(f"{__package__}.notebook_edition" if __package__
                                      else "notebook_edition")

    outdir = Path(app.outdir)
    student = bool(app.config.hide_solutions)
    site = published_url(app.config) + ("student/" if student else "")
    macros = (app.config.mathjax3_config or {}).get("tex", {}).get("macros", {})
    home = f"[the book]({site})"
    note = (
        f"*The notebook edition of a chapter of {home}, version {app.config.version}, "
        + ("student's variant: the exercises, no solutions." if student else "with solutions.")
        + " Run the cells from the top; `epcore` comes with the book's repository"
        " (`pip install -r requirements.txt`).*"
    )
    for pagename in sorted(app.env.found_docs):
        if not _notebook_page(app, pagename):
            continue
        nb = edition.notebook_from_page(
            (outdir / f"{pagename}.html").read_text(),
            Path(app.env.doc2path(pagename)),
            page_url=f"{site}{pagename}.html",
            macros=macros,
            student=student,
            title_note=note,
        )
        target = outdir / FOLDER_NOTEBOOKS / f"{pagename}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
    if student:
        shutil.rmtree(outdir / "_sources", ignore_errors=True)


def _configure(app, config) -> None:
    """Warn about the placeholder repository; put the version and the published address into
    the footer and the text (substitutions ``version``, ``pdf_link``, ``student_link``)."""
    from sphinx.util import logging
    from sphinx.util.console import red

    message = placeholder_message(config)
    if message:
        logging.getLogger(__name__).info(red(message))
    version = book_version()
    config.version = config.release = version
    options = dict(config.html_theme_options or {})
    if "extra_footer" in options:
        options["extra_footer"] = options["extra_footer"].replace("{version}", version)
        config.html_theme_options = options
    site = published_url(config)
    if config.hide_solutions:  # the student edition says what it is on every page
        options["announcement"] = (
            "Student edition: every exercise, no solutions. Notebooks: the download button."
        )
        config.html_theme_options = options
    config.myst_substitutions = {
        **(config.myst_substitutions or {}),
        "version": version,
        "solutions": (
            "(this student edition leaves the solutions out)"
            if config.hide_solutions
            else "whose solutions are folded until you open them"
        ),
        "pdf_link": f"[book.pdf]({site}book.pdf)",
        "student_link": f"[student edition]({site}student/)",
    }


# Workaround, upstream: sphinx-thebe registers its inline configuration script twice under
# Sphinx 7 (SyntaxError "THEBE_JS_URL has already been declared" in the console): it adds it
# after Builder.init, so the HTML builder takes it once directly (filename None) and once more
# from the registry (filename ""). Seen with sphinx-thebe 0.3.1 and Sphinx 7.4.7
# (requirements.txt); no upstream issue found. Watched by
# tests/test_upstream_workarounds.py::test_sphinx_thebe_still_registers_its_inline_script_twice
# (and tests/test_browser.py fails on console errors).
def _dedupe_scripts(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, tuple]] = set()
    unique = []
    for script in scripts:
        attrs = dict(getattr(script, "attributes", {}) or {})
        if attrs.get("body"):  # inline script: its text identifies it (filename is None or "")
            key = ("inline", (attrs["body"],))
        else:
            key = (str(getattr(script, "filename", script)), tuple(sorted(attrs.items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    # In place: the list is the builder's, to which extensions (MathJax) still add scripts later.
    scripts[:] = unique


# Not an upstream bug: a choice of this book (static pages show no progress-bar widget).
# Not replaceable by configuration (checked with myst-nb 1.4.0): removing the mime type with
# nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
# makes myst-nb fall back to the output's text/plain, tqdm's text of the bar when it was
# created ("0%|          | 0/3"), a frozen bar on the page, and the saved widget state stays.
def _drop_widget_views(app, doctree) -> None:
    from docutils import nodes

    for node in list(doctree.findall(nodes.raw)):
        if "application/vnd.jupyter.widget-view+json" in node.astext():
            node.parent.remove(node)
    # myst-nb keeps the widgets' saved state as a per-page script; without views it is dead weight
    metadata = getattr(app.env, "nb_metadata", {}).get(app.env.docname, {})
    metadata.get("js_files", {}).pop("ipywidgets_state", None)


def _glued_numbers_as_math(app, doctree) -> None:
    """Glued text that is one number with an exponent ("6e+04") becomes math (6 x 10^4)."""
    from docutils import nodes

    from epcore.tables import latex_from_text

    for node in list(doctree.findall(nodes.inline)):
        if "pasted-text" not in node.get("classes", []):
            continue
        tex = latex_from_text(node.astext())
        if tex is not None:
            math = nodes.math(tex, tex)
            math.source, math.line = node.source, node.line
            node.replace_self(math)


# The plain names by which the figure functions' one-line summaries (also printed in a terminal
# by ``python -m epcore figures --list``) write the book's symbols, and their TeX on the page.
TERMINAL_SYMBOLS = {
    "Pi_ext": r"\Piext", "Phi_ext": r"\Phiext", "Pi_u": r"\Piu", "Pi_d": r"\Pid",
    "Phi_q": r"\Phiq", "Pi": r"\Pi", "Phi": r"\Phi", "eps_c": r"\epsilon_c", "eps": r"\epsilon",
    "n_bath": r"\bar n_{\rm b}", "Qdot/T": r"\dot Q/T", "<a^dag a>": r"\ev{\ad a}",
    "lambda_c": r"\lambda_c",
}
# ... and the TeX of docstrings, Pi_u with an italic u, as the book writes it (upright)
_DOCSTRING_TEX = [(re.compile(r"\\" + name + r"_" + sub + r"(?![A-Za-z{])"), "\\" + macro)
                  for name, sub, macro in (("Pi", "u", "Piu"), ("Pi", "d", "Pid"),
                                           ("Phi", "q", "Phiq"))]
_SYMBOL = re.compile(
    r"(?<![\w\\$])(" + "|".join(re.escape(k) for k in sorted(TERMINAL_SYMBOLS, key=len,
                                                              reverse=True)) + r")(?![\w])"
)


def summary_as_myst(text: str) -> str:
    """A docstring's one-line summary as MyST: reST roles become MyST roles (``:math:`x``` is
    ``$x$``), and the terminal names of symbols (``Pi_u``) become math ($\\Piu$)."""
    out = []
    for k, piece in enumerate(re.split(r"(:[\w:]+:`[^`]*`|``[^`]*``|`[^`]*`)", text)):
        if k % 2 == 0:  # plain text
            out.append(_SYMBOL.sub(lambda m: f"${TERMINAL_SYMBOLS[m.group(1)]}$", piece))
        elif piece.startswith(":math:"):
            tex = piece[len(":math:`") : -1]
            for pattern, macro in _DOCSTRING_TEX:
                tex = pattern.sub(lambda m, macro=macro: macro, tex)
            out.append(f"${tex}$")
        elif piece.startswith(":"):
            role, body = piece[1:].split(":`", 1)
            out.append(f"{{{role}}}`{body}")
        else:
            out.append(piece)
    return "".join(out)


def _figure_registry_directive():
    from sphinx.util.docutils import SphinxDirective

    class FigureRegistry(SphinxDirective):
        """Table of the registered figures: name, drawing function, what it shows, command."""

        has_content = False

        def run(self):
            import importlib
            import inspect

            plots = importlib.import_module("epcore.plots")
            registry = importlib.import_module("epcore.figures").REGISTRY
            for module in (plots, *vars(plots).values()):
                if inspect.ismodule(module) and module.__name__.startswith("epcore.plots"):
                    self.env.note_dependency(module.__file__)
            if not registry:
                return self.parse_text_to_nodes("No figure is registered.")
            rows = ["| figure | what it shows | drawn by |", "| --- | --- | --- |"]
            for name, func in registry.items():
                doc = " ".join((func.__doc__ or "").strip().split("\n\n")[0].split())
                doc = summary_as_myst(doc).replace("|", "\\|")
                where = f"`{func.__module__}.{func.__name__}`"
                rows.append(f"| `{name}` | {doc} | {where} |")
            return self.parse_text_to_nodes("\n".join(rows))

    return FigureRegistry


# Workaround, upstream: sphinxcontrib-bibtex does not re-read a {bibliography} page when an
# incremental build adds a citation elsewhere (its citations are resolved from the environment
# of the pages read). Seen with sphinxcontrib-bibtex 2.7.0 and Sphinx 7.4.7; no upstream issue
# found (the nearest: mcmtroffaes/sphinxcontrib-bibtex#214 on the order of reading pages).
# Watched by tests/test_upstream_workarounds.py::
# test_sphinxcontrib_bibtex_still_misses_a_citation_added_incrementally.
def _reread_bibliography(app, env, added, changed, removed) -> list[str]:
    if not (added or changed or removed):
        return []
    pages = []
    for docname in env.found_docs:
        path = env.doc2path(docname)
        try:
            if "{bibliography}" in open(path, encoding="utf-8").read():
                pages.append(docname)
        except OSError:
            continue
    return pages


# Workaround, upstream: in cache mode myst-nb writes the downloadable notebook
# (_build/jupyter_execute) with outputs only when it executes the page, so a page taken from
# the cache offered a notebook without outputs (myst_nb/sphinx_.py writes the notebook it parsed,
# not the copy into which the cache client merged the outputs). Seen with myst-nb 1.4.0 and
# jupyter-cache 1.0.1; no upstream issue found. Watched by
# tests/test_upstream_workarounds.py::test_myst_nb_still_writes_a_cached_page_without_outputs.
def _write_executed_notebook(app, doctree) -> None:
    import nbformat
    from jupyter_cache import get_cache

    config = getattr(app.env, "mystnb_config", None)  # myst-nb's resolved configuration
    if config is None or config.execution_mode != "cache":
        return
    path = Path(config.output_folder) / f"{app.env.docname}.ipynb"
    if not path.is_file():
        return
    nb = nbformat.read(path, as_version=4)
    if any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"):
        return  # executed in this build: already complete
    cache = get_cache(config.execution_cache_path)
    try:
        _, merged = cache.merge_match_into_notebook(nb)
    except KeyError:
        return
    nbformat.write(merged, path)


_HIDDEN_SOLUTION = "hidden-solution-start"


# Workaround, upstream: sphinx-exercise's hide_solutions drops only the start marker of a gated
# solution ({solution-start} ... {solution-end}): its text, code and outputs stay in the page,
# and the HTML writer crashes on the orphan solution_end_node (NotImplementedError, "unknown
# node type"): executablebooks/sphinx-exercise#89 (open; it reports the same on the main
# branch). Seen with sphinx-exercise 1.2.1. Watched by tests/test_upstream_workarounds.py::
# test_sphinx_exercise_still_fails_to_hide_a_gated_solution (and tests/test_editions.py checks
# that no solution text reaches the student edition).
def _solution_start_directive():
    from docutils import nodes
    from sphinx_exercise.directive import SolutionStartDirective

    class SolutionStart(SolutionStartDirective):
        """sphinx-exercise's gated start; leaves a marker where a hidden solution begins."""

        def run(self):
            result = super().run()
            if self.env.app.config.hide_solutions:
                return [nodes.comment("", "", classes=[_HIDDEN_SOLUTION])]
            return result

    return SolutionStart


def _remove_hidden_solutions(app, doctree) -> None:
    from docutils import nodes
    from sphinx_exercise.nodes import solution_end_node

    for marker in list(doctree.findall(nodes.comment)):
        if _HIDDEN_SOLUTION not in marker["classes"]:
            continue
        parent = marker.parent
        start = parent.index(marker)
        end = next(
            (
                i
                for i in range(start + 1, len(parent))
                if isinstance(parent[i], solution_end_node)
            ),
            start,
        )
        for child in parent.children[start : end + 1]:
            parent.remove(child)


def execution_cache(app) -> Path:
    """The jupyter-cache folder myst-nb uses (its own default when none is configured)."""
    configured = app.config.nb_execution_cache_path
    if configured:
        return Path(configured).resolve()
    return Path(app.outdir).parent.joinpath(".jupyter_cache").resolve()


# Not an upstream bug: jupyter-cache keys a notebook on its cells by design; this keys it on
# the code of epcore too (epcore.sweep.code_hash).
def _clear_stale_cache(app) -> None:
    from sphinx.util import logging

    from epcore.sweep import code_hash

    globs = list(app.config.book_source_globs)
    digest = code_hash(Path(app.srcdir), globs) if globs else None
    app.book_source_hash = digest
    if digest is None:
        return
    cache = execution_cache(app)
    stamp = cache / SOURCE_HASH_FILE
    stored = stamp.read_text().strip() if stamp.is_file() else None
    if stored == digest:
        return
    if cache.is_dir():
        logging.getLogger(__name__).info(
            f"epbook_sphinx: sources in {app.config.book_source_globs} changed; "
            f"emptying the execution cache {cache}"
        )
        shutil.rmtree(cache)
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest + "\n")


def _reread_after_source_change(app, env, added, changed, removed) -> list[str]:
    digest = getattr(app, "book_source_hash", None)
    previous = getattr(env, "book_source_hash", None)
    env.book_source_hash = digest
    if digest is None or previous == digest:
        return []
    return sorted(env.found_docs)


def setup(app) -> dict[str, Any]:
    app.add_config_value("book_source_globs", [], "env")
    app.connect("config-inited", _configure)
    app.add_config_value("notebook_branch", "notebooks", "html")
    app.connect("html-page-context", _notebook_buttons, priority=600)
    app.connect("build-finished", _write_notebook_edition)
    app.connect("builder-inited", _clear_stale_cache)
    app.connect("env-get-outdated", _reread_after_source_change)
    app.setup_extension("sphinx_exercise")
    app.add_directive("solution-start", _solution_start_directive(), override=True)
    app.connect("doctree-read", _remove_hidden_solutions)
    app.connect("doctree-read", _write_executed_notebook)
    app.add_directive("figure-registry", _figure_registry_directive())
    app.connect("env-get-outdated", _reread_bibliography)
    app.connect("doctree-read", _drop_widget_views)
    app.connect("doctree-read", _glued_numbers_as_math)
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
