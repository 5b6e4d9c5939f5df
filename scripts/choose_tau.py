"""Choose the echo-decoding threshold tau on the validation split, then compare decodings on the test split.

Run by hand (one engine start, then every setting over the same documents):

    taskset -c 1 .venv/bin/python scripts/choose_tau.py --model models/smollm2-135m-deid-e2 --n 32

For each tau (and for free decoding and greedy echo decoding of the same adapter) the job's detector
(``conf/job/local.yaml``: pattern union and mention propagation as configured) runs over the first
``--n`` validation documents; the chosen tau is the one with the most PHI characters covered
(character recall) among those with character precision >= ``--min-precision``. The same settings
then run over the first ``--n`` test documents. Prints markdown tables (counts and scores only, no
text) and the ``detect:`` lines to put in the job config.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import click

from deid.adapter import DEFAULT_ADAPTER, load_adapter, merged_checkpoint
from deid.detect import DetectConfig, ModelDetector, ModelFactory
from deid.evaluate import Document, Report, evaluate
from deid.spans import Span
from deid.spark.config import DEFAULT_JOB_CONFIG, load_job_config

TAUS = (0.5, 0.3, 0.15, 0.05)
MIN_PRECISION = 0.95


@dataclass(frozen=True)
class Row:
    setting: str
    tau: float | None
    report: Report
    fidelity_min: float
    statuses: dict[str, int]
    seconds: float
    tokens: int


def _documents(path: Path, n: int) -> list[Document]:
    docs = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs.append(Document(d["id"], d["text"], tuple(Span.from_dict(s) for s in d["spans"])))
            if len(docs) == n:
                break
    return docs


def _run(detector: ModelDetector, config: DetectConfig, docs: list[Document], setting: str) -> Row:
    detector.config = config
    started = time.perf_counter()
    found = detector.detect([d.text or "" for d in docs])
    seconds = time.perf_counter() - started
    pred = [Document(d.id, d.text, f.spans) for d, f in zip(docs, found)]
    statuses: dict[str, int] = {}
    for f in found:
        statuses[f.status] = statuses.get(f.status, 0) + 1
    tokens = sum(f.generated_tokens for f in found)
    return Row(setting, config.tau, evaluate(docs, pred), min(f.fidelity for f in found), statuses, seconds, tokens)


def _table(rows: list[Row]) -> list[str]:
    lines = [
        "| decoding | tau | PHI char recall | PHI char precision | leaked entities | span F1 (strict) | min fidelity | statuses | docs/s | generated tokens/s |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in rows:
        rep = r.report
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(r.statuses.items()))
        tau = "—" if r.tau is None else f"{r.tau:g}"
        n = rep.documents
        lines.append(
            f"| {r.setting} | {tau} | {rep.phi_char_recall:.3f} | {rep.phi_char_precision:.3f} | {rep.leaked_entities} of {rep.gold_entities} "
            f"| {rep.strict.f1:.3f} | {r.fidelity_min:.3f} | {statuses} | {n / r.seconds:.2f} | {r.tokens / r.seconds:.1f} |"
        )
    return lines


def _settings(base: DetectConfig, taus: tuple[float, ...]) -> list[tuple[str, DetectConfig]]:
    return [("free", replace(base, decoding="free", tau=None)), ("echo, greedy", replace(base, decoding="echo", tau=None))] + [
        ("echo", replace(base, decoding="echo", tau=t)) for t in taus
    ]


def choose(rows: list[Row], min_precision: float) -> Row | None:
    """The echo row with the highest PHI character recall among those at or above ``min_precision`` (ties: higher tau)."""
    ok = [r for r in rows if r.setting == "echo" and r.report.phi_char_precision >= min_precision]
    return max(ok, key=lambda r: (r.report.phi_char_recall, -r.report.leaked_entities, r.tau or 0.0), default=None)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--model", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_ADAPTER, show_default=True)
@click.option("--data-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("data/synth"), show_default=True)
@click.option("--n", type=click.IntRange(1), default=32, show_default=True, help="Documents per split (the first ones).")
@click.option("--taus", default=",".join(map(str, TAUS)), show_default=True, help="Comma-separated thresholds to try.")
@click.option("--min-precision", type=float, default=MIN_PRECISION, show_default=True, help="PHI character precision the chosen tau must keep.")
@click.option("--conf", "conf_uri", default=str(DEFAULT_JOB_CONFIG), show_default=True, help="Job config: engine and detect settings.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write the markdown here.")
def main(model: Path, data_dir: Path, n: int, taus: str, min_precision: float, conf_uri: str, out: Path | None) -> None:
    """Sweep tau on validation, pick the default, compare decodings on test."""
    adapter = load_adapter(model)
    job = load_job_config(conf_uri)
    grid = tuple(float(t) for t in taus.split(","))
    # One engine for every setting: an echo-capable vLLM engine also serves free decoding.
    factory = ModelFactory("vllm", str(merged_checkpoint(adapter)), adapter.entities, adapter.format, job.engine_options("vllm"), replace(job.detect, decoding="echo"))
    started = time.perf_counter()
    detector = factory.build()
    start_s = time.perf_counter() - started
    val = _documents(data_dir / "val.jsonl", n)
    val_rows = [_run(detector, cfg, val, name) for name, cfg in _settings(job.detect, grid)]
    best = choose(val_rows, min_precision)
    test_taus = (best.tau,) if best is not None and best.tau is not None else ()
    test = _documents(data_dir / "test.jsonl", n)
    test_rows = [_run(detector, cfg, test, name) for name, cfg in _settings(job.detect, test_taus)]  # type: ignore[arg-type]
    engine = detector.engine
    lines = [
        f"## Echo decoding and tau ({adapter.model_id})",
        "",
        f"- command: `python {' '.join(sys.argv)}`",
        f"- engine: vLLM, dtype {getattr(engine, 'dtype', '?')}, started in {start_s:.1f} s; detector: {conf_uri} (patterns {job.detect.union_patterns}, propagation {job.detect.propagate})",
        "",
        f"### Validation split, first {len(val)} documents",
        "",
        *_table(val_rows),
        "",
        (
            f"Chosen: tau = {best.tau:g} (highest PHI character recall at precision >= {min_precision:g})."
            if best is not None
            else f"No tau keeps PHI character precision >= {min_precision:g}; keep greedy echo decoding (tau: null)."
        ),
        "",
        f"### Test split, first {len(test)} documents",
        "",
        *_table(test_rows),
        "",
        "Job config:",
        "",
        "```yaml",
        "detect:",
        "  decoding: echo",
        f"  tau: {'null' if best is None or best.tau is None else f'{best.tau:g}'}",
        "```",
        "",
    ]
    report = "\n".join(lines)
    click.echo(report)
    if out is not None:
        out.write_text(report, encoding="utf-8")


if __name__ == "__main__":  # vLLM on CPU needs the guard
    main()
