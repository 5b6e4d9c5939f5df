"""Tests for deid.train.card: the model card written from an adapter's saved config and metrics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from deid.train.card import parse_entry, write_model_card

CONFIG = {
    "name": "tiny-deid",
    "base_model": "models/base/smollm2-135m-instruct",
    "entities": "hipaa",
    "format": "inline",
    "lora_r": 16,
    "epochs": 1.0,
}


def scores(possible: int, precision: float, recall: float, f1: float) -> dict[str, Any]:
    return {"correct": 0, "partial": 0, "actual": 0, "possible": possible, "precision": precision, "recall": recall, "f1": f1}


VAL_REPORT = {"strict": scores(16, 0.8, 0.7, 0.75), "phi_char_recall": 0.9}
METRICS = {
    "n_train": 56,
    "epochs": [
        {"epoch": 1, "train_loss": 0.5, "tokens_per_s": 190.6, "val": VAL_REPORT},
        {"epoch": 2, "train_loss": 0.25, "tokens_per_s": 200.0, "val": {}},
    ],
}
TEST_METRICS = {"model": {
    "command": "deid eval --gold data/synth/test.jsonl --pred out/test_pred.jsonl",
    "report": {
        "strict": scores(16, 0.5, 0.25, 0.375),
        "partial": scores(16, 0.625, 0.5, 0.5),
        "per_label": {"PERSON": {"strict": scores(8, 1.0, 0.875, 0.875)}, "DATE_TIME": {"strict": scores(8, 0.25, 0.125, 0.125)}},
        "phi_char_recall": 0.9875,
        "uncovered_entities": 2,
        "leaked_entities": 1,
        "phi_char_precision": 0.96,
        "gold_entities": 16,
        "phi_free_docs_with_fp": 1,
        "phi_free_docs": 4,
    },
}}


def adapter_dir(tmp_path: Path, config: dict[str, Any] = CONFIG, test: dict[str, Any] | None = None) -> Path:
    (tmp_path / "train_config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    (tmp_path / "metrics.json").write_text(json.dumps(METRICS), encoding="utf-8")
    if test is not None:
        (tmp_path / "test_metrics.json").write_text(json.dumps(test), encoding="utf-8")
    return tmp_path


def test_when_card_is_written_then_it_is_the_adapter_readme_naming_base_model_and_data(tmp_path: Path) -> None:
    path = write_model_card(adapter_dir(tmp_path))
    assert path == tmp_path / "README.md"
    card = path.read_text(encoding="utf-8")
    assert card.startswith("# tiny-deid\n")
    assert "`smollm2-135m-instruct`" in card
    assert "SmolLM2-135M-Instruct (Apache-2.0)" in card
    assert "entity set `hipaa`): 56 training documents per epoch. No real patient data was used." in card
    assert "Trained and scored on synthetic text only" in card
    assert "(`inline` answer format)" in card


def test_when_card_is_written_then_every_setting_is_a_table_row(tmp_path: Path) -> None:
    card = write_model_card(adapter_dir(tmp_path)).read_text(encoding="utf-8")
    for row in (
        "| name | `tiny-deid` |",
        "| base_model | `models/base/smollm2-135m-instruct` |",
        "| lora_r | `16` |",
        "| epochs | `1.0` |",
    ):
        assert row in card


def test_when_card_is_written_then_each_epoch_is_a_row_with_or_without_validation(tmp_path: Path) -> None:
    card = write_model_card(adapter_dir(tmp_path)).read_text(encoding="utf-8")
    assert "| 1 | 0.5000 | 191 | 0.750 | 0.9000 |" in card
    assert "| 2 | 0.2500 | 200 | - | - |" in card


def test_when_no_test_metrics_exist_then_the_card_says_not_evaluated(tmp_path: Path) -> None:
    card = write_model_card(adapter_dir(tmp_path)).read_text(encoding="utf-8")
    assert "## Results on the test sets\n\nNot evaluated yet.\n" in card


def test_when_test_metrics_exist_then_the_card_has_per_label_scores_and_leaks(tmp_path: Path) -> None:
    card = write_model_card(adapter_dir(tmp_path, test=TEST_METRICS)).read_text(encoding="utf-8")
    assert "Not evaluated yet." not in card
    assert "### synthetic test split: The model alone (strict span match)" in card
    assert "Command: `deid eval --gold data/synth/test.jsonl --pred out/test_pred.jsonl`" in card
    assert "| PERSON | 8 | 1.000 | 0.875 | 0.875 |" in card
    assert "| DATE_TIME | 8 | 0.250 | 0.125 | 0.125 |" in card
    assert "| **micro** | 16 | 0.500 | 0.250 | 0.375 |" in card
    assert "- micro partial F1: 0.500" in card
    assert "- PHI character recall: 0.9875 (leak rate 0.0125)" in card
    assert "- gold entities not fully covered: 2 of 16" in card
    assert "- leaked entities (a letter or digit visible): 1 of 16" in card
    assert "- PHI character precision: 0.9600" in card
    assert "- PHI-free documents with any false positive: 1 of 4" in card


def test_when_card_is_written_twice_then_the_second_replaces_the_first(tmp_path: Path) -> None:
    write_model_card(adapter_dir(tmp_path))
    card = write_model_card(adapter_dir(tmp_path, test=TEST_METRICS)).read_text(encoding="utf-8")
    assert card.count("# tiny-deid\n") == 1
    assert "Not evaluated yet." not in card


@pytest.mark.parametrize("missing", ["train_config.yaml", "metrics.json"])
def test_when_a_saved_file_is_missing_then_writing_the_card_fails(tmp_path: Path, missing: str) -> None:
    (adapter_dir(tmp_path) / missing).unlink()
    with pytest.raises(FileNotFoundError):
        write_model_card(tmp_path)
    assert not (tmp_path / "README.md").exists()


def test_when_format_is_json_then_the_card_does_not_claim_inline_tags(tmp_path: Path) -> None:
    card = write_model_card(adapter_dir(tmp_path, config={**CONFIG, "format": "json"})).read_text(encoding="utf-8")
    assert "(`json` answer format)" in card
    assert "inline XML tags" not in card


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("job", ("synthetic test split", "job")),
        ("handwritten/model+patterns", ("handwritten", "model+patterns")),
        ("synth-v2-test/model", ("synth-v2-test", "model")),
    ],
)
def test_when_a_card_entry_names_a_test_set_then_set_and_detector_are_read(name: str, expected: tuple[str, str]) -> None:
    assert parse_entry(name) == expected


@pytest.mark.parametrize("name", ["", "patterns", "handwritten/", "/job", "a b/job"])
def test_when_a_card_entry_is_malformed_then_it_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="SET/"):
        parse_entry(name)


def test_when_the_adapter_was_trained_on_a_mix_then_the_card_names_its_sets_and_says_they_are_no_held_out_figures(tmp_path: Path) -> None:
    sources = {
        "handwritten_sets": [1, 2],
        "synthetic": {"file": "data/synth-v2/train.jsonl", "first": 1000, "n": 6},
        "seed": 51,
        "documents": {"handwritten1": 30, "handwritten2": 20, "synthetic": 6, "total": 56},
    }
    folder = adapter_dir(tmp_path)
    (folder / "sources.json").write_text(json.dumps(sources), encoding="utf-8")
    card = write_model_card(folder).read_text(encoding="utf-8")
    assert "50 texts of the hand-written development sets 1, 2" in card
    assert "6 documents of synthetic clinical notes" in card and "numbers 1000 to 1005 of `data/synth-v2/train.jsonl`" in card
    assert "scores on them are not held-out figures" in card
    assert "Trained and scored on synthetic text only" not in card
