"""Synthetic clinical notes with gold PHI spans, for fine-tuning the tagger and judging it.

Each document is assembled from interchangeable pieces by a builder (``document``) that records a span as it
appends each PHI value, so offsets are correct by construction and never searched for afterwards. Variety
comes from twelve genres (``genres``), shuffled clause pools, many surface forms per identifier (``values``),
names from several Faker locales, places (``places``), letter case and typo noise, and hard negatives that
look like PHI but are not (ages up to 89, years alone, doses, vitals, codes, eponyms, states and countries;
``vocabulary``). ``kinds`` mixes in, each in a few percent of documents, text that models got wrong in others'
writing: as hard negatives, drug and device brands, scores and classes named after people, insurers and
employers, hospital units, beds and rooms, date-like scores and fractions, a state or country alone; as PHI,
clinicians' lower-case chat names, names in Chinese, Japanese or Korean script, ordinal days ('the 14th'),
senior-living homes and hospices without a head noun, and pharmacy chains with their street.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from deid.spans import Span
from deid.train.synth.document import PHI_FREE_RATE, TYPO_DOC_RATE, TYPO_WORD_RATE, UPPER_DOC_RATE, _Builder, _Doc
from deid.train.synth.genres import GENRES

__all__ = ["GENRES", "SynthDoc", "generate", "write_splits"]


@dataclass(frozen=True)
class SynthDoc:
    """One synthetic document with its gold PHI spans."""

    id: str
    text: str
    spans: tuple[Span, ...]
    genre: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "spans": [s.to_dict() for s in self.spans], "genre": self.genre}


def _doc_seed(seed: int, split: str, i: int) -> int:
    # A stable hash (Python's hash() of a str changes between runs), so each split is its own stream.
    digest = hashlib.blake2b(f"{seed}/{split}/{i}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _one(seed: int, split: str, i: int) -> SynthDoc:
    doc_seed = _doc_seed(seed, split, i)
    rng = random.Random(doc_seed)
    genre = rng.choice(sorted(GENRES))
    case = "upper" if rng.random() < UPPER_DOC_RATE else "as_is"
    typo_rate = TYPO_WORD_RATE if rng.random() < TYPO_DOC_RATE else 0.0
    d = _Doc(rng=rng, seed=doc_seed % 2**32, phi_free=rng.random() < PHI_FREE_RATE, b=_Builder(rng, case, typo_rate))
    GENRES[genre](d)
    text, spans = d.b.build()
    for span in spans:
        span.check(text)
    return SynthDoc(id=f"{split}-{i:05d}", text=text, spans=spans, genre=genre)


def generate(n: int, seed: int, split: str = "train") -> list[SynthDoc]:
    """``n`` synthetic documents; the same (n, seed, split) always gives the same documents."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return [_one(seed, split, i) for i in range(n)]


def write_splits(
    out_dir: Path,
    n_train: int = 800,
    n_val: int = 400,
    n_test: int = 400,
    seed: int = 13,
    on_document: Callable[[], object] | None = None,
) -> dict[str, Path]:
    """Write train.jsonl, val.jsonl and test.jsonl under ``out_dir``; each split has its own random stream.

    ``on_document`` is called after each document is written (a progress bar's ``update``).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for split, n in (("train", n_train), ("val", n_val), ("test", n_test)):
        path = out_dir / f"{split}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for i in range(n):  # one at a time, not generate(): progress shows as documents are made
                f.write(json.dumps(_one(seed, split, i).to_json(), ensure_ascii=False) + "\n")
                if on_document is not None:
                    on_document()
        paths[split] = path
    return paths
