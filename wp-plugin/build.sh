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
else
  php -r '
    $zip = new ZipArchive();
    if ( true !== $zip->open( $argv[1], ZipArchive::CREATE | ZipArchive::OVERWRITE ) ) { exit( 1 ); }
    $it = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( "segmentpress", FilesystemIterator::SKIP_DOTS ) );
    foreach ( $it as $file ) {
      if ( "." !== basename( $file )[0] ) { $zip->addFile( (string) $file, (string) $file ); }
    }
    exit( $zip->close() ? 0 : 1 );' "$out/segmentpress.zip"
fi
echo "built $out/segmentpress.zip"
