"""Publishing a run's staged output crash-safely: new files in first, old files out after, then the books.

Every run writes its rows under ``<output>/_deid_staging/<run id>/`` (Spark and pyarrow readers
skip names that start with ``_``). Only after the rows were checked (every input id out exactly
once) does the driver publish them:

1. the journal ``_publish.json`` is written into the staging folder, atomically: the staged files,
   the output folders they replace, the manifest units and the report;
2. each staged file moves to the same relative path in the output (file names are unique per run,
   so nothing of the previous output is overwritten);
3. the other data files in the replaced folders are deleted: the switch;
4. the manifest, with the listing of the output it now describes, and the report are written,
   each atomically (a temporary name, then a rename);
5. the staging folder is deleted, the journal last.

A crash before step 1 leaves the previous output untouched, and a staging folder without a journal
that the next run deletes (``recover``). A crash after step 1 leaves the journal: the next run
completes steps 2-5, which are idempotent, before it plans anything. The next run also compares
the manifest's listing with the output (``Manifest.describes``), so files deleted or added by hand
make ``--incremental`` reprocess everything rather than trust a stale manifest.

Not guaranteed: readers that list the output during steps 2-3 can see a partition's old and new
files together (publish is crash-safe, not atomic for concurrent readers), and two runs must not
write the same output at the same time (the second would delete the first's staging folder).
"""

from __future__ import annotations

import json
import logging
import posixpath
from dataclasses import asdict, dataclass
from typing import Any

import pyarrow.fs as pafs

from deid.spark.manifest import MANIFEST_NAME, Manifest, UnitRecord
from deid.spark.storage import ROOT_UNIT, STAGING_DIR, filesystem, hidden, output_listing, write_atomic

log = logging.getLogger(__name__)

JOURNAL_NAME = "_publish.json"


@dataclass(frozen=True)
class Journal:
    """What one publish does, written before it changes the output so that it can be completed later."""

    run_id: str
    files: tuple[str, ...]  # staged data files, relative to the staging folder and to the output
    replace: tuple[str, ...]  # output folders whose other data files go; "." is the whole output
    units: dict[str, dict[str, Any]]  # the manifest's units after this run
    report_name: str
    report: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text: str) -> Journal:
        raw = json.loads(text)
        return cls(**{**raw, "files": tuple(raw["files"]), "replace": tuple(raw["replace"])})


def staging_uri(output: str, run_id: str) -> str:
    return "/".join([output.rstrip("/"), STAGING_DIR, run_id])


def publish(output: str, journal: Journal) -> None:
    """Publish the staged files of ``journal.run_id`` into ``output`` (steps 1-5 of the module docstring)."""
    fs, out_root = filesystem(output)
    stage_root = f"{out_root}/{STAGING_DIR}/{journal.run_id}"
    write_atomic(fs, f"{stage_root}/{JOURNAL_NAME}", journal.to_json().encode("utf-8"))
    _complete(fs, out_root, stage_root, journal)


def _complete(fs: pafs.FileSystem, out_root: str, stage_root: str, journal: Journal) -> None:
    """Steps 2-5; each is idempotent, so an interrupted publish can be completed by running this again."""
    for relative in journal.files:
        source, target = f"{stage_root}/{relative}", f"{out_root}/{relative}"
        if fs.get_file_info(source).type == pafs.FileType.File:
            fs.create_dir(posixpath.dirname(target), recursive=True)
            fs.move(source, target)
    new = set(journal.files)
    for relative in output_listing(fs, out_root):
        if relative not in new and _in_any(relative, journal.replace):
            fs.delete_file(f"{out_root}/{relative}")
    _remove_empty_dirs(fs, out_root)
    manifest = Manifest({u: UnitRecord(**r) for u, r in journal.units.items()}, output_listing(fs, out_root))
    write_atomic(fs, f"{out_root}/{MANIFEST_NAME}", manifest.to_json().encode("utf-8"))
    write_atomic(fs, f"{out_root}/{journal.report_name}", (json.dumps(journal.report, indent=2) + "\n").encode("utf-8"))
    discard(fs, stage_root)
    log.info("run %s published: %d files in, replacing %d output folders", journal.run_id, len(journal.files), len(journal.replace))


def _in_any(relative: str, folders: tuple[str, ...]) -> bool:
    return any(folder == ROOT_UNIT or relative.startswith(folder.rstrip("/") + "/") for folder in folders)


def _remove_empty_dirs(fs: pafs.FileSystem, root: str) -> None:
    """Delete the output's non-hidden folders left without files (a partition whose old files went)."""
    infos = fs.get_file_info(pafs.FileSelector(root, recursive=True, allow_not_found=True))
    folders = sorted((i.path for i in infos if i.type == pafs.FileType.Directory), key=len, reverse=True)
    for folder in folders:
        if not hidden(posixpath.relpath(folder, root)) and not fs.get_file_info(pafs.FileSelector(folder)):
            fs.delete_dir(folder)


def discard(fs: pafs.FileSystem, stage_root: str) -> None:
    """Delete a staging folder (the journal last), and the staging parent once no run uses it."""
    if fs.get_file_info(stage_root).type == pafs.FileType.Directory:
        for info in fs.get_file_info(pafs.FileSelector(stage_root, recursive=True)):
            if info.type == pafs.FileType.File and posixpath.basename(info.path) != JOURNAL_NAME:
                fs.delete_file(info.path)
        fs.delete_dir(stage_root)
    parent = posixpath.dirname(stage_root)
    if fs.get_file_info(parent).type == pafs.FileType.Directory and not fs.get_file_info(pafs.FileSelector(parent)):
        fs.delete_dir(parent)


def recover(output: str) -> list[str]:
    """Complete the publish of a run that crashed after its journal; delete the staging of runs that never
    got that far. Returns one line per staging folder handled (run ids and counts, no data)."""
    fs, out_root = filesystem(output)
    parent = f"{out_root}/{STAGING_DIR}"
    done: list[str] = []
    for info in fs.get_file_info(pafs.FileSelector(parent, allow_not_found=True)):
        if info.type != pafs.FileType.Directory:
            continue
        run_id = posixpath.basename(info.path)
        journal_path = f"{info.path}/{JOURNAL_NAME}"
        if fs.get_file_info(journal_path).type == pafs.FileType.File:
            with fs.open_input_stream(journal_path) as f:
                journal = Journal.from_json(f.read().decode("utf-8"))
            _complete(fs, out_root, info.path, journal)
            done.append(f"completed the interrupted publish of run {run_id} ({len(journal.files)} files)")
        else:
            discard(fs, info.path)
            done.append(f"deleted the staging folder of run {run_id}, which failed or was killed before publishing")
    for line in done:
        log.warning("%s", line)
    return done
