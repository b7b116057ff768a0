<?php
/**
 * Capability and nonce checks on every part-2 action and screen, over real HTTP with real login
 * cookies: briefs (accept, dismiss, draft, schedule, options), the dashboard refresh, the screens,
 * and the editor's REST route.
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests;

use SegmentPress\Briefs_Page;

class Part2SecurityTest extends TestCase {

	/** A brief id the service does not have: refused requests must never get that far anyway. */
	const BRIEF = 987654;

	private static function user_id( $login ) {
		return (int) get_user_by( 'login', $login )->ID;
	}

	/**
	 * Login cookies of the last login(), so nonces made after it belong to that session.
	 *
	 * @var array
	 */
	private $cookies = array();

	/**
	 * Posts an admin-post.php action in the session of the last as() call.
	 *
	 * @param int    $user_id User (only for readability: the session is the last as()).
	 * @param string $action  Action.
	 * @param array  $fields  More fields (the nonce).
	 * @return array
	 */
	private function post_action( $user_id, $action, array $fields = array() ) {
		if ( (int) get_current_user_id() !== (int) $user_id ) {
			$this->as( $user_id );
		}
		return self::wp_http( 'POST', '/wp-admin/admin-post.php', $this->cookies, array_merge( array( 'action' => $action ), $fields ) );
	}

	/**
	 * Logs the user in (a new session); nonces created next are for that session.
	 *
	 * @param int $user_id User.
	 */
	private function as( $user_id ) {
		$this->cookies = $this->login( $user_id );
	}

	/**
	 * Nonce fields for a brief action, created as the given user.
	 *
	 * @param int    $user_id  User.
	 * @param string $action   accept|dismiss|draft|schedule.
	 * @param int    $brief_id Brief id the nonce is for.
	 * @param int    $posted   Brief id sent.
	 * @return array
	 */
	private function brief_fields( $user_id, $action, $brief_id = self::BRIEF, $posted = self::BRIEF ) {
		$this->as( $user_id );
		return array(
			'brief'    => $posted,
			'_wpnonce' => wp_create_nonce( Briefs_Page::nonce_action( $action, $brief_id ) ),
		);
	}

	private static function brief_post_count() {
		global $wpdb;
		return (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->postmeta} WHERE meta_key = %s", '_segmentpress_brief_id' ) ); // phpcs:ignore
	}

	/**
	 * Brief actions with the user who lacks its capability.
	 *
	 * @return array
	 */
	public function brief_actions() {
		return array(
			'accept as subscriber'      => array( 'accept', 'subscriber' ),
			'dismiss as subscriber'     => array( 'dismiss', 'subscriber' ),
			'draft as subscriber'       => array( 'draft', 'subscriber' ),
			'schedule as contributor'   => array( 'schedule', 'contributor1' ),
			'schedule as subscriber'    => array( 'schedule', 'subscriber' ),
		);
	}

	/**
	 * @dataProvider brief_actions
	 */
	public function test_a_brief_action_refuses_a_user_without_the_capability_even_with_a_valid_nonce( $action, $login ) {
		$before = self::brief_post_count();
		$user   = self::user_id( $login );
		$result = $this->post_action( $user, 'segmentpress_brief_' . $action, $this->brief_fields( $user, $action ) );
		$this->assertSame( 403, $result['status'], $action . ' by ' . $login );
		$this->assertSame( $before, self::brief_post_count(), 'no post made' );
	}

	/**
	 * @dataProvider brief_actions
	 */
	public function test_a_brief_action_refuses_a_missing_nonce( $action ) {
		$this->as( self::admin_id() );
		$result = $this->post_action( self::admin_id(), 'segmentpress_brief_' . $action, array( 'brief' => self::BRIEF ) );
		$this->assertSame( 403, $result['status'] );
	}

	/**
	 * @dataProvider brief_actions
	 */
	public function test_a_brief_action_refuses_a_nonce_made_for_another_brief( $action ) {
		$admin  = self::admin_id();
		$result = $this->post_action( $admin, 'segmentpress_brief_' . $action, $this->brief_fields( $admin, $action, self::BRIEF + 1, self::BRIEF ) );
		$this->assertSame( 403, $result['status'] );
	}

	public function test_a_brief_action_refuses_a_forged_nonce() {
		$this->as( self::admin_id() );
		$result = $this->post_action( self::admin_id(), 'segmentpress_brief_schedule', array( 'brief' => self::BRIEF, '_wpnonce' => 'abcdef1234' ) );
		$this->assertSame( 403, $result['status'] );
	}

	public function test_with_capability_and_nonce_the_action_reaches_the_service_and_reports_its_answer() {
		$editor = self::user_id( 'editor1' );
		$result = $this->post_action( $editor, 'segmentpress_brief_accept', $this->brief_fields( $editor, 'accept' ) );
		$this->assertSame( 302, $result['status'], 'accepted for processing' );
		$page = self::wp_http( 'GET', '/wp-admin/admin.php?page=segmentpress-briefs', $this->cookies );
		$this->assertSame( 200, $page['status'] );
		$this->assertStringContainsString( 'HTTP 404', $page['body'], 'the service does not know that brief' );
	}

	public function test_automatic_drafts_option_needs_manage_options_and_its_nonce() {
		$editor = self::user_id( 'editor1' );
		$this->as( $editor );
		$refused = $this->post_action( $editor, 'segmentpress_briefs_options', array( 'auto_draft' => '1', '_wpnonce' => wp_create_nonce( 'segmentpress_briefs_options' ) ) );
		$this->assertSame( 403, $refused['status'], 'an editor may not change it' );
		$this->as( self::admin_id() );
		$no_nonce = $this->post_action( self::admin_id(), 'segmentpress_briefs_options', array( 'auto_draft' => '1' ) );
		$this->assertSame( 403, $no_nonce['status'] );
		wp_cache_flush();
		$this->assertFalse( \SegmentPress\Plugin::briefs()->options()['auto_draft'] );

		$admin = self::admin_id();
		$this->as( $admin );
		$saved = $this->post_action( $admin, 'segmentpress_briefs_options', array( 'auto_draft' => '1', 'min_priority' => '70', '_wpnonce' => wp_create_nonce( 'segmentpress_briefs_options' ) ) );
		$this->assertSame( 302, $saved['status'] );
		wp_cache_flush();
		$this->assertSame( array( 'auto_draft' => true, 'min_priority' => 70 ), \SegmentPress\Plugin::briefs()->options() );
		delete_option( \SegmentPress\Briefs::OPTION );
	}

	public function test_dashboard_refresh_needs_edit_posts_and_its_nonce() {
		set_transient( \SegmentPress\Dashboard_Page::CACHE, array( 'kept' => true ), 600 );
		$subscriber = self::subscriber_id();
		$this->as( $subscriber );
		$refused = $this->post_action( $subscriber, 'segmentpress_dashboard_refresh', array( '_wpnonce' => wp_create_nonce( 'segmentpress_dashboard_refresh' ) ) );
		$this->assertSame( 403, $refused['status'] );
		$this->as( self::admin_id() );
		$no_nonce = $this->post_action( self::admin_id(), 'segmentpress_dashboard_refresh' );
		$this->assertSame( 403, $no_nonce['status'] );
		$bad_nonce = $this->post_action( self::admin_id(), 'segmentpress_dashboard_refresh', array( '_wpnonce' => wp_create_nonce( 'segmentpress_briefs_options' ) ) );
		$this->assertSame( 403, $bad_nonce['status'], 'a nonce for another action' );
		wp_cache_flush();
		$this->assertSame( array( 'kept' => true ), get_transient( \SegmentPress\Dashboard_Page::CACHE ) );
		$allowed = $this->post_action( self::admin_id(), 'segmentpress_dashboard_refresh', array( '_wpnonce' => wp_create_nonce( 'segmentpress_dashboard_refresh' ) ) );
		$this->assertSame( 302, $allowed['status'], 'control: the admin with the nonce' );
		wp_cache_flush();
		$this->assertFalse( get_transient( \SegmentPress\Dashboard_Page::CACHE ) );
	}

	/**
	 * Screens and who may not open them.
	 *
	 * @return array
	 */
	public function screens() {
		return array(
			'briefs'    => array( 'segmentpress-briefs' ),
			'dashboard' => array( 'segmentpress-dashboard' ),
		);
	}

	/**
	 * @dataProvider screens
	 */
	public function test_a_subscriber_cannot_open_the_screen( $slug ) {
		$page = self::wp_http( 'GET', '/wp-admin/admin.php?page=' . $slug, $this->login( self::subscriber_id() ) );
		$this->assertSame( 403, $page['status'] );
		$this->assertStringNotContainsString( 'segmentpress-brief__', $page['body'] );
		$this->assertStringNotContainsString( 'data-chart=', $page['body'] );
	}

	public function test_a_contributor_sees_briefs_without_the_schedule_form_and_without_the_options() {
		$page = self::wp_http( 'GET', '/wp-admin/admin.php?page=segmentpress-briefs', $this->login( self::user_id( 'contributor1' ) ) );
		$this->assertSame( 200, $page['status'] );
		$this->assertStringContainsString( 'Publishing briefs', $page['body'] );
		$this->assertStringNotContainsString( 'segmentpress_brief_schedule', $page['body'] );
		$this->assertStringNotContainsString( 'segmentpress_briefs_options', $page['body'] );
	}

	public function test_segments_route_for_the_editor_needs_edit_posts_and_a_rest_nonce() {
		$anonymous = self::wp_http( 'GET', '/?rest_route=/segmentpress/v1/segments' );
		$this->assertSame( 401, $anonymous['status'] );

		$cookies    = $this->login( self::subscriber_id() );
		$subscriber = self::wp_http( 'GET', '/?rest_route=/segmentpress/v1/segments', $cookies, array(), array( 'X-WP-Nonce' => wp_create_nonce( 'wp_rest' ) ) );
		$this->assertSame( 403, $subscriber['status'] );

		$cookies  = $this->login( self::user_id( 'contributor1' ) );
		$no_nonce = self::wp_http( 'GET', '/?rest_route=/segmentpress/v1/segments', $cookies );
		$this->assertSame( 401, $no_nonce['status'], 'cookie auth without the REST nonce counts as logged out' );

		$allowed = self::wp_http( 'GET', '/?rest_route=/segmentpress/v1/segments', $cookies, array(), array( 'X-WP-Nonce' => wp_create_nonce( 'wp_rest' ) ) );
		$this->assertSame( 200, $allowed['status'], $allowed['body'] );
		$keys = wp_list_pluck( json_decode( $allowed['body'], true ), 'key' );
		$this->assertContains( 'bargain-hunter', $keys );
		$this->assertContains( 'stage:awareness', $keys );
	}
}
