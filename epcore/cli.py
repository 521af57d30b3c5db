"""Command line of ``python -m epcore``: regenerate the book's figures without building the book.

``python -m epcore figures --out DIR`` calls every function registered in
``epcore.figures.REGISTRY`` (the same functions the chapters call) and writes, for each
figure ``NAME``, the files ``NAME.png``, ``NAME.pdf`` and ``NAME.csv`` (the data behind it).
``--only NAME`` (repeatable) restricts the run; ``--list`` prints the names and exits;
``--style slides`` draws them with the larger text of :data:`epcore.plots.style.STYLES`
(default ``book``, the style of the book's pages). ``--data-only`` writes only the CSVs: it
calls only the figures' data functions, draws nothing and does not import Matplotlib itself.

CSV layout: one column per key of the figure's data dict, in the dict's order. Columns shorter
than the longest are padded with empty fields, so a curve and the handful of points overlaid on
it fit in one file. Complex columns are written as two columns, ``NAME.re`` and ``NAME.im``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from .balance import EntropyBalance

FORMATS = ("png", "pdf")


def load_registry(*, drawing: bool = True) -> dict[str, Callable]:
    """Import :mod:`epcore.plots`, which registers every figure, and return the registry.

    When ``drawing``, Matplotlib is switched to the non-interactive Agg backend first, unless
    ``pyplot`` is already imported; otherwise Matplotlib is not imported here at all (the figure
    modules import it only inside their draw functions).

    Parameters
    ----------
    drawing : bool, optional
        Prepare Matplotlib for drawing (``False`` for ``--data-only``).

    Returns
    -------
    dict[str, callable]
        The figure registry :data:`epcore.figures.REGISTRY`: name to function.
    """
    if drawing:
        import matplotlib

        if "matplotlib.pyplot" not in sys.modules:
            matplotlib.use("Agg")
    from . import plots  # noqa: F401  (registers the figure functions)
    from .figures import REGISTRY

    return REGISTRY


def data_columns(name: str, data: Mapping | EntropyBalance) -> dict[str, np.ndarray]:
    """Validate a figure's data dict and return real 1-D columns (complex split into re and im).

    Parameters
    ----------
    name : str
        Name of the figure, for the error messages.
    data : Mapping or EntropyBalance
        Column name to a 1-D numeric array (a scalar counts as one row), as returned by a figure
        function; or an entropy balance, whose
        :meth:`~epcore.balance.EntropyBalance.columns` are taken.

    Returns
    -------
    dict[str, numpy.ndarray]
        One real column per key, in the order of ``data``; a complex column ``key`` becomes
        ``key.re`` and ``key.im`` (for a balance, the names of its ``columns()``).

    Raises
    ------
    ValueError
        If ``data`` is not a mapping, or a value is not a 1-D array of numbers; the message
        names the figure and the column.
    """
    if isinstance(data, EntropyBalance):
        data = data.columns()
    if not isinstance(data, Mapping):
        raise ValueError(
            f"figure {name!r} returned {type(data).__name__} as its data; a figure function must "
            "return (fig, data) with data a dict of column name -> 1-D array"
        )
    columns: dict[str, np.ndarray] = {}
    for key, value in data.items():
        arr = np.asarray(value)
        if arr.ndim == 0:
            arr = arr.reshape(1)
        if arr.ndim != 1:
            raise ValueError(
                f"figure {name!r}, data column {key!r}: expected a 1-D array, got shape "
                f"{arr.shape}; flatten it or split it into one column per row"
            )
        if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
            raise ValueError(
                f"figure {name!r}, data column {key!r}: expected numbers, got dtype {arr.dtype}"
            )
        if np.iscomplexobj(arr):
            columns[f"{key}.re"] = arr.real
            columns[f"{key}.im"] = arr.imag
        else:
            columns[str(key)] = arr
    return columns


def write_csv(path: Path, columns: Mapping[str, np.ndarray]) -> None:
    """Write columns side by side as CSV, padding the shorter ones with empty fields.

    Parameters
    ----------
    path : pathlib.Path
        The file to write (overwritten).
    columns : Mapping
        Column name to a 1-D array, as from :func:`data_columns`; the header row holds the names
        and every value is written with ``repr(float(x))`` (all digits).
    """
    n_rows = max((len(c) for c in columns.values()), default=0)
    with atomic_output(Path(path)) as tmp, open(tmp, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(list(columns))
        for i in range(n_rows):
            writer.writerow([repr(float(c[i])) if i < len(c) else "" for c in columns.values()])


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Write a file through a temporary file beside it, moved into place only on success.

    A write that fails (disk full, a size limit, an exception while formatting) leaves the
    previous ``path`` untouched and removes the temporary file; a successful one replaces
    ``path`` atomically (``os.replace``), so a reader never sees a truncated file.

    Parameters
    ----------
    path : pathlib.Path
        The file to (over)write.

    Yields
    ------
    pathlib.Path
        The temporary path to write to, in the same folder.
    """
    path = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_figure(name: str, func: Callable, out: Path, *, dpi: int = 200) -> list[Path]:
    """Call one figure function and write ``NAME.png``, ``NAME.pdf`` and ``NAME.csv`` into ``out``.

    The figure is closed afterwards, also on failure.

    Parameters
    ----------
    name : str
        The figure's registered name, the stem of the files.
    func : callable
        The figure function, called without arguments; it must return ``(fig, data)``.
    out : pathlib.Path
        An existing output folder.
    dpi : int, optional
        Resolution of the PNG.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order PNG, PDF, CSV.

    Raises
    ------
    ValueError
        If the function does not return a matplotlib Figure and a data dict, or the data fail
        :func:`data_columns`.
    """
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    result = func()
    if not (isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], Figure)):
        raise ValueError(
            f"figure {name!r}: a figure function must return (matplotlib Figure, data dict), "
            f"got {type(result).__name__}"
        )
    fig, data = result
    try:
        columns = data_columns(name, data)
        written = []
        for fmt in FORMATS:
            path = out / f"{name}.{fmt}"
            with atomic_output(path) as tmp:
                fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format=fmt)
            written.append(path)
        path = out / f"{name}.csv"
        write_csv(path, columns)
        written.append(path)
    finally:
        plt.close(fig)
    return written


