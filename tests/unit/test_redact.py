"""Tests for deid.redact: operators, policies, overlap strategies, offsets and surrogate consistency."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deid.redact import (
    OVERLAP_STRATEGIES,
    Age90,
    DateShift,
    Hash,
    Mask,
    MissingKeyError,
    Policy,
    Replacement,
    Surrogate,
    Tag,
    YearOnly,
    Zip3,
    load_policy,
    policy_from_dict,
    redact,
    resolve_overlaps,
    suppress,
)
from deid.spans import Span

REPO = Path(__file__).resolve().parents[2]
KEY = "9c4e1f7a2b8d3e6f0a5c7b9d1e3f5a7c"  # fixed test keys, random-looking: weak keys are refused
OTHER_KEY = "e2a7c9f4b1d8e5a3c6f0b9d2e7a4c1f8"
ENV = {"DEID_SECRET_KEY": KEY}


# --- operators -------------------------------------------------------------------------------


def test_tag_writes_label_in_brackets() -> None:
    assert Tag().apply("Maria Lopez", "PERSON") == "[PERSON]"


@pytest.mark.parametrize(
    ("mask", "value", "expected"),
    [
        (Mask(), "Lopez", "*****"),
        (Mask(char="#"), "617-555", "#######"),
        (Mask(length=3), "Maria Lopez", "***"),
        (Mask(), "é", "*"),
    ],
)
def test_mask(mask: Mask, value: str, expected: str) -> None:
    assert mask.apply(value, "PERSON") == expected


@pytest.mark.parametrize("params", [{"char": "**"}, {"char": ""}, {"length": 0}, {"length": "3"}])
def test_when_mask_params_invalid_then_rejected(params: dict) -> None:
    with pytest.raises(ValueError, match="mask"):
        Mask(**params)


def test_hash_is_keyed_label_scoped_and_normalised() -> None:
    hashed = Hash(key=KEY.encode()).apply("Maria  Lopez", "PERSON")
    assert re.fullmatch(r"\[PERSON:[0-9a-f]{16}\]", hashed)
    assert Hash(key=KEY.encode()).apply("maria lopez", "PERSON") == hashed
    assert Hash(key=OTHER_KEY.encode()).apply("Maria Lopez", "PERSON") != hashed
    assert Hash(key=KEY.encode()).apply("Maria Lopez", "LOCATION") != hashed.replace("PERSON", "LOCATION")
    assert re.fullmatch(r"\[ID:[0-9a-f]{6}\]", Hash(key=KEY.encode(), length=6).apply("A1", "ID"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("03/04/2021", "2021"),
        ("3/4/21", "2021"),
        ("3/4/99", "1999"),
        ("2021-03-04 14:30", "2021"),
        ("04-Mar-2021", "2021"),
        ("March 4, 2021", "2021"),
        ("Jan. 5th 2020", "2020"),
        ("March 2021", "2021"),
        ("March 4th", "[DATE_TIME]"),
        ("last Tuesday", "[DATE_TIME]"),
        ("3/4/21 in Boston", "[DATE_TIME]"),
        ("13/13/2021", "[DATE_TIME]"),
    ],
)
def test_year_only(value: str, expected: str) -> None:
    assert YearOnly().apply(value, "DATE_TIME") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("93-year-old", "90+-year-old"),
        ("95", "90+"),
        ("102 y/o", "90+ y/o"),
        ("90", "90+"),
        ("89", "89"),
        ("67-year-old", "67-year-old"),
        ("ninety-three", "90+"),
    ],
)
def test_age_90(value: str, expected: str) -> None:
    assert Age90().apply(value, "AGE") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("02115", "021**"),
        ("02115-1234", "021**"),
        ("03601", "000**"),
        ("89301", "000**"),
        ("10001", "100**"),
        ("Boston", "[LOCATION]"),
        ("021", "[LOCATION]"),
        ("123456", "[LOCATION]"),
    ],
)
def test_zip3(value: str, expected: str) -> None:
    assert Zip3().apply(value, "LOCATION") == expected


# --- date_shift ------------------------------------------------------------------------------

DATE_FORMATS = [
    ("03/04/2021", "%m/%d/%Y", r"\d{2}/\d{2}/\d{4}"),
    ("3/4/21", "%m/%d/%y", r"\d{1,2}/\d{1,2}/\d{2}"),
    ("2021-03-04", "%Y-%m-%d", r"\d{4}-\d{2}-\d{2}"),
    ("March 4, 2021", "%B %d, %Y", r"[A-Z][a-z]+ \d{1,2}, \d{4}"),
    ("04-Mar-2021", "%d-%b-%Y", r"\d{2}-[A-Z][a-z]{2}-\d{4}"),
    ("4 March 2021", "%d %B %Y", r"\d{1,2} [A-Z][a-z]+ \d{4}"),
    ("2021-03-04 14:30", "%Y-%m-%d %H:%M", r"\d{4}-\d{2}-\d{2} 14:30"),
]


@pytest.mark.parametrize(("value", "fmt", "shape"), DATE_FORMATS)
def test_when_date_shifted_then_format_kept_and_shift_bounded(value: str, fmt: str, shape: str) -> None:
    shifted = DateShift(key=KEY.encode(), max_days=30).apply(value, "DATE_TIME", patient_id="p1")
    assert re.fullmatch(shape, shifted)
    days = (datetime.strptime(shifted, fmt) - datetime.strptime(value, fmt)).days
    assert 1 <= abs(days) <= 30


def test_when_two_dates_of_one_patient_shifted_then_interval_kept() -> None:
    shift = DateShift(key=KEY.encode())
    first, second = (shift.apply(v, "DATE_TIME", patient_id="p1") for v in ("03/04/2021", "2021-05-20"))
    interval = datetime.strptime(second, "%Y-%m-%d") - datetime.strptime(first, "%m/%d/%Y")
    assert interval.days == 77


def test_when_patients_or_keys_differ_then_offsets_differ() -> None:
    shift, other = DateShift(key=KEY.encode()), DateShift(key=OTHER_KEY.encode())
    patients = [f"p{i}" for i in range(5)]
    assert len({shift.apply("2021-03-04", "DATE_TIME", patient_id=p) for p in patients}) > 1
    assert any(shift.offset(p) != other.offset(p) for p in patients)


@pytest.mark.parametrize(("value", "patient_id"), [("03/04/2021", None), ("sometime in spring", "p1"), ("3/4/21 in Boston", "p1")])
def test_when_date_shift_impossible_then_tag(value: str, patient_id: str | None) -> None:
    assert DateShift(key=KEY.encode()).apply(value, "DATE_TIME", patient_id=patient_id) == "[DATE_TIME]"


def test_when_shift_runs_past_year_9999_then_tag() -> None:
    shift = DateShift(key=KEY.encode())
    forward = next(p for p in (f"p{i}" for i in range(100)) if shift.offset(p) > 0)
    assert shift.apply("12/31/9999", "DATE_TIME", patient_id=forward) == "[DATE_TIME]"


# --- surrogate -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "value", "shape"),
    [
        ("PERSON", "Maria Lopez", r"[A-Z][a-z'-]+ [A-Z][a-z'-]+"),
        ("PERSON", "Patel's", r"[A-Z][a-z'-]+'s"),
        ("MEDICAL_RECORD_NUMBER", "4471983", r"\d{7}"),
        ("HEALTH_PLAN_NUMBER", "XJH-12345ab", r"[A-Z]{3}-\d{5}[a-z]{2}"),
        ("US_SSN", "123-45-6789", r"\d{3}-\d{2}-\d{4}"),
        ("EMAIL_ADDRESS", "jo@mail.example.org", r"[^@\s]+@[^@\s]+\.[a-z]+"),
        ("LOCATION", "02115", r"\d{5}"),
        ("LOCATION", "12 Elm Street", r"\d+ .+"),
        ("LOCATION", "St. Jude Clinic", r"[A-Z][a-z'-]+ Clinic"),
        ("DATE_TIME", "03/04/2021", r"\d{2}/\d{2}/\d{4}"),
        ("AGE", "93-year-old", r"(9\d|10[0-4])-year-old"),
        ("IP_ADDRESS", "10.0.0.1", r"\d+\.\d+\.\d+\.\d+"),
    ],
)
def test_surrogate_looks_like_the_original_kind(label: str, value: str, shape: str) -> None:
    fake = Surrogate(key=KEY.encode()).apply(value, label)
    assert re.fullmatch(shape, fake)
    assert fake != value


def test_surrogate_depends_on_normalised_value_label_and_key() -> None:
    surrogate = Surrogate(key=KEY.encode())
    name = surrogate.apply("Maria Lopez", "PERSON")
    assert surrogate.apply("  MARIA\n lopez ", "PERSON") == name
    assert surrogate.apply("Ann Smith", "PERSON") != name
    assert Surrogate(key=OTHER_KEY.encode()).apply("Maria Lopez", "PERSON") != name
    assert surrogate.apply("4471983", "ID") != surrogate.apply("4471983", "ACCOUNT_NUMBER")


SURROGATE_IN_CHILD = (
    "import os; from deid.redact import load_policy, redact; from deid.spans import Span; "
    "p = load_policy('surrogate'); t = 'Maria Lopez, MRN 4471983'; "
    "print(redact(t, [Span(0, 11, 'PERSON'), Span(17, 24, 'MEDICAL_RECORD_NUMBER')], p).text)"
)


def _surrogate_in_new_process(key: str, hash_seed: str) -> str:
    env = {"DEID_SECRET_KEY": key, "PYTHONHASHSEED": hash_seed, "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-c", SURROGATE_IN_CHILD], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout.strip()


def test_when_key_same_then_surrogates_agree_across_processes() -> None:
    text = "Maria Lopez, MRN 4471983"
    spans = [Span(0, 11, "PERSON"), Span(17, 24, "MEDICAL_RECORD_NUMBER")]
    here = redact(text, spans, load_policy("surrogate", env=ENV)).text
    assert "Maria" not in here and "4471983" not in here
    assert _surrogate_in_new_process(KEY, "1") == here
    assert _surrogate_in_new_process(KEY, "2") == here
    assert _surrogate_in_new_process(OTHER_KEY, "1") != here


# --- policies --------------------------------------------------------------------------------


def test_when_bundled_policies_loaded_without_key_then_only_keyless_ones_load() -> None:
    safe_harbor = load_policy(env={})
    assert safe_harbor.name == "safe_harbor"
    assert safe_harbor.operator_for("DATE_TIME") == YearOnly()
    assert safe_harbor.operator_for("AGE") == Age90()
    assert safe_harbor.operator_for("PERSON") == Tag()
    assert load_policy("tag", env={}).operator_for("DATE_TIME") == Tag()
    with pytest.raises(MissingKeyError, match=r"DEID_SECRET_KEY.*export DEID_SECRET_KEY=\$\(openssl rand -hex 32\)"):
        load_policy("surrogate", env={})


def test_when_key_set_then_surrogate_policy_binds_it() -> None:
    policy = load_policy("surrogate", env=ENV)
    assert isinstance(policy.operator_for("PERSON"), Surrogate)
    assert isinstance(policy.operator_for("DATE_TIME"), DateShift)
    assert KEY not in repr(policy)


def test_when_key_env_renamed_then_that_variable_is_read(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: p\nkey_env: MY_DEID_KEY\ndefault: {operator: hash, length: 8}\n", encoding="utf-8")
    with pytest.raises(MissingKeyError, match="MY_DEID_KEY"):
        load_policy(path, env=ENV)
    assert redact("Lopez", [Span(0, 5, "PERSON")], load_policy(path, env={"MY_DEID_KEY": KEY})).text.startswith("[PERSON:")


@pytest.mark.parametrize(
    ("key", "message"),
    [
        pytest.param("k" * 32, "one character repeated", id="one_character"),
        pytest.param("ab" * 16, "2-character pattern", id="repeated_pair"),
        pytest.param("0123456789abcdef" * 4, "16-character pattern", id="repeated_block"),
        pytest.param("aaaaaaaaaaaaaaaaaaaaaaaab", "too little entropy", id="nearly_one_character"),
        pytest.param("passwordpassword1", "too little entropy", id="dictionary_word_twice"),
    ],
)
def test_when_key_is_obviously_weak_then_it_is_refused_without_being_shown(key: str, message: str) -> None:
    with pytest.raises(MissingKeyError, match=message) as error:
        load_policy("surrogate", env={"DEID_SECRET_KEY": key})
    assert key not in str(error.value)


def test_when_keys_differ_then_policy_fingerprints_differ_and_never_contain_the_key() -> None:
    one, other = load_policy("surrogate", env=ENV), load_policy("surrogate", env={"DEID_SECRET_KEY": OTHER_KEY})
    assert one.key_fingerprint == load_policy("surrogate", env=ENV).key_fingerprint
    assert one.key_fingerprint != other.key_fingerprint
    assert one.key_fingerprint is not None and KEY not in one.key_fingerprint and one.key_fingerprint not in KEY
    assert load_policy("tag", env={}).key_fingerprint is None


def test_when_key_too_short_then_rejected() -> None:
    with pytest.raises(MissingKeyError, match="shorter than 16"):
        load_policy("surrogate", env={"DEID_SECRET_KEY": "short"})


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"name": "p", "default": {"operator": "shred"}}, r"unknown operator 'shred'; known operators are \['age_90', .*'tag'"),
        ({"name": "p", "labels": {"PERSON": {"operator": "blur"}}}, r"label PERSON: unknown operator 'blur'"),
        ({"name": "p", "key": "abc"}, r"unknown entries \['key'\].*never from a file"),
        ({"name": "p", "default": {"operator": "hash", "key": "abc"}}, "never from a file"),
        ({"name": "p", "default": {"operator": "mask", "colour": "red"}}, r"takes parameters \['char', 'length'\], not \['colour'\]"),
        ({"name": "p", "overlap": "widest"}, r"unknown overlap strategy 'widest'; known strategies are \['first', 'longest', 'merge'\]"),
        ({"name": "p", "default": "tag"}, "expected a mapping"),
    ],
)
def test_when_policy_invalid_then_error_says_what_and_lists_options(raw: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        policy_from_dict(raw, ENV)


def test_when_policy_name_unknown_then_bundled_names_listed() -> None:
    with pytest.raises(ValueError, match=r"unknown policy 'nope'; bundled ones are \['safe_harbor', 'surrogate', 'tag'\]"):
        load_policy("nope", env={})


# --- overlaps --------------------------------------------------------------------------------

A, B, C = "A", "B", "C"


@pytest.mark.parametrize(
    ("strategy", "spans", "expected"),
    [
        ("longest", [Span(0, 5, A), Span(3, 10, B)], [Span(0, 3, A), Span(3, 10, B)]),
        ("longest", [Span(0, 10, A), Span(2, 4, B)], [Span(0, 10, A)]),
        ("longest", [Span(0, 4, B), Span(2, 6, A)], [Span(0, 4, B), Span(4, 6, A)]),
        ("longest", [Span(2, 4, B), Span(2, 4, A)], [Span(2, 4, A)]),
        ("longest", [Span(0, 3, A), Span(3, 6, B)], [Span(0, 3, A), Span(3, 6, B)]),
        ("longest", [Span(0, 4, A), Span(6, 8, B), Span(3, 7, C)], [Span(0, 4, A), Span(4, 7, C), Span(7, 8, B)]),
        ("first", [Span(0, 5, A), Span(3, 10, B)], [Span(0, 5, A), Span(5, 10, B)]),
        ("first", [Span(0, 3, A), Span(0, 6, B)], [Span(0, 6, B)]),
        ("merge", [Span(0, 5, A), Span(3, 10, B), Span(12, 14, C)], [Span(0, 10, B), Span(12, 14, C)]),
        ("merge", [Span(0, 3, A), Span(3, 6, B)], [Span(0, 3, A), Span(3, 6, B)]),
        ("merge", [Span(0, 4, B), Span(2, 6, A)], [Span(0, 6, B)]),
        ("longest", [], []),
    ],
)
def test_overlap_strategies(strategy: str, spans: list[Span], expected: list[Span]) -> None:
    assert resolve_overlaps(spans, strategy) == expected


def _covered(spans: list[Span]) -> set[int]:
    return {i for span in spans for i in range(span.start, span.end)}


span_lists = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 12), st.sampled_from([A, B, C])).map(lambda t: Span(t[0], t[0] + t[1], t[2])),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(spans=span_lists, strategy=st.sampled_from(sorted(OVERLAP_STRATEGIES)))
def test_when_overlaps_resolved_then_disjoint_and_coverage_unchanged(spans: list[Span], strategy: str) -> None:
    resolved = resolve_overlaps(spans, strategy)
    assert all(a.end <= b.start for a, b in zip(resolved, resolved[1:]))
    assert _covered(resolved) == _covered(spans)
    assert {s.label for s in resolved} <= {s.label for s in spans}


# --- redact ----------------------------------------------------------------------------------

SAFE_HARBOR = load_policy("safe_harbor", env={})


def test_redact_with_safe_harbor() -> None:
    text = "Maria Lopez, 93-year-old, seen 03/14/2022 in Boston."
    spans = [Span(0, 11, "PERSON"), Span(13, 24, "AGE"), Span(31, 41, "DATE_TIME"), Span(45, 51, "LOCATION")]
    result = redact(text, spans, SAFE_HARBOR)
    assert result.text == "[PERSON], 90+-year-old, seen 2022 in [LOCATION]."
    assert result.replacements == [
        Replacement("PERSON", 0, 11, 0, 8, "tag"),
        Replacement("AGE", 13, 24, 10, 22, "age_90"),
        Replacement("DATE_TIME", 31, 41, 29, 33, "year_only"),
        Replacement("LOCATION", 45, 51, 37, 47, "tag"),
    ]


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("", [], ""),
        ("no phi here", [], "no phi here"),
        ("Ünïcödé Lopez\r\nok", [Span(0, 13, "PERSON")], "[PERSON]\r\nok"),
        ("Lopez", [Span(0, 5, "PERSON"), Span(0, 5, "PERSON")], "[PERSON]"),
        ("Jo Lopez", [Span(3, 8, "PERSON"), Span(0, 2, "PERSON")], "[PERSON] [PERSON]"),
        ("Mass General Hospital", [Span(0, 4, "PERSON"), Span(0, 21, "LOCATION")], "[LOCATION]"),
    ],
)
def test_redact_edge_cases(text: str, spans: list[Span], expected: str) -> None:
    assert redact(text, spans, SAFE_HARBOR).text == expected


def test_when_span_out_of_range_then_error_without_text() -> None:
    with pytest.raises(ValueError, match=r"runs past the end of a text of length 5") as error:
        redact("Lopez", [Span(0, 9, "PERSON")], SAFE_HARBOR)
    assert "Lopez" not in str(error.value)


def test_when_policy_uses_merge_then_overlaps_become_one_replacement() -> None:
    policy = Policy("m", overlap="merge")
    result = redact("Dr Maria Lopez", [Span(0, 8, "PERSON"), Span(3, 14, "LOCATION")], policy)
    assert result.text == "[LOCATION]"
    assert result.replacements == [Replacement("LOCATION", 0, 14, 0, 10, "tag")]


texts = st.text(alphabet="ab \n", min_size=1, max_size=50)


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[Span]]:
    text = draw(texts)
    starts = st.integers(0, len(text) - 1)
    raw = draw(st.lists(st.tuples(starts, st.integers(1, len(text)), st.sampled_from([A, B])), max_size=6))
    return text, [Span(s, min(s + n, len(text)), label) for s, n, label in raw]


@settings(max_examples=200, deadline=None)
@given(case=text_and_spans(), strategy=st.sampled_from(sorted(OVERLAP_STRATEGIES)))
def test_when_tagged_then_only_unspanned_text_survives(case: tuple[str, list[Span]], strategy: str) -> None:
    text, spans = case
    result = redact(text, spans, Policy("t", overlap=strategy))
    covered = _covered(spans)
    kept, cursor = [], 0
    for r in result.replacements:
        assert result.text[r.new_start : r.new_end] == f"[{r.label}]"
        kept.append(result.text[cursor : r.new_start])
        cursor = r.new_end
    kept.append(result.text[cursor:])
    assert "".join(kept) == "".join(ch for i, ch in enumerate(text) if i not in covered)


@settings(max_examples=200, deadline=None)
@given(case=text_and_spans())
def test_when_masked_then_exactly_the_spanned_characters_change(case: tuple[str, list[Span]]) -> None:
    text, spans = case
    result = redact(text, spans, Policy("m", default=Mask()))
    covered = _covered(spans)
    assert result.text == "".join("*" if i in covered else ch for i, ch in enumerate(text))


def test_replacement_offsets_point_at_the_replacement_with_surrogates() -> None:
    text = "Maria Lopez (MRN 4471983) seen 03/04/2021 and 2021-05-20."
    spans = [Span(0, 11, "PERSON"), Span(17, 24, "MEDICAL_RECORD_NUMBER"), Span(31, 41, "DATE_TIME"), Span(46, 56, "DATE_TIME")]
    result = redact(text, spans, load_policy("surrogate", env=ENV), patient_id="p1")
    surrogate, shift = Surrogate(key=KEY.encode()), DateShift(key=KEY.encode())
    expected = [
        surrogate.apply("Maria Lopez", "PERSON"),
        surrogate.apply("4471983", "MEDICAL_RECORD_NUMBER"),
        shift.apply("03/04/2021", "DATE_TIME", "p1"),
        shift.apply("2021-05-20", "DATE_TIME", "p1"),
    ]
    assert [result.text[r.new_start : r.new_end] for r in result.replacements] == expected
    assert [r.operator for r in result.replacements] == ["surrogate", "surrogate", "date_shift", "date_shift"]
    assert "Lopez" not in result.text and "4471983" not in result.text and "2021-05-20" not in result.text
    assert result.text.endswith(".") and result.text[result.replacements[0].new_end :].startswith(" (MRN ")


def test_suppress_replaces_the_whole_document() -> None:
    result = suppress("Maria Lopez\nMRN 4471983")
    assert result.text == "[REDACTED]"
    assert result.replacements == [Replacement("DOCUMENT", 0, 23, 0, 10, "suppress")]


def test_replacement_rejects_reversed_offsets() -> None:
    with pytest.raises(ValueError, match="reversed"):
        Replacement("PERSON", 5, 2, 0, 1, "tag")


@pytest.mark.parametrize("strategy", ["longest", "first", "merge"])
def test_when_a_note_has_thousands_of_overlapping_spans_then_overlap_resolution_work_grows_linearly(bytecodes, strategy: str) -> None:  # noqa: ANN001
    def resolve(chars: int) -> None:
        spans = [Span(i, i + 12, "ID" if i % 20 else "PERSON") for i in range(0, chars - 12, 10)]  # each overlaps the next
        resolved = resolve_overlaps(spans, strategy)
        assert resolved[0].start == 0 and resolved[-1].end == spans[-1].end

    small, large = bytecodes(lambda: resolve(5_000)), bytecodes(lambda: resolve(20_000))
    assert large < 5 * small  # 4x the spans: linear work is about 4x; comparing each span with every kept one was about 16x
