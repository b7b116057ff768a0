<?php
/**
 * Prints the browser tracker and its configuration on public pages.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The config holds nothing personal (the page's post, its terms, the write key), so
 * full-page caches can serve the same HTML to everyone.
 */
class Tracker {

	const HANDLE = 'segmentpress-tracker';

	/**
	 * Settings.
	 *
	 * @var Settings
	 */
	private $settings;

	/**
	 * Constructor.
	 *
	 * @param Settings $settings Settings.
	 */
	public function __construct( Settings $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Hooks.
	 */
	public function register() {
		add_action( 'wp_enqueue_scripts', array( $this, 'enqueue' ) );
		add_filter( 'script_loader_tag', array( $this, 'defer_attribute' ), 10, 2 );
		// Declares to the WP Consent API that this plugin asks for consent before tracking.
		add_filter( 'wp_consent_api_registered_' . plugin_basename( SEGMENTPRESS_FILE ), '__return_true' );
	}

	/**
	 * Enqueues tracker.js with its config, when connected and not on a preview.
	 */
	public function enqueue() {
		if ( ! $this->settings->is_connected() || is_preview() || is_customize_preview() || is_feed() || is_robots() ) {
			return;
		}
		wp_enqueue_script( self::HANDLE, SEGMENTPRESS_URL . 'assets/tracker.js', array(), SEGMENTPRESS_VERSION, true );
		wp_add_inline_script(
			self::HANDLE,
			'window.segmentpressConfig = ' . wp_json_encode( $this->config(), JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_UNICODE ) . ';',
			'before'
		);
	}

	/**
	 * The tracker's configuration for the current page.
	 *
	 * @return array
	 */
	public function config() {
		$config = array(
			'url'      => $this->settings->service_url(),
			'writeKey' => (string) $this->settings->get( 'write_key' ),
			'consent'  => (string) $this->settings->get( 'consent_mode' ),
		);
		if ( is_singular() ) {
			$post = get_queried_object();
			if ( $post instanceof \WP_Post ) {
				$taxonomies           = Content_Sync::taxonomies( $post );
				$config['postId']     = $post->ID;
				$config['postType']   = $post->post_type;
				$config['title']      = html_entity_decode( get_the_title( $post ), ENT_QUOTES, 'UTF-8' );
				$config['categories'] = wp_list_pluck( Content_Sync::terms( $post, $taxonomies['categories'] ), 'slug' );
				$config['tags']       = wp_list_pluck( Content_Sync::terms( $post, $taxonomies['tags'] ), 'slug' );
			}
		}
		if ( is_search() ) {
			$config['search'] = get_search_query( false );
		}
		/**
		 * Filters the tracker configuration printed into the page.
		 *
		 * Set `automation` to true to track browsers driven by automation (navigator.webdriver),
		 * e.g. for end-to-end tests; bots are skipped otherwise.
		 *
		 * @param array $config Config.
		 */
		return apply_filters( 'segmentpress_tracker_config', $config );
	}

	/**
	 * Loads the tracker with `defer` so it never blocks rendering.
	 *
	 * @param string $tag    Script tag.
	 * @param string $handle Handle.
	 * @return string
	 */
	public function defer_attribute( $tag, $handle ) {
		if ( self::HANDLE !== $handle ) {
			return $tag;
		}
		// Only inside the external script's opening tag; the inline config holds no "<".
		return preg_replace( '/<script([^>]*?) src=/', '<script$1 defer src=', $tag, 1 );
	}
}
