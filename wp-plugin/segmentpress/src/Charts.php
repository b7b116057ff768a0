<?php
/**
 * Inline SVG charts rendered in PHP: no JavaScript library, no build step.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Every label and value printed here may come from the service (segment names, post titles,
 * visitors' searches): all of it goes through esc_html()/esc_attr(). Each data mark carries
 * class "sp-datum" and data-value, and each chart an aria-label and a <title>, so the charts
 * are readable by screen readers and checkable by tests.
 */
final class Charts {

	const COLORS = array( '#2271b1', '#d63638', '#00a32a', '#dba617', '#8c5fc7', '#00838f', '#e26f56', '#1d2327' );

	/**
	 * A color from the palette.
	 *
	 * @param int $index Series index.
	 * @return string
	 */
	public static function color( $index ) {
		return self::COLORS[ $index % count( self::COLORS ) ];
	}

	/**
	 * Lines over time.
	 *
	 * @param string $name   Chart id (data-chart).
	 * @param string $title  Accessible title.
	 * @param array  $labels X labels (dates), in order.
	 * @param array  $series [{label, values: float[] (one per x label)}].
	 * @return string SVG.
	 */
	public static function lines( $name, $title, array $labels, array $series ) {
		$width  = 640;
		$height = 240;
		$left   = 44;
		$right  = 150;
		$top    = 12;
		$bottom = 28;
		$plot_w = $width - $left - $right;
		$plot_h = $height - $top - $bottom;
		$max    = 0;
		foreach ( $series as $line ) {
			$max = max( $max, max( array_merge( array( 0 ), array_map( 'floatval', $line['values'] ) ) ) );
		}
		$max   = self::nice_max( $max );
		$count = max( 1, count( $labels ) - 1 );
		$x     = static function ( $i ) use ( $left, $plot_w, $count ) {
			return round( $left + $plot_w * $i / $count, 1 );
		};
		$y     = static function ( $value ) use ( $top, $plot_h, $max ) {
			return round( $top + $plot_h - $plot_h * $value / $max, 1 );
		};

		$svg = self::open( $name, $title, $width, $height ) . self::y_axis( $max, $left, $top, $plot_w, $plot_h );
		if ( $labels ) {
			foreach ( array_unique( array( 0, (int) floor( ( count( $labels ) - 1 ) / 2 ), count( $labels ) - 1 ) ) as $i ) {
				$svg .= '<text x="' . esc_attr( (string) $x( $i ) ) . '" y="' . esc_attr( (string) ( $height - 8 ) ) . '" text-anchor="middle" class="sp-axis">' . esc_html( (string) $labels[ $i ] ) . '</text>';
			}
		}
		foreach ( array_values( $series ) as $s => $line ) {
			$points = array();
			foreach ( array_values( $line['values'] ) as $i => $value ) {
				$points[] = $x( $i ) . ',' . $y( (float) $value );
			}
			$color = self::color( $s );
			$svg  .= '<polyline class="sp-datum sp-line" data-series="' . esc_attr( $line['label'] ) . '" data-value="' . esc_attr( (string) end( $line['values'] ) ) . '" fill="none" stroke="' . esc_attr( $color ) . '" stroke-width="2" points="' . esc_attr( implode( ' ', $points ) ) . '"><title>' . esc_html( $line['label'] . ': ' . end( $line['values'] ) ) . '</title></polyline>';
			if ( 1 === count( $points ) ) {
				list( $px, $py ) = explode( ',', $points[0] );
				$svg            .= '<circle cx="' . esc_attr( $px ) . '" cy="' . esc_attr( $py ) . '" r="3" fill="' . esc_attr( $color ) . '"/>';
			}
			$ly   = $top + 14 * $s + 8;
			$svg .= '<rect x="' . esc_attr( (string) ( $width - $right + 10 ) ) . '" y="' . esc_attr( (string) ( $ly - 8 ) ) . '" width="10" height="10" fill="' . esc_attr( $color ) . '"/>'
				. '<text x="' . esc_attr( (string) ( $width - $right + 24 ) ) . '" y="' . esc_attr( (string) $ly ) . '" class="sp-legend">' . esc_html( self::short( $line['label'], 20 ) . ' (' . end( $line['values'] ) . ')' ) . '</text>';
		}
		return $svg . '</svg>';
	}

