"""compare(paths, settings) -> Report: the stages composed. The only thing the CLI calls."""

from __future__ import annotations

import hashlib
import itertools
import warnings as _warnings
from collections.abc import Callable, Mapping, Sequence

from claimcheck.text.claims import document_sentences, mark_claims
from claimcheck.engines import Engine, LocalEngine
from claimcheck.engines.local import cores
from claimcheck.errors import InputError
from claimcheck.sources.attribution import outlet_name_key
from claimcheck.read.inputs import gather, load
from claimcheck.read.files import STDIN, InputFile, SkipFile, display_path
from claimcheck.version import tool_version
from claimcheck.models import (
    ClaimGroup,
    Contradiction,
    Document,
    InputOptions,
    ParsedSource,
    ParseReport,
    Report,
    Sentence,
    Settings,
    Story,
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


def read_documents(paths: Sequence[str], warn: Warn | None = None,
                   stdin: Callable[[], bytes] | None = None, progress: Progress | None = None,
                   inputs: InputOptions | None = None) -> list[Document]:
    """Load every readable article under `paths` (files, folders, URLs, dumps), sorted by id;
    warn about the rest.

    Raises InputError when nothing readable is left.
    """
    return [doc for doc, _ in _read(paths, warn, stdin, progress, None, inputs)]


def _workers() -> int:
    return cores()


def _load(item: InputFile, source_id: str, settings: Settings | None,
          stdin: Callable[[], bytes] | None = None) -> tuple[Document, list[Sentence] | None] | str:
    """One input loaded (and split into sentences when `settings` is given), or why it is skipped."""
    try:
        doc = load(item, source_id, stdin)
    except SkipFile as exc:
        return str(exc)
    return doc, (extract_sentences(doc, settings) if settings is not None else None)


def load_partition(jobs: Sequence[tuple[InputFile, str]], settings: Settings | None,
                   terms: bool = False) -> list[tuple | str]:
    """The per-document stage over one partition of (input, source id): an engine task. With
    `terms`, each document also comes with its story terms (`stories.story_terms`), so the
    driver groups stories from those compact bags instead of computing them itself."""
    loaded = [_load(item, sid, settings) for item, sid in jobs]
    return _with_story_terms(loaded) if terms else loaded


def _with_story_terms(loaded: list) -> list[tuple | str]:
    """Each loaded document with its story terms appended (skip reasons as they are)."""
    from claimcheck.stories import story_terms  # here, not at the top: start-up
    return [r if isinstance(r, str) else (*r, story_terms(r[1] or ())) for r in loaded]


def _read(paths: Sequence[str], warn: Warn | None, stdin: Callable[[], bytes] | None,
          progress: Progress | None, settings: Settings | None,
          inputs: InputOptions | None = None, engine: Engine | None = None,
          items_out: dict[str, InputFile] | None = None,
          terms_out: dict[str, tuple] | None = None) -> list[tuple[Document, list[Sentence] | None]]:
    """`read_documents`, also splitting sentences when `settings` is given; the documents are
    loaded by `engine` (default: a process pool over the cores when there are many files) and
    come back in the same order, so output is unchanged. `items_out` receives each kept
    document's input, `terms_out` its story terms (computed where it was read), by source id."""
    warn = warn or _default_warn
    items, ids = gather(paths, inputs or InputOptions(), warn, stdin, progress)
    engine = engine or LocalEngine(workers=_workers())
    # stdin can only be read here; every other input is read where the engine runs.
    head = [_load(item, sid, settings, stdin) for item, sid in zip(items, ids) if item.path == STDIN]
    rest = [(item, sid) for item, sid in zip(items, ids) if item.path != STDIN]
    if terms_out is not None and head:
        head = _with_story_terms(head)
    loaded = itertools.chain(head, engine.map_documents(load_partition, rest, settings=settings,
                                                        terms=terms_out is not None))
    out: list[tuple[Document, list[Sentence] | None]] = []
    digests: dict[str, str] = {}
    for done, (item, result) in enumerate(zip(items, loaded, strict=True), start=1):
        if progress:
            progress("reading", done, len(items))
        shown = item.shown
        if isinstance(result, str):
            warn(f"{shown}: skipped, {result}")
            continue
        doc = result[0]
        if len(result) == 3:
            if terms_out is not None:
                terms_out[doc.id] = result[2]
            result = result[:2]
        for note in doc.warnings:
            warn(f"{shown}: {note}")
        # Identical text from two outlets is one origin, decided by independence; the same
        # outlet's text twice (two saves of one page) is one source.
        digest = hashlib.sha256(f"{outlet_name_key(doc)}\0{doc.text}".encode()).hexdigest()
        if digest in digests:
            warn(f"{shown}: skipped, same article text as {digests[digest]} from the same outlet "
                 f"({doc.name}): one outlet counts once")
            continue
        digests[digest] = shown
        out.append(result)
        if items_out is not None:
            items_out[doc.id] = item
    if not out:
        named = [display_path(p) for p in paths] + ([display_path(inputs.urls_file)] if inputs and inputs.urls_file else [])
        raise InputError(f"no readable articles in {', '.join(named)}")
    return sorted(out, key=lambda pair: pair[0].id)


def extract_sentences(doc: Document, settings: Settings) -> list[Sentence]:
    """A document's sentences, each marked claim or not."""
    return mark_claims(document_sentences(doc), settings)


def extract_claims(paths: Sequence[str], settings: Settings, warn: Warn | None = None) -> list[Sentence]:
    """The claim sentences of every source, sources ordered by id, then by position."""
    return [s for _, sentences in _read(paths, warn, None, None, settings) for s in sentences if s.is_claim]


def parse(paths: Sequence[str], settings: Settings | None = None, *, warn: Warn | None = None,
          stdin: Callable[[], bytes] | None = None, inputs: InputOptions | None = None) -> ParseReport:
    """The parser's view of the articles under `paths`: metadata, sentences, dropped lines."""
    settings = settings or Settings()
    parsed = _read(paths, warn, stdin, None, settings, inputs)
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
                sentences=tuple(sentences),
                dropped=doc.dropped,
                url=doc.url,
                author=doc.author,
                provenance=doc.provenance,
            )
            for doc, sentences in parsed
        ),
    )


