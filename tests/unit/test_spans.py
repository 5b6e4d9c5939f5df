"""The overlap rules in deid.spans: what each one guarantees, on random span sets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from deid.spans import Span, claim_in_order, earliest_first, keep_whole_in_order, longest_first, unite_overlapping, unite_same_label

spans_st = st.lists(
    st.builds(lambda s, n, label: Span(s, s + n, label), st.integers(0, 60), st.integers(1, 15), st.sampled_from(["A", "B", "C"])),
    max_size=25,
)


def covered(spans: list[Span]) -> set[int]:
    return {i for s in spans for i in range(s.start, s.end)}


def disjoint_and_sorted(spans: list[Span]) -> bool:
    return spans == sorted(spans) and all(a.end <= b.start for a, b in zip(spans, spans[1:]))


@given(spans_st)
def test_claim_in_order_keeps_every_character_covered_and_makes_spans_disjoint(spans: list[Span]) -> None:
    for order in (longest_first, earliest_first):
        claimed = claim_in_order(spans, order)
        assert disjoint_and_sorted(claimed)
        assert covered(claimed) == covered(spans)
        for piece in claimed:  # each piece lies inside an input span of its label
            assert any(s.label == piece.label and s.start <= piece.start and piece.end <= s.end for s in spans)


@given(spans_st)
def test_claim_longest_first_gives_each_character_to_the_longest_span_covering_it(spans: list[Span]) -> None:
    for piece in claim_in_order(spans, longest_first):
        for i in range(piece.start, piece.end):
            best = min((s for s in spans if s.start <= i < s.end), key=longest_first)
            assert piece.label == best.label


@given(spans_st)
def test_unite_overlapping_covers_the_same_characters_with_disjoint_spans(spans: list[Span]) -> None:
    united = unite_overlapping(spans)
    assert disjoint_and_sorted(united)
    assert covered(united) == covered(spans)


@given(spans_st)
def test_unite_same_label_joins_only_overlaps_of_one_label(spans: list[Span]) -> None:
    united = unite_same_label(spans)
    for label in "ABC":
        mine = [s for s in united if s.label == label]
        assert covered(mine) == covered([s for s in spans if s.label == label])
        assert all(a.end <= b.start for a, b in zip(mine, mine[1:]))


@given(spans_st)
def test_keep_whole_in_order_takes_spans_whole_and_drops_only_those_overlapping_an_earlier_one(spans: list[Span]) -> None:
    kept = keep_whole_in_order(spans)
    assert disjoint_and_sorted(kept)
    assert set(kept) <= set(spans)
    taken: list[Span] = []
    for s in spans:  # the quadratic definition, on small inputs
        if all(s.end <= t.start or t.end <= s.start for t in taken):
            taken.append(s)
    assert kept == sorted(taken)


def test_when_a_span_is_trimmed_then_its_pieces_keep_its_confidence() -> None:
    claimed = claim_in_order([Span(0, 10, "A", 0.9), Span(5, 20, "B", 0.4)], longest_first)
    assert [(s.start, s.end, s.label, s.confidence) for s in claimed] == [(0, 5, "A", 0.9), (5, 20, "B", 0.4)]
