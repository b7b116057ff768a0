<?php
/**
 * Capability and nonce checks on every admin action, over real HTTP.
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests;

use SegmentPress\Settings;

class AdminSecurityTest extends TestCase {

	public function test_subscriber_cannot_open_the_settings_page() {
		$cookies = $this->login( self::subscriber_id() );
		$page    = self::settings_page_for( $cookies );
		$this->assertSame( 403, $page['status'] );
		$this->assertStringNotContainsString( 'segmentpress_settings[', $page['body'] );
	}

	public function test_saving_settings_without_a_nonce_is_refused() {
		$cookies = $this->login( self::admin_id() );
		$result  = self::post_settings( $cookies, array( 'service_url' => 'https://attacker.example' ) );
		$this->assertSame( 403, $result['status'] );
		wp_cache_flush();
		$this->assertSame( self::$env['serviceUrl'], get_option( Settings::OPTION )['service_url'] );
	}

	public function test_saving_settings_as_a_subscriber_with_a_valid_nonce_is_refused() {
		$cookies = $this->login( self::subscriber_id() );
		$result  = self::post_settings( $cookies, array( 'service_url' => 'https://attacker.example' ), wp_create_nonce( 'segmentpress-options' ) );
		$this->assertSame( 403, $result['status'] );
		wp_cache_flush();
		$this->assertSame( self::$env['serviceUrl'], get_option( Settings::OPTION )['service_url'] );
	}

	/**
	 * Admin-post actions and their nonce actions.
	 *
	 * @return array
	 */
	public function admin_actions() {
		return array(
			'test connection' => array( 'segmentpress_test_connection' ),
			'start sync'      => array( 'segmentpress_start_sync' ),
			'retry queue'     => array( 'segmentpress_retry_queue' ),
		);
	}

	/**
	 * @dataProvider admin_actions
	 */
	public function test_admin_actions_refuse_a_missing_nonce( $action ) {
		$cookies = $this->login( self::admin_id() );
		$result  = self::wp_http( 'POST', '/wp-admin/admin-post.php', $cookies, array( 'action' => $action ) );
		$this->assertSame( 403, $result['status'] );
	}

	/**
	 * @dataProvider admin_actions
	 */
	public function test_admin_actions_refuse_a_subscriber_even_with_a_valid_nonce( $action ) {
		$cookies = $this->login( self::subscriber_id() );
		$result  = self::admin_post( $cookies, $action );
		$this->assertSame( 403, $result['status'] );
	}

	public function test_test_connection_shows_the_service_site_name() {
		$cookies = $this->login( self::admin_id() );
		$result  = self::admin_post( $cookies, 'segmentpress_test_connection' );
		$this->assertSame( 302, $result['status'] );
		$page = self::settings_page_for( $cookies );
		$this->assertStringContainsString( 'Connected to the SegmentPress site', $page['body'] );
		$this->assertStringContainsString( esc_html( self::$env['site']['name'] ), $page['body'] );
	}

	public function test_test_connection_reports_a_refused_key() {
		$this->connect( array( 'secret_key' => 'sk_not_a_real_key_000000' ) );
		$cookies = $this->login( self::admin_id() );
		self::admin_post( $cookies, 'segmentpress_test_connection' );
		$page = self::settings_page_for( $cookies );
		$this->assertStringContainsString( 'The service refused the secret key', $page['body'] );
		$this->assertStringContainsString( 'HTTP 401', $page['body'] );
	}

	public function test_sync_progress_route_needs_manage_options_and_a_rest_nonce() {
		$anonymous = self::wp_http( 'GET', '/?rest_route=/segmentpress/v1/sync' );
		$this->assertSame( 401, $anonymous['status'] );

		$cookies    = $this->login( self::subscriber_id() );
		$subscriber = self::wp_http( 'GET', '/?rest_route=/segmentpress/v1/sync', $cookies, array(), array( 'X-WP-Nonce' => wp_create_nonce( 'wp_rest' ) ) );
		$this->assertSame( 403, $subscriber['status'] );

		$cookies  = $this->login( self::admin_id() );
		$no_nonce = self::wp_http( 'GET', '/?rest_route=/segmentpress/v1/sync', $cookies );
		$this->assertSame( 401, $no_nonce['status'], 'cookie auth without the REST nonce counts as logged out' );

		$admin = self::wp_http( 'GET', '/?rest_route=/segmentpress/v1/sync', $cookies, array(), array( 'X-WP-Nonce' => wp_create_nonce( 'wp_rest' ) ) );
		$this->assertSame( 200, $admin['status'] );
		$this->assertArrayHasKey( 'percent', json_decode( $admin['body'], true ) );
	}
}
