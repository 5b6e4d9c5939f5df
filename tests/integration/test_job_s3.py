"""The job with ``s3://`` input and output against a local S3-compatible server (moto), on local
Spark with no S3 connector jars: the data moves through pyarrow (``--io auto`` picks ``arrow``).
The pattern detector keeps it short; the model path is covered by test_job_local.py."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urlparse

import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest

pytestmark = [pytest.mark.spark, pytest.mark.slow]

BUCKET = "notes"
JOB_CONF = """
master: local[2]
spark:
  spark.python.worker.reuse: true
  spark.sql.execution.arrow.maxRecordsPerBatch: 4
  spark.ui.enabled: false
  spark.driver.memory: 1g
"""


@pytest.fixture(scope="module")
def s3(s3_env) -> pafs.S3FileSystem:
    """A client for the test server, with the bucket created."""
    endpoint = urlparse(s3_env["AWS_ENDPOINT_URL"])
    fs = pafs.S3FileSystem(
        access_key=s3_env["AWS_ACCESS_KEY_ID"],
        secret_key=s3_env["AWS_SECRET_ACCESS_KEY"],
        region=s3_env["AWS_DEFAULT_REGION"],
        endpoint_override=endpoint.netloc,
        scheme=endpoint.scheme,
        allow_bucket_creation=True,
    )
    fs.create_dir(BUCKET)
    return fs


@pytest.fixture(scope="module")
def job_args(tmp_path_factory, s3, awkward_notes, write_notes) -> list[str]:
    conf = tmp_path_factory.mktemp("job_s3") / "job.yaml"
    conf.write_text(JOB_CONF, encoding="utf-8")
    write_notes(awkward_notes, f"{BUCKET}/in", filesystem=s3)
    return [
        "--input", f"s3://{BUCKET}/in", "--output", f"s3://{BUCKET}/out",
        "--text-col", "note_text", "--text-col", "addendum", "--id-col", "note_id", "--patient-col", "patient_id",
        "--detector", "patterns", "--incremental", "--conf", str(conf), "-v",
    ]  # fmt: skip


@pytest.fixture(scope="module")
def first_run(job_args, run_job, s3_env):
    result = run_job(*job_args, env=s3_env, timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    return result


def read_json(s3: pafs.S3FileSystem, path: str) -> dict:
    with s3.open_input_stream(path) as f:
        return json.loads(f.read())


def output_table(s3: pafs.S3FileSystem):
    return ds.dataset(f"{BUCKET}/out", filesystem=s3, format="parquet", partitioning="hive").to_table()


def test_rows_read_back_from_s3_are_the_rows_in_each_exactly_once(first_run, s3, awkward_notes):
    out = output_table(s3)
    assert Counter(out.column("note_id").to_pylist()) == Counter(r["note_id"] for r in awkward_notes)
    assert set(out.column("deid_model").to_pylist()) == {"patterns"}


def test_report_and_manifest_are_in_s3_and_staging_is_gone(first_run, s3, awkward_notes):
    report = read_json(s3, f"{BUCKET}/out/_deid_report.json")
    assert (report["io"], report["rows_in"], report["rows_out"]) == ("arrow", len(awkward_notes), len(awkward_notes))
    manifest = read_json(s3, f"{BUCKET}/out/_deid_manifest.json")
    assert sorted(manifest["units"]) == sorted({f"site={r['site']}" for r in awkward_notes})
    assert s3.get_file_info(f"{BUCKET}/out/_deid_staging").type == pafs.FileType.NotFound


def test_worker_processes_are_reused_across_tasks(first_run, s3, awkward_notes):
    workers = read_json(s3, f"{BUCKET}/out/_deid_report.json")["workers"]
    assert sum(w["tasks"] for w in workers.values()) == len({r["site"] for r in awkward_notes})  # a task per file
    assert len(workers) <= 2  # local[2]: so some worker ran two of the three tasks
    assert all(w["engine_starts"] <= 1 for w in workers.values())


def test_no_planted_phi_in_logs(first_run, planted_phi):
    for phi in planted_phi:
        assert phi not in first_run.stdout + first_run.stderr


def test_incremental_rerun_skips_current_partitions_and_leaves_output_as_it_was(first_run, job_args, run_job, s3_env, s3):
    before = sorted(zip(*output_table(s3).select(["note_id", "deid_run_id"]).to_pydict().values()))
    second = run_job(*job_args, env=s3_env, timeout=600)
    assert second.returncode == 0, (second.stdout + second.stderr)[-3000:]
    assert "units: 0 processed, 3 skipped" in second.stdout
    assert sorted(zip(*output_table(s3).select(["note_id", "deid_run_id"]).to_pydict().values())) == before


def test_when_one_input_partition_changes_then_only_it_is_reprocessed(first_run, job_args, run_job, s3_env, s3, awkward_notes, write_notes):
    before = dict(zip(*output_table(s3).select(["note_id", "deid_run_id"]).to_pydict().values()))
    south = [r for r in awkward_notes if r["site"] == "south"]
    s3.delete_dir_contents(f"{BUCKET}/in/site=south")
    write_notes([*south, {**south[0], "note_id": "n99-added", "note_text": "SSN 987-65-4320 added later"}], f"{BUCKET}/in", filesystem=s3)
    third = run_job(*job_args, env=s3_env, timeout=600)
    assert third.returncode == 0, (third.stdout + third.stderr)[-3000:]
    assert "units: 1 processed, 2 skipped" in third.stdout
    after = output_table(s3).to_pylist()
    assert Counter(r["note_id"] for r in after) == Counter([*(r["note_id"] for r in awkward_notes), "n99-added"])
    rerun = {r["note_id"] for r in after if r["deid_run_id"] != before.get(r["note_id"])}
    assert rerun == {r["note_id"] for r in south} | {"n99-added"}
