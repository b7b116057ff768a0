<?php
/**
 * The dashboard's charts: rendered as inline SVG with data marks, every label from the service
 * escaped, and each part surviving the others' failures.
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests;

use SegmentPress\Dashboard_Page;
use SegmentPress\Plugin;

require_once __DIR__ . '/Part2TestCase.php';

class DashboardTest extends Part2TestCase {

	public function insights( $method, $path ) {
		$evil = self::PAYLOAD;
		if ( 0 === strpos( $path, '/v1/insights/segments' ) ) {
			return array( 200, array( 'segments' => array(
				array( 'key' => 'vip', 'days' => array( array( 'date' => '2026-11-27', 'size' => 2 ), array( 'date' => '2026-11-28', 'size' => 4 ), array( 'date' => '2026-11-29', 'size' => 5 ) ) ),
				array( 'key' => 'evil', 'days' => array( array( 'date' => '2026-11-27', 'size' => 1 ), array( 'date' => '2026-11-28', 'size' => 1 ), array( 'date' => '2026-11-29', 'size' => 3 ) ) ),
			) ) );
		}
		if ( 0 === strpos( $path, '/v1/insights/journey' ) ) {
			return array( 200, array( 'moves' => array( array( 'from' => null, 'to' => 'stage:awareness', 'visitors' => 9 ), array( 'from' => 'stage:awareness', 'to' => 'stage:decision', 'visitors' => 2 ) ) ) );
		}
		if ( 0 === strpos( $path, '/v1/insights/recommendations' ) ) {
			return array( 200, array(
				'variants' => array( array( 'variant' => 'ranked', 'served' => 10, 'impressions' => 8, 'clicks' => 2, 'ctr' => 0.25 ), array( 'variant' => 'control', 'served' => 5, 'impressions' => 4, 'clicks' => 0, 'ctr' => 0 ) ),
				'segments' => array( array( 'segment' => 'evil', 'variant' => 'ranked', 'served' => 3, 'impressions' => 3, 'clicks' => 1, 'ctr' => 0.3333 ) ),
			) );
		}
		if ( '/v1/insights/briefs' === $path ) {
			return array( 500, array( 'title' => 'Internal Server Error', 'status' => 500, 'detail' => $evil ) );
		}
		if ( '/v1/segments' === $path ) {
			return array( 200, array(
				array( 'key' => 'vip', 'name' => 'VIPs', 'family' => 'purchase', 'size' => 5 ),
				array( 'key' => 'evil', 'name' => 'Evil ' . $evil, 'family' => 'custom', 'size' => 3 ),
				array( 'key' => 'stage:awareness', 'name' => 'Awareness', 'family' => 'stage', 'size' => 7 ),
				array( 'key' => 'stage:decision', 'name' => 'Decision', 'family' => 'stage', 'size' => 2 ),
			) );
		}
		if ( preg_match( '#^/v1/segments/([^/]+)/recommendations#', $path ) ) {
			return array( 200, array( 'items' => array( array( 'contentId' => 4, 'title' => 'Post ' . $evil, 'url' => 'http://example.test/?p=4', 'score' => 0.5 ) ) ) );
		}
		return array( 404, array( 'status' => 404 ) );
	}

	public function test_the_dashboard_draws_every_chart_with_data_and_escapes_the_service() {
		$this->fake_service( array( $this, 'insights' ) );
		wp_set_current_user( self::admin_id() );
		ob_start();
		Plugin::dashboard()->render();
		$html = ob_get_clean();

		$doc = new \DOMDocument();
		libxml_use_internal_errors( true );
		$doc->loadHTML( '<?xml encoding="utf-8"?>' . $html );
		$xpath = new \DOMXPath( $doc );
		foreach ( array( 'sizes' => 2, 'funnel' => 5, 'flow' => 2, 'ctr' => 3, 'top-vip' => 1, 'top-evil' => 1 ) as $chart => $marks ) {
			$this->assertSame( $marks, $xpath->query( "//svg[@data-chart='$chart']//*[contains(@class,'sp-datum')]" )->length, $chart );
		}
		$ctr = $xpath->query( "//svg[@data-chart='ctr']//rect[@data-series='ranked']" );
		$this->assertSame( '25', $ctr->item( 0 )->getAttribute( 'data-value' ), 'all visitors, ranked: 25 %' );
		$this->assertStringContainsString( 'Not available right now: HTTP 500', $html, 'the briefs part fails alone' );
		$this->assert_escaped( $html );
	}

	public function test_insights_are_cached_and_refresh_drops_the_cache() {
		$this->fake_service( array( $this, 'insights' ) );
		Plugin::dashboard()->data();
		$calls = count( $this->requests );
		Plugin::dashboard()->data();
		$this->assertSame( $calls, count( $this->requests ), 'second view from the transient' );
		$this->assertNotFalse( get_transient( Dashboard_Page::CACHE ) );
	}

	public function test_the_dashboard_widget_shows_sizes_and_ctr() {
		$this->fake_service( array( $this, 'insights' ) );
		wp_set_current_user( self::admin_id() );
		ob_start();
		Plugin::dashboard()->render_widget();
		$html = ob_get_clean();
		$this->assertStringContainsString( 'data-chart="sizes"', $html );
		$this->assertStringContainsString( 'data-chart="ctr"', $html );
		$this->assert_escaped( $html );
	}
}
