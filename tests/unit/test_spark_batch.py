"""Tests for deid.spark without Spark: the Arrow batch function on local record batches, the
per-worker detector cache, manifest, report, job config, and the Arrow reader/writer on local files."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq
import pytest

from deid.detect import Detection, PatternDetector
from deid.entities import load_entity_set
from deid.redact import SUPPRESSED_MARKER, load_policy
from deid.spark.batch import (
    BatchSpec,
    DeidMapper,
    PatternFactory,
    TaskMetrics,
    deidentify_batch,
    merge_metrics,
    output_schema,
)
from deid.spark.config import job_config_from_dict
from deid.spark.manifest import Manifest, UnitRecord, fingerprint, read_manifest
from deid.spark.publish import JOURNAL_NAME, Journal, publish, recover
from deid.spark.report import RowCheck, RunInfo, build_report
from deid.spark.storage import ROOT_UNIT, ArrowReader, ArrowWriter, list_input, overlapping, write_atomic

HIPAA = load_entity_set("hipaa")
POLICY = load_policy("safe_harbor")
PATTERNS = PatternFactory(HIPAA)
SSN = "123-45-6789"
NOTE = f"SSN {SSN} on file."
FAKE_NAME = "Zebulon Quakenbush"  # planted PHI that no report may repeat


def batch(**columns: list) -> pa.RecordBatch:
    """A record batch with an ``id`` column; all-text (or all-null) columns are strings."""
    arrays = {k: pa.array(v, pa.string() if all(x is None or isinstance(x, str) for x in v) else None) for k, v in columns.items()}
    return pa.RecordBatch.from_pydict({"id": list(range(len(next(iter(columns.values()))))), **arrays})


def spec(**overrides: object) -> BatchSpec:
    return BatchSpec(**{"text_cols": ("note",), "model_id": "patterns", "run_id": "run-1", **overrides})  # type: ignore[arg-type]


def run(b: pa.RecordBatch, detector: object = None, **overrides: object) -> list[dict]:
    out, _ = deidentify_batch(b, detector or PatternDetector(HIPAA), POLICY, spec(**overrides))
    return out.to_pylist()


class RaisingDetector:
    name = "raising"

    def detect(self, texts: list[str]) -> list[Detection]:
        raise RuntimeError("engine is down")


class ShortDetector:
    """Returns fewer detections than texts: the whole chunk is unusable."""

    name = "short"

    def detect(self, texts: list[str]) -> list[Detection]:
        return []


class FailsOnMarker:
    """Fails any call that includes a text containing BOOM, so only that document ends in error."""

    name = "fails-on-marker"

    def detect(self, texts: list[str]) -> list[Detection]:
        if any("BOOM" in t for t in texts):
            raise RuntimeError("bad document")
        return PatternDetector(HIPAA).detect(texts)


BUILDS: Counter[str] = Counter()


@dataclass(frozen=True)
class CountingFactory:
    """A pattern detector recipe that counts its builds; a fresh token makes a fresh cache key."""

    token: str

    def build(self) -> PatternDetector:
        BUILDS[self.token] += 1
        return PatternDetector(HIPAA)


class Sink:
    def __init__(self) -> None:
        self.tasks: list[TaskMetrics] = []

    def add(self, term: list[TaskMetrics]) -> None:
        self.tasks.extend(term)


# --- the batch function ---------------------------------------------------------------------------

EDGE_CASES = [
    # (text, redacted, status, labels)
    (None, None, "empty", []),
    ("", "", "empty", []),
    ("no identifiers here", "no identifiers here", "ok", []),
    (NOTE, "SSN [US_SSN] on file.", "ok", ["US_SSN"]),
    (f"line one\r\nSSN {SSN}\r\n", "line one\r\nSSN [US_SSN]\r\n", "ok", ["US_SSN"]),
    (f"患者 SSN {SSN} 已记录", "患者 SSN [US_SSN] 已记录", "ok", ["US_SSN"]),
    (f"المريض SSN {SSN}", "المريض SSN [US_SSN]", "ok", ["US_SSN"]),
    ("<PERSON>literal tag</PERSON>", "<PERSON>literal tag</PERSON>", "ok", []),
]


@pytest.mark.parametrize(("text", "redacted", "status", "labels"), EDGE_CASES, ids=[f"case{i}" for i in range(len(EDGE_CASES))])
def test_when_text_is_edge_case_then_row_gets_expected_redaction_and_status(text, redacted, status, labels):
    [row] = run(batch(note=[text]))
    assert row["note_deid"] == redacted
    assert row["deid_status"] == status
    assert [p["label"] for p in row["note_phi"]] == labels
    assert row["note"] == text  # the original column is carried through unless dropped


def test_when_ssn_found_then_phi_offsets_point_at_it_in_the_original_text():
    text = f"Seen today. {NOTE}"
    [row] = run(batch(note=[text]))
    # A pattern span has no model confidence: the column says null.
    assert row["note_phi"] == [{"label": "US_SSN", "start": text.index(SSN), "end": text.index(SSN) + len(SSN), "confidence": None}]


def test_when_keep_values_then_phi_structs_carry_the_original_values():
    [row] = run(batch(note=[NOTE]), keep_values=True)
    assert row["note_phi"] == [{"label": "US_SSN", "start": 4, "end": 15, "confidence": None, "value": SSN}]


def test_when_drop_original_then_text_columns_are_gone_and_others_kept():
    out, _ = deidentify_batch(batch(note=[NOTE], site=["a"]), PatternDetector(HIPAA), POLICY, spec(drop_original=True))
    assert out.schema.names == ["id", "site", "note_deid", "note_phi", "deid_status", "deid_model", "deid_run_id"]


def test_output_schema_appends_deid_columns_after_the_input_columns():
    schema = output_schema(pa.schema([("id", pa.int64()), ("note", pa.string()), ("addendum", pa.large_string())]), spec(text_cols=("note", "addendum")))
    phi = pa.list_(pa.struct([("label", pa.string()), ("start", pa.int32()), ("end", pa.int32()), ("confidence", pa.float32())]))
    assert schema == pa.schema(
        [
            ("id", pa.int64()),
            ("note", pa.string()),
            ("addendum", pa.large_string()),
            ("note_deid", pa.string()),
            ("note_phi", phi),
            ("addendum_deid", pa.string()),
            ("addendum_phi", phi),
            ("deid_status", pa.string()),
            ("deid_model", pa.string()),
            ("deid_run_id", pa.string()),
        ]
    )


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (pa.schema([("id", pa.int64())]), "'note' is not in the input"),
        (pa.schema([("note", pa.int64())]), "expected a string"),
        (pa.schema([("note", pa.string()), ("note_deid", pa.string())]), "already has columns ['note_deid']"),
    ],
    ids=["missing", "not-string", "name-taken"],
)
def test_when_input_schema_is_unusable_then_error_says_why(schema, message):
    with pytest.raises(ValueError) as error:
        output_schema(schema, spec())
    assert message in str(error.value)


def test_when_detector_raises_then_rows_are_errors_without_their_text():
    texts = [NOTE, f"{FAKE_NAME} was seen", None]
    out, stats = deidentify_batch(batch(note=texts), RaisingDetector(), POLICY, spec(drop_original=True))
    rows = out.to_pylist()
    assert [r["deid_status"] for r in rows] == ["error", "error", "empty"]
    assert [r["note_deid"] for r in rows] == [SUPPRESSED_MARKER, SUPPRESSED_MARKER, None]
    dumped = json.dumps(rows)
    assert SSN not in dumped and FAKE_NAME not in dumped
    assert stats.statuses == Counter({"error": 2, "empty": 1})


def test_when_a_chunk_fails_as_a_whole_then_its_rows_are_suppressed_not_lost():
    rows = run(batch(note=[NOTE, "", "plain text"]), ShortDetector())
    assert [(r["note_deid"], r["deid_status"]) for r in rows] == [(SUPPRESSED_MARKER, "error"), ("", "empty"), (SUPPRESSED_MARKER, "error")]


def test_when_one_text_column_fails_then_row_status_is_the_worst_of_its_columns():
    rows = run(
        batch(note=[NOTE, NOTE, "", None], addendum=["BOOM here", "fine", "fine", None]),
        FailsOnMarker(),
        text_cols=("note", "addendum"),
    )
    assert [r["deid_status"] for r in rows] == ["error", "ok", "ok", "empty"]
    assert [r["addendum_deid"] for r in rows] == [SUPPRESSED_MARKER, "fine", "fine", None]
    assert rows[0]["note_deid"] == "SSN [US_SSN] on file."  # the other column of a failed row is still redacted


def test_when_detector_batch_is_smaller_than_arrow_batch_then_rows_stay_in_order():
    texts = [" " * i + f"SSN 123-45-67{i:02d}" for i in range(10)]
    rows = run(batch(note=texts), detector_batch_size=3)
    assert [r["note_phi"][0]["start"] for r in rows] == [i + 4 for i in range(10)]
    assert [r["id"] for r in rows] == list(range(10))


def test_when_patient_column_is_not_a_string_then_ids_are_passed_as_text():
    [row] = run(batch(note=[NOTE], pid=[42]), patient_col="pid")
    assert row["deid_status"] == "ok"


# --- one detector per worker process --------------------------------------------------------------


def test_when_one_worker_runs_several_tasks_then_the_detector_is_built_once():
    factory = CountingFactory(uuid.uuid4().hex)
    sink = Sink()
    mapper = DeidMapper(factory, POLICY, spec(), sink)
    for _task in range(3):
        outputs = list(mapper(iter([batch(note=[NOTE]), batch(note=["x", None])])))
        assert [b.num_rows for b in outputs] == [1, 2]
    assert BUILDS[factory.token] == 1
    assert [t.engine_starts for t in sink.tasks] == [1, 0, 0]
    [worker] = merge_metrics(sink.tasks)
    assert (worker.tasks, worker.engine_starts, worker.stats.rows) == (3, 1, 9)


def test_when_partition_is_empty_then_no_detector_is_built():
    factory = CountingFactory(uuid.uuid4().hex)
    sink = Sink()
    assert list(DeidMapper(factory, POLICY, spec(), sink)(iter([]))) == []
    assert BUILDS[factory.token] == 0
    assert [(t.engine_starts, t.stats.rows) for t in sink.tasks] == [(0, 0)]


class EventfulDetector(PatternDetector):
    """Patterns, and one failure-path event per call, as a ModelDetector that had to retry would report."""

    def __init__(self) -> None:
        super().__init__(HIPAA)
        self.events: Counter[str] = Counter()

    def detect(self, texts):
        self.events["batches_retried"] += 1
        return super().detect(texts)


@dataclass(frozen=True)
class EventfulFactory:
    token: str

    def build(self):
        return EventfulDetector()


def test_the_detectors_failure_path_events_reach_the_task_metrics_and_the_report():
    sink = Sink()
    mapper = DeidMapper(EventfulFactory(uuid.uuid4().hex), POLICY, spec(), sink)
    for _task in range(2):  # the detector is cached: each task reports only its own events
        list(mapper(iter([batch(note=[NOTE]), batch(note=["x"])])))
    assert [t.stats.detector_events for t in sink.tasks] == [Counter(batches_retried=2)] * 2
    d = build_report(INFO, 4, RowCheck(rows_out=4), 1.0, sink.tasks).to_dict()
    assert d["detector_events"] == {"batches_retried": 4}


# --- report -----------------------------------------------------------------------------------------

INFO = RunInfo(
    run_id="run-1", started_at="2025-01-01T00:00:00+00:00", input="in", output="out", text_cols=("note",),
    detector="patterns", engine=None, io="spark", model_id="patterns", model_sha256="m" * 64,
    policy="safe_harbor", policy_sha256="p" * 64, units_processed=1, units_skipped=0,
)  # fmt: skip


def test_report_counts_statuses_and_entities_and_holds_no_phi():
    sink = Sink()
    texts = [f"{FAKE_NAME}, SSN {SSN}, seen", FAKE_NAME, None]
    list(DeidMapper(PATTERNS, POLICY, spec(keep_values=True), sink)(iter([batch(note=texts)])))
    report = build_report(INFO, rows_in=3, check=RowCheck(rows_out=3), seconds=2.0, tasks=sink.tasks)
    dumped = report.to_json() + report.summary()
    for phi in (FAKE_NAME, "Zebulon", "Quakenbush", SSN):
        assert phi not in dumped
    d = json.loads(report.to_json())
    assert (d["status_counts"], d["entity_counts"]) == ({"empty": 1, "ok": 2}, {"US_SSN": 1})
    assert (d["rows_in"], d["rows_out"], d["complete"], d["documents_per_s"]) == (3, 3, True, 1.5)


@pytest.mark.parametrize(
    "check",
    [
        pytest.param(RowCheck(rows_out=2, ids_missing=1), id="one_row_lost"),
        pytest.param(RowCheck(rows_out=3, ids_missing=1, ids_unexpected=1), id="one_lost_one_duplicated_same_count"),
    ],
)
def test_when_output_ids_are_not_the_input_ids_then_report_is_incomplete_even_if_counts_agree(check):
    report = build_report(INFO, rows_in=3, check=check, seconds=1.0, tasks=[])
    assert not report.complete
    assert "ROWS DIFFER BY ID" in report.summary()
    assert "nothing was published" in report.failure()


def test_when_error_rows_exceed_the_allowed_share_then_the_report_says_how_many_and_why():
    check = RowCheck(rows_out=200, rows_error=3)
    assert build_report(INFO, 200, check, 1.0, [], max_error_share=0.02).failure() is None
    failure = build_report(INFO, 200, check, 1.0, [], max_error_share=0.01).failure()
    assert "3 of 200 rows (1.50%) have status error" in failure and "max_error_share" in failure
    assert build_report(INFO, 200, check, 1.0, []).too_many_errors  # the default allows none


def test_report_counts_duplicate_input_ids():
    d = json.loads(build_report(INFO, 4, RowCheck(rows_out=4, duplicate_ids_in_input=2), 1.0, []).to_json())
    assert (d["duplicate_ids_in_input"], d["complete"]) == (2, True)


# --- manifest ---------------------------------------------------------------------------------------

RECORD = UnitRecord("m@1", "m" * 64, "p" * 64, "s" * 64, "f" * 64, "run-1", 10)


@pytest.mark.parametrize(
    ("change", "current"),
    [
        ({}, True),
        ({"run_id": "run-2", "rows": 11, "model_id": "renamed"}, True),
        ({"model_sha256": "n" * 64}, False),
        ({"policy_sha256": "q" * 64}, False),
        ({"settings_sha256": "t" * 64}, False),
        ({"input_fingerprint": "g" * 64}, False),
    ],
    ids=["same", "bookkeeping-only", "model", "policy", "settings", "input-files"],
)
def test_manifest_skips_a_unit_only_when_model_policy_settings_and_files_match(change, current):
    manifest = Manifest({"year=2021": RECORD})
    wanted = UnitRecord(**{**RECORD.__dict__, **change})
    assert manifest.is_current("year=2021", wanted) is current
    assert not manifest.is_current("year=2022", wanted)


def test_manifest_round_trips_through_a_file_and_a_missing_one_is_empty(tmp_path: Path):
    fs = pafs.LocalFileSystem()
    path = str(tmp_path / "_deid_manifest.json")
    assert read_manifest(fs, path) == Manifest()
    manifest = Manifest(output={"year=2021/a.parquet": 10}).updated({"year=2021": RECORD}).updated({ROOT_UNIT: RECORD})
    write_atomic(fs, path, manifest.to_json().encode())
    assert read_manifest(fs, path) == manifest
    assert [p.name for p in tmp_path.iterdir()] == ["_deid_manifest.json"]  # no temporary left


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b'{"version": 2, "units": {"a": {', id="cut_short"),
        pytest.param(b"\xff\xfe garbage", id="not_utf8"),
        pytest.param(json.dumps({"version": 99, "units": {}}).encode(), id="other_version"),
        pytest.param(json.dumps({"version": 2, "units": {"a": {"rows": 1}}, "output": {}}).encode(), id="record_fields_missing"),
        pytest.param(b"[]", id="not_an_object"),
    ],
)
def test_when_manifest_is_corrupt_then_the_error_names_it_and_says_how_to_recover(tmp_path: Path, content: bytes):
    path = tmp_path / "_deid_manifest.json"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="Delete it to have the next run treat every input partition as new") as error:
        read_manifest(pafs.LocalFileSystem(), str(path))
    assert str(path) in str(error.value)
    assert "Traceback" not in str(error.value)


def test_fingerprint_ignores_order_and_sees_changed_files():
    files = [("a.parquet", 10, 1), ("b.parquet", 20, 2)]
    assert fingerprint(files) == fingerprint(reversed(files))
    assert fingerprint(files) != fingerprint([("a.parquet", 11, 1), ("b.parquet", 20, 2)])
    assert fingerprint(files) != fingerprint(files[:1])


# --- job config -------------------------------------------------------------------------------------


def test_job_config_turns_yaml_booleans_into_spark_strings():
    config = job_config_from_dict({"spark": {"spark.python.worker.reuse": True}, "engine": {"vllm": {"max_num_seqs": 8}}})
    assert config.spark == {"spark.python.worker.reuse": "true"}
    assert config.engine_options("vllm") == (("max_num_seqs", 8),)
    assert config.master == "local[*]"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"engine": {"vllm": {"kv_cache_gb": 1}}}, "not ['kv_cache_gb']"),
        ({"engine": {"tgi": {}}}, "unknown engine 'tgi'"),
        ({"detector_batch_size": 0}, "at least 1"),
        ({"detect": {"threshold": 0.9}}, "not ['threshold']"),
        ({"sparks": {}}, "unknown entries ['sparks']"),
    ],
    ids=["engine-option", "engine", "batch-size", "detect", "top-level"],
)
def test_when_job_config_is_wrong_then_error_names_the_entry(raw, message):
    with pytest.raises(ValueError) as error:
        job_config_from_dict(raw)
    assert message in str(error.value)


# --- input listing and the Arrow writer on local files ----------------------------------------------


def test_list_input_groups_hive_partitions_and_skips_hidden_files(tmp_path: Path):
    for part in ("year=2021", "year=2022"):
        (tmp_path / part).mkdir()
        pq.write_table(pa.table({"note": ["x"]}), tmp_path / part / "part-0.parquet")
    (tmp_path / "_SUCCESS").write_text("")
    (tmp_path / "year=2021" / ".part-0.parquet.crc").write_text("")
    dataset = list_input(str(tmp_path))
    assert dataset.partition_cols == ("year",)
    assert {u: [Path(f.path).name for f in fs] for u, fs in dataset.units.items()} == {
        "year=2021": ["part-0.parquet"],
        "year=2022": ["part-0.parquet"],
    }
    assert dataset.schema().names == ["note", "year"]


def test_when_input_mixes_partitioned_and_loose_files_then_listing_fails(tmp_path: Path):
    (tmp_path / "year=2021").mkdir()
    pq.write_table(pa.table({"note": ["x"]}), tmp_path / "year=2021" / "a.parquet")
    pq.write_table(pa.table({"note": ["x"]}), tmp_path / "b.parquet")
    with pytest.raises(ValueError, match="mixes partition layouts"):
        list_input(str(tmp_path))


def _stage(out: Path, run_id: str, year_notes: dict[int, list[str]]) -> Journal:
    """Stage one file per year under the run's staging folder, as the ArrowWriter does; the journal that publishes them."""
    staging = out / "_deid_staging" / run_id
    schema = pa.schema([("note", pa.string()), ("year", pa.int32())])
    writer = ArrowWriter(str(staging), schema, ("year",), run_id)
    rows = [(n, y) for y, notes in year_notes.items() for n in notes]
    batch_ = pa.RecordBatch.from_pydict({"note": [n for n, _ in rows], "year": [y for _, y in rows]}, schema=schema)
    [written] = list(writer(iter([batch_])))
    files = tuple(sorted(str(Path(p).relative_to(staging)) for p in written.column("path").to_pylist()))
    folders = tuple(sorted({str(Path(f).parent) for f in files}))
    return Journal(run_id, files, folders, {"year=2022": asdict(RECORD)}, "_deid_report.json", {"run_id": run_id})


