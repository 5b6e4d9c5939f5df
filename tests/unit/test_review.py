"""Tests for deid.review: reading detect and job output, choosing documents, cutting texts, the page's promises."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from deid.cli import main
from deid.entities import DEFAULT_ENTITY_SET, load_entity_set
from deid.redact import load_policy
from deid.review import ReviewDoc, ReviewField, ReviewSpan, read_detect_output, read_input, render_page, select_documents, write_page
from deid.review.page import cut_pieces, label_colours
from deid.spark.batch import BatchSpec, PatternFactory, deidentify_batch
from deid.spark.report import REPORT_NAME

# Offsets counted by hand: "Ann Lee" 8..15, "3/4/21" 19..25.
TEXT = "Seen by Ann Lee on 3/4/21."
SPANS = [{"label": "PERSON", "start": 8, "end": 15}, {"label": "DATE_TIME", "start": 19, "end": 25}]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def doc(doc_id: str, status: str = "ok", labels: tuple[str, ...] = ()) -> ReviewDoc:
    text = " ".join(["word"] * (len(labels) + 1))
    spans = tuple(ReviewSpan(5 * i, 5 * i + 4, label) for i, label in enumerate(labels))
    return ReviewDoc(doc_id, status, 1.0, (ReviewField(None, text, text, spans),))


# --- cutting a text into pieces ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("", [], []),
        ("plain", [], [("plain", ())]),
        ("Ann Lee came", [(0, 7, "PERSON")], [("Ann Lee", (0,)), (" came", ())]),
        ("came Ann", [(5, 8, "PERSON")], [("came ", ()), ("Ann", (0,))]),
        ("AnnLee", [(0, 3, "PERSON"), (3, 6, "PERSON")], [("Ann", (0,)), ("Lee", (1,))]),
        ("abcdef", [(0, 4, "A"), (2, 6, "B")], [("ab", (0,)), ("cd", (0, 1)), ("ef", (1,))]),
        ("Zoë 😀 Ng\r\nx", [(6, 8, "PERSON")], [("Zoë 😀 ", ()), ("Ng", (0,)), ("\r\nx", ())]),
    ],
    ids=["empty", "no-spans", "at-start", "at-end", "adjacent", "overlapping", "unicode-crlf"],
)
def test_when_a_text_is_cut_then_pieces_rebuild_it_and_name_their_spans(text: str, spans: list, expected: list) -> None:
    review_spans = [ReviewSpan(s, e, label) for s, e, label in spans]
    pieces = cut_pieces(text, review_spans)
    assert [(p.text, p.spans) for p in pieces] == expected
    assert "".join(p.text for p in pieces) == text


# --- choosing documents ------------------------------------------------------------------------


def test_when_documents_fit_the_sample_then_all_are_shown_in_order() -> None:
    docs = [doc(f"d{i}") for i in range(5)]
    selection = select_documents(docs, sample=5)
    assert [d.id for d in selection.docs] == ["d0", "d1", "d2", "d3", "d4"]
    assert selection.describe() == "5 of 5 documents"


def test_when_documents_exceed_the_sample_then_a_seeded_sample_keeps_input_order() -> None:
    docs = [doc(f"d{i:03d}") for i in range(300)]
    first = select_documents(docs, sample=200, seed=1)
    again = select_documents(docs, sample=200, seed=1)
    other = select_documents(docs, sample=200, seed=2)
    ids = [d.id for d in first.docs]
    assert len(ids) == 200 and len(set(ids)) == 200
    assert ids == sorted(ids)
    assert ids == [d.id for d in again.docs]
    assert ids != [d.id for d in other.docs]
    assert first.describe() == "200 of 300 documents (a sample, seed 1)"


def test_when_status_and_label_filters_are_given_then_only_matching_documents_are_chosen() -> None:
    docs = [doc("a", "ok", ("PERSON",)), doc("b", "fallback", ("PERSON",)), doc("c", "fallback", ("PHONE_NUMBER",)), doc("d", "fallback")]
    assert [d.id for d in select_documents(docs, statuses=["fallback"]).docs] == ["b", "c", "d"]
    assert [d.id for d in select_documents(docs, labels=["PERSON"]).docs] == ["a", "b"]
    chosen = select_documents(docs, statuses=["fallback"], labels=["PERSON", "PHONE_NUMBER"])
    assert [d.id for d in chosen.docs] == ["b", "c"]
    assert chosen.describe() == "2 of 2 documents with status fallback and a PERSON or PHONE_NUMBER span"


# --- reading detect output ---------------------------------------------------------------------


def test_when_detect_output_has_a_text_field_then_spans_and_confidence_are_read(tmp_path: Path) -> None:
    spans = [SPANS[0] | {"confidence": 0.75}, SPANS[1]]
    path = write_jsonl(tmp_path / "out.jsonl", [{"id": 7, "text": TEXT, "spans": spans, "redacted": "r", "status": "ok", "fidelity": 0.99}])
    [got] = read_detect_output(str(path))
    assert (got.id, got.status, got.fidelity) == ("7", "ok", 0.99)
    assert got.fields[0].spans == (ReviewSpan(8, 15, "PERSON", 0.75), ReviewSpan(19, 25, "DATE_TIME", None))


def test_when_text_comes_from_the_detect_input_then_it_is_matched_by_id(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"note": "n2", "body": "other"}, {"note": "n1", "body": TEXT}])
    out = write_jsonl(tmp_path / "out.jsonl", [{"id": "n1", "spans": SPANS, "redacted": "r", "status": "ok", "fidelity": 1.0}])
    [got] = read_detect_output(str(out), str(source), "note", "body")
    assert got.fields[0].text == TEXT


@pytest.mark.parametrize(
    ("row", "text_from", "message"),
    [
        ({"id": "n1", "spans": SPANS, "status": "ok"}, False, "pass --text-from"),
        ({"id": "zz", "spans": SPANS, "status": "ok"}, True, "id 'zz' is not in"),
        ({"id": "n1", "spans": [{"label": "PERSON", "start": 8, "end": 99}], "status": "ok"}, True, "span 0: Span [8, 99) runs past the end"),
        ({"id": "n1", "spans": [{"label": "PERSON"}], "status": "ok"}, True, "span 0"),
        ({"spans": []}, True, "expected a `deid detect` output row"),
    ],
    ids=["no-text", "unknown-id", "past-end", "no-offsets", "not-detect-output"],
)
def test_when_detect_output_does_not_fit_then_the_error_says_where_without_text(tmp_path: Path, row: dict, text_from: bool, message: str) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "n1", "text": TEXT}])
    out = write_jsonl(tmp_path / "out.jsonl", [row])
    with pytest.raises(ValueError, match="line 1") as error:
        read_detect_output(str(out), str(source) if text_from else None)
    assert message in str(error.value)
    assert "Ann Lee" not in str(error.value)


# --- reading a job output folder ---------------------------------------------------------------


def _job_output(root: Path, drop_original: bool = False) -> None:
    """A job output folder made by the job's own batch function (pattern detector), with a report."""
    batch = pa.RecordBatch.from_pylist(
        [
            {"note_id": "b", "note_text": "Call 617-555-0199 today.", "addendum": None},
            {"note_id": "a", "note_text": "Nothing here.", "addendum": "SSN 123-45-6789."},
        ]
    )
    spec = BatchSpec(text_cols=("note_text", "addendum"), model_id="patterns", run_id="r1", drop_original=drop_original)
    out, _ = deidentify_batch(batch, PatternFactory(load_entity_set(DEFAULT_ENTITY_SET)).build(), load_policy("safe_harbor"), spec)
    root.mkdir()
    pq.write_table(pa.Table.from_batches([out]), root / "part-0.parquet")
    report = {"run_id": "r1", "model_id": "patterns", "model_sha256": "ab" * 32, "policy": "safe_harbor", "policy_sha256": "cd" * 32, "workers": {"h:1": {}}}
    (root / REPORT_NAME).write_text(json.dumps(report), encoding="utf-8")


