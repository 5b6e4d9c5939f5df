"""Split long documents into overlapping windows on sentence boundaries (their spans are united by ``deid.spans``)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?;:\n])\s+|\n")


@dataclass(frozen=True)
class Window:
    start: int
    end: int


def _cut_points(text: str) -> list[int]:
    """Offsets where a new sentence may start."""
    return sorted({m.end() for m in _SENTENCE_END.finditer(text)} | {len(text)})


def split_windows(text: str, max_chars: int, overlap: int) -> list[Window]:
    """Windows of at most ``max_chars`` that overlap by up to ``overlap`` characters.

    The text is first cut into consecutive pieces (the first of at most ``max_chars`` characters,
    the others of at most ``max_chars - overlap``), ending on sentence boundaries where possible (else on word boundaries, else anywhere); each
    window after the first then reaches back into the previous piece by up to ``overlap``
    characters, starting on a sentence or word boundary where one lies in that reach.

    Time is linear in the text's length (boundaries are found by bisection, never by a scan of all
    of them per window), so a 5 MB note with a line break every 10 characters is no slower per
    character than a short one.
    """
    if max_chars < 1 or not 0 <= overlap < max_chars:
        raise ValueError("need max_chars >= 1 and 0 <= overlap < max_chars")
    if len(text) <= max_chars:
        return [Window(0, len(text))]
    cuts = _cut_points(text)
    pieces = _pack(text, cuts, max_chars, max_chars - overlap)
    windows = [Window(*pieces[0])]
    for s, e in pieces[1:]:
        windows.append(Window(_reach_back(text, cuts, s, max(s - overlap, windows[-1].start + 1)), e))
    return windows


def _pack(text: str, cuts: list[int], first: int, budget: int) -> list[tuple[int, int]]:
    """Consecutive pieces covering the text: the first of at most ``first`` characters, then ``budget``."""
    pieces: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        limit = min(start + (budget if pieces else first), len(text))
        end = limit if limit == len(text) else _last_cut(cuts, start, limit)
        if end == 0:
            space = text.rfind(" ", start + 1, limit)
            end = space + 1 if space > start else limit
        pieces.append((start, end))
        start = end
    return pieces


def _last_cut(cuts: list[int], start: int, limit: int) -> int:
    """The last cut point in ``(start, limit]``, or 0 if there is none."""
    i = bisect.bisect_right(cuts, limit) - 1
    return cuts[i] if i >= 0 and cuts[i] > start else 0


def _reach_back(text: str, cuts: list[int], start: int, lowest: int) -> int:
    """Where a window starts: the earliest sentence start, else word start, in ``[lowest, start)``.

    A piece that begins on a boundary keeps its start when no boundary is in reach (no window starts
    inside a word); a piece that had to be cut inside a word reaches back to ``lowest`` regardless.
    """
    i = bisect.bisect_left(cuts, lowest)
    if i < len(cuts) and cuts[i] < start:
        return cuts[i]
    space = text.find(" ", max(lowest - 1, 0), start - 1)
    if space != -1 and space + 1 >= lowest:
        return space + 1
    j = bisect.bisect_left(cuts, start)
    on_boundary = (j < len(cuts) and cuts[j] == start) or text[start - 1].isspace()
    return start if on_boundary else lowest
