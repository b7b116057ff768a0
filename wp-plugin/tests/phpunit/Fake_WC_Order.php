<?php
/**
 * Minimal stand-ins for WooCommerce's order objects (WooCommerce itself cannot be installed
 * in the test environment). They implement exactly the WC_Order / WC_Order_Item_Product
 * methods the plugin calls, with WooCommerce's signatures and return types.
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests {

/**
 * WC_Order_Item_Product: get_product_id(), get_quantity(), get_total().
 */
class Fake_WC_Order_Item {
	private $product_id;
	private $quantity;
	private $total;

	public function __construct( $product_id, $quantity, $total ) {
		$this->product_id = $product_id;
		$this->quantity   = $quantity;
		$this->total      = $total;
	}

	public function get_product_id() {
		return $this->product_id;
	}

	public function get_quantity() {
		return $this->quantity;
	}

	/** Line total after discounts, as a string like WooCommerce's. */
	public function get_total() {
		return (string) $this->total;
	}
}

/**
 * WC_Order: the getters the plugin reads plus get_meta()/update_meta_data().
 */
class Fake_WC_Order {
	public $data;
	private $meta = array();

	public function __construct( array $data ) {
		$this->data = array_merge(
			array(
				'id'             => 0,
				'customer_id'    => 0,
				'billing_email'  => '',
				'total'          => '0.00',
				'subtotal'       => 0.0,
				'discount_total' => '0',
				'coupons'        => array(),
				'currency'       => 'USD',
				'items'          => array(),
				'total_refunded' => 0.0,
			),
			$data
		);
	}

	public function get_id() {
		return $this->data['id'];
	}

	public function get_customer_id() {
		return $this->data['customer_id'];
	}

	public function get_billing_email() {
		return $this->data['billing_email'];
	}

	public function get_total() {
		return (string) $this->data['total'];
	}

	public function get_subtotal() {
		return (float) $this->data['subtotal'];
	}

	public function get_discount_total() {
		return (string) $this->data['discount_total'];
	}

	public function get_coupon_codes() {
		return $this->data['coupons'];
	}

	public function get_currency() {
		return $this->data['currency'];
	}

	public function get_items( $types = 'line_item' ) {
		return $this->data['items'];
	}

	public function get_total_refunded() {
		return (float) $this->data['total_refunded'];
	}

	public function get_meta( $key = '', $single = true ) {
		return isset( $this->meta[ $key ] ) ? $this->meta[ $key ] : '';
	}

	public function update_meta_data( $key, $value ) {
		$this->meta[ $key ] = $value;
	}
}

/**
 * Orders by id, for wc_get_order() below.
 */
class Fake_WC_Store {
	public static $orders = array();
}

}

namespace {
if ( ! function_exists( 'wc_get_order' ) ) {
	/**
	 * WooCommerce's order lookup, answering from Fake_WC_Store.
	 *
	 * @param int $order_id Order id.
	 * @return \SegmentPress\Tests\Fake_WC_Order|false
	 */
	function wc_get_order( $order_id ) {
		return isset( \SegmentPress\Tests\Fake_WC_Store::$orders[ $order_id ] ) ? \SegmentPress\Tests\Fake_WC_Store::$orders[ $order_id ] : false;
	}
}
}
