"""Arrow record batches in, de-identified record batches out: the function Spark maps over partitions.

It runs the same on a local ``pyarrow.RecordBatch`` as inside a Spark Python worker. The detector
(and the engine inside it) is built once per worker process, on the first batch that needs it, and
kept in a module-level cache for every later task that process runs (``spark.python.worker.reuse``).
A row whose text cannot be processed comes out with status ``error`` and the suppression marker,
never its original text; a row is never dropped.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Hashable, Iterable, Iterator, Protocol, Sequence

import pyarrow as pa

from deid.detect import EngineUnavailable, PatternDetector
from deid.entities import EntitySet
from deid.logs import worker_logging
from deid.pipeline import Detector, Result, deidentify
from deid.redact import SUPPRESSED_MARKER, Policy

log = logging.getLogger(__name__)

STATUS_ORDER = ("empty", "ok", "fallback", "suppressed", "error")  # a row takes the worst (last) of its columns'
STATUS_COL = "deid_status"
MODEL_COL = "deid_model"
RUN_COL = "deid_run_id"
DEID_SUFFIX = "_deid"
PHI_SUFFIX = "_phi"


def phi_type(keep_values: bool) -> pa.DataType:
    """``array<struct<label, start, end, confidence[, value]>>``: spans over the original text, in characters."""
    fields = [pa.field("label", pa.string()), pa.field("start", pa.int32()), pa.field("end", pa.int32())]
    # The model's probability of opening the span's tag (echo decoding); null where it did not decide.
    fields.append(pa.field("confidence", pa.float32()))
    if keep_values:
        fields.append(pa.field("value", pa.string()))
    return pa.list_(pa.struct(fields))


# --- detectors, one per worker process ----------------------------------------------------------


class DetectorFactory(Hashable, Protocol):
    """A picklable, hashable recipe for a detector; equal recipes share one detector per process."""

    def build(self) -> Detector: ...


@dataclass(frozen=True)
class PatternFactory:
    """The pattern detectors only: no model, builds instantly."""

    entities: EntitySet

    def build(self) -> Detector:
        return PatternDetector(self.entities)


_DETECTORS: dict[Hashable, Detector] = {}


def cached_detector(factory: DetectorFactory) -> tuple[Detector, float | None]:
    """This process's detector for ``factory``, built on first use; the build seconds when built by this call."""
    if factory in _DETECTORS:
        return _DETECTORS[factory], None
    started = time.perf_counter()
    detector = factory.build()
    seconds = time.perf_counter() - started
    _DETECTORS[factory] = detector
    log.info("built the %s detector in %.1f s in worker process %d", detector.name, seconds, os.getpid())
    return detector, seconds


# --- one batch ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchSpec:
    """What to de-identify in each batch and how to label the output."""

    text_cols: tuple[str, ...] = field(metadata={"help": "string columns to de-identify"})
    model_id: str = field(metadata={"help": "written to deid_model: adapter name@hash12, or 'patterns'"})
    run_id: str = field(metadata={"help": "written to deid_run_id"})
    patient_col: str | None = field(default=None, metadata={"help": "patient id column, for per-patient operators"})
    keep_values: bool = field(default=False, metadata={"help": "add each span's original value to <col>_phi"})
    drop_original: bool = field(default=False, metadata={"help": "leave the raw text columns out of the output"})
    detector_batch_size: int = field(default=64, metadata={"help": "texts per detector call"})

    def __post_init__(self) -> None:
        if not self.text_cols or len(set(self.text_cols)) != len(self.text_cols):
            raise ValueError("text_cols must name at least one column, each once")
        if self.detector_batch_size < 1:
            raise ValueError(f"detector_batch_size must be at least 1, got {self.detector_batch_size}")

    def added_columns(self) -> list[str]:
        return [c + s for c in self.text_cols for s in (DEID_SUFFIX, PHI_SUFFIX)] + [STATUS_COL, MODEL_COL, RUN_COL]


