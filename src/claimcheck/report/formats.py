"""One small writer per output format. Machine formats are plain strings; tables use rich."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Mapping, Sequence

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from claimcheck.report import checks, legend
from claimcheck.models import ClaimGroup, Member, ParseReport, Report
from claimcheck.read.reports import CSV_HEADER, MARKDOWN_MARKER

FORMATS = ("table", "json", "jsonl", "csv", "markdown", "html")
CSV_FIELDS = (*CSV_HEADER.split(","),  # the header row is also the report's marker (read/reports.py)
              "independent_support", "attribution_kind", "attribution_who", "origin", "relayed", "row", "note",
              "confidence", "possible")


# --------------------------------------------------------------------------- machine formats


def to_html(report: Report, sources=()) -> str:
    """The HTML page (report/html.py), loaded on first use so the other writers start fast."""
    from claimcheck.report.html import to_html as write

    return write(report, sources)


def to_json(report: Report | ParseReport) -> str:
    """The report as indented JSON (the schema_version 2 contract)."""
    return report.model_dump_json(indent=2) + "\n"


def to_jsonl(report: Report) -> str:
    """One claim group per line, compact JSON."""
    return "".join(json.dumps(g.model_dump(mode="json"), ensure_ascii=False) + "\n" for g in report.claims)


def to_csv(report: Report) -> str:
    """One row per member: the schema-1 columns, then independence and attribution (schema 2), then
    `row` (member, contradiction or figure) and `note` (the claim's figure disagreements; why two
    sentences contradict; a key figure's value) (schema 4), and the group's `confidence` and whether it
    is a `possible` match."""
    names = {s.id: s.name for s in report.sources}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for group in report.claims:
        for m in group.members:
            writer.writerow([group.id, group.support, m.source, names.get(m.source, m.source),
                             m.sentence_index, f"{m.score:.1f}", m.text, _independent(group),
                             m.attribution.kind, m.attribution.who or "", m.origin or "", int(m.relayed),
                             "member", _disagreement_line(group), f"{group.confidence:.1f}", int(group.possible)])
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
    """Markdown tables of the listed claims, for reports and issues; possible matches in a table of their own."""
    s = report.summary
    lines = [
        MARKDOWN_MARKER.format(tool=report.tool.name, version=report.tool.version),
        f"**{s.sources} sources**, {s.claims} claims, {s.corroborated} corroborated "
        f"by 2+ sources, {s.independent} by 2+ independent origins"
        + (f", {s.possible} possible matches." if s.possible else "."),
        "",
    ]
    lines += _markdown_table(report, [g for g in report.claims if not g.possible], confidence=False)
    possible = [g for g in report.claims if g.possible]
    if possible:
        lines += ["", f"**Possible matches** (the members score on average below {report.settings.min_confidence:.0f}, "
                  "--min-confidence; not counted as corroborated):", ""]
        lines += _markdown_table(report, possible, confidence=True)
    return "\n".join(lines) + "\n" + checks.markdown_checks(report)


def _markdown_table(report: Report, groups: Sequence[ClaimGroup], *, confidence: bool) -> list[str]:
    names = {s.id: s.name for s in report.sources}
    n = report.summary.sources
    extra = " Confidence |" if confidence else ""
    lines = [f"| # | Support |{extra} Sources | Claim | Disagreements |",
             "|---|---|" + ("---|" if confidence else "") + "---|---|---|"]
    for g in groups:
        outlets = ", ".join(names.get(x, x) for x in g.sources)
        conf = f" {legend.confidence(g)} |" if confidence else ""
        lines.append(f"| {g.id} | {_support_text(g, n)} |{conf} {_md_cell(outlets)} | {_md_cell(g.text)} | "
                     f"{_md_cell(_disagreement_line(g, names))} |")
    return lines


# --------------------------------------------------------------------------- tables for people


MAX_NAMED = 10  # past this many sources (or stories) the header counts them instead of naming them


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def _header(report: Report) -> Text:
    """Counts in plain words; the sources named up to MAX_NAMED, else counted (`--view sources`)."""
    s = report.summary
    text = Text()
    text.append(_plural(s.sources, "source"), style="bold")
    if s.sources <= MAX_NAMED:
        text.append(": " + ", ".join(src.name for src in report.sources) + "\n")
    else:
        text.append("; --view sources lists them\n")
    text.append(f"{_plural(s.claims, 'claim')} in {_plural(s.groups, 'group')}: ")
    text.append(f"{s.corroborated} corroborated (carried by 2 or more sources)", style="bold green")
    if s.possible:
        text.append(f", {s.possible} possible (listed apart)")
    text.append(f", {s.independent} backed by 2 or more independent origins")
    text.append(_listed(report), style="dim")
    if len(report.stories) > MAX_NAMED:
        text.append(f"\n{len(report.stories)} stories (claims are only linked within a story); "
                    "--view sources shows each source's story", style="bold")
    elif len(report.stories) > 1:
        names_of = {src.id: src.name for src in report.sources}
        text.append(f"\n{len(report.stories)} stories (claims are only linked within a story):", style="bold")
        for story in report.stories:
            text.append(f"\n  {story.id} {story.label}: ", style="bold")
            text.append(_plural(len(story.sources), "source"))
            if s.sources <= MAX_NAMED:
                text.append(" (" + ", ".join(names_of.get(x, x) for x in story.sources) + ")")
    return text


def _listed(report: Report) -> str:
    """What the listing below shows, when the filters are not the defaults."""
    st = report.settings
    if st.min_sources == 2 and st.min_independent == 1:
        return ""
    parts = [f"carried by at least {_plural(st.min_sources, 'source')}"]
    if st.min_independent > 1:
        parts.append(f"backed by at least {st.min_independent} independent origins")
    return "\nListed: claims " + " and ".join(parts) + "."


def _singles(report: Report) -> int:
    s = report.summary
    return s.groups - s.corroborated - s.possible


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
    singles = _singles(report)
    if report.settings.min_sources <= 1:
        return Text(f"{_plural(singles, 'claim')} carried by one source only are listed above.", style="dim")
    return Text(f"{_plural(singles, 'claim')} carried by one source only are not shown; "
                "--min-sources 1 lists them.", style="dim")


SOURCES_MIN_WIDTH = 12  # "(via Reuters)" fits; short outlet names must not squeeze the column to one letter


def _claims_table(report: Report, groups: Sequence[ClaimGroup], *, details: bool,
                  reasons: Mapping[tuple[str, str, int], str] | None) -> Table:
    """Rows of claims: support (and confidence for possible matches), outlets, wording, disagreements."""
    from claimcheck.sources.independence import member_note  # here: numpy only when a claims table is drawn

    explain = reasons is not None
    names = {s.id: s.name for s in report.sources}
    origins = {s.id: s.origin for s in report.sources}
    n = report.summary.sources
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_lines=details or explain)
    table.add_column("#", no_wrap=True, style="dim")
    table.add_column("Support", justify="right", no_wrap=True, min_width=13)
    longest = max((len(s.name) for s in report.sources), default=8)
    table.add_column("Sources", width=max(SOURCES_MIN_WIDTH, min(longest, 24)))
    table.add_column("Claim", ratio=3)
    for g in groups:
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
        if g.possible:
            support.append(f"\n{legend.POSSIBLE} confidence {legend.confidence(g)}", style="magenta")
        table.add_row(f"{g.id}\n{g.story}" if len(report.stories) > 1 and g.story else g.id, support, outlets, cell)
    return table


def _possible_title(report: Report) -> Text:
    return Text(f"Possible matches ({legend.POSSIBLE}): the members score on average below "
                f"{report.settings.min_confidence:.0f} (--min-confidence) against the wording shown; "
                "not counted as corroborated", style="bold magenta")


def render_claims(report: Report, *, details: bool = False,
                  reasons: Mapping[tuple[str, str, int], str] | None = None) -> Group:
    """The claims table for a terminal: support, outlets, wording, disagreements; possible matches apart.

    `details` lists each outlet's own wording and score under the claim; `reasons` (from
    `pipeline.compare_explained`) adds why each member was grouped.
    """
    sure = [g for g in report.claims if not g.possible]
    possible = [g for g in report.claims if g.possible]
    parts: list = [_header(report)]
    if sure:
        parts.append(_claims_table(report, sure, details=details, reasons=reasons))
    else:
        parts.append(Text("No corroborated claim meets --min-sources / --min-independent."))
    if possible:
        parts += [_possible_title(report), _claims_table(report, possible, details=details, reasons=reasons)]
    found = checks.rich_checks(report)
    if found.plain:
        parts.append(found)
    if reasons is not None:
        parts.append(_origins(report))
    parts.append(_footer(report))
    return Group(*parts)


def render_matrix(report: Report) -> Group:
    """Claims x sources coverage: who reports what, what is exclusive, what an outlet misses.

    Sources are numbered columns (the legend names them) so the claim keeps the width. The marks are
    the ones the HTML page uses (report/legend.py).
    """
    n = report.summary.sources
    names = Text("Sources: ")
    for k, src in enumerate(report.sources, start=1):
        names.append(f"[{k}] ", style="bold")
        names.append(src.name + ("   " if k < n else ""))
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("#", no_wrap=True, style="dim")
    table.add_column("Claim", ratio=1, overflow="ellipsis", no_wrap=True)
    for k in range(1, n + 1):
        table.add_column(str(k), justify="center", no_wrap=True, width=max(2, len(str(k))))
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("ind", justify="right", no_wrap=True)
    style = {legend.OWN: "green", legend.RELAYED: "yellow", legend.ALONE_MISSING: "bold red", legend.ABSENT: "dim"}
    missing = {s.id: 0 for s in report.sources}
    for g in report.claims:
        flags = (f" {legend.DISAGREE}" if g.disagreements else "") + (f" {legend.POSSIBLE}" if g.possible else "")
        row: list = [g.id + flags, Text(g.text)]
        for src in report.sources:
            symbol = legend.mark(g, src.id, n)
            row.append(Text(symbol, style=style[symbol]))
            missing[src.id] += symbol == legend.ALONE_MISSING
        row.append(f"{g.support}")
        row.append(f"{_independent(g)}")
        table.add_row(*row)
    notes = Text()
    for src in report.sources:
        if missing[src.id]:
            notes.append(f"{src.name} is the only source missing {_plural(missing[src.id], 'claim')} above.\n",
                         style="yellow")
    exclusive = Counter(g.sources[0] for g in report.claims if g.support == 1)
    for src in report.sources:
        if exclusive[src.id]:
            notes.append(f"{src.name} alone reports {_plural(exclusive[src.id], 'claim')} above.\n", style="cyan")
    symbols = legend.MATRIX_KEYS + ((legend.POSSIBLE,) if any(g.possible for g in report.claims) else ())
    key = Text(legend.text(symbols) + "   n sources, ind independent origins", style="dim")
    return Group(_header(report), names, key, table, notes, _footer(report))


def render_sources(report: Report) -> Group:
    """Every source: outlet, headline, date, story, counts, and the origin its reporting traces to."""
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Source", ratio=2, overflow="fold")
    table.add_column("Headline", ratio=3)
    table.add_column("Date", no_wrap=True)
    table.add_column("Story", no_wrap=True)
    table.add_column("Claims", justify="right", no_wrap=True)
    table.add_column("Carried", justify="right", no_wrap=True)
    table.add_column("Origin", ratio=2)
    story_of = {x: st.id for st in report.stories for x in st.sources}
    carried = Counter(x for g in report.claims for x in g.sources)
    for src in report.sources:
        o = src.origin
        origin = "" if o is None or o.kind == "own" else f"{o.name} ({o.kind.replace('_', ' ')})"
        table.add_row(Text(src.name) + Text(f"\n{src.id}", style="dim"), Text(src.title or "-"), src.date or "-",
                      story_of.get(src.id, "-"), str(src.claims), str(carried[src.id]), Text(origin))
    key = Text("Claims: the source's claims; Carried: how many of the listed claims it carries; "
               "Origin: whose story it prints or relays, when not its own.", style="dim")
    head = Text(_plural(report.summary.sources, "source"), style="bold")
    head.append(f" in {_plural(len(report.stories), 'story', 'stories')}", style="")
    return Group(head, table, key)


def render_sentences(report: ParseReport) -> Group:
    """The parser's view: per source, metadata, numbered sentences and dropped lines with reasons."""
    sentences = sum(len(src.sentences) for src in report.sources)
    claims = sum(s.is_claim for src in report.sources for s in src.sentences)
    # The first line is the report's marker (read/reports.py): short, so it never wraps.
    parts: list = [Text(f"{_plural(len(report.sources), 'source')} parsed: {_plural(sentences, 'sentence')}, "
                        f"{_plural(claims, 'claim')}", style="bold")]
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
