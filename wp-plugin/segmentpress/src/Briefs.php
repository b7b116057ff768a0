<?php
/**
 * Publishing briefs from the service, turned into drafts and scheduled posts.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The service's side of briefs: reading them, changing their status, and the WordPress posts
 * made from them (post meta `_segmentpress_brief_id`). The screen is Briefs_Page; this class
 * holds the logic so the actions, WP-Cron and the publish hook share it.
 *
 * Status moves the service allows: proposed → accepted | dismissed; accepted → scheduled |
 * dismissed; scheduled → scheduled (reschedule) | published | dismissed.
 */
class Briefs {

	const META           = '_segmentpress_brief_id';
	const CRON_HOOK      = 'segmentpress_pull_briefs';
	const PUBLISHED_HOOK = 'segmentpress_brief_published';
	const OPTION         = 'segmentpress_briefs';
	const STATE_OPTION   = 'segmentpress_briefs_state';
	const MAX_ATTEMPTS   = 6;

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
	 * Log.
	 *
	 * @var Log
	 */
	private $log;

	/**
	 * Constructor.
	 *
	 * @param Settings $settings Settings.
	 * @param Client   $client   Client.
	 * @param Log      $log      Log.
	 */
	public function __construct( Settings $settings, Client $client, Log $log ) {
		$this->settings = $settings;
		$this->client   = $client;
		$this->log      = $log;
	}

	/**
	 * Hooks.
	 */
	public function register() {
		add_action( self::CRON_HOOK, array( $this, 'pull' ) );
		add_action( self::PUBLISHED_HOOK, array( $this, 'report_published' ), 10, 2 );
		add_action( 'transition_post_status', array( $this, 'on_transition' ), 10, 3 );
		add_action( 'init', array( $this, 'schedule' ) );
	}

	/**
	 * The daily pull, scheduled once the site is connected.
	 */
	public function schedule() {
		if ( $this->settings->is_connected() && ! wp_next_scheduled( self::CRON_HOOK ) ) {
			wp_schedule_event( time() + 300, 'daily', self::CRON_HOOK );
		}
	}

	/**
	 * Screen options: automatic drafts.
	 *
	 * @return array{auto_draft:bool, min_priority:int}
	 */
	public function options() {
		$saved = get_option( self::OPTION, array() );
		$saved = is_array( $saved ) ? $saved : array();
		return array(
			'auto_draft'   => ! empty( $saved['auto_draft'] ),
			'min_priority' => isset( $saved['min_priority'] ) ? max( 0, min( 100, (int) $saved['min_priority'] ) ) : 50,
		);
	}

	/**
	 * Saves the screen options (already capability- and nonce-checked).
	 *
	 * @param array $input Raw input.
	 */
	public function save_options( array $input ) {
		update_option(
			self::OPTION,
			array(
				'auto_draft'   => ! empty( $input['auto_draft'] ),
				'min_priority' => isset( $input['min_priority'] ) ? max( 0, min( 100, (int) $input['min_priority'] ) ) : 50,
			),
			false
		);
	}

	/**
	 * Briefs from the service.
	 *
	 * @param string $status  Status filter or ''.
	 * @param string $segment Segment key filter or ''.
	 * @return array|\WP_Error List of briefs (service shape).
	 */
	public function list_briefs( $status = '', $segment = '' ) {
		$query = array_filter(
			array(
				'status'  => $status,
				'segment' => $segment,
			),
			'strlen'
		);
		$response = $this->client->request( 'GET', '/v1/briefs' . ( $query ? '?' . http_build_query( $query ) : '' ), null, array( 'timeout' => 8 ) );
		if ( 200 !== $response['status'] ) {
			return new \WP_Error( 'segmentpress_service', $this->failure_text( $response ) );
		}
		$body  = $response['body'];
		$items = is_array( $body ) && isset( $body['items'] ) ? $body['items'] : $body;
		$items = array_values( array_filter( (array) $items, array( __CLASS__, 'is_brief' ) ) );
		usort(
			$items,
			static function ( $a, $b ) {
				return (int) $b['priority'] <=> (int) $a['priority'];
			}
		);
		return $items;
	}

