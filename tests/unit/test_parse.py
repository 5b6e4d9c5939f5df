"""Model output -> spans: hostile tagged and JSON outputs, fidelity, and round-trip properties."""

from __future__ import annotations

import json
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deid.parse import ParseResult, parse_json, parse_tagged
from deid.spans import Span
from deid.tags import render_tagged

LABELS = ("PERSON", "DATE_TIME", "LOCATION")

# Offsets below are counted by hand against these texts.
VISIT = "Patient John Doe was seen on 3/4/21 in clinic."  # name 8..16, date 29..35
SWAPPED = "Seen on 3/4/21. Patient is John Doe."  # date 8..14, name 27..35
MOVED = "Seen 3/4/21 by the nurse; patient John Doe stable."  # date 5..11, name 34..42
CALL = "Call John Doe at 555-0100."  # name 5..13
LINES = "Name: John Doe\nSeen: 3/4/21"  # name 6..14, date 21..27
HOSPITAL = "Admitted to St Mary Hospital today."  # place 12..28, inner name 15..19
CROSSED = "Seen John Doe on 3/4/21."  # name 5..13, "Doe on 3/4/21" 10..23
EMOJI = "\U0001f600 Patient Zo\u00eb \u00dcnal \U0001f600 seen."  # name 10..18
CRLF = "Name: John Doe\r\nDate: 3/4/21\r\n"  # name 6..14, date 22..28
ADDRESS = "Address: 1 Main St\r\nSpringfield\r\n"  # place 9..31
TEMPLATE = "Template <PERSON> filled: John Doe"  # literal tag 9..17, name 26..34
LITERAL = "Use <PERSON>x</PERSON> here."
TWICE = "John Doe called; John Doe left."  # names 0..8 and 17..25
CROSSWISE = "Ann met Bob. Bob met Ann."  # names 0..3, 8..11, 13..16, 21..24

P, D, L = "PERSON", "DATE_TIME", "LOCATION"

