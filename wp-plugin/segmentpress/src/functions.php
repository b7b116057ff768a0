<?php
/**
 * Public functions for themes and other plugins.
 *
 * @package SegmentPress
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

if ( ! function_exists( 'segmentpress_track' ) ) {
	/**
	 * Records a server-side event and sends it to SegmentPress in the background.
	 *
	 * The event is stored in the WordPress database first and delivered by WP-Cron,
	 * so calling this never waits on the service. Nothing is stored before the site
	 * owner has connected SegmentPress.
	 *
	 * @param string   $event      Event name, e.g. "Product Reviewed".
	 * @param array    $properties Event properties.
	 * @param int|null $user_id    WordPress user id; defaults to the current user (if any).
	 * @return string|false The event's messageId, or false when nothing was queued.
	 */
	function segmentpress_track( $event, $properties = array(), $user_id = null ) {
		return \SegmentPress\Plugin::events()->track( (string) $event, (array) $properties, $user_id );
	}
}
