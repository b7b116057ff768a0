<?php
/**
 * uninstall.php removes options, transients, cron events and the queue table.
 * Runs last; it reinstalls the plugin afterwards for the browser tests.
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests;

use SegmentPress\Plugin;
use SegmentPress\Queue;

class UninstallTest extends TestCase {

	protected function tearDown(): void {
		Plugin::activate();
		parent::tearDown();
	}

	public function test_uninstall_leaves_nothing_behind() {
		global $wpdb;
		Plugin::full_sync()->start();
		Plugin::log()->add( 'warning', 'something' );
		set_transient( 'segmentpress_notice_1', array( 'x' ), 60 );
		$this->assertNotFalse( wp_next_scheduled( Queue::CRON_HOOK ) );

		uninstall_plugin( 'segmentpress/segmentpress.php' );
		wp_cache_flush();

		$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Queue::table() ) ) );
		$left = $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '%segmentpress%'" );
		$this->assertSame( array(), $left );
		foreach ( array( Queue::CRON_HOOK, Queue::FLUSH_HOOK, \SegmentPress\Full_Sync::CRON_HOOK ) as $hook ) {
			$this->assertFalse( wp_next_scheduled( $hook ), $hook );
		}
	}
}