	/**
	 * Horizontal bars, one or more per row (grouped by series).
	 *
	 * @param string   $name   Chart id.
	 * @param string   $title  Accessible title.
	 * @param array    $rows   [{label, values: [series => number]}].
	 * @param string[] $series Series names, in order (one color each).
	 * @param callable $format Value → text.
	 * @param array    $options centered (funnel), max (fixed scale), baseline (a reference value drawn as a line).
	 * @return string SVG.
	 */
	public static function bars( $name, $title, array $rows, array $series, $format, array $options = array() ) {
		$width   = 640;
		$label_w = 210;
		$value_w = 70;
		$bar_h   = 14;
		$gap     = 8;
		$legend  = count( $series ) > 1 ? 20 : 0;
		$plot_w  = $width - $label_w - $value_w;
		$row_h   = count( $series ) * $bar_h + $gap;
		$height  = max( 40, $legend + count( $rows ) * $row_h + 8 );
		$max     = isset( $options['max'] ) ? (float) $options['max'] : 0;
		if ( ! $max ) {
			foreach ( $rows as $row ) {
				$max = max( $max, max( array_merge( array( 0 ), array_map( 'floatval', $row['values'] ) ) ) );
			}
			if ( isset( $options['baseline'] ) ) {
				$max = max( $max, (float) $options['baseline'] * 1.2 );
			}
			$max = $max > 0 ? $max : 1;
		}
		$svg = self::open( $name, $title, $width, $height );
		if ( $legend ) {
			$lx = $label_w;
			foreach ( array_values( $series ) as $s => $label ) {
				$svg .= '<rect x="' . esc_attr( (string) $lx ) . '" y="4" width="10" height="10" fill="' . esc_attr( self::color( $s ) ) . '"/>'
					. '<text x="' . esc_attr( (string) ( $lx + 14 ) ) . '" y="13" class="sp-legend">' . esc_html( $label ) . '</text>';
				$lx += 30 + 6 * mb_strlen( (string) $label ); // About 6 px a character at 11 px.
			}
		}
		foreach ( array_values( $rows ) as $r => $row ) {
			$row_y = $legend + $r * $row_h + 4;
			$svg  .= '<text x="' . esc_attr( (string) ( $label_w - 6 ) ) . '" y="' . esc_attr( (string) ( $row_y + $row_h / 2 + 1 ) ) . '" text-anchor="end" class="sp-label">' . esc_html( self::short( (string) $row['label'], 34 ) ) . '<title>' . esc_html( (string) $row['label'] ) . '</title></text>';
			foreach ( array_values( $series ) as $s => $series_name ) {
				if ( ! array_key_exists( $series_name, $row['values'] ) || null === $row['values'][ $series_name ] ) {
					continue;
				}
				$value = (float) $row['values'][ $series_name ];
				$w     = max( 1, round( $plot_w * min( 1, $value / $max ), 1 ) );
				$bx    = ! empty( $options['centered'] ) ? round( $label_w + ( $plot_w - $w ) / 2, 1 ) : $label_w;
				$by    = $row_y + $s * $bar_h;
				$text  = call_user_func( $format, $value );
				$svg  .= '<rect class="sp-datum sp-bar" data-series="' . esc_attr( $series_name ) . '" data-label="' . esc_attr( (string) $row['label'] ) . '" data-value="' . esc_attr( (string) $value ) . '" x="' . esc_attr( (string) $bx ) . '" y="' . esc_attr( (string) $by ) . '" width="' . esc_attr( (string) $w ) . '" height="' . esc_attr( (string) ( $bar_h - 2 ) ) . '" fill="' . esc_attr( self::color( $s ) ) . '"><title>' . esc_html( $row['label'] . ' · ' . $series_name . ': ' . $text ) . '</title></rect>'
					. '<text x="' . esc_attr( (string) ( ! empty( $options['centered'] ) ? $label_w + $plot_w + 6 : $bx + $w + 4 ) ) . '" y="' . esc_attr( (string) ( $by + $bar_h - 4 ) ) . '" class="sp-value">' . esc_html( $text ) . '</text>';
			}
		}
		if ( isset( $options['baseline'] ) ) {
			$bx   = round( $label_w + $plot_w * min( 1, (float) $options['baseline'] / $max ), 1 );
			$svg .= '<line x1="' . esc_attr( (string) $bx ) . '" x2="' . esc_attr( (string) $bx ) . '" y1="' . esc_attr( (string) $legend ) . '" y2="' . esc_attr( (string) $height ) . '" stroke="#1d2327" stroke-dasharray="4 3"><title>' . esc_html( isset( $options['baseline_label'] ) ? $options['baseline_label'] : '' ) . '</title></line>';
		}
		return $svg . '</svg>';
	}

