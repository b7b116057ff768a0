<?php
/**
 * The server side of the recommendations list and targeted content: one renderer behind the
 * block, the shortcode and the widget; the same markup for everyone (cache-safe); the fallback
 * list cached briefly; escaping of what the service sent. The browser side is tested in
 * e2e/personalize.test.js against the real service.
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests;

use SegmentPress\Plugin;
use SegmentPress\Recommendations;
use SegmentPress\Targeted_Content;

require_once __DIR__ . '/Part2TestCase.php';

class PersonalizeRenderTest extends Part2TestCase {

	protected function setUp(): void {
		parent::setUp();
		delete_transient( 'segmentpress_recs_6' );
		$this->fake_service(
			static function ( $method, $path ) {
				if ( 0 === strpos( $path, '/v1/segments/stage%3Aawareness/recommendations' ) ) {
					return array(
						200,
						array(
							'segment' => 'stage:awareness',
							'items'   => array(
								array( 'contentId' => 11, 'title' => 'Baking 101', 'url' => 'http://example.test/?p=11', 'score' => 0.4, 'reason' => 'A good place to start' ),
								array( 'contentId' => 12, 'title' => self::PAYLOAD, 'url' => 'http://example.test/?p=12', 'score' => 0.3, 'reason' => 'x' ),
								array( 'contentId' => 13, 'title' => 'Bad link', 'url' => 'javascript:alert(1)', 'score' => 0.2, 'reason' => 'x' ),
								array( 'contentId' => 14, 'title' => 'Glossary', 'url' => 'http://example.test/?p=14', 'score' => 0.1, 'reason' => 'x' ),
							),
						),
					);
				}
				return array( 404, array( 'status' => 404 ) );
			}
		);
	}

	private static function items( $html ) {
		preg_match_all( '/data-content-id="(\d+)"/', $html, $m );
		return array_map( 'intval', $m[1] );
	}

	public function test_block_shortcode_and_widget_print_the_same_list_from_one_renderer() {
		$block     = do_blocks( '<!-- wp:segmentpress/recommendations {"title":"Picked for you","count":5,"layout":"grid"} /-->' );
		$shortcode = do_shortcode( '[segmentpress_recommendations count="5" title="Picked for you" layout="grid"]' );
		ob_start();
		the_widget( 'SegmentPress\\Recommendations_Widget', array( 'title' => 'Picked for you', 'count' => 5, 'layout' => 'grid' ), array( 'before_widget' => '<section>', 'after_widget' => '</section>' ) );
		$widget = ob_get_clean();

		foreach ( array( 'block' => $block, 'shortcode' => $shortcode, 'widget' => $widget ) as $kind => $html ) {
			$this->assertSame( array( 11, 12, 14 ), self::items( $html ), $kind . ': well-formed items only' );
			$this->assertStringContainsString( 'data-sp-recs', $html, $kind );
			$this->assertStringContainsString( 'data-count="5"', $html, $kind );
			$this->assertStringContainsString( '<h2 class="segmentpress-recs__title">Picked for you</h2>', $html, $kind );
			$this->assertStringContainsString( 'segmentpress-recs__items--grid', $html, $kind );
			$this->assertStringNotContainsString( 'javascript:', $html, $kind );
			$this->assert_escaped( $html );
		}
		$this->assertStringContainsString( 'wp-block-segmentpress-recommendations', $block, 'block wrapper attributes' );
		$this->assertCount( 1, $this->requests_to( 'GET', '/v1/segments/' ), 'fetched once, then served from the transient' );
		$this->assertTrue( wp_script_is( 'segmentpress-personalize', 'enqueued' ) );
	}

	public function test_the_markup_is_the_same_for_every_visitor() {
		$first = do_shortcode( '[segmentpress_recommendations count="5"]' );
		$_COOKIE['sp_aid'] = 'bargain-hunter-123456789';
		wp_set_current_user( self::subscriber_id() );
		$second = do_shortcode( '[segmentpress_recommendations count="5"]' );
		$this->assertSame( $first, $second );
		$this->assertStringNotContainsString( 'bargain-hunter-123456789', $second );
	}

	public function test_count_and_title_are_clamped_and_defaulted() {
		$this->assertSame( array( 'title' => 'Recommended for you', 'count' => 20, 'layout' => 'list' ), Recommendations::normalize( array( 'count' => 99, 'title' => ' ', 'layout' => 'x' ) ) );
		$this->assertSame( 1, Recommendations::normalize( array( 'count' => -3 ) )['count'] );
		$this->assertSame( 'Hi there', Recommendations::normalize( array( 'title' => '<b>Hi</b> there<script>alert(1)</script>' ) )['title'] );
	}

	public function test_when_the_service_is_down_the_page_renders_at_once_without_items_and_asks_again_a_minute_later() {
		remove_all_filters( 'pre_http_request' );
		$this->fake_service(
			static function () {
				return new \WP_Error( 'http_request_failed', 'Connection refused' );
			}
		);
		$html = do_shortcode( '[segmentpress_recommendations count="5"]' );
		$this->assertStringContainsString( 'data-sp-recs', $html, 'the browser can still fill it in' );
		$this->assertSame( array(), self::items( $html ) );
		$this->assertSame( array(), get_transient( 'segmentpress_recs_6' ), 'the failure is remembered' );
		$timeout = (int) get_option( '_transient_timeout_segmentpress_recs_6' );
		$this->assertLessThanOrEqual( time() + Recommendations::FALLBACK_ERROR_TTL, $timeout );
		do_shortcode( '[segmentpress_recommendations count="5"]' );
		$this->assertCount( 2, $this->requests, 'one try of each source, not one per page view' );
	}

	public function test_nothing_is_printed_before_the_site_is_connected() {
		$this->connect( array( 'secret_key' => '' ) );
		$this->assertSame( '', do_shortcode( '[segmentpress_recommendations]' ) );
		$this->assertSame( array(), $this->requests );
	}

	public function test_targeted_shortcode_prints_both_parts_with_the_targeted_one_hidden() {
		$html = do_shortcode( '[segmentpress_show segments="bargain-hunter, VIP" stage="decision"]<p>Coupon SAVE20</p>[segmentpress_else]<p>Newsletter</p>[/segmentpress_show]' );
		$this->assertSame(
			'<div class="segmentpress-show" data-sp-show data-segments="bargain-hunter,vip" data-stages="stage:decision"><div class="segmentpress-show__match" hidden><p>Coupon SAVE20</p></div><div class="segmentpress-show__else"><p>Newsletter</p></div></div>',
			$html
		);
	}

	public function test_targeted_shortcode_survives_wpautop_and_works_without_an_alternative() {
		$html = do_shortcode( wpautop( "[segmentpress_show segments=\"vip\"]\nFor VIPs\n\n[segmentpress_else]\n\nFor everyone\n[/segmentpress_show]" ) );
		$this->assertStringContainsString( 'data-segments="vip"', $html );
		$this->assertSame( force_balance_tags( $html ), $html, 'balanced markup' );
		$only = do_shortcode( '[segmentpress_show segments="vip"]For VIPs[/segmentpress_show]' );
		$this->assertStringContainsString( '<div class="segmentpress-show__else"></div>', $only );
		$this->assertSame( '', do_shortcode( '[segmentpress_else]' ), 'a stray else prints nothing' );
	}

	public function test_segment_keys_are_cleaned_and_attribute_values_escaped() {
		$this->assertSame( array( 'vip', 'interest:recipes' ), Targeted_Content::keys( 'vip, interest:recipes, "><script>, ' ) );
		$this->assertSame( array( 'stage:decision', 'stage:retention' ), Targeted_Content::keys( 'decision,stage:retention', true ) );
		$html = Plugin::targeting()->render( array( '"><img src=x onerror=alert(1)>' ), '', 'a', 'b' );
		$this->assertStringNotContainsString( '<img', $html );
	}

	public function test_targeted_block_renders_its_two_parts() {
		$html = do_blocks(
			'<!-- wp:segmentpress/show {"segments":"power-user","stages":"stage:consideration"} -->'
			. '<!-- wp:segmentpress/show-match --><!-- wp:paragraph --><p>Advanced club</p><!-- /wp:paragraph --><!-- /wp:segmentpress/show-match -->'
			. '<!-- wp:segmentpress/show-else --><!-- wp:paragraph --><p>Start with the basics</p><!-- /wp:paragraph --><!-- /wp:segmentpress/show-else -->'
			. '<!-- /wp:segmentpress/show -->'
		);
		$this->assertMatchesRegularExpression( '#data-sp-show data-segments="power-user" data-stages="stage:consideration"><div class="segmentpress-show__match" hidden>\s*<p>Advanced club</p>\s*</div><div class="segmentpress-show__else">\s*<p>Start with the basics</p>\s*</div></div>#', $html );
		$this->assertStringContainsString( 'wp-block-segmentpress-show', $html );
	}

	public function test_blocks_are_registered_from_block_json_with_api_version_3() {
		foreach ( array( 'recommendations', 'show', 'show-match', 'show-else' ) as $name ) {
			$type = \WP_Block_Type_Registry::get_instance()->get_registered( 'segmentpress/' . $name );
			$this->assertNotNull( $type, $name );
			$this->assertSame( 3, $type->api_version, $name );
			$this->assertTrue( $type->is_dynamic(), $name . ' renders with render.php' );
		}
		$recs = \WP_Block_Type_Registry::get_instance()->get_registered( 'segmentpress/recommendations' );
		$this->assertSame( array( 'title', 'count', 'layout' ), array_slice( array_keys( $recs->attributes ), 0, 3 ) );
	}
}
