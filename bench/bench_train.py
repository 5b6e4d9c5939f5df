"""Training throughput: the loop as it was against the loop as it is, on the same batches, in one run.

    .venv/bin/python bench/bench_train.py --steps 3 --threads 1 --out bench/results_train.md

Both loops run the real model, the real prompt and ``deid.train.collate.batch_loss`` on the same
documents in the same batches, each batch through both loops in turn (so a noisy neighbour slows both
alike; one warm-up batch, not timed), a full AdamW step per batch:

- **before**: fp32 base weights under bf16 autocast, LoRA dropout 0.05, gradients through the shared
  prompt prefix (the settings of ``smollm2-135m-deid`` and ``-e2``);
- **after**: bf16 base weights (LoRA weights and optimizer fp32) under bf16 autocast, no LoRA dropout,
  the prefix under ``no_grad`` (``TrainConfig`` defaults now).

Tokens are counted as ``deid train`` counts them (the shared prefix once per batch, plus each
document's unpadded suffix). MFU is 6 x parameters x tokens per second over this CPU's bf16 matmul
peak, measured in the same run: it is the same numerator for both loops, so the MFU ratio is the
speed ratio; the after loop does less work per token (no prefix backward), so its MFU is "as if".
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_job import matmul_peak  # noqa: E402 - the same peak measurement as the job benchmark

LOOPS = {
    "before": {"bf16_weights": False, "lora_dropout": 0.05, "prefix_grad": True},
    "after": {"bf16_weights": True, "lora_dropout": 0.0, "prefix_grad": False},
}


@dataclass(frozen=True)
class LoopResult:
    name: str
    docs: int
    tokens: int
    seconds: float

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.seconds

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.seconds


def _batches(tok: Any, data: Path, batch_size: int, steps: int) -> list[list[Any]]:
    """``steps + 1`` batches of mid-length training documents (the first is the warm-up)."""
    from deid.evaluate import read_documents
    from deid.train.config import TrainConfig
    from deid.train.lora import build_examples

    docs = read_documents(data)[: 4 * batch_size * (steps + 1)]
    examples = sorted(build_examples(tok, docs, TrainConfig()), key=lambda e: len(e.input_ids))
    middle = len(examples) // 2 - batch_size * (steps + 1) // 2
    return [examples[middle + i * batch_size : middle + (i + 1) * batch_size] for i in range(steps + 1)]


def build_loop(name: str, base_model: str) -> dict[str, Any]:
    """Model, optimizer and settings of one loop."""
    import torch

    from deid.train.config import TrainConfig
    from deid.train.lora import _trainable_in_fp32, attach_lora, load_base

    settings = LOOPS[name]
    cfg = TrainConfig(base_model=base_model, lora_dropout=settings["lora_dropout"])
    tok, base = load_base(base_model, bf16=settings["bf16_weights"])
    model = attach_lora(base, cfg)
    _trainable_in_fp32(model)
    model.train()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-5)
    return {"name": name, "tok": tok, "model": model, "opt": opt, "prefix_grad": settings["prefix_grad"]}


def step(loop: dict[str, Any], group: list[Any]) -> tuple[float, int]:
    """One optimizer step of ``loop`` on ``group``: (seconds, tokens counted as deid train counts them)."""
    import torch

    from deid.train.collate import batch_loss, collate, common_prefix_length

    batch = collate(group, loop["tok"].pad_token_id, common_prefix_length(group))
    started = time.perf_counter()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        loss = batch_loss(loop["model"], batch, prefix_grad=loop["prefix_grad"])
    loss.backward()
    loop["opt"].step()
    loop["opt"].zero_grad(set_to_none=True)
    return time.perf_counter() - started, len(batch.prefix_ids) + sum(sum(m) for m in batch.attention_mask)


def run_interleaved(base_model: str, batches: list[list[Any]]) -> list[LoopResult]:
    """Each batch through every loop in turn, so a noisy neighbour slows both loops alike; batch 0 is a warm-up."""
    loops = [build_loop(name, base_model) for name in LOOPS]
    totals = {name: [0, 0, 0.0] for name in LOOPS}
    for i, group in enumerate(batches):
        for loop in loops:
            seconds, tokens = step(loop, group)
            click.echo(f"{loop['name']} step {i}{' (warm-up)' if i == 0 else ''}: {seconds:.1f} s, {tokens} tokens", err=True)
            if i:
                t = totals[loop["name"]]
                t[0], t[1], t[2] = t[0] + len(group), t[1] + tokens, t[2] + seconds
    return [LoopResult(name, docs, tokens, seconds) for name, (docs, tokens, seconds) in totals.items()]


def render(results: list[LoopResult], n_params: int, peak_bf16: float, threads: int, command: str) -> str:
    before, after = results
    rows = [
        f"| {r.name} | {r.docs} | {r.seconds:.1f} | {r.docs_per_s:.3f} | {r.tokens_per_s:.0f} "
        f"| {6 * n_params * r.tokens_per_s / peak_bf16:.1%} |"
        for r in results
    ]
    return "\n".join(
        [
            f"`{command}` ({threads} torch thread(s); bf16 matmul peak {peak_bf16 / 1e9:.0f} GFLOP/s in this run)",
            "",
            "| loop | documents | seconds | documents/s | tokens/s | MFU vs bf16 peak |",
            "|---|---:|---:|---:|---:|---:|",
            *rows,
            "",
            f"after / before: **{after.tokens_per_s / before.tokens_per_s:.2f}x** tokens/s",
        ]
    )


@click.command()
@click.option("--base-model", default="models/base/smollm2-135m-instruct", show_default=True)
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=Path("data/synth/train.jsonl"), show_default=True)
@click.option("--batch-size", type=click.IntRange(1), default=8, show_default=True)
@click.option("--steps", type=click.IntRange(1), default=3, show_default=True, help="Timed steps per loop (after one warm-up).")
@click.option("--threads", type=click.IntRange(1), default=1, show_default=True, help="torch threads (1: stable on a shared machine).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write the markdown here.")
def main(base_model: str, data: Path, batch_size: int, steps: int, threads: int, out: Path | None) -> None:
    """Print training tokens/s and MFU of the old and the new loop on the same batches."""
    import torch
    from transformers import AutoTokenizer

    torch.set_num_threads(threads)
    tok = AutoTokenizer.from_pretrained(base_model)
    batches = _batches(tok, data, batch_size, steps)
    results = run_interleaved(base_model, batches)
    click.echo("CPU matmul peak: bfloat16", err=True)
    peak = matmul_peak(torch.bfloat16)
    from transformers import AutoConfig

    n_params = _n_params(base_model, AutoConfig)
    command = " ".join(["python", *sys.argv])
    report = render(results, n_params, peak, threads, command)
    click.echo(report)
    if out:
        out.write_text(report + "\n", encoding="utf-8")


def _n_params(base_model: str, auto_config: Any) -> int:
    """Parameters of the base model (embeddings included, as in the job benchmark's MFU)."""
    import torch
    from transformers import AutoModelForCausalLM

    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(auto_config.from_pretrained(base_model))
    return sum(p.numel() for p in model.parameters())


if __name__ == "__main__":
    main()
