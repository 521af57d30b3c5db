"""``python -m epcore figures``: files, CSV content and error handling, on fake figures."""

from __future__ import annotations

import csv
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from epcore import cli  # noqa: E402


def _line():
    """A line and three markers: columns of unequal length."""
    fig, ax = plt.subplots()
    x = np.linspace(0.0, 1.0, 5)
    ax.plot(x, x**2)
    ax.plot([0.25, 0.5, 0.75], [0.1, 0.2, 0.3], "o")
    return fig, {"x": x, "y": x**2, "marker_x": [0.25, 0.5, 0.75]}


def _complex():
    fig, ax = plt.subplots()
    return fig, {"alpha": np.array([1 + 2j, -0.5j])}


def _bad_shape():
    fig, ax = plt.subplots()
    return fig, {"grid": np.zeros((3, 3))}


def _not_a_pair():
    return {"x": [1.0]}


def _raises():
    raise RuntimeError("boom")


FAKE = {"fake-line": _line, "fake-complex": _complex}


def _rows(path):
    with open(path, newline="") as fh:
        return list(csv.reader(fh))


def test_writes_png_pdf_csv(tmp_path):
    failures = cli.run_figures(tmp_path, registry=FAKE, progress=False)
    assert failures == {}
    for name in FAKE:
        for ext in ("png", "pdf", "csv"):
            assert (tmp_path / f"{name}.{ext}").stat().st_size > 0
    assert (tmp_path / "fake-line.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "fake-line.pdf").read_bytes()[:5] == b"%PDF-"


def test_csv_columns_padded_and_exact(tmp_path):
    cli.run_figures(tmp_path, ["fake-line"], registry=FAKE, progress=False)
    rows = _rows(tmp_path / "fake-line.csv")
    assert rows[0] == ["x", "y", "marker_x"]
    assert len(rows) == 1 + 5
    x = np.linspace(0.0, 1.0, 5)
    np.testing.assert_array_equal([float(r[0]) for r in rows[1:]], x)  # round-trips exactly
    np.testing.assert_array_equal([float(r[1]) for r in rows[1:]], x**2)
    assert [r[2] for r in rows[1:]] == ["0.25", "0.5", "0.75", "", ""]
    assert not (tmp_path / "fake-complex.csv").exists()  # --only respected


def test_complex_column_split(tmp_path):
    cli.run_figures(tmp_path, ["fake-complex"], registry=FAKE, progress=False)
    rows = _rows(tmp_path / "fake-complex.csv")
    assert rows == [["alpha.re", "alpha.im"], ["1.0", "2.0"], ["-0.0", "-0.5"]]


def test_unknown_name_lists_known(tmp_path):
    with pytest.raises(ValueError, match="known figures.*fake-line"):
        cli.run_figures(tmp_path, ["nope"], registry=FAKE, progress=False)


@pytest.mark.parametrize(
    "func, message",
    [(_bad_shape, "1-D array"), (_not_a_pair, "must return"), (_raises, "boom")],
)
def test_failures_reported_others_written(tmp_path, func, message):
    registry = {"bad": func, **FAKE}
    failures = cli.run_figures(tmp_path, registry=registry, progress=False)
    assert list(failures) == ["bad"]
    assert message in failures["bad"]
    assert (tmp_path / "fake-line.csv").exists()
    assert not (tmp_path / "bad.csv").exists()
    assert plt.get_fignums() == []  # every figure closed, also the failing ones


def test_main_exit_codes(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "load_registry", lambda: {"bad": _raises, **FAKE})
    assert cli.main(["figures", "--out", str(tmp_path), "--only", "fake-line", "--quiet"]) == 0
    assert (tmp_path / "fake-line.png").exists()
    assert cli.main(["figures", "--out", str(tmp_path), "--quiet"]) == 1
    assert "FAILED bad: RuntimeError: boom" in capsys.readouterr().err
    assert cli.main(["figures", "--list"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("fake-line\tA line and three")
    with pytest.raises(SystemExit) as exc:
        cli.main(["figures", "--out", str(tmp_path), "--only", "nope"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        cli.main(["figures"])  # neither --out nor --list


def test_module_entry_point_lists_real_registry():
    """``python -m epcore`` imports epcore.plots and lists what the chapters registered."""
    from epcore.figures import REGISTRY

    cli.load_registry()
    proc = subprocess.run(
        [sys.executable, "-m", "epcore", "figures", "--list"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    listed = [line.split("\t")[0] for line in proc.stdout.splitlines()]
    assert listed == list(REGISTRY)


# ------------------------------------------------- figures as (data function, draw function)


def test_register_splits_data_and_drawing(monkeypatch):
    """A registered figure computes with its data function and draws with its draw function."""
    from epcore import figures

    monkeypatch.setattr(figures, "REGISTRY", {})
    calls = []

    def data(*, n=3):
        calls.append(n)
        return {"x": np.arange(float(n))}

    @figures.register("probe", data=data, columns=lambda d: {"x2": d["x"] * 2})
    def probe(d, *, color="k"):
        """A probe figure."""
        fig, ax = plt.subplots()
        ax.plot(d["x"], color=color)
        return fig

    fig, cols = probe(n=4, color="r")  # n goes to the data function, color to the drawing
    assert calls == [4] and list(cols) == ["x2"] and cols["x2"].tolist() == [0, 2, 4, 6]
    assert fig.axes[0].lines[0].get_color() == "r"
    plt.close(fig)
    fig, cols = probe(data={"x": np.ones(2)})  # precomputed data: the data function is not called
    assert calls == [4] and cols["x2"].tolist() == [2, 2]
    plt.close(fig)
    with pytest.raises(ValueError, match="options"):
        probe(data={"x": np.ones(2)}, n=5)
    assert figures.REGISTRY["probe"] is probe and probe.data is data and probe.name == "probe"
    assert "A probe figure." in probe.__doc__ and "data : object, optional" in probe.__doc__
    with pytest.raises(ValueError, match="registered twice"):
        figures.register("probe", data=data)(lambda d: None)


def test_data_only_writes_the_csv_without_matplotlib(tmp_path):
    """``--data-only`` calls only the data functions: it runs with Matplotlib unimportable.

    QuTiP imports ``matplotlib.pyplot`` when it is installed, so the child process makes
    Matplotlib unimportable (``sys.modules["matplotlib"] = None``) before importing epcore: any
    import of Matplotlib on the data path would then fail. Its CSVs equal those written by the
    full command (which draws).
    """
    names = ["dicke-lambda-c", "entropy-zero-temperature"]
    only = [arg for name in names for arg in ("--only", name)]
    data_dir = str(tmp_path / "data")
    code = (
        "import sys, warnings\n"
        "sys.modules['matplotlib'] = None\n"
        "warnings.simplefilter('ignore')\n"
        "from epcore import cli\n"
        f"args = ['figures', '--data-only', '--quiet', '--out', {data_dir!r}, *{only!r}]\n"
        "code = cli.main(args)\n"
        "loaded = [m for m, v in sys.modules.items()\n"
        "          if m.startswith('matplotlib') and v is not None]\n"
        "print('LOADED', loaded)\n"
        "sys.exit(code)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "LOADED []" in out.stdout
    written = sorted(p.name for p in (tmp_path / "data").iterdir())
    assert written == sorted(f"{n}.csv" for n in names)  # no PNG, no PDF
    assert cli.main(["figures", "--quiet", "--out", str(tmp_path / "full"), *only]) == 0
    for name in names:
        assert _rows(tmp_path / "data" / f"{name}.csv") == _rows(tmp_path / "full" / f"{name}.csv")


def test_data_only_needs_a_data_function(tmp_path):
    failures = cli.run_figures(tmp_path, registry=FAKE, progress=False, data_only=True)
    assert set(failures) == set(FAKE)
    assert all("no separate data function" in msg for msg in failures.values())


def test_every_registered_figure_has_data_and_draw():
    registry = cli.load_registry()
    for name, func in registry.items():
        assert callable(func.data) and callable(func.draw) and callable(func.columns), name
