/*! SegmentPress tracker | GPL-2.0-or-later */
(function (w, d, n) {
	var c = w.segmentpressConfig, early = w.segmentpress, Q = 'sp_q', A = 'sp_aid', store, aid, engaged = 0, last = Date.now(), active = last, depth = 0, busy, tries = 0, started;
	if (!c || !c.url || !c.writeKey || early && early.track) return;

	function uuid() {
		return w.crypto && crypto.randomUUID ? crypto.randomUUID() : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, function (x) {
			return (x ^ crypto.getRandomValues(new Uint8Array(1))[0] & 15 >> x / 4).toString(16);
		});
	}

	function allowed() {
		if (!c.automation && (n.webdriver || /bot|crawl|spider|slurp|headless|lighthouse/i.test(n.userAgent))) return 0;
		if (c.consent == 'consent') return !!(w.wp_has_consent && w.wp_has_consent('statistics'));
		return c.consent != 'gpc' || !(n.globalPrivacyControl || n.doNotTrack == '1');
	}

	try { store = w.localStorage; store.getItem(Q); } catch (e) { store = 0; }
	function load() { try { return JSON.parse(store.getItem(Q)) || []; } catch (e) { return []; } }
	function save(q) { try { store.setItem(Q, JSON.stringify(q.slice(-100))); } catch (e) {} }

	function anon() {
		var m = d.cookie.match(/(?:^|; )sp_aid=([\w-]{16,64})/);
		aid = aid || m && m[1] || store && store.getItem(A) || uuid();
		try { store.setItem(A, aid); } catch (e) {}
		d.cookie = A + '=' + aid + ';path=/;max-age=31536000;SameSite=Lax' + (location.protocol == 'https:' ? ';Secure' : '');
		return aid;
	}

	// text/plain: no CORS preflight.
	function flush(hide) {
		var q = load(), ids = q.map(function (e) { return e.messageId; }), body, url = c.url + '/v1/batch';
		if (!q.length || busy && !hide || !allowed()) return;
		body = JSON.stringify({ writeKey: c.writeKey, batch: q, sentAt: new Date().toISOString() });
		function done() { save(load().filter(function (e) { return ids.indexOf(e.messageId) < 0; })); }
		if (hide && n.sendBeacon) return n.sendBeacon(url, new Blob([body], { type: 'text/plain' })) && done();
		busy = 1;
		fetch(url, { method: 'POST', body: body, keepalive: body.length < 6e4, headers: { 'Content-Type': 'text/plain' } }).then(function (r) {
			busy = 0;
			if (r.status < 500 && r.status != 429) { done(); flush(); } else again();
		}, function () { busy = 0; again(); });
	}
	function again() { if (++tries < 4) setTimeout(flush, tries * 4e3); }

	function send(type, name, props) {
		if (!allowed()) return;
		var e = { type: type, messageId: uuid(), anonymousId: anon(), timestamp: new Date().toISOString(), properties: props,
			context: { page: { url: location.href, referrer: d.referrer }, userAgent: n.userAgent } }, q = load();
		e[type == 'page' ? 'name' : 'event'] = name;
		q.push(e);
		save(q);
	}

	function tick(hiding) {
		var t = Date.now();
		if ((hiding || !d.hidden) && t - active < 3e4) engaged += t - last;
		last = t;
	}

	function scroll() {
		var h = d.documentElement, max = h.scrollHeight - h.clientHeight;
		depth = Math.max(depth, max > 0 ? Math.min(100, Math.round(100 * (w.scrollY || h.scrollTop) / max)) : 100);
	}

	function hidden() {
		tick(1);
		if (c.postId && engaged >= 1e3) {
			send('track', 'Content Engaged', { post_id: c.postId, engaged_seconds: Math.round(engaged / 1e3), scroll_depth: depth });
			engaged = 0;
		}
		flush(1);
	}

	w.segmentpress = { track: function (name, props) { send('track', name, props || {}); flush(); }, id: function () { return allowed() && anon(); } };
	['scroll', 'keydown', 'mousemove', 'touchstart'].forEach(function (t) {
		w.addEventListener(t, function () { tick(); active = Date.now(); t == 'scroll' && scroll(); }, { passive: true });
	});
	d.addEventListener('visibilitychange', function () { d.hidden ? hidden() : last = active = Date.now(); });
	w.addEventListener('pagehide', hidden);
	setInterval(tick, 5e3);
	scroll();

	function start() {
		var title = c.title || d.title;
		if (started || !allowed()) return;
		started = 1;
		send('page', title, { post_id: c.postId, url: location.href, title: title, post_type: c.postType, categories: c.categories || [], tags: c.tags || [] });
		c.search && send('track', 'Products Searched', { query: c.search });
			early && early.forEach && early.forEach(function (a) { a[0] == 'track' && send('track', a[1], a[2] || {}); });
		flush();
	}
	// Consent given on this page (WP Consent API) starts tracking.
	d.addEventListener('wp_listen_for_consent_change', start);
	start();
})(window, document, navigator);
