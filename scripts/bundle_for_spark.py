#!/usr/bin/env python3
# Usage: scripts/bundle_for_spark.py SRC_TREE DST_TREE N
# Bundles a CloudTrail S3-layout tree into N big files, one original delivery
# file ({"Records":[...]}) per line, so Spark reads few large files (its JSON
# reader takes one document per line) instead of 12,960 small ones.
import gzip, os, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = []
for d, _, fs in os.walk(os.path.join(src, "AWSLogs")):
    files += [os.path.join(d, f) for f in fs if f.endswith(".json.gz")]
files.sort()
out_dir = os.path.join(dst, "AWSLogs", "000000000000", "CloudTrail", "bundle", "2026", "01", "01")
os.makedirs(out_dir, exist_ok=True)
per = (len(files) + n - 1) // n
for b in range(n):
    with gzip.open(os.path.join(out_dir, f"bundle-{b:02}.json.gz"), "wb", compresslevel=1) as out:
        for f in files[b * per:(b + 1) * per]:
            out.write(gzip.open(f, "rb").read().replace(b"\n", b" ").strip() + b"\n")
print(len(files), "files into", n)
