#!/usr/bin/env bash
# Score an adapter on a fresh synthetic test split and record the result in its model card:
# the model alone, and the model unioned with the pattern detectors (what the job runs).
#   bash scripts/eval_adapter.sh models/smollm2-135m-deid [ENGINE]
set -euo pipefail
cd "$(dirname "$0")/.."
ADAPTER=${1:?usage: eval_adapter.sh ADAPTER_DIR [vllm|transformers]}
ENGINE=${2:-vllm}
DEID=.venv/bin/deid
WORK=runs/eval-$(basename "$ADAPTER")
rm -rf "$WORK" && mkdir -p "$WORK"
$DEID data synth --out "$WORK/synth"
$DEID detect --input "$WORK/synth/test.jsonl" --output "$WORK/model.jsonl" --model "$ADAPTER" --engine "$ENGINE" --no-patterns
$DEID detect --input "$WORK/synth/test.jsonl" --output "$WORK/patterns.jsonl" --detector patterns
# The union the detector makes when patterns are on (deid.windows.merge_spans), without a second model pass.
.venv/bin/python - "$WORK" <<'PYTHON'
import json, sys
from deid.spans import Span
from deid.windows import merge_spans
work = sys.argv[1]
read = lambda name: {r["id"]: r for r in map(json.loads, open(f"{work}/{name}.jsonl", encoding="utf-8"))}
model, patterns = read("model"), read("patterns")
with open(f"{work}/union.jsonl", "w", encoding="utf-8") as out:
    for doc_id, row in model.items():
        spans = merge_spans(Span.from_dict(s) for s in row["spans"] + patterns[doc_id]["spans"])
        out.write(json.dumps({"id": doc_id, "spans": [s.to_dict() for s in spans]}) + "\n")
PYTHON
$DEID eval --gold "$WORK/synth/test.jsonl" --pred "$WORK/model.jsonl" --model-card "$ADAPTER"
$DEID eval --gold "$WORK/synth/test.jsonl" --pred "$WORK/union.jsonl" --model-card "$ADAPTER" --card-entry model+patterns