TAGGED_CASES = [
    pytest.param(
        VISIT,
        "The patient <PERSON>John Doe</PERSON> was seen on <DATE_TIME>3/4/21</DATE_TIME> at the clinic.",
        [(8, 16, P), (29, 35, D)],
        0,
        id="rephrased_input",
    ),
    pytest.param(
        VISIT,
        "Patint <PERSON>John Doe</PERSON> was sen on <DATE_TIME>3/4/21</DATE_TIME>",
        [(8, 16, P), (29, 35, D)],
        0,
        id="dropped_chars",
    ),
    pytest.param(
        VISIT,
        "Patient Mr. <PERSON>John Doe</PERSON> was seen today on <DATE_TIME>3/4/21</DATE_TIME> in the clinic.",
        [(8, 16, P), (29, 35, D)],
        0,
        id="added_chars",
    ),
    pytest.param(
        VISIT,
        "Patient <PERSON>Jon Doe</PERSON> was seen on <DATE_TIME>3/4/2021</DATE_TIME> in clinic.",
        [(8, 16, P), (29, 35, D)],
        0,
        id="misspelt_values",
    ),
    pytest.param(
        VISIT,
        "Patient <PERSON>Xohn Doe</PERSON> was seen on <DATE_TIME>3/4/21</DATE_TIME> in clinic.",
        [(8, 16, P), (29, 35, D)],
        0,
        id="substituted_first_char",
    ),
    pytest.param(
        SWAPPED,
        "Patient is <PERSON>John Doe</PERSON>. Seen on <DATE_TIME>3/4/21</DATE_TIME>.",
        [(8, 14, D), (27, 35, P)],
        0,
        id="reordered_clauses",
    ),
    pytest.param(
        MOVED,
        "Patient <PERSON>John Doe</PERSON> seen <DATE_TIME>3/4/21</DATE_TIME> by the nurse; stable.",
        [(5, 11, D), (34, 42, P)],
        0,
        id="value_out_of_order",
    ),
    pytest.param(
        VISIT,
        "Patient <PERSON>Jane Roe</PERSON> was seen on <DATE_TIME>3/4/21</DATE_TIME> in clinic.",
        [(29, 35, D)],
        1,
        id="hallucinated_value",
    ),
    pytest.param(
        CALL,
        "Call <PERSON>John Doe</PERSON> at <PHONE>555-0100</PHONE>.",
        [(5, 13, P)],
        1,
        id="unknown_label",
    ),
    pytest.param(
        LINES,
        "Name: <PERSON>John Doe\nSeen: <DATE_TIME>3/4/21</DATE_TIME>",
        [(6, 14, P), (21, 27, D)],
        0,
        id="unclosed_tag",
    ),
    pytest.param(
        VISIT,
        "Patient <PERSON>John Doe was seen on <DATE_TIME>3/4/21</DATE_TIME> in clinic.",
        [(8, 28, P), (29, 35, D)],
        0,
        id="unclosed_tag_ends_at_next_tag",
    ),
    pytest.param(
        VISIT,
        "Patient John Doe</PERSON> was seen on <DATE_TIME>3/4/21</DATE_TIME> in clinic.",
        [(29, 35, D)],
        0,
        id="stray_close",
    ),
    pytest.param(
        HOSPITAL,
        "Admitted to <LOCATION>St <PERSON>Mary</PERSON> Hospital</LOCATION> today.",
        [(12, 28, L)],
        0,
        id="nested_tags",
    ),
    pytest.param(
        VISIT,
        "Patient <PERSON><PERSON>John</PERSON> Doe</PERSON> was seen on 3/4/21 in clinic.",
        [(8, 16, P)],
        0,
        id="nested_same_label",
    ),
    pytest.param(
        CROSSED,
        "Seen <PERSON>John <DATE_TIME>Doe</PERSON> on 3/4/21</DATE_TIME>.",
        [(5, 9, P), (10, 23, D)],  # the shorter crossing span is trimmed, not dropped: "John" stays covered
        0,
        id="crossing_tags_trimmed",
    ),
    pytest.param(
        VISIT,
        "Patient <PERSON>John Doe</PERSON> was seen on <DATE_TIME>3/4",
        [(8, 16, P), (29, 32, D)],
        0,
        id="early_stop",
    ),
    pytest.param(
        VISIT,
        "Patient <PERSON>John Doe</PERSON> was seen on <DATE_TI",
        [(8, 16, P)],
        0,
        id="early_stop_inside_tag",
    ),
    pytest.param(VISIT, "", [], 0, id="empty_output"),
    pytest.param(
        VISIT,
        "Patient <PERSON></PERSON>John Doe was seen on 3/4/21 in clinic.",
        [],
        1,
        id="empty_tag",
    ),
    pytest.param(
        VISIT,
        "Patient <PERSON> John Doe </PERSON>was seen on 3/4/21 in clinic.",
        [(8, 16, P)],
        0,
        id="whitespace_inside_tag",
    ),
    pytest.param(
        EMOJI,
        "Patient <PERSON>Zo\u00eb \u00dcnal</PERSON> \U0001f600 seen.",
        [(10, 18, P)],
        0,
        id="unicode_emoji",
    ),
    pytest.param(
        CRLF,
        "Name: <PERSON>John Doe</PERSON>\nDate: <DATE_TIME>3/4/21</DATE_TIME>\n",
        [(6, 14, P), (22, 28, D)],
        0,
        id="crlf",
    ),
    pytest.param(
        ADDRESS,
        "Address: <LOCATION>1 Main St\nSpringfield</LOCATION>\n",
        [(9, 31, L)],
        0,
        id="crlf_value_over_two_lines",
    ),
    pytest.param(
        TEMPLATE,
        "Template \u2039PERSON> filled: <PERSON>John Doe</PERSON>",
        [(26, 34, P)],
        0,
        id="tag_like_text_in_input",
    ),
    pytest.param(
        LITERAL,
        "Use \u2039PERSON>x\u2039/PERSON> here.",
        [],
        0,
        id="tag_like_text_echoed_untagged",
    ),
    pytest.param(
        VISIT,
        "Patient <person>John Doe</Person> was seen on <Date_Time>3/4/21</DATE_TIME> in clinic.",
        [(8, 16, P), (29, 35, D)],
        0,
        id="case_insensitive_label",
    ),
    pytest.param(
        TWICE,
        "<PERSON>John Doe</PERSON> called; <PERSON>John Doe</PERSON> left.",
        [(0, 8, P), (17, 25, P)],
        0,
        id="repeated_value_twice",
    ),
    pytest.param(
        CROSSWISE,
        "<PERSON>Bob</PERSON> met <PERSON>Ann</PERSON>. <PERSON>Ann</PERSON> met <PERSON>Bob</PERSON>.",
        [(0, 3, P), (8, 11, P), (13, 16, P), (21, 24, P)],
        0,
        id="repeated_values_out_of_order",
    ),
]


