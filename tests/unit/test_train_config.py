"""Tests for deid.train.config: YAML loading, overrides, unknown keys and validation of TrainConfig."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from deid.evaluate import Document
from deid.spans import Span
from deid.train.config import TrainConfig

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "conf" / "train" / "smollm2-135m.yaml"


def test_when_defaults_are_used_then_the_adapter_goes_under_models() -> None:
    cfg = TrainConfig()
    assert cfg.adapter_dir == Path("models") / "smollm2-135m-deid"
    assert cfg.format == "inline" and cfg.entities == "hipaa"


def test_when_every_field_is_read_then_each_carries_help_text() -> None:
    assert all(f.metadata.get("help") for f in dataclasses.fields(TrainConfig))


def test_when_the_bundled_yaml_is_loaded_then_each_of_its_settings_is_used() -> None:
    raw = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    cfg = TrainConfig.from_yaml(BUNDLED)
    assert {key: getattr(cfg, key) for key in raw} == raw
    assert cfg.base_model == "models/base/smollm2-135m-instruct"


def test_when_overrides_are_given_then_none_is_ignored_and_values_win(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("name: a\nepochs: 2\nformat: inline\n", encoding="utf-8")
    cfg = TrainConfig.from_yaml(path, name=None, epochs=0.5, format="json", max_train_docs=None)
    assert (cfg.name, cfg.epochs, cfg.format, cfg.max_train_docs) == ("a", 0.5, "json", 0)


@pytest.mark.parametrize("content", ["", "# only a comment\n"], ids=["empty", "comment_only"])
def test_when_yaml_is_empty_then_defaults_are_used(tmp_path: Path, content: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(content, encoding="utf-8")
    assert TrainConfig.from_yaml(path) == TrainConfig()


def test_when_yaml_has_an_unknown_key_then_error_names_it_and_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("name: a\nlearning_rat: 0.1\nbatchsize: 4\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"unknown training settings \['batchsize', 'learning_rat'\]") as err:
        TrainConfig.from_yaml(path)
    assert "learning_rate" in str(err.value) and str(path) in str(err.value)


def test_when_an_override_is_unknown_then_it_is_an_error_too(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("name: a\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown training settings"):
        TrainConfig.from_yaml(path, epoch=3)


def test_when_config_is_saved_as_yaml_then_loading_it_gives_the_same_config(tmp_path: Path) -> None:
    cfg = TrainConfig(name="x", format="json", epochs=0.25, target_modules=["q_proj"], max_train_docs=4)
    path = tmp_path / "saved.yaml"
    path.write_text(yaml.safe_dump(cfg.to_dict()), encoding="utf-8")
    assert TrainConfig.from_yaml(path) == cfg


def test_when_configs_are_built_then_default_lists_are_not_shared() -> None:
    first, second = TrainConfig(), TrainConfig()
    first.target_modules.append("lm_head")
    assert "lm_head" not in second.target_modules


INVALID = [
    pytest.param({"format": "xml"}, "format", id="format"),
    pytest.param({"batch_size": 0}, "batch_size", id="batch_size_zero"),
    pytest.param({"grad_accum": 0}, "grad_accum", id="grad_accum_zero"),
    pytest.param({"lora_r": 0}, "lora_r", id="lora_r_zero"),
    pytest.param({"lora_alpha": -1}, "lora_alpha", id="lora_alpha_negative"),
    pytest.param({"epochs": 0}, "epochs", id="epochs_zero"),
    pytest.param({"epochs": -1.0}, "epochs", id="epochs_negative"),
    pytest.param({"warmup_ratio": 1.0}, "warmup_ratio", id="warmup_ratio_one"),
    pytest.param({"warmup_ratio": -0.1}, "warmup_ratio", id="warmup_ratio_negative"),
]


@pytest.mark.parametrize(("settings", "name"), INVALID)
def test_when_a_setting_is_invalid_then_error_names_it(settings: dict[str, Any], name: str) -> None:
    with pytest.raises(ValueError, match=name):
        TrainConfig(**settings)


@pytest.mark.parametrize(("settings", "name"), INVALID)
def test_when_a_yaml_setting_is_invalid_then_loading_fails(tmp_path: Path, settings: dict[str, Any], name: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    with pytest.raises(ValueError, match=name):
        TrainConfig.from_yaml(path)


@pytest.mark.parametrize("name", ["max_train_docs", "eval_docs"])
def test_when_a_document_count_is_negative_then_error_names_it(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        TrainConfig(**{name: -1})


class CapturingModel:
    """Stands in for the causal LM in evaluation: records each token cap and answers end-of-turn at once."""

    def __init__(self, eos_id: int) -> None:
        self.config = SimpleNamespace(max_position_embeddings=8192)
        self.training = False
        self.eos_id = eos_id
        self.caps: list[int] = []

    def eval(self) -> "CapturingModel":
        return self

    def train(self, mode: bool = True) -> "CapturingModel":
        return self

    def generate(self, input_ids: Any, max_new_tokens: int, **kwargs: Any) -> Any:
        import torch

        self.caps.append(max_new_tokens)
        return torch.cat([input_ids, torch.full((input_ids.shape[0], 1), self.eos_id)], dim=1)


def test_when_max_new_tokens_is_set_then_evaluation_generation_is_capped_by_it(base_model_dir: Path) -> None:
    from transformers import AutoTokenizer

    from deid.train.lora import evaluate_generation

    tok = AutoTokenizer.from_pretrained(str(base_model_dir))  # not the shared one: the engine sets its padding side
    model = CapturingModel(tok.eos_token_id)
    docs = [Document("d1", "Seen by Ann Lee.", (Span(8, 15, "PERSON"),)), Document("d2", "Nothing here.", ())]
    evaluate_generation(model, tok, docs, TrainConfig(base_model=str(base_model_dir), max_new_tokens=5, batch_size=2))
    assert model.caps and max(model.caps) <= 5


def _adapter_folder(tmp_path: Path, **settings: Any) -> Path:
    folder = tmp_path / "prior"
    folder.mkdir()
    (folder / "train_config.yaml").write_text(yaml.safe_dump(TrainConfig(**settings).to_dict()), encoding="utf-8")
    return folder


def test_when_init_adapter_matches_then_its_config_is_returned(tmp_path: Path) -> None:
    from deid.train.lora import check_init_adapter

    prior = _adapter_folder(tmp_path, learning_rate=1e-3)
    assert check_init_adapter(TrainConfig(name="next", init_adapter=str(prior)))["learning_rate"] == 1e-3


@pytest.mark.parametrize(
    ("settings", "named"),
    [({"lora_r": 8}, "lora_r"), ({"format": "json"}, "format"), ({"target_modules": ["q_proj"]}, "target_modules")],
    ids=["rank", "format", "targets"],
)
def test_when_init_adapter_was_trained_differently_then_error_names_the_setting(tmp_path: Path, settings: dict[str, Any], named: str) -> None:
    from deid.train.lora import check_init_adapter

    prior = _adapter_folder(tmp_path, **settings)
    with pytest.raises(ValueError, match=named):
        check_init_adapter(TrainConfig(name="next", init_adapter=str(prior)))


def test_when_init_adapter_is_not_an_adapter_or_is_the_output_then_it_is_refused(tmp_path: Path) -> None:
    from deid.train.lora import check_init_adapter

    with pytest.raises(FileNotFoundError, match="train_config.yaml"):
        check_init_adapter(TrainConfig(name="next", init_adapter=str(tmp_path)))
    prior = _adapter_folder(tmp_path)
    with pytest.raises(ValueError, match="output folder"):
        check_init_adapter(TrainConfig(name="prior", output_dir=str(tmp_path), init_adapter=str(prior)))