def write_data(name: str, func: Callable, out: Path) -> list[Path]:
    """Call only the data function of a registered figure and write ``NAME.csv`` into ``out``.

    Nothing is drawn and Matplotlib is not imported: the figure function's ``data`` attribute
    computes the data and its ``columns`` attribute picks the CSV columns (as
    :func:`epcore.figures.register` sets them).

    Parameters
    ----------
    name : str
        The figure's registered name, the stem of the file.
    func : callable
        The registered figure function, with attributes ``data`` and ``columns``.
    out : pathlib.Path
        An existing output folder.

    Returns
    -------
    list of pathlib.Path
        The file written (the CSV).

    Raises
    ------
    ValueError
        If ``func`` has no data function, or the data fail :func:`data_columns`.
    """
    data_func = getattr(func, "data", None)
    to_columns = getattr(func, "columns", None)
    if not (callable(data_func) and callable(to_columns)):
        raise ValueError(
            f"figure {name!r} has no separate data function; register it with "
            "epcore.figures.register(name, data=...) to write its data without drawing"
        )
    columns = data_columns(name, to_columns(data_func()))
    path = out / f"{name}.csv"
    write_csv(path, columns)
    return [path]


def run_figures(
    out: Path,
    only: Sequence[str] | None = None,
    *,
    registry: Mapping[str, Callable] | None = None,
    dpi: int = 200,
    progress: bool = True,
    data_only: bool = False,
) -> dict[str, str]:
    """Write every (or every selected) registered figure into ``out``.

    A figure that fails is reported, and the others are still written.

    Parameters
    ----------
    out : pathlib.Path
        Output folder, created if missing.
    only : Sequence[str] or None, optional
        Names of the figures to write; ``None`` or empty writes all of them.
    registry : Mapping or None, optional
        Name to figure function; ``None`` uses :func:`load_registry`.
    dpi : int, optional
        Resolution of the PNG files.
    progress : bool, optional
        Show a progress bar and print the time of each figure (and the traceback of a failure).
    data_only : bool, optional
        Write only ``NAME.csv``, calling only the data functions (:func:`write_data`):
        nothing is drawn and Matplotlib is not needed.

    Returns
    -------
    dict[str, str]
        The figures that failed: name to ``"ErrorType: message"``; empty when all were written.

    Raises
    ------
    ValueError
        If ``only`` names a figure that is not registered; the message lists the known names.
    """
    from tqdm.auto import tqdm

    registry = load_registry(drawing=not data_only) if registry is None else registry
    names = list(registry) if not only else list(dict.fromkeys(only))
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise ValueError(
            f"unknown figure name(s) {unknown}; known figures: {sorted(registry) or 'none'}"
        )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    failures: dict[str, str] = {}
    bar = tqdm(names, desc="figures", unit="fig", disable=not progress)
    for name in bar:
        bar.set_postfix_str(name)
        start = time.perf_counter()
        try:
            if data_only:
                write_data(name, registry[name], out)
            else:
                write_figure(name, registry[name], out, dpi=dpi)
        except Exception as exc:  # keep going: report every failure at the end
            failures[name] = f"{type(exc).__name__}: {exc}"
            if progress:
                bar.write(f"FAILED {name}:\n{traceback.format_exc()}")
        else:
            if progress:
                bar.write(f"{name}: {time.perf_counter() - start:.1f} s")
    return failures


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m epcore`` and its ``figures`` subcommand.

    Returns
    -------
    argparse.ArgumentParser
        Options of ``figures``: ``--out DIR``, ``--only NAME`` (repeatable), ``--list``,
        ``--dpi``, ``--quiet``, ``--data-only`` and ``--style``.
    """
    parser = argparse.ArgumentParser(
        prog="python -m epcore",
        description="Tools around the book 'Entropy production in driven-dissipative "
        "quantum phase transitions'.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    fig = sub.add_parser(
        "figures",
        help="write every figure of the book as PNG and PDF, with its data as CSV",
        description="Write every figure of the book as NAME.png and NAME.pdf, with the data "
        "behind it as NAME.csv. Expensive sweeps are cached on disk, so a second run is fast.",
    )
    fig.add_argument("--out", help="output folder (created if missing)")
    fig.add_argument(
        "--only", action="append", metavar="NAME", help="only this figure (repeatable)"
    )
    fig.add_argument("--list", action="store_true", help="list the figure names and exit")
    fig.add_argument("--dpi", type=int, default=200, help="PNG resolution (default 200)")
    fig.add_argument("--quiet", action="store_true", help="no progress bar")
    fig.add_argument(
        "--data-only",
        action="store_true",
        help="write only NAME.csv, from the data functions (no drawing, no Matplotlib)",
    )
    fig.add_argument(
        "--style",
        choices=("book", "slides"),
        default="book",
        help="figure style: 'book' (default, as in the book) or 'slides' (larger text)",
    )
    return parser


def output_folder_problem(out: str | Path) -> str:
    """Why ``out`` cannot be the output folder, or ``""`` if it can (it is created if missing).

    Parameters
    ----------
    out : str or pathlib.Path
        The ``--out`` argument.

    Returns
    -------
    str
        A one-line reason: an empty name, a file, a path under a file, a folder that cannot be
        created (``/proc``, a read-only parent) or that is not writable.
    """
    if not str(out).strip():
        return "--out must name a folder, got an empty string"
    path = Path(out)
    if path.exists() and not path.is_dir():
        return f"--out {out} is a file, not a folder"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create the output folder {out}: {exc.strerror or exc}"
    if not os.access(path, os.W_OK | os.X_OK):
        return f"the output folder {out} is not writable"
    try:
        fd, probe = tempfile.mkstemp(prefix=".epcore-probe-", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return f"cannot write into the output folder {out}: {exc.strerror or exc}"
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m epcore``.

    Parameters
    ----------
    argv : Sequence[str] or None, optional
        The command-line arguments without the program name; ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        The process exit code: 0 on success, 1 if a figure failed, 2 if ``--out`` cannot be
        the output folder (one line on stderr says why).

    Raises
    ------
    SystemExit
        From ``argparse``, with code 2, on bad arguments (a missing ``--out``, a
        non-positive ``--dpi``, an unknown figure name).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "figures":
        registry = load_registry(drawing=False) if args.data_only else load_registry()
        if args.list:
            for name, func in registry.items():
                doc = (func.__doc__ or "").strip().splitlines()
                print(f"{name}\t{doc[0] if doc else ''}")
            return 0
        if args.out is None:
            parser.error("figures: --out DIR is required (or use --list)")
        if args.dpi <= 0:
            parser.error("figures: --dpi must be positive")
        problem = output_folder_problem(args.out)
        if problem:
            print(f"python -m epcore figures: error: {problem}", file=sys.stderr)
            return 2
        args.out = Path(args.out)
        from .plots.style import figure_style

        try:
            with contextlib.nullcontext() if args.data_only else figure_style(args.style):
                failures = run_figures(
                    args.out, args.only, registry=registry, dpi=args.dpi,
                    progress=not args.quiet, data_only=args.data_only,
                )
        except ValueError as exc:
            parser.error(str(exc))
        if failures:
            for name, msg in failures.items():
                print(f"FAILED {name}: {msg}", file=sys.stderr)
            return 1
        n = len(dict.fromkeys(args.only)) if args.only else len(registry)
        print(f"wrote {n} figure(s) to {args.out}")
        return 0
    return 2  # pragma: no cover (argparse rejects other commands)
