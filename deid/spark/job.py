"""The Spark side of ``jobs/deid.py``: plan the run (no Spark), then extract, transform, load, finish.

``plan_run`` does everything that can fail early without starting Spark: it reads the job config,
policy and model, lists the input and checks every file's schema, completes or removes what an
earlier run left in the output's staging folder, and asks the manifest which input units still
need processing. ``run`` takes the plan: extract, transform and load into the staging folder on
Spark, then check the staged rows against the input by id, and publish only if they match.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import posixpath
import sys
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import smart_open
import yaml

from deid.adapter import ADAPTER_FILES, DEFAULT_ADAPTER, load_adapter, merged_checkpoint
from deid.detect import ModelFactory
from deid.entities import DEFAULT_ENTITY_SET, load_entity_set
from deid.inference.base import ENGINES
from deid.logs import ENGINE_LOG_ENVS
from deid.redact import DEFAULT_POLICY, Policy, policy_from_dict, resolve_policy_path
from deid.spark.batch import (
    STATUS_COL,
    BatchSpec,
    DeidMapper,
    DetectorFactory,
    PatternFactory,
    TaskMetrics,
    output_schema,
)
from deid.spark.config import DEFAULT_JOB_CONFIG, JobConfig, load_job_config
from deid.spark.manifest import MANIFEST_NAME, Manifest, UnitRecord, fingerprint, read_manifest, settings_hash
from deid.spark.publish import Journal, discard, publish, recover, staging_uri
from deid.spark.report import FAILED_REPORT_NAME, REPORT_NAME, RowCheck, RunInfo, RunReport, build_report
from deid.spark.storage import (
    ROOT_UNIT,
    WRITTEN_SCHEMA,
    ArrowReader,
    ArrowWriter,
    Chain,
    InputDataset,
    filesystem,
    is_s3,
    join,
    list_input,
    local_copy,
    output_listing,
    overlapping,
    plain_types,
    write_atomic,
)

if TYPE_CHECKING:
    from pyspark import Accumulator
    from pyspark.sql import DataFrame, SparkSession

log = logging.getLogger(__name__)

IO_MODES = ("auto", "spark", "arrow")
DETECTORS = ("model", "patterns")
ADAPTER_CACHE = Path.home() / ".cache" / "deid" / "adapters"  # adapters fetched from URIs
MAX_RECORDS_KEY = "spark.sql.execution.arrow.maxRecordsPerBatch"
SPARK_DEFAULT_MAX_RECORDS = 10_000
DRIVER_JAVA_OPTIONS = "spark.driver.extraJavaOptions"
QUIET_LOG4J = DEFAULT_JOB_CONFIG.parent / "log4j2-quiet.properties"  # Spark's console without -v


@dataclass(frozen=True)
class JobArgs:
    """The command line of ``jobs/deid.py``."""

    input: str = field(metadata={"help": "Parquet file or folder (hive partitions), local path or s3:// URI"})
    output: str = field(metadata={"help": "output folder, local path or s3:// URI"})
    text_cols: tuple[str, ...] = field(metadata={"help": "string columns to de-identify"})
    id_col: str = field(metadata={"help": "row id column (checked to exist; carried through)"})
    patient_col: str | None = field(default=None, metadata={"help": "patient id column, for per-patient operators"})
    model: str = field(default=str(DEFAULT_ADAPTER), metadata={"help": "adapter folder or URI"})
    policy: str = field(default=DEFAULT_POLICY, metadata={"help": "bundled policy name, YAML path or URI"})
    conf: str = field(default=str(DEFAULT_JOB_CONFIG), metadata={"help": "job config YAML path or URI"})
    engine: str = field(default="vllm", metadata={"help": "vllm or transformers"})
    detector: str = field(default="model", metadata={"help": "model or patterns (no model)"})
    keep_values: bool = field(default=False, metadata={"help": "add span values to <col>_phi"})
    drop_original: bool = field(default=False, metadata={"help": "leave raw text columns out"})
    partition_by: tuple[str, ...] = field(default=(), metadata={"help": "output partition columns; default: the input's"})
    incremental: bool = field(default=False, metadata={"help": "skip input partitions the manifest shows as current"})
    io: str = field(default="auto", metadata={"help": "spark (Spark's reader/writer), arrow (pyarrow), auto: arrow for s3://"})
    master: str | None = field(default=None, metadata={"help": "Spark master; overrides spark-submit and the config"})

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, not {self.engine!r}")
        if self.detector not in DETECTORS:
            raise ValueError(f"detector must be one of {DETECTORS}, not {self.detector!r}")
        if self.io not in IO_MODES:
            raise ValueError(f"io must be one of {IO_MODES}, not {self.io!r}")
        if overlapping(self.input, self.output):
            # Publishing replaces output files: an input inside the output (or the reverse) would be deleted or re-read.
            raise ValueError("input and output overlap (one is, or lies inside, the other); give them separate locations")


@dataclass(frozen=True)
class Plan:
    args: JobArgs
    config: JobConfig
    info: RunInfo
    dataset: InputDataset
    input_schema: pa.Schema
    todo: tuple[str, ...]  # input units to process
    records: Mapping[str, UnitRecord]  # manifest entries for the units, written after success
    manifest: Manifest
    factory: DetectorFactory
    policy: Policy
    batch: BatchSpec
    io: str  # spark | arrow
    partition_cols: tuple[str, ...]  # of the output

    @property
    def rows_in(self) -> int:
        return sum(self.records[u].rows for u in self.todo)


# --- planning (no Spark) ------------------------------------------------------------------------


def read_policy(name_or_uri: str) -> tuple[Policy, str]:
    """The policy (its key, if any, from the environment) and the sha256 of its file."""
    if "://" in name_or_uri:
        with smart_open.open(name_or_uri, "rb") as f:
            raw = f.read()
    else:
        raw = resolve_policy_path(name_or_uri).read_bytes()
    return policy_from_dict(yaml.safe_load(raw), os.environ), hashlib.sha256(raw).hexdigest()


def resolve_detector(args: JobArgs, config: JobConfig) -> tuple[DetectorFactory, str, str]:
    """The detector recipe, the model id written to rows, and the model hash the manifest compares."""
    if args.detector == "patterns":
        import deid.patterns
        import deid.places

        entities = load_entity_set(DEFAULT_ENTITY_SET)
        # The pattern detectors are code and data: their hash is the package's modules', the reference tables'
        # (hospitals, given names) and the label set's.
        data = deid.places.HOSPITALS_CSV.parent
        sources = sorted(Path(deid.patterns.__file__).parent.glob("*.py")) + sorted([*data.glob("*.csv"), *data.glob("*.txt")])
        digest = hashlib.sha256(b"".join(path.read_bytes() for path in sources) + ",".join(entities.names).encode())
        return PatternFactory(entities), "patterns", digest.hexdigest()
    adapter = load_adapter(local_copy(args.model, ADAPTER_FILES, ADAPTER_CACHE))
    factory = ModelFactory(
        engine=args.engine,
        model_path=str(merged_checkpoint(adapter)),
        entities=adapter.entities,
        fmt=adapter.format,
        engine_options=config.engine_options(args.engine),
        detect=config.detect,
    )
    return factory, adapter.model_id, adapter.sha256


def _output_partition_cols(args: JobArgs, dataset: InputDataset, out_schema: pa.Schema) -> tuple[str, ...]:
    cols = args.partition_by or dataset.partition_cols
    missing = [c for c in cols if c not in out_schema.names]
    if missing:
        raise ValueError(f"cannot partition the output by {missing}: not output columns (a dropped text column?)")
    if args.incremental and not set(dataset.partition_cols) <= set(cols):
        # Otherwise rewriting one output partition could drop rows of input partitions that were skipped.
        raise ValueError(
            f"--incremental needs the output partitioned by at least the input's partition columns "
            f"{list(dataset.partition_cols)}; got {list(cols)}"
        )
    return cols


def _settings(args: JobArgs, config: JobConfig, partition_cols: tuple[str, ...], policy: Policy) -> dict[str, Any]:
    """The settings that shape output rows; a change reprocesses every unit in an incremental run.

    The policy file's hash is the manifest's; here are what the file does not hold: which secret
    key it ran with (a fingerprint, never the key) and the Faker release that made the surrogates.
    """
    return {
        "key_fingerprint": policy.key_fingerprint,
        "faker_version": importlib.metadata.version("faker"),
        "text_cols": args.text_cols,
        "patient_col": args.patient_col,
        "keep_values": args.keep_values,
        "drop_original": args.drop_original,
        "partition_cols": partition_cols,
        "detector": args.detector,
        "engine": args.engine if args.detector == "model" else None,
        "detect": asdict(config.detect) if args.detector == "model" else None,
    }


def _unit_records(dataset: InputDataset, template: UnitRecord) -> dict[str, UnitRecord]:
    """What the manifest will record for each input unit: ``template`` with the unit's fingerprint and rows."""
    return {
        unit: replace(
            template,
            input_fingerprint=fingerprint((dataset.relative(f), f.size, f.mtime_ns) for f in files),
            rows=dataset.dataset([unit]).count_rows(),
        )
        for unit, files in dataset.units.items()
    }


