#!/usr/bin/env python3
"""The "Beyond one machine" figures (README): on one set of raw CloudTrail
logs, in one run,

- `trailsight detect` on the raw files (wall time: the reference);
- the sizes of the step-1 result (`trailsight counts`: rows, CSV, .csv.gz and
  Parquet bytes) and of the step-3 result (`trailsight counts
  --attributions-for`: rows, CSV and Parquet bytes) against the events and the
  gzip bytes of the logs;
- DuckDB: step 1 (`trailsight sql counts --engine duckdb` over the view of
  `trailsight sql duckdb-view`, written as Parquet) and step 3 (`trailsight sql
  attributions --engine duckdb`), timed, then `trailsight detect --counts
  --attributions` on its results, checked byte for byte against the raw run;
- optionally (--spark) Spark `local[2]`: `spark.read.json` + `explode(Records)`
  and step 1, timed (session start apart), with the same check of step 2.

Prints one JSON object (also written to --out). Usage:

  target/sql-venv/bin/python scripts/bench_sql.py --trailsight target/release/trailsight \
      --logs /work/data/s10 --work /tmp/bench-sql-s10 [--spark] [--no-duckdb]

Needs the `duckdb` package (and `pyspark` with Java 17 for --spark): the venv of
tests/sql/requirements.txt.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time


CPU = {}


def child_cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def run(cmd, out=None, cpu_key=None):
    """Runs `cmd`, stdout to `out` (a path) or returned; returns (seconds, stdout).
    With `cpu_key`, its CPU seconds (user + system) go to CPU[cpu_key]: on a
    shared machine wall time depends on the others' load, CPU time much less."""
    t, c = time.perf_counter(), child_cpu()
    if out is None:
        p = subprocess.run(cmd, check=True, stdout=subprocess.PIPE)
        got = p.stdout
    else:
        with open(out, "wb") as f:
            subprocess.run(cmd, check=True, stdout=f)
        got = b""
    if cpu_key:
        CPU[cpu_key] = round(child_cpu() - c, 2)
    return time.perf_counter() - t, got


def log_bytes(root):
    files = total = 0
    for base, _, names in os.walk(os.path.join(root, "AWSLogs")):
        for n in names:
            files += 1
            total += os.path.getsize(os.path.join(base, n))
    return files, total


def native(ts, logs, work, raw, formats):
    """Step-1 and step-3 sizes from `trailsight counts` (each run reads the logs again)."""
    out = {}
    for ext in formats:
        path = os.path.join(work, f"counts.{ext}")
        s, _ = run([ts, "counts", logs, "--out", path], cpu_key=f"counts_{ext}_write_cpu_s")
        out[f"counts_{ext}_bytes"] = os.path.getsize(path)
        out[f"counts_{ext}_write_s"] = round(s, 2)
    import duckdb

    pq = os.path.join(work, "counts.parquet")
    out["counts_rows"] = duckdb.connect().execute(f"SELECT count(*) FROM '{pq}'").fetchone()[0]
    for ext in ("csv", "parquet") if "csv" in formats else ("parquet",):
        path = os.path.join(work, f"attributions.{ext}")
        run([ts, "counts", logs, "--attributions-for", raw, "--out", path])
        out[f"attributions_{ext}_bytes"] = os.path.getsize(path)
    apq = os.path.join(work, "attributions.parquet")
    out["attributions_rows"] = duckdb.connect().execute(f"SELECT count(*) FROM '{apq}'").fetchone()[0]
    return out


def same_as_raw(ts, raw, counts, attributions, work, name):
    """`detect --counts C --attributions A` equals the raw run byte for byte."""
    got = os.path.join(work, f"{name}.jsonl")
    s, _ = run([ts, "detect", "--counts", counts, "--attributions", attributions], out=got, cpu_key=f"{name}_step2_detect_cpu_s")
    with open(got, "rb") as a, open(raw, "rb") as b:
        return a.read() == b.read(), s


