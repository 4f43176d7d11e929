"""The HTML report: one self-contained page that works offline and without JavaScript.

CSS and JS are inline (`html.css`, `html.js` beside this module) and a
Content-Security-Policy meta tag allows exactly those two by hash and nothing else, so the page
can never load a font, an image or a script. Every piece of article text goes through
`html.escape`. The claims, the matrix and the articles are plain HTML; the script only adds
sorting, filtering, highlighting and jumping between a claim and its sentences.

Fields that later versions of the Report may carry (`stories`, `claims[].independent_support`,
`claims[].contradictions`, `sources[].origin`, `members[].attribution`) are read with `getattr`
and rendered when present, so the writer works with either.
"""

from __future__ import annotations

import base64
import bisect
import difflib
import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from importlib.resources import files

from claimcheck.models import ClaimGroup, Document, DroppedLine, Member, Report, Sentence
from claimcheck.report import legend
from claimcheck.report.checks import html_checks
from claimcheck.text.words import BASE_STOP_WORDS

Parsed = Sequence[tuple[Document, Sequence[Sentence]]]

SHADES = 4  # shading levels for "corroborated by k other outlets"
# Above these the page asks the browser to lay out only what is near the screen (content-visibility).
LONG_CLAIMS = 100
LONG_SOURCES = 20

_QUALIFIER = (
    r"(?:(?:at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|up\s+to|over|under|nearly|almost|"
    r"about|around|roughly|some|approximately|an\s+estimated|as\s+many\s+as)\s+)?"
)
_NUMBER_WORD = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|(?:a\s+)?dozens?|"
    r"hundreds|thousands|millions|billions)"
)
_SCALE = r"(?:\s+(?:hundred|thousand|million|billion|trillion|bn|m)\b)?"
_QUANTITY = re.compile(
    rf"(?<![\w$€£.,]){_QUALIFIER}(?:[$€£]\s?)?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?:\s?%|\s+per\s?cent\b)?{_SCALE}"
    rf"|\b{_QUALIFIER}{_NUMBER_WORD}\b{_SCALE}",
    re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$", re.IGNORECASE
)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_TOKEN = re.compile(r"\w+(?:[’'.\-]\w+)*|[^\w\s]")
_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
_HEADLINE_WORD = re.compile(r"[^\W\d_][\w’'.\-]*")


# --------------------------------------------------------------------------- text helpers


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def quantity_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the quantities in `text` ("at least 12", "19", "dozens"); not dates or years."""
    spans = []
    for m in _QUANTITY.finditer(text):
        value = m.group(0)
        if _YEAR.fullmatch(value) or _MONTH_BEFORE.search(text[: m.start()]):
            continue
        spans.append((m.start(), m.end()))
    return spans


def diff_spans(text: str, reference: str) -> list[tuple[int, int]]:
    """Character spans of the words of `text` that are not in `reference` (a word-level diff)."""
    tokens = list(_TOKEN.finditer(text))
    ref = [_token_key(m.group(0)) for m in _TOKEN.finditer(reference)]
    keys = [_token_key(m.group(0)) for m in tokens]
    spans: list[tuple[int, int]] = []
    matcher = difflib.SequenceMatcher(None, ref, keys, autojunk=False)
    for op, _, _, j1, j2 in matcher.get_opcodes():
        if op in ("replace", "insert"):
            words = [t for t in tokens[j1:j2] if t.group(0)[0].isalnum() or t.group(0)[0] == "_"]
            if words:
                spans.append((words[0].start(), words[-1].end()))
    return spans


def _token_key(token: str) -> str:
    return token.lower().replace(".", "").replace("’", "'").replace("“", '"').replace("”", '"') or token


def marked(text: str, **spans: Iterable[tuple[int, int]]) -> str:
    """`text` escaped, with each named set of spans wrapped in its element (`d` diff, `q` quantity)."""
    tags = {"d": ("<mark class=\"d\">", "</mark>"), "q": ("<strong class=\"q\">", "</strong>")}
    cuts = {0, len(text)}
    for ranges in spans.values():
        for a, b in ranges:
            cuts.update((a, b))
    points = sorted(cuts)
    out: list[str] = []
    span_lists = {name: list(ranges) for name, ranges in spans.items()}
    for a, b in zip(points, points[1:]):
        kinds = [name for name in ("d", "q") if any(x <= a and b <= y for x, y in span_lists.get(name, ()))]
        piece = _e(text[a:b])
        for name in reversed(kinds):
            piece = tags[name][0] + piece + tags[name][1]
        out.append(piece)
    # Adjacent pieces with the same marks read as one mark.
    html = "".join(out)
    for open_tag, close_tag in tags.values():
        html = html.replace(close_tag + open_tag, "")
    return html


def _headline_words(title: str) -> list[str]:
    words = (w.rstrip(".’'-").lower() for w in _HEADLINE_WORD.findall(title))
    return [w for w in words if len(w) > 1 and w not in BASE_STOP_WORDS]


def story(report: Report) -> tuple[str, list[str]]:
    """The story's title (the headline sharing most words with the others) and the common headline words."""
    titles = [s.title for s in report.sources if s.title]
    if not titles:
        return f"{report.summary.sources} sources compared", []
    bags = [list(dict.fromkeys(_headline_words(t))) for t in titles]
    count = Counter(w for bag in bags for w in bag)

    def shared(i: int) -> float:
        return sum(count[w] - 1 for w in bags[i]) / math.sqrt(max(1, len(bags[i])))

    best = max(range(len(titles)), key=lambda i: (shared(i), -i))
    first_seen: dict[str, str] = {}
    for t in titles:
        for raw in _HEADLINE_WORD.findall(t):
            first_seen.setdefault(raw.rstrip(".’'-").lower(), raw.rstrip("’'-"))
    order = {w: k for k, w in enumerate(first_seen)}
    common = sorted((w for w in count if count[w] >= 2), key=lambda w: (-count[w], order[w]))
    return titles[best], [first_seen[w] for w in common[:8]]


