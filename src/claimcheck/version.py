"""The installed version of claimcheck (its own module, so reading code can ask without importing the pipeline)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def tool_version() -> str:
    """The installed version of claimcheck."""
    try:
        return version("claimcheck")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"
