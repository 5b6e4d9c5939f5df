"""Build a hand-written evaluation set's JSONL from its hand-tagged source (default: set 1,
data/eval/handwritten.tagged.txt -> data/eval/handwritten.jsonl; set 2 is handwritten2.*).

Source format: blocks separated by one blank line. A document block starts with a line
``## <id> <genre>``; the lines after it are the document's text with inline ``<LABEL>…</LABEL>``
tags (line breaks inside a document are kept). A block whose lines all start with ``#`` (and not
``## ``) is a comment. Every tag-like string must be a label of the entity set; tags must be
balanced, not nested, not empty, and must not start or end with whitespace.

Output: one JSON object per line, ``{"id", "text", "spans": [{"start", "end", "label"}], "genre"}``,
offsets over the untagged text, end exclusive. Errors name the document and offsets, never text.

Run: .venv/bin/python scripts/build_handwritten.py [--source TAGGED --output JSONL] [--check]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from deid.entities import load_entity_set
from deid.tags import TAG_LIKE

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "eval" / "handwritten.tagged.txt"
OUTPUT = ROOT / "data" / "eval" / "handwritten.jsonl"
ENTITY_SET = "hipaa"
HEADER = re.compile(r"## ([A-Za-z0-9_.-]+) ([a-z_]+)")


def build(source: str, labels: set[str]) -> list[dict[str, Any]]:
    """The documents of a tagged source, in source order."""
    documents: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, block in enumerate(source.strip("\n").split("\n\n"), start=1):
        lines = [line.rstrip() for line in block.split("\n")]
        header = HEADER.fullmatch(lines[0])
        if header is None:
            if all(line.startswith("#") and not line.startswith("## ") for line in lines):
                continue
            raise ValueError(f"block {number} is neither a comment nor starts with '## <id> <genre>'")
        doc_id, genre = header.groups()
        if doc_id in seen:
            raise ValueError(f"block {number}: document id {doc_id} repeats")
        seen.add(doc_id)
        if len(lines) < 2 or not "".join(lines[1:]).strip():
            raise ValueError(f"document {doc_id} has no text")
        try:
            text, spans = untag("\n".join(lines[1:]), labels)
        except ValueError as e:
            raise ValueError(f"document {doc_id}: {e}") from None
        documents.append({"id": doc_id, "text": text, "spans": spans, "genre": genre})
    return documents


def untag(tagged: str, labels: set[str]) -> tuple[str, list[dict[str, Any]]]:
    """The text without its tags, and one span per tag pair over that text."""
    out: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0  # read position in the tagged text
    length = 0  # length of the untagged text so far
    open_label: str | None = None
    start = 0
    for match in TAG_LIKE.finditer(tagged):
        out.append(tagged[pos : match.start()])
        length += match.start() - pos
        pos = match.end()
        name = match.group(1)
        closing = name.startswith("/")
        label = name.lstrip("/")
        if label not in labels:
            raise ValueError(f"tag at offset {match.start()} has a label that is not in the entity set")
        if not closing:
            if open_label is not None:
                raise ValueError(f"tag at offset {match.start()} opens inside another tag; tags may not nest")
            open_label, start = label, length
            continue
        if open_label != label:
            raise ValueError(f"closing tag at offset {match.start()} does not match the open tag")
        value = "".join(out)[start:length]
        if not value.strip():
            raise ValueError(f"tag pair ending at offset {match.start()} is empty")
        if value != value.strip():
            raise ValueError(f"tag pair ending at offset {match.start()} starts or ends with whitespace")
        spans.append({"start": start, "end": length, "label": label})
        open_label = None
    if open_label is not None:
        raise ValueError("a tag is never closed")
    out.append(tagged[pos:])
    return "".join(out), spans


def to_jsonl(documents: list[dict[str, Any]]) -> str:
    """One JSON object per line, non-ASCII characters kept as they are."""
    return "".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in documents)


def summary(documents: list[dict[str, Any]]) -> str:
    """Counts per genre and per label (no text), as printed after a build and quoted in the README."""
    genres = Counter(doc["genre"] for doc in documents)
    labels = Counter(span["label"] for doc in documents for span in doc["spans"])
    phi_free = sum(not doc["spans"] for doc in documents)
    lines = [f"{len(documents)} documents, {phi_free} without PHI, {sum(labels.values())} spans"]
    lines += [f"genre {name}: {n}" for name, n in genres.most_common()]
    lines += [f"label {name}: {n}" for name, n in labels.most_common()]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="the tagged source (default: set 1)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the JSONL to write (default: set 1)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed JSONL is out of date")
    args = parser.parse_args()
    labels = set(load_entity_set(ENTITY_SET).names)
    documents = build(args.source.read_text(encoding="utf-8"), labels)
    built = to_jsonl(documents)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != built:
            options = f"--source {args.source} --output {args.output}"
            print(f"{args.output} is out of date; run: .venv/bin/python {sys.argv[0]} {options}", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(built, encoding="utf-8")
    print(summary(documents))
    return 0


if __name__ == "__main__":
    sys.exit(main())
