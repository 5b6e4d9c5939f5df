"""Split long documents into overlapping windows on sentence boundaries, and merge their spans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from deid.spans import Span

_SENTENCE_END = re.compile(r"(?<=[.!?;:\n])\s+|\n")


@dataclass(frozen=True)
class Window:
    start: int
    end: int


def _cut_points(text: str) -> list[int]:
    """Offsets where a new sentence may start."""
    return sorted({m.end() for m in _SENTENCE_END.finditer(text)} | {len(text)})


def split_windows(text: str, max_chars: int, overlap: int) -> list[Window]:
    """Windows of at most ``max_chars`` that end on sentence (else word) boundaries and overlap by about ``overlap``."""
    if max_chars < 1 or not 0 <= overlap < max_chars:
        raise ValueError("need max_chars >= 1 and 0 <= overlap < max_chars")
    if len(text) <= max_chars:
        return [Window(0, len(text))]
    cuts = _cut_points(text)
    windows: list[Window] = []
    start = 0
    while start < len(text):
        limit = start + max_chars
        end = max((c for c in cuts if start < c <= limit), default=0)
        if end == 0:
            end = _word_cut(text, start, limit)
        windows.append(Window(start, end))
        if end >= len(text):
            break
        start = _next_start(text, cuts, start, end, overlap)
    return windows


def _word_cut(text: str, start: int, limit: int) -> int:
    """The last whitespace before ``limit``, or ``limit`` itself in text without spaces."""
    limit = min(limit, len(text))
    space = text.rfind(" ", start + 1, limit)
    return space + 1 if space > start else limit


def _next_start(text: str, cuts: list[int], start: int, end: int, overlap: int) -> int:
    """The sentence start nearest before ``end - overlap`` that still makes progress."""
    target = end - overlap
    candidates = [c for c in cuts if start < c <= target]
    if candidates:
        return candidates[-1]
    space = text.find(" ", max(target, start + 1), end)
    return space + 1 if 0 <= space < end - 1 else end


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Union of spans from several windows or detectors: same-label overlaps are joined; otherwise the longer wins."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.label == last.label:
                merged[-1] = Span(last.start, max(last.end, span.end), last.label)
            elif span.end - span.start > last.end - last.start:
                merged[-1] = Span(last.start, max(last.end, span.end), span.label)
            else:
                merged[-1] = Span(last.start, max(last.end, span.end), last.label)
            continue
        merged.append(span)
    return merged
