"""The batch job: de-identify text columns of a Parquet dataset on Spark (``jobs/deid.py``).

Everything but ``job`` imports without pyspark: ``batch`` is the function Spark maps over Arrow
record batches, ``manifest`` the incremental bookkeeping, ``report`` the run report, ``storage``
the filesystem and Arrow reader/writer for ``s3://`` without Spark's S3 connector, ``publish`` the
crash-safe switch from a run's staging folder to the output, and ``config`` the job settings from
``conf/job/*.yaml``.
"""
