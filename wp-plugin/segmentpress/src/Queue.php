<?php
/**
 * The durable outbox: server-side events and catalog changes waiting for delivery.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Rows live in `{prefix}segmentpress_queue` until the service has answered for them.
 *
 * Each event gets its messageId when it is queued, so a retry after a lost answer is
 * recognised by the service as a duplicate instead of being counted twice. WP-Cron sends
 * them in batches; answers are handled as the service contract asks: 2xx dequeue,
 * 400/403 drop and log (a multi-event 400 is split first to find the bad event),
 * 401 stop and alert the owner (events are kept), 413 split, 429/503 pause honouring
 * Retry-After (at most 300 s), anything else retry with exponential backoff and jitter.
 */
class Queue {

	const DB_VERSION        = '1';
	const DB_VERSION_OPTION = 'segmentpress_db_version';
	const STATE_OPTION      = 'segmentpress_queue_state';
	const AUTH_ERROR_OPTION = 'segmentpress_auth_error';
	const LOCK_OPTION       = 'segmentpress_queue_lock';
	const CRON_HOOK         = 'segmentpress_process_queue';
	const FLUSH_HOOK        = 'segmentpress_flush_queue';
	const CRON_SCHEDULE     = 'segmentpress_minute';

	const KIND_EVENT   = 'event';
	const KIND_CONTENT = 'content';

	const BATCH_SIZE      = 100;
	const MAX_PAUSE       = 300;
	const BACKOFF_BASE    = 30;
	const BACKOFF_CAP     = 3600;
	const RUN_TIME_BUDGET = 20;

	/**
	 * Settings.
	 *
	 * @var Settings
	 */
	private $settings;

	/**
	 * Client.
	 *
	 * @var Client
	 */
	private $client;

	/**
	 * Log.
	 *
	 * @var Log
	 */
	private $log;

	/**
	 * Whether a flush was requested in this PHP request.
	 *
	 * @var bool
	 */
	private $flush_requested = false;

	/**
	 * Constructor.
	 *
	 * @param Settings $settings Settings.
	 * @param Client   $client   Client.
	 * @param Log      $log      Log.
	 */
	public function __construct( Settings $settings, Client $client, Log $log ) {
		$this->settings = $settings;
		$this->client   = $client;
		$this->log      = $log;
	}

	/**
	 * Hooks: the cron runner, the schedule, and table upgrades.
	 */
	public function register() {
		add_filter( 'cron_schedules', array( __CLASS__, 'add_schedule' ) ); // phpcs:ignore WordPress.WP.CronInterval
		add_action( self::CRON_HOOK, array( $this, 'run' ) );
		add_action( self::FLUSH_HOOK, array( $this, 'run' ) );
		add_action( 'admin_init', array( __CLASS__, 'maybe_upgrade' ) );
		add_action( 'segmentpress_connection_changed', array( $this, 'resume' ) );
	}

	/**
	 * Table name.
	 *
	 * @return string
	 */
	public static function table() {
		global $wpdb;
		return $wpdb->prefix . 'segmentpress_queue';
	}

