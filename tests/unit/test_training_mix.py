"""Tests for scripts/build_training_mix.py: the mix holds exactly the sets asked for and the synthetic slice,
is shuffled deterministically by seed, and refuses a short synthetic file or repeated ids."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_training_mix", ROOT / "scripts" / "build_training_mix.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mix = _load()


def _synth(folder: Path, n: int, prefix: str = "s") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"id": f"{prefix}{i}", "text": f"note {i}", "spans": [], "genre": "note"} for i in range(n)]
    (folder / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (folder / "val.jsonl").write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    return folder


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_when_mix_is_built_then_it_holds_the_asked_sets_and_the_synthetic_slice_only(tmp_path: Path) -> None:
    synth = _synth(tmp_path / "synth", 50)
    counts = mix.build(tmp_path / "out", [2, 3], synth, synth_from=10, synth_n=5, seed=1)
    ids = _ids(tmp_path / "out" / "train.jsonl")
    set2 = _ids(ROOT / "data" / "eval" / "handwritten2.jsonl")
    set3 = _ids(ROOT / "data" / "eval" / "handwritten3.jsonl")
    set8 = _ids(ROOT / "data" / "eval" / "handwritten8.jsonl")
    assert sorted(ids) == sorted(set2 + set3 + [f"s{i}" for i in range(10, 15)])
    assert not set(ids) & set(set8)
    assert counts == {"handwritten2": len(set2), "handwritten3": len(set3), "synthetic": 5, "total": len(ids)}
    assert (tmp_path / "out" / "val.jsonl").read_text(encoding="utf-8") == (synth / "val.jsonl").read_text(encoding="utf-8")


def test_when_mix_is_built_twice_with_one_seed_then_the_order_is_the_same_and_another_seed_changes_it(tmp_path: Path) -> None:
    synth = _synth(tmp_path / "synth", 20)
    mix.build(tmp_path / "a", [2], synth, 0, 20, seed=7)
    mix.build(tmp_path / "b", [2], synth, 0, 20, seed=7)
    mix.build(tmp_path / "c", [2], synth, 0, 20, seed=8)
    a, b, c = (_ids(tmp_path / x / "train.jsonl") for x in "abc")
    assert a == b
    assert a != c and sorted(a) == sorted(c)


def test_when_synthetic_file_is_too_short_then_build_refuses(tmp_path: Path) -> None:
    synth = _synth(tmp_path / "synth", 5)
    with pytest.raises(SystemExit, match="only 5 documents"):
        mix.build(tmp_path / "out", [2], synth, synth_from=3, synth_n=5, seed=1)


def test_when_ids_repeat_across_sources_then_build_refuses(tmp_path: Path) -> None:
    first = _ids(ROOT / "data" / "eval" / "handwritten2.jsonl")[0]
    synth = _synth(tmp_path / "synth", 3)
    rows = [json.loads(line) for line in (synth / "train.jsonl").read_text(encoding="utf-8").splitlines()]
    rows[0]["id"] = first
    (synth / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(SystemExit, match="ids repeat"):
        mix.build(tmp_path / "out", [2], synth, 0, 3, seed=1)


def test_when_mix_is_built_then_sources_json_says_what_it_holds(tmp_path: Path) -> None:
    synth = _synth(tmp_path / "synth", 30)
    counts = mix.build(tmp_path / "out", [2], synth, synth_from=4, synth_n=6, seed=3)
    sources = json.loads((tmp_path / "out" / "sources.json").read_text(encoding="utf-8"))
    assert sources == {"handwritten_sets": [2], "synthetic": {"file": str(synth / "train.jsonl"), "first": 4, "n": 6}, "seed": 3, "documents": counts}


def test_when_an_adapter_is_saved_from_a_mixed_folder_then_its_sources_go_beside_it(tmp_path: Path) -> None:
    from deid.train.config import TrainConfig
    from deid.train.lora import save_adapter

    class Saved:  # the one call save_adapter makes on the model
        def save_pretrained(self, out: Path) -> None:
            (Path(out) / "adapter_model.safetensors").write_bytes(b"")

    data = tmp_path / "mix"
    data.mkdir()
    (data / "sources.json").write_text('{"handwritten_sets": [1]}\n', encoding="utf-8")
    cfg = TrainConfig(name="a", data_dir=str(data), output_dir=str(tmp_path / "models"))
    out = save_adapter(Saved(), None, cfg, [], n_train=1)
    assert (out / "sources.json").read_text(encoding="utf-8") == '{"handwritten_sets": [1]}\n'
    cfg_plain = TrainConfig(name="b", data_dir=str(tmp_path / "plain"), output_dir=str(tmp_path / "models"))
    assert not (save_adapter(Saved(), None, cfg_plain, [], n_train=1) / "sources.json").exists()
