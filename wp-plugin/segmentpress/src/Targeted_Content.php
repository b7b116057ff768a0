<?php
/**
 * Content shown only to visitors in chosen segments or journey stages.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * [segmentpress_show segments="bargain-hunter,vip" stage="stage:decision"]…[segmentpress_else]…[/segmentpress_show]
 * and the block segmentpress/show share one renderer. Both variants are in the markup, the
 * targeted one hidden, so a page cache can store the page; assets/personalize.js asks the
 * service for the visitor's segments and reveals the right one. Without JavaScript (or without
 * consent to tracking) the "everyone else" part shows. Not a way to hide secrets: the targeted
 * part is in every copy of the page.
 *
 * A visitor matches when they are in at least one of the segments (if any are given) and at
 * one of the stages (if any are given).
 */
class Targeted_Content {

	const SHORTCODE      = 'segmentpress_show';
	const ELSE_SHORTCODE = 'segmentpress_else';

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
	 * Hooks.
	 */
	public function register() {
		add_shortcode( self::SHORTCODE, array( $this, 'shortcode' ) );
		// A stray [segmentpress_else] outside [segmentpress_show] prints nothing.
		add_shortcode( self::ELSE_SHORTCODE, '__return_empty_string' );
	}

	/**
	 * The enclosing shortcode.
	 *
	 * @param array|string $atts    segments, stage (or stages).
	 * @param string|null  $content Inner content, with an optional [segmentpress_else].
	 * @return string
	 */
	public function shortcode( $atts, $content = null ) {
		$atts  = shortcode_atts(
			array(
				'segments' => '',
				'stage'    => '',
				'stages'   => '',
			),
			$atts,
			self::SHORTCODE
		);
		$parts = preg_split( '/\[' . self::ELSE_SHORTCODE . '\s*\/?\]/', (string) $content, 2 );
		// wpautop may have split a paragraph around [segmentpress_else]: rebalance each half.
		$match = force_balance_tags( do_shortcode( shortcode_unautop( trim( $parts[0] ) ) ) );
		$else  = isset( $parts[1] ) ? force_balance_tags( do_shortcode( shortcode_unautop( trim( $parts[1] ) ) ) ) : '';
		return $this->render( $atts['segments'], '' !== $atts['stages'] ? $atts['stages'] : $atts['stage'], $match, $else );
	}

	/**
	 * Parses a comma-separated list of segment or stage keys. Stages may be given with or
	 * without the "stage:" prefix.
	 *
	 * @param string|array $value  Keys.
	 * @param bool         $stages Whether these are stage keys.
	 * @return string[]
	 */
	public static function keys( $value, $stages = false ) {
		$list = is_array( $value ) ? $value : explode( ',', (string) $value );
		$keys = array();
		foreach ( $list as $key ) {
			$key = strtolower( trim( (string) $key ) );
			if ( ! preg_match( '/^[a-z0-9][a-z0-9:_\-]{0,99}$/', $key ) ) {
				continue;
			}
			if ( $stages && 0 !== strpos( $key, 'stage:' ) ) {
				$key = 'stage:' . $key;
			}
			$keys[] = $key;
		}
		return array_values( array_unique( $keys ) );
	}

	/**
	 * The markup: both variants, the targeted one hidden.
	 *
	 * @param string|array $segments   Segment keys.
	 * @param string|array $stages     Stage keys.
	 * @param string       $match_html Content for matching visitors (already rendered; trusted post content).
	 * @param string       $else_html  Content for everyone else.
	 * @param string       $attributes Extra wrapper attributes (escaped), e.g. from get_block_wrapper_attributes().
	 * @return string
	 */
	public function render( $segments, $stages, $match_html, $else_html, $attributes = '' ) {
		$segments = self::keys( $segments );
		$stages   = self::keys( $stages, true );
		if ( $this->settings->is_connected() && ( $segments || $stages ) ) {
			Personalize::enqueue();
		}
		return '<div ' . ( '' !== $attributes ? $attributes . ' ' : 'class="segmentpress-show" ' )
			. 'data-sp-show data-segments="' . esc_attr( implode( ',', $segments ) ) . '" data-stages="' . esc_attr( implode( ',', $stages ) ) . '">'
			. '<div class="segmentpress-show__match" hidden>' . $match_html . '</div>'
			. '<div class="segmentpress-show__else">' . $else_html . '</div>'
			. '</div>';
	}
}
