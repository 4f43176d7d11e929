"""What a fact-checker looks at first, in every view: contradictions, figure disagreements, key figures.

One place renders them for the terminal (rich), Markdown, CSV and HTML, so the writers in
`formats.py` and `html.py` each add one call.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from html import escape

from rich.text import Text

from claimcheck.models import Contradiction, Disagreement, Figure, KeyFigure, Report

KIND_WORDS = {
    "conflict": "conflict",
    "compatible": "compatible (a bound or rounding, not a contradiction)",
    "update": "update (changes with the publication date)",
    "agree": "agree",
}


def _names(report: Report) -> dict[str, str]:
    return {s.id: s.name for s in report.sources}


def figures_text(figures: tuple[Figure, ...], names: Mapping[str, str]) -> str:
    """'AP 12 · Houston Chronicle 13' (publication order for updates: the figures come sorted)."""
    return " · ".join(f"{names.get(f.source, f.source)} {f.value}" + (f" ({f.date})" if f.date else "")
                      for f in figures)


def disagreement_line(d: Disagreement, names: Mapping[str, str]) -> str:
    """One line: what is counted, the kind, and which source says which."""
    return f"{d.topic} ({d.kind}): {figures_text(d.figures, names)}"


def contradiction_ids(report: Report) -> Iterator[tuple[str, Contradiction]]:
    for k, c in enumerate(report.contradictions, start=1):
        yield f"x{k}", c


def flagged_key_figures(report: Report) -> list[KeyFigure]:
    """Key figures where the sources differ (listed first in every view)."""
    return [k for k in report.key_figures if k.kind != "agree"]


# --------------------------------------------------------------------------- terminal


def rich_disagreements(d: Disagreement, names: Mapping[str, str]) -> Text:
    style = {"conflict": "bold red", "update": "bold cyan", "compatible": "bold yellow"}[d.kind]
    text = Text()
    text.append(f"\n⚠ {d.topic} ({d.kind}): ", style=style)
    text.append(figures_text(d.figures, names), style=style.replace("bold ", ""))
    return text


def rich_checks(report: Report) -> Text:
    """The contradictions and the key figures, as sections under the claims table."""
    names = _names(report)
    text = Text()
    if report.contradictions:
        text.append(f"Contradictions ({len(report.contradictions)}): the sources state opposite things\n",
                    style="bold red")
        for cid, c in contradiction_ids(report):
            where = f" [{', '.join(x for x in c.claims if x)}]" if any(c.claims) else ""
            text.append(f"  {cid} ", style="bold")
            text.append(f"{c.reason}{where}\n", style="red")
            for m in (c.a, c.b):
                text.append(f"     {names.get(m.source, m.source)}: ", style="cyan")
                text.append(m.text + "\n")
    if report.key_figures:
        flagged = flagged_key_figures(report)
        text.append(f"Key figures ({len(report.key_figures)}, {len(flagged)} differ): each source's value, "
                    "across the story\n", style="bold")
        many = len({k.story for k in report.key_figures}) > 1
        for k in report.key_figures:
            style = {"conflict": "red", "update": "cyan", "compatible": "yellow", "agree": "dim"}[k.kind]
            story = f"{k.story} " if many and k.story else ""
            text.append(f"  {story}{k.topic}", style="bold")
            text.append(f" ({k.kind}): ", style=style)
            text.append(figures_text(k.figures, names), style=style if k.kind != "agree" else "")
            if k.claims:
                text.append(f"  [{', '.join(k.claims)}]", style="dim")
            text.append("\n")
    return text


# --------------------------------------------------------------------------- markdown


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_checks(report: Report) -> str:
    """Markdown sections: contradictions and key figures (empty string when there are none)."""
    names = _names(report)
    out: list[str] = []
    if report.contradictions:
        out += ["", f"### Contradictions ({len(report.contradictions)})", "",
                "| # | Why | Source A | Says | Source B | Says |", "|---|---|---|---|---|---|"]
        for cid, c in contradiction_ids(report):
            out.append(f"| {cid} | {_md(c.reason)} | {_md(names.get(c.a.source, c.a.source))} | {_md(c.a.text)} | "
                       f"{_md(names.get(c.b.source, c.b.source))} | {_md(c.b.text)} |")
    if report.key_figures:
        out += ["", "### Key figures", "", "| Story | What | Kind | Figures | Claims |", "|---|---|---|---|---|"]
        for k in report.key_figures:
            out.append(f"| {_md(k.story or '')} | {_md(k.topic)} | {k.kind} | {_md(figures_text(k.figures, names))} | "
                       f"{', '.join(k.claims)} |")
    return "\n".join(out) + "\n" if out else ""


# --------------------------------------------------------------------------- csv


def csv_rows(report: Report) -> Iterator[dict[str, object]]:
    """Rows for the contradictions (two per pair, id x1, x2, ...) and the key figures (one per
    source's figure, id f1, f2, ...), in the CSV's columns; `row` says which kind."""
    names = _names(report)
    for cid, c in contradiction_ids(report):
        for m in (c.a, c.b):
            yield {"claim_id": cid, "source": m.source, "source_name": names.get(m.source, m.source),
                   "sentence_index": m.sentence_index, "score": f"{m.score:.1f}", "text": m.text,
                   "row": "contradiction", "note": c.reason}
    for k, kf in enumerate(report.key_figures, start=1):
        for f in kf.figures:
            yield {"claim_id": f"f{k}", "source": f.source, "source_name": names.get(f.source, f.source),
                   "sentence_index": "" if f.sentence_index is None else f.sentence_index, "text": f.text,
                   "row": "figure", "note": f"{kf.topic} ({kf.kind}): {f.value}"}


# --------------------------------------------------------------------------- html


def html_checks(report: Report) -> str:
    """The HTML panel: contradictions, then key figures; '' when there is neither."""
    if not report.contradictions and not report.key_figures:
        return ""
    names = _names(report)
    parts = ['<section id="checks" class="checks"><h2>Check first</h2>']
    if report.contradictions:
        parts.append(f'<h3>Contradictions ({len(report.contradictions)})</h3><ol class="contradictions">')
        for cid, c in contradiction_ids(report):
            sides = "".join(
                f'<li><a href="#s-{escape(m.source)}-{m.sentence_index}">{escape(names.get(m.source, m.source))}</a>: '
                f"{escape(m.text)}</li>" for m in (c.a, c.b))
            claims = " ".join(f'<a href="#{escape(x)}">{escape(x)}</a>' for x in c.claims if x)
            parts.append(f'<li id="{cid}" class="contradiction"><p class="cwhy">{escape(c.reason)}'
                         f'{" · " + claims if claims else ""}</p><ul>{sides}</ul></li>')
        parts.append("</ol>")
    if report.key_figures:
        rows = []
        for k in report.key_figures:
            figs = " · ".join(
                f'<a href="#s-{escape(f.source)}-{f.sentence_index}" title="{escape(f.text)}">'
                f"{escape(names.get(f.source, f.source))}</a> <strong>{escape(f.value)}</strong>"
                + (f" ({escape(f.date)})" if f.date else "") for f in k.figures)
            claims = " ".join(f'<a href="#{escape(x)}">{escape(x)}</a>' for x in k.claims)
            rows.append(f'<tr class="kf {k.kind}"><td>{escape(k.story or "")}</td><td>{escape(k.topic)}</td>'
                        f'<td title="{escape(KIND_WORDS[k.kind])}">{k.kind}</td><td>{figs}</td><td>{claims}</td></tr>')
        parts.append('<h3>Key figures</h3><div class="scroll"><table class="key-figures"><thead><tr>'
                     '<th scope="col">Story</th><th scope="col">What</th><th scope="col">Kind</th>'
                     f'<th scope="col">Each source\'s figure</th><th scope="col">Claims</th></tr></thead>'
                     f'<tbody>{"".join(rows)}</tbody></table></div>')
    parts.append("</section>")
    return "".join(parts)
