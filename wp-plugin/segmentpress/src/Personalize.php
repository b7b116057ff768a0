<?php
/**
 * The browser side of the recommendations list and the targeted content.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Loads assets/personalize.js (after tracker.js, whose queue and anonymous id it uses) and the
 * small stylesheet, only on pages that hold a list or targeted content.
 */
class Personalize {

	const HANDLE = 'segmentpress-personalize';

	/**
	 * Hooks.
	 */
	public function register() {
		add_action( 'wp_enqueue_scripts', array( $this, 'register_assets' ), 5 );
		add_filter( 'script_loader_tag', array( $this, 'defer_attribute' ), 10, 2 );
	}

	/**
	 * Registers (does not print) the script and the stylesheet.
	 */
	public function register_assets() {
		wp_register_script( self::HANDLE, SEGMENTPRESS_URL . 'assets/personalize.js', array( Tracker::HANDLE ), SEGMENTPRESS_VERSION, true );
		wp_register_style( self::HANDLE, SEGMENTPRESS_URL . 'assets/blocks.css', array(), SEGMENTPRESS_VERSION );
	}

	/**
	 * Called by a renderer: the page needs the browser part. Without the tracker (not connected,
	 * a preview, no consent) the script is not printed and the non-personal markup stays.
	 */
	public static function enqueue() {
		if ( is_admin() || wp_is_json_request() ) {
			return; // The editor's server-side preview shows the non-personal list only.
		}
		if ( ! wp_script_is( self::HANDLE, 'registered' ) ) {
			( new self() )->register_assets();
		}
		wp_enqueue_script( self::HANDLE );
		wp_enqueue_style( self::HANDLE );
	}

	/**
	 * `defer`, like the tracker, so both run in order after the document is parsed.
	 *
	 * @param string $tag    Script tag.
	 * @param string $handle Handle.
	 * @return string
	 */
	public function defer_attribute( $tag, $handle ) {
		if ( self::HANDLE !== $handle || false !== strpos( $tag, ' defer' ) ) {
			return $tag;
		}
		return preg_replace( '/<script([^>]*?) src=/', '<script$1 defer src=', $tag, 1 );
	}
}
