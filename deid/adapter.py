"""Trained adapters on disk: their settings, a content hash, and the merged checkpoint engines load."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from deid.entities import EntitySet, load_entity_set
from deid.prompt import OutputFormat

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ADAPTER = PROJECT_ROOT / "models" / "smollm2-135m-deid-v5"
_WEIGHTS = "adapter_model.safetensors"
# What an adapter folder holds: weights, peft config, resolved training config. The hash covers all three.
ADAPTER_FILES = (_WEIGHTS, "adapter_config.json", "train_config.yaml")


@dataclass(frozen=True)
class Adapter:
    path: Path
    name: str
    base_model: Path
    entities: EntitySet
    format: OutputFormat
    sha256: str  # of the adapter weights and config: identifies the model in outputs and manifests

    @property
    def model_id(self) -> str:
        return f"{self.name}@{self.sha256[:12]}"


def _resolve(path: str) -> Path:
    """A path from a saved config: absolute, else relative to the working directory, else to the project."""
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p
    return PROJECT_ROOT / p


def load_adapter(path: str | Path = DEFAULT_ADAPTER) -> Adapter:
    """Read an adapter folder written by ``deid train``, with a clear error when it is not one."""
    path = Path(path)
    cfg_file = path / "train_config.yaml"
    if not (path / _WEIGHTS).is_file() or not cfg_file.is_file():
        raise FileNotFoundError(f"{path} is not a trained adapter (needs {_WEIGHTS} and train_config.yaml); train one with `deid train`")
    cfg = yaml.safe_load(cfg_file.read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    for name in ADAPTER_FILES:
        digest.update((path / name).read_bytes())
    return Adapter(
        path=path,
        name=str(cfg["name"]),
        base_model=_resolve(str(cfg["base_model"])),
        entities=load_entity_set(cfg["entities"]),
        format=cfg["format"],
        sha256=digest.hexdigest(),
    )


def merged_checkpoint(adapter: Adapter, cache_dir: Path | None = None) -> Path:
    """A checkpoint with the adapter merged into the base weights (built once per adapter hash).

    Runtime LoRA was measured about 5x slower than merged weights on CPU, so engines load this.
    """
    out = (cache_dir or adapter.path / "merged") / adapter.sha256[:12]
    if (out / "model.safetensors").is_file():
        return out
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if not adapter.base_model.exists():
        raise FileNotFoundError(f"base model {adapter.base_model} is missing; run `deid models prepare` first")
    log.info("merging adapter %s into its base model", adapter.model_id)
    out.parent.mkdir(parents=True, exist_ok=True)
    # A staging folder of this process's own: two jobs merging the same adapter at once do not collide.
    staging = Path(tempfile.mkdtemp(prefix=f"{out.name}.", suffix=".partial", dir=out.parent))
    try:
        with _quiet_transformers():
            base = AutoModelForCausalLM.from_pretrained(str(adapter.base_model), dtype=torch.float32)
            merged = PeftModel.from_pretrained(base, str(adapter.path)).merge_and_unload()
            merged.save_pretrained(staging, safe_serialization=True)
            AutoTokenizer.from_pretrained(str(adapter.base_model)).save_pretrained(staging)
        (staging / "deid_adapter.json").write_text(json.dumps({"adapter": adapter.model_id}), encoding="utf-8")
        try:
            staging.rename(out)
        except OSError:
            if not (out / "model.safetensors").is_file():  # not "another process published it first"
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


@contextmanager
def _quiet_transformers() -> Iterator[None]:
    """transformers' load and save progress bars off (they are not deid's output), restored after."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()
