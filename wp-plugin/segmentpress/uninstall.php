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

foreach ( array( 'segmentpress_settings', 'segmentpress_log', 'segmentpress_db_version', 'segmentpress_queue_state', 'segmentpress_auth_error', 'segmentpress_queue_lock', 'segmentpress_full_sync', 'segmentpress_briefs', 'segmentpress_briefs_state', 'widget_segmentpress_recommendations' ) as $segmentpress_option ) {
	delete_option( $segmentpress_option );
}

// Transients: per-user notices (segmentpress_notice_{user id}, segmentpress_briefs_notice_{user id}),
// the cached recommendation list, segment list and dashboard data.
$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_segmentpress\\_%' OR option_name LIKE '\\_transient\\_timeout\\_segmentpress\\_%'" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery

foreach ( array( 'segmentpress_process_queue', 'segmentpress_flush_queue', 'segmentpress_full_sync_chunk' ) as $segmentpress_hook ) {
	wp_clear_scheduled_hook( $segmentpress_hook );
}

// Events scheduled with arguments (a post's "brief published" report) need wp_unschedule_hook().
foreach ( array( 'segmentpress_pull_briefs', 'segmentpress_brief_published' ) as $segmentpress_hook ) {
	wp_unschedule_hook( $segmentpress_hook );
}

$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}segmentpress_queue" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.DirectDatabaseQuery.SchemaChange
