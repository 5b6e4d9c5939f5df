"""Detection: text -> spans with a status, through the model (fail-closed) or the pattern detectors.

A document is ``ok`` when every window's output reproduced its input faithfully; otherwise the
model's output is not trusted and the document is ``fallback`` (pattern spans plus the spans that did
align) or ``suppressed`` (the whole text is withheld), as configured. It never passes through with
fewer protections than the pattern detectors give.

Engine failures never reduce a document to the pattern detectors: a window too long for the model
is cut smaller before it is sent; a batch the engine fails on is retried in halves down to single
windows; after each failure the engine must answer a one-token health probe, or it is rebuilt
(``engine_rebuilds`` times at most) and otherwise ``EngineUnavailable`` fails the caller, so that
Spark retries the task elsewhere. A document left with a window that has no output is ``error``
(its text is then withheld).
"""

from __future__ import annotations

import bisect
import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Literal, Sequence

from deid.entities import EntitySet
from deid.inference.base import Echo, Engine, Generation
from deid.inference.echo import tagged_ranges
from deid.parse import ParseResult, parse_json, parse_tagged
from deid.patterns import detect_patterns
from deid.propagate import propagate_mentions
from deid.prompt import OutputFormat, build_prompt, render_prompt
from deid.rules import (
    cities_after_places,
    extend_to_rules,
    grow_to_tokens,
    intersections,
    join_pieces,
    names_in_two_scripts,
    split_runaway,
    trim_to_rules,
)
from deid.spans import Span, unite_overlapping
from deid.windows import Window, split_windows

log = logging.getLogger(__name__)

Status = Literal["ok", "fallback", "suppressed", "empty", "error"]
STATUSES: tuple[str, ...] = ("ok", "fallback", "suppressed", "empty", "error")
Decoding = Literal["free", "echo"]
DECODINGS: tuple[str, ...] = ("free", "echo")


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
    engine_rebuilds: int = field(default=2, metadata={"help": "rebuilds of an engine that fails its health probe before the task fails"})
    decoding: Decoding = field(
        default="free", metadata={"help": "free: the model writes what it likes, parse aligns it; echo: only its input with tags (inline format)"}
    )
    tau: float | None = field(
        default=None, metadata={"help": "echo decoding: open a tag where the model's P(open) >= tau; null: greedy under the constraint"}
    )
    tau_capital: float | None = field(
        default=None,
        metadata={"help": "echo decoding: the threshold instead where a capitalised word, a number or another script starts; null: tau"},
    )

    def answer_cap(self, n_tokens: int, fmt: OutputFormat) -> int:
        """The answer's token cap for an input of ``n_tokens`` in format ``fmt``."""
        factor = self.json_answer_token_factor if fmt == "json" else self.answer_token_factor
        return min(self.max_new_tokens, int(factor * n_tokens) + 64)

    def __post_init__(self) -> None:
        if not 0.0 <= self.fidelity_threshold <= 1.0:
            raise ValueError("fidelity_threshold must be in [0, 1]")
        if self.on_untrusted not in ("fallback", "suppressed"):
            raise ValueError("on_untrusted must be 'fallback' or 'suppressed'")
        if self.engine_rebuilds < 0:
            raise ValueError("engine_rebuilds must be 0 or more")
        if self.decoding not in DECODINGS:
            raise ValueError(f"decoding must be one of {DECODINGS}, not {self.decoding!r}")
        if self.tau is not None and not 0.0 <= self.tau <= 1.0:
            raise ValueError(f"tau must be in [0, 1] or null (greedy), not {self.tau}")
        if self.tau_capital is not None and (self.tau is None or not 0.0 <= self.tau_capital <= 1.0):
            raise ValueError(f"tau_capital must be in [0, 1] and needs tau, not {self.tau_capital} with tau {self.tau}")


