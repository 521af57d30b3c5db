"""Parameter sweeps: order, parallel workers, the on-disk cache, its key and location, Dask."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import joblib
import pytest

import epcore
from epcore import kerr
from epcore import sweep as sweep_module
from epcore.sweep import cache_dir, clear_cache, code_hash, source_hash, sweep


def power(x: float, p: int = 2, log: str | None = None) -> float:
    """Module-level so that worker processes can import it; appends a line to ``log`` per call
    (``x,p,pid`` of the process that computed it)."""
    if log is not None:
        with open(log, "a") as fh:
            fh.write(f"{x},{p},{os.getpid()}\n")
    return x**p


def fails(x: float) -> float:
    raise ValueError(f"bad point {x}")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EPCORE_CACHE", str(tmp_path / "cache"))
    return tmp_path


def _calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


@pytest.mark.slow
def test_results_in_order_serial_and_parallel(cache):
    params = [{"x": x, "p": 3} for x in range(7)]
    expected = [x**3 for x in range(7)]
    assert sweep(power, params, n_jobs=1, cache=False, progress=False) == expected
    assert sweep(power, params, n_jobs=2, cache=False, progress=False) == expected


def test_backend_can_be_switched(cache):
    params = [{"x": x} for x in range(4)]
    with joblib.parallel_config(backend="threading"):
        assert sweep(power, params, cache=False, progress=False) == [0, 1, 4, 9]
    assert sweep(power, params, backend="threading", cache=False, progress=False) == [0, 1, 4, 9]


def test_cache_computes_each_point_once_and_is_keyed_by_every_parameter(cache):
    log = cache / "calls.txt"
    params = [{"x": x, "log": str(log)} for x in (1, 2, 3)]
    assert sweep(power, params, progress=False) == [1, 4, 9]
    assert len(_calls(log)) == 3
    assert sweep(power, params, progress=False) == [1, 4, 9]
    assert len(_calls(log)) == 3  # all from disk
    # a new value of any parameter is a new point; the others stay cached
    more = params + [{"x": 2, "p": 3, "log": str(log)}]
    assert sweep(power, more, progress=False) == [1, 4, 9, 8]
    assert len(_calls(log)) == 4
    assert sweep(power, params, cache=False, progress=False) == [1, 4, 9]
    assert len(_calls(log)) == 7
    clear_cache()
    sweep(power, params, progress=False)
    assert len(_calls(log)) == 10


def test_cache_location_env_repo_root_and_source_key(tmp_path, monkeypatch):
    key = f"src-{source_hash()}"
    monkeypatch.setenv("EPCORE_CACHE", str(tmp_path / "here"))
    assert cache_dir() == tmp_path / "here" / key
    monkeypatch.delenv("EPCORE_CACHE")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "chapters").mkdir()
    monkeypatch.chdir(repo / "chapters")  # notebooks run in the chapter's folder
    assert cache_dir() == repo.resolve() / ".cache" / "epcore" / key
    monkeypatch.chdir(repo)
    monkeypatch.setenv("EPCORE_CACHE", "relative")  # absolute, so that workers write there too
    assert cache_dir() == repo.resolve() / "relative" / key
    monkeypatch.delenv("EPCORE_CACHE")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    if not any((p / ".git").exists() for p in (outside.resolve(), *outside.resolve().parents)):
        assert cache_dir() == Path.home() / ".cache" / "epcore" / key


def _copy_of_epcore(dest: Path) -> Path:
    """A copy of the package's source, so that tests can edit it without touching the repo."""
    src = Path(epcore.__file__).parent
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def _edit_docstring(package: Path, module: str) -> None:
    path = package / module
    text = path.read_text()
    start = len('r"""') if text.startswith('r"""') else len('"""')
    assert text[start - 3 : start] == '"""'
    # one letter of the docstring, same length: only the content can tell the versions apart
    letter = "X" if text[start] != "X" else "Y"
    path.write_text(text[:start] + letter + text[start + 1 :])


def _edit_code(package: Path, module: str) -> None:
    """A new module-level constant: code that no caller uses, yet code."""
    path = package / module
    path.write_text(path.read_text() + "\n_EDITED = 1\n")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


