"""The run report: ``_deid_report.json`` at the output and a short summary for the console.

Counts, timings and hashes only: no text, no value, no id, no partition value.

Rows out, error rows and the id check are read from the staged Parquet files themselves. Status,
entity and per-worker counts come from a Spark accumulator; they are exact under task retries:
the job is one result stage (no shuffle), and Spark merges a result task's accumulator updates
only from its first successful attempt (a failed or killed attempt's updates are discarded).
Only a recomputed stage would count twice, and this job has none (checked by the fault-injection
test that kills a worker mid-partition).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

from deid.spark.batch import BatchStats, TaskMetrics, merge_metrics

REPORT_NAME = "_deid_report.json"  # the report of the run that published the output
FAILED_REPORT_NAME = "_deid_report.failed.json"  # the report of the last run that published nothing


@dataclass(frozen=True)
class RunInfo:
    """What ran: identities and settings, known before the run."""

    run_id: str
    started_at: str  # UTC, ISO 8601
    input: str
    output: str
    text_cols: tuple[str, ...]
    detector: str  # model | patterns
    engine: str | None  # vllm | transformers, None for patterns
    io: str  # spark | arrow
    model_id: str
    model_sha256: str
    policy: str
    policy_sha256: str
    units_processed: int
    units_skipped: int


@dataclass(frozen=True)
class RowCheck:
    """The staged output compared with the input, by id; counts only."""

    rows_out: int = 0  # rows staged by this run
    rows_error: int = 0  # of them, with status error (text withheld)
    ids_missing: int = 0  # input rows whose id is not in the output as often as in the input
    ids_unexpected: int = 0  # output rows beyond the input's count of their id
    duplicate_ids_in_input: int = 0  # input rows whose id an earlier input row already has


@dataclass(frozen=True)
class RunReport:
    info: RunInfo
    rows_in: int  # input rows in the processed units (from Parquet footers)
    check: RowCheck
    seconds: float  # extract + transform + load, wall clock
    stats: BatchStats = field(default_factory=BatchStats)
    workers: tuple[TaskMetrics, ...] = ()
    max_error_share: float = 0.0
    published: bool = False

    @property
    def rows_out(self) -> int:
        return self.check.rows_out

    @property
    def complete(self) -> bool:
        """Every input row staged exactly once: the output ids are the input ids, duplicates included."""
        return self.rows_in == self.rows_out and self.check.ids_missing == 0 and self.check.ids_unexpected == 0

    @property
    def too_many_errors(self) -> bool:
        return self.check.rows_error > self.max_error_share * self.rows_out

    def failure(self) -> str | None:
        """Why the run must exit non-zero, in words (counts only), or None."""
        if not self.complete:
            return (
                f"the rows written are not the rows read: {self.rows_in} in, {self.rows_out} out, "
                f"{self.check.ids_missing} input ids missing, {self.check.ids_unexpected} unexpected; nothing was "
                "published and the previous output is unchanged"
            )
        if self.too_many_errors:
            share = self.check.rows_error / max(self.rows_out, 1)
            return (
                f"{self.check.rows_error} of {self.rows_out} rows ({share:.2%}) have status error, above the allowed "
                f"{self.max_error_share:.2%} (max_error_share in the job config): no model output could be had for "
                "them even one window at a time, or their redaction failed (the workers' logs say which, without "
                "text). Their text is withheld; they were published, and the manifest does not mark their "
                "partitions current, so --incremental retries them"
            )
        return None

    @property
    def engine_starts(self) -> int:
        return sum(w.engine_starts for w in self.workers)

    def _per_s(self, n: int) -> float:
        return round(n / self.seconds, 2) if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self.info),
            "complete": self.complete,
            "published": self.published,
            "failure": self.failure(),
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "rows_error": self.check.rows_error,
            "max_error_share": self.max_error_share,
            "ids_missing": self.check.ids_missing,
            "ids_unexpected": self.check.ids_unexpected,
            "duplicate_ids_in_input": self.check.duplicate_ids_in_input,
            "rows_processed": self.stats.rows,
            "status_counts": dict(sorted(self.stats.statuses.items())),
            "entity_counts": dict(sorted(self.stats.entities.items())),
            "detector_events": dict(sorted(self.stats.detector_events.items())),
            "seconds": round(self.seconds, 2),
            "documents_per_s": self._per_s(self.stats.rows),
            "generated_tokens": self.stats.generated_tokens,
            "generated_tokens_per_s": self._per_s(self.stats.generated_tokens),
            "engine_starts": self.engine_starts,
            "engine_start_s_max": round(max((w.engine_start_s for w in self.workers), default=0.0), 2),
            "workers": {
                w.worker: {"tasks": w.tasks, "engine_starts": w.engine_starts, "rows": w.stats.rows, "seconds": round(w.seconds, 2)}
                for w in self.workers
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def summary(self) -> str:
        d = self.to_dict()
        statuses = ", ".join(f"{k} {v}" for k, v in d["status_counts"].items()) or "none"
        entities = ", ".join(f"{k} {v}" for k, v in d["entity_counts"].items()) or "none"
        return "\n".join(
            [
                f"deid run {d['run_id']}: {d['rows_in']} rows in, {d['rows_out']} out"
                + ("" if self.complete else "  ** ROWS DIFFER BY ID **")
                + ("" if self.published else "  (not published)"),
                f"  ids: {d['ids_missing']} missing, {d['ids_unexpected']} unexpected, "
                f"{d['duplicate_ids_in_input']} duplicated in the input; {d['rows_error']} rows with status error",
                f"  units: {d['units_processed']} processed, {d['units_skipped']} skipped (already current)",
                f"  status: {statuses}",
                f"  detector failure path: {', '.join(f'{k} {v}' for k, v in d['detector_events'].items()) or 'not used'}",
                f"  entities: {entities}",
                f"  {d['seconds']} s, {d['documents_per_s']} documents/s, {d['generated_tokens_per_s']} generated tokens/s",
                f"  engine starts: {d['engine_starts']} in {len(self.workers)} worker processes "
                f"(slowest {d['engine_start_s_max']} s)",
                f"  model {d['model_id']} ({d['model_sha256'][:12]}), policy {d['policy']} ({d['policy_sha256'][:12]})",
            ]
        )


def build_report(
    info: RunInfo, rows_in: int, check: RowCheck, seconds: float, tasks: Sequence[TaskMetrics], max_error_share: float = 0.0
) -> RunReport:
    """The report from the run's identity, the row check and the task metrics."""
    workers = merge_metrics(tasks)
    stats = BatchStats()
    for w in workers:
        stats.add(w.stats)
    return RunReport(info, rows_in, check, seconds, stats, tuple(workers), max_error_share)
