"""Where the data lives: local paths and ``s3://`` URIs through pyarrow's filesystems.

The driver lists the input here (files grouped by hive partition) for every run. With ``--io arrow``
(the default for ``s3://``, where local Spark has no S3 connector and downloads no jars) the data
also moves through pyarrow, and never through the driver:

- extract: one Spark task per input file; ``ArrowReader`` reads that file from S3 in the task.
- load: ``ArrowWriter`` writes each task's output batches as Parquet under
  ``<output>/_deid_staging/<run id>/``; only after every task succeeded does the driver ``publish``
  them: the output partitions they belong to (or the whole output, when it is not partitioned) are
  emptied and the staged files moved in. A run that fails leaves the old output as it was, plus a
  staging folder that Spark and pyarrow readers ignore (its name starts with ``_``).

Reading, de-identifying and writing run as one function per task (``Chain``), in one
``mapInArrow``: each ``mapInArrow`` in a stage takes its own Python worker from the pool, so three
of them would let the engine-holding worker be picked for reading or writing, and the next task's
de-identification would start a second engine in another worker.

S3 settings come from the standard environment variables: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_DEFAULT_REGION (or AWS_REGION) and AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3) for an
S3-compatible server.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import urlparse

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import smart_open

S3_SCHEMES = ("s3", "s3a")
ROOT_UNIT = "."  # the unit name of an unpartitioned input
STAGING_DIR = "_deid_staging"
WRITTEN_SCHEMA = pa.schema([pa.field("path", pa.string()), pa.field("rows", pa.int64())])
_PARTITION_DIR = re.compile(r"([^=/]+)=([^/]*)")


def is_s3(uri: str) -> bool:
    return urlparse(uri).scheme in S3_SCHEMES


def filesystem(uri: str) -> tuple[pafs.FileSystem, str]:
    """The pyarrow filesystem for a local path or ``s3://`` URI, and the path within it."""
    parsed = urlparse(uri)
    if parsed.scheme in S3_SCHEMES:
        return _s3(), f"{parsed.netloc}{parsed.path}".rstrip("/")
    if parsed.scheme in ("", "file"):
        return pafs.LocalFileSystem(), str(Path(parsed.path if parsed.scheme else uri).resolve())
    raise ValueError(f"unsupported location scheme {parsed.scheme!r}; use a local path or an s3:// URI")


def _s3() -> pafs.S3FileSystem:
    """pyarrow's S3 client; credentials come from the standard AWS chain (environment first)."""
    options: dict[str, str] = {}
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        parsed = urlparse(endpoint)
        options["endpoint_override"] = parsed.netloc or parsed.path
        options["scheme"] = parsed.scheme or "https"
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if region:
        options["region"] = region
    return pafs.S3FileSystem(**options)


def join(uri: str, *parts: str) -> str:
    """``uri`` with path parts appended (``.`` parts skipped)."""
    return "/".join([uri.rstrip("/"), *(p for p in parts if p and p != ROOT_UNIT)])


def local_copy(uri: str, names: Iterable[str], cache_dir: Path) -> Path:
    """A local folder holding ``names`` from the folder at ``uri`` (fetched once per URI); a local path as is."""
    if "://" not in uri:
        return Path(uri)
    folder = cache_dir / hashlib.sha256(uri.encode()).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        target = folder / name
        if not target.exists():
            partial = target.with_name(name + ".partial")
            with smart_open.open(join(uri, name), "rb") as src, partial.open("wb") as dst:
                dst.write(src.read())
            partial.rename(target)
    return folder


# --- input listing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputFile:
    path: str  # within the filesystem
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class InputDataset:
    """The input's data files grouped by partition folder (``a=1/b=x``, or ``.`` when unpartitioned)."""

    uri: str
    root: str  # the dataset folder within the filesystem (the file's folder for a single file)
    units: dict[str, tuple[InputFile, ...]]
    partition_cols: tuple[str, ...]

    def files(self, units: Iterable[str]) -> list[str]:
        return [f.path for u in units for f in self.units[u]]

    def relative(self, f: InputFile) -> str:
        return posixpath.relpath(f.path, self.root)

    def dataset(self, units: Iterable[str]) -> ds.Dataset:
        """A pyarrow dataset over the files of ``units``, partition columns included."""
        fs, _ = filesystem(self.uri)
        partitioning = ds.HivePartitioning.discover() if self.partition_cols else None
        return ds.dataset(self.files(units), filesystem=fs, format="parquet", partitioning=partitioning, partition_base_dir=self.root)

    def schema(self) -> pa.Schema:
        """The unified schema of all files, partition columns last, large string types made plain."""
        return plain_types(self.dataset(self.units).schema)


def _hidden(relative: str) -> bool:
    return any(part.startswith(("_", ".")) for part in relative.split("/"))


def list_input(uri: str) -> InputDataset:
    """The data files of a Parquet file or folder (hidden ``_``/``.`` names skipped, as Spark does)."""
    fs, path = filesystem(uri)
    info = fs.get_file_info(path)
    if info.type == pafs.FileType.File:
        single = InputFile(path, info.size or 0, info.mtime_ns or 0)
        return InputDataset(uri, posixpath.dirname(path), {ROOT_UNIT: (single,)}, ())
    if info.type != pafs.FileType.Directory:
        raise FileNotFoundError(f"input {uri} does not exist")
    units: dict[str, list[InputFile]] = {}
    for f in fs.get_file_info(pafs.FileSelector(path, recursive=True)):
        relative = posixpath.relpath(f.path, path)
        if f.type == pafs.FileType.File and not _hidden(relative):
            unit = posixpath.dirname(relative) or ROOT_UNIT
            units.setdefault(unit, []).append(InputFile(f.path, f.size or 0, f.mtime_ns or 0))
    if not units:
        raise FileNotFoundError(f"input {uri} holds no data files")
    cols = {_partition_cols(uri, unit) for unit in units}
    if len(cols) != 1:
        raise ValueError(f"input {uri} mixes partition layouts {sorted(cols)}; expected one hive layout (key=value folders)")
    return InputDataset(uri, path, {u: tuple(sorted(fs_, key=lambda f: f.path)) for u, fs_ in sorted(units.items())}, cols.pop())


