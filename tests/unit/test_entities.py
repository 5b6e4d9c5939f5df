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
