<?php
/**
 * Plugin Name:       SegmentPress
 * Plugin URI:        https://github.com/segmentpress/segmentpress
 * Description:       Behavioral segments, content recommendations and publishing briefs. Sends page views, engagement, searches, WooCommerce orders and your content catalog to your SegmentPress service once you connect it.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            SegmentPress
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       segmentpress
 * Domain Path:       /languages
 *
 * @package SegmentPress
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'SEGMENTPRESS_VERSION', '0.1.0' );
define( 'SEGMENTPRESS_FILE', __FILE__ );
define( 'SEGMENTPRESS_DIR', plugin_dir_path( __FILE__ ) );
define( 'SEGMENTPRESS_URL', plugin_dir_url( __FILE__ ) );

// PSR-4: SegmentPress\Foo_Bar lives in src/Foo_Bar.php.
spl_autoload_register(
	static function ( $class_name ) {
		$prefix = 'SegmentPress\\';
		if ( 0 !== strpos( $class_name, $prefix ) ) {
			return;
		}
		$file = SEGMENTPRESS_DIR . 'src/' . str_replace( '\\', '/', substr( $class_name, strlen( $prefix ) ) ) . '.php';
		if ( is_readable( $file ) ) {
			require $file;
		}
	}
);

require_once SEGMENTPRESS_DIR . 'src/functions.php';

register_activation_hook( __FILE__, array( 'SegmentPress\\Plugin', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'SegmentPress\\Plugin', 'deactivate' ) );

add_action( 'plugins_loaded', array( 'SegmentPress\\Plugin', 'boot' ) );
