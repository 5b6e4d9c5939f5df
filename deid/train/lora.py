"""LoRA fine-tuning with the loss on the final answer only, evaluated by generation after each epoch."""

from __future__ import annotations

import ctypes
import json
import logging
import math
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import yaml

from deid.entities import load_entity_set
from deid.evaluate import Document, evaluate, read_documents
from deid.prompt import TokenizedExample, build_prompt, tokenize_example
from deid.train.collate import batch_loss, collate, common_prefix_length
from deid.train.config import TrainConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EpochResult:
    epoch: int
    train_loss: float
    tokens_per_s: float
    eval: dict[str, Any]


def load_base(path: str, bf16: bool = False) -> tuple[Any, Any]:
    """Tokenizer and model of the base checkpoint (fp32, or bf16 weights), with a clear error when it is missing."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if not Path(path).exists() and (Path(path).is_absolute() or path.startswith(("models/", "./", "../"))):
        raise FileNotFoundError(f"base model {path} does not exist; run `deid models prepare` first")
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.bfloat16 if bf16 else torch.float32)
    return tok, model


def build_examples(tokenizer: Any, docs: Sequence[Document], cfg: TrainConfig) -> list[TokenizedExample]:
    """Tokenized, loss-masked examples for gold documents."""
    entities = load_entity_set(cfg.entities)
    return [tokenize_example(tokenizer, build_prompt(entities, d.text or "", cfg.format, d.spans)) for d in docs]


def _batches(examples: list[TokenizedExample], size: int, rng: random.Random) -> list[list[TokenizedExample]]:
    """Shuffled batches of documents of similar length (less padding), in random order."""
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i].input_ids), rng.random()))
    batches = [[examples[i] for i in order[at : at + size]] for at in range(0, len(order), size)]
    rng.shuffle(batches)
    return batches


def _lr_at(step: int, total: int, cfg: TrainConfig) -> float:
    """Linear warm-up then cosine decay to zero."""
    warm = max(1, int(cfg.warmup_ratio * total))
    if step < warm:
        return cfg.learning_rate * (step + 1) / warm
    progress = (step - warm) / max(1, total - warm)
    return cfg.learning_rate * 0.5 * (1 + math.cos(math.pi * progress))


def attach_lora(model: Any, cfg: TrainConfig) -> Any:
    """Fresh LoRA weights, or trainable weights loaded from ``cfg.init_adapter``."""
    from peft import LoraConfig, PeftModel, get_peft_model

    if cfg.init_adapter:  # checked by train() before the base model loads
        # The LoRA shape comes from the adapter; dropout is a training setting and follows this config.
        prior = LoraConfig.from_pretrained(cfg.init_adapter)
        prior.lora_dropout = cfg.lora_dropout
        return PeftModel.from_pretrained(model, cfg.init_adapter, is_trainable=True, config=prior)

    lora = LoraConfig(
        r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout, target_modules=cfg.target_modules, task_type="CAUSAL_LM"
    )
    return get_peft_model(model, lora)


def _trainable_in_fp32(model: Any) -> None:
    """Keep LoRA weights (and so AdamW's state and the saved adapter) in fp32 over a bf16 base."""
    import torch

    for param in model.parameters():
        if param.requires_grad and param.dtype != torch.float32:
            param.data = param.data.float()


def check_init_adapter(cfg: TrainConfig) -> dict[str, Any]:
    """The training config of ``cfg.init_adapter``, after checking it can be continued with ``cfg``."""
    folder = Path(cfg.init_adapter)
    config_file = folder / "train_config.yaml"
    if not config_file.is_file():
        raise FileNotFoundError(f"init_adapter {folder} has no train_config.yaml; it must be an adapter made by `deid train`")
    prior = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    fixed = ("base_model", "entities", "format", "lora_r", "lora_alpha", "target_modules")
    differ = [k for k in fixed if prior.get(k) != getattr(cfg, k)]
    if differ:
        raise ValueError(f"init_adapter {folder} was trained with different {differ}; these must match to continue training")
    if folder.resolve() == cfg.adapter_dir.resolve():
        raise ValueError(f"init_adapter {folder} is also the output folder; give the continued adapter another name")
    return prior


def _prior_epochs(cfg: TrainConfig) -> list[dict[str, Any]]:
    """Per-epoch metrics of the adapter training continues from (empty for a fresh adapter)."""
    if not cfg.init_adapter:
        return []
    metrics = Path(cfg.init_adapter) / "metrics.json"
    return json.loads(metrics.read_text(encoding="utf-8"))["epochs"] if metrics.is_file() else []


def _return_large_frees_to_os() -> None:
    """Serve large allocations with mmap so freed activations go back to the OS.

    Batches of varying shape fragment glibc's heap: without this the training process grew past
    17 GB within 20 steps on CPU. glibc only; elsewhere it is a no-op.
    """
    try:
        ctypes.CDLL("libc.so.6").mallopt(-3, 1 << 16)  # M_MMAP_THRESHOLD = 64 KiB
    except (OSError, AttributeError):
        pass


def train(cfg: TrainConfig, progress: Callable[[Any], Any] | None = None) -> list[EpochResult]:
    """Fine-tune, evaluate after each epoch, and save adapter, config and metrics into ``cfg.adapter_dir``."""
    import torch

    prior_config = check_init_adapter(cfg) if cfg.init_adapter else None
    _return_large_frees_to_os()
    torch.manual_seed(cfg.seed)
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    tok, base = load_base(cfg.base_model, bf16=cfg.bf16)
    model = attach_lora(base, cfg)
    _trainable_in_fp32(model)
    data = Path(cfg.data_dir)
    train_docs = read_documents(data / "train.jsonl")
    if cfg.max_train_docs:
        train_docs = train_docs[: cfg.max_train_docs]
    val_docs = read_documents(data / "val.jsonl")[: cfg.eval_docs]
    examples = build_examples(tok, train_docs, cfg)
    rng = random.Random(cfg.seed)
    steps_per_epoch = math.ceil(math.ceil(len(examples) / cfg.batch_size) / cfg.grad_accum)
    total_steps = max(1, math.ceil(steps_per_epoch * cfg.epochs))
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    results: list[EpochResult] = []
    step = 0
    epoch = 0
    import deid.detect  # noqa: F401 - loaded now, as the code is at the start: evaluation after hours of training needs it
    while step < total_steps:
        epoch += 1
        loss, tps, step = _run_epoch(model, tok, examples, cfg, opt, rng, step, total_steps, progress)
        # The weights are written before the evaluation, so an evaluation that fails loses no training.
        save_adapter(model, tok, cfg, [*results, EpochResult(epoch, loss, tps, {})], n_train=len(examples), prior_config=prior_config)
        report = evaluate_generation(model, tok, val_docs, cfg) if val_docs else {}
        results.append(EpochResult(epoch, loss, tps, report))
        log.info("epoch %d: train loss %.4f, %.0f tokens/s, eval %s", epoch, loss, tps, _headline(report))
    save_adapter(model, tok, cfg, results, n_train=len(examples), prior_config=prior_config)
    return results


def _run_epoch(model, tok, examples, cfg, opt, rng, step, total_steps, progress):  # noqa: ANN001, ANN202 - internal
    import torch

    model.train()
    batches = _batches(examples, cfg.batch_size, rng)
    bar = progress(total=min(len(batches), (total_steps - step) * cfg.grad_accum)) if progress else None
    losses: list[float] = []
    tokens = 0
    t0 = time.perf_counter()
    for i, group in enumerate(batches):
        if step >= total_steps:
            break
        batch = collate(group, tok.pad_token_id, common_prefix_length(group))
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
            loss = batch_loss(model, batch, prefix_grad=cfg.prefix_grad)
        (loss / cfg.grad_accum).backward()
        losses.append(float(loss.detach()))
        tokens += len(batch.prefix_ids) + sum(sum(m) for m in batch.attention_mask)
        if (i + 1) % cfg.grad_accum == 0 or i + 1 == len(batches):
            for group_ in opt.param_groups:
                group_["lr"] = _lr_at(step, total_steps, cfg)
            torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.max_grad_norm)
            opt.step()
            opt.zero_grad(set_to_none=True)
            step += 1
        if bar:
            bar.update(1)
            bar.set_postfix(loss=f"{losses[-1]:.4f}", step=step)
    if bar:
        bar.close()
    elapsed = time.perf_counter() - t0
    return sum(losses) / max(1, len(losses)), tokens / max(elapsed, 1e-9), step


