"""The engine interface: rendered prompts in, generated text out (greedy, in order)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, Sequence

ENGINES = ("vllm", "transformers")


@dataclass(frozen=True)
class Generation:
    text: str
    tokens: int  # generated tokens
    finished: bool  # False when the token cap stopped it


class Engine(Protocol):
    name: str
    tokenizer: Any
    max_model_len: int

    def generate(self, prompts: Sequence[str], max_new_tokens: Sequence[int]) -> list[Generation]:
        """Greedy completions of already-rendered prompts, one per prompt, in order."""
        ...


def create_engine(kind: str, model_path: str | Path, **options: Any) -> Engine:
    """An engine by name over a merged checkpoint (or a base model plus ``adapter=`` for transformers)."""
    if kind == "vllm":
        from deid.inference.vllm import VllmEngine

        return VllmEngine(model_path, **options)
    if kind == "transformers":
        from deid.inference.transformers import TransformersEngine

        return TransformersEngine(model_path, **options)
    raise ValueError(f"unknown engine {kind!r}; expected one of {ENGINES}")
