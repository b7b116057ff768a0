<?php
/**
 * Server render of a part of segmentpress/show: its inner blocks as they are; the parent block
 * wraps them.
 *
 * @package SegmentPress
 *
 * @var string $content Rendered inner blocks.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

echo $content; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- post content rendered by WordPress.
