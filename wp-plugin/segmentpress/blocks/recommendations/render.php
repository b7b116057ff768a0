<?php
/**
 * Server render of segmentpress/recommendations: the same non-personal list for everyone.
 *
 * @package SegmentPress
 *
 * @var array $attributes Block attributes: title, count, layout.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

echo SegmentPress\Plugin::recommendations()->render( // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped by the renderer.
	(array) $attributes,
	get_block_wrapper_attributes( array( 'class' => 'segmentpress-recs' ) )
);
