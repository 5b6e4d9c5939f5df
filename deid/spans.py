"""The span value object shared by every stage: a labelled character range over the original text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of characters labelled as one PHI entity."""

    start: int
    end: int
    label: str

    def __post_init__(self) -> None:
        if not isinstance(self.start, int) or not isinstance(self.end, int):
            raise TypeError("Span offsets must be integers")
        if not 0 <= self.start < self.end:
            raise ValueError(f"Span [{self.start}, {self.end}) is empty or negative")
        if not self.label:
            raise ValueError("Span label must be a non-empty string")

    def check(self, text: str) -> "Span":
        """Return self, or raise if the span does not fit inside ``text`` (the text itself is never shown)."""
        if self.end > len(text):
            raise ValueError(f"Span [{self.start}, {self.end}) runs past the end of a text of length {len(text)}")
        return self

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Span":
        return cls(start=int(d["start"]), end=int(d["end"]), label=str(d["label"]))


def sort_spans(spans: Iterable[Span]) -> list[Span]:
    """Spans in reading order, duplicates removed."""
    return sorted(set(spans))
