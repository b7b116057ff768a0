<?php
/**
 * Whether the current visitor's request may be tracked, following the site's consent mode.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The browser tracker applies the same rules in JavaScript (assets/tracker.js).
 */
class Consent {

	/**
	 * Whether events triggered by the visitor of this request may be sent.
	 *
	 * @param Settings $settings Settings.
	 * @return bool
	 */
	public static function request_allows_tracking( Settings $settings ) {
		$mode = $settings->get( 'consent_mode' );
		if ( Settings::CONSENT_API === $mode ) {
			// Without the WP Consent API nobody can have consented.
			return function_exists( 'wp_has_consent' ) && wp_has_consent( 'statistics' );
		}
		if ( Settings::CONSENT_GPC === $mode ) {
			$gpc = isset( $_SERVER['HTTP_SEC_GPC'] ) && '1' === trim( sanitize_text_field( wp_unslash( $_SERVER['HTTP_SEC_GPC'] ) ) );
			$dnt = isset( $_SERVER['HTTP_DNT'] ) && '1' === trim( sanitize_text_field( wp_unslash( $_SERVER['HTTP_DNT'] ) ) );
			return ! $gpc && ! $dnt;
		}
		return true;
	}

	/**
	 * The browser's anonymous id from the `sp_aid` cookie that tracker.js sets, if valid.
	 *
	 * @return string
	 */
	public static function anonymous_id_from_cookie() {
		if ( empty( $_COOKIE['sp_aid'] ) ) {
			return '';
		}
		$aid = sanitize_text_field( wp_unslash( $_COOKIE['sp_aid'] ) );
		return preg_match( '/^[A-Za-z0-9\-]{16,64}$/', $aid ) ? $aid : '';
	}
}
