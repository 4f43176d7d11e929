"""Exceptions raised by the library; only the CLI turns them into messages and exit codes."""


class ClaimcheckError(Exception):
    """A run cannot go on (printed by the CLI as `Error: ...`, exit 1)."""


class InputError(ClaimcheckError):
    """No readable input: a missing path, an empty directory, nothing left to compare."""
