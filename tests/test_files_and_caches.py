"""Files and caches: atomic CLI output, bad output folders, unusable caches, cache keys and
checksums, and a Dask scheduler that cannot be reached."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from epcore import cli  # noqa: E402
from epcore import sweep as sweep_module
from epcore.sweep import settings_hash, sweep  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _line():
    fig, ax = plt.subplots()
    x = np.linspace(0.0, 1.0, 5)
    ax.plot(x, x**2)
    return fig, {"x": x, "y": x**2}


def square(x: float) -> float:
    return x * x


# ------------------------------------------------------------------------------ the CLI


def test_a_failed_rewrite_keeps_the_previous_csv(tmp_path):
    registry = {"fake-line": _line}
    assert cli.run_figures(tmp_path, registry=registry, progress=False) == {}
    good = (tmp_path / "fake-line.csv").read_bytes()

    def _broken():
        fig, _ = _line()
        return fig, {"x": np.arange(10**5, dtype=float)}  # a long CSV

    # the rewrite dies half-way (as on a full disk): the old file must stay whole
    orig = cli.csv.writer

    class Dying:
        def __init__(self, fh):
            self.w, self.n = orig(fh), 0

        def writerow(self, row):
            self.n += 1
            if self.n > 100:
                raise OSError(28, "No space left on device")
            self.w.writerow(row)

    cli.csv.writer = Dying
    try:
        failures = cli.run_figures(tmp_path, registry={"fake-line": _broken}, progress=False)
    finally:
        cli.csv.writer = orig
    assert "fake-line" in failures and "No space left" in failures["fake-line"]
    assert (tmp_path / "fake-line.csv").read_bytes() == good
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_file_size_limit_does_not_truncate_the_previous_output(tmp_path):
    """RLIMIT_FSIZE in a child process: the rewrite fails, the first CSV is intact."""
    code = textwrap.dedent(
        f"""
        import resource, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        import matplotlib; matplotlib.use("Agg")
        import matplotlib.pyplot as plt, numpy as np
        from epcore import cli
        def fig(n):
            def f():
                fg, ax = plt.subplots(); ax.plot([0, 1])
                return fg, {{"x": np.arange(n, dtype=float)}}
            return f
        out = {str(tmp_path)!r}
        assert cli.run_figures(out, registry={{"f": fig(10)}}, progress=False) == {{}}
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
        failures = cli.run_figures(out, registry={{"f": fig(10**6)}}, progress=False)
        print("FAILED" if failures else "WROTE")
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().endswith("FAILED")
    rows = (tmp_path / "f.csv").read_text().splitlines()
    assert rows[0] == "x" and len(rows) == 11  # the first run's ten values, complete


@pytest.mark.parametrize("kind", ["file", "under-file", "proc", "read-only", "empty"])
def test_bad_output_folders_give_one_line_and_exit_code_2(tmp_path, kind, capsys):
    a_file = tmp_path / "a.txt"
    a_file.write_text("x")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    out = {"file": str(a_file), "under-file": str(a_file / "sub"), "proc": "/proc/x",
           "read-only": str(ro / "sub"), "empty": ""}[kind]
    if kind == "read-only" and os.access(ro, os.W_OK):
        pytest.skip("running as a user that can write into read-only folders")
    code = cli.main(["figures", "--out", out, "--only", "kerr-fig2", "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "error" in err and "Traceback" not in err


def test_a_repeated_only_counts_once(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "load_registry", lambda: {"fake-line": _line})
    assert cli.main(["figures", "--out", str(tmp_path), "--only", "fake-line", "--only",
                     "fake-line", "--quiet"]) == 0
    assert "wrote 1 figure(s)" in capsys.readouterr().out


# ------------------------------------------------------------------------------ the cache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EPCORE_CACHE", str(tmp_path / "cache"))
    return tmp_path


@pytest.mark.parametrize("kind", ["read-only", "file", "proc"])
def test_unusable_cache_computes_without_it_with_one_warning(tmp_path, monkeypatch, kind):
    target = {"file": tmp_path / "a-file", "proc": Path("/proc/x"),
              "read-only": tmp_path / "ro" / "cache"}[kind]
    if kind == "file":
        target.write_text("x")
    if kind == "read-only":
        target.parent.mkdir()
        target.parent.chmod(0o500)
        if os.access(target.parent, os.W_OK):
            pytest.skip("running as a user that can write into read-only folders")
    monkeypatch.setenv("EPCORE_CACHE", str(target))
    sweep_module._warned_cache.clear()
    with pytest.warns(RuntimeWarning, match="cache folder unusable") as record:
        assert sweep(square, [{"x": 2.0}, {"x": 3.0}], n_jobs=1, progress=False) == [4.0, 9.0]
        assert sweep(square, [{"x": 4.0}], n_jobs=1, progress=False) == [16.0]
    assert len([w for w in record if "cache folder unusable" in str(w.message)]) == 1


def test_cache_key_holds_every_setting(cache, monkeypatch):
    from epcore import settings as epcore_settings
    from epcore.kerr import entropy

    before = settings_hash()
    first = sweep_module.memory().location
    monkeypatch.setattr(entropy, "MOMENT_TOL", 1e-6)
    assert settings_hash() != before
    monkeypatch.undo()
    monkeypatch.setenv("EPCORE_CACHE", str(cache / "cache"))
    assert settings_hash() == before and sweep_module.memory().location == first
    monkeypatch.setattr(epcore_settings, "memory_limit", 1e9)
    assert settings_hash() != before and sweep_module.memory().location != first


def test_a_tampered_cache_entry_is_recomputed(cache):
    params = [{"x": 3.0}]
    assert sweep(square, params, n_jobs=1, progress=False) == [9.0]
    outputs = list(Path(sweep_module.memory().location).rglob("output.pkl"))
    assert len(outputs) == 1
    outputs[0].write_bytes(pickle.dumps(123.0))  # a valid pickle holding a wrong value
    assert sweep(square, params, n_jobs=1, progress=False) == [9.0]
    assert sweep(square, params, n_jobs=1, progress=False) == [9.0]


# ------------------------------------------------------------------------------ Dask


def test_unreachable_scheduler_errors_and_exits_at_once(tmp_path):
    code = textwrap.dedent(
        f"""
        import os, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        os.environ["EPCORE_DASK_SCHEDULER"] = "notaurl"
        from epcore.sweep import sweep
        try:
            sweep(abs, [{{}}, {{}}], backend="dask", progress=False, cache=False)
        except Exception as exc:
            print(type(exc).__name__)
        print("T", time.time())
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=200)
    end = time.time()
    lines = proc.stdout.split()
    assert "ValueError" in lines or "OSError" in lines, proc.stdout + proc.stderr[-1000:]
    printed = float(lines[lines.index("T") + 1])
    assert end - printed < 30  # the interpreter exits without waiting 60 s for the client
    assert "timed out after 60 s" not in proc.stderr
