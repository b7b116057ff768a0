<?php
/**
 * Removes everything SegmentPress stored in WordPress: options, transients, cron events
 * and the queue table. Data already sent lives in the service and is managed there.
 *
 * @package SegmentPress
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) || ! defined( 'ABSPATH' ) ) {
	exit;
}

global $wpdb;

foreach ( array( 'segmentpress_settings', 'segmentpress_log', 'segmentpress_db_version', 'segmentpress_queue_state', 'segmentpress_auth_error', 'segmentpress_queue_lock', 'segmentpress_full_sync' ) as $segmentpress_option ) {
	delete_option( $segmentpress_option );
}

// Per-user notices are transients named segmentpress_notice_{user id}.
$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_segmentpress\\_%' OR option_name LIKE '\\_transient\\_timeout\\_segmentpress\\_%'" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery

foreach ( array( 'segmentpress_process_queue', 'segmentpress_flush_queue', 'segmentpress_full_sync_chunk' ) as $segmentpress_hook ) {
	wp_clear_scheduled_hook( $segmentpress_hook );
}

$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}segmentpress_queue" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.DirectDatabaseQuery.SchemaChange
