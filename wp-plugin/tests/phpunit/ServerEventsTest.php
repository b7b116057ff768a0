<?php
/**
 * Server-side events fired through the real WordPress and WooCommerce action names.
 * WooCommerce cannot be installed here, so orders are Fake_WC_Order objects that
 * implement the WC_Order methods the plugin calls.
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests;

use SegmentPress\Plugin;
use SegmentPress\Server_Events;

class ServerEventsTest extends TestCase {

	/**
	 * A two-line order.
	 *
	 * @param array $data Overrides.
	 * @return Fake_WC_Order
	 */
	private function order( array $data = array() ) {
		$id    = wp_rand( 100000, 999999 );
		$order = new Fake_WC_Order(
			array_merge(
				array(
					'id'             => $id,
					'total'          => '107.50',
					'subtotal'       => 110.0,
					'discount_total' => '10',
					'coupons'        => array( 'WINTER10' ),
					'currency'       => 'EUR',
					'items'          => array(
						new Fake_WC_Order_Item( 501, 2, '60.00' ),
						new Fake_WC_Order_Item( 502, 1, '40.00' ),
					),
				),
				$data
			)
		);
		Fake_WC_Store::$orders[ $id ] = $order;
		return $order;
	}

	public function test_order_completed_is_queued_with_the_ecommerce_properties_and_reaches_the_service() {
		$user_id = self::make_user();
		$order   = $this->order( array( 'customer_id' => $user_id ) );
		do_action( 'woocommerce_order_status_completed', $order->get_id(), $order );
		do_action( 'woocommerce_order_status_completed', $order->get_id(), $order ); // Status flipped back: still one order.

		$events = $this->queued_events();
		$this->assertCount( 1, $events );
		$event = $events[0];
		$this->assertSame( 'Order Completed', $event['event'] );
		$this->assertSame( (string) $user_id, $event['userId'] );
		$this->assertSame( (string) $order->get_id(), $event['properties']['order_id'] );
		$this->assertEquals( 107.5, $event['properties']['total'] );
		$this->assertEquals( 100.0, $event['properties']['revenue'] );
		$this->assertEquals( 10.0, $event['properties']['discount'] );
		$this->assertSame( 'WINTER10', $event['properties']['coupon'] );
		$this->assertSame( 'EUR', $event['properties']['currency'] );
		$this->assertEquals(
			array(
				'product_id' => '501',
				'price'      => 30.0,
				'quantity'   => 2,
				'category'   => '',
			),
			$event['properties']['products'][0]
		);

		$this->deliver_queue();
		$this->requires_visitor_api();
		self::assert_in_export( 'userId', (string) $user_id, array( 'wc-order-completed-' . $order->get_id() ) );
	}

	public function test_a_guest_order_is_linked_to_the_browser_that_checked_out() {
		$aid               = wp_generate_uuid4();
		$_COOKIE['sp_aid'] = $aid;
		$order             = $this->order();
		do_action( 'woocommerce_checkout_create_order', $order, array() );

		// Completed later by the shop manager: their browser's cookie must not be used.
		$_COOKIE['sp_aid'] = wp_generate_uuid4();
		do_action( 'woocommerce_order_status_completed', $order->get_id(), $order );
		$event = $this->queued_events()[0];
		$this->assertSame( $aid, $event['anonymousId'] );
		$this->assertArrayNotHasKey( 'userId', $event );
	}

	public function test_a_guest_order_without_a_browser_id_uses_a_pseudonymous_id_not_the_email() {
		$order = $this->order( array( 'billing_email' => 'Guest@Example.test' ) );
		do_action( 'woocommerce_order_status_completed', $order->get_id(), $order );
		$event = $this->queued_events()[0];
		$this->assertSame( Server_Events::guest_id( 'guest@example.test' ), $event['anonymousId'] );
		$this->assertStringNotContainsString( 'example.test', wp_json_encode( $event ) );
	}

	public function test_full_and_partial_refunds() {
		$user_id = self::make_user();
		$full    = $this->order(
			array(
				'customer_id'    => $user_id,
				'total_refunded' => 107.5,
			)
		);
		$partial = $this->order(
			array(
				'customer_id'    => $user_id,
				'total_refunded' => 20.0,
			)
		);
		do_action( 'woocommerce_order_refunded', $full->get_id(), 71 );
		do_action( 'woocommerce_order_refunded', $partial->get_id(), 72 );

		$events = $this->queued_events();
		$this->assertSame( 'Order Refunded', $events[0]['event'] );
		$this->assertEquals(
			array(
				'order_id' => (string) $full->get_id(),
				'total'    => 107.5,
				'currency' => 'EUR',
			),
			$events[0]['properties']
		);
		$this->assertSame( 'Order Partially Refunded', $events[1]['event'] );
		$this->assertEquals( 20.0, $events[1]['properties']['total'] );

		$this->deliver_queue();
	}

	public function test_add_to_cart_and_checkout_started_come_from_the_shoppers_browser() {
		$aid               = wp_generate_uuid4();
		$_COOKIE['sp_aid'] = $aid;
		update_post_meta( 501, '_price', '30' );
		do_action( 'woocommerce_add_to_cart', 'cartkey', 501, 2, 0, array(), array() );
		do_action( 'woocommerce_before_checkout_form', null );

		$events = $this->queued_events();
		$this->assertSame( 'Product Added', $events[0]['event'] );
		$this->assertSame( $aid, $events[0]['anonymousId'] );
		$this->assertSame( '501', $events[0]['properties']['product_id'] );
		$this->assertSame( 2, $events[0]['properties']['quantity'] );
		$this->assertSame( 'Checkout Started', $events[1]['event'] );

		$this->deliver_queue();
		$this->requires_visitor_api();
		self::assert_in_export( 'anonymousId', $aid, wp_list_pluck( $events, 'messageId' ) );
	}

	public function test_sign_up_and_sign_in_link_the_browser_to_the_user() {
		$aid               = wp_generate_uuid4();
		$_COOKIE['sp_aid'] = $aid;
		$user_id           = self::make_user( 'customer', true ); // Fires user_register.
		$user              = get_user_by( 'id', $user_id );
		do_action( 'wp_login', $user->user_login, $user );

		$events = $this->queued_events();
		$this->assertSame( array( 'Signed Up', null, 'Signed In' ), array_map( static function ( $e ) { return $e['event'] ?? null; }, $events ) );
		$this->assertSame( 'identify', $events[1]['type'] );
		$this->assertSame( (string) $user_id, $events[1]['userId'] );
		$this->assertSame( $aid, $events[1]['anonymousId'] );
		$this->assertSame( $user->user_email, $events[1]['traits']['email'] );

		$this->deliver_queue();
		$this->requires_visitor_api();
		$by_user = self::visitor_ids( 'userId', (string) $user_id );
		$this->assertCount( 1, $by_user );
		$this->assertSame( $by_user, self::visitor_ids( 'anonymousId', $aid ), 'one merged visitor' );
	}

	public function test_an_account_created_by_an_admin_is_not_linked_to_the_admins_browser() {
		wp_set_current_user( self::admin_id() );
		$_COOKIE['sp_aid'] = wp_generate_uuid4();
		$user_id           = self::make_user( 'customer', true );
		$event             = $this->queued_events()[0];
		$this->assertSame( 'Signed Up', $event['event'] );
		$this->assertSame( (string) $user_id, $event['userId'] );
		$this->assertArrayNotHasKey( 'anonymousId', $event );
	}

	public function test_comment_posted() {
		$user_id = self::make_user();
		$post_id = (int) self::$env['e2ePosts'][0];
		wp_set_current_user( $user_id );
		wp_new_comment(
			array(
				'comment_post_ID'      => $post_id,
				'comment_content'      => 'Lovely stew ' . wp_generate_uuid4(),
				'user_id'              => $user_id,
				'comment_author'       => 'Reader',
				'comment_author_email' => 'reader@example.test',
				'comment_author_url'   => '',
				'comment_type'         => 'comment',
			)
		);
		$event = $this->queued_events()[0];
		$this->assertSame( 'Comment Posted', $event['event'] );
		$this->assertSame( $post_id, $event['properties']['post_id'] );
		$this->deliver_queue();
	}

	public function test_segmentpress_track_for_themes_and_other_plugins() {
		$user_id    = self::make_user();
		$message_id = segmentpress_track( 'Product Reviewed', array( 'post_id' => 42 ), $user_id );
		$this->assertIsString( $message_id );
		$queued = $this->deliver_queue();
		$this->assertSame( $message_id, $queued[0]['messageId'] );
		$this->assertSame( 'Product Reviewed', $queued[0]['event'] );
	}

	public function test_checkout_login_and_orders_never_wait_on_the_service() {
		$requests = 0;
		add_filter(
			'pre_http_request',
			static function ( $pre ) use ( &$requests ) {
				$requests++;
				return $pre;
			}
		);
		$_COOKIE['sp_aid'] = wp_generate_uuid4();
		$user              = get_user_by( 'id', self::make_user() );
		$order             = $this->order( array( 'customer_id' => $user->ID ) );
		$started           = microtime( true );
		do_action( 'woocommerce_add_to_cart', 'cartkey', 501, 1, 0, array(), array() );
		do_action( 'woocommerce_before_checkout_form', null );
		do_action( 'woocommerce_checkout_create_order', $order, array() );
		do_action( 'woocommerce_order_status_completed', $order->get_id(), $order );
		do_action( 'wp_login', $user->user_login, $user );
		$this->assertSame( 0, $requests, 'no HTTP request while the shopper waits' );
		$this->assertLessThan( 0.5, microtime( true ) - $started );
		$this->assertCount( 5, $this->queued_events() );
	}

	public function test_consent_mode_without_consent_sends_no_visitor_events_but_keeps_orders() {
		$this->connect( array( 'consent_mode' => 'consent' ) ); // No WP Consent API here: nobody consented.
		$_COOKIE['sp_aid'] = wp_generate_uuid4();
		do_action( 'woocommerce_add_to_cart', 'cartkey', 501, 1, 0, array(), array() );
		do_action( 'woocommerce_before_checkout_form', null );
		$this->assertCount( 0, $this->queue_rows() );

		$order = $this->order( array( 'customer_id' => self::admin_id() ) );
		do_action( 'woocommerce_checkout_create_order', $order, array() );
		$this->assertSame( '', $order->get_meta( Server_Events::ORDER_AID_META ), 'the browser is not linked without consent' );
		do_action( 'woocommerce_order_status_completed', $order->get_id(), $order );
		$this->assertCount( 1, $this->queue_rows(), 'the order itself is a business record' );
	}

	public function test_gpc_mode_honours_global_privacy_control_and_do_not_track() {
		$this->connect( array( 'consent_mode' => 'gpc' ) );
		$_COOKIE['sp_aid']       = wp_generate_uuid4();
		$_SERVER['HTTP_SEC_GPC'] = '1';
		do_action( 'woocommerce_add_to_cart', 'cartkey', 501, 1, 0, array(), array() );
		unset( $_SERVER['HTTP_SEC_GPC'] );
		$_SERVER['HTTP_DNT'] = '1';
		do_action( 'woocommerce_add_to_cart', 'cartkey', 501, 1, 0, array(), array() );
		$this->assertCount( 0, $this->queue_rows() );
		unset( $_SERVER['HTTP_DNT'] );
		do_action( 'woocommerce_add_to_cart', 'cartkey', 501, 1, 0, array(), array() );
		$this->assertCount( 1, $this->queue_rows() );
	}
}
