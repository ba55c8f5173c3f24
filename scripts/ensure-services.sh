#!/usr/bin/env bash
# Makes sure Node dependencies, PostgreSQL and Redis are ready. Checks the servers the service is
# configured for (DATABASE_URL, REDIS_URL, from the environment or .env; the defaults otherwise).
# A configured server that is down is started only when its URL is local and it is installed;
# a remote one that is down is reported, never replaced by a local one. Sourced by start.sh and
# test.sh. SKIP_INSTALL=1 skips the dependency check.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[prepare] $*"; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or later is required (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

if [ "${SKIP_INSTALL:-0}" != 1 ] &&
  { [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  log "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Host and port of each configured URL (the same defaults as src/config/defaults.ts).
read -r PG_HOST PG_PORT REDIS_HOST REDIS_PORT < <(node -e '
  try { process.loadEnvFile(".env"); } catch {}
  const parse = (raw, fallback, port) => {
    let url;
    try { url = new URL(raw || fallback); } catch { url = new URL(fallback); }
    return [url.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1", url.port || port];
  };
  const db = parse(process.env.DATABASE_URL, "postgres://postgres@127.0.0.1:5432/extraction", "5432");
  const redis = parse(process.env.REDIS_URL, "redis://127.0.0.1:6379", "6379");
  console.log([...db, ...redis].join(" "));
')

is_local() {
  case "$1" in
    localhost | 127.* | ::1 | 0.0.0.0) return 0 ;;
    *) return 1 ;;
  esac
}

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 3 2>/dev/null; }
if ! pg_ready; then
  if ! is_local "$PG_HOST"; then
    echo "PostgreSQL at $PG_HOST:$PG_PORT (DATABASE_URL) is not reachable; it is not local, so nothing is started." >&2
    exit 1
  fi
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    # The installed cluster that listens on the configured port, if any.
    for conf in /etc/postgresql/*/*/postgresql.conf; do
      [ -e "$conf" ] || continue
      port=$(sed -n 's/^[[:space:]]*port[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' "$conf" | tail -n 1)
      [ "${port:-5432}" = "$PG_PORT" ] || continue
      ver=$(basename "$(dirname "$(dirname "$conf")")")
      cluster=$(basename "$(dirname "$conf")")
      log "starting PostgreSQL $ver/$cluster on port $PG_PORT"
      pg_ctlcluster --skip-systemctl-redirect "$ver" "$cluster" start || true
      for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
      break
    done
  fi
  if ! pg_ready; then
    echo "PostgreSQL is not reachable on $PG_HOST:$PG_PORT (DATABASE_URL) and no local cluster on that port could be started." >&2
    echo "Install it (apt-get install postgresql), start it, or set DATABASE_URL to a running server." >&2
    exit 1
  fi
fi

# Any answer means a server listens (it may want a password: that is the service's business).
redis_ready() {
  redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>&1 | grep -Eq 'PONG|NOAUTH|WRONGPASS|DENIED'
}
if ! redis_ready; then
  if ! is_local "$REDIS_HOST"; then
    echo "Redis at $REDIS_HOST:$REDIS_PORT (REDIS_URL) is not reachable; it is not local, so nothing is started." >&2
    exit 1
  fi
  if command -v redis-server >/dev/null 2>&1; then
    log "starting Redis on port $REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no
    for _ in $(seq 1 30); do redis_ready && break; sleep 1; done
  fi
  if ! redis_ready; then
    echo "Redis is not reachable on $REDIS_HOST:$REDIS_PORT (REDIS_URL) and redis-server is not installed." >&2
    echo "Install it (apt-get install redis-server) or set REDIS_URL to a running server." >&2
    exit 1
  fi
fi
log "PostgreSQL ($PG_HOST:$PG_PORT) and Redis ($REDIS_HOST:$REDIS_PORT) are up"
