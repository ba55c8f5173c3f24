#!/usr/bin/env bash
# Runs the benchmarks (all, or the ones named: pipeline floor dxf ifc-step pdf pdf-ocr events webhooks import reuse fairness) after the usual preparation.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
npx nest build
names=("$@")
[ ${#names[@]} -eq 0 ] && names=(pipeline floor dxf ifc-step pdf pdf-ocr events webhooks import reuse fairness)
for name in "${names[@]}"; do
  file="bench/$name.bench.ts"
  [ -f "$file" ] || { echo "[bench] no $file"; continue; }
  echo "== $name"
  npx ts-node --transpile-only "$file"
done
