"""Training configuration: every default in one visible place, with its unit and meaning."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from deid.prompt import FORMATS


@dataclass
class TrainConfig:
    name: str = field(default="smollm2-135m-deid", metadata={"help": "adapter name; saved under models/<name>/"})
    base_model: str = field(
        default="models/base/smollm2-135m-instruct",
        metadata={"help": "local checkpoint (made by `deid models prepare`) or a hub id for users with a hub"},
    )
    entities: str = field(default="hipaa", metadata={"help": "entity set name or YAML path"})
    format: str = field(default="inline", metadata={"help": "answer format: inline or json"})
    data_dir: str = field(default="data/synth", metadata={"help": "folder with train.jsonl and val.jsonl"})
    init_adapter: str = field(
        default="",
        metadata={"help": "continue training from this adapter folder's LoRA weights (its LoRA shape, base and format must match); empty = fresh LoRA"},
    )
    output_dir: str = field(default="models", metadata={"help": "the adapter goes to <output_dir>/<name>/"})
    epochs: float = field(default=1.0, metadata={"help": "passes over the training split (fractions allowed)"})
    max_train_docs: int = field(default=0, metadata={"help": "use only the first N training docs (0 = all)"})
    learning_rate: float = field(default=5e-4, metadata={"help": "peak AdamW learning rate"})
    warmup_ratio: float = field(default=0.05, metadata={"help": "share of optimizer steps with linear warm-up"})
    weight_decay: float = field(default=0.0, metadata={"help": "AdamW weight decay"})
    batch_size: int = field(default=8, metadata={"help": "documents per forward pass; they share one prompt-prefix pass"})
    grad_accum: int = field(default=2, metadata={"help": "forward passes per optimizer step"})
    max_grad_norm: float = field(default=1.0, metadata={"help": "gradient clipping norm"})
    lora_r: int = field(default=16, metadata={"help": "LoRA rank"})
    lora_alpha: int = field(default=32, metadata={"help": "LoRA scaling numerator"})
    lora_dropout: float = field(
        default=0.0, metadata={"help": "dropout on the LoRA input; 0 = off (its random masks were 11% of a CPU step)"}
    )
    target_modules: list[str] = field(
        default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
        metadata={"help": "linear layers that get LoRA weights"},
    )
    bf16: bool = field(
        default=True,
        metadata={"help": "bf16 autocast for forward/backward, frozen base weights stored in bf16 (LoRA weights and optimizer stay fp32)"},
    )
    prefix_grad: bool = field(
        default=False,
        metadata={
            "help": "back-propagate through the shared prompt prefix too; off, the prefix runs without gradients "
            "(exact forward, LoRA learns from document and answer positions; ~1.3x faster on CPU)"
        },
    )
    eval_docs: int = field(default=48, metadata={"help": "validation docs generated and scored after each epoch"})
    max_new_tokens: int = field(default=512, metadata={"help": "generation cap during evaluation"})
    threads: int = field(default=0, metadata={"help": "torch CPU threads (0 = torch default)"})
    seed: int = field(default=13, metadata={"help": "seed for shuffling and LoRA initialisation"})

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}, got {self.format!r}")
        for name in ("batch_size", "grad_accum", "lora_r", "lora_alpha"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        for name in ("max_train_docs", "eval_docs", "max_new_tokens", "threads"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.epochs <= 0:
            raise ValueError("epochs must be positive")
        if not 0 <= self.warmup_ratio < 1:
            raise ValueError("warmup_ratio must be in [0, 1)")

    @property
    def adapter_dir(self) -> Path:
        return Path(self.output_dir) / self.name

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_yaml(cls, path: str | Path, **overrides: Any) -> "TrainConfig":
        """Load a YAML config; keys that are not fields are an error, ``None`` overrides are ignored."""
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        raw.update({k: v for k, v in overrides.items() if v is not None})
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"{path}: unknown training settings {unknown}; known settings are {sorted(known)}")
        return cls(**raw)
