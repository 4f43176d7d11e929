"""The Dask engine: the pipeline's stage functions on a Dask `distributed` cluster.

Documents go to the workers as a `dask.bag` of partitions (`partition_size` items each; the
bag keeps partition order); stories as one future each, submitted largest first (`priority`
= size, so the straggler starts first). Retries of tasks lost with a worker, transport and
scheduling are Dask's; the task functions are pure, so a retried task returns the same result.

Three traps measured in the design memo (`../shared/design/distributed.md`), each a 2-4x cost,
are handled here: the nanny's default `MALLOC_TRIM_THRESHOLD_` (left out of the local
cluster's worker environment, a warning when an existing cluster's workers have it); task
functions closing over data (they are package functions, passed by reference); broadcasting
Python dicts (nothing is broadcast: each task carries its own partition).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from claimcheck.errors import ClaimcheckError
from claimcheck.version import tool_version

# Documents per bag partition: up to ~1,000 keeps a task's overhead (ms) far below its work
# (seconds); smaller runs are cut into PARTS_PER_THREAD partitions per worker thread.
PARTITION_SIZE = 1000
PARTS_PER_THREAD = 4
# The nanny's worker environment: Dask's default without MALLOC_TRIM_THRESHOLD_, which doubled
# the CPU of claimcheck's story tasks (memo §3); BLAS and the matcher's own threads stay at one
# per worker process (a worker is one core: two workers of two threads each would fight).
WORKER_ENV = {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1, "CLAIMCHECK_THREADS": 1}
TRIM = "MALLOC_TRIM_THRESHOLD_"
CONNECT_TIMEOUT = "10s"


def worker_info() -> tuple[str, str | None]:
    """Run on each worker at connect time: its claimcheck version and malloc trim setting."""
    return tool_version(), os.environ.get(TRIM)


def has_dashboard() -> bool:
    """Run on the scheduler: whether its dashboard has pages to serve (they need bokeh)."""
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None


def _import_distributed():
    try:
        import dask
        import dask.bag
        import distributed
    except ImportError:
        raise ClaimcheckError("--engine dask needs Dask: pip install 'claimcheck[dask]'") from None
    return dask, distributed


class DaskEngine:
    """Runs stage functions on an existing cluster (`scheduler`) or a local one it starts."""

    name = "dask"
    # Story tasks read their documents again where they run, so no claim rows leave the driver.
    reads_stories = True

    def __init__(self, scheduler: str | None = None, workers: int | None = None,
                 partition_size: int | None = None, warn: Callable[[str], None] | None = None) -> None:
        dask, distributed = _import_distributed()
        self.given_partition_size = partition_size
        self._cluster = None
        scheduler = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
        try:
            if scheduler:
                self.client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
            else:
                with dask.config.set({"distributed.nanny.pre-spawn-environ": dict(WORKER_ENV)}):
                    self._cluster = distributed.LocalCluster(
                        n_workers=workers or 2, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=":0", silence_logs=logging.ERROR,
                    )
                self.client = distributed.Client(self._cluster, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            self.close()
            where = scheduler or "a local cluster"
            raise ClaimcheckError(f"cannot start the Dask engine on {where} ({exc})") from None
        self._check(warn)

    @property
    def dashboard_link(self) -> str | None:
        """The cluster's dashboard, when it serves one (bokeh installed where the scheduler runs)."""
        try:
            served = self.client.run_on_scheduler(has_dashboard)
        except Exception:  # a scheduler without claimcheck installed cannot tell us
            served = False
        return self.client.dashboard_link if served else None

    def _check(self, warn: Callable[[str], None] | None) -> None:
        """Refuse workers running another claimcheck; warn about the malloc trim trap."""
        info = self.client.run(worker_info)
        if not info:
            self.close()
            raise ClaimcheckError("the Dask cluster has no workers")
        mine = tool_version()
        other = sorted({v for v, _ in info.values() if v != mine})
        if other:
            self.close()
            raise ClaimcheckError(f"Dask workers run claimcheck {', '.join(other)}, this is {mine}: "
                                  "install the same version everywhere")
        trimmed = sorted(addr for addr, (_, trim) in info.items() if trim is not None)
        if trimmed and warn:
            warn(f"{len(trimmed)} Dask worker(s) have {TRIM} set (Dask's nanny default): story tasks may "
                 "cost up to 2x CPU; start them with distributed.nanny.pre-spawn-environ without it")

    def map_documents(self, fn: Callable[..., list], items: Sequence[Any], **kwargs: Any) -> Iterator[Any]:
        import dask.bag

        if not items:
            return
        bag = dask.bag.from_sequence(list(items), partition_size=self._partition(len(items)))
        parts = self.client.compute(bag.map_partitions(fn, **kwargs).to_delayed())
        try:
            for future in parts:  # in partition order; each waits only for its own partition
                yield from future.result()
        finally:
            self.client.cancel(parts)

    def _partition(self, n: int) -> int:
        """The given partition size, or at most PARTITION_SIZE with at least PARTS_PER_THREAD
        partitions per worker thread, so a small run still spreads over the cluster."""
        if self.given_partition_size:
            return self.given_partition_size
        threads = max(1, sum(self.client.nthreads().values()))
        return max(1, min(PARTITION_SIZE, -(-n // (PARTS_PER_THREAD * threads))))

    def map_stories(self, fn: Callable[[Any], Any], units: Sequence[Any],
                    sizes: Sequence[int]) -> Iterator[tuple[int, Any]]:
        """Submits every story now (the caller works on while they run); iterate for results."""
        order = sorted(range(len(units)), key=lambda k: (-sizes[k], k))
        futures = {self.client.submit(fn, units[k], pure=False, priority=sizes[k]): k for k in order}
        return self._completed(futures)

    def _completed(self, futures: dict) -> Iterator[tuple[int, Any]]:
        from distributed import as_completed

        try:
            for future in as_completed(futures, loop=self.client.loop):
                yield futures[future], future.result()
        finally:
            self.client.cancel(list(futures))

    def close(self) -> None:
        """Disconnect; stop the local cluster if this engine started it."""
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
