#!/usr/bin/env bash
# Throughput of model reads against the cheapest endpoint on the same server in the same run.
# Loopback only; bounded: ROUNDS x 2 runs of DURATION each. Needs wrk (apt-get install wrk).
#
#   cargo build --release && bench/load.sh
#
# Rounds interleave the targets so that machine noise hits both alike; the report gives the
# median requests/second of each and their ratio, plus the server's resident memory.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/smm}
PORT=${PORT:-18181}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-5}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
BASE="http://127.0.0.1:${PORT}"
MODEL=/v1/models/social-strategy-cone
# name=[auth:|auth304:|score:]path; the first is the baseline the others are compared with.
# `auth:` sends a tenant admin's bearer token; `auth304:` also sends the model's ETag, so the
# answer is a 304; `score:` POSTs one respondent's answers to every indicator of all seven models
# (as `POST /v1/score` takes them) with the token, e.g. TARGETS="healthz=/healthz score=score:/v1/score".
TARGETS=${TARGETS:-"healthz=/healthz model=auth:${MODEL} model-304=auth304:${MODEL}"}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$BIN" ] || { echo "$BIN is missing: cargo build --release" >&2; exit 1; }

workdir=$(mktemp -d)
export SMM_DATABASE_URL="sqlite://${workdir}/smm.db?mode=rwc"
# The per-tenant rate limit would cap the measurement; lift it for the benchmark.
SMM_LISTEN_ADDR="127.0.0.1:${PORT}" SMM_LOG=warn SMM_RATE_LIMIT_PER_SECOND=1000000000 \
  SMM_RATE_LIMIT_BURST=1000000000 "$BIN" serve &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$workdir"' EXIT

for _ in $(seq 1 100); do
  curl -fsS "${BASE}/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "${BASE}/healthz" >/dev/null

credentials=$("$BIN" tenant create --name "Benchmark agency")
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$credentials" "$1"; }
token=$(curl -fsS -u "$(field client_id):$(field client_secret)" -d grant_type=client_credentials \
  "${BASE}/v1/oauth/token" | python3 -c "import json,sys; print(json.load(sys.stdin)['access_token'])")
etag=$(curl -fsS -o /dev/null -D - -H "Authorization: Bearer ${token}" "${BASE}${MODEL}" \
  | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')

# The scoring request: every indicator the latest models ask, answered with varied values.
curl -fsS -H "Authorization: Bearer ${token}" "${BASE}/v1/indicators?limit=200" | python3 -c '
import json, sys
items = [i for i in json.load(sys.stdin)["items"] if i["model_ids"]]
models = sorted({m for i in items for m in i["model_ids"]})
answers = [{"indicator_id": i["id"], "value": (n * 7) % 5} for n, i in enumerate(items)]
print(json.dumps({"model_ids": models, "respondents": [{"answers": answers}]}))
' > "${workdir}/score.json"
python3 - "${workdir}/score.json" "$token" > "${workdir}/score.lua" <<'PY'
import json, sys
body = open(sys.argv[1]).read().strip()
print('wrk.method = "POST"')
print('wrk.headers["Content-Type"] = "application/json"')
print(f'wrk.headers["Authorization"] = "Bearer {sys.argv[2]}"')
print(f"wrk.body = {json.dumps(body)}")
PY
# A submitted assessment on all seven models, answered by two respondents, and a share link to
# its report: targets may name them as {assessment} and {share}, e.g.
# TARGETS="healthz=/healthz report=auth:/v1/assessments/{assessment}/report shared=/shared/{share}".
read -r assessment share < <(python3 - "$BASE" "$token" "${workdir}/score.json" <<'PY'
import datetime, json, sys, urllib.request
base, token, score = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
def call(method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)
client = call("POST", "/v1/clients", {"name": "Benchmark client", "country": "NL"})["id"]
assessment = call("POST", "/v1/assessments", {"client_id": client, "title": "Baseline", "model_ids": score["model_ids"]})["id"]
answers = score["respondents"][0]["answers"]
for n, label in enumerate(["Marketing manager", "Director"]):
    respondent = call("POST", f"/v1/assessments/{assessment}/respondents", {"label": label})["respondent"]["id"]
    given = [{"indicator_id": a["indicator_id"], "value": (a["value"] + 2 * n) % 5} for a in answers]
    call("PUT", f"/v1/assessments/{assessment}/respondents/{respondent}/answers", {"answers": given})
call("POST", f"/v1/assessments/{assessment}/submit")
expires = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)).isoformat()
link = call("POST", f"/v1/assessments/{assessment}/share-links", {"expires_at": expires, "language": "nl"})
print(assessment, link["path"].removeprefix("/shared/"))
PY
)
for kind in "" "?format=csv"; do
  printf 'report%s: %s bytes\n' "$kind" "$(curl -fsS -H "Authorization: Bearer ${token}" \
    "${BASE}/v1/assessments/${assessment}/report${kind}" | wc -c)"
done

# A refused request is fast: make sure this one is answered before measuring it.
curl -fsS -o /dev/null -H "Authorization: Bearer ${token}" -H 'Content-Type: application/json' \
  --data-binary @"${workdir}/score.json" "${BASE}/v1/score"

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/${server}/status"; }
echo "server pid ${server}, idle RSS $(( $(rss_kib) / 1024 )) MiB"
echo "wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION}, ${ROUNDS} rounds"

results="${workdir}/results.tsv"
: > "$results"
for round in $(seq 1 "$ROUNDS"); do
  for target in $TARGETS; do
    name=${target%%=*}
    path=${target#*=}
    path=${path//\{assessment\}/$assessment}
    path=${path//\{share\}/$share}
    headers=()
    case "$path" in
      auth:*) path=${path#auth:}; headers=(-H "Authorization: Bearer ${token}") ;;
      auth304:*) path=${path#auth304:}; headers=(-H "Authorization: Bearer ${token}" -H "If-None-Match: ${etag}") ;;
      score:*) path=${path#score:}; headers=(-s "${workdir}/score.lua") ;;
    esac
    rps=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "${headers[@]}" "${BASE}${path}" \
      | awk '/^Requests\/sec:/ {print $2}')
    printf '%s\t%s\t%s\n' "$round" "$name" "$rps" | tee -a "$results"
  done
done
echo "RSS after load $(( $(rss_kib) / 1024 )) MiB"

python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().split("\n") if line]
by_name = {}
for _, name, rps in rows:
    by_name.setdefault(name, []).append(float(rps))
names = list(by_name)
baseline = statistics.median(by_name[names[0]])
for name in names:
    median = statistics.median(by_name[name])
    print(f"{name}: median {median:,.0f} req/s over {len(by_name[name])} runs; "
          f"{median / baseline:.2f} x {names[0]}")
PY
