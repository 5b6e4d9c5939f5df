"""Logging for the command line and the Spark job: our INFO lines with -v; the engine's start-up only with -v.

Never log text or values: only counts, ids of runs, labels and offsets.
"""

from __future__ import annotations

import logging
import os

LOG_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"
# vLLM reads this once, when first imported; its start-up is ~40 INFO lines, and on CPU it adds
# WARNING notices (about its CPU backend) that need no action, so without -v only errors show.
VLLM_LEVEL_ENV = "VLLM_LOGGING_LEVEL"


def configure_logging(verbose: bool) -> None:
    """INFO for deid and vLLM when ``verbose``, else WARNING for deid and ERROR for vLLM; set before vLLM is imported.

    An explicit ``VLLM_LOGGING_LEVEL`` in the environment wins.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format=LOG_FORMAT)
    os.environ.setdefault(VLLM_LEVEL_ENV, "INFO" if verbose else "ERROR")
