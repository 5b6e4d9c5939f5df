"""Incremental runs: which input partitions the output already holds, and made by what.

``_deid_manifest.json`` at the output records, per input unit (a hive partition folder such as
``visit_year=2021``, or ``.`` for an unpartitioned input), the model, policy and job settings that
processed it and a fingerprint of its files. ``--incremental`` skips a unit only when all four
are unchanged, so a new model, a policy edit, other options or new input files reprocess it.
The manifest names partition folders and hashes; it holds no text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Iterable, Mapping

import pyarrow.fs as pafs

MANIFEST_NAME = "_deid_manifest.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class UnitRecord:
    """How one input unit was processed."""

    model_id: str = field(metadata={"help": "adapter name@hash12, or 'patterns'"})
    model_sha256: str = field(metadata={"help": "hash of the adapter (or of the pattern detectors)"})
    policy_sha256: str = field(metadata={"help": "hash of the policy file"})
    settings_sha256: str = field(metadata={"help": "hash of the job settings that shape the output"})
    input_fingerprint: str = field(metadata={"help": "hash of the unit's file names, sizes and times"})
    run_id: str = field(metadata={"help": "the run that wrote it"})
    rows: int = field(metadata={"help": "input rows in the unit"})


@dataclass(frozen=True)
class Manifest:
    units: Mapping[str, UnitRecord] = field(default_factory=dict)

    def is_current(self, unit: str, wanted: UnitRecord) -> bool:
        """Whether ``unit`` was processed from the same files by the same model, policy and settings."""
        done = self.units.get(unit)
        keys = ("model_sha256", "policy_sha256", "settings_sha256", "input_fingerprint")
        return done is not None and all(getattr(done, k) == getattr(wanted, k) for k in keys)

    def updated(self, records: Mapping[str, UnitRecord]) -> Manifest:
        return Manifest({**self.units, **records})

    def to_json(self) -> str:
        units = {u: asdict(r) for u, r in sorted(self.units.items())}
        return json.dumps({"version": FORMAT_VERSION, "units": units}, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        raw = json.loads(text)
        if not isinstance(raw, dict) or raw.get("version") != FORMAT_VERSION:
            raise ValueError(f"not a version {FORMAT_VERSION} deid manifest; delete it to reprocess everything")
        return cls({u: UnitRecord(**r) for u, r in raw["units"].items()})


def fingerprint(files: Iterable[tuple[str, int, int]]) -> str:
    """A hash of (relative path, size, mtime in ns) triples, independent of their order."""
    digest = hashlib.sha256()
    for path, size, mtime_ns in sorted(files):
        digest.update(f"{path}\0{size}\0{mtime_ns}\n".encode())
    return digest.hexdigest()


def settings_hash(settings: Mapping[str, object]) -> str:
    """A hash of JSON-able settings, independent of key order."""
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()


def read_manifest(fs: pafs.FileSystem, path: str) -> Manifest:
    """The manifest at ``path``, or an empty one if there is none yet."""
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        return Manifest()
    with fs.open_input_stream(path) as f:
        return Manifest.from_json(f.read().decode("utf-8"))


def write_manifest(fs: pafs.FileSystem, path: str, manifest: Manifest) -> None:
    with fs.open_output_stream(path) as f:
        f.write(manifest.to_json().encode("utf-8"))