def plan_run(args: JobArgs) -> Plan:
    """Everything decided before Spark starts; raises with a clear message on bad input or settings."""
    config = load_job_config(args.conf)
    started = datetime.now(timezone.utc)
    run_id = f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
    policy, policy_sha = read_policy(args.policy)
    dataset = list_input(args.input)
    schema = dataset.schema()
    if args.id_col not in schema.names:
        raise ValueError(f"id column {args.id_col!r} is not in the input; its columns are {schema.names}")
    factory, model_id, model_sha = resolve_detector(args, config)
    batch = BatchSpec(
        text_cols=args.text_cols,
        model_id=model_id,
        run_id=run_id,
        patient_col=args.patient_col,
        keep_values=args.keep_values,
        drop_original=args.drop_original,
        detector_batch_size=config.detector_batch_size,
    )
    partition_cols = _output_partition_cols(args, dataset, output_schema(schema, batch))

    settings_sha = settings_hash(_settings(args, config, partition_cols, policy))
    records = _unit_records(dataset, UnitRecord(model_id, model_sha, policy_sha, settings_sha, "", run_id, 0))
    out_fs, out_path = filesystem(args.output)
    recover(args.output)  # an earlier run's interrupted publish is completed, a dead run's staging removed
    try:
        manifest = read_manifest(out_fs, f"{out_path}/{MANIFEST_NAME}")
    except ValueError as error:
        if args.incremental:
            raise
        log.warning("%s; this run is not incremental, so it processes every unit and writes a new one", error)
        manifest = Manifest()
    if manifest.units and not manifest.describes(output_listing(out_fs, out_path)):
        log.warning("the manifest does not describe the output any more (files were deleted, added or changed); every unit is reprocessed")
        manifest = Manifest()
    todo = tuple(u for u in dataset.units if not (args.incremental and manifest.is_current(u, records[u])))
    io = args.io if args.io != "auto" else ("arrow" if is_s3(args.input) or is_s3(args.output) else "spark")
    info = RunInfo(
        run_id=run_id,
        started_at=started.isoformat(timespec="seconds"),
        input=args.input,
        output=args.output,
        text_cols=args.text_cols,
        detector=args.detector,
        engine=args.engine if args.detector == "model" else None,
        io=io,
        model_id=model_id,
        model_sha256=model_sha,
        policy=policy.name,
        policy_sha256=policy_sha,
        units_processed=len(todo),
        units_skipped=len(dataset.units) - len(todo),
    )
    log.info("run %s: %d input units to process, %d current; io %s, detector %s", run_id, len(todo), info.units_skipped, io, model_id)
    return Plan(args, config, info, dataset, schema, todo, records, manifest, factory, policy, batch, io, partition_cols)


