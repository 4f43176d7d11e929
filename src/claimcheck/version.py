"""The installed version of claimcheck (its own module, so reading code can ask without importing the pipeline)."""

from __future__ import annotations

from functools import cache


@cache
def tool_version() -> str:
    """The installed version of claimcheck (importlib.metadata is imported here: it costs start-up)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("claimcheck")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"
