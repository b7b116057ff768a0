#!/usr/bin/env bash
# Service start benchmark: the time from launching the JVM until /q/health/ready answers 200, and
# the process's resident memory once it is ready, for the service and, in the same run, for an
# empty Quarkus application built from the same pom.xml (same Quarkus version, same extensions,
# same libraries, no code, no configuration beyond the service's datasource and Hibernate settings). Both start against the same
# MySQL/MariaDB server, in alternating rounds, with the same JVM and no JVM options.
#
#   bench/startup.sh                       # MariaDB/MySQL on 127.0.0.1:3306, user root, no password
#   BENCH_ROUNDS=9 bench/startup.sh        # more rounds (default 5 of each, after one unmeasured start each)
#   DB_HOST=db DB_USER=u DB_PASSWORD=p bench/startup.sh
#
# Prints every start, the medians, and the ratios against the targets in docs/quality.md
# (start time <= 1.5 x, memory <= 1.3 x the empty application's).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${BENCH_ROUNDS:-5}"
HOST="${DB_HOST:-127.0.0.1}"
PORT="${DB_PORT:-3306}"
USER_NAME="${DB_USER:-root}"
PASSWORD="${DB_PASSWORD:-}"
HTTP_PORT="${BENCH_HTTP_PORT:-18089}"
SERVICE_DB=sp_bench_startup
EMPTY_DB=sp_bench_startup_empty
if command -v mariadb >/dev/null 2>&1; then CLIENT=mariadb; else CLIENT=mysql; fi
for db in "$SERVICE_DB" "$EMPTY_DB"; do
  "$CLIENT" -h"$HOST" -P"$PORT" -u"$USER_NAME" ${PASSWORD:+-p"$PASSWORD"} -e "CREATE DATABASE IF NOT EXISTS \`$db\`"
done

echo "Building the service and the empty application ..."
mvn -B -q package -DskipTests
EMPTY=target/startup-empty
rm -rf "$EMPTY"
mkdir -p "$EMPTY/src/main/resources"
# the same pom under another name: same extensions and libraries, and no sources at all
sed -e '0,/<artifactId>segmentpress<\/artifactId>/s//<artifactId>segmentpress-startup-empty<\/artifactId>/' pom.xml > "$EMPTY/pom.xml"
# the service's own datasource and Hibernate settings (what it takes to run on this server), nothing else
grep -E '^quarkus\.(datasource|hibernate-orm)\.' src/main/resources/application.properties > "$EMPTY/src/main/resources/application.properties"
(cd "$EMPTY" && mvn -B -q package -DskipTests)

SERVICE_JAR=target/quarkus-app/quarkus-run.jar
EMPTY_JAR="$EMPTY/target/quarkus-app/quarkus-run.jar"
JDBC="jdbc:mysql://$HOST:$PORT"

# start <jar> <database>: prints "<milliseconds to ready> <resident kB once ready>"
start() {
  local jar="$1" db="$2" started now pid rss log
  log=$(mktemp)
  started=$(date +%s%N)
  QUARKUS_DATASOURCE_JDBC_URL="$JDBC/$db" QUARKUS_DATASOURCE_USERNAME="$USER_NAME" QUARKUS_DATASOURCE_PASSWORD="$PASSWORD" \
    QUARKUS_HTTP_PORT="$HTTP_PORT" SEGMENTPRESS_ADMIN_TOKEN=startup-bench java -jar "$jar" > "$log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/q/health/ready"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$jar did not start:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.01
  done
  now=$(date +%s%N)
  sleep 2 # what it holds once it is up, not the peak of starting
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -f "$log"
  echo "$(( (now - started) / 1000000 )) $rss"
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "Unmeasured first start of each (migrations, file cache) ..."
start "$SERVICE_JAR" "$SERVICE_DB" > /dev/null
start "$EMPTY_JAR" "$EMPTY_DB" > /dev/null

service_ms=(); service_kb=(); empty_ms=(); empty_kb=()
printf '%-6s %22s %22s\n' round "empty app ms / MB" "service ms / MB"
for round in $(seq 1 "$ROUNDS"); do
  empty=$(start "$EMPTY_JAR" "$EMPTY_DB")
  service=$(start "$SERVICE_JAR" "$SERVICE_DB")
  read -r ems ekb <<< "$empty"
  read -r sms skb <<< "$service"
  empty_ms+=("$ems"); empty_kb+=("$ekb"); service_ms+=("$sms"); service_kb+=("$skb")
  printf '%-6s %14d / %5d %14d / %5d\n' "$round" "$ems" $((ekb / 1024)) "$sms" $((skb / 1024))
done

em=$(printf '%s\n' "${empty_ms[@]}" | median); sm=$(printf '%s\n' "${service_ms[@]}" | median)
ek=$(printf '%s\n' "${empty_kb[@]}" | median); sk=$(printf '%s\n' "${service_kb[@]}" | median)
echo
echo "Java: $(java -version 2>&1 | head -1); JVM options: none; $(nproc) cores"
awk -v em="$em" -v sm="$sm" -v ek="$ek" -v sk="$sk" 'BEGIN {
  printf "median start to ready: empty app %d ms, service %d ms, ratio %.2f (target <= 1.5: %s)\n", em, sm, sm / em, sm / em <= 1.5 ? "met" : "MISSED"
  printf "median resident memory once ready: empty app %.0f MB, service %.0f MB, ratio %.2f (target <= 1.3: %s)\n", ek / 1024, sk / 1024, sk / ek, sk / ek <= 1.3 ? "met" : "MISSED"
}'
