#!/usr/bin/env bash
# Dry runs of the Kubernetes and Slurm templates on this machine: the sample county is split by
# township, every index runs one after the other exactly as a pod or an array task would (the
# command read from deploy/kubernetes/*.yaml, the .sbatch files run with SLURM_ARRAY_TASK_ID
# set), then the merge step; each merged result must be byte-identical to `covplan analyze`.
# Usage: deploy/dry_run.sh [WORK_DIR]     (needs python3 with PyYAML)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${1:-$(mktemp -d -t covplan-dry-XXXXXX)}
(cd "$ROOT" && cargo build --release --locked -q -p covplan)
export PATH="$ROOT/target/release:$PATH"
rm -rf "$WORK/whole" "$WORK/k8s" "$WORK/slurm"
covplan analyze "$ROOT/sample_maps/sihui/project.toml" --out "$WORK/whole" > /dev/null
areas() { python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["areas"]))' "$1/shards/manifest.json"; }
digest() { (cd "$1" && for f in $(ls); do printf '%s\n' "$f"; cat "$f"; done) | sha256sum | cut -d' ' -f1; }

echo "== Kubernetes Indexed Job, index by index"
mkdir -p "$WORK/k8s"
covplan shard "$ROOT/sample_maps/sihui/project.toml" --by township --out "$WORK/k8s/shards" > /dev/null
# The container's command, with the volume /data mapped to this folder.
k8s_cmd() { python3 -c 'import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))
c = job["spec"]["template"]["spec"]["containers"][0]
print(" ".join(c["args"]))' "$1" | sed "s#/data#$WORK/k8s#g"; }
n=$(areas "$WORK/k8s")
shard_cmd=$(k8s_cmd "$ROOT/deploy/kubernetes/covplan-shards.yaml")
for i in $(seq 0 $((n - 1))); do JOB_COMPLETION_INDEX=$i sh -c "$shard_cmd" > /dev/null; done
sh -c "$(k8s_cmd "$ROOT/deploy/kubernetes/covplan-merge.yaml")" > /dev/null
echo "$n pods run; merged $(digest "$WORK/k8s/merged"), whole $(digest "$WORK/whole")"
[ "$(digest "$WORK/k8s/merged")" = "$(digest "$WORK/whole")" ]

echo "== Slurm job array, task by task"
mkdir -p "$WORK/slurm"
covplan shard "$ROOT/sample_maps/sihui/project.toml" --by township --out "$WORK/slurm/shards" > /dev/null
n=$(areas "$WORK/slurm")
for i in $(seq 0 $((n - 1))); do SLURM_ARRAY_TASK_ID=$i DATA="$WORK/slurm" bash "$ROOT/deploy/slurm/covplan-shards.sbatch" > /dev/null; done
DATA="$WORK/slurm" bash "$ROOT/deploy/slurm/covplan-merge.sbatch" > /dev/null
echo "$n array tasks run; merged $(digest "$WORK/slurm/merged"), whole $(digest "$WORK/whole")"
[ "$(digest "$WORK/slurm/merged")" = "$(digest "$WORK/whole")" ]
echo "OK: both templates' dry runs give the whole run's bytes"