	/**
	 * Opening tag with title and text styles.
	 *
	 * @param string $name   Chart id.
	 * @param string $title  Accessible title.
	 * @param int    $width  Width.
	 * @param int    $height Height.
	 * @return string
	 */
	private static function open( $name, $title, $width, $height ) {
		return '<svg xmlns="http://www.w3.org/2000/svg" class="segmentpress-chart" data-chart="' . esc_attr( $name ) . '" role="img" aria-label="' . esc_attr( $title ) . '" viewBox="0 0 ' . (int) $width . ' ' . (int) $height . '" width="100%" style="max-width:' . (int) $width . 'px">'
			. '<title>' . esc_html( $title ) . '</title>'
			. '<style>.sp-axis,.sp-legend,.sp-label,.sp-value{font:11px -apple-system,BlinkMacSystemFont,"Segoe UI",sans-serif;fill:#3c434a}</style>';
	}

	/**
	 * Horizontal grid lines with values.
	 *
	 * @param float $max    Top value.
	 * @param int   $left   Plot left.
	 * @param int   $top    Plot top.
	 * @param int   $plot_w Plot width.
	 * @param int   $plot_h Plot height.
	 * @return string
	 */
	private static function y_axis( $max, $left, $top, $plot_w, $plot_h ) {
		$svg = '';
		for ( $i = 0; $i <= 4; $i++ ) {
			$value = $max * $i / 4;
			$y     = round( $top + $plot_h - $plot_h * $i / 4, 1 );
			$svg  .= '<line x1="' . (int) $left . '" x2="' . (int) ( $left + $plot_w ) . '" y1="' . esc_attr( (string) $y ) . '" y2="' . esc_attr( (string) $y ) . '" stroke="#dcdcde"/>'
				. '<text x="' . (int) ( $left - 6 ) . '" y="' . esc_attr( (string) ( $y + 4 ) ) . '" text-anchor="end" class="sp-axis">' . esc_html( number_format_i18n( $value, abs( $value - round( $value ) ) < 0.001 ? 0 : 1 ) ) . '</text>';
		}
		return $svg;
	}

	/**
	 * A round top for an axis with four equal steps (whole numbers from 12 up: 20 → 5, 10, 15).
	 *
	 * @param float $max Largest value.
	 * @return float
	 */
	private static function nice_max( $max ) {
		if ( $max <= 0 ) {
			return 1;
		}
		$magnitude = pow( 10, floor( log10( $max ) ) );
		foreach ( array( 1, 1.2, 1.6, 2, 2.4, 3.2, 4, 4.8, 6, 8, 10 ) as $step ) {
			if ( $max <= $step * $magnitude ) {
				return $step * $magnitude;
			}
		}
		return 10 * $magnitude;
	}

	/**
	 * Shortens a label for display (the full text stays in the <title>).
	 *
	 * @param string $text   Text.
	 * @param int    $length Max characters.
	 * @return string
	 */
	private static function short( $text, $length ) {
		$text = (string) $text;
		return mb_strlen( $text ) > $length ? mb_substr( $text, 0, $length - 1 ) . '…' : $text;
	}
}
