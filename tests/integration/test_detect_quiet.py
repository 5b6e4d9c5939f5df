"""`deid detect` on the real vLLM engine is quiet without -v: no engine INFO or WARNING lines, no load bars."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
# vLLM's own lines ("INFO 12-01 17:10:55 [file.py:1] ...", also under a "(MainProcess pid=1)" prefix),
# logging's ("... vllm.x WARNING ..."), the C++ side's ("[W1201 ...] Warning: ...") and Python warnings.
NOISE = re.compile(r"\b(INFO|WARNING|DEBUG)\b|\] Warning: |Warning: |Loading safetensors")


def test_when_detect_runs_vllm_without_verbose_then_it_prints_only_its_summary(base_model_dir: Path, tmp_path: Path) -> None:
    if importlib.util.find_spec("vllm") is None:
        pytest.skip("vllm is not installed")
    notes = tmp_path / "in.jsonl"
    notes.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(["Ann Lee called 617-555-0199.", "Seen on 3/4/21."])),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "deid.cli", "detect", "--input", str(notes), "--output", str(out), "--engine", "vllm"],
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if k not in ("VLLM_LOGGING_LEVEL", "TORCH_CPP_LOG_LEVEL")},  # the defaults, whatever ran before
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert [line for line in (proc.stdout + proc.stderr).splitlines() if NOISE.search(line)] == []
    assert proc.stderr == ""
    assert proc.stdout.startswith("2 documents -> ") and proc.stdout.count("\n") == 1
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
