"""Progress bars of the command line: drawn on a terminal's stderr, never otherwise, never with --quiet.

The commands run in a subprocess whose stderr is a pseudo-terminal, as a user's would be.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

DEID = [sys.executable, "-m", "deid.cli"]


def _run(args: list[str], terminal: bool) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``deid ARGS``; stderr is a pseudo-terminal when ``terminal``."""
    if not terminal:
        proc = subprocess.run([*DEID, *args], capture_output=True, text=True, timeout=120)
        return proc.returncode, proc.stdout, proc.stderr
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a new pty is 0 columns wide
    proc = subprocess.Popen([*DEID, *args], stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    stdout, _ = proc.communicate(timeout=120)
    os.close(master)
    return proc.returncode, stdout, b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": f"d{i}", "text": f"Call 617-555-01{i:02d}."}) + "\n" for i in range(3)), encoding="utf-8")
    return path


def _detect(notes: Path, *flags: str) -> list[str]:
    return [*flags, "detect", "--input", str(notes), "--output", str(notes.with_name("out.jsonl")), "--detector", "patterns"]


def test_when_stderr_is_a_terminal_then_detect_draws_a_bar_over_documents(notes: Path) -> None:
    code, stdout, stderr = _run(_detect(notes), terminal=True)
    assert code == 0, stderr
    assert "detect: 100%" in stderr and "3/3" in stderr
    assert stdout.startswith("3 documents ->")


def test_when_quiet_then_detect_draws_no_bar_even_on_a_terminal(notes: Path) -> None:
    code, _, stderr = _run(_detect(notes, "--quiet"), terminal=True)
    assert code == 0
    assert stderr == ""


def test_when_stderr_is_not_a_terminal_then_detect_draws_no_bar(notes: Path) -> None:
    code, stdout, stderr = _run(_detect(notes), terminal=False)
    assert code == 0
    assert stderr == "" and stdout.startswith("3 documents ->")


def test_when_stderr_is_a_terminal_then_synth_draws_a_bar_over_all_splits(tmp_path: Path) -> None:
    code, stdout, stderr = _run(["data", "synth", "--out", str(tmp_path), "--n-train", "3", "--n-val", "2", "--n-test", "1"], terminal=True)
    assert code == 0, stderr
    assert "synth: 100%" in stderr and "6/6" in stderr
    assert len((tmp_path / "train.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_when_stderr_is_a_terminal_then_eval_draws_a_bar_over_its_steps(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g1", "text": "Ann came.", "spans": [{"label": "PERSON", "start": 0, "end": 3}]}) + "\n", encoding="utf-8")
    code, stdout, stderr = _run(["eval", "--gold", str(gold), "--pred", str(gold)], terminal=True)
    assert code == 0, stderr
    assert "eval: score: 100%" in stderr and "3/3" in stderr
    assert "PERSON" in stdout
