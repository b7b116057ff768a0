<?php
/**
 * The durable queue: service down, service back, idempotent retries, and every answer
 * of the sender contract (400, 401, 403, 413, 429, 503, 5xx).
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests;

use SegmentPress\Plugin;
use SegmentPress\Queue;

class QueueTest extends TestCase {

	const CLOSED_PORT_URL = 'http://127.0.0.1:9';

	/**
	 * Answers every request to the service with $status (for answers the real service cannot
	 * be made to give on demand: 429, 503, 500).
	 *
	 * @param int   $status  HTTP status.
	 * @param array $headers Headers.
	 * @param int   $calls   Counter.
	 */
	private function service_answers( $status, array $headers = array(), &$calls = 0 ) {
		add_filter(
			'pre_http_request',
			static function ( $pre, $args, $url ) use ( $status, $headers, &$calls ) {
				if ( 0 !== strpos( $url, self::$env['serviceUrl'] ) ) {
					return $pre;
				}
				$calls++;
				return array(
					'headers'  => array_change_key_case( $headers, CASE_LOWER ),
					'body'     => wp_json_encode(
						array(
							'type'   => 'about:blank',
							'title'  => 'Stand-in',
							'status' => $status,
						)
					),
					'response' => array(
						'code'    => $status,
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

	public function test_nothing_is_queued_before_the_site_is_connected() {
		$this->connect( array( 'service_url' => '' ) );
		$this->assertFalse( segmentpress_track( 'Not Connected', array(), self::admin_id() ) );
		$this->assertSame( 0, Plugin::queue()->count() );
	}

	public function test_events_wait_while_the_service_is_down_and_arrive_once_when_it_is_back() {
		$user_id = self::make_user();
		$this->connect( array( 'service_url' => self::CLOSED_PORT_URL ) );
		$started    = microtime( true );
		$message_id = segmentpress_track( 'Queue Test', array( 'step' => 1 ), $user_id );
		$this->assertLessThan( 0.5, microtime( true ) - $started, 'queuing does not wait on the service' );
		$this->assertIsString( $message_id );

		$stats = Plugin::queue()->process();
		$this->assertSame( 1, $stats['retry'] );
		$rows = $this->queue_rows();
		$this->assertCount( 1, $rows, 'the event is kept' );
		$this->assertSame( $message_id, $rows[0]->message_id );
		$this->assertSame( 1, (int) $rows[0]->attempts );
		$this->assertGreaterThan( time(), (int) $rows[0]->next_attempt_at, 'retried later, with backoff' );
		$this->assertNotSame( '', $rows[0]->last_error );

		// Not due yet: another run while still down does not even try.
		$this->assertSame( 0, Plugin::queue()->process()['retry'] );
		$this->assertSame( 1, (int) $this->queue_rows()[0]->attempts );

		// The service is back (the owner saved the settings, which also makes everything due now).
		$queued = $this->queued_events();
		$this->connect();
		$stats = Plugin::queue()->process();
		$this->assertSame( 1, $stats['sent'] );
		$this->assertSame( 0, Plugin::queue()->count() );
		self::assert_stored_once( $queued );

		// The answer got lost and the same event is sent again: the service keeps one.
		Plugin::queue()->enqueue_event( $queued[0], $user_id );
		$this->assertSame( 1, Plugin::queue()->process()['sent'] );
		self::assert_stored_once( $queued );

		$this->requires_visitor_api();
		self::assert_in_export( 'userId', (string) $user_id, array( $message_id ) );
	}

	public function test_backoff_grows_exponentially_with_jitter_and_is_capped() {
		for ( $i = 0; $i < 20; $i++ ) {
			$first = Queue::backoff( 1 );
			$this->assertGreaterThanOrEqual( 15, $first );
			$this->assertLessThanOrEqual( 30, $first );
			$fifth = Queue::backoff( 5 );
			$this->assertGreaterThanOrEqual( 240, $fifth );
			$this->assertLessThanOrEqual( 480, $fifth );
			$this->assertLessThanOrEqual( 3600, Queue::backoff( 40 ) );
		}
	}

	public function test_an_event_the_service_rejects_is_dropped_and_logged_while_its_neighbours_are_stored() {
		$user_id = self::make_user();
		segmentpress_track( 'Good Before', array(), $user_id );
		Plugin::queue()->enqueue_event(
			array(
				'type'       => 'track',
				'event'      => 'Bad Placeholder Id',
				'userId'     => 'undefined',
				'properties' => array(),
			)
		);
		segmentpress_track( 'Good After', array(), $user_id );
		Plugin::log()->clear();
		$queued = $this->queued_events();

		$this->process_queue();
		$this->assertSame( 0, Plugin::queue()->count(), 'nothing stays queued' );
		$log = implode( "\n", wp_list_pluck( Plugin::log()->entries(), 'message' ) );
		$this->assertStringContainsString( 'Bad Placeholder Id', $log );
		self::assert_stored_once( array( $queued[0], $queued[2] ) );
	}

	public function test_a_400_answer_drops_and_logs_the_event() {
		$user_id = self::make_user();
		segmentpress_track( 'Refused With 400', array(), $user_id );
		Plugin::log()->clear();
		$this->service_answers( 400 );
		$stats = Plugin::queue()->process();
		$this->assertSame( 1, $stats['dropped'] );
		$this->assertSame( 0, Plugin::queue()->count() );
		$this->assertStringContainsString( 'Refused With 400', Plugin::log()->entries()[0]['message'] );
		$this->assertStringContainsString( 'HTTP 400', Plugin::log()->entries()[0]['message'] );
	}

	public function test_a_403_from_the_real_service_drops_and_logs() {
		// The write key may send events but not change the catalog: the service answers 403.
		$this->connect( array( 'secret_key' => self::$env['site']['writeKey'] ) );
		Plugin::queue()->enqueue_content(
			999001,
			array(
				'title' => 'Refused',
				'url'   => home_url( '/?p=999001' ),
				'type'  => 'post',
			)
		);
		Plugin::log()->clear();
		$stats = Plugin::queue()->process();
		$this->assertSame( 1, $stats['dropped'] );
		$this->assertSame( 0, Plugin::queue()->count() );
		$this->assertStringContainsString( 'HTTP 403', Plugin::log()->entries()[0]['message'] );
	}

	public function test_a_401_keeps_the_events_stops_sending_and_alerts_the_admin() {
		$user_id = self::make_user();
		$this->connect( array( 'secret_key' => 'sk_revoked_or_wrong_000000' ) );
		segmentpress_track( 'Kept On 401', array(), $user_id );
		$stats = Plugin::queue()->process();
		$this->assertSame( 'auth', $stats['stopped'] );
		$this->assertSame( 1, Plugin::queue()->count(), 'orders are never lost to a bad key' );
		$this->assertNotEmpty( get_option( Queue::AUTH_ERROR_OPTION ) );
		$this->assertSame( 'auth', Plugin::queue()->process()['stopped'], 'stays stopped' );

		$cookies   = $this->login( self::admin_id() );
		$dashboard = self::wp_http( 'GET', '/wp-admin/index.php', $cookies );
		$this->assertStringContainsString( 'refused this site&#039;s secret key', $dashboard['body'] );

		// The owner fixes the key: the stop is lifted and the event goes out.
		$this->connect();
		wp_cache_flush();
		$this->assertFalse( get_option( Queue::AUTH_ERROR_OPTION ) );
		$this->deliver_queue();
	}

	public function test_a_413_splits_the_batch_until_it_fits() {
		$user_id = self::make_user();
		$padding = str_repeat( 'x', 9000 );
		for ( $i = 0; $i < 70; $i++ ) {
			segmentpress_track(
				'Large Event',
				array(
					'n'       => $i,
					'padding' => $padding,
				),
				$user_id
			);
		}
		// 70 × ~9 KB ≈ 630 KB: over the 500 KB request limit, so the first answer is 413.
		$requests = 0;
		add_filter(
			'http_api_debug',
			static function ( $response, $context, $class, $args, $url ) use ( &$requests ) {
				if ( false !== strpos( $url, '/v1/batch' ) ) {
					$requests++;
				}
			},
			10,
			5
		);
		$queued = $this->queued_events();
		$this->process_queue();
		remove_all_filters( 'http_api_debug' );
		$this->assertSame( 0, Plugin::queue()->count() );
		$this->assertGreaterThanOrEqual( 3, $requests, 'one refused request, then the halves' );
		self::assert_stored_once( $queued );
	}

	/**
	 * @return array
	 */
	public function pausing_statuses() {
		return array(
			'429 with Retry-After 120' => array( 429, '120', 120 ),
			'503 with Retry-After 30'  => array( 503, '30', 30 ),
			'429 asking for an hour is capped at 300 s' => array( 429, '3600', 300 ),
		);
	}

	/**
	 * @dataProvider pausing_statuses
	 */
	public function test_429_and_503_pause_sending_for_retry_after_capped_at_300_seconds( $status, $retry_after, $expected ) {
		segmentpress_track( 'Paused', array(), self::admin_id() );
		$calls = 0;
		$this->service_answers( $status, array( 'Retry-After' => $retry_after ), $calls );
		$stats = Plugin::queue()->process();
		$this->assertSame( 'paused', $stats['stopped'] );
		$this->assertEqualsWithDelta( time() + $expected, Plugin::queue()->paused_until(), 2 );
		$rows = $this->queue_rows();
		$this->assertCount( 1, $rows );
		$this->assertSame( 0, (int) $rows[0]->attempts, 'a pause is not a failed attempt' );

		$this->assertSame( 'paused', Plugin::queue()->process()['stopped'] );
		$this->assertSame( 1, $calls, 'no request while paused' );
	}

	public function test_5xx_is_retried_with_backoff() {
		segmentpress_track( 'Server Error', array(), self::admin_id() );
		$this->service_answers( 500 );
		$stats = Plugin::queue()->process();
		$this->assertSame( 1, $stats['retry'] );
		$row = $this->queue_rows()[0];
		$this->assertSame( 1, (int) $row->attempts );
		$this->assertGreaterThanOrEqual( time() + 15, (int) $row->next_attempt_at );
	}

	public function test_the_same_message_id_is_queued_once() {
		$event = array(
			'type'      => 'track',
			'event'     => 'Once',
			'userId'    => '1',
			'messageId' => 'fixed-' . wp_generate_uuid4(),
		);
		Plugin::queue()->enqueue_event( $event, 1 );
		Plugin::queue()->enqueue_event( $event, 1 );
		$this->assertSame( 1, Plugin::queue()->count() );
	}

	public function test_only_one_run_at_a_time() {
		global $wpdb;
		segmentpress_track( 'Locked', array(), self::admin_id() );
		$wpdb->query( $wpdb->prepare( "INSERT INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'no')", Queue::LOCK_OPTION, (string) ( time() + 60 ) ) );
		try {
			$this->assertSame( 'locked', Plugin::queue()->process()['stopped'] );
		} finally {
			$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name = %s", Queue::LOCK_OPTION ) );
		}
		$this->assertSame( 1, Plugin::queue()->process()['sent'] );
	}
}
