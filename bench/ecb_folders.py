"""ECB+ folders: both events of each topic in one folder. Does any corroborated group mix them?

    python bench/ecb_folders.py                     # dev topics, table + every mixed group
    python bench/ecb_folders.py --split train       # the train topics
    python bench/ecb_folders.py --topics 2,5 -v     # some topics, every group listed
    python bench/ecb_folders.py --json              # the figures, machine-readable
    python bench/ecb_folders.py --semantic          # with the embedding backend (semantic extra)

Data: ECB+ (Agata Cybulska and Piek Vossen. 2014. Using a sledgehammer to crack a nut? Lexical
diversity and event coreference resolution. LREC 2014; CC BY 3.0, (c) Cybulska, Vossen and VU
University Amsterdam), as prepared in ../shared/data/ecbplus/ (README there). It is read from
../shared only, never copied into the repository: each topic's documents are copied to a temporary
folder outside it, one file per document, named `<doc>.txt` (e.g. `2_1ecb.txt`, `2_1ecbplus.txt`)
so the sub-topic can be read back from each source's path.

Every ECB+ topic pairs two similar but different events: `ecb` (e.g. one earthquake) and `ecbplus`
(another). For each topic folder the script runs `claimcheck.pipeline.compare` with default
settings (and, when `Settings` has a one-story switch, also with it on) and reports:

- per topic: documents, claims, groups with support >= 2, and "mixed" groups, whose members come
  from both sub-topics; every mixed group is listed with its members' texts, so a person can judge
  whether the sentences state the same background fact (fine) or join the two events (an error);
- the verdict on each mixed group from the hand labels in tests/fixtures/ecb_background.json (dev):
  "background" when every pair of members from the two sub-topics states one labelled background
  fact, "error" when some such pair was read and judged two different events, "unjudged" for a
  group nobody has read yet (read it, then extend the labels);
- a proxy for same-event precision: each member is mapped back to its ECB+ document line(s) by
  its text (exact, then contained in a line, then spanning whole lines, then fuzzy), and for every pair of members from different
  documents whose lines are both labelled in ECB+ (`docs_index.jsonl` labelled=true), whether the
  two share a cross-document event chain (`sentences.jsonl` event_chains). Precision = pairs that
  share a chain / labelled pairs. Members that match no line are counted as unmapped.

ECB+ chains mark "mentions the same real-world event", which is looser than "states the same
claim" and misses background facts (a singleton mention never links), so the proxy is a floor on
neither side: read the listed groups.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import sys
import tempfile
import warnings
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path

from rapidfuzz import fuzz

from claimcheck.read.files import normalize
from claimcheck.models import Settings
from claimcheck.pipeline import compare

ROOT = Path(__file__).resolve().parents[1]
ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus"
# Best-line partial match (0-100) at or above which a member that is neither equal to nor contained
# in a line is still taken to come from it (re-joined ECB+ spacing, quote repairs by the loader).
FUZZY_MIN = 90.0
# Hand labels (dev): which cross-sub-topic sentences state the same background fact, and which
# cross-sub-topic pairs a person read and judged to be two different events.
JUDGED = ROOT / "tests" / "fixtures" / "ecb_background.json"
# Settings fields that, set to the value given, turn story grouping off (`--one-story`), in the order
# tried; the first that `Settings` has wins. None of them exists before story grouping lands.
ONE_STORY_FIELDS = (("one_story", True), ("stories", False), ("group_stories", False), ("split_stories", False))


@dataclass(frozen=True)
class Line:
    """One line of an ECB+ document file, with its labels."""

    doc: str
    subtopic: str
    sent_id: int
    text: str
    labelled: bool
    chains: frozenset[str]


@dataclass
class MemberInfo:
    doc: str
    subtopic: str
    text: str
    score: float
    how: str  # exact / contained / merged / fuzzy / unmapped
    sent_ids: tuple[int, ...] = ()
    labelled: bool = False
    chains: frozenset[str] = frozenset()

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(f"{self.doc}:{k}" for k in self.sent_ids)


@dataclass
class GroupInfo:
    text: str
    support: int
    subtopics: tuple[str, ...]
    members: list[MemberInfo]
    verdict: str = ""  # mixed groups: background / error / unjudged (see `judge`)

    @property
    def mixed(self) -> bool:
        return len(self.subtopics) > 1

    def cross_pairs(self) -> list[tuple[MemberInfo, MemberInfo]]:
        return [(a, b) for a, b in combinations(self.members, 2) if a.subtopic != b.subtopic]


@dataclass(frozen=True)
class Judged:
    """The hand labels: sentence id -> background facts; cross-sub-topic pairs judged different events."""

    facts: dict[str, frozenset[str]]
    different: frozenset[tuple[str, str]]

    @classmethod
    def load(cls, path: Path = JUDGED) -> Judged:
        if not path.exists():
            return cls({}, frozenset())
        data = json.loads(path.read_text(encoding="utf-8"))
        facts: dict[str, set[str]] = collections.defaultdict(set)
        for key, fact in data["facts"].items():
            for sid in fact["sentences"]:
                facts[sid].add(key)
        different = frozenset(tuple(sorted(pair)) for pair in data.get("different", []))
        return cls({k: frozenset(v) for k, v in facts.items()}, different)

    def same_fact(self, a: MemberInfo, b: MemberInfo) -> bool:
        fa = frozenset().union(*(self.facts.get(i, frozenset()) for i in a.ids))
        fb = frozenset().union(*(self.facts.get(i, frozenset()) for i in b.ids))
        return bool(fa & fb)

    def judged_different(self, a: MemberInfo, b: MemberInfo) -> bool:
        return any(tuple(sorted((i, j))) in self.different for i in a.ids for j in b.ids)

    def judge(self, group: GroupInfo) -> str:
        """background: every cross-sub-topic pair states one labelled background fact; error: some
        pair was judged two different events; unjudged: nobody has read this group yet."""
        pairs = group.cross_pairs()
        if all(self.same_fact(a, b) for a, b in pairs):
            return "background"
        if any(self.judged_different(a, b) for a, b in pairs if not self.same_fact(a, b)):
            return "error"
        return "unjudged"


@dataclass
class TopicResult:
    topic: str
    mode: str
    documents: int
    documents_by_subtopic: dict[str, int]
    claims: int
    groups: int
    mixed: int
    background: int  # of the mixed groups, judged to state one background fact (hand labels)
    unjudged: int  # of the mixed groups, not covered by the hand labels
    stories: int | None  # None: this version reports no stories
    mixed_stories: int | None  # stories whose sources come from both sub-topics (None: not readable)
    members: int
    unmapped: int
    labelled_groups: int  # groups with >= 2 labelled members from different documents
    labelled_pairs: int
    chain_pairs: int
    labelled_pairs_cross: int  # of labelled_pairs, members from the two sub-topics
    chain_pairs_cross: int
    warnings: int
    mapped_by: dict[str, int] = field(default_factory=dict)  # exact / contained / merged / fuzzy / unmapped
    group_list: list[GroupInfo] = field(default_factory=list)


def subtopic_of(doc: str) -> str:
    return "ecbplus" if doc.endswith("ecbplus") else "ecb"


def read_lines(split: str) -> dict[str, list[Line]]:
    """Every document's lines with labels, keyed by doc id (e.g. `2_1ecb`)."""
    chains: dict[tuple[str, int], frozenset[str]] = {}
    with (ECBPLUS / split / "sentences.jsonl").open(encoding="utf-8") as handle:
        for raw in handle:
            row = json.loads(raw)
            chains[(row["doc"], row["sent_id"])] = frozenset(row["event_chains"])
    index: dict[tuple[str, int], dict] = {}
    with (ECBPLUS / split / "docs_index.jsonl").open(encoding="utf-8") as handle:
        for raw in handle:
            row = json.loads(raw)
            index[(row["file"], row["line"])] = row
    docs: dict[str, list[Line]] = {}
    for path in sorted((ECBPLUS / split / "docs").glob("*/*.txt")):
        rel = f"{path.parent.name}/{path.name}"
        lines = []
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            row = index.get((rel, number))
            if row is None:
                raise SystemExit(f"Error: {rel} line {number} is not in docs_index.jsonl")
            lines.append(Line(row["doc"], subtopic_of(row["doc"]), row["sent_id"], normalize(text),
                              row["labelled"], chains.get((row["doc"], row["sent_id"]), frozenset())))
        docs[path.stem] = lines
    return docs