	/**
	 * One brief.
	 *
	 * @param int $id Brief id.
	 * @return array|\WP_Error
	 */
	public function get( $id ) {
		$response = $this->client->request( 'GET', '/v1/briefs/' . (int) $id, null, array( 'timeout' => 8 ) );
		if ( 200 !== $response['status'] || ! self::is_brief( $response['body'] ) ) {
			return new \WP_Error( 'segmentpress_service', $this->failure_text( $response ) );
		}
		return $response['body'];
	}

	/**
	 * PATCH /v1/briefs/{id}.
	 *
	 * @param int         $id            Brief id.
	 * @param string      $status        accepted|scheduled|published|dismissed.
	 * @param int|null    $wp_post_id    Post id.
	 * @param string|null $scheduled_for ISO-8601 instant.
	 * @return array|\WP_Error The brief after the change.
	 */
	public function patch( $id, $status, $wp_post_id = null, $scheduled_for = null ) {
		$body = array( 'status' => $status );
		if ( $wp_post_id ) {
			$body['wpPostId'] = (int) $wp_post_id;
		}
		if ( $scheduled_for ) {
			$body['scheduledFor'] = $scheduled_for;
		}
		$response = $this->client->request( 'PATCH', '/v1/briefs/' . (int) $id, $body, array( 'timeout' => 8 ) );
		if ( 200 !== $response['status'] ) {
			return new \WP_Error( 'segmentpress_service', $this->failure_text( $response ), array( 'status' => $response['status'] ) );
		}
		return $response['body'];
	}

	/**
	 * Accepts a brief.
	 *
	 * @param int $id Brief id.
	 * @return array|\WP_Error
	 */
	public function accept( $id ) {
		return $this->patch( $id, 'accepted' );
	}

	/**
	 * Dismisses a brief (the service will not propose the same topic again for a while).
	 *
	 * @param int $id Brief id.
	 * @return array|\WP_Error
	 */
	public function dismiss( $id ) {
		return $this->patch( $id, 'dismissed' );
	}

	/**
	 * "Create draft": a draft post holding the outline and notes, linked to the brief; the brief
	 * becomes accepted with the post id. An existing linked post is reused.
	 *
	 * @param int $id Brief id.
	 * @return int|\WP_Error Post id.
	 */
	public function create_draft( $id ) {
		$brief = $this->get( $id );
		if ( is_wp_error( $brief ) ) {
			return $brief;
		}
		$post_id = $this->post_for( $brief, 'draft', null );
		if ( is_wp_error( $post_id ) ) {
			return $post_id;
		}
		if ( 'proposed' === $brief['status'] ) {
			$patched = $this->patch( $id, 'accepted', $post_id );
			if ( is_wp_error( $patched ) ) {
				return $patched;
			}
		}
		return $post_id;
	}

	/**
	 * "Schedule": a future post at the chosen time (default the brief's suggestedPublishAt),
	 * and the brief becomes scheduled with the post id and the time.
	 *
	 * @param int      $id   Brief id.
	 * @param int|null $when Unix time, or null for the suggested time.
	 * @return int|\WP_Error Post id.
	 */
	public function schedule_post( $id, $when = null ) {
		$brief = $this->get( $id );
		if ( is_wp_error( $brief ) ) {
			return $brief;
		}
		if ( null === $when ) {
			$when = ! empty( $brief['suggestedPublishAt'] ) ? strtotime( (string) $brief['suggestedPublishAt'] ) : false;
		}
		if ( ! $when || $when <= time() + 60 ) {
			return new \WP_Error( 'segmentpress_time', __( 'Choose a publishing time in the future.', 'segmentpress' ) );
		}
		if ( ! in_array( $brief['status'], array( 'proposed', 'accepted', 'scheduled' ), true ) ) {
			/* translators: %s: brief status. */
			return new \WP_Error( 'segmentpress_status', sprintf( __( 'A %s brief cannot be scheduled.', 'segmentpress' ), $brief['status'] ) );
		}
		$post_id = $this->post_for( $brief, 'future', $when );
		if ( is_wp_error( $post_id ) ) {
			return $post_id;
		}
		if ( 'proposed' === $brief['status'] ) {
			$patched = $this->patch( $id, 'accepted', $post_id );
			if ( is_wp_error( $patched ) ) {
				return $patched;
			}
		}
		$patched = $this->patch( $id, 'scheduled', $post_id, gmdate( 'Y-m-d\TH:i:s\Z', $when ) );
		return is_wp_error( $patched ) ? $patched : $post_id;
	}

