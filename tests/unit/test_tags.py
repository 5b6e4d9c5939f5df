"""Tests for deid.tags: length-preserving neutralisation of tag-like input and the tagged answer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deid.spans import Span
from deid.tags import LT_STANDIN, neutralise, render_tagged

Q = "\u2039"  # the stand-in for "<", spelt out here so expectations do not come from the module


def test_when_standin_is_read_then_it_is_the_single_left_angle_quotation_mark() -> None:
    assert LT_STANDIN == Q


NEUTRALISE_CASES = [
    pytest.param("", "", id="empty"),
    pytest.param("no tags here", "no tags here", id="plain"),
    pytest.param("<PERSON>", f"{Q}PERSON>", id="opening_tag"),
    pytest.param("</PERSON>", f"{Q}/PERSON>", id="closing_tag"),
    pytest.param("a <person> b", f"a {Q}person> b", id="lower_case_is_still_tag_like"),
    pytest.param("<br>", f"{Q}br>", id="html_tag"),
    pytest.param("<_x1>", f"{Q}_x1>", id="underscore_and_digit"),
    pytest.param("x<<DATE_TIME>>y", f"x<{Q}DATE_TIME>>y", id="doubled_brackets"),
    pytest.param("BP < 120 and > 80", "BP < 120 and > 80", id="comparison_signs"),
    pytest.param("<3 and <1abc>", "<3 and <1abc>", id="name_starting_with_digit"),
    pytest.param("< PERSON>", "< PERSON>", id="space_after_bracket"),
    pytest.param("<PERSON x>", "<PERSON x>", id="attribute_is_not_a_tag"),
    pytest.param("a\r\n<ID>\r\n", f"a\r\n{Q}ID>\r\n", id="crlf"),
    pytest.param("Zo\u00eb <PERSON>\U0001f600", f"Zo\u00eb {Q}PERSON>\U0001f600", id="unicode"),
    pytest.param("ok<|im_end|>\n<|im_start|>assistant", f"ok{Q}|im_end|>\n{Q}|im_start|>assistant", id="chat_control_tokens"),
    pytest.param("<|endoftext|><|eot_id|>", f"{Q}|endoftext|>{Q}|eot_id|>", id="other_control_tokens"),
    pytest.param("a <| b", f"a {Q}| b", id="bare_bracket_bar"),
]


@pytest.mark.parametrize(("text", "expected"), NEUTRALISE_CASES)
def test_when_input_has_tag_like_strings_then_only_their_bracket_is_replaced(text: str, expected: str) -> None:
    assert neutralise(text) == expected


@given(st.text(alphabet=st.sampled_from("<>/ab_1 \n\u00e9")))
def test_when_any_text_is_neutralised_then_length_and_non_bracket_characters_are_kept(text: str) -> None:
    safe = neutralise(text)
    assert len(safe) == len(text)
    assert all(a == b or (a == "<" and b == Q) for a, b in zip(text, safe))


@given(st.text(alphabet=st.sampled_from("<>/ab_1 \n\u00e9")))
def test_when_text_is_neutralised_then_no_tag_like_string_is_left(text: str) -> None:
    safe = neutralise(text)
    for name in ("a", "b", "_", "ab", "a1", "/a", "/b", "/_"):
        assert f"<{name}>" not in safe


RENDER_CASES = [
    pytest.param("", [], "", id="empty_text"),
    pytest.param("nothing to tag", [], "nothing to tag", id="no_spans"),
    pytest.param(
        "Seen by Ann Lee on 3/4/21.",
        [Span(8, 15, "PERSON"), Span(19, 25, "DATE_TIME")],
        "Seen by <PERSON>Ann Lee</PERSON> on <DATE_TIME>3/4/21</DATE_TIME>.",
        id="two_spans",
    ),
    pytest.param(
        "Seen by Ann Lee on 3/4/21.",
        [Span(19, 25, "DATE_TIME"), Span(8, 15, "PERSON")],
        "Seen by <PERSON>Ann Lee</PERSON> on <DATE_TIME>3/4/21</DATE_TIME>.",
        id="spans_out_of_order",
    ),
    pytest.param("Ann", [Span(0, 3, "PERSON")], "<PERSON>Ann</PERSON>", id="whole_text"),
    pytest.param(
        "AnnLee",
        [Span(0, 3, "PERSON"), Span(3, 6, "PERSON")],
        "<PERSON>Ann</PERSON><PERSON>Lee</PERSON>",
        id="adjacent_spans",
    ),
    pytest.param(
        "Form <PERSON> by Ann",
        [Span(17, 20, "PERSON")],
        f"Form {Q}PERSON> by <PERSON>Ann</PERSON>",
        id="tag_like_input_is_neutralised",
    ),
    pytest.param(
        "Name: Ann\r\nDate: 3/4\r\n",
        [Span(6, 9, "PERSON"), Span(17, 20, "DATE_TIME")],
        "Name: <PERSON>Ann</PERSON>\r\nDate: <DATE_TIME>3/4</DATE_TIME>\r\n",
        id="crlf",
    ),
    pytest.param(
        "\U0001f600 Zo\u00eb \u00dcnal.",
        [Span(2, 10, "PERSON")],
        "\U0001f600 <PERSON>Zo\u00eb \u00dcnal</PERSON>.",
        id="unicode",
    ),
]


@pytest.mark.parametrize(("text", "spans", "expected"), RENDER_CASES)
def test_when_spans_are_rendered_then_the_answer_is_the_tagged_text(text: str, spans: list[Span], expected: str) -> None:
    assert render_tagged(text, spans) == expected


@pytest.mark.parametrize(
    ("text", "spans", "message"),
    [
        pytest.param("Ann Lee", [Span(0, 7, "PERSON"), Span(4, 7, "PERSON")], "overlap", id="overlapping"),
        pytest.param("Ann Lee", [Span(0, 5, "PERSON"), Span(4, 7, "ID")], "overlap", id="crossing_labels"),
        pytest.param("Ann", [Span(0, 4, "PERSON")], "past the end", id="past_the_end"),
    ],
)
def test_when_spans_overlap_or_run_past_the_text_then_error_without_the_text(text: str, spans: list[Span], message: str) -> None:
    with pytest.raises(ValueError, match=message) as err:
        render_tagged(text, spans)
    assert text not in str(err.value)
