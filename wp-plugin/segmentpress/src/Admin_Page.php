<?php
/**
 * Settings > SegmentPress: connection, consent, content sync and delivery status.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Every action checks `manage_options` and a nonce; everything printed is escaped,
 * including what came back from the service or from visitors (log lines, titles, names).
 */
class Admin_Page {

	const SLUG       = 'segmentpress';
	const CAPABILITY = 'manage_options';

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
	 * Queue.
	 *
	 * @var Queue
	 */
	private $queue;

	/**
	 * Full sync.
	 *
	 * @var Full_Sync
	 */
	private $full_sync;

	/**
	 * Log.
	 *
	 * @var Log
	 */
	private $log;

	/**
	 * Constructor.
	 *
	 * @param Settings  $settings  Settings.
	 * @param Client    $client    Client.
	 * @param Queue     $queue     Queue.
	 * @param Full_Sync $full_sync Full sync.
	 * @param Log       $log       Log.
	 */
	public function __construct( Settings $settings, Client $client, Queue $queue, Full_Sync $full_sync, Log $log ) {
		$this->settings  = $settings;
		$this->client    = $client;
		$this->queue     = $queue;
		$this->full_sync = $full_sync;
		$this->log       = $log;
	}

	/**
	 * Hooks.
	 */
	public function register() {
		add_action( 'admin_menu', array( $this, 'add_menu' ) );
		add_action( 'admin_notices', array( $this, 'auth_error_notice' ) );
		add_action( 'admin_post_segmentpress_test_connection', array( $this, 'handle_test_connection' ) );
		add_action( 'admin_post_segmentpress_start_sync', array( $this, 'handle_start_sync' ) );
		add_action( 'admin_post_segmentpress_retry_queue', array( $this, 'handle_retry_queue' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( SEGMENTPRESS_FILE ), array( $this, 'action_links' ) );
	}

	/**
	 * Adds Settings > SegmentPress.
	 */
	public function add_menu() {
		$hook = add_options_page(
			__( 'SegmentPress', 'segmentpress' ),
			__( 'SegmentPress', 'segmentpress' ),
			self::CAPABILITY,
			self::SLUG,
			array( $this, 'render' )
		);
		add_action( 'admin_print_scripts-' . $hook, array( $this, 'enqueue_assets' ) );
	}

	/**
	 * The progress-bar script.
	 */
	public function enqueue_assets() {
		wp_enqueue_script( 'segmentpress-admin', SEGMENTPRESS_URL . 'assets/admin.js', array(), SEGMENTPRESS_VERSION, true );
		wp_add_inline_script(
			'segmentpress-admin',
			'window.segmentpressAdmin = ' . wp_json_encode(
				array(
					'progressUrl' => esc_url_raw( rest_url( 'segmentpress/v1/sync' ) ),
					'nonce'       => wp_create_nonce( 'wp_rest' ),
					/* translators: 1: posts sent, 2: posts in all. */
					'running'     => __( 'Sent %1$d of %2$d…', 'segmentpress' ),
					'done'        => __( 'All %2$d published items are in the catalog.', 'segmentpress' ),
				),
				JSON_HEX_TAG | JSON_HEX_AMP
			) . ';',
			'before'
		);
	}

	/**
	 * "Settings" link on the Plugins screen.
	 *
	 * @param array $links Links.
	 * @return array
	 */
	public function action_links( $links ) {
		array_unshift( $links, '<a href="' . esc_url( admin_url( 'options-general.php?page=' . self::SLUG ) ) . '">' . esc_html__( 'Settings', 'segmentpress' ) . '</a>' );
		return $links;
	}

	/**
	 * Site-wide notice when the service refused the secret key.
	 */
	public function auth_error_notice() {
		$error = get_option( Queue::AUTH_ERROR_OPTION );
		if ( ! $error || ! current_user_can( self::CAPABILITY ) ) {
			return;
		}
		printf(
			'<div class="notice notice-error"><p>%s <a href="%s">%s</a></p></div>',
			esc_html__( 'SegmentPress: the service refused this site\'s secret key, so sending is paused (nothing is lost). Please check the keys.', 'segmentpress' ),
			esc_url( admin_url( 'options-general.php?page=' . self::SLUG ) ),
			esc_html__( 'Open SegmentPress settings', 'segmentpress' )
		);
	}

	/**
	 * Refuses the request unless the user may manage options and the nonce is valid.
	 *
	 * @param string $action Nonce action.
	 */
	private function guard( $action ) {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'segmentpress' ), 403 );
		}
		check_admin_referer( $action );
	}

	/**
	 * Redirects back to the settings page with a one-time message for this user.
	 *
	 * @param string $type    success|error|info.
	 * @param string $message Plain-text message.
	 */
	private function back( $type, $message ) {
		set_transient(
			'segmentpress_notice_' . get_current_user_id(),
			array(
				'type'    => $type,
				'message' => $message,
			),
			120
		);
		wp_safe_redirect( admin_url( 'options-general.php?page=' . self::SLUG ) );
		exit;
	}

	/**
	 * Test connection: GET /v1/site with the secret key.
	 */
	public function handle_test_connection() {
		$this->guard( 'segmentpress_test_connection' );
		$result = $this->test_connection();
		$this->back( $result['ok'] ? 'success' : 'error', $result['message'] );
	}

	/**
	 * Calls GET /v1/site and describes the outcome.
	 *
	 * @return array{ok:bool, message:string}
	 */
	public function test_connection() {
		if ( '' === $this->settings->service_url() || '' === (string) $this->settings->get( 'secret_key' ) ) {
			return array(
				'ok'      => false,
				'message' => __( 'Enter the service URL and the secret key first.', 'segmentpress' ),
			);
		}
		$response = $this->client->request( 'GET', '/v1/site', null, array( 'timeout' => 8 ) );
		if ( 200 === $response['status'] && is_array( $response['body'] ) ) {
			$this->queue->resume();
			$name = isset( $response['body']['name'] ) && is_scalar( $response['body']['name'] ) ? (string) $response['body']['name'] : '';
			return array(
				'ok'      => true,
				/* translators: %s: site name in SegmentPress. */
				'message' => sprintf( __( 'Connected to the SegmentPress site "%s".', 'segmentpress' ), $name ),
			);
		}
		if ( 0 === $response['status'] ) {
			/* translators: %s: transport error. */
			$message = sprintf( __( 'Could not reach the service: %s', 'segmentpress' ), $response['error'] );
		} elseif ( 401 === $response['status'] || 403 === $response['status'] ) {
			/* translators: %s: error. */
			$message = sprintf( __( 'The service refused the secret key (%s).', 'segmentpress' ), $response['error'] );
		} else {
			/* translators: %s: error. */
			$message = sprintf( __( 'The service answered with an error: %s', 'segmentpress' ), $response['error'] );
		}
		return array(
			'ok'      => false,
			'message' => $message,
		);
	}

	/**
	 * Starts a full sync.
	 */
	public function handle_start_sync() {
		$this->guard( 'segmentpress_start_sync' );
		if ( ! $this->settings->is_connected() ) {
			$this->back( 'error', __( 'Connect SegmentPress first.', 'segmentpress' ) );
		}
		$state = $this->full_sync->start();
		/* translators: %d: number of items. */
		$this->back( 'success', sprintf( __( 'Full sync started: %d published items will be sent in the background.', 'segmentpress' ), $state['total'] ) );
	}

	/**
	 * Lifts a pause and sends what is queued now.
	 */
	public function handle_retry_queue() {
		$this->guard( 'segmentpress_retry_queue' );
		$this->queue->resume();
		$stats = $this->queue->process( 10 );
		/* translators: 1: sent, 2: still waiting. */
		$this->back( 'info', sprintf( __( 'Sent %1$d; %2$d still waiting.', 'segmentpress' ), $stats['sent'], $this->queue->count() ) );
	}

	/**
	 * Renders the page.
	 */
	public function render() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to access this page.', 'segmentpress' ), 403 );
		}
		$settings = $this->settings->all();
		$notice   = get_transient( 'segmentpress_notice_' . get_current_user_id() );
		delete_transient( 'segmentpress_notice_' . get_current_user_id() );
		?>
		<div class="wrap segmentpress-settings">
			<h1><?php esc_html_e( 'SegmentPress', 'segmentpress' ); ?></h1>
			<?php if ( is_array( $notice ) ) : ?>
				<div class="notice notice-<?php echo esc_attr( in_array( $notice['type'], array( 'success', 'error', 'info' ), true ) ? $notice['type'] : 'info' ); ?> segmentpress-notice"><p><?php echo esc_html( $notice['message'] ); ?></p></div>
			<?php endif; ?>
			<?php // Settings errors are printed by WordPress itself on pages under Settings (options-head.php). ?>

			<p>
			<?php
			echo $this->settings->is_connected()
				? esc_html__( 'Connected: page views, engagement, searches, orders and your published content are sent to the service below.', 'segmentpress' )
				: esc_html__( 'Not connected: nothing is sent anywhere until you enter the service URL and both keys.', 'segmentpress' );
			?>
			</p>

			<form method="post" action="<?php echo esc_url( admin_url( 'options.php' ) ); ?>">
				<?php settings_fields( Settings::GROUP ); ?>
				<h2><?php esc_html_e( 'Connection', 'segmentpress' ); ?></h2>
				<table class="form-table" role="presentation">
					<tr>
						<th scope="row"><label for="sp-service-url"><?php esc_html_e( 'Service URL', 'segmentpress' ); ?></label></th>
						<td><input type="url" class="regular-text code" id="sp-service-url" name="<?php echo esc_attr( Settings::OPTION ); ?>[service_url]" value="<?php echo esc_attr( $settings['service_url'] ); ?>" placeholder="https://segments.example.com" /></td>
					</tr>
					<tr>
						<th scope="row"><label for="sp-write-key"><?php esc_html_e( 'Write key', 'segmentpress' ); ?></label></th>
						<td><input type="text" class="regular-text code" id="sp-write-key" name="<?php echo esc_attr( Settings::OPTION ); ?>[write_key]" value="<?php echo esc_attr( $settings['write_key'] ); ?>" autocomplete="off" placeholder="wk_…" />
						<p class="description"><?php esc_html_e( 'Public: it is printed into your pages so browsers can send events.', 'segmentpress' ); ?></p></td>
					</tr>
					<tr>
						<th scope="row"><label for="sp-secret-key"><?php esc_html_e( 'Secret key', 'segmentpress' ); ?></label></th>
						<td>
							<?php
							$hint        = $this->settings->secret_key_hint();
							/* translators: %s: last four characters of the key. */
							$placeholder = '' === $hint ? 'sk_…' : sprintf( __( 'Saved, ends with …%s', 'segmentpress' ), $hint );
							?>
							<input type="password" class="regular-text code" id="sp-secret-key" name="<?php echo esc_attr( Settings::OPTION ); ?>[secret_key]" value="" autocomplete="new-password" placeholder="<?php echo esc_attr( $placeholder ); ?>" />
							<p class="description"><?php esc_html_e( 'Stays on this server and is never shown again. Leave the field empty to keep the saved key.', 'segmentpress' ); ?></p>
							<?php if ( '' !== $hint ) : ?>
								<label><input type="checkbox" name="<?php echo esc_attr( Settings::OPTION ); ?>[forget_secret_key]" value="1" /> <?php esc_html_e( 'Forget the saved secret key (disconnects the site)', 'segmentpress' ); ?></label>
							<?php endif; ?>
						</td>
					</tr>
				</table>

				<h2><?php esc_html_e( 'Consent', 'segmentpress' ); ?></h2>
				<fieldset>
					<?php
					$modes = array(
						Settings::CONSENT_EVERYONE => __( 'Track every visitor', 'segmentpress' ),
						Settings::CONSENT_API      => __( 'Track only visitors who consented to statistics through the WP Consent API', 'segmentpress' ),
						Settings::CONSENT_GPC      => __( 'Track every visitor except those whose browser sends Global Privacy Control or Do Not Track', 'segmentpress' ),
					);
					foreach ( $modes as $mode => $label ) :
						?>
						<label style="display:block;margin:.3em 0"><input type="radio" name="<?php echo esc_attr( Settings::OPTION ); ?>[consent_mode]" value="<?php echo esc_attr( $mode ); ?>" <?php checked( $settings['consent_mode'], $mode ); ?> /> <?php echo esc_html( $label ); ?></label>
					<?php endforeach; ?>
					<?php if ( Settings::CONSENT_API === $settings['consent_mode'] && ! function_exists( 'wp_has_consent' ) ) : ?>
						<p class="description"><?php esc_html_e( 'The WP Consent API plugin is not active, so no visitor can give consent and nothing is tracked.', 'segmentpress' ); ?></p>
					<?php endif; ?>
				</fieldset>

				<h2><?php esc_html_e( 'Content to sync', 'segmentpress' ); ?></h2>
				<input type="hidden" name="<?php echo esc_attr( Settings::OPTION ); ?>[post_types_sent]" value="1" />
				<fieldset>
					<?php
					$types = get_post_types( array( 'public' => true ), 'objects' );
					unset( $types['attachment'] );
					foreach ( $types as $type ) :
						?>
						<label style="display:inline-block;margin-right:1.5em"><input type="checkbox" name="<?php echo esc_attr( Settings::OPTION ); ?>[post_types][]" value="<?php echo esc_attr( $type->name ); ?>" <?php checked( in_array( $type->name, $settings['post_types'], true ) ); ?> /> <?php echo esc_html( $type->labels->name ); ?></label>
					<?php endforeach; ?>
				</fieldset>
				<?php submit_button(); ?>
			</form>

			<h2><?php esc_html_e( 'Test connection', 'segmentpress' ); ?></h2>
			<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
				<input type="hidden" name="action" value="segmentpress_test_connection" />
				<?php wp_nonce_field( 'segmentpress_test_connection' ); ?>
				<?php submit_button( __( 'Test connection', 'segmentpress' ), 'secondary', 'submit', false ); ?>
			</form>

			<?php $this->render_sync(); ?>
			<?php $this->render_queue(); ?>
		</div>
		<?php
	}

	/**
	 * Full sync progress and button.
	 */
	private function render_sync() {
		$progress = $this->full_sync->progress();
		?>
		<h2><?php esc_html_e( 'Content catalog', 'segmentpress' ); ?></h2>
		<div id="segmentpress-sync" data-status="<?php echo esc_attr( $progress['status'] ); ?>">
			<progress max="100" value="<?php echo esc_attr( (string) $progress['percent'] ); ?>" style="width:20em"></progress>
			<span class="segmentpress-sync-text">
			<?php
			if ( 'idle' === $progress['status'] ) {
				esc_html_e( 'No full sync has run yet.', 'segmentpress' );
			} elseif ( 'failed' === $progress['status'] ) {
				/* translators: %s: error. */
				echo esc_html( sprintf( __( 'The full sync stopped: %s', 'segmentpress' ), $progress['error'] ) );
			} elseif ( 'done' === $progress['status'] ) {
				/* translators: %d: number of items. */
				echo esc_html( sprintf( __( 'All %d published items are in the catalog.', 'segmentpress' ), $progress['total'] ) );
			} else {
				/* translators: 1: sent, 2: total. */
				echo esc_html( sprintf( __( 'Sent %1$d of %2$d…', 'segmentpress' ), $progress['done'], $progress['total'] ) );
			}
			?>
			</span>
		</div>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
			<input type="hidden" name="action" value="segmentpress_start_sync" />
			<?php wp_nonce_field( 'segmentpress_start_sync' ); ?>
			<?php submit_button( __( 'Sync all published content now', 'segmentpress' ), 'secondary', 'submit', false ); ?>
		</form>
		<?php
	}

	/**
	 * Queue status, what is waiting, and the recent problems log.
	 */
	private function render_queue() {
		global $wpdb;
		$paused = $this->queue->paused_until();
		$rows   = $wpdb->get_results( 'SELECT * FROM ' . Queue::table() . ' ORDER BY id ASC LIMIT 20' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared
		?>
		<h2><?php esc_html_e( 'Delivery', 'segmentpress' ); ?></h2>
		<p>
			<?php
			/* translators: %d: number of waiting events and catalog changes. */
			echo esc_html( sprintf( _n( '%d event or catalog change is waiting to be sent.', '%d events and catalog changes are waiting to be sent.', $this->queue->count(), 'segmentpress' ), $this->queue->count() ) );
			if ( $paused > time() ) {
				echo ' ' . esc_html(
					/* translators: %s: time. */
					sprintf( __( 'The service asked us to wait until %s.', 'segmentpress' ), wp_date( get_option( 'time_format' ), $paused ) )
				);
			}
			?>
		</p>
		<?php if ( $rows ) : ?>
			<table class="widefat striped segmentpress-queue">
				<thead><tr><th><?php esc_html_e( 'Waiting', 'segmentpress' ); ?></th><th><?php esc_html_e( 'Attempts', 'segmentpress' ); ?></th><th><?php esc_html_e( 'Last error', 'segmentpress' ); ?></th></tr></thead>
				<tbody>
				<?php foreach ( $rows as $row ) : ?>
					<tr><td><?php echo esc_html( Queue::describe( $row ) ); ?></td><td><?php echo esc_html( (string) $row->attempts ); ?></td><td><?php echo esc_html( (string) $row->last_error ); ?></td></tr>
				<?php endforeach; ?>
				</tbody>
			</table>
		<?php endif; ?>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
			<input type="hidden" name="action" value="segmentpress_retry_queue" />
			<?php wp_nonce_field( 'segmentpress_retry_queue' ); ?>
			<?php submit_button( __( 'Send now', 'segmentpress' ), 'secondary', 'submit', false ); ?>
		</form>

		<h2><?php esc_html_e( 'Recent problems', 'segmentpress' ); ?></h2>
		<?php $entries = array_reverse( $this->log->entries() ); ?>
		<?php if ( ! $entries ) : ?>
			<p><?php esc_html_e( 'None.', 'segmentpress' ); ?></p>
		<?php else : ?>
			<table class="widefat striped segmentpress-log">
				<tbody>
				<?php foreach ( $entries as $entry ) : ?>
					<tr>
						<td><?php echo esc_html( wp_date( 'Y-m-d H:i:s', (int) $entry['time'] ) ); ?></td>
						<td><?php echo esc_html( (string) $entry['level'] ); ?></td>
						<td><?php echo esc_html( (string) $entry['message'] ); ?></td>
					</tr>
				<?php endforeach; ?>
				</tbody>
			</table>
		<?php endif; ?>
		<?php
	}
}
