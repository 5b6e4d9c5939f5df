"""transformers ``generate``, batched with left padding: the fallback engine and the one tests use."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Sequence

from deid.inference.base import Generation

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

    def generate(self, prompts: Sequence[str], max_new_tokens: Sequence[int]) -> list[Generation]:
        """Greedy completions in batches of documents with similar token caps."""
        results: list[Generation | None] = [None] * len(prompts)
        order = sorted(range(len(prompts)), key=lambda i: max_new_tokens[i])
        for at in range(0, len(order), self.batch_size):
            idx = order[at : at + self.batch_size]
            for i, gen in zip(idx, self._generate_batch([prompts[i] for i in idx], [max_new_tokens[i] for i in idx])):
                results[i] = gen
        return [r for r in results if r is not None]

    def _generate_batch(self, prompts: list[str], caps: list[int]) -> list[Generation]:
        import torch

        tok = self.tokenizer
        enc = tok(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
        was_training = self.model.training
        self.model.eval()
        with torch.inference_mode():
            out = self.model.generate(
                **enc, max_new_tokens=max(caps), do_sample=False, pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id
            )
        self.model.train(was_training)
        new = out[:, enc["input_ids"].shape[1] :]
        gens = []
        for row, cap in zip(new.tolist(), caps):
            # A prompt batched with larger caps may run past its own: cut it back, as vLLM would stop it.
            row = row[:cap]
            # Everything after the first end-of-turn is padding (the pad id may equal the eos id).
            finished = tok.eos_token_id in row
            ids = row[: row.index(tok.eos_token_id)] if finished else row
            # Counted like vLLM: the end-of-turn token is a generated token.
            tokens = len(ids) + int(finished)
            gens.append(Generation(text=tok.decode(ids, skip_special_tokens=True), tokens=tokens, finished=finished))
        return gens