def evaluate_generation(model: Any, tok: Any, docs: Sequence[Document], cfg: TrainConfig) -> dict[str, Any]:
    """Generate for ``docs`` with the real prompt and parser, and score spans and PHI character recall."""
    from deid.detect import DetectConfig, ModelDetector
    from deid.inference.transformers import TransformersEngine

    engine = TransformersEngine(cfg.base_model, model=model, tokenizer=tok, batch_size=cfg.batch_size)
    detector = ModelDetector(engine, load_entity_set(cfg.entities), cfg.format, DetectConfig(union_patterns=False, propagate=False, max_new_tokens=cfg.max_new_tokens))
    t0 = time.perf_counter()
    found = detector.detect([d.text or "" for d in docs])
    elapsed = time.perf_counter() - t0
    pred = [Document(d.id, d.text, det.spans) for d, det in zip(docs, found)]
    report = evaluate(docs, pred).to_dict()
    report["mean_fidelity"] = sum(det.fidelity for det in found) / len(found)
    report["untrusted_docs"] = sum(det.status != "ok" for det in found)
    report["generation_s"] = round(elapsed, 1)
    return report


def _headline(report: dict[str, Any]) -> str:
    if not report:
        return "skipped"
    return f"strict F1 {report['strict']['f1']:.3f}, PHI char recall {report['phi_char_recall']:.3f}"


def save_adapter(
    model: Any, tok: Any, cfg: TrainConfig, results: list[EpochResult], n_train: int, prior_config: dict[str, Any] | None = None
) -> Path:
    """Adapter weights, the resolved config and per-epoch metrics, side by side."""
    out = cfg.adapter_dir
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    (out / "train_config.yaml").write_text(yaml.safe_dump(cfg.to_dict(), sort_keys=False), encoding="utf-8")
    prior = _prior_epochs(cfg)
    metrics: dict[str, Any] = {
        "n_train": n_train,
        "epochs": prior
        + [
            {"epoch": len(prior) + r.epoch, "train_loss": r.train_loss, "tokens_per_s": r.tokens_per_s, "val": r.eval, "data_dir": cfg.data_dir}
            for r in results
        ],
    }
    if prior_config is not None:
        metrics["init_adapter"] = {"path": cfg.init_adapter, "train_config": prior_config}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    sources = Path(cfg.data_dir) / "sources.json"  # what a mixed training folder holds (scripts/build_training_mix.py)
    if sources.is_file():
        shutil.copyfile(sources, out / "sources.json")
    return out
