#!/usr/bin/env python3
"""DuckDB baseline for `trailsight bench`: read every CloudTrail .json.gz under
DIR ({"Records":[...]} files) and build per-minute call and error counts per
(account, region, source, name), the series Trailsight's detector uses.

Prints one JSON object: wall_s (query only, excluding `import duckdb`),
events, series_minutes, threads, duckdb_version.
Needs `pip install duckdb` (e.g. in a venv; pass its python to `trailsight bench --python`).
"""
import json
import os
import sys
import time

import duckdb

RECORD = (
    "STRUCT(eventTime VARCHAR, eventSource VARCHAR, eventName VARCHAR, awsRegion VARCHAR,"
    " recipientAccountId VARCHAR, errorCode VARCHAR, eventID VARCHAR)[]"
)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: bench_duckdb.py DIR")
    root = sys.argv[1]
    glob = os.path.join(root, "**", "*.json.gz")
    con = duckdb.connect()
    t0 = time.perf_counter()
    # Explicit columns: DuckDB need not infer the schema (the fastest honest setup).
    rows = con.execute(
        f"""
        WITH r AS (
            SELECT unnest(Records) AS e
            FROM read_json(?, format = 'auto', columns = {{'Records': '{RECORD}'}},
                           maximum_object_size = 1073741824)
        ),
        d AS (SELECT DISTINCT ON (e.eventID) e FROM r)
        SELECT date_trunc('minute', CAST(e.eventTime AS TIMESTAMP)) AS minute,
               e.recipientAccountId, e.awsRegion, e.eventSource, e.eventName,
               count(*) AS calls, count(e.errorCode) AS errors
        FROM d GROUP BY ALL
        """,
        [glob],
    ).fetchall()
    wall = time.perf_counter() - t0
    events = sum(r[5] for r in rows)
    print(json.dumps({
        "wall_s": wall,
        "events": events,
        "series_minutes": len(rows),
        "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
        "duckdb_version": duckdb.__version__,
    }))


if __name__ == "__main__":
    main()