def test_when_a_job_folder_is_read_then_each_row_has_a_field_per_text_column_and_the_report(tmp_path: Path) -> None:
    _job_output(tmp_path / "out")
    docs, report = read_input(str(tmp_path / "out"), id_field="note_id")
    assert [d.id for d in docs] == ["a", "b"]
    assert [f.name for f in docs[0].fields] == ["note_text", "addendum"]
    assert docs[0].fields[1].spans == (ReviewSpan(4, 15, "US_SSN"),)
    assert docs[1].fields[0].spans == (ReviewSpan(5, 17, "PHONE_NUMBER"),)
    assert docs[1].fields[1].text is None
    assert (docs[0].status, docs[0].fidelity) == ("ok", None)
    assert report == {"run_id": "r1", "model_id": "patterns", "model_sha256": "ab" * 32, "policy": "safe_harbor", "policy_sha256": "cd" * 32}


def test_when_a_job_ran_with_drop_original_then_the_error_says_there_is_no_text(tmp_path: Path) -> None:
    _job_output(tmp_path / "out", drop_original=True)
    with pytest.raises(ValueError, match="--drop-original"):
        read_input(str(tmp_path / "out"), id_field="note_id")


def test_when_the_id_column_is_missing_then_the_error_lists_the_columns(tmp_path: Path) -> None:
    _job_output(tmp_path / "out")
    with pytest.raises(ValueError, match=r"no column\(s\) \['id'\].*note_id"):
        read_input(str(tmp_path / "out"))


