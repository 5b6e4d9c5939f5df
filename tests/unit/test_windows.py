"""Tests for deid.windows: windows that cover the text on sentence boundaries, and the span union."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deid.spans import Span, unite_overlapping
from deid.windows import Window, split_windows

SENTENCE = "The patient rested well today. "  # 31 characters


def pieces(text: str, windows: list[Window]) -> list[str]:
    return [text[w.start : w.end] for w in windows]


@pytest.mark.parametrize(
    ("text", "max_chars"),
    [pytest.param("", 10, id="empty"), pytest.param("short", 10, id="shorter"), pytest.param("x" * 10, 10, id="exactly_max")],
)
def test_when_text_fits_then_one_window_covers_it(text: str, max_chars: int) -> None:
    assert split_windows(text, max_chars, 3) == [Window(0, len(text))]


def test_when_text_is_long_then_windows_end_on_sentence_boundaries() -> None:
    text = "One two three. Four five six. Seven eight nine."  # sentences start at 0, 15, 30; length 47
    windows = split_windows(text, 32, 5)
    # the second window reaches back at most 5 characters, to the start of the word "six."
    assert windows == [Window(0, 30), Window(25, 47)]
    assert pieces(text, windows) == ["One two three. Four five six. ", "six. Seven eight nine."]


def test_when_lines_are_short_then_windows_cut_after_newlines_and_colons() -> None:
    text = "Name: A\nDOB: 1/2/33\nMRN: 12345\nSeen."  # lines start at 0, 8, 20, 31; after colons 6, 13, 25
    windows = split_windows(text, 22, 4)
    # no sentence or word start lies within 4 characters before offset 20, and 20 is itself a line
    # start, so the second window does not reach back into the middle of "1/2/33"
    assert windows == [Window(0, 20), Window(20, 36)]
    assert pieces(text, windows) == ["Name: A\nDOB: 1/2/33\n", "MRN: 12345\nSeen."]


def test_when_a_sentence_is_longer_than_the_window_then_it_is_cut_after_a_space() -> None:
    text = "alpha beta gamma delta epsilon"  # words start at 0, 6, 11, 17, 23
    windows = split_windows(text, 12, 4)
    assert windows[0] == Window(0, 11)
    assert pieces(text, windows)[0] == "alpha beta "
    assert all(text[w.end - 1] == " " for w in windows[:-1])


def test_when_text_has_no_spaces_then_windows_are_cut_at_max_chars() -> None:
    text = "x" * 25
    windows = split_windows(text, 10, 3)
    assert all(w.end - w.start <= 10 for w in windows)
    assert windows[0] == Window(0, 10)
    assert windows[-1].end == 25


def test_when_text_has_no_spaces_then_consecutive_windows_still_overlap() -> None:
    windows = split_windows("x" * 25, 10, 3)
    assert all(nxt.start < prev.end for prev, nxt in zip(windows, windows[1:]))


def test_when_windows_are_split_then_no_window_lies_inside_the_previous_one() -> None:
    windows = split_windows(SENTENCE * 5, 60, 10)
    assert all(nxt.end > prev.end for prev, nxt in zip(windows, windows[1:]))


@pytest.mark.parametrize(
    ("max_chars", "overlap"),
    [pytest.param(0, 0, id="zero_max"), pytest.param(10, 10, id="overlap_equals_max"), pytest.param(10, -1, id="negative_overlap")],
)
def test_when_limits_are_invalid_then_error(max_chars: int, overlap: int) -> None:
    with pytest.raises(ValueError, match="max_chars"):
        split_windows("some text", max_chars, overlap)


WINDOW_TEXTS = st.text(alphabet=st.sampled_from("ab .\n\u00e9"), max_size=400)


@settings(max_examples=200, deadline=None)
@given(text=WINDOW_TEXTS, max_chars=st.integers(1, 80), overlap_share=st.floats(0, 0.9))
def test_when_any_text_is_split_then_windows_cover_it_in_order_within_max_chars(text: str, max_chars: int, overlap_share: float) -> None:
    overlap = min(int(max_chars * overlap_share), max_chars - 1)
    windows = split_windows(text, max_chars, overlap)
    assert windows[0].start == 0
    assert windows[-1].end == len(text)
    if text:
        assert all(0 < w.end - w.start <= max_chars for w in windows)
    assert all(prev.start < nxt.start <= prev.end for prev, nxt in zip(windows, windows[1:]))


@settings(max_examples=100, deadline=None)
@given(n=st.integers(2, 12), max_chars=st.integers(40, 120))
def test_when_sentences_fit_then_consecutive_windows_overlap(n: int, max_chars: int) -> None:
    text = "Ann saw Bob today. " * n
    windows = split_windows(text, max_chars, 15)
    assert all(nxt.start < prev.end for prev, nxt in zip(windows, windows[1:]))


P, D, L = "PERSON", "DATE_TIME", "LOCATION"

MERGE_CASES = [
    pytest.param([], [], id="empty"),
    pytest.param([Span(0, 3, P)], [Span(0, 3, P)], id="one"),
    pytest.param([Span(5, 8, P), Span(0, 3, D)], [Span(0, 3, D), Span(5, 8, P)], id="sorted_disjoint"),
    pytest.param([Span(0, 3, P), Span(3, 6, P)], [Span(0, 3, P), Span(3, 6, P)], id="adjacent_not_joined"),
    pytest.param([Span(0, 3, P), Span(0, 3, P)], [Span(0, 3, P)], id="duplicate_from_overlap_region"),
    pytest.param([Span(0, 5, P), Span(3, 9, P)], [Span(0, 9, P)], id="same_label_overlap_joined"),
    pytest.param([Span(2, 4, P), Span(0, 9, P)], [Span(0, 9, P)], id="same_label_contained"),
    pytest.param([Span(0, 4, P), Span(2, 12, L)], [Span(0, 12, L)], id="longer_label_wins"),
    pytest.param([Span(0, 10, P), Span(8, 12, L)], [Span(0, 12, P)], id="shorter_label_loses_but_is_covered"),
    pytest.param([Span(0, 4, P), Span(0, 4, D)], [Span(0, 4, D)], id="tie_goes_to_the_label_name_not_the_input_order"),
    pytest.param([Span(0, 4, D), Span(0, 4, P)], [Span(0, 4, D)], id="tie_goes_to_the_label_name_reversed"),
    pytest.param([Span(0, 6, P), Span(4, 10, P), Span(9, 17, D)], [Span(0, 17, D)], id="group_labelled_like_its_longest_member"),
    pytest.param([Span(0, 4, P), Span(3, 6, P), Span(5, 8, P)], [Span(0, 8, P)], id="chain"),
]


@pytest.mark.parametrize(("spans", "expected"), MERGE_CASES)
def test_when_spans_are_merged_then_overlaps_become_one_span(spans: list[Span], expected: list[Span]) -> None:
    assert unite_overlapping(spans) == expected


def _hostile(chars: int) -> str:
    """A note with a line break every 10 characters: a sentence boundary at every 10th offset."""
    return ("x" * 9 + "\n") * (chars // 10)


def test_when_a_note_breaks_lines_every_10_characters_then_windowing_work_grows_linearly(bytecodes) -> None:  # noqa: ANN001
    small = bytecodes(lambda: split_windows(_hostile(20_000), 1200, 150))
    large = bytecodes(lambda: split_windows(_hostile(80_000), 1200, 150))
    assert large < 5 * small  # 4x the text: linear work is about 4x; scanning every boundary per window was about 16x
