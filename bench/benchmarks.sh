#!/usr/bin/env bash
# Latency of peer benchmark queries with 100 000 contributing organisations, on the embedded
# SQLite. The counts are written straight into the cell tables (as 100 000 submissions would leave
# them: every organisation on every model, spread over 21 sections, 4 size bands and 10
# countries); then wrk reads a fine and a coarse group, with the per-replica cache on (default
# 60 s) and off. Needs wrk (apt-get install wrk).
#
#   cargo build --release && bench/benchmarks.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/smm}
PORT=${PORT:-18184}
DURATION=${DURATION:-8s}
CONNECTIONS=${CONNECTIONS:-16}
ORGANISATIONS=${ORGANISATIONS:-100000}
BASE="http://127.0.0.1:${PORT}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$BIN" ] || { echo "$BIN is missing: cargo build --release" >&2; exit 1; }

workdir=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$workdir"' EXIT
export SMM_DATABASE_URL="sqlite://${workdir}/smm.db?mode=rwc" SMM_LOG=error \
  SMM_RATE_LIMIT_PER_SECOND=1000000000 SMM_RATE_LIMIT_BURST=1000000000
"$BIN" migrate >/dev/null

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }
tenant_credentials=$("$BIN" tenant create --name "Benchmark agency")
operator_credentials=$("$BIN" platform-client create --name "Benchmark operator")

echo "writing the cells of ${ORGANISATIONS} organisations on every model"
python3 - "${workdir}/smm.db" "$ORGANISATIONS" <<'PY'
import glob, json, random, sqlite3, sys
db, organisations = sqlite3.connect(sys.argv[1]), int(sys.argv[2])
random.seed(7)
latest = {}
for path in glob.glob("src/catalog/data/models/*.json"):
    model = json.load(open(path))
    version = tuple(int(p) for p in model["version"].split("."))
    if model["id"] not in latest or version > latest[model["id"]][0]:
        latest[model["id"]] = (version, model)
models = {(m["id"], m["version"]): m for _, m in latest.values()}
sections = [chr(c) for c in range(ord("A"), ord("V"))]
sizes, countries = ["micro", "small", "medium", "large"], ["NL", "BE", "DE", "FR", "GB", "ES", "IT", "SE", "DK", "PL"]
groups, stages, elements = {}, {}, {}
for _ in range(organisations):
    cell = (random.choice(sections), random.choice(sizes), random.choice(countries))
    for (model_id, version), model in models.items():
        key = (model_id, version) + cell
        groups[key] = groups.get(key, 0) + 1
        if model["stages"]:
            order = random.randint(0, len(model["stages"]))
            stages[key + (order,)] = stages.get(key + (order,), 0) + 1
        for element in model["elements"]:
            bucket = random.randint(0, 20)
            e = key + (element["id"], bucket, bucket >= 13)
            elements[e] = elements.get(e, 0) + 1
db.executemany("INSERT INTO benchmark_groups VALUES (?,?,?,?,?,?)", [k + (n,) for k, n in groups.items()])
db.executemany("INSERT INTO benchmark_stage_cells VALUES (?,?,?,?,?,?,?)", [k + (n,) for k, n in stages.items()])
db.executemany("INSERT INTO benchmark_element_cells VALUES (?,?,?,?,?,?,?,?,?)", [k + (n,) for k, n in elements.items()])
db.commit()
print(f"{len(groups)} group cells, {len(stages)} stage cells, {len(elements)} element cells")
PY

run() {
  local cache=$1
  SMM_LISTEN_ADDR="127.0.0.1:${PORT}" SMM_BENCHMARK_CACHE_SECS=$cache "$BIN" serve & server=$!
  for _ in $(seq 1 100); do curl -fsS "${BASE}/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  token_of() {
    curl -fsS -u "$(echo "$1" | json "d['client_id']"):$(echo "$1" | json "d['client_secret']")" \
      -d grant_type=client_credentials "${BASE}/v1/oauth/token" | json "d['access_token']"
  }
  local token operator tenant
  token=$(token_of "$tenant_credentials")
  operator=$(token_of "$operator_credentials")
  tenant=$(echo "$tenant_credentials" | json "d['tenant_id']")
  curl -fsS -X PATCH -H "Authorization: Bearer ${operator}" -H 'Content-Type: application/json' \
    -d '{"benchmark_sharing": true}' "${BASE}/v1/tenants/${tenant}" >/dev/null
  for query in "model_id=social-media-pyramid&industry=G&size_band=small&country=NL" "industry=G"; do
    curl -fsS -H "Authorization: Bearer ${token}" "${BASE}/v1/benchmarks?${query}" \
      | python3 -c "import json,sys; d=json.load(sys.stdin); print('  ', sys.argv[1], [ (m['model_id'], m['organisations']) for m in d['models']][:2])" "$query"
    printf 'cache %ss, %s: ' "$cache" "$query"
    wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer ${token}" \
      "${BASE}/v1/benchmarks?${query}" | awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print rps " req/s, p50 " p50 ", p99 " p99}'
  done
  kill "$server"; wait "$server" 2>/dev/null || true
}
run 60
run 0