def topic_files(split: str) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = collections.defaultdict(list)
    for path in sorted((ECBPLUS / split / "docs").glob("*/*.txt")):
        out[path.parent.name.split("_")[0]].append(path)
    return dict(sorted(out.items(), key=lambda item: int(item[0])))


def map_member(doc: str, text: str, score: float, lines: list[Line]) -> MemberInfo:
    """The document line(s) a member's sentence comes from: equal, contained in one line, spanning
    several whole lines (the splitter merged them), or the best fuzzy line."""
    needle = normalize(text)
    info = MemberInfo(doc, subtopic_of(doc), text, score, "unmapped")
    hit: list[Line] = [ln for ln in lines if ln.text == needle]
    how = "exact"
    if not hit:
        hit, how = [ln for ln in lines if needle in ln.text], "contained"
    if not hit:
        hit, how = [ln for ln in lines if len(ln.text) >= 8 and ln.text in needle], "merged"
    if not hit and needle:
        scored = [(fuzz.partial_ratio(needle, ln.text, processor=None), k) for k, ln in enumerate(lines) if ln.text]
        if scored:
            best, k = max(scored)
            if best >= FUZZY_MIN:
                hit, how = [lines[k]], "fuzzy"
    if not hit:
        return info
    hit = hit[:1] if how in ("exact", "contained", "fuzzy") else hit
    info.how = how
    info.sent_ids = tuple(ln.sent_id for ln in hit)
    info.labelled = any(ln.labelled for ln in hit)
    info.chains = frozenset().union(*(ln.chains for ln in hit if ln.labelled))
    return info


