"""Tests for the entity rules on a span's own text (deid.rules): what a model span can be, and how it is cut."""

from __future__ import annotations

import pytest

from deid.rules import breaks_a_rule, trim_to_rules
from deid.spans import Span


@pytest.mark.parametrize(
    ("value", "label", "breaks"),
    [
        ("Dr.", "PERSON", True),
        ("the nurse", "PERSON", True),
        ("Mr. ", "PERSON", True),
        ("Dr. Ann Lee", "PERSON", False),
        ("Lee", "PERSON", False),
        ("67 y/o male", "AGE", True),
        ("89", "AGE", True),
        ("90", "AGE", False),
        ("ninety-three", "AGE", False),
        ("RN", "ACCOUNT_NUMBER", True),
        ("TX", "LICENSE_NUMBER", True),
        ("TX 4821", "LICENSE_NUMBER", False),
        ("ABCDEFG", "VEHICLE_ID", False),
        ("jsmith", "ID", False),
        ("Maria de los Angeles Garcia y Lopez", "PERSON", False),
        ("Braden 14 Morse 35 CAM neg PHQ-9 7 GAD-7 3 MoCA 26/30", "PERSON", True),  # tagging ran past a name
        ("3 West", "LOCATION", True),
        ("bed 14", "LOCATION", True),
        ("rm 9B", "MEDICAL_RECORD_NUMBER", True),
        ("3 Westover Rd", "LOCATION", False),
        (".", "DATE_TIME", True),
        ("Q", "BIOMETRIC_ID", True),
        ("J", "PERSON", False),  # an initial can be a name
        ("cousin", "PERSON", True),
        ("Grandmother", "PERSON", True),
        ("the", "LOCATION", True),
        ("name", "DATE_TIME", True),
        ("at noon sharp", "DATE_TIME", True),  # no digit, month, weekday or holiday
        ("Christmas Eve", "DATE_TIME", False),
        ("march twelfth", "DATE_TIME", False),
        ("the fourteenth", "DATE_TIME", False),  # a spelled day, as dictation writes it
        ("Oregon", "LOCATION", True),
        ("Brazil", "LOCATION", True),
        ("New York", "LOCATION", False),  # also a city
        ("Medical Records", "LOCATION", True),
        ("Salem", "LOCATION", False),
    ],
)
def test_when_a_span_text_breaks_an_entity_rule_then_it_is_said(value: str, label: str, breaks: bool) -> None:

    assert breaks_a_rule(value, label) is breaks


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("Heidi W. LCSW", "Heidi W."),
        ("CMA A. Morgan", "A. Morgan"),
        ("brother Gavin Hudson", "Gavin Hudson"),
        ("J. Walker, MD", "J. Walker"),
        ("(Anna S.)", "Anna S."),
        ("Mr. James T.", "Mr. James T."),
        ("Son", "Son"),
    ],
)
def test_when_a_person_span_has_a_credential_relation_or_punctuation_at_its_edge_then_it_is_cut_to_the_name(value: str, kept: str) -> None:

    text = f"seen: {value} today"
    trimmed = trim_to_rules(text, Span(6, 6 + len(value), "PERSON"))
    assert trimmed is not None and text[trimmed.start : trimmed.end] == kept and trimmed.label == "PERSON"


def test_when_a_span_breaks_a_rule_then_trimming_drops_it_and_other_labels_are_kept_whole() -> None:

    text = "Dr. and 67 y/o, seen at Mercy, MD"
    assert trim_to_rules(text, Span(0, 3, "PERSON")) is None
    assert trim_to_rules(text, Span(8, 14, "AGE")) is None
    assert trim_to_rules(text, Span(24, 33, "LOCATION")) == Span(24, 33, "LOCATION")


