"""Who asserts each sentence: the outlet itself, a named or anonymous source, another outlet, a document.

Rule-based: a few compiled regexes find the attribution cues of English news ("X said", "...," said
X, "according to X", "citing X", "X told Reuters", "as stated by X to Y", "was quoted by X as saying",
"Per X,", "X: ..." and "... - officials" headlines, participles after the subject), and a small
classifier decides what kind of source each cue names. Every pattern is bounded or anchored on a
literal word, so the time is linear in the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import PurePath

from claimcheck.models import Attribution, Document

KINDS = ("reporter", "named", "anonymous", "outlet", "document")
# Bounds that keep the time linear on run-on text: characters of a sentence read, characters
# either side of a verb searched for its speaker, attribution verbs considered per sentence.
MAX_CHARS = 3000
WINDOW = 300
MAX_VERBS = 24

# --------------------------------------------------------------------------- outlets

# Canonical name -> the ways articles write it (the canonical spelling is always accepted).
# Acronyms are matched case-sensitively so "ap" or "ft" inside ordinary text never counts.
_OUTLET_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Reuters": ("Reuters", "Thomson Reuters"),
    "Associated Press": ("Associated Press", "AP", "AP News"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "Politico": ("Politico", "POLITICO", "Politico Europe"),
    "The Washington Post": ("Washington Post",),
    "The Washington Times": ("Washington Times",),
    "The New York Times": ("New York Times", "NYT", "NY Times"),
    "The Wall Street Journal": ("Wall Street Journal", "WSJ"),
    "Financial Times": ("Financial Times", "FT"),
    "The Times": ("Times of London", "The Times"),
    "The Guardian": ("Guardian",),
    "The Telegraph": ("Telegraph", "Daily Telegraph"),
    "The Independent": ("The Independent",),
    "The Economist": ("Economist",),
    "The Sun": ("The Sun",),
    "Daily Mail": ("Daily Mail", "Mail Online", "MailOnline"),
    "BBC": ("BBC", "BBC News", "BBC World Service"),
    "CNN": ("CNN",),
    "NBC News": ("NBC News", "NBC"),
    "CBS News": ("CBS News", "CBS"),
    "ABC News": ("ABC News",),
    "Fox News": ("Fox News",),
    "NPR": ("NPR",),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "Axios": ("Axios",),
    "The Hill": ("The Hill",),
    "Newsweek": ("Newsweek",),
    "Sky News": ("Sky News",),
    "Al Jazeera": ("Al Jazeera",),
    "Deutsche Welle": ("Deutsche Welle", "DW"),
    "Der Spiegel": ("Der Spiegel", "Spiegel"),
    "Bild": ("Bild",),
    "Le Monde": ("Le Monde",),
    "Le Figaro": ("Le Figaro",),
    "France 24": ("France 24",),
    "Euronews": ("Euronews",),
    "dpa": ("dpa", "DPA"),
    "ANSA": ("ANSA",),
    "EFE": ("EFE",),
    "UPI": ("UPI",),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap",),
    "Anadolu": ("Anadolu", "Anadolu Agency"),
    "Xinhua": ("Xinhua",),
    "TASS": ("TASS", "Tass", "ITAR-TASS"),
    "Interfax": ("Interfax", "Interfax-Ukraine"),
    "RIA Novosti": ("RIA Novosti", "RIA"),
    "RBC": ("RBC",),
    "Kommersant": ("Kommersant",),
    "Izvestia": ("Izvestia",),
    "Meduza": ("Meduza",),
    "Novaya Gazeta": ("Novaya Gazeta",),
    "The Moscow Times": ("Moscow Times",),
    "Ukrainska Pravda": ("Ukrainska Pravda", "Ukrainian Pravda"),
    "The Kyiv Independent": ("Kyiv Independent",),
    "Kyiv Post": ("Kyiv Post",),
    "Ukrinform": ("Ukrinform",),
    "UNIAN": ("UNIAN",),
    "Suspilne": ("Suspilne",),
    "Euromaidan Press": ("Euromaidan Press",),
    "Los Angeles Times": ("Los Angeles Times", "LA Times", "L.A. Times"),
    "Chicago Tribune": ("Chicago Tribune",),
    "Chicago Sun-Times": ("Chicago Sun-Times",),
    "USA Today": ("USA Today",),
    "The Boston Globe": ("Boston Globe",),
    "The Hollywood Reporter": ("Hollywood Reporter",),
    "The Tennessean": ("Tennessean",),
    "franceinfo": ("franceinfo", "France Info"),
    "Radio Free Europe/Radio Liberty": ("Radio Free Europe/Radio Liberty", "Radio Free Europe", "Radio Liberty",
                                        "RFE/RL"),
}
_SPELLING_TO_CANON = {s.lower(): c for c, spellings in _OUTLET_SPELLINGS.items() for s in (*spellings, c)}
_ALL_SPELLINGS = sorted({s for c, sp in _OUTLET_SPELLINGS.items() for s in (*sp, c)}, key=len, reverse=True)
# "The" is optional in front of every spelling; the longest spelling wins ("The Washington Times"
# before "The Times"). Case-sensitive on purpose: acronyms and capitalised names only.
_OUTLET_RE = re.compile(
    r"(?<![\w-])(?:[Tt]he\s+)?(" + "|".join(re.escape(s) for s in _ALL_SPELLINGS) + r")(?![\w-])"
)
# A news organisation named by what it is rather than by name ("the newspaper", "state media").
_GENERIC_OUTLET_RE = re.compile(
    r"\b(?:newspaper|daily|tabloid|broadsheet|magazine|news (?:agency|site|website|outlet|portal|service)|"
    r"press agency|wire service|outlet|publication|broadcaster|TV channel|channel|state media|state television|"
    r"state TV|media outlets?|media|journalists|reporters|correspondents?|the paper)$",
    re.I,
)


def outlets_in(text: str) -> tuple[str, ...]:
    """Canonical names of the news outlets `text` names, in order, each once."""
    seen: list[str] = []
    for m in _OUTLET_RE.finditer(text):
        canon = _SPELLING_TO_CANON[m.group(1).lower()]
        if canon not in seen:
            seen.append(canon)
    return tuple(seen)


@lru_cache(maxsize=4096)
def outlet_key(name: str) -> str:
    """A comparable key for an outlet name: the canonical outlet if known, else the name folded."""
    found = _OUTLET_RE.fullmatch(name.strip())
    if found:
        return _SPELLING_TO_CANON[found.group(1).lower()].lower()
    folded = re.sub(r"[^\w]+", " ", name.lower()).strip()
    return re.sub(r"^the ", "", folded)


def _self_names(publisher: str | None) -> frozenset[str]:
    """Keys under which a publisher refers to itself ("The Times" in The New York Times)."""
    if not publisher:
        return frozenset()
    keys = {outlet_key(publisher)}
    last = publisher.split()[-1] if publisher.split() else ""
    if last in ("Times", "Post", "Journal", "Guardian", "Telegraph", "Independent"):
        keys.add(outlet_key(f"The {last}"))
    return frozenset(keys)


# --------------------------------------------------------------------------- cues

_VERBS = (
    "said|says|say|saying|told|tells|tell|telling|added|adds|adding|stated|states|stating|reported|reports|"
    "report|reporting|quoted|quotes|quoting|confirmed|confirms|confirm|confirming|announced|announces|"
    "announcing|wrote|writes|write|writing|claimed|claims|claim|claiming|noted|notes|noting|explained|explains|"
    "emphasi[sz]ed|emphasi[sz]es|emphasi[sz]e|emphasi[sz]ing|stressed|stresses|argued|argues|argue|arguing|"
    "warned|warns|warn|warning|insisted|insists|insist|accused|accuses|accuse|denied|denies|deny|suggested|"
    "suggests|suggest|hinted|hints|informed|informs|clarified|clarifies|revealed|reveals|reveal|disclosed|"
    "acknowledged|admitted|admits|declared|declares|alleged|alleges|cited|cites|estimated|estimates|"
    "predicted|believes|believe|replied|responded|asserted|maintained|maintains|called|calls|"
    "show|shows|showed|found|finds|seen|described|describes|reckon|reckons|doubt|doubts|critici[sz]ed|"
    "critici[sz]es|pledged|vowed|promised|conceded|concedes|recalled|recalls|testified|testifies|countered|"
    "complained|complains|remarked|joked|quipped|lamented|boasted|fumed|siad"
)
# Not after a hyphen: "self-described", "co-wrote" are not attributions.
_VERB_RE = re.compile(rf"(?<![\w-])({_VERBS})\b")
# Verbs that only attribute when what precedes them is a document or an outlet ("the report found").
_DOC_VERBS = frozenset({"show", "shows", "showed", "found", "finds", "suggest", "suggests", "seen"})
# Forms that are also nouns: not a verb after a determiner or adjective ("no immediate reports").
_NOUN_LIKE = frozenset({"reports", "report", "claims", "claim", "states", "notes", "calls", "shows", "show",
                        "estimates", "cites", "quotes", "finds", "warning", "reporting", "writing", "seen"})
_NOUN_BEFORE = frozenset(
    "no any the a an these those this that some many several immediate recent new earlier unconfirmed media news "
    "initial first such its their his her our my your press local official previous latest other".split()
)
_PARTICIPLES = frozenset({"saying", "adding", "telling", "stating", "noting", "arguing", "claiming", "warning",
                          "insisting", "emphasising", "emphasizing", "writing", "announcing", "confirming"})
_NEGATION_RE = re.compile(
    r"\b(?:not|n't|never|no|declined to|refused to|did not|didn't|won't|would not|could not|cannot)\s+"
    r"(?:(?:immediately|explicitly|publicly|yet|directly|officially|independently|also)\s+){0,2}$",
    re.I,
)
# Auxiliaries and adverbs between the speaker and the verb ("has also repeatedly said").
_AUX_TAIL_RE = re.compile(
    r"(?:\s+(?:has|have|had|is|are|was|were|been|be|will|would|could|can|may|might|must|shall|should|did|does|"
    r"do|also|now|then|later|earlier|again|repeatedly|recently|previously|publicly|privately|first|quickly|"
    r"separately|reportedly|widely|separately|further|already|once|today|yesterday|appears to|appear to|"
    r"seems to|seem to|went on to|on \w+day|\w+day|(?-i:[a-z]{3,}ly)))+$",
    re.I,
)
_PASSIVE_RE = re.compile(r"\b(?:was|were|been|is|are|be|being)\s+(?:(?:\w+ly|also|not|then|later)\s+)?$", re.I)
_CLAUSE_CUT_RE = re.compile(
    r"(?:.*(?:[,;:(\"\u201c\u201d]|\s[-\u2013\u2014]\s|\s(?:that|which|who|whom|when|while|as|after|before|because|"
    r"since|but|where|if|though|although|until|whether|so)\s))?",
    re.S,
)
_AUX_WORDS = frozenset("has have had is are was were will would could can may might did does do be been".split())
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
_NOT_NP_START = frozenset(
    "in on at to of for with from by into about over under after before during since than as that which who "
    "whom whose when while where if because although though until whether so and but or nor not no it there "
    "this these those here then also is are was were has have had be been".split()
)
# Hearsay without a source: "is said to have", "it is understood that".
_HEARSAY_RE = re.compile(
    r"\b(?:[Ii]t is (?:understood|believed|thought|said)|(?:is|are|was|were) (?:said|understood|believed|thought|"
    r"rumou?red) to)\b"
)
_REPORTS_OF_RE = re.compile(r"\b(?:hearing|receiving|getting|seeing) reports\b")
_RIGHT_NP_RE = re.compile(
    r"\s*([\w'\u2019&/.$-]+(?:\s[\w'\u2019&/.$-]+){0,9}?)(?=\s*(?:[,.;:!?()\"\u201c\u201d]|$)|\s[-\u2013\u2014]\s|"
    r"\s(?:on|in|at|from|during|after|before|when|while|as|who|which|whose|that|to|last|this|earlier|late|"
    r"today|yesterday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|adding|saying|referring|"
    r"speaking|told|said|says|wrote|reported|according)\b)"
)
_ACCORDING_RE = re.compile(r"\b[Aa]ccording to\b")
_CITING_RE = re.compile(r"\b[Cc]iting\b")
_PER_RE = re.compile(r"^(?:[Pp]er|[Vv]ia)\s+")
_AGENT_RE = re.compile(
    r"\b(?:stated|said|told|reported|quoted|cited|confirmed|announced|revealed|disclosed|claimed)\s+by\b"
)
_AS_SAYING_RE = re.compile(r"\s+as\s+(?:saying|telling|stating|writing)\b")
_TO_OBJECT_RE = re.compile(r"^\s+to\b")
_OBJECT_CUES_RE = re.compile(
    r"\b(?:[Ii]n an? (?:interview|conversation|statement|comments?|remarks?) (?:with|to)|[Ss]peaking to|"
    r"[Ss]peaking with|[Ii]n comments to|[Tt]alking to|[Ww]riting (?:in|for))\b"
)
_COLON_HEAD_RE = re.compile(r"^([A-Z][\w.'\u2019&/ -]{0,40}?):\s+(?=\S)")
_COLON_SKIP = frozenset(
    "update updates exclusive breaking latest watch live opinion analysis explainer comment video photos read more "
    "editor's note correction factbox timeline here's what we know".split()
)
_DASH_TAIL_RE = re.compile(r"\s[-\u2013\u2014]\s*([A-Za-z][\w.' ]{1,40})$")
_QUOTE_ONLY_RE = re.compile(r"^[\"\u201c\u2018'][^\"\u201c\u201d]*[\"\u201d\u2019']?$")

# --------------------------------------------------------------------------- who is it?

_ANON_RE = re.compile(
    r"\b(?:officials?|sources?|people|persons?|diplomats?|insiders?|aides?|analysts?|experts?|observers?|"
    r"residents?|locals|witnesses|witness|staffers?|officers?|commanders?|soldiers?|lawmakers?|figures?|"
    r"spokespeople|someone|one of them|some of them|others|critics|opponents|supporters|campaigners|activists|"
    r"economists|scientists|researchers|historians|commentators|insiders|veterans|investors|traders|bankers|"
    r"spokesm[ae]n|spokeswom[ae]n|spokespersons?|representatives?|publicists?|managers?|eyewitness(?:es)?|"
    r"relatives?|friends?|associates|paramedics|neighbou?rs|colleagues|relatives|family members)\b",
    re.I,
)
_DOC_HEAD = frozenset(
    "statement statements report reports filing filings document documents papers post posts tweet tweets memo "
    "memos letter letters release press-release data figures survey poll study studies assessment assessments "
    "analysis footage video videos images photos record records transcript communique communiqué decree "
    "resolution bulletin notice indictment complaint lawsuit summary briefing dossier cable cables email emails "
    "message messages readout estimate estimates paper papers sign card banner website".split()
)
_DOC_CORE_CUT_RE = re.compile(
    r",|\s(?:by|from|of|on|in|at|for|filed|published|reviewed|shared|seen|released|issued|obtained|posted|cited)(?:\s|$)"
    r"|\s\w+ing\s"  # "the company managing the cables": the head comes before the participle
)
# Capitalised words that do not make a phrase a named source ("a senior White House official").
_CAP_MODIFIERS = frozenset(
    "a an the one two three four five six seven eight nine ten several some many other another second third "
    "senior us usa uk eu un nato whitehall downing street american ukrainian russian european western eastern british french german "
    "polish israeli chinese israeli iranian white house state department pentagon kremlin defence defense "
    "ministry military government administration intelligence security police army navy air force foreign "
    "federal national regional local republican democratic congressional israeli western allied official "
    "officials sources source people health fire rescue emergency hospital city county law enforcement his her "
    "their its our even also but and then now meanwhile however still".split()
)
_WORD_RE = re.compile(r"[\w'\u2019.&/-]+")


def _has_name(phrase: str) -> bool:
    """Does the phrase name a specific person or body (a capitalised word beyond stock modifiers)?"""
    words = _WORD_RE.findall(phrase)
    for w in words:
        bare = w.strip(".'\u2019").lower()
        if not w[:1].isupper() or bare in _CAP_MODIFIERS or bare.endswith(("'s", "\u2019s")) and \
                bare[:-2] in _CAP_MODIFIERS:
            continue
        if w.isupper() and len(w) <= 5:  # an acronym such as SBU or FSB: a body, not a person
            continue
        if _ANON_RE.fullmatch(bare):
            continue
        return True
    return False


# A news organisation by the shape of its name: "the Biloxi Sun Herald", "Anchorage Daily News",
# "the Post", "MyFoxHouston.com" (capitalised words, case-sensitive).
_PAPER_NAME_RE = re.compile(
    r"^(?:[Tt]he\s+)?(?:[A-Z][\w.'&-]*\s+){0,4}(?:Times|Post|Herald|Tribune|Journal|Gazette|News|Chronicle|"
    r"Telegraph|Observer|Globe|Star|Mirror|Express|Examiner|Inquirer|Courier|Dispatch|Register|Sun-Times|"
    r"Daily|Radio|Television|TV)(?:\s+(?:Group|Network|Service|Agency))?$"
)
_DOMAIN_NAME_RE = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|co\.uk|tv)$", re.I)
# The head of "a spokesman for the Federal Bureau ...", "officials at the ministry": what kind of source.
_HEAD_CUT_RE = re.compile(r"\s(?:for|of(?!\s+(?:them|those|us)\b)|at|with|from|in|familiar|close|who|which)\s")
# "authorities" alone are unnamed; "Ukrainian authorities" are a named body.
_UNQUALIFIED_RE = re.compile(r"^(?:the\s+)?authorities(?:\s+there)?$", re.I)
_WEB_DOC_RE = re.compile(r"(?:'s|\u2019s)\s+(?:\w+\s+)?(?:web\s?site|website|page|account|feed)$", re.I)


@lru_cache(maxsize=8192)
def classify(phrase: str) -> str:
    """The kind of source a noun phrase names: named, anonymous, outlet, document, or pronoun."""
    p = phrase.strip(" \"'\u201c\u201d\u2018\u2019")
    low = p.lower()
    if low in _PRONOUNS:
        return "pronoun"
    core = _DOC_CORE_CUT_RE.split(p)[0].strip()
    if outlets_in(p) or _GENERIC_OUTLET_RE.search(core) or _PAPER_NAME_RE.match(core) \
            or _DOMAIN_NAME_RE.match(core):
        return "outlet"
    last = core.split()[-1].lower().strip(".,") if core.split() else ""
    if last in _DOC_HEAD or _WEB_DOC_RE.search(p):
        return "document"
    if low.startswith(("he ", "she ")):  # "He and Ukrainian government officials": a named person leads
        return "named"
    head = _HEAD_CUT_RE.split(" ".join(p.split(",")[0].split()[:6]))[0]
    if _UNQUALIFIED_RE.match(head) or _ANON_RE.search(head) and not _has_name(head):
        return "anonymous"
    return "named"


def _clean_np(np: str) -> str:
    """The phrase without surrounding punctuation, quotes and a leading conjunction."""
    np = np.strip(" ,;:.\"'\u201c\u201d\u2018\u2019()[]-\u2013\u2014")
    np = re.sub(r"^(?:and|but|or|so|then)\s+", "", np, flags=re.I)
    return np.strip()


_NP_OPENERS = frozenset(
    "a an the one two three four five several some many he she they police authorities state regional local "
    "senior western military government company court satellite footage data emergency rescuers doctors "
    "prosecutors investigators alliance nobody".split()
)


def _valid_np(np: str) -> bool:
    """Could this be a speaker phrase (short, no auxiliary verb, opening like a noun phrase)?"""
    words = np.split()
    if not words or len(words) > 12:
        return False
    if any(w.lower() in _AUX_WORDS for w in words):
        return False
    first = words[0]
    if len(words) <= 6 and first.lower() not in _NOT_NP_START:
        return True
    # A longer phrase must open like a noun phrase: a capital, a number, a determiner, a plural noun.
    return first[:1].isupper() or first[:1].isdigit() or first.lower() in _NP_OPENERS or \
        _ANON_RE.match(first) is not None or first.lower().endswith(("ists", "ers", "ors", "ians"))


def _left_np(text: str) -> str | None:
    """The speaker phrase ending just before a verb: the last clause's subject, appositives skipped."""
    left = _AUX_TAIL_RE.sub("", text.rstrip())
    rel = re.search(r",?\s+(?:which|who)$", left)
    if rel:  # "the Associated Press, which reports": the phrase before the relative pronoun
        left = left[:rel.start()]
    if left.endswith(","):
        # "X, citing Y, said" / "Maria Zakharova, ..." : an appositive closes just before the verb.
        parts = left.split(",")
        if len(parts) >= 3:
            apposition = _clean_np(parts[-2])
            name = _clean_np(parts[-3])
            if _looks_like_name(name) and not _looks_like_name(apposition) and len(parts) == 3:
                return name  # "Wolfgang Schaeuble, Germany's finance minister, called"
            if apposition and apposition[:1].isupper() and _valid_np(apposition) and classify(apposition) == "named" \
                    and not re.match(r"(?:citing|including|speaking|who|which|whose)\b", apposition, re.I):
                return apposition
            before = parts[-3]
            cut = _CLAUSE_CUT_RE.match(before)
            np = _clean_np(before[cut.end():] if cut else before)
            return np if _valid_np(np) else None
        return None
    rel = _RELATIVE_RE.search(left)
    if rel:  # "the officials who spoke on condition of anonymity said": the phrase before "who"
        return _left_np(left[:rel.start()])
    cut = _CLAUSE_CUT_RE.match(left)
    np = _clean_np(left[cut.end():] if cut else left)
    if len(np.split()) > 10:
        return None
    return np if _valid_np(np) else None


