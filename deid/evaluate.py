"""Metrics for predicted PHI spans against gold spans: strict and partial P/R/F1, and leak figures.

Strict and partial follow the SemEval 2013 task 9.1 / MUC scheme over half-open character spans:
per label and document, identical spans are correct; then each remaining prediction, in reading
order, is paired with the first unpaired gold span of the same label it overlaps by at least one
character (a partial match, half credit). Partial credit needs the same label, unlike
nervaluate's label-agnostic 'partial'. nervaluate is not used because its 1.2 release treats ends
as inclusive and skips overlaps under 1% of a gold span; the rule above is short enough to own.

Undefined ratios: with no predictions and no gold both precision and recall are 1.0; otherwise an
undefined precision or recall is 0.0. With no gold PHI characters phi_char_recall is 1.0, and with
no PHI-free documents phi_free_fp_rate is 0.0.

Messages and reports carry file names, line numbers, labels, offsets and counts, never text or ids.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence, TypeVar

from deid.rules import LEADING_TITLE
from deid.spans import Span, sort_spans

_T = TypeVar("_T")


@dataclass(frozen=True)
class Document:
    """One document: its id, its text (None when the file omits it) and its spans in reading order."""

    id: str
    text: str | None
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Scores:
    """Match counts for one label or for all, with precision, recall and F1 derived from them."""

    correct: int = 0  # predictions identical to a gold span
    partial: int = 0  # predictions overlapping a gold span of the same label (half credit)
    actual: int = 0  # predictions
    possible: int = 0  # gold spans

    def __add__(self, other: Scores) -> Scores:
        return Scores(
            self.correct + other.correct,
            self.partial + other.partial,
            self.actual + other.actual,
            self.possible + other.possible,
        )

    @property
    def precision(self) -> float:
        """Credit per prediction."""
        return _ratio(self.correct + 0.5 * self.partial, self.actual, self.possible == 0)

    @property
    def recall(self) -> float:
        """Credit per gold span."""
        return _ratio(self.correct + 0.5 * self.partial, self.possible, self.actual == 0)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def to_dict(self) -> dict[str, float]:
        return {**asdict(self), "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True)
class LabelScores:
    """Strict and partial scores of one label."""

    strict: Scores
    partial: Scores


@dataclass(frozen=True)
class Report:
    """Micro and per-label scores plus label-agnostic leak figures over a set of documents."""

    strict: Scores
    partial: Scores
    per_label: dict[str, LabelScores]
    documents: int
    gold_entities: int
    uncovered_entities: int  # gold spans not wholly covered by the union of predicted spans
    leaked_entities: int  # gold spans with a letter or digit left visible (a leading title does not count)
    phi_chars: int  # characters inside some gold span
    phi_chars_covered: int  # of those, characters inside some predicted span
    pred_chars: int  # characters inside some predicted span
    pred_chars_in_phi: int  # of those, characters inside some gold span
    phi_free_docs: int  # documents without gold spans
    phi_free_docs_with_fp: int  # of those, documents with any predicted span

    @property
    def phi_char_recall(self) -> float:
        """Share of gold PHI characters covered by any predicted span: 1 - character leak rate."""
        return self.phi_chars_covered / self.phi_chars if self.phi_chars else 1.0

    @property
    def phi_char_precision(self) -> float:
        """Share of predicted (redacted) characters that are gold PHI: 1 - over-redaction rate."""
        return self.pred_chars_in_phi / self.pred_chars if self.pred_chars else 1.0

    @property
    def leak_rate(self) -> float:
        """Share of gold entities with a letter or digit left visible."""
        return self.leaked_entities / self.gold_entities if self.gold_entities else 0.0

    @property
    def phi_free_fp_rate(self) -> float:
        """Share of PHI-free documents with any predicted span."""
        return self.phi_free_docs_with_fp / self.phi_free_docs if self.phi_free_docs else 0.0

    def to_dict(self) -> dict[str, Any]:
        counts = {k: v for k, v in asdict(self).items() if isinstance(v, int)}
        return {
            "strict": self.strict.to_dict(),
            "partial": self.partial.to_dict(),
            "per_label": {
                label: {"strict": s.strict.to_dict(), "partial": s.partial.to_dict()}
                for label, s in self.per_label.items()
            },
            **counts,
            "phi_char_recall": self.phi_char_recall,
            "phi_char_precision": self.phi_char_precision,
            "leak_rate": self.leak_rate,
            "phi_free_fp_rate": self.phi_free_fp_rate,
        }


def read_documents(path: str | Path) -> list[Document]:
    """Documents from a JSONL file of {"id", "text"?, "spans"} objects; other keys are ignored."""
    documents: list[Document] = []
    first_line: dict[str, int] = {}
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                document = _parse_document(line)
            except ValueError as e:
                raise ValueError(f"{path}, line {number}: {e}") from None
            if document.id in first_line:
                raise ValueError(
                    f"{path}, line {number}: id repeats the one on line {first_line[document.id]}; ids must be unique"
                )
            first_line[document.id] = number
            documents.append(document)
    return documents


def _parse_document(line: str) -> Document:
    """One JSONL line as a Document; messages name fields and offsets, never values."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"not valid JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(raw, dict):
        raise ValueError("expected a JSON object")
    doc_id, text, spans = raw.get("id"), raw.get("text"), raw.get("spans")
    if not isinstance(doc_id, str) or not doc_id:
        raise ValueError('"id" must be a non-empty string')
    if text is not None and not isinstance(text, str):
        raise ValueError('"text" must be a string when present')
    if not isinstance(spans, list):
        raise ValueError('"spans" must be a list (use [] for a document without PHI)')
    parsed = [_parse_span(i, s) for i, s in enumerate(spans)]
    if text is not None:
        for i, span in enumerate(parsed):
            _with_index(i, span.check, text)
    return Document(id=doc_id, text=text, spans=tuple(sort_spans(parsed)))


