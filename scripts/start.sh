#!/usr/bin/env bash
# Starts the service on a fresh clone: dependencies, PostgreSQL and Redis (local ones started if
# stopped), the database and its migrations, a build, then an API process and a worker process.
# Ctrl-C stops both (gracefully: running files are finished or handed back).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/extraction}
API_PORT=${API_PORT:-3000}
WORKER_PORT=${WORKER_PORT:-3001}

echo "[start] building"
npx nest build

echo "[start] preparing database $(node -e 'console.log(new URL(process.argv[1]).pathname.slice(1))' "$DATABASE_URL")"
node dist/scripts/prepare-database.js

echo "[start] starting api (:$API_PORT) and worker (:$WORKER_PORT)"
ROLE=api PORT=$API_PORT node dist/src/main.js &
api=$!
ROLE=worker PORT=$WORKER_PORT node dist/src/main.js &
worker=$!
trap 'kill -TERM $api $worker 2>/dev/null; wait' INT TERM
sleep 3
cat <<TXT

  API       http://localhost:$API_PORT/api/v1/extraction
  OpenAPI   http://localhost:$API_PORT/api/docs
  Health    http://localhost:$API_PORT/health   (worker: http://localhost:$WORKER_PORT/health)
  Metrics   http://localhost:$API_PORT/metrics  (worker: http://localhost:$WORKER_PORT/metrics)
  Dev token npm run dev-token -- <user-id> [--superuser]

TXT
wait
