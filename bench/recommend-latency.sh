#!/usr/bin/env bash
# Latency and throughput of GET /v1/recommendations against a baseline endpoint of the same app
# that does one primary-key SELECT, on a site with 10,000 posts and 100,000 visitors.
#
#   bench/recommend-latency.sh                 # MariaDB/MySQL on 127.0.0.1:3306, user root, no password
#   BENCH_DB=mydb DB_USER=u DB_PASSWORD=p bench/recommend-latency.sh
#   BENCH_POSTS=2000 BENCH_VISITORS=20000 BENCH_SECONDS=10 BENCH_ROUNDS=1 bench/recommend-latency.sh   # smaller, quicker
#
# The first run seeds the site straight into the tables (about a million page events); later runs
# on the same database reuse it. Prints data sizes, durability setting, p50/p99/throughput of the
# baseline, the ranked list, the control list (the request path without ranking) and the ranked
# list for visitors with events not folded yet, the ratios against the targets in quality.md, and
# the throughput ratio of each of the BENCH_ROUNDS alternating rounds (default 3, BENCH_SECONDS each).
set -euo pipefail
cd "$(dirname "$0")/.."
DB="${BENCH_DB:-sp_bench_recommend}"
HOST="${DB_HOST:-127.0.0.1}"
PORT="${DB_PORT:-3306}"
USER_NAME="${DB_USER:-root}"
PASSWORD="${DB_PASSWORD:-}"
if command -v mariadb >/dev/null 2>&1; then
  mariadb -h"$HOST" -P"$PORT" -u"$USER_NAME" ${PASSWORD:+-p"$PASSWORD"} -e "CREATE DATABASE IF NOT EXISTS \`$DB\`"
fi
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:mysql://$HOST:$PORT/$DB"
export QUARKUS_DATASOURCE_USERNAME="$USER_NAME"
export QUARKUS_DATASOURCE_PASSWORD="$PASSWORD"
mvn -B -q test -Dtest=RecommendLatencyBenchmark -Dbench=recommend -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.posts="${BENCH_POSTS:-10000}" -Dbench.visitors="${BENCH_VISITORS:-100000}" \
  -Dbench.seconds="${BENCH_SECONDS:-15}" -Dbench.rounds="${BENCH_ROUNDS:-3}" -Dbench.concurrency="${BENCH_CONCURRENCY:-4}" 2>&1 \
  | grep -v -E '^\s*$|INFO|WARN|DEBUG|^\[' || true
