"""Model output -> spans over the ORIGINAL text.

The model is asked to echo its (neutralised) input with inline ``<LABEL>…</LABEL>`` tags, or to
list entities as JSON. Nothing it says about positions is trusted: every span is placed by
aligning the output to the input, or by finding the tagged value in the input.

Rules for imperfect tagged output:

- Tag names are matched to ``labels`` exactly, else case-insensitively; the span carries the
  canonical label. A tag with any other name is removed from the text and its value counted as
  dropped (the text between such tags stays, it is content).
- A closing tag closes the most recent open tag of the same label, even if other tags opened
  after it are still open (crossing tags then give overlapping values). A closing tag with no
  open partner is ignored.
- A tag never closed ends at the next tag of any kind, the next line break, or the end of the
  output, whichever comes first: an unclosed tag is a model slip, and this bounds what it covers.
- Nested and overlapping values are all placed, then resolved (``deid.spans``): overlapping spans of
  one label are united; of different labels, the longer claims its characters first (then the
  earlier, then the label's name) and the other keeps what is left, trimmed, never dropped. Nested
  tags therefore keep the outermost value; crossing tags give two adjacent spans.
- A value is placed where its aligned characters fall if the input there matches it closely;
  otherwise at an exact (then case- and whitespace-insensitive) occurrence in the input, preferring
  one no other span uses and the nearest to where the alignment expected it. A value found nowhere
  is dropped as hallucinated. Spans are trimmed of surrounding whitespace.

Trust (``ParseResult.checked``): an inline answer passes its checks only when every tagged value
was placed and no run of input characters holding ``WORD_RUN`` letters or digits is missing from
the echo (an omitted or altered name, however short a share of the window it is); the caller adds
its fidelity threshold. A JSON answer has no echo to check: it passes only when its list was read
to the closing bracket and every item was placed; the detector then also requires that it
covers every identifier the pattern detectors find.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
from dataclasses import dataclass
from typing import Any, Iterable

from rapidfuzz.distance import Indel

from deid.spans import Span, claim_in_order, longest_first, unite_same_label
from deid.tags import TAG_LIKE, neutralise

log = logging.getLogger(__name__)

# Normalised similarity (Indel, 0..1) an aligned input range needs to stand for a tagged value.
MIN_ALIGNED_SIMILARITY = 0.8
# Letters or digits in one run of input the echo left out that make the window untrusted: the
# length of the shortest names ("Li", "Ng"); single characters (a dropped period, a changed quote) pass.
WORD_RUN = 2


@dataclass(frozen=True)
class ParseResult:
    """Spans found in one model output, with how faithfully the output echoed its input."""

    spans: list[Span]
    fidelity: float
    dropped: int
    checked: bool = True  # the output passed its format's trust checks (see the module docstring)

    def __post_init__(self) -> None:
        if not 0.0 <= self.fidelity <= 1.0:
            raise ValueError(f"fidelity {self.fidelity} is outside 0..1")
        if self.dropped < 0:
            raise ValueError(f"dropped count {self.dropped} is negative")


@dataclass(frozen=True)
class _Value:
    """One tagged value: a label and its range in the tag-stripped output."""

    label: str
    start: int
    end: int


@dataclass(frozen=True)
class _Stripped:
    """The output with its tags removed, the tagged values in it, and the unknown-label count."""

    text: str
    values: list[_Value]
    unknown: int


@dataclass(frozen=True)
class _Alignment:
    """Character map from the stripped output to the input, from an in-order (LCS) alignment."""

    out_to_in: list[int]  # input position of each output character, -1 where unaligned
    floor: list[int]  # floor[i]: one past the input position of the last aligned output char before i
    ceil: list[int]  # ceil[i]: input position of the first aligned output char at or after i
    matched: int  # input characters reproduced in order
    longest_gap: int  # most letters and digits in one run of input characters not reproduced


class _LabelSet:
    """Resolves tag names to canonical labels: exact match first, then case-insensitive."""

    def __init__(self, labels: Iterable[str]) -> None:
        self._exact = set(labels)
        # Labels that differ only in case: the alphabetically first answers a case-insensitive tag.
        self._folded = {label.casefold(): label for label in sorted(self._exact, reverse=True)}

    def canonical(self, name: str) -> str | None:
        """The canonical label for ``name``, or None if it is not an allowed label."""
        if name in self._exact:
            return name
        return self._folded.get(name.casefold())


def parse_tagged(text: str, output: str, labels: Iterable[str]) -> ParseResult:
    """Spans over ``text`` from a model's inline-tagged echo of ``neutralise(text)``."""
    stripped = _strip_tags(output, _LabelSet(labels))
    neutral = neutralise(text)
    alignment = _align(stripped.text, neutral)
    placed, missing = _place_values(stripped, neutral, alignment)
    spans = _final_spans(text, placed)
    fidelity = alignment.matched / len(text) if text else 1.0
    checked = missing == 0 and alignment.longest_gap < WORD_RUN
    _log_result("tagged", spans, stripped.unknown + missing)
    return ParseResult(spans=spans, fidelity=fidelity, dropped=stripped.unknown + missing, checked=checked)