_RELATIVE_RE = re.compile(r"\s(?:who|whom)\s[^,;\"]*$")


_NAME_PARTICLES = frozenset("de da del der di du la le van von bin al el ibn".split())


def _looks_like_name(np: str) -> bool:
    """A proper name: two to five words, each capitalised (or a particle such as "van", "al")."""
    words = np.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words) \
        and not any(w.lower().strip(".,'") in _ORG_WORDS for w in words)


def _right_np(text: str) -> str | None:
    """The speaker phrase starting just after a verb ("..., said one U.S. official on Thursday")."""
    m = _RIGHT_NP_RE.match(text)
    if not m:
        return None
    np = _clean_np(m.group(1))
    return np if _valid_np(np) else None


def _upto_boundary(text: str) -> str | None:
    """A phrase from here to the next comma, full stop or bracket (for "according to X", "citing X")."""
    m = re.match(r"\s*([^,.;:()\[\]!?]{1,160}?)\s*(?:[,.;:()\[\]!?]|$)", text)
    if not m:
        return None
    np = _clean_np(m.group(1))
    np = re.split(r"\s(?:who|which|that)\s", np)[0]
    return np or None


def _subject(text: str) -> str | None:
    """The sentence's leading noun phrase (its grammatical subject, roughly)."""
    words = []
    for w in text.split():
        bare = w.strip(",;:")
        if bare.lower() in _AUX_WORDS or bare.lower().endswith("n't") or \
                (bare.islower() and (bare.endswith("ed") or _VERB_RE.fullmatch(bare))):
            break
        words.append(bare)
        if w.endswith((",", ";", ":")) or len(words) >= 8:
            break
    np = _clean_np(" ".join(words))
    return np if np and _valid_np(np) else None


