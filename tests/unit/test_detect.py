"""Tests for deid.detect: the fail-closed ModelDetector over a scripted engine, and PatternDetector."""

from __future__ import annotations

import re
from typing import Any, Callable, Sequence

import pytest

from deid.base_model import DEFAULT_BASE_DIR, is_complete
from deid.detect import DetectConfig, Detection, EngineUnavailable, ModelDetector, PatternDetector
from deid.entities import EntitySet, load_entity_set
from deid.inference.base import Generation
from deid.prompt import build_prompt, render_prompt
from deid.spans import Span

P, D, SSN, PHONE, EMAIL, MRN = "PERSON", "DATE_TIME", "US_SSN", "PHONE_NUMBER", "EMAIL_ADDRESS", "MEDICAL_RECORD_NUMBER"

# Offsets counted by hand.
VISIT = "Patient John Doe was seen on 3/4/21 in clinic. SSN 123-45-6789."  # name 8..16, date 29..35, SSN 51..62
VISIT_TAGGED = "Patient <PERSON>John Doe</PERSON> was seen on <DATE_TIME>3/4/21</DATE_TIME> in clinic. SSN <US_SSN>123-45-6789</US_SSN>."
VISIT_NO_SSN_TAG = "Patient <PERSON>John Doe</PERSON> was seen on <DATE_TIME>3/4/21</DATE_TIME> in clinic. SSN 123-45-6789."
VISIT_REPHRASED = "The patient <PERSON>John Doe</PERSON> came to the clinic on <DATE_TIME>3/4/21</DATE_TIME> for a check."
PLAIN = "Rested well overnight, no complaints."


class CharTokenizer:
    """Used where the base model is not prepared: a ChatML-like template, one token per character."""

    pad_token_id = 0
    eos_token_id = 0

    def apply_chat_template(self, messages: list[dict[str, str]], tokenize: bool = True, add_generation_prompt: bool = False) -> str:
        text = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
        return text + ("<|im_start|>assistant\n" if add_generation_prompt else "")

    def __call__(self, text: str, add_special_tokens: bool = True) -> dict[str, list[int]]:
        return {"input_ids": [ord(c) for c in text]}


@pytest.fixture(scope="module")
def engine_tokenizer() -> Any:
    """The real tokenizer when the base model is prepared, else the character tokenizer."""
    if is_complete(DEFAULT_BASE_DIR):
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(str(DEFAULT_BASE_DIR))
    return CharTokenizer()


_INPUT_TURN = re.compile(r".*<\|im_start\|>user\n(.*?)<\|im_end\|>\n<\|im_start\|>assistant\n\Z", re.DOTALL)


class ScriptedEngine:
    """An engine whose answer for each window is given by ``respond(window text)``."""

    name = "scripted"

    def __init__(
        self,
        tokenizer: Any,
        respond: Callable[[str], Generation] | None = None,
        fail: Exception | None = None,
        keep: int | None = None,
        poison: str | None = None,
        max_model_len: int = 2048,
    ) -> None:
        self.tokenizer = tokenizer
        self.max_model_len = max_model_len
        self.respond = respond or echo()
        self.fail = fail  # raised on every call, health probes included: a dead engine
        self.keep = keep
        self.poison = poison  # a batch with a prompt holding this fails, the engine stays alive
        self.windows: list[str] = []
        self.caps: list[int] = []
        self.calls = 0

    def generate(self, prompts: Sequence[str], max_new_tokens: Sequence[int]) -> list[Generation]:
        assert len(prompts) == len(max_new_tokens)
        self.calls += 1
        if self.fail is not None:
            raise self.fail
        if self.poison is not None and any(self.poison in p for p in prompts):
            raise RuntimeError("the engine rejects this batch")
        for prompt, cap in zip(prompts, max_new_tokens):
            if len(self.tokenizer(prompt, add_special_tokens=False)["input_ids"]) + cap > self.max_model_len:
                raise ValueError("prompt + answer longer than max_model_len")  # as vLLM rejects it
        for prompt in prompts:
            match = _INPUT_TURN.match(prompt)
            assert match, "the prompt must end with the input turn and the generation prompt"
            self.windows.append(match.group(1))
        self.caps.extend(max_new_tokens)
        out = [self.respond(w) for w in self.windows[-len(prompts) :]]
        return out if self.keep is None else out[: self.keep]


