#!/usr/bin/env bash
# Instructions the whole server spends on one `POST /v1/score` (HTTP, authentication, parsing,
# scoring, writing the answer): the server runs under callgrind with one worker and answers N
# requests on one keep-alive connection; the per-request cost is the difference between a run
# with N and a run with none, so start-up and the token request cancel out. Counts repeat for the
# same binary whatever the machine is doing, where req/s here swing by a third (BENCHMARKS.md).
# The body is bench/ab.sh's: every indicator the build lists with a model, answered.
#
#   BIN=target/release/smm N=100 bench/callgrind_server.sh
#
# Needs valgrind; takes about a minute per build.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=$(realpath "${BIN:-target/release/smm}")
N=${N:-100}
PORT=${PORT:-18193}
[ "$N" -gt 0 ] || { echo "N must be at least 1" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind is missing: apt-get install valgrind" >&2; exit 1; }
[ -x "$BIN" ] || { echo "$BIN is missing: cargo build --release" >&2; exit 1; }

workdir=$(mktemp -d)
pid=
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  rm -rf "$workdir"
}
trap cleanup EXIT

# count <requests>: the server's total instruction count for that many scorings, written to
# ${workdir}/count.<requests>. Called directly, not in $(...), so that `set -e` and the cleanup
# trap see its failures and its server.
count() {
  local requests=$1 base="http://127.0.0.1:${PORT}"
  if curl -fsS "${base}/healthz" >/dev/null 2>&1; then
    echo "port ${PORT} already answers: stop that server or set PORT" >&2
    exit 1
  fi
  export SMM_DATABASE_URL="sqlite://${workdir}/${requests}.db?mode=rwc"
  local credentials
  credentials=$("$BIN" tenant create --name "Benchmark agency")
  SMM_WORKERS=1 SMM_LISTEN_ADDR="127.0.0.1:${PORT}" SMM_LOG=warn \
    SMM_RATE_LIMIT_PER_SECOND=1000000000 SMM_RATE_LIMIT_BURST=1000000000 \
    valgrind --tool=callgrind --callgrind-out-file="${workdir}/callgrind.${requests}" \
    "$BIN" serve 2>"${workdir}/valgrind.${requests}" &
  pid=$!
  for _ in $(seq 1 300); do curl -fsS "${base}/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null || { echo "the server did not start" >&2; exit 1; }
  python3 - "$base" "$credentials" "$requests" <<'PY'
import base64, http.client, json, sys
base, credentials, requests = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
connection = http.client.HTTPConnection(base.split("//")[1], timeout=600)
def call(method, path, body=None, headers=None):
    connection.request(method, path, body, headers or {})
    response = connection.getresponse()
    payload = response.read()
    assert response.status == 200, (path, response.status, payload[:300])
    return payload
basic = base64.b64encode(f"{credentials['client_id']}:{credentials['client_secret']}".encode())
token = json.loads(call("POST", "/v1/oauth/token", "grant_type=client_credentials", {
    "Authorization": "Basic " + basic.decode(),
    "Content-Type": "application/x-www-form-urlencoded",
}))["access_token"]
headers = {"Authorization": "Bearer " + token}
items = [i for i in json.loads(call("GET", "/v1/indicators?limit=200", headers=headers))["items"]
         if i["model_ids"]]
models = sorted({m for i in items for m in i["model_ids"]})
answers = [{"indicator_id": i["id"], "value": (n * 7) % 5} for n, i in enumerate(items)]
body = json.dumps({"model_ids": models, "respondents": [{"answers": answers}]})
headers["Content-Type"] = "application/json"
for _ in range(requests):
    call("POST", "/v1/score", body, headers)
PY
  kill -INT "$pid"
  wait "$pid" || true
  pid=
  awk '/Collected :/ {print $NF}' "${workdir}/valgrind.${requests}" >"${workdir}/count.${requests}"
  [ -s "${workdir}/count.${requests}" ] || { echo "valgrind reported no count" >&2; exit 1; }
}

count 0
count "$N"
none=$(cat "${workdir}/count.0")
some=$(cat "${workdir}/count.${N}")
echo "${BIN}: $(( (some - none) / N )) instructions per POST /v1/score (${some} with ${N}, ${none} with none)"
