"""Find the other mentions of PHI the detector found once: a recall safety net for repeated names.

A note names its patient several times ("Mr. Okafor", "OKAFOR, JAMES", "Okafor's daughter"); a small
model tags some of those mentions and misses others. Once any mention is detected, its text is PHI
wherever it occurs in the same document, so every other occurrence gets the same label:

- the whole detected value, case-insensitively, for every label but dates and ages (a repeated
  "45" or "today" is not the same fact);
- for ``PERSON``, each name token of three or more letters (titles and initials dropped), in its
  own case or in capitals, so a surname found in "Dr. Anil Patel" also covers "Patel's".

Matches must start and end on word boundaries. Only the document the value came from is searched.
"""

from __future__ import annotations

import re
from typing import Iterable

from deid.spans import Span

NOT_PROPAGATED = frozenset({"DATE_TIME", "AGE"})
MIN_CHARS = 3
_TITLES = frozenset(
    "dr mr mrs ms miss mx prof sir dame rev fr sr jr md do rn np pa lpn phd dds dpm ii iii iv mrn pt patient".split()
)
_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


def _bounded(pattern: str) -> str:
    return rf"(?<!\w){pattern}(?!\w)"


def _name_tokens(value: str) -> set[str]:
    tokens = set()
    for token in _NAME_TOKEN.findall(value):
        token = re.sub(r"'s$", "", token, flags=re.IGNORECASE)
        if len(token) >= MIN_CHARS and token[0].isupper() and token.lower() not in _TITLES:
            tokens.add(token)
    return tokens


def propagate_mentions(text: str, spans: Iterable[Span]) -> list[Span]:
    """``spans`` plus a span for every other occurrence of their values in ``text`` (not merged)."""
    found = list(spans)
    searches: dict[tuple[str, int], str] = {}
    for span in found:
        if span.label in NOT_PROPAGATED:
            continue
        value = text[span.start : span.end].strip()
        if len(value) >= MIN_CHARS:
            searches.setdefault((_bounded(re.escape(value)), re.IGNORECASE), span.label)
        if span.label == "PERSON":
            for token in _name_tokens(value):
                forms = sorted({re.escape(token), re.escape(token.upper())})
                searches.setdefault((_bounded("(?:" + "|".join(forms) + ")"), 0), span.label)
    extra = [Span(m.start(), m.end(), label) for (pattern, flags), label in searches.items() for m in re.finditer(pattern, text, flags)]
    return found + extra
