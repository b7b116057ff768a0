<?php
/**
 * Server render of segmentpress/show: both variants, the targeted one hidden.
 *
 * @package SegmentPress
 *
 * @var array     $attributes Block attributes: segments, stages (comma-separated keys).
 * @var WP_Block  $block      The block, with its two inner blocks (show-match, show-else).
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

$segmentpress_parts = array(
	'segmentpress/show-match' => '',
	'segmentpress/show-else'  => '',
);
foreach ( $block->inner_blocks as $segmentpress_inner ) {
	if ( isset( $segmentpress_parts[ $segmentpress_inner->name ] ) ) {
		$segmentpress_parts[ $segmentpress_inner->name ] .= $segmentpress_inner->render();
	}
}

echo SegmentPress\Plugin::targeting()->render( // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- post content rendered by WordPress; attributes escaped by the renderer.
	isset( $attributes['segments'] ) ? $attributes['segments'] : '',
	isset( $attributes['stages'] ) ? $attributes['stages'] : '',
	$segmentpress_parts['segmentpress/show-match'],
	$segmentpress_parts['segmentpress/show-else'],
	get_block_wrapper_attributes( array( 'class' => 'segmentpress-show' ) )
);
