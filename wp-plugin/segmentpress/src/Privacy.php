<?php
/**
 * WordPress privacy tools: personal data export and erasure through the service.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * A request is matched to the service's visitor by the WordPress user id of the e-mail
 * address (or, for a guest customer, the pseudonymous id derived from it).
 */
class Privacy {

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
	 * Queue.
	 *
	 * @var Queue
	 */
	private $queue;

	/**
	 * Constructor.
	 *
	 * @param Settings $settings Settings.
	 * @param Client   $client   Client.
	 * @param Queue    $queue    Queue.
	 */
	public function __construct( Settings $settings, Client $client, Queue $queue ) {
		$this->settings = $settings;
		$this->client   = $client;
		$this->queue    = $queue;
	}

	/**
	 * Hooks.
	 */
	public function register() {
		add_filter( 'wp_privacy_personal_data_exporters', array( $this, 'register_exporter' ) );
		add_filter( 'wp_privacy_personal_data_erasers', array( $this, 'register_eraser' ) );
		add_action( 'admin_init', array( $this, 'add_policy_text' ) );
	}

	/**
	 * Registers the exporter.
	 *
	 * @param array $exporters Exporters.
	 * @return array
	 */
	public function register_exporter( $exporters ) {
		$exporters['segmentpress'] = array(
			'exporter_friendly_name' => __( 'SegmentPress visitor profile', 'segmentpress' ),
			'callback'               => array( $this, 'export' ),
		);
		return $exporters;
	}

	/**
	 * Registers the eraser.
	 *
	 * @param array $erasers Erasers.
	 * @return array
	 */
	public function register_eraser( $erasers ) {
		$erasers['segmentpress'] = array(
			'eraser_friendly_name' => __( 'SegmentPress visitor profile', 'segmentpress' ),
			'callback'             => array( $this, 'erase' ),
		);
		return $erasers;
	}

	/**
	 * Exporter callback: the visitor's profile and events as stored by the service.
	 *
	 * @param string $email E-mail address.
	 * @param int    $page  Page (everything comes on page 1).
	 * @return array{data:array, done:bool}
	 */
	public function export( $email, $page = 1 ) {
		$data = array();
		if ( $this->settings->is_connected() && 1 === (int) $page ) {
			foreach ( $this->visitor_ids( $email ) as $visitor_id ) {
				$response = $this->client->request( 'GET', '/v1/visitors/' . rawurlencode( $visitor_id ) . '/export', null, array( 'timeout' => 20 ) );
				if ( 200 !== $response['status'] || ! is_array( $response['body'] ) ) {
					continue;
				}
				$data = array_merge( $data, $this->export_items( $visitor_id, $response['body'] ) );
			}
		}
		return array(
			'data' => $data,
			'done' => true,
		);
	}

	/**
	 * Eraser callback: deletes the visitor and all their events in the service, and any of
	 * their events still waiting in this site's queue.
	 *
	 * @param string $email E-mail address.
	 * @param int    $page  Page.
	 * @return array{items_removed:bool, items_retained:bool, messages:string[], done:bool}
	 */
	public function erase( $email, $page = 1 ) {
		$removed  = false;
		$retained = false;
		$messages = array();

		$user = get_user_by( 'email', $email );
		if ( $user && $this->queue->purge_user( $user->ID ) > 0 ) {
			$removed = true;
		}

		if ( $this->settings->is_connected() ) {
			$ids = $this->visitor_ids( $email, $lookup_failed );
			if ( $lookup_failed ) {
				$retained   = true;
				$messages[] = __( 'SegmentPress could not reach its service; run the erasure again later.', 'segmentpress' );
			}
			foreach ( $ids as $visitor_id ) {
				$response = $this->client->request( 'DELETE', '/v1/visitors/' . rawurlencode( $visitor_id ), null, array( 'timeout' => 20 ) );
				if ( $response['status'] >= 200 && $response['status'] < 300 || 404 === $response['status'] ) {
					$removed = $removed || 404 !== $response['status'];
					$deleted = is_array( $response['body'] ) && isset( $response['body']['eventsDeleted'] ) ? (int) $response['body']['eventsDeleted'] : 0;
					/* translators: %d: number of events. */
					$messages[] = sprintf( _n( 'SegmentPress erased the visitor profile and %d event.', 'SegmentPress erased the visitor profile and %d events.', $deleted, 'segmentpress' ), $deleted );
				} else {
					$retained = true;
					/* translators: %s: error from the service. */
					$messages[] = sprintf( __( 'SegmentPress could not erase the visitor profile: %s', 'segmentpress' ), $response['error'] );
				}
			}
		}

		return array(
			'items_removed'  => $removed,
			'items_retained' => $retained,
			'messages'       => $messages,
			'done'           => true,
		);
	}

