<?php
/**
 * Server-side events: WooCommerce orders and cart, sign-up, sign-in, comments.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Every event goes into the durable queue and is sent by WP-Cron, so a checkout or a
 * login never waits on the service.
 */
class Server_Events {

	const ORDER_AID_META = '_segmentpress_aid';

	/**
	 * Settings.
	 *
	 * @var Settings
	 */
	private $settings;

	/**
	 * Queue.
	 *
	 * @var Queue
	 */
	private $queue;

	/**
	 * Constructor.
	 *
	 * @param Settings $settings Settings.
	 * @param Queue    $queue    Queue.
	 */
	public function __construct( Settings $settings, Queue $queue ) {
		$this->settings = $settings;
		$this->queue    = $queue;
	}

	/**
	 * Hooks (the WooCommerce ones simply never fire without WooCommerce).
	 */
	public function register() {
		add_action( 'woocommerce_checkout_create_order', array( $this, 'remember_browser' ), 10, 1 );
		add_action( 'woocommerce_order_status_completed', array( $this, 'order_completed' ), 10, 2 );
		add_action( 'woocommerce_order_refunded', array( $this, 'order_refunded' ), 10, 2 );
		add_action( 'woocommerce_add_to_cart', array( $this, 'product_added' ), 10, 4 );
		add_action( 'woocommerce_before_checkout_form', array( $this, 'checkout_started' ), 10, 0 );
		add_action( 'user_register', array( $this, 'signed_up' ), 10, 1 );
		add_action( 'wp_login', array( $this, 'signed_in' ), 10, 2 );
		add_action( 'comment_post', array( $this, 'comment_posted' ), 10, 3 );
	}

	/**
	 * Public API behind segmentpress_track().
	 *
	 * @param string   $event      Event name.
	 * @param array    $properties Properties.
	 * @param int|null $user_id    WordPress user id, or null for the current user.
	 * @return string|false messageId or false.
	 */
	public function track( $event, array $properties = array(), $user_id = null ) {
		$event = trim( $event );
		if ( '' === $event ) {
			return false;
		}
		$user_id = null === $user_id ? get_current_user_id() : (int) $user_id;
		$ids     = $this->ids( $user_id, Consent::anonymous_id_from_cookie() );
		if ( ! $ids ) {
			return false;
		}
		return $this->queue->enqueue_event(
			array_merge(
				$ids,
				array(
					'type'       => 'track',
					'event'      => $event,
					'properties' => (object) $properties,
				)
			),
			$user_id
		);
	}

	/**
	 * At checkout (in the buyer's own request) stores the browser's anonymous id on the
	 * order, because "completed" often fires later in an admin's or a payment webhook's request.
	 *
	 * @param object $order WC_Order being created.
	 */
	public function remember_browser( $order ) {
		$aid = Consent::anonymous_id_from_cookie();
		if ( '' !== $aid && is_object( $order ) && method_exists( $order, 'update_meta_data' ) && Consent::request_allows_tracking( $this->settings ) ) {
			$order->update_meta_data( self::ORDER_AID_META, $aid );
		}
	}

	/**
	 * Order Completed.
	 *
	 * @param int         $order_id Order id.
	 * @param object|null $order    WC_Order.
	 */
	public function order_completed( $order_id, $order = null ) {
		$order = $this->order( $order_id, $order );
		if ( ! $order ) {
			return;
		}
		$products = array();
		foreach ( (array) $order->get_items() as $item ) {
			$quantity   = max( 1, (int) $item->get_quantity() );
			$product_id = (int) $item->get_product_id();
			$products[] = array(
				'product_id' => (string) $product_id,
				'price'      => round( (float) $item->get_total() / $quantity, 2 ),
				'quantity'   => $quantity,
				'category'   => self::product_category( $product_id ),
			);
		}
		$discount = (float) $order->get_discount_total();
		$event    = array(
			'type'       => 'track',
			'event'      => 'Order Completed',
			// One order is one "Order Completed", however often its status flips back to completed.
			'messageId'  => 'wc-order-completed-' . (int) $order->get_id(),
			'properties' => array(
				'order_id' => (string) $order->get_id(),
				'total'    => (float) $order->get_total(),
				'revenue'  => round( (float) $order->get_subtotal() - $discount, 2 ),
				'discount' => $discount,
				'coupon'   => implode( ',', (array) $order->get_coupon_codes() ),
				'currency' => (string) $order->get_currency(),
				'products' => $products,
			),
		);
		$this->enqueue_order_event( $order, $event );
	}

