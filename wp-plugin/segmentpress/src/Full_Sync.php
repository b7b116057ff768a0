<?php
/**
 * The first full sync of an existing site's content, in background chunks.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Walks every published post of the synced types in id order, 100 at a time, one
 * `POST /v1/content/batch` per WP-Cron run. Progress lives in an option that the
 * settings screen polls through a REST route.
 */
class Full_Sync {

	const OPTION     = 'segmentpress_full_sync';
	const CRON_HOOK  = 'segmentpress_full_sync_chunk';
	const CHUNK_SIZE = 100;

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
	 * Builds the catalog items.
	 *
	 * @var Content_Sync
	 */
	private $sync;

	/**
	 * Log.
	 *
	 * @var Log
	 */
	private $log;

	/**
	 * Constructor.
	 *
	 * @param Settings     $settings Settings.
	 * @param Client       $client   Client.
	 * @param Content_Sync $sync     Builds the catalog items.
	 * @param Log          $log      Log.
	 */
	public function __construct( Settings $settings, Client $client, Content_Sync $sync, Log $log ) {
		$this->settings = $settings;
		$this->client   = $client;
		$this->sync     = $sync;
		$this->log      = $log;
	}

	/**
	 * Hooks: the chunk runner, the progress route, and the automatic first sync.
	 */
	public function register() {
		add_action( self::CRON_HOOK, array( $this, 'run_chunk' ) );
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
		add_action( 'segmentpress_connection_changed', array( $this, 'maybe_start_first_sync' ) );
	}

