"""Fault injection on local Spark: a worker killed mid-partition, a poison document, input under the
output, a driver crash during publish, and a later file whose column type differs. Each checks
that no row is lost or doubled, the previous output survives, and no planted value leaks.

The faults are injected by ``fault_job.py`` (a subprocess running the job's own steps with one
piece swapped), or by the job command itself where no swap is needed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from deid.redact import SUPPRESSED_MARKER

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.faults]

FAULT_JOB = Path(__file__).with_name("fault_job.py")
REPO = Path(__file__).resolve().parents[2]
CANARY = "Quillon Varnavides"  # planted PHI: in no log line, exception, report or manifest
# local[2,4]: two cores, and a task may fail 3 times before the job does.
JOB_CONF = """
master: local[2,4]
spark:
  spark.python.worker.reuse: true
  spark.sql.execution.arrow.maxRecordsPerBatch: 2
  spark.ui.enabled: false
  spark.ui.showConsoleProgress: false  # its asynchronous redraws could land inside the lines the tests read
  spark.driver.memory: 1g
"""


def _rows(tag: str = "") -> list[dict]:
    rows = []
    for i in range(12):
        text = f"Note {i}: {CANARY} seen, SSN 123-45-67{i:02d}."
        if i == 7:
            text += f" {tag}"
        rows.append({"note_id": f"n{i:02d}", "site": ("a", "b", "c")[i % 3], "note_text": text})
    return rows


def _write(rows: list[dict], root: Path) -> None:
    table = pa.Table.from_pylist(rows, schema=pa.schema([("note_id", pa.string()), ("site", pa.string()), ("note_text", pa.string())]))
    ds.write_dataset(table, root, format="parquet", partitioning=ds.partitioning(pa.schema([("site", pa.string())]), flavor="hive"),
                     existing_data_behavior="delete_matching")  # fmt: skip


@pytest.fixture()
def conf(tmp_path: Path) -> Path:
    path = tmp_path / "job.yaml"
    path.write_text(JOB_CONF, encoding="utf-8")
    return path


def _args(inp: Path, out: Path, conf: Path, io: str = "spark", **extra: object) -> dict:
    return {"input": str(inp), "output": str(out), "text_cols": ["note_text"], "id_col": "note_id", "detector": "patterns",
            "conf": str(conf), "io": io, **extra}  # fmt: skip


def _fault(scenario: str, args: dict, marker: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(FAULT_JOB), scenario, str(marker), json.dumps(args)], cwd=REPO, capture_output=True, text=True, timeout=900)


def _cli(args: dict, run_job, *flags: str) -> subprocess.CompletedProcess:
    cli = ["--input", args["input"], "--output", args["output"], "--text-col", "note_text", "--id-col", "note_id"]
    return run_job(*cli, "--detector", "patterns", "--conf", args["conf"], "--io", args["io"], *flags)


def _out(out: Path) -> pa.Table:
    return ds.dataset(out, format="parquet", partitioning="hive").to_table()


def _no_canary(proc: subprocess.CompletedProcess, out: Path) -> None:
    assert CANARY not in proc.stdout + proc.stderr
    for name in ("_deid_report.json", "_deid_report.failed.json", "_deid_manifest.json"):
        if (out / name).exists():
            assert CANARY not in (out / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("io", ["spark", "arrow"])
def test_when_a_worker_is_killed_mid_partition_then_every_row_comes_out_exactly_once_and_counts_match(tmp_path: Path, conf: Path, io: str) -> None:
    rows = _rows("KILL-ME")
    _write(rows, tmp_path / "in")
    marker = tmp_path / "killed"
    proc = _fault("kill", _args(tmp_path / "in", tmp_path / "out", conf, io), marker)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert marker.exists()  # the worker really died once
    out = _out(tmp_path / "out")
    assert Counter(out.column("note_id").to_pylist()) == Counter(r["note_id"] for r in rows)
    report = json.loads((tmp_path / "out" / "_deid_report.json").read_text(encoding="utf-8"))
    assert report["rows_in"] == report["rows_out"] == report["rows_processed"] == len(rows)
    # The accumulator merged the retried task once: its counts equal the rows, not more.
    assert sum(report["status_counts"].values()) == len(rows)
    assert report["entity_counts"]["US_SSN"] == len(rows)
    assert not (tmp_path / "out" / "_deid_staging").exists()
    _no_canary(proc, tmp_path / "out")


def test_when_one_document_poisons_the_engine_then_only_its_row_is_error_and_the_job_fails_saying_why(tmp_path: Path, conf: Path) -> None:
    rows = _rows("POISON-PILL")
    _write(rows, tmp_path / "in")
    proc = _fault("poison", _args(tmp_path / "in", tmp_path / "out", conf, "arrow"), tmp_path / "unused")
    assert proc.returncode == 1
    assert "1 of 12 rows (8.33%) have status error" in proc.stderr, proc.stdout + proc.stderr[-1500:]
    by_id = {r["note_id"]: r for r in _out(tmp_path / "out").to_pylist()}
    assert len(by_id) == len(rows)
    assert (by_id["n07"]["deid_status"], by_id["n07"]["note_text_deid"]) == ("error", SUPPRESSED_MARKER)
    assert {r["deid_status"] for i, r in by_id.items() if i != "n07"} == {"ok"}
    report = json.loads((tmp_path / "out" / "_deid_report.json").read_text(encoding="utf-8"))
    assert (report["rows_error"], report["detector_events"]["windows_without_output"]) == (1, 1)
    manifest = json.loads((tmp_path / "out" / "_deid_manifest.json").read_text(encoding="utf-8"))
    assert manifest["units"] == {}  # too many errors: no unit is recorded as current, --incremental retries them
    _no_canary(proc, tmp_path / "out")


def test_when_the_input_lies_under_the_output_then_the_job_refuses_and_deletes_nothing(tmp_path: Path, conf: Path, run_job) -> None:
    _write(_rows(), tmp_path / "out" / "in")
    before = sorted(p for p in (tmp_path / "out").rglob("*") if p.is_file())
    proc = _cli(_args(tmp_path / "out" / "in", f"{tmp_path}/./out/", conf), run_job)
    assert proc.returncode == 1
    assert "input and output overlap" in proc.stderr
    assert sorted(p for p in (tmp_path / "out").rglob("*") if p.is_file()) == before


def test_when_the_driver_dies_during_publish_then_the_old_output_survives_and_the_next_run_completes_it(tmp_path: Path, conf: Path, run_job) -> None:
    rows = _rows()
    _write(rows, tmp_path / "in")
    args = _args(tmp_path / "in", tmp_path / "out", conf, incremental=True)
    first = _cli(args, run_job, "--incremental")
    assert first.returncode == 0, first.stderr[-3000:]
    old = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*.parquet") if "_deid_staging" not in str(p)}
    manifest = (tmp_path / "out" / "_deid_manifest.json").read_text(encoding="utf-8")

    changed = [*rows, {"note_id": "n99", "site": "b", "note_text": "Added later, SSN 987-65-4320."}]
    _write([r for r in changed if r["site"] == "b"], tmp_path / "in")  # only site=b changes
    crashed = _fault("crash-publish", args, tmp_path / "unused")
    assert crashed.returncode == 3, crashed.stderr[-3000:]
    assert all(p.read_bytes() == data for p, data in old.items())  # every old file still there, unchanged
    assert (tmp_path / "out" / "_deid_manifest.json").read_text(encoding="utf-8") == manifest

    recovered = _cli(args, run_job, "--incremental", "-v")
    assert recovered.returncode == 0, recovered.stderr[-3000:]
    assert "completed the interrupted publish" in recovered.stderr
    assert "units: 0 processed, 3 skipped" in recovered.stdout  # the crashed run's work was kept, not redone
    assert Counter(_out(tmp_path / "out").column("note_id").to_pylist()) == Counter(r["note_id"] for r in changed)
    assert not (tmp_path / "out" / "_deid_staging").exists()
    _no_canary(recovered, tmp_path / "out")


def test_when_a_later_file_has_another_column_type_then_the_job_names_file_and_column_without_the_value(tmp_path: Path, conf: Path, run_job) -> None:
    (tmp_path / "in").mkdir()
    pq.write_table(pa.table({"note_id": pa.array([1, 2], pa.int64()), "note_text": ["fine", "fine"]}), tmp_path / "in" / "a.parquet")
    pq.write_table(pa.table({"note_id": [CANARY], "note_text": ["fine"]}), tmp_path / "in" / "b.parquet")
    proc = _cli(_args(tmp_path / "in", tmp_path / "out", conf), run_job)
    assert proc.returncode == 1
    assert "input file b.parquet: column 'note_id' has type string" in proc.stderr
    _no_canary(proc, tmp_path / "out")
