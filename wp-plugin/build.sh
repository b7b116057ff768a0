#!/usr/bin/env bash
# Builds wp-plugin/build/segmentpress.zip, installable under Plugins > Add New > Upload Plugin.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/build"
rm -rf "$out" && mkdir -p "$out"
cd "$here"
for f in $(find segmentpress -name '*.php'); do php -l "$f" >/dev/null; done
if command -v zip >/dev/null 2>&1; then
  zip -qr "$out/segmentpress.zip" segmentpress -x '*/.*'
elif command -v python3 >/dev/null 2>&1; then
  python3 -m zipfile -c "$out/segmentpress.zip" segmentpress
else
  echo "build.sh needs zip or python3" >&2
  exit 1
fi
echo "built $out/segmentpress.zip"
