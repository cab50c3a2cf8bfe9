#!/usr/bin/env bash
# Kill -9 under write load, then check that every acknowledged write survived. Loopback only;
# bounded: at most WRITES sequential creates, and the kill after KILL_AFTER seconds.
#
#   cargo build --release && bench/durability.sh                      # embedded SQLite
#   SMM_DATABASE_URL=postgres://… bench/durability.sh                 # PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/smm}
PORT=${PORT:-18585}
WRITES=${WRITES:-3000}
KILL_AFTER=${KILL_AFTER:-2}
BASE="http://127.0.0.1:${PORT}"
workdir=$(mktemp -d)
trap 'kill -9 "${server:-}" 2>/dev/null || true; rm -rf "$workdir"' EXIT
export SMM_DATABASE_URL=${SMM_DATABASE_URL:-"sqlite://${workdir}/smm.db?mode=rwc"}
export SMM_LISTEN_ADDR="127.0.0.1:${PORT}" SMM_LOG=error SMM_RATE_LIMIT_PER_SECOND=100000 SMM_RATE_LIMIT_BURST=100000

start() {
  "$BIN" serve & server=$!
  for _ in $(seq 1 100); do curl -fsS "${BASE}/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "the service did not start" >&2; exit 1
}

start
credentials=$("$BIN" tenant create --name "Durability check")
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$credentials" "$1"; }
token=$(curl -fsS -u "$(field client_id):$(field client_secret)" -d grant_type=client_credentials \
  "${BASE}/v1/oauth/token" | python3 -c "import json,sys; print(json.load(sys.stdin)['access_token'])")

# Writer: every 201 is an acknowledged write; its id is recorded only after the answer arrived.
(
  for i in $(seq 1 "$WRITES"); do
    body=$(curl -sS -m 2 -o - -w '\n%{http_code}' -H "Authorization: Bearer ${token}" \
      -H 'Content-Type: application/json' -d "{\"name\": \"client ${i}\"}" "${BASE}/v1/clients" 2>/dev/null) || break
    [ "${body##*$'\n'}" = "201" ] || break
    printf '%s\n' "${body%$'\n'*}" | sed -n 's/.*"id":"\([0-9a-f-]*\)".*/\1/p' >> "${workdir}/acked"
  done
) &
writer=$!
sleep "$KILL_AFTER"
kill -9 "$server"
wait "$writer" || true
acked=$(wc -l < "${workdir}/acked")

start
missing=0
while read -r id; do
  status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${token}" "${BASE}/v1/clients/${id}")
  [ "$status" = "200" ] || missing=$((missing + 1))
done < "${workdir}/acked"
kill "$server"
echo "acknowledged writes: ${acked}; missing after kill -9 and restart: ${missing}"
[ "$missing" -eq 0 ]
