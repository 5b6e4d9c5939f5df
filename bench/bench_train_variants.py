"""Two training-loop variants against the current loop, on the same batches, interleaved, in one run.

    .venv/bin/python bench/bench_train_variants.py attention   # SDPA (current) against eager attention
    .venv/bin/python bench/bench_train_variants.py batch       # batches of 8 (current) against 16

Both use ``bench_train``'s "after" loop (the ``deid train`` defaults) on one torch thread. Measured on
2026-12-01 (one pinned core, the other training): eager attention 84 against SDPA's 118 tokens/s; batches
of 16, 0.273 against 0.299 documents/s with 8. Neither is an improvement; see README "Training speed".
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_train as bt  # noqa: E402


@click.command()
@click.argument("variant", type=click.Choice(["attention", "batch"]))
@click.option("--base-model", default="models/base/smollm2-135m-instruct", show_default=True)
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=Path("data/synth-v2/train.jsonl"), show_default=True)
@click.option("--steps", type=click.IntRange(1), default=3, show_default=True)
def main(variant: str, base_model: str, data: Path, steps: int) -> None:
    import torch

    torch.set_num_threads(1)
    loop = bt.build_loop("after", base_model)
    model = loop["model"]
    totals: dict[str, list[float]] = {}
    if variant == "attention":
        for i, group in enumerate(bt._batches(loop["tok"], data, 8, steps)):
            for impl in ("sdpa", "eager"):
                model.set_attn_implementation(impl)
                seconds, tokens = bt.step(loop, group)
                if i:  # batch 0 warms up
                    t = totals.setdefault(impl, [0, 0, 0.0])
                    t[0], t[1], t[2] = t[0] + len(group), t[1] + tokens, t[2] + seconds
    else:
        for i, group in enumerate(bt._batches(loop["tok"], data, 16, steps)):
            for size, parts in ((8, [group[:8], group[8:]]), (16, [group])):
                for part in parts:
                    seconds, tokens = bt.step(loop, part)
                    if i:
                        t = totals.setdefault(f"batch {size}", [0, 0, 0.0])
                        t[0], t[1], t[2] = t[0] + len(part), t[1] + tokens, t[2] + seconds
    for name, (docs, tokens, seconds) in totals.items():
        click.echo(f"{name}: {docs / seconds:.3f} documents/s, {tokens / seconds:.0f} tokens/s ({docs} documents, {seconds:.1f} s)")


if __name__ == "__main__":
    main()
