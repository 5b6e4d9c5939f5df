"""How many phone, fax, SSN, email, URL and IP values the pattern detectors alone cover, on gold JSONL sets.

    .venv/bin/python scripts/pattern_coverage.py data/eval/handwritten.jsonl data/eval/handwritten2.jsonl

A value counts as covered when none of its letters or digits stays visible. Also printed: the patterns'
character precision and the PHI-free documents they put a span in. Prints counts only, never text.
"""

from __future__ import annotations

import sys

from deid.entities import load_entity_set
from deid.evaluate import read_documents
from deid.patterns import detect_patterns

STRUCTURED = frozenset({"PHONE_NUMBER", "FAX_NUMBER", "US_SSN", "EMAIL_ADDRESS", "URL", "IP_ADDRESS"})


def coverage(path: str) -> str:
    labels = load_entity_set("hipaa").names
    values = covered = free = free_with_span = predicted = predicted_in_phi = 0
    for doc in read_documents(path):
        text = doc.text or ""
        cover = {k for s in detect_patterns(text, labels) for k in range(s.start, s.end)}
        gold = {k for s in doc.spans for k in range(s.start, s.end)}
        for span in doc.spans:
            if span.label in STRUCTURED:
                values += 1
                covered += all(k in cover or not text[k].isalnum() for k in range(span.start, span.end))
        free += not doc.spans
        free_with_span += not doc.spans and bool(cover)
        predicted += len(cover)
        predicted_in_phi += len(cover & gold)
    precision = predicted_in_phi / predicted if predicted else 1.0
    return (
        f"{path}: structured values covered {covered} of {values}; pattern character precision {precision:.3f}; "
        f"PHI-free documents with a pattern span {free_with_span} of {free}"
    )


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(coverage(arg))