# --------------------------------------------------------------------------- per sentence

_ABBREV_DOTS_RE = re.compile(r"\b(?:[A-Z]\.){2,}")
_TITLE_DOT_RE = re.compile(r"\b(Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|St|Prof|Sgt|Capt|Adm|Maj|Jr|Sr|No)\.")
_INITIAL_RE = re.compile(r"\b([A-Z])\.(?=\s+[A-Z])")


_NICKNAME_RE = re.compile(r"(?<=[A-Z][a-z]) \(([A-Z][\w.'-]*)\) (?=[A-Z])")
_PARTY_TAG_RE = re.compile(r",\s+[DRI]-[A-Z][A-Za-z.]*,")


def _prepare(text: str) -> str:
    text = _NICKNAME_RE.sub(r" \1 ", text)  # "Adam (Pacman) Jones"
    text = _PARTY_TAG_RE.sub("", text.replace("``", '"').replace("''", '"').replace("`", '"'))  # ``AP style''
    t = (text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
         .replace("\u00a0", " "))
    t = _ABBREV_DOTS_RE.sub(lambda m: m.group(0).replace(".", ""), t)
    t = _TITLE_DOT_RE.sub(r"\1", t)
    return _INITIAL_RE.sub(r"\1", t)


class _Cue:
    __slots__ = ("pos", "np", "role")

    def __init__(self, pos: int, np: str, role: str) -> None:
        self.pos, self.np, self.role = pos, np, role


