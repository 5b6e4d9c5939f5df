"""Shared fixtures: the prepared base model (skipped where it is absent) and its tokenizer."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from deid.base_model import DEFAULT_BASE_DIR, is_complete

TINY_ENTITIES_YAML = """\
# A one-label entity set whose prompt is short: tests that run the real model use it to stay fast.
name: tiny
labels:
  - name: PERSON
    description: A person's name.
  - name: DATE_TIME
    description: A date.
rules: []
example:
  tagged: <PERSON>Ann Lee</PERSON> came on <DATE_TIME>May 3</DATE_TIME>.
  explanation: Ann Lee is a PERSON and May 3 is a DATE_TIME.
"""


@pytest.fixture(scope="session")
def base_model_dir() -> Path:
    """The checkpoint made by ``deid models prepare``; tests that need it skip where it is absent."""
    if not is_complete(DEFAULT_BASE_DIR):
        pytest.skip(f"base model not prepared at {DEFAULT_BASE_DIR}; run `deid models prepare` (make test does)")
    return DEFAULT_BASE_DIR


@pytest.fixture(scope="session")
def tokenizer(base_model_dir: Path) -> Any:
    """The real tokenizer (with its chat template) of the prepared base model."""
    transformers = pytest.importorskip("transformers")
    return transformers.AutoTokenizer.from_pretrained(str(base_model_dir))


@pytest.fixture(scope="session")
def tiny_entities_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A YAML entity set with a short prompt, for tests that run the real model."""
    path = tmp_path_factory.mktemp("entities") / "tiny.yaml"
    path.write_text(TINY_ENTITIES_YAML, encoding="utf-8")
    return path


def _bytecodes(call: Any) -> int:
    """Python bytecode instructions executed by ``call()``: a count of work that no clock or load can disturb."""
    count = 0

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        frame.f_trace_opcodes = True
        count += event == "opcode"
        return tracer

    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(None)
    return count


@pytest.fixture(scope="session")
def bytecodes() -> Any:
    """``bytecodes(call)``: instructions ``call()`` executes. Tests compare two input sizes to tell linear from quadratic work."""
    return _bytecodes