@pytest.mark.parametrize(
    ("value", "label", "kept", "kept_label"),
    [
        ("DOB 04/17/1951", "DATE_TIME", "04/17/1951", "DATE_TIME"),
        ("le 04/05/1939", "DATE_TIME", "04/05/1939", "DATE_TIME"),
        ("MRN 22-417-901", "MEDICAL_RECORD_NUMBER", "22-417-901", "MEDICAL_RECORD_NUMBER"),
        ("member ID W 4471 2093", "HEALTH_PLAN_NUMBER", "W 4471 2093", "HEALTH_PLAN_NUMBER"),  # a letter of the value stays
        ("the 9th", "DATE_TIME", "the 9th", "DATE_TIME"),
        ("jan 3", "DATE_TIME", "jan 3", "DATE_TIME"),
        ("sat 7/6", "DATE_TIME", "sat 7/6", "DATE_TIME"),
        ("94F", "MEDICAL_RECORD_NUMBER", "94", "AGE"),
        ("91 M", "ID", "91", "AGE"),
        ("brother, Dana Ruiz", "PERSON", "Dana Ruiz", "PERSON"),
        ("the 92 yo w/ CHF", "ID", "92 yo", "AGE"),
        ("the Riverside Methodist Hospital", "LOCATION", "Riverside Methodist Hospital", "LOCATION"),
        ("Kessler Institute rehab stay", "LOCATION", "Kessler Institute", "LOCATION"),
        ("44 Ocean Drive", "LOCATION", "44 Ocean Drive", "LOCATION"),
        ("12 Main street", "LOCATION", "12 Main street", "LOCATION"),
        ("springfield", "LOCATION", "springfield", "LOCATION"),
    ],
)
def test_when_a_span_runs_past_its_value_or_is_an_age_then_it_is_cut_to_it(
    value: str, label: str, kept: str, kept_label: str
) -> None:

    text = f"seen: {value} today"
    trimmed = trim_to_rules(text, Span(6, 6 + len(value), label))
    assert trimmed is not None and (text[trimmed.start : trimmed.end], trimmed.label) == (kept, kept_label)


def test_when_an_age_with_sex_is_under_90_then_trimming_drops_it() -> None:

    assert trim_to_rules("a 27M with asthma", Span(2, 5, "ID")) is None


@pytest.mark.parametrize(
    ("text", "value", "label", "kept"),
    [
        ("new onset Bell's palsy on the left", "Bell", "PERSON", None),
        ("Jackson-Pratt drain removed", "Jackson-Pratt", "PERSON", None),
        ("Wilson disease ruled out", "Wilson", "PERSON", None),
        ("Wilson Procedure date: 3/4", "Wilson", "PERSON", "Wilson"),  # a heading after a name
        ("started adalimumab today", "adalimumab", "PERSON", None),
        ("April Lowe signed", "April Lowe", "PERSON", "April Lowe"),
        ("Blue Cross Blue Shield of Texas denied", "Blue Cross Blue Shield of Texas", "LOCATION", None),
        ("card says BCBSTX member XOT 7720 4418", "BCBSTX member XOT 7720 4418", "HEALTH_PLAN_NUMBER", "XOT 7720 4418"),
        ("dx E11.65 and I10", "E11.65", "ID", None),
        ("moved to bed 14 today", "14", "LOCATION", None),
        ("home: 35, Nori Chowk", "35", "LOCATION", "35"),  # an address goes on
        ("a 27yo with asthma", "27yo", "PERSON", None),
        ("a 93F. with CHF", "93F.", "PERSON", "93"),
        ("new Bell's palsy", "Bell's palsy", "PERSON", None),
        ("Kayser-Fleischer rings seen", "Kayser-Fleischer rings", "PERSON", None),
        ("s/p Ladd pull-through", "Ladd", "PERSON", None),
        ("PCP: Dr. unknown.", "Dr. unknown", "PERSON", None),
        ("Dx: E78.5 mixed hyperlipidemia;", "E78.5 mixed hyperlipidemia", "MEDICAL_RECORD_NUMBER", None),
        ("acuity 20/40 OS.", "20/40 OS.", "VEHICLE_ID", None),
        ("Murmur: 3/6 holosystolic at apex", "3/6 holosystolic at apex", "DATE_TIME", None),
        ("seen 3/6 at noon", "3/6", "DATE_TIME", "3/6"),
    ],
)
def test_when_a_span_is_an_eponym_drug_insurer_code_or_short_number_then_the_rules_drop_it(
    text: str, value: str, label: str, kept: str | None
) -> None:

    start = text.index(value)
    trimmed = trim_to_rules(text, Span(start, start + len(value), label))
    assert (None if trimmed is None else text[trimmed.start : trimmed.end]) == kept