# '..., "Bush said.' / '..., "said Sgt Earley': the mark closes a quote, an attribution follows.
_CLOSES_RE = re.compile(rf'"\s*(?:[^".!?"]{{0,60}}?\s)?(?:{_VERBS})\b')


def _quoted(t: str) -> list[tuple[int, int]]:
    """The spans of `t` inside quotation marks. An odd mark opens a quote that runs on to the end
    when the sentence starts with it, else closes one opened in an earlier sentence."""
    marks = [i for i, ch in enumerate(t) if ch == '"']
    if len(marks) % 2:
        # '..., "said X' closes a quote opened before; '..., he said, "We will' opens one.
        closes = [i for i in marks if _CLOSES_RE.match(t, i)]
        if closes and not t.lstrip().startswith('"'):
            marks.insert(0, 0)
        else:
            marks.append(len(t))
    return list(zip(marks[::2], marks[1::2], strict=True))


def _cues(t: str) -> list[_Cue]:
    """The attribution cues of a prepared sentence, in order; none inside a quotation (the
    speaker's own words: "This new data shows ...," the minister said)."""
    quoted = _quoted(t)
    return [c for c in _all_cues(t) if not any(a < c.pos < b for a, b in quoted)]


def _all_cues(t: str) -> list[_Cue]:
    cues: list[_Cue] = []
    # "X: ..." headlines and live-blog lines; "Per X," openers.
    m = _COLON_HEAD_RE.match(t)
    if m and m.group(1).lower().strip() not in _COLON_SKIP and len(m.group(1).split()) <= 4:
        np = _clean_np(m.group(1))
        if _valid_np(np) and not _VERB_RE.search(np):
            cues.append(_Cue(0, np, "colon"))
    m = _PER_RE.match(t)
    if m:
        np = _upto_boundary(t[m.end():m.end() + WINDOW])
        if np and classify(np) == "outlet":
            cues.append(_Cue(0, np, "according"))
    for m in _ACCORDING_RE.finditer(t):
        np = _upto_boundary(t[m.end():m.end() + WINDOW])
        if np:
            cues.append(_Cue(m.start(), np, "according"))
    for m in _CITING_RE.finditer(t):
        np = _upto_boundary(t[m.end():m.end() + WINDOW])
        if np:
            cues.append(_Cue(m.start(), np, "via"))
    for m in _OBJECT_CUES_RE.finditer(t):
        np = _right_np(t[m.end():m.end() + WINDOW])
        if np and classify(np) == "outlet":
            cues.append(_Cue(m.start(), np, "object"))
    for m in _AGENT_RE.finditer(t):
        if _NOTHING_RE.match(t):  # "No further details were reported by authorities"
            break
        rest = t[m.end():m.end() + WINDOW]
        np = _right_np(rest)
        if not np:
            continue
        cues.append(_Cue(m.start(), np, "speaker"))
        after = rest[rest.find(np) + len(np):]
        to = _TO_OBJECT_RE.match(after)
        if to:
            obj = _right_np(after[to.end():])
            if obj and classify(obj) == "outlet":
                cues.append(_Cue(m.start() + 1, obj, "object"))
        # "He was quoted by Interfax": the subject is the outlet's source.
        subject = _left_np(t[max(0, m.start() - WINDOW):m.start()].rstrip())
        if subject and _PASSIVE_RE.search(t[max(0, m.start() - WINDOW):m.start()]):
            cues.append(_Cue(m.start() + 2, subject, "via"))
    for count, m in enumerate(_VERB_RE.finditer(t)):
        if count >= MAX_VERBS:
            break
        verb = m.group(1)
        # A speaker stands next to its verb: bounded windows keep each cue's work constant.
        before, after = t[max(0, m.start() - WINDOW):m.start()], t[m.end():m.end() + WINDOW]
        if re.match(r"\s+by\b", after):  # handled as an agent cue
            continue
        if (_NOT_A_CUE_AFTER_RE.match(after) and verb in ("reported", "told", "tells")) \
                or (verb == "responded" and re.match(r"\s+to\s", after)) or _RELATIVE_SPEAKER_RE.search(before):
            continue  # "the only one reported so far", "responded to", "told them", "which Chiang said"
        if verb in ("added", "adds", "adding") and re.match(r"\s+(?:\d|an?\s|another\s|one\s|two\s|three\s)", after):
            continue  # "Rice added 14 points"
        prev_word = before.split()[-1].lower().strip(",\"'") if before.split() else ""
        if verb in _NOUN_LIKE and prev_word in _NOUN_BEFORE:
            continue
        if verb in ("called", "calls") and not re.match(r"\s+(?:for|to|on)\b", after) \
                and not _CALLED_X_A_RE.match(after):
            continue
        if verb == "seen" and not re.search(r"\b(?:has|have|had)\s+$", before):
            continue
        if _NEGATION_RE.search(before):
            continue
        if verb == "quoted" and _PASSIVE_RE.search(before) and _AS_SAYING_RE.match(after):
            np = _left_np(before)  # "Governor Mehdi Irannejad was quoted as saying"
            if np:
                cues.append(_Cue(m.start(), np, "speaker"))
            continue
        if (verb.endswith("ed") or verb in ("told", "said", "wrote", "found", "seen")) and _PASSIVE_RE.search(before):
            if verb == "reported" and _MEDIA_PASSIVE_RE.search(before):  # "it was reported": other media
                cues.append(_Cue(m.start(), "", "passive"))
            continue
        if re.search(r"\b(?:to|will|would|could|may|might|can|should|must)\s+$", before) and verb in (
                "say", "tell", "confirm", "report", "claim", "deny", "warn", "write", "argue", "insist", "accuse",
                "reveal", "show", "suggest"):
            # "to confirm", "could show": not an assertion, unless a document subject ("appears to show").
            if not re.search(r"\b(?:appears?|seems?)\s+to\s+$", before):
                continue
        if verb in _PARTICIPLES or verb == "reporting" and not re.search(r"\b(?:is|are|was|were)\s+$", before):
            if re.search(r",\s*$", before) or before.strip() == "":
                subj = _subject(t)
                if subj:
                    cues.append(_Cue(m.start(), subj, "speaker"))
            continue
        if re.search(r"\"\s*$", before) or not before.strip():  # '"...," said X' / 'Says X'
            np = _right_np(after) or _left_np(before)
        elif _COORDINATED_RE.search(before):  # "Nichols confessed ... but said": the clause's subject
            np = _clause_subject(t[:m.start()])
        elif re.search(r",\s*$", before):  # "X, citing Y, said" or "..., said X"
            np = _after_quote(before) or _apposed_subject(t[:m.start()]) or _closing_np(after) or \
                _left_np(before) or _right_np(after)
        else:
            np = _left_np(before)
        if np is None:
            continue
        if _BODY_BACK_RE.match(np):  # "The Texas Department of ... has made ..., the agency announced"
            subj = _subject(t)
            if subj and classify(subj) == "named" and not _is_person(subj) and is_speaker(subj):
                np = subj
        kind = classify(np)
        if verb in _DOC_VERBS and kind not in ("document", "outlet"):
            continue
        cues.append(_Cue(m.start(), np, "speaker"))
        # "X confirmed her death to the Associated Press", "X said in a statement to Reuters".
        to = _TO_OUTLET_RE.match(after)
        if to and verb not in ("told", "tells") and _OUTLET_RE.match(after[to.end():]):
            cues.append(_Cue(m.end(), _OUTLET_RE.match(after[to.end():]).group(0), "object"))
        # "X told Reuters", "X informed Politico", "X cited/quoted Y as saying".
        if verb in ("told", "tells", "informed", "informs", "quoted", "quotes", "cited", "cites"):
            obj_m = _AS_SAYING_RE.search(after[:160])
            named_obj = _OUTLET_RE.match(after.lstrip())
            if named_obj:
                obj = named_obj.group(0)
            else:
                obj = _right_np(after[:obj_m.start()] + ",") if obj_m else _right_np(after)
            if obj:
                ok = classify(obj)
                if verb in ("quoted", "quotes", "cited", "cites") and obj_m:
                    cues.append(_Cue(m.end(), obj, "via"))
                elif ok == "outlet":
                    cues.append(_Cue(m.end(), obj, "object"))
    # "Headline - officials" / "... – Official"
    if not t.rstrip().endswith((".", "?", "!", '"')):
        m = _DASH_TAIL_RE.search(t)
        if m:
            np = _clean_np(m.group(1))
            if _valid_np(np) and len(np.split()) <= 4:
                cues.append(_Cue(m.start(), np, "speaker"))
    cues.sort(key=lambda c: c.pos)
    return cues