def duckdb_run(ts, logs, work, raw):
    import duckdb

    con = duckdb.connect()
    glob = os.path.join(logs, "AWSLogs", "**", "*.json.gz")
    view = run([ts, "sql", "duckdb-view", "--files", glob])[1].decode()
    counts_q = run([ts, "sql", "counts", "--engine", "duckdb"])[1].decode()
    attr_q = run([ts, "sql", "attributions", "--engine", "duckdb", "--insights", raw])[1].decode()
    con.execute(view)
    counts_pq = os.path.join(work, "duckdb-counts.parquet")
    attr_pq = os.path.join(work, "duckdb-attributions.parquet")
    # process_time: the CPU of every DuckDB thread of this process.
    t, c = time.perf_counter(), time.process_time()
    con.execute(f"COPY ({counts_q}) TO '{counts_pq}' (FORMAT parquet)")
    step1, step1_cpu = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    con.execute(f"COPY ({attr_q}) TO '{attr_pq}' (FORMAT parquet)")
    step3, step3_cpu = time.perf_counter() - t, time.process_time() - c
    rows = con.execute(f"SELECT count(*) FROM '{counts_pq}'").fetchone()[0]
    same, detect_s = same_as_raw(ts, raw, counts_pq, attr_pq, work, "duckdb")
    return {
        "duckdb_version": duckdb.__version__,
        "duckdb_threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
        "duckdb_step1_s": round(step1, 2),
        "duckdb_step3_s": round(step3, 2),
        "duckdb_step1_cpu_s": round(step1_cpu, 2),
        "duckdb_step3_cpu_s": round(step3_cpu, 2),
        "duckdb_counts_rows": rows,
        "duckdb_step2_detect_s": round(detect_s, 2),
        "duckdb_same_as_raw": same,
    }


def spark_run(ts, logs, work, raw):
    from pyspark.sql import SparkSession

    t = time.perf_counter()
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("trailsight-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    start = time.perf_counter() - t
    counts_q = run([ts, "sql", "counts", "--engine", "spark"])[1].decode()
    out = os.path.join(work, "spark-counts.d")
    t = time.perf_counter()
    files = os.path.join(logs, "AWSLogs", "*", "CloudTrail", "*", "*", "*", "*", "*.json.gz")
    logs_df = spark.read.json(files)
    logs_df.selectExpr("explode(Records) AS r").select("r.*").createOrReplaceTempView("cloudtrail_logs")
    spark.sql(counts_q).coalesce(1).write.mode("overwrite").parquet(out)
    step1 = time.perf_counter() - t
    spark.stop()
    part = [os.path.join(out, p) for p in os.listdir(out) if p.startswith("part-")]
    same, _ = same_as_raw(ts, raw, part[0], os.path.join(work, "attributions.parquet"), work, "spark")
    return {"spark_session_start_s": round(start, 1), "spark_step1_s": round(step1, 1), "spark_same_as_raw": same}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trailsight", required=True)
    ap.add_argument("--logs", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out")
    ap.add_argument("--spark", action="store_true")
    ap.add_argument("--no-duckdb", action="store_true")
    ap.add_argument("--formats", default="parquet,csv,csv.gz",
                    help="counts containers to write natively (parquet is always written)")
    a = ap.parse_args()
    ts = os.path.abspath(a.trailsight)
    os.makedirs(a.work, exist_ok=True)
    files, gz = log_bytes(a.logs)
    raw = os.path.join(a.work, "raw.jsonl")
    detect_s, _ = run([ts, "detect", a.logs], out=raw, cpu_key="detect_raw_cpu_s")
    with open(raw) as f:
        records = [json.loads(line) for line in f if line.strip()]
    r = {
        "logs": a.logs,
        "log_files": files,
        "log_gzip_bytes": gz,
        "detect_raw_s": round(detect_s, 2),
        "insights": len({x["sharedEventID"] for x in records}),
    }
    formats = ["parquet"] + [f for f in a.formats.split(",") if f and f != "parquet"]
    r.update(native(ts, a.logs, a.work, raw, formats))
    import duckdb

    pq = os.path.join(a.work, "counts.parquet")
    r["events"] = int(duckdb.connect().execute(f"SELECT sum(events) FROM '{pq}'").fetchone()[0])
    if not a.no_duckdb:
        r.update(duckdb_run(ts, a.logs, a.work, raw))
    if a.spark:
        r.update(spark_run(ts, a.logs, a.work, raw))
    r.update(CPU)
    r["load_average_at_end"] = os.getloadavg()[0]
    text = json.dumps(r, indent=1)
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
