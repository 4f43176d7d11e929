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
        20.0,
        ge=0.0,
        le=100.0,
        description=(
            "Match score (0-100, 100 x the learned probability that two sentences say the same thing) "
            "at or above which two claims match. 20 suits cross-outlet claims that add context "
            "(sample set, tests/fixtures/sample_groups.json); 53 is the strict-paraphrase cut "
            "chosen by cross-validation on MRPC."
        ),
    )
    min_claim_words: int = Field(4, ge=1, description="Sentences with fewer words are not claims.")


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
    dropped: tuple[DroppedLine, ...] = ()
    warnings: tuple[str, ...] = ()


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


class ClaimGroup(_Frozen):
    """A claim and the sources that state it."""

    id: str
    text: str = Field(description="Representative wording (the group's medoid).")
    sources: tuple[str, ...]
    support: int = Field(description="Number of distinct sources.")
    members: tuple[Member, ...]
    disagreements: tuple[Disagreement, ...] = ()


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