	/**
	 * Creates or updates the table.
	 */
	public static function install() {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$table   = self::table();
		$charset = $wpdb->get_charset_collate();
		dbDelta(
			"CREATE TABLE {$table} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  message_id varchar(191) NOT NULL,
  kind varchar(20) NOT NULL DEFAULT 'event',
  payload longtext NOT NULL,
  user_id bigint(20) unsigned NOT NULL DEFAULT 0,
  attempts int(10) unsigned NOT NULL DEFAULT 0,
  next_attempt_at bigint(20) unsigned NOT NULL DEFAULT 0,
  created_at bigint(20) unsigned NOT NULL DEFAULT 0,
  last_error text NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY message_id (message_id),
  KEY kind_due (kind,next_attempt_at),
  KEY user_id (user_id)
) {$charset};"
		);
		update_option( self::DB_VERSION_OPTION, self::DB_VERSION );
	}

	/**
	 * Installs the table when the stored schema version is older (plugin updated in place).
	 */
	public static function maybe_upgrade() {
		if ( get_option( self::DB_VERSION_OPTION ) !== self::DB_VERSION ) {
			self::install();
			self::schedule();
		}
	}

	/**
	 * Adds the one-minute cron interval.
	 *
	 * @param array $schedules Schedules.
	 * @return array
	 */
	public static function add_schedule( $schedules ) {
		$schedules[ self::CRON_SCHEDULE ] = array(
			'interval' => 60,
			'display'  => __( 'Every minute (SegmentPress queue)', 'segmentpress' ),
		);
		return $schedules;
	}

	/**
	 * Schedules the recurring queue run.
	 */
	public static function schedule() {
		add_filter( 'cron_schedules', array( __CLASS__, 'add_schedule' ) ); // phpcs:ignore WordPress.WP.CronInterval
		if ( ! wp_next_scheduled( self::CRON_HOOK ) ) {
			wp_schedule_event( time() + 60, self::CRON_SCHEDULE, self::CRON_HOOK );
		}
	}

	/**
	 * A random UUID v4 (the messageId of an event).
	 *
	 * @return string
	 */
	public static function uuid() {
		return wp_generate_uuid4();
	}

	/**
	 * Queues one Segment-format event. Its messageId is fixed here, so every retry
	 * carries the same id.
	 *
	 * @param array $event   Event (type, event/name, properties, ids...).
	 * @param int   $user_id WordPress user the event is about (0 for none); used for privacy erasure.
	 * @return string|false messageId, or false when not connected.
	 */
	public function enqueue_event( array $event, $user_id = 0 ) {
		if ( ! $this->settings->is_connected() ) {
			return false;
		}
		global $wpdb;
		if ( empty( $event['messageId'] ) ) {
			$event['messageId'] = self::uuid();
		}
		if ( empty( $event['timestamp'] ) ) {
			$event['timestamp'] = self::iso_now();
		}
		$event['context'] = array_merge(
			array(
				'library' => array(
					'name'    => 'segmentpress-wordpress',
					'version' => SEGMENTPRESS_VERSION,
				),
			),
			isset( $event['context'] ) && is_array( $event['context'] ) ? $event['context'] : array()
		);
		$now = time();
		// INSERT IGNORE: queuing the same messageId twice stores it once.
		$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				'INSERT IGNORE INTO ' . self::table() . ' (message_id, kind, payload, user_id, attempts, next_attempt_at, created_at, last_error) VALUES (%s, %s, %s, %d, 0, %d, %d, %s)', // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
				$event['messageId'],
				self::KIND_EVENT,
				wp_json_encode( $event ),
				(int) $user_id,
				$now,
				$now,
				''
			)
		);
		$this->request_flush();
		return $event['messageId'];
	}

	/**
	 * Queues a catalog change. A newer change for the same post replaces an older one
	 * that has not been sent yet.
	 *
	 * @param int        $post_id Post id.
	 * @param array|null $item    Catalog fields for a PUT, or null for a DELETE.
	 * @return bool
	 */
	public function enqueue_content( $post_id, $item ) {
		if ( ! $this->settings->is_connected() ) {
			return false;
		}
		global $wpdb;
		$key     = 'content:' . (int) $post_id;
		$payload = array(
			'op'        => null === $item ? 'delete' : 'put',
			'contentId' => (string) (int) $post_id,
		);
		if ( null !== $item ) {
			$payload['item'] = $item;
		}
		$now = time();
		// Delete + insert (not update) gives the newer change a new row id, so a run that is
		// sending the older version right now cannot dequeue the newer one.
		$wpdb->delete( self::table(), array( 'message_id' => $key ), array( '%s' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->insert( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			self::table(),
			array(
				'message_id'      => $key,
				'kind'            => self::KIND_CONTENT,
				'payload'         => wp_json_encode( $payload ),
				'user_id'         => 0,
				'attempts'        => 0,
				'next_attempt_at' => $now,
				'created_at'      => $now,
				'last_error'      => '',
			),
			array( '%s', '%s', '%s', '%d', '%d', '%d', '%d', '%s' )
		);
		$this->request_flush();
		return true;
	}

	/**
	 * Asks WP-Cron to run the queue soon, without waiting in this request: a single event
	 * now, and a non-blocking loopback to wp-cron.php when this request ends.
	 */
	private function request_flush() {
		if ( $this->flush_requested ) {
			return;
		}
		$this->flush_requested = true;
		if ( ! wp_next_scheduled( self::FLUSH_HOOK ) ) {
			wp_schedule_single_event( time(), self::FLUSH_HOOK );
		}
		if ( ! ( defined( 'DISABLE_WP_CRON' ) && DISABLE_WP_CRON ) && ! wp_doing_cron() ) {
			add_action( 'shutdown', 'spawn_cron' );
		}
	}

	/**
	 * Cron entry point.
	 */
	public function run() {
		$this->process();
	}

	/**
	 * Sends what is due, in batches, until the queue is empty, the service asks us to
	 * wait, or the time budget is used up.
	 *
	 * @param int $time_budget Seconds.
	 * @return array{sent:int, dropped:int, retry:int, stopped:string}
	 */
	public function process( $time_budget = self::RUN_TIME_BUDGET ) {
		$stats = array(
			'sent'    => 0,
			'dropped' => 0,
			'retry'   => 0,
			'stopped' => '',
		);
		if ( ! $this->settings->is_connected() ) {
			$stats['stopped'] = 'not-connected';
			return $stats;
		}
		if ( get_option( self::AUTH_ERROR_OPTION ) ) {
			$stats['stopped'] = 'auth';
			return $stats;
		}
		if ( $this->paused_until() > time() ) {
			$stats['stopped'] = 'paused';
			return $stats;
		}
		if ( ! $this->lock() ) {
			$stats['stopped'] = 'locked';
			return $stats;
		}
		$started = microtime( true );
		try {
			while ( microtime( true ) - $started < $time_budget ) {
				$events  = $this->due( self::KIND_EVENT, self::BATCH_SIZE );
				$content = $this->due( self::KIND_CONTENT, self::BATCH_SIZE );
				if ( empty( $events ) && empty( $content ) ) {
					break;
				}
				$go_on = true;
				if ( $events ) {
					$go_on = $this->deliver( $events, array( $this, 'send_events' ), $stats );
				}
				if ( $go_on && $content ) {
					$puts    = array_values( array_filter( $content, array( __CLASS__, 'is_put' ) ) );
					$deletes = array_values( array_diff_key( $content, array_filter( $content, array( __CLASS__, 'is_put' ) ) ) );
					if ( $puts ) {
						$go_on = $this->deliver( $puts, array( $this, 'send_content_puts' ), $stats );
					}
					foreach ( $deletes as $row ) {
						if ( ! $go_on ) {
							break;
						}
						$go_on = $this->deliver( array( $row ), array( $this, 'send_content_delete' ), $stats );
					}
				}
				if ( ! $go_on ) {
					$stats['stopped'] = $stats['stopped'] ? $stats['stopped'] : 'retry';
					break;
				}
			}
		} finally {
			$this->unlock();
		}
		return $stats;
	}

	/**
	 * Sends rows with $send and applies the sender contract to the answer.
	 *
	 * @param array    $rows  Queue rows (objects).
	 * @param callable $send  Sends rows, returns a Client::request() result.
	 * @param array    $stats Counters, updated.
	 * @return bool Whether to go on sending in this run.
	 */
	private function deliver( array $rows, callable $send, array &$stats ) {
		$response = call_user_func( $send, $rows );
		$status   = $response['status'];

		if ( $status >= 200 && $status < 300 || ( 404 === $status && $send === array( $this, 'send_content_delete' ) ) ) {
			$this->log_rejected( $rows, is_array( $response['body'] ) ? $response['body'] : array() );
			$this->remove( $rows );
			$stats['sent'] += count( $rows );
			return true;
		}

		if ( ( 400 === $status || 413 === $status ) && count( $rows ) > 1 ) {
			// One bad or oversized event must not take its neighbours down: halve and resend.
			$half = (int) ceil( count( $rows ) / 2 );
			return $this->deliver( array_slice( $rows, 0, $half ), $send, $stats )
				&& $this->deliver( array_slice( $rows, $half ), $send, $stats );
		}

		if ( 400 === $status || 403 === $status || 413 === $status ) {
			foreach ( $rows as $row ) {
				/* translators: 1: HTTP status and problem text, 2: what was dropped. */
				$this->log->add( 'error', sprintf( __( 'Dropped after %1$s: %2$s', 'segmentpress' ), $response['error'], self::describe( $row ) ) );
			}
			$this->remove( $rows );
			$stats['dropped'] += count( $rows );
			return true;
		}

		if ( 401 === $status ) {
			// A wrong or revoked key is for the owner to fix; keep everything until they do.
			update_option(
				self::AUTH_ERROR_OPTION,
				array(
					'time'    => time(),
					'message' => $response['error'],
				),
				false
			);
			$this->log->add( 'error', __( 'The service refused the secret key (401). Sending is paused until the keys are updated.', 'segmentpress' ) );
			$stats['stopped'] = 'auth';
			$this->defer( $rows, $response['error'], false );
			return false;
		}

		if ( 429 === $status || 503 === $status ) {
			$wait = null !== $response['retry_after'] ? $response['retry_after'] : self::backoff( 1 );
			$this->pause( min( self::MAX_PAUSE, max( 1, $wait ) ) );
			$stats['stopped'] = 'paused';
			$this->defer( $rows, $response['error'], false );
			return false;
		}

		// Timeouts, refused connections, 5xx: try again later with backoff.
		$this->defer( $rows, $response['error'] ? $response['error'] : 'HTTP ' . $status, true );
		$stats['retry'] += count( $rows );
		return false;
	}

	/**
	 * POST /v1/batch with the rows' events.
	 *
	 * @param array $rows Rows.
	 * @return array
	 */
	public function send_events( array $rows ) {
		$batch = array();
		foreach ( $rows as $row ) {
			// Objects, not arrays: an empty `properties: {}` must not turn into `[]`.
			$batch[] = json_decode( $row->payload );
		}
		return $this->client->request(
			'POST',
			'/v1/batch',
			array(
				'batch'  => $batch,
				'sentAt' => self::iso_now(),
			),
			array( 'timeout' => 10 )
		);
	}

	/**
	 * POST /v1/content/batch with the rows' catalog items.
	 *
	 * @param array $rows Rows.
	 * @return array
	 */
	public function send_content_puts( array $rows ) {
		$items = array();
		foreach ( $rows as $row ) {
			$payload = json_decode( $row->payload, true );
			$items[] = array_merge( array( 'contentId' => $payload['contentId'] ), $payload['item'] );
		}
		return $this->client->request( 'POST', '/v1/content/batch', array( 'items' => $items ), array( 'timeout' => 10 ) );
	}

	/**
	 * DELETE /v1/content/{id} for one row.
	 *
	 * @param array $rows One row.
	 * @return array
	 */
	public function send_content_delete( array $rows ) {
		$payload = json_decode( $rows[0]->payload, true );
		return $this->client->request( 'DELETE', '/v1/content/' . rawurlencode( $payload['contentId'] ) );
	}

	/**
	 * Logs the events or items the service answered 200 for but did not store.
	 *
	 * @param array $rows Rows as sent.
	 * @param array $body Answer body: {rejected:[{index, messageId|contentId, errors}]}.
	 */
	private function log_rejected( array $rows, array $body ) {
		if ( empty( $body['rejected'] ) || ! is_array( $body['rejected'] ) ) {
			return;
		}
		foreach ( $body['rejected'] as $rejected ) {
			if ( ! is_array( $rejected ) ) {
				continue;
			}
			$index = isset( $rejected['index'] ) ? (int) $rejected['index'] : -1;
			$what  = isset( $rows[ $index ] ) ? self::describe( $rows[ $index ] ) : wp_json_encode( $rejected );
			$why   = isset( $rejected['errors'] ) ? Client::errors_text( $rejected['errors'] ) : '';
			/* translators: 1: what was rejected, 2: the service's reasons. */
			$this->log->add( 'warning', sprintf( __( 'Rejected by the service: %1$s (%2$s)', 'segmentpress' ), $what, $why ) );
		}
	}

	/**
	 * A short description of a row for the log, e.g. `track "Order Completed" 1f0c…`.
	 *
	 * @param object $row Row.
	 * @return string
	 */
	public static function describe( $row ) {
		$payload = json_decode( $row->payload, true );
		if ( self::KIND_CONTENT === $row->kind ) {
			$title = isset( $payload['item']['title'] ) ? $payload['item']['title'] : '';
			return sprintf( 'content %s #%s "%s"', $payload['op'] ?? '', $payload['contentId'] ?? '', $title );
		}
		$name = isset( $payload['event'] ) ? $payload['event'] : ( isset( $payload['name'] ) ? $payload['name'] : ( isset( $payload['userId'] ) ? 'user ' . $payload['userId'] : '' ) );
		return sprintf( '%s "%s" %s', $payload['type'] ?? 'event', is_scalar( $name ) ? $name : '', $row->message_id );
	}

	/**
	 * Whether a content row is a PUT.
	 *
	 * @param object $row Row.
	 * @return bool
	 */
	public static function is_put( $row ) {
		$payload = json_decode( $row->payload, true );
		return isset( $payload['op'] ) && 'put' === $payload['op'];
	}

	/**
	 * Rows due now, oldest first.
	 *
	 * @param string $kind  Row kind.
	 * @param int    $limit Max rows.
	 * @return array
	 */
	private function due( $kind, $limit ) {
		global $wpdb;
		return $wpdb->get_results( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				'SELECT * FROM ' . self::table() . ' WHERE kind = %s AND next_attempt_at <= %d ORDER BY id ASC LIMIT %d', // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
				$kind,
				time(),
				$limit
			)
		);
	}

	/**
	 * Deletes delivered (or dropped) rows.
	 *
	 * @param array $rows Rows.
	 */
	private function remove( array $rows ) {
		global $wpdb;
		$ids = array_map( 'intval', wp_list_pluck( $rows, 'id' ) );
		if ( $ids ) {
			$wpdb->query( 'DELETE FROM ' . self::table() . ' WHERE id IN (' . implode( ',', $ids ) . ')' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared
		}
	}

	/**
	 * Keeps rows for later; with $count_attempt they wait an exponential backoff with jitter.
	 *
	 * @param array  $rows          Rows.
	 * @param string $error         Last error.
	 * @param bool   $count_attempt Whether this counts as a failed attempt.
	 */
	private function defer( array $rows, $error, $count_attempt ) {
		global $wpdb;
		foreach ( $rows as $row ) {
			$attempts = (int) $row->attempts + ( $count_attempt ? 1 : 0 );
			$wpdb->update( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				self::table(),
				array(
					'attempts'        => $attempts,
					'next_attempt_at' => $count_attempt ? time() + self::backoff( $attempts ) : (int) $row->next_attempt_at,
					'last_error'      => mb_substr( (string) $error, 0, 500 ),
				),
				array( 'id' => (int) $row->id ),
				array( '%d', '%d', '%s' ),
				array( '%d' )
			);
		}
	}

	/**
	 * Exponential backoff with "equal jitter": half the delay fixed, half random, capped at an hour.
	 *
	 * @param int $attempts Failed attempts so far (≥ 1).
	 * @return int Seconds.
	 */
	public static function backoff( $attempts ) {
		$delay = (int) min( self::BACKOFF_CAP, self::BACKOFF_BASE * pow( 2, max( 0, $attempts - 1 ) ) );
		$half  = intdiv( $delay, 2 );
		return $half + wp_rand( 0, $delay - $half );
	}

	/**
	 * Pauses all sending for $seconds.
	 *
	 * @param int $seconds Seconds.
	 */
	private function pause( $seconds ) {
		update_option( self::STATE_OPTION, array( 'paused_until' => time() + (int) $seconds ), false );
	}

	/**
	 * Unix time until which sending is paused (0 when not paused).
	 *
	 * @return int
	 */
	public function paused_until() {
		$state = get_option( self::STATE_OPTION, array() );
		return is_array( $state ) && isset( $state['paused_until'] ) ? (int) $state['paused_until'] : 0;
	}

	/**
	 * Lifts a pause or a stop after an authentication error, and makes every row due now.
	 */
	public function resume() {
		global $wpdb;
		delete_option( self::STATE_OPTION );
		delete_option( self::AUTH_ERROR_OPTION );
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . self::table() . ' SET next_attempt_at = %d', time() ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared
	}

	/**
	 * Takes the run lock (one queue run at a time per site). Expires after two minutes.
	 *
	 * @return bool
	 */
	private function lock() {
		global $wpdb;
		$now = time();
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name = %s AND option_value < %d", self::LOCK_OPTION, $now ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$taken = $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'no')", self::LOCK_OPTION, (string) ( $now + 120 ) ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		return 1 === (int) $taken;
	}

	/**
	 * Releases the run lock.
	 */
	private function unlock() {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name = %s", self::LOCK_OPTION ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		wp_cache_delete( self::LOCK_OPTION, 'options' );
	}

	/**
	 * Number of rows waiting, optionally of one kind.
	 *
	 * @param string|null $kind Kind.
	 * @return int
	 */
	public function count( $kind = null ) {
		global $wpdb;
		if ( null === $kind ) {
			return (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . self::table() ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared
		}
		return (int) $wpdb->get_var( $wpdb->prepare( 'SELECT COUNT(*) FROM ' . self::table() . ' WHERE kind = %s', $kind ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared
	}

	/**
	 * Removes every queued event about one WordPress user (privacy erasure).
	 *
	 * @param int $user_id User id.
	 * @return int Rows removed.
	 */
	public function purge_user( $user_id ) {
		global $wpdb;
		return (int) $wpdb->delete( self::table(), array( 'user_id' => (int) $user_id ), array( '%d' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	}

	/**
	 * Current UTC time as ISO-8601 with milliseconds.
	 *
	 * @return string
	 */
	public static function iso_now() {
		$now = microtime( true );
		return gmdate( 'Y-m-d\TH:i:s', (int) $now ) . sprintf( '.%03dZ', (int) ( ( $now - floor( $now ) ) * 1000 ) );
	}
}