_CALLED_X_A_RE = re.compile(r"\s+(?!an?\s)(?:the\s+)?[\w'.-]+(?:\s+[\w'.-]+){0,3}?\s+(?:an?|the)\s+\S")
_CLOSING_RE = re.compile(
    r"\s*(?:[.,;!?)]|$|\s(?:on|in|at|last|this|earlier|late|today|yesterday|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday)\b)")


def _closing_np(after: str) -> str | None:
    """'..., said Sgt Marty Earley.': a speaker phrase that ends the sentence (or its clause)."""
    m = _RIGHT_NP_RE.match(after)
    if not m or not _CLOSING_RE.match(after[m.end():]):
        return None
    np = _clean_np(m.group(1))
    return np if _valid_np(np) and is_speaker(np) else None


def _clause_subject(text: str) -> str | None:
    """The subject of the clause a coordinated verb shares ("LaRue called X ... and insisted"):
    the subject after the last comma that opens a clause (a capital follows), else the sentence's."""
    for m in reversed(list(re.finditer(r",\s+(?=[A-Z])", text))):
        subj = _subject(text[m.end():])
        if subj and is_speaker(subj):
            return subj
    subj = _subject(text)
    return subj if subj and is_speaker(subj) else None


_BODY_BACK_RE = re.compile(r"^the (?:agency|company|ministry|department|organi[sz]ation|firm|bank|group)$", re.I)
_TO_OUTLET_RE = re.compile(r"\s+(?:[\w']+\s+){0,4}?to\s+(?=(?:[Tt]he\s+)?[A-Z])")
_NOTHING_RE = re.compile(r"^(?:No|None|Nothing|Neither)\b")
# After the verb: "reported so far" (a count, not a report), "responded to", "told them" (narrative).
_NOT_A_CUE_AFTER_RE = re.compile(r"\s+(?:so far|to date|them\b|him\b|her\b|fellow\b)")
# "The view screens, which Chiang said were ...": an aside inside the reporter's own sentence.
_RELATIVE_SPEAKER_RE = re.compile(r"\bwhich\s+(?:[A-Z][\w.'-]*\s+){1,3}(?:[a-z]+ly\s+)?$")
_COORDINATED_RE = re.compile(r"\s(?:and|but)\s+(?:also\s+|later\s+|then\s+)?$")
_MEDIA_PASSIVE_RE = re.compile(
    r"(?:\b(?:[Ii]t|as)\s+(?:has\s+|had\s+)?(?:been|was|is)\s+(?:\w+ly\s+)?|\b(?:widely|previously|first)\s+)$")
