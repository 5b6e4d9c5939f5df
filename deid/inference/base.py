"""The engine interface: rendered prompts in, generated text out (greedy, in order), optionally echo-constrained."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, Sequence

ENGINES = ("vllm", "transformers")


@dataclass(frozen=True)
class Generation:
    text: str
    tokens: int  # generated tokens
    finished: bool  # False when the token cap stopped it
    tag_confidences: tuple[float, ...] = ()  # echo decoding: P(open) of each opening tag, in order


@dataclass(frozen=True)
class Echo:
    """What one prompt's answer must echo (see ``deid.inference.echo``)."""

    text: str  # the input text, as given to the prompt builder (neutralised by the constraint)
    labels: tuple[str, ...]  # the tag names allowed
    tau: float | None = None  # open a tag when P(open) >= tau; None: greedy under the constraint
    tau_capital: float | None = None  # the threshold where a capitalised word or a number starts; None: tau


class Engine(Protocol):
    name: str
    tokenizer: Any
    max_model_len: int

    def generate(self, prompts: Sequence[str], max_new_tokens: Sequence[int], echo: Sequence[Echo] | None = None) -> list[Generation]:
        """Greedy completions of already-rendered prompts, one per prompt, in order; echo-constrained if given."""
        ...


@lru_cache(maxsize=1)
def cpu_has_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (AMX or AVX512-BF16), from /proc/cpuinfo."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def create_engine(kind: str, model_path: str | Path, **options: Any) -> Engine:
    """An engine by name over a merged checkpoint (or a base model plus ``adapter=`` for transformers)."""
    if kind == "vllm":
        from deid.inference.vllm import VllmEngine

        return VllmEngine(model_path, **options)
    if kind == "transformers":
        from deid.inference.transformers import TransformersEngine

        return TransformersEngine(model_path, **options)
    raise ValueError(f"unknown engine {kind!r}; expected one of {ENGINES}")