def parse_json(text: str, output: str, labels: Iterable[str]) -> ParseResult:
    """Spans over ``text`` from a model's JSON list of entities.

    Fidelity is 1.0 when a list was read (closed, or cut off after at least one whole item) and
    0.0 when no list could be read at all: there is no echo to measure. The answer is ``checked``
    only when the list was closed and every item was placed.
    """
    items, found, closed = _read_json_list(output)
    label_set = _LabelSet(labels)
    placed: list[Span] = []
    dropped = 0
    for item in items:
        span = _place_json_item(text, item, label_set, placed)
        if span is None:
            dropped += 1
        else:
            placed.append(span)
    spans = _final_spans(text, placed)
    _log_result("json", spans, dropped)
    return ParseResult(spans=spans, fidelity=1.0 if found else 0.0, dropped=dropped, checked=closed and dropped == 0)


def _log_result(mode: str, spans: list[Span], dropped: int) -> None:
    """Debug-log counts only; values and text never reach the log."""
    log.debug("parsed %s output: %d spans, %d values dropped", mode, len(spans), dropped)


# --- tagged output -------------------------------------------------------------------------


def _strip_tags(output: str, labels: _LabelSet) -> _Stripped:
    """Remove every tag from ``output`` and pair opening with closing tags into values."""
    pieces: list[str] = []
    length = 0
    last = 0
    tag_positions: list[int] = []
    open_tags: list[tuple[str, int]] = []
    values: list[_Value] = []
    unknown = 0
    for match in TAG_LIKE.finditer(output):
        pieces.append(output[last : match.start()])
        length += match.start() - last
        last = match.end()
        tag_positions.append(length)
        name = match.group(1)
        closing = name.startswith("/")
        label = labels.canonical(name.lstrip("/"))
        if label is None:
            unknown += int(not closing)  # one dropped value per unknown opening tag
        elif closing:
            _close(open_tags, label, length, values)
        else:
            open_tags.append((label, length))
    pieces.append(output[last:])
    stripped = "".join(pieces)
    for label, start in open_tags:
        values.append(_Value(label, start, _implicit_end(stripped, start, tag_positions)))
    if unknown:
        log.debug("ignored %d tags with labels outside the allowed set", unknown)
    return _Stripped(stripped, sorted(values, key=lambda v: (v.start, v.end, v.label)), unknown)


def _close(open_tags: list[tuple[str, int]], label: str, end: int, values: list[_Value]) -> None:
    """Close the most recent open tag of ``label`` at ``end``; a closing tag without one is ignored."""
    for i in range(len(open_tags) - 1, -1, -1):
        if open_tags[i][0] == label:
            values.append(_Value(label, open_tags.pop(i)[1], end))
            return
    log.debug("ignored a stray closing %s tag", label)