def compare(paths: Sequence[str], settings: Settings | None = None, *, warn: Warn | None = None,
            stdin: Callable[[], bytes] | None = None, progress: Progress | None = None,
            inputs: InputOptions | None = None, engine: Engine | None = None) -> Report:
    """Cross-reference the articles under `paths`: which claims which sources corroborate.

    `warn` receives one-line messages about skipped files and fallbacks (default: Python
    warnings). `paths` mixes files, folders, URLs and `-`; `inputs` says how URLs, dumps and
    names are read. `engine` runs the per-document and per-story stages (`claimcheck.engines`;
    default: this machine); the report is the same whichever runs them. Raises ClaimcheckError
    when the run cannot go on.
    """
    return _compare(paths, settings or Settings(), warn, stdin, progress, inputs, engine)[0]


Parsed = list[tuple[Document, list[Sentence]]]


def compare_sources(paths: Sequence[str], settings: Settings | None = None, *, warn: Warn | None = None,
                    stdin: Callable[[], bytes] | None = None, progress: Progress | None = None,
                    inputs: InputOptions | None = None, engine: Engine | None = None) -> tuple[Report, Parsed]:
    """`compare`, plus each source's document and sentences from the same read, in source order
    (for writers that show the articles' text, such as the HTML report)."""
    report, _, parsed = _compare(paths, settings or Settings(), warn, stdin, progress, inputs, engine)
    return report, parsed


Reasons = dict[tuple[str, str, int], str]


def compare_explained(paths: Sequence[str], settings: Settings | None = None, *, warn: Warn | None = None,
                      stdin: Callable[[], bytes] | None = None, progress: Progress | None = None,
                      inputs: InputOptions | None = None, engine: Engine | None = None) -> tuple[Report, Reasons]:
    """`compare`, plus why each listed member was grouped, keyed by (claim id, source, sentence index).

    The evidence is `match_pair` against the claim's representative wording with the same word
    rarities the grouping used, so the score it states is the member's score in the report.
    """
    from claimcheck.matching import collection_weights, match_pair  # here, not at the top: start-up
    settings = settings or Settings()
    report, claims, _ = _compare(paths, settings, warn, stdin, progress, inputs, engine)
    weights = collection_weights([c.text for c in claims])
    reasons: Reasons = {}
    for g in report.claims:
        for m in g.members:
            key = (g.id, m.source, m.sentence_index)
            if m.text == g.text:
                reasons[key] = "representative wording (the member closest to all others)"
            else:
                reasons[key] = "; ".join(match_pair(m.text, g.text, settings, weights=weights, same_story=True).reasons)
    return report, reasons


