"""Run the Spark job with a fault injected, in its own process: ``python fault_job.py SCENARIO MARKER ARGS_JSON``.

The job's own steps run (``plan_run``, then ``run``); only the detector, or the publish step, is
swapped for one that fails the way the scenario names. The classes live in ``__main__``, so Spark's
pickler ships them to the workers by value.

- ``kill``: the Python worker de-identifying the note that holds ``KILL-ME`` is killed (SIGKILL)
  the first time (a marker file remembers it), mid-partition; Spark retries the task.
- ``poison``: the model's engine rejects every batch holding ``POISON-PILL`` and its error message
  quotes the prompt; every other text is echoed faithfully.
- ``crash-publish``: the driver dies (``os._exit``) after publishing has moved one staged file.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Sequence

from deid.detect import Detection, ModelDetector, PatternDetector
from deid.entities import EntitySet, load_entity_set
from deid.inference.base import Generation
from deid.spark import job, publish

_INPUT_TURN = re.compile(r".*<\|im_start\|>user\n(.*?)<\|im_end\|>\n<\|im_start\|>assistant\n\Z", re.DOTALL)


class KillOnceDetector:
    name = "patterns"

    def __init__(self, entities: EntitySet, marker: str) -> None:
        self.inner, self.marker = PatternDetector(entities), Path(marker)

    def detect(self, texts: Sequence[str]) -> list[Detection]:
        if any("KILL-ME" in t for t in texts) and not self.marker.exists():
            self.marker.write_text("killed once", encoding="utf-8")
            os.kill(os.getpid(), signal.SIGKILL)
        return self.inner.detect(texts)


@dataclass(frozen=True)
class KillOnceFactory:
    entities: EntitySet
    marker: str

    def build(self) -> KillOnceDetector:
        return KillOnceDetector(self.entities, self.marker)


class CharTokenizer:
    """A ChatML template, one token per character."""

    pad_token_id = eos_token_id = 0

    def apply_chat_template(self, messages: list[dict[str, str]], tokenize: bool = True, add_generation_prompt: bool = False) -> str:
        text = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
        return text + ("<|im_start|>assistant\n" if add_generation_prompt else "")

    def __call__(self, text: str, add_special_tokens: bool = True) -> dict[str, list[int]]:
        return {"input_ids": [ord(c) for c in text]}


class PoisonEngine:
    """Echoes each window exactly; a batch holding the poison fails with the prompt in the message."""

    name = "poison"
    max_model_len = 1 << 20

    def __init__(self) -> None:
        self.tokenizer = CharTokenizer()

    def generate(self, prompts: Sequence[str], max_new_tokens: Sequence[int]) -> list[Generation]:
        for prompt in prompts:
            if "POISON-PILL" in prompt:
                raise RuntimeError(f"engine cannot handle this prompt: {prompt}")
        windows = [m.group(1) if (m := _INPUT_TURN.match(p)) else "" for p in prompts]
        return [Generation(w, len(w), True) for w in windows]


@dataclass(frozen=True)
class PoisonFactory:
    entities: EntitySet

    def build(self) -> ModelDetector:
        return ModelDetector(PoisonEngine(), self.entities, "inline", rebuild=PoisonEngine)


def _crash_after_one_move(fs: Any, out_root: str, stage_root: str, journal: publish.Journal) -> None:
    first = journal.files[0]
    fs.create_dir(os.path.dirname(f"{out_root}/{first}"), recursive=True)
    fs.move(f"{stage_root}/{first}", f"{out_root}/{first}")
    os._exit(3)


def main(scenario: str, marker: str, raw_args: str) -> int:
    args = json.loads(raw_args)
    plan = job.plan_run(job.JobArgs(**{**args, "text_cols": tuple(args["text_cols"])}))
    entities = load_entity_set("hipaa")
    if scenario == "kill":
        plan = replace(plan, factory=KillOnceFactory(entities, marker))
    elif scenario == "poison":
        plan = replace(plan, factory=PoisonFactory(entities))
    elif scenario == "crash-publish":
        publish._complete = _crash_after_one_move  # type: ignore[assignment]
    else:
        raise SystemExit(f"unknown scenario {scenario!r}")
    report = job.run(plan)
    print(report.summary())
    failure = report.failure()
    if failure:
        print(f"Error: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
