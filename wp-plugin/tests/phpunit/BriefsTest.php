<?php
/**
 * Briefs to drafts and scheduled posts, the status sent back to the service, the publish hook,
 * the daily pull with automatic drafts, and escaping of what briefs quote (visitors' searches).
 * The service is stood in for (Part2TestCase) so a brief can carry attack payloads; the
 * browser test briefs.test.js does the same against the real service.
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests;

use SegmentPress\Briefs;
use SegmentPress\Plugin;

require_once __DIR__ . '/Part2TestCase.php';

class BriefsTest extends Part2TestCase {

	/**
	 * The fake service's briefs, by id.
	 *
	 * @var array
	 */
	private $briefs = array();

	protected function setUp(): void {
		parent::setUp();
		$this->briefs = array( 71 => self::brief( 71, 'proposed', 80 ) );
		$this->fake_service( array( $this, 'answer' ) );
	}

	protected function tearDown(): void {
		foreach ( get_posts( array( 'post_type' => 'post', 'post_status' => 'any', 'meta_key' => Briefs::META, 'fields' => 'ids', 'numberposts' => -1 ) ) as $id ) { // phpcs:ignore
			wp_delete_post( $id, true );
		}
		wp_unschedule_hook( Briefs::PUBLISHED_HOOK );
		delete_option( Briefs::OPTION );
		delete_option( Briefs::STATE_OPTION );
		parent::tearDown();
	}

	private static function brief( $id, $status, $priority ) {
		return array(
			'id'                 => $id,
			'segment'            => 'bargain-hunter',
			'segmentName'        => 'bargain hunters',
			'kind'               => 'new',
			'topic'              => array( 'taxonomy' => 'category', 'slug' => 'deals', 'name' => 'Deals' ),
			'journeyStage'       => 'decision',
			'title'              => 'Coupon stacking ' . self::PAYLOAD,
			'alternativeTitles'  => array( 'Stack coupons like a pro' ),
			'primaryKeyword'     => 'coupon stacking ' . self::PAYLOAD,
			'secondaryKeywords'  => array( 'discount codes' ),
			'angle'              => 'Save more on every order',
			'audience'           => array(
				'size'     => 12,
				'evidence' => array( '12 bargain hunters searched "' . self::PAYLOAD . '" 54 times' ),
			),
			'outline'            => array( 'Introduction: who this is for', 'What drives the price ' . self::PAYLOAD, 'How to stack two coupons' ),
			'internalLinks'      => array(
				array( 'contentId' => 5, 'title' => 'This week\'s coupon codes', 'url' => 'http://example.test/?p=5' ),
				array( 'contentId' => 6, 'title' => 'Evil', 'url' => 'javascript:alert(1)' ),
			),
			'cta'                => 'Sign up for the deals newsletter',
			'wordCount'          => array( 'min' => 900, 'max' => 1400 ),
			'suggestedPublishAt' => gmdate( 'Y-m-d\TH:00:00\Z', time() + 5 * DAY_IN_SECONDS ),
			'priority'           => $priority,
			'rationale'          => 'Searches nobody answers',
			'status'             => $status,
			'wpPostId'           => null,
			'scheduledFor'       => null,
		);
	}

	/**
	 * The fake service: GET /v1/briefs, GET/PATCH /v1/briefs/{id} with the real lifecycle rules.
	 */
	public function answer( $method, $path, $body ) {
		if ( 'GET' === $method && 0 === strpos( $path, '/v1/briefs?' ) || '/v1/briefs' === $path ) {
			parse_str( (string) wp_parse_url( $path, PHP_URL_QUERY ), $query );
			$items = array_values(
				array_filter(
					$this->briefs,
					static function ( $b ) use ( $query ) {
						return empty( $query['status'] ) || $b['status'] === $query['status'];
					}
				)
			);
			return array( 200, array( 'items' => $items ) );
		}
		if ( preg_match( '#^/v1/briefs/(\d+)$#', $path, $m ) ) {
			$id = (int) $m[1];
			if ( ! isset( $this->briefs[ $id ] ) ) {
				return array( 404, array( 'title' => 'Not Found', 'status' => 404 ) );
			}
			if ( 'PATCH' === $method ) {
				$allowed = array(
					'proposed'  => array( 'accepted', 'dismissed' ),
					'accepted'  => array( 'scheduled', 'dismissed' ),
					'scheduled' => array( 'scheduled', 'published', 'dismissed' ),
				);
				$from = $this->briefs[ $id ]['status'];
				if ( ! in_array( $body['status'], $allowed[ $from ] ?? array(), true ) ) {
					return array( 409, array( 'title' => 'Conflict', 'status' => 409, 'detail' => "A $from brief cannot become {$body['status']}" ) );
				}
				$this->briefs[ $id ]['status']       = $body['status'];
				$this->briefs[ $id ]['wpPostId']     = $body['wpPostId'] ?? $this->briefs[ $id ]['wpPostId'];
				$this->briefs[ $id ]['scheduledFor'] = $body['scheduledFor'] ?? $this->briefs[ $id ]['scheduledFor'];
			}
			return array( 200, $this->briefs[ $id ] );
		}
		return array( 404, array( 'status' => 404 ) );
	}

	private function patches() {
		return array_map(
			static function ( $r ) {
				return $r[2];
			},
			$this->requests_to( 'PATCH', '/v1/briefs/' )
		);
	}

	public function test_create_draft_makes_a_draft_with_the_outline_and_notes_linked_to_the_brief() {
		wp_set_current_user( self::admin_id() );
		$post_id = Plugin::briefs()->create_draft( 71 );
		$this->assertIsInt( $post_id );
		$post = get_post( $post_id );
		$this->assertSame( 'draft', $post->post_status );
		$this->assertSame( '71', get_post_meta( $post_id, Briefs::META, true ) );
		$this->assertSame( 'decision', get_post_meta( $post_id, '_segmentpress_journey_stage', true ), 'the journey stage is synced with the post' );
		$this->assertStringNotContainsString( '<script', $post->post_title );

		$content = $post->post_content;
		$this->assertStringContainsString( '<h2 class="wp-block-heading">Introduction: who this is for</h2>', $content );
		$this->assertStringContainsString( 'How to stack two coupons', $content );
		$this->assertStringContainsString( 'Sign up for the deals newsletter', $content, 'call to action' );
		$this->assertStringContainsString( 'discount codes', $content, 'keywords' );
		$this->assertStringContainsString( '900–1400 words', $content );
		$this->assertStringContainsString( '<a href="http://example.test/?p=5">This week&#039;s coupon codes</a>', $content, 'internal links' );
		$this->assertStringNotContainsString( 'javascript:', $content );
		$this->assert_escaped( $content );
		$this->assertNotEmpty( parse_blocks( $content ) );

		$this->assertSame( array( array( 'status' => 'accepted', 'wpPostId' => $post_id ) ), $this->patches() );
		$this->assertSame( $post_id, Plugin::briefs()->create_draft( 71 ), 'a second click reuses the draft' );
	}

	public function test_schedule_makes_a_future_post_at_the_suggested_time_then_marks_the_brief_scheduled() {
		wp_set_current_user( self::admin_id() );
		$when    = strtotime( $this->briefs[71]['suggestedPublishAt'] );
		$post_id = Plugin::briefs()->schedule_post( 71 );
		$this->assertIsInt( $post_id, is_wp_error( $post_id ) ? $post_id->get_error_message() : '' );
		$post = get_post( $post_id );
		$this->assertSame( 'future', $post->post_status );
		$this->assertSame( gmdate( 'Y-m-d H:i:s', $when ), $post->post_date_gmt );
		$this->assertStringContainsString( 'How to stack two coupons', $post->post_content );
		$this->assertNotFalse( wp_next_scheduled( 'publish_future_post', array( $post_id ) ), 'WordPress will publish it' );
		$this->assertSame(
			array(
				array( 'status' => 'accepted', 'wpPostId' => $post_id ),
				array( 'status' => 'scheduled', 'wpPostId' => $post_id, 'scheduledFor' => gmdate( 'Y-m-d\TH:i:s\Z', $when ) ),
			),
			$this->patches()
		);
	}

	public function test_schedule_at_a_chosen_time_reuses_the_draft() {
		wp_set_current_user( self::admin_id() );
		$draft = Plugin::briefs()->create_draft( 71 );
		$when  = time() + 9 * DAY_IN_SECONDS;
		$this->assertSame( $draft, Plugin::briefs()->schedule_post( 71, $when ) );
		$this->assertSame( 'future', get_post_status( $draft ) );
		$this->assertSame( gmdate( 'Y-m-d H:i:s', $when ), get_post( $draft )->post_date_gmt );
		$this->assertSame( 'scheduled', $this->briefs[71]['status'] );
	}

	public function test_schedule_refuses_a_time_in_the_past_and_changes_nothing() {
		wp_set_current_user( self::admin_id() );
		$result = Plugin::briefs()->schedule_post( 71, time() - HOUR_IN_SECONDS );
		$this->assertWPError( $result );
		$this->assertSame( 0, Plugin::briefs()->linked_post( 71 ) );
		$this->assertSame( array(), $this->patches() );
	}

	private function assertWPError( $value ) {
		$this->assertInstanceOf( \WP_Error::class, $value );
	}

	public function test_publishing_the_post_reports_published_from_wp_cron() {
		wp_set_current_user( self::admin_id() );
		$post_id = Plugin::briefs()->schedule_post( 71 );
		$this->requests = array();
		wp_publish_post( $post_id );
		$this->assertSame( array(), $this->patches(), 'nothing sent while the post is saved' );
		$this->assertNotFalse( wp_next_scheduled( Briefs::PUBLISHED_HOOK, array( $post_id, 1 ) ) );
		do_action( Briefs::PUBLISHED_HOOK, $post_id, 1 );
		$this->assertSame( array( array( 'status' => 'published', 'wpPostId' => $post_id ) ), $this->patches() );
		$this->assertSame( 'published', $this->briefs[71]['status'] );
	}

	public function test_publishing_a_draft_made_from_a_brief_goes_through_scheduled_to_published() {
		wp_set_current_user( self::admin_id() );
		$post_id = Plugin::briefs()->create_draft( 71 );
		wp_publish_post( $post_id );
		$this->requests = array();
		$this->assertTrue( Plugin::briefs()->report_published( $post_id ) );
		$patches = $this->patches();
		$this->assertSame( array( 'scheduled', 'published' ), wp_list_pluck( $patches, 'status' ) );
		$this->assertSame( 'published', $this->briefs[71]['status'] );
	}

	public function test_reporting_published_retries_later_when_the_service_is_down() {
		wp_set_current_user( self::admin_id() );
		$post_id = Plugin::briefs()->schedule_post( 71 );
		wp_publish_post( $post_id );
		remove_all_filters( 'pre_http_request' );
		$this->fake_service(
			static function () {
				return new \WP_Error( 'http_request_failed', 'Connection refused' );
			}
		);
		$this->assertFalse( Plugin::briefs()->report_published( $post_id, 1 ) );
		$this->assertNotFalse( wp_next_scheduled( Briefs::PUBLISHED_HOOK, array( $post_id, 2 ) ), 'retried with backoff' );
	}

	public function test_daily_pull_counts_waiting_briefs_and_drafts_them_when_enabled() {
		$this->briefs[72] = self::brief( 72, 'proposed', 30 );
		$state            = Plugin::briefs()->pull();
		$this->assertSame( 2, $state['proposed'] );
		$this->assertSame( 0, $state['drafted'] );
		$this->assertSame( 0, Plugin::briefs()->linked_post( 71 ) );

		Plugin::briefs()->save_options( array( 'auto_draft' => '1', 'min_priority' => 50 ) );
		$state = Plugin::briefs()->pull();
		$this->assertSame( 1, $state['drafted'], 'only the brief with priority ≥ 50' );
		$this->assertGreaterThan( 0, Plugin::briefs()->linked_post( 71 ) );
		$this->assertSame( 0, Plugin::briefs()->linked_post( 72 ) );
		$this->assertSame( 'accepted', $this->briefs[71]['status'] );
		$this->assertNotFalse( wp_next_scheduled( Briefs::CRON_HOOK ), 'the daily pull is scheduled' );
	}

	public function test_the_briefs_screen_escapes_what_the_service_sent() {
		wp_set_current_user( self::admin_id() );
		ob_start();
		Plugin::briefs_page()->render();
		$html = ob_get_clean();
		$this->assertStringContainsString( 'segmentpress-brief-71', $html );
		$this->assertStringContainsString( 'Coupon stacking &lt;script&gt;', $html );
		$this->assert_escaped( $html );
	}
}
