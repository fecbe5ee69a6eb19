"""Runs covplan shards on Apache Spark: one task per shard, then one merge.

    spark-submit --master spark://HOST:7077 --files /path/to/covplan \
        deploy/spark/covplan_job.py --shards SHARDS --results RESULTS --out OUT

SHARDS is the folder `covplan shard PROJECT --by county --out SHARDS` wrote; it, RESULTS and OUT
must be on storage every executor and the driver see under the same path (NFS, a cluster file
system, or one machine's disk for a local cluster). Each task runs the covplan binary shipped
with the job (`--files`) as `covplan run --shard SHARDS/<code> --out RESULTS/<code>`; the
driver then gathers every shard's verdicts into one Parquet dataset partitioned by shard
(OUT/verdicts_by_shard, Spark SQL) and runs `covplan merge RESULTS/* --out OUT/merged`, whose
files are byte-identical to `covplan analyze PROJECT --out DIR` on the whole project.

Why the binary and not a Python binding of the core: a binding is a compiled extension per
Python version and platform on every executor, and a second way into the core to keep equal to
the command line; the binary is one file Spark already knows how to ship, runs exactly the code
`covplan analyze` runs, and needs nothing on the executors but a Linux with the glibc it was
built against (build it on the oldest distribution the cluster runs).

OUT/spark_run.json records, per shard, which executor and worker ran it and how long it took.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time


def executor_identity():
    """The executor id and worker URL of the JVM this Python worker runs under (read from the
    command line of the nearest CoarseGrainedExecutorBackend ancestor), else ('?', hostname)."""
    pid = os.getpid()
    while pid > 1:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = [a.decode(errors="replace") for a in f.read().split(b"\0")]
            with open(f"/proc/{pid}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            break
        if any("CoarseGrainedExecutorBackend" in a for a in args):
            def arg(name):
                return args[args.index(name) + 1] if name in args else "?"
            return arg("--executor-id"), arg("--worker-url")
        pid = parent
    return "?", socket.gethostname()


def run_shard(code, shards, results, binary):
    """Runs one shard with the shipped binary; returns what the driver records."""
    from pyspark import SparkFiles

    exe = SparkFiles.get(binary)
    if not os.access(exe, os.X_OK):
        os.chmod(exe, 0o755)
    started = time.time()
    out = os.path.join(results, code)
    p = subprocess.run([exe, "run", "--shard", os.path.join(shards, code), "--out", out], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"covplan run --shard {code} failed ({p.returncode}): {p.stderr.strip()}")
    executor, worker = executor_identity()
    return {"shard": code, "executor": executor, "worker": worker, "seconds": round(time.time() - started, 3), "stdout": p.stdout.strip()}


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shards", required=True, help="the folder covplan shard wrote")
    ap.add_argument("--results", required=True, help="where each shard's results go (one folder per shard)")
    ap.add_argument("--out", required=True, help="where the merged outputs and the run record go")
    ap.add_argument("--binary", default="covplan", help="file name of the covplan binary shipped with --files")
    ap.add_argument("--merge-with", default=None, help="covplan binary the driver merges with (default: the shipped one)")
    a = ap.parse_args(argv)

    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark import SparkFiles

    spark = SparkSession.builder.appName("covplan shards").getOrCreate()
    sc = spark.sparkContext
    shards, results, out = (os.path.abspath(p) for p in (a.shards, a.results, a.out))
    with open(os.path.join(shards, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    codes = [area["code"] for area in manifest["areas"]]
    os.makedirs(results, exist_ok=True)
    os.makedirs(out, exist_ok=True)

    # One task per shard; the largest first, so that the last tasks are short ones.
    codes.sort(key=lambda c: -next(x["carried"][1] for x in manifest["areas"] if x["code"] == c))
    started = time.time()
    runs = sc.parallelize(codes, len(codes)).map(lambda c: run_shard(c, shards, results, a.binary)).collect()
    shard_seconds = time.time() - started

    # Every shard's verdicts as one Parquet dataset, partitioned by shard (Spark SQL).
    paths = [os.path.join(results, c, "verdicts.parquet") for c in codes]
    verdicts = spark.read.parquet(*paths).withColumn("shard", F.regexp_extract(F.input_file_name(), r"/([^/]+)/verdicts\.parquet$", 1))
    verdicts.drop("bbox").write.mode("overwrite").partitionBy("shard").parquet("file://" + os.path.join(out, "verdicts_by_shard"))
    counts = {r["shard"]: r["count"] for r in verdicts.groupBy("shard").count().collect()}

    # The merge: per-area, share and county figures from the places, as covplan analyze.
    merger = a.merge_with or SparkFiles.get(a.binary)
    if not os.access(merger, os.X_OK):
        os.chmod(merger, 0o755)
    merged = os.path.join(out, "merged")
    subprocess.run([merger, "merge", *[os.path.join(results, c) for c in sorted(codes)], "--out", merged], check=True)
    record = {
        "shards": len(codes),
        "shard_phase_seconds": round(shard_seconds, 3),
        "executors": sorted({(r["executor"], r["worker"]) for r in runs}),
        "runs": sorted(runs, key=lambda r: r["shard"]),
        "verdict_rows": counts,
    }
    with open(os.path.join(out, "spark_run.json"), "w", encoding="utf-8") as f:
        json.dump(record, f, ensure_ascii=False, indent=2)
    print(f"{len(codes)} shards on {len(record['executors'])} executors in {shard_seconds:.1f} s; merged into {merged}")
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
