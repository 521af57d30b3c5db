"""One policy for the BLAS threads of every numerical routine of :mod:`epcore`.

The linear algebra here works on small or sparse matrices (Fock-space Liouvillians, 4 x 4
covariances) where OpenBLAS threads do not help: they spin while they wait, and on a machine
whose cores are shared (Binder, CI, a laptop running a build) they slow a sparse LU or a QuTiP
steady state down several-fold (``dicke.fock_covariance`` takes about 0.9 s with one thread and
10-15 s with the default threads on two shared cores). Every routine that calls a solver runs
under :func:`blas_threads`, which caps BLAS at ``epcore.settings.blas_threads`` threads, read
at each call.

Change the policy once: ``epcore.settings.blas_threads = 4`` (or ``None`` for no limit).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import TypeVar

from threadpoolctl import threadpool_limits

from .settings import settings

__all__ = ["blas_threads", "limit_blas_threads"]

F = TypeVar("F", bound=Callable)


@contextlib.contextmanager
def blas_threads() -> Iterator[None]:
    """Run the body of a ``with`` block with at most ``epcore.settings.blas_threads`` BLAS threads.

    Yields
    ------
    None
        Inside the block BLAS uses the capped number of threads; the previous limits are
        restored on exit.
    """
    threads = settings.blas_threads
    if threads is None:
        yield
        return
    with threadpool_limits(limits=threads, user_api="blas"):
        yield


def limit_blas_threads(func: F) -> F:
    """Decorate ``func`` so that it runs under :func:`blas_threads`.

    Parameters
    ----------
    func : callable
        The function to wrap.

    Returns
    -------
    callable
        The wrapped function, with the same signature and docstring.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with blas_threads():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
