<?php
/**
 * Translations for SegmentPress live here (segmentpress-{locale}.mo).
 *
 * @package SegmentPress
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}