class EngineUnavailable(RuntimeError):
    """The engine fails its health probe and could not be rebuilt: the caller (a Spark task) must fail."""


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

    def __init__(
        self,
        engine: Engine,
        entities: EntitySet,
        fmt: OutputFormat = "inline",
        config: DetectConfig | None = None,
        rebuild: Callable[[], Engine] | None = None,
    ) -> None:
        self.engine = engine
        self.entities = entities
        self.fmt: OutputFormat = fmt
        self.config = config or DetectConfig()
        self.rebuild = rebuild  # makes a fresh engine when this one dies; None: the task fails instead
        # What the failure path did, for the run report: windows_cut, batches_retried, engine_rebuilds, windows_without_output.
        self.events: Counter[str] = Counter()
        self._parse = parse_tagged if fmt == "inline" else parse_json
        self._prompt_overhead: int | None = None

    def detect(self, texts: Sequence[str]) -> list[Detection]:
        """Detections for a batch; all windows of all documents go to the engine together."""
        jobs = [(d, w) for d, t in enumerate(texts) if t for w in self._fitting_windows(t)]
        outputs = self._generate([texts[d][w.start : w.end] for d, w in jobs])
        per_doc: dict[int, list[tuple[Window, Generation | None]]] = {}
        for (d, w), out in zip(jobs, outputs):
            per_doc.setdefault(d, []).append((w, out))
        return [self._combine(t, per_doc.get(d, [])) if t else Detection((), "empty") for d, t in enumerate(texts)]

    def _cap(self, n_tokens: int) -> int:
        """The answer's token cap for an input of ``n_tokens``."""
        return self.config.answer_cap(n_tokens, self.fmt)

    def _fits(self, piece: str) -> bool:
        """Whether prompt + answer cap for ``piece`` stay within the engine's ``max_model_len``."""
        tok = self.engine.tokenizer
        if self._prompt_overhead is None:
            self._prompt_overhead = len(tok(render_prompt(tok, build_prompt(self.entities, "", self.fmt)), add_special_tokens=False)["input_ids"])
        n = len(tok(piece, add_special_tokens=False)["input_ids"])
        margin = 8  # tokens: a piece may tokenize a little differently inside the template
        return self._prompt_overhead + n + self._cap(n) + margin <= self.engine.max_model_len

    def _fitting_windows(self, text: str) -> list[Window]:
        """The text's windows, each too long for the model cut into halves (on boundaries) until it fits."""
        windows: list[Window] = []
        todo = split_windows(text, self.config.window_chars, self.config.window_overlap)[::-1]
        while todo:
            w = todo.pop()
            size = w.end - w.start
            if size <= 1 or self._fits(text[w.start : w.end]):
                windows.append(w)
                continue
            half = (size + 1) // 2
            parts = split_windows(text[w.start : w.end], half, min(self.config.window_overlap, half // 4))
            log.info("a window of %d characters is too long for the model; cut into %d", size, len(parts))
            self.events["windows_cut"] += 1
            todo.extend(Window(w.start + p.start, w.start + p.end) for p in reversed(parts))
        return windows

    def _generate(self, pieces: list[str]) -> list[Generation | None]:
        """Engine outputs for window texts; ``None`` for a window the engine failed on even alone."""
        if not pieces:
            return []
        tok = self.engine.tokenizer
        prompts = [render_prompt(tok, build_prompt(self.entities, p, self.fmt)) for p in pieces]
        caps = [self._cap(len(tok(p, add_special_tokens=False)["input_ids"])) for p in pieces]
        echo = [Echo(p, self.entities.names, self.config.tau, self.config.tau_capital) for p in pieces] if self.echo else None
        return self._generate_halving(prompts, caps, echo)

    @property
    def echo(self) -> bool:
        """Whether answers are echo-constrained (the inline format only: a JSON answer is no echo)."""
        return self.config.decoding == "echo" and self.fmt == "inline"

    def _generate_halving(self, prompts: list[str], caps: list[int], echo: list[Echo] | None) -> list[Generation | None]:
        """Generate; on failure check the engine, then retry each half, down to single windows."""
        try:
            outputs = list(self.engine.generate(prompts, caps) if echo is None else self.engine.generate(prompts, caps, echo))
            if len(outputs) == len(prompts):
                return outputs
            log.error("engine returned %d outputs for %d windows", len(outputs), len(prompts))
        except Exception as exc:  # noqa: BLE001 - a failed batch is retried in halves, never lost
            log.error("engine failed on a batch of %d windows: %s", len(prompts), type(exc).__name__)
        self._ensure_engine()
        if len(prompts) == 1:
            self.events["windows_without_output"] += 1
            return [None]
        self.events["batches_retried"] += 1
        mid = len(prompts) // 2
        halves = (echo[:mid], echo[mid:]) if echo is not None else (None, None)
        return self._generate_halving(prompts[:mid], caps[:mid], halves[0]) + self._generate_halving(prompts[mid:], caps[mid:], halves[1])

    def _probe(self) -> bool:
        """Whether the engine still answers a one-token request (the failure was the input's, not the engine's)."""
        try:
            prompt = render_prompt(self.engine.tokenizer, build_prompt(self.entities, "ok", self.fmt))
            return len(self.engine.generate([prompt], [1])) == 1
        except Exception as exc:  # noqa: BLE001
            log.error("engine failed its health probe: %s", type(exc).__name__)
            return False

    def _ensure_engine(self) -> None:
        """Return once the engine answers its probe, rebuilding it if needed; else raise ``EngineUnavailable``."""
        if self._probe():
            return
        for attempt in range(1, self.config.engine_rebuilds + 1):
            if self.rebuild is None:
                break
            log.warning("rebuilding the engine (attempt %d of %d)", attempt, self.config.engine_rebuilds)
            self.events["engine_rebuilds"] += 1
            try:
                self.engine = self.rebuild()
            except Exception as exc:  # noqa: BLE001
                log.error("engine rebuild failed: %s", type(exc).__name__)
                continue
            if self._probe():
                return
        tried = f"{self.config.engine_rebuilds} rebuilds did not help" if self.rebuild else "it cannot be rebuilt here"
        raise EngineUnavailable(f"the {self.engine.name} engine fails its health probe and {tried}; failing so the task is retried elsewhere")

    def _combine(self, text: str, windows: list[tuple[Window, Generation | None]]) -> Detection:
        spans: list[Span] = []
        decided: list[Span] = []  # the model's tagged values with its P(open), echo decoding only
        matched = 0.0
        tokens = 0
        trusted = True
        missing = False
        for w, out in windows:
            piece = text[w.start : w.end]
            if out is None:
                missing = True
                continue
            result: ParseResult = self._parse(piece, out.text, self.entities.names)
            matched += result.fidelity * len(piece)
            tokens += out.tokens
            trusted &= out.finished and result.checked and result.fidelity >= self.config.fidelity_threshold
            if self.fmt == "json":  # no echo to check: the answer must at least cover what the patterns see
                trusted &= _covers(result.spans, detect_patterns(piece, self.entities.names))
            spans.extend(Span(s.start + w.start, s.end + w.start, s.label) for s in result.spans)
            if out.tag_confidences:
                ranges = tagged_ranges(out.text)
                decided.extend(Span(a + w.start, b + w.start, label, c) for (a, b, label), c in zip(ranges, out.tag_confidences) if a < b)
        fidelity = matched / sum(w.end - w.start for w, _ in windows)
        # A window with no model output leaves the document without its main protection: withheld.
        status: Status = "error" if missing else "ok" if trusted else self.config.on_untrusted
        spans = complete_spans(text, spans, self.entities.names, self.config, with_patterns=self.config.union_patterns or status != "ok")
        return Detection(tuple(_with_confidence(spans, decided)), status, round(fidelity, 4), tokens)


def _with_confidence(spans: Sequence[Span], decided: Sequence[Span]) -> list[Span]:
    """Each span with the highest confidence of the model's decided values it overlaps (None if none)."""
    if not decided:
        return list(spans)
    decided = sorted(decided)
    starts = [d.start for d in decided]
    longest = max(d.end - d.start for d in decided)
    out = []
    for span in spans:
        # Candidates start before the span ends and no earlier than the longest decided value allows.
        lo, hi = bisect.bisect_left(starts, span.start - longest), bisect.bisect_left(starts, span.end)
        found = [d.confidence for d in decided[lo:hi] if span.start < d.end and d.confidence is not None]
        out.append(replace(span, confidence=max(found)) if found else span)
    return out


@dataclass(frozen=True)
class ModelFactory:
    """The one recipe for a model detector: engine kind and options, checkpoint, labels, format, detect settings.

    Picklable and hashable, so a Spark worker builds one detector (and engine) per recipe; ``deid
    detect``, the job and the benchmark all build through it.
    """

    engine: str = field(metadata={"help": "engine kind: vllm or transformers"})
    model_path: str = field(metadata={"help": "merged checkpoint folder, readable by every worker"})
    entities: EntitySet = field(metadata={"help": "the adapter's label set"})
    fmt: OutputFormat = field(metadata={"help": "the adapter's answer format"})
    engine_options: tuple[tuple[str, Any], ...] = field(default=(), metadata={"help": "engine constructor options"})
    detect: DetectConfig = field(default_factory=DetectConfig, metadata={"help": "windowing, decoding and fail-closed settings"})

    def engine_kwargs(self) -> dict[str, Any]:
        """The engine's constructor options: the configured ones, plus what the decoding mode needs."""
        options = dict(self.engine_options)
        if self.engine == "vllm":
            # vLLM registers its logits processor when the engine starts, not per request.
            options["echo"] = self.detect.decoding == "echo" and self.fmt == "inline"
        return options

    def build_engine(self) -> Engine:
        from deid.inference import create_engine

        return create_engine(self.engine, self.model_path, **self.engine_kwargs())

    def build(self) -> ModelDetector:
        return ModelDetector(self.build_engine(), self.entities, self.fmt, self.detect, rebuild=self.build_engine)


def _covers(spans: Sequence[Span], required: Sequence[Span]) -> bool:
    """Whether every ``required`` span overlaps one of ``spans``."""
    return all(any(s.start < r.end and r.start < s.end for s in spans) for r in required)


def complete_spans(text: str, model_spans: Sequence[Span], labels: Sequence[str], config: DetectConfig, with_patterns: bool) -> list[Span]:
    """The model's spans, grown and cut to the entity set's rules, with the safety nets the config turns on
    (pattern union, mention propagation), merged."""
    spans: list[Span] = []
    for span in model_spans:
        grown = extend_to_rules(text, span)
        pieces = split_runaway(text, grown)
        if pieces is not None:
            spans.extend(pieces)  # what a runaway span still covers is kept whole: its words may be PHI of another label
            continue
        trimmed = trim_to_rules(text, grown)
        if trimmed is not None:
            spans.append(trimmed)
    if with_patterns:
        spans.extend(detect_patterns(text, labels))
    if config.propagate:
        spans = propagate_mentions(text, spans)
    spans = unite_overlapping(spans)
    for rule in (cities_after_places, names_in_two_scripts, intersections, grow_to_tokens, join_pieces):
        spans = rule(text, spans)
    return spans