_APPOSED_RE = re.compile(r"^([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,4}),\s+(?:who|whose|a|an|the|one|his|her)\s")


def _after_quote(before: str) -> str | None:
    """'"...," Dr Duane J Gubler, the head of ..., said': the name right after the quote."""
    if '"' not in before:
        return None
    seg = before[before.rfind('"') + 1:]
    m = re.match(r"\s*([A-Z][\w.' -]{1,60}?),", seg)
    if m and seg.count(",") >= 2:
        np = _clean_np(m.group(1))
        return np if _valid_np(np) and classify(np) == "named" else None
    return None


def _apposed_subject(text: str) -> str | None:
    """"Okumura, who was one of the doctors ..., said": the name the sentence opens with."""
    m = _APPOSED_RE.match(text)
    np = _clean_np(m.group(1)) if m else None
    return np if np and is_speaker(np) else None


# --------------------------------------------------------------------------- speakers

# Sentences back that "he said" looks for the person it stands for.
LOOKBACK = 3
_ORG_WORDS = frozenset(
    "ministry department office agency police party government council commission committee company corporation "
    "corp inc ltd group bureau service authority authorities university court navy army force forces union "
    "association organization organisation institute center centre foundation administration team club church "
    "hospital network station board state states republic kingdom alliance coalition command centers fund bank "
    "embassy parliament congress senate house assembly commission secretariat federation league movement front "
    "brigade regiment guard guards council ministry's".split()
)
_PLURAL_PRONOUNS = frozenset({"they", "we"})
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve dozen dozens hundred hundreds thousand "
    "thousands million millions billion half".split()
)
# Single words that open a phrase but never name a speaker ("Preliminary figures ...").
_NOT_SPEAKER_WORDS = frozenset(
    "preliminary initial early final latest new recent further more other such first last next previous "
    "additional separate earlier later".split()
)
_PLACES = frozenset(
    "afghanistan albania algeria america angola argentina armenia australia austria azerbaijan bahrain bangladesh "
    "belarus belgium bolivia bosnia brazil britain bulgaria burma cambodia cameroon canada chad chile china "
    "colombia congo croatia cuba cyprus czechia denmark ecuador egypt england eritrea estonia ethiopia europe "
    "finland france georgia germany ghana greece guatemala haiti honduras hungary iceland india indonesia iran "
    "iraq ireland israel italy jamaica japan jordan kazakhstan kenya korea kosovo kuwait kyrgyzstan laos latvia "
    "lebanon liberia libya lithuania luxembourg macedonia madagascar malaysia mali malta mexico moldova mongolia "
    "montenegro morocco mozambique myanmar namibia nepal netherlands nicaragua niger nigeria norway oman pakistan "
    "palestine panama paraguay peru philippines poland portugal qatar romania russia rwanda scotland senegal "
    "serbia singapore slovakia slovenia somalia spain sudan sweden switzerland syria taiwan tajikistan tanzania "
    "thailand tunisia turkey turkmenistan uganda ukraine uruguay uzbekistan venezuela vietnam wales yemen zambia "
    "zimbabwe africa asia antarctica oceania uk us usa u.s. u.k. new_zealand south_africa north_korea "
    "south_korea saudi_arabia sri_lanka united_states united_kingdom hong_kong el_salvador costa_rica "
    "latin_america middle_east gaza west_bank crimea donbas ala ariz ark calif colo conn del fla ga ill ind kan ky "
    "la md mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo".split()
)