def source_url(doc: Document | None) -> str | None:
    """The article's own URL, where the file states it (an "Original url:" or bare URL line)."""
    if doc is None:
        return None
    for line in doc.dropped:
        if "url" in line.reason.lower():
            m = _URL.search(line.text)
            if m:
                return m.group(0).rstrip(".,;:>")
    return None


# --------------------------------------------------------------------------- the page model


@dataclass
class _Page:
    """What the sections share: names, sentence -> claim links, per-source counts."""

    report: Report
    parsed: Parsed
    names: dict[str, str] = field(default_factory=dict)
    docs: dict[str, tuple[Document, Sequence[Sentence]]] = field(default_factory=dict)
    claim_of: dict[tuple[str, int], ClaimGroup] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.names = {s.id: s.name for s in self.report.sources}
        self.docs = {doc.id: (doc, sentences) for doc, sentences in self.parsed}
        for g in self.report.claims:
            for m in g.members:
                self.claim_of[(m.source, m.sentence_index)] = g

    @property
    def n(self) -> int:
        return self.report.summary.sources

    def name(self, source: str) -> str:
        return self.names.get(source, source)

    def alone_missing(self, source: str) -> list[ClaimGroup]:
        """Claims every other source carries and this one does not (three sources or more)."""
        if self.n < 3:
            return []
        return [g for g in self.report.claims if g.support == self.n - 1 and source not in g.sources]

    def exclusives(self, source: str) -> int | None:
        """Claims only this source states, where the report can tell (--min-sources 1 or 2)."""
        min_sources = self.report.settings.min_sources
        if min_sources == 1:
            return sum(g.support == 1 and g.sources[0] == source for g in self.report.claims)
        if min_sources == 2 and source in self.docs:
            return sum(s.is_claim and (source, s.index) not in self.claim_of for s in self.docs[source][1])
        return None

    def shade(self, support: int) -> int:
        """Shading level 0..SHADES for a sentence whose claim `support` sources carry."""
        others = support - 1
        if others <= 0:
            return 0
        if self.n - 1 <= SHADES:
            return others
        return max(1, min(SHADES, math.ceil(SHADES * others / (self.n - 1))))


# --------------------------------------------------------------------------- sections


