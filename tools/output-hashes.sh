#!/usr/bin/env bash
# Prints the SHA-256 of every output covplan writes for the sample county: `analyze --out` for
# each built-in profile, and a PDF gap map with a fixed date. Run it with two binaries and diff
# the lists to prove that a change leaves the outputs byte-identical:
#   tools/output-hashes.sh target/release/covplan > after.txt
set -euo pipefail
bin=${1:?usage: tools/output-hashes.sh PATH/TO/covplan}
root="$(cd "$(dirname "$0")/.." && pwd)"
project="$root/sample_maps/sihui/project.toml"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for profile in zhaoqing-2020 guangdong-2020 hunan-2015 hunan-2020 national-demo-2016 tianjin-2020; do
  "$bin" analyze "$project" --profile "$profile" --out "$out/$profile" >/dev/null
done
"$bin" report "$project" --target zq.village20_fiber --date 2026-01-01 --out "$out/gapmap.pdf" >/dev/null
(cd "$out" && find . -type f | LC_ALL=C sort | xargs sha256sum)
