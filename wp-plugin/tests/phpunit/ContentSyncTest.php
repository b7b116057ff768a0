<?php
/**
 * Content sync against the real service: publish, update, unpublish, trash, delete,
 * products, the WP-Cron path and the first full sync.
 *
 * @package SegmentPress\Tests
 */

namespace SegmentPress\Tests;

use SegmentPress\Full_Sync;
use SegmentPress\Plugin;
use SegmentPress\Queue;

class ContentSyncTest extends TestCase {

	/**
	 * A published post with a category and tags.
	 *
	 * @param array $args Overrides.
	 * @return int
	 */
	private function publish( array $args = array() ) {
		$slug = 'sync-' . strtolower( wp_generate_password( 6, false ) );
		$term = wp_insert_term( 'Sync ' . $slug, 'category', array( 'slug' => $slug ) );
		return (int) wp_insert_post(
			array_merge(
				array(
					'post_title'    => 'Sync test ' . $slug,
					'post_content'  => '<p>One two three four five six seven eight nine ten.</p>',
					'post_excerpt'  => 'A short summary.',
					'post_status'   => 'publish',
					'post_category' => array( $term['term_id'] ),
					'tags_input'    => array( 'alpha', 'beta' ),
				),
				$args
			)
		);
	}

	public function test_publishing_queues_without_calling_the_service_and_the_queue_run_puts_it_in_the_catalog() {
		$calls = 0;
		add_filter(
			'pre_http_request',
			static function ( $pre ) use ( &$calls ) {
				$calls++;
				return $pre;
			}
		);
		$id = $this->publish();
		$this->assertSame( 0, $calls, 'saving a post makes no HTTP request' );
		remove_all_filters( 'pre_http_request' );

		$rows = $this->queue_rows();
		$this->assertCount( 1, $rows );
		$this->assertSame( 'content:' . $id, $rows[0]->message_id );
		$this->assertNotFalse( wp_next_scheduled( Queue::FLUSH_HOOK ), 'a queue run is scheduled right away' );

		$this->process_queue();
		$this->assertSame( 0, Plugin::queue()->count() );

		$items = self::service_content();
		$this->assertArrayHasKey( (string) $id, $items );
		$item = $items[ (string) $id ];
		$post = get_post( $id );
		$this->assertSame( $post->post_title, $item['title'] );
		$this->assertSame( get_permalink( $id ), $item['url'] );
		$this->assertSame( 'post', $item['type'] );
		$this->assertSame( 'A short summary.', $item['excerpt'] );
		$this->assertSame( 10, (int) $item['wordCount'] );
		$this->assertSame( array( 'alpha', 'beta' ), wp_list_pluck( $item['tags'], 'slug' ) );
		$this->assertSame( get_the_category( $id )[0]->slug, $item['categories'][0]['slug'] );
		$this->assertSame( strtotime( $post->post_date_gmt . ' UTC' ), strtotime( $item['publishedAt'] ) );
	}

	public function test_updating_replaces_the_catalog_entry_and_repeated_saves_send_once() {
		$id = $this->publish();
		wp_update_post(
			array(
				'ID'         => $id,
				'post_title' => 'Renamed once',
			)
		);
		wp_update_post(
			array(
				'ID'         => $id,
				'post_title' => 'Renamed twice',
			)
		);
		$this->assertCount( 1, $this->queue_rows(), 'unsent changes to one post are coalesced' );
		$this->process_queue();
		$this->assertSame( 'Renamed twice', self::service_content()[ (string) $id ]['title'] );
	}

	public function test_trashing_unpublishing_and_deleting_remove_the_entry() {
		$trashed     = $this->publish();
		$unpublished = $this->publish();
		$deleted     = $this->publish();
		$this->process_queue();
		$items = self::service_content();
		foreach ( array( $trashed, $unpublished, $deleted ) as $id ) {
			$this->assertArrayHasKey( (string) $id, $items );
		}

		wp_trash_post( $trashed );
		wp_update_post(
			array(
				'ID'          => $unpublished,
				'post_status' => 'draft',
			)
		);
		wp_delete_post( $deleted, true );
		$this->process_queue();
		$this->assertSame( 0, Plugin::queue()->count() );

		$items = self::service_content();
		foreach ( array( $trashed, $unpublished, $deleted ) as $id ) {
			$this->assertArrayNotHasKey( (string) $id, $items, "post $id left the catalog" );
		}
	}

