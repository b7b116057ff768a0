<?php
/**
 * Base for the part-2 tests that need the service to answer something it cannot be made to
 * answer on demand (a brief with attack payloads, a given set of insights): requests to the
 * service URL are answered by a handler through `pre_http_request`, and recorded.
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests;

abstract class Part2TestCase extends TestCase {

	const PAYLOAD = '<script>alert("sp-xss")</script><img src=x onerror=alert(1)>';

	/**
	 * Requests the fake service received: [method, path, decoded body].
	 *
	 * @var array
	 */
	protected $requests = array();

	protected function setUp(): void {
		parent::setUp();
		// Under PHPUnit, WordPress is loaded from inside a function (the bootstrap), and the
		// shortcode registry ends up empty in this process; the real site (php -S, the browser
		// tests) has them. Register the plugin's shortcodes again so the renderers can be tested.
		if ( ! shortcode_exists( 'segmentpress_show' ) ) {
			\SegmentPress\Plugin::targeting()->register();
			\SegmentPress\Plugin::recommendations()->register();
		}
	}

	protected function tearDown(): void {
		global $wpdb;
		$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_segmentpress\\_%' OR option_name LIKE '\\_transient\\_timeout\\_segmentpress\\_%'" ); // phpcs:ignore
		parent::tearDown();
	}

	/**
	 * Answers every request to the service with $handler( $method, $path, $body ) → [status, body]
	 * (or null to let it through).
	 *
	 * @param callable $handler Handler.
	 */
	protected function fake_service( callable $handler ) {
		$this->requests = array();
		$base           = self::$env['serviceUrl'];
		add_filter(
			'pre_http_request',
			function ( $pre, $args, $url ) use ( $handler, $base ) {
				if ( 0 !== strpos( $url, $base ) ) {
					return $pre;
				}
				$path             = substr( $url, strlen( $base ) );
				$body             = isset( $args['body'] ) && is_string( $args['body'] ) ? json_decode( $args['body'], true ) : null;
				$this->requests[] = array( $args['method'], $path, $body );
				$answer           = $handler( $args['method'], $path, $body );
				if ( null === $answer ) {
					return $pre;
				}
				if ( $answer instanceof \WP_Error ) {
					return $answer;
				}
				return array(
					'headers'  => array(),
					'body'     => wp_json_encode( $answer[1] ),
					'response' => array(
						'code'    => $answer[0],
						'message' => '',
					),
					'cookies'  => array(),
					'filename' => null,
				);
			},
			10,
			3
		);
	}

	/**
	 * The recorded requests with this method whose path starts with $prefix.
	 *
	 * @param string $method Method.
	 * @param string $prefix Path prefix.
	 * @return array
	 */
	protected function requests_to( $method, $prefix ) {
		return array_values(
			array_filter(
				$this->requests,
				static function ( $r ) use ( $method, $prefix ) {
					return $r[0] === $method && 0 === strpos( $r[1], $prefix );
				}
			)
		);
	}

	/**
	 * Asserts attack payloads appear only escaped.
	 *
	 * @param string $html HTML.
	 */
	protected function assert_escaped( $html ) {
		$this->assertStringNotContainsString( '<script>alert("sp-xss")', $html );
		$this->assertStringNotContainsString( '<img src=x onerror', $html );
		$this->assertStringContainsString( '&lt;script&gt;alert(', $html );
	}
}