def _data(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.parquet") if not p.relative_to(out).as_posix().startswith("_"))


def _old_output(out: Path) -> None:
    for part in ("year=2021", "year=2022"):
        (out / part).mkdir(parents=True)
        pq.write_table(pa.table({"note": ["old"]}), out / part / "old.parquet")


def test_publish_replaces_only_the_partitions_written_and_then_writes_manifest_and_report(tmp_path: Path):
    out = tmp_path / "out"
    _old_output(out)
    journal = _stage(out, "run-2", {2022: ["new", "new"]})
    publish(str(out), journal)
    assert _data(out) == ["year=2021/old.parquet", "year=2022/part-00000-run-2-0.parquet"]
    assert not (out / "_deid_staging").exists()
    manifest = read_manifest(pafs.LocalFileSystem(), str(out / "_deid_manifest.json"))
    assert manifest.units == {"year=2022": RECORD}
    assert set(manifest.output) == set(_data(out))
    assert json.loads((out / "_deid_report.json").read_text()) == {"run_id": "run-2"}


def test_when_publish_crashes_midway_then_the_old_output_is_intact_and_the_next_run_completes_it(tmp_path: Path, monkeypatch):
    out = tmp_path / "out"
    _old_output(out)
    journal = _stage(out, "run-2", {2021: ["new"], 2022: ["new"]})
    class CrashAfterOneMove:
        """The local filesystem, except that moving a second staged data file fails (the machine dies)."""

        def __init__(self) -> None:
            self.fs, self.moves = pafs.LocalFileSystem(), 0

        def __getattr__(self, name: str):
            return getattr(self.fs, name)

        def move(self, src: str, dest: str) -> None:
            if "/_tmp-" not in src:
                self.moves += 1
                if self.moves > 1:
                    raise OSError("power cut")
            self.fs.move(src, dest)

    monkeypatch.setattr("deid.spark.publish.filesystem", lambda uri: (CrashAfterOneMove(), str(out)))
    with pytest.raises(OSError, match="power cut"):
        publish(str(out), journal)
    monkeypatch.undo()
    assert {"year=2021/old.parquet", "year=2022/old.parquet"} <= set(_data(out))  # nothing old deleted yet
    assert (out / "_deid_staging" / "run-2" / JOURNAL_NAME).is_file()
    assert not (out / "_deid_manifest.json").exists()
    assert recover(str(out)) == ["completed the interrupted publish of run run-2 (2 files)"]
    assert _data(out) == ["year=2021/part-00000-run-2-0.parquet", "year=2022/part-00000-run-2-0.parquet"]
    assert not (out / "_deid_staging").exists()
    assert read_manifest(pafs.LocalFileSystem(), str(out / "_deid_manifest.json")).describes(
        {f: (out / f).stat().st_size for f in _data(out)}
    )


def test_when_a_run_died_before_publishing_then_the_next_run_deletes_its_staging_and_keeps_the_output(tmp_path: Path):
    out = tmp_path / "out"
    _old_output(out)
    _stage(out, "run-dead", {2022: ["raw text that must not stay"]})
    assert recover(str(out)) == ["deleted the staging folder of run run-dead, which failed or was killed before publishing"]
    assert not (out / "_deid_staging").exists()
    assert _data(out) == ["year=2021/old.parquet", "year=2022/old.parquet"]


def test_when_files_change_after_the_manifest_then_it_no_longer_describes_the_output():
    manifest = Manifest({"year=2022": RECORD}, {"year=2022/a.parquet": 10})
    assert manifest.describes({"year=2022/a.parquet": 10})
    assert not manifest.describes({})  # a partition folder deleted by hand
    assert not manifest.describes({"year=2022/a.parquet": 10, "year=2023/b.parquet": 5})
    assert not manifest.describes({"year=2022/a.parquet": 11})


# --- locations and inputs that must be refused -------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        pytest.param("x", "./x", True, id="dot_slash"),
        pytest.param("x", "x/", True, id="trailing_slash"),
        pytest.param("data/in", "data", True, id="input_inside_output"),
        pytest.param("data", "data/out", True, id="output_inside_input"),
        pytest.param("data/in", "data/../data/in/sub", True, id="dot_dot"),
        pytest.param("s3://b/in", "s3a://b/in/", True, id="s3_and_s3a"),
        pytest.param("s3://b/notes", "s3://b/notes/out", True, id="s3_inside"),
        pytest.param("data/in", "data/out", False, id="siblings"),
        pytest.param("data/in", "data/in2", False, id="common_prefix_only"),
        pytest.param("s3://b/in", "s3://c/in", False, id="other_bucket"),
    ],
)
def test_overlapping_locations_are_seen_through_spelling(a: str, b: str, overlap: bool, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert overlapping(a, b) is overlap
    assert overlapping(b, a) is overlap


def test_when_a_later_input_file_has_another_column_type_then_listing_fails_naming_file_and_column_only(tmp_path: Path):
    canary = "CANARY-4417-value"
    pq.write_table(pa.table({"id": pa.array([1], pa.int64()), "note": ["a"]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"id": [canary], "note": ["b"]}), tmp_path / "b.parquet")
    with pytest.raises(ValueError, match=r"input file b.parquet: column 'id' has type string") as error:
        list_input(str(tmp_path)).schema()
    assert canary not in str(error.value)


def test_when_reading_a_file_fails_in_a_task_then_the_error_names_the_file_but_not_its_values(tmp_path: Path):
    canary = "CANARY-5521-value"
    pq.write_table(pa.table({"id": [canary], "note": ["b"]}), tmp_path / "b.parquet")
    schema = pa.schema([("id", pa.int64()), ("note", pa.string())])
    reader = ArrowReader(str(tmp_path), str(tmp_path), schema, (), 100)
    with pytest.raises(RuntimeError, match="reading input file b.parquet failed") as error:
        list(reader(iter([pa.RecordBatch.from_pydict({"path": [str(tmp_path / "b.parquet")]})])))
    assert canary not in str(error.value)
    assert error.value.__cause__ is None and error.value.__suppress_context__
