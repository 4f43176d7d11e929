"""claimcheck's own reports, recognised by the marker each format carries, so a report left in an
article folder is never read back as an article.

The markers (written by `report/`): HTML `<meta name="generator" content="claimcheck ...">`; JSON the
`"tool": {"name": "claimcheck"` field; JSONL the claim objects (`id`, `support`, `members`); CSV the
header row; Markdown a first-line `<!-- claimcheck ... report -->` comment; the terminal table its
header (`N sources` then `N claims in N groups`; `claimcheck sentences`: `N sources parsed: N sentences,
N claims`).
"""

from __future__ import annotations

import json
import re

MARKDOWN_MARKER = "<!-- {tool} {version} report: not an article; claimcheck does not read it back -->"
CSV_HEADER = "claim_id,support,source,source_name,sentence_index,score,text"

_HTML = re.compile(rb'<meta\s+name="generator"\s+content="claimcheck[ "]', re.I)
_JSON = re.compile(rb'^\s*\{\s*"schema_version"\s*:\s*\d+\s*,\s*"tool"\s*:\s*\{\s*"name"\s*:\s*"claimcheck"')
_MARKDOWN = re.compile(rb"^\s*<!-- claimcheck \S+ report\b")
_TABLE = re.compile(rb"^\d+ sources?\b.*\n(?:.*\n){0,3}?\d+ claims in \d+ groups?:", re.M)
_SENTENCES = re.compile(rb"^\d+ sources? parsed: \d+ sentences?, \d+ claims?\s*\n")
_CLAIM_KEYS = {"id", "text", "sources", "support", "members"}


def report_format(data: bytes) -> str | None:
    """'HTML', 'JSON', 'JSONL', 'CSV', 'Markdown' or 'table' when the bytes are a claimcheck report."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if _HTML.search(head):
        return "HTML"
    if _JSON.match(head):
        return "JSON"
    if _MARKDOWN.match(head):
        return "Markdown"
    if head.lstrip().startswith(CSV_HEADER.encode()):
        return "CSV"
    if _TABLE.match(head.lstrip()) or _SENTENCES.match(head.lstrip()):
        return "table"
    if head.lstrip()[:1] == b"{":
        try:
            first = json.loads(data.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0])
        except ValueError:
            return None
        if isinstance(first, dict) and _CLAIM_KEYS <= first.keys() and isinstance(first["members"], list):
            return "JSONL"
    return None


def skip_reason(data: bytes) -> str | None:
    """The SkipFile reason for a claimcheck report, or None for anything else."""
    kind = report_format(data)
    return f"a claimcheck report ({kind}), not an article" if kind else None
