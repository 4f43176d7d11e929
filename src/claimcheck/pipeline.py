"""compare(paths, settings) -> Report: the stages composed. The only thing the CLI calls."""

from __future__ import annotations

import hashlib
import warnings as _warnings
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

from claimcheck.claims import document_sentences, mark_claims
from claimcheck.errors import InputError
from claimcheck.loading import STDIN, SkipFile, assign_ids, collect_inputs, load_document
from claimcheck.matching import group_claims, match_pair
from claimcheck.models import (
    ClaimGroup,
    Document,
    ParsedSource,
    ParseReport,
    Report,
    Sentence,
    Settings,
    SourceSummary,
    Summary,
    ToolInfo,
)

Warn = Callable[[str], None]
# progress(stage, done, total): called as each stage advances; the CLI draws a bar from it.
Progress = Callable[[str, int, int], None]


class ClaimcheckWarning(UserWarning):
    """A file skipped or read with a fallback; the run goes on."""


def _default_warn(message: str) -> None:
    _warnings.warn(message, ClaimcheckWarning, stacklevel=3)


def tool_version() -> str:
    """The installed version of claimcheck."""
    try:
        return version("claimcheck")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def read_documents(paths: Sequence[str], warn: Warn | None = None,
                   stdin: Callable[[], bytes] | None = None, progress: Progress | None = None) -> list[Document]:
    """Load every readable article under `paths`, sorted by path; warn about the rest.

    Raises InputError when nothing readable is left.
    """
    warn = warn or _default_warn
    if not paths:
        raise InputError("no input paths given")
    items = collect_inputs(paths, warn)
    items.sort(key=lambda item: (item.path != STDIN, item.path))
    docs: list[Document] = []
    digests: dict[str, str] = {}
    for done, (item, source_id) in enumerate(zip(items, assign_ids(items), strict=True), start=1):
        if progress:
            progress("reading", done, len(items))
        shown = "<stdin>" if item.path == STDIN else item.path
        try:
            doc = load_document(item, source_id, stdin)
        except SkipFile as exc:
            warn(f"{shown}: skipped, {exc}")
            continue
        for note in doc.warnings:
            warn(f"{shown}: {note}")
        digest = hashlib.sha256(doc.text.encode()).hexdigest()
        if digest in digests:
            warn(f"{shown}: skipped, same article text as {digests[digest]} (one outlet counts once)")
            continue
        digests[digest] = shown
        docs.append(doc)
    if not docs:
        raise InputError(f"no readable articles in {', '.join(paths)}")
    return sorted(docs, key=lambda d: d.id)


def extract_sentences(doc: Document, settings: Settings) -> list[Sentence]:
    """A document's sentences, each marked claim or not."""
    return mark_claims(document_sentences(doc), settings)


def extract_claims(paths: Sequence[str], settings: Settings, warn: Warn | None = None) -> list[Sentence]:
    """The claim sentences of every source, sources ordered by id, then by position."""
    return [s for doc in read_documents(paths, warn) for s in extract_sentences(doc, settings) if s.is_claim]


def parse(paths: Sequence[str], settings: Settings | None = None, *, warn: Warn | None = None,
          stdin: Callable[[], bytes] | None = None) -> ParseReport:
    """The parser's view of the articles under `paths`: metadata, sentences, dropped lines."""
    settings = settings or Settings()
    docs = read_documents(paths, warn or _default_warn, stdin)
    return ParseReport(
        tool=ToolInfo(version=tool_version()),
        settings=settings,
        sources=tuple(
            ParsedSource(
                id=doc.id,
                path=doc.path,
                name=doc.name,
                title=doc.title,
                date=doc.date,
                encoding=doc.encoding,
                sentences=tuple(extract_sentences(doc, settings)),
                dropped=doc.dropped,
            )
            for doc in docs
        ),
    )


def compare(paths: Sequence[str], settings: Settings | None = None, *, warn: Warn | None = None,
            stdin: Callable[[], bytes] | None = None, progress: Progress | None = None) -> Report:
    """Cross-reference the articles under `paths`: which claims which sources corroborate.

    `warn` receives one-line messages about skipped files and fallbacks (default: Python
    warnings). Raises ClaimcheckError when the run cannot go on.
    """
    settings = settings or Settings()
    warn = warn or _default_warn
    docs = read_documents(paths, warn, stdin, progress)
    if len(docs) == 1:
        warn(f"only one readable source ({docs[0].path}): corroboration needs at least two sources")
    per_doc = [extract_sentences(doc, settings) for doc in docs]
    claims = [s for sentences in per_doc for s in sentences if s.is_claim]
    if progress:
        progress("matching", 0, 1)
    groups = group_claims(claims, settings)
    if progress:
        progress("matching", 1, 1)
    listed = [g for g in groups if g.support >= settings.min_sources]
    listed = [g.model_copy(update={"id": f"c{i}"}) for i, g in enumerate(listed, start=1)]
    sources = tuple(
        SourceSummary(
            id=doc.id,
            path=doc.path,
            name=doc.name,
            title=doc.title,
            date=doc.date,
            sentences=len(sentences),
            claims=sum(s.is_claim for s in sentences),
            dropped=len(doc.dropped),
        )
        for doc, sentences in zip(docs, per_doc, strict=True)
    )
    summary = Summary(
        sources=len(docs),
        sentences=sum(len(s) for s in per_doc),
        claims=len(claims),
        groups=len(groups),
        corroborated=sum(g.support >= 2 for g in groups),
    )
    return Report(
        tool=ToolInfo(version=tool_version()),
        settings=settings,
        summary=summary,
        sources=sources,
        claims=tuple(listed),
    )


def explain_members(group: ClaimGroup, settings: Settings) -> dict[tuple[str, int], str]:
    """Why each member belongs to `group`: the match evidence against its representative wording."""
    why: dict[tuple[str, int], str] = {}
    for m in group.members:
        if m.text == group.text:
            why[(m.source, m.sentence_index)] = "representative wording (the member closest to all others)"
            continue
        result = match_pair(m.text, group.text, settings)
        why[(m.source, m.sentence_index)] = "; ".join(result.reasons) or f"score {result.score:.0f}"
    return why
