#!/usr/bin/env bash
# Makes sure Node dependencies, PostgreSQL and Redis are ready. Starts the local servers when they
# are installed but stopped; otherwise says exactly what is missing. Sourced by start.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_HOST=${PGHOST:-127.0.0.1}
PG_PORT=${PGPORT:-5432}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}

log() { echo "[prepare] $*"; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or later is required (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; }
if ! pg_ready; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    ver=$(ls /etc/postgresql | sort -V | tail -n 1)
    log "starting PostgreSQL $ver"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
    for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
  fi
  if ! pg_ready; then
    echo "PostgreSQL is not reachable on $PG_HOST:$PG_PORT and no local cluster could be started." >&2
    echo "Install it (apt-get install postgresql) or set DATABASE_URL to a running server." >&2
    exit 1
  fi
fi

redis_ready() { redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
if ! redis_ready; then
  if command -v redis-server >/dev/null 2>&1; then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no
    for _ in $(seq 1 30); do redis_ready && break; sleep 1; done
  fi
  if ! redis_ready; then
    echo "Redis is not reachable on $REDIS_HOST:$REDIS_PORT and redis-server is not installed." >&2
    echo "Install it (apt-get install redis-server) or set REDIS_URL to a running server." >&2
    exit 1
  fi
fi
log "PostgreSQL and Redis are up"