MODULE = '''"""Module docstring."""

# a comment
LIMIT = 10  #: the largest value


class Thing:
    """Class docstring."""

    size: int = 2
    """Attribute docstring (Sphinx reads it)."""

    def grow(self, by: int = 1) -> int:
        """Method docstring."""
        return self.size + by  # trailing comment


def clip(x):
    """Function docstring."""
    if x > LIMIT:
        "a bare string in a branch does nothing either"
        return LIMIT
    return x
'''

#: edits that leave the code alone: every docstring, comment and blank line
SAME_CODE = [
    ("module docstring", MODULE.replace("Module docstring.", "Module docstrung.")),
    ("class docstring", MODULE.replace("Class docstring.", "A class.\n\n    More.\n    ")),
    ("method docstring", MODULE.replace('        """Method docstring."""\n', "")),
    ("attribute docstring", MODULE.replace("Attribute docstring", "Attribute text")),
    ("function docstring", MODULE.replace("Function docstring.", "Function docstring!")),
    ("comment", MODULE.replace("# a comment", "# another comment\n# and one more")),
    ("trailing comment", MODULE.replace("  # trailing comment", "")),
    ("#: comment", MODULE.replace("#: the largest value", "#: the largest x")),
    ("layout", MODULE.replace("LIMIT = 10", "LIMIT = (\n    10\n)").replace("\n\n\n", "\n\n")),
]
#: edits of the code: each must change the hash
OTHER_CODE = [
    ("constant", MODULE.replace("LIMIT = 10", "LIMIT = 11")),
    ("new constant", MODULE.replace("LIMIT = 10", 'LIMIT = 10\nNAME = "a"')),
    ("string value", MODULE.replace("return LIMIT", 'return "LIMIT"')),
    ("default", MODULE.replace("by: int = 1", "by: int = 2")),
    ("operator", MODULE.replace("self.size + by", "self.size - by")),
    ("statement", MODULE.replace("    return x\n", "    print(x)\n    return x\n")),
    ("name", MODULE.replace("def clip(x)", "def clamp(x)")),
]


@pytest.mark.parametrize("what, text", SAME_CODE, ids=[w for w, _ in SAME_CODE])
def test_code_hash_ignores_docstrings_comments_and_layout(tmp_path, what, text):
    assert text != MODULE, what  # the edit did something
    _write(tmp_path / "a" / "pkg" / "m.py", MODULE)
    _write(tmp_path / "b" / "pkg" / "m.py", text)
    assert code_hash(tmp_path / "a") == code_hash(tmp_path / "b")


@pytest.mark.parametrize("what, text", OTHER_CODE, ids=[w for w, _ in OTHER_CODE])
def test_code_hash_follows_every_change_of_code(tmp_path, what, text):
    assert text != MODULE, what
    _write(tmp_path / "a" / "pkg" / "m.py", MODULE)
    _write(tmp_path / "b" / "pkg" / "m.py", text)
    assert code_hash(tmp_path / "a") != code_hash(tmp_path / "b")


def test_code_hash_covers_every_matched_file_and_only_those(tmp_path):
    package = tmp_path / "pkg"
    _write(package / "__init__.py", '"""One."""\n')
    _write(package / "sub" / "m.py", "x = 1\n")
    first = code_hash(tmp_path)
    assert code_hash(tmp_path, ["pkg/**/*.py"]) == first  # the default is every **/*.py
    # compiled files and files the patterns do not match are not part of it
    _write(package / "__pycache__" / "m.py", "compiled = True\n")
    _write(package / "notes.txt", "not Python")
    assert code_hash(tmp_path) == first
    # ... unless a pattern names them: then their bytes count
    with_notes = code_hash(tmp_path, ["**/*.py", "**/*.txt"])
    assert with_notes != first
    (package / "notes.txt").write_text("not Python!")
    assert code_hash(tmp_path, ["**/*.py", "**/*.txt"]) != with_notes
    # a module anywhere in the tree, even one without code
    _write(package / "sub" / "deeper" / "empty.py", '"""Only a docstring."""\n')
    assert code_hash(tmp_path) != first
    (package / "sub" / "deeper" / "empty.py").unlink()
    assert code_hash(tmp_path) == first
    # the same code in another module is another tree
    (package / "sub" / "m.py").rename(package / "sub" / "n.py")
    assert code_hash(tmp_path) != first
    # a file that does not parse is hashed by its bytes
    _write(package / "broken.py", "def (:\n")
    broken = code_hash(tmp_path)
    (package / "broken.py").write_text("def (:  \n")
    assert code_hash(tmp_path) != broken


