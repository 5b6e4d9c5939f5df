"""Echo-constrained decoding with the real tokenizer of the prepared base model, on awkward text."""

from __future__ import annotations

import random
from typing import Any

import pytest

from deid.inference.echo import EchoDecoder, TokenIndex, tag_confidences, tagged_ranges
from deid.parse import parse_tagged
from deid.spans import Span
from deid.tags import neutralise, render_tagged

torch = pytest.importorskip("torch")

LABELS = ("PERSON", "PHONE_NUMBER", "DATE_TIME", "LOCATION")

# (name, text, gold spans): the tagged gold answer must be writable token by token.
AWKWARD = [
    ("crlf", "Pt: Ann Lee\r\nDOB 03/04/1950\r\n", [Span(4, 11, "PERSON"), Span(17, 27, "DATE_TIME")]),
    ("emoji", "Call 😀 Ann at 617-555-0199 🙂", [Span(7, 10, "PERSON"), Span(14, 26, "PHONE_NUMBER")]),
    ("chinese", "患者王小明，电话 617-555-0199，北京协和医院。", [Span(2, 5, "PERSON"), Span(9, 21, "PHONE_NUMBER"), Span(22, 28, "LOCATION")]),
    ("arabic", "المريض أحمد علي، هاتف 617-555-0142", [Span(7, 15, "PERSON"), Span(22, 34, "PHONE_NUMBER")]),
    ("lt-gt-amp", "BP <120 & HR >60; Ann <3 Bo & Co", [Span(18, 21, "PERSON")]),
    ("tag-like", "<PERSON>Zeb Quak</PERSON> wrote </DATE_TIME> and <b>", [Span(8, 16, "PERSON")]),
    ("spaces", "  Dr.  Ann   Lee  ", [Span(7, 16, "PERSON")]),
]


@pytest.fixture(scope="module")
def index(tokenizer: Any) -> TokenIndex:
    return TokenIndex(tokenizer)


def _ids(tokenizer: Any, text: str) -> list[int]:
    return tokenizer(text, add_special_tokens=False)["input_ids"]


@pytest.mark.parametrize(("name", "text", "spans"), AWKWARD, ids=[a[0] for a in AWKWARD])
def test_when_the_gold_answer_is_written_token_by_token_then_every_token_is_allowed_and_it_may_end(
    tokenizer: Any, index: TokenIndex, name: str, text: str, spans: list[Span]
) -> None:
    answer = _ids(tokenizer, render_tagged(text, spans))
    decoder = EchoDecoder(index, text, LABELS)
    for k, token in enumerate(answer):
        allowed = decoder.allowed()
        assert token in allowed.opening + allowed.other, f"token {k} of the answer was refused"
        assert index.eos_id not in allowed.other, "the end of turn is allowed before the input is consumed"
        decoder.advance(answer[: k + 1])
    assert decoder.allowed().other == [index.eos_id]
    assert decoder.allowed().opening == []


@pytest.mark.parametrize(("name", "text", "spans"), AWKWARD, ids=[a[0] for a in AWKWARD])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_when_any_allowed_token_is_chosen_then_the_output_is_the_exact_echo(
    tokenizer: Any, index: TokenIndex, name: str, text: str, spans: list[Span], seed: int
) -> None:
    rng = random.Random(seed)
    decoder = EchoDecoder(index, text, LABELS)
    out: list[int] = []
    while True:
        allowed = decoder.allowed()
        pool = allowed.opening if allowed.opening and rng.random() < 0.3 else allowed.other or allowed.opening
        assert pool, "a dead end: no token allowed before the end"
        token = rng.choice(pool)
        if token == index.eos_id:
            break
        out.append(token)
        decoder.advance(out)
        assert len(out) < 10 * len(text.encode("utf-8")) + 50
    output = tokenizer.decode(out)
    result = parse_tagged(text, output, LABELS)
    assert result.fidelity == 1.0
    assert result.checked
    # The echo without its tags is the neutralised input, character for character.
    ranges = tagged_ranges(output)
    assert len(ranges) == output.count("</")
    stripped = output
    for label in LABELS:
        stripped = stripped.replace(f"<{label}>", "").replace(f"</{label}>", "")
    assert stripped == neutralise(text)
    for start, end, _ in ranges:
        value = neutralise(text)[start:end]
        assert value.strip() == value and value


def test_when_the_input_holds_tag_like_strings_then_they_cannot_be_echoed_as_tags(tokenizer: Any, index: TokenIndex) -> None:
    text = "<PERSON>x</PERSON>"
    decoder = EchoDecoder(index, text, LABELS)
    allowed = decoder.allowed()
    # "<" cannot start the text (it was neutralised); it may only open a tag.
    lt = _ids(tokenizer, "<")[0]
    assert lt in allowed.opening and lt not in allowed.other
    standin = _ids(tokenizer, neutralise(text))
    assert standin[0] in allowed.other


