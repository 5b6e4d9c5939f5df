"""The span value object shared by every stage, and the rules that resolve overlapping spans.

Every stage that must make overlapping spans disjoint calls one of the rules here, each named for
what it guarantees; none compares every span with every other, so a 5 MB note stays linear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of characters labelled as one PHI entity."""

    start: int
    end: int
    label: str
    # The model's probability of opening the tag (echo decoding); None for spans it did not decide.
    # Not part of equality or order: the overlap rules compare ranges and labels only.
    confidence: float | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.start, int) or not isinstance(self.end, int):
            raise TypeError("Span offsets must be integers")
        if not 0 <= self.start < self.end:
            raise ValueError(f"Span [{self.start}, {self.end}) is empty or negative")
        if not self.label:
            raise ValueError("Span label must be a non-empty string")

    def check(self, text: str) -> "Span":
        """Return self, or raise if the span does not fit inside ``text`` (the text itself is never shown)."""
        if self.end > len(text):
            raise ValueError(f"Span [{self.start}, {self.end}) runs past the end of a text of length {len(text)}")
        return self

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"label": self.label, "start": self.start, "end": self.end}
        if self.confidence is not None:
            d["confidence"] = self.confidence
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Span":
        confidence = d.get("confidence")
        return cls(int(d["start"]), int(d["end"]), str(d["label"]), None if confidence is None else float(confidence))


def sort_spans(spans: Iterable[Span]) -> list[Span]:
    """Spans in reading order, duplicates removed."""
    return sorted(set(spans))


# --- overlap rules: the one home for how overlapping spans are resolved ------------------------


def unite_same_label(spans: Iterable[Span]) -> list[Span]:
    """Overlapping spans of one label joined into one; spans that only touch, or differ in label, stay apart."""
    united: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.label, s.start, s.end)):
        last = united[-1] if united else None
        if last is not None and last.label == span.label and span.start < last.end:
            united[-1] = Span(last.start, max(last.end, span.end), span.label)
        else:
            united.append(span)
    return sorted(united)


def claim_in_order(spans: Iterable[Span], order: Callable[[Span], Any]) -> list[Span]:
    """Disjoint spans covering exactly the characters ``spans`` cover: each character goes to the first span in ``order``
    that covers it, and a later span keeps only its unclaimed parts (trimmed, never dropped).

    Time is linear in the total length of the spans (a claimed-character map; no span is compared with every other).
    """
    spans = list(spans)
    if not spans:
        return []
    claimed = bytearray(max(s.end for s in spans))
    kept: list[Span] = []
    for span in sorted(spans, key=order):
        pos = span.start
        while pos < span.end:
            free = claimed.find(0, pos, span.end)
            if free < 0:
                break
            taken = claimed.find(1, free, span.end)
            pos = span.end if taken < 0 else taken
            kept.append(Span(free, pos, span.label, span.confidence))  # a trimmed piece keeps its span's confidence
        claimed[span.start : span.end] = b"\x01" * (span.end - span.start)
    return sorted(kept)


def longest_first(span: Span) -> tuple[int, int, str]:
    """Claim order: the longer span first, then the earlier, then the label's name."""
    return (span.start - span.end, span.start, span.label)


def earliest_first(span: Span) -> tuple[int, int, str]:
    """Claim order: the earlier span first, then the longer, then the label's name."""
    return (span.start, span.start - span.end, span.label)


def unite_overlapping(spans: Iterable[Span]) -> list[Span]:
    """Each group of overlapping spans joined into one span covering the group, labelled like its longest member."""
    united: list[Span] = []
    group_end, best = -1, None
    for span in sorted(spans):
        if best is not None and span.start < group_end:
            group_end = max(group_end, span.end)
            best = min(best, span, key=longest_first)
            united[-1] = Span(united[-1].start, group_end, best.label)
            continue
        group_end, best = span.end, span
        united.append(span)
    return united


def keep_whole_in_order(spans: Iterable[Span]) -> list[Span]:
    """Disjoint spans taken whole in the order given: a span overlapping one already taken is dropped, not trimmed
    (for detectors whose matches are only valid whole). Time is linear in the total length of the spans."""
    spans = list(spans)
    if not spans:
        return []
    claimed = bytearray(max(s.end for s in spans))
    kept: list[Span] = []
    for span in spans:
        if claimed.find(1, span.start, span.end) < 0:
            claimed[span.start : span.end] = b"\x01" * (span.end - span.start)
            kept.append(span)
    return sorted(kept)
