"""Tests for deid.train.synth: determinism, span validity, coverage of labels, genres and formats, hard negatives."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from pathlib import Path

import pytest

from deid.entities import load_entity_set
from deid.places import hospital_names, hospitals, us_cities
from deid.spans import Span
from deid.train.synth import SynthDoc, generate, write_splits

N = 1600
GENRES = {
    "nursing_note", "discharge_summary", "report_header", "referral_letter", "portal_message", "search_query",
    "telephone_encounter", "billing_note", "procedure_note", "ed_trauma_note", "research_note", "chart_question",
}  # fmt: skip


@pytest.fixture(scope="module")
def docs() -> list[SynthDoc]:
    return generate(N, seed=7, split="train")


def covered(doc: SynthDoc, start: int, end: int) -> bool:
    return any(s.start < end and start < s.end for s in doc.spans)


def test_when_generated_twice_with_the_same_seed_then_json_is_identical() -> None:
    first = [d.to_json() for d in generate(60, seed=3, split="val")]
    second = [d.to_json() for d in generate(60, seed=3, split="val")]
    assert json.dumps(first) == json.dumps(second)


def test_when_generated_in_processes_with_different_hash_seeds_then_json_is_identical() -> None:
    """String hashing is salted per process, so any iteration over a set would change the documents."""
    import hashlib
    import os
    import subprocess
    import sys

    code = "import json; from deid.train.synth import generate; print(json.dumps([d.to_json() for d in generate(200, seed=13, split='test')]))"
    digests = set()
    for hash_seed in ("1", "2", "3"):
        out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": hash_seed}, capture_output=True, check=True).stdout
        digests.add(hashlib.sha256(out).hexdigest())
    assert len(digests) == 1


def test_when_split_or_seed_differs_then_texts_differ() -> None:
    base = [d.text for d in generate(60, seed=3, split="train")]
    other_split = [d.text for d in generate(60, seed=3, split="test")]
    other_seed = [d.text for d in generate(60, seed=4, split="train")]
    assert not set(base) & set(other_split)
    assert not set(base) & set(other_seed)


def test_when_docs_are_generated_then_ids_follow_the_split_and_json_has_the_documented_shape() -> None:
    doc = generate(3, seed=1, split="val")[2]
    assert doc.id == "val-00002"
    record = doc.to_json()
    assert set(record) == {"id", "text", "spans", "genre"}
    assert all(set(s) == {"label", "start", "end"} for s in record["spans"])
    assert [Span.from_dict(s) for s in record["spans"]] == list(doc.spans)


def test_when_n_is_zero_then_nothing_and_when_negative_then_error() -> None:
    assert generate(0, seed=1) == []
    with pytest.raises(ValueError, match="n must be"):
        generate(-1, seed=1)


def test_every_hipaa_label_appears_in_at_least_one_percent_of_docs(docs: list[SynthDoc]) -> None:
    docs_with = Counter(label for d in docs for label in {s.label for s in d.spans})
    labels = load_entity_set("hipaa").names
    assert set(docs_with) == set(labels)
    rare = {label: docs_with[label] for label in labels if docs_with[label] < N // 100}
    assert rare == {}


def test_spans_fit_the_text_do_not_overlap_and_have_no_edge_whitespace(docs: list[SynthDoc]) -> None:
    for d in docs:
        ordered = sorted(d.spans)
        assert list(d.spans) == ordered, d.id  # appended in reading order
        for span in ordered:
            span.check(d.text)
            value = d.text[span.start : span.end]
            assert value == value.strip(), (d.id, span.start, span.end)
        for left, right in zip(ordered, ordered[1:]):
            assert left.end <= right.start, (d.id, left.start, right.start)


def test_each_genre_appears_and_no_other(docs: list[SynthDoc]) -> None:
    counts = Counter(d.genre for d in docs)
    assert set(counts) == GENRES
    assert min(counts.values()) >= N // len(GENRES) // 2


def test_some_docs_have_no_phi_and_most_have_some(docs: list[SynthDoc]) -> None:
    share = sum(not d.spans for d in docs) / N
    assert 0.06 <= share <= 0.18


def test_the_same_person_is_mentioned_more_than_once_in_many_docs(docs: list[SynthDoc]) -> None:
    def repeats(d: SynthDoc) -> bool:
        # A name word in two PERSON spans: 'Dana Zuniga' ... 'Dana', or 'ZUNIGA, DANA' ... 'Ms. Zuniga'.
        values = [d.text[s.start : s.end].lower() for s in d.spans if s.label == "PERSON"]
        words = Counter(w for v in values for w in set(re.findall(r"\w{3,}", v)))
        return any(n > 1 for n in words.values())

    assert sum(repeats(d) for d in docs) >= N // 5


# Text that looks like PHI but is not. Each pattern must occur (so the test can fail) and never be inside a span.
HARD_NEGATIVES = {
    "Parkinson's disease": r"Parkinson's disease",
    "eponym disease": r"\b(Crohn's disease|Bell's palsy|Hodgkin lymphoma|Graves' disease|Cushing's syndrome)",
    "eponym device or sign": r"\b(Foley catheter|Apgar scores|Swan-Ganz|Murphy's sign|Glasgow Coma Scale)",
    "year alone": r"\bin (19|20)\d\d\b",
    "age up to 89": r"\b([1-9]|[1-8]\d)(-year-old| yo| y/o|yo| year old)\b",
    "blood pressure": r"\bBP \d{2,3}/\d{2,3}\b",
    "pain scale": r"\bpain \d{1,2}/10\b",
    "dose": r"\b\d+(\.\d+)? (mg|mcg|units)\b",
    "lab value": r"\b(Na|K|Cr|Hgb|INR|A1c)(: |=| | of )\d+(\.\d+)?",
    "CPT code": r"\bCPT \d{5}",
    "ICD-10 code": r"\bICD-10 [A-Z]\d\d(\.\d+)?",
    "state": r"\b(moved here from|relocated from|moved to) (Ohio|Texas|Florida|Georgia|Michigan|Arizona|Oregon|Utah)\b",
    "country": r"\b(traveled to|Born in|Returned from) (Mexico|India|Canada|Guatemala|Vietnam|Brazil|Nigeria|Haiti)\b",
    "title without name": r"\b(the attending|Dr\. on call|the on-call Dr\.|different Dr\.|Per Dr\.,)",
    "device model": r"\b(Medtronic Azure XT DR|Dexcom G7|ResMed AirSense 10)\b",
}


@pytest.mark.parametrize("pattern", HARD_NEGATIVES.values(), ids=HARD_NEGATIVES.keys())
def test_hard_negatives_are_never_inside_a_span(docs: list[SynthDoc], pattern: str) -> None:
    found = 0
    for d in docs:
        for m in re.finditer(pattern, d.text, flags=re.IGNORECASE):
            found += 1
            assert not covered(d, m.start(), m.end()), (d.id, m.start())
    assert found >= 10


def test_ages_over_89_are_tagged_as_age(docs: list[SynthDoc]) -> None:
    pattern = r"\b(9\d|1\d\d)(-year-old| yo| y/o|yo| year old)\b"
    hits = [(d, m) for d in docs for m in re.finditer(pattern, d.text, flags=re.IGNORECASE)]
    assert len(hits) >= 10
    for d, m in hits:
        assert Span(m.start(), m.end(), "AGE") in d.spans, (d.id, m.start())


def test_titles_are_inside_person_spans_and_possessives_outside(docs: list[SynthDoc]) -> None:
    persons = [(d, s) for d in docs for s in d.spans if s.label == "PERSON"]
    for d, s in persons:
        before = d.text[max(0, s.start - 20) : s.start]
        assert not re.search(r"(?<!\d )(?<!different )\b(dr|mr|ms|mrs)\.? $", before, flags=re.IGNORECASE), (d.id, s.start)
        assert not d.text[s.start : s.end].endswith("'s"), (d.id, s.start)
    possessive = sum(d.text[s.end : s.end + 2] == "'s" for d, s in persons)
    values = [d.text[s.start : s.end] for d, s in persons]
    titled = sum(bool(re.match(r"(Dr|Mr|Ms|Mrs)\.? ", v, flags=re.IGNORECASE)) for v in values)
    assert possessive >= 10 and titled >= 100


def test_first_name_and_initial_keep_the_period_and_the_title_inside_the_span(docs: list[SynthDoc]) -> None:
    persons = [(d, s) for d in docs for s in d.spans if s.label == "PERSON"]
    for d, s in persons:
        value = d.text[s.start : s.end]
        # 'Lopez, Maria A' (last, first middle) carries no period of its own; a first name and an initial does.
        assert not (re.fullmatch(r"[^,]+ [A-Z]", value) and d.text[s.end : s.end + 1] == "."), (d.id, s.start)
    values = [d.text[s.start : s.end] for d, s in persons]
    assert sum(bool(re.fullmatch(r"(Mr|Ms|Mrs)\.? \w+ [A-Z]\.", v)) for v in values) >= 20
    assert sum(bool(re.fullmatch(r"\w+ [A-Z]\.", v)) for v in values) >= 20


def test_person_mentions_come_as_single_names_and_initials_too(docs: list[SynthDoc]) -> None:
    values = [d.text[s.start : s.end] for d in docs for s in d.spans if s.label == "PERSON"]
    single = sum(" " not in v and "," not in v for v in values)
    initial = sum(bool(re.search(r"\b[A-Z]\.", v)) for v in values)
    all_caps = sum(v.isupper() for v in values)
    assert single >= 100 and initial >= 100 and all_caps >= 50


# Surface forms of DATE_TIME values; each class is matched against the whole span.
DATE_CLASSES = {
    "m/d/yy": r"\d{1,2}/\d{1,2}/\d\d",
    "m/d/yyyy": r"\d{1,2}/\d{1,2}/\d{4}",
    "Month 4th": r"[a-z]{3,9} \d{1,2}(st|nd|rd|th)",
    "04-Mar-2021": r"\d\d-[a-z]{3}-\d{4}",
    "iso with time": r"\d{4}-\d\d-\d\d[ t]\d\d:\d\d",
    "iso": r"\d{4}-\d\d-\d\d",
    "Mar 4": r"[a-z]{3} \d{1,2}",
    "4 March 2021": r"\d{1,2} [a-z]{3,9} \d{4}",
    "3.4.2021": r"\d{1,2}\.\d{1,2}\.\d{4}",
    "4th of March": r"\d{1,2}(st|nd|rd|th) of [a-z]{3,9}",
    "03/04": r"\d{1,2}/\d{1,2}",
    "March 4, 2021": r"[a-z]{3,9}\.? \d{1,2}, \d{4}",
    "March 2021": r"[a-z]{3,9} \d{4}",
    "04MAR2021": r"\d\d[a-z]{3}\d{4}",
    "date at time": r".+\d(,| at| @)? \d{1,2}:?\d\d( ?[ap]\.?m\.?|h)?",
}


def test_dates_come_in_at_least_ten_formats(docs: list[SynthDoc]) -> None:
    values = [d.text[s.start : s.end] for d in docs for s in d.spans if s.label == "DATE_TIME"]
    seen = Counter(
        name for v in values for name, rx in DATE_CLASSES.items() if re.fullmatch(rx, v, flags=re.IGNORECASE)
    )
    assert len([name for name, n in seen.items() if n >= 5]) >= 10, seen


def test_phones_come_with_extensions_and_country_codes(docs: list[SynthDoc]) -> None:
    values = [d.text[s.start : s.end] for d in docs for s in d.spans if s.label in ("PHONE_NUMBER", "FAX_NUMBER")]
    assert sum(bool(re.search(r"(ext\.?|x) ?\d+$", v)) for v in values) >= 10
    assert sum(v.startswith(("+", "011", "1-")) for v in values) >= 10


def test_lengths_are_realistic_and_queries_are_short(docs: list[SynthDoc]) -> None:
    words = [len(d.text.split()) for d in docs]
    assert statistics.median(words) <= 120
    assert sum(20 <= w <= 250 for w in words) / N >= 0.75
    assert max(len(d.text.split()) for d in docs if d.genre == "search_query") <= 25


def test_typos_appear_in_filler_words(docs: list[SynthDoc]) -> None:
    # Correct spellings of frequent filler words, and the misspellings the generator can make of them.
    words = Counter(w for d in docs for w in re.findall(r"[a-z]+", d.text.lower()))
    # None of these has a correctly spelled neighbour in the text ('reports' would: 'report').
    known = {"presents", "precautions", "medications", "history", "regular", "comfortably", "without",
             "diagnosed", "complicated", "understanding", "notified", "advised", "review"}  # fmt: skip
    near_misses = [w for w in words if w not in known and any(_one_edit(w, k) for k in known)]
    assert len(near_misses) >= 5


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` is ``b`` with one letter dropped, doubled or swapped with its neighbour."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def test_write_splits_gives_three_files_with_no_text_shared_between_train_and_test(tmp_path: Path) -> None:
    paths = write_splits(tmp_path / "synth")  # the default sizes and seed, as used for training
    assert {k: p.name for k, p in paths.items()} == {"train": "train.jsonl", "val": "val.jsonl", "test": "test.jsonl"}
    rows = {k: [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()] for k, p in paths.items()}
    assert {k: len(v) for k, v in rows.items()} == {"train": 800, "val": 400, "test": 400}
    assert rows["test"][0]["id"] == "test-00000"
    texts = {k: {r["text"] for r in v} for k, v in rows.items()}
    assert not texts["train"] & texts["test"]
    assert not texts["train"] & texts["val"]


def _values(docs: list[SynthDoc], label: str) -> list[str]:
    return [d.text[s.start : s.end] for d in docs for s in d.spans if s.label == label]


def test_keyword_introduced_numbers_come_with_fake_looking_digits_too(docs: list[SynthDoc]) -> None:
    ssns = _values(docs, "US_SSN")
    phones = _values(docs, "PHONE_NUMBER") + _values(docs, "FAX_NUMBER")
    assert sum(bool(re.match(r"9\d\d", v)) or v.replace(" ", "-") == "123-45-6789" for v in ssns) >= 5
    assert sum("555" in v or "123-456-7890" in v for v in phones) >= 20


def test_plan_and_other_ids_come_with_letter_prefixes(docs: list[SynthDoc]) -> None:
    plans = _values(docs, "HEALTH_PLAN_NUMBER")
    assert sum(bool(re.fullmatch(r"(HMO|PPO|EPO|POS|BCBS|UHC|MCD|MCR|HDHP)-[A-Z]?\d{6,9}", v)) for v in plans) >= 20
    assert sum(bool(re.fullmatch(r"[A-Z]{2}-\d{6}", v)) for v in _values(docs, "ID") + plans) >= 20
    site_ids = [d for d in docs for s in d.spans if s.label == "ID" and d.text[: s.start].endswith("Site ID: ")]
    assert len(site_ids) >= 3


def test_chart_questions_are_short_and_name_a_patient_a_place_or_a_date(docs: list[SynthDoc]) -> None:
    questions = [d for d in docs if d.genre == "chart_question" and d.spans]
    assert len(questions) >= N // 20
    assert max(len(d.text.split()) for d in questions) <= 30
    assert sum(any(s.label == "PERSON" for s in d.spans) for d in questions) >= len(questions) * 8 // 10
    with_place = sum(any(s.label == "LOCATION" for s in d.spans) for d in questions)
    with_date = sum(any(s.label == "DATE_TIME" for s in d.spans) for d in questions)
    assert with_place >= len(questions) // 3 and with_date >= len(questions) // 3


def test_real_places_appear_at_realistic_rates(docs: list[SynthDoc]) -> None:
    cities = {c.name for c, _ in us_cities()}
    names = {n for h in hospitals() for n in hospital_names(h)}
    locations = _values(docs, "LOCATION")
    assert sum(v in cities for v in locations) >= N // 10
    assert sum(v in names for v in locations) >= N // 10
    assert sum(v.endswith(" County") for v in locations) >= N // 100
