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
# name=path pairs; the first is the baseline the others are compared with.
TARGETS=${TARGETS:-"healthz=/healthz model=/v1/models/social-strategy-cone"}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$BIN" ] || { echo "$BIN is missing: cargo build --release" >&2; exit 1; }

workdir=$(mktemp -d)
SMM_LISTEN_ADDR="127.0.0.1:${PORT}" SMM_DATABASE_URL="sqlite://${workdir}/smm.db?mode=rwc" \
  SMM_LOG=warn "$BIN" serve &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$workdir"' EXIT

for _ in $(seq 1 100); do
  curl -fsS "${BASE}/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "${BASE}/healthz" >/dev/null

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/${server}/status"; }
echo "server pid ${server}, idle RSS $(( $(rss_kib) / 1024 )) MiB"
echo "wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION}, ${ROUNDS} rounds"

results="${workdir}/results.tsv"
: > "$results"
for round in $(seq 1 "$ROUNDS"); do
  for target in $TARGETS; do
    name=${target%%=*}
    path=${target#*=}
    rps=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "${BASE}${path}" \
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
