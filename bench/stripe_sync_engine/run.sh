#!/usr/bin/env bash
# The issue-3 comparison: the same backfill as build-bench/bench/bench_backfill, done by
# @supabase/stripe-sync-engine (pinned in package.json / package-lock.json) from Stripeline's
# emulator into a local PostgreSQL. Prints per-stream counts and the objects/s. Not part of
# `make bench` (it needs root, apt, npm and a PostgreSQL server, and takes ~13 minutes at the
# default size). See docs/PERFORMANCE.md.
#
#   bench/stripe_sync_engine/run.sh            # OBJECTS=100000 (as bench_backfill)
#   OBJECTS=1000 bench/stripe_sync_engine/run.sh
#   STRIPELINE=build/stripeline bench/stripe_sync_engine/run.sh
#   PGOPTIONS="-c synchronous_commit=off" bench/stripe_sync_engine/run.sh   # experiment only
#
# What it does: npm ci into this folder; apt-get install -y postgresql only if no PostgreSQL
# server is installed; starts the first cluster (creating one if there is none); creates the
# role and database stripe_sync_bench (superuser: the package's migrations change a function's
# owner); starts `stripeline emulator --objects $OBJECTS` on a free port; runs backfill.cjs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
OBJECTS="${OBJECTS:-100000}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { as_root runuser -u postgres -- "$@"; }

# 1. The package, exactly as locked.
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

# 2. PostgreSQL, installed and running.
if ! ls /usr/lib/postgresql/*/bin/postgres > /dev/null 2>&1; then
  as_root apt-get install -y postgresql || { as_root apt-get update && as_root apt-get install -y postgresql; }
fi
if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
  as_root pg_createcluster "$version" main
fi
read -r pg_version pg_cluster pg_port pg_status _ < <(pg_lsclusters -h | head -1)
if [ "$pg_status" != "online" ]; then
  as_root pg_ctlcluster "$pg_version" "$pg_cluster" start
fi
for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.2; done
if [ -z "$(as_postgres psql -p "$pg_port" -tAc "SELECT 1 FROM pg_roles WHERE rolname='stripe_sync_bench'")" ]; then
  as_postgres psql -p "$pg_port" -qc "CREATE ROLE stripe_sync_bench LOGIN SUPERUSER PASSWORD 'stripe_sync_bench'"
fi
if [ -z "$(as_postgres psql -p "$pg_port" -tAc "SELECT 1 FROM pg_database WHERE datname='stripe_sync_bench'")" ]; then
  as_postgres createdb -p "$pg_port" -O stripe_sync_bench stripe_sync_bench
fi

# 3. Our emulator, on a free port.
stripeline="${STRIPELINE:-}"
if [ -z "$stripeline" ]; then
  for candidate in "$repo/build-bench/stripeline" "$repo/build/stripeline"; do
    if [ -x "$candidate" ]; then stripeline="$candidate"; break; fi
  done
fi
if [ -z "$stripeline" ]; then
  cmake -S "$repo" -B "$repo/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
  ninja -C "$repo/build-bench" stripeline
  stripeline="$repo/build-bench/stripeline"
fi
log="$(mktemp)"
"$stripeline" emulator --listen 127.0.0.1:0 --objects "$OBJECTS" > "$log" 2>&1 &
emulator_pid=$!
trap 'kill "$emulator_pid" 2> /dev/null || true; rm -f "$log"' EXIT
port=""
for _ in $(seq 100); do
  port="$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$' || true)"
  [ -n "$port" ] && break
  kill -0 "$emulator_pid" 2> /dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "the emulator did not start:" >&2; cat "$log" >&2; exit 1; }

# 4. The backfill.
echo "stripe-sync-engine $(node -p "JSON.parse(require('fs').readFileSync('$here/node_modules/@supabase/stripe-sync-engine/package.json')).version"), emulator --objects $OBJECTS on port $port, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$here"
EMULATOR_URL="http://127.0.0.1:$port" \
DATABASE_URL="postgres://stripe_sync_bench:stripe_sync_bench@127.0.0.1:$pg_port/stripe_sync_bench" \
  node backfill.cjs
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
