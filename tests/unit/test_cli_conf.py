"""``deid detect --conf``: the job config is read before anything is built, and a bad one is a usage error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from deid.cli import main


@pytest.fixture()
def notes(tmp_path: Path) -> Path:
    source = tmp_path / "notes.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "SSN 123-45-6789."}) + "\n", encoding="utf-8")
    return source


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("detect:\n  tau: 1.5\n", "tau"),
        ("detect:\n  decoding: beam\n", "decoding"),
        ("engine:\n  vllm:\n    echo: true\n", "echo"),  # the decoding mode sets it, not the config
    ],
    ids=["tau-out-of-range", "unknown-decoding", "engine-echo-owned"],
)
def test_when_the_job_config_is_invalid_then_detect_refuses_it_naming_conf(tmp_path: Path, notes: Path, yaml_text: str, message: str) -> None:
    conf = tmp_path / "job.yaml"
    conf.write_text(yaml_text, encoding="utf-8")
    result = CliRunner().invoke(main, ["detect", "--input", str(notes), "--output", str(tmp_path / "out.jsonl"), "--conf", str(conf)])
    assert result.exit_code == 2, result.output
    assert "--conf" in result.output and message in result.output
    assert not (tmp_path / "out.jsonl").exists()


def test_when_the_config_sets_the_batch_size_then_patterns_detect_still_writes_every_row(tmp_path: Path, notes: Path) -> None:
    conf = tmp_path / "job.yaml"
    conf.write_text("detector_batch_size: 1\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["detect", "--input", str(notes), "--output", str(out), "--detector", "patterns", "--conf", str(conf)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["status"] for line in out.read_text(encoding="utf-8").splitlines()] == ["ok"]
