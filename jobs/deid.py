"""De-identify text columns of a Parquet dataset on Spark: extract -> transform -> load.

    spark-submit jobs/deid.py --input data/sample/notes.parquet --output out/sample \\
        --text-col note_text --text-col addendum --id-col note_id --patient-col patient_id

Also runs as ``python jobs/deid.py ...`` (local Spark). See ``deid/spark/`` for the steps.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the package; take its folder off the import path so `deid` is the library.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import click  # noqa: E402

from deid.adapter import DEFAULT_ADAPTER  # noqa: E402
from deid.logs import configure_logging  # noqa: E402
from deid.redact import DEFAULT_POLICY, MissingKeyError  # noqa: E402
from deid.spark import job  # noqa: E402
from deid.spark.config import DEFAULT_JOB_CONFIG  # noqa: E402


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--input", "input_", required=True, help="Parquet file or folder (hive partitions); local path or s3:// URI.")
@click.option("--output", required=True, help="Output folder; local path or s3:// URI.")
@click.option("--text-col", "text_cols", multiple=True, required=True, help="Text column to de-identify (repeatable).")
@click.option("--id-col", required=True, help="Row id column.")
@click.option("--patient-col", default=None, help="Patient id column (for per-patient operators such as date_shift).")
@click.option("--model", envvar="DEID_MODEL", default=str(DEFAULT_ADAPTER), show_default=True, help="Adapter folder or URI.")
@click.option("--policy", envvar="DEID_POLICY", default=DEFAULT_POLICY, show_default=True, help="Policy name, YAML path or URI.")
@click.option("--conf", envvar="DEID_JOB_CONF", default=str(DEFAULT_JOB_CONFIG), show_default=True, help="Job config YAML.")
@click.option("--engine", type=click.Choice(["vllm", "transformers"]), default="vllm", show_default=True)
@click.option("--detector", type=click.Choice(["model", "patterns"]), default="model", show_default=True, help="'patterns' needs no model.")
@click.option("--keep-values", is_flag=True, help="Add each span's original value to <col>_phi (the output then holds PHI).")
@click.option("--drop-original", is_flag=True, help="Leave the raw text columns out of the output.")
@click.option("--partition-by", multiple=True, help="Output partition column (repeatable) [default: the input's].")
@click.option("--incremental", is_flag=True, help="Skip input partitions already processed with this model, policy and settings.")
@click.option("--io", type=click.Choice(["auto", "spark", "arrow"]), default="auto", show_default=True, help="auto: arrow for s3://, else spark.")
@click.option("--master", envvar="DEID_SPARK_MASTER", default=None, help="Spark master (overrides spark-submit and the config).")
@click.option("-v", "--verbose", is_flag=True, help="Log progress (never text or values).")
def main(input_: str, verbose: bool, text_cols: tuple[str, ...], partition_by: tuple[str, ...], **options: object) -> None:
    """De-identify TEXT_COLs of a Parquet dataset into <col>_deid and <col>_phi columns."""
    configure_logging(verbose)  # before anything imports vLLM
    try:
        plan = job.plan_run(job.JobArgs(input=input_, text_cols=text_cols, partition_by=partition_by, **options))  # type: ignore[arg-type]
    except (ValueError, FileNotFoundError, MissingKeyError) as error:  # bad input, settings, adapter or key
        raise click.ClickException(str(error)) from None
    report = job.run(plan)
    click.echo(report.summary())
    failure = report.failure()
    if failure:
        raise click.ClickException(failure)


if __name__ == "__main__":  # vLLM on CPU needs the guard in the driver script
    main()
