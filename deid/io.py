"""Reading documents for ``deid detect`` (JSONL, Parquet or plain text) and writing JSONL results."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import smart_open


@dataclass(frozen=True)
class Record:
    id: str
    text: str | None
    patient_id: str | None = None


def _suffix(uri: str) -> str:
    return Path(uri.split("?")[0]).suffix.lower()


def read_records(uri: str, id_field: str = "id", text_field: str = "text", patient_field: str | None = None) -> list[Record]:
    """Records from a ``.jsonl``, ``.parquet`` or plain-text file (the whole file is one document)."""
    suffix = _suffix(uri)
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(uri, id_field, text_field, patient_field)
    if suffix == ".parquet":
        return _read_parquet(uri, id_field, text_field, patient_field)
    with smart_open.open(uri, encoding="utf-8", newline="") as f:
        return [Record(id=Path(uri).stem, text=f.read())]


def _field(row: dict[str, Any], name: str, where: str) -> Any:
    if name not in row:
        raise ValueError(f"{where}: missing field {name!r}")
    return row[name]


def iter_jsonl_objects(uri: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(where, object)`` for each non-blank line of a JSONL file; ``where`` names file and line, never a value."""
    with smart_open.open(uri, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{uri}, line {n}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                raise ValueError(f"{where}: not valid JSON") from None
            if not isinstance(row, dict):
                raise ValueError(f"{where}: expected a JSON object")
            yield where, row


def _read_jsonl(uri: str, id_field: str, text_field: str, patient_field: str | None) -> list[Record]:
    records = []
    for where, row in iter_jsonl_objects(uri):
        text = _field(row, text_field, where)
        if text is not None and not isinstance(text, str):
            raise ValueError(f"{where}: field {text_field!r} must be a string or null")
        patient = row.get(patient_field) if patient_field else None
        records.append(Record(str(_field(row, id_field, where)), text, None if patient is None else str(patient)))
    return records


def _read_parquet(uri: str, id_field: str, text_field: str, patient_field: str | None) -> list[Record]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = [id_field, text_field] + ([patient_field] if patient_field else [])
    with smart_open.open(uri, "rb") as f:
        schema = pq.read_schema(f)
        missing = [c for c in columns if c not in schema.names]
        if missing:
            raise ValueError(f"{uri}: no column {missing[0]!r}; its columns are {schema.names}")
        kind = schema.field(text_field).type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)):
            raise ValueError(
                f"{uri}: column {text_field!r} has type {kind}, but the text to de-identify must be a string column; "
                "name the text column with --text-field, or cast it to string first"
            )
        f.seek(0)
        table = pq.read_table(f, columns=columns)
    rows = table.to_pylist()
    return [
        Record(str(r[id_field]), r[text_field], None if not patient_field or r[patient_field] is None else str(r[patient_field]))
        for r in rows
    ]


def write_jsonl(uri: str, rows: Iterable[dict[str, Any]]) -> int:
    """Write rows as JSONL; returns how many."""
    n = 0
    with smart_open.open(uri, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n
