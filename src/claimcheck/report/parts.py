"""A report as part files in a folder (`compare --out-dir`), and back (`claimcheck merge`).

For runs too large to handle as one JSON document: `claims/<story>.jsonl` (each story's listed
groups in report order, with their final ids), one `<field>.jsonl` for each other list of the
report (`sources`, `stories`, `contradictions`, ...) and `run.json` for the rest (schema
version, tool, settings, summary). Every file is written under
a temporary name and renamed, so a rerun or an interrupted run never leaves half a file. The
folder may be an fsspec URL (`s3://bucket/runs/today`, `file://...`) where fsspec is installed.
`read_parts` rebuilds the same `Report`, so any writer gives the same bytes as the run itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import get_args, get_origin

from pydantic import TypeAdapter

from claimcheck.errors import ClaimcheckError
from claimcheck.models import ClaimGroup, Report

RUN = "run.json"
NO_STORY = "_"


class _Folder:
    """The folder of the parts: a local directory, or an fsspec URL (`s3://bucket/runs/today`)."""

    def __init__(self, folder: str | Path) -> None:
        from claimcheck.errors import InputError
        from claimcheck.read.remote import filesystem, is_remote

        self.shown = str(folder)
        self.fs = None
        if is_remote(self.shown):
            try:
                self.fs, inner = filesystem(self.shown)
            except InputError as exc:
                raise ClaimcheckError(str(exc)) from None
            self.root = inner.rstrip("/")
            self.url = self.shown.rstrip("/")
        else:
            self.path = Path(folder)

    def write(self, name: str, lines: Iterable[str]) -> None:
        """`name` (relative) written whole under a temporary name, then renamed."""
        if self.fs is None:
            path = self.path / name
            tmp = path.with_name(path.name + ".tmp")
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.writelines(lines)
            os.replace(tmp, path)
        else:
            target = f"{self.root}/{name}"
            self.fs.pipe_file(target + ".tmp", "".join(lines).encode("utf-8"))
            self.fs.mv(target + ".tmp", target)

    def read(self, name: str) -> str:
        from claimcheck.read.remote import read_remote

        if self.fs is None:
            return (self.path / name).read_text(encoding="utf-8")
        return read_remote(f"{self.url}/{name}").decode("utf-8")

    def claim_parts(self) -> list[str]:
        """The story parts present, as names relative to the folder, sorted."""
        if self.fs is None:
            return sorted(f"claims/{p.name}" for p in (self.path / "claims").glob("*.jsonl"))
        return sorted(f"claims/{p.rsplit('/', 1)[-1]}" for p in self.fs.glob(f"{self.root}/claims/*.jsonl"))

    def prepare(self) -> None:
        """The folder and its claims/ made; claim parts of an earlier run removed."""
        if self.fs is None:
            (self.path / "claims").mkdir(parents=True, exist_ok=True)
            for old in (self.path / "claims").glob("*.jsonl"):
                old.unlink()
            return
        self.fs.makedirs(f"{self.root}/claims", exist_ok=True)
        old = self.fs.glob(f"{self.root}/claims/*.jsonl")
        if old:
            self.fs.rm(old)


def _jsonl(models: Iterable) -> Iterable[str]:
    return (m.model_dump_json() + "\n" for m in models)


def _lists() -> dict[str, TypeAdapter]:
    """The report's list fields other than `claims`, each with a reader of one element."""
    out = {}
    for name, field in Report.model_fields.items():
        if name != "claims" and get_origin(field.annotation) is tuple:
            out[name] = TypeAdapter(get_args(field.annotation)[0])
    return out


def write_parts(report: Report, folder: str | Path) -> None:
    """Write `report` as part files into `folder`, a directory or an fsspec URL (created; old
    claim parts removed)."""
    out = _Folder(folder)
    lists = _lists()
    try:
        out.prepare()
        head = report.model_dump(mode="json", exclude={"claims", *lists})
        out.write(RUN, [json.dumps(head, indent=2, ensure_ascii=False) + "\n"])
        for name in lists:
            out.write(f"{name}.jsonl", _jsonl(getattr(report, name)))
        by_story: dict[str, list[ClaimGroup]] = {}
        for g in report.claims:
            by_story.setdefault(g.story or NO_STORY, []).append(g)
        for story, groups in sorted(by_story.items()):
            out.write(f"claims/{story}.jsonl", _jsonl(groups))
    except ClaimcheckError:
        raise
    except Exception as exc:  # OSError, or a store's own error: one line
        raise ClaimcheckError(f"{out.shown}: cannot write parts ({getattr(exc, 'strerror', None) or exc})") from None


def _read_jsonl(text: str, adapter: TypeAdapter) -> list:
    return [adapter.validate_json(line) for line in text.splitlines() if line.strip()]


def read_parts(folder: str | Path) -> Report:
    """The report written by `write_parts` into `folder` (a directory or an fsspec URL). Raises
    ClaimcheckError when a part is missing or invalid."""
    src = _Folder(folder)
    try:
        head = json.loads(src.read(RUN))
        lists = {name: tuple(_read_jsonl(src.read(f"{name}.jsonl"), adapter)) for name, adapter in _lists().items()}
        group = TypeAdapter(ClaimGroup)
        groups = [g for part in src.claim_parts() for g in _read_jsonl(src.read(part), group)]
        groups.sort(key=lambda g: int(g.id.lstrip("c")))
        return Report(**head, **lists, claims=tuple(groups))
    except OSError as exc:
        missing = exc.filename or (exc.args[0] if exc.args else "")
        raise ClaimcheckError(f"{src.shown}: not a complete --out-dir ({exc.strerror or type(exc).__name__}: {missing})") from None
    except ValueError as exc:  # JSON or validation errors
        first = str(exc).splitlines()[0]
        raise ClaimcheckError(f"{src.shown}: invalid part file ({first})") from None