def _parse_span(index: int, raw: Any) -> Span:
    """One {"label", "start", "end"} object as a Span."""
    if not isinstance(raw, dict):
        raise ValueError(f"span {index} must be an object with label, start and end")
    start, end, label = raw.get("start"), raw.get("end"), raw.get("label")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise ValueError(f"span {index}: start and end must be integers")
    if not isinstance(label, str):
        raise ValueError(f"span {index}: label must be a string")
    return _with_index(index, Span, start, end, label)


def _with_index(index: int, build: Callable[..., _T], *args: Any) -> _T:
    """Call build(*args), prefixing the span index to its ValueError (whose text holds offsets only)."""
    try:
        return build(*args)
    except ValueError as e:
        raise ValueError(f"span {index}: {e}") from None


def evaluate(gold: Sequence[Document], pred: Sequence[Document], labels: Iterable[str] | None = None) -> Report:
    """Score predictions against gold; a gold document missing from pred predicts nothing.

    labels selects the gold and predicted spans that are scored (default: every label seen). Leak
    figures count every predicted span, whatever its label, since every one is redacted.
    """
    gold_by_id, pred_by_id = _index(gold, "gold"), _index(pred, "pred")
    unknown = len(pred_by_id.keys() - gold_by_id.keys())
    if unknown:
        raise ValueError(f"{unknown} predicted document(s) have ids not in gold; predictions must share gold's ids")
    pairs = [(g.spans, pred_by_id[i].spans if i in pred_by_id else ()) for i, g in gold_by_id.items()]
    texts = [g.text for g in gold_by_id.values()]
    seen = {s.label for g, p in pairs for s in (*g, *p)}
    chosen = sorted(seen if labels is None else set(labels))
    per_label = {label: _label_scores(pairs, label) for label in chosen}
    scored = [([s for s in g if s.label in per_label], p) for g, p in pairs]
    return Report(
        strict=sum((s.strict for s in per_label.values()), Scores()),
        partial=sum((s.partial for s in per_label.values()), Scores()),
        per_label=per_label,
        documents=len(pairs),
        **_leaks(scored, texts),
    )


def _index(documents: Sequence[Document], side: str) -> dict[str, Document]:
    """Documents by id, refusing repeated ids."""
    by_id = {d.id: d for d in documents}
    if len(by_id) != len(documents):
        raise ValueError(f"{len(documents) - len(by_id)} repeated id(s) among {side} documents; ids must be unique")
    return by_id


def _label_scores(pairs: list[tuple[Sequence[Span], Sequence[Span]]], label: str) -> LabelScores:
    """Strict and partial scores of one label summed over documents."""
    strict, partial = Scores(), Scores()
    for gold, pred in pairs:
        g = [s for s in gold if s.label == label]
        p = [s for s in pred if s.label == label]
        correct, overlapping = _match(g, p)
        strict += Scores(correct, 0, len(p), len(g))
        partial += Scores(correct, overlapping, len(p), len(g))
    return LabelScores(strict=strict, partial=partial)


def _match(gold: list[Span], pred: list[Span]) -> tuple[int, int]:
    """Identical pairs, then one-to-one overlapping pairs among the rest with predictions in reading order."""
    exact = set(gold) & set(pred)
    unpaired = [g for g in gold if g not in exact]
    overlapping = 0
    for p in pred:
        hit = None if p in exact else next((g for g in unpaired if p.start < g.end and g.start < p.end), None)
        if hit is not None:
            unpaired.remove(hit)
            overlapping += 1
    return len(exact), overlapping


_LEAK_COUNTS = (
    "gold_entities",
    "uncovered_entities",
    "leaked_entities",
    "phi_chars",
    "phi_chars_covered",
    "pred_chars",
    "pred_chars_in_phi",
    "phi_free_docs",
    "phi_free_docs_with_fp",
)



