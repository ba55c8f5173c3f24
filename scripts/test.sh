#!/usr/bin/env bash
# The whole test-suite with the same preparation as the service: dependencies, PostgreSQL, Redis,
# a build (worker threads and child processes run the compiled code), then Jest.
# Each run creates its own databases and Redis key prefix (test/setup/global-setup.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
echo "[test] building"
npx nest build
echo "[test] running jest"
results=$(mktemp)
status=0
# TEST_TIER (npm run test:integration / test:e2e) goes last: --selectProjects would swallow paths.
npx jest --ci --json --outputFile="$results" "$@" ${TEST_TIER:+--selectProjects "$TEST_TIER"} || status=$?
# One plain closing line for CI: "N passed, N failed, N skipped".
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$results" || true
rm -f "$results"
exit "$status"
