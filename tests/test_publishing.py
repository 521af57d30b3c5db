"""What a new user and a publisher get: the README's commands, the lock, the repository's address,
the publishing workflow, the licence, the citation and the version.

The build-dependent test (links of the built pages) is skipped when the book has not been built;
``.ci/run`` builds it first.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import yaml

import epcore
from tools import epbook_sphinx, readme_commands

REPO = Path(__file__).resolve().parent.parent
HTML = REPO / "_build" / "html"

CONFIG = yaml.safe_load((REPO / "_config.yml").read_text())
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def test_every_readme_command_block_is_run_by_ci_or_says_why_not():
    blocks = readme_commands.bash_blocks((REPO / "README.md").read_text())
    assert len(blocks) >= 4
    unmarked = [
        body[:1]
        for marker, body in blocks
        if marker != readme_commands.RUN and not readme_commands.NOT_RUN.fullmatch(marker)
    ]
    assert not unmarked, f"bash blocks without a '<!-- ci: ... -->' marker: {unmarked}"


def test_ci_runs_the_readme_commands_in_order_before_its_own_steps():
    commands = readme_commands.commands((REPO / "README.md").read_text())
    words = [c.split("#")[0].strip() for c in commands]
    install_and_build = "pip install -r requirements.txt && jupyter-book build ."
    assert words[:2] == [install_and_build, "python -m pytest"]
    for needed in ("python tools/build_student.py", "python tools/build_pdf.py"):
        assert needed in words, f"the README does not print {needed!r}"
    assert any(w.startswith("python -m epcore figures") for w in words)
    ci = (REPO / ".ci" / "run").read_text()
    assert "tools/readme_commands.py" in ci
    assert ci.index("tools/readme_commands.py") < ci.index("ruff check .")
    # CI installs nothing by pip itself: the README's install command is the only one.
    assert "pip install" not in ci.replace("# ", "")


def test_the_extractor_reads_marked_blocks_only():
    text = (
        "<!-- ci: run -->\n```bash\necho one   # first\n# a comment\n\necho two\n```\n"
        "<!-- ci: not run: needs a cluster -->\n```bash\nrm -rf /\n```\n"
        "```bash\necho unmarked\n```\n"
    )
    assert readme_commands.commands(text) == ["echo one   # first", "echo two"]
    markers = [m for m, _ in readme_commands.bash_blocks(text)]
    assert markers[0] == readme_commands.RUN
    assert readme_commands.NOT_RUN.fullmatch(markers[1])
    assert markers[2] != readme_commands.RUN and not readme_commands.NOT_RUN.fullmatch(markers[2])


def _requirement_names(text: str) -> set[str]:
    names = set()
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def test_requirements_txt_is_a_lock_of_requirements_in():
    lock = (REPO / "requirements.txt").read_text()
    header = lock.splitlines()[1]
    assert re.fullmatch(r"#\s+uv pip compile requirements\.in .*-o requirements\.txt", header)
    entries = [
        ln.split("#")[0].strip() for ln in lock.splitlines() if ln.split("#")[0].strip()
    ]
    loose = [e for e in entries if not e.startswith("-e ") and "==" not in e]
    assert not loose, f"not pinned: {loose}"
    assert "-e ." in entries, "the lock must install epcore itself (Binder installs only it)"
    missing = _requirement_names((REPO / "requirements.in").read_text()) - _requirement_names(lock)
    assert not missing, f"in requirements.in but not in the lock: {missing}"


def test_publish_workflow_builds_as_ci_does_and_deploys_what_it_builds():
    flow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text())
    build = flow["jobs"]["build"]
    runs = [step.get("run", "") for step in build["steps"]]
    assert "bash .ci/run" in runs, "the site must be built by .ci/run itself"
    assemble = next(r for r in runs if "tools/assemble_site.sh" in r)
    site = assemble.split()[-1]
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == site
    assert runs.index("bash .ci/run") < runs.index(assemble)
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert any("deploy-pages" in s.get("uses", "") for s in deploy["steps"])
    push = next(r for r in runs if "tools/push_notebook_branch.sh" in r)
    assert runs.index("bash .ci/run") < runs.index(push)
    assert flow["permissions"]["contents"] == "write"
    script = (REPO / "tools" / "assemble_site.sh").read_text()
    for part in ("_build/html", "_build/student/html", '"$site/student"', "book.pdf"):
        assert part in script


def test_licence_citation_changelog_and_version_agree():
    licence = (REPO / "LICENSE").read_text()
    assert "MIT License" in licence and "CC BY 4.0" in licence
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert citation["cff-version"].startswith("1.2")
    assert citation["version"] == VERSION
    assert citation["repository-code"] == CONFIG["repository"]["url"]
    bib = (REPO / "references.bib").read_text()
    paper_doi = re.search(r"@article\{goes2020,.*?doi\s*=\s*\{([^}]+)\}", bib, re.S).group(1)
    assert citation["preferred-citation"]["doi"] == paper_doi
    changelog = (REPO / "CHANGELOG.md").read_text()
    # the newest released heading names the version; changes not yet released sit above it
    # under "## Unreleased"
    headings = re.findall(r"^## (\S+)", changelog, re.M)
    released = [h for h in headings if h != "Unreleased"]
    assert released[0] == VERSION and "Unreleased" not in headings[1:], headings[:3]
    assert "{version}" in CONFIG["html"]["extra_footer"]
    assert "CC BY 4.0" in CONFIG["html"]["extra_footer"]
    assert epbook_sphinx.book_version(REPO) == VERSION
    assert epcore.__version__ == VERSION, "reinstall epcore: pip install --no-deps -e ."
    readme = (REPO / "README.md").read_text()
    assert "MIT" in readme and "CC BY 4.0" in readme and "CITATION.cff" in readme


def _config(url: str) -> SimpleNamespace:
    return SimpleNamespace(html_theme_options={"repository_url": url})


def test_placeholder_repository_is_named_and_a_real_one_is_not():
    message = epbook_sphinx.placeholder_message(_config(epbook_sphinx.PLACEHOLDER_REPOSITORY))
    assert message and "repository.url" in message and "_config.yml" in message
    assert "WARNING" in message and "not an error" in message
    assert epbook_sphinx.placeholder_message(_config("https://github.com/someone/fork")) is None
    assert epbook_sphinx.published_url(_config("https://github.com/someone/fork")) == (
        "https://someone.github.io/fork/"
    )


def test_config_still_names_the_placeholder_the_extension_knows():
    # The one setting; while it is the template's, the extension must recognise it.
    url = CONFIG["repository"]["url"]
    if "example-org" in url:
        assert url == epbook_sphinx.PLACEHOLDER_REPOSITORY


@pytest.fixture
def built_html(skip_or_fail) -> Path:
    if not (HTML / "intro.html").is_file():
        skip_or_fail("the book is not built (jupyter-book build .)", "build", "browser")
    return HTML


@pytest.mark.book
def test_every_repository_and_launch_link_derives_from_the_one_setting(built_html):
    from bs4 import BeautifulSoup

    url = CONFIG["repository"]["url"].rstrip("/")
    branch = CONFIG["sphinx"]["config"]["notebook_branch"]  # Binder opens the notebook edition
    owner, name = url.split("/")[-2:]
    site = epbook_sphinx.published_url(_config(url))
    hub = CONFIG["launch_buttons"]["binderhub_url"].rstrip("/")
    binder = f"{hub}/v2/gh/{owner}/{name}/{branch}"
    problems, counts = [], {"repository": 0, "binder": 0, "published": 0}
    for page in sorted(HTML.rglob("*.html")):
        rel = page.relative_to(HTML).as_posix()
        if rel.split("/")[0] in {"_static", "_sources", "_images", "_downloads"}:
            continue
        for a in BeautifulSoup(page.read_text(), "html.parser").select("a[href]"):
            href = a["href"]
            host = urlsplit(href).netloc
            if host == "github.com":
                counts["repository"] += 1
                if not href.startswith(url):
                    problems.append(f"{rel}: {href}")
            elif host == urlsplit(binder).netloc and urlsplit(href).path.startswith("/v2/"):
                counts["binder"] += 1  # a launch link (a plain link to the hub's site is not)
                if not href.startswith(binder):
                    problems.append(f"{rel}: {href}")
            elif host.endswith("github.io"):
                counts["published"] += 1
                if not href.startswith(site):
                    problems.append(f"{rel}: {href}")
    assert not problems, "links not derived from repository.url:\n" + "\n".join(problems[:20])
    assert counts["repository"] >= 10 and counts["binder"] >= 6 and counts["published"] >= 2, counts
    intro = (HTML / "intro.html").read_text()
    assert f"Version {VERSION}" in intro, "the footer does not show the version"
    assert f"{site}book.pdf" in intro and f"{site}student/" in intro


def test_tools_name_the_command_when_the_browser_is_missing(tmp_path, monkeypatch, capsys):
    from tools import browsercheck
    monkeypatch.setattr(browsercheck, "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(browsercheck.MissingToolError, match="apt-get install chromium"):
        browsercheck.require_browser(fetch=False)
    if browsercheck.CHROMIUM.exists():  # pragma: no cover - monkeypatched above
        pytest.fail("monkeypatch failed")
    monkeypatch.setattr(browsercheck, "CHROMIUM", Path(os.__file__))  # any file that exists
    monkeypatch.setattr(browsercheck, "MATHJAX_DIR", tmp_path / "no-mathjax")
    with pytest.raises(browsercheck.MissingToolError, match="fetch_mathjax.sh"):
        browsercheck.require_browser(fetch=False)
    assert browsercheck.main(["--page", "intro.html", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "fetch_mathjax.sh" in err[0]