	/**
	 * The service's visitor ids for an e-mail address.
	 *
	 * @param string    $email  E-mail address.
	 * @param bool|null $failed Set to true when the service could not be asked.
	 * @return string[]
	 */
	public function visitor_ids( $email, &$failed = null ) {
		$failed = false;
		$user   = get_user_by( 'email', $email );
		$query  = $user ? array( 'userId' => (string) $user->ID ) : array( 'anonymousId' => Server_Events::guest_id( $email ) );
		if ( '' === reset( $query ) ) {
			return array();
		}
		$response = $this->client->request( 'GET', '/v1/visitors?' . http_build_query( $query ) );
		if ( 404 === $response['status'] ) {
			return array();
		}
		if ( 200 !== $response['status'] ) {
			$failed = true;
			return array();
		}
		return self::ids_from( $response['body'] );
	}

	/**
	 * Visitor ids from a lookup answer: one profile object, a list, or {items:[…]}.
	 *
	 * @param mixed $body Decoded body.
	 * @return string[]
	 */
	public static function ids_from( $body ) {
		if ( ! is_array( $body ) ) {
			return array();
		}
		foreach ( array( 'visitorId', 'id' ) as $key ) {
			if ( isset( $body[ $key ] ) && is_scalar( $body[ $key ] ) ) {
				return array( (string) $body[ $key ] );
			}
		}
		$list = isset( $body['items'] ) && is_array( $body['items'] ) ? $body['items'] : ( wp_is_numeric_array( $body ) ? $body : array() );
		$ids  = array();
		foreach ( $list as $entry ) {
			$ids = array_merge( $ids, self::ids_from( $entry ) );
		}
		return array_values( array_unique( $ids ) );
	}

	/**
	 * Turns the service's export document into WordPress export items: one for the profile,
	 * one per event. Values are escaped here; they may hold anything a visitor sent.
	 *
	 * @param string $visitor_id Visitor id.
	 * @param array  $export     Export document.
	 * @return array
	 */
	private function export_items( $visitor_id, array $export ) {
		$items   = array();
		$events  = isset( $export['events'] ) && is_array( $export['events'] ) ? $export['events'] : array();
		$profile = $export;
		unset( $profile['events'] );

		$items[] = array(
			'group_id'    => 'segmentpress',
			'group_label' => __( 'SegmentPress visitor profile', 'segmentpress' ),
			'item_id'     => 'segmentpress-visitor-' . $visitor_id,
			'data'        => self::name_values( $profile ),
		);
		foreach ( array_values( $events ) as $index => $event ) {
			$items[] = array(
				'group_id'    => 'segmentpress-events',
				'group_label' => __( 'SegmentPress events', 'segmentpress' ),
				'item_id'     => 'segmentpress-event-' . $visitor_id . '-' . $index,
				'data'        => self::name_values( is_array( $event ) ? $event : array( 'event' => $event ) ),
			);
		}
		return $items;
	}

	/**
	 * [{name, value}] pairs; nested values as JSON text.
	 *
	 * @param array $fields Fields.
	 * @return array
	 */
	private static function name_values( array $fields ) {
		$out = array();
		foreach ( $fields as $name => $value ) {
			$text  = is_scalar( $value ) || null === $value ? (string) $value : wp_json_encode( $value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
			$out[] = array(
				'name'  => (string) $name,
				'value' => esc_html( $text ),
			);
		}
		return $out;
	}

	/**
	 * Suggested text for the site's privacy policy.
	 */
	public function add_policy_text() {
		if ( ! function_exists( 'wp_add_privacy_policy_content' ) ) {
			return;
		}
		$text  = '<p>' . esc_html__( 'This site uses SegmentPress to understand what its readers and customers are interested in and to recommend content.', 'segmentpress' ) . '</p>';
		$text .= '<p>' . esc_html__( 'When you visit, a random identifier is stored in your browser (the sp_aid cookie and local storage). We record the pages you view, how long and how far you read, and what you search for on this site. If you buy something, the order (products, amounts, coupons) is recorded; if you sign up, sign in or comment, that is recorded with your account number. Your IP address is not stored.', 'segmentpress' ) . '</p>';
		$text .= '<p>' . esc_html__( 'This data is sent to the SegmentPress service operated for this site and used to group visitors by behavior and to personalize recommendations. It is kept for up to 400 days. You can ask for an export or the erasure of your data through this site\'s privacy request form.', 'segmentpress' ) . '</p>';
		wp_add_privacy_policy_content( 'SegmentPress', wp_kses_post( $text ) );
	}
}
