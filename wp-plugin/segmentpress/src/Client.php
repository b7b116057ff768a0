<?php
/**
 * HTTP client for the SegmentPress service.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Calls the service with the site's secret key. Short timeouts: callers run in
 * WP-Cron or behind an explicit admin action, never in a visitor's page view.
 */
class Client {

	/**
	 * Settings.
	 *
	 * @var Settings
	 */
	private $settings;

	/**
	 * Constructor.
	 *
	 * @param Settings $settings Settings.
	 */
	public function __construct( Settings $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Nothing to hook.
	 */
	public function register() {
	}

	/**
	 * Sends one request.
	 *
	 * @param string     $method  HTTP method.
	 * @param string     $path    Path starting with /v1/.
	 * @param array|null $body    JSON body.
	 * @param array      $options timeout (seconds), base_url and secret_key overrides.
	 * @return array{status:int, body:mixed, error:string, retry_after:int|null}
	 *         status 0 means the service could not be reached (timeout, refused).
	 */
	public function request( $method, $path, $body = null, array $options = array() ) {
		$base   = isset( $options['base_url'] ) ? untrailingslashit( $options['base_url'] ) : $this->settings->service_url();
		$secret = isset( $options['secret_key'] ) ? $options['secret_key'] : (string) $this->settings->get( 'secret_key' );
		if ( '' === $base || '' === $secret ) {
			return array(
				'status'      => 0,
				'body'        => null,
				'error'       => __( 'SegmentPress is not connected yet.', 'segmentpress' ),
				'retry_after' => null,
			);
		}

		$args = array(
			'method'      => $method,
			'timeout'     => isset( $options['timeout'] ) ? $options['timeout'] : 5,
			'redirection' => 0,
			'headers'     => array(
				'Authorization' => 'Bearer ' . $secret,
				'Accept'        => 'application/json',
				'User-Agent'    => 'SegmentPress-WordPress/' . SEGMENTPRESS_VERSION,
			),
		);
		if ( null !== $body ) {
			$args['headers']['Content-Type'] = 'application/json';
			$args['body']                    = wp_json_encode( $body );
		}

		// Not wp_safe_remote_request(): the owner's own service often runs on a private address.
		$response = wp_remote_request( $base . $path, $args );
		if ( is_wp_error( $response ) ) {
			return array(
				'status'      => 0,
				'body'        => null,
				'error'       => $response->get_error_message(),
				'retry_after' => null,
			);
		}

		$status  = (int) wp_remote_retrieve_response_code( $response );
		$raw     = wp_remote_retrieve_body( $response );
		$decoded = '' === $raw ? null : json_decode( $raw, true );
		$retry   = wp_remote_retrieve_header( $response, 'retry-after' );

		return array(
			'status'      => $status,
			'body'        => $decoded,
			'error'       => $status >= 400 ? self::problem_text( $status, $decoded ) : '',
			'retry_after' => self::parse_retry_after( $retry ),
		);
	}

	/**
	 * A short human message for an error answer (RFC 9457 problem details).
	 *
	 * @param int   $status HTTP status.
	 * @param mixed $body   Decoded body.
	 * @return string
	 */
	public static function problem_text( $status, $body ) {
		$text = 'HTTP ' . $status;
		if ( is_array( $body ) ) {
			if ( ! empty( $body['title'] ) && is_string( $body['title'] ) ) {
				$text .= ' ' . $body['title'];
			}
			if ( ! empty( $body['detail'] ) && is_string( $body['detail'] ) ) {
				$text .= ': ' . $body['detail'];
			}
			if ( ! empty( $body['errors'] ) && is_array( $body['errors'] ) ) {
				$text .= ' ' . self::errors_text( $body['errors'] );
			}
		}
		return mb_substr( $text, 0, 500 );
	}

	/**
	 * "field: message; field: message" from a problem's errors list.
	 *
	 * @param array $errors [{field, message}].
	 * @return string
	 */
	public static function errors_text( $errors ) {
		$parts = array();
		foreach ( (array) $errors as $error ) {
			if ( is_array( $error ) ) {
				$parts[] = trim( ( isset( $error['field'] ) ? $error['field'] . ': ' : '' ) . ( isset( $error['message'] ) ? (string) $error['message'] : '' ) );
			}
		}
		return implode( '; ', $parts );
	}

	/**
	 * Retry-After as seconds (delta-seconds or an HTTP date), or null.
	 *
	 * @param mixed $value Header value.
	 * @return int|null
	 */
	public static function parse_retry_after( $value ) {
		if ( is_array( $value ) ) {
			$value = reset( $value );
		}
		$value = trim( (string) $value );
		if ( '' === $value ) {
			return null;
		}
		if ( ctype_digit( $value ) ) {
			return (int) $value;
		}
		$time = strtotime( $value );
		return false === $time ? null : max( 0, $time - time() );
	}
}