def _stories(docs: Sequence[Document], per_doc: Sequence[Sequence[Sentence]], settings: Settings,
             terms: Mapping[str, tuple] | None = None) -> tuple[Story, ...]:
    """The stories the documents report (one story with `settings.one_story`), from the
    documents' story terms where the reading stage computed them."""
    from claimcheck.stories import group_stories  # here, not at the top: start-up
    if settings.one_story or len(docs) < 2:
        return (Story(id="s1", label="all sources", sources=tuple(sorted(d.id for d in docs))),)
    bags = [terms[d.id] for d in docs] if terms and all(d.id in terms for d in docs) else None
    return group_stories(docs, per_doc, terms=bags).stories


Matched = tuple[list[ClaimGroup], list[Contradiction]]


# A story task's documents to read again where it runs: (input, source id, the claim sentences'
# indices to match, a digest of those claims as the driver read them).
Reread = tuple[InputFile, str, tuple[int, ...], str]
StoryUnit = tuple[str, tuple[Sentence, ...], Settings, tuple[Reread, ...]]


def _claims_digest(claims: Sequence[Sentence]) -> str:
    return hashlib.sha256("\n".join(f"{c.index}\t{c.text}" for c in claims).encode()).hexdigest()[:16]


def _rereadable(item: InputFile) -> bool:
    """A file or fsspec path every worker can open again (not stdin, a fetched page or a dump record)."""
    from claimcheck.read.inputs import Source

    return item.path != STDIN and (not isinstance(item, Source) or item.kind == "file")


def match_story_task(unit: StoryUnit) -> Matched:
    """`match_story` on one unit: (story id, claims carried, settings, documents to read again).
    The engine task of matching. A document read again must give the claims the driver read
    (the digest), else the run stops: the input changed while it ran."""
    from claimcheck.errors import ClaimcheckError
    from claimcheck.matching import match_story  # here, not at the top: start-up
    story, carried, settings, rereads = unit
    claims = list(carried)
    for item, source_id, indices, digest in rereads:
        loaded = _load(item, source_id, settings)
        wanted = set(indices)
        again = [] if isinstance(loaded, str) else [c for c in loaded[1] or () if c.is_claim and c.index in wanted]
        if _claims_digest(again) != digest:
            why = loaded if isinstance(loaded, str) else "its text changed"
            raise ClaimcheckError(f"{item.shown}: changed while the run read it ({why}); run again")
        claims.extend(again)
    return match_story(claims, settings, story)


def _story_unit(story: str, claims: Sequence[Sentence], settings: Settings,
                items: Mapping[str, InputFile] | None) -> StoryUnit:
    """A story's unit of matching; with `items` (the engine reads stories where they run), the
    claims of documents a worker can open again are named, not carried: only the manifest moves."""
    if items is None:
        return story, tuple(claims), settings, ()
    by_source: dict[str, list[Sentence]] = {}
    for c in claims:
        by_source.setdefault(c.source, []).append(c)
    carried: list[Sentence] = []
    rereads: list[Reread] = []
    for source, own in sorted(by_source.items()):
        item = items.get(source)
        if item is not None and _rereadable(item):
            own.sort(key=lambda c: c.index)
            rereads.append((item, source, tuple(c.index for c in own), _claims_digest(own)))
        else:
            carried.extend(own)
    return story, tuple(carried), settings, tuple(rereads)


def _unit_sources(unit: StoryUnit) -> set[str]:
    return {c.source for c in unit[1]} | {r[1] for r in unit[3]}


def _unit_size(unit: StoryUnit) -> int:
    return len(unit[1]) + sum(len(r[2]) for r in unit[3])


