"""Engines: where the pipeline's stage functions run.

`pipeline.py` composes the stages; an engine only runs two kinds of work for it:

- `map_documents(fn, items, **kwargs)`: `fn(partition, **kwargs) -> list` over consecutive
  partitions of `items`; the results come back flattened, in the order of `items`.
- `map_stories(fn, units, sizes)`: `fn(unit)` for every unit, largest `sizes` first; yields
  `(index, result)` as each finishes. An engine may start the work at once (Dask does), so the
  caller can do its own work before it iterates.
- `reads_stories`: when true, a story's unit names the documents its task reads again (files
  and fsspec paths every worker can open, with the claim indices and a digest) instead of
  carrying their claims, so only the manifest travels from the driver to the story tasks
  (Dask); false keeps the claims in the unit (one process has them at hand).

The functions are module-level functions of the package (passed by reference, never closures
over the data) and pure, so the engine and how it partitions cannot change what they return:
the report is the same bytes whatever the engine, worker count, partition size or order of
completion. `local` (the default) is today's process pool and an in-process loop; `dask`
(`pip install 'claimcheck[dask]'`) runs the same functions on a Dask cluster (`engines/dask.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from claimcheck.engines.local import LocalEngine

__all__ = ["Engine", "LocalEngine", "make_engine", "ENGINES"]

ENGINES = ("local", "dask")


class Engine(Protocol):
    """What the pipeline needs of an engine (see the module docstring)."""

    name: str
    reads_stories: bool

    def map_documents(self, fn: Callable[..., list], items: Sequence[Any], **kwargs: Any) -> Iterator[Any]: ...

    def map_stories(self, fn: Callable[[Any], Any], units: Sequence[Any],
                    sizes: Sequence[int]) -> Iterator[tuple[int, Any]]: ...

    def close(self) -> None: ...


def make_engine(name: str = "local", *, workers: int | None = None, scheduler: str | None = None,
                partition_size: int | None = None, warn: Callable[[str], None] | None = None) -> Engine:
    """An engine by name. `dask` connects to `scheduler` (an address such as tcp://host:8786),
    or starts a local cluster of `workers` processes on 127.0.0.1 that `close` stops.

    Raises ClaimcheckError when the engine cannot start (unknown name, dask not installed,
    scheduler unreachable, a worker running another claimcheck version).
    """
    from claimcheck.errors import ClaimcheckError

    if name == "local":
        return LocalEngine(workers=workers, partition_size=partition_size)
    if name == "dask":
        from claimcheck.engines.dask import DaskEngine

        return DaskEngine(scheduler=scheduler, workers=workers, partition_size=partition_size, warn=warn)
    raise ClaimcheckError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")
