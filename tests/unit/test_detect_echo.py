"""The detector with echo decoding: what it asks of the engine, and span confidences in its output."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import pytest

from deid.detect import DetectConfig, ModelDetector, ModelFactory
from deid.entities import load_entity_set
from deid.inference.base import Echo, Generation

HIPAA = load_entity_set("hipaa")
TEXT = "Seen by Ann Lee on 3/4/21."  # name 8..15, date 19..25
ECHO = "Seen by <PERSON>Ann Lee</PERSON> on <DATE_TIME>3/4/21</DATE_TIME>."


class Tokenizer:
    pad_token_id = 0
    eos_token_id = 0

    def apply_chat_template(self, messages: list[dict[str, str]], tokenize: bool = False, add_generation_prompt: bool = False) -> str:
        return "".join(m["content"] for m in messages)

    def __call__(self, text: str, add_special_tokens: bool = True) -> dict[str, list[int]]:
        return {"input_ids": [ord(c) for c in text]}


@dataclass
class EchoingEngine:
    """Answers every window with ``ECHO`` and the given tag confidences; records what it was asked."""

    confidences: tuple[float, ...]
    name: str = "echoing"
    tokenizer: Any = field(default_factory=Tokenizer)
    max_model_len: int = 100_000
    asked: list[Sequence[Echo] | None] = field(default_factory=list)

    def generate(self, prompts: Sequence[str], max_new_tokens: Sequence[int], echo: Sequence[Echo] | None = None) -> list[Generation]:
        self.asked.append(echo)
        return [Generation(ECHO, 20, True, self.confidences) for _ in prompts]


def detector(engine: EchoingEngine, **config: Any) -> ModelDetector:
    return ModelDetector(engine, HIPAA, "inline", DetectConfig(union_patterns=False, propagate=False, **config))


def test_when_decoding_is_echo_then_each_window_is_sent_with_its_text_labels_and_tau() -> None:
    engine = EchoingEngine((0.9, 0.6))
    detector(engine, decoding="echo", tau=0.3).detect([TEXT])
    assert engine.asked == [[Echo(TEXT, HIPAA.names, 0.3)]]


def test_when_tau_capital_is_configured_then_each_window_carries_it() -> None:
    engine = EchoingEngine((0.9, 0.6))
    detector(engine, decoding="echo", tau=0.3, tau_capital=0.15).detect([TEXT])
    assert engine.asked == [[Echo(TEXT, HIPAA.names, 0.3, 0.15)]]


def test_when_decoding_is_free_then_no_echo_constraint_is_sent() -> None:
    engine = EchoingEngine(())
    detector(engine).detect([TEXT])
    assert engine.asked == [None]


def test_when_the_engine_reports_tag_confidences_then_each_span_carries_its_own() -> None:
    [found] = detector(EchoingEngine((0.9, 0.6)), decoding="echo").detect([TEXT])
    assert found.status == "ok"
    assert [(s.start, s.end, s.label, s.confidence) for s in found.spans] == [(8, 15, "PERSON", 0.9), (19, 25, "DATE_TIME", 0.6)]
    assert found.spans[0].to_dict() == {"label": "PERSON", "start": 8, "end": 15, "confidence": 0.9}


def test_when_a_pattern_span_is_added_then_it_has_no_confidence() -> None:
    engine = EchoingEngine((0.9, 0.6))
    text = TEXT + " SSN 123-45-6789"
    [found] = ModelDetector(engine, HIPAA, "inline", DetectConfig(propagate=False, decoding="echo")).detect([text])
    ssn = [s for s in found.spans if s.label == "US_SSN"]
    assert len(ssn) == 1 and ssn[0].confidence is None


@pytest.mark.parametrize(("engine", "decoding", "fmt", "echo"), [("vllm", "echo", "inline", True), ("vllm", "echo", "json", False), ("vllm", "free", "inline", False)])
def test_when_the_factory_builds_a_vllm_engine_then_echo_follows_the_decoding_mode(engine: str, decoding: str, fmt: str, echo: bool) -> None:
    factory = ModelFactory(engine, "unused", HIPAA, fmt, (("max_num_seqs", 4),), DetectConfig(decoding=decoding))  # type: ignore[arg-type]
    assert factory.engine_kwargs() == {"max_num_seqs": 4, "echo": echo}


@pytest.mark.parametrize("bad", [{"decoding": "beam"}, {"tau": -0.1}, {"tau": 1.5}, {"tau_capital": 0.2}, {"tau": 0.3, "tau_capital": 2.0}])
def test_when_decoding_settings_are_invalid_then_the_config_refuses_them(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        DetectConfig(**bad)