@pytest.mark.parametrize(("text", "output", "expected", "dropped"), TAGGED_CASES)
def test_when_tagged_output_is_imperfect_then_spans_come_from_the_input(
    text: str, output: str, expected: list[tuple[int, int, str]], dropped: int
) -> None:
    result = parse_tagged(text, output, LABELS)
    assert result.spans == [Span(s, e, label) for s, e, label in expected]
    assert result.dropped == dropped


def test_when_output_echoes_input_perfectly_then_fidelity_is_one() -> None:
    output = render_tagged(VISIT, [Span(8, 16, P), Span(29, 35, D)])
    assert parse_tagged(VISIT, output, LABELS).fidelity == 1.0


def test_when_half_the_text_is_missing_then_fidelity_is_about_half() -> None:
    text = "The patient was seen in the clinic today. The wound is healing well and the plan is unchanged."
    result = parse_tagged(text, text[: len(text) // 2], LABELS)
    assert result.fidelity == pytest.approx(0.5, abs=0.02)


def test_when_output_is_empty_then_fidelity_is_zero() -> None:
    assert parse_tagged(VISIT, "", LABELS).fidelity == 0.0


def test_when_text_and_output_are_empty_then_fidelity_is_one() -> None:
    assert parse_tagged("", "", LABELS) == ParseResult(spans=[], fidelity=1.0, dropped=0)


def test_when_text_is_empty_then_tagged_values_are_dropped_and_fidelity_is_one() -> None:
    assert parse_tagged("", "<PERSON>someone</PERSON> extra", LABELS) == ParseResult(spans=[], fidelity=1.0, dropped=1, checked=False)


def test_when_labels_are_empty_then_every_tag_is_dropped() -> None:
    result = parse_tagged(VISIT, "Patient <PERSON>John Doe</PERSON> was seen on 3/4/21 in clinic.", [])
    assert (result.spans, result.dropped) == ([], 1)


def test_when_values_are_dropped_then_logs_hold_no_text(caplog: pytest.LogCaptureFixture) -> None:
    output = "Patient <PERSON>Jane Roe</PERSON> <PHONE>555-0100</PHONE> was seen on <DATE_TIME>3/4/21"
    with caplog.at_level(logging.DEBUG, logger="deid.parse"):
        parse_tagged(VISIT, output, LABELS)
        parse_json(VISIT, '[{"entity_type": "PERSON", "entity_value": "Jane Roe"}]', LABELS)
    assert caplog.records
    for fragment in ("Jane", "Roe", "555", "3/4", "Patient", "clinic"):
        assert fragment not in caplog.text


def test_when_fidelity_is_out_of_range_then_result_refuses_it() -> None:
    with pytest.raises(ValueError, match="fidelity"):
        ParseResult(spans=[], fidelity=1.5, dropped=0)


def _item(label: str, value: str, start: int | str, end: int | str) -> dict[str, object]:
    return {"entity_type": label, "entity_value": value, "start_position": start, "end_position": end}


NAME_ITEM = json.dumps(_item(P, "John Doe", 8, 16))
DATE_ITEM = json.dumps(_item(D, "3/4/21", 29, 35))

JSON_CASES = [
    pytest.param(VISIT, f"[{NAME_ITEM}, {DATE_ITEM}]", [(8, 16, P), (29, 35, D)], 0, 1.0, id="well_formed"),
    pytest.param(VISIT, f"[{NAME_ITEM}, {DATE_ITEM},]", [(8, 16, P), (29, 35, D)], 0, 1.0, id="trailing_comma"),
    pytest.param(VISIT, json.dumps([_item(P, "John Doe", 3, 11)]), [(8, 16, P)], 0, 1.0, id="wrong_offsets"),
    pytest.param(VISIT, json.dumps([_item(P, "John Doe", "8", "16")]), [(8, 16, P)], 0, 1.0, id="string_offsets"),
    pytest.param(VISIT, json.dumps([_item(P, "John Doe", None, None)]), [(8, 16, P)], 0, 1.0, id="missing_offsets"),
    pytest.param(TWICE, json.dumps([_item(P, "John Doe", 15, 23)]), [(17, 25, P)], 0, 1.0, id="nearest_occurrence"),
    pytest.param(
        TWICE,
        json.dumps([_item(P, "John Doe", 0, 8), _item(P, "John Doe", 0, 8)]),
        [(0, 8, P)],
        0,
        1.0,
        id="same_item_twice",
    ),
    pytest.param(VISIT, json.dumps([_item(P, "john doe", 8, 16)]), [(8, 16, P)], 0, 1.0, id="value_case_differs"),
    pytest.param(VISIT, json.dumps([_item(P, "Jane Roe", 8, 16)]), [], 1, 1.0, id="hallucinated_value"),
    pytest.param(VISIT, json.dumps([_item("PHONE", "John Doe", 8, 16)]), [], 1, 1.0, id="unknown_label"),
    pytest.param(VISIT, json.dumps([_item("person", "John Doe", 8, 16)]), [(8, 16, P)], 0, 1.0, id="label_case"),
    pytest.param(VISIT, json.dumps([_item(P, "  ", 8, 10), "text", 3]), [], 3, 1.0, id="malformed_items"),
    pytest.param(
        VISIT,
        f"Here are the entities:\n```json\n[\n  {NAME_ITEM}\n]\n```\nDone.",
        [(8, 16, P)],
        0,
        1.0,
        id="fenced_code_block",
    ),
    pytest.param(VISIT, f"[Note] found: [{DATE_ITEM}]", [(29, 35, D)], 0, 1.0, id="bracket_in_prose"),
    pytest.param(VISIT, f'[{NAME_ITEM}, {{"entity_type": "DATE_TI', [(8, 16, P)], 0, 1.0, id="truncated_list"),
    pytest.param(VISIT, '[{"entity_type": "PERS', [], 0, 0.0, id="truncated_first_item"),
    pytest.param(VISIT, "[]", [], 0, 1.0, id="empty_list"),
    pytest.param(VISIT, "No identifiers found.", [], 0, 0.0, id="no_list"),
    pytest.param(VISIT, "", [], 0, 0.0, id="empty_output"),
]


@pytest.mark.parametrize(("text", "output", "expected", "dropped", "fidelity"), JSON_CASES)
def test_when_json_output_is_imperfect_then_spans_come_from_the_input(
    text: str, output: str, expected: list[tuple[int, int, str]], dropped: int, fidelity: float
) -> None:
    result = parse_json(text, output, LABELS)
    assert result.spans == [Span(s, e, label) for s, e, label in expected]
    assert (result.dropped, result.fidelity) == (dropped, fidelity)


# Characters that make tag-like strings, whitespace of every kind, and wide code points.
ALPHABET = st.sampled_from(list("ab PERSON_<>/\n\r\t\u00e9\u2039") + ["\U0001f600"])


@st.composite
def texts_with_spans(draw: st.DrawFn) -> tuple[str, list[Span]]:
    """A text and disjoint labelled spans over it whose first and last characters are not whitespace."""
    text = draw(st.text(alphabet=ALPHABET, max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), unique=True, max_size=10)))
    spans = []
    for start, end in zip(cuts[::2], cuts[1::2]):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append(Span(start, end, draw(st.sampled_from(LABELS))))
    return text, spans


