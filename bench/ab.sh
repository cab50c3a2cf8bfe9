#!/usr/bin/env bash
# `POST /v1/score` throughput of two builds in one run: both servers start once, side by side,
# and wrk alternates between them round after round, so that a noisy machine slows both alike.
# Each build is sent the body bench/load.sh sends: every indicator its `GET /v1/indicators` lists
# with a model, answered. Reports each build's median and the median of the per-round ratios.
#
#   A=/tmp/smm-before B=target/release/smm ROUNDS=9 DURATION=3s bench/ab.sh
#
# The two builds may answer different bodies (each its own catalogue's indicators) with
# responses of different sizes: the script prints both sizes. Rounds alternate which build goes
# first (a b, b a, ...). A token lives 15 minutes: keep ROUNDS × 2 × DURATION below that; any
# answer other than 200 fails the run rather than counting as throughput.
set -euo pipefail

A=$(realpath "${A:?the first build: A=<binary>}")
B=$(realpath "${B:-$(dirname "$0")/../target/release/smm}")
cd "$(dirname "$0")/.."
DURATION=${DURATION:-3s}
ROUNDS=${ROUNDS:-9}
CONNECTIONS=${CONNECTIONS:-32}
declare -A PORT=([a]=${PORT_A:-18191} [b]=${PORT_B:-18192})
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
for bin in "$A" "$B"; do
  [ -x "$bin" ] || { echo "$bin is not an executable: build it first" >&2; exit 1; }
done

workdir=$(mktemp -d)
pids=()
cleanup() {
  rm -rf "$workdir"
  [ "${#pids[@]}" -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

# start <side> <binary>: a server with its own database, a token and the scoring body.
start() {
  local side=$1 bin=$2 port=${PORT[$1]} base="http://127.0.0.1:${PORT[$1]}"
  export SMM_DATABASE_URL="sqlite://${workdir}/${side}.db?mode=rwc"
  SMM_LISTEN_ADDR="127.0.0.1:${port}" SMM_LOG=warn SMM_RATE_LIMIT_PER_SECOND=1000000000 \
    SMM_RATE_LIMIT_BURST=1000000000 "$bin" serve &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 100); do curl -fsS "${base}/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  # Our server, not another one already on the port.
  kill -0 "$pid" 2>/dev/null || { echo "${bin} did not start on port ${port}" >&2; exit 1; }
  curl -fsS "${base}/healthz" >/dev/null
  local credentials token field
  credentials=$("$bin" tenant create --name "Benchmark agency")
  field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$credentials" "$1"; }
  token=$(curl -fsS -u "$(field client_id):$(field client_secret)" -d grant_type=client_credentials \
    "${base}/v1/oauth/token" | python3 -c "import json,sys; print(json.load(sys.stdin)['access_token'])")
  curl -fsS -H "Authorization: Bearer ${token}" "${base}/v1/indicators?limit=200" | python3 -c '
import json, sys
items = [i for i in json.load(sys.stdin)["items"] if i["model_ids"]]
models = sorted({m for i in items for m in i["model_ids"]})
answers = [{"indicator_id": i["id"], "value": (n * 7) % 5} for n, i in enumerate(items)]
print(json.dumps({"model_ids": models, "respondents": [{"answers": answers}]}))' > "${workdir}/${side}.json"
  python3 - "${workdir}/${side}.json" "$token" > "${workdir}/${side}.lua" <<'PY'
import json, sys
print('wrk.method = "POST"')
print('wrk.headers["Content-Type"] = "application/json"')
print(f'wrk.headers["Authorization"] = "Bearer {sys.argv[2]}"')
print(f"wrk.body = {json.dumps(open(sys.argv[1]).read().strip())}")
PY
  local bytes
  bytes=$(curl -fsS -o /dev/null -w '%{size_download}' -H "Authorization: Bearer ${token}" \
    -H 'Content-Type: application/json' --data-binary @"${workdir}/${side}.json" "${base}/v1/score")
  echo "${side}: ${bin}, response ${bytes} bytes"
}

start a "$A"
start b "$B"

results="${workdir}/results.tsv"
for round in $(seq 1 "$ROUNDS"); do
  order="a b"
  [ $((round % 2)) -eq 0 ] && order="b a"
  for side in $order; do
    report=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s "${workdir}/${side}.lua" \
      "http://127.0.0.1:${PORT[$side]}/v1/score")
    if grep -q "Non-2xx" <<<"$report"; then
      echo "${side} answered something other than 200 in round ${round}:" >&2
      echo "$report" >&2
      exit 1
    fi
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$report")
    printf '%s\t%s\t%s\n' "$round" "$side" "$rps" | tee -a "$results"
  done
done

for i in 0 1; do
  echo "$([ "$i" = 0 ] && echo a || echo b): RSS after load $(( $(awk '/^VmRSS/ {print $2}' "/proc/${pids[$i]}/status") / 1024 )) MiB"
done

python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().split("\n") if line]
rps = {"a": {}, "b": {}}
for round_, side, value in rows:
    rps[side][round_] = float(value)
for side in "ab":
    print(f"{side}: median {statistics.median(rps[side].values()):,.0f} req/s over {len(rps[side])} rounds")
ratios = [rps["b"][r] / rps["a"][r] for r in rps["a"]]
print(f"b / a: median of per-round ratios {statistics.median(ratios):.2f} "
      f"(lowest {min(ratios):.2f}, highest {max(ratios):.2f})")
PY
