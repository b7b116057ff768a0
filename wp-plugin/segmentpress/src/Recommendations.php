<?php
/**
 * The recommendations list: one renderer behind the block, the shortcode and the classic widget.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Cache-safe by design: the server prints the same markup for every visitor (a non-personal
 * list for new readers, fetched from the service and kept in a transient for a few minutes),
 * and assets/personalize.js replaces it in the browser with the visitor's own list from
 * GET /v1/recommendations (write key). Full-page caches can therefore store the page.
 */
class Recommendations {

	const SHORTCODE = 'segmentpress_recommendations';

	/** What the server-side list shows: the recommendations for a new reader. */
	const FALLBACK_SEGMENT = 'stage:awareness';

	/** Seconds the non-personal list is kept; a failed fetch is retried sooner. */
	const FALLBACK_TTL       = 300;
	const FALLBACK_ERROR_TTL = 60;

	const MAX_COUNT = 20;

	/**
	 * Settings.
	 *
	 * @var Settings
	 */
	private $settings;

	/**
	 * Client.
	 *
	 * @var Client
	 */
	private $client;

	/**
	 * Constructor.
	 *
	 * @param Settings $settings Settings.
	 * @param Client   $client   Client.
	 */
	public function __construct( Settings $settings, Client $client ) {
		$this->settings = $settings;
		$this->client   = $client;
	}

	/**
	 * Hooks.
	 */
	public function register() {
		add_shortcode( self::SHORTCODE, array( $this, 'shortcode' ) );
		add_action( 'widgets_init', array( $this, 'register_widget' ) );
	}

	/**
	 * Registers the classic widget.
	 */
	public function register_widget() {
		register_widget( Recommendations_Widget::class );
	}

	/**
	 * [segmentpress_recommendations count="5" title="…" layout="list|grid"].
	 *
	 * @param array|string $atts Attributes.
	 * @return string
	 */
	public function shortcode( $atts ) {
		$atts = shortcode_atts(
			array(
				'count'  => 5,
				'title'  => '',
				'layout' => 'list',
			),
			$atts,
			self::SHORTCODE
		);
		return $this->render( $atts );
	}

	/**
	 * Normalizes title, count and layout from a block, shortcode or widget.
	 *
	 * @param array $args Raw arguments.
	 * @return array{title:string, count:int, layout:string}
	 */
	public static function normalize( array $args ) {
		$count = isset( $args['count'] ) ? (int) $args['count'] : 5;
		$title = isset( $args['title'] ) ? trim( wp_strip_all_tags( (string) $args['title'] ) ) : '';
		return array(
			'title'  => '' === $title ? __( 'Recommended for you', 'segmentpress' ) : $title,
			'count'  => max( 1, min( self::MAX_COUNT, $count ) ),
			'layout' => isset( $args['layout'] ) && 'grid' === $args['layout'] ? 'grid' : 'list',
		);
	}

	/**
	 * The markup every visitor gets. Nothing personal: the list is the same for everyone.
	 *
	 * @param array  $args       title, count, layout.
	 * @param string $attributes Extra wrapper attributes (already escaped, e.g. from get_block_wrapper_attributes()).
	 * @return string
	 */
	public function render( array $args, $attributes = '' ) {
		if ( ! $this->settings->is_connected() ) {
			return '';
		}
		$args    = self::normalize( $args );
		$context = is_singular() ? (int) get_queried_object_id() : 0;
		$items   = array_slice( $this->fallback_items( $args['count'] + 1, $context ), 0, $args['count'] );
		Personalize::enqueue();

		$html  = '<div ' . ( '' !== $attributes ? $attributes . ' ' : 'class="segmentpress-recs" ' )
			. 'data-sp-recs data-count="' . esc_attr( (string) $args['count'] ) . '" data-context="' . esc_attr( (string) $context ) . '"'
			. ' data-layout="' . esc_attr( $args['layout'] ) . '">';
		$html .= '<h2 class="segmentpress-recs__title">' . esc_html( $args['title'] ) . '</h2>';
		$html .= '<ol class="segmentpress-recs__items segmentpress-recs__items--' . esc_attr( $args['layout'] ) . '">';
		foreach ( $items as $item ) {
			$html .= self::item_html( $item );
		}
		$html .= '</ol></div>';
		return $html;
	}

	/**
	 * One list entry (the browser builds the same structure for the visitor's own list).
	 *
	 * @param array $item contentId, title, url.
	 * @return string
	 */
	public static function item_html( array $item ) {
		return '<li class="segmentpress-recs__item" data-content-id="' . esc_attr( (string) (int) $item['contentId'] ) . '">'
			. '<a class="segmentpress-recs__link" href="' . esc_url( $item['url'] ) . '">' . esc_html( $item['title'] ) . '</a></li>';
	}

	/**
	 * The non-personal list, without the current post, cached in a transient.
	 *
	 * @param int $count   How many.
	 * @param int $context Current post id (left out), or 0.
	 * @return array<int, array{contentId:int, title:string, url:string}>
	 */
	public function fallback_items( $count, $context ) {
		$key    = 'segmentpress_recs_' . $count;
		$cached = get_transient( $key );
		if ( ! is_array( $cached ) ) {
			$cached = $this->fetch_fallback( $count );
			set_transient( $key, $cached, $cached ? self::FALLBACK_TTL : self::FALLBACK_ERROR_TTL );
		}
		return array_values(
			array_filter(
				$cached,
				static function ( $item ) use ( $context ) {
					return (int) $item['contentId'] !== (int) $context;
				}
			)
		);
	}

	/**
	 * Asks the service for what a new reader should see. Short timeout: this runs while a page
	 * renders (once per few minutes, and the page cache usually stands in front).
	 *
	 * @param int $count How many.
	 * @return array
	 */
	private function fetch_fallback( $count ) {
		$response = $this->client->request(
			'GET',
			'/v1/segments/' . rawurlencode( self::FALLBACK_SEGMENT ) . '/recommendations?limit=' . (int) $count,
			null,
			array( 'timeout' => 2 )
		);
		if ( 200 !== $response['status'] ) {
			// A cold-start list for an id nobody has: popular and fresh content.
			$response = $this->client->request( 'GET', '/v1/recommendations?visitor=segmentpress-everyone&limit=' . (int) $count, null, array( 'timeout' => 2 ) );
		}
		return 200 === $response['status'] ? self::clean_items( $response['body'] ) : array();
	}

	/**
	 * Keeps only well-formed items: a positive id, a title and an http(s) URL.
	 *
	 * @param mixed $body Decoded service answer ({items:[…]}).
	 * @return array
	 */
	public static function clean_items( $body ) {
		$items = array();
		$list  = is_array( $body ) && isset( $body['items'] ) && is_array( $body['items'] ) ? $body['items'] : array();
		foreach ( $list as $item ) {
			if ( ! is_array( $item ) || empty( $item['contentId'] ) || ! isset( $item['title'], $item['url'] ) ) {
				continue;
			}
			$url = esc_url_raw( (string) $item['url'], array( 'http', 'https' ) );
			if ( '' === $url ) {
				continue;
			}
			$items[] = array(
				'contentId' => (int) $item['contentId'],
				'title'     => (string) $item['title'],
				'url'       => $url,
			);
		}
		return $items;
	}
}
