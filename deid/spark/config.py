"""Job settings from ``conf/job/*.yaml`` (a path or URI): Spark master and conf, batch sizes, engine options."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field, fields
from typing import Any, Mapping

import smart_open
import yaml

from deid.detect import DetectConfig
from deid.conf import CONF_DIR
from deid.inference.base import ENGINES

DEFAULT_JOB_CONFIG = CONF_DIR / "job" / "local.yaml"
_KEYS = {"master", "spark", "detector_batch_size", "engine", "detect", "max_error_share"}
# Constructor arguments the job passes itself; a config may not set them.
_ENGINE_ARGS_OWNED = {"self", "model_path", "adapter", "model", "tokenizer", "echo"}  # echo: from detect.decoding


def _engine_params(kind: str) -> list[str]:
    if kind == "vllm":
        from deid.inference.vllm import VllmEngine as cls
    else:
        from deid.inference.transformers import TransformersEngine as cls  # type: ignore[assignment]
    return sorted(set(inspect.signature(cls.__init__).parameters) - _ENGINE_ARGS_OWNED)


@dataclass(frozen=True)
class JobConfig:
    master: str | None = field(default="local[*]", metadata={"help": "Spark master, unless spark-submit or --master gives one"})
    spark: Mapping[str, str] = field(default_factory=dict, metadata={"help": "Spark settings, name -> value"})
    detector_batch_size: int = field(default=64, metadata={"help": "texts per detector call; enough windows to keep the engine full"})
    engine: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, metadata={"help": "engine kind -> constructor options"})
    detect: DetectConfig = field(default_factory=DetectConfig, metadata={"help": "windowing and fail-closed settings"})
    max_error_share: float = field(default=0.0, metadata={"help": "share of rows with status error above which the job exits non-zero"})

    def __post_init__(self) -> None:
        if self.detector_batch_size < 1:
            raise ValueError(f"detector_batch_size must be at least 1, got {self.detector_batch_size}")
        if not 0.0 <= self.max_error_share <= 1.0:
            raise ValueError(f"max_error_share must be a share in [0, 1], got {self.max_error_share}")
        for kind, options in self.engine.items():
            if kind not in ENGINES:
                raise ValueError(f"job config: unknown engine {kind!r} under 'engine'; expected one of {ENGINES}")
            unknown = sorted(set(options) - set(_engine_params(kind)))
            if unknown:
                raise ValueError(f"job config: engine {kind!r} takes options {_engine_params(kind)}, not {unknown}")

    def engine_options(self, kind: str) -> tuple[tuple[str, Any], ...]:
        """The options for one engine kind, as a hashable, ordered tuple."""
        return tuple(sorted(self.engine.get(kind, {}).items()))


def job_config_from_dict(raw: Mapping[str, Any]) -> JobConfig:
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ValueError(f"job config has unknown entries {unknown}; allowed are {sorted(_KEYS)}")
    detect_keys = {f.name for f in fields(DetectConfig)}
    detect = raw.get("detect") or {}
    if set(detect) - detect_keys:
        raise ValueError(f"job config: 'detect' takes {sorted(detect_keys)}, not {sorted(set(detect) - detect_keys)}")
    options: dict[str, Any] = {"detect": DetectConfig(**detect)}
    if "master" in raw:  # null means: spark-submit --master decides
        options["master"] = raw["master"]
    if "detector_batch_size" in raw:
        options["detector_batch_size"] = int(raw["detector_batch_size"])
    if "max_error_share" in raw:
        options["max_error_share"] = float(raw["max_error_share"])
    options["spark"] = {str(k): _spark_value(v) for k, v in (raw.get("spark") or {}).items()}
    options["engine"] = {str(k): dict(v or {}) for k, v in (raw.get("engine") or {}).items()}
    return JobConfig(**options)


def _spark_value(value: Any) -> str:
    """Spark wants strings; YAML booleans become Spark's ``true``/``false``."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def load_job_config(uri: str) -> JobConfig:
    """The job config at a path or URI."""
    with smart_open.open(str(uri), encoding="utf-8") as f:
        raw = yaml.safe_load(f) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"job config {uri} is not a mapping")
    return job_config_from_dict(raw)
