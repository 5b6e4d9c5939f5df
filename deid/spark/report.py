"""The run report: ``_deid_report.json`` at the output and a short summary for the console.

Counts, timings and hashes only: no text, no value, no partition value. Task metrics come from
Spark accumulators, which count every task attempt, so a retried task is counted twice in the
per-worker figures; rows in and out are counted from the Parquet files themselves.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

import smart_open

from deid.spark.batch import BatchStats, TaskMetrics, merge_metrics

REPORT_NAME = "_deid_report.json"


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
class RunReport:
    info: RunInfo
    rows_in: int = field(metadata={"help": "input rows in the processed units (from Parquet footers)"})
    rows_out: int = field(metadata={"help": "output rows carrying this run id"})
    seconds: float = field(metadata={"help": "extract + transform + load, wall clock"})
    stats: BatchStats = field(default_factory=BatchStats)
    workers: tuple[TaskMetrics, ...] = ()

    @property
    def complete(self) -> bool:
        """Every input row written exactly once, by the count."""
        return self.rows_in == self.rows_out

    @property
    def engine_starts(self) -> int:
        return sum(w.engine_starts for w in self.workers)

    def _per_s(self, n: int) -> float:
        return round(n / self.seconds, 2) if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self.info),
            "complete": self.complete,
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "rows_processed": self.stats.rows,
            "status_counts": dict(sorted(self.stats.statuses.items())),
            "entity_counts": dict(sorted(self.stats.entities.items())),
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
                + ("" if self.complete else "  ** ROW COUNTS DIFFER **"),
                f"  units: {d['units_processed']} processed, {d['units_skipped']} skipped (already current)",
                f"  status: {statuses}",
                f"  entities: {entities}",
                f"  {d['seconds']} s, {d['documents_per_s']} documents/s, {d['generated_tokens_per_s']} generated tokens/s",
                f"  engine starts: {d['engine_starts']} in {len(self.workers)} worker processes "
                f"(slowest {d['engine_start_s_max']} s)",
                f"  model {d['model_id']} ({d['model_sha256'][:12]}), policy {d['policy']} ({d['policy_sha256'][:12]})",
            ]
        )


def build_report(info: RunInfo, rows_in: int, rows_out: int, seconds: float, tasks: Sequence[TaskMetrics]) -> RunReport:
    """The report from the run's identity, row counts and task metrics."""
    workers = merge_metrics(tasks)
    stats = BatchStats()
    for w in workers:
        stats.add(w.stats)
    return RunReport(info, rows_in, rows_out, seconds, stats, tuple(workers))


def write_report(uri: str, report: RunReport) -> None:
    with smart_open.open(uri, "w", encoding="utf-8") as f:
        f.write(report.to_json() + "\n")
