#!/usr/bin/env bash
# Segment recompute benchmark: 100k visitors, 5M events (generated once into the database
# sp_segments_bench with JDBC multi-row inserts, reused on later runs), then
#   baseline  = one "SELECT visitor_id, COUNT(*), MAX(occurred_at) ... GROUP BY visitor_id" pass
#   full      = POST /v1/segments/recompute's work for the whole site (first run and steady state)
#   incremental = drain after 1 % new events (2 % of visitors come back)
# and prints each figure and the ratios. Needs a MySQL 8 / MariaDB server on 127.0.0.1:3306
# (override with BENCH_JDBC_URL, BENCH_DB_USER, BENCH_DB_PASSWORD).
set -euo pipefail
cd "$(dirname "$0")/.."
URL="${BENCH_JDBC_URL:-jdbc:mysql://127.0.0.1:3306/sp_segments_bench}"
DB="${URL##*/}"; DB="${DB%%\?*}"
if command -v mariadb >/dev/null 2>&1; then CLIENT=mariadb; else CLIENT=mysql; fi
"$CLIENT" -h127.0.0.1 -u"${BENCH_DB_USER:-root}" ${BENCH_DB_PASSWORD:+-p"$BENCH_DB_PASSWORD"} -e "CREATE DATABASE IF NOT EXISTS \`$DB\`"
mkdir -p target
mvn -B -Pbench-segments test -Dbench.jdbc.url="$URL" -Dbench.jdbc.username="${BENCH_DB_USER:-root}" \
  -Dbench.jdbc.password="${BENCH_DB_PASSWORD:-}" "$@" | tee target/segments-bench.log | grep -E '^\[segments-bench\]|Tests run|BUILD'
