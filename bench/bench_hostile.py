"""Hostile sizes: seconds per MB of windowing, pattern detection and redaction on a note with a line
break every 10 characters, at growing sizes up to 5 MB. Linear work keeps seconds/MB flat.

    .venv/bin/python bench/bench_hostile.py [--sizes 0.5 1 2 5]

Prints a markdown table. Run by hand on an idle machine (timings), never in the test suite.
"""

from __future__ import annotations

import argparse
import time

from deid.patterns import detect_patterns
from deid.redact import load_policy, redact
from deid.spans import unite_overlapping
from deid.windows import split_windows

LINE = "Pt 9 ok.\n"  # 10 characters with the break; every 50th line carries an identifier
ID_LINE = "SSN 123-45-6789 MRN: 4471983 on 3/4/21\n"


def hostile(chars: int) -> str:
    lines, size, i = [], 0, 0
    while size < chars:
        line = ID_LINE if i % 50 == 49 else LINE
        lines.append(line)
        size += len(line)
        i += 1
    return "".join(lines)[:chars]


def timed(step) -> float:  # noqa: ANN001
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.5, 1.0, 2.0, 5.0], help="note sizes in MB (10^6 characters)")
    args = parser.parse_args()
    policy = load_policy("tag", env={})
    print("| MB | windows s/MB | patterns s/MB | redaction s/MB | windows | spans |")
    print("|---:|---:|---:|---:|---:|---:|")
    for mb in args.sizes:
        text = hostile(int(mb * 1_000_000))
        windows: list = []
        spans: list = []
        w = timed(lambda: windows.extend(split_windows(text, 1200, 150)))
        p = timed(lambda: spans.extend(detect_patterns(text)))
        r = timed(lambda: redact(text, unite_overlapping(spans), policy))
        print(f"| {mb:g} | {w / mb:.3f} | {p / mb:.3f} | {r / mb:.3f} | {len(windows)} | {len(spans)} |")


if __name__ == "__main__":
    main()
