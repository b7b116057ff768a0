<?php
/**
 * SegmentPress → Dashboard and the wp-admin dashboard widget: charts of the service's insights.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Owns the top-level "SegmentPress" menu (Dashboard first, Briefs below). Needs `edit_posts`.
 * The insights are fetched with the secret key and kept in a transient for ten minutes;
 * "Refresh now" (nonce + capability) drops it. Everything from the service is escaped: segment
 * names, post titles and briefs can carry visitor-supplied text.
 */
class Dashboard_Page {

	const SLUG       = 'segmentpress-dashboard';
	const CAPABILITY = 'edit_posts';
	const CACHE      = 'segmentpress_dashboard';
	const CACHE_TTL  = 600;
	const DAYS       = 30;
	const STAGES     = array( 'stage:awareness', 'stage:consideration', 'stage:decision', 'stage:retention', 'stage:advocacy' );

	/**
	 * Client.
	 *
	 * @var Client
	 */
	private $client;

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
		add_action( 'admin_menu', array( $this, 'add_menu' ), 9 );
		add_action( 'wp_dashboard_setup', array( $this, 'add_widget' ) );
		add_action( 'admin_post_segmentpress_dashboard_refresh', array( $this, 'handle_refresh' ) );
	}

	/**
	 * The top-level menu and its first page.
	 */
	public function add_menu() {
		add_menu_page( __( 'SegmentPress', 'segmentpress' ), __( 'SegmentPress', 'segmentpress' ), self::CAPABILITY, self::SLUG, array( $this, 'render' ), 'dashicons-chart-area', 26 );
		add_submenu_page( self::SLUG, __( 'SegmentPress dashboard', 'segmentpress' ), __( 'Dashboard', 'segmentpress' ), self::CAPABILITY, self::SLUG, array( $this, 'render' ) );
	}

	/**
	 * The dashboard widget.
	 */
	public function add_widget() {
		if ( current_user_can( self::CAPABILITY ) && $this->settings->is_connected() ) {
			wp_add_dashboard_widget( 'segmentpress_dashboard', __( 'SegmentPress', 'segmentpress' ), array( $this, 'render_widget' ) );
		}
	}

	/**
	 * Drops the cached insights.
	 */
	public function handle_refresh() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'segmentpress' ), 403 );
		}
		check_admin_referer( 'segmentpress_dashboard_refresh' );
		delete_transient( self::CACHE );
		wp_safe_redirect( admin_url( 'admin.php?page=' . self::SLUG ) );
		exit;
	}

	/**
	 * Everything the charts need, each part fetched on its own (one failing leaves the others).
	 *
	 * @return array<string, array{ok:bool, body:mixed, error:string}>
	 */
	public function data() {
		$cached = get_transient( self::CACHE );
		if ( is_array( $cached ) ) {
			return $cached;
		}
		$to    = wp_date( 'Y-m-d' );
		$from  = wp_date( 'Y-m-d', time() - ( self::DAYS - 1 ) * DAY_IN_SECONDS );
		$range = '?from=' . rawurlencode( $from ) . '&to=' . rawurlencode( $to );
		$data  = array(
			'sizes'    => $this->fetch( '/v1/insights/segments' . $range ),
			'journey'  => $this->fetch( '/v1/insights/journey' . $range ),
			'recs'     => $this->fetch( '/v1/insights/recommendations' . $range ),
			'briefs'   => $this->fetch( '/v1/insights/briefs' ),
			'segments' => $this->fetch( '/v1/segments' ),
			'top'      => array(),
			'time'     => time(),
		);
		foreach ( $this->top_segments( $data['segments'], 4 ) as $segment ) {
			$data['top'][ $segment['key'] ] = $this->fetch( '/v1/segments/' . rawurlencode( $segment['key'] ) . '/recommendations?limit=5' ) + array( 'name' => (string) ( $segment['name'] ?? $segment['key'] ) );
		}
		set_transient( self::CACHE, $data, self::CACHE_TTL );
		return $data;
	}

	/**
	 * One GET.
	 *
	 * @param string $path Path.
	 * @return array{ok:bool, body:mixed, error:string}
	 */
	private function fetch( $path ) {
		$response = $this->client->request( 'GET', $path, null, array( 'timeout' => 8 ) );
		return array(
			'ok'    => 200 === $response['status'] && is_array( $response['body'] ),
			'body'  => $response['body'],
			'error' => 200 === $response['status'] ? '' : ( $response['error'] ? $response['error'] : 'HTTP ' . $response['status'] ),
		);
	}

	/**
	 * The largest segments that are not journey stages.
	 *
	 * @param array $segments fetch() result of /v1/segments.
	 * @param int   $limit    How many.
	 * @return array
	 */
	private function top_segments( array $segments, $limit ) {
		if ( ! $segments['ok'] ) {
			return array();
		}
		$list = array_values(
			array_filter(
				$segments['body'],
				static function ( $s ) {
					return is_array( $s ) && isset( $s['key'] ) && is_string( $s['key'] ) && 0 !== strpos( $s['key'], 'stage:' ) && (int) ( $s['size'] ?? 0 ) > 0;
				}
			)
		);
		usort(
			$list,
			static function ( $a, $b ) {
				return (int) $b['size'] <=> (int) $a['size'];
			}
		);
		return array_slice( $list, 0, $limit );
	}

	/**
	 * A readable name for a segment key, from /v1/segments.
	 *
	 * @param array  $data Data.
	 * @param string $key  Segment key.
	 * @return string
	 */
	private static function name( array $data, $key ) {
		if ( $data['segments']['ok'] ) {
			foreach ( $data['segments']['body'] as $segment ) {
				if ( is_array( $segment ) && ( $segment['key'] ?? null ) === $key && ! empty( $segment['name'] ) ) {
					return (string) $segment['name'];
				}
			}
		}
		return (string) $key;
	}

	/**
	 * Segment sizes over time: the largest non-stage segments.
	 *
	 * @param array $data  Data.
	 * @param int   $limit Lines.
	 * @return string
	 */
	public function sizes_chart( array $data, $limit = 6 ) {
		if ( ! $data['sizes']['ok'] || empty( $data['sizes']['body']['segments'] ) ) {
			return $this->unavailable( $data['sizes'] );
		}
		$labels = array();
		$series = array();
		foreach ( (array) $data['sizes']['body']['segments'] as $segment ) {
			if ( ! is_array( $segment ) || empty( $segment['days'] ) || 0 === strpos( (string) $segment['key'], 'stage:' ) ) {
				continue;
			}
			$days   = array_values( (array) $segment['days'] );
			$labels = $labels ? $labels : array_map(
				static function ( $day ) {
					return (string) ( $day['date'] ?? '' );
				},
				$days
			);
			$series[] = array(
				'label'  => self::name( $data, (string) $segment['key'] ),
				'values' => array_map(
					static function ( $day ) {
						return (int) ( $day['size'] ?? 0 );
					},
					$days
				),
			);
		}
		usort(
			$series,
			static function ( $a, $b ) {
				return end( $b['values'] ) <=> end( $a['values'] );
			}
		);
		$series = array_slice(
			array_filter(
				$series,
				static function ( $s ) {
					return max( $s['values'] ) > 0;
				}
			),
			0,
			$limit
		);
		if ( ! $series ) {
			return $this->empty_text();
		}
		return Charts::lines( 'sizes', __( 'Segment sizes over time', 'segmentpress' ), $labels, $series );
	}

	/**
	 * The journey funnel: visitors at each stage now.
	 *
	 * @param array $data Data.
	 * @return string
	 */
	public function funnel_chart( array $data ) {
		if ( ! $data['segments']['ok'] ) {
			return $this->unavailable( $data['segments'] );
		}
		$sizes = array_fill_keys( self::STAGES, 0 );
		foreach ( $data['segments']['body'] as $segment ) {
			if ( is_array( $segment ) && isset( $segment['key'] ) && array_key_exists( $segment['key'], $sizes ) ) {
				$sizes[ $segment['key'] ] = (int) ( $segment['size'] ?? 0 );
			}
		}
		if ( ! array_sum( $sizes ) ) {
			return $this->empty_text();
		}
		$rows = array();
		foreach ( $sizes as $key => $size ) {
			$rows[] = array(
				'label'  => self::name( $data, $key ),
				'values' => array( __( 'Visitors', 'segmentpress' ) => $size ),
			);
		}
		return Charts::bars( 'funnel', __( 'Journey stage funnel', 'segmentpress' ), $rows, array( __( 'Visitors', 'segmentpress' ) ), 'number_format_i18n', array( 'centered' => true ) );
	}

	/**
	 * Stage flow: how many visitors moved from one stage to another in the period.
	 *
	 * @param array $data Data.
	 * @return string
	 */
	public function flow_chart( array $data ) {
		if ( ! $data['journey']['ok'] ) {
			return $this->unavailable( $data['journey'] );
		}
		$moves = array_values(
			array_filter(
				(array) ( $data['journey']['body']['moves'] ?? array() ),
				static function ( $m ) {
					return is_array( $m ) && (int) ( $m['visitors'] ?? 0 ) > 0 && null !== ( $m['to'] ?? null );
				}
			)
		);
		usort(
			$moves,
			static function ( $a, $b ) {
				return (int) $b['visitors'] <=> (int) $a['visitors'];
			}
		);
		if ( ! $moves ) {
			return $this->empty_text();
		}
		$rows = array();
		foreach ( array_slice( $moves, 0, 10 ) as $move ) {
			$from   = null === $move['from'] ? __( 'new visitor', 'segmentpress' ) : self::name( $data, (string) $move['from'] );
			$rows[] = array(
				'label'  => $from . ' → ' . self::name( $data, (string) $move['to'] ),
				'values' => array( __( 'Visitors', 'segmentpress' ) => (int) $move['visitors'] ),
			);
		}
		return Charts::bars( 'flow', __( 'Journey stage flow', 'segmentpress' ), $rows, array( __( 'Visitors', 'segmentpress' ) ), 'number_format_i18n' );
	}

	/**
	 * Recommendation CTR by segment and variant, with all visitors on top.
	 *
	 * @param array $data  Data.
	 * @param int   $limit Segments shown.
	 * @return string
	 */
	public function ctr_chart( array $data, $limit = 8 ) {
		if ( ! $data['recs']['ok'] ) {
			return $this->unavailable( $data['recs'] );
		}
		$body     = $data['recs']['body'];
		$variants = array();
		$all      = array();
		foreach ( (array) ( $body['variants'] ?? array() ) as $row ) {
			if ( is_array( $row ) && isset( $row['variant'] ) && (int) ( $row['impressions'] ?? 0 ) > 0 ) {
				$variants[ (string) $row['variant'] ]  = true;
				$all[ (string) $row['variant'] ]       = 100 * (float) $row['ctr'];
			}
		}
		$by_segment = array();
		foreach ( (array) ( $body['segments'] ?? array() ) as $row ) {
			if ( is_array( $row ) && isset( $row['segment'], $row['variant'] ) && (int) ( $row['impressions'] ?? 0 ) > 0 ) {
				$variants[ (string) $row['variant'] ] = true;
				$key                                  = (string) $row['segment'];
				$by_segment[ $key ]                   = $by_segment[ $key ] ?? array(
					'impressions' => 0,
					'values'      => array(),
				);
				$by_segment[ $key ]['impressions']   += (int) $row['impressions'];
				$by_segment[ $key ]['values'][ (string) $row['variant'] ] = 100 * (float) $row['ctr'];
			}
		}
		if ( ! $variants ) {
			return $this->empty_text( __( 'No recommendation impressions yet.', 'segmentpress' ) );
		}
		uasort(
			$by_segment,
			static function ( $a, $b ) {
				return $b['impressions'] <=> $a['impressions'];
			}
		);
		$rows = array(
			array(
				'label'  => __( 'All visitors', 'segmentpress' ),
				'values' => $all,
			),
		);
		foreach ( array_slice( $by_segment, 0, $limit, true ) as $key => $row ) {
			$rows[] = array(
				'label'  => self::name( $data, (string) $key ),
				'values' => $row['values'],
			);
		}
		$series = array_keys( $variants );
		sort( $series );
		$series = array_reverse( $series ); // "ranked" before "control".
		return Charts::bars(
			'ctr',
			__( 'Recommendation click-through rate by segment and variant', 'segmentpress' ),
			$rows,
			$series,
			static function ( $value ) {
				return number_format_i18n( $value, 1 ) . ' %';
			}
		);
	}

	/**
	 * The items that fit each of the largest segments best.
	 *
	 * @param array $data Data.
	 * @return string
	 */
	public function top_content_charts( array $data ) {
		if ( ! $data['top'] ) {
			return $this->empty_text();
		}
		$html = '<div class="segmentpress-dashboard__grid">';
		foreach ( $data['top'] as $key => $result ) {
			$html .= '<div><h3>' . esc_html( $result['name'] ) . ' <code>' . esc_html( (string) $key ) . '</code></h3>';
			$items = $result['ok'] ? Recommendations::clean_items( $result['body'] ) : array();
			if ( ! $items ) {
				$html .= $result['ok'] ? $this->empty_text() : $this->unavailable( $result );
			} else {
				$scores = array();
				foreach ( (array) $result['body']['items'] as $item ) {
					$scores[ (int) ( $item['contentId'] ?? 0 ) ] = (float) ( $item['score'] ?? 0 );
				}
				$rows = array();
				foreach ( $items as $item ) {
					$rows[] = array(
						'label'  => $item['title'],
						'values' => array( __( 'Fit', 'segmentpress' ) => $scores[ $item['contentId'] ] ?? 0 ),
					);
				}
				$html .= Charts::bars(
					'top-' . sanitize_title( (string) $key ),
					/* translators: %s: segment name. */
					sprintf( __( 'Top content for %s', 'segmentpress' ), $result['name'] ),
					$rows,
					array( __( 'Fit', 'segmentpress' ) ),
					static function ( $value ) {
						return number_format_i18n( $value, 2 );
					}
				);
			}
			$html .= '</div>';
		}
		return $html . '</div>';
	}

	/**
	 * How posts made from briefs did with their segment: views against the segment's usual.
	 *
	 * @param array $data Data.
	 * @return string
	 */
	public function briefs_chart( array $data ) {
		if ( ! $data['briefs']['ok'] ) {
			return $this->unavailable( $data['briefs'] );
		}
		$items = array_values( array_filter( (array) ( $data['briefs']['body']['items'] ?? array() ), 'is_array' ) );
		if ( ! $items ) {
			return $this->empty_text( __( 'No published briefs yet.', 'segmentpress' ) );
		}
		$rows  = array();
		$table = '';
		foreach ( array_slice( $items, 0, 10 ) as $item ) {
			$label  = (string) ( $item['post']['title'] ?? $item['title'] ?? '' );
			$views  = (float) ( $item['segmentEngagement']['views'] ?? 0 );
			$rows[] = array(
				'label'  => $label,
				'values' => array(
					__( 'Views by the segment', 'segmentpress' ) => $views,
					__( 'Segment average per post', 'segmentpress' ) => (float) ( $item['segmentAveragePerPost']['views'] ?? 0 ),
				),
			);
			$table .= '<tr><td>' . esc_html( $label ) . '</td><td><code>' . esc_html( (string) ( $item['segment'] ?? '' ) ) . '</code></td><td>' . esc_html( number_format_i18n( $views ) ) . '</td><td>'
				. esc_html( isset( $item['viewsIndex'] ) ? number_format_i18n( (float) $item['viewsIndex'], 2 ) . '×' : '–' ) . '</td><td>'
				. esc_html( isset( $item['engagedTimeIndex'] ) ? number_format_i18n( (float) $item['engagedTimeIndex'], 2 ) . '×' : '–' ) . '</td></tr>';
		}
		return Charts::bars(
			'briefs',
			__( 'Published briefs: views by their segment', 'segmentpress' ),
			$rows,
			array( __( 'Views by the segment', 'segmentpress' ), __( 'Segment average per post', 'segmentpress' ) ),
			static function ( $value ) {
				return number_format_i18n( $value, 1 );
			}
		) . '<table class="widefat striped segmentpress-dashboard__table"><thead><tr><th>' . esc_html__( 'Post', 'segmentpress' ) . '</th><th>' . esc_html__( 'Segment', 'segmentpress' ) . '</th><th>' . esc_html__( 'Views', 'segmentpress' ) . '</th><th>' . esc_html__( 'Views vs. usual', 'segmentpress' ) . '</th><th>' . esc_html__( 'Reading time vs. usual', 'segmentpress' ) . '</th></tr></thead><tbody>' . $table . '</tbody></table>';
	}

	/**
	 * "Not available" with the service's error.
	 *
	 * @param array $result fetch() result.
	 * @return string
	 */
	private function unavailable( array $result ) {
		return '<p class="segmentpress-dashboard__error">' . esc_html__( 'Not available right now:', 'segmentpress' ) . ' ' . esc_html( (string) $result['error'] ) . '</p>';
	}

	/**
	 * "No data yet".
	 *
	 * @param string $text Text.
	 * @return string
	 */
	private function empty_text( $text = '' ) {
		return '<p class="segmentpress-dashboard__empty">' . esc_html( '' !== $text ? $text : __( 'No data yet.', 'segmentpress' ) ) . '</p>';
	}

	/**
	 * The page.
	 */
	public function render() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to access this page.', 'segmentpress' ), 403 );
		}
		echo '<div class="wrap segmentpress-dashboard"><h1>' . esc_html__( 'SegmentPress dashboard', 'segmentpress' ) . '</h1>';
		if ( ! $this->settings->is_connected() ) {
			echo '<p>' . esc_html__( 'Connect SegmentPress under Settings → SegmentPress first.', 'segmentpress' ) . '</p></div>';
			return;
		}
		$data = $this->data();
		?>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" class="segmentpress-dashboard__refresh">
			<input type="hidden" name="action" value="segmentpress_dashboard_refresh">
			<?php wp_nonce_field( 'segmentpress_dashboard_refresh' ); ?>
			<p><?php
			/* translators: 1: number of days, 2: time of the data. */
			echo esc_html( sprintf( __( 'Last %1$d days · data from %2$s', 'segmentpress' ), self::DAYS, wp_date( get_option( 'time_format' ), (int) $data['time'] ) ) );
			?> <button type="submit" class="button"><?php esc_html_e( 'Refresh now', 'segmentpress' ); ?></button></p>
		</form>
		<div class="segmentpress-dashboard__grid">
			<section><h2><?php esc_html_e( 'Segment sizes over time', 'segmentpress' ); ?></h2><?php echo $this->sizes_chart( $data ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built from escaped parts. ?></section>
			<section><h2><?php esc_html_e( 'Journey stages now', 'segmentpress' ); ?></h2><?php echo $this->funnel_chart( $data ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?></section>
			<section><h2><?php esc_html_e( 'Stage flow', 'segmentpress' ); ?></h2><?php echo $this->flow_chart( $data ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?></section>
			<section><h2><?php esc_html_e( 'Recommendation CTR by segment and variant', 'segmentpress' ); ?></h2><?php echo $this->ctr_chart( $data ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?></section>
		</div>
		<section><h2><?php esc_html_e( 'Top content per segment', 'segmentpress' ); ?></h2><?php echo $this->top_content_charts( $data ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?></section>
		<section><h2><?php esc_html_e( 'How published briefs performed', 'segmentpress' ); ?></h2><?php echo $this->briefs_chart( $data ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?></section>
		<style>
			.segmentpress-dashboard__grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 16px; }
			.segmentpress-dashboard section { background: #fff; border: 1px solid #c3c4c7; padding: 8px 16px 16px; margin-bottom: 16px; }
			.segmentpress-dashboard__table { margin-top: 12px; }
		</style>
		</div>
		<?php
	}

	/**
	 * The widget: segment sizes and CTR, with a link to the page.
	 */
	public function render_widget() {
		$data = $this->data();
		echo '<div class="segmentpress-dashboard-widget">';
		echo '<h3>' . esc_html__( 'Segment sizes over time', 'segmentpress' ) . '</h3>' . $this->sizes_chart( $data, 4 ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built from escaped parts.
		echo '<h3>' . esc_html__( 'Recommendation CTR', 'segmentpress' ) . '</h3>' . $this->ctr_chart( $data, 3 ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
		echo '<p><a href="' . esc_url( admin_url( 'admin.php?page=' . self::SLUG ) ) . '">' . esc_html__( 'Open the SegmentPress dashboard', 'segmentpress' ) . '</a></p></div>';
	}
}
