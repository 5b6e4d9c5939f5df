"""Tests for deid.train.collate and the loss mask of deid.prompt.tokenize_example with the real tokenizer.

The loss mask: every prompt token is -100; every answer token, the end-of-turn token included, is
trained on. The shared-prefix loss must equal the plain full-sequence masked cross-entropy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from deid.entities import EntitySet, load_entity_set
from deid.prompt import IGNORE_INDEX, TokenizedExample, build_prompt, tokenize_example
from deid.spans import Span
from deid.train.collate import SharedPrefixBatch, batch_loss, collate, common_prefix_length

X = IGNORE_INDEX
Q = "\u2039"

# (text, gold spans, the answer written out by hand)
DOCS = [
    pytest.param(
        "Seen by Ann Lee on 3/4/21.",
        [Span(8, 15, "PERSON"), Span(19, 25, "DATE_TIME")],
        "Seen by <PERSON>Ann Lee</PERSON> on <DATE_TIME>3/4/21</DATE_TIME>.",
        id="two_entities",
    ),
    pytest.param(
        "Call 555-0100 today.",
        [Span(5, 13, "PHONE_NUMBER")],
        "Call <PHONE_NUMBER>555-0100</PHONE_NUMBER> today.",
        id="one_entity",
    ),
    pytest.param("No identifiers here, BP 120/80.", [], "No identifiers here, BP 120/80.", id="phi_free"),
    pytest.param(
        "Form <ID> for Zo\u00eb\r\nMRN 12345",
        [Span(14, 17, "PERSON"), Span(23, 28, "MEDICAL_RECORD_NUMBER")],
        f"Form {Q}ID> for <PERSON>Zo\u00eb</PERSON>\r\nMRN <MEDICAL_RECORD_NUMBER>12345</MEDICAL_RECORD_NUMBER>",
        id="tag_like_crlf_unicode",
    ),
]


def first_answer_index(example: TokenizedExample) -> int:
    return next(i for i, label in enumerate(example.labels) if label != X)


# --- the loss mask, with the real tokenizer -----------------------------------------------------


@pytest.fixture(scope="module")
def hipaa() -> EntitySet:
    return load_entity_set("hipaa")


@pytest.mark.parametrize(("text", "spans", "answer"), DOCS)
def test_when_example_is_tokenized_then_only_the_answer_and_its_turn_end_are_trained_on(
    tokenizer: Any, hipaa: EntitySet, text: str, spans: list[Span], answer: str
) -> None:
    example = tokenize_example(tokenizer, build_prompt(hipaa, text, "inline", spans))
    start = first_answer_index(example)
    assert len(example.labels) == len(example.input_ids)
    assert all(label == X for label in example.labels[:start])
    assert example.labels[start:] == example.input_ids[start:]
    assert tokenizer.decode(example.input_ids[:start]).endswith("<|im_start|>user\n" + text.replace("<ID>", f"{Q}ID>") + "<|im_end|>\n<|im_start|>assistant\n")
    assert tokenizer.decode(example.input_ids[start:]) == answer + "<|im_end|>\n"
    end_of_turn = tokenizer.convert_tokens_to_ids("<|im_end|>")
    assert example.labels[-2] == end_of_turn


def test_when_json_example_is_tokenized_then_the_json_answer_is_trained_on(tokenizer: Any, hipaa: EntitySet) -> None:
    example = tokenize_example(tokenizer, build_prompt(hipaa, "Call 555-0100 today.", "json", [Span(5, 13, "PHONE_NUMBER")]))
    start = first_answer_index(example)
    assert tokenizer.decode(example.labels[start:]) == (
        '[{"entity_type": "PHONE_NUMBER", "entity_value": "555-0100", "start_position": 5, "end_position": 13}]<|im_end|>\n'
    )
    assert all(label == X for label in example.labels[:start])


def test_when_real_examples_are_collated_then_the_prefix_is_shared_and_stops_before_every_answer(tokenizer: Any, hipaa: EntitySet) -> None:
    examples = [tokenize_example(tokenizer, build_prompt(hipaa, p.values[0], "inline", p.values[1])) for p in DOCS]
    n = common_prefix_length(examples)
    assert 0 < n < min(first_answer_index(e) for e in examples)
    # The fixed conversation runs up to the real input, so the shared prefix decodes to the whole
    # conversation up to the last user turn.
    assert tokenizer.decode(examples[0].input_ids[:n]).endswith("Sure! Please give me the user utterance.<|im_end|>\n<|im_start|>user\n")
    batch = collate(examples, tokenizer.pad_token_id, n)
    width = max(len(e.input_ids) for e in examples) - n
    assert all(len(row) == width for row in batch.input_ids + batch.labels + batch.attention_mask)
    for ex, ids, mask, labels in zip(examples, batch.input_ids, batch.attention_mask, batch.labels):
        real = len(ex.input_ids) - n
        assert ids[:real] == ex.input_ids[n:] and set(ids[real:]) <= {tokenizer.pad_token_id}
        assert mask == [1] * real + [0] * (width - real)
        assert labels == ex.labels[n:] + [X] * (width - real)


# --- collate on hand-made examples ----------------------------------------------------------------


def ex(ids: list[int], labels: list[int]) -> TokenizedExample:
    return TokenizedExample(input_ids=ids, labels=labels)


PREFIX_CASES = [
    pytest.param([ex([1, 2, 3, 4, 5], [X, X, X, 4, 5])], 2, id="single_stops_one_before_answer"),
    pytest.param([ex([1, 2, 3, 4, 5], [X, X, X, 4, 5]), ex([1, 2, 3, 9], [X, X, X, 9])], 2, id="answer_limits"),
    pytest.param([ex([1, 2, 3, 4, 5, 6], [X, X, X, X, X, 6]), ex([1, 2, 7, 4, 5, 6], [X, X, X, X, X, 6])], 2, id="divergence_limits"),
    pytest.param([ex([1, 2, 3], [X, X, 3]), ex([5, 2, 3], [X, X, 3])], 0, id="differ_at_first_token"),
    pytest.param([ex([1, 2], [1, 2])], 0, id="answer_at_first_token"),
]


@pytest.mark.parametrize(("examples", "expected"), PREFIX_CASES)
def test_when_examples_share_a_prompt_then_prefix_length_stops_before_the_answer(examples: list[TokenizedExample], expected: int) -> None:
    assert common_prefix_length(examples) == expected


def test_when_an_example_has_no_answer_tokens_then_prefix_length_is_an_error() -> None:
    with pytest.raises(ValueError, match="no answer tokens"):
        common_prefix_length([ex([1, 2], [X, X])])


def test_when_examples_of_different_lengths_are_collated_then_suffixes_are_right_padded() -> None:
    batch = collate([ex([1, 2, 3, 4, 5], [X, X, X, 4, 5]), ex([1, 2, 3, 9], [X, X, X, 9])], pad_id=0, prefix_len=2)
    assert batch == SharedPrefixBatch(
        prefix_ids=[1, 2],
        input_ids=[[3, 4, 5], [3, 9, 0]],
        attention_mask=[[1, 1, 1], [1, 1, 0]],
        labels=[[X, 4, 5], [X, 9, X]],
    )


def test_when_prefix_is_zero_then_whole_sequences_are_padded() -> None:
    batch = collate([ex([1, 2], [X, 2]), ex([3], [3])], pad_id=7, prefix_len=0)
    assert batch == SharedPrefixBatch(prefix_ids=[], input_ids=[[1, 2], [3, 7]], attention_mask=[[1, 1], [1, 0]], labels=[[X, 2], [3, X]])


def test_when_examples_do_not_share_the_prefix_then_collate_is_an_error() -> None:
    with pytest.raises(ValueError, match="do not share the prompt prefix"):
        collate([ex([1, 2, 3], [X, X, 3]), ex([1, 5, 3], [X, X, 3])], pad_id=0, prefix_len=2)


# --- batch_loss against the plain masked cross-entropy, with the real model -------------------------


@pytest.fixture(scope="module")
def model(base_model_dir: Path) -> Any:
    torch = pytest.importorskip("torch")
    from transformers import AutoModelForCausalLM

    m = AutoModelForCausalLM.from_pretrained(str(base_model_dir), dtype=torch.float32)
    m.eval()
    return m


@pytest.fixture(scope="module")
def short_examples(tokenizer: Any, tiny_entities_path: Path) -> list[TokenizedExample]:
    """Three documents of different lengths under a short prompt, so the model runs in seconds."""
    entities = load_entity_set(tiny_entities_path)
    docs = [
        ("Seen by Ann Lee on 3/4/21.", [Span(8, 15, "PERSON"), Span(19, 25, "DATE_TIME")]),
        ("Ok.", []),
        ("Bo called twice about the results and asked for a call back tomorrow.", [Span(0, 2, "PERSON")]),
    ]
    examples = [tokenize_example(tokenizer, build_prompt(entities, text, "inline", spans)) for text, spans in docs]
    assert len({len(e.input_ids) for e in examples}) == 3
    return examples


def reference_loss(model: Any, examples: list[TokenizedExample]) -> Any:
    """Mean next-token cross-entropy over every labelled token, each sequence run whole and unpadded."""
    import torch

    total = torch.zeros((), dtype=torch.float64)
    count = 0
    for example in examples:
        logits = model(input_ids=torch.tensor([example.input_ids])).logits[0].float()
        log_probs = torch.log_softmax(logits[:-1], dim=-1)  # position t predicts token t + 1
        targets = torch.tensor(example.labels[1:])
        kept = targets != X
        total = total - log_probs[kept].gather(1, targets[kept].unsqueeze(1)).double().sum()
        count += int(kept.sum())
    return total / count


@pytest.mark.slow
@pytest.mark.parametrize("shared_prefix", [True, False], ids=["shared_prefix", "no_prefix"])
def test_when_batch_loss_is_computed_then_it_equals_the_plain_masked_cross_entropy(
    model: Any, tokenizer: Any, short_examples: list[TokenizedExample], shared_prefix: bool
) -> None:
    import torch

    prefix_len = common_prefix_length(short_examples) if shared_prefix else 0
    batch = collate(short_examples, tokenizer.pad_token_id, prefix_len)
    with torch.no_grad():
        loss = batch_loss(model, batch)
        expected = reference_loss(model, short_examples)
    assert loss.dtype == torch.float32
    assert float(loss) == pytest.approx(float(expected), abs=1e-4)


@pytest.mark.slow
def test_when_prefix_is_shared_then_gradients_flow_through_it_as_in_whole_sequences(
    model: Any, tokenizer: Any, short_examples: list[TokenizedExample]
) -> None:
    import torch

    # Layer 0 keys reach the loss through the cached prefix as well as the suffix: a detached cache
    # would drop the first part of the gradient.
    weight = model.model.layers[0].self_attn.k_proj.weight
    batch = collate(short_examples, tokenizer.pad_token_id, common_prefix_length(short_examples))
    model.zero_grad(set_to_none=True)
    batch_loss(model, batch, prefix_grad=True).backward()
    shared = weight.grad.clone()
    model.zero_grad(set_to_none=True)
    reference_loss(model, short_examples).backward()
    whole = weight.grad.clone()
    model.zero_grad(set_to_none=True)
    scale = float(whole.abs().max())
    assert scale > 0
    assert torch.allclose(shared, whole, rtol=1e-3, atol=1e-4 * scale)


@pytest.mark.slow
def test_when_prefix_grad_is_off_then_the_loss_is_unchanged_and_only_the_prefix_path_is_dropped(
    model: Any, tokenizer: Any, short_examples: list[TokenizedExample]
) -> None:
    import torch

    batch = collate(short_examples, tokenizer.pad_token_id, common_prefix_length(short_examples))
    weight = model.model.layers[0].self_attn.k_proj.weight
    grads = []
    for prefix_grad in (True, False):
        model.zero_grad(set_to_none=True)
        loss = batch_loss(model, batch, prefix_grad=prefix_grad)
        loss.backward()
        grads.append((float(loss), weight.grad.clone()))
    model.zero_grad(set_to_none=True)
    (with_loss, with_grad), (without_loss, without_grad) = grads
    assert without_loss == pytest.approx(with_loss, abs=1e-6)  # same forward: the prefix runs with the same weights
    assert float(without_grad.abs().max()) > 0  # the suffix still trains the layer
    assert not torch.allclose(without_grad, with_grad, rtol=1e-3, atol=1e-6)  # the prefix's share is gone
