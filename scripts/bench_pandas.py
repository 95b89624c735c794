#!/usr/bin/env python3
"""The baseline a researcher would otherwise use: pandas.read_html (lxml) over HTML files.

Usage: bench_pandas.py FILE_LIST   (one path per line). Prints one JSON object: files,
bytes, seconds (wall, one process, one core), tables found, files that raised.
"""
import io
import json
import sys
import time

import pandas as pd


def main() -> None:
    paths = [p for p in open(sys.argv[1], encoding="utf-8").read().splitlines() if p]
    blobs = [open(p, "rb").read() for p in paths]
    tables = failed = 0
    start = time.perf_counter()
    for blob in blobs:
        try:
            tables += len(pd.read_html(io.BytesIO(blob), flavor="lxml"))
        except Exception:  # no tables, undecodable bytes: a researcher's loop skips them too
            failed += 1
    seconds = time.perf_counter() - start
    print(json.dumps({"files": len(blobs), "bytes": sum(map(len, blobs)), "seconds": seconds,
                      "tables": tables, "failed": failed, "pandas": pd.__version__}))


if __name__ == "__main__":
    main()