@pytest.mark.slow
def test_source_hash_covers_every_module_and_the_library_versions(tmp_path, monkeypatch):
    a = _copy_of_epcore(tmp_path / "a" / "epcore")
    same = _copy_of_epcore(tmp_path / "same" / "epcore")
    # the default is the imported package; the path itself is not part of the key
    assert source_hash() == source_hash(a) == source_hash(same)
    assert len(source_hash()) == 16
    # a docstring, even of every module, is not part of the key
    docs = _copy_of_epcore(tmp_path / "docs" / "epcore")
    modules = [p.relative_to(docs).as_posix() for p in sorted(docs.rglob("*.py"))]
    edited = 0
    for module in modules:
        if (docs / module).read_text().startswith(('"""', 'r"""')):
            _edit_docstring(docs, module)
            edited += 1
    assert edited >= 10
    assert source_hash(docs) == source_hash(a)
    # the code of a module the cached function may only call, nested or not, or a new module
    for name, change in [
        ("code", lambda pkg: _edit_code(pkg, "phasespace.py")),
        ("nested", lambda pkg: _edit_code(pkg, "plots/__init__.py")),
        ("new", lambda pkg: (pkg / "extra.py").write_text("x = 1\n")),
    ]:
        changed = _copy_of_epcore(tmp_path / name / "epcore")
        change(changed)
        assert source_hash(changed) != source_hash(a), name
    # computed once per process: a later edit of the same folder is not seen
    before = source_hash(a)
    _edit_code(a, "sweep.py")
    assert source_hash(a) == before
    # a new numpy, scipy or qutip is a new key
    for lib in ("numpy", "scipy", "qutip"):
        real = sweep_module.metadata.version
        with monkeypatch.context() as m:
            m.setattr(
                sweep_module.metadata, "version", lambda n, lib=lib, real=real: (
                    "0.0.0-test" if n == lib else real(n)
                )
            )
            assert source_hash(_copy_of_epcore(tmp_path / lib / "epcore")) != before, lib


def test_a_source_change_recomputes_and_unchanged_source_hits_the_cache(cache, monkeypatch):
    log = cache / "calls.txt"
    params = [{"x": x, "log": str(log)} for x in (1, 2, 3)]
    a = _copy_of_epcore(cache / "a" / "epcore")
    same = _copy_of_epcore(cache / "same" / "epcore")
    edited = _copy_of_epcore(cache / "edited" / "epcore")
    _edit_code(edited, "dicke/__init__.py")  # nothing that `power` calls

    monkeypatch.setattr(sweep_module, "_SOURCE", a)
    assert sweep(power, params, progress=False) == [1, 4, 9]
    assert len(_calls(log)) == 3
    monkeypatch.setattr(sweep_module, "_SOURCE", same)  # same content elsewhere: cache hit
    assert sweep(power, params, progress=False) == [1, 4, 9]
    assert len(_calls(log)) == 3
    monkeypatch.setattr(sweep_module, "_SOURCE", edited)  # code changed: recomputed
    first = cache_dir()
    assert sweep(power, params, progress=False) == [1, 4, 9]
    assert len(_calls(log)) == 6
    assert sweep(power, params, progress=False) == [1, 4, 9]
    assert len(_calls(log)) == 6

    # stale folders can be removed without touching the current one or foreign files
    monkeypatch.setattr(sweep_module, "_SOURCE", a)
    stale = cache_dir()
    old_layout = first.parent / "v0.1.0"
    old_layout.mkdir()
    foreign = first.parent / "videos"
    foreign.mkdir()
    monkeypatch.setattr(sweep_module, "_SOURCE", edited)
    clear_cache(stale_only=True)
    assert first.is_dir() and foreign.is_dir()
    assert not stale.exists() and not old_layout.exists()
    clear_cache()
    assert not first.exists()


def test_errors_propagate_and_bad_n_jobs(cache):
    with pytest.raises(ValueError, match="bad point 1"):
        sweep(fails, [{"x": 1}], progress=False)
    with pytest.raises(ValueError, match="n_jobs"):
        sweep(power, [{"x": 1}], n_jobs=0, progress=False)


# ------------------------------------------------------------------------------------ Dask

DASK_MISSING = 'dask.distributed is not installed: pip install "dask[distributed]"'
HANG_GUARD = 300  # s; stops a hung cluster test (a guard against hangs, not a speed check)


