"""Parameter sweeps: process parallelism (joblib), a progress bar (tqdm) and an on-disk cache.

``sweep(func, params)`` calls ``func(**p)`` for every dict ``p`` in ``params`` and returns the
results in order. Workers come from :class:`joblib.Parallel`: two local processes by default,
any joblib backend through ``backend=...`` or an active ``joblib.parallel_config``.

.. rubric:: Caching

Results are memoized on disk with :class:`joblib.Memory`, keyed by the function (its module,
name and source code) and every keyword argument, inside a folder named by :func:`source_hash`:
a hash of the code of the whole epcore source (every ``epcore/**/*.py``, read with :mod:`ast`
by :func:`code_hash`, so docstrings, comments and layout are not part of it), of the Python
version and of the installed versions of numpy, scipy and qutip. Any change to the code of
epcore, even in a function that the cached function only calls, or a new numpy/scipy/qutip,
therefore starts a fresh folder and every point is recomputed; an edited docstring does not.
The hash is computed once per process: after editing epcore, restart the Python process or
kernel (which a change of code needs anyway). The book keys its executed notebooks on the same
:func:`code_hash` (``tools/epbook_sphinx.py``).

The cache root is, in order of precedence:

1. the environment variable ``EPCORE_CACHE``;
2. ``.cache/epcore`` in the root of the git repository containing the current working directory
   (chapters execute with the chapter folder as working directory, so the book and the tests
   share one cache; ``.cache/`` is git-ignored);
3. ``~/.cache/epcore`` otherwise.

:func:`clear_cache` deletes the folder of the current source (``stale_only=True``: the folders
of every other source version); deleting the root deletes everything.

.. rubric:: Cached scans of the physics

The physics modules do not import this one: their functions are plain functions of their
arguments, and the scans that cache them live here. :func:`finite_n_scan` and
:func:`finite_n_gap_scan` run :func:`epcore.dicke.finite_n_steady_state` and
:func:`epcore.dicke.finite_n_gap` over many numbers of atoms.

.. rubric:: Sweeps on a cluster (Dask)

The same call runs on a ``dask.distributed`` cluster through joblib's dask backend, selected by
``backend="dask"`` or by the environment variable ``EPCORE_SWEEP_BACKEND=dask`` (the argument
wins). The scheduler is, in order: the ``dask.distributed.Client`` already created in the
process (``Client("tcp://host:8786")``, or ``Client(LocalCluster())`` on one machine); else
the address in ``EPCORE_DASK_SCHEDULER`` (e.g. ``tcp://host:8786``) or in Dask's own
``DASK_SCHEDULER_ADDRESS``, connected to for the duration of the sweep. ``n_jobs`` is ignored
there: every worker thread of the cluster takes points. Needs ``pip install
"dask[distributed]"`` (in ``requirements.txt``; or ``pip install -e ".[dask]"`` in the repository).

Workers run the cached function themselves and write its results into the cache folder (an
absolute path fixed by the caller), so on several machines ``EPCORE_CACHE`` must name a folder
that every worker and the caller share (NFS, a cluster home directory), and the workers must
import the same epcore. Without a shared folder the results are still right, but the caller
does not see the workers' cache.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import os
import re
import shutil
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import joblib
from tqdm.auto import tqdm

from .dicke.finite_n import (
    MAX_ATOMS,
    FiniteNDicke,
    FiniteNGap,
    finite_n_gap,
    finite_n_steady_state,
)
from .dicke.meanfield import PAPER as DICKE_PAPER
from .errors import ArgumentTypeError
from .models import DickeModel, check_coupling, check_integer
from .settings import settings

__all__ = ["cache_dir", "memory", "sweep", "clear_cache", "code_hash", "source_hash",
           "settings_hash", "finite_n_scan", "finite_n_gap_scan"]

#: the epcore package whose source keys the cache (tests point it at a copy)
_SOURCE = Path(__file__).resolve().parent
#: libraries whose versions are part of the key besides epcore's source
_KEYED_LIBRARIES = ("numpy", "scipy", "qutip")


def _strip_strings(tree: ast.AST) -> ast.AST:
    """Drop every statement that is a bare string constant: docstrings of modules, classes and
    functions, and the attribute docstrings Sphinx reads (a bare string does nothing)."""
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            body = getattr(node, name, None)
            if isinstance(body, list):
                body[:] = [
                    stmt
                    for stmt in body
                    if not (
                        isinstance(stmt, ast.Expr)
                        and isinstance(stmt.value, ast.Constant)
                        and isinstance(stmt.value.value, str)
                    )
                ]
    return tree


def _code_of(path: Path) -> bytes:
    """The code of one file: the AST dump of a Python module without docstrings, comments and
    layout; the bytes themselves for any other file (or a module that does not parse)."""
    data = path.read_bytes()
    if path.suffix != ".py":
        return data
    try:
        tree = ast.parse(data, filename=str(path))
    except (SyntaxError, ValueError):
        return data
    return ast.dump(_strip_strings(tree)).encode()


def code_hash(root: str | Path, patterns: Sequence[str] = ("**/*.py",)) -> str:
    """Hash of the code of the files under a folder, docstrings and comments left out.

    Each Python module is parsed with :func:`ast.parse`; every statement that is a bare string
    (the docstring of a module, class or function, or an attribute docstring) is dropped, and
    the rest is hashed as :func:`ast.dump` prints it. Comments, blank lines and the layout of
    the code are not in the tree, so editing them does not change the hash; a changed constant,
    name or statement does. Other files are hashed byte for byte.

    Parameters
    ----------
    root : str or Path
        The folder the patterns are relative to.
    patterns : sequence of str, optional
        Glob patterns relative to ``root`` (default every ``**/*.py``); ``__pycache__``
        folders are skipped.

    Returns
    -------
    str
        64 hex digits of the SHA-256 of the Python version (:func:`ast.dump` may print a tree
        differently in another one) and of each matched file's relative path and code.
    """
    root = Path(root)
    files = sorted(
        {
            path
            for pattern in patterns
            for path in root.glob(pattern)
            if path.is_file() and "__pycache__" not in path.relative_to(root).parts
        }
    )
    digest = hashlib.sha256(f"python {sys.version_info.major}.{sys.version_info.minor}\n".encode())
    for path in files:
        code = _code_of(path)
        name = path.relative_to(root).as_posix()
        digest.update(f"{name}\0{len(code)}\0".encode())
        digest.update(code)
    return digest.hexdigest()


@functools.cache
def _hash_tree(root: Path) -> str:
    digest = hashlib.sha256(code_hash(root).encode())
    for lib in _KEYED_LIBRARIES:
        try:
            version = metadata.version(lib)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{lib}=={version}\n".encode())
    return digest.hexdigest()[:16]


def source_hash(root: str | Path | None = None) -> str:
    """Hash of the epcore source and of the numpy, scipy and qutip versions: the cache key.

    Parameters
    ----------
    root : str or Path, optional
        The package folder to hash; default the imported epcore package.

    Returns
    -------
    str
        16 hex digits of the SHA-256 of :func:`code_hash` of ``root`` (the code of every
        ``root/**/*.py``, docstrings and comments left out) and of the installed versions of
        numpy, scipy and qutip. Computed once per process and
        folder (a few milliseconds), so an edit seen by a running process needs a restart.
    """
    return _hash_tree(Path(root).resolve() if root is not None else _SOURCE)


#: the modules whose settings (module-level UPPER_CASE constants) key the cache
_SETTINGS_MODULES = (
    "epcore.models",
    "epcore.threads",
    "epcore.phasespace",
    "epcore.gaussian",
    "epcore.cavity",
    "epcore.kerr.model",
    "epcore.kerr.exact",
    "epcore.kerr.memory",
    "epcore.kerr.entropy",
    "epcore.kerr.spectrum",
    "epcore.kerr.critical",
    "epcore.dicke.meanfield",
    "epcore.dicke.fluctuations",
    "epcore.dicke.entropy",
    "epcore.dicke.scaling",
    "epcore.dicke.finite_n",
    "epcore.dynamics",
)
_SETTING = re.compile(r"[A-Z][A-Z0-9_]*")
_warned_cache: set[str] = set()


def settings_hash() -> str:
    """Hash of every setting that can change a result: the cache key besides the source.

    The settings are the attributes of :data:`epcore.settings` (``memory_limit``,
    ``max_cutoff``, ..., all but ``n_jobs``, which cannot change a result) and the module-level
    UPPER_CASE constants of numbers, strings and tuples of the physics modules (``MOMENT_TOL``,
    ``CUTOFF_TOL``, ...), read at each call, so that changing one
    (``epcore.settings.max_cutoff = 200``, ``epcore.kerr.entropy.MOMENT_TOL = 1e-6``) starts a
    fresh cache folder ``set-<hash>`` inside :func:`cache_dir`.

    Returns
    -------
    str
        12 hex digits of the SHA-256 of ``module.NAME=repr(value)`` lines.
    """
    import importlib

    lines = [
        f"epcore.settings.{attr}={getattr(settings, attr)!r}"
        for attr in type(settings).__slots__
        if attr != "n_jobs"
    ]
    for name in _SETTINGS_MODULES:
        module = importlib.import_module(name)
        for attr, value in sorted(vars(module).items()):
            if _SETTING.fullmatch(attr) and isinstance(value, (int, float, str, tuple)):
                lines.append(f"{name}.{attr}={value!r}")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:12]


def cache_dir() -> Path:
    """The cache folder of the current epcore source: ``<root>/src-<source_hash()>``.

    Returns
    -------
    pathlib.Path
        An absolute path; the root follows the rules of the module docstring.
    """
    env = os.environ.get("EPCORE_CACHE")
    if env:
        base = Path(env).expanduser().resolve()
    else:
        base = Path.home() / ".cache" / "epcore"
        here = Path.cwd().resolve()
        for folder in (here, *here.parents):
            if (folder / ".git").exists():
                base = folder / ".cache" / "epcore"
                break
    return base / f"src-{source_hash()}"


def memory() -> joblib.Memory:
    """A :class:`joblib.Memory` writing to :func:`cache_dir`.

    Returns
    -------
    joblib.Memory
        The on-disk memoizer that :func:`sweep` wraps the swept function with (``verbose=0``).
    """
    return joblib.Memory(cache_dir() / f"set-{settings_hash()}", verbose=0)


def _usable_memory() -> joblib.Memory | None:
    """:func:`memory`, or ``None`` (with one warning per location) if its folder is unusable.

    A read-only ``EPCORE_CACHE``, a path through a file or a path under ``/proc`` must not stop
    a computation: the sweep then runs without the cache.
    """
    try:
        mem = memory()
        location = Path(mem.location)
        location.mkdir(parents=True, exist_ok=True)
        probe = location / f".probe-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
        return mem
    except OSError as exc:
        key = str(os.environ.get("EPCORE_CACHE"))
        if key not in _warned_cache:
            _warned_cache.add(key)
            warnings.warn(
                f"epcore cache folder unusable ({type(exc).__name__}: {exc}); computing without "
                "the cache. Set EPCORE_CACHE to a writable folder to cache results.",
                RuntimeWarning,
                stacklevel=3,
            )
        return None


def _entry(target, p: Mapping[str, Any]) -> Path:
    """The folder of one cached call (``output.pkl`` and its checksum)."""
    return Path(target.store_backend.location) / target.func_id / target._get_args_id(**p)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _seal(target, p: Mapping[str, Any]) -> None:
    """Store the checksum of a just-computed cache entry beside it (best effort)."""
    entry = _entry(target, p)
    output = entry / "output.pkl"
    with contextlib.suppress(OSError):
        if output.is_file():
            tmp = entry / f".checksum.{os.getpid()}"
            tmp.write_text(_digest(output))
            os.replace(tmp, entry / "checksum.sha256")


def _verified(target, p: Mapping[str, Any]) -> bool:
    """Whether a cached entry exists and its pickle matches the checksum stored with it."""
    if not target.check_call_in_cache(**p):
        return False
    entry = _entry(target, p)
    try:
        return _digest(entry / "output.pkl") == (entry / "checksum.sha256").read_text().strip()
    except OSError:
        return False


def clear_cache(*, stale_only: bool = False) -> None:
    """Delete the cache of the current epcore source, or (``stale_only``) of every other one.

    Parameters
    ----------
    stale_only : bool, optional
        If True, keep the current folder and delete the folders that earlier (or other)
        versions of the source wrote beside it (``src-<hash>``, and ``v<version>`` from the
        former key); other files and folders there are left alone.
    """
    current = cache_dir()
    if not stale_only:
        shutil.rmtree(current, ignore_errors=True)
        return
    if current.parent.is_dir():
        for folder in current.parent.iterdir():
            ours = re.fullmatch(r"src-[0-9a-f]{16}|v\d[\w.+-]*", folder.name)
            if ours and folder != current and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _dask_backend() -> Iterator[None]:
    """joblib's dask backend on the current Client, or on the scheduler named in the environment."""
    try:
        import dask
        from dask.distributed import Client, get_client
    except ImportError as err:
        raise ImportError(
            'backend "dask" needs dask.distributed: pip install "dask[distributed]"'
        ) from err
    try:
        client = get_client()
    except ValueError:  # no Client in this process
        client = None
    if client is not None:
        with joblib.parallel_config(backend="dask", client=client):
            yield
        return
    address = os.environ.get("EPCORE_DASK_SCHEDULER") or dask.config.get("scheduler-address", None)
    if not address:
        raise ValueError(
            'backend "dask" needs a dask.distributed scheduler: create a Client first '
            '(Client("tcp://host:8786"), or Client(LocalCluster()) on one machine), or set '
            "EPCORE_DASK_SCHEDULER=tcp://host:8786"
        )
    class _ClosingClient(Client):
        """A Client that closes itself when it fails to connect: a half-made Client's
        ``__del__`` otherwise waits 60 s for its connection at interpreter exit."""

        def __init__(self, *args, **kwargs):
            try:
                super().__init__(*args, **kwargs)
            except BaseException:
                with contextlib.suppress(Exception):
                    self.close(timeout=2)
                raise

    with _ClosingClient(address, set_as_default=False) as own:
        with joblib.parallel_config(backend="dask", client=own):
            yield


