<?php
/**
 * Packaging rules: file headers, PHP 7.4 compatibility, tracker size, activation results.
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests;

use SegmentPress\Queue;

class PluginBasicsTest extends TestCase {

	/**
	 * Plugin PHP files.
	 *
	 * @return string[]
	 */
	private static function php_files() {
		$dir   = dirname( __DIR__, 2 ) . '/segmentpress';
		$files = array();
		$it    = new \RecursiveIteratorIterator( new \RecursiveDirectoryIterator( $dir, \FilesystemIterator::SKIP_DOTS ) );
		foreach ( $it as $file ) {
			if ( '.php' === substr( (string) $file, -4 ) ) {
				$files[] = (string) $file;
			}
		}
		return $files;
	}

	public function test_every_php_file_has_an_abspath_guard_and_a_package_docblock() {
		foreach ( self::php_files() as $file ) {
			$code = file_get_contents( $file );
			$this->assertMatchesRegularExpression( "/defined\\(\\s*'ABSPATH'\\s*\\)/", $code, $file );
			$this->assertStringContainsString( '@package SegmentPress', $code, $file );
		}
	}

	public function test_no_php8_only_syntax_so_php_74_can_load_every_file() {
		foreach ( self::php_files() as $file ) {
			$php8_only = array();
			foreach ( token_get_all( file_get_contents( $file ) ) as $token ) {
				if ( is_array( $token ) && in_array( token_name( $token[0] ), array( 'T_MATCH', 'T_NULLSAFE_OBJECT_OPERATOR', 'T_ATTRIBUTE', 'T_READONLY', 'T_ENUM' ), true ) ) {
					$php8_only[] = token_name( $token[0] ) . ' on line ' . $token[2];
				}
			}
			$this->assertSame( array(), $php8_only, $file );
			$this->assertDoesNotMatchRegularExpression( '/\b(str_contains|str_starts_with|str_ends_with|array_is_list)\s*\(/', file_get_contents( $file ), $file );
			$this->assertDoesNotMatchRegularExpression( '/function\s+\w*\s*\([^)]*\bmixed\s+\$/', file_get_contents( $file ), $file . ' uses the mixed type' );
		}
	}

	public function test_tracker_is_at_most_2_kb_gzipped() {
		$tracker = dirname( __DIR__, 2 ) . '/segmentpress/assets/tracker.js';
		$size    = (int) trim( shell_exec( 'gzip -c ' . escapeshellarg( $tracker ) . ' | wc -c' ) );
		$this->assertGreaterThan( 500, $size );
		$this->assertLessThanOrEqual( 2048, $size, "tracker.js is $size bytes gzipped" );
	}

	public function test_activation_created_the_queue_table_and_the_cron_schedule() {
		global $wpdb;
		$this->assertSame( Queue::table(), $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Queue::table() ) ) );
		$this->assertNotFalse( wp_next_scheduled( Queue::CRON_HOOK ) );
		$this->assertTrue( is_plugin_active( 'segmentpress/segmentpress.php' ) );
	}

	public function test_readme_says_what_is_sent_and_where() {
		$readme = file_get_contents( dirname( __DIR__, 2 ) . '/segmentpress/readme.txt' );
		$this->assertStringContainsString( '=== SegmentPress ===', $readme );
		$this->assertStringContainsString( 'What is sent, when, and where', $readme );
		$this->assertStringContainsString( 'Requires PHP: 7.4', $readme );
	}

	public function test_build_script_produces_an_installable_zip() {
		$root = dirname( __DIR__, 2 );
		exec( 'bash ' . escapeshellarg( $root . '/build.sh' ) . ' 2>&1', $out, $code );
		$this->assertSame( 0, $code, implode( "\n", $out ) );
		$listing = (string) shell_exec( 'unzip -Z1 ' . escapeshellarg( $root . '/build/segmentpress.zip' ) );
		foreach ( array( 'segmentpress/segmentpress.php', 'segmentpress/assets/tracker.js', 'segmentpress/uninstall.php', 'segmentpress/readme.txt', 'segmentpress/src/Queue.php' ) as $entry ) {
			$this->assertStringContainsString( $entry . "\n", $listing );
		}
	}

	public function test_tracker_is_printed_with_its_config_only_when_connected() {
		$post_id = (int) self::$env['e2ePosts'][0];
		$page    = self::wp_http( 'GET', '/?p=' . $post_id );
		$this->assertSame( 200, $page['status'] );
		$this->assertStringContainsString( 'segmentpress/assets/tracker.js', $page['body'] );
		$this->assertMatchesRegularExpression( '/window\.segmentpressConfig = (\{.*\});/', $page['body'] );
		preg_match( '/window\.segmentpressConfig = (\{.*\});/', $page['body'], $m );
		$config = json_decode( $m[1], true );
		$this->assertSame( $post_id, $config['postId'] );
		$this->assertSame( 'post', $config['postType'] );
		$this->assertSame( array( 'recipes' ), $config['categories'] );
		$this->assertSame( self::$env['site']['writeKey'], $config['writeKey'] );
		$this->assertStringNotContainsString( self::$env['site']['secretKey'], $page['body'] );

		// Not connected: no tracker, nothing sent (opt-in).
		$this->connect( array( 'secret_key' => '' ) );
		$page = self::wp_http( 'GET', '/?p=' . $post_id );
		$this->assertStringNotContainsString( 'segmentpress/assets/tracker.js', $page['body'] );
		$this->assertStringNotContainsString( 'segmentpressConfig', $page['body'] );
	}

	public function test_search_pages_pass_the_query_to_the_tracker() {
		$page = self::wp_http( 'GET', '/?s=bean+stew' );
		preg_match( '/window\.segmentpressConfig = (\{.*\});/', $page['body'], $m );
		$this->assertNotEmpty( $m, 'config printed on search page' );
		$this->assertSame( 'bean stew', json_decode( $m[1], true )['search'] );
	}
}
