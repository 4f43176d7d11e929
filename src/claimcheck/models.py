"""Pydantic models that flow between the pipeline stages. No I/O here."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 4


class _Frozen(BaseModel):
    # defer_build: a model's validator is built when first used, so start-up builds only the ones a
    # command needs (`sentences` never builds Report's).
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Settings(_Frozen):
    """Every tunable of a run, in one place; echoed in the report."""

    min_sources: int = Field(2, ge=1, description="Report groups supported by at least this many sources.")
    threshold: float = Field(
        55.0,
        ge=0.0,
        le=100.0,
        description=(
            "Match score (0-100, 100 x the learned probability that two sentences report the same "
            "event and claim) at or above which two claims match. 55 holds sample-set precision >= 0.95 "
            "with recall >= 0.70 from 50 to 55 (tests/fixtures/sample_groups.json); 56 is where the "
            "false-match rate on ECB+ dev's similar-but-different events falls to 3% for sentences "
            "compared without their stories."
        ),
    )
    min_claim_words: int = Field(4, ge=1, description="Sentences with fewer words are not claims.")
    one_story: bool = Field(
        False, description="Treat every input as one story (no story grouping; claims of any two sources can link)."
    )
    min_independent: int = Field(
        1, ge=1, description="Report groups backed by at least this many independent story origins."
    )
    semantic: bool = Field(
        False, description="Also score pairs by sentence-embedding cosine (the optional semantic extra; `--semantic`)."
    )
    min_confidence: float = Field(
        75.0, ge=0.0, le=100.0,
        description=(
            "Groups whose confidence (their members' mean score against the representative) is below "
            "this are 'possible': listed apart and not counted as corroboration. At 75 the stories gold "
            "gives link precision 0.95 (bench/stories_eval.py); below 75, 0.70."
        ),
    )


class InputOptions(_Frozen):
    """How inputs other than text files are read: URLs, dumps, outlet names. Not echoed in reports
    (a cache path or a timeout does not change what an article says)."""

    urls_file: str | None = Field(None, description="A file of URLs, one a line (`--urls`).")
    manifest: str | None = Field(None, description="JSONL/CSV/Parquet of path_or_url, outlet, date (`--manifest`).")
    timeout: float = Field(20.0, gt=0, description="Seconds per HTTP request.")
    max_bytes: int = Field(10_000_000, ge=1, description="Largest page body read, in bytes.")
    cache_dir: str | None = Field(None, description="Fetched-page cache; None: the user cache dir.")
    use_cache: bool = True
    names_file: str | None = Field(None, description="CSV/JSON: path, URL or id -> outlet name (`--names`).")
    fields: dict[str, str] = Field(
        default_factory=dict, description="Dump field overrides: role (text, title, name, date, url, author) -> key."
    )


class DroppedLine(_Frozen):
    """A line of the file that is not article content, and why."""

    line: int = Field(description="1-based line number in the decoded file.")
    text: str
    reason: str


class Document(_Frozen):
    """One article: metadata, the cleaned text and what was dropped to get it."""

    id: str
    path: str
    name: str
    title: str | None = None
    date: str | None = None
    encoding: str = "utf-8"
    text: str = Field(description="Cleaned article text: one paragraph per line, original wording.")
    lines: tuple[int, ...] = Field((), description="1-based file line on which each paragraph of `text` starts.")
    dropped: tuple[DroppedLine, ...] = ()
    warnings: tuple[str, ...] = ()
    url: str | None = Field(None, description="The page's URL (canonical, og:url, the record's, or the one fetched).")
    author: str | None = None
    credits: tuple[tuple[str, str], ...] = Field(
        (), description=(
            "(credit, where it came from) for each byline or publisher the page or record declares: "
            "JSON-LD author and publisher, <meta name=author>, article:author, <a rel=author>, og:site_name."
        ),
    )
    provenance: dict[str, str] = Field(
        default_factory=dict, description="Where each of name, title, date, url, author and text came from."
    )


class Sentence(_Frozen):
    """A sentence of a document, with offsets into `Document.text`."""

    source: str
    index: int = Field(description="0-based position among the document's sentences.")
    text: str
    start: int
    end: int
    is_claim: bool = True
    reason: str | None = Field(None, description="Why the sentence is not a claim; null for claims.")
    is_headline: bool = False


AttributionKind = Literal["reporter", "named", "anonymous", "outlet", "document"]


class Attribution(_Frozen):
    """Who asserts a sentence, as the sentence itself says (schema 2)."""

    kind: AttributionKind = Field(
        "reporter",
        description=(
            "reporter: the outlet's own voice, no attribution; named: a named person or body; anonymous: "
            "unnamed officials, sources, people familiar; outlet: another news organisation; document: a "
            "statement, report, filing, data, post."
        ),
    )
    who: str | None = Field(None, description="The source as the sentence names it, e.g. 'a U.S. official'.")
    via: tuple[str, ...] = Field(
        (), description="Further links of the chain, e.g. ['a White House official'] for 'The Post, citing ...'."
    )
    outlets: tuple[str, ...] = Field(
        (), description="For kind outlet: the canonical names of the outlets `who` names (empty for 'the newspaper')."
    )


class Member(_Frozen):
    """One outlet's sentence inside a claim group."""

    source: str
    text: str
    sentence_index: int
    score: float = Field(description="Match score (0-100) of this member against the group's representative.")
    attribution: Attribution = Field(default_factory=Attribution, description="Who asserts this sentence.")
    origin: str | None = Field(
        None,
        description=(
            "The story origin this member counts for in `independent_support`: its source's origin, or the "
            "outlet the sentence relays."
        ),
    )
    relayed: bool = Field(
        False, description="True when the member counts for an origin other than its own source (a relay or copy)."
    )


