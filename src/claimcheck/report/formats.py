"""One small writer per output format. Machine formats are plain strings; tables use rich."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Mapping

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from claimcheck.report import checks
from claimcheck.report.html import to_html  # noqa: F401  (the html writer, in its own module)
from claimcheck.sources.independence import member_note
from claimcheck.models import ClaimGroup, Member, ParseReport, Report
from claimcheck.read.reports import CSV_HEADER, MARKDOWN_MARKER

FORMATS = ("table", "json", "jsonl", "csv", "markdown", "html")
CSV_FIELDS = (*CSV_HEADER.split(","),  # the header row is also the report's marker (read/reports.py)
              "independent_support", "attribution_kind", "attribution_who", "origin", "relayed", "row", "note")


# --------------------------------------------------------------------------- machine formats


def to_json(report: Report | ParseReport) -> str:
    """The report as indented JSON (the schema_version 2 contract)."""
    return report.model_dump_json(indent=2) + "\n"


def to_jsonl(report: Report) -> str:
    """One claim group per line, compact JSON."""
    return "".join(json.dumps(g.model_dump(mode="json"), ensure_ascii=False) + "\n" for g in report.claims)


def to_csv(report: Report) -> str:
    """One row per member: the schema-1 columns, then independence and attribution (schema 2), then
    `row` (member, contradiction or figure) and `note` (the claim's figure disagreements; why two
    sentences contradict; a key figure's value) (schema 4)."""
    names = {s.id: s.name for s in report.sources}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for group in report.claims:
        for m in group.members:
            writer.writerow([group.id, group.support, m.source, names.get(m.source, m.source),
                             m.sentence_index, f"{m.score:.1f}", m.text, _independent(group),
                             m.attribution.kind, m.attribution.who or "", m.origin or "", int(m.relayed),
                             "member", _disagreement_line(group)])
    for row in checks.csv_rows(report):
        writer.writerow([row.get(k, "") for k in CSV_FIELDS])
    return out.getvalue()


def _independent(group: ClaimGroup) -> int:
    return group.support if group.independent_support is None else group.independent_support


def _support_text(group: ClaimGroup, n: int) -> str:
    """'4/5 sources, 2 independent'."""
    return f"{group.support}/{n} sources, {_independent(group)} independent"


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _disagreement_line(group: ClaimGroup, names: Mapping[str, str] | None = None) -> str:
    return " | ".join(checks.disagreement_line(d, names or {}) for d in group.disagreements)


def to_markdown(report: Report) -> str:
    """A markdown table of the listed claims, for reports and issues."""
    names = {s.id: s.name for s in report.sources}
    n = report.summary.sources
    lines = [
        MARKDOWN_MARKER.format(tool=report.tool.name, version=report.tool.version),
        f"**{n} sources**, {report.summary.claims} claims, {report.summary.corroborated} corroborated "
        f"by 2+ sources, {report.summary.independent} by 2+ independent origins.",
        "",
        "| # | Support | Sources | Claim | Disagreements |",
        "|---|---|---|---|---|",
    ]
    for g in report.claims:
        outlets = ", ".join(names.get(s, s) for s in g.sources)
        lines.append(
            f"| {g.id} | {_support_text(g, n)} | {_md_cell(outlets)} | {_md_cell(g.text)} | "
            f"{_md_cell(_disagreement_line(g, names))} |"
        )
    return "\n".join(lines) + "\n" + checks.markdown_checks(report)


# --------------------------------------------------------------------------- tables for people


def _header(report: Report) -> Text:
    s = report.summary
    everyone = sum(g.support == s.sources for g in report.claims) if s.sources >= 2 else 0
    names = ", ".join(src.name for src in report.sources)
    text = Text()
    text.append(f"{s.sources} sources", style="bold")
    text.append(f" ({names})\n")
    text.append(f"{s.claims} claims in {s.groups} groups: ")
    text.append(f"{s.corroborated} corroborated by 2+ sources", style="bold green")
    text.append(f", {everyone} by all {s.sources}" if s.sources >= 2 else "")
    text.append(f", {s.independent} by 2+ independent origins")
    if len(report.stories) > 1:
        names_of = {src.id: src.name for src in report.sources}
        text.append(f"\n{len(report.stories)} stories (claims are only linked within a story):", style="bold")
        for story in report.stories:
            outlets = ", ".join(names_of.get(x, x) for x in story.sources)
            text.append(f"\n  {story.id} {story.label}: ", style="bold")
            text.append(f"{len(story.sources)} sources ({outlets})")
    return text


def _origins(report: Report) -> Text:
    """Sources whose reporting traces to another origin, and why (for --explain)."""
    text = Text()
    for src in report.sources:
        o = src.origin
        if o is None or (o.kind == "own" and not o.evidence):
            continue
        what = {"own": "its own story", "wire": f"prints {o.name}'s story", "copy": f"a copy of {o.name}'s story",
                "same_text": f"same text as {o.name}",
                "same_outlet": f"another file of {o.name}", "relay": f"relays {o.name}"}[o.kind]
        text.append(f"{src.name}: ", style="bold")
        text.append(what)
        if o.evidence:
            text.append(" (" + "; ".join(e.detail for e in o.evidence) + ")", style="dim")
        text.append("\n")
    if text.plain:
        text = Text("Story origins:\n", style="bold") + text
    return text


def _source_line(m: Member, names: dict[str, str]) -> str:
    name = names.get(m.source, m.source)
    return f"{name} (via {m.origin})" if m.relayed and m.origin else name


def _footer(report: Report) -> Text:
    singles = report.summary.groups - report.summary.corroborated
    listed_min = report.settings.min_sources
    if listed_min <= 1:
        return Text(f"{singles} single-source claims are listed above (--min-sources 1).", style="dim")
    return Text(
        f"{singles} single-source claims not shown; list them with --min-sources 1.", style="dim"
    )


def render_claims(report: Report, *, details: bool = False,
                  reasons: Mapping[tuple[str, str, int], str] | None = None) -> Group:
    """The claims table for a terminal: support, outlets, wording, disagreements.

    `details` lists each outlet's own wording and score under the claim; `reasons` (from
    `pipeline.compare_explained`) adds why each member was grouped.
    """
    explain = reasons is not None
    names = {s.id: s.name for s in report.sources}
    origins = {s.id: s.origin for s in report.sources}
    n = report.summary.sources
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_lines=details or explain)
    table.add_column("#", no_wrap=True, style="dim")
    table.add_column("Support", justify="right", no_wrap=True, min_width=13)
    longest = max((len(s.name) for s in report.sources), default=8)
    table.add_column("Sources", width=min(longest, 24))
    table.add_column("Claim", ratio=3)
    for g in report.claims:
        cell = Text(g.text)
        for d in g.disagreements:
            cell.append_text(checks.rich_disagreements(d, names))
        if details or explain:
            for m in g.members:
                cell.append(f"\n• {names.get(m.source, m.source)} ({m.score:.0f}): ", style="cyan")
                cell.append(m.text, style="dim" if not details else "")
                if m.attribution.kind != "reporter":
                    who = f": {m.attribution.who}" if m.attribution.who else ""
                    via = f", citing {', '.join(m.attribution.via)}" if m.attribution.via else ""
                    cell.append(f"\n  says: {m.attribution.kind}{who}{via}", style="green")
                why = (reasons or {}).get((g.id, m.source, m.sentence_index))
                if why:
                    cell.append(f"\n  ↳ {why}", style="italic magenta")
                origin = origins.get(m.source)
                note = member_note(m, origin, names) if explain and origin is not None else None
                if note:
                    cell.append(f"\n  ⇢ {note}", style="italic yellow")
        outlets = Text("\n".join(_source_line(m, names) for m in g.members), overflow="fold")
        support = Text(f"{g.support}/{n} sources\n")
        support.append(f"{_independent(g)} independent", style="yellow" if _independent(g) < g.support else "")
        table.add_row(f"{g.id}\n{g.story}" if len(report.stories) > 1 and g.story else g.id, support, outlets, cell)
    parts: list = [_header(report), table] if report.claims else [
        _header(report), Text("No claim meets --min-sources / --min-independent.")]
    found = checks.rich_checks(report)
    if found.plain:
        parts.append(found)
    if explain:
        parts.append(_origins(report))
    parts.append(_footer(report))
    return Group(*parts)


