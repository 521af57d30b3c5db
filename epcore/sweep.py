"""Parameter sweeps: process parallelism (joblib), a progress bar (tqdm) and an on-disk cache.

``sweep(func, params)`` calls ``func(**p)`` for every dict ``p`` in ``params`` and returns the
results in order. Workers come from :class:`joblib.Parallel`, so a user with a cluster switches
the backend without touching the sweep, e.g. ``with joblib.parallel_config(backend="dask"):``
(after creating a ``dask.distributed.Client``), or passes ``backend=...``.

Caching
-------
Results are memoized on disk with :class:`joblib.Memory`, keyed by the function (its module,
name and source code), every keyword argument, and the version of epcore (one cache folder per
version). The cache directory is, in order of precedence:

1. the environment variable ``EPCORE_CACHE``;
2. ``.cache/epcore`` in the root of the git repository containing the current working directory
   (chapters execute with the chapter folder as working directory, so the book and the tests
   share one cache; ``.cache/`` is git-ignored);
3. ``~/.cache/epcore`` otherwise.

The key sees the source of ``func`` itself, not of the functions it calls: after changing the
physics behind a cached function, bump ``epcore.__version__`` or delete the folder (or call
:func:`clear_cache`) to recompute everything.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import joblib
from tqdm.auto import tqdm

__all__ = ["cache_dir", "memory", "sweep", "clear_cache"]


def _version() -> str:
    from . import __version__

    return __version__


def cache_dir() -> Path:
    """The cache directory of this epcore version (see the module docstring for the rules)."""
    env = os.environ.get("EPCORE_CACHE")
    if env:
        base = Path(env).expanduser()
    else:
        base = Path.home() / ".cache" / "epcore"
        here = Path.cwd().resolve()
        for folder in (here, *here.parents):
            if (folder / ".git").exists():
                base = folder / ".cache" / "epcore"
                break
    return base / f"v{_version()}"


def memory() -> joblib.Memory:
    """A :class:`joblib.Memory` writing to :func:`cache_dir`."""
    return joblib.Memory(cache_dir(), verbose=0)


def clear_cache() -> None:
    """Delete the cache directory of this epcore version."""
    shutil.rmtree(cache_dir(), ignore_errors=True)


def sweep(
    func: Callable[..., Any],
    params: Iterable[Mapping[str, Any]],
    *,
    n_jobs: int = 2,
    cache: bool = True,
    desc: str | None = None,
    backend: str | None = None,
    progress: bool = True,
) -> list[Any]:
    """``[func(**p) for p in params]``, in parallel, with a progress bar and a disk cache.

    ``func`` must be importable by the workers (a module-level function). ``n_jobs`` workers
    (default 2, the cores of a Binder or CI machine; ``-1`` for all); ``backend`` is passed to
    :class:`joblib.Parallel` (``None`` keeps joblib's default or the active
    ``joblib.parallel_config``). With ``cache=True`` points already computed, for the same
    arguments and epcore version, are read from disk, and only the rest is sent to the workers.
    Exceptions raised by ``func`` propagate.
    """
    params = [dict(p) for p in params]
    if n_jobs == 0:
        raise ValueError("n_jobs must be a positive number of workers or -1 (all cores)")
    target = memory().cache(func) if cache else func
    results: list[Any] = [None] * len(params)
    todo = list(range(len(params)))
    if cache:
        todo = []
        for i, p in enumerate(params):
            if target.check_call_in_cache(**p):
                results[i] = target(**p)
            else:
                todo.append(i)
    # no tqdm object at all without a progress bar: in a notebook even a disabled one can
    # leave an empty widget behind
    bar = tqdm(total=len(params), desc=desc, initial=len(params) - len(todo)) if progress else None
    try:
        if len(todo) <= 1 or n_jobs == 1:
            for i in todo:
                results[i] = target(**params[i])
                if bar is not None:
                    bar.update()
        else:
            parallel = joblib.Parallel(n_jobs=n_jobs, backend=backend, return_as="generator")
            jobs = (joblib.delayed(target)(**params[i]) for i in todo)
            for i, value in zip(todo, parallel(jobs), strict=True):
                results[i] = value
                if bar is not None:
                    bar.update()
    finally:
        if bar is not None:
            bar.close()
    return results