class Figure(_Frozen):
    """A quantity one source gives for a counted thing (in a disagreement or a key figure)."""

    source: str
    value: str = Field(description="The quantity as written, with its qualifier, e.g. 'at least 12'.")
    text: str = Field(description="The source's sentence.")
    sentence_index: int | None = Field(None, description="The sentence's position in its source (schema 4).")
    number: float | None = Field(None, description="The value as a number, e.g. 12.0 (schema 4).")
    qualifier: str = Field("", description="'at least', 'about', 'nearly', ... or '' for an exact figure (schema 4).")
    date: str | None = Field(None, description="The source's publication date, when known (schema 4).")


FigureKind = Literal["conflict", "compatible", "update"]


class Disagreement(_Frozen):
    """Sources that give different figures for the same quantity of the same event."""

    kind: FigureKind = Field(
        "conflict",
        description=(
            "conflict: exact figures that differ (19 vs 12); compatible: a bound or a rounding that the other "
            "figure satisfies ('at least 12' vs 19, 30% vs 29.7%); update: the figure changes with the "
            "publication date, figures listed oldest first (128 -> 129 -> 130) (schema 4)."
        ),
    )
    topic: str = Field(description="What the figures count, in words, e.g. 'killed', 'injured', 'seats'.")
    figures: tuple[Figure, ...]
    note: str = Field("", description="Why the figures are compatible or an update, in words (schema 4).")


class KeyFigure(_Frozen):
    """One quantity of a story (deaths, injured, seats, magnitude, ...) and each source's value for it,
    compared across the whole story even where the sentences are grouped apart (schema 4)."""

    story: str | None = Field(None, description="The story (stories[].id).")
    topic: str = Field(description="What is counted, in words, e.g. 'killed'.")
    kind: Literal["agree", "conflict", "compatible", "update"] = Field(
        description="agree: every source gives the same value; otherwise as Disagreement.kind.")
    figures: tuple[Figure, ...] = Field(description="One per source, in publication order when dates are known.")
    note: str = ""
    claims: tuple[str, ...] = Field((), description="The claim groups the figures' sentences belong to.")


ContradictionKind = Literal["negation", "opposed"]


class Contradiction(_Frozen):
    """Two sources' sentences that say the same thing but for a negation or an opposed event word."""

    a: Member
    b: Member
    reason: str
    kind: ContradictionKind = Field(
        "negation", description="negation: one side negates what the other states; opposed: opposed event words "
        "(arrested / released) (schema 4).")
    story: str | None = Field(None, description="The story both sentences belong to (schema 4).")
    claims: tuple[str, ...] = Field((), description="The claim groups of sentence a and sentence b (schema 4).")


class ClaimGroup(_Frozen):
    """A claim and the sources that state it."""

    id: str
    text: str = Field(description="Representative wording (the group's medoid).")
    sources: tuple[str, ...]
    story: str | None = Field(None, description="The story (stories[].id) the claim belongs to.")
    support: int = Field(description="Number of distinct sources.")
    members: tuple[Member, ...]
    disagreements: tuple[Disagreement, ...] = ()
    confidence: float = Field(
        100.0, description="0-100: the members' mean score against the representative (100 for one member).")
    possible: bool = Field(
        False, description="Confidence below settings.min_confidence: a possible match, not counted as corroboration.")
    independent_support: int | None = Field(
        None,
        description=(
            "Number of distinct story origins among the members (schema 2): copies of one story, files of one "
            "outlet and members relaying the same outlet count once."
        ),
    )


class OriginEvidence(_Frozen):
    """Why a source's reporting is traced to an origin other than itself, or what traces to it."""

    kind: Literal["copy", "wire_credit", "same_outlet", "relay_credit"]
    detail: str = Field(description="In words, e.g. \"byline 'By Danny Kemp for AFP'\".")
    source: str | None = Field(None, description="The other source, for copy and same_outlet.")
    matched_sentences: int | None = Field(None, description="copy: sentences matched one-to-one at >= 85.")
    in_order: int | None = Field(None, description="copy: of those, the longest run in the same order.")
    share: float | None = Field(None, description="copy: matched / sentences of the shorter of the two.")


