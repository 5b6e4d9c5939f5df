"""Tests for deid.io: reading JSONL, Parquet and plain text records, and writing JSONL results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deid.io import Record, read_records, write_jsonl

SECRET = "Ann Lee 123-45-6789"  # a value that must never show up in an error message


def write_lines(path: Path, *lines: str) -> str:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson", ".JSONL"])
def test_when_jsonl_is_read_then_records_keep_order_ids_and_texts(tmp_path: Path, suffix: str) -> None:
    uri = write_lines(
        tmp_path / f"docs{suffix}",
        json.dumps({"id": "a", "text": "Seen by Zo\u00eb.\r\nNext line.", "extra": 1}),
        "",
        json.dumps({"id": 7, "text": None}),
        json.dumps({"id": "c", "text": ""}),
    )
    assert read_records(uri) == [
        Record("a", "Seen by Zo\u00eb.\r\nNext line."),
        Record("7", None),
        Record("c", ""),
    ]


def test_when_fields_are_renamed_then_they_are_read_from_the_given_keys(tmp_path: Path) -> None:
    uri = write_lines(
        tmp_path / "docs.jsonl",
        json.dumps({"note_id": "n1", "body": "x", "mrn": 42}),
        json.dumps({"note_id": "n2", "body": "y", "mrn": None}),
        json.dumps({"note_id": "n3", "body": "z"}),
    )
    assert read_records(uri, id_field="note_id", text_field="body", patient_field="mrn") == [
        Record("n1", "x", "42"),
        Record("n2", "y", None),
        Record("n3", "z", None),
    ]


BAD_LINES = [
    pytest.param(f'{{"id": "a", "text": "{SECRET}"', "line 2: not valid JSON", id="truncated_json"),
    pytest.param(f'["{SECRET}"]', "line 2: expected a JSON object", id="not_an_object"),
    pytest.param(f'{{"id": "a", "body": "{SECRET}"}}', "line 2: missing field 'text'", id="missing_text"),
    pytest.param(f'{{"text": "{SECRET}"}}', "line 2: missing field 'id'", id="missing_id"),
    pytest.param('{"id": "a", "text": 12345}', "line 2: field 'text' must be a string or null", id="text_not_a_string"),
]


@pytest.mark.parametrize(("line", "message"), BAD_LINES)
def test_when_a_jsonl_line_is_bad_then_error_names_file_and_line_but_not_its_content(tmp_path: Path, line: str, message: str) -> None:
    uri = write_lines(tmp_path / "docs.jsonl", json.dumps({"id": "ok", "text": "fine"}), line)
    with pytest.raises(ValueError, match=message) as err:
        read_records(uri)
    assert uri in str(err.value)
    assert SECRET not in str(err.value) and "Ann Lee" not in str(err.value) and "12345" not in str(err.value)


def test_when_parquet_is_read_then_records_come_from_the_named_columns(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "docs.parquet"
    table = pa.table({"id": [1, 2, 3], "text": ["Seen by Zo\u00eb.", None, ""], "pid": ["p1", None, "p3"], "other": [0, 0, 0]})
    pq.write_table(table, path)
    assert read_records(str(path), patient_field="pid") == [Record("1", "Seen by Zo\u00eb.", "p1"), Record("2", None, None), Record("3", "", "p3")]
    assert read_records(str(path)) == [Record("1", "Seen by Zo\u00eb."), Record("2", None), Record("3", "")]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("note.txt", "Line one.\r\nLine two.\r\n", id="crlf_kept"),
        pytest.param("note.md", "Zo\u00eb \U0001f600\n", id="unicode"),
        pytest.param("report", "", id="no_suffix_empty"),
    ],
)
def test_when_plain_text_is_read_then_the_whole_file_is_one_record_named_by_its_stem(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8"))
    assert read_records(str(path)) == [Record(Path(name).stem, content)]


def test_when_rows_are_written_then_jsonl_has_one_unescaped_object_per_line(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    rows = [{"id": "a", "redacted": "Zo\u00eb [PERSON]", "spans": []}, {"id": "b", "redacted": None}]
    assert write_jsonl(str(path), iter(rows)) == 2
    assert path.read_text(encoding="utf-8") == (
        '{"id": "a", "redacted": "Zo\u00eb [PERSON]", "spans": []}\n{"id": "b", "redacted": null}\n'
    )


def test_when_no_rows_are_written_then_the_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    assert write_jsonl(str(path), []) == 0
    assert path.read_text(encoding="utf-8") == ""