	/**
	 * Creates (or updates the status and date of) the post linked to a brief.
	 *
	 * @param array    $brief  Brief.
	 * @param string   $status draft|future.
	 * @param int|null $when   Unix time for future posts.
	 * @return int|\WP_Error
	 */
	private function post_for( array $brief, $status, $when ) {
		$post_id = $this->linked_post( (int) $brief['id'] );
		$postarr = array(
			'post_status' => $status,
			'post_type'   => 'post',
		);
		if ( null !== $when ) {
			$postarr['post_date']     = get_date_from_gmt( gmdate( 'Y-m-d H:i:s', $when ) );
			$postarr['post_date_gmt'] = gmdate( 'Y-m-d H:i:s', $when );
			$postarr['edit_date']     = true;
		}
		if ( $post_id ) {
			if ( 'draft' === $status ) {
				return $post_id; // An existing draft or scheduled post stays as it is.
			}
			$postarr['ID'] = $post_id;
			$result        = wp_update_post( $postarr, true );
		} else {
			$postarr['post_title']   = sanitize_text_field( (string) $brief['title'] );
			$postarr['post_content'] = self::content( $brief );
			$postarr['post_author']  = get_current_user_id();
			$postarr['meta_input']   = array( self::META => (int) $brief['id'] );
			$stage                   = isset( $brief['journeyStage'] ) ? sanitize_key( (string) $brief['journeyStage'] ) : '';
			if ( in_array( $stage, array( 'awareness', 'consideration', 'decision', 'retention', 'advocacy' ), true ) ) {
				$postarr['meta_input']['_segmentpress_journey_stage'] = $stage;
			}
			if ( isset( $brief['topic']['taxonomy'], $brief['topic']['slug'] ) && 'category' === $brief['topic']['taxonomy'] ) {
				$term = get_term_by( 'slug', (string) $brief['topic']['slug'], 'category' );
				if ( $term ) {
					$postarr['post_category'] = array( (int) $term->term_id );
				}
			}
			$result = wp_insert_post( wp_slash( $postarr ), true );
		}
		return is_wp_error( $result ) ? $result : (int) $result;
	}

	/**
	 * The post made from a brief, if any (not trashed).
	 *
	 * @param int $brief_id Brief id.
	 * @return int Post id or 0.
	 */
	public function linked_post( $brief_id ) {
		$posts = get_posts(
			array(
				'post_type'      => 'any',
				'post_status'    => array( 'draft', 'future', 'publish', 'pending', 'private' ),
				'meta_key'       => self::META, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_key
				'meta_value'     => (string) (int) $brief_id, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_value
				'posts_per_page' => 1,
				'fields'         => 'ids',
			)
		);
		return $posts ? (int) $posts[0] : 0;
	}

