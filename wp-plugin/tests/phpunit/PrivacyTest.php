<?php
/**
 * WordPress privacy tools end to end: export and erasure through the real service.
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests;

use SegmentPress\Plugin;

class PrivacyTest extends TestCase {

	/**
	 * A user whose events are in the service.
	 *
	 * @return \WP_User
	 */
	private function user_with_history() {
		$this->requires_visitor_api();
		$_COOKIE['sp_aid'] = wp_generate_uuid4();
		$user              = get_user_by( 'id', self::make_user() );
		do_action( 'wp_login', $user->user_login, $user );
		segmentpress_track( 'Content Shared', array( 'post_id' => 990007 ), $user->ID ); // No such post: leaves popularity alone.
		$this->process_queue();
		$this->assertSame( 0, Plugin::queue()->count() );
		return $user;
	}

	public function test_exporter_and_eraser_are_registered_with_wordpress() {
		$this->assertArrayHasKey( 'segmentpress', apply_filters( 'wp_privacy_personal_data_exporters', array() ) );
		$this->assertArrayHasKey( 'segmentpress', apply_filters( 'wp_privacy_personal_data_erasers', array() ) );
	}

	public function test_export_returns_what_the_service_stored_about_the_user() {
		$user     = $this->user_with_history();
		$exporter = apply_filters( 'wp_privacy_personal_data_exporters', array() )['segmentpress'];
		$result   = call_user_func( $exporter['callback'], $user->user_email, 1 );

		$this->assertTrue( $result['done'] );
		$this->assertNotEmpty( $result['data'] );
		$groups = array_unique( wp_list_pluck( $result['data'], 'group_id' ) );
		$this->assertContains( 'segmentpress', $groups );
		$text = wp_json_encode( $result['data'] );
		$this->assertStringContainsString( 'Content Shared', $text );
		$this->assertStringContainsString( 'Signed In', $text );
	}

	public function test_export_of_an_unknown_address_is_empty() {
		$this->requires_visitor_api();
		$exporter = apply_filters( 'wp_privacy_personal_data_exporters', array() )['segmentpress'];
		$result   = call_user_func( $exporter['callback'], 'nobody-' . wp_generate_password( 6, false ) . '@example.test', 1 );
		$this->assertSame(
			array(
				'data' => array(),
				'done' => true,
			),
			$result
		);
	}

	public function test_erasure_removes_the_profile_in_the_service_and_queued_events_here() {
		$user = $this->user_with_history();
		$this->assertNotEmpty( self::visitor_ids( 'userId', (string) $user->ID ) );

		// Something still waiting in the queue (service briefly down).
		$this->connect( array( 'service_url' => 'http://127.0.0.1:9' ) );
		segmentpress_track( 'Still Queued', array(), $user->ID );
		$this->connect();
		$this->assertSame( 1, Plugin::queue()->count() );

		$eraser = apply_filters( 'wp_privacy_personal_data_erasers', array() )['segmentpress'];
		$result = call_user_func( $eraser['callback'], $user->user_email, 1 );
		$this->assertTrue( $result['items_removed'] );
		$this->assertFalse( $result['items_retained'] );
		$this->assertTrue( $result['done'] );
		$this->assertSame( 0, Plugin::queue()->count(), 'queued events of the user are purged' );

		$this->assertSame( array(), self::visitor_ids( 'userId', (string) $user->ID ), 'the service no longer knows the user' );
		$exporter = apply_filters( 'wp_privacy_personal_data_exporters', array() )['segmentpress'];
		$this->assertSame( array(), call_user_func( $exporter['callback'], $user->user_email, 1 )['data'] );
	}

	public function test_erasure_reports_retained_data_when_the_service_is_unreachable() {
		$user = get_user_by( 'id', self::make_user() );
		$this->connect( array( 'service_url' => 'http://127.0.0.1:9' ) );
		$eraser = apply_filters( 'wp_privacy_personal_data_erasers', array() )['segmentpress'];
		$result = call_user_func( $eraser['callback'], $user->user_email, 1 );
		$this->assertTrue( $result['items_retained'] );
		$this->assertNotEmpty( $result['messages'] );
	}

	public function test_privacy_policy_text_is_suggested() {
		// As on a wp-admin screen during admin_init (the only place WordPress accepts it).
		wp_set_current_user( self::admin_id() );
		set_current_screen( 'options-privacy' );
		$GLOBALS['wp_current_filter'][] = 'admin_init';
		try {
			Plugin::privacy()->add_policy_text();
		} finally {
			array_pop( $GLOBALS['wp_current_filter'] );
			$GLOBALS['current_screen'] = null; // phpcs:ignore
		}
		$suggested = \WP_Privacy_Policy_Content::get_suggested_policy_text();
		$this->assertContains( 'SegmentPress', wp_list_pluck( $suggested, 'plugin_name' ) );
	}
}