def echo(values: dict[str, str] | None = None, finished: bool = True) -> Callable[[str], Generation]:
    """A faithful tagged echo: the window text with each given value wrapped in its label's tags."""

    def respond(window: str) -> Generation:
        out = window
        for value, label in (values or {}).items():
            out = out.replace(value, f"<{label}>{value}</{label}>")
        return Generation(text=out, tokens=len(out.split()), finished=finished)

    return respond


def _rendered(tokenizer: Any, entities: EntitySet, text: str) -> str:
    return render_prompt(tokenizer, build_prompt(entities, text))


def fixed(text: str, finished: bool = True) -> Callable[[str], Generation]:
    return lambda window: Generation(text=text, tokens=len(text.split()), finished=finished)


@pytest.fixture(scope="module")
def hipaa() -> EntitySet:
    return load_entity_set("hipaa")


def detector(engine: ScriptedEngine, entities: EntitySet, **config: Any) -> ModelDetector:
    return ModelDetector(engine, entities, "inline", DetectConfig(**config))


def test_when_output_is_a_faithful_tagged_echo_then_status_is_ok_with_the_tagged_spans(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    engine = ScriptedEngine(engine_tokenizer, fixed(VISIT_TAGGED))
    [found] = detector(engine, hipaa, union_patterns=False).detect([VISIT])
    assert found.status == "ok"
    assert found.fidelity == 1.0
    assert found.spans == (Span(8, 16, P), Span(29, 35, D), Span(51, 62, SSN))
    assert found.generated_tokens == len(VISIT_TAGGED.split())
    assert engine.windows == [VISIT]


def test_when_output_rephrases_the_input_then_fallback_keeps_aligned_and_pattern_spans(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    engine = ScriptedEngine(engine_tokenizer, fixed(VISIT_REPHRASED))
    [found] = detector(engine, hipaa, union_patterns=False).detect([VISIT])
    assert found.status == "fallback"
    assert found.fidelity < 0.95
    assert found.spans == (Span(8, 16, P), Span(29, 35, D), Span(51, 62, SSN))


def test_when_output_is_untrusted_and_suppression_is_configured_then_status_is_suppressed(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    engine = ScriptedEngine(engine_tokenizer, fixed(VISIT_REPHRASED))
    [found] = detector(engine, hipaa, on_untrusted="suppressed").detect([VISIT])
    assert found.status == "suppressed"
    assert Span(51, 62, SSN) in found.spans


@pytest.mark.parametrize("error", [RuntimeError("engine died"), MemoryError(), ValueError("bad state")], ids=lambda e: type(e).__name__)
def test_when_engine_is_dead_and_cannot_be_rebuilt_then_detection_raises_engine_unavailable(
    engine_tokenizer: Any, hipaa: EntitySet, error: Exception
) -> None:
    engine = ScriptedEngine(engine_tokenizer, fail=error)
    with pytest.raises(EngineUnavailable, match="health probe"):
        detector(engine, hipaa).detect([VISIT, PLAIN, "", VISIT])


def test_when_engine_dies_then_it_is_rebuilt_and_every_document_gets_model_output(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    fresh = ScriptedEngine(engine_tokenizer, fixed(VISIT_TAGGED))
    builds: list[ScriptedEngine] = []

    def rebuild() -> ScriptedEngine:
        builds.append(fresh)
        return fresh

    det = ModelDetector(ScriptedEngine(engine_tokenizer, fail=RuntimeError("engine died")), hipaa, "inline", DetectConfig(), rebuild)
    found = det.detect([VISIT, VISIT])
    assert [d.status for d in found] == ["ok", "ok"]
    assert len(builds) == 1
    assert det.engine is fresh
    assert det.events["engine_rebuilds"] == 1


def test_when_rebuilt_engines_keep_failing_then_rebuilds_are_bounded(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    builds: list[int] = []

    def rebuild() -> ScriptedEngine:
        builds.append(1)
        return ScriptedEngine(engine_tokenizer, fail=RuntimeError("still dead"))

    det = ModelDetector(ScriptedEngine(engine_tokenizer, fail=RuntimeError("dead")), hipaa, "inline", DetectConfig(engine_rebuilds=3), rebuild)
    with pytest.raises(EngineUnavailable, match="3 rebuilds"):
        det.detect([VISIT])
    assert len(builds) == 3


def test_when_one_window_makes_the_engine_fail_then_only_its_document_is_error(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    poison = "Poison pill note."
    engine = ScriptedEngine(engine_tokenizer, fixed(VISIT_TAGGED), poison=poison)
    det = detector(engine, hipaa)
    found = det.detect([VISIT, VISIT, poison, VISIT, VISIT, VISIT])
    assert [d.status for d in found] == ["ok", "ok", "error", "ok", "ok", "ok"]
    assert det.events["windows_without_output"] == 1 and det.events["batches_retried"] >= 2
    assert det.events["engine_rebuilds"] == 0  # the engine answered its probe: the input was at fault
    assert engine.calls < 20  # halving: a handful of retries and probes, not one call per window


def test_when_a_window_is_too_long_for_the_model_then_it_is_cut_until_it_fits(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    overhead = len(engine_tokenizer(_rendered(engine_tokenizer, hipaa, ""), add_special_tokens=False)["input_ids"])
    n = len(engine_tokenizer(LONG, add_special_tokens=False)["input_ids"])
    # Room for the prompt and about 1.5 n tokens: the whole text (n + a 2n + 64 cap) cannot fit, a quarter can.
    engine = ScriptedEngine(engine_tokenizer, echo({"Ann Lee": P}), max_model_len=overhead + (3 * n + 72) // 2)
    det = detector(engine, hipaa, union_patterns=False)
    [found] = det.detect([LONG])
    assert found.status == "ok"
    assert found.spans == (Span(132, 139, P),)
    assert len(engine.windows) > 1
    assert det.events["windows_cut"] >= 1 and det.events["windows_without_output"] == 0
    assert all(w in LONG for w in engine.windows)


def test_when_generation_hits_the_token_cap_then_the_document_is_untrusted(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    engine = ScriptedEngine(engine_tokenizer, fixed(VISIT_TAGGED, finished=False))
    [found] = detector(engine, hipaa).detect([VISIT])
    assert found.status == "fallback"
    assert found.fidelity == 1.0


def test_when_documents_are_batched_then_each_gets_its_own_output_in_order(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    engine = ScriptedEngine(engine_tokenizer, echo({"John Doe": P}))
    found = detector(engine, hipaa, union_patterns=False).detect([PLAIN, VISIT, "Seen."])
    assert engine.windows == [PLAIN, VISIT, "Seen."]
    assert [d.status for d in found] == ["ok", "ok", "ok"]
    assert [d.spans for d in found] == [(), (Span(8, 16, P),), ()]


@pytest.mark.parametrize(
    ("union", "expected"),
    [
        pytest.param(False, (Span(8, 16, P), Span(29, 35, D)), id="model_only"),
        pytest.param(True, (Span(8, 16, P), Span(29, 35, D), Span(51, 62, SSN)), id="union_adds_missed_ssn"),
    ],
)
def test_when_union_patterns_is_set_then_pattern_spans_join_a_trusted_output(
    engine_tokenizer: Any, hipaa: EntitySet, union: bool, expected: tuple[Span, ...]
) -> None:
    engine = ScriptedEngine(engine_tokenizer, fixed(VISIT_NO_SSN_TAG))
    [found] = detector(engine, hipaa, union_patterns=union).detect([VISIT])
    assert found.status == "ok"
    assert found.spans == expected


REPEAT = "Patient John Doe was seen. Doe tolerated the visit."  # name 8..16, surname again 27..30
REPEAT_TAGGED = "Patient <PERSON>John Doe</PERSON> was seen. Doe tolerated the visit."


@pytest.mark.parametrize(
    ("propagate", "expected"),
    [
        pytest.param(False, (Span(8, 16, P),), id="model_only"),
        pytest.param(True, (Span(8, 16, P), Span(27, 30, P)), id="second_mention_covered"),
    ],
)
def test_when_propagate_is_set_then_other_mentions_of_a_tagged_name_are_covered(
    engine_tokenizer: Any, hipaa: EntitySet, propagate: bool, expected: tuple[Span, ...]
) -> None:
    engine = ScriptedEngine(engine_tokenizer, fixed(REPEAT_TAGGED))
    [found] = detector(engine, hipaa, union_patterns=False, propagate=propagate).detect([REPEAT])
    assert found.status == "ok"
    assert found.spans == expected


@pytest.mark.parametrize("texts", [[""], ["", ""], []], ids=["one_empty", "two_empty", "no_documents"])
def test_when_text_is_empty_then_status_is_empty_and_the_engine_is_not_called(engine_tokenizer: Any, hipaa: EntitySet, texts: list[str]) -> None:
    engine = ScriptedEngine(engine_tokenizer, fail=AssertionError("the engine must not be called"))
    found = detector(engine, hipaa).detect(texts)
    assert found == [Detection((), "empty")] * len(texts)


# A long document: 4 sentences of 31 characters, then one with a name, then filler.
FILLER = "The patient rested well today. "
LONG = FILLER * 4 + "Seen by Ann Lee at noon. " + FILLER * 3  # name 132..139; length 242


def test_when_document_is_longer_than_a_window_then_spans_are_offset_into_the_whole_text(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    assert LONG[132:139] == "Ann Lee"
    engine = ScriptedEngine(engine_tokenizer, echo({"Ann Lee": P}))
    [found] = detector(engine, hipaa, window_chars=70, window_overlap=20, union_patterns=False).detect([LONG])
    assert found.status == "ok"
    assert found.fidelity == 1.0
    assert found.spans == (Span(132, 139, P),)
    assert len(engine.windows) >= 4
    assert all(0 < len(w) <= 70 and w in LONG for w in engine.windows)
    assert sum("Ann Lee" in w for w in engine.windows) >= 1


def test_when_one_window_of_a_long_document_is_untrusted_then_the_document_is(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    def respond(window: str) -> Generation:
        if "Ann Lee" in window:
            return Generation("Something else entirely.", 3, True)
        return Generation(window, 5, True)

    engine = ScriptedEngine(engine_tokenizer, respond)
    [found] = detector(engine, hipaa, window_chars=70, window_overlap=20).detect([LONG])
    assert found.status == "fallback"
    assert 0.0 < found.fidelity < 0.95


def test_when_windows_are_generated_then_the_token_cap_grows_with_the_input(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    engine = ScriptedEngine(engine_tokenizer)
    detector(engine, hipaa, answer_token_factor=2.0).detect(["Seen.", LONG])
    short_cap, long_cap = engine.caps
    assert short_cap > 64  # room for the echo plus tags even for a tiny input
    assert long_cap > short_cap


@pytest.mark.parametrize(("fmt", "factor"), [("inline", 2.0), ("json", 5.0)])
def test_when_the_format_is_json_then_its_own_token_cap_factor_applies(engine_tokenizer: Any, hipaa: EntitySet, fmt: str, factor: float) -> None:
    engine = ScriptedEngine(engine_tokenizer)
    ModelDetector(engine, hipaa, fmt, DetectConfig(answer_token_factor=2.0, json_answer_token_factor=5.0)).detect([LONG])  # type: ignore[arg-type]
    [cap] = engine.caps
    assert cap == int(factor * len(engine_tokenizer(LONG, add_special_tokens=False)["input_ids"])) + 64


def test_when_engine_returns_fewer_outputs_than_windows_then_the_windows_are_retried_in_halves(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    engine = ScriptedEngine(engine_tokenizer, echo(), keep=1)
    found = detector(engine, hipaa, window_chars=70, window_overlap=20, union_patterns=False).detect([LONG])
    assert found[0].status == "ok"
    assert engine.calls > 1


@pytest.mark.parametrize(
    ("config", "message"),
    [
        pytest.param({"fidelity_threshold": 1.5}, "fidelity_threshold", id="threshold_above_one"),
        pytest.param({"fidelity_threshold": -0.1}, "fidelity_threshold", id="threshold_negative"),
        pytest.param({"on_untrusted": "ok"}, "on_untrusted", id="untrusted_cannot_be_ok"),
    ],
)
def test_when_detect_config_is_invalid_then_error_names_the_setting(config: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DetectConfig(**config)


# --- PatternDetector ------------------------------------------------------------------------------

IDS = "SSN 123-45-6789, call 617-555-0199, mail a.b@example.org, MRN: 4471983."  # 4..15, 22..34, 41..56, 63..70


def test_when_patterns_detect_then_structured_identifiers_are_found_with_status_ok(hipaa: EntitySet) -> None:
    found = PatternDetector(hipaa).detect([IDS, PLAIN, ""])
    assert found[0] == Detection((Span(4, 15, SSN), Span(22, 34, PHONE), Span(41, 56, EMAIL), Span(63, 70, MRN)), "ok")
    assert found[1] == Detection((), "ok")
    assert found[2] == Detection((), "empty")


def test_when_entity_set_lacks_a_label_then_patterns_do_not_report_it() -> None:
    seed = load_entity_set("seed")  # has US_SSN, PHONE_NUMBER, EMAIL_ADDRESS but no MEDICAL_RECORD_NUMBER
    [found] = PatternDetector(seed).detect([IDS])
    assert {s.label for s in found.spans} == {SSN, PHONE, EMAIL}


# --- trust beyond fidelity ------------------------------------------------------------------------

CONTEXT = "The patient rested well and ate breakfast. " * 6
NAMED_VISIT = CONTEXT + "Seen by John Smith today."


def test_when_the_echo_silently_omits_a_name_then_the_document_is_untrusted(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    engine = ScriptedEngine(engine_tokenizer, fixed(CONTEXT + "Seen by John today."))
    [found] = detector(engine, hipaa).detect([NAMED_VISIT])
    assert found.fidelity >= 0.95
    assert found.status == "fallback"


def test_when_a_json_answer_misses_an_identifier_the_patterns_find_then_the_document_is_untrusted(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    engine = ScriptedEngine(engine_tokenizer, fixed("[]"))
    found = ModelDetector(engine, hipaa, "json").detect([VISIT, PLAIN])
    assert [d.status for d in found] == ["fallback", "ok"]
    assert Span(51, 62, SSN) in found[0].spans


RULES_TEXT = "Dr. saw the 67 y/o man (RN on call); Ann Lee is 93 years old."


def test_when_the_model_tags_text_the_entity_rules_exclude_then_the_detector_drops_it(engine_tokenizer: Any, hipaa: EntitySet) -> None:
    engine = ScriptedEngine(
        engine_tokenizer, echo({"Dr.": "PERSON", "67 y/o": "AGE", "RN": "ACCOUNT_NUMBER", "Ann Lee": "PERSON", "93 years old": "AGE"})
    )
    [found] = detector(engine, hipaa, union_patterns=False, propagate=False).detect([RULES_TEXT])
    assert found.status == "ok"
    assert [(RULES_TEXT[s.start : s.end], s.label) for s in found.spans] == [("Ann Lee", "PERSON"), ("93 years old", "AGE")]
