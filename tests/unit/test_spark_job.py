"""Tests for deid.spark.job's planning, without Spark: refused locations, keys in the settings hash,
unreadable manifests, what an earlier run left behind, and the job command's errors."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from deid.spark import job

REPO = Path(__file__).resolve().parents[2]
KEY = "9c4e1f7a2b8d3e6f0a5c7b9d1e3f5a7c"
OTHER_KEY = "e2a7c9f4b1d8e5a3c6f0b9d2e7a4c1f8"


@pytest.fixture()
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "site=a").mkdir(parents=True)
    pq.write_table(pa.table({"note_id": ["n1", "n2"], "note": ["SSN 123-45-6789", "fine"]}), folder / "site=a" / "part-0.parquet")
    return folder


def args(notes: Path, output: Path | str, **overrides: object) -> job.JobArgs:
    options = {"input": str(notes), "output": str(output), "text_cols": ("note",), "id_col": "note_id", "detector": "patterns", **overrides}
    return job.JobArgs(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("inp", "out"),
    [
        pytest.param("data/in", "data", id="input_inside_output"),
        pytest.param("data", "data/out", id="output_inside_input"),
        pytest.param("./data", "data", id="same_place_spelt_twice"),
        pytest.param("s3://bucket/notes", "s3a://bucket/notes/", id="s3_and_s3a"),
    ],
)
def test_when_input_and_output_overlap_then_the_job_refuses_before_touching_anything(inp: str, out: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="input and output overlap"):
        job.JobArgs(input=inp, output=out, text_cols=("note",), id_col="note_id", detector="patterns")


def _settings_sha(notes: Path, out: Path, key: str, monkeypatch) -> str:
    monkeypatch.setenv("DEID_SECRET_KEY", key)
    plan = job.plan_run(args(notes, out, policy="surrogate"))
    return plan.records["site=a"].settings_sha256


def test_when_the_secret_key_changes_then_incremental_settings_change(notes: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    one = _settings_sha(notes, out, KEY, monkeypatch)
    assert _settings_sha(notes, out, KEY, monkeypatch) == one
    assert _settings_sha(notes, out, OTHER_KEY, monkeypatch) != one


def test_settings_hold_a_key_fingerprint_and_the_faker_version_but_never_the_key(notes: Path, tmp_path: Path, monkeypatch) -> None:
    import faker

    monkeypatch.setenv("DEID_SECRET_KEY", KEY)
    plan = job.plan_run(args(notes, tmp_path / "out", policy="surrogate"))
    settings = job._settings(plan.args, plan.config, plan.partition_cols, plan.policy)
    assert settings["faker_version"] == faker.VERSION
    assert settings["key_fingerprint"] == plan.policy.key_fingerprint
    assert KEY not in repr(settings) and KEY not in repr(plan)


def test_when_the_manifest_is_corrupt_then_planning_fails_with_how_to_recover(notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "_deid_manifest.json").write_text('{"version": 2, "units": {', encoding="utf-8")
    with pytest.raises(ValueError, match="_deid_manifest.json is not JSON.*Delete it"):
        job.plan_run(args(notes, out, incremental=True))


def test_when_the_manifest_is_unreadable_but_the_run_is_not_incremental_then_it_is_replaced(notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "_deid_manifest.json").write_text('{"version": 1, "units": {}}', encoding="utf-8")  # an older release's
    plan = job.plan_run(args(notes, out))
    assert plan.todo == ("site=a",)
    assert plan.manifest.units == {}


def test_when_an_earlier_run_died_then_planning_removes_its_staging(notes: Path, tmp_path: Path) -> None:
    staging = tmp_path / "out" / "_deid_staging" / "run-dead" / "site=a"
    staging.mkdir(parents=True)
    (staging / "part-00000-run-dead-0.parquet").write_bytes(b"raw text")
    job.plan_run(args(notes, tmp_path / "out"))
    assert not (tmp_path / "out" / "_deid_staging").exists()


# --- the job command's errors ---------------------------------------------------------------------


def _job_main():
    spec = importlib.util.spec_from_file_location("deid_job_script", REPO / "jobs" / "deid.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.main


@pytest.mark.parametrize(
    ("extra", "env", "message"),
    [
        pytest.param(["--detector", "patterns", "--policy", "surrogate"], {}, "DEID_SECRET_KEY is not set", id="missing_key"),
        pytest.param(["--detector", "patterns", "--policy", "surrogate"], {"DEID_SECRET_KEY": "x" * 40}, "too weak", id="weak_key"),
        pytest.param(["--model", "no/such/adapter"], {}, "is not a trained adapter", id="missing_adapter"),
    ],
)
def test_when_key_or_adapter_is_missing_then_the_job_says_so_without_a_traceback(notes: Path, tmp_path: Path, monkeypatch, extra, env, message) -> None:
    monkeypatch.delenv("DEID_SECRET_KEY", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    cli = ["--input", str(notes), "--output", str(tmp_path / "out"), "--text-col", "note", "--id-col", "note_id", *extra]
    result = CliRunner().invoke(_job_main(), cli)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


# --- conservation by id, before publishing ----------------------------------------------------------


def _staged(plan: job.Plan, ids: list[str], statuses: list[str]) -> job.Staged:
    staging = Path(plan.args.output) / "_deid_staging" / plan.info.run_id / "site=a"
    staging.mkdir(parents=True)
    pq.write_table(pa.table({"note_id": ids, "deid_status": statuses}), staging / "part-0.parquet")
    return job.Staged(str(staging.parent), ("site=a/part-0.parquet",))


@pytest.fixture()
def dup_notes(tmp_path: Path) -> Path:
    folder = tmp_path / "dup"
    (folder / "site=a").mkdir(parents=True)
    pq.write_table(pa.table({"note_id": ["n1", "n2", "n2"], "note": ["a", "b", "c"]}), folder / "site=a" / "part-0.parquet")
    return folder


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        pytest.param(["n1", "n2", "n2"], (0, 0), id="exactly_the_input"),
        pytest.param(["n1", "n1", "n2"], (1, 1), id="one_lost_one_doubled_same_count"),
        pytest.param(["n1", "n2"], (1, 0), id="one_lost"),
        pytest.param(["n1", "n2", "n2", "n3"], (0, 1), id="one_extra"),
    ],
)
def test_staged_rows_are_checked_against_the_input_by_id_with_duplicates_counted(dup_notes: Path, tmp_path: Path, ids, expected) -> None:
    plan = job.plan_run(args(dup_notes, tmp_path / "out"))
    check = job.check_rows(plan, _staged(plan, ids, ["ok"] * (len(ids) - 1) + ["error"]))
    assert (check.ids_missing, check.ids_unexpected) == expected
    assert (check.rows_out, check.rows_error, check.duplicate_ids_in_input) == (len(ids), 1, 1)


def test_when_the_input_files_hold_no_rows_then_nothing_staged_is_complete(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    pq.write_table(pa.table({"note_id": pa.array([], pa.string()), "note": pa.array([], pa.string())}), folder / "part-0.parquet")
    plan = job.plan_run(args(folder, tmp_path / "out"))
    staging = job.Staged(str(tmp_path / "out" / "_deid_staging" / plan.info.run_id), ())
    assert job.check_rows(plan, staging) == job.RowCheck()