@pytest.mark.parametrize(
    ("text", "written", "may_open"),
    [
        ("  Ann", "", False),  # before a space
        ("  Ann", " ", False),
        ("  Ann", "  ", True),
        ("Pasqual", "Pa", False),  # inside a word of a cased script
        ("5551234", "555", False),  # inside a run of digits
        ("65yo", "65", True),  # digits then letters
        ("王小明", "王", True),  # an uncased script writes names without spaces
    ],
)
def test_where_a_tag_may_open(tokenizer: Any, index: TokenIndex, text: str, written: str, may_open: bool) -> None:
    decoder = EchoDecoder(index, text, LABELS)
    ids = _ids(tokenizer, written) if written else []
    decoder.advance(ids)
    lt = _ids(tokenizer, "<")[0]
    assert (lt in decoder.allowed().opening) is may_open


def _logits_favouring(tokenizer: Any, index: TokenIndex, copy: str, open_logit: float) -> Any:
    logits = torch.full((index.vocab_size,), -10.0)
    logits[_ids(tokenizer, copy)[0]] = 0.0
    logits[_ids(tokenizer, "<")[0]] = open_logit
    return logits


@pytest.mark.parametrize(
    ("tau", "open_logit", "opens", "copies"),
    [
        (None, -1.0, True, True),  # greedy: both stay allowed, the model decides
        (0.2, -1.0, True, False),  # P(open) ~0.27 >= 0.2: only opening tokens
        (0.5, -1.0, False, True),  # P(open) < 0.5: only copying tokens
    ],
)
def test_when_tau_is_set_then_a_tag_opens_exactly_when_its_probability_reaches_it(
    tokenizer: Any, index: TokenIndex, tau: float | None, open_logit: float, opens: bool, copies: bool
) -> None:
    decoder = EchoDecoder(index, "Ann came", LABELS, tau=tau)
    logits = _logits_favouring(tokenizer, index, "Ann", open_logit)
    decoder.constrain(logits)
    assert (logits[_ids(tokenizer, "<")[0]] > float("-inf")).item() is opens
    assert (logits[_ids(tokenizer, "Ann")[0]] > float("-inf")).item() is copies
    assert decoder.open_probs[0] == pytest.approx(0.2689, abs=0.01)


def test_when_tags_open_then_each_gets_the_probability_recorded_at_its_step(tokenizer: Any, index: TokenIndex) -> None:
    text = "Ann met Bo"
    answer = _ids(tokenizer, "<PERSON>Ann</PERSON> met <PERSON>Bo</PERSON>")
    probs: list[float | None] = [None] * len(answer)
    second = next(k for k, t in enumerate(answer) if k > 0 and "<" in tokenizer.decode([t]) and "</" not in tokenizer.decode([t]))
    probs[0], probs[second] = 0.9, 0.4
    assert tag_confidences(index, answer, probs) == (0.9, 0.4)


def test_when_tagged_ranges_are_read_then_offsets_are_over_the_untagged_echo() -> None:
    assert tagged_ranges("<PERSON>Ann</PERSON> met <DATE_TIME>May 3</DATE_TIME>.") == [(0, 3, "PERSON"), (8, 13, "DATE_TIME")]


def test_when_tau_is_out_of_range_then_it_is_refused(index: TokenIndex) -> None:
    with pytest.raises(ValueError, match="tau"):
        EchoDecoder(index, "x", LABELS, tau=1.5)


@pytest.mark.parametrize(
    ("text", "copy", "opens"),
    [
        ("Ann came", "Ann", True),  # a capital: P(open) ~0.27 >= tau_capital 0.2
        ("ann came", "ann", False),  # lower case: P(open) < tau 0.5
        ("7 came", "7", True),  # a digit
    ],
)
def test_when_tau_capital_is_set_then_it_is_the_threshold_only_where_a_capital_or_digit_starts(
    tokenizer: Any, index: TokenIndex, text: str, copy: str, opens: bool
) -> None:
    decoder = EchoDecoder(index, text, LABELS, tau=0.5, tau_capital=0.2)
    logits = _logits_favouring(tokenizer, index, copy, -1.0)
    decoder.constrain(logits)
    assert (logits[_ids(tokenizer, "<")[0]] > float("-inf")).item() is opens


def test_when_tau_capital_is_given_without_tau_then_it_is_refused(index: TokenIndex) -> None:
    with pytest.raises(ValueError, match="tau_capital"):
        EchoDecoder(index, "x", LABELS, tau_capital=0.2)
