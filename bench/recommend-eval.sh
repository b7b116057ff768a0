#!/usr/bin/env bash
# Offline evaluation of the recommendation ranking: a generated site with planted reader tastes,
# each visitor's last read held out, hit rate@5 and NDCG@5 of our ranking against most-popular and
# same-category-newest baselines in the same run. No database needed.
#
#   bench/recommend-eval.sh              # 3,000 items, 20,000 visitors
#   bench/recommend-eval.sh 10000 100000 # items, visitors
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile
CLASSPATH_FILE="$(mktemp)"
trap 'rm -f "$CLASSPATH_FILE"' EXIT
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test
java -cp "target/classes:target/test-classes:$(cat "$CLASSPATH_FILE")" io.segmentpress.recommend.OfflineEvaluation "$@"