# --- Spark --------------------------------------------------------------------------------------


def _launched_by_spark_submit() -> bool:
    return "PYSPARK_GATEWAY_PORT" in os.environ  # set by spark-submit for the Python driver


@contextmanager
def spark_session(plan: Plan) -> Iterator[SparkSession]:
    """A Spark session for the run: master from --master, else spark-submit, else the job config."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(f"deid {plan.info.run_id}")
    master = plan.args.master or (None if _launched_by_spark_submit() else plan.config.master)
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        # Local workers must run this interpreter: a system Python has neither pyarrow nor deid.
        os.environ["PYSPARK_PYTHON"] = sys.executable
        builder = builder.config("spark.pyspark.python", sys.executable)
    for key, value in plan.config.spark.items():
        builder = builder.config(key, value)
    for name in ENGINE_LOG_ENVS:  # the workers' engines log as quietly as the driver's (-v or not)
        if name in os.environ:
            builder = builder.config(f"spark.executorEnv.{name}", os.environ[name])
    if not _launched_by_spark_submit() and not log.isEnabledFor(logging.INFO) and DRIVER_JAVA_OPTIONS not in plan.config.spark:
        # The driver JVM starts with this session: without -v its start-up notices stay off the console.
        builder = builder.config(DRIVER_JAVA_OPTIONS, f"-Dlog4j.configurationFile={QUIET_LOG4J}")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    try:
        yield spark
    finally:
        spark.stop()


@dataclass(frozen=True)
class Rows:
    """A step's rows: a Spark DataFrame, and with ``--io arrow`` the batch functions still to run in the tasks.

    With ``--io arrow`` the DataFrame has one row per input file; reading, de-identifying and
    writing then run as one function per task (see ``deid.spark.storage``), so that each task uses
    one Python worker and each worker keeps its one engine.
    """

    df: DataFrame
    pending: tuple[Callable[[Iterable[pa.RecordBatch]], Iterator[pa.RecordBatch]], ...] = ()


def extract(spark: SparkSession, plan: Plan) -> Rows:
    """The input rows of the units to process."""
    if plan.io == "spark":
        reader = spark.read.option("basePath", plan.args.input) if plan.dataset.partition_cols else spark.read
        return Rows(reader.parquet(*[join(plan.args.input, u) for u in plan.todo]))
    files = plan.dataset.files(plan.todo)
    batch_rows = int(plan.config.spark.get(MAX_RECORDS_KEY, SPARK_DEFAULT_MAX_RECORDS))
    reader = ArrowReader(plan.args.input, plan.dataset.root, plan.input_schema, plan.dataset.partition_cols, batch_rows)
    paths = spark.sparkContext.parallelize([(f,) for f in files], len(files))  # one task per file
    return Rows(spark.createDataFrame(paths, "path string"), (reader,))


class TaskMetricsParam:
    """Spark accumulator parameter: task metrics collect into one list (Spark duck-types this interface)."""

    def zero(self, value: list[TaskMetrics]) -> list[TaskMetrics]:
        return []

    def addInPlace(self, a: list[TaskMetrics], b: list[TaskMetrics]) -> list[TaskMetrics]:  # noqa: N802 - Spark's name
        a.extend(b)
        return a


def transform(spark: SparkSession, rows: Rows, plan: Plan) -> tuple[Rows, Accumulator]:
    """The rows with de-identified columns added, and the accumulator the tasks report their metrics to."""
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

    metrics = spark.sparkContext.accumulator([], TaskMetricsParam())
    mapper = DeidMapper(plan.factory, plan.policy, plan.batch, metrics, log_level=logging.getLogger("deid").getEffectiveLevel())
    if rows.pending:
        return Rows(rows.df, (*rows.pending, mapper)), metrics
    schema = output_schema(plain_types(to_arrow_schema(rows.df.schema)), plan.batch)
    return Rows(rows.df.mapInArrow(mapper, from_arrow_schema(schema))), metrics


@dataclass(frozen=True)
class Staged:
    """The data files a run's tasks wrote under its staging folder."""

    uri: str
    files: tuple[str, ...]  # relative to ``uri``, and so to the output once published


