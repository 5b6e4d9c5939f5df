"""Records in, de-identified results out: detection, then redaction by policy, never losing a row.

A row that cannot be processed never keeps its original text: its redacted text is the
suppression marker and its status says why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol, Sequence

from deid.detect import Detection, EngineUnavailable, Status
from deid.redact import Policy, redact, suppress
from deid.spans import Span

log = logging.getLogger(__name__)


class Detector(Protocol):
    name: str

    def detect(self, texts: Sequence[str]) -> list[Detection]: ...


@dataclass(frozen=True)
class Result:
    spans: tuple[Span, ...]
    redacted: str | None  # None only for a null input text
    status: Status
    fidelity: float = 1.0
    generated_tokens: int = 0


def _safe_detect(detector: Detector, texts: list[str]) -> list[Detection | None]:
    """Detections for a batch; if the batch fails, each document alone; ``None`` where even that fails."""
    try:
        return list(detector.detect(texts))
    except EngineUnavailable:
        raise  # no document can be processed here; the task must fail and be retried
    except Exception as exc:  # noqa: BLE001 - isolate the failing document instead of losing the batch
        log.error("detector failed on a batch of %d: %s; retrying one by one", len(texts), type(exc).__name__)
    out: list[Detection | None] = []
    for i, text in enumerate(texts):
        try:
            out.append(detector.detect([text])[0])
        except EngineUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001
            log.error("detector failed on document %d of the batch: %s", i, type(exc).__name__)
            out.append(None)
    return out


def _redact_one(text: str, det: Detection | None, policy: Policy, patient_id: str | None) -> Result:
    if det is None:
        return Result((), suppress(text).text, "error")
    if det.status in ("suppressed", "error"):
        return Result(det.spans, suppress(text).text, det.status, det.fidelity, det.generated_tokens)
    try:
        redacted = redact(text, det.spans, policy, patient_id).text
    except Exception as exc:  # noqa: BLE001 - a redaction failure must not let the text through
        log.error("redaction failed (%s); the document is suppressed", type(exc).__name__)
        return Result(det.spans, suppress(text).text, "error", det.fidelity, det.generated_tokens)
    return Result(det.spans, redacted, det.status, det.fidelity, det.generated_tokens)


def deidentify(
    texts: Sequence[str | None], detector: Detector, policy: Policy, patient_ids: Sequence[str | None] | None = None
) -> list[Result]:
    """One result per input text, in order; null and empty texts come back with status ``empty``."""
    patient_ids = patient_ids if patient_ids is not None else [None] * len(texts)
    todo = [i for i, t in enumerate(texts) if t]
    found = _safe_detect(detector, [texts[i] for i in todo]) if todo else []
    by_index = dict(zip(todo, found))
    results: list[Result] = []
    for i, text in enumerate(texts):
        if not text:
            results.append(Result((), text, "empty"))
        else:
            results.append(_redact_one(text, by_index[i], policy, patient_ids[i]))
    return results
