#!/usr/bin/env bash
# Answer saves through the API against pgbench running the same SQL on the same database, with the
# same number of connections. Loopback only; bounded by DURATION per run.
#
#   cargo build --release && bench/writes.sh        # needs wrk, pgbench and PostgreSQL on 127.0.0.1
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/smm}
PORT=${PORT:-18686}
CONNECTIONS=${CONNECTIONS:-8}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
ADMIN_URL=${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/test}
DB=smm_bench_writes
# shellcheck source=bench/postgres-service.sh
source bench/postgres-service.sh
client=$(post /v1/clients '{"name": "Org"}' | json "d['id']")
assessment=$(post /v1/assessments "{\"client_id\": \"${client}\", \"title\": \"t\", \"model_ids\": [\"social-media-pyramid\"]}" | json "d['id']")
created=$(post "/v1/assessments/${assessment}/respondents" '{"label": "r"}')
respondent=$(echo "$created" | json "d['respondent']['id']")
respondent_token=$(echo "$created" | json "d['token']")

cat > "${workdir}/save.lua" <<LUA
wrk.method = "PUT"
wrk.headers["Authorization"] = "Bearer ${respondent_token}"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"answers": [{"indicator_id": "alerts-configured", "value": 3}, {"indicator_id": "name-searches", "value": 2}, {"indicator_id": "sentiment-tracked", "value": 1}]}'
LUA
# The statements PUT .../answers runs, in one transaction (see store/respondents.rs and
# store/assessments.rs); the service's connections have switched to the application role.
cat > "${workdir}/save.sql" <<SQL
SET ROLE smm_app;
BEGIN;
SELECT set_config('smm.tenant_id', '${tenant}', true);
SELECT * FROM assessments WHERE tenant_id = '${tenant}' AND id = '${assessment}' LIMIT 1 FOR UPDATE;
SELECT * FROM respondents WHERE tenant_id = '${tenant}' AND assessment_id = '${assessment}' AND id = '${respondent}' LIMIT 1;
INSERT INTO answers (tenant_id, respondent_id, indicator_id, value, updated_at) VALUES
  ('${tenant}', '${respondent}', 'alerts-configured', 3, now()),
  ('${tenant}', '${respondent}', 'name-searches', 2, now()),
  ('${tenant}', '${respondent}', 'sentiment-tracked', 1, now())
  ON CONFLICT (tenant_id, respondent_id, indicator_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
SELECT * FROM answers WHERE tenant_id = '${tenant}' AND respondent_id = '${respondent}';
COMMIT;
SQL
path="/v1/assessments/${assessment}/respondents/${respondent}/answers"
curl -fsS -X PUT -H "Authorization: Bearer ${respondent_token}" -H 'Content-Type: application/json' \
  -d '{"answers": []}' "${BASE}${path}" >/dev/null

results="${workdir}/results.tsv"
: > "$results"
echo "${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} rounds"
for round in $(seq 1 "$ROUNDS"); do
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "${workdir}/save.lua" "${BASE}${path}" > "${workdir}/wrk.txt"
  # A failing save is fast; count only runs where every save succeeded.
  if grep -q "Non-2xx" "${workdir}/wrk.txt"; then cat "${workdir}/wrk.txt" >&2; exit 1; fi
  api=$(awk '/^Requests\/sec:/ {print $2}' "${workdir}/wrk.txt")
  sql=$(pgbench -n -c "$CONNECTIONS" -j 2 -T "$DURATION" -f "${workdir}/save.sql" "$SMM_DATABASE_URL" 2>/dev/null \
    | awk '/^tps = / {print $3}')
  printf '%s\tapi\t%s\n%s\tpgbench\t%s\n' "$round" "$api" "$round" "$sql" | tee -a "$results"
done
python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().split("\n") if line]
api = statistics.median(float(v) for _, name, v in rows if name == "api")
sql = statistics.median(float(v) for _, name, v in rows if name == "pgbench")
print(f"answer saves: API median {api:,.0f} req/s, pgbench median {sql:,.0f} tps: {api / sql:.2f} of pgbench")
PY