def _is_place(np: str) -> bool:
    bare = re.sub(r"^the\s+", "", np.strip(), flags=re.I).lower().replace(" ", "_")
    return bare in _PLACES


def is_speaker(np: str) -> bool:
    """Whether a phrase can name who speaks: a person, an organisation or a group of people;
    never a place, a number, a clause led by a pronoun or a conjunction, or a fragment."""
    words = np.split()
    if not words:
        return False
    low = [w.lower().strip(".,;:'\"()") for w in words]
    if len(words) == 1 and low[0] in _PRONOUNS:
        return True  # "he said": resolved to the person it stands for
    if (low[0] in _PRONOUNS and low[1] != "and") or low[0] in _NOT_NP_START or low[0] in _CONTRACTIONS:
        return False  # "I am confident that we", "This whole incident", "When those attempts"
    if low[0].endswith("ing") and words[0][:1].isupper() and len(words) > 1:
        return False  # "Watching the documentary", "Having told everyone"
    if all(w in _NUMBER_WORDS or w.replace(",", "").replace(".", "").isdigit() for w in low):
        return False
    if _is_place(np):
        return False
    if len(words) == 1 and (low[0] in _NOT_SPEAKER_WORDS or low[0].endswith("ly") or low[0] in _OPENERS):
        return False
    if len(words) == 1 and words[0][:1].islower() and not _ANON_RE.fullmatch(words[0]) \
            and low[0] not in _GROUP_WORDS and not _GENERIC_OUTLET_RE.search(words[0]):
        return False
    return True


_OPENERS = frozenset("having being following including speaking asked according despite".split())
_CONTRACTIONS = frozenset("it's that's here's what's there's let's".split())
_GROUP_WORDS = frozenset("police prosecutors investigators rescuers doctors firefighters troops protesters".split())


def _is_person(who: str) -> bool:
    """A named person rather than a body: capitalised words, none of them an organisation's."""
    words = [w.strip(".,'\"()") for w in who.split()]
    low = [w.lower() for w in words]
    if not words or any(w in _ORG_WORDS for w in low) or _is_place(who) or classify(who) != "named":
        return False
    if len(words) == 1 and words[0].isupper():  # an acronym: ISIS, NATO, NYPD
        return False
    return any(w[:1].isupper() and w.lower() not in _CAP_MODIFIERS for w in words)


def _fits(pronoun: str, kind: str, who: str | None) -> bool:
    """Whether `pronoun` can stand for the source `who` of kind `kind`."""
    if not who or who.lower() in _PRONOUNS or not is_speaker(who):
        return False
    if pronoun in ("he", "she", "i"):
        if kind == "anonymous":
            return not who.lower().endswith("s")  # "a senior official", not "officials"
        return kind == "named" and _is_person(who)
    if pronoun in _PLURAL_PRONOUNS:
        return kind == "anonymous" and who.lower().endswith("s") or kind == "named" and not _is_person(who)
    return kind in ("named", "document") and not _is_person(who)  # "it said": a body or its statement


def _named_in(subject: str, texts: Sequence[str]) -> bool:
    """A sentence's subject that is a person's name: a proper name ("Antonis Samaras"), or one
    capitalised word the texts also write capitalised inside a sentence ("... said Samaras")."""
    if _looks_like_name(subject):
        return True
    words = subject.split()
    if len(words) == 2 and words[0].rstrip(".") in ("Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen"):
        return True
    return len(words) == 1 and words[0][:1].isupper() and any(
        re.search(rf"\S\s+{re.escape(words[0])}\b", text) for text in texts)


def _antecedent(pronoun: str, previous: Sequence[Attribution], context: Sequence[str]) -> tuple[str, str] | None:
    """The source a pronoun stands for: the nearest earlier speaker it fits (a relay's source
    counts: "Sinha told CNN"), or the nearest earlier sentence's subject when that is a person."""
    texts = list(context)[-LOOKBACK:]
    for back in range(1, min(LOOKBACK, len(previous)) + 1):
        att = previous[-back]
        candidates = [(att.kind, att.who)]
        if att.kind == "outlet":
            candidates += [("named", v) for v in att.via]
        for kind, who in candidates:
            if who and _fits(pronoun, classify(who) if kind == "outlet" else kind, who):
                return (classify(who) if kind == "outlet" else kind), who
        if back <= len(texts) and pronoun in ("he", "she"):
            subj = _clause_subject(_prepare(texts[-back]))
            if subj and _named_in(subj, texts) and _fits(pronoun, "named", subj):
                return "named", subj
    return None


def _split_via(np: str) -> list[str]:
    parts = [p for p in (_clean_np(x) for x in re.split(r"\s+and\s+", np)) if p]
    if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
        return parts
    return [_clean_np(np)]


def _as_written(phrase: str | None, text: str) -> str | None:
    """`phrase` (found in the prepared text) as the sentence spells it: "U.S." where we read "US"."""
    if not phrase or len(phrase) > 200 or phrase in text:
        return phrase
    pattern = "".join(re.escape(ch) + (r"\.?" if ch.isalpha() else "") for ch in phrase[:-1]) + re.escape(phrase[-1])
    if re.search(r"\b[A-Z]$", phrase):  # "the U.S." read as "the US"
        pattern += r"\.?"
    pattern = pattern.replace("'", "['\u2019]").replace('\\"', '["\u201c\u201d]')
    m = re.search(pattern, text[:MAX_CHARS])
    return m.group(0) if m else phrase


def attribute(text: str, *, publisher: str | None = None,
              previous: Sequence[Attribution] = (), context: Sequence[str] = ()) -> Attribution:
    """Who asserts `text`: the attribution cue it gives, or the reporter's own voice.

    `publisher` is the outlet that printed the sentence (its references to itself are its own
    voice); `previous` holds the attributions of the sentences before it in the same document,
    nearest last, and `context` the texts of the last few of them, to resolve "he said" (to the
    nearest person named as a speaker or subject) and quote-only continuations.
    """
    att = _attribute(text, publisher, previous, context)
    if att.who is None and not att.via:
        return att
    return att.model_copy(update={"who": _as_written(att.who, text),
                                  "via": tuple(_as_written(v, text) or v for v in att.via)})