def sweep(
    func: Callable[..., Any],
    params: Iterable[Mapping[str, Any]],
    *,
    n_jobs: int | None = None,
    cache: bool = True,
    desc: str | None = None,
    backend: str | None = None,
    progress: bool = True,
) -> list[Any]:
    """``[func(**p) for p in params]``, in parallel, with a progress bar and a disk cache.

    Parameters
    ----------
    func : callable
        Called as ``func(**p)``; importable by the workers (a module-level function).
    params : Iterable[Mapping]
        One mapping of keyword arguments per point.
    n_jobs : int, optional
        Local workers (default ``epcore.settings.n_jobs``, 2, the cores of a Binder or CI
        machine; ``-1`` for all).
        Ignored on Dask, where the cluster's workers decide.
    cache : bool
        Read points already computed for the same arguments and epcore source
        (:func:`source_hash`) from disk; only the rest is sent to the workers.
    desc : str, optional
        Label of the progress bar.
    backend : str, optional
        A joblib backend (``"loky"``, ``"threading"``, ``"dask"``, ...). Default: the
        environment variable ``EPCORE_SWEEP_BACKEND`` if set, else joblib's default or the
        active ``joblib.parallel_config``. ``"dask"`` finds its scheduler as the module
        docstring says.
    progress : bool
        Show a tqdm bar.

    Returns
    -------
    list
        ``func(**p)`` for every ``p``, in the order of ``params``.

    Raises
    ------
    ValueError
        If ``n_jobs`` is 0, or ``backend="dask"`` finds no scheduler. Exceptions raised by
        ``func`` propagate.
    ImportError
        If ``backend="dask"`` and dask.distributed is not installed.
    """
    params = [dict(p) for p in params]
    if n_jobs is None:
        n_jobs = settings.n_jobs
    if n_jobs == 0:
        raise ValueError("n_jobs must be a positive number of workers or -1 (all cores)")
    backend = backend or os.environ.get("EPCORE_SWEEP_BACKEND") or None
    mem = _usable_memory() if cache else None
    cache = mem is not None
    target = mem.cache(func) if cache else func
    results: list[Any] = [None] * len(params)
    todo = list(range(len(params)))
    if cache:
        todo = []
        for i, p in enumerate(params):
            if _verified(target, p):
                results[i] = target(**p)
            else:
                # absent, or a pickle that does not match its checksum: recompute it
                with contextlib.suppress(OSError):
                    if target.check_call_in_cache(**p):
                        shutil.rmtree(_entry(target, p), ignore_errors=True)
                todo.append(i)
    local = backend != "dask" and (len(todo) <= 1 or n_jobs == 1)
    # no tqdm object at all without a progress bar: in a notebook even a disabled one can
    # leave an empty widget behind
    bar = tqdm(total=len(params), desc=desc, initial=len(params) - len(todo)) if progress else None
    try:
        if local or not todo:
            for i in todo:
                results[i] = target(**params[i])
                if cache:
                    _seal(target, params[i])
                if bar is not None:
                    bar.update()
        else:
            with _dask_backend() if backend == "dask" else contextlib.nullcontext():
                parallel = joblib.Parallel(
                    n_jobs=n_jobs,
                    backend=None if backend == "dask" else backend,
                    return_as="generator",
                )
                jobs = (joblib.delayed(target)(**params[i]) for i in todo)
                for i, value in zip(todo, parallel(jobs), strict=True):
                    results[i] = value
                    if cache:
                        _seal(target, params[i])
                    if bar is not None:
                        bar.update()
    finally:
        if bar is not None:
            bar.close()
    return results