def load(rows: Rows, plan: Plan) -> Staged:
    """Write the rows as Parquet under the run's staging folder; the output itself is not touched (see ``run``)."""
    staging = staging_uri(plan.args.output, plan.info.run_id)
    fs, root = filesystem(staging)
    if not rows.pending:
        writer = rows.df.write.mode("errorifexists")
        if plan.partition_cols:
            writer = writer.partitionBy(*plan.partition_cols)
        writer.parquet(staging)
        return Staged(staging, tuple(sorted(output_listing(fs, root))))
    from pyspark.sql.pandas.types import from_arrow_schema

    schema = output_schema(plan.input_schema, plan.batch)
    writer = ArrowWriter(staging, schema, plan.partition_cols, plan.info.run_id)
    written = rows.df.mapInArrow(Chain((*rows.pending, writer)), from_arrow_schema(WRITTEN_SCHEMA)).collect()
    return Staged(staging, tuple(sorted(posixpath.relpath(row.path, root) for row in written)))


def check_rows(plan: Plan, staged: Staged) -> RowCheck:
    """The staged rows against the input rows of the processed units, by id; read with pyarrow on the driver.

    The ids pass through the driver's memory (a count per distinct id), never into a log or the report.
    """
    id_col = plan.args.id_col
    wanted = Counter(plan.dataset.dataset(plan.todo).to_table(columns=[id_col]).column(id_col).to_pylist())
    if not staged.files:  # units whose files hold no rows: nothing was staged
        return RowCheck(ids_missing=sum(wanted.values()), duplicate_ids_in_input=sum(n - 1 for n in wanted.values()))
    fs, root = filesystem(staged.uri)
    paths = [f"{root}/{f}" for f in staged.files]
    out = ds.dataset(paths, filesystem=fs, format="parquet", partitioning="hive", partition_base_dir=root).to_table(columns=[id_col, STATUS_COL])
    got = Counter(out.column(id_col).to_pylist())
    return RowCheck(
        rows_out=out.num_rows,
        rows_error=pc.sum(pc.equal(out.column(STATUS_COL), "error")).as_py() or 0,
        ids_missing=sum((wanted - got).values()),
        ids_unexpected=sum((got - wanted).values()),
        duplicate_ids_in_input=sum(n - 1 for n in wanted.values()),
    )