def _implicit_end(stripped: str, start: int, tag_positions: list[int]) -> int:
    """Where an unclosed value ends: the next tag, the next line break, or the end of the output."""
    end = len(stripped)
    following = bisect.bisect_right(tag_positions, start)
    if following < len(tag_positions):
        end = tag_positions[following]
    newline = stripped.find("\n", start, end)
    return end if newline < 0 else newline


def _align(stripped: str, neutral: str) -> _Alignment:
    """Align the stripped output to the neutralised input, keeping the most characters in order."""
    out_to_in = [-1] * len(stripped)
    matched = 0
    reproduced = bytearray(len(neutral))
    for op in Indel.opcodes(stripped, neutral):
        if op.tag == "equal":
            for k in range(op.src_end - op.src_start):
                out_to_in[op.src_start + k] = op.dest_start + k
            matched += op.src_end - op.src_start
            reproduced[op.dest_start : op.dest_end] = b"\x01" * (op.dest_end - op.dest_start)
    floor = [0] * (len(stripped) + 1)
    for i, pos in enumerate(out_to_in):
        floor[i + 1] = pos + 1 if pos >= 0 else floor[i]
    ceil = [len(neutral)] * (len(stripped) + 1)
    for i in range(len(stripped) - 1, -1, -1):
        ceil[i] = out_to_in[i] if out_to_in[i] >= 0 else ceil[i + 1]
    return _Alignment(out_to_in, floor, ceil, matched, _longest_gap(neutral, reproduced))


def _longest_gap(neutral: str, reproduced: bytearray) -> int:
    """The most letters and digits in one run of input characters that the alignment did not reproduce."""
    longest, pos = 0, 0
    while (start := reproduced.find(0, pos)) >= 0:
        end = reproduced.find(1, start)
        end = len(neutral) if end < 0 else end
        longest = max(longest, sum(ch.isalnum() for ch in neutral[start:end]))
        pos = end
    return longest


def _place_values(stripped: _Stripped, neutral: str, alignment: _Alignment) -> tuple[list[Span], int]:
    """Place every value in the input; return the spans and how many values could not be placed."""
    placed: list[Span] = []
    unaligned: list[_Value] = []
    missing = 0
    for value in stripped.values:
        if not stripped.text[value.start : value.end].strip():
            missing += 1
            continue
        span = _aligned_span(value, stripped.text, neutral, alignment)
        if span is None:
            unaligned.append(value)
        else:
            placed.append(span)
    # Values out of alignment are located only after the aligned ones have claimed their places.
    for value in unaligned:
        expected = alignment.floor[value.start]
        span = _locate(neutral, stripped.text[value.start : value.end], value.label, expected, placed)
        if span is None:
            log.debug("dropped a %s value that is not in the input", value.label)
            missing += 1
        else:
            placed.append(span)
    return placed, missing


def _aligned_span(value: _Value, stripped: str, neutral: str, alignment: _Alignment) -> Span | None:
    """The input range the value's aligned characters cover, if the input there matches the value."""
    hits = [i for i in range(value.start, value.end) if alignment.out_to_in[i] >= 0]
    if not hits:
        return None
    start = alignment.out_to_in[hits[0]]
    end = alignment.out_to_in[hits[-1]] + 1
    # Unaligned characters at the value's edges stand for unaligned input characters (substitutions).
    start = max(start - (hits[0] - value.start), alignment.floor[value.start])
    end = min(end + (value.end - 1 - hits[-1]), alignment.ceil[value.end])
    if not _similar(stripped[value.start : value.end], neutral[start:end]):
        return None
    return Span(start, end, value.label)


def _similar(value: str, found: str) -> bool:
    """Whether ``found`` in the input is close enough to the model's ``value`` to stand for it."""
    a, b = _normalise(value), _normalise(found)
    return a == b or Indel.normalized_similarity(a, b) >= MIN_ALIGNED_SIMILARITY


def _normalise(value: str) -> str:
    """Case-folded, with whitespace runs collapsed to one space and the ends stripped."""
    return " ".join(value.split()).casefold()


