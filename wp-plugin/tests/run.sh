#!/usr/bin/env bash
# SegmentPress plugin tests: a real WordPress (Debian's package) on `php -S` against MariaDB,
# with the plugin active and connected to a running SegmentPress service; then PHPUnit inside
# that WordPress and headless Chromium end-to-end tests.
#
# Env: SP_SERVICE_URL (default http://127.0.0.1:8080) — the running service
#      SP_ADMIN_TOKEN (default dev-admin-token)      — its operator token
#      SP_WP_PORT     (default: first free port from 8099)
#      SP_WP_DB       (default sp_wp; dropped and recreated)
#      SP_WP_WORK     (default /tmp/segmentpress-wp-test; recreated)
#      SP_PHPUNIT_ARGS (extra PHPUnit arguments, e.g. --filter QueueTest), SP_SKIP_E2E=1 (development only)
# Exits non-zero when anything fails.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLUGIN_SRC="$(cd "$HERE/../segmentpress" && pwd)"
SP_SERVICE_URL="${SP_SERVICE_URL:-http://127.0.0.1:8080}"
SP_SERVICE_URL="${SP_SERVICE_URL%/}"
SP_ADMIN_TOKEN="${SP_ADMIN_TOKEN:-dev-admin-token}"
SP_WP_DB="${SP_WP_DB:-sp_wp}"
WORK="${SP_WP_WORK:-/tmp/segmentpress-wp-test}"
WP="$WORK/wordpress"

log() { echo "[plugin-tests] $*"; }

# 1. Packages (skipped when present).
missing=()
for pkg in php-cli php-mysql php-curl php-xml php-mbstring phpunit wordpress chromium zip unzip; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. MariaDB.
if ! mysqladmin -h 127.0.0.1 -P 3306 -u root --silent ping >/dev/null 2>&1; then
  log "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql || true
  for _ in $(seq 1 60); do mysqladmin -h 127.0.0.1 -P 3306 -u root --silent ping >/dev/null 2>&1 && break; sleep 1; done
fi
mysql -h 127.0.0.1 -P 3306 -u root -e "DROP DATABASE IF EXISTS \`$SP_WP_DB\`; CREATE DATABASE \`$SP_WP_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"

# 3. The service must be up.
log "waiting for the service at $SP_SERVICE_URL"
up=0
for _ in $(seq 1 90); do
  if curl -fsS -o /dev/null "$SP_SERVICE_URL/q/health/ready" 2>/dev/null; then up=1; break; fi
  sleep 1
done
[ "$up" = 1 ] || { echo "SegmentPress service not reachable at $SP_SERVICE_URL" >&2; exit 1; }

# 4. A free port for WordPress.
port="${SP_WP_PORT:-}"
if [ -z "$port" ]; then
  for p in $(seq 8099 8199); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
  done
fi
WP_URL="http://127.0.0.1:$port"

# 5. A site in the service for this WordPress.
site_json="$(curl -fsS -X POST "$SP_SERVICE_URL/v1/sites" \
  -H "Authorization: Bearer $SP_ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\":\"WP plugin tests $(date +%s)\",\"url\":\"$WP_URL\",\"allowedOrigins\":[\"$WP_URL\"],\"timezone\":\"UTC\",\"currency\":\"USD\"}")"

# 6. WordPress.
log "installing WordPress in $WP ($WP_URL, database $SP_WP_DB)"
rm -rf "$WORK" && mkdir -p "$WORK"
cp -rL /usr/share/wordpress "$WP"
rm -f "$WP/.htaccess"
mkdir -p "$WP/wp-content/mu-plugins" "$WP/wp-content/uploads"
ln -s "$PLUGIN_SRC" "$WP/wp-content/plugins/segmentpress"
ln -s "$HERE/fixtures/segmentpress-test-env.php" "$WP/wp-content/mu-plugins/segmentpress-test-env.php"
ln -s "$HERE/fixtures/segmentpress-test-page-cache.php" "$WP/wp-content/mu-plugins/segmentpress-test-page-cache.php"
service_host="$(php -r 'echo parse_url($argv[1], PHP_URL_HOST);' "$SP_SERVICE_URL")"
salts="$(php -r 'foreach (["AUTH_KEY","SECURE_AUTH_KEY","LOGGED_IN_KEY","NONCE_KEY","AUTH_SALT","SECURE_AUTH_SALT","LOGGED_IN_SALT","NONCE_SALT"] as $k) { echo "define(\x27$k\x27, \x27", bin2hex(random_bytes(32)), "\x27);\n"; }')"
cat > "$WP/wp-config.php" <<PHP
<?php
define( 'DB_NAME', '$SP_WP_DB' );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', '127.0.0.1:3306' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
$salts
\$table_prefix = 'wp_';
define( 'WP_HOME', '$WP_URL' );
define( 'WP_SITEURL', '$WP_URL' );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_DISPLAY', false );
define( 'WP_DEBUG_LOG', '$WORK/debug.log' );
// Tests drive WP-Cron themselves (directly or through wp-cron.php), so runs are deterministic.
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'WP_ACCESSIBLE_HOSTS', '$service_host' );
define( 'FS_METHOD', 'direct' );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
PHP

cat > "$WORK/env.json" <<JSON
{"wpDir": "$WP", "wpUrl": "$WP_URL", "serviceUrl": "$SP_SERVICE_URL", "adminToken": "$SP_ADMIN_TOKEN", "site": $site_json}
JSON
export SP_TEST_ENV="$WORK/env.json"
php "$HERE/fixtures/install.php"
php "$HERE/fixtures/part2.php" install

# 7. Serve it.
log "serving WordPress on $WP_URL"
# Its own process group: php -S forks worker processes that outlive a killed parent.
PHP_CLI_SERVER_WORKERS=4 setsid php -S "127.0.0.1:$port" -t "$WP" >"$WORK/php-server.log" 2>&1 &
server_pid=$!
cleanup() {
  kill -TERM -- "-$server_pid" 2>/dev/null || kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 30); do curl -fsS -o /dev/null "$WP_URL/wp-login.php" 2>/dev/null && break; sleep 0.5; done

status=0

# 8. PHPUnit inside that WordPress.
log "PHPUnit"
# shellcheck disable=SC2086
phpunit -c "$HERE/phpunit.xml" ${SP_PHPUNIT_ARGS:-} || status=1

# 9. Headless Chromium.
if [ "${SP_SKIP_E2E:-0}" = 1 ]; then log "end-to-end skipped (SP_SKIP_E2E=1)"; exit "$status"; fi
log "end-to-end (headless Chromium)"
if [ ! -d "$HERE/e2e/node_modules/playwright-core" ]; then
  (cd "$HERE/e2e" && npm install --no-audit --no-fund --silent)
fi
(cd "$HERE/e2e" && node --test --test-concurrency=1 ./*.test.js) || status=1

if [ -s "$WORK/debug.log" ] && grep -q "PHP Fatal" "$WORK/debug.log"; then
  echo "PHP fatal errors in $WORK/debug.log:" >&2
  grep "PHP Fatal" "$WORK/debug.log" >&2
  status=1
fi
exit "$status"
