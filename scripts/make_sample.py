"""Write data/sample/notes.parquet: synthetic notes for the Spark job's demo (scripts/demo.sh).

Each row has a note and, for most rows, an addendum (another synthetic note); a few addenda are
null or empty, as in real extracts. Run: .venv/bin/python scripts/make_sample.py
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from deid.train.synth import generate

OUT = Path(__file__).resolve().parent.parent / "data" / "sample" / "notes.parquet"
N_NOTES = 20
SEED = 2024
SCHEMA = pa.schema(
    [
        pa.field("note_id", pa.string(), nullable=False),
        pa.field("patient_id", pa.string()),
        pa.field("note_text", pa.string()),
        pa.field("addendum", pa.string()),
    ]
)


def main() -> None:
    notes = generate(N_NOTES, seed=SEED, split="sample")
    addenda = generate(N_NOTES, seed=SEED, split="sample-addendum")
    rows = []
    for i, (note, addendum) in enumerate(zip(notes, addenda)):
        extra = None if i % 7 == 3 else "" if i % 7 == 5 else addendum.text
        rows.append({"note_id": note.id, "patient_id": f"P{i % 8:04d}", "note_text": note.text, "addendum": extra})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), OUT)
    print(f"wrote {len(rows)} notes to {OUT}")


if __name__ == "__main__":
    main()
