"""Tests for the kinds of text mixed into the synthetic notes by deid.train.synth.kinds: each appears at a
modest rate, its PHI spans have the right label and exact text, and its hard negatives are never inside a span."""

from __future__ import annotations

import json
import re
from typing import Callable

import pytest

from deid.train.synth import SynthDoc, generate
from deid.train.synth.kinds import LONE_STATES, MORE_COUNTRIES
from deid.train.synth.vocabulary import (
    BRAND_DEVICES, BRANDS, CHAT_TASKS, DEVICES, EMPLOYERS, MEDS, MORE_INSURERS, PHARMACY_CHAINS,
)  # fmt: skip

N = 1600
LO, HI = 0.02, 0.12  # share of documents holding each kind: present, yet the existing mix stays dominant


@pytest.fixture(scope="module")
def docs() -> list[SynthDoc]:
    return generate(N, seed=11, split="train")


def _alt(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def covered(doc: SynthDoc, start: int, end: int) -> bool:
    return any(s.start < end and start < s.end for s in doc.spans)


def exact(doc: SynthDoc, start: int, end: int, label: str) -> bool:
    return any(s.start == start and s.end == end and s.label == label for s in doc.spans)


# Brands and devices the generator did not use before (the old MEDS and DEVICES lists had a few).
OLD = {m[0] for m in MEDS} | set(DEVICES)
NEW_BRANDS = [b for b in BRANDS + BRAND_DEVICES if not any(b in old for old in OLD)]
DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
CJK = r"[\u3005\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"

# Hard negatives: pattern of the whole phrase, never inside a span.
NEGATIVES = {
    "brand": rf"\b({_alt(NEW_BRANDS)})\b",
    "score": r"\b(Braden \d+|Morse \d+|Glasgow \d+|Apgar \d/\d|Kellgren-Lawrence grade \d|Gleason \d\+\d|"
    r"Bethesda [IV]+|Mallampati [IV]+\b|Child-Pugh [ABC]\b|Hunt and Hess \d|NYHA class [IV]+|Killip class [IV]+|"
    r"Hoehn and Yahr stage \d|Fitzpatrick type [IV]+|Tanner stage \d|Salter-Harris [IV]+|Norton \d+|Caprini \d)",
    "payer": rf"\b(Works at|Employed by|Retired from|via) ({_alt(EMPLOYERS)})\b|"
    rf"\b(insured through|Coverage through|Insurance:) ({_alt(MORE_INSURERS)})\b|"
    rf"\b({_alt(MORE_INSURERS)}) (denied|requires)\b",
    "unit": r"\b(Transferred to \d (West|East|North|South)|bay \d+|rm \d+, bed \d|\d[A-D]-\d\d|MICU bed \d+|"
    r"pod [A-E], bed \d+|Bed \d+ on \d (West|East|North|South)|Room \d{3}[AB]?)\b",
    "fraction": rf"\b(MoCA \d+/30|MMSE \d+/30|Mon/Wed/Fri|Tue/Thu/Sat|every ({DAYS})|PHQ-9 \d+/27|\d/\d+ lymph nodes|"
    r"\d/6 systolic murmur|Strength \d/5|pain \d+/10)",
    "region": rf"\b(Moved from|Visiting family in|Spends winters in|Flew back from|Originally from|Plans a trip to|"
    rf"Grew up in) ({_alt(LONE_STATES + MORE_COUNTRIES)})\b",
}
# The same phrases, less the forms the generator already wrote before these kinds (for the rate).
NEW_ONLY = {
    "fraction": rf"\b(MoCA \d+/30|MMSE \d+/30|Mon/Wed/Fri|Tue/Thu/Sat|every ({DAYS})|PHQ-9 \d+/27|\d/\d+ lymph)",
}


@pytest.mark.parametrize("kind", NEGATIVES)
def test_hard_negatives_appear_at_a_modest_rate_and_never_inside_a_span(docs: list[SynthDoc], kind: str) -> None:
    with_kind = 0
    for d in docs:
        found = False
        for m in re.finditer(NEGATIVES[kind], d.text, flags=re.IGNORECASE):
            assert not covered(d, m.start(), m.end()), (d.id, m.start())
            found = True
        if kind in NEW_ONLY:
            found = re.search(NEW_ONLY[kind], d.text, flags=re.IGNORECASE) is not None
        with_kind += found
    assert LO * N <= with_kind <= HI * N, with_kind


def _chat(d: SynthDoc) -> list[tuple[int, int]]:
    """Offsets of the bare names in clinicians' chat lines."""
    tasks = _alt(CHAT_TASKS)
    out = []
    for m in re.finditer(rf"(?:^|(?<=[\s:\]]))([^\W\d_][\w'-]*)(?: -)? can you (?:{tasks})", d.text, re.I):
        out.append(m.span(1))
    for m in re.finditer(r"\blmk when (\S+) in \d+ is back\b", d.text, re.I):
        out.append(m.span(1))
    for m in re.finditer(r"(?:^|(?<=[\s:\]]))(\S+) fyi (\S+) in \d+ is npo\b", d.text, re.I):
        out += [m.span(1), m.span(2)]
    return out


def _cjk(d: SynthDoc) -> list[tuple[int, int]]:
    """CJK-script names after the clauses' lead-ins (the foreign-address genre writes CJK places too)."""
    lead = (
        r"(?:Travels from [\w ]+ with \w+ |interpreter used; \w+ |list the emergency contact as "
        r"|Emergency contact in [\w ]+: \w+ |Name in native script: )"
    )
    return [m.span(1) for m in re.finditer(rf"{lead}({CJK}+(?: {CJK}+)?)", d.text, re.I)]


def _ordinal(d: SynthDoc) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(rf"\bthe \d{{1,2}}(st|nd|rd|th)( of ({MONTHS}))?\b", d.text, re.I)]