@contextlib.contextmanager
def _hang_guard(seconds: int = HANG_GUARD):
    def stop(signum, frame):
        raise TimeoutError(f"the Dask test did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """Two single-threaded worker processes on the loopback interface, closed afterwards."""
    distributed = pytest.importorskip("dask.distributed", reason=DASK_MISSING)
    psutil = pytest.importorskip("psutil", reason=DASK_MISSING)
    import dask

    # the scratch space of scheduler and workers goes to pytest's temporary folder
    scratch = str(tmp_path_factory.mktemp("dask"))
    with dask.config.set({"temporary-directory": scratch}):
        with _hang_guard():
            cluster = distributed.LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
        try:
            with _hang_guard(), distributed.Client(cluster, set_as_default=False) as client:
                client.wait_for_workers(2, timeout=120)
                addresses = [cluster.scheduler_address, *client.scheduler_info()["workers"]]
                assert all(a.startswith("tcp://127.0.0.1:") for a in addresses), addresses
                pids = set(client.run(os.getpid).values())
            assert len(pids) == 2 and os.getpid() not in pids
            yield SimpleNamespace(address=cluster.scheduler_address, pids=pids)
        finally:
            with _hang_guard():
                cluster.close(timeout=60)
    # no worker process is left behind
    deadline = time.monotonic() + 60
    alive = [p for p in pids if psutil.pid_exists(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [p for p in alive if psutil.pid_exists(p)]
    assert not alive, f"Dask worker processes {alive} survived the cluster"


def test_dask_backend_gives_the_local_results_and_uses_the_cache(dask_cluster, cache):
    from dask.distributed import Client

    params = [{"N": 3, "eps": eps} for eps in (0.6, 1.0, 1.4)]
    local = sweep(kerr.state_balance_row, params, cache=False, progress=False)
    log = cache / "calls.txt"
    points = [{"x": x, "log": str(log)} for x in range(6)]
    with _hang_guard(), Client(dask_cluster.address) as client:
        assert sweep(kerr.state_balance_row, params, backend="dask", progress=False) == local
        assert sweep(power, points, backend="dask", progress=False) == [x**2 for x in range(6)]
        workers = set(client.run(os.getpid).values())
    # computed once each, by the cluster's worker processes, and written to the shared cache
    calls = _calls(log)
    assert sorted(int(c.split(",")[0]) for c in calls) == list(range(6))
    assert {int(c.split(",")[2]) for c in calls} <= workers == dask_cluster.pids
    memo = sweep_module.memory().cache(kerr.state_balance_row)
    assert all(memo.check_call_in_cache(**p) for p in params)
    # a second run, now without any cluster, is read from disk: no call, same results
    assert sweep(kerr.state_balance_row, params, backend="loky", progress=False) == local
    assert sweep(power, points, progress=False) == [x**2 for x in range(6)]
    assert len(_calls(log)) == 6


def test_dask_selected_by_environment_and_scheduler_address(dask_cluster, cache, monkeypatch):
    log = cache / "calls.txt"
    points = [{"x": x, "p": 3, "log": str(log)} for x in range(4)]
    monkeypatch.setenv("EPCORE_SWEEP_BACKEND", "dask")
    monkeypatch.delenv("EPCORE_DASK_SCHEDULER", raising=False)
    import dask

    with dask.config.set({"scheduler-address": None}):  # nor DASK_SCHEDULER_ADDRESS
        with pytest.raises(ValueError, match="EPCORE_DASK_SCHEDULER"):
            sweep(power, points, progress=False)  # no Client and no address
    monkeypatch.setenv("EPCORE_DASK_SCHEDULER", dask_cluster.address)
    with _hang_guard():
        assert sweep(power, points, progress=False) == [x**3 for x in range(4)]
        assert sweep(power, points, progress=False) == [x**3 for x in range(4)]
    calls = _calls(log)
    assert len(calls) == 4
    assert {int(c.split(",")[2]) for c in calls} <= dask_cluster.pids


def test_dask_backend_without_dask_says_what_to_install(cache, monkeypatch):
    for name in ("dask", "dask.distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # as if not installed
    with pytest.raises(ImportError, match=r'pip install "dask\[distributed\]"'):
        sweep(power, [{"x": 1}, {"x": 2}], backend="dask", progress=False)
