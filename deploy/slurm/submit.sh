#!/bin/bash
# Queues one array task per area of DATA/shards/manifest.json, and the merge after them.
# Usage: DATA=/shared/covplan deploy/slurm/submit.sh [max tasks at once, default 8]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DATA=${DATA:?set DATA to the folder holding shards/}
n=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["areas"]))' "$DATA/shards/manifest.json")
job=$(sbatch --parsable --export=ALL --array="0-$((n - 1))%${1:-8}" "$here/covplan-shards.sbatch")
sbatch --parsable --export=ALL --dependency="afterok:${job%%;*}" "$here/covplan-merge.sbatch"
