<?php
/**
 * SegmentPress → Briefs: what to write next, per segment, with the evidence.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Viewing, accepting, dismissing and drafting need `edit_posts`; scheduling needs
 * `publish_posts`; the automatic-draft option needs `manage_options`. Every action is an
 * admin-post.php form with its own nonce (action + brief id). Briefs quote visitors' searches,
 * so everything from the service is escaped where it is printed.
 */
class Briefs_Page {

	const SLUG         = 'segmentpress-briefs';
	const CAP_VIEW     = 'edit_posts';
	const CAP_SCHEDULE = 'publish_posts';
	const CAP_OPTIONS  = 'manage_options';
	const STATUSES     = array( 'proposed', 'accepted', 'scheduled', 'published', 'measured', 'dismissed' );

	/**
	 * Briefs.
	 *
	 * @var Briefs
	 */
	private $briefs;

	/**
	 * Blocks (for the segment list).
	 *
	 * @var Blocks
	 */
	private $blocks;

	/**
	 * Constructor.
	 *
	 * @param Briefs $briefs Briefs.
	 * @param Blocks $blocks Blocks.
	 */
	public function __construct( Briefs $briefs, Blocks $blocks ) {
		$this->briefs = $briefs;
		$this->blocks = $blocks;
	}

	/**
	 * Hooks.
	 */
	public function register() {
		add_action( 'admin_menu', array( $this, 'add_menu' ), 11 );
		foreach ( array( 'accept', 'dismiss', 'draft', 'schedule' ) as $action ) {
			add_action( 'admin_post_segmentpress_brief_' . $action, array( $this, 'handle_' . $action ) );
		}
		add_action( 'admin_post_segmentpress_briefs_options', array( $this, 'handle_options' ) );
	}

	/**
	 * The action's capability.
	 *
	 * @param string $action accept|dismiss|draft|schedule.
	 * @return string
	 */
	public static function capability( $action ) {
		return 'schedule' === $action ? self::CAP_SCHEDULE : self::CAP_VIEW;
	}

	/**
	 * The nonce action of a form.
	 *
	 * @param string $action   accept|dismiss|draft|schedule.
	 * @param int    $brief_id Brief id.
	 * @return string
	 */
	public static function nonce_action( $action, $brief_id ) {
		return 'segmentpress_brief_' . $action . '_' . (int) $brief_id;
	}

	/**
	 * SegmentPress → Briefs.
	 */
	public function add_menu() {
		$proposed = get_option( Briefs::STATE_OPTION );
		$count    = is_array( $proposed ) ? (int) $proposed['proposed'] : 0;
		add_submenu_page(
			Dashboard_Page::SLUG,
			__( 'Publishing briefs', 'segmentpress' ),
			__( 'Briefs', 'segmentpress' ) . ( $count > 0 ? ' <span class="awaiting-mod">' . (int) $count . '</span>' : '' ),
			self::CAP_VIEW,
			self::SLUG,
			array( $this, 'render' )
		);
	}

