"""Incremental runs: which input partitions the output already holds, and made by what.

``_deid_manifest.json`` at the output records, per input unit (a hive partition folder such as
``visit_year=2021``, or ``.`` for an unpartitioned input), the model, policy and job settings that
processed it and a fingerprint of its files. ``--incremental`` skips a unit only when all four
are unchanged, so a new model, a policy edit, other options or new input files reprocess it.
The manifest names partition folders and hashes; it holds no text.

It also lists every output data file (relative path and size) as the publish that wrote it left
the output. A manifest whose listing does not describe the output any more (files deleted, added
or rewritten since) is not trusted: ``--incremental`` then reprocesses every unit. The manifest is
written atomically after its run published (``deid.spark.publish``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Iterable, Mapping

import pyarrow.fs as pafs

MANIFEST_NAME = "_deid_manifest.json"
FORMAT_VERSION = 2


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
    output: Mapping[str, int] = field(default_factory=dict)  # output data file -> size, after the publish

    def describes(self, listing: Mapping[str, int]) -> bool:
        """Whether the output holds exactly the data files this manifest was written for."""
        return dict(self.output) == dict(listing)

    def is_current(self, unit: str, wanted: UnitRecord) -> bool:
        """Whether ``unit`` was processed from the same files by the same model, policy and settings."""
        done = self.units.get(unit)
        keys = ("model_sha256", "policy_sha256", "settings_sha256", "input_fingerprint")
        return done is not None and all(getattr(done, k) == getattr(wanted, k) for k in keys)

    def updated(self, records: Mapping[str, UnitRecord]) -> Manifest:
        return Manifest({**self.units, **records}, self.output)

    def without(self, units: Iterable[str]) -> Manifest:
        gone = set(units)
        return Manifest({u: r for u, r in self.units.items() if u not in gone}, self.output)

    def to_json(self) -> str:
        units = {u: asdict(r) for u, r in sorted(self.units.items())}
        return json.dumps({"version": FORMAT_VERSION, "units": units, "output": dict(sorted(self.output.items()))}, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """The manifest in ``text``; ``ValueError`` saying how to recover if it is not one."""
        try:
            raw = json.loads(text)
        except ValueError:
            raise ValueError(f"is not JSON (cut short or overwritten?). {_RECOVER}") from None
        if not isinstance(raw, dict) or raw.get("version") != FORMAT_VERSION:
            raise ValueError(f"is not a version {FORMAT_VERSION} deid manifest. {_RECOVER}")
        names = {f.name for f in fields(UnitRecord)}
        units, output = raw.get("units"), raw.get("output")
        if not isinstance(units, dict) or not isinstance(output, dict):
            raise ValueError(f"lacks its 'units' or 'output' table. {_RECOVER}")
        if not all(isinstance(r, dict) and set(r) == names for r in units.values()):
            raise ValueError(f"has a unit record without the fields {sorted(names)}. {_RECOVER}")
        if not all(isinstance(n, int) for n in output.values()):
            raise ValueError(f"has a file size that is not a number. {_RECOVER}")
        return cls({u: UnitRecord(**r) for u, r in units.items()}, output)


_RECOVER = (
    "Delete it to have the next run treat every input partition as new (with --incremental it then "
    "reprocesses everything; the output data is not touched until that run publishes)."
)


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
    """The manifest at ``path``, or an empty one if there is none yet; ``ValueError`` naming it if it is unreadable."""
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        return Manifest()
    with fs.open_input_stream(path) as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"the manifest {path} is not UTF-8 text. {_RECOVER}") from None
    try:
        return Manifest.from_json(text)
    except ValueError as error:
        raise ValueError(f"the manifest {path} {error}") from None
