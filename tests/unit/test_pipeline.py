"""Tests for deid.pipeline: one result per row, in order, and no row ever keeps its text on failure."""

from __future__ import annotations

from typing import Sequence

import pytest

from deid.detect import Detection, EngineUnavailable
from deid.pipeline import Result, deidentify
from deid.redact import Policy, load_policy
from deid.spans import Span

MARKER = "[REDACTED]"  # the suppression marker, spelt out so the expectation is not read from the module

ANN = "Seen by Ann Lee today."  # name 8..15
BOB = "Bob Ray called."  # name 0..7
BAD = "Cal Fox has a text the detector chokes on."  # name 0..7


class NameDetector:
    """Finds the hand-listed names; raises on any batch holding a text it is told to choke on."""

    name = "names"

    def __init__(self, chokes_on: Sequence[str] = (), status: str = "ok") -> None:
        self.chokes_on = set(chokes_on)
        self.status = status
        self.batches: list[list[str]] = []

    def detect(self, texts: Sequence[str]) -> list[Detection]:
        self.batches.append(list(texts))
        if self.chokes_on & set(texts):
            raise RuntimeError("detector failure")
        out = []
        for text in texts:
            spans = [Span(text.index(n), text.index(n) + 7, "PERSON") for n in ("Ann Lee", "Bob Ray", "Cal Fox") if n in text]
            out.append(Detection(tuple(spans), self.status, 0.5, 3))  # type: ignore[arg-type]
        return out


@pytest.fixture(scope="module")
def tag_policy() -> Policy:
    return load_policy("tag", env={})


def test_when_texts_are_ok_then_results_are_redacted_in_order(tag_policy: Policy) -> None:
    results = deidentify([ANN, BOB], NameDetector(), tag_policy)
    assert [r.redacted for r in results] == ["Seen by [PERSON] today.", "[PERSON] called."]
    assert [r.status for r in results] == ["ok", "ok"]
    assert results[0] == Result((Span(8, 15, "PERSON"),), "Seen by [PERSON] today.", "ok", 0.5, 3)


@pytest.mark.parametrize(
    ("texts", "redacted"),
    [
        pytest.param([None], [None], id="null"),
        pytest.param([""], [""], id="empty"),
        pytest.param([None, ANN, "", BOB], [None, "Seen by [PERSON] today.", "", "[PERSON] called."], id="mixed"),
        pytest.param([], [], id="no_rows"),
    ],
)
def test_when_texts_are_null_or_empty_then_status_is_empty_and_the_detector_skips_them(
    tag_policy: Policy, texts: list[str | None], redacted: list[str | None]
) -> None:
    detector = NameDetector()
    results = deidentify(texts, detector, tag_policy)
    assert [r.redacted for r in results] == redacted
    assert [r.status for r in results] == ["empty" if not t else "ok" for t in texts]
    assert all(None not in batch and "" not in batch for batch in detector.batches)


def test_when_detector_fails_on_one_document_then_only_that_one_is_an_error(tag_policy: Policy) -> None:
    detector = NameDetector(chokes_on=[BAD])
    results = deidentify([ANN, BAD, None, BOB], detector, tag_policy)
    assert [r.status for r in results] == ["ok", "error", "empty", "ok"]
    assert [r.redacted for r in results] == ["Seen by [PERSON] today.", MARKER, None, "[PERSON] called."]
    assert "Cal Fox" not in results[1].redacted and results[1].spans == ()
    assert detector.batches == [[ANN, BAD, BOB], [ANN], [BAD], [BOB]]  # the batch, then one by one


def test_when_detector_fails_on_every_document_then_every_row_is_suppressed(tag_policy: Policy) -> None:
    results = deidentify([ANN, BOB], NameDetector(chokes_on=[ANN, BOB]), tag_policy)
    assert [(r.status, r.redacted) for r in results] == [("error", MARKER), ("error", MARKER)]


def test_when_detection_is_error_then_the_text_is_the_marker_not_a_pattern_only_redaction(tag_policy: Policy) -> None:
    [result] = deidentify([ANN], NameDetector(status="error"), tag_policy)
    assert result == Result((Span(8, 15, "PERSON"),), MARKER, "error", 0.5, 3)


def test_when_the_engine_is_unavailable_then_the_error_reaches_the_caller_instead_of_error_rows(tag_policy: Policy) -> None:
    class DeadEngineDetector(NameDetector):
        def detect(self, texts: Sequence[str]) -> list[Detection]:
            raise EngineUnavailable("dead")

    with pytest.raises(EngineUnavailable):
        deidentify([ANN, BOB], DeadEngineDetector(), tag_policy)


def test_when_detection_is_suppressed_then_the_text_is_the_marker_and_spans_are_kept(tag_policy: Policy) -> None:
    [result] = deidentify([ANN], NameDetector(status="suppressed"), tag_policy)
    assert result == Result((Span(8, 15, "PERSON"),), MARKER, "suppressed", 0.5, 3)


def test_when_detection_is_fallback_then_the_text_is_redacted_by_its_spans(tag_policy: Policy) -> None:
    [result] = deidentify([ANN], NameDetector(status="fallback"), tag_policy)
    assert (result.status, result.redacted) == ("fallback", "Seen by [PERSON] today.")


class OutOfRangeDetector:
    name = "broken"

    def detect(self, texts: Sequence[str]) -> list[Detection]:
        return [Detection((Span(0, len(t) + 5, "PERSON"),), "ok") for t in texts]


def test_when_redaction_fails_then_the_row_is_an_error_and_its_text_is_withheld(tag_policy: Policy) -> None:
    [result] = deidentify([BOB], OutOfRangeDetector(), tag_policy)
    assert (result.status, result.redacted) == ("error", MARKER)


class DateDetector:
    name = "dates"

    def detect(self, texts: Sequence[str]) -> list[Detection]:
        return [Detection((Span(t.index("3/4/2021"), t.index("3/4/2021") + 8, "DATE_TIME"),), "ok") for t in texts]


def test_when_patient_ids_are_given_then_each_row_is_redacted_with_its_own() -> None:
    policy = load_policy("surrogate", env={"DEID_SECRET_KEY": "9c4e1f7a2b8d3e6f0a5c7b9d1e3f5a7c"})
    text = "Seen 3/4/2021."
    results = deidentify([text, text, text], DateDetector(), policy, patient_ids=["p1", None, "p1"])
    shifted, unshifted, again = (r.redacted for r in results)
    assert unshifted == "Seen [DATE_TIME]."  # date_shift cannot shift without a patient
    assert shifted == again
    assert shifted != text and shifted.startswith("Seen ") and "[" not in shifted
