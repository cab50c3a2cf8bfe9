#!/usr/bin/env bash
# Webhook deliveries per second from one replica to a local receiver (answering 204 at once), on
# the embedded SQLite or on PostgreSQL. One event is made through the API with the worker off and
# cloned in SQL into EVENTS pending deliveries; then the service starts with its worker on, and
# the receiver reports the rate from its first request to its last.
#
#   cargo build --release --bins --examples && bench/webhooks.sh
#   DATABASE=postgres bench/webhooks.sh     # PostgreSQL on 127.0.0.1 (ADMIN_URL)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/smm}
RECEIVER=${RECEIVER:-target/release/examples/webhook_receiver}
PORT=${PORT:-18190}
RECEIVER_PORT=${RECEIVER_PORT:-18191}
EVENTS=${EVENTS:-5000}
CONCURRENCY=${CONCURRENCY:-16}
DATABASE=${DATABASE:-sqlite}
ADMIN_URL=${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/test}
DB=smm_bench_webhooks
BASE="http://127.0.0.1:${PORT}"
for program in "$BIN" "$RECEIVER"; do
  [ -x "$program" ] || { echo "$program is missing: cargo build --release --bins --examples" >&2; exit 1; }
done

workdir=$(mktemp -d)
cleanup() {
  kill "${server:-0}" "${receiver:-0}" 2>/dev/null || true
  wait 2>/dev/null || true
  [ "$DATABASE" = postgres ] && psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS ${DB}"
  rm -rf "$workdir"
}
trap cleanup EXIT
case "$DATABASE" in
  sqlite) export SMM_DATABASE_URL="sqlite://${workdir}/smm.db?mode=rwc" ;;
  postgres)
    psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS ${DB}" -c "CREATE DATABASE ${DB}"
    export SMM_DATABASE_URL="${ADMIN_URL%/*}/${DB}" ;;
  *) echo "DATABASE is sqlite or postgres" >&2; exit 1 ;;
esac
export SMM_LISTEN_ADDR="127.0.0.1:${PORT}" SMM_LOG=error \
  SMM_RATE_LIMIT_PER_SECOND=1000000000 SMM_RATE_LIMIT_BURST=1000000000 \
  SMM_WEBHOOK_ALLOW_HTTP=true SMM_WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true
serve() {
  "$BIN" serve & server=$!
  for _ in $(seq 1 100); do curl -fsS "${BASE}/healthz" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "the service did not start" >&2; exit 1
}

# One real event, delivery pending: the worker is off.
SMM_WEBHOOK_WORKER=false serve
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }
credentials=$("$BIN" tenant create --name "Benchmark agency")
token=$(curl -fsS -u "$(echo "$credentials" | json "d['client_id']"):$(echo "$credentials" | json "d['client_secret']")" \
  -d grant_type=client_credentials "${BASE}/v1/oauth/token" | json "d['access_token']")
post() { curl -fsS -H "Authorization: Bearer ${token}" -H 'Content-Type: application/json' -d "$2" "${BASE}$1"; }
post /v1/webhook-endpoints "{\"url\": \"http://127.0.0.1:${RECEIVER_PORT}/hook\", \"event_types\": [\"client.deleted\"]}" >/dev/null
client=$(post /v1/clients '{"name": "Org"}' | json "d['id']")
curl -fsS -X DELETE -H "Authorization: Bearer ${token}" "${BASE}/v1/clients/${client}"
kill "$server"; wait "$server" || true

echo "cloning the event into ${EVENTS} pending deliveries (${DATABASE})"
copies=$((EVENTS - 1))
if [ "$DATABASE" = sqlite ]; then
  python3 - "${workdir}/smm.db" "$copies" <<'PY'
import sqlite3, sys, uuid
db, copies = sqlite3.connect(sys.argv[1]), int(sys.argv[2])
event = db.execute("SELECT tenant_id, event_type, subject_id, occurred_at, scheduled_at, data FROM webhook_events").fetchone()
delivery = db.execute("SELECT tenant_id, endpoint_id, event_type, status, next_attempt_at, created_at FROM webhook_deliveries").fetchone()
for _ in range(copies):
    event_id = uuid.uuid4().bytes
    db.execute("INSERT INTO webhook_events (tenant_id, id, event_type, subject_id, occurred_at, scheduled_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
               (event[0], event_id, *event[1:]))
    db.execute("INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
               (delivery[0], uuid.uuid4().bytes, delivery[1], event_id, *delivery[2:]))
db.commit()
PY
else
  psql -q "$SMM_DATABASE_URL" <<SQL
CREATE TEMP TABLE copies AS SELECT gen_random_uuid() AS id FROM generate_series(1, ${copies});
INSERT INTO webhook_events (tenant_id, id, event_type, subject_id, occurred_at, scheduled_at, data)
  SELECT e.tenant_id, c.id, e.event_type, e.subject_id, e.occurred_at, e.scheduled_at, e.data
  FROM copies c, webhook_events e;
INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at, created_at)
  SELECT d.tenant_id, gen_random_uuid(), d.endpoint_id, c.id, d.event_type, d.status, 0, d.next_attempt_at, d.created_at
  FROM copies c, webhook_deliveries d;
ANALYZE;
SQL
fi

"$RECEIVER" "$RECEIVER_PORT" "$EVENTS" > "${workdir}/receiver.txt" & receiver=$!
echo "delivering with SMM_WEBHOOK_CONCURRENCY=${CONCURRENCY}"
SMM_WEBHOOK_CONCURRENCY="$CONCURRENCY" SMM_WEBHOOK_POLL_MS=10 serve
wait "$receiver"
cat "${workdir}/receiver.txt"
