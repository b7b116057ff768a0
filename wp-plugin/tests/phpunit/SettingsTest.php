<?php
/**
 * Settings: the allow-list sanitizer and saving through the real options.php.
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests;

use SegmentPress\Plugin;
use SegmentPress\Settings;

class SettingsTest extends TestCase {

	public function test_sanitize_keeps_only_known_fields_and_cleans_each() {
		$clean = Plugin::settings()->sanitize(
			array(
				'service_url'  => '  https://segments.example.com/  ',
				'write_key'    => 'wk_abcdefgh12345678',
				'secret_key'   => 'sk_abcdefgh12345678',
				'consent_mode' => 'gpc',
				'post_types'   => array( 'post', 'attachment', 'no_such_type', 'page', '<b>x</b>' ),
				'evil'         => 'dropped',
				'is_admin'     => true,
			)
		);
		$this->assertSame( array( 'service_url', 'write_key', 'secret_key', 'consent_mode', 'post_types' ), array_keys( $clean ) );
		$this->assertSame( 'https://segments.example.com', $clean['service_url'] );
		$this->assertSame( 'gpc', $clean['consent_mode'] );
		$this->assertSame( array( 'post', 'page' ), $clean['post_types'] );
	}

	public function test_sanitize_refuses_bad_urls_keys_and_modes() {
		$before = Plugin::settings()->all();
		$clean  = Plugin::settings()->sanitize(
			array(
				'service_url'  => 'javascript:alert(1)',
				'write_key'    => '<script>alert(1)</script>',
				'consent_mode' => 'sell-everything',
			)
		);
		$this->assertSame( $before['service_url'], $clean['service_url'], 'a javascript: URL is not stored' );
		$this->assertSame( $before['write_key'], $clean['write_key'], 'a key with markup is not stored' );
		$this->assertSame( Settings::CONSENT_EVERYONE, $clean['consent_mode'] );
		$codes = wp_list_pluck( get_settings_errors( Settings::OPTION ), 'code' );
		$this->assertContains( 'service_url', $codes );
		$this->assertContains( 'write_key', $codes );
	}

	public function test_an_empty_secret_key_field_keeps_the_stored_key_and_forget_clears_it() {
		$kept = Plugin::settings()->sanitize( array( 'secret_key' => '' ) );
		$this->assertSame( self::$env['site']['secretKey'], $kept['secret_key'] );

		$forgotten = Plugin::settings()->sanitize(
			array(
				'secret_key'        => '',
				'forget_secret_key' => '1',
			)
		);
		$this->assertSame( '', $forgotten['secret_key'] );
	}

	public function test_admin_saves_settings_through_options_php_and_the_secret_is_never_printed_back() {
		$cookies = $this->login( self::admin_id() );
		$page    = self::settings_page_for( $cookies );
		$this->assertSame( 200, $page['status'] );
		$secret = self::$env['site']['secretKey'];
		$this->assertStringNotContainsString( $secret, $page['body'], 'the secret key is never in the page' );
		$this->assertStringContainsString( 'ends with …' . substr( $secret, -4 ), $page['body'] );
		$this->assertMatchesRegularExpression( '/name="_wpnonce" value="([0-9a-f]+)"/', $page['body'] );
		preg_match( '/<form method="post" action="[^"]*options\.php">.*?name="_wpnonce" value="([0-9a-f]+)"/s', $page['body'], $m );

		$saved = self::post_settings(
			$cookies,
			array(
				'service_url'     => self::$env['serviceUrl'] . '/',
				'write_key'       => self::$env['site']['writeKey'],
				'secret_key'      => '',
				'consent_mode'    => 'consent',
				'post_types_sent' => '1',
				'post_types'      => array( 'post' ),
			),
			$m[1]
		);
		$this->assertSame( 302, $saved['status'], substr( $saved['body'], 0, 500 ) );
		wp_cache_flush();
		$settings = get_option( Settings::OPTION );
		$this->assertSame( 'consent', $settings['consent_mode'] );
		$this->assertSame( array( 'post' ), $settings['post_types'] );
		$this->assertSame( self::$env['serviceUrl'], $settings['service_url'] );
		$this->assertSame( $secret, $settings['secret_key'], 'the empty field kept the stored secret' );
	}

	public function test_a_refused_value_is_reported_once_after_saving() {
		$cookies = $this->login( self::admin_id() );
		preg_match( '/<form method="post" action="[^"]*options\.php">.*?name="_wpnonce" value="([0-9a-f]+)"/s', self::settings_page_for( $cookies )['body'], $m );
		$saved = self::post_settings( $cookies, array( 'service_url' => 'ftp://segments.example.com' ), $m[1] );
		$this->assertSame( 302, $saved['status'] );
		$location = wp_remote_retrieve_header( array( 'headers' => $saved['headers'] ), 'location' );
		$page     = self::wp_http( 'GET', (string) wp_parse_url( $location, PHP_URL_PATH ) . '?' . wp_parse_url( $location, PHP_URL_QUERY ), $cookies );
		$this->assertSame( 1, substr_count( $page['body'], 'The service URL must be an http(s) address.' ) );
		wp_cache_flush();
		$this->assertSame( self::$env['serviceUrl'], get_option( Settings::OPTION )['service_url'] );
	}
}
