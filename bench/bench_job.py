"""Throughput of the Spark job (vLLM), old and new decoding, against a naive transformers baseline, with MFU.

Run by hand (not a test); see bench/README.md. One run:

1. writes a Parquet of synthetic notes, half short clinician search queries, half ~300-token notes;
2. runs ``jobs/deid.py --engine vllm`` on it in a subprocess, twice: with the previous default
   decoding (free decoding, float32, torch.compile) and with the job config's (by default
   ``conf/job/local.yaml``), and reads each ``_deid_report.json``;
3. runs the same model and prompt through transformers ``generate``, one document at a time, on the
   first documents (the same mix of shapes);
4. measures this CPU's matmul peak (float32 and bfloat16) and estimates each run's MFU against the
   peak of the dtype it computed in;
5. prints a markdown report (and writes it with ``--out``).

No note text is printed: the report holds counts and timings only.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import count
from pathlib import Path
from typing import Any, Iterator, Sequence

import click

import yaml

from deid.adapter import DEFAULT_ADAPTER, PROJECT_ROOT, Adapter, load_adapter, merged_checkpoint
from deid.detect import DetectConfig
from deid.inference.vllm import default_dtype
from deid.prompt import build_prompt, render_prompt
from deid.spark.config import DEFAULT_JOB_CONFIG, load_job_config
from deid.spark.report import REPORT_NAME
from deid.windows import split_windows

# --- defaults, in one place ---------------------------------------------------------------------
N_DOCS = 64  # documents in the job's input, half of each shape
BASELINE_DOCS = 8  # documents the naive baseline runs (the first ones: half of each shape)
NOTE_TOKENS = 300  # length of a long note, in the model's tokens
SEED = 0  # synthetic data seed
SYNTH_CHUNK = 64  # synthetic documents generated per call while collecting shapes
QUERY_GENRE = "search_query"  # the synth genre of short clinician search queries
MATMUL_SIZE = 2048  # side of the square matrices timed for the CPU peak
MATMUL_SECONDS = 3.0  # time spent per dtype measuring the peak, in seconds
# vLLM's CPU backend KV-cache block (vllm/platforms/cpu.py default); prefix-cache hits are whole blocks.
PREFIX_BLOCK_TOKENS = 128
JOB_SCRIPT = PROJECT_ROOT / "jobs" / "deid.py"
# The decoding every run used before echo decoding: what "old" overrides in the job config.
OLD_ENGINE = {"dtype": "float32", "compile": True}
OLD_DETECT = {"decoding": "free", "tau": None}


# --- data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    note_id: str
    text: str
    shape: str  # "query" or "note"


def _synth_stream(seed: int) -> Iterator[Any]:
    """Synthetic documents without end; each chunk is its own deterministic split."""
    from deid.train.synth import generate

    for chunk in count():
        yield from generate(SYNTH_CHUNK, seed, f"bench-{chunk}")


def _cut_to_tokens(tokenizer: Any, text: str, tokens: int) -> str:
    """The longest whitespace-ended prefix of ``text`` within its first ``tokens`` tokens."""
    offsets = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
    if len(offsets) <= tokens:
        return text
    head = text[: offsets[tokens - 1][1]]
    cut = max(head.rfind(" "), head.rfind("\n"))
    return (head[:cut] if cut > 0 else head).rstrip()


def make_notes(n: int, tokenizer: Any, seed: int = SEED, note_tokens: int = NOTE_TOKENS) -> list[Note]:
    """``n`` notes alternating query, long note, query, ...: any even-length prefix has half of each."""
    queries: list[str] = []
    notes: list[str] = []
    pending: list[str] = []
    for doc in _synth_stream(seed):
        if doc.genre == QUERY_GENRE:
            if len(queries) < n // 2:
                queries.append(doc.text)
        elif len(notes) < n // 2:
            pending.append(doc.text)
            joined = "\n\n".join(pending)
            if len(tokenizer(joined, add_special_tokens=False)["input_ids"]) >= note_tokens:
                notes.append(_cut_to_tokens(tokenizer, joined, note_tokens))
                pending = []
        if len(queries) + len(notes) == n:
            break
    shapes = [("query", queries[i // 2]) if i % 2 == 0 else ("note", notes[i // 2]) for i in range(n)]
    return [Note(f"bench-{i:05d}", text, shape) for i, (shape, text) in enumerate(shapes)]


def write_parquet(notes: Sequence[Note], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"note_id": [d.note_id for d in notes], "note_text": [d.text for d in notes]})
    pq.write_table(table, path)


# --- the job ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobRun:
    """Figures from the job's run report; ``seconds`` is its extract + transform + load wall clock."""

    docs: int
    seconds: float
    engine_start_s: float  # the slowest engine start (engines in different workers start in parallel)
    engine_starts: int
    generated_tokens: int
    statuses: dict[str, int]
    wall_s: float  # the whole subprocess, Spark start and planning included
    name: str = "job"
    dtype: str = "float32"  # what the engine computed in

    @property
    def steady_seconds(self) -> float:
        return self.seconds - self.engine_start_s


