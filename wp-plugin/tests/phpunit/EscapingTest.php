<?php
/**
 * Attacker-controlled text (tracked data, post titles, names from the service) comes back
 * escaped on every admin screen the plugin renders, and in the tracker config.
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests;

use SegmentPress\Plugin;

class EscapingTest extends TestCase {

	const PAYLOAD = '<script>alert("sp-xss")</script><img src=x onerror=alert(1)>';

	/**
	 * The settings page as the admin sees it.
	 *
	 * @return string
	 */
	private function settings_page() {
		$cookies = $this->login( self::admin_id() );
		$page    = self::settings_page_for( $cookies );
		$this->assertSame( 200, $page['status'] );
		return $page['body'];
	}

	/**
	 * Asserts the payload is present only in escaped form.
	 *
	 * @param string $html HTML.
	 */
	private function assert_escaped( $html ) {
		$this->assertStringNotContainsString( '<script>alert("sp-xss")', $html );
		$this->assertStringNotContainsString( '<img src=x onerror', $html );
		$this->assertStringContainsString( '&lt;script&gt;alert(', $html );
	}

	public function test_tracked_data_waiting_in_the_queue_is_escaped_on_the_settings_screen() {
		$this->connect( array( 'service_url' => 'http://127.0.0.1:9' ) );
		segmentpress_track( self::PAYLOAD, array( 'x' => self::PAYLOAD ), self::admin_id() );
		Plugin::queue()->process(); // Fails: last_error is recorded too.
		$this->assert_escaped( $this->settings_page() );
	}

	public function test_tracked_data_rejected_by_the_service_is_escaped_in_the_log() {
		Plugin::log()->clear();
		Plugin::queue()->enqueue_event(
			array(
				'type'       => 'track',
				'event'      => self::PAYLOAD,
				'userId'     => 'undefined',
				'properties' => array( 'x' => self::PAYLOAD ),
			)
		);
		$this->process_queue();
		$this->assertStringContainsString( 'sp-xss', wp_json_encode( Plugin::log()->entries() ) );
		$this->assert_escaped( $this->settings_page() );
	}

	public function test_a_post_title_is_escaped_on_the_settings_screen_and_in_the_tracker_config() {
		$this->connect( array( 'service_url' => 'http://127.0.0.1:9' ) );
		$id = (int) wp_insert_post(
			array(
				'post_title'  => self::PAYLOAD,
				'post_status' => 'publish',
			)
		);
		// Stored titles are filtered by kses for users without unfiltered_html; write it raw.
		global $wpdb;
		$wpdb->update( $wpdb->posts, array( 'post_title' => self::PAYLOAD ), array( 'ID' => $id ) );
		clean_post_cache( $id );
		Plugin::sync()->on_save( $id, get_post( $id ) );
		$this->assert_escaped( $this->settings_page() );

		$this->connect();
		$front = self::wp_http( 'GET', '/?p=' . $id );
		preg_match( '/window\.segmentpressConfig = (\{.*?\});\n/', $front['body'], $m );
		$this->assertNotEmpty( $m );
		$this->assertStringNotContainsString( '<', $m[1], 'no markup inside the printed config' );
		$this->assertSame( self::PAYLOAD, json_decode( $m[1], true )['title'] );
	}

	public function test_a_site_name_from_the_service_is_escaped_in_the_test_connection_result() {
		$site_id = self::$env['site']['id'];
		$patched = self::service( 'PATCH', '/v1/sites/' . rawurlencode( $site_id ), array( 'name' => self::PAYLOAD ), self::$env['adminToken'] );
		$this->assertSame( 200, $patched['status'] );
		try {
			$cookies = $this->login( self::admin_id() );
			self::admin_post( $cookies, 'segmentpress_test_connection' );
			$page = self::settings_page_for( $cookies );
			$this->assertStringContainsString( 'Connected to the SegmentPress site', $page['body'] );
			$this->assert_escaped( $page['body'] );
		} finally {
			self::service( 'PATCH', '/v1/sites/' . rawurlencode( $site_id ), array( 'name' => self::$env['site']['name'] ), self::$env['adminToken'] );
		}
	}

	public function test_exported_values_are_escaped() {
		$this->requires_visitor_api();
		$_COOKIE['sp_aid'] = wp_generate_uuid4();
		$user              = get_user_by( 'id', self::make_user() );
		do_action( 'wp_login', $user->user_login, $user );
		segmentpress_track( 'Content Shared', array( 'note' => self::PAYLOAD ), $user->ID );
		$this->process_queue();
		$exporter = apply_filters( 'wp_privacy_personal_data_exporters', array() )['segmentpress'];
		$data     = call_user_func( $exporter['callback'], $user->user_email, 1 )['data'];
		$values   = implode( "\n", wp_list_pluck( array_merge( ...wp_list_pluck( $data, 'data' ) ), 'value' ) );
		$this->assertStringContainsString( 'sp-xss', $values );
		$this->assert_escaped( $values );
	}
}
