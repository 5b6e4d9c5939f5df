"""One local Spark run of ``jobs/deid.py`` with the real model on the vLLM engine, over awkward notes.

The run happens once (module fixture) in a subprocess; the tests below each check one property of
its output: every row exactly once, nothing leaked, the schema, the statuses, the report, and one
engine per worker process. The adapter comes from DEID_TEST_ADAPTER (default: the project's).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from deid.adapter import DEFAULT_ADAPTER
from deid.detect import STATUSES
from deid.redact import SUPPRESSED_MARKER
from deid.spans import Span

pytestmark = [pytest.mark.spark, pytest.mark.slow]

ADAPTER = Path(os.environ.get("DEID_TEST_ADAPTER", str(DEFAULT_ADAPTER)))
TEXT_COLS = ("note_text", "addendum")
TAG = re.compile(r"\[[A-Z_]+\]")
# One core: one worker process, so the three input partitions are three tasks on one engine.
JOB_CONF = """
master: local[1]
detector_batch_size: 32
engine:
  vllm: {max_model_len: 4096, kv_cache_gib: 0.5, max_num_seqs: 16}
spark:
  spark.python.worker.reuse: true
  spark.sql.execution.arrow.maxRecordsPerBatch: 4
  spark.sql.files.maxPartitionBytes: 1m
  spark.ui.enabled: false
  spark.driver.memory: 1g
"""


@pytest.fixture(scope="module")
def job_run(tmp_path_factory, run_job, awkward_notes, write_notes):
    """(input rows, output table, report, captured logs) of one job run."""
    if not (ADAPTER / "adapter_model.safetensors").is_file():
        pytest.skip(f"no trained adapter at {ADAPTER}; train one with `deid train` or set DEID_TEST_ADAPTER")
    tmp = tmp_path_factory.mktemp("job_local")
    rows = awkward_notes
    write_notes(rows, str(tmp / "in"))
    (tmp / "job.yaml").write_text(JOB_CONF, encoding="utf-8")
    args = ["--input", str(tmp / "in"), "--output", str(tmp / "out"), "--id-col", "note_id", "--patient-col", "patient_id"]
    args += [a for col in TEXT_COLS for a in ("--text-col", col)]
    args += ["--model", str(ADAPTER), "--engine", "vllm", "--policy", "tag", "--conf", str(tmp / "job.yaml"), "-v"]
    result = run_job(*args)
    logs = result.stdout + result.stderr
    assert result.returncode == 0, logs[-3000:]
    out = ds.dataset(tmp / "out", format="parquet", partitioning="hive").to_table()
    report = json.loads((tmp / "out" / "_deid_report.json").read_text(encoding="utf-8"))
    return rows, out, report, logs


def test_every_input_row_comes_out_exactly_once(job_run):
    rows, out, report, _ = job_run
    assert Counter(out.column("note_id").to_pylist()) == Counter(r["note_id"] for r in rows)
    assert report["rows_in"] == report["rows_out"] == len(rows)


def test_output_is_partitioned_like_the_input_and_keeps_other_columns(job_run):
    rows, out, _, _ = job_run
    by_id = {r["note_id"]: r for r in out.to_pylist()}
    assert {(i, r["site"], r["patient_id"]) for i, r in by_id.items()} == {(r["note_id"], r["site"], r["patient_id"]) for r in rows}
    assert {r["site"] for r in rows} == set(out.column("site").to_pylist())


def test_phi_columns_have_the_documented_schema(job_run):
    _, out, _, _ = job_run
    phi = pa.list_(
        pa.struct([("label", pa.string()), ("start", pa.int32()), ("end", pa.int32()), ("confidence", pa.float32())])
    )
    for col in TEXT_COLS:
        assert out.schema.field(f"{col}_phi").type == phi
        assert out.schema.field(f"{col}_deid").type == pa.string()


def test_statuses_are_valid_and_null_or_empty_text_is_empty(job_run):
    _, out, _, _ = job_run
    by_id = {r["note_id"]: r for r in out.to_pylist()}
    assert {r["deid_status"] for r in by_id.values()} <= set(STATUSES)
    null, empty = by_id["n00-null"], by_id["n01-empty"]  # neither has an addendum
    assert (null["note_text_deid"], null["deid_status"]) == (None, "empty")
    assert (empty["note_text_deid"], empty["deid_status"]) == ("", "empty")


def _check_redacted_in_place(original: str, redacted: str, spans: list[Span]) -> None:
    """Text outside spans is kept exactly; each span's place holds only [LABEL] tags, never its text."""
    merged: list[list[int]] = []
    for s in sorted(spans):
        if merged and s.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], s.end)
        else:
            merged.append([s.start, s.end])
    pos, prev = 0, 0
    for start, end in merged:
        kept = original[prev:start]
        assert redacted.startswith(kept, pos), f"text before a span at {start} changed"
        pos += len(kept)
        if end - start > 3:
            assert not redacted.startswith(original[start:end], pos), f"span [{start}, {end}) kept its text"
        tags = TAG.match(redacted, pos)
        assert tags is not None, f"span [{start}, {end}) is not replaced by a tag"
        while tags is not None:
            pos = tags.end()
            tags = TAG.match(redacted, pos)
        prev = end
    assert redacted[pos:] == original[prev:], "text after the last span changed"


def test_nothing_leaks_failed_rows_are_suppressed_and_spans_are_replaced_in_place(job_run):
    _, out, _, _ = job_run
    checked = 0
    for row in out.to_pylist():
        for col in TEXT_COLS:
            original, redacted = row[col], row[f"{col}_deid"]
            if not original:
                continue
            if row["deid_status"] in ("error", "suppressed") and redacted == SUPPRESSED_MARKER:
                continue
            spans = [Span(p["start"], p["end"], p["label"]) for p in row[f"{col}_phi"]]
            assert all(s.end <= len(original) for s in spans)
            if redacted == SUPPRESSED_MARKER:
                continue  # this column was withheld although another decided the row's status
            _check_redacted_in_place(original, redacted, spans)
            checked += 1
    assert checked > 0


def test_failed_rows_are_withheld(job_run):
    _, out, _, _ = job_run
    for row in out.to_pylist():
        if row["deid_status"] in ("error", "suppressed"):
            assert SUPPRESSED_MARKER in [row[f"{c}_deid"] for c in TEXT_COLS if row[c]]


def test_planted_structured_identifiers_are_gone_whatever_the_model_says(job_run, planted_phones):
    _, out, _, _ = job_run
    redacted = " ".join(row[f"{c}_deid"] or "" for row in out.to_pylist() for c in TEXT_COLS)
    for phi in planted_phones:
        assert phi not in redacted


def test_report_counts_and_one_engine_per_worker_process(job_run):
    rows, _, report, _ = job_run
    assert report["complete"] is True
    assert sum(report["status_counts"].values()) == report["rows_processed"] == len(rows)
    assert report["model_sha256"] and report["policy_sha256"] and report["run_id"]
    workers = report["workers"]
    assert sum(w["tasks"] for w in workers.values()) == len({r["site"] for r in rows})  # a task per input file
    assert len(workers) == 1  # local[1]
    assert report["engine_starts"] == 1
    assert report["engine_start_s_max"] > 0


def test_no_planted_phi_in_logs_or_report(job_run, planted_phi):
    _, _, report, logs = job_run
    dumped = json.dumps(report, ensure_ascii=False)
    for phi in planted_phi:
        assert phi not in logs
        assert phi not in dumped
