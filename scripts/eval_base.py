"""Score the untuned base model with the same prompt, parser and scorer as an adapter (no training).

    .venv/bin/python scripts/eval_base.py --n 40

Prints the model-alone report on the first N documents of a fresh synthetic test split (default
seed): spans only from the model's own output, no pattern union, no mention propagation.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

import deid.detect
from deid.base_model import DEFAULT_BASE_DIR
from deid.detect import DetectConfig, ModelDetector
from deid.entities import load_entity_set
from deid.evaluate import Document, evaluate, format_report
from deid.inference import create_engine
from deid.train.synth import SynthDoc, generate


def read_document(doc: SynthDoc) -> Document:
    return Document(doc.id, doc.text, tuple(doc.spans))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=40, help="test documents to score")
    ap.add_argument("--base", default=str(DEFAULT_BASE_DIR))
    ap.add_argument("--format", default="inline", choices=["inline", "json"])
    args = ap.parse_args()
    docs = [read_document(d) for d in generate(args.n, seed=13, split="test")]
    engine = create_engine("vllm", args.base)
    # Only what the model itself tagged: the detector gives untrusted documents (here: the ones that hit
    # the token cap) pattern spans, so the pattern detector is switched off for this measurement.
    deid.detect.detect_patterns = lambda text, labels: []
    config = DetectConfig(union_patterns=False, propagate=False, fidelity_threshold=0.0)
    detector = ModelDetector(engine, load_entity_set("hipaa"), args.format, config)
    found = detector.detect([d.text or "" for d in docs])
    report = evaluate(docs, [Document(d.id, d.text, f.spans) for d, f in zip(docs, found)])
    print(format_report(report))
    print("statuses:", dict(Counter(f.status for f in found)))
    print("mean fidelity:", round(sum(f.fidelity for f in found) / len(found), 3))
    print("model spans:", sum(len(f.spans) for f in found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