# --- the page ----------------------------------------------------------------------------------


def test_when_pages_show_different_labels_then_a_label_keeps_its_colour() -> None:
    few, many = label_colours(["PERSON"]), label_colours(["AGE", "PERSON", "ZIP_PLUS", "URL"])
    assert few["PERSON"] == many["PERSON"]
    assert len(set(many.values())) == 4


def _page(docs: list[ReviewDoc], report: dict | None = None) -> str:
    return render_page(docs, select_documents(docs), report or {}, "in.jsonl")


def test_when_text_holds_markup_then_the_page_escapes_it() -> None:
    text = '<script>alert(1)</script> & "Ann"'
    html = _page([ReviewDoc("d1", "ok", 1.0, (ReviewField(None, text, text, (ReviewSpan(0, 8, "PERSON"),)),))])
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Ann&#34;" in html


def test_when_text_holds_a_carriage_return_then_it_is_written_as_a_character_reference() -> None:
    text = "a\r\nb"
    html = _page([ReviewDoc("d1", "ok", 1.0, (ReviewField(None, text, text, ()),))])
    assert "a&#13;\nb" in html and "\r" not in html


def test_when_the_page_is_rendered_then_it_references_nothing_outside_itself() -> None:
    html = _page([doc("d1", "ok", ("PERSON",))], {"run_id": "r1"})
    for needle in ("http://", "https://", "src=", "href=", "@import", "url("):
        assert needle not in html


def test_when_the_secret_key_would_appear_then_the_page_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    key = "0f" * 32
    monkeypatch.setenv("DEID_SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="DEID_SECRET_KEY") as error:
        _page([ReviewDoc("d1", "ok", 1.0, (ReviewField(None, f"key {key}", "key", ()),))])
    assert key not in str(error.value)
    assert key not in _page([doc("d1")])


def test_when_a_remote_output_is_not_allowed_then_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="--allow-remote"):
        write_page("s3://bucket/review.html", "<html></html>")


def test_when_a_page_is_written_locally_then_only_its_owner_can_read_it(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "review.html"
    path.parent.mkdir()
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o644)
    write_page(str(path), "<html></html>")
    assert path.read_text(encoding="utf-8") == "<html></html>"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- the command -------------------------------------------------------------------------------


def test_when_review_help_is_asked_then_it_warns_about_phi() -> None:
    result = CliRunner().invoke(main, ["review", "--help"])
    assert result.exit_code == 0
    assert "WARNING: the page holds PHI" in result.output


def test_when_review_output_is_s3_then_it_is_refused_before_reading(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["review", "--input", str(tmp_path / "missing.jsonl"), "--output", "s3://b/review.html"])
    assert result.exit_code == 2
    assert "--allow-remote" in result.output


def test_when_review_runs_on_a_job_folder_then_the_page_holds_every_row_and_the_run_identity(tmp_path: Path) -> None:
    _job_output(tmp_path / "out")
    page = tmp_path / "review.html"
    result = CliRunner().invoke(main, ["review", "--input", str(tmp_path / "out"), "--id-field", "note_id", "--output", str(page)])
    assert result.exit_code == 0, result.output
    assert result.output == f"review page, 2 of 2 documents (it holds PHI): {page}\n"
    html = page.read_text(encoding="utf-8")
    assert html.count('<article class="doc"') == 2
    assert "ab" * 32 in html and "cd" * 32 in html and ">r1<" in html
    assert "h:1" not in html  # report fields other than the run's identity stay out


def test_when_detect_output_comes_with_a_report_then_its_identity_is_read(tmp_path: Path) -> None:
    out = write_jsonl(tmp_path / "out.jsonl", [{"id": "n1", "text": TEXT, "spans": SPANS, "redacted": "r", "status": "ok"}])
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"run_id": "r9", "policy_sha256": "ef" * 32, "status_counts": {"ok": 1}}), encoding="utf-8")
    docs, identity = read_input(str(out), report=str(report))
    assert [d.id for d in docs] == ["n1"]
    assert identity == {"run_id": "r9", "policy_sha256": "ef" * 32}


def test_when_text_from_is_given_for_a_job_folder_then_it_is_refused(tmp_path: Path) -> None:
    _job_output(tmp_path / "out")
    with pytest.raises(ValueError, match="--text-from is for `deid detect` output"):
        read_input(str(tmp_path / "out"), text_from=str(tmp_path / "in.jsonl"), id_field="note_id")
