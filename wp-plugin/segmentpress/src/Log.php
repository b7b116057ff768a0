<?php
/**
 * A short log of delivery problems, shown on the settings screen.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Keeps the last entries in an option (not autoloaded) and mirrors them to the PHP error log.
 * Entries may hold visitor-supplied text: escape them wherever they are printed.
 */
class Log {

	const OPTION = 'segmentpress_log';
	const KEEP   = 50;

	/**
	 * Nothing to hook.
	 */
	public function register() {
	}

	/**
	 * Adds an entry.
	 *
	 * @param string $level   info|warning|error.
	 * @param string $message Message (plain text).
	 */
	public function add( $level, $message ) {
		$entries   = $this->entries();
		$entries[] = array(
			'time'    => time(),
			'level'   => $level,
			'message' => mb_substr( (string) $message, 0, 1000 ),
		);
		$entries = array_slice( $entries, -self::KEEP );
		if ( false === get_option( self::OPTION ) ) {
			add_option( self::OPTION, $entries, '', 'no' );
		} else {
			update_option( self::OPTION, $entries );
		}
		if ( 'info' !== $level ) {
			error_log( 'SegmentPress ' . $level . ': ' . wp_strip_all_tags( $message ) ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log
		}
	}

	/**
	 * Entries, oldest first.
	 *
	 * @return array<int, array{time:int, level:string, message:string}>
	 */
	public function entries() {
		$entries = get_option( self::OPTION, array() );
		return is_array( $entries ) ? $entries : array();
	}

	/**
	 * Removes every entry.
	 */
	public function clear() {
		delete_option( self::OPTION );
	}
}
