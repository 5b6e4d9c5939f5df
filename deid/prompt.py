"""The one prompt builder, shared by training and inference so the two cannot drift.

The conversation follows the article this project comes from: the task and the allowed labels,
"Are the instructions clear to you?", an acknowledgement, one worked example with a request to
explain it and the explanation, then the real input. Only the final answer is ever trained on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Literal, Sequence

from deid.entities import EntitySet
from deid.spans import Span
from deid.tags import TAG_LIKE, neutralise, render_tagged

OutputFormat = Literal["inline", "json"]
FORMATS: tuple[OutputFormat, ...] = ("inline", "json")

Message = dict[str, str]

_FORMAT_INSTRUCTIONS: dict[str, str] = {
    "inline": (
        "Repeat the user utterance exactly, character for character, and surround each entity with "
        "XML tags named after its label, for example <PERSON>John Doe</PERSON>. Do not change, add, "
        "drop or reorder anything else, and do not answer or comment on the utterance."
    ),
    "json": (
        "Answer with a JSON list with one object per entity, in order of appearance, each with the keys "
        "entity_type, entity_value, start_position and end_position (character offsets, end exclusive). "
        "Answer [] when there is no entity. Do not answer or comment on the utterance."
    ),
}

ACKNOWLEDGEMENT = (
    "Yes, the instructions are clear. I will find every entity of the allowed labels in the user "
    "utterance and answer in the required format, without answering the utterance itself."
)
EXPLAIN_REQUEST = "Please briefly explain the answer to this example."
NEXT_INPUT = (
    "Great! I am now going to give you another user utterance. Please detect the entities in it "
    "following the instructions and the example."
)
READY = "Sure! Please give me the user utterance."


@dataclass(frozen=True)
class Prompt:
    """A built conversation: the messages up to the model's turn, and the answer when known."""

    messages: tuple[Message, ...]
    answer: str | None = None


def _instructions(entities: EntitySet, fmt: OutputFormat) -> str:
    labels = "\n".join(f"- {label.name}: {label.description}" for label in entities.labels)
    rules = "".join(f"\n- {rule}" for rule in entities.rules)
    return (
        "You are an expert in de-identifying clinical text. Your task is to find the protected health "
        "information (PHI) in a user utterance. The allowed entity labels are:\n"
        f"{labels}\n"
        + (f"Rules:{rules}\n" if rules else "")
        + f"{_FORMAT_INSTRUCTIONS[fmt]}\n"
        "Are the instructions clear to you?"
    )


def format_answer(text: str, spans: Iterable[Span], fmt: OutputFormat) -> str:
    """The answer the model should give for ``text`` with gold ``spans``."""
    spans = sorted(spans)
    if fmt == "inline":
        return render_tagged(text, spans)
    if fmt == "json":
        safe = neutralise(text)
        items = [
            {
                "entity_type": s.label,
                "entity_value": safe[s.start : s.end],
                "start_position": s.start,
                "end_position": s.end,
            }
            for s in spans
        ]
        return json.dumps(items, ensure_ascii=False)
    raise ValueError(f"unknown output format {fmt!r}; expected one of {FORMATS}")


def _example_spans(entities: EntitySet) -> list[Span]:
    """Spans of the worked example, read off its tagged form (offsets are over the untagged text)."""

    spans: list[Span] = []
    plain_pos = 0
    open_at: dict[str, int] = {}
    last = 0
    for m in TAG_LIKE.finditer(entities.example.tagged):
        plain_pos += m.start() - last
        last = m.end()
        name = m.group(1)
        if name.startswith("/"):
            spans.append(Span(open_at.pop(name[1:]), plain_pos, name[1:]))
        else:
            open_at[name] = plain_pos
    return spans


def build_prompt(
    entities: EntitySet, text: str, fmt: OutputFormat = "inline", spans: Sequence[Span] | None = None
) -> Prompt:
    """The article's conversation for ``text``; with gold ``spans`` it also carries the target answer."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; expected one of {FORMATS}")
    example = entities.example
    example_answer = format_answer(example.text, _example_spans(entities), fmt)
    messages: tuple[Message, ...] = (
        {"role": "user", "content": _instructions(entities, fmt)},
        {"role": "assistant", "content": ACKNOWLEDGEMENT},
        {
            "role": "user",
            "content": f"Here is an example.\nUser utterance: {example.text}\nAnswer: {example_answer}\n{EXPLAIN_REQUEST}",
        },
        {"role": "assistant", "content": example.explanation},
        {"role": "user", "content": NEXT_INPUT},
        {"role": "assistant", "content": READY},
        {"role": "user", "content": neutralise(text)},
    )
    answer = format_answer(text, spans, fmt) if spans is not None else None
    return Prompt(messages=messages, answer=answer)


def _added_token_strings(tokenizer: Any) -> list[str]:
    """The strings the tokenizer reads as one added (mostly special) token wherever they occur."""
    decoder = getattr(tokenizer, "added_tokens_decoder", None) or {}
    return sorted({str(getattr(t, "content", t)) for t in decoder.values()} - {""}, key=len, reverse=True)


def _plain(tokenizer: Any, content: str) -> str:
    """``content`` with any added-token string that ``neutralise`` left intact broken by a zero-width space,
    so the tokenizer reads it as plain text (``neutralise`` already covers ``<...>`` and ``<|...|>`` forms)."""
    for token in _added_token_strings(tokenizer):
        if len(token) > 1 and token in content:
            content = content.replace(token, token[0] + "\u200b" + token[1:])
    return content


def chat_messages(tokenizer: Any, prompt: Prompt, with_answer: bool = False) -> list[Message]:
    """The messages handed to the chat template: no message text can be read as a special token."""
    messages = [*prompt.messages, *([{"role": "assistant", "content": prompt.answer or ""}] if with_answer else [])]
    return [{**m, "content": _plain(tokenizer, m["content"])} for m in messages]


def render_prompt(tokenizer: Any, prompt: Prompt) -> str:
    """The prompt as text through the tokenizer's chat template, ending where the model starts to answer."""
    return tokenizer.apply_chat_template(chat_messages(tokenizer, prompt), tokenize=False, add_generation_prompt=True)


@dataclass(frozen=True)
class TokenizedExample:
    input_ids: list[int]
    labels: list[int]  # -100 on every prompt token; the answer tokens, end-of-turn included, are kept


IGNORE_INDEX = -100


def tokenize_example(tokenizer: Any, prompt: Prompt) -> TokenizedExample:
    """Token ids of prompt + answer with the loss masked to the answer (the article's custom loss)."""
    if prompt.answer is None:
        raise ValueError("a training example needs gold spans: build_prompt(..., spans=...)")
    prompt_text = render_prompt(tokenizer, prompt)
    full_text = tokenizer.apply_chat_template(chat_messages(tokenizer, prompt, with_answer=True), tokenize=False)
    if not full_text.startswith(prompt_text):
        raise ValueError(
            "the chat template does not render the prompt as a prefix of prompt + answer, so the answer "
            "cannot be located for the loss mask; use a tokenizer whose template appends the assistant turn"
        )
    prompt_ids = tokenizer(prompt_text, add_special_tokens=False)["input_ids"]
    answer_ids = tokenizer(full_text[len(prompt_text) :], add_special_tokens=False)["input_ids"]
    return TokenizedExample(
        input_ids=list(prompt_ids) + list(answer_ids),
        labels=[IGNORE_INDEX] * len(prompt_ids) + list(answer_ids),
    )
