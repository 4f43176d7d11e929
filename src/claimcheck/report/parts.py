"""A report as part files in a folder (`compare --out-dir`), and back (`claimcheck merge`).

For runs too large to handle as one JSON document: `claims/<story>.jsonl` (each story's listed
groups in report order, with their final ids), one `<field>.jsonl` for each other list of the
report (`sources`, `stories`, `contradictions`, ...) and `run.json` for the rest (schema
version, tool, settings, summary). Every file is written under
a temporary name and renamed, so a rerun or an interrupted run never leaves half a file.
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


def _write(path: Path, lines: Iterable[str]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.writelines(lines)
    os.replace(tmp, path)


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
    """Write `report` as part files into `folder` (created; old claim parts removed)."""
    folder = Path(folder)
    lists = _lists()
    try:
        (folder / "claims").mkdir(parents=True, exist_ok=True)
        for old in (folder / "claims").glob("*.jsonl"):
            old.unlink()
        head = report.model_dump(mode="json", exclude={"claims", *lists})
        _write(folder / RUN, [json.dumps(head, indent=2, ensure_ascii=False) + "\n"])
        for name in lists:
            _write(folder / f"{name}.jsonl", _jsonl(getattr(report, name)))
        by_story: dict[str, list[ClaimGroup]] = {}
        for g in report.claims:
            by_story.setdefault(g.story or NO_STORY, []).append(g)
        for story, groups in sorted(by_story.items()):
            _write(folder / "claims" / f"{story}.jsonl", _jsonl(groups))
    except OSError as exc:
        raise ClaimcheckError(f"{folder}: cannot write parts ({exc.strerror or exc})") from None


def _read_jsonl(path: Path, adapter: TypeAdapter) -> list:
    with open(path, encoding="utf-8") as fh:
        return [adapter.validate_json(line) for line in fh if line.strip()]


def read_parts(folder: str | Path) -> Report:
    """The report written by `write_parts` into `folder`. Raises ClaimcheckError when a part is
    missing or invalid."""
    folder = Path(folder)
    try:
        head = json.loads((folder / RUN).read_text(encoding="utf-8"))
        lists = {name: tuple(_read_jsonl(folder / f"{name}.jsonl", adapter)) for name, adapter in _lists().items()}
        group = TypeAdapter(ClaimGroup)
        groups = [g for part in sorted((folder / "claims").glob("*.jsonl")) for g in _read_jsonl(part, group)]
        groups.sort(key=lambda g: int(g.id.lstrip("c")))
        return Report(**head, **lists, claims=tuple(groups))
    except OSError as exc:
        raise ClaimcheckError(f"{folder}: not a complete --out-dir ({exc.strerror or exc}: {exc.filename})") from None
    except ValueError as exc:  # JSON or validation errors
        first = str(exc).splitlines()[0]
        raise ClaimcheckError(f"{folder}: invalid part file ({first})") from None
