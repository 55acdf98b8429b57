#!/usr/bin/env python3
"""The at-scale path run by real SQL engines (README "Beyond one machine").

On a small generated set (`trailsight generate`, 9 days, bundled into a few
large `{"Records":[...]}` files, plus tests/sql/edge_*.json with the records
the field rules are about) this script:

1. makes the `cloudtrail_logs` view with the columns and types of AWS's Athena
   CloudTrail table, in DuckDB (`trailsight sql duckdb-view`: `read_json` +
   `unnest(Records)`, `readonly` and `eventtime` strings, `useridentity` a
   struct) and in Spark
   (`spark.read.json` + `explode(Records)`, `readonly` a boolean; `local[2]`,
   one session for every Spark query);
2. runs `trailsight sql counts` of each dialect: duckdb and spark natively, and
   athena (Trino) transpiled by sqlglot into DuckDB, so a Trino syntax error or
   an unknown function fails here; writes the result as CSV (Athena's quoting
   for athena) and Parquet;
3. checks that the rows equal `trailsight counts` on the raw files, and that
   `trailsight detect --counts` prints exactly what `trailsight detect` prints
   on the raw files;
4. the same for `trailsight sql attributions` (+ `detect --attributions`), with
   the default options and with --include-read-calls --include-data-events;
5. runs `trailsight sql events` and checks each Insight's event count against
   its record (insight average x duration).

Usage: engines.py --trailsight BIN --work DIR [--engines duckdb,athena,spark]
Prints one summary line; exits non-zero with the first difference.
"""
import argparse
import csv
import glob
import gzip
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

COUNTS_KEY = ["account", "region", "event_source", "event_name", "event_category", "read_only", "error_code", "minute"]
ATTR_KEY = ["shared_event_id", "period", "attribute", "value"]
VARIANTS = [("default", []), ("data", ["--include-data-events"]), ("read+data", ["--include-read-calls", "--include-data-events"])]


class Failure(Exception):
    pass


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, **kw)
    if p.returncode != 0:
        raise Failure(f"{' '.join(map(str, cmd))} exited {p.returncode}:\n{p.stderr.decode(errors='replace')}")
    return p.stdout


