#!/usr/bin/env bash
# Builds wp-plugin/build/segmentpress.zip, installable under Plugins > Add New > Upload Plugin.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/build"
rm -rf "$out" && mkdir -p "$out"
cd "$here"
for f in $(find segmentpress -name '*.php'); do php -l "$f" >/dev/null; done
# Refresh the translation template when gettext is installed.
if command -v xgettext >/dev/null 2>&1; then
  find segmentpress -name '*.php' | sort | xgettext --language=PHP --from-code=UTF-8 --files-from=- \
    --keyword=__ --keyword=_e --keyword=esc_html__ --keyword=esc_html_e --keyword=esc_attr__ \
    --keyword=esc_attr_e --keyword=_n:1,2 --keyword=_x:1,2c --add-comments=translators: \
    --package-name=SegmentPress --package-version=0.1.0 --sort-by-file --add-location=file \
    --output=segmentpress/languages/segmentpress.pot 2>/dev/null || echo "xgettext failed; translation template not refreshed" >&2
  sed -i '/^"POT-Creation-Date:/d' segmentpress/languages/segmentpress.pot # same sources, same file
fi
if command -v zip >/dev/null 2>&1; then
  zip -qr "$out/segmentpress.zip" segmentpress -x '*/.*'
elif command -v python3 >/dev/null 2>&1; then
  python3 -m zipfile -c "$out/segmentpress.zip" segmentpress
else
  echo "build.sh needs zip or python3" >&2
  exit 1
fi
echo "built $out/segmentpress.zip"