def _header(page: _Page) -> str:
    r = page.report
    s = r.summary
    title, words = story(r)
    counts = (
        f"{s.sources} sources · {s.claims} claims in {s.groups} groups: "
        f"<strong>{s.corroborated} corroborated (carried by 2 or more sources)</strong>"
        + (f", {s.possible} possible matches (listed apart)" if s.possible else "")
        + f", {s.independent} backed by 2 or more independent origins"
    )
    parts = [
        '<header class="top" id="top">',
        '<p class="kicker">claimcheck report</p>',
        f"<h1>{_e(title)}</h1>",
        f'<p class="counts">{counts}</p>',
    ]
    if words:
        parts.append('<p class="keywords">Headline words shared across outlets: '
                     + " ".join(f"<span>{_e(w)}</span>" for w in words) + "</p>")
    parts.append(_sources_table(page))
    parts.append(_stories(page))
    parts.append("</header>")
    return "\n".join(p for p in parts if p)


def _sources_table(page: _Page) -> str:
    r = page.report
    origin = any(getattr(s, "origin", None) for s in r.sources)
    head = ["#", "Outlet", "Headline", "Date", "Sentences", "Claims", "Dropped", "In listed claims", "Read from"]
    if origin:
        head.insert(4, "Origin")
    rows = []
    carried = Counter(src for g in r.claims for src in g.sources)
    for k, s in enumerate(r.sources, start=1):
        doc = page.docs.get(s.id, (None, ()))[0]
        url = web_url(source_url(doc)) or web_url(getattr(s, "url", None))
        link = (f'<a href="{_e(url)}" rel="noopener noreferrer external">{_e(_short_url(url))}</a>'
                if url else f'<span class="path">{_e(s.path)}</span>')
        name = (f'<a href="#src-{_e(s.id)}">{_e(s.name)}</a>' if doc is not None else _e(s.name))
        cells = [f'<td class="num">{k}</td>', f'<th scope="row">{name}</th>',
                 f"<td>{_e(s.title or '—')}</td>", f"<td class=\"nowrap\">{_e(s.date or '—')}</td>",
                 f'<td class="num">{s.sentences}</td>', f'<td class="num">{s.claims}</td>',
                 f'<td class="num">{s.dropped}</td>', f'<td class="num">{carried[s.id]}</td>',
                 f"<td>{link}</td>"]
        if origin:
            cells.insert(4, f"<td>{_e(_describe(getattr(s, 'origin', None)) or '—')}</td>")
        # data-label: the narrow layout shows each row as a block with its labels (html.css)
        cells = [c.replace(">", f' data-label="{h}">', 1) for c, h in zip(cells, head, strict=True)]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    ths = "".join(f'<th scope="col">{h}</th>' for h in head)
    return (f'<div class="scroll"><table class="sources"><caption>Sources</caption>'
            f"<thead><tr>{ths}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def web_url(url: str | None) -> str | None:
    """The URL if it is an http(s) one; never a file:// or other local link."""
    return url if url and re.match(r"https?://[^\s/]", url, re.IGNORECASE) else None


def _short_url(url: str) -> str:
    host = re.sub(r"^https?://(www\.)?", "", url, flags=re.IGNORECASE).split("/", 1)[0]
    return host or url


def _describe(value: object) -> str:
    """A later field's value in words: a string as is, a model by its text/name/label, else str()."""
    if value is None:
        return ""
    if isinstance(value, str | int | float):
        return str(value)
    for attr in ("text", "name", "label", "title", "value"):
        got = getattr(value, attr, None)
        if isinstance(got, str) and got:
            return got
    if isinstance(value, Sequence):
        return ", ".join(_describe(v) for v in value)
    return str(value)


def _stories(page: _Page) -> str:
    stories = getattr(page.report, "stories", None)
    if not stories:
        return ""
    items = []
    for k, st in enumerate(stories, start=1):
        label = _describe(getattr(st, "title", None)) or f"Story {k}"
        members = getattr(st, "sources", None) or getattr(st, "documents", None) or ()
        outlets = ", ".join(page.name(m if isinstance(m, str) else _describe(m)) for m in members)
        items.append(f"<li><strong>{_e(label)}</strong>: {_e(outlets)}</li>")
    return f'<section class="stories"><h2>Stories</h2><ul>{"".join(items)}</ul></section>'


def _controls(page: _Page) -> str:
    lo = page.report.settings.min_sources
    hi = max([page.n, lo] + [g.support for g in page.report.claims])
    return (
        '<div class="controls" id="controls" role="search" hidden>'
        f'<label>Min support <input id="f-min" type="number" min="{lo}" max="{hi}" value="{lo}"></label>'
        '<label class="grow">Search <input id="f-q" type="search" placeholder="word, outlet, number…" '
        'autocomplete="off"></label>'
        '<label><input id="f-dis" type="checkbox"> only disagreements</label>'
        '<span id="f-count" class="count" aria-live="polite"></span>'
        '</div>'
    )


def _disagreement_text(page: _Page, g: ClaimGroup) -> list[str]:
    lines = []
    for d in g.disagreements:
        by_value: dict[str, list[str]] = {}
        for f in d.figures:
            by_value.setdefault(f.value, []).append(page.name(f.source))
        figures = " vs ".join(f"{', '.join(names)} {value}" for value, names in by_value.items())
        kind = getattr(d, "kind", "")
        lines.append(f"{d.topic}{f' ({kind})' if kind else ''}: {figures}")
    for c in getattr(g, "contradictions", None) or ():
        lines.append(f"contradiction: {_describe(c)}")
    return lines


def _support_label(page: _Page, g: ClaimGroup) -> str:
    independent = getattr(g, "independent_support", None)
    extra = f' <span class="indep">({independent} independent)</span>' if independent is not None else ""
    if g.possible:
        extra += (f' <span class="conf" title="possible match: the members score {g.confidence:.1f} on average, below '
                  f'{page.report.settings.min_confidence:.0f}">{legend.POSSIBLE} confidence {legend.confidence(g)}</span>')
    return (f'<span class="support k{page.shade(g.support)}" title="carried by {g.support} of {page.n} '
            f'sources">{g.support}/{page.n}</span>{extra}')


def _matrix(page: _Page) -> str:
    r = page.report
    if not r.claims:
        return ('<section id="matrix"><h2>Coverage</h2><p class="empty">No claim is carried by '
                f"{r.settings.min_sources} or more sources.</p></section>")
    cols = "".join(
        f'<th scope="col" class="src" data-sort="src:{_e(s.id)}" title="{_e(s.name)}">'
        f'<span class="vert">{_e(s.name)}</span></th>'
        for s in r.sources
    )
    head = (f'<tr><th scope="col" data-sort="order">#</th><th scope="col" data-sort="text" class="mtext">Claim</th>'
            f'{cols}<th scope="col" data-sort="support">Support</th></tr>')
    rows = []
    for order, g in enumerate(r.claims):
        cells = []
        for s in r.sources:
            # Bare cells: a matrix can hold tens of thousands; the column header names the source
            # (the script adds a tooltip on hover). The marks are the terminal's (report/legend.py).
            cells.append(_CELL[legend.mark(g, s.id, page.n)])
        flag = (f' <span class="flag" title="{legend.MEANING[legend.DISAGREE]}">{legend.DISAGREE}</span>'
                if _disagreement_text(page, g) else "")
        if g.possible:
            flag += (f' <span class="possible" title="possible match: confidence {legend.confidence(g)}, below '
                     f'{r.settings.min_confidence:.0f}">{legend.POSSIBLE}</span>')
        rows.append(
            f'<tr id="m-{g.id}" {_claim_data(g, order, page)}><th scope="row"><a href="#{g.id}">{g.id}</a></th>'
            f'<td class="mtext"><a href="#{g.id}">{_e(g.text)}</a>{flag}</td>{"".join(cells)}'
            f'<td class="num">{_support_label(page, g)}</td></tr>'
        )
    totals = "".join(f'<td class="num">{sum(s.id in g.sources for g in r.claims)}</td>' for s in r.sources)
    missing = "".join(f'<td class="num">{len(page.alone_missing(s.id)) or ""}</td>' for s in r.sources)
    excl = [page.exclusives(s.id) for s in r.sources]
    foot = f'<tr><th scope="row" colspan="2">Claims carried (of {len(r.claims)} listed)</th>{totals}<td></td></tr>'
    if page.n >= 3:
        foot += f'<tr><th scope="row" colspan="2">Alone missing a claim all others carry</th>{missing}<td></td></tr>'
    if any(x is not None for x in excl):
        foot += ('<tr><th scope="row" colspan="2">Exclusive claims (no other outlet)</th>'
                 + "".join(f'<td class="num">{"" if x is None else x}</td>' for x in excl) + "<td></td></tr>")
    return (
        '<section id="matrix"><h2>Coverage</h2>'
        f'<p class="legend">{_legend(r)}</p>'
        f'<div class="scroll"><table class="matrix"><thead>{head}</thead><tbody>{"".join(rows)}</tbody>'
        f"<tfoot>{foot}</tfoot></table></div>{_matrix_notes(page)}</section>"
    )


_CELL = {
    legend.OWN: f'<td class="cell on">{legend.OWN}</td>',
    legend.RELAYED: f'<td class="cell on relayed">{legend.RELAYED}</td>',
    legend.ALONE_MISSING: f'<td class="cell miss">{legend.ALONE_MISSING}</td>',
    legend.ABSENT: '<td class="cell"></td>',
}
_CELL_CLASS = {legend.OWN: "cell on", legend.RELAYED: "cell on relayed", legend.ALONE_MISSING: "cell miss",
               legend.DISAGREE: "flag", legend.POSSIBLE: "possible"}


def _legend(r: Report) -> str:
    """The matrix key: the terminal's symbols and words (report/legend.py)."""
    symbols = legend.MATRIX_KEYS + ((legend.POSSIBLE,) if any(g.possible for g in r.claims) else ())
    return " · ".join(f'<span class="{_CELL_CLASS[s]}">{s}</span> {_e(legend.MEANING[s])}' for s in symbols)


def _claim_data(g: ClaimGroup, order: int, page: _Page) -> str:
    return (f'data-claim="{g.id}" data-support="{g.support}" data-order="{order}" '
            f'data-dis="{1 if _disagreement_text(page, g) else 0}" data-sources="{_e(" ".join(g.sources))}"')


def _matrix_notes(page: _Page) -> str:
    notes = []
    for s in page.report.sources:
        missing = page.alone_missing(s.id)
        if missing:
            ids = ", ".join(f'<a href="#{g.id}">{g.id}</a>' for g in missing)
            notes.append(f"<li><strong>{_e(s.name)}</strong> is the only source missing {ids}.</li>")
    for s in page.report.sources:
        x = page.exclusives(s.id)
        if x:
            notes.append(f"<li><strong>{_e(s.name)}</strong> alone states {x} claim{'s' if x != 1 else ''}"
                         " no other outlet carries.</li>")
    return f'<ul class="notes">{"".join(notes)}</ul>' if notes else ""


def _claims(page: _Page) -> str:
    r = page.report
    order = {g.id: k for k, g in enumerate(r.claims)}
    sure = [_claim_card(page, g, order[g.id]) for g in r.claims if not g.possible]
    possible = [_claim_card(page, g, order[g.id]) for g in r.claims if g.possible]
    footer = _single_note(page)
    if r.claims:
        empty = '<p class="empty" id="none" hidden>No claim matches these filters.</p>'
    else:
        empty = f'<p class="empty">No claim is carried by {r.settings.min_sources} or more sources.</p>'
    apart = ""
    if possible:
        apart = (f'<h3 id="possible" class="possible-head">Possible matches ({legend.POSSIBLE})</h3>'
                 f'<p class="muted">The members score on average below {r.settings.min_confidence:.0f} '
                 "(--min-confidence) against the wording shown: maybe the same claim, not counted as "
                 f'corroborated.</p><div class="cards possible">{"".join(possible)}</div>')
    return (f'<section id="claims"><h2>Claims, strongest first</h2>{empty}'
            f'<div class="cards">{"".join(sure)}</div>{apart}{footer}</section>')


def _single_note(page: _Page) -> str:
    s = page.report.summary
    singles = s.groups - s.corroborated - s.possible
    claims = "claim" if singles == 1 else "claims"
    if page.report.settings.min_sources <= 1:
        return f'<p class="muted">{singles} {claims} carried by one source only are listed above.</p>'
    return (f'<p class="muted">{singles} {claims} carried by one source only are not shown; '
            "--min-sources 1 lists them.</p>")


def _claim_card(page: _Page, g: ClaimGroup, order: int) -> str:
    flags = "".join(f'<p class="flag">⚠ {_e(line)}</p>' for line in _disagreement_text(page, g))
    outlets = " · ".join(_e(page.name(s)) + _via(g, s) for s in g.sources)
    members = "".join(_member(page, g, m) for m in g.members)
    first = g.members[0] if g.members else None
    jump = (f' <a class="jump" href="#s-{_e(first.source)}-{first.sentence_index}" data-claim="{g.id}">'
            "show in the articles</a>" if first is not None and page.docs else "")
    return (
        f'<article class="claim" id="{g.id}" {_claim_data(g, order, page)}>'
        f'<div class="claim-head"><a class="cid" href="#{g.id}">{g.id}</a>{_support_label(page, g)}</div>'
        f'<p class="rep">{marked(g.text, q=quantity_spans(g.text))}</p>{flags}'
        f'<p class="outlets">{outlets}{jump}</p>'
        f'<details class="members"><summary>Each outlet\'s wording ({len(g.members)})</summary>'
        f'<ol class="member-list">{members}</ol></details></article>'
    )


def _via(g: ClaimGroup, source: str) -> str:
    """' <span class="via">(via Reuters)</span>' when the source's member counts for another origin."""
    origin = legend.via(g, source)
    return f' <span class="via">(via {_e(origin)})</span>' if origin else ""


def _member(page: _Page, g: ClaimGroup, m: Member) -> str:
    rep = m.text == g.text
    diff = [] if rep else diff_spans(m.text, g.text)
    label = "representative wording" if rep else f"score {m.score:.0f}"
    attribution = getattr(m, "attribution", None)
    attributed = f'<p class="attr">attributed to {_e(_describe(attribution))}</p>' if attribution else ""
    where = (f'<a href="#s-{_e(m.source)}-{m.sentence_index}" data-claim="{g.id}">{_e(page.name(m.source))}</a>'
             if m.source in page.docs else _e(page.name(m.source)))
    return (
        f'<li class="member{" rep-member" if rep else ""}" data-source="{_e(m.source)}">'
        f'<p class="who">{where}{_via(g, m.source)} <span class="score">{label}</span></p>'
        f'<p class="said">{marked(m.text, d=diff, q=quantity_spans(m.text))}</p>{attributed}</li>'
    )


def _source_view(page: _Page) -> str:
    if not page.parsed:
        return ""
    levels = [k for k in range(1, SHADES + 1) if k <= max(1, page.n - 1)]
    legend = " ".join(f'<span class="s k{k}">{_shade_label(page, k)}</span>' for k in levels)
    docs = "".join(_document(page, doc, sentences) for doc, sentences in page.parsed)
    return (
        '<section id="sources"><h2>The articles</h2>'
        f'<p class="legend">Sentences shaded by how many other outlets corroborate them: plain = none, {legend}. '
        'Grey boxes hold the lines dropped as boilerplate.</p>'
        f'<div class="docs">{docs}</div></section>'
    )


def _shade_label(page: _Page, k: int) -> str:
    if page.n - 1 <= SHADES:
        return f"{k} other{'s' if k > 1 else ''}"
    lo = math.floor((k - 1) * (page.n - 1) / SHADES) + 1
    hi = math.floor(k * (page.n - 1) / SHADES)
    return f"{lo}–{hi} others" if hi > lo else f"{lo} other{'s' if lo > 1 else ''}"


def _document(page: _Page, doc: Document, sentences: Sequence[Sentence]) -> str:
    paragraphs = doc.text.split("\n")
    lines = list(doc.lines) if len(doc.lines) == len(paragraphs) else []
    pending = sorted(doc.dropped, key=lambda d: d.line)
    drop_lines = [d.line for d in pending]
    next_drop = 0
    body: list[str] = []
    if not lines and pending:  # no line positions: the dropped lines go first
        body.append(_dropped(pending))
        next_drop = len(pending)
    ordered = sorted(sentences, key=lambda s: s.start)
    pos = 0
    k = 0
    for i, para in enumerate(paragraphs):
        start, end = pos, pos + len(para)
        pos = end + 1
        if lines and next_drop < len(pending) and pending[next_drop].line <= lines[i]:
            cut = bisect.bisect_right(drop_lines, lines[i], lo=next_drop)
            body.append(_dropped(pending[next_drop:cut]))
            next_drop = cut
        inner: list[str] = []
        cursor = start
        headline = False
        while k < len(ordered) and ordered[k].start < end:
            s = ordered[k]
            k += 1
            if s.start > cursor:
                inner.append(_e(doc.text[cursor:s.start]))
            inner.append(_sentence(page, doc, s))
            headline = headline or s.is_headline
            cursor = max(cursor, s.end)
        if cursor < end:
            inner.append(_e(doc.text[cursor:end]))
        tag = "h4" if headline else "p"
        body.append(f"<{tag}>{''.join(inner)}</{tag}>")
    if next_drop < len(pending):
        body.append(_dropped(pending[next_drop:]))
    meta = [doc.path]
    if doc.date:
        meta.append(doc.date)
    url = web_url(source_url(doc))
    link = f' · <a href="{_e(url)}" rel="noopener noreferrer external">{_e(_short_url(url))}</a>' if url else ""
    return (
        f'<article class="doc" id="src-{_e(doc.id)}" data-source="{_e(doc.id)}">'
        f'<h3>{_e(doc.name)}</h3><p class="meta">{" · ".join(_e(x) for x in meta)}{link}</p>'
        f'<div class="doc-body" tabindex="0">{"".join(body)}</div></article>'
    )


def _sentence(page: _Page, doc: Document, s: Sentence) -> str:
    text = marked(s.text, q=quantity_spans(s.text))
    sid = f"s-{_e(doc.id)}-{s.index}"
    g = page.claim_of.get((doc.id, s.index))
    if g is not None:
        others = g.support - 1
        title = f"{g.id}: {others} other outlet{'s' if others != 1 else ''} carry it"
        return (f'<a class="s k{page.shade(g.support)}" id="{sid}" href="#{g.id}" data-claim="{g.id}" '
                f'title="{_e(title)}">{text}</a>')
    if not s.is_claim and not s.is_headline:
        return f'<span class="s nc" id="{sid}" title="not a claim: {_e(s.reason or "")}">{text}</span>'
    return f'<span class="s" id="{sid}">{text}</span>'


def _dropped(lines: Sequence[DroppedLine]) -> str:
    reasons = list(dict.fromkeys(d.reason for d in lines))
    summary = f"{len(lines)} line{'s' if len(lines) != 1 else ''} dropped: {', '.join(reasons)}"
    items = "".join(
        f'<li><span class="ln">line {d.line}</span> {_e(d.text)} <span class="why">{_e(d.reason)}</span></li>'
        for d in lines
    )
    return f'<details class="dropped"><summary>{_e(summary)}</summary><ul>{items}</ul></details>'


def _footer(page: _Page) -> str:
    r = page.report
    st = r.settings
    return (
        f'<footer><p>Written by {_e(r.tool.name)} {_e(r.tool.version)} · --min-sources {st.min_sources} · '
        f"--threshold {st.threshold:g} · --min-words {st.min_claim_words}. "
        "This page is self-contained: it loads nothing and works offline.</p></footer>"
    )


# --------------------------------------------------------------------------- the page


def _asset(name: str) -> str:
    return files("claimcheck.report").joinpath(name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(css: str, js: str) -> str:
    """Nothing may load; only the page's own style and script, by hash, may run."""
    return (f"default-src 'none'; style-src {_sha256(css)}; script-src {_sha256(js)}; "
            "img-src 'none'; base-uri 'none'; form-action 'none'")


def to_html(report: Report, sources: Parsed = ()) -> str:
    """The report as one self-contained HTML page.

    `sources` (from `pipeline.compare_sources`) adds the articles' text, shaded by
    corroboration; without it the page has the header, the matrix and the claims.
    """
    page = _Page(report, sources)
    css = _asset("html.css")
    js = _asset("html.js")
    title, _ = story(report)
    long = ' class="long"' if len(report.claims) > LONG_CLAIMS or len(page.parsed) > LONG_SOURCES else ""
    checks = html_checks(report)
    body = "\n".join(x for x in (
        _header(page),
        '<nav class="toc">' + ('<a href="#checks">Check first</a>' if checks else "")
        + '<a href="#matrix">Coverage</a><a href="#claims">Claims</a>'
        + ('<a href="#sources">Articles</a>' if page.parsed else "") + "</nav>",
        _controls(page),
        "<main>",
        checks,
        _matrix(page),
        _claims(page),
        _source_view(page),
        "</main>",
        _footer(page),
    ) if x)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en" data-sources="{page.n}"{long}>\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(css, js)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f'<meta name="generator" content="{_e(report.tool.name)} {_e(report.tool.version)}">\n'
        f"<title>{_e(title)} · claimcheck</title>\n"
        f"<style>{css}</style>\n</head>\n<body>\n{body}\n<script>{js}</script>\n</body>\n</html>\n"
    )
