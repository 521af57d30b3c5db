"""Parameter sweeps: order, parallel workers, the on-disk cache and its location."""

from __future__ import annotations

import os
from pathlib import Path

import joblib
import pytest

import epcore
from epcore import sweep as sweep_module
from epcore.sweep import cache_dir, clear_cache, sweep


def power(x: float, p: int = 2, log: str | None = None) -> float:
    """Module-level so that worker processes can import it; appends a line to ``log`` per call."""
    if log is not None:
        with open(log, "a") as fh:
            fh.write(f"{x},{p}\n")
    return x**p


def fails(x: float) -> float:
    raise ValueError(f"bad point {x}")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EPCORE_CACHE", str(tmp_path / "cache"))
    return tmp_path


def _calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


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


def test_cache_location_env_repo_root_and_version(tmp_path, monkeypatch):
    monkeypatch.setenv("EPCORE_CACHE", str(tmp_path / "here"))
    assert cache_dir() == tmp_path / "here" / f"v{epcore.__version__}"
    monkeypatch.delenv("EPCORE_CACHE")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "chapters").mkdir()
    monkeypatch.chdir(repo / "chapters")  # notebooks run in the chapter's folder
    assert cache_dir() == repo.resolve() / ".cache" / "epcore" / f"v{epcore.__version__}"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    if not any((p / ".git").exists() for p in (outside.resolve(), *outside.resolve().parents)):
        assert cache_dir() == Path.home() / ".cache" / "epcore" / f"v{epcore.__version__}"


def test_version_is_part_of_the_key(cache, monkeypatch):
    first = cache_dir()
    monkeypatch.setattr(epcore, "__version__", "999.0")
    assert cache_dir() != first
    assert cache_dir().name == "v999.0"


def test_errors_propagate_and_bad_n_jobs(cache):
    with pytest.raises(ValueError, match="bad point 1"):
        sweep(fails, [{"x": 1}], progress=False)
    with pytest.raises(ValueError, match="n_jobs"):
        sweep(power, [{"x": 1}], n_jobs=0, progress=False)


def test_module_documents_the_cache_rules():
    doc = sweep_module.__doc__
    assert "EPCORE_CACHE" in doc and ".cache/epcore" in doc and "~/.cache/epcore" in doc
    assert os.path.basename(sweep_module.__file__) == "sweep.py"