class SourceOrigin(_Frozen):
    """The story origin a source's own sentences count for in `independent_support` (schema 2)."""

    name: str = Field(description="The origin: the source itself, the wire it prints, the outlet it relays.")
    kind: Literal["own", "wire", "copy", "same_text", "same_outlet", "relay"] = Field(
        description=(
            "own: its own report (copies of it may exist); wire: prints a wire or other outlet's story (credit "
            "line); copy: prints another source's text (a credit, the dates or containment say which came "
            "first); same_text: prints the same text as another source, which came first unknown; "
            "same_outlet: another file of the same "
            "outlet; relay: the headline or lead credits another outlet for the story."
        )
    )
    evidence: tuple[OriginEvidence, ...] = ()


class Story(_Frozen):
    """Documents that report the same story; claims are only linked within one."""

    id: str = Field(description="s1, s2, ... in the order of each story's first source id.")
    label: str = Field(description="The story's most distinctive shared names or words, e.g. 'Hugh Jackman / Oscars'.")
    terms: tuple[str, ...] = Field((), description="Up to five distinctive terms, most distinctive first.")
    sources: tuple[str, ...] = Field(description="Source ids, sorted.")
    similarity: float | None = Field(
        None, description="Mean document similarity (0-1) over the story's source pairs; null for one source."
    )


class SourceSummary(_Frozen):
    """A source as listed in the report."""

    id: str
    path: str
    name: str
    title: str | None
    date: str | None
    sentences: int
    claims: int
    dropped: int
    url: str | None = None
    author: str | None = None
    provenance: dict[str, str] = Field(default_factory=dict, description="Where each metadata field came from.")
    origin: SourceOrigin | None = Field(None, description="Story origin (schema 2).")


class Summary(_Frozen):
    """Counts over the whole run."""

    sources: int
    sentences: int
    claims: int
    groups: int
    corroborated: int = Field(description="Groups of 2+ sources at or above min_confidence.")
    possible: int = Field(0, description="Groups of 2+ sources below min_confidence.")
    independent: int = Field(0, description="Corroborated (not possible) groups backed by 2+ independent story origins.")


class ToolInfo(_Frozen):
    """Name and version of the program that wrote the report."""

    name: str = "claimcheck"
    version: str


class Report(_Frozen):
    """The result of `compare`: the JSON contract (schema_version 2)."""

    schema_version: int = SCHEMA_VERSION
    tool: ToolInfo
    settings: Settings
    summary: Summary
    sources: tuple[SourceSummary, ...]
    stories: tuple[Story, ...] = Field(
        (), description="The documents grouped into stories; claims are only linked within one story.")
    claims: tuple[ClaimGroup, ...]
    contradictions: tuple[Contradiction, ...] = Field(
        (), description="Pairs of sentences from two sources that state the same thing but for a negation "
        "or an opposed event word: worth a fact-checker's look.")
    key_figures: tuple[KeyFigure, ...] = Field(
        (), description="Per story, each quantity two or more sources give a figure for, with each source's value "
        "(schema 4).")


class ParsedSource(_Frozen):
    """A source as the parser sees it: metadata, sentences and dropped lines (`sentences` command)."""

    id: str
    path: str
    name: str
    title: str | None
    date: str | None
    encoding: str
    sentences: tuple[Sentence, ...]
    dropped: tuple[DroppedLine, ...]
    url: str | None = None
    author: str | None = None
    provenance: dict[str, str] = Field(default_factory=dict, description="Where each metadata field came from.")


class ParseReport(_Frozen):
    """The output of `claimcheck sentences`."""

    schema_version: int = SCHEMA_VERSION
    tool: ToolInfo
    settings: Settings
    sources: tuple[ParsedSource, ...]


class MatchResult(_Frozen):
    """The verdict of `match_pair` on two sentences, with the evidence behind it."""

    score: float = Field(description="Similarity, 0-100.")
    matched: bool = Field(description="The decision grouping uses at these settings.")
    shared: tuple[str, ...] = Field((), description="Content words (normalised) both sentences contain.")
    only_a: tuple[str, ...] = Field((), description="Content words only the first sentence contains.")
    only_b: tuple[str, ...] = Field((), description="Content words only the second sentence contains.")
    numbers_a: tuple[str, ...] = Field((), description="Quantities in the first sentence, with qualifiers.")
    numbers_b: tuple[str, ...] = Field((), description="Quantities in the second sentence, with qualifiers.")
    reasons: tuple[str, ...] = Field((), description="Human-readable reasons for the decision.")
