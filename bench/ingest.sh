#!/usr/bin/env bash
# Ingest benchmark: POST /v1/batch vs raw JDBC multi-row INSERT, POST /v1/track vs parse-only.
# Usage (from the repository root):  bench/ingest.sh
# Settings (environment): BENCH_DB (sp_bench, dropped and re-created), BENCH_DB_HOST (127.0.0.1),
# BENCH_DB_PORT (3306), BENCH_DB_USER (root), BENCH_DB_PASSWORD (empty), BENCH_PORT (18089),
# BENCH_THREADS (8), BENCH_SECONDS (10 per phase and round), BENCH_ROUNDS (2), BENCH_WARMUP_SECONDS (30),
# BENCH_SETTLE_SECONDS (10), BENCH_SETTLE_MAX_SECONDS (60), BENCH_BATCH (100),
# BENCH_VISITORS (20000), BENCH_DB_SET (server variables for the run, e.g.
# "innodb_buffer_pool_size=2147483648 innodb_log_file_size=1073741824"; restored afterwards). See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${BENCH_DB:-sp_bench}
DB_HOST=${BENCH_DB_HOST:-127.0.0.1}
DB_PORT=${BENCH_DB_PORT:-3306}
export BENCH_DB_USER=${BENCH_DB_USER:-root}
export BENCH_DB_PASSWORD=${BENCH_DB_PASSWORD:-}
PORT=${BENCH_PORT:-18089}
WORK=target/bench
export BENCH_URL="http://127.0.0.1:$PORT"
export BENCH_JDBC_URL="jdbc:mysql://$DB_HOST:$DB_PORT/$DB"
export BENCH_ADMIN_TOKEN="bench-admin-$RANDOM$RANDOM"

echo "== building the service jar"
mvn -q -B package -DskipTests

sql() {
  mariadb -h"$DB_HOST" -P"$DB_PORT" -u"$BENCH_DB_USER" ${BENCH_DB_PASSWORD:+-p"$BENCH_DB_PASSWORD"} -N -e "$1"
}

echo "== fresh database $DB on $DB_HOST:$DB_PORT"
sql "DROP DATABASE IF EXISTS \`$DB\`; CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"

# Server variables for this run only (dynamic ones: SET GLOBAL), put back as they were on exit.
RESTORE=""
restore_server() {
  if [ -n "$RESTORE" ]; then echo "== restoring server variables:$RESTORE"; sql "$RESTORE" || true; fi
}
for setting in ${BENCH_DB_SET:-}; do
  name=${setting%%=*}; value=${setting#*=}
  [[ "$name" =~ ^[a-z_]+$ && "$value" =~ ^[0-9A-Za-z_]+$ ]] || { echo "BENCH_DB_SET: not name=value: $setting"; exit 1; }
  old=$(sql "SELECT @@GLOBAL.$name")
  RESTORE="$RESTORE SET GLOBAL $name = $old;"
  echo "== server: SET GLOBAL $name = $value (was $old)"
  sql "SET GLOBAL $name = $value"
done
trap restore_server EXIT

# Run a copy of the packaged app so that another build in target/ cannot swap it mid-run.
rm -rf "$WORK/app" && mkdir -p "$WORK" && cp -r target/quarkus-app "$WORK/app"

echo "== starting the service on port $PORT (log: $WORK/service.log)"
QUARKUS_DATASOURCE_JDBC_URL="$BENCH_JDBC_URL" \
QUARKUS_DATASOURCE_USERNAME="$BENCH_DB_USER" \
QUARKUS_DATASOURCE_PASSWORD="$BENCH_DB_PASSWORD" \
QUARKUS_HTTP_PORT="$PORT" \
SEGMENTPRESS_ADMIN_TOKEN="$BENCH_ADMIN_TOKEN" \
SEGMENTPRESS_BENCH_ENABLED=true \
SEGMENTPRESS_INGEST_RATE_LIMIT_REQUESTS_PER_SECOND=1000000 \
SEGMENTPRESS_INGEST_RATE_LIMIT_BURST=1000000 \
  java ${BENCH_JAVA_OPTS:--Xms512m -Xmx1g} -jar "$WORK/app/quarkus-run.jar" >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
trap 'kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; restore_server' EXIT

for _ in $(seq 1 120); do
  if curl -fs "$BENCH_URL/q/health/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVICE_PID" 2>/dev/null; then echo "the service did not start:"; tail -40 "$WORK/service.log"; exit 1; fi
  sleep 1
done
curl -fs "$BENCH_URL/q/health/ready" >/dev/null || { echo "the service is not ready after 120 s"; tail -40 "$WORK/service.log"; exit 1; }

echo "== running the load (IngestBenchmark)"
# The load client runs in a test JVM: point its configuration at the same database so that it
# never starts the embedded one.
QUARKUS_DATASOURCE_JDBC_URL="$BENCH_JDBC_URL" SEGMENTPRESS_EMBEDDED_DB_ENABLED=false \
  mvn -B -q -Pbench test -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | tee "$WORK/ingest-results.txt"
