"""Tests for deid.entities: the bundled label sets, YAML loading and validation of a set."""

from __future__ import annotations

from pathlib import Path

import pytest

from deid.entities import EntityLabel, EntitySet, WorkedExample, load_entity_set, resolve_entity_path

HIPAA_LABELS = (
    "PERSON", "LOCATION", "DATE_TIME", "AGE", "PHONE_NUMBER", "FAX_NUMBER", "EMAIL_ADDRESS", "US_SSN",
    "MEDICAL_RECORD_NUMBER", "HEALTH_PLAN_NUMBER", "ACCOUNT_NUMBER", "LICENSE_NUMBER", "VEHICLE_ID", "DEVICE_ID",
    "URL", "IP_ADDRESS", "BIOMETRIC_ID", "ID",
)  # fmt: skip
SEED_LABELS = ("PERSON", "Rx_NUMBER", "ORDER_NUMBER", "EMAIL_ADDRESS", "PHONE_NUMBER", "DATE_TIME", "US_SSN")

VALID_YAML = """\
name: mine
labels:
  - name: PERSON
    description: >-
      A name,
        with   folded   lines.
  - name: ID
    description: An identifier.
rules:
  - "A year alone
     is not PHI."
example:
  tagged: >-
    <PERSON>Ann</PERSON> has
    <ID>A-12</ID>.
  explanation: Ann is a PERSON.
"""


@pytest.mark.parametrize(
    ("name", "labels"),
    [pytest.param("hipaa", HIPAA_LABELS, id="hipaa"), pytest.param("seed", SEED_LABELS, id="seed")],
)
def test_when_bundled_set_is_loaded_then_it_has_exactly_the_issue_labels_in_order(name: str, labels: tuple[str, ...]) -> None:
    entities = load_entity_set(name)
    assert entities.name == name
    assert entities.names == labels
    assert all(label.description.strip() for label in entities.labels)


def test_when_no_set_is_named_then_hipaa_is_loaded() -> None:
    assert load_entity_set().names == HIPAA_LABELS


@pytest.mark.parametrize("name", ["hipaa", "seed"])
def test_when_bundled_set_is_loaded_then_its_example_text_has_no_tags_and_an_explanation(name: str) -> None:
    example = load_entity_set(name).example
    assert "<" not in example.text and ">" not in example.text
    assert "\n" not in example.tagged and "  " not in example.tagged
    assert example.explanation


def test_when_hipaa_example_is_read_then_its_text_is_the_untagged_sentence() -> None:
    assert load_entity_set("hipaa").example.text == (
        "Pt Maria Lopez (MRN 4471983) seen at St. Jude Clinic on 03/14/2022 for Parkinson's disease follow-up. "
        "Call back at (617) 555-0199; she is 67 and was diagnosed in 2015."
    )


def test_when_yaml_path_is_given_then_folded_whitespace_is_collapsed(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(VALID_YAML, encoding="utf-8")
    entities = load_entity_set(path)
    assert entities.labels == (EntityLabel("PERSON", "A name, with folded lines."), EntityLabel("ID", "An identifier."))
    assert entities.rules == ("A year alone is not PHI.",)
    assert entities.example.tagged == "<PERSON>Ann</PERSON> has <ID>A-12</ID>."
    assert entities.example.text == "Ann has A-12."
    assert load_entity_set(str(path)) == entities


@pytest.mark.parametrize("name", ["nosuchset", "HIPAA_v2", ""])
def test_when_set_name_is_unknown_then_error_lists_the_bundled_sets(name: str) -> None:
    with pytest.raises(ValueError, match=r"unknown entity set .*\['hipaa', 'seed'\]"):
        load_entity_set(name)


@pytest.mark.parametrize("suffix", [".yaml", ".yml"])
def test_when_yaml_path_does_not_exist_then_file_not_found(tmp_path: Path, suffix: str) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        resolve_entity_path(tmp_path / f"missing{suffix}")


def _labels(*names: str) -> tuple[EntityLabel, ...]:
    return tuple(EntityLabel(n, "d") for n in names)


INVALID_SETS = [
    pytest.param(_labels(), "<X>a</X>", "has no labels", id="no_labels"),
    pytest.param(_labels("PERSON", "PERSON"), "a", "twice", id="duplicate_label"),
    pytest.param(_labels("PHONE NUMBER"), "a", "not a valid tag name", id="space_in_label"),
    pytest.param(_labels("9ID"), "a", "not a valid tag name", id="label_starts_with_digit"),
    pytest.param(_labels("PERSON"), "<NAME>Ann</NAME>", r"unknown labels \['NAME'\]", id="example_uses_unknown_label"),
    pytest.param(_labels("PERSON"), "<person>Ann</person>", r"unknown labels \['person'\]", id="example_label_case"),
]


@pytest.mark.parametrize(("labels", "tagged", "message"), INVALID_SETS)
def test_when_set_is_invalid_then_building_it_is_an_error(labels: tuple[EntityLabel, ...], tagged: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EntitySet("bad", labels, (), WorkedExample(tagged, "e"))


def test_when_yaml_example_uses_a_label_the_set_lacks_then_loading_fails(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(VALID_YAML.replace("<ID>A-12</ID>", "<MRN>A-12</MRN>"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"worked example .*unknown labels \['MRN'\]"):
        load_entity_set(path)


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
    from deid.entities import breaks_a_rule

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
    from deid.entities import trim_to_rules
    from deid.spans import Span

    text = f"seen: {value} today"
    trimmed = trim_to_rules(text, Span(6, 6 + len(value), "PERSON"))
    assert trimmed is not None and text[trimmed.start : trimmed.end] == kept and trimmed.label == "PERSON"


def test_when_a_span_breaks_a_rule_then_trimming_drops_it_and_other_labels_are_kept_whole() -> None:
    from deid.entities import trim_to_rules
    from deid.spans import Span

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
    from deid.entities import trim_to_rules
    from deid.spans import Span

    text = f"seen: {value} today"
    trimmed = trim_to_rules(text, Span(6, 6 + len(value), label))
    assert trimmed is not None and (text[trimmed.start : trimmed.end], trimmed.label) == (kept, kept_label)


def test_when_an_age_with_sex_is_under_90_then_trimming_drops_it() -> None:
    from deid.entities import trim_to_rules
    from deid.spans import Span

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
    from deid.entities import trim_to_rules
    from deid.spans import Span

    start = text.index(value)
    trimmed = trim_to_rules(text, Span(start, start + len(value), label))
    assert (None if trimmed is None else text[trimmed.start : trimmed.end]) == kept
