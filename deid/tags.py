"""Inline XML tags: neutralising tag-like input text, and rendering gold spans as a tagged answer.

Neutralisation is length-preserving (one character for one character), so an offset into the
neutralised text is the same offset into the original; the original text itself is never rebuilt
from model output.
"""

from __future__ import annotations

import re
from typing import Iterable

from deid.spans import Span

# Anything shaped like an XML tag: <NAME> or </NAME>. Case-insensitive labels are still tag-like.
TAG_LIKE = re.compile(r"<(/?[A-Za-z_][A-Za-z0-9_]*)>")
# What stands in for "<" at the start of a tag-like string in the input.
LT_STANDIN = "\u2039"  # SINGLE LEFT-POINTING ANGLE QUOTATION MARK


def neutralise(text: str) -> str:
    """Replace the ``<`` of every tag-like string, and of every ``<|`` (chat-template control tokens such as
    ``<|im_start|>``), in ``text``, so that it can be read neither as a model tag nor as a turn of the template."""
    return TAG_LIKE.sub(lambda m: LT_STANDIN + m.group(1) + ">", text).replace("<|", LT_STANDIN + "|")


def render_tagged(text: str, spans: Iterable[Span]) -> str:
    """The inline answer for ``text``: neutralised text with ``<LABEL>…</LABEL>`` around each span.

    Spans must not overlap (the training target of a tagger has one label per character).
    """
    safe = neutralise(text)
    out: list[str] = []
    pos = 0
    for span in sorted(spans):
        span.check(text)
        if span.start < pos:
            raise ValueError(f"spans overlap at offset {span.start}; a tagged answer needs disjoint spans")
        out.append(safe[pos : span.start])
        out.append(f"<{span.label}>{safe[span.start : span.end]}</{span.label}>")
        pos = span.end
    out.append(safe[pos:])
    return "".join(out)
