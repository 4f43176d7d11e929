"""A manifest: the inputs of a large run as rows of `path_or_url, outlet, date`.

JSON lines, CSV with a header, or Parquet (with pyarrow installed). It fixes the input set (a
listing of millions of objects is slow and unordered) and names each input's outlet and date as
`--names` would. Relative paths are relative to the manifest's folder. The manifest and its rows
may be fsspec URLs such as `s3://bucket/run.jsonl` (`read/remote.py`).
"""

from __future__ import annotations

import csv
import io
import json
import os

from claimcheck.errors import InputError
from claimcheck.read.files import display_path
from claimcheck.read.naming import Names, NameEntry, iso_date

_PATH_COLUMNS = ("path_or_url", "path", "url", "uri", "file")
_OUTLET_COLUMNS = ("outlet", "name", "source")


def _rows(data: bytes, path: str, shown: str) -> list[dict]:
    if path.lower().endswith(".parquet"):
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise InputError(f"{shown}: a Parquet manifest needs pyarrow (pip install pyarrow)") from None
        return pq.read_table(io.BytesIO(data)).to_pylist()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{shown}: manifest is not UTF-8 text") from None
    if path.lower().endswith((".jsonl", ".ndjson", ".json")):
        rows = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{shown}:{n}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise InputError(f"{shown}:{n}: expected an object")
            rows.append(row)
        return rows
    return [row for row in csv.DictReader(io.StringIO(text)) if any((v or "").strip() for v in row.values())]


def read_manifest(path: str) -> tuple[list[str], Names]:
    """The manifest's inputs (paths and URLs, in its order) and the outlet and date of each.

    Raises InputError naming the file and line for an unreadable manifest or a row without a path.
    """
    from claimcheck.read.fetch import is_url
    from claimcheck.read.remote import is_remote, join, read_remote

    shown = display_path(path)
    try:
        if is_remote(path):
            data = read_remote(path)
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        raise InputError(f"{shown}: cannot read manifest ({exc.strerror or exc})") from None
    base = os.path.dirname(path)
    inputs: list[str] = []
    entries: list[NameEntry] = []
    for n, row in enumerate(_rows(data, path, shown), start=1):
        lower = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
        where = next((str(lower[c]).strip() for c in _PATH_COLUMNS if lower.get(c) not in (None, "")), None)
        if where is None:
            raise InputError(f"{shown}: row {n}: no path_or_url")
        if is_remote(path) and not is_url(where) and not is_remote(where):
            where = join(path, where)
        elif not is_url(where) and not is_remote(where) and not os.path.isabs(where):
            where = os.path.normpath(os.path.join(base, where))
        inputs.append(where)
        outlet = next((str(lower[c]).strip() for c in _OUTLET_COLUMNS if lower.get(c) not in (None, "")), None)
        date = iso_date(str(lower["date"])) if lower.get("date") else None
        if outlet or date:
            entries.append(NameEntry(key=where, name=outlet, date=date))
    if not inputs:
        raise InputError(f"{shown}: manifest has no rows")
    return inputs, Names(entries, shown, option="--manifest")
