"""Documents -> the review page: choose the documents shown, cut texts into highlighted pieces, render.

The page is one HTML file rendered by Jinja2 from ``templates/review.html.j2``, with its CSS and JS
inline; it references no other file and nothing on the network.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import jinja2
from markupsafe import Markup, escape

from deid.detect import STATUSES
from deid.entities import DEFAULT_ENTITY_SET, load_entity_set
from deid.review.documents import ReviewDoc, ReviewField, ReviewSpan

DEFAULT_SAMPLE = 200  # documents on a page: every one up to this many, then a seeded sample
SECRET_KEY_ENV = "DEID_SECRET_KEY"
# Light colours that keep black text readable, one per label of the default entity set in its order
# (so a label has the same colour on every page); other labels take them in turn after those.
PALETTE = (
    "#ffd54f", "#81d4fa", "#a5d6a7", "#f48fb1", "#ce93d8", "#ffab91", "#80cbc4", "#e6ee9c", "#b0bec5",
    "#ffcc80", "#9fa8da", "#c5e1a5", "#f8bbd0", "#b39ddb", "#80deea", "#fff59d", "#bcaaa4", "#ef9a9a",
    "#dce775", "#4dd0e1", "#ffb74d", "#aed581", "#e1bee7", "#90caf9",
)  # fmt: skip


@dataclass(frozen=True)
class Piece:
    """A run of a text's characters covered by the same spans (none: plain text)."""

    text: str
    spans: tuple[int, ...]  # indices into the field's spans


def cut_pieces(text: str, spans: Sequence[ReviewSpan]) -> list[Piece]:
    """``text`` cut at every span boundary; concatenated, the pieces are the text again."""
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    return [
        Piece(text[a:b], tuple(i for i, s in enumerate(spans) if s.start <= a and b <= s.end)) for a, b in zip(cuts, cuts[1:])
    ]


@dataclass(frozen=True)
class Selection:
    """The documents a page shows, and how they were chosen."""

    docs: list[ReviewDoc]
    matching: int  # documents that passed the filters, before sampling
    statuses: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    seed: int = 0

    def describe(self) -> str:
        text = f"{len(self.docs)} of {self.matching} documents" + (f" (a sample, seed {self.seed})" if len(self.docs) < self.matching else "")
        filters = ([f"status {' or '.join(self.statuses)}"] if self.statuses else []) + ([f"a {' or '.join(self.labels)} span"] if self.labels else [])
        return text + (" with " + " and ".join(filters) if filters else "")


def select_documents(
    docs: Sequence[ReviewDoc], statuses: Sequence[str] = (), labels: Sequence[str] = (), sample: int = DEFAULT_SAMPLE, seed: int = 0
) -> Selection:
    """Documents with one of ``statuses`` and a span of one of ``labels`` (empty: any), then at most ``sample`` of them.

    Above ``sample``, a random sample seeded by ``seed``, kept in input order.
    """
    if sample < 1:
        raise ValueError(f"sample must be at least 1, got {sample}")
    chosen = [d for d in docs if (not statuses or d.status in statuses) and (not labels or d.labels & set(labels))]
    keep = range(len(chosen)) if len(chosen) <= sample else sorted(random.Random(seed).sample(range(len(chosen)), sample))
    return Selection([chosen[i] for i in keep], len(chosen), tuple(statuses), tuple(labels), seed)


def _ordered_statuses(seen: set[str]) -> list[str]:
    return [s for s in STATUSES if s in seen] + sorted(seen - set(STATUSES))


def _text(value: str) -> Markup:
    """HTML-escaped text whose CRs survive parsing (the parser turns a raw CR or CRLF into LF, shifting offsets)."""
    return escape(value).replace("\r", Markup("&#13;"))


def _tooltip(spans: Sequence[ReviewSpan]) -> str:
    return " + ".join(s.label if s.confidence is None else f"{s.label} {s.confidence:.2f}" for s in spans)


