"""A real, short LoRA training run on synthetic notes, then the adapter, its merge and its model card.

Four training documents in two steps of two, two validation documents: under a minute on CPU.
The run happens once per module; each test checks one of its products.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from deid.adapter import Adapter, load_adapter, merged_checkpoint
from deid.train.card import write_model_card
from deid.train.config import TrainConfig
from deid.train.lora import EpochResult, train
from deid.train.synth import SynthDoc, generate

pytestmark = pytest.mark.slow

N_LAYERS = 30  # SmolLM2-135M
TARGETS = ["q_proj", "v_proj"]


@dataclass(frozen=True)
class Run:
    cfg: TrainConfig
    results: list[EpochResult]


def shortest(docs: list[SynthDoc], n: int) -> list[SynthDoc]:
    """The n shortest documents that have PHI: short answers keep training and evaluation fast."""
    return sorted((d for d in docs if d.spans), key=lambda d: len(d.text))[:n]


@pytest.fixture(scope="module")
def run(base_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("train")
    data = root / "data"
    data.mkdir()
    for split, docs in (("train", shortest(generate(40, seed=5, split="train"), 6)), ("val", shortest(generate(40, seed=5, split="val"), 3))):
        (data / f"{split}.jsonl").write_text("".join(json.dumps(d.to_json()) + "\n" for d in docs), encoding="utf-8")
    cfg = TrainConfig(
        name="short",
        base_model=str(base_model_dir),
        entities="hipaa",
        data_dir=str(data),
        output_dir=str(root / "models"),
        epochs=1,
        max_train_docs=4,
        batch_size=2,
        grad_accum=1,
        eval_docs=2,
        max_new_tokens=32,
        lora_r=4,
        lora_alpha=8,
        target_modules=TARGETS,
        seed=3,
    )
    return Run(cfg, train(cfg))


@pytest.fixture(scope="module")
def adapter(run: Run) -> Adapter:
    return load_adapter(run.cfg.adapter_dir)


def test_when_training_runs_then_one_epoch_with_a_finite_loss_is_reported(run: Run) -> None:
    [epoch] = run.results
    assert epoch.epoch == 1
    assert math.isfinite(epoch.train_loss) and epoch.train_loss > 0
    assert epoch.tokens_per_s > 0
    assert 0.0 <= epoch.eval["mean_fidelity"] <= 1.0
    assert epoch.eval["documents"] == 2


def test_when_training_ends_then_adapter_config_and_metrics_are_saved_side_by_side(run: Run) -> None:
    out = run.cfg.adapter_dir
    for name in ("adapter_model.safetensors", "adapter_config.json", "train_config.yaml", "metrics.json"):
        assert (out / name).is_file(), name
    assert TrainConfig(**yaml.safe_load((out / "train_config.yaml").read_text(encoding="utf-8"))) == run.cfg
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["n_train"] == 4
    assert [e["epoch"] for e in metrics["epochs"]] == [1]
    assert metrics["epochs"][0]["train_loss"] == run.results[0].train_loss
    assert metrics["epochs"][0]["val"]["gold_entities"] > 0


def test_when_training_ends_then_every_lora_b_matrix_has_moved_from_zero(run: Run) -> None:
    from safetensors.torch import load_file

    weights = load_file(str(run.cfg.adapter_dir / "adapter_model.safetensors"))
    b_matrices = {k: v for k, v in weights.items() if "lora_B" in k}
    assert len(b_matrices) == N_LAYERS * len(TARGETS)
    assert all(float(v.abs().max()) > 0 for v in b_matrices.values())  # LoRA initialises B to zero
    assert {tuple(v.shape) for k, v in weights.items() if "lora_A" in k and "q_proj" in k} == {(4, 576)}


def test_when_the_adapter_is_loaded_then_it_knows_its_base_entities_and_format(run: Run, adapter: Adapter, base_model_dir: Path) -> None:
    assert (adapter.name, adapter.format, adapter.entities.name) == ("short", "inline", "hipaa")
    assert adapter.base_model == base_model_dir
    assert len(adapter.sha256) == 64 and adapter.model_id == f"short@{adapter.sha256[:12]}"
    assert load_adapter(run.cfg.adapter_dir).sha256 == adapter.sha256


def test_when_the_adapter_is_merged_then_the_checkpoint_loads_and_differs_from_the_base(
    adapter: Adapter, base_model_dir: Path, tmp_path: Path
) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    merged = merged_checkpoint(adapter, cache_dir=tmp_path)
    assert merged == tmp_path / adapter.sha256[:12]
    assert json.loads((merged / "deid_adapter.json").read_text(encoding="utf-8")) == {"adapter": adapter.model_id}
    model = AutoModelForCausalLM.from_pretrained(str(merged), dtype=torch.float32)
    base = AutoModelForCausalLM.from_pretrained(str(base_model_dir), dtype=torch.float32)
    tok = AutoTokenizer.from_pretrained(str(merged))
    layer, base_layer = model.model.layers[0].self_attn, base.model.layers[0].self_attn
    assert not torch.equal(layer.q_proj.weight, base_layer.q_proj.weight)  # LoRA target: merged in
    assert torch.equal(layer.k_proj.weight, base_layer.k_proj.weight)  # not a target: untouched
    with torch.no_grad():
        logits = model(**tok("Seen today.", return_tensors="pt")).logits
    assert logits.shape[-1] == model.config.vocab_size and torch.isfinite(logits).all()


def test_when_merged_twice_then_the_cached_checkpoint_is_reused(adapter: Adapter, tmp_path: Path) -> None:
    first = merged_checkpoint(adapter, cache_dir=tmp_path)
    stamp = (first / "model.safetensors").stat().st_mtime_ns
    assert merged_checkpoint(adapter, cache_dir=tmp_path) == first
    assert (first / "model.safetensors").stat().st_mtime_ns == stamp
    assert not list(tmp_path.glob("*.partial"))


def test_when_merged_then_nothing_is_printed_and_progress_bars_stay_as_they_were(
    adapter: Adapter, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from transformers.utils import logging as hf_logging

    assert hf_logging.is_progress_bar_enabled()
    merged_checkpoint(adapter, cache_dir=tmp_path)
    assert capfd.readouterr() == ("", "")  # no "Loading weights" or "Writing model shards" bars
    assert hf_logging.is_progress_bar_enabled()


def test_when_two_merges_of_one_adapter_run_at_once_then_both_get_the_one_checkpoint(adapter: Adapter, tmp_path: Path) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Processes, as two jobs would be (transformers' loading is not thread-safe).
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        paths = list(pool.map(merged_checkpoint, [adapter] * 2, [tmp_path] * 2))
    assert paths == [tmp_path / adapter.sha256[:12]] * 2
    assert (paths[0] / "model.safetensors").is_file() and (paths[0] / "deid_adapter.json").is_file()
    assert [p.name for p in tmp_path.iterdir()] == [adapter.sha256[:12]]  # no staging folder left


def test_when_a_card_is_written_for_the_run_then_it_names_the_adapter_and_base_model(run: Run) -> None:
    card = write_model_card(run.cfg.adapter_dir).read_text(encoding="utf-8")
    assert card.startswith("# short\n")
    assert f"`{Path(run.cfg.base_model).name}`" in card and "smollm2-135m-instruct" in card
    assert "4 training documents" in card
    assert "| 1 | " in card


@pytest.mark.parametrize("missing", ["adapter_model.safetensors", "train_config.yaml"])
def test_when_an_adapter_folder_lacks_a_file_then_loading_it_says_how_to_get_one(tmp_path: Path, missing: str) -> None:
    for name in ("adapter_model.safetensors", "train_config.yaml"):
        if name != missing:
            (tmp_path / name).write_text("x", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="deid train"):
        load_adapter(tmp_path)


def test_when_training_continues_from_the_adapter_then_it_starts_from_its_weights(run: Run) -> None:
    """With a vanishing learning rate the continued adapter equals the one it started from; a fresh LoRA would have zero B."""
    import torch
    from safetensors.torch import load_file

    cfg = dataclasses.replace(run.cfg, name="continued", init_adapter=str(run.cfg.adapter_dir), learning_rate=1e-12, eval_docs=0, max_train_docs=2)
    [result] = train(cfg)
    before = load_file(str(run.cfg.adapter_dir / "adapter_model.safetensors"))
    after = load_file(str(cfg.adapter_dir / "adapter_model.safetensors"))
    assert before.keys() == after.keys()
    assert all(torch.allclose(before[k], after[k], atol=1e-6) for k in before)
    metrics = json.loads((cfg.adapter_dir / "metrics.json").read_text(encoding="utf-8"))
    assert [e["epoch"] for e in metrics["epochs"]] == [1, 2]
    assert metrics["init_adapter"]["path"] == str(run.cfg.adapter_dir)
    assert metrics["epochs"][1]["train_loss"] == result.train_loss
    assert "Training continued from the adapter" in write_model_card(cfg.adapter_dir).read_text(encoding="utf-8")


def test_when_the_evaluation_after_training_fails_then_the_trained_adapter_is_already_on_disk(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import deid.train.lora as lora

    def failing_evaluation(*args: object, **kwargs: object) -> dict[str, object]:
        raise RuntimeError("evaluation failed")

    monkeypatch.setattr(lora, "evaluate_generation", failing_evaluation)
    cfg = dataclasses.replace(run.cfg, name="saved-first", output_dir=str(tmp_path), max_train_docs=2)
    with pytest.raises(RuntimeError, match="evaluation failed"):
        train(cfg)
    assert load_adapter(cfg.adapter_dir).name == "saved-first"  # weights, config and hash all there
    assert json.loads((cfg.adapter_dir / "metrics.json").read_text(encoding="utf-8"))["epochs"][-1]["val"] == {}
