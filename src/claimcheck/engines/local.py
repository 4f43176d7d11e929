"""The local engine: documents in a process pool over this machine's cores (from
`PARALLEL_MIN_FILES` items on), stories one after another in this process."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

# Below this many items a process pool costs more (worker start-up) than it saves.
PARALLEL_MIN_FILES = 64
# Items per pool task: small enough to spread a few hundred files over the cores.
CHUNK = 16


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class LocalEngine:
    """Today's single-machine execution behind the engine seam."""

    name = "local"

    def __init__(self, workers: int | None = None, partition_size: int | None = None,
                 reads_stories: bool = False) -> None:
        self.workers = workers or cores()
        self.partition_size = partition_size or CHUNK
        # In one process, a story's claims are at hand: reading them again would only cost time.
        self.reads_stories = reads_stories

    def map_documents(self, fn: Callable[..., list], items: Sequence[Any], **kwargs: Any) -> Iterator[Any]:
        task = functools.partial(fn, **kwargs)
        if self.workers < 2 or len(items) < PARALLEL_MIN_FILES:
            for item in items:
                yield from task([item])
            return
        size = self.partition_size
        parts = [items[i:i + size] for i in range(0, len(items), size)]
        pool = ProcessPoolExecutor(min(self.workers, 8))
        try:
            for result in pool.map(task, parts):
                yield from result
        finally:
            pool.shutdown(cancel_futures=True)

    def map_stories(self, fn: Callable[[Any], Any], units: Sequence[Any],
                    sizes: Sequence[int]) -> Iterator[tuple[int, Any]]:
        for i in sorted(range(len(units)), key=lambda k: (-sizes[k], k)):
            yield i, fn(units[i])

    def close(self) -> None:
        """Nothing to stop: the pool lives only as long as one `map_documents`."""

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