@given(texts_with_spans())
def test_when_output_is_the_rendered_answer_then_spans_round_trip(case: tuple[str, list[Span]]) -> None:
    text, spans = case
    result = parse_tagged(text, render_tagged(text, spans), LABELS)
    assert result == ParseResult(spans=sorted(spans), fidelity=1.0, dropped=0)


TAG_TOKENS = st.sampled_from(["<PERSON>", "</PERSON>", "<date_time>", "</DATE_TIME>", "<LOCATION>", "<OTHER>", "</X>"])


def _assert_valid(result: ParseResult, text: str) -> None:
    assert 0.0 <= result.fidelity <= 1.0
    assert result.dropped >= 0
    assert result.spans == sorted(result.spans)
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.label in LABELS
        assert not text[span.start].isspace() and not text[span.end - 1].isspace()
    for left, right in zip(result.spans, result.spans[1:]):
        assert left.end <= right.start


@given(st.text(alphabet=ALPHABET, max_size=60), st.data())
def test_when_output_is_garbage_then_spans_still_fit_the_text(text: str, data: st.DataObject) -> None:
    pieces = st.one_of(
        TAG_TOKENS,
        st.text(alphabet=ALPHABET, max_size=8),
        st.tuples(st.integers(0, len(text)), st.integers(0, len(text))).map(lambda r: text[min(r) : max(r)]),
    )
    output = "".join(data.draw(st.lists(pieces, max_size=12)))
    _assert_valid(parse_tagged(text, output, LABELS), text)
    _assert_valid(parse_json(text, output, LABELS), text)