def _partition_cols(uri: str, unit: str) -> tuple[str, ...]:
    if unit == ROOT_UNIT:
        return ()
    matches = [_PARTITION_DIR.fullmatch(part) for part in unit.split("/")]
    if not all(matches):
        raise ValueError(f"input {uri} has a subfolder that is not a hive partition (key=value): {unit.count('/') + 1} levels deep")
    return tuple(m.group(1) for m in matches if m)


def plain_types(schema: pa.Schema) -> pa.Schema:
    """``large_string``/``large_binary`` as ``string``/``binary``, the types Spark hands to Python."""
    plain = {pa.large_string(): pa.string(), pa.large_binary(): pa.binary()}
    return pa.schema([f.with_type(plain.get(f.type, f.type)) for f in schema])


def count_rows(uri: str, run_id_col: str | None = None, run_id: str | None = None) -> int:
    """Rows in a Parquet dataset (footers only), or only those with ``run_id_col == run_id``."""
    fs, path = filesystem(uri)
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        return 0
    data = ds.dataset(path, filesystem=fs, format="parquet", partitioning="hive")
    if run_id_col is None:
        return data.count_rows()
    return data.count_rows(filter=ds.field(run_id_col) == run_id)


# --- Arrow reader and writer for mapInArrow -----------------------------------------------------


def _partitioning(schema: pa.Schema, cols: tuple[str, ...]) -> ds.Partitioning | None:
    return ds.partitioning(pa.schema([schema.field(c) for c in cols]), flavor="hive") if cols else None


@dataclass(frozen=True)
class ArrowReader:
    """Reads the Parquet files named in its input (column ``path``) with pyarrow, partition columns added."""

    uri: str  # the dataset, for its filesystem
    root: str
    schema: pa.Schema
    partition_cols: tuple[str, ...]
    batch_rows: int

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        fs, _ = filesystem(self.uri)
        partitioning = _partitioning(self.schema, self.partition_cols)
        for batch in batches:
            for path in batch.column("path").to_pylist():
                data = ds.dataset(
                    [path], schema=self.schema, filesystem=fs, format="parquet", partitioning=partitioning, partition_base_dir=self.root
                )
                yield from data.to_batches(batch_size=self.batch_rows)


@dataclass(frozen=True)
class ArrowWriter:
    """Writes its input batches as Parquet under ``staging``; yields one row (path, rows) per file written.

    File names carry the Spark partition id and the run id, so a retried task overwrites its own
    earlier attempt instead of adding to it.
    """

    staging: str  # URI
    schema: pa.Schema
    partition_cols: tuple[str, ...]
    run_id: str

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from pyspark import TaskContext

        context = TaskContext.get()
        part = context.partitionId() if context is not None else 0
        fs, root = filesystem(self.staging)
        written: list[tuple[str, int]] = []
        ds.write_dataset(
            (b.cast(self.schema) for b in batches),
            root,
            schema=self.schema,
            format="parquet",
            partitioning=_partitioning(self.schema, self.partition_cols),
            basename_template=f"part-{part:05d}-{self.run_id}-{{i}}.parquet",
            filesystem=fs,
            existing_data_behavior="overwrite_or_ignore",
            file_visitor=lambda f: written.append((f.path, f.metadata.num_rows)),
        )
        yield pa.RecordBatch.from_pylist([{"path": p, "rows": n} for p, n in written], schema=WRITTEN_SCHEMA)


@dataclass(frozen=True)
class Chain:
    """Batch functions applied one after the other, as one function for one ``mapInArrow``."""

    steps: tuple[Callable[[Iterable[pa.RecordBatch]], Iterator[pa.RecordBatch]], ...]

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for step in self.steps:
            batches = step(batches)
        yield from batches


def publish(staging: str, output: str, written: list[str], partitioned: bool) -> None:
    """Move staged files into ``output``, replacing the partitions they belong to (all data when unpartitioned)."""
    fs, stage_root = filesystem(staging)
    _, out_root = filesystem(output)
    relatives = [posixpath.relpath(p, stage_root) for p in written]
    if partitioned:
        for folder in sorted({posixpath.dirname(r) for r in relatives}):
            fs.delete_dir_contents(f"{out_root}/{folder}", missing_dir_ok=True)
    else:
        for entry in fs.get_file_info(pafs.FileSelector(out_root, allow_not_found=True)):
            if posixpath.basename(entry.path).startswith(("_", ".")):
                continue
            if entry.type == pafs.FileType.Directory:
                fs.delete_dir(entry.path)
            else:
                fs.delete_file(entry.path)
    for relative in relatives:
        target = f"{out_root}/{relative}"
        fs.create_dir(posixpath.dirname(target), recursive=True)
        fs.move(f"{stage_root}/{relative}", target)
    if fs.get_file_info(stage_root).type == pafs.FileType.Directory:
        fs.delete_dir(stage_root)
    parent = posixpath.dirname(stage_root)  # the staging folder goes once no run is using it
    if fs.get_file_info(parent).type == pafs.FileType.Directory and not fs.get_file_info(pafs.FileSelector(parent)):
        fs.delete_dir(parent)