@dataclass
class BatchStats:
    """Counts over output rows; no text or value from them."""

    rows: int = 0
    generated_tokens: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    detector_events: Counter[str] = field(default_factory=Counter)  # the detector's failure path (ModelDetector.events)

    def add(self, other: BatchStats) -> None:
        self.rows += other.rows
        self.generated_tokens += other.generated_tokens
        self.statuses.update(other.statuses)
        self.entities.update(other.entities)
        self.detector_events.update(other.detector_events)


def check_input_schema(schema: pa.Schema, spec: BatchSpec) -> None:
    """Raise if a text or patient column is missing, a text column is not a string, or an output name is taken."""
    for col in spec.text_cols:
        if col not in schema.names:
            raise ValueError(f"text column {col!r} is not in the input; its columns are {schema.names}")
        if not (pa.types.is_string(schema.field(col).type) or pa.types.is_large_string(schema.field(col).type)):
            raise ValueError(f"text column {col!r} has type {schema.field(col).type}, expected a string")
    if spec.patient_col is not None and spec.patient_col not in schema.names:
        raise ValueError(f"patient column {spec.patient_col!r} is not in the input; its columns are {schema.names}")
    taken = sorted(set(spec.added_columns()) & set(schema.names))
    if taken:
        raise ValueError(f"the input already has columns {taken} that the job writes; rename or drop them first")


def output_schema(schema: pa.Schema, spec: BatchSpec) -> pa.Schema:
    """Input columns (less dropped text), then ``<col>_deid`` and ``<col>_phi`` per text column, status, model, run id."""
    check_input_schema(schema, spec)
    kept = [f for f in schema if not (spec.drop_original and f.name in spec.text_cols)]
    added = []
    for col in spec.text_cols:
        added += [pa.field(col + DEID_SUFFIX, pa.string()), pa.field(col + PHI_SUFFIX, phi_type(spec.keep_values))]
    added += [pa.field(name, pa.string()) for name in (STATUS_COL, MODEL_COL, RUN_COL)]
    return pa.schema(kept + added)


def _failed(text: str | None) -> Result:
    return Result((), text, "empty") if not text else Result((), SUPPRESSED_MARKER, "error")


def _deidentify_chunk(
    texts: list[str | None], patient_ids: list[str | None], detector: Detector, policy: Policy
) -> list[Result]:
    """``deidentify`` on one chunk; if it fails as a whole, every text in it is suppressed with status ``error``."""
    try:
        results = deidentify(texts, detector, policy, patient_ids)
        if len(results) != len(texts):
            raise RuntimeError(f"{len(results)} results for {len(texts)} texts")
        return results
    except EngineUnavailable:
        raise  # the task fails; Spark retries it on a fresh worker
    except Exception as exc:  # noqa: BLE001 - fail closed on the chunk rather than lose or leak its rows
        log.error("de-identification failed on a chunk of %d texts (%s); they are suppressed", len(texts), type(exc).__name__)
        return [_failed(t) for t in texts]


def _phi_rows(texts: list[str | None], results: list[Result], keep_values: bool) -> list[list[dict[str, Any]]]:
    rows = []
    for text, result in zip(texts, results):
        spans = [s.to_dict() for s in result.spans]
        if keep_values and text:
            for span in spans:
                span["value"] = text[span["start"] : span["end"]]
        rows.append(spans)
    return rows


