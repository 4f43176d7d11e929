"""Pydantic models that flow between the pipeline stages. No I/O here."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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
            "with recall >= 0.70 from 50 to 60 (tests/fixtures/sample_groups.json); 61 is where the "
            "false-match rate on ECB+ dev's similar-but-different events falls to 3% for sentences "
            "compared without their stories."
        ),
    )
    min_claim_words: int = Field(4, ge=1, description="Sentences with fewer words are not claims.")


class InputOptions(_Frozen):
    """How inputs other than text files are read: URLs, dumps, outlet names. Not echoed in reports
    (a cache path or a timeout does not change what an article says)."""

    urls_file: str | None = Field(None, description="A file of URLs, one a line (`--urls`).")
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


class Member(_Frozen):
    """One outlet's sentence inside a claim group."""

    source: str
    text: str
    sentence_index: int
    score: float = Field(description="Match score (0-100) of this member against the group's representative.")


class Figure(_Frozen):
    """A quantity one source gives in a disagreement."""

    source: str
    value: str = Field(description="The quantity as written, with its qualifier, e.g. 'at least 12'.")
    text: str = Field(description="The source's sentence.")


class Disagreement(_Frozen):
    """Sources that state the same claim with different figures."""

    kind: Literal["number"] = "number"
    topic: str = Field(description="What the figures count, e.g. 'killed'.")
    figures: tuple[Figure, ...]


class Contradiction(_Frozen):
    """Two sources' sentences that say the same thing but for a negation or an opposed event word."""

    a: Member
    b: Member
    reason: str


class ClaimGroup(_Frozen):
    """A claim and the sources that state it."""

    id: str
    text: str = Field(description="Representative wording (the group's medoid).")
    sources: tuple[str, ...]
    support: int = Field(description="Number of distinct sources.")
    members: tuple[Member, ...]
    disagreements: tuple[Disagreement, ...] = ()


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


class Summary(_Frozen):
    """Counts over the whole run."""

    sources: int
    sentences: int
    claims: int
    groups: int
    corroborated: int


class ToolInfo(_Frozen):
    """Name and version of the program that wrote the report."""

    name: str = "claimcheck"
    version: str


class Report(_Frozen):
    """The result of `compare`: the JSON contract (schema_version 1)."""

    schema_version: int = SCHEMA_VERSION
    tool: ToolInfo
    settings: Settings
    summary: Summary
    sources: tuple[SourceSummary, ...]
    claims: tuple[ClaimGroup, ...]
    contradictions: tuple[Contradiction, ...] = Field(
        (), description="Pairs of sentences from two sources that state the same thing but for a negation "
        "or an opposed event word: worth a fact-checker's look.")


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
