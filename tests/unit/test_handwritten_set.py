"""Tests for the hand-written evaluation set: the committed JSONL is the build of its tagged source,
every span is valid, and the builder (scripts/build_handwritten.py) rejects malformed tagging."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from deid.entities import load_entity_set
from deid.evaluate import read_documents

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "data" / "eval" / "handwritten.tagged.txt"
JSONL = ROOT / "data" / "eval" / "handwritten.jsonl"
SOURCE2 = ROOT / "data" / "eval" / "handwritten2.tagged.txt"
JSONL2 = ROOT / "data" / "eval" / "handwritten2.jsonl"
SOURCE3 = ROOT / "data" / "eval" / "handwritten3.tagged.txt"
JSONL3 = ROOT / "data" / "eval" / "handwritten3.jsonl"
SOURCE4 = ROOT / "data" / "eval" / "handwritten4.tagged.txt"
JSONL4 = ROOT / "data" / "eval" / "handwritten4.jsonl"
SOURCE5 = ROOT / "data" / "eval" / "handwritten5.tagged.txt"
JSONL5 = ROOT / "data" / "eval" / "handwritten5.jsonl"
SOURCE6 = ROOT / "data" / "eval" / "handwritten6.tagged.txt"
JSONL6 = ROOT / "data" / "eval" / "handwritten6.jsonl"
SOURCE7 = ROOT / "data" / "eval" / "handwritten7.tagged.txt"
JSONL7 = ROOT / "data" / "eval" / "handwritten7.jsonl"
SOURCE8 = ROOT / "data" / "eval" / "handwritten8.tagged.txt"
JSONL8 = ROOT / "data" / "eval" / "handwritten8.jsonl"
SOURCE9 = ROOT / "data" / "eval" / "handwritten9.tagged.txt"
JSONL9 = ROOT / "data" / "eval" / "handwritten9.jsonl"
SETS = [
    pytest.param(SOURCE, JSONL, id="set1"),
    pytest.param(SOURCE2, JSONL2, id="set2"),
    pytest.param(SOURCE3, JSONL3, id="set3"),
    pytest.param(SOURCE4, JSONL4, id="set4"),
    pytest.param(SOURCE5, JSONL5, id="set5"),
    pytest.param(SOURCE6, JSONL6, id="set6"),
    pytest.param(SOURCE7, JSONL7, id="set7"),
    pytest.param(SOURCE8, JSONL8, id="set8"),
    pytest.param(SOURCE9, JSONL9, id="set9"),
]
LABELS = set(load_entity_set("hipaa").names)


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_handwritten", ROOT / "scripts" / "build_handwritten.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


builder = _load_builder()


@pytest.mark.parametrize(("source", "jsonl"), SETS)
def test_when_tagged_source_is_built_then_it_equals_the_committed_jsonl(source: Path, jsonl: Path) -> None:
    built = builder.to_jsonl(builder.build(source.read_text(encoding="utf-8"), LABELS))
    rebuild = f".venv/bin/python scripts/build_handwritten.py --source {source} --output {jsonl}"
    assert built == jsonl.read_text(encoding="utf-8"), f"run: {rebuild}"


def test_when_committed_jsonl_is_read_then_every_span_label_is_in_the_entity_set() -> None:
    documents = read_documents(JSONL)
    unknown = {span.label for doc in documents for span in doc.spans} - LABELS
    assert not unknown


def test_when_committed_jsonl_is_read_then_it_has_the_promised_size() -> None:
    documents = read_documents(JSONL)
    assert len(documents) >= 120
    assert sum(not doc.spans for doc in documents) >= 15  # PHI-free hard negatives


def test_when_committed_jsonl_is_read_then_no_span_starts_or_ends_with_whitespace() -> None:
    for doc in read_documents(JSONL):
        assert doc.text is not None
        for span in doc.spans:
            value = doc.text[span.start : span.end]
            assert value == value.strip(), f"{doc.id} span [{span.start}, {span.end})"


def test_when_source_has_comment_and_documents_then_offsets_are_over_untagged_text() -> None:
    source = (
        "# a comment block\n# of two lines\n\n"
        "## d1 query\nsaw <PERSON>Dr. Ann Lee</PERSON>'s pt on <DATE_TIME>3/2</DATE_TIME>?\n\n"
        "## d2 hard_negative\nBP < 120, Bell's palsy\nline two"
    )
    assert builder.build(source, LABELS) == [
        {
            "id": "d1",
            "text": "saw Dr. Ann Lee's pt on 3/2?",
            "spans": [{"start": 4, "end": 15, "label": "PERSON"}, {"start": 24, "end": 27, "label": "DATE_TIME"}],
            "genre": "query",
        },
        {"id": "d2", "text": "BP < 120, Bell's palsy\nline two", "spans": [], "genre": "hard_negative"},
    ]


MALFORMED = [
    pytest.param("## d1 q\na <PERSON>Ann</PERSON", "never closed", id="unclosed"),
    pytest.param("## d1 q\na <PERSON>Ann</LOCATION>", "does not match", id="mismatched_close"),
    pytest.param("## d1 q\na Ann</PERSON>", "does not match", id="close_without_open"),
    pytest.param("## d1 q\n<PERSON>Ann <LOCATION>Rd</LOCATION></PERSON>", "nest", id="nested"),
    pytest.param("## d1 q\na <NAME>Ann</NAME>", "not in the entity set", id="unknown_label"),
    pytest.param("## d1 q\na <person>Ann</person>", "not in the entity set", id="lower_case_label"),
    pytest.param("## d1 q\na <PERSON></PERSON> b", "empty", id="empty_tag"),
    pytest.param("## d1 q\na <PERSON>Ann </PERSON>b", "whitespace", id="trailing_space_inside"),
    pytest.param("## d1 q\na\n\n## d1 q\nb", "repeats", id="duplicate_id"),
    pytest.param("## d1 q\na\n\nstray text", "neither a comment", id="block_without_header"),
    pytest.param("## d1\na", "neither a comment", id="header_without_genre"),
    pytest.param("## d1 q", "no text", id="header_only"),
]


@pytest.mark.parametrize(("source", "message"), MALFORMED)
def test_when_source_is_malformed_then_build_names_the_problem(source: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        builder.build(source, LABELS)
