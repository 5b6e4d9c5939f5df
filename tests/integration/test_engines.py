"""Real greedy generation through both engines on the prepared base model, compared prompt by prompt.

vLLM runs once for the whole module, in a subprocess (its engine must be created under an
``if __name__ == "__main__":`` guard), about a minute on CPU.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from deid.entities import load_entity_set
from deid.inference.base import Echo, Generation
from deid.parse import parse_tagged
from deid.prompt import build_prompt, render_prompt

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]

VLLM_SCRIPT = textwrap.dedent(
    """
    import json
    import sys


    def main() -> None:
        import torch

        from deid.inference.base import Echo
        from deid.inference.vllm import VllmEngine

        spec = json.loads(open(sys.argv[1], encoding="utf-8").read())
        engine = VllmEngine(
            spec["model"], max_model_len=2048, kv_cache_gib=0.5, max_num_seqs=4, dtype=spec["dtype"], echo=True, threads=spec["threads"]
        )
        gens = engine.generate(spec["prompts"], spec["caps"])
        echoed = engine.generate(spec["prompts"][:1], spec["caps"][:1], [Echo(spec["note"], tuple(spec["labels"]))])
        result = {
            "max_model_len": engine.max_model_len,
            "threads": torch.get_num_threads(),
            "generations": [{"text": g.text, "tokens": g.tokens, "finished": g.finished} for g in gens],
            "echo": [{"text": g.text, "tokens": g.tokens, "finished": g.finished, "tag_confidences": g.tag_confidences} for g in echoed],
        }
        with open(sys.argv[2], "w", encoding="utf-8") as f:
            json.dump(result, f)


    if __name__ == "__main__":
        main()
    """
)

# The prompts, with their token caps: the project's own conversation for a short note (the model
# answers it in about 25 tokens), a plain question answered in under 10, and that question cut at 3.
NOTE = "My name is Ann Lee, call me at 555-201-7744."
QUESTION = "What is the capital of France?"
CAPS = (40, 64, 3)
SEED = load_entity_set("seed")
ENGINE_THREADS = 2  # what the engine is told to use, against the inherited OMP_NUM_THREADS=1


@pytest.fixture(scope="module")
def prompts(tokenizer: Any) -> list[str]:
    deid_prompt = render_prompt(tokenizer, build_prompt(load_entity_set("seed"), NOTE))
    chat = tokenizer.apply_chat_template([{"role": "user", "content": QUESTION}], tokenize=False, add_generation_prompt=True)
    return [deid_prompt, chat, chat]


@pytest.fixture(scope="module")
def vllm_result(base_model_dir: Path, prompts: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if importlib.util.find_spec("vllm") is None:
        pytest.skip("vllm is not installed")
    work = tmp_path_factory.mktemp("vllm")
    script = work / "run_vllm.py"
    script.write_text(VLLM_SCRIPT, encoding="utf-8")
    # float32, not the engine's bfloat16 default: on CPU, bf16 greedy decoding of this 135M model
    # already picks a different first token for the plain question than the fp32 transformers
    # engine, so only fp32 can be compared token for token. The dtype is only passed through to vLLM.
    spec = {
        "model": str(base_model_dir), "prompts": prompts, "caps": list(CAPS), "dtype": "float32",
        "note": NOTE, "labels": list(SEED.names), "threads": ENGINE_THREADS,
    }  # fmt: skip
    (work / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    out = work / "result.json"
    # As in a Spark Python worker, which inherits OMP_NUM_THREADS=1 from its task's cores.
    proc = subprocess.run(
        [sys.executable, str(script), str(work / "spec.json"), str(out)],
        cwd=work, capture_output=True, text=True, timeout=600, env={**os.environ, "OMP_NUM_THREADS": "1"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def transformers_engine(base_model_dir: Path) -> Any:
    from deid.inference.transformers import TransformersEngine

    return TransformersEngine(base_model_dir, batch_size=4)


@pytest.fixture(scope="module")
def transformers_gens(transformers_engine: Any, prompts: list[str]) -> list[Generation]:
    """The three generations, the capped one alone (a test below batches it with the others)."""
    return transformers_engine.generate(prompts[:2], CAPS[:2]) + transformers_engine.generate(prompts[2:], CAPS[2:])


def vllm_generations(result: dict[str, Any]) -> list[Generation]:
    return [Generation(**g) for g in result["generations"]]


def assert_flags_match_caps(gens: list[Generation], caps: tuple[int, ...]) -> None:
    for gen, cap in zip(gens, caps):
        assert gen.text.strip()
        if gen.finished:
            assert 0 < gen.tokens <= cap
        else:
            assert gen.tokens == cap


def test_when_vllm_generates_then_each_prompt_gets_text_and_sensible_flags(vllm_result: dict[str, Any]) -> None:
    gens = vllm_generations(vllm_result)
    assert vllm_result["max_model_len"] == 2048
    assert len(gens) == 3
    assert_flags_match_caps(gens, CAPS)
    assert not gens[2].finished  # 3 tokens cannot hold an answer and its end of turn


def test_when_transformers_generates_then_each_prompt_gets_text_and_sensible_flags(
    transformers_engine: Any, transformers_gens: list[Generation]
) -> None:
    assert transformers_engine.max_model_len == 8192
    assert_flags_match_caps(transformers_gens, CAPS)
    assert not transformers_gens[2].finished


def test_when_both_engines_decode_greedily_then_texts_and_flags_are_equal(
    transformers_gens: list[Generation], vllm_result: dict[str, Any]
) -> None:
    ours = transformers_gens
    theirs = vllm_generations(vllm_result)
    assert [g.text for g in ours] == [g.text for g in theirs]
    assert [g.finished for g in ours] == [g.finished for g in theirs]
    assert theirs[1].text.startswith(theirs[2].text)  # the cut answer is the start of the whole one


def test_when_both_engines_finish_then_they_report_the_same_token_count(
    transformers_gens: list[Generation], vllm_result: dict[str, Any]
) -> None:
    finished = [i for i, g in enumerate(transformers_gens) if g.finished]
    theirs = vllm_generations(vllm_result)
    assert finished
    assert [transformers_gens[i].tokens for i in finished] == [theirs[i].tokens for i in finished]


def test_when_prompts_with_different_caps_share_a_batch_then_each_cap_holds(transformers_engine: Any, prompts: list[str]) -> None:
    gens = transformers_engine.generate(prompts[1:], CAPS[1:])
    assert gens[1].tokens <= CAPS[2]
    assert not gens[1].finished


def test_when_the_worker_inherits_one_omp_thread_then_the_vllm_engine_still_uses_its_configured_threads(vllm_result: dict[str, Any]) -> None:
    assert vllm_result["threads"] == ENGINE_THREADS


def test_when_vllm_decodes_an_echo_then_it_reproduces_the_note_exactly_with_one_confidence_per_tag(vllm_result: dict[str, Any]) -> None:
    [gen] = vllm_result["echo"]
    assert gen["finished"]
    result = parse_tagged(NOTE, gen["text"], SEED.names)
    assert result.fidelity == 1.0 and result.checked
    opened = sum(gen["text"].count(f"<{label}>") for label in SEED.names)
    assert len(gen["tag_confidences"]) == opened
    assert all(0.0 < c <= 1.0 for c in gen["tag_confidences"])


def test_when_both_engines_decode_an_echo_then_they_write_the_same_text(transformers_engine: Any, prompts: list[str], vllm_result: dict[str, Any]) -> None:
    [ours] = transformers_engine.generate(prompts[:1], CAPS[:1], [Echo(NOTE, SEED.names)])
    assert parse_tagged(NOTE, ours.text, SEED.names).fidelity == 1.0
    assert ours.text == vllm_result["echo"][0]["text"]
    assert ours.tag_confidences == pytest.approx(tuple(vllm_result["echo"][0]["tag_confidences"]), abs=0.02)