def deidentify_batch(batch: pa.RecordBatch, detector: Detector, policy: Policy, spec: BatchSpec) -> tuple[pa.RecordBatch, BatchStats]:
    """The batch with de-identified columns added, one output row per input row in order, and its counts."""
    schema = output_schema(batch.schema, spec)
    n = batch.num_rows
    texts = {col: batch.column(col).to_pylist() for col in spec.text_cols}
    patients = [None if p is None else str(p) for p in batch.column(spec.patient_col).to_pylist()] if spec.patient_col else [None] * n
    # All text columns go to the detector together, in chunks, so the engine sees full batches.
    flat_texts = [t for col in spec.text_cols for t in texts[col]]
    flat_patients = patients * len(spec.text_cols)
    size = spec.detector_batch_size
    flat: list[Result] = []
    for at in range(0, len(flat_texts), size):
        flat += _deidentify_chunk(flat_texts[at : at + size], flat_patients[at : at + size], detector, policy)
    results = {col: flat[i * n : (i + 1) * n] for i, col in enumerate(spec.text_cols)}

    columns: dict[str, Any] = {f.name: batch.column(f.name) for f in schema if f.name in batch.schema.names}
    stats = BatchStats(rows=n, generated_tokens=sum(r.generated_tokens for r in flat))
    for col in spec.text_cols:
        columns[col + DEID_SUFFIX] = [r.redacted for r in results[col]]
        columns[col + PHI_SUFFIX] = _phi_rows(texts[col], results[col], spec.keep_values)
        stats.entities.update(s.label for r in results[col] for s in r.spans)
    statuses = [max((results[col][i].status for col in spec.text_cols), key=STATUS_ORDER.index) for i in range(n)]
    stats.statuses.update(statuses)
    columns[STATUS_COL] = statuses
    columns[MODEL_COL] = [spec.model_id] * n
    columns[RUN_COL] = [spec.run_id] * n
    arrays = [pa.array(columns[f.name], type=f.type) if isinstance(columns[f.name], list) else columns[f.name] for f in schema]
    return pa.RecordBatch.from_arrays(arrays, schema=schema), stats


# --- a partition: the function given to mapInArrow ----------------------------------------------


@dataclass
class TaskMetrics:
    """What one task did in one worker process; counts and timings only."""

    worker: str  # host:pid
    tasks: int = 1
    engine_starts: int = 0
    engine_start_s: float = 0.0
    seconds: float = 0.0
    stats: BatchStats = field(default_factory=BatchStats)


class MetricsSink(Protocol):
    """Where tasks report their metrics: a Spark accumulator, or a collector in tests."""

    def add(self, term: list[TaskMetrics]) -> None: ...


@dataclass(frozen=True)
class DeidMapper:
    """``Iterator[RecordBatch] -> Iterator[RecordBatch]`` for ``DataFrame.mapInArrow``; also runs without Spark."""

    factory: DetectorFactory
    policy: Policy
    spec: BatchSpec
    metrics: MetricsSink | None = None
    log_level: int = logging.WARNING  # the driver's: INFO (-v) logs a line per finished partition

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        worker_logging(self.log_level)
        started = time.perf_counter()
        task = TaskMetrics(worker=f"{socket.gethostname()}:{os.getpid()}")
        detector: Detector | None = None
        for batch in batches:
            if detector is None:  # not before the first batch: an empty partition starts no engine
                detector, build_s = cached_detector(self.factory)
                if build_s is not None:
                    task.engine_starts, task.engine_start_s = 1, build_s
            before = Counter(getattr(detector, "events", {}))
            try:
                out, stats = deidentify_batch(batch, detector, self.policy, self.spec)
                stats.detector_events = Counter(getattr(detector, "events", {})) - before
            except EngineUnavailable:
                _DETECTORS.pop(self.factory, None)  # the next task in this process starts afresh
                raise
            task.stats.add(stats)
            yield out
        task.seconds = time.perf_counter() - started
        _log_partition(task)
        if self.metrics is not None:
            self.metrics.add([task])


def _log_partition(task: TaskMetrics) -> None:
    """One INFO line per finished partition: rows and documents per second, the engine start not counted."""
    working_s = max(task.seconds - task.engine_start_s, 1e-9)
    start = f", engine start {task.engine_start_s:.1f} s before" if task.engine_starts else ""
    log.info(
        "partition done in worker %s: %d rows in %.1f s, %.2f docs/s%s", task.worker, task.stats.rows, working_s, task.stats.rows / working_s, start
    )


def merge_metrics(tasks: Sequence[TaskMetrics]) -> list[TaskMetrics]:
    """Task metrics summed per worker process."""
    per: dict[str, TaskMetrics] = {}
    for t in tasks:
        w = per.setdefault(t.worker, TaskMetrics(worker=t.worker, tasks=0))
        w.tasks += t.tasks
        w.engine_starts += t.engine_starts
        w.engine_start_s += t.engine_start_s
        w.seconds += t.seconds
        w.stats.add(t.stats)
    return sorted(per.values(), key=lambda w: w.worker)