def _leaks(pairs: list[tuple[Sequence[Span], Sequence[Span]]], texts: Sequence[str | None]) -> dict[str, int]:
    """Label-agnostic counts of gold PHI left uncovered by the union of predicted spans."""
    counts: Counter[str] = Counter()
    for (gold, pred), text in zip(pairs, texts):
        cover = _union(pred)
        gold_cover = _union(gold)
        counts["gold_entities"] += len(gold)
        counts["uncovered_entities"] += sum(_covered(s.start, s.end, cover) < s.end - s.start for s in gold)
        counts["leaked_entities"] += sum(_leaks_a_character(s, text, cover) for s in gold)
        for start, end in gold_cover:
            counts["phi_chars"] += end - start
            counts["phi_chars_covered"] += _covered(start, end, cover)
        for start, end in cover:
            counts["pred_chars"] += end - start
            counts["pred_chars_in_phi"] += _covered(start, end, gold_cover)
        counts["phi_free_docs"] += not gold
        counts["phi_free_docs_with_fp"] += not gold and bool(pred)
    return {k: counts[k] for k in _LEAK_COUNTS}


def _leaks_a_character(span: Span, text: str | None, cover: list[tuple[int, int]]) -> bool:
    """Whether a letter or digit of ``span`` stays visible; without the text, any uncovered character counts."""
    if text is None:
        return _covered(span.start, span.end, cover) < span.end - span.start
    value = text[span.start : span.end]
    title = LEADING_TITLE.match(value)
    start = span.start + (title.end() if title and title.end() < len(value) else 0)
    visible = _uncovered(start, span.end, cover)
    return any(ch.isalnum() for a, b in visible for ch in text[a:b])


def _uncovered(start: int, end: int, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [start, end) outside the disjoint sorted ranges."""
    parts: list[tuple[int, int]] = []
    at = start
    for s, e in ranges:
        if e <= at or s >= end:
            continue
        if s > at:
            parts.append((at, s))
        at = max(at, e)
    if at < end:
        parts.append((at, end))
    return parts


def _union(spans: Iterable[Span]) -> list[tuple[int, int]]:
    """Disjoint sorted [start, end) ranges covering exactly the characters of the spans."""
    merged: list[tuple[int, int]] = []
    for s in sorted(spans):
        if merged and s.start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], s.end))
        else:
            merged.append((s.start, s.end))
    return merged


def _covered(start: int, end: int, ranges: list[tuple[int, int]]) -> int:
    """Characters of [start, end) inside the disjoint ranges."""
    return sum(max(0, min(end, e) - max(start, s)) for s, e in ranges)


def _ratio(numerator: float, denominator: int, both_empty: bool) -> float:
    """numerator / denominator; 1.0 when there is nothing on either side, else 0.0 when undefined."""
    if denominator:
        return numerator / denominator
    return 1.0 if both_empty else 0.0


def format_report(report: Report) -> str:
    """A fixed-width table: one row per label, the micro row, then the leak figures."""
    width = max([5, *map(len, report.per_label)])
    header = (
        f"{'label':<{width}} {'support':>7}   {'strict P':>8} {'R':>5} {'F1':>5}   {'partial P':>9} {'R':>5} {'F1':>5}"
    )
    rows = [_row(label, s.strict, s.partial, width) for label, s in report.per_label.items()]
    leaks = [
        f"documents: {report.documents}",
        f"PHI character recall: {report.phi_char_recall:.3f}"
        f" ({report.phi_chars_covered}/{report.phi_chars} characters)",
        f"PHI character precision: {report.phi_char_precision:.3f}"
        f" ({report.pred_chars_in_phi}/{report.pred_chars} redacted characters)",
        f"leaked entities (a letter or digit visible): {report.leaked_entities} of {report.gold_entities}"
        f" ({report.leak_rate:.2%})",
        f"entities not fully covered: {report.uncovered_entities} of {report.gold_entities}",
        f"PHI-free documents with a prediction: {report.phi_free_docs_with_fp} of {report.phi_free_docs}"
        f" ({report.phi_free_fp_rate:.3f})",
    ]
    rule = "-" * len(header)
    return "\n".join([header, rule, *rows, rule, _row("micro", report.strict, report.partial, width), "", *leaks])


def _row(name: str, strict: Scores, partial: Scores, width: int) -> str:
    """One table row: support, then strict and partial precision, recall and F1."""
    return (
        f"{name:<{width}} {strict.possible:>7}   {strict.precision:>8.3f} {strict.recall:>5.3f} {strict.f1:>5.3f}"
        f"   {partial.precision:>9.3f} {partial.recall:>5.3f} {partial.f1:>5.3f}"
    )
