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
npx jest --ci "$@"
