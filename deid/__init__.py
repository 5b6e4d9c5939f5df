"""deid: de-identification of clinical text with a fine-tuned language model."""

from deid.parse import ParseResult, parse_tagged
from deid.spans import Span

__all__ = ["ParseResult", "Span", "parse_tagged"]
