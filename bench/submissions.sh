#!/usr/bin/env bash
# Submissions through the API against pgbench running the same SQL on the same database, with the
# same number of connections. Every submission needs an open assessment with answers, so a pool of
# them is made in SQL first, one part for the API and one for pgbench. Loopback only; bounded by
# DURATION per run.
#
#   cargo build --release && bench/submissions.sh   # needs wrk, pgbench and PostgreSQL on 127.0.0.1
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/smm}
PORT=${PORT:-18687}
CONNECTIONS=${CONNECTIONS:-8}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
POOL=${POOL:-120000}
ADMIN_URL=${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/test}
DB=smm_bench_submissions
# shellcheck source=bench/postgres-service.sh
source bench/postgres-service.sh
client=$(post /v1/clients '{"name": "Org"}' | json "d['id']")
# One assessment made through the API shows the stored shape of its models.
template=$(post /v1/assessments "{\"client_id\": \"${client}\", \"title\": \"t\", \"model_ids\": [\"social-media-pyramid\", \"communicatieroos\", \"ambitie-model\"]}" | json "d['id']")

# The pool: open assessments like the template, each with one respondent and three answers;
# (The tenant row read FOR SHARE is whether the tenant shares its results with peer benchmarks;
# this tenant does not, so nothing more is written.)
# pool.n orders them, pool.part says who submits them (api or pgbench).
psql -q "$SMM_DATABASE_URL" <<SQL
CREATE TABLE pool (n bigserial PRIMARY KEY, id uuid NOT NULL, part text NOT NULL);
INSERT INTO pool (id, part)
  SELECT gen_random_uuid(), CASE WHEN i % 2 = 0 THEN 'api' ELSE 'pgbench' END
  FROM generate_series(1, ${POOL}) AS i;
INSERT INTO assessments (tenant_id, id, client_id, title, models, status, created_at)
  SELECT a.tenant_id, pool.id, a.client_id, a.title, a.models, 'open', now()
  FROM pool, assessments a WHERE a.id = '${template}';
INSERT INTO respondents (tenant_id, id, assessment_id, label, created_at)
  SELECT '${tenant}', gen_random_uuid(), id, 'r', now() FROM pool;
INSERT INTO answers (tenant_id, respondent_id, indicator_id, value, updated_at)
  SELECT r.tenant_id, r.id, i.indicator_id, i.value, now()
  FROM respondents r,
       (VALUES ('alerts-configured', 3), ('name-searches', 2), ('sentiment-tracked', 1)) AS i(indicator_id, value);
CREATE SEQUENCE pgbench_next;
CREATE TABLE pgbench_pool AS SELECT row_number() OVER (ORDER BY n) AS k, id FROM pool WHERE part = 'pgbench';
-- pgbench finds its next assessment by k: without an index that lookup would scan the pool.
CREATE UNIQUE INDEX ON pgbench_pool (k);
GRANT SELECT ON pgbench_pool TO smm_app;
GRANT USAGE, SELECT ON SEQUENCE pgbench_next TO smm_app;
ANALYZE;
SQL
psql -qAt "$SMM_DATABASE_URL" -c "SELECT id FROM pool WHERE part = 'api' ORDER BY n" > "${workdir}/api-ids.txt"

# One submission through the API shows the stored results document pgbench inserts.
first=$(head -1 "${workdir}/api-ids.txt")
post "/v1/assessments/${first}/submit" '' >/dev/null
document=$(psql -qAt "$SMM_DATABASE_URL" -c "SELECT documents FROM assessment_results WHERE assessment_id = '${first}'")

# Each wrk thread takes every other id from its round's share of the pool (wrk passes the share's
# first index after `--`), so no assessment is submitted twice.
python3 - "${workdir}/api-ids.txt" "$token" > "${workdir}/submit.lua" <<'PY'
import sys
ids = open(sys.argv[1]).read().split()[1:]
print("ids = {" + ",".join(f'"{i}"' for i in ids) + "}")
print(f'token = "{sys.argv[2]}"')
print("""
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
function init(args)
  n = tonumber(args[1]) + offset
end
function request()
  n = n + 2
  local id = ids[n] or "00000000-0000-0000-0000-000000000000"
  return wrk.format("POST", "/v1/assessments/" .. id .. "/submit",
    { ["Authorization"] = "Bearer " .. token, ["Content-Length"] = "0" }, "")
end
""")
PY
share=$(( (POOL / 2 - 1) / ROUNDS ))
# The statements POST .../submit runs, in one transaction (see service/submission.rs); the
# service's connections have switched to the application role. Prepared, as the service's are.
cat > "${workdir}/submit.sql" <<SQL
SET ROLE smm_app;
SELECT id AS aid FROM pgbench_pool WHERE k = (SELECT nextval('pgbench_next')) \gset
BEGIN;
SELECT set_config('smm.tenant_id', '${tenant}', true);
SELECT * FROM assessments WHERE tenant_id = '${tenant}' AND id = :aid LIMIT 1 FOR UPDATE;
SELECT r.*, a.* FROM respondents r LEFT JOIN answers a ON a.tenant_id = r.tenant_id AND a.respondent_id = r.id
  WHERE r.tenant_id = '${tenant}' AND r.assessment_id = :aid ORDER BY r.tenant_id, r.id;
INSERT INTO assessment_results (tenant_id, assessment_id, documents, created_at)
  VALUES ('${tenant}', :aid, '${document}', now());
SELECT * FROM tenants WHERE id = '${tenant}' LIMIT 1 FOR SHARE;
UPDATE assessments SET status = 'submitted', submitted_at = now()
  WHERE tenant_id = '${tenant}' AND id = :aid AND status = 'open';
INSERT INTO audit_events (tenant_id, id, occurred_at, actor_client_id, action, target_type, target_id, details)
  VALUES ('${tenant}', gen_random_uuid(), now(), '${admin}', 'assessment.submitted', 'assessment', :aid, '{"respondents": 1}');
COMMIT;
SQL

results="${workdir}/results.tsv"
: > "$results"
echo "${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} rounds, pool of ${POOL}"
for round in $(seq 1 "$ROUNDS"); do
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "${workdir}/submit.lua" "${BASE}" -- $(( (round - 1) * share )) \
    > "${workdir}/wrk.txt"
  # A failing submission is fast (and an exhausted pool fails): count only clean runs.
  if grep -q "Non-2xx" "${workdir}/wrk.txt"; then cat "${workdir}/wrk.txt" >&2; exit 1; fi
  api=$(awk '/^Requests\/sec:/ {print $2}' "${workdir}/wrk.txt")
  sql=$(pgbench -n -M prepared -c "$CONNECTIONS" -j 2 -T "$DURATION" -f "${workdir}/submit.sql" "$SMM_DATABASE_URL" 2>"${workdir}/pgbench.err" \
    | tee "${workdir}/pgbench.out" | awk '/^tps = / {print $3}') || true
  if [ -z "$sql" ] || grep -qi "error" "${workdir}/pgbench.err"; then cat "${workdir}/pgbench.out" "${workdir}/pgbench.err" >&2; exit 1; fi
  printf '%s\tapi\t%s\n%s\tpgbench\t%s\n' "$round" "$api" "$round" "$sql" | tee -a "$results"
done
python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().split("\n") if line]
api = statistics.median(float(v) for _, name, v in rows if name == "api")
sql = statistics.median(float(v) for _, name, v in rows if name == "pgbench")
print(f"submissions: API median {api:,.0f} req/s, pgbench median {sql:,.0f} tps: {api / sql:.2f} of pgbench")
PY