	/**
	 * Block markup for the post: the editor's notes first (angle, audience, keywords, word count,
	 * CTA, internal links, evidence), then the outline as headings to write under. Every piece
	 * of text from the service is escaped: briefs quote visitors' searches.
	 *
	 * @param array $brief Brief.
	 * @return string
	 */
	public static function content( array $brief ) {
		$text  = static function ( $value ) {
			return esc_html( is_scalar( $value ) ? (string) $value : '' );
		};
		$list  = static function ( array $items ) {
			if ( ! $items ) {
				return '';
			}
			return "<!-- wp:list -->\n<ul>" . implode( '', array_map( static function ( $item ) {
				return '<li>' . $item . '</li>';
			}, $items ) ) . "</ul>\n<!-- /wp:list -->\n";
		};
		$para  = static function ( $html ) {
			return "<!-- wp:paragraph -->\n<p>" . $html . "</p>\n<!-- /wp:paragraph -->\n";
		};
		$title = static function ( $html, $level = 2 ) {
			return '<!-- wp:heading' . ( 2 === $level ? '' : ' {"level":' . (int) $level . '}' ) . " -->\n<h" . (int) $level . ' class="wp-block-heading">' . $html . '</h' . (int) $level . ">\n<!-- /wp:heading -->\n";
		};

		$notes = array();
		/* translators: 1: segment name, 2: segment key. */
		$notes[] = sprintf( esc_html__( 'Audience: %1$s (%2$s)', 'segmentpress' ), $text( $brief['segmentName'] ?? $brief['segment'] ), $text( $brief['segment'] ) )
			. ( isset( $brief['journeyStage'] ) ? ' · ' . esc_html__( 'stage', 'segmentpress' ) . ' ' . $text( $brief['journeyStage'] ) : '' );
		if ( ! empty( $brief['angle'] ) ) {
			$notes[] = esc_html__( 'Angle:', 'segmentpress' ) . ' ' . $text( $brief['angle'] );
		}
		$keywords = array_filter( array_merge( array( $brief['primaryKeyword'] ?? '' ), (array) ( $brief['secondaryKeywords'] ?? array() ) ), 'is_string' );
		if ( $keywords ) {
			$notes[] = esc_html__( 'Keywords:', 'segmentpress' ) . ' ' . implode( ', ', array_map( $text, $keywords ) );
		}
		if ( isset( $brief['wordCount']['min'], $brief['wordCount']['max'] ) ) {
			/* translators: 1: minimum words, 2: maximum words. */
			$notes[] = sprintf( esc_html__( 'Length: %1$d–%2$d words', 'segmentpress' ), (int) $brief['wordCount']['min'], (int) $brief['wordCount']['max'] );
		}
		if ( ! empty( $brief['cta'] ) ) {
			$notes[] = esc_html__( 'Call to action:', 'segmentpress' ) . ' ' . $text( $brief['cta'] );
		}
		if ( ! empty( $brief['alternativeTitles'] ) ) {
			$notes[] = esc_html__( 'Other titles:', 'segmentpress' ) . ' ' . implode( ' / ', array_map( $text, (array) $brief['alternativeTitles'] ) );
		}

		$links = array();
		foreach ( (array) ( $brief['internalLinks'] ?? array() ) as $link ) {
			if ( is_array( $link ) && ! empty( $link['url'] ) ) {
				$links[] = '<a href="' . esc_url( (string) $link['url'] ) . '">' . $text( $link['title'] ?? $link['url'] ) . '</a>';
			}
		}
		$evidence = array_map( $text, array_filter( (array) ( $brief['audience']['evidence'] ?? array() ), 'is_scalar' ) );

		$html  = "<!-- wp:group {\"className\":\"segmentpress-brief-notes\"} -->\n<div class=\"wp-block-group segmentpress-brief-notes\">";
		$html .= $title( esc_html__( 'Brief (delete before publishing)', 'segmentpress' ), 3 );
		$html .= $list( $notes );
		if ( $links ) {
			$html .= $para( '<strong>' . esc_html__( 'Link to:', 'segmentpress' ) . '</strong>' ) . $list( $links );
		}
		if ( $evidence ) {
			$html .= $para( '<strong>' . esc_html__( 'Why:', 'segmentpress' ) . '</strong> ' . $text( $brief['rationale'] ?? '' ) ) . $list( $evidence );
		}
		$html .= "</div>\n<!-- /wp:group -->\n";
		foreach ( (array) ( $brief['outline'] ?? array() ) as $section ) {
			if ( is_scalar( $section ) && '' !== trim( (string) $section ) ) {
				$html .= $title( $text( $section ) ) . $para( '' );
			}
		}
		return $html;
	}

	/**
	 * When a post made from a brief goes live: tell the service (in WP-Cron, never in the
	 * editor's request).
	 *
	 * @param string   $new_status New status.
	 * @param string   $old_status Old status.
	 * @param \WP_Post $post       Post.
	 */
	public function on_transition( $new_status, $old_status, $post ) {
		if ( 'publish' !== $new_status || 'publish' === $old_status ) {
			return;
		}
		$brief_id = (int) get_post_meta( $post->ID, self::META, true );
		if ( $brief_id > 0 && $this->settings->is_connected() ) {
			wp_schedule_single_event( time(), self::PUBLISHED_HOOK, array( $post->ID, 1 ) );
		}
	}