def _match(claims: Sequence[Sentence], story_of: Mapping[str, str], settings: Settings, engine: Engine,
           progress: Progress | None, warn: Warn, items: Mapping[str, InputFile]) -> Matched:
    """Every story matched on `engine` (largest first), the results merged (`merge_stories`:
    the same whatever order they finish in). A story above `MAX_STORY_CLAIMS` is matched as
    its `split_story` parts, one task each, with a warning. An engine whose `reads_stories` is
    true gets units that name the documents to read again instead of carrying their claims."""
    from claimcheck.matching import merge_stories, story_parts  # here, not at the top: start-up
    reread = items if getattr(engine, "reads_stories", False) else None
    units = [_story_unit(sid, piece, settings, reread) for sid, piece in story_parts(claims, story_of, warn)]
    articles = [len(_unit_sources(u)) for u in units]
    if progress:
        progress("matching", 0, len(units))
        progress("articles", 0, sum(articles))
    results = []
    done_articles = 0
    for done, (k, result) in enumerate(engine.map_stories(match_story_task, units, [_unit_size(u) for u in units]), 1):
        results.append(result)
        done_articles += articles[k]
        if progress:
            progress("matching", done, len(units))
            progress("articles", done_articles, sum(articles))
    return merge_stories(results)


def _compare(paths: Sequence[str], settings: Settings, warn: Warn | None, stdin: Callable[[], bytes] | None,
             progress: Progress | None, inputs: InputOptions | None = None,
             engine: Engine | None = None) -> tuple[Report, list[Sentence], Parsed]:
    """The report, the claim sentences it was built from and the parsed sources."""
    from claimcheck.sources.families import CopyFamilies  # here, not at the top: start-up
    from claimcheck.sources.independence import Independence  # here, not at the top: start-up
    from claimcheck.matching.disagreements import StoryFigures, with_claims  # here, not at the top: start-up
    from claimcheck.matching import merge_stories  # here, not at the top: start-up
    warn = warn or _default_warn
    engine = engine or LocalEngine(workers=_workers())
    items: dict[str, InputFile] = {}
    terms: dict[str, tuple] | None = None if settings.one_story else {}
    parsed = _read(paths, warn, stdin, progress, settings, inputs, engine, items, terms)
    docs = [doc for doc, _ in parsed]
    if len(docs) == 1:
        warn(f"only one readable source ({docs[0].path}): corroboration needs at least two sources")
    per_doc = [sentences for _, sentences in parsed]
    claims = [s for sentences in per_doc for s in sentences if s.is_claim]
    if progress:
        progress("stories", 0, 1)
    stories = _stories(docs, per_doc, settings, terms)
    if progress:
        progress("stories", 1, 1)
    story_of = {source: story.id for story in stories for source in story.sources}
    # Copies of one text are matched through one representative, then listed under its groups.
    families = CopyFamilies({doc.id: sentences for doc, sentences in parsed})
    groups, contradictions = _match(families.matched(claims), story_of, settings, engine, progress, warn, items)
    groups, contradictions = merge_stories([(families.expand(groups), contradictions)])
    if progress:
        progress("independence", 0, 1)
    independence = Independence(docs, {doc.id: sentences for doc, sentences in parsed},
                                contradicting=[(c.a.source, c.b.source) for c in contradictions],
                                links=families.links)
    # A one-source group is never independent corroboration and is listed only at --min-sources 1:
    # annotating it (attributing its sentence) would cost most of the stage on large runs.
    groups = [independence.annotate(g) if g.support >= min(2, settings.min_sources) else g for g in groups]
    if progress:
        progress("independence", 1, 1)
    listed = [g for g in groups if g.support >= settings.min_sources
              and (g.independent_support or 0) >= settings.min_independent]
    listed = [g.model_copy(update={"id": f"c{i}"}) for i, g in enumerate(listed, start=1)]
    dates = {doc.id: doc.date for doc in docs}
    figures = StoryFigures(claims, story_of)
    listed = [figures.check(g, dates) for g in listed]
    contradictions = with_claims(contradictions, listed)
    key_figures = figures.key_figures(listed, dates)
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
            url=doc.url,
            author=doc.author,
            provenance=doc.provenance,
            origin=independence.origins[doc.id],
        )
        for doc, sentences in zip(docs, per_doc, strict=True)
    )
    summary = Summary(
        sources=len(docs),
        sentences=sum(len(s) for s in per_doc),
        claims=len(claims),
        groups=len(groups),
        corroborated=sum(g.support >= 2 and not g.possible for g in groups),
        possible=sum(g.support >= 2 and g.possible for g in groups),
        independent=sum((g.independent_support or 0) >= 2 and not g.possible for g in groups),
    )
    report = Report(
        tool=ToolInfo(version=tool_version()),
        settings=settings,
        summary=summary,
        sources=sources,
        stories=stories,
        claims=tuple(listed),
        contradictions=tuple(contradictions),
        key_figures=key_figures,
    )
    return report, claims, parsed
