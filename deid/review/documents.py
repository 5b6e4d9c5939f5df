"""What the review page shows, read from ``deid detect`` JSONL output or a job's output folder.

Errors name files, lines, ids and offsets, never text or values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import smart_open

from deid.io import iter_jsonl_objects, read_records
from deid.spans import Span
from deid.spark.batch import DEID_SUFFIX, PHI_SUFFIX, STATUS_COL
from deid.spark.report import REPORT_NAME

# Report fields the page shows; nothing else from the report reaches it.
REPORT_FIELDS = ("run_id", "started_at", "detector", "engine", "model_id", "model_sha256", "policy", "policy_sha256", "rows_in", "rows_out")


@dataclass(frozen=True)
class ReviewSpan:
    """A detected span, with the detector's confidence when it gave one."""

    start: int
    end: int
    label: str
    confidence: float | None = None


@dataclass(frozen=True)
class ReviewField:
    """One text of a document: the original, its spans and the redacted text (a job row has one per text column)."""

    name: str | None  # the text column, for job output; None for detect output
    text: str | None
    redacted: str | None
    spans: tuple[ReviewSpan, ...]


@dataclass(frozen=True)
class ReviewDoc:
    id: str
    status: str
    fidelity: float | None  # None where the output does not record it (job output)
    fields: tuple[ReviewField, ...]

    @property
    def labels(self) -> set[str]:
        return {s.label for f in self.fields for s in f.spans}


def _spans(raw: Any, text: str | None, where: str) -> tuple[ReviewSpan, ...]:
    """Spans from their dict form, checked to fit ``text``; ``where`` names the document in errors."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ValueError(f"{where}: spans must be a list")
    spans = []
    for i, d in enumerate(raw):
        try:
            span = Span.from_dict(d)
            if text is None:
                raise ValueError("the document has spans but no text")
            span.check(text)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{where}, span {i}: {exc} (is the original text from the same input?)") from None
        confidence = d.get("confidence")
        spans.append(ReviewSpan(span.start, span.end, span.label, None if confidence is None else float(confidence)))
    return tuple(sorted(spans, key=lambda s: (s.start, s.end, s.label)))


def read_detect_output(uri: str, text_from: str | None = None, id_field: str = "id", text_field: str = "text") -> list[ReviewDoc]:
    """Documents from ``deid detect`` JSONL; the original text is each row's ``text`` or comes from ``text_from``.

    ``text_from`` is the input given to ``deid detect`` (JSONL, Parquet or plain text), read with its
    ``id_field`` and ``text_field`` as ``deid detect`` read it.
    """
    texts = {r.id: r.text for r in read_records(text_from, id_field, text_field)} if text_from else None
    docs = []
    for where, row in iter_jsonl_objects(uri):
        if "id" not in row or "status" not in row:
            raise ValueError(f"{where}: expected a `deid detect` output row (an object with id, spans, redacted, status)")
        doc_id = str(row["id"])
        if texts is not None:
            if doc_id not in texts:
                raise ValueError(f"{where}: id {doc_id!r} is not in {text_from}")
            text = texts[doc_id]
        elif "text" in row:
            text = row["text"]
        else:
            raise ValueError(f"{where}: no original text; pass --text-from with the input given to `deid detect`")
        field = ReviewField(None, text, row.get("redacted"), _spans(row.get("spans"), text, where))
        fidelity = row.get("fidelity")
        docs.append(ReviewDoc(doc_id, str(row["status"]), None if fidelity is None else float(fidelity), (field,)))
    return docs


def text_columns(names: Iterable[str]) -> list[str]:
    """The de-identified text columns of a job output: those with ``<col>_deid`` and ``<col>_phi`` beside them."""
    present = set(names)
    return [c[: -len(DEID_SUFFIX)] for c in names if c.endswith(DEID_SUFFIX) and c[: -len(DEID_SUFFIX)] + PHI_SUFFIX in present]


def read_job_output(uri: str, id_col: str = "id") -> list[ReviewDoc]:
    """Documents from a job's output folder (Parquet, hive-partitioned): one per row, one field per text column."""
    import pyarrow.dataset as ds

    from deid.spark.storage import filesystem

    fs, path = filesystem(uri)
    data = ds.dataset(path, filesystem=fs, format="parquet", partitioning="hive")
    names = data.schema.names
    cols = text_columns(names)
    if not cols:
        raise ValueError(f"{uri} has no <col>{DEID_SUFFIX} and <col>{PHI_SUFFIX} columns; is it a deid job output folder?")
    missing = [c for c in [id_col, STATUS_COL, *cols] if c not in names]
    if missing:
        hint = " (the job ran with --drop-original: there is no original text to highlight)" if set(missing) & set(cols) else ""
        raise ValueError(f"{uri} has no column(s) {missing}{hint}; its columns are {names}")
    table = data.to_table(columns=[id_col, STATUS_COL, *(c + s for c in cols for s in ("", DEID_SUFFIX, PHI_SUFFIX))])
    docs = []
    for n, row in enumerate(table.to_pylist()):
        where = f"{uri}, row {n} (id {row[id_col]!r})"
        fields = tuple(ReviewField(c, row[c], row[c + DEID_SUFFIX], _spans(row[c + PHI_SUFFIX], row[c], where)) for c in cols)
        docs.append(ReviewDoc(str(row[id_col]), str(row[STATUS_COL]), None, fields))
    return sorted(docs, key=lambda d: d.id)


def read_report(uri: str) -> dict[str, Any]:
    """The run report's identity fields (``REPORT_FIELDS``); other fields are left out of the page."""
    with smart_open.open(uri, encoding="utf-8") as f:
        report = json.load(f)
    return {k: report[k] for k in REPORT_FIELDS if k in report}


def read_input(
    uri: str, text_from: str | None = None, id_field: str = "id", text_field: str = "text", report: str | None = None
) -> tuple[list[ReviewDoc], dict[str, Any]]:
    """Documents and run identity from detect JSONL (``.jsonl``/``.ndjson``) or else a job output folder.

    The report is ``report`` when given, else a job folder's own report when it has one.
    """
    if Path(uri.split("?")[0]).suffix.lower() in (".jsonl", ".ndjson"):
        docs = read_detect_output(uri, text_from, id_field, text_field)
    else:
        if text_from:
            raise ValueError("--text-from is for `deid detect` output; a job output folder holds the original text itself")
        docs = read_job_output(uri, id_field)
        if report is None:
            try:
                return docs, read_report(f"{uri.rstrip('/')}/{REPORT_NAME}")
            except FileNotFoundError:
                return docs, {}
    return docs, read_report(report) if report else {}