# ------------------------------------------------- cached scans of the physics modules


def finite_n_scan(
    Ns, lam: float, *, model: DickeModel = DICKE_PAPER, n_jobs: int | None = None,
    cache: bool = True, progress: bool = True, **options,
) -> list[FiniteNDicke]:
    r""":func:`epcore.dicke.finite_n_steady_state` for each :math:`N` in ``Ns``, parallel, cached.

    Through :func:`epcore.sweep.sweep`: points run on ``n_jobs`` worker processes with a
    progress bar and are cached on disk, keyed by every argument (the model included).

    Parameters
    ----------
    Ns : Iterable[int]
        Numbers of atoms.
    lam : float
        Coupling, in the normal phase.
    model : epcore.models.DickeModel, optional
        Frequencies and loss rates; default :data:`~epcore.dicke.PAPER`.
    n_jobs : int, optional
        Worker processes (default ``epcore.settings.n_jobs``).
    cache : bool, optional
        Read and write the disk cache.
    progress : bool, optional
        Show a tqdm bar.
    **options
        Passed to :func:`epcore.dicke.finite_n_steady_state` (``n_cavity``, ``n_spin``,
        ``tol``).

    Returns
    -------
    list[epcore.dicke.FiniteNDicke]
        One result per :math:`N`, in the order of ``Ns``.

    Raises
    ------
    ValueError
        As :func:`epcore.dicke.finite_n_steady_state`, for the first point that fails.
    """
    if isinstance(Ns, (str, bytes)) or not hasattr(Ns, "__iter__"):
        raise ArgumentTypeError(f"Ns must be an iterable of integers, got {Ns!r:.60}")
    sizes = [check_integer(n, "each N of Ns", minimum=1, maximum=MAX_ATOMS) for n in Ns]
    if not sizes:
        raise ValueError("Ns is empty: give at least one number of atoms")
    lam = check_coupling(lam, "finite_n_scan")
    params = [dict(N=n, lam=lam, model=model, **options) for n in sizes]
    return sweep(
        finite_n_steady_state, params, n_jobs=n_jobs, cache=cache, progress=progress,
        desc="finite-N Dicke",
    )


