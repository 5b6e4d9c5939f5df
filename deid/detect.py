"""Detection: text -> spans with a status, through the model (fail-closed) or the pattern detectors.

A document is ``ok`` when every window's output reproduced its input faithfully; otherwise the
model's output is not trusted and the document is ``fallback`` (pattern spans plus the spans that did
align) or ``suppressed`` (the whole text is withheld), as configured. It never passes through with
fewer protections than the pattern detectors give.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal, Sequence

from deid.entities import EntitySet
from deid.inference.base import Engine, Generation
from deid.parse import ParseResult, parse_json, parse_tagged
from deid.patterns import detect_patterns
from deid.propagate import propagate_mentions
from deid.prompt import OutputFormat, build_prompt, render_prompt
from deid.spans import Span
from deid.windows import Window, merge_spans, split_windows

log = logging.getLogger(__name__)

Status = Literal["ok", "fallback", "suppressed", "empty", "error"]
STATUSES: tuple[str, ...] = ("ok", "fallback", "suppressed", "empty", "error")


@dataclass(frozen=True)
class DetectConfig:
    fidelity_threshold: float = field(default=0.95, metadata={"help": "below this share of input reproduced, the output is not trusted"})
    on_untrusted: Literal["fallback", "suppressed"] = field(default="fallback", metadata={"help": "status of an untrusted document"})
    union_patterns: bool = field(default=True, metadata={"help": "add pattern-detector spans to the model's (recall safety net)"})
    propagate: bool = field(default=True, metadata={"help": "also mark every other occurrence of a detected value (deid.propagate)"})
    window_chars: int = field(default=1200, metadata={"help": "longest input given to the model at once, in characters"})
    window_overlap: int = field(default=150, metadata={"help": "characters shared by consecutive windows"})
    answer_token_factor: float = field(default=2.0, metadata={"help": "token cap per window = factor x input tokens + 64 (inline format)"})
    json_answer_token_factor: float = field(
        default=5.0,
        metadata={"help": "the same for the JSON format, whose answer spends about 30 tokens per entity (dense short texts need up to ~3.7)"},
    )
    max_new_tokens: int = field(default=4096, metadata={"help": "upper bound on the token cap of any window"})

    def __post_init__(self) -> None:
        if not 0.0 <= self.fidelity_threshold <= 1.0:
            raise ValueError("fidelity_threshold must be in [0, 1]")
        if self.on_untrusted not in ("fallback", "suppressed"):
            raise ValueError("on_untrusted must be 'fallback' or 'suppressed'")


@dataclass(frozen=True)
class Detection:
    spans: tuple[Span, ...]
    status: Status
    fidelity: float = 1.0
    generated_tokens: int = 0


class PatternDetector:
    """The deterministic baseline: pattern detectors only."""

    name = "patterns"

    def __init__(self, entities: EntitySet) -> None:
        self.labels = entities.names

    def detect(self, texts: Sequence[str]) -> list[Detection]:
        return [
            Detection(tuple(detect_patterns(t, self.labels)), "ok") if t else Detection((), "empty") for t in texts
        ]


class ModelDetector:
    """The fine-tuned model through an engine, with windows, pattern union and fail-closed statuses."""

    name = "model"

    def __init__(self, engine: Engine, entities: EntitySet, fmt: OutputFormat = "inline", config: DetectConfig | None = None) -> None:
        self.engine = engine
        self.entities = entities
        self.fmt: OutputFormat = fmt
        self.config = config or DetectConfig()
        self._parse = parse_tagged if fmt == "inline" else parse_json

    def detect(self, texts: Sequence[str]) -> list[Detection]:
        """Detections for a batch; all windows of all documents go to the engine together."""
        jobs = [(d, w) for d, t in enumerate(texts) if t for w in split_windows(t, self.config.window_chars, self.config.window_overlap)]
        outputs = self._generate([texts[d][w.start : w.end] for d, w in jobs])
        per_doc: dict[int, list[tuple[Window, Generation | None]]] = {}
        for (d, w), out in zip(jobs, outputs):
            per_doc.setdefault(d, []).append((w, out))
        return [self._combine(t, per_doc.get(d, [])) if t else Detection((), "empty") for d, t in enumerate(texts)]

    def _generate(self, pieces: list[str]) -> list[Generation | None]:
        """Engine outputs for window texts; ``None`` for all of them if the engine fails."""
        if not pieces:
            return []
        tok = self.engine.tokenizer
        prompts = [render_prompt(tok, build_prompt(self.entities, p, self.fmt)) for p in pieces]
        factor = self.config.json_answer_token_factor if self.fmt == "json" else self.config.answer_token_factor
        caps = [min(self.config.max_new_tokens, int(factor * len(tok(p, add_special_tokens=False)["input_ids"])) + 64) for p in pieces]
        try:
            outputs = list(self.engine.generate(prompts, caps))
        except Exception as exc:  # noqa: BLE001 - any engine failure makes the batch untrusted, never lost
            log.error("engine failed on a batch of %d windows: %s", len(pieces), type(exc).__name__)
            return [None] * len(pieces)
        if len(outputs) != len(pieces):
            log.error("engine returned %d outputs for %d windows; the batch is untrusted", len(outputs), len(pieces))
            return [None] * len(pieces)
        return outputs

    def _combine(self, text: str, windows: list[tuple[Window, Generation | None]]) -> Detection:
        spans: list[Span] = []
        matched = 0.0
        tokens = 0
        trusted = True
        for w, out in windows:
            piece = text[w.start : w.end]
            if out is None:
                trusted = False
                continue
            result: ParseResult = self._parse(piece, out.text, self.entities.names)
            matched += result.fidelity * len(piece)
            tokens += out.tokens
            trusted &= out.finished and result.fidelity >= self.config.fidelity_threshold
            spans.extend(Span(s.start + w.start, s.end + w.start, s.label) for s in result.spans)
        fidelity = matched / sum(w.end - w.start for w, _ in windows)
        status: Status = "ok" if trusted else self.config.on_untrusted
        spans = complete_spans(text, spans, self.entities.names, self.config, with_patterns=self.config.union_patterns or status != "ok")
        return Detection(tuple(spans), status, round(fidelity, 4), tokens)


def complete_spans(text: str, model_spans: Sequence[Span], labels: Sequence[str], config: DetectConfig, with_patterns: bool) -> list[Span]:
    """The model's spans with the safety nets the config turns on (pattern union, mention propagation), merged."""
    spans = list(model_spans)
    if with_patterns:
        spans.extend(detect_patterns(text, labels))
    if config.propagate:
        spans = propagate_mentions(text, spans)
    return merge_spans(spans)