	/**
	 * Capability, then nonce; returns the brief id.
	 *
	 * @param string $action accept|dismiss|draft|schedule.
	 * @return int
	 */
	private function guard( $action ) {
		if ( ! current_user_can( self::capability( $action ) ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'segmentpress' ), 403 );
		}
		$brief_id = isset( $_POST['brief'] ) ? absint( wp_unslash( $_POST['brief'] ) ) : 0; // phpcs:ignore WordPress.Security.NonceVerification.Missing -- checked on the next line, with the id in the nonce action.
		check_admin_referer( self::nonce_action( $action, $brief_id ) );
		if ( $brief_id <= 0 ) {
			wp_die( esc_html__( 'No brief given.', 'segmentpress' ), 400 );
		}
		return $brief_id;
	}

	/**
	 * Accept.
	 */
	public function handle_accept() {
		$result = $this->briefs->accept( $this->guard( 'accept' ) );
		$this->back( $result, __( 'Brief accepted.', 'segmentpress' ) );
	}

	/**
	 * Dismiss.
	 */
	public function handle_dismiss() {
		$result = $this->briefs->dismiss( $this->guard( 'dismiss' ) );
		$this->back( $result, __( 'Brief dismissed; it will not be proposed again for a while.', 'segmentpress' ) );
	}

	/**
	 * Create draft.
	 */
	public function handle_draft() {
		$result = $this->briefs->create_draft( $this->guard( 'draft' ) );
		$this->back( $result, __( 'Draft created with the outline and notes.', 'segmentpress' ), is_wp_error( $result ) ? 0 : $result );
	}

	/**
	 * Schedule, at the chosen local time or the suggested one.
	 */
	public function handle_schedule() {
		$brief_id = $this->guard( 'schedule' );
		$when     = null;
		$chosen   = isset( $_POST['publish_at'] ) ? sanitize_text_field( wp_unslash( $_POST['publish_at'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification.Missing -- verified in guard().
		if ( '' !== $chosen ) {
			$date = \DateTimeImmutable::createFromFormat( 'Y-m-d\TH:i', $chosen, wp_timezone() );
			if ( ! $date ) {
				$this->back( new \WP_Error( 'segmentpress_time', __( 'That publishing time is not a date.', 'segmentpress' ) ), '' );
			}
			$when = $date->getTimestamp();
		}
		$result = $this->briefs->schedule_post( $brief_id, $when );
		$this->back( $result, __( 'Post scheduled with the outline and notes.', 'segmentpress' ), is_wp_error( $result ) ? 0 : $result );
	}

	/**
	 * Saves the automatic-draft option.
	 */
	public function handle_options() {
		if ( ! current_user_can( self::CAP_OPTIONS ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'segmentpress' ), 403 );
		}
		check_admin_referer( 'segmentpress_briefs_options' );
		$this->briefs->save_options(
			array(
				'auto_draft'   => ! empty( $_POST['auto_draft'] ),
				'min_priority' => isset( $_POST['min_priority'] ) ? absint( wp_unslash( $_POST['min_priority'] ) ) : 50,
			)
		);
		$this->back( true, __( 'Settings saved.', 'segmentpress' ) );
	}

	/**
	 * Back to the screen (same filters) with a one-time message.
	 *
	 * @param mixed  $result  WP_Error or anything else for success.
	 * @param string $success Message on success.
	 * @param int    $post_id Post to link to.
	 */
	private function back( $result, $success, $post_id = 0 ) {
		set_transient(
			'segmentpress_briefs_notice_' . get_current_user_id(),
			array(
				'type'    => is_wp_error( $result ) ? 'error' : 'success',
				'message' => is_wp_error( $result ) ? $result->get_error_message() : $success,
				'post'    => (int) $post_id,
			),
			120
		);
		$args = array( 'page' => self::SLUG );
		foreach ( array( 'status', 'segment' ) as $filter ) {
			if ( ! empty( $_POST[ $filter ] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Missing -- only echoes the screen's filters back.
				$args[ $filter ] = sanitize_text_field( wp_unslash( $_POST[ $filter ] ) ); // phpcs:ignore WordPress.Security.NonceVerification.Missing
			}
		}
		wp_safe_redirect( add_query_arg( $args, admin_url( 'admin.php' ) ) );
		exit;
	}

	/**
	 * The screen.
	 */
	public function render() {
		if ( ! current_user_can( self::CAP_VIEW ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to access this page.', 'segmentpress' ), 403 );
		}
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- read-only filters.
		$status  = isset( $_GET['status'] ) ? sanitize_key( wp_unslash( $_GET['status'] ) ) : '';
		$segment = isset( $_GET['segment'] ) ? sanitize_text_field( wp_unslash( $_GET['segment'] ) ) : '';
		// phpcs:enable
		$status = in_array( $status, self::STATUSES, true ) ? $status : '';
		$briefs = $this->briefs->list_briefs( $status, $segment );
		$notice = get_transient( 'segmentpress_briefs_notice_' . get_current_user_id() );
		delete_transient( 'segmentpress_briefs_notice_' . get_current_user_id() );
		?>
		<div class="wrap segmentpress-briefs">
			<h1><?php esc_html_e( 'Publishing briefs', 'segmentpress' ); ?></h1>
			<p><?php esc_html_e( 'What to write next, for which segment, and why. Create a draft that holds the outline and notes, or schedule it straight away.', 'segmentpress' ); ?></p>
			<?php if ( is_array( $notice ) ) : ?>
				<div class="notice notice-<?php echo esc_attr( 'error' === $notice['type'] ? 'error' : 'success' ); ?> is-dismissible" id="segmentpress-briefs-notice">
					<p><?php echo esc_html( $notice['message'] ); ?>
					<?php if ( ! empty( $notice['post'] ) && current_user_can( 'edit_post', $notice['post'] ) ) : ?>
						<a href="<?php echo esc_url( get_edit_post_link( $notice['post'], 'raw' ) ); ?>"><?php esc_html_e( 'Edit the post', 'segmentpress' ); ?></a>
					<?php endif; ?></p>
				</div>
			<?php endif; ?>
			<?php $this->render_filters( $status, $segment ); ?>
			<?php
			if ( is_wp_error( $briefs ) ) {
				echo '<div class="notice notice-error"><p>' . esc_html( $briefs->get_error_message() ) . '</p></div>';
			} elseif ( ! $briefs ) {
				echo '<p class="segmentpress-briefs__empty">' . esc_html__( 'No briefs match. New briefs are proposed daily as visitors read and search.', 'segmentpress' ) . '</p>';
			} else {
				foreach ( $briefs as $brief ) {
					$this->render_brief( $brief, $status, $segment );
				}
			}
			$this->render_options();
			?>
		</div>
		<style>
			.segmentpress-brief { background: #fff; border: 1px solid #c3c4c7; border-left-width: 4px; padding: 12px 16px; margin: 12px 0; max-width: 1100px; }
			.segmentpress-brief h2 { margin: 0 0 4px; font-size: 1.2em; }
			.segmentpress-brief__meta { color: #50575e; margin: 0 0 8px; }
			.segmentpress-brief__priority { display: inline-block; min-width: 2.5em; text-align: center; font-weight: 600; color: #fff; background: #2271b1; border-radius: 3px; padding: 1px 6px; }
			.segmentpress-brief__bar { height: 4px; background: #dcdcde; margin: 6px 0 10px; max-width: 300px; }
			.segmentpress-brief__bar span { display: block; height: 4px; background: #2271b1; }
			.segmentpress-brief__actions form { display: inline-block; margin: 4px 8px 0 0; }
			.segmentpress-brief__evidence { margin: 4px 0 8px 1.2em; list-style: disc; }
		</style>
		<?php
	}

	/**
	 * Segment and status filters (GET).
	 *
	 * @param string $status  Current status filter.
	 * @param string $segment Current segment filter.
	 */
	private function render_filters( $status, $segment ) {
		$segments = $this->blocks->segments();
		$segments = is_wp_error( $segments ) ? array() : $segments;
		?>
		<form method="get" class="segmentpress-briefs__filters">
			<input type="hidden" name="page" value="<?php echo esc_attr( self::SLUG ); ?>">
			<label for="segmentpress-filter-segment"><?php esc_html_e( 'Segment', 'segmentpress' ); ?></label>
			<select name="segment" id="segmentpress-filter-segment">
				<option value=""><?php esc_html_e( 'All segments', 'segmentpress' ); ?></option>
				<?php foreach ( $segments as $item ) : ?>
					<option value="<?php echo esc_attr( $item['key'] ); ?>" <?php selected( $segment, $item['key'] ); ?>><?php echo esc_html( $item['name'] . ' (' . $item['key'] . ')' ); ?></option>
				<?php endforeach; ?>
				<?php if ( '' !== $segment && ! in_array( $segment, wp_list_pluck( $segments, 'key' ), true ) ) : ?>
					<option value="<?php echo esc_attr( $segment ); ?>" selected><?php echo esc_html( $segment ); ?></option>
				<?php endif; ?>
			</select>
			<label for="segmentpress-filter-status"><?php esc_html_e( 'Status', 'segmentpress' ); ?></label>
			<select name="status" id="segmentpress-filter-status">
				<option value=""><?php esc_html_e( 'Any status', 'segmentpress' ); ?></option>
				<?php foreach ( self::STATUSES as $item ) : ?>
					<option value="<?php echo esc_attr( $item ); ?>" <?php selected( $status, $item ); ?>><?php echo esc_html( self::status_label( $item ) ); ?></option>
				<?php endforeach; ?>
			</select>
			<?php submit_button( __( 'Filter', 'segmentpress' ), 'secondary', '', false ); ?>
		</form>
		<?php
	}

	/**
	 * A status in words.
	 *
	 * @param string $status Status.
	 * @return string
	 */
	public static function status_label( $status ) {
		$labels = array(
			'proposed'  => __( 'Proposed', 'segmentpress' ),
			'accepted'  => __( 'Accepted', 'segmentpress' ),
			'scheduled' => __( 'Scheduled', 'segmentpress' ),
			'published' => __( 'Published', 'segmentpress' ),
			'measured'  => __( 'Measured', 'segmentpress' ),
			'dismissed' => __( 'Dismissed', 'segmentpress' ),
		);
		return isset( $labels[ $status ] ) ? $labels[ $status ] : (string) $status;
	}

	/**
	 * One brief with its evidence, details and actions.
	 *
	 * @param array  $brief   Brief.
	 * @param string $status  Current status filter (kept across actions).
	 * @param string $segment Current segment filter.
	 */
	private function render_brief( array $brief, $status, $segment ) {
		$id       = (int) $brief['id'];
		$priority = max( 0, min( 100, (int) $brief['priority'] ) );
		$audience = isset( $brief['audience'] ) && is_array( $brief['audience'] ) ? $brief['audience'] : array();
		$post_id  = $this->briefs->linked_post( $id );
		$open     = in_array( $brief['status'], array( 'proposed', 'accepted', 'scheduled' ), true );
		$suggest  = ! empty( $brief['suggestedPublishAt'] ) ? strtotime( (string) $brief['suggestedPublishAt'] ) : false;
		?>
		<div class="segmentpress-brief" id="segmentpress-brief-<?php echo esc_attr( (string) $id ); ?>" data-brief-id="<?php echo esc_attr( (string) $id ); ?>" data-status="<?php echo esc_attr( $brief['status'] ); ?>">
			<h2><span class="segmentpress-brief__priority" title="<?php esc_attr_e( 'Priority (0–100)', 'segmentpress' ); ?>"><?php echo esc_html( (string) $priority ); ?></span>
				<?php echo esc_html( (string) $brief['title'] ); ?></h2>
			<div class="segmentpress-brief__bar" aria-hidden="true"><span style="width: <?php echo esc_attr( (string) $priority ); ?>%"></span></div>
			<p class="segmentpress-brief__meta">
				<?php
				printf(
					/* translators: 1: segment name, 2: segment key, 3: journey stage, 4: status, 5: members. */
					esc_html__( 'For %1$s (%2$s) · stage: %3$s · %4$s · %5$s members', 'segmentpress' ),
					'<strong>' . esc_html( (string) ( $brief['segmentName'] ?? $brief['segment'] ) ) . '</strong>',
					'<code>' . esc_html( (string) $brief['segment'] ) . '</code>',
					esc_html( (string) ( $brief['journeyStage'] ?? '' ) ),
					esc_html( self::status_label( $brief['status'] ) ),
					esc_html( number_format_i18n( (int) ( $audience['size'] ?? 0 ) ) )
				);
				if ( $suggest ) {
					echo ' · ' . esc_html__( 'suggested for', 'segmentpress' ) . ' ' . esc_html( wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $suggest ) );
				}
				if ( $post_id ) {
					echo ' · <a href="' . esc_url( (string) get_edit_post_link( $post_id, 'raw' ) ) . '">' . esc_html__( 'Edit the post', 'segmentpress' ) . '</a>';
				}
				?>
			</p>
			<?php if ( ! empty( $brief['rationale'] ) && empty( $audience['evidence'] ) ) : ?>
				<p><?php echo esc_html( (string) $brief['rationale'] ); ?></p>
			<?php endif; ?>
			<?php if ( ! empty( $audience['evidence'] ) && is_array( $audience['evidence'] ) ) : ?>
				<ul class="segmentpress-brief__evidence">
					<?php foreach ( $audience['evidence'] as $line ) : ?>
						<li><?php echo esc_html( is_scalar( $line ) ? (string) $line : '' ); ?></li>
					<?php endforeach; ?>
				</ul>
			<?php endif; ?>
			<details>
				<summary><?php esc_html_e( 'Outline, keywords, links and call to action', 'segmentpress' ); ?></summary>
				<?php echo wp_kses_post( Briefs::content( $brief ) ); ?>
			</details>
			<?php if ( $open ) : ?>
				<div class="segmentpress-brief__actions">
					<?php
					if ( 'proposed' === $brief['status'] ) {
						$this->action_form( 'accept', $id, __( 'Accept', 'segmentpress' ), $status, $segment );
					}
					if ( ! $post_id ) {
						$this->action_form( 'draft', $id, __( 'Create draft', 'segmentpress' ), $status, $segment );
					}
					if ( current_user_can( self::CAP_SCHEDULE ) ) {
						$this->action_form( 'schedule', $id, __( 'Schedule', 'segmentpress' ), $status, $segment, $suggest ? $suggest : time() + DAY_IN_SECONDS );
					}
					$this->action_form( 'dismiss', $id, __( 'Dismiss', 'segmentpress' ), $status, $segment );
					?>
				</div>
			<?php endif; ?>
		</div>
		<?php
	}

	/**
	 * A one-button form posting to admin-post.php with the action's nonce.
	 *
	 * @param string   $action   accept|dismiss|draft|schedule.
	 * @param int      $brief_id Brief id.
	 * @param string   $label    Button text.
	 * @param string   $status   Status filter to return to.
	 * @param string   $segment  Segment filter to return to.
	 * @param int|null $when     For schedule: the default time.
	 */
	private function action_form( $action, $brief_id, $label, $status, $segment, $when = null ) {
		?>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" class="segmentpress-brief__<?php echo esc_attr( $action ); ?>">
			<input type="hidden" name="action" value="<?php echo esc_attr( 'segmentpress_brief_' . $action ); ?>">
			<input type="hidden" name="brief" value="<?php echo esc_attr( (string) $brief_id ); ?>">
			<input type="hidden" name="status" value="<?php echo esc_attr( $status ); ?>">
			<input type="hidden" name="segment" value="<?php echo esc_attr( $segment ); ?>">
			<?php wp_nonce_field( self::nonce_action( $action, $brief_id ) ); ?>
			<?php if ( null !== $when ) : ?>
				<label><span class="screen-reader-text"><?php esc_html_e( 'Publish at', 'segmentpress' ); ?></span>
					<input type="datetime-local" name="publish_at" value="<?php echo esc_attr( wp_date( 'Y-m-d\TH:i', $when ) ); ?>"></label>
			<?php endif; ?>
			<button type="submit" class="button<?php echo 'schedule' === $action ? ' button-primary' : ''; ?>"><?php echo esc_html( $label ); ?></button>
		</form>
		<?php
	}

	/**
	 * Automatic drafts (administrators).
	 */
	private function render_options() {
		if ( ! current_user_can( self::CAP_OPTIONS ) ) {
			return;
		}
		$options = $this->briefs->options();
		?>
		<h2><?php esc_html_e( 'Daily pull', 'segmentpress' ); ?></h2>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
			<input type="hidden" name="action" value="segmentpress_briefs_options">
			<?php wp_nonce_field( 'segmentpress_briefs_options' ); ?>
			<p><label><input type="checkbox" name="auto_draft" value="1" <?php checked( $options['auto_draft'] ); ?>>
				<?php esc_html_e( 'Create a draft automatically for each new brief with a priority of at least', 'segmentpress' ); ?></label>
				<input type="number" min="0" max="100" class="small-text" name="min_priority" value="<?php echo esc_attr( (string) $options['min_priority'] ); ?>"></p>
			<?php submit_button( __( 'Save', 'segmentpress' ), 'secondary', 'submit', false ); ?>
		</form>
		<?php
	}
}
