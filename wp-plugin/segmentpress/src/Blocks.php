<?php
/**
 * Registers the blocks (block.json + render.php, no build step) and their editor script.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Blocks: segmentpress/recommendations, segmentpress/show (with show-match and show-else).
 * The editor script is plain JavaScript on the wp.* globals. The editor lists the site's
 * segments from the REST route segmentpress/v1/segments (capability edit_posts).
 */
class Blocks {

	const EDITOR_HANDLE   = 'segmentpress-blocks-editor';
	const SEGMENTS_CACHE  = 'segmentpress_segment_list';
	const SEGMENTS_TTL    = 600;
	const BLOCKS          = array( 'recommendations', 'show', 'show-match', 'show-else' );

	/**
	 * Client.
	 *
	 * @var Client
	 */
	private $client;

	/**
	 * Constructor.
	 *
	 * @param Client $client Client.
	 */
	public function __construct( Client $client ) {
		$this->client = $client;
	}

	/**
	 * Hooks.
	 */
	public function register() {
		add_action( 'init', array( $this, 'register_blocks' ) );
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/**
	 * Registers the editor script, then each block from its folder.
	 */
	public function register_blocks() {
		wp_register_script(
			self::EDITOR_HANDLE,
			SEGMENTPRESS_URL . 'assets/blocks-editor.js',
			array( 'wp-blocks', 'wp-element', 'wp-block-editor', 'wp-components', 'wp-server-side-render', 'wp-i18n', 'wp-api-fetch' ),
			SEGMENTPRESS_VERSION,
			true
		);
		wp_set_script_translations( self::EDITOR_HANDLE, 'segmentpress', SEGMENTPRESS_DIR . 'languages' );
		foreach ( self::BLOCKS as $name ) {
			register_block_type( SEGMENTPRESS_DIR . 'blocks/' . $name );
		}
	}

	/**
	 * GET /wp-json/segmentpress/v1/segments: the site's segments for the block's settings.
	 */
	public function register_routes() {
		register_rest_route(
			'segmentpress/v1',
			'/segments',
			array(
				'methods'             => 'GET',
				'callback'            => array( $this, 'segments_route' ),
				'permission_callback' => static function () {
					return current_user_can( 'edit_posts' );
				},
				'args'                => array(),
			)
		);
	}

	/**
	 * The segments, or a WP_Error with the service's status.
	 *
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function segments_route() {
		$segments = $this->segments();
		if ( is_wp_error( $segments ) ) {
			return $segments;
		}
		return rest_ensure_response( $segments );
	}

	/**
	 * The site's segments ({key, name, family, description, size}), cached for a few minutes.
	 *
	 * @return array|\WP_Error
	 */
	public function segments() {
		$cached = get_transient( self::SEGMENTS_CACHE );
		if ( is_array( $cached ) ) {
			return $cached;
		}
		$response = $this->client->request( 'GET', '/v1/segments', null, array( 'timeout' => 5 ) );
		if ( 200 !== $response['status'] || ! is_array( $response['body'] ) ) {
			return new \WP_Error( 'segmentpress_service', $response['error'] ? $response['error'] : __( 'The service did not answer.', 'segmentpress' ), array( 'status' => 502 ) );
		}
		$segments = array();
		foreach ( $response['body'] as $segment ) {
			if ( is_array( $segment ) && isset( $segment['key'] ) && is_string( $segment['key'] ) ) {
				$segments[] = array(
					'key'         => $segment['key'],
					'name'        => isset( $segment['name'] ) ? (string) $segment['name'] : $segment['key'],
					'family'      => isset( $segment['family'] ) ? (string) $segment['family'] : '',
					'description' => isset( $segment['description'] ) ? (string) $segment['description'] : '',
					'size'        => isset( $segment['size'] ) ? (int) $segment['size'] : 0,
				);
			}
		}
		set_transient( self::SEGMENTS_CACHE, $segments, self::SEGMENTS_TTL );
		return $segments;
	}
}
