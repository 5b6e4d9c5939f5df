"""The Spark job's console: a line per finished partition with -v, quiet start-up without, no PHI either way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.spark

PARTITION_LINE = re.compile(r"partition done in worker \S+: (\d+) rows in [\d.]+ s, [\d.]+ docs/s")


@pytest.fixture(scope="module")
def notes_dir(tmp_path_factory: pytest.TempPathFactory, awkward_notes: list[dict], write_notes) -> Path:  # noqa: ANN001
    root = tmp_path_factory.mktemp("progress") / "notes"
    write_notes(awkward_notes, str(root))
    return root


def _job(notes_dir: Path, out: Path, *flags: str) -> list[str]:
    args = ["--input", str(notes_dir), "--output", str(out), "--text-col", "note_text", "--text-col", "addendum"]
    return [*args, "--id-col", "note_id", "--detector", "patterns", "--io", "arrow", *flags]


def test_when_verbose_then_each_finished_partition_logs_its_rows(
    run_job, notes_dir: Path, tmp_path: Path, awkward_notes: list[dict], planted_phi: tuple[str, ...]  # noqa: ANN001
) -> None:
    proc = run_job(*_job(notes_dir, tmp_path / "out", "-v"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [int(m.group(1)) for m in PARTITION_LINE.finditer(proc.stderr)]
    assert len(rows) == 3  # --io arrow: one task per input file, one file per site
    assert sum(rows) == len(awkward_notes)
    assert f"{len(awkward_notes)} rows in, {len(awkward_notes)} out" in proc.stdout  # the summary keeps its counts
    for value in planted_phi:
        assert value not in proc.stderr and value not in proc.stdout


def test_when_not_verbose_then_no_partition_lines_and_no_start_up_notices(run_job, notes_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    proc = run_job(*_job(notes_dir, tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not PARTITION_LINE.search(proc.stderr)
    # Spark's start-up notices (log4j profile, INFO lines, no native Hadoop) and PySpark's pandas warning.
    noise = re.compile(r"\bINFO\b|log4j profile|NativeCodeLoader|FutureWarning")
    assert [line for line in proc.stderr.splitlines() if noise.search(line)] == []
    assert proc.stdout.startswith("deid run ")
