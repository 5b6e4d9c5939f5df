"""The vLLM V1 logits processor for echo-constrained decoding (imports vLLM; loaded when an engine is built)."""

from __future__ import annotations

from typing import Any

from vllm.v1.sample.logits_processor import BatchUpdate, LogitsProcessor, MoveDirectionality

from deid.inference.echo import EchoDecoder, token_index

ECHO_ARG = "deid_echo"  # the key of a request's echo settings in SamplingParams.extra_args
# Per request key: P(open) per generated token, written by the logits processor, read by the engine.
OPEN_PROBS: dict[str, list[float | None]] = {}


class EchoLogitsProcessor(LogitsProcessor):
    """vLLM V1 logits processor: every request with ``extra_args[ECHO_ARG]`` decodes an echo of its text."""

    def __init__(self, vllm_config: Any, device: Any, is_pin_memory: bool) -> None:
        self.index = token_index(str(vllm_config.model_config.tokenizer))
        self.active: dict[int, tuple[EchoDecoder, list[int]]] = {}  # batch row -> decoder, generated ids

    def is_argmax_invariant(self) -> bool:
        return False  # it changes which token is most likely

    def update_state(self, batch_update: BatchUpdate | None) -> None:
        if batch_update is None:
            return
        for row in batch_update.removed:
            self.active.pop(row, None)
        for row, params, _, output_ids in batch_update.added:
            spec = (params.extra_args or {}).get(ECHO_ARG)
            if spec is None:
                self.active.pop(row, None)
                continue
            decoder = EchoDecoder(self.index, spec["text"], spec["labels"], spec["tau"], spec.get("tau_capital"))
            # A preempted request comes back with its tokens so far: keep what was recorded for them.
            decoder.open_probs = OPEN_PROBS.setdefault(spec["key"], [])
            self.active[row] = (decoder, output_ids)
        for a, b, direction in batch_update.moved:
            moving = self.active.pop(a, None)
            if direction == MoveDirectionality.SWAP:
                if b in self.active:
                    self.active[a] = self.active.pop(b)
            else:
                self.active.pop(b, None)
            if moving is not None:
                self.active[b] = moving

    def apply(self, logits: Any) -> Any:
        for row, (decoder, output_ids) in self.active.items():
            decoder.advance(output_ids)
            decoder.constrain(logits[row])
        return logits
