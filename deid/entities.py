"""Entity label sets, loaded from ``conf/entities/*.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from deid.conf import resolve_conf

DEFAULT_ENTITY_SET = "hipaa"

_TAG = re.compile(r"</?([A-Za-z_][A-Za-z0-9_]*)>")


@dataclass(frozen=True)
class EntityLabel:
    name: str
    description: str


@dataclass(frozen=True)
class WorkedExample:
    """The prompt's one worked example: the tagged answer (plain text is derived) and its explanation."""

    tagged: str
    explanation: str

    @property
    def text(self) -> str:
        return _TAG.sub("", self.tagged)


@dataclass(frozen=True)
class EntitySet:
    name: str
    labels: tuple[EntityLabel, ...]
    rules: tuple[str, ...]
    example: WorkedExample

    def __post_init__(self) -> None:
        names = [label.name for label in self.labels]
        if not names:
            raise ValueError(f"entity set {self.name!r} has no labels")
        if len(set(names)) != len(names):
            raise ValueError(f"entity set {self.name!r} lists a label twice")
        for name in names:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise ValueError(f"label {name!r} in entity set {self.name!r} is not a valid tag name")
        unknown = {m.group(1) for m in _TAG.finditer(self.example.tagged)} - set(names)
        if unknown:
            raise ValueError(f"the worked example of entity set {self.name!r} uses unknown labels {sorted(unknown)}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)


def resolve_entity_path(name_or_path: str | Path) -> Path:
    """A bundled set name (``hipaa``) or a path to a YAML file."""
    return resolve_conf("entities", name_or_path, "entity set")


def load_entity_set(name_or_path: str | Path = DEFAULT_ENTITY_SET) -> EntitySet:
    """Load an entity set by bundled name or YAML path."""
    raw = yaml.safe_load(resolve_entity_path(name_or_path).read_text(encoding="utf-8"))
    return EntitySet(
        name=raw["name"],
        labels=tuple(EntityLabel(str(d["name"]), " ".join(str(d["description"]).split())) for d in raw["labels"]),
        rules=tuple(" ".join(str(r).split()) for r in raw.get("rules") or ()),
        example=WorkedExample(
            tagged=" ".join(str(raw["example"]["tagged"]).split()),
            explanation=" ".join(str(raw["example"]["explanation"]).split()),
        ),
    )