def _field_view(field: ReviewField, label_ids: dict[str, int]) -> dict[str, Any]:
    pieces = []
    for p in cut_pieces(field.text or "", field.spans):
        covering = [field.spans[i] for i in p.spans]
        pieces.append(
            {
                "text": p.text,
                "spans": " ".join(map(str, p.spans)),
                "label_id": label_ids[covering[0].label] if covering else None,
                "tooltip": _tooltip(covering),
            }
        )
    return {"name": field.name, "has_text": bool(field.text), "pieces": pieces, "redacted": field.redacted, "n_spans": len(field.spans)}


def _doc_view(doc: ReviewDoc, label_ids: dict[str, int]) -> dict[str, Any]:
    confidences = [s.confidence for f in doc.fields for s in f.spans if s.confidence is not None]
    return {
        "id": doc.id,
        "status": doc.status,
        "fidelity": doc.fidelity,
        "min_confidence": min(confidences) if confidences else None,
        "label_ids": " ".join(str(label_ids[label]) for label in sorted(doc.labels)),
        "n_spans": sum(len(f.spans) for f in doc.fields),
        "fields": [_field_view(f, label_ids) for f in doc.fields],
    }


def label_colours(labels: Sequence[str]) -> dict[str, str]:
    """A colour per label: the default entity set's labels by their place in it, the others after them."""
    known = load_entity_set(DEFAULT_ENTITY_SET).names
    others = sorted(set(labels) - set(known))
    order = {label: i for i, label in enumerate([*known, *others])}
    return {label: PALETTE[order[label] % len(PALETTE)] for label in labels}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    env.filters["text"] = _text
    return env


def render_page(all_docs: Sequence[ReviewDoc], selection: Selection, report: dict[str, Any], source: str) -> str:
    """The page: a summary of ``all_docs`` (statuses, entities per label, the run's identity), then the selection.

    Raises if the policy's secret key, when set in the environment, would appear on the page.
    """
    shown = selection.docs
    entities = Counter(s.label for d in all_docs for f in d.fields for s in f.spans)
    labels = sorted(set(entities) | {label for d in shown for label in d.labels})
    label_ids = {label: i for i, label in enumerate(labels)}
    colours = label_colours(labels)
    statuses = Counter(d.status for d in all_docs)
    html = (
        _environment()
        .get_template("review.html.j2")
        .render(
            source=source,
            selection=selection.describe(),
            report=report,
            n_docs=len(all_docs),
            n_shown=len(shown),
            statuses=[(s, statuses[s]) for s in _ordered_statuses(set(statuses))],
            shown_statuses=_ordered_statuses({d.status for d in shown}),
            labels=[{"id": i, "name": label, "colour": colours[label], "count": entities[label]} for i, label in enumerate(labels)],
            max_count=max(entities.values(), default=0),
            docs=[_doc_view(d, label_ids) for d in shown],
        )
    )
    key = os.environ.get(SECRET_KEY_ENV)
    if key and key in html:
        raise RuntimeError(f"the review page would contain the value of {SECRET_KEY_ENV}; it was not written")
    return html


def is_remote(uri: str) -> bool:
    return "://" in uri and not uri.startswith("file://")


def write_page(uri: str, html: str, allow_remote: bool = False) -> None:
    """Write the page; a local file is made readable by its owner only, and a remote URI needs ``allow_remote``."""
    if is_remote(uri):
        if not allow_remote:
            raise ValueError(
                f"refusing to write the review page to {uri.split('://')[0]}:// storage: the page holds PHI in the clear; "
                "write it to a local file, or pass --allow-remote if that storage is cleared for PHI"
            )
        import smart_open

        with smart_open.open(uri, "w", encoding="utf-8") as f:
            f.write(html)
        return
    path = Path(uri.removeprefix("file://"))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(html)
    os.chmod(path, 0o600)  # also when the file was there before with wider permissions
