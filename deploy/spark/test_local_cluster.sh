#!/usr/bin/env bash
# Runs the Spark job for real on a standalone cluster on 127.0.0.1 (one master, two workers of
# one core each) over a synthetic province of 24 counties, and checks that both workers ran
# shards and that the merged files are byte-identical to `covplan analyze` on the whole
# province. Stops only the processes it started (by their pid).
#
# Needs: Java 17 (Debian: openjdk-17-jre-headless) and pyspark (pip install pyspark==4.3.0).
# Usage: deploy/spark/test_local_cluster.sh [WORK_DIR]     (about two minutes)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${1:-$(mktemp -d -t covplan-spark-XXXXXX)}
mkdir -p "$WORK"
COUNTIES=${COUNTIES:-24}
SPARK_HOME=$(python3 -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
export SPARK_HOME PYSPARK_PYTHON=python3 PYSPARK_DRIVER_PYTHON=python3 SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_DIRS="$WORK/spark-local" SPARK_LOG_DIR="$WORK/logs" SPARK_WORKER_DIR="$WORK/worker"
mkdir -p "$SPARK_LOCAL_DIRS" "$SPARK_LOG_DIR" "$SPARK_WORKER_DIR"

echo "== build and a synthetic province of $COUNTIES counties in $WORK"
(cd "$ROOT" && cargo build --release --locked -q -p covplan && cargo build --release --locked -q -p covplan-core --example gen_province)
COVPLAN="$ROOT/target/release/covplan"
rm -rf "$WORK/province" "$WORK/whole" "$WORK/shards" "$WORK/results" "$WORK/out"
"$ROOT/target/release/examples/gen_province" --counties "$COUNTIES" --keep-buildings 20 --out "$WORK/province" 2>/dev/null
"$COVPLAN" analyze "$WORK/province/project.toml" --out "$WORK/whole" > "$WORK/whole.txt"
"$COVPLAN" shard "$WORK/province/project.toml" --by county --out "$WORK/shards" | tail -1

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT=$(free_port); UI=$(free_port); UI1=$(free_port); UI2=$(free_port)
PIDS=()
stop() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT

echo "== Spark standalone master on 127.0.0.1:$PORT and two workers"
"$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$PORT" --webui-port "$UI" > "$WORK/logs/master.log" 2>&1 &
PIDS+=($!)
for i in 1 2; do
    ui=$([ "$i" = 1 ] && echo "$UI1" || echo "$UI2")
    "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$PORT" --host 127.0.0.1 --cores 1 --memory 2g \
        --webui-port "$ui" --work-dir "$SPARK_WORKER_DIR/$i" > "$WORK/logs/worker$i.log" 2>&1 &
    PIDS+=($!)
done
for _ in $(seq 120); do
    n=$(grep -c "Registering worker" "$WORK/logs/master.log" 2>/dev/null || true)
    [ "${n:-0}" -ge 2 ] && break
    sleep 1
done
[ "$(grep -c "Registering worker" "$WORK/logs/master.log")" -ge 2 ] || { echo "the workers did not register"; tail "$WORK/logs/"*.log; exit 1; }

echo "== spark-submit"
started=$(date +%s)
"$SPARK_HOME/bin/spark-submit" --master "spark://127.0.0.1:$PORT" --conf spark.ui.enabled=false --conf spark.executor.memory=1g \
    --conf spark.driver.host=127.0.0.1 --files "$COVPLAN" "$ROOT/deploy/spark/covplan_job.py" \
    --shards "$WORK/shards" --results "$WORK/results" --out "$WORK/out" --merge-with "$COVPLAN" 2> "$WORK/logs/submit.log"
echo "job took $(( $(date +%s) - started )) s"

echo "== checks"
python3 - "$WORK" <<'PY'
import hashlib, json, os, sys
work = sys.argv[1]
run = json.load(open(os.path.join(work, "out", "spark_run.json")))
workers = {w for _, w in run["executors"]}
print(f"{run['shards']} shards ran on executors {run['executors']}")
assert len(workers) >= 2, f"only {workers} ran tasks"
per = {w: sum(1 for r in run["runs"] if r["worker"] == w) for w in workers}
print("tasks per worker:", per)
def digest(d):
    h = hashlib.sha256()
    for name in sorted(os.listdir(d)):
        h.update(name.encode())
        h.update(open(os.path.join(d, name), "rb").read())
    return h.hexdigest()
whole, merged = digest(os.path.join(work, "whole")), digest(os.path.join(work, "out", "merged"))
print("whole run  ", whole)
print("Spark merge", merged)
assert whole == merged, "the merged outputs differ from the whole run"
print("OK: both workers ran shards; the merged outputs equal the whole run's, byte for byte")
PY