def render_matrix(report: Report) -> Group:
    """Claims x sources coverage: who reports what, what is exclusive, what an outlet misses.

    Sources are numbered columns (the legend names them) so the claim keeps the width.
    """
    n = report.summary.sources
    legend = Text("Sources: ")
    for k, src in enumerate(report.sources, start=1):
        legend.append(f"[{k}] ", style="bold")
        legend.append(src.name + ("   " if k < n else ""))
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("#", no_wrap=True, style="dim")
    table.add_column("Claim", ratio=1, overflow="ellipsis", no_wrap=True)
    for k in range(1, n + 1):
        table.add_column(str(k), justify="center", no_wrap=True, width=max(2, len(str(k))))
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("ind", justify="right", no_wrap=True)
    missing = {s.id: 0 for s in report.sources}
    for g in report.claims:
        row: list = [g.id, Text(g.text)]
        relayed = {m.source for m in g.members if m.relayed}
        for src in report.sources:
            if src.id in relayed:
                row.append(Text("○", style="yellow"))
            elif src.id in g.sources:
                row.append(Text("●", style="green"))
            else:
                row.append(Text("·", style="dim"))
                if n >= 3 and g.support == n - 1:
                    missing[src.id] += 1
        row.append(f"{g.support}")
        row.append(f"{_independent(g)}")
        table.add_row(*row)
    notes = Text()
    for src in report.sources:
        if missing[src.id]:
            notes.append(f"{src.name} is the only source missing {missing[src.id]} claim(s) above.\n", style="yellow")
    exclusive = Counter(g.sources[0] for g in report.claims if g.support == 1)
    for src in report.sources:
        if exclusive[src.id]:
            notes.append(f"{src.name} alone reports {exclusive[src.id]} claim(s) above.\n", style="cyan")
    key = Text("● own reporting   ○ relayed or copied: counts for another origin   "
               "n sources, ind independent origins", style="dim")
    return Group(_header(report), legend, key, table, notes, _footer(report))


