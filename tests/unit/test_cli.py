"""Tests for deid.cli through click's CliRunner: help, detect with patterns, eval, data synth, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from deid.cli import main

# Offsets counted by hand.
IDS_TEXT = "SSN 123-45-6789, call 617-555-0199, mail a.b@example.org, MRN: 4471983."  # 4..15, 22..34, 41..56, 63..70
VALUES = ("123-45-6789", "617-555-0199", "a.b@example.org", "4471983")
GOLD = [
    {"id": "g1", "text": "Seen by Ann Lee on 3/4/21.", "spans": [{"label": "PERSON", "start": 8, "end": 15}, {"label": "DATE_TIME", "start": 19, "end": 25}]},
    {"id": "g2", "text": "Nothing to hide.", "spans": []},
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_when_help_is_asked_then_every_command_is_listed(runner: CliRunner, flag: str) -> None:
    result = runner.invoke(main, [flag])
    assert result.exit_code == 0
    commands = result.output.split("Commands:", 1)[1].split()
    for command in ("data", "detect", "eval", "models", "review", "train"):
        assert command in commands


@pytest.mark.parametrize("command", [["detect"], ["eval"], ["review"], ["train"], ["data", "synth"], ["models", "prepare"]])
def test_when_a_command_help_is_asked_then_it_exits_cleanly(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: main {' '.join(command)} [OPTIONS]")


def test_when_patterns_detect_a_jsonl_then_rows_are_redacted_and_ok(runner: CliRunner, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "d1", "text": IDS_TEXT}, {"id": "d2", "text": None}, {"id": "d3", "text": "Plain words."}])
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["detect", "--input", str(source), "--output", str(out), "--detector", "patterns"])
    assert result.exit_code == 0, result.output
    assert "3 documents" in result.output and "empty 1, ok 2" in result.output
    rows = read_jsonl(out)
    assert [(r["id"], r["status"]) for r in rows] == [("d1", "ok"), ("d2", "empty"), ("d3", "ok")]
    assert rows[0]["spans"] == [
        {"label": "US_SSN", "start": 4, "end": 15},
        {"label": "PHONE_NUMBER", "start": 22, "end": 34},
        {"label": "EMAIL_ADDRESS", "start": 41, "end": 56},
        {"label": "MEDICAL_RECORD_NUMBER", "start": 63, "end": 70},
    ]
    assert rows[0]["redacted"] == "SSN [US_SSN], call [PHONE_NUMBER], mail [EMAIL_ADDRESS], MRN: [MEDICAL_RECORD_NUMBER]."
    assert not any(value in json.dumps(rows) for value in VALUES)
    assert rows[1]["redacted"] is None and rows[2]["redacted"] == "Plain words."


def test_when_the_batch_size_is_smaller_than_the_input_then_every_row_is_still_written(runner: CliRunner, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": str(i), "text": f"Call 617-555-01{i:02d}."} for i in range(5)])
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["detect", "--input", str(source), "--output", str(out), "--detector", "patterns", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == ["0", "1", "2", "3", "4"]
    assert {r["redacted"] for r in rows} == {"Call [PHONE_NUMBER]."}


def test_when_a_gold_file_is_scored_against_itself_then_scores_are_perfect(runner: CliRunner, tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD)
    result = runner.invoke(main, ["eval", "--gold", str(gold), "--pred", str(gold)])
    assert result.exit_code == 0, result.output
    micro = next(line for line in result.output.splitlines() if line.startswith("micro"))
    assert micro.split()[1:] == ["2", "1.000", "1.000", "1.000", "1.000", "1.000", "1.000"]
    assert "leaked entities (a letter or digit visible): 0 of 2 (0.00%)" in result.output


def test_when_eval_is_asked_for_json_then_the_report_parses(runner: CliRunner, tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD)
    pred = write_jsonl(tmp_path / "pred.jsonl", [{"id": "g1", "spans": [{"label": "PERSON", "start": 8, "end": 15}]}, {"id": "g2", "spans": []}])
    result = runner.invoke(main, ["eval", "--gold", str(gold), "--pred", str(pred), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["strict"]["precision"] == 1.0 and report["strict"]["recall"] == 0.5
    assert report["uncovered_entities"] == 1 and report["gold_entities"] == 2


def test_when_eval_gold_file_is_missing_then_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["eval", "--gold", str(tmp_path / "none.jsonl"), "--pred", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_when_data_synth_runs_then_each_split_has_the_asked_number_of_documents(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "synth"
    result = runner.invoke(main, ["data", "synth", "--out", str(out), "--n-train", "3", "--n-val", "2", "--n-test", "0", "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{split}: {out / f'{split}.jsonl'}" for split in ("train", "val", "test")]
    counts = {split: len(read_jsonl(out / f"{split}.jsonl")) for split in ("train", "val", "test")}
    assert counts == {"train": 3, "val": 2, "test": 0}
    first = read_jsonl(out / "train.jsonl")[0]
    assert first["id"] == "train-00000" and set(first) >= {"text", "spans"}


def test_when_data_synth_gets_a_negative_count_then_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["data", "synth", "--out", str(tmp_path), "--n-train", "-1"])
    assert result.exit_code == 2


def test_when_model_folder_is_missing_then_detect_fails_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "d1", "text": IDS_TEXT}])
    out = tmp_path / "out.jsonl"
    missing = tmp_path / "no-adapter"
    args = ["detect", "--input", str(source), "--output", str(out), "--detector", "model", "--model", str(missing), "--engine", "transformers"]
    result = runner.invoke(main, args)
    assert result.exit_code != 0
    assert "is not a trained adapter" in f"{result.output}{result.exception}"
    assert "deid train" in f"{result.output}{result.exception}"
    assert not out.exists()


def test_when_model_folder_is_missing_then_the_message_is_a_click_error(runner: CliRunner, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "d1", "text": IDS_TEXT}])
    args = ["detect", "--input", str(source), "--output", str(tmp_path / "o.jsonl"), "--detector", "model", "--model", str(tmp_path / "none")]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert "Error" in result.output and "is not a trained adapter" in result.output


def test_when_detector_is_unknown_then_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "d1", "text": "x"}])
    result = runner.invoke(main, ["detect", "--input", str(source), "--output", str(tmp_path / "o.jsonl"), "--detector", "regex"])
    assert result.exit_code == 2
    assert "'regex' is not one of" in result.output


@pytest.mark.parametrize(
    ("env", "message"),
    [pytest.param({}, "DEID_SECRET_KEY is not set", id="missing"), pytest.param({"DEID_SECRET_KEY": "x" * 40}, "too weak", id="weak")],
)
def test_when_the_policy_key_is_missing_or_weak_then_detect_says_so_without_a_traceback(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    monkeypatch.delenv("DEID_SECRET_KEY", raising=False)
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": IDS_TEXT}])
    args = ["detect", "--input", str(source), "--output", str(tmp_path / "o.jsonl"), "--detector", "patterns", "--policy", "surrogate"]
    result = runner.invoke(main, args, env=env)
    assert result.exit_code == 1
    assert message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "o.jsonl").exists()


def test_when_a_parquet_text_field_is_not_a_string_then_detect_names_it_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a", "b"], "text": pa.array([17, 42], pa.int64())}), tmp_path / "docs.parquet")
    result = runner.invoke(main, ["detect", "--input", str(tmp_path / "docs.parquet"), "--output", str(tmp_path / "o.jsonl"), "--detector", "patterns"])
    assert result.exit_code == 1
    assert "column 'text' has type int64" in result.output and "--text-field" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "o.jsonl").exists()
