#!/usr/bin/env bash
# De-identify the bundled sample notes with the Spark job (local Spark), show the run report and a
# few redacted rows, and write the review page (out/sample/review.html). Uses the trained adapter
# when there is one, else the pattern detector.
#   bash scripts/demo.sh            (after `make setup`; `make demo` runs it; DEID_VERBOSE=1 for logs)
set -euo pipefail
cd "$(dirname "$0")/.."

PY="$PWD/.venv/bin/python"
MODEL="${DEID_MODEL:-models/smollm2-135m-deid-v5}"
DEMO="${DEID_DEMO_OUT:-out/sample}"
OUT="$DEMO/notes"  # the job's output (Parquet); the review page goes beside it, not into it
VERBOSE=()
[[ -n "${DEID_VERBOSE:-}" ]] && VERBOSE=(-v)
# Spark's Python workers (and the driver, under spark-submit) must use the venv: it has pyarrow and deid.
export PYSPARK_PYTHON="$PY" PYSPARK_DRIVER_PYTHON="$PY"

DETECTOR=model
if [[ ! -f "$MODEL/adapter_model.safetensors" ]]; then
  echo "no trained adapter at $MODEL (train one with \`deid train\`); using the pattern detectors only"
  DETECTOR=patterns
fi

ARGS=(jobs/deid.py --input data/sample/notes.parquet --output "$OUT"
      --text-col note_text --text-col addendum --id-col note_id --patient-col patient_id
      --model "$MODEL" --detector "$DETECTOR" "${VERBOSE[@]}")
if [[ -x .venv/bin/spark-submit ]]; then
  QUIET_SPARK=()  # the driver JVM's start-up notices, without DEID_VERBOSE
  [[ -z "${DEID_VERBOSE:-}" ]] && QUIET_SPARK=(--driver-java-options "-Dlog4j.configurationFile=conf/job/log4j2-quiet.properties")
  .venv/bin/spark-submit "${QUIET_SPARK[@]}" "${ARGS[@]}"
else
  "$PY" "${ARGS[@]}"
fi

"$PY" - "$OUT" <<'PYTHON'
import json
import sys
import textwrap

import pyarrow.dataset as ds

out = sys.argv[1]
with open(f"{out}/_deid_report.json", encoding="utf-8") as f:
    report = json.load(f)
print(f"\nreport {out}/_deid_report.json: {report['rows_out']} rows, statuses {report['status_counts']}")
rows = ds.dataset(out, format="parquet", partitioning="hive").to_table().sort_by("note_id").slice(0, 3).to_pylist()
for row in rows:
    print(f"\n--- {row['note_id']} [{row['deid_status']}] note_text_deid:")
    print(textwrap.indent(textwrap.shorten(row["note_text_deid"] or "", 400, placeholder=" ..."), "    "))
PYTHON

"$PY" -m deid.cli "${VERBOSE[@]}" review --input "$OUT" --id-field note_id --output "$DEMO/review.html"
echo "open it in a browser: file://$(realpath "$DEMO/review.html")"
