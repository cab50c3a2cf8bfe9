#!/usr/bin/env bash
# Noisy neighbour: one tenant sends five times its request budget while another works normally;
# the quiet tenant's latency with and without the noise. Both read their client list
# (`GET /v1/clients`, a database read) at a fixed pace from keep-alive connections; the noisy
# tenant's surplus is answered 429 by the rate limiter before any database work. Release binary,
# embedded SQLite (or SMM_DATABASE_URL), loopback.
#
#   cargo build --release && bench/noisy_neighbour.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/smm}
PORT=${PORT:-18192}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
QUIET_RATE=${QUIET_RATE:-10}        # requests per second, within the budget
BUDGET=${BUDGET:-20}                # SMM_RATE_LIMIT_PER_SECOND for every tenant
BASE="http://127.0.0.1:${PORT}"
[ -x "$BIN" ] || { echo "$BIN is missing: cargo build --release" >&2; exit 1; }

workdir=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$workdir"' EXIT
export SMM_DATABASE_URL=${SMM_DATABASE_URL:-"sqlite://${workdir}/smm.db?mode=rwc"} SMM_LOG=error \
  SMM_LISTEN_ADDR="127.0.0.1:${PORT}" SMM_RATE_LIMIT_PER_SECOND="$BUDGET" SMM_RATE_LIMIT_BURST="$BUDGET"
"$BIN" serve & server=$!
for _ in $(seq 1 100); do curl -fsS "${BASE}/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }
token_of() {
  local credentials; credentials=$("$BIN" tenant create --name "$1")
  curl -fsS -u "$(echo "$credentials" | json "d['client_id']"):$(echo "$credentials" | json "d['client_secret']")" \
    -d grant_type=client_credentials "${BASE}/v1/oauth/token" | json "d['access_token']"
}
quiet=$(token_of "Quiet agency")
noisy=$(token_of "Noisy agency")
for token in "$quiet" "$noisy"; do
  for i in $(seq 1 20); do
    curl -fsS -H "Authorization: Bearer ${token}" -H 'Content-Type: application/json' \
      -d "{\"name\": \"Client ${i}\"}" "${BASE}/v1/clients" >/dev/null
  done
done

python3 - "$PORT" "$quiet" "$noisy" "$SECONDS_PER_RUN" "$QUIET_RATE" "$BUDGET" <<'PY'
import http.client, statistics, sys, threading, time

port, quiet, noisy = int(sys.argv[1]), sys.argv[2], sys.argv[3]
seconds, quiet_rate, budget = float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])

def paced(token, rate, seconds, connections, latencies, statuses):
    """Sends `rate` requests per second in all, spread over `connections` keep-alive threads."""
    def run(offset):
        conn = http.client.HTTPConnection("127.0.0.1", port)
        interval = connections / rate
        start = time.perf_counter() + offset * interval / connections
        n = 0
        while True:
            due = start + n * interval
            now = time.perf_counter()
            if due - start > seconds:
                break
            if due > now:
                time.sleep(due - now)
            sent = time.perf_counter()
            conn.request("GET", "/v1/clients?limit=50", headers={"Authorization": f"Bearer {token}"})
            response = conn.getresponse()
            response.read()
            latencies.append(time.perf_counter() - sent)
            statuses.append(response.status)
            n += 1
    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    for t in threads: t.start()
    return threads

def quantile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

def measure(with_noise):
    quiet_latencies, quiet_statuses, noisy_latencies, noisy_statuses = [], [], [], []
    threads = paced(quiet, quiet_rate, seconds, 2, quiet_latencies, quiet_statuses)
    if with_noise:
        threads += paced(noisy, 5 * budget, seconds, 8, noisy_latencies, noisy_statuses)
    for t in threads: t.join()
    ok = sum(1 for s in quiet_statuses if s == 200)
    line = (f"{'with' if with_noise else 'without'} noise: quiet tenant {len(quiet_statuses)} requests, "
            f"{ok} answered 200, p50 {1000 * quantile(quiet_latencies, 0.5):.2f} ms, "
            f"p99 {1000 * quantile(quiet_latencies, 0.99):.2f} ms")
    if with_noise:
        limited = sum(1 for s in noisy_statuses if s == 429)
        line += (f"; noisy tenant {len(noisy_statuses)} requests "
                 f"({len(noisy_statuses) / seconds:.0f}/s), {limited} answered 429")
    print(line, flush=True)

measure(False)
measure(True)
measure(False)
PY
