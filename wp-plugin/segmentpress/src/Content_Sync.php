<?php
/**
 * Keeps the service's content catalog in step with what is published.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Publishing or updating a post queues a PUT; unpublishing, trashing or deleting it
 * queues a DELETE. Nothing is sent while the editor waits: the queue is flushed by WP-Cron.
 */
class Content_Sync {

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
	 * Hooks.
	 */
	public function register() {
		// wp_after_insert_post runs once terms and meta are saved (also for the block editor).
		add_action( 'wp_after_insert_post', array( $this, 'on_save' ), 10, 4 );
		add_action( 'transition_post_status', array( $this, 'on_transition' ), 10, 3 );
		add_action( 'before_delete_post', array( $this, 'on_delete' ), 10, 1 );
		// WooCommerce changes stock and prices outside the editor.
		add_action( 'woocommerce_update_product', array( $this, 'on_product_update' ), 10, 1 );
	}

	/**
	 * Whether a post belongs in the catalog sync at all.
	 *
	 * @param \WP_Post $post Post.
	 * @return bool
	 */
	public function is_synced_type( $post ) {
		return $post instanceof \WP_Post && in_array( $post->post_type, $this->settings->post_types(), true );
	}

	/**
	 * After a post is saved: published posts are (re)sent.
	 *
	 * @param int           $post_id Post id.
	 * @param \WP_Post      $post    Post.
	 * @param bool          $update  Whether this is an update.
	 * @param \WP_Post|null $before  Post before the update.
	 */
	public function on_save( $post_id, $post, $update = false, $before = null ) {
		if ( wp_is_post_revision( $post_id ) || wp_is_post_autosave( $post_id ) || ! $this->is_synced_type( $post ) ) {
			return;
		}
		if ( 'publish' === $post->post_status ) {
			$this->queue->enqueue_content( $post_id, $this->item( $post ) );
		}
	}

	/**
	 * A post leaving "publish" (draft, private, pending, trash) leaves the catalog.
	 *
	 * @param string   $new_status New status.
	 * @param string   $old_status Old status.
	 * @param \WP_Post $post       Post.
	 */
	public function on_transition( $new_status, $old_status, $post ) {
		if ( 'publish' === $old_status && 'publish' !== $new_status && $this->is_synced_type( $post ) ) {
			$this->queue->enqueue_content( $post->ID, null );
		}
	}

	/**
	 * A deleted post leaves the catalog.
	 *
	 * @param int $post_id Post id.
	 */
	public function on_delete( $post_id ) {
		$post = get_post( $post_id );
		if ( $post && $this->is_synced_type( $post ) && ! wp_is_post_revision( $post_id ) ) {
			$this->queue->enqueue_content( $post_id, null );
		}
	}

	/**
	 * A WooCommerce product saved through its CRUD API (price, stock, sale changes).
	 *
	 * @param int $product_id Product id.
	 */
	public function on_product_update( $product_id ) {
		$post = get_post( $product_id );
		if ( $post && 'publish' === $post->post_status && $this->is_synced_type( $post ) ) {
			$this->queue->enqueue_content( $post->ID, $this->item( $post ) );
		}
	}

	/**
	 * The catalog fields of a post, as `PUT /v1/content/{id}` expects them.
	 *
	 * @param \WP_Post $post Post.
	 * @return array
	 */
	public function item( $post ) {
		$is_product = 'product' === $post->post_type;
		$taxonomies = self::taxonomies( $post );
		$text       = wp_strip_all_tags( strip_shortcodes( $post->post_content ) );
		$excerpt    = '' !== trim( $post->post_excerpt ) ? wp_strip_all_tags( $post->post_excerpt ) : wp_trim_words( $text, 55, '…' );

		$item = array(
			'title'       => html_entity_decode( get_the_title( $post ), ENT_QUOTES, 'UTF-8' ),
			'url'         => (string) get_permalink( $post ),
			'type'        => in_array( $post->post_type, array( 'post', 'page', 'product' ), true ) ? $post->post_type : 'post',
			'status'      => $post->post_status,
			'publishedAt' => self::iso( $post->post_date_gmt ),
			'modifiedAt'  => self::iso( $post->post_modified_gmt ),
			'categories'  => self::terms( $post, $taxonomies['categories'] ),
			'tags'        => self::terms( $post, $taxonomies['tags'] ),
			'excerpt'     => mb_substr( trim( $excerpt ), 0, 1000 ),
			'wordCount'   => self::word_count( $text ),
		);

		if ( $is_product ) {
			$price   = get_post_meta( $post->ID, '_price', true );
			$regular = get_post_meta( $post->ID, '_regular_price', true );
			$sale    = get_post_meta( $post->ID, '_sale_price', true );
			if ( '' !== $price && is_numeric( $price ) ) {
				$item['price'] = (float) $price;
			}
			$item['onSale'] = is_numeric( $sale ) && is_numeric( $regular ) && (float) $sale < (float) $regular;
		}

		$stage = get_post_meta( $post->ID, '_segmentpress_journey_stage', true );
		if ( in_array( $stage, array( 'awareness', 'consideration', 'decision', 'retention', 'advocacy' ), true ) ) {
			$item['journeyStage'] = $stage;
		}

		/**
		 * Filters the catalog fields sent for a post.
		 *
		 * @param array    $item Fields.
		 * @param \WP_Post $post Post.
		 */
		return apply_filters( 'segmentpress_content_item', $item, $post );
	}

	/**
	 * A GMT MySQL datetime as ISO-8601, or null for "not set".
	 *
	 * @param string $gmt GMT datetime.
	 * @return string|null
	 */
	private static function iso( $gmt ) {
		if ( empty( $gmt ) || '0000-00-00 00:00:00' === $gmt ) {
			return null;
		}
		return gmdate( 'Y-m-d\TH:i:s\Z', strtotime( $gmt . ' UTC' ) );
	}

	/**
	 * Which taxonomies hold a post's categories and tags (WooCommerce products have their own).
	 *
	 * @param \WP_Post $post Post.
	 * @return array{categories:string, tags:string}
	 */
	public static function taxonomies( $post ) {
		$is_product = 'product' === $post->post_type;
		return array(
			'categories' => $is_product ? 'product_cat' : 'category',
			'tags'       => $is_product ? 'product_tag' : 'post_tag',
		);
	}

	/**
	 * Terms of a taxonomy as [{slug, name}].
	 *
	 * @param \WP_Post|int $post     Post.
	 * @param string       $taxonomy Taxonomy.
	 * @return array
	 */
	public static function terms( $post, $taxonomy ) {
		if ( ! taxonomy_exists( $taxonomy ) ) {
			return array();
		}
		$terms = get_the_terms( $post, $taxonomy );
		if ( ! is_array( $terms ) ) {
			return array();
		}
		$out = array();
		foreach ( $terms as $term ) {
			$out[] = array(
				'slug' => $term->slug,
				'name' => html_entity_decode( $term->name, ENT_QUOTES, 'UTF-8' ),
			);
		}
		return $out;
	}

	/**
	 * Words in plain text; counts letters of any script, not only ASCII.
	 *
	 * @param string $text Text.
	 * @return int
	 */
	private static function word_count( $text ) {
		return (int) preg_match_all( '/[\p{L}\p{N}][\p{L}\p{N}\'’-]*/u', $text );
	}
}
