<?php
/**
 * Plugin Name: SegmentPress (compose network)
 * Description: For docker/compose.yaml only. WordPress's PHP reaches the service by its
 *              compose name (the plugin's "Service URL", http://segmentpress:8080), but a
 *              visitor's browser cannot resolve that name: the tracker is pointed at the
 *              address published on the host instead (SEGMENTPRESS_PUBLIC_URL).
 *
 * @package SegmentPress
 */

defined( 'ABSPATH' ) || exit;

add_filter(
	'segmentpress_tracker_config',
	static function ( $config ) {
		$public_url = getenv( 'SEGMENTPRESS_PUBLIC_URL' );
		if ( is_array( $config ) && is_string( $public_url ) && '' !== $public_url ) {
			$config['url'] = rtrim( $public_url, '/' );
		}
		return $config;
	}
);
