"""Tests for deid.logs and the Spark mapper's partition line: quiet engines without -v, counts only."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator

import pyarrow as pa
import pytest

from deid.entities import DEFAULT_ENTITY_SET, load_entity_set
from deid.logs import configure_logging
from deid.redact import load_policy
from deid.spark.batch import BatchSpec, DeidMapper, PatternFactory


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("VLLM_LOGGING_LEVEL", raising=False)
    monkeypatch.delenv("TORCH_CPP_LOG_LEVEL", raising=False)
    vllm = logging.getLogger("vllm")
    level = vllm.level
    with warnings.catch_warnings():
        yield
    vllm.setLevel(level)


@pytest.mark.parametrize(("verbose", "expected"), [(False, "ERROR"), (True, "INFO")])
def test_when_logging_is_configured_then_the_engine_level_follows_verbose(clean_env: None, verbose: bool, expected: str) -> None:
    import os

    configure_logging(verbose)
    assert os.environ["VLLM_LOGGING_LEVEL"] == expected
    assert os.environ["TORCH_CPP_LOG_LEVEL"] == expected
    assert logging.getLogger("vllm").level == logging.getLevelName(expected)


def test_when_the_engine_level_is_set_explicitly_then_it_wins(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setenv("VLLM_LOGGING_LEVEL", "DEBUG")
    configure_logging(False)
    assert os.environ["VLLM_LOGGING_LEVEL"] == "DEBUG"
    assert logging.getLogger("vllm").level == logging.DEBUG


def _mapper(level: int) -> DeidMapper:
    spec = BatchSpec(text_cols=("note",), model_id="patterns", run_id="r1")
    return DeidMapper(PatternFactory(load_entity_set(DEFAULT_ENTITY_SET)), load_policy("safe_harbor"), spec, log_level=level)


def test_when_a_partition_finishes_then_one_info_line_gives_rows_and_rate_without_text(caplog: pytest.LogCaptureFixture) -> None:
    batches = [pa.RecordBatch.from_pylist([{"note": "Call 617-555-0199."}, {"note": None}]), pa.RecordBatch.from_pylist([{"note": "SSN 123-45-6789."}])]
    with caplog.at_level(logging.INFO, logger="deid"):
        out = list(_mapper(logging.INFO)(batches))
    assert sum(b.num_rows for b in out) == 3
    lines = [r.getMessage() for r in caplog.records if "partition done" in r.getMessage()]
    assert len(lines) == 1
    assert ": 3 rows in " in lines[0] and " docs/s" in lines[0]
    assert "617-555-0199" not in caplog.text and "123-45-6789" not in caplog.text
