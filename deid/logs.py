"""Logging for the command line and the Spark job: our INFO lines with -v; the engine's start-up only with -v.

Never log text or values: only counts, ids of runs, labels and offsets.
"""

from __future__ import annotations

import logging
import os
import warnings

LOG_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"
# vLLM reads this once, when first imported. Its start-up is ~40 INFO lines, and on CPU it adds
# WARNING notices that need no action (no Triton CPU backend, no tcmalloc/iomp in LD_PRELOAD, the
# global seed), so without -v only its errors show.
VLLM_LEVEL_ENV = "VLLM_LOGGING_LEVEL"
# The C++ side of torch and of vLLM's CPU kernels prints "[W...] Warning: NUMA binding ..." at start-up.
TORCH_CPP_LEVEL_ENV = "TORCH_CPP_LOG_LEVEL"
ENGINE_LOG_ENVS = (VLLM_LEVEL_ENV, TORCH_CPP_LEVEL_ENV)  # what Spark passes on to its Python workers


def configure_logging(verbose: bool) -> None:
    """INFO for deid and the engine when ``verbose``, else WARNING for deid and errors only from the engine.

    Call it before anything imports vLLM or torch. Explicit ``VLLM_LOGGING_LEVEL`` and
    ``TORCH_CPP_LOG_LEVEL`` in the environment win.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format=LOG_FORMAT)
    os.environ.setdefault(VLLM_LEVEL_ENV, "INFO" if verbose else "ERROR")
    os.environ.setdefault(TORCH_CPP_LEVEL_ENV, "INFO" if verbose else "ERROR")
    quiet_engine_imports()
    if not verbose:
        # PySpark warns on import that pandas 3 is not fully supported; the job exchanges Arrow, not pandas.
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)


def quiet_engine_imports() -> None:
    """Hold vLLM's import-time notices to ``VLLM_LOGGING_LEVEL`` too.

    vLLM logs a few lines while it is imported, before it configures its logger from the
    environment, and torch raises FutureWarnings from vLLM's modules; both would show regardless.
    """
    level = os.environ.get(VLLM_LEVEL_ENV, "INFO").upper()
    if level in logging.getLevelNamesMapping():
        logging.getLogger("vllm").setLevel(level)
    if logging.getLevelNamesMapping().get(level, logging.INFO) > logging.WARNING:
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"vllm(\.|$)")


def worker_logging(level: int) -> None:
    """In a process where nothing configured logging (a Spark Python worker), log deid's records at ``level`` to stderr.

    A process that configured logging (the driver, pytest) is left as it is.
    """
    quiet_engine_imports()
    logger = logging.getLogger("deid")
    if logger.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(level)