def _care_home(d: SynthDoc) -> list[tuple[int, int]]:
    pattern = r"\bThe [A-Z][\w'-]+ at [A-Z][\w'-]+(?: [A-Z][\w'-]+)*|\b[A-Z][\w'-]+ (SeniorLife|Hospice)\b"
    return [m.span() for m in re.finditer(pattern, d.text)]


def _pharmacy(d: SynthDoc) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(rf"\b({_alt(PHARMACY_CHAINS)})\b", d.text, re.I)]


PHI_KINDS: dict[str, tuple[Callable[[SynthDoc], list[tuple[int, int]]], str]] = {
    "chat": (_chat, "PERSON"),
    "cjk_name": (_cjk, "PERSON"),
    "ordinal_date": (_ordinal, "DATE_TIME"),
    "care_home": (_care_home, "LOCATION"),
    "pharmacy": (_pharmacy, "LOCATION"),
}


@pytest.mark.parametrize("kind", PHI_KINDS)
def test_phi_kinds_appear_at_a_modest_rate_with_exact_spans(docs: list[SynthDoc], kind: str) -> None:
    find, label = PHI_KINDS[kind]
    with_kind = 0
    for d in docs:
        hits = find(d)
        for start, end in hits:
            assert exact(d, start, end, label), (d.id, start, end)
        with_kind += bool(hits)
    assert LO * N <= with_kind <= HI * N, with_kind


def test_chat_names_come_in_lower_case_and_as_surnames(docs: list[SynthDoc]) -> None:
    lower = surnames = 0
    for d in docs:
        for start, end in _chat(d):
            value = d.text[start:end]
            lower += value == value.lower()
        surnames += len(re.findall(r"\blmk when \S+ in \d+ is\b|\bfyi \S+ in \d+ is npo\b", d.text, re.I))
    assert lower >= 20 and surnames >= 10


def test_pharmacy_streets_are_locations_and_care_homes_keep_their_article(docs: list[SynthDoc]) -> None:
    streets = articles = 0
    for d in docs:
        for m in re.finditer(rf"\b({_alt(PHARMACY_CHAINS)}) on (Route \d+|Main St)\b", d.text):
            assert exact(d, m.start(2), m.end(2), "LOCATION"), (d.id, m.start(2))
            streets += 1
        articles += sum(d.text[s.start : s.end].startswith("The ") and s.label == "LOCATION" for s in d.spans)
    assert streets >= 10 and articles >= 20


def test_phi_free_docs_get_no_phi_kinds(docs: list[SynthDoc]) -> None:
    free = [d for d in docs if not d.spans]
    assert free
    assert not any(find(d) for d in free for find, _ in PHI_KINDS.values())


def test_kinds_are_deterministic_by_seed() -> None:
    a, b = generate(200, seed=19), generate(200, seed=19)
    assert [json.dumps(x.to_json()) for x in a] == [json.dumps(x.to_json()) for x in b]
    c = generate(200, seed=20)
    assert sum(bool(_ordinal(x) or _cjk(x) or _care_home(x)) for x in a) > 0
    assert [x.text for x in a] != [x.text for x in c]
