<?php
/**
 * The plugin's one settings option and its sanitizing.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Reads and sanitizes the `segmentpress_settings` option.
 */
class Settings {

	const OPTION = 'segmentpress_settings';
	const GROUP  = 'segmentpress';

	const CONSENT_EVERYONE = 'everyone';
	const CONSENT_API      = 'consent';
	const CONSENT_GPC      = 'gpc';

	/**
	 * Registers the setting with its allow-list sanitizer.
	 */
	public function register() {
		add_action( 'admin_init', array( $this, 'register_setting' ) );
		add_action( 'rest_api_init', array( $this, 'register_setting' ) );
		add_action( 'update_option_' . self::OPTION, array( $this, 'on_change' ), 10, 2 );
		add_action( 'add_option_' . self::OPTION, array( $this, 'on_add' ), 10, 2 );
	}

	/**
	 * Registers the option with the Settings API.
	 */
	public function register_setting() {
		register_setting(
			self::GROUP,
			self::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => array( $this, 'sanitize' ),
				'default'           => self::defaults(),
				'show_in_rest'      => false,
			)
		);
	}

	/**
	 * Default values.
	 *
	 * @return array
	 */
	public static function defaults() {
		return array(
			'service_url'  => '',
			'write_key'    => '',
			'secret_key'   => '',
			'consent_mode' => self::CONSENT_EVERYONE,
			'post_types'   => array( 'post', 'page', 'product' ),
		);
	}

	/**
	 * All settings merged over the defaults.
	 *
	 * @return array
	 */
	public function all() {
		$saved = get_option( self::OPTION, array() );
		return array_merge( self::defaults(), is_array( $saved ) ? $saved : array() );
	}

	/**
	 * One setting.
	 *
	 * @param string $key Setting name.
	 * @return mixed
	 */
	public function get( $key ) {
		$all = $this->all();
		return isset( $all[ $key ] ) ? $all[ $key ] : null;
	}

	/**
	 * Service base URL without a trailing slash.
	 *
	 * @return string
	 */
	public function service_url() {
		return untrailingslashit( (string) $this->get( 'service_url' ) );
	}

	/**
	 * Whether the owner has connected the site: URL and both keys are set.
	 * Nothing is queued or sent before this is true.
	 *
	 * @return bool
	 */
	public function is_connected() {
		return '' !== $this->service_url() && '' !== (string) $this->get( 'write_key' ) && '' !== (string) $this->get( 'secret_key' );
	}

	/**
	 * Post types whose content is synced to the catalog.
	 *
	 * @return string[]
	 */
	public function post_types() {
		return array_values( array_filter( (array) $this->get( 'post_types' ), 'is_string' ) );
	}

	/**
	 * Last four characters of the stored secret key, for "saved, ends with …1234".
	 *
	 * @return string
	 */
	public function secret_key_hint() {
		$key = (string) $this->get( 'secret_key' );
		return '' === $key ? '' : substr( $key, -4 );
	}

	/**
	 * Allow-list sanitizer: only known keys survive, each cleaned for its type.
	 * An empty secret key field keeps the stored key (the form never shows it).
	 *
	 * @param mixed $input Raw input (already unslashed by options.php).
	 * @return array
	 */
	public function sanitize( $input ) {
		$current = $this->all();
		$input   = is_array( $input ) ? $input : array();
		$clean   = $current;

		if ( isset( $input['service_url'] ) ) {
			$raw = trim( (string) $input['service_url'] );
			$url = esc_url_raw( $raw, array( 'http', 'https' ) );
			if ( '' === $raw ) {
				$clean['service_url'] = '';
			} elseif ( ! self::is_http_url( $url ) ) {
				add_settings_error( self::OPTION, 'service_url', __( 'The service URL must be an http(s) address.', 'segmentpress' ) );
			} else {
				$clean['service_url'] = untrailingslashit( $url );
			}
		}

		foreach ( array( 'write_key', 'secret_key' ) as $field ) {
			if ( ! isset( $input[ $field ] ) ) {
				continue;
			}
			$key = trim( (string) $input[ $field ] );
			if ( 'secret_key' === $field && '' === $key ) {
				continue; // Keep the stored secret: the field is never printed back.
			}
			if ( '' !== $key && ! preg_match( '/^[A-Za-z0-9_\-\.]{8,200}$/', $key ) ) {
				add_settings_error( self::OPTION, $field, __( 'That key does not look like a SegmentPress key.', 'segmentpress' ) );
				continue;
			}
			$clean[ $field ] = $key;
		}
		if ( ! empty( $input['forget_secret_key'] ) ) {
			$clean['secret_key'] = '';
		}

		if ( isset( $input['consent_mode'] ) ) {
			$mode                  = sanitize_key( (string) $input['consent_mode'] );
			$clean['consent_mode'] = in_array( $mode, array( self::CONSENT_EVERYONE, self::CONSENT_API, self::CONSENT_GPC ), true ) ? $mode : self::CONSENT_EVERYONE;
		}

		if ( isset( $input['post_types'] ) || isset( $input['post_types_sent'] ) ) {
			$types               = isset( $input['post_types'] ) ? (array) $input['post_types'] : array();
			$types               = array_map( 'sanitize_key', array_filter( $types, 'is_string' ) );
			$clean['post_types'] = array_values( array_unique( array_filter( $types, array( $this, 'is_syncable_type' ) ) ) );
		}

		return array_intersect_key( $clean, self::defaults() );
	}

	/**
	 * A post type may be synced when it is public (or is WooCommerce's product type).
	 *
	 * @param string $type Post type.
	 * @return bool
	 */
	public function is_syncable_type( $type ) {
		if ( 'product' === $type ) {
			return true; // Kept even while WooCommerce is inactive.
		}
		$object = get_post_type_object( $type );
		return $object && $object->public && 'attachment' !== $type;
	}

	/**
	 * An http(s) URL with a host. Unlike wp_http_validate_url(), loopback and private hosts
	 * are accepted: a self-hosted service often lives there.
	 *
	 * @param string $url URL.
	 * @return bool
	 */
	private static function is_http_url( $url ) {
		$parts = wp_parse_url( $url );
		return is_array( $parts ) && ! empty( $parts['host'] ) && in_array( $parts['scheme'] ?? '', array( 'http', 'https' ), true );
	}

	/**
	 * After the first save of the option.
	 *
	 * @param string $option Option name.
	 * @param mixed  $value  New value.
	 */
	public function on_add( $option, $value ) {
		$this->on_change( array(), $value );
	}

	/**
	 * When the connection changes: clear a stored authentication error, and start the
	 * first full sync once the site becomes connected.
	 *
	 * @param mixed $old Old value.
	 * @param mixed $new New value.
	 */
	public function on_change( $old, $new ) {
		$old  = is_array( $old ) ? $old : array();
		$new  = is_array( $new ) ? $new : array();
		$keys = array( 'service_url', 'write_key', 'secret_key' );
		foreach ( $keys as $key ) {
			if ( ( $old[ $key ] ?? '' ) !== ( $new[ $key ] ?? '' ) ) {
				delete_option( Queue::AUTH_ERROR_OPTION );
				do_action( 'segmentpress_connection_changed', $new );
				break;
			}
		}
	}
}