def render_sentences(report: ParseReport) -> Group:
    """The parser's view: per source, metadata, numbered sentences and dropped lines with reasons."""
    parts: list = []
    for src in report.sources:
        head = Text()
        head.append(f"{src.name}", style="bold")
        head.append(f"  [{src.id}] {src.path}", style="dim")
        head.append(f"\ntitle: {src.title or '-'}   date: {src.date or '-'}   encoding: {src.encoding}")
        if src.url or src.author:
            head.append(f"\nurl: {src.url or '-'}   author: {src.author or '-'}")
        if src.provenance:
            head.append("\nfrom: " + "; ".join(f"{k}: {v}" for k, v in sorted(src.provenance.items())), style="dim")
        parts.append(head)
        table = Table(box=box.SIMPLE_HEAD, expand=True)
        table.add_column("#", no_wrap=True, justify="right", style="dim")
        table.add_column("Sentence", ratio=3)
        table.add_column("Claim?", ratio=1)
        for s in src.sentences:
            verdict = Text("claim", style="green") if s.is_claim else Text(f"no: {s.reason}", style="yellow")
            table.add_row(str(s.index), Text(s.text), verdict)
        parts.append(table)
        if src.dropped:
            dropped = Table(box=box.SIMPLE_HEAD, expand=True, title="Dropped lines", title_justify="left")
            dropped.add_column("Line", no_wrap=True, justify="right", style="dim")
            dropped.add_column("Text", ratio=3, overflow="ellipsis")
            dropped.add_column("Reason", ratio=1)
            for d in src.dropped:
                dropped.add_row(str(d.line), Text(d.text), Text(d.reason, style="yellow"))
            parts.append(dropped)
    return Group(*parts)


def render_to_string(renderable, *, width: int, color: bool) -> str:
    """Render rich output to a string (for -o FILE and tests) at a fixed width."""
    console = Console(
        file=io.StringIO(), width=width, color_system="standard" if color else None, no_color=not color,
        highlight=False, emoji=False, markup=False, force_terminal=color, legacy_windows=False,
    )
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]
