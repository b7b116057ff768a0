<?php
/**
 * Loads the real test WordPress that tests/run.sh installed (see SP_TEST_ENV).
 *
 * @package SegmentPress\Tests
 */

$env_file = getenv( 'SP_TEST_ENV' );
if ( ! $env_file || ! is_readable( $env_file ) ) {
	fwrite( STDERR, "SP_TEST_ENV must point at the env.json written by tests/run.sh\n" );
	exit( 1 );
}
$GLOBALS['sp_test_env'] = json_decode( file_get_contents( $env_file ), true );
$sp_url                 = parse_url( $GLOBALS['sp_test_env']['wpUrl'] );

$_SERVER['HTTP_HOST']   = $sp_url['host'] . ':' . $sp_url['port'];
$_SERVER['SERVER_NAME'] = $sp_url['host'];
$_SERVER['SERVER_PORT'] = $sp_url['port'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';

require $GLOBALS['sp_test_env']['wpDir'] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
require_once __DIR__ . '/TestCase.php';
require_once __DIR__ . '/Fake_WC_Order.php';

// wp_die() must fail the test, not end the PHPUnit process.
add_filter(
	'wp_die_handler',
	static function () {
		return static function ( $message ) {
			throw new \RuntimeException( 'wp_die: ' . wp_strip_all_tags( is_string( $message ) ? $message : wp_json_encode( $message ) ) );
		};
	}
);
