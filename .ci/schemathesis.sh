#!/usr/bin/env bash
# Contract fuzzing: schemathesis (all checks, every phase) against the binary on a fresh embedded
# database, as a tenant admin for the tenant's operations and as a platform operator for tenant
# management. Runs once with a fixed seed and once with a random one, printed for reproduction;
# any failure fails. Needs schemathesis (pip install schemathesis).
#
#   BIN=target/release/smm .ci/schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/smm}
PORT=${PORT:-18193}
EXAMPLES=${EXAMPLES:-60}
FIXED_SEED=${FIXED_SEED:-20261129}
RANDOM_SEED=${RANDOM_SEED:-$(python3 -c 'import random; print(random.randrange(1, 2**31))')}
BASE="http://127.0.0.1:${PORT}"

workdir=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$workdir"' EXIT
export SMM_DATABASE_URL="sqlite://${workdir}/smm.db?mode=rwc" SMM_LOG=error \
  SMM_LISTEN_ADDR="127.0.0.1:${PORT}" SMM_WEBHOOK_WORKER=false \
  SMM_RATE_LIMIT_PER_SECOND=1000000 SMM_RATE_LIMIT_BURST=1000000 \
  SMM_ADDRESS_RATE_LIMIT_PER_MINUTE=1000000 SMM_ADDRESS_TOKEN_FAILURES_PER_MINUTE=1000000 \
  SMM_TOKEN_FAILURES_PER_MINUTE=1000000
"$BIN" serve & server=$!
for _ in $(seq 1 100); do curl -fsS "${BASE}/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }
token_for() {
  curl -fsS -u "$(echo "$1" | json "d['client_id']"):$(echo "$1" | json "d['client_secret']")" \
    -d grant_type=client_credentials "${BASE}/v1/oauth/token" | json "d['access_token']"
}
tenant=$(token_for "$("$BIN" tenant create --name "Contract test agency")")
platform=$(token_for "$("$BIN" platform-client create --name "Contract test operator")")

run() {
  local seed=$1; shift
  echo "==> schemathesis, seed ${seed} (reproduce: FIXED_SEED=${seed} $0)"
  schemathesis run "${BASE}/openapi.json" \
    --checks all --phases examples,coverage,fuzzing,stateful \
    --max-examples "$EXAMPLES" --seed "$seed" --workers 2 \
    --suppress-health-check all --request-timeout 20 "$@"
}
for seed in "$FIXED_SEED" "$RANDOM_SEED"; do
  run "$seed" -H "Authorization: Bearer ${tenant}" --exclude-path-regex '^/v1/tenants'
  run "$seed" -H "Authorization: Bearer ${platform}" --include-path-regex '^/v1/tenants'
done