JSON_ITEMS = st.tuples(st.sampled_from((*LABELS, "OTHER")), st.text(max_size=6), st.integers(-5, 50), st.integers(-5, 50))


@given(st.text(max_size=40), st.lists(JSON_ITEMS, max_size=5))
def test_when_json_items_are_arbitrary_then_spans_still_fit_the_text(
    text: str, items: list[tuple[str, str, int, int]]
) -> None:
    output = json.dumps([_item(*item) for item in items])
    _assert_valid(parse_json(text, output, LABELS), text)


# --- trust: what ParseResult.checked promises ------------------------------------------------------

FILLER = "The patient rested well and ate breakfast. " * 6  # 258 characters of context
NAMED = FILLER + "Seen by John Smith today."  # name 266..276


@pytest.mark.parametrize(
    ("text", "output", "checked"),
    [
        pytest.param(NAMED, FILLER + "Seen by <PERSON>John Smith</PERSON> today.", True, id="faithful_echo"),
        pytest.param(NAMED, FILLER + "Seen by <PERSON>John Smith</PERSON> today", True, id="one_period_dropped"),
        pytest.param(NAMED, FILLER + "Seen by John today.", False, id="surname_omitted_untagged"),
        pytest.param(NAMED, FILLER + "Seen by <PERSON>J. Smith</PERSON> today.", False, id="tagged_value_altered"),
        pytest.param(NAMED, FILLER + "Seen by <PERSON>Jane Roe</PERSON> today.", False, id="tagged_value_invented"),
        pytest.param("Seen by Li today.", "Seen by today.", False, id="two_letter_name_omitted"),
    ],
)
def test_when_the_echo_omits_or_alters_input_then_the_output_is_not_checked_whatever_its_fidelity(text: str, output: str, checked: bool) -> None:
    result = parse_tagged(text, output, LABELS)
    assert result.checked is checked
    if text is NAMED:
        assert result.fidelity >= 0.95  # the old rule alone would have trusted every one of these


@pytest.mark.parametrize(
    ("output", "checked"),
    [
        pytest.param('[{"entity_type": "PERSON", "entity_value": "John Doe", "start_position": 8, "end_position": 16}]', True, id="closed_all_placed"),
        pytest.param("[]", True, id="closed_empty"),
        pytest.param('[{"entity_type": "PERSON", "entity_value": "John Doe", "start_position": 8, "end_position": 16}, {"entity', False, id="cut_off"),
        pytest.param('[{"entity_type": "PERSON", "entity_value": "Jane Roe"}]', False, id="value_not_in_text"),
        pytest.param("I cannot help with that.", False, id="no_list"),
    ],
)
def test_when_a_json_answer_is_cut_off_or_names_absent_values_then_it_is_not_checked(output: str, checked: bool) -> None:
    assert parse_json(VISIT, output, LABELS).checked is checked
