"""Where the data lives: local paths and ``s3://`` URIs through pyarrow's filesystems.

The driver lists the input here (files grouped by hive partition) for every run. With ``--io arrow``
(the default for ``s3://``, where local Spark has no S3 connector and downloads no jars) the data
also moves through pyarrow, and never through the driver:

- extract: one Spark task per input file; ``ArrowReader`` reads that file from S3 in the task.
- load: ``ArrowWriter`` writes each task's output batches as Parquet under
  ``<output>/_deid_staging/<run id>/``; with ``--io spark`` Spark's own writer writes there. Only
  after every task succeeded and the rows were checked does the driver publish them
  (``deid.spark.publish``, crash-safe).

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
import uuid
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


def location(uri: str) -> str:
    """A canonical name for where ``uri`` points: ``s3://bucket/key`` for ``s3://`` and ``s3a://``, else the resolved local path."""
    parsed = urlparse(uri)
    if parsed.scheme in S3_SCHEMES:
        return "s3://" + posixpath.normpath(f"{parsed.netloc}/{parsed.path.lstrip('/')}").rstrip("/")
    _, path = filesystem(uri)
    return path


def overlapping(a: str, b: str) -> bool:
    """Whether two locations are the same or one lies inside the other."""
    la, lb = location(a), location(b)
    return la == lb or lb.startswith(la.rstrip("/") + "/") or la.startswith(lb.rstrip("/") + "/")


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
        """The schema of the input, partition columns last, large string types made plain; every file is checked
        against it here, so that a file with another column type fails now, by name, and not inside a task
        (where pyarrow's cast error quotes the offending value)."""
        import pyarrow.parquet as pq

        schema = plain_types(self.dataset(self.units).schema)
        fs, _ = filesystem(self.uri)
        for unit in self.units:
            for f in self.units[unit]:
                for field_ in plain_types(pq.read_schema(f.path, filesystem=fs)):
                    if field_.name in schema.names and not schema.field(field_.name).type.equals(field_.type):
                        raise ValueError(
                            f"input file {self.relative(f)}: column {field_.name!r} has type {field_.type}, where the "
                            f"input's schema (from its first file) has {schema.field(field_.name).type}; "
                            "rewrite the file with the same column types as the others"
                        )
        return schema


def hidden(relative: str) -> bool:
    """Whether Spark and pyarrow readers skip this path (a part starting with ``_`` or ``.``)."""
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
        if f.type == pafs.FileType.File and not hidden(relative):
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
                try:
                    yield from data.to_batches(batch_size=self.batch_rows)
                except (pa.ArrowException, OSError) as error:
                    # pyarrow's message can quote a value from the file: only the file and the error type go on.
                    where = posixpath.relpath(path, self.root)
                    raise RuntimeError(f"reading input file {where} failed ({type(error).__name__}); its data was not logged") from None


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
        try:
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
        except (pa.ArrowException, OSError) as error:
            raise RuntimeError(f"writing the staged output of task {part} failed ({type(error).__name__}); its data was not logged") from None
        yield pa.RecordBatch.from_pylist([{"path": p, "rows": n} for p, n in written], schema=WRITTEN_SCHEMA)


@dataclass(frozen=True)
class Chain:
    """Batch functions applied one after the other, as one function for one ``mapInArrow``."""

    steps: tuple[Callable[[Iterable[pa.RecordBatch]], Iterator[pa.RecordBatch]], ...]

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for step in self.steps:
            batches = step(batches)
        yield from batches


def write_atomic(fs: pafs.FileSystem, path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old content or the new, never a part."""
    temporary = f"{posixpath.dirname(path)}/_tmp-{uuid.uuid4().hex}-{posixpath.basename(path)}"
    with fs.open_output_stream(temporary) as f:
        f.write(data)
    fs.move(temporary, path)


def output_listing(fs: pafs.FileSystem, root: str) -> dict[str, int]:
    """Every data file of the output (hidden names skipped), relative path -> size in bytes."""
    listing: dict[str, int] = {}
    for info in fs.get_file_info(pafs.FileSelector(root, recursive=True, allow_not_found=True)):
        relative = posixpath.relpath(info.path, root)
        if info.type == pafs.FileType.File and not hidden(relative):
            listing[relative] = info.size or 0
    return listing