def _attribute(text: str, publisher: str | None, previous: Sequence[Attribution],
               context: Sequence[str] = ()) -> Attribution:
    """`attribute` on the prepared text (spellings as read, not as written)."""
    t = _prepare(text[:MAX_CHARS])
    selves = _self_names(publisher)
    outlet_cues: list[tuple[_Cue, tuple[str, ...]]] = []
    others: list[_Cue] = []
    passive = False
    for cue in _cues(t):
        if cue.role == "passive":
            passive = True
            continue
        if not is_speaker(cue.np):
            continue
        kind = classify(cue.np)
        if re.match(r"(?:our|we)\b", cue.np, re.I):
            continue  # "our correspondent says": the publisher's own reporting
        if kind == "outlet":
            named = outlets_in(cue.np)
            if named and all(outlet_key(o) in selves for o in named):
                continue  # the publisher citing itself: its own voice
            if not named and cue.role == "object":
                continue
            outlet_cues.append((cue, tuple(o for o in named if outlet_key(o) not in selves)))
        else:
            others.append(cue)

    def resolve(np: str) -> tuple[str, str]:
        kind = classify(np)
        if kind != "pronoun":
            return kind, np
        return _antecedent(np.lower(), previous, context) or ("named", np)

    if outlet_cues:
        cue, names = outlet_cues[0]
        via: list[str] = []
        for other in others:
            who = resolve(other.np)[1]
            for part in _split_via(who):
                if part and part not in via and part != cue.np:
                    via.append(part)
        return Attribution(kind="outlet", who=_clean_np(cue.np), via=tuple(via), outlets=names)
    speakers = [c for c in others if c.role in ("speaker", "according", "colon")]
    if speakers:
        first = speakers[0]
        kind, who = resolve(first.np)
        via = tuple(resolve(c.np)[1] for c in others if c is not first and c.role == "via")
        return Attribution(kind=kind, who=who, via=via)  # type: ignore[arg-type]
    if passive or _REPORTS_OF_RE.search(t):
        return Attribution(kind="outlet", who=None)
    if _HEARSAY_RE.search(t):
        return Attribution(kind="anonymous", who=None)
    if _QUOTE_ONLY_RE.match(t.strip()) and previous:
        last = previous[-1]
        if last.kind in ("named", "anonymous"):
            return last
    if others:  # only a "citing X": the reporter cites X
        kind, who = resolve(others[0].np)
        return Attribution(kind=kind, who=who)  # type: ignore[arg-type]
    return Attribution()


def attribute_document(sentences: Sequence[str], *, publisher: str | None = None) -> list[Attribution]:
    """Attributions of one document's sentences in order, pronouns resolved to earlier speakers."""
    out: list[Attribution] = []
    for i, text in enumerate(sentences):
        out.append(attribute(text, publisher=publisher, previous=out, context=sentences[max(0, i - LOOKBACK):i]))
    return out


# Every outlet spelling, bare (no "The", no word boundaries): a sentence whose text, read as
# `attribute` reads it, contains none of them cannot be attributed to a named outlet.
_ANY_SPELLING_RE = re.compile("|".join(re.escape(s) for s in _ALL_SPELLINGS))
_SUBJECT_GAPS_RE = re.compile(r"[,;:\s]+")


def may_name_outlet(text: str) -> bool:
    """False only when `attribute(text)` cannot name an outlet (`outlets` empty), whatever the context.

    A cheap test for callers that only need the outlet attributions: every phrase the rules
    classify is a piece of the prepared text, or its words joined by single spaces.
    """
    return _ANY_SPELLING_RE.search(_SUBJECT_GAPS_RE.sub(" ", _prepare(text[:MAX_CHARS]))) is not None


class DocumentAttributions(Sequence[Attribution]):
    """`attribute_document` computed on demand: each sentence's attribution when first asked
    for, memoised, with the earlier sentences it depends on ("he said") computed as it reads them.

    Equal, item for item, to `attribute_document(sentences, publisher=publisher)`.
    """

    # Nested look-ups deeper than this fill the prefix in order instead (no deep recursion).
    MAX_DEPTH = 32

    def __init__(self, sentences: Sequence[str], *, publisher: str | None = None) -> None:
        self._texts = list(sentences)
        self._publisher = publisher
        self._done: list[Attribution | None] = [None] * len(self._texts)
        self._prefix = 0  # sentences [0, _prefix) are all computed
        self._depth = 0

    def __len__(self) -> int:
        return len(self._texts)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._get(k) for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._get(i)

    def _get(self, i: int) -> Attribution:
        done = self._done[i]
        if done is not None:
            return done
        if self._depth >= self.MAX_DEPTH:
            while self._prefix < i:  # every earlier sentence is ready when its turn comes
                self._get_flat(self._prefix)
        self._depth += 1
        try:
            att = attribute(self._texts[i], publisher=self._publisher, previous=_Before(self, i),
                            context=self._texts[max(0, i - LOOKBACK):i])
        finally:
            self._depth -= 1
        self._done[i] = att
        while self._prefix < len(self) and self._done[self._prefix] is not None:
            self._prefix += 1
        return att

    def _get_flat(self, i: int) -> None:
        if self._done[i] is None:
            depth, self._depth = self._depth, 0
            try:
                self._get(i)
            finally:
                self._depth = depth
        self._prefix = max(self._prefix, i + 1)


class _Before(Sequence[Attribution]):
    """The attributions of a document's sentences before sentence `end`, computed on demand."""

    def __init__(self, doc: DocumentAttributions, end: int) -> None:
        self._doc, self._end = doc, end

    def __len__(self) -> int:
        return self._end

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._doc._get(k) for k in range(*i.indices(self._end))]
        if i < 0:
            i += self._end
        if not 0 <= i < self._end:
            raise IndexError(i)
        return self._doc._get(i)


def is_stem_name(doc: Document) -> bool:
    """The name fell back to the file stem: it names a file, not an outlet."""
    return doc.name == PurePath(doc.path).stem


def outlet_name_key(doc: Document) -> str:
    """The outlet a document is from, comparable; a file stem names only its file (here, not in
    independence.py, so reading need not import numpy)."""
    return f"source:{doc.id}" if is_stem_name(doc) else outlet_key(doc.name)
