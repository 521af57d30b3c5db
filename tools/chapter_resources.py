"""Execute each chapter as a notebook and measure its wall time and peak memory.

    python tools/chapter_resources.py                      # every page of _toc.yml that has code
    python tools/chapter_resources.py chapters/04_kerr.md  # one chapter
    python tools/chapter_resources.py --set FULL_RESOLUTION=False chapters/04_kerr.md

Each chapter is run from a cold start (epcore's sweep cache pointed at an empty folder) in a
fresh kernel, with the chapter's folder as working directory, as the book build does. Memory is
the peak, sampled every 0.2 s, of the resident memory summed over the kernel and all its child
processes (joblib workers), which is what a container limit such as Binder's 2 GB applies to.
``--set NAME=VALUE`` rewrites a top-level assignment ``NAME = ...`` in the chapter's code cells
(a chapter's reduced-resolution switch, for instance) before running it. Prints a Markdown table
for the Reproducibility page.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent


def tree_rss(pid: int) -> int:
    """Resident memory in bytes of ``pid`` and all its descendants (0 once it has exited)."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.Error:  # exited between the listing and the reading
            pass
    return total


class PeakSampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak


def toc_pages() -> list[Path]:
    """Pages listed in _toc.yml whose file is a MyST notebook (has a kernelspec)."""
    toc = importlib.import_module(f"{__package__}.toc" if __package__ else "toc")
    pages = []
    for path in toc.page_files(REPO):
        text = path.read_text()
        front = text.split("---", 2)[1] if text.startswith("---") else ""
        if "kernelspec:" in front:
            pages.append(path)
    return pages


def run(path: Path, timeout: int, overrides: dict[str, str]) -> tuple[float, int, str]:
    """Execute one MyST notebook; return (seconds, peak bytes, status)."""
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = jupytext.read(path)
    for name, value in overrides.items():
        pattern = re.compile(rf"^{re.escape(name)}\s*=.*$", re.M)
        hits = 0
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source, n = pattern.subn(f"{name} = {value}", cell.source)
                hits += n
        if not hits:
            raise ValueError(f"{path.name}: no top-level assignment '{name} = ...' to override")
    resources = {"metadata": {"path": str(path.parent)}}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources=resources)
    status = "ok"
    start = time.perf_counter()
    with client.setup_kernel():
        sampler = PeakSampler(client.km.provisioner.pid)
        sampler.start()
        try:
            for index, cell in enumerate(client.nb.cells):
                client.execute_cell(cell, index)
        except CellExecutionError as exc:
            status = f"error: {str(exc).strip().splitlines()[-1][:80]}"
        finally:
            peak = sampler.stop()
    return time.perf_counter() - start, peak, status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=Path, help="MyST notebooks (default: the toc)")
    parser.add_argument("--timeout", type=int, default=600, help="per cell, seconds")
    parser.add_argument("--warm", action="store_true", help="reuse the sweep cache (not cold)")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="override a variable"
    )
    args = parser.parse_args(argv)
    overrides = dict(item.split("=", 1) for item in args.set)
    pages = [p.resolve() for p in args.pages] or toc_pages()
    rows, failed = [], False
    with tempfile.TemporaryDirectory() as empty:
        if not args.warm:
            os.environ["EPCORE_CACHE"] = empty
        for path in pages:
            seconds, peak, status = run(path, args.timeout, overrides)
            failed |= status != "ok"
            rel = (path.relative_to(REPO) if path.is_relative_to(REPO) else path).with_suffix("")
            rel = rel.as_posix()
            rows.append(f"| {rel} | {seconds:.0f} s | {peak / 2**20:.0f} MiB | {status} |")
            print(rows[-1], flush=True)
    print("\n| page | wall time | peak memory (kernel + workers) | status |")
    print("| --- | --- | --- | --- |")
    print("\n".join(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