	/**
	 * PATCHes the brief to published (through scheduled when it was only accepted); retries
	 * with backoff while the service cannot be reached.
	 *
	 * @param int $post_id Post id.
	 * @param int $attempt Attempt number.
	 * @return bool Whether the service has it.
	 */
	public function report_published( $post_id, $attempt = 1 ) {
		$brief_id = (int) get_post_meta( $post_id, self::META, true );
		$post     = get_post( $post_id );
		if ( $brief_id <= 0 || ! $post || 'publish' !== $post->post_status ) {
			return false;
		}
		$brief = $this->get( $brief_id );
		$error = is_wp_error( $brief ) ? $brief : null;
		if ( ! $error && 'accepted' === $brief['status'] ) {
			$moved = $this->patch( $brief_id, 'scheduled', $post_id, gmdate( 'Y-m-d\TH:i:s\Z', strtotime( $post->post_date_gmt . ' UTC' ) ) );
			$error = is_wp_error( $moved ) ? $moved : null;
			$brief = $error ? $brief : $moved;
		}
		if ( ! $error && 'scheduled' === $brief['status'] ) {
			$done  = $this->patch( $brief_id, 'published', $post_id );
			$error = is_wp_error( $done ) ? $done : null;
		}
		if ( ! $error ) {
			return true;
		}
		$status = (int) ( $error->get_error_data()['status'] ?? 0 );
		if ( ( 0 === $status || 429 === $status || $status >= 500 ) && $attempt < self::MAX_ATTEMPTS ) {
			wp_schedule_single_event( time() + 300 * $attempt, self::PUBLISHED_HOOK, array( $post_id, $attempt + 1 ) );
		} else {
			/* translators: 1: brief id, 2: error. */
			$this->log->add( 'warning', sprintf( __( 'Could not mark brief %1$d as published: %2$s', 'segmentpress' ), $brief_id, $error->get_error_message() ) );
		}
		return false;
	}

	/**
	 * The daily pull: remembers how many briefs are waiting (for the menu) and, when enabled,
	 * creates drafts for new briefs of high enough priority.
	 *
	 * @return array{proposed:int, drafted:int}|\WP_Error
	 */
	public function pull() {
		if ( ! $this->settings->is_connected() ) {
			return array(
				'proposed' => 0,
				'drafted'  => 0,
			);
		}
		$briefs = $this->list_briefs( 'proposed' );
		if ( is_wp_error( $briefs ) ) {
			$this->log->add( 'warning', __( 'Could not fetch briefs: ', 'segmentpress' ) . $briefs->get_error_message() );
			return $briefs;
		}
		$options = $this->options();
		$drafted = 0;
		if ( $options['auto_draft'] ) {
			foreach ( $briefs as $brief ) {
				if ( (int) $brief['priority'] >= $options['min_priority'] && ! $this->linked_post( (int) $brief['id'] ) ) {
					$made = $this->create_draft( (int) $brief['id'] );
					$drafted += is_wp_error( $made ) ? 0 : 1;
				}
			}
		}
		$state = array(
			'proposed' => count( $briefs ) - $drafted,
			'drafted'  => $drafted,
			'time'     => time(),
		);
		update_option( self::STATE_OPTION, $state, false );
		return $state;
	}

	/**
	 * Whether a decoded value looks like a brief.
	 *
	 * @param mixed $brief Value.
	 * @return bool
	 */
	public static function is_brief( $brief ) {
		return is_array( $brief ) && isset( $brief['id'], $brief['title'], $brief['status'] ) && is_scalar( $brief['title'] ) && is_string( $brief['status'] );
	}

	/**
	 * A message for a failed call.
	 *
	 * @param array $response Client response.
	 * @return string
	 */
	private function failure_text( array $response ) {
		if ( 0 === $response['status'] ) {
			/* translators: %s: transport error. */
			return sprintf( __( 'Could not reach the service: %s', 'segmentpress' ), $response['error'] );
		}
		/* translators: %s: error. */
		return sprintf( __( 'The service answered with an error: %s', 'segmentpress' ), $response['error'] ? $response['error'] : 'HTTP ' . $response['status'] );
	}
}
