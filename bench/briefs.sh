#!/usr/bin/env bash
# Brief generation benchmark: 100k visitors, 5M events (30 days), ~330k segment memberships, 5k posts.
# Prints the baseline (one GROUP BY visitor pass over the same events table), the generation time and the ratio.
# The data is generated once into a dedicated database (default sp_briefs_bench) and reused by later runs.
#   bench/briefs.sh                       # MariaDB/MySQL on 127.0.0.1:3306 as root
#   BENCH_DB=mydb DB_USER=u DB_PASSWORD=p bench/briefs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DB="${BENCH_DB:-sp_briefs_bench}"
HOST="${DB_HOST:-127.0.0.1}"
CLIENT="$(command -v mariadb || command -v mysql)"
"$CLIENT" -h "$HOST" -u "${DB_USER:-root}" ${DB_PASSWORD:+-p"$DB_PASSWORD"} -e "CREATE DATABASE IF NOT EXISTS \`$DB\`"
QUARKUS_DATASOURCE_JDBC_URL="jdbc:mysql://$HOST:3306/$DB" \
QUARKUS_DATASOURCE_USERNAME="${DB_USER:-root}" QUARKUS_DATASOURCE_PASSWORD="${DB_PASSWORD:-}" \
  mvn -B -q test -Dtest=BriefGenerationBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dquarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout=600000 -Dquarkus.http.test-port=0 2>&1 \
  | grep --line-buffered -E '^(===|data|baseline|run|RESULT|  [0-9])|ERROR|FAIL' || true
