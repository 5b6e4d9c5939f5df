"""Tests for deid.propagate: other occurrences of a detected value get the same label."""

from __future__ import annotations

import pytest

from deid.propagate import propagate_mentions
from deid.spans import Span
from deid.spans import unite_overlapping

P, L, D, AGE, MRN = "PERSON", "LOCATION", "DATE_TIME", "AGE", "MEDICAL_RECORD_NUMBER"


def spans_of(text: str, found: list[Span]) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in unite_overlapping(found)]


def at(text: str, value: str, label: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(value, start + 1)
    return Span(start, start + len(value), label)


@pytest.mark.parametrize(
    ("text", "value", "label", "expected"),
    [
        pytest.param(
            "Dr. Anil Patel saw the patient. Patel's plan: rest. PATEL to call.",
            "Anil Patel",
            P,
            [("Anil Patel", P), ("Patel", P), ("PATEL", P)],
            id="surname_in_possessive_and_capitals",
        ),
        pytest.param(
            "Mr. Okafor, James T. arrived. Okafor was calm.",
            "Okafor, James T.",
            P,
            [("Okafor, James T.", P), ("Okafor", P)],
            id="surname_first_with_initial",
        ),
        pytest.param(
            "Seen at Mercy Ridge Clinic; follow up at mercy ridge clinic.",
            "Mercy Ridge Clinic",
            L,
            [("Mercy Ridge Clinic", L), ("mercy ridge clinic", L)],
            id="location_case_insensitive",
        ),
    ],
)
def test_when_a_value_is_detected_once_then_its_other_mentions_get_its_label(
    text: str, value: str, label: str, expected: list[tuple[str, str]]
) -> None:
    assert spans_of(text, propagate_mentions(text, [at(text, value, label)])) == expected


def test_when_an_identifier_repeats_then_every_occurrence_is_covered() -> None:
    text = "MRN 4471932 on file; labs filed under 4471932, not 44719320."
    found = propagate_mentions(text, [at(text, "4471932", MRN)])
    assert spans_of(text, found) == [("4471932", MRN), ("4471932", MRN)]


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        pytest.param("Age 45. Gave 45 mg.", "45", AGE, id="age"),
        pytest.param("Seen today. Call back today.", "today", D, id="date"),
    ],
)
def test_when_a_date_or_age_is_detected_then_it_is_not_propagated(text: str, value: str, label: str) -> None:
    span = at(text, value, label)
    assert propagate_mentions(text, [span]) == [span]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("Dr. Li reviewed; Dr. Kim agreed.", "Dr. Li", id="title_and_two_letter_name"),
        pytest.param("Ms. Will arrived. She will return.", "Ms. Will", id="lowercase_word_is_not_the_name"),
        pytest.param("Johnson seen. Johnsonville clinic.", "Johnson", id="not_inside_a_longer_word"),
    ],
)
def test_when_a_name_token_is_a_title_short_or_a_different_word_then_it_is_not_spread(text: str, value: str) -> None:
    found = spans_of(text, propagate_mentions(text, [at(text, value, P)]))
    assert found == [(value, P)]


def test_when_nothing_is_detected_then_nothing_is_added() -> None:
    assert propagate_mentions("Rested well overnight.", []) == []
