"""Inputs on other filesystems: `s3://bucket/folder/`, `gs://...`, `file:///...`, any URL scheme
fsspec knows, so that every worker of a cluster can read the same inputs (`--manifest` rows too).

http(s) URLs are fetched as web pages instead (`read/fetch.py`). fsspec comes with the `dask` extra;
a store's own package (s3fs for s3://, gcsfs for gs://) is the user's install. Folders are listed
recursively and filtered as local folders are (hidden and backup files, suffixes).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from claimcheck.errors import InputError

_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.I)
_WEB = ("http", "https")


def is_remote(path: str) -> bool:
    """Whether `path` names a file on an fsspec filesystem (a URL whose scheme is not http(s))."""
    m = _SCHEME_RE.match(path)
    return bool(m) and m.group(1).lower() not in _WEB


def filesystem(path: str):
    """(fsspec filesystem, path within it). Raises InputError when the scheme cannot be read."""
    scheme = _SCHEME_RE.match(path).group(1)  # type: ignore[union-attr]
    try:
        import fsspec
    except ImportError:
        raise InputError(f"{path}: reading {scheme}:// paths needs fsspec: pip install 'claimcheck[dask]' "
                         "(or fsspec), and the store's package (s3fs for s3://, gcsfs for gs://)") from None
    try:
        return fsspec.core.url_to_fs(path)
    except (ImportError, ValueError) as exc:
        why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{path}: no filesystem for {scheme}:// ({why})") from None


def join(base_file: str, relative: str) -> str:
    """`relative` resolved against the folder of the remote file `base_file` (a manifest's rows)."""
    scheme, rest = base_file.split("://", 1)
    return f"{scheme}://{posixpath.normpath(posixpath.join(posixpath.dirname(rest), relative))}"


def list_remote(path: str, keep: Callable[[str], str | None]) -> tuple[list[str], list[tuple[str, str]], int]:
    """The files `path` names (itself, or every file under it when it is a folder, sorted), the
    files under it skipped, with why, and how many hidden or backup files it holds. `keep(name)`
    returns None for a file to read, else why not ("" for a hidden or backup file).

    Raises InputError for a path that does not exist or cannot be listed.
    """
    fs, inner = filesystem(path)
    try:
        if not fs.exists(inner):
            raise InputError(f"{path}: no such file or directory")
        if not fs.isdir(inner):
            return [path], [], 0
        found = sorted(fs.find(inner))
    except InputError:
        raise
    except Exception as exc:  # the store's own errors (permissions, network): one line
        raise InputError(f"{path}: cannot list ({type(exc).__name__}: {exc})") from None
    files: list[str] = []
    skipped: list[tuple[str, str]] = []
    hidden = 0
    top = inner.rstrip("/")
    for name in found:
        parts = name[len(top):].strip("/").split("/")
        why = "" if any(p.startswith(".") for p in parts[:-1]) else keep(parts[-1])
        full = fs.unstrip_protocol(name)
        if why is None:
            files.append(full)
        elif why:
            skipped.append((full, why))
        else:
            hidden += 1
    return files, skipped, hidden


def read_remote(path: str) -> bytes:
    """The bytes of a remote file. Raises OSError with the store's reason."""
    fs, inner = filesystem(path)
    try:
        with fs.open(inner, "rb") as fh:
            return fh.read()
    except OSError:
        raise
    except Exception as exc:  # the store's own errors: one line
        raise OSError(f"{type(exc).__name__}: {exc}") from None