def _replaced_folders(files: tuple[str, ...], partitioned: bool) -> tuple[str, ...]:
    """The output folders a publish replaces: those of the partitions written, or the whole output."""
    return tuple(sorted({posixpath.dirname(f) for f in files})) if partitioned else (ROOT_UNIT,)


def run(plan: Plan) -> RunReport:
    """Process the plan's units on Spark and publish them if every input row was staged exactly once.

    A run whose rows do not match the input by id publishes nothing (its staging is deleted, its
    report goes to ``_deid_report.failed.json``). A run with more error rows than ``max_error_share``
    publishes (those rows are withheld), but leaves its units out of the manifest so that the next
    ``--incremental`` run retries them; ``RunReport.failure`` then says why the job must fail.
    """
    tasks: list[TaskMetrics] = []
    staged: Staged | None = None
    started = time.perf_counter()
    if plan.todo:
        with spark_session(plan) as spark:
            started = time.perf_counter()
            rows, metrics = transform(spark, extract(spark, plan), plan)
            staged = load(rows, plan)
            tasks = metrics.value
    check = check_rows(plan, staged) if staged is not None else RowCheck()
    report = build_report(plan.info, plan.rows_in, check, time.perf_counter() - started, tasks, plan.config.max_error_share)
    fs, out_root = filesystem(plan.args.output)
    if staged is None:  # every unit current: nothing to publish, the output is this run's result
        report = replace(report, published=True)
        fs.create_dir(out_root, recursive=True)
        write_atomic(fs, f"{out_root}/{REPORT_NAME}", (report.to_json() + "\n").encode("utf-8"))
        return report
    if not report.complete:
        log.error("run %s: the staged rows are not the input rows by id; nothing is published", plan.info.run_id)
        discard(fs, filesystem(staged.uri)[1])
        write_atomic(fs, f"{out_root}/{FAILED_REPORT_NAME}", (report.to_json() + "\n").encode("utf-8"))
        return report
    done = {u: plan.records[u] for u in plan.todo}
    manifest = plan.manifest.without(plan.todo) if report.too_many_errors else plan.manifest.updated(done)
    report = replace(report, published=True)
    journal = Journal(
        run_id=plan.info.run_id,
        files=staged.files,
        replace=_replaced_folders(staged.files, bool(plan.partition_cols)),
        units={u: asdict(r) for u, r in manifest.units.items()},
        report_name=REPORT_NAME,
        report=report.to_dict(),
    )
    publish(plan.args.output, journal)
    return report
