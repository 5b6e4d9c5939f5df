#!/usr/bin/env bash
# Score an adapter on the project's test sets and record the results in its model card: for each
# set, the model alone, the model unioned with the pattern detectors, and with mention propagation
# on top (what detect and the job run).
#   bash scripts/eval_adapter.sh models/smollm2-135m-deid-v2 [ENGINE]
#   SETS="handwritten synth-v2-test" N=200 bash scripts/eval_adapter.sh models/...   # a subset, first N docs
# The sets:
#   synth-v2-test  synthetic data v2, seed 21, made by the generator as of commit 1dc4653^ (the v3 kinds added in
#                  1dc4653 changed the output of every seed): git worktree add /tmp/v2gen 1dc4653^, then there:
#                  deid data synth --out <repo>/data/synth-v2 --seed 21 --n-train 6000; skipped when missing
#   synth-v1-test  the old generator's seed-13 split, kept for comparison with earlier adapters; made by the
#                  generator as of commit e14adc5 (git worktree add /tmp/v1 e14adc5, then there:
#                  deid data synth --out <repo>/data/synth); skipped when data/synth/test.jsonl is missing
#   handwritten    data/eval/handwritten.jsonl: written by hand, not by the generator (never tune on it; the
#                  pattern detectors were revised after reading its misses, so it is no longer blind)
#   handwritten2   data/eval/handwritten2.jsonl: written by hand and blind, after that revision; read since
#   handwritten3   data/eval/handwritten3.jsonl: written by hand and blind; scored once blind, read since
#   handwritten4   data/eval/handwritten4.jsonl: written by hand and blind; scored once blind, read since
#   handwritten5   data/eval/handwritten5.jsonl: written by hand and blind; scored once blind, read since
#   handwritten6   data/eval/handwritten6.jsonl: written by hand and blind; scored once blind, read since
#   handwritten7   data/eval/handwritten7.jsonl: written by hand and blind; scored once blind, read since
#   handwritten8   data/eval/handwritten8.jsonl: written by hand and blind; scored once blind, read since
#   handwritten9   data/eval/handwritten9.jsonl: written by hand and blind, the guard now (see data/eval/README.md)
# CONF: the job config whose decoding and tau the model pass uses (default conf/job/local.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."
ADAPTER=${1:?usage: eval_adapter.sh ADAPTER_DIR [vllm|transformers]}
ENGINE=${2:-vllm}
SETS=${SETS:-synth-v2-test synth-v1-test handwritten handwritten2 handwritten3 handwritten4 handwritten5 handwritten6 handwritten7 handwritten8 handwritten9}
CONF=${CONF:-conf/job/local.yaml}
N=${N:-0}
DEID=.venv/bin/deid
WORK=runs/eval-$(basename "$ADAPTER")
mkdir -p "$WORK"

gold_of() {
    case "$1" in
        synth-v2-test) echo data/synth-v2/test.jsonl ;;
        synth-v1-test) echo data/synth/test.jsonl ;;
        handwritten) echo data/eval/handwritten.jsonl ;;
        handwritten2) echo data/eval/handwritten2.jsonl ;;
        handwritten3) echo data/eval/handwritten3.jsonl ;;
        handwritten4) echo data/eval/handwritten4.jsonl ;;
        handwritten5) echo data/eval/handwritten5.jsonl ;;
        handwritten6) echo data/eval/handwritten6.jsonl ;;
        handwritten7) echo data/eval/handwritten7.jsonl ;;
        handwritten8) echo data/eval/handwritten8.jsonl ;;
        handwritten9) echo data/eval/handwritten9.jsonl ;;
        *) echo "unknown test set $1" >&2; exit 2 ;;
    esac
}

for SET in $SETS; do
    GOLD=$(gold_of "$SET")
    if [ ! -f "$GOLD" ]; then
        echo "skipping $SET: $GOLD is missing (see the comment at the top of this script)" >&2
        continue
    fi
    OUT="$WORK/$SET"
    rm -rf "$OUT" && mkdir -p "$OUT"
    if [ "$N" -gt 0 ]; then head -n "$N" "$GOLD" > "$OUT/gold.jsonl"; else cp "$GOLD" "$OUT/gold.jsonl"; fi
    $DEID detect --input "$OUT/gold.jsonl" --output "$OUT/model.jsonl" --model "$ADAPTER" --engine "$ENGINE" --conf "$CONF" --no-patterns --no-propagate
    # The detector's own safety nets (deid.detect.complete_spans) over the model's spans, without a second model pass.
    .venv/bin/python scripts/rescore.py "$OUT"
    $DEID eval --gold "$OUT/gold.jsonl" --pred "$OUT/model.jsonl" --model-card "$ADAPTER" --card-entry "$SET/model" | tee "$OUT/model.txt"
    $DEID eval --gold "$OUT/gold.jsonl" --pred "$OUT/union.jsonl" --model-card "$ADAPTER" --card-entry "$SET/model+patterns" | tee "$OUT/union.txt"
    $DEID eval --gold "$OUT/gold.jsonl" --pred "$OUT/job.jsonl" --model-card "$ADAPTER" --card-entry "$SET/job" | tee "$OUT/job.txt"
done
