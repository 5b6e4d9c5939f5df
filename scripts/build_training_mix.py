"""Build a training folder that mixes hand-written development sets with synthetic documents.

The hand-written sets that have been read (development sets) are text written in styles the generator
does not use; training on them teaches the model those styles. A set used here is no longer an
evaluation set for adapters trained on the result: only sets left out (the blind ones) score them, and
data/eval/README.md says which set is which. The synthetic part is a slice of a ``deid data synth``
training file that the adapter being continued has not seen.

Output: ``OUT/train.jsonl`` (the mix, shuffled by seed) and ``OUT/val.jsonl`` (copied from the synthetic
folder), each line ``{"id", "text", "spans", "genre"}`` as ``deid.evaluate.read_documents`` reads it, and
``OUT/sources.json``: what the mix holds, which ``deid train`` copies beside the adapter for its model card.

Run (the mix of smollm2-135m-deid-v5; data/synth-v3-s21 is `deid data synth --out data/synth-v3-s21 --seed 21 --n-train 6000`):
  .venv/bin/python scripts/build_training_mix.py --out data/synth-mix-v5 \
      --handwritten 1 2 3 4 5 6 7 --synth data/synth-v3-s21 --synth-from 1000 --synth-n 300 --seed 51
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def handwritten_path(number: int) -> Path:
    return ROOT / "data" / "eval" / ("handwritten.jsonl" if number == 1 else f"handwritten{number}.jsonl")


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def build(out: Path, handwritten: list[int], synth: Path, synth_from: int, synth_n: int, seed: int) -> dict[str, int]:
    rows: list[dict] = []
    counts: dict[str, int] = {}
    for number in handwritten:
        part = read_rows(handwritten_path(number))
        counts[f"handwritten{number}"] = len(part)
        rows += part
    synthetic = read_rows(synth / "train.jsonl")[synth_from : synth_from + synth_n]
    if len(synthetic) < synth_n:
        raise SystemExit(f"{synth / 'train.jsonl'} has only {synth_from + len(synthetic)} documents; asked for {synth_from + synth_n}")
    counts["synthetic"] = len(synthetic)
    rows += synthetic
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise SystemExit("document ids repeat across the sources; the mix needs unique ids")
    random.Random(seed).shuffle(rows)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "train.jsonl").open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({"id": r["id"], "text": r["text"], "spans": r["spans"], "genre": r.get("genre")}, ensure_ascii=False) + "\n")
    shutil.copyfile(synth / "val.jsonl", out / "val.jsonl")
    counts["total"] = len(rows)
    sources = {
        "handwritten_sets": handwritten,
        "synthetic": {"file": str(synth / "train.jsonl"), "first": synth_from, "n": synth_n},
        "seed": seed,
        "documents": counts,
    }
    (out / "sources.json").write_text(json.dumps(sources, indent=2) + "\n", encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--handwritten", type=int, nargs="+", required=True, help="numbers of the hand-written sets to train on")
    ap.add_argument("--synth", type=Path, required=True, help="a deid data synth folder (train.jsonl, val.jsonl)")
    ap.add_argument("--synth-from", type=int, default=0, help="first synthetic training document to use")
    ap.add_argument("--synth-n", type=int, default=500)
    ap.add_argument("--seed", type=int, default=51)
    args = ap.parse_args(argv)
    counts = build(args.out, args.handwritten, args.synth, args.synth_from, args.synth_n, args.seed)
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
