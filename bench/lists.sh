#!/usr/bin/env bash
# Keyset pagination: the latency of a page of GET /v1/clients with 10 k vs 1 M rows in the tenant,
# for the first page and a page from the middle. Loopback only; bounded by DURATION per run.
#
#   cargo build --release && bench/lists.sh          # needs wrk and PostgreSQL on 127.0.0.1
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/smm}
PORT=${PORT:-18787}
DURATION=${DURATION:-5s}
SMALL=${SMALL:-10000}
LARGE=${LARGE:-1000000}
ADMIN_URL=${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/test}
DB=smm_bench_lists
BASE="http://127.0.0.1:${PORT}"
psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS ${DB}" -c "CREATE DATABASE ${DB}"
export SMM_DATABASE_URL="${ADMIN_URL%/*}/${DB}"
export SMM_LISTEN_ADDR="127.0.0.1:${PORT}" SMM_LOG=error \
  SMM_RATE_LIMIT_PER_SECOND=1000000000 SMM_RATE_LIMIT_BURST=1000000000
"$BIN" serve & server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS ${DB}"' EXIT
for _ in $(seq 1 100); do curl -fsS "${BASE}/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }
# A tenant with `rows` clients: prints its token and a cursor from the middle of its list.
tenant_with() {
  local rows=$1 credentials tenant token middle
  credentials=$("$BIN" tenant create --name "Lists ${rows}")
  tenant=$(echo "$credentials" | json "d['tenant_id']")
  token=$(curl -fsS -u "$(echo "$credentials" | json "d['client_id']"):$(echo "$credentials" | json "d['client_secret']")" \
    -d grant_type=client_credentials "${BASE}/v1/oauth/token" | json "d['access_token']")
  psql "$SMM_DATABASE_URL" -qc "INSERT INTO clients (tenant_id, id, name, created_at, updated_at)
    SELECT '${tenant}', gen_random_uuid(), 'client ' || g, now(), now() FROM generate_series(1, ${rows}) g; ANALYZE clients;"
  middle=$(psql "$SMM_DATABASE_URL" -Atc "SELECT id FROM clients WHERE tenant_id = '${tenant}' ORDER BY id OFFSET $((rows / 2)) LIMIT 1")
  echo "$token $(printf 'v1:%s' "$middle" | base64 -w0 | tr '+/' '-_' | tr -d '=')"
}

read -r small_token small_cursor < <(tenant_with "$SMALL")
read -r large_token large_cursor < <(tenant_with "$LARGE")
measure() {
  wrk -t1 -c4 -d"$DURATION" --latency -H "Authorization: Bearer $1" "${BASE}/v1/clients?limit=50$2" \
    | awk '/^ +50%/ {p50=$2} /^Requests\/sec:/ {rps=$2} END {print p50, rps}'
}
run() {
  local p50 rps
  read -r p50 rps < <(measure "$2" "$3")
  printf '%-26s median latency %s, %s req/s\n' "$1:" "$p50" "$rps"
}
run "${SMALL} rows, first page" "$small_token" ""
run "${SMALL} rows, middle page" "$small_token" "&cursor=${small_cursor}"
run "${LARGE} rows, first page" "$large_token" ""
run "${LARGE} rows, middle page" "$large_token" "&cursor=${large_cursor}"
