# Sourced by the write benchmarks: starts the release binary on a fresh PostgreSQL database named
# $DB (dropped on exit) and signs in as a new tenant's admin. Expects BIN, PORT, CONNECTIONS,
# ADMIN_URL and DB; sets BASE, workdir, tenant, admin, token, and the helpers json and post.
BASE="http://127.0.0.1:${PORT}"
workdir=$(mktemp -d)
psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS ${DB}" -c "CREATE DATABASE ${DB}"
export SMM_DATABASE_URL="${ADMIN_URL%/*}/${DB}"
export SMM_LISTEN_ADDR="127.0.0.1:${PORT}" SMM_LOG=error SMM_DATABASE_MAX_CONNECTIONS="$CONNECTIONS" \
  SMM_RATE_LIMIT_PER_SECOND=1000000000 SMM_RATE_LIMIT_BURST=1000000000
"$BIN" serve & server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS ${DB}"; rm -rf "$workdir"' EXIT
for _ in $(seq 1 100); do curl -fsS "${BASE}/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }
credentials=$("$BIN" tenant create --name "Benchmark agency")
tenant=$(echo "$credentials" | json "d['tenant_id']")
admin=$(echo "$credentials" | json "d['client_id']")
token=$(curl -fsS -u "${admin}:$(echo "$credentials" | json "d['client_secret']")" \
  -d grant_type=client_credentials "${BASE}/v1/oauth/token" | json "d['access_token']")
post() { curl -fsS -H "Authorization: Bearer ${token}" -H 'Content-Type: application/json' -d "$2" "${BASE}$1"; }
