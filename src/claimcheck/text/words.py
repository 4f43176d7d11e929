"""Word-level text helpers shared by the matcher and blocking: stop words and a light stemmer."""

from functools import cache

BASE_STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves said says say according told tell
    would may might must shall one s t d ll m re ve y o least many much several rough nearly
    approximately""".split()
)


@cache
def stem(word: str) -> str:
    """A light suffix stripper: plurals, -ed, -ing, -ly, British -ise; enough for overlap."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for a, b in (("isation", "ization"), ("ised", "ized"), ("ising", "izing"), ("ises", "izes")):
        if word.endswith(a) and len(word) > len(a) + 2:
            word = word[: -len(a)] + b
            break
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("es") and word[-3] in "sxz" and len(word) > 4:
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ingly", "edly", "ing", "ed", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            if not any(c in "aeiouy" for c in stem):
                break
            word = stem
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    if word.endswith("yy"):
        word = word[:-1]
    return word