def finite_n_gap_scan(
    Ns, lam: float, *, model: DickeModel = DICKE_PAPER, n_jobs: int | None = None,
    cache: bool = True, progress: bool = True, **options,
) -> list[FiniteNGap]:
    r""":func:`epcore.dicke.finite_n_gap` for each :math:`N` in ``Ns``, in parallel, cached on disk.

    Parameters
    ----------
    Ns : Iterable[int]
        Numbers of atoms.
    lam : float
        Coupling.
    model : epcore.models.DickeModel, optional
        Frequencies and loss rates; default :data:`~epcore.dicke.PAPER`.
    n_jobs : int, optional
        Worker processes (default ``epcore.settings.n_jobs``).
    cache : bool, optional
        Read and write the disk cache.
    progress : bool, optional
        Show a tqdm bar.
    **options
        Passed to :func:`epcore.dicke.finite_n_gap` (``n_cavity``, ``rtol``).

    Returns
    -------
    list[epcore.dicke.FiniteNGap]
        One result per :math:`N`, in the order of ``Ns``.

    Raises
    ------
    ValueError
        As :func:`epcore.dicke.finite_n_gap`, for the first point that fails.
    """
    if isinstance(Ns, (str, bytes)) or not hasattr(Ns, "__iter__"):
        raise ArgumentTypeError(f"Ns must be an iterable of integers, got {Ns!r:.60}")
    sizes = [check_integer(n, "each N of Ns", minimum=1, maximum=MAX_ATOMS) for n in Ns]
    if not sizes:
        raise ValueError("Ns is empty: give at least one number of atoms")
    lam = check_coupling(lam, "finite_n_gap_scan")
    params = [dict(N=n, lam=lam, model=model, **options) for n in sizes]
    return sweep(
        finite_n_gap, params, n_jobs=n_jobs, cache=cache, progress=progress,
        desc="finite-N Dicke gap",
    )
