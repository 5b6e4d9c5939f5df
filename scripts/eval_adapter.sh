#!/usr/bin/env bash
# Score an adapter on a fresh synthetic test split and record the result in its model card:
# the model alone, the model unioned with the pattern detectors, and with mention propagation on
# top (what detect and the job run).
#   bash scripts/eval_adapter.sh models/smollm2-135m-deid [ENGINE]
set -euo pipefail
cd "$(dirname "$0")/.."
ADAPTER=${1:?usage: eval_adapter.sh ADAPTER_DIR [vllm|transformers]}
ENGINE=${2:-vllm}
DEID=.venv/bin/deid
WORK=runs/eval-$(basename "$ADAPTER")
rm -rf "$WORK" && mkdir -p "$WORK"
$DEID data synth --out "$WORK/synth"
$DEID detect --input "$WORK/synth/test.jsonl" --output "$WORK/model.jsonl" --model "$ADAPTER" --engine "$ENGINE" --no-patterns --no-propagate
# The detector's own safety nets (deid.detect.complete_spans) over the model's spans, without a second model pass.
.venv/bin/python - "$WORK" <<'PYTHON'
import json, sys
from deid.detect import DetectConfig, complete_spans
from deid.entities import load_entity_set
from deid.spans import Span
work = sys.argv[1]
labels = load_entity_set("hipaa").names
gold = {r["id"]: r["text"] for r in map(json.loads, open(f"{work}/synth/test.jsonl", encoding="utf-8"))}
model = [json.loads(line) for line in open(f"{work}/model.jsonl", encoding="utf-8")]
for name, config in (("union", DetectConfig(propagate=False)), ("job", DetectConfig())):
    with open(f"{work}/{name}.jsonl", "w", encoding="utf-8") as out:
        for row in model:
            spans = complete_spans(gold[row["id"]], [Span.from_dict(s) for s in row["spans"]], labels, config, with_patterns=True)
            out.write(json.dumps({"id": row["id"], "spans": [s.to_dict() for s in spans]}) + "\n")
PYTHON
$DEID eval --gold "$WORK/synth/test.jsonl" --pred "$WORK/model.jsonl" --model-card "$ADAPTER"
$DEID eval --gold "$WORK/synth/test.jsonl" --pred "$WORK/union.jsonl" --model-card "$ADAPTER" --card-entry model+patterns
$DEID eval --gold "$WORK/synth/test.jsonl" --pred "$WORK/job.jsonl" --model-card "$ADAPTER" --card-entry job
