"""transformers ``generate``, batched with left padding: the fallback engine and the one tests use."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Sequence

from deid.inference.base import Echo, Generation
from deid.inference.echo import EchoDecoder, TokenIndex, tag_confidences

log = logging.getLogger(__name__)


class TransformersEngine:
    name = "transformers"

    def __init__(
        self,
        model_path: str | Path,
        adapter: str | Path | None = None,
        batch_size: int = 8,
        model: Any = None,
        tokenizer: Any = None,
    ) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.tokenizer = tokenizer or AutoTokenizer.from_pretrained(str(model_path))
        self.tokenizer.padding_side = "left"
        if model is None:
            model = AutoModelForCausalLM.from_pretrained(str(model_path), dtype=torch.float32)
            if adapter is not None:
                from peft import PeftModel

                model = PeftModel.from_pretrained(model, str(adapter)).merge_and_unload()
        self.model = model
        self.batch_size = batch_size
        self.max_model_len = int(getattr(self.model.config, "max_position_embeddings", 2048))
        self._index: TokenIndex | None = None  # built on the first echo-constrained batch

    def generate(self, prompts: Sequence[str], max_new_tokens: Sequence[int], echo: Sequence[Echo] | None = None) -> list[Generation]:
        """Greedy completions in batches of documents with similar token caps; echo-constrained if given."""
        results: list[Generation | None] = [None] * len(prompts)
        order = sorted(range(len(prompts)), key=lambda i: max_new_tokens[i])
        for at in range(0, len(order), self.batch_size):
            idx = order[at : at + self.batch_size]
            batch_echo = [echo[i] for i in idx] if echo is not None else None
            for i, gen in zip(idx, self._generate_batch([prompts[i] for i in idx], [max_new_tokens[i] for i in idx], batch_echo)):
                results[i] = gen
        return [r for r in results if r is not None]

    def _generate_batch(self, prompts: list[str], caps: list[int], echo: list[Echo] | None) -> list[Generation]:
        import torch
        from transformers import LogitsProcessorList

        tok = self.tokenizer
        enc = tok(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
        decoders = self._decoders(echo) if echo is not None else None
        processors = LogitsProcessorList([_EchoLogits(decoders, enc["input_ids"].shape[1], tok.eos_token_id)] if decoders else [])
        was_training = self.model.training
        self.model.eval()
        with torch.inference_mode():
            out = self.model.generate(
                **enc,
                max_new_tokens=max(caps),
                do_sample=False,
                pad_token_id=tok.pad_token_id,
                eos_token_id=tok.eos_token_id,
                logits_processor=processors,
            )
        self.model.train(was_training)
        new = out[:, enc["input_ids"].shape[1] :]
        gens = []
        for k, (row, cap) in enumerate(zip(new.tolist(), caps)):
            # A prompt batched with larger caps may run past its own: cut it back, as vLLM would stop it.
            row = row[:cap]
            # Everything after the first end-of-turn is padding (the pad id may equal the eos id).
            finished = tok.eos_token_id in row
            ids = row[: row.index(tok.eos_token_id)] if finished else row
            # Counted like vLLM: the end-of-turn token is a generated token.
            tokens = len(ids) + int(finished)
            confidences = tag_confidences(decoders[k].index, ids, decoders[k].open_probs) if decoders else ()
            gens.append(Generation(tok.decode(ids, skip_special_tokens=True), tokens, finished, confidences))
        return gens

    def _decoders(self, echo: list[Echo]) -> list[EchoDecoder]:
        if self._index is None:
            self._index = TokenIndex(self.tokenizer)
        return [EchoDecoder(self._index, e.text, e.labels, e.tau, e.tau_capital) for e in echo]


class _EchoLogits:
    """A transformers logits processor: each row of the batch constrained by its own echo decoder."""

    def __init__(self, decoders: list[EchoDecoder], prompt_len: int, eos_id: int) -> None:
        self.decoders = decoders
        self.prompt_len = prompt_len
        self.eos_id = eos_id

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        for row, decoder in enumerate(self.decoders):
            generated = input_ids[row, self.prompt_len :].tolist()
            if self.eos_id in generated:  # finished: generate pads it from here on
                continue
            decoder.advance(generated)
            decoder.constrain(scores[row])
        return scores
