"""Re-score a model pass with the detector's safety nets, without a second model pass.

    .venv/bin/python scripts/rescore.py RUN_DIR

RUN_DIR holds ``gold.jsonl`` and ``model.jsonl`` (``deid detect --no-patterns --no-propagate`` over the gold
texts). Writes ``union.jsonl`` (the model's spans under the entity set's rules, with the pattern detectors)
and ``job.jsonl`` (and mention propagation: what ``deid detect`` and the job run) beside them, through
``deid.detect.complete_spans``; score them with ``deid eval``. Run with ``PYTHONPATH=<an older checkout>``
to score the same model outputs with an older detector.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from deid.detect import DetectConfig, complete_spans
from deid.entities import load_entity_set
from deid.spans import Span


def main(run_dir: Path) -> None:
    labels = load_entity_set("hipaa").names
    with (run_dir / "gold.jsonl").open(encoding="utf-8") as f:
        texts = {row["id"]: row["text"] for row in map(json.loads, f)}
    with (run_dir / "model.jsonl").open(encoding="utf-8") as f:
        model = [json.loads(line) for line in f]
    for name, config in (("union", DetectConfig(propagate=False)), ("job", DetectConfig())):
        with (run_dir / f"{name}.jsonl").open("w", encoding="utf-8") as out:
            for row in model:
                spans = complete_spans(texts[row["id"]], [Span.from_dict(s) for s in row["spans"]], labels, config, with_patterns=True)
                out.write(json.dumps({"id": row["id"], "spans": [s.to_dict() for s in spans]}) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