	/**
	 * Order Refunded when an order has been refunded in full; a partial refund is sent as
	 * "Order Partially Refunded" so it never cancels the order in the segments.
	 *
	 * @param int $order_id  Order id.
	 * @param int $refund_id Refund id.
	 */
	public function order_refunded( $order_id, $refund_id = 0 ) {
		$order = $this->order( $order_id, null );
		if ( ! $order ) {
			return;
		}
		$total    = (float) $order->get_total();
		$refunded = (float) $order->get_total_refunded();
		$full     = $refunded >= $total - 0.005;
		$event    = array(
			'type'       => 'track',
			'event'      => $full ? 'Order Refunded' : 'Order Partially Refunded',
			'messageId'  => 'wc-order-refund-' . (int) $order->get_id() . '-' . (int) $refund_id,
			'properties' => array(
				'order_id' => (string) $order->get_id(),
				'total'    => $full ? $total : $refunded,
				'currency' => (string) $order->get_currency(),
			),
		);
		$this->enqueue_order_event( $order, $event );
	}

	/**
	 * Product Added (WooCommerce add to cart, in the shopper's request).
	 *
	 * @param string $cart_item_key Cart item key.
	 * @param int    $product_id    Product id.
	 * @param int    $quantity      Quantity.
	 * @param int    $variation_id  Variation id.
	 */
	public function product_added( $cart_item_key, $product_id, $quantity = 1, $variation_id = 0 ) {
		$price = get_post_meta( $variation_id ? $variation_id : $product_id, '_price', true );
		$this->visitor_event(
			'Product Added',
			array(
				'product_id' => (string) (int) $product_id,
				'price'      => is_numeric( $price ) ? (float) $price : null,
				'quantity'   => (int) $quantity,
				'category'   => self::product_category( (int) $product_id ),
			)
		);
	}

	/**
	 * Checkout Started (the classic checkout form is shown).
	 */
	public function checkout_started() {
		$properties = array();
		if ( function_exists( 'WC' ) && WC() && isset( WC()->cart ) && WC()->cart ) {
			$products = array();
			foreach ( (array) WC()->cart->get_cart() as $line ) {
				$products[] = array(
					'product_id' => (string) (int) ( $line['product_id'] ?? 0 ),
					'quantity'   => (int) ( $line['quantity'] ?? 1 ),
					'category'   => self::product_category( (int) ( $line['product_id'] ?? 0 ) ),
				);
			}
			$properties['value']    = (float) WC()->cart->get_total( 'edit' );
			$properties['currency'] = function_exists( 'get_woocommerce_currency' ) ? get_woocommerce_currency() : '';
			$properties['products'] = $products;
		}
		$this->visitor_event( 'Checkout Started', $properties );
	}

	/**
	 * Signed Up.
	 *
	 * @param int $user_id New user's id.
	 */
	public function signed_up( $user_id ) {
		// An account made by an admin in wp-admin is not the admin's browser signing up.
		$own = ! is_user_logged_in() || get_current_user_id() === (int) $user_id;
		if ( $own && ! Consent::request_allows_tracking( $this->settings ) ) {
			return;
		}
		$ids = $this->ids( (int) $user_id, $own ? Consent::anonymous_id_from_cookie() : '' );
		$this->queue->enqueue_event(
			array_merge(
				$ids,
				array(
					'type'       => 'track',
					'event'      => 'Signed Up',
					'properties' => (object) array(),
				)
			),
			(int) $user_id
		);
	}

	/**
	 * Signed In: an identify call that links the browser's anonymous id to the user, then
	 * the Signed In event.
	 *
	 * @param string   $user_login Login name.
	 * @param \WP_User $user       User.
	 */
	public function signed_in( $user_login, $user ) {
		if ( ! $user instanceof \WP_User || ! Consent::request_allows_tracking( $this->settings ) ) {
			return;
		}
		$ids = $this->ids( $user->ID, Consent::anonymous_id_from_cookie() );
		/**
		 * Filters the traits sent with the identify call at sign-in.
		 *
		 * @param array    $traits Traits.
		 * @param \WP_User $user   User.
		 */
		$traits = apply_filters(
			'segmentpress_identify_traits',
			array(
				'name'      => $user->display_name,
				'email'     => $user->user_email,
				'createdAt' => gmdate( 'Y-m-d\TH:i:s\Z', strtotime( $user->user_registered . ' UTC' ) ),
			),
			$user
		);
		$this->queue->enqueue_event(
			array_merge(
				$ids,
				array(
					'type'   => 'identify',
					'traits' => (object) $traits,
				)
			),
			$user->ID
		);
		$this->queue->enqueue_event(
			array_merge(
				$ids,
				array(
					'type'       => 'track',
					'event'      => 'Signed In',
					'properties' => (object) array(),
				)
			),
			$user->ID
		);
	}