def bundle(trailsight, work, files=4):
    """Generated logs (9 days) bundled into `files` plain JSON files, plus the edge cases."""
    gen = os.path.join(work, "gen")
    raw = os.path.join(work, "raw")
    if not os.path.isdir(gen):
        run([trailsight, "generate", gen, "--days", "9", "--seed", "3", "--scale", "0.1"])
    os.makedirs(raw, exist_ok=True)
    paths = sorted(glob.glob(os.path.join(gen, "AWSLogs", "**", "*.json.gz"), recursive=True))
    records = [[] for _ in range(files)]
    for i, p in enumerate(paths):
        with gzip.open(p, "rt") as f:
            records[i * files // len(paths)].extend(json.load(f)["Records"])
    for i, recs in enumerate(records):
        with open(os.path.join(raw, f"part-{i}.json"), "w") as f:
            json.dump({"Records": recs}, f, separators=(",", ":"))
    # One line per file, as CloudTrail writes them (Spark reads JSON Lines).
    # Spark gets its own copy of the edge files with the string readOnly values
    # ("TRUE", "false") as the booleans they mean: with one string in the files
    # Spark would type the whole column as a string, and its boolean reading
    # (what Spark gives on real logs) would go untested. Ingest reads both the
    # same, so the native reference is unchanged.
    spark_raw = os.path.join(work, "raw-spark")
    os.makedirs(spark_raw, exist_ok=True)
    for i in range(files):
        dst = os.path.join(spark_raw, f"part-{i}.json")
        if not os.path.exists(dst):
            os.link(os.path.join(raw, f"part-{i}.json"), dst)
    for name in ("edge_a.json", "edge_b.json"):
        with open(os.path.join(HERE, name)) as src:
            doc = json.load(src)
        with open(os.path.join(raw, name), "w") as dst:
            json.dump(doc, dst, separators=(",", ":"))
        for r in doc["Records"]:
            if isinstance(r.get("readOnly"), str):
                r["readOnly"] = r["readOnly"].lower() == "true"
        with open(os.path.join(spark_raw, name), "w") as dst:
            json.dump(doc, dst, separators=(",", ":"))
    return raw, spark_raw, sum(len(r) for r in records)


def duckdb_view(con, trailsight, raw):
    """`trailsight sql duckdb-view` over the raw files, materialised once as
    the table the queries read (same columns and types; every test query
    would otherwise parse the JSON again)."""
    view = run([trailsight, "sql", "duckdb-view", "--files", f"{raw}/*.json", "--table", "raw_view"]).decode()
    con.execute(view)
    con.execute("CREATE OR REPLACE TABLE cloudtrail_logs AS SELECT * FROM raw_view")


def spark_session(raw):
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("trailsight-sql-test")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    # The README's three lines.
    logs = spark.read.json(f"{raw}/*.json")
    events = logs.selectExpr("explode(Records) AS r").select("r.*")
    kinds = dict(events.dtypes)
    if kinds.get("readOnly") != "boolean":
        raise Failure(f"Spark read readOnly as {kinds.get('readOnly')}, not boolean")
    events.createOrReplaceTempView("cloudtrail_logs")
    # Parsed once for all the test's queries.
    spark.catalog.cacheTable("cloudtrail_logs")
    return spark


class Engines:
    """Runs one dialect's query and writes its result as CSV and Parquet."""

    def __init__(self, trailsight, raw, spark_raw, names):
        self.names = names
        self.con = None
        self.spark = None
        self.seconds = {n: 0.0 for n in names}
        if "duckdb" in names or "athena" in names:
            import duckdb

            self.con = duckdb.connect()
            duckdb_view(self.con, trailsight, raw)
        if "spark" in names:
            t = time.perf_counter()
            self.spark = spark_session(spark_raw)
            self.seconds["spark"] += time.perf_counter() - t

    def write(self, engine, query, out_base):
        """Runs `query` and writes `out_base`.csv and .parquet; returns their paths."""
        t = time.perf_counter()
        csv_path, pq_path = out_base + ".csv", out_base + ".parquet"
        if engine == "spark":
            df = self.spark.sql(query).coalesce(1).cache()
            for path, fmt in ((csv_path, "csv"), (pq_path, "parquet")):
                tmp = path + ".d"
                w = df.write.mode("overwrite")
                (w.option("header", True).csv(tmp) if fmt == "csv" else w.parquet(tmp))
                part = [p for p in os.listdir(tmp) if p.startswith("part-")]
                if len(part) != 1:
                    raise Failure(f"spark wrote {part} in {tmp}")
                os.replace(os.path.join(tmp, part[0]), path)
            df.unpersist()
        else:
            if engine == "athena":
                import sqlglot

                try:
                    query = ";\n".join(sqlglot.transpile(query, read="trino", write="duckdb", unsupported_level=sqlglot.ErrorLevel.RAISE))
                except sqlglot.errors.SqlglotError as e:
                    raise Failure(f"sqlglot cannot read the athena query as Trino: {e}")
            # Athena's CSV quotes every value; DuckDB's own CSV only where needed.
            quote = ", FORCE_QUOTE *" if engine == "athena" else ""
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE result AS {query}")
            self.con.execute(f"COPY result TO '{csv_path}' (HEADER{quote})")
            self.con.execute(f"COPY result TO '{pq_path}' (FORMAT parquet)")
        self.seconds[engine] += time.perf_counter() - t
        return csv_path, pq_path

    def close(self):
        if self.spark is not None:
            self.spark.stop()


def rows_of(path, key):
    """{key tuple: events} of a CSV or Parquet interchange file, read with DuckDB."""
    import duckdb

    reader = "read_parquet" if path.endswith(".parquet") else "read_csv"
    opts = "" if reader == "read_parquet" else ", all_varchar = true, header = true"
    con = duckdb.connect()
    cols = ", ".join(f"coalesce(CAST({k} AS varchar), '')" for k in key)
    out = {}
    for row in con.execute(f"SELECT {cols}, CAST(events AS bigint), CAST(version AS bigint) FROM {reader}('{path}'{opts})").fetchall():
        k = tuple(str(v).lower() if name == "read_only" else v for name, v in zip(key, row[:-2]))
        if row[-1] != 1:
            raise Failure(f"{path}: version {row[-1]}")
        if k in out:
            raise Failure(f"{path}: two rows for {k}")
        out[k] = row[-2]
    return out


def same_rows(what, got_path, want_path, key):
    got, want = rows_of(got_path, key), rows_of(want_path, key)
    if got != want:
        missing = [k for k in want if got.get(k) != want[k]][:5]
        extra = [k for k in got if k not in want][:5]
        raise Failure(
            f"{what}: {os.path.basename(got_path)} has {len(got)} rows, trailsight's {len(want)};"
            f" differing: {[(k, got.get(k), want[k]) for k in missing]}; extra: {[(k, got[k]) for k in extra]}"
        )
    return len(got)


def same_output(what, got, want):
    """Byte for byte; `want` is what detect prints on the raw files."""
    if got != want:
        g, w = got.decode().splitlines(), want.decode().splitlines()
        first = next((i for i in range(max(len(g), len(w))) if i >= len(g) or i >= len(w) or g[i] != w[i]), None)
        raise Failure(
            f"{what}: detect output differs from detect on the raw files ({len(g)} vs {len(w)} lines);"
            f" first difference at line {first}:\n got  {g[first] if first < len(g) else '<none>'}\n want {w[first] if first < len(w) else '<none>'}"
        )


def check_events(engine, engines, trailsight, work, raw_insights, flags):
    """`sql events`: per Insight, as many events as its End record's average x duration."""
    query = run([trailsight, "sql", "events", "--engine", engine, "--insights", raw_insights] + flags).decode()
    csv_path, _ = engines.write(engine, query, os.path.join(work, f"events-{engine}"))
    with open(csv_path, newline="") as f:
        got = {}
        for row in csv.DictReader(f):
            got[row["shared_event_id"]] = got.get(row["shared_event_id"], 0) + 1
    want = {}
    for line in open(raw_insights):
        r = json.loads(line)
        d = r["insightDetails"]
        if d["state"] == "End":
            stats = d["insightContext"]["statistics"]
            want[r["sharedEventID"]] = round(stats["insight"]["average"] * stats["insightDuration"])
    if got != {k: v for k, v in want.items() if v}:
        raise Failure(f"{engine} events query: events per Insight {got}, records say {want}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trailsight", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--engines", default="duckdb,athena,spark")
    args = ap.parse_args()
    started = time.perf_counter()
    ts, work = args.trailsight, args.work
    names = args.engines.split(",")
    os.makedirs(work, exist_ok=True)
    raw, spark_raw, generated = bundle(ts, work)

    native_counts = os.path.join(work, "native-counts.csv")
    run([ts, "counts", raw, "--out", native_counts])
    reference = {}
    for variant, flags in VARIANTS:
        out = run([ts, "detect", raw] + flags)
        path = os.path.join(work, f"insights-{variant.replace('+', '-')}.jsonl")
        with open(path, "wb") as f:
            f.write(out)
        native_attr = os.path.join(work, f"native-attributions-{variant.replace('+', '-')}.csv")
        run([ts, "counts", raw, "--attributions-for", path, "--out", native_attr] + flags)
        # detect --counts without attributions: as on the native counts file.
        bare = run([ts, "detect", "--counts", native_counts] + flags)
        reference[variant] = (out, path, native_attr, bare)
    if not reference["default"][0].strip():
        raise Failure("trailsight detect found no Insights in the generated set: nothing to compare")

    engines = Engines(ts, raw, spark_raw, names)
    checks, counts_rows, attr_rows = 0, 0, 0
    try:
        for engine in names:
            query = run([ts, "sql", "counts", "--engine", engine]).decode()
            files = engines.write(engine, query, os.path.join(work, f"counts-{engine}"))
            for f in files:
                counts_rows = same_rows(f"{engine} counts", f, native_counts, COUNTS_KEY)
                checks += 1
            for variant, flags in VARIANTS:
                want, insights, native_attr, bare = reference[variant]
                for f in files:
                    same_output(f"{engine} {variant} {os.path.basename(f)}", run([ts, "detect", "--counts", f] + flags), bare)
                    checks += 1
                q = run([ts, "sql", "attributions", "--engine", engine, "--insights", insights] + flags).decode()
                attr = engines.write(engine, q, os.path.join(work, f"attributions-{engine}-{variant.replace('+', '-')}"))
                for c, a in zip(files, attr):
                    attr_rows = same_rows(f"{engine} {variant} attributions", a, native_attr, ATTR_KEY)
                    same_output(f"{engine} {variant} {os.path.basename(a)}", run([ts, "detect", "--counts", c, "--attributions", a] + flags), want)
                    checks += 2
                check_events(engine, engines, ts, work, insights, flags)
                checks += 1
    finally:
        engines.close()
    timing = ", ".join(f"{n} {s:.1f} s" for n, s in engines.seconds.items())
    print(
        f"sql engines: {checks} checks passed ({', '.join(names)}) on {generated} generated events"
        f" + edge cases; counts {counts_rows} rows, attributions {attr_rows} rows; {timing}; total {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print(f"sql engines: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