	public function test_drafts_and_unsynced_types_are_not_sent() {
		wp_insert_post(
			array(
				'post_title'  => 'Just a draft',
				'post_status' => 'draft',
			)
		);
		$this->connect( array( 'post_types' => array( 'post' ) ) );
		wp_insert_post(
			array(
				'post_title'  => 'A page while only posts sync',
				'post_status' => 'publish',
				'post_type'   => 'page',
			)
		);
		$this->assertCount( 0, $this->queue_rows() );
	}

	public function test_nothing_is_queued_before_the_site_is_connected() {
		$this->connect( array( 'secret_key' => '' ) );
		$this->publish();
		$this->assertCount( 0, $this->queue_rows() );
	}

	public function test_products_carry_price_and_sale_status() {
		if ( ! post_type_exists( 'product' ) ) {
			register_post_type( 'product', array( 'public' => true ) );
			register_taxonomy( 'product_cat', 'product', array( 'public' => true ) );
			register_taxonomy( 'product_tag', 'product', array( 'public' => true ) );
		}
		$cat = wp_insert_term( 'Shoes', 'product_cat', array( 'slug' => 'shoes' ) );
		$id  = (int) wp_insert_post(
			array(
				'post_title'  => 'Trail shoe',
				'post_type'   => 'product',
				'post_status' => 'draft',
			)
		);
		update_post_meta( $id, '_price', '79.90' );
		update_post_meta( $id, '_regular_price', '99.90' );
		update_post_meta( $id, '_sale_price', '79.90' );
		wp_set_object_terms( $id, array( is_array( $cat ) ? (int) $cat['term_id'] : (int) get_term_by( 'slug', 'shoes', 'product_cat' )->term_id ), 'product_cat' );
		wp_publish_post( $id );
		$this->process_queue();

		$item = self::service_content()[ (string) $id ];
		$this->assertSame( 'product', $item['type'] );
		$this->assertEqualsWithDelta( 79.9, (float) $item['price'], 0.001 );
		$this->assertTrue( (bool) $item['onSale'] );
		$this->assertSame( 'shoes', $item['categories'][0]['slug'] );
	}

	public function test_wp_cron_delivers_the_queue_in_the_background() {
		$id = $this->publish();
		$this->assertNotFalse( wp_next_scheduled( Queue::FLUSH_HOOK ) );
		// What a visit to the site (or a system cron) does: a request to wp-cron.php.
		delete_transient( 'doing_cron' );
		self::wp_http( 'GET', '/wp-cron.php' );
		for ( $i = 0; $i < 40 && Plugin::queue()->count() > 0; $i++ ) {
			usleep( 250000 );
		}
		$this->assertSame( 0, Plugin::queue()->count(), 'wp-cron.php emptied the queue' );
		$this->assertArrayHasKey( (string) $id, self::service_content() );
	}

	public function test_full_sync_sends_every_published_item_in_chunks_with_progress() {
		$this->connect( array( 'secret_key' => '' ) ); // Existing content, written before connecting.
		$ids = array();
		for ( $i = 0; $i < 3; $i++ ) {
			$ids[] = $this->publish();
		}
		$this->connect();
		$sync  = Plugin::full_sync();
		$state = $sync->start();
		$this->assertSame( 'running', $state['status'] );
		$this->assertGreaterThanOrEqual( 3, $state['total'] );
		$this->assertNotFalse( wp_next_scheduled( Full_Sync::CRON_HOOK ) );

		for ( $i = 0; $i < 100 && 'running' === $sync->state()['status']; $i++ ) {
			$sync->run_chunk();
		}
		$progress = $sync->progress();
		$this->assertSame( 'done', $progress['status'], $progress['error'] );
		$this->assertSame( 100, $progress['percent'] );

		$items = self::service_content();
		foreach ( $ids as $id ) {
			$this->assertArrayHasKey( (string) $id, $items );
		}
		foreach ( self::$env['e2ePosts'] as $id ) {
			$this->assertArrayHasKey( (string) $id, $items, 'content that existed before connecting' );
		}
	}

	public function test_full_sync_progress_is_shown_on_the_settings_screen() {
		$cookies = $this->login( self::admin_id() );
		$page    = self::settings_page_for( $cookies );
		$this->assertMatchesRegularExpression( '/<div id="segmentpress-sync" data-status="\w+">\s*<progress max="100" value="\d+"/', $page['body'] );
		$this->assertStringContainsString( 'segmentpress/assets/admin.js', $page['body'] );
	}
}