# --- locating values -----------------------------------------------------------------------


def _locate(haystack: str, value: str, label: str, expected: int, used: list[Span]) -> Span | None:
    """Place ``value`` at its best occurrence in ``haystack``: exact first, then loosely."""
    value = value.strip()
    if not value:
        return None
    for pattern, flags in ((re.escape(value), 0), (_loose_pattern(value), re.IGNORECASE)):
        found = [m.span() for m in re.finditer(pattern, haystack, flags)]
        if found:
            start, end = _best_occurrence(found, expected, used)
            return Span(start, end, label)
    return None


def _loose_pattern(value: str) -> str:
    """A pattern for ``value`` in which any run of whitespace matches any other."""
    return r"\s+".join(re.escape(part) for part in value.split())


def _best_occurrence(found: list[tuple[int, int]], expected: int, used: list[Span]) -> tuple[int, int]:
    """The occurrence no placed span overlaps, then the nearest to ``expected``, then the first."""

    def taken(start: int, end: int) -> bool:
        return any(s.start < end and start < s.end for s in used)

    return min(found, key=lambda r: (taken(*r), abs(r[0] - expected), r[0]))


# --- JSON output ---------------------------------------------------------------------------


def _read_json_list(output: str) -> tuple[list[Any], bool, bool]:
    """The items of the first readable JSON list in ``output``, whether one was read, and whether it was closed."""
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\[", output):
        items, closed = _read_items(decoder, output, match.end())
        if closed or items:
            return items, True, closed
    return [], False, False


def _read_items(decoder: json.JSONDecoder, output: str, pos: int) -> tuple[list[Any], bool]:
    """Items from ``pos`` up to the list's end or the first unreadable one; whether it was closed.

    Commas are skipped rather than required, so trailing and doubled commas are tolerated.
    """
    items: list[Any] = []
    while True:
        while pos < len(output) and (output[pos].isspace() or output[pos] == ","):
            pos += 1
        if pos >= len(output):
            return items, False
        if output[pos] == "]":
            return items, True
        try:
            item, pos = decoder.raw_decode(output, pos)
        except json.JSONDecodeError:
            return items, False
        items.append(item)


def _place_json_item(text: str, item: Any, labels: _LabelSet, placed: list[Span]) -> Span | None:
    """The span one JSON item stands for, or None if it must be dropped."""
    if not isinstance(item, dict):
        log.debug("dropped a JSON item that is not an object")
        return None
    label = labels.canonical(str(item.get("entity_type", "")))
    value = item.get("entity_value")
    if label is None or not isinstance(value, str) or not value.strip():
        log.debug("dropped a JSON item with an unknown label or no value")
        return None
    start, end = _as_int(item.get("start_position")), _as_int(item.get("end_position"))
    if start is not None and end is not None and 0 <= start < end <= len(text) and text[start:end] == value:
        return Span(start, end, label)
    span = _locate(text, value, label, start if start is not None else 0, placed)
    if span is None:
        log.debug("dropped a %s JSON item whose value is not in the input", label)
    return span


def _as_int(raw: Any) -> int | None:
    """An offset given as an int or a numeric string; None for anything else."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw)
    return None


# --- final spans ---------------------------------------------------------------------------


def _trim_all(text: str, spans: list[Span]) -> list[Span]:
    """Spans with surrounding whitespace removed; all-whitespace spans disappear."""
    trimmed = []
    for span in spans:
        start, end = span.start, span.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append(Span(start, end, span.label))
    return trimmed


def _final_spans(text: str, placed: list[Span]) -> list[Span]:
    """Placed spans trimmed, made disjoint, and trimmed again (a trimmed-back crossing span may end in a space)."""
    return _trim_all(text, _resolve(_trim_all(text, placed)))


def _resolve(spans: list[Span]) -> list[Span]:
    """Disjoint sorted spans: one label's overlaps united, then the longer of different labels claims first."""
    return claim_in_order(unite_same_label(spans), longest_first)
