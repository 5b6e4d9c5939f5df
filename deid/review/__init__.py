"""The review page: ``deid detect`` output or a job's output folder -> one self-contained HTML file.

A privacy reviewer signs off on a run by reading what was removed: each document's original text with
every span highlighted in its label's colour, the redacted text beside it, its status and fidelity,
and a summary of the run. The page holds PHI (the original text) by nature; it loads nothing from the
network, is written readable by its owner only, and never holds the policy's secret key.
"""

from deid.review.documents import ReviewDoc, ReviewField, ReviewSpan, read_detect_output, read_input, read_job_output, read_report
from deid.review.page import DEFAULT_SAMPLE, Selection, is_remote, render_page, select_documents, write_page

__all__ = [
    "DEFAULT_SAMPLE",
    "ReviewDoc",
    "ReviewField",
    "ReviewSpan",
    "Selection",
    "is_remote",
    "read_detect_output",
    "read_input",
    "read_job_output",
    "read_report",
    "render_page",
    "select_documents",
    "write_page",
]