	/**
	 * GET /wp-json/segmentpress/v1/sync — progress for the settings screen.
	 */
	public function register_routes() {
		register_rest_route(
			'segmentpress/v1',
			'/sync',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'rest_progress' ),
				'permission_callback' => static function () {
					return current_user_can( 'manage_options' );
				},
				'args'                => array(),
			)
		);
	}

	/**
	 * REST callback.
	 *
	 * @return \WP_REST_Response
	 */
	public function rest_progress() {
		return rest_ensure_response( $this->progress() );
	}

	/**
	 * Starts the first sync once the site is connected, unless one ran already.
	 */
	public function maybe_start_first_sync() {
		$state = $this->state();
		if ( $this->settings->is_connected() && 'idle' === $state['status'] ) {
			$this->start();
		}
	}

	/**
	 * Starts (or restarts) a full sync.
	 *
	 * @return array The new state.
	 */
	public function start() {
		$state = array(
			'status'     => 'running',
			'total'      => $this->count_remaining( 0 ),
			'done'       => 0,
			'rejected'   => 0,
			'last_id'    => 0,
			'started_at' => time(),
			'updated_at' => time(),
			'error'      => '',
			'attempts'   => 0,
		);
		$this->save( $state );
		wp_clear_scheduled_hook( self::CRON_HOOK );
		wp_schedule_single_event( time(), self::CRON_HOOK );
		if ( ! ( defined( 'DISABLE_WP_CRON' ) && DISABLE_WP_CRON ) ) {
			add_action( 'shutdown', 'spawn_cron' );
		}
		return $state;
	}

	/**
	 * Sends the next chunk and schedules the one after it.
	 *
	 * @return array The state after this chunk.
	 */
	public function run_chunk() {
		$state = $this->state();
		if ( 'running' !== $state['status'] || ! $this->settings->is_connected() ) {
			return $state;
		}

		$posts = $this->next_posts( (int) $state['last_id'] );
		if ( empty( $posts ) ) {
			$state['status']     = 'done';
			$state['done']       = $state['total'];
			$state['updated_at'] = time();
			$this->save( $state );
			return $state;
		}

		$items = array();
		foreach ( $posts as $post ) {
			$items[] = array_merge( array( 'contentId' => (string) $post->ID ), $this->sync->item( $post ) );
		}
		$response = $this->client->request( 'POST', '/v1/content/batch', array( 'items' => $items ), array( 'timeout' => 15 ) );
		$status   = $response['status'];

		if ( $status >= 200 && $status < 300 ) {
			$rejected = is_array( $response['body'] ) && ! empty( $response['body']['rejected'] ) ? (array) $response['body']['rejected'] : array();
			foreach ( $rejected as $reject ) {
				$index = is_array( $reject ) && isset( $reject['index'] ) ? (int) $reject['index'] : -1;
				$title = isset( $items[ $index ] ) ? $items[ $index ]['title'] : '';
				/* translators: 1: post id, 2: post title, 3: reasons. */
				$this->log->add( 'warning', sprintf( __( 'Full sync: post #%1$s "%2$s" was rejected (%3$s)', 'segmentpress' ), isset( $items[ $index ] ) ? $items[ $index ]['contentId'] : '?', $title, Client::errors_text( $reject['errors'] ?? array() ) ) );
			}
			$last                = end( $posts );
			$state['last_id']    = (int) $last->ID;
			$state['done']       = min( (int) $state['total'], (int) $state['done'] + count( $posts ) );
			$state['rejected']  += count( $rejected );
			$state['attempts']   = 0;
			$state['error']      = '';
			$state['updated_at'] = time();
			$this->save( $state );
			wp_schedule_single_event( time(), self::CRON_HOOK );
			return $state;
		}

		if ( in_array( $status, array( 400, 401, 403 ), true ) ) {
			$state['status'] = 'failed';
			$state['error']  = $response['error'];
			$this->log->add( 'error', sprintf( /* translators: %s: error */ __( 'Full sync stopped: %s', 'segmentpress' ), $response['error'] ) );
		} else {
			// Unreachable, 413 (cannot happen with 100 items), 429, 5xx: try this chunk again later.
			$state['attempts'] = (int) $state['attempts'] + 1;
			$state['error']    = $response['error'] ? $response['error'] : 'HTTP ' . $status;
			$wait              = 429 === $status || 503 === $status ? min( Queue::MAX_PAUSE, (int) ( $response['retry_after'] ?? 30 ) ) : Queue::backoff( $state['attempts'] );
			wp_schedule_single_event( time() + max( 1, $wait ), self::CRON_HOOK );
		}
		$state['updated_at'] = time();
		$this->save( $state );
		return $state;
	}

	/**
	 * Progress for display.
	 *
	 * @return array{status:string, total:int, done:int, percent:int, error:string}
	 */
	public function progress() {
		$state = $this->state();
		$total = (int) $state['total'];
		return array(
			'status'  => $state['status'],
			'total'   => $total,
			'done'    => (int) $state['done'],
			'percent' => $total > 0 ? (int) floor( 100 * $state['done'] / $total ) : ( 'done' === $state['status'] ? 100 : 0 ),
			'error'   => (string) $state['error'],
		);
	}

	/**
	 * Stored state.
	 *
	 * @return array
	 */
	public function state() {
		$state = get_option( self::OPTION, array() );
		return array_merge(
			array(
				'status'   => 'idle',
				'total'    => 0,
				'done'     => 0,
				'rejected' => 0,
				'last_id'  => 0,
				'error'    => '',
				'attempts' => 0,
			),
			is_array( $state ) ? $state : array()
		);
	}

	/**
	 * Saves the state (not autoloaded).
	 *
	 * @param array $state State.
	 */
	private function save( array $state ) {
		update_option( self::OPTION, $state, false );
	}

	/**
	 * The next published posts after $after_id.
	 *
	 * @param int $after_id Last post id sent.
	 * @return \WP_Post[]
	 */
	private function next_posts( $after_id ) {
		global $wpdb;
		$types = $this->settings->post_types();
		if ( empty( $types ) ) {
			return array();
		}
		$in  = implode( ',', array_fill( 0, count( $types ), '%s' ) );
		$ids = $wpdb->get_col( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				"SELECT ID FROM {$wpdb->posts} WHERE post_status = 'publish' AND post_type IN ($in) AND ID > %d ORDER BY ID ASC LIMIT %d", // phpcs:ignore WordPress.DB.PreparedSQL
				array_merge( $types, array( $after_id, self::CHUNK_SIZE ) )
			)
		);
		return array_filter( array_map( 'get_post', $ids ) );
	}

	/**
	 * Published posts of the synced types after $after_id.
	 *
	 * @param int $after_id Post id.
	 * @return int
	 */
	private function count_remaining( $after_id ) {
		global $wpdb;
		$types = $this->settings->post_types();
		if ( empty( $types ) ) {
			return 0;
		}
		$in = implode( ',', array_fill( 0, count( $types ), '%s' ) );
		return (int) $wpdb->get_var( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				"SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_status = 'publish' AND post_type IN ($in) AND ID > %d", // phpcs:ignore WordPress.DB.PreparedSQL
				array_merge( $types, array( $after_id ) )
			)
		);
	}
}
