<?php
/**
 * Wires the plugin's parts together.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Creates each part once and lets it register its own hooks.
 */
final class Plugin {

	/**
	 * The parts, by name.
	 *
	 * @var array<string, object>
	 */
	private static $parts = array();

	/**
	 * Builds and registers every part. Runs on plugins_loaded.
	 */
	public static function boot() {
		if ( ! empty( self::$parts ) ) {
			return;
		}
		$settings  = new Settings();
		$log       = new Log();
		$client    = new Client( $settings );
		$queue     = new Queue( $settings, $client, $log );
		$sync      = new Content_Sync( $settings, $queue );
		$full_sync = new Full_Sync( $settings, $client, $sync, $log );

		self::$parts = array(
			'settings' => $settings,
			'log'      => $log,
			'client'   => $client,
			'queue'    => $queue,
			'sync'     => $sync,
			'fullsync' => $full_sync,
			'tracker'  => new Tracker( $settings ),
			'events'   => new Server_Events( $settings, $queue ),
			'privacy'  => new Privacy( $settings, $client, $queue ),
			'admin'    => new Admin_Page( $settings, $client, $queue, $full_sync, $log ),
		);

		// Part 2: what visitors and editors see.
		$blocks = new Blocks( $client );
		$briefs = new Briefs( $settings, $client, $log );
		self::$parts += array(
			'personalize'     => new Personalize(),
			'recommendations' => new Recommendations( $settings, $client ),
			'targeting'       => new Targeted_Content( $settings ),
			'blocks'          => $blocks,
			'briefs'          => $briefs,
			'briefs_page'     => new Briefs_Page( $briefs, $blocks ),
			'dashboard'       => new Dashboard_Page( $settings, $client ),
		);

		add_action( 'init', array( __CLASS__, 'load_textdomain' ) );
		foreach ( self::$parts as $part ) {
			$part->register();
		}
	}

	/**
	 * Loads translations.
	 */
	public static function load_textdomain() {
		load_plugin_textdomain( 'segmentpress', false, dirname( plugin_basename( SEGMENTPRESS_FILE ) ) . '/languages' );
	}

	/**
	 * Activation: create the queue table and the cron schedule.
	 */
	public static function activate() {
		Queue::install();
		Queue::schedule();
	}

	/**
	 * Deactivation: stop cron jobs; queued events stay for when the plugin returns.
	 */
	public static function deactivate() {
		wp_clear_scheduled_hook( Queue::CRON_HOOK );
		wp_clear_scheduled_hook( Queue::FLUSH_HOOK );
		wp_clear_scheduled_hook( Full_Sync::CRON_HOOK );
		wp_clear_scheduled_hook( Briefs::CRON_HOOK );
	}

	/** @return Settings */
	public static function settings() {
		return self::part( 'settings' );
	}

	/** @return Queue */
	public static function queue() {
		return self::part( 'queue' );
	}

	/** @return Client */
	public static function client() {
		return self::part( 'client' );
	}

	/** @return Server_Events */
	public static function events() {
		return self::part( 'events' );
	}

	/** @return Content_Sync */
	public static function sync() {
		return self::part( 'sync' );
	}

	/** @return Full_Sync */
	public static function full_sync() {
		return self::part( 'fullsync' );
	}

	/** @return Privacy */
	public static function privacy() {
		return self::part( 'privacy' );
	}

	/** @return Log */
	public static function log() {
		return self::part( 'log' );
	}

	/** @return Recommendations */
	public static function recommendations() {
		return self::part( 'recommendations' );
	}

	/** @return Targeted_Content */
	public static function targeting() {
		return self::part( 'targeting' );
	}

	/** @return Briefs */
	public static function briefs() {
		return self::part( 'briefs' );
	}

	/** @return Briefs_Page */
	public static function briefs_page() {
		return self::part( 'briefs_page' );
	}

	/** @return Dashboard_Page */
	public static function dashboard() {
		return self::part( 'dashboard' );
	}

	/** @return Blocks */
	public static function blocks() {
		return self::part( 'blocks' );
	}

	/** @return Admin_Page */
	public static function admin() {
		return self::part( 'admin' );
	}

	/**
	 * One part by name, booting first if needed (e.g. when called very early).
	 *
	 * @param string $name Part name.
	 * @return object
	 */
	private static function part( $name ) {
		if ( empty( self::$parts ) ) {
			self::boot();
		}
		return self::$parts[ $name ];
	}
}
