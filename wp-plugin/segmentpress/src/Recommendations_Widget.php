<?php
/**
 * Classic widget for the recommendations list.
 *
 * @package SegmentPress
 */

namespace SegmentPress;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Uses the same renderer as the block and the shortcode.
 */
class Recommendations_Widget extends \WP_Widget {

	/**
	 * Constructor.
	 */
	public function __construct() {
		parent::__construct(
			'segmentpress_recommendations',
			__( 'SegmentPress recommendations', 'segmentpress' ),
			array(
				'description'           => __( 'Posts picked for each visitor; works behind page caches.', 'segmentpress' ),
				'show_instance_in_rest' => true,
			)
		);
	}

	/**
	 * Front end.
	 *
	 * @param array $args     Sidebar arguments.
	 * @param array $instance Saved settings.
	 */
	public function widget( $args, $instance ) {
		$html = Plugin::recommendations()->render( (array) $instance );
		if ( '' === $html ) {
			return;
		}
		echo $args['before_widget'] . $html . $args['after_widget']; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- sidebar markup from the theme; the list is escaped by the renderer.
	}

	/**
	 * Settings form.
	 *
	 * @param array $instance Saved settings.
	 * @return string
	 */
	public function form( $instance ) {
		$instance = wp_parse_args(
			(array) $instance,
			array(
				'title'  => '',
				'count'  => 5,
				'layout' => 'list',
			)
		);
		?>
		<p>
			<label for="<?php echo esc_attr( $this->get_field_id( 'title' ) ); ?>"><?php esc_html_e( 'Title', 'segmentpress' ); ?></label>
			<input class="widefat" id="<?php echo esc_attr( $this->get_field_id( 'title' ) ); ?>" name="<?php echo esc_attr( $this->get_field_name( 'title' ) ); ?>" type="text" value="<?php echo esc_attr( $instance['title'] ); ?>" placeholder="<?php esc_attr_e( 'Recommended for you', 'segmentpress' ); ?>">
		</p>
		<p>
			<label for="<?php echo esc_attr( $this->get_field_id( 'count' ) ); ?>"><?php esc_html_e( 'Number of posts', 'segmentpress' ); ?></label>
			<input class="tiny-text" id="<?php echo esc_attr( $this->get_field_id( 'count' ) ); ?>" name="<?php echo esc_attr( $this->get_field_name( 'count' ) ); ?>" type="number" min="1" max="<?php echo esc_attr( (string) Recommendations::MAX_COUNT ); ?>" value="<?php echo esc_attr( (string) (int) $instance['count'] ); ?>">
		</p>
		<p>
			<label for="<?php echo esc_attr( $this->get_field_id( 'layout' ) ); ?>"><?php esc_html_e( 'Layout', 'segmentpress' ); ?></label>
			<select id="<?php echo esc_attr( $this->get_field_id( 'layout' ) ); ?>" name="<?php echo esc_attr( $this->get_field_name( 'layout' ) ); ?>">
				<option value="list" <?php selected( $instance['layout'], 'list' ); ?>><?php esc_html_e( 'List', 'segmentpress' ); ?></option>
				<option value="grid" <?php selected( $instance['layout'], 'grid' ); ?>><?php esc_html_e( 'Grid', 'segmentpress' ); ?></option>
			</select>
		</p>
		<?php
		return '';
	}

	/**
	 * Sanitizes the settings on save.
	 *
	 * @param array $new_instance New settings.
	 * @param array $old_instance Old settings.
	 * @return array
	 */
	public function update( $new_instance, $old_instance ) {
		$clean = Recommendations::normalize( (array) $new_instance );
		// Keep an empty title empty, so the translated default shows in every language.
		$clean['title'] = isset( $new_instance['title'] ) ? sanitize_text_field( $new_instance['title'] ) : '';
		return $clean;
	}
}
