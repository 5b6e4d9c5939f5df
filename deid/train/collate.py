"""Loss-masked training batches that share one pass over the fixed prompt prefix.

Every training conversation is the same up to the real input, so a batch runs that prefix once
and the documents attend to its cached keys and values. The loss is the same as running every
sequence whole. With ``prefix_grad`` the gradient also flows back through the shared prefix; without
it (the default) the prefix runs under ``no_grad`` with the current weights, so its keys and values
are exact but the LoRA weights learn only from the document and answer positions. The prefix is
~1,200 of ~1,450 tokens of a conversation: its backward pass was a third of a step's time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Sequence

from deid.prompt import IGNORE_INDEX, TokenizedExample

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SharedPrefixBatch:
    prefix_ids: list[int]
    input_ids: list[list[int]]  # per document, after the prefix, right-padded
    attention_mask: list[list[int]]
    labels: list[list[int]]  # IGNORE_INDEX on prompt tokens and padding


def common_prefix_length(examples: Sequence[TokenizedExample]) -> int:
    """Length of the longest token prefix that every example shares, ending before any answer token.

    The prefix stops at least one token before the first answer token, so that every answer token is
    predicted from a suffix position and its loss is counted.
    """
    first = examples[0].input_ids
    n = min(_first_answer_index(e) - 1 for e in examples)
    for ex in examples:
        i = 0
        while i < n and ex.input_ids[i] == first[i]:
            i += 1
        n = i
    return max(n, 0)


def _first_answer_index(example: TokenizedExample) -> int:
    for i, label in enumerate(example.labels):
        if label != IGNORE_INDEX:
            return i
    raise ValueError("a training example has no answer tokens")


def collate(examples: Sequence[TokenizedExample], pad_id: int, prefix_len: int) -> SharedPrefixBatch:
    """Split examples into the shared prefix and right-padded suffixes with their labels."""
    prefix = examples[0].input_ids[:prefix_len]
    for ex in examples:
        if ex.input_ids[:prefix_len] != prefix:
            raise ValueError("examples in one batch do not share the prompt prefix; rebuild them with one prompt builder")
    suffixes = [ex.input_ids[prefix_len:] for ex in examples]
    labels = [ex.labels[prefix_len:] for ex in examples]
    width = max(len(s) for s in suffixes)
    return SharedPrefixBatch(
        prefix_ids=list(prefix),
        input_ids=[s + [pad_id] * (width - len(s)) for s in suffixes],
        attention_mask=[[1] * len(s) + [0] * (width - len(s)) for s in suffixes],
        labels=[lab + [IGNORE_INDEX] * (width - len(lab)) for lab in labels],
    )


def batch_loss(model: Any, batch: SharedPrefixBatch, prefix_grad: bool = False) -> Any:
    """Mean cross-entropy over answer tokens, with one forward pass over the shared prefix."""
    import torch
    import torch.nn.functional as F

    device = next(model.parameters()).device
    ids = torch.tensor(batch.input_ids, device=device)
    n, width = ids.shape
    p = len(batch.prefix_ids)
    mask = torch.tensor(batch.attention_mask, device=device)
    labels = torch.tensor(batch.labels, device=device)
    # Logits (a vocabulary-wide matmul per position) are computed only from the position before the
    # first answer token in the batch onwards; earlier positions carry no loss.
    keep = width - max(0, int((labels != IGNORE_INDEX).int().argmax(1).min()) - 1)
    if p == 0:
        out = model(input_ids=ids, attention_mask=mask, logits_to_keep=keep)
    else:
        with torch.set_grad_enabled(prefix_grad and torch.is_grad_enabled()):
            prefix = model(input_ids=torch.tensor([batch.prefix_ids], device=device), use_cache=True, logits_to_keep=1)
        cache = prefix.past_key_values
        cache.batch_repeat_interleave(n)
        mask = torch.cat([torch.ones(n, p, dtype=torch.long, device=device), mask], 1)
        positions = torch.arange(p, p + width, device=device).unsqueeze(0).expand(n, -1)
        out = model(input_ids=ids, attention_mask=mask, position_ids=positions, past_key_values=cache, use_cache=True, logits_to_keep=keep)
    # logits at position t predict token t+1; the first suffix token is prompt text (label -100),
    # so no answer token is predicted from the prefix's last position.
    logits = out.logits[:, :-1].float()
    targets = labels[:, width - keep + 1 :]
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=IGNORE_INDEX)

