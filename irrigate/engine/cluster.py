"""Where the heavy steps run: this process, or a dask.distributed cluster.

Without a cluster, the compiled kernels share the rows of a grid (ET0) or the cell x crop x
method columns (water balance) among numba's threads in this process. With one,
:func:`compute_on` connects to a running scheduler (``--scheduler ADDRESS``: an HPC job
started with dask-jobqueue, a Kubernetes cluster of dask-kubernetes, ``dask scheduler`` on a
workstation) or starts a local cluster of ``N`` worker processes (``--workers N``); the
inputs are then chunked in space only (every task holds all the days of its cells) and each
task runs the kernels serially, one task per worker thread. Results equal the in-memory run.
``docs/scaling.md`` shows how to start a cluster and how to choose chunk sizes.

``distributed`` is an optional dependency (``pip install "irrigate[distributed]"``): it is
imported only when a cluster is asked for.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from irrigate.errors import InputError

#: Tasks per worker a space dimension is cut into (a few per worker balance the load).
TASKS_PER_WORKER = 2


@dataclass(frozen=True)
class Parallel:
    """A connected dask.distributed client and the number of its workers."""

    client: Any
    workers: int

    def chunk(self, n: int) -> int:
        """Return the chunk length that cuts ``n`` cells into a few tasks per worker."""
        return max(1, math.ceil(n / (TASKS_PER_WORKER * max(self.workers, 1))))


@contextmanager
def compute_on(workers: int | None = None, scheduler: str | None = None
               ) -> Iterator[Parallel | None]:
    """Connect to a dask.distributed scheduler or start ``workers`` local worker processes.

    Yields None when neither is given (work stays in this process). The client becomes
    dask's default scheduler inside the ``with`` block and is closed (with a local cluster)
    at its end.

    Raises
    ------
    InputError
        Both or bad values given, ``distributed`` not installed, or no scheduler at
        ``scheduler``.

    """
    if workers is None and scheduler is None:
        yield None
        return
    if workers is not None and scheduler is not None:
        raise InputError("--workers and --scheduler: give one (a local cluster of N worker "
                         "processes, or the address of a running scheduler)")
    if workers is not None and workers < 1:
        raise InputError(f"--workers {workers}: must be at least 1")
    try:  # optional dependency: imported only when a cluster is asked for
        import distributed
    except ModuleNotFoundError as exc:
        raise InputError("--workers/--scheduler need dask.distributed: pip install "
                         "'irrigate[distributed]'") from exc
    cluster = None
    try:
        if scheduler is not None:
            client = distributed.Client(scheduler, timeout="20s")
        else:
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                               processes=True, dashboard_address=":0")
            client = distributed.Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"--scheduler {scheduler}: no dask scheduler reachable "
                         f"({type(exc).__name__}); start one (docs/scaling.md)") from exc
    try:
        n = len(client.scheduler_info().get("workers", {})) or (workers or 1)
        yield Parallel(client, n)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
