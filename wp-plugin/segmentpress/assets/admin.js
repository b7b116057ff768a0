/**
 * SegmentPress settings screen: keeps the full-sync progress bar current.
 *
 * @package SegmentPress
 */
( function () {
	var cfg = window.segmentpressAdmin;
	var box = document.getElementById( 'segmentpress-sync' );
	if ( ! cfg || ! box || ! window.fetch ) {
		return;
	}
	var bar = box.querySelector( 'progress' );
	var text = box.querySelector( '.segmentpress-sync-text' );

	function format( template, done, total ) {
		return template.replace( '%1$d', done ).replace( '%2$d', total );
	}

	function poll() {
		fetch( cfg.progressUrl, { credentials: 'same-origin', headers: { 'X-WP-Nonce': cfg.nonce } } )
			.then( function ( res ) { return res.ok ? res.json() : null; } )
			.then( function ( p ) {
				if ( ! p ) {
					return;
				}
				bar.value = p.percent;
				box.setAttribute( 'data-status', p.status );
				if ( 'running' === p.status ) {
					text.textContent = format( cfg.running, p.done, p.total );
					setTimeout( poll, 2000 );
				} else if ( 'done' === p.status ) {
					text.textContent = format( cfg.done, p.done, p.total );
				}
			} )
			.catch( function () { setTimeout( poll, 5000 ); } );
	}

	if ( 'running' === box.getAttribute( 'data-status' ) ) {
		poll();
	}
}() );