def one_story_settings() -> Settings | None:
    """Settings with story grouping off, or None when this version has no such switch."""
    fields = Settings.model_fields
    for name, value in ONE_STORY_FIELDS:
        if name in fields and fields[name].annotation in (bool, "bool"):
            return Settings(**{name: value})
    return None


def run_topic(topic: str, files: list[Path], lines: dict[str, list[Line]], settings: Settings,
              mode: str, judged: Judged | None = None) -> TopicResult:
    seen: list[str] = []
    with tempfile.TemporaryDirectory(prefix=f"ecb_folder_{topic}_") as tmp:
        for path in files:
            shutil.copyfile(path, Path(tmp) / path.name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report = compare([tmp], settings, warn=seen.append)
    doc_of = {s.id: Path(s.path).stem for s in report.sources}
    by_sub = collections.Counter(subtopic_of(d) for d in doc_of.values())
    stories = getattr(report, "stories", None)
    groups: list[GroupInfo] = []
    for g in report.claims:
        if g.support < 2:
            continue
        members = [map_member(doc_of[m.source], m.text, m.score, lines[doc_of[m.source]]) for m in g.members]
        subs = tuple(sorted({m.subtopic for m in members}))
        info = GroupInfo(g.text, g.support, subs, members)
        if info.mixed and judged is not None:
            info.verdict = judged.judge(info)
        groups.append(info)
    result = TopicResult(
        topic=topic, mode=mode, documents=len(report.sources), documents_by_subtopic=dict(sorted(by_sub.items())),
        claims=report.summary.claims, groups=len(groups), mixed=sum(g.mixed for g in groups),
        background=sum(g.verdict == "background" for g in groups),
        unjudged=sum(g.verdict == "unjudged" for g in groups),
        stories=len(stories) if stories is not None else None, mixed_stories=mixed_stories(stories, doc_of),
        members=sum(len(g.members) for g in groups),
        unmapped=sum(m.how == "unmapped" for g in groups for m in g.members),
        labelled_groups=0, labelled_pairs=0, chain_pairs=0, labelled_pairs_cross=0, chain_pairs_cross=0,
        warnings=len(seen), group_list=groups,
        mapped_by=dict(sorted(collections.Counter(m.how for g in groups for m in g.members).items())),
    )
    for g in groups:
        pairs = [(a, b) for a, b in combinations([m for m in g.members if m.labelled], 2) if a.doc != b.doc]
        result.labelled_groups += bool(pairs)
        for a, b in pairs:
            shared = bool(a.chains & b.chains)
            result.labelled_pairs += 1
            result.chain_pairs += shared
            if a.subtopic != b.subtopic:
                result.labelled_pairs_cross += 1
                result.chain_pairs_cross += shared
    return result


def mixed_stories(stories, doc_of: dict[str, str]) -> int | None:
    """How many of the report's stories hold documents of both sub-topics; None when the report has
    no stories or their sources cannot be read (the `stories` schema is the lead's to settle)."""
    if stories is None:
        return None
    count = 0
    for story in stories:
        sources = story.get("sources") if isinstance(story, dict) else getattr(story, "sources", None)
        if sources is None or any(s not in doc_of for s in sources):
            return None
        count += len({subtopic_of(doc_of[s]) for s in sources}) > 1
    return count


def share(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "n/a"


TOTAL_KEYS = ("documents", "claims", "groups", "mixed", "background", "unjudged", "members", "unmapped",
              "labelled_groups",
              "labelled_pairs", "chain_pairs", "labelled_pairs_cross", "chain_pairs_cross", "warnings")


def totals(results: list[TopicResult]) -> dict[str, int]:
    return {k: sum(getattr(r, k) for r in results) for k in TOTAL_KEYS}


def print_table(mode: str, results: list[TopicResult]) -> None:
    print(f"\n== mode: {mode} ==")
    print(f"{'topic':>5} {'docs':>7} {'claims':>6} {'groups>=2':>9} {'mixed':>5} {'backgr.':>7} {'errors':>6} "
          f"{'unjudged':>8} {'stories':>7} {'unmapped':>8} {'lab.groups':>10} {'lab.pairs':>9} {'same chain':>10}")
    rows = [(r.topic, f"{r.documents_by_subtopic.get('ecb', 0)}+{r.documents_by_subtopic.get('ecbplus', 0)}", r)
            for r in results]
    t = totals(results)
    for name, docs, r in rows + [("total", str(t["documents"]), None)]:
        f = t if r is None else {k: getattr(r, k) for k in TOTAL_KEYS}
        stories = "" if r is None else ("-" if r.stories is None else str(r.stories))
        if r is not None and r.stories is not None:
            stories += f"/{'?' if r.mixed_stories is None else r.mixed_stories}"
        print(f"{name:>5} {docs:>7} {f['claims']:>6} {f['groups']:>9} {f['mixed']:>5} {f['background']:>7} "
              f"{f['mixed'] - f['background'] - f['unjudged']:>6} {f['unjudged']:>8} {stories:>7} "
              f"{str(f['unmapped']) + '/' + str(f['members']):>8} {f['labelled_groups']:>10} "
              f"{f['labelled_pairs']:>9} {f['chain_pairs']:>10}")
    how = sum((collections.Counter(r.mapped_by) for r in results), collections.Counter())
    if any(r.stories is not None for r in results):
        print("stories: found / of them holding both sub-topics' documents ('?': sources not readable)")
    print(f"mixed groups (members from both sub-topics): {t['mixed']} of {t['groups']} groups with support >= 2; "
          f"judged by hand: {t['background']} state one background fact, "
          f"{t['mixed'] - t['background'] - t['unjudged']} join the two events, {t['unjudged']} not judged yet")
    print(f"labelled cross-document member pairs that share an event chain: {t['chain_pairs']}/"
          f"{t['labelled_pairs']} = {share(t['chain_pairs'], t['labelled_pairs'])}; of them across the two "
          f"sub-topics: {t['chain_pairs_cross']}/{t['labelled_pairs_cross']}")
    print("members mapped to document lines: " + ", ".join(f"{k} {v}" for k, v in sorted(how.items())))
    if t["warnings"]:
        print(f"warnings from compare (files skipped or read with a fallback): {t['warnings']}")


def print_groups(results: list[TopicResult], every: bool) -> None:
    for r in results:
        shown = [g for g in r.group_list if every or g.mixed]
        if not shown:
            continue
        print(f"\n-- topic {r.topic} ({r.mode}): {'all groups' if every else 'mixed groups'} --")
        for g in shown:
            tag = f"MIXED: {g.verdict}" if g.mixed else "ok"
            print(f"[{tag}] support {g.support}: {g.text}")
            print(f"    {'doc:sent_id':>21} {'score':>5} L=labelled")
            for m in g.members:
                where = ",".join(map(str, m.sent_ids)) if m.sent_ids else "?"
                print(f"    {m.doc:>14}:{where:<6} {m.score:5.1f} {'L' if m.labelled else ' '} {m.text}")


def to_json(results: dict[str, list[TopicResult]], split: str, skipped: list[str]) -> dict:
    out: dict = {"split": split, "modes_skipped": skipped, "modes": {}}
    for mode, rows in results.items():
        topics = []
        for r in rows:
            row = {k: v for k, v in asdict(r).items() if k != "group_list"}
            row["mixed_groups"] = [
                {"text": g.text, "support": g.support, "verdict": g.verdict,
                 "members": [{"doc": m.doc, "sent_ids": list(m.sent_ids), "labelled": m.labelled,
                              "mapped": m.how, "score": m.score, "text": m.text} for m in g.members]}
                for g in r.group_list if g.mixed
            ]
            topics.append(row)
        t = totals(rows)
        t["precision"] = t["chain_pairs"] / t["labelled_pairs"] if t["labelled_pairs"] else None
        how = sum((collections.Counter(r.mapped_by) for r in rows), collections.Counter())
        t["mapped_by"] = dict(sorted(how.items()))
        out["modes"][mode] = {"topics": topics, "totals": t}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--topics", help="comma-separated topic numbers (default: all of the split)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every group, not only mixed ones")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead")
    parser.add_argument("--semantic", action="store_true", help="group with the embedding backend (the semantic extra)")
    args = parser.parse_args(argv)
    if not (ECBPLUS / args.split / "docs").is_dir():
        print(f"Error: {ECBPLUS / args.split / 'docs'} not found (../shared must be beside the checkout)",
              file=sys.stderr)
        return 1
    files = topic_files(args.split)
    if args.topics:
        wanted = [t.strip() for t in args.topics.split(",") if t.strip()]
        missing = [t for t in wanted if t not in files]
        if missing:
            print(f"Error: topic(s) {', '.join(missing)} not in the {args.split} split "
                  f"(it has {', '.join(files)})", file=sys.stderr)
            return 2
        files = {t: files[t] for t in files if t in wanted}
    lines = read_lines(args.split)
    modes: list[tuple[str, Settings]] = [("default", Settings(semantic=args.semantic))]
    skipped: list[str] = []
    one = one_story_settings()
    if one is not None:
        modes.append(("one-story", one.model_copy(update={"semantic": args.semantic})))
    else:
        skipped.append("one-story (Settings has no story-grouping switch in this version)")
    judged = Judged.load()
    results = {mode: [run_topic(t, fs, lines, s, mode, judged) for t, fs in files.items()] for mode, s in modes}
    if args.json:
        print(json.dumps(to_json(results, args.split, skipped), indent=2, sort_keys=True))
        return 0
    print(f"ECB+ {args.split} folders: both sub-topics of each topic compared in one folder")
    for note in skipped:
        print(f"skipped mode: {note}")
    for mode, rows in results.items():
        print_table(mode, rows)
    for rows in results.values():
        print_groups(rows, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
