#!/usr/bin/env bash
# A client generated from the committed OpenAPI document (openapi-typescript + openapi-fetch, from
# the npm registry) type-checks strictly without escape hatches and runs the agency flow against
# the binary on a fresh embedded database. Needs Node.js 18+ and npm.
#
#   BIN=target/release/smm tests/typescript-client/check.sh
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
BIN=${BIN:-${root}/target/release/smm}
case "$BIN" in /*) ;; *) BIN="${root}/${BIN}" ;; esac
PORT=${PORT:-18194}
BASE="http://127.0.0.1:${PORT}"

npm ci --no-audit --no-fund --loglevel=error
npx openapi-typescript ../../openapi/openapi.json -o generated/schema.d.ts
# Where the document is loose, a client needs a cast (`x as T`, `<T>x`), `any`, a non-null
# assertion (`x!`) or a suppressed error: none may appear in the code (comments aside).
escapes='\sas\s|[=(,:]\s*<[A-Za-z]|\bany\b|[]A-Za-z0-9_)](!$|![^=])|@ts-'
if grep -nE "$escapes" agency_flow.ts | grep -vE '^[0-9]+:\s*//'; then
  echo "agency_flow.ts escapes the generated types (above)" >&2
  exit 1
fi
npx tsc

workdir=$(mktemp -d)
server=
trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; rm -rf "$workdir"' EXIT
export SMM_DATABASE_URL="sqlite://${workdir}/smm.db?mode=rwc" SMM_LOG=error \
  SMM_LISTEN_ADDR="127.0.0.1:${PORT}" SMM_WEBHOOK_WORKER=false
"$BIN" serve & server=$!
for _ in $(seq 1 100); do curl -fsS "${BASE}/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "${BASE}/healthz" >/dev/null || { echo "the service did not start" >&2; exit 1; }
credentials=$("$BIN" tenant create --name "TypeScript client agency")
field() { echo "$credentials" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
node dist/agency_flow.js "$BASE" "$(field client_id)" "$(field client_secret)"