	/**
	 * Comment Posted (not for spam).
	 *
	 * @param int        $comment_id  Comment id.
	 * @param int|string $approved    1, 0 or 'spam'.
	 * @param array      $commentdata Comment data.
	 */
	public function comment_posted( $comment_id, $approved = 0, $commentdata = array() ) {
		if ( 'spam' === $approved || 'trash' === $approved ) {
			return;
		}
		$post_id = isset( $commentdata['comment_post_ID'] ) ? (int) $commentdata['comment_post_ID'] : (int) get_comment( $comment_id )->comment_post_ID;
		$user_id = isset( $commentdata['user_id'] ) ? (int) $commentdata['user_id'] : get_current_user_id();
		$this->visitor_event( 'Comment Posted', array( 'post_id' => $post_id ), $user_id );
	}

	/**
	 * Queues an event caused by the visitor of this request, if the consent mode allows it.
	 *
	 * @param string   $name       Event name.
	 * @param array    $properties Properties.
	 * @param int|null $user_id    User id (default: current user).
	 */
	private function visitor_event( $name, array $properties, $user_id = null ) {
		if ( ! Consent::request_allows_tracking( $this->settings ) ) {
			return;
		}
		$user_id = null === $user_id ? get_current_user_id() : (int) $user_id;
		$ids     = $this->ids( $user_id, Consent::anonymous_id_from_cookie() );
		if ( ! $ids ) {
			return; // Neither logged in nor seen by the tracker: nobody to attach it to.
		}
		$this->queue->enqueue_event(
			array_merge(
				$ids,
				array(
					'type'       => 'track',
					'event'      => $name,
					'properties' => (object) array_filter(
						$properties,
						static function ( $value ) {
							return null !== $value;
						}
					),
				)
			),
			$user_id
		);
	}

	/**
	 * Queues an order event with the customer's ids: the WordPress user, the browser that
	 * checked out, or for a guest without either a stable pseudonymous id from the e-mail.
	 *
	 * @param object $order WC_Order.
	 * @param array  $event Event.
	 */
	private function enqueue_order_event( $order, array $event ) {
		$user_id = (int) $order->get_customer_id();
		$aid     = (string) $order->get_meta( self::ORDER_AID_META );
		if ( '' === $aid && ! $user_id ) {
			$aid = self::guest_id( (string) $order->get_billing_email() );
		}
		$ids = $this->ids( $user_id, $aid );
		if ( ! $ids ) {
			$ids = array( 'anonymousId' => 'wc-order-' . (int) $order->get_id() );
		}
		$this->queue->enqueue_event( array_merge( $ids, $event ), $user_id );
	}

	/**
	 * A stable pseudonymous id for a guest customer: a keyed hash of the e-mail address,
	 * so the address itself is never sent.
	 *
	 * @param string $email E-mail address.
	 * @return string Empty when there is no address.
	 */
	public static function guest_id( $email ) {
		$email = strtolower( trim( $email ) );
		return '' === $email ? '' : 'wc-guest-' . substr( hash_hmac( 'sha256', $email, wp_salt( 'auth' ) ), 0, 32 );
	}

	/**
	 * The Segment id fields for a user and/or anonymous id.
	 *
	 * @param int    $user_id User id (0 for none).
	 * @param string $aid     Anonymous id ('' for none).
	 * @return array
	 */
	private function ids( $user_id, $aid ) {
		$ids = array();
		if ( $user_id > 0 ) {
			$ids['userId'] = (string) $user_id;
		}
		if ( '' !== $aid ) {
			$ids['anonymousId'] = $aid;
		}
		return $ids;
	}

	/**
	 * The order object from the hook's arguments or WooCommerce.
	 *
	 * @param int         $order_id Order id.
	 * @param object|null $order    Order passed by the hook.
	 * @return object|null
	 */
	private function order( $order_id, $order ) {
		if ( ! is_object( $order ) && function_exists( 'wc_get_order' ) ) {
			$order = wc_get_order( $order_id );
		}
		return is_object( $order ) ? $order : null;
	}

	/**
	 * Slug of a product's first category, or ''.
	 *
	 * @param int $product_id Product id.
	 * @return string
	 */
	private static function product_category( $product_id ) {
		$terms = Content_Sync::terms( $product_id, 'product_cat' );
		return $terms ? $terms[0]['slug'] : '';
	}
}