def old_config(conf: Path, out: Path) -> Path:
    """``conf`` with the previous default decoding (``OLD_ENGINE``, ``OLD_DETECT``), written to ``out``."""
    raw = yaml.safe_load(conf.read_text(encoding="utf-8")) or {}
    raw.setdefault("engine", {}).setdefault("vllm", {}).update(OLD_ENGINE)
    raw.setdefault("detect", {}).update(OLD_DETECT)
    out.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return out


def run_job(input_path: Path, output: Path, model: str, log_path: Path, conf: Path, name: str) -> JobRun:
    """``jobs/deid.py --engine vllm --conf conf`` in a subprocess; its log goes to ``log_path``."""
    cmd = [sys.executable, str(JOB_SCRIPT), "--input", str(input_path), "--output", str(output), "--conf", str(conf),
           "--text-col", "note_text", "--id-col", "note_id", "--model", model, "--engine", "vllm"]  # fmt: skip
    started = time.perf_counter()
    with log_path.open("w", encoding="utf-8") as log:
        # The work folder as cwd: Spark's scratch files (spark-warehouse, derby.log) land there.
        done = subprocess.run(cmd, cwd=log_path.parent, stdout=log, stderr=subprocess.STDOUT, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        raise click.ClickException(f"the job failed (exit {done.returncode}); last lines of {log_path}:\n" + "\n".join(tail))
    report = json.loads((output / REPORT_NAME).read_text(encoding="utf-8"))
    if not report["complete"]:
        raise click.ClickException(f"the job wrote {report['rows_out']} rows for {report['rows_in']}; see {output / REPORT_NAME}")
    dtype = load_job_config(str(conf)).engine.get("vllm", {}).get("dtype") or default_dtype(on_gpu=False)
    return JobRun(
        docs=report["rows_processed"],
        seconds=report["seconds"],
        engine_start_s=report["engine_start_s_max"],
        engine_starts=report["engine_starts"],
        generated_tokens=report["generated_tokens"],
        statuses=report["status_counts"],
        wall_s=wall,
        name=name,
        dtype=dtype,
    )


@dataclass(frozen=True)
class PromptTokens:
    """The job's prompt tokens over all windows, full and with the shared prefix cached."""

    windows: int
    full: int  # every prompt token of every window
    shared_prefix: int  # tokens every prompt starts with
    cacheable_prefix: int  # of those, the whole prefix-cache blocks

    def computed(self, engines: int) -> int:
        """Estimate with prefix caching: each window's tokens after the cached blocks, plus those blocks once per engine."""
        return self.full - self.windows * self.cacheable_prefix + engines * self.cacheable_prefix


def _common_prefix(seqs: Sequence[Sequence[int]]) -> int:
    first = seqs[0]
    n = min(len(s) for s in seqs)
    for i in range(n):
        if any(s[i] != first[i] for s in seqs):
            return i
    return n


def job_prompt_tokens(notes: Sequence[Note], adapter: Adapter, tokenizer: Any, detect: DetectConfig) -> PromptTokens:
    """The prompts the job builds (the same windows and template), tokenized as its vLLM engine does."""
    pieces = [d.text[w.start : w.end] for d in notes for w in split_windows(d.text, detect.window_chars, detect.window_overlap)]
    prompts = [render_prompt(tokenizer, build_prompt(adapter.entities, p, adapter.format)) for p in pieces]
    ids = [tokenizer(p, add_special_tokens=False)["input_ids"] for p in prompts]
    shared = _common_prefix(ids)
    return PromptTokens(len(pieces), sum(len(i) for i in ids), shared, shared // PREFIX_BLOCK_TOKENS * PREFIX_BLOCK_TOKENS)


# --- the naive baseline -------------------------------------------------------------------------


@dataclass(frozen=True)
class BaselineRun:
    docs: int
    seconds: float  # generation only, model load excluded
    prompt_tokens: int
    generated_tokens: int  # the end-of-turn token counted, as the job counts it


def answer_cap(tokenizer: Any, text: str, detect: DetectConfig, fmt: str) -> int:
    """The job's token cap for a text (``DetectConfig.answer_cap``)."""
    return detect.answer_cap(len(tokenizer(text, add_special_tokens=False)["input_ids"]), fmt)  # type: ignore[arg-type]


def run_baseline(notes: Sequence[Note], adapter: Adapter, model: Any, tokenizer: Any, detect: DetectConfig) -> BaselineRun:
    """Greedy ``generate`` on one whole document at a time, the job's prompt and cap."""
    import torch

    model.eval()
    prompt_tokens = generated = 0
    started = time.perf_counter()
    for note in notes:
        prompt = render_prompt(tokenizer, build_prompt(adapter.entities, note.text, adapter.format))
        enc = tokenizer(prompt, return_tensors="pt", add_special_tokens=False)
        with torch.inference_mode():
            out = model.generate(
                **enc,
                max_new_tokens=answer_cap(tokenizer, note.text, detect, adapter.format),
                do_sample=False,
                pad_token_id=tokenizer.pad_token_id,
                eos_token_id=tokenizer.eos_token_id,
            )
        prompt_tokens += enc["input_ids"].shape[1]
        generated += out.shape[1] - enc["input_ids"].shape[1]  # one sequence: no padding after its end
    return BaselineRun(len(notes), time.perf_counter() - started, prompt_tokens, generated)


# --- the CPU's peak -----------------------------------------------------------------------------


def matmul_peak(dtype: Any, size: int = MATMUL_SIZE, seconds: float = MATMUL_SECONDS) -> float:
    """FLOP/s of repeated square ``size`` matmuls in ``dtype`` for about ``seconds`` (2 size^3 FLOPs each)."""
    import torch

    a = torch.randn(size, size, dtype=dtype)
    b = torch.randn(size, size, dtype=dtype)
    torch.matmul(a, b)  # warm-up: thread pool and kernel selection
    done = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        torch.matmul(a, b)
        done += 1
    return 2 * size**3 * done / elapsed


# --- the report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Results:
    command: str
    adapter: Adapter
    notes: Sequence[Note]
    note_tokens: dict[str, float]  # mean tokens per shape
    jobs: tuple[JobRun, ...]
    prompts: PromptTokens
    baseline: BaselineRun
    n_params: int
    peak_fp32: float
    peak_bf16: float
    matmul_size: int
    torch_threads: int


def _rate(n: float, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("nan")


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _throughput_table(r: Results) -> list[str]:
    base_docs = _rate(r.baseline.docs, r.baseline.seconds)
    base_toks = _rate(r.baseline.generated_tokens, r.baseline.seconds)
    lines = [
        "| run | docs | seconds | docs/s | generated tokens/s | docs/s ÷ baseline | tokens/s ÷ baseline |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for job in r.jobs:
        for what, seconds in (("whole run", job.seconds), ("excluding engine start", job.steady_seconds)):
            d, t = _rate(job.docs, seconds), _rate(job.generated_tokens, seconds)
            lines.append(
                f"| job, {job.name}, {what} | {job.docs} | {seconds:.1f} | {d:.3f} | {t:.1f} | {d / base_docs:.2f}x | {t / base_toks:.2f}x |"
            )
    lines.append(
        f"| naive baseline (transformers, 1 doc at a time) | {r.baseline.docs} | {r.baseline.seconds:.1f} "
        f"| {base_docs:.3f} | {base_toks:.1f} | 1.00x | 1.00x |"
    )
    return lines


def _mfu_table(r: Results) -> list[str]:
    p = r.prompts
    rows = []
    for job in r.jobs:
        rows.append((f"job, {job.name}, prefix cache (estimate)", job.dtype, p.computed(job.engine_starts), job.generated_tokens, job.steady_seconds))
        rows.append((f"job, {job.name}, full prompts (upper bound)", job.dtype, p.full, job.generated_tokens, job.steady_seconds))
    rows.append(("naive baseline", "float32", r.baseline.prompt_tokens, r.baseline.generated_tokens, r.baseline.seconds))
    lines = [
        "| compute | dtype | prompt tokens | generated tokens | GFLOP | GFLOP/s | MFU vs its dtype's peak |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, dtype, prompt, gen, seconds in rows:
        flops = 2 * r.n_params * (prompt + gen)
        rate = _rate(flops, seconds)
        peak = r.peak_bf16 if dtype == "bfloat16" else r.peak_fp32
        lines.append(f"| {name} | {dtype} | {prompt} | {gen} | {flops / 1e9:.1f} | {rate / 1e9:.1f} | {rate / peak:.2%} |")
    return lines


def render(r: Results) -> str:
    """The markdown report: context, throughput table, MFU table, assumptions."""
    p = r.prompts
    shapes = ", ".join(f"{sum(d.shape == s for d in r.notes)} {s} (mean {t:.0f} tokens)" for s, t in r.note_tokens.items())
    return "\n".join(
        [
            "## Job throughput (bench/bench_job.py)",
            "",
            f"- command: `{r.command}`",
            f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
            f"- machine: nproc {len(os.sched_getaffinity(0))}, {_cpu_model()}; torch {_torch_version()}, {r.torch_threads} threads",
            f"- model: {r.adapter.model_id}, {r.n_params / 1e6:.1f}M parameters (merged checkpoint)",
            f"- input: {len(r.notes)} documents: {shapes}; the job cut them into {p.windows} windows",
            *[
                f"- job, {job.name} ({job.dtype}): {job.engine_starts} engine start(s), slowest {job.engine_start_s:.1f} s; "
                f"subprocess wall clock {job.wall_s:.1f} s (Spark start and planning included); statuses: "
                + ", ".join(f"{k} {v}" for k, v in sorted(job.statuses.items()))
                for job in r.jobs
            ],
            f"- old: the job config with engine {OLD_ENGINE} and detect {OLD_DETECT}; new: the job config as it is",
            "",
            *_throughput_table(r),
            "",
            f"The baseline runs the first {r.baseline.docs} documents only (half of each shape), so the "
            "ratios compare per-document rates on the same mix of shapes. The job's seconds are its "
            "report's extract + transform + load; excluding engine start subtracts the slowest engine "
            "start, the steady state of a nightly job whose engine lives on.",
            "",
            f"### Model FLOP utilisation (CPU peak: fp32 {r.peak_fp32 / 1e9:.1f} GFLOP/s, bf16 {r.peak_bf16 / 1e9:.1f} GFLOP/s)",
            "",
            *_mfu_table(r),
            "",
            "Assumptions:",
            f"- peak: torch.matmul of {r.matmul_size}x{r.matmul_size} matrices repeated for ~{MATMUL_SECONDS:.0f} s per dtype, "
            f"2n^3 FLOPs each, torch's default threads ({r.torch_threads}), measured in this run.",
            "- model FLOPs = 2 x n_params x (prompt tokens computed + generated tokens); attention-score FLOPs "
            "are left out, and the tied embedding counts once, as the LM head (vLLM computes logits only at "
            "the last prompt position, so prompt tokens are slightly overcounted).",
            f"- prefix cache: every prompt starts with the same {p.shared_prefix} tokens; vLLM caches whole "
            f"{PREFIX_BLOCK_TOKENS}-token blocks (CPU default), so {p.cacheable_prefix} of them are computed once per "
            "engine and every window computes the rest. The upper bound computes every prompt in full.",
            "- job MFU uses the job's seconds excluding engine start (Spark read/write included), against the "
            "matmul peak of the dtype the engine computed in.",
            "- generated tokens include the end-of-turn token, in the job (vLLM's count) and the baseline alike.",
            "",
        ]
    )


def _torch_version() -> str:
    import torch

    return torch.__version__


# --- command ------------------------------------------------------------------------------------


def resolve_adapter(model: str) -> Adapter:
    """The adapter at ``model``, with an error saying what to pass when it is missing."""
    path = Path(model)
    if not path.exists():
        hint = "the default adapter" if path == DEFAULT_ADAPTER else "the adapter"
        raise click.ClickException(
            f"{hint} folder {path} does not exist; pass --model PATH to a trained adapter folder (from `deid train`)"
        )
    try:
        return load_adapter(path)
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from None


def _check_sizes(n: int, baseline_n: int) -> None:
    if n < 2 or n % 2:
        raise click.BadParameter(f"needs an even number >= 2 (half queries, half notes), got {n}", param_hint="--n")
    if baseline_n < 2 or baseline_n % 2 or baseline_n > n:
        raise click.BadParameter(
            f"needs an even number between 2 and --n ({n}) so both shapes are equal, got {baseline_n}", param_hint="--baseline-n"
        )


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--n", "n", type=int, default=N_DOCS, show_default=True, help="Documents in the job's input: half queries, half notes.")
@click.option("--baseline-n", type=int, default=BASELINE_DOCS, show_default=True, help="First documents the naive baseline runs.")
@click.option("--model", default=str(DEFAULT_ADAPTER), show_default=True, help="Adapter folder (local).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write the markdown report here.")
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep input, job output and log here [default: a temporary folder, removed].",
)
@click.option("--matmul-size", type=int, default=MATMUL_SIZE, show_default=True, help="Side of the square matmuls timed for the CPU peak.")
@click.option("--seed", type=int, default=SEED, show_default=True, help="Synthetic data seed.")
def main(n: int, baseline_n: int, model: str, out: Path | None, work_dir: Path | None, matmul_size: int, seed: int) -> None:
    """Benchmark jobs/deid.py (vLLM) against naive transformers generate; print a markdown report."""
    _check_sizes(n, baseline_n)
    adapter = resolve_adapter(model)
    if work_dir is None:
        with tempfile.TemporaryDirectory(prefix="deid-bench-") as tmp:
            report = bench(adapter, n, baseline_n, Path(tmp), matmul_size, seed)
    else:
        work_dir.mkdir(parents=True, exist_ok=True)
        report = bench(adapter, n, baseline_n, work_dir, matmul_size, seed)
    click.echo(report)
    if out is not None:
        out.write_text(report, encoding="utf-8")
        click.echo(f"written to {out}", err=True)


def bench(adapter: Adapter, n: int, baseline_n: int, work: Path, matmul_size: int, seed: int) -> str:
    """Data, job, baseline, peak; the markdown report."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    checkpoint = merged_checkpoint(adapter)
    tokenizer = AutoTokenizer.from_pretrained(str(checkpoint))
    conf = Path(DEFAULT_JOB_CONFIG)
    detect = load_job_config(str(conf)).detect  # the job runs with its default config
    notes = make_notes(n, tokenizer, seed)
    write_parquet(notes, work / "notes.parquet")
    note_tokens = {
        shape: sum(len(tokenizer(d.text, add_special_tokens=False)["input_ids"]) for d in notes if d.shape == shape) / (n // 2)
        for shape in ("query", "note")
    }

    jobs = []
    for name, job_conf in (("old", old_config(conf, work / "old.yaml")), ("new", conf)):
        click.echo(f"job, {name}: {n} documents through jobs/deid.py --engine vllm (log: {work / f'job-{name}.log'})", err=True)
        jobs.append(run_job(work / "notes.parquet", work / f"out-{name}", str(adapter.path), work / f"job-{name}.log", job_conf, name))
    prompts = job_prompt_tokens(notes, adapter, tokenizer, detect)

    click.echo(f"naive baseline: {baseline_n} documents, one at a time", err=True)
    hf_model = AutoModelForCausalLM.from_pretrained(str(checkpoint), dtype=torch.float32)
    baseline = run_baseline(notes[:baseline_n], adapter, hf_model, tokenizer, detect)
    n_params = sum(p.numel() for p in hf_model.parameters())  # tied weights once
    del hf_model

    click.echo("CPU matmul peak: float32, bfloat16", err=True)
    peak_fp32 = matmul_peak(torch.float32, matmul_size)
    peak_bf16 = matmul_peak(torch.bfloat16, matmul_size)
    command = shlex.join(["python", *sys.argv])
    results = Results(
        command, adapter, notes, note_tokens, tuple(jobs), prompts, baseline, n_params, peak_fp32, peak_bf16, matmul_size, torch.get_num_threads()
    )
    return render(results)


if __name__ == "__main__":
    main()
